"""The ``symdiff`` command line.

``symdiff grad "sin(x+y)/(x*y)" --wrt x,y`` prints the forward program, the
adjoint program and the closed forms (``--latex`` for LaTeX).  Errors print one
line and exit with status 2.
"""
from __future__ import annotations

import argparse
import pathlib
import re
import sys

from .errors import ClosedFormTooLarge, SymdiffError


# An argument such as ``examples/f.prog`` or ``f.txt`` names a file; ``x/y`` or ``X.T`` is an expression.
_PATH_LIKE = re.compile(r"^[\w./\\~-]*\.(?!T$)[A-Za-z]\w*$")


def _read_function(spec: str) -> str:
    if spec == "-":
        return sys.stdin.read()
    if "\n" not in spec:
        path = pathlib.Path(spec)
        try:
            is_file = path.is_file()
        except (OSError, ValueError):  # a long expression is not a valid file name
            is_file = False
        if is_file:
            try:
                return path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise SymdiffError(f"cannot read {spec}: {exc}") from None
        if _PATH_LIKE.match(spec.strip()):
            raise SymdiffError(f"no such file: {spec}")
    return spec


def _check_wrt(program, wrt: str) -> list[str]:
    """The names of ``--wrt``; one that the function does not contain is an error naming the ones it does."""
    from .verifier.wrt import read_wrt
    if not wrt.strip(", "):
        raise SymdiffError("--wrt names no variable")
    try:
        names = list(read_wrt(wrt).names)
    except SymdiffError as exc:
        raise SymdiffError(f"--wrt {wrt}: {exc}") from None
    inputs = [str(s) for s in program.inputs]
    known = set(inputs) | {str(s) for s in program.targets()}
    missing = [n for n in names if n not in known]
    if missing:
        raise SymdiffError(f"--wrt {', '.join(missing)}: not a variable of the function; its inputs are "
                           f"{', '.join(inputs)}")
    return names


def _cmd_grad(args) -> int:
    from .latex.printer import expr_latex, program_latex
    from .printing import program_text
    from .reverse import gradient

    text = _read_function(args.function)
    from .program import as_program
    program = as_program(text)
    wrt = list(program.inputs) if args.wrt is None else _check_wrt(program, args.wrt)
    g = gradient(text, wrt, tie_policy=args.tie_policy)
    n = g.n_forward
    assignments = g.program.assignments
    out = []
    if args.latex:
        from .program import Program
        fwd, adj = Program(), Program()
        for t, e in assignments[:n]:
            fwd.let(t, e)
        for t, e in assignments[n:]:
            adj.let(t, e)
        out += ["% forward program", program_latex(fwd, g.adjoint_of), "",
                "% adjoint program", program_latex(adj, g.adjoint_of), "", "% closed forms"]
    else:
        out.append("# forward program")
        out += [f"{t} = {program_text(e)}" for t, e in assignments[:n]]
        out += ["", "# adjoint program"]
        out += [f"{t} = {program_text(e)}" for t, e in assignments[n:]]
        out += ["", "# closed forms"]
    for w in g.wrt:
        try:
            cf = g.closed_form(w, simplify=args.simplify, budget=args.budget)
        except ClosedFormTooLarge as exc:
            line = f"too large to substitute (about {exc.size_text} tree nodes); see the program"
            out.append(f"% d{g.output}/d{w}: {line}" if args.latex else f"d{g.output}/d{w}: {line}")
            continue
        if args.latex:
            out.append(rf"\frac{{\partial {expr_latex(g.output)}}}{{\partial {expr_latex(w)}}} = {expr_latex(cf)}")
        else:
            out.append(f"d{g.output}/d{w} = {program_text(cf)}")
    print("\n".join(out))
    return 0


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    ap = argparse.ArgumentParser(prog="symdiff", description="Symbolic reverse-mode differentiation "
                                 "over computation graphs, derivation checking and reports.")
    ap.add_argument("--version", action="version", version=f"symdiff {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    g = sub.add_parser("grad", help="gradient program and closed forms of a function")
    g.add_argument("function", help="an expression such as 'sin(x+y)/(x*y)', a program file, or - for stdin")
    g.add_argument("--wrt", help="comma-separated variables (default: every input)")
    g.add_argument("--latex", action="store_true", help="print LaTeX")
    g.add_argument("--simplify", action="store_true", help="simplify closed forms (under --budget)")
    g.add_argument("--budget", type=float, default=10.0, help="seconds for each simplification")
    g.add_argument("--tie-policy", default="first", choices=("first", "average", "all"),
                   help="max/min derivative at ties (the lecture's three variants)")
    g.set_defaults(handler=_cmd_grad)
    from .derivations.cli import add_parser as add_verify_parser
    from .document.cli import add_parser as add_check_parser
    from .report.cli import add_parser as add_report_parser
    from .train.cli import add_parser as add_train_parser
    add_verify_parser(sub)
    add_report_parser(sub)
    add_train_parser(sub)
    add_check_parser(sub)
    return ap


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except SymdiffError as exc:
        print(f"symdiff: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("symdiff: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
