r"""The derivation file format (TOML, one derivation per file) and its loader.

See ``derivations/README.md`` for the format.  ``load_derivation(path)``
reads one file in the order a reader of it would:

1. the TOML, and the top-level keys (``title``, ``source``, ``index_base``...);
2. the declarations, ``[variables]``, ``[sizes]``, ``[macros]``,
   ``[functions]``, and from them the file's LaTeX reader
   (``declarations.py``, state in ``scope.FileScope``);
3. the ``[function]``: its LaTeX definition and/or program (``function.py``);
4. each ``[[claims]]`` entry (``claims.py``), and for each assignment of its
   indices an instance: what it is about, its members parsed, its
   conditions, its shapes checked (``instances.py``).

Formulas are LaTeX read by ``LatexReader``, or program text read by
``symdiff.program``.  The result is a ``Derivation`` whose claims are ready to
check (``symdiff.derivations.run``).  Every problem is a ``DerivationError``
naming the file, and the claim when there is one.
"""
from __future__ import annotations

import pathlib
import tomllib

from ..errors import SymdiffError
from .claims import read_claim
from .declarations import build_reader, read_functions, read_macros, read_sizes, read_variables
from .function import read_function
from .model import (EXPECTATIONS, KINDS, STRUCTURES, Claim, Derivation, DerivationError, FunctionDef, Instance,
                    Variable, is_symbolic_matrix)
from .scope import FileScope

__all__ = ["is_symbolic_matrix", "DerivationError", "Derivation", "Claim", "Instance", "Variable", "FunctionDef",
           "load_derivation", "find_derivation_files", "KINDS", "STRUCTURES", "EXPECTATIONS"]

_TOP_KEYS = {"title", "source", "notes", "index_base", "variables", "sizes", "functions", "macros", "function",
             "claims"}
# what a malformed table can raise deep inside a step: reported as the file's problem, not a traceback
_READ_ERRORS = (ValueError, TypeError, AttributeError, KeyError, IndexError)


def find_derivation_files(paths) -> list[pathlib.Path]:
    """Files given, and ``*.toml`` under folders (recursively), sorted, without duplicates."""
    found: list[pathlib.Path] = []
    for p in paths:
        path = pathlib.Path(p)
        if path.is_dir():
            found.extend(sorted(q for q in path.rglob("*.toml") if q.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise DerivationError(f"{p}: no such file or folder")
    out, seen = [], set()
    for f in found:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def load_derivation(path) -> Derivation:
    path = pathlib.Path(path)
    return _derivation(FileScope(path), _read_toml(path))


def _read_toml(path: pathlib.Path) -> dict:
    try:
        raw_bytes = path.read_bytes()
    except OSError as exc:
        raise DerivationError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return tomllib.loads(raw_bytes.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DerivationError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise DerivationError(f"{path}: malformed TOML: {exc}") from None


def _derivation(scope: FileScope, d: dict) -> Derivation:
    """The steps in file order: top-level keys, declarations and the reader, the function, the claims."""
    unknown = sorted(set(d) - _TOP_KEYS)
    if unknown:
        raise scope.error(f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(_TOP_KEYS))})")
    title = scope.string(d, "title", required=True)
    source = scope.string(d, "source", required=True)
    notes = scope.string(d, "notes") or ""
    index_base = d.get("index_base", 1)
    if not isinstance(index_base, int) or isinstance(index_base, bool) or index_base not in (0, 1):
        raise scope.error("index_base must be 0 or 1")
    scope.index_base = index_base
    scope.variables = read_variables(scope, d.get("variables", {}))
    scope.sizes = read_sizes(scope, d.get("sizes", {}))
    scope.macros = read_macros(scope, d.get("macros", {}))
    scope.functions = read_functions(scope, d.get("functions", {}))
    build_reader(scope)
    try:
        scope.function = read_function(scope, d.get("function"))
    except DerivationError:
        raise
    except SymdiffError as exc:
        raise scope.error(f"[function]: {exc}") from None
    except _READ_ERRORS as exc:
        raise scope.error(f"[function]: cannot read it ({type(exc).__name__}: {exc})") from None
    claims = _claims(scope, d.get("claims", []))
    return Derivation(path=scope.path, title=title, source=source, notes=notes, index_base=index_base,
                      variables=scope.variables, sizes=scope.sizes, function=scope.function, claims=claims,
                      reader=scope.reader, generic=scope.generic, markers=scope.markers,
                      conditions=scope.conditions, finite=scope.finite, matrix_structure=scope.matrix_structure,
                      symbols=scope.symbols, raw=d)


def _claims(scope: FileScope, claims_raw) -> list[Claim]:
    """``[[claims]]`` in order: ids unique, ``corrects`` naming a claim of the file."""
    if not isinstance(claims_raw, list) or not all(isinstance(c, dict) for c in claims_raw):
        raise scope.error("claims must be an array of tables ([[claims]])")
    if not claims_raw:
        raise scope.error("no [[claims]]: a derivation file states at least one claim")
    claims, ids = [], set()
    for k, c in enumerate(claims_raw):
        try:
            claim = read_claim(scope, c, k)
        except DerivationError:
            raise
        except SymdiffError as exc:
            raise scope.error(str(exc), c.get("id")) from None
        except _READ_ERRORS as exc:
            raise scope.error(f"cannot read this claim ({type(exc).__name__}: {exc})", c.get("id")) from None
        if claim.id in ids:
            raise scope.error(f"claim id {claim.id!r} is used twice")
        ids.add(claim.id)
        claims.append(claim)
    for c in claims:
        if c.corrects is not None and c.corrects not in ids:
            raise scope.error(f"corrects={c.corrects!r} names no claim of this file", c.id)
    return claims
