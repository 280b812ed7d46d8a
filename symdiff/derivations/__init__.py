"""The derivations library: hand derivations as TOML files, checked claim by claim.

``load_derivation(path)`` reads one file (format: ``derivations/README.md``);
``check_paths(paths)`` loads every file under the paths and checks every
claim, returning ``ClaimResult``s whose ``status`` is proved, consistent,
refuted or undetermined and whose ``matches`` compares it with the file's
expectation.  The command line is ``symdiff verify PATH...`` (``cli.py``).
"""
from __future__ import annotations

from .load import Claim, Derivation, DerivationError, find_derivation_files, load_derivation
from .run import ClaimResult, check_claim, check_derivation, check_paths

__all__ = ["load_derivation", "find_derivation_files", "check_paths", "check_derivation", "check_claim",
           "Derivation", "Claim", "ClaimResult", "DerivationError"]
