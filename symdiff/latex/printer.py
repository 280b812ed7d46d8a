"""LaTeX for programs and gradients, through a subclass of SymPy's ``LatexPrinter``.

Adjoints print as the lecture writes them, ``\\bar{S}`` for dF/dS; auxiliary
rule temporaries keep their names.
"""
from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter


class SymdiffLatexPrinter(LatexPrinter):
    """LatexPrinter that knows which symbols are adjoints."""

    def __init__(self, adjoint_of: dict[sp.Symbol, sp.Symbol] | None = None, settings=None):
        settings = dict(settings or {})
        names = dict(settings.pop("symbol_names", {}) or {})
        base = LatexPrinter(settings)
        for node, adj in (adjoint_of or {}).items():
            names.setdefault(adj, rf"\bar{{{base._print(node)}}}")
        settings["symbol_names"] = names
        super().__init__(settings)


def program_latex(program, adjoint_of=None, *, environment: str = "align*") -> str:
    """The program as an ``align*`` block, one ``target &= rhs`` line per assignment."""
    printer = SymdiffLatexPrinter(adjoint_of)
    rows = [f"{printer.doprint(t)} &= {printer.doprint(e)}" for t, e in program.assignments]
    body = " \\\\\n".join(rows)
    return f"\\begin{{{environment}}}\n{body}\n\\end{{{environment}}}"


def expr_latex(expr, adjoint_of=None) -> str:
    return SymdiffLatexPrinter(adjoint_of).doprint(expr)
