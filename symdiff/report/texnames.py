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
from ..matrix import CholeskyGrad

__all__ = ["latex_of", "program_tex", "symbol_tex", "equation_tex", "tex_width", "uses_cholesky_adjoint"]

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


# Estimated widths (inches) of typeset formulas: a row longer than ROW_WIDTH is split at the terms of
# its sum; whatever is still wider than the line is shrunk to the line by \fitdisplay (see document.py).
ROW_WIDTH = 5.2


def tex_width(latex: str) -> float:
    """A rough width in inches of typeset LaTeX: about 0.09 in a character, commands counted as one."""
    text = re.sub(r"\\(left|right|cdot|operatorname|mathit|mathrm|quad|!|,)", "", latex)
    text = re.sub(r"\\[A-Za-z]+", "x", text)
    text = re.sub(r"[{}$_^&]", "", text)
    return 0.09 * len(text)


def _printer(exprs, adjoint_of):
    names = _names(exprs)
    return SymdiffLatexPrinter(adjoint_of, settings={"symbol_names": names} if names else None)


def _rhs_rows(printer, expr) -> list[str]:
    """The right-hand side as one or more rows: a sum wider than ROW_WIDTH is split between its terms."""
    if isinstance(expr, CholeskyGrad):
        return [_cholesky_adjoint_tex(printer, expr)]
    whole = printer.doprint(expr)
    if tex_width(whole) <= ROW_WIDTH or not isinstance(expr, sp.Add):
        return [whole]
    rows, current = [], ""
    for k, term in enumerate(printer._as_ordered_terms(expr)):
        t = printer.doprint(term)
        piece = t if k == 0 else (f"- {t[1:].lstrip()}" if t.startswith("-") else f"+ {t}")
        if current and tex_width(current + piece) > ROW_WIDTH:
            rows.append(current)
            current = piece
        else:
            current = f"{current} {piece}".strip()
    rows.append(current)
    return rows


def _cholesky_adjoint_tex(printer, expr) -> str:
    """chol*(L, G) written out (Murray 2016): the symmetric part of L^{-T} Phi(L^T G) L^{-1}."""
    L, G = (printer.doprint(a) for a in expr.args)
    wrap = (lambda t: t) if re.fullmatch(r"\\?[A-Za-z]+(_\{[^{}]*\})?|\\bar\{[^{}]*\}", L) else \
        (lambda t: rf"\left({t}\right)")
    Lw = wrap(L)
    inner = rf"{Lw}^{{-T}}\,\Phi\!\left({Lw}^{{T}} {G}\right) {Lw}^{{-1}}"
    return rf"\operatorname{{sym}}\!\left({inner}\right)"


def aligned_rows(pairs) -> list[str]:
    r"""``lhs &= rhs`` rows for (lhs LaTeX, rhs rows); continuation rows start with ``&\quad``."""
    out = []
    for lhs, rows in pairs:
        out.append(f"{lhs} &= {rows[0]}")
        out += [rf"&\quad {r}" for r in rows[1:]]
    return out


def program_tex(assignments, adjoint_of=None) -> str:
    """The program, one ``target &= rhs`` line per assignment (as ``program_latex``).

    An ``align*`` block; when a sum does not fit a line it continues on the next rows, and when a row is
    still too wide the whole block is an ``aligned`` shrunk to the line (``\fitdisplay``).
    """
    printer = _printer([t for t, _ in assignments] + [e for _, e in assignments], adjoint_of)
    pairs = [(printer.doprint(t), _rhs_rows(printer, e)) for t, e in assignments]
    rows = aligned_rows(pairs)
    if all(tex_width(r) <= ROW_WIDTH + 1.0 for r in rows):
        return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"
    return "\\[\\fitdisplay{\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}}\\]"


def equation_tex(lhs: str, expr, adjoint_of=None) -> str:
    """``lhs = expr`` displayed: a long sum split over rows, then shrunk to the line if still too wide."""
    printer = _printer([expr], adjoint_of)
    rows = _rhs_rows(printer, expr)
    if len(rows) == 1:
        return rf"\[\fitdisplay{{{lhs} = {rows[0]}}}\]"
    body = " \\\\\n".join(aligned_rows([(lhs, rows)]))
    return "\\[\\fitdisplay{\\begin{aligned}\n" + body + "\n\\end{aligned}}\\]"


def uses_cholesky_adjoint(assignments) -> bool:
    return any(e.has(CholeskyGrad) for _, e in assignments if isinstance(e, sp.Basic))
