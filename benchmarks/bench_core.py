"""Core benchmarks: B3 chain, B4 scalar MLP, batched evaluation.

B3 and B4 time gradient *generation* against sympy.diff + cse in the same
run, and report the op-count ratio program/forward; the evaluation rows time
compiled value-and-gradient against the compiled value alone over 1000 points.
"""
from __future__ import annotations

import time

import numpy as np
import sympy as sp

import symdiff
from benchmarks._timing import Row, median_time, paired_times
from benchmarks.chains import b3_chain, b3_expression, b4_mlp


def _once(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def _sympy_grad_cse(expr, wrt):
    grads = [sp.diff(expr, w) for w in wrt]
    return sp.cse(grads)


def bench_b3(quick: bool) -> list[Row]:
    rows = []
    levels = (10, 30, 100) if quick else (10, 30, 100, 300, 1000)
    per_level = []
    for L in levels:
        p = b3_chain(L)
        t, g = _once(lambda: symdiff.gradient(p, ["x1", "x2", "x3"]))
        ratio = g.program.op_count() / g.forward.op_count()
        linear_forward = sum(sp.count_ops(e) for _, e in g.forward_part)
        per_level.append(t / L)
        rows.append(Row("B3", f"L={L} generation", t, None, unit="s", note=f"{t / L * 1e3:.2f} ms/level"))
        # count_ops counts the user's z*exp(-u) as one DIV, the named exp(-u) node as NEG + EXP
        # plus a MUL: the same forward pass counts 9 ops a level as written, 10 once linearized.
        rows.append(Row("B3", f"L={L} op-count ratio", ratio, 1.0, "forward", target=3.0, unit="x",
                        note=f"{g.program.op_count() / linear_forward:.2f} against the linearized forward"))
    rows.append(Row("B3", "linearity: time/level at max L vs min L", per_level[-1], per_level[0],
                    f"L={levels[0]}", target=2.0, unit="s"))
    L_ref = 5 if quick else 7
    x1, x2, x3 = sp.symbols("x1 x2 x3", real=True)
    expr = b3_expression(L_ref)
    t_sympy, _ = _once(lambda: _sympy_grad_cse(expr, (x1, x2, x3)))
    p = b3_chain(L_ref)
    t_ours = median_time(lambda: symdiff.gradient(p, ["x1", "x2", "x3"]), repeat=5)
    rows.append(Row("B3", f"L={L_ref} generation vs sympy.diff+cse", t_ours, t_sympy, "sympy",
                    note="lower is better"))
    return rows


def bench_b4(quick: bool) -> list[Row]:
    rows = []
    sizes = (8, 16) if quick else (8, 16, 32, 64, 128)
    sympy_sizes = (8, 16) if quick else (8, 16, 32, 64)
    for h in sizes:
        p, params, _ = b4_mlp(h)
        t_ours, g = _once(lambda: symdiff.gradient(p, params))
        ratio = g.program.op_count() / g.forward.op_count()
        rows.append(Row("B4", f"h={h} op-count ratio", ratio, 1.0, "forward", target=2.5, unit="x",
                        note="CasADi: 1.65"))
        if h in sympy_sizes:
            # sympy.diff on the loss as one expression, one derivative per parameter, then cse
            loss = _inline(p)
            t_sympy, _ = _once(lambda: _sympy_grad_cse(loss, params))
            rows.append(Row("B4", f"h={h} generation vs sympy.diff+cse", t_ours, t_sympy, "sympy",
                            target=1 / 20, note=f"{len(params)} parameters; target: 20x faster"))
        else:
            rows.append(Row("B4", f"h={h} generation", t_ours, None, note=f"{len(params)} parameters"))
    return rows


def _inline(program):
    """The program as one SymPy expression (fine for B4: a tree of modest size)."""
    env = {}
    for target, expr in program.assignments:
        env[target] = expr.xreplace(env)
    return env[program.output]


def bench_eval(quick: bool) -> list[Row]:
    rows = []
    rng = np.random.default_rng(0)
    cases = {
        "lecture F=sin(x+y)/(xy)": (symdiff.parse_program("S = x + y\nG = sin(S)\nM = x*y\nH = 1/M\nF = G*H"),
                                     ["x", "y"]),
        "B3 L=10": (b3_chain(10), ["x1", "x2", "x3"]),
        "B4 h=16": None,
    }
    p4, params4, xs4 = b4_mlp(16)
    cases["B4 h=16"] = (p4, [s.name for s in (*xs4, *params4)])
    for name, (program, args) in cases.items():
        g = symdiff.gradient(program, args)
        value_fn = symdiff.compile(program, args)
        grad_fn = symdiff.compile(g, args)
        points = [rng.uniform(0.5, 1.5, size=1000) for _ in args]
        t_value = median_time(lambda: value_fn(*points), repeat=9, min_time=0.02)
        t_both = median_time(lambda: grad_fn(*points), repeat=9, min_time=0.02)
        rows.append(Row("eval", f"{name}: value+grad vs value, 1000 points", t_both, t_value, "value",
                        target=3.0, note="cheap-gradient bound ~4; CasADi 2.4"))
    # the case: B3 with L = 100, value and value+gradient timed in alternating rounds (CPU time)
    args = ["x1", "x2", "x3"]
    program = b3_chain(100)
    value_fn = symdiff.compile(program, args)
    grad_fn = symdiff.compile(symdiff.gradient(program, args), args)
    points = [rng.uniform(0.5, 1.5, size=1000) for _ in args]
    (t_value, t_both), (_, ratio) = paired_times([lambda: value_fn(*points), lambda: grad_fn(*points)],
                                                 repeat=9 if quick else 21)
    rows.append(Row("eval", "B3 L=100: value+grad vs value, 1000 points (paired, CPU)", t_both, t_both / ratio,
                    "value", target=3.0, note="CasADi 2.4"))
    return rows


def run(quick: bool = False) -> list[Row]:
    return bench_b3(quick) + bench_b4(quick) + bench_eval(quick)
