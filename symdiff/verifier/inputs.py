"""Reading what ``verify`` is given: functions, claims, variables and their shapes.

A *form* is anything ``symdiff.gradient`` accepts (a SymPy expression, program
text, an expression string, a ``Program``), a LaTeX string (recognised by a
backslash, ``^``, ``{`` or ``}``; none of them can occur in program text) or an
explicit ``Latex(text, **parse_options)``.  A *shaped* value is a form, a list
of forms (a vector), a list of lists (a matrix) or a SymPy ``Matrix``.

Every scalar becomes a ``Block``: straight-line assignments plus output
expressions, the shape both the numeric evaluator (one line per assignment,
no closed-form blow-up) and the symbolic stage (closed forms, size-guarded)
work from.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..closed_form import closed_forms
from ..errors import SymdiffError
from ..program import Program, as_program, parse_expression, parse_program, looks_like_program
from ..written import noting
from .as_written import keep_singularities, line_conditions, line_divisors

__all__ = ["Latex", "ClaimShapeError", "UnknownVariableError", "Block", "looks_like_latex"]

MAX_CLOSED_FORM_SIZE = 20_000


class ClaimShapeError(SymdiffError, ValueError):
    """A claim (or one side of an identity) whose shape does not fit the layout convention."""


class UnknownVariableError(SymdiffError, ValueError):
    """A claim uses a variable the function does not have."""


class Latex:
    """Explicitly LaTeX: ``Latex(r"\\frac{1}{\\cosh^2 x}")``; options go to ``parse_latex``
    (``shapes``, ``functions``, ``variables``, ``assumptions``, ``index_base``...)."""

    __slots__ = ("text", "options")

    def __init__(self, text: str, **options):
        if not isinstance(text, str):
            raise SymdiffError(f"Latex() takes text, got {type(text).__name__}")
        self.text = text
        self.options = options

    def __repr__(self) -> str:
        extra = "".join(f", {k}={v!r}" for k, v in sorted(self.options.items()))
        return f"Latex({self.text!r}{extra})"


def looks_like_latex(text: str) -> bool:
    return any(c in text for c in "\\^{}")


def parse_latex_text(text: str, options: dict):
    try:
        from ..latex import parse_latex
    except ImportError as exc:  # pragma: no cover - the parser ships with symdiff
        raise SymdiffError(f"LaTeX input needs symdiff.latex.parse_latex: {exc}") from None
    return parse_latex(text, **options)


# ---------------------------------------------------------------------------
# Blocks: straight-line code with outputs
# ---------------------------------------------------------------------------

@dataclass
class Block:
    """``assignments`` (target, expr) in order, then ``outputs`` over inputs and targets."""

    assignments: list
    outputs: list
    closed: Callable[[int], sp.Expr] | None = None   # the closed form of output i
    _cache: dict = field(default_factory=dict, repr=False)

    def closed_form(self, i: int) -> sp.Expr:
        if self.closed is not None:
            return self.closed(i)
        if "subs" not in self._cache:
            self._cache["subs"] = closed_forms(self.assignments, max_size=MAX_CLOSED_FORM_SIZE)
        subs = self._cache["subs"]
        out = self.outputs[i]
        return out.xreplace(subs) if subs else out

    def written_conditions(self, i: int) -> list:
        """Closed forms of ``g`` where a line output ``i`` depends on (as written) is undefined at ``g = 0``."""
        found = line_conditions(self.assignments, self.outputs[i])
        if not found:
            return []
        return self._in_closed_form(found)

    def _in_closed_form(self, found: list) -> list:
        if "subs" not in self._cache:
            self._cache["subs"] = closed_forms(self.assignments, max_size=MAX_CLOSED_FORM_SIZE)
        subs = self._cache["subs"]
        return [g.xreplace(subs) for g in found] if subs else found

    def written_divisors(self, i: int) -> list:
        """The part of ``written_conditions(i)`` that divides by zero (not a log argument)."""
        found = line_divisors(self.assignments, self.outputs[i])
        if not found:
            return []
        return self._in_closed_form(found)

    @property
    def symbols(self) -> set:
        """Input symbols (free symbols that are not assignment targets)."""
        targets = {t.name for t, _ in self.assignments}
        found = set()
        for e in [e for _, e in self.assignments] + list(self.outputs):
            found |= {s for s in e.free_symbols if isinstance(s, sp.Symbol) and s.name not in targets}
        return found

    @property
    def target_names(self) -> set[str]:
        return {t.name for t, _ in self.assignments}


def expr_block(expr: sp.Expr) -> Block:
    return Block([], [expr])


def program_block(program: Program) -> Block:
    return Block(list(program.assignments), [program.output])


# ---------------------------------------------------------------------------
# Forms
# ---------------------------------------------------------------------------

def parse_form(obj, *, role: str, as_function: bool):
    """One value: a SymPy Expr, a ``Program`` or a SymPy Matrix (from LaTeX).

    ``as_function`` keeps expression strings as programs in the shape they are
    written (what ``symdiff.gradient`` differentiates); otherwise they are parsed
    to one expression.
    """
    if isinstance(obj, Latex) or (isinstance(obj, str) and looks_like_latex(obj)):
        text, options = (obj.text, obj.options) if isinstance(obj, Latex) else (obj, {})
        with noting() as notes:
            value = parse_latex_text(text, options)
        if _is_condition(value):
            raise SymdiffError(f"the {role} {text!r} is an equation or condition, not an expression; "
                               f"pass only its right-hand side (or compare two sides with verify_identity)")
        value = _check_value(value, role)
        return value if as_function else keep_singularities(value, notes)
    if isinstance(obj, str):
        if as_function:
            return as_program(obj)
        with noting() as notes:   # what SymPy's evaluation cancels, (x-y)**2/(x-y), stays undefined at x = y
            value = parse_program(obj) if looks_like_program(obj) else parse_expression(obj)
        return keep_singularities(value, notes)
    if isinstance(obj, Program):
        return obj
    if isinstance(obj, bool):
        raise SymdiffError(f"the {role} is a boolean ({obj}), not an expression")
    if isinstance(obj, (int, float)):
        return sp.sympify(obj)
    if isinstance(obj, numbers.Rational) and not isinstance(obj, sp.Basic):   # Fraction, numpy integers: exactly
        return sp.Rational(int(obj.numerator), int(obj.denominator))
    if isinstance(obj, numbers.Real) and not isinstance(obj, sp.Basic):       # numpy float32...
        return sp.Float(float(obj))
    if _is_condition(obj):
        raise SymdiffError(f"the {role} {obj} is an equation or condition, not an expression")
    if isinstance(obj, (sp.Basic, sp.MatrixBase)):  # a mutable Matrix is no Basic
        return _check_value(obj, role)
    raise SymdiffError(f"cannot read the {role} from {type(obj).__name__}; expected a SymPy expression, "
                       f"program text, an expression string, LaTeX, or a list/Matrix of them")


def _is_condition(value) -> bool:
    """Relations and logic (a Symbol is a Boolean to SymPy too, but also an Expr)."""
    return isinstance(value, sp.logic.boolalg.Boolean) and not isinstance(value, (sp.Expr, MatrixExpr))


def _check_value(value, role):
    if isinstance(value, MatrixExpr) and not isinstance(value, sp.MatrixBase):
        if not value.atoms(sp.MatrixSymbol) and all(getattr(d, "is_Integer", False) or isinstance(d, int)
                                                    for d in value.shape):
            return sp.ImmutableMatrix(value.as_explicit())
        raise SymdiffError(f"the {role} is a symbolic matrix expression ({value}); matrix variables are not "
                           f"supported by verify yet: give vectors as lists of scalar symbols")
    if isinstance(value, sp.MatrixBase):
        return sp.ImmutableMatrix(value)
    if not isinstance(value, sp.Expr):
        raise SymdiffError(f"the {role} {value} is not an expression")
    if value.has(sp.I) or any(s.is_real is False for s in value.free_symbols if isinstance(s, sp.Symbol)):
        raise SymdiffError(f"the {role} {value} is complex; verify checks real-valued functions")
    return value


def describe_shape(shape: tuple) -> str:
    if shape == ():
        return "a scalar"
    if len(shape) == 1:
        return f"a list of {shape[0]} entr{'y' if shape[0] == 1 else 'ies'}"
    return f"a {shape[0]} x {shape[1]} matrix"


def shaped(obj, *, role: str, as_function: bool):
    """``(shape, entries)``: shape ``()``, ``(n,)`` or ``(rows, cols)``; entries row-major."""
    if isinstance(obj, (list, tuple)):
        if not obj:
            raise ClaimShapeError(f"the {role} is an empty list")
        nested = [isinstance(e, (list, tuple, sp.MatrixBase)) for e in obj]
        if all(nested):
            rows = [shaped(list(r) if isinstance(r, sp.MatrixBase) else r, role=role,
                           as_function=as_function) for r in obj]
            lengths = {s for s, _ in rows}
            if len(lengths) != 1 or len(next(iter(lengths))) != 1:
                raise ClaimShapeError(f"the {role} is a ragged list of lists: rows of "
                                      f"{', '.join(describe_shape(s) for s, _ in rows)}")
            (n,), = lengths
            return (len(rows), n), [e for _, entries in rows for e in entries]
        if any(nested):
            raise ClaimShapeError(f"the {role} mixes lists and single entries")
        entries = []
        for e in obj:
            v = parse_form(e, role=f"entry of the {role}", as_function=as_function)
            if isinstance(v, sp.MatrixBase):
                raise ClaimShapeError(f"an entry of the {role} is itself a {v.rows} x {v.cols} matrix")
            entries.append(v)
        return (len(entries),), entries
    if isinstance(obj, np.ndarray):
        return shaped(obj.tolist(), role=role, as_function=as_function)
    value = parse_form(obj, role=role, as_function=as_function)
    if isinstance(value, sp.MatrixBase):
        entries = [parse_form(e, role=f"entry of the {role}", as_function=as_function) for e in value]
        return (value.rows, value.cols), entries
    return (), [value]


def fits(shape: tuple, expected: tuple) -> bool:
    """Whether a given shape is acceptable for the expected layout.

    A vector of n is a list of n or an n x 1 column; an m x 1 matrix also takes a
    list of m; the single entry of a 1-vector's gradient may be a scalar.
    """
    if shape == expected:
        return True
    if shape == () and expected in ((1,), (1, 1)):   # the one entry of a 1-vector's gradient, as a scalar
        return True
    if len(expected) == 1:
        return shape == (expected[0], 1)
    if len(expected) == 2 and expected[1] == 1:
        return shape == (expected[0],)
    return False
