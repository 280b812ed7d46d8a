"""The lecture's matrix rules, checked on random matrices.

Each test writes the lecture's closed formula directly in NumPy and compares
it with (a) the tape's vector-Jacobian product and (b) central finite
differences of the forward function, so a wrong formula and a wrong tape rule
are both caught.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import symdiff.tape as tp
from symdiff.testing.profiles import profile_settings
from symdiff.check import numeric_grad

# 25 examples in CI; --hypothesis-profile=thorough runs many more
FAST = profile_settings(25 / 30, minimum=25, deadline=None)
SEEDS = st.integers(0, 2**32 - 1)
SIDES = st.integers(1, 5)


def tape_vjp(fn, args, cotangent, argnums):
    return tp.vjp(fn, *args, argnums=argnums)[1](cotangent)


def finite_difference_vjp(fn, args, cotangent, argnums):
    return numeric_grad(lambda *xs: np.asarray(fn(*xs)), args, argnums, cotangent=cotangent)


def assert_rule(fn, args, cotangent, argnums, closed_form):
    """closed_form (the lecture's formula) == tape VJP == finite-difference VJP."""
    by_tape = tape_vjp(fn, args, cotangent, argnums)
    by_differences = finite_difference_vjp(fn, args, cotangent, argnums)
    if isinstance(argnums, int):
        by_tape, by_differences, closed_form = (by_tape,), (by_differences,), (closed_form,)
    for formula, tape, differences in zip(closed_form, by_tape, by_differences, strict=True):
        assert np.allclose(tape, formula, rtol=1e-10, atol=1e-12)
        assert np.allclose(differences, formula, rtol=1e-6, atol=1e-8)


@FAST
@given(m=SIDES, n=SIDES, k=SIDES, seed=SEEDS)
def test_matmul_rule(m, n, k, seed):
    rng = np.random.default_rng(seed)
    a, b, dc = rng.standard_normal((m, n)), rng.standard_normal((n, k)), rng.standard_normal((m, k))
    assert_rule(tp.matmul, [a, b], dc, (0, 1), (dc @ b.T, a.T @ dc))


@FAST
@given(n=SIDES, seed=SEEDS)
def test_inverse_rule(n, seed):
    rng = np.random.default_rng(seed)
    u, _ = np.linalg.qr(rng.standard_normal((n, n)))
    x = u * rng.uniform(1, 3, n) @ u.T + rng.standard_normal((n, n)) * 0.1   # well conditioned
    y = np.linalg.inv(x)
    dy = rng.standard_normal((n, n))
    assert_rule(tp.inv, [x], dy, 0, -y.T @ dy @ y.T)


@FAST
@given(count=st.integers(1, 4), m=SIDES, n=SIDES, seed=SEEDS)
def test_hadamard_product_rule(count, m, n, seed):
    rng = np.random.default_rng(seed)
    factors = [rng.standard_normal((m, n)) for _ in range(count)]
    dy = rng.standard_normal((m, n))

    def product(*xs):
        result = xs[0]
        for x in xs[1:]:
            result = result * x
        return result

    # dX_i = X_1 ∘ … ∘ dY ∘ … ∘ X_n: dY in place of the i-th factor.
    closed = tuple(np.prod([dy if j == i else f for j, f in enumerate(factors)], axis=0)
                   for i in range(count))
    assert_rule(product, factors, dy, tuple(range(count)), closed)


@FAST
@given(m=SIDES, n=SIDES, seed=SEEDS)
def test_transpose_rule(m, n, seed):
    rng = np.random.default_rng(seed)
    x, dy = rng.standard_normal((m, n)), rng.standard_normal((n, m))
    assert_rule(lambda a: a.T, [x], dy, 0, dy.T)
    assert_rule(tp.transpose, [x], dy, 0, dy.T)


@FAST
@given(n=SIDES, seed=SEEDS)
def test_permutation_rule(n, seed):
    # y = P x with P the permutation matrix of π (y_i = x_{π(i)}); dX = π⁻¹ dY = Pᵀ dY.
    rng = np.random.default_rng(seed)
    pi = rng.permutation(n)
    p = np.eye(n)[pi]
    x, dy = rng.standard_normal(n), rng.standard_normal(n)
    assert np.allclose(tp.permute(x, pi), p @ x)
    assert_rule(lambda a: tp.permute(a, pi), [x], dy, 0, p.T @ dy)


@FAST
@given(n=SIDES, seed=SEEDS)
def test_sort_routes_the_adjoint_through_the_permutation(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.permutation(n) + rng.uniform(-0.2, 0.2, n)   # distinct, no tie within a FD step
    dy = rng.standard_normal(n)
    dx = np.empty(n)
    dx[np.argsort(x)] = dy          # the sorted position i came from argsort(x)[i]
    assert_rule(tp.sort, [x], dy, 0, dx)


@FAST
@given(n=SIDES, seed=SEEDS)
def test_soft_arg_max_jacobian(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 3, n)
    y = np.exp(x) / np.exp(x).sum()
    _, pullback = tp.vjp(tp.softmax, x)
    # Row i of the Jacobian is the pullback of the unit cotangent e_i.
    jacobian = np.array([pullback(e) for e in np.eye(n)])
    closed = y[:, None] * (np.eye(n) - y[None, :])       # ∂y_i/∂x_j = y_i(δ_ij − y_j)
    assert np.allclose(jacobian, closed, rtol=1e-10, atol=1e-14)
    differences = np.array([numeric_grad(lambda a: np.exp(a[i]) / np.exp(a).sum(), [x])
                            for i in range(n)])
    assert np.allclose(differences, closed, atol=1e-8)


TIED = np.array([1.0, 3.0, -2.0, 3.0, 0.0, 3.0])


@pytest.mark.parametrize("ties,expected", [
    ("first", [0, 1, 0, 0, 0, 0]),                 # the first maximal index gets dy
    ("average", [0, 1 / 3, 0, 1 / 3, 0, 1 / 3]),   # numeric arg-max: dy shared among the ties
    ("all", [0, 1, 0, 1, 0, 1]),                   # the "mixed" variant: every tie gets dy
])
def test_max_tie_policies(ties, expected):
    dy = 2.5
    assert tp.max(TIED) == 3.0
    gradient = tp.vjp(lambda x: tp.max(x, ties=ties), TIED)[1](np.array(dy))
    assert np.allclose(gradient, dy * np.array(expected))


def test_max_tie_policies_along_an_axis():
    x = np.array([[1.0, 5.0, 5.0], [7.0, 7.0, 7.0], [0.0, -1.0, 2.0]])
    dy = np.array([1.0, 3.0, 2.0])
    pullback = {t: tp.vjp(lambda a: tp.max(a, axis=1, ties=t), x)[1] for t in
                ("first", "average", "all")}
    assert np.allclose(pullback["first"](dy), [[0, 1, 0], [3, 0, 0], [0, 0, 2]])
    assert np.allclose(pullback["average"](dy), [[0, .5, .5], [1, 1, 1], [0, 0, 2]])
    assert np.allclose(pullback["all"](dy), [[0, 1, 1], [3, 3, 3], [0, 0, 2]])


def test_tie_policies_against_the_derivative_along_the_tie():
    # At a tie max is not differentiable, but along the direction that moves all tied
    # entries together it is: d/dt max(x + t·1) = 1.  "first" and "average" predict
    # that slope; "all" (the mixed variant) predicts one per tie — not a gradient.
    x = np.array([2.0, 2.0, 1.0])
    h = 1e-6
    slope = (np.max(x + h) - np.max(x - h)) / (2 * h)
    predicted = {t: tp.grad(lambda a: tp.max(a, ties=t))(x).sum() for t in
                 ("first", "average", "all")}
    assert np.isclose(predicted["first"], slope)
    assert np.isclose(predicted["average"], slope)
    assert np.isclose(predicted["all"], 2 * slope)


# (subscripts, operand shapes, for each operand: the contraction giving its adjoint)
EINSUM_RULES = [
    ("ij,jk->ik", [(3, 4), (4, 2)], ["ik,jk->ij", "ij,ik->jk"]),
    ("i,i->", [(5,), (5,)], [",i->i", "i,->i"]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 3)], ["bik,bjk->bij", "bij,bik->bjk"]),
    ("ij,j->i", [(3, 4), (4,)], ["i,j->ij", "ij,i->j"]),
    ("i,j->ij", [(3,), (4,)], ["ij,j->i", "i,ij->j"]),
]


@pytest.mark.parametrize("subscripts,shapes,adjoint_specs", EINSUM_RULES,
                         ids=[r[0] for r in EINSUM_RULES])
def test_einsum_backward_is_the_contraction_with_the_output_gradient(subscripts, shapes,
                                                                      adjoint_specs):
    rng = np.random.default_rng(4)
    operands = [rng.standard_normal(s) for s in shapes]
    dy = rng.standard_normal(np.shape(np.einsum(subscripts, *operands)))
    # Operand k's adjoint: the same contraction with operand k replaced by dY,
    # contracted onto operand k's indices.
    closed = tuple(np.einsum(spec, *([dy, operands[1]] if k == 0 else [operands[0], dy]))
                   for k, spec in enumerate(adjoint_specs))
    assert_rule(lambda *xs: tp.einsum(subscripts, *xs), operands, dy, (0, 1), closed)
