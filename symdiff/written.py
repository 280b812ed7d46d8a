"""Where a formula, as written, has no value: noted before SymPy's evaluation can drop it.

SymPy evaluates while it builds: ``(x - y)**2/(x - y)`` becomes ``x - y`` and
``x*log(x)/log(x)`` becomes ``x``, so the expression a reader returns is defined
at points where the text is not.  The readers (program text, expression strings,
LaTeX) pass every divisor and every node they build to ``note``; a caller that
needs the singular points of the text as written (the verifier: a side undefined
at a point is never proved equal to one defined there) reads the text inside
``noting()`` and gets the list of expressions ``g`` such that the text is
undefined where ``g = 0``.  Outside ``noting()`` a note costs one lookup.
"""
from __future__ import annotations

import contextlib
import contextvars

import sympy as sp

__all__ = ["zero_conditions", "note", "note_divisor", "noting", "start_part", "MAX_NOTES"]

MAX_NOTES = 2000          # conditions kept per reading (more: the reading says so, see ``noting``)

_NOTES: contextvars.ContextVar[list | None] = contextvars.ContextVar("symdiff_written_notes", default=None)


def zero_conditions(node) -> list:
    """``g`` such that ``node`` itself (its top level, not its arguments) is undefined where ``g = 0``:
    the base of a negative power, ``cos`` under ``tan``/``sec``, ``sin`` under ``cot``/``csc``,
    the argument of ``log``."""
    if isinstance(node, sp.Pow) and node.exp.is_number and node.exp.is_negative:
        return [node.base]
    if isinstance(node, (sp.tan, sp.sec)):
        return [sp.cos(node.args[0])]
    if isinstance(node, (sp.cot, sp.csc)):
        return [sp.sin(node.args[0])]
    if isinstance(node, sp.log):
        return [node.args[0]]
    return []


def _keep(g) -> None:
    notes = _NOTES.get()
    if notes is None or not isinstance(g, sp.Expr) or not g.free_symbols or g.is_number:
        return
    if len(notes) >= MAX_NOTES:
        notes.overflow = True
        return
    notes.append(g)
    if notes.parts:
        notes.parts[-1].append(g)


def start_part() -> None:
    """The reader starts the next side of a relation (``a = b``): ``notes.parts`` keeps them apart."""
    notes = _NOTES.get()
    if notes is not None:
        notes.parts.append([])


def note(node):
    """A node a reader has just built (after SymPy's evaluation of it); returns it."""
    if _NOTES.get() is not None and isinstance(node, sp.Basic):
        for g in zero_conditions(node):
            _keep(g)
        if isinstance(node, sp.log):   # a zero of a log argument is no division by zero
            notes = _NOTES.get()
            if notes is not None and len(notes.log_arguments) < MAX_NOTES:
                notes.log_arguments.append(node.args[0])
    return node


def note_divisor(divisor) -> None:
    """The divisor of a quotient, before the quotient is formed (and perhaps cancelled)."""
    if _NOTES.get() is not None:
        _keep(divisor)


class _Notes(list):
    overflow = False

    def __init__(self):
        super().__init__()
        self.parts: list[list] = []
        self.log_arguments: list = []


@contextlib.contextmanager
def noting():
    """Collect the conditions the readers note inside the block: ``with noting() as notes: ...``;
    ``notes.overflow`` says some were dropped (more than ``MAX_NOTES``); ``notes.parts`` has them
    side by side for a relation the LaTeX reader split."""
    notes = _Notes()
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)
