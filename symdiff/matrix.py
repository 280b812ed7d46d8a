"""Matrix-level nodes of symdiff's own, for what SymPy lacks or does poorly.

Each class is a node of the computation graph with its shape, its meaning on
explicit matrices (``doit`` once the arguments are explicit: used to check the
matrix rules against scalar expansion), its NumPy code and its LaTeX.  Their
declarations (rule, tape forward, names) live in ``symdiff.primitives.matrix``; helpers that compiled
code calls (stable softmax, checked Cholesky...) live in ``symdiff.numeric``.

User-facing constructors: ``sum_entries``, ``logdet``, ``cholesky``,
``softmax_rows``, ``logsumexp_rows``, ``add_row_bias``, ``frobenius_norm``,
``cross_entropy``.
"""
from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from .errors import ShapeError


def _is_explicit(m) -> bool:
    return isinstance(m, sp.MatrixBase)


def _explicit_args(node, **hints):
    args = [_written_out(a.doit(**hints)) if isinstance(a, sp.Basic) else a for a in node.args]
    return args, all(_is_explicit(a) for a in args if isinstance(a, (MatrixExpr, sp.MatrixBase)))


def _written_out(value):
    """A matrix expression of explicit matrices only (SymPy's doit leaves HadamardPower(Matrix, 2) as it
    is) as its explicit matrix, so the node over it evaluates too."""
    if isinstance(value, MatrixExpr) and not _is_explicit(value) and not value.atoms(sp.MatrixSymbol) \
            and all(isinstance(d, int) or getattr(d, "is_Integer", False) for d in value.shape):
        try:
            return sp.ImmutableMatrix(value.as_explicit())
        except (TypeError, ValueError, AttributeError, NotImplementedError):
            return value
    return value


class MatrixNode(MatrixExpr):
    """Base of matrix-valued nodes: explicit evaluation via ``_explicit``."""

    def doit(self, **hints):
        args, explicit = _explicit_args(self, **hints)
        if explicit:
            return sp.ImmutableMatrix(self._explicit(*args))
        return type(self)(*args)

    def _eval_transpose(self):
        return None  # keep Transpose(node) as a node of its own


class _ScalarNode(sp.Expr):
    """Base of scalar-valued nodes over matrices."""

    is_commutative = True
    is_real = True

    def doit(self, **hints):
        args, explicit = _explicit_args(self, **hints)
        if explicit:
            return self._explicit(*args)
        return type(self)(*args)


# -- scalar reductions -------------------------------------------------------------

class SumEntries(_ScalarNode):
    """The sum of all entries, 1ᵀ X 1."""

    def __new__(cls, X):
        return sp.Expr.__new__(cls, X)

    def _explicit(self, X):
        return sp.Add(*X)

    def _numpycode(self, printer):
        return f"({printer._print(self.args[0])}).sum()"  # the method skips numpy.sum's dispatch

    def _latex(self, printer, exp=None):
        tex = rf"\mathbf{{1}}^\top {printer.parenthesize(self.args[0], 1000)} \mathbf{{1}}"
        return tex if exp is None else rf"\left({tex}\right)^{{{exp}}}"


class LogDet(_ScalarNode):
    """log det X, for X with positive determinant (evaluated through slogdet)."""

    def __new__(cls, X):
        if X.shape[0] != X.shape[1]:
            raise ShapeError(f"log-det of a non-square matrix of shape {X.shape}")
        return sp.Expr.__new__(cls, X)

    def _explicit(self, X):
        return sp.log(X.det())

    def _numpycode(self, printer):
        return f"_logdet({printer._print(self.args[0])})"

    def _latex(self, printer, exp=None):
        tex = rf"\log\det {printer.parenthesize(self.args[0], 1000)}"
        return tex if exp is None else rf"\left({tex}\right)^{{{exp}}}"


# -- matrix-valued nodes -----------------------------------------------------------

class Cholesky(MatrixNode):
    """The lower Cholesky factor L of a symmetric positive-definite X = L Lᵀ."""

    def __new__(cls, X):
        if X.shape[0] != X.shape[1]:
            raise ShapeError(f"Cholesky of a non-square matrix of shape {X.shape}")
        return MatrixExpr.__new__(cls, X)

    @property
    def shape(self):
        return self.args[0].shape

    def _explicit(self, X):
        return X.cholesky(hermitian=False)

    def _numpycode(self, printer):
        return f"_cholesky({printer._print(self.args[0])})"

    def _latex(self, printer, exp=None):
        return rf"\operatorname{{chol}}\left({printer._print(self.args[0])}\right)"


class CholeskyGrad(MatrixNode):
    """The adjoint of X given L = chol(X) and the adjoint of L (Murray 2016, symmetric)."""

    def __new__(cls, L, G):
        return MatrixExpr.__new__(cls, L, G)

    @property
    def shape(self):
        return self.args[0].shape

    def _explicit(self, L, G):
        # S = L^{-T} Phi(L^T G) L^{-1}, symmetrized; Phi keeps the lower triangle, halving the diagonal
        P = L.T * G
        n = P.shape[0]
        phi = sp.Matrix(n, n, lambda i, j: P[i, j] if i > j else (P[i, j] / 2 if i == j else 0))
        Linv = L.inv()
        S = Linv.T * phi * Linv
        return (S + S.T) / 2

    def _numpycode(self, printer):
        L, G = (printer._print(a) for a in self.args)
        return f"_cholesky_vjp({L}, {G})"

    def _latex(self, printer, exp=None):
        L, G = (printer._print(a) for a in self.args)
        return rf"\operatorname{{chol}}^{{*}}\!\left({L}, {G}\right)"


class SoftmaxRows(MatrixNode):
    """Row-wise soft-arg-max: Y_ij = exp(S_ij) / sum_k exp(S_ik).

    An optional second argument, the rows' log-sum-exp when it is already
    computed, only changes how NumPy evaluates it: exp(S - L), one pass.
    """

    def __new__(cls, S, log_normalizer=None):
        if log_normalizer is None:
            return MatrixExpr.__new__(cls, S)
        return MatrixExpr.__new__(cls, S, log_normalizer)

    @property
    def shape(self):
        return self.args[0].shape

    def doit(self, **hints):
        # the log-normalizer is an evaluation hint: a canonical form drops it
        S = self.args[0].doit(**hints)
        return sp.ImmutableMatrix(self._explicit(S)) if _is_explicit(S) else SoftmaxRows(S)

    def _explicit(self, S, log_normalizer=None):
        rows = []
        for i in range(S.shape[0]):
            total = sp.Add(*[sp.exp(S[i, k]) for k in range(S.shape[1])])
            rows.append([sp.exp(S[i, j]) / total for j in range(S.shape[1])])
        return sp.Matrix(rows)

    def _numpycode(self, printer):
        if len(self.args) == 2:
            ready = getattr(printer, "softmax_of_logsumexp", {}).get(self.args[1])
            if ready is not None:   # computed with the log-sum-exp, from the same exp
                return ready
            S, L = (printer._print(a) for a in self.args)
            return f"numpy.exp({S} - {L})"
        return f"_softmax_rows({printer._print(self.args[0])})"

    def _sympystr(self, printer):
        return f"softmax({printer._print(self.args[0])})"

    def _latex(self, printer, exp=None):
        return rf"\operatorname{{soft\text{{-}}arg\text{{-}}max}}\left({printer._print(self.args[0])}\right)"


class LogSumExpRows(MatrixNode):
    """Row-wise log-sum-exp (the good soft-max), an n x 1 column."""

    def __new__(cls, S):
        return MatrixExpr.__new__(cls, S)

    @property
    def shape(self):
        return (self.args[0].shape[0], sp.Integer(1))

    def _explicit(self, S):
        return sp.Matrix([[sp.log(sp.Add(*[sp.exp(S[i, k]) for k in range(S.shape[1])]))]
                          for i in range(S.shape[0])])

    def _numpycode(self, printer):
        return f"_logsumexp_rows({printer._print(self.args[0])})"

    def _latex(self, printer, exp=None):
        return rf"\log\sum_{{\text{{cols}}}} e^{{{printer._print(self.args[0])}}}"


class AddRowBias(MatrixNode):
    """S = M + 1 bᵀ with b a 1 x k row: the bias of an MLP layer, no ones matrix built."""

    def __new__(cls, M, b):
        if b.shape[0] != 1 or b.shape[1] != M.shape[1]:
            raise ShapeError(f"row bias of shape {b.shape} does not fit a matrix of shape {M.shape} "
                             f"(expected (1, {M.shape[1]}))")
        return MatrixExpr.__new__(cls, M, b)

    @property
    def shape(self):
        return self.args[0].shape

    def _explicit(self, M, b):
        return sp.Matrix(M.shape[0], M.shape[1], lambda i, j: M[i, j] + b[0, j])

    def _numpycode(self, printer):
        M, b = (printer._print(a) for a in self.args)
        return f"({M} + {b})"

    def _latex(self, printer, exp=None):
        M, b = (printer._print(a) for a in self.args)
        return rf"{M} + \mathbf{{1}} {b}"


class ColSums(MatrixNode):
    """The 1 x k row of column sums, 1ᵀ G."""

    def __new__(cls, G):
        return MatrixExpr.__new__(cls, G)

    @property
    def shape(self):
        return (sp.Integer(1), self.args[0].shape[1])

    def _explicit(self, G):
        return sp.Matrix([[sp.Add(*G[:, j]) for j in range(G.shape[1])]])

    def _numpycode(self, printer):
        return f"({printer._print(self.args[0])}).sum(axis=0, keepdims=True)"

    def _latex(self, printer, exp=None):
        return rf"\mathbf{{1}}^\top {printer.parenthesize(self.args[0], 1000)}"


class RowSums(MatrixNode):
    """The n x 1 column of row sums, G 1."""

    def __new__(cls, G):
        return MatrixExpr.__new__(cls, G)

    @property
    def shape(self):
        return (self.args[0].shape[0], sp.Integer(1))

    def _explicit(self, G):
        return sp.Matrix([[sp.Add(*G[i, :])] for i in range(G.shape[0])])

    def _numpycode(self, printer):
        return f"({printer._print(self.args[0])}).sum(axis=1, keepdims=True)"

    def _latex(self, printer, exp=None):
        return rf"{printer.parenthesize(self.args[0], 1000)} \mathbf{{1}}"


class ScaleRows(MatrixNode):
    """diag(g) Y: row i of Y times g_i, for g an n x 1 column."""

    def __new__(cls, Y, g):
        if g.shape != (Y.shape[0], 1):
            raise ShapeError(f"row scaling by shape {g.shape} does not fit {Y.shape}")
        if isinstance(g, sp.OneMatrix):
            return Y
        return MatrixExpr.__new__(cls, Y, g)

    @property
    def shape(self):
        return self.args[0].shape

    def _explicit(self, Y, g):
        return sp.Matrix(Y.shape[0], Y.shape[1], lambda i, j: Y[i, j] * g[i, 0])

    def _numpycode(self, printer):
        Y, g = (printer._print(a) for a in self.args)
        return f"({Y} * {g})"

    def _latex(self, printer, exp=None):
        Y, g = (printer._print(a) for a in self.args)
        return rf"\operatorname{{diag}}\left({g}\right) {Y}"


class Broadcast(MatrixNode):
    """A row (1 x k), column (n x 1) or 1 x 1 matrix v repeated to the shape of ``ones``.

    1 vᵀ and v 1ᵀ without the ones matrix: NumPy's ``broadcast_to`` gives a
    view, no copy.  The shape travels as the constant ``OneMatrix`` argument,
    so dimensions never count as values.
    """

    def __new__(cls, v, ones):
        rows, cols = ones.shape
        if not ((v.shape[0] == rows or v.shape[0] == 1) and (v.shape[1] == cols or v.shape[1] == 1)):
            raise ShapeError(f"cannot broadcast a matrix of shape {v.shape} to {ones.shape}")
        if v.shape == ones.shape:
            return v
        return MatrixExpr.__new__(cls, v, sp.OneMatrix(rows, cols))

    @property
    def shape(self):
        return self.args[1].shape

    def _explicit(self, v, ones):
        rows, cols = self.shape
        return sp.Matrix(rows, cols, lambda i, j: v[i if v.shape[0] != 1 else 0, j if v.shape[1] != 1 else 0])

    def doit(self, **hints):
        v = self.args[0].doit(**hints)
        if _is_explicit(v) and all(d.is_Integer for d in self.shape):
            return sp.ImmutableMatrix(self._explicit(v, None))
        return Broadcast(v, self.args[1])

    def _entry(self, i, j, **kwargs):
        v = self.args[0]
        return v[0 if v.shape[0] == 1 else i, 0 if v.shape[1] == 1 else j]

    def as_ones_product(self):
        """SymPy's own spelling, 1 vᵀ or v 1ᵀ: closed forms use it (compared by structure with claims)."""
        v = self.args[0]
        rows, cols = self.shape
        left = sp.OneMatrix(rows, 1) if v.shape[0] == 1 and rows != 1 else None
        right = sp.OneMatrix(1, cols) if v.shape[1] == 1 and cols != 1 else None
        return sp.MatMul(*[m for m in (left, v, right) if m is not None]).doit(deep=False)

    def _numpycode(self, printer):
        rows, cols = (printer._print(d) for d in self.shape)
        return f"numpy.broadcast_to({printer._print(self.args[0])}, ({rows}, {cols}))"

    def _sympystr(self, printer):
        rows, cols = (printer._print(d) for d in self.shape)
        return f"broadcast({printer._print(self.args[0])}, ({rows}, {cols}))"

    def _latex(self, printer, exp=None):
        v = printer.parenthesize(self.args[0], 1000)
        if self.args[0].shape[0] == 1 and self.shape[0] != 1:
            return rf"\mathbf{{1}} {v}" if self.args[0].shape[1] == self.shape[1] else rf"\mathbf{{1}} {v} \mathbf{{1}}^\top"
        return rf"{v} \mathbf{{1}}^\top"


def reduce_ones(factors):
    """The matrix product of ``factors`` with every ones matrix among them turned into
    column sums (1ᵀ A), row sums (A 1), counts (1ᵀ1 = n) and broadcasts (1 vᵀ):
    no ones matrix is left to build, unless the product is nothing but ones."""
    rows, cols = factors[0].shape[0], factors[-1].shape[1]
    items = []
    for f in factors:
        if isinstance(f, sp.OneMatrix):
            if f.shape[0] != 1:
                items.append(sp.OneMatrix(f.shape[0], 1))
            if f.shape[1] != 1:
                items.append(sp.OneMatrix(1, f.shape[1]))
        else:
            items.append(f)
    scale = sp.Integer(1)

    def row_ones(m):
        return isinstance(m, sp.OneMatrix) and m.shape[0] == 1

    def col_ones(m):
        return isinstance(m, sp.OneMatrix) and m.shape[1] == 1

    changed = True
    while changed:
        changed = False
        for i in range(len(items) - 1):
            a, b = items[i], items[i + 1]
            if row_ones(a) and col_ones(b):
                if not a.shape[1].is_Integer:   # 1ᵀ1 = n with n a dimension, no value of the program
                    return sp.MatMul(*factors)
                scale *= a.shape[1]
                items[i:i + 2] = []
            elif row_ones(a) and not isinstance(b, sp.OneMatrix):
                items[i:i + 2] = [ColSums(b)]
            elif col_ones(b) and not isinstance(a, sp.OneMatrix):
                items[i:i + 2] = [RowSums(a)]
            else:
                continue
            changed = True
            break
    if all(isinstance(m, sp.OneMatrix) for m in items):
        result = sp.OneMatrix(rows, cols)
    else:
        lead = isinstance(items[0], sp.OneMatrix)    # a column of ones in front: 1 (1 x k row)
        tail = isinstance(items[-1], sp.OneMatrix)   # a row of ones behind: (n x 1 column) 1ᵀ
        middle = items[int(lead):len(items) - int(tail)]
        core = middle[0] if len(middle) == 1 else sp.MatMul(*middle)
        result = Broadcast(core, sp.OneMatrix(rows, cols)) if (lead or tail) else core
    return sp.MatMul(scale, result) if scale != 1 else result


def _constant_fill(m):
    """c for a matrix c * OneMatrix (every entry c), else None."""
    if isinstance(m, sp.OneMatrix):
        return sp.Integer(1)
    if isinstance(m, sp.MatMul) and len(m.args) == 2 and isinstance(m.args[1], sp.OneMatrix) \
            and not isinstance(m.args[0], MatrixExpr):
        return m.args[0]
    return None


class Elementwise(MatrixNode):
    """f(A, B, ...) applied entry by entry to same-shape matrices (f a SymPy Lambda).

    The derivative f'(S) of an elementwise function is such a node, written in
    terms of the input and output (for tanh: 1 - Y∘Y), like the lecture's
    dS = f'(S) ∘ dY.
    """

    def __new__(cls, function, *mats):
        shapes = {m.shape for m in mats}
        if len(shapes) != 1:
            raise ShapeError(f"elementwise function of matrices of different shapes {sorted(map(str, shapes))}")
        # a constant c*1 argument is the scalar c in every entry: no ones matrix is built
        keep, subs = [], {}
        used = function.expr.free_symbols
        for var, m in zip(function.variables, mats):
            c = _constant_fill(m)
            if c is None:
                if var in used:  # an argument the function ignores is dropped
                    keep.append((var, m))
            else:
                subs[var] = c
        if subs or len(keep) < len(mats):
            if not keep:
                return sp.OneMatrix(*mats[0].shape) * function.expr.xreplace(subs)
            function = sp.Lambda(tuple(v for v, _ in keep), function.expr.xreplace(subs))
            mats = tuple(m for _, m in keep)
        return MatrixExpr.__new__(cls, function, *mats)

    @property
    def function(self):
        return self.args[0]

    @property
    def shape(self):
        return self.args[1].shape

    def doit(self, **hints):
        mats = [m.doit(**hints) for m in self.args[1:]]
        if all(_is_explicit(m) for m in mats):
            f = self.function
            return sp.ImmutableMatrix(mats[0].shape[0], mats[0].shape[1],
                                      lambda i, j: f(*[m[i, j] for m in mats]))
        return Elementwise(self.function, *mats)

    def _numpycode(self, printer):
        variables, body = self.function.variables, self.function.expr
        # print the scalar body with each variable standing for its whole array
        stand_ins = {v: sp.Symbol(f"__ew{k}") for k, v in enumerate(variables)}
        code = printer._print(body.xreplace(stand_ins))
        for k, m in enumerate(self.args[1:]):
            code = code.replace(f"__ew{k}", f"({printer._print(m)})")
        return f"({code})"

    def _latex(self, printer, exp=None):
        variables, body = self.function.variables, self.function.expr
        tex = printer._print(body.xreplace(dict(zip(variables, self.args[1:]))))
        return rf"\left[{tex}\right]_{{\circ}}"


class Unit(MatrixNode):
    """The matrix with a single 1 at (i, j): the adjoint of indexing X[i, j]."""

    def __new__(cls, i, j, rows, cols):
        return MatrixExpr.__new__(cls, *map(sp.sympify, (i, j, rows, cols)))

    @property
    def shape(self):
        return (self.args[2], self.args[3])

    def doit(self, **hints):
        i, j, rows, cols = self.args
        if rows.is_Integer and cols.is_Integer:
            return sp.ImmutableMatrix(int(rows), int(cols), lambda a, b: 1 if (a, b) == (i, j) else 0)
        return self

    def _numpycode(self, printer):
        i, j, rows, cols = (printer._print(a) for a in self.args)
        return f"_unit({i}, {j}, ({rows}, {cols}))"

    def _latex(self, printer, exp=None):
        i, j = (printer._print(a) for a in self.args[:2])
        return rf"E_{{{i}{j}}}"


class SliceAdjoint(MatrixNode):
    """G written into the rows/columns a slice X[r0:r1:rs, c0:c1:cs] took, zeros elsewhere."""

    def __new__(cls, G, rowslice, colslice, rows, cols):
        return MatrixExpr.__new__(cls, G, sp.Tuple(*rowslice), sp.Tuple(*colslice), sp.sympify(rows),
                                  sp.sympify(cols))

    @property
    def shape(self):
        return (self.args[3], self.args[4])

    def doit(self, **hints):
        G = self.args[0].doit(**hints)
        rows, cols = self.args[3], self.args[4]
        if not (_is_explicit(G) and rows.is_Integer and cols.is_Integer):
            return self
        out = sp.zeros(int(rows), int(cols))
        r = range(*(int(v) for v in self.args[1]))
        c = range(*(int(v) for v in self.args[2]))
        for a, i in enumerate(r):
            for b, j in enumerate(c):
                out[i, j] = G[a, b]
        return sp.ImmutableMatrix(out)

    def _numpycode(self, printer):
        G = printer._print(self.args[0])
        r0, r1, rs = (printer._print(v) for v in self.args[1])
        c0, c1, cs = (printer._print(v) for v in self.args[2])
        rows, cols = printer._print(self.args[3]), printer._print(self.args[4])
        return f"_embed({G}, slice({r0}, {r1}, {rs}), slice({c0}, {c1}, {cs}), ({rows}, {cols}))"

    def _latex(self, printer, exp=None):
        return rf"\operatorname{{embed}}\left({printer._print(self.args[0])}\right)"


# -- constructors for users --------------------------------------------------------

def sum_entries(X):
    return SumEntries(X)


def logdet(X):
    return LogDet(X)


def cholesky(X):
    return Cholesky(X)


def softmax_rows(S):
    return SoftmaxRows(S)


def logsumexp_rows(S):
    return LogSumExpRows(S)


def add_row_bias(M, b):
    """M + 1 bᵀ; b may be a 1 x k row or a k x 1 column."""
    if b.shape[1] == 1 and b.shape[0] == M.shape[1] and M.shape[1] != 1:
        b = b.T
    return AddRowBias(M, b)


def frobenius_norm(X):
    return sp.sqrt(SumEntries(sp.HadamardProduct(X, X)))


def cross_entropy(S, Y):
    """Sum over rows of -sum_j Y_ij log softmax(S)_ij, written through log-sum-exp.

    Its gradient with respect to the scores comes out as softmax(S) - Y (for
    one-hot or probability rows Y).
    """
    return SumEntries(LogSumExpRows(S)) - SumEntries(sp.HadamardProduct(Y, S))


# -- helpers of the matrix rules (SymPy-facing, so the declarations and the canonical pass share them) --

def is_matrix(x) -> bool:
    return isinstance(x, MatrixExpr)


def hadamard(A, B):
    """A ∘ B, without building a ones matrix: c·1 ∘ B is c·B."""
    for P, Q in ((A, B), (B, A)):
        coeff, mats = _coeff_and_matrices(P)
        if len(mats) == 1 and isinstance(mats[0], sp.OneMatrix):
            return coeff * Q if coeff != 1 else Q
    return sp.HadamardProduct(A, B)


def _coeff_and_matrices(X):
    if isinstance(X, sp.MatMul):
        scalars = [a for a in X.args if not is_matrix(a)]
        return sp.Mul(*scalars), [a for a in X.args if is_matrix(a)]
    return sp.Integer(1), [X]


def inner(G, X):
    """<G, X> = sum of the entries of G ∘ X: the adjoint of a scalar factor."""
    return SumEntries(hadamard(G, X))


MATRIX_NODES = (SumEntries, LogDet, Cholesky, CholeskyGrad, SoftmaxRows, LogSumExpRows, AddRowBias,
                ColSums, RowSums, ScaleRows, Elementwise, Unit, SliceAdjoint, Broadcast)
