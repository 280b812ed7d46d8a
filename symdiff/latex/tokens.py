"""TeX tokens with source offsets, formatting removal, nesting by brackets, splitting helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .base import MAX_NESTING, Problem
from .names import GREEK, UNICODE_GREEK

@dataclass(frozen=True)
class Tok:
    kind: str   # "cmd" (text = name without backslash), "letter", "number", "char"
    text: str
    pos: int
    length: int

    @property
    def end(self) -> int:
        return self.pos + self.length

    def is_char(self, *chars: str) -> bool:
        return self.kind == "char" and self.text in chars

    def is_cmd(self, *names: str) -> bool:
        return self.kind == "cmd" and self.text in names


@dataclass
class Group:
    open: Tok
    close: Tok
    items: list

    @property
    def kind(self) -> str:
        return self.open.text

    @property
    def pos(self) -> int:
        return self.open.pos

    @property
    def end(self) -> int:
        return self.close.end


def is_group(item, kind: str) -> bool:
    return isinstance(item, Group) and item.kind == kind


_SINGLE_CHARS = set("+-*/()[]{}^_|,=<>'!:;.&")
_DIGITS = "0123456789"
_DECIMAL_COMMA = re.compile(r"\{,\}([0-9]+)")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
_UNICODE_TOKENS = {
    "−": ("char", "-"), "·": ("cmd", "cdot"), "⋅": ("cmd", "cdot"), "×": ("cmd", "times"),
    "∘": ("cmd", "circ"), "⊙": ("cmd", "odot"),
    "⟨": ("cmd", "langle"), "⟩": ("cmd", "rangle"),
    "≤": ("cmd", "le"), "≥": ("cmd", "ge"), "≠": ("cmd", "ne"), "′": ("char", "'"),
    "∑": ("cmd", "sum"), "∏": ("cmd", "prod"),
}


_SIZING = {"left", "right", "middle", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl",
           "Bigr", "biggl", "biggr", "Biggl", "Biggr", "bigm", "Bigm"}
_SPACING = {",", ";", ":", "!", " ", "quad", "qquad", "displaystyle", "textstyle",
            "scriptstyle", "limits", "nolimits", "thinspace", "medspace", "thickspace",
            "enspace", "negthinspace"}
_VERTICAL_BARS = {"vert", "lvert", "rvert", "mid"}


def tokenize(text: str) -> list[Tok]:
    tokens: list[Tok] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace() or c == "~":
            i += 1
            continue
        if c == "%":  # a TeX comment runs to the end of the line
            newline = text.find("\n", i)
            i = len(text) if newline < 0 else newline
            continue
        tok = _read_token(text, i, tokens)
        tokens.append(tok)
        i = tok.end
    return tokens


def _read_token(text: str, i: int, previous: list[Tok]) -> Tok:
    c = text[i]
    if c == "\\":
        return _read_command(text, i)
    if c.isascii() and c.isalpha():
        return Tok("letter", c, i, 1)
    if c in _DIGITS or (c == "." and text[i + 1:i + 2] in tuple(_DIGITS)):
        # TeX takes one character as a script argument: x^23 is x^2 * 3
        if c in _DIGITS and previous and previous[-1].is_char("^", "_"):
            return Tok("number", c, i, 1)
        number = _NUMBER.match(text, i).group()
        comma = _DECIMAL_COMMA.match(text, i + len(number))
        if comma is not None and "." not in number:  # 0{,}5: the decimal comma of Russian texts
            return Tok("number", f"{number}.{comma.group(1)}", i, comma.end() - i)
        return Tok("number", number, i, len(number))
    if c in _SINGLE_CHARS:
        return Tok("char", c, i, 1)
    if c in _UNICODE_TOKENS:
        kind, name = _UNICODE_TOKENS[c]
        return Tok(kind, name, i, 1)
    if c in UNICODE_GREEK:
        return Tok("cmd", UNICODE_GREEK[c], i, 1)
    if c.isalpha():  # a word of prose (Cyrillic in \\text{где}): read whole, never a name
        j = i
        while j < len(text) and text[j].isalpha() and not text[j].isascii():
            j += 1
        return Tok("prose", text[i:j], i, j - i)
    raise Problem(f"unexpected character {c!r}", i, i + 1)


def _read_command(text: str, i: int) -> Tok:
    j = i + 1
    while j < len(text) and text[j].isascii() and text[j].isalpha():
        j += 1
    if j == i + 1:  # a control symbol: \, \{ \| \\ ...
        if j >= len(text):
            raise Problem("lone backslash at the end of the input", i, i + 1)
        j += 1
    return Tok("cmd", text[i + 1:j], i, j - i)


def drop_formatting(tokens: list[Tok]) -> list[Tok]:
    """Remove spacing and sizing; \\left( becomes one '(' token spanning '\\left('."""
    out: list[Tok] = []
    k = 0
    while k < len(tokens):
        tok = tokens[k]
        if tok.is_cmd(*_SIZING):
            k += 1
            if k < len(tokens):
                delim = tokens[k]
                if not delim.is_char("."):  # \left. is an invisible delimiter
                    kind, text = (("norm", "‖") if delim.is_cmd("|", "Vert", "lVert", "rVert")
                                  else (delim.kind, delim.text))
                    out.append(Tok(kind, text, tok.pos, delim.end - tok.pos))
                k += 1
            continue
        if tok.is_cmd(*_SPACING):
            k += 1
            continue
        if tok.is_cmd(*_VERTICAL_BARS):
            tok = Tok("char", "|", tok.pos, tok.length)
        if tok.is_cmd("|", "Vert", "lVert", "rVert"):
            tok = Tok("norm", "‖", tok.pos, tok.length)
        if tok.is_char("|") and out and out[-1].is_char("|") and out[-1].end == tok.pos:
            tok = Tok("norm", "‖", out.pop().pos, tok.end - tok.pos + 1)  # ||v||
        out.append(tok)
        k += 1
    return out


def strip_final_punctuation(tokens: list[Tok]) -> list[Tok]:
    # formulas copied from prose often end with "." or ","
    if tokens and tokens[-1].is_char(".", ","):
        return tokens[:-1]
    return tokens


_OPENERS = {"(": ")", "[": "]", "{": "}", "langle": "rangle"}
_CLOSERS = {close: open_ for open_, close in _OPENERS.items()}


def _bracket(tok: Tok, table: dict) -> bool:
    if tok.text not in table:
        return False
    return tok.kind == "cmd" if tok.text in ("langle", "rangle") else tok.kind == "char"


def nest(tokens: list[Tok]) -> list:
    """Nest tokens into Group by brackets; report unbalanced brackets."""
    stack: list[tuple[Tok | None, list]] = [(None, [])]
    for tok in tokens:
        if tok.kind == "norm" and stack[-1][0] is not None and stack[-1][0].kind == "norm":
            opener, items = stack.pop()
            stack[-1][1].append(Group(opener, tok, items))
        elif tok.is_cmd("end") and stack[-1][0] is not None and stack[-1][0].is_cmd("begin"):
            opener, items = stack.pop()   # \begin ... \end: one group (its {name} follows)
            stack[-1][1].append(Group(opener, tok, items))
        elif tok.kind == "norm" or tok.is_cmd("begin") or _bracket(tok, _OPENERS):
            if len(stack) > MAX_NESTING:
                raise Problem(f"brackets nested deeper than {MAX_NESTING} levels",
                               tok.pos, tok.end)
            stack.append((tok, []))
        elif _bracket(tok, _CLOSERS):
            opener, items = stack.pop() if len(stack) > 1 else (None, None)
            if opener is None:
                raise Problem(f"closing {_shown(tok)} without an opening bracket",
                               tok.pos, tok.end)
            if _OPENERS[opener.text] != tok.text:
                raise Problem(f"{_shown(opener)} is closed by {_shown(tok)}", opener.pos, tok.end)
            stack[-1][1].append(Group(opener, tok, items))
        else:
            stack[-1][1].append(tok)
    if len(stack) > 1:
        opener = stack[-1][0]
        raise Problem(f"unclosed {_shown(opener)}", opener.pos, opener.end)
    return stack[0][1]


def _shown(tok: Tok) -> str:
    return repr("\\" + tok.text if tok.kind == "cmd" else tok.text)


def item_start(item) -> int:
    return item.pos


def item_end(item) -> int:
    return item.end


def split_on(items: list, is_separator: Callable) -> tuple[list[list], list]:
    parts, separators, current = [], [], []
    for item in items:
        if isinstance(item, Tok) and is_separator(item):
            parts.append(current)
            separators.append(item)
            current = []
        else:
            current.append(item)
    parts.append(current)
    return parts, separators


def split_commas(items: list) -> tuple[list[list], list]:
    return split_on(items, lambda tok: tok.is_char(","))


def _ends_operand(item) -> bool:
    if isinstance(item, Group):
        return True
    return item.kind in ("letter", "number") or item.is_cmd("infty", *GREEK)


def split_terms(items: list) -> list[tuple[Tok | None, list]]:
    r"""[(sign, term)] at the binary + and - of this level (the first sign is None).

    A + or - right after an operator (a \cdot -b) is unary and stays in its term.
    Bars |...| are not nested by nest, so with a bar at this level we do not split.
    """
    if any(isinstance(it, Tok) and it.is_char("|") for it in items):
        return [(None, items)]
    terms: list[tuple[Tok | None, list]] = []
    sign, current = None, []
    for item in items:
        binary = isinstance(item, Tok) and item.is_char("+", "-") and current \
            and _ends_operand(current[-1])
        if binary:
            terms.append((sign, current))
            sign, current = item, []
        else:
            current.append(item)
    terms.append((sign, current))
    return terms


# ---------------------------------------------------------------------------
# Functions
# ---------------------------------------------------------------------------
