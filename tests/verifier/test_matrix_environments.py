r"""Explicit matrices and vectors written with the amsmath environments (pmatrix, bmatrix,
Bmatrix, matrix, smallmatrix, vmatrix, \left( \begin{array} \right)).

Expected values are written by hand in SymPy; expected Jacobians and gradients come from
SymPy's ``Matrix.jacobian`` of the hand-written functions, independently of the reader."""
import json
from pathlib import Path

import pytest
import sympy as sp

from symdiff import verify
from symdiff.errors import ParseError
from symdiff.latex import parse_latex

DATA = Path(__file__).resolve().parents[1] / "data" / "check"
a, b, c, d = sp.symbols("a b c d", real=True)
x1, x2 = sp.symbols("x_1 x_2", real=True)
X2 = {"x": (2,)}
ABCD = sp.ImmutableMatrix([[a, b], [c, d]])


@pytest.mark.parametrize("text", [
    r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}",
    r"\begin{bmatrix} a & b \\ c & d \end{bmatrix}",
    r"\begin{Bmatrix} a & b \\ c & d \end{Bmatrix}",
    r"\left( \begin{matrix} a & b \\ c & d \end{matrix} \right)",
    r"\left( \begin{smallmatrix} a & b \\ c & d \end{smallmatrix} \right)",
    r"\left( \begin{array}{cc} a & b \\ c & d \end{array} \right)",
    r"\left[\begin{array}{ll} a & b \\ c & d \\ \end{array}\right]",
])
def test_every_matrix_environment_reads_the_same_matrix(text):
    value = parse_latex(text)
    assert isinstance(value, sp.ImmutableMatrix) and value == ABCD


def test_vmatrix_is_the_determinant_and_a_column_is_a_vector():
    assert sp.expand(parse_latex(r"\begin{vmatrix} a & b \\ c & d \end{vmatrix}") - (a * d - b * c)) == 0
    column = parse_latex(r"\begin{pmatrix} a \\ c \end{pmatrix}")
    assert column.shape == (2, 1) and list(column) == [a, c]
    # a matrix in a product: entries are read with the same reader, precedence included
    product = parse_latex(r"\begin{pmatrix} \sin a \cdot b & 1 \\ 0 & 2 \end{pmatrix} \begin{pmatrix} c \\ d \end{pmatrix}")
    assert sp.simplify(sp.Matrix(product) - sp.Matrix([sp.sin(a) * b * c + d, 2 * d])) == sp.zeros(2, 1)


def test_entries_of_a_declared_vector_are_its_entries():
    x = parse_latex(r"\mathbf{x}", shapes=X2, index_base=1)
    written = parse_latex(r"\begin{pmatrix} x_2 \\ x_1 \end{pmatrix}", shapes=X2, index_base=1)
    assert list(written) == [x[1], x[0]]


@pytest.mark.parametrize("text, message, column", [
    (r"\begin{pmatrix} a & b \\ c \end{pmatrix}", "row 2 of the matrix has 1 entry, row 1 has 2", 26),
    (r"\begin{bmatrix} a \\ b & c \\ d \end{bmatrix}", "row 2 of the matrix has 2 entries, row 1 has 1", 22),
    (r"\begin{pmatrix} a & \\ c & d \end{pmatrix}", "entry 2 of row 1 of the matrix is empty", 17),
    (r"\begin{vmatrix} a & b \end{vmatrix}", "determinant of a non-square 1x2 matrix", 1),
    (r"\begin{pmatrix} a & \foo \end{pmatrix}", "unknown command \\foo", 21),
    (r"\begin{tabular} a \end{tabular}", "environment 'tabular' is not supported", 1),
])
def test_malformed_matrices_name_the_row_and_the_position(text, message, column):
    with pytest.raises(ParseError) as info:
        parse_latex(text)
    assert message in str(info.value) and f"column {column}:" in str(info.value)


def test_piecewise_environments_stay_piecewise():
    x = sp.Symbol("x", real=True)
    expected = sp.Piecewise((x, x > 0), (0, True))
    assert parse_latex(r"\begin{cases} x & x > 0 \\ 0 & \text{otherwise} \end{cases}") == expected
    assert parse_latex(r"\left\{ \begin{array}{ll} x & x > 0 \\ 0 & \text{otherwise} \end{array} \right.") == expected
    assert parse_latex(r"\left\{ \begin{matrix} x & x > 0 \\ 0 & \text{otherwise} \end{matrix} \right.") == expected


F = sp.Matrix([x1 ** 2 * x2, sp.sin(x1) + x2])
JACOBIAN = F.jacobian([x1, x2])          # [[2 x1 x2, x1^2], [cos x1, 1]]
DEFINITION = r"\mathbf{y} = \begin{pmatrix} x_1^2 x_2 \\ \sin x_1 + x_2 \end{pmatrix}"


def _written(matrix: sp.Matrix, environment: str = "pmatrix") -> str:
    rows = r" \\ ".join(" & ".join(sp.latex(e) for e in matrix.row(i)) for i in range(matrix.rows))
    return rf"\begin{{{environment}}} {rows} \end{{{environment}}}"


def test_the_issue_example_holds_with_y_declared_too():
    claim = r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = " + _written(JACOBIAN)
    for variables in ({"x": (2,), "y": (2,)}, X2):
        verdict = verify(DEFINITION, "x", claim, variables=variables)
        assert verdict.status == "proved", verdict.explanation


@pytest.mark.parametrize("wrong", [
    sp.Matrix([[2 * x1 * x2, x1 ** 2], [1, sp.cos(x1)]]),   # the second row's entries swapped
    sp.Matrix([[2 * x1 * x2, x1 ** 2], [-sp.cos(x1), 1]]),
    sp.Matrix([[x1 * x2, x1 ** 2], [sp.cos(x1), 1]]),
])
def test_a_wrong_explicit_jacobian_is_refuted_with_a_certified_counterexample(wrong):
    verdict = verify(DEFINITION, r"\mathbf{x}", r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = "
                     + _written(wrong, "bmatrix"), variables=X2)
    assert verdict.status == "refuted", verdict.explanation
    point = {sp.Symbol(k, real=True): sp.Rational(v) for k, v in verdict.counterexample["exact_point"].items()}
    difference = (wrong - JACOBIAN).subs(point)
    assert any(sp.N(e, 30) != 0 for e in difference)     # the point really separates claim and truth
    assert "certified" in verdict.explanation


def test_an_explicit_gradient_column():
    f = x1 ** 2 * x2 + sp.sin(x2)
    gradient = sp.Matrix([f]).jacobian([x1, x2]).T
    text = r"f(\mathbf{x}) = x_1^2 x_2 + \sin x_2"
    right = verify(text, "x", r"\nabla f(\mathbf{x}) = " + _written(gradient, "bmatrix"), variables=X2)
    assert right.status == "proved", right.explanation
    wrong = verify(text, "x", r"\nabla f(\mathbf{x}) = " + _written(gradient.subs(sp.cos(x2), -sp.cos(x2)), "bmatrix"),
                   variables=X2)
    assert wrong.status == "refuted" and wrong.counterexample["component"].startswith("dF")


def test_symdiff_check_reads_explicit_matrices_in_a_document(capsys, tmp_path, monkeypatch):
    from symdiff.cli import main
    monkeypatch.setenv("SYMDIFF_CACHE_DIR", str(tmp_path / "cache"))
    code = main(["check", str(DATA / "explicit_matrices.tex"), "--format", "json", "--jobs", "1"])
    records = [r for r in json.loads(capsys.readouterr().out) if r["kind"] == "derivative"]
    assert code == 0                                   # the wrong one is marked 'expect refuted'
    assert [(r["line"], r["status"]) for r in records] == [(10, "proved"), (16, "refuted"), (21, "proved")]
