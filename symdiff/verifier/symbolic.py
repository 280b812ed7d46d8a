"""The symbolic stage: does claim - reference simplify to 0 on the domain?

The difference is formed entry by entry from closed forms, with the named
activations rewritten in elementary functions, floats read as the decimals they print
as (exactly: 0.333 never "equals" 1/3), and every symbol replaced by a real symbol carrying
only the assumptions the domain implies (``x > 0`` makes ``x`` positive; a
simplex makes its entries positive and its last entry ``1 - sum(others)``).
Then a cascade of increasingly expensive rewrites runs until one gives exactly
``0``.  Each of them (expand, cancel, simplify, rewriting in exponentials or
as piecewise functions) is an identity transformation valid under the
symbols' assumptions, so a zero means the two expressions agree wherever both
are defined on the domain.  The only non-literal zero accepted is a
``Piecewise`` that is 0 except on an equation where the difference is
undefined (``x/|x| - sign(x)`` is ``nan`` at ``x = 0``).

A zero is believed only if no side lost a singular point to the cancellation
(``singular.py``: ``(x**2 - 2)/(x - sqrt(2))`` against ``x + sqrt(2)`` is no proof
unless the domain excludes sqrt(2)).  A difference that is certainly nonzero -- by
SymPy's assumptions after a cheap step, or at a point of the domain next to one of
its kinks (``refute.nonzero_witness``) -- ends the cascade early: no rewrite can
make it 0, and the search for a counterexample gets the time.

This runs in a forked child under ``run_with_budget``; whatever does not
finish in time is simply not a proof.
"""
from __future__ import annotations

import time

import sympy as sp

from ..errors import ClosedFormTooLarge
from ..functions import to_elementary
from .refute import nonzero_witness
from .certified import PRECISIONS, Uncertain, certainly_real, finite_real_value, fmt_ball, fmt_point_value
from .singular import lost_singularity, piecewise_gap

__all__ = ["symbolic_stage", "STEPS"]


def _exp_cancel(d):
    return sp.cancel(sp.together(sp.expand(d.rewrite(sp.exp))))


def _exp_simplify(d):
    return sp.simplify(d.rewrite(sp.exp))


def _piecewise(d):
    return sp.simplify(sp.piecewise_fold(d.rewrite(sp.Piecewise)))


# (name used in explanations, transformation); cheap first
STEPS = (
    ("by SymPy's automatic evaluation", lambda d: d),
    ("after expanding", sp.expand),
    ("after cancelling over a common denominator", lambda d: sp.cancel(sp.together(d))),
    ("with sympy.simplify", sp.simplify),
    ("after rewriting in exponentials", _exp_cancel),
    ("after rewriting in exponentials and simplifying", _exp_simplify),
    ("after rewriting as piecewise functions", _piecewise),
)

_UNDEFINED = (sp.nan, sp.zoo, sp.oo, -sp.oo)
CHEAP_STEPS = 3                  # automatic evaluation, expand, cancel; then a quick look for a nonzero point
# a difference with switches: where it is nonzero, a search finds (rewrites of smooth ones often succeed)
SWITCHES = (sp.Heaviside, sp.sign, sp.Piecewise, sp.floor, sp.ceiling, sp.frac, sp.Max, sp.Min, sp.Abs)
WITNESS_SHARE, WITNESS_SECONDS = 0.1, (0.3, 0.5)   # the time that look may take: a share of the budget, bounded


def zero_kind(r) -> str | None:
    """'zero', 'almost' (0 except where undefined on an equation) or None."""
    if isinstance(r, sp.Basic) and r == sp.S.Zero:
        return "zero"
    if isinstance(r, sp.Piecewise):
        seen_zero = False
        for value, cond in r.args:
            if value == 0:
                seen_zero = True
                continue
            if value in _UNDEFINED and isinstance(cond, sp.Eq):
                continue
            return None
        return "almost" if seen_zero else None
    return None


def _exact(expr):
    from .numeric import decimal_floats
    return decimal_floats(expr)


def prepare(expr, symbols: dict, substitutions: list):
    """Elementary functions, domain symbols by name, domain substitutions, exact numbers."""
    expr = to_elementary(sp.sympify(expr))
    mapping = {s: symbols[s.name] for s in expr.free_symbols
               if isinstance(s, sp.Symbol) and s.name in symbols}
    return _exact(_substitute(expr.xreplace(mapping), symbols, substitutions))


def _substitute(expr, symbols: dict, substitutions: list):
    for name, rhs in reversed(substitutions):
        target = symbols.get(name)
        if target is not None and target in expr.free_symbols:
            expr = expr.xreplace({target: rhs})
    return expr


def symbolic_stage(problem) -> dict:
    """Try to prove every entry's difference is 0.  A plain dict comes back."""
    assumptions = problem.domain.symbolic_assumptions()
    symbols = {}
    for name, a in assumptions.items():
        try:
            symbols[name] = sp.Symbol(name, real=True, **a)
        except Exception:  # inconsistent assumptions: keep the plain real symbol
            symbols[name] = sp.Symbol(name, real=True)
    substitutions = []
    for name, rhs in problem.domain.symbolic_substitutions():
        rhs = rhs.xreplace({s: symbols[s.name] for s in rhs.free_symbols
                            if isinstance(s, sp.Symbol) and s.name in symbols})
        substitutions.append((name, rhs))
    cases = problem.domain.discrete_cases()
    case_maps = [{symbols[n]: v for n, v in case.items() if n in symbols} for case in cases] if cases else [{}]
    steps = []
    almost = []
    look = min(max(WITNESS_SHARE * problem.budget, WITNESS_SECONDS[0]), WITNESS_SECONDS[1])
    for i, (closed_a, closed_b) in enumerate(problem.closed):
        try:
            raw = (prepare(closed_a(), symbols, []), prepare(closed_b(), symbols, []))
            d = _exact(_substitute(raw[0], symbols, substitutions)) - _exact(_substitute(raw[1], symbols, substitutions))
        except ClosedFormTooLarge as exc:
            return {"status": "too_large", "entry": i, "size": exc.estimated_size}
        if _partly_undefined(closed_a, closed_b):
            # a side with no value on part of the domain is never proved equal to one that has a value there
            return {"status": "nonzero", "entry": i, "residual": "a side that is undefined on part of the domain "
                    "(a Piecewise with no otherwise-branch, or nan/zoo)", "constant": False,
                    "singular_point": None if cases else _piecewise_gap(problem, raw)}
        for case in case_maps:  # a one-hot or sign vector: every value it can take, one by one
            witnesses = []
            found = _prove(d.xreplace(case) if case else d,
                           lambda r: _noted(witnesses, nonzero_witness(problem, r, time.monotonic() + look,
                                                                       fixed={s.name: v for s, v in case.items()},
                                                                       smooth=not r.has(*SWITCHES))))
            if found[0] is None:
                last = found[1]
                residual = sp.sstr(last)
                return {"status": "nonzero", "entry": i, "residual_expr": last if sp.count_ops(last) < 400 else None,
                        "witness": witnesses[-1] if witnesses and witnesses[-1] and not case else None,
                        "fixed": {s.name: v for s, v in case.items()},   # the discrete case the residual is for
                        "residual": residual if len(residual) <= 120 else residual[:117] + "...",
                        "constant": bool(not case and last.is_number and last.is_zero is False
                                         and not last.has(*_UNDEFINED))}
            name, r, kind = found
            steps.append(name)
            lost, pole = _lost_singularity(problem, tuple(e.xreplace(case) if case else e for e in raw),
                                           lambda e: _exact(_substitute(e, symbols, substitutions)),
                                           _written(problem, i, symbols, case),
                                           _written(problem, i, symbols, case, "divisors"))
            if kind == "almost" and problem.kind != "derivative" and pole is None:
                # 0 except where undefined: one side has no value there, so no proof of an identity
                return {"status": "nonzero", "entry": i, "residual": sp.sstr(r)[:120], "constant": False}
            if lost is not None:
                # cancelled, but a side has no value at a point of the domain where the other has one
                # (``pole``: an exact point of a polynomial divisor, the other side certified -- a counterexample)
                return {"status": "nonzero", "entry": i, "residual": lost, "constant": False, "singular": True,
                        "singular_point": None if case else pole}
            if kind == "almost":
                almost.append((i, sorted({f"{sp.sstr(c.lhs)} = {sp.sstr(c.rhs)}"
                                          for v, c in r.args if v in _UNDEFINED})))
    return {"status": "zero", "steps": steps, "almost": almost, "cases": len(cases) if cases else 0}


def _noted(seen: list, point):
    """``point``, kept in ``seen`` (a point where the residual is certainly nonzero crosses back to ``decide``)."""
    seen.append(point)
    return point


def _written(problem, i, symbols, case, field="written") -> tuple:
    """The singular sets of entry ``i``'s lines as written (program lines, cancelled quotients);
    ``field="divisors"``: only those that divide by zero."""
    which = getattr(problem, field)
    if not which:
        return ((), ())
    out = []
    for thunk in which[i]:
        try:
            out.append([prepare(g, symbols, []).xreplace(case) if case else prepare(g, symbols, [])
                        for g in thunk()])
        except ClosedFormTooLarge:
            out.append([])
    return tuple(out)


def _lost_singularity(problem, sides, substitute, written=((), ()), divisors=((), ())):
    """``(why a zero difference is no proof, or None; a certified counterexample at a pole, or None)``."""
    if problem.kind == "derivative":   # the reference may be undefined where the claim is (a kink): a.e.
        who = (("the claim", True), ("the derivative", False))
    else:
        who = (("the left-hand side", True), ("the right-hand side", True))
    try:
        found = lost_singularity(problem.domain, sides, substitute, who, written=written, divisors=divisors,
                                 certify=lambda e, point: _certified_other(problem, e, point))
    except Exception as exc:   # SymPy failing on a singular set: no proof either
        return f"the places where a side is undefined could not be checked ({type(exc).__name__})", None
    if found is None:
        return None, None
    why, pole = found
    return why, _portable(pole)


def _portable(pole):
    """Balls do not cross the forked child's pipe: their certified digits do."""
    if pole is not None:
        z = pole.pop("value")
        exact = pole.pop("exact")
        pole["value_text"] = fmt_point_value(exact) if exact is not None else fmt_ball(z)
        pole["value_float"] = float(z.real.mid())
    return pole


def _piecewise_gap(problem, sides):
    """A certified counterexample where a side's Piecewise has no branch, or None."""
    who = (("the claim", True), ("the derivative", False)) if problem.kind == "derivative" else \
        (("the left-hand side", True), ("the right-hand side", True))
    try:
        return _portable(piecewise_gap(problem.domain, sides, who,
                                       lambda e, point: _certified_other(problem, e, point)))
    except Exception:   # SymPy failing on the conditions: no counterexample
        return None


def _certified_other(problem, expr, point):
    """The other side's certified finite real value at ``point`` -- for a derivative only when the
    function itself (every line of it) is finite and real there too -- or None."""
    value = finite_real_value(expr, point)
    if value is None or problem.guard is None:
        return value
    try:
        values = [point[n] for n in problem.input_names]
    except KeyError:
        return None
    for prec in PRECISIONS:
        try:
            outputs, kink, _, collected = problem.guard(values, prec)
        except Exception:   # no certified evaluation of the function: no counterexample
            return None
        got = list(outputs) + list(collected)
        if any(isinstance(v, Uncertain) for v in got):
            continue
        # at a kink of the function (|x| at 0) the derivative does not exist: whatever the claim
        # does there is no counterexample
        ok = kink > 0 and all(not isinstance(v, Exception) and v.is_finite() and certainly_real(v) for v in got)
        return value if ok else None
    return None


def _partly_undefined(*thunks) -> bool:
    """A Piecewise without a true last condition, or nan/zoo/oo, in a closed form."""
    for thunk in thunks:
        expr = thunk()
        if isinstance(expr, sp.Basic):
            if expr.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
                return True
            for pw in expr.atoms(sp.Piecewise):
                if pw.args[-1].cond is not sp.true and sp.Or(*(c for _, c in pw.args)).simplify() is not sp.true:
                    return True
    return False


def _prove(d, witness=None):
    """``(step name, result, kind)`` of the first step giving 0, or ``(None, simplest form)``.

    ``witness(r)`` says whether ``r`` is certainly nonzero at a point of the domain; it is asked
    once the cheap steps have failed, so that a wrong claim leaves the time to the search for a
    counterexample instead of spending it on rewrites that cannot give 0.
    """
    last = d
    for index, (name, step) in enumerate(STEPS):
        if index == CHEAP_STEPS and witness is not None and isinstance(last, sp.Expr) and last.free_symbols \
                and sp.count_ops(last) < (400 if last.has(*SWITCHES) else 100) and witness(last):
            return None, last
        try:
            r = step(d)
        except Exception:  # a rewrite SymPy cannot do is no proof
            continue
        kind = zero_kind(r)
        if kind is not None:
            return name, r, kind
        if isinstance(r, sp.Basic) and sp.count_ops(r) <= sp.count_ops(last):
            last = r
            if index < CHEAP_STEPS and _never_zero(r):   # exp(-(x - 300)**2): no rewrite can make it 0
                return None, r
    return None, last


def _never_zero(r) -> bool:
    """SymPy's assumptions say ``r`` is nonzero for every value of its (real, assumed) symbols."""
    # a sum's sign is where SymPy's assumptions are slow and rarely decisive: single terms only
    if not isinstance(r, sp.Expr) or isinstance(r, sp.Add) or r.has(*_UNDEFINED, *SWITCHES) or sp.count_ops(r) > 200:
        return False
    try:
        return r.is_zero is False
    except Exception:
        return False
