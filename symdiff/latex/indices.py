r"""Index notation of entries: ``W_{ij}`` and ``W_{12}`` of a declared matrix are the entry
(i, j) and (1, 2), as in every matrix-calculus text, not a name ``W_ij`` of its own;
``\delta_{ij}`` is Kronecker's delta; ``(W x - y)_i`` and ``\operatorname{softmax}(s)_j`` are
entries of a bracket or a call."""

from __future__ import annotations

import sympy as sp

from .base import Problem, is_matrix, shape_text
from .names import GREEK
from .specs import EntryOf
from .tokens import Tok

__all__ = ["matrix_index_pair", "is_kronecker", "kronecker", "entry_suffix", "entry_of", "excluded_index",
           "excluded_range"]


def matrix_index_pair(decl, base: str, sub: list) -> tuple | None:
    """``(i, j)`` for the subscript ``ij`` (two index letters) or ``12`` (two digits) of a
    declared matrix ``base``; None for anything else (then the subscript is a label)."""
    shape = decl.shapes.get(base)
    if is_kronecker(decl, base):
        shape = (None, None)
    if shape is None or len(shape) != 2 or decl.declared(_joined(base, sub)):
        return None
    if len(sub) == 1 and isinstance(sub[0], Tok) and sub[0].kind == "number" \
            and len(sub[0].text) == 2 and sub[0].text.isdigit():
        return sp.Integer(sub[0].text[0]), sp.Integer(sub[0].text[1])
    if len(sub) == 2 and all(isinstance(t, Tok) and (t.kind == "letter" or t.is_cmd(*GREEK))
                             for t in sub):
        return sub[0].text, sub[1].text
    return None


def _joined(base: str, sub: list) -> str:
    return base + "_" + "".join(t.text for t in sub if isinstance(t, Tok))


def is_kronecker(decl, base: str) -> bool:
    r"""``\delta_{ij}``: Kronecker's delta, unless the caller declared a delta of their own."""
    return base == "delta" and not decl.declared("delta")


def kronecker(index: tuple):
    """delta_{ij} with indices bound to numbers (0 or 1) or free (a KroneckerDelta)."""
    a, b = (sp.Symbol(k, integer=True) if isinstance(k, str) else k for k in index)
    return sp.KroneckerDelta(a, b)


def entry_suffix(rewriter, items: list, j: int) -> int:
    r"""``(...)_j``, ``\operatorname{softmax}(s)_j``: the entry of the bracket or call that was
    just written (the last placeholder); returns the index after the subscript."""
    if j + 1 >= len(items) or not (isinstance(items[j], Tok) and items[j].is_char("_")):
        return j
    sub, extent, stop = rewriter._script_argument(items, j + 1, items[j])
    parsed = rewriter._parse_subscript(sub)
    if isinstance(parsed, str):
        if len(parsed) != 2 or not parsed.isalpha():
            raise Problem("the subscript of a bracket or a call must be an index such as _j or _{i,j}",
                          *extent)
        parsed = tuple(parsed)
    key = f"Q{len(rewriter.specs) - 1}"
    inner = rewriter.specs[key]
    rewriter.specs[key] = EntryOf(inner.pos, extent[1], inner, parsed)
    return stop


def entry_of(value, index: tuple, bindings: dict, base: int):
    """Entry ``index`` (1-based unless ``base`` says otherwise) of a vector or matrix value."""
    parts = []
    for k in index:
        k = bindings.get(k, k) if isinstance(k, str) else k
        parts.append(sp.Symbol(k, integer=True) if isinstance(k, str) else k)
    if not is_matrix(value):
        raise Problem("an index on a scalar")
    offsets = [p - base for p in parts]
    if isinstance(value, sp.MatrixBase) and any(not o.is_Integer for o in offsets):
        raise Problem(f"the free index {', '.join(map(str, parts))} of a vector written out; give it a "
                      f"number or sum over it")
    rows, cols = value.shape
    if len(offsets) == 2:
        return value[offsets[0], offsets[1]]
    if cols == 1:
        return value[offsets[0], 0]
    if rows == 1:
        return value[0, offsets[0]]
    raise Problem(f"one index on a {shape_text(value)} matrix")


def excluded_index(part: list):
    r"""``j \neq k`` under a sum: (the index token list ``[j]``, the excluded items ``[k]``);
    None when the subscript is not of that form."""
    if len(part) >= 3 and isinstance(part[1], Tok) and part[1].is_cmd("ne", "neq"):
        return part[:1], part[2:]
    return None


def excluded_range(resolver, marker, low, high, bindings) -> tuple:
    """(low, high, the excluded value) of ``\sum_{j \neq k}``: k must have a number (an index
    bound by an outer sum or an entry claim, or a number)."""
    value = resolver.resolve(marker.exclude, bindings)
    if not (isinstance(value, sp.Basic) and value.is_Integer):
        raise Problem(f"the sum leaves out the index {value}, which has no numeric value here; "
                      f"write the sum over every index minus that term", marker.pos, marker.end)
    if not (low.is_Integer and high.is_Integer):
        raise Problem("a sum with a left-out index needs numeric limits", marker.pos, marker.end)
    return int(low), int(high), int(value)
