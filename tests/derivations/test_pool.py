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

ROOT = pathlib.Path(__file__).resolve().parents[2]
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


def _dying_check(path, raw, index, seed):
    """check_one, except that it kills its process for the claims named in the environment
    (set before the pool starts its workers, which inherit it)."""
    claim = pool._derivation(path, raw).claims[index].id
    if claim == os.environ.get("SYMDIFF_TEST_FATAL"):
        os._exit(3)                              # dies every time
    mark = pathlib.Path(os.environ.get("SYMDIFF_TEST_FLAKY_MARK", "/nonexistent/mark"))
    if claim == os.environ.get("SYMDIFF_TEST_FLAKY") and not mark.exists():
        mark.touch()
        os._exit(3)                              # dies once: the retry succeeds
    return _REAL_CHECK(path, raw, index, seed)


def _deaths(monkeypatch, fatal, flaky, mark):
    monkeypatch.setenv("SYMDIFF_TEST_FATAL", fatal)
    monkeypatch.setenv("SYMDIFF_TEST_FLAKY", flaky)
    monkeypatch.setenv("SYMDIFF_TEST_FLAKY_MARK", str(mark))


def test_a_worker_that_dies_is_retried_once_then_undetermined(derivations, one_process, tmp_path, monkeypatch):
    fatal_claim = derivations[1].claims[0].id
    _deaths(monkeypatch, fatal_claim, derivations[2].claims[0].id, tmp_path / "died-once")
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
    assert cli.main(["verify", str(FILES[2]), "--scheduler", "localhost"]) == 2
    assert "not a scheduler address: 'localhost'" in capsys.readouterr().err


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


def test_reports_on_two_processes_are_the_committed_bytes(tmp_path):
    from symdiff.report import write_reports
    run = write_reports([FILES[2]], tmp_path, pdf="never", jobs=2)
    committed = ROOT / "reports" / "lecture07" / "12_example_sin_over_product.tex"
    assert [p.read_bytes() for p in run.written] == [committed.read_bytes()]


def test_a_dask_worker_that_dies_is_retried_once_then_undetermined(derivations, one_process, tmp_path,
                                                                   monkeypatch):
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed: "
                                                            "pip install 'symdiff[dask]'")
    import sys

    import cloudpickle
    import dask

    cloudpickle.register_pickle_by_value(sys.modules[__name__])   # the spawned workers cannot import this file
    fatal_claim = derivations[1].claims[0].id
    _deaths(monkeypatch, fatal_claim, "", tmp_path / "unused")   # (dying once: see the process pool's test)
    monkeypatch.setattr(pool, "check_one", _dying_check)
    # the scheduler gives up on a task at its first dead worker; the pool's own retry is the only one
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     dashboard_address=None) as cluster:
        results = _json(pool.check_claims(derivations[1:3], scheduler=cluster.scheduler_address))
    expected = [r for r in one_process if r["file"].endswith((FILES[1].name, FILES[2].name))]
    # nothing lost or duplicated, in order
    assert [(r["file"], r["claim"]) for r in results] == [(r["file"], r["claim"]) for r in expected]
    for ours, reference in zip(results, expected):
        if ours["claim"] == fatal_claim and ours["file"].endswith("09_rule_sum.toml"):
            assert ours["status"] == "undetermined" and "Dask worker died twice" in ours["explanation"]
        elif ours != reference:
            # the scheduler also fails the tasks that were running on a worker when it died: such a
            # claim may be charged twice too, and is then undetermined with the reason, never wrong
            assert ours["status"] == "undetermined" and "Dask worker died twice" in ours["explanation"]
