"""The sizes a matrix claim needs: what its products and sums require, and where that holds.

A claim such as ``X (X w - y)`` with ``X: (m, n)`` (a dropped transpose) is
read, but it is defined only when ``m = n``.  ``size_constraints`` lists what
the claim's shape and every product, sum, inverse, determinant and trace in it require (``n = m``),
``unify_sizes`` finds the most general sizes at which all of it holds (sizes
named alike are set equal, a fixed size wins), and ``violated_at`` evaluates
the requirements at given sizes: a requirement that fails there is an exact
fact (the claim has no value, or not the derivative's shape, at those sizes).
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

__all__ = ["SizeConstraint", "size_constraints", "unify_sizes", "violated_at", "shape_text"]


def shape_text(shape) -> str:
    return f"{sp.sstr(shape[0])} x {sp.sstr(shape[1])}"


@dataclass(frozen=True)
class SizeConstraint:
    """Two sizes that must be equal, and why (a sentence naming the shapes)."""

    left: sp.Basic
    right: sp.Basic
    why: str


def _matrix_args(node) -> list:
    return [a for a in node.args if isinstance(a, MatrixExpr)]


def size_constraints(claim, target_shape, target_text: str) -> list[SizeConstraint]:
    """What the claim needs: its products chain, its sums and entrywise products agree in shape, what it
    inverts is square, and its shape is ``target_shape`` (described by ``target_text``)."""
    out: list[SizeConstraint] = []
    seen = set()

    def need(a, b, why):
        a, b = sp.sympify(a), sp.sympify(b)
        if a != b and (a, b, why) not in seen:
            seen.add((a, b, why))
            out.append(SizeConstraint(a, b, why))

    for node in sp.preorder_traversal(claim):
        if isinstance(node, (sp.Determinant, sp.Trace)) and isinstance(node.args[0], MatrixExpr):
            base = node.args[0]
            kind = "a determinant" if isinstance(node, sp.Determinant) else "a trace"
            need(base.shape[0], base.shape[1], f"{sp.sstr(base)} ({shape_text(base.shape)}) must be square to "
                                               f"have {kind}")
        if not isinstance(node, MatrixExpr):
            continue
        if isinstance(node, sp.MatMul):
            factors = _matrix_args(node)
            for a, b in zip(factors, factors[1:]):
                need(a.shape[1], b.shape[0], f"the product of {sp.sstr(a)} ({shape_text(a.shape)}) and "
                                             f"{sp.sstr(b)} ({shape_text(b.shape)}) needs "
                                             f"{sp.sstr(a.shape[1])} = {sp.sstr(b.shape[0])}")
        elif isinstance(node, (sp.MatAdd, sp.HadamardProduct)):
            terms = _matrix_args(node)
            kind = "sum" if isinstance(node, sp.MatAdd) else "entrywise product"
            for a, b in zip(terms, terms[1:]):
                for k in (0, 1):
                    need(a.shape[k], b.shape[k], f"the {kind} of {sp.sstr(a)} ({shape_text(a.shape)}) and "
                                                 f"{sp.sstr(b)} ({shape_text(b.shape)}) needs equal shapes")
        elif isinstance(node, (sp.Inverse, sp.MatPow)):
            base = node.args[0]
            need(base.shape[0], base.shape[1], f"{sp.sstr(base)} ({shape_text(base.shape)}) must be square to "
                                               f"be inverted or raised to a power")
    shape = getattr(claim, "shape", (1, 1))
    for k in (0, 1):
        need(shape[k], target_shape[k], f"the claim is {shape_text(shape)}, but {target_text}")
    return out


def unify_sizes(constraints: list[SizeConstraint], prefer=()) -> dict | None:
    """The most general substitution of sizes under which every constraint holds, or None when none
    does (two different fixed sizes meet) or a size is not a plain name or number.  A class of sizes
    set equal is named by a size in ``prefer`` (the derivative's own) when it holds one."""
    parent: dict = {}

    def find(s):
        while parent.get(s, s) != s:
            s = parent[s]
        return s

    for c in constraints:
        for side in (c.left, c.right):
            if not (isinstance(side, sp.Symbol) or side.is_Integer):
                return None
        a, b = find(c.left), find(c.right)
        if a == b:
            continue
        if a.is_Integer and b.is_Integer:
            return None
        if a.is_Integer or (a in prefer and b not in prefer and not b.is_Integer):
            a, b = b, a
        parent[a] = b                     # a joins b's class (a number or a preferred name stays on top)
    out = {}
    for s in parent:
        root = find(s)
        if s != root:
            if isinstance(s, sp.Symbol) and root.is_Integer and int(root) < 1:
                return None
            out[s] = root
    return out


def violated_at(constraints: list[SizeConstraint], sizes: dict) -> SizeConstraint | None:
    """The first constraint that fails at these sizes (every size of the constraints given)."""
    for c in constraints:
        a, b = c.left.xreplace(sizes), c.right.xreplace(sizes)
        if a.is_Integer and b.is_Integer and a != b:
            return c
    return None
