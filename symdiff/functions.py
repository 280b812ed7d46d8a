"""Named activation functions of the lecture's table as SymPy functions.

Each class knows its derivative (``fdiff``), its elementary form (used by the
verifier to prove identities), how NumPy evaluates it stably and how it is
typeset.  They are declared (rule, tape forward, kinks) in ``symdiff.primitives.activations``.
"""
from __future__ import annotations

import sympy as sp


class Activation(sp.Function):
    """Common base: numeric arguments evaluate through the elementary form."""

    nargs = 1
    is_real = True
    latex_name: str = ""

    @classmethod
    def eval(cls, *args):
        if all(a.is_Number for a in args):  # numbers evaluate; symbols stay named
            return cls.elementary(*args)
        return None

    @classmethod
    def elementary(cls, *args):  # pragma: no cover - overridden
        raise NotImplementedError

    def _eval_rewrite_as_elementary(self, *args, **kwargs):
        return type(self).elementary(*args)

    def _eval_evalf(self, prec):
        return type(self).elementary(*self.args)._eval_evalf(prec)

    def _eval_is_real(self):
        return all(a.is_real for a in self.args) or None

    def _latex(self, printer, exp=None):
        args = ", ".join(printer._print(a) for a in self.args)
        tex = rf"{self.latex_name}\left({args}\right)"
        return tex if exp is None else rf"{tex}^{{{exp}}}"


_Activation = Activation   # the name the worked examples of earlier versions import


class sigmoid(Activation):
    """The logistic function 1/(1+e^{-x})."""

    latex_name = r"\sigma"

    @classmethod
    def elementary(cls, x):
        return 1 / (1 + sp.exp(-x))

    def fdiff(self, argindex=1):
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _numpycode(self, printer):
        x = printer._print(self.args[0])
        return f"numpy.exp(-numpy.logaddexp(0, -({x})))"


class softplus(Activation):
    """ln(1 + e^x)."""

    latex_name = r"\operatorname{softplus}"

    @classmethod
    def elementary(cls, x):
        return sp.log(1 + sp.exp(x))

    def fdiff(self, argindex=1):
        return sigmoid(self.args[0])

    def _numpycode(self, printer):
        return f"numpy.logaddexp(0, {printer._print(self.args[0])})"


class softsign(Activation):
    """x / (1 + |x|)."""

    latex_name = r"\operatorname{softsign}"

    @classmethod
    def elementary(cls, x):
        return x / (1 + sp.Abs(x))

    def fdiff(self, argindex=1):
        return 1 / (1 + sp.Abs(self.args[0])) ** 2

    def _numpycode(self, printer):
        x = printer._print(self.args[0])
        return f"(({x}) / (1 + numpy.abs({x})))"


class relu(Activation):
    """max(0, x); its derivative is 1 at x >= 0 (the lecture's table)."""

    latex_name = r"\operatorname{ReLU}"

    @classmethod
    def elementary(cls, x):
        return sp.Max(0, x)

    def fdiff(self, argindex=1):
        return sp.Heaviside(self.args[0], 1)

    def _numpycode(self, printer):
        return f"numpy.maximum({printer._print(self.args[0])}, 0.0)"


class leaky_relu(Activation):
    """max(alpha*x, x) for 0 <= alpha <= 1: alpha*x below 0, x from 0 on."""

    nargs = 2
    latex_name = r"\operatorname{LeakyReLU}"

    @classmethod
    def elementary(cls, x, alpha):
        return sp.Piecewise((alpha * x, x < 0), (x, True))

    def fdiff(self, argindex=1):
        x, alpha = self.args
        if argindex == 1:
            return sp.Piecewise((alpha, x < 0), (1, True))
        if argindex == 2:
            return sp.Min(x, 0)
        raise sp.ArgumentIndexError(self, argindex)

    def _numpycode(self, printer):
        x, alpha = (printer._print(a) for a in self.args)
        return f"numpy.where(({x}) < 0, ({alpha})*({x}), {x})"


ACTIVATIONS = {cls.__name__: cls for cls in (sigmoid, softplus, softsign, relu, leaky_relu)}


def to_elementary(expr: sp.Expr) -> sp.Expr:
    """Rewrite symdiff's named functions in elementary SymPy functions."""
    mapping = {}
    for f in expr.atoms(sp.Function):
        if isinstance(f, Activation):
            mapping[f] = f.rewrite("elementary")
    if not mapping:
        return expr
    return to_elementary(expr.xreplace(mapping))
