"""``verify`` and ``verify_identity``: the decision procedure.

1. Read the inputs into blocks (``inputs``), compute the reference derivative
   with ``symdiff.gradient`` (one reverse pass per component of a vector or
   matrix function), and describe the domain (``domain``).
2. Numeric stage (``numeric``), first because it is cheap and refutes fast:
   sample exact points of the domain, evaluate both sides in ball arithmetic
   (``certified``) with rising precision; one certified disagreement refutes.
3. Symbolic stage (``symbolic``), with the time that is left: claim minus
   reference, simplified under the domain's assumptions.  Exactly 0, plus no
   disagreement at the sampled points (and at least one usable point, and no
   side undefined where the other is defined), is a proof.
4. If SymPy leaves a nonzero difference, ``refute.refutation_search`` looks
   where it says; otherwise agreement at enough points is 'consistent'.

The whole call runs in one forked child (parsing and building the derivative
included), the stages in children of it (``symdiff.budget.run_with_budget``),
all killed at the deadline and limited in memory, so ``budget`` seconds are
exceeded by well under a second.

A matrix ``wrt`` (a ``MatrixSymbol``), or a scalar ``wrt`` of a function of
matrices, goes to the matrix path instead (reading the inputs in
``matrix_verify.py``, the comparison in ``matrix.py``): the claim is a matrix expression, the reference
``gradient(f, [X]).closed_form(X)``, and the domain's structure markers
(``symmetric``, ``spd``, ``invertible``, ``orthogonal``) shape the sampled
matrices.
"""
from __future__ import annotations

import math
import numbers
import re
import time
from dataclasses import dataclass
from typing import Callable

import mpmath
import sympy as sp

from ..budget import OutOfMemory, check_budget, run_with_budget
from ..closed_form import closed_forms
from ..errors import BudgetExceeded, NoRuleError, ProgramError, SymdiffError
from ..program import Program, _looks_like_program
from ..reverse import gradient
from .domain import Domain, Marker, flatten_where
from .inputs import (Block, ClaimShapeError, Latex, UnknownVariableError, describe_shape, expr_block, fits,
                     looks_like_latex, program_block, shaped, MAX_CLOSED_FORM_SIZE)
from .certified import fmt_point_value
from .numeric import ATOL, KINK_TOL, MIN_POINTS, RTOL, Side, numeric_stage
from .refute import refutation_search
from .symbolic import symbolic_stage
from .explain import coverage_text, partial_note
from .names import unify_symbols
from .verdict import Verdict

__all__ = ["verify", "verify_identity"]

_MIN_SYMBOLIC_SECONDS = 0.05
_NUMERIC_SHARE = 0.7     # of the budget, at most, for sampling (it stops early with fewer points)
_SEARCH_SHARE = 0.1      # of the budget (at most 1 s) kept from the proof for the refutation search


@dataclass
class Problem:
    """Everything the two stages need; inherited by the forked children."""

    kind: str                      # "derivative" or "identity"
    domain: Domain
    input_names: list[str]
    side_a: Side                   # the claim / the left-hand side
    side_b: Side                   # the reference derivative / the right-hand side
    guard: Side | None             # the function itself: all its values must be real
    pairs: list[tuple[int, int]]   # entry -> (output of side a, output of side b)
    labels: list[str]              # entry -> 'dF/dx', 'entry [1]'...
    closed: list[tuple[Callable, Callable]]   # entry -> closed forms (thunks)
    subject: str                   # 'dF/dx', 'the gradient of F with respect to (x, y)'...
    budget: float = 0.0
    sites: list = None             # closed forms whose kinks are probed (thunks)

    def site_exprs(self):
        """Closed forms of the claim, the function and both sides (those small enough)."""
        out = []
        for thunk in self.sites or []:
            try:
                out.append(thunk())
            except SymdiffError:
                continue
        return out


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------

def verify(f, wrt, claimed, where=(), variables=None, budget: float = 10.0, seed: int = 0) -> Verdict:
    """Check a hand-derived derivative ``claimed`` of ``f`` with respect to ``wrt``.

    Layout: scalar f and scalar wrt -> a scalar; scalar f and a vector of
    symbols -> the gradient (a list or column); a vector f (list or column
    Matrix) and a vector wrt -> the Jacobian J[i, j] = d f_i / d x_j; a vector
    or matrix f and a scalar wrt -> the shape of f; a scalar f of matrices
    and a matrix ``wrt`` (a ``MatrixSymbol`` X) -> a matrix expression of X's
    shape (d f / d X_ij at entry (i, j)).  ``where`` holds conditions
    (``x > 0``, ``Ne(x, a)``, ``'t < 1'``), substitutions (``Eq(y, 2*x)``) and
    structure markers (``simplex``, ``onehot``, ``pm1`` on scalars;
    ``symmetric``, ``spd``, ``invertible``, ``orthogonal`` on matrices).
    ``variables`` maps names (plain or LaTeX) to shapes: ``()``, ``(n,)``, ``(m, n)``.
    LaTeX ``f`` and ``claimed`` are read as statements (``statements.py``):
    definitions, derivative left sides, chains, where-clauses; the verdict's
    ``read_as`` says how.

    Returns a ``Verdict`` whose status means exactly: 'proved' -- a symbolic
    proof on the stated domain; 'refuted' -- a counterexample certified with
    ball arithmetic (the point is exact, the difference provably nonzero);
    'consistent' -- no disagreement at the sampled points listed in
    ``coverage`` (evidence, not a proof: a claim wrong only on a small set
    the sampler missed can come back consistent); 'undetermined' -- none of
    these, with the reason.  ``budget`` (seconds, ``inf`` allowed) bounds the
    whole call, reading the input included, to within about a second.  Bad
    input raises a ``SymdiffError``.
    """
    t0 = time.monotonic()
    budget, seed = _check_budget_and_seed(budget, seed)
    from .statements import uses_statements, verify_statement
    if uses_statements(f, claimed, where, variables):
        return verify_statement(f, wrt, claimed, where, variables, budget, seed)
    return _whole_call(_verify_body, (f, wrt, claimed, where, budget, seed, t0), budget, t0)


def _verify_body(f, wrt, claimed, where, budget, seed, t0) -> Verdict:
    from .matrix_verify import matrix_route, verify_matrix   # (it builds on this module's helpers)

    f, wrt, claimed, where = unify_symbols(f, wrt, claimed, where)
    route = matrix_route(f, wrt)
    if route is not None:
        return verify_matrix(route, claimed, where, budget, seed, t0)
    problem = _derivative_problem(f, wrt, claimed, where)
    problem.budget = budget
    return _decide(problem, seed, t0)


def verify_identity(lhs, rhs=None, where=(), budget: float = 10.0, seed: int = 0) -> Verdict:
    """Check ``lhs == rhs`` on the domain (entry by entry for lists and matrices).

    ``rhs`` may be omitted when ``lhs`` is an equation (``Eq(a, b)`` or LaTeX
    ``a = b``).  Same machinery and verdicts as ``verify``; a point where one
    side is defined and the other is not (or is complex) is a counterexample.
    """
    t0 = time.monotonic()
    budget, seed = _check_budget_and_seed(budget, seed)
    return _whole_call(_identity_body, (lhs, rhs, where, budget, seed, t0), budget, t0)


def _identity_body(lhs, rhs, where, budget, seed, t0) -> Verdict:
    lhs, rhs, where = unify_symbols(lhs, rhs, where)
    problem = _identity_problem(lhs, rhs, where)
    problem.budget = budget
    return _decide(problem, seed, t0)


_WHOLE_MARGIN = 0.6     # seconds the whole call may take beyond the budget (forking, sending the verdict)
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


def _whole_call(body, args, budget: float, t0: float) -> Verdict:
    """The whole check (parsing and building the derivative included) in one budgeted child."""
    if budget >= _WARM_UP_BUDGET:   # (a short budget leaves the import to the child, inside the budget)
        _warm_up(args[:-3])
    seconds = (budget if budget > 0 else _MIN_READING) + _WHOLE_MARGIN - (time.monotonic() - t0)
    try:
        return run_with_budget(body, *args, seconds=max(seconds, 0.05), propagate=True)
    except BudgetExceeded:
        return Verdict("undetermined", f"The time budget of {_seconds(max(budget, 0))} ran out before the check "
                                       f"finished (reading the input and building the derivative count too), so "
                                       f"nothing was decided.", elapsed=time.monotonic() - t0)
    except OutOfMemory as exc:
        return Verdict("undetermined", f"The check ran out of memory ({exc}), so nothing was decided.",
                       elapsed=time.monotonic() - t0)


def _check_budget_and_seed(budget, seed):
    budget = check_budget(budget)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise SymdiffError(f"seed must be a non-negative integer, got {seed!r}")
    return budget, int(seed)


# ---------------------------------------------------------------------------
# Building the problems
# ---------------------------------------------------------------------------

def _read_wrt(wrt) -> tuple[list[str], tuple, list]:
    """Names of the variables, the shape of wrt (() or (n,)) and the user's symbols."""
    if isinstance(wrt, str):   # (a MatrixSymbol wrt takes the matrix path: matrix_verify.py)
        names = [n.strip() for n in wrt.split(",") if n.strip()]
        shape = (len(names),) if "," in wrt else ()
        symbols = []
    elif isinstance(wrt, sp.Symbol):
        names, shape, symbols = [wrt.name], (), [wrt]
    elif isinstance(wrt, (list, tuple, sp.MatrixBase)):
        if isinstance(wrt, sp.MatrixBase) and 1 not in wrt.shape:
            raise SymdiffError(f"wrt must be a vector of symbols, got a {wrt.rows} x {wrt.cols} matrix")
        items = list(wrt)
        names, symbols = [], []
        for w in items:
            if isinstance(w, sp.MatrixSymbol):
                raise SymdiffError(f"wrt lists the matrix {w.name}; verify differentiates with respect to one "
                                   f"matrix at a time: pass wrt={w.name} itself, not a list containing it")
            if isinstance(w, sp.Symbol):
                names.append(w.name)
                symbols.append(w)
            elif isinstance(w, str) and "," not in w:
                names.append(w.strip())
            else:
                raise SymdiffError(f"wrt must list variables (symbols or names), got {w!r}")
        shape = (len(names),)
    else:
        raise SymdiffError(f"wrt must be a symbol, a name, or a list of them; got {type(wrt).__name__}")
    if not names:
        raise SymdiffError("no variable to differentiate with respect to")
    for n in names:
        if not n.isidentifier():
            raise SymdiffError(f"{n!r} is not a variable name")
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise SymdiffError(f"wrt lists {', '.join(dup)} more than once")
    return names, shape, symbols


def _user_program(f) -> bool:
    """Program text or a Program: its intermediates have the user's names."""
    if isinstance(f, Program):
        return True
    return isinstance(f, str) and not looks_like_latex(f) and _looks_like_program(f)


def _as_program(value) -> Program:
    if isinstance(value, Program):
        return value
    return Program.from_expr(value)


def _reference_block(program: Program, wrt_names: list[str], user: bool, fname: str) -> Block:
    """d output / d w for each w: a gradient program, zero for variables it does not use."""
    inputs = {s.name for s in program.inputs}
    # program text names its intermediates: d output / d S of one is the lecture's adjoint
    targets = {t.name for t in program.targets()} - {program.output.name} if user else set()
    used = [w for w in wrt_names if w in inputs or w in targets]
    if not used:
        return Block([], [sp.Integer(0)] * len(wrt_names))
    try:
        g = gradient(program, used)
    except NoRuleError:
        return _sympy_reference(program, wrt_names)
    by_name = {w.name: w for w in g.wrt}
    outputs = [g.grads[by_name[w]] if w in by_name else sp.Integer(0) for w in wrt_names]

    def closed(i, g=g, by_name=by_name):
        w = wrt_names[i]
        return g.closed_form(by_name[w]) if w in by_name else sp.Integer(0)

    return Block(list(g.program.assignments), outputs, closed=closed)


def _sympy_reference(program: Program, wrt_names: list[str]) -> Block:
    """When the rule table has no entry: SymPy's own derivative of the closed form."""
    subs = closed_forms(program.assignments, max_size=MAX_CLOSED_FORM_SIZE)
    expr = program.output.xreplace(subs)
    symbols = {s.name: s for s in expr.free_symbols if isinstance(s, sp.Symbol)}
    outputs = []
    for w in wrt_names:
        d = sp.diff(expr, symbols[w]) if w in symbols else sp.Integer(0)
        if d.has(sp.Derivative, sp.Subs):
            raise NoRuleError(f"no derivative rule for a function in {sp.sstr(expr)[:80]}")
        outputs.append(d)
    return Block([], outputs)


def _expected(f_shape, wrt_shape, fname, wrt_names):
    """(expected claim shape, what it is called, the subject of explanations)."""
    wrt_text = ", ".join(wrt_names)
    if len(f_shape) == 2 and f_shape[1] == 1:
        f_shape = (f_shape[0],)
    if f_shape == ():
        if wrt_shape == ():
            return (), f"d{fname}/d{wrt_names[0]}", f"d{fname}/d{wrt_names[0]}"
        subject = f"the gradient of {fname} with respect to ({wrt_text})"
        return (len(wrt_names),), subject, subject
    if len(f_shape) == 1:
        if wrt_shape == ():
            subject = f"the derivative of each entry of {fname} with respect to {wrt_names[0]}"
            return (f_shape[0], 1), subject, subject
        subject = f"the Jacobian of {fname} with respect to ({wrt_text})"
        return (f_shape[0], len(wrt_names)), subject, subject
    if wrt_shape == ():
        subject = f"the derivative of each entry of {fname} with respect to {wrt_names[0]}"
        return f_shape, subject, subject
    raise ClaimShapeError(f"the derivative of a {f_shape[0]} x {f_shape[1]} matrix with respect to a vector of "
                          f"{len(wrt_names)} variables has three indices; verify checks scalars, gradients, "
                          f"Jacobians and derivatives of matrices with respect to one scalar")


def _describe_expected(shape) -> str:
    if shape == ():
        return "a scalar"
    if len(shape) == 1:
        return f"a list (or column) of {shape[0]} entr{'y' if shape[0] == 1 else 'ies'}"
    if shape[1] == 1:
        return f"a list (or column) of {shape[0]} entr{'y' if shape[0] == 1 else 'ies'}"
    return f"a {shape[0]} x {shape[1]} matrix (a Matrix or a list of {shape[0]} rows of {shape[1]})"


def _symbol_facts(symbols) -> dict[str, dict]:
    facts: dict[str, dict] = {}
    for s in sorted(symbols, key=lambda s: s.name):
        f = facts.setdefault(s.name, {})
        for key in ("positive", "negative", "nonnegative", "nonpositive", "nonzero", "integer"):
            if getattr(s, f"is_{key}") is True:
                f[key] = True
        if f.get("positive") or f.get("negative"):
            f.pop("nonzero", None)
            f.pop("nonnegative" if f.get("positive") else "nonpositive", None)
    return facts


def _where_symbols(items) -> list:
    found = []
    for item in items:
        if isinstance(item, Marker):
            found.extend(item.symbols)
        elif isinstance(item, sp.Basic):
            found.extend(sorted((s for s in item.free_symbols if isinstance(s, sp.Symbol)),
                                key=lambda s: s.name))
    return found


def _ordered_unique(names):
    return list(dict.fromkeys(names))


def natural(name: str):
    """Sort key: x2 before x10."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


def _make_domain(name_order, user_symbols, where_items) -> Domain:
    facts = _symbol_facts(user_symbols + _where_symbols(where_items))
    variables = [sp.Symbol(n, real=True) for n in _ordered_unique(name_order)]
    return Domain(variables, where_items, facts={n: f for n, f in facts.items() if f})


def _component_label(fname, shape, k):
    if shape == ():
        return fname
    if len(shape) == 1 or shape[1] == 1:
        return f"{fname}[{k}]"
    return f"{fname}[{k // shape[1]}, {k % shape[1]}]"


_UNEVALUATED = (sp.Derivative, sp.Integral, sp.Subs, sp.Sum, sp.Product)


def _check_evaluable(values, role):
    for v in values:
        if isinstance(v, Program):
            exprs = [e for _, e in v.assignments]
        else:
            exprs = [v]
        for e in exprs:
            undefined = sorted({type(a).__name__ for a in e.atoms(sp.core.function.AppliedUndef)})
            if undefined:
                raise SymdiffError(f"the {role} uses {', '.join(undefined)}, a function with no definition; "
                                   f"write it out (or use one of symdiff's functions)")
            for kind in _UNEVALUATED:
                if e.has(kind):
                    raise SymdiffError(f"the {role} contains an unevaluated {kind.__name__}; write it out "
                                       f"(e.g. with .doit())")


def _derivative_problem(f, wrt, claimed, where) -> Problem:
    wrt_names, wrt_shape, wrt_symbols = _read_wrt(wrt)
    f_shape, f_values = shaped(f, role="function", as_function=True)
    if any(isinstance(v, sp.MatrixBase) for v in f_values):
        raise ClaimShapeError("the function has matrix entries")
    _check_evaluable(f_values, "function")
    programs = [_as_program(v) for v in f_values]
    user = f_shape == () and _user_program(f)
    fname = programs[0].output.name if f_shape == () else "F"
    expected, what, subject = _expected(f_shape, wrt_shape, fname, wrt_names)

    c_shape, c_values = shaped(claimed, role="claim", as_function=False)
    _check_evaluable(c_values, "claim")
    if not fits(c_shape, expected):
        raise ClaimShapeError(f"the claim is {describe_shape(c_shape)}, but {what} is "
                              f"{_describe_expected(expected)}")

    # reference: one gradient program per component of f
    n_wrt = len(wrt_names)
    ref_blocks = [_reference_block(p, wrt_names, user, fname) for p in programs]
    guard_blocks = [program_block(p) for p in programs]

    # the claim, entry by entry; program-text functions lend their intermediates
    f_inputs = _ordered_unique(s.name for p in programs for s in p.inputs)
    f_targets = {t.name for t in programs[0].targets()} if user else set()
    claim_blocks = []
    for value in c_values:
        block = program_block(value) if isinstance(value, Program) else expr_block(value)
        borrowed = {s.name for s in block.symbols} & f_targets
        if borrowed:
            clash = block.target_names & f_targets
            if clash:
                raise ProgramError(f"the claim assigns {', '.join(sorted(clash))}, which the function's "
                                   f"program already assigns")
            block = Block(list(programs[0].assignments) + block.assignments, block.outputs)
        claim_blocks.append(block)
    allowed = set(f_inputs) | set(wrt_names) | f_targets
    used = sorted({s.name for b in claim_blocks for s in b.symbols} - f_targets)
    unknown = [n for n in used if n not in allowed]
    if unknown:
        listed = ", ".join(f_inputs) if f_inputs else "none"
        raise UnknownVariableError(
            f"the claim uses {', '.join(unknown)}, which {'is' if len(unknown) == 1 else 'are'} not a variable "
            f"of {fname} (its variables: {listed}) nor a variable of differentiation ({', '.join(wrt_names)})")

    where_items = flatten_where(where)
    if f_targets:
        named = sorted({s.name for s in _where_symbols(where_items)} & (f_targets - set(f_inputs)))
        if named:
            raise SymdiffError(f"where= mentions {', '.join(named)}, an intermediate of the program; "
                               f"state the conditions on its inputs")
    user_symbols = [s for p in programs for s in p.inputs if isinstance(s, sp.Symbol)] \
        + [s for s in wrt_symbols if s.name not in f_targets] \
        + sorted((s for b in claim_blocks for s in b.symbols if s.name not in f_targets), key=lambda s: s.name)
    order = [w for w in wrt_names if w not in f_targets] + sorted(f_inputs, key=natural) + used
    domain = _make_domain(order, user_symbols, where_items)
    names = [v.name for v in domain.variables]

    n_entries = len(c_values)
    labels = []
    for k in range(n_entries):
        comp, j = divmod(k, n_wrt)
        labels.append(f"d{_component_label(fname, f_shape, comp)}/d{wrt_names[j]}")
    pairs = [(k, k) for k in range(n_entries)]
    closed = []
    for k in range(n_entries):
        comp, j = divmod(k, n_wrt)
        closed.append((lambda b=claim_blocks[k]: b.closed_form(0),
                       lambda b=ref_blocks[comp], j=j: b.closed_form(j)))
    sites = [lambda b=b: b.closed_form(0) for b in claim_blocks + guard_blocks]
    return Problem(kind="derivative", domain=domain, input_names=names,
                   side_a=Side(claim_blocks, names), side_b=Side(ref_blocks, names),
                   guard=Side(guard_blocks, names, collect_all=True), pairs=pairs, labels=labels,
                   closed=closed, subject=subject, sites=sites)


def _split_equation(lhs):
    value = lhs
    if isinstance(lhs, Latex) or (isinstance(lhs, str) and looks_like_latex(lhs)):
        from .inputs import parse_latex_text
        text, options = (lhs.text, lhs.options) if isinstance(lhs, Latex) else (lhs, {})
        value = parse_latex_text(text, options)
    elif isinstance(lhs, str) and "==" in lhs:
        left, _, right = lhs.partition("==")
        return left, right
    if isinstance(value, sp.Eq):
        return value.lhs, value.rhs
    raise SymdiffError("verify_identity needs two sides, or one equation (Eq(a, b) or LaTeX 'a = b')")


def _identity_problem(lhs, rhs, where) -> Problem:
    if rhs is None:
        lhs, rhs = _split_equation(lhs)
    l_shape, l_values = shaped(lhs, role="left-hand side", as_function=False)
    r_shape, r_values = shaped(rhs, role="right-hand side", as_function=False)
    _check_evaluable(l_values, "left-hand side")
    _check_evaluable(r_values, "right-hand side")
    if not (fits(l_shape, r_shape) or fits(r_shape, l_shape)):
        raise ClaimShapeError(f"the two sides have different shapes: the left-hand side is "
                              f"{describe_shape(l_shape)} and the right-hand side is {describe_shape(r_shape)}")
    blocks_l = [program_block(v) if isinstance(v, Program) else expr_block(v) for v in l_values]
    blocks_r = [program_block(v) if isinstance(v, Program) else expr_block(v) for v in r_values]
    where_items = flatten_where(where)
    syms_l = sorted({s for b in blocks_l for s in b.symbols}, key=lambda s: s.name)
    syms_r = sorted({s for b in blocks_r for s in b.symbols}, key=lambda s: s.name)
    order = sorted({s.name for s in syms_l + syms_r}, key=natural)
    domain = _make_domain(order, syms_l + syms_r, where_items)
    names = [v.name for v in domain.variables]
    shape = l_shape if len(l_shape) >= len(r_shape) else r_shape
    n = len(l_values)
    labels = ["" if shape == () else f"entry {_component_label('', shape, k)}" for k in range(n)]
    closed = [(lambda b=blocks_l[k]: b.closed_form(0), lambda b=blocks_r[k]: b.closed_form(0))
              for k in range(n)]
    return Problem(kind="identity", domain=domain, input_names=names,
                   side_a=Side(blocks_l, names), side_b=Side(blocks_r, names), guard=None,
                   pairs=[(k, k) for k in range(n)], labels=labels, closed=closed,
                   subject="the two sides", sites=[lambda b=b: b.closed_form(0) for b in blocks_l + blocks_r])


# ---------------------------------------------------------------------------
# Deciding
# ---------------------------------------------------------------------------

def _decide(problem: Problem, seed: int, t0: float) -> Verdict:
    deadline = t0 + problem.budget
    domain = problem.domain

    def done(status, text, counterexample=None, evidence=None, coverage=None):
        return Verdict(status, text, counterexample, evidence, elapsed=time.monotonic() - t0, coverage=coverage)

    if domain.unsatisfiable:
        return done("undetermined", f"The domain is empty: {domain.unsatisfiable}, so there is nothing to "
                                    f"check.")
    if problem.budget <= 0:
        return done("undetermined", "The time budget is not positive, so nothing was checked.")

    remaining = deadline - time.monotonic()
    numeric_deadline = t0 + _NUMERIC_SHARE * problem.budget   # the rest is kept for the proof
    try:
        num = run_with_budget(numeric_stage, problem, seed, numeric_deadline, seconds=remaining)
    except BudgetExceeded:
        num = {"status": "timeout"}
    except SymdiffError as exc:
        num = {"status": "error", "message": str(exc)}

    status = num["status"]
    if status == "refuted":
        return _refuted(problem, num, done)
    if status == "empty":
        cond = num.get("condition")
        why = (f"no candidate satisfied the condition {cond}" if cond
               else "no candidate satisfied the domain's conditions")
        return done("undetermined", f"No point of the domain was found: in {num['tries']} random tries "
                                    f"{why} (the domain may be empty), so nothing was checked.")
    if status == "timeout":
        return done("undetermined", f"The time budget of {_seconds(problem.budget)} ran out during the numeric "
                                    f"check, before enough points were compared (no disagreement was found "
                                    f"before that), and no symbolic proof was attempted.")
    if status == "error":
        return done("undetermined", f"The numeric check could not be run ({num['message']}), so nothing was "
                                    f"decided.")

    # "agree" or "few": try to prove it
    remaining = deadline - time.monotonic()
    if remaining < _MIN_SYMBOLIC_SECONDS:
        sym = {"status": "timeout"}
    else:
        try:
            # for the refutation search after it (short budgets: all of it for the proof)
            reserve = min(_SEARCH_SHARE * problem.budget, 1.0) if problem.budget >= 5 else 0.0
            sym = run_with_budget(symbolic_stage, problem, seconds=max(remaining - reserve, _MIN_SYMBOLIC_SECONDS))
        except BudgetExceeded:
            sym = {"status": "timeout"}
        except SymdiffError as exc:
            sym = {"status": "error", "message": str(exc)}
    residual = sym.pop("residual_expr", None)
    remaining = deadline - time.monotonic()
    if sym["status"] == "nonzero" and residual is not None and remaining > _MIN_SYMBOLIC_SECONDS:
        try:
            found = run_with_budget(refutation_search, problem, residual, seed, deadline - 0.05, seconds=remaining)
        except SymdiffError:
            found = None
        if found is not None:
            return _refuted(problem, found, done, searched=True)
    return _conclude(problem, num, sym, done)


def _seconds(x: float) -> str:
    return f"{x:g} s"


def _fmt_value(v) -> str:
    """A point coordinate as it was tested (sampled values have a few digits)."""
    if isinstance(v, sp.Integer):
        return str(int(v))
    if isinstance(v, sp.Rational):
        with mpmath.workdps(30):
            return mpmath.nstr(mpmath.mpf(int(v.p)) / int(v.q), 12)
    return mpmath.nstr(mpmath.mpf(sp.Float(sp.N(v, 30), 30)._mpf_), 12)


def _float(v):
    try:
        return float(v)
    except (TypeError, OverflowError):
        return v


def _fmt_pair(a: str, b: str) -> tuple[str, str]:
    """Two values with the fewest significant digits (>= 4) that tell them apart."""
    with mpmath.workdps(60):
        x, y = mpmath.mpf(a), mpmath.mpf(b)
        for digits in range(4, 41):
            sx, sy = mpmath.nstr(x, digits), mpmath.nstr(y, digits)
            if sx != sy:
                return sx, sy
        return mpmath.nstr(x, 40), mpmath.nstr(y, 40)


def _refuted(problem: Problem, num: dict, done, searched: bool = False) -> Verdict:
    point = num["point"]
    k = num["entry"]
    label = problem.labels[k]
    a, b = num["a"], num["b"]
    where = ", ".join(f"{n} = {fmt_point_value(v)}" for n, v in point.items())
    if problem.kind == "derivative":
        if num.get("a_undefined"):
            text = f"the claim is not defined but {label} is {b}"
        elif len(problem.labels) == 1:
            text = f"the claim gives {a} but {label} is {b}"
        else:
            text = f"the claimed {label} is {a} but {label} is {b}"
        end = "so the claim is wrong."
    else:
        if label:
            text = f"{label} of the left-hand side is {a} but of the right-hand side is {b}"
        else:
            text = f"the left-hand side is {a} but the right-hand side is {b}"
        end = "so the identity does not hold."
    text = f"At {where} {text}" if where else text[0].upper() + text[1:]
    text += f" (certified with ball arithmetic: every digit shown is exact, and the difference is not 0), {end}"
    if searched:
        text += (" The point was found by a search guided by the simplified difference, after "
                 "the random sample had shown no disagreement.")
    counterexample = {"point": {n: _float(v) for n, v in point.items()},
                      "exact_point": {n: fmt_point_value(v) for n, v in point.items()},
                      "claimed": num["a_float"], "actual": num["b_float"]}
    if problem.kind == "identity":
        counterexample["lhs"] = num["a_float"]
        counterexample["rhs"] = num["b_float"]
    if len(problem.labels) > 1:
        counterexample["entry"] = label
    return done("refuted", text, counterexample)


_REASONS = {
    "complex": "{who} was not a real number (e.g. the square root or logarithm of a negative number)",
    "undefined": "{who} was undefined (e.g. a division by zero)",
    "kink": "the point was within {tol:g} of a kink (such as |x| at 0) where the derivative does not exist",
    "unsupported": "{who} used a function with no certified (ball arithmetic) evaluation",
    "unclear": "{who} could not be told real or complex even with 2048-bit balls",
}


def _who(problem, side):
    if problem.kind == "derivative":
        return {"function": "the function", "a": "the claim", "b": "the derivative"}.get(side, "a value")
    return {"a": "the left-hand side", "b": "the right-hand side"}.get(side, "a value")


def _skip_text(problem, skipped: dict) -> str:
    merged: dict[str, int] = {}
    for key, count in skipped.items():
        side, reason = key.split(":")
        text = _REASONS[reason].format(who=_who(problem, side), tol=KINK_TOL)
        merged[text] = merged.get(text, 0) + count
    parts = [f"at {c} {text}" for text, c in sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))]
    return "; ".join(parts)


def _skipped_note(num: dict) -> str:
    notes = []
    probed = num.get("probed", 0)
    if probed:
        notes.append(f"{probed} of them next to kinks or branch switches")
    n = sum(num.get("skipped", {}).values())
    if n:
        notes.append(f"skipping {n} where something was not real, undefined or not differentiable")
    return "".join(f", {note}" for note in notes)


def _assumption_text(problem) -> str:
    groups: dict[tuple, list[str]] = {}
    for name, a in problem.domain.symbolic_assumptions().items():
        if a:
            groups.setdefault(tuple(sorted(a)), []).append(name)
    facts = []
    for adjectives, names in sorted(groups.items(), key=lambda kv: natural(min(kv[1], key=natural))):
        names = sorted(names, key=natural)
        verb = "is" if len(names) == 1 else "are"
        facts.append(f"{', '.join(names)} {verb} {' and '.join(adjectives)}")
    for name, rhs in problem.domain.symbolic_substitutions():
        facts.append(f"{name} = {sp.sstr(rhs, order='none')}")
    return f", using that {'; '.join(facts)} on the domain" if facts else ""


def _conclude(problem: Problem, num: dict, sym: dict, done) -> Verdict:
    used = num.get("used", 0)
    domain_text = problem.domain.describe()
    points = f"{used} point{'s' if used != 1 else ''}"
    evidence = {"points": used, "probes": num.get("probed", 0),
                "max_abs_diff": num.get("max_abs", 0.0), "max_rel_diff": num.get("max_rel", 0.0),
                "skipped": sum(num.get("skipped", {}).values()), "rtol": RTOL, "atol": ATOL}
    coverage = {"points": used, "magnitudes": num.get("magnitudes"), "signs": num.get("signs", []),
                "kink_probes": num.get("probed", 0), "undecided": num.get("undecided", 0),
                "skipped": evidence["skipped"]}
    covered = coverage_text(coverage) + partial_note(problem)
    if problem.kind == "derivative":
        difference = f"the difference between the claim and {problem.subject}"
        proved_end, agree_subject = "so the claim is proved", f"The claim and {problem.subject}"
    else:
        difference = "the difference between the two sides"
        proved_end, agree_subject = "so the identity holds", "The two sides"
    many = len(problem.pairs) > 1
    skipped_keys = num.get("skipped", {})
    one_sided = [k for k in ("a:undefined", "b:undefined") if skipped_keys.get(k)
                 and (problem.kind == "identity" or k == "a:undefined")]
    if sym["status"] == "zero" and one_sided:
        # 0 after cancelling, but one side has no value at points where the other has one: not a proof
        who = _who(problem, one_sided[0][0])
        sym = {"status": "nonzero", "entry": 0, "residual": "0 once a singularity is cancelled, but "
               f"{who} is undefined at {skipped_keys[one_sided[0]]} sampled point(s) where the other side "
               f"is defined", "constant": False}
    if sym["status"] == "zero" and used >= 1:
        steps = list(dict.fromkeys(sym["steps"]))
        how = " or ".join(steps)
        lead = f"Every entry of {difference}" if many else difference[0].upper() + difference[1:]
        cases = sym.get("cases", 0)
        each = f"; in each of the {cases} cases of the discrete variables" if cases else ""
        text = f"{lead} simplifies to 0 ({how}{_assumption_text(problem)}{each})"
        if sym.get("almost"):
            spots = sorted({c for _, conds in sym["almost"] for c in conds})
            text += f" wherever both sides are defined (they are not at {' or '.join(spots)})"
        text += (f", {proved_end}; the two also agree at {points} sampled from the domain "
                 f"({domain_text}){_skipped_note(num)}.{covered}")
        evidence["simplification"] = how
        return done("proved", text, evidence=evidence, coverage=coverage)

    if sym["status"] == "timeout":
        symbolic = (f"SymPy did not simplify {difference} to 0 within the time budget of "
                    f"{_seconds(problem.budget)}")
    elif sym["status"] == "nonzero":
        if many and problem.labels[sym["entry"]]:
            what = f"the difference for {problem.labels[sym['entry']]}"
        else:
            what = difference
        symbolic = f"SymPy could not simplify {what} to 0 (it stays {sym['residual']})"
    elif sym["status"] == "zero":
        symbolic = f"{difference[0].upper() + difference[1:]} simplifies to 0"
    elif sym["status"] == "too_large":
        symbolic = f"The closed forms are too large to simplify (about {sym['size']:,} tree nodes)"
    else:
        symbolic = f"The symbolic simplification failed ({sym.get('message', 'unknown error')})"

    if num["status"] == "agree":
        if sym["status"] == "nonzero" and sym.get("constant"):
            return done("undetermined", f"{agree_subject} agree at {points} sampled from the domain, but "
                                        f"{difference} simplifies to the nonzero constant {sym['residual']}; "
                                        f"the two checks contradict each other, so no verdict is given.",
                        evidence=evidence)
        text = (f"{agree_subject} agree at {points} sampled from the domain ({domain_text}){_skipped_note(num)}, "
                f"compared with certified ball arithmetic (largest relative difference "
                f"{evidence['max_rel_diff']:.2g}).{covered} {symbolic}, so this is numerical evidence, not a "
                f"proof: a disagreement confined between the sampled points (a narrow bump, a switch beyond "
                f"the largest magnitude) is not ruled out.")
        return done("consistent", text, evidence=evidence, coverage=coverage)

    # too few usable points
    reasons = []
    skipped = _skip_text(problem, num.get("skipped", {}))
    if skipped:
        reasons.append(skipped)
    if num.get("undecided"):
        reasons.append(f"{num['undecided']} stayed undecided: their balls were too wide even with 2048 bits")
    rejected = num.get("candidates", 0) - num.get("accepted", 0)
    if rejected:
        cond = num.get("rejected_by")
        reasons.append(f"{rejected} of {num.get('candidates', 0)} random candidates were outside the domain"
                       + (f" (mostly by {cond})" if cond else ""))
    text = (f"Only {used} sampled point{'s' if used != 1 else ''} of the domain ({domain_text}) could be used "
            f"({'; '.join(reasons)}), fewer than the {MIN_POINTS} needed for a numeric verdict")
    if sym["status"] == "zero":
        text += f"; {difference} does simplify to 0, but there is no point to confirm it at"
    else:
        text += f"; {symbolic if symbolic.startswith('SymPy') else symbolic[0].lower() + symbolic[1:]}"
    return done("undetermined", text + ".", evidence=evidence)
