"""The strategies of symdiff.testing: domain-aware DAGs and programs, bounded size and depth,
shrinking to small readable examples, structured arrays, consistent matrix shapes."""
import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

import symdiff
from symdiff.program import Program
from symdiff.testing import (NONSMOOTH, PRIMITIVES, SMOOTH, STRUCTURES, arrays, expression_dags,
                             matrix_expressions, points, programs, values_for)
from symdiff.testing.matrices import DIMENSIONS, MATRIX_DOMAIN

X = sp.symbols("x0 x1 x2", real=True)
ALL = set(PRIMITIVES)


def _evaluate(expr, symbols, point):
    value = complex(expr.evalf(20, subs=dict(zip(symbols, point))))
    return value


# --- scalar DAGs -------------------------------------------------------------------------------

@given(data=st.data(), low=st.floats(-3, 2), width=st.floats(0.5, 3))
def test_every_node_is_finite_and_real_on_the_declared_domain(data, low, width):
    domain = (low, low + width)
    expr = data.draw(expression_dags(X, max_nodes=6, primitives=ALL, domain=domain))
    point = data.draw(points(X, domain=domain, avoid_zero=False))
    # log, sqrt, division, asin, atanh, acosh, pow... are all inside their domains, at every node
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Expr) and node.free_symbols:
            value = _evaluate(node, X, point)
            assert np.isfinite(value.real) and abs(value.imag) < 1e-12, (node, point)


@given(expression_dags(X, max_nodes=6))
def test_divisions_stay_away_from_zero(expr):
    # every denominator is bounded away from 0 on the default box [-2, 2]
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Pow) and node.exp.is_negative and node.base.free_symbols:
            for corner in np.linspace(-2, 2, 5):
                assert abs(complex(node.base.evalf(subs={s: corner for s in X}))) >= 0.25


@given(programs(X, max_lets=5, max_depth=2))
def test_programs_respect_size_and_depth_bounds(program):
    assert isinstance(program, Program)
    assert 2 <= len(program) <= 6     # up to 5 intermediates and the output line
    depth = {s: 0 for s in X}
    for target, expr in program.assignments[:-1]:
        depth[target] = 1 + max((depth[s] for s in expr.free_symbols), default=0)
        assert depth[target] <= 2, program


def test_dags_share_subexpressions():
    # some generated expression uses one intermediate in two places: a DAG, not a tree
    program = find(programs(X, max_lets=4),
                   lambda p: any(sum(t in e.free_symbols for _, e in p.assignments) >= 2
                                 for t in p.targets()[:-1]),
                   settings=settings(database=None, max_examples=500))
    assert len(program) >= 2


def test_shrinking_gives_a_small_readable_example():
    # a failing property about logs shrinks to one log of a shifted input, not a big DAG
    expr = find(expression_dags(X, max_nodes=8), lambda e: e.has(sp.log),
                settings=settings(database=None, max_examples=1000))
    assert sp.count_ops(expr) <= 4, expr
    assert repr(expr) == sp.sstr(expr)   # what Hypothesis prints is the formula


def test_program_repr_is_the_assignments():
    program = find(programs(X, max_lets=3), lambda p: len(p) >= 3, settings=settings(database=None))
    text = repr(program)
    assert text.startswith("<Program t1 = ") and "; F = " in text


@given(expression_dags(X, max_nodes=4, primitives={"add", "mul", "erf"}, required=["erf"]))
def test_required_primitive_is_applied(expr):
    assert expr.has(sp.erf)


@given(expression_dags(X, max_nodes=1, primitives={"add"}, required_all=["erf", "atan"]))
def test_each_of_required_all_is_applied_even_beyond_max_nodes(expr):
    assert expr.has(sp.erf) and expr.has(sp.atan)


@given(matrix_expressions(max_nodes=1, required=["inverse", "softmax_rows", "trace"]))
def test_required_matrix_primitives_reach_the_output(expr):
    from symdiff.matrix import SoftmaxRows
    assert expr.has(sp.Inverse) and expr.has(SoftmaxRows) and expr.has(sp.Trace)


@given(expression_dags(X, max_nodes=5))
def test_default_primitives_are_smooth(expr):
    kinked = (sp.Abs, sp.sign, sp.Heaviside, sp.Max, sp.Min, sp.Piecewise)
    assert not any(isinstance(node, kinked) for node in sp.preorder_traversal(expr))
    assert SMOOTH.isdisjoint(NONSMOOTH)


def test_unknown_primitive_is_refused():
    with pytest.raises(ValueError, match="unknown primitive"):
        expression_dags(X, primitives=["nope"])


# --- points and arrays ------------------------------------------------------------------------

@given(points(3, low=0.5, high=1.5))
def test_points_lie_in_the_box(point):
    assert all(0.5 <= v <= 1.5 for v in point)


@given(points([sp.Symbol("p", positive=True), sp.Symbol("q", real=True)], domain={"q": (-1, 0)}))
def test_points_follow_assumptions_and_per_symbol_domains(point):
    p, q = point
    assert p > 0 and -1 <= q <= 0


@pytest.mark.parametrize("structure", STRUCTURES)
@given(data=st.data())
def test_structured_arrays(structure, data):
    k = data.draw(st.integers(1, 4))
    a = data.draw(arrays((k, k), structure=structure))
    assert a.shape == (k, k) and a.dtype == np.float64 and np.all(np.isfinite(a))
    if structure == "symmetric":
        assert np.array_equal(a, a.T)
    elif structure == "spd":
        assert np.allclose(a, a.T) and np.linalg.eigvalsh(a).min() >= 1 - 1e-9
    elif structure == "orthogonal":
        assert np.allclose(a.T @ a, np.eye(k), atol=1e-12)
    elif structure == "simplex":
        assert np.all(a > 0) and np.allclose(a.sum(axis=-1), 1)
    elif structure == "onehot":
        assert set(np.unique(a)) <= {0.0, 1.0} and np.all(a.sum(axis=-1) == 1)
    elif structure == "pm1":
        assert set(np.unique(a)) <= {-1.0, 1.0}
    elif structure == "distinct":
        values = np.sort(a.ravel())
        assert values.size < 2 or np.diff(values).min() > 1e-3
    elif structure == "nonzero":
        assert np.abs(a).min() >= 0.05


def test_square_structures_refuse_rectangles():
    with pytest.raises(ValueError, match="square"):
        arrays((2, 3), structure="spd")


# --- matrix expressions ----------------------------------------------------------------------

@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_matrix_expressions_are_scalar_with_consistent_shapes(data):
    expr = data.draw(matrix_expressions(max_nodes=4))
    assert not isinstance(expr, sp.MatrixExpr)
    variables = sorted((s for s in expr.free_symbols if isinstance(s, (sp.Symbol, sp.MatrixSymbol))
                        and s not in DIMENSIONS), key=lambda s: s.name)
    values = data.draw(values_for(variables, domain=MATRIX_DOMAIN))
    # one size per dimension symbol, shared by every matrix that uses it
    sizes = {}
    for s in variables:
        if isinstance(s, sp.MatrixSymbol):
            for d, k in zip(s.shape, values[s].shape):
                assert sizes.setdefault(d, k) == k
    # the forward evaluates to a finite number: inverses and log-dets are of well-conditioned X Xᵀ + I
    # (the dimensions are passed too: a slice's bounds make them inputs, see test_sweep_findings.py)
    dims = sorted(sizes, key=str)
    fn = symdiff.compile(Program.from_expr(expr), variables + [d for d in dims if not d.is_Integer])
    assert np.isfinite(fn(*[values[s] for s in variables], *[sizes[d] for d in dims if not d.is_Integer]))


@given(values_for([sp.MatrixSymbol("A", DIMENSIONS[0], 2), sp.MatrixSymbol("B", 2, DIMENSIONS[0])],
                  dims={"n": 3}))
def test_values_for_uses_given_sizes(values):
    shapes = sorted(v.shape for v in values.values())
    assert shapes == [(2, 3), (3, 2)]
