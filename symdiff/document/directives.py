r"""Directives in comments: what the text of the notes does not say.

``% symdiff: let W: (4, 6), b: (4,), mu: ()``  declares variables and shapes from that line on
``% symdiff: where s > 0, M invertible, q onehot``  adds domain conditions from that line on
``% symdiff: skip``  skips the next equation
``% symdiff: expect refuted``  marks the next equation's claims as deliberately wrong

A later ``let`` of a name replaces the earlier declaration and drops the
conditions that mention it.  Sizes are numbers or names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Directive", "DirectiveError", "parse_directive", "Scope"]

_NAME = r"\\?[A-Za-z][A-Za-z0-9_{}\\^()]*"
_LET_ENTRY = re.compile(rf"\s*({_NAME})\s*:\s*\(([^()]*)\)\s*(?:,|$)")
_SIZE = re.compile(r"[A-Za-z][A-Za-z0-9_]*|[0-9]+")
_EXPECT = {"refuted", "proved", "consistent", "undetermined", "holds"}


class DirectiveError(ValueError):
    """A directive that cannot be read; reported at its line, the run goes on."""


@dataclass
class Directive:
    kind: str                               # 'let' | 'where' | 'skip' | 'expect'
    variables: dict = field(default_factory=dict)
    conditions: list = field(default_factory=list)
    expect: str | None = None


def _shape(text: str, name: str) -> tuple:
    parts = [p.strip() for p in text.split(",")]
    if parts and parts[-1] == "":
        parts.pop()
    sizes = []
    for p in parts:
        if not _SIZE.fullmatch(p):
            raise DirectiveError(f"the size {p!r} of {name} is neither a number nor a name")
        sizes.append(int(p) if p.isdigit() else p)
    if len(sizes) > 2:
        raise DirectiveError(f"{name}: only scalars (), vectors (n,) and matrices (m, n) are supported")
    return tuple(sizes)


def _split_top(text: str) -> list[str]:
    """Split at commas outside brackets."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return [p.strip() for p in out if p.strip()]


def parse_directive(text: str) -> Directive:
    """``text`` is what follows ``symdiff:``."""
    word, _, rest = text.strip().partition(" ")
    word = word.lower().rstrip(":")
    rest = rest.strip()
    if word == "let":
        variables, pos = {}, 0
        while pos < len(rest):
            m = _LET_ENTRY.match(rest, pos)
            if not m:
                raise DirectiveError(f"cannot read 'let {rest[pos:].strip()}': write 'let name: (sizes), ...', "
                                     f"e.g. 'let W: (4, 6), b: (4,), mu: ()'")
            variables[m.group(1)] = _shape(m.group(2), m.group(1))
            pos = m.end()
        if not variables:
            raise DirectiveError("'let' declares nothing: write 'let name: (sizes), ...'")
        return Directive("let", variables=variables)
    if word == "where":
        conditions = _split_top(rest)
        if not conditions:
            raise DirectiveError("'where' states no condition: write e.g. 'where s > 0, M invertible'")
        return Directive("where", conditions=conditions)
    if word == "skip" and not rest:
        return Directive("skip")
    if word == "expect" and rest.lower() in _EXPECT:
        return Directive("expect", expect=rest.lower())
    raise DirectiveError(f"unknown directive {text.strip()!r}; known: let, where, skip, expect refuted")


@dataclass
class Scope:
    """Variables and conditions in force at a point of the document."""

    variables: dict = field(default_factory=dict)
    conditions: list = field(default_factory=list)

    def apply(self, directive: Directive) -> None:
        if directive.kind == "let":
            for name, shape in directive.variables.items():
                if name in self.variables:
                    # the earlier declaration goes, and so do the conditions on it
                    self.conditions = [c for c in self.conditions if not _mentions(c, name)]
                self.variables[name] = shape
        elif directive.kind == "where":     # a condition repeated on every page is one condition
            self.conditions.extend(c for c in directive.conditions if c not in self.conditions)

    def snapshot(self) -> tuple[dict, list]:
        return dict(self.variables), list(self.conditions)


def _mentions(condition: str, name: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_\\]){re.escape(name)}(?![A-Za-z0-9_])", condition) is not None
