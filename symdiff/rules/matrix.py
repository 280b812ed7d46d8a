"""The matrix vector-Jacobian rule table: one entry per declared matrix node type.

The entries come from the declarations in ``symdiff.primitives.matrix``.
"""
from __future__ import annotations

from ..matrix import hadamard, inner, is_matrix
from ..primitives import on_declare
from ..vocabulary import MATRIX_NAMES
from .base import RuleTable

MATRIX_RULES = RuleTable(names=MATRIX_NAMES)


def _enter(p):
    if p.matrix and p.rule is not None:
        MATRIX_RULES.rules[p.head] = p.rule


on_declare(_enter)

__all__ = ["MATRIX_RULES", "hadamard", "inner", "is_matrix"]
