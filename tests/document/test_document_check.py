"""``symdiff check``: LaTeX documents checked like a linter.

The truth of every claim on the test pages is computed here independently of
symdiff: the derivative with ``sympy.diff`` of the function written in Python,
compared with the claimed right side (also written in Python) at points of the
domain.  The verdicts of ``symdiff check`` must agree: every wrong claim
refuted at its line, every right claim proved or consistent.
"""
from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import sys

import pytest
import sympy as sp

from symdiff.cli import main

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "check"
ROOT = pathlib.Path(__file__).resolve().parents[2]

x, z, u, w, b, y, mu, a = sp.symbols("x z u w b y mu a", real=True)
sig = 1 / (1 + sp.exp(-z))


def _d(f, v):
    return sp.diff(f, v)


# line -> (claimed value, true value, variables): written in Python, not read from the LaTeX
PAGE18_TRUTH = [
    (8, sig * (1 - sig), _d(sig, z)),
    (12, sig * (1 + sig), _d(sig, z)),
    (15, 1 - sp.tanh(x) ** 2, _d(sp.tanh(x), x)),
    (15, 1 + sp.tanh(x) ** 2, _d(sp.tanh(x), x)),
    (20, 2 * x * sp.sin(x) + x ** 2 * sp.cos(x), _d(x ** 2 * sp.sin(x), x)),
    (21, 3 * sp.exp(3 * x) * sp.cos(x) + sp.exp(3 * x) * sp.sin(x), _d(sp.exp(3 * x) * sp.cos(x), x)),
    (29, (w * x + b - y) * x, _d((w * x + b - y) ** 2 / 2, w)),
    (30, w * x ** 2 + (b - y) * x, (w * x + b - y) * x),
    (31, w * x + b - y, _d((w * x + b - y) ** 2 / 2, b)),
    (32, 2 * mu + 1, _d(mu ** 2 + 2 * mu, mu)),
    (35, 1 / x, _d(sp.log(x), x)),
    (36, x ** x * (sp.log(x) + 1), _d(x ** x, x)),
    (38, 1 / sp.sqrt(x), _d(sp.sqrt(x), x)),
    (39, -1 / x ** 2, _d(1 / x, x)),
    (43, sp.exp(u) / (1 + sp.exp(u)), 1 / (1 + sp.exp(-u))),
    (43, 1 - 1 / (1 + sp.exp(u)), sp.exp(u) / (1 + sp.exp(u))),
    (46, a * sp.exp(a * b), _d(sp.exp(a * b), a)),
    (49, u, sp.log(1 + sp.exp(u)) - sp.log(1 + sp.exp(-u))),
]


def _truly_holds(claimed, true) -> bool:
    """Equal at a few points with x > 0 (the page's 'where x > 0' covers the claims that need it)."""
    names = (x, z, u, w, b, y, mu, a)
    points = [{s: sp.Rational(p + 2 * k, 7 + k) for k, s in enumerate(names)} for p in (3, 5, 11, 13)]
    return all(abs(sp.N((claimed - true).subs(pt), 30)) < 1e-20 for pt in points)


def _run(capsys, *args):
    code = main(["check", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    path = tmp_path / "cache"
    monkeypatch.setenv("SYMDIFF_CACHE_DIR", str(path))
    return path


def test_page18_every_wrong_claim_refuted_at_its_line(capsys, cache_dir):
    code, out, _ = _run(capsys, DATA / "page18.tex", "--format", "json", "--jobs", "2")
    records = json.loads(out)
    claims = [r for r in records if r["kind"] in ("identity", "derivative") and r["status"] != "skipped"]
    assert len(claims) == len(PAGE18_TRUTH) == 18
    wrong = 0
    for record, (line, claimed, true) in zip(claims, PAGE18_TRUTH):
        assert record["line"] == line, record
        if _truly_holds(claimed, true):
            assert record["status"] in ("proved", "consistent"), record
        else:
            wrong += 1
            assert record["status"] == "refuted", record
            assert record["counterexample"], record
    assert wrong == 6
    assert code == 1
    kinds = {r["kind"] for r in records}
    assert {"definition", "identity", "derivative"} <= kinds
    for r in records:
        assert set(r) >= {"file", "line", "column", "kind", "latex", "read_as", "status", "explanation",
                          "counterexample"}
    skipped = [r for r in records if r["status"] == "skipped" and r["kind"] != "definition"]
    assert [r["line"] for r in skipped] == [52]     # (the line of the formula, not of \begin) 'x > 0 \implies \log x < x' is no identity


def test_page18_text_output_like_a_linter(capsys, cache_dir):
    code, out, _ = _run(capsys, DATA / "page18.tex", "--jobs", "1")
    lines = out.strip().splitlines()
    refuted = [ln for ln in lines if ": refuted: " in ln]
    assert [int(ln.split(":")[1]) for ln in refuted] == [12, 15, 21, 32, 38, 46]
    assert all(ln.startswith(str(DATA / "page18.tex") + ":") for ln in refuted)
    assert lines[-1] == "18 claims: 12 proved, 0 consistent, 6 refuted, 0 undetermined; 5 definitions; " \
                        "0 unreadable; 1 skipped"
    assert code == 1


def test_cache_answers_an_unchanged_claim(capsys, cache_dir, tmp_path):
    doc = tmp_path / "one.tex"
    doc.write_text("\\documentclass{article}\\begin{document}\n"
                   "\\[ \\frac{d}{dx} \\sin(x) = \\cos(x) \\]\n\\end{document}\n", encoding="utf-8")
    assert _run(capsys, doc)[0] == 0
    entries = list(cache_dir.rglob("*.json"))
    assert len(entries) == 1
    # a poisoned entry shows that the second run reads the cache and --no-cache does not
    data = json.loads(entries[0].read_text())
    data.update(status="undetermined", explanation="from the cache")
    entries[0].write_text(json.dumps(data))
    assert "from the cache" in _run(capsys, doc)[1]
    code, out, _ = _run(capsys, doc, "--no-cache")
    assert code == 0 and "from the cache" not in out and "1 proved" in out
    assert json.loads(entries[0].read_text())["status"] == "proved"     # --no-cache stores the fresh verdict
    entries[0].write_text(json.dumps(data))
    # spacing does not change the key; a different claim does
    doc.write_text(doc.read_text().replace("\\sin(x)", "\\sin( x )\\,"), encoding="utf-8")
    assert "from the cache" in _run(capsys, doc)[1]
    doc.write_text(doc.read_text().replace("\\cos(x)", "\\cos(x) + 0"), encoding="utf-8")
    assert "from the cache" not in _run(capsys, doc)[1]


def test_malformed_equation_is_unreadable_at_its_line_and_the_run_goes_on(capsys, cache_dir):
    code, out, _ = _run(capsys, DATA / "malformed.tex", "--format", "json")
    records = json.loads(out)
    unreadable = [r for r in records if r["status"] == "unreadable"]
    assert [r["line"] for r in unreadable] == [9]
    assert "expecting '}'" in unreadable[0]["explanation"]
    by_line = {r["line"]: r["status"] for r in records if r["kind"] == "derivative"}
    assert by_line == {6: "proved", 12: "refuted"}     # f = x^3: f' = 3x^2, not 2x^2
    assert code == 1


def test_missing_file_exits_2_with_one_line(capsys):
    code, out, err = _run(capsys, DATA / "no_such_notes.tex")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "no such file" in err


@pytest.mark.parametrize("name, message", [("unbalanced.tex", "closes \\begin{align}"),
                                           ("prose.tex", "not LaTeX")])
def test_unusable_documents_exit_2(capsys, name, message):
    code, _, err = _run(capsys, DATA / name)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and message in err


def test_input_macros_comments_and_verbatim(capsys, cache_dir):
    code, out, _ = _run(capsys, DATA / "main_input.tex", "--format", "json")
    records = json.loads(out)
    claims = [(pathlib.Path(r["file"]).name, r["line"], r["status"]) for r in records
              if r["kind"] in ("identity", "derivative")]
    # g(t) = t e^t: g' = e^t + t e^t (right), t e^t (wrong); (x+1)^2 via \sq: 2x + 2 (right)
    assert claims == [("defs.tex", 3, "proved"), ("defs.tex", 3, "refuted"), ("main_input.tex", 12, "proved")]
    assert code == 1


def test_directives_where_skip_expect_and_errors(capsys, cache_dir):
    code, out, _ = _run(capsys, DATA / "directives.tex", "--format", "json")
    records = json.loads(out)
    by_line = {r["line"]: r for r in records}
    assert by_line[6]["status"] == "proved"              # sqrt under 'where x > 0'
    assert by_line[10]["status"] == "skipped"            # 3x is wrong, but skipped
    assert by_line[14]["status"] == "refuted" and by_line[14]["expected"] == "refuted"
    assert by_line[18]["status"] in ("proved", "consistent")
    assert by_line[20]["status"] == "unreadable" and "unknown directive" in by_line[20]["explanation"]
    assert code == 0                                     # the only refutation was expected


def test_let_replaces_the_earlier_declaration_and_its_conditions():
    from symdiff.document.directives import Scope, parse_directive

    scope = Scope()
    for text in ("let W: (4, 6), b: (4,), mu: ()", "where mu > 0, W invertible", "let mu: (n,)"):
        scope.apply(parse_directive(text))
    assert scope.variables == {"W": (4, 6), "b": (4,), "mu": ("n",)}
    assert scope.conditions == ["W invertible"]


def test_align_rows_and_qquad_statements_map_to_source_lines(tmp_path):
    from symdiff.document.source import load_document
    from symdiff.document.statements import split_statements

    doc = tmp_path / "rows.tex"
    doc.write_text("\\begin{align}\n  a &= b + c \\label{e}\\\\\n    &= d \\\\\n  e &= f, \\qquad g = h\n"
                   "\\end{align}\n", encoding="utf-8")
    items, macros, _ = load_document(doc)
    statements = split_statements(items[0], macros)
    assert [" ".join(s.text.split()) for s in statements] == ["a = b + c = d", "e = f,", "g = h"]
    first = statements[0]
    eq_offsets = [i for i, ch in enumerate(first.text) if ch == "="]
    assert [items[0].source.line_col(first.source_offset(i))[0] for i in eq_offsets] == [2, 3]


@pytest.mark.skipif(shutil.which("latexmk") is None, reason="needs latexmk")
def test_annotate_writes_a_pdf_with_the_counterexamples(capsys, cache_dir, tmp_path):
    pdf = tmp_path / "page18.pdf"
    source_before = (DATA / "page18.tex").read_bytes()
    code, _, err = _run(capsys, DATA / "page18.tex", "--annotate", pdf)
    assert code == 1, err
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    assert (DATA / "page18.tex").read_bytes() == source_before      # the user's file is untouched
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        for line in (12, 15, 21, 32, 38, 46):
            assert f"line {line}:" in text


@pytest.mark.skipif(shutil.which("latexmk") is None or shutil.which("kpsewhich") is None
                    or not subprocess.run(["kpsewhich", "t2aenc.def"], capture_output=True).stdout,
                    reason="needs latexmk and Cyrillic LaTeX support (texlive-lang-cyrillic)")
def test_russian_notes_are_checked_and_annotated(capsys, cache_dir, tmp_path):
    pdf = tmp_path / "notes.pdf"
    code, out, err = _run(capsys, ROOT / "examples" / "notes" / "notes.tex", "--annotate", pdf)
    assert code == 0, err          # its one error is marked 'expect refuted'
    assert "refuted (expected)" in out and "0 undetermined" in out and "0 unreadable" in out
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "Конспект" in text and "expect refuted" in text


def test_check_module_imports_no_sympy():
    code = ("import sys, symdiff.document.cli, argparse; p = argparse.ArgumentParser(); "
            "symdiff.document.cli.add_parser(p.add_subparsers()); "
            "print('sympy' in sys.modules, 'numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}).stdout
    assert out.split() == ["False", "False"]


def test_where_and_let_scopes_against_independent_truth(capsys, cache_dir):
    code, out, _ = _run(capsys, DATA / "scoping.tex", "--format", "json")
    status = {r["line"]: r["status"] for r in json.loads(out) if r["kind"] == "derivative"}
    # d|x|/dx = sign(x): 1 only where x > 0; the second 'let x' drops the condition again
    assert sp.diff(sp.Abs(sp.Symbol("x", positive=True)), sp.Symbol("x", positive=True)) == 1
    assert sp.diff(sp.Abs(x), x).subs(x, -1) == -1
    assert status[5] == "refuted" and status[7] in ("proved", "consistent") and status[9] == "refuted"
    # grad of v^T A v is (A + A^T) v, which differs from 2 A v for a non-symmetric A
    A = sp.Matrix([[1, 2], [0, 3]])
    v = sp.Matrix(sp.symbols("v1 v2", real=True))
    grad = sp.Matrix([sp.diff((v.T * A * v)[0], s) for s in v])
    assert sp.simplify(grad - (A + A.T) * v) == sp.zeros(2, 1) and sp.simplify(grad - 2 * A * v) != sp.zeros(2, 1)
    assert status[11] in ("proved", "consistent") and status[12] == "refuted"
    assert code == 1


def test_non_claims_are_skipped_not_errors(capsys, cache_dir):
    code, out, _ = _run(capsys, DATA / "nonclaims.tex", "--format", "json")
    status = {r["line"]: r["status"] for r in json.loads(out)}
    # a set, a map, a membership, an arg min, a finite set: none is a claim
    assert all(status[line] == "skipped" for line in (4, 5, 6, 7, 8)), status
    assert status[9] == "proved" and sp.diff(x ** 3, x) == 3 * x ** 2
    assert code == 0


def test_a_claim_that_cannot_be_formed_at_numeric_sizes_is_refuted_not_unreadable(capsys, cache_dir):
    code, out, _ = _run(capsys, DATA / "numeric_shapes.tex", "--format", "json", "--jobs", "1")
    records = [r for r in json.loads(out) if r["kind"] == "derivative"]
    assert code == 0                                  # refuted, and marked expect refuted
    assert [(r["line"], r["status"]) for r in records] == [(7, "proved"), (12, "refuted")]
    assert "X (3x2) times a 3x1 matrix" in records[1]["explanation"]
    assert records[1]["counterexample"]["point"] == {}
