"""An entry of a product of matrices, read back as that entry.

SymPy writes ``(x.T*A*x)[0, 0]`` as ``Sum(A[i, j]*x[i, 0]*x[j, 0], (i, 0, n - 1), (j, 0, n - 1))``
as soon as it is built, and the matrix path cannot differentiate a Sum.  SymPy's own
``MatrixExpr.from_index_summation`` turns such a Sum back into ``(x.T*A*x)[0, 0]``, kept here
as ``Trace(x.T*A*x)`` (the only entry of a 1 x 1 matrix, and a scalar SymPy does not expand
back into a Sum).  The result is accepted only when it is an entry of a 1 x 1 matrix
expression with no index left, and when it has the value of the Sum at an exact random point
(each size 3, each matrix random integers), so a misread sum is never checked in place of
the user's.
"""
from __future__ import annotations

import random

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement, MatrixExpr

__all__ = ["index_sums_as_matrices"]

_CHECK_SIZE = 3


def index_sums_as_matrices(value):
    """``value`` with every Sum over matrix entries that is an entry of a 1 x 1 product read as that entry."""
    if not isinstance(value, sp.Basic) or not value.has(sp.Sum):
        return value
    return _walk(value)


def _walk(e):
    if isinstance(e, sp.Sum):
        read = _as_entry(e)
        if read is not None:
            return read
    if not e.args or isinstance(e, (MatrixElement, sp.MatrixSymbol)):
        return e
    args = [_walk(a) for a in e.args]
    return e.func(*args) if any(a is not b for a, b in zip(args, e.args)) else e


def _as_entry(e: sp.Sum):
    if not e.atoms(MatrixElement):
        return None
    squares = e.replace(lambda p: isinstance(p, sp.Pow) and p.exp == 2 and p.base.has(MatrixElement),
                        lambda p: sp.Mul(p.base, p.base, evaluate=False))   # SymPy reads x_i*x_i, not x_i**2
    try:
        read = MatrixExpr.from_index_summation(squares)
    except Exception:           # SymPy cannot read it: the Sum stays (and is reported as unevaluated)
        return None
    if not (isinstance(read, MatrixElement) and tuple(read.parent.shape) == (1, 1)) or read.has(sp.Sum) \
            or not read.free_symbols <= e.free_symbols:
        return None
    read = sp.Trace(read.parent)
    return read if _same_value(e, read) else None


def _same_value(e, read) -> bool:
    mats = sorted(e.atoms(sp.MatrixSymbol), key=lambda m: m.name)
    sizes = {s: _CHECK_SIZE for m in mats for d in m.shape for s in sp.sympify(d).free_symbols}
    rng = random.Random(0)
    size_map = {s: sp.Integer(v) for s, v in sizes.items()}
    explicit = {}
    for m in mats:
        sized = m.xreplace(size_map)
        explicit[sized] = sp.ImmutableMatrix(*sized.shape, lambda i, j: rng.randint(-9, 9))
    try:
        a = e.xreplace(size_map).xreplace(explicit).doit()
        b = read.xreplace(size_map).xreplace(explicit).doit()
        return sp.simplify(a - b) == 0
    except Exception:
        return False
