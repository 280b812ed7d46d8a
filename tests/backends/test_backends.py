"""Backends "array-api", "jax" and "dask" against the NumPy backend (symdiff/backends)."""
from __future__ import annotations

import sys

import numpy as np
import pytest
import sympy as sp

import symdiff
from symdiff.errors import BackendError
from symdiff.functions import ACTIVATIONS

from matrix_cases import matrix_rule_cases

CASES = matrix_rule_cases()  # every matrix rule: matmul ... Cholesky, softmax, log-sum-exp

jax = pytest.importorskip("jax", reason="the jax extra is not installed: pip install 'symdiff[jax]'")
da = pytest.importorskip("dask.array", reason="the dask extra is not installed: pip install 'symdiff[dask]'")
import dask  # noqa: E402
import jax.numpy as jnp  # noqa: E402


BACKENDS = ("array-api", "jax", "dask")

MLP = """\
X: (n, d)
W1: (d, h)
b1: (1, h)
W2: (h, k)
b2: (1, k)
Y: (n, k)
S1 = X @ W1 + b1
H1 = tanh(S1)
S2 = H1 @ W2 + b2
R = S2 - Y
E = sum(hadamard(R, R))
"""
MLP_ARGS = ["X", "W1", "b1", "W2", "b2", "Y"]


def _mlp_values(n, rng):
    return [rng.standard_normal((n, 8)), 0.3 * rng.standard_normal((8, 16)), 0.1 * rng.standard_normal((1, 16)),
            0.3 * rng.standard_normal((16, 3)), 0.1 * rng.standard_normal((1, 3)), rng.standard_normal((n, 3))]



def _run(backend, fn, values, row_chunks=None):
    """Call a compiled function on the backend's own arrays; results back as NumPy."""
    if backend == "jax":
        with jax.enable_x64(True):
            out = jax.jit(fn)(*[jnp.asarray(v) for v in values])
            return jax.tree_util.tree_map(np.asarray, out)
    if backend == "dask":
        arrays = [da.from_array(v, chunks=(row_chunks or max(1, v.shape[0]),) + v.shape[1:]) if np.ndim(v) == 2
                  else v for v in values]
        return jax.tree_util.tree_map(np.asarray, dask.compute(fn(*arrays))[0])
    return jax.tree_util.tree_map(np.asarray, fn(*values))


def _assert_same(ours, reference, rtol=1e-10):
    value, grads = ours
    ref_value, ref_grads = reference
    scale = max(1.0, float(np.max(np.abs(ref_value))))
    np.testing.assert_allclose(value, ref_value, rtol=rtol, atol=rtol * scale)
    for g, r in zip(grads, ref_grads):
        np.testing.assert_allclose(g, r, rtol=rtol, atol=rtol * max(1.0, float(np.max(np.abs(r)))))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_matrix_rules_match_numpy(matrix_values, backend, name):
    symbols, expr, _ = CASES[name]
    if isinstance(expr, sp.MatrixExpr):
        expr = expr[0, 0]
    g = symdiff.gradient(expr, symbols)
    if backend == "dask" and name in ("determinant", "logdet", "log(det)"):
        with pytest.raises(BackendError, match=r"not supported on dask: (det|logdet)"):
            symdiff.compile(g, symbols, backend=backend)
        return
    values = matrix_values(symbols, np.random.default_rng(7))
    reference = symdiff.compile(g, symbols)(*values)
    ours = _run(backend, symdiff.compile(g, symbols, backend=backend), values)
    _assert_same(ours, reference, rtol=1e-9)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS) + ["tanh", "atan", "Abs", "Heaviside", "Max"])
def test_activation_table_broadcasts_like_numpy(backend, activation):
    """A scalar program over a batch: every activation of the table, broadcast like NumPy's."""
    call = {"leaky_relu": "leaky_relu(S, 0.1)", "Abs": "abs(S)", "Max": "max(S, y)", "atan": "atan(S)",
            "Heaviside": "heaviside(S)"}.get(activation, f"{activation}(S)")
    text = f"S = a*x + y\nT = {call}\nE = T*T + y\n"
    g = symdiff.gradient(text, wrt=["a", "y"])
    rng = np.random.default_rng(3)
    values = [rng.standard_normal((12, 1)), rng.standard_normal((12, 3)), np.asarray(0.7)]
    values[0][0, 0] = 0.0  # a kink of relu/abs/heaviside exactly at a sample
    reference = symdiff.compile(g, ["x", "y", "a"])(*values)
    fn = symdiff.compile(g, ["x", "y", "a"], backend=backend)
    if backend == "dask":
        values = [da.from_array(v, chunks=(4, v.shape[1])) if np.ndim(v) == 2 else v for v in values]
        out = dask.compute(fn(*values))[0]
    else:
        out = _run(backend, fn, values)
    assert np.shape(out[0]) == (12, 3) and all(np.shape(g_) == (12, 3) for g_ in out[1])
    _assert_same(out, reference)


def test_dask_mlp_on_row_chunks_is_lazy_and_never_gathers_a_chunk_whole():
    from dask.callbacks import Callback

    g = symdiff.gradient(MLP, wrt=["W1", "b1", "W2", "b2"])
    rng = np.random.default_rng(0)
    values = _mlp_values(1000, rng)
    reference = symdiff.compile(g, MLP_ARGS)(*values)
    fn = symdiff.compile(g, MLP_ARGS, backend="dask")
    X, Y = (da.from_array(v, chunks=(100, v.shape[1])) for v in (values[0], values[-1]))
    value, grads = fn(X, *values[1:-1], Y)
    assert all(isinstance(a, da.Array) for a in (value, *grads))  # nothing computed yet

    largest = []

    class Sizes(Callback):
        def _posttask(self, key, result, dsk, state, worker_id):
            if hasattr(result, "shape") and len(result.shape) == 2:
                largest.append(result.shape[0])

    with Sizes(), dask.config.set(scheduler="sync"):
        out = dask.compute(value, *grads)
    _assert_same((out[0], out[1:]), reference)
    assert max(largest) <= 100, "a task produced more rows than one chunk"


def test_jax_function_is_jittable_vmappable_and_differentiable():
    g = symdiff.gradient(MLP, wrt=["W1", "b1", "W2", "b2"])
    fn = symdiff.compile(g, MLP_ARGS, backend="jax")
    value_fn = symdiff.compile(g.forward, MLP_ARGS, backend="jax")
    values = _mlp_values(50, np.random.default_rng(1))
    with jax.enable_x64(True):
        arrays = [jnp.asarray(v) for v in values]
        value, grads = jax.jit(fn)(*arrays)
        assert value.dtype == jnp.float64
        auto = jax.grad(value_fn, argnums=(1, 2, 3, 4))(*arrays)   # JAX's own AD of the forward program
        for ours, theirs in zip(grads, auto):
            np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)
        # vmap over 4 independent batches of 50 rows: each the value of its own batch
        stacked = [jnp.stack([a] * 4) if a.shape[0] == 50 else a for a in arrays]
        axes = tuple(0 if a.shape[0] == 50 else None for a in arrays)
        batched = jax.vmap(fn, in_axes=axes)(*stacked)
        np.testing.assert_allclose(batched[0], np.full(4, float(value)), rtol=1e-12)
    # without x64 JAX computes in its default float32
    assert symdiff.compile(g, MLP_ARGS, backend="jax")(*values)[0].dtype == jnp.float32


def test_array_api_takes_the_namespace_from_the_arguments():
    g = symdiff.gradient(MLP, wrt=["W1", "b1", "W2", "b2"])
    fn = symdiff.compile(g, MLP_ARGS, backend="array-api")
    values = _mlp_values(40, np.random.default_rng(2))
    assert isinstance(fn(*values)[0], np.ndarray)
    with jax.enable_x64(True):
        assert isinstance(fn(*[jnp.asarray(v) for v in values])[0], jax.Array)
    lazy = fn(da.from_array(values[0], chunks=(10, 8)), *values[1:])   # Dask data, NumPy parameters
    assert isinstance(lazy[0], da.Array)
    _assert_same(dask.compute(lazy)[0], symdiff.compile(g, MLP_ARGS)(*values))


@pytest.mark.parametrize("backend", BACKENDS)
def test_unsupported_op_is_a_compile_time_error_naming_op_and_backend(backend):
    g = symdiff.gradient("E = erf(x)*x", wrt=["x"])
    if backend == "jax":  # jax.scipy.special has erf
        fn = symdiff.compile(g, ["x"], backend=backend)
        with jax.enable_x64(True):
            np.testing.assert_allclose(fn(jnp.asarray([0.3]))[1][0], symdiff.compile(g, ["x"])([0.3])[1][0])
        return
    with pytest.raises(BackendError, match=rf"not supported on {backend}: scipy\.special\.erf"):
        symdiff.compile(g, ["x"], backend=backend)


def test_unknown_backend_and_missing_extra(monkeypatch):
    g = symdiff.gradient("E = x*x", wrt=["x"])
    with pytest.raises(BackendError, match="unknown backend 'torch'"):
        symdiff.compile(g, ["x"], backend="torch")
    from symdiff.backends import namespaces
    namespaces._jax_numpy.cache_clear()
    monkeypatch.setitem(sys.modules, "jax.numpy", None)
    with pytest.raises(BackendError, match=r"pip install 'symdiff\[jax\]'"):
        symdiff.compile(g, ["x"], backend="jax")
    monkeypatch.undo()
    namespaces._jax_numpy.cache_clear()


def test_shape_errors_on_every_backend():
    g = symdiff.gradient(MLP, wrt=["W1"])
    values = _mlp_values(10, np.random.default_rng(4))
    values[1] = values[1][:5]
    for backend in BACKENDS:
        with pytest.raises(symdiff.ShapeError, match="argument W1 has shape"):
            symdiff.compile(g, MLP_ARGS, backend=backend)(*values)


def test_core_imports_no_optional_backend():
    """The extras stay optional: compiling, training and verifying on NumPy import neither JAX nor Dask."""
    import subprocess
    code = ("import sys, symdiff, symdiff.backends, symdiff.train, symdiff.derivations.pool;"
            "g = symdiff.gradient('E = sin(x)*x', wrt=['x']); symdiff.compile(g, ['x'])(1.0);"
            "bad = [m for m in ('jax', 'dask', 'distributed', 'array_api_compat') if m in sys.modules];"
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, env={**__import__("os").environ})
