"""NumPy helpers that compiled gradient programs call: stable, and loud on bad input.

Kept apart from ``symdiff.tape`` on purpose: the tape is an independent witness
and has its own implementations.
"""
from __future__ import annotations

import numpy as np

from .errors import EvaluationError

_COND_LIMIT = 1e14


def _inv(X):
    X = np.asarray(X, dtype=np.float64)
    cond = np.linalg.cond(X)
    if not np.isfinite(cond) or cond > _COND_LIMIT:
        raise EvaluationError(f"inverse of a numerically singular {X.shape[0]}x{X.shape[1]} matrix "
                              f"(condition number {cond:.3g})")
    return np.linalg.inv(X)


def _logdet(X):
    sign, logabs = np.linalg.slogdet(np.asarray(X, dtype=np.float64))
    if sign <= 0:
        raise EvaluationError("log-det of a matrix whose determinant is not positive "
                              f"(sign {sign:g})")
    return logabs


def _cholesky(X):
    X = np.asarray(X, dtype=np.float64)
    if not np.allclose(X, X.T, rtol=1e-10, atol=1e-12 * max(1.0, np.abs(X).max(initial=0.0))):
        raise EvaluationError("Cholesky of a matrix that is not symmetric")
    try:
        return np.linalg.cholesky(X)
    except np.linalg.LinAlgError:
        raise EvaluationError("Cholesky of a matrix that is not positive definite") from None


def _cholesky_vjp(L, G):
    """Adjoint of X for L = chol(X) (Murray 2016), as a symmetric matrix."""
    P = L.T @ G
    phi = np.tril(P)
    phi[np.diag_indices_from(phi)] *= 0.5
    # S = L^{-T} phi L^{-1} via two triangular solves
    S = np.linalg.solve(L.T, np.linalg.solve(L.T, phi.T).T)
    return 0.5 * (S + S.T)


def _softmax_rows(S):
    Z = S - np.max(S, axis=1, keepdims=True)  # stabilized: soft-arg-max is shift invariant
    E = np.exp(Z)
    return E / np.sum(E, axis=1, keepdims=True)


def _logsumexp_rows(S):
    m = np.max(S, axis=1, keepdims=True)
    return m + np.log(np.sum(np.exp(S - m), axis=1, keepdims=True))


def _logsumexp_softmax_rows(S):
    """The rows' log-sum-exp and soft-arg-max from one exp: the forward value and what its
    adjoint needs (the backward pass would otherwise take exp(S - lse) again)."""
    m = np.max(S, axis=1, keepdims=True)
    E = np.exp(S - m)
    Z = np.sum(E, axis=1, keepdims=True)
    E /= Z
    return m + np.log(Z), E


def _unit(i, j, shape):
    out = np.zeros(shape)
    out[i, j] = 1.0
    return out


def _embed(G, rows, cols, shape):
    out = np.zeros(shape)
    out[rows, cols] = G
    return out


HELPERS = {f.__name__: f for f in (_inv, _logdet, _cholesky, _cholesky_vjp, _softmax_rows,
                                   _logsumexp_rows, _logsumexp_softmax_rows, _unit, _embed)}
