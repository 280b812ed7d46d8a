"""Matrix and vector claims from the round-10 adversarial cases (``tests/adversarial/suite_matrix.py``),
each with the verdict its mathematics requires.

Wrong claims: a dropped transpose that is invisible for symmetric inputs, a factor 2 right only for a
symmetric matrix, a sign of d X^{-1}, a claim right only under a structure marker that is not declared,
a term that is tiny at random sizes and values, kinks in scalar parameters and in entries.  True
claims: Matrix Cookbook identities at symbolic and numeric sizes, with and without markers.  Refuted
verdicts are re-checked here with NumPy from the counterexample's own matrices (the derivative by
hand), and identities of matrix expressions are checked as such.
"""
import numpy as np
import pytest
import sympy as sp

import symdiff
from symdiff import SymdiffError, verify, verify_identity

B = 6.0
n = sp.Symbol("n", integer=True, positive=True)
m = sp.Symbol("m", integer=True, positive=True)
t = sp.Symbol("t", real=True)
A, Bm, C, X = (sp.MatrixSymbol(c, n, n) for c in "ABCX")
a, b, x = (sp.MatrixSymbol(c, n, 1) for c in "abx")
In = sp.Identity(n)
Had = sp.HadamardProduct
W2 = sp.MatrixSymbol("W", 2, 2)
W3 = sp.MatrixSymbol("W", 3, 3)
A3, B3 = sp.MatrixSymbol("A", 3, 3), sp.MatrixSymbol("B", 3, 3)
sym, spd, inv = symdiff.symmetric, symdiff.spd, symdiff.invertible

HOLDS = ("proved", "consistent")

# (id, f, wrt, claim, where, allowed verdicts)
CLAIMS = [
    # traces of products: d tr(A X B) = A^T B^T; d tr(A X B X^T) = A X B + A^T X B^T
    ("tr_axb", sp.Trace(A * X * Bm), X, A.T * Bm.T, [], ("proved",)),
    ("tr_axb_dropped_T", sp.Trace(A * X * Bm), X, Bm * A, [], ("refuted",)),
    ("tr_axbxt", sp.Trace(A * X * Bm * X.T), X, A * X * Bm + A.T * X * Bm.T, [], ("proved",)),
    ("tr_axbxt_2axb", sp.Trace(A * X * Bm * X.T), X, 2 * A * X * Bm, [], ("refuted",)),
    ("tr_axbxt_2axb_sym", sp.Trace(A * X * Bm * X.T), X, 2 * A * X * Bm, [sym(A), sym(Bm)], HOLDS),
    ("tr_axbxt_2axb_one_sym", sp.Trace(A * X * Bm * X.T), X, 2 * A * X * Bm, [sym(A)], ("refuted",)),
    ("tr_xtax_2ax", sp.Trace(X.T * A * X), X, 2 * A * X, [], ("refuted",)),
    ("tr_xtax_2ax_spd", sp.Trace(X.T * A * X), X, 2 * A * X, [spd(A)], HOLDS),
    ("tr_cubed", sp.Trace(A * X) ** 3, X, 3 * sp.Trace(A * X) ** 2 * A.T, [], ("proved",)),
    ("log_tr", sp.log(sp.Trace(X.T * X)), X, X / sp.Trace(X.T * X), [], ("refuted",)),
    ("tiny_exp_term", sp.Trace(A * X), X, A.T + sp.exp(sp.Trace(X) - 500) * In, [], ("refuted",)),
    # quadratic and bilinear forms, written as SymPy writes an entry of a 1 x 1 product (a Sum)
    ("xtax", (x.T * A * x)[0, 0], x, (A + A.T) * x, [], ("proved",)),
    ("xtax_2ax", (x.T * A * x)[0, 0], x, 2 * A * x, [], ("refuted",)),
    ("xtax_2ax_sym", (x.T * A * x)[0, 0], x, 2 * A * x, [sym(A)], HOLDS),
    ("atxb_squared", (a.T * X * b)[0, 0] ** 2, X, 2 * (a.T * X * b)[0, 0] * a * b.T, [], HOLDS),
    ("atxb_squared_half", (a.T * X * b)[0, 0] ** 2, X, (a.T * X * b)[0, 0] * a * b.T, [], ("refuted",)),
    ("atxinvb", (a.T * X.I * b)[0, 0], X, -X.I.T * a * b.T * X.I.T, [inv(X)], ("proved",)),
    ("atxinvb_no_T", (a.T * X.I * b)[0, 0], X, -X.I * a * b.T * X.I, [inv(X)], ("refuted",)),
    ("sin_xtx", sp.sin((x.T * x)[0, 0]), x, sp.cos((x.T * x)[0, 0]) * x, [], ("refuted",)),
    # inverses and determinants
    ("tr_xinv_a", sp.Trace(X.I * A), X, -(X.I * A * X.I).T, [inv(X)], ("proved",)),
    ("tr_xinv_a_sign", sp.Trace(X.I * A), X, (X.I * A * X.I).T, [inv(X)], ("refuted",)),
    ("tr_xinv_a_no_T", sp.Trace(X.I * A), X, -X.I * A * X.I, [inv(X)], ("refuted",)),
    ("det_no_T", sp.Determinant(X), X, sp.Determinant(X) * X.I, [inv(X)], ("refuted",)),
    ("det_spd", sp.Determinant(X), X, sp.Determinant(X) * X.I, [spd(X)], ("proved",)),
    ("det_sign", sp.Determinant(X), X, -sp.Determinant(X) * X.I.T, [inv(X)], ("refuted",)),
    ("det_ax_wrong", sp.Determinant(A * X), X, sp.Determinant(A * X) * (A * X).I.T, [inv(X), inv(A)], ("refuted",)),
    ("logdet_xtx", symdiff.logdet(X.T * X), X, 2 * X.I.T, [inv(X)], ("proved",)),
    ("logdet_xtx_half", symdiff.logdet(X.T * X), X, X.I.T, [inv(X)], ("refuted",)),
    # structure markers: orthogonal, Hadamard, Frobenius, sums
    ("orth_needed", sp.Trace(sp.MatrixSymbol("Q", n, n).T * A * sp.MatrixSymbol("Q", n, n)), A, In, [], ("refuted",)),
    ("hadamard_sum", symdiff.sum_entries(Had(A, X)), X, A, [], ("proved",)),
    ("hadamard_sum_T", symdiff.sum_entries(Had(A, X)), X, A.T, [], ("refuted",)),
    ("frobenius_ax", symdiff.frobenius_norm(A * X), X, A.T * A * X / symdiff.frobenius_norm(A * X), [], HOLDS),
    ("sum_entries_not_I", symdiff.sum_entries(X), X, In, [], ("refuted",)),
    # scalar parameters with kinks, far and tiny
    ("abs_param", sp.Trace(A * X) * sp.Abs(t - 3), X, A.T * (t - 3), [], ("refuted",)),
    ("max_param_sq", sp.Trace(X) * sp.Max(t, 0) ** 2, t, 2 * t * sp.Trace(X), [], ("refuted",)),
    ("min_far", sp.Trace(A * X) * sp.Min(t, -10**7), X, A.T * t, [], ("refuted",)),
    ("two_param_kink", sp.Trace(X) * sp.Heaviside(sp.Symbol("s", real=True) * t - 10**4), X, sp.ZeroMatrix(n, n), [],
     ("refuted",)),
    ("tiny_relative", sp.Trace(A * X) * (1 + t**2 / 10**40), X, A.T, [], ("refuted",)),
    ("abs_on_domain", sp.Trace(A * X) * sp.Abs(t), X, A.T * t, [t > 0], HOLDS),
    # entries inside Abs / Max / Heaviside at numeric sizes
    ("entry_abs_diff", sp.Abs(W2[0, 0] - W2[1, 1]), W2, sp.Matrix([[1, 0], [0, -1]]) * sp.sign(W2[0, 0] - W2[1, 1]), [],
     ("proved",)),
    ("entry_max_half", sp.Max(W2[0, 0], W2[0, 1]), W2, sp.Matrix([[1, 0], [0, 0]]), [], ("refuted",)),
    ("entry_heaviside_far", sp.Trace(W2.T * W2) * sp.Heaviside(W2[1, 0] + W2[0, 1] - 3000), W2, sp.ZeroMatrix(2, 2), [],
     ("refuted",)),
    ("num_tr_axb_dropped_T", sp.Trace(A3 * W3 * B3), W3, B3 * A3, [], ("refuted",)),
    ("num_det", sp.Determinant(W3), W3, sp.Determinant(W3) * W3.I.T, [inv(W3)], ("proved",)),
    # a symmetric wrt: the symmetric part of the gradient, or the derivative by independent entries
    ("sym_half_sum", sp.Trace(A * X), X, (A + A.T) / 2, [sym(X)], HOLDS),
    ("sym_cookbook", sp.Trace(A * X), X, A + A.T - Had(A, In), [sym(X)], ("undetermined",)),
    ("sym_cookbook_logdet", symdiff.logdet(X), X, 2 * X.I - Had(X.I, In), [spd(X)], ("undetermined",)),
    ("sym_neither", sp.Trace(A * X), X, A + A.T, [sym(X)], ("refuted",)),
    ("sym_xtxx", (x.T * X * x)[0, 0], X, 2 * x * x.T, [sym(X)], ("refuted",)),
    # wrong only at sizes other than 2, 3, 4: tried at 1 and 5 when a size enters the values
    ("size_poly", sp.Trace(A * X), X, A.T + (n - 2) * (n - 3) * (n - 4) * X, [], ("refuted",)),
    ("size_trace_identity", sp.Trace(A * X), X,
     A.T * (1 + (sp.Trace(In) - 2) * (sp.Trace(In) - 3) * (sp.Trace(In) - 4)), [], ("refuted",)),
    ("size_times_trace", sp.Trace(X) * n, X, n * In, [], ("proved",)),
    # switches of a trace or determinant beyond the scaled matrices
    ("max_trace_far", sp.Max(sp.Trace(X), 10**40), X, sp.ZeroMatrix(n, n), [], ("refuted",)),
    ("heaviside_trace_far", sp.Trace(X) * (1 + sp.Heaviside(sp.Trace(X) - 10**40)), X, In, [], ("refuted",)),
    ("heaviside_trace_far_true", sp.Trace(X) * (1 + sp.Heaviside(sp.Trace(X) - 10**40)), X,
     In * (1 + sp.Heaviside(sp.Trace(X) - 10**40)), [], HOLDS),
    ("heaviside_det_far", sp.Trace(X) * (1 + sp.Heaviside(sp.Determinant(X) - 10**50)), X, In, [], ("refuted",)),
    ("abs_det", sp.Abs(sp.Determinant(X)), X, sp.Determinant(X) * X.I.T, [inv(X)], ("refuted",)),
    ("min_trace_far", sp.Min(sp.Trace(A * X), -10**35), X, sp.ZeroMatrix(n, n), [], ("refuted",)),
    ("floor_param", sp.Trace(A * X) * sp.floor(t), X, A.T * t, [], ("refuted",)),
    ("sign_param_beyond_far", sp.Trace(X) * sp.sign(t - 10**20), X, In, [], ("refuted",)),
    ("far_bump_param", sp.Trace(X) * sp.exp(-(t - 10**6) ** 2), X, sp.ZeroMatrix(n, n), [], ("refuted",)),
    ("abs_negative_domain", sp.Trace(A * X) * sp.Abs(t), X, -A.T * t, [t < 0], ("proved",)),
]


@pytest.mark.parametrize("cid,f,wrt,claim,where,allowed", CLAIMS, ids=[c[0] for c in CLAIMS])
def test_matrix_claim_verdict(cid, f, wrt, claim, where, allowed):
    v = verify(f, wrt, claim, where=where, budget=B)
    assert v.status in allowed, v.explanation


def test_dropped_transpose_counterexample_is_real():
    """tr(A X B): the refutation's matrices give A^T B^T by hand, and the claimed B A differs there."""
    v = verify(sp.Trace(A * X * Bm), X, Bm * A, budget=B)
    ce = v.counterexample
    a_, b_ = np.array(ce["point"]["A"], dtype=float), np.array(ce["point"]["B"], dtype=float)
    np.testing.assert_allclose(np.array(ce["actual"], dtype=float), a_.T @ b_.T, rtol=1e-5)
    np.testing.assert_allclose(np.array(ce["claimed"], dtype=float), b_ @ a_, rtol=1e-5)
    r, c = ce["entry"]
    assert (b_ @ a_)[r - 1, c - 1] != pytest.approx((a_.T @ b_.T)[r - 1, c - 1])


def test_inverse_sign_counterexample_is_real():
    """d tr(X^{-1} A) = -(X^{-1} A X^{-1})^T: the reported derivative matches it at the reported X, A."""
    v = verify(sp.Trace(X.I * A), X, (X.I * A * X.I).T, where=[inv(X)], budget=B)
    ce = v.counterexample
    x_, a_ = np.array(ce["point"]["X"], dtype=float), np.array(ce["point"]["A"], dtype=float)
    xi = np.linalg.inv(x_)
    np.testing.assert_allclose(np.array(ce["actual"], dtype=float), -(xi @ a_ @ xi).T, rtol=1e-5)


def test_quadratic_form_as_a_sum_gives_the_same_verdict_as_the_matrix_expression():
    """SymPy turns (x^T A x)[0, 0] into a Sum; it is read back as the 1 x 1 product, same verdicts."""
    for f in ((x.T * A * x)[0, 0], x.T * A * x):
        assert verify(f, x, (A + A.T) * x, budget=B).status == "proved"
        assert verify(f, x, 2 * A * x, budget=B).status == "refuted"


def test_cookbook_convention_is_named_in_the_explanation():
    v = verify(sp.Trace(A * X), X, A + A.T - Had(A, In), where=[sym(X)], budget=B)
    assert v.status == "undetermined"
    assert "independent entries" in v.explanation and "G + G^T - G o I" in v.explanation


# identities between matrix expressions (SymPy MatrixExpr sides)
IDENTITIES = [
    ("transpose_of_product", (A * Bm).T, Bm.T * A.T, [], ("proved",)),
    ("transpose_order_wrong", (A * Bm).T, A.T * Bm.T, [], ("refuted",)),
    ("inverse_order_wrong", (A * Bm).I, A.I * Bm.I, [inv(A), inv(Bm)], ("refuted",)),
    ("trace_cyclic", sp.Trace(A * Bm * C), sp.Trace(C * A * Bm), [], HOLDS),
    ("trace_not_permutation", sp.Trace(A * Bm * C), sp.Trace(A * C * Bm), [], ("refuted",)),
    ("det_of_sum", sp.Determinant(A + Bm), sp.Determinant(A) + sp.Determinant(Bm), [], ("refuted",)),
    ("tr_x2_vs_xtx", sp.Trace(X * X), sp.Trace(X.T * X), [], ("refuted",)),
    ("tr_x2_vs_xtx_sym", sp.Trace(X * X), sp.Trace(X.T * X), [sym(X)], HOLDS),
    ("normal_matrix", X.T * X, X * X.T, [], ("refuted",)),
    ("first_order_inverse", (In + A).I, In - A, [], ("refuted",)),
    ("det_scaling", sp.Determinant(2 * X), 2 * sp.Determinant(X), [], ("refuted",)),
    ("det_transpose", sp.Determinant(X.T), sp.Determinant(X), [], ("proved",)),
    ("quadratic_form_transpose", (x.T * A * x)[0, 0], (x.T * A.T * x)[0, 0], [], HOLDS),
]


@pytest.mark.parametrize("cid,lhs,rhs,where,allowed", IDENTITIES, ids=[c[0] for c in IDENTITIES])
def test_matrix_identity_verdict(cid, lhs, rhs, where, allowed):
    v = verify_identity(lhs, rhs, where=where, budget=B)
    assert v.status in allowed, v.explanation


def test_identity_with_a_scalar_condition_samples_the_condition():
    """t A = |t| A holds for t > 0 (sampled there), and is refuted with a point of t < 0."""
    t_ = sp.Symbol("t", real=True)
    assert verify_identity(t_ * A, sp.Abs(t_) * A, where=[t_ > 0], budget=B).status == "consistent"
    v = verify_identity(t_ * A, sp.Abs(t_) * A, where=[t_ < 0], budget=B)
    assert v.status == "refuted" and v.counterexample["point"]["t"] < 0


def test_a_side_sympy_made_the_identity_is_a_matrix_identity():
    assert verify_identity(X * X.I, In, budget=B).status == "proved"            # SymPy writes X X^{-1} as I
    assert verify_identity(sp.Eq(A * Bm, Bm * A), budget=B).status == "refuted"


def test_orthogonal_identity_is_evidence_not_proof():
    Q = sp.MatrixSymbol("Q", n, n)
    assert verify_identity(Q * Q.T, In, where=[symdiff.orthogonal(Q)], budget=B).status == "consistent"
    assert verify_identity(Q * Q.T, In, budget=B).status == "refuted"


# LaTeX claims with declared sizes and structure phrases
NN = {"A": ("n", "n"), "B": ("n", "n"), "X": ("n", "n")}
VN = {"A": ("n", "n"), "x": ("n",)}
LS = {"A": ("m", "n"), "x": ("n",), "b": ("m",)}
LATEX = [
    (r"\operatorname{tr}(A X B)", "X", r"B A", NN, [], ("refuted",)),
    (r"\mathbf{x}^\top A \mathbf{x}", r"\mathbf{x}", r"2 A \mathbf{x}", VN, ["A symmetric"], HOLDS),
    (r"\mathbf{x}^\top A \mathbf{x}", r"\mathbf{x}", r"2 A \mathbf{x}", VN, [], ("refuted",)),
    (r"\log\det X", "X", r"X^{-1}", {"X": ("n", "n")}, ["X invertible"], ("refuted",)),
    (r"\log\det X", "X", r"X^{-1}", {"X": ("n", "n")}, ["X spd"], ("proved",)),
    (r"\|A\mathbf{x} - \mathbf{b}\|^2", r"\mathbf{x}", r"A^\top(A\mathbf{x} - \mathbf{b})", LS, [], ("refuted",)),
    (r"\|A\mathbf{x} - \mathbf{b}\|^2", r"\mathbf{x}", r"2A(A\mathbf{x} - \mathbf{b})", LS, [], ("refuted",)),
    (r"\operatorname{tr}(X^{-1})", "X", r"-X^{-2}", {"X": ("n", "n")}, ["X invertible"], ("refuted",)),
    (r"\max(0, 1 - y\,\mathbf{w}^\top\mathbf{x})", r"\mathbf{w}", r"-y\,\mathbf{x}", {"w": (3,), "x": (3,), "y": ()}, [],
     ("refuted",)),
    (r"\operatorname{tr}(A X)\,|t - 2|", "X", r"A^\top (t - 2)", {"A": ("n", "n"), "X": ("n", "n"), "t": ()}, [],
     ("refuted",)),
    (r"\frac{1}{2}\|X W - Y\|_F^2", "W", r"X^\top (X W - Y)", {"X": ("m", "n"), "W": ("n", "k"), "Y": ("m", "k")}, [],
     ("proved",)),
    (r"\operatorname{tr}(A X B)", "X", r"A^\top B^\top + 10^{-30} X", NN, [], ("refuted",)),
]


@pytest.mark.parametrize("f,wrt,claim,variables,where,allowed", LATEX, ids=[f"latex{k}" for k in range(len(LATEX))])
def test_latex_matrix_claim_verdict(f, wrt, claim, variables, where, allowed):
    v = verify(f, wrt, claim, where=where, variables=variables, budget=B)
    assert v.status in allowed, v.explanation


def test_a_matrix_named_in_the_text_but_not_declared_is_refused():
    """X in R^{n x n} with no shape: read as a scalar, tr(AX) would 'prove' the claim A."""
    with pytest.raises(SymdiffError, match="has no declared shape"):
        verify(r"\operatorname{tr}(A X) \text{ where } A, X \in \mathbb{R}^{n\times n}", "X", "A", budget=B)
    v = verify(r"\operatorname{tr}(A X) \text{ where } X \in \mathbb{R}^{n\times n}", "X", r"A^\top", variables=NN,
               budget=B)
    assert v.status == "proved"


def test_a_jacobian_written_out_is_checked_at_more_than_one_size():
    """A x at symbolic n is written out at n = 3; (n - 2) A is right there only and refuted at n = 2."""
    v = verify(A * x, x, (n - 2) * A, budget=B)
    assert v.status == "refuted" and v.evidence["entrywise_sizes"] == {"n": 2}
    assert verify(A * x, x, A, budget=B).status == "consistent"


def test_two_size_symbols_with_one_name_are_one_size():
    """MatrixSymbol('X', Symbol('n'), Symbol('n')) next to A of the integer n: one n, not a shape error."""
    n_plain = sp.Symbol("n")
    Xp = sp.MatrixSymbol("X", n_plain, n_plain)
    assert verify(sp.Trace(A * Xp), Xp, A.T, budget=B).status == "proved"
    assert verify(sp.Trace(A * Xp), Xp, A, budget=B).status == "refuted"


# bad input: a SymdiffError naming the problem
def test_determinant_or_trace_of_a_non_square_function_is_a_shape_error():
    with pytest.raises(symdiff.ShapeError, match="must be square to have a determinant"):
        verify(r"\det X", "X", r"\det X \, X^{-\top}", variables={"X": ("m", "n")}, budget=B)
    with pytest.raises(symdiff.ShapeError, match="must be square to have a trace"):
        verify(sp.Trace(sp.MatrixSymbol("X", m, n)), sp.MatrixSymbol("X", m, n), sp.MatrixSymbol("X", m, n), budget=B)


def test_bad_matrix_inputs_are_symdiff_errors():
    with pytest.raises(SymdiffError):
        verify(r"\operatorname{tr}(A X)", "X", r"A^\top", variables={"A": ("n", "m"), "X": ("n", "m")}, budget=B)
    with pytest.raises(SymdiffError):
        verify(sp.Trace(A * X), sp.MatrixSymbol("X", n, m), A.T, budget=B)
    with pytest.raises(SymdiffError):
        verify(sp.Trace(X), X, In, where=[symdiff.spd(sp.MatrixSymbol("R", m, n))], budget=B)
    X23 = sp.MatrixSymbol("X", 2, 3)
    with pytest.raises(SymdiffError):
        verify(sp.Trace(X23 * X23.T), X23, 2 * X23, where=[symdiff.symmetric(X23)], budget=B)
