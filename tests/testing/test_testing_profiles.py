"""The Hypothesis profiles: defined once in symdiff.testing.profiles, registered by a suite's conftest,
switched by Hypothesis's own --hypothesis-profile option (run in a subprocess: loading a profile is
global, and this suite's own must stay)."""
import re

from hypothesis import settings

from symdiff.testing.profiles import PROFILES, profile_examples

pytest_plugins = ["pytester"]

CONFTEST = '''
from symdiff.testing.profiles import load_profile, register_profiles

register_profiles()
load_profile()
'''

USER_TESTS = '''
from hypothesis import settings


def test_examples():
    print("max_examples =", settings.default.max_examples)
'''


def _examples(pytester, *args) -> int:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_user=USER_TESTS)
    result = pytester.runpytest_subprocess("-s", "-p", "no:cacheprovider", *args)
    result.assert_outcomes(passed=1)
    (found,) = [int(m.group(1)) for x in result.outlines if (m := re.search(r"max_examples = (\d+)", x))]
    return found


def test_ci_profile_by_default_and_thorough_on_the_command_line(pytester, monkeypatch):
    monkeypatch.delenv("HYPOTHESIS_PROFILE", raising=False)
    assert _examples(pytester) == PROFILES["ci"]["max_examples"] == 30
    assert _examples(pytester, "--hypothesis-profile=thorough") == PROFILES["thorough"]["max_examples"] == 1000


def test_the_environment_chooses_the_profile(pytester, monkeypatch):
    monkeypatch.setenv("HYPOTHESIS_PROFILE", "thorough")
    assert _examples(pytester) == 1000


def test_fractions_follow_the_active_profile():
    assert profile_examples(1 / 2, minimum=1) == max(1, settings.default.max_examples // 2)
    assert profile_examples(0.0, minimum=4) == 4
