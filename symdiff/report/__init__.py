"""Reports of derivation files: one LaTeX document (and its PDF) per file.

``write_reports(paths, out_dir)`` loads every derivation under ``paths``,
checks its claims, writes ``<name>.tex`` per file (folders keep their layout
below the folder given) and compiles each to PDF with ``latexmk`` when a LaTeX
engine is installed.  Everything is first written to a temporary folder next to
``out_dir`` and moved into place only when all of it succeeded, so a failed run
leaves no half-written report.
"""
from __future__ import annotations

from .build import ReportRun, write_reports

__all__ = ["write_reports", "ReportRun"]
