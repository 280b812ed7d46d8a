r"""Names as a derivation file writes them and as ``parse_latex`` makes them.

``\hat{y}`` is the parser's ``hat_y``, ``x_{1}`` its ``x_1``, ``X_{i,j}`` its
``X_{i,j}``; declarations, ``of = ...`` and Leibniz fractions name values in
the file's spelling, the loader looks them up in the parser's.
"""
from __future__ import annotations

import re

import sympy as sp

__all__ = ["parser_name", "latex_name", "size_of"]


def parser_name(text: str) -> str | None:
    """The name ``parse_latex`` gives a written name: ``\\hat{y}`` -> hat_y, ``x_{1}`` -> x_1, ``X_i``."""
    t = text.strip()
    m = re.fullmatch(r"\\(hat|bar|tilde|widehat|overline)\{\\?([A-Za-z]+)\}(.*)", t)
    if m:
        prefix = {"widehat": "hat", "overline": "bar"}.get(m.group(1), m.group(1))
        t = f"{prefix}_{m.group(2)}{m.group(3)}"
    m = re.fullmatch(r"\\?([A-Za-z][A-Za-z0-9]*)\s*(?:_\{?\s*([A-Za-z0-9]+(?:\s*,\s*[A-Za-z0-9]+)*)\s*\}?)?"
                     r"((?:_[A-Za-z0-9]+)*)", t)
    if not m:
        return None
    base = m.group(1)
    if m.group(2):
        parts = [p.strip() for p in m.group(2).split(",")]
        sub = parts[0] if len(parts) == 1 else "{" + ",".join(parts) + "}"
        return f"{base}_{sub}{m.group(3) or ''}"
    return base + (m.group(3) or "")


def latex_name(name: str) -> str:
    """The LaTeX for a parser name: hat_y -> \\hat{y}."""
    m = re.fullmatch(r"(hat|bar|tilde)_([A-Za-z]+)(.*)", name)
    if m:
        return rf"\{m.group(1)}{{{m.group(2)}}}{m.group(3)}"
    return name


def size_of(d: str):
    """A size as an annotation writes it (``3``, ``n``), as the parser's shapes hold it."""
    d = d.strip()
    return sp.Integer(int(d)) if d.isdigit() else sp.Symbol(d, integer=True, positive=True)
