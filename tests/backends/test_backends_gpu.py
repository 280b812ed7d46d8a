"""The array-API backend on CuPy arrays: runs where a GPU and the gpu extra are present, skipped otherwise."""
from __future__ import annotations

import numpy as np
import pytest

import symdiff

cupy = pytest.importorskip("cupy", reason="the gpu extra is not installed: pip install 'symdiff[gpu]'")


def _gpu_count() -> int:
    try:
        return cupy.cuda.runtime.getDeviceCount()
    except Exception:  # no driver, no device
        return 0


pytestmark = pytest.mark.skipif(_gpu_count() == 0, reason="no CUDA GPU on this machine")

MLP = """\
X: (n, d)
W: (d, k)
b: (1, k)
Y: (n, k)
S = X @ W + b
E = cross_entropy(S, Y)
"""


def test_array_api_function_runs_on_cupy_like_numpy():
    g = symdiff.gradient(MLP, wrt=["W", "b"])
    rng = np.random.default_rng(0)
    values = [rng.standard_normal((500, 6)), rng.standard_normal((6, 4)), rng.standard_normal((1, 4)),
              np.eye(4)[rng.integers(0, 4, 500)]]
    reference = symdiff.compile(g, ["X", "W", "b", "Y"])(*values)
    value, grads = symdiff.compile(g, ["X", "W", "b", "Y"], backend="array-api")(*[cupy.asarray(v) for v in values])
    assert isinstance(value, cupy.ndarray)
    np.testing.assert_allclose(cupy.asnumpy(value), reference[0], rtol=1e-10)
    for ours, theirs in zip(grads, reference[1]):
        np.testing.assert_allclose(cupy.asnumpy(ours), theirs, rtol=1e-10, atol=1e-12)
