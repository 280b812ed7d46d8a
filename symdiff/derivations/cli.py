"""``symdiff verify PATH...``: check derivation files and compare the verdicts with their expectations.

Exit status: 0 when every verdict matches its expectation ('holds' meets
proved or consistent, 'refuted' meets refuted), 1 when any differs, 2 on a
usage or parse error (raised as ``SymdiffError``, printed by ``symdiff.cli``).
"""
from __future__ import annotations

import json
import os
import sys

__all__ = ["add_parser", "add_pool_arguments", "format_table", "format_counterexample"]


def add_parser(subparsers):
    p = subparsers.add_parser(
        "verify", help="check the claims of derivation files (TOML) against symdiff's derivatives",
        description="Check every claim of the derivation files (folders: every *.toml below them) and compare "
                    "each verdict with the claim's expectation. Exit status 0 when all match, 1 when any "
                    "differs, 2 on a usage or parse error.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="derivation files or folders")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
    p.add_argument("--seed", type=int, default=0, help="seed of the sampled points (default 0)")
    add_pool_arguments(p)
    p.set_defaults(handler=run_verify)
    return p


def run_verify(args) -> int:
    from ..errors import SymdiffError
    from .load import find_derivation_files, load_derivation
    from .pool import check_claims

    if args.seed < 0:
        raise SymdiffError("--seed must be a non-negative integer")
    files = find_derivation_files(args.paths)
    if not files:
        raise SymdiffError(f"no derivation files (*.toml) under {', '.join(args.paths)}")
    derivations = [load_derivation(f) for f in files]
    total = sum(len(d.claims) for d in derivations)
    bar = _progress(total)
    def step(result):
        if bar is not None:
            bar.set_postfix_str(f"{_short(result.file)}: {result.claim}", refresh=False)
            bar.update(1)
    try:
        results = check_claims(derivations, seed=args.seed, jobs=args.jobs, scheduler=args.scheduler,
                               progress=step)
    finally:
        if bar is not None:
            bar.close()
    if args.format == "json":
        print(json.dumps([r.to_json() for r in results], indent=2, ensure_ascii=False))
    else:
        print(format_table(results))
    return 0 if all(r.matches for r in results) else 1


def add_pool_arguments(p):
    """--jobs and --scheduler: where the claims are checked (symdiff.derivations.pool)."""
    p.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help="check claims in N processes (default: all cores)")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="check claims on a running dask.distributed scheduler (e.g. tcp://host:8786)")


def _progress(total: int):
    if total < 2 or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return tqdm(total=total, file=sys.stderr, unit="claim", leave=False, dynamic_ncols=True)


def _short(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        rel = path
    return path if rel.startswith("..") else rel


def format_table(results) -> str:
    rows = [("file", "claim", "verdict", "expected", "time")]
    for r in results:
        verdict = r.status if r.matches else f"{r.status} (!)"
        rows.append((_short(r.file), r.claim, verdict, r.expected, f"{r.elapsed:.1f}s"))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(w) if i < 4 else cell.rjust(w) for i, (cell, w) in
                               enumerate(zip(row, widths))).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
            continue
        r = results[n - 1]
        if r.status == "refuted" and r.counterexample:
            lines.append("    counterexample: " + format_counterexample(r.counterexample))
        elif not r.matches:
            lines.append("    " + _first_sentence(r.explanation))
    mismatched = [r for r in results if not r.matches]
    counts = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    summary = ", ".join(f"{counts[s]} {s}" for s in ("proved", "consistent", "refuted", "undetermined") if s in counts)
    lines.append("")
    lines.append(f"{len(results)} claims: {summary}; "
                 + ("every verdict matches its expectation." if not mismatched else
                    f"{len(mismatched)} verdict(s) differ from the expectation (marked (!))."))
    return "\n".join(lines)


def _first_sentence(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _value(v) -> str:
    if isinstance(v, list):
        if v and isinstance(v[0], list):
            return "[" + ", ".join(_value(r) for r in v) + "]"
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def format_counterexample(ce: dict) -> str:
    parts = []
    point = ce.get("point") or {}
    if point:
        parts.append(", ".join(f"{k} = {_value(v)}" for k, v in point.items()))
    if ce.get("sizes"):
        parts.append("sizes " + ", ".join(f"{k} = {v}" for k, v in ce["sizes"].items()))
    for key in ("instance", "functions"):
        if ce.get(key):
            parts.append(str(ce[key]))
    if "entry" in ce:
        entry = _value(ce["entry"])
        parts.append(entry if entry.startswith(("entry", "d")) else f"entry {entry}")
    parts.append(f"claimed {_value(ce.get('claimed'))}, actual {_value(ce.get('actual'))}")
    return "; ".join(parts)


def main(argv=None) -> int:
    """``python -m symdiff.derivations.cli ...``: the same as ``symdiff verify ...``."""
    from ..cli import main as symdiff_main

    return symdiff_main(["verify", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
