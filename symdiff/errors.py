"""Every error symdiff raises on bad input is a SymdiffError subclass.

Messages name the problem and where it is (line, node, file, claim), so the
CLI can print one line and exit with status 2.
"""
from __future__ import annotations


class SymdiffError(Exception):
    """Base class of all symdiff errors."""


class LocatedError(SymdiffError):
    """An error in user text, with the line and column where it is."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None,
                 text: str | None = None):
        where = []
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column}")
        full = message
        if where:
            full = f"{', '.join(where)}: {message}"
        if text:
            full = f"{full}: {text!r}"
        super().__init__(full)
        self.line = line
        self.column = column
        self.text = text


class ParseError(LocatedError, ValueError):
    """Program text, an expression string or LaTeX could not be parsed."""


class UnknownFunctionError(ParseError):
    """A call of a name that is not a function of the rule table."""


class ProgramError(SymdiffError, ValueError):
    """A structurally invalid program (name assigned twice, no output, a cycle...)."""


class NoRuleError(SymdiffError, NotImplementedError):
    """A primitive with no vector-Jacobian rule."""


class ShapeError(LocatedError, ValueError):
    """Shapes that do not fit together; the message names both shapes and the op."""


class ShapeMismatchError(ParseError, ShapeError):
    """A formula read without doubt whose matrix product or sum does not fit at the declared sizes.

    ``operation`` is 'product' or 'sum'; ``operands`` lists ``(name or None, shape)`` of the
    operands in order; ``choices`` the reader's choice points met in the formula (key ->
    the other reading), so a caller can tell an ill-shaped formula from a misread one.
    """

    def __init__(self, message: str, *, operation: str, operands: tuple = (), choices: dict | None = None,
                 line: int | None = None, column: int | None = None, text: str | None = None):
        super().__init__(message, line=line, column=column, text=text)
        self.operation = operation
        self.operands = tuple(operands)
        self.shapes = tuple(shape for _, shape in self.operands)
        self.choices = dict(choices or {})
        self.message = message


class ClosedFormTooLarge(SymdiffError):
    """Substituting intermediates would blow the closed form up; carries the estimate."""

    def __init__(self, message: str, estimated_size: int):
        super().__init__(message)
        self.estimated_size = estimated_size

    @property
    def size_text(self) -> str:
        """The estimate for people: '12,345' or, past a million, '3.4 x 10^301' (not 302 digits)."""
        return readable_count(self.estimated_size)


def readable_count(n: int) -> str:
    """'12,345' below a million, else a mantissa and a power of ten: '3.4 x 10^301'."""
    if n < 10 ** 6:
        return f"{n:,}"
    exponent = len(str(n)) - 1
    return f"{int(str(n)[:2]) / 10:.1f} x 10^{exponent}"


class BudgetExceeded(SymdiffError, TimeoutError):
    """A symbolic step did not finish within its time budget."""


class EvaluationError(SymdiffError, ArithmeticError):
    """A numeric evaluation failed (singular matrix, NaN in a backward pass...)."""


class BackendError(SymdiffError, NotImplementedError):
    """An op a backend cannot run, an unknown backend, or a missing optional dependency."""


class SymdiffWarning(UserWarning):
    """A step degraded gracefully (budget ran out, a closed form was too large...)."""
