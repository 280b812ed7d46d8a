"""Hypothesis strategies: random scalar expression DAGs and programs that stay in their domain,
and points and arrays inside a declared domain (with structure: symmetric, spd, simplex...).

``expression_dags`` builds an expression node by node; each new node applies a
primitive to earlier nodes, so subexpressions are shared (a DAG, not a tree).
``programs`` builds the same kind of DAG as a ``symdiff.Program`` with one
``p.let`` per node, so the intermediates keep their names.

Generation is domain-aware: every node carries an interval bounding its values
over the input box (``domain``), and a primitive with a restricted domain is
applied directly when its argument is safely inside (``log(t3)`` when t3 >= 1/4
everywhere) and to a shifted or scaled argument otherwise (``log(t3 + 5/2)``,
``asin(t2/3)``).  So any point of the box is valid, and no division comes near
zero.  Magnitudes are kept below ``MAGNITUDE_LIMIT`` the same way.

Shrinking goes towards few nodes, the first primitives of ``PRIMITIVES`` (the
simplest: add, sub, mul ...) and the first symbol, so a failing example
shrinks to something like ``x0*log(x0 + 5/2)``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

import hypothesis.strategies as st
import numpy as np
import sympy as sp
from hypothesis import note
from hypothesis.control import currently_in_test_context

from ..functions import leaky_relu, relu, sigmoid, softplus, softsign
from ..primitives import on_declare
from .intervals import UNIT, Interval, hull, safe_exp

DEFAULT_DOMAIN = (-2.0, 2.0)
MAGNITUDE_LIMIT = 50.0   # nodes that could exceed this are scaled down (keeps differences accurate)


@dataclass(frozen=True)
class Node:
    """One value of a generated DAG: its expression (or program symbol), value bounds and depth."""

    expr: sp.Expr
    interval: Interval
    depth: int = 0


@dataclass(frozen=True)
class Primitive:
    """A building block of generated expressions.

    ``build(*nodes)`` returns ``(expr, interval)``; it must keep the result
    inside the primitive's domain for every value of the argument intervals.
    ``smooth`` primitives are differentiable everywhere they are built;
    the others have kinks (|x| at 0, ties of max) and are left out by default.
    """

    name: str
    arity: int
    build: Callable[..., tuple]
    smooth: bool = True
    doc: str = ""


# -- domain guards ---------------------------------------------------------------------

def _quarter_ceil(x: float) -> sp.Rational:
    return sp.Rational(math.ceil(x * 4), 4)


def shifted_above(node: Node, at_least: float) -> tuple:
    """``(expr, interval)`` of the node, shifted by a rational constant so every value is >= at_least."""
    if node.interval.lo >= at_least:
        return node.expr, node.interval
    c = _quarter_ceil(at_least - node.interval.lo)
    return node.expr + c, node.interval + float(c)


def scaled_within(node: Node, bound: float) -> tuple:
    """``(expr, interval)`` of the node divided by an integer so every |value| <= bound."""
    if node.interval.magnitude <= bound:
        return node.expr, node.interval
    k = math.ceil(node.interval.magnitude / bound)
    return node.expr / k, node.interval * (1.0 / k)


def _unary(f, image=None):
    """A total unary primitive; ``image(interval)`` bounds its values (default [-1, 1])."""
    def build(a):
        return f(a.expr), (image(a.interval) if image else UNIT)
    return build


def _monotone(f, npf, bound=None, increasing=True):
    """A monotone unary primitive; ``bound`` limits |argument| (by scaling) first."""
    def build(a):
        expr, iv = scaled_within(a, bound) if bound else (a.expr, a.interval)
        return f(expr), iv.monotone(npf, increasing)
    return build


def _positive_argument(f, npf, at_least):
    def build(a):
        expr, iv = shifted_above(a, at_least)
        return f(expr), iv.monotone(npf)
    return build


def _div(a, b):
    if b.interval.excludes(-0.5, 0.5):
        return a.expr / b.expr, a.interval / b.interval
    den, iv = shifted_above(b, 0.5)
    return a.expr / den, a.interval / iv


def _pow(a, b):
    base, biv = shifted_above(a, 0.5)
    expo, eiv = scaled_within(b, 2.0)
    corners = [bb ** e for bb in (biv.lo, biv.hi) for e in (eiv.lo, eiv.hi)]
    return base ** expo, Interval(min(corners), max(corners))


def _atan2(a, b):
    x, _ = shifted_above(b, 0.5)   # x > 0: away from the origin and from the branch cut
    return sp.atan2(a.expr, x), Interval(-math.pi / 2, math.pi / 2)


def _exp(a):
    expr, iv = a.expr, a.interval
    if iv.hi > 4:
        k = math.ceil(iv.hi / 4)
        expr, iv = expr / k, iv * (1.0 / k)
    return sp.exp(expr), iv.monotone(safe_exp)


def _cosh(a):
    expr, iv = scaled_within(a, 4.0)
    return sp.cosh(expr), Interval(1.0, math.cosh(iv.magnitude))


def _loggamma(a):
    expr, iv = shifted_above(a, 0.5)
    # loggamma is convex with its minimum near 1.46 (value -0.1215)
    values = [math.lgamma(iv.lo), math.lgamma(iv.hi)]
    return sp.loggamma(expr), Interval(min(values + [-0.13]), max(values))


def _softplus_image(iv):
    return iv.monotone(lambda v: math.log1p(safe_exp(v)) if v < 700 else v)


def _sigmoid_image(iv):
    return Interval(0.0, 1.0)


def _piecewise(a, b):
    # the branch taken depends on b; both branches are smooth in a
    return (sp.Piecewise((a.expr ** 2, b.expr < 0), (sp.sin(a.expr), True)),
            hull(a.interval.power(2), UNIT))


def _max(*nodes):
    return sp.Max(*[n.expr for n in nodes]), Interval(max(n.interval.lo for n in nodes),
                                                      max(n.interval.hi for n in nodes))


def _min(*nodes):
    return sp.Min(*[n.expr for n in nodes]), Interval(min(n.interval.lo for n in nodes),
                                                      min(n.interval.hi for n in nodes))


def _sign_times(a, b):
    return sp.sign(a.expr) * b.expr, Interval(-b.interval.magnitude, b.interval.magnitude)


def _heaviside_times(a, b):
    return sp.Heaviside(a.expr) * b.expr, hull(b.interval, Interval(0.0, 0.0))


def _leaky(a):
    alpha = sp.Rational(1, 10)
    return leaky_relu(a.expr, alpha), hull(a.interval * 0.1, a.interval)


def _leaky_alpha(a, b):
    # the slope is a value too (its gradient is min(x, 0)); sigmoid keeps it in (0, 1)
    return leaky_relu(a.expr, sigmoid(b.expr)), hull(a.interval, Interval(min(a.interval.lo, 0), 0))


_P = Primitive
# Ordered simplest first: shrinking moves towards the front.
PRIMITIVES: dict[str, Primitive] = {p.name: p for p in [
    _P("add", 2, lambda a, b: (a.expr + b.expr, a.interval + b.interval), doc="a + b"),
    _P("sub", 2, lambda a, b: (a.expr - b.expr, a.interval - b.interval), doc="a - b"),
    _P("mul", 2, lambda a, b: (a.expr * b.expr, a.interval * b.interval), doc="a * b"),
    _P("neg", 1, lambda a: (-a.expr, -a.interval), doc="-a"),
    _P("scale", 1, lambda a: (sp.Rational(3, 2) * a.expr, a.interval * 1.5), doc="3/2 a"),
    _P("square", 1, lambda a: (a.expr ** 2, a.interval.power(2)), doc="a**2"),
    _P("cube", 1, lambda a: (a.expr ** 3, a.interval.power(3)), doc="a**3"),
    _P("mul3", 3, lambda a, b, c: (a.expr * b.expr * c.expr, a.interval * b.interval * c.interval),
       doc="a * b * c (an n-ary product)"),
    _P("div", 2, _div, doc="a / b, the denominator kept >= 1/2 in absolute value"),
    _P("recip", 1, lambda a: (1 / (2 + sp.sin(a.expr)), Interval(1 / 3, 1.0)), doc="1/(2 + sin a)"),
    _P("pow", 2, _pow, doc="a**b with a >= 1/2 and |b| <= 2 (the exponent is differentiated too)"),
    _P("sin", 1, _unary(sp.sin)),
    _P("cos", 1, _unary(sp.cos)),
    _P("tan", 1, _monotone(sp.tan, math.tan, bound=1.2), doc="tan of an argument within [-1.2, 1.2]"),
    _P("exp", 1, _exp, doc="exp of an argument <= 4"),
    _P("log", 1, _positive_argument(sp.log, math.log, 0.25), doc="log of an argument >= 1/4"),
    _P("sqrt", 1, _positive_argument(sp.sqrt, math.sqrt, 0.25), doc="sqrt of an argument >= 1/4"),
    _P("sinh", 1, _monotone(sp.sinh, math.sinh, bound=4.0)),
    _P("cosh", 1, _cosh),
    _P("tanh", 1, _monotone(sp.tanh, math.tanh)),
    _P("asin", 1, _monotone(sp.asin, math.asin, bound=0.9), doc="asin of an argument within [-0.9, 0.9]"),
    _P("acos", 1, _monotone(sp.acos, math.acos, bound=0.9, increasing=False)),
    _P("atan", 1, _monotone(sp.atan, math.atan)),
    _P("atan2", 2, _atan2, doc="atan2(a, b) with b >= 1/2"),
    _P("sigmoid", 1, _unary(sigmoid, _sigmoid_image)),
    _P("softplus", 1, _unary(softplus, _softplus_image)),
    _P("softsign", 1, _unary(softsign)),
    _P("erf", 1, _unary(sp.erf)),
    _P("asinh", 1, _monotone(sp.asinh, math.asinh)),
    _P("atanh", 1, _monotone(sp.atanh, math.atanh, bound=0.9)),
    _P("loggamma", 1, _loggamma, doc="loggamma of an argument >= 1/2"),
    # with kinks: not in the default set (finite differences are wrong across a kink)
    _P("abs", 1, lambda a: (sp.Abs(a.expr), Interval(0.0, a.interval.magnitude)), smooth=False),
    _P("sign", 2, _sign_times, smooth=False, doc="sign(a) * b"),
    _P("heaviside", 2, _heaviside_times, smooth=False, doc="Heaviside(a) * b"),
    _P("max", 2, _max, smooth=False),
    _P("min", 2, _min, smooth=False),
    _P("max3", 3, _max, smooth=False),
    _P("piecewise", 2, _piecewise, smooth=False, doc="a**2 if b < 0 else sin(a)"),
    _P("relu", 1, lambda a: (relu(a.expr), Interval(0.0, max(a.interval.hi, 0.0))), smooth=False),
    _P("leaky_relu", 1, _leaky, smooth=False, doc="leaky_relu(a, 1/10)"),
    _P("leaky_relu_slope", 2, _leaky_alpha, smooth=False, doc="leaky_relu(a, sigmoid(b))"),
]}



def declared_strategy(declared) -> Primitive:
    """The strategy primitive of a declaration with an ``image``: its (first) argument moved into the
    declared ``domain`` (shifted above a finite lower end, or scaled, and centred, inside a finite
    interval)."""
    lo, hi = declared.domain or (-math.inf, math.inf)

    def build(*nodes):
        first, rest = nodes[0], nodes[1:]
        if math.isfinite(lo) and not math.isfinite(hi):
            expr, iv = shifted_above(first, lo + 0.25)
        elif math.isfinite(lo) and math.isfinite(hi) and lo < 0 < hi:
            expr, iv = scaled_within(first, 0.9 * min(-lo, hi))
        elif math.isfinite(lo) and math.isfinite(hi):   # (0, pi): scaled, then centred
            center = sp.Rational(str(round((lo + hi) / 2, 2)))
            expr, iv = scaled_within(first, 0.8 * (hi - lo) / 2)
            expr, iv = expr + center, iv + float(center)
        else:
            expr, iv = first.expr, first.interval
        args = [expr] + [n.expr for n in rest]
        bounds = declared.image(*[end for i in [iv] + [n.interval for n in rest] for end in (i.lo, i.hi)])
        return declared.head(*args), Interval(*bounds)

    return Primitive(declared.name, declared.arity, build, smooth=declared.smooth,
                     doc=f"{declared.name}, from its declaration")


def _enter(declared):
    # a declared primitive with value bounds is exercised without a hand-written entry
    if declared.image is not None and not declared.matrix and declared.name not in PRIMITIVES:
        PRIMITIVES[declared.name] = declared_strategy(declared)


on_declare(_enter)

SMOOTH = frozenset(name for name, p in PRIMITIVES.items() if p.smooth)
NONSMOOTH = frozenset(PRIMITIVES) - SMOOTH
# The original set of ``expression_dags`` (before domain-aware generation); still a good small set.
ELEMENTARY = frozenset({"add", "sub", "mul", "mul3", "div", "square", "cube", "neg", "scale", "sin", "cos",
                        "tanh", "exp", "log", "sqrt", "atan", "asin", "sigmoid", "softplus", "softsign",
                        "erf", "recip"})


def _resolve_primitives(primitives) -> list[Primitive]:
    if primitives is None:
        names = SMOOTH
    else:
        names = set()
        for p in primitives:
            if isinstance(p, Primitive):
                names.add(p.name)
            elif p in PRIMITIVES:
                names.add(p)
            else:
                raise ValueError(f"unknown primitive {p!r}; known: {', '.join(PRIMITIVES)}")
        if not names:
            raise ValueError("no primitives to build expressions from")
    custom = {p.name: p for p in (primitives or ()) if isinstance(p, Primitive)}
    # catalogue order (simplest first), then any custom primitives
    ordered = [PRIMITIVES[n] for n in PRIMITIVES if n in names and n not in custom]
    return ordered + list(custom.values())


def resolve_domain(symbols: Sequence, domain) -> dict:
    """``{symbol: (lo, hi)}`` from one interval for all, a mapping, or a sequence aligned with symbols.

    Without a domain, a symbol's assumptions decide: positive -> (0.1, 3),
    negative -> (-3, -0.1), else ``DEFAULT_DOMAIN``.
    """
    out = {}
    for k, s in enumerate(symbols):
        if domain is None:
            d = None
        elif isinstance(domain, Mapping):
            d = domain.get(s, domain.get(getattr(s, "name", None)))
        elif len(domain) == 2 and all(isinstance(v, (int, float)) for v in domain):
            d = domain
        else:
            d = domain[k]
        if d is None:
            d = _assumed_domain(s)
        out[s] = d
    return out


def _assumed_domain(s):
    if getattr(s, "is_positive", None):
        return (0.1, 3.0)
    if getattr(s, "is_negative", None):
        return (-3.0, -0.1)
    if getattr(s, "is_nonnegative", None):
        return (0.0, 3.0)
    return DEFAULT_DOMAIN


def _interval(d) -> Interval:
    if isinstance(d, str) or not isinstance(d, (tuple, list)):
        return Interval(-MAGNITUDE_LIMIT, MAGNITUDE_LIMIT)   # a structured matrix or a strategy
    return Interval(float(d[0]), float(d[1]))


def _limited(expr, iv: Interval) -> tuple:
    """Scale a node down when its bound exceeds MAGNITUDE_LIMIT."""
    if iv.magnitude <= MAGNITUDE_LIMIT:
        return expr, iv
    k = math.ceil(iv.magnitude / MAGNITUDE_LIMIT)
    return expr / k, iv * (1.0 / k)


def _draw_dag(draw, leaves: list[Node], n_nodes: int, prims: list[Primitive], forced_pools: list[list],
              max_depth: int | None, emit: Callable[[sp.Expr, Interval, int], Node]) -> tuple:
    """``leaves`` followed by primitive applications, and the nodes forced by ``forced_pools``.

    Each pool (a list of primitives) has one of its primitives applied at a
    step of its own, so the DAG has at least ``len(forced_pools)`` nodes.
    """
    nodes = list(leaves)
    n_nodes = max(n_nodes, len(forced_pools))
    steps = draw(st.permutations(range(n_nodes)))[:len(forced_pools)] if forced_pools else []
    pool_at = dict(zip(steps, forced_pools))
    forced = []
    for step in range(n_nodes):
        pool = pool_at.get(step, prims)
        prim = pool[draw(st.integers(0, len(pool) - 1))]
        usable = [k for k, node in enumerate(nodes) if max_depth is None or node.depth < max_depth]
        # choosing among all earlier nodes makes reuse (sharing) common
        args = [nodes[usable[draw(st.integers(0, len(usable) - 1))]] for _ in range(prim.arity)]
        expr, iv = prim.build(*args)
        expr, iv = _limited(expr, iv)
        nodes.append(emit(expr, iv, 1 + max(a.depth for a in args)))
        if step in pool_at:
            forced.append(nodes[-1])
    return nodes, forced


def _forced_pools(required, required_all) -> list[list]:
    pools = [_resolve_primitives(required)] if required else []
    return pools + [[p] for p in _resolve_primitives(required_all)] if required_all else pools


def note_example(text: str) -> None:
    """Show ``text`` with a falsifying example (inside a Hypothesis test only)."""
    if currently_in_test_context():
        note(text)


def expression_dags(symbols, *, max_nodes: int = 8, primitives=None, domain=DEFAULT_DOMAIN,
                    max_depth: int | None = None, min_nodes: int = 1, required=None, required_all=()):
    """A random SymPy expression over ``symbols`` with shared subexpressions, valid on ``domain``.

    ``primitives``: names from ``PRIMITIVES`` (or ``Primitive`` objects); the
    smooth ones by default.  ``domain``: the box the expression must be valid
    on, one ``(lo, hi)`` for all symbols or one per symbol (draw points from
    it with ``points``).  ``max_depth`` bounds the nesting of primitives,
    ``max_nodes`` their number.  ``required``: primitive names of which at
    least one is applied; ``required_all``: names each applied at least once
    (to make sure a rule, or each branch of it, is exercised).  Forced nodes
    always reach the output.
    """
    symbols = list(symbols)
    prims = _resolve_primitives(primitives)   # unknown names fail here, not at the first draw
    pools = _forced_pools(required, required_all)
    boxes = resolve_domain(symbols, domain)
    leaves = [Node(s, _interval(boxes[s])) for s in symbols]
    return _expression_dags(symbols, leaves, prims, pools, max_nodes, min_nodes, max_depth)


@st.composite
def _expression_dags(draw, symbols, leaves, prims, pools, max_nodes, min_nodes, max_depth):
    n = draw(st.integers(max(min_nodes, 1), max(max_nodes, min_nodes, 1)))
    nodes, forced = _draw_dag(draw, leaves, n, prims, pools, max_depth, lambda e, iv, d: Node(e, iv, d))
    out = nodes[-1].expr
    # combine the last node with an earlier one so more than one path reaches the output
    if len(nodes) > len(symbols) + 1 and draw(st.booleans()):
        out = out + nodes[draw(st.integers(len(symbols), len(nodes) - 2))].expr
    for node in forced:
        if not out.has(node.expr):
            out = out + node.expr   # a required primitive must reach the output
    note_example(f"expression DAG over {symbols}: {sp.sstr(out)}")
    return out


def _reaches(program, target, expr) -> bool:
    """Whether the intermediate ``target`` is used, directly or not, by ``expr``."""
    needed, seen = list(expr.free_symbols), set()
    while needed:
        s = needed.pop()
        if s == target:
            return True
        if s in seen or s not in program:
            continue
        seen.add(s)
        needed.extend(program.definition(s).free_symbols)
    return False


class GeneratedProgram:
    """Mixin giving generated programs a readable one-line repr (what Hypothesis prints)."""

    def __repr__(self):
        lines = "; ".join(f"{t} = {sp.sstr(e)}" for t, e in self.assignments)
        return f"<Program {lines}>"


def _program_class():
    from ..program import Program

    # created lazily: importing strategies must not import the whole symbolic core
    global _PROGRAM_CLASS
    if _PROGRAM_CLASS is None:
        _PROGRAM_CLASS = type("GeneratedProgram", (GeneratedProgram, Program), {})
    return _PROGRAM_CLASS


_PROGRAM_CLASS = None


def programs(symbols, *, max_lets: int = 6, primitives=None, domain=DEFAULT_DOMAIN,
             max_depth: int | None = None, min_lets: int = 1, required=None, required_all=(),
             output: str = "F"):
    """A random ``symdiff.Program`` built with ``p.let``: one named intermediate per primitive.

    Intermediates ``t1, t2, ...`` are used by later lines any number of times
    (a DAG); the output line ``F`` is the last intermediate, sometimes plus an
    earlier one.  Other parameters as for ``expression_dags``.
    """
    symbols = list(symbols)
    prims = _resolve_primitives(primitives)
    pools = _forced_pools(required, required_all)
    boxes = resolve_domain(symbols, domain)
    leaves = [Node(s, _interval(boxes[s])) for s in symbols]
    return _programs(symbols, leaves, prims, pools, max_lets, min_lets, max_depth, output)


@st.composite
def _programs(draw, symbols, leaves, prims, pools, max_lets, min_lets, max_depth, output):
    program = _program_class()(inputs=symbols)
    counter = iter(range(1, 10 ** 6))

    def emit(expr, iv, depth):
        return Node(program.let(f"t{next(counter)}", expr), iv, depth)

    n = draw(st.integers(max(min_lets, 1), max(max_lets, min_lets, 1)))
    nodes, forced = _draw_dag(draw, leaves, n, prims, pools, max_depth, emit)
    out = nodes[-1].expr
    if len(nodes) > len(symbols) + 1 and draw(st.booleans()):
        out = out + nodes[draw(st.integers(len(symbols), len(nodes) - 2))].expr
    for node in forced:
        if not _reaches(program, node.expr, out):
            out = out + node.expr   # a required primitive must reach the output
    program.let(output, out)
    note_example(f"program: {program!r}")
    return program


# -- points and arrays ---------------------------------------------------------------------

def _coordinate(lo: float, hi: float, avoid_zero: bool):
    coord = st.floats(lo, hi, allow_nan=False, allow_infinity=False)
    if avoid_zero and lo < 1e-3 and hi > -1e-3:
        coord = coord.filter(lambda v: abs(v) > 1e-3)
    return coord


def points(n_vars, *, low: float = -2.0, high: float = 2.0, domain=None, avoid_zero: bool = True):
    """Tuples of coordinates inside the domain, away from exact zero (where |x| kinks).

    ``n_vars`` is a count or a sequence of symbols; ``domain`` (as for
    ``expression_dags``) overrides ``low``/``high`` per variable.
    """
    symbols = list(range(n_vars)) if isinstance(n_vars, int) else list(n_vars)
    if domain is None:
        boxes = {s: (low, high) for s in symbols}
    else:
        boxes = resolve_domain(symbols, domain)
    return st.tuples(*[_coordinate(*boxes[s], avoid_zero) for s in symbols])


STRUCTURES = ("symmetric", "spd", "orthogonal", "simplex", "onehot", "pm1", "distinct", "nonzero")


def arrays(shape, *, domain=DEFAULT_DOMAIN, structure: str | None = None):
    """float64 arrays of ``shape`` (a tuple, or a strategy of tuples) with entries in ``domain``.

    ``structure``:
      * "symmetric": (A + Aᵀ)/2;  "spd": A Aᵀ + I (eigenvalues >= 1, well conditioned);
      * "orthogonal": Q of a QR factorization (QᵀQ = I);
      * "simplex": rows (last axis) of positive probabilities summing to 1;
      * "onehot": rows with a single 1;  "pm1": entries ±1;
      * "distinct": entries at least 1e-3 apart (no ties for max or sort);
      * "nonzero": entries at least 0.05 away from 0 (kinks of |x|, relu, sign).
    The square structures use the last two axes.
    """
    if structure is not None and structure not in STRUCTURES:
        raise ValueError(f"unknown structure {structure!r}; choose one of {', '.join(STRUCTURES)}")
    if not isinstance(shape, st.SearchStrategy):
        shape = tuple(int(d) for d in shape)
        if structure in ("symmetric", "spd", "orthogonal"):
            _square(shape, structure)   # fail when the strategy is made, not when it is drawn
        shape = st.just(shape)
    return shape.flatmap(lambda s: _structured(tuple(s), domain, structure))


def _entries(shape, lo, hi, **kwargs):
    from hypothesis.extra.numpy import arrays as np_arrays

    return np_arrays(np.float64, shape, elements=st.floats(lo, hi, allow_nan=False,
                                                           allow_infinity=False), **kwargs)


def _square(shape, structure):
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise ValueError(f"structure {structure!r} needs square matrices, got shape {shape}")


def _structured(shape, domain, structure):
    lo, hi = domain
    if structure is None:
        return _entries(shape, lo, hi)
    if structure == "symmetric":
        _square(shape, structure)
        return _entries(shape, lo, hi).map(lambda a: (a + np.swapaxes(a, -1, -2)) / 2)
    if structure == "spd":
        _square(shape, structure)
        return _entries(shape, -1.0, 1.0).map(
            lambda a: a @ np.swapaxes(a, -1, -2) + np.eye(shape[-1]))
    if structure == "orthogonal":
        _square(shape, structure)
        return _entries(shape, -1.0, 1.0).map(_orthogonal)
    if structure == "simplex":
        return _entries(shape, 0.05, 1.0).map(lambda a: a / a.sum(axis=-1, keepdims=True))
    if structure == "onehot":
        rows = int(np.prod(shape[:-1], dtype=int))
        return st.lists(st.integers(0, shape[-1] - 1), min_size=rows, max_size=rows).map(
            lambda idx: np.eye(shape[-1])[np.asarray(idx, dtype=int)].reshape(shape))
    if structure == "pm1":
        from hypothesis.extra.numpy import arrays as np_arrays
        return np_arrays(np.float64, shape, elements=st.sampled_from([-1.0, 1.0]))
    if structure == "distinct":
        return _entries(shape, lo, hi, unique=True).filter(_well_separated)
    if structure == "nonzero":
        return _entries(shape, lo, hi).map(lambda a: np.where(np.abs(a) < 0.05, np.copysign(0.05, a), a))
    raise AssertionError(structure)  # pragma: no cover - checked above


def _orthogonal(a):
    q, r = np.linalg.qr(a)   # Householder QR: q is orthogonal even for a singular a
    signs = np.where(np.diagonal(r, axis1=-2, axis2=-1) < 0, -1.0, 1.0)
    return q * signs[..., None, :]


def _well_separated(a) -> bool:
    flat = np.sort(a.reshape(-1))
    return flat.size < 2 or bool(np.min(np.diff(flat)) > 1e-3)


def values_for(symbols, *, domain=None, dims=None, max_dim: int = 3):
    """Strategy of ``{symbol: value}`` for scalar symbols and ``MatrixSymbol``s.

    Scalars are drawn from their ``domain`` interval (see ``resolve_domain``);
    matrices get entries in their interval, or a structure name from
    ``STRUCTURES`` as their domain (``{P: "spd"}``), or any strategy.
    Symbolic dimensions (n, m ...) take sizes from ``dims`` or 1..``max_dim``.
    """
    symbols = list(symbols)
    boxes = resolve_domain(symbols, domain)
    dim_symbols = sorted({d for s in symbols if isinstance(s, sp.MatrixSymbol) for d in s.shape
                          if not getattr(d, "is_Integer", True)}, key=str)

    @st.composite
    def draw_values(draw):
        sizes = {}
        for d in dim_symbols:
            given = (dims or {}).get(d, (dims or {}).get(str(d)))
            sizes[d] = int(given) if given is not None else draw(st.integers(1, max_dim))
        out = {}
        for s in symbols:
            d = boxes[s]
            if isinstance(d, st.SearchStrategy):
                out[s] = draw(d)
            elif isinstance(s, sp.MatrixSymbol):
                shape = tuple(int(sp.sympify(x).xreplace(sizes)) for x in s.shape)
                out[s] = draw(arrays(shape, structure=d) if isinstance(d, str) else arrays(shape, domain=d))
            else:
                out[s] = draw(_coordinate(float(d[0]), float(d[1]), avoid_zero=False))
        return out

    return draw_values()


def rule_entry(table, head):
    """The key of the table entry the reverse pass uses for nodes of class ``head`` (None: no entry)."""
    for cls in getattr(head, "__mro__", ()):
        if cls in table.rules:
            return cls
    return None


def _scalar_table(table):
    if table is None:
        from ..rules import SCALAR_RULES
        return SCALAR_RULES
    return table


def contains_rule(expr, rule_head, table=None) -> bool:
    """Whether some node of ``expr`` is differentiated by the table entry of ``rule_head``."""
    table = _scalar_table(table)
    return any(rule_entry(table, type(e)) is rule_head for e in sp.preorder_traversal(expr)
               if isinstance(e, sp.Basic) and not e.is_Atom)


def primitives_exercising(rule_head, table=None, names: Iterable[str] | None = None) -> list[str]:
    """Names of catalogue primitives whose expressions contain a node handled by ``rule_head``'s entry.

    ``table`` defaults to the scalar rule table; the entry of a node is found
    the way the reverse pass finds it (the first class of its MRO with an
    entry), so ``sp.Function`` (the fdiff fallback) is exercised by erf,
    loggamma, asinh ...
    """
    table = _scalar_table(table)
    xs = sp.symbols("a0:3", real=True)
    found = []
    for name in names or PRIMITIVES:
        prim = PRIMITIVES[name]
        expr, _ = prim.build(*[Node(x, Interval(-2.0, 2.0)) for x in xs[:prim.arity]])
        if contains_rule(expr, rule_head, table):
            found.append(name)
    return found
