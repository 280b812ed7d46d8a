"""The one place the derivations library imports the verifier from.

The verifier (``verify``, ``verify_identity``, the structure markers and
``Verdict``) lives in ``symdiff.verifier``; should it move, only this file
changes.
"""
from __future__ import annotations

from ..verifier import SIDES, Marker, Roles, Verdict, onehot, pm1, simplex, verify, verify_identity

__all__ = ["verify", "verify_identity", "Verdict", "Roles", "SIDES", "Marker", "simplex", "onehot", "pm1"]
