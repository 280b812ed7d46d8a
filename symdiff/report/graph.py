"""The computation graph of a program as a TikZ picture, laid out by Graphviz ``dot``.

``dot -Tplain`` places the nodes (layers from left to right, as the lecture
draws its graphs) and routes the edges as cubic splines; the picture is then
written in TikZ with those coordinates, so the labels are typeset by LaTeX
(``\\bar{S}``, ``\\sin``) and the .tex stays text (byte-identical for the same
input and Graphviz version).  Without ``dot`` a longest-path layering computed
here places the nodes instead (straight edges); ``layout_engine()`` says which.
"""
from __future__ import annotations

import shutil
import subprocess

from ..program import Program, value_symbols
from .texnames import latex_of as expr_latex

__all__ = ["graph_tikz", "layout_engine"]

_MAX_WIDTH = 6.3   # inches (dot's unit, and the TikZ picture's)


def layout_engine() -> str:
    return "dot" if shutil.which("dot") else "builtin"


def _nodes_and_edges(program: Program):
    nodes, edges = [], []
    index = {}

    def add(symbol, kind, label):
        index[symbol] = len(nodes)
        nodes.append({"id": f"n{len(nodes)}", "symbol": symbol, "kind": kind, "label": label,
                      "width": _width(label)})

    for s in program.inputs:
        add(s, "input", f"${expr_latex(s)}$")
    outputs = set(program.outputs)
    for t, e in program.assignments:
        rhs = expr_latex(e)
        name = expr_latex(t)
        label = f"${name} = {rhs}$"
        if _width(label) > 2.6:  # a formula too long for a node: the programs below give it
            label = f"${name}$"
        add(t, "output" if t in outputs else "node", label)
        for s in sorted(value_symbols(e), key=lambda s: s.name):
            if s in index:
                edges.append((index[s], index[t]))
    return nodes, edges


def _width(label: str) -> float:
    """Approximate width of a typeset label in inches (dot only needs room to place it)."""
    import re
    text = re.sub(r"\\(left|right|cdot|operatorname|mathit|mathrm)", "", label)
    text = re.sub(r"\\[A-Za-z]+", "x", text)
    text = re.sub(r"[{}$_^]", "", text)
    return round(max(0.45, 0.085 * len(text) + 0.3), 2)


def _dot_source(nodes, edges) -> str:
    lines = ["digraph G {", "rankdir=LR; nodesep=0.25; ranksep=0.4;",
             "node [fixedsize=true, height=0.4, shape=box];"]
    for n in nodes:
        shape = "ellipse" if n["kind"] == "input" else "box"
        lines.append(f'{n["id"]} [label="{n["id"]}", width={n["width"]}, shape={shape}];')
    for a, b in edges:
        lines.append(f'{nodes[a]["id"]} -> {nodes[b]["id"]};')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_layout(nodes, edges):
    proc = subprocess.run(["dot", "-Tplain"], input=_dot_source(nodes, edges), capture_output=True, text=True,
                          timeout=60)
    if proc.returncode != 0:
        raise RuntimeError(f"dot failed: {proc.stderr.strip()}")
    pos, splines, size = {}, [], (0.0, 0.0)
    for line in proc.stdout.splitlines():
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "graph":
            size = (float(parts[2]), float(parts[3]))
        elif parts[0] == "node":
            pos[parts[1]] = (float(parts[2]), float(parts[3]))
        elif parts[0] == "edge":
            n = int(parts[3])
            pts = [(float(parts[4 + 2 * k]), float(parts[5 + 2 * k])) for k in range(n)]
            splines.append((parts[1], parts[2], pts))
    return pos, splines, size


def _builtin_layout(nodes, edges):
    """Longest-path layers from left to right, nodes spread evenly in each layer."""
    layer = [0] * len(nodes)
    for a, b in sorted(edges, key=lambda e: e[1]):
        layer[b] = max(layer[b], layer[a] + 1)
    columns: dict[int, list[int]] = {}
    for i, l in enumerate(layer):
        columns.setdefault(l, []).append(i)
    x, pos = 0.0, {}
    height = max(len(c) for c in columns.values()) * 0.7
    for l in sorted(columns):
        col = columns[l]
        w = max(nodes[i]["width"] for i in col)
        for k, i in enumerate(col):
            pos[nodes[i]["id"]] = (x + w / 2, height - (k + 0.5) * height / len(col))
        x += w + 0.4
    splines = [(nodes[a]["id"], nodes[b]["id"], None) for a, b in edges]
    return pos, splines, (x, height)


def graph_tikz(program: Program) -> str:
    """A ``tikzpicture`` of the program's computation graph (inputs round, the output doubled)."""
    nodes, edges = _nodes_and_edges(program)
    if layout_engine() == "dot":
        pos, splines, (width, _) = _dot_layout(nodes, edges)
    else:
        pos, splines, (width, _) = _builtin_layout(nodes, edges)
    lines = [r"\begin{tikzpicture}[x=1in, y=1in, >=stealth,",
             r"  every node/.style={inner sep=2pt},",
             r"  input/.style={ellipse, draw, fill=black!5},",
             r"  inner/.style={rectangle, draw, rounded corners=2pt},",
             r"  output/.style={rectangle, draw, double, rounded corners=2pt}]"]
    for n in nodes:
        x, y = pos[n["id"]]
        style = {"input": "input", "node": "inner", "output": "output"}[n["kind"]]
        lines.append(f"\\node[{style}] ({n['id']}) at ({x:.3f},{y:.3f}) {{{n['label']}}};")
    for tail, head, pts in splines:
        if pts and len(pts) >= 4 and (len(pts) - 1) % 3 == 0:
            path = [f"({tail})"]
            for k in range(1, len(pts), 3):
                c1, c2, end = pts[k], pts[k + 1], pts[k + 2]
                target = f"({head})" if k + 3 >= len(pts) else f"({end[0]:.3f},{end[1]:.3f})"
                path.append(f".. controls ({c1[0]:.3f},{c1[1]:.3f}) and ({c2[0]:.3f},{c2[1]:.3f}) .. {target}")
            lines.append(r"\draw[->] " + " ".join(path) + ";")
        else:
            lines.append(f"\\draw[->] ({tail}) -- ({head});")
    lines.append(r"\end{tikzpicture}")
    body = "\n".join(lines)
    if width > _MAX_WIDTH:
        body = "\\resizebox{\\linewidth}{!}{%\n" + body + "%\n}"
    return body
