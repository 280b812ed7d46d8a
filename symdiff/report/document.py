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
from .prose import prose_tex
from .texnames import equation_tex, latex_of as expr_latex, program_tex, uses_cholesky_adjoint
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


def _char_tex(ch: str) -> str:
    if ch in _UNICODE:
        return _UNICODE[ch]
    if ord(ch) < 128:
        return ch
    t = _translit_char(ch)
    return t if t != ch else "?"


def prose(text: str) -> str:
    """Prose for LaTeX: its inline mathematics (X_i^T, dZ o Z) typeset in math mode, the rest escaped."""
    return prose_tex(text, _char_tex)


def _paragraphs(text: str) -> list[str]:
    return [prose(" ".join(p.split())) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def _math(latex: str) -> str:
    return f"${latex}$"


def _fit(latex: str) -> str:
    """A display shrunk to the line when (and only when) it is wider."""
    return r"\[\fitdisplay{" + latex + r"}\]"


def _section(title: str, space: str = "8\\baselineskip") -> str:
    """A heading that starts a new page rather than end one: its content follows it."""
    return rf"\needspace{{{space}}}\section*{{{title}}}"


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
\usepackage{tabularx}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5ex}
\allowdisplaybreaks
\newcommand{\verdict}[2]{\textcolor{#1}{\textbf{#2}}}
% a formula at its natural size, or shrunk to the line when wider
\newsavebox{\fitbox}
\newcommand{\fitdisplay}[1]{\sbox{\fitbox}{$\displaystyle #1$}%
  \ifdim\wd\fitbox>\linewidth\resizebox{\linewidth}{!}{\usebox{\fitbox}}\else\usebox{\fitbox}\fi}
% \needspace{h}: a new page unless h is left on this one (as the needspace package)
\makeatletter
\newcommand{\needspace}[1]{\par\penalty-100\begingroup\setlength{\dimen@}{#1}%
  \dimen@ii\pagegoal\advance\dimen@ii-\pagetotal
  \ifdim\dimen@>\dimen@ii\ifdim\dimen@ii>\z@\vfil\fi\penalty-\@M\fi\endgroup}
\makeatother
"""


def derivation_document(d, results, *, source_label: str) -> str:
    from .graph import graph_tikz, layout_engine

    by_id = {r.claim: r for r in results}
    out = [_PREAMBLE, r"\begin{document}", ""]
    out.append(r"{\large\bfseries " + prose(d.title) + r"\par}")
    out.append(r"\smallskip")
    out.append(r"{" + prose(d.source) + r"\\ File: \texttt{" + tex_text(source_label) + r"}\par}")
    out.append("")
    for p in _paragraphs(d.notes or ""):
        out += [p, ""]

    # verdicts at a glance
    out.append(_section("Claims at a glance"))
    out.append(r"\begin{tabularx}{\linewidth}{@{}llllX@{}}")
    out.append(r"\textbf{claim} & \textbf{kind} & \textbf{verdict} & \textbf{expected} & \textbf{title}\\ \hline")
    for c in d.claims:
        r = by_id[c.id]
        mark = "" if r.matches else r" (!)"
        out.append(rf"\texttt{{{tex_text(c.id)}}} & {c.kind} & \verdict{{{_STATUS_COLOR[r.status]}}}{{{r.status}}}"
                   rf"{mark} & {c.expect} & {prose(c.title)}\\")
    out.append(r"\end{tabularx}")
    matched = sum(1 for r in results if r.matches)
    out.append("")
    out.append(f"{matched} of {len(results)} verdicts match the file's expectations.")
    out.append("")

    # variables
    if d.variables:
        out.append(_section("Variables"))
        out.append(r"\begin{tabular}{@{}llll@{}}")
        out.append(r"\textbf{name} & \textbf{shape} & \textbf{structure} & \textbf{domain}\\ \hline")
        for v in d.variables.values():
            shape = "scalar" if not v.shape else " $\\times$ ".join(str(x) for x in v.shape)
            if len(v.shape) == 1:
                shape = f"vector of {v.shape[0]}"
            domain = ", ".join(_math(x) for x in v.domain) or "--"
            name = _math(expr_latex(d.symbols[v.name])) if isinstance(d.symbols.get(v.name), sp.Basic) and \
                not isinstance(d.symbols[v.name], sp.MatrixBase) else _math(_name_latex(v.name))
            out.append(f"{name} & {shape} & {prose(v.structure or '--')} & {domain}\\\\")
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
        out.append(_section("The function"))
        if fn.latex:
            out.append("As written:")
            out.append(_fit(_display_latex(fn.latex.strip())))
        if fn.note:
            out += _paragraphs(fn.note)
        if fn.program_text and fn.program is not None:
            out.append("As a program (the intermediates the lecture names):")
            out.append(program_tex(fn.program.assignments))
        shown, g, what = report_gradient(d)
        if shown is not None:
            out.append(_section("Computation graph", r"0.45\textheight"))
            engine = "Graphviz dot" if layout_engine() == "dot" else "a layered layout (Graphviz dot not found)"
            out.append(f"Laid out by {engine}; inputs are round, the output is framed twice.")
            out.append("")
            out.append(r"\begin{center}")
            out.append(graph_tikz(_forward_program(g) if g is not None else shown))
            out.append(r"\end{center}")
        if g is not None:
            out.append(_section("Forward program"))
            fwd = g.program.assignments[:g.n_forward]
            adj = g.program.assignments[g.n_forward:]
            out.append(program_tex(fwd, g.adjoint_of))
            out.append(_section("Adjoint program"))
            out.append(prose(what) + r" A bar marks an adjoint: $\bar{v}$ is the derivative of the output "
                       r"with respect to $v$; the lines run in reverse order of the forward program.")
            out.append(program_tex(adj, g.adjoint_of))
            if uses_cholesky_adjoint(adj):
                out.append(_CHOLESKY_NOTE)
            out.append(_section("Closed forms"))
            for w in g.wrt:
                lhs = rf"\frac{{\partial {expr_latex(g.output)}}}{{\partial {expr_latex(w)}}}"
                try:
                    out.append(equation_tex(lhs, g.closed_form(w)))
                except ClosedFormTooLarge as exc:
                    size = exc.size_text.replace(" x 10^", r" \cdot 10^{") + ("}" if "10^" in exc.size_text else "")
                    out.append(_fit(rf"{lhs} = \text{{too large to substitute (about ${size}$ nodes)}}"))
        elif what:
            out.append(prose(what))

    # claims
    out.append(_section("Claims"))
    for c in d.claims:
        out += _claim_section(d, c, by_id[c.id])
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


_CHOLESKY_NOTE = (
    r"Here the adjoint of the Cholesky factorization $X = L L^T$ is written out (Murray 2016): given $L$ and its "
    r"adjoint $\bar{L}$, $\bar{X} = \operatorname{sym}\!\left(L^{-T}\,\Phi\!\left(L^{T} \bar{L}\right) "
    r"L^{-1}\right)$, where $\Phi(P)$ keeps the lower triangle of $P$ and halves its diagonal and "
    r"$\operatorname{sym}(S) = \tfrac12 (S + S^{T})$; the compiled code applies $L^{-T}$ and $L^{-1}$ by two "
    r"triangular solves, never forming an inverse.")


def _display_latex(latex: str) -> str:
    """A file's LaTeX for display: an underscore inside an operator name (soft_max) typeset as a thin space."""
    return re.sub(r"\\(operatorname|mathrm|text)\{([^{}]*)\}",
                  lambda m: rf"\{m.group(1)}{{{m.group(2).replace(chr(92) + '_', chr(92) + ',')}}}", latex)


def _forward_program(g) -> Program:
    """The forward assignments of the gradient as a program: the graph shows the nodes the programs name."""
    p = Program()
    for t, e in g.forward_part:
        p.let(t, e)
    return p


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
    out = [r"\needspace{6\baselineskip}" + rf"\subsection*{{\texttt{{{tex_text(c.id)}}}: {prose(c.title)}}}"]
    if c.source:
        out.append(r"Source: " + prose(c.source) + r"\par")
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
        out.append(_fit((f"{lhs} = " if lhs else "") + _display_latex(body)))
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
            out.append(f"Read as{prose(label)}: " + _fit(shown))
    mark = "matches the expectation" if r.matches else r"\textbf{does not match the expectation}"
    out.append(rf"Expected: \textbf{{{c.expect}}}. Verdict: \verdict{{{_STATUS_COLOR[r.status]}}}{{{r.status}}} "
               f"({mark}).")
    out.append("")
    if len(r.parts) > 1:
        out.append(r"\begin{itemize}")
        for p in r.parts:
            out.append(rf"\item \textit{{{prose(p.label)}}}: \verdict{{{_STATUS_COLOR[p.status]}}}{{{p.status}}}. "
                       + prose(p.explanation))
        out.append(r"\end{itemize}")
    else:
        out.append(prose(r.explanation))
    if r.counterexample:
        out.append("")
        out.append(r"\textbf{Counterexample.} " + _counterexample_tex(r.counterexample))
    if c.note:
        out.append("")
        out.append(r"\textit{Note.} " + prose(c.note))
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
    displayed = any(isinstance(v, list) for v in [*(ce.get("point") or {}).values(), ce.get("claimed"),
                                                   ce.get("actual")])
    text = ", ".join(parts) if not displayed else ""
    extra = []
    if ce.get("sizes"):
        extra.append("sizes " + ", ".join(f"${k} = {v}$" for k, v in ce["sizes"].items()))
    if ce.get("instance"):
        extra.append(prose(str(ce["instance"])))
    if ce.get("functions"):
        extra.append("stand-ins " + prose(str(ce["functions"])))
    if ce.get("component"):
        extra.append(prose(str(ce["component"])))
    if "entry" in ce:
        extra.append("entry $(" + ", ".join(map(str, ce["entry"])) + ")$ (1-based)")
    if displayed:
        # matrices do not break across lines: each value in a display, shrunk to the line if wider
        point = r",\quad ".join(p.strip("$") for p in parts)
        head = ("; ".join(extra) + ":") if extra else ""
        return (head + (_fit(point) if point else "") +
                _fit(rf"\text{{claimed }} {_value_tex(ce.get('claimed'))},\quad "
                     rf"\text{{actual }} {_value_tex(ce.get('actual'))}"))
    if extra:
        text += " (" + "; ".join(extra) + ")"
    text += f": claimed ${_value_tex(ce.get('claimed'))}$, actual ${_value_tex(ce.get('actual'))}$."
    return text
