"""Running a check over Hypothesis-drawn values: under Hypothesis, shrinking a failure, or inside
a user's own ``@given`` test on a few values drawn from that test's data.

A check rejects a value it cannot use (outside the domain, near a kink) by raising
``UnusablePoint``; Hypothesis then draws another, and if none is usable the error
names the most common reason.
"""
from __future__ import annotations

from typing import Callable

from hypothesis import HealthCheck, Phase, given, reject, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.control import current_build_context, currently_in_test_context
from hypothesis.errors import Unsatisfiable

POINTS_INSIDE_A_TEST = 2   # points drawn per check_rule call inside a user's @given test


class UnusablePoint(Exception):
    """The point is outside the function's domain or too close to a kink: draw another."""


def _settings(max_examples, shrink: bool = True):
    base = settings.default
    n = base.max_examples if max_examples is None else max_examples
    checks = set(base.suppress_health_check) | {HealthCheck.filter_too_much, HealthCheck.too_slow,
                                               HealthCheck.data_too_large}
    # no "explain" phase: the lines it would point at are check_rule's, not the user's
    phases = [p for p in base.phases if p is not Phase.explain and (shrink or p is not Phase.shrink)]
    # one failure, an AssertionError, rather than a group of distinct ones
    return settings(base, max_examples=n, deadline=None, database=None, suppress_health_check=list(checks),
                    phases=phases, report_multiple_bugs=False)


def run_examples(check_one: Callable, strategy, *, max_examples=None, seed=None, what: str = "check_rule",
         shrink: bool = True):
    """Run ``check_one`` on values drawn from ``strategy``: under Hypothesis (shrinking a failure),
    or, inside a user's own @given test, on a few values drawn from that test's data."""
    if currently_in_test_context():
        data = current_build_context().data
        checked = 0
        for _ in range(min(POINTS_INSIDE_A_TEST, max_examples or POINTS_INSIDE_A_TEST)):
            value = data.draw(strategy)
            try:
                check_one(value)
                checked += 1
            except UnusablePoint:
                continue
        if not checked:
            reject()   # no usable point: the enclosing example is invalid, not failed
        return

    reasons: dict[str, int] = {}

    @_settings(max_examples, shrink)
    @given(strategy)
    def check_rule_examples(value):
        try:
            check_one(value)
        except UnusablePoint as exc:
            reasons[str(exc)] = reasons.get(str(exc), 0) + 1
            reject()

    run = hypothesis_seed(seed)(check_rule_examples) if seed is not None else check_rule_examples
    try:
        run()
    except Unsatisfiable:
        common = max(reasons, key=reasons.get) if reasons else "unknown"
        raise Unsatisfiable(f"{what}: no usable point was found in the domain (most often: {common}); "
                            f"declare where the function is defined and smooth with domain=..., and "
                            f"make sure it can be evaluated numerically (a NumPy printing method "
                            f"_numpycode, or _eval_evalf)") from None
