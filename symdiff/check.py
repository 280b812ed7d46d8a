"""Finite-difference gradients and a gradient checker whose failures read like test failures.

``numeric_grad`` uses central differences with the step scaled to each
coordinate (h = eps^(1/3)·max(1, |x_i|), the step that balances truncation
error O(h²) against rounding error O(eps/h)), optionally improved by one
Richardson extrapolation step (error O(h⁴), step eps^(1/5)·max(1, |x_i|)).
Differences are always taken in float64: in float32 the rounding error
eps/h ≈ 1e-7/1e-3 swamps the derivative (the complaint of PyTorch issue #8659).

``gradcheck`` compares an analytic gradient — by default the tape's — with
the numeric one and returns a ``GradcheckReport`` naming, per argument, the
worst coordinate and both values there.  Array-valued functions are checked
through a vector-Jacobian product with a random (seeded) cotangent.

Importing this module does not import SymPy.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from symdiff.errors import ShapeError
from symdiff.tape import Tensor, value_and_grad, vjp

_EPS = np.finfo(np.float64).eps
CENTRAL_STEP = _EPS ** (1 / 3)
RICHARDSON_STEP = _EPS ** (1 / 5)

# (rtol, atol) by the dtype the analytic gradient was computed in.  Central
# differences in float64 are good to ~1e-10 relative, so 1e-5 leaves a wide
# margin; a float32 analytic gradient carries ~1e-7 relative rounding per op.
TOLERANCES = {np.dtype(np.float64): (1e-5, 1e-6), np.dtype(np.float32): (2e-3, 1e-4)}


def _as_array(output) -> np.ndarray:
    return np.asarray(output.value if isinstance(output, Tensor) else output)


def _argnums_tuple(argnums, n_args: int) -> tuple[int, ...]:
    numbers = (argnums,) if isinstance(argnums, (int, np.integer)) else tuple(argnums)
    return tuple(int(k) % n_args for k in numbers)


def numeric_grad(fn: Callable, args: Sequence, argnums=0, *, richardson: bool = False,
                 cotangent=None):
    """Central-difference gradient of fn(*args) with respect to the arguments ``argnums``.

    fn must return a single element, unless ``cotangent`` is given: then the
    gradient of ⟨cotangent, fn(*args)⟩ (a vector-Jacobian product) is returned.
    Returns one float64 array for an int argnums, a tuple for a tuple.
    """
    numbers = _argnums_tuple(argnums, len(args))
    point = [np.array(a, dtype=np.float64) if k in numbers else a for k, a in enumerate(args)]
    if cotangent is None:
        size = _as_array(fn(*point)).size
        if size != 1:
            raise ShapeError(f"numeric_grad: fn returns {size} elements; pass cotangent= of "
                             f"its shape to differentiate ⟨cotangent, fn⟩")

    def scalar() -> float:
        output = _as_array(fn(*point)).astype(np.float64)
        if cotangent is None:
            return float(output.reshape(()))
        return float(np.vdot(cotangent, output))

    def central_difference(x: np.ndarray, index, step: float) -> float:
        original = x[index]
        step = (original + step) - original   # a step exactly representable at this x
        x[index] = original + step
        upper = scalar()
        x[index] = original - step
        lower = scalar()
        x[index] = original
        return (upper - lower) / (2 * step)

    gradients = []
    for k in numbers:
        x = point[k]
        gradient = np.empty(x.shape)
        for index in np.ndindex(*x.shape):
            scale = max(1.0, abs(float(x[index])))
            if richardson:
                h = RICHARDSON_STEP * scale
                coarse = central_difference(x, index, h)
                fine = central_difference(x, index, h / 2)
                gradient[index] = (4 * fine - coarse) / 3   # cancels the h² error term
            else:
                gradient[index] = central_difference(x, index, CENTRAL_STEP * scale)
        gradients.append(gradient)
    return gradients[0] if isinstance(argnums, (int, np.integer)) else tuple(gradients)


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
        relative = error / max(abs(self.numeric_at_worst), np.finfo(np.float64).tiny)
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


def _compare(argnum: int, analytic, numeric: np.ndarray, dtype: np.dtype,
             rtol: float, atol: float) -> ArgumentCheck:
    check = ArgumentCheck(argnum, numeric.shape, dtype, rtol, atol)
    analytic = np.asarray(_as_array(analytic), dtype=np.float64)
    if analytic.shape != numeric.shape:
        check.ok = False
        check.problem = (f"the analytic gradient has shape {analytic.shape}, "
                         f"expected {numeric.shape}")
        return check
    if numeric.size == 0:
        return check
    abs_err = np.abs(analytic - numeric)
    abs_err = np.where(np.isnan(abs_err), np.inf, abs_err)   # NaN must count as a failure
    rel_err = abs_err / np.maximum(np.abs(numeric), np.finfo(np.float64).tiny)
    excess = abs_err / (atol + rtol * np.abs(numeric))
    worst = np.unravel_index(int(np.argmax(excess)), numeric.shape)
    check.max_abs_err = float(abs_err.max())
    check.max_rel_err = float(rel_err.max())
    check.worst_index = tuple(int(i) for i in worst)
    check.analytic_at_worst = float(analytic[worst])
    check.numeric_at_worst = float(numeric[worst])
    check.ok = bool(excess[worst] <= 1)
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
                        if np.issubdtype(_as_array(a).dtype, np.floating))
    numbers = _argnums_tuple(argnums, len(args))
    output = _as_array(fn(*args))
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
        dtype = _as_array(args[k]).dtype
        default_rtol, default_atol = TOLERANCES.get(dtype, TOLERANCES[np.dtype(np.float64)])
        if dtype == np.float32:
            warnings.append(
                f"argument {k} is float32: finite differences in float32 are unreliable "
                f"(rounding error eps/h dominates, cf. PyTorch issue #8659), so the numeric "
                f"gradient was computed in float64 instead and compared with float32 "
                f"tolerances (rtol {rtol or default_rtol:g}, atol {atol or default_atol:g})")
        checks.append(_compare(k, a, n, dtype,
                               default_rtol if rtol is None else rtol,
                               default_atol if atol is None else atol))
    method = ("central differences with Richardson extrapolation, h = eps^(1/5)·max(1,|x|)"
              if richardson else "central differences, h = eps^(1/3)·max(1,|x|)")
    return GradcheckReport(checks, method, warnings, note)
