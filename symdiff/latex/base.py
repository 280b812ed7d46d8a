"""Limits of the LaTeX reader, its internal error with a source extent, shape helpers."""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..errors import ParseError, ShapeMismatchError
MAX_LATEX_LENGTH = 20_000      # characters; parsing takes ~0.15 ms/char, so ~3 s at most
MAX_STATEMENT_LENGTH = 4 * MAX_LATEX_LENGTH   # a statement: a formula with its clauses or a chain of them
MAX_NESTING = 50               # bracket depth; deeper input would hit Python's recursion limit
MAX_TERM_PIECES = 1_000        # atoms and operators in one term handed to the library
MAX_EXPANDED_TERMS = 20_000    # terms produced by expanding sums over declared vectors
MAX_VECTOR_LENGTH = 1_000      # integer length of a vector expanded into scalar symbols
MAX_NUMERIC_EXPONENT = 1_000   # |k| in a numeric power n^k, so 10^{10^9} cannot hang
MAX_POWER_DIGITS = 10_000      # digits of an exact numeric power, so towers cannot hang
MAX_LITERAL_DIGITS = 4_000     # digits of a number written out (Python reads at most 4,300)
MAX_SYMBOLIC_DETERMINANT = 7   # order of a written-out determinant of symbolic entries (n! terms)

# ---------------------------------------------------------------------------
# Errors and source positions
# ---------------------------------------------------------------------------

class Problem(Exception):
    """Internal error with an optional source extent; becomes a ParseError."""

    def __init__(self, message: str, pos: int | None = None, end: int | None = None):
        super().__init__(message)
        self.message, self.pos, self.end = message, pos, end

    def at(self, pos: int | None, end: int | None) -> "Problem":
        """The same problem placed at a source extent (its kind and details kept)."""
        return Problem(self.message, pos, end)


class ShapeProblem(Problem):
    """A product or sum of matrices whose shapes do not fit: becomes a ShapeMismatchError.

    ``operands``: ``(declared name or None, shape)`` in order; ``choices``: the reader's
    choice points met in the formula, filled in once the formula is read."""

    def __init__(self, message: str, operation: str, operands: tuple, pos: int | None = None,
                 end: int | None = None, choices: dict | None = None):
        super().__init__(message, pos, end)
        self.operation, self.operands, self.choices = operation, tuple(operands), dict(choices or {})

    def at(self, pos: int | None, end: int | None) -> "ShapeProblem":
        return ShapeProblem(self.message, self.operation, self.operands, pos, end, self.choices)


def parse_error(text: str, problem: Problem) -> ParseError:
    message = " ".join(problem.message.split())  # SymPy's messages span lines
    if isinstance(problem, ShapeProblem):
        def error(message, **where):
            return ShapeMismatchError(message, operation=problem.operation, operands=problem.operands,
                                      choices=problem.choices, **where)
    else:
        error = ParseError
    if problem.pos is None:
        return error(message, text=text if len(text) <= 80 else text[:77] + "...")
    pos = min(problem.pos, len(text))
    end = max(problem.end if problem.end is not None else pos + 1, pos + 1)
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    snippet = text[pos:end] or text[max(0, pos - 10):pos]
    if len(snippet) > 60:
        snippet = snippet[:57] + "..."
    return error(message, line=line, column=column, text=snippet)

def explicit_determinant(matrix: sp.MatrixBase):
    """The determinant of a written-out square matrix, expanded before anything is budgeted.

    Fraction-free elimination (SymPy's default) cancels polynomial entries and takes
    seconds from 5x5 on; cofactor expansion builds the n! products directly, so symbolic
    matrices above 3x3 use it, and those above ``MAX_SYMBOLIC_DETERMINANT`` are refused."""
    n = matrix.rows
    if n <= 3 or all(entry.is_number for entry in matrix):
        return matrix.det()
    if n > MAX_SYMBOLIC_DETERMINANT:
        raise Problem(f"determinant of a {n}x{n} matrix of symbolic entries is too large to expand "
                      f"(at most {MAX_SYMBOLIC_DETERMINANT}x{MAX_SYMBOLIC_DETERMINANT})")
    return matrix.det(method="laplace")


def is_matrix(value) -> bool:
    return isinstance(value, (MatrixExpr, sp.MatrixBase))


def shape_text(value) -> str:
    return "x".join(str(d) for d in value.shape) if is_matrix(value) else "scalar"
