"""A claim's instances: one per assignment of its indices, each with what it is about.

For each instance: ``wrt`` (a variable, a vector's entries or a matrix),
``of`` (the output component or node an adjoint starts from), the members of
the claim parsed, its where-conditions, and the shapes checked against what
the claim is about (a derivative with respect to a vector is a vector...).
"""
from __future__ import annotations

import sympy as sp

from ..errors import SymdiffError
from ..latex.lecture import instantiate, product_of_indices
from .model import MAX_INSTANCES, Claim, Instance, describe, describe_shape, is_symbolic_matrix, shape_of
from .names import parser_name, size_of
from .scope import FileScope

__all__ = ["read_instances"]


def read_instances(scope: FileScope, claim: Claim) -> None:
    """Fill ``claim.instances`` (and ``claim.is_matrix``)."""
    combos = list(product_of_indices(claim.indices)) or [{}]
    if len(combos) > MAX_INSTANCES:
        raise scope.error(f"the indices give {len(combos)} instances (at most {MAX_INSTANCES})", claim.id)
    for values in combos:
        if claim.kind == "definition":
            claim.instances.append(Instance(values, [], False, None, []))
            claim.is_matrix = scope.function.is_matrix
            continue
        if claim.kind == "identity":
            wrt, is_vec, of = [], False, None
        else:
            wrt, is_vec = _wrt(scope, claim, values)
            of = _of(scope, claim, values)
        if claim.kind == "adjoint":
            _declare_adjoint(scope, of)
        members = _members(scope, claim, values)
        _check_shapes(scope, claim, wrt, is_vec, members)
        where = [scope.condition(instantiate(w, values), "where", claim.id) for w in claim.where_text]
        claim.instances.append(Instance(values, wrt, is_vec, of, members, where))
    claim.is_matrix = any(isinstance(w, sp.MatrixSymbol) for inst in claim.instances for w in inst.wrt) or \
        any(is_symbolic_matrix(m) for inst in claim.instances for m in inst.members)
    if claim.is_matrix and claim.where_text:
        raise scope.error("where is not supported for matrix claims; give the matrices a structure instead "
                          "(spd, symmetric, upper, invertible, permutation, orthogonal)", claim.id)


# -- what the claim is about --------------------------------------------------------
def _wrt(scope: FileScope, claim: Claim, values) -> tuple[list, bool]:
    """The variables: ``[x]``, a vector's entries (and True), or ``[X]`` for a matrix."""
    text = instantiate(claim.wrt_text, values)
    value = scope.parse(text, "wrt", claim.id)
    if isinstance(value, sp.MatrixBase):
        if 1 not in value.shape or not all(isinstance(e, sp.Symbol) for e in value):
            raise scope.error(f"wrt {text!r} must be a variable or a vector of variables", claim.id)
        return list(value), True
    if not isinstance(value, (sp.Symbol, sp.MatrixSymbol)):
        raise scope.error(f"wrt {text!r} is not a variable (got {value})", claim.id)
    return [value], False


def _of(scope: FileScope, claim: Claim, values):
    """``of = 'y_i'``: an output component or an intermediate of the program (None: the output)."""
    fn = scope.function
    if claim.of_text is None:
        if fn is not None and fn.components is not None and claim.kind in ("derivative", "step"):
            raise scope.error("the function has several components: say which with of = 'y_i'", claim.id)
        return None
    text = instantiate(claim.of_text, values)
    name = parser_name(text)
    if fn is not None and fn.components is not None:
        for comp_name, _ in fn.components:
            if comp_name == name:
                return sp.Symbol(name, real=True)
    if fn is not None and fn.program is not None:
        sym = fn.program.symbol(name) if name else None
        if sym is not None and sym in fn.program:
            return sym
    raise scope.error(f"of = {text!r} is not an output or intermediate of the function", claim.id)


def _declare_adjoint(scope: FileScope, of) -> None:
    """The adjoint d<node> of the node the claim starts from: a scalar, or a matrix of its shape."""
    fn = scope.function
    if of is None:
        out = fn.output_value() if fn is not None else None
        if fn is not None and fn.program is None:
            of = sp.Symbol(fn.name, real=True) if not is_symbolic_matrix(out) else \
                sp.MatrixSymbol(fn.name, *out.shape)
        else:
            of = out
    name = f"d{of.name}"
    if name in scope.variables:
        return
    if isinstance(of, sp.MatrixSymbol):
        scope.reader.shapes[name] = of.shape
        scope.symbols.setdefault(name, sp.MatrixSymbol(name, *of.shape))
    else:
        scope.reader.variables.add(name)
        scope.symbols.setdefault(name, sp.Symbol(name, real=True))


# -- the members ---------------------------------------------------------------------
def _members(scope: FileScope, claim: Claim, values) -> list:
    """The claim's chain parsed (a step: the update after the current iterate)."""
    text = scope.prepare(instantiate(claim.text, values))
    if claim.kind == "step":
        return [_step_update(scope, claim, text, values)]
    try:
        members = scope.reader.parse(text)
    except SymdiffError as exc:
        raise scope.error(f"{'claim' if claim.kind != 'identity' else 'identity'}: {exc}", claim.id) from None
    if claim.kind == "identity" and len(members) < 2:
        raise scope.error("an identity needs two sides 'a = b'", claim.id)
    for m in members:
        if isinstance(m, sp.logic.boolalg.Boolean) and not isinstance(m, sp.Expr):
            raise scope.error(f"a side is a condition ({m}), not a value", claim.id)
    return _evaluate_derivatives(scope, claim, members)


def _step_update(scope: FileScope, claim: Claim, text: str, values):
    """``w - \\eta(...)``: the update after the current iterate (the claim starts with wrt)."""
    wrt = instantiate(claim.wrt_text, values).strip()
    stripped = scope.reader.strip_annotations(text).strip()
    if not stripped.startswith(wrt):
        raise scope.error(f"a step claim reads '{wrt} + ...' or '{wrt} - ...' (the new value of {wrt}), "
                          f"got {text.strip()!r}", claim.id)
    rest = stripped[len(wrt):].strip()
    if not rest or rest[0] not in "+-":
        raise scope.error(f"a step claim reads '{wrt} + ...' or '{wrt} - ...', got {text.strip()!r}", claim.id)
    try:
        update = scope.reader.parse_one(rest)
    except SymdiffError as exc:
        raise scope.error(f"claim: {exc}", claim.id) from None
    return _evaluate_derivatives(scope, claim, [update])[0]


def _evaluate_derivatives(scope: FileScope, claim: Claim, members: list) -> list:
    """f'(x) of a known function evaluated (sigma'(x) -> sigma(x)(1 - sigma(x))); generic f' stays."""
    for k, m in enumerate(members):
        if isinstance(m, sp.Basic) and m.has(sp.Derivative, sp.Subs) and not scope.generic:
            m = m.replace(lambda e: isinstance(e, (sp.Derivative, sp.Subs)), lambda e: e.doit())
            members[k] = m
            if m.has(sp.Derivative):
                raise scope.error(f"the claim keeps a derivative SymPy cannot evaluate: "
                                  f"{next(iter(m.atoms(sp.Derivative)))}", claim.id)
    return members


# -- shapes ---------------------------------------------------------------------------
def _check_shapes(scope: FileScope, claim: Claim, wrt: list, is_vec: bool, members: list) -> None:
    """The annotations ``B_{[k,m]}`` read so far, then each member's shape against the claim's."""
    for note in scope.reader.shape_notes:
        _check_note(scope, claim, note)
    scope.reader.shape_notes.clear()
    if claim.kind == "identity":
        shapes = {shape_of(m) for m in members}
        if len(shapes) > 1:
            raise scope.error(f"the sides have different shapes: {', '.join(describe(m) for m in members)}",
                              claim.id)
        return
    if len(wrt) == 1 and isinstance(wrt[0], sp.MatrixSymbol):
        expected = wrt[0].shape
    elif is_vec:
        expected = (len(wrt), 1)
    else:
        expected = ()
    for m in members:
        got = shape_of(m)
        if claim.kind == "step" and got == ():
            continue   # a scalar update is added to every entry, as written
        if got == expected or (is_vec and got in ((len(wrt),), (1, len(wrt)))):
            continue
        raise scope.error(f"the claim is {describe(m)}, but the {claim.kind} with respect to "
                          f"{claim.wrt_text} is {describe_shape(expected)}", claim.id)


def _check_note(scope: FileScope, claim: Claim, note) -> None:
    value = scope.symbols.get(note.name)
    if value is None:
        prog = scope.function.program if scope.function is not None else None
        value = prog.symbol(note.name) if prog is not None else None
    if not isinstance(value, sp.MatrixSymbol):
        return
    shape = value.shape[::-1] if note.transposed else value.shape
    written = tuple(size_of(d) for d in note.dims)
    if len(written) != 2 or any(w != s for w, s in zip(written, shape)):
        raise scope.error(f"the annotation {note.name}_[{','.join(note.dims)}] does not match its shape "
                          f"{describe_shape(shape)}", claim.id)
