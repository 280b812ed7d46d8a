"""Compiling a report to PDF with ``latexmk -pdf``, reproducibly.

The documents set ``\\pdfinfoomitdate=1``, ``\\pdftrailerid{}`` and
``\\pdfsuppressptexinfo=-1``, and the compilation runs with
``SOURCE_DATE_EPOCH=0`` and ``FORCE_SOURCE_DATE=1``, so the same .tex gives the
same PDF bytes on the same TeX installation.
"""
from __future__ import annotations

import os
import pathlib
import shutil
import subprocess

__all__ = ["latex_available", "compile_pdf", "LatexError", "MISSING_NOTE"]

MISSING_NOTE = ("no LaTeX engine found (latexmk and pdflatex): wrote the .tex files only; install them to get "
                "PDFs, e.g. apt-get install -y --no-install-recommends texlive-latex-base "
                "texlive-latex-recommended texlive-pictures latexmk lmodern")


class LatexError(RuntimeError):
    """latexmk failed; the message carries the first error lines of the log."""


def latex_available() -> bool:
    return shutil.which("latexmk") is not None and shutil.which("pdflatex") is not None


def compile_pdf(tex: pathlib.Path, *, timeout: float = 180.0) -> pathlib.Path:
    """``tex`` -> the PDF next to it (auxiliary files removed).  Raises ``LatexError``."""
    tex = pathlib.Path(tex)
    env = dict(os.environ, SOURCE_DATE_EPOCH="0", FORCE_SOURCE_DATE="1", TZ="UTC")
    cmd = ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error", "-quiet",
           tex.name]
    try:
        proc = subprocess.run(cmd, cwd=tex.parent, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise LatexError(f"latexmk took longer than {timeout:g} s on {tex.name}") from None
    pdf = tex.with_suffix(".pdf")
    if proc.returncode != 0 or not pdf.exists():
        log = tex.with_suffix(".log")
        lines = []
        if log.exists():
            text = log.read_text(errors="replace").splitlines()
            lines = [ln for ln in text if ln.startswith("!") or ":" in ln and ".tex:" in ln][:6]
        detail = "; ".join(lines) or (proc.stdout + proc.stderr).strip()[-500:]
        raise LatexError(f"LaTeX failed on {tex.name}: {detail}")
    subprocess.run(["latexmk", "-c", tex.name], cwd=tex.parent, env=env, capture_output=True, timeout=60)
    for ext in (".aux", ".log", ".fls", ".fdb_latexmk", ".out"):
        p = tex.with_suffix(ext)
        if p.exists():
            p.unlink()
    return pdf
