"""Training benchmarks: time per epoch with compiled symbolic gradients against hand-written NumPy.

Both sides run the same ``symdiff.train.fit`` loop (same optimizer, batches and
overheads); only the gradient differs: the compiled symdiff program, or a
hand-written NumPy value-and-gradient of the same loss.  The two are checked
to agree before timing, and timed interleaved (A, B, A, B ...) so load on the
shared machine moves both alike; the ratio of medians is reported (target <= 1.2).

T1: SMAPE linear regression (lecture example), 500 samples, 4 features, full batch, Adam.
T2: the digits MLP 64-64-10 tanh, cross-entropy, mini-batches of 64, Adam.
"""
from __future__ import annotations

import statistics
import time

import numpy as np

from benchmarks._timing import Row
from symdiff.train import Adam, data, fit, make_objective
from symdiff.train.demos import LINEAR_TRUTH
from symdiff.train.loop import blas_threads
from symdiff.train.models import MLP


class HandSMAPE:
    """SMAPE's value and gradient by hand, the lecture's formula:
    dE/dP = sign(D)/S - sign(P) N/S^2, dE/da = X^T dE/dP (summed, then averaged)."""

    name = "hand-written SMAPE"

    def value_and_grad(self, params, batch, noise=None, *, n=None):
        X, y, a = batch["X"], batch["y"], params["a"]
        n = X.shape[0] if n is None else n
        P = X @ a
        D = P - y
        N = np.abs(D)
        S = np.abs(P) + np.abs(y)
        dP = np.sign(D) / S - np.sign(P) * N / (S * S)
        return float((N / S).sum()) / n, {"a": X.T @ dP / n}

    def value(self, params, batch):
        return self.value_and_grad(params, batch)[0]


class HandMLP:
    """Forward and backward of the one-hidden-layer tanh MLP with soft-arg-max cross-entropy, by hand."""

    name = "hand-written MLP"

    def value_and_grad(self, params, batch, noise=None, *, n=None):
        X, Y = batch["X"], batch["Y"]
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n = X.shape[0] if n is None else n
        H = np.tanh(X @ W1 + b1)
        S = H @ W2 + b2
        top = S.max(axis=1, keepdims=True)
        E_S = np.exp(S - top)
        Z = E_S.sum(axis=1, keepdims=True)
        loss = float((top + np.log(Z)).sum() - (Y * S).sum()) / n
        dS = (E_S / Z - Y) / n
        dA = (dS @ W2.T) * (1 - H * H)
        return loss, {"W1": X.T @ dA, "b1": dA.sum(axis=0, keepdims=True),
                      "W2": H.T @ dS, "b2": dS.sum(axis=0, keepdims=True)}

    def value(self, params, batch):
        return self.value_and_grad(params, batch)[0]


def _agree(ours, hand, params, batch):
    v1, g1 = ours.value_and_grad(params, batch)
    v2, g2 = hand.value_and_grad(params, batch)
    assert np.isclose(v1, v2, rtol=1e-12), f"{hand.name}: loss {v1} != {v2}"
    for k in g1:
        assert np.allclose(g1[k], g2[k], rtol=1e-10, atol=1e-14), f"{hand.name}: gradient of {k} differs"


def _per_epoch(objectives, params, train, *, epochs, batch_size, lr, repeat):
    """Median seconds per epoch of each objective, timed interleaved."""
    samples = [[] for _ in objectives]
    for r in range(repeat + 1):
        for k, objective in enumerate(objectives):
            t0 = time.perf_counter()
            fit(objective, params, train, epochs=epochs, batch_size=batch_size, optimizer=Adam(lr),
                seed=r, check=False, progress=False)
            if r:  # the first round warms up caches and BLAS
                samples[k].append((time.perf_counter() - t0) / epochs)
    return [statistics.median(s) for s in samples]


def _per_call(ours, hand, params, batch, *, repeat):
    """Median seconds of one value-and-gradient call outside the loop (wrapper included), interleaved,
    as fit makes it after its first step (symdiff's without the argument and shape checks)."""
    n = next(iter(batch.values())).shape[0]
    samples = ([], [])
    options = ({"checked": False}, {})
    with blas_threads(1):  # as inside fit
        for _ in range(repeat):
            for k, objective in enumerate((ours, hand)):
                t0 = time.perf_counter()
                for _ in range(50):
                    objective.value_and_grad(params, batch, {}, n=n, **options[k])
                samples[k].append((time.perf_counter() - t0) / 50)
    return statistics.median(samples[0]), statistics.median(samples[1])


def run(quick: bool = False) -> list[Row]:
    rows = []
    repeat = 5 if quick else 21

    truth = np.array(LINEAR_TRUTH)
    X, y = data.linear_data(truth, n=500, seed=0)
    smape_train = {"X": X, "y": y[:, None]}
    smape_start = {"a": np.random.default_rng(0).normal(scale=0.5, size=(truth.size, 1))}
    ours = make_objective("smape-regression")
    _agree(ours, HandSMAPE(), smape_start, smape_train)
    t_ours, t_hand = _per_epoch([ours, HandSMAPE()], smape_start, smape_train, epochs=100 if quick else 300,
                                batch_size=None, lr=0.05, repeat=repeat)
    rows.append(Row("T1", "SMAPE regression, 500 x 4, full batch: time per epoch", t_ours, t_hand,
                    "hand NumPy", target=1.2))
    t_ours, t_hand = _per_call(ours, HandSMAPE(), smape_start, smape_train, repeat=repeat)
    rows.append(Row("T1", "  of which one value+gradient call", t_ours, t_hand, "hand NumPy",
                    note="no target: where the epoch's difference comes from"))

    train, _ = data.digits(seed=0)
    mlp_train = {"X": train["X"], "Y": train["Y"]}
    model = MLP((64, 64, 10), "tanh")
    mlp_start = model.init(0)
    _agree(model.objective, HandMLP(), mlp_start, mlp_train)
    t_ours, t_hand = _per_epoch([model.objective, HandMLP()], mlp_start, mlp_train, epochs=2 if quick else 5,
                                batch_size=64, lr=3e-3, repeat=repeat)
    rows.append(Row("T2", "digits MLP 64-64-10 tanh, batches of 64: time per epoch", t_ours, t_hand,
                    "hand NumPy", target=1.2))
    batch = {"X": mlp_train["X"][:64], "Y": mlp_train["Y"][:64]}
    t_ours, t_hand = _per_call(model.objective, HandMLP(), mlp_start, batch, repeat=repeat)
    rows.append(Row("T2", "  of which one value+gradient call (64 samples)", t_ours, t_hand, "hand NumPy",
                    note="no target: where the epoch's difference comes from"))
    return rows
