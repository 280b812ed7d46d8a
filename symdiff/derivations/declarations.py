"""The declarations of a derivation file: ``[variables]``, ``[sizes]``, ``[macros]``, ``[functions]``.

Each table is checked and recorded in the ``FileScope``; then ``build_reader``
makes the file's ``LatexReader`` from them and reads what the declarations
mean for the checks: every variable's symbol (a vector's entries, a matrix's
``MatrixSymbol``), the structure markers and the domains.
"""
from __future__ import annotations

import re

import sympy as sp

from ..errors import SymdiffError
from ..latex import parse_latex
from ..latex.lecture import LatexReader, normalize_name
from ..verifier import onehot, pm1, simplex
from . import registry
from .model import MATRIX_STRUCTURES, SCALAR_STRUCTURES, VECTOR_STRUCTURES, Variable
from .names import latex_name, parser_name
from .scope import FileScope

__all__ = ["read_variables", "read_sizes", "read_macros", "read_functions", "build_reader"]

_VARIABLE_KEYS = {"shape", "structure", "domain", "description"}
_SQUARE = ("spd", "upper", "permutation", "invertible", "symmetric", "orthogonal")


def read_variables(scope: FileScope, table) -> dict:
    """``[variables]``: name -> ``Variable`` (shape, structure, domain, description)."""
    if not isinstance(table, dict):
        raise scope.error("[variables] must be a table")
    out = {}
    for key, spec in table.items():
        name = parser_name(key)
        if name is None:
            raise scope.error(f"[variables]: {key!r} is not a variable name")
        if not isinstance(spec, dict):
            raise scope.error(f"[variables] {key} must be a table such as {{}} or {{ shape = [3] }}")
        unknown = sorted(set(spec) - _VARIABLE_KEYS)
        if unknown:
            raise scope.error(f"[variables] {key}: unknown key(s) {', '.join(unknown)} "
                              f"(allowed: {', '.join(sorted(_VARIABLE_KEYS))})")
        shape = spec.get("shape", [])
        if not isinstance(shape, list) or len(shape) > 2 or not all(
                (isinstance(s, int) and not isinstance(s, bool) and s > 0) or
                (isinstance(s, str) and re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", s)) for s in shape):
            raise scope.error(f"[variables] {key}: shape must be [], [n] or [rows, cols] of positive integers "
                              f"and size names, got {shape!r}")
        structure = spec.get("structure")
        kind = {0: "scalar", 1: "vector"}.get(len(shape), "matrix")
        allowed = {"scalar": SCALAR_STRUCTURES, "vector": VECTOR_STRUCTURES, "matrix": MATRIX_STRUCTURES}[kind]
        if structure is not None and structure not in allowed:
            raise scope.error(f"[variables] {key}: structure {structure!r} does not apply to a {kind} "
                              f"(allowed: {', '.join(allowed)})")
        domain = spec.get("domain", [])
        if isinstance(domain, str):
            domain = [domain]
        if not isinstance(domain, list) or not all(isinstance(x, str) for x in domain):
            raise scope.error(f"[variables] {key}: domain must be a condition or a list of conditions")
        if kind == "matrix" and structure in _SQUARE and shape[0] != shape[1]:
            raise scope.error(f"[variables] {key}: a {structure} matrix is square, got shape {shape}")
        if kind == "matrix" and spec.get("domain"):
            raise scope.error(f"[variables] {key}: a matrix takes a structure (spd, symmetric, upper, invertible, "
                              f"permutation, orthogonal), not a domain")
        desc = spec.get("description", "")
        if not isinstance(desc, str):
            raise scope.error(f"[variables] {key}: description must be a string")
        if name in out:
            raise scope.error(f"[variables] {key} is declared twice")
        out[name] = Variable(name, tuple(shape), structure, domain, desc)
    return out


def read_sizes(scope: FileScope, table) -> dict:
    """``[sizes]``: size names bound to integers 1..20."""
    if not isinstance(table, dict):
        raise scope.error("[sizes] must be a table of size = integer")
    out = {}
    for k, v in table.items():
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", k) or not isinstance(v, int) or isinstance(v, bool) \
                or not 1 <= v <= 20:
            raise scope.error(f"[sizes] {k} = {v!r}: sizes are names bound to integers 1..20")
        if k in scope.variables:
            raise scope.error(f"[sizes] {k} is also a variable")
        out[k] = v
    return out


def read_macros(scope: FileScope, table) -> dict:
    """``[macros]``: text replaced by LaTeX before a formula is read."""
    if not isinstance(table, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in table.items()):
        raise scope.error("[macros] maps text to LaTeX (strings)")
    return dict(table)


def read_functions(scope: FileScope, table) -> dict:
    """``[functions]``: name -> a builtin's name, ``"generic"`` or a helper of ``registry``.

    A generic function becomes an undefined SymPy function with the next
    stand-in of ``registry.TEST_FUNCTIONS`` (recorded in ``scope.generic``).
    """
    if not isinstance(table, dict):
        raise scope.error("[functions] must be a table of name = kind")
    out = {}
    stand_ins = iter(registry.TEST_FUNCTIONS)
    for key, value in table.items():
        name = normalize_name(key)
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name):
            raise scope.error(f"[functions]: {key!r} is not a function name")
        if not isinstance(value, str):
            raise scope.error(f"[functions] {key} must be a string: a builtin (\"sigmoid\"), \"generic\" or "
                              f"a helper ({', '.join(sorted(registry.HELPERS))})")
        if value == "generic":
            cls = sp.Function(name, real=True)
            try:
                scope.generic[name] = (cls, next(stand_ins))
            except StopIteration:
                raise scope.error(f"[functions]: at most {len(registry.TEST_FUNCTIONS)} generic functions") from None
            out[name] = cls
        elif normalize_name(value) in registry.MATRIX_HELPERS:
            out[name] = normalize_name(value)
        elif normalize_name(value) in registry.HELPERS:
            out[name] = registry.HELPERS[normalize_name(value)]
        else:
            out[name] = value
            try:
                parse_latex(r"\operatorname{%s}(t)" % name, functions={name: value})
            except SymdiffError as exc:
                raise scope.error(f"[functions] {key} = {value!r}: {exc}") from None
    for name in registry.LOGIC_HELPERS:
        out.setdefault(name, registry.LOGIC_HELPERS[name])
    return out


def build_reader(scope: FileScope) -> None:
    """The file's ``LatexReader``, then every variable's symbol, its structure and its domain."""
    shapes, scalars, lengths = {}, set(), {}
    for v in scope.variables.values():
        if v.kind == "scalar":
            scalars.add(v.name)
            scope.symbols[v.name] = sp.Symbol(v.name, real=True)
        else:
            shape = tuple(scope.sizes.get(d, d) if isinstance(d, str) else d for d in v.shape)
            v.shape = shape
            shapes[v.name] = shape
            if v.kind == "vector" and v.structure is not None and not isinstance(shape[0], int):
                raise scope.error(f"[variables] {v.name}: a structured vector needs an integer length "
                                  f"(a number, or a size bound under [sizes])")
            if v.kind == "vector" and isinstance(shape[0], int):
                lengths[v.name] = shape[0]
    scalars |= set(scope.sizes)
    scope.vector_functions = {n for n, f in scope.functions.items()
                              if f in (registry.HELPERS[h] for h in registry.VECTOR_HELPERS)}
    matrix_functions = {n: registry.MATRIX_HELPERS[f] for n, f in scope.functions.items()
                        if isinstance(f, str) and f in registry.MATRIX_HELPERS}
    functions = {n: f for n, f in scope.functions.items() if n not in matrix_functions}
    scope.reader = LatexReader(shapes=shapes, variables=scalars, functions=functions,
                               index_base=scope.index_base, vector_length=lengths,
                               leibniz=scope.leibniz, postprocess=scope.postprocess,
                               matrix_functions=matrix_functions)
    scope.scalars = scalars
    # values of declared vectors and matrices, as the parser makes them
    for v in scope.variables.values():
        if v.kind != "scalar":
            scope.symbols[v.name] = scope.parse(latex_name(v.name), f"[variables] {v.name}")
    for v in scope.variables.values():
        if v.structure is not None:
            _record_structure(scope, v)
        for cond in v.domain:
            scope.conditions.append(scope.condition(cond, f"[variables] {v.name}: domain"))


def _record_structure(scope: FileScope, v: Variable) -> None:
    """A matrix's structure for the matrix checks; a marker and finite values for vectors and scalars."""
    if v.kind == "matrix":
        scope.matrix_structure[v.name] = v.structure
        return
    value = scope.symbols[v.name]
    entries = list(value) if v.kind == "vector" else [value]
    if v.structure == "simplex":
        scope.markers.append(simplex(entries))
    elif v.structure == "onehot":
        scope.markers.append(onehot(entries))
    elif v.structure == "pm1":
        scope.markers.append(pm1(entries))
        for e in entries:
            scope.finite[e] = (-1, 1)
    elif v.structure == "boolean":
        for e in entries:
            scope.finite[e] = (0, 1)
            integer = sp.Symbol(e.name, integer=True)
            scope.conditions += [sp.Ge(integer, 0), sp.Le(integer, 1)]
