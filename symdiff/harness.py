"""The witness harness: finite differences, tolerances, the comparison of two gradients, the kink rules.

Every check of a gradient against an independent witness goes through here:
``symdiff.crosscheck`` (``symdiff/witnesses.py``), ``gradcheck``
(``symdiff/check.py``), the training loop's pre-training check
(``symdiff/train/loop.py``) and ``symdiff.testing``'s ``GradientChecker`` and
``VJPChecker``.

* Finite differences: ``numeric_grad`` uses central differences with the step
  scaled to each coordinate (h = eps^(1/3)·max(1, |x_i|), the step that
  balances truncation error O(h²) against rounding error O(eps/h)), optionally
  improved by one Richardson extrapolation step (error O(h⁴), step
  eps^(1/5)·max(1, |x_i|)), each step made exactly representable at x
  (``representable_step``); ``central_difference`` is one coordinate's difference.  Differences are
  taken in float64: in float32 the rounding error eps/h ≈ 1e-7/1e-3 swamps the
  derivative (the complaint of PyTorch issue #8659).
* Comparison: two gradients agree entrywise when |a - b| <= atol + rtol·scale,
  the scale being max(|a|, |b|) (two witnesses, neither the reference) or |b|
  (against a reference b); a NaN counts as infinitely far, an infinite scale
  as none.  ``mismatch`` names the entry that exceeds its tolerance the most.
* Kinks: a node is at a kink where the argument of a kinked head (|x|, sign,
  Heaviside, ReLU, leaky ReLU: ``kinked_heads()``) is 0, where a max or min is
  attained by two arguments, or where a Piecewise condition is at its
  boundary.  There the witnesses are not compared.

Importing this module does not import SymPy (the kink rules load it when used).
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .errors import ShapeError

EPS = np.finfo(np.float64).eps
CENTRAL_STEP = EPS ** (1 / 3)
RICHARDSON_STEP = EPS ** (1 / 5)
TINY = np.finfo(np.float64).tiny
FLOAT_MAX = np.finfo(np.float64).max

# Two witnesses of one gradient agree to these (crosscheck, check_rule): Richardson-extrapolated
# central differences in float64 are good to ~1e-10 relative, so 1e-5 leaves a wide margin.
RTOL, ATOL = 1e-5, 1e-7
# gradcheck's (rtol, atol) by the dtype the analytic gradient was computed in: a float32 analytic
# gradient carries ~1e-7 relative rounding per op.
TOLERANCES = {np.dtype(np.float64): (1e-5, 1e-6), np.dtype(np.float32): (2e-3, 1e-4)}
# Kinks: crosscheck skips a point whose nodes sit at a kink (AT_KINK); check_rule also rejects
# points near one (NEAR_KINK), where the difference step would straddle it.
AT_KINK, NEAR_KINK = 1e-8, 1e-6


# ------------------------------------------------------------------------------ finite differences

def as_array(output) -> np.ndarray:
    """A tape Tensor's value, or the array itself."""
    value = getattr(output, "value", output)
    return np.asarray(value)


def argnums_tuple(argnums, n_args: int) -> tuple[int, ...]:
    numbers = (argnums,) if isinstance(argnums, (int, np.integer)) else tuple(argnums)
    return tuple(int(k) % n_args for k in numbers)


def representable_step(value: float, step: float) -> float:
    """``step`` rounded so that (value + h) - value == h exactly: the difference quotient then
    divides by the step actually taken."""
    return (value + step) - value


def central_difference(evaluate: Callable[[], float], x: np.ndarray, index, step: float) -> float:
    """(f(x + h e_i) - f(x - h e_i)) / 2h, with ``x`` (a float64 array that ``evaluate`` reads)
    changed in place at ``index`` and restored."""
    original = x[index]
    x[index] = original + step
    upper = evaluate()
    x[index] = original - step
    lower = evaluate()
    x[index] = original
    return (upper - lower) / (2 * step)


def numeric_grad(fn: Callable, args: Sequence, argnums=0, *, richardson: bool = False,
                 cotangent=None):
    """Central-difference gradient of fn(*args) with respect to the arguments ``argnums``.

    fn must return a single element, unless ``cotangent`` is given: then the
    gradient of ⟨cotangent, fn(*args)⟩ (a vector-Jacobian product) is returned.
    Returns one float64 array for an int argnums, a tuple for a tuple.
    """
    numbers = argnums_tuple(argnums, len(args))
    point = [np.array(a, dtype=np.float64) if k in numbers else a for k, a in enumerate(args)]
    if cotangent is None:
        size = as_array(fn(*point)).size
        if size != 1:
            raise ShapeError(f"numeric_grad: fn returns {size} elements; pass cotangent= of "
                             f"its shape to differentiate ⟨cotangent, fn⟩")

    def scalar() -> float:
        output = as_array(fn(*point)).astype(np.float64)
        if cotangent is None:
            return float(output.reshape(()))
        return float(np.vdot(cotangent, output))

    def difference(x, index, step):
        return central_difference(scalar, x, index, representable_step(x[index], step))

    gradients = []
    for k in numbers:
        x = point[k]
        gradient = np.empty(x.shape)
        for index in np.ndindex(*x.shape):
            scale = max(1.0, abs(float(x[index])))
            if richardson:
                h = RICHARDSON_STEP * scale
                coarse = difference(x, index, h)
                fine = difference(x, index, h / 2)
                gradient[index] = (4 * fine - coarse) / 3   # cancels the h² error term
            else:
                gradient[index] = difference(x, index, CENTRAL_STEP * scale)
        gradients.append(gradient)
    return gradients[0] if isinstance(argnums, (int, np.integer)) else tuple(gradients)


def finite(values) -> bool:
    """Every entry of every array finite."""
    return all(np.all(np.isfinite(np.asarray(v, dtype=float))) for v in values)


# ------------------------------------------------------------------------------ comparison

def _scale(actual, expected, relative_to: str):
    if relative_to == "both":
        return np.maximum(np.abs(actual), np.abs(expected))
    if relative_to == "expected":
        return np.abs(expected)
    raise ValueError(f"relative_to must be 'both' or 'expected', not {relative_to!r}")


def _tolerance(actual, expected, rtol, atol, relative_to):
    # an infinite scale (an infinite entry) gives no tolerance beyond the largest finite one: the
    # difference there is infinite or NaN, and must not agree
    return atol + rtol * np.minimum(_scale(actual, expected, relative_to), FLOAT_MAX)


def excess(actual, expected, rtol: float = RTOL, atol: float = ATOL, *, relative_to: str = "both") -> np.ndarray:
    """|actual - expected| / (atol + rtol·scale) per entry: at most 1 where they agree.

    scale is max(|actual|, |expected|) (``relative_to="both"``) or |expected|;
    a NaN or infinite difference counts as infinitely far.
    """
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    diff = np.abs(actual - expected)
    diff = np.where(np.isnan(diff), np.inf, diff)
    return diff / _tolerance(actual, expected, rtol, atol, relative_to)


def agree(actual, expected, rtol: float = RTOL, atol: float = ATOL, *, relative_to: str = "both") -> bool:
    """Every entry within its tolerance: ``excess`` at most 1 (computed without the division, as
    this runs for every witness at every point)."""
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    # a NaN difference compares False: no agreement
    return bool(np.all(np.abs(actual - expected) <= _tolerance(actual, expected, rtol, atol, relative_to)))


def relative_errors(actual, expected, floor: float, *, relative_to: str = "both") -> np.ndarray:
    """|actual - expected| / max(scale, floor) per entry (scale as in ``excess``)."""
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    return np.abs(actual - expected) / np.maximum(_scale(actual, expected, relative_to), floor)


def max_relative_error(actual, expected, floor: float, *, relative_to: str = "both") -> float:
    """The largest of ``relative_errors`` (0 for no entries; NaN if an entry is NaN)."""
    return float(np.max(relative_errors(actual, expected, floor, relative_to=relative_to), initial=0.0))


def worst_entry(errors) -> tuple:
    """The index of the largest entry (() for a 0-d array)."""
    errors = np.asarray(errors)
    if not errors.ndim:
        return ()
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(errors)), errors.shape))


@dataclass
class Mismatch:
    """The entry of a gradient that exceeds its tolerance the most."""

    coordinate: tuple
    expected: float
    actual: float
    abs_error: float
    rel_error: float     # relative to |expected|
    argument: str = ""   # which gradient, for messages


def mismatch(actual, expected, rtol: float = RTOL, atol: float = ATOL, *, relative_to: str = "both",
             argument: str = "") -> Mismatch | None:
    """None when ``actual`` agrees with ``expected`` (same shape) entry by entry, else the worst entry."""
    if agree(actual, expected, rtol, atol, relative_to=relative_to):
        return None
    errors = excess(actual, expected, rtol, atol, relative_to=relative_to)
    index = worst_entry(errors)
    got, want = float(np.asarray(actual, dtype=float)[index]), float(np.asarray(expected, dtype=float)[index])
    error = abs(got - want)
    rel = error / max(abs(want), TINY) if math.isfinite(error) else math.inf
    return Mismatch(index, want, got, error, rel, argument)


# ------------------------------------------------------------------------------ kinks

def kinked_heads(kind: str = "zero") -> tuple:
    """The heads declared with ``kink=kind`` (``symdiff.primitive``): "zero", not differentiable where
    their first argument is 0 (|x|, sign, Heaviside, ReLU, leaky ReLU ...), or "ties", not
    differentiable where two arguments attain the result (max, min)."""
    from .primitives import DECLARED   # here, not at the top: gradcheck's users need no SymPy

    return tuple(p.head for p in DECLARED.values() if p.kink == kind)


@dataclass(frozen=True)
class Kink:
    """Where one node is not differentiable: a part at 0 (kind "zero") or two parts attaining
    the extremum (kind "tie", of a max or a min)."""

    kind: str
    parts: tuple          # SymPy expressions, evaluated by the caller
    extremum: Callable | None = None   # np.maximum or np.minimum for a tie

    def where(self, values, tol: float) -> str:
        """How the node sits at its kink for these values of ``parts`` ("" where it does not)."""
        values = [np.asarray(getattr(v, "value", v), dtype=float) for v in values]   # (tape Tensors too)
        if self.kind == "zero":
            for part, v in zip(self.parts, values):
                if np.any(np.abs(v) <= tol):
                    return f"at {part} = 0"
            return ""
        best = functools.reduce(self.extremum, values)
        near = tol * np.maximum(1, np.abs(best))
        attained = sum(np.abs(v - best) <= near for v in values)   # per entry: arguments at the extremum
        return "has tied arguments" if np.any(attained > 1) else ""


def kink_of(expr) -> Kink | None:
    """The kink of the node ``expr``, or None for a head that is smooth where it is defined."""
    import sympy as sp

    if isinstance(expr, kinked_heads("zero")):
        return Kink("zero", (expr.args[0],))
    if isinstance(expr, kinked_heads("ties")):
        return Kink("tie", tuple(expr.args), np.minimum if isinstance(expr, sp.Min) else np.maximum)
    if isinstance(expr, sp.Piecewise):
        parts = tuple(c.lhs - c.rhs for _, c in expr.args if isinstance(c, sp.core.relational.Relational))
        return Kink("zero", parts) if parts else None
    return None
