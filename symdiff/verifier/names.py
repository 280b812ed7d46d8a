"""One variable per name within one check.

``Symbol('x')`` and ``Symbol('x', real=True)`` are different SymPy objects; a
check that sampled them as one variable but differentiated them as two would
"prove" wrong claims.  ``unify_symbols`` replaces every symbol of a name that
occurs with several different assumption sets (in ``f``, the claim, ``wrt``
and ``where``) by one real symbol carrying all their sign/integer facts, or
refuses contradictory ones with a ``SymdiffError``.
"""
from __future__ import annotations

import sympy as sp

from ..errors import SymdiffError
from .domain import Marker

__all__ = ["unify_symbols"]

_FACTS = ("positive", "negative", "nonnegative", "nonpositive", "nonzero", "integer")


def _collect(obj, found: dict, depth: int = 0):
    if depth > 50:
        return
    if isinstance(obj, Marker):
        for s in obj.symbols:
            _collect(s, found, depth + 1)
    elif isinstance(obj, sp.MatrixBase):
        for e in obj:
            _collect(e, found, depth + 1)
    elif isinstance(obj, sp.Basic):
        sizes = {d for m in obj.atoms(sp.MatrixSymbol) for d in m.shape if isinstance(d, sp.Basic)}
        for s in obj.free_symbols.union(*(d.free_symbols for d in sizes)):   # sizes too: one n per name
            if isinstance(s, sp.Symbol):   # Dummy included: one variable per name
                found.setdefault(s.name, set()).add(s)
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            _collect(item, found, depth + 1)


def _replace(obj, mapping: dict, depth: int = 0):
    if depth > 50:
        return obj
    if isinstance(obj, Marker):
        return Marker(obj.kind, tuple(mapping.get(s, s) for s in obj.symbols))
    if isinstance(obj, sp.MatrixBase):
        return obj.xreplace(mapping)
    if isinstance(obj, sp.Basic):
        return obj.xreplace(mapping)
    if isinstance(obj, list):
        return [_replace(item, mapping, depth + 1) for item in obj]
    if isinstance(obj, tuple):
        return tuple(_replace(item, mapping, depth + 1) for item in obj)
    return obj


def unify_symbols(*objects):
    """The objects with one symbol per name (see the module docstring)."""
    found: dict[str, set] = {}
    for obj in objects:
        _collect(obj, found)
    mapping = {}
    for name, symbols in sorted(found.items()):
        if len(symbols) < 2:
            continue
        facts = {}
        for s in symbols:
            for key in _FACTS:
                if s.assumptions0.get(key) is True:
                    facts[key] = True
        try:
            canonical = sp.Symbol(name, real=True, **facts)
        except Exception:
            raise SymdiffError(f"the symbol {name} appears with contradictory assumptions "
                               f"({', '.join(sorted(facts))}); use one symbol per name") from None
        for s in symbols:
            mapping[s] = canonical
    if not mapping:
        return objects
    return tuple(_replace(obj, mapping) for obj in objects)
