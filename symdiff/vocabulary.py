"""The names callable in program text, filled by the primitive declarations.

``symdiff.primitive(...)`` registers a primitive's names here; the program
parser reads them and never imports the rule tables.  ``SCALAR_NAMES`` apply
entrywise to a matrix argument; ``MATRIX_NAMES`` take matrices whole.
"""
from __future__ import annotations

from collections import ChainMap
from typing import Callable, Mapping

SCALAR_NAMES: dict[str, Callable] = {}
MATRIX_NAMES: dict[str, Callable] = {}
# one lookup, matrix names first; live: a name declared later is callable at once
FUNCTION_NAMES = ChainMap(MATRIX_NAMES, SCALAR_NAMES)


def add_names(names: Mapping[str, Callable], *, matrix: bool = False) -> None:
    """Make each name callable in program text (a matrix name takes its arguments whole)."""
    (MATRIX_NAMES if matrix else SCALAR_NAMES).update(names)
