"""Three independent witnesses of one gradient: the compiled symbolic program, the
tape engine and finite differences.

The tape sees the function through ``TapeTranslator``, which maps *forward*
operations only (SymPy head -> tape op): the derivative rules on the two sides
stay independent.  Finite differences, tolerances, the comparison and the kink
rules are ``symdiff.harness``'s: at a point where the function is not
differentiable (|x| at 0, a max with ties, a Piecewise at a boundary) the
report says so instead of reporting a false disagreement.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixElement

from . import harness
from . import tape as tp
from .codegen import compile as compile_program
from .errors import EvaluationError, SymdiffError
from .harness import AT_KINK, ATOL, RTOL, kink_of, max_relative_error, numeric_grad, worst_entry
from .primitives import on_declare
from .program import Program
from .reverse import gradient

WITNESSES = ("symbolic", "tape", "finite differences")


class UnsupportedByTape(SymdiffError):
    """The forward translator has no tape op for a head (the tape witness is skipped)."""


# SymPy head -> tape forward op, from the declarations (``symdiff.primitive(..., tape=...)``).  Only
# forward meaning lives here; the tape differentiates it with its own backward functions.
FORWARD_OPS: dict = {}


def _enter(p):
    if p.tape is not None:
        FORWARD_OPS[p.head] = p.tape


on_declare(_enter)


def _value(x):
    return x.value if isinstance(x, tp.Tensor) else x


class TapeTranslator:
    """A program's forward assignments evaluated with tape ops: the tape witness's view of a program.

    ``TapeTranslator(program)(env)`` fills ``env`` (symbol -> array or tape
    Tensor, the inputs given) with every target's value; ``eval(expr, env)``
    evaluates one expression.  Only forward meaning is translated (SymPy head ->
    tape op, ``FORWARD_OPS``), so the tape's derivative rules stay its own.
    A head without a tape op raises ``UnsupportedByTape``.
    """

    def __init__(self, program: Program):
        self.program = program

    def __call__(self, env):
        for target, expr in self.program.assignments:
            env[target] = self.eval(expr, env)
        return env

    def eval(self, expr, env):
        if expr in env:
            return env[expr]
        if expr.is_Number or isinstance(expr, sp.NumberSymbol):
            return float(expr)
        if isinstance(expr, sp.Piecewise):
            return self._piecewise(expr, env)
        if isinstance(expr, (sp.Heaviside, sp.KroneckerDelta)):
            values = [np.asarray(_value(self.eval(a, env)), dtype=float) for a in expr.args]
            if isinstance(expr, sp.Heaviside):
                return np.heaviside(values[0], values[1] if len(values) > 1 else 0.5)
            return np.where(values[0] == values[1], 1.0, 0.0)
        if isinstance(expr, ElementwiseApplyFunction):
            inner = self.eval(expr.expr, env)
            lam = expr.function
            return self.eval(lam.expr, {**env, lam.variables[0]: inner})
        if isinstance(expr, MatrixElement):
            return self.eval(expr.parent, env)[int(expr.i), int(expr.j)]
        if isinstance(expr, sp.MatrixSlice):
            # symbolic bounds (1:n) take their sizes from the parent's actual shape
            parent = self.eval(expr.parent, env)
            sizes = {d: s for d, s in zip(expr.parent.shape, np.shape(_value(parent))) if isinstance(d, sp.Symbol)}
            bounds = tuple(slice(*(int(sp.sympify(v).xreplace(sizes)) for v in part))
                           for part in (expr.rowslice, expr.colslice))
            return tp.getitem(parent, bounds)
        if isinstance(expr, (sp.Identity, sp.OneMatrix, sp.ZeroMatrix)):
            return np.asarray(sp.ImmutableMatrix(expr.as_explicit()), dtype=float)
        op = None
        for cls in type(expr).__mro__:
            op = FORWARD_OPS.get(cls)
            if op is not None:
                break
        if op is None:
            raise UnsupportedByTape(f"the tape has no op for {type(expr).__name__}")
        return op(*[self.eval(a, env) for a in expr.args])

    def _piecewise(self, expr, env):
        taken = None
        out = 0.0
        for value, cond in expr.args:
            mask = np.asarray(self._condition(cond, env), dtype=bool)
            if taken is not None:
                mask = mask & ~taken
            out = out + self.eval(value, env) * mask.astype(float)
            taken = mask if taken is None else taken | mask
        return out

    def _condition(self, cond, env):
        if cond is sp.true:
            return True
        if cond is sp.false:
            return False
        if isinstance(cond, sp.And):
            return np.logical_and.reduce([self._condition(c, env) for c in cond.args])
        if isinstance(cond, sp.Or):
            return np.logical_or.reduce([self._condition(c, env) for c in cond.args])
        compare = {sp.StrictLessThan: np.less, sp.LessThan: np.less_equal, sp.StrictGreaterThan: np.greater,
                   sp.GreaterThan: np.greater_equal, sp.Eq: np.equal, sp.Ne: np.not_equal}
        for cls, fn in compare.items():
            if isinstance(cond, cls):
                a, b = (np.asarray(_value(self.eval(x, env)), dtype=float) for x in cond.args)
                return fn(a, b)
        raise UnsupportedByTape(f"condition {cond} in a Piecewise")


@dataclass
class Disagreement:
    point: int
    variable: str
    witness: str          # which witness disagrees ("symbolic", "tape", "finite differences", "all")
    coordinate: tuple
    values: dict          # witness -> value at the worst coordinate
    abs_error: float
    rel_error: float

    def __str__(self):
        vals = ", ".join(f"{w} {v:.10g}" for w, v in self.values.items())
        # printed 1-based, as the lecture numbers entries; the fields stay Python indices
        coord = f" entry ({', '.join(str(i + 1) for i in self.coordinate)})" if self.coordinate else ""
        who = "all three witnesses disagree" if self.witness == "all" else f"the {self.witness} witness disagrees"
        return (f"point {self.point + 1}, d/d{self.variable}{coord}: {who} ({vals}; "
                f"abs err {self.abs_error:.3g}, rel err {self.rel_error:.3g})")


@dataclass
class CrosscheckReport:
    wrt: tuple[str, ...]
    points: list[dict]
    disagreements: list[Disagreement] = field(default_factory=list)
    nondifferentiable: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    witnesses: tuple[str, ...] = WITNESSES
    max_error: dict = field(default_factory=dict)  # (witness a, witness b) -> max relative error

    @property
    def ok(self) -> bool:
        return not self.disagreements

    def __str__(self):
        n = len(self.points)
        compared = n - len(self.nondifferentiable)
        if not self.ok:
            verdict = "DISAGREEMENT"
        elif compared == 0:
            verdict = "nothing compared (not differentiable at " + ("the point" if n == 1 else "any point") + ")"
        elif compared < n:
            verdict = f"agree at the {compared} point{'s' if compared != 1 else ''} where it is differentiable"
        else:
            verdict = "all agree"
        head = (f"crosscheck of d/d({', '.join(self.wrt)}) at {n} point{'s' if n != 1 else ''}, witnesses: "
                f"{', '.join(self.witnesses)}: {verdict}")
        lines = [head]
        for (a, b), err in self.max_error.items():
            lines.append(f"  {a} vs {b}: max relative error {err:.3g}")
        lines += [f"  {d}" for d in self.disagreements]
        lines += [f"  not differentiable: {s}" for s in self.nondifferentiable]
        lines += [f"  note: {s}" for s in self.notes]
        return "\n".join(lines)

    def raise_if_failed(self):
        if not self.ok:
            raise AssertionError(str(self))


def crosscheck(f, wrt, points=None, *, n_points: int = 5, seed: int = 0, dims: dict | None = None,
               rtol: float = RTOL, atol: float = ATOL, tie_policy: str = "first",
               rules=None) -> CrosscheckReport:
    """Gradient of ``f`` w.r.t. ``wrt`` three ways at ``points`` (dicts name -> value) or random ones.

    ``dims`` gives sizes to symbolic matrix dimensions (default 3); ``rules``
    swaps in another rule table for the symbolic witness (to test a rule).
    """
    g = gradient(f, wrt, tie_policy=tie_policy, rules=rules)
    params = list(g.forward.inputs) + [w for w in g.wrt if w not in g.forward.inputs
                                       and w not in g.forward]
    wrt_index = [params.index(w) for w in g.wrt if w in params]
    symbolic = compile_program(g, params)
    value_fn = compile_program(g.forward, params) if params else None
    linear = g.forward.linearized()
    translator = TapeTranslator(linear)
    report = CrosscheckReport(wrt=tuple(w.name for w in g.wrt), points=[])
    intermediates = [w for w in g.wrt if w not in params]
    if intermediates:
        report.notes.append(f"{', '.join(map(str, intermediates))} are intermediates: the tape and finite "
                            f"differences check inputs only")
    rng = np.random.default_rng(seed)
    chosen = list(points) if points is not None else None
    tape_ok = True
    count = len(chosen) if chosen is not None else n_points
    for k in range(count):
        values = _point(params, chosen[k] if chosen is not None else None, rng, dims or {}, symbolic)
        report.points.append({p.name: v for p, v in zip(params, values)})
        _, sym_grads = symbolic(*values)
        kinks = _kinks(linear, translator, params, values)
        if kinks:
            report.nondifferentiable.append(f"point {k + 1}: {kinks}")
            continue
        witnesses = {"symbolic": [np.asarray(sym_grads[g.wrt.index(params[i])]) for i in wrt_index]}
        if tape_ok:
            try:
                tape_grads = _tape_gradient(translator, linear, params, values, wrt_index)
                witnesses["tape"] = tape_grads
            except UnsupportedByTape as exc:
                tape_ok = False
                report.notes.append(f"tape witness skipped: {exc}")
                report.witnesses = ("symbolic", "finite differences")
        numeric = numeric_grad(lambda *a: value_fn(*a), values, argnums=tuple(wrt_index), richardson=True)
        witnesses["finite differences"] = [np.asarray(x) for x in numeric]
        for j, i in enumerate(wrt_index):
            _compare(report, k, params[i].name, {w: v[j] for w, v in witnesses.items()}, rtol, atol)
    return report


def _point(params, given, rng, dims, compiled):
    for _ in range(50):
        values = []
        for p in params:
            if given is not None and (p.name in given or p in given):
                v = given.get(p.name, given.get(p)) if isinstance(given, dict) else given
                values.append(np.asarray(v, dtype=float))
            elif isinstance(p, sp.MatrixSymbol):
                shape = tuple(int(dims.get(d, dims.get(str(d), 3))) if not d.is_Integer else int(d)
                              for d in p.shape)
                values.append(rng.normal(size=shape))
            else:
                values.append(np.asarray(rng.normal() * rng.choice([0.3, 1.0, 2.0])))
        try:
            with np.errstate(all="ignore"):
                value, grads = compiled(*values)
        except EvaluationError:
            if given is not None:
                raise
            continue
        if np.all(np.isfinite(value)) and all(np.all(np.isfinite(x)) for x in grads):
            return values
        if given is not None:
            raise EvaluationError("the function or its gradient is not finite at the given point")
    raise EvaluationError("no point with a finite value and gradient was found in 50 random tries")


def _tape_gradient(translator, linear, params, values, wrt_index):
    def fn(*arrays):
        env = dict(zip(params, arrays))
        translator(env)
        return env[linear.output]

    out = tp.grad(fn, argnums=tuple(wrt_index))(*values)
    return [np.asarray(x) for x in out]


def _kinks(linear, translator, params, values, tol=AT_KINK) -> str:
    """Nodes evaluated at a kink (|x| at 0, ties in max/min, a Piecewise at a boundary) at this point."""
    env = {p: v for p, v in zip(params, values)}
    try:
        translator(env)
    except UnsupportedByTape:
        env = None
    if env is None:
        return ""
    found = []
    for target, expr in linear.assignments:
        kink = kink_of(expr)
        if kink is not None:
            where = kink.where([translator.eval(part, env) for part in kink.parts], tol)
            if where:
                found.append(f"{target} = {expr} {where}")
    return "; ".join(found)


def _compare(report, k, name, values: dict, rtol, atol):
    ws = list(values)
    agree = {}
    for i, a in enumerate(ws):
        for b in ws[i + 1:]:
            rel = max_relative_error(values[a], values[b], atol) if np.size(values[a]) else 0.0
            report.max_error[(a, b)] = max(report.max_error.get((a, b), 0.0), rel)
            agree[(a, b)] = harness.agree(values[a], values[b], rtol, atol)
    if all(agree.values()):
        return
    odd = "all"
    for w in ws:
        others = [x for x in ws if x != w]
        if len(others) == 2 and agree.get(tuple(others), agree.get(tuple(reversed(others)), False)):
            odd = w
            break
    if len(ws) == 2:
        odd = ws[0]
    ref = [w for w in ws if w != odd][0] if odd != "all" else ws[1]
    w = ws[0] if odd == "all" else odd
    diff = np.abs(values[w] - values[ref])
    idx = worst_entry(diff)
    scale = max(abs(float(values[w][idx])), abs(float(values[ref][idx])), atol)
    report.disagreements.append(Disagreement(
        point=k, variable=name, witness=odd, coordinate=idx,
        values={x: float(values[x][idx]) for x in ws},
        abs_error=float(diff[idx]), rel_error=float(diff[idx]) / scale))
