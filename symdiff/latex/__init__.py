"""LaTeX for symdiff: ``parse_latex`` reads the lecture's formulas into SymPy;
``printer`` typesets programs and expressions (adjoints as ``\\bar{S}``)."""
from __future__ import annotations

from .parse import MAX_LATEX_LENGTH, Reading, latex_readings, parse_latex, read_latex
from .printer import SymdiffLatexPrinter, expr_latex, program_latex

__all__ = ["parse_latex", "latex_readings", "read_latex", "Reading", "MAX_LATEX_LENGTH", "SymdiffLatexPrinter", "expr_latex", "program_latex"]
