"""A removable pole of a rational function is a counterexample; a transcendental one is not.

``(x**2 - 1)/(x - 1)`` has no value at ``x = 1`` and ``x + 1`` has the value 2 there: the claim
is wrong at that exact point, and the verifier refutes it there when the divisor is a nonconstant
polynomial, the point is exact (rational or algebraic) and in the domain, and the other side (for
a derivative also the function) is certified finite and real.  Each test re-checks the reported
point independently: the divisor as the test writes it is exactly 0 there (SymPy, exact), and the
other side's exact value matches the reported one.  Textbook identities whose singular sets come
from transcendental divisors (``cos x`` under ``tan x``, ``1 - cos(x)**2``, ``log x``) are meant
away from those sets and are never refuted there.
"""
from __future__ import annotations

import pytest
import sympy as sp

from symdiff import verify, verify_identity

x, y = sp.symbols("x y", real=True)
B = 6  # seconds per case (a loaded machine)


def _point(r):
    return {sp.Symbol(n, real=True): sp.sympify(v) for n, v in r.counterexample["exact_point"].items()}


# (id, lhs, rhs, the divisor the left-hand side has as written, the right-hand side as the test writes it)
POLES = [
    ("difference-of-squares", "(x**2 - 1)/(x - 1)", "x + 1", x - 1, x + 1),
    ("power-cancelled-on-reading", "x**2/x", "x", x, x),
    ("a-line", "(x-y)**2/(x-y)", "x-y", x - y, x - y),
    ("irrational-point", "(x**2 - 2)/(x - sqrt(2))", "x + sqrt(2)", x - sp.sqrt(2), x + sp.sqrt(2)),
    ("cubic-root", "(x**4 - x**2 - x)/(x**3 - x - 1)", "x", x ** 3 - x - 1, x),
    ("program-line", "u = x**2 - 4\nv = u**3/u**2", "x**2 - 4", x ** 2 - 4, x ** 2 - 4),
]


@pytest.mark.parametrize("cid,lhs,rhs,divisor,other", POLES, ids=[p[0] for p in POLES])
def test_polynomial_divisor_is_refuted_at_its_exact_zero(cid, lhs, rhs, divisor, other):
    r = verify_identity(lhs, rhs, budget=B)
    assert r.status == "refuted", r.explanation
    point = _point(r)
    assert sp.simplify(divisor.xreplace(point)) == 0                    # no value as written
    assert r.counterexample["lhs"] is None
    exact = other.xreplace(point)
    assert exact.is_finite and exact.is_real
    assert abs(r.counterexample["rhs"] - float(exact)) <= 1e-12 * (1 + abs(float(exact)))
    assert "the left-hand side is undefined" in r.explanation and "certified" in r.explanation
    assert "where=[" in r.explanation or len(point) > 1, r.explanation


def test_derivative_claim_refuted_where_the_derivative_is_finite():
    r = verify("x**2", "x", "2*x*(x-1)/(x-1)", budget=B)
    assert r.status == "refuted", r.explanation
    assert r.counterexample["exact_point"] == {"x": "1"} and r.counterexample["actual"] == 2.0
    assert "At x = 1 the claim is undefined: it divides by x - 1" in r.explanation \
        or "At x = 1 the claim is not defined" in r.explanation and "a division by x - 1 = 0" in r.explanation
    assert "where=['x != 1']" in r.explanation


def test_no_counterexample_where_the_function_is_not_real():
    # d/dx log(x) = 1/x; the claim's pole x = -1 lies where log(x) is not real: not a counterexample
    r = verify("log(x)", "x", "(x+1)/(x*(x+1))", budget=B)
    assert r.status != "refuted", r.explanation


@pytest.mark.parametrize("where", [["x != 1"], ["x > 2"]])
def test_a_domain_that_excludes_the_pole_keeps_the_proof(where):
    r = verify_identity("(x**2 - 1)/(x - 1)", "x + 1", where=where, budget=B)
    assert r.status == "proved", r.explanation


def test_the_same_pole_on_both_sides_is_proved():
    assert verify_identity("x**2/x", "x**3/x**2", budget=B).status == "proved"


@pytest.mark.parametrize("lhs,rhs,where", [
    ("tan(2*x)", "2*tan(x)/(1 - tan(x)**2)", []),
    ("sec(x)**2 - tan(x)**2", "1", []),
    ("sin(x)/cos(x)", "tan(x)", []),
 ])
def test_poles_of_tan_and_sec_are_not_refuted(lhs, rhs, where):
    # textbook identities meant away from the poles of tan and sec: not proved, not refuted
    r = verify_identity(lhs, rhs, where=where, budget=B)
    assert r.status in ("proved", "consistent"), r.explanation


@pytest.mark.parametrize("lhs,rhs,where,divisor,point", [
    ("x*log(x)/log(x)", "x", [], sp.log(x), None),        # x = 0 (log(0)) or x = 1 (division by log(1))
    ("exp(log(x))", "x", [], sp.log(x), 0),                # log(0) has no value, the right-hand side is 0
    ("x*log(x)/log(x)", "x", ["x > 0"], sp.log(x), 1),
    ("sin(x)**2/(1 - cos(x)**2)", "1", [], 1 - sp.cos(x)**2, 0),
    ("sin(x)**2/(1 - cos(x)**2)", "1", ["x > 1"], 1 - sp.cos(x)**2, None),
    ("(1 - cos(x))/sin(x)", "tan(x/2)", [], sp.sin(x), 0),
    ("exp(x)*(exp(x) - 1)/(exp(x) - 1)", "exp(x)", [], sp.exp(x) - 1, 0),
])
def test_a_written_transcendental_division_by_zero_is_refuted(lhs, rhs, where, divisor, point):
    # the left-hand side divides by an expression that is exactly 0 (or takes log(0)) at an exact point of the domain
    # (checked here with SymPy's exact evaluation) where the right-hand side has a finite value
    r = verify_identity(lhs, rhs, where=where, budget=B)
    assert r.status == "refuted", r.explanation
    at = sp.sympify(r.counterexample["exact_point"]["x"])
    value = divisor.subs(x, at)
    assert value == 0 or value.has(sp.zoo, -sp.oo), (at, r.explanation)
    assert sp.N(sp.sympify(rhs, locals={"x": x}).subs(x, at), 30).is_finite
    assert "the left-hand side is undefined" in r.explanation, r.explanation
    assert at == point if point is not None else at >= 0 if not where else at > 1   # None: any such point


@pytest.mark.parametrize("f,claim", [
    ("Abs(x)", "Abs(x)/x"),                 # d|x|/dx = sign(x) except at 0, where it does not exist
    ("Max(x, 0)", "Max(x, 0)/x"),
    ("Abs(x)", sp.Piecewise((1, x > 0), (-1, x < 0))),
    ("Abs(sin(x))", "Abs(sin(x))/tan(x)"),
])
def test_no_counterexample_at_a_kink_of_the_function(f, claim):
    r = verify(f, "x", claim, budget=B)
    assert r.status != "refuted", r.explanation


@pytest.mark.parametrize("claim", [sp.Piecewise((2 * x, x > 0), (2 * x, x < 0)),
                                   "2*x*sin(x)/sin(x)", "2*x*exp(x)/exp(x) + 0*log(1 + x**2)"])
def test_a_claim_undefined_where_a_smooth_function_is_differentiable(claim):
    # d(x**2)/dx = 2x everywhere; a claim with no value at 0 is wrong there, except when it has one
    r = verify("x**2", "x", claim, budget=B)
    if isinstance(claim, str) and "exp(x)/exp(x)" in claim:
        assert r.status == "proved", r.explanation
        return
    assert r.status == "refuted", r.explanation
    assert r.counterexample["exact_point"] == {"x": "0"} and r.counterexample["actual"] == 0
