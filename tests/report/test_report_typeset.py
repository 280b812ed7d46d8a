"""The library's reports typeset as a lecturer would hand them out: every line inside the margin
(no overfull box above 10 pt) and no LaTeX source in the text a reader sees (``pdftotext``).

The committed .tex files are the ones checked (``test_report.py`` regenerates them and compares
bytes); each is compiled once, by one ``pdflatex`` run, in a session fixture.
"""
from __future__ import annotations

import concurrent.futures
import pathlib
import re
import shutil
import subprocess

import pytest

from symdiff.report.prose import prose_tex

ROOT = pathlib.Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "reports" / "lecture07"
HAVE_TOOLS = all(shutil.which(t) for t in ("pdflatex", "pdftotext"))

# What LaTeX source looks like once typeset as text: a circumflex or underscore that was meant as a script,
# a backslash command, a brace right after a letter (x^{-1} shown as xˆ{-1}).
RAW_LATEX = re.compile(r"[ˆ^_\\]|[A-Za-z0-9]\{")
MARGIN_PT = 10.0


def _compile(tex: pathlib.Path) -> dict:
    proc = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex.name], cwd=tex.parent,
                          capture_output=True, text=True, timeout=300)
    log = tex.with_suffix(".log").read_text(errors="replace")
    pdf = tex.with_suffix(".pdf")
    text = ""
    if proc.returncode == 0 and pdf.exists():
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
    # identifiers shown in typewriter type (claim ids, the file name) are names, not formulas
    for ident in re.findall(r"\\texttt\{([^{}]*)\}", tex.read_text(encoding="utf-8")):
        text = text.replace(ident.replace("\\_", "_"), " ")
    return {"ok": proc.returncode == 0, "log": log, "text": text}


@pytest.fixture(scope="session")
def typeset_reports(tmp_path_factory):
    if not HAVE_TOOLS:
        pytest.skip("pdflatex or pdftotext is not installed")
    work = tmp_path_factory.mktemp("typeset")
    sources = sorted(COMMITTED.glob("*.tex"))
    for s in sources:
        shutil.copyfile(s, work / s.name)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        results = dict(zip((s.stem for s in sources), pool.map(_compile, (work / s.name for s in sources))))
    return results


def test_the_library_has_its_43_reports(typeset_reports):
    assert len(typeset_reports) == 43
    assert all(r["ok"] for r in typeset_reports.values()), [k for k, r in typeset_reports.items() if not r["ok"]]


def test_no_line_runs_more_than_10pt_into_the_margin(typeset_reports):
    overfull = {}
    for name, r in typeset_reports.items():
        widths = [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide", r["log"])]
        if any(w > MARGIN_PT for w in widths):
            overfull[name] = max(widths)
    assert overfull == {}


def test_no_latex_source_shows_in_the_typeset_text(typeset_reports):
    raw = {name: [ln for ln in r["text"].splitlines() if RAW_LATEX.search(ln)][:3]
           for name, r in typeset_reports.items()}
    assert {k: v for k, v in raw.items() if v} == {}


def test_the_checker_sees_raw_latex_when_it_is_there():
    # the pattern the test relies on flags what an escaped formula looks like in pdftotext output
    for shown in ("X\u02c6T X", "a_1, a_2", "(X + Y)\u02c6{-1}", r"\hat{y}"):
        assert RAW_LATEX.search(shown)
    assert not RAW_LATEX.search("X T X + {1, 3}")


@pytest.mark.parametrize("prose, math", [
    ("Y_i = f(X_i A_i + b_i) with A_i an", "$Y_{i} = f(X_{i} A_{i} + b_{i})$ with $A_{i}$ an"),
    ("the adjoint of dZ o Z", r"the adjoint of dZ $\circ$ Z"),
    ("(X^T + X)^{-1} dZ", r"$(X^{T} + X)^{-1} dZ$"),
    ("w^[k+1] = w^[k] - eta x_(k)", r"$w^{[k+1]} = w^{[k]} - \eta  x_{(k)}$"),
    ("soft_max(a, a) = a", r"$\operatorname{soft\,max}(a, a) = a$"),
    ("i in {1, 3}", r"i in \{1, 3\}"),
    ("y_(k)) (as printed)", r"$y_{(k)})$ (as printed)"),
    ("soft_max(x + a) = a", r"$\operatorname{soft\,max}(x + a) = a$"),
])
def test_prose_mathematics_is_typeset_in_math_mode(prose, math):
    assert prose_tex(prose) == math
