"""Structure markers on a matrix written out entry by entry.

When a check runs entry by entry (``layouts.py``), a marked matrix ``A`` is no longer a
``MatrixSymbol`` but its entries ``A_1_1, A_1_2, ...``; the marker becomes a substitution
that builds the structure into the entries:

* ``symmetric``: ``A_j_i`` is ``A_i_j`` (i < j);
* ``spd``: ``A = B B^T + I`` with free entries ``A_B_i_j`` of B -- symmetric positive
  definite for every B, and these matrices fill an open set of the symmetric ones, so an
  identity that holds for all of them holds for every symmetric matrix;
* ``invertible``: nothing to build in (random matrices are invertible; singular points are
  the domain's business as everywhere else).

A marker on a matrix that is differentiated (an entry in ``wrt``), or ``orthogonal``, has no
entry-wise form here and stays an error that says so.
"""
from __future__ import annotations

import sympy as sp

from ..errors import SymdiffError
from .domain import Marker
from .layouts import explicit

__all__ = ["structured_entries"]


def structured_entries(where: list, sizes: dict, wrt_names: set) -> tuple[list, dict]:
    """(the conditions left, a substitution of the marked matrices' entries)."""
    rest, substitution = [], {}
    for item in where:
        if not (isinstance(item, Marker) and item.is_matrix):
            rest.append(item)
            continue
        (matrix,) = item.symbols
        entries = explicit(matrix, sizes)
        if not isinstance(entries, sp.MatrixBase) or entries.rows != entries.cols:
            raise SymdiffError(f"{item.describe()}: {matrix} is not a square matrix")
        if any(e.name in wrt_names for e in entries):
            raise SymdiffError(f"{item.describe()}: a derivative with respect to a structured matrix written out "
                               f"entry by entry is not supported; give its sizes as names")
        n = entries.rows
        if item.kind == "symmetric":
            substitution.update({entries[j, i]: entries[i, j] for i in range(n) for j in range(i + 1, n)})
        elif item.kind == "spd":
            factor = sp.ImmutableMatrix(n, n, lambda i, j: sp.Symbol(f"{matrix.name}_B_{i + 1}_{j + 1}", real=True))
            built = factor * factor.T + sp.eye(n)
            substitution.update({entries[i, j]: built[i, j] for i in range(n) for j in range(n)})
        elif item.kind != "invertible":
            raise SymdiffError(f"{item.describe()}: an {item.kind} matrix written out entry by entry is not "
                               f"supported; give its sizes as names")
    return rest, substitution
