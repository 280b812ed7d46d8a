r"""Explicit matrices and vectors: ``pmatrix``, ``bmatrix``, ``Bmatrix``, ``matrix``,
``smallmatrix``, ``vmatrix`` (the determinant), ``Vmatrix`` (a vector's norm; around a square
matrix the determinant or the Frobenius norm, both readings checked) and ``\left( \begin{array}{cc} ... \end{array}
\right)``.

Rows are split at ``\\`` and entries at ``&``; every entry is read by the same rewriter as
the rest of the formula (so ``x_1`` is an entry of a declared vector x, and errors keep
their positions).  The value is an ``ImmutableMatrix``; a single column is a vector.
``\left\{ \begin{array}`` and a bare ``\begin{array}`` stay piecewise definitions
(``cases.py``).
"""
from __future__ import annotations

import sympy as sp

from .base import Problem, explicit_determinant, is_matrix, shape_text
from .cases import environment_rows, read_cases, split_cells
from .specs import MatrixLiteral
from .tokens import Group, is_group, item_end, item_start

__all__ = ["MatrixLiteral", "read_environment", "read_bracketed_matrix", "matrix_value"]

# environment -> what the delimiters mean ("matrix": the entries; "det": the determinant)
MATRIX_ENVIRONMENTS = {"pmatrix": "matrix", "bmatrix": "matrix", "Bmatrix": "matrix",
                       "matrix": "matrix", "smallmatrix": "matrix", "vmatrix": "det"}
# written inside \left( ... \right) or \left[ ... \right]: the brackets are the matrix's
BRACKETED_ENVIRONMENTS = {"array", "matrix", "smallmatrix"}
# Vmatrix (double bars): a vector's Euclidean norm; around a square matrix either the
# determinant (as vmatrix, a common slip) or the Frobenius norm -- a choice point
_DOUBLE_BARS = "Vmatrix"


def environment_name(group: Group, source: str) -> str | None:
    items = group.items
    if not items or not is_group(items[0], "{"):
        return None
    return source[items[0].open.end:items[0].close.pos].strip()


def read_environment(rewriter, items: list, i: int, out) -> int:
    r"""At a bare ``\begin ... \end`` group: a matrix environment, or else a piecewise one."""
    group = items[i]
    name = environment_name(group, rewriter.source)
    if name not in MATRIX_ENVIRONMENTS and name != _DOUBLE_BARS:
        return read_cases(rewriter, items, i, out)
    stop = _after_end_name(items, i + 1)
    start, end = item_start(items[i]), item_end(items[stop - 1])
    if name == _DOUBLE_BARS:
        spec = _literal(rewriter, group, start, end)
        shown = rewriter.source[start:end]
        if len(spec.rows[0]) == 1 or len(spec.rows) == 1 or len(spec.rows) != len(spec.rows[0]) or \
                rewriter.choose(f"Vmatrix:{shown}", "\\begin{Vmatrix} as the Frobenius norm, not the determinant"):
            spec.norm = True
        else:
            spec.determinant = True
    else:
        spec = _literal(rewriter, group, start, end, determinant=MATRIX_ENVIRONMENTS[name] == "det")
    out.add(rewriter.placeholder(spec), spec.pos, spec.end)
    return stop


def bracketed_environment(group: Group, source: str) -> bool:
    r"""``\left( \begin{array}{cc} ... \end{array} \right)`` (or ``[ ]``, or ``matrix``)."""
    if group.kind not in ("(", "[") or not group.items or not is_group(group.items[0], "begin"):
        return False
    rest = group.items[1:]
    if rest and is_group(rest[0], "{"):
        rest = rest[1:]
    return not rest and environment_name(group.items[0], source) in BRACKETED_ENVIRONMENTS


def read_bracketed_matrix(rewriter, items: list, i: int, out) -> int:
    group = items[i]
    spec = _literal(rewriter, group.items[0], group.pos, group.end)
    out.add(rewriter.placeholder(spec), spec.pos, spec.end)
    return i + 1


def _after_end_name(items: list, stop: int) -> int:
    if stop < len(items) and is_group(items[stop], "{"):
        stop += 1   # the {name} after \end
    return stop


def _literal(rewriter, group: Group, pos: int, end: int, determinant: bool = False) -> MatrixLiteral:
    _, rows = environment_rows(group, rewriter.source, allowed=MATRIX_ENVIRONMENTS.keys() | {"array", _DOUBLE_BARS})
    if not rows:
        raise Problem("an empty matrix", pos, end)
    read, width = [], None
    for n, row in enumerate(rows, start=1):
        cells = split_cells(row)
        extent = (item_start(row[0]), item_end(row[-1]))
        if width is None:
            width = len(cells)
        elif len(cells) != width:
            raise Problem(f"row {n} of the matrix has {len(cells)} entr{'y' if len(cells) == 1 else 'ies'}, "
                          f"row 1 has {width}",
                          *extent)
        entries = []
        for k, cell in enumerate(cells, start=1):
            if not cell:
                raise Problem(f"entry {k} of row {n} of the matrix is empty", *extent)
            entries.append(rewriter.fragment(cell, item_start(cell[0]), item_end(cell[-1])))
        read.append(entries)
    if determinant and len(read) != width:
        raise Problem(f"the determinant of a non-square {len(read)}x{width} matrix", pos, end)
    return MatrixLiteral(pos, end, read, determinant)


def matrix_value(spec: MatrixLiteral, resolve) -> sp.Basic:
    """The explicit matrix (or its determinant); ``resolve`` maps an entry's tree to a value."""
    rows = []
    for n, row in enumerate(spec.rows, start=1):
        values = []
        for k, tree in enumerate(row, start=1):
            value = resolve(tree)
            if is_matrix(value):
                if value.shape != (1, 1):
                    raise Problem(f"entry {k} of row {n} of the matrix is a {shape_text(value)} "
                                  f"matrix (block matrices are not supported)", spec.pos, spec.end)
                value = value[0, 0]
            values.append(value)
        rows.append(values)
    matrix = sp.ImmutableMatrix(rows)
    if spec.norm:
        return sp.sqrt(sum(e ** 2 for e in matrix))
    return explicit_determinant(matrix) if spec.determinant else matrix
