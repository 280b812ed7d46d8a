r"""When a formula ``f(x) = ...`` about an already defined ``f`` defines it anew.

Notes reuse names: problem 1 has its ``f(x) = x^2 \sin x``, problem 2 its
``f(x) = e^{3x}``.  Reading the second as a claim about the first would refute
it for nothing, so ``f(x) = ...`` of a defined name is a new definition when

- it is inline math in prose ("Now let $f(x) = e^{3x}$"): prose math counts only
  when it defines something;
- a heading lies between the earlier definition and it (``\section``,
  ``\subsection``, ``\paragraph``, ``\item``, a bold "Problem"/"Задача" ...), or
  it is in another file;
- the prose just before it says so ("let", "define", "consider", "пусть",
  "рассмотрим", "положим", ...).

Otherwise (``g(t) = t^2``, then ``\[ g(t) = t \cdot t \]``) it is an identity
claim about the defined ``g``, checked like any other.
"""
from __future__ import annotations

import re

from .source import MathItem

__all__ = ["starts_new_definition"]

_HEADING = re.compile(r"\\(?:part|chapter|section|subsection|subsubsection|paragraph|subparagraph|item)(?![A-Za-z])"
                      r"|\\textbf\s*\{\s*(?:Problem|Exercise|Example|Part|Task|Question|Задача|Упражнение|Пример"
                      r"|Задание|Вопрос)", re.IGNORECASE)
_DEFINING = re.compile(r"(?<!\w)(?:let|define|defines|defined|consider|suppose|set|take|now|new|given|пусть|рассмотрим"
                       r"|положим|обозначим|определим|зададим|возьм[её]м|теперь|введём|введем)(?!\w)", re.IGNORECASE)
_MATH_END = re.compile(r"\$|\\\]|\\\)|\\end\s*\{")
_PROSE_WINDOW = 200


def starts_new_definition(item: MathItem, earlier_site: tuple | None) -> bool:
    """Whether a definition-shaped statement of ``item`` redefines a name defined at ``earlier_site``
    ((source path, offset) of the earlier definition's math)."""
    if item.inline:
        return True
    if earlier_site is None:
        return False
    path, offset = earlier_site
    if path != item.source.path:
        return True
    if offset == item.start:       # defined in this very formula: a later row restates it, as a claim
        return False
    text = item.source.text
    if offset < item.start and _HEADING.search(_without_comments(text[offset:item.start])):
        return True
    window = _without_comments(text[max(0, item.start - _PROSE_WINDOW):item.start])
    ends = [m.end() for m in _MATH_END.finditer(window)]
    prose = window[ends[-1]:] if ends else window
    return _DEFINING.search(prose) is not None


def _without_comments(text: str) -> str:
    return re.sub(r"(?<!\\)%[^\n]*", "", text)
