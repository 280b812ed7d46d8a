r"""An identity between two matrix expressions with symbolic sizes: ``X^\top(Xw - y) = X^\top X w - X^\top y``.

``verify_identity`` compares scalars and explicit matrices; a side that is a
``MatrixExpr`` of ``MatrixSymbol``\ s of named sizes (``X: (n, d)``) comes here.
Equal shapes: ``matrix.check_matrix_claim`` with the two sides as the things
compared (structure, then exact random matrices, then entries written out).
Different shapes or a side with no value (``X (Xw - y)`` with ``X`` n x d): the
identity is checked where both sides are defined and alike in shape, and where
that is not every size, sizes are named at which one side has a value and the
other has none or another shape — an exact fact, so the identity is refuted
(a shape error: no numbers are compared).

Conditions: structure markers (``M invertible``, ``S spd``) shape the sampled
matrices; a condition on scalars is not imposed on the sampled values, so with
one in force a numeric difference is not reported as a refutation (it might be
outside the domain) but as undetermined.
"""
from __future__ import annotations

import dataclasses
import time

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..errors import ShapeMismatchError, SymdiffError
from .domain import Marker, flatten_where
from .matrix import check_matrix_claim
from .shapes import shape_text, size_constraints, unify_sizes, violated_at
from .ill_shaped import declared_sizes
from .index_sums import index_sums_as_matrices
from .matrix_verify import scalar_sampler
from .problem import make_domain
from .verdict import SIDES, Verdict

__all__ = ["is_symbolic_matrix", "verify_matrix_identity", "ill_formed_identity"]


def is_symbolic_matrix(value) -> bool:
    """A matrix expression that names matrices (not explicit entries only), or a scalar of them
    (tr(A B), det M)."""
    return isinstance(value, (MatrixExpr, sp.Expr)) and not isinstance(value, sp.MatrixBase) \
        and bool(value.atoms(sp.MatrixSymbol))


def _as_matrix(value):
    if isinstance(value, (MatrixExpr, sp.MatrixBase)):
        return value
    return sp.ImmutableMatrix([[value]])


def _a(shape) -> str:
    """'an n x 1' / 'a d x 1': the shape with its article."""
    text = shape_text(shape)
    return f"{'an' if text[0] in 'aefhilmnorsx8' else 'a'} {text}"


def _structures(where) -> tuple[dict, list]:
    structures, scalar_conditions = {}, []
    for item in flatten_where(where):
        if isinstance(item, Marker) and item.is_matrix and len(item.symbols) == 1:
            structures[item.symbols[0].name] = item.kind
        else:
            scalar_conditions.append(item)
    return structures, scalar_conditions


def verify_matrix_identity(lhs, rhs, where=(), budget: float = 10.0, seed: int = 0) -> Verdict:
    t0 = time.monotonic()
    lhs, rhs = _as_matrix(index_sums_as_matrices(lhs)), _as_matrix(index_sums_as_matrices(rhs))
    structures, conditions = _structures(where)

    def done(status, text, counterexample=None, evidence=None):
        return Verdict(status, text, counterexample, evidence, elapsed=time.monotonic() - t0)

    constraints = (size_constraints(lhs, rhs.shape, f"the right-hand side is {shape_text(rhs.shape)}")
                   + [c for c in size_constraints(rhs, rhs.shape, "") if c.why])
    merged = unify_sizes(constraints) if constraints else {}
    lead = ""
    if constraints:
        if merged is None:
            return _shape_refutation(constraints, lhs, rhs, "", done)
        equal = ", ".join(f"{sp.sstr(a)} = {sp.sstr(b)}" for a, b in sorted(merged.items(), key=lambda kv: str(kv[0])))
        lead = (f"The left-hand side is {_a(lhs.shape)} matrix and the right-hand side {_a(rhs.shape)} matrix; "
                f"both are defined and alike in shape only when {equal}, so they are compared there. ")
    renamed = {a: b for a, b in (merged or {}).items() if not b.is_Integer}
    fixed = {a: b for a, b in (merged or {}).items() if b.is_Integer}
    sampler = _condition_sampler(lhs, rhs, conditions)
    try:
        r = check_matrix_claim(lhs.xreplace(renamed), rhs.xreplace(renamed), structures=structures,
                               fixed_sizes=fixed, budget=max(budget - (time.monotonic() - t0), 0.5), seed=seed,
                               roles=SIDES, strict_budget=True, scalar_sampler=sampler)
    except SymdiffError as exc:
        if constraints:
            return _shape_refutation(constraints, lhs, rhs, "", done)
        return done("undetermined", f"The matrix identity could not be checked ({exc}), so nothing was decided.")
    if r.status == "refuted" and conditions and sampler is None:
        return done("undetermined", f"{lead}The two sides differ at sampled matrices, but the conditions "
                                    f"({', '.join(map(str, conditions))}) were not imposed on the sampled values, "
                                    f"so the difference may lie outside the domain: nothing was decided. "
                                    f"({r.explanation})", evidence=r.evidence)
    if r.status == "refuted" or not constraints:
        return done(r.status, lead + r.explanation, r.counterexample, r.evidence)
    where_defined = f" Where both are defined alike ({equal}) they agree ({r.status}): {r.explanation}"
    return _shape_refutation(constraints, lhs, rhs, where_defined, done)


def _condition_sampler(lhs, rhs, conditions):
    """Scalar values drawn from the conditions (t > 0), so a difference found there is in the domain; None
    when there are no conditions or they cannot be sampled (a condition on a size, on a matrix)."""
    if not conditions:
        return None
    dims = {s for side in (lhs, rhs) for m in side.atoms(sp.MatrixSymbol) for d in m.shape
            for s in sp.sympify(d).free_symbols}
    scalars = sorted({s for side in (lhs, rhs) for s in side.free_symbols
                      if isinstance(s, sp.Symbol) and s not in dims}, key=lambda s: s.name)
    named = {s.name for s in scalars}
    for c in conditions:
        if not isinstance(c, sp.Basic) or c.atoms(sp.MatrixSymbol) or not {s.name for s in c.free_symbols} <= named:
            return None
    try:
        domain = make_domain([s.name for s in scalars], scalars, list(conditions))
    except SymdiffError:
        return None
    return None if domain.unsatisfiable else scalar_sampler(domain)


def _shape_refutation(constraints, lhs, rhs, where_defined: str, done) -> Verdict:
    """Sizes at which one side has a value and the other none or another shape: the identity is wrong."""
    sizes, value = {}, 2
    fixed = {int(side) for c in constraints for side in (c.left, c.right) if side.is_Integer}
    for s in sorted({s for c in constraints for side in (c.left, c.right) for s in side.free_symbols},
                    key=lambda s: s.name):
        while value in fixed:
            value += 1
        sizes[s], value = sp.Integer(value), value + 1
    broken = violated_at(constraints, sizes)
    if broken is None:
        return done("undetermined", f"The left-hand side is {_a(lhs.shape)} matrix and the right-hand side "
                                    f"{_a(rhs.shape)} matrix, and no sizes were found at which the two can be "
                                    f"told apart.")
    at = ", ".join(f"{s.name} = {v}" for s, v in sizes.items()) or "as declared"
    left = tuple(sp.sympify(d).xreplace(sizes) for d in lhs.shape)
    right = tuple(sp.sympify(d).xreplace(sizes) for d in rhs.shape)
    why = broken.why.replace("the claim is ", "the left-hand side is ", 1)
    text = (f"At sizes {at} {why}: the two sides cannot be equal there (the left-hand side would be "
            f"{_a(left)} matrix, the right-hand side {_a(right)} matrix), so the identity is wrong "
            f"(a shape error, exact: no numbers are compared).{where_defined}")
    ce = {"point": {}, "sizes": {s.name: int(v) for s, v in sizes.items()},
          "claimed": f"{shape_text(left)} matrix", "actual": f"{shape_text(right)} matrix",
          "shape_error": why}
    return done("refuted", text, ce, {"shape_error": why})


def ill_formed_identity(left: str, right: str, parse, shapes: dict) -> Verdict | None:
    """The refutation of an identity one side of which cannot be formed at the declared sizes (read
    without doubt) while the other can; None when both can (or neither, or the reading is in doubt).
    ``parse`` reads a side's LaTeX."""
    values, errors = [], []
    for side in (left, right):
        try:
            values.append(parse(side))
            errors.append(None)
        except ShapeMismatchError as error:
            values.append(None)
            errors.append(error)
    broken = [k for k, e in enumerate(errors) if e is not None]
    if len(broken) != 1 or errors[broken[0]].choices:
        return None
    k = broken[0]
    verdict = _ill_formed(errors[k], ("left-hand", "right-hand")[k], values[1 - k], shapes)
    return dataclasses.replace(verdict, read_as=f"{left.strip()} = {right.strip()} (not formed at the declared sizes)")


def _ill_formed(error: ShapeMismatchError, side: str, other, shapes: dict) -> Verdict:
    """An identity one of whose sides (``side``: 'left-hand' or 'right-hand') cannot be formed at the
    declared numeric sizes while the other (``other``) has a value: the identity is wrong."""
    what = error.message.split(": ", 1)[-1]
    shape = tuple(getattr(other, "shape", ())) or (1, 1)
    other_side = "right-hand" if side == "left-hand" else "left-hand"
    text = (f"At the declared sizes ({declared_sizes(shapes)}) the {side} side cannot be formed: {what} does "
            f"not fit{f' in {error.text!r}' if error.text else ''}, while the {other_side} side is {_a(shape)} "
            f"matrix, so the identity is wrong (a shape error, exact: no numbers are compared).")
    counterexample = {"point": {}, "sizes": {k: list(v) for k, v in sorted(shapes.items())},
                      "claimed": f"{side} side not defined: {what} does not fit",
                      "actual": f"{other_side} side: {shape_text(shape)} matrix", "shape_error": what}
    return Verdict("refuted", text, counterexample, {"shape_error": {"operation": error.operation}})
