r"""``symdiff check``: every derivation of a LaTeX document, checked like a linter.

``source`` walks the document with pylatexenc (``\input``, macros, directives),
``statements`` cuts display math into statements with source offsets,
``adapter`` reads and decides one statement with the LaTeX front end and the
verifier, ``runner`` keeps definitions and scopes in document order and checks
claims in parallel, ``cache`` remembers verdicts, ``output`` prints them and
``annotate`` writes a marked copy of the document compiled with latexmk.
"""
from __future__ import annotations

from .runner import Record, check_files
from .source import DocumentError

__all__ = ["check_files", "Record", "DocumentError"]
