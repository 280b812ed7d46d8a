"""``symdiff verify PATH...``: check derivation files and compare the verdicts with their expectations.

Exit status: 0 when every verdict matches its expectation ('holds' meets
proved or consistent, 'refuted' meets refuted), 1 when any differs, 2 on a
usage or parse error (raised as ``SymdiffError``, printed by ``symdiff.cli``).
"""
from __future__ import annotations

import json
import os
import shutil
import sys

__all__ = ["add_parser", "add_pool_arguments", "format_table", "format_counterexample", "result_json", "LEGEND"]


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
    p.add_argument("--no-color", action="store_true", help="no colour (it is off when the output is not a terminal)")
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
        print(json.dumps([result_json(r) for r in results], indent=2, ensure_ascii=False))
    else:
        color = sys.stdout.isatty() and not args.no_color and "NO_COLOR" not in os.environ
        width = min(shutil.get_terminal_size((80, 24)).columns, 120) if sys.stdout.isatty() else 80
        print(format_table(results, color=color, width=width))
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


# proved: a symbolic proof; consistent: agreement at sampled points, no proof; refuted: a certified counterexample
LEGEND = "proved: proof | consistent: points agree | refuted: counterexample | 1-based"


def format_table(results, *, color: bool = False, width: int = 80) -> str:
    """The verdicts as a table of at most ``width`` columns, one section per file, counterexamples wrapped
    under their row, a summary and a one-line legend; ANSI colour only when ``color``."""
    from rich import box
    from rich.console import Console
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False, width=width,
                  header_style="bold" if color else "")
    table.add_column("claim", ratio=1, overflow="fold")
    table.add_column("verdict", no_wrap=True)
    table.add_column("expected", no_wrap=True)
    table.add_column("time", justify="right", no_wrap=True)
    current = None
    for r in results:
        if r.file != current:
            if current is not None:
                table.add_section()
            current = r.file
            name = _short(r.file) if len(_short(r.file)) <= width - 34 else os.path.basename(r.file)
            table.add_row(Text(name, style="bold" if color else ""), "", "", "")
        verdict = Text(r.status + ("" if r.matches else " (!)"), style=_STYLE[r.status] if color else "")
        table.add_row("  " + r.claim, verdict, r.expected, f"{r.elapsed:.1f}s")
        if r.status == "refuted" and r.counterexample:
            table.add_row(Padding(Text("counterexample: " + format_counterexample(r.counterexample),
                                       style="dim" if color else ""), (0, 0, 0, 4)), "", "", "")
        elif not r.matches:
            table.add_row(Padding(Text(_first_sentence(r.explanation), style="dim" if color else ""),
                                  (0, 0, 0, 4)), "", "", "")
    mismatched = [r for r in results if not r.matches]
    counts = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    summary = ", ".join(f"{counts[s]} {s}" for s in ("proved", "consistent", "refuted", "undetermined") if s in counts)
    console = Console(width=width, force_terminal=color, no_color=not color, highlight=False, color_system=
                      "standard" if color else None, legacy_windows=False)
    with console.capture() as capture:
        console.print(table)
        console.print(f"{len(results)} claims: {summary}; " + (
            "every verdict as expected." if not mismatched else
            f"{len(mismatched)} not as expected (marked (!))."))
        console.print(Text(LEGEND, style="dim" if color else ""))
    return "\n".join(line.rstrip() for line in capture.get().splitlines())


_STYLE = {"proved": "green", "consistent": "cyan", "refuted": "red", "undetermined": "yellow"}


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
    """One line (wrapped by the table): the point, sizes, instance, the entry (1-based), claimed and actual."""
    parts = []
    point = ce.get("point") or {}
    if point:
        parts.append(", ".join(f"{k} = {_value(v)}" for k, v in point.items()))
    if ce.get("sizes"):
        parts.append("sizes " + ", ".join(f"{k} = {v}" for k, v in ce["sizes"].items()))
    for key in ("instance", "functions", "component"):
        if ce.get(key):
            parts.append(str(ce[key]))
    if "entry" in ce:
        parts.append("entry (" + ", ".join(map(str, ce["entry"])) + ")")
    parts.append(f"claimed {_value(ce.get('claimed'))}, actual {_value(ce.get('actual'))}")
    return "; ".join(parts)


def result_json(r) -> dict:
    """``ClaimResult.to_json`` (counterexample entries are lists of 1-based indices, as the verifier gives them)."""
    return r.to_json()

