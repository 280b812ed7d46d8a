"""A check as one budgeted call: ``verify_values`` (``verify`` after the LaTeX statements) and ``verify_identity``.

The whole call runs in one forked child (parsing and building the derivative
included), the stages in children of it (``symdiff.budget.run_with_budget``),
all killed at the deadline and limited in memory, so ``budget`` seconds are
exceeded by well under a second.  A matrix ``wrt`` (or a scalar ``wrt`` of a
function of matrices) goes to ``matrix_verify``; everything else is built into
a ``Problem`` (``problem.py``) and decided by ``decide.py``.
"""
from __future__ import annotations

import numbers
import sys
import time

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..budget import OutOfMemory, check_budget, run_with_budget
from ..errors import BudgetExceeded, SymdiffError
from .decide import decide
from .explain import seconds_text
from .inputs import Latex, looks_like_latex
from .matrix_identity import is_symbolic_matrix, verify_matrix_identity
from .matrix_verify import matrix_route, verify_matrix
from .names import unify_symbols
from .problem import derivative_problem, identity_problem
from .verdict import SIDES, Roles, Verdict

__all__ = ["verify_values", "verify_identity", "check_budget_and_seed", "whole_call"]


def verify_values(f, wrt, claimed, where=(), budget: float = 10.0, seed: int = 0, t0: float | None = None) -> Verdict:
    """``verify`` for inputs that are not LaTeX statements (``check.verify`` sends those to ``statements``)."""
    t0 = time.monotonic() if t0 is None else t0
    budget, seed = check_budget_and_seed(budget, seed)
    return whole_call(_verify_body, (f, wrt, claimed, where, budget, seed, t0), budget, t0)


def _verify_body(f, wrt, claimed, where, budget, seed, t0) -> Verdict:
    f, wrt, claimed, where = unify_symbols(f, wrt, claimed, where)
    route = matrix_route(f, wrt)
    if route is not None:
        return verify_matrix(route, claimed, where, budget, seed, t0)
    problem = derivative_problem(f, wrt, claimed, where)
    problem.budget = budget
    return decide(problem, seed, t0)


def verify_identity(lhs, rhs=None, where=(), budget: float = 10.0, seed: int = 0, roles: Roles = SIDES) -> Verdict:
    """Check ``lhs == rhs`` on the domain (entry by entry for lists and matrices).

    ``rhs`` may be omitted when ``lhs`` is an equation (``Eq(a, b)`` or LaTeX
    ``a = b``).  Same machinery and verdicts as ``verify``; a point where one
    side is defined and the other is not (or is complex) is a counterexample.
    ``roles``: what the explanation calls the two sides (``Roles("program",
    "printed formula")``); by default the left-hand and right-hand side.
    """
    t0 = time.monotonic()
    budget, seed = check_budget_and_seed(budget, seed)
    return whole_call(_identity_body, (lhs, rhs, where, roles, budget, seed, t0), budget, t0)


def _identity_body(lhs, rhs, where, roles, budget, seed, t0) -> Verdict:
    lhs, rhs, where = unify_symbols(lhs, rhs, where)
    if rhs is None and isinstance(lhs, sp.Equality) and any(map(is_symbolic_matrix, lhs.args)):
        lhs, rhs = lhs.args
    if rhs is not None and any(is_symbolic_matrix(v) or isinstance(v, MatrixExpr) for v in (lhs, rhs)):
        # (A B)^T = B^T A^T, tr(AB) = tr(BA), X X^{-1} = I (a side SymPy already made I_n)
        return verify_matrix_identity(lhs, rhs, where, max(budget - (time.monotonic() - t0), 0.5), seed)
    problem = identity_problem(lhs, rhs, where, roles)
    problem.budget = budget
    return decide(problem, seed, t0)


_WHOLE_MARGIN = 0.4     # seconds the whole call may take beyond the budget (forking, sending the verdict)
_MIN_READING = 1.0      # with no positive budget, reading the input still gets this long


_latex_ready = False
_WARM_UP_BUDGET = 3.0   # budgets at least this long load the LaTeX parser in this process, once


def _warm_up(args):
    """Load the LaTeX parser once in this process (not again in every child); it counts against the budget."""
    global _latex_ready
    if _latex_ready:
        return
    stack = list(args)
    while stack:
        item = stack.pop()
        if isinstance(item, Latex) or (isinstance(item, str) and looks_like_latex(item)):
            try:
                from ..latex import parse_latex
                parse_latex("x")
            except Exception:
                pass
            _latex_ready = True
            return
        if isinstance(item, (list, tuple)):
            stack.extend(item)


_enclosing_deadline = None   # in the child of a whole call: when that call is killed


_PRINTABLE_DIGITS = 100_000   # integers printed in a verdict (Python's default 4,300 is for untimed code)


def _until(deadline, body, args):
    global _enclosing_deadline
    _enclosing_deadline = deadline
    if hasattr(sys, "set_int_max_str_digits"):   # this child is timed: printing 100,000 digits takes 0.3 s
        sys.set_int_max_str_digits(_PRINTABLE_DIGITS)
    try:
        return body(*args)
    except ValueError as error:
        if "integer string conversion" not in str(error):
            raise
        raise SymdiffError(f"a number in the input has more than {_PRINTABLE_DIGITS:,} digits, too many to "
                           f"print in the verdict") from None


_until.__name__ = "the check"   # how an unexpected error inside it is reported ("the check failed: ...")


def whole_call(body, args, budget: float, t0: float) -> Verdict:
    """The whole check (parsing and building the derivative included) in one budgeted child."""
    if budget >= _WARM_UP_BUDGET:   # (a short budget leaves the import to the child, inside the budget)
        _warm_up(args[:-3])
    seconds = (budget if budget > 0 else _MIN_READING) + _WHOLE_MARGIN - (time.monotonic() - t0)
    seconds = max(seconds, 0.05)
    if _enclosing_deadline is not None and time.monotonic() + seconds >= _enclosing_deadline - 0.05:
        return body(*args)      # already inside a whole call that ends no later: no second child
    try:
        return run_with_budget(_until, time.monotonic() + seconds, body, args, seconds=seconds, propagate=True)
    except BudgetExceeded:
        return Verdict("undetermined", f"The time budget of {seconds_text(max(budget, 0))} ran out before the check "
                                       f"finished (reading the input and building the derivative count too), so "
                                       f"nothing was decided.", elapsed=time.monotonic() - t0)
    except OutOfMemory as exc:
        return Verdict("undetermined", f"The check ran out of memory ({exc}), so nothing was decided.",
                       elapsed=time.monotonic() - t0)


def check_budget_and_seed(budget, seed):
    budget = check_budget(budget)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise SymdiffError(f"seed must be a non-negative integer, got {seed!r}")
    return budget, int(seed)

