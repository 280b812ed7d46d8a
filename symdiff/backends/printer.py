"""Printing a program line for an array-API namespace ``xp`` instead of NumPy.

``ArrayAPIPrinting`` is a mixin over ``symdiff.codegen.NumPyCodePrinter``: the
NumPy printer's structure (``@``, ``.T`` views, long sums as reductions, powers)
is kept, the nodes whose NumPy code calls NumPy-only functions, methods or
in-place writes are printed through the array API, and every ``numpy.<name>``
the NumPy printing still produces (SymPy's known functions, a user function's
``_numpycode``) is translated by one table.  A name the table lacks, or one
the chosen backend cannot run, is a ``BackendError`` at compile time.
"""
from __future__ import annotations

import re

import sympy as sp

from ..errors import BackendError

# numpy name -> array-API name (the standard's spelling; every backend namespace has these)
_ARRAY_API_NAMES = {
    **{n: n for n in (
        "exp", "expm1", "log", "log1p", "log2", "log10", "logaddexp", "sqrt", "abs", "sign",
        "sin", "cos", "tan", "sinh", "cosh", "tanh", "floor", "ceil", "trunc", "round",
        "maximum", "minimum", "where", "equal", "not_equal", "less", "less_equal", "greater",
        "greater_equal", "logical_and", "logical_or", "logical_not", "isnan", "isinf", "isfinite",
        "hypot", "pi", "e", "inf", "nan", "square", "sum", "prod", "max", "min", "clip",
        "reciprocal")},
    "arcsin": "asin", "arccos": "acos", "arctan": "atan", "arctan2": "atan2", "arcsinh": "asinh",
    "arccosh": "acosh", "arctanh": "atanh", "power": "pow", "absolute": "abs",
}
_CONSTANTS = {"pi": "math.pi", "e": "math.e", "inf": "math.inf", "nan": "math.nan"}

# ops a backend cannot run although the array API names them: op -> why
UNSUPPORTED = {
    "dask": {"det": "dask.array has no determinant", "logdet": "dask.array has no slogdet"},
}

_TOKEN = re.compile(r"(?<![\w.])(numpy|scipy\.special|scipy\.constants)\.([A-Za-z_]\w*)(\.[A-Za-z_]\w*)?")


class ArrayAPIPrinting:
    """Mixin: print for the namespace variable ``xp`` and the float dtype variable ``_f``."""

    backend = "array-api"

    def __init__(self, names, backend: str):
        super().__init__(names)
        self.backend = backend
        # objects' own _numpycode must not win over the methods below (the printer asks
        # printmethod first); a user function's _numpycode is still used, translated (see _print)
        self.printmethod = "_arrayapicode"

    def unsupported(self, op: str, why: str = ""):
        raise BackendError(f"not supported on {self.backend}: {op}" + (f" ({why})" if why else ""))

    def _require(self, op: str):
        why = UNSUPPORTED.get(self.backend, {}).get(op)
        if why is not None:
            self.unsupported(op, why)

    def _print(self, expr, **kwargs):
        own = getattr(self, "_print_" + type(expr).__name__, None)
        if own is None and hasattr(expr, "_numpycode"):
            return self.translate(expr._numpycode(self))
        return super()._print(expr, **kwargs)

    def doprint(self, expr, assign_to=None):
        return self.translate(super().doprint(expr, assign_to))

    def translate(self, code: str) -> str:
        """Every numpy./scipy. reference mapped to the namespace, or a BackendError naming it."""
        def one(m):
            module, name, attr = m.group(1), m.group(2), m.group(3) or ""
            if module == "scipy.constants" and name in _CONSTANTS and not attr:
                return _CONSTANTS[name]
            if module == "scipy.special" and self.backend == "jax" and not attr:
                import jax.scipy.special
                if hasattr(jax.scipy.special, name):
                    return f"jax.scipy.special.{name}"
            if module == "numpy" and not attr and name in _ARRAY_API_NAMES:
                return f"xp.{_ARRAY_API_NAMES[name]}"
            self.unsupported(f"{module}.{name}{attr}")
        return _TOKEN.sub(one, code)

    # -- functions the NumPy printer writes NumPy-only -------------------------------
    def _print_Heaviside(self, expr):
        x = self._print(expr.args[0])
        h0 = self._print(expr.args[1]) if len(expr.args) > 1 else "0.5"
        return f"xp.where(({x}) > 0, 1.0, xp.where(({x}) < 0, 0.0, {h0}))"

    def _print_Piecewise(self, expr):
        code = "math.nan"
        for value, cond in reversed(expr.args):
            if cond == sp.true:
                code = f"({self._print(value)})"
            else:
                code = f"xp.where({self._print(cond)}, {self._print(value)}, {code})"
        return code

    def _chain(self, op, args):
        code = self._print(args[-1])
        for a in reversed(args[:-1]):
            code = f"xp.{op}({self._print(a)}, {code})"
        return code

    def _print_And(self, expr):
        return self._chain("logical_and", expr.args)

    def _print_Or(self, expr):
        return self._chain("logical_or", expr.args)

    def _print_Not(self, expr):
        return f"xp.logical_not({self._print(expr.args[0])})"

    def _print_Abs(self, expr):
        return f"xp.abs({self._print(expr.args[0])})"

    def _print_KroneckerDelta(self, expr):
        a, b = (self._print(x) for x in expr.args)
        return f"xp.where(xp.equal({a}, {b}), 1.0, 0.0)"

    # -- matrices ----------------------------------------------------------------------
    def _permuted(self, left, right):
        if isinstance(left, sp.PermutationMatrix):   # (P X)[i] = X[perm[i]]
            return f"xp.take({self._print(right)}, xp.asarray({list(left.args[0].array_form)}), axis=0)"
        inverse = list((~right.args[0]).array_form)   # (X P)[:, j] = X[:, perm^-1[j]]
        return f"xp.take({self._print(left)}, xp.asarray({inverse}), axis=1)"

    def _print_PermutationMatrix(self, expr):
        n = expr.shape[0]
        return f"xp.take(xp.eye({n}, dtype=_f), xp.asarray({list(expr.args[0].array_form)}), axis=0)"

    def _print_Inverse(self, expr):
        return f"_inv(xp, {self._print(expr.arg)})"

    def _print_Trace(self, expr):
        return f"xp.linalg.trace({self._print(expr.arg)})"

    def _print_Determinant(self, expr):
        self._require("det")
        return f"xp.linalg.det({self._print(expr.arg)})"

    def _print_Identity(self, expr):
        return f"xp.eye({self._print(expr.shape[0])}, dtype=_f)"

    def _print_OneMatrix(self, expr):
        return f"xp.ones(({self._print(expr.shape[0])}, {self._print(expr.shape[1])}), dtype=_f)"

    def _print_ZeroMatrix(self, expr):
        return f"xp.zeros(({self._print(expr.shape[0])}, {self._print(expr.shape[1])}), dtype=_f)"

    def _print_MatrixBase(self, expr):
        # an explicit matrix (an indexing adjoint): entries may be traced or lazy scalars
        rows = ", ".join("[" + ", ".join(self._print(e) for e in expr.row(i)) + "]" for i in range(expr.rows))
        return f"_explicit(xp, [{rows}], _f)"

    def _print_MatPow(self, expr):
        self.unsupported("matrix power")

    # symdiff's matrix nodes (symdiff/matrix.py)
    def _print_SumEntries(self, expr):
        return f"xp.sum({self._print(expr.args[0])})"

    def _print_ColSums(self, expr):
        return f"xp.sum({self._print(expr.args[0])}, axis=0, keepdims=True)"

    def _print_RowSums(self, expr):
        return f"xp.sum({self._print(expr.args[0])}, axis=1, keepdims=True)"

    def _print_LogDet(self, expr):
        self._require("logdet")
        return f"_logdet(xp, {self._print(expr.args[0])})"

    def _print_Cholesky(self, expr):
        self._require("cholesky")
        return f"_cholesky(xp, {self._print(expr.args[0])})"

    def _print_CholeskyGrad(self, expr):
        self._require("cholesky")
        L, G = (self._print(a) for a in expr.args)
        return f"_cholesky_vjp(xp, {L}, {G}, _f)"

    def _print_SoftmaxRows(self, expr):
        if len(expr.args) == 2:
            S, L = (self._print(a) for a in expr.args)
            return f"xp.exp({S} - {L})"
        return f"_softmax_rows(xp, {self._print(expr.args[0])})"

    def _print_LogSumExpRows(self, expr):
        return f"_logsumexp_rows(xp, {self._print(expr.args[0])})"

    def _print_AddRowBias(self, expr):
        M, b = (self._print(a) for a in expr.args)
        return f"({M} + {b})"

    def _print_ScaleRows(self, expr):
        Y, g = (self._print(a) for a in expr.args)
        return f"({Y} * {g})"

    def _print_Elementwise(self, expr):
        return expr._numpycode(self)  # prints its body through this printer

    def _print_Unit(self, expr):
        i, j, rows, cols = (self._print(a) for a in expr.args)
        return f"_unit(xp, {i}, {j}, ({rows}, {cols}), _f)"

    def _print_SliceAdjoint(self, expr):
        G = self._print(expr.args[0])
        r0, r1, rs = (self._print(v) for v in expr.args[1])
        c0, c1, cs = (self._print(v) for v in expr.args[2])
        rows, cols = self._print(expr.args[3]), self._print(expr.args[4])
        return f"_embed(xp, {G}, slice({r0}, {r1}, {rs}), slice({c0}, {c1}, {cs}), ({rows}, {cols}), _f)"

