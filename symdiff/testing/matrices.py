"""Hypothesis strategies for random matrix expressions with consistent (possibly symbolic) shapes.

``matrix_expressions`` draws input ``MatrixSymbol``s whose shapes come from a
pool of dimensions (symbols n, m, k, or integers), applies matrix primitives
to a growing pool of nodes (products, sums, transposes, Hadamard products,
elementwise functions via ``X.applyfunc(f)``, inverses and determinants of the
well-conditioned, non-symmetric X Xᵀ + I + Z - Zᵀ, Cholesky factors of
X Xᵀ + I, soft-arg-max rows...), each time
choosing an operand whose shape fits, and reduces the result to a scalar
(sum of entries, trace, an entry, log-det, determinant).  Nodes are reused, so
the expression is a DAG.  Draw values for it with ``values_for`` (entries in
[-1, 1] keep products moderate).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import hypothesis.strategies as st
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from ..functions import sigmoid, softplus
from ..matrix import (AddRowBias, Broadcast, Cholesky, ColSums, Elementwise, LogDet, LogSumExpRows, RowSums, ScaleRows,
                      SoftmaxRows, SumEntries)
from .strategies import note_example

MATRIX_DOMAIN = (-1.0, 1.0)
DIMENSIONS = sp.symbols("n m k", integer=True, positive=True)

_t = sp.Dummy("t", real=True)
_u, _v = sp.Dummy("u", real=True), sp.Dummy("v", real=True)
# Entrywise functions: bounded or linear growth, smooth everywhere.
ENTRYWISE = (sp.tanh, sp.sin, sigmoid, softplus, sp.Lambda(_t, _t ** 2), sp.Lambda(_t, _t * sp.sin(_t)),
             sp.Lambda(_t, sp.exp(sp.tanh(_t))))
BINARY_ENTRYWISE = (sp.Lambda((_u, _v), _u * sp.sin(_v)), sp.Lambda((_u, _v), _u * _v + _u ** 2),
                    sp.Lambda((_u, _v), sp.tanh(_u - _v)))


def gram(X):
    """X Xᵀ: symmetric positive semi-definite."""
    return X * X.T


def spd(X):
    """X Xᵀ + I: symmetric, eigenvalues >= 1, whatever X is (for Cholesky)."""
    return gram(X) + sp.Identity(X.shape[0])


def well_conditioned(X):
    """X Xᵀ + I + (Z - Zᵀ) with Z = r sᵀ (r, s the row sums of X and sin X): not symmetric, but
    its symmetric part is >= I, so every singular value is >= 1 and its determinant is positive.
    A matrix to invert, or take the (log-)determinant of, where a missing transpose shows."""
    Z = RowSums(X) * RowSums(X.applyfunc(sp.sin) if X.shape != (1, 1) else X).T
    return spd(X) + Z - Z.T


@dataclass(frozen=True)
class MatrixPrimitive:
    """``build(pick, X, pool)`` -> a new matrix (or scalar, for reductions) expression.

    ``X`` is the first operand; ``pick(options)`` chooses among candidate
    partners from ``pool`` (all earlier nodes), so shapes always fit.
    """

    name: str
    build: Callable
    doc: str = ""


def _same_shape(X, pool):
    return [Y for Y in pool if Y.shape == X.shape]


def _matmul(pick, X, pool):
    # X X becomes the power X**2 and S⁻¹S⁻ᵀ (S symmetric) S**-2: those exercise the MatPow entry
    return pick([X * Y for Y in pool + [X, X.T] if Y.shape[0] == X.shape[1]])


def _matadd(pick, X, pool):
    partners = [Y for Y in _same_shape(X, pool) if Y != X]
    if X.shape[0] == X.shape[1]:
        partners.append(X.T)
    partners.append(_elementwise(lambda options: options[1], X, pool))   # sin(X) always fits
    return X + pick(partners)


def _hadamard(pick, X, pool):
    # a repeated factor (X∘X, or (X∘Y)∘Y inside a product) becomes a HadamardPower
    partners = _same_shape(X, pool) + [X]
    return sp.HadamardProduct(X, pick(partners))


def _elementwise(pick, X, pool):
    f = pick(list(ENTRYWISE))
    if X.shape == (1, 1):
        # SymPy applies f to a 1x1 matrix itself (f(X), not entrywise): use symdiff's node instead
        return Elementwise(f if isinstance(f, sp.Lambda) else sp.Lambda(_t, f(_t)), X)
    return X.applyfunc(f)


def _elementwise2(pick, X, pool):
    return Elementwise(pick(list(BINARY_ENTRYWISE)), X, pick(_same_shape(X, pool) or [X]))


def _row_bias(pick, X, pool):
    partners = [Y for Y in pool if Y.shape[1] == X.shape[1]] or [X]
    return AddRowBias(X, ColSums(pick(partners)))


def _scale_rows(pick, X, pool):
    partners = [Y for Y in pool if Y.shape[0] == X.shape[0]] or [X]
    return ScaleRows(X, RowSums(pick(partners)))


def _scalar_times(pick, X, pool, c=sp.Symbol("c", real=True)):
    return c * X   # a scalar variable: the product rule's <dY, X> branch


def _ones_product(pick, X, pool):
    # products with ones matrices, as a SymPy user writes a column sum, a broadcast bias or a count
    rows, cols = X.shape
    return pick([sp.OneMatrix(cols, rows) * X, X * sp.OneMatrix(cols, rows),
                 X + sp.OneMatrix(rows, 1) * (sp.OneMatrix(1, rows) * X),
                 X + (X * sp.OneMatrix(cols, 1)) * sp.OneMatrix(1, cols),
                 sp.OneMatrix(1, rows) * X * sp.OneMatrix(cols, 1)])


def _transposed_spelling(pick, X, pool):
    # the same quantity spelled twice the way SymPy distributes a transpose or a sign: (X Xᵀ)ᵀ + X Xᵀ ...
    partners = _same_shape(X, pool) or [X]
    Y = pick(partners)
    return pick([(X * X.T).T + X * X.T, (2 * X + Y).T.T - (Y - X), sp.HadamardProduct(X.T, Y.T).T + X,
                 (X.applyfunc(sp.tanh).T * X).T + X.T * X.applyfunc(sp.tanh)])


_M = MatrixPrimitive
MATRIX_PRIMITIVES: dict[str, MatrixPrimitive] = {p.name: p for p in [
    _M("transpose", lambda pick, X, pool: X.T),
    _M("matmul", _matmul, doc="X Y with Y's rows = X's columns (X Xᵀ at least)"),
    _M("matadd", _matadd),
    _M("scale", lambda pick, X, pool: sp.Rational(3, 2) * X, doc="3/2 X"),
    _M("scalar_times", _scalar_times, doc="c X for a scalar input c"),
    _M("hadamard", _hadamard),
    _M("matrix_power", lambda pick, X, pool: pick([gram(X) ** 2, gram(X) ** 3, sp.Inverse(well_conditioned(X)) ** 2]),
       doc="(X Xᵀ)², (X Xᵀ)³ or W⁻² with W well conditioned"),
    _M("hadamard_power", lambda pick, X, pool: pick([sp.HadamardPower(X, 2), sp.HadamardPower(X, 3),
                                                      sp.HadamardPower(X.applyfunc(sp.exp), -1)]),
       doc="X∘X, X∘X∘X or the entrywise reciprocal of exp(X)"),
    _M("elementwise", _elementwise, doc="X.applyfunc(f)"),
    _M("elementwise2", _elementwise2, doc="f(X, Y) entry by entry (symdiff's Elementwise)"),
    _M("inverse", lambda pick, X, pool: sp.Inverse(well_conditioned(X)), doc="(X Xᵀ + I + Z - Zᵀ)⁻¹"),
    _M("cholesky", lambda pick, X, pool: Cholesky(spd(X)), doc="chol(X Xᵀ + I)"),
    _M("softmax_rows", lambda pick, X, pool: SoftmaxRows(X)),
    _M("logsumexp_rows", lambda pick, X, pool: LogSumExpRows(X)),
    _M("row_bias", _row_bias, doc="X + 1 bᵀ with b the column sums of a matrix as wide as X"),
    _M("slice", lambda pick, X, pool: pick([X[0:1, :], X[:, 0:1]]), doc="the first row or column"),
    _M("col_sums", lambda pick, X, pool: ColSums(X)),
    _M("row_sums", lambda pick, X, pool: RowSums(X)),
    _M("broadcast", lambda pick, X, pool: pick([Broadcast(ColSums(X), sp.OneMatrix(X.shape[1], X.shape[1])),
                                                 Broadcast(RowSums(X), sp.OneMatrix(X.shape[0], X.shape[0]))]),
       doc="1 vᵀ or v 1ᵀ: column or row sums repeated (symdiff's Broadcast)"),
    _M("ones_product", _ones_product, doc="1 X, X 1, 1 1ᵀ X ...: SymPy products with ones matrices"),
    _M("transposed_spelling", _transposed_spelling,
       doc="a quantity and its transpose or negation as SymPy distributes them, side by side"),
    _M("scale_rows", _scale_rows, doc="diag(g) X with g the row sums of a matrix as tall as X"),
]}

MATRIX_REDUCTIONS: dict[str, MatrixPrimitive] = {p.name: p for p in [
    _M("sum", lambda pick, X, pool: SumEntries(X)),
    _M("trace", lambda pick, X, pool: sp.Trace(X if X.shape[0] == X.shape[1] else gram(X))),
    _M("trace_product", lambda pick, X, pool: pick([sp.Trace(X.T * X), sp.Trace(X * X.T),
                                                    sp.Trace(X.T * pick(_same_shape(X, pool) or [X]))]),
       doc="tr(XᵀX), tr(XXᵀ), tr(XᵀY): rewritten as sums of entrywise products"),
    _M("entry", lambda pick, X, pool: MatrixElement(X, 0, 0)),   # X[0, 0] would expand products
    _M("logdet", lambda pick, X, pool: LogDet(well_conditioned(X))),
    _M("det", lambda pick, X, pool: sp.Determinant(well_conditioned(X))),
]}


def _resolve(names, catalogue):
    if names is None:
        return list(catalogue.values())
    unknown = [n for n in names if n not in catalogue]
    if unknown:
        raise ValueError(f"unknown matrix primitives {unknown}; known: {', '.join(catalogue)}")
    return [catalogue[n] for n in catalogue if n in set(names)]


@st.composite
def matrix_expressions(draw, *, max_nodes: int = 4, primitives=None, reductions=None, required=None,
                       symbolic: bool = True, max_inputs: int = 3, names: str = "ABC"):
    """A random scalar expression over matrix symbols (and maybe a scalar ``c``).

    ``symbolic``: shapes are built from the dimension symbols n, m, k (sizes
    are drawn with the values); otherwise from integers 1..3.
    ``primitives``/``reductions``: names from ``MATRIX_PRIMITIVES`` and
    ``MATRIX_REDUCTIONS`` (all by default); ``required``: names (of either
    catalogue) each applied at least once, in a node that reaches the output.
    """
    prims = _resolve(primitives, MATRIX_PRIMITIVES)
    reds = _resolve(reductions, MATRIX_REDUCTIONS)
    req_names = list(required or ())
    req_prims = [MATRIX_PRIMITIVES[n] for n in req_names if n in MATRIX_PRIMITIVES]
    req_reds = [MATRIX_REDUCTIONS[n] for n in req_names if n in MATRIX_REDUCTIONS]
    if len(req_prims) + len(req_reds) != len(req_names):
        raise ValueError(f"unknown required matrix primitives in {req_names}")

    def pick(options):
        return options[draw(st.integers(0, len(options) - 1))]

    dims = list(DIMENSIONS) if symbolic else [draw(st.integers(1, 3)) for _ in range(3)]
    n_inputs = draw(st.integers(1, max(1, min(max_inputs, len(names)))))
    pool = [sp.MatrixSymbol(names[i], pick(dims), pick(dims)) for i in range(n_inputs)]
    n_steps = draw(st.integers(len(req_prims), max(max_nodes, len(req_prims))))
    steps = draw(st.permutations(range(n_steps)))[:len(req_prims)] if req_prims else []
    forced_at = dict(zip(steps, req_prims))
    forced = []
    for step in range(n_steps):
        prim = forced_at.get(step) or pick(prims)
        pool.append(prim.build(pick, pick(pool), pool))
        if step in forced_at:
            forced.append(pool[-1])
    scalar_terms = []
    for i in range(max(draw(st.integers(1, 2)), len(req_reds))):
        red = req_reds[i] if i < len(req_reds) else pick(reds)
        operand = pool[-1] if i == 0 else pick(pool)
        scalar_terms.append(red.build(pick, operand, pool))
    out = sp.Add(*scalar_terms)
    for node in forced:
        if not out.has(node):
            out = out + SumEntries(node)   # a required primitive must reach the output
    note_example(f"matrix expression: {sp.sstr(out)}")
    return out


def matrix_primitives_exercising(rule_head, table=None) -> list[str]:
    """Names of matrix primitives and reductions whose expressions contain ``rule_head``'s entry."""
    from .strategies import contains_rule

    if table is None:
        from ..rules.matrix import MATRIX_RULES as table
    n, m = DIMENSIONS[:2]
    X, Y = sp.MatrixSymbol("X", n, m), sp.MatrixSymbol("Y", m, n)
    found = []
    for name, prim in {**MATRIX_PRIMITIVES, **MATRIX_REDUCTIONS}.items():
        expr = prim.build(lambda options: options[0], X, [X, Y])
        if contains_rule(expr, rule_head, table):
            found.append(name)
    return found
