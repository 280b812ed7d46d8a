r"""Functions a derivation file can declare under ``[functions]`` besides ``parse_latex``'s builtins.

* ``"generic"``: an arbitrary differentiable function of one variable.  Claims
  are proved with an undefined SymPy function (a proof for every ``f``) and
  tested with a fixed concrete stand-in (``TEST_FUNCTIONS``), which is what a
  counterexample is made of.
* lecture helpers on a list of scalars: ``softargmax`` (a vector),
  ``logsumexp``, ``argmax`` (the numeric arg-max vector of the lecture, 1/m on
  each of the m maximal entries), ``argmaxindex`` (the first maximal position);
* on 0/1 values: ``land``, ``lor``, ``lxor``, ``lnot`` (what the logic
  operators of a formula turn into);
* matrices: ``trilhalf`` (Phi of the Cholesky adjoint: the lower triangle, diagonal halved).
"""
from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..matrix import MatrixNode

__all__ = ["HELPERS", "VECTOR_HELPERS", "MATRIX_HELPERS", "TEST_FUNCTIONS", "TrilHalf", "instantiate_generic"]

_t = sp.Symbol("t", real=True)

# Stand-ins for generic functions, in order of declaration: smooth, not odd or even,
# with derivatives that are no simple multiples of the function.
TEST_FUNCTIONS = (
    sp.Lambda(_t, sp.sin(_t) + _t ** 3 / 5),
    sp.Lambda(_t, sp.exp(_t / 2) - _t ** 2 / 3),
    sp.Lambda(_t, sp.atan(2 * _t) + _t ** 2 / 7),
)


def _softargmax(*xs):
    total = sp.Add(*[sp.exp(x) for x in xs])
    return sp.ImmutableMatrix([sp.exp(x) / total for x in xs])


def _logsumexp(*xs):
    return sp.log(sp.Add(*[sp.exp(x) for x in xs]))


def _is_max(k, xs):
    return sp.And(*[sp.Ge(xs[k], x) for j, x in enumerate(xs) if j != k])


def _argmax(*xs):
    """(0, ..., 1/m, ..., 1/m, ..., 0): 1/m on each of the m entries where the maximum is."""
    flags = [sp.Piecewise((1, _is_max(k, xs)), (0, True)) for k in range(len(xs))]
    m = sp.Add(*flags)
    return sp.ImmutableMatrix([f / m for f in flags])


def _argmaxindex(*xs):
    """The first position (1-based) where the maximum is."""
    pieces = [(k + 1, _is_max(k, xs)) for k in range(len(xs) - 1)]
    return sp.Piecewise(*pieces, (len(xs), True))


def _land(a, b):
    return sp.Piecewise((1, sp.And(sp.Eq(a, 1), sp.Eq(b, 1))), (0, True))


def _lor(a, b):
    return sp.Piecewise((1, sp.Or(sp.Eq(a, 1), sp.Eq(b, 1))), (0, True))


def _lxor(a, b):
    return sp.Piecewise((1, sp.Xor(sp.Eq(a, 1), sp.Eq(b, 1))), (0, True))


def _lnot(a):
    return sp.Piecewise((1, sp.Eq(a, 0)), (0, True))


class TrilHalf(MatrixNode):
    """Phi(A): the lower triangle of A with its diagonal halved (Murray 2016)."""

    def __new__(cls, A):
        return MatrixExpr.__new__(cls, A)

    @property
    def shape(self):
        return self.args[0].shape

    def _explicit(self, A):
        n = A.shape[0]
        return sp.Matrix(n, n, lambda i, j: A[i, j] if i > j else (A[i, j] / 2 if i == j else 0))

    def _latex(self, printer, exp=None):
        return rf"\Phi\left({printer._print(self.args[0])}\right)"


HELPERS = {
    "softargmax": _softargmax, "logsumexp": _logsumexp, "argmax": _argmax, "argmaxindex": _argmaxindex,
    "land": _land, "lor": _lor, "lxor": _lxor, "lnot": _lnot,
}
MATRIX_HELPERS = {"trilhalf": TrilHalf}
VECTOR_HELPERS = {"softargmax", "logsumexp", "argmax", "argmaxindex"}
LOGIC_HELPERS = {"land": _land, "lor": _lor, "lxor": _lxor, "lnot": _lnot}


def instantiate_generic(expr, generic: dict):
    """Replace each undefined function (name -> (class, Lambda)) by its stand-in, then evaluate."""
    if not generic or not isinstance(expr, sp.Basic):
        return expr
    out = expr
    for cls, lam in generic.values():
        if out.has(cls):
            out = out.replace(lambda e, c=cls: isinstance(e, sp.core.function.AppliedUndef) and e.func == c,
                              lambda e, l=lam: l(*e.args))
    if out is not expr:
        # evaluate the derivatives of the stand-ins, also inside Lambdas (f'(X) applied entry by entry)
        out = out.replace(lambda e: isinstance(e, (sp.Derivative, sp.Subs)), lambda e: e.doit())
        if not isinstance(out, MatrixExpr):
            out = out.doit()
    return out


def rules_with_generic():
    """symdiff's rule table plus rules for generic (undefined) functions, for display.

    ``f(x)`` passes ``g f'(x)`` back, ``f`` applied entry by entry passes
    ``f'(X) o G``; f' stays the symbol of a derivative.  Checks never use this
    (they instantiate generic functions); reports show the gradient program with
    it, and the loader reads a claim's Leibniz fractions with it (``leibniz.py``).
    """
    from sympy.core.function import AppliedUndef
    from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

    from ..matrix import Elementwise
    from ..reverse import DEFAULT_RULES

    table = DEFAULT_RULES.copy()
    original = table.rules.get(ElementwiseApplyFunction)

    def derivative(f, x):
        u = sp.Dummy("u", real=True)
        return sp.Subs(sp.Derivative(f(u), u), u, x)

    def applied_undef(ctx):
        return [(a, ctx.g * derivative(type(ctx.expr), a)) for a in ctx.args[:1]]

    def elementwise(ctx):
        lam, X = ctx.args
        body = lam.expr if isinstance(lam, sp.Lambda) else None
        if isinstance(body, AppliedUndef) and body.args == (lam.variables[0],):
            x, y, g = sp.Dummy("x", real=True), sp.Dummy("y", real=True), sp.Dummy("g", real=True)
            return [(X, Elementwise(sp.Lambda((x, y, g), g * derivative(type(body), x)), X, ctx.ans, ctx.g))]
        return original(ctx)

    table.rules[AppliedUndef] = applied_undef
    table.rules[ElementwiseApplyFunction] = elementwise
    return table
