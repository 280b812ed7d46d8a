"""Numeric evaluation for the checkers, independent of symdiff's own pipeline.

``ForwardTranslator`` evaluates an expression on the tape (the forward-only
``symdiff.witnesses.TapeTranslator``, extended to symdiff's helper nodes);
``expression_function`` turns an expression into a NumPy function through
SymPy's own printers (``lambdify``; mpmath through evalf for functions without a
NumPy form), so the finite differences do not share the bugs of symdiff's code
generator.
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixExpr
from sympy.printing.numpy import SciPyPrinter

from ..closed_form import closed_form as closed_form_of
from .. import tape as tp
from ..functions import leaky_relu
from ..matrix import ColSums, Elementwise, RowSums, ScaleRows
from ..numeric import HELPERS
from ..program import Program
from ..witnesses import TapeTranslator


class ForwardTranslator(TapeTranslator):
    """The forward-only translation of ``symdiff.witnesses`` (SymPy head -> tape op), extended to
    symdiff's helper nodes, symbolic shapes and a leaky ReLU whose slope is a value.
    It evaluates an expression directly (each distinct subexpression once)."""

    def __init__(self):
        super().__init__(Program())
        self.sizes: dict = {}

    def _shape(self, expr):
        return tuple(int(sp.sympify(d).xreplace(self.sizes)) for d in expr.shape)

    def eval(self, expr, env):
        if expr in env:
            return env[expr]
        value = self._evaluate(expr, env)
        if not expr.is_Atom:
            env[expr] = value   # a shared subexpression is evaluated (and recorded on the tape) once
        return value

    def _evaluate(self, expr, env):
        if isinstance(expr, sp.Identity):
            return np.eye(self._shape(expr)[0])
        if isinstance(expr, sp.OneMatrix):
            return np.ones(self._shape(expr))
        if isinstance(expr, sp.ZeroMatrix):
            return np.zeros(self._shape(expr))
        if isinstance(expr, ColSums):
            return tp.sum(self.eval(expr.args[0], env), axis=0, keepdims=True)
        if isinstance(expr, RowSums):
            return tp.sum(self.eval(expr.args[0], env), axis=1, keepdims=True)
        if isinstance(expr, ScaleRows):
            return self.eval(expr.args[0], env) * self.eval(expr.args[1], env)
        if isinstance(expr, Elementwise):
            lam = expr.function
            inner = dict(env)
            inner.update({v: self.eval(m, env) for v, m in zip(lam.variables, expr.args[1:])})
            return self.eval(lam.expr, inner)
        if isinstance(expr, leaky_relu):
            x, alpha = (self.eval(a, env) for a in expr.args)
            return tp.relu(x) - alpha * tp.relu(-x)   # x above 0, alpha*x below
        return super().eval(expr, env)


def symmetrized(g):
    """(G + Gᵀ)/2 over the last two axes: a gradient taken w.r.t. a symmetric matrix."""
    g = np.asarray(g, dtype=float)
    return (g + np.swapaxes(g, -1, -2)) / 2


def _lambdified(params, expr):
    """A NumPy function of ``params``; None when SymPy cannot print ``expr`` for NumPy."""
    try:
        fn = sp.lambdify(params, expr, modules=[HELPERS, "scipy", "numpy"], cse=True)
    except Exception:  # printing failures come as many exception types
        return None

    def evaluate(*values):
        with np.errstate(all="ignore"):
            return fn(*values)

    return evaluate


def _evalf_function(params, expr):
    """Arbitrary-precision evaluation, for functions without a NumPy form (slow, scalars only;
    a Tuple of expressions gives a tuple of values)."""
    parts = list(expr) if isinstance(expr, sp.Tuple) else [expr]

    def evaluate(*values):
        subs = dict(zip(params, (sp.Float(float(v), 30) for v in values)))
        out = []
        for part in parts:
            try:
                out.append(float(sp.N(part, 30, subs=subs)))
            except TypeError:   # complex or unevaluated: outside the domain
                out.append(math.nan)
        return tuple(out) if isinstance(expr, sp.Tuple) else out[0]

    return evaluate


def scalar_function(params, expr):
    """Evaluate a scalar expression: NumPy via lambdify, else mpmath through evalf."""
    fast = _lambdified(params, expr)
    slow = _evalf_function(params, expr)
    if fast is None:
        return slow

    def evaluate(*values):
        try:
            return fast(*values)
        except (NameError, TypeError, AttributeError):   # a function NumPy does not know
            return slow(*values)

    return evaluate


class _ReferencePrinter(SciPyPrinter):
    """SymPy's SciPy printer plus the few matrix nodes it lacks: the forward of a matrix
    expression is printed from the expression itself, not through symdiff's program builder or
    code generator, so the finite differences do not share their bugs."""

    def _print_Trace(self, expr):
        return f"numpy.trace({self._print(expr.arg)})"

    def _print_MatAdd(self, expr):
        # parenthesized, as symdiff's nodes expect of an operand (ScaleRows prints "Y * g")
        return "(" + " + ".join(self._print(a) for a in expr.args) + ")"

    def _print_Determinant(self, expr):
        return f"numpy.linalg.det({self._print(expr.arg)})"

    def _print_ElementwiseApplyFunction(self, expr):
        return self._print(Elementwise(expr.function, expr.expr))

    def _print_HadamardPower(self, expr):
        return f"numpy.power({self._print(expr.base)}, {self._print(expr.exp)})"

    def _print_MatMul(self, expr):
        # SymPy writes 1 1ᵀ = n 1 with a dimension n as coefficient; with n's size put in, SciPyPrinter
        # would print the number as the first factor of a .dot chain
        scalars = [a for a in expr.args if not isinstance(a, MatrixExpr)]
        if not scalars:
            return super()._print_MatMul(expr)
        mats = [a for a in expr.args if isinstance(a, MatrixExpr)]
        product = self._print(sp.MatMul(*mats)) if len(mats) > 1 else self._print(mats[0])
        return f"(({self._print(sp.Mul(*scalars))}) * {product})"


class _MatrixFunction:
    """A matrix expression as a NumPy function, lambdified once per combination of sizes."""

    def __init__(self, params, expr):
        self.params = [p for p in params if isinstance(p, (sp.MatrixSymbol, sp.Symbol))]
        # X.applyfunc(f) as symdiff's Elementwise node: once X is given a 1x1 shape, SymPy would
        # apply f to the matrix itself
        self.expr = expr.replace(lambda e: isinstance(e, ElementwiseApplyFunction),
                                 lambda e: Elementwise(_as_lambda(e.function), e.expr))
        self.compiled: dict = {}

    def __call__(self, *values):
        sizes = {}
        for p, v in zip(self.params, values):
            if isinstance(p, sp.MatrixSymbol):
                for d, n in zip(p.shape, np.shape(v)):
                    if isinstance(d, sp.Symbol):
                        sizes[d] = int(n)
        key = tuple(sorted((d.name, n) for d, n in sizes.items()))
        fn = self.compiled.get(key)
        if fn is None:
            drawn = [p for p in self.params if p not in sizes]
            fn = sp.lambdify([p.xreplace(sizes) for p in drawn], self.expr.xreplace(sizes),
                             modules=[{"numpy": np}, HELPERS, "scipy", "numpy"], printer=_ReferencePrinter)
            # (no cse: it would replace the Lambda inside an Elementwise node by a symbol)
            self.compiled[key] = fn = (fn, len(drawn))
        function, n_drawn = fn
        with np.errstate(all="ignore"):
            return function(*values[:n_drawn])


def _as_lambda(f):
    if isinstance(f, sp.Lambda):
        return f
    t = sp.Dummy("t", real=True)
    return sp.Lambda(t, f(t))


def expression_function(params, expr):
    """``expr`` as a NumPy function of ``params`` (matrix expressions lambdified once per size)."""
    if isinstance(expr, MatrixExpr) or any(isinstance(p, sp.MatrixSymbol) for p in params):
        return _MatrixFunction(params, expr)
    return scalar_function(params, expr)


def closed_form(program: Program):
    """The program's output as one expression (intermediates substituted)."""
    return closed_form_of(program)
