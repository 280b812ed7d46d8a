"""Closed forms of straight-line programs: each intermediate substituted into what uses it.

A program names every intermediate (the lecture's form, linear in the size of
the DAG); a closed form writes a value in the inputs alone, or in the inputs
and the names in ``keep`` (``Gradient.in_intermediates``: the forward
intermediates kept, the adjoints substituted).  Substituting can blow up
exponentially on a DAG, so ``max_size`` refuses, with ``ClosedFormTooLarge``,
before a right-hand side of more tree nodes than that is built.

This is the one substitution loop of symdiff: the reverse pass
(``Gradient.closed_form``, ``in_intermediates``), the verifier and the
derivations call it.
"""
from __future__ import annotations

from typing import Iterable

from sympy.matrices.expressions.matexpr import MatrixExpr

from .errors import ClosedFormTooLarge
from .matrix import Broadcast

__all__ = ["closed_forms", "closed_form", "tree_size"]


def closed_forms(assignments: Iterable, *, keep=(), max_size: int | None = None) -> dict:
    """Every target of ``assignments`` -> its right-hand side with earlier targets substituted.

    ``assignments`` are ``(target, expr)`` pairs in program order.  A target
    in ``keep`` stays a name: it is neither substituted nor given a closed form.
    ``max_size`` bounds the tree size of each closed form (a kept name counts
    as one node); beyond it ``ClosedFormTooLarge`` names the target and the size.
    """
    keep = set(keep)
    closed: dict = {}
    sizes: dict = {}
    for target, expr in assignments:
        if target in keep:
            continue
        if max_size is not None:
            size = tree_size(expr, sizes)
            if size > max_size:
                raise ClosedFormTooLarge(f"the closed form of {target} would have about {size} tree nodes "
                                         f"(limit {max_size})", size)
            sizes[target] = size
        closed[target] = expr.xreplace(closed) if closed else expr
    return closed


def closed_form(program, target=None, *, keep=(), max_size: int | None = None, sympy_matrix: bool = False):
    """``target`` (default: the program's output) in closed form, over the lines it depends on.

    ``keep`` and ``max_size`` as in ``closed_forms``.  ``sympy_matrix`` puts a
    matrix result in SymPy's own spelling, the one closed forms are read and
    compared in: ``doit`` ((Xᵀ)ᵀ = X, A·I = A) and a ``Broadcast`` written as
    SymPy's ones product 1 vᵀ.
    """
    target = program.output if target is None else target
    cone = program.subprogram_for([target])
    result = closed_forms(cone.assignments, keep=keep, max_size=max_size).get(target, target)
    if sympy_matrix and isinstance(result, MatrixExpr):
        result = result.doit()
        if result.has(Broadcast):
            result = result.replace(lambda e: isinstance(e, Broadcast), lambda e: e.as_ones_product()).doit()
    return result


def tree_size(expr, sizes: dict) -> int:
    """Tree size of expr with each symbol in sizes standing for a tree of that size."""
    total, stack = 0, [expr]
    while stack:
        e = stack.pop()
        if e in sizes:
            total += sizes[e]
        else:
            total += 1
            stack.extend(e.args)
    return total
