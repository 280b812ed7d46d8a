"""Rich display in Jupyter: the ``_repr_latex_`` / ``_repr_html_`` of gradients, programs and verdicts.

The classes call these functions lazily (``Gradient._repr_latex_`` imports this module), so the
display code, which needs the LaTeX printer, stays out of the modules that build gradients.
``ResultsTable(results)`` shows the ``ClaimResult``s of ``symdiff.derivations.check_paths`` as
one table.
"""
from __future__ import annotations

import html

__all__ = ["program_latex_display", "gradient_latex", "verdict_latex", "verdict_html", "claim_result_html",
           "ResultsTable", "STATUS_COLORS"]

# The report's colours (symdiff/report/document.py), as CSS.
STATUS_COLORS = {"proved": "#1b7a1b", "consistent": "#148080", "refuted": "#bf1a1a", "undetermined": "#737373"}


def _rows(assignments, printer) -> list[str]:
    return [f"{printer.doprint(t)} &= {printer.doprint(e)}" for t, e in assignments]


def _aligned(rows: list[str]) -> str:
    return "$$\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}$$"


def program_latex_display(program) -> str:
    """A ``Program`` as an aligned block: one ``target = rhs`` line per assignment."""
    from .latex.printer import SymdiffLatexPrinter

    return _aligned(_rows(program.assignments, SymdiffLatexPrinter()))


def gradient_latex(g) -> str:
    """The forward program, the adjoint program (aligned on one column) and the closed forms."""
    from .errors import ClosedFormTooLarge
    from .latex.printer import SymdiffLatexPrinter

    printer = SymdiffLatexPrinter(g.adjoint_of)
    rows = [r"&\textbf{forward program}"] + _rows(g.forward_part, printer)
    rows += [r"&\textbf{adjoint program}"] + _rows(g.adjoint_part, printer)
    rows.append(r"&\textbf{closed forms}")
    out = printer.doprint(g.output)
    for w in g.wrt:
        lhs = rf"\frac{{\partial {out}}}{{\partial {printer.doprint(w)}}}"
        try:
            rhs = printer.doprint(g.closed_form(w))
        except ClosedFormTooLarge as exc:
            rhs = rf"\text{{too large to substitute (about {exc.size_text} tree nodes)}}"
        rows.append(f"{lhs} &= {rhs}")
    return _aligned(rows)


def _counterexample_lines(ce: dict | None) -> list[tuple[str, str]]:
    if not ce:
        return []
    lines = [(str(k), _value(v)) for k, v in (ce.get("point") or {}).items()]
    for key in ("sizes", "entry", "component", "instance", "claimed", "actual"):
        if ce.get(key) is not None:
            lines.append((key, _value(ce[key])))
    return lines


def _value(v) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, dict):
        return ", ".join(f"{k} = {_value(x)}" for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return str(v)


def verdict_latex(v) -> str:
    """Status in its colour, the claim as read (when known) and the counterexample."""
    color = STATUS_COLORS[v.status]
    rows = [rf"&\color{{{color}}}{{\textbf{{{v.status}}}}}"]
    read_as = getattr(v, "read_as", None)
    if read_as is not None:
        rows.append(rf"&\text{{read as }} {_latex_of(read_as)}")
    for name, value in _counterexample_lines(v.counterexample):
        rows.append(rf"&\text{{{_text(name)}: {_text(value)}}}")
    return _aligned(rows)


def _latex_of(x) -> str:
    import sympy as sp

    from .latex.printer import SymdiffLatexPrinter
    return SymdiffLatexPrinter().doprint(x) if isinstance(x, sp.Basic) else rf"\text{{{_text(str(x))}}}"


def _text(s: str) -> str:
    """Plain text inside \\text{} for MathJax."""
    for a, b in (("\\", r"\backslash "), ("{", r"\{"), ("}", r"\}"), ("_", r"\_"), ("^", r"\hat{}"),
                 ("$", r"\$"), ("#", r"\#"), ("%", r"\%"), ("&", r"\&")):
        s = s.replace(a, b)
    return s


def _status_html(status: str, mark: str = "") -> str:
    return (f'<b style="color:{STATUS_COLORS[status]}">{html.escape(status)}</b>'
            + (f" {html.escape(mark)}" if mark else ""))


def verdict_html(v) -> str:
    parts = [f"<div>{_status_html(v.status)}: {html.escape(v.explanation)}</div>"]
    read_as = getattr(v, "read_as", None)
    if read_as is not None:
        parts.append(f"<div>read as: \\({_latex_of(read_as)}\\)</div>")
    coverage = getattr(v, "coverage", None)
    if coverage:
        parts.append(f"<div>coverage: {html.escape(_value(coverage))}</div>")
    lines = _counterexample_lines(v.counterexample)
    if lines:
        cells = "".join(f"<tr><td>{html.escape(k)}</td><td><code>{html.escape(x)}</code></td></tr>" for k, x in lines)
        parts.append(f"<table><caption>counterexample</caption>{cells}</table>")
    return "\n".join(parts)


def claim_result_html(r) -> str:
    return ResultsTable([r])._repr_html_()


class ResultsTable:
    """``ResultsTable(check_paths(...))``: the claims as one HTML table (file, claim, verdict, expected)."""

    def __init__(self, results):
        self.results = list(results)

    def _repr_html_(self) -> str:
        head = "<tr><th>file</th><th>claim</th><th>verdict</th><th>expected</th><th>title</th></tr>"
        rows = []
        for r in self.results:
            mark = "" if r.matches else "(differs)"
            rows.append(f"<tr><td>{html.escape(r.file.rsplit('/', 1)[-1])}</td><td><code>{html.escape(r.claim)}"
                        f"</code></td><td>{_status_html(r.status, mark)}</td><td>{html.escape(r.expected)}</td>"
                        f"<td>{html.escape(r.title)}</td></tr>")
            for name, value in _counterexample_lines(r.counterexample):
                rows.append(f'<tr><td></td><td colspan="4">{html.escape(name)}: <code>{html.escape(value)}'
                            "</code></td></tr>")
        matched = sum(r.matches for r in self.results)
        return (f"<table>{head}{''.join(rows)}</table><p>{matched} of {len(self.results)} verdicts match their "
                "expectations.</p>")

    def __repr__(self) -> str:
        return f"<{len(self.results)} claim results>"
