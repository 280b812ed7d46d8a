"""Checking hand derivations: ``verify`` (a claimed derivative) and ``verify_identity``.

>>> import sympy as sp
>>> from symdiff import verify
>>> x = sp.Symbol("x", real=True)
>>> verify(sp.tanh(x), x, 1 / sp.cosh(x) ** 2, budget=3).status
'proved'

A claim is compared with the derivative ``symdiff.gradient`` computes: first
numerically (exact points sampled from the domain, both sides evaluated in
certified ball arithmetic, ``certified.py``; a certified disagreement refutes
it), then symbolically (the difference simplified under the domain's
assumptions; exactly 0, with both sides defined where the other is, proves
it), then -- if SymPy leaves a nonzero difference -- a refutation search
guided by that difference (``refute.py``).  'consistent' means agreement at
the points recorded in ``Verdict.coverage`` only.  See ``check.py`` for the
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
from .verdict import SIDES, Roles, Verdict

__all__ = ["verify", "verify_identity", "verify_text", "Verdict", "Roles", "SIDES", "simplex", "onehot", "pm1", "symmetric", "spd", "invertible",
           "orthogonal", "Latex", "Marker", "ClaimShapeError", "UnknownVariableError", "DomainError"]
