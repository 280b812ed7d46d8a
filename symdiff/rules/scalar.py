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
    # y = sum c_i x_i  ->  dx_i = c_i dy (numeric coefficients stay inline)
    out = []
    for term in ctx.args:
        coeff, x = term.as_coeff_Mul()
        out.append((x, coeff * ctx.g))
    return out


@defrule(sp.Mul)
def _mul(ctx):
    # y = c * prod x_i  ->  dx_i = dy * c * prod_{j != i} x_j, without division
    # (zeros are fine); prefix/suffix products keep it linear in the factor count.
    coeff, factors = ctx.expr.as_coeff_mul()
    g = coeff * ctx.g
    n = len(factors)
    if n == 1:
        return [(factors[0], g)]
    if n <= 3:
        return [(f, g * sp.Mul(*(factors[:i] + factors[i + 1:]))) for i, f in enumerate(factors)]
    prefix = [sp.Integer(1), factors[0]]
    for f in factors[1:-1]:
        prefix.append(ctx.let("prefix", prefix[-1] * f))
    suffix = [sp.Integer(1), factors[-1]]
    for f in reversed(factors[1:-1]):
        suffix.append(ctx.let("suffix", suffix[-1] * f))
    suffix.reverse()
    return [(f, g * prefix[i] * suffix[i + 1]) for i, f in enumerate(factors)]


@defrule(sp.Pow)
def _pow(ctx):
    base, expo = ctx.args
    g, ans = ctx.g, ctx.ans
    out = []
    if expo.is_Number:
        if expo == sp.Rational(1, 2):
            out.append((base, g / (2 * ans)))  # d sqrt(x) = 1/(2 sqrt(x)): reuse the value
        else:
            out.append((base, g * expo * base ** (expo - 1)))
        return out
    out.append((base, g * expo * base ** (expo - 1)))
    out.append((expo, g * ans * sp.log(base)))
    return out


# --- elementary functions ---------------------------------------------------

defvjp(sp.exp, lambda g, ans, x: g * ans)
defvjp(sp.log, lambda g, ans, x: g / x, names=("log", "ln"))
defvjp(sp.sin, lambda g, ans, x: g * sp.cos(x))
defvjp(sp.cos, lambda g, ans, x: -g * sp.sin(x))
defvjp(sp.tan, lambda g, ans, x: g * (1 + ans ** 2))
defvjp(sp.sinh, lambda g, ans, x: g * sp.cosh(x))
defvjp(sp.cosh, lambda g, ans, x: g * sp.sinh(x))
defvjp(sp.tanh, lambda g, ans, x: g * (1 - ans ** 2))
defvjp(sp.asin, lambda g, ans, x: g / sp.sqrt(1 - x ** 2), names=("asin", "arcsin"))
defvjp(sp.acos, lambda g, ans, x: -g / sp.sqrt(1 - x ** 2), names=("acos", "arccos"))
defvjp(sp.atan, lambda g, ans, x: g / (1 + x ** 2), names=("atan", "arctan", "arctg"))
defvjp(sp.atan2,
       lambda g, ans, y, x: g * x / (x ** 2 + y ** 2),
       lambda g, ans, y, x: -g * y / (x ** 2 + y ** 2),
       names=("atan2", "arctan2"))
SCALAR_RULES.names["sqrt"] = sp.sqrt  # a Pow with exponent 1/2 once built

# --- functions whose SymPy derivative is unsuitable for real-valued AD ------

defvjp(sp.Abs, lambda g, ans, x: g * sp.sign(x), names=("Abs", "abs"))
# sign and Heaviside are piecewise constant: zero derivative almost everywhere
# (the jump itself is not differentiated, by convention).
defvjp(sp.sign, None, names=("sign",))
defvjp(sp.Heaviside, None, None, names=("Heaviside", "heaviside"))


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
defvjp(softplus, lambda g, ans, x: g * sigmoid(x))
defvjp(softsign, lambda g, ans, x: g / (1 + sp.Abs(x)) ** 2)
defvjp(relu, lambda g, ans, x: g * sp.Heaviside(x, 1), names=("relu", "ReLU"))
defvjp(leaky_relu,
       lambda g, ans, x, a: g * sp.Piecewise((a, x < 0), (1, True)),
       lambda g, ans, x, a: g * sp.Min(x, 0))


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
