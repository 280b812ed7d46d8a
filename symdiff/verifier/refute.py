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
"""
from __future__ import annotations

import time

import numpy as np
import sympy as sp

from .certified import BallEvaluator, Undefined, certainly_nonzero
from .inputs import expr_block
from .numeric import evaluate_point, prepare_expr, probe_points, refuted_record

__all__ = ["refutation_search"]

SWEEP = [s * sp.Integer(10) ** k for k in range(-15, 31) for s in (1, -1)]
RANDOM_TRIES = 60


class _Shim:
    """What ``probe_points`` needs: the domain and the expressions whose kinks are probed."""

    def __init__(self, domain, expr):
        self.domain, self._expr = domain, expr

    def site_exprs(self):
        return [self._expr]


def _candidates(problem, residual, rng, deadline):
    domain = problem.domain
    free = domain.free
    base = domain.propose(rng, 0)
    names = sorted({s.name for s in residual.free_symbols if isinstance(s, sp.Symbol)} & set(free))
    for name in names or free:
        for v in SWEEP:
            yield domain.propose(rng, 2, fixed={**{n: base[n] for n in free if n != name}, name: v})
    for point in probe_points(_Shim(domain, residual), rng, deadline):
        yield point
    for i in range(RANDOM_TRIES):
        yield domain.propose(rng, i)


def refutation_search(problem, residual, seed: int, deadline: float) -> dict | None:
    """A certified counterexample found with the help of ``residual``, or None."""
    names = problem.input_names
    rng = np.random.default_rng(seed + 7919)
    finder = BallEvaluator([expr_block(residual)], names, prepare=prepare_expr)
    tried = 0
    for point in _candidates(problem, residual, rng, deadline):
        if time.monotonic() > deadline:
            break
        ok, _ = problem.domain.accepts(point)
        if not ok:
            continue
        values = [point[n] for n in names]
        try:
            (r,), *_ = finder.evaluate(values, 128)
        except Exception:
            continue
        if not (isinstance(r, Undefined) or (not isinstance(r, Exception) and certainly_nonzero(r))):
            continue
        tried += 1
        outcome = evaluate_point(problem, values, strict=True)
        if outcome.kind == "differ":
            return refuted_record(point, names, outcome)
        if tried >= 40:
            break
    return None
