"""check_rule: it passes right rules, fails wrong ones with a message that says what is wrong,
in each of its forms (expression, SymPy VJP rule, tape op, NumPy forward and VJP)."""
import re

import numpy as np
import pytest
import sympy as sp
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

import symdiff
import symdiff.tape as tp
from symdiff.matrix import cholesky, logdet, sum_entries
from symdiff.tape import Op
from symdiff.testing import OpCall, arrays, check_rule, expression_dags
from symdiff.testing.rules import GradientChecker

x, y = sp.symbols("x y", real=True)
n, m = sp.symbols("n m", integer=True, positive=True)


def failure_of(thunk) -> str:
    with pytest.raises(AssertionError) as info:
        thunk()
    return str(info.value)


# --- expression and claimed derivative ---------------------------------------------------

def test_right_tanh_derivative_passes():
    check_rule(sp.tanh(x), x, 1 - sp.tanh(x) ** 2)


def test_wrong_tanh_derivative_fails_naming_argument_input_values_and_error():
    message = failure_of(lambda: check_rule(sp.tanh(x), x, 1 + sp.tanh(x) ** 2))
    assert "claimed derivative disagrees with finite differences" in message
    assert "argument: x" in message
    point = float(re.search(r"input: x = (\S+)", message).group(1))
    expected = float(re.search(r"expected: (\S+)", message).group(1))
    actual = float(re.search(r"actual: +(\S+)", message).group(1))
    # the reported numbers are the true derivative and the claimed one at the reported input
    assert expected == pytest.approx(1 - np.tanh(point) ** 2, rel=1e-6)
    assert actual == pytest.approx(1 + np.tanh(point) ** 2, rel=1e-10)   # printed to 12 digits
    rel = float(re.search(r"relative error: (\S+)", message).group(1))
    assert rel == pytest.approx(abs(actual - expected) / abs(expected), rel=1e-2)


def test_several_variables_and_a_dict_of_derivatives():
    f = sp.sin(x) * sp.exp(y)
    check_rule(f, [x, y], {x: sp.cos(x) * sp.exp(y), y: f})
    message = failure_of(lambda: check_rule(f, [x, y], {x: sp.cos(x) * sp.exp(y), y: 2 * f}))
    assert "argument: y" in message


def test_without_a_derivative_symdiffs_own_gradient_is_checked_by_several_witnesses():
    checker = GradientChecker(sp.sin(x * y) / (1 + x ** 2), [x, y])
    assert {w.name for w in checker.witnesses} == {"symdiff", "tape", "sympy.diff"}
    check_rule(sp.sin(x * y) / (1 + x ** 2), [x, y])


def test_domain_of_log_is_respected():
    check_rule(sp.log(x), x, 1 / x, domain=(0.1, 5.0))
    p = sp.Symbol("p", positive=True)
    check_rule(sp.log(p) * sp.sqrt(p), p, sp.sqrt(p) / p + sp.log(p) / (2 * sp.sqrt(p)))  # domain from p > 0


def test_a_function_defined_nowhere_in_the_domain_is_unsatisfiable_not_a_pass():
    with pytest.raises(Unsatisfiable, match="no usable point"):
        check_rule(sp.log(-1 - x ** 2), x, 2 * x / (1 + x ** 2), max_examples=10)


def test_points_at_kinks_are_skipped_not_failed():
    # |x| and max have no derivative at 0 and at ties; elsewhere the rules must hold
    check_rule(sp.Abs(x), x, sp.sign(x))
    check_rule(sp.Max(x, y), [x, y], [sp.Heaviside(x - y), sp.Heaviside(y - x)])


def test_program_built_with_let():
    p = symdiff.Program()
    S = p.let("S", x + y)
    G = p.let("G", sp.sin(S))
    p.let("F", G / (x * y))
    check_rule(p, [x, y], domain=(0.5, 2.0))


def test_claimed_matrix_derivative_transposed_is_caught_at_a_coordinate():
    A = sp.MatrixSymbol("A", n, m)
    W = sp.MatrixSymbol("W", m, n)
    f = sp.Trace(A * W)      # d/dA tr(A W) = Wᵀ
    check_rule(f, A, W.T)
    message = failure_of(lambda: check_rule(f, A, W, dims={n: 2, m: 2}))
    assert re.search(r"argument: A\[\d, \d\]", message)


def test_symmetric_matrix_variables_compare_symmetric_parts():
    # d logdet P = P⁻¹ and the Cholesky adjoint are gradients w.r.t. a symmetric P
    P = sp.MatrixSymbol("P", 3, 3)
    W = sp.MatrixSymbol("W", 3, 3)
    check_rule(logdet(P), P, sp.Inverse(P), domain={P: "spd"})
    check_rule(sum_entries(sp.HadamardProduct(W, cholesky(P))), P, domain={P: "spd"})


def test_max_examples_bounds_the_number_of_points():
    points = []

    def vjp(inputs, output, g):   # called once per checked point
        points.append(float(inputs[0]))
        return [g * np.cos(inputs[0])]

    check_rule(np.sin, (), vjp, max_examples=7)
    assert 1 <= len(points) <= 7


def test_a_fixed_seed_gives_the_same_failure():
    messages = {failure_of(lambda: check_rule(sp.tanh(x), x, 1 + sp.tanh(x) ** 2, seed=7)) for _ in range(2)}
    assert len(messages) == 1


# --- a SymPy-level VJP rule for a head ---------------------------------------------------------

def test_vjp_rule_for_a_head_passes_and_fails():
    check_rule(sp.tanh, x, lambda g, ans, x: g * (1 - ans ** 2))
    message = failure_of(lambda: check_rule(sp.tanh, x, lambda g, ans, x: g * (1 + ans ** 2)))
    assert "the claimed rule disagrees" in message
    assert "the reverse pass with the claimed rule disagrees" in message


def test_vjp_rule_must_be_linear_in_g():
    # checked where g = 1 + T, not 1: a rule squaring g is wrong
    message = failure_of(lambda: check_rule(sp.sin, x, lambda g, ans, x: g ** 2 * sp.cos(x)))
    assert "claimed rule" in message


def test_two_argument_head_with_one_rule_per_argument_or_a_tuple():
    right = [lambda g, ans, y, x: g * x / (x ** 2 + y ** 2), lambda g, ans, y, x: -g * y / (x ** 2 + y ** 2)]
    check_rule(sp.atan2, (y, x), right, domain=(0.5, 2.0))
    check_rule(sp.atan2, (y, x), lambda g, ans, y, x: (right[0](g, ans, y, x), right[1](g, ans, y, x)),
               domain=(0.5, 2.0))
    message = failure_of(lambda: check_rule(sp.atan2, (y, x), [right[0], lambda g, ans, y, x: g * y /
                                                               (x ** 2 + y ** 2)], domain=(0.5, 2.0)))
    assert "argument: x" in message and "argument: y" not in message


def test_a_new_function_class_with_a_numpy_form():
    class cube(sp.Function):
        def fdiff(self, argindex=1):
            return 3 * self.args[0] ** 2

        def _numpycode(self, printer):
            return f"({printer._print(self.args[0])})**3"

    check_rule(cube, x, lambda g, ans, x: 3 * g * x ** 2)
    failure_of(lambda: check_rule(cube, x, lambda g, ans, x: 3 * g * x))


# --- tape ops and NumPy functions ----------------------------------------------------------

def test_a_tape_op_with_a_wrong_vjp_is_caught():
    right = Op("cube", lambda v: v ** 3, (lambda g, ans, v: 3 * g * v ** 2,))
    wrong = Op("cube", lambda v: v ** 3, (lambda g, ans, v: 3 * g * v,))   # a factor v missing
    inputs = st.integers(1, 3).flatmap(lambda k: arrays((k,))).map(lambda a: OpCall((a,)))
    check_rule(right, inputs)
    message = failure_of(lambda: check_rule(wrong, inputs))
    assert "tape op 'cube'" in message and "argument: input 0" in message


def test_a_tape_op_whose_vjps_cannot_run_fails_rather_than_passing_unchecked():
    malformed = Op("cube", lambda v: v ** 3, lambda g, ans, v: 3 * g * v ** 2)   # vjps not a sequence
    message = failure_of(lambda: check_rule(malformed, [(2,)]))
    assert "cannot run" in message


def test_numpy_forward_and_vjp():
    def vjp(inputs, output, g):
        a, b = inputs
        return [g @ b.T, a.T @ g]

    check_rule(np.matmul, [(2, 3), (3, 2)], vjp)
    message = failure_of(lambda: check_rule(np.matmul, [(2, 3), (3, 2)],
                                            lambda xs, out, g: [g @ xs[1].T, -(xs[0].T @ g)]))
    assert "argument: input 1" in message and "cotangent:" in message


def test_numpy_forward_written_with_tape_functions_gets_the_tape_as_a_witness():
    def forward(v):
        return tp.sum(tp.tanh(v) * v)   # plain arrays in, plain arrays out; Tensors on the tape

    message = failure_of(lambda: check_rule(forward, (3,), lambda xs, out, g: [g * np.tanh(xs[0])]))
    assert "finite differences; tape agrees" in message


def test_structured_inputs_for_a_symmetric_argument():
    def vjp(inputs, output, g):
        return [g * np.linalg.inv(inputs[0]).T]

    spd = arrays((3, 3), structure="spd")
    check_rule(lambda p: np.linalg.slogdet(p)[1], [spd], vjp, symmetric=(0,))


# --- inside a user's own @given test ---------------------------------------------------------

X2 = sp.symbols("x0 x1", real=True)


@settings(max_examples=10)
@given(expr=expression_dags(X2, max_nodes=4))
def test_inside_a_given_test_points_come_from_the_enclosing_example(expr):
    check_rule(expr, X2)


def test_inside_a_given_test_a_wrong_rule_still_fails():
    wrong = symdiff.reverse.DEFAULT_RULES.copy()
    wrong.rules[sp.sin] = lambda ctx: [(ctx.args[0], ctx.g * sp.sin(ctx.args[0]))]   # should be cos

    @settings(max_examples=10, database=None, phases=[Phase.generate])   # caught is enough: no shrinking
    @given(expr=expression_dags(X2, max_nodes=3, required=["sin"]))
    def user_test(expr):
        check_rule(expr, X2, rules=wrong)

    assert "symdiff's gradient disagrees" in failure_of(user_test)
