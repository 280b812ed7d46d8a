"""Matrix-level reverse mode: the lecture's matrix results, every matrix rule against
the tape engine and finite differences, and closed forms against scalar expansion."""
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

import symdiff
import symdiff.tape as tp
from symdiff.testing.profiles import profile_settings
from symdiff.errors import EvaluationError, ShapeError

from matrix_cases import matrix_rule_cases
from symdiff.matrix import (cholesky, cross_entropy, logdet, logsumexp_rows, softmax_rows,
                            sum_entries)

n, m, k = sp.symbols("n m k", integer=True, positive=True)


def fd_grad(f, arrays, i, h=1e-6):
    """Central finite differences of scalar f w.r.t. arrays[i]."""
    x = arrays[i]
    out = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        up = [a.copy() for a in arrays]
        down = [a.copy() for a in arrays]
        up[i][idx] += h
        down[i][idx] -= h
        out[idx] = (float(np.sum(f(*up))) - float(np.sum(f(*down)))) / (2 * h)
    return out


# --- the lecture's results -----------------------------------------------------------

MLP_LAYER = """
X: (n, m)
A: (m, k)
b: (1, k)
W: (n, k)
M = X @ A
S = M + b
Y = tanh(S)
E = sum(hadamard(W, Y))
"""


def test_mlp_layer_table_matches_the_lecture():
    g = symdiff.gradient(MLP_LAYER, ["X", "A", "b"])
    adj = {t.name: e for t, e in g.adjoint_part}
    X, A = sp.MatrixSymbol("X", n, m), sp.MatrixSymbol("A", m, k)
    dM = sp.MatrixSymbol("dE_dM", n, k)
    assert adj["dE_dX"] == dM * A.T          # dX = dM Aᵀ
    assert adj["dE_dA"] == X.T * dM          # dA = Xᵀ dM
    assert adj["dE_dM"] == sp.MatrixSymbol("dE_dS", n, k)   # dM = dS
    rng = np.random.default_rng(0)
    Xv, Av, bv, Wv = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=(1, 2)), rng.normal(size=(4, 2))
    _, (dX, dA, db) = symdiff.compile(g, ["X", "A", "b", "W"])(Xv, Av, bv, Wv)
    S = Xv @ Av + bv
    dS = (1 - np.tanh(S) ** 2) * Wv           # dS = f'(S) ∘ dY
    assert np.allclose(dX, dS @ Av.T) and np.allclose(dA, Xv.T @ dS)
    assert np.allclose(db, dS.sum(axis=0, keepdims=True))   # db = dS, summed over the rows


def test_mse_linear_regression_gradient_is_2_xt_residual():
    X, A, Y = sp.MatrixSymbol("X", n, m), sp.MatrixSymbol("A", m, 1), sp.MatrixSymbol("Y", n, 1)
    E = (X * A - Y).T * (X * A - Y)
    g = symdiff.gradient(E, [A])
    # closed form against the lecture's 2 Xᵀ(XA − Y), by scalar expansion at 3x2
    sizes = {n: 3, m: 2}
    ours = _explicit(g[A], sizes)
    lecture = _explicit(2 * X.T * (X * A - Y), sizes)
    assert sp.expand(ours - lecture) == sp.zeros(2, 1)


def test_mse_program_text_has_the_lecture_intermediates():
    g = symdiff.gradient("X: (n, m)\nA: (m, 1)\nY: (n, 1)\nD = X @ A - Y\nR = D.T\nE = R @ D", ["A"])
    D, R, X = sp.MatrixSymbol("D", n, 1), sp.MatrixSymbol("R", 1, n), sp.MatrixSymbol("X", n, m)
    # the lecture's dE/dA = Xᵀ (Rᵀ + D)
    assert g.in_intermediates("A") == X.T * (R.T + D)


def test_inverse_and_transpose_rules():
    X = sp.MatrixSymbol("X", 3, 3)
    W = sp.MatrixSymbol("W", 3, 3)
    g = symdiff.gradient(sum_entries(sp.HadamardProduct(W, sp.Inverse(X).T)), [X])
    rng = np.random.default_rng(1)
    Xv = rng.normal(size=(3, 3)) + 3 * np.eye(3)
    Wv = rng.normal(size=(3, 3))
    _, (dX,) = symdiff.compile(g, [X, W])(Xv, Wv)
    Y = np.linalg.inv(Xv)
    dY = Wv.T                            # transpose: dY = (dYᵀ)ᵀ
    assert np.allclose(dX, -Y.T @ dY @ Y.T)   # inverse: dX = −Yᵀ dY Yᵀ


def test_soft_arg_max_jacobian():
    S = sp.MatrixSymbol("S", 1, 4)
    G = sp.MatrixSymbol("G", 1, 4)
    g = symdiff.gradient(sum_entries(sp.HadamardProduct(G, softmax_rows(S))), [S])
    rng = np.random.default_rng(2)
    s, gv = rng.normal(size=(1, 4)), rng.normal(size=(1, 4))
    _, (dS,) = symdiff.compile(g, [S, G])(s, gv)
    y = np.exp(s[0]) / np.exp(s[0]).sum()
    J = np.array([[y[i] * ((i == j) - y[j]) for j in range(4)] for i in range(4)])  # y_i(δ_ij − y_j)
    assert np.allclose(dS[0], J.T @ gv[0])


def test_cross_entropy_gradient_is_softmax_minus_targets():
    S = sp.MatrixSymbol("S", n, k)
    Y = sp.MatrixSymbol("Y", n, k)
    g = symdiff.gradient(cross_entropy(S, Y), [S])
    assert g[S] == softmax_rows(S) - Y


def test_logsumexp_derivative_is_soft_arg_max():
    S = sp.MatrixSymbol("S", n, k)
    g = symdiff.gradient(sum_entries(logsumexp_rows(S)), [S])
    assert g[S] == softmax_rows(S)


# --- every matrix rule: compiled vs tape vs finite differences -----------------------

CASES = matrix_rule_cases()



@pytest.mark.parametrize("name", sorted(CASES))
@profile_settings(6 / 30, minimum=6, deadline=None)
@given(seed=st.integers(0, 2 ** 31 - 1), size=st.integers(2, 4), rows=st.integers(1, 4),
       inner=st.integers(1, 4))
def test_matrix_rule_against_tape_and_finite_differences(matrix_values, name, seed, size, rows, inner):
    symbols, expr, tape_fn = matrix_rule_cases(size, rows, inner)[name]
    if isinstance(expr, sp.MatrixExpr):
        expr = expr[0, 0]
    g = symdiff.gradient(expr, symbols)
    fn = symdiff.compile(g, symbols)
    values = matrix_values(symbols, np.random.default_rng(seed))
    value, grads = fn(*values)
    tape_value, tape_grads = tp.value_and_grad(tape_fn, argnums=tuple(range(len(symbols))))(*values)
    assert np.allclose(value, tape_value)
    for i, (ours, theirs) in enumerate(zip(grads, tape_grads)):
        assert np.allclose(ours, theirs, rtol=1e-6, atol=1e-8), (name, symbols[i])
        if symbols[i].name != "P":  # P's gradient is w.r.t. a symmetric matrix: checked below
            fd = fd_grad(lambda *a: fn(*a)[0], values, i)
            assert np.allclose(ours, fd, rtol=1e-4, atol=1e-6), (name, symbols[i])


def test_cholesky_and_logdet_gradients_along_symmetric_directions(matrix_values):
    P = sp.MatrixSymbol("P", 3, 3)
    B = sp.MatrixSymbol("B", 3, 3)
    for expr in (sum_entries(sp.HadamardProduct(cholesky(P), B)), logdet(P)):
        g = symdiff.gradient(expr, [P])
        fn = symdiff.compile(g, [P, B])
        rng = np.random.default_rng(3)
        Pv, Bv = matrix_values([P, B], rng)
        _, (dP,) = fn(Pv, Bv)
        E = rng.normal(size=(3, 3))
        E = E + E.T
        h = 1e-6
        fd = (fn(Pv + h * E, Bv)[0] - fn(Pv - h * E, Bv)[0]) / (2 * h)
        assert np.isclose(np.sum(dP * E), fd, rtol=1e-5)


# --- closed forms against scalar expansion (2x2 and 3x3) -------------------------------

def _explicit(expr, sizes=None):
    """Replace every MatrixSymbol by an explicit matrix of scalar symbols and evaluate."""
    sizes = sizes or {}
    expr = expr.xreplace(sizes) if sizes else expr
    subs = {}
    for s in expr.atoms(sp.MatrixSymbol):
        r, c = (int(d) for d in s.shape)
        subs[s] = sp.ImmutableMatrix(r, c, lambda i, j: sp.Symbol(f"{s.name}_{i}{j}", real=True))
    return sp.ImmutableMatrix(expr.xreplace(subs).doit()) if isinstance(expr, sp.MatrixExpr) \
        else expr.xreplace(subs).doit()


@pytest.mark.parametrize("size", [2, 3])
@pytest.mark.parametrize("name", ["matmul", "matadd", "transpose", "inverse", "hadamard", "elementwise",
                                  "trace", "determinant", "softmax rows"])
def test_closed_form_matches_scalar_expansion(name, size):
    symbols, expr, _ = CASES[name]
    resize = {s: sp.MatrixSymbol(s.name, size, size) for s in symbols if isinstance(s, sp.MatrixSymbol)}
    expr = expr.xreplace(resize)
    symbols = [resize.get(s, s) for s in symbols]
    if isinstance(expr, sp.MatrixExpr):
        expr = expr[0, 0]
    g = symdiff.gradient(expr, symbols)
    f_explicit = _explicit(expr)
    rng = np.random.default_rng(size)
    for s in symbols:
        ours = _explicit(g[s])
        point = {}
        for sym in f_explicit.free_symbols | ours.free_symbols:
            point[sym] = float(rng.normal()) + (3.0 if sym.name[-2:] in ("00", "11", "22") else 0.0)
        for i in range(size):
            for j in range(size):
                ref = sp.diff(f_explicit, sp.Symbol(f"{s.name}_{i}{j}", real=True))
                assert abs(float(ours[i, j].evalf(subs=point)) - float(ref.evalf(subs=point))) < 1e-9


# --- bad input ---------------------------------------------------------------------

def test_shape_mismatch_names_both_shapes_and_the_line():
    with pytest.raises(ShapeError, match=r"line 4.*\(n, m\) and \(k, m\)"):
        symdiff.gradient("X: (n, m)\nA: (k, m)\nb: (1, k)\nM = X @ A\nE = sum(M)", ["X"])


def test_non_scalar_function_is_refused_with_its_shape():
    with pytest.raises(ShapeError, match="not scalar-valued.*n x m"):
        symdiff.gradient("X: (n, m)\nY = tanh(X)", ["X"])


def test_singular_inverse_raises_at_evaluation():
    X = sp.MatrixSymbol("X", 2, 2)
    fn = symdiff.compile(symdiff.gradient(sp.Trace(sp.Inverse(X)), [X]), [X])
    with pytest.raises(EvaluationError, match="singular"):
        fn(np.ones((2, 2)))


def test_cholesky_of_indefinite_matrix_raises():
    X = sp.MatrixSymbol("X", 2, 2)
    fn = symdiff.compile(symdiff.gradient(sum_entries(cholesky(X)), [X]), [X])
    with pytest.raises(EvaluationError, match="positive definite"):
        fn(np.array([[1.0, 2.0], [2.0, 1.0]]))


def test_wrong_argument_shape_is_named():
    X = sp.MatrixSymbol("X", n, 3)
    fn = symdiff.compile(symdiff.gradient(sum_entries(X), [X]), [X])
    with pytest.raises(ShapeError, match="argument X has shape \\(4, 2\\)"):
        fn(np.ones((4, 2)))
