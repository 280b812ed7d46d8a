"""Checking gradient rules against independent witnesses over Hypothesis-generated inputs.

``check_rule(f, x, derivative)`` accepts four forms of a rule:

* an expression and its claimed derivative:
  ``check_rule(sp.tanh(x), x, 1 - sp.tanh(x)**2)`` (``derivative`` may be
  omitted: then symdiff's own gradient of ``f`` is what is checked);
* a SymPy head and a vector-Jacobian rule in the style of the rule table,
  ``(g, ans, *args) -> contribution(s)``:
  ``check_rule(sp.tanh, x, lambda g, ans, x: g * (1 - ans**2))``;
* a tape ``Op`` (``symdiff.tape.OPS["tanh"]``): its vjps, through the tape;
* a NumPy forward and a NumPy VJP ``(inputs, output, g) -> grads``:
  ``check_rule(np.tanh, arrays((3,)), lambda xs, y, g: [g * (1 - y**2)])``.

The reference is always central finite differences (with one Richardson
step), computed in float64 on the forward alone.  The other witnesses are the
claimed rule, symdiff's gradient (``symdiff.gradient`` compiled), the tape
engine fed through a forward-only translation, and ``sympy.diff``; each must
agree with the finite differences.  Points where the finite differences are
unreliable (a kink or a pole within the step: the Richardson and the plain
central estimates disagree, or a tie of max, |x| at 0...) are rejected, not
reported.  A failure raises ``AssertionError`` naming the argument, the input,
the expected and actual values and the relative error.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import sympy as sp
from hypothesis import HealthCheck, Phase, given, reject, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from hypothesis.control import current_build_context, currently_in_test_context
from hypothesis.errors import Unsatisfiable
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixExpr
from sympy.printing.numpy import SciPyPrinter

from .. import tape as tp
from ..check import numeric_grad
from ..errors import EvaluationError, NoRuleError, SymdiffError
from ..functions import leaky_relu, to_elementary
from ..matrix import ColSums, Elementwise, RowSums, ScaleRows
from ..numeric import HELPERS
from ..program import Program, as_program
from ..rules.base import RuleContext, RuleTable
from ..tape.ops import Op, apply
from ..witnesses import UnsupportedByTape, _TapeTranslator
from .strategies import values_for
from .tape_inputs import OpCall, op_inputs

FINITE_DIFFERENCES = "finite differences"
# how a witness is named in a failure message
_SUBJECT = {"symdiff": "symdiff's gradient", "tape": "the tape's gradient", "sympy.diff": "sympy.diff"}


def _subject(name: str) -> str:
    return _SUBJECT.get(name, name if name.startswith(("the ", "symdiff")) else f"the {name}")


def _agreeing(names) -> str:
    if not names:
        return FINITE_DIFFERENCES
    listed = ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]
    return f"{FINITE_DIFFERENCES}; {listed} {'agree' if len(names) > 1 else 'agrees'}"
DEFAULT_RTOL, DEFAULT_ATOL = 1e-5, 1e-7
POINTS_INSIDE_A_TEST = 2   # points drawn per check_rule call inside a user's @given test
_KINKED = (sp.Abs, sp.sign, sp.Heaviside)


class _NotHere(Exception):
    """The point is outside the function's domain or too close to a kink: draw another."""


# ------------------------------------------------------------------------------ witnesses

class _ForwardTranslator(_TapeTranslator):
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


def _finite(values) -> bool:
    return all(np.all(np.isfinite(np.asarray(v, dtype=float))) for v in values)


def _symmetrized(g):
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


def _scalar_function(params, expr):
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


def _expression_function(params, expr):
    if isinstance(expr, MatrixExpr) or any(isinstance(p, sp.MatrixSymbol) for p in params):
        return _MatrixFunction(params, expr)
    return _scalar_function(params, expr)


def _closed_form(program: Program):
    """The program's output as one expression (intermediates substituted)."""
    closed = {}
    for target, expr in program.assignments:
        closed[target] = expr.xreplace(closed) if closed else expr
    return closed[program.output]


@dataclass
class _Witness:
    name: str
    gradients: Callable   # values -> list of arrays aligned with wrt


@dataclass
class Disagreement:
    witness: str
    argument: str
    coordinate: tuple
    expected: float
    actual: float
    abs_error: float
    rel_error: float


class GradientChecker:
    """The gradient of one function w.r.t. ``wrt``, several ways, compiled once; ``check(values)``
    compares them at one point.

    ``f``: a SymPy expression, program text or ``symdiff.Program``; ``derivative``:
    the claimed gradient (one expression per ``wrt``, a dict, or None).
    ``rule_tables``: extra symdiff witnesses ``{label: RuleTable}``.
    ``symmetric``: matrix variables whose gradient counts w.r.t. symmetric
    matrices (compared as (G + Gᵀ)/2).
    """

    def __init__(self, f, wrt, derivative=None, *, rules: RuleTable | None = None, rule_tables=None,
                 rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL, tie_policy: str = "first",
                 symmetric=(), witnesses=None, claimed_label: str = "claimed derivative",
                 function_label: str | None = None):
        from ..reverse import gradient

        self.program = as_program(f)
        self.wrt = _symbols(wrt, self.program)
        dims = {d for s in list(self.program.inputs) + list(self.wrt) if isinstance(s, sp.MatrixSymbol)
                for d in s.shape if isinstance(d, sp.Symbol)}
        extra_inputs = sorted((s for s in self.program.inputs if s not in self.wrt and s not in dims),
                              key=lambda s: s.name)
        # the values to draw; then the symbolic dimensions, which a program may read as inputs (a
        # slice X[:, :m]) and which get the sizes of the drawn matrices
        self.drawn = list(self.wrt) + extra_inputs
        # (all of them: a gradient program may read more dimensions than the forward does)
        self.dim_inputs = sorted(dims, key=lambda s: s.name)
        self.params = self.drawn + self.dim_inputs
        self.wrt_index = tuple(range(len(self.wrt)))
        self.rtol, self.atol = rtol, atol
        self.symmetric = {self.wrt.index(s) for s in _symbols(symmetric, self.program)} if symmetric else set()
        self.notes: list[str] = []
        self.matrix = any(isinstance(p, sp.MatrixSymbol) for p in self.params)
        self.expr = _closed_form(self.program)
        self.label = function_label or _describe(f, self.program)
        wanted = set(witnesses) if witnesses is not None else None

        def want(name):
            return wanted is None or name in wanted

        self.value = _expression_function(self.params, self.expr)
        self.linear = self.program.linearized()
        self.translator = _ForwardTranslator()
        # matrix programs have no kinked heads among symdiff's nodes; scalar ones are probed
        self._probes = self._kink_probes() if not self.matrix else []
        self.witnesses: list[_Witness] = []
        claimed = _aligned(derivative, self.wrt)
        if claimed is not None:
            fns = [_expression_function(self.params, d) if d is not None else None for d in claimed]
            self.witnesses.append(_Witness(claimed_label, functools.partial(_evaluate_each, fns, self.wrt)))
        tables = {"symdiff": rules} if want("symdiff") else {}
        tables.update(rule_tables or {})
        for name, table in tables.items():
            try:
                g = gradient(self.program, self.wrt, tie_policy=tie_policy, rules=table)
            except NoRuleError as exc:
                if claimed is None and name == "symdiff":
                    raise   # symdiff's gradient is what is being checked: a missing rule is a failure
                self.notes.append(f"{name} witness skipped: {exc}")
                continue
            except SymdiffError as exc:
                # f itself was accepted (as_program above): a reverse pass that fails on it is wrong
                raise AssertionError(f"gradient check failed for f = {self.label}\n  {_subject(name)} "
                                     f"raised {type(exc).__name__}: {exc}") from exc
            self.witnesses.append(_Witness(name, self._compiled_gradient(g)))
        if want("tape"):
            self.witnesses.append(_Witness("tape", self._tape_gradient))
        if want("sympy.diff") and not self.matrix:
            by_sympy = self._sympy_diff()
            if by_sympy is not None:
                self.witnesses.append(_Witness("sympy.diff", by_sympy))

    # -- the witnesses ------------------------------------------------------------------
    def _compiled_gradient(self, g):
        from ..codegen import compile as compile_program

        try:
            fn = compile_program(g, self.params)
        except Exception:  # noqa: BLE001 - a function NumPy cannot print (SymPy raises several types)
            # evaluate the closed forms instead (mpmath for functions without a NumPy form)
            fns = [_expression_function(self.params, g.closed_form(w)) for w in self.wrt]
            return functools.partial(_evaluate_each, fns, self.wrt)

        def evaluate(values):
            with np.errstate(all="ignore"):
                return [np.asarray(v, dtype=float) for v in fn(*values)[1]]

        return evaluate

    def _tape_gradient(self, values):
        translator = self.translator

        def fn(*arrays):
            # the expression itself, not symdiff's linearized program: nothing shared but SymPy
            return translator.eval(self.expr, dict(zip(self.params, arrays)))

        try:
            out = tp.grad(fn, argnums=self.wrt_index)(*values)
        except UnsupportedByTape as exc:
            self.witnesses = [w for w in self.witnesses if w.name != "tape"]
            self.notes.append(f"tape witness skipped: {exc}")
            return None
        return [np.asarray(x, dtype=float) for x in out]

    def _sympy_diff(self):
        elementary = to_elementary(self.expr)
        ds = []
        for w in self.wrt:
            d = sp.diff(elementary, w).replace(sp.DiracDelta, lambda *a: sp.Integer(0))
            if d.has(sp.Derivative, sp.Subs):
                self.notes.append(f"sympy.diff witness skipped: SymPy leaves d/d{w} unevaluated")
                return None
            ds.append(d)
        together = _scalar_function(self.params, sp.Tuple(*ds))   # one lambdify for all partials

        def evaluate(values):
            return [np.asarray(v, dtype=float) for v in together(*values)]

        return evaluate

    # -- one point ----------------------------------------------------------------------------
    def _ordered(self, values) -> list:
        """Values of ``params`` from a dict or a sequence of the drawn values (sizes appended)."""
        if isinstance(values, dict):
            missing = [p for p in self.drawn if p not in values and p.name not in values]
            if missing:
                raise ValueError(f"no value for {', '.join(map(str, missing))}")
            values = [values[p] if p in values else values[p.name] for p in self.drawn]
        values = [np.asarray(v, dtype=float) for v in values][:len(self.drawn)]
        sizes = {}
        for p, v in zip(self.drawn, values):
            if isinstance(p, sp.MatrixSymbol):
                for d, n in zip(p.shape, np.shape(v)):
                    if not getattr(d, "is_Integer", True):
                        sizes[d] = int(n)
        self.translator.sizes = sizes
        return values + [np.asarray(sizes[d]) for d in self.dim_inputs]

    def _kink_probes(self):
        """For each node with a kink, a function of the inputs giving the values whose zeros
        (or ties) are the kink: built once from closed forms, so it needs no tape op."""
        closed, probes = {}, []
        for target, expr in self.linear.assignments:
            full = expr.xreplace(closed) if closed else expr
            closed[target] = full
            if isinstance(full, _KINKED) or type(full).__name__ in ("relu", "leaky_relu"):
                parts, kind = [full.args[0]], "zero"
            elif isinstance(full, (sp.Max, sp.Min)):
                parts, kind = list(full.args), "tie"
            elif isinstance(full, sp.Piecewise):
                parts = [c.lhs - c.rhs for _, c in full.args if isinstance(c, sp.core.relational.Relational)]
                kind = "zero"
            else:
                continue
            if parts:
                probes.append((f"{target} = {expr}", kind, _scalar_function(self.params, sp.Tuple(*parts))))
        return probes

    def _kinks(self, values) -> str:
        """A node at its kink at this point (|x| at 0, max with ties, a Piecewise at a boundary)."""
        tol = 1e-6
        for where, kind, probe in self._probes:
            parts = [np.asarray(v, dtype=float) for v in probe(*values)]
            if kind == "zero" and any(np.any(np.abs(v) <= tol) for v in parts):
                return f"{where} at its kink"
            if kind == "tie":
                for i, a in enumerate(parts):
                    for b in parts[i + 1:]:
                        if np.any(np.abs(a - b) <= tol * np.maximum(1, np.abs(a))):
                            return f"{where} has tied arguments"
        return ""

    def reference(self, values):
        """Finite differences at ``values``; raises _NotHere where they are unreliable."""
        def fn(*args):
            if self.symmetric:
                args = [_symmetrized(a) if i in self.symmetric else a for i, a in enumerate(args)]
            return self.value(*args)

        try:
            value = fn(*values)
        except (EvaluationError, ValueError, ZeroDivisionError, OverflowError) as exc:
            raise _NotHere(f"f cannot be evaluated here: {exc}") from None
        if not _finite([value]):
            raise _NotHere("f is not finite here")
        kink = self._kinks(values)
        if kink:
            raise _NotHere(f"not differentiable here: {kink}")
        try:
            with np.errstate(all="ignore"):
                fine = numeric_grad(fn, values, self.wrt_index, richardson=True)
                plain = numeric_grad(fn, values, self.wrt_index)
        except (EvaluationError, ValueError) as exc:
            raise _NotHere(f"f cannot be evaluated near this point: {exc}") from None
        if not _finite(fine) or not _finite(plain):
            raise _NotHere("f is not finite within the difference step")
        for a, b in zip(fine, plain):
            if not np.all(np.abs(a - b) <= self.atol + self.rtol * np.maximum(np.abs(a), np.abs(b))):
                raise _NotHere("finite differences disagree with themselves (a kink or pole nearby)")
        return [np.asarray(g, dtype=float) for g in fine]

    def check(self, values) -> None:
        """Compare every witness with finite differences at one point; AssertionError if one disagrees.

        Raises ``_NotHere`` (check_rule draws another point) where the
        function is not finite or not smooth enough for finite differences.
        """
        values = self._ordered(values)
        expected = self.reference(values)
        failures, agreeing = [], []
        for w in list(self.witnesses):
            try:
                with np.errstate(all="ignore"):
                    got = w.gradients(values)
            except Exception as exc:  # noqa: BLE001 - at a point where f is fine, any error is the witness's
                failures.append((w.name, f"raised {type(exc).__name__}: {exc}"))
                continue
            if got is None:
                continue
            found = self._compare(w.name, got, expected)
            if found:
                failures.append((w.name, found))
            else:
                agreeing.append(w.name)
        if failures:
            raise AssertionError(self._message(values, expected, failures, agreeing))

    def _compare(self, name, got, expected) -> Disagreement | str | None:
        for i, (g, e) in enumerate(zip(got, expected)):
            g = np.asarray(g, dtype=float)
            if g.shape != np.shape(e):
                if g.size != 1:   # a constant (a zero gradient) may come as a scalar; nothing else may
                    return (f"gives d f / d {self.wrt[i]} the shape {g.shape}, but {self.wrt[i]} has the "
                            f"shape {np.shape(e)}")
                g = np.broadcast_to(g.reshape(()), np.shape(e))
            if i in self.symmetric:
                g = _symmetrized(g)
            diff = np.abs(g - e)
            diff = np.where(np.isnan(diff), np.inf, diff)
            scale = np.maximum(np.abs(g), np.abs(e))
            excess = diff / (self.atol + self.rtol * np.where(np.isfinite(scale), scale, 0))
            if np.all(excess <= 1):
                continue
            idx = np.unravel_index(int(np.argmax(excess)), np.shape(e)) if np.ndim(e) else ()
            actual, exp = float(g[idx]), float(e[idx])
            error = abs(actual - exp)
            rel = error / max(abs(exp), np.finfo(float).tiny) if math.isfinite(error) else math.inf
            return Disagreement(name, str(self.wrt[i]), tuple(int(k) for k in idx), exp, actual, error, rel)
        return None

    def _message(self, values, expected, failures, agreeing) -> str:
        point = ", ".join(f"{p} = {_show(v)}" for p, v in zip(self.drawn, values))
        if self.dim_inputs:
            point += " (sizes " + ", ".join(f"{d} = {int(v)}" for d, v in zip(self.dim_inputs,
                                                                         values[len(self.drawn):])) + ")"
        lines = [f"gradient check failed for f = {self.label}"]
        for name, found in failures:
            if isinstance(found, str):
                lines += [f"  {_subject(name)} {found}", f"  input: {point}"]
                continue
            at = f"[{', '.join(map(str, found.coordinate))}]" if found.coordinate else ""
            lines += _disagreement_lines(name, found, agreeing, self.rtol, self.atol,
                                         [f"  argument: {found.argument}{at}  (d f / d {found.argument}{at})",
                                          f"  input: {point}"])
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def _disagreement_lines(name, found, agreeing, rtol, atol, where: list[str]) -> list[str]:
    """The lines of a failure message for one witness that disagrees with finite differences."""
    return [f"  {_subject(name)} disagrees with finite differences", *where,
            f"  expected: {found.expected:.12g}  ({_agreeing(agreeing)})",
            f"  actual:   {found.actual:.12g}  ({_subject(name)})",
            f"  relative error: {found.rel_error:.3g}  (absolute {found.abs_error:.3g}; rtol {rtol:g}, atol {atol:g})"]


def _describe(f, program: Program) -> str:
    if isinstance(f, sp.Basic):
        return sp.sstr(f)
    return "; ".join(f"{t} = {sp.sstr(e)}" for t, e in program.assignments)


def _show(v) -> str:
    a = np.asarray(v)
    if a.ndim == 0:
        return repr(float(a))
    return np.array2string(a, precision=6, separator=", ").replace("\n", "")


def _evaluate_each(fns, wrt, values):
    out = []
    for fn, w in zip(fns, wrt):
        if fn is None:
            out.append(np.zeros(_shape_of(w, values, wrt)))
            continue
        out.append(np.asarray(fn(*values), dtype=float))
    return out


def _shape_of(w, values, wrt):
    return np.shape(values[list(wrt).index(w)])


def _symbols(wrt, program: Program) -> list:
    if isinstance(wrt, (str, sp.Symbol, sp.MatrixSymbol)):
        wrt = [wrt]
    out = []
    for w in wrt:
        if isinstance(w, str):
            for name in (n.strip() for n in w.split(",") if n.strip()):
                out.append(program.symbol(name) or sp.Symbol(name, real=True))
        else:
            out.append(w)
    return out


def _aligned(derivative, wrt):
    if derivative is None:
        return None
    if isinstance(derivative, dict):
        return [derivative.get(w, derivative.get(w.name)) for w in wrt]
    if isinstance(derivative, (sp.Basic, str, int, float)):
        derivative = [derivative]
    derivative = [sp.sympify(d) if isinstance(d, (str, int, float)) else d for d in derivative]
    if len(derivative) != len(wrt):
        raise ValueError(f"{len(derivative)} derivatives given for {len(wrt)} variables {wrt}")
    return derivative


# ------------------------------------------------------------------------------ NumPy rules

class VJPChecker:
    """A NumPy forward and its vector-Jacobian products, against finite differences and the tape.

    ``forward(*inputs, **params)``; ``vjp(inputs, output, g) -> grads`` (one
    per differentiated input, None for no gradient).  ``tape``: the tape's
    VJP as a witness, when the forward can run on tape Tensors.
    """

    def __init__(self, forward, vjp=None, *, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL,
                 label: str | None = None, claimed_label: str = "claimed VJP", tape: bool = True):
        self.forward, self.vjp = forward, vjp
        self.rtol, self.atol = rtol, atol
        self.label = label or getattr(forward, "__name__", repr(forward))
        self.claimed_label = claimed_label
        self.use_tape = tape
        self.notes: list[str] = []

    def check(self, call: OpCall, cotangent=None) -> None:
        inputs = tuple(np.asarray(x, dtype=float) for x in call.inputs)
        params = dict(call.params)
        argnums = call.argnums if call.argnums is not None else tuple(range(len(inputs)))

        def fn(*xs):
            xs = [_symmetrized(x) if i in call.symmetric else x for i, x in enumerate(xs)]
            return self.forward(*xs, **params)

        try:
            with np.errstate(all="ignore"):
                output = np.asarray(fn(*inputs), dtype=float)
        except (EvaluationError, ValueError, np.linalg.LinAlgError) as exc:
            raise _NotHere(f"the forward cannot be evaluated here: {exc}") from None
        if not _finite([output]):
            raise _NotHere("the forward is not finite here")
        g = np.ones(output.shape) if cotangent is None else np.broadcast_to(cotangent, output.shape)
        with np.errstate(all="ignore"):
            fine = numeric_grad(fn, inputs, argnums, richardson=True, cotangent=g)
            plain = numeric_grad(fn, inputs, argnums, cotangent=g)
        if not (_finite(fine) and _finite(plain)):
            raise _NotHere("the forward is not finite within the difference step")
        for a, b in zip(fine, plain):
            if not np.all(np.abs(a - b) <= self.atol + self.rtol * np.maximum(np.abs(a), np.abs(b))):
                raise _NotHere("finite differences disagree with themselves (a kink or pole nearby)")
        witnesses = {}
        if self.vjp is not None:
            witnesses[self.claimed_label] = lambda: self.vjp(inputs, output, g)
        if self.use_tape:
            witnesses["tape"] = lambda: self._tape(inputs, params, g, argnums, call)   # the tape's VJP
        failures, agreeing = [], []
        for name, compute in witnesses.items():
            try:
                with np.errstate(all="ignore"):
                    got = compute()
            except _TapeCannotRun as exc:
                if self.vjp is None:   # a tape op: the tape is the rule under test
                    failures.append((name, f"cannot run: {exc}"))
                    continue
                self.use_tape = False   # the same for every input: note it once
                self.notes.append(f"tape witness skipped: {exc}")
                continue
            except (EvaluationError, SymdiffError, ValueError) as exc:
                failures.append((name, f"raised {type(exc).__name__}: {exc}"))
                continue
            got = list(got)
            if len(got) == len(inputs) and len(argnums) != len(inputs):
                got = [got[i] for i in argnums]
            found = self._compare(name, got, fine, argnums, call.symmetric)
            (failures.append((name, found)) if found else agreeing.append(name))
        if failures:
            raise AssertionError(self._message(call, g, failures, agreeing))

    def _tape(self, inputs, params, g, argnums, call):
        def fn(*xs):
            xs = [_symmetrized_tape(x) if i in call.symmetric else x for i, x in enumerate(xs)]
            return self.forward(*xs, **params)

        try:
            _, pullback = tp.vjp(fn, *inputs, argnums=tuple(argnums))
        except (TypeError, AttributeError) as exc:   # NumPy functions refuse Tensors
            raise _TapeCannotRun(f"the forward does not run on tape Tensors ({exc})") from None
        out = pullback(g.astype(float))
        return out if isinstance(out, tuple) else (out,)

    def _compare(self, name, got, expected, argnums, symmetric):
        for k, (gv, e) in zip(argnums, zip(got, expected)):
            if gv is None:
                gv = np.zeros_like(e)
            gv = np.broadcast_to(np.asarray(gv, dtype=float), np.shape(e)) if np.size(gv) == np.size(e) \
                else np.asarray(gv, dtype=float)
            if np.shape(gv) != np.shape(e):
                return Disagreement(name, f"input {k}", (), math.nan, math.nan, math.inf, math.inf)
            if k in symmetric:
                gv = _symmetrized(gv)
            diff = np.abs(gv - e)
            diff = np.where(np.isnan(diff), np.inf, diff)
            excess = diff / (self.atol + self.rtol * np.maximum(np.abs(e), np.abs(np.nan_to_num(gv))))
            if np.all(excess <= 1):
                continue
            idx = np.unravel_index(int(np.argmax(excess)), np.shape(e)) if np.ndim(e) else ()
            actual, exp = float(gv[idx]), float(e[idx])
            error = abs(actual - exp)
            rel = error / max(abs(exp), np.finfo(float).tiny) if math.isfinite(error) else math.inf
            return Disagreement(name, f"input {k}", tuple(int(i) for i in idx), exp, actual, error, rel)
        return None

    def _message(self, call, g, failures, agreeing) -> str:
        lines = [f"VJP check failed for {self.label}"]
        for name, found in failures:
            if isinstance(found, str):
                lines += [f"  {_subject(name)} {found}", f"  input: {call!r}"]
                continue
            if math.isnan(found.expected):
                lines += [f"  {_subject(name)} has the wrong shape for {found.argument}", f"  input: {call!r}"]
                continue
            at = f"[{', '.join(map(str, found.coordinate))}]" if found.coordinate else ""
            lines += _disagreement_lines(name, found, agreeing, self.rtol, self.atol,
                                         [f"  argument: {found.argument}{at}", f"  input: {call!r}",
                                          f"  cotangent: {_show(g)}"])
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


class _TapeCannotRun(Exception):
    pass


def _symmetrized_tape(x):
    return (x + tp.transpose(x, (*range(x.ndim - 2), x.ndim - 1, x.ndim - 2))) * 0.5


def _op_forward(op: Op):
    def forward(*xs, **params):
        return apply(op, xs, params)
    forward.__name__ = f"tape op {op.name!r}"
    return forward


# ------------------------------------------------------------------------------ running

def _settings(max_examples, shrink: bool = True):
    base = settings.default
    n = base.max_examples if max_examples is None else max_examples
    checks = set(base.suppress_health_check) | {HealthCheck.filter_too_much, HealthCheck.too_slow,
                                               HealthCheck.data_too_large}
    # no "explain" phase: the lines it would point at are check_rule's, not the user's
    phases = [p for p in base.phases if p is not Phase.explain and (shrink or p is not Phase.shrink)]
    # one failure, an AssertionError, rather than a group of distinct ones
    return settings(base, max_examples=n, deadline=None, database=None, suppress_health_check=list(checks),
                    phases=phases, report_multiple_bugs=False)


def _run(check_one: Callable, strategy, *, max_examples=None, seed=None, what: str = "check_rule",
         shrink: bool = True):
    """Run ``check_one`` on values drawn from ``strategy``: under Hypothesis (shrinking a failure),
    or, inside a user's own @given test, on a few values drawn from that test's data."""
    if currently_in_test_context():
        data = current_build_context().data
        checked = 0
        for _ in range(min(POINTS_INSIDE_A_TEST, max_examples or POINTS_INSIDE_A_TEST)):
            value = data.draw(strategy)
            try:
                check_one(value)
                checked += 1
            except _NotHere:
                continue
        if not checked:
            reject()   # no usable point: the enclosing example is invalid, not failed
        return

    reasons: dict[str, int] = {}

    @_settings(max_examples, shrink)
    @given(strategy)
    def check_rule_examples(value):
        try:
            check_one(value)
        except _NotHere as exc:
            reasons[str(exc)] = reasons.get(str(exc), 0) + 1
            reject()

    run = hypothesis_seed(seed)(check_rule_examples) if seed is not None else check_rule_examples
    try:
        run()
    except Unsatisfiable:
        common = max(reasons, key=reasons.get) if reasons else "unknown"
        raise Unsatisfiable(f"{what}: no usable point was found in the domain (most often: {common}); "
                            f"declare where the function is defined and smooth with domain=..., and "
                            f"make sure it can be evaluated numerically (a NumPy printing method "
                            f"_numpycode, or _eval_evalf)") from None


# ------------------------------------------------------------------------------ check_rule

def check_rule(f, x=None, derivative=None, *, domain=None, dims=None, max_examples: int | None = None,
               rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL, rules: RuleTable | None = None,
               tie_policy: str = "first", params: dict | None = None, symmetric=(), witnesses=None,
               seed: int | None = None, shrink: bool = True) -> None:
    """Check a derivative or a vector-Jacobian rule over Hypothesis-generated inputs.

    Forms (see the module docstring): ``check_rule(expr, x, derivative)``,
    ``check_rule(head, args, vjp)``, ``check_rule(op, inputs)`` and
    ``check_rule(numpy_forward, inputs, numpy_vjp)``.

    ``domain``: where points are drawn — ``(lo, hi)`` for all variables, or
    ``{symbol: (lo, hi) | structure | strategy}``; by default from the
    symbols' assumptions (positive: (0.1, 3)) or (-2, 2).  ``dims``: sizes
    of symbolic matrix dimensions (drawn from 1..3 otherwise).
    ``max_examples``: points to try (default: the active Hypothesis profile's).
    ``rules``: the rule table symdiff's witness uses (to test a modified table).
    ``witnesses``: restrict to some of "symdiff", "tape", "sympy.diff".
    ``params``: fixed keyword parameters of a NumPy forward or tape op.
    ``symmetric``: variables (or input positions) whose gradient is w.r.t.
    a symmetric matrix.  ``seed``: a fixed Hypothesis seed.  ``shrink=False``
    reports the first failing input as found (faster, less readable).

    Raises ``AssertionError`` naming the argument, the input, the expected
    (finite differences) and actual values and the relative error.
    """
    if isinstance(f, Op):
        return _check_numpy(_op_forward(f), x if x is not None else op_inputs(f.name), None,
                            label=f"tape op {f.name!r}", claimed="tape", params=params, symmetric=symmetric,
                            max_examples=max_examples, rtol=rtol, atol=atol, seed=seed, shrink=shrink)
    if isinstance(f, type) and issubclass(f, sp.Basic):
        return _check_head(f, x, derivative, domain=domain, max_examples=max_examples, rtol=rtol, atol=atol,
                           rules=rules, tie_policy=tie_policy, witnesses=witnesses, seed=seed, shrink=shrink)
    if isinstance(f, (sp.Basic, str, Program)):
        if x is None:
            raise TypeError("check_rule(expr, x, ...): name the variables x to differentiate with respect to")
        checker = GradientChecker(f, x, derivative, rules=rules, rtol=rtol, atol=atol, tie_policy=tie_policy,
                                  symmetric=_structured_symmetric(domain, symmetric), witnesses=witnesses)
        strategy = values_for(checker.drawn, domain=domain, dims=dims)
        return _run(checker.check, strategy, max_examples=max_examples, seed=seed, shrink=shrink)
    if callable(f):
        if derivative is None:
            raise TypeError("check_rule(numpy_forward, inputs, vjp): a NumPy forward needs its VJP "
                            "(inputs, output, g) -> grads")
        return _check_numpy(f, x, derivative, label=getattr(f, "__name__", repr(f)), claimed="claimed VJP",
                            params=params, symmetric=symmetric, max_examples=max_examples, rtol=rtol,
                            atol=atol, seed=seed, shrink=shrink)
    raise TypeError(f"check_rule cannot check a {type(f).__name__}: pass a SymPy expression, a SymPy "
                    f"function class, a tape Op or a NumPy function")


def _structured_symmetric(domain, symmetric):
    out = list(symmetric or ())
    if isinstance(domain, dict):
        out += [s for s, d in domain.items() if d in ("symmetric", "spd")]
    return out


def _check_head(head, args, vjp, *, domain, max_examples, rtol, atol, rules, tie_policy, witnesses, seed,
                shrink):
    """A VJP rule for a head, checked in a context where the adjoint g is not 1:
    F = T + T²/2 with T = head(args), so dF/dT = 1 + T, and dF/dx_i is the
    rule's contribution for g = 1 + T, ans = T."""
    from ..reverse import DEFAULT_RULES

    if args is None:
        raise TypeError("check_rule(head, args, vjp): give the argument symbols")
    args = [args] if isinstance(args, (sp.Symbol, str)) else list(args)
    args = [sp.Symbol(a, real=True) if isinstance(a, str) else a for a in args]
    node = head(*args)
    if not isinstance(node, head):
        raise ValueError(f"{head.__name__}{tuple(args)} evaluates to {node}: choose argument symbols "
                         f"(with assumptions) on which it stays a {head.__name__} node")
    arg_rules = _per_argument(vjp, len(args))
    program = Program(inputs=args)
    T = program.let("T", node)
    program.let("F", T + T ** 2 / 2)
    g, ans = 1 + node, node
    claimed = []
    for i, r in enumerate(arg_rules):
        contribution = r(g, ans, *args) if r is not None else sp.Integer(0)
        claimed.append(sp.sympify(contribution))

    def rule(ctx: RuleContext):
        return [(a, r(ctx.g, ctx.ans, *ctx.args)) for a, r in zip(ctx.args, arg_rules) if r is not None]

    base = rules or DEFAULT_RULES
    with_claimed = RuleTable({**base.rules, head: rule}, dict(base.names))
    checker = GradientChecker(program, args, claimed, rules=rules, tie_policy=tie_policy, rtol=rtol, atol=atol,
                              rule_tables={"reverse pass with the claimed rule": with_claimed},
                              witnesses=witnesses, claimed_label="claimed rule",
                              function_label=f"T + T**2/2 with T = {sp.sstr(node)} (so g = 1 + T)")
    strategy = values_for(checker.drawn, domain=domain)
    return _run(checker.check, strategy, max_examples=max_examples, seed=seed, shrink=shrink)


def _per_argument(vjp, arity):
    """One rule per argument, from a sequence of rules or one rule returning all contributions."""
    if isinstance(vjp, (list, tuple)):
        if len(vjp) != arity:
            raise ValueError(f"{len(vjp)} rules given for {arity} arguments")
        return list(vjp)
    if arity == 1:
        return [vjp]

    def nth(i):
        def rule(g, ans, *args):
            out = vjp(g, ans, *args)
            if not isinstance(out, (list, tuple)) or len(out) != arity:
                raise ValueError(f"the rule must return {arity} contributions, one per argument; got {out!r}")
            return out[i]
        return rule

    return [nth(i) for i in range(arity)]


def _inputs_strategy(x, params, symmetric):
    """``x`` as a strategy of OpCall: a strategy (of OpCall, tuples or arrays), a shape, or a list of them."""
    from .strategies import arrays

    def as_call(value):
        if isinstance(value, OpCall):
            return value if not symmetric else OpCall(value.inputs, value.params,
                                                      tuple(set(value.symmetric) | set(symmetric)), value.argnums)
        inputs = value if isinstance(value, tuple) else (value,)
        return OpCall(tuple(np.asarray(v, dtype=float) for v in inputs), dict(params or {}), tuple(symmetric))

    if isinstance(x, st.SearchStrategy):
        return x.map(as_call)
    if isinstance(x, tuple) and all(isinstance(d, int) for d in x):
        return arrays(x).map(as_call)
    if isinstance(x, (list, tuple)):
        parts = [p if isinstance(p, st.SearchStrategy) else arrays(tuple(p)) for p in x]
        return st.tuples(*parts).map(as_call)
    raise TypeError(f"cannot draw inputs from {x!r}: give a strategy, a shape or a list of them")


@st.composite
def _with_cotangent(draw, calls, forward):
    from .strategies import arrays

    call = draw(calls)
    try:
        with np.errstate(all="ignore"):
            shape = np.shape(forward(*call.inputs, **call.params))
    except Exception:
        shape = ()   # the check itself reports (or rejects) a forward that fails
    return call, draw(arrays(shape))


def _check_numpy(forward, x, vjp, *, label, claimed, params, symmetric, max_examples, rtol, atol, seed, shrink):
    if x is None:
        raise TypeError("check_rule(forward, inputs, ...): describe the inputs (a strategy or shapes)")
    if claimed == "tape":
        checker = VJPChecker(forward, None, rtol=rtol, atol=atol, label=label)
    else:
        checker = VJPChecker(forward, vjp, rtol=rtol, atol=atol, label=label, claimed_label=claimed)
    calls = _inputs_strategy(x, params, tuple(symmetric or ()))
    return _run(lambda pair: checker.check(*pair), _with_cotangent(calls, forward),
                max_examples=max_examples, seed=seed, shrink=shrink)
