"""Hypothesis strategies: random scalar expression DAGs that stay in their domain.

``expression_dags`` builds an expression node by node; each new node applies a
primitive to earlier nodes, so subexpressions are shared (a DAG, not a tree).
Arguments are wrapped to stay in the primitive's domain (log and sqrt of
1 + a^2, asin of tanh(a), division by 1 + a^2), so any real point is valid.
"""
from __future__ import annotations

import hypothesis.strategies as st
import sympy as sp

from ..functions import sigmoid, softplus, softsign

# name -> (arity, builder); builders keep the node inside its domain for all real inputs.
PRIMITIVES = {
    "add": (2, lambda a, b: a + b),
    "sub": (2, lambda a, b: a - b),
    "mul": (2, lambda a, b: a * b),
    "mul3": (3, lambda a, b, c: a * b * c),
    "div": (2, lambda a, b: a / (1 + b ** 2)),
    "square": (1, lambda a: a ** 2),
    "cube": (1, lambda a: a ** 3),
    "neg": (1, lambda a: -a),
    "scale": (1, lambda a: sp.Rational(3, 2) * a),
    "sin": (1, sp.sin),
    "cos": (1, sp.cos),
    "tanh": (1, sp.tanh),
    "exp": (1, lambda a: sp.exp(sp.tanh(a))),
    "log": (1, lambda a: sp.log(1 + a ** 2)),
    "sqrt": (1, lambda a: sp.sqrt(1 + a ** 2)),
    "atan": (1, sp.atan),
    "asin": (1, lambda a: sp.asin(sp.tanh(a) / 2)),
    "sigmoid": (1, sigmoid),
    "softplus": (1, softplus),
    "softsign": (1, softsign),
    "erf": (1, sp.erf),
    "recip": (1, lambda a: 1 / (2 + sp.sin(a))),
}


@st.composite
def expression_dags(draw, symbols, *, max_nodes: int = 8, primitives=None):
    """A random SymPy expression over ``symbols`` with shared subexpressions."""
    names = sorted(primitives or PRIMITIVES)
    nodes = list(symbols)
    n = draw(st.integers(1, max_nodes))
    for _ in range(n):
        name = draw(st.sampled_from(names))
        arity, build = PRIMITIVES[name]
        # choosing among all earlier nodes makes reuse (sharing) common
        args = [nodes[draw(st.integers(0, len(nodes) - 1))] for _ in range(arity)]
        nodes.append(build(*args))
    # combine the last node with an earlier one so more than one path reaches the output
    if len(nodes) > len(symbols) + 1 and draw(st.booleans()):
        return nodes[-1] + nodes[draw(st.integers(len(symbols), len(nodes) - 2))]
    return nodes[-1]


def points(n_vars: int, *, low: float = -2.0, high: float = 2.0):
    """Points with coordinates in [low, high], away from exact zero (where |x| kinks)."""
    coord = st.floats(low, high, allow_nan=False, allow_infinity=False).filter(lambda v: abs(v) > 1e-3)
    return st.tuples(*[coord] * n_vars)
