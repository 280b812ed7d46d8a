"""The scalar vector-Jacobian rule table: one entry per primitive.

An entry maps a node ``ans = head(args)`` and its adjoint ``g`` to the
contributions ``(arg, g * d ans / d arg)``.  ``defvjp(head, r1, r2, ...)``
gives one lambda ``(g, ans, *args) -> contribution`` per argument position, in
the style of HIPS autograd's ``numpy_vjps.py``; n-ary heads register a full
rule with ``@defrule(head)``.  Adding a primitive is adding an entry.

Functions with no entry here are differentiated through SymPy's own ``fdiff``
(erf, loggamma, asinh, ...).  Explicit entries exist for the functions whose
SymPy derivative does not suit real-valued AD (Abs, sign, Max/Min, Piecewise,
Heaviside) and for the lecture's named activations.
"""
from __future__ import annotations

import sympy as sp

from ..errors import NoRuleError
from ..functions import leaky_relu, relu, sigmoid, softplus, softsign
from .base import RuleContext, RuleTable
from .heads import Abs, Heaviside, Min, cos, cosh, log, sigmoid as sigmoid_, sign, sin, sinh, sqrt

SCALAR_RULES = RuleTable()


def defvjp(head, *arg_rules, names=()):
    """Register ``head`` with one rule per argument position (None: no gradient)."""

    def rule(ctx: RuleContext):
        return [(arg, r(ctx.g, ctx.ans, *ctx.args))
                for arg, r in zip(ctx.args, arg_rules) if r is not None]

    SCALAR_RULES.rules[head] = rule
    for name in names or (head.__name__,):
        SCALAR_RULES.names[name] = head
    return rule


def defrule(head, names=()):
    """Decorator registering a whole rule ``ctx -> [(arg, contribution), ...]``."""

    def register(rule):
        SCALAR_RULES.rules[head] = rule
        for name in names:
            SCALAR_RULES.names[name] = head
        return rule

    return register


# --- arithmetic ------------------------------------------------------------

@defrule(sp.Add)
def _add(ctx):
    # y = sum x_i  ->  dx_i = dy (an inline term c*X passes c*dy on to X)
    return [(term, ctx.g) for term in ctx.args]


@defrule(sp.Mul)
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


@defrule(sp.Pow)
def _pow(ctx):
    base, expo = ctx.args
    g, ans = ctx.g, ctx.ans
    if expo == sp.Rational(1, 2):
        return [(base, g / (2 * ans))]  # d sqrt(x) = 1/(2 sqrt(x)): reuse the value
    out = [(base, g * expo * base ** (expo - 1))]
    if not expo.is_Number:
        out.append((expo, g * ans * log(base)))
    return out


# --- elementary functions ---------------------------------------------------

defvjp(sp.exp, lambda g, ans, x: g * ans)
defvjp(sp.log, lambda g, ans, x: g / x, names=("log", "ln"))
defvjp(sp.sin, lambda g, ans, x: g * cos(x))
defvjp(sp.cos, lambda g, ans, x: -g * sin(x))
defvjp(sp.tan, lambda g, ans, x: g * (1 + ans ** 2))
defvjp(sp.sinh, lambda g, ans, x: g * cosh(x))
defvjp(sp.cosh, lambda g, ans, x: g * sinh(x))
defvjp(sp.tanh, lambda g, ans, x: g * (1 - ans ** 2))
defvjp(sp.asin, lambda g, ans, x: g / sqrt(1 - x ** 2), names=("asin", "arcsin"))
defvjp(sp.acos, lambda g, ans, x: -g / sqrt(1 - x ** 2), names=("acos", "arccos"))
defvjp(sp.atan, lambda g, ans, x: g / (1 + x ** 2), names=("atan", "arctan", "arctg"))
defvjp(sp.atan2,
       lambda g, ans, y, x: g * x / (x ** 2 + y ** 2),
       lambda g, ans, y, x: -g * y / (x ** 2 + y ** 2),
       names=("atan2", "arctan2"))
SCALAR_RULES.names["sqrt"] = sp.sqrt  # a Pow with exponent 1/2 once built

# --- functions whose SymPy derivative is unsuitable for real-valued AD ------

defvjp(sp.Abs, lambda g, ans, x: g * sign(x), names=("Abs", "abs"))
# sign and Heaviside are piecewise constant: zero derivative almost everywhere
# (the jump itself is not differentiated, by convention).
defvjp(sp.sign, None, names=("sign",))
defvjp(sp.Heaviside, None, None, names=("Heaviside", "heaviside"))
# floor, ceiling, frac and round are piecewise constant (frac: x minus one) in the
# same sense: away from the integers (the half-integers for round) the derivative
# of floor/ceiling/round is 0 and that of frac is 1.
defvjp(sp.floor, None, names=("floor",))
defvjp(sp.ceiling, None, names=("ceiling", "ceil"))
defvjp(sp.frac, lambda g, ans, x: g, names=("frac",))


def _round_half_up(x):
    """round(x) as floor(x + 1/2): a step function with jumps at the half-integers."""
    return sp.floor(x + sp.Rational(1, 2))


SCALAR_RULES.names["round"] = _round_half_up


def _tie_weights(ctx: RuleContext):
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


@defrule(sp.Max, names=("Max", "max"))
def _max(ctx):
    return [(x, ctx.g * w) for x, w in zip(ctx.args, _tie_weights(ctx))]


SCALAR_RULES.rules[sp.Min] = _max
SCALAR_RULES.names.update(Min=sp.Min, min=sp.Min)


@defrule(sp.Piecewise)
def _piecewise(ctx):
    # dy flows into the branch that is taken; conditions are not differentiated.
    out, taken_before = [], []
    for value, cond in ctx.args:
        pieces = [(0, c) for c in taken_before] + [(ctx.g, cond), (0, True)]
        out.append((value, sp.Piecewise(*pieces)))
        taken_before.append(cond)
    return out


# --- the lecture's activation table -------------------------------------------

defvjp(sigmoid, lambda g, ans, x: g * ans * (1 - ans))
defvjp(softplus, lambda g, ans, x: g * sigmoid_(x))
defvjp(softsign, lambda g, ans, x: g / (1 + Abs(x)) ** 2)
defvjp(relu, lambda g, ans, x: g * Heaviside(x, 1), names=("relu", "ReLU"))
defvjp(leaky_relu,
       lambda g, ans, x, a: g * sp.Piecewise((a, x < 0), (1, True)),
       lambda g, ans, x, a: g * Min(x, 0))


# --- everything else SymPy can differentiate ---------------------------------

@defrule(sp.Function)
def _through_fdiff(ctx):
    """Any other SymPy function, through its own derivative (erf, loggamma...)."""
    out = []
    for i, arg in enumerate(ctx.args):
        try:
            d = ctx.expr.fdiff(i + 1)
        except Exception as exc:  # SymPy raises ArgumentIndexError and others
            raise NoRuleError(f"no derivative rule for {ctx.expr.func.__name__} "
                              f"(argument {i + 1}): {exc}") from None
        if d.has(sp.Derivative, sp.Subs):
            raise NoRuleError(f"no derivative rule for {ctx.expr.func.__name__}: "
                              f"SymPy leaves its derivative unevaluated")
        out.append((arg, ctx.g * d))
    return out


# Functions callable by name in program text that are differentiated through fdiff.
for _f in (sp.erf, sp.erfc, sp.loggamma, sp.asinh, sp.acosh, sp.atanh, sp.sec, sp.csc,
           sp.cot, sp.coth, sp.sech, sp.csch, sp.acot, sp.LambertW):
    SCALAR_RULES.names[_f.__name__] = _f
