"""What a derivation file is once read: its variables, its function, its claims and their instances.

``load.py`` builds these (format: ``derivations/README.md``); ``run.py`` checks
them.  Also the vocabulary of the format (claim kinds, expectations,
structures) and the shape words the loader's messages use.
"""
from __future__ import annotations

import pathlib
from dataclasses import dataclass, field

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..errors import SymdiffError
from ..latex.lecture import LatexReader, split_chain
from ..program import Program

__all__ = ["DerivationError", "Variable", "FunctionDef", "Instance", "Claim", "Derivation", "is_symbolic_matrix",
           "shape_of", "describe_shape", "describe", "KINDS", "EXPECTATIONS", "STRUCTURES", "VECTOR_STRUCTURES",
           "SCALAR_STRUCTURES", "MATRIX_STRUCTURES", "DEFAULT_BUDGET", "MAX_INSTANCES"]

KINDS = ("derivative", "adjoint", "identity", "step", "definition")
EXPECTATIONS = ("holds", "refuted")
VECTOR_STRUCTURES = ("simplex", "onehot", "pm1", "boolean")
SCALAR_STRUCTURES = ("pm1", "boolean")
MATRIX_STRUCTURES = ("general", "invertible", "symmetric", "spd", "upper", "permutation", "orthogonal")
STRUCTURES = tuple(dict.fromkeys(VECTOR_STRUCTURES + SCALAR_STRUCTURES + MATRIX_STRUCTURES))
DEFAULT_BUDGET = 5.0
MAX_INSTANCES = 64


class DerivationError(SymdiffError, ValueError):
    """A derivation file that cannot be read: the message names the file and the claim."""


@dataclass
class Variable:
    name: str                  # the parser's name: x, hat_y, X_i
    shape: tuple               # () | (n,) | (rows, cols); entries int or size name
    structure: str | None
    domain: list[str]
    description: str = ""

    @property
    def kind(self) -> str:
        return {0: "scalar", 1: "vector"}.get(len(self.shape), "matrix")


@dataclass
class FunctionDef:
    name: str                               # the output's name
    latex: str | None
    program_text: str | None
    program: Program | None                 # what is differentiated (generic functions undefined)
    expr: object | None                     # the LaTeX definition, parsed
    components: list | None = None          # a function defined per index: [(name, expr)]
    args: list | None = None                # symbols of f(x, y) when written with arguments
    note: str = ""

    @property
    def is_matrix(self) -> bool:
        out = self.output_value()
        return is_symbolic_matrix(out)

    def output_value(self):
        if self.program is not None:
            return self.program.output
        return self.expr


@dataclass
class Instance:
    """One index assignment of a claim: what is differentiated and the parsed members."""

    values: dict
    wrt: list                   # symbols (a vector: its entries) or one MatrixSymbol
    wrt_is_vector: bool
    of: object | None           # the output component or node whose adjoint is given
    members: list               # claim members (identity: the sides)
    where: list = field(default_factory=list)   # conditions of this instance (SymPy)

    @property
    def label(self) -> str:
        return ", ".join(f"{k} = {v}" for k, v in sorted(self.values.items()))


@dataclass
class Claim:
    id: str
    title: str
    kind: str
    expect: str
    wrt_text: str | None
    of_text: str | None
    text: str | None            # the claim as written (a chain for identities)
    note: str
    where_text: list
    indices: dict
    rate_text: str | None
    budget: float
    corrects: str | None
    source: str
    instances: list = field(default_factory=list)
    where: list = field(default_factory=list)        # SymPy conditions for this claim
    rate: object | None = None
    is_matrix: bool = False

    @property
    def members_text(self) -> list[str]:
        return split_chain(self.text) if self.text else []


@dataclass
class Derivation:
    path: pathlib.Path
    title: str
    source: str
    notes: str
    index_base: int
    variables: dict
    sizes: dict
    function: FunctionDef | None
    claims: list
    reader: LatexReader
    generic: dict                 # name -> (undefined function class, stand-in Lambda)
    markers: list                 # structure markers of vector/scalar variables (verify's)
    conditions: list              # domains of the variables (SymPy)
    finite: dict                  # scalar symbol -> tuple of its values (pm1, boolean)
    matrix_structure: dict        # MatrixSymbol name -> structure
    symbols: dict                 # name -> Symbol / MatrixSymbol of every declared value
    raw: dict = field(default_factory=dict, repr=False)

    @property
    def label(self) -> str:
        return str(self.path)


def is_symbolic_matrix(x) -> bool:
    """A matrix expression over MatrixSymbols (not an explicit Matrix of scalars)."""
    return isinstance(x, MatrixExpr) and not isinstance(x, sp.MatrixBase)


def shape_of(value) -> tuple:
    """() for a scalar, (rows, cols) for a matrix or an explicit Matrix."""
    if isinstance(value, (MatrixExpr, sp.MatrixBase)):
        return tuple(value.shape)
    return ()


def describe_shape(shape) -> str:
    """'a scalar', 'a vector of 3', 'a n x m matrix': how the messages name a shape."""
    if shape == ():
        return "a scalar"
    r, c = shape if len(shape) == 2 else (shape[0], 1)
    if c == 1 and (isinstance(r, int) or getattr(r, "is_Integer", False)):
        return f"a vector of {r}"
    return f"a {r} x {c} matrix"


def describe(value) -> str:
    return describe_shape(shape_of(value))
