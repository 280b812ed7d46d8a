"""The pytest plugin, run on a small user test suite with pytester (loaded by -p, as a user would)."""
# Imported here, before pytester's in-process runs: pytester restores sys.modules after each run,
# and NumPy's C extension cannot be imported a second time in one process.
import symdiff.testing.rules  # noqa: F401  (also imports NumPy, SymPy, Hypothesis)

pytest_plugins = ["pytester"]

# "-p no:symdiff" keeps the installed entry point (once registered) from loading the same module
# under a second name; "-p symdiff.testing.plugin" then loads it explicitly.
LOAD = ("-p", "no:symdiff", "-p", "symdiff.testing.plugin")

USER_TESTS = '''
import pytest
import sympy as sp

x = sp.Symbol("x", real=True)


def test_right_rule(check_rule):
    check_rule(sp.tanh(x), x, 1 - sp.tanh(x) ** 2)


def test_wrong_rule(check_rule):
    check_rule(sp.tanh(x), x, 1 + sp.tanh(x) ** 2)


@pytest.mark.gradient_rule(max_examples=3, domain=(0.5, 2.0))
def test_marker_options_are_defaults(check_rule):
    assert check_rule.defaults == {"max_examples": 3, "domain": (0.5, 2.0)}
    check_rule(sp.log(x), x, 1 / x)


def test_without_the_fixture():
    assert True
'''


def test_fixture_passes_right_rules_and_fails_wrong_ones_with_the_message(pytester):
    pytester.makepyfile(test_user=USER_TESTS)
    result = pytester.runpytest(*LOAD)
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*test_wrong_rule*", "*the claimed derivative disagrees with finite differences*",
                                 "*argument: x*", "*relative error*"])
    # Hypothesis names the shrunk input "Falsifying example" (<= 6.15x) or "Failing test case" (newer)
    result.stdout.re_match_lines([r".*(Falsifying example|Failing test case): check_rule_examples\("])


def test_marker_selects_the_tests_using_the_fixture(pytester):
    pytester.makepyfile(test_user=USER_TESTS)
    result = pytester.runpytest(*LOAD, "-m", "gradient_rule", "-k", "not wrong")
    result.assert_outcomes(passed=2, deselected=2)


def test_command_line_sets_the_number_of_examples(pytester):
    pytester.makepyfile(test_user='''
        import pytest

        @pytest.mark.gradient_rule(max_examples=3, rtol=1e-4)
        def test_options(check_rule):
            assert check_rule.defaults == {"max_examples": 7, "rtol": 1e-4}
    ''')
    pytester.runpytest(*LOAD, "--gradient-rule-examples=7").assert_outcomes(passed=1)


def test_marker_is_registered(pytester):
    result = pytester.runpytest(*LOAD, "--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.gradient_rule(**options):*"])
    assert result.ret == 0


# pyproject.toml: [project.entry-points.pytest11] symdiff = "symdiff.testing.plugin"
ENTRY_POINT_NAME, ENTRY_POINT_MODULE = "symdiff", "symdiff.testing.plugin"


def test_a_pytest11_entry_point_named_symdiff_loads_the_plugin_without_p(pytester):
    # a distribution declaring exactly that entry point, on sys.path: pytest loads the plugin by itself
    dist = pytester.mkdir("symdiff_plugin_check-0.dist-info")
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: symdiff-plugin-check\nVersion: 0\n")
    (dist / "entry_points.txt").write_text(f"[pytest11]\n{ENTRY_POINT_NAME} = {ENTRY_POINT_MODULE}\n")
    pytester.syspathinsert()
    pytester.makepyfile(test_user=USER_TESTS)
    pytester.runpytest("-k", "right").assert_outcomes(passed=1, deselected=3)
