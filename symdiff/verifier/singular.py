"""Singular sets that a symbolic proof must not lose.

``(x**2 - 2)/(x - sqrt(2)) - (x + sqrt(2))`` cancels to 0, but the left-hand
side has no value at ``x = sqrt(2)`` and the right-hand side has one: the
identity is false there, and the sampler cannot hit an irrational point.
Before a zero difference is believed, every place where a side is undefined as
written -- a zero of the base of a negative power, of ``cos`` under ``tan`` or
``sec``, of ``sin`` under ``cot`` or ``csc``, of the argument of ``log`` -- is
solved for exactly (polynomial roots, ``solveset`` for a few periods of a
trigonometric zero set; several variables: one solved for, the others at
points of the domain).  A solution that the domain contains, where the other
side is not certainly undefined too, vetoes the proof; so does a singular set
that cannot be solved for.  A stated domain that excludes the point
(``x != sqrt(2)``, ``x > 2``) keeps the proof.

Only refusals and counterexamples come out of here, never a proof: a missed
solution is what the veto is for, so everything uncertain vetoes.  A
counterexample needs a division by zero as written: the side divides by ``g``
(``(x**2 - 1)/(x - 1)``, ``x*log(x)/log(x)``, ``sin(x)**2/(1 - cos(x)**2)``), ``g``
is exactly 0 at an exact point of the domain (SymPy's exact evaluation gives 0:
a rational or algebraic root, or ``sin(pi)``, ``log(1)``), and the other side has a
certified finite real value there (the caller's ``certify``, which for a
derivative also demands that the function is smooth there).  The poles of
``tan``, ``sec``, ``cot``, ``csc`` and the zeros of log arguments only veto:
textbook identities such as ``sec(x)**2 - tan(x)**2 = 1`` are meant away from
those sets.  A ``Piecewise`` with no branch at an exact point of the domain
(``piecewise_gap``) is undefined there in the same way.
"""
from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from ..written import zero_conditions

__all__ = ["undefined_conditions", "lost_singularity", "periodic_members", "trig_roots", "never_zero",
           "same_zero_set", "exactly_zero", "polynomial_divisor", "piecewise_gap"]

MAX_CONDITIONS = 12      # singular conditions examined per side (more: vetoed as too many to check)
MAX_POINTS = 6           # solutions examined per condition
PERIODS = (0, 1, -1, 2, -2, 3, -3)  # integers n tried in a periodic solution such as 2*pi*n
BASES = 3                # domain points for the other variables of a condition in several variables
_UNDEFINED = (sp.nan, sp.zoo, sp.oo, -sp.oo)


def undefined_conditions(expr) -> list:
    """Expressions ``g`` such that ``expr`` (as written) is undefined where ``g = 0``."""
    found = []
    for node in sp.preorder_traversal(expr):
        for g in zero_conditions(node):
            if g.free_symbols and g not in found:
                found.append(g)
    return found


def divisors_of(expr) -> list:
    """The bases of the negative powers in ``expr``: what it divides by."""
    return [node.base for node in sp.preorder_traversal(expr)
            if isinstance(node, sp.Pow) and node.exp.is_number and node.exp.is_negative and node.base.free_symbols]


def polynomial_divisor(g) -> bool:
    """``g`` is a nonconstant polynomial in its symbols with exact algebraic coefficients."""
    try:
        poly = sp.Poly(g, *sorted(g.free_symbols, key=lambda s: s.name))
    except (sp.PolynomialError, sp.polys.polyerrors.GeneratorsNeeded, ValueError, TypeError):
        return False
    return poly.total_degree() >= 1 and all(c.is_Rational or (c.is_number and c.is_algebraic is True)
                                            for c in poly.coeffs())


def exactly_zero(value) -> bool:
    """``value`` (a number) is 0 exactly: SymPy's own evaluation, or its minimal polynomial is ``X``."""
    try:
        if value == 0:
            return True
        if not value.is_number or value.has(*_UNDEFINED) or value.is_algebraic is not True:
            return False
        unknown = sp.Dummy("X")
        return sp.minimal_polynomial(value, unknown) == unknown
    except Exception:   # SymPy cannot tell: not certified
        return False


def _exact_point(point: dict) -> bool:
    """Every coordinate an exact real number (a rational, ``sqrt(2)``, ``3*pi/2``; no float)."""
    return all(v.is_Rational or (v.is_number and not v.has(sp.Float) and v.is_real is True)
               for v in point.values())


def never_zero(g) -> bool:
    try:
        return bool(g.is_zero is False or g.is_positive or g.is_negative)
    except Exception:
        return False


def same_zero_set(g, others) -> bool:
    """``g`` is (up to a constant factor or a power) one of ``others``: the same zero set."""
    for h in others:
        if g == h or g == -h:
            return True
        try:
            q = sp.cancel(g / h)
        except Exception:
            continue
        if q.is_number and q != 0 and q.is_finite:
            return True
    return False


def _certainly_zero(value) -> bool:
    try:
        if value.is_zero is True:
            return True
        return sp.simplify(value) == 0
    except Exception:
        return False


def _clearly_nonzero(value) -> bool:
    try:
        if value.is_zero is False:
            return True
        n = sp.N(value, 50)
        return bool(n.is_number and n.is_finite and abs(n) > sp.Float("1e-40"))
    except Exception:
        return False


def periodic_members(s):
    """A few members of a solution set, or None when its form is not understood."""
    if isinstance(s, sp.FiniteSet):
        return [e for e in s.args if e.is_real is not False]
    if isinstance(s, sp.Union):
        out = []
        for part in s.args:
            members = periodic_members(part)
            if members is None:
                return None
            out.extend(members)
        return out
    if isinstance(s, sp.ImageSet) and s.base_sets == (sp.S.Integers,) and len(s.lamda.variables) == 1:
        n = s.lamda.variables[0]
        return [s.lamda.expr.xreplace({n: k}) for k in PERIODS]
    if s == sp.S.EmptySet:
        return []
    return None


def trig_roots(e, v):
    """Roots of ``k*f(a*v + b) + c`` for f = sin, cos, tan, a few periods (solveset takes ~0.5 s)."""
    terms = [t for t in sp.Add.make_args(sp.expand(e)) if t.has(v)]
    if len(terms) != 1:
        return None
    k, f = terms[0].as_independent(v, as_Add=False)
    if not isinstance(f, (sp.sin, sp.cos, sp.tan)) or k == 0:
        return None
    u = f.args[0]
    slope = sp.diff(u, v)
    if not (slope.is_number and slope != 0 and sp.diff(slope, v) == 0):
        return None
    c = -(e - terms[0]) / k
    if not c.is_number:
        return None
    if isinstance(f, sp.tan):
        angles, period = [sp.atan(c)], sp.pi
    elif abs(c) > 1:
        return []
    elif isinstance(f, sp.sin):
        angles, period = [sp.asin(c), sp.pi - sp.asin(c)], 2 * sp.pi
    else:
        angles, period = [sp.acos(c), -sp.acos(c)], 2 * sp.pi
    offset = u.xreplace({v: 0})
    return [(angle + n * period - offset) / slope for n in PERIODS for angle in angles]


@functools.lru_cache(maxsize=256)
def _solutions(g, v):
    """Real solutions of ``g = 0`` for ``v`` (exact), or None when they cannot be found."""
    try:
        poly = sp.Poly(g, v)
        if poly.degree() >= 1 and all(c.is_number for c in poly.coeffs()):
            if poly.degree() <= 8 and all(c.is_Rational for c in poly.coeffs()):
                return list(poly.real_roots())[:MAX_POINTS]
            if poly.degree() <= 4:
                return [r for r in sp.roots(poly, filter="R") if r.is_real is not False][:MAX_POINTS]
            return None
    except (sp.PolynomialError, sp.polys.polyerrors.GeneratorsNeeded, ValueError, TypeError):
        pass
    trig = trig_roots(g, v) if sp.count_ops(g) <= 20 else None
    if trig is not None:
        return trig[: 2 * MAX_POINTS]
    try:
        s = sp.solveset(g, v, domain=sp.S.Reals)
    except Exception:
        return None
    members = periodic_members(s)
    return None if members is None else members[: 2 * MAX_POINTS]


def _candidate_points(g, domain, rng):
    """Exact points of the domain's coordinates where ``g = 0`` (None: not solvable here)."""
    symbols = sorted((s for s in g.free_symbols if isinstance(s, sp.Symbol)), key=lambda s: s.name)
    if not symbols or any(s.name not in domain.free for s in symbols):
        return None
    if len(symbols) == 1:
        roots = _solutions(g, symbols[0])
        return None if roots is None else [{symbols[0].name: r} for r in roots]
    points = []
    for v in symbols:          # solve for the first variable that SymPy can, the others at domain points
        found = True
        for i in range(BASES):
            base = domain.propose(rng, 2 * i)
            fixed = {s.name: base[s.name] for s in symbols if s is not v}
            roots = _solutions(g.xreplace({s: fixed[s.name] for s in symbols if s is not v}), v)
            if roots is None:
                found = False
                break
            points.extend({**fixed, v.name: r} for r in roots)
        if found:
            return points
        points = []
    return None


def _where(point: dict) -> str:
    return ", ".join(f"{n} = {sp.sstr(v)}" for n, v in sorted(point.items()))


def lost_singularity(domain, raw_sides, substitute, who, seed: int = 0, written=((), ()), divisors=((), ()),
                     certify=None):
    """Why a zero difference is no proof (a side undefined where the other is defined), or None.

    ``raw_sides`` are the prepared expressions (``a``, ``b``) before the domain's substitutions
    (``p_3`` of a simplex is positive, ``1 - p_1 - p_2`` is not known to be), ``substitute``
    applies them; ``who`` names the sides and says whose singular sets count (for a
    derivative only the claim's); ``written`` adds, per side, singular sets of its lines as
    written that its closed form cancelled (``as_written.py``), ``divisors`` the part of them
    that divides by zero.

    With ``certify(side, point)`` (the certified finite real value of the other side at an exact
    point, or None) the answer is ``(why, witness)``: ``witness`` (``{"point", "side",
    "condition", "value"}``) is a counterexample when the point is a ``removable_pole``, else None.
    """
    rng = np.random.default_rng(seed + 104729)
    sides = [substitute(e) for e in raw_sides]
    conds = []
    for e, more in zip(raw_sides, written):
        kept = []
        for g in undefined_conditions(e) + [h for h in more if h.free_symbols]:
            if not never_zero(g):
                g = substitute(g)
                if g.free_symbols and not never_zero(g) and g not in kept:
                    kept.append(g)
        conds.append(kept)
    divided = []
    for e, more in zip(raw_sides, divisors):
        found = {substitute(g) for g in divisors_of(e) + [h for h in more if h.free_symbols]}
        divided.append(found | {-g for g in found})
    for k, (name, counts) in enumerate(who):
        if not counts:
            continue
        mine, other = conds[k], conds[1 - k]
        open_conds = [g for g in mine if not same_zero_set(g, other)]
        if len(open_conds) > MAX_CONDITIONS:
            return f"{name} has {len(open_conds)} possible zero denominators, too many to check"
        for g in open_conds:
            points = _candidate_points(g, domain, rng)
            if points is None:
                return (f"{name} is undefined where {sp.sstr(g)} = 0, and it could not be solved for "
                        f"whether that happens on the domain")
            for coords in points:
                point = domain.propose(rng, 1, fixed=coords)
                sure = True
                try:
                    ok, _ = domain.accepts(point)
                except Exception:
                    ok, sure = True, False   # cannot tell: the point may lie in the domain
                if not ok:
                    continue
                env = {s: point[s.name] for s in sides[1 - k].free_symbols
                       if isinstance(s, sp.Symbol) and s.name in point}
                other_undefined = any(_certainly_zero(h.xreplace(env)) for h in other) or \
                    sides[1 - k].xreplace(env).has(*_UNDEFINED)
                if other_undefined:
                    continue
                defined = all(_clearly_nonzero(h.xreplace(env)) for h in other)
                tail = "where the other side is defined" if defined else \
                    "where the other side is not shown to be undefined"
                at = f"at {_where(coords)}" if len(coords) == 1 else \
                    f"where {sp.sstr(g)} = 0 (at {_where(coords)}, for one)"
                why = f"0 once a singularity is cancelled, but {name} is undefined {at} {tail}"
                if certify is None:
                    return why
                witness = None
                if defined and sure and g in divided[k] and _exact_point(point) \
                        and exactly_zero(g.xreplace({s: point[s.name] for s in g.free_symbols})):
                    value = certify(sides[1 - k], point)
                    if value is not None:
                        exact = sides[1 - k].xreplace(env)
                        witness = {"point": {n: point[n] for n in sorted(point)}, "side": k, "condition": g, "kind": "division",
                                   "value": value, "exact": exact if exact.is_Rational else None}
                return why, witness
    return None


def piecewise_gap(domain, sides, who, certify, seed: int = 0):
    """A counterexample where a counted side is a ``Piecewise`` with no branch, or None.

    The point is an exact zero of one of the relations in its conditions (where a gap such as
    ``x > 0``, ``x < 0`` leaves a point out), in the domain, where every condition is exactly
    false and the other side has a certified finite real value (``certify``).
    """
    rng = np.random.default_rng(seed + 15485863)
    for k, (_, counts) in enumerate(who):
        if not counts:
            continue
        for pw in sorted(sides[k].atoms(sp.Piecewise), key=sp.default_sort_key):
            if pw.args[-1].cond is sp.true:
                continue
            relations = sorted({r.lhs - r.rhs for _, c in pw.args
                                for r in c.atoms(sp.core.relational.Relational)}, key=sp.default_sort_key)
            for g in relations[:MAX_CONDITIONS]:
                for coords in (_candidate_points(g, domain, rng) or [])[:MAX_POINTS]:
                    point = domain.propose(rng, 1, fixed=coords)
                    if not _exact_point(point):
                        continue
                    env = {s: point[s.name] for s in pw.free_symbols if isinstance(s, sp.Symbol) and s.name in point}
                    try:
                        if not all(c.xreplace(env) is sp.false for _, c in pw.args) or not domain.accepts(point)[0]:
                            continue
                    except Exception:   # cannot tell: no counterexample
                        continue
                    value = certify(sides[1 - k], point)
                    if value is None:
                        continue
                    exact = sides[1 - k].xreplace({s: point[s.name] for s in sides[1 - k].free_symbols
                                                  if isinstance(s, sp.Symbol) and s.name in point})
                    return {"point": {n: point[n] for n in sorted(point)}, "side": k, "condition": pw,
                            "kind": "no_branch", "value": value, "exact": exact if exact.is_Rational else None}
    return None
