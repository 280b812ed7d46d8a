"""The scalar vector-Jacobian rule table: one entry per declared scalar primitive.

The entries come from the declarations (``symdiff.primitive``, built-ins in
``symdiff.primitives``).  Functions declared without a rule (erf, loggamma,
asinh, ...) fall back on the ``sp.Function`` entry, SymPy's own ``fdiff``.
An entry is added by declaring a primitive, the one way (docs/primitives.md).
"""
from __future__ import annotations

import sympy as sp

from ..errors import NoRuleError
from ..primitives import on_declare
from ..vocabulary import SCALAR_NAMES
from .base import RuleTable

SCALAR_RULES = RuleTable(names=SCALAR_NAMES)


def _enter(p):
    if not p.matrix and p.rule is not None:
        SCALAR_RULES.rules[p.head] = p.rule


def _through_fdiff(ctx):
    """Any other SymPy function, through its own derivative (erf, loggamma...)."""
    out = []
    for i, arg in enumerate(ctx.args):
        try:
            d = ctx.expr.fdiff(i + 1)
        except Exception as exc:  # SymPy raises ArgumentIndexError and others
            try:
                why = f": {exc}"
            except Exception:     # (SymPy's ArgumentIndexError cannot print itself when raised bare)
                why = f" ({type(exc).__name__})"
            raise NoRuleError(f"no derivative rule for {ctx.expr.func.__name__} "
                              f"(argument {i + 1}){why}") from None
        if d.has(sp.Derivative, sp.Subs):
            raise NoRuleError(f"no derivative rule for {ctx.expr.func.__name__}: "
                              f"SymPy leaves its derivative unevaluated")
        out.append((arg, ctx.g * d))
    return out


on_declare(_enter)
SCALAR_RULES.rules[sp.Function] = _through_fdiff
