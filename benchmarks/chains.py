"""Benchmark functions shared by the benchmark modules and the tests."""
from __future__ import annotations

import sympy as sp

from symdiff import Program


def b3_chain(levels: int) -> Program:
    """B3: (a1, a2, a3) <- (sin(a1+a2+a3), a1*a2*a3, exp(-(a1-a2)^2)*a3), L times.

    Built as a Program so every level's values are named: as one SymPy
    expression the chain is a tree of exponential size.
    """
    x1, x2, x3 = sp.symbols("x1 x2 x3", real=True)
    p = Program(inputs=(x1, x2, x3))
    a1, a2, a3 = x1, x2, x3
    for k in range(1, levels + 1):
        a1, a2, a3 = (p.let(f"a1_{k}", sp.sin(a1 + a2 + a3)),
                      p.let(f"a2_{k}", a1 * a2 * a3),
                      p.let(f"a3_{k}", sp.exp(-(a1 - a2) ** 2) * a3))
    p.let("f", a1 + a2 + a3)
    return p


def b3_expression(levels: int) -> sp.Expr:
    """The same chain as one SymPy expression, for sympy.diff (unevaluated to build fast)."""
    x1, x2, x3 = sp.symbols("x1 x2 x3", real=True)
    a1, a2, a3 = x1, x2, x3
    for _ in range(levels):
        a1, a2, a3 = sp.sin(a1 + a2 + a3), a1 * a2 * a3, sp.exp(-(a1 - a2) ** 2) * a3
    return a1 + a2 + a3


def b4_mlp(hidden: int, n_in: int = 4, n_out: int = 3, label: int = 0):
    """B4: scalar MLP, tanh hidden units, softmax cross-entropy of one labelled sample.

    Returns (program, parameters, inputs) with every weight and bias a symbol.
    """
    xs = sp.symbols(f"x0:{n_in}", real=True)
    W = [[sp.Symbol(f"W_{j}_{i}", real=True) for i in range(n_in)] for j in range(hidden)]
    b = [sp.Symbol(f"b_{j}", real=True) for j in range(hidden)]
    V = [[sp.Symbol(f"V_{k}_{j}", real=True) for j in range(hidden)] for k in range(n_out)]
    c = [sp.Symbol(f"c_{k}", real=True) for k in range(n_out)]
    p = Program(inputs=xs)
    h = [p.let(f"h_{j}", sp.tanh(sp.Add(*[W[j][i] * xs[i] for i in range(n_in)]) + b[j]))
         for j in range(hidden)]
    o = [p.let(f"o_{k}", sp.Add(*[V[k][j] * h[j] for j in range(hidden)]) + c[k]) for k in range(n_out)]
    lse = p.let("lse", sp.log(sp.Add(*[sp.exp(ok) for ok in o])))
    p.let("loss", lse - o[label])
    params = [w for row in W for w in row] + b + [v for row in V for v in row] + c
    return p, params, xs
