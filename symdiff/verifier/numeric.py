"""The numeric stage: evaluate both sides at sampled points in multi-precision.

Blocks are compiled to one Python function per side, line by line, each
right-hand side printed by SymPy's ``MpmathPrinter`` (no closed forms, so a
long gradient program costs what it is long).  Every call of ``Abs``, ``sign``,
``Heaviside``, ``Max``/``Min``, ``floor``/``ceiling`` and
every comparison (as in a ``Piecewise``) also records how far its argument is from
the kink, so points where the function is not differentiable are skipped.

Points are evaluated with 30 significant digits; any difference above 1e-20
(relative) is re-checked with 50 and 100 digits and reported only if it is
*stable*: the difference computed with 100 digits is well above that
precision's rounding level and equals the one computed with 50 digits to three
digits.  Rounding error changes with the precision, a wrong claim's error does
not; so rounding never refutes a claim, and a claim that is off by 1e-13 is
still caught.  Decimals (SymPy Floats) mean the decimal number they print as:
``Float(0.1)`` is 1/10.  The stage runs in a forked child (``run_with_budget``) and
watches the clock itself, returning before the deadline.
"""
from __future__ import annotations

import itertools
import time
from collections import Counter

import mpmath
import numpy as np
import sympy as sp
from sympy.printing.pycode import MpmathPrinter

from ..functions import to_elementary

__all__ = ["Side", "numeric_stage", "RTOL", "ATOL", "KINK_TOL", "N_POINTS", "MIN_POINTS"]

DPS = 30                 # digits of the first evaluation
RECHECK_DPS = (50, 100)  # digits of the re-checks of a disagreement
RTOL = 1e-20             # at 30 digits, a larger relative difference is re-checked...
ATOL = 1e-25             # ...and so is a larger absolute one (both values near zero)
STABLE = 1e-3            # a real difference: the same (to this relative error) at 50 and 100 digits
FLOOR_REL = 1e-60        # a difference at 100 digits below this (relative) is rounding
KINK_TOL = 1e-8          # a point this close to a kink is skipped
N_POINTS = 60            # points to agree at
MIN_POINTS = 10          # fewer usable points than this: undetermined
MAX_CANDIDATES = 40 * N_POINTS
MAX_UNUSABLE = 10 * N_POINTS  # accepted points that could not be evaluated: give up
STATIC_TRIES = 500       # candidates without a single accepted one: the domain looks empty
_LONG = 48               # longer sums and products are printed as mpmath.fsum / fprod


class _Unprintable(Exception):
    pass


class _Printer(MpmathPrinter):
    """mpmath code with local names; kinks are printed by ``Side``."""

    def __init__(self):
        super().__init__({"fully_qualified_modules": True, "allow_unknown_functions": False,
                          "strict": True})
        self.names: dict[str, str] = {}

    def _print_Symbol(self, expr):
        try:
            return self.names[expr.name]
        except KeyError:
            raise _Unprintable(f"unknown symbol {expr.name}") from None

    _print_Dummy = _print_Symbol

    def _print_Heaviside(self, expr):
        x = self._print(expr.args[0])
        h0 = self._print(expr.args[1]) if len(expr.args) > 1 else "mpmath.mpf(0.5)"
        return f"_heaviside({x}, {h0})"

    def _print_sign(self, expr):
        return f"_sign({self._print(expr.args[0])})"

    def _print_Add(self, expr, order=None):
        if len(expr.args) <= _LONG:
            return super()._print_Add(expr, order=order)
        return f"mpmath.fsum([{', '.join(self._print(a) for a in expr.args)}])"

    def _print_Mul(self, expr):
        if len(expr.args) <= _LONG:
            return super()._print_Mul(expr)
        return f"mpmath.fprod([{', '.join(self._print(a) for a in expr.args)}])"


def _heaviside(x, h0):
    if x.imag if isinstance(x, mpmath.mpc) else False:
        raise ValueError("Heaviside of a complex number")
    return 0 if x < 0 else (1 if x > 0 else h0)


def _sign(x):
    if isinstance(x, mpmath.mpc):
        raise ValueError("sign of a complex number")
    return mpmath.sign(x)


def _gap(*values):
    """Smallest distance between the arguments of a max/min (a tie is a kink)."""
    vals = sorted(values)
    return min(abs(b - a) for a, b in zip(vals, vals[1:]))


def _intgap(x):
    return abs(x - mpmath.nint(x))


MAX_MAG = 10_000  # |value| above 2**MAX_MAG (about 10**3000) counts as an overflow


def _too_big(v) -> bool:
    return isinstance(v, (mpmath.mpf, mpmath.mpc)) and mpmath.isfinite(v) and v != 0 and mpmath.mag(v) > MAX_MAG


class _GuardedMpmath:
    """``mpmath`` for generated code: a function of an astronomically large argument
    (exp(exp(exp(90))), sin(10**10**40)) would need that many digits, so it raises
    OverflowError and the point is skipped instead of eating time and memory."""

    def __init__(self):
        self._cache = {}

    def __getattr__(self, name):
        value = getattr(mpmath, name)
        if not callable(value) or name in ("mpf", "mpc") or isinstance(value, mpmath.ctx_mp_python._constant):
            return value
        guarded = self._cache.get(name)
        if guarded is None:
            def guarded(*args, _f=value, _name=name):
                for a in args:
                    if _too_big(a):
                        raise OverflowError(f"{_name} of a number beyond 2**{MAX_MAG}")
                return _f(*args)
            self._cache[name] = guarded
        return guarded


def _checked(v):
    """Every assigned value passes here: a huge one is an overflow, not a hang later."""
    if _too_big(v):
        raise OverflowError(f"a value beyond 2**{MAX_MAG}")
    return v


_NAMESPACE = {"mpmath": _GuardedMpmath(), "_heaviside": _heaviside, "_sign": _sign, "_gap": _gap,
              "_intgap": _intgap, "_INF": mpmath.inf, "_checked": _checked}


def kink_sites(expr):
    """(helper, args) for every non-differentiable point an expression has."""
    sites = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, (sp.Abs, sp.sign, sp.Heaviside)):
            sites.append(("abs", (node.args[0],)))
        elif isinstance(node, (sp.Max, sp.Min)) and len(node.args) > 1:
            sites.append(("_gap", node.args))
        elif isinstance(node, (sp.floor, sp.ceiling, sp.frac)):
            sites.append(("_intgap", (node.args[0],)))
        elif isinstance(node, sp.core.relational.Relational):
            sites.append(("abs", (node.lhs - node.rhs,)))
    return sites


def _prepare(expr):
    return decimal_floats(to_elementary(expr) if isinstance(expr, sp.Basic) else sp.sympify(expr))


def decimal_floats(expr):
    """Each SymPy Float as the decimal it prints as (Float(0.1) -> 1/10), exactly."""
    floats = expr.atoms(sp.Float)
    if not floats:
        return expr
    return expr.xreplace({f: sp.Rational(str(f)) for f in floats})


class Side:
    """Blocks compiled into one function of the inputs.

    Calling it returns ``(outputs, kink_margin, values)``: the outputs of all
    blocks in order, the smallest distance to a kink, and (with
    ``collect_all``) every assigned value, so the caller can demand that
    all intermediates of the function are real.
    """

    def __init__(self, blocks, input_names: list[str], *, collect_all: bool = False):
        self.blocks = list(blocks)
        self.input_names = list(input_names)
        self.collect_all = collect_all
        self.n_outputs = sum(len(b.outputs) for b in self.blocks)
        self._fn = None
        self.compiled: bool | None = None  # compiled lazily, in the worker that evaluates

    def _ensure_compiled(self):
        if self.compiled is None:
            try:
                self._fn = self._compile()
                self.compiled = True
            except Exception:  # unprintable function, nesting too deep for Python...: evalf instead
                self._fn = None
                self.compiled = False

    def _compile(self):
        printer = _Printer()
        args = [f"_in{i}" for i in range(len(self.input_names))]
        inputs = dict(zip(self.input_names, args))
        lines = ["    _k = _INF"]
        collected, outputs = [], []
        for b, block in enumerate(self.blocks):
            printer.names = dict(inputs)
            for j, (target, expr) in enumerate(block.assignments):
                expr = _prepare(expr)
                code = printer.doprint(expr)
                local = f"_b{b}_{j}"
                lines.append(f"    {local} = _checked({code})")
                lines.extend(self._kink_lines(printer, expr))
                printer.names[target.name] = local
                collected.append(local)
            for out in block.outputs:
                out = _prepare(out)
                local = f"_o{len(outputs)}"
                lines.append(f"    {local} = _checked({printer.doprint(out)})")
                lines.extend(self._kink_lines(printer, out))
                outputs.append(local)
        tail = f"({', '.join(collected)},)" if self.collect_all and collected else "()"
        lines.append(f"    return ({', '.join(outputs)},), _k, {tail}")
        source = f"def _side({', '.join(args)}):\n" + "\n".join(lines) + "\n"
        namespace = dict(_NAMESPACE)
        exec(compile(source, "<symdiff.verifier>", "exec"), namespace)  # our own generated code only
        return namespace["_side"]

    @staticmethod
    def _kink_lines(printer, expr):
        out = []
        for helper, args in kink_sites(expr):
            printed = ", ".join(printer.doprint(a) for a in args)
            out.append(f"    _k = min(_k, {helper}({printed}))")
        return out

    def __call__(self, values: list, dps: int):
        """Evaluate at ``values`` (exact SymPy numbers, in input order) with ``dps`` digits."""
        self._ensure_compiled()
        with mpmath.workdps(dps):
            args = [to_mp(v, dps) for v in values]
            if self._fn is not None:
                outs, k, collected = self._fn(*args)
            else:
                outs, k, collected = self._evalf(args, dps)
            # constants (mpmath.pi), ints and floats as numbers of this precision
            return tuple(_number(v) for v in outs), k, tuple(_number(v) for v in collected)

    def _evalf(self, args, dps):
        """The slow path: substitute and ``evalf`` line by line."""
        env = {sp.Symbol(n, real=True): sp.Float(a, dps) for n, a in zip(self.input_names, args)}
        by_name = {s.name: v for s, v in env.items()}
        k = mpmath.inf
        outputs, collected = [], []

        def value(expr):
            expr = _prepare(expr)
            subs = {s: by_name[s.name] for s in expr.free_symbols if s.name in by_name}
            return expr.xreplace(subs).evalf(dps)

        for block in self.blocks:
            saved = dict(by_name)
            for target, expr in block.assignments:
                v = value(expr)
                for helper, a in kink_sites(_prepare(expr)):
                    k = min(k, _margin(helper, [value(x) for x in a]))
                by_name[target.name] = v
                collected.append(_from_sympy(v))
            for out in block.outputs:
                v = value(out)
                for helper, a in kink_sites(_prepare(out)):
                    k = min(k, _margin(helper, [value(x) for x in a]))
                outputs.append(_from_sympy(v))
            by_name = saved
        return tuple(outputs), k, tuple(collected) if self.collect_all else ()


def _number(v):
    if isinstance(v, (mpmath.mpf, mpmath.mpc)) or v is None or isinstance(v, bool):
        return v
    try:
        return mpmath.mpmathify(v) if not isinstance(v, mpmath.ctx_mp_python._constant) else +v
    except (TypeError, ValueError):
        return v


def _margin(helper, values):
    vals = [_from_sympy(v) for v in values]
    if helper == "abs":
        return abs(vals[0])
    if helper == "_intgap":
        return _intgap(vals[0])
    return _gap(*vals)


def _from_sympy(v):
    if isinstance(v, sp.Basic):
        if v.is_Integer:
            return mpmath.mpf(int(v))
        if v.is_Float:
            return mpmath.mpf(v._mpf_)
        if v.is_number:
            re, im = v.as_real_imag()
            re, im = sp.Float(re), sp.Float(im)
            return mpmath.mpf(re._mpf_) if im == 0 else mpmath.mpc(re._mpf_, im._mpf_)
        raise ValueError(f"not a number: {v}")
    return v


def to_mp(v, dps: int):
    """An exact SymPy number as an mpmath number at the current precision."""
    if isinstance(v, (int,)):
        return mpmath.mpf(v)
    if v.is_Integer:
        return mpmath.mpf(int(v))
    if v.is_Rational:
        return mpmath.mpf(int(v.p)) / int(v.q)
    return _from_sympy(sp.N(v, dps + 10))


def as_real(v):
    """The value as a finite mpf, or the reason it is not one: 'complex' or 'undefined'."""
    if isinstance(v, bool) or v is None:
        return "undefined"
    if isinstance(v, (int, float)):
        v = mpmath.mpf(v)
    if isinstance(v, mpmath.mpc):
        if v.imag != 0:
            return "complex"
        v = v.real
    if not isinstance(v, mpmath.mpf):
        return "undefined"
    if not mpmath.isfinite(v):
        return "undefined"
    return v


def agree(a, b) -> bool:
    return abs(a - b) <= ATOL + RTOL * max(abs(a), abs(b))


def relative(a, b):
    m = max(abs(a), abs(b))
    return abs(a - b) / m if m else mpmath.mpf(0)


# ---------------------------------------------------------------------------
# The stage
# ---------------------------------------------------------------------------

def _evaluate(problem, values, dps):
    """Values of every entry at a point, or ``(None, (side, reason))``."""
    if problem.guard is not None:
        try:
            outs, k, allv = problem.guard(values, dps)
        except Exception:
            return None, ("function", "undefined")
        for v in itertools.chain(outs, allv):
            r = as_real(v)
            if isinstance(r, str):
                return None, ("function", r)
        if k < KINK_TOL:
            return None, ("function", "kink")
    results = []
    kink = mpmath.inf
    for name, side in (("a", problem.side_a), ("b", problem.side_b)):
        try:
            outs, k, _ = side(values, dps)
        except Exception:
            return None, (name, "undefined")
        kink = min(kink, k)
        reals = []
        for v in outs:
            r = as_real(v)
            if isinstance(r, str):
                return None, (name, r)
            reals.append(r)
        results.append(reals)
    if kink < KINK_TOL:
        return None, ("any", "kink")
    a, b = results
    return [(a[ia], b[ib]) for ia, ib in problem.pairs], None


def numeric_stage(problem, seed: int, deadline: float) -> dict:
    """Sample, evaluate, compare.  Returns a plain dict (it crosses a process boundary)."""
    domain = problem.domain
    rng = np.random.default_rng(seed)
    names = problem.input_names
    want = N_POINTS if names else 1
    used = 0
    accepted = 0
    candidates = 0
    skipped: Counter = Counter()
    max_abs = mpmath.mpf(0)
    max_rel = mpmath.mpf(0)
    rechecked = 0
    probed = 0
    margin = 0.05
    probes = None
    while candidates < MAX_CANDIDATES and accepted - used < MAX_UNUSABLE:
        if time.monotonic() > deadline - margin:
            if used >= want:
                break  # out of time while probing kinks: the random points are all in
            return {"status": "timeout", "used": used, "want": want}
        if used < want:
            point = domain.propose(rng, candidates)
        else:  # then a few points on both sides of every kink and switch of the expressions
            if probes is None:
                probes = iter(probe_points(problem, rng, deadline - margin))
            point = next(probes, None)
            if point is None:
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
        values = [point[n] for n in names]
        pairs, why = _evaluate(problem, values, DPS)
        if pairs is None:
            skipped[why] += 1
            continue
        bad = [i for i, (a, b) in enumerate(pairs) if not agree(a, b)]
        if bad:
            confirmed = _recheck(problem, values, bad)
            if confirmed is not None:
                entry, a50, b50 = confirmed
                return {"status": "refuted", "point": {n: point[n] for n in names}, "entry": entry,
                        "a": mpmath.nstr(a50, 40), "b": mpmath.nstr(b50, 40),
                        "a_float": float(a50), "b_float": float(b50)}
            rechecked += 1
            pairs = _evaluate(problem, values, RECHECK_DPS[0])[0] or pairs
        used += 1
        probed += probes is not None
        for a, b in pairs:
            max_abs = max(max_abs, abs(a - b))
            max_rel = max(max_rel, relative(a, b))
    if accepted == 0:
        worst = domain.most_rejecting()
        return {"status": "empty", "tries": candidates, "condition": worst.label if worst is not None else None}
    worst = domain.most_rejecting()
    return {"status": "agree" if used >= min(MIN_POINTS, want) else "few",
            "used": used, "want": want, "candidates": candidates, "accepted": accepted, "probed": probed,
            "rejected_by": worst.label if worst is not None else None,
            "skipped": {f"{s}:{r}": c for (s, r), c in sorted(skipped.items())},
            "max_abs": float(max_abs), "max_rel": float(max_rel), "rechecked": rechecked}


MAX_PROBE_ROOTS = 8              # kinks and switches probed per check
PROBE_OFFSETS = (1e-6, 1e-3, 0.05)  # relative distances of the probes from a kink (both sides)


def probe_points(problem, rng, deadline: float) -> list[dict]:
    """Points just left and right of each place where an expression switches branch.

    A claim written with ``Piecewise((2*x, x < 20), (0, True))`` or
    ``Heaviside(x - 0.001)`` may be wrong on a small region random points
    miss.  Every kink or comparison whose argument depends on one free variable
    is solved for it numerically (sign changes on a log-spaced grid, then
    bisection), and points are placed at small distances on both sides.
    """
    domain = problem.domain
    free = set(domain.free)
    sites = []
    for expr in problem.site_exprs():
        for _, args in kink_sites(_prepare(expr)):
            diffs = [args[0]] if len(args) == 1 else [u - v for u, v in itertools.combinations(args, 2)]
            for e in diffs:
                names = {s.name for s in e.free_symbols if isinstance(s, sp.Symbol)}
                if len(names) == 1 and names <= free and e not in sites:
                    sites.append(e)
    roots: list[tuple[str, float]] = []
    for e in sites:
        if time.monotonic() > deadline or len(roots) >= MAX_PROBE_ROOTS:
            break
        (v,) = [s for s in e.free_symbols if isinstance(s, sp.Symbol)]
        for r in _roots(e, v, domain):
            if (v.name, r) not in roots and len(roots) < MAX_PROBE_ROOTS:
                roots.append((v.name, r))
    points = []
    for name, r in roots:
        size = max(1.0, abs(r))
        for offset in PROBE_OFFSETS:
            for side in (-1, 1):
                value = sp.Rational(r + side * offset * size)
                points.append(domain.propose(rng, 1, fixed={name: value}))
    return points


def _roots(e, v, domain) -> list[float]:
    """Real roots of e(v) = 0 found by sign changes on a grid over the sampling range."""
    try:
        f = sp.lambdify(v, e, modules="mpmath")
    except Exception:
        return []
    lo, hi = domain.lower.get(v.name), domain.upper.get(v.name)
    lo_f = float(lo.value) if lo is not None else -3000.0
    hi_f = float(hi.value) if hi is not None else 3000.0
    if lo is not None and hi is not None:
        grid = list(np.linspace(lo_f, hi_f, 201)[1:-1])
    else:
        mags = np.logspace(-4, np.log10(3000.0), 120)
        grid = sorted({float(m) for m in np.concatenate([-mags, [0.0], mags]) if lo_f < m < hi_f})

    def value(t):
        try:
            with mpmath.workdps(20):
                y = f(mpmath.mpf(t))
            return float(y) if isinstance(y, (mpmath.mpf, int, float)) and mpmath.isfinite(y) else None
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


def _recheck(problem, values, bad):
    """A stable disagreement: ``(entry, a, b)`` with the 50-digit values, else None."""
    p50, _ = _evaluate(problem, values, RECHECK_DPS[0])
    p100, _ = _evaluate(problem, values, RECHECK_DPS[1])
    if p50 is None or p100 is None:
        return None
    for i in bad:
        (a50, b50), (a100, b100) = p50[i], p100[i]
        with mpmath.workdps(RECHECK_DPS[1] + 10):
            d50, d100 = a50 - b50, a100 - b100
            floor = FLOOR_REL * max(abs(a100), abs(b100)) + mpmath.mpf(10) ** (-RECHECK_DPS[1] + 20)
            if abs(d100) > floor and abs(d100 - d50) <= STABLE * abs(d100):
                return i, a50, b50
    return None
