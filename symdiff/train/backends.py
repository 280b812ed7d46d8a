"""Training on the JAX and Dask backends: the compiled functions of an ``Objective`` and its data.

* ``"jax"``: value and gradient are one ``jax.jit``-compiled function of the generated
  ``jax.numpy`` program; the training data are moved to JAX arrays once.  For float64
  (results equal to NumPy's to 1e-10) enable x64: ``jax.config.update("jax_enable_x64", True)``
  (``symdiff train --backend jax`` does).
* ``"dask"``: the data are ``dask.array`` arrays chunked along the rows (NumPy data are split
  into ``DASK_CHUNKS`` row chunks).  A full-batch step evaluates the generated Dask program:
  the gradient is a tree reduction over the chunks, never the whole data in memory at once.
  A mini-batch is gathered row by row from the chunks that hold its rows (the same seeded
  order as NumPy's), then computed.

Either way the loop, optimizers and checks see NumPy values: the parameters are small.
"""
from __future__ import annotations

import contextlib
import contextvars

import numpy as np

from ..codegen import compile as compile_program
from .errors import TrainingError

TRAIN_BACKENDS = ("numpy", "jax", "dask")
DASK_CHUNKS = 10


def check_backend(backend: str) -> str:
    if backend not in TRAIN_BACKENDS:
        raise TrainingError(f"unknown training backend {backend!r}; choose one of {', '.join(TRAIN_BACKENDS)}")
    return backend


def compiled_for(backend: str, gradient, program, arg_names):
    """(value_and_grad, unchecked value_and_grad, value) on ``backend``, returning NumPy values."""
    arg_names = list(arg_names)
    if backend == "jax":
        import jax

        checked = jax.jit(compile_program(gradient, arg_names, backend="jax"))
        unchecked = jax.jit(compile_program(gradient, arg_names, backend="jax", checked=False))
        value = jax.jit(compile_program(program, arg_names, backend="jax"))
        return _to_numpy(checked), _to_numpy(unchecked), _to_numpy(value)
    if backend == "dask":
        checked = compile_program(gradient, arg_names, backend="dask")
        unchecked = compile_program(gradient, arg_names, backend="dask", checked=False)
        value = compile_program(program, arg_names, backend="dask")
        return _computed(checked), _computed(unchecked), _computed(value)
    raise TrainingError(f"no compiled functions for backend {backend!r}")


def _to_numpy(fn):
    def call(*args):
        out = fn(*args)
        if isinstance(out, tuple):
            value, grads = out
            return np.asarray(value), tuple(np.asarray(g) for g in grads)
        return np.asarray(out)
    return call


def _computed(fn):
    import dask

    def call(*args):
        out = fn(*args)
        if isinstance(out, tuple):
            value, grads = out
            value, *grads = dask.compute(value, *grads)   # one graph: the chunks are read once
            return np.asarray(value), tuple(np.asarray(g) for g in grads)
        return np.asarray(dask.compute(out)[0])
    return call


def prepare_data(backend: str, data) -> dict:
    """The training arrays as the backend wants them, converted once (never computed whole for Dask)."""
    if backend == "jax":
        import jax.numpy as jnp
        return {k: jnp.asarray(np.asarray(v, dtype=np.float64)) for k, v in data.items()}
    if backend == "dask":
        import dask.array as da
        out = {}
        for k, v in data.items():
            if not isinstance(v, da.Array):
                v = np.asarray(v, dtype=np.float64)
                rows = max(1, -(-v.shape[0] // DASK_CHUNKS)) if v.ndim else None
                v = da.from_array(v, chunks=(rows,) + v.shape[1:]) if v.ndim else v
            elif v.dtype != np.float64:
                v = v.astype(np.float64)
            out[k] = v
        return out
    return {k: np.asarray(v, dtype=np.float64) for k, v in data.items()}


def materialized(batch) -> dict:
    """A mini-batch of Dask rows computed to NumPy (all arrays in one graph)."""
    lazy = {k: v for k, v in batch.items() if hasattr(v, "dask")}
    if not lazy:
        return batch
    import dask
    values = dask.compute(*lazy.values())
    return {**batch, **dict(zip(lazy, values))}


def check_sample(batch, rows: int = 256) -> tuple[dict, bool]:
    """(a batch small enough for the tape witness, whether it is a part of ``batch``).

    The first-step check runs the NumPy tape over its batch: on Dask data that is the first
    ``rows`` rows (computed), not the whole data set.
    """
    if not any(hasattr(v, "dask") for v in batch.values()):
        return batch, False
    return materialized({k: v[:rows] if np.ndim(v) else v for k, v in batch.items()}), True


_DEFAULT: contextvars.ContextVar = contextvars.ContextVar("symdiff_training_backend", default=None)


@contextlib.contextmanager
def training_backend(backend: str | None):
    """Inside the block, ``fit`` without a ``backend`` trains on this one (``symdiff train --backend``)."""
    with contextlib.ExitStack() as stack:
        if backend is not None:
            check_backend(backend)
            if backend == "jax":
                import jax
                # float64 like NumPy inside the block, so a run on JAX gives NumPy's numbers
                stack.enter_context(jax.enable_x64(True))
        token = _DEFAULT.set(backend)
        stack.callback(_DEFAULT.reset, token)
        yield


def default_backend() -> str | None:
    return _DEFAULT.get()
