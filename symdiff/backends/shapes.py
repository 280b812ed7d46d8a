"""What every generated function shares, whatever array library it prints for: Python names
for the program's symbols, the symbolic dimensions bound from the arguments' shapes, the
shape-check lines, and the run-time helpers those lines call."""
from __future__ import annotations

import functools
import itertools
import keyword
import operator

import sympy as sp

from ..errors import ProgramError, ShapeError


def identifier(sym: sp.Symbol, taken: set[str], reserved: set[str]) -> str:
    """A Python name for ``sym`` in generated code, unique in ``taken`` and clear of ``reserved``."""
    name = sym.name
    if not name.isidentifier() or keyword.iskeyword(name) or name in reserved or name.startswith("_s"):
        name = f"_s{len(taken)}"
    while name in taken:
        name = f"_s{len(taken)}_{name}"
    taken.add(name)
    return name


def dimension_symbols(params, program) -> list[sp.Symbol]:
    """Symbolic dimensions (n, m ...) of the matrices, bound from the arguments' shapes."""
    dims = []
    for s in itertools.chain(params, program.targets()):
        if isinstance(s, sp.MatrixSymbol):
            for d in s.shape:
                for sym in sorted(getattr(d, "free_symbols", ()), key=lambda x: x.name):
                    if sym not in dims:
                        dims.append(sym)
    bound = {d for p in params if isinstance(p, sp.MatrixSymbol) for d in p.shape if isinstance(d, sp.Symbol)}
    unbound = [d for d in dims if d not in bound]
    if unbound:
        raise ProgramError(f"dimensions {', '.join(map(str, unbound))} cannot be read off any argument's shape")
    return dims


def generated_names(params, program, reserved: set[str]) -> tuple[dict, bool]:
    """Python names for the parameters, the symbolic dimensions and the program's targets, and
    whether the program works on matrices (then the dimensions are bound from the shapes)."""
    taken: set[str] = set()
    matrix_mode = any(isinstance(s, sp.MatrixSymbol) for s in itertools.chain(params, program.targets()))
    dims = dimension_symbols(params, program) if matrix_mode else []
    names = {s: identifier(s, taken, reserved) for s in itertools.chain(params, dims, program.targets())}
    return names, matrix_mode


def shape_lines(params, names, *, checked: bool, ndarrays: bool) -> list[str]:
    """Lines binding ``n = X.shape[0]`` for every symbolic dimension and (``checked``) comparing
    every argument with its declared shape.

    ``ndarrays``: the arguments are NumPy arrays already (the NumPy path converts them first),
    so ``.ndim`` and one tuple comparison per matrix do; otherwise only ``.shape`` is read,
    which every array library has and which is static under ``jax.jit`` and known from the
    chunks in Dask (no values are read).
    """
    lines, bound = [], set()
    for p in params:
        x = names[p]
        if not isinstance(p, sp.MatrixSymbol):
            if checked and ndarrays:
                # numpy.ndim: a dimension passed as an argument is rebound to an int by a matrix's shape
                lines.append(f"    if numpy.ndim({x}) != 0: _shape_error({p.name!r}, 'a scalar', numpy.shape({x}))")
            elif checked:
                lines.append(f"    if len({x}.shape) != 0: _shape_error({p.name!r}, 'a scalar', {x}.shape)")
            continue
        declared = f"({p.shape[0]}, {p.shape[1]})"
        fresh = [(axis, d) for axis, d in enumerate(p.shape) if isinstance(d, sp.Symbol) and d not in bound]
        if checked and (fresh or not ndarrays):
            rank = f"{x}.ndim" if ndarrays else f"len({x}.shape)"
            lines.append(f"    if {rank} != 2: _shape_error({p.name!r}, {declared!r}, {x}.shape)")
        for axis, d in fresh:
            bound.add(d)
            lines.append(f"    {names[d]} = {x}.shape[{axis}]")
        if checked and len(fresh) < 2:
            dims = ", ".join(names.get(d, None) or str(d) for d in p.shape)
            shape = f"{x}.shape" if ndarrays else f"tuple({x}.shape)"
            lines.append(f"    if {shape} != ({dims}): _shape_error({p.name!r}, {declared!r}, {x}.shape)")
    return lines


def shape_error(name, declared, actual):
    raise ShapeError(f"argument {name} has shape {tuple(actual)} but is declared {declared}")


def sum_terms(terms):
    return functools.reduce(operator.add, terms)


def product(factors):
    return functools.reduce(operator.mul, factors)


# the names generated lines call these helpers by
RUNTIME_HELPERS = {"_sum": sum_terms, "_prod": product, "_shape_error": shape_error}
