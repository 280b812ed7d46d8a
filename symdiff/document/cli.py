"""``symdiff check FILE.tex ...``: check every derivation in LaTeX documents, like a linter.

Exit status: 0 when nothing is refuted (claims marked ``% symdiff: expect
refuted`` aside), 1 when a claim is refuted, 2 when a file cannot be used
(missing, not LaTeX, unbalanced environments) or the annotated PDF cannot be
built.
"""
from __future__ import annotations

import os
import sys

__all__ = ["add_parser", "run_check"]


def add_parser(subparsers):
    p = subparsers.add_parser(
        "check", help="check every derivation of LaTeX documents (like a linter)",
        description="Read LaTeX documents, check every definition, identity and derivative claim in their "
                    "display math, and report each claim that is not proved or consistent. Directives in "
                    "comments: '%% symdiff: let W: (4, 6), b: (4,)', '%% symdiff: where s > 0, M invertible', "
                    "'%% symdiff: skip', '%% symdiff: expect refuted'. Exit status 0 when nothing is refuted, "
                    "1 when a claim is refuted, 2 when a file cannot be used.")
    p.add_argument("files", nargs="+", metavar="FILE.tex", help="LaTeX documents")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--annotate", metavar="OUT.pdf",
                   help="write the document (one file) compiled with a margin mark at every checked equation")
    p.add_argument("--jobs", "-j", type=int, default=None,
                   help="processes checking claims in parallel (default: all cores)")
    p.add_argument("--no-cache", action="store_true",
                   help="check every claim again (the cache is not read; fresh verdicts are stored)")
    p.add_argument("--cache-dir", help="where verdicts are cached (default: $SYMDIFF_CACHE_DIR or "
                                       "~/.cache/symdiff/check)")
    p.add_argument("--budget", type=float, default=10.0, help="seconds for each claim (default 10)")
    p.add_argument("--seed", type=int, default=0, help="seed of the sampled points (default 0)")
    p.set_defaults(handler=run_check)
    return p


def run_check(args) -> int:
    from ..errors import SymdiffError
    from .cache import VerdictCache
    from .output import format_json, format_text
    from .runner import check_files
    from .source import DocumentError

    if args.jobs is not None and args.jobs < 1:
        raise SymdiffError("--jobs must be at least 1")
    if args.seed < 0:
        raise SymdiffError("--seed must be a non-negative integer")
    if args.annotate and len(args.files) != 1:
        raise SymdiffError("--annotate takes one document (it writes one PDF)")
    cache = VerdictCache(args.cache_dir, read=not args.no_cache)
    try:
        records = check_files(args.files, jobs=args.jobs or os.cpu_count() or 1, cache=cache,
                              budget=args.budget, seed=args.seed, progress=args.format == "text")
    except DocumentError as exc:
        print(f"symdiff check: {exc}", file=sys.stderr)
        return 2
    print(format_json(records) if args.format == "json" else format_text(records))
    if args.annotate:
        from .annotate import annotate_pdf
        try:
            annotate_pdf(args.files[0], records, args.annotate)
        except DocumentError as exc:
            print(f"symdiff check: {exc}", file=sys.stderr)
            return 2
    return 1 if any(r.unexpected_refutation for r in records) else 0
