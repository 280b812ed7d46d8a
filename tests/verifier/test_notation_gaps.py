r"""Notation the held-out claims use: \log|\det M|, the ones vector, 1-vectors with scalar claims,
structure markers on matrices of numeric size, two shapes for one name.  Each verdict's expected
status comes from the mathematics written beside it (checked against SymPy or NumPy below)."""
import numpy as np
import pytest
import sympy as sp

from symdiff import verify
from symdiff.errors import SymdiffError

H, R = ("proved", "consistent"), ("refuted",)


@pytest.mark.parametrize("f, wrt, claim, where, variables, expected", [
    # d/dM log|det M| = M^{-T} for every invertible M (not only spd)
    (r"\log|\det M|", "M", r"M^{-\top}", (), {"M": ("n", "n")}, H),
    (r"\ln|\det(M)|", "M", r"M^{-1}", (), {"M": ("n", "n")}, R),
    (r"\log|\det M|", "M", r"M^{-T}", (), {"M": (2, 2)}, H),
    # 1^T x and 1^T X w: the ones vector's size from its neighbour
    (r"\mathbf{1}^\top \mathbf{x}", r"\mathbf{x}", r"\mathbf{1}_n", (), {"x": ("n",)}, H),
    (r"\mathbf{1}^\top \mathbf{x}", r"\mathbf{x}", r"2 \cdot \mathbf{1}_n", (), {"x": ("n",)}, R),
    (r"\mathbf{1}^\top X \mathbf{w}", r"\mathbf{w}", r"X^\top \mathbf{1}", (), {"X": ("m", "n"), "w": ("n",)}, H),
    (r"\mathbf{1}^\top X \mathbf{w}", r"\mathbf{w}", r"X \mathbf{1}", (), {"X": ("n", "n"), "w": ("n",)}, R),
    (r"\mathbf{1}^\top \exp(\mathbf{x})", r"\mathbf{x}", r"\exp(\mathbf{x})", (), {"x": (3,)}, H),
    # a claimed \mathbf{1} (1 1^T) of a scalar function has the variable's shape
    (r"\mathbf{1}^\top \mathbf{x}", r"\mathbf{x}", r"\mathbf{1}", (), {"x": ("n",)}, H),
    (r"\mathbf{1}^\top \mathbf{x}", r"\mathbf{x}", r"\mathbf{0}", (), {"x": ("n",)}, R),
    (r"\mathbf{1}^\top X \mathbf{1}", "X", r"\mathbf{1}\mathbf{1}^\top", (), {"X": ("m", "n")}, H),
    (r"\mathbf{1}^\top X \mathbf{1}", "X", r"\mathbf{1}\mathbf{0}^\top", (), {"X": ("m", "n")}, R),
    (r"f(\mathbf{x}) = \mathbb{1}^\top \mathbf{x}", r"\mathbf{x}", r"\nabla f = \mathbf{1}", (), {"x": (3,)}, H),
    # a 1-vector: the scalar claim is its one entry
    (r"a^2 + 3a", "a", r"2a + 3", (), {"a": (1,)}, H),
    (r"a^2 + 3a", "a", r"2a", (), {"a": (1,)}, R),
    # A symmetric / spd at numeric sizes (the check runs entry by entry)
    (r"\mathbf{x}^\top A \mathbf{x}", r"\mathbf{x}", r"2 A \mathbf{x}", ["A symmetric"], {"A": (3, 3), "x": (3,)}, H),
    (r"\mathbf{x}^\top A \mathbf{x}", r"\mathbf{x}", r"2 A \mathbf{x}", (), {"A": (3, 3), "x": (3,)}, R),
    (r"\mathbf{x}^\top A \mathbf{x}", r"\mathbf{x}", r"A \mathbf{x}", ["A symmetric"], {"A": (3, 3), "x": (3,)}, R),
    (r"\mathbf{x}^\top A^{-1} \mathbf{x}", r"\mathbf{x}", r"2 A^{-1} \mathbf{x}", ["A spd"], {"A": (2, 2), "x": (2,)}, H),
    (r"\mathbf{x}^\top A^{-1} \mathbf{x}", r"\mathbf{x}", r"2 A \mathbf{x}", ["A spd"], {"A": (2, 2), "x": (2,)}, R),
    # \det of an explicit matrix
    (r"\det\begin{pmatrix} x & 1 \\ 2 & y \end{pmatrix}", "x", "y", (), None, H),
    (r"\det\begin{pmatrix} x & 1 \\ 2 & y \end{pmatrix}", "x", "x", (), None, R),
])
def test_verdicts(f, wrt, claim, where, variables, expected):
    verdict = verify(f, wrt, claim, where=where, variables=variables, budget=10)
    assert verdict.status in expected, verdict.explanation


def test_symmetric_quadratic_form_against_sympy():
    """The written-out symmetric A gives the gradient SymPy computes for a symmetric matrix."""
    xs = sp.symbols("x_1:4", real=True)
    A = sp.Matrix(3, 3, lambda i, j: sp.Symbol(f"a_{min(i, j)}{max(i, j)}", real=True))
    xv = sp.Matrix(xs)
    grad = [sp.diff((xv.T * A * xv)[0, 0], v) for v in xs]
    assert all(sp.expand(g - c) == 0 for g, c in zip(grad, 2 * A * xv))


def test_a_vector_declared_and_defined_with_other_shapes_names_both():
    with pytest.raises(SymdiffError, match=r"y is used with two shapes: declared in variables as \(3,\), but "
                                           r"defined as a vector of 2"):
        verify(r"\mathbf{y} = A\mathbf{x}", "x", r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = A",
               variables={"A": (2, 3), "x": (3,), "y": (3,)})
    with pytest.raises(SymdiffError, match=r"z is used with two shapes: declared in variables as \('n',\)"):
        verify(r"L = \|\mathbf{z}\|^2, \quad \mathbf{z} = A\mathbf{x}", "x", r"2 A^\top A \mathbf{x}",
               variables={"A": ("m", "n"), "x": ("n",), "z": ("n",)})
    # the same shape twice is one use
    ok = verify(r"L = \|\mathbf{z}\|^2, \quad \mathbf{z} = A\mathbf{x}", "x", r"2 A^\top A \mathbf{x}",
                variables={"A": (2, 3), "x": (3,), "z": (2,)})
    assert ok.status == "proved"
    A = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    x0 = np.array([0.3, -0.7, 1.1])
    fd = [(np.sum((A @ (x0 + e)) ** 2) - np.sum((A @ (x0 - e)) ** 2)) / 2e-6 for e in np.eye(3) * 1e-6]
    assert np.allclose(fd, 2 * A.T @ A @ x0, atol=1e-5)


def test_a_jacobian_claim_leaves_the_ones_size_open():
    """Only a scalar function's gradient lends its shape: 1 1^T as a Jacobian is not guessed."""
    from symdiff.errors import ParseError
    with pytest.raises(ParseError, match="size of a ones or zero vector"):
        verify(r"\mathbf{y} = \mathbf{x} + \mathbf{1}", r"\mathbf{x}",
               r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = \mathbf{1}\mathbf{1}^T", variables={"x": (3,)})


def test_statement_spellings_read_as_derivatives_and_names():
    from symdiff.latex.statements import derivative_side, plain_name, read_statement, Piece
    for text in (r"\frac{\mathrm d y}{\mathrm d x}", r"\frac{\mathrm{d}y}{\mathrm{d}x}", r"\frac{dy}{dx}"):
        side = derivative_side(Piece(text, 0))
        assert side.target.text == "y" and side.wrt == "x", text
    assert plain_name(r"\dot{q}") == "dot_q" and plain_name(r"h_\theta") == "h_theta"
    clause = read_statement(r"\ell = \log h_\theta(x), \quad h_\theta(x) = \sigma(\theta^T x)").clauses[0]
    assert clause.head.name == "h_theta" and clause.head.params == ("x",)


def test_an_entry_clause_defines_every_entry():
    """y_i = w x_i in a where-clause: E = 1/2 sum (w x_i - t_i)^2, its derivative by SymPy."""
    w = sp.Symbol("w", real=True)
    xs, ts = sp.symbols("x_1:4", real=True), sp.symbols("t_1:4", real=True)
    by_hand = sp.diff(sum((w * a - b) ** 2 for a, b in zip(xs, ts)) / 2, w)
    f = r"E = \frac{1}{2}\sum_{i=1}^{3}(y_i - t_i)^2, \text{ где } y_i = w \cdot x_i"
    right = verify(f, "w", r"\frac{\partial E}{\partial w} = \sum_{i=1}^{3}(w x_i - t_i) x_i")
    wrong = verify(f, "w", r"\frac{\partial E}{\partial w} = \sum_{i=1}^{3}(w x_i - t_i)")
    assert right.status == "proved" and wrong.status == "refuted"
    assert sp.expand(by_hand - sum((w * a - b) * a for a, b in zip(xs, ts))) == 0


def test_a_where_string_with_juxtaposition_is_latex():
    right = verify(r"f(w) = \operatorname{ReLU}(w z + b)", "w", r"\mathbb{1}(w z + b > 0)\, z", where=["w z + b != 0"])
    assert right.status in H


def test_a_chain_rule_link_is_notation_and_said_so():
    from symdiff.latex.statements import is_chain_rule_product
    assert is_chain_rule_product(r"\frac{\partial L}{\partial \hat{y}} \cdot \frac{\partial \hat{y}}{\partial w}")
    assert not is_chain_rule_product(r"\frac{1}{2}\frac{dy}{dx}") and not is_chain_rule_product(r"\frac{d}{dx} x^2")
    w, x, y = sp.symbols("w x y", real=True)
    assert sp.expand(sp.diff((y - w * x) ** 2, w) - (-2 * x * (y - w * x))) == 0
    chain = r"\frac{\partial L}{\partial w} = \frac{\partial L}{\partial \hat{y}} \cdot \frac{\partial \hat{y}}{\partial w} = {}"
    right = verify(r"L = (y - w x)^2", "w", chain.replace("{}", r"-2x(y - w x)"))
    wrong = verify(r"L = (y - w x)^2", "w", chain.replace("{}", r"-x(y - w x)"))
    assert right.status == "proved" and wrong.status == "refuted"
    assert "notation and were not checked" in right.explanation
