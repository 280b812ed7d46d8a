"""Round 10: matrix and vector claims (appended to ``suite.CASES``; ids ``m10_``).

Each case is labelled with its mathematical truth (see ``suite.py``).  The mathematics is
written next to each group: Matrix Cookbook identities, their usual mistakes (a dropped
transpose that is invisible for symmetric inputs, a factor 2 that only holds for a
symmetric matrix, a sign of d X^{-1}), claims right only under a structure marker,
scalar parameters and matrix entries with kinks, LaTeX claims, and bad input.
"""
import sympy as sp

import suite
from suite import V, I

n = sp.Symbol("n", integer=True, positive=True)
m = sp.Symbol("m", integer=True, positive=True)
t, s = sp.symbols("t s", real=True)


def _sd():
    import symdiff
    return symdiff


def _sq(*names):
    return [sp.MatrixSymbol(c, n, n) for c in names]


def _vec(name, rows=n):
    return sp.MatrixSymbol(name, rows, 1)


def add(cid, truth, thunk, budget=4, family="matrix"):
    suite.CASES.append(("m10_" + cid, family, truth, budget, thunk))


def MV(f, wrt, claim, where=(), budget=4):
    return V(f, wrt, claim, where=where, budget=budget)


def LV(f, wrt, claim, variables, where=(), budget=4):
    return ("verify", (f, wrt, claim), {"where": list(where), "variables": variables, "budget": budget})


def MI(lhs, rhs, where=(), budget=4):
    return I(lhs, rhs, where=where, budget=budget)


A, B, C, X = _sq("A", "B", "C", "X")
a, b, x = _vec("a"), _vec("b"), _vec("x")
In = sp.Identity(n)

# ---------------------------------------------------------------- traces of products (symbolic n)
# d tr(A X B)/dX = A^T B^T = (B A)^T
add("tr01", True, lambda: MV(sp.Trace(A * X * B), X, A.T * B.T))
add("tr02", False, lambda: MV(sp.Trace(A * X * B), X, B * A))                  # transpose dropped
add("tr03", False, lambda: MV(sp.Trace(A * X * B), X, B.T * A.T))              # (AB)^T: order wrong
# d tr(A X B X^T)/dX = A X B + A^T X B^T
add("tr04", True, lambda: MV(sp.Trace(A * X * B * X.T), X, A * X * B + A.T * X * B.T))
add("tr05", False, lambda: MV(sp.Trace(A * X * B * X.T), X, 2 * A * X * B))    # needs A, B symmetric
add("tr06", True, lambda: MV(sp.Trace(A * X * B * X.T), X, 2 * A * X * B,
                             where=[_sd().symmetric(A), _sd().symmetric(B)]))
add("tr07", False, lambda: MV(sp.Trace(A * X * B * X.T), X, 2 * A * X * B,
                              where=[_sd().symmetric(A)]))                      # B not symmetric
add("tr08", True, lambda: MV(sp.Trace(A * X * B * X.T), X, A * X * (B + B.T),
                             where=[_sd().symmetric(A)]))
# d tr(A X^T)/dX = A
add("tr09", True, lambda: MV(sp.Trace(A * X.T), X, A))
add("tr10", False, lambda: MV(sp.Trace(A * X.T), X, A.T))
# d tr(X^T A X)/dX = (A + A^T) X
add("tr11", True, lambda: MV(sp.Trace(X.T * A * X), X, (A + A.T) * X))
add("tr12", False, lambda: MV(sp.Trace(X.T * A * X), X, 2 * A * X))
add("tr13", True, lambda: MV(sp.Trace(X.T * A * X), X, 2 * A * X, where=[_sd().spd(A)]))
add("tr14", False, lambda: MV(sp.Trace(X.T * A * X), X, (A + A.T) * X.T))
# chain rules through a trace: d tr(AX)^3 = 3 tr(AX)^2 A^T; d log tr(X^T X) = 2X / tr(X^T X)
add("tr15", True, lambda: MV(sp.Trace(A * X) ** 3, X, 3 * sp.Trace(A * X) ** 2 * A.T))
add("tr16", False, lambda: MV(sp.Trace(A * X) ** 3, X, 3 * sp.Trace(A * X) ** 2 * A))
add("tr17", True, lambda: MV(sp.log(sp.Trace(X.T * X)), X, 2 * X / sp.Trace(X.T * X)))
add("tr18", False, lambda: MV(sp.log(sp.Trace(X.T * X)), X, X / sp.Trace(X.T * X)))
# wrong by a term that is tiny at random sizes and values: exp(tr X - 500)
add("tr19", False, lambda: MV(sp.Trace(A * X), X, A.T + sp.exp(sp.Trace(X) - 500) * In))
add("tr20", False, lambda: MV(sp.Trace(A * X), X, A.T + X / 10**20))

# ---------------------------------------------------------------- quadratic and bilinear forms
# d x^T A x / dx = (A + A^T) x; 2 A x only for a symmetric A
add("qf01", True, lambda: MV((x.T * A * x)[0, 0], x, (A + A.T) * x))
add("qf02", False, lambda: MV((x.T * A * x)[0, 0], x, 2 * A * x))
add("qf03", True, lambda: MV((x.T * A * x)[0, 0], x, 2 * A * x, where=[_sd().symmetric(A)]))
add("qf04", False, lambda: MV((x.T * A * x)[0, 0], x, 2 * A.T * x + x / 10**25,
                              where=[_sd().symmetric(A)]))
# d a^T X b / dX = a b^T; d a^T X^T b / dX = b a^T
add("qf05", True, lambda: MV((a.T * X * b)[0, 0], X, a * b.T))
add("qf06", False, lambda: MV((a.T * X * b)[0, 0], X, b * a.T))
add("qf07", True, lambda: MV((a.T * X.T * b)[0, 0], X, b * a.T))
# d (a^T X b)^2 / dX = 2 (a^T X b) a b^T
add("qf08", True, lambda: MV((a.T * X * b)[0, 0] ** 2, X, 2 * (a.T * X * b)[0, 0] * a * b.T))
add("qf09", False, lambda: MV((a.T * X * b)[0, 0] ** 2, X, (a.T * X * b)[0, 0] * a * b.T))

# ---------------------------------------------------------------- inverses and determinants
# d tr(X^{-1} A)/dX = -(X^{-1} A X^{-1})^T
add("inv01", True, lambda: MV(sp.Trace(X.I * A), X, -(X.I * A * X.I).T, where=[_sd().invertible(X)]))
add("inv02", False, lambda: MV(sp.Trace(X.I * A), X, (X.I * A * X.I).T, where=[_sd().invertible(X)]))
add("inv03", False, lambda: MV(sp.Trace(X.I * A), X, -X.I * A * X.I, where=[_sd().invertible(X)]))
add("inv04", True, lambda: MV(sp.Trace(X.I * A), X, -X.I * A * X.I, where=[_sd().spd(X), _sd().symmetric(A)]))
# d a^T X^{-1} b / dX = -X^{-T} a b^T X^{-T}
add("inv05", True, lambda: MV((a.T * X.I * b)[0, 0], X, -X.I.T * a * b.T * X.I.T, where=[_sd().invertible(X)]))
add("inv06", False, lambda: MV((a.T * X.I * b)[0, 0], X, -X.I * a * b.T * X.I, where=[_sd().invertible(X)]))
# d det X / dX = det X X^{-T}
add("det01", False, lambda: MV(sp.Determinant(X), X, sp.Determinant(X) * X.I, where=[_sd().invertible(X)]))
add("det02", True, lambda: MV(sp.Determinant(X), X, sp.Determinant(X) * X.I, where=[_sd().spd(X)]))
add("det03", False, lambda: MV(sp.Determinant(X), X, -sp.Determinant(X) * X.I.T, where=[_sd().invertible(X)]))
# d det(X^2)/dX = 2 det(X)^2 X^{-T}; d det(AX)/dX = det(AX) X^{-T}
add("det04", True, lambda: MV(sp.Determinant(X * X), X, 2 * sp.Determinant(X) ** 2 * X.I.T, where=[_sd().invertible(X)]))
add("det05", False, lambda: MV(sp.Determinant(X * X), X, 2 * sp.Determinant(X) ** 2 * X.I, where=[_sd().invertible(X)]))
add("det06", True, lambda: MV(sp.Determinant(A * X), X, sp.Determinant(A * X) * X.I.T,
                              where=[_sd().invertible(X), _sd().invertible(A)]))
add("det07", False, lambda: MV(sp.Determinant(A * X), X, sp.Determinant(A * X) * (A * X).I.T,
                               where=[_sd().invertible(X), _sd().invertible(A)]))
# log det: d log det X = X^{-T}; for an spd X that is X^{-1}; log det(X^T X) -> 2 X^{-T}
add("ld01", True, lambda: MV(_sd().logdet(X), X, X.I.T, where=[_sd().spd(X)]))
add("ld02", False, lambda: MV(_sd().logdet(X), X, -X.I, where=[_sd().spd(X)]))
add("ld03", True, lambda: MV(_sd().logdet(X.T * X), X, 2 * X.I.T, where=[_sd().invertible(X)]))
add("ld04", False, lambda: MV(_sd().logdet(X.T * X), X, 2 * X.I, where=[_sd().invertible(X)]))
add("ld05", False, lambda: MV(_sd().logdet(X.T * X), X, X.I.T, where=[_sd().invertible(X)]))
# tr(X X^{-1}) = n: derivative zero
add("inv07", True, lambda: MV(sp.Trace(X * X.I), X, sp.ZeroMatrix(n, n), where=[_sd().invertible(X)]))

# ---------------------------------------------------------------- orthogonal and Hadamard
# d tr(Q^T A Q)/dA = Q Q^T = I only for an orthogonal Q
add("orth01", True, lambda: (lambda Q: MV(sp.Trace(Q.T * A * Q), A, In, where=[_sd().orthogonal(Q)]))(*_sq("Q")))
add("orth02", False, lambda: (lambda Q: MV(sp.Trace(Q.T * A * Q), A, In))(*_sq("Q")))
add("orth03", True, lambda: (lambda Q: MV(sp.Trace(Q.T * A * Q), A, Q * Q.T))(*_sq("Q")))
# sum(A o X) = tr(A^T X): gradient A
add("had01", True, lambda: MV(_sd().sum_entries(sp.HadamardProduct(A, X)), X, A))
add("had02", False, lambda: MV(_sd().sum_entries(sp.HadamardProduct(A, X)), X, A.T))
add("had03", True, lambda: MV(_sd().sum_entries(sp.HadamardProduct(X, X)), X, 2 * X))
add("had04", False, lambda: MV(_sd().sum_entries(sp.HadamardProduct(X, X)), X, 2 * X.T))
# Frobenius norm: d ||X||_F = X / ||X||_F
add("fro01", True, lambda: MV(_sd().frobenius_norm(X), X, X / _sd().frobenius_norm(X)))
add("fro02", False, lambda: MV(_sd().frobenius_norm(X), X, X / _sd().frobenius_norm(X) ** 2))
# symdiff's cross_entropy is sum(logsumexp rows) - sum(Y o S) (equal to -sum Y log softmax for
# probability rows); its gradient is softmax(S) - Y for every Y
add("ce01", True, lambda: (lambda S, Y: MV(_sd().cross_entropy(S, Y), S, _sd().softmax_rows(S) - Y))(
    sp.MatrixSymbol("S", m, n), sp.MatrixSymbol("Y", m, n)))

# ---------------------------------------------------------------- least squares, rectangular
# d ||A x - b||^2 / dx = 2 A^T (A x - b) for A: m x n
add("ls01", True, lambda: (lambda Ar, br: MV(((Ar * x - br).T * (Ar * x - br))[0, 0], x, 2 * Ar.T * (Ar * x - br)))(
    sp.MatrixSymbol("A", m, n), _vec("b", m)))
add("ls02", False, lambda: (lambda Ar, br: MV(((Ar * x - br).T * (Ar * x - br))[0, 0], x, Ar.T * (Ar * x - br)))(
    sp.MatrixSymbol("A", m, n), _vec("b", m)))
# d tr((XW - Y)^T (XW - Y)) / dW = 2 X^T (XW - Y), W: n x k
add("ls03", True, lambda: (lambda Xr, W, Y: MV(sp.Trace((Xr * W - Y).T * (Xr * W - Y)), W, 2 * Xr.T * (Xr * W - Y)))(
    sp.MatrixSymbol("X", m, n), sp.MatrixSymbol("W", n, 3), sp.MatrixSymbol("Y", m, 3)))

# ---------------------------------------------------------------- scalar parameters with kinks
add("par01", False, lambda: MV(sp.Trace(A * X) * sp.Abs(t - 3), X, A.T * (t - 3)))
add("par02", True, lambda: MV(sp.Trace(A * X) * sp.Abs(t - 3), X, A.T * sp.Abs(t - 3)))
add("par03", False, lambda: MV(sp.Trace(X) * sp.Max(t, 0) ** 2, t, 2 * t * sp.Trace(X)))
add("par04", True, lambda: MV(sp.Trace(X) * sp.Max(t, 0) ** 2, t, 2 * sp.Max(t, 0) * sp.Trace(X)))
add("par05", False, lambda: MV(sp.Trace(X) * sp.Heaviside(s * t - 10**4), X, sp.ZeroMatrix(n, n)))
add("par06", False, lambda: MV(sp.Trace(A * X) * sp.exp(t), X, A.T * sp.exp(t) * (1 + sp.Rational(1, 10**25))))
add("par07", False, lambda: MV(sp.Trace(A * X) * sp.Min(t, -10**7), X, A.T * t))
add("par08", 'mz', lambda: MV(sp.Trace(A * X) * sp.Abs(t), X, A.T * sp.Abs(t) + A.T * sp.Piecewise((1, sp.Eq(t, 7)), (0, True))))

# ---------------------------------------------------------------- entries inside Abs / Max / Heaviside (numeric sizes)
W2 = sp.MatrixSymbol("W", 2, 2)
W3 = sp.MatrixSymbol("W", 3, 3)
w2 = sp.MatrixSymbol("w", 2, 1)
add("ent01", True, lambda: MV(sp.Abs(W2[0, 0] - W2[1, 1]), W2,
                              sp.Matrix([[1, 0], [0, -1]]) * sp.sign(W2[0, 0] - W2[1, 1])))
add("ent02", False, lambda: MV(sp.Abs(W2[0, 0] - W2[1, 1]), W2, sp.Matrix([[1, 0], [0, 1]]) * sp.sign(W2[0, 0] - W2[1, 1])))
add("ent03", True, lambda: MV(sp.Max(W2[0, 0], W2[0, 1]), W2,
                              sp.Matrix([[sp.Heaviside(W2[0, 0] - W2[0, 1]), sp.Heaviside(W2[0, 1] - W2[0, 0])], [0, 0]])))
add("ent04", False, lambda: MV(sp.Max(W2[0, 0], W2[0, 1]), W2, sp.Matrix([[1, 0], [0, 0]])))
add("ent05", True, lambda: MV(sp.Trace(W3) * sp.Abs(W3[1, 2] + 7), W3,
                              sp.eye(3) * sp.Abs(W3[1, 2] + 7) + sp.Matrix(3, 3, lambda i, j: sp.Trace(W3) * sp.sign(W3[1, 2] + 7) if (i, j) == (1, 2) else 0)))
add("ent06", False, lambda: MV(sp.Trace(W3) * sp.Abs(W3[1, 2] + 7), W3,
                               sp.eye(3) * (W3[1, 2] + 7) + sp.Matrix(3, 3, lambda i, j: sp.Trace(W3) if (i, j) == (1, 2) else 0)))
add("ent07", False, lambda: MV(sp.Min(w2[0, 0] * w2[1, 0], -10**5), w2, sp.ZeroMatrix(2, 1)))
add("ent08", False, lambda: MV(sp.Trace(W2.T * W2) * sp.Heaviside(W2[1, 0] + W2[0, 1] - 3000), W2, sp.ZeroMatrix(2, 2)))
add("ent09", True, lambda: MV((w2.T * w2)[0, 0] * sp.Heaviside(w2[0, 0] - 10**6), w2, 2 * w2 * sp.Heaviside(w2[0, 0] - 10**6)))
# numeric sizes, cookbook
add("num01", True, lambda: MV(sp.Trace(W3.T * sp.MatrixSymbol("A", 3, 3) * W3), W3,
                              (sp.MatrixSymbol("A", 3, 3) + sp.MatrixSymbol("A", 3, 3).T) * W3))
add("num02", False, lambda: MV(sp.Trace(W3.T * sp.MatrixSymbol("A", 3, 3) * W3), W3, 2 * sp.MatrixSymbol("A", 3, 3) * W3))
add("num03", True, lambda: MV(sp.Determinant(W3), W3, sp.Determinant(W3) * W3.I.T, where=[_sd().invertible(W3)]))
add("num04", False, lambda: MV(sp.Determinant(W3), W3, sp.Determinant(W3) * W3.I, where=[_sd().invertible(W3)]))

# ---------------------------------------------------------------- identities of matrix expressions
add("id01", True, lambda: MI((A * B).T, B.T * A.T))
add("id02", False, lambda: MI((A * B).T, A.T * B.T))
add("id03", True, lambda: MI((A * B).I, B.I * A.I, where=[_sd().invertible(A), _sd().invertible(B)]))
add("id04", False, lambda: MI((A * B).I, A.I * B.I, where=[_sd().invertible(A), _sd().invertible(B)]))
add("id05", True, lambda: MI(sp.Trace(A * B * C), sp.Trace(C * A * B)))
add("id06", False, lambda: MI(sp.Trace(A * B * C), sp.Trace(A * C * B)))
add("id07", True, lambda: MI(sp.Determinant(A * B), sp.Determinant(A) * sp.Determinant(B)))
add("id08", False, lambda: MI(sp.Determinant(A + B), sp.Determinant(A) + sp.Determinant(B)))
add("id09", False, lambda: MI(sp.Trace(X * X), sp.Trace(X.T * X)))
add("id10", True, lambda: MI(sp.Trace(X * X), sp.Trace(X.T * X), where=[_sd().symmetric(X)]))
add("id11", True, lambda: (lambda Q: MI(Q * Q.T, In, where=[_sd().orthogonal(Q)]))(*_sq("Q")))
add("id12", False, lambda: MI(X.T * X, X * X.T))
add("id13", True, lambda: MI(X.T * X, X * X.T, where=[_sd().symmetric(X)]))
add("id14", False, lambda: MI((In + A).I, In - A))
add("id15", True, lambda: MI(sp.Determinant(X.T), sp.Determinant(X)))
add("id16", False, lambda: MI(sp.Determinant(2 * X), 2 * sp.Determinant(X)))

# ---------------------------------------------------------------- LaTeX claims with declarations
NN = {"A": ("n", "n"), "B": ("n", "n"), "X": ("n", "n")}
VN = {"A": ("n", "n"), "x": ("n",)}
LS = {"A": ("m", "n"), "x": ("n",), "b": ("m",)}
add("tex01", True, lambda: LV(r"\operatorname{tr}(A X B)", "X", r"A^\top B^\top", NN))
add("tex02", False, lambda: LV(r"\operatorname{tr}(A X B)", "X", r"B A", NN))
add("tex03", True, lambda: LV(r"\mathbf{x}^\top A \mathbf{x}", r"\mathbf{x}", r"2 A \mathbf{x}", VN, where=["A symmetric"]))
add("tex04", False, lambda: LV(r"\mathbf{x}^\top A \mathbf{x}", r"\mathbf{x}", r"2 A \mathbf{x}", VN))
add("tex05", True, lambda: LV(r"\mathbf{x}^\top A \mathbf{x}", r"\mathbf{x}", r"(A + A^\top) \mathbf{x}", VN))
add("tex06", False, lambda: LV(r"\log\det X", "X", r"X^{-1}", {"X": ("n", "n")}, where=["X invertible"]))
add("tex07", True, lambda: LV(r"\log\det X", "X", r"X^{-1}", {"X": ("n", "n")}, where=["X spd"]))
add("tex08", True, lambda: LV(r"\|A\mathbf{x} - \mathbf{b}\|^2", r"\mathbf{x}", r"2A^\top(A\mathbf{x} - \mathbf{b})", LS))
add("tex09", False, lambda: LV(r"\|A\mathbf{x} - \mathbf{b}\|^2", r"\mathbf{x}", r"A^\top(A\mathbf{x} - \mathbf{b})", LS))
add("tex10", False, lambda: LV(r"\|A\mathbf{x} - \mathbf{b}\|^2", r"\mathbf{x}", r"2A(A\mathbf{x} - \mathbf{b})", LS))
add("tex11", False, lambda: LV(r"\operatorname{tr}(X^{-1})", "X", r"-X^{-2}", {"X": ("n", "n")}, where=["X invertible"]))
add("tex12", True, lambda: LV(r"\operatorname{tr}(X^{-1})", "X", r"-X^{-2}", {"X": ("n", "n")}, where=["X spd"]))
add("tex13", True, lambda: LV(r"\max(0, 1 - y\,\mathbf{w}^\top\mathbf{x})", r"\mathbf{w}",
                              r"-y\,\mathbf{x}\,\mathbb{1}\{y\,\mathbf{w}^\top\mathbf{x} < 1\}", {"w": (3,), "x": (3,), "y": ()}))
add("tex14", False, lambda: LV(r"\max(0, 1 - y\,\mathbf{w}^\top\mathbf{x})", r"\mathbf{w}", r"-y\,\mathbf{x}",
                               {"w": (3,), "x": (3,), "y": ()}))
add("tex15", True, lambda: LV(r"\sigma(\mathbf{w}^\top\mathbf{x})", r"\mathbf{w}",
                              r"\sigma(\mathbf{w}^\top\mathbf{x})(1 - \sigma(\mathbf{w}^\top\mathbf{x}))\mathbf{x}", {"w": ("n",), "x": ("n",)}))
add("tex16", False, lambda: LV(r"\sigma(\mathbf{w}^\top\mathbf{x})", r"\mathbf{w}",
                               r"\sigma(\mathbf{w}^\top\mathbf{x})(1 + \sigma(\mathbf{w}^\top\mathbf{x}))\mathbf{x}", {"w": ("n",), "x": ("n",)}))
add("tex17", False, lambda: LV(r"\operatorname{tr}(A X)\,|t - 2|", "X", r"A^\top (t - 2)", {"A": ("n", "n"), "X": ("n", "n"), "t": ()}))
add("tex18", True, lambda: LV(r"\frac{1}{2}\|X W - Y\|_F^2", "W", r"X^\top (X W - Y)",
                              {"X": ("m", "n"), "W": ("n", "k"), "Y": ("m", "k")}))
add("tex19", False, lambda: LV(r"\frac{1}{2}\|X W - Y\|_F^2", "W", r"(X W - Y) X^\top",
                               {"X": ("m", "n"), "W": ("n", "k"), "Y": ("m", "k")}))

# ---------------------------------------------------------------- bad input
add("bad01", 'err', lambda: LV(r"\det X", "X", r"\det X \, X^{-\top}", {"X": ("m", "n")}))            # det of a non-square
add("bad02", 'err', lambda: LV(r"\operatorname{tr}(A X)", "X", r"A^\top", {"A": ("n", "m"), "X": ("n", "m")}))  # A X does not fit
add("bad03", 'F|err', lambda: MV(sp.Trace(W3), W3, sp.eye(2)))                                            # claim of another shape
add("bad04", 'F|err', lambda: MV(sp.Trace(A * X), sp.MatrixSymbol("Z", n, n), A.T))                           # wrt not in f: the derivative is 0
add("bad05", 'err', lambda: LV(r"\operatorname{tr}(X)", "X", "I", {"X": ("m", "n")}))                      # trace of a non-square
add("bad06", 'err', lambda: MV(sp.Trace(X), X, In, where=[_sd().spd(sp.MatrixSymbol("R", m, n))]))          # spd of a non-square
add("bad07", 'F|err', lambda: MV(sp.Trace(A * X), X, sp.MatrixSymbol("A", m, m).T))                          # claim's A of another size
add("bad08", 'err', lambda: LV(r"\mathbf{x}^\top A \mathbf{x}", r"\mathbf{x}", r"2 A \mathbf{x}", {"A": ("n", "m"), "x": ("n",)}))

# ---------------------------------------------------------------- symmetric wrt: two conventions
# symdiff compares symmetric parts (the gradient in the space of symmetric matrices); the Matrix
# Cookbook (sec. 2.8) differentiates by the independent entries: G + G^T - G o I.  A claim right in
# either convention is not refuted; a claim wrong in both is.
Had = sp.HadamardProduct
add("sym01", True, lambda: MV(_sd().logdet(X), X, 2 * X.I - Had(X.I, In), where=[_sd().spd(X)]))
add("sym02", True, lambda: MV(sp.Trace(A * X), X, A + A.T - Had(A, In), where=[_sd().symmetric(X)]))
add("sym03", False, lambda: MV(sp.Trace(A * X), X, A + A.T, where=[_sd().symmetric(X)]))
add("sym04", True, lambda: MV(sp.Trace(A * X), X, (A + A.T) / 2, where=[_sd().symmetric(X)]))
add("sym05", True, lambda: MV((x.T * X * x)[0, 0], X, 2 * x * x.T - Had(x * x.T, In), where=[_sd().symmetric(X)]))
add("sym06", False, lambda: MV((x.T * X * x)[0, 0], X, 2 * x * x.T, where=[_sd().symmetric(X)]))
add("sym07", True, lambda: MV(sp.Trace(X.T * X), X, 2 * X + (X - X.T), where=[_sd().symmetric(X)]))
add("sym08", False, lambda: MV(sp.Trace(X.T * X), X, 2 * X + (X - X.T)))
add("sym09", False, lambda: MV(sp.Trace(X * X) * sp.Heaviside(t - 10**6), X, 2 * X, where=[_sd().symmetric(X)]))

# ---------------------------------------------------------------- more chain rules and sums
add("ch01", 'ae', lambda: MV(sp.Determinant(X), X, sp.Determinant(X) * X.I.T))       # no marker: singular X is measure zero
add("ch02", True, lambda: MV(_sd().sum_entries(X), X, sp.OneMatrix(n, n)))
add("ch03", False, lambda: MV(_sd().sum_entries(X), X, In))
add("ch04", True, lambda: MV(_sd().frobenius_norm(A * X), X, A.T * A * X / _sd().frobenius_norm(A * X)))
add("ch05", False, lambda: MV(_sd().frobenius_norm(A * X), X, A * A.T * X / _sd().frobenius_norm(A * X)))
add("ch06", True, lambda: MV(t * sp.Trace(A * X), t, sp.Trace(X * A)))
add("ch07", False, lambda: MV(t * sp.Trace(A * X), t, sp.Trace(A.T * X)))
add("ch08", True, lambda: MV(sp.Trace(X) ** 2, X, 2 * sp.Trace(X) * In))
add("ch09", False, lambda: MV(sp.Trace(X) ** 2, X, 2 * X))
add("ch10", True, lambda: MV(sp.Trace(A * X.I * B), X, -(X.I * B * A * X.I).T, where=[_sd().invertible(X)]))
add("ch11", False, lambda: MV(sp.Trace(A * X.I * B), X, -X.I.T * B.T * A.T * X.I.T, where=[_sd().invertible(X)]))
add("ch12", False, lambda: MV(sp.Trace(A * X) * (1 + t**2 / 10**40), X, A.T))         # off by t^2/1e40: far t
add("ch13", True, lambda: MV(sp.Trace(A * X) * sp.Abs(t), X, A.T * t, where=[t > 0]))
add("ch14", True, lambda: (lambda K: MV(sp.Trace(sp.KroneckerProduct(K, X)), X, sp.Trace(K) * In))(sp.MatrixSymbol("K", 2, 2)))
add("ch15", True, lambda: MV(sp.Trace(X**6), X, 6 * (X**5).T, budget=2), budget=2)

# ---------------------------------------------------------------- numeric sizes: transposes that only show off the diagonal
A3, B3 = sp.MatrixSymbol("A", 3, 3), sp.MatrixSymbol("B", 3, 3)
X23, a2, b3 = sp.MatrixSymbol("X", 2, 3), sp.MatrixSymbol("a", 2, 1), sp.MatrixSymbol("b", 3, 1)
add("num05", False, lambda: MV(sp.Trace(A3 * W3 * B3), W3, B3 * A3))
add("num06", True, lambda: MV(sp.Trace(A3 * W3 * B3), W3, A3.T * B3.T))
add("num07", True, lambda: MV((a2.T * X23 * b3)[0, 0], X23, a2 * b3.T))
add("num08", False, lambda: MV((a2.T * X23 * b3)[0, 0], X23, b3 * a2.T))   # dropped transpose on a 2 x 3: layout or wrong
add("num09", 'any', lambda: (lambda W: MV(sp.Trace(W), W, sp.eye(60), budget=2))(sp.MatrixSymbol("W", 60, 60)), budget=2)

# ---------------------------------------------------------------- LaTeX, more
add("tex20", True, lambda: LV(r"\operatorname{tr}(X^\top X)", "X", r"2X", {"X": ("n", "n")}))
add("tex21", False, lambda: LV(r"\operatorname{tr}(A X^\top)", "X", r"A^\top", {"A": ("n", "n"), "X": ("n", "n")}))
add("tex22", True, lambda: LV(r"\mathbf{a}^\top X \mathbf{b}", "X", r"\mathbf{a}\mathbf{b}^\top", {"a": ("n",), "b": ("n",), "X": ("n", "n")}))
add("tex23", False, lambda: LV(r"\mathbf{a}^\top X \mathbf{b}", "X", r"\mathbf{b}\mathbf{a}^\top", {"a": ("n",), "b": ("n",), "X": ("n", "n")}))
add("tex24", True, lambda: LV(r"\ln\det(\Sigma)", r"\Sigma", r"\Sigma^{-1}", {"Sigma": ("n", "n")}, where=[r"\Sigma symmetric"]))
add("tex25", False, lambda: LV(r"\operatorname{tr}(A X B)", "X", r"A^\top B^\top + 10^{-30} X", NN))

# ---------------------------------------------------------------- bad input, more
add("bad09", 'err', lambda: MV(sp.Trace(A * X), sp.MatrixSymbol("X", n, m), A.T))                   # wrt of another shape
add("bad10", 'F|err', lambda: MV(sp.Trace(A * X), X, B.T))                                          # claim's B not in f
add("bad11", 'err', lambda: MV(sp.Trace(X23 * X23.T), X23, 2 * X23, where=[_sd().symmetric(X23)]))  # symmetric 2 x 3

# ---------------------------------------------------------------- round 10b: sizes and switches of whole matrices
# wrong only at sizes other than the sampled 2, 3, 4 (n = 1 and n >= 5)
add("sz01", False, lambda: MV(sp.Trace(A * X), X, A.T + (n - 2) * (n - 3) * (n - 4) * X))
add("sz02", False, lambda: MV(sp.Trace(A * X), X, A.T * (1 + (sp.Trace(In) - 2) * (sp.Trace(In) - 3) * (sp.Trace(In) - 4))))
add("sz03", True, lambda: MV(sp.Trace(X) * n, X, n * In))
# switches of a trace or determinant, far beyond the scaled matrices (1e30)
add("sw01", False, lambda: MV(sp.Max(sp.Trace(X), 10**40), X, sp.ZeroMatrix(n, n)))
add("sw02", False, lambda: MV(sp.Trace(X) * (1 + sp.Heaviside(sp.Trace(X) - 10**40)), X, In))
add("sw03", True, lambda: MV(sp.Trace(X) * (1 + sp.Heaviside(sp.Trace(X) - 10**40)), X,
                             In * (1 + sp.Heaviside(sp.Trace(X) - 10**40))))
add("sw04", False, lambda: MV(sp.Trace(X) * (1 + sp.Heaviside(sp.Determinant(X) - 10**50)), X, In))
add("sw05", False, lambda: MV(sp.Abs(sp.Determinant(X)), X, sp.Determinant(X) * X.I.T, where=[_sd().invertible(X)]))
add("sw06", True, lambda: MV(sp.Abs(sp.Determinant(X)), X, sp.Abs(sp.Determinant(X)) * X.I.T, where=[_sd().invertible(X)]))
add("sw07", False, lambda: MV(sp.Min(sp.Trace(A * X), -10**35), X, sp.ZeroMatrix(n, n)))

# ---------------------------------------------------------------- round 10c: matrices declared in the text, entries of a symmetric wrt
# "X \in R^{n x n}" with no declared shape: read with X a scalar the claim A would be "proved"
add("decl01", 'err', lambda: V(r"\operatorname{tr}(A X) \text{ where } A, X \in \mathbb{R}^{n\times n}", "X", r"A"))
add("decl02", 'err', lambda: V(r"\log\det X \quad X \in \mathbb{R}^{n \times n}", "X", r"X^{-1}"))
add("decl03", True, lambda: LV(r"\operatorname{tr}(A X) \text{ where } X \in \mathbb{R}^{n\times n}", "X", r"A^\top", NN))
# softplus of a bilinear form: sigma(a^T X b) a b^T
add("sp01", True, lambda: MV(sp.log(1 + sp.exp((a.T * X * b)[0, 0])), X, a * b.T / (1 + sp.exp(-(a.T * X * b)[0, 0]))))
add("sp02", False, lambda: MV(sp.log(1 + sp.exp((a.T * X * b)[0, 0])), X, a * b.T / (1 + sp.exp((a.T * X * b)[0, 0]))))
# a symmetric 2 x 2 wrt with a kink in an off-diagonal entry (symmetric parts compared)
add("symk01", True, lambda: MV(sp.Abs(W2[0, 1] - 5) + sp.Trace(W2), W2,
                               sp.eye(2) + sp.sign(W2[0, 1] - 5) * sp.Matrix([[0, 1], [1, 0]]) / 2, where=[_sd().symmetric(W2)]))
add("symk02", False, lambda: MV(sp.Abs(W2[0, 1] - 500) + sp.Trace(W2), W2,
                                sp.eye(2) - sp.Matrix([[0, 1], [1, 0]]) / 2, where=[_sd().symmetric(W2)]))
# a Piecewise in a scalar parameter with a far piece
add("pw01", False, lambda: MV(sp.Trace(A * X) * sp.Piecewise((1, t < 0), (2, t > 10**5), (0, True)), X,
                              A.T * sp.Piecewise((1, t < 0), (0, True))))
# exponentials of traces: tiny values, a dropped transpose still visible
add("ex01", True, lambda: MV(sp.exp(-sp.Trace(X.T * X)), X, -2 * X * sp.exp(-sp.Trace(X.T * X))))
add("ex02", False, lambda: MV(sp.exp(-sp.Trace(X.T * X)), X, -2 * X.T * sp.exp(-sp.Trace(X.T * X))))
add("ex03", False, lambda: MV(sp.Trace(X) * sp.exp(t), t, sp.Trace(X) * sp.exp(t) * (1 + sp.exp(t - 800))))
add("ex04", False, lambda: MV(sp.Trace(X**4), X, 4 * (X**3).T + (X - X.T)**3 / 10**30))
add("ex05", True, lambda: MV(sp.sqrt(sp.Trace(X.T * X)), X, X / sp.sqrt(sp.Trace(X.T * X))))
# a 2 x 3 wrt: a claim that cannot be formed; one only transposed (layout or a dropped transpose)
add("rect01", False, lambda: LV(r"\mathbf{a}^\top X \mathbf{b}", "X", r"\mathbf{a}^\top\mathbf{b}", {"a": (2,), "b": (3,), "X": (2, 3)}))
add("rect02", False, lambda: LV(r"\mathbf{a}^\top X \mathbf{b}", "X", r"\mathbf{b}\mathbf{a}^\top", {"a": (2,), "b": (3,), "X": (2, 3)}))
add("rect03", True, lambda: LV(r"\mathbf{a}^\top X \mathbf{b}", "X", r"\mathbf{a}\mathbf{b}^\top", {"a": (2,), "b": (3,), "X": (2, 3)}))

# ---------------------------------------------------------------- round 10d: Jacobians written out at a chosen size
# a vector function at symbolic n is written out at n = 3; a claim right only there
xv = _vec("x")
add("jac01", True, lambda: MV(A * xv, xv, A))
add("jac02", False, lambda: MV(A * xv, xv, (n - 2) * A))
add("jac03", False, lambda: MV(A * xv, xv, A + (n - 3) * In))
add("jac04", False, lambda: LV(r"\mathbf{y} = A\mathbf{x}", r"\mathbf{x}", r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = (n - 2) A",
                               {"A": ("n", "n"), "x": ("n",)}))

# ---------------------------------------------------------------- round 10e: more scalar-parameter switches
s_ = sp.Symbol("s", real=True)
add("par09", False, lambda: MV(sp.Trace(A * X) * sp.floor(t), X, A.T * t))                       # floor is not t
add("par10", True, lambda: MV(sp.Trace(A * X) * sp.floor(t / 1000), t, 0))                       # zero a.e.
add("par11", False, lambda: MV(sp.Trace(A * X) * sp.Max(t, s_), X, A.T * t))
add("par12", True, lambda: MV(sp.Trace(A * X) * sp.Max(t, s_), X, A.T * t, where=[t > s_]))
add("par13", False, lambda: MV(sp.Trace(X) * sp.sign(t - 10**20), X, In))                         # beyond 1e15
add("par14", False, lambda: MV(sp.Trace(X) * sp.Heaviside(t * s_ - 10**12) * sp.Heaviside(t - 10**7), X, sp.ZeroMatrix(n, n)))
add("par15", False, lambda: MV(sp.Trace(X) * sp.exp(-(t - 10**6) ** 2), X, sp.ZeroMatrix(n, n)))  # a bump far away
add("par16", True, lambda: MV(sp.Trace(A * X) * sp.Abs(t), X, -A.T * t, where=[t < 0]))

# ---------------------------------------------------------------- round 10f: two size symbols with one name
# Symbol('n') and Symbol('n', integer=True, positive=True) are two SymPy objects: one size per name
_n_plain = sp.Symbol("n")
add("name01", True, lambda: MV(sp.Trace(A * sp.MatrixSymbol("X", _n_plain, _n_plain)), sp.MatrixSymbol("X", _n_plain, _n_plain), A.T))
add("name02", False, lambda: MV(sp.Trace(A * sp.MatrixSymbol("X", _n_plain, _n_plain)), sp.MatrixSymbol("X", _n_plain, _n_plain), A))
add("name03", True, lambda: MI((A * sp.MatrixSymbol("X", _n_plain, _n_plain)).T, sp.MatrixSymbol("X", _n_plain, _n_plain).T * A.T))
