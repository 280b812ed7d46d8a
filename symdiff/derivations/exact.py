"""Exact checks of identities the floating-point verifier cannot settle.

* ``enumerate_identity``: every variable takes finitely many values (0/1 of a
  truth table, the signs of ``pm1``): all combinations are compared with exact
  arithmetic, which proves or refutes the identity.
* ``sample_identity``: points drawn as exact rationals (respecting the domain:
  structure markers, equations such as ``x_1 = x_2`` used as substitutions,
  inequalities by rejection) and compared exactly.  Used when the verifier
  could not decide, typically because a point sits on a tie of a max or on
  the edge of an Iverson bracket, where it skips points on purpose.

Values that are not rational (``exp(1/3)``) are compared with 60 digits and a
disagreement must persist at 120 digits to count.
"""
from __future__ import annotations

import itertools
import time

import numpy as np
import sympy as sp

from ..verifier.matrix import compare_exactly  # exact comparison, shared with the matrix checker

__all__ = ["enumerate_identity", "sample_identity", "MAX_ENUMERATION"]

MAX_ENUMERATION = 4096
N_SAMPLES = 40
MAX_TRIES = 4000


def _fmt(v):
    try:
        f = float(v)
        return int(f) if f == int(f) and abs(f) < 2 ** 53 else f
    except (TypeError, ValueError):
        return str(v)


def enumerate_identity(pairs, finite: dict, conditions=()):
    """Compare every (lhs, rhs) pair at every combination of the finite values.

    ``finite`` maps each symbol to its values.  Returns a dict with ``status``
    ('proved' or 'refuted'), ``points`` and, when refuted, ``point``/``lhs``/``rhs``.
    """
    symbols = sorted(finite, key=lambda s: s.name)
    total = 1
    for s in symbols:
        total *= len(finite[s])
    if total > MAX_ENUMERATION:
        raise ValueError(f"{total} combinations to enumerate (at most {MAX_ENUMERATION})")
    count = 0
    for combo in itertools.product(*(finite[s] for s in symbols)):
        point = dict(zip(symbols, (sp.Integer(v) for v in combo)))
        if not all(_holds(c, point) for c in conditions):
            continue
        count += 1
        for k, (lhs, rhs) in enumerate(pairs):
            a, b = sp.sympify(lhs).xreplace(point), sp.sympify(rhs).xreplace(point)
            same = compare_exactly(a, b)
            if same is None:
                return {"status": "undetermined", "points": count, "point": _point(point),
                        "reason": f"a side is undefined at {_point(point)}"}
            if not same:
                return {"status": "refuted", "points": count, "point": _point(point), "entry": k,
                        "lhs": _fmt(a), "rhs": _fmt(b)}
    if count == 0:
        return {"status": "undetermined", "points": 0, "reason": "no combination of values satisfies the domain"}
    return {"status": "proved", "points": count}


def _point(point: dict) -> dict:
    return {s.name: _fmt(v) for s, v in point.items()}


def _random_rational(rng) -> sp.Rational:
    num = int(rng.integers(-30, 31))
    den = int(rng.choice((1, 2, 3, 4, 5, 10)))
    return sp.Rational(num, den)


def kinks(expr) -> list:
    """Expressions that are 0 exactly where ``expr`` has a kink: |u| and sign(u) at u = 0, ties of a
    max/min, the edges of a piecewise definition."""
    out = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, (sp.Abs, sp.sign, sp.Heaviside)):
            out.append(node.args[0])
        elif isinstance(node, (sp.Max, sp.Min)):
            args = list(node.args)
            out.extend(a - b for a, b in itertools.combinations(args, 2))
        elif isinstance(node, sp.Piecewise):
            for _, cond in node.args:
                for rel in ([cond] if isinstance(cond, sp.core.relational.Relational) else
                            list(cond.atoms(sp.core.relational.Relational))):
                    out.append(rel.lhs - rel.rhs)
    return out


def sample_identity(pairs, variables, *, markers=(), finite=None, conditions=(), seed=0,
                    deadline: float | None = None, n_points: int = N_SAMPLES, avoid=()):
    """Compare the pairs exactly at random rational points of the domain.

    ``markers`` are the verifier's structure markers (simplex, onehot, pm1);
    ``conditions`` SymPy relations; an ``Eq(x, expr)`` whose ``x`` is a
    variable is used to compute ``x`` (so ties are sampled on purpose).
    Returns ``status`` 'consistent' / 'refuted' / 'undetermined' with ``points``.
    """
    rng = np.random.default_rng(seed)
    finite = dict(finite or {})
    variables = sorted(set(variables), key=lambda s: s.name)
    by_name = {v.name: v for v in variables}
    substitutions, rest = [], []
    for c in conditions:
        if isinstance(c, sp.Eq):
            lhs, rhs = c.lhs, c.rhs
            if isinstance(lhs, sp.Symbol) and lhs.name in by_name:
                substitutions.append((by_name[lhs.name], rhs))
                continue
            if isinstance(rhs, sp.Symbol) and rhs.name in by_name:
                substitutions.append((by_name[rhs.name], lhs))
                continue
        rest.append(c)
    substituted = {s for s, _ in substitutions}
    marked = {}
    for m in markers:
        for s in m.symbols:
            marked[s.name] = m
    used, tries, skipped = 0, 0, 0
    while used < n_points and tries < MAX_TRIES:
        if deadline is not None and time.monotonic() > deadline:
            break
        tries += 1
        point = {}
        for m in markers:
            point.update(_sample_marker(m, rng, by_name))
        for v in variables:
            if v in point or v in substituted:
                continue
            if v in finite:
                point[v] = sp.Integer(int(rng.choice(finite[v])))
            elif v.name not in marked:
                point[v] = _random_rational(rng)
        for s, rhs in substitutions:
            point[s] = sp.sympify(rhs).xreplace(_by_name_point(point, rhs))
        if not all(_holds(c, point) for c in rest):
            continue
        if any(sp.sympify(k).xreplace(_by_name_point(point, k)) == 0 for k in avoid):
            continue   # a kink of the function: no derivative to compare with
        ok = True
        for k, (lhs, rhs) in enumerate(pairs):
            a = sp.sympify(lhs).xreplace(_by_name_point(point, lhs))
            b = sp.sympify(rhs).xreplace(_by_name_point(point, rhs))
            same = compare_exactly(a, b)
            if same is None:
                ok = False
                skipped += 1
                break
            if not same:
                return {"status": "refuted", "points": used + 1, "point": _point(point), "entry": k,
                        "lhs": _fmt(a), "rhs": _fmt(b)}
        if ok:
            used += 1
    if used >= min(n_points, 10):
        return {"status": "consistent", "points": used, "skipped": skipped}
    return {"status": "undetermined", "points": used, "skipped": skipped,
            "reason": f"only {used} usable points in {tries} tries"}


def _by_name_point(point: dict, expr) -> dict:
    names = {s.name: v for s, v in point.items()}
    return {s: names[s.name] for s in sp.sympify(expr).free_symbols if s.name in names}


def _holds(cond, point) -> bool:
    value = cond.xreplace(_by_name_point(point, cond))
    if value in (sp.true, True):
        return True
    if value in (sp.false, False):
        return False
    try:
        return bool(value)
    except TypeError:
        return False


def _sample_marker(marker, rng, by_name) -> dict:
    symbols = [by_name.get(s.name, s) for s in marker.symbols]
    n = len(symbols)
    if marker.kind == "onehot":
        hot = int(rng.integers(n))
        return {s: sp.Integer(int(i == hot)) for i, s in enumerate(symbols)}
    if marker.kind == "pm1":
        return {s: sp.Integer(int(rng.choice((-1, 1)))) for s in symbols}
    weights = [int(w) for w in rng.integers(1, 10, size=n)]
    total = sum(weights)
    return {s: sp.Rational(w, total) for s, w in zip(symbols, weights)}
