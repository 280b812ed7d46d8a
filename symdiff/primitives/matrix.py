"""The matrix nodes, declared: their vector-Jacobian rules, names and tape forwards.

The lecture's rules ("Дифференцирование сложных функций"): C = AB gives
dA = dC Bᵀ, dB = Aᵀ dC; sums pass dY on; Hadamard products multiply dY by the
other factors; an elementwise f gives dX = f'(X) ∘ dY; the inverse gives
dX = -Yᵀ dY Yᵀ; a transpose transposes dY.  Plus trace, determinant, log-det,
Cholesky, row-wise soft-arg-max and log-sum-exp, the row bias of a layer, and
indexing.  Every adjoint has the shape of its variable.  The nodes SymPy lacks
(their shape, explicit meaning, NumPy and LaTeX) are classes in
``symdiff.matrix``.
"""
from __future__ import annotations

import functools
import operator

import numpy as np
import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixElement

from .. import tape as tp
from ..errors import NoRuleError
from ..matrix import (AddRowBias, Broadcast, cross_entropy, frobenius_norm, Cholesky, CholeskyGrad, ColSums,
                      Elementwise, LogDet, LogSumExpRows, RowSums, ScaleRows, SliceAdjoint, SoftmaxRows,
                      SumEntries, Unit, hadamard, inner, is_matrix, reduce_ones)
from ..vocabulary import add_names
from .declare import primitive


def _matmul(ctx):
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


def _matadd(ctx):
    return [(term, ctx.g) for term in ctx.args]  # inline c*X passes c*dY on


def _transpose(ctx):
    return [(ctx.args[0], ctx.g.T)]


def _inverse(ctx):
    Y = ctx.ans
    return [(ctx.args[0], -(Y.T * ctx.g * Y.T))]


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


def _hadamard(ctx):
    out = []
    for i, X in enumerate(ctx.args):
        others = ctx.args[:i] + ctx.args[i + 1:]
        term = ctx.g
        for o in others:
            term = hadamard(term, o)
        out.append((X, term))
    return out


def _elementwise_apply(ctx):
    X = ctx.args[1]
    dfdx = ctx.elementwise_derivative(ctx.args[0])
    gvar = sp.Dummy("g", real=True)
    xv, yv = dfdx.variables
    return [(X, Elementwise(sp.Lambda((xv, yv, gvar), gvar * dfdx.expr), X, ctx.ans, ctx.g))]


def _elementwise(ctx):
    lam, mats = ctx.args[0], ctx.args[1:]
    out = []
    for k, m in enumerate(mats):
        d = sp.diff(lam.expr, lam.variables[k])
        if d != 0:
            gvar = sp.Dummy("g", real=True)
            out.append((m, Elementwise(sp.Lambda((*lam.variables, gvar), gvar * d), *mats, ctx.g)))
    return out


def _trace(ctx):
    X = ctx.args[0]
    return [(X, ctx.g * sp.Identity(X.shape[0]))]


def _det(ctx):
    X = ctx.args[0]
    return [(X, ctx.g * ctx.ans * sp.Inverse(X).T)]


def _logdet(ctx):
    X = ctx.args[0]
    return [(X, ctx.g * sp.Inverse(X).T)]


def _sum_entries(ctx):
    X = ctx.args[0]
    return [(X, ctx.g * sp.OneMatrix(*X.shape))]


def _element(ctx):
    X, i, j = ctx.args
    return [(X, ctx.g * Unit(i, j, *X.shape))]


def _slice(ctx):
    X, rows, cols = ctx.args
    return [(X, SliceAdjoint(ctx.g, rows, cols, *X.shape))]


def _cholesky(ctx):
    return [(ctx.args[0], CholeskyGrad(ctx.ans, ctx.g))]


def _softmax_rows(ctx):  # (a log-normalizer argument, when present, is a function of S: no own adjoint)
    # dS = Y ∘ (dY - rowsum(dY ∘ Y) 1ᵀ): the Jacobian y_i (δ_ij - y_j) row by row
    Y, G = ctx.ans, ctx.g
    H = ctx.let("gy", hadamard(G, Y))
    return [(ctx.args[0], H - ScaleRows(Y, RowSums(H)))]


def _logsumexp_rows(ctx):
    # the derivative of log-sum-exp is soft-arg-max (the lecture's "good soft-max")
    # soft-arg-max from the log-sum-exp already computed: exp(S - L), one pass
    return [(ctx.args[0], ScaleRows(SoftmaxRows(ctx.args[0], ctx.ans), ctx.g))]


def _add_row_bias(ctx):
    M, b = ctx.args
    return [(M, ctx.g), (b, ColSums(ctx.g))]


def _col_sums(ctx):
    G = ctx.args[0]
    return [(G, Broadcast(ctx.g, sp.OneMatrix(*G.shape)))]


def _row_sums(ctx):
    G = ctx.args[0]
    return [(G, Broadcast(ctx.g, sp.OneMatrix(*G.shape)))]


def _broadcast(ctx):
    # v repeated down the rows (or along the columns): its adjoint sums them back
    v, G = ctx.args[0], ctx.g
    if v.shape[0] == 1 and ctx.expr.shape[0] != 1:
        G = ColSums(G)
    if v.shape[1] == 1 and ctx.expr.shape[1] != 1:
        G = RowSums(G)
    return [(v, G)]


def _scale_rows(ctx):
    Y, g = ctx.args
    return [(Y, ScaleRows(ctx.g, g)), (g, RowSums(hadamard(ctx.g, Y)))]


def _value(x):
    return x.value if isinstance(x, tp.Tensor) else x


def _tape_matmul(*args):
    scalars = [a for a in args if np.ndim(_value(a)) < 2]
    mats = [a for a in args if np.ndim(_value(a)) == 2]
    out = functools.reduce(operator.matmul, mats)
    for s in scalars:
        out = out * s
    return out


def _tape_matrix_power(x, k):
    # an integer power as repeated products on the tape (of the inverse, for k < 0)
    k = int(k)
    base = x if k > 0 else tp.inv(x)
    if k == 0:
        return np.eye(np.shape(_value(x))[0])
    return functools.reduce(operator.matmul, [base] * abs(k))


def _transpose_fn(X):
    return X.T


def _inverse_fn(X):
    return sp.Inverse(X)


def _sum(*a):
    return functools.reduce(operator.add, a)


def _product(*a):
    return functools.reduce(operator.mul, a)


primitive(sp.MatMul, rule=_matmul, matrix=True, tape=_tape_matmul)
primitive(sp.MatAdd, rule=_matadd, matrix=True, tape=_sum)
primitive(sp.Transpose, rule=_transpose, matrix=True, names={"transpose": _transpose_fn}, tape=tp.transpose)
# Inverse is a MatPow: its args are (X, -1)
primitive(sp.Inverse, rule=_inverse, matrix=True, names={"inv": _inverse_fn}, tape=lambda x, *_: tp.inv(x))
primitive(sp.MatPow, rule=_matpow, matrix=True, tape=_tape_matrix_power)
primitive(sp.HadamardPower, rule=_hadamard_power, matrix=True, names=("hadamard_power",),
          tape=lambda x, p: tp.power(x, p))
primitive(sp.HadamardProduct, rule=_hadamard, matrix=True, names=("hadamard",), tape=_product)
# the witnesses' translator evaluates f(X) entrywise and indexing itself
primitive(ElementwiseApplyFunction, rule=_elementwise_apply, matrix=True)
primitive(Elementwise, rule=_elementwise, matrix=True)
primitive(sp.Trace, rule=_trace, matrix=True, names=("trace", "tr"), tape=lambda x: tp.einsum("ii->", x))
primitive(sp.Determinant, rule=_det, matrix=True, names=("det",), tape=tp.det)
primitive(LogDet, rule=_logdet, matrix=True, names=("logdet",), tape=tp.logdet)
primitive(SumEntries, rule=_sum_entries, matrix=True, names=("sum",), tape=tp.sum)
primitive(MatrixElement, rule=_element, matrix=True)
primitive(sp.MatrixSlice, rule=_slice, matrix=True)
primitive(Cholesky, rule=_cholesky, matrix=True, names=("cholesky",), tape=tp.cholesky)
primitive(SoftmaxRows, rule=_softmax_rows, matrix=True, names=("softmax",), tape=lambda x: tp.softmax(x, axis=1))
primitive(LogSumExpRows, rule=_logsumexp_rows, matrix=True, names=("logsumexp",),
          tape=lambda x: tp.logsumexp(x, axis=1, keepdims=True))
primitive(AddRowBias, rule=_add_row_bias, matrix=True, tape=operator.add)
primitive(ColSums, rule=_col_sums, matrix=True)
primitive(RowSums, rule=_row_sums, matrix=True)
primitive(Broadcast, rule=_broadcast, matrix=True)
primitive(ScaleRows, rule=_scale_rows, matrix=True)

# compositions callable by name (their nodes are declared above)
add_names({"norm": frobenius_norm, "cross_entropy": cross_entropy}, matrix=True)
