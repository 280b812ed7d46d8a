r"""Indicator functions as notes write them: ``\mathbb{1}(y = k)``, ``\mathbb{1}\{y = k\}``,
``\mathbb{1}[y = k]``, ``\mathbf{1}\{\cdot\}``, ``1\{\cdot\}``, ``\mathbb{1}_{\{y = k\}}``, ``\mathbb{I}(\cdot)`` and
Iverson's ``[\![ y = k ]\!]``: 1 where the condition holds, else 0 (a ``Piecewise``,
read like a row of ``cases``)."""

from __future__ import annotations

from .base import Problem
from .cases import Cases, split_condition
from .tokens import Group, Tok, is_group, item_end, item_start

__all__ = ["read_indicator"]

_FONTS = {"mathbb", "mathbf", "mathds", "mathbbm", "bm", "boldsymbol", "mathrm", "mathbbold"}
_ONES = {"1", "I"}


def read_indicator(rewriter, items: list, i: int, out) -> int | None:
    """At ``items[i]``: the index after an indicator it read, or None if there is none."""
    found = _indicator_at(rewriter.source, items, i)
    if found is None:
        return None
    condition, stop = found
    start, end = item_start(items[i]), item_end(items[stop - 1])
    if not condition:
        raise Problem("an indicator needs a condition such as y = k", start, end)
    sides, names = split_condition(condition)
    trees = [rewriter.fragment(s, item_start(s[0]), item_end(s[-1])) for s in sides]
    one = rewriter.fragment([Tok("number", "1", start, 1)], start, start + 1)
    zero = rewriter.fragment([Tok("number", "0", start, 1)], start, start + 1)
    rows = [(one, [(op, a, b) for op, a, b in zip(names, trees, trees[1:])]), (zero, None)]
    spec = Cases(start, end, rows)
    out.add(rewriter.placeholder(spec), start, end)
    return stop


def _indicator_at(source: str, items: list, i: int):
    item = items[i]
    if isinstance(item, Group):
        return _iverson(source, item, i)
    j = None
    if item.kind == "number" and item.text == "1":
        j = i + 1
    elif item.kind == "cmd" and item.text in _FONTS and i + 1 < len(items) and is_group(items[i + 1], "{") \
            and source[items[i + 1].open.end:items[i + 1].close.pos].strip() in _ONES:
        j = i + 2
    if j is None or j >= len(items):
        return None
    follower = items[j]
    if isinstance(follower, Tok) and follower.is_cmd("{"):
        close = _set_close(items, j)
        return (items[j + 1:close], close + 1) if close is not None else None
    if (is_group(follower, "(") or is_group(follower, "[") and _has_relation(follower.items)) \
            and item.kind == "cmd":
        return follower.items, j + 1
    if isinstance(follower, Tok) and follower.is_char("_") and j + 1 < len(items) \
            and is_group(items[j + 1], "{") and _has_relation(items[j + 1].items):
        inner = items[j + 1].items
        if inner and isinstance(inner[0], Tok) and inner[0].is_cmd("{"):
            close = _set_close(inner, 0)
            inner = inner[1:close] if close is not None else inner
        return inner, j + 2
    return None


def _iverson(source: str, group: Group, i: int):
    r"""``[\![ cond ]\!]``: a bracket holding one bracket, with ``\!`` between them."""
    if not is_group(group, "[") or len(group.items) != 1 or not is_group(group.items[0], "["):
        return None
    inner = group.items[0]
    if "\\!" not in source[group.open.end:inner.open.pos] or not _has_relation(inner.items):
        return None
    return inner.items, i + 1


def _set_close(items: list, j: int) -> int | None:
    depth = 0
    for k in range(j, len(items)):
        if isinstance(items[k], Tok) and items[k].is_cmd("{"):
            depth += 1
        elif isinstance(items[k], Tok) and items[k].is_cmd("}"):
            depth -= 1
            if depth == 0:
                return k
    return None


def _has_relation(items: list) -> bool:
    return any(isinstance(t, Tok) and (t.is_char("=", "<", ">") or t.is_cmd("ne", "neq", "le", "leq", "ge", "geq",
                                                                               "leqslant", "geqslant"))
               for t in items)


def inside_set_braces(items: list) -> set[int]:
    r"""Indices of ``items`` between a ``\{`` and its matching ``\}`` (a relation there is an
    indicator's or a set's condition, not the formula's); an unmatched ``\{`` (``\left\{`` of
    cases closed by ``\right.``) opens nothing."""
    inside, stack = set(), []
    for k, item in enumerate(items):
        if isinstance(item, Tok) and item.is_cmd("{"):
            stack.append(k)
        elif isinstance(item, Tok) and item.is_cmd("}") and stack:
            start = stack.pop()
            if not stack:
                inside.update(range(start + 1, k))
    return inside
