"""symdiff.check: finite differences against closed forms, and gradcheck's verdicts and messages.

Also the isolation guarantee: the tape and the checker load without SymPy or
the symbolic core, so they can witness symbolic gradients independently.
"""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import symdiff.tape as tp
from symdiff.testing.profiles import profile_settings
from symdiff.check import GradcheckReport, gradcheck, numeric_grad
from symdiff.errors import ShapeError

# 25 examples in CI; --hypothesis-profile=thorough runs many more
FAST = profile_settings(25 / 30, minimum=25, deadline=None)
SEEDS = st.integers(0, 2**32 - 1)


@FAST
@given(seed=SEEDS, n=st.integers(1, 5), richardson=st.booleans())
def test_numeric_grad_matches_a_closed_form(seed, n, richardson):
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(-2, 2, (2, n))
    gx, gy = numeric_grad(lambda a, b: np.sum(np.exp(a) * b ** 2), [x, y], argnums=(0, 1),
                          richardson=richardson)
    assert np.allclose(gx, np.exp(x) * y ** 2, rtol=1e-8, atol=1e-9)
    assert np.allclose(gy, 2 * y * np.exp(x), rtol=1e-8, atol=1e-9)


def test_numeric_grad_of_an_array_function_is_a_vector_jacobian_product():
    x = np.array([0.5, -1.0, 2.0])
    u = np.array([1.0, 2.0, -3.0])
    assert np.allclose(numeric_grad(lambda a: a ** 3, [x], cotangent=u), 3 * x ** 2 * u)
    with pytest.raises(ShapeError, match="cotangent"):
        numeric_grad(lambda a: a ** 3, [x])


def test_the_step_scales_with_the_coordinate():
    # At x = 1e8 a fixed step of ~6e-6 changes log x by 6e-14, below its rounding
    # error (~4e-15 relative to 18): the quotient would be ~10% off.  Scaled to |x|,
    # every coordinate keeps ~8 significant digits.
    x = np.array([0.5, 1.0, 1e4, 1e8])
    gradient = numeric_grad(lambda a: np.sum(np.log(a)), [x])
    assert np.allclose(gradient, 1 / x, rtol=1e-7)


def test_richardson_extrapolation_is_more_accurate_than_central_differences():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, 20)

    def f(a):
        return np.sum(np.exp(np.sin(3 * a)))

    exact = 3 * np.cos(3 * x) * np.exp(np.sin(3 * x))
    central = np.abs(numeric_grad(f, [x]) - exact).max()
    extrapolated = np.abs(numeric_grad(f, [x], richardson=True) - exact).max()
    assert extrapolated < central / 10, (extrapolated, central)


def layer(x, w):
    return tp.sum(tp.tanh(x @ w))   # tape functions: plain arrays in, plain arrays out


def layer_gradients(x, w):
    d = 1 - np.tanh(x @ w) ** 2
    return d @ w.T, x.T @ d


@pytest.fixture
def layer_args():
    rng = np.random.default_rng(5)
    return [rng.standard_normal((2, 3)), rng.standard_normal((3, 4))]


def test_gradcheck_catches_a_wrong_gradient_and_names_argument_and_coordinate(layer_args):
    def wrong(x, w):
        dx, dw = layer_gradients(x, w)
        dw = dw.copy()
        dw[2, 1] += 0.05
        return dx, dw

    report = gradcheck(layer, layer_args, grads=wrong)
    assert isinstance(report, GradcheckReport) and not report.ok
    first, second = report.arguments
    assert first.ok and not second.ok
    assert second.worst_index == (2, 1)
    assert np.isclose(second.analytic_at_worst - second.numeric_at_worst, 0.05, rtol=1e-6)
    text = str(report)
    assert "argument 1 (shape (3, 4), float64), coordinate (2, 1): analytic" in text
    assert "> rtol 1e-05" in text
    with pytest.raises(AssertionError, match=r"coordinate \(2, 1\)"):
        report.raise_if_failed()


def test_gradcheck_passes_a_right_gradient(layer_args):
    by_hand = gradcheck(layer, layer_args, grads=layer_gradients)
    assert by_hand.ok, str(by_hand)
    by_hand.raise_if_failed()
    on_tape = gradcheck(layer, layer_args)      # grads=None: the tape's gradient
    assert on_tape.ok, str(on_tape)
    assert "passed" in str(on_tape)
    assert all(a.max_abs_err < 1e-8 for a in on_tape.arguments)


def test_gradcheck_reports_a_gradient_of_the_wrong_shape(layer_args):
    report = gradcheck(layer, layer_args, grads=lambda x, w: (np.zeros(3), np.zeros((3, 4))),
                       argnums=(0, 1))
    assert not report.ok
    assert "analytic gradient has shape (3,), expected (2, 3)" in str(report)


def test_float32_is_flagged_and_checked_in_float64():
    x = np.linspace(-1, 1, 5, dtype=np.float32)
    report = gradcheck(lambda a: tp.sum(tp.sin(a) * a), [x])
    assert report.ok, str(report)
    assert report.arguments[0].dtype == np.float32
    assert len(report.warnings) == 1
    assert "float32" in report.warnings[0] and "float64" in report.warnings[0]
    assert "warning:" in str(report)
    assert not gradcheck(lambda a: tp.sum(tp.sin(a) * a), [x.astype(np.float64)]).warnings


def test_an_array_valued_function_is_checked_through_a_random_cotangent():
    x = np.array([[0.2, -0.4], [1.1, 0.7]])
    report = gradcheck(lambda a: tp.exp(a) * a, [x])
    assert report.ok, str(report)
    assert "vector-Jacobian product" in str(report)

    def wrong_vjp(a, cotangent):
        return cotangent * np.exp(a)       # forgets the product rule's second term

    assert not gradcheck(lambda a: np.exp(a) * a, [x], grads=wrong_vjp).ok


def test_integer_arguments_are_left_out_by_default():
    x = np.array([1.0, -2.0, 3.0])
    index = np.array([0, 0, 2])
    report = gradcheck(lambda a, i: tp.sum(a[i] ** 2), [x, index])
    assert [a.argnum for a in report.arguments] == [0]
    assert report.ok, str(report)


def test_tape_and_checker_import_without_sympy_or_the_symbolic_core():
    code = ("import sys, symdiff.tape, symdiff.check; "
            "loaded = [m for m in sys.modules if m == 'sympy' or m.startswith('sympy.') "
            "or m.startswith('symdiff.rules')]; "
            "assert not loaded, loaded")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
