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
decision procedure and ``domain.py`` for the sampler.
"""
from __future__ import annotations

from .check import verify, verify_identity
from .domain import DomainError, Marker, onehot, pm1, simplex
from .inputs import ClaimShapeError, Latex, UnknownVariableError
from .verdict import Verdict

__all__ = ["verify", "verify_identity", "Verdict", "simplex", "onehot", "pm1", "Latex", "Marker",
           "ClaimShapeError", "UnknownVariableError", "DomainError"]
