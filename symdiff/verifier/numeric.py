"""The numeric stage: evaluate both sides at sampled exact points in ball arithmetic.

Every side is evaluated with python-flint's ``acb`` balls (``certified.py``)
at an exact rational point, with 128, 512 and then 2048 bits until the
question is decided:

* the ball of the difference excludes 0: a *certified* disagreement -- the
  claim is refuted at that point (and only such a point refutes);
* the ball contains 0 and is narrow relative to the two values (or, at the
  last precision, relative to the largest term the computation summed):
  agreement at that point;
* otherwise the point decides nothing (counted as undecided, not as agreement).

A point where the function (and the reference derivative) is real and finite
but the claim is not defined (a division by an exact 0, no Piecewise branch)
is a counterexample; a point where the function itself is complex or
undefined lies outside its domain and is skipped.  For derivatives, points
within ``KINK_TOL`` of a kink (|x| at 0, a Piecewise switch, floor at an
integer) are skipped: the derivative does not exist there.  Decimals (SymPy
Floats) mean the decimal number they print as: ``Float(0.1)`` is 1/10.  The
stage runs in a forked child (``run_with_budget``) and watches the clock
itself, returning before the deadline.
"""
from __future__ import annotations

import itertools
import time
from collections import Counter

import mpmath
import numpy as np
import sympy as sp

from ..functions import to_elementary
from .singular import trig_roots
from .certified import (PRECISIONS, BallEvaluator, Uncertain, Undefined, Unsupported, agrees, certainly_complex,
                        certainly_real, fmt_ball, fmt_pair)

__all__ = ["Side", "numeric_stage", "evaluate_point", "probe_points", "refuted_record", "prepare_expr", "real_roots",
           "RTOL", "ATOL",
           "KINK_TOL", "N_POINTS", "MIN_POINTS"]

RTOL = 2.0 ** -60        # agreement: the difference's ball within this of the larger value
ATOL = 0.0               # no absolute tolerance: tiny values are compared at their own scale
KINK_TOL = 1e-30         # a point this close to a kink (in practice: on it) is skipped (derivatives only)
N_POINTS = 60            # points to agree at
MIN_POINTS = 10          # fewer usable points than this: undetermined
MAX_CANDIDATES = 40 * N_POINTS
MAX_UNUSABLE = 10 * N_POINTS  # accepted points that could not be evaluated: give up
NOTHING_USABLE = 2 * N_POINTS  # accepted points none of which could be evaluated: give up (bounded work, not the clock)
STATIC_TRIES = 500       # candidates without a single accepted one: the domain looks empty


def kink_sites(expr):
    """(helper, args) for every non-differentiable point an expression has."""
    sites = []
    for node in sp.preorder_traversal(expr, keys=True):   # sorted args: And/Or keep theirs in hash order
        if isinstance(node, (sp.Abs, sp.sign, sp.Heaviside)):
            sites.append(("abs", (node.args[0],)))
        elif isinstance(node, (sp.Max, sp.Min)) and len(node.args) > 1:
            sites.append(("_gap", tuple(sorted(node.args, key=sp.default_sort_key))))
        elif isinstance(node, (sp.floor, sp.ceiling, sp.frac)):
            sites.append(("_intgap", (node.args[0],)))
        elif isinstance(node, sp.core.relational.Relational):
            sites.append(("abs", (node.lhs - node.rhs,)))
    return sites


def prepare_expr(expr):
    """Elementary functions, exact decimals: the form every evaluation here sees."""
    return decimal_floats(to_elementary(expr) if isinstance(expr, sp.Basic) else sp.sympify(expr))


def decimal_floats(expr):
    """Each SymPy Float as the decimal it prints as (Float(0.1) -> 1/10), exactly."""
    floats = expr.atoms(sp.Float)
    if not floats:
        return expr
    return expr.xreplace({f: sp.Rational(str(f)) for f in floats})


class Side:
    """Blocks evaluated together in ball arithmetic at an exact point.

    Calling it with ``(values, prec)`` returns ``(outputs, kink, scale,
    collected)`` (see ``certified.BallEvaluator``): ``collect_all`` also
    returns every assigned value, so the caller can demand that all
    intermediates of the function are real.
    """

    def __init__(self, blocks, input_names: list[str], *, collect_all: bool = False):
        self.blocks = list(blocks)
        self.input_names = list(input_names)
        self.collect_all = collect_all
        self.n_outputs = sum(len(b.outputs) for b in self.blocks)
        self._balls = BallEvaluator(self.blocks, self.input_names, collect_all=collect_all, prepare=prepare_expr)

    def __call__(self, values: list, prec: int):
        return self._balls.evaluate(values, prec)


def to_mp(v, dps: int):
    """An exact SymPy number as an mpmath number at the current precision."""
    if isinstance(v, (int,)):
        return mpmath.mpf(v)
    if v.is_Integer:
        return mpmath.mpf(int(v))
    if v.is_Rational:
        return mpmath.mpf(int(v.p)) / int(v.q)
    return mpmath.mpf(sp.Float(sp.N(v, dps + 10), dps + 10)._mpf_)


# ---------------------------------------------------------------------------
# The stage
# ---------------------------------------------------------------------------

class _Outcome:
    """What one point showed: 'agree', 'differ', 'skip' (with a reason) or 'undecided'."""

    def __init__(self, kind, reason=None, entry=None, a=None, b=None, diffs=None):
        self.kind, self.reason, self.entry, self.a, self.b, self.diffs = kind, reason, entry, a, b, diffs


def _as_float(v):
    if isinstance(v, Exception):
        return None
    if certainly_real(v):
        return float(v.real.mid())
    return complex(float(v.real.mid()), float(v.imag.mid()))


def evaluate_point(problem, values, strict: bool = False, precisions=PRECISIONS) -> _Outcome:
    """Compare every entry at one exact point, raising the precision until it is decided.

    ``strict`` (a point where the simplified difference is known to be nonzero):
    agreement counts only at the last precision, so a tiny certified difference is found.
    ``precisions`` may go beyond 2048 bits there (a difference of 1 next to values of e**100000).
    """
    derivative = problem.kind == "derivative"
    for prec in precisions:
        final = prec == precisions[-1]
        if problem.guard is not None:
            outs, k, _, allv = problem.guard(values, prec)
            unclear = False
            for v in itertools.chain(outs, allv):
                if isinstance(v, Undefined):
                    return _Outcome("skip", ("function", "undefined"))
                if isinstance(v, Unsupported):
                    return _Outcome("skip", ("function", "unsupported"))
                if isinstance(v, Uncertain) or not certainly_real(v):
                    if not isinstance(v, Uncertain) and certainly_complex(v):
                        return _Outcome("skip", ("function", "complex"))
                    unclear = True
            if unclear:
                if final:
                    return _Outcome("skip", ("function", "unclear"))
                continue
            if k < KINK_TOL:
                return _Outcome("skip", ("function", "kink"))
        a_outs, ka, sa, _ = problem.side_a(values, prec)
        b_outs, kb, sb, _ = problem.side_b(values, prec)
        # the derivative does not exist at a kink of the function (the guard's); a kink of the claim
        # alone, where the function is smooth, is a point like any other (sign(x)**2 at 0 is 0)
        if derivative and (kb < KINK_TOL or (ka < KINK_TOL and problem.guard is None)):
            return _Outcome("skip", ("any", "kink"))
        scale = sa if sa > sb else sb
        pending, diffs, skip = False, [], None
        for entry, (ia, ib) in enumerate(problem.pairs):
            va, vb = a_outs[ia], b_outs[ib]
            if isinstance(va, Unsupported) or isinstance(vb, Unsupported):
                skip = skip or (("a" if isinstance(va, Unsupported) else "b"), "unsupported")
                continue
            if isinstance(vb, Undefined) and isinstance(va, Undefined):
                skip = skip or ("any", "undefined")
                continue
            if isinstance(vb, Undefined) and derivative:
                skip = skip or ("b", "undefined")
                continue
            if isinstance(vb, Undefined) or isinstance(va, Undefined):
                if isinstance(va, Uncertain) or isinstance(vb, Uncertain):
                    pending = True
                    continue
                # certain: defined on one side only (a division by an exact 0, no Piecewise branch), even
                # where the side is defined right next to the point: x*sin(x)/sin(x) is not x at 0
                return _Outcome("differ", entry=entry, a=va, b=vb)
            if isinstance(va, Uncertain) or isinstance(vb, Uncertain):
                pending = True
                continue
            if derivative and certainly_complex(vb):
                skip = skip or ("b", "complex")
                continue
            verdict = agrees(va, vb, scale, prec, final)
            if verdict is False:
                return _Outcome("differ", entry=entry, a=va, b=vb)
            if verdict is None or (strict and not final):
                pending = True
                continue
            d = va - vb
            m = max(abs(va).abs_upper(), abs(vb).abs_upper())
            diffs.append((float(abs(d).mid()), float(abs(d).mid() / m) if m > 0 else 0.0))
        if skip is not None and not pending:
            return _Outcome("skip", skip)
        if not pending:
            return _Outcome("agree", diffs=diffs)
    return _Outcome("undecided")


def refuted_record(point, names, outcome) -> dict:
    """A certified disagreement as a plain dict (it crosses a process boundary)."""
    a, b = fmt_pair(outcome.a, outcome.b)
    return {"status": "refuted", "point": {n: point[n] for n in names}, "entry": outcome.entry, "a": a, "b": b,
            "a_float": _as_float(outcome.a), "b_float": _as_float(outcome.b),
            "a_undefined": isinstance(outcome.a, Undefined), "b_undefined": isinstance(outcome.b, Undefined),
            "why_undefined": str(outcome.a if isinstance(outcome.a, Undefined) else outcome.b)
            if isinstance(outcome.a, Undefined) or isinstance(outcome.b, Undefined) else None}


def numeric_stage(problem, seed: int, deadline: float) -> dict:
    """Sample, evaluate, compare.  Returns a plain dict (it crosses a process boundary)."""
    domain = problem.domain
    rng = np.random.default_rng(seed)
    names = problem.input_names
    want = N_POINTS if names else 1
    used = accepted = candidates = undecided = probed = 0
    skipped: Counter = Counter()
    max_abs = max_rel = 0.0
    margin = 0.05
    probes = None
    magnitudes: list[float] = []
    signs: set = set()
    first = min(MIN_POINTS, want)
    probes_done = False
    while candidates < MAX_CANDIDATES and accepted - used < MAX_UNUSABLE:
        if time.monotonic() > deadline - margin:
            if used >= first:
                break  # out of time: the points compared so far are the evidence (the coverage says how many)
            return {"status": "timeout", "used": used, "want": want}
        # MIN_POINTS random points, then both sides of every kink and switch, then the other random points
        probing = used + undecided >= first and not probes_done
        if probing:
            if probes is None:
                probes = iter(probe_points(problem, rng, deadline - margin))
            point = next(probes, None)
            if point is None:
                probes_done = True
                continue
        elif used + undecided < want or not probes_done:
            point = domain.propose(rng, candidates)
        else:
            break
        candidates += 1
        ok, _ = domain.accepts(point)
        if not ok:
            if accepted == 0 and candidates >= STATIC_TRIES:
                worst = domain.most_rejecting()
                return {"status": "empty", "tries": candidates,
                        "condition": worst.label if worst is not None else None}
            continue
        accepted += 1
        if used == 0 and undecided == 0 and accepted > NOTHING_USABLE:
            break   # every point so far unusable (a function with no ball evaluation...): more are no better
        values = [point[n] for n in names]
        outcome = evaluate_point(problem, values)
        if outcome.kind == "skip":
            skipped[outcome.reason] += 1
            continue
        if outcome.kind == "undecided":
            undecided += 1
            continue
        if outcome.kind == "differ":
            return refuted_record(point, names, outcome)
        used += 1
        probed += probing
        for v in values:
            if v != 0:
                magnitudes.append(abs(float(v)))
            signs.add(1 if v > 0 else (-1 if v < 0 else 0))
        for da, dr in outcome.diffs:
            max_abs, max_rel = max(max_abs, da), max(max_rel, dr)
    if accepted == 0:
        worst = domain.most_rejecting()
        return {"status": "empty", "tries": candidates, "condition": worst.label if worst is not None else None}
    worst = domain.most_rejecting()
    return {"status": "agree" if used >= min(MIN_POINTS, want) else "few",
            "used": used, "want": want, "candidates": candidates, "accepted": accepted, "probed": probed,
            "undecided": undecided, "rejected_by": worst.label if worst is not None else None,
            "skipped": {f"{s}:{r}": c for (s, r), c in sorted(skipped.items())},
            "max_abs": max_abs, "max_rel": max_rel,
            "magnitudes": (min(magnitudes), max(magnitudes)) if magnitudes else None,
            "signs": sorted(signs)}


MAX_PROBE_ROOTS = 12             # kinks and switches probed per check
PROBE_OFFSETS = (1e-12, 1e-8, 1e-4, 0.05)  # relative distances of the probes from a kink (both sides)
PROBE_RANGE = (-8, 9)            # kinks are searched for at |v| from 1e-8 to 1e9


def probe_points(problem, rng, deadline: float) -> list[dict]:
    """Points just left and right of each place where an expression switches branch.

    A claim written with ``Piecewise((2*x, x < 20), (0, True))``,
    ``Heaviside(x - 5000)`` or ``Heaviside(x*y - 1e5)`` may be wrong on a
    region random points miss.  Every kink or comparison is solved for one of
    its variables, the others fixed at a random point of the domain (sign
    changes on a grid log-spaced from 1e-8 to 1e9 of either sign, then
    bisection), and points are placed at small distances on both sides.
    """
    domain = problem.domain
    free = set(domain.free)
    sites = []
    for expr in problem.site_exprs():
        for _, args in kink_sites(prepare_expr(expr)):
            diffs = [args[0]] if len(args) == 1 else [u - v for u, v in itertools.combinations(args, 2)]
            for e in diffs:
                names = {s.name for s in e.free_symbols if isinstance(s, sp.Symbol)}
                if names and len(names) <= 4 and names <= free and e not in sites and -e not in sites:
                    sites.append(e)
    points = _pole_points(problem, free, rng)
    exact: list[dict] = []   # on the kink itself, where its argument is exactly 0 (sign(x - 1/3)**2 at 1/3)
    roots: list[tuple[dict, str, float, int]] = []
    for k, e in enumerate(sites):
        if len(roots) >= MAX_PROBE_ROOTS:   # (bounded work, not a clock: the probes must not depend on load)
            break
        symbols = sorted((s for s in e.free_symbols if isinstance(s, sp.Symbol)), key=lambda s: s.name)
        bases = [{}] if len(symbols) == 1 else [domain.propose(rng, i) for i in range(2)]
        for base in bases:
            for v in symbols[:2]:
                fixed = {s.name: base[s.name] for s in symbols if s is not v and s.name in base}
                e_v = e.xreplace({s: fixed[s.name] for s in symbols if s.name in fixed})
                for r in real_roots(e_v, v, domain):
                    if len(roots) < MAX_PROBE_ROOTS:
                        roots.append((fixed, v.name, r, k))
                for r in _exact_roots(e_v, v)[:4]:
                    if len(exact) < MAX_PROBE_ROOTS:
                        exact.append(domain.propose(rng, 1, fixed={**fixed, v.name: r}))
    later = []   # the nearest offset first, then the points beyond two switches, then the wider offsets
    for fixed, name, r, _ in roots:
        size = abs(r) or 1.0   # relative to the kink's own scale: a kink at 1e-7 is probed at 1e-7 +- 1e-13
        for offset in PROBE_OFFSETS:
            for side in (-1, 1):
                value = sp.Rational(r + side * offset * size)
                (points if offset == PROBE_OFFSETS[0] else later).append(
                    domain.propose(rng, 1, fixed={**fixed, name: value}))
    try:
        joint = _joint_probes(domain, sites, roots, rng)
    except (ValueError, TypeError, AttributeError, ZeroDivisionError):
        joint = []   # a kink SymPy cannot solve here: the single probes remain
    return points + exact + joint + later


def _exact_roots(e, v) -> list:
    """Exact real roots of a kink argument: of a linear one with exact coefficients (x - pi, 3*x - 1),
    rational and quadratic-irrational ones of a polynomial with rational coefficients."""
    try:
        poly = sp.Poly(e, v)
        if poly.degree() == 1 and all(c.is_number and not c.has(sp.Float) for c in poly.all_coeffs()):
            a, b = poly.all_coeffs()
            root = -b / a
            return [root] if root.is_real and sp.count_ops(root) <= 20 else []
        if poly.degree() < 1 or poly.degree() > 6 or not all(c.is_Rational for c in poly.coeffs()):
            return []
        return [r for r in poly.real_roots() if not isinstance(r, sp.CRootOf)]
    except sp.PolynomialError:   # sign(sin(x)): the exact zeros of a sine, cosine or tangent, if that
        roots = trig_roots(e, v) if sp.count_ops(e) <= 20 else None
        return [r for r in roots or [] if sp.count_ops(r) <= 20][:4]
    except Exception:   # not solvable here: the probes beside the kink remain
        return []


MAX_JOINT_PROBES = 48            # points beyond two switches at once (H(y - 1e9)*H(z - x - 1e9))


def _joint_probes(domain, sites, roots, rng) -> list[dict]:
    """Points on either side of two switches at once: next to one kink (its first root), then another
    kink solved for a variable the first did not fix, the rest of that point kept; pair by pair."""
    first_root = {}
    for fixed, name, r, k in roots:
        first_root.setdefault(k, (fixed, name, r))
    points = []
    for k, (fixed, name, r) in first_root.items():
        for j, e in enumerate(sites):
            if j == k or len(points) >= MAX_JOINT_PROBES:
                continue
            symbols = sorted((s for s in e.free_symbols if isinstance(s, sp.Symbol)), key=lambda s: s.name)
            for side in (-1, 1):
                near = sp.Rational(r + side * PROBE_OFFSETS[0] * (abs(r) or 1.0))
                first = domain.propose(rng, 1, fixed={**fixed, name: near})
                free = [s for s in symbols if s.name != name and s.name in first and s.name in domain.free]
                if not free:
                    break
                v = free[0]
                e_v = e.xreplace({s: first[s.name] for s in symbols if s is not v and s.name in first})
                for r2 in real_roots(e_v, v, domain)[:1]:
                    for side2 in (-1, 1):
                        kept = {n: first[n] for n in domain.free if n in first}   # dependent names recomputed
                        value = sp.Rational(r2 + side2 * PROBE_OFFSETS[0] * (abs(r2) or 1.0))
                        points.append(domain.propose(rng, 1, fixed={**kept, v.name: value}))
    return points[:MAX_JOINT_PROBES]


def _pole_points(problem, free: set, rng) -> list[dict]:
    """Points exactly on a rational zero of a denominator (x - 1 in (x**2 - 1)/(x - 1)): one side may be
    undefined there while the other is not."""
    points = []
    for expr in problem.site_exprs():
        for node in sp.preorder_traversal(prepare_expr(expr)):
            if not (isinstance(node, sp.Pow) and node.exp.is_negative):
                continue
            symbols = [s for s in node.base.free_symbols if isinstance(s, sp.Symbol)]
            if len(symbols) != 1 or symbols[0].name not in free:
                continue
            try:
                roots = sp.Poly(node.base, symbols[0]).real_roots() if sp.Poly(node.base, symbols[0]).degree() <= 6 \
                    else []
            except Exception:
                continue
            for r in roots[:3]:
                if r.is_Rational and len(points) < 6:
                    points.append(problem.domain.propose(rng, 1, fixed={symbols[0].name: r}))
    return points


def _poly_roots(e, v) -> list[float] | None:
    """Exact real roots of a polynomial kink argument such as 1 - (x - 100)**2 (a grid can step over them)."""
    try:
        poly = sp.Poly(e, v)
        if poly.degree() < 1 or poly.degree() > 12 or not all(c.is_Rational for c in poly.coeffs()):
            return None
        return sorted({float(r) for r in poly.real_roots()})[:4]
    except Exception:
        return None


def real_roots(e, v, domain) -> list[float]:
    """Real roots of e(v) = 0: exact for polynomials, else sign changes on a grid over the sampling range."""
    found = _poly_roots(e, v)
    if found:
        return found
    try:
        f = sp.lambdify(v, e, modules="mpmath")
    except Exception:
        return []
    lo, hi = domain.lower.get(v.name), domain.upper.get(v.name)
    lo_f = float(lo.value) if lo is not None else -10.0 ** PROBE_RANGE[1]
    hi_f = float(hi.value) if hi is not None else 10.0 ** PROBE_RANGE[1]
    if lo is not None and hi is not None:
        grid = list(np.linspace(lo_f, hi_f, 201)[1:-1])
    else:
        mags = np.logspace(PROBE_RANGE[0], PROBE_RANGE[1], 200)
        grid = sorted({float(m) for m in np.concatenate([-mags, [0.0], mags]) if lo_f < m < hi_f})

    def value(t):
        try:
            with mpmath.workdps(20):
                y = f(mpmath.mpf(t))
            if not (isinstance(y, (mpmath.mpf, int, float)) and mpmath.isfinite(y)):
                return None
            # the sign is what counts: exp(-(t - 300)**2) is not 0 because float() would round it so
            return float(y) if y == 0 or 1e-300 < abs(y) < 1e300 else float(mpmath.sign(y))
        except Exception:
            return None

    roots = []
    vals = [(t, value(t)) for t in grid]
    for (t0, y0), (t1, y1) in zip(vals, vals[1:]):
        if y0 is None or y1 is None:
            continue
        if y0 == 0:
            roots.append(t0)
        elif y0 * y1 < 0:
            a, b, fa = t0, t1, y0
            for _ in range(60):
                m = 0.5 * (a + b)
                fm = value(m)
                if fm is None:
                    break
                if fm == 0:
                    a = b = m
                    break
                if (fm < 0) == (fa < 0):
                    a, fa = m, fm
                else:
                    b = m
            roots.append(0.5 * (a + b))
        if len(roots) >= 4:
            break
    return roots
