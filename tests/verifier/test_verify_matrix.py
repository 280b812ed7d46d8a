"""``symdiff.verify`` with respect to a matrix: claims checked against independent values.

Every refutation's counterexample is re-checked here with NumPy from the
matrices it reports (the derivative computed by hand, not by symdiff), and the
structure markers are checked on the matrices the sampler draws.
"""
import pathlib

import numpy as np
import pytest
import sympy as sp

import symdiff
from symdiff import SymdiffError, verify
from symdiff.verifier import ClaimShapeError, DomainError, UnknownVariableError
from symdiff.verifier.matrix import check_matrix_claim, sample_structure

B = 4.0  # seconds per check; each takes well under one

n = sp.Symbol("n", integer=True, positive=True)
m = sp.Symbol("m", integer=True, positive=True)
A = sp.MatrixSymbol("A", n, n)
X = sp.MatrixSymbol("X", n, n)
Q = sp.MatrixSymbol("Q", n, n)
x = sp.MatrixSymbol("x", n, 1)
y = sp.MatrixSymbol("y", n, 1)
c = sp.Symbol("c", real=True)
I = sp.Identity(n)


def _arr(value):
    return np.array(value, dtype=float)


def _refuted_entry_differs(v):
    """The reported entry really differs between the claimed and the actual matrix."""
    r, col = v.counterexample["entry"]
    claimed, actual = _arr(v.counterexample["claimed"]), _arr(v.counterexample["actual"])
    assert claimed[r - 1, col - 1] != pytest.approx(actual[r - 1, col - 1])
    return claimed, actual


# ---------------------------------------------------------------------------
# d/dX tr(AX) = A^T, at symbolic sizes
# ---------------------------------------------------------------------------

def test_trace_of_a_product_is_proved_with_the_transpose():
    v = verify(sp.Trace(A * X), X, A.T, budget=B)
    assert v.status == "proved"
    assert "every size" in v.explanation
    assert v.counterexample is None and v.evidence["points"] >= 1


def test_missing_transpose_is_refuted_with_a_counterexample():
    v = verify(sp.Trace(A * X), X, A, budget=B)
    assert v.status == "refuted"
    ce = v.counterexample
    size = ce["sizes"]["n"]
    assert size in (2, 3, 4)
    a = _arr(ce["point"]["A"])
    assert a.shape == (size, size)
    claimed, actual = _refuted_entry_differs(v)
    # independently: d tr(AX) / dX_ij = A_ji
    np.testing.assert_allclose(actual, a.T, rtol=1e-5)
    np.testing.assert_allclose(claimed, a, rtol=1e-5)
    assert "so the claim is wrong" in v.explanation


def test_claims_as_text_latex_and_program_text():
    assert verify(sp.Trace(A * X), X, "A.T", budget=B).status == "proved"
    assert verify(sp.Trace(A * X), X, r"A^\top", budget=B).status == "proved"
    program = "A: (n, n)\nX: (n, n)\nC = A @ X\nL = trace(C)"
    assert verify(program, "X", "A.T", budget=B).status == "proved"
    assert verify(program, X, A.T, budget=B).status == "proved"
    assert verify(program, "X", "A", budget=B).status == "refuted"


def test_rectangular_matrices_and_sum_of_entries():
    Xr = sp.MatrixSymbol("X", n, m)
    a = sp.MatrixSymbol("a", m, 1)
    f = symdiff.sum_entries(Xr * a)             # sum_i sum_k X_ik a_k: d/dX_ik = a_k
    v = verify(f, Xr, sp.OneMatrix(n, 1) * a.T, budget=B)
    assert v.status == "proved"
    v = verify(f, Xr, 2 * sp.OneMatrix(n, 1) * a.T, budget=B)
    assert v.status == "refuted"
    claimed, actual = _refuted_entry_differs(v)
    av = _arr(v.counterexample["point"]["a"]).ravel()
    rows = v.counterexample["sizes"]["n"]
    np.testing.assert_allclose(actual, np.outer(np.ones(rows), av), rtol=1e-5)


# ---------------------------------------------------------------------------
# x^T X y, log det
# ---------------------------------------------------------------------------

def test_bilinear_form():
    f = x.T * X * y                             # a 1 x 1 matrix: d/dX_ij = x_i y_j
    assert verify(f, X, x * y.T, budget=B).status == "proved"
    v = verify(f, X, y * x.T, budget=B)
    assert v.status == "refuted"
    claimed, actual = _refuted_entry_differs(v)
    xv, yv = _arr(v.counterexample["point"]["x"]).ravel(), _arr(v.counterexample["point"]["y"]).ravel()
    np.testing.assert_allclose(actual, np.outer(xv, yv), rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(claimed, np.outer(yv, xv), rtol=1e-5, atol=1e-9)


def test_logdet_of_an_spd_matrix():
    for claim in (X.I, X.T.I):
        v = verify(symdiff.logdet(X), X, claim, where=[symdiff.spd(X)], budget=B)
        assert v.status in ("proved", "consistent"), v
        assert "symmetric parts" in v.explanation
    v = verify(symdiff.logdet(X), X, X, where=[symdiff.spd(X)], budget=B)
    assert v.status == "refuted"
    xv = _arr(v.counterexample["point"]["X"])
    np.testing.assert_allclose(xv, xv.T)                  # sampled symmetric ...
    assert np.all(np.linalg.eigvalsh(xv) > 0)             # ... and positive definite


def test_logdet_of_a_general_matrix_needs_the_transpose():
    assert verify(symdiff.logdet(X), X, X.T.I, budget=B).status == "proved"
    v = verify(symdiff.logdet(X), X, X.I, budget=B)
    assert v.status == "refuted"
    xv = _arr(v.counterexample["point"]["X"])
    # only points where log det X is real count: the function must be defined there
    assert np.linalg.det(xv) > 0
    claimed, actual = _refuted_entry_differs(v)
    np.testing.assert_allclose(actual, np.linalg.inv(xv).T, rtol=1e-4)


# ---------------------------------------------------------------------------
# A symmetric variable: gradients agree up to an antisymmetric part
# ---------------------------------------------------------------------------

def test_symmetric_wrt_compares_symmetric_parts():
    f = sp.Trace(A * X)
    where = [symdiff.symmetric(X)]
    v = verify(f, X, (A + A.T) / 2, where=where, budget=B)
    assert v.status == "proved"
    assert v.explanation.startswith("X is symmetric") and "symmetric parts" in v.explanation
    assert v.evidence["symmetric_parts"] is True
    # A^T and A have the same symmetric part: both hold for a symmetric X ...
    assert verify(f, X, A.T, where=where, budget=B).holds
    assert verify(f, X, A, where=where, budget=B).holds
    # ... but not without the marker
    assert verify(f, X, A, budget=B).status == "refuted"
    # a claim off by a symmetric matrix is wrong
    v = verify(f, X, A + I, where=where, budget=B)
    assert v.status == "refuted"
    claimed, actual = _refuted_entry_differs(v)
    a, xv = _arr(v.counterexample["point"]["A"]), _arr(v.counterexample["point"]["X"])
    np.testing.assert_allclose(xv, xv.T)                 # X was sampled symmetric
    np.testing.assert_allclose(actual, (a + a.T) / 2, rtol=1e-5)
    np.testing.assert_allclose(claimed, (a + a.T) / 2 + np.eye(len(a)), rtol=1e-5)
    # a claim may only use the function's variables
    with pytest.raises(UnknownVariableError, match="c"):
        verify(f, X, A + c * I, where=where, budget=B)


# ---------------------------------------------------------------------------
# Orthogonal matrices
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("size", [1, 2, 3, 4, 5])
def test_orthogonal_sampler_is_exactly_orthogonal(size):
    dets, non_integer = set(), False
    for seed in range(8):
        q = sample_structure("orthogonal", size, size, seed=seed)
        assert all(isinstance(e, sp.Rational) for e in q)
        assert q.T * q == sp.eye(size) and q * q.T == sp.eye(size)    # exact, not approximately
        dets.add(q.det())
        non_integer |= any(not e.is_Integer for e in q)
    assert dets == {1, -1}                      # both components of O(n) are sampled
    if size > 1:
        assert non_integer                      # not only signed permutations


def test_a_claim_true_only_for_orthogonal_matrices_holds_but_is_not_proved():
    where = [symdiff.orthogonal(Q)]
    # d/dX tr(Q^{-1} X) = Q^{-T}, which is Q when Q is orthogonal
    v = verify(sp.Trace(Q.I * X), X, Q, where=where, budget=B)
    assert v.status == "consistent", v
    assert "orthogonal" in v.explanation
    # d/dX tr(Q^T Q X) = (Q^T Q)^T = I for orthogonal Q
    v = verify(sp.Trace(Q.T * Q * X), X, I, where=where, budget=B)
    assert v.status == "consistent", v
    # at fixed sizes the entry-by-entry expansion treats Q as a general matrix: still not a proof
    Q2, X2 = sp.MatrixSymbol("Q", 2, 2), sp.MatrixSymbol("X", 2, 2)
    v = verify(sp.Trace(Q2.T * Q2 * X2), X2, sp.Identity(2), where=[symdiff.orthogonal(Q2)], budget=B)
    assert v.status == "consistent", v
    # what holds for every Q is proved
    assert verify(sp.Trace(Q.T * Q * X), X, Q.T * Q, where=where, budget=B).status == "proved"
    # without the marker the orthogonal-only claims are wrong
    assert verify(sp.Trace(Q.I * X), X, Q, budget=B).status == "refuted"
    assert verify(sp.Trace(Q.T * Q * X), X, I, budget=B).status == "refuted"


def test_a_wrong_claim_with_an_orthogonal_matrix_is_refuted():
    v = verify(sp.Trace(Q.I * X), X, Q.T, where=[symdiff.orthogonal(Q)], budget=B)
    assert v.status == "refuted"
    q = _arr(v.counterexample["point"]["Q"])
    np.testing.assert_allclose(q.T @ q, np.eye(len(q)), atol=1e-5)   # the counterexample is orthogonal
    claimed, actual = _refuted_entry_differs(v)
    np.testing.assert_allclose(actual, q, atol=1e-5)                 # Q^{-T} = Q
    Q2, X2 = sp.MatrixSymbol("Q", 2, 2), sp.MatrixSymbol("X", 2, 2)
    v = verify(sp.Trace(Q2.T * Q2 * X2), X2, 2 * sp.Identity(2), where=[symdiff.orthogonal(Q2)], budget=B)
    assert v.status == "refuted"


# ---------------------------------------------------------------------------
# Scalars next to matrices, a scalar wrt, a wrt the function does not use
# ---------------------------------------------------------------------------

def test_scalar_conditions_and_assumptions_shape_the_domain():
    s = sp.Symbol("s", real=True)
    f = sp.sqrt(s ** 2) * sp.Trace(X)           # |s| tr X: the gradient is |s| I
    assert verify(f, X, s * I, where=[s > 0], budget=B).holds
    sp_ = sp.Symbol("s", positive=True)
    assert verify(sp.sqrt(sp_ ** 2) * sp.Trace(X), X, sp_ * I, budget=B).holds
    v = verify(f, X, s * I, budget=B)
    assert v.status == "refuted"
    assert v.counterexample["point"]["s"] < 0
    v = verify(f, X, s * I, where=[s > 1, s < 0], budget=B)
    assert v.status == "undetermined" and "empty" in v.explanation


def test_scalar_wrt_of_a_function_of_matrices():
    f = c * sp.Trace(A * X)
    assert verify(f, c, sp.Trace(A * X), budget=B).status == "proved"
    v = verify(f, c, sp.Trace(A), budget=B)
    assert v.status == "refuted"
    a, xv = _arr(v.counterexample["point"]["A"]), _arr(v.counterexample["point"]["X"])
    assert v.counterexample["actual"][0][0] == pytest.approx(np.trace(a @ xv), rel=1e-4)


def test_wrt_not_in_the_function_has_a_zero_derivative():
    assert verify(sp.Trace(A), X, sp.ZeroMatrix(n, n), budget=B).status == "proved"
    assert verify(sp.Trace(A), X, 0, budget=B).status == "proved"
    assert verify(sp.Trace(A), X, A, budget=B).status == "refuted"


def test_budget_and_seed():
    v = verify(sp.Trace(A * X), X, A, budget=0)
    assert v.status == "undetermined" and "budget" in v.explanation
    one = verify(sp.Trace(A * X), X, A, budget=B, seed=3)
    assert one == verify(sp.Trace(A * X), X, A, budget=B, seed=3)
    assert one.status == "refuted"


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------

def test_markers_take_a_square_matrix_symbol():
    s = sp.Symbol("s")
    for marker in (symdiff.symmetric, symdiff.spd, symdiff.invertible, symdiff.orthogonal):
        with pytest.raises(DomainError, match="MatrixSymbol"):
            marker(s)
        with pytest.raises(DomainError, match="MatrixSymbol"):
            marker([s])
        with pytest.raises(DomainError, match="square"):
            marker(sp.MatrixSymbol("R", n, m))
    assert isinstance(DomainError("x"), SymdiffError)


def test_claim_of_the_wrong_shape_names_both_shapes():
    Xr = sp.MatrixSymbol("X", n, m)
    # the shape of X^T: numerator layout, or the gradient with a transpose dropped; the shape cannot tell
    v = verify(symdiff.sum_entries(Xr), Xr, sp.OneMatrix(m, n), budget=B)
    assert v.status == "undetermined" and "m x n" in v.explanation and "n x m" in v.explanation
    assert "layout" in v.explanation and "dropped" in v.explanation
    # wrong in the transposed reading too: refuted
    assert verify(symdiff.sum_entries(Xr), Xr, 2 * sp.OneMatrix(m, n), budget=B).status == "refuted"
    # a row gradient of a vector is the numerator layout everyone reads
    assert verify(r"x^\top x", "x", r"2x^\top", variables={"x": ("n",)}, budget=B).status == "proved"
    with pytest.raises(ClaimShapeError, match="n x n"):
        verify(sp.Trace(A * X), X, sp.Trace(A), budget=B)
    with pytest.raises(ClaimShapeError, match="A as an n x m matrix"):
        verify(sp.Trace(A * X), X, sp.MatrixSymbol("A", n, m), budget=B)


def test_other_bad_input_is_named():
    with pytest.raises(SymdiffError, match="one matrix at a time"):
        verify(sp.Trace(A * X), [X], A.T, budget=B)
    with pytest.raises(SymdiffError, match="one matrix at a time"):
        verify(sp.Trace(A * X), [A, X], [A.T, X.T], budget=B)
    with pytest.raises(UnknownVariableError, match="C"):
        verify(sp.Trace(A * X), X, A.T + sp.MatrixSymbol("C", n, n), budget=B)
    with pytest.raises(DomainError, match="not supported for matrix claims"):
        verify(sp.Trace(A * X), X, A.T, where=[symdiff.simplex([sp.Symbol("p"), sp.Symbol("q")])], budget=B)
    with pytest.raises(DomainError, match="size n"):
        verify(sp.Trace(A * X), X, A.T, where=[n > 2], budget=B)
    with pytest.raises(DomainError, match="matrices"):
        verify(sp.Trace(A * X), X, A.T, where=[sp.Trace(X) > 0], budget=B)
    with pytest.raises(DomainError, match="Z is not a matrix"):
        verify(sp.Trace(A * X), X, A.T, where=[symdiff.spd(sp.MatrixSymbol("Z", n, n))], budget=B)
    with pytest.raises(DomainError, match="two structure markers"):
        verify(sp.Trace(A * X), X, A.T, where=[symdiff.spd(X), symdiff.symmetric(X)], budget=B)
    with pytest.raises(DomainError, match="describes a matrix"):
        verify(sp.Symbol("t") ** 2, sp.Symbol("t"), 2 * sp.Symbol("t"), where=[symdiff.spd(X)], budget=B)
    with pytest.raises(ClaimShapeError, match="scalar-valued"):
        verify(A * X, X, A, budget=B)
    with pytest.raises(SymdiffError, match="equation"):
        verify(sp.Trace(A * X), X, sp.Eq(A, X), budget=B)


# ---------------------------------------------------------------------------
# The layers: the checker lives in the verifier, the derivations use it
# ---------------------------------------------------------------------------

def test_matrix_claims_live_in_the_verifier():
    from symdiff.derivations import exact, run
    from symdiff.verifier import matrix

    assert run.check_matrix_claim is check_matrix_claim is matrix.check_matrix_claim
    assert exact.compare_exactly is matrix.compare_exactly
    verifier_dir = pathlib.Path(matrix.__file__).parent
    for path in verifier_dir.glob("*.py"):
        text = path.read_text()
        assert "derivations" not in "".join(l for l in text.splitlines(True) if "import" in l), path
    for name in ("symmetric", "spd", "invertible", "orthogonal"):
        assert getattr(symdiff, name) is getattr(symdiff.verifier, name)
        assert name in symdiff.__all__


def test_check_matrix_claim_with_an_orthogonal_structure():
    r = check_matrix_claim(Q.T * Q, I, structures={"Q": "orthogonal"}, budget=B)
    assert r.status == "consistent"
    r = check_matrix_claim(Q.T * Q, I, structures={}, budget=B)
    assert r.status == "refuted"
    with pytest.raises(SymdiffError, match="unknown matrix structure"):
        check_matrix_claim(Q, Q, structures={"Q": "unitary"}, budget=B)


@pytest.mark.parametrize("f, right, wrong", [
    (r"(x^\top x)^2 + x^\top x", r"4(x^\top x)x + 2x", r"4(x^\top x)x"),       # (x^T x) x: a 1x1 factor scales
    (r"\exp(-x^\top x)", r"-2x\exp(-x^\top x)", r"-x\exp(-x^\top x)"),          # a function of the number x^T x
    (r"\|x\|^4", r"4\|x\|^2 x", r"2\|x\|^2 x"),
    (r"(x^\top A x)^2", r"2(x^\top A x)(A + A^\top)x", r"4(x^\top A x)A x"),
])
def test_scalar_products_of_named_size_vectors(f, right, wrong):
    shapes = {"x": ("n",), "A": ("n", "n")}
    assert verify(f, "x", right, variables=shapes, budget=20).status in ("proved", "consistent")
    assert verify(f, "x", wrong, variables=shapes, budget=20).status == "refuted"


def test_gaussian_negative_log_likelihood_in_the_covariance():
    shapes = {"x": ("n",), r"\mu": ("n",), r"\Sigma": ("n", "n")}
    f = r"\frac{1}{2}\log\det\Sigma + \frac{1}{2}(x-\mu)^\top\Sigma^{-1}(x-\mu)"
    right = r"\frac{1}{2}\Sigma^{-1} - \frac{1}{2}\Sigma^{-1}(x-\mu)(x-\mu)^\top\Sigma^{-1}"
    assert verify(f, r"\Sigma", right, where=[r"\Sigma spd"], variables=shapes, budget=20).status == "proved"
    wrong = right.replace("} - \\frac", "} + \\frac")
    assert verify(f, r"\Sigma", wrong, where=[r"\Sigma spd"], variables=shapes, budget=20).status == "refuted"
