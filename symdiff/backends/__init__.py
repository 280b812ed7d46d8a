"""Backends beyond NumPy: the same line program printed for the array API, JAX or Dask.

``symdiff.compile(g, args, backend=...)`` dispatches here for every backend but
``"numpy"`` (``symdiff/codegen.py`` stays the NumPy path):

* ``"array-api"``: the function takes its namespace from its arguments through
  ``array-api-compat`` (NumPy, CuPy, JAX, Dask, PyTorch ...);
* ``"jax"``: ``jax.numpy``; the function is traceable by ``jax.jit``, ``jax.vmap``
  and ``jax.grad`` (float64 when x64 is enabled, float32 otherwise);
* ``"dask"``: ``dask.array``; inputs chunked along the rows stay chunked, row
  reductions (``X.T @ G``, column sums, the sum of entries) are Dask's tree
  reductions, and the results are lazy (``dask.compute(value, *grads)``).

JAX and Dask are optional (``pip install 'symdiff[jax]'`` / ``'symdiff[dask]'``):
they are imported only when such a function is compiled.
"""
from __future__ import annotations

from ..errors import BackendError
from .generate import generate

BACKENDS = ("numpy", "array-api", "jax", "dask")

__all__ = ["BACKENDS", "generate", "BackendError", "check_backend"]


def check_backend(backend: str) -> str:
    if backend not in BACKENDS:
        raise BackendError(f"unknown backend {backend!r}; available: {', '.join(map(repr, BACKENDS))}")
    return backend
