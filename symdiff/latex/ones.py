r"""The ones vector ``\mathbf{1}`` (``\mathbf 1``, ``\mathbb{1}``, ``\boldsymbol{1}``, ``\bm{1}``,
``\mathds{1}``) and the zero vector ``\mathbf{0}``, with their size written (``\mathbf{1}_n``) or
taken from the formula (``\mathbf{1}^\top \mathbf{x}``, ``X \mathbf{1}``, ``A + \mathbf{1}\mathbf{1}^\top``).

Without a written size the vector is a column of a pending size (a ``Dummy``); the first
product, sum, scalar product or Hadamard product that puts it beside a sized operand
settles the size.  A size nothing settles is an error that says how to write it: the reader
never guesses one.  ``\mathbf{1}\{...\}`` and ``\mathbb{1}(...)`` stay indicators
(``indicators.py`` reads them first).
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from .base import Problem
from .specs import Spec
from .tokens import Tok, is_group, item_end

__all__ = ["ConstantVector", "read_constant_vector", "constant_vector_value", "settle_product",
           "settle_pairs", "settle_same_shape", "settle_to_shape", "unsettled"]

_FONTS = {"mathbf", "mathbb", "boldsymbol", "bm", "mathds", "mathbbm", "mathbfit", "mathbbold", "vec"}
_PENDING = "size_of_constant_vector"


@dataclass
class ConstantVector(Spec):
    fill: int          # 1: the ones vector, 0: the zero vector
    size: object       # the library tree of a written size (\mathbf{1}_n), or None


def read_constant_vector(rewriter, items: list, i: int, out) -> int | None:
    r"""At ``items[i]``: the index after ``\mathbf{1}`` / ``\mathbf{0}`` (and a ``_n``), or None."""
    item = items[i]
    if not (isinstance(item, Tok) and item.kind == "cmd" and item.text in _FONTS) or i + 1 >= len(items):
        return None
    arg = items[i + 1]
    inner = arg.items if is_group(arg, "{") else [arg]
    if len(inner) != 1 or not isinstance(inner[0], Tok) or inner[0].kind != "number" \
            or inner[0].text not in ("0", "1"):
        return None
    j, size = i + 2, None
    if j + 1 < len(items) and isinstance(items[j], Tok) and items[j].is_char("_"):
        script = items[j + 1]
        parts = script.items if is_group(script, "{") else [script]
        if not parts:
            raise Problem("empty subscript", items[j].pos, item_end(script))
        size = rewriter.fragment(parts, item_end(items[j]), item_end(script))
        j += 2
    spec = ConstantVector(item.pos, item_end(items[j - 1]), int(inner[0].text), size)
    out.add(rewriter.placeholder(spec), spec.pos, spec.end)
    return j


def constant_vector_value(spec: ConstantVector, size):
    """The column of ones (zeros): explicit at a numeric size, else ``OneMatrix(n, 1)``; a
    pending size when none is written."""
    if size is None:
        size = sp.Dummy(_PENDING, integer=True, positive=True)
    elif not (isinstance(size, sp.Expr) and size.is_integer is not False and size.is_positive is not False):
        raise Problem(f"the size of a {'ones' if spec.fill else 'zero'} vector must be a positive "
                      f"integer or a size name, not {size}", spec.pos, spec.end)
    if size.is_Integer:
        return sp.ImmutableMatrix.ones(int(size), 1) if spec.fill else sp.ImmutableMatrix.zeros(int(size), 1)
    return sp.OneMatrix(size, 1) if spec.fill else sp.ZeroMatrix(size, 1)


def _pending(dim) -> bool:
    return isinstance(dim, sp.Dummy) and dim.name == _PENDING


def unsettled(value) -> bool:
    """Whether a constant vector's size is still pending in ``value``."""
    return isinstance(value, sp.Basic) and any(_pending(s) for s in value.free_symbols)


def _settled(value, mapping: dict):
    if not mapping or not isinstance(value, sp.Basic):
        return value
    value = value.xreplace(mapping)
    if isinstance(value, MatrixExpr) and not isinstance(value, sp.MatrixBase) \
            and not value.atoms(sp.MatrixSymbol) and all(sp.sympify(d).is_Integer for d in value.shape):
        value = value.as_explicit()      # 1 1^T at a numeric size: explicit like the declared vectors
    return value


def settle_pairs(values: list, pairs: list[tuple[int, int, int, int]]) -> list:
    """``values`` with pending sizes fixed so that dimension ``a`` of ``values[k]`` equals
    dimension ``b`` of ``values[l]``, for each ``(k, a, l, b)`` in order."""
    values = list(values)
    for k, a, l, b in pairs:
        if not all(hasattr(values[m], "shape") for m in (k, l)):
            continue
        left, right = values[k].shape[a], values[l].shape[b]
        if left == right:
            continue
        if _pending(left):
            mapping = {left: right}
        elif _pending(right):
            mapping = {right: left}
        else:
            continue
        values = [_settled(v, mapping) for v in values]
    return values


def settle_product(factors: list) -> list:
    """Matrix factors side by side: the columns of each meet the rows of the next."""
    if not any(unsettled(f) for f in factors):
        return factors
    return settle_pairs(factors, [(k, 1, k + 1, 0) for k in range(len(factors) - 1)])


def settle_same_shape(values: list) -> list:
    """Terms of a sum, sides of a scalar or Hadamard product: one shape."""
    if not any(unsettled(v) for v in values):
        return values
    pairs = [(0, d, k, d) for k in range(1, len(values)) for d in (0, 1)]
    pairs += [(k, d, 0, d) for k in range(1, len(values)) for d in (0, 1)]
    return settle_pairs(values, pairs)


def settle_to_shape(value, shape: tuple):
    """A whole formula whose constant vectors' sizes only its context tells (``\\nabla f = \\mathbf{1}``
    of a variable of ``shape``)."""
    if not hasattr(value, "shape") or len(shape) != 2:
        return value
    mapping = {d: sp.sympify(e) for d, e in zip(value.shape, shape) if _pending(d)}
    return _settled(value, mapping)
