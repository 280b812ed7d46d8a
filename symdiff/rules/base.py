"""What a vector-Jacobian rule sees, and the table type rules are registered in."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import sympy as sp

TIE_POLICIES = ("first", "average", "all")


@dataclass
class RuleContext:
    """One primitive node during the reverse pass.

    ``expr`` is the node's right-hand side (a head over atoms), ``ans`` the
    symbol naming its value and ``g`` the adjoint flowing in (a symbol, or a
    number for the output).  ``let`` adds an auxiliary assignment to the
    adjoint program and returns its symbol, so a rule can share a subresult
    (prefix products, tie counts) instead of repeating it.
    ``elementwise_derivative(f)`` is f' for a scalar function f (a class or a
    Lambda) as a Lambda of (x, y = f(x)): the reverse pass supplies it, so a
    rule needing a sub-derivative never imports the reverse pass.
    """

    expr: sp.Expr
    ans: sp.Symbol
    g: sp.Expr
    let: Callable[[str, sp.Expr], sp.Symbol]
    tie_policy: str = "first"
    elementwise_derivative: Callable[[Callable], sp.Lambda] | None = None

    @property
    def args(self):
        return self.expr.args


Rule = Callable[[RuleContext], list]


@dataclass
class RuleTable:
    """Rules keyed by SymPy head (the class of a node's expression).

    ``names`` maps the function names accepted in program text to SymPy
    callables (the built-in tables share the vocabulary's dicts).
    """

    rules: dict[type, Rule] = field(default_factory=dict)
    names: dict[str, Callable] = field(default_factory=dict)

    def lookup(self, head: type) -> Rule | None:
        for cls in head.__mro__:
            rule = self.rules.get(cls)
            if rule is not None:
                return rule
        return None

    def copy(self) -> "RuleTable":
        return RuleTable(dict(self.rules), dict(self.names))
