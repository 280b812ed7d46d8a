r"""Notation as people write it: precedence of functions without parentheses, choice
points read both ways, TeX-invalid input, statements, verify with variables/read_as,
verify_text."""
import pytest
import sympy as sp

from symdiff import verify, verify_text
from symdiff.errors import ParseError, SymdiffError
from symdiff.functions import softplus
from symdiff.latex import latex_readings, parse_latex
from symdiff.latex.statements import read_statement

x, y, z = sp.symbols("x y z", real=True)


@pytest.mark.parametrize("text, expected", [
    (r"\sin x \cdot y", y * sp.sin(x)),
    (r"\log x \cdot \log y", sp.log(x) * sp.log(y)),
    (r"\sin 2x", sp.sin(2 * x)),
    (r"\sin x \cos y", sp.sin(x) * sp.cos(y)),
    (r"\sin x^2", sp.sin(x ** 2)),
    (r"\sin^2 x + \cos^2 x", sp.sin(x) ** 2 + sp.cos(x) ** 2),
    (r"\sin \frac{x}{2}", sp.sin(x / 2)),
    (r"\ln x / 2", sp.log(x) / 2),
    (r"\log \det X", None),
    (r"\operatorname{tg} x + \operatorname{arctg} x", sp.tan(x) + sp.atan(x)),
    (r"\operatorname{sh} x \operatorname{ch} x", sp.sinh(x) * sp.cosh(x)),
    (r"\lg x", sp.log(x, 10)),
    (r"0{,}5 x", x / 2),
    (r"\frac12 x", x / 2),
    (r"\frac{2}{\sqrt\pi} e^{-x^2}", 2 * sp.exp(-x ** 2) / sp.sqrt(sp.pi)),
    (r"\frac\pi2 + \sqrt2 x", sp.pi / 2 + sp.sqrt(2) * x),
    (r"\operatorname{GELU}(x)", x * (1 + sp.erf(x / sp.sqrt(2))) / 2),
    (r"\mathrm{SiLU}(x) - \operatorname{Swish}(x)", 0),
    (r"\operatorname{ELU}(x)", sp.Piecewise((x, x > 0), (sp.exp(x) - 1, True))),
    (r"\operatorname{Mish}(x)", x * sp.tanh(softplus(x))),
    (r"\tanh^2 x", sp.tanh(x) ** 2),
    (r"\sin^{-1} x", sp.asin(x)),
])
def test_functions_without_parentheses_read_as_people_read_them(text, expected):
    if expected is None:
        X = sp.MatrixSymbol("X", 2, 2)
        assert parse_latex(text, shapes={"X": (2, 2)}) == sp.log(sp.Determinant(X))
    else:
        assert sp.simplify(parse_latex(text) - expected) == 0


@pytest.mark.parametrize("text, options, readings", [
    (r"\sin{x} y", {}, [y * sp.sin(x), sp.sin(x * y)]),
    (r"1e-3 x", {}, [sp.E - 3 * x, x / 1000]),
    (r"\sigma(x)", {"variables": {"sigma"}}, [sp.Symbol("sigma", real=True) * x, None]),
    (r"e^{x}", {"variables": {"e"}}, [sp.Symbol("e", real=True) ** x, sp.exp(x)]),
])
def test_ambiguous_notation_has_every_reading(text, options, readings):
    found = latex_readings(text, **options)
    assert len(found) == 2 and found[0].choices == () and found[1].choices
    assert found[0].value == readings[0]
    if readings[1] is not None:
        assert found[1].value == readings[1]


def test_unambiguous_notation_has_one_reading():
    assert len(latex_readings(r"\sin(x) y + 10^{-3}")) == 1


@pytest.mark.parametrize("text, message, column", [
    (r"x^y^z", "double superscript", 4),
    (r"x_i_j", "double subscript", 4),
    (r"x + + y", "two signs", 3),
    (r"{x + 1", "unclosed", 1),
    (r"\sin", "needs an argument", 1),
    (r"\|x\|_1", "only the 2-norm", 6),
    (r"{{10^{1000}}^{1000}}^{1000} x", "too large", 1),
    (r"x \text{где} y", "unsupported content", 8),
])
def test_tex_invalid_input_is_a_parse_error_with_its_position(text, message, column):
    with pytest.raises(ParseError, match=message) as info:
        parse_latex(text)
    assert info.value.line == 1 and info.value.column == column


def test_norms_and_piecewise():
    assert parse_latex(r"\|x\|^2", shapes={"x": (2,)}, index_base=1) == \
        sp.Symbol("x_1", real=True) ** 2 + sp.Symbol("x_2", real=True) ** 2
    relu = parse_latex(r"\begin{cases} x & \text{if } x > 0 \\ 0 & \text{otherwise} \end{cases}")
    assert relu.subs(x, 2) == 2 and relu.subs(x, -2) == 0
    elu = parse_latex(r"\left\{ \begin{array}{ll} x, & x \geqslant 0, \\ -x & \text{иначе} "
                      r"\end{array} \right.")
    assert elu.subs(x, -3) == 3


def test_layer_and_greek_names_match_declared_plain_names():
    assert parse_latex(r"W^{(1)} + \theta_1 + \lambda", variables={"W1", "theta1", "lambda"}) == \
        sum(sp.Symbol(n, real=True) for n in ("W1", "theta1", "lambda"))
    value = parse_latex(r"\mathbf{W}^{(1)} \mathbf{x}", shapes={r"\mathbf{W}^{(1)}": ("m", "n"),
                                                             r"\mathbf{x}": ("n",)})
    assert value.shape[1] == 1 and {m.name for m in value.atoms(sp.MatrixSymbol)} == {"W1", "x"}


@pytest.mark.parametrize("text, kind", [
    (r"f(x) = \frac{1}{1+e^{-x}}", "definition"),
    (r"J(\theta; X, y) = \|X\theta - y\|^2", "definition"),
    (r"\sigma(z) \equiv \frac{1}{1+e^{-z}}", "definition"),
    (r"f'(x) = 2x", "derivative"),
    (r"f^{\prime}(x) = 2x", "derivative"),
    (r"\frac{d}{dx} \sin x = \cos x", "derivative"),
    (r"\frac{\partial L}{\partial \mathbf{w}} = X^\top (X w - y)", "derivative"),
    (r"\nabla_{\mathbf{w}} L = 2w", "derivative"),
    (r"\partial_x f = 2x", "derivative"),
    (r"x > 0", "condition"),
    (r"\sin^2 x + \cos^2 x", "expression"),
])
def test_statement_kinds(text, kind):
    assert read_statement(text).kind == kind


def test_where_clauses_become_definitions_conditions_and_structures():
    s = read_statement(r"f(t) = 1/t, \; t \neq 0 \quad \text{where } u = w^\top x, \quad "
                       r"A \in \mathbb{S}^n_{++}")
    kinds = [(c.kind, c.structure) for c in s.clauses]
    assert kinds == [("condition", None), ("definition", None), ("structure", "spd")]
    assert read_statement(r"g(u) = \ln u \text{ где } u = x^2 + 1").clauses[0].head.name == "u"


def test_verify_reads_definitions_and_derivative_left_sides():
    v = verify(r"f(x) = \frac{1}{1 + e^{-x}}", "x", r"f'(x) = f(x)(1 - f(x))", budget=5)
    assert v.status == "proved" and v.read_as.startswith("f = ")
    v = verify(r"f(x) = \frac{1}{1 + e^{-x}}", "x", r"f'(x) = f(x)(1 + f(x))", budget=5)
    assert v.status == "refuted"
    with pytest.raises(SymdiffError, match="differentiates with respect to y"):
        verify(r"x y", "x", r"\frac{\partial f}{\partial y} = x", budget=5)


def test_a_chain_is_refuted_when_one_link_is_wrong():
    v = verify(r"\sin^2 x", "x", r"f'(x) = 2 \sin x \cos x = \sin 2x", budget=5)
    assert v.holds
    v = verify(r"\sin^2 x", "x", r"f'(x) = 2 \sin x \cos x = \cos 2x", budget=5)
    assert v.status == "refuted" and "Link 2" in v.explanation


def test_different_verdicts_of_two_readings_are_undetermined_naming_both():
    v = verify(r"\sin{x} y", "x", r"y \cos x", budget=5)
    assert v.status == "undetermined"
    assert "\\sin{\\left(x y \\right)}" in v.explanation and "y \\sin{\\left(x \\right)}" in v.explanation


def test_variables_and_structure_phrases():
    variables = {"A": ("n", "n"), r"\mathbf{x}": ("n",)}
    assert verify(r"\mathbf{x}^\top A \mathbf{x}", r"\mathbf{x}", r"2 A \mathbf{x}", where=["A symmetric"],
                  variables=variables, budget=5).holds
    assert verify(r"\mathbf{x}^\top A \mathbf{x}", r"\mathbf{x}", r"2 A \mathbf{x}",
                  variables=variables, budget=5).status == "refuted"
    with pytest.raises(SymdiffError, match="declared twice"):
        verify("x", "x", "1", variables={"x": (), r"\mathbf{x}": (3,)})


def test_verify_text_checks_every_claim_with_its_position():
    text = "\n".join([
        r"f(x) = x^2 \sin x",
        r"f'(x) = 2x \sin x + x^2 \cos x",
        r"g(u) = \ln u, \quad u > 0",
        r"g'(u) = \frac{1}{u^2}",
        r"\sin^2 x + \cos^2 x = 1 = \cos^2 x + \sin^2 x",
    ])
    verdicts = verify_text(text, budget=5)
    assert [v.status for v in verdicts] == ["proved", "refuted", "proved", "proved"]
    assert [v.position for v in verdicts] == [(2, 7), (4, 7), (5, 21), (5, 25)]


def test_a_parenthesized_factor_after_an_argument_is_a_choice_but_a_call_is_not():
    found = latex_readings(r"2 \tanh x (1 - \tanh^2 x)")
    assert found[0].value == 2 * sp.tanh(x) * (1 - sp.tanh(x) ** 2) and len(found) == 2
    w = sp.Symbol("w", real=True)
    assert len(latex_readings(r"y \log \sigma(w x)")) == 1
    v = verify(r"\tanh^2 x", "x", r"2 \tanh x (1 - \tanh^2 x)", budget=5)
    assert v.status == "undetermined" and "parenthesized factor" in v.explanation
    assert w  # (w is the name in the second formula)


def test_hyperbolic_secant_and_cosecant_are_read():
    x = sp.Symbol("x", real=True)
    assert parse_latex(r"\operatorname{sech}^2 x").subs(x, sp.Rational(1, 3)) == sp.sech(sp.Rational(1, 3)) ** 2
    # d tanh / dx = sech^2 x and d coth / dx = -csch^2 x (sympy.diff, rewritten), so both claims hold
    assert sp.simplify(sp.diff(sp.tanh(x), x) - sp.sech(x) ** 2) == 0
    assert verify(r"f(x) = \tanh x", "x", r"f'(x) = \operatorname{sech}^2 x").status == "proved"
    assert verify(r"f(x) = \coth x", "x", r"f'(x) = -\operatorname{csch}^2 x").status == "proved"
    assert verify(r"f(x) = \tanh x", "x", r"f'(x) = 1 - \operatorname{sech}^2 x").status == "refuted"
