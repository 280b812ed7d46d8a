"""The matrix vector-Jacobian rule table: one entry per matrix node type.

The lecture's rules ("Дифференцирование сложных функций"): C = AB gives
dA = dC Bᵀ, dB = Aᵀ dC; sums pass dY on; Hadamard products multiply dY by the
other factors; an elementwise f gives dX = f'(X) ∘ dY; the inverse gives
dX = -Yᵀ dY Yᵀ; a transpose transposes dY.  Plus trace, determinant, log-det,
Cholesky, row-wise soft-arg-max and log-sum-exp, the row bias of a layer, and
indexing.  Every adjoint has the shape of its variable.
"""
from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixElement, MatrixExpr

from ..errors import NoRuleError
from ..matrix import (AddRowBias, Broadcast, cross_entropy, frobenius_norm, Cholesky, CholeskyGrad, ColSums, Elementwise, LogDet, LogSumExpRows,
                      RowSums, ScaleRows, SliceAdjoint, SoftmaxRows, SumEntries, Unit, reduce_ones)
from .base import RuleContext, RuleTable

MATRIX_RULES = RuleTable()


def defmatrule(head):
    def register(rule):
        MATRIX_RULES.rules[head] = rule
        return rule

    return register


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


@defmatrule(sp.MatMul)
def _matmul(ctx: RuleContext):
    # Y = c A_1 ... A_k  ->  dA_i = c (A_1..A_{i-1})ᵀ dY (A_{i+1}..A_k)ᵀ;  dc_j = <dY, Y / c_j>
    # SymPy keeps a scalar coefficient such as 2*c as one argument: split it into its factors
    scalars = [f for a in ctx.args if not is_matrix(a) for f in sp.Mul.make_args(a)]
    mats = [a for a in ctx.args if is_matrix(a)]
    c = sp.Mul(*scalars)
    G = ctx.g
    out = []
    for i, A in enumerate(mats):
        left = sp.MatMul(*mats[:i]).T if i > 0 else None
        right = sp.MatMul(*mats[i + 1:]).T if i < len(mats) - 1 else None
        factors = [f for f in (left, G, right) if f is not None]
        term = factors[0] if len(factors) == 1 else sp.MatMul(*factors).doit(deep=False)
        if term.has(sp.OneMatrix):   # a ones adjoint (from a sum of entries): sums and broadcasts instead
            term = reduce_ones([f for a in factors for f in _factors_of(a)])
        out.append((A, c * term if c != 1 else term))
    if any(not s.is_Number for s in scalars):
        product = sp.MatMul(*mats) if len(mats) > 1 else mats[0]
        for j, s in enumerate(scalars):
            if not s.is_Number:
                others = sp.Mul(*(scalars[:j] + scalars[j + 1:]))
                out.append((s, others * inner(G, product)))
    return out


def _factors_of(X):
    if isinstance(X, sp.MatMul):
        scalars = [a for a in X.args if not is_matrix(a)]
        mats = [a for a in X.args if is_matrix(a)]
        return mats if not scalars else [sp.Mul(*scalars) * mats[0], *mats[1:]]
    return [X]


@defmatrule(sp.MatAdd)
def _matadd(ctx):
    return [(term, ctx.g) for term in ctx.args]  # inline c*X passes c*dY on


@defmatrule(sp.Transpose)
def _transpose(ctx):
    return [(ctx.args[0], ctx.g.T)]


@defmatrule(sp.Inverse)
def _inverse(ctx):
    Y = ctx.ans
    return [(ctx.args[0], -(Y.T * ctx.g * Y.T))]


@defmatrule(sp.MatPow)
def _matpow(ctx):
    # SymPy writes A*A as A**2 and S⁻¹S⁻ᵀ (S symmetric) as S**-2.  Y = B^k with B = A (k > 0) or
    # B = A⁻¹ (k < 0):  dB = Σ_{i<k} (Bᵀ)^i dY (Bᵀ)^(k-1-i),  and dA = -A⁻ᵀ dB A⁻ᵀ for k < 0.
    A, k = ctx.args
    if not (k.is_Integer):
        raise NoRuleError(f"matrix power {ctx.expr}: only integer exponents have a rule")
    k = int(k)
    if k == 0:
        return []
    B = A if k > 0 else ctx.let("inv", sp.Inverse(A))
    powers = [sp.Identity(A.shape[0]), B.T]
    for _ in range(2, abs(k)):
        powers.append(ctx.let("pow", powers[-1] * B.T))
    terms = [_drop_identity(powers[i], ctx.g, powers[abs(k) - 1 - i]) for i in range(abs(k))]
    dB = sp.MatAdd(*terms) if len(terms) > 1 else terms[0]
    if k > 0:
        return [(A, dB)]
    return [(A, -(B.T * ctx.let("dinv", dB) * B.T))]


def _drop_identity(*factors):
    return sp.MatMul(*[f for f in factors if not isinstance(f, sp.Identity)])


@defmatrule(sp.HadamardPower)
def _hadamard_power(ctx):
    # Y = X∘^p with a numeric p: dX = p X∘^(p-1) ∘ dY
    X, p = ctx.args
    if not p.is_Number:
        raise NoRuleError(f"elementwise power {ctx.expr}: only numeric exponents have a rule")
    if p == 1:
        return [(X, ctx.g)]
    if p == -1:   # Y = X∘⁻¹: dX = -Y∘Y∘dY from the value, no second reciprocal
        return [(X, -hadamard(sp.HadamardProduct(ctx.ans, ctx.ans), ctx.g))]
    lower = X if p == 2 else sp.HadamardPower(X, p - 1)
    return [(X, p * hadamard(lower, ctx.g))]


@defmatrule(sp.HadamardProduct)
def _hadamard(ctx):
    out = []
    for i, X in enumerate(ctx.args):
        others = ctx.args[:i] + ctx.args[i + 1:]
        term = ctx.g
        for o in others:
            term = hadamard(term, o)
        out.append((X, term))
    return out


def elementwise_derivative(function):
    """f'(x) for an elementwise f, as a Lambda of (x, y = f(x)).

    A single table function gets its rule's form in terms of the value (for
    tanh: 1 - y^2, for exp: y); a compound body goes through the scalar
    reverse pass.
    """
    from .scalar import SCALAR_RULES  # the scalar table is the source of f'

    x, y = sp.Dummy("x", real=True), sp.Dummy("y", real=True)
    body = function(x) if not isinstance(function, sp.Lambda) else function.expr.xreplace(
        {function.variables[0]: x})
    rule = SCALAR_RULES.lookup(type(body)) if not body.is_Atom else None
    if rule is not None and body.args == (x,):
        parts = rule(RuleContext(expr=body, ans=y, g=sp.Integer(1), let=_no_let))
        d = sp.Add(*[c for a, c in parts if a == x])
        return sp.Lambda((x, y), d)
    from ..reverse import gradient

    g = gradient(body, [x])
    return sp.Lambda((x, y), g.closed_form(x))


def _no_let(hint, expr):
    return expr


@defmatrule(ElementwiseApplyFunction)
def _elementwise_apply(ctx):
    X = ctx.args[1]
    dfdx = elementwise_derivative(ctx.args[0])
    gvar = sp.Dummy("g", real=True)
    xv, yv = dfdx.variables
    return [(X, Elementwise(sp.Lambda((xv, yv, gvar), gvar * dfdx.expr), X, ctx.ans, ctx.g))]


@defmatrule(Elementwise)
def _elementwise(ctx):
    lam, mats = ctx.args[0], ctx.args[1:]
    out = []
    for k, m in enumerate(mats):
        d = sp.diff(lam.expr, lam.variables[k])
        if d != 0:
            gvar = sp.Dummy("g", real=True)
            out.append((m, Elementwise(sp.Lambda((*lam.variables, gvar), gvar * d), *mats, ctx.g)))
    return out


@defmatrule(sp.Trace)
def _trace(ctx):
    X = ctx.args[0]
    return [(X, ctx.g * sp.Identity(X.shape[0]))]


@defmatrule(sp.Determinant)
def _det(ctx):
    X = ctx.args[0]
    return [(X, ctx.g * ctx.ans * sp.Inverse(X).T)]


@defmatrule(LogDet)
def _logdet(ctx):
    X = ctx.args[0]
    return [(X, ctx.g * sp.Inverse(X).T)]


@defmatrule(SumEntries)
def _sum_entries(ctx):
    X = ctx.args[0]
    return [(X, ctx.g * sp.OneMatrix(*X.shape))]


@defmatrule(MatrixElement)
def _element(ctx):
    X, i, j = ctx.args
    return [(X, ctx.g * Unit(i, j, *X.shape))]


@defmatrule(sp.MatrixSlice)
def _slice(ctx):
    X, rows, cols = ctx.args
    return [(X, SliceAdjoint(ctx.g, rows, cols, *X.shape))]


@defmatrule(Cholesky)
def _cholesky(ctx):
    return [(ctx.args[0], CholeskyGrad(ctx.ans, ctx.g))]


@defmatrule(SoftmaxRows)
def _softmax_rows(ctx):  # (a log-normalizer argument, when present, is a function of S: no own adjoint)
    # dS = Y ∘ (dY - rowsum(dY ∘ Y) 1ᵀ): the Jacobian y_i (δ_ij - y_j) row by row
    Y, G = ctx.ans, ctx.g
    H = ctx.let("gy", hadamard(G, Y))
    return [(ctx.args[0], H - ScaleRows(Y, RowSums(H)))]


@defmatrule(LogSumExpRows)
def _logsumexp_rows(ctx):
    # the derivative of log-sum-exp is soft-arg-max (the lecture's "good soft-max")
    # soft-arg-max from the log-sum-exp already computed: exp(S - L), one pass
    return [(ctx.args[0], ScaleRows(SoftmaxRows(ctx.args[0], ctx.ans), ctx.g))]


@defmatrule(AddRowBias)
def _add_row_bias(ctx):
    M, b = ctx.args
    return [(M, ctx.g), (b, ColSums(ctx.g))]


@defmatrule(ColSums)
def _col_sums(ctx):
    G = ctx.args[0]
    return [(G, Broadcast(ctx.g, sp.OneMatrix(*G.shape)))]


@defmatrule(RowSums)
def _row_sums(ctx):
    G = ctx.args[0]
    return [(G, Broadcast(ctx.g, sp.OneMatrix(*G.shape)))]


@defmatrule(Broadcast)
def _broadcast(ctx):
    # v repeated down the rows (or along the columns): its adjoint sums them back
    v, G = ctx.args[0], ctx.g
    if v.shape[0] == 1 and ctx.expr.shape[0] != 1:
        G = ColSums(G)
    if v.shape[1] == 1 and ctx.expr.shape[1] != 1:
        G = RowSums(G)
    return [(v, G)]


@defmatrule(ScaleRows)
def _scale_rows(ctx):
    Y, g = ctx.args
    return [(Y, ScaleRows(ctx.g, g)), (g, RowSums(hadamard(ctx.g, Y)))]




def _transpose_fn(X):
    return X.T


def _inverse_fn(X):
    return sp.Inverse(X)


# Names callable in program text on matrices (scalar table functions apply entrywise).
MATRIX_RULES.names.update({
    "trace": sp.Trace, "tr": sp.Trace, "det": sp.Determinant, "logdet": LogDet,
    "inv": _inverse_fn, "transpose": _transpose_fn, "hadamard": sp.HadamardProduct,
    "hadamard_power": sp.HadamardPower,
    "sum": SumEntries, "softmax": SoftmaxRows, "logsumexp": LogSumExpRows, "cholesky": Cholesky,
    "norm": frobenius_norm, "cross_entropy": cross_entropy,
})
