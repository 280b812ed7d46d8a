"""Matrix benchmarks: B5 (one MLP training step) and symbolic generation for deep MLPs.

B5: X 1024x64, W1 64x128, b1, tanh, W2 128x10, b2, softmax cross-entropy over
10 one-hot classes.  Compiled value-and-gradient against a hand-written
vectorized NumPy value-and-gradient, timed in the same run (target <= 1.1x).
"""
from __future__ import annotations

import time

import numpy as np

import symdiff
from benchmarks._timing import Row, median_time

B5_PROGRAM = """
X: (n, d)
W1: (d, h)
b1: (1, h)
W2: (h, c)
b2: (1, c)
Y: (n, c)
H = tanh(X @ W1 + b1)
S = H @ W2 + b2
E = sum(logsumexp(S)) - sum(hadamard(Y, S))
"""


def b5_data(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(1024, 64))
    W1 = rng.normal(size=(64, 128)) / 8
    b1 = rng.normal(size=(1, 128)) / 8
    W2 = rng.normal(size=(128, 10)) / 11
    b2 = rng.normal(size=(1, 10)) / 11
    Y = np.eye(10)[rng.integers(0, 10, size=1024)]
    return X, W1, b1, W2, b2, Y


def b5_numpy(X, W1, b1, W2, b2, Y):
    """The hand-written reference: forward and backward of the same loss."""
    H = np.tanh(X @ W1 + b1)
    S = H @ W2 + b2
    m = S.max(axis=1, keepdims=True)
    E_S = np.exp(S - m)
    Z = E_S.sum(axis=1, keepdims=True)
    lse = m + np.log(Z)
    E = lse.sum() - (Y * S).sum()
    dS = E_S / Z - Y
    dW2 = H.T @ dS
    db2 = dS.sum(axis=0, keepdims=True)
    dZ1 = (dS @ W2.T) * (1 - H * H)
    dW1 = X.T @ dZ1
    db1 = dZ1.sum(axis=0, keepdims=True)
    return E, (dW1, db1, dW2, db2)


def deep_mlp_program(layers: int) -> str:
    lines = ["X: (n, d0)", "Y: (n, c)"]
    prev = "X"
    for i in range(1, layers + 1):
        last = i == layers
        lines += [f"W{i}: (d{i - 1}, {'c' if last else f'd{i}'})", f"b{i}: (1, {'c' if last else f'd{i}'})"]
        act = f"{prev} @ W{i} + b{i}"
        lines.append(f"S{i} = {act}" if last else f"H{i} = tanh({act})")
        prev = f"H{i}"
    lines.append(f"E = sum(logsumexp(S{layers})) - sum(hadamard(Y, S{layers}))")
    return "\n".join(lines)


def run(quick: bool = False) -> list[Row]:
    rows = []
    params = ["W1", "b1", "W2", "b2"]
    g = symdiff.gradient(B5_PROGRAM, params)
    fn = symdiff.compile(g, ["X", "W1", "b1", "W2", "b2", "Y"])
    data = b5_data()
    value, grads = fn(*data)
    ref_value, ref_grads = b5_numpy(*data)
    assert np.isclose(value, ref_value) and all(np.allclose(a, b) for a, b in zip(grads, ref_grads)), \
        "compiled B5 gradient disagrees with the hand-written one"
    repeat = 9 if quick else 25
    t_ours = median_time(lambda: fn(*data), repeat=repeat, min_time=0.05)
    t_hand = median_time(lambda: b5_numpy(*data), repeat=repeat, min_time=0.05)
    rows.append(Row("B5", "compiled value+grad vs hand-written NumPy", t_ours, t_hand, "numpy",
                    target=1.1, note="PyTorch eager 1.40x, HIPS autograd 1.87x, jax.jit 0.92x (issue)"))
    for layers in (2, 5) if quick else (2, 5, 10):
        text = deep_mlp_program(layers)
        wrt = [f"{p}{i}" for i in range(1, layers + 1) for p in ("W", "b")]
        t0 = time.perf_counter()
        symdiff.gradient(text, wrt)
        t = time.perf_counter() - t0
        rows.append(Row("MLP", f"{layers}-layer symbolic gradient generation", t, 1.0, "1 s",
                        target=1.0 if layers == 5 else None, note="target: 5 layers under a second"))
    return rows
