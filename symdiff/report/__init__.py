"""Reports of derivation files: one LaTeX document (and its PDF) per file.

``write_reports(paths, out_dir)`` loads every derivation under ``paths``,
checks its claims, writes ``<name>.tex`` per file (folders keep their layout
below the folder given) and compiles each to PDF with ``latexmk`` when a LaTeX
engine is installed.  Everything is first written to a temporary folder next to
``out_dir`` and moved into place only when all of it succeeded, so a failed run
leaves no half-written report.
"""
from __future__ import annotations

from ..lazy import lazy_exports

# Loaded lazily (PEP 562) so that ``symdiff report --help`` imports neither SymPy nor NumPy.
_EXPORTS = {"ReportRun": ".build", "write_reports": ".build"}

__all__ = ["write_reports", "ReportRun"]


__getattr__ = lazy_exports(globals(), _EXPORTS)
