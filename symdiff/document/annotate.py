r"""``--annotate OUT.pdf``: the user's document, compiled, with a mark in the margin at every checked equation.

An annotated *copy* of every source file read is written to a temporary
folder (the user's files are never touched): the marks (✓ proved, ≈ consistent,
✗ refuted, ? undetermined or unreadable, colour-coded) are TikZ overlay nodes
placed at the end of the row holding each claim, aligned at the right edge of
the page; each refuted claim gets a footnote with the counterexample, numbered S1, S2...
next to its mark (the footnote text goes in before the equation, so no stray
number appears in the prose and the author's footnote numbers are untouched).
A few lines before ``\begin{document}`` load xcolor and TikZ (the marks are
drawn, no symbol font needed) and define the marks; the user's preamble and
macros stay as they are.
latexmk compiles the copy with ``TEXINPUTS`` pointing at the document's folder,
so its images, styles and bibliography are found.
"""
from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import tempfile

from pylatexenc.latexwalker import LatexEnvironmentNode, LatexWalker, LatexWalkerError

from .runner import Record
from .source import DocumentError

__all__ = ["annotate_pdf", "annotated_sources", "PREAMBLE"]

LATEXMK_SECONDS = 300

PREAMBLE = r"""
% ---- added by symdiff check --annotate: margin marks of the checked equations ----
\usepackage{xcolor}
\usepackage{tikz}
\makeatletter
\@ifpackagelater{tikz}{2013/12/01}{\usetikzlibrary{babel}}{}
\makeatother
\definecolor{symdiffProvedColor}{rgb}{0,0.55,0}
\definecolor{symdiffConsistentColor}{rgb}{0.1,0.35,0.85}
\definecolor{symdiffRefutedColor}{rgb}{0.8,0,0}
\definecolor{symdiffUnknownColor}{rgb}{0.85,0.5,0}
\newcommand\symdiffProved{\tikz[baseline=0pt]\draw[symdiffProvedColor,line width=1.3pt,line cap=round,
  line join=round] (0,0.55ex) -- (0.3em,0) -- (0.85em,1.4ex);}
\newcommand\symdiffConsistent{\textcolor{symdiffConsistentColor}{\boldmath$\approx$}}
\newcommand\symdiffRefuted{\tikz[baseline=0pt]\draw[symdiffRefutedColor,line width=1.3pt,line cap=round]
  (0,0) -- (0.75em,1.4ex) (0,1.4ex) -- (0.75em,0);}
\newcommand\symdiffUnknown{\textcolor{symdiffUnknownColor}{\textbf{?}}}
\newcommand\symdiffMark[1]{\tikz[remember picture,overlay,baseline=0pt]\node[anchor=base west,inner sep=0pt,
  font=\normalsize\bfseries] at ([xshift=-2.2cm]current page.east |- 0,0) {#1};}
\newcommand\symdiffRef[1]{\,{\scriptsize\textcolor{symdiffRefutedColor}{S#1}}}
\newcommand\symdiffNote[2]{\begingroup\renewcommand\thefootnote{\textcolor{symdiffRefutedColor}{S\arabic{footnote}}}%
  \footnotetext[#1]{\symdiffRefuted~#2}\endgroup}
% ---- end of symdiff's additions ----
"""

_MARKS = {"proved": r"\symdiffProved", "consistent": r"\symdiffConsistent", "refuted": r"\symdiffRefuted",
          "undetermined": r"\symdiffUnknown", "unreadable": r"\symdiffUnknown"}
_TEX_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
                 "%": r"\%", "_": r"\_", "^": r"\^{}", "~": r"\~{}"}
_UNICODE = {"·": r"$\cdot$", "≈": r"$\approx$", "−": "-", "×": r"$\times$", "≤": r"$\le$", "≥": r"$\ge$",
            "≠": r"$\ne$", "∞": r"$\infty$", "…": "...", "’": "'", "“": "``", "”": "''", "–": "--",
            "—": "---"}


def _escape(text: str) -> str:
    out = []
    for ch in " ".join(text.split()):
        if ch in _TEX_SPECIALS:
            out.append(_TEX_SPECIALS[ch])
        elif ch in _UNICODE:
            out.append(_UNICODE[ch])
        elif ord(ch) < 128 or "\u0400" <= ch <= "\u04ff":
            out.append(ch)
        else:
            out.append("?")
    return "".join(out)


def _note(record: Record) -> str:
    text = record.explanation or "refuted"
    expected = " (marked: expect refuted)" if record.expected == "refuted" else ""
    return _escape(f"line {record.line}{expected}: {text}")


def _placeholder(record: Record) -> str:
    """What the annotated copy typesets instead of a formula TeX cannot read."""
    return rf" \text{{\textcolor{{symdiffUnknownColor}}{{unreadable formula (line {record.line}), not typeset}}}} "


def _document_begin(text: str) -> int | None:
    try:
        nodes, _, _ = LatexWalker(text, tolerant_parsing=True).get_latex_nodes()
    except LatexWalkerError:
        nodes = []
    for node in nodes or []:
        if isinstance(node, LatexEnvironmentNode) and node.environmentname == "document":
            return node.pos
    return None


def annotated_sources(main: pathlib.Path, records: list[Record]) -> dict[pathlib.Path, str]:
    """Annotated text of every source file holding a checked equation (and of the main file)."""
    insertions: dict[str, dict[int, list[str]]] = {}
    replaced: dict[str, dict[int, tuple[int, str]]] = {}     # start -> (end, placeholder)
    notes = 0
    for r in records:
        if r.broken_span is not None and r.anchor is not None:   # TeX cannot typeset it: a placeholder
            start, end = r.broken_span
            replaced.setdefault(r.anchor[0], {})[start] = (end, _placeholder(r))
        if r.anchor is None or r.status not in _MARKS or r.kind not in ("identity", "derivative", "definition"):
            continue
        path, row_end, item_start, inline = r.anchor
        if inline:
            continue
        if r.kind == "definition" and r.status != "unreadable":
            continue
        marks = insertions.setdefault(path, {})
        if r.status == "refuted":
            # the note goes in before the equation (a footnote text, no mark in the prose): S1, S2... in the
            # margin and at the foot of the page, apart from the author's own footnote numbers
            notes += 1
            marks.setdefault(row_end, []).append(_MARKS[r.status] + rf"\symdiffRef{{{notes}}}")
            marks.setdefault(item_start, []).append(rf"\symdiffNote{{{notes}}}{{{_note(r)}}}")
        else:
            marks.setdefault(row_end, []).append(_MARKS[r.status])
    main = main.resolve()
    out = {}
    for path in set(insertions) | set(replaced) | {str(main)}:
        text = pathlib.Path(path).read_text(encoding="utf-8-sig")
        spans = replaced.get(path, {})
        for start, (end, placeholder) in spans.items():   # marks inside a replaced body go after it
            moved = [p for offset, pieces in insertions.get(path, {}).items() if start < offset <= end
                     for p in pieces]
            for offset in [o for o in insertions.get(path, {}) if start < o <= end]:
                del insertions[path][offset]
            if moved:
                insertions.setdefault(path, {}).setdefault(end, []).extend(moved)
        # from the end, so earlier offsets stay valid; marks of one row go in one node
        for offset in sorted(set(insertions.get(path, {})) | set(spans), reverse=True):
            if offset in spans:
                end, placeholder = spans[offset]
                text = text[:offset] + placeholder + text[end:]
            if offset not in insertions.get(path, {}):
                continue
            pieces = insertions[path][offset]
            marks = [p for p in pieces if not p.startswith(r"\symdiffNote")]
            notes = [p for p in pieces if p.startswith(r"\symdiffNote")]
            added = ""
            if marks:
                added += r"\symdiffMark{" + r"\,".join(marks) + "}"
            added += "".join(notes)
            text = text[:offset] + added + text[offset:]
        if pathlib.Path(path) == main:
            begin = _document_begin(text)
            if begin is None:
                raise DocumentError(f"{main.name}: no \\begin{{document}}, so there is nothing to compile "
                                    f"(annotate the main file that \\input's it)")
            text = text[:begin] + PREAMBLE.lstrip("\n") + text[begin:]
        out[pathlib.Path(path)] = text
    return out


def _engine(text: str) -> str:
    if "fontspec" in text or "polyglossia" in text or "unicode-math" in text:
        return "-xelatex"
    return "-pdf"


def annotate_pdf(main, records: list[Record], output) -> pathlib.Path:
    """Compile the annotated copy of ``main`` to ``output``; ``DocumentError`` if latexmk fails."""
    main = pathlib.Path(main)
    output = pathlib.Path(output)
    if shutil.which("latexmk") is None:
        raise DocumentError("--annotate needs latexmk (the set-up installs it: bash scripts/setup.sh)")
    sources = annotated_sources(main, records)
    root = main.resolve().parent
    with tempfile.TemporaryDirectory(prefix="symdiff-annotate-") as tmp:
        tmp_root = pathlib.Path(tmp)
        for path, text in sources.items():
            try:
                relative = path.relative_to(root)
            except ValueError:
                raise DocumentError(f"{path}: an \\input outside the document's folder cannot be annotated") \
                    from None
            target = tmp_root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        env = dict(os.environ)
        sep = os.pathsep
        for var in ("TEXINPUTS", "BIBINPUTS", "BSTINPUTS"):
            env[var] = f"{tmp_root}{sep}{root}//{sep}{env.get(var, '')}"
        env["SOURCE_DATE_EPOCH"] = env.get("SOURCE_DATE_EPOCH", "0")
        env["FORCE_SOURCE_DATE"] = "1"
        name = main.name
        cmd = ["latexmk", _engine(sources[main.resolve()]), "-interaction=nonstopmode", "-halt-on-error",
               "-file-line-error", name]
        try:
            proc = subprocess.run(cmd, cwd=tmp_root, env=env, capture_output=True, text=True,
                                  timeout=LATEXMK_SECONDS, errors="replace")
        except subprocess.TimeoutExpired:
            raise DocumentError(f"latexmk took more than {LATEXMK_SECONDS} s on the annotated copy") from None
        pdf = tmp_root / (main.stem + ".pdf")
        if proc.returncode != 0 or not pdf.exists():
            log = tmp_root / (main.stem + ".log")
            detail = _first_error(log.read_text(errors="replace") if log.exists() else proc.stdout + proc.stderr)
            raise DocumentError(f"latexmk could not compile the annotated copy of {main}: {detail}")
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, output)
    return output


def _first_error(log: str) -> str:
    for line in log.splitlines():
        if line.startswith("!") or ": error" in line.lower() or line.lstrip().startswith("./") and ":" in line:
            if "error" in line.lower() or line.startswith("!"):
                return line.strip()
    return "see the LaTeX log (no error line found)"
