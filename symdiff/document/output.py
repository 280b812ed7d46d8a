"""Linter-style text and JSON output of ``symdiff check``."""
from __future__ import annotations

import json

from .runner import CLAIM_STATUSES, Record

__all__ = ["format_text", "format_json", "summary"]

MAX_LATEX_SHOWN = 120


def _short(text: str, limit: int = MAX_LATEX_SHOWN) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def format_text(records: list[Record]) -> str:
    """One line per claim that is not proved or consistent (and per unreadable item), then the summary."""
    lines = []
    for r in records:
        if r.status in ("proved", "consistent", "skipped"):
            if r.expected == "refuted" and r.kind in ("identity", "derivative") and r.status != "skipped":
                lines.append(f"{r.file}:{r.line}: {r.status} (expected refuted): {_short(r.latex)}")
            continue
        status = r.status + (" (expected)" if r.status == "refuted" and r.expected == "refuted" else "")
        lines.append(f"{r.file}:{r.line}: {status}: {_short(r.latex)}: {' '.join(r.explanation.split())}")
    lines.append(summary(records))
    return "\n".join(lines)


def summary(records: list[Record]) -> str:
    claims = [r for r in records if r.is_claim]
    count = {s: sum(r.status == s for r in claims) for s in CLAIM_STATUSES}
    expected = sum(r.status == "refuted" and r.expected == "refuted" for r in claims)
    definitions = sum(r.kind == "definition" and r.status != "unreadable" for r in records)
    unreadable = sum(r.status == "unreadable" for r in records)
    skipped = sum(r.status == "skipped" and r.kind != "definition" for r in records)
    refuted = f"{count['refuted']} refuted" + (f" ({expected} expected)" if expected else "")
    noun = "claim" if len(claims) == 1 else "claims"
    return (f"{len(claims)} {noun}: {count['proved']} proved, {count['consistent']} consistent, {refuted}, "
            f"{count['undetermined']} undetermined; {definitions} definition{'s' * (definitions != 1)}; "
            f"{unreadable} unreadable; {skipped} skipped")


def format_json(records: list[Record]) -> str:
    return json.dumps([r.to_json() for r in records], indent=2, ensure_ascii=False)
