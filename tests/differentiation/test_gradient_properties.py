"""Property tests over random expression DAGs.

Two independent witnesses: sympy.diff (evaluated in 30-digit arithmetic) for
the closed forms, central finite differences for the compiled program.
"""
import numpy as np
import sympy as sp
from hypothesis import given

import symdiff
from symdiff.functions import to_elementary
from symdiff.testing import expression_dags, points

X = sp.symbols("x0 x1 x2", real=True)


@given(expr=expression_dags(X, max_nodes=7), point=points(3))
def test_closed_form_equals_sympy_diff(expr, point):
    g = symdiff.gradient(expr, X)
    subs = dict(zip(X, point))
    for var in X:
        ours = sp.N(g[var], 30, subs=subs)
        ref = sp.N(sp.diff(to_elementary(expr), var), 30, subs=subs)
        assert abs(complex(ours) - complex(ref)) <= 1e-20 + 1e-12 * abs(complex(ref)), (expr, var)


@given(expr=expression_dags(X, max_nodes=10), point=points(3))
def test_compiled_gradient_equals_finite_differences(expr, point):
    g = symdiff.gradient(expr, X)
    fn = symdiff.compile(g, X)
    value, grads = fn(*point)
    for k in range(3):
        h = 1e-5 * max(1.0, abs(point[k]))
        up, down = list(point), list(point)
        up[k] += h
        down[k] -= h
        fd = (fn(*up)[0] - fn(*down)[0]) / (2 * h)
        assert np.isclose(grads[k], fd, rtol=1e-4, atol=1e-6), (expr, k, grads[k], fd)


@given(expr=expression_dags(X, max_nodes=10))
def test_compiled_batch_equals_pointwise(expr):
    g = symdiff.gradient(expr, X)
    fn = symdiff.compile(g, X)
    rng = np.random.default_rng(1)
    batch = rng.uniform(-2, 2, size=(3, 5))
    values, grads = fn(*batch)
    for j in range(5):
        v, gs = fn(*batch[:, j])
        assert np.isclose(values[j], v, rtol=1e-12, atol=1e-300)
        assert np.allclose([gr[j] for gr in grads], gs, rtol=1e-12, atol=1e-300)
