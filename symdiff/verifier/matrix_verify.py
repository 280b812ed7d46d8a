"""``verify`` with a matrix variable: reading the function, the claim and ``where``.

A ``MatrixSymbol`` wrt (or a scalar wrt of a function of matrices) makes the
claim a matrix expression; the reference is ``gradient(f, [X]).closed_form(X)``
and the structure markers (``symmetric``, ``spd``, ``invertible``,
``orthogonal``) shape the sampled matrices.  The comparison itself is
``matrix.check_matrix_claim``; the scalar path is ``check.py``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..closed_form import closed_forms
from ..errors import ClosedFormTooLarge, ShapeError, SymdiffError
from ..program import Program, looks_like_program, parse_expression, parse_program
from ..reverse import gradient
from .domain import MATRIX_MARKERS, Domain, DomainError, Marker, flatten_where
from .inputs import (ClaimShapeError, Latex, UnknownVariableError, looks_like_latex, parse_latex_text,
                     MAX_CLOSED_FORM_SIZE)
from .explain import seconds_text
from .index_sums import index_sums_as_matrices
from .matrix import check_matrix_claim
from .matrix_probes import scalar_probe_points
from .problem import check_evaluable, make_domain, natural
from .shapes import size_constraints, unify_sizes, violated_at
from .verdict import Verdict
from .wrt import read_wrt

__all__ = ["matrix_route", "verify_matrix", "scalar_sampler"]

_SCALAR_TRIES = 100      # candidates per sampled point of the scalar variables of a matrix claim
_SYMMETRIC_NAMES = {"symmetric": "symmetric", "spd": "symmetric positive definite"}


@dataclass
class _MatrixRoute:
    program: Program       # the scalar-valued function
    wrt: sp.Basic          # its MatrixSymbol / Symbol (the user's when the function does not use it)
    in_f: bool             # wrt is an input of the function


@dataclass
class _MatrixNames:
    """The names of a matrix check: matrices, sizes, scalars, the program's intermediates."""

    fname: str
    matrices: dict         # name -> MatrixSymbol (inputs of f and wrt)
    dims: dict             # name -> size Symbol
    scalars: dict          # name -> Symbol (inputs of f, and a scalar wrt)
    targets: dict          # name -> the program's intermediate symbol
    program: Program
    _closed: dict | None = None

    def closed(self) -> dict:
        if self._closed is None:
            self._closed = closed_forms(self.program.assignments, max_size=MAX_CLOSED_FORM_SIZE)
        return self._closed


def _shape_text(shape) -> str:
    return f"{sp.sstr(shape[0])} x {sp.sstr(shape[1])}"


def _a(shape) -> str:
    """'an n x n' / 'a 2 x 3': the shape with its article."""
    text = _shape_text(shape)
    return f"{'an' if text[0] in 'aefhilmnorsx8' else 'a'} {text}"


def _same_shape(a, b) -> bool:
    return tuple(sp.sstr(d) for d in a) == tuple(sp.sstr(d) for d in b)


def _has_matrices(program: Program) -> bool:
    return any(isinstance(s, sp.MatrixSymbol) for s in list(program.inputs) + list(program.targets()))


def _scalar_program(value, role="function") -> Program:
    """A scalar-valued (or 1 x 1) function of matrices as a Program."""
    if isinstance(value, Program):
        program = value
    else:
        if isinstance(value, sp.MatrixBase):
            raise ClaimShapeError(f"the {role} is an explicit {value.rows} x {value.cols} matrix; verify "
                                  f"differentiates a scalar-valued function with respect to a matrix")
        if _is_relation(value):
            raise SymdiffError(f"the {role} {value} is an equation or condition, not an expression")
        if isinstance(value, MatrixExpr) and tuple(value.shape) != (1, 1):
            raise ClaimShapeError(f"the {role} is {_a(value.shape)} matrix; verify differentiates a "
                                  f"scalar-valued (or 1 x 1) function with respect to a matrix")
        if not isinstance(value, (sp.Expr, MatrixExpr)):
            raise SymdiffError(f"the {role} {value} is not an expression")
        program = Program.from_expr(value)
    out = program.output
    if isinstance(out, sp.MatrixSymbol) and tuple(out.shape) != (1, 1):
        raise ClaimShapeError(f"the {role} is {_a(out.shape)} matrix; verify differentiates a "
                              f"scalar-valued (or 1 x 1) function with respect to a matrix")
    check_evaluable([program], role)
    return program


def _is_relation(value) -> bool:
    return isinstance(value, sp.logic.boolalg.Boolean) and not isinstance(value, (sp.Expr, MatrixExpr))


def _latex_options(obj, shapes: dict) -> tuple[str, dict]:
    text, options = (obj.text, dict(obj.options)) if isinstance(obj, Latex) else (obj, {})
    options["shapes"] = {**shapes, **(options.get("shapes") or {})}
    return text, options


def _matrix_function(f, wrt: sp.MatrixSymbol) -> Program:
    """The function of a matrix wrt, read from any accepted form."""
    if isinstance(f, Program):
        return _scalar_program(f)
    if isinstance(f, Latex) or (isinstance(f, str) and looks_like_latex(f)):
        text, options = _latex_options(f, {wrt.name: tuple(wrt.shape)})
        return _scalar_program(parse_latex_text(text, options))
    if isinstance(f, str):
        if looks_like_program(f):
            return _scalar_program(parse_program(f))
        return _scalar_program(parse_expression(f, symbols={wrt.name: wrt}))
    if isinstance(f, (list, tuple, np.ndarray)):
        raise ClaimShapeError("the function is a list; verify differentiates a scalar-valued function with "
                              "respect to a matrix")
    if isinstance(f, bool):
        raise SymdiffError(f"the function is a boolean ({f}), not an expression")
    if isinstance(f, (int, float)):
        return _scalar_program(sp.sympify(f))
    if isinstance(f, (sp.Basic, sp.MatrixBase)):
        return _scalar_program(index_sums_as_matrices(f))
    raise SymdiffError(f"cannot read the function from {type(f).__name__}; expected a SymPy expression over "
                       f"MatrixSymbols, a Program or program text declaring its matrices (X: (n, n))")


def _maybe_matrix_program(f) -> Program | None:
    """For a scalar wrt: the function as a Program when it involves matrices (else the scalar path)."""
    if isinstance(f, Program):
        program = f
    elif isinstance(f, str) and not looks_like_latex(f) and looks_like_program(f):
        try:
            program = parse_program(f)
        except SymdiffError:
            return None          # the scalar path reports it
    elif isinstance(f, (sp.Expr, MatrixExpr)) and not isinstance(f, sp.MatrixBase) and f.atoms(sp.MatrixSymbol):
        if isinstance(f, MatrixExpr) and tuple(f.shape) != (1, 1):
            return None          # a matrix-valued function: the scalar path says what it supports
        program = Program.from_expr(index_sums_as_matrices(f))
    else:
        return None
    return program if _has_matrices(program) else None


def matrix_route(f, wrt) -> _MatrixRoute | None:
    """Where a check goes: None for the scalar path, else the function and wrt of the matrix path."""
    spec = read_wrt(wrt)
    if spec.matrix is not None:
        return _route(_matrix_function(f, spec.matrix), spec.matrix)
    if not spec.scalar:
        return None
    (name,) = spec.names
    program = _maybe_matrix_program(f)
    if program is None:
        return None
    sym = program.symbol(name)
    if sym is None:
        sym = wrt if isinstance(wrt, sp.Symbol) else sp.Symbol(name, real=True)
    return _route(program, sym)


def _dims_of(matrices) -> dict:
    dims: dict = {}
    for m in matrices:
        for d in m.shape:
            for s in sorted(sp.sympify(d).free_symbols, key=lambda s: s.name):
                dims.setdefault(s.name, s)
    return dims


def _route(program: Program, wrt) -> _MatrixRoute:
    targets = {t.name for t in program.targets()}
    if wrt.name in targets:
        raise SymdiffError(f"{wrt.name} is an intermediate of the program; for functions of matrices verify "
                           f"differentiates with respect to an input")
    inputs = {s.name: s for s in program.inputs}
    dims = _dims_of([s for s in list(program.inputs) + list(program.targets()) if isinstance(s, sp.MatrixSymbol)])
    if wrt.name in dims:
        raise SymdiffError(f"{wrt.name} is a size of the matrices, not a variable to differentiate with respect to")
    sym = inputs.get(wrt.name)
    if sym is None:
        if isinstance(wrt, sp.MatrixSymbol):   # sizes named like the function's are the function's sizes
            shape = [sp.sympify(d).xreplace({s: dims.get(s.name, s) for s in sp.sympify(d).free_symbols})
                     for d in wrt.shape]
            wrt = sp.MatrixSymbol(wrt.name, *shape)
        return _MatrixRoute(program, wrt, in_f=False)
    if isinstance(wrt, sp.MatrixSymbol):
        if not isinstance(sym, sp.MatrixSymbol):
            raise SymdiffError(f"wrt is the matrix {wrt.name}, but {wrt.name} is a scalar in the function")
        if not _same_shape(sym.shape, wrt.shape):
            raise ClaimShapeError(f"wrt is the {_shape_text(wrt.shape)} matrix {wrt.name}, but {wrt.name} is "
                                  f"{_shape_text(sym.shape)} in the function")
    return _MatrixRoute(program, sym, in_f=True)


def _matrix_names(route: _MatrixRoute) -> _MatrixNames:
    program, wrt = route.program, route.wrt
    matrices = {s.name: s for s in program.inputs if isinstance(s, sp.MatrixSymbol)}
    targets = {t.name: t for t in program.targets()}
    dims = _dims_of(list(matrices.values()) + [t for t in targets.values() if isinstance(t, sp.MatrixSymbol)]
                    + ([wrt] if isinstance(wrt, sp.MatrixSymbol) else []))
    scalars = {s.name: s for s in program.inputs if isinstance(s, sp.Symbol) and s.name not in dims}
    if isinstance(wrt, sp.MatrixSymbol):
        matrices.setdefault(wrt.name, wrt)
    else:
        scalars.setdefault(wrt.name, wrt)
    return _MatrixNames(program.output.name, matrices, dims, scalars, targets, program)


def _read_matrix_claim(claimed, names: _MatrixNames):
    """The claim as one SymPy expression in the function's symbols."""
    known = {**names.scalars, **names.matrices}
    known.update({n: t for n, t in names.targets.items() if n not in known})
    if isinstance(claimed, Latex) or (isinstance(claimed, str) and looks_like_latex(claimed)):
        shapes = {n: tuple(m.shape) for n, m in names.matrices.items()}
        shapes.update({n: tuple(t.shape) for n, t in names.targets.items() if isinstance(t, sp.MatrixSymbol)})
        text, options = _latex_options(claimed, shapes)
        value = parse_latex_text(text, options)
    elif isinstance(claimed, str):
        if looks_like_program(claimed):
            p = parse_program(claimed)
            value = p.output.xreplace(closed_forms(p.assignments, max_size=MAX_CLOSED_FORM_SIZE))
        else:
            value = parse_expression(claimed, symbols=known)
    elif isinstance(claimed, Program):
        value = claimed.output.xreplace(closed_forms(claimed.assignments, max_size=MAX_CLOSED_FORM_SIZE))
    elif isinstance(claimed, (list, tuple, np.ndarray)):
        try:
            value = sp.ImmutableMatrix(np.asarray(claimed, dtype=object).tolist()
                                       if isinstance(claimed, np.ndarray) else claimed)
        except (ValueError, TypeError, sp.SympifyError) as exc:
            raise ClaimShapeError(f"the claim is a list that is not a matrix ({exc})") from None
    elif isinstance(claimed, bool):
        raise SymdiffError(f"the claim is a boolean ({claimed}), not an expression")
    elif isinstance(claimed, (int, float)):
        value = sp.sympify(claimed)
    elif isinstance(claimed, sp.MatrixBase):
        value = sp.ImmutableMatrix(claimed)
    elif isinstance(claimed, sp.Basic):
        value = index_sums_as_matrices(claimed)
    else:
        raise SymdiffError(f"cannot read the claim from {type(claimed).__name__}; expected a SymPy matrix "
                           f"expression, an expression string, LaTeX or a Program")
    if _is_relation(value):
        raise SymdiffError(f"the claim {value} is an equation or condition, not an expression; pass only its "
                           f"right-hand side")
    if not isinstance(value, (sp.Expr, MatrixExpr)):
        raise SymdiffError(f"the claim {value} is not an expression")
    if value.has(sp.I):
        raise SymdiffError(f"the claim {value} is complex; verify checks real-valued functions")
    check_evaluable([value], "claim")
    return _canonical_claim(value, names)


def _canonical_claim(value, names: _MatrixNames):
    """Every matrix, size and scalar of the claim replaced by the function's symbol of that name."""
    f = names.fname
    mapping = {}
    for m in value.atoms(sp.MatrixSymbol):
        canon = names.matrices.get(m.name)
        closed = None
        if canon is None and isinstance(names.targets.get(m.name), sp.MatrixSymbol):
            canon = names.targets[m.name]
            closed = names.closed().get(canon, canon)
        if canon is None:
            if m.name in names.scalars:
                raise ClaimShapeError(f"the claim uses {m.name} as a matrix, but it is a scalar of {f}")
            listed = ", ".join(sorted(names.matrices)) or "none"
            raise UnknownVariableError(f"the claim uses the matrix {m.name}, which is not a matrix of {f} (its "
                                       f"matrices: {listed}) nor the variable of differentiation")
        if not _same_shape(m.shape, canon.shape):
            raise ClaimShapeError(f"the claim uses {m.name} as {_a(m.shape)} matrix, but it is "
                                  f"{_shape_text(canon.shape)} in {f}")
        mapping[m] = canon if closed is None else closed
    value = value.xreplace(mapping)
    smap, unknown = {}, []
    for s in sorted((s for s in value.free_symbols if isinstance(s, sp.Symbol)), key=lambda s: s.name):
        if s.name in names.dims:
            smap[s] = names.dims[s.name]
        elif s.name in names.scalars:
            smap[s] = names.scalars[s.name]
        elif s.name in names.targets and not isinstance(names.targets[s.name], sp.MatrixSymbol):
            t = names.targets[s.name]
            smap[s] = names.closed().get(t, t)
        elif s.name in names.matrices:
            m = names.matrices[s.name]
            raise ClaimShapeError(f"the claim uses {s.name} as a scalar, but it is {_a(m.shape)} "
                                  f"matrix (in program text, declare it: {s.name}: "
                                  f"({', '.join(sp.sstr(d) for d in m.shape)}))")
        else:
            unknown.append(s.name)
    if unknown:
        listed = ", ".join(sorted(names.scalars.keys() | names.matrices.keys(), key=natural)) or "none"
        raise UnknownVariableError(
            f"the claim uses {', '.join(unknown)}, which {'is' if len(unknown) == 1 else 'are'} not a variable "
            f"of {f} (its variables: {listed}) nor a size of its matrices")
    return value.xreplace(smap) if smap else value


def _claim_as_matrix(claim, wrt, fname: str):
    """The claim in the shape of the derivative (1 x 1 for a scalar wrt)."""
    is_matrix = isinstance(claim, MatrixExpr)
    if isinstance(wrt, sp.MatrixSymbol):
        what = (f"the derivative of {fname} with respect to {wrt.name} is {_a(wrt.shape)} matrix "
                f"(the shape of {wrt.name})")
        if not is_matrix:
            if claim == 0:
                return sp.ZeroMatrix(*wrt.shape)
            if tuple(wrt.shape) == (1, 1):
                return sp.ImmutableMatrix([[claim]])
            raise ClaimShapeError(f"the claim is a scalar, but {what}; give a matrix of that shape "
                                  f"(0 stands for the zero matrix)")
        if len(claim.shape) != 2 or not all(sp.simplify(a - b) == 0 for a, b in zip(claim.shape, wrt.shape)):
            raise ClaimShapeError(f"the claim is {_a(claim.shape)} matrix, but {what}")
        return claim
    if is_matrix:
        if tuple(claim.shape) != (1, 1):
            raise ClaimShapeError(f"the claim is {_a(claim.shape)} matrix, but d{fname}/d{wrt.name} "
                                  f"is a scalar")
        return claim
    return sp.ImmutableMatrix([[claim]])


def _matrix_where(where, names: _MatrixNames):
    """(structures by matrix name, scalar conditions) from where=."""
    structures: dict[str, str] = {}
    conditions = []
    for item in flatten_where(where):
        if isinstance(item, Marker):
            if not item.is_matrix:
                raise DomainError(f"{item.kind}({', '.join(item.names)}) marks scalar variables; it is not "
                                  f"supported for matrix claims (there the markers are "
                                  f"{', '.join(MATRIX_MARKERS)} of a MatrixSymbol)")
            (m,) = item.symbols
            canon = names.matrices.get(m.name)
            if canon is None:
                raise DomainError(f"{item.kind}({m.name}): {m.name} is not a matrix of {names.fname} nor the "
                                  f"variable of differentiation")
            if not _same_shape(m.shape, canon.shape):
                raise DomainError(f"{item.kind}({m.name}) marks {_a(m.shape)} matrix, but {m.name} is "
                                  f"{_shape_text(canon.shape)}")
            if m.name in structures and structures[m.name] != item.kind:
                raise DomainError(f"{m.name} has two structure markers ({structures[m.name]} and {item.kind}); "
                                  f"give one")
            structures[m.name] = item.kind
            continue
        if isinstance(item, sp.Basic) and not isinstance(item, (bool, sp.logic.boolalg.BooleanAtom)):
            if item.atoms(sp.MatrixSymbol) or {s.name for s in item.free_symbols} & names.matrices.keys():
                raise DomainError(f"the condition {item} is about matrices; conditions on matrices are not "
                                  f"supported for matrix claims: use the structure markers "
                                  f"({', '.join(MATRIX_MARKERS)})")
            sizes = sorted({s.name for s in item.free_symbols} & names.dims.keys())
            if sizes:
                raise DomainError(f"the condition {item} is about the size {', '.join(sizes)}; the sizes of the "
                                  f"matrices are chosen by the checker")
        conditions.append(item)
    return structures, conditions


def _scalar_domain(names: _MatrixNames, conditions) -> Domain | None:
    if not names.scalars and not conditions:
        return None
    order = sorted(names.scalars, key=natural)
    return make_domain(order, list(names.scalars.values()), conditions)


def scalar_sampler(domain: Domain):
    """Points of the scalar variables drawn from ``domain`` (None when none is found)."""
    def sample(rng, attempt):
        for k in range(_SCALAR_TRIES):
            point = domain.propose(rng, attempt * _SCALAR_TRIES + k)
            if domain.accepts(point)[0]:
                return point
        return None
    return sample


def verify_matrix(route: _MatrixRoute, claimed, where, budget: float, seed: int, t0: float) -> Verdict:
    names = _matrix_names(route)
    wrt, program = route.wrt, route.program
    value = _read_matrix_claim(claimed, names)
    layout_note, mismatch = "", None
    try:
        claim = _claim_as_matrix(value, wrt, names.fname)
    except ClaimShapeError:
        if not (isinstance(wrt, sp.MatrixSymbol) and isinstance(value, MatrixExpr)):
            raise
        if _is_transposed_layout(value.shape, wrt.shape):
            claim, layout_note = value.T, _layout_note(value.shape, wrt, names.fname)
        else:
            claim = value
    if isinstance(wrt, sp.MatrixSymbol) and isinstance(claim, MatrixExpr):
        # sizes the claim needs (a product of m x n by m x 1, a shape not the derivative's): decided below,
        # where it is defined if such sizes exist, else as a shape error
        mismatch = size_constraints(claim, wrt.shape, _derivative_text(names.fname, wrt)) or None
    structures, conditions = _matrix_where(where, names)
    domain = _scalar_domain(names, conditions)

    def done(status, text, counterexample=None, evidence=None):
        return Verdict(status, text, counterexample, evidence, elapsed=time.monotonic() - t0)

    if domain is not None and domain.unsatisfiable:
        return done("undetermined", f"The domain is empty: {domain.unsatisfiable}, so there is nothing to "
                                    f"check.")
    if budget <= 0:
        return done("undetermined", "The time budget is not positive, so nothing was checked.")

    # the reference, and the function itself (points where it is not real are skipped)
    matrix_wrt = isinstance(wrt, sp.MatrixSymbol)
    try:
        if route.in_f:
            reference = gradient(program, [wrt]).closed_form(wrt)
        else:
            reference = sp.Integer(0)
        if matrix_wrt and not isinstance(reference, MatrixExpr):
            if reference != 0:
                raise SymdiffError(f"the derivative with respect to {wrt.name} came out as a scalar")
            reference = sp.ZeroMatrix(*wrt.shape)
        elif not matrix_wrt and not isinstance(reference, MatrixExpr):
            reference = sp.ImmutableMatrix([[reference]])
    except ClosedFormTooLarge as exc:
        return done("undetermined", f"The derivative symdiff computes is too large to compare as one "
                                    f"expression ({exc}), so nothing was checked.")
    try:
        guard = program.output.xreplace(names.closed())
    except ClosedFormTooLarge:
        guard = None
    _check_function_sizes(guard, names.fname)

    sampler, probes = None, None
    if domain is not None:
        assumptions = domain.symbolic_assumptions()
        smap = {}
        for e in (claim, reference) + ((guard,) if guard is not None else ()):
            for s in e.free_symbols:
                if isinstance(s, sp.Symbol) and s.name in domain.by_name and s.name not in names.dims:
                    smap[s] = sp.Symbol(s.name, real=True, **assumptions.get(s.name, {}))
        claim, reference = claim.xreplace(smap), reference.xreplace(smap)
        guard = guard.xreplace(smap) if guard is not None else None
        sampler = scalar_sampler(domain)
        probes = _probes(domain, (claim, reference, guard), seed, t0 + budget)

    remaining = budget - (time.monotonic() - t0)
    if remaining <= 0:
        return done("undetermined", f"The time budget of {seconds_text(budget)} ran out while the reference "
                                    f"derivative was computed, so nothing was checked.")
    symmetric = matrix_wrt and structures.get(wrt.name) in _SYMMETRIC_NAMES
    if mismatch is not None:
        return _decide_mismatch(mismatch, claim, reference, guard, wrt, structures, symmetric, remaining, seed,
                                sampler, done)
    try:
        r = check_matrix_claim(claim, reference, structures=structures, symmetric=symmetric, budget=remaining,
                               seed=seed, scalar_sampler=sampler, guard=guard, strict_budget=True,
                               scalar_probes=probes)
    except SymdiffError as exc:
        return done("undetermined", f"The matrix check could not be run ({exc}), so nothing was decided.")
    if symmetric and r.status == "refuted":
        cookbook = _by_independent_entries(claim, reference, wrt, structures, t0 + budget, seed, sampler, guard, probes)
        if cookbook is not None:
            return done("undetermined", cookbook, None, dict(r.evidence or {}, readings=[
                "symmetric part of the gradient", "derivative by the independent entries"]))
    text = r.explanation
    if symmetric:
        text = (f"{wrt.name} is {_SYMMETRIC_NAMES[structures[wrt.name]]}, so a derivative with respect to it is "
                f"determined only up to an antisymmetric part: the symmetric parts of the claim and of the "
                f"derivative are compared. {text}")
    evidence = dict(r.evidence or {})
    if structures:
        evidence["structures"] = dict(sorted(structures.items()))
    if symmetric:
        evidence["symmetric_parts"] = True
    counterexample = r.counterexample
    if layout_note and 1 not in wrt.shape and r.status in ("proved", "consistent"):
        return done("undetermined", _transposed_matrix_text(value.shape, wrt, names.fname, r.status, text),
                    None, dict(evidence, readings=["shape of " + wrt.name, f"shape of {wrt.name}^T"]))
    if layout_note:
        text = f"{layout_note} {text}"
        evidence["layout"] = "transposed"
        if counterexample is not None:
            counterexample = dict(counterexample, layout="transposed")
    return done(r.status, text, counterexample, evidence)


def _by_independent_entries(claim, reference, wrt, structures, deadline, seed, sampler, guard, probes):
    """For a symmetric wrt, the other convention (Matrix Cookbook 2.8): the derivative by the independent
    entries X_ij, i <= j, is G + G^T - G o I for the gradient G.  A claim that holds there (and not as the
    symmetric part of G) is right in that convention: the text saying so, else None."""
    remaining = deadline - time.monotonic()
    if remaining <= 0.2:
        return None
    entrywise = reference + reference.T - sp.HadamardProduct(reference, sp.Identity(wrt.shape[0]))
    try:
        r = check_matrix_claim(claim, entrywise, structures=structures, symmetric=True, budget=remaining, seed=seed,
                               scalar_sampler=sampler, guard=guard, strict_budget=True, scalar_probes=probes)
    except SymdiffError:
        return None
    if r.status not in ("proved", "consistent"):
        return None
    return (f"{wrt.name} is {_SYMMETRIC_NAMES[structures[wrt.name]]}. The claim is not the symmetric part of the "
            f"gradient (the convention symdiff uses), but it is the derivative by the independent entries "
            f"{wrt.name}_ij, i <= j (G + G^T - G o I for the gradient G, the Matrix Cookbook's convention): "
            f"{r.status} there ({r.explanation.rstrip('.')}). Which convention the claim means is not written, so nothing "
            f"was decided.")


def _check_function_sizes(function, fname: str) -> None:
    """A function that is defined only at some of its declared sizes (det X for X: (m, n)) is a ShapeError:
    its derivative has no shape to compare a claim with (a claim is then read in the wrong layout)."""
    if function is None:
        return
    needs = [c for c in size_constraints(function, getattr(function, "shape", (1, 1)), "") if c.why]
    if needs:
        raise ShapeError(f"the function {fname} = {sp.sstr(function)} is not defined at its declared sizes: "
                         f"{needs[0].why}; declare sizes that fit")


def _probes(domain, exprs, seed: int, deadline: float) -> list[dict]:
    """Points of the scalar variables the matrix check compares besides its random ones: both sides of
    every switch of the claim, the derivative and the function, and large and tiny magnitudes."""
    present = {s.name for e in exprs if e is not None for s in e.free_symbols if isinstance(s, sp.Symbol)}
    names = [n for n in domain.free if n in present]
    if not names:
        return []
    return scalar_probe_points(domain, exprs, np.random.default_rng(seed + 104729), deadline, names=names)


# ---------------------------------------------------------------------------
# A claim of another shape than the derivative
# ---------------------------------------------------------------------------

def _derivative_text(fname: str, wrt) -> str:
    return f"the derivative of {fname} with respect to {wrt.name} is {_a(wrt.shape)} matrix (the shape of {wrt.name})"


def _is_transposed_layout(shape, wrt_shape) -> bool:
    """The shape of wrt transposed (1 x n for an n x 1 gradient, m x n for an n x m one): the other layout
    convention (numerator layout), not an error.  (For a square wrt the two cannot be told apart: the
    claim is read in the layout of wrt.)"""
    rows, cols = (sp.sympify(d) for d in wrt_shape)
    return rows != cols and _same_shape(shape, (cols, rows))


def _layout_note(shape, wrt, fname: str) -> str:
    return (f"The claim is {_a(shape)} matrix and the derivative of {fname} with respect to {wrt.name} is "
            f"{_a(wrt.shape)} matrix (the shape of {wrt.name}): the same entries in the other layout convention "
            f"(the shape of {wrt.name}^T), so its transpose is compared.")


def _transposed_matrix_text(shape, wrt, fname: str, status: str, text: str) -> str:
    """A claim of the shape of wrt^T that holds transposed: numerator layout, or the gradient with a
    transpose dropped (``b a^T`` for ``a b^T``); for a matrix (not a vector: a row gradient is a
    convention everyone reads) the shape cannot tell which was meant."""
    return (f"The claim is {_a(shape)} matrix, but the derivative of {fname} with respect to {wrt.name} (its "
            f"gradient) is {_a(wrt.shape)} matrix, the shape of {wrt.name}. Read in the other layout convention "
            f"(numerator layout, the shape of {wrt.name}^T) it is {status}: {text} But a claim that holds only "
            f"transposed is as often the gradient with a transpose dropped, and its shape cannot tell which was "
            f"meant, so nothing is decided: write it in the shape of {wrt.name} (its transpose) to get a verdict.")


def _decide_mismatch(constraints, claim, reference, guard, wrt, structures, symmetric, budget, seed, sampler,
                     done) -> Verdict:
    """Refute a claim whose shape is not the derivative's: at sizes where it is defined, by an exact
    counterexample; otherwise (or where it agrees) by naming sizes at which it has no value or the
    wrong shape, which no formula for the derivative may have."""
    deadline = time.monotonic() + budget
    own = {s for d in wrt.shape for s in sp.sympify(d).free_symbols}
    merged = unify_sizes(constraints, prefer=own)
    needs = [c for c in constraints if not c.why.startswith("the claim is ")]
    shape_c = [c for c in constraints if c.why.startswith("the claim is ")]
    where_defined = ""
    if merged:
        equal = ", ".join(f"{sp.sstr(a)} = {sp.sstr(b)}" for a, b in sorted(merged.items(), key=lambda kv: str(kv[0])))
        why = f" ({'; '.join(c.why for c in needs)})" if needs else ""
        lead = (f"The claim is {_a(claim.shape)} matrix, but {_derivative_text_from(constraints)}. It is defined "
                f"and has that shape only when {equal}{why}, so it is checked there.")
        renamed = {a: b for a, b in merged.items() if not b.is_Integer}     # m -> n
        fixed = {a: b for a, b in merged.items() if b.is_Integer}           # n -> 1
        try:
            r = check_matrix_claim(claim.xreplace(renamed), reference.xreplace(renamed), structures=structures,
                                   fixed_sizes=fixed, symmetric=symmetric,
                                   budget=max(deadline - time.monotonic(), 0.0), seed=seed, scalar_sampler=sampler,
                                   guard=guard.xreplace(renamed) if guard is not None else None, strict_budget=True)
        except SymdiffError:
            r = None
        if r is not None and r.status == "refuted":
            ce = dict(r.counterexample)
            sizes = dict(ce.get("sizes") or {})
            for a, b in merged.items():
                sizes[a.name] = int(b) if b.is_Integer else sizes.get(b.name, sp.sstr(b))
            ce["sizes"] = dict(sorted(sizes.items()))
            return done("refuted", f"{lead} {r.explanation}", ce,
                        dict(r.evidence or {}, equal_sizes={a.name: sp.sstr(b) for a, b in merged.items()}))
        if r is not None and r.status in ("proved", "consistent"):
            where_defined = f" Where it is defined ({equal}) it agrees with the derivative ({r.status}): {r.explanation}"
    sizes = _sizes_avoiding(constraints)
    broken = violated_at(needs, sizes) or violated_at(shape_c, sizes)
    if broken is None:
        return done("undetermined", f"The claim is {_a(claim.shape)} matrix, but {_derivative_text_from(constraints)}"
                                    f", and no sizes were found at which the two can be told apart.")
    at = ", ".join(f"{s.name} = {v}" for s, v in sizes.items())
    target = tuple(sp.sympify(d).xreplace(sizes) for d in wrt.shape)
    if broken in needs:
        what = f"the claim has no value ({broken.why})"
        claimed = f"not defined: {broken.why}"
    else:
        got = tuple(sp.sympify(d).xreplace(sizes) for d in claim.shape)
        what = f"the claim is {_a(got)} matrix"
        claimed = f"{_shape_text(got)} matrix"
    text = (f"At sizes {at} {what}, but the derivative with respect to {wrt.name} is {_a(target)} matrix (the "
            f"shape of {wrt.name}): a formula for the derivative must have its shape wherever the function is "
            f"defined, so the claim is wrong (a shape error, exact: no numbers are compared).{where_defined}")
    ce = {"point": {}, "sizes": {s.name: int(v) for s, v in sizes.items()}, "claimed": claimed,
          "actual": f"{_shape_text(target)} matrix", "shape_error": broken.why}
    return done("refuted", text, ce, {"shape_error": broken.why})


def _derivative_text_from(constraints) -> str:
    last = [c for c in constraints if c.why.startswith("the claim is ")]
    return last[0].why.split(", but ", 1)[1] if last else "the derivative has another shape"


def _sizes_avoiding(constraints) -> dict:
    """Distinct sizes 2, 3, ... for the named sizes, skipping the fixed sizes the constraints mention."""
    fixed = {int(side) for c in constraints for side in (c.left, c.right) if side.is_Integer}
    out, value = {}, 2
    for s in sorted({s for c in constraints for side in (c.left, c.right) for s in side.free_symbols},
                    key=lambda s: s.name):
        while value in fixed:
            value += 1
        out[s] = sp.Integer(value)
        value += 1
    return out
