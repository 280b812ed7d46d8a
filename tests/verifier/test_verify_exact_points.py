"""Claims wrong at single exact points: on a kink, on a switch, where one side has no value.

A step function's argument is exactly 0 at the point (``sign(x - 1/3)`` at 1/3, which has no
exact binary ball; ``sign(x - sqrt(2))`` at sqrt(2); ``sign(sin(x))`` at pi): the sampler puts an
exact point there and the step function decides on the exact value.  Each test recomputes the
two sides at the reported point with SymPy's exact arithmetic, independently of the verifier.
"""
from __future__ import annotations

import pytest
import sympy as sp

from symdiff import verify, verify_identity

x, y = sp.symbols("x y", real=True)
B = 6  # seconds per case (a loaded machine)


def _at(r) -> dict:
    return {sp.Symbol(n, real=True): sp.sympify(v, rational=True) for n, v in r.counterexample["exact_point"].items()}


IDENTITIES = [   # (lhs, rhs, where): wrong exactly where a step function's argument is 0
    (sp.sign(x - sp.Rational(1, 3)) ** 2, 1, []),
    (sp.sign(x - sp.sqrt(2)) ** 2, 1, []),
    (sp.sign(x ** 2 - 2) ** 2, 1, []),
    (sp.sign(sp.sin(x)) ** 2, 1, ["x > 1", "x < 4"]),
    (sp.Heaviside(x - 2) * sp.Heaviside(2 - x), 0, []),     # SymPy's Heaviside(0) is 1/2
    (sp.floor(x) + sp.floor(-x), -1, ["x > 5"]),              # 0 at every integer
    (sp.ceiling(x / 3) - sp.floor(x / 3), 1, ["x > 100"]),
    (sp.sign(x - y) ** 2, 1, []),
    (sp.sign(x * y - 1) ** 2, 1, ["x > 0", "y > 0"]),
]


@pytest.mark.parametrize("lhs,rhs,where", IDENTITIES, ids=[sp.sstr(c[0]) for c in IDENTITIES])
def test_an_identity_wrong_on_a_switch_is_refuted_there(lhs, rhs, where):
    r = verify_identity(lhs, rhs, where=where, budget=B)
    assert r.status == "refuted", r.explanation
    point = _at(r)
    assert sp.simplify(sp.sympify(lhs).xreplace(point) - sp.sympify(rhs).xreplace(point)) != 0


DERIVATIVES = [   # (f, claim): f smooth, the claim wrong at one exact point
    (x ** 2, sp.Piecewise((2 * x, sp.Ne(x, 1)), (7, True))),
    (x ** 2, 2 * x + sp.Piecewise((1, sp.Eq(x, sp.pi)), (0, True))),
    (sp.sin(x), sp.cos(x) * sp.sign(x) ** 2),
    (sp.exp(x), sp.exp(x) * sp.Abs(sp.sign(x - sp.pi))),
    (sp.exp(x), "exp(x)*Abs(sign(x - 0.7))"),               # the decimal 0.7 is 7/10 exactly
    (x ** 2 * y, 2 * x * y * sp.sign(y - 3) ** 2),
]


@pytest.mark.parametrize("f,claim", DERIVATIVES, ids=[sp.sstr(c[1]) for c in DERIVATIVES])
def test_a_derivative_claim_wrong_at_one_point_of_a_smooth_function_is_refuted(f, claim):
    r = verify(f, x, claim, budget=B)
    assert r.status == "refuted", r.explanation
    point = _at(r)
    claim_expr = sp.sympify(claim, locals={"x": x, "y": y}, rational=True)
    assert sp.simplify(claim_expr.xreplace(point) - sp.diff(f, x).xreplace(point)) != 0


@pytest.mark.parametrize("lhs,rhs", [
    (sp.Heaviside(x) + sp.Heaviside(-x), 1),                 # 1/2 + 1/2 at 0
    (sp.Heaviside(x - y) + sp.Heaviside(y - x), 1),
    (sp.Max(x, y) + sp.Min(x, y), x + y),
    (2 * sp.floor(x / 2), x - 2 * sp.frac(x / 2)),
    (sp.sign(x) * sp.Abs(x), x),
])
def test_identities_that_hold_on_the_switch_too_are_not_refuted(lhs, rhs):
    r = verify_identity(lhs, rhs, budget=B)
    assert r.status in ("proved", "consistent"), r.explanation


@pytest.mark.parametrize("f,claim", [
    (sp.Abs(x - 1), "(x - 1)/Abs(x - 1)"),        # d|x - 1|/dx does not exist at 1: no counterexample there
    (sp.Max(x, 0), sp.Piecewise((1, x > 0), (0, x < 0))),
    (sp.Abs(x * y), "y*Abs(x*y)/(x*y)"),
    (sp.Abs(sp.sin(x)), "cos(x)*Abs(sin(x))/sin(x)"),
])
def test_a_claim_undefined_only_at_kinks_of_the_function_is_not_refuted(f, claim):
    r = verify(f, x, claim, budget=B)
    assert r.status == "consistent", r.explanation


def test_zero_to_the_zero_is_one_as_in_sympy():
    # x**y with y = 0 is 1 everywhere, x = 0 included (SymPy's 0**0 = 1): no counterexample at the origin
    assert sp.Integer(0) ** 0 == 1
    r = verify_identity(x ** y, 1, where=[sp.Eq(y, 0)], budget=B)
    assert r.status in ("proved", "consistent"), r.explanation
