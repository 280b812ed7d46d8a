"""What a text has declared and defined so far: the ``Context`` the statement reader
(``statements.py``) and the document checker keep while they read formulas in order."""
from __future__ import annotations

import re

import sympy as sp

from ..errors import SymdiffError
from ..latex import parse_latex, read_latex
from ..latex.names import Fn
from ..latex.statements import Statement, plain_name
from . import domain
from .domain import Marker
from .inputs import Latex, looks_like_latex
from .layouts import Binary, Entrywise, NeedsSizes

__all__ = ["Context", "STRUCTURE_PHRASE", "structure_phrase", "not_callable"]

STRUCTURE_PHRASE = re.compile(r"\s*(.+?)\s+(?:is\s+)?(symmetric|spd|invertible|orthogonal|simplex|"
                               r"onehot|pm1|binary)\s*", re.S)

def structure_phrase(text: str):
    """``X is spd``, ``p simplex``...: the match, or None.  Runs of whitespace are collapsed
    first, so the lazy name never backtracks over them (linear in the length of the text)."""
    return STRUCTURE_PHRASE.fullmatch(" ".join(text.split()))


def not_callable(name: str):
    def call(*args):
        raise SymdiffError(f"{name} is a vector or matrix defined above, not a function")
    return call



# ---------------------------------------------------------------------------
# Context: declarations, definitions, conditions read so far
# ---------------------------------------------------------------------------

class Context:
    """What a text has declared and defined so far (a document checker keeps one)."""

    def __init__(self, variables: dict | None = None, where=()):
        self.shapes: dict[str, tuple] = {}
        self.scalars: set[str] = set()
        for key, shape in (variables or {}).items():
            self.declare(key, shape)
        self.functions: dict[str, Fn] = {}
        self.values: dict[sp.Symbol, sp.Basic] = {}
        self.where: list = []
        self.entrywise: Entrywise | None = None   # set when the check runs entry by entry
        self.entry: tuple | None = None           # (target letters, wrt letters) of an entry claim
        self.written: list = []                   # per formula of joint_readings: its singular sets as written
        self.indexed: dict[str, tuple[str, str]] = {}   # y -> (i, body) of a clause y_i = w x_i
        self.notes: list[str] = []                 # what the verdict's explanation must say was skipped
        self.add_where(where)

    def declare(self, key: str, shape) -> None:
        if not isinstance(key, str):
            raise SymdiffError(f"variables: names must be strings, got {key!r}")
        name = plain_name(key) if "\\" in key or "^" in key else key.strip()
        if not name:
            raise SymdiffError(f"variables: {key!r} is not a name")
        shape = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
        if name in self.shapes or name in self.scalars:
            old = self.shapes.get(name, ())
            if old != shape:
                raise SymdiffError(f"variables: {name!r} is declared twice, as {old} and as {shape}")
        if shape == ():
            self.scalars.add(name)
        elif len(shape) in (1, 2):
            self.shapes[name] = shape
        else:
            raise SymdiffError(f"variables: the shape of {name!r} must be (), (n,) or (m, n), got {shape}")

    def options(self) -> dict:
        # a declared name that a definition gives a value (y (2,) and y = (...)) means that value
        shapes = {k: v for k, v in self.shapes.items() if k not in self.functions}
        return {"shapes": shapes or None, "variables": set(self.scalars) - set(self.functions) or None,
                "functions": dict(self.functions) or None, "index_base": 1}

    def add_where(self, where) -> None:
        items = [where] if isinstance(where, (str, Latex, sp.Basic, Marker)) else list(where or ())
        for item in items:
            self.where.extend(self._where_item(item))

    def _where_item(self, item) -> list:
        if not isinstance(item, str):
            return [item]
        phrase = structure_phrase(item)
        if phrase:
            return [self.marker(phrase.group(1), phrase.group(2))]
        if looks_like_latex(item) or sum(item.count(op) for op in ("<", ">", "!=", "≠")) > 1 \
                or self.shapes or self.scalars or re.search(r"[\w)]\s+[\w(]", item):   # w z: juxtaposed, not Python
            text = item.replace("!=", r" \ne ").replace("<=", r" \le ").replace(">=", r" \ge ")
            return [Latex(text, **self.options())]
        return [item]

    def marker(self, latex_name: str, kind: str) -> Marker:
        value = self.parse(latex_name)
        if isinstance(value, sp.MatrixSymbol) and 1 in value.shape and kind not in domain.MATRIX_MARKERS:
            raise NeedsSizes(f"{latex_name} {kind}: its entries written out")
        if kind == "binary":
            entries = list(value) if isinstance(value, sp.MatrixBase) else [value]
            if not all(isinstance(e, sp.Symbol) for e in entries):
                raise SymdiffError(f"'{latex_name} binary': {latex_name} is not a variable or a vector")
            return Binary(tuple(entries))
        if isinstance(value, sp.MatrixBase):
            return getattr(domain, kind)(list(value))
        return getattr(domain, kind)(value)

    def parse(self, latex: str):
        value = parse_latex(latex, **self.options())
        return self.substitute(value)

    def substitute(self, value):
        """Named intermediates replaced until none is left (y = tanh(z), z = w x + b)."""
        if not (self.values or self.indexed) or not hasattr(value, "xreplace"):
            return value
        for _ in range(len(self.values) + len(self.indexed) + 1):
            replaced = value.xreplace({**self.values, **self._indexed_values(value)})
            if replaced == value:
                return value
            value = replaced
        raise SymdiffError("the definitions refer to each other in a circle: "
                           + ", ".join(s.name for s in self.values))

    def _indexed_values(self, value) -> dict:
        """y_1, y_2, ... of a clause y_i = w x_i: the body read at i = 1, 2, ..."""
        out = {}
        for symbol in getattr(value, "free_symbols", ()):
            match = re.fullmatch(r"([A-Za-z]+)_(\d+)", getattr(symbol, "name", ""))
            if match and match.group(1) in self.indexed:
                letter, body = self.indexed[match.group(1)]
                out[symbol] = read_latex(body, (), {letter: int(match.group(2))}, **self.options())[0]
        return out

    def define_clause(self, head, body_latex: str) -> None:
        """A where-clause: ``u = w^T x``, ``h(x) = ...``, or an entry ``y_i = w x_i`` for every i."""
        match = re.fullmatch(r"([A-Za-z]+)_([A-Za-z])", head.name)
        written = re.search(r"_\s*\{?\s*([A-Za-z])\s*\}?\s*$", head.latex)    # y_i, not \hat{y} (hat_y)
        if match and written and written.group(1) == match.group(2) and not head.params and match.group(1) not in self.shapes and not self.declared(head.name) \
                and self._entries_length(head.name, self.parse(body_latex)) is None:
            self.indexed[match.group(1)] = (match.group(2), body_latex)
            return
        self.define(head, body_latex)     # p_k = e^{s_k} / ... of a declared s: the vector p (_define_entries)

    def declared(self, name: str) -> bool:
        return name in self.shapes or name in self.scalars or name in self.functions

    def define(self, statement_head, body_latex: str) -> None:
        """``f(x) = body``: f becomes a function of its parameters; ``E = body`` a value."""
        body = self.parse(body_latex)
        name = statement_head.name
        if not statement_head.params:
            self._check_declared_shape(name, body, body_latex)
            if isinstance(body, sp.MatrixBase) and body.shape == (1, 1):
                body = body[0, 0]      # z = a^T x of written-out vectors: a scalar
            self.values[sp.Symbol(name, real=True)] = body
            self._define_entries(name, body, body_latex)
            numbered = re.fullmatch(r"([A-Za-z]+?)([0-9]+)", name)
            if numbered:   # \delta^{(1)} = ...: later formulas spell it \delta^{(1)}, read as delta^(1)
                for spelling in ("{}^({})", "{}_{}", "{}^[{}]"):
                    self.values.setdefault(sp.Symbol(spelling.format(*numbered.groups()), real=True), body)
            if isinstance(body, (sp.MatrixBase, sp.MatrixExpr)) and tuple(body.shape) != (1, 1):
                # a defined vector or matrix is known by its shape while later formulas are
                # read: diag(p), p p^T, softmax(s) - y (a substitution afterwards would be too late)
                self.functions[name] = Fn(name, not_callable(name), arity=None, kind="matrix", value=body)
            return
        params = [parse_latex(p, **self.options()) for p in statement_head.params]
        if not all(isinstance(p, (sp.Symbol, sp.MatrixSymbol, sp.MatrixBase)) for p in params):
            raise SymdiffError(f"the parameters of {name} must be names")

        def apply(*args, params=tuple(params), body=body):
            mapping = {}
            for p, a in zip(params, args):
                if isinstance(p, sp.MatrixBase):
                    mapping.update(zip(list(p), list(a) if isinstance(a, sp.MatrixBase) else [a]))
                else:
                    mapping[p] = a
            return body.xreplace(mapping)
        scalar = all(isinstance(p, sp.Symbol) for p in params)
        kind = "elementwise" if scalar else "matrix"
        arity = len(params) if scalar else None
        self.functions[name] = Fn(name, apply, arity=arity, kind=kind, value=body)

    def _define_entries(self, name: str, body, body_latex: str) -> None:
        r"""``p_k = \frac{e^{s_k}}{\sum_j e^{s_j}}``: p is the vector of these entries, as long as
        the declared vector the body indexes by k (read at each k, so sums and p_k later work)."""
        length = self._entries_length(name, body)
        if length is None:
            return
        base, letter = name.split("_")
        if not isinstance(length, int):
            raise NeedsSizes(f"{name} = ...: its entries written out")
        entries = [self.substitute(read_latex(body_latex, bindings={letter: k}, **self.options())[0])
                   for k in range(1, length + 1)]
        vector = sp.ImmutableMatrix(entries)
        self.values[sp.Symbol(base, real=True)] = vector
        self.functions[base] = Fn(base, not_callable(base), arity=None, kind="matrix", value=vector)

    def _entries_length(self, name: str, body):
        """For p_k = body: the length of the declared vectors body indexes by k (None if it is no such entry)."""
        indexed = re.fullmatch(r"([A-Za-z][A-Za-z0-9]*)_([a-z])", name)
        if not indexed or not isinstance(body, sp.Expr):
            return None
        base, letter = indexed.groups()
        if base in self.shapes or base in self.scalars or base in self.functions:
            return None
        lengths = {self.shapes[v][0] for v in self.shapes
                   if len(self.shapes[v]) in (1, 2) and sp.Symbol(f"{v}_{letter}", real=True) in body.free_symbols}
        if len(lengths) > 1:
            raise SymdiffError(f"{name} = ...: the vectors indexed by {letter} have different lengths "
                               f"{sorted(map(str, lengths))}")
        return lengths.pop() if lengths else None

    def _check_declared_shape(self, name: str, body, body_latex: str) -> None:
        """A name declared with one shape and defined with another is two uses, not a silent reshape."""
        if name in self.shapes:
            declared = self.shapes[name]
            expected = tuple(declared) + (1,) if len(declared) == 1 else tuple(declared)
        elif name in self.scalars:
            declared, expected = (), (1, 1)
        else:
            return
        shape = tuple(body.shape) if isinstance(body, (sp.MatrixBase, sp.MatrixExpr)) else (1, 1)
        if tuple(str(d) for d in shape) != tuple(str(d) for d in expected):
            found = "a scalar" if shape == (1, 1) else f"a {' x '.join(map(str, shape))} matrix" \
                if shape[1] != 1 else f"a vector of {shape[0]}"
            raise SymdiffError(f"{name} is used with two shapes: declared in variables as "
                               f"{declared if declared else 'a scalar ()'}, but defined as {found} "
                               f"({name} = {body_latex.strip()})")

    def read_clauses(self, statement: Statement) -> None:
        for clause in statement.clauses:
            if clause.kind == "definition":
                self.define_clause(clause.head, clause.body.text)
            elif clause.kind == "condition":
                self.where.append(Latex(clause.piece.text, **self.options()))
            elif clause.kind == "structure" and clause.structure != "real":
                self.where.append(self.marker(clause.head.latex, clause.structure))
            elif clause.kind == "structure":
                self._check_real_matrix(clause)

    def _check_real_matrix(self, clause) -> None:
        r"""``X \in \mathbb{R}^{n \times n}`` for a name with no declared shape: the formula was read with X a
        scalar, which is not what the text says (refused rather than checked as a scalar)."""
        match = re.search(r"\\mathbb\{R\}\s*\^\s*\{(.*)\}", clause.piece.text)
        name = clause.head.name
        if match is None or not re.search(r"\\times", match.group(1)) or name in self.shapes:
            return
        dims = tuple(d.strip() for d in re.split(r"\\times", match.group(1)))
        raise SymdiffError(f"'{clause.piece.text.strip()}' says {name} is a matrix of size {' x '.join(dims)}, but "
                           f"{name} has no declared shape, so the formula would be read with {name} a scalar; "
                           f"declare it: variables={{{name!r}: {dims!r}}}")
