r"""symdiff.latex.parse_latex on the formulas of the lecture (lecture 7, automatic
differentiation) and on the notation lecture notes use: \langle,\rangle, sign,
declared functions and shapes, \sum_i without limits, hats and bars, |...|, e,
transposes and Hadamard products; and on malformed input, which must raise
ParseError with a position and never anything else.
"""
from __future__ import annotations

import time
from unittest import mock

import pytest
import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from symdiff.errors import ParseError
from symdiff.functions import leaky_relu, relu, sigmoid, softplus, softsign, to_elementary
from symdiff.latex import MAX_LATEX_LENGTH, parse_latex


def r(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)


def dim(name: str) -> sp.Symbol:
    return sp.Symbol(name, integer=True, positive=True)


x, y, a, b, w, alpha = (r(n) for n in ("x", "y", "a", "b", "w", "alpha"))
n, m = dim("n"), dim("m")


def same(parsed, expected) -> bool:
    difference = to_elementary(parsed - expected)
    return sp.simplify(difference) == 0 or sp.simplify(difference.rewrite(sp.exp)) == 0


def holds(equation: sp.Eq) -> bool:
    return same(equation.lhs.doit(), equation.rhs.doit())


# --------------------------------------------------------------------------
# Worked examples of the lecture
# --------------------------------------------------------------------------

def test_worked_example_partial_derivative_of_sin_over_product():
    parsed = parse_latex(r"\frac{\cos(x+y)}{x \cdot y} - y \cdot \frac{\sin(x+y)}{(x \cdot y)^2}")
    assert parsed == sp.cos(x + y) / (x * y) - y * sp.sin(x + y) / (x * y) ** 2


def test_worked_example_matches_the_derivative_of_its_function():
    F = parse_latex(r"F = \frac{\sin(x+y)}{x \cdot y}").rhs
    dF = parse_latex(r"\frac{\cos(x+y)}{x \cdot y} - y \cdot \frac{\sin(x+y)}{(x \cdot y)^2}")
    assert same(sp.diff(F, x), dF)


def test_worked_example_intermediate_names():
    S, H, G, M = (r(name) for name in "SHGM")
    assert parse_latex(r"\cos(S) \cdot H - y \cdot \frac{G}{M^2}") == sp.cos(S) * H - y * G / M**2


SMAPE_SHAPES = {"x": (3,), "a": (3,)}
X3 = [r(f"x_{k}") for k in range(3)]
A3 = [r(f"a_{k}") for k in range(3)]
P = sum(xi * ai for xi, ai in zip(X3, A3))


def test_smape_error_with_declared_vectors():
    parsed = parse_latex(r"E = \frac{|\langle x, a \rangle - y|}{|\langle x, a \rangle| + |y|}",
                         shapes=SMAPE_SHAPES)
    assert parsed.lhs == r("E")
    assert parsed.rhs == sp.Abs(P - y) / (sp.Abs(P) + sp.Abs(y))


def test_smape_derivative_of_the_lecture():
    parsed = parse_latex(
        r"\frac{sign(\langle x, a \rangle - y)}{|\langle x, a \rangle| + |y|} - "
        r"\frac{sign(\langle x, a \rangle) \cdot |\langle x, a \rangle - y|}"
        r"{(|\langle x, a \rangle| + |y|)^2}", shapes=SMAPE_SHAPES)
    expected = (sp.sign(P - y) / (sp.Abs(P) + sp.Abs(y))
                - sp.sign(P) * sp.Abs(P - y) / (sp.Abs(P) + sp.Abs(y)) ** 2)
    assert parsed == expected


def test_smape_derivative_with_the_lecture_names():
    D, I, S, N = (r(name) for name in "DISN")
    parsed = parse_latex(r"sign(D) \cdot I - sign(P) \cdot \frac{N}{S^2}")
    assert parsed == sp.sign(D) * I - sp.sign(r("P")) * N / S**2


def test_separating_power_of_a_neuron():
    parsed = parse_latex(r"sign(\langle x, w \rangle + w_0)", shapes={"x": (2,), "w": (2,)},
                         variables={"w_0"})
    assert parsed == sp.sign(r("x_0") * r("w_0") + r("x_1") * r("w_1") + r("w_0"))
    # without declaring w_0 it is the first element of the vector w
    assert parse_latex(r"w_0", shapes={"w": (2,)}) == r("w_0")


def test_cross_entropy_with_numeric_limits():
    parsed = parse_latex(r"H = -\sum_{i=1}^{3} q_i \cdot \log p_i")
    assert parsed.rhs == -sum(r(f"q_{k}") * sp.log(r(f"p_{k}")) for k in (1, 2, 3))


# --------------------------------------------------------------------------
# The activation table
# --------------------------------------------------------------------------

def test_logistic_sigmoid_definition_chain():
    parsed = parse_latex(r"f(x) = \sigma(x) = \frac{1}{1 + e^{-x}}", functions={"f": sigmoid})
    assert isinstance(parsed, sp.And)
    assert all(holds(eq) for eq in parsed.args)
    assert sp.Eq(sigmoid(x), 1 / (1 + sp.exp(-x)), evaluate=False) in parsed.args


def test_logistic_derivative_with_declared_function():
    parsed = parse_latex(r"f'(x) = f(x)(1 - f(x))", functions={"f": sigmoid})
    assert parsed.lhs == sp.Derivative(sigmoid(x), x)
    assert parsed.rhs == sigmoid(x) * (1 - sigmoid(x))
    assert holds(parsed)


def test_sigma_followed_by_parenthesis_is_a_call_times_a_factor():
    parsed = parse_latex(r"\sigma(wx+b)(1-\sigma(wx+b))")
    s = sigmoid(w * x + b)
    assert parsed == s * (1 - s)


def test_tanh_row():
    definition = parse_latex(r"f(x) = \tanh(x) = \frac{e^x - e^{-x}}{e^x + e^{-x}}",
                             functions={"f": "tanh"})
    assert all(holds(eq) for eq in definition.args)
    derivative = parse_latex(r"f'(x) = 1 - f(x)^2", functions={"f": sp.tanh})
    assert derivative.rhs == 1 - sp.tanh(x) ** 2
    assert holds(derivative)


def test_leaky_relu_row():
    assert parse_latex(r"\max(\alpha x, x)") == sp.Max(alpha * x, x)
    assert parse_latex(r"\operatorname{LeakyReLU}(x, \alpha)") == leaky_relu(x, alpha)


def test_softplus_row():
    assert parse_latex(r"\ln(1 + e^x)") == sp.log(1 + sp.exp(x))
    assert parse_latex(r"\operatorname{softplus}(x)") == softplus(x)
    derivative = parse_latex(r"f'(x) = \frac{1}{1 + e^{-x}}", functions={"f": "softplus"})
    assert holds(derivative)


def test_arctg_row_in_all_spellings():
    for text in (r"tg^{-1}(x)", r"\operatorname{arctg}(x)", r"\arctan(x)", r"\tan^{-1}(x)",
                 r"\arctan x", r"\operatorname{tg}^{-1}(x)"):
        assert parse_latex(text) == sp.atan(x), text
    derivative = parse_latex(r"f'(x) = \frac{1}{1+x^2}", functions={"f": "arctan"})
    assert holds(derivative)


def test_softsign_row():
    assert parse_latex(r"\frac{x}{1 + |x|}") == x / (1 + sp.Abs(x))
    assert parse_latex(r"\operatorname{softsign}(x)") == softsign(x)
    derivative = parse_latex(r"f'(x) = \frac{1}{(1+|x|)^2}", functions={"f": softsign})
    assert derivative.rhs == 1 / (1 + sp.Abs(x)) ** 2


def test_relu_and_sign_spellings():
    assert parse_latex(r"\operatorname{ReLU}(x)") == relu(x)
    for text in (r"\operatorname{sign}(x)", r"\mathrm{sign}(x)", r"sign(x)",
                 r"\operatorname{sgn}(x)"):
        assert parse_latex(text) == sp.sign(x), text


def test_lecun_linear_term():
    assert parse_latex(r"f(x) = \tanh(x) + ax", functions={"f": "tanh"}).rhs == sp.tanh(x) + a * x


# --------------------------------------------------------------------------
# Soft-max and soft-arg-max
# --------------------------------------------------------------------------

def test_soft_arg_max_with_declared_vector():
    parsed = parse_latex(r"y_i = \frac{\exp(x_i)}{\sum_j \exp(x_j)}", shapes={"x": (3,)})
    assert parsed.lhs == r("y_i")
    assert parsed.rhs == sp.exp(r("x_i")) / sum(sp.exp(v) for v in X3)


def test_good_soft_max_log_sum_exp():
    parsed = parse_latex(r"\log\left(\sum_i e^{x_i}\right)", shapes={"x": (3,)})
    assert parsed == sp.log(sum(sp.exp(v) for v in X3))


def test_bad_soft_max_weighted_mean():
    parsed = parse_latex(r"\frac{x_i \cdot e^{x_i}}{\sum_j e^{x_j}}", shapes={"x": (3,)})
    assert parsed == r("x_i") * sp.exp(r("x_i")) / sum(sp.exp(v) for v in X3)


def test_soft_arg_max_derivative_cases_are_scalar_expressions():
    assert parse_latex(r"y_i (1 - y_j)") == r("y_i") * (1 - r("y_j"))
    assert parse_latex(r"-y_i \cdot y_j") == -r("y_i") * r("y_j")


# --------------------------------------------------------------------------
# Sums, indices, scalar products
# --------------------------------------------------------------------------

def test_sum_without_limits_over_declared_vectors():
    parsed = parse_latex(r"\sum_i x_i a_i", shapes={"x": (3,), "a": (3,)})
    assert parsed == P


def test_sum_with_numeric_limits_and_index_base():
    assert parse_latex(r"\sum_{i=1}^{3} x_i") == r("x_1") + r("x_2") + r("x_3")
    parsed = parse_latex(r"\sum_i x_i", shapes={"x": (3,)}, index_base=1)
    assert parsed == r("x_1") + r("x_2") + r("x_3")


def test_nested_sums_and_products():
    assert parse_latex(r"\sum_{i=1}^{2}\sum_{j=1}^{2} W_{i,j}") == sum(
        r(f"W_{{{i},{j}}}") for i in (1, 2) for j in (1, 2))
    assert parse_latex(r"\prod_{i=1}^{3} x_i") == r("x_1") * r("x_2") * r("x_3")


def test_sum_with_symbolic_limit_stays_a_sum():
    parsed = parse_latex(r"\sum_{i=1}^{n} x_i")
    i = sp.Symbol("i", integer=True)
    assert parsed == sp.Sum(sp.IndexedBase("x", real=True)[i], (i, 1, r("n")))


def test_scalar_product_of_matrix_symbol_vectors():
    parsed = parse_latex(r"\langle x, a \rangle", shapes={"x": ("n",), "a": ("n",)})
    X, A = sp.MatrixSymbol("x", n, 1), sp.MatrixSymbol("a", n, 1)
    assert parsed == X.T * A and parsed.shape == (1, 1)


def test_scalar_product_of_scalars_and_shape_mismatch():
    assert parse_latex(r"\langle x, y \rangle") == x * y
    with pytest.raises(ParseError, match="scalar product"):
        parse_latex(r"\langle w, x \rangle", shapes={"w": (2,), "x": (3,)})


def test_sum_index_ranges_are_checked():
    with pytest.raises(ParseError, match=r"outside 0\.\.2"):
        parse_latex(r"x_5", shapes={"x": (3,)})
    with pytest.raises(ParseError, match="different lengths"):
        parse_latex(r"\sum_i x_i y_i", shapes={"x": (2,), "y": (3,)})
    parsed = parse_latex(r"\sum_i \sum_j W_{i,j}", shapes={"W": (2, 3)})
    W = sp.MatrixSymbol("W", 2, 3)
    assert parsed == sum(W[i, j] for i in range(2) for j in range(3))


def test_iteration_labels_of_the_perceptron_rules():
    parsed = parse_latex(r"w^{[k+1]} := w^{[k]} + \eta x_{(k)} y_{(k)}")
    assert parsed == sp.Eq(r("w^[k+1]"), r("w^[k]") + r("eta") * r("x_(k)") * r("y_(k)"),
                           evaluate=False)


def test_max_over_a_declared_vector():
    parsed = parse_latex(r"Y = \max(X)", shapes={"X": (3,)})
    assert parsed.rhs == sp.Max(*(r(f"X_{k}") for k in range(3)))


# --------------------------------------------------------------------------
# Names, constants, multiplication
# --------------------------------------------------------------------------

def test_hat_and_bar_are_distinct_symbols():
    parsed = parse_latex(r"\hat{y} - y + \bar{x} - x")
    assert parsed == r("hat_y") - y + r("bar_x") - x
    assert parse_latex(r"\hat{y}_i") == r("hat_y_i")


def test_absolute_values():
    assert parse_latex(r"\left| x - y \right|") == sp.Abs(x - y)
    assert parse_latex(r"|x| + |y|") == sp.Abs(x) + sp.Abs(y)
    assert parse_latex(r"\lvert x \rvert") == sp.Abs(x)


def test_e_is_euler_unless_declared():
    assert parse_latex(r"e^{x}") == sp.exp(x)
    assert parse_latex(r"e") == sp.E
    assert parse_latex(r"e^{x}", variables={"e"}) == r("e") ** x


def test_multiplication_spellings_for_scalars():
    for text in (r"x \cdot y", r"x \times y", r"x y", r"xy", r"x*y"):
        assert parse_latex(text) == x * y, text


def test_symbols_are_real_unless_assumptions_given():
    assert parse_latex("x").is_real
    parsed = parse_latex("x", assumptions={"positive": True})
    assert parsed == sp.Symbol("x", positive=True)


def test_greek_letters_are_plain_symbols():
    assert parse_latex(r"\gamma \eta") == r("gamma") * r("eta")
    assert parse_latex(r"\pi") == sp.pi
    assert parse_latex(r"\pi", variables={"pi"}) == r("pi")


def test_logarithms_are_natural_unless_based():
    assert parse_latex(r"\log(x) - \ln x") == 0
    assert parse_latex(r"\log_2 x") == sp.log(x, 2)


def test_exact_numbers_and_no_mixed_fractions():
    assert parse_latex(r"0.1 + 2\frac{1}{2}") == sp.Rational(11, 10)


def test_declared_functions_lambda_and_callable():
    t = sp.Symbol("t")
    parsed = parse_latex(r"g(x) + h(y)", functions={"g": sp.Lambda(t, t**2), "h": lambda v: v + 1})
    assert parsed == x**2 + y + 1
    assert parse_latex(r"\sigma(x)", variables={"sigma"}) == r("sigma") * x


def test_undeclared_letter_before_parenthesis_is_a_product():
    assert parse_latex(r"y(x + 1)") == y * (x + 1)


def test_strict_variables():
    assert parse_latex("x + y", variables={"x", "y"}, strict_variables=True) == x + y
    with pytest.raises(ParseError, match="undeclared variable 'y'") as info:
        parse_latex("x + y", variables={"x"}, strict_variables=True)
    assert info.value.column == 5


# --------------------------------------------------------------------------
# Matrix formulas
# --------------------------------------------------------------------------

REGRESSION = {"X": ("n", "m"), "A": ("m", 1), "Y": ("n", 1)}
Xr, Ar, Yr = (sp.MatrixSymbol("X", n, m), sp.MatrixSymbol("A", m, 1), sp.MatrixSymbol("Y", n, 1))


def test_normal_equation_gradient_with_juxtaposition():
    parsed = parse_latex(r"X^T (X A - Y)", shapes=REGRESSION)
    assert parsed == Xr.T * (Xr * Ar - Yr)
    assert isinstance(parsed, sp.MatMul) and parsed.shape == (m, 1)


def test_mse_in_matrix_form_stays_a_1x1_matrix_expression():
    parsed = parse_latex(r"E = (X \times A - Y)^T \times (X \times A - Y)", shapes=REGRESSION)
    assert parsed.rhs == (Xr * Ar - Yr).T * (Xr * Ar - Yr)
    assert parsed.rhs.shape == (1, 1)


def test_mse_gradient_chain():
    shapes = dict(REGRESSION, R=(1, "n"), D=("n", 1))
    parsed = parse_latex(r"X^T \times (R^T + D) = X^T \times (2D) = X^T \times 2(X \times A - Y)",
                         shapes=shapes)
    D = sp.MatrixSymbol("D", n, 1)
    assert set(parsed.args) == {
        sp.Eq(Xr.T * (sp.MatrixSymbol("R", 1, n).T + D), Xr.T * (2 * D), evaluate=False),
        sp.Eq(Xr.T * (2 * D), 2 * Xr.T * (Xr * Ar - Yr), evaluate=False)}


def test_matrix_product_rules():
    k = dim("k")
    shapes = {"A": ("n", "m"), "B": ("m", "k"), "C": ("n", "k"), "dA": ("n", "m"),
              "dB": ("m", "k"), "dC": ("n", "k")}
    A, B, dC = sp.MatrixSymbol("A", n, m), sp.MatrixSymbol("B", m, k), sp.MatrixSymbol("dC", n, k)
    assert parse_latex(r"C = A \cdot B", shapes=shapes).rhs == A * B
    assert parse_latex(r"dA = dC \cdot B^{\top}", shapes=shapes).rhs == dC * B.T
    assert parse_latex(r"dB = A^{\top} \cdot dC", shapes=shapes).rhs == A.T * dC


def test_transposition_and_cholesky_rules():
    shapes = {name: ("n", "n") for name in ("X", "Y", "dX", "dY", "dZ")}
    X, dY, dZ = (sp.MatrixSymbol(name, n, n) for name in ("X", "dY", "dZ"))
    assert parse_latex(r"dX = (dY)^T", shapes=shapes).rhs == dY.T
    assert parse_latex(r"Y = X^T \times X", shapes=shapes).rhs == X.T * X
    parsed = parse_latex(r"dY = (X^T + X)^{-1} \times dZ", shapes=shapes)
    assert parsed.rhs == sp.Inverse(X.T + X) * dZ


def test_transpose_spellings():
    X = sp.MatrixSymbol("X", n, m)
    for text in (r"X^T", r"X^{T}", r"X^\top", r"X^{\top}", r"X^{\mathrm{T}}"):
        assert parse_latex(text, shapes={"X": ("n", "m")}) == X.T, text


def test_inverse_matrix_derivative():
    shapes = {name: ("n", "n") for name in ("X", "Y", "dX", "dY")}
    parsed = parse_latex(r"dX = -X^{-T} \times dY \times X^{-T} = -Y^{T} \times dY \times Y^{T}",
                         shapes=shapes)
    X, Y, dX, dY = (sp.MatrixSymbol(name, n, n) for name in ("X", "Y", "dX", "dY"))
    expected = {sp.Eq(dX, -sp.Inverse(X.T) * dY * sp.Inverse(X.T), evaluate=False),
                sp.Eq(-sp.Inverse(X.T) * dY * sp.Inverse(X.T), -Y.T * dY * Y.T, evaluate=False)}
    assert set(parsed.args) == expected
    assert parse_latex(r"Y = X^{-1}", shapes=shapes).rhs == sp.Inverse(X)


def test_hadamard_product_with_derivative_of_activation():
    shapes = {"S": ("n", "m"), "dY": ("n", "m"), "dS": ("n", "m")}
    parsed = parse_latex(r"dS = f'(S) \circ dY", shapes=shapes, functions={"f": sigmoid})
    product = parsed.rhs
    assert isinstance(product, sp.HadamardProduct) and product.shape == (n, m)
    derivative, adjoint = product.args
    assert isinstance(derivative, ElementwiseApplyFunction)
    assert adjoint == sp.MatrixSymbol("dY", n, m)
    t = sp.Symbol("t", real=True)
    assert same(derivative.function(t).doit(), sigmoid(t) * (1 - sigmoid(t)))


def test_layer_of_a_network():
    shapes = {"X_i": (1, "n"), "A_i": ("n", "m"), "b_i": (1, "m"), "dM_i": (1, "m"),
              "dX_i": (1, "n"), "dA_i": ("n", "m")}
    X, A, dM = (sp.MatrixSymbol(name, *shape) for name, shape in
                (("X_i", (1, n)), ("A_i", (n, m)), ("dM_i", (1, m))))
    assert parse_latex(r"dX_i = dM_i \times A_i^T", shapes=shapes).rhs == dM * A.T
    assert parse_latex(r"dA_i = X_i^T \times dM_i", shapes=shapes).rhs == X.T * dM
    forward = parse_latex(r"f(X_i \times A_i + b_i)", shapes=shapes, functions={"f": sigmoid})
    assert isinstance(forward, ElementwiseApplyFunction) and forward.shape == (1, m)


def test_trace_and_determinant():
    X = sp.MatrixSymbol("X", n, n)
    parsed = parse_latex(r"\operatorname{tr}(X) + \det(X)", shapes={"X": ("n", "n")})
    assert parsed == sp.Trace(X) + sp.Determinant(X)


def test_matrix_shape_errors_are_parse_errors():
    with pytest.raises(ParseError, match="shapes do not fit"):
        parse_latex(r"X Y", shapes={"X": (2, 3), "Y": (2, 3)})
    with pytest.raises(ParseError, match="scalar and a matrix"):
        parse_latex(r"X + y", shapes={"X": (2, 2)})
    with pytest.raises(ParseError, match="non-square"):
        parse_latex(r"X^{-1}", shapes={"X": (2, 3)})


# --------------------------------------------------------------------------
# Equations and relations
# --------------------------------------------------------------------------

def test_equation_keeps_both_sides_unevaluated():
    parsed = parse_latex(r"\sigma(x) = \frac{1}{1+e^{-x}}")
    assert isinstance(parsed, sp.Equality)
    assert parsed.lhs == sigmoid(x) and parsed.rhs == 1 / (1 + sp.exp(-x))
    trivial = parse_latex(r"x = x")
    assert isinstance(trivial, sp.Equality)  # not True: never evaluated, never solved


def test_relations_and_assignment():
    assert parse_latex(r"x^2 > 0") == sp.Gt(x**2, 0, evaluate=False)
    assert parse_latex(r"x \le 1") == sp.Le(x, 1, evaluate=False)
    assert parse_latex(r"a := b + 1") == sp.Eq(a, b + 1, evaluate=False)


def test_learned_curve_of_the_lecture():
    parsed = parse_latex(r"a_0 y^2 + a_1 x^2 + a_2 yx + a_3 y + a_4 x + a_5 > 0")
    a0, a1, a2, a3, a4, a5 = (r(f"a_{k}") for k in range(6))
    assert parsed.lhs == a0 * y**2 + a1 * x**2 + a2 * x * y + a3 * y + a4 * x + a5


# --------------------------------------------------------------------------
# Malformed input
# --------------------------------------------------------------------------

@pytest.mark.parametrize("text, column", [
    (r"\frac{1}{", 9),
    (r"x +", 3),
    (r"\sin(", 5),
    (r"\undefinedmacro{x}", 1),
    (r"\left( x", 1),
    (r"x + * y", 5),
    (r"\frac{1}{2}}", 12),
    (r"\sin(x + )", 8),
])
def test_malformed_input_reports_a_position(text, column):
    with pytest.raises(ParseError) as info:
        parse_latex(text)
    assert info.value.line == 1 and info.value.column == column
    assert info.value.text


def test_position_on_a_later_line():
    with pytest.raises(ParseError) as info:
        parse_latex("x + y\n  + \\nosuch")
    assert (info.value.line, info.value.column, info.value.text) == (2, 5, r"\nosuch")


@pytest.mark.parametrize("text, message", [
    (r"\frac{dy}{dx}", "derivative notation"),
    (r"\frac{\partial E}{\partial a_i}", "derivative notation"),
    (r"x' + 1", "prime"),
    (r"x_{i+1}", "index arithmetic"),
    (r"C_{[n,k]}", "shape annotations"),
    (r"\|x\|_1", "only the 2-norm"),
    (r"x^y^z", "double superscript"),
    (r"x + + y", "two signs"),
    (r"\sum_i x_i", "cannot infer the range"),
    (r"5!", "factorials"),
    (r"x ≈ y", "unexpected character"),
    (r"10^{10^{10}}", "too large"),
    (r"\variable{x}", "unknown command"),
    ("__import__('os').system('echo hi')", "a subscript must follow a name"),
    (r"(" * 60 + "x" + ")" * 60, "nested deeper"),
    ("", "empty input"),
])
def test_unsupported_notation_is_rejected(text, message):
    with pytest.raises(ParseError, match=message):
        parse_latex(text)


def test_bad_arguments_are_parse_errors():
    with pytest.raises(ParseError, match="expected LaTeX text"):
        parse_latex(None)
    with pytest.raises(ParseError, match="exceeds the limit"):
        parse_latex("x" * (MAX_LATEX_LENGTH + 1))
    with pytest.raises(ParseError, match="shape"):
        parse_latex("x", shapes={"x": (0,)})
    with pytest.raises(ParseError, match="both as a function and as a value"):
        parse_latex("f(x)", functions={"f": sigmoid}, variables={"f"})
    with pytest.raises(ParseError, match="unknown builtin"):
        parse_latex("f(x)", functions={"f": "no_such_function"})


def test_error_does_not_poison_later_parses():
    for bad in (r"\frac{1}{", r"x +", r"(" * 60, r"\undefinedmacro{x}"):
        with pytest.raises(ParseError):
            parse_latex(bad)
        assert parse_latex(r"\frac{1}{1 + e^{-x}}") == 1 / (1 + sp.exp(-x))


def test_antlr_prints_nothing(capfd):
    with pytest.raises(ParseError):
        parse_latex(r"x + * y")
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_user_text_is_never_handed_to_parse_expr():
    forbidden = mock.Mock(side_effect=AssertionError("parse_expr called"))
    with mock.patch("latex2sympy2_extended.latex2sympy2.parse_expr", forbidden), \
            mock.patch("sympy.parsing.sympy_parser.parse_expr", forbidden):
        parse_latex(r"\frac{sign(\langle x, a \rangle - y)}{|y|} + \sigma(y)", shapes=SMAPE_SHAPES)
    forbidden.assert_not_called()


def test_long_input_is_linear_not_a_hang():
    start = time.perf_counter()
    assert parse_latex("+".join(["x"] * 2000)) == 2000 * x
    with pytest.raises(ParseError, match="too long"):
        parse_latex(" ".join(["x"] * 5000))
    assert time.perf_counter() - start < 10
