r"""The ones and zero vectors (\mathbf{1}, \mathbb{1}, \mathbf 0, sizes from the formula), \log|\det M|,
\det of an explicit matrix and Vmatrix, compared with NumPy and SymPy values computed directly."""
import numpy as np
import pytest
import sympy as sp

from symdiff.errors import ParseError
from symdiff.latex import latex_readings, parse_latex

x, y = sp.symbols("x y", real=True)
RNG = np.random.default_rng(7)
X_NUM = RNG.normal(size=(2, 3))


def _at(value, matrix: sp.MatrixSymbol, numbers: np.ndarray):
    return np.array(sp.ImmutableMatrix(value.xreplace({matrix: sp.ImmutableMatrix(numbers)}).doit()).evalf(),
                    dtype=float)


@pytest.mark.parametrize("text, expected", [
    (r"\mathbf{1}^\top X \mathbf{1}", X_NUM.sum()),
    (r"\mathbf 1^\top X \mathbf 1", X_NUM.sum()),
    (r"\mathbb{1}^\top X \boldsymbol{1}", X_NUM.sum()),
    (r"X \mathbf{1}", X_NUM.sum(axis=1, keepdims=True)),
    (r"\mathbf{1}^T X", X_NUM.sum(axis=0, keepdims=True)),
    (r"X + \mathbf{1}\mathbf{1}^\top", X_NUM + 1),
    (r"X - \mathbf{0}\mathbf{1}^\top", X_NUM),
    (r"\mathbf{1}_2^\top X \mathbf{1}_{3}", X_NUM.sum()),
])
def test_ones_vector_takes_its_size_from_the_formula(text, expected):
    X = sp.MatrixSymbol("X", 2, 3)
    value = parse_latex(text, shapes={"X": (2, 3)})
    assert np.allclose(_at(value, X, X_NUM).reshape(np.shape(expected)), expected)


def test_ones_vector_at_named_and_numeric_sizes():
    n = sp.Symbol("n", integer=True, positive=True)
    x3 = sp.ImmutableMatrix(sp.symbols("x_0:3", real=True))
    assert sp.expand(parse_latex(r"\mathbf{1}^\top \mathbf{x}", shapes={"x": (3,)})[0, 0]) == sum(x3)
    value = parse_latex(r"\mathbf{1}^\top \mathbf{x}", shapes={"x": ("n",)})
    assert value.shape == (1, 1) and value.free_symbols >= {n}
    assert parse_latex(r"\mathbf{1}_n", shapes={"x": ("n",)}) == sp.OneMatrix(n, 1)
    assert parse_latex(r"\mathbf{0}_3") == sp.ImmutableMatrix.zeros(3, 1)


@pytest.mark.parametrize("text", [r"\mathbf{1}", r"\mathbf{1}^\top \mathbf{1}", r"2 \mathbf{0}"])
def test_a_size_nothing_tells_is_a_parse_error(text):
    with pytest.raises(ParseError, match=r"size of a ones or zero vector.*\\mathbf\{1\}_n"):
        parse_latex(text, shapes={"x": ("n",)})


def test_indicators_stay_indicators():
    value = parse_latex(r"\mathbf{1}\{x > 0\} + \mathbb{1}(y < 0)")
    assert value.subs({x: 2, y: 1}) == 1 and value.subs({x: -2, y: -1}) == 1


@pytest.mark.parametrize("text", [r"\log|\det M|", r"\ln|\det(M)|", r"\log \left| \det M \right|"])
def test_log_abs_det_and_its_gradient(text):
    M = sp.MatrixSymbol("M", 2, 2)
    value = parse_latex(text, shapes={"M": (2, 2)})
    numbers = np.array([[0.3, -1.2], [0.8, 0.1]])
    at = float(value.xreplace({M: sp.ImmutableMatrix(numbers)}).doit())
    assert np.isclose(at, np.log(abs(np.linalg.det(numbers))))
    # d/dM log|det M| = M^{-T}: against finite differences of NumPy's log|det|
    h, grad = 1e-6, np.zeros((2, 2))
    for i in range(2):
        for j in range(2):
            step = np.zeros((2, 2))
            step[i, j] = h
            grad[i, j] = (np.log(abs(np.linalg.det(numbers + step))) -
                          np.log(abs(np.linalg.det(numbers - step)))) / (2 * h)
    claimed = parse_latex(r"M^{-\top}", shapes={"M": (2, 2)})
    assert np.allclose(_at(claimed, M, numbers), grad, atol=1e-6)


def test_det_of_an_explicit_matrix_and_vmatrix():
    assert parse_latex(r"\det\begin{pmatrix} x & 1 \\ 2 & y \end{pmatrix}") == sp.Matrix([[x, 1], [2, y]]).det()
    assert parse_latex(r"\operatorname{tr}\begin{bmatrix} x^2 & 1 \\ 2 & y \end{bmatrix}") == x ** 2 + y
    assert parse_latex(r"\begin{Vmatrix} x \\ y \end{Vmatrix}") == sp.sqrt(x ** 2 + y ** 2)
    readings = [r.value for r in latex_readings(r"\begin{Vmatrix} x & 1 \\ 2 & y \end{Vmatrix}")]
    # double bars around a square matrix: the determinant (as vmatrix) or the Frobenius norm
    assert readings == [x * y - 2, sp.sqrt(x ** 2 + y ** 2 + 5)]


def test_abs_of_a_square_matrix_is_its_determinant():
    A = sp.MatrixSymbol("A", 3, 3)
    assert parse_latex(r"\ln|A|", shapes={"A": (3, 3)}) == sp.log(sp.Determinant(A))
    assert parse_latex(r"\left| \begin{pmatrix} x & 1 \\ 2 & y \end{pmatrix} \right|") == x * y - 2
    x2 = sp.ImmutableMatrix(sp.symbols("x_0:2", real=True))
    assert parse_latex(r"|\mathbf{x}|", shapes={"x": (2,)}) == x2.applyfunc(sp.Abs)   # a vector: entry by entry


def test_an_undeclared_identity_beside_a_square_matrix():
    n = sp.Symbol("n", integer=True, positive=True)
    X, A = sp.MatrixSymbol("X", n, n), sp.MatrixSymbol("A", 2, 2)
    lam = sp.Symbol("lambda", real=True)
    assert parse_latex(r"X + \lambda I", shapes={"X": ("n", "n")}) == X + lam * sp.Identity(n)
    assert parse_latex(r"X - \mathbf{I}_n", shapes={"X": ("n", "n")}) == X - sp.Identity(n)
    value = parse_latex(r"A - 2I", shapes={"A": (2, 2)})
    numbers = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert np.allclose(_at(value, A, numbers), numbers - 2 * np.eye(2))
    R, I, V = sp.symbols("R I V", real=True)
    assert parse_latex(r"V = I R") == sp.Eq(V, I * R, evaluate=False)       # no matrix: a number I
    with pytest.raises(ParseError, match="cannot add a scalar and a matrix"):
        parse_latex(r"X + \lambda J", shapes={"X": ("n", "n")})


def test_a_function_of_a_one_by_one_product_is_a_number():
    n = sp.Symbol("n", integer=True, positive=True)
    value = parse_latex(r"e^{\mathbf{w}^\top \mathbf{x}} \mathbf{x}", shapes={"w": ("n",), "x": ("n",)})
    assert value.shape == (n, 1)
    w, x = sp.MatrixSymbol("w", 2, 1), sp.MatrixSymbol("x", 2, 1)
    at = {w: sp.ImmutableMatrix([1, 2]), x: sp.ImmutableMatrix([3, -1])}
    numbers = np.array(sp.ImmutableMatrix(value.xreplace({n: 2}).xreplace(at).doit()).evalf(), dtype=float)
    assert np.allclose(numbers.ravel(), np.exp(1.0) * np.array([3.0, -1.0]))


@pytest.mark.parametrize("text, expected", [
    (r"\cos x \, e^{\sin x}", sp.cos(x) * sp.exp(sp.sin(x))),    # a thin space ends a function's argument
    (r"\cos x e^{x}", sp.cos(x) * sp.exp(x)),                  # e^{...} is the next function
    (r"\sin x\,y", sp.sin(x) * y),
    (r"\sin x y", sp.sin(x * y)),                              # juxtaposed factors stay the argument
])
def test_where_the_argument_of_a_bare_function_ends(text, expected):
    assert parse_latex(text) == expected
