"""Checking hand derivations: ``verify`` (a claimed derivative) and ``verify_identity``.

>>> import sympy as sp
>>> from symdiff import verify
>>> x = sp.Symbol("x", real=True)
>>> verify(sp.tanh(x), x, 1 / sp.cosh(x) ** 2, budget=3).status
'proved'

A claim is compared with the derivative ``symdiff.gradient`` computes: first
numerically (multi-precision, at points sampled from the domain; a confirmed
disagreement refutes it), then symbolically (the difference simplified under
the domain's assumptions; exactly 0 proves it).  See ``check.py`` for the
decision procedure and ``domain.py`` for the sampler.  A matrix ``wrt``
(a ``MatrixSymbol``) is checked by ``matrix.py``: structure, exact random
matrices (``symmetric``, ``spd``, ``invertible``, ``orthogonal`` markers) and
entry-by-entry expansion.
"""
from __future__ import annotations

from .check import verify, verify_identity
from .statements import verify_text
from .domain import DomainError, Marker, invertible, onehot, orthogonal, pm1, simplex, spd, symmetric
from .inputs import ClaimShapeError, Latex, UnknownVariableError
from .verdict import Verdict

__all__ = ["verify", "verify_identity", "verify_text", "Verdict", "simplex", "onehot", "pm1", "symmetric", "spd", "invertible",
           "orthogonal", "Latex", "Marker", "ClaimShapeError", "UnknownVariableError", "DomainError"]
