"""``symdiff verify --jobs N`` / ``--scheduler``: the same verdicts and JSON as one process (derivations/pool.py)."""
from __future__ import annotations

import json
import os
import pathlib
import time

import pytest

from symdiff.derivations import pool
from symdiff.derivations.load import load_derivation
from symdiff.derivations.run import check_derivation

ROOT = pathlib.Path(__file__).resolve().parent.parent
# quick files whose verdicts do not depend on a budget running out
FILES = [ROOT / "derivations" / "lecture07" / name for name in
         ("02_squared_error_remark.toml", "09_rule_sum.toml", "12_example_sin_over_product.toml",
          "14_matrix_product.toml")]


@pytest.fixture(scope="module")
def derivations():
    return [load_derivation(f) for f in FILES]


@pytest.fixture(scope="module")
def one_process(derivations):
    return [r.to_json() for d in derivations for r in check_derivation(d)]


def _json(results):
    return [r.to_json() for r in results]


def test_jobs_give_the_same_json_in_the_same_order(derivations, one_process):
    seen = []
    results = pool.check_claims(derivations, jobs=2, progress=seen.append)
    assert _json(results) == one_process
    assert sorted(id(r) for r in seen) == sorted(id(r) for r in results)   # the bar saw every claim once
    assert any(r["status"] == "refuted" for r in one_process)               # a counterexample travels back too


_REAL_CHECK = pool.check_one
_DEATHS: dict = {}   # set by the test before the pool forks; the workers inherit it


def _dying_check(path, raw, index, seed):
    claim = pool._derivation(path, raw).claims[index].id
    if claim == _DEATHS.get("fatal"):
        os._exit(3)                              # dies every time
    flaky = _DEATHS.get("flaky")
    if claim == flaky[0] and not flaky[1].exists():
        flaky[1].touch()
        os._exit(3)                              # dies once: the retry succeeds
    return _REAL_CHECK(path, raw, index, seed)


def test_a_worker_that_dies_is_retried_once_then_undetermined(derivations, one_process, tmp_path, monkeypatch):
    fatal_claim = derivations[1].claims[0].id
    monkeypatch.setitem(_DEATHS, "fatal", fatal_claim)
    monkeypatch.setitem(_DEATHS, "flaky", (derivations[2].claims[0].id, tmp_path / "died-once"))
    dying = _dying_check
    monkeypatch.setattr(pool, "check_one", dying)   # forked workers inherit the patched module
    results = _json(pool.check_claims(derivations, jobs=2))
    assert [(r["file"], r["claim"]) for r in results] == [(r["file"], r["claim"]) for r in one_process]
    for ours, expected in zip(results, one_process):
        if ours["claim"] == fatal_claim and ours["file"].endswith("09_rule_sum.toml"):
            assert ours["status"] == "undetermined"
            assert "worker process died twice" in ours["explanation"]
        else:
            assert ours == expected


def test_cli_jobs_and_scheduler_options(capsys):
    from symdiff import cli
    assert cli.main(["verify", str(FILES[2]), "--jobs", "2", "--format", "json"]) == 0
    assert all(r["matches"] for r in json.loads(capsys.readouterr().out))
    assert cli.main(["verify", str(FILES[2]), "--jobs", "0"]) == 2
    assert "--jobs must be at least 1" in capsys.readouterr().err


def test_a_scheduler_that_does_not_answer_is_a_clear_error_within_seconds(capsys):
    pytest.importorskip("distributed", reason="the dask extra is not installed: pip install 'symdiff[dask]'")
    from symdiff import cli
    t0 = time.monotonic()
    assert cli.main(["verify", str(FILES[2]), "--scheduler", "tcp://127.0.0.1:9"]) == 2
    assert time.monotonic() - t0 < 10
    assert "no Dask scheduler answers at tcp://127.0.0.1:9" in capsys.readouterr().err


@pytest.fixture
def local_cluster():
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed: "
                                                            "pip install 'symdiff[dask]'")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        yield cluster


def test_scheduler_gives_the_same_json(derivations, one_process, local_cluster):
    results = pool.check_claims(derivations, scheduler=local_cluster.scheduler_address)
    assert _json(results) == one_process
