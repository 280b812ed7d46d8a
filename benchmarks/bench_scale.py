"""Scale: B5 and the MSE MLP on NumPy, JAX (jit) and Dask (10 row chunks); verify on 1, 2 processes and a cluster.

Every case runs in a fresh subprocess, so its peak memory (the child's maximum
resident set, from ``wait4``) is its own: the data, the intermediates, JAX's or
Dask's own overhead.  Times are medians of a few calls after one warm-up (the
warm-up includes ``jax.jit``'s compilation).  The Dask data are generated chunk
by chunk inside the graph (never whole in memory); the NumPy and JAX cases get
the same rows, built in one array.

* value+grad: compiled JAX under ``jax.jit`` against hand-written ``jax.value_and_grad``
  of the same loss (target <= 1.2x), compiled Dask on 10 row chunks against the NumPy
  backend on the same data, at growing row counts; values must agree to 1e-9.
* verify: ``symdiff verify --jobs 1`` vs ``--jobs 2`` vs a 2-worker ``LocalCluster``
  (target: jobs 2 <= 0.75x jobs 1), with the verdicts compared.

Run alone: ``python -m benchmarks.bench_scale [--quick]``.
"""
from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import time

import numpy as np

from benchmarks._timing import Row

ROOT = pathlib.Path(__file__).resolve().parent.parent

MSE_MLP = """
X: (n, d)
W1: (d, h)
b1: (1, h)
W2: (h, k)
b2: (1, k)
Y: (n, k)
H = tanh(X @ W1 + b1)
R = H @ W2 + b2 - Y
E = sum(hadamard(R, R))
"""
MODELS = {"mse-mlp": (MSE_MLP, (32, 64, 10)), "b5": (None, (64, 128, 10))}
ARGS = ["X", "W1", "b1", "W2", "b2", "Y"]
CHUNKS = 10


def _program(model):
    if model == "b5":
        from benchmarks.bench_matrix import B5_PROGRAM
        return B5_PROGRAM
    return MODELS[model][0]


def _chunk(k, rows, d, c, classes):
    rng = np.random.default_rng([7, k])
    X = rng.standard_normal((rows, d))
    Y = np.eye(c)[rng.integers(0, c, rows)] if classes else rng.standard_normal((rows, c))
    return X, Y


def _bounds(n):
    edges = np.linspace(0, n, CHUNKS + 1).astype(int)
    return [int(b - a) for a, b in zip(edges[:-1], edges[1:])]


def _params(d, h, c):
    rng = np.random.default_rng(3)
    return [rng.standard_normal((d, h)) / np.sqrt(d), np.zeros((1, h)), rng.standard_normal((h, c)) / np.sqrt(h),
            np.zeros((1, c))]


def _hand_jax_loss(model):
    import jax.numpy as jnp

    def loss(W1, b1, W2, b2, X, Y):
        S = jnp.tanh(X @ W1 + b1) @ W2 + b2
        if model == "b5":
            m = jnp.max(S, axis=1, keepdims=True)
            return jnp.sum(m + jnp.log(jnp.sum(jnp.exp(S - m), axis=1, keepdims=True))) - jnp.sum(Y * S)
        R = S - Y
        return jnp.sum(R * R)
    return loss


def case(backend: str, model: str, n: int, repeat: int) -> dict:
    """One measurement in this process: median seconds of value+grad, and a digest of the result."""
    import symdiff

    d, h, c = MODELS[model][1]
    classes = model == "b5"
    params = _params(d, h, c)
    if backend == "dask":
        import dask
        import dask.array as da
        parts = [dask.delayed(_chunk)(k, rows, d, c, classes) for k, rows in enumerate(_bounds(n))]
        X = da.concatenate([da.from_delayed(p[0], (rows, d), np.float64) for p, rows in zip(parts, _bounds(n))])
        Y = da.concatenate([da.from_delayed(p[1], (rows, c), np.float64) for p, rows in zip(parts, _bounds(n))])
    else:
        chunks = [_chunk(k, rows, d, c, classes) for k, rows in enumerate(_bounds(n))]
        X = np.concatenate([x for x, _ in chunks])
        Y = np.concatenate([y for _, y in chunks])
        del chunks
    g = symdiff.gradient(_program(model), wrt=ARGS[1:5])
    if backend in ("jax", "jax-hand"):
        import jax
        jax.config.update("jax_enable_x64", True)
        import jax.numpy as jnp
        X, Y = jnp.asarray(X), jnp.asarray(Y)
        params = [jnp.asarray(p) for p in params]
        if backend == "jax":
            jitted = jax.jit(symdiff.compile(g, ARGS, backend="jax"))
            call = lambda: jax.block_until_ready(jitted(X, *params, Y))          # noqa: E731
            hand = jax.jit(jax.value_and_grad(_hand_jax_loss(model), argnums=(0, 1, 2, 3)))
            jax.block_until_ready(hand(*params, X, Y))
            ratios = []   # paired in this process: ours, then hand-written, on the same arrays
            for _ in range(repeat):
                t0 = time.perf_counter()
                call()
                t1 = time.perf_counter()
                jax.block_until_ready(hand(*params, X, Y))
                ratios.append((t1 - t0) / (time.perf_counter() - t1))
        else:
            hand = jax.jit(jax.value_and_grad(_hand_jax_loss(model), argnums=(0, 1, 2, 3)))
            call = lambda: jax.block_until_ready(hand(*params, X, Y))            # noqa: E731
    elif backend == "dask":
        import dask
        fn = symdiff.compile(g, ARGS, backend="dask")
        call = lambda: dask.compute(*(lambda v, gs: (v, *gs))(*fn(X, *params, Y)))  # noqa: E731
    else:
        fn = symdiff.compile(g, ARGS)
        call = lambda: fn(X, *params, Y)                                          # noqa: E731
    out = call()   # warm-up (and jit compilation)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = call()
        times.append(time.perf_counter() - t0)
    if backend == "dask":
        value, grads = out[0], out[1:]
    else:
        value, grads = out
    digest = [float(np.asarray(value))] + [float(np.sum(np.abs(np.asarray(x)))) for x in grads]
    out = {"time": float(np.median(times)), "digest": digest}
    if backend == "jax":
        out["paired_ratio"] = float(np.median(ratios))
    return out


def _subprocess(args: list[str], timeout: float = 900) -> tuple[dict | str, float, float]:
    """(stdout JSON or text, wall seconds, peak resident MiB of the child)."""
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    text = out.decode()
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = text
    return parsed, wall, usage.ru_maxrss / 1024


def _measure(backend, model, n, repeat, full=False):
    result, _, peak = _subprocess([sys.executable, "-m", "benchmarks.bench_scale", "--case", backend,
                                   "--model", model, "--rows", str(n), "--repeat", str(repeat)])
    if not isinstance(result, dict):
        raise RuntimeError(f"{backend} {model} {n}: {result[-500:]}")
    return (result["time"], result["digest"], peak) + ((result,) if full else ())


def _agree(a, b, rtol=1e-9) -> bool:
    return all(abs(x - y) <= rtol * max(1.0, abs(y)) for x, y in zip(a, b))


def value_and_grad_rows(quick: bool) -> list[Row]:
    rows = []
    sizes = {"mse-mlp": [200_000], "b5": [10_000, 100_000] if quick else [10_000, 100_000, 1_000_000]}
    repeat = 3
    for model, ns in sizes.items():
        for n in ns:
            t_np, d_np, m_np = _measure("numpy", model, n, repeat)
            t_jax, d_jax, m_jax, jax_run = _measure("jax", model, n, repeat, full=True)
            t_hand, d_hand, m_hand = _measure("jax-hand", model, n, repeat)
            t_dask, d_dask, m_dask = _measure("dask", model, n, repeat)
            same = _agree(d_jax, d_np) and _agree(d_dask, d_np) and _agree(d_hand, d_np)
            label = f"{model} n={n:.0e}"
            rows.append(Row("scale", f"{label} NumPy backend value+grad", t_np, None,
                            note=f"peak {m_np:.0f} MiB"))
            # the ratio is the median of pairs timed alternately in one process (the hand-written
            # time shown is from its own process, for its peak memory)
            rows.append(Row("scale", f"{label} JAX jit vs hand jax.value_and_grad", jax_run["paired_ratio"], 1.0,
                            "paired", target=1.2, unit="x",
                            note=f"ours {t_jax:.3g} s, hand {t_hand:.3g} s; peak {m_jax:.0f} vs {m_hand:.0f} MiB; "
                                 f"values {'= NumPy to 1e-9' if same else 'DIFFER'}"))
            rows.append(Row("scale", f"{label} Dask {CHUNKS} row chunks vs NumPy", t_dask, t_np, "NumPy",
                            note=f"peak {m_dask:.0f} vs {m_np:.0f} MiB; values "
                                 f"{'= NumPy to 1e-9' if same else 'DIFFER'}"))
    return rows


def _verify(args, timeout=1800):
    result, wall, _ = _subprocess([sys.executable, "-m", "symdiff.cli", "verify", *args, "--format", "json"],
                                  timeout)
    return result, wall


def verify_rows(quick: bool) -> list[Row]:
    from distributed import LocalCluster

    library = ROOT / "derivations"
    paths = [str(p) for p in sorted((library / "lecture07").glob("*.toml"))[:12]] if quick else [str(library)]
    one, t1 = _verify([*paths, "--jobs", "1"])
    two, t2 = _verify([*paths, "--jobs", "2"])
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        on_cluster, tc = _verify([*paths, "--scheduler", cluster.scheduler_address])

    def verdicts(r):
        return [(x["file"], x["claim"], x["status"]) for x in r] if isinstance(r, list) else r

    def differ(r):
        a, b = verdicts(one), verdicts(r)
        return "same verdicts" if a == b else f"{sum(x != y for x, y in zip(a, b))} verdicts differ"

    what = "12 files" if quick else "derivations/"
    return [Row("scale", f"verify {what} --jobs 2 vs --jobs 1", t2, t1, "--jobs 1", target=0.75, note=differ(two)),
            Row("scale", f"verify {what} 2-worker LocalCluster vs --jobs 1", tc, t1, "--jobs 1",
                note=differ(on_cluster))]


def run(quick: bool = False) -> list[Row]:
    rows = []
    try:
        import dask  # noqa: F401
        import jax  # noqa: F401
    except ImportError as exc:
        return [Row("scale", f"skipped: {exc} (pip install 'symdiff[jax,dask]')", 0.0, None)]
    rows += value_and_grad_rows(quick)
    rows += verify_rows(quick)
    return rows


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--case", choices=("numpy", "jax", "jax-hand", "dask"))
    ap.add_argument("--model", choices=tuple(MODELS), default="mse-mlp")
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    if a.case:
        print(json.dumps(case(a.case, a.model, a.rows, a.repeat)))
    else:
        from benchmarks.run import main
        sys.exit(main(["--only", "scale"] + (["--quick"] if a.quick else [])))
