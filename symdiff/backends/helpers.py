"""Array-API versions of the helpers compiled programs call (``symdiff.numeric`` is NumPy's).

Each takes the namespace ``xp`` first.  Nothing here writes into an array in
place (JAX arrays are immutable) or reads a value back to Python (that would
break ``jax.jit`` and force a Dask graph).  So the checks ``symdiff.numeric``
makes on values (a singular inverse, a non-positive determinant) cannot raise
here: where the backend itself does not raise (NumPy's Cholesky does), such
an input gives NaN, which ``symdiff.train.fit`` stops on naming the step.
"""
from __future__ import annotations

import math

from ..errors import BackendError, EvaluationError


def _linalg(xp, name):
    linalg = getattr(xp, "linalg", None)
    fn = getattr(linalg, name, None)
    if fn is None:
        raise BackendError(f"not supported on {getattr(xp, '__name__', xp)}: linalg.{name}")
    return fn


def _inv(xp, X):
    return _linalg(xp, "inv")(X)


def _logdet(xp, X):
    sign, logabs = _linalg(xp, "slogdet")(X)
    return xp.where(sign > 0, logabs, math.nan)


def _cholesky(xp, X):
    if getattr(xp, "__name__", "").startswith("array_api_compat.dask"):
        # the compat wrapper returns Dask's default, the upper factor; ask for the lower one
        import dask.array
        return dask.array.linalg.cholesky(X, lower=True)
    try:
        return _linalg(xp, "cholesky")(X)
    except Exception as error:  # NumPy / CuPy raise LinAlgError on a non-positive-definite matrix
        if type(error).__name__ == "LinAlgError":
            raise EvaluationError("Cholesky of a matrix that is not positive definite") from None
        raise


def _cholesky_vjp(xp, L, G, dtype):
    """Adjoint of X for L = chol(X) (Murray 2016), symmetric; two triangular solves."""
    P = L.T @ G
    n = P.shape[0]
    phi = xp.tril(P) - 0.5 * (P * xp.eye(n, dtype=dtype))
    solve = _linalg(xp, "solve")
    S = solve(L.T, solve(L.T, phi.T).T)
    return 0.5 * (S + S.T)


def _softmax_rows(xp, S):
    Z = S - xp.max(S, axis=1, keepdims=True)  # stabilized: soft-arg-max is shift invariant
    E = xp.exp(Z)
    return E / xp.sum(E, axis=1, keepdims=True)


def _logsumexp_rows(xp, S):
    m = xp.max(S, axis=1, keepdims=True)
    return m + xp.log(xp.sum(xp.exp(S - m), axis=1, keepdims=True))


def _unit(xp, i, j, shape, dtype):
    mask = xp.logical_and(xp.arange(shape[0])[:, None] == i, xp.arange(shape[1])[None, :] == j)
    return xp.where(mask, xp.ones(shape, dtype=dtype), xp.zeros(shape, dtype=dtype))


def _explicit(xp, rows, dtype):
    return xp.stack([xp.stack([xp.asarray(e, dtype=dtype) for e in row]) for row in rows])


def _embed(xp, G, rows, cols, shape, dtype):
    """G written at X[rows, cols] of a zero matrix, by index masks (no in-place write)."""
    r = _positions(xp, rows, shape[0])
    c = _positions(xp, cols, shape[1])
    # out[i, j] = G[r_i, c_j] where both are taken, else 0: gather G's rows, then its columns
    taken_r, index_r = r
    taken_c, index_c = c
    gathered = xp.take(xp.take(G, index_r, axis=0), index_c, axis=1)
    mask = xp.logical_and(taken_r[:, None], taken_c[None, :])
    return xp.where(mask, gathered, xp.zeros(shape, dtype=dtype))


def _positions(xp, sl: slice, size: int):
    """(taken, index): whether row i is in the slice, and which row of the sliced block it is."""
    picked = list(range(size))[sl]
    where = {k: a for a, k in enumerate(picked)}
    taken = xp.asarray([k in where for k in range(size)])
    index = xp.asarray([where.get(k, 0) for k in range(size)])
    return taken, index


XP_HELPERS = {f.__name__: f for f in (_inv, _logdet, _cholesky, _cholesky_vjp, _softmax_rows,
                                      _logsumexp_rows, _unit, _embed, _explicit)}
