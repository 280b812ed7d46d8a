"""Run every benchmark module and print one table of ratios.

Usage:  python -m benchmarks.run [--quick] [--only NAME ...]

Each ``benchmarks/bench_*.py`` defines ``run(quick: bool) -> list[Row]``.  Ratios
compare against references timed in the same run (sympy.diff + cse, hand-written
NumPy, HIPS autograd or PyTorch where installed), so a noisy shared machine
moves both sides together.
"""
from __future__ import annotations

import argparse
import importlib
import pathlib
import sys


def _fmt(v, unit="s"):
    if v is None:
        return "-"
    if unit == "s":
        if v < 1e-3:
            return f"{v * 1e6:.1f}us"
        if v < 1:
            return f"{v * 1e3:.2f}ms"
        return f"{v:.2f}s"
    return f"{v:g}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run")
    ap.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    ap.add_argument("--only", nargs="*", default=None, help="module names, e.g. core tape")
    args = ap.parse_args(argv)
    here = pathlib.Path(__file__).parent
    sys.path.insert(0, str(here.parent))
    names = sorted(p.stem[len("bench_"):] for p in here.glob("bench_*.py"))
    if args.only:
        names = [n for n in names if n in args.only]
    rows = []
    for name in names:
        mod = importlib.import_module(f"benchmarks.bench_{name}")
        print(f"# running {name} ...", file=sys.stderr, flush=True)
        rows.extend(mod.run(quick=args.quick))
    header = ("bench", "case", "measured", "reference", "ratio", "target", "ok", "note")
    table = [header]
    for r in rows:
        table.append((r.bench, r.case, _fmt(r.measured, r.unit),
                      (f"{_fmt(r.reference, r.unit)} {r.reference_name}".strip()
                       if r.reference is not None else "-"),
                      f"{r.ratio:.2f}" if r.ratio is not None else "-",
                      f"<= {r.target:g}" if r.target is not None else "-",
                      {True: "yes", False: "NO", None: "-"}[r.ok], r.note))
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    for k, row in enumerate(table):
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
        if k == 0:
            print("  ".join("-" * w for w in widths))
    failed = [r for r in rows if r.ok is False]
    print(f"\n{len(rows)} measurements, {len(failed)} over target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
