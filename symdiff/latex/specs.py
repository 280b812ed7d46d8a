"""Meanings of the opaque placeholders the rewriter hands to latex2sympy2-extended."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .names import Fn

@dataclass
class Spec:
    pos: int
    end: int


@dataclass
class Leaf(Spec):
    value: sp.Basic


@dataclass
class Name(Spec):
    name: str


@dataclass
class Element(Spec):
    base: str
    index: tuple  # of int | str (an index letter)


@dataclass
class Call(Spec):
    fn: Fn
    args: list        # library trees, resolved lazily (sum indices may be bound later)
    primes: int = 0
    log_base: object = None


@dataclass
class Dot(Spec):
    left: object
    right: object


@dataclass
class Norm(Spec):
    tree: object  # the Euclidean / Frobenius norm of this subexpression


@dataclass
class Sub(Spec):
    tree: object  # a bracketed subexpression, parsed separately


@dataclass
class Marker(Spec):
    kind: str  # "transpose" | "infer-range"
    exclude: object = None   # \sum_{j \neq k}: the tree of the excluded index value


@dataclass
class EntryOf(Spec):
    inner: Spec       # a call or a bracket whose entry is taken: softmax(s)_j, (W x - y)_i
    index: tuple      # of int | str (an index letter)


@dataclass
class Row(Spec):
    matrix: str       # x^{(i)}, \mathbf{x}_i: row i of the declared data matrix X, as a column
    index: object     # int | str (an index letter)


@dataclass
class MatrixLiteral(Spec):
    rows: list           # \begin{pmatrix} ... : rows of library trees, one per entry
    determinant: bool = False   # vmatrix: the determinant of the entries
    norm: bool = False          # Vmatrix: the Euclidean (Frobenius) norm of the entries


def nested_trees(spec: Spec) -> list:
    if isinstance(spec, EntryOf):
        return nested_trees(spec.inner)
    if isinstance(spec, Call):
        return list(spec.args) + ([spec.log_base] if spec.log_base is not None else [])
    if isinstance(spec, Dot):
        return [spec.left, spec.right]
    if isinstance(spec, MatrixLiteral):
        return [tree for row in spec.rows for tree in row]
    if isinstance(spec, (Sub, Norm)):
        return [spec.tree]
    return []


# ---------------------------------------------------------------------------
# Running latex2sympy2_extended on a rewritten fragment
# ---------------------------------------------------------------------------
