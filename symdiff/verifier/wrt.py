"""The one reader of ``wrt``: the variables a derivative is taken with respect to.

``verify`` (scalar and matrix paths), ``verify_text``'s derivative claims and
``symdiff grad --wrt`` all read ``wrt`` here, so they accept the same forms and
say the same thing about a bad one.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..errors import SymdiffError

__all__ = ["Wrt", "read_wrt"]


@dataclass(frozen=True)
class Wrt:
    """``wrt`` as read: its names in order, its shape and the user's own symbols."""

    names: tuple[str, ...]     # the variables' names, in order
    shape: tuple               # () one variable, (n,) a vector of n, a MatrixSymbol's shape for a matrix
    symbols: tuple = ()        # the user's Symbols / MatrixSymbol (none when given by name)
    matrix: sp.MatrixSymbol | None = None   # wrt is this matrix

    @property
    def text(self) -> str:
        """The names as one would write them: ``x`` or ``x, y``."""
        return ", ".join(self.names)

    @property
    def scalar(self) -> bool:
        """One scalar variable (not a vector of one, not a matrix)."""
        return self.matrix is None and self.shape == ()


def read_wrt(wrt) -> Wrt:
    """Read a name (``"x"``), comma-separated names (``"x, y"``: a vector), a Symbol, a MatrixSymbol
    or a list / column of Symbols and names; anything else is a ``SymdiffError`` naming it."""
    if isinstance(wrt, sp.MatrixSymbol):
        return Wrt((wrt.name,), tuple(wrt.shape), (wrt,), matrix=wrt)
    if isinstance(wrt, str):
        names = [n.strip() for n in wrt.split(",") if n.strip()]
        shape = (len(names),) if "," in wrt else ()
        symbols = []
    elif isinstance(wrt, sp.Symbol):
        names, shape, symbols = [wrt.name], (), [wrt]
    elif isinstance(wrt, (list, tuple, sp.MatrixBase)):
        if isinstance(wrt, sp.MatrixBase) and 1 not in wrt.shape:
            raise SymdiffError(f"wrt must be a vector of symbols, got a {wrt.rows} x {wrt.cols} matrix")
        names, symbols = [], []
        for w in list(wrt):
            if isinstance(w, sp.MatrixSymbol):
                raise SymdiffError(f"wrt lists the matrix {w.name}; verify differentiates with respect to one "
                                   f"matrix at a time: pass wrt={w.name} itself, not a list containing it")
            if isinstance(w, sp.Symbol):
                names.append(w.name)
                symbols.append(w)
            elif isinstance(w, str) and "," not in w:
                names.append(w.strip())
            else:
                raise SymdiffError(f"wrt must list variables (symbols or names), got {w!r}")
        shape = (len(names),)
    else:
        raise SymdiffError(f"wrt must be a symbol, a name, or a list of them; got {type(wrt).__name__}")
    if not names:
        raise SymdiffError("no variable to differentiate with respect to")
    for n in names:
        if not n.isidentifier():
            raise SymdiffError(f"{n!r} is not a variable name")
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise SymdiffError(f"wrt lists {', '.join(dup)} more than once")
    return Wrt(tuple(names), shape, tuple(symbols))
