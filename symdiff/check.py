"""A gradient checker whose failures read like test failures.

``gradcheck`` compares an analytic gradient — by default the tape's — with
central differences (``numeric_grad`` of ``symdiff.harness``, re-exported
here) and returns a ``GradcheckReport`` naming, per argument, the worst
coordinate and both values there.  Array-valued functions are checked
through a vector-Jacobian product with a random (seeded) cotangent.  The
tolerances follow the dtype of the analytic gradient (``TOLERANCES``).

Importing this module does not import SymPy.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from .errors import ShapeError
from .harness import (CENTRAL_STEP, RICHARDSON_STEP, TINY, TOLERANCES, argnums_tuple, as_array, excess,
                      numeric_grad, worst_entry)
from .tape import value_and_grad, vjp

__all__ = ["ArgumentCheck", "GradcheckReport", "gradcheck", "numeric_grad", "CENTRAL_STEP", "RICHARDSON_STEP",
           "TOLERANCES"]


@dataclass
class ArgumentCheck:
    """One argument's comparison; the worst coordinate exceeds its tolerance the most."""

    argnum: int
    shape: tuple[int, ...]
    dtype: np.dtype
    rtol: float
    atol: float
    max_abs_err: float = 0.0
    max_rel_err: float = 0.0
    worst_index: tuple[int, ...] | None = None
    analytic_at_worst: float | None = None
    numeric_at_worst: float | None = None
    ok: bool = True
    problem: str = ""   # set when the analytic gradient cannot be compared at all

    def __str__(self) -> str:
        head = f"argument {self.argnum} (shape {self.shape}, {self.dtype})"
        if self.problem:
            return f"{head}: {self.problem}"
        if self.worst_index is None:
            return f"{head}: ok (no entries)"
        where = (f"coordinate {self.worst_index}: analytic {self.analytic_at_worst:.6g}, "
                 f"numeric {self.numeric_at_worst:.6g}")
        if self.ok:
            return (f"{head}: ok, max abs err {self.max_abs_err:.1e}, "
                    f"max rel err {self.max_rel_err:.1e} (worst at {where})")
        error = abs(self.analytic_at_worst - self.numeric_at_worst)
        relative = error / max(abs(self.numeric_at_worst), TINY)
        return (f"{head}, {where}, abs err {error:.1e}, rel err {relative:.1e} "
                f"> rtol {self.rtol:g} (atol {self.atol:g}); "
                f"max abs err {self.max_abs_err:.1e}, max rel err {self.max_rel_err:.1e}")


@dataclass
class GradcheckReport:
    """Outcome of gradcheck: one ArgumentCheck per differentiated argument, plus warnings."""

    arguments: list[ArgumentCheck]
    method: str
    warnings: list[str] = field(default_factory=list)
    cotangent_note: str = ""

    @property
    def ok(self) -> bool:
        return all(a.ok for a in self.arguments)

    def __str__(self) -> str:
        failed = [a for a in self.arguments if not a.ok]
        if failed:
            head = (f"gradcheck FAILED: {len(failed)} of {len(self.arguments)} argument(s) "
                    f"disagree with {self.method}")
        else:
            head = f"gradcheck passed: {len(self.arguments)} argument(s) agree with {self.method}"
        lines = [head]
        if self.cotangent_note:
            lines.append(self.cotangent_note)
        lines += [f"  {a}" for a in failed + [a for a in self.arguments if a.ok]]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def raise_if_failed(self) -> None:
        """Raise AssertionError carrying the report's text if any argument disagrees."""
        if not self.ok:
            raise AssertionError(str(self))


def _argument_check(argnum: int, analytic, numeric: np.ndarray, dtype: np.dtype,
                    rtol: float, atol: float) -> ArgumentCheck:
    check = ArgumentCheck(argnum, numeric.shape, dtype, rtol, atol)
    analytic = np.asarray(as_array(analytic), dtype=np.float64)
    if analytic.shape != numeric.shape:
        check.ok = False
        check.problem = (f"the analytic gradient has shape {analytic.shape}, "
                         f"expected {numeric.shape}")
        return check
    if numeric.size == 0:
        return check
    abs_err = np.abs(analytic - numeric)
    abs_err = np.where(np.isnan(abs_err), np.inf, abs_err)   # NaN must count as a failure
    rel_err = abs_err / np.maximum(np.abs(numeric), TINY)
    # relative to the numeric gradient, the reference
    errors = excess(analytic, numeric, rtol, atol, relative_to="expected")
    worst = worst_entry(errors)
    check.max_abs_err = float(abs_err.max())
    check.max_rel_err = float(rel_err.max())
    check.worst_index = worst
    check.analytic_at_worst = float(analytic[worst])
    check.numeric_at_worst = float(numeric[worst])
    check.ok = bool(errors[worst] <= 1)
    return check


def gradcheck(fn: Callable, args: Sequence, grads=None, argnums=None, rtol: float | None = None,
              atol: float | None = None, *, richardson: bool = False,
              seed: int = 0) -> GradcheckReport:
    """Compare an analytic gradient of fn(*args) with central differences.

    grads: None — differentiate fn on the tape (fn must be written with
    symdiff.tape functions, or with NumPy operators only); a callable
    ``grads(*args)`` returning one gradient per checked argument (for an
    array-valued fn it is called as ``grads(*args, cotangent=u)`` and must
    return the vector-Jacobian product); or the gradients themselves.
    argnums: int or tuple; by default every floating-point argument.
    rtol/atol: by default from the arguments' dtype (see TOLERANCES).
    """
    args = list(args)
    if argnums is None:
        argnums = tuple(k for k, a in enumerate(args)
                        if np.issubdtype(as_array(a).dtype, np.floating))
    numbers = argnums_tuple(argnums, len(args))
    output = as_array(fn(*args))
    cotangent, note = None, ""
    if output.size != 1:
        cotangent = np.random.default_rng(seed).standard_normal(output.shape)
        note = (f"fn returns shape {output.shape}: checked the vector-Jacobian product with a "
                f"random normal cotangent (seed {seed})")

    if grads is None:
        if cotangent is None:
            analytic = value_and_grad(fn, numbers)(*args)[1]
        else:
            analytic = vjp(fn, *args, argnums=numbers)[1](cotangent.astype(output.dtype))
    elif callable(grads):
        analytic = grads(*args) if cotangent is None else grads(*args, cotangent=cotangent)
    else:
        analytic = grads
    if len(numbers) == 1 and not isinstance(analytic, (tuple, list)):
        analytic = (analytic,)
    if len(analytic) != len(numbers):
        raise ShapeError(f"gradcheck: got {len(analytic)} analytic gradients for "
                         f"{len(numbers)} checked arguments {numbers}")

    numeric = numeric_grad(fn, args, numbers, richardson=richardson, cotangent=cotangent)
    warnings = []
    checks = []
    for k, a, n in zip(numbers, analytic, numeric):
        dtype = as_array(args[k]).dtype
        default_rtol, default_atol = TOLERANCES.get(dtype, TOLERANCES[np.dtype(np.float64)])
        if dtype == np.float32:
            warnings.append(
                f"argument {k} is float32: finite differences in float32 are unreliable "
                f"(rounding error eps/h dominates, cf. PyTorch issue #8659), so the numeric "
                f"gradient was computed in float64 instead and compared with float32 "
                f"tolerances (rtol {rtol or default_rtol:g}, atol {atol or default_atol:g})")
        checks.append(_argument_check(k, a, n, dtype,
                               default_rtol if rtol is None else rtol,
                               default_atol if atol is None else atol))
    method = ("central differences with Richardson extrapolation, h = eps^(1/5)·max(1,|x|)"
              if richardson else "central differences, h = eps^(1/3)·max(1,|x|)")
    return GradcheckReport(checks, method, warnings, note)
