r"""Claims that cannot be formed at numeric declared sizes are refuted as shape errors (not unreadable)."""
import pytest
import sympy as sp

from symdiff import verify, verify_text
from symdiff.errors import ParseError, ShapeError, ShapeMismatchError
from symdiff.latex import parse_latex

SIZES = {"X": (3, 2), "w": (2,), "y": (3,)}
LOSS = r"\frac12\|Xw - y\|^2"
B = 20.0


def _written_out():
    X = sp.Matrix(3, 2, lambda i, j: sp.Symbol(f"X{i}{j}", real=True))
    w = sp.Matrix(2, 1, lambda i, j: sp.Symbol(f"w{i}", real=True))
    y = sp.Matrix(3, 1, lambda i, j: sp.Symbol(f"y{i}", real=True))
    return X, w, y


def test_the_dropped_transpose_is_refuted_as_a_shape_error_naming_the_product():
    X, w, y = _written_out()
    with pytest.raises(sp.ShapeError):                  # SymPy agrees: X (X w - y) has no value at 3 x 2
        X * (X * w - y)
    v = verify(LOSS, "w", r"\nabla_w \frac12\|Xw - y\|^2 = X(Xw - y)", variables=SIZES, budget=B)
    assert v.status == "refuted"
    assert "X (3x2) times a 3x1 matrix" in v.explanation and "shape error" in v.explanation
    assert "X: (3, 2), w: (2,), y: (3,)" in v.explanation
    assert v.counterexample["point"] == {}              # no numeric counterexample pretended
    assert v.evidence["shape_error"] == {"operation": "product", "operands": [
        {"name": "X", "shape": [3, 2]}, {"name": None, "shape": [3, 1]}]}


def test_the_right_gradient_is_proved_and_agrees_with_sympy_on_the_written_out_loss():
    X, w, y = _written_out()
    loss = sum(r ** 2 for r in (X * w - y)) / 2
    gradient = sp.Matrix([sp.diff(loss, s) for s in w])
    assert sp.expand(gradient - X.T * (X * w - y)) == sp.zeros(2, 1)   # the claim is truly right
    v = verify(LOSS, "w", r"X^\top(Xw - y)", variables=SIZES, budget=B)
    assert v.status in ("proved", "consistent")


def test_verify_text_refutes_the_ill_shaped_link_at_its_line_and_proves_the_right_one():
    text = "L = \\frac12\\|Xw - y\\|^2\n\\nabla_w L = X^T(Xw - y) = X(Xw - y)"
    right, wrong = verify_text(text, variables=SIZES, budget=B)
    assert right.status == "proved" and right.position == (2, 12)
    assert wrong.status == "refuted" and wrong.position == (2, 26)
    assert "the product X (3x2) times a 3x1 matrix" in wrong.explanation


@pytest.mark.parametrize("function", [r"\frac12\|X^\top w - y\|^2", r"L(w) = \frac12\|X^\top w - y\|^2"])
def test_a_function_that_does_not_fit_its_declarations_is_a_clear_error(function):
    with pytest.raises(ShapeError) as info:
        verify(function, "w", r"X(Xw - y)", variables=SIZES, budget=B)
    assert not isinstance(info.value, ParseError)        # the declarations' error, not a verdict or unreadable
    message = str(info.value)
    assert "the function" in message and "declared sizes" in message
    assert "X^T (2x3) times w (2x1)" in message


def test_a_definition_that_does_not_fit_is_a_clear_error_in_verify_text():
    with pytest.raises(ShapeError, match=r"X\^T \(2x3\) times w \(2x1\)"):
        verify_text("L = \\frac12\\|X^T w - y\\|^2\n\\nabla_w L = X(Xw - y)", variables=SIZES, budget=B)


def test_the_reader_error_carries_the_operation_and_the_shapes():
    with pytest.raises(ShapeMismatchError) as info:
        parse_latex(r"Xw + X^T y", shapes=SIZES)
    assert isinstance(info.value, ParseError)
    assert info.value.operation == "sum" and info.value.shapes == ((3, 1), (2, 1))


def test_malformed_notation_stays_a_parse_error():
    for text in (r"X(Xw - ", r"\frac{X}"):
        with pytest.raises(ParseError) as info:
            verify(LOSS, "w", text, variables=SIZES, budget=B)
        assert not isinstance(info.value, ShapeMismatchError)


def test_an_ill_shaped_reading_beside_one_that_fits_follows_the_rule_for_readings():
    # diag x (y^T): diag(x) y^T does not fit; diag(x y^T), the other reading, is x * y entrywise
    sizes = {"x": (3,), "y": (3,)}
    right = verify(r"\frac12 \sum_{i=1}^{3} x_i^2 y_i", "x", r"\operatorname{diag} x (y^T)",
                   variables=sizes, budget=B)
    assert right.status == "undetermined" and "readings give different verdicts" in right.explanation
    wrong = verify(r"\frac12 \sum_{i=1}^{3} x_i^2 y_i", "x", r"2 \operatorname{diag} x (y^T)",
                   variables=sizes, budget=B)
    assert wrong.status == "refuted"


def test_two_vectors_side_by_side_stay_unreadable_not_refuted():
    # tanh(x)(1 - tanh^2(x)) with x a vector: many notes mean the entrywise product, so the
    # juxtaposition of two 3x1 vectors is a possible misreading, never a shape refutation
    variables = {"x": (3,)}
    with pytest.raises(ParseError, match=r"side by side.*\\odot"):
        verify(r"\mathbf{h} = \tanh(\mathbf{x})", r"\mathbf{x}",
               r"\frac{\partial \mathbf{h}}{\partial \mathbf{x}} = \tanh(\mathbf{x}) (1 - \tanh^2(\mathbf{x}))",
               variables=variables)
