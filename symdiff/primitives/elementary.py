"""Arithmetic and SymPy's elementary functions, declared: rule, names, tape forward, kinks.

The rules map a node ``ans = head(args)`` and its adjoint ``g`` to the
contributions ``(arg, g * d ans / d arg)``, in the style of HIPS autograd's
``numpy_vjps.py``.  Functions declared without a rule (erf, loggamma,
asinh, ...) are differentiated through SymPy's own ``fdiff``; explicit rules
exist for those whose SymPy derivative does not suit real-valued AD (Abs,
sign, Max/Min, Piecewise, Heaviside).
"""
from __future__ import annotations

import functools
import operator

import sympy as sp

from .. import tape as tp
from .declare import primitive
from .heads import cos, cosh, log, sign, sin, sinh, sqrt

# --- arithmetic ------------------------------------------------------------


def _add(ctx):
    # y = sum x_i  ->  dx_i = dy (an inline term c*X passes c*dy on to X)
    return [(term, ctx.g) for term in ctx.args]


def _mul(ctx):
    # y = c * x_0 ... x_{n-1}  ->  dx_i = (dy c x_0 ... x_{i-1}) (x_{i+1} ... x_{n-1}):
    # prefix products (with dy folded in) times suffix products, no division (zeros
    # are fine) and linear in n.  A partial product used twice is named once.
    coeff, factors = ctx.expr.as_coeff_mul()
    n = len(factors)

    def share(expr, hint):
        simple = expr.is_Atom or (expr.is_Mul and len(expr.args) == 2 and expr.args[0].is_Number)
        return expr if simple else ctx.let(hint, expr)

    prefix = [coeff * ctx.g]  # prefix[i] = dy c x_0 ... x_{i-1}
    for i in range(1, n):
        p = prefix[-1] * factors[i - 1]
        prefix.append(share(p, "prefix") if i < n - 1 else p)
    suffix = [sp.Integer(1)] * (n + 1)  # suffix[i] = x_i ... x_{n-1}
    for i in range(n - 1, 0, -1):
        s = factors[i] * suffix[i + 1]
        suffix[i] = share(s, "suffix") if 1 < i < n - 1 else s
    return [(f, prefix[i] * suffix[i + 1]) for i, f in enumerate(factors)]


def _pow(ctx):
    base, expo = ctx.args
    g, ans = ctx.g, ctx.ans
    if expo == sp.Rational(1, 2):
        return [(base, g / (2 * ans))]  # d sqrt(x) = 1/(2 sqrt(x)): reuse the value
    out = [(base, g * expo * base ** (expo - 1))]
    if not expo.is_Number:
        out.append((expo, g * ans * log(base)))
    return out


primitive(sp.Add, rule=_add, names=(), tape=lambda *a: functools.reduce(operator.add, a))
primitive(sp.Mul, rule=_mul, names=(), tape=lambda *a: functools.reduce(operator.mul, a))
# sqrt(x) is a Pow with exponent 1/2 once built
primitive(sp.Pow, rule=_pow, names={"sqrt": sp.sqrt}, tape=tp.power)

# --- elementary functions ---------------------------------------------------

primitive(sp.exp, vjp=lambda g, ans, x: g * ans, tape=tp.exp)
primitive(sp.log, vjp=lambda g, ans, x: g / x, names=("log", "ln"), tape=tp.log, domain=(0.0, float("inf")))
primitive(sp.sin, vjp=lambda g, ans, x: g * cos(x), tape=tp.sin)
primitive(sp.cos, vjp=lambda g, ans, x: -g * sin(x), tape=tp.cos)
primitive(sp.tan, vjp=lambda g, ans, x: g * (1 + ans ** 2), tape=tp.tan)
primitive(sp.sinh, vjp=lambda g, ans, x: g * cosh(x), tape=tp.sinh)
primitive(sp.cosh, vjp=lambda g, ans, x: g * sinh(x), tape=tp.cosh)
primitive(sp.tanh, vjp=lambda g, ans, x: g * (1 - ans ** 2), tape=tp.tanh)
primitive(sp.asin, vjp=lambda g, ans, x: g / sqrt(1 - x ** 2), names=("asin", "arcsin"), tape=tp.arcsin,
          domain=(-1.0, 1.0))
primitive(sp.acos, vjp=lambda g, ans, x: -g / sqrt(1 - x ** 2), names=("acos", "arccos"), tape=tp.arccos,
          domain=(-1.0, 1.0))
primitive(sp.atan, vjp=lambda g, ans, x: g / (1 + x ** 2), names=("atan", "arctan", "arctg"), tape=tp.arctan)
primitive(sp.atan2, vjp=(lambda g, ans, y, x: g * x / (x ** 2 + y ** 2),
                         lambda g, ans, y, x: -g * y / (x ** 2 + y ** 2)),
          names=("atan2", "arctan2"))

# --- functions whose SymPy derivative is unsuitable for real-valued AD ------

primitive(sp.Abs, vjp=lambda g, ans, x: g * sign(x), names=("Abs", "abs"), tape=tp.abs, kink="zero")
# sign and Heaviside are piecewise constant: zero derivative almost everywhere
# (the jump itself is not differentiated, by convention).  The witnesses'
# translator evaluates Heaviside itself (its optional second argument).
primitive(sp.sign, vjp=(None,), names=("sign",), tape=tp.sign, kink="zero")
primitive(sp.Heaviside, vjp=(None, None), names=("Heaviside", "heaviside"), kink="zero")


def _round_half_up(x):
    """round(x) as floor(x + 1/2): a step function with jumps at the half-integers."""
    return sp.floor(x + sp.Rational(1, 2))


# floor, ceiling, frac and round are piecewise constant (frac: x minus one) in the
# same sense: away from the integers (the half-integers for round) the derivative
# of floor/ceiling/round is 0 and that of frac is 1.
primitive(sp.floor, vjp=(None,), names={"floor": sp.floor, "round": _round_half_up})
primitive(sp.ceiling, vjp=(None,), names=("ceiling", "ceil"))
primitive(sp.frac, vjp=lambda g, ans, x: g, names=("frac",))


def _tie_weights(ctx):
    """Weight of each argument of a max/min in the adjoint, by tie policy.

    The lecture's three policies: 'first' (discrete arg-max: only the first
    maximal element), 'average' (numeric arg-max: dy shared among the ties),
    'all' (every tie gets dy: the mixed variant, overestimates at ties).
    """
    hits = [sp.KroneckerDelta(x, ctx.ans) for x in ctx.args]
    if ctx.tie_policy == "all":
        return hits
    if ctx.tie_policy == "average":
        count = ctx.let("ties", sp.Add(*hits))
        return [h / count for h in hits]
    weights, none_before = [], sp.Integer(1)
    for h in hits:
        weights.append(h * none_before)
        none_before = none_before * (1 - h)
    return weights


def _max(ctx):
    return [(x, ctx.g * w) for x, w in zip(ctx.args, _tie_weights(ctx))]


def _max_pair(a, b):
    return (a + b + tp.abs(a - b)) * 0.5  # equal to max away from ties (ties are refused)


def _min_pair(a, b):
    return (a + b - tp.abs(a - b)) * 0.5


primitive(sp.Max, rule=_max, names=("Max", "max"), tape=lambda *a: functools.reduce(_max_pair, a), kink="ties")
primitive(sp.Min, rule=_max, names=("Min", "min"), tape=lambda *a: functools.reduce(_min_pair, a), kink="ties")


def _piecewise(ctx):
    # dy flows into the branch that is taken; conditions are not differentiated.
    out, taken_before = [], []
    for value, cond in ctx.args:
        pieces = [(0, c) for c in taken_before] + [(ctx.g, cond), (0, True)]
        out.append((value, sp.Piecewise(*pieces)))
        taken_before.append(cond)
    return out


# the witnesses' translator evaluates a Piecewise itself (branch masks)
primitive(sp.Piecewise, rule=_piecewise, names=())

# --- callable by name, differentiated through SymPy's own fdiff ---------------

for _f in (sp.erf, sp.erfc, sp.loggamma, sp.asinh, sp.acosh, sp.atanh, sp.sec, sp.csc,
           sp.cot, sp.coth, sp.sech, sp.csch, sp.acot, sp.LambertW):
    primitive(_f)
