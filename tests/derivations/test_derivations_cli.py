"""``symdiff verify``: the lecture library's verdicts all match, the table, JSON and exit statuses."""
from __future__ import annotations

import json
import pathlib
import textwrap

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "derivations"

# The lecture's formulas that are wrong as printed (see derivations/README.md) and the
# one property the lecture itself says fails.
REFUTED = {
    ("02_squared_error_remark.toml", "derivative-is-error"),
    ("08_graph_algorithm.toml", "edge-update-as-printed"),
    ("19_matrix_cholesky.toml", "dY-as-printed"),
    ("26_soft_max_bad.toml", "chain-as-printed"),
    ("28_soft_max_good.toml", "not-idempotent"),
    ("32_rule_rosenblatt.toml", "rosenblatt-as-printed"),
    ("33_rule_delta.toml", "delta-as-printed"),
    ("35_gradient_clipping.toml", "local-as-printed"),
    ("41_activation_softsign.toml", "label-as-printed"),
}


def run_verify(args, capsys):
    """``symdiff verify ...``: exit status and captured output."""
    from symdiff import cli
    status = cli.main(["verify", *args])
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.fixture(scope="module")
def library_json():
    """The whole library, checked once (about 40 s)."""
    from symdiff.derivations.run import check_paths
    return [r.to_json() for r in check_paths([LIBRARY])]


def test_every_lecture_verdict_matches_its_expectation(library_json):
    mismatched = [(r["file"], r["claim"], r["status"], r["expected"]) for r in library_json if not r["matches"]]
    assert not mismatched
    assert len(library_json) >= 90


def test_the_refuted_lecture_formulas_are_the_known_ones(library_json):
    refuted = {(pathlib.Path(r["file"]).name, r["claim"]) for r in library_json if r["status"] == "refuted"}
    assert refuted == REFUTED
    for r in library_json:
        if r["status"] == "refuted":
            assert r["counterexample"]["point"], r["claim"]


def test_corrected_claims_hold(library_json):
    files = sorted(LIBRARY.rglob("*.toml"))
    import tomllib
    corrected = set()
    for f in files:
        for c in tomllib.loads(f.read_text(encoding="utf-8")).get("claims", []):
            if "corrects" in c:
                corrected.add((f.name, c["id"]))
    status = {(pathlib.Path(r["file"]).name, r["claim"]): r["status"] for r in library_json}
    assert len(corrected) >= 7
    assert all(status[k] in ("proved", "consistent") for k in corrected)


def test_json_has_the_documented_keys(library_json):
    for r in library_json:
        assert {"file", "claim", "wrt", "status", "expected", "counterexample"} <= set(r)
        assert r["status"] in ("proved", "consistent", "refuted", "undetermined")
        assert r["expected"] in ("holds", "refuted")
    json.dumps(library_json)


def write(tmp_path, name, body):
    p = tmp_path / name
    p.write_text('title = "t"\nsource = "s"\n' + textwrap.dedent(body), encoding="utf-8")
    return p


GOOD = r"""
    [variables]
    x = {}
    [function]
    latex = 'F = x^3'
    [[claims]]
    id = "right"
    wrt = "x"
    claim = '3 x^2'
    expect = "holds"
    [[claims]]
    id = "wrong"
    wrt = "x"
    claim = '3 x'
    expect = "refuted"
    """


def test_table_json_and_exit_status_0(tmp_path, capsys):
    write(tmp_path, "a.toml", GOOD)
    status, out, err = run_verify([str(tmp_path)], capsys)
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["claim", "verdict", "expected", "time"]
    wrong = next(k for k, ln in enumerate(lines) if " wrong " in ln)
    assert "refuted" in lines[wrong] and lines[wrong + 1].strip().startswith("counterexample: x = ")
    assert "every verdict as expected" in out
    assert err == ""                      # no progress bar when stderr is not a terminal
    status, out, _ = run_verify([str(tmp_path / "a.toml"), "--format", "json"], capsys)
    data = json.loads(out)
    assert status == 0 and [r["claim"] for r in data] == ["right", "wrong"]
    assert data[1]["status"] == "refuted" and data[1]["expected"] == "refuted"
    assert data[1]["counterexample"]["point"].keys() == {"x"}


def test_exit_status_1_when_a_verdict_differs(tmp_path, capsys):
    write(tmp_path, "a.toml", GOOD.replace('claim = \'3 x\'\n    expect = "refuted"', 'claim = \'3 x\'\n    expect = "holds"'))
    status, out, _ = run_verify([str(tmp_path)], capsys)
    assert status == 1
    assert "refuted (!)" in out and "1 not as expected" in out


def test_exit_status_2_on_parse_and_usage_errors(tmp_path, capsys):
    bad = write(tmp_path, "bad.toml", GOOD.replace("3 x^2", "3 x^2 + z"))
    status, _, err = run_verify([str(bad)], capsys)
    assert status == 2
    assert str(bad) in err and "claim 'right'" in err and "undeclared variable 'z'" in err
    status, _, err = run_verify([str(tmp_path / "missing.toml")], capsys)
    assert status == 2 and "no such file" in err
    (tmp_path / "empty").mkdir()
    status, _, err = run_verify([str(tmp_path / "empty")], capsys)
    assert status == 2 and "no derivation files" in err
    with pytest.raises(SystemExit) as info:
        run_verify(["--format", "yaml", str(bad)], capsys)
    assert info.value.code == 2


def test_table_fits_80_columns_with_a_legend_and_1_based_entries():
    from symdiff.derivations.cli import LEGEND, format_table, result_json
    from symdiff.derivations.run import ClaimResult

    long_ce = {"point": {f"x_{k}": -24.8 + k for k in range(1, 9)}, "entry": [1],
               "claimed": -2.17347e-09, "actual": 16.6}
    matrix_ce = {"point": {"Y": [[7, -2], [-2, 6]]}, "sizes": {"n": 2}, "entry": [1, 2],
                 "claimed": [[0.386931, -1.79085], [-1.79085, -0.376611]], "actual": [[1.0, 2.0], [3.0, 4.0]]}
    results = [ClaimResult("derivations/lecture07/26_soft_max_bad.toml", "chain-as-printed", "t", "identity", None,
                           "refuted", "refuted", "x", long_ce, 0.2),
               ClaimResult("derivations/lecture07/19_matrix_cholesky.toml", "dY-as-printed", "t", "adjoint", "Y",
                           "refuted", "refuted", "x", matrix_ce, 0.4),
               ClaimResult("derivations/lecture07/19_matrix_cholesky.toml", "dY", "t", "adjoint", "Y", "holds",
                           "consistent", "x", None, 3.4)]
    out = format_table(results, color=False, width=80)
    assert max(len(line) for line in out.splitlines()) <= 80
    assert out.splitlines()[-1] == LEGEND and "1-based" in LEGEND
    assert "entry (1)" in out and "entry (1, 2)" in out and "entry [0]" not in out
    ce_lines = [ln for ln in out.splitlines() if ln.startswith("    ")]
    assert len(ce_lines) >= 4                     # the counterexamples wrap under their rows
    assert "\x1b[" not in out
    assert "\x1b[" in format_table(results, color=True, width=80)
    assert result_json(results[0])["counterexample"]["entry"] == [1]
    assert result_json(results[1])["counterexample"]["entry"] == [1, 2]
    component = {k: v for k, v in long_ce.items() if k != "entry"} | {"component": "dF[1]/dy"}
    assert result_json(ClaimResult("f", "c", "t", "derivative", "y", "refuted", "refuted", "x", component, 0.1)) \
        ["counterexample"]["component"] == "dF[1]/dy"   # (the verifier gives them 1-based: test_verdict_labels.py)


def test_no_color_flag_is_accepted(tmp_path, capsys):
    write(tmp_path, "a.toml", GOOD)
    status, out, _ = run_verify([str(tmp_path), "--no-color"], capsys)
    assert status == 0 and "\x1b[" not in out
