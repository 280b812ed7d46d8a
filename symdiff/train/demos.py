"""The lecture's training demonstrations, each reproducible by name (``symdiff train NAME``).

Every demonstration returns one dict with stable keys: ``model``, ``seed``,
``epochs`` (the epochs asked for), ``loss`` (the final training loss of its
main run), ``test_accuracy`` for classifiers, ``param_error`` (largest
relative error of the recovered parameters) for regressions with known ground
truth, ``truth_tables_ok`` for the logic neurons, then its own findings.
Same seed, same numbers: data, initialization, shuffles and dropout masks all
come from the seed, and BLAS runs single-threaded during training.
"""
from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..codegen import compile as compile_program
from ..reverse import gradient
from . import data, plots
from .errors import DivergenceError, TrainingError
from .init import SCHEMES
from .loop import SGD, Adam, EarlyStopping, Momentum, blas_threads, make_optimizer
from .loop import fit as _fit

# The gradient checks (GradientCheck) of the fits of the running demonstration: every fit checks its first
# gradient before training; run_demo reports them all (``gradient_check``).
_CHECKS: list = []


def fit(*args, **kwargs):
    history = _fit(*args, **kwargs)
    if history.check is not None:
        _CHECKS.append(history.check)
    return history


def _check_summary(checks) -> dict:
    """The pre-training gradient checks of a demonstration: witnesses and the largest relative errors."""
    tape = [c.tape_max_rel_error for c in checks if c.tape_max_rel_error is not None]
    witnesses = (["tape"] if tape else []) + ["finite differences"]
    return {"runs": len(checks), "witnesses": witnesses,
            "tape_max_rel_error": max(tape) if tape else None,
            "fd_max_rel_error": max((c.fd_max_rel_error for c in checks), default=0.0),
            "fd_coordinates": sum(c.fd_coordinates for c in checks),
            "ok": all(c.ok for c in checks)}
from .models import (ACTIVATIONS, LOGIC_PROGRAMS, MLP, PERCEPTRON_WEIGHTS, linear_classifier_params,
                     logic_function, make_objective, perceptron_rule_update)


@dataclass(frozen=True)
class Demo:
    name: str
    summary: str
    run: Callable
    epochs: int
    kind: str  # regression | classifier | logic | demonstration


def _max_relative_error(estimate, truth) -> float:
    estimate, truth = np.ravel(estimate).astype(float), np.ravel(truth).astype(float)
    return float(np.max(np.abs(estimate - truth) / np.abs(truth)))


def _rounded(values, digits: int = 12) -> list:
    return [float(f"{float(v):.{digits}g}") for v in np.ravel(values)]


# -- regressions with known ground truth ---------------------------------------------------------

POLYNOMIAL_TRUTH = (0.5, -1.2, 2.0, 0.8)
SINUSOID_TRUTH = (1.5, 0.5, 2.0, -0.3)
LINEAR_TRUTH = (0.7, 1.5, -2.0, 0.5)  # bias first: y = 0.7 + 1.5 x1 - 2 x2 + 0.5 x3


def polynomial(epochs, seed, plot_dir, progress):
    """y = a0 + a1 x + a2 x^2 + a3 x^3 from 200 noiseless samples, full-batch momentum."""
    truth = np.array(POLYNOMIAL_TRUTH)
    names = [f"a{k}" for k in range(truth.size)]
    train = data.polynomial_data(truth, n=200, seed=seed)
    objective = make_objective("polynomial", degree=truth.size - 1)
    rng = np.random.default_rng(seed)
    start = {k: rng.normal(scale=0.5) for k in names}
    history = fit(objective, start, train, epochs=epochs, optimizer=Momentum(0.1, 0.9), seed=seed,
                  progress=progress, target_loss=1e-16, description="polynomial")
    estimate = np.array([history.params[k] for k in names])
    result = {"loss": history.loss, "param_error": _max_relative_error(estimate, truth),
              "params": _rounded(estimate), "truth": list(truth), "epochs_run": history.epochs}
    if plot_dir:
        result["plots"] = [plots.loss_curves(plot_dir, "polynomial_loss", {"MSE": history.train_loss},
                                             title="polynomial regression")]
    return result


def canonical_sinusoid(a) -> np.ndarray:
    """The representative with a0 > 0, a2 > 0, a1 in (-pi, pi] of the model's symmetry class.

    sin(a0 x + a1) a2 + a3 is unchanged by (a0, a1) -> (-a0, pi - a1), by
    (a1, a2) -> (a1 + pi, -a2) and by a1 -> a1 + 2 pi, so only the class is identifiable.
    """
    a0, a1, a2, a3 = map(float, a)
    if a0 < 0:
        a0, a1 = -a0, math.pi - a1
    if a2 < 0:
        a1, a2 = a1 + math.pi, -a2
    a1 = math.remainder(a1, 2 * math.pi)
    if a1 <= -math.pi:
        a1 += 2 * math.pi
    return np.array([a0, a1, a2, a3])


def sinusoid(epochs, seed, plot_dir, progress, restarts: int = 5):
    """y = sin(a0 x + a1) a2 + a3: non-convex in the frequency, so seeded restarts until one fits."""
    truth = np.array(SINUSOID_TRUTH)
    names = ["a0", "a1", "a2", "a3"]
    train = data.sinusoid_data(truth, n=300, seed=seed)
    objective = make_objective("sinusoid")
    best = None
    for attempt in range(restarts):
        rng = np.random.default_rng([seed, attempt])
        start = dict(zip(names, rng.normal(size=4)))
        history = fit(objective, start, train, epochs=epochs, optimizer=Adam(0.05), seed=seed,
                      progress=progress, target_loss=1e-16, check=attempt == 0,
                      description=f"sinusoid (start {attempt + 1})")
        if best is None or history.loss < best[1].loss:
            best = (attempt, history)
        if history.loss < 1e-12:  # fitted the noiseless data: a global minimum
            break
    attempt, history = best
    estimate = canonical_sinusoid([history.params[k] for k in names])
    result = {"loss": history.loss, "param_error": _max_relative_error(estimate, truth),
              "params": _rounded(estimate), "truth": list(truth), "starts": attempt + 1,
              "epochs_run": history.epochs}
    if plot_dir:
        result["plots"] = [plots.loss_curves(plot_dir, "sinusoid_loss", {"MSE": history.train_loss},
                                             title="sinusoid regression")]
    return result


def _linear_regression(model, loss_name, param, target, optimizer, epochs, seed, plot_dir, progress, **fit_options):
    """Fit the linear model to noiseless synthetic data; the result carries the recovered weights."""
    truth = np.array(LINEAR_TRUTH)
    X, y = data.linear_data(truth, n=500, seed=seed)
    rng = np.random.default_rng(seed)
    history = fit(make_objective(model), {param: rng.normal(scale=0.5, size=(truth.size, 1))},
                  {"X": X, target: y[:, None]}, epochs=epochs, optimizer=optimizer, seed=seed, progress=progress,
                  description=f"{loss_name} regression", **fit_options)
    estimate = history.params[param].ravel()
    result = {"loss": history.loss, "param_error": _max_relative_error(estimate, truth),
              "params": _rounded(estimate), "truth": list(truth), "epochs_run": history.epochs}
    if plot_dir:
        result["plots"] = [plots.loss_curves(plot_dir, f"{model}_loss", {loss_name: history.train_loss},
                                             title=f"linear regression, {loss_name}")]
    return result


def mse_regression(epochs, seed, plot_dir, progress):
    """Linear regression with the lecture's matrix MSE E = (XA - Y)^T (XA - Y) / n."""
    return _linear_regression("mse-regression", "MSE", "A", "Y", Momentum(0.05, 0.9), epochs, seed, plot_dir,
                              progress, target_loss=1e-24)


def smape_regression(epochs, seed, plot_dir, progress):
    """Linear regression with SMAPE |<x,a> - y| / (|<x,a>| + |y|) (not smooth: Adam with decay)."""
    return _linear_regression("smape-regression", "SMAPE", "a", "y", Adam(0.05, decay=0.01), epochs, seed,
                              plot_dir, progress)


# -- 2-D classifiers -----------------------------------------------------------------------------------

QUADRATIC_TRUTH = (-1.0, -0.5, 0.4, 0.3, -0.2, 1.2)  # an ellipse: positive inside


def _quadratic_form(a, x, y):
    return a[0] * y**2 + a[1] * x**2 + a[2] * y * x + a[3] * y + a[4] * x + a[5]


def quadratic_curve(epochs, seed, plot_dir, progress):
    """The second-order curve classifier trained through the logistic loss log(1 + e^{-tQ})."""
    truth = np.array(QUADRATIC_TRUTH)
    train, test = data.split(data.quadratic_curve_data(truth, n=800, seed=seed), 0.5, seed)
    objective = make_objective("quadratic-curve")
    names = [f"a{k}" for k in range(6)]
    rng = np.random.default_rng(seed)
    history = fit(objective, dict(zip(names, rng.normal(scale=0.1, size=6))), train, epochs=epochs,
                  optimizer=Adam(0.05), seed=seed, progress=progress, description="quadratic curve")
    a = np.array([history.params[k] for k in names])

    def accuracy(batch):
        return float(np.mean(np.where(_quadratic_form(a, batch["x"], batch["y"]) > 0, 1.0, -1.0) == batch["t"]))

    result = {"loss": history.loss, "test_accuracy": accuracy(test), "train_accuracy": accuracy(train),
              "params": _rounded(a)}
    if plot_dir:
        points = np.column_stack([test["x"], test["y"]])
        result["plots"] = [
            plots.loss_curves(plot_dir, "quadratic-curve_loss", {"logistic loss": history.train_loss},
                              title="second-order curve classifier"),
            plots.decision_boundary(plot_dir, "quadratic-curve_boundary", points, test["t"] > 0,
                                    lambda xx, yy: (_quadratic_form(a, xx, yy) > 0).astype(int),
                                    title="learned region (dashed: the true curve)",
                                    true_boundary=lambda xx, yy: _quadratic_form(truth, xx, yy),
                                    extent=(-2, -2, 2, 2))]
    return result


BLOB_CENTERS = ((-1.5, 0.0), (1.5, 0.5), (0.0, 2.0))


def _blob_split(seed):
    points, labels = data.blobs(BLOB_CENTERS, n_per_class=150, spread=0.7, seed=seed)
    full = {"X": points, "Y": data.one_hot(labels, len(BLOB_CENTERS)), "labels": labels}
    return data.split(full, 0.5, seed)


def _macro_f1(predicted, labels, k) -> float:
    scores = []
    for c in range(k):
        tp = np.sum((predicted == c) & (labels == c))
        denominator = np.sum(predicted == c) + np.sum(labels == c)
        scores.append(2 * tp / denominator if denominator else 1.0)
    return float(np.mean(scores))


def _soft_classifier(name, epochs, seed, plot_dir, progress, lr):
    train, test = _blob_split(seed)
    k = len(BLOB_CENTERS)
    objective = make_objective(name)
    start = linear_classifier_params(np.random.default_rng(seed), 2, k)
    history = fit(objective, start, {"X": train["X"], "Y": train["Y"]}, epochs=epochs, optimizer=Adam(lr),
                  seed=seed, progress=progress, description=name)
    W, b = history.params["W"], history.params["b"]

    def predict(X):
        return np.argmax(X @ W + b, axis=1)

    predicted = predict(test["X"])
    result = {"loss": history.loss, "test_accuracy": float(np.mean(predicted == test["labels"])),
              "train_accuracy": float(np.mean(predict(train["X"]) == train["labels"])),
              "test_macro_f1": _macro_f1(predicted, test["labels"], k)}
    if plot_dir:
        result["plots"] = [
            plots.loss_curves(plot_dir, f"{name}_loss", {name: history.train_loss},
                              title=f"soft-max classifier, {name}", log=name == "cross-entropy"),
            plots.decision_boundary(plot_dir, f"{name}_boundary", test["X"], test["labels"],
                                    lambda xx, yy: predict(np.column_stack([xx.ravel(), yy.ravel()])),
                                    title=f"soft-max classifier trained on {name}")]
    return result


def cross_entropy(epochs, seed, plot_dir, progress):
    """A linear soft-max classifier of three blobs with the cross-entropy H(p, q) = -sum q log p."""
    return _soft_classifier("cross-entropy", epochs, seed, plot_dir, progress, lr=0.1)


def soft_f1(epochs, seed, plot_dir, progress):
    """The same classifier trained on 1 - macro F1 of the soft confusion matrix Y^T P."""
    return _soft_classifier("soft-f1", epochs, seed, plot_dir, progress, lr=0.05)


# -- the perceptron rules ----------------------------------------------------------------------------

def _rule_is_gradient_step(rule: str, objective, seed: int, eta: float, trials: int = 50) -> float:
    """Largest difference between the printed rule and w - eta * (compiled gradient), on random cases."""
    rng = np.random.default_rng([seed, 7])
    worst = 0.0
    for _ in range(trials):
        w = rng.normal(size=3)
        x = np.array([1.0, *rng.normal(size=2)])
        y = float(rng.choice([-1.0, 1.0])) if rule != "rosenblatt" else float(rng.integers(0, 2))
        _, grads = objective.value_and_grad(dict(zip(PERCEPTRON_WEIGHTS, w)),
                                            {"x1": x[1:2], "x2": x[2:3], "y": np.array([y])}, {})
        stepped = w - eta * np.array([grads[k] for k in PERCEPTRON_WEIGHTS])
        worst = max(worst, float(np.max(np.abs(stepped - perceptron_rule_update(rule, w, x, y, eta)))))
    return worst


def _perceptron(rule, epochs, seed, plot_dir, progress):
    # the classes lie either side of x1 = x2, so a random start misclassifies many of them
    points, labels = data.blobs(((0.5, 2.5), (2.5, 0.5)), n_per_class=100, spread=0.5, seed=seed)
    target = labels.astype(float) if rule == "rosenblatt" else np.where(labels == 1, 1.0, -1.0)
    full = {"x1": points[:, 0], "x2": points[:, 1], "y": target}
    train, test = data.split(full, 0.5, seed)
    objective = make_objective(rule)
    eta = 0.1
    start = dict(zip(PERCEPTRON_WEIGHTS, np.random.default_rng(seed).normal(size=3)))
    # the lecture's rules are online: one sample per update (w[k+1] from x_(k)), in a seeded order
    history = fit(objective, start, train, epochs=epochs, batch_size=1, optimizer=SGD(eta), seed=seed,
                  progress=progress, description=rule)
    w = np.array([history.params[k] for k in PERCEPTRON_WEIGHTS])
    threshold = 0.5 if rule == "rosenblatt" else 0.0  # the label threshold: {0, 1} or {-1, 1}

    def predict(x1, x2, weights=w):
        return (weights[0] + weights[1] * x1 + weights[2] * x2 > 0).astype(int)

    def accuracy_of(weights, batch):
        return float(np.mean(predict(batch["x1"], batch["x2"], weights) == (batch["y"] > threshold)))

    def accuracy(batch):
        return accuracy_of(w, batch)

    gap = _rule_is_gradient_step(rule, objective, seed, eta)
    result = {"loss": history.loss, "test_accuracy": accuracy(test), "train_accuracy": accuracy(train),
              "start_accuracy": accuracy_of(np.array([start[k] for k in PERCEPTRON_WEIGHTS]), test),
              "rule_is_gradient_step": gap < 1e-12, "rule_vs_gradient_step_max_difference": gap,
              "weights": _rounded(w)}
    if plot_dir:
        result["plots"] = [
            plots.loss_curves(plot_dir, f"{rule}_loss", {rule: history.train_loss},
                              title=f"perceptron, {rule} rule", log=False),
            plots.decision_boundary(plot_dir, f"{rule}_boundary", np.column_stack([test["x1"], test["x2"]]),
                                    test["y"] > threshold, predict, title=f"perceptron, {rule} rule")]
    return result


def hebb(epochs, seed, plot_dir, progress):
    """Hebb's rule, classes {1, -1}: if <w,x> y < 0 then w := w + eta x y (a gradient step of max(0, -<w,x>y))."""
    return _perceptron("hebb", epochs, seed, plot_dir, progress)


def rosenblatt(epochs, seed, plot_dir, progress):
    """Rosenblatt's rule, classes {1, 0}: w := w - eta (a_w(x) - y) x (gradient of (a_w(x) - y) <w,x>).

    With labels y' = 2y - 1 it makes exactly Hebb's updates (a_w(x) - y = -y' on a
    mistake, 0 otherwise), so the same seed gives the same weights as ``hebb``.
    """
    return _perceptron("rosenblatt", epochs, seed, plot_dir, progress)


def delta_rule(epochs, seed, plot_dir, progress):
    """The delta rule: w := w - eta (<w,x> - y) x, the gradient step of (<w,x> - y)^2 / 2."""
    return _perceptron("delta-rule", epochs, seed, plot_dir, progress)


# -- logic neurons -----------------------------------------------------------------------------------------

_EXPECTED = {"AND": lambda a, b: a and b, "OR": lambda a, b: a or b, "NOT": lambda a, b: not a,
             "XOR (two layers)": lambda a, b: a != b, "XOR (product feature)": lambda a, b: a != b}


def logic(epochs, seed, plot_dir, progress):
    """Threshold neurons with the lecture's weights against truth tables; then trained logistic neurons."""
    tables, all_ok = {}, True
    for name in LOGIC_PROGRAMS:
        rows = [(0, 0), (0, 1), (1, 0), (1, 1)] if name != "NOT" else [(0, 0), (1, 0)]
        x1 = np.array([r[0] for r in rows], dtype=float)
        x2 = np.array([r[1] for r in rows], dtype=float)
        out = logic_function(name)(x1, x2)
        expected = [int(bool(_EXPECTED[name](bool(a), bool(b)))) for a, b in rows]
        got = [int(v) for v in out]
        ok = got == expected
        all_ok &= ok
        tables[name] = {"inputs": [list(r) if name != "NOT" else [r[0]] for r in rows], "outputs": got, "ok": ok}
    # A single logistic neuron separates by a plane: AND, OR, NOT yes, XOR no; with x1*x2 it can.
    objective = make_objective("logistic-neuron")
    trained, losses, curves = {}, [], {}
    cases = {"AND": (False, _EXPECTED["AND"]), "OR": (False, _EXPECTED["OR"]), "NOT": (False, _EXPECTED["NOT"]),
             "XOR": (False, _EXPECTED["XOR (two layers)"]),
             "XOR with x1*x2": (True, _EXPECTED["XOR (two layers)"])}
    for name, (product, fn) in cases.items():
        rows = [(0, 0), (1, 0)] if name == "NOT" else [(0, 0), (0, 1), (1, 0), (1, 1)]
        x1, x2 = (np.array(c, dtype=float) for c in zip(*rows))
        batch = {"x1": x1, "x2": x2, "x12": x1 * x2 if product else np.zeros_like(x1),
                 "t": np.array([1.0 if fn(bool(a), bool(b)) else -1.0 for a, b in rows])}
        start = dict(zip(["w0", "w1", "w2", "w3"], np.random.default_rng(seed).normal(scale=0.1, size=4)))
        history = fit(objective, start, batch, epochs=epochs, optimizer=Adam(0.1), seed=seed,
                      progress=progress, description=f"neuron {name}")
        w = history.params
        z = w["w0"] + w["w1"] * batch["x1"] + w["w2"] * batch["x2"] + w["w3"] * batch["x12"]
        trained[name] = float(np.mean(np.where(z > 0, 1.0, -1.0) == batch["t"]))
        losses.append(history.loss)
        curves[name] = history.train_loss
    result = {"loss": float(np.mean(losses)), "truth_tables_ok": bool(all_ok), "truth_tables": tables,
              "trained_neuron_accuracy": trained}
    if plot_dir:
        result["plots"] = [plots.loss_curves(plot_dir, "logic_loss", curves,
                                             title="one logistic neuron per logic function")]
    return result


# -- the MLP on digits, and the lecture's demonstrations -------------------------------------------------

@dataclass(frozen=True)
class MLPConfig:
    hidden: tuple = (64,)
    activation: str = "tanh"
    init: str = "xavier"
    dropout: float = 0.0
    optimizer: str = "adam"
    lr: float = 3e-3
    batch_size: int = 64
    clip_norm: float | None = None
    clip_value: float | None = None
    patience: int | None = None


@functools.lru_cache(maxsize=4)
def _train_digits_mlp(seed: int, epochs: int, config: MLPConfig, progress):
    """Train once per (seed, epochs, config) in a process: mlp-digits and fgsm share the network."""
    train, test = data.digits(seed=seed)
    model = MLP((64, *config.hidden, 10), config.activation, dropout=config.dropout)
    # without early stopping the test set is evaluated each epoch (it only records, it decides nothing)
    fit_on, stopping = {"X": train["X"], "Y": train["Y"]}, None
    validation = {"X": test["X"], "Y": test["Y"]}
    if config.patience is not None:  # hold out 10% of the training set to decide when to stop
        inner, held = data.split(fit_on, 0.1, seed)
        fit_on, validation = inner, held
        stopping = EarlyStopping(patience=config.patience)
    history = fit(model.objective, model.init(seed, config.init), fit_on, epochs=epochs,
                  batch_size=config.batch_size, optimizer=make_optimizer(config.optimizer, config.lr), seed=seed,
                  validation=validation, early_stopping=stopping, clip_norm=config.clip_norm,
                  clip_value=config.clip_value, progress=progress, description="mlp digits")
    return model, history, train, test


def mlp_digits(epochs, seed, plot_dir, progress, **options):
    """An MLP (64-64-10, tanh, Xavier, Adam, mini-batches of 64) on scikit-learn's 8x8 digits."""
    try:
        config = MLPConfig(**options)
    except TypeError as exc:
        raise TrainingError(f"mlp-digits: {exc}") from None
    config = dataclasses.replace(config, hidden=tuple(int(h) for h in config.hidden))
    model, history, train, test = _train_digits_mlp(seed, epochs, config, progress)
    result = {"loss": history.loss,
              "test_accuracy": model.accuracy(history.params, test["X"], test["labels"]),
              "train_accuracy": model.accuracy(history.params, train["X"], train["labels"]),
              "architecture": "-".join(map(str, model.sizes)), "activation": model.activation,
              "epochs_run": history.epochs, "stop_reason": history.stop_reason}
    if history.val_loss and config.patience is None:
        result["test_loss"] = history.val_loss[-1]
    if plot_dir:
        curves = {"train": history.train_loss}
        if history.val_loss:
            curves["validation" if config.patience is not None else "test"] = history.val_loss
        result["plots"] = [plots.loss_curves(
            plot_dir, "mlp-digits_loss", curves,
            title=f"MLP on 8x8 digits: test accuracy {result['test_accuracy']:.1%}, "
                  f"train {result['train_accuracy']:.1%}")]
    return result


def symmetry(epochs, seed, plot_dir, progress):
    """Constant initialization keeps hidden units identical (the net acts as one unit); random trains."""
    points, labels = data.circles(400, seed=seed)
    train, test = data.split({"X": points, "Y": data.one_hot(labels, 2), "labels": labels}, 0.25, seed)
    model = MLP((2, 8, 2), "tanh")
    runs = {}
    for scheme in ("constant", "xavier"):
        start = model.init(seed, scheme, scale=0.5)
        history = fit(model.objective, start, {"X": train["X"], "Y": train["Y"]}, epochs=epochs,
                      optimizer=Adam(0.05), seed=seed, progress=progress, description=f"symmetry, {scheme}")
        p = history.params
        # how far the hidden units are from being copies of unit 0 (incoming, bias and outgoing weights)
        spread = max(float(np.max(np.abs(p["W1"] - p["W1"][:, :1]))), float(np.max(np.abs(p["b1"] - p["b1"][:, :1]))),
                     float(np.max(np.abs(p["W2"] - p["W2"][:1, :]))))
        runs[scheme] = (history, spread, model.accuracy(p, test["X"], test["labels"]))
    (h_const, spread_const, acc_const), (h_rand, spread_rand, acc_rand) = runs["constant"], runs["xavier"]
    result = {"loss": h_rand.loss, "loss_of": "the randomly (Xavier) initialized net", "test_accuracy": acc_rand,
              "constant_init_test_accuracy": acc_const, "constant_init_loss": h_const.loss,
              "constant_init_hidden_unit_spread": spread_const, "random_init_hidden_unit_spread": spread_rand,
              "hidden_units_stay_identical": spread_const == 0.0}
    if plot_dir:
        result["plots"] = [plots.loss_curves(plot_dir, "symmetry_loss", {"constant init": h_const.train_loss,
                                                                        "random (Xavier) init": h_rand.train_loss},
                                             title="symmetry: constant against random initialization")]
        for scheme, (history, _, _) in runs.items():
            result["plots"].append(plots.decision_boundary(
                plot_dir, f"symmetry_{scheme}_boundary", test["X"], test["labels"],
                lambda xx, yy, p=history.params: model.predict(p, np.column_stack([xx.ravel(), yy.ravel()])),
                title=f"{scheme} initialization"))
    return result


def _layer_norms(model, params, batch) -> list:
    _, grads = model.objective.value_and_grad(params, batch)
    return [float(np.linalg.norm(grads[f"W{i}"])) for i in range(1, model.layers + 1)]


def vanishing(epochs, seed, plot_dir, progress, depth: int = 10, width: int = 32):
    """Per-layer gradient norms of a deep network: sigmoid vanishes, ReLU does not; clipping tames an explosion.

    ("Проблема затухания градиента", "Подрезка градиента".)  Norms ||dE/dW_i|| at
    initialization on 256 digits for a sigmoid net (Xavier) and a ReLU net (He);
    both then trained by plain gradient descent.  The exploding case is the ReLU
    net at three times He's deviation: without clipping it diverges (the
    DivergenceError is reported), with global or local clipping it trains.
    ``loss`` is the final loss of the globally clipped run.
    """
    train, _ = data.digits(seed=seed)
    batch = {"X": train["X"][:256], "Y": train["Y"][:256]}
    sizes = (64,) + (width,) * (depth - 1) + (10,)
    sigmoid_net, relu_net = MLP(sizes, "sigmoid"), MLP(sizes, "relu")
    p_sigmoid, p_relu = sigmoid_net.init(seed, "xavier"), relu_net.init(seed, "he")
    p_exploding = relu_net.init(seed, "he", gain=3.0)  # three times He's deviation: x3 per layer
    norms = {"sigmoid (Xavier)": _layer_norms(sigmoid_net, p_sigmoid, batch),
             "ReLU (He)": _layer_norms(relu_net, p_relu, batch),
             "ReLU (3 x He)": _layer_norms(relu_net, p_exploding, batch)}
    # the same plain gradient descent for both: a vanished gradient means no learning near the input
    trained = {name: fit(net.objective, p, batch, epochs=epochs, optimizer=SGD(0.1), seed=seed, progress=progress,
                         description=name)
               for name, net, p in (("sigmoid", sigmoid_net, p_sigmoid), ("relu", relu_net, p_relu))}
    unclipped = {"diverged": False}
    try:
        history = fit(relu_net.objective, p_exploding, batch, epochs=epochs, optimizer=SGD(0.01), seed=seed,
                      progress=progress, description="exploding, no clipping")
        unclipped["loss"] = history.loss
    except DivergenceError as exc:
        unclipped = {"diverged": True, "step": exc.step, "parameter": exc.parameter, "error": str(exc)}
        if plot_dir and exc.step > 0:  # the same full-batch run up to the step before it diverged, for the plot
            unclipped["curve"] = fit(relu_net.objective, p_exploding, batch, epochs=exc.step, optimizer=SGD(0.01),
                                     seed=seed, progress=False, check=False).train_loss
    by_norm = fit(relu_net.objective, p_exploding, batch, epochs=epochs, optimizer=SGD(0.01), seed=seed,
                  clip_norm=1.0, progress=progress, description="exploding, global clipping")
    by_value = fit(relu_net.objective, p_exploding, batch, epochs=epochs, optimizer=SGD(0.01), seed=seed,
                   clip_value=0.01, progress=progress, description="exploding, local clipping")
    s, r = norms["sigmoid (Xavier)"], norms["ReLU (He)"]
    curve = unclipped.pop("curve", None)
    result = {"loss": by_norm.loss, "loss_of": "the exploding ReLU net with global clipping (c = 1)",
              "sizes": list(sizes), "grad_norms": norms,
              "sigmoid_first_to_last_ratio": s[0] / s[-1], "relu_first_to_last_ratio": r[0] / r[-1],
              "sigmoid_loss_after_training": trained["sigmoid"].loss, "relu_loss_after_training": trained["relu"].loss,
              "unclipped": unclipped,
              "clipped_by_norm": {"loss_start": by_norm.train_loss[0], "loss_end": by_norm.loss,
                                  "clipped_steps": by_norm.clipped_steps},
              "clipped_by_value": {"loss_start": by_value.train_loss[0], "loss_end": by_value.loss}}
    if plot_dir:
        result["plots"] = [
            plots.grad_norms_per_layer(plot_dir, "vanishing_grad_norms", norms,
                                       title=f"gradient norms per layer at initialization, depth {depth}"),
            plots.loss_curves(plot_dir, "vanishing_training", {"sigmoid": trained["sigmoid"].train_loss,
                                                               "ReLU": trained["relu"].train_loss},
                              title="plain gradient descent, deep sigmoid against ReLU"),
            plots.loss_curves(plot_dir, "vanishing_clipping", {"global clipping (c = 1)": by_norm.train_loss,
                                                               "local clipping (c = 0.01)": by_value.train_loss,
                                                               **({"no clipping": curve} if curve is not None else
                                                                  {"no clipping": history.train_loss}
                                                                  if not unclipped["diverged"] else {})},
                              diverged={"no clipping": unclipped["step"] + 1} if unclipped["diverged"] else None,
                              title="exploding gradients tamed by clipping")]
    return result


def dropout(epochs, seed, plot_dir, progress, rate: float = 0.5):
    """Dropout against overfitting: a 2-64-64-2 ReLU net on 60 noisy samples, train and test curves."""
    points, labels = data.circles(460, seed=seed, noise=0.25)
    full = {"X": points, "Y": data.one_hot(labels, 2), "labels": labels}
    train, test = data.take(full, slice(0, 60)), data.take(full, slice(60, None))
    runs = {}
    for p in (0.0, rate):
        model = MLP((2, 64, 64, 2), "relu", dropout=p)
        history = fit(model.objective, model.init(seed, "he"), {"X": train["X"], "Y": train["Y"]}, epochs=epochs,
                      optimizer=Adam(5e-3), seed=seed, validation={"X": test["X"], "Y": test["Y"]},
                      progress=progress, description=f"dropout {p}")
        runs[p] = (history, model.accuracy(history.params, train["X"], train["labels"]),
                   model.accuracy(history.params, test["X"], test["labels"]),
                   model.objective.value(history.params, {"X": train["X"], "Y": train["Y"]}))
    (h0, train0, test0, fit0), (h1, train1, test1, fit1) = runs[0.0], runs[rate]
    # overfitting = test loss minus training loss, both in evaluation mode (no masks)
    result = {"loss": h1.loss, "loss_of": f"the net with dropout {rate}", "test_accuracy": test1,
              "train_accuracy": train1, "test_loss": h1.val_loss[-1],
              "generalization_gap": h1.val_loss[-1] - fit1, "rate": rate,
              "without_dropout": {"loss": h0.loss, "test_loss": h0.val_loss[-1], "train_accuracy": train0,
                                  "test_accuracy": test0, "generalization_gap": h0.val_loss[-1] - fit0},
              "test_loss_reduced": h1.val_loss[-1] < h0.val_loss[-1]}
    if plot_dir:
        result["plots"] = [plots.loss_curves(plot_dir, "dropout_curves", {
            "train, no dropout": h0.train_loss, "test, no dropout": h0.val_loss,
            f"train, dropout {rate}": h1.train_loss, f"test, dropout {rate}": h1.val_loss},
            title="dropout on a small training set")]
    return result


FGSM_EPSILONS = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)


def input_gradient(model: MLP):
    """fn(X, Y, *params) -> (loss, (dE/dX,)): the derivative with respect to the input, compiled."""
    g = gradient(model.loss_program, ["X"])
    return compile_program(g, ["X", "Y", *model.param_names])


def fgsm(epochs, seed, plot_dir, progress):
    """Adversarial examples from the derivative by the input (Goodfellow et al. 2014's fast gradient sign)."""
    config = MLPConfig()
    model, history, _, test = _train_digits_mlp(seed, epochs, config, progress)
    params = [history.params[k] for k in model.param_names]
    _, (dX,) = input_gradient(model)(test["X"], test["Y"], *params)
    rng = np.random.default_rng([seed, 11])
    random_signs = rng.choice([-1.0, 1.0], size=test["X"].shape)
    adversarial, random = [], []
    for eps in FGSM_EPSILONS:
        # X + eps sign(dE/dX), kept in the pixel range [0, 1]
        adversarial.append(model.accuracy(history.params, np.clip(test["X"] + eps * np.sign(dX), 0, 1),
                                          test["labels"]))
        random.append(model.accuracy(history.params, np.clip(test["X"] + eps * random_signs, 0, 1),
                                     test["labels"]))
    result = {"loss": history.loss, "test_accuracy": adversarial[0], "epsilons": list(FGSM_EPSILONS),
              "fgsm_accuracy": adversarial, "random_sign_accuracy": random}
    if plot_dir:
        result["plots"] = [plots.accuracy_against_epsilon(plot_dir, "fgsm_accuracy", list(FGSM_EPSILONS),
                                                          {"FGSM (sign of dE/dX)": adversarial,
                                                           "random signs": random},
                                                          title="adversarial examples on the digits MLP")]
    return result


DEMOS = {d.name: d for d in (
    Demo("polynomial", "polynomial regression y = a0 + a1 x + a2 x^2 + a3 x^3, recovers the coefficients",
         polynomial, 2000, "regression"),
    Demo("sinusoid", "sinusoid y = sin(a0 x + a1) a2 + a3, recovers a up to the model's symmetries",
         sinusoid, 3000, "regression"),
    Demo("quadratic-curve", "second-order curve classifier a0 y^2 + ... + a5 > 0 via the logistic loss",
         quadratic_curve, 1500, "classifier"),
    Demo("mse-regression", "linear regression with the matrix MSE (XA - Y)^T (XA - Y)", mse_regression, 1000,
         "regression"),
    Demo("smape-regression", "linear regression with SMAPE |<x,a> - y| / (|<x,a>| + |y|)", smape_regression, 1000,
         "regression"),
    Demo("cross-entropy", "soft-max classifier of three blobs with the cross-entropy", cross_entropy, 300,
         "classifier"),
    Demo("soft-f1", "soft-max classifier trained on the F1 of a soft confusion matrix", soft_f1, 500, "classifier"),
    Demo("hebb", "perceptron with Hebb's rule (classes 1/-1), a gradient step of max(0, -<w,x>y)", hebb, 10,
         "classifier"),
    Demo("rosenblatt", "perceptron with Rosenblatt's rule (classes 1/0)", rosenblatt, 10, "classifier"),
    Demo("delta-rule", "perceptron with the delta rule, a gradient step of (<w,x> - y)^2 / 2", delta_rule, 10,
         "classifier"),
    Demo("logic", "threshold neurons for AND, OR, NOT and both XORs against truth tables", logic, 500, "logic"),
    Demo("mlp-digits", "MLP on scikit-learn's 8x8 digits (>= 95% test accuracy)", mlp_digits, 30, "classifier"),
    Demo("symmetry", "constant initialization keeps hidden units identical; random initialization trains",
         symmetry, 300, "demonstration"),
    Demo("vanishing", "gradient norms per layer: deep sigmoid vanishes, ReLU does not; clipping tames explosion",
         vanishing, 30, "demonstration"),
    Demo("dropout", "dropout reduces overfitting on a small training set (train and test curves)", dropout, 400,
         "demonstration"),
    Demo("fgsm", "adversarial examples from the derivative by the input: accuracy against epsilon", fgsm, 30,
         "demonstration"),
)}

MLP_OPTIONS = {"activations": tuple(ACTIVATIONS), "inits": SCHEMES}


def run_demo(name: str, *, epochs: int | None = None, seed: int = 0, plot_dir=None, progress=None,
             **options) -> dict:
    """Run one demonstration by name; the result dict starts with model, seed and epochs."""
    demo = DEMOS.get(name)
    if demo is None:
        raise TrainingError(f"unknown model {name!r}; choose one of {', '.join(DEMOS)} (symdiff train --list)")
    if options and name != "mlp-digits":
        raise TrainingError(f"options {', '.join(sorted(options))} apply to mlp-digits only")
    epochs = demo.epochs if epochs is None else int(epochs)
    if epochs < 1:
        raise TrainingError(f"epochs must be at least 1, got {epochs}")
    _CHECKS.clear()
    with blas_threads(1), np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        found = demo.run(epochs, seed, plot_dir, progress, **options)
    checks = {"gradient_check": _check_summary(_CHECKS)} if _CHECKS else {}
    return {"model": name, "seed": seed, "epochs": epochs, **found, **checks}
