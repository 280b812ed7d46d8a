"""Every op of symdiff.tape against central finite differences, on random shapes and values.

Hypothesis draws shapes and a seed; values come from a seeded generator inside
each op's domain, away from kinks (|x| at 0, ties of max/sort) where finite
differences would measure a one-sided slope.  The witness is always
symdiff.check.numeric_grad / gradcheck (finite differences, no tape involved).
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import symdiff.tape as tp
from symdiff.testing.profiles import profile_settings
from symdiff.check import gradcheck, numeric_grad
from symdiff.errors import EvaluationError, ShapeError, SymdiffError

# 25 examples in CI; --hypothesis-profile=thorough runs many more
FAST = profile_settings(25 / 30, minimum=25, deadline=None)
SEEDS = st.integers(0, 2**32 - 1)
SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)
NONEMPTY_SHAPES = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)


def assert_gradients_match(fn, args, argnums=None):
    report = gradcheck(fn, args, argnums=argnums)
    report.raise_if_failed()


def away_from_zero(rng, shape, low=0.2, high=2.0):
    return rng.uniform(low, high, shape) * rng.choice([-1.0, 1.0], shape)


def distinct(rng, shape):
    """Values at least 0.5 apart, so no tie is within a finite-difference step."""
    n = int(np.prod(shape))
    return (rng.permutation(n) * 0.5 + rng.uniform(-0.1, 0.1)).reshape(shape) - n / 4


UNARY = {
    "exp": (tp.exp, lambda rng, s: rng.uniform(-2, 2, s)),
    "log": (tp.log, lambda rng, s: rng.uniform(0.2, 3, s)),
    "sqrt": (tp.sqrt, lambda rng, s: rng.uniform(0.2, 3, s)),
    "sin": (tp.sin, lambda rng, s: rng.uniform(-3, 3, s)),
    "cos": (tp.cos, lambda rng, s: rng.uniform(-3, 3, s)),
    "tan": (tp.tan, lambda rng, s: rng.uniform(-1.2, 1.2, s)),
    "sinh": (tp.sinh, lambda rng, s: rng.uniform(-2, 2, s)),
    "cosh": (tp.cosh, lambda rng, s: rng.uniform(-2, 2, s)),
    "tanh": (tp.tanh, lambda rng, s: rng.uniform(-2, 2, s)),
    "arcsin": (tp.arcsin, lambda rng, s: rng.uniform(-0.8, 0.8, s)),
    "arccos": (tp.arccos, lambda rng, s: rng.uniform(-0.8, 0.8, s)),
    "arctan": (tp.arctan, lambda rng, s: rng.uniform(-3, 3, s)),
    "abs": (tp.abs, away_from_zero),
    "sign": (tp.sign, away_from_zero),
    "sigmoid": (tp.sigmoid, lambda rng, s: rng.uniform(-4, 4, s)),
    "softplus": (tp.softplus, lambda rng, s: rng.uniform(-4, 4, s)),
    "softsign": (tp.softsign, away_from_zero),
    "relu": (tp.relu, away_from_zero),
    "leaky_relu": (lambda x: tp.leaky_relu(x, 0.2), away_from_zero),
    "negative": (lambda x: -x, lambda rng, s: rng.uniform(-2, 2, s)),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@FAST
@given(shape=SHAPES, seed=SEEDS)
def test_elementwise_function_matches_finite_differences(name, shape, seed):
    fn, sample = UNARY[name]
    assert_gradients_match(fn, [sample(np.random.default_rng(seed), shape)])


BINARY = {
    "add": (lambda x, y: x + y, lambda rng, s: rng.uniform(-2, 2, s)),
    "subtract": (lambda x, y: x - y, lambda rng, s: rng.uniform(-2, 2, s)),
    "multiply": (lambda x, y: x * y, lambda rng, s: rng.uniform(-2, 2, s)),
    "divide": (lambda x, y: x / y, away_from_zero),
    "power": (lambda x, y: x ** y, lambda rng, s: rng.uniform(0.3, 2, s)),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@FAST
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3),
       seed=SEEDS)
def test_broadcasting_binary_op_reduces_gradients_to_input_shapes(name, shapes, seed):
    fn, sample = BINARY[name]
    rng = np.random.default_rng(seed)
    x, y = (sample(rng, s) for s in shapes.input_shapes)
    assert_gradients_match(lambda a, b: tp.sin(fn(a, b)), [x, y])


@FAST
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3),
       seed=SEEDS)
def test_constants_mix_with_tensors_on_either_side(shapes, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.5, 2, shapes.input_shapes[0])
    c = rng.uniform(0.5, 2, shapes.input_shapes[1])
    assert_gradients_match(lambda a: c * a + a / c - c ** a + a ** c + 2.0 / a - 1, [x])


def axes_of(draw_shape, data):
    """None, one axis or a tuple of distinct axes of an array of that shape."""
    ndim = len(draw_shape)
    if ndim == 0:
        return None
    return data.draw(st.one_of(st.none(), st.integers(-ndim, ndim - 1),
                               st.lists(st.integers(0, ndim - 1), min_size=1,
                                        unique=True).map(tuple)))


@pytest.mark.parametrize("reduction", ["sum", "mean", "max", "logsumexp"])
@FAST
@given(shape=SHAPES, seed=SEEDS, keepdims=st.booleans(), data=st.data())
def test_reductions_match_finite_differences(reduction, shape, seed, keepdims, data):
    axis = axes_of(shape, data)
    x = distinct(np.random.default_rng(seed), shape)
    fn = getattr(tp, reduction)
    assert_gradients_match(lambda a: tp.sin(fn(a, axis=axis, keepdims=keepdims)), [x])


@pytest.mark.parametrize("ties", ["first", "average", "all"])
@FAST
@given(shape=NONEMPTY_SHAPES, seed=SEEDS, data=st.data())
def test_max_without_ties_is_differentiable_under_every_tie_policy(ties, shape, seed, data):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = distinct(np.random.default_rng(seed), shape)
    assert_gradients_match(lambda a: tp.max(a, axis=axis, ties=ties), [x])


@FAST
@given(shape=NONEMPTY_SHAPES, seed=SEEDS, data=st.data())
def test_softmax_matches_finite_differences(shape, seed, data):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = np.random.default_rng(seed).uniform(-3, 3, shape)
    assert_gradients_match(lambda a: tp.softmax(a, axis=axis), [x])


def test_softmax_and_logsumexp_do_not_overflow():
    x = np.array([1000.0, 1001.0, 999.0])
    assert np.allclose(tp.softmax(x), np.exp(x - 1001) / np.exp(x - 1001).sum())
    assert np.isclose(tp.logsumexp(x), 1001 + np.log(np.exp(x - 1001).sum()))
    assert_gradients_match(lambda a: tp.logsumexp(a * 1.0), [x])


@FAST
@given(shape=SHAPES, seed=SEEDS, data=st.data())
def test_reshape_and_transpose_match_finite_differences(shape, seed, data):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, shape)
    axes = tuple(rng.permutation(len(shape)))
    target = data.draw(st.sampled_from([(-1,), (x.size, 1), (1, x.size)]))
    weights = rng.standard_normal(x.size)
    assert_gradients_match(lambda a: tp.transpose(a, axes), [x])
    assert_gradients_match(lambda a: tp.reshape(a, target), [x])
    assert_gradients_match(lambda a: tp.sum(a.reshape(-1) * weights) + tp.sum(a.T), [x])


@FAST
@given(shape=NONEMPTY_SHAPES, seed=SEEDS)
def test_indexing_with_slices_and_repeated_fancy_indices(shape, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, shape)
    repeated = rng.integers(0, shape[0], size=5)          # repeats must sum their adjoints
    assert_gradients_match(lambda a: a[repeated], [x])
    assert_gradients_match(lambda a: a[::-1][..., :2], [x])
    assert_gradients_match(lambda a: a[0], [x])
    if len(shape) > 1:
        columns = rng.integers(0, shape[1], 5)
        assert_gradients_match(lambda a: a[repeated, columns], [x])


@FAST
@given(shape=NONEMPTY_SHAPES, seed=SEEDS, data=st.data())
def test_take_along_an_axis_and_flat(shape, seed, data):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, shape)
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    indices = rng.integers(0, shape[axis], size=(2, 3))
    assert_gradients_match(lambda a: tp.take(a, indices, axis=axis), [x])
    flat_indices = rng.integers(0, x.size, 4)
    assert_gradients_match(lambda a: tp.take(a, flat_indices), [x])


@FAST
@given(shape=NONEMPTY_SHAPES, seed=SEEDS, data=st.data())
def test_permute_and_sort_match_finite_differences(shape, seed, data):
    rng = np.random.default_rng(seed)
    x = distinct(rng, shape)
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    perm = rng.permutation(shape[axis])
    assert_gradients_match(lambda a: tp.permute(a, perm, axis=axis), [x])
    assert_gradients_match(lambda a: tp.sort(a, axis=axis), [x])


MATMUL_SHAPES = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)),
                 ((2, 2, 3), (3, 4)), ((3,), (2, 3, 4)), ((2, 2, 3), (3, 2)),
                 ((2, 1, 2, 3), (3, 3, 1))]


@pytest.mark.parametrize("shapes", MATMUL_SHAPES, ids=str)
def test_matmul_in_every_numpy_form(shapes):
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal(s) for s in shapes)
    assert_gradients_match(lambda p, q: p @ q, [a, b])
    assert_gradients_match(lambda p, q: tp.matmul(p, q), [a, b])


EINSUM_CASES = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("i,i->", [(4,), (4,)]),
    ("i,j->ij", [(3,), (2,)]),
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 2)]),
    ("ii->", [(3, 3)]),
    ("ii->i", [(3, 3)]),
    ("ij->", [(2, 3)]),
    ("ij,k->k", [(2, 3), (4,)]),           # a label only the first operand carries
    ("...j,j->...", [(2, 3, 4), (4,)]),
    ("ij,ij->i", [(3, 1), (3, 4)]),        # a length-1 axis broadcast inside einsum
    ("ij,jk,kl->il", [(2, 3), (3, 2), (2, 2)]),
]


@pytest.mark.parametrize("subscripts,shapes", EINSUM_CASES, ids=[c[0] for c in EINSUM_CASES])
def test_einsum_every_operand(subscripts, shapes):
    rng = np.random.default_rng(1)
    operands = [rng.standard_normal(s) for s in shapes]
    assert np.allclose(tp.einsum(subscripts, *operands), np.einsum(subscripts, *operands))
    assert_gradients_match(lambda *xs: tp.einsum(subscripts, *xs), operands)


def well_conditioned(rng, n, batch=()):
    """U·diag(s)·V with random orthogonal U, V and singular values s in [1, 3]."""
    u, _ = np.linalg.qr(rng.standard_normal(batch + (n, n)))
    v, _ = np.linalg.qr(rng.standard_normal(batch + (n, n)))
    return u * rng.uniform(1, 3, batch + (1, n)) @ v


def spd(rng, n):
    m = rng.standard_normal((n, n))
    return m @ m.T + n * np.eye(n)


@FAST
@given(n=st.integers(1, 4), seed=SEEDS, batched=st.booleans())
def test_inverse_determinant_and_logdet(n, seed, batched):
    rng = np.random.default_rng(seed)
    a = well_conditioned(rng, n, (2,) if batched else ())
    assert_gradients_match(tp.inv, [a])
    assert_gradients_match(tp.det, [a])
    assert_gradients_match(tp.logdet, [spd(rng, n)])


@FAST
@given(n=st.integers(1, 4), k=st.integers(1, 3), seed=SEEDS)
def test_solve_with_vector_and_matrix_right_hand_sides(n, k, seed):
    rng = np.random.default_rng(seed)
    a = well_conditioned(rng, n)
    assert_gradients_match(tp.solve, [a, rng.standard_normal(n)])
    assert_gradients_match(tp.solve, [a, rng.standard_normal((n, k))])


def symmetric_directional_derivative(fn, a, direction, h=1e-5):
    return (fn(a + h * direction) - fn(a - h * direction)) / (2 * h)


@FAST
@given(n=st.integers(1, 5), seed=SEEDS)
def test_cholesky_adjoint_against_symmetric_perturbations(n, seed):
    # L(A) is only defined on symmetric A, so compare ⟨Ā, E⟩ with the finite
    # difference along symmetric directions E (Murray 2016).
    rng = np.random.default_rng(seed)
    a = spd(rng, n)
    weights = np.tril(rng.standard_normal((n, n)))

    def loss(m):
        return np.sum(np.linalg.cholesky(m) * weights)

    gradient = tp.grad(lambda m: tp.sum(tp.cholesky(m) * weights))(a)
    assert np.allclose(gradient, gradient.T)
    for _ in range(3):
        e = rng.standard_normal((n, n))
        e = e + e.T
        expected = symmetric_directional_derivative(loss, a, e)
        assert np.isclose(np.sum(gradient * e), expected, rtol=1e-6, atol=1e-8)


def test_dropout_gradient_uses_the_same_mask_and_inverted_scaling():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((4, 5))
    weights = rng.standard_normal(x.shape)

    def loss(a):   # a fresh generator with one seed: every evaluation draws the same mask
        return tp.sum(tp.dropout(a, 0.3, rng=np.random.default_rng(11)) * weights)

    assert_gradients_match(loss, [x])
    dropped = tp.dropout(np.ones((200, 200)), 0.3, rng=np.random.default_rng(0))
    survivors = dropped[dropped != 0]
    assert np.allclose(survivors, 1 / 0.7)
    assert abs(dropped.mean() - 1) < 0.02          # inverted scaling keeps the mean
    assert tp.dropout(x, 0.3, train=False) is x    # eval mode: the identity
    with pytest.raises(SymdiffError):
        tp.dropout(x, 0.3)                         # train mode needs a seeded generator
    with pytest.raises(SymdiffError):
        tp.dropout(x, 1.0, rng=rng)


def test_float32_stays_float32():
    x = np.linspace(0.1, 1, 6, dtype=np.float32).reshape(2, 3)
    value, gradient = tp.value_and_grad(lambda a: tp.sum(tp.exp(a) * 2.0 + a ** 2))(x)
    assert value.dtype == np.float32 and gradient.dtype == np.float32
    assert np.allclose(gradient, np.exp(x) * 2 + 2 * x, rtol=1e-6)


def test_argnums_tuple_and_untouched_other_arguments():
    rng = np.random.default_rng(0)
    a, b, c = rng.standard_normal((3, 4))
    gradients = tp.grad(lambda p, q, r: tp.sum(p * q * r), argnums=(0, 2))(a, b, c)
    expected = numeric_grad(lambda p, q, r: np.sum(p * q * r), [a, b, c], argnums=(0, 2))
    assert len(gradients) == 2
    for got, want in zip(gradients, expected):
        assert np.allclose(got, want, atol=1e-8)


def test_function_independent_of_an_argument_has_zero_gradient():
    assert np.array_equal(tp.grad(lambda x, y: tp.sum(y * 2.0), argnums=0)(np.ones(3),
                                                                          np.ones(2)),
                          np.zeros(3))


def test_a_graph_of_a_hundred_thousand_nodes():
    steps, factor = 100_000, 1 + 1e-5

    def chain(x):
        for _ in range(steps):
            x = x * factor
        return tp.sum(x)

    gradient = tp.grad(chain)(np.array([1.0, 2.0]))
    assert np.allclose(gradient, factor ** steps)


def test_integer_arguments_are_refused_with_a_reason():
    with pytest.raises(tp.NotDifferentiableError, match="no derivative"):
        tp.grad(lambda x: tp.sum(x))(np.arange(3))
    with pytest.raises(SymdiffError):
        tp.Tensor(np.arange(3))


def test_argmax_has_no_gradient_and_says_why():
    x = np.array([0.3, 2.0, 1.0])
    assert tp.argmax(tp.Tensor(x)) == 1
    with pytest.raises(tp.NotDifferentiableError, match="piecewise constant"):
        tp.grad(lambda a: tp.argmax(a))(x)
    # Indexing with the arg-max is differentiable with respect to the values read.
    assert np.array_equal(tp.grad(lambda a: a[tp.argmax(a)])(x), [0.0, 1.0, 0.0])


def test_comparisons_return_plain_boolean_arrays():
    t = tp.Tensor(np.array([1.0, -2.0]))
    mask = t > 0
    assert type(mask) is np.ndarray and mask.dtype == bool and mask.tolist() == [True, False]


def test_shape_errors_name_the_op_and_both_shapes():
    with pytest.raises(ShapeError, match=r"matmul.*\(2, 3\).*\(4, 5\)"):
        tp.grad(lambda a: tp.sum(a @ np.ones((4, 5))))(np.ones((2, 3)))
    with pytest.raises(ShapeError, match=r"add.*\(2, 3\).*\(4,\)"):
        tp.grad(lambda a: tp.sum(a + np.ones(4)))(np.ones((2, 3)))
    with pytest.raises(ShapeError, match="einsum"):
        tp.einsum("ij,jk->ik", np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(ShapeError, match="square"):
        tp.inv(np.ones((2, 3)))


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")   # 1/sqrt(0), on purpose
def test_nan_in_the_backward_pass_names_the_op():
    # sqrt is finite at 0 but its derivative 1/(2·sqrt(0)) is not.
    with pytest.raises(EvaluationError, match="'sqrt'"):
        tp.grad(lambda a: tp.sum(tp.sqrt(a) * 3.0))(np.array([1.0, 0.0]))
    finite = tp.grad(lambda a: tp.sum(tp.sqrt(a)), check_finite=False)(np.array([1.0, 0.0]))
    assert np.isinf(finite[1])


def test_singular_and_indefinite_matrices_raise_evaluation_errors():
    with pytest.raises(EvaluationError, match="singular"):
        tp.inv(np.array([[1.0, 2.0], [2.0, 4.0]]))
    with pytest.raises(EvaluationError, match="numerically singular"):
        tp.inv(np.diag([1e-8, 1e8]))    # invertible on paper, condition number 1e16
    with pytest.raises(EvaluationError, match="positive definite"):
        tp.cholesky(np.array([[1.0, 2.0], [2.0, 1.0]]))
    with pytest.raises(EvaluationError, match="positive determinant"):
        tp.logdet(np.array([[0.0, 1.0], [1.0, 0.0]]))


def test_bad_options_are_refused():
    with pytest.raises(SymdiffError, match="ties"):
        tp.max(np.ones(3), ties="random")
    with pytest.raises(SymdiffError, match="permutation"):
        tp.permute(np.ones(3), [0, 0, 1])
