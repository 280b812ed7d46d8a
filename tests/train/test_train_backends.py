"""fit on the JAX and Dask backends gives NumPy's results (symdiff/train/backends.py)."""
from __future__ import annotations

import numpy as np
import pytest

from symdiff.train import fit
from symdiff.train.loop import SGD, Adam
from symdiff.train.models import MLP, make_objective

jax = pytest.importorskip("jax", reason="the jax extra is not installed: pip install 'symdiff[jax]'")
da = pytest.importorskip("dask.array", reason="the dask extra is not installed: pip install 'symdiff[dask]'")


def _blobs(n=300, seed=0):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 3, n)
    X = rng.normal(size=(n, 4)) + np.eye(3, 4)[labels] * 2.0
    return {"X": X, "Y": np.eye(3)[labels]}


def _train(backend, *, batch_size=None, data=None, dropout=0.0, optimizer=None):
    model = MLP((4, 8, 3), "tanh", dropout=dropout)
    params = model.init(1)
    history = fit(model.objective, params, data or _blobs(), epochs=4, batch_size=batch_size, seed=5,
                  optimizer=optimizer or SGD(0.05), backend=backend)
    return history


@pytest.fixture
def x64():
    with jax.enable_x64(True):
        yield


@pytest.mark.parametrize("backend", ["jax", "dask"])
@pytest.mark.parametrize("batch_size", [None, 64])
def test_fit_matches_numpy(backend, batch_size, x64):
    reference = _train("numpy", batch_size=batch_size)
    ours = _train(backend, batch_size=batch_size)
    np.testing.assert_allclose(ours.train_loss, reference.train_loss, rtol=1e-10)
    for name, value in reference.params.items():
        np.testing.assert_allclose(ours.params[name], value, rtol=1e-10, atol=1e-12)
    assert ours.check is not None and ours.check.ok      # the first-step witnesses ran on this backend too


def test_dask_data_stays_chunked_full_batch_equals_numpy(x64):
    data = _blobs(400)
    lazy = {k: da.from_array(v, chunks=(40, v.shape[1])) for k, v in data.items()}
    reference = _train("numpy", data=data, optimizer=Adam(0.01))
    ours = _train("dask", data=lazy, optimizer=Adam(0.01))
    np.testing.assert_allclose(ours.train_loss, reference.train_loss, rtol=1e-10)


def test_scalar_program_objective_on_jax(x64):
    rng = np.random.default_rng(2)
    x = rng.uniform(-1, 1, 200)
    data = {"x": x, "y": 1 + 2 * x - x ** 3}
    results = {}
    for backend in ("numpy", "jax", "dask"):
        objective = make_objective("polynomial", degree=3)
        params = {f"a{k}": 0.0 for k in range(4)}
        results[backend] = fit(objective, params, data, epochs=5, optimizer=SGD(0.1), backend=backend)
    for backend in ("jax", "dask"):
        np.testing.assert_allclose(results[backend].train_loss, results["numpy"].train_loss, rtol=1e-10)


def test_unknown_backend():
    from symdiff.train.errors import TrainingError
    with pytest.raises(TrainingError, match="unknown training backend 'torch'"):
        _train("torch")


@pytest.mark.parametrize("backend", ["jax", "dask"])
def test_cli_backend_option_gives_numpys_run(backend, capsys):
    import json

    from symdiff import cli
    runs = {}
    for b in ("numpy", backend):
        assert cli.main(["train", "cross-entropy", "--epochs", "5", "--backend", b, "--format", "json",
                         "--no-progress"]) == 0
        runs[b] = json.loads(capsys.readouterr().out)
    ours, reference = runs[backend], runs["numpy"]
    assert ours.keys() == reference.keys()
    for key, value in reference.items():
        if key == "gradient_check":
            # the pre-training check measures each backend's own rounding: the same witnesses, both small
            assert ours[key].keys() == value.keys()
            for name, err in value.items():
                if name.endswith("rel_error"):
                    assert ours[key][name] < 1e-6 and err < 1e-6, name
                else:
                    assert ours[key][name] == err, name
        elif isinstance(value, float):
            assert ours[key] == pytest.approx(value, rel=1e-10, abs=1e-12), key
        else:
            assert ours[key] == value, key
