r"""Leibniz fractions ``\frac{\partial a}{\partial b}`` in a claim, read off the file's function.

The lecture writes a derivative between two nodes of the computation graph in
terms of the other nodes (``\frac{\partial E}{\partial P} = I \operatorname{sign} D - ...``).
symdiff's reverse pass computes it over the part of the function ``a`` depends
on, with the forward intermediates kept (``Gradient.in_intermediates``);
generic functions differentiate by the rules of ``registry.rules_with_generic``.
"""
from __future__ import annotations

import sympy as sp

from ..closed_form import closed_forms
from ..errors import SymdiffError
from ..program import Program, value_symbols
from ..reverse import gradient
from .model import FunctionDef
from .names import parser_name
from .registry import rules_with_generic

__all__ = ["leibniz_fraction", "derivative_in_intermediates"]


def leibniz_fraction(function: FunctionDef | None, num: str, den: str):
    """``\\frac{\\partial num}{\\partial den}`` for the file's [function] (either way round)."""
    program = function.program if function is not None and function.program is not None else None
    if program is None and function is not None and function.expr is not None:
        program = Program.from_expr(function.expr, output=function.name)
    if program is None:
        raise SymdiffError(f"\\frac{{\\partial {num}}}{{\\partial {den}}} needs a [function]")
    a = _node(num, program)
    b = _node(den, program)
    if (a == program.output or a in program) and b in _depends_on(program, a):
        return derivative_in_intermediates(program, a, b)
    if b in program and a in _depends_on(program, b):
        return 1 / derivative_in_intermediates(program, b, a)
    raise SymdiffError(f"\\frac{{\\partial {num}}}{{\\partial {den}}}: {num} does not depend on {den} "
                       f"(nor {den} on {num}) in the function")


def derivative_in_intermediates(program: Program, a, b):
    """d a / d b with the program's named intermediates kept (the lecture's form of a derivative)."""
    g = gradient(program.subprogram_for([a]), [b], rules=rules_with_generic())
    result = g.in_intermediates(b)
    # the linearized pass names pieces of right-hand sides (f_1 = exp(...)): put them back
    named = set(program.targets()) | set(program.inputs)
    closed = closed_forms(g.forward_part, keep=named)
    result = result.xreplace(closed) if closed else result
    if result.has(sp.Subs):   # a generic f'(u) at u = x, as the rule writes it: f'(x)
        result = result.replace(lambda e: isinstance(e, sp.Subs), lambda e: e.doit())
    return result


def _node(text: str, program: Program):
    name = parser_name(text)
    sym = program.symbol(name) if name else None
    if sym is None:
        raise SymdiffError(f"{text!r} is not a variable or intermediate of the function")
    return sym


def _depends_on(program: Program, node) -> set:
    """Every input and intermediate ``node`` depends on (itself excluded)."""
    out, stack = set(), [node]
    while stack:
        s = stack.pop()
        if s in program:
            for a in value_symbols(program.definition(s)):
                if a not in out:
                    out.add(a)
                    stack.append(a)
    return out
