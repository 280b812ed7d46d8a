"""Verdict cache: an unchanged claim in an unchanged context is not checked again.

The key is a SHA-256 of the claim's normalized text (whitespace and thin
spaces do not matter), its kind and subject, and its context: the definitions
in force, the declared variables and conditions, the budget and seed, the
version of symdiff and of the reading machinery.  Entries are small JSON files
under ``$SYMDIFF_CACHE_DIR``, else ``$XDG_CACHE_HOME/symdiff/check``, else
``~/.cache/symdiff/check``; each is written atomically.
"""
from __future__ import annotations

import hashlib
import json
import os
import pathlib
import re
import tempfile

__all__ = ["VerdictCache", "cache_key", "default_cache_dir", "normalize_latex"]

_THIN_SPACES = re.compile(r"\\[,;:! ]|~")
_TOKENS = re.compile(r"\\[A-Za-z]+|\\.|\s+|.", re.S)


def normalize_latex(text: str) -> str:
    """Spacing dropped, except one space between letters or digits (``\\sin x``, ``x y``)."""
    tokens = _TOKENS.findall(_THIN_SPACES.sub(" ", text))
    out = []
    for k, tok in enumerate(tokens):
        if tok.isspace():
            before = out[-1] if out else ""
            after = tokens[k + 1] if k + 1 < len(tokens) else ""
            if before[-1:].isalnum() and after[:1].isalnum():   # \sin x, x y (not xy)
                out.append(" ")
            continue
        out.append(tok)
    return "".join(out)


def _normalized(value):
    if isinstance(value, str):
        return normalize_latex(value)
    if isinstance(value, dict):
        return {k: _normalized(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [_normalized(v) for v in value]
    return value


def cache_key(reader_version: str, job: dict) -> str:
    from .. import __version__
    link = dict(job["link"])
    link.pop("offset", None)        # where it stands in the file does not change the verdict
    payload = [__version__, reader_version, _normalized(link), _normalized(job["definitions"]),
               _normalized({k: list(v) for k, v in job["variables"].items()}), _normalized(job["conditions"]),
               job.get("budget"), job.get("seed")]
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def default_cache_dir() -> pathlib.Path:
    if os.environ.get("SYMDIFF_CACHE_DIR"):
        return pathlib.Path(os.environ["SYMDIFF_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return pathlib.Path(base) / "symdiff" / "check"


class VerdictCache:
    def __init__(self, directory: str | os.PathLike | None = None, read: bool = True):
        """``read=False`` (``--no-cache``): every claim is checked again, and the fresh verdicts stored."""
        self.directory = pathlib.Path(directory) if directory is not None else default_cache_dir()
        self.read = read
        self.hits = 0

    def _path(self, key: str) -> pathlib.Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or "status" not in data:
            return None
        self.hits += 1
        return data

    def put(self, key: str, result: dict) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(result, fh, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError:
            pass   # a cache that cannot be written only costs time
