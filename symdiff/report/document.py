"""One LaTeX document per derivation file.

Sections: where the derivation comes from, its variables, the function as
written, its computation graph (laid out by Graphviz), the forward program,
the adjoint program step by step and the closed forms (``symdiff.gradient``),
then every claim as written with its verdict, the verifier's explanation and
any counterexample.  The text is deterministic: no dates, no timings, verdicts
from fixed seeds.  Cyrillic (the lecture's slide titles) is transliterated, so
the document needs no Cyrillic fonts.
"""
from __future__ import annotations

import re

import sympy as sp

from ..errors import ClosedFormTooLarge, SymdiffError
from .texnames import latex_of as expr_latex, program_tex
from ..matrix import SumEntries
from ..program import Program

__all__ = ["derivation_document", "tex_text", "report_gradient"]

_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u",
     "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))
_UNICODE = {"«": "``", "»": "''", "—": "---", "–": "--", "…": r"\ldots{}", "’": "'", "“": "``", "”": "''",
            "≤": r"$\le$", "≥": r"$\ge$", "≠": r"$\ne$", "∘": r"$\circ$", "·": r"$\cdot$", "×": r"$\times$",
            "∂": r"$\partial$", "−": "-", "→": r"$\to$", "⇒": r"$\Rightarrow$", "∈": r"$\in$", "η": r"$\eta$",
            "α": r"$\alpha$", "σ": r"$\sigma$", "π": r"$\pi$", "√": r"$\surd$", "²": r"$^2$", "ŷ": r"$\hat y$"}
_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
            "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}", "<": r"\textless{}",
            ">": r"\textgreater{}", "|": r"\textbar{}"}

_STATUS_COLOR = {"proved": "green!45!black", "consistent": "teal!70!black", "refuted": "red!75!black",
                 "undetermined": "black!55"}


def _translit_char(ch: str) -> str:
    low = ch.lower()
    if low in _TRANSLIT:
        out = _TRANSLIT[low]
        return out.capitalize() if ch != low and out else out
    return ch


def tex_text(text: str) -> str:
    """Plain text for LaTeX: specials escaped, Cyrillic transliterated, a few symbols typeset."""
    out = []
    for ch in text:
        if ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        elif ch in _UNICODE:
            out.append(_UNICODE[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:
            t = _translit_char(ch)
            out.append(t if t != ch else "?")
    return "".join(out)


def _paragraphs(text: str) -> list[str]:
    return [tex_text(" ".join(p.split())) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def _math(latex: str) -> str:
    return f"${latex}$"


def _verbatim(text: str) -> str:
    lines = [ln.rstrip() for ln in text.strip("\n").splitlines()]
    return "\\begin{verbatim}\n" + "\n".join(lines) + "\n\\end{verbatim}"


# ---------------------------------------------------------------------------
# The gradient shown in the report
# ---------------------------------------------------------------------------

def report_gradient(d):
    """(forward program, Gradient or None, sentence saying what is differentiated)."""
    from ..derivations.registry import rules_with_generic
    from ..reverse import gradient

    fn = d.function
    if fn is None:
        return None, None, ""
    if fn.components is not None:
        adj = [sp.Symbol(f"d{name}", real=True) for name, _ in fn.components]
        expr = sp.Add(*[a * e for a, (_, e) in zip(adj, fn.components)])
        program = Program.from_expr(expr, output="E")
        what = (f"The function has the components {', '.join(n for n, _ in fn.components)}; the adjoint program "
                f"differentiates E = " + " + ".join(f"d{n} {n}" for n, _ in fn.components) +
                " with the adjoints held fixed (one reverse pass gives the vector-Jacobian product).")
        shown = program
    else:
        program = fn.program if fn.program is not None else Program.from_expr(fn.expr, output=fn.name)
        shown = program
        out = program.output
        if isinstance(out, sp.MatrixSymbol) and out.shape != (1, 1):
            adj = sp.MatrixSymbol(f"d{out.name}", *out.shape)
            p = Program()
            for t, e in program.assignments:
                p.let(t, e)
            p.let("E", SumEntries(sp.HadamardProduct(adj, out)))
            program = p
            what = (f"{out.name} is a matrix: the adjoint program differentiates E = sum of the entries of "
                    f"d{out.name} o {out.name}, with the adjoint d{out.name} held fixed, so dE/dX is the adjoint dX.")
        else:
            what = f"The adjoint program differentiates {out.name}."
    wrt = []
    names = {s.name for s in program.inputs} | {t.name for t in program.targets()}
    for c in d.claims:
        for inst in c.instances:
            for w in inst.wrt:
                if isinstance(w, (sp.Symbol, sp.MatrixSymbol)) and w.name in names and w.name not in wrt:
                    wrt.append(w.name)
    if not wrt:
        wrt = [s.name for s in program.inputs if not s.name.startswith("d")] or [s.name for s in program.inputs]
    try:
        g = gradient(program, wrt, rules=rules_with_generic())
    except SymdiffError as exc:
        return shown, None, f"{what} (No gradient program: {exc}.)"
    return shown, g, what


# ---------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------

_PREAMBLE = r"""\pdfinfoomitdate=1
\pdftrailerid{}
\pdfsuppressptexinfo=-1
\documentclass[10pt,a4paper]{article}
\usepackage[T1]{fontenc}
\usepackage{lmodern}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath,amssymb}
\usepackage{xcolor}
\usepackage{tikz}
\usetikzlibrary{shapes.geometric,arrows.meta}
\usepackage{graphicx}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5ex}
\allowdisplaybreaks
\newcommand{\verdict}[2]{\textcolor{#1}{\textbf{#2}}}
"""


def derivation_document(d, results, *, source_label: str) -> str:
    from .graph import graph_tikz, layout_engine

    by_id = {r.claim: r for r in results}
    out = [_PREAMBLE, r"\begin{document}", ""]
    out.append(r"{\large\bfseries " + tex_text(d.title) + r"\par}")
    out.append(r"\smallskip")
    out.append(r"{" + tex_text(d.source) + r"\\ File: \texttt{" + tex_text(source_label) + r"}\par}")
    out.append("")
    for p in _paragraphs(d.notes or ""):
        out += [p, ""]

    # verdicts at a glance
    out.append(r"\section*{Claims at a glance}")
    out.append(r"\begin{tabular}{@{}llllp{6.2cm}@{}}")
    out.append(r"\textbf{claim} & \textbf{kind} & \textbf{verdict} & \textbf{expected} & \textbf{title}\\ \hline")
    for c in d.claims:
        r = by_id[c.id]
        mark = "" if r.matches else r" (!)"
        out.append(rf"\texttt{{{tex_text(c.id)}}} & {c.kind} & \verdict{{{_STATUS_COLOR[r.status]}}}{{{r.status}}}"
                   rf"{mark} & {c.expect} & {tex_text(c.title)}\\")
    out.append(r"\end{tabular}")
    matched = sum(1 for r in results if r.matches)
    out.append("")
    out.append(f"{matched} of {len(results)} verdicts match the file's expectations.")
    out.append("")

    # variables
    if d.variables:
        out.append(r"\section*{Variables}")
        out.append(r"\begin{tabular}{@{}llll@{}}")
        out.append(r"\textbf{name} & \textbf{shape} & \textbf{structure} & \textbf{domain}\\ \hline")
        for v in d.variables.values():
            shape = "scalar" if not v.shape else " $\\times$ ".join(str(x) for x in v.shape)
            if len(v.shape) == 1:
                shape = f"vector of {v.shape[0]}"
            domain = ", ".join(_math(x) for x in v.domain) or "--"
            name = _math(expr_latex(d.symbols[v.name])) if isinstance(d.symbols.get(v.name), sp.Basic) and \
                not isinstance(d.symbols[v.name], sp.MatrixBase) else _math(_name_latex(v.name))
            out.append(f"{name} & {shape} & {tex_text(v.structure or '--')} & {domain}\\\\")
        out.append(r"\end{tabular}")
        if d.sizes:
            out.append("")
            out.append("Sizes: " + ", ".join(f"${k} = {v}$" for k, v in d.sizes.items()) + ".")
        if d.generic:
            out.append("")
            stand = "; ".join(f"${n}$ (stand-in $t \\mapsto {sp.latex(lam.expr)}$)" for n, (_, lam) in d.generic.items())
            out.append("Generic differentiable functions: " + stand + ".")
        out.append("")

    fn = d.function
    if fn is not None:
        out.append(r"\section*{The function}")
        if fn.latex:
            out.append("As written:")
            out.append(r"\[ " + fn.latex.strip() + r" \]")
        if fn.note:
            out += _paragraphs(fn.note)
        if fn.program_text:
            out.append("As a program (the intermediates the lecture names):")
            out.append(_verbatim(fn.program_text))
        shown, g, what = report_gradient(d)
        if shown is not None:
            out.append(r"\section*{Computation graph}")
            engine = "Graphviz dot" if layout_engine() == "dot" else "a layered layout (Graphviz dot not found)"
            out.append(f"Laid out by {engine}; inputs are round, the output is framed twice.")
            out.append("")
            out.append(r"\begin{center}")
            out.append(graph_tikz(shown))
            out.append(r"\end{center}")
        if g is not None:
            out.append(r"\section*{Forward program}")
            fwd = g.program.assignments[:g.n_forward]
            adj = g.program.assignments[g.n_forward:]
            out.append(program_tex(fwd, g.adjoint_of))
            out.append(r"\section*{Adjoint program}")
            out.append(tex_text(what) + r" A bar marks an adjoint: $\bar{v}$ is the derivative of the output "
                       r"with respect to $v$; the lines run in reverse order of the forward program.")
            out.append(program_tex(adj, g.adjoint_of))
            out.append(r"\section*{Closed forms}")
            for w in g.wrt:
                try:
                    cf = g.closed_form(w)
                    rhs = expr_latex(cf)
                except ClosedFormTooLarge as exc:
                    rhs = rf"\text{{too large to substitute (about {exc.estimated_size:,} nodes)}}"
                lhs = rf"\frac{{\partial {expr_latex(g.output)}}}{{\partial {expr_latex(w)}}}"
                out.append(r"\begin{equation*}" + f"{lhs} = {rhs}" + r"\end{equation*}")
        elif what:
            out.append(tex_text(what))

    # claims
    out.append(r"\section*{Claims}")
    for c in d.claims:
        out += _claim_section(d, c, by_id[c.id])
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def _name_latex(name: str) -> str:
    m = re.fullmatch(r"(hat|bar|tilde)_([A-Za-z]+)(.*)", name)
    if m:
        return rf"\{m.group(1)}{{{m.group(2)}}}{m.group(3)}"
    return name


def _lhs(d, c) -> str:
    fname = _name_latex(d.function.name) if d.function is not None else "F"
    if c.kind == "derivative":
        of = c.of_text or fname
        return rf"\frac{{\partial {of}}}{{\partial {c.wrt_text}}}"
    if c.kind == "adjoint":
        return f"d{c.wrt_text}" if re.fullmatch(r"[A-Za-z]\w*", c.wrt_text or "") else rf"d\left({c.wrt_text}\right)"
    if c.kind == "step":
        return rf"{c.wrt_text}^{{[k+1]}}"
    return ""


def _claim_section(d, c, r) -> list[str]:
    out = [rf"\subsection*{{{tex_text(c.id)}: {tex_text(c.title)}}}"]
    if c.source:
        out.append(r"Source: " + tex_text(c.source) + r"\par")
    if c.kind == "definition":
        out.append("The program computes the function as written.")
    else:
        lhs = _lhs(d, c)
        body = c.text.strip()
        if c.kind == "adjoint":
            of = c.of_text or (d.function.name if d.function else "")
            out.append(f"The adjoint of ${c.wrt_text}$ given the adjoint $d{_name_latex(of)}$ of ${_name_latex(of)}$:")
        elif c.kind == "step":
            out.append(f"A learning step with rate ${c.rate_text}$, read as "
                       f"${c.wrt_text} - {c.rate_text}\\,\\partial {_name_latex(d.function.name)}/\\partial "
                       f"{c.wrt_text}$:")
        out.append(r"\begin{equation*}" + (f"{lhs} = " if lhs else "") + body + r"\end{equation*}")
    extras = []
    if c.indices:
        extras.append("for " + ", ".join(f"${k} \\in \\{{{', '.join(map(str, v))}\\}}$" for k, v in c.indices.items()))
    if c.where_text:
        extras.append("where " + ", ".join(_math(w) for w in c.where_text))
    if extras:
        out.append("(" + "; ".join(extras) + ")")
        out.append("")
    if c.instances and c.instances[0].members and c.kind != "definition":
        parsed = [m for m in c.instances[0].members]
        shown = " = ".join(expr_latex(m) for m in parsed[:3])
        label = f" (for {c.instances[0].label})" if c.instances[0].label else ""
        if len(shown) < 900:
            out.append(f"Read as{tex_text(label)}: " + r"\begin{equation*}" + shown + r"\end{equation*}")
    mark = "matches the expectation" if r.matches else r"\textbf{does not match the expectation}"
    out.append(rf"Expected: \textbf{{{c.expect}}}. Verdict: \verdict{{{_STATUS_COLOR[r.status]}}}{{{r.status}}} "
               f"({mark}).")
    out.append("")
    if len(r.parts) > 1:
        out.append(r"\begin{itemize}")
        for p in r.parts:
            out.append(rf"\item \textit{{{tex_text(p.label)}}}: \verdict{{{_STATUS_COLOR[p.status]}}}{{{p.status}}}. "
                       + tex_text(p.explanation))
        out.append(r"\end{itemize}")
    else:
        out.append(tex_text(r.explanation))
    if r.counterexample:
        out.append("")
        out.append(r"\textbf{Counterexample.} " + _counterexample_tex(r.counterexample))
    if c.note:
        out.append("")
        out.append(r"\textit{Note.} " + tex_text(c.note))
    if c.corrects:
        out.append("")
        out.append(r"\textit{Corrects} \texttt{" + tex_text(c.corrects) + "}.")
    out.append("")
    return out


def _value_tex(v) -> str:
    if isinstance(v, list) and v and isinstance(v[0], list):
        rows = r" \\ ".join(" & ".join(_value_tex(x) for x in row) for row in v)
        return r"\begin{pmatrix}" + rows + r"\end{pmatrix}"
    if isinstance(v, list):
        return r"\begin{pmatrix}" + r" \\ ".join(_value_tex(x) for x in v) + r"\end{pmatrix}"
    if isinstance(v, float):
        return f"{v:.6g}".replace("e", r"\cdot 10^{") + ("}" if "e" in f"{v:.6g}" else "")
    return tex_text(str(v)) if not isinstance(v, int) else str(v)


def _counterexample_tex(ce: dict) -> str:
    parts = []
    for k, v in (ce.get("point") or {}).items():
        parts.append(f"${_name_latex(k) if '{' not in k else k} = {_value_tex(v)}$")
    text = ", ".join(parts)
    extra = []
    if ce.get("sizes"):
        extra.append("sizes " + ", ".join(f"${k} = {v}$" for k, v in ce["sizes"].items()))
    if ce.get("instance"):
        extra.append(tex_text(str(ce["instance"])))
    if ce.get("functions"):
        extra.append("stand-ins " + tex_text(str(ce["functions"])))
    if "entry" in ce:
        extra.append("entry " + tex_text(str(ce["entry"])))
    if extra:
        text += " (" + "; ".join(extra) + ")"
    text += f": claimed ${_value_tex(ce.get('claimed'))}$, actual ${_value_tex(ce.get('actual'))}$."
    return text
