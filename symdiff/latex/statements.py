r"""Statements: what one displayed formula says, read before its formulas are parsed.

``read_statement(text)`` splits a formula as people write it in notes into

* the main statement: a chain ``a = b = c`` (also ``:=``, ``\equiv``, ``\coloneqq``
  and ``align``'s ``&=``), whose first side may be a definition head
  (``f(x)``, ``L(\mathbf{w})``, ``J(\theta; X, y)``, ``E``) or a derivative
  (``f'(x)``, ``\frac{\partial L}{\partial w}``, ``\nabla_{w} L``, ...);
* its clauses after ``\quad``, ``,``, ``\text{where}``, ``\text{with}``,
  ``\text{где}``, ``\text{при}``...: definitions of named intermediates
  (``u = w^\top x``), conditions (``x > 0``, ``t \neq 0``) and structures
  (``A \in \mathbb{S}^n_{++}``, ``y \in \{0, 1\}``, ``p \in \Delta``).

Every piece keeps its offset in the source, so a document checker can report
lines and columns.  Nothing here evaluates anything: the pieces are parsed by
``parse_latex`` afterwards, with the definitions read so far.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ParseError
from .base import MAX_STATEMENT_LENGTH, Problem, parse_error
from .indicators import inside_set_braces
from .names import DECORATION_PREFIX, DECORATION_TRANSPARENT, GREEK, WORD_COMMANDS
from .tokens import Tok, tokenize

__all__ = ["Piece", "Head", "DerivativeSide", "Clause", "Statement", "read_statement",
           "split_rows", "plain_name", "definition_head", "derivative_side", "is_chain_rule_product",
           "CONNECTIVES"]

# words of \text{...} that join a formula to its clauses (English and Russian), and the
# words that say "in all other cases"
CONNECTIVES = {"where", "with", "for", "if", "and", "when", "whenever", "since", "as",
               "for all", "where", "wherein", "here", "s.t.", "such that",
               "где", "при", "если", "и", "здесь", "для", "когда"}
OTHERWISE = {"otherwise", "else", "иначе", "в остальных случаях", "otherwise,", "else,"}
_DEFINING = {"=", ":=", "coloneqq", "equiv", "triangleq", "eqqcolon", "doteq"}
_CONDITIONS = {"<", ">", "le", "leq", "leqslant", "ge", "geq", "geqslant", "ne", "neq", "lt",
               "gt", "in", "notin"}
_SEPARATORS = {"quad", "qquad"}
_TEXT_COMMANDS = {"text", "mbox", "textrm", "textit", "textnormal", "textbf", "hbox"}


@dataclass(frozen=True)
class Piece:
    """A stretch of the source: ``text`` starts at offset ``pos``."""

    text: str
    pos: int

    @property
    def end(self) -> int:
        return self.pos + len(self.text)


@dataclass(frozen=True)
class Head:
    """A definition's left side: ``f(x)`` -> name 'f', params ('x',); ``E`` -> 'E', ()."""

    name: str
    latex: str
    params: tuple[str, ...] = ()


@dataclass(frozen=True)
class DerivativeSide:
    """A derivative on a claim's left side.  ``target``: the differentiated name or
    expression (None: the function under discussion); ``wrt``: the LaTeX of the
    variable (None: the variable under discussion); ``order``: 1, 2..."""

    target: Piece | None
    wrt: str | None
    order: int = 1
    notation: str = ""
    at: str | None = None          # the point of f'(0) or \left. \frac{d}{dx} ... \right|_{x = 0}


@dataclass(frozen=True)
class Clause:
    """``kind``: 'definition' (``head`` = ``body``), 'condition' (a relation) or
    'structure' (``name`` is symmetric / spd / simplex / binary...)."""

    kind: str
    piece: Piece
    head: Head | None = None
    body: Piece | None = None
    structure: str | None = None


@dataclass(frozen=True)
class Statement:
    """``kind``: 'definition', 'derivative', 'identity' (a chain of equal sides),
    'expression' (no relation) or 'condition' (an inequality: not a claim)."""

    kind: str
    source: str
    sides: tuple[Piece, ...]
    relations: tuple[int, ...] = ()
    head: Head | None = None
    derivative: DerivativeSide | None = None
    clauses: tuple[Clause, ...] = ()

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), 1-based, of a source offset."""
        line = self.source.count("\n", 0, offset) + 1
        return line, offset - (self.source.rfind("\n", 0, offset) + 1) + 1


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------

def read_statement(text: str, defined: set[str] | frozenset = frozenset()) -> Statement:
    """Read one formula.  ``defined``: names defined earlier (``E = ...`` with ``E``
    already defined is an identity claim, not a new definition)."""
    try:
        if len(text) > MAX_STATEMENT_LENGTH:   # read before anything is budgeted: refused by size, not time
            raise Problem(f"LaTeX statement of {len(text):,} characters exceeds the limit of {MAX_STATEMENT_LENGTH:,}")
        tokens = tokenize(text)
        parts = _split_clauses(text, tokens)
        main, clauses = parts[0], [_clause(p) for p in parts[1:]]
        return _main(text, main, tuple(c for c in clauses if c is not None), defined)
    except Problem as problem:
        raise parse_error(text, problem) from None


def split_rows(text: str) -> list[Piece]:
    r"""Rows of an ``align``-like body at top-level ``\\``; a row that starts with
    ``&=`` continues the previous one (its left side is the previous right side)."""
    rows, start, depth = [], 0, 0
    for tok in _safe_tokens(text):
        depth += _depth_change(tok)
        if depth == 0 and tok.is_cmd("\\"):
            rows.append(Piece(text[start:tok.pos], start))
            start = tok.end
    rows.append(Piece(text[start:], start))
    return [r for r in rows if r.text.strip()]


def _safe_tokens(text: str) -> list[Tok]:
    try:
        if len(text) > MAX_STATEMENT_LENGTH:
            raise Problem(f"LaTeX rows of {len(text):,} characters exceed the limit of {MAX_STATEMENT_LENGTH:,}")
        return tokenize(text)
    except Problem as problem:
        raise parse_error(text, problem) from None


def _depth_change(tok: Tok) -> int:
    if tok.kind == "char" and tok.text in "{([":
        return 1
    if tok.kind == "char" and tok.text in "})]":
        return -1
    if tok.is_cmd("begin", "langle"):
        return 1
    if tok.is_cmd("end", "rangle"):
        return -1
    return 0


def _split_clauses(text: str, tokens: list[Tok]) -> list[Piece]:
    """Cut at top-level \\quad, commas and \\text{connective}; drop the connective words."""
    cuts: list[tuple[int, int]] = []   # (start, end) of each separator
    depth, k = 0, 0
    braced = inside_set_braces(tokens)     # y \in \{0, 1\}: that comma is the set's
    while k < len(tokens):
        tok = tokens[k]
        if depth == 0 and k not in braced and (tok.is_cmd(*_SEPARATORS) or tok.is_char(",")):
            cuts.append((tok.pos, tok.end))
        elif depth == 0 and tok.is_cmd(*_TEXT_COMMANDS) and k + 1 < len(tokens) \
                and tokens[k + 1].is_char("{"):
            close = _matching(tokens, k + 1)
            word = text[tokens[k + 1].end:tokens[close].pos].strip(" ,.:;~").lower()
            if word in CONNECTIVES or not word or _is_prose(word):
                cuts.append((tok.pos, tokens[close].end))
                k = close + 1
                continue
        depth += _depth_change(tok)
        k += 1
    pieces, start = [], 0
    for a, b in cuts:
        pieces.append(Piece(text[start:a], start))
        start = b
    pieces.append(Piece(text[start:], start))
    kept = [pieces[0]] + [p for p in pieces[1:] if p.text.strip(" \t\n.,;:~\\")]
    return [_strip_piece(p) for p in kept]


def _is_prose(word: str) -> bool:
    return any(not c.isascii() for c in word) or " " in word


def _matching(tokens: list[Tok], k: int) -> int:
    depth = 0
    for j in range(k, len(tokens)):
        if tokens[j].is_char("{"):
            depth += 1
        elif tokens[j].is_char("}"):
            depth -= 1
            if depth == 0:
                return j
    raise Problem("unclosed '{'", tokens[k].pos, tokens[k].end)


def _strip_piece(piece: Piece) -> Piece:
    text = piece.text
    left = len(text) - len(text.lstrip())
    body = text.strip()
    # trailing punctuation and spacing commands of prose: "x^2," "x^2 ." "x \;"
    body = re.sub(r"(\\[,;:! ]|\\q?quad|[\s.,;~])+$", "", body)
    body = re.sub(r"^(\\[,;:! ]|\\q?quad|[\s~])+", "", body)
    return Piece(body, piece.pos + left + (len(text.strip()) - len(text.strip().lstrip())))


def _relations(text: str, tokens: list[Tok]) -> list[tuple[int, int, str]]:
    """Top-level relation signs: (start, end, kind) with kind '=' or 'condition'."""
    found, depth, k = [], 0, 0
    braced = inside_set_braces(tokens)
    while k < len(tokens):
        tok = tokens[k]
        if depth == 0 and k not in braced:
            if tok.is_char(":") and k + 1 < len(tokens) and tokens[k + 1].is_char("="):
                found.append((tok.pos, tokens[k + 1].end, "="))
                k += 2
                continue
            if tok.is_char("=") or tok.is_cmd(*_DEFINING - {"="}):
                start = tok.pos
                if k > 0 and tokens[k - 1].is_char("&"):
                    start = tokens[k - 1].pos
                found.append((start, tok.end, "="))
            elif tok.kind in ("char", "cmd") and tok.text in _CONDITIONS:
                found.append((tok.pos, tok.end, "condition"))
        depth += _depth_change(tok)
        k += 1
    return found


def _main(text: str, main: Piece, clauses: tuple, defined) -> Statement:
    tokens = [Tok(t.kind, t.text, t.pos + main.pos, t.length) for t in tokenize(main.text)]
    relations = _relations(text, tokens)
    if any(kind == "condition" for _, _, kind in relations):
        return Statement("condition", text, (main,), clauses=clauses)
    if not relations:
        return Statement("expression", text, (main,), clauses=clauses)
    bounds = [main.pos] + [b for _, b, _ in relations]
    stops = [a for a, _, _ in relations] + [main.end]
    sides = tuple(_strip_piece(Piece(_drop_alignment(text[a:b]), a)) for a, b in zip(bounds, stops))
    for side, (a, b, _) in zip(sides, relations + [(main.end, main.end, "")]):
        if not side.text:
            raise ParseError("a relation with a missing side", *_line_col(text, a),
                             text=text[a:b] or text[max(0, a - 10):a])
    equals = tuple(a for a, _, _ in relations)
    derivative = derivative_side(sides[0])
    if derivative is not None:
        return Statement("derivative", text, sides, equals, derivative=derivative, clauses=clauses)
    head = definition_head(sides[0])
    if head is not None and head.name not in defined:
        return Statement("definition", text, sides, equals, head=head, clauses=clauses)
    return Statement("identity", text, sides, equals, clauses=clauses)


def _drop_alignment(text: str) -> str:
    """``&`` of align at the top level becomes a space (same length: offsets stay valid)."""
    chars, depth = list(text), 0
    for tok in tokenize(text):
        if depth == 0 and tok.is_char("&"):
            chars[tok.pos] = " "
        depth += _depth_change(tok)
    return "".join(chars)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _clause(piece: Piece) -> Clause | None:
    inner = _unbracket(piece.text)
    if inner != piece.text:   # (x > 0)
        piece = Piece(inner, piece.pos + piece.text.index(inner))
    tokens = [Tok(t.kind, t.text, t.pos + piece.pos, t.length) for t in tokenize(piece.text)]
    if any(t.kind == "prose" for t in tokens) and not _has_relation(tokens):
        return None
    structure = _structure(piece)
    if structure is not None:
        return structure
    relations = _relations(piece.text, [Tok(t.kind, t.text, t.pos - piece.pos, t.length)
                                        for t in tokens])
    if not relations:
        return None     # prose math or a bare expression: nothing to use
    if all(kind == "=" for _, _, kind in relations) and len(relations) == 1:
        a, b, _ = relations[0]
        left = _strip_piece(Piece(piece.text[:a], piece.pos))
        right = _strip_piece(Piece(piece.text[b:], piece.pos + b))
        head = definition_head(left)
        if head is not None:
            return Clause("definition", piece, head=head, body=right)
    return Clause("condition", piece)


def _has_relation(tokens: list[Tok]) -> bool:
    return any(t.is_char("=", "<", ">") or t.is_cmd(*_CONDITIONS) for t in tokens)


# ---------------------------------------------------------------------------
# Names, heads, structures
# ---------------------------------------------------------------------------

_FONT = r"\\(?:mathbf|boldsymbol|bm|vec|mathit|mathrm|mathsf|mathbb|operatorname|text|mathcal" \
        r"|hat|tilde|bar|widehat|widetilde|overline|check|mathbfit|dot|ddot)"
_NAME = rf"(?:{_FONT}\s*\{{\s*\\?[A-Za-z]+\s*\}}|\\[A-Za-z]+|[A-Za-z])" \
        r"(?:\s*(?:_\s*(?:\{[^{}]*\}|[A-Za-z0-9]|\\[A-Za-z]+)|\^\s*\{\s*[(\[][^{}]*[)\]]\s*\}))*"


def plain_name(latex: str) -> str | None:
    r"""A LaTeX name as a plain name: ``\mathbf{W}^{(1)}`` -> W1, ``\lambda`` -> lambda,
    ``\hat{y}`` -> hat_y, ``x_i`` -> x_i; None when ``latex`` is not a name."""
    text = re.sub(rf"({_FONT})(?![A-Za-z])\s*(\\[A-Za-z]+|[A-Za-z])", r"\1{\2}", latex.strip())  # \boldsymbol\theta
    text = re.sub(r"\s+", "", text)
    if not re.fullmatch(_NAME, text):
        return None
    text = re.sub(r"\^\{[(\[]([A-Za-z0-9]+)[)\]]\}", r"\1", text)          # layer index
    match = re.fullmatch(r"\\([A-Za-z]+)\{\\?([A-Za-z]+)\}(.*)", text)
    if match and match.group(1) in DECORATION_PREFIX:
        text = f"{DECORATION_PREFIX[match.group(1)]}_{match.group(2)}{match.group(3)}"
    elif match and (match.group(1) in DECORATION_TRANSPARENT | WORD_COMMANDS
                    or match.group(1) == "mathbb"):
        text = match.group(2) + match.group(3)
    text = text.lstrip("\\")
    text = re.sub(r"_\{?\\([A-Za-z]+)\}?$", r"_\1", text)     # h_\theta, h_{\theta}: h_theta
    text = re.sub(r"_\{([A-Za-z0-9]+)\}$", r"_\1", text)
    base = re.match(r"[A-Za-z]+", text)
    if base is None or (base.group() not in GREEK and len(base.group()) > 1
                        and not (match and match.group(1) in WORD_COMMANDS)
                        and not latex.strip().startswith("\\")):
        return None if base is None else text
    return text


def definition_head(side: Piece) -> Head | None:
    r"""``f(x)``, ``L(\mathbf{w})``, ``J(\theta; X, y)``, ``\sigma(z)``, ``E``: a name with
    an optional list of parameter names."""
    text = side.text.strip()
    text = re.sub(r"\\(?:left|right|big|Big|bigl|bigr)\s*([()])", r"\1", text)
    match = re.fullmatch(rf"({_NAME})\s*(?:\((.*)\))?", text, re.S)
    if match is None:
        return None
    name = plain_name(match.group(1))
    if name is None:
        return None
    params: tuple[str, ...] = ()
    if match.group(2) is not None:
        raw = [p for p in re.split(r"[;,]|\\mid|\|", match.group(2)) if p.strip()]
        if not raw or any(plain_name(p) is None for p in raw):
            return None
        params = tuple(p.strip() for p in raw)
    return Head(name, match.group(1), params)


_STRUCTURES = [
    (r"\\mathbb\{S\}\s*(?:\^\s*\{?\w+\}?\s*)?_\s*\{\s*\+\+\s*\}(?:\s*\^\s*\{?\w+\}?)?", "spd"),
    (r"\\mathbb\{S\}\s*(?:\^\s*\{?\w+\}?)?(?:\s*_\s*\{?\s*\+\s*\}?)?", "symmetric"),
    (r"\\mathbb\{S\}\s*_\s*\{?\s*\+\+\s*\}?(?:\s*\^\s*\{?\w+\}?)?", "spd"),
    (r"\\\{\s*0\s*,\s*1\s*\\\}(?:\s*\^\s*\{?\w+\}?)?", "binary"),
    (r"\\\{\s*-\s*1\s*,\s*\+?\s*1\s*\\\}(?:\s*\^\s*\{?\w+\}?)?", "pm1"),
    (r"\\(?:Delta|triangle)(?:\s*(?:_|\^)\s*\{?[\w-]+\}?)*", "simplex"),
    (r"O\s*\(\s*\w+\s*\)|\\mathcal\{O\}\s*\(\s*\w+\s*\)", "orthogonal"),
    (r"GL\s*\(\s*\w+\s*\)|\\mathrm\{GL\}\s*\(\s*\w+\s*\)", "invertible"),
]


def _structure(piece: Piece) -> Clause | None:
    r"""``A \in \mathbb{S}^n_{++}`` (spd), ``y \in \{0, 1\}^n`` (binary), ``p \in \Delta``
    (simplex), ``y \in \{-1, 1\}`` (pm1); ``x \in \mathbb{R}^n`` says nothing new."""
    match = re.fullmatch(rf"\s*({_NAME})\s*\\in\s*(.+?)\s*", piece.text, re.S)
    if match is None:
        return None
    name = plain_name(match.group(1))
    for pattern, kind in _STRUCTURES:
        if re.fullmatch(pattern, match.group(2).strip()):
            return Clause("structure", piece, structure=kind, head=Head(name, match.group(1)))
    if re.fullmatch(r"\\mathbb\{R\}.*", match.group(2).strip()):
        return Clause("structure", piece, structure="real", head=Head(name, match.group(1)))
    return None


# ---------------------------------------------------------------------------
# Derivative left sides
# ---------------------------------------------------------------------------

_D = r"(?:d|\\mathrm\s?\{\s?d\s?\}|\\mathrm\s?d|\\operatorname\{d\}|\\partial|\\text\{d\}|\\mathit\{d\}|\\textrm\{d\})"


def derivative_side(side: Piece) -> DerivativeSide | None:
    text = side.text.strip()
    squeezed = re.sub(r"\s+", " ", text)
    # f'(x), f''(x), f^{\prime}(x), f’(x), \sigma'(z)
    match = re.fullmatch(rf"({_NAME}?)\s*('+|’+|\^\s*\{{?\s*(?:\\prime\s*)+\}}?|\^\s*\{{\s*'+\s*\}})"
                         r"\s*(?:\((.*)\))?", squeezed)
    if match and plain_name(match.group(1)):
        order = max(match.group(2).count("'") + match.group(2).count("’"),
                    match.group(2).count("prime"))
        wrt = match.group(3).strip() if match.group(3) and plain_name(match.group(3)) else None
        at = match.group(3).strip() if match.group(3) and wrt is None and match.group(3).strip() else None
        return DerivativeSide(_piece_of(side, match.group(1)), wrt, order, "prime", at)
    # \left. \frac{d}{dx} e^{2x} \right|_{x = 0}: a derivative at a point
    match = re.fullmatch(r"\\left\s*\.\s*(.+?)\s*\\right\s*\|\s*_\s*\{\s*([^{}=]+?)\s*=\s*(.+?)\s*\}", squeezed)
    if match:
        inner = derivative_side(Piece(match.group(1), side.pos))
        if inner is not None and inner.wrt is not None and plain_name(inner.wrt) == plain_name(match.group(2)):
            return DerivativeSide(inner.target, inner.wrt, inner.order, inner.notation, match.group(3))
    # (\operatorname{tg} x)', \left( e^{2x} \right)': the prime on a bracket (by its one variable)
    match = re.fullmatch(r"(?:\\left\s*\((.*)\\right\s*\)|\((.*)\))\s*('+|’+)", squeezed)
    inner = match and (match.group(1) if match.group(1) is not None else match.group(2))
    if match and _balanced(inner) and inner.strip():
        return DerivativeSide(_piece_of(side, inner.strip()), None, len(match.group(3)), "prime")
    # \operatorname{ctg}' x, \sin' x: the prime on a function name, its argument after it
    match = re.fullmatch(r"(\\operatorname\s*\{[A-Za-z]+\}|\\[A-Za-z]+)\s*('+|’+)\s*(\S.*)", squeezed)
    if match:
        return DerivativeSide(Piece(f"{match.group(1)} {match.group(3)}", side.pos), None, len(match.group(2)),
                              "prime")
    match = re.fullmatch(rf"\\dot\s*\{{({_NAME})\}}\s*(?:\((.*)\))?", squeezed)
    if match:
        return DerivativeSide(_piece_of(side, match.group(1)), None, 1, "dot")
    if re.match(r"\\[dt]?frac\b", squeezed):
        return _leibniz(side, squeezed)
    match = re.fullmatch(rf"\\partial\s*_\s*(\{{[^{{}}]*(?:\{{[^{{}}]*\}}[^{{}}]*)*\}}|[A-Za-z])\s*(.+)",
                         squeezed)
    if match:
        return DerivativeSide(_piece_of(side, match.group(2)), _unbrace(match.group(1)), 1,
                              "partial")
    match = re.fullmatch(r"\\nabla\s*(?:_\s*(\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|[A-Za-z]|\\[A-Za-z]+))?"
                         r"\s*(.+)", squeezed)
    if match:
        wrt = _unbrace(match.group(1)) if match.group(1) else None
        return DerivativeSide(_piece_of(side, _unbracket(match.group(2))), wrt, 1, "nabla")
    return None


def _leibniz(side: Piece, text: str) -> DerivativeSide | None:
    r"""\frac{d}{dx} f(x), \frac{df}{dx}, \frac{d f(x)}{dx}, \frac{\partial^2 L}{\partial w^2}."""
    groups = _brace_groups(text, text.index("{"), 2)
    if groups is None:
        return None
    (upper, lower), rest = groups
    up = re.fullmatch(rf"\s*{_D}\s*(?:\^\s*\{{?\s*(\d)\s*\}}?)?\s*(.*)", upper, re.S)
    low = re.fullmatch(rf"\s*{_D}\s*(.+?)\s*(?:\^\s*\{{?\s*(\d)\s*\}}?)?\s*", lower, re.S)
    if up is None or low is None or plain_name(low.group(1)) is None:
        return None
    order = int(up.group(1) or 1)
    target = up.group(2).strip()
    rest = rest.strip()
    if target and rest:
        return None    # \frac{df}{dx} g: a product, not a derivative side
    target = target or _unbracket(rest)
    if not target:
        return None
    return DerivativeSide(_piece_of(side, target), low.group(1).strip(), order, "leibniz")


def is_chain_rule_product(text: str) -> bool:
    r"""``\frac{\partial L}{\partial y} \cdot \frac{\partial y}{\partial w}``: only derivative symbols
    multiplied (the chain rule written out) -- notation, not a formula with a value."""
    rest, found = re.sub(r"\s+", " ", text), 0
    while True:
        match = re.search(r"\\[dt]?frac\s*\{", rest)
        if match is None:
            break
        groups = _brace_groups(rest, match.end() - 1, 2)
        if groups is None:
            return False
        (upper, lower), after = groups
        if not (re.match(rf"\s*{_D}", upper) and re.match(rf"\s*{_D}", lower)):
            return False
        rest, found = rest[:match.start()] + " " + after, found + 1
    rest = re.sub(r"\\(?:cdot|times|left|right|,|;|!|quad)|[()\[\]\s]", "", rest)
    return found > 1 and not rest


def _brace_groups(text: str, start: int, count: int):
    groups, k = [], start
    for _ in range(count):
        while k < len(text) and text[k] == " ":
            k += 1
        if k >= len(text) or text[k] != "{":
            return None
        depth, j = 0, k
        while j < len(text):
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            if depth == 0:
                break
            j += 1
        if depth:
            return None
        groups.append(text[k + 1:j])
        k = j + 1
    return groups, text[k:]


def _unbrace(text: str) -> str:
    text = text.strip()
    return text[1:-1].strip() if text.startswith("{") and text.endswith("}") else text


def _unbracket(text: str) -> str:
    r"""``\left[ ... \right]``, ``( ... )``, ``\{...\}`` around a whole target."""
    text = text.strip()
    stripped = re.sub(r"^\\left\s*(\\?[(\[{])(.*)\\right\s*\\?[)\]}]$", r"\1\2", text, flags=re.S)
    for a, b in (("(", ")"), ("[", "]"), ("\\{", "\\}")):
        if stripped.startswith(a) and stripped.endswith(b) and _balanced(stripped[len(a):-len(b)]):
            return stripped[len(a):-len(b)].strip()
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for c in text:
        depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(c, 0)
        if depth < 0:
            return False
    return depth == 0


def _piece_of(side: Piece, part: str) -> Piece:
    """The piece of ``side`` that spells ``part`` (after spacing was squeezed)."""
    index = side.text.find(part)
    return Piece(part, side.pos + max(index, 0))
