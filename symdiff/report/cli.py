"""``symdiff report PATH... -o DIR``: a LaTeX report (and PDF) per derivation file.

Exit status 0 when the reports are written and every verdict matches its
expectation, 1 when they are written but some verdict differs, 2 on a usage,
parse or LaTeX error (nothing is written then).
"""
from __future__ import annotations

import sys

__all__ = ["add_parser"]


def add_parser(subparsers):
    p = subparsers.add_parser(
        "report", help="write a LaTeX/PDF report per derivation file",
        description="Check every derivation file (folders: every *.toml below them) and write one LaTeX "
                    "document per file into DIR: the computation graph (laid out by Graphviz dot), the forward "
                    "and adjoint programs, the closed forms and every claim with its verdict; compiled to PDF "
                    "with latexmk when a LaTeX engine is installed.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="derivation files or folders")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="folder to write the reports into")
    p.add_argument("--pdf", choices=("auto", "always", "never"), default="auto",
                   help="compile PDFs: when LaTeX is installed (auto, default), always (error without it), never")
    p.add_argument("--seed", type=int, default=0, help="seed of the sampled points (default 0)")
    from ..derivations.cli import add_pool_arguments
    add_pool_arguments(p)
    p.set_defaults(handler=run_report)
    return p


def run_report(args) -> int:
    from ..errors import SymdiffError
    from .build import write_reports
    from .pdf import LatexError

    if args.seed < 0:
        raise SymdiffError("--seed must be a non-negative integer")
    bar = None
    if sys.stderr.isatty():
        try:
            from tqdm import tqdm

            from .build import output_names
            bar = tqdm(total=len(output_names(args.paths)), file=sys.stderr, unit="file", leave=False)
        except ImportError:  # pragma: no cover
            bar = None

    def step(name, results):
        if bar is not None:
            bar.set_postfix_str(str(name), refresh=False)
            bar.update(1)

    try:
        run = write_reports(args.paths, args.output, seed=args.seed, pdf=args.pdf, progress=step, jobs=args.jobs,
                            scheduler=args.scheduler)
    except LatexError as exc:
        raise SymdiffError(str(exc)) from None
    finally:
        if bar is not None:
            bar.close()
    if run.note:
        print(f"symdiff: note: {run.note}", file=sys.stderr)
    for p in run.written:
        print(p)
    mismatched = [r for r in run.results if not r.matches]
    for r in mismatched:
        print(f"symdiff: {r.file}: claim {r.claim!r} is {r.status}, expected {r.expected}", file=sys.stderr)
    return 0 if not mismatched else 1

