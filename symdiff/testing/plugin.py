"""pytest plugin: a ``check_rule`` fixture and a ``gradient_rule`` marker.

Registered through the ``pytest11`` entry point ``symdiff`` (or loaded with
``-p symdiff.testing.plugin``), it lets a test suite write::

    def test_my_rule(check_rule):
        check_rule(my_function(x), x, my_derivative(x))

    @pytest.mark.gradient_rule(max_examples=200, domain=(0.1, 3.0))
    def test_log_rule(check_rule):
        check_rule(sp.log(x), x, 1 / x)

The fixture is ``symdiff.testing.check_rule`` with defaults: the marker's
keyword arguments, overridden by ``--gradient-rule-examples=N`` on the
command line (for a longer run), overridden by the call's own arguments.
Every test that uses the fixture carries the marker, so ``-m gradient_rule``
selects them.  Without a marker or option the example count is the active
Hypothesis profile's; symdiff's profiles ("ci", "thorough") are defined once in
``symdiff.testing.profiles`` and registered by a suite's ``conftest.py``
(``register_profiles(); load_profile()``), not by this plugin: a plugin that
every pytest run loads must not change another suite's Hypothesis settings.

This module imports nothing heavy: SymPy and Hypothesis are loaded when a test
first uses the fixture.
"""
from __future__ import annotations

import pytest

MARKER = "gradient_rule"


def pytest_addoption(parser):
    group = parser.getgroup("symdiff", "symdiff gradient rules")
    group.addoption("--gradient-rule-examples", type=int, default=None, metavar="N",
                    help="inputs the check_rule fixture tries per check (default: the marker's "
                         "max_examples, else the Hypothesis profile's)")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**options): a test of a gradient rule; the options (max_examples, rtol, atol, domain, "
        f"dims, rules, seed ...) become defaults of the check_rule fixture")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "check_rule" in getattr(item, "fixturenames", ()) and item.get_closest_marker(MARKER) is None:
            item.add_marker(MARKER)   # `-m gradient_rule` selects every test of a rule


@pytest.fixture
def check_rule(request):
    """``symdiff.testing.check_rule`` with this test's defaults (see the module docstring)."""
    from symdiff.testing.rules import check_rule as run_check

    marker = request.node.get_closest_marker(MARKER)
    defaults = dict(marker.kwargs) if marker is not None else {}
    examples = request.config.getoption("gradient_rule_examples")
    if examples is not None:
        defaults["max_examples"] = examples

    def check(f, x=None, derivative=None, **options):
        return run_check(f, x, derivative, **{**defaults, **options})

    check.defaults = defaults
    check.__doc__ = run_check.__doc__
    return check
