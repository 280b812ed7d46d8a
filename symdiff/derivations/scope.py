"""What one derivation file has declared so far, and the LaTeX reader built from it.

The loading steps (``declarations.py``, ``function.py``, ``claims.py``,
``instances.py``) read their tables against a ``FileScope`` and extend it:
the declarations fill in variables, sizes, macros and functions and build the
reader; the function declares its intermediates; an adjoint claim declares
its ``d<node>``.  Every formula is read through ``FileScope.parse``: the
file's macros expanded, then ``LatexReader`` with the file's names.
"""
from __future__ import annotations

import pathlib
import re
from dataclasses import dataclass, field

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement, MatrixExpr

from ..errors import SymdiffError
from ..latex.lecture import LatexReader
from .leibniz import leibniz_fraction
from .model import DerivationError, FunctionDef

__all__ = ["FileScope"]


@dataclass
class FileScope:
    path: pathlib.Path
    index_base: int = 1
    variables: dict = field(default_factory=dict)     # parser name -> Variable
    sizes: dict = field(default_factory=dict)         # size name -> int
    macros: dict = field(default_factory=dict)        # text -> LaTeX
    functions: dict = field(default_factory=dict)     # name -> what parse_latex calls for it
    generic: dict = field(default_factory=dict)       # name -> (undefined function class, stand-in Lambda)
    vector_functions: set = field(default_factory=set)   # helpers taking a vector's entries
    scalars: set = field(default_factory=set)         # names the reader knows as scalars
    reader: LatexReader | None = None
    symbols: dict = field(default_factory=dict)       # name -> Symbol / MatrixSymbol of every declared value
    markers: list = field(default_factory=list)       # structure markers of vectors and scalars (verify's)
    conditions: list = field(default_factory=list)    # domains of the variables (SymPy)
    finite: dict = field(default_factory=dict)        # scalar symbol -> its values (pm1, boolean)
    matrix_structure: dict = field(default_factory=dict)  # MatrixSymbol name -> structure
    function: FunctionDef | None = None

    # -- messages and plain values ----------------------------------------------
    def error(self, message: str, claim=None) -> DerivationError:
        """The error to raise: the file, the claim when there is one, the message."""
        where = f"{self.path}: claim {claim!r}: " if claim else f"{self.path}: "
        return DerivationError(where + message)

    def string(self, table: dict, key: str, *, required: bool = False, claim=None) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                raise self.error(f"missing {key!r}", claim)
            return None
        if not isinstance(value, str):
            raise self.error(f"{key!r} must be a string, got {type(value).__name__}", claim)
        if required and not value.strip():
            raise self.error(f"{key!r} is empty", claim)
        return value

    def indices(self, table, what: str, claim=None) -> dict:
        """``{ i = [1, 2, 3] }``: one-letter indices and the values they run over."""
        if not isinstance(table, dict):
            raise self.error(f"{what} must be a table such as {{ i = [1, 2, 3] }}", claim)
        out = {}
        for k, v in table.items():
            if not re.fullmatch(r"[A-Za-z]", k):
                raise self.error(f"{what}: index {k!r} must be one letter", claim)
            if k in self.variables:
                raise self.error(f"{what}: index {k!r} is also a variable", claim)
            if not isinstance(v, list) or not v or not all(isinstance(x, int) and not isinstance(x, bool)
                                                           for x in v):
                raise self.error(f"{what}: {k} must list integer values, e.g. [1, 2, 3]", claim)
            out[k] = list(v)
        return out

    # -- formulas ---------------------------------------------------------------
    def prepare(self, text: str) -> str:
        """The formula as the reader takes it: annotations dropped, macros and vector calls expanded."""
        text = self.reader.strip_annotations(text)
        for key in sorted(self.macros, key=len, reverse=True):
            text = text.replace(key, self.macros[key])
        return self._expand_vector_calls(text)

    def parse(self, text: str, what: str, claim=None):
        """One value (not a chain); a problem names ``what`` was being read."""
        try:
            return self.reader.parse_one(self.prepare(text))
        except SymdiffError as exc:
            raise self.error(f"{what}: {exc}", claim) from None

    def condition(self, text: str, what: str, claim=None):
        """A condition ``x > 0`` or ``0 \\le x < 1`` (a domain, a where-clause)."""
        try:
            return self.reader.parse_condition(self.prepare(text))
        except SymdiffError as exc:
            raise self.error(f"{what} {text!r}: {exc}", claim) from None

    def _expand_vector_calls(self, text: str) -> str:
        """``\\operatorname{softargmax}(x)`` of a declared vector -> its entries as arguments."""
        if not self.vector_functions:
            return text
        names = "|".join(sorted(map(re.escape, self.vector_functions), key=len, reverse=True))

        def expand(m):
            vec = m.group(2)
            n = self.reader.vector_length.get(vec)
            if n is None:
                return m.group(0)
            args = ", ".join(f"{vec}_{{{k}}}" for k in range(self.index_base, self.index_base + n))
            return f"{m.group(1)}({args})"

        return re.sub(r"(\\operatorname\{(?:" + names + r")\}|\b(?:" + names + r"))\s*\(\s*([A-Za-z]+)\s*\)",
                      expand, text)

    # -- the reader's callbacks ---------------------------------------------------
    def postprocess(self, value):
        """Every parsed value: sizes bound, finite sums done, entries of fixed-size matrices as scalars."""
        if self.sizes and isinstance(value, sp.Basic):
            bound = {}
            for s in value.free_symbols:
                if isinstance(s, sp.Symbol) and s.name in self.sizes:
                    bound[s] = sp.Integer(self.sizes[s.name])
            if bound:
                value = value.xreplace(bound)
        if isinstance(value, sp.Basic) and value.has(sp.Sum, sp.Product):
            value = value.doit()
        if isinstance(value, sp.Basic) and not isinstance(value, MatrixExpr) and value.has(MatrixElement, sp.Indexed):
            value = _scalarize(value, self.index_base)
        return value

    def leibniz(self, num: str, den: str):
        """``\\frac{\\partial num}{\\partial den}``, read off the file's function."""
        return leibniz_fraction(self.function, num, den)


def _scalarize(expr, index_base: int):
    """Entries X[i, j] of a matrix of fixed size -> scalar symbols X_{i,j} (as parse_latex names them)."""
    def name_of(e):
        base = e.parent.name
        i, j = int(e.i) + index_base, int(e.j) + index_base
        rows, cols = e.parent.shape
        if cols == 1:
            return sp.Symbol(f"{base}_{i}", real=True)
        if rows == 1:
            return sp.Symbol(f"{base}_{j}", real=True)
        return sp.Symbol(f"{base}_{{{i},{j}}}", real=True)

    elements = [e for e in expr.atoms(MatrixElement) if e.i.is_Integer and e.j.is_Integer]
    mapping = {e: name_of(e) for e in elements}
    for e in expr.atoms(sp.Indexed):   # x[i] of a sum over a symbolic range, once the range is known
        if all(k.is_Integer for k in e.indices):
            parts = [str(int(k)) for k in e.indices]
            label = parts[0] if len(parts) == 1 else "{" + ",".join(parts) + "}"
            mapping[e] = sp.Symbol(f"{e.base.label}_{label}", real=True)
    return expr.xreplace(mapping) if mapping else expr
