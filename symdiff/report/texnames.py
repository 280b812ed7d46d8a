"""LaTeX for expressions whose symbols carry the LaTeX parser's names.

The parser names ``\\hat{y}_{1,2}`` ``hat_y_{1,2}``; SymPy's printer would print
that name as it stands (``hat_y_{1,2}`` does not even compile).  ``latex_of``
prints through ``SymdiffLatexPrinter`` (adjoints as bars) with those names
translated back.
"""
from __future__ import annotations

import re

import sympy as sp

from ..latex.printer import SymdiffLatexPrinter

__all__ = ["latex_of", "program_tex", "symbol_tex"]

_DECORATED = re.compile(r"(hat|bar|tilde|check|breve|dot|ddot)_([A-Za-z]+)(?:_(\{[^{}]*\}|[A-Za-z0-9]+))?")
_INDEXED = re.compile(r"([A-Za-z][A-Za-z0-9]*)_(\{[^{}]*\})")


def symbol_tex(name: str) -> str | None:
    """The LaTeX of a parser name, or None when SymPy prints it well itself."""
    m = _DECORATED.fullmatch(name)
    if m:
        base = rf"\{m.group(1)}{{{_base(m.group(2))}}}"
        sub = m.group(3)
        if sub:
            sub = sub if sub.startswith("{") else "{" + sub + "}"
            return f"{base}_{sub}"
        return base
    m = _INDEXED.fullmatch(name)
    if m:
        return f"{_base(m.group(1))}_{m.group(2)}"
    return None


def _base(name: str) -> str:
    return sp.latex(sp.Symbol(name))


def _names(exprs) -> dict:
    names = {}
    for e in exprs:
        if not isinstance(e, sp.Basic):
            continue
        for s in e.atoms(sp.Symbol, sp.MatrixSymbol):
            tex = symbol_tex(s.name)
            if tex is not None:
                names[s] = tex
    return names


def latex_of(expr, adjoint_of=None) -> str:
    names = _names([expr])
    printer = SymdiffLatexPrinter(adjoint_of, settings={"symbol_names": names} if names else None)
    return printer.doprint(expr)


def program_tex(assignments, adjoint_of=None) -> str:
    """An ``align*`` block, one ``target &= rhs`` line per assignment (as ``program_latex``)."""
    exprs = [t for t, _ in assignments] + [e for _, e in assignments]
    names = _names(exprs)
    printer = SymdiffLatexPrinter(adjoint_of, settings={"symbol_names": names} if names else None)
    rows = [f"{printer.doprint(t)} &= {printer.doprint(e)}" for t, e in assignments]
    return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"
