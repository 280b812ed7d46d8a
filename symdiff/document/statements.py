r"""The geometry of display math: rows, continued rows and statements, with source offsets.

An environment's body is cut into *rows* at ``\\`` (``split``, ``aligned`` and
``gathered`` inside it are looked through).  In a row, top-level ``\quad`` /
``\qquad`` separate statements (``a = b, \qquad c = d``); a piece that is only
a condition or a where-clause (``\quad \text{where } u = w^\top x``,
``\qquad (x > 0)``) stays with the statement before it.  A row that starts
with a relation or an operator (``&= ...``, ``&+ ...``) continues the previous
statement, so ``a &= b \\ &= c`` is the chain ``a = b = c``; in ``multline``
every row continues.  ``&``, ``\label``, ``\tag``, ``\nonumber`` and comments are
dropped; user macros are expanded.

Each ``Statement`` keeps, for every character of its text, the source offset it
came from, so a position found by the reader maps back to the line and column
of the file (in an ``align``, the row holding the ``&=``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pylatexenc.latexwalker import (LatexCharsNode, LatexCommentNode, LatexEnvironmentNode, LatexGroupNode,
                                    LatexMacroNode, LatexSpecialsNode, LatexWalker, LatexWalkerError)

from .source import DocumentError, MacroTable, MathItem

__all__ = ["Statement", "split_statements"]

_TRANSPARENT = {"split", "aligned", "gathered", "alignedat", "aligned*"}
_DROPPED = {"label", "tag", "nonumber", "notag", "displaystyle", "textstyle"}
_SEPARATORS = {"quad", "qquad"}
_CONJUNCTIONS = {"and", "or", "и", "или", "а также", "and also", "as well as"}
_COLUMN_PAIRS = {"align", "flalign", "alignat"}    # rl rl ...: every second '&' starts another equation
_WHERE_WORDS = ("where", "with", "for", "if", "and", "when", "given", "provided", "otherwise", "где", "при",
                "если", "для", "и", "иначе", "то есть")
_CONTINUATION_START = ("=", "+", "-", "<", ">", "\\le", "\\ge", "\\cdot", "\\times", "\\approx", "\\equiv",
                       "\\ne", "\\leq", "\\geq", "\\leqslant", "\\geqslant", "\\quad", "\\qquad", "\\Rightarrow",
                       "\\implies", "\\iff")


@dataclass
class _Text:
    """Text with the source offset of each character."""

    chars: list = field(default_factory=list)
    offsets: list = field(default_factory=list)

    def add(self, text: str, offset: int, per_char: bool = True) -> None:
        self.chars.append(text)
        self.offsets.extend(range(offset, offset + len(text)) if per_char else [offset] * len(text))

    def extend(self, other: "_Text") -> None:
        self.chars.extend(other.chars)
        self.offsets.extend(other.offsets)

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def stripped(self) -> str:
        return self.text.strip()


@dataclass
class Statement:
    """One statement of a math item: its text (macros expanded) and where each character came from."""

    item: MathItem
    text: str
    offsets: list
    rows: list                       # (start, end) source offsets of the rows it spans
    index: int                       # position among the item's statements

    def source_offset(self, i: int) -> int:
        if not self.offsets:
            return self.item.body_start
        return self.offsets[max(0, min(i, len(self.offsets) - 1))]

    def row_end(self, source_offset: int) -> int:
        """End offset of the row holding ``source_offset`` (where a margin mark goes)."""
        for start, end in self.rows:
            if start <= source_offset <= end:
                return end
        return self.rows[-1][1] if self.rows else self.item.end


def _rows(nodes, body: str, body_start: int, body_end: int) -> list[tuple[list, int, int]]:
    """Rows as (nodes, start, end), offsets relative to the body; ``split`` and the like are looked through."""
    rows, current, start = [], [], body_start

    def walk(seq):
        nonlocal current, start
        for node in seq or []:
            if node is None:
                continue
            if isinstance(node, LatexEnvironmentNode) and node.environmentname in _TRANSPARENT:
                walk(node.nodelist)
                continue
            if isinstance(node, LatexMacroNode) and node.macroname in ("\\", "cr", "intertext", "shortintertext"):
                rows.append((current, start, node.pos))
                current, start = [], node.pos + node.len
                continue
            current.append(node)

    walk(nodes)
    rows.append((current, start, body_end))
    return [r for r in rows if any(not _blank(n) for n in r[0])]


def _blank(node) -> bool:
    if isinstance(node, LatexCommentNode):
        return True
    if isinstance(node, LatexCharsNode):
        return not node.chars.strip()
    if isinstance(node, LatexMacroNode) and node.macroname in _DROPPED:
        return True
    return False


def _render(node, macros: MacroTable, out: _Text, base: int) -> None:
    """Append a node's text (user macros expanded) to ``out``."""
    if isinstance(node, (LatexCommentNode,)):
        return
    if isinstance(node, LatexSpecialsNode) and node.specials_chars == "&":
        out.add(" ", base + node.pos)
        return
    if isinstance(node, LatexMacroNode) and node.macroname in _DROPPED:
        return
    text = node.latex_verbatim()
    if isinstance(node, LatexGroupNode):
        out.add("{", base + node.pos)
        for child in node.nodelist or []:
            if child is not None:
                _render(child, macros, out, base)
        out.add("}", base + node.pos + node.len - 1)
        return
    if isinstance(node, LatexMacroNode) and node.macroname in macros.macros:
        out.add(macros.expand(text), base + node.pos, per_char=False)
        return
    if any(f"\\{name}" in text for name in macros.macros):
        out.add(macros.expand(text), base + node.pos, per_char=False)
        return
    out.add(text, base + node.pos)


def _pieces(row_nodes, macros: MacroTable, base: int, column_pairs: bool = False) -> list[_Text]:
    """A row cut at top-level \\quad / \\qquad and, in ``align`` (``column_pairs``), at every second ``&``:
    its columns come in pairs, one equation ``lhs &= rhs`` each."""
    pieces, current, ampersands = [], _Text(), 0
    for node in row_nodes:
        if isinstance(node, LatexMacroNode) and (node.macroname in _SEPARATORS or _is_conjunction(node)):
            pieces.append(current)
            current = _Text()
            continue
        if column_pairs and isinstance(node, LatexSpecialsNode) and node.specials_chars == "&":
            ampersands += 1
            if ampersands % 2 == 0:
                pieces.append(current)
                current = _Text()
                continue
        _render(node, macros, current, base)
    pieces.append(current)
    return [p for p in pieces if p.stripped().strip(",;.")]


def _is_conjunction(node) -> bool:
    """``\\text{ and }`` between two statements (``a = b \\text{ and } c = d``) separates them."""
    if node.macroname not in ("text", "mbox", "textrm", "textnormal") or not node.nodeargd:
        return False
    args = [a for a in node.nodeargd.argnlist if a is not None]
    if len(args) != 1 or not isinstance(args[0], LatexGroupNode):
        return False
    word = args[0].latex_verbatim()[1:-1].strip().strip(",;").strip().lower()
    return word in _CONJUNCTIONS


def _is_side_clause(text: str) -> bool:
    """A where-clause or a bare condition, which belongs to the statement before it."""
    t = text.strip().lstrip(",;").strip()
    for cmd in ("\\text", "\\mbox", "\\textrm", "\\mathrm", "\\operatorname"):
        if t.startswith(cmd):
            inner = t[len(cmd):].lstrip().lstrip("{").lstrip().lower()
            if any(inner.startswith(w) for w in _WHERE_WORDS):
                return True
    if t.startswith("(") and t.rstrip(".,").endswith(")") and "=" not in t:
        return True
    return "=" not in t.replace("\\neq", "").replace("\\ne ", "") and (
        "<" in t or ">" in t or re.search(r"\\(?:le|ge|leq|geq|leqslant|geqslant|in|ne|neq)(?![A-Za-z])", t))


def _starts_continuation(text: str) -> bool:
    t = text.lstrip()
    # a control word ends at a non-letter: \\left( does not start with \\le
    return any(t.startswith(op) and not (op[-1].isalpha() and t[len(op):len(op) + 1].isalpha())
               for op in _CONTINUATION_START)


def split_statements(item: MathItem, macros: MacroTable) -> list[Statement]:
    """Statements of a math item in order; raises ``DocumentError`` only for a broken environment."""
    try:
        nodes, _, _ = LatexWalker(item.body, latex_context=macros.context(),
                                  tolerant_parsing=False).get_latex_nodes()
    except LatexWalkerError as exc:
        line, _ = item.source.line_col(item.start)
        message = str(exc).split(" @(")[0].split("\n")[0]
        raise DocumentError(f"{item.source.display_name}:{line}: cannot read this formula's environment: "
                            f"{message}") from None
    base = item.body_start
    statements: list[tuple[_Text, list]] = []
    for k, (row_nodes, start, end) in enumerate(_rows(nodes, item.body, 0, len(item.body))):
        start, end = start + base, end + base
        pieces = _pieces(row_nodes, macros, base, item.environment.rstrip("*") in _COLUMN_PAIRS
                                                     or "\\begin{aligned" in item.body)
        for j, piece in enumerate(pieces):
            joins = statements and ((j == 0 and (_starts_continuation(piece.text) or
                                                 (item.environment.startswith("multline") and k > 0)))
                                    or (j > 0 and _is_side_clause(piece.text)))
            if joins:
                text, rows = statements[-1]
                separator = _Text()
                separator.add(" " if j == 0 else ", \\quad ", piece.offsets[0] if piece.offsets else start,
                              per_char=False)
                text.extend(separator)
                text.extend(piece)
                if rows[-1] != (start, end):
                    rows.append((start, end))
            else:
                statements.append((piece, [(start, end)]))
    return [Statement(item, t.text, t.offsets, rows, i) for i, (t, rows) in enumerate(statements)]
