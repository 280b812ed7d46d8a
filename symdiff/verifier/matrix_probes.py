"""Probe points for the scalar variables of a matrix claim, and the certified comparison there.

The random exact matrices of ``matrix.check_matrix_claim`` draw the scalar
variables of a claim (``t`` in ``Trace(A*X)*(1 + Heaviside(t - 1000))``) from
a small range, so a claim wrong only beyond a switch of ``t``, or by a factor
such as ``exp(t - 10**4)``, agrees there.  The scalar path's probes are reused
here: ``numeric.probe_points`` places points on both sides of every switch
(Abs, sign, Heaviside, Max/Min, floor/ceiling, Piecewise conditions) of the
claim, the derivative and the function, solved for one variable with the
others at a point of the domain; and every scalar is swept over powers of ten
of either sign.  At those points the difference of each entry is evaluated in
ball arithmetic (``certified``): only a difference whose enclosure excludes 0
refutes, so a difference of ``exp(-9999)`` counts and rounding never does.
"""
from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from .certified import PRECISIONS, BallEvaluator, Undefined, certainly_nonzero
from .inputs import expr_block
from .numeric import kink_sites, prepare_expr, probe_points

__all__ = ["PROBE_EXPONENTS", "scalar_probe_points", "certainly_different", "switch_arguments", "on_a_switch",
           "probes_text", "entry_switches", "entry_probes", "on_an_entry_switch", "entry_probes_text",
           "not_polynomial"]

# |v| = 10**k of either sign: tiny, unit, the scale of typical thresholds (1e3, 1e4), huge
PROBE_EXPONENTS = (-12, -6, -2, 0, 1, 2, 3, 4, 5, 6, 9, 12, 15, 30)
_SWITCHES = (sp.Abs, sp.sign, sp.Heaviside, sp.Max, sp.Min, sp.floor, sp.ceiling, sp.frac, sp.Piecewise)


def switch_arguments(exprs) -> list:
    """The scalar switch nodes (Heaviside(t - 1000), Piecewise in t...) of matrix expressions: those
    whose value does not involve a matrix."""
    found = []
    for e in exprs:
        if e is None:
            continue
        for node in sp.preorder_traversal(e, keys=True):
            if isinstance(node, _SWITCHES) and not node.atoms(sp.MatrixSymbol) and node.free_symbols \
                    and node not in found:
                found.append(node)
    return found


class _Sites:
    """What ``numeric.probe_points`` needs: the domain and the expressions whose switches are probed."""

    def __init__(self, domain, exprs):
        self.domain, self._exprs = domain, list(exprs)

    def site_exprs(self):
        return self._exprs


def scalar_probe_points(domain, exprs, rng, deadline: float, names=None) -> list[dict]:
    """Points of the domain (name -> exact rational) next to the switches of ``exprs`` and at
    +-10**k (``PROBE_EXPONENTS``) for each scalar in ``names`` (the others at a point of the domain)."""
    switches = switch_arguments(exprs)
    points = probe_points(_Sites(domain, switches), rng, deadline) if switches else []
    base = domain.propose(rng, 0)
    for name in names if names is not None else domain.free:
        for k in PROBE_EXPONENTS:
            for sign in (1, -1):
                points.append(domain.propose(rng, 2, fixed={**base, name: sign * sp.Integer(10) ** k}))
    out = []
    for p in points:
        if p not in out and domain.accepts(p)[0] and not on_a_switch(switches, p):
            out.append(p)
    return out


def on_a_switch(switches, point: dict) -> bool:
    """Whether a switch's argument is exactly 0 at the point (Heaviside(0) is a convention, not a value
    a derivative must share): such points are not compared."""
    for node in switches:
        for _, args in kink_sites(prepare_expr(node)):
            diffs = [args[0]] if len(args) == 1 else [u - w for u, w in zip(args, args[1:])]
            for e in diffs:
                value = e.xreplace({s: point[s.name] for s in e.free_symbols
                                    if isinstance(s, sp.Symbol) and s.name in point})
                if value.is_number and value == 0:
                    return True
    return False


def certainly_different(a, b) -> bool:
    """Whether the exact numbers ``a`` and ``b`` (SymPy, no free symbols) certainly differ: exactly for
    rationals, else an enclosure of a - b excluding 0 at one of the certified precisions.  An undefined
    or undecided value is not a difference."""
    d = a - b
    if d.is_Rational:
        return d != 0
    if d.free_symbols or d.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return False
    finder = BallEvaluator([expr_block(d)], [], prepare=prepare_expr)
    for prec in PRECISIONS:
        try:
            (r,), *_ = finder.evaluate([], prec)
        except Exception:   # noqa: BLE001 - a node ball arithmetic cannot evaluate: not a difference
            return False
        if isinstance(r, Undefined):
            return False
        if not isinstance(r, Exception) and r.is_finite() and certainly_nonzero(r):
            return True
    return False


def probes_text(count: int, names, sizes: dict, switches: bool) -> str:
    """The coverage of the probes in words."""
    at = ", ".join(f"{k} = {v}" for k, v in sizes.items()) or "the declared sizes"
    low, high = PROBE_EXPONENTS[0], PROBE_EXPONENTS[-1]
    where = "both sides of each switch, and " if switches else ""
    return (f"; at {count} probe points of the scalar variable{'s' if len(names) > 1 else ''} "
            f"{', '.join(names)} ({where}+-10^k for k from {low} to {high}) with random "
            f"exact matrices at sizes {at}, no entry differs (each difference evaluated in certified ball "
            f"arithmetic)")


# ---------------------------------------------------------------------------
# Entries of the matrices: Heaviside(W[0, 0] - 1000), Max(w[i], 50), |W - 1000| entry by entry
# ---------------------------------------------------------------------------

MAX_KINK_PROBES = 48      # points placed next to the switches of entries, per check
_UNSCALED = ("orthogonal", "permutation")   # structures a scale factor would break


def entry_switches(exprs) -> list:
    """The kink arguments of switches whose value involves a matrix: an entry (``W[0, 0] - 1000``) or a
    scalar of a whole matrix (``Trace(X) - 10**40``, ``Determinant(X) - 5``)."""
    found = []
    for e in exprs:
        if e is None:
            continue
        for node in sp.preorder_traversal(e, keys=True):
            if isinstance(node, _SWITCHES) and node.atoms(sp.MatrixSymbol):
                for _, args in kink_sites(prepare_expr(node)):
                    diffs = [args[0]] if len(args) == 1 else [u - w for u, w in zip(args, args[1:])]
                    found += [d for d in diffs if d.atoms(sp.MatrixSymbol) and d not in found]
    return found


def _moved_entries(e) -> list:
    """The entries moved to reach a switch of ``e``: its entries, and entry (0, 0) of each matrix it uses
    whole (a trace, a determinant)."""
    elements = set(e.atoms(MatrixElement))
    whole = e.xreplace({el: sp.Dummy() for el in elements}).atoms(sp.MatrixSymbol)
    elements |= {m[0, 0] for m in whole}
    return sorted(elements, key=sp.default_sort_key)


def not_polynomial(exprs) -> bool:
    """Whether a function (exp, Abs, Max, an entrywise relu...) or a fractional power occurs: a polynomial
    (or rational) matrix expression that is wrong somewhere is wrong at almost every random point, so
    only these get the entry probes."""
    for e in exprs:
        if e is None:
            continue
        for node in sp.preorder_traversal(e):
            if isinstance(node, (sp.Function, sp.Lambda)) or (isinstance(node, sp.Pow) and not node.exp.is_Integer):
                return True
    return False


def _with_entry(values: dict, element, v, symmetric: bool) -> dict:
    m, i, j = element.args
    M = values[m].as_mutable()
    M[int(i), int(j)] = v
    if symmetric:
        M[int(j), int(i)] = v
    return {**values, m: sp.ImmutableMatrix(M)}


def _roots(e, a) -> list:
    """Exact real roots of a kink argument in one entry ``a`` (the others at sampled values), at most 4."""
    try:
        poly = sp.Poly(sp.expand(e.doit()), a)
    except (sp.PolynomialError, sp.polys.polyerrors.GeneratorsNeeded, ValueError, TypeError):
        return []
    if not (1 <= poly.degree() <= 4 and all(c.is_Rational for c in poly.coeffs())):
        return []
    return list(poly.real_roots())[:4]


def _near(r) -> list:
    """Two rationals on either side of ``r`` (exact or algebraic), close to it relative to its size."""
    approx = r if r.is_Rational else sp.Rational(str(sp.N(r, 40)))
    step = (abs(approx) + 1) / sp.Integer(2) ** 20
    return [approx - step, approx + step]


def entry_probes(mats, structures: dict, sample, rng, switches) -> list[dict]:
    """Matrix values (MatrixSymbol -> exact matrix) to compare at: the random matrices with one entry
    moved to either side of each entry switch, then every matrix scaled by +-10**k (``PROBE_EXPONENTS``;
    positive only for spd, never for orthogonal or permutation matrices)."""
    def fresh():
        return {m: sample(structures.get(m.name), int(m.shape[0]), int(m.shape[1]), rng) for m in mats}

    points = []
    for e in switches:
        for element in _moved_entries(e):
            m, i, j = element.args
            structure = structures.get(getattr(m, "name", None))
            if m not in mats or structure not in (None, "symmetric", "invertible") or not (i.is_Integer and j.is_Integer):
                continue
            base = fresh()
            a = sp.Dummy("a", real=True)
            reduced = e.xreplace(_with_entry(base, element, a, structure == "symmetric"))
            for r in _roots(reduced, a):
                for v in _near(r):
                    points.append(_with_entry(base, element, v, structure == "symmetric"))
            if len(points) >= MAX_KINK_PROBES:
                break
    points = points[:MAX_KINK_PROBES]
    for k in PROBE_EXPONENTS:
        for sign in (1, -1):
            base = fresh()
            scaled = {}
            for m, v in base.items():
                structure = structures.get(m.name)
                if structure in _UNSCALED or (structure == "spd" and sign < 0):
                    scaled[m] = v
                else:
                    scaled[m] = v * (sign * sp.Integer(10) ** k)
            points.append(scaled)
    return points


def on_an_entry_switch(switches, values: dict) -> bool:
    """Whether a kink argument of an entry is exactly 0 at these matrices (not a point to compare at)."""
    for e in switches:
        v = e.xreplace(values).doit()
        if v.is_number and v == 0:
            return True
    return False


def entry_probes_text(count: int, switches: int) -> str:
    """The coverage of the entry probes in words."""
    low, high = PROBE_EXPONENTS[0], PROBE_EXPONENTS[-1]
    near = f"with an entry on either side of {switches} switch{'es' if switches != 1 else ''} of entries, and " \
        if switches else ""
    return (f"; at {count} more matrices ({near}scaled by +-10^k for k from {low} to {high}) no entry differs "
            f"(certified ball arithmetic)")
