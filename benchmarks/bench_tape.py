"""Tape engine vs hand-written vectorized NumPy value-and-gradient (and HIPS autograd if any).

B2: SMAPE linear regression  E(a) = mean_i |⟨x_i,a⟩ − y_i| / (|⟨x_i,a⟩| + |y_i|),  N = 10,000, d = 10.
B5: one MLP training step: X 1024×64 → tanh(X W1 + b1) → ·W2 + b2 → softmax cross-entropy
    over 10 one-hot classes, mean over samples; gradient w.r.t. (W1, b1, W2, b2).

Every tape gradient is asserted equal (np.allclose) to the hand-written one before
it is timed, so the table measures correct code.

Allocator note.  A tape keeps every forward intermediate alive until the
backward pass ends and then frees them together.  With B2's 80 kB arrays (below
glibc's 128 kB mmap threshold) that leaves a large free block at the top of the
heap, which glibc returns to the OS after every call and page-faults back in on
the next (~100 faults per call, ~4 µs each on this VM).  The first B2 row is
measured that way, for information; then the heap trim threshold is raised
(mallopt, glibc only) for every candidate alike, and the target rows measure
the code rather than the allocator.  B5's 1 MB arrays move glibc's thresholds
up by themselves.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import statistics

import numpy as np

import symdiff.tape as tp
from benchmarks._timing import Row, median_time

try:  # optional reference
    import autograd
    import autograd.numpy as anp
except ImportError:
    autograd = None

try:  # page-fault counts, Unix only
    import resource
except ImportError:
    resource = None

_M_TRIM_THRESHOLD = -1   # glibc's mallopt parameter number


def _smape_data(rng, n=10_000, d=10):
    x = rng.standard_normal((n, d))
    y = x @ rng.standard_normal(d) + 0.1 * rng.standard_normal(n)
    return x, y, rng.standard_normal(d)


def _smape_tape(a, x, y):
    prediction = x @ a
    return tp.mean(tp.abs(prediction - y) / (tp.abs(prediction) + np.abs(y)))


def _smape_by_hand(a, x, y):
    prediction = x @ a
    residual = prediction - y
    denominator = np.abs(prediction) + np.abs(y)
    value = np.mean(np.abs(residual) / denominator)
    # d/dp of |p − y| / (|p| + |y|), divided by N for the mean
    d_prediction = (np.sign(residual) - np.abs(residual) / denominator * np.sign(prediction)) \
        / (denominator * len(y))
    return value, x.T @ d_prediction


def _mlp_data(rng, n=1024, d_in=64, d_hidden=128, classes=10):
    x = rng.standard_normal((n, d_in))
    onehot = np.eye(classes)[rng.integers(0, classes, n)]
    params = (rng.standard_normal((d_in, d_hidden)) / np.sqrt(d_in), np.zeros(d_hidden),
              rng.standard_normal((d_hidden, classes)) / np.sqrt(d_hidden), np.zeros(classes))
    return params, x, onehot


def _mlp_tape(w1, b1, w2, b2, x, onehot):
    logits = tp.tanh(x @ w1 + b1) @ w2 + b2
    log_probabilities = logits - tp.logsumexp(logits, axis=1, keepdims=True)
    return -tp.sum(onehot * log_probabilities) / len(x)


def _mlp_by_hand(w1, b1, w2, b2, x, onehot):
    hidden = np.tanh(x @ w1 + b1)
    logits = hidden @ w2 + b2
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    value = -np.sum(onehot * (shifted - log_norm)) / len(x)
    d_logits = (np.exp(shifted - log_norm) - onehot) / len(x)
    d_hidden = (d_logits @ w2.T) * (1 - hidden * hidden)
    return value, (x.T @ d_hidden, d_hidden.sum(axis=0), hidden.T @ d_logits, d_logits.sum(axis=0))


def _mlp_autograd(w1, b1, w2, b2, x, onehot):
    logits = anp.tanh(x @ w1 + b1) @ w2 + b2
    shifted = logits - anp.max(logits, axis=1, keepdims=True)
    log_probabilities = shifted - anp.log(anp.sum(anp.exp(shifted), axis=1, keepdims=True))
    return -anp.sum(onehot * log_probabilities) / len(x)


def _smape_autograd(a, x, y):
    prediction = anp.dot(x, a)
    return anp.mean(anp.abs(prediction - y) / (anp.abs(prediction) + anp.abs(y)))


def _assert_same(name, tape_result, hand_result):
    (tape_value, tape_grads), (hand_value, hand_grads) = tape_result, hand_result
    tape_grads = tape_grads if isinstance(tape_grads, tuple) else (tape_grads,)
    hand_grads = hand_grads if isinstance(hand_grads, tuple) else (hand_grads,)
    assert np.allclose(tape_value, hand_value, rtol=1e-10), f"{name}: values differ"
    for k, (t, h) in enumerate(zip(tape_grads, hand_grads, strict=True)):
        assert np.allclose(t, h, rtol=1e-9, atol=1e-12), f"{name}: gradient {k} differs"


def _interleaved_medians(fns, repeat: int) -> list[float]:
    """Median time of each fn, measured in alternating rounds.

    On a shared machine the load (and BLAS threads' luck) changes from second to
    second; alternating makes every candidate see the same conditions.
    """
    samples = [[] for _ in fns]
    for _ in range(repeat):
        for fn, times in zip(fns, samples):
            times.append(median_time(fn, repeat=1, min_time=0.02))
    return [statistics.median(times) for times in samples]


def _rows(bench, case, tape_fn, hand_fn, autograd_fn, target, quick, note="value+grad"):
    _assert_same(bench, tape_fn(), hand_fn())
    if autograd_fn is not None:
        _assert_same(bench, autograd_fn(), hand_fn())
    candidates = [hand_fn, tape_fn] + ([autograd_fn] if autograd_fn else [])
    hand, tape, *others = _interleaved_medians(candidates, repeat=5 if quick else 15)
    rows = [Row(bench, f"{case} tape", tape, hand, "numpy by hand", target=target, note=note)]
    if others:
        rows.append(Row(bench, f"{case} HIPS autograd", others[0], hand, "numpy by hand",
                        note="value+grad, for comparison"))
    return rows


def _page_faults_per_call(fn, calls: int = 200) -> float | None:
    if resource is None:
        return None
    fn()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(calls):
        fn()
    return (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / calls


def _stop_heap_trimming() -> bool:
    """Keep freed heap memory mapped (glibc), so no candidate pays page faults per call."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c")).mallopt(_M_TRIM_THRESHOLD,
                                                                  256 << 20) == 1
    except (OSError, AttributeError, TypeError):
        return False


def run(quick: bool) -> list[Row]:
    rng = np.random.default_rng(0)
    x, y, a = _smape_data(rng)
    smape_tape = tp.value_and_grad(_smape_tape)
    smape_autograd = autograd.value_and_grad(_smape_autograd) if autograd else None
    tape_call, hand_call = (lambda: smape_tape(a, x, y)), (lambda: _smape_by_hand(a, x, y))

    faults = _page_faults_per_call(tape_call)
    rows = _rows("B2", "SMAPE N=10000 d=10 default heap", tape_call, hand_call, None, None,
                 quick, note=f"for information: {faults:.0f} page faults per call"
                 if faults is not None else "for information")
    heap_note = "value+grad, heap trim off" if _stop_heap_trimming() else "value+grad"
    rows += _rows("B2", "SMAPE N=10000 d=10", tape_call, hand_call,
                  smape_autograd and (lambda: smape_autograd(a, x, y)), 2.0, quick, heap_note)

    params, inputs, onehot = _mlp_data(rng)
    argnums = (0, 1, 2, 3)
    mlp_tape = tp.value_and_grad(_mlp_tape, argnums)
    mlp_autograd = autograd.value_and_grad(_mlp_autograd, argnums) if autograd else None
    rows += _rows("B5", "MLP step 1024x64-128-10", lambda: mlp_tape(*params, inputs, onehot),
                  lambda: _mlp_by_hand(*params, inputs, onehot),
                  mlp_autograd and (lambda: mlp_autograd(*params, inputs, onehot)), 1.5, quick,
                  heap_note)
    return rows
