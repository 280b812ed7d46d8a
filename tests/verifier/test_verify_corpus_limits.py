"""Adversarial corpus, part 2: matrix claims, and inputs that attack the budget and the memory.

Matrix cases: d/dX of traces, quadratic forms and log-determinants, with and
without structure markers, each with the verdict worked out by hand.  Limit
cases: integer towers, huge exponents, long flat sums, deep nesting, long
programs, odd budgets -- each must end within budget + 1 s (measured here)
with a verdict or a ``SymdiffError``, never a raw exception.
"""
from __future__ import annotations

import math
import time

import pytest
import sympy as sp

from symdiff import SymdiffError, verify, verify_identity
from symdiff.verifier import invertible, spd, symmetric

n = sp.Symbol("n", integer=True, positive=True)
A = sp.MatrixSymbol("A", n, n)
X = sp.MatrixSymbol("X", n, n)
v = sp.MatrixSymbol("v", n, 1)
c = sp.Symbol("c", real=True)
x = sp.Symbol("x", real=True)
B = 4

MATRIX = [
    # (id, f, wrt, claim, where, right?)
    ("tr-AX", sp.Trace(A * X), X, A.T, (), True),
    ("tr-AX-no-transpose", sp.Trace(A * X), X, A, (), False),
    ("tr-XX", sp.Trace(X * X), X, 2 * X.T, (), True),
    ("tr-XX-wrong", sp.Trace(X * X), X, 2 * X, (), False),
    ("tr-XX-symmetric", sp.Trace(X * X), X, 2 * X, (symmetric(X),), True),
    ("quad-form", sp.Trace(X * v * v.T), X, v * v.T, (), True),
    ("quad-form-transposed-wrong", sp.Trace(A * X * v * v.T), X, A * v * v.T, (), False),
    ("quad-form-right", sp.Trace(A * X * v * v.T), X, A.T * v * v.T, (), True),
    ("logdet-spd", sp.log(sp.Determinant(X)), X, X.inverse(), (spd(X),), True),
    ("logdet-spd-wrong", sp.log(sp.Determinant(X)), X, 2 * X.inverse(), (spd(X),), False),
    ("tr-inv", sp.Trace(X.inverse()), X, -(X.inverse() * X.inverse()).T, (invertible(X),), True),
    ("tr-inv-sign", sp.Trace(X.inverse()), X, (X.inverse() * X.inverse()).T, (invertible(X),), False),
    ("scaled-by-c", c ** 2 * sp.Trace(A * X), X, c ** 2 * A.T, (), True),
    ("scaled-by-c-wrong", c ** 2 * sp.Trace(A * X), X, c * A.T, (), False),
]


@pytest.mark.parametrize("cid, f, wrt, claim, where, right", MATRIX, ids=[m[0] for m in MATRIX])
def test_matrix_corpus(cid, f, wrt, claim, where, right):
    r = verify(f, wrt, claim, where=list(where), budget=B)
    if right:
        assert r.status in ("proved", "consistent"), r.explanation
    else:
        assert r.status == "refuted", r.explanation


def _tower():
    return verify("x*(((10**1000)**1000)**1000)", "x", "0", budget=1)


def _program(lines: int):
    text = "a0 = x + 1\n" + "\n".join(f"a{i} = sin(a{i - 1}) + x" for i in range(1, lines))
    return text


LIMITS = [
    # (id, call, budget): any verdict or a SymdiffError, within budget + 1 s
    ("tower-string", _tower, 1),
    ("tower-2", lambda: verify("2**(2**(2**(2**10)))*x", "x", "0", budget=1), 1),
    ("huge-exponent", lambda: verify("x**(10**9)", "x", "10**9*x**(10**9 - 1)", budget=2), 2),
    ("huge-literal", lambda: verify("x*" + "9" * 4000, "x", "9" * 4000, budget=2), 2),
    ("flat-sum-5000", lambda: verify("+".join(["x"] * 5000), "x", "5000", budget=5), 5),
    ("flat-product-1200", lambda: verify("*".join(["x"] * 1200), "x", "1200*x**1199", budget=3), 3),
    ("flat-many-vars", lambda: verify("+".join(f"x{i}**2" for i in range(1500)), "x7", "2*x7", budget=2), 2),
    ("deep-parens", lambda: verify("(" * 150 + "x" + ")" * 150, "x", "1", budget=2), 2),
    ("deep-calls", lambda: verify("sin(" * 300 + "x" + ")" * 300, "x", "0", budget=2), 2),
    ("program-3000", lambda: verify(_program(3000), "x", "0", budget=1), 1),
    ("budget-tiny", lambda: verify("x**2", "x", "2*x", budget=0.01), 0.01),
    ("budget-zero", lambda: verify("x**2", "x", "2*x", budget=0), 0),
    ("budget-negative", lambda: verify("x**2", "x", "2*x", budget=-5), 0),
    ("budget-inf", lambda: verify("x**2", "x", "2*x", budget=math.inf), 30),
    ("expand-blowup", lambda: verify_identity("(x + 1)**3000", "(1 + x)**3000 + 0*x", budget=2), 2),
    ("exp-tower", lambda: verify("exp(exp(exp(exp(x))))", "x", "0", budget=2), 2),
]


@pytest.mark.parametrize("cid, call, budget", LIMITS, ids=[l[0] for l in LIMITS])
def test_limits_corpus(cid, call, budget):
    t0 = time.monotonic()
    try:
        call()
    except SymdiffError:
        pass
    assert time.monotonic() - t0 <= max(budget, 0) + 1.5   # (1 s, plus slack for a loaded CI machine)


def test_odd_budgets_are_refused_clearly():
    for bad in (float("nan"), "3", None, True, 1j):
        with pytest.raises(SymdiffError):
            verify("x**2", "x", "2*x", budget=bad)


def test_a_tower_is_refused_before_it_is_built():
    with pytest.raises(SymdiffError, match="too large"):
        _tower()


def test_a_flat_sum_of_thousands_of_terms_parses():
    assert verify("+".join(["x"] * 3000), "x", "3000", budget=B).status == "proved"
    assert verify("+".join(["x"] * 3000), "x", "2999", budget=B).status == "refuted"


def test_running_out_of_memory_is_undetermined(monkeypatch):
    import symdiff.budget as budget
    import symdiff.verifier.core as core
    monkeypatch.setattr(budget, "MEMORY_LIMIT_BYTES", 64 * 2 ** 20)

    def hog(*args, **kwargs):
        return bytearray(1024 * 2 ** 20)   # a symbolic step that would need 1 GB

    with pytest.raises(budget.OutOfMemory):
        budget.run_with_budget(hog, seconds=10)
    monkeypatch.setattr(core, "derivative_problem", hog)
    r = verify("x**2", "x", "2*x", budget=5)
    assert r.status == "undetermined" and "out of memory" in r.explanation
