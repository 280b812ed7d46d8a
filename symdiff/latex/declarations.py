"""What the caller declared about names: shapes, scalar variables, functions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from .base import MAX_VECTOR_LENGTH, Problem
from .indices import is_kronecker, kronecker
from .names import DECORATION_PREFIX, Fn, declared_function, dimension, normalize_name

@dataclass
class Declarations:
    """What the caller told us about names: shapes, scalars, functions."""

    assumptions: dict
    strict: bool
    index_base: int
    shapes: dict[str, tuple] = field(default_factory=dict)
    values: dict[str, sp.Basic] = field(default_factory=dict)
    dims: dict[str, sp.Symbol] = field(default_factory=dict)
    variables: set[str] = field(default_factory=set)
    functions: dict[str, Fn] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)   # theta_1, W^(1) -> theta1, W1

    def alias(self, name: str) -> str:
        return self.aliases.get(name, name)

    # -- what a name is -----------------------------------------------------
    def declared(self, name: str) -> bool:
        return name in self.shapes or name in self.variables or name in self.functions

    def is_value(self, name: str) -> bool:
        return name in self.shapes or name in self.variables

    def words(self) -> set[str]:
        """Multi-letter names to read as one name when their letters are adjacent."""
        names = set(self.shapes) | self.variables | set(self.functions)
        bases = {n.split("_")[0] for n in names}
        decorations = set(DECORATION_PREFIX.values())  # hat_y is written \hat{y}
        return {b for b in bases if len(b) > 1 and b.isalpha() and b not in decorations}

    def symbol(self, name: str) -> sp.Symbol:
        return sp.Symbol(name, **self.assumptions)

    def value(self, name: str, pos: int | None = None, end: int | None = None):
        if name in self.values:
            return self.values[name]
        if name in self.dims:
            return self.dims[name]
        if name in self.functions and self.functions[name].value is not None:
            return self.functions[name].value
        if name in self.functions:
            raise Problem(f"function {name!r} is used without arguments", pos, end)
        if self.strict and name not in self.variables:
            raise Problem(f"undeclared variable {name!r} (strict_variables=True)", pos, end)
        return self.symbol(name)

    # -- elements of vectors and matrices -----------------------------------
    def _defined(self, base: str):
        """The value of a name given one (``values``) or defined as a vector (p = softmax(s))."""
        if base in self.values:
            return self.values[base]
        fn = self.functions.get(base)
        if fn is not None and fn.arity is None and isinstance(fn.value, (sp.MatrixBase, MatrixExpr)):
            return fn.value
        return None

    def vector_length(self, base: str, position: int, arity: int, pos=None, end=None):
        shape = self.shapes.get(base)
        defined = self._defined(base)
        if shape is None and isinstance(defined, (sp.MatrixBase, MatrixExpr)):
            shape = tuple(defined.shape)   # p = softmax(s): p_k ranges over the entries of s
        if shape is None:
            raise Problem(f"cannot infer the range of the sum: {base!r} has no declared "
                           f"shape (pass shapes={{{base!r}: (n,)}})", pos, end)
        if arity == 2 and len(shape) == 2:
            return shape[position]
        if arity == 1 and len(shape) == 1:
            return shape[0]
        if arity == 1 and len(shape) == 2 and 1 in shape:
            return shape[0] if shape[1] == 1 else shape[1]
        raise Problem(f"{base!r} of shape {shape} cannot take {arity} index(es)", pos, end)

    def element(self, base: str, index: tuple, pos: int, end: int):
        """The element ``base_{index}``; index parts are Integer, Symbol (bound) or str (free)."""
        if is_kronecker(self, base) and len(index) == 2:
            return kronecker(index)
        if self.strict and base not in self.shapes and base not in self.variables \
                and element_name(base, index) not in self.variables:
            raise Problem(f"undeclared variable {base!r} (strict_variables=True)", pos, end)
        value = self._defined(base)
        if isinstance(value, sp.MatrixBase):  # before MatrixExpr: ImmutableMatrix is both
            self.vector_length(base, 0, len(index), pos, end)
            return self._explicit_element(base, value, index[0], pos, end)
        if isinstance(value, MatrixExpr):
            return self._matrix_element(base, value, index, pos, end)
        return self._scalar_element(base, index)

    def _explicit_element(self, base, vector, k, pos, end):
        if isinstance(k, str):  # a free index: soft-arg-max's y_i
            return self.symbol(element_name(base, (k,)))
        if isinstance(k, sp.Integer):
            offset = int(k) - self.index_base
            if not 0 <= offset < vector.rows:
                last = self.index_base + vector.rows - 1
                raise Problem(f"index {k} of {base!r} is outside {self.index_base}..{last}",
                               pos, end)
            return vector[offset]
        return sp.IndexedBase(base, **self.assumptions)[k]

    def _matrix_element(self, base, matrix, index, pos, end):
        index = tuple(sp.Symbol(k, integer=True) if isinstance(k, str) else k for k in index)
        offsets = tuple(k - self.index_base for k in index)
        rows, cols = matrix.shape
        if len(offsets) == 2:
            return matrix[offsets]
        if len(offsets) == 1 and cols == 1:
            return matrix[offsets[0], 0]
        if len(offsets) == 1 and rows == 1:
            return matrix[0, offsets[0]]
        raise Problem(f"{base!r} is a {rows}x{cols} matrix: use {base}_{{i,j}} or declare "
                       f"{base}_... as a name of its own", pos, end)

    def _scalar_element(self, base, index):
        if any(isinstance(k, sp.Symbol) for k in index):  # bound by a symbolic-range sum
            parts = tuple(sp.Symbol(k, integer=True) if isinstance(k, str) else k for k in index)
            return sp.IndexedBase(base, **self.assumptions)[parts]
        return self.symbol(element_name(base, index))


def element_name(base: str, index: tuple) -> str:
    parts = [str(k) for k in index]
    return f"{base}_{parts[0]}" if len(parts) == 1 else f"{base}_{{{','.join(parts)}}}"


def declare(shapes, functions, variables, assumptions, strict, index_base) -> Declarations:
    if assumptions is None:
        assumptions = {"real": True}
    if not isinstance(assumptions, dict):
        raise Problem("assumptions must be a dict such as {'real': True}")
    if isinstance(index_base, bool) or not isinstance(index_base, int):
        raise Problem("index_base must be an int")
    if not isinstance(shapes or {}, dict) or not isinstance(functions or {}, dict):
        raise Problem("shapes and functions must be dicts")
    if isinstance(variables, str):
        raise Problem("variables must be a set of names, not a string")
    decl = Declarations(dict(assumptions), bool(strict), index_base)
    for key, shape in (shapes or {}).items():
        _declare_shape(decl, normalize_name(key), shape)
    for key in (variables or ()):
        decl.variables.add(normalize_name(key))
    for key, value in (functions or {}).items():
        name = normalize_name(key)
        decl.functions[name] = declared_function(name, value)
    for name in decl.functions:
        if decl.is_value(name):
            raise Problem(f"{name!r} is declared both as a function and as a value")
    _declare_aliases(decl)
    return decl


def _declare_aliases(decl: Declarations) -> None:
    """A declared plain name with a numeric tail (theta1, W1) is also spelled \\theta_1,
    W^{(1)}, W^{[1]} when no vector or matrix of the base name (theta, W) is declared."""
    for name in list(decl.shapes) + sorted(decl.variables) + sorted(decl.functions):
        match = re.fullmatch(r"([A-Za-z]+?)([0-9]+)", name)
        if match is None or decl.declared(match.group(1)):
            continue
        base, k = match.groups()
        for spelling in (f"{base}_{k}", f"{base}^({k})", f"{base}^[{k}]"):
            if not decl.declared(spelling):
                decl.aliases.setdefault(spelling, name)


def _declare_shape(decl: Declarations, name: str, shape) -> None:
    if isinstance(shape, (int, str)):
        shape = (shape,)
    if not isinstance(shape, (tuple, list)) or len(shape) not in (1, 2):
        raise Problem(f"shape of {name!r} must be (n,) or (rows, cols), got {shape!r}")
    dims = tuple(dimension(name, entry, decl.dims) for entry in shape)
    decl.shapes[name] = dims
    if len(dims) == 1 and dims[0].is_Integer:
        # a vector of known length is its scalar elements x_0, x_1, ...: the lecture's
        # <x, a> = sum_i x_i a_i then is an ordinary scalar expression
        if dims[0] > MAX_VECTOR_LENGTH:
            raise Problem(f"vector {name!r} of length {dims[0]} is too long to expand "
                           f"(max {MAX_VECTOR_LENGTH}); give it a symbolic length")
        first = decl.index_base
        decl.values[name] = sp.ImmutableMatrix(
            [decl.symbol(element_name(name, (k,))) for k in range(first, first + int(dims[0]))])
    elif len(dims) == 1:
        decl.values[name] = sp.MatrixSymbol(name, dims[0], 1)
    else:
        decl.values[name] = sp.MatrixSymbol(name, *dims)


# ---------------------------------------------------------------------------
# Placeholder meanings
# ---------------------------------------------------------------------------
