"""The checkers behind ``check_rule``: one function's gradient several ways (``GradientChecker``)
and a NumPy forward's vector-Jacobian products (``VJPChecker``), each against finite differences.

Finite differences, the tolerances, the comparison and the kink rules are
``symdiff.harness``'s.  A point where the finite differences are unreliable (a
kink or a pole within the step: the Richardson and the plain central estimates
disagree, or a node at its kink) raises ``UnusablePoint``; a disagreement raises
``AssertionError`` naming the argument, the input, the expected and actual
values and the relative error.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

import numpy as np
import sympy as sp

from .. import tape as tp
from ..errors import EvaluationError, NoRuleError, SymdiffError
from ..functions import to_elementary
from ..closed_form import closed_forms
from ..harness import ATOL, NEAR_KINK, RTOL, Mismatch, agree, finite, kink_of, mismatch, numeric_grad
from ..program import Program, as_program
from ..rules.base import RuleTable
from ..witnesses import UnsupportedByTape
from .evaluation import ForwardTranslator, closed_form, expression_function, scalar_function, symmetrized
from .running import UnusablePoint
from .tape_inputs import OpCall

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


@dataclass
class _Witness:
    name: str
    gradients: Callable   # values -> list of arrays aligned with wrt


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
                 rtol: float = RTOL, atol: float = ATOL, tie_policy: str = "first",
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
        self.expr = closed_form(self.program)
        self.label = function_label or _describe(f, self.program)
        wanted = set(witnesses) if witnesses is not None else None

        def want(name):
            return wanted is None or name in wanted

        self.value = expression_function(self.params, self.expr)
        self.linear = self.program.linearized()
        self.translator = ForwardTranslator()
        # matrix programs have no kinked heads among symdiff's nodes; scalar ones are probed
        self._probes = self._kink_probes() if not self.matrix else []
        self.witnesses: list[_Witness] = []
        claimed = _aligned(derivative, self.wrt)
        if claimed is not None:
            fns = [expression_function(self.params, d) if d is not None else None for d in claimed]
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
            fns = [expression_function(self.params, g.closed_form(w)) for w in self.wrt]
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
        together = scalar_function(self.params, sp.Tuple(*ds))   # one lambdify for all partials

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
        """For each node with a kink, its kink and a function of the inputs giving the values of the
        kink's parts: built once from closed forms, so it needs no tape op."""
        closed, probes = closed_forms(self.linear.assignments), []
        for target, expr in self.linear.assignments:
            full = closed[target]
            kink = kink_of(full)
            if kink is not None:
                probes.append((f"{target} = {expr}", kink, scalar_function(self.params, sp.Tuple(*kink.parts))))
        return probes

    def _kinks(self, values) -> str:
        """A node at or near its kink at this point (|x| at 0, max with ties, a Piecewise at a boundary)."""
        for node, kink, probe in self._probes:
            where = kink.where(probe(*values), NEAR_KINK)
            if where:
                return f"{node} {where}"
        return ""

    def reference(self, values):
        """Finite differences at ``values``; raises UnusablePoint where they are unreliable."""
        def fn(*args):
            if self.symmetric:
                args = [symmetrized(a) if i in self.symmetric else a for i, a in enumerate(args)]
            return self.value(*args)

        try:
            value = fn(*values)
        except (EvaluationError, ValueError, ZeroDivisionError, OverflowError) as exc:
            raise UnusablePoint(f"f cannot be evaluated here: {exc}") from None
        if not finite([value]):
            raise UnusablePoint("f is not finite here")
        kink = self._kinks(values)
        if kink:
            raise UnusablePoint(f"not differentiable here: {kink}")
        try:
            with np.errstate(all="ignore"):
                fine = numeric_grad(fn, values, self.wrt_index, richardson=True)
                plain = numeric_grad(fn, values, self.wrt_index)
        except (EvaluationError, ValueError) as exc:
            raise UnusablePoint(f"f cannot be evaluated near this point: {exc}") from None
        if not finite(fine) or not finite(plain):
            raise UnusablePoint("f is not finite within the difference step")
        if not all(agree(a, b, self.rtol, self.atol) for a, b in zip(fine, plain)):
            raise UnusablePoint("finite differences disagree with themselves (a kink or pole nearby)")
        return [np.asarray(g, dtype=float) for g in fine]

    def check(self, values) -> None:
        """Compare every witness with finite differences at one point; AssertionError if one disagrees.

        Raises ``UnusablePoint`` (check_rule draws another point) where the
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
            if w.name == "sympy.diff" and not finite(got):
                # sympy.diff differentiates the elementary form, whose kinks a smooth primitive may hide
                # (softsign's |u| at u = 0 gives sign(u)/u * u = 0/0): it cannot witness this point
                continue
            found = self._compare(w.name, got, expected)
            if found:
                failures.append((w.name, found))
            else:
                agreeing.append(w.name)
        if failures:
            raise AssertionError(self._message(values, expected, failures, agreeing))

    def _compare(self, name, got, expected) -> Mismatch | str | None:
        for i, (g, e) in enumerate(zip(got, expected)):
            g = np.asarray(g, dtype=float)
            if g.shape != np.shape(e):
                if g.size != 1:   # a constant (a zero gradient) may come as a scalar; nothing else may
                    return (f"gives d f / d {self.wrt[i]} the shape {g.shape}, but {self.wrt[i]} has the "
                            f"shape {np.shape(e)}")
                g = np.broadcast_to(g.reshape(()), np.shape(e))
            if i in self.symmetric:
                g = symmetrized(g)
            found = mismatch(g, e, self.rtol, self.atol, argument=str(self.wrt[i]))
            if found is not None:
                return found
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

    def __init__(self, forward, vjp=None, *, rtol: float = RTOL, atol: float = ATOL,
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
            xs = [symmetrized(x) if i in call.symmetric else x for i, x in enumerate(xs)]
            return self.forward(*xs, **params)

        try:
            with np.errstate(all="ignore"):
                output = np.asarray(fn(*inputs), dtype=float)
        except (EvaluationError, ValueError, np.linalg.LinAlgError) as exc:
            raise UnusablePoint(f"the forward cannot be evaluated here: {exc}") from None
        if not finite([output]):
            raise UnusablePoint("the forward is not finite here")
        g = np.ones(output.shape) if cotangent is None else np.broadcast_to(cotangent, output.shape)
        with np.errstate(all="ignore"):
            fine = numeric_grad(fn, inputs, argnums, richardson=True, cotangent=g)
            plain = numeric_grad(fn, inputs, argnums, cotangent=g)
        if not (finite(fine) and finite(plain)):
            raise UnusablePoint("the forward is not finite within the difference step")
        if not all(agree(a, b, self.rtol, self.atol) for a, b in zip(fine, plain)):
            raise UnusablePoint("finite differences disagree with themselves (a kink or pole nearby)")
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
                return f"has the wrong shape for input {k}"
            if k in symmetric:
                gv = symmetrized(gv)
            found = mismatch(gv, e, self.rtol, self.atol, argument=f"input {k}")
            if found is not None:
                return found
        return None

    def _message(self, call, g, failures, agreeing) -> str:
        lines = [f"VJP check failed for {self.label}"]
        for name, found in failures:
            if isinstance(found, str):
                lines += [f"  {_subject(name)} {found}", f"  input: {call!r}"]
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
