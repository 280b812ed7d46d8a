r"""Vector functions of ML notes: ``\operatorname{softmax}(\mathbf{s})`` (and its entry
``\operatorname{softmax}(\mathbf{s})_j``), ``\operatorname{diag}(\mathbf{v})`` /
``\operatorname{Diag}(\mathbf{v})`` (the diagonal matrix of a vector) and ``\operatorname{diag}(A)``
(the diagonal of a square matrix)."""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.diagonal import DiagMatrix, DiagonalOf

from ..matrix import softmax_rows
from .base import Problem, is_matrix, shape_text

__all__ = ["softmax", "diag"]


def softmax(v):
    """exp(v_i) / sum_j exp(v_j) of a vector (a column stays a column)."""
    if isinstance(v, sp.MatrixBase):
        if 1 not in v.shape:
            raise Problem(f"softmax takes a vector, got a {shape_text(v)} matrix")
        exps = [sp.exp(e) for e in v]
        total = sp.Add(*exps)
        return sp.ImmutableMatrix(v.rows, v.cols, [e / total for e in exps])
    if is_matrix(v):
        if v.shape[1] == 1:
            return softmax_rows(v.T).T
        if v.shape[0] == 1:
            return softmax_rows(v)
        raise Problem(f"softmax takes a vector, got a {shape_text(v)} matrix")
    raise Problem("softmax takes a vector, got a scalar")


def diag(v):
    """A vector -> its diagonal matrix; a square matrix -> the column of its diagonal."""
    if isinstance(v, sp.MatrixBase):
        if 1 in v.shape:
            return sp.ImmutableMatrix(sp.diag(*list(v)))
        if v.rows == v.cols:
            return sp.ImmutableMatrix([[v[k, k]] for k in range(v.rows)])
    elif is_matrix(v):
        if v.shape[1] == 1:
            return DiagMatrix(v)
        if v.shape[0] == v.shape[1]:
            return DiagonalOf(v)
    else:
        raise Problem("diag takes a vector or a square matrix, got a scalar")
    raise Problem(f"diag takes a vector or a square matrix, got a {shape_text(v)} matrix")
