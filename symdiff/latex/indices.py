r"""Index notation of entries: ``W_{ij}`` and ``W_{12}`` of a declared matrix are the entry
(i, j) and (1, 2), as in every matrix-calculus text, not a name ``W_ij`` of its own;
``\delta_{ij}`` is Kronecker's delta; ``(W x - y)_i`` and ``\operatorname{softmax}(s)_j`` are
entries of a bracket or a call."""

from __future__ import annotations

import re

import sympy as sp

from .base import Problem, is_matrix, shape_text
from .names import GREEK
from .specs import Element, EntryOf, Row
from .tokens import Tok, is_group

__all__ = ["matrix_index_pair", "is_kronecker", "kronecker", "entry_suffix", "entry_of", "entry_extent", "excluded_index", "product_reading",
           "example_row", "row_value",
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
    r"""(low, high, the excluded value) of ``\sum_{j \neq k}``: k must have a number (an index
    bound by an outer sum or an entry claim, or a number)."""
    value = resolver.resolve(marker.exclude, bindings)
    if not (isinstance(value, sp.Basic) and value.is_Integer):
        raise Problem(f"the sum leaves out the index {value}, which has no numeric value here; "
                      f"write the sum over every index minus that term", marker.pos, marker.end)
    if not (low.is_Integer and high.is_Integer):
        raise Problem("a sum with a left-out index needs numeric limits", marker.pos, marker.end)
    return int(low), int(high), int(value)


def product_reading(rewriter, word: str) -> bool:
    r"""``xy`` with a declared name ``xy``: TeX prints ``x y`` and ``xy`` alike, so where the
    letters also stand alone (declared, or written on their own in the formula) the
    product x·y is another reading (a choice point); True reads the product."""
    if not word.isalpha() or not all(rewriter.decl.declared(c) or _stands_alone(rewriter.source, c)
                                     for c in word):
        return False
    return rewriter.choose(f"word:{word}", f"{word} as the product {' '.join(word)}, not the name {word}")


def _stands_alone(source: str, letter: str) -> bool:
    return re.search(rf"(?<![A-Za-z\\]){letter}(?![A-Za-z])", source) is not None


_BOLD = ("\\mathbf", "\\boldsymbol", "\\bm", "\\vec")


def example_row(rewriter, base, sub, scripts, end: int):
    r"""``x^{(i)}`` or ``\mathbf{x}_i`` with a declared data matrix ``X`` and no vector ``x``:
    the i-th example, row i of X as a column (a Row spec); None otherwise."""
    decl = rewriter.decl
    matrix = base.name.upper()
    if base.kind != "letter" or not base.name.islower() or len(base.name) != 1 \
            or decl.declared(base.name) or len(decl.shapes.get(matrix, ())) != 2:
        return None
    sup = scripts.sup
    if sup is not None and len(sup) == 1 and is_group(sup[0], "(") and len(sup[0].items) == 1:
        index_items = sup[0].items      # x^{(i)}, and x^{(i)}_j: entry j of example i
    elif sub is not None and sup is None and rewriter.source.startswith(_BOLD, base.pos):
        index_items = sub
    else:
        return None
    if decl.declared(f"{base.name}^({index_items[0].text})" if isinstance(index_items[0], Tok) else ""):
        return None
    if len(index_items) != 1 or not isinstance(index_items[0], Tok):
        return None
    tok = index_items[0]
    if tok.kind == "number" and tok.text.isdigit():
        index = sp.Integer(tok.text)
    elif tok.kind == "letter":
        index = tok.text
    else:
        return None
    if sup is not None and sub is not None:
        column = rewriter._parse_subscript(sub)
        if not isinstance(column, tuple) or len(column) != 1:
            return None
        return Element(base.pos, end, matrix, (index,) + column)
    return Row(base.pos, end, matrix, index)


def row_value(decl, spec, bindings: dict):
    """Row ``spec.index`` of the data matrix, as a column; the index must have a number."""
    k = bindings.get(spec.index, spec.index) if isinstance(spec.index, str) else spec.index
    if not (isinstance(k, sp.Basic) and k.is_Integer):
        raise Problem(f"the example index {spec.index} of {spec.matrix} has no number here (sum over it "
                      f"with numeric limits, or declare the sizes)", spec.pos, spec.end)
    matrix = decl.value(spec.matrix, spec.pos, spec.end)
    offset = int(k) - decl.index_base
    rows = matrix.shape[0]
    if offset < 0 or (rows.is_Integer and offset >= rows):
        raise Problem(f"example {k} of {spec.matrix} is outside its rows", spec.pos, spec.end)
    return matrix[offset, :].T


def entry_extent(value, index: tuple, letter: str):
    """The range of ``letter`` in an entry ``(...)_index`` of ``value`` (for ``\\sum_k``)."""
    if not is_matrix(value):
        return
    rows, cols = value.shape
    if len(index) == 2:
        yield rows if index[0] == letter else cols
    else:
        yield rows if cols == 1 else cols
