"""Training on compiled symbolic gradients: objectives, optimizers, clipping and the loop.

The lecture reduces learning to differentiation ("Сведение задачи обучения к
задаче дифференцирования"): in training mode
E_train(a) = E(f(x_1, a), ..., f(x_|D|, a), y_1, ..., y_|D|), the x fixed by
the error function and the parameters a varied by the minimizer.  An
``Objective`` is that E as a symdiff program, differentiated once with
``symdiff.gradient`` and compiled once with ``symdiff.compile``; one call of
the compiled function evaluates a whole batch (scalar programs broadcast over
sample arrays, matrix programs take the batch as the rows of a matrix), so
there is no Python loop over samples.

``fit`` runs full-batch or mini-batch gradient descent (plain, momentum or
Adam), with the lecture's gradient clipping ("Подрезка градиента"), early
stopping, a tqdm progress bar, loud divergence (``DivergenceError`` names the
step and the parameter) and, before the first step, a check of the symbolic
gradient against the independent tape engine and finite differences
(``GradientCheckError`` if they disagree).
"""
from __future__ import annotations

import contextlib
import math
import operator
import sys
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np
import sympy as sp

from ..codegen import compile as compile_program
from .. import tape as tp
from ..errors import SymdiffError
from ..harness import central_difference, excess, max_relative_error, relative_errors, worst_entry
from ..program import Program, as_program
from ..reverse import gradient
from ..witnesses import TapeTranslator
from .backends import check_backend, check_sample, compiled_for, default_backend, materialized, prepare_data
from . import data
from .data import batch_size
from .errors import DivergenceError, GradientCheckError, TrainingError

REDUCTIONS = ("mean", "none")


def _getter(names: tuple) -> Callable:
    """mapping -> tuple of its values at ``names`` (operator.itemgetter, always a tuple)."""
    if not names:
        return lambda mapping: ()
    if len(names) == 1:
        name = names[0]
        return lambda mapping: (mapping[name],)
    return operator.itemgetter(*names)


class Objective:
    """A loss program compiled once: value and gradient of a whole batch per call.

    ``params`` are the trainable inputs, ``data`` the per-sample inputs (arrays
    with the samples on axis 0), ``noise`` inputs drawn afresh at every step
    (dropout masks: ``noise[name](rng, n)`` in training, ``noise[name](None, n)``
    in evaluation), ``constants`` fixed values.  With ``reduction="mean"`` the
    program's value is a sum (matrix programs) or per-sample values (scalar
    programs) and the loss is its total divided by the batch size; with
    ``"none"`` the program's value already is the batch loss (the soft F1).
    """

    def __init__(self, program, params, data, *, noise: Mapping[str, Callable] | None = None,
                 constants: Mapping[str, float] | None = None, reduction: str = "mean",
                 name: str = "", backend: str = "numpy"):
        if reduction not in REDUCTIONS:
            raise TrainingError(f"unknown reduction {reduction!r}; choose one of {', '.join(REDUCTIONS)}")
        self.program: Program = as_program(program)
        self.param_names = tuple(params)
        self.data_names = tuple(data)
        self.noise = dict(noise or {})
        self.constants = {k: float(v) for k, v in (constants or {}).items()}
        self.reduction = reduction
        self.name = name
        self.arg_names = self.data_names + tuple(self.noise) + tuple(self.constants) + self.param_names
        known = {s.name for s in self.program.inputs}
        unknown = [p for p in self.param_names if p not in known]
        if unknown:
            raise TrainingError(f"parameters {', '.join(unknown)} are not inputs of the loss program "
                                f"(inputs: {', '.join(sorted(known))})")
        self.gradient = gradient(self.program, list(self.param_names))
        self.backend = check_backend(backend)
        if backend == "numpy":
            self._value_and_grad = compile_program(self.gradient, list(self.arg_names))
            # without argument conversion and shape checks: for fit's steps after the first (checked) one
            self._unchecked_value_and_grad = compile_program(self.gradient, list(self.arg_names), checked=False)
            self._value = compile_program(self.program, list(self.arg_names))
        else:  # jitted JAX, or Dask over row chunks (symdiff/train/backends.py)
            self._value_and_grad, self._unchecked_value_and_grad, self._value = compiled_for(
                backend, self.gradient, self.program, self.arg_names)
        self._tape = None
        # a scalar program broadcasts over the samples: its value and gradients come per sample
        self._per_sample = not any(isinstance(s, sp.MatrixSymbol) for s in self.program.inputs)
        self._constant_values = list(self.constants.values())
        self._data_of, self._noise_of, self._params_of = (_getter(names) for names in (
            self.data_names, tuple(self.noise), self.param_names))

    def on_backend(self, backend: str) -> "Objective":
        """The same objective compiled for another backend ("numpy", "jax", "dask")."""
        return Objective(self.program, self.param_names, self.data_names, noise=self.noise,
                         constants=self.constants, reduction=self.reduction, name=self.name, backend=backend)

    def __repr__(self):
        return (f"<Objective {self.name or self.program.output}: params {list(self.param_names)}, "
                f"data {list(self.data_names)}>")

    # -- evaluation ----------------------------------------------------------------------
    def _noise_values(self, n: int, rng) -> dict:
        return {name: draw(rng, n) for name, draw in self.noise.items()}

    def _args(self, params, batch, noise) -> list:
        try:
            if self.noise:
                return [*self._data_of(batch), *self._noise_of(noise), *self._constant_values,
                        *self._params_of(params)]
            return [*self._data_of(batch), *self._constant_values, *self._params_of(params)]
        except KeyError:
            given = {**batch, **(noise or {}), **params}
            missing = [a for a in self.arg_names if a not in given and a not in self.constants]
            raise TrainingError(f"no value for {', '.join(missing)} of the loss program") from None

    def _scale(self, n: int) -> float:
        return 1.0 / n if self.reduction == "mean" else 1.0

    def value_and_grad(self, params: Mapping, batch: Mapping, noise: Mapping | None = None, *,
                       n: int | None = None, checked: bool = True):
        """(loss, {param: gradient}) on one batch (n samples); new arrays, never views of the inputs.

        ``checked=False`` skips converting the arrays and checking their shapes:
        only for arrays already seen to fit (``fit`` after its first step).
        """
        # called once per step: kept lean, its overhead counts against small batches
        if n is None:
            n = batch_size(batch)
        if noise is None and self.noise:
            noise = self._noise_values(n, None)
        compiled = self._value_and_grad if checked else self._unchecked_value_and_grad
        value, grads = compiled(*self._args(params, batch, noise))
        scale = 1.0 / n if self.reduction == "mean" else 1.0
        if self._per_sample:
            return float(value.sum()) * scale, {k: g.sum() * scale for k, g in zip(self.param_names, grads)}
        # a matrix program's value is already one number (a sum, or a 1 x 1 matrix such as eᵀe)
        try:
            loss = float(value)
        except TypeError:   # NumPy 2 converts only 0-d arrays with float()
            loss = value.item()
        return loss * scale, {k: g * scale for k, g in zip(self.param_names, grads)}

    def value(self, params: Mapping, batch: Mapping, noise: Mapping | None = None) -> float:
        """The loss only (evaluation mode: dropout masks are all ones unless ``noise`` is given)."""
        n = batch_size(batch)
        if noise is None:
            noise = self._noise_values(n, None)
        return float(np.sum(self._value(*self._args(params, batch, noise)))) * self._scale(n)

    # -- the independent witness ---------------------------------------------------------
    def tape_gradient(self, params: Mapping, batch: Mapping, noise: Mapping) -> dict:
        """The same loss's gradient by the tape engine, which sees only the forward program.

        The forward operations are mapped to tape ops by ``symdiff.witnesses``'
        translator; the tape's derivative rules are its own, so agreement is
        evidence, not a tautology.
        """
        if self._tape is None:
            linear = self.program.linearized()
            self._tape = (linear, TapeTranslator(linear))
        linear, translator = self._tape
        n = batch_size(batch)
        fixed = {**batch, **noise, **self.constants}
        symbols = {s.name: s for s in linear.inputs}
        scale = self._scale(n)

        def loss(*param_values):
            env = {symbols[k]: np.asarray(v, dtype=np.float64) for k, v in fixed.items() if k in symbols}
            env.update({symbols[k]: v for k, v in zip(self.param_names, param_values)})
            translator(env)
            return tp.sum(env[linear.output]) * scale

        grads = tp.grad(loss, argnums=tuple(range(len(self.param_names))))(
            *[np.asarray(params[k], dtype=np.float64) for k in self.param_names])
        return {k: np.asarray(g, dtype=np.float64) for k, g in zip(self.param_names, grads)}


# -- the first-step gradient check ---------------------------------------------------------

@dataclass
class GradientCheck:
    """Symbolic gradient against the tape (every coordinate) and finite differences (a few)."""

    tape_max_rel_error: float | None = None
    fd_max_rel_error: float = 0.0
    fd_coordinates: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def __str__(self):
        tape = ("tape skipped" if self.tape_max_rel_error is None
                else f"tape max rel error {self.tape_max_rel_error:.2g}")
        head = (f"gradient check: {tape}, finite differences on {self.fd_coordinates} coordinates "
                f"max rel error {self.fd_max_rel_error:.2g}")
        return "\n".join([head] + [f"  {p}" for p in self.problems] + [f"  note: {n}" for n in self.notes])


def _index(flat, shape) -> tuple:
    return tuple(int(i) for i in np.unravel_index(int(flat), shape)) if shape else ()


def _where(index: tuple) -> str:
    return f"[{', '.join(map(str, index))}]" if index else ""


def check_gradient(objective: Objective, params: Mapping, batch: Mapping, noise: Mapping | None = None, *,
                   coordinates: int = 3, seed: int = 0, rtol: float = 1e-6, fd_rtol: float = 1e-3,
                   fd_step: float = 1e-6, grads: Mapping | None = None) -> GradientCheck:
    """Compare the compiled gradient with the tape and with central differences.

    Against the tape every coordinate must agree to ``rtol``, or absolutely to
    1e-13 of the largest gradient entry (so exact zeros against rounding noise
    pass, while a vanishing gradient of 1e-6 is still checked to 1e-7 of itself; a NaN
    is left to ``fit``'s divergence check).  Finite differences and comparisons are
    ``symdiff.harness``'s; the step is small (``fd_step``, 1e-6 relative) so a ReLU kink
    is seldom straddled, and their tolerance is loose (``fd_rtol``, plus 1e-7 of the
    loss): they guard against gross errors in both engines at once, the tape
    is the precise witness.  ``coordinates`` of each parameter are picked at
    random with ``seed``.
    """
    n = batch_size(batch)
    if noise is None:
        noise = objective._noise_values(n, None)
    if grads is None:
        _, grads = objective.value_and_grad(params, batch, noise)
    report = GradientCheck()
    try:
        tape = objective.tape_gradient(params, batch, noise)
    except SymdiffError as exc:  # a head the translator does not know, or NaN in the tape's backward pass
        report.notes.append(f"tape witness skipped: {exc}")
        tape = None
    if tape is not None:
        worst = 0.0
        # |symbolic - tape| <= max(rtol * |entry|, atol) with atol = 1e-13 of the largest
        # gradient entry: an exact zero on one side and rounding noise on the other is agreement
        atol = 1e-13 * max((float(np.max(np.abs(t), initial=0.0)) for t in tape.values()), default=0.0)
        floor = max(atol / rtol, 1e-300)
        for name in objective.param_names:
            g, t = np.asarray(grads[name]), np.asarray(tape[name])
            if g.shape != t.shape:
                report.problems.append(f"d/d{name}: symbolic shape {g.shape}, tape shape {t.shape}")
                continue
            err = max_relative_error(g, t, floor)   # (a NaN is left to fit's divergence check)
            worst = max(worst, err)
            if err > rtol:
                index = worst_entry(relative_errors(g, t, floor, relative_to="expected"))
                report.problems.append(f"d/d{name}{_where(index)}: symbolic {float(g[index]):.10g}, "
                                       f"tape {float(t[index]):.10g} (rel error {err:.2g} > {rtol:g})")
        report.tape_max_rel_error = worst

    rng = np.random.default_rng(seed)
    base = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    loss_scale = max(1.0, abs(objective.value(base, batch, noise)))
    for name in objective.param_names:
        x = base[name]
        g = np.asarray(grads[name])
        picks = rng.choice(x.size, size=min(coordinates, x.size), replace=False)
        for flat in picks:
            index = _index(flat, x.shape)
            numeric = central_difference(lambda: objective.value(base, batch, noise), x, index,
                                         fd_step * max(1.0, abs(float(x[index]))))
            analytic = float(g[index])
            report.fd_coordinates += 1
            err = max_relative_error(numeric, analytic, 1e-3 * loss_scale)
            report.fd_max_rel_error = max(report.fd_max_rel_error, err)
            # relative to the analytic value; the rounding of the two loss values is about
            # eps*|loss|/h: allow 1e-7*|loss| absolutely
            if not excess(numeric, analytic, fd_rtol, 1e-7 * loss_scale, relative_to="expected") <= 1:
                report.problems.append(f"d/d{name}{_where(index)}: symbolic {analytic:.10g}, "
                                       f"finite differences {numeric:.10g}")
    return report


# -- optimizers ------------------------------------------------------------------------------

class Optimizer:
    """Gradient descent a := a - lr_t * direction; lr_t = lr / (1 + decay * t) (inverse-time decay)."""

    name = "sgd"

    def __init__(self, lr: float = 0.1, *, decay: float = 0.0):
        if not lr > 0:
            raise TrainingError(f"learning rate must be positive, got {lr}")
        self.lr = lr
        self.decay = decay
        self.t = 0

    def rate(self) -> float:
        return self.lr / (1.0 + self.decay * self.t)

    def step(self, params: dict, grads: Mapping) -> None:
        lr = self.rate()
        self.t += 1
        for name, g in grads.items():
            params[name] -= lr * self.direction(name, g)

    def direction(self, name, g):
        return g


class SGD(Optimizer):
    """Plain gradient descent: the lecture's w[k+1] := w[k] - η ∇L."""


class Momentum(Optimizer):
    """Heavy-ball momentum: v := beta v + g, a := a - lr v."""

    name = "momentum"

    def __init__(self, lr: float = 0.1, beta: float = 0.9, *, decay: float = 0.0):
        super().__init__(lr, decay=decay)
        self.beta = beta
        self.velocity: dict = {}

    def direction(self, name, g):
        v = self.velocity.get(name)
        if v is None:
            v = self.velocity[name] = np.array(g, dtype=np.float64)
        else:
            v *= self.beta
            v += g
        return v


class Adam(Optimizer):
    """Adam (Kingma and Ba 2015) with bias-corrected moment estimates.

    Written in the paper's efficient form lr_t = lr sqrt(1 - b2^t) / (1 - b1^t),
    a := a - lr_t m / (sqrt(v) + eps sqrt(1 - b2^t)), algebraically the same
    step as lr m_hat / (sqrt(v_hat) + eps), with fewer passes over the arrays.
    """

    name = "adam"

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8, *,
                 decay: float = 0.0):
        super().__init__(lr, decay=decay)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.m: dict = {}
        self.v: dict = {}

    def step(self, params: dict, grads: Mapping) -> None:
        lr = self.rate()
        self.t += 1
        b1, b2, t = self.beta1, self.beta2, self.t
        correction = math.sqrt(1 - b2 ** t)
        lr_t, eps_t = lr * correction / (1 - b1 ** t), self.eps * correction
        for name, g in grads.items():
            m, v = self.m.get(name), self.v.get(name)
            if m is None:
                m = self.m[name] = np.zeros(np.shape(g))
                v = self.v[name] = np.zeros(np.shape(g))
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * (g * g)
            params[name] -= lr_t * m / (np.sqrt(v) + eps_t)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def make_optimizer(name: str, lr: float, **options) -> Optimizer:
    cls = OPTIMIZERS.get(name)
    if cls is None:
        raise TrainingError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}")
    return cls(lr, **options)


# -- gradient clipping ("Подрезка градиента") ------------------------------------------------------

def global_norm(grads: Mapping) -> float:
    return math.sqrt(sum(float(np.vdot(g, g)) for g in grads.values()))


def clip_by_global_norm(grads: Mapping, c: float) -> dict:
    """The lecture's global clipping: ||g|| > c  =>  g_new = c * g_old / ||g||, over all parameters."""
    norm = global_norm(grads)
    if norm <= c:
        return dict(grads)
    return {k: g * (c / norm) for k, g in grads.items()}


def clip_by_value(grads: Mapping, c: float) -> dict:
    """The lecture's local clipping: |g_i| > c  =>  g_i = sign(g_i) * c.

    The slide prints sign(c) * c, a typo: with c > 0 that is always +c and would
    turn a large negative component positive.  The component keeps its sign.
    """
    return {k: np.where(np.abs(g) > c, np.sign(g) * c, g) for k, g in grads.items()}


# -- early stopping and history --------------------------------------------------------------

@dataclass
class EarlyStopping:
    """Stop when the monitored loss has not improved by ``min_delta`` for ``patience`` epochs.

    The monitored loss is the validation loss when ``fit`` has validation
    data, else the training loss; ``restore_best`` returns the best parameters.
    """

    patience: int = 10
    min_delta: float = 0.0
    restore_best: bool = True
    best: float = field(default=math.inf, init=False)
    best_epoch: int = field(default=-1, init=False)
    best_params: dict | None = field(default=None, init=False, repr=False)
    _waited: int = field(default=0, init=False, repr=False)

    def update(self, epoch: int, value: float, params: Mapping) -> bool:
        """Record this epoch's loss; True when training should stop."""
        if value < self.best - self.min_delta:
            self.best, self.best_epoch, self._waited = value, epoch, 0
            if self.restore_best:
                self.best_params = {k: np.array(v, copy=True) for k, v in params.items()}
            return False
        self._waited += 1
        return self._waited >= self.patience


@dataclass
class History:
    """What one ``fit`` run did, epoch by epoch."""

    params: dict
    train_loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    grad_norms: list = field(default_factory=list)     # per epoch: {param: ||dE/dparam||} of its last step
    clipped_steps: int = 0
    steps: int = 0
    epochs: int = 0
    stop_reason: str = "epochs"
    best_epoch: int | None = None
    check: GradientCheck | None = None

    @property
    def loss(self) -> float:
        return self.train_loss[-1] if self.train_loss else math.nan


def _progress_enabled(progress) -> bool:
    if progress is None:
        return sys.stderr.isatty()
    return bool(progress)


def _diverged(step: int, epoch: int, loss: float, grads: Mapping, params: Mapping) -> DivergenceError | None:
    """A DivergenceError naming the step and the culprit parameter, or None if all is finite."""
    bad_grads = [k for k, g in grads.items() if not np.all(np.isfinite(g))]
    if math.isfinite(loss) and not bad_grads:
        return None
    where = f"training diverged at step {step} (epoch {epoch + 1})"
    bad_params = [k for k, v in params.items() if not np.all(np.isfinite(v))]
    if bad_params:
        name = bad_params[0]
        what = f"parameter {name} has non-finite entries"
    elif bad_grads:
        name = bad_grads[0]
        count = int(np.size(grads[name]) - np.count_nonzero(np.isfinite(grads[name])))
        what = f"the gradient with respect to {name} has {count} NaN/inf entries"
    else:
        name = max(params, key=lambda k: float(np.max(np.abs(params[k]), initial=0.0)))
        what = (f"the gradient is finite; the largest parameter is {name} "
                f"(max |{name}| = {float(np.max(np.abs(params[name]))):.3g})")
    hint = "; lower the learning rate or clip the gradient (clip_norm / clip_value)"
    return DivergenceError(f"{where}: the loss is {loss}; {what}{hint}", step=step, parameter=name)


def fit(objective, params: Mapping, train: Mapping, *, epochs: int = 100, batch_size: int | None = None,
        optimizer: Optimizer | None = None, seed: int = 0, validation: Mapping | None = None,
        early_stopping: EarlyStopping | None = None, clip_norm: float | None = None,
        clip_value: float | None = None, check: bool = True, progress: bool | None = None,
        target_loss: float | None = None, record_grad_norms: bool = False,
        description: str | None = None, threads: int | None = 1, backend: str | None = None) -> History:
    """Minimize ``objective`` from ``params`` on the ``train`` batch dict.

    Full-batch gradient descent when ``batch_size`` is None (or not smaller
    than the data), else mini-batches of a seeded shuffle each epoch.  The
    order of a step: gradient, divergence check, clipping (by global norm,
    then by value), optimizer update.  ``target_loss`` stops once an epoch's
    loss falls below it.  ``objective`` is an ``Objective`` or anything with
    its ``value_and_grad`` / ``value`` methods (``check`` needs an Objective).
    ``threads`` limits BLAS threads while training (None: leave them): the
    matrices of a step are small, and on a shared machine threads that wait
    for each other cost more than they bring; one thread is also bit-for-bit
    reproducible.  NumPy's overflow warnings are silenced inside the loop:
    a non-finite loss or gradient raises ``DivergenceError`` instead.
    ``backend`` "jax" or "dask" trains on that backend (``Objective.on_backend``;
    see ``symdiff.train.backends``); by default the objective's own.
    """
    if epochs < 0:
        raise TrainingError(f"epochs must be non-negative, got {epochs}")
    for name, c in (("clip_norm", clip_norm), ("clip_value", clip_value)):
        if c is not None and not c > 0:
            raise TrainingError(f"{name} must be positive, got {c}")
    if check and not isinstance(objective, Objective):
        raise TrainingError("the first-step gradient check needs a symdiff Objective; pass check=False "
                            f"to train {type(objective).__name__}")
    backend = backend or default_backend()
    if backend is not None and backend != getattr(objective, "backend", "numpy"):
        objective = objective.on_backend(backend)
    # converted once, not at every step; Dask data stay lazy in their row chunks
    train = prepare_data(getattr(objective, "backend", "numpy"), train)
    n = data.batch_size(train)   # (the argument batch_size hides the function)
    if batch_size is not None and batch_size < 1:
        raise TrainingError(f"batch size must be positive, got {batch_size}")
    run = _Run(objective, {k: np.array(v, dtype=np.float64) for k, v in params.items()},
               optimizer or SGD(0.1), np.random.default_rng(seed), seed, check, clip_norm, clip_value,
               record_grad_norms)
    history = run.history
    full_batch = batch_size is None or batch_size >= n
    with contextlib.ExitStack() as stack:
        stack.enter_context(blas_threads(threads))
        stack.enter_context(np.errstate(over="ignore", invalid="ignore", divide="ignore"))
        bar = None
        if _progress_enabled(progress):
            from tqdm.auto import tqdm
            bar = tqdm(total=epochs, desc=description or getattr(objective, "name", "") or "train",
                       unit="epoch", leave=False, file=sys.stderr)
            stack.callback(bar.close)
        for epoch in range(epochs):
            if full_batch:
                batches = [(train, n)]
            else:
                order = run.rng.permutation(n)
                batches = [({k: v[order[i:i + batch_size]] for k, v in train.items()}, min(batch_size, n - i))
                           for i in range(0, n, batch_size)]
                if getattr(objective, "backend", "numpy") == "dask":   # each gathered from its chunks, in turn
                    batches = ((materialized(b), m) for b, m in batches)
            epoch_loss = run.epoch(epoch, batches)
            monitored = epoch_loss
            if validation is not None:
                monitored = objective.value(run.params, validation)
                history.val_loss.append(monitored)
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{epoch_loss:.4g}", refresh=False)
            if early_stopping is not None and early_stopping.update(epoch, monitored, run.params):
                history.stop_reason = f"early stopping: no improvement for {early_stopping.patience} epochs"
                break
            if target_loss is not None and epoch_loss <= target_loss:
                history.stop_reason = f"target loss {target_loss:g} reached"
                break
    if early_stopping is not None and early_stopping.best_params is not None:
        history.best_epoch = early_stopping.best_epoch
        if early_stopping.restore_best:
            run.params.clear()
            run.params.update(early_stopping.best_params)
    return history


class _Run:
    """The state of one fit: parameters, optimizer, random stream, step counter, history."""

    def __init__(self, objective, params, optimizer, rng, seed, check, clip_norm, clip_value, record_norms):
        self.objective, self.params, self.optimizer, self.rng = objective, params, optimizer, rng
        self.seed, self.check, self.clip_norm, self.clip_value = seed, check, clip_norm, clip_value
        self.record_norms = record_norms
        self.noise_of = getattr(objective, "_noise_values", lambda n, rng: {})
        # an Objective of a matrix program can skip its shape checks once a step has passed them: the
        # batches are rows of the same float64 arrays and the optimizers keep the parameters' shapes
        self.trusted = isinstance(objective, Objective) and not objective._per_sample
        self.history = History(params=params)
        self.step = 0

    def epoch(self, epoch: int, batches) -> float:
        history, total, count, norms = self.history, 0.0, 0, None
        for batch, m in batches:
            noise = self.noise_of(m, self.rng)
            if self.step and self.trusted:   # the first step has checked every shape
                loss, grads = self.objective.value_and_grad(self.params, batch, noise, n=m, checked=False)
            else:
                loss, grads = self.objective.value_and_grad(self.params, batch, noise, n=m)
            if self.step == 0 and self.check:
                self._check(batch, noise, grads)
            # one sum per gradient finds any NaN or inf; the slow search for the culprit only runs then
            if not math.isfinite(loss + sum(float(g.sum()) for g in grads.values())):
                error = _diverged(self.step, epoch, loss, grads, self.params)
                if error is not None:
                    raise error
            if self.record_norms:
                norms = {k: float(np.linalg.norm(g)) for k, g in grads.items()}
            if self.clip_norm is not None:
                if global_norm(grads) > self.clip_norm:
                    history.clipped_steps += 1
                grads = clip_by_global_norm(grads, self.clip_norm)
            if self.clip_value is not None:
                grads = clip_by_value(grads, self.clip_value)
            self.optimizer.step(self.params, grads)
            self.step += 1
            total += loss * m
            count += m
        history.train_loss.append(total / max(count, 1))
        if norms is not None:
            history.grad_norms.append(norms)
        history.epochs, history.steps = epoch + 1, self.step
        return history.train_loss[-1]

    def _check(self, batch, noise, grads):
        batch, part = check_sample(batch)   # Dask data: the witnesses see the first rows only
        if part:
            noise, grads = self.noise_of(batch_size(batch), np.random.default_rng(self.seed)), None
        report = check_gradient(self.objective, self.params, batch, noise, seed=self.seed, grads=grads)
        self.history.check = report
        if not report.ok:
            raise GradientCheckError(
                f"refusing to train {getattr(self.objective, 'name', '') or 'the model'}: the compiled "
                f"symbolic gradient disagrees with an independent witness\n{report}")


@contextlib.contextmanager
def blas_threads(count: int | None):
    """Limit BLAS threads inside the block (threadpoolctl, installed with scikit-learn); None: no limit."""
    if count is None:
        yield
        return
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - a dependency of scikit-learn
        yield
        return
    with threadpool_limits(count, user_api="blas"):
        yield
