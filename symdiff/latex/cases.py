r"""Piecewise definitions: ``\begin{cases}`` and ``\left\{ \begin{array}{ll} ... \end{array}\right.``.

Each row is ``value & condition``; the condition may be introduced by
``\text{if}``, ``\mbox{for}``, ``\text{при}``, ``\text{если}`` and followed by
commas; ``\text{otherwise}``, ``\text{else}``, ``\text{иначе}`` (or an empty
condition in the last row) is every other case.  The rewriter parses the values
and the sides of the conditions; the resolver builds a ``Piecewise``.
"""
from __future__ import annotations

from dataclasses import dataclass

from .base import Problem
from .specs import Spec
from .tokens import Group, Tok, is_group, item_end, item_start

__all__ = ["Cases", "read_cases", "PIECEWISE_ENVIRONMENTS"]

PIECEWISE_ENVIRONMENTS = {"cases", "dcases", "array", "aligned", "matrix"}
OTHERWISE_WORDS = {"otherwise", "else", "иначе", "в остальных случаях", "elsewhere"}
_TEXT_COMMANDS = {"text", "mbox", "textrm", "textit", "textnormal", "mathrm", "hbox", "textbf"}
CONDITION_RELATIONS = {"<": "Lt", ">": "Gt", "le": "Le", "leq": "Le", "leqslant": "Le",
                       "ge": "Ge", "geq": "Ge", "geqslant": "Ge", "ne": "Ne", "neq": "Ne",
                       "=": "Eq", "lt": "Lt", "gt": "Gt"}


@dataclass
class Cases(Spec):
    rows: list   # (value tree, [(relation name, left tree, right tree)] or None for "otherwise")


def environment_rows(group: Group, source: str,
                     allowed=PIECEWISE_ENVIRONMENTS) -> tuple[str, list[list]]:
    r"""The name and the rows (items between ``\\``) of a ``\begin ... \end`` group."""
    items = group.items
    begin = group.open
    if not items or not is_group(items[0], "{"):
        raise Problem("\\begin needs {environment}", begin.pos, begin.end)
    name = source[items[0].open.end:items[0].close.pos].strip()
    if name.rstrip("*") not in allowed:
        raise Problem(f"environment {name!r} is not supported (piecewise: cases, array; "
                      f"matrices: pmatrix, bmatrix, Bmatrix, vmatrix, matrix, smallmatrix)",
                      begin.pos, items[0].end)
    j = 1
    if name == "array" and j < len(items) and is_group(items[j], "{"):
        j += 1   # the column specification {ll}
    rows, current = [], []
    for item in items[j:]:
        if isinstance(item, Tok) and item.is_cmd("\\"):
            rows.append(current)
            current = []
        else:
            current.append(item)
    rows.append(current)
    return name, [r for r in rows if r]


def split_cells(row: list) -> list[list]:
    """The items of one environment row, cut at its ``&`` separators."""
    cells, current = [], []
    for item in row:
        if isinstance(item, Tok) and item.is_char("&"):
            cells.append(current)
            current = []
        else:
            current.append(item)
    cells.append(current)
    return cells


def condition_parts(row: list, source: str) -> tuple[list, list | None, bool]:
    """(value items, condition items or None, whether the condition says 'otherwise')."""
    cells = split_cells(row)
    value = cells[0]
    condition, words = [], []
    rest = [item for cell in cells[1:] for item in cell]
    k = 0
    while k < len(rest):
        item = rest[k]
        if isinstance(item, Tok) and item.is_cmd(*_TEXT_COMMANDS) and k + 1 < len(rest) \
                and is_group(rest[k + 1], "{"):
            group = rest[k + 1]
            words.append(source[group.open.end:group.close.pos].strip(" ,.:;").lower())
            k += 2
            continue
        if isinstance(item, Tok) and item.kind == "prose":
            words.append(item.text.lower())
        elif not (isinstance(item, Tok) and item.is_char(",", ".", ";")) or condition:
            condition.append(item)
        k += 1
    while condition and isinstance(condition[-1], Tok) and condition[-1].is_char(",", ".", ";"):
        condition.pop()
    otherwise = any(w in OTHERWISE_WORDS for w in words)
    # a value cell that ends in ", x > 0" (no &): split at the last top-level comma
    if len(cells) == 1 and not condition:
        commas = [n for n, it in enumerate(value) if isinstance(it, Tok) and it.is_char(",")]
        if commas:
            value, condition = value[:commas[-1]], value[commas[-1] + 1:]
    while value and isinstance(value[-1], Tok) and value[-1].is_char(",", ";"):
        value = value[:-1]
    if not value:
        raise Problem("a row of cases without a value", item_start(row[0]), item_end(row[-1]))
    return value, (condition or None), otherwise


def split_condition(items: list) -> tuple[list[list], list[str]]:
    """Sides and relation names of a condition such as 0 \\le x < 1."""
    sides, names, current = [], [], []
    for item in items:
        if isinstance(item, Tok) and item.kind in ("char", "cmd") and item.text in CONDITION_RELATIONS:
            sides.append(current)
            names.append(CONDITION_RELATIONS[item.text])
            current = []
        else:
            current.append(item)
    sides.append(current)
    if not names or not all(sides):
        first, last = items[0], items[-1]
        raise Problem("a condition of cases must be a comparison such as x > 0",
                      item_start(first), item_end(last))
    return sides, names



def read_cases(rewriter, items: list, i: int, out) -> int:
    r"""At a ``\begin ... \end`` group (or ``\{`` before it): parse the rows, add a Cases
    placeholder, and skip the ``{name}`` after ``\end``."""
    start = item_start(items[i])
    if isinstance(items[i], Tok):
        i += 1     # \left\{ \begin{array}: the brace is the typography of the cases
    if i >= len(items) or not is_group(items[i], "begin"):
        raise Problem("sets \\{...\\} are not supported", start, start + 2)
    group = items[i]
    name, rows = environment_rows(group, rewriter.source)
    stop = i + 1
    if stop < len(items) and is_group(items[stop], "{"):
        stop += 1
    read = []
    for n, row in enumerate(rows):
        value, condition, otherwise = condition_parts(row, rewriter.source)
        tree = rewriter.fragment(value, item_start(value[0]), item_end(value[-1]))
        if condition is None:
            if not otherwise and n != len(rows) - 1:
                raise Problem("a row of cases without a condition", item_start(row[0]),
                              item_end(row[-1]))
            read.append((tree, None))
            continue
        sides, names = split_condition(condition)
        trees = [rewriter.fragment(s, item_start(s[0]), item_end(s[-1])) for s in sides]
        read.append((tree, [(op, a, b) for op, a, b in zip(names, trees, trees[1:])]))
    end = item_end(items[stop - 1])
    spec = Cases(start, end, read)
    out.add(rewriter.placeholder(spec), start, end)
    return stop
