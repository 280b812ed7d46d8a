"""Which array namespace a compiled function computes in, per backend."""
from __future__ import annotations

import functools

import numpy

from ..errors import BackendError

_EXTRA = {"jax": "jax", "dask": "dask", "array-api": "array-api-compat"}


def _missing(backend: str, error: ImportError):
    extra = {"jax": "jax", "dask": "dask"}.get(backend)
    hint = f"pip install 'symdiff[{extra}]'" if extra else "pip install array-api-compat"
    raise BackendError(f"backend {backend!r} needs {_EXTRA[backend]}, which is not installed ({error}); "
                       f"{hint}") from None


@functools.cache
def _jax_numpy():
    try:
        import jax.numpy
    except ImportError as error:
        _missing("jax", error)
    return jax.numpy


@functools.cache
def _dask_namespace():
    try:
        import array_api_compat.dask.array as xp
    except ImportError as error:
        _missing("dask", error)
    return xp


def _compat():
    try:
        import array_api_compat
    except ImportError as error:
        _missing("array-api", error)
    return array_api_compat


def namespace_for(backend: str, *args):
    """The namespace for ``backend``; for "array-api", the one of the array arguments.

    NumPy arrays mixed with another library's arrays (parameters in NumPy, data in
    Dask or JAX) compute in the other library; two non-NumPy libraries are an error.
    """
    if backend == "jax":
        return _jax_numpy()
    if backend == "dask":
        return _dask_namespace()
    compat = _compat()
    arrays = [a for a in args if not isinstance(a, (int, float, complex, bool)) and a is not None]
    if not arrays:
        return compat.array_namespace(*[numpy.asarray(0.0)])
    spaces = []
    for a in arrays:
        try:
            xp = compat.array_namespace(a)
        except TypeError:
            xp = compat.array_namespace(numpy.asarray(a))
        if xp not in spaces:
            spaces.append(xp)
    if len(spaces) > 1:
        spaces = [xp for xp in spaces if not compat.is_numpy_namespace(xp)] or spaces[:1]
    if len(spaces) > 1:
        raise BackendError(f"arguments from several array libraries: {', '.join(x.__name__ for x in spaces)}")
    return spaces[0]


def float_dtype(xp):
    """float64, except under JAX without x64 (its default float, float32)."""
    if getattr(xp, "__name__", "") == "jax.numpy":
        import jax
        return jax.dtypes.canonicalize_dtype(xp.float64)
    return xp.float64
