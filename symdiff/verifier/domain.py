"""The domain of a check: where the claim is supposed to hold, and how to sample it.

A ``Domain`` is built from the ``where=`` argument of ``verify`` and from the
assumptions on the symbols.  It knows

* an interval per scalar variable (``x > 0``, ``t < 1``, ``Symbol('x', positive=True)``),
  used to *construct* samples, not only to reject them;
* structure markers (``simplex``, ``onehot``, ``pm1``) whose variables are drawn
  by construction (Dirichlet, a random one-hot vector, random signs);
* substitutions ``Eq(x, expr)`` (x is computed from the others);
* every other condition (``Ne(x, a)``, ``Or(...)``, ``x**2 + y < 1``), honoured
  by rejection with a cap on the number of tries.

Every sampled point is checked against *all* conditions, the ones used for
construction included, so a marker or an interval can only make sampling
efficient, never wrong.  Sample values are exact rationals (three significant
digits for free variables, so a counterexample prints as it was tested).

The same description gives the symbolic stage its assumptions: ``x > 0`` lets
``sqrt(x**2)`` simplify to ``x``; ``simplex([p1, p2, p3])`` makes the p's
positive and replaces ``p3`` by ``1 - p1 - p2``.  Only facts implied by the
domain are used, so a proof under them holds on the domain.

Markers are open for extension: a marker names its variables, samples them and
states the facts it implies.  Matrix markers (``symmetric``, ``spd``,
``invertible``, ``orthogonal``) name one square ``MatrixSymbol``; they are
read by the matrix checker (``verifier/matrix.py``), which samples exact
matrices of that structure by construction.  A ``Domain`` (scalar variables)
refuses them.
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..errors import ParseError, SymdiffError
from .certified import Uncertain, Undefined, Unsupported, holds
from .inputs import Latex, looks_like_latex, parse_latex_text

__all__ = ["Marker", "simplex", "onehot", "pm1", "symmetric", "spd", "invertible", "orthogonal", "Domain",
           "DomainError", "SCALES", "flatten_where", "MATRIX_MARKERS"]

MATRIX_MARKERS = ("symmetric", "spd", "invertible", "orthogonal")   # markers of one square MatrixSymbol

SCALES = (0.1, 1.0, 10.0, 0.01, 100.0)  # magnitudes |x| of free variables; the last two are rare
_SCALE_WEIGHTS = (0.3, 0.3, 0.3, 0.05, 0.05)
_SPREAD = 3.0                   # a magnitude is drawn log-uniformly in [scale/3, 3*scale]
_DIGITS = 3                     # significant digits of a sampled value
_STATIC_TRIES = 500             # tries before a domain with no accepted point is called empty
WIDE_DECADES = (-8.0, 8.0)      # log-uniform magnitudes 1e-8 ... 1e8 (every 4th candidate)
FAR_DECADES = (8.0, 15.0)       # far points (every 16th candidate)
SIMPLE_VALUES = tuple(sp.Rational(v) for v in ("0", "1", "-1", "1/2", "-1/2", "2", "-2", "3", "-3", "1/10", "10"))
EDGE_FRACTIONS = (sp.Integer(0), sp.Rational(1, 10 ** 6), sp.Rational(1, 1000), sp.Rational(1, 2),
                  1 - sp.Rational(1, 1000), 1 - sp.Rational(1, 10 ** 6), sp.Integer(1))


class DomainError(SymdiffError, ValueError):
    """A ``where=`` entry that is not a condition, marker or substitution."""


def _round_sig(value: float, digits: int | None = _DIGITS) -> sp.Rational:
    """``value`` rounded to ``digits`` significant digits, as an exact rational.

    ``digits=None`` keeps the double exactly: those points are off the decimal
    grid, so a claim cannot agree on short decimals only (sin(1000*pi*x) is 0 at
    every x with three decimals).
    """
    if value == 0 or not math.isfinite(value):
        return sp.Integer(0)
    if digits is None:
        return sp.Rational(value)
    return sp.Rational(f"{value:.{digits}g}")


def _symbols_of(target, what: str) -> tuple:
    """The scalar symbols of a marker's argument: a list, tuple or vector Matrix of symbols."""
    if isinstance(target, sp.MatrixSymbol):
        raise DomainError(f"{what}() of a MatrixSymbol is not supported yet; pass the entries "
                          f"as a list of scalar symbols, e.g. {what}([p1, p2, p3])")
    if isinstance(target, sp.MatrixBase):
        if 1 not in target.shape:
            raise DomainError(f"{what}() takes a vector, got a {target.rows} x {target.cols} matrix")
        target = list(target)
    elif isinstance(target, (sp.Symbol, str)):
        target = [target]
    if not isinstance(target, (list, tuple)) or not target:
        raise DomainError(f"{what}() takes a non-empty list of scalar symbols, got {target!r}")
    out = []
    for s in target:
        if isinstance(s, str):
            if not s.isidentifier():
                raise DomainError(f"{what}(): {s!r} is not a variable name")
            s = sp.Symbol(s, real=True)
        if not isinstance(s, sp.Symbol):
            raise DomainError(f"{what}() takes symbols, got {s!r}")
        if any(s.name == t.name for t in out):
            raise DomainError(f"{what}(): {s.name} appears twice")
        out.append(s)
    return tuple(out)


@dataclass(frozen=True)
class Marker:
    """A structure marker: its variables are sampled together, by construction."""

    kind: str
    symbols: tuple

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.symbols)

    @property
    def is_matrix(self) -> bool:
        return self.kind in MATRIX_MARKERS

    def describe(self) -> str:
        names = ", ".join(self.names)
        if self.is_matrix:
            return {"symmetric": f"{names} symmetric", "spd": f"{names} symmetric positive definite",
                    "invertible": f"{names} invertible", "orthogonal": f"{names} orthogonal"}[self.kind]
        return {"simplex": f"({names}) a probability vector (positive, summing to 1)",
                "onehot": f"({names}) a one-hot vector (one entry 1, the others 0)",
                "pm1": f"{names} each -1 or +1" if len(self.names) > 1 else f"{names} = -1 or +1",
                }[self.kind]

    def sample(self, rng: np.random.Generator, scale_index: int, digits: int | None = _DIGITS
               ) -> dict[str, sp.Rational]:
        n = len(self.symbols)
        if self.kind == "onehot":
            hot = int(rng.integers(n))
            return {name: sp.Integer(int(i == hot)) for i, name in enumerate(self.names)}
        if self.kind == "pm1":
            return {name: sp.Integer(int(rng.choice((-1, 1)))) for name in self.names}
        # simplex: Dirichlet with concentration 0.3 (near a vertex), 1 (uniform) or 3 (central)
        alpha = (0.3, 1.0, 3.0)[scale_index % 3]
        for _ in range(50):
            p = rng.dirichlet(np.full(n, alpha))
            head = [_round_sig(float(v), digits) for v in p[:-1]]
            last = 1 - sum(head, sp.Integer(0))
            if all(v > 0 for v in head) and last > 0:
                return dict(zip(self.names, head + [last]))
        return {name: sp.Rational(1, n) for name in self.names}

    def facts(self) -> dict[str, dict]:
        """Assumptions the marker implies, for the symbolic stage."""
        if self.is_matrix:
            return {}
        if self.kind == "simplex":
            return {name: {"positive": True} for name in self.names}
        if self.kind == "onehot":
            return {name: {"integer": True, "nonnegative": True} for name in self.names}
        return {name: {"integer": True, "nonzero": True} for name in self.names}

    def substitution(self) -> tuple[str, sp.Expr] | None:
        """For the symbolic stage: the last entry in terms of the others (a sum of 1)."""
        if self.kind in ("simplex", "onehot") and len(self.symbols) > 1:
            rest = [sp.Symbol(s.name, real=True) for s in self.symbols[:-1]]
            return self.names[-1], 1 - sp.Add(*rest)
        return None

    def cases(self) -> list[dict[str, sp.Integer]] | None:
        """Every value a discrete marker allows (one-hot, signs); None for a simplex."""
        n = len(self.symbols)
        if self.kind == "onehot":
            return [{name: sp.Integer(int(i == hot)) for i, name in enumerate(self.names)} for hot in range(n)]
        if self.kind == "pm1":
            return [dict(zip(self.names, (sp.Integer(v) for v in signs)))
                    for signs in itertools.product((-1, 1), repeat=n)] if n <= 12 else None
        return None

    def contains(self, values: dict) -> bool:
        vals = [values[n] for n in self.names]
        if self.kind == "simplex":
            return all(v > 0 for v in vals) and sum(vals) == 1
        if self.kind == "onehot":
            return sorted(vals) == [0] * (len(vals) - 1) + [1]
        return all(v in (-1, 1) for v in vals)


def _square_matrix(target, what: str) -> tuple:
    """The one square MatrixSymbol a matrix marker names."""
    if not isinstance(target, sp.MatrixSymbol):
        if isinstance(target, sp.Symbol):
            got = f"the scalar symbol {target.name}"
        elif isinstance(target, sp.MatrixBase):
            got = f"an explicit {target.rows} x {target.cols} Matrix"
        elif isinstance(target, (list, tuple)):
            got = f"a {type(target).__name__}"
        else:
            got = repr(target)
        raise DomainError(f"{what}() takes a square sympy.MatrixSymbol, e.g. {what}(MatrixSymbol('X', n, n)); "
                          f"got {got}")
    rows, cols = target.shape
    if rows != cols:
        raise DomainError(f"{what}() needs a square matrix, but {target.name} is {rows} x {cols}")
    return (target,)


def symmetric(A) -> Marker:
    """``where=[symmetric(A)]``: the square MatrixSymbol A is symmetric (A^T = A)."""
    return Marker("symmetric", _square_matrix(A, "symmetric"))


def spd(A) -> Marker:
    """``where=[spd(A)]``: A is symmetric positive definite."""
    return Marker("spd", _square_matrix(A, "spd"))


def invertible(A) -> Marker:
    """``where=[invertible(A)]``: A is square and invertible."""
    return Marker("invertible", _square_matrix(A, "invertible"))


def orthogonal(Q) -> Marker:
    """``where=[orthogonal(Q)]``: Q^T Q = Q Q^T = I (sampled exactly, by a Cayley transform)."""
    return Marker("orthogonal", _square_matrix(Q, "orthogonal"))


def simplex(p) -> Marker:
    """``where=[simplex([p1, p2, p3])]``: the p's form a probability vector."""
    return Marker("simplex", _symbols_of(p, "simplex"))


def onehot(y) -> Marker:
    """``where=[onehot([y1, y2, y3])]``: exactly one y is 1, the others 0."""
    return Marker("onehot", _symbols_of(y, "onehot"))


def pm1(y) -> Marker:
    """``where=[pm1(y)]`` or ``pm1([y1, y2])``: each entry is -1 or +1."""
    return Marker("pm1", _symbols_of(y, "pm1"))


# ---------------------------------------------------------------------------
# Conditions
# ---------------------------------------------------------------------------

@dataclass
class _Bound:
    value: sp.Expr
    strict: bool
    source: str            # the condition it came from, for messages


@dataclass
class _Condition:
    expr: sp.Basic         # a SymPy Boolean in canonical symbols
    label: str
    absorbed: bool = False  # also stated by an interval, a substitution or the nonzero set
    rejected: int = 0


def _rational(value) -> sp.Rational:
    """A bound as an exact rational (30 digits of an irrational one such as pi)."""
    return value if value.is_Rational else sp.Rational(str(sp.N(value, 30)))


def _label(cond) -> str:
    if isinstance(cond, sp.Ne):
        return f"{sp.sstr(cond.lhs)} != {sp.sstr(cond.rhs)}"
    if isinstance(cond, sp.Eq):
        return f"{sp.sstr(cond.lhs)} = {sp.sstr(cond.rhs)}"
    return sp.sstr(cond)


def _holds(cond, point: dict) -> bool | None:
    """Whether a condition holds at an exact point (None: SymPy cannot decide).

    Ball arithmetic first (certain, and fast for far points); SymPy's own
    evaluation when the balls cannot tell.
    """
    try:
        return holds(cond, {s.name: v for s, v in point.items() if v.is_Rational})
    except Undefined:
        return False   # a condition with no value there (1/x > 0 at x = 0) does not hold
    except (Uncertain, Unsupported, TypeError, ValueError):
        pass
    try:
        value = cond.xreplace(point)
    except (TypeError, ValueError):   # SymPy refuses the comparison (zoo > 0)
        return None
    if value is sp.true or value is True:
        return True
    if value is sp.false or value is False:
        return False
    if isinstance(value, sp.core.relational.Relational):
        diff = (value.lhs - value.rhs).evalf(40)
        if not diff.is_number or not diff.is_real:
            return None
        op = value.rel_op
        if op in ("==", "!="):
            equal = abs(diff) < sp.Float("1e-30")
            return equal if op == "==" else not equal
        return {"<": diff < 0, "<=": diff <= 0, ">": diff > 0, ">=": diff >= 0}[op] == sp.true
    return None


class Domain:
    """Variables, intervals, markers, substitutions and conditions; samples points.

    ``variables`` are canonical real symbols (one per name); ``facts`` the
    assumptions found on the user's symbols (name -> {'positive': True, ...});
    ``where`` the user's list.
    """

    def __init__(self, variables, where=(), facts=None):
        self.variables = list(variables)
        self.by_name = {v.name: v for v in self.variables}
        self.lower: dict[str, _Bound] = {}
        self.upper: dict[str, _Bound] = {}
        self.integer: set[str] = set()
        self.nonzero: set[str] = set()
        self.markers: list[Marker] = []
        self.substitutions: list[tuple[str, sp.Expr]] = []
        self.conditions: list[_Condition] = []
        self.unsatisfiable: str | None = None
        for name, f in sorted((facts or {}).items()):
            self._add_facts(name, f)
        for item in flatten_where(where):
            self._add(item)
        self._order_substitutions()
        self._check_intervals()

    # -- building ------------------------------------------------------------
    def _canon(self, expr):
        mapping = {}
        for s in sorted(expr.free_symbols, key=lambda s: s.name):
            if not isinstance(s, sp.Symbol):
                continue
            mapping[s] = self._var(s.name)
        return expr.xreplace(mapping)

    def _var(self, name: str) -> sp.Symbol:
        if name not in self.by_name:
            v = sp.Symbol(name, real=True)
            self.by_name[name] = v
            self.variables.append(v)
        return self.by_name[name]

    def _add_facts(self, name: str, f: dict):
        x = self._var(name)
        if f.get("integer"):
            self.integer.add(name)
        for key, cond, text in (("positive", x > 0, f"{name} > 0"), ("negative", x < 0, f"{name} < 0"),
                                ("nonnegative", x >= 0, f"{name} >= 0"), ("nonpositive", x <= 0, f"{name} <= 0"),
                                ("nonzero", sp.Ne(x, 0), f"{name} != 0")):
            if f.get(key):
                self._add_relational(cond, f"{text} (an assumption on the symbol {name})")

    def _add(self, item):
        if isinstance(item, Marker) and item.is_matrix:
            raise DomainError(f"{item.kind}({', '.join(item.names)}) describes a matrix, but this check has no "
                              f"matrix variables; {', '.join(MATRIX_MARKERS)} apply to a MatrixSymbol of a "
                              f"function of matrices")
        if isinstance(item, Marker):
            for s in item.symbols:
                self._var(s.name)
            taken = {n for m in self.markers for n in m.names}
            clash = taken.intersection(item.names)
            if clash:
                raise DomainError(f"{', '.join(sorted(clash))} appear in two structure markers")
            self.markers.append(Marker(item.kind, tuple(self.by_name[n] for n in item.names)))
            for name, f in item.facts().items():
                if f.get("integer"):
                    self.integer.add(name)
            return
        if item is True or item is sp.true:
            return
        if item is False or item is sp.false:
            self.unsatisfiable = ("a condition of the domain is always false (SymPy evaluated it to False "
                                  "for real variables)")
            return
        if not isinstance(item, sp.logic.boolalg.Boolean) or isinstance(item, sp.Expr):
            raise DomainError(f"where= takes SymPy conditions (x > 0, Ne(x, a), And(...)), "
                              f"structure markers (simplex, onehot, pm1) or strings such as 'x > 0'; "
                              f"got {item!r}")
        item = self._canon(item)
        if item is sp.true:
            return
        if item is sp.false:
            self.unsatisfiable = "a condition of the domain is always false"
            return
        if isinstance(item, sp.Eq) and self._add_substitution(item):
            return
        self._add_relational(item, _label(item))

    def _add_substitution(self, eq) -> bool:
        for lhs, rhs in ((eq.lhs, eq.rhs), (eq.rhs, eq.lhs)):
            if isinstance(lhs, sp.Symbol) and lhs not in rhs.free_symbols:
                if any(lhs.name == n for n, _ in self.substitutions):
                    return False
                self.substitutions.append((lhs.name, rhs))
                self.conditions.append(_Condition(eq, _label(eq), absorbed=True))
                return True
        return False

    def _add_relational(self, cond, label: str):
        condition = _Condition(cond, label)
        self.conditions.append(condition)
        if not isinstance(cond, sp.core.relational.Relational):
            return
        lhs, rhs, op = cond.lhs, cond.rhs, cond.rel_op
        if isinstance(rhs, sp.Abs) and lhs.is_number:
            lhs, rhs, op = rhs, lhs, {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(op, op)
        if isinstance(lhs, sp.Abs) and op in ("<", "<=") and rhs.is_number and rhs.is_real:
            # |x - c| < r: the interval (c - r, c + r)
            inner = lhs.args[0]
            syms = [s for s in inner.free_symbols if isinstance(s, sp.Symbol)]
            if len(syms) == 1 and (inner - syms[0]).is_number:
                centre = syms[0] - inner
                for bound, bop in ((centre - rhs, ">" if op == "<" else ">="), (centre + rhs, op)):
                    self._bound(syms[0].name, bound, bop, label)
                condition.absorbed = True
            return
        if isinstance(rhs, sp.Symbol) and lhs.is_number:
            lhs, rhs = rhs, lhs
            op = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}[op]
        if not (isinstance(lhs, sp.Symbol) and rhs.is_number and rhs.is_real):
            return
        name = lhs.name
        if op == "!=":
            if rhs == 0:
                self.nonzero.add(name)
                condition.absorbed = True
            return
        if op == "==":
            return
        condition.absorbed = True
        self._bound(name, rhs, op, label)

    def _bound(self, name: str, value, op: str, label: str):
        if op in (">", ">="):
            old = self.lower.get(name)
            if old is None or value > old.value or (value == old.value and op == ">"):
                self.lower[name] = _Bound(value, op == ">", label)
        elif op in ("<", "<="):
            old = self.upper.get(name)
            if old is None or value < old.value or (value == old.value and op == "<"):
                self.upper[name] = _Bound(value, op == "<", label)

    def _order_substitutions(self):
        """Substituted variables in an order where each only uses earlier values."""
        marked = {n for m in self.markers for n in m.names}
        pending = {n: e for n, e in self.substitutions if n not in marked}
        ordered: list[tuple[str, sp.Expr]] = []
        while pending:
            ready = [n for n, e in pending.items() if not ({s.name for s in e.free_symbols} & set(pending))]
            if not ready:  # a cycle: the rest stay plain conditions (rejection)
                break
            for n in ready:
                ordered.append((n, pending.pop(n)))
        self.substitutions = ordered
        kept = {n for n, _ in ordered}
        for c in self.conditions:  # an Eq that is not used as a substitution is checked, and shown
            if isinstance(c.expr, sp.Eq) and c.absorbed and not any(
                    isinstance(a, sp.Symbol) and a.name in kept for a in c.expr.args):
                c.absorbed = False

    def _check_intervals(self):
        for name in sorted(set(self.lower) & set(self.upper)):
            lo, hi = self.lower[name], self.upper[name]
            if lo.value > hi.value or (lo.value == hi.value and (lo.strict or hi.strict)):
                self.unsatisfiable = f"the conditions {lo.source} and {hi.source} cannot both hold"
                return
        for name in sorted(self.integer):
            lo, hi = self.lower.get(name), self.upper.get(name)
            if lo is not None and hi is not None:
                first = sp.floor(lo.value) + 1 if (lo.strict or not lo.value.is_integer) else lo.value
                last = sp.ceiling(hi.value) - 1 if (hi.strict or not hi.value.is_integer) else hi.value
                if first > last:
                    self.unsatisfiable = f"no integer {name} satisfies {lo.source} and {hi.source}"
                    return

    # -- reading -------------------------------------------------------------
    @property
    def free(self) -> list[str]:
        """Variables drawn directly (not by a marker, not substituted)."""
        taken = {n for m in self.markers for n in m.names} | {n for n, _ in self.substitutions}
        return [v.name for v in self.variables if v.name not in taken]

    def symbolic_assumptions(self) -> dict[str, dict]:
        """Assumptions implied by the domain, per variable, for the symbolic stage."""
        out: dict[str, dict] = {}
        for name in self.by_name:
            a: dict = {}
            lo, hi = self.lower.get(name), self.upper.get(name)
            if lo is not None and (lo.value > 0 or (lo.value == 0 and lo.strict)):
                a["positive"] = True
            elif lo is not None and lo.value == 0:
                a["nonnegative"] = True
            if hi is not None and (hi.value < 0 or (hi.value == 0 and hi.strict)):
                a["negative"] = True
            elif hi is not None and hi.value == 0:
                a["nonpositive"] = True
            if name in self.nonzero and not (a.get("positive") or a.get("negative")):
                a["nonzero"] = True
            if name in self.integer:
                a["integer"] = True
            out[name] = a
        for m in self.markers:
            for name, f in m.facts().items():
                out[name] = {**out.get(name, {}), **f}
        return out

    def discrete_cases(self, limit: int = 64) -> list[dict[str, sp.Integer]] | None:
        """All joint values of the discrete markers (one-hot, signs), if there are few."""
        groups = [m.cases() for m in self.markers if m.kind in ("onehot", "pm1")]
        if not groups or any(g is None for g in groups) or math.prod(len(g) for g in groups) > limit:
            return None
        return [dict(itertools.chain.from_iterable(d.items() for d in combo))
                for combo in itertools.product(*groups)]

    def symbolic_substitutions(self) -> list[tuple[str, sp.Expr]]:
        """Variables the domain determines from others: Eq(x, ...) and the last entry of a simplex."""
        subs = list(self.substitutions)
        for m in self.markers:
            s = m.substitution()
            if s is not None:
                subs.append(s)
        return subs

    def describe(self) -> str:
        """One phrase naming the domain, for explanations."""
        parts, plain = [], []
        for name in self.free:
            lo, hi = self.lower.get(name), self.upper.get(name)
            kind = "integer " if name in self.integer else ""
            if lo is None and hi is None:
                if name in self.nonzero or kind:
                    parts.append(f"{kind}{name} of either sign" + (f", {name} != 0" if name in self.nonzero else ""))
                else:
                    plain.append(name)
                continue
            lo_s = "" if lo is None else f"{sp.sstr(lo.value)} {'<' if lo.strict else '<='} "
            hi_s = "" if hi is None else f" {'<' if hi.strict else '<='} {sp.sstr(hi.value)}"
            text = f"{kind}{lo_s}{name}{hi_s}"
            if name in self.nonzero and (lo is None or lo.value < 0) and (hi is None or hi.value > 0):
                text += f", {name} != 0"
            parts.append(text)
        if plain:
            parts.insert(0, f"{', '.join(plain)} of either sign")
        for m in self.markers:
            parts.append(m.describe())
        for name, expr in self.substitutions:
            parts.append(f"{name} = {sp.sstr(expr)}")
        extra = [c.label for c in self.conditions if not c.absorbed]
        if extra:
            parts.append("subject to " + ", ".join(extra))
        return "; ".join(parts) if parts else "no variables"

    # -- sampling --------------------------------------------------------------
    def _scalar(self, name: str, rng: np.random.Generator, scale_index: int, digits: int | None,
                mode: str = "normal") -> sp.Expr:
        scale = SCALES[scale_index]
        magnitude = scale * math.exp(rng.uniform(-math.log(_SPREAD), math.log(_SPREAD)))
        lo, hi = self.lower.get(name), self.upper.get(name)
        if name in self.integer:
            return self._integer(lo, hi, magnitude, rng)
        if mode == "wide":     # log-uniform over many decades
            magnitude = 10.0 ** rng.uniform(*WIDE_DECADES)
        elif mode == "far":
            magnitude = 10.0 ** rng.uniform(*FAR_DECADES)
        if mode == "simple" and lo is None and hi is None:
            return SIMPLE_VALUES[int(rng.integers(len(SIMPLE_VALUES)))]
        if lo is not None and hi is not None:
            a, b = _rational(lo.value), _rational(hi.value)
            if mode in ("simple", "far"):   # the edges of the interval
                u = EDGE_FRACTIONS[int(rng.integers(len(EDGE_FRACTIONS)))]
                if u in (0, 1) and (lo.strict if u == 0 else hi.strict):
                    u = sp.Rational(1, 10 ** 6) if u == 0 else 1 - sp.Rational(1, 10 ** 6)
                return a + (b - a) * u
            return a + _round_sig(float(b - a) * rng.uniform(0.001, 0.999), digits)
        if mode == "simple":   # next to the one edge, at absolute and at the edge's own scale
            edge = float((lo if lo is not None else hi).value)
            magnitude = 10.0 ** -int(rng.integers(0, 9)) * (abs(edge) if edge and rng.random() < 0.5 else 1.0)
            if (lo if lo is not None else hi).strict is False and rng.random() < 0.3:
                magnitude = 0.0
        if lo is not None:
            return _rational(lo.value) + _round_sig(magnitude, digits)
        if hi is not None:
            return _rational(hi.value) - _round_sig(magnitude, digits)
        return int(rng.choice((-1, 1))) * _round_sig(magnitude, digits)

    @staticmethod
    def _integer(lo, hi, magnitude, rng) -> sp.Integer:
        step = sp.Integer(round(magnitude * 3))  # 0, 1, 2, ... up to about 90
        if lo is not None and hi is not None:
            first = sp.floor(lo.value) + 1 if (lo.strict or not lo.value.is_integer) else lo.value
            last = sp.ceiling(hi.value) - 1 if (hi.strict or not hi.value.is_integer) else hi.value
            return sp.Integer(int(rng.integers(int(first), int(last) + 1)))
        if lo is not None:
            return sp.ceiling(lo.value) + step
        if hi is not None:
            return sp.floor(hi.value) - step
        return int(rng.choice((-1, 1))) * step

    def propose(self, rng: np.random.Generator, index: int, fixed: dict | None = None) -> dict[str, sp.Expr]:
        """One candidate point (name -> exact value), before the conditions are checked.

        Half the candidates put every variable at one scale (0.1, 1, 10 in turn),
        the others draw a scale per variable (rarely 0.01 or 100).  Even
        candidates have three significant digits, odd ones are off that grid.
        ``fixed`` sets some free variables (probes next to a kink).
        """
        digits = _DIGITS if index % 2 == 0 else None
        shared = rng.random() < 0.5
        # the schedule: simple exact points and interval edges, wide magnitudes, far points, the rest
        mode = ("simple" if index % 8 == 3 else "far" if index % 16 == 13 else
                "wide" if index % 4 == 1 else "normal")

        def scale():
            return (index // 2) % 3 if shared else int(rng.choice(len(SCALES), p=_SCALE_WEIGHTS))

        point: dict[str, sp.Expr] = {}
        for m in self.markers:
            point.update(m.sample(rng, scale(), digits))
        for name in self.free:
            point[name] = self._scalar(name, rng, scale(), digits, mode)
        point.update(fixed or {})
        for name, expr in self.substitutions:
            point[name] = expr.xreplace({self.by_name[n]: v for n, v in point.items()})
        return point

    def accepts(self, point: dict[str, sp.Expr]) -> tuple[bool, _Condition | None]:
        """Whether a candidate satisfies every condition (and which one failed)."""
        exact = {self.by_name[n]: v for n, v in point.items()}
        for name, _ in self.substitutions:
            v = point[name]
            if not (v.is_number and v.is_real and v.is_finite) or v.has(sp.nan, sp.zoo):
                return False, None
        for c in self.conditions:
            if not _holds(c.expr, exact):
                c.rejected += 1
                return False, c
        for m in self.markers:
            if not m.contains(point):
                return False, None
        return True, None

    def most_rejecting(self) -> _Condition | None:
        worst = None
        for c in self.conditions:
            if c.rejected and (worst is None or c.rejected > worst.rejected):
                worst = c
        return worst


def flatten_where(where):
    if where is None:
        return []
    if isinstance(where, (Marker, sp.Basic, bool, str, Latex)):
        where = [where]
    out = []
    for item in where:
        if isinstance(item, sp.And):
            out.extend(flatten_where(list(item.args)))
        elif isinstance(item, str):
            out.extend(flatten_where(parse_condition(item)))
        elif isinstance(item, Latex):
            out.extend(flatten_where(parse_condition(item.text, item.options)))
        elif isinstance(item, (list, tuple)):
            out.extend(flatten_where(item))
        else:
            out.append(item)
    return out


_COMPARISON = re.compile(r"(<=|>=|!=|==|<|>)")
_RELATION = {"<=": sp.Le, ">=": sp.Ge, "!=": sp.Ne, "==": sp.Eq, "<": sp.Lt, ">": sp.Gt}


def parse_condition(text: str, latex_options: dict | None = None):
    """``'x > 0'`` or LaTeX ``'x \\neq 0'`` as a SymPy condition; nothing is executed."""
    from ..program import parse_expression
    if latex_options is not None or looks_like_latex(text):
        cond = parse_latex_text(text, latex_options or {})
        if not isinstance(cond, sp.logic.boolalg.Boolean) or isinstance(cond, sp.Expr):
            raise DomainError(f"the LaTeX condition {text!r} is not a comparison")
        return cond
    # A chain "-1 < a < -0.2" is one condition per adjacent pair, as in mathematics.
    pieces = _COMPARISON.split(text)
    if len(pieces) == 1:
        raise DomainError(f"the condition {text!r} has no comparison (<, <=, >, >=, !=, ==)")
    operands, ops = pieces[0::2], pieces[1::2]
    if any(op in ("!=", "==") for op in ops) and len(ops) > 1:
        raise DomainError(f"write one comparison per condition when it uses == or !=: {text!r}")
    try:
        sides = [parse_expression(operand) for operand in operands]
    except ParseError as exc:
        raise ParseError(f"in the condition {text!r}: {exc}") from None
    relations = [_RELATION[op](lhs, rhs) for op, lhs, rhs in zip(ops, sides, sides[1:])]
    return relations[0] if len(relations) == 1 else sp.And(*relations)
