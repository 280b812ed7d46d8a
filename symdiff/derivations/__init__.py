"""The derivations library: hand derivations as TOML files, checked claim by claim.

``load_derivation(path)`` reads one file (format: ``derivations/README.md``);
``check_paths(paths)`` loads every file under the paths and checks every
claim, returning ``ClaimResult``s whose ``status`` is proved, consistent,
refuted or undetermined and whose ``matches`` compares it with the file's
expectation.  The command line is ``symdiff verify PATH...`` (``cli.py``).
"""
from __future__ import annotations

from ..lazy import lazy_exports

# Loaded lazily (PEP 562) so that ``symdiff verify --help`` imports neither SymPy nor NumPy.
_EXPORTS = {"Claim": ".load", "Derivation": ".load", "DerivationError": ".load", "find_derivation_files": ".load",
            "load_derivation": ".load", "ClaimResult": ".run", "check_claim": ".run", "check_derivation": ".run",
            "check_paths": ".run"}

__all__ = ["load_derivation", "find_derivation_files", "check_paths", "check_derivation", "check_claim",
           "Derivation", "Claim", "ClaimResult", "DerivationError"]


__getattr__ = lazy_exports(globals(), _EXPORTS)
