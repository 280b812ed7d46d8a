"""The declaration of primitives: one call feeds the rule tables, the vocabulary of program text,
the witnesses' forward map and kink table, and the strategies; the parser needs no rule table."""
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp

import symdiff
from symdiff import tape as tp
from symdiff.errors import SymdiffError
from symdiff.primitives import DECLARED, new_function, primitive
from symdiff.reverse import DEFAULT_RULES
from symdiff.rules import SCALAR_RULES
from symdiff.rules.matrix import MATRIX_RULES
from symdiff.vocabulary import FUNCTION_NAMES, MATRIX_NAMES, SCALAR_NAMES
from symdiff.harness import kinked_heads
from symdiff.witnesses import FORWARD_OPS

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _fresh_python(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_parser_sees_every_built_in_name_without_the_rule_tables():
    out = _fresh_python(
        "import sys, symdiff.program as p\n"
        "print(sorted(p.FUNCTION_NAMES))\n"
        "print(any(m.startswith('symdiff.rules') or m == 'symdiff.reverse' for m in sys.modules))\n"
        "print(p.parse_expression('ln(x)'))")
    names, rules_loaded, parsed = out.splitlines()
    assert rules_loaded == "False"
    assert set(eval(names)) == set(FUNCTION_NAMES)   # our own printed list, not user text
    assert parsed == "log(x)"
    for name in ("relu", "ReLU", "ln", "sqrt", "round", "erf", "atan2", "Max", "trace", "logsumexp", "norm"):
        assert name in FUNCTION_NAMES


def test_every_declaration_reaches_its_table_and_every_table_entry_comes_from_a_declaration():
    for head, declared in DECLARED.items():
        table = MATRIX_RULES if declared.matrix else SCALAR_RULES
        if declared.rule is not None:
            assert table.rules[head] is declared.rule
            assert DEFAULT_RULES.lookup(head) is declared.rule
        if declared.tape is not None:
            assert FORWARD_OPS[head] is declared.tape
        for name, fn in declared.names.items():
            assert (MATRIX_NAMES if declared.matrix else SCALAR_NAMES)[name] is fn
    assert set(SCALAR_RULES.rules) - set(DECLARED) == {sp.Function}   # the fdiff fallback
    assert set(MATRIX_RULES.rules) <= set(DECLARED)
    assert set(FORWARD_OPS) <= set(DECLARED)
    for kind in ("zero", "ties"):
        assert set(kinked_heads(kind)) == {h for h, d in DECLARED.items() if d.kink == kind}


def test_the_built_in_families():
    assert DECLARED[sp.Max].kink == DECLARED[sp.Min].kink == "ties"
    assert {h for h, d in DECLARED.items() if d.kink == "zero"} >= {sp.Abs, symdiff.relu, symdiff.leaky_relu}
    assert DECLARED[sp.log].domain == (0.0, float("inf"))
    assert DECLARED[sp.erf].rule is None                 # through SymPy's fdiff
    assert DECLARED[sp.MatMul].matrix and "logdet" in MATRIX_NAMES


def test_a_declaration_is_checked():
    with pytest.raises(SymdiffError, match="kink"):
        primitive("bent", elementary=lambda x: sp.Abs(x), kink="corner")
    with pytest.raises(SymdiffError, match="not both"):
        primitive("bent", elementary=lambda x: x, vjp=lambda g, ans, x: g, rule=lambda ctx: [])
    with pytest.raises(SymdiffError, match="elementary form"):
        primitive("bent")
    with pytest.raises(SymdiffError, match="new function"):
        primitive(sp.exp, latex="e")
    assert "bent" not in FUNCTION_NAMES


def test_a_new_function_means_its_elementary_form():
    cube_sin = new_function("cube_sin", lambda x: sp.sin(x) ** 3)
    x = sp.Symbol("x", real=True)
    assert cube_sin(sp.Integer(0)) == 0                                    # numbers evaluate
    assert sp.simplify(sp.diff(cube_sin(x), x) - 3 * sp.sin(x) ** 2 * sp.cos(x)) == 0   # fdiff
    assert sp.latex(cube_sin(x)) == r"\operatorname{cube_sin}\left(x\right)"
    from sympy.printing.numpy import NumPyPrinter
    assert NumPyPrinter().doprint(cube_sin(x) ** 2) == "(numpy.sin(x)**3)**2"   # an atom where printed


def test_a_declared_primitive_is_differentiated_crosschecked_and_callable(restore_declarations):
    cube = primitive("cube_of", elementary=lambda x: x ** 3, numpy=lambda x: f"{x}**3",
                     vjp=lambda g, ans, x: 3 * g * x ** 2, tape=lambda v: v * v * v)
    assert "cube_of" in FUNCTION_NAMES and cube in SCALAR_RULES.rules and cube in FORWARD_OPS
    report = symdiff.crosscheck("F = cube_of(x) * sin(x)", "x", n_points=3)
    assert report.ok and report.witnesses == ("symbolic", "tape", "finite differences"), report
    g = symdiff.gradient("F = cube_of(x)", "x")
    x = sp.Symbol("x", real=True)
    assert g.closed_form("x") == 3 * x ** 2
    value, (dx,) = symdiff.compile(g)(2.0)
    assert (value, dx) == (8.0, 12.0)
    assert float(tp.grad(FORWARD_OPS[cube])(np.float64(2.0))) == 12.0   # the tape's own backward


@pytest.fixture
def restore_declarations():
    tables = [DECLARED, SCALAR_RULES.rules, SCALAR_NAMES, FORWARD_OPS]
    saved = [dict(t) for t in tables]
    yield
    for table, before in zip(tables, saved):
        table.clear()
        table.update(before)


def test_the_strategies_build_a_declared_primitive_inside_its_domain(restore_declarations):
    import math

    from symdiff.testing import PRIMITIVES
    from symdiff.testing.intervals import Interval
    from symdiff.testing.strategies import Node
    from symdiff.testing.sweeps import check_scalar_entry, uncovered_scalar_entries

    saved = dict(PRIMITIVES)
    try:
        log_of_1p = primitive("log_of_1p", elementary=lambda x: sp.log(1 + x), domain=(-1.0, math.inf),
                              image=lambda lo, hi: (math.log1p(lo), math.log1p(hi)),
                              vjp=lambda g, ans, x: g / (1 + x), tape=lambda v: tp.log(1 + v))
        arcsin_of = primitive("arcsin_of", elementary=sp.asin, domain=(-1.0, 1.0),
                              image=lambda lo, hi: (math.asin(lo), math.asin(hi)),
                              vjp=lambda g, ans, x: g / sp.sqrt(1 - x ** 2), tape=tp.arcsin)
        cosec = primitive("cosec", elementary=lambda x: 1 / sp.sin(x), domain=(0.0, math.pi),
                          image=lambda lo, hi: (1.0, max(1 / math.sin(lo), 1 / math.sin(hi))),
                          vjp=lambda g, ans, x: -g * ans * sp.cos(x) / sp.sin(x), tape=lambda v: 1 / tp.sin(v))
        a = sp.Symbol("a", real=True)
        expr, iv = PRIMITIVES["cosec"].build(Node(a, Interval(-2.0, 2.0)))
        assert expr.args[0] == a / 2 + sp.Rational(157, 100) and iv.lo == 1.0   # within [0.57, 2.57]
        expr, iv = PRIMITIVES["log_of_1p"].build(Node(a, Interval(-2.0, 2.0)))
        assert expr.args[0] == a + sp.Rational(5, 4) and iv.lo == math.log1p(-0.75)   # shifted above -3/4
        expr, iv = PRIMITIVES["arcsin_of"].build(Node(a, Interval(-2.0, 2.0)))
        assert expr.args[0] == a / 3 and -math.pi / 2 < iv.lo < iv.hi < math.pi / 2    # scaled inside
        assert not {log_of_1p, arcsin_of, cosec} & set(uncovered_scalar_entries())
        check_scalar_entry(cosec, max_examples=5)
        check_scalar_entry(log_of_1p, max_examples=5)
        check_scalar_entry(arcsin_of, max_examples=5)
    finally:
        PRIMITIVES.clear()
        PRIMITIVES.update(saved)
