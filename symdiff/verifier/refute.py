"""Symbolic refutation: look for a counterexample where the simplified difference says one is.

When the symbolic stage leaves a nonzero difference ``R`` (``exp(x - 1000)``,
``x/10**21``, ``Heaviside(x*y - 10**5)``...), the random points may all have
missed the region where ``R`` is visible.  This search evaluates ``R`` in ball
arithmetic at points chosen for it -- every variable swept over powers of ten
from 1e-15 to 1e30 of either sign (the others at a point of the domain), both
sides of every kink of ``R`` (solved for one variable), random points -- and
at each point where ``R`` is certainly nonzero (or undefined) compares the
*original* two sides again with rising precision (``evaluate_point`` in strict
mode).  Only that comparison can refute: ``R`` only says where to look.

A localized ``R`` (a bump ``exp(-(x - 300)**2)``, a spike
``1/(1 + 10**12*(x - 2)**2)``) is largest where it is stationary: the real
roots of ``dR/dv`` are candidates too.  A difference far below the values
(1 next to ``e**100000``) needs more than the usual 2048 bits: the precision
is raised to what the sizes of ``R`` and of the sides call for, up to
``STRICT_CAP_BITS``.
"""
from __future__ import annotations

import itertools
import time

import numpy as np
import sympy as sp

from flint import arb

from ..budget import run_with_budget
from ..errors import SymdiffError
from .certified import PRECISIONS, BallEvaluator, Undefined, certainly_nonzero, fmt_ball
from .inputs import expr_block
from .numeric import KINK_TOL, evaluate_point, kink_sites, prepare_expr, probe_points, real_roots, refuted_record
from .singular import periodic_members, trig_roots

__all__ = ["refutation_search", "nonzero_witness", "witness_outcome"]

SWEEP = [s * sp.Integer(10) ** k for k in range(-15, 31) for s in (1, -1)]
RANDOM_TRIES = 60
STRICT_CAP_BITS = 1 << 22        # highest precision of a strict comparison (about 1,260,000 digits)
DEEP_RESIDUAL_BITS = 8192        # a residual within rounding at 128 bits is re-evaluated with this (a few times)
DEEP_TRIES = 8
SMOOTH_TRIES = 2                 # random points the quick look tries for a residual without switches (the first deep)
MAX_EXACT_SITES = 64             # kink arguments solved exactly per search


class _Shim:
    """What ``probe_points`` needs: the domain and the expressions whose kinks are probed."""

    def __init__(self, domain, expr):
        self.domain, self._expr = domain, expr

    def site_exprs(self):
        return [self._expr]


def _candidates(problem, residual, rng, deadline, quick: bool = False):
    domain = problem.domain
    free = domain.free
    base = domain.propose(rng, 0)
    names = sorted({s.name for s in residual.free_symbols if isinstance(s, sp.Symbol)} & set(free))
    groups = [lambda: _exact_kinks(domain, residual, base, rng, deadline),
              lambda: _edges(domain, base, rng),
              lambda: _stationary(domain, residual, names, base, rng),
              lambda: (domain.propose(rng, 2, fixed={**{n: base[n] for n in free if n != name}, name: v})
                       for name in names or free for v in SWEEP),
              lambda: probe_points(_Shim(domain, residual), rng, deadline),
              lambda: (domain.propose(rng, i) for i in range(RANDOM_TRIES))]
    if quick:   # the exact kinks only (cheap, and where a switch shows): no grids, sweeps or random points
        groups = groups[:1]
    for group in groups:
        yield from group()


def _exact_roots(e, v) -> list:
    """Exact real roots of a kink argument in one variable (a polynomial, or a small expression
    ``solveset`` can do: a few periods of a periodic one), [] when not found cheaply."""
    try:
        poly = sp.Poly(e, v)
        if 1 <= poly.degree() <= 8 and all(c.is_Rational for c in poly.coeffs()):
            return list(poly.real_roots())
    except Exception:
        pass
    if sp.count_ops(e) > 20:
        return []
    trig = trig_roots(e, v)
    if trig is not None:
        return trig
    try:
        return periodic_members(sp.solveset(e, v, domain=sp.S.Reals)) or []
    except Exception:
        return []


def _short(a: sp.Rational, b: sp.Rational) -> sp.Rational:
    """A point strictly between ``a < b`` with few digits: the middle, rounded to the fewest significant
    digits (25 or more) that keep it inside (a window 3 < x < 3 + 10**-30 needs 32)."""
    r = (a + b) / 2
    if r.q < 10 ** 6:
        return r
    for digits in (25, 50, 100, 200):
        short = sp.Rational(str(sp.N(r, digits)))
        if a < short < b:
            return short
    return r


def _as_rational(r) -> sp.Rational:
    return r if r.is_Rational else sp.Rational(str(sp.N(r, 60)))


def _kink_arguments(residual) -> list:
    sites = []
    for _, args in kink_sites(prepare_expr(residual)):
        diffs = [args[0]] if len(args) == 1 else [u - w for u, w in itertools.combinations(args, 2)]
        sites += [e for e in diffs if e not in sites]
    return sites


MAX_CRITICAL_DEGREE = 2          # kink arguments whose critical points are solved for (quadratics: a linear system)


def _critical_points(sites, free: set, deadline) -> list[dict]:
    """Where a polynomial kink argument of several variables is stationary (grad = 0): the centre of
    a small disk or ellipse ``Heaviside(10**-6 - (x - 1)**2 - (y - 1)**2)`` that a random base point,
    solved for one variable, never meets."""
    out = []
    for e in sites[:MAX_EXACT_SITES]:
        if time.monotonic() > deadline or len(out) >= 8:
            break
        symbols = sorted((s for s in e.free_symbols if isinstance(s, sp.Symbol)), key=lambda s: s.name)
        if not 2 <= len(symbols) <= 3 or any(s.name not in free for s in symbols):
            continue
        try:
            poly = sp.Poly(e, *symbols)
            if not 2 <= poly.total_degree() <= MAX_CRITICAL_DEGREE or not all(c.is_Rational for c in poly.coeffs()):
                continue
            found = sp.solve([sp.diff(e, s) for s in symbols], symbols, dict=True)
        except Exception:
            continue
        for solution in found[:4]:
            if set(solution) == set(symbols) and all(v.is_real for v in solution.values()):
                out.append({s.name: _as_rational(v) for s, v in solution.items()})
    return out


def _exact_kinks(domain, residual, base, rng, deadline):
    """Both sides of every kink of ``residual`` and the middle between neighbouring kinks, from exact
    roots (the others at the base point, or at a stationary point of a kink argument of several
    variables): a window 1e16 + 1/2 < x < 1e16 + 1, between the 15th and 16th kink, or a disk of
    radius 1e-3 is probed, whatever its width, in any number of variables."""
    free = set(domain.free)
    sites = _kink_arguments(residual)
    bases = [base]
    for centre in _critical_points(sites, free, deadline):
        yield domain.propose(rng, 2, fixed={**{n: base[n] for n in free if n not in centre}, **centre})
        bases.append({**base, **centre})
    for each in bases:
        yield from _kinks_at(domain, sites, each, rng, deadline)


def _kinks_at(domain, sites, base, rng, deadline):
    free = set(domain.free)
    roots: dict[str, set] = {}
    for e in sites[:MAX_EXACT_SITES]:
        if time.monotonic() > deadline:
            break
        symbols = sorted((s for s in e.free_symbols if isinstance(s, sp.Symbol)), key=lambda s: s.name)
        if not symbols or any(s.name not in free for s in symbols):
            continue
        for v in symbols:
            found = _exact_roots(e.xreplace({s: base[s.name] for s in symbols if s is not v}), v)
            if found:
                roots.setdefault(v.name, set()).update(_as_rational(r) for r in found[:2 * MAX_EXACT_SITES]
                                                        if r.is_real)
                break
    for name, found in sorted(roots.items()):
        # the domain's edges bound a window too: x < 1 + 10**-12 with a kink at 1 leaves (1, 1 + 10**-12)
        edges = {b.value for b in (domain.lower.get(name), domain.upper.get(name))
                 if b is not None and b.value.is_Rational}
        ordered = sorted(found | edges)
        # narrowest windows first: a wide one is what random points find anyway
        gaps = sorted(zip(ordered, ordered[1:]), key=lambda ab: ab[1] - ab[0])
        points = [_short(a, b) for a, b in gaps]
        for r in ordered:
            size = abs(r) if r != 0 else sp.Integer(1)
            points += [r + side * size * sp.Rational(1, 10 ** k) for k in (12, 6) for side in (-1, 1)]
        for value in points:
            yield domain.propose(rng, 2, fixed={**{n: base[n] for n in free if n != name}, name: value})


def _edges(domain, base, rng):
    """Just inside each edge of an interval domain (x > 1000: 1000 + 10**-9, 1000 + 10**-3, 1001): where
    a difference is nearest its bound, and the sides cancel least (cosh(x)**2 - sinh(x)**2 at x > 1000)."""
    free = domain.free
    for name in free:
        for bound, inward in ((domain.lower.get(name), 1), (domain.upper.get(name), -1)):
            if bound is None or not bound.value.is_Rational:
                continue
            size = abs(bound.value) if bound.value != 0 else sp.Integer(1)
            for step in (size / 10 ** 9, size / 10 ** 3, sp.Integer(1)):
                yield domain.propose(rng, 2, fixed={**{n: base[n] for n in free if n != name},
                                                    name: bound.value + inward * step})


def _stationary(domain, residual, names, base, rng):
    """Where a localized residual peaks: dR/dv = 0 (the other variables at the base point)."""
    free = domain.free
    for name in names:
        v = next(s for s in residual.free_symbols if isinstance(s, sp.Symbol) and s.name == name)
        others = {s: base[s.name] for s in residual.free_symbols
                  if isinstance(s, sp.Symbol) and s.name != name and s.name in base}
        try:
            slope = sp.diff(residual.xreplace(others), v)
        except Exception:
            continue
        if slope.free_symbols != {v} or slope.has(sp.DiracDelta, sp.Piecewise, sp.Derivative):
            continue
        for r in real_roots(slope, v, domain):
            yield domain.propose(rng, 2, fixed={**{n: base[n] for n in free if n != name}, name: sp.Rational(r)})


def refutation_search(problem, residual, seed: int, deadline: float, first: dict | None = None,
                      fixed: dict | None = None) -> dict | None:
    """A certified counterexample found with the help of ``residual`` (``status`` 'refuted'); else a
    point where ``residual`` is certainly nonzero but the sides could not be told apart
    (``status`` 'unresolved'), or None.  ``first``: a point to try before the others (where the symbolic
    stage saw ``residual`` certainly nonzero).  ``fixed``: the values of discrete variables substituted in
    ``residual`` (one case of a sign vector): every point gets them, so ``residual`` is its difference."""
    names = problem.input_names
    rng = np.random.default_rng(seed + 7919)
    finder = BallEvaluator([expr_block(residual)], names, prepare=prepare_expr)
    tried = deep = 0
    unresolved = None
    for point in itertools.chain([first] if first else [], _candidates(problem, residual, rng, deadline)):
        if time.monotonic() > deadline:
            break
        if fixed:
            point = {**point, **fixed}
        ok, _ = problem.domain.accepts(point)
        if not ok:
            continue
        values = [point[n] for n in names]
        try:
            (r,), *_ = finder.evaluate(values, 128)
            if not isinstance(r, Exception) and not certainly_nonzero(r) and deep < DEEP_TRIES:
                deep += 1     # a residual such as 10**-700 hides in the rounding of 128 bits
                (r,), *_ = finder.evaluate(values, DEEP_RESIDUAL_BITS)
        except Exception:
            continue
        if not (isinstance(r, Undefined) or (not isinstance(r, Exception) and certainly_nonzero(r))):
            continue
        precisions, needed = _strict_precisions(problem, values, r)
        tried += needed <= STRICT_CAP_BITS   # (beyond the cap a point is cheap and hopeless: sweep on, to 1e20)
        if precisions != PRECISIONS:   # seconds of arb work: in a child killed at the deadline
            record = _deep_point(problem, point, names, precisions, deadline)
            if record is not None and record["status"] == "refuted":
                return record
            if record is None and unresolved is None:
                unresolved = {"status": "unresolved", "point": {n: point[n] for n in names},
                              "how": f"within the time budget (their digits cancel so far that it takes "
                                     f"{precisions[-1]:,}-bit balls)", "residual_value": fmt_ball(r)}
            kind = record["status"] if record is not None else "timeout"
        else:
            outcome = evaluate_point(problem, values, strict=True)
            if outcome.kind == "differ":
                return refuted_record(point, names, outcome)
            kind = outcome.kind
        # an agreement within rounding where the difference is certainly nonzero says nothing either way
        if kind in ("undecided", "agree") and unresolved is None and not isinstance(r, Exception) and r.is_finite():
            # the difference is certainly nonzero here by SymPy's rewriting, but no certified digits tell
            # the two sides apart (1 - tanh(x)**2 at x = 10**6): no counterexample, and no agreement either
            how = (f"even with {precisions[-1]:,}-bit balls (their digits cancel further)" if needed <= STRICT_CAP_BITS
                   else f"(their digits cancel so far that it would take about {needed:,}-bit balls, beyond the "
                        f"{STRICT_CAP_BITS:,} bits tried)")
            unresolved = {"status": "unresolved", "point": {n: point[n] for n in names}, "how": how,
                          "residual_value": fmt_ball(r)}
        if tried >= 40:
            break
    return unresolved


def _deep_point(problem, point, names, precisions: tuple, deadline: float) -> dict | None:
    """A refutation record from ``evaluate_point`` up to ``precisions[-1]`` bits (up to
    ``STRICT_CAP_BITS``: seconds of arb work), run in a child killed at the deadline:
    ``{"status": "refuted", ...}``, ``{"status": "undecided"}`` (or "agree", "skip"), or None when out
    of time."""
    seconds = deadline - time.monotonic()
    if seconds <= 0.05:
        return None
    try:
        return run_with_budget(_deep_record, problem, point, names, precisions, seconds=seconds)
    except SymdiffError:
        return None


def _deep_record(problem, point, names, precisions):
    outcome = evaluate_point(problem, [point[n] for n in names], strict=True, precisions=precisions)
    if outcome.kind == "differ":
        return refuted_record(point, names, outcome)   # (a plain dict: balls do not pickle)
    return {"status": outcome.kind}


def witness_outcome(problem, point: dict) -> dict | None:
    """The two sides compared at a point where the residual is certainly nonzero (a search that ran out
    of time): a refutation record, ``{"status": "unresolved"}`` when they could not be told apart, or
    None when the point says nothing (a side undefined there, a kink)."""
    names = problem.input_names
    outcome = evaluate_point(problem, [point[n] for n in names], strict=True)
    if outcome.kind == "differ":
        return refuted_record(point, names, outcome)
    if outcome.kind in ("agree", "undecided"):
        return {"status": "unresolved", "point": {n: point[n] for n in names}}
    return None


def nonzero_witness(problem, residual, deadline: float, limit: int = 200, fixed: dict | None = None,
                    smooth: bool = False) -> dict | None:
    """A point of the domain among the search's candidates where ``residual`` is certainly nonzero
    (and finite), or None: then no rewriting can make it 0, and the symbolic stage can stop early.
    The candidates: both sides of its exact kinks and the middles between them; for a ``smooth``
    residual (no switches) a few random points, in 128 and then ``DEEP_RESIDUAL_BITS`` bits (a
    difference of 10**-700).  ``fixed``: the values of discrete variables already substituted in
    ``residual`` (one case of a sign or one-hot vector): only points with those values count."""
    names = problem.input_names
    if not residual.free_symbols:
        return None
    rng = np.random.default_rng(104723)
    finder = BallEvaluator([expr_block(residual)], names, prepare=prepare_expr)
    points = (problem.domain.propose(rng, i) for i in range(SMOOTH_TRIES)) if smooth else \
        _candidates(problem, residual, rng, deadline, quick=True)
    for count, point in enumerate(points):
        if count >= limit or time.monotonic() > deadline:
            return None
        if fixed:
            point = {**point, **fixed}
        try:
            if not problem.domain.accepts(point)[0]:
                continue
            values = [point[n] for n in names]
            (r,), kink, *_ = finder.evaluate(values, 128)
            if smooth and count == 0 and not isinstance(r, Exception) and not certainly_nonzero(r):
                (r,), kink, *_ = finder.evaluate(values, DEEP_RESIDUAL_BITS)
        except Exception:
            continue
        if kink > KINK_TOL and not isinstance(r, Exception) and r.is_finite() and certainly_nonzero(r):
            return {n: point[n] for n in names}
    return None


def _log2(x: arb) -> float | None:
    """log2 of a positive ball's lower (or upper) bound, None for 0 or an infinite ball."""
    try:
        if not x.is_finite() or not x > 0:
            return None
        return float(x.log().mid()) / 0.6931471805599453
    except Exception:
        return None


def _strict_precisions(problem, values, r) -> tuple[tuple, int]:
    """The usual precisions, and one more when the residual is far below the sides' magnitudes; and
    the bits that comparison needs (0 when unknown; above ``STRICT_CAP_BITS`` it is not tried)."""
    if isinstance(r, Exception):
        return PRECISIONS, 0
    try:
        small = _log2(abs(r).lower())
        sizes = []
        for side in (problem.side_a, problem.side_b):
            outs, _, scale, _ = side(values, PRECISIONS[0])
            sizes.append(_log2(scale))
            sizes += [_log2(abs(v).upper()) for v in outs if not isinstance(v, Exception)]
        large = max((s for s in sizes if s is not None), default=None)
    except Exception:
        return PRECISIONS, 0
    if small is None or large is None:
        return PRECISIONS, 0
    needed = int(min(large - small, 1e30)) + 2 * PRECISIONS[0]   # (inf: exp(exp(50)) overflows a float)
    if needed <= PRECISIONS[-1] or needed > STRICT_CAP_BITS:   # (beyond the cap: not decidable here)
        return PRECISIONS, needed
    return PRECISIONS + (needed,), needed
