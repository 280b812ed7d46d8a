"""``symdiff report``: deterministic .tex equal to the committed reports, PDFs that render, atomic writing."""
from __future__ import annotations

import pathlib
import shutil
import subprocess
import textwrap

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "derivations" / "lecture07"
COMMITTED = ROOT / "reports" / "lecture07"

HAVE_DOT = shutil.which("dot") is not None
HAVE_LATEX = shutil.which("latexmk") is not None and shutil.which("pdflatex") is not None
HAVE_PDFTOPPM = shutil.which("pdftoppm") is not None


def run_report(args, capsys):
    """``symdiff report ...``: exit status and captured output."""
    from symdiff import cli
    status = cli.main(["report", *args])
    out = capsys.readouterr()
    return status, out.out, out.err


def write(tmp_path, name, body):
    p = tmp_path / name
    p.write_text('title = "t"\nsource = "Лекция 7"\n' + textwrap.dedent(body), encoding="utf-8")
    return p


SMALL = r"""
    [variables]
    x = {}
    y = {}
    [function]
    program = '''
    S = x + y
    F = sin(S)*x
    '''
    [[claims]]
    id = "dF-dx"
    wrt = "x"
    claim = '\cos(S) x + \sin(S)'
    expect = "holds"
    """


# --- byte-identical regeneration ------------------------------------------------------------

@pytest.mark.skipif(not HAVE_DOT, reason="Graphviz dot is not installed (the committed reports were laid out by dot)")
def test_the_regenerated_library_report_is_byte_identical_to_the_committed_one(tmp_path):
    # the main job's output, made the way scripts/main.sh makes it: `symdiff report derivations/` in a
    # fresh process (its own hash seed: nothing may depend on set order)
    import os
    import sys
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    subprocess.run([sys.executable, "-m", "symdiff", "report", "derivations/", "-o", str(tmp_path), "--pdf", "never"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    sources = sorted(LIBRARY.glob("*.toml"))
    written = sorted((tmp_path / "lecture07").glob("*.tex"))
    assert [p.name for p in written] == sorted(f"{p.stem}.tex" for p in sources)
    differ = [p.name for p in written if p.read_bytes() != (COMMITTED / p.name).read_bytes()]
    assert not differ, f"regenerated reports differ from reports/lecture07: {differ} " \
                       f"(if the change is intended: symdiff report derivations/ -o reports/)"


def test_every_derivation_has_a_committed_report():
    names = {p.stem for p in LIBRARY.glob("*.toml")}
    assert names == {p.stem for p in COMMITTED.glob("*.tex")}
    assert names == {p.stem for p in COMMITTED.glob("*.pdf")}


def test_the_document_has_every_part(tmp_path):
    from symdiff.report import write_reports
    write(tmp_path, "small.toml", SMALL)
    run = write_reports([tmp_path / "small.toml"], tmp_path / "out", pdf="never")
    tex = (tmp_path / "out" / "small.tex").read_text()
    for part in ("Computation graph", "Forward program", "Adjoint program", "Closed forms", "Claims",
                 r"\begin{tikzpicture}", r"\bar{S}", "Lektsiya 7", r"\pdfinfoomitdate=1", r"\pdftrailerid{}"):
        assert part in tex, part
    assert "proved" in tex and run.all_match
    assert not any(ch for ch in tex if ord(ch) > 127)          # transliterated, no Cyrillic fonts needed


# --- PDF ----------------------------------------------------------------------------------------

@pytest.mark.skipif(not HAVE_LATEX, reason="latexmk/pdflatex not installed (CI installs texlive)")
@pytest.mark.skipif(not HAVE_PDFTOPPM, reason="pdftoppm (poppler-utils) not installed")
def test_pdf_compiles_and_its_first_page_is_not_blank(tmp_path):
    from PIL import Image

    from symdiff.report import write_reports
    write(tmp_path, "small.toml", SMALL)
    run = write_reports([tmp_path / "small.toml"], tmp_path / "out", pdf="always")
    pdf = tmp_path / "out" / "small.pdf"
    assert pdf in run.written and pdf.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["small.pdf", "small.tex"]   # no aux files
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=60)
    page = next(tmp_path.glob("page*.png"))
    img = Image.open(page).convert("L")
    dark = sum(img.histogram()[:128])
    assert dark > 0.002 * img.width * img.height
    # reproducible: the same .tex gives the same bytes
    again = write_reports([tmp_path / "small.toml"], tmp_path / "again", pdf="always")
    assert (tmp_path / "again" / "small.pdf").read_bytes() == pdf.read_bytes()
    assert again.pdf


def test_without_latex_only_the_tex_is_written_with_a_note(tmp_path, monkeypatch, capsys):
    import symdiff.report.pdf as pdf
    monkeypatch.setattr(pdf, "latex_available", lambda: False)
    write(tmp_path, "small.toml", SMALL)
    status, out, err = run_report([str(tmp_path / "small.toml"), "-o", str(tmp_path / "out")], capsys)
    assert status == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["small.tex"]
    assert "no LaTeX engine found" in err and "small.tex" in out
    status, _, err = run_report([str(tmp_path / "small.toml"), "-o", str(tmp_path / "o2"), "--pdf", "always"], capsys)
    assert status == 2 and not (tmp_path / "o2").exists()


# --- atomic writing and errors ----------------------------------------------------------------

def test_a_failed_run_leaves_nothing_half_written(tmp_path, monkeypatch):
    import symdiff.report.build as build
    from symdiff.report import write_reports
    from symdiff.report.pdf import LatexError
    write(tmp_path, "a.toml", SMALL)
    write(tmp_path, "b.toml", SMALL)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("untouched")
    calls = []

    def failing(tex, **kw):
        calls.append(tex.name)
        if len(calls) == 2:
            raise LatexError("boom")
        pdf = tex.with_suffix(".pdf")
        pdf.write_bytes(b"%PDF-1.5 fake")
        return pdf

    monkeypatch.setattr("symdiff.report.pdf.latex_available", lambda: True)
    monkeypatch.setattr("symdiff.report.pdf.compile_pdf", failing)
    with pytest.raises(LatexError):
        write_reports([tmp_path / "a.toml", tmp_path / "b.toml"], out)
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out-")]   # staging removed
    assert build  # the module under test


def test_bad_input_exits_2_and_writes_nothing(tmp_path, capsys):
    bad = write(tmp_path, "bad.toml", SMALL.replace("\\cos(S) x", "\\cos(S) z"))
    status, _, err = run_report([str(bad), "-o", str(tmp_path / "out")], capsys)
    assert status == 2 and "claim 'dF-dx'" in err and "undeclared variable 'z'" in err
    assert not (tmp_path / "out").exists()


def test_folders_keep_their_layout(tmp_path):
    from symdiff.report import write_reports
    (tmp_path / "lib" / "sub").mkdir(parents=True)
    write(tmp_path / "lib", "a.toml", SMALL)
    write(tmp_path / "lib" / "sub", "b.toml", SMALL)
    run = write_reports([tmp_path / "lib"], tmp_path / "out", pdf="never")
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in run.written) == ["a.tex", "sub/b.tex"]


# --- pieces ---------------------------------------------------------------------------------------

def test_graph_layout_without_dot_is_automatic_too(monkeypatch):
    from symdiff.program import parse_program
    import symdiff.report.graph as graph
    p = parse_program("S = x + y\nG = sin(S)\nM = x*y\nF = G/M")
    monkeypatch.setattr(graph, "layout_engine", lambda: "builtin")
    tikz = graph.graph_tikz(p)
    assert tikz.count(r"\node[") == 6 and r"\draw[->] (n0) -- " in tikz


@pytest.mark.skipif(not HAVE_DOT, reason="Graphviz dot is not installed")
def test_graph_layout_by_dot_uses_its_splines():
    from symdiff.program import parse_program
    from symdiff.report.graph import graph_tikz
    tikz = graph_tikz(parse_program("S = x + y\nG = sin(S)\nM = x*y\nF = G/M"))
    assert ".. controls" in tikz and tikz == graph_tikz(parse_program("S = x + y\nG = sin(S)\nM = x*y\nF = G/M"))


def test_tex_text_escapes_and_transliterates():
    from symdiff.report.document import tex_text
    assert tex_text("Пример: a_b & 50% {x}") == r"Primer: a\_b \& 50\% \{x\}"
    assert tex_text("Словарь «терминов»") == "Slovar ``terminov''"
