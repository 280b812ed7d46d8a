"""Soundness of symdiff.verify: wrong claims are never 'proved' or 'consistent';
right claims written differently from the reference are 'proved' or 'consistent'.

Each wrong claim below is wrong on a set of positive measure of its domain; the
reference derivative in each comment is by hand (and the list is checked
against sympy.diff first, independently of symdiff).
"""
from __future__ import annotations

import os

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from symdiff.functions import leaky_relu, relu, sigmoid, softplus, softsign
from symdiff.testing.profiles import profile_settings
from symdiff.testing.strategies import expression_dags
from symdiff.verifier import onehot, simplex, verify, verify_identity

x, y, z, a, c = sp.symbols("x y z a c", real=True)
x1, x2, x3, a1, a2, a3, yy = sp.symbols("x1 x2 x3 a1 a2 a3 y", real=True)
B = 3
HOLDS = {"proved", "consistent"}

with open(os.path.join(os.path.dirname(__file__), "..", "..", "examples", "lecture07_smape.prog")) as fh:
    SMAPE = fh.read()

P = x1 * a1 + x2 * a2 + x3 * a3
SMAPE_EXPR = sp.Abs(P - yy) / (sp.Abs(P) + sp.Abs(yy))
DEDP = sp.sign(P - yy) / (sp.Abs(P) + sp.Abs(yy)) - sp.sign(P) * sp.Abs(P - yy) / (sp.Abs(P) + sp.Abs(yy)) ** 2
SIN_XY = sp.sin(x + y) / (x * y)
SIN_XY_DX = sp.cos(x + y) / (x * y) - y * sp.sin(x + y) / (x * y) ** 2   # the lecture's closed form


def softargmax(v):
    s = sum(sp.exp(e) for e in v)
    return [sp.exp(e) / s for e in v]


def lse(v):
    return sp.log(sum(sp.exp(e) for e in v))


# (id, f, wrt, wrong claim, where)
WRONG = [
    ("sign flip", x ** 2, x, -2 * x, ()),
    ("sign flip sin", sp.cos(x), x, sp.sin(x), ()),
    ("missing chain factor", sp.sin(x ** 2), x, sp.cos(x ** 2), ()),
    ("missing factor 2", sp.exp(2 * x), x, sp.exp(2 * x), ()),
    ("off-by-one exponent up", x ** 3, x, 3 * x ** 3, ()),
    ("off-by-one exponent down", x ** 3, x, 3 * x, ()),
    ("power rule without the factor", x ** 5, x, x ** 4, ()),
    ("product rule half", x * sp.sin(x), x, x * sp.cos(x), ()),
    ("quotient rule sign", sp.sin(x) / x, x, (x * sp.cos(x) + sp.sin(x)) / x ** 2, ()),
    ("log of a square", sp.log(x ** 2), x, 1 / x, ()),
    ("abs agrees only for x > 0", sp.Abs(x), x, sp.Integer(1), ()),
    ("sqrt(x^2) agrees only for x > 0", sp.sqrt(x ** 2), x, sp.Integer(1), ()),
    ("x|x| agrees only for x > 0", x * sp.Abs(x), x, 2 * x, ()),
    ("relu derivative 1 everywhere", relu(x), x, sp.Integer(1), ()),
    ("max(x, 0) derivative 1 everywhere", sp.Max(x, 0), x, sp.Integer(1), ()),
    ("leaky relu slope swapped", leaky_relu(x, sp.Rational(1, 10)), x,
     sp.Piecewise((1, x < 0), (sp.Rational(1, 10), True)), ()),
    ("relative 1e-7", x ** 2, x, 2 * x * (1 + sp.Rational(1, 10 ** 7)), ()),
    ("relative 1e-7 float", sp.exp(x), x, sp.exp(x) * sp.Float("1.0000001"), ()),
    ("relative 1e-13", sp.sin(x), x, sp.cos(x) * (1 + sp.Rational(1, 10 ** 13)), ()),
    ("additive 1e-10", x ** 2, x, 2 * x + sp.Rational(1, 10 ** 10), ()),
    ("wrong only for x < -1", x ** 2, x, sp.Piecewise((2 * x, x > -1), (0, True)), ()),
    ("wrong only for x > 20", x ** 2, x, sp.Piecewise((2 * x, x < 20), (2 * x + 1, True)), ()),
    ("zero on every short decimal", x ** 2, x, 2 * x + sp.sin(1000 * sp.pi * x) / 10, ()),
    ("wrong only for |x| < 0.005", x ** 2, x, sp.Piecewise((0, sp.Abs(x) < sp.Rational(1, 200)), (2 * x, True)), ()),
    ("wrong only beyond x = 1000", x ** 2, x, 2 * x + sp.Heaviside(x - 1000), ()),
    ("wrong only on 0.3 < x < 0.3001", x ** 2, x,
     2 * x + sp.Piecewise((1, sp.And(x > sp.Rational(3, 10), x < sp.Rational(3001, 10000))), (0, True)), ()),
    ("sigmoid with a plus", sigmoid(x), x, sigmoid(x) * (1 + sigmoid(x)), ()),
    ("tanh with a plus", sp.tanh(x), x, 1 + sp.tanh(x) ** 2, ()),
    ("softplus mirrored", softplus(x), x, sigmoid(-x), ()),
    ("softsign without the square", softsign(x), x, 1 / (1 + sp.Abs(x)), ()),
    ("lecture dF/dx with (xy) not squared", SIN_XY, x, sp.cos(x + y) / (x * y) - y * sp.sin(x + y) / (x * y), ()),
    ("lecture dF/dx with x and y swapped", SIN_XY, x, SIN_XY_DX.subs({x: y, y: x}, simultaneous=True), ()),
    ("wrong on the domain x > 0 as well", sp.log(x), x, 1 / x ** 2, (x > 0,)),
    ("wrong inside 0 < t < 1", sp.log(1 - x), x, 1 / (1 - x), (x > 0, x < 1)),
    ("wrong off a condition", x * y, x, y ** 2, (sp.Ne(y, 0),)),
]


@pytest.mark.parametrize("name, f, wrt, claim, where", WRONG, ids=[w[0] for w in WRONG])
def test_wrong_claims_are_refuted(name, f, wrt, claim, where):
    r = verify(f, wrt, claim, where=where, budget=B)
    assert r.status == "refuted", r.explanation
    # the counterexample is real: at that point sympy.diff and the claim differ
    ce = r.counterexample
    point = {sp.Symbol(n, real=True): sp.Rational(v) for n, v in ce["point"].items()}
    assert float(sp.N(sp.diff(f, wrt).subs(point), 30)) == pytest.approx(ce["actual"], rel=1e-9, abs=1e-300)
    assert float(sp.N(claim.subs(point), 30)) == pytest.approx(ce["claimed"], rel=1e-9, abs=1e-300)
    assert ce["claimed"] != ce["actual"]

WRONG_MULTI = [
    ("smape gradient, one sign", SMAPE, ["a1", "a2", "a3"], [x1 * DEDP, x2 * DEDP, -x3 * DEDP], ()),
    ("smape dE/dP in intermediates, wrong sign", SMAPE, "P", "sign(D)*I + sign(P)*N/S**2", ()),
    ("smape dE/dP, N squared", SMAPE, "P", "sign(D)*I - sign(P)*N**2/S**2", ()),
    ("gradient entries swapped", x ** 2 * y, [x, y], [x ** 2, 2 * x * y], ()),
    ("Jacobian transposed", [x * y ** 2, x + y], [x, y], [[y ** 2, 1], [2 * x * y, 1]], ()),
    ("soft-arg-max gradient permuted", lse([x, y, z]), [x, y, z], softargmax([y, x, z]), ()),
    ("cross-entropy without sum(y) = 1", -sum(t * sp.log(s) for t, s in zip([a1, a2, a3], softargmax([x, y, z]))),
     [x, y, z], [s - t for s, t in zip(softargmax([x, y, z]), [a1, a2, a3])], ()),
]


@pytest.mark.parametrize("name, f, wrt, claim, where", WRONG_MULTI, ids=[w[0] for w in WRONG_MULTI])
def test_wrong_vector_claims_are_refuted(name, f, wrt, claim, where):
    r = verify(f, wrt, claim, where=where, budget=B)
    assert r.status == "refuted", r.explanation
    assert "entry" in r.counterexample or "component" in r.counterexample or isinstance(wrt, str)


WRONG_IDENTITIES = [
    ("log-sum-exp at (a, a, a) is a + log 3", lse([a, a, a]), a),
    ("soft-arg-max is not shift-equivariant", softargmax([x + c, y + c]), [e + c for e in softargmax([x, y])]),
    ("tanh is not 2 sigmoid(x) - 1", sp.tanh(x), 2 * sigmoid(x) - 1),
    ("sqrt(x^2) is not x", sp.sqrt(x ** 2), x),
    ("exp(x + y) is not exp x + exp y", sp.exp(x + y), sp.exp(x) + sp.exp(y)),
    ("off by 1e-12", sp.exp(x) * sp.exp(-x), 1 + sp.Rational(1, 10 ** 12)),
]


@pytest.mark.parametrize("name, lhs, rhs", WRONG_IDENTITIES, ids=[w[0] for w in WRONG_IDENTITIES])
def test_wrong_identities_are_refuted(name, lhs, rhs):
    r = verify_identity(lhs, rhs, budget=B)
    assert r.status == "refuted", r.explanation


def test_a_side_complex_where_the_other_is_real_is_a_counterexample():
    # log|xy| = log x + log y fails where x or y is negative: the right-hand side is complex there
    r = verify_identity(sp.log(sp.Abs(x * y)), sp.log(x) + sp.log(y), budget=B)
    assert r.status == "refuted" and min(r.counterexample["point"].values()) < 0
    r = verify_identity(sp.log(sp.Abs(x * y)), sp.log(x) + sp.log(y), where=[x > 0, y > 0], budget=B)
    assert r.status in HOLDS


# (id, f, wrt, right claim written unlike the reference, where)
RIGHT = [
    ("tanh' as 1/cosh^2", sp.tanh(x), x, 1 / sp.cosh(x) ** 2, ()),
    ("tanh' as 4/(e^x + e^-x)^2", sp.tanh(x), x, 4 / (sp.exp(x) + sp.exp(-x)) ** 2, ()),
    ("sigmoid' as s(1-s)", sp.exp(x) / (1 + sp.exp(x)), x, sigmoid(x) * (1 - sigmoid(x)), ()),
    ("sigmoid' as e^-x/(1+e^-x)^2", sigmoid(x), x, sp.exp(-x) / (1 + sp.exp(-x)) ** 2, ()),
    ("softplus' as 1/(1+e^-x)", softplus(x), x, 1 / (1 + sp.exp(-x)), ()),
    ("softsign' with the abs", softsign(x), x, 1 / (1 + sp.Abs(x)) ** 2, ()),
    ("lecture sin(x+y)/(xy)", SIN_XY, x, SIN_XY_DX, ()),
    ("|x|' = x/|x| on x != 0", sp.Abs(x), x, x / sp.Abs(x), (sp.Ne(x, 0),)),
    ("|x|' = sign(x)", sp.Abs(x), x, sp.sign(x), ()),
    ("relu' as a Piecewise", relu(x), x, sp.Piecewise((0, x < 0), (1, True)), ()),
    ("max(x, 0)' as Heaviside", sp.Max(x, 0), x, sp.Heaviside(x), ()),
    ("log(x^2)' = 2/x", sp.log(x ** 2), x, 2 / x, ()),
    ("x^x", x ** x, x, sp.exp(x * sp.log(x)) * (sp.log(x) + 1), (x > 0,)),
    ("atan' through tan", sp.atan(x), x, sp.cos(sp.atan(x)) ** 2, ()),
    ("sqrt(x^2)' = 1 on x > 0", sp.sqrt(x ** 2), x, sp.Integer(1), (x > 0,)),
    ("decimal 0.5", x ** 2 / 4, x, sp.Float(0.5) * x, ()),
]


@pytest.mark.parametrize("name, f, wrt, claim, where", RIGHT, ids=[r[0] for r in RIGHT])
def test_right_claims_hold(name, f, wrt, claim, where):
    r = verify(f, wrt, claim, where=where, budget=B)
    assert r.status in HOLDS, r.explanation


def test_right_vector_claims_hold():
    assert verify(SMAPE, ["a1", "a2", "a3"], [x1 * DEDP, x2 * DEDP, x3 * DEDP], budget=B).status in HOLDS
    assert verify(SMAPE_EXPR, [a1, a2, a3], [x1 * DEDP, x2 * DEDP, x3 * DEDP], budget=B).status in HOLDS
    assert verify(sp.Max(x, y), [x, y], [sp.Heaviside(x - y), sp.Heaviside(y - x)], budget=B).status in HOLDS
    ys = sp.symbols("q1:4", real=True)
    L = -sum(t * sp.log(s) for t, s in zip(ys, softargmax([x, y, z])))
    claim = [s - t for s, t in zip(softargmax([x, y, z]), ys)]
    assert verify(L, [x, y, z], claim, where=[onehot(list(ys))], budget=B).status in HOLDS
    assert verify(L, [x, y, z], claim, where=[simplex(list(ys))], budget=B).status in HOLDS


# ---------------------------------------------------------------------------
# Random functions: sympy.diff is right, a perturbed sympy.diff is wrong
# ---------------------------------------------------------------------------

BOX = (-2, 2)  # the strategies keep expressions valid on this box by default
BOX_WHERE = [x > -2, x < 2, y > -2, y < 2]


@profile_settings(6 / 30, minimum=6, deadline=None)
@given(expression_dags([x, y], max_nodes=6))
def test_random_functions_right_claims_hold(f):
    r = verify(f, [x, y], [sp.diff(f, x), sp.diff(f, y)], where=BOX_WHERE, budget=2)
    assert r.status in HOLDS | {"undetermined"}, r.explanation
    assert r.status != "undetermined" or "time budget" in r.explanation


@profile_settings(20 / 30, minimum=20, deadline=None)
@given(expression_dags([x, y], max_nodes=6), st.sampled_from(["scale", "shift", "add"]))
def test_random_functions_wrong_claims_are_refuted(f, how):
    dx, dy = sp.diff(f, x), sp.diff(f, y)
    if how == "scale":
        claim = [dx + (dx ** 2 + 1) / 10 ** 9, dy]   # off by at least 1e-9 everywhere
    elif how == "shift":
        claim = [dx, dy + x / 1000]
    else:
        claim = [dx + x ** 2 / 7, dy]
    r = verify(f, [x, y], claim, where=BOX_WHERE, budget=2)
    assert r.status == "refuted", r.explanation
