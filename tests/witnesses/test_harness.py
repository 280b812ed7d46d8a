"""The witness harness (symdiff/harness.py): finite differences against closed forms, the comparison
relative to scale, and one set of kink rules seen alike by crosscheck and symdiff.testing's checkers."""
import math

import numpy as np
import pytest
import sympy as sp

import symdiff
from symdiff import harness
from symdiff.functions import relu
from symdiff.testing import GradientChecker, UnusablePoint
from symdiff.witnesses import TapeTranslator

x, y = sp.symbols("x y", real=True)


def test_central_difference_of_a_cube_is_the_derivative_plus_h_squared():
    # (f(x+h) - f(x-h)) / 2h = 3x² + h² exactly for f = x³ (h a power of two: no rounding in the step)
    point = np.array([1.5])
    h = 2.0 ** -10
    value = harness.central_difference(lambda: float(point[0] ** 3), point, (0,), h)
    assert value == pytest.approx(3 * 1.5 ** 2 + h ** 2, rel=1e-12)
    assert point[0] == 1.5   # restored


def test_numeric_grad_with_richardson_against_the_derivative():
    args = [np.array([0.3, -1.2, 2.0])]
    grad = harness.numeric_grad(lambda v: np.sum(np.sin(v) * v), args, 0, richardson=True)
    np.testing.assert_allclose(grad, np.sin(args[0]) + args[0] * np.cos(args[0]), rtol=1e-10)


def test_representable_step_is_exact():
    for value in (0.1, 1e8 + 0.3, -7.25):
        h = harness.representable_step(value, 1e-5)
        assert (value + h) - value == h


def test_comparison_relative_to_scale_counts_nan_as_far():
    assert harness.agree([1.0, 1e6], [1.0 + 1e-6, 1e6 + 1.0])                 # 1 in 1e6 is within rtol 1e-5
    assert not harness.agree([1.0, 1e6], [1.0, 1e6 + 100.0])
    assert not harness.agree([math.nan], [1.0])
    # against a reference: the scale is the reference's alone
    assert harness.agree([2.0], [1.0], rtol=0.6, atol=0)
    assert not harness.agree([2.0], [1.0], rtol=0.6, atol=0, relative_to="expected")
    found = harness.mismatch([[1.0, 5.0], [3.0, 4.0]], [[1.0, 5.0], [3.5, 4.0]], argument="A")
    assert (found.coordinate, found.expected, found.actual, found.argument) == ((1, 0), 3.5, 3.0, "A")
    assert found.abs_error == 0.5 and found.rel_error == pytest.approx(0.5 / 3.5)
    assert harness.mismatch(np.ones(3), np.ones(3)) is None


def test_kink_rules():
    assert set(harness.kinked_heads()) >= {sp.Abs, sp.sign, sp.Heaviside, relu}
    zero = harness.kink_of(sp.Abs(x - 1))
    assert zero.kind == "zero" and zero.where([0.0], 1e-8) == f"at {x - 1} = 0" and zero.where([0.1], 1e-8) == ""
    tie = harness.kink_of(sp.Max(x, y, 5))
    assert tie.where([5.0, 1.0, 5.0], 1e-8) == "has tied arguments"
    assert tie.where([1.0, 1.0, 5.0], 1e-8) == ""   # a tie below the max is no kink
    assert harness.kink_of(sp.Piecewise((x ** 2, x < 1), (x, True))).where([0.0], 1e-8) == f"at {x - 1} = 0"
    assert harness.kink_of(sp.exp(x)) is None


def test_the_kinks_are_those_of_the_declarations():
    from symdiff.primitives import DECLARED

    # a primitive declared with kink="zero" / "ties" is a kink for every witness (docs/primitives.md)
    assert set(harness.kinked_heads()) == {h for h, d in DECLARED.items() if d.kink == "zero"}
    assert set(harness.kinked_heads("ties")) == {h for h, d in DECLARED.items() if d.kink == "ties"} >= {sp.Max, sp.Min}
    assert harness.kink_of(sp.Min(x, y)).where([2.0, 2.0], 1e-8) == "has tied arguments"


def test_crosscheck_and_the_checker_share_the_kinks():
    report = symdiff.crosscheck("relu(x) + y", ["x", "y"], points=[{"x": 0.0, "y": 1.0}, {"x": 0.5, "y": 1.0}])
    assert report.ok and len(report.nondifferentiable) == 1 and "relu(x)" in report.nondifferentiable[0]
    checker = GradientChecker(relu(x) + y, [x, y])
    with pytest.raises(UnusablePoint, match="at x = 0"):
        checker.check({x: 0.0, y: 1.0})
    checker.check({x: 0.5, y: 1.0})


def test_crosscheck_skips_a_piecewise_at_its_boundary():
    f = sp.Piecewise((x ** 2, x < 0), (x, True))
    report = symdiff.crosscheck(f, [x], points=[{"x": 0.0}, {"x": 0.5}])
    assert report.ok and len(report.nondifferentiable) == 1
    assert report.nondifferentiable[0].startswith("point 1:") and "at x = 0" in report.nondifferentiable[0]


def test_the_tape_translator_is_the_forward_program_on_the_tape():
    program = symdiff.Program.from_text("t = x * y\nf = sin(t) + t")
    env = TapeTranslator(program.linearized())({program.symbol("x"): 0.5, program.symbol("y"): 3.0})
    assert float(env[program.output]) == pytest.approx(math.sin(1.5) + 1.5, rel=1e-15)
