"""The problem a check decides: both sides read into blocks, the reference derivative, the domain.

``derivative_problem`` (``verify``) and ``identity_problem`` (``verify_identity``)
read their inputs (``inputs``), compute the reference with ``symdiff.gradient``
(one reverse pass per component of a vector or matrix function), and describe
the domain (``domain``); ``decide.py`` decides the ``Problem``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import sympy as sp

from ..closed_form import closed_forms
from ..errors import NoRuleError, ProgramError, SymdiffError
from ..program import Program, looks_like_program
from ..reverse import gradient
from ..written import noting
from .as_written import keep_singularities
from .domain import Domain, Marker, flatten_where
from .inputs import (Block, ClaimShapeError, Latex, UnknownVariableError, describe_shape, expr_block, fits,
                     looks_like_latex, program_block, shaped, MAX_CLOSED_FORM_SIZE)
from .numeric import Side
from .verdict import SIDES, Roles
from .wrt import read_wrt

__all__ = ["Problem", "derivative_problem", "identity_problem", "make_domain", "check_evaluable", "natural"]


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
    labels: list[str]              # entry -> 'dF/dx', 'dF[2]/dy', 'entry [1]' (1-based, as users read it)
    closed: list[tuple[Callable, Callable]]   # entry -> closed forms (thunks)
    subject: str                   # 'dF/dx', 'the gradient of F with respect to (x, y)'...
    budget: float = 0.0
    sites: list = None             # closed forms whose kinks are probed (thunks)
    indices: list = None           # entry -> its 1-based index in the claim: (2,), (1, 3); () for a scalar
    roles: Roles = SIDES           # identity: what the explanation calls the two sides
    written: list = None           # entry -> thunks: where each side's lines, as written, are undefined
    divisors: list = None          # entry -> thunks: the part of ``written`` that is a division by zero

    def site_exprs(self):
        """Closed forms of the claim, the function and both sides (those small enough)."""
        out = []
        for thunk in self.sites or []:
            try:
                out.append(thunk())
            except SymdiffError:
                continue
        return out



def _user_program(f) -> bool:
    """Program text or a Program: its intermediates have the user's names."""
    if isinstance(f, Program):
        return True
    return isinstance(f, str) and not looks_like_latex(f) and looks_like_program(f)


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


def make_domain(name_order, user_symbols, where_items) -> Domain:
    facts = _symbol_facts(user_symbols + _where_symbols(where_items))
    variables = [sp.Symbol(n, real=True) for n in _ordered_unique(name_order)]
    return Domain(variables, where_items, facts={n: f for n, f in facts.items() if f})


def _index(shape, k) -> tuple:
    """The 1-based index of the k-th entry (row-major) of a value of this shape."""
    if shape == ():
        return ()
    if len(shape) == 1 or shape[1] == 1:
        return (k + 1,)
    return (k // shape[1] + 1, k % shape[1] + 1)


def _component_label(fname, shape, k):
    index = _index(shape, k)
    return f"{fname}[{', '.join(map(str, index))}]" if index else fname


_UNEVALUATED = (sp.Derivative, sp.Integral, sp.Subs, sp.Sum, sp.Product)


def check_evaluable(values, role):
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


def derivative_problem(f, wrt, claimed, where) -> Problem:
    spec = read_wrt(wrt)   # (a MatrixSymbol wrt takes the matrix path: matrix_verify.py)
    wrt_names, wrt_shape, wrt_symbols = list(spec.names), spec.shape, list(spec.symbols)
    f_shape, f_values = shaped(f, role="function", as_function=True)
    if any(isinstance(v, sp.MatrixBase) for v in f_values):
        raise ClaimShapeError("the function has matrix entries")
    check_evaluable(f_values, "function")
    programs = [_as_program(v) for v in f_values]
    user = f_shape == () and _user_program(f)
    fname = programs[0].output.name if f_shape == () else "F"
    expected, what, subject = _expected(f_shape, wrt_shape, fname, wrt_names)

    c_shape, c_values = shaped(claimed, role="claim", as_function=False)
    check_evaluable(c_values, "claim")
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
    domain = make_domain(order, user_symbols, where_items)
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
    # the derivative is undefined where the function's lines are
    written = [(lambda b=claim_blocks[k]: b.written_conditions(0),
                lambda b=guard_blocks[divmod(k, n_wrt)[0]]: b.written_conditions(0)) for k in range(n_entries)]
    return Problem(kind="derivative", domain=domain, input_names=names,
                   side_a=Side(claim_blocks, names), side_b=Side(ref_blocks, names),
                   guard=Side(guard_blocks, names, collect_all=True), pairs=pairs, labels=labels,
                   closed=closed, subject=subject, sites=sites, written=written,
                   divisors=[(lambda b=claim_blocks[k]: b.written_divisors(0), list) for k in range(n_entries)])


def _split_equation(lhs):
    value = lhs
    if isinstance(lhs, Latex) or (isinstance(lhs, str) and looks_like_latex(lhs)):
        from .inputs import parse_latex_text
        text, options = (lhs.text, lhs.options) if isinstance(lhs, Latex) else (lhs, {})
        with noting() as notes:
            value = parse_latex_text(text, options)
        if isinstance(value, sp.Eq) and len(notes.parts) == 2:   # each side keeps what it divides by
            return keep_singularities(value.lhs, notes.parts[0]), keep_singularities(value.rhs, notes.parts[1])
    elif isinstance(lhs, str) and "==" in lhs:
        left, _, right = lhs.partition("==")
        return left, right
    if isinstance(value, sp.Eq):
        return value.lhs, value.rhs
    raise SymdiffError("verify_identity needs two sides, or one equation (Eq(a, b) or LaTeX 'a = b')")


def identity_problem(lhs, rhs, where, roles: Roles = SIDES) -> Problem:
    if rhs is None:
        lhs, rhs = _split_equation(lhs)
    l_shape, l_values = shaped(lhs, role="left-hand side", as_function=False)
    r_shape, r_values = shaped(rhs, role="right-hand side", as_function=False)
    check_evaluable(l_values, "left-hand side")
    check_evaluable(r_values, "right-hand side")
    if not (fits(l_shape, r_shape) or fits(r_shape, l_shape)):
        raise ClaimShapeError(f"the two sides have different shapes: the left-hand side is "
                              f"{describe_shape(l_shape)} and the right-hand side is {describe_shape(r_shape)}")
    blocks_l = [program_block(v) if isinstance(v, Program) else expr_block(v) for v in l_values]
    blocks_r = [program_block(v) if isinstance(v, Program) else expr_block(v) for v in r_values]
    where_items = flatten_where(where)
    syms_l = sorted({s for b in blocks_l for s in b.symbols}, key=lambda s: s.name)
    syms_r = sorted({s for b in blocks_r for s in b.symbols}, key=lambda s: s.name)
    order = sorted({s.name for s in syms_l + syms_r}, key=natural)
    domain = make_domain(order, syms_l + syms_r, where_items)
    names = [v.name for v in domain.variables]
    shape = l_shape if len(l_shape) >= len(r_shape) else r_shape
    n = len(l_values)
    labels = ["" if shape == () else f"entry {_component_label('', shape, k)}" for k in range(n)]
    indices = [_index(shape, k) for k in range(n)]
    closed = [(lambda b=blocks_l[k]: b.closed_form(0), lambda b=blocks_r[k]: b.closed_form(0))
              for k in range(n)]
    return Problem(kind="identity", domain=domain, input_names=names,
                   side_a=Side(blocks_l, names), side_b=Side(blocks_r, names), guard=None,
                   pairs=[(k, k) for k in range(n)], labels=labels, closed=closed,
                   subject=roles.both, sites=[lambda b=b: b.closed_form(0) for b in blocks_l + blocks_r],
                   indices=indices, roles=roles,
                   written=[(lambda b=blocks_l[k]: b.written_conditions(0), lambda b=blocks_r[k]: b.written_conditions(0))
                            for k in range(n)],
                   divisors=[(lambda b=blocks_l[k]: b.written_divisors(0), lambda b=blocks_r[k]: b.written_divisors(0))
                             for k in range(n)])


