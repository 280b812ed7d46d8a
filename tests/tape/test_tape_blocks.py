"""User blocks (forward + hand-written backward), their composition, and adjoint summation.

Witnesses: closed-form derivatives written in NumPy, and central finite
differences of the plain forward functions.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import symdiff.tape as tp
from symdiff.testing.profiles import profile_settings
from symdiff.check import numeric_grad
from symdiff.errors import ShapeError, SymdiffError

# 25 examples in CI; --hypothesis-profile=thorough runs many more
FAST = profile_settings(25 / 30, minimum=25, deadline=None)
SEEDS = st.integers(0, 2**32 - 1)


@tp.block
def mul(a, b):
    """The lecture's block, verbatim."""
    def d_mul(dc):
        return (b * dc, a * dc)
    return a * b, d_mul


@tp.block
def normalize(x):
    """x/‖x‖, keeping the norm for its backward (an intermediate the tape never sees)."""
    norm = np.sqrt(np.sum(x * x))
    y = x / norm

    def d_normalize(dy):
        return ((dy - y * np.sum(y * dy)) / norm,)
    return y, d_normalize


@tp.block
def affine(x):
    def d_affine(dy):
        return 3.0 * dy
    return 3.0 * x + 1.0, d_affine


@tp.block
def sine(x):
    return np.sin(x), lambda dy: (np.cos(x) * dy,)


@tp.block
def square_sum(x):
    return np.sum(x * x), lambda dy: (2 * x * dy,)


@tp.block
def polar(r, theta):
    """Two inputs, two outputs: (r cos θ, r sin θ)."""
    def d_polar(dy):
        dx, dy_ = dy
        return (np.cos(theta) * dx + np.sin(theta) * dy_,
                -r * np.sin(theta) * dx + r * np.cos(theta) * dy_)
    return (r * np.cos(theta), r * np.sin(theta)), d_polar


@FAST
@given(seed=SEEDS, n=st.integers(1, 6))
def test_the_lectures_mul_block(seed, n):
    rng = np.random.default_rng(seed)
    a, b, dc = rng.standard_normal((3, n))
    value, backward = mul.forward(a, b)            # the lecture's form: value and closure
    assert np.allclose(value, a * b)
    da, db = backward(dc)
    assert np.allclose(da, b * dc) and np.allclose(db, a * dc)
    gradients = tp.grad(lambda x, y: tp.sum(mul(x, y) * dc), argnums=(0, 1))(a, b)
    assert np.allclose(gradients[0], b * dc) and np.allclose(gradients[1], a * dc)


@FAST
@given(seed=SEEDS, n=st.integers(1, 6))
def test_a_user_block_keeping_intermediates(seed, n):
    rng = np.random.default_rng(seed)
    x, w = rng.standard_normal((2, n)) + 0.5
    gradient = tp.grad(lambda a: tp.sum(tp.sin(normalize(a)) * w))(x)
    expected = numeric_grad(lambda a: np.sum(np.sin(a / np.linalg.norm(a)) * w), [x])
    assert np.allclose(gradient, expected, rtol=1e-6, atol=1e-8)


def test_a_block_with_two_outputs_on_the_tape():
    r, theta = np.array([1.5, 2.0]), np.array([0.3, -1.1])
    loss = lambda a, b: tp.sum(tp.sin(polar(a, b)[0]) + polar(a, b)[1] ** 2)  # noqa: E731
    gradients = tp.grad(loss, argnums=(0, 1))(r, theta)
    x, y = r * np.cos(theta), r * np.sin(theta)
    # d/dr and d/dθ of sin(r cos θ) + (r sin θ)²
    assert np.allclose(gradients[0], np.cos(x) * np.cos(theta) + 2 * y * np.sin(theta))
    assert np.allclose(gradients[1], -np.cos(x) * r * np.sin(theta) + 2 * y * r * np.cos(theta))


@FAST
@given(seed=SEEDS, n=st.integers(1, 5))
def test_sequence_backward_is_the_parts_backwards_in_reverse(seed, n):
    # X → affine → sine → square_sum → Y;  dX ← d_affine ← d_sine ← d_square_sum ← dY
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    chain = tp.sequence(affine, sine, square_sum)
    value, backward = chain.forward(x)
    assert np.isclose(value, np.sum(np.sin(3 * x + 1) ** 2))
    closed = 2 * np.sin(3 * x + 1) * np.cos(3 * x + 1) * 3     # for dY = 1
    (dx,) = backward(np.array(2.0))
    assert np.allclose(dx, 2.0 * closed)
    assert np.allclose(tp.grad(lambda a: chain(a))(x), closed)
    assert np.allclose(numeric_grad(lambda a: np.sum(np.sin(3 * a + 1) ** 2), [x]), closed,
                       atol=1e-7)


@FAST
@given(seed=SEEDS, n=st.integers(1, 5))
def test_parallel_backward_splits_the_adjoints(seed, n):
    # X = (X1, X2, X3) → Y = (mul(X1, X2), sine(X3));  dX = (dX1, dX2, dX3)
    rng = np.random.default_rng(seed)
    x1, x2, x3, dy1, dy2 = rng.standard_normal((5, n))
    side_by_side = tp.parallel(mul, sine)
    assert side_by_side.n_inputs == 3
    (y1, y2), backward = side_by_side.forward(x1, x2, x3)
    assert np.allclose(y1, x1 * x2) and np.allclose(y2, np.sin(x3))
    dx1, dx2, dx3 = backward((dy1, dy2))
    assert np.allclose(dx1, x2 * dy1) and np.allclose(dx2, x1 * dy1)
    assert np.allclose(dx3, np.cos(x3) * dy2)


def test_composites_nest_and_run_on_the_tape():
    # (a, b, θ) → (a·b, sin θ) → polar → (ab cos(sin θ), ab sin(sin θ))
    rng = np.random.default_rng(7)
    a, b, theta = rng.standard_normal((3, 4))
    model = tp.sequence(tp.parallel(mul, sine), polar)

    def plain(p, q, t):
        r, phi = p * q, np.sin(t)
        return np.sum(r * np.cos(phi) + 2 * r * np.sin(phi))

    def on_tape(p, q, t):
        x, y = model(p, q, t)
        return tp.sum(x + 2 * y)

    gradients = tp.grad(on_tape, argnums=(0, 1, 2))(a, b, theta)
    expected = numeric_grad(plain, [a, b, theta], argnums=(0, 1, 2))
    for got, want in zip(gradients, expected, strict=True):
        assert np.allclose(got, want, rtol=1e-6, atol=1e-8)


@FAST
@given(seed=SEEDS, n=st.integers(1, 5))
def test_adjoints_of_a_node_used_several_times_are_summed(seed, n):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, n)
    # x used three times directly: d(x·x + x)/dx = 2x + 1
    assert np.allclose(tp.grad(lambda a: tp.sum(a * a + a))(x), 2 * x + 1)
    # the same Tensor twice into one block: mul(x, x) = x², gradient 2x
    assert np.allclose(tp.grad(lambda a: tp.sum(mul(a, a)))(x), 2 * x)
    # a diamond: y = sin x feeds both y·y and y, so dz/dx = (2y + 1) cos x
    def diamond(a):
        y = tp.sin(a)
        return tp.sum(y * y + y)
    assert np.allclose(tp.grad(diamond)(x), (2 * np.sin(x) + 1) * np.cos(x))


def test_tensor_backward_sets_leaf_gradients():
    x = tp.Tensor(np.array([1.0, 2.0, 3.0]))
    w = tp.Tensor(np.array([0.5, -1.0, 2.0]))
    loss = tp.sum(x * w + x)
    loss.backward()
    assert np.allclose(x.grad, [1.5, 0.0, 3.0]) and np.allclose(w.grad, [1.0, 2.0, 3.0])
    y = x * 2.0
    y.backward(np.array([1.0, 0.0, -1.0]))     # an explicit cotangent for an array output
    assert np.allclose(x.grad, [2.0, 0.0, -2.0])


def test_a_backward_with_the_wrong_shape_is_reported_with_the_block_name():
    @tp.block
    def broken(x):
        return x * 2, lambda dy: (dy[:1],)

    with pytest.raises(ShapeError, match="broken"):
        tp.grad(lambda a: tp.sum(broken(a)))(np.ones(3))


def test_a_backward_with_the_wrong_number_of_adjoints_is_reported():
    @tp.block
    def broken(x, y):
        return x * y, lambda dy: (dy,)

    with pytest.raises(SymdiffError, match="1 adjoints for 2 inputs"):
        tp.grad(lambda a: tp.sum(broken(a, a)))(np.ones(3))


def test_parallel_needs_to_know_each_parts_inputs():
    def total(*xs):
        return sum(xs), lambda dy: tuple(dy for _ in xs)

    with pytest.raises(SymdiffError, match="n_inputs"):
        tp.parallel(tp.block(total), sine)
    pair_sum = tp.block(total, n_inputs=2)
    (y1, y2), backward = tp.parallel(pair_sum, sine).forward(np.ones(2), np.ones(2), np.zeros(2))
    assert np.allclose(y1, 2.0) and np.allclose(y2, 0.0)
    assert [np.allclose(d, 1.0) for d in backward((np.ones(2), np.ones(2)))] == [True] * 3


def test_blocks_on_plain_arrays_are_plain_functions():
    assert np.allclose(mul(np.array([2.0]), np.array([3.0])), [6.0])
