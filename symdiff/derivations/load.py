r"""The derivation file format (TOML, one derivation per file) and its loader.

See ``derivations/README.md`` for the format.  ``load_derivation(path)``
reads one file, parses every formula (LaTeX through ``LatexReader``, program
text through ``symdiff.program``), checks names and shapes, and returns a
``Derivation`` whose claims are ready to check (``symdiff.derivations.run``).
Every problem is a ``DerivationError`` naming the file, and the claim when
there is one.
"""
from __future__ import annotations

import pathlib
import re
import tomllib
from dataclasses import dataclass, field

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement, MatrixExpr

from ..errors import SymdiffError
from ..program import FUNCTION_NAMES, Program, parse_program, value_symbols
from . import registry
from ..latex.lecture import LatexReader, instantiate, normalize_name, product_of_indices, split_chain, tokenize

__all__ = ["is_symbolic_matrix", "DerivationError", "Derivation", "Claim", "Instance", "Variable", "FunctionDef",
           "load_derivation", "find_derivation_files", "KINDS", "STRUCTURES", "EXPECTATIONS"]

KINDS = ("derivative", "adjoint", "identity", "step", "definition")
EXPECTATIONS = ("holds", "refuted")
VECTOR_STRUCTURES = ("simplex", "onehot", "pm1", "boolean")
SCALAR_STRUCTURES = ("pm1", "boolean")
MATRIX_STRUCTURES = ("general", "invertible", "symmetric", "spd", "upper", "permutation", "orthogonal")
STRUCTURES = tuple(dict.fromkeys(VECTOR_STRUCTURES + SCALAR_STRUCTURES + MATRIX_STRUCTURES))
DEFAULT_BUDGET = 5.0
MAX_INSTANCES = 64

_TOP_KEYS = {"title", "source", "notes", "index_base", "variables", "sizes", "functions", "macros", "function",
             "claims"}
_VARIABLE_KEYS = {"shape", "structure", "domain", "description"}
_FUNCTION_KEYS = {"latex", "program", "name", "index", "note"}
_CLAIM_KEYS = {"id", "title", "kind", "wrt", "of", "claim", "lhs", "rhs", "expect", "note", "where", "indices",
               "rate", "budget", "corrects", "source"}
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


class DerivationError(SymdiffError, ValueError):
    """A derivation file that cannot be read: the message names the file and the claim."""


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------

def find_derivation_files(paths) -> list[pathlib.Path]:
    """Files given, and ``*.toml`` under folders (recursively), sorted, without duplicates."""
    found: list[pathlib.Path] = []
    for p in paths:
        path = pathlib.Path(p)
        if path.is_dir():
            found.extend(sorted(q for q in path.rglob("*.toml") if q.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise DerivationError(f"{p}: no such file or folder")
    out, seen = [], set()
    for f in found:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def load_derivation(path) -> Derivation:
    path = pathlib.Path(path)
    try:
        raw_bytes = path.read_bytes()
    except OSError as exc:
        raise DerivationError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(raw_bytes.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DerivationError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise DerivationError(f"{path}: malformed TOML: {exc}") from None
    return _Loader(path, data).load()


def _fail(path, message, claim=None):
    where = f"{path}: claim {claim!r}: " if claim else f"{path}: "
    return DerivationError(where + message)


class _Loader:
    def __init__(self, path: pathlib.Path, data: dict):
        self.path = path
        self.data = data

    def err(self, message, claim=None):
        return _fail(self.path, message, claim)

    # -- top level ---------------------------------------------------------
    def load(self) -> Derivation:
        d = self.data
        unknown = sorted(set(d) - _TOP_KEYS)
        if unknown:
            raise self.err(f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(_TOP_KEYS))})")
        title = self._str(d, "title", required=True)
        source = self._str(d, "source", required=True)
        notes = self._str(d, "notes") or ""
        index_base = d.get("index_base", 1)
        if not isinstance(index_base, int) or isinstance(index_base, bool) or index_base not in (0, 1):
            raise self.err("index_base must be 0 or 1")
        self.index_base = index_base
        self.variables = self._variables(d.get("variables", {}))
        self.sizes = self._sizes(d.get("sizes", {}))
        self.macros = self._macros(d.get("macros", {}))
        self.generic: dict = {}
        self.functions = self._functions(d.get("functions", {}))
        self._build_reader()
        try:
            self.function = self._function(d.get("function"))
        except DerivationError:
            raise
        except SymdiffError as exc:
            raise self.err(f"[function]: {exc}") from None
        except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
            raise self.err(f"[function]: cannot read it ({type(exc).__name__}: {exc})") from None
        claims_raw = d.get("claims", [])
        if not isinstance(claims_raw, list) or not all(isinstance(c, dict) for c in claims_raw):
            raise self.err("claims must be an array of tables ([[claims]])")
        if not claims_raw:
            raise self.err("no [[claims]]: a derivation file states at least one claim")
        claims, ids = [], set()
        for k, c in enumerate(claims_raw):
            try:
                claim = self._claim(c, k)
            except DerivationError:
                raise
            except SymdiffError as exc:
                raise self.err(str(exc), c.get("id")) from None
            except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
                raise self.err(f"cannot read this claim ({type(exc).__name__}: {exc})", c.get("id")) from None
            if claim.id in ids:
                raise self.err(f"claim id {claim.id!r} is used twice")
            ids.add(claim.id)
            claims.append(claim)
        for c in claims:
            if c.corrects is not None and c.corrects not in ids:
                raise self.err(f"corrects={c.corrects!r} names no claim of this file", c.id)
        return Derivation(path=self.path, title=title, source=source, notes=notes, index_base=index_base,
                          variables=self.variables, sizes=self.sizes, function=self.function, claims=claims,
                          reader=self.reader, generic=self.generic, markers=self.markers,
                          conditions=self.conditions, finite=self.finite, matrix_structure=self.matrix_structure,
                          symbols=self.symbols, raw=d)

    def _str(self, table, key, *, required=False, claim=None):
        value = table.get(key)
        if value is None:
            if required:
                raise self.err(f"missing {key!r}", claim)
            return None
        if not isinstance(value, str):
            raise self.err(f"{key!r} must be a string, got {type(value).__name__}", claim)
        if required and not value.strip():
            raise self.err(f"{key!r} is empty", claim)
        return value

    # -- declarations ----------------------------------------------------------
    def _variables(self, table) -> dict:
        if not isinstance(table, dict):
            raise self.err("[variables] must be a table")
        out = {}
        for key, spec in table.items():
            name = _parser_name(key)
            if name is None:
                raise self.err(f"[variables]: {key!r} is not a variable name")
            if not isinstance(spec, dict):
                raise self.err(f"[variables] {key} must be a table such as {{}} or {{ shape = [3] }}")
            unknown = sorted(set(spec) - _VARIABLE_KEYS)
            if unknown:
                raise self.err(f"[variables] {key}: unknown key(s) {', '.join(unknown)} "
                               f"(allowed: {', '.join(sorted(_VARIABLE_KEYS))})")
            shape = spec.get("shape", [])
            if not isinstance(shape, list) or len(shape) > 2 or not all(
                    (isinstance(s, int) and not isinstance(s, bool) and s > 0) or
                    (isinstance(s, str) and re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", s)) for s in shape):
                raise self.err(f"[variables] {key}: shape must be [], [n] or [rows, cols] of positive integers "
                               f"and size names, got {shape!r}")
            structure = spec.get("structure")
            kind = {0: "scalar", 1: "vector"}.get(len(shape), "matrix")
            allowed = {"scalar": SCALAR_STRUCTURES, "vector": VECTOR_STRUCTURES, "matrix": MATRIX_STRUCTURES}[kind]
            if structure is not None and structure not in allowed:
                raise self.err(f"[variables] {key}: structure {structure!r} does not apply to a {kind} "
                               f"(allowed: {', '.join(allowed)})")
            domain = spec.get("domain", [])
            if isinstance(domain, str):
                domain = [domain]
            if not isinstance(domain, list) or not all(isinstance(x, str) for x in domain):
                raise self.err(f"[variables] {key}: domain must be a condition or a list of conditions")
            if kind == "matrix" and structure in ("spd", "upper", "permutation", "invertible", "symmetric",
                                                  "orthogonal") \
                    and shape[0] != shape[1]:
                raise self.err(f"[variables] {key}: a {structure} matrix is square, got shape {shape}")
            if kind == "matrix" and spec.get("domain"):
                raise self.err(f"[variables] {key}: a matrix takes a structure (spd, symmetric, upper, invertible, "
                               f"permutation, orthogonal), not a domain")
            desc = spec.get("description", "")
            if not isinstance(desc, str):
                raise self.err(f"[variables] {key}: description must be a string")
            if name in out:
                raise self.err(f"[variables] {key} is declared twice")
            out[name] = Variable(name, tuple(shape), structure, domain, desc)
        return out

    def _sizes(self, table) -> dict:
        if not isinstance(table, dict):
            raise self.err("[sizes] must be a table of size = integer")
        out = {}
        for k, v in table.items():
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", k) or not isinstance(v, int) or isinstance(v, bool) \
                    or not 1 <= v <= 20:
                raise self.err(f"[sizes] {k} = {v!r}: sizes are names bound to integers 1..20")
            if k in self.variables:
                raise self.err(f"[sizes] {k} is also a variable")
            out[k] = v
        return out

    def _macros(self, table) -> dict:
        if not isinstance(table, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in table.items()):
            raise self.err("[macros] maps text to LaTeX (strings)")
        return dict(table)

    def _functions(self, table) -> dict:
        if not isinstance(table, dict):
            raise self.err("[functions] must be a table of name = kind")
        out = {}
        stand_ins = iter(registry.TEST_FUNCTIONS)
        for key, value in table.items():
            name = normalize_name(key)
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name):
                raise self.err(f"[functions]: {key!r} is not a function name")
            if not isinstance(value, str):
                raise self.err(f"[functions] {key} must be a string: a builtin (\"sigmoid\"), \"generic\" or "
                               f"a helper ({', '.join(sorted(registry.HELPERS))})")
            if value == "generic":
                cls = sp.Function(name, real=True)
                try:
                    self.generic[name] = (cls, next(stand_ins))
                except StopIteration:
                    raise self.err(f"[functions]: at most {len(registry.TEST_FUNCTIONS)} generic functions") from None
                out[name] = cls
            elif normalize_name(value) in registry.MATRIX_HELPERS:
                out[name] = normalize_name(value)
            elif normalize_name(value) in registry.HELPERS:
                out[name] = registry.HELPERS[normalize_name(value)]
            else:
                out[name] = value
                try:
                    from ..latex import parse_latex
                    parse_latex(r"\operatorname{%s}(t)" % name, functions={name: value})
                except SymdiffError as exc:
                    raise self.err(f"[functions] {key} = {value!r}: {exc}") from None
        for name in registry.LOGIC_HELPERS:
            out.setdefault(name, registry.LOGIC_HELPERS[name])
        return out

    # -- the reader ------------------------------------------------------------
    def _build_reader(self):
        shapes, scalars, lengths = {}, set(), {}
        self.symbols: dict = {}
        self.markers, self.conditions = [], []
        self.finite: dict = {}
        self.matrix_structure: dict = {}
        for v in self.variables.values():
            if v.kind == "scalar":
                scalars.add(v.name)
                self.symbols[v.name] = sp.Symbol(v.name, real=True)
            else:
                shape = tuple(self.sizes.get(d, d) if isinstance(d, str) else d for d in v.shape)
                v.shape = shape
                shapes[v.name] = shape
                if v.kind == "vector" and v.structure is not None and not isinstance(shape[0], int):
                    raise self.err(f"[variables] {v.name}: a structured vector needs an integer length "
                                   f"(a number, or a size bound under [sizes])")
                if v.kind == "vector" and isinstance(shape[0], int):
                    lengths[v.name] = shape[0]
        scalars |= set(self.sizes)
        self.vector_functions = {n for n, f in self.functions.items()
                                 if f in (registry.HELPERS[h] for h in registry.VECTOR_HELPERS)}
        matrix_functions = {n: registry.MATRIX_HELPERS[f] for n, f in self.functions.items()
                            if isinstance(f, str) and f in registry.MATRIX_HELPERS}
        functions = {n: f for n, f in self.functions.items() if n not in matrix_functions}
        self.reader = LatexReader(shapes=shapes, variables=scalars, functions=functions,
                                  index_base=self.index_base, vector_length=lengths,
                                  leibniz=self._leibniz, postprocess=self._postprocess,
                                  matrix_functions=matrix_functions)
        self.reader_scalars = scalars
        # values of declared vectors and matrices, as the parser makes them
        for v in self.variables.values():
            if v.kind != "scalar":
                self.symbols[v.name] = self._parse_plain(_latex_name(v.name), f"[variables] {v.name}")
        # structures and domains
        from ._verifier import onehot, pm1, simplex
        for v in self.variables.values():
            value = self.symbols[v.name]
            if v.structure is not None:
                if v.kind == "matrix":
                    self.matrix_structure[v.name] = v.structure
                else:
                    entries = list(value) if v.kind == "vector" else [value]
                    if v.structure == "simplex":
                        self.markers.append(simplex(entries))
                    elif v.structure == "onehot":
                        self.markers.append(onehot(entries))
                    elif v.structure == "pm1":
                        self.markers.append(pm1(entries))
                        for e in entries:
                            self.finite[e] = (-1, 1)
                    elif v.structure == "boolean":
                        for e in entries:
                            self.finite[e] = (0, 1)
                            integer = sp.Symbol(e.name, integer=True)
                            self.conditions += [sp.Ge(integer, 0), sp.Le(integer, 1)]
            for cond in v.domain:
                self.conditions.append(self._condition(cond, f"[variables] {v.name}: domain"))

    def _parse_plain(self, text, what, claim=None):
        try:
            return self.reader.parse_one(self._macro(text))
        except SymdiffError as exc:
            raise self.err(f"{what}: {exc}", claim) from None

    def _macro(self, text: str) -> str:
        text = "".join(self.reader._strip_annotations(tokenize(text)))
        for key in sorted(self.macros, key=len, reverse=True):
            text = text.replace(key, self.macros[key])
        text = self._expand_vector_calls(text)
        return text

    def _expand_vector_calls(self, text: str) -> str:
        """``\\operatorname{softargmax}(x)`` of a declared vector -> its entries as arguments."""
        if not self.vector_functions:
            return text
        names = "|".join(sorted(map(re.escape, self.vector_functions), key=len, reverse=True))

        def expand(m):
            vec = m.group(2)
            n = self.reader.vector_length.get(vec)
            if n is None:
                return m.group(0)
            args = ", ".join(f"{vec}_{{{k}}}" for k in range(self.index_base, self.index_base + n))
            return f"{m.group(1)}({args})"

        return re.sub(r"(\\operatorname\{(?:" + names + r")\}|\b(?:" + names + r"))\s*\(\s*([A-Za-z]+)\s*\)",
                      expand, text)

    def _condition(self, text, what, claim=None):
        try:
            value = self.reader._relation_chain(self._macro(text))
        except SymdiffError as exc:
            raise self.err(f"{what} {text!r}: {exc}", claim) from None
        return value

    def _postprocess(self, value):
        if self.sizes and isinstance(value, sp.Basic):
            bound = {}
            for s in value.free_symbols:
                if isinstance(s, sp.Symbol) and s.name in self.sizes:
                    bound[s] = sp.Integer(self.sizes[s.name])
            if bound:
                value = value.xreplace(bound)
        if isinstance(value, sp.Basic) and value.has(sp.Sum, sp.Product):
            value = value.doit()
        if isinstance(value, sp.Basic) and not isinstance(value, MatrixExpr) and value.has(MatrixElement, sp.Indexed):
            value = _scalarize(value, self.index_base)
        return value

    # -- the function ----------------------------------------------------------
    def _function(self, table) -> FunctionDef | None:
        self.program_targets: dict = {}
        if table is None:
            return None
        if not isinstance(table, dict):
            raise self.err("[function] must be a table with latex and/or program")
        unknown = sorted(set(table) - _FUNCTION_KEYS)
        if unknown:
            raise self.err(f"[function]: unknown key(s) {', '.join(unknown)} "
                           f"(allowed: {', '.join(sorted(_FUNCTION_KEYS))})")
        latex = self._str(table, "latex")
        program_text = self._str(table, "program")
        if latex is None and program_text is None:
            raise self.err("[function] needs latex or program")
        note = self._str(table, "note") or ""
        index = self._indices(table.get("index", {}), "[function] index")
        name = self._str(table, "name")
        program = None
        if program_text is not None:
            program = self._program(program_text)
            for t in program.targets():
                self.program_targets[t.name] = t
            self._declare_targets(program)
        expr, components, args = None, None, None
        if latex is not None:
            head, body = self._split_definition(latex, name)
            name = name or head["name"]
            if index:
                components = []
                for values in product_of_indices(index):
                    comp_name = _parser_name(instantiate(head["raw"], values)) or name
                    comp = self._parse_plain(instantiate(body, values), "[function] latex")
                    components.append((comp_name, comp))
                    if comp_name not in self.reader.variables:
                        self.reader.variables.add(comp_name)
                        self.symbols[comp_name] = sp.Symbol(comp_name, real=True)
            else:
                expr = self._parse_plain(body, "[function] latex")
            if head["args"] is not None:
                args = [self._parse_plain(a, "[function] arguments") for a in head["args"]]
                if not all(isinstance(a, sp.Symbol) for a in args):
                    raise self.err(f"[function]: the arguments of {head['name']} must be scalar variables")
                target = expr
                self.functions[head["fname"]] = lambda *vals, a=tuple(args), e=target: \
                    _call(head["fname"], a, e, vals)
                self.reader.functions[head["fname"]] = self.functions[head["fname"]]
        elif name is None:
            name = program.output.name
        if program is not None and name != program.output.name and latex is None:
            raise self.err(f"[function] name {name!r} is not the program's output {program.output.name!r}")
        if program is not None:
            name = program.output.name
        return FunctionDef(name=name, latex=latex, program_text=program_text, program=program, expr=expr,
                           components=components, args=args, note=note)

    def _split_definition(self, latex: str, name: str | None):
        parts = split_chain(self._macro(latex))
        if len(parts) == 1:
            if name is None:
                raise self.err("[function] latex must read 'F = ...' (or give name = \"F\")")
            return {"name": name, "fname": name, "args": None, "raw": name}, parts[0]
        if len(parts) != 2:
            raise self.err("[function] latex is one definition 'F = ...'; state chains as identity claims")
        head_text = parts[0]
        toks = "".join(self.reader._strip_annotations(tokenize(head_text)))
        m = re.fullmatch(r"\s*(?:\\(?:operatorname|text|mathrm)\{([^{}]+)\}|([A-Za-z][A-Za-z0-9]*))\s*"
                         r"((?:_\{?[A-Za-z0-9,]+\}?)?)\s*(?:\((.*)\))?\s*", toks, re.S)
        if not m:
            raise self.err(f"[function] latex: the left-hand side {head_text!r} must be a name such as F, "
                           f"y_i or f(x)")
        base = normalize_name(m.group(1) or m.group(2))
        sub = m.group(3).replace("{", "").replace("}", "")
        fname = base
        args = None
        if m.group(4) is not None:
            from ..latex.lecture import split_top
            arg_text = self.reader._expand_dots(tokenize(m.group(4)))
            args = ["".join(a).strip() for a in split_top(arg_text, ",")]
        return {"name": base + sub, "fname": fname, "args": args, "raw": head_text.strip()}, parts[1]

    def _program(self, text: str) -> Program:
        declarations = []
        for v in self.variables.values():
            if v.kind == "matrix" and re.search(r"\b" + re.escape(v.name) + r"\b", text):
                declarations.append(f"{v.name}: ({v.shape[0]}, {v.shape[1]})")
            elif v.kind == "vector" and not isinstance(v.shape[0], int) and re.search(r"\b" + re.escape(v.name) + r"\b",
                                                                                          text):
                declarations.append(f"{v.name}: ({v.shape[0]}, 1)")
        functions = dict(FUNCTION_NAMES)
        for name, value in self.functions.items():
            if isinstance(value, str) and value in registry.MATRIX_HELPERS:
                continue
            functions[name] = self._program_function(name, value)
        full = "\n".join(declarations + [text])
        try:
            program = parse_program(full, functions=functions)
        except SymdiffError as exc:
            message = str(exc)
            if declarations:
                message = _shift_lines(message, len(declarations))
            raise self.err(f"[function] program: {message}") from None
        known = set(self.reader_scalars) | {self.symbols[n].name for n in self.symbols
                                            if isinstance(self.symbols[n], sp.MatrixSymbol)}
        for v in self.variables.values():
            if v.kind == "vector" and isinstance(v.shape[0], int):
                known |= {e.name for e in self.symbols[v.name]}
        unknown = [s.name for s in program.inputs if s.name not in known]
        if unknown:
            raise self.err(f"[function] program: undeclared variable(s) {', '.join(unknown)}; declare them "
                           f"under [variables]")
        return program

    def _program_function(self, name, value):
        if isinstance(value, sp.FunctionClass):
            return value
        if isinstance(value, str):
            t = sp.Symbol("t", real=True)
            from ..latex import parse_latex
            body = parse_latex(r"\operatorname{%s}(t)" % name, functions={name: value})
            return sp.Lambda(t, body)
        return value

    def _declare_targets(self, program: Program):
        for t, e in program.assignments:
            if isinstance(t, sp.MatrixSymbol):
                self.reader.shapes[t.name] = t.shape
            else:
                self.reader.variables.add(t.name)
            self.symbols.setdefault(t.name, t)

    # -- Leibniz fractions ----------------------------------------------------------
    def _leibniz(self, num: str, den: str):
        fn = self.function
        program = fn.program if fn is not None and fn.program is not None else None
        if program is None and fn is not None and fn.expr is not None:
            program = Program.from_expr(fn.expr, output=fn.name)
        if program is None:
            raise SymdiffError(f"\\frac{{\\partial {num}}}{{\\partial {den}}} needs a [function]")
        a = self._node(num, program)
        b = self._node(den, program)
        if a == program.output or a in program:
            deps = _depends_on(program, a)
            if b in deps:
                return _derivative_in_intermediates(program, a, b)
        if b in program:
            deps = _depends_on(program, b)
            if a in deps:
                return 1 / _derivative_in_intermediates(program, b, a)
        raise SymdiffError(f"\\frac{{\\partial {num}}}{{\\partial {den}}}: {num} does not depend on {den} "
                           f"(nor {den} on {num}) in the function")

    def _node(self, text, program):
        name = _parser_name(text)
        sym = program.symbol(name) if name else None
        if sym is None:
            raise SymdiffError(f"{text!r} is not a variable or intermediate of the function")
        return sym

    # -- claims -------------------------------------------------------------------
    def _indices(self, table, what, claim=None) -> dict:
        if not isinstance(table, dict):
            raise self.err(f"{what} must be a table such as {{ i = [1, 2, 3] }}", claim)
        out = {}
        for k, v in table.items():
            if not re.fullmatch(r"[A-Za-z]", k):
                raise self.err(f"{what}: index {k!r} must be one letter", claim)
            if k in self.variables:
                raise self.err(f"{what}: index {k!r} is also a variable", claim)
            if not isinstance(v, list) or not v or not all(isinstance(x, int) and not isinstance(x, bool)
                                                           for x in v):
                raise self.err(f"{what}: {k} must list integer values, e.g. [1, 2, 3]", claim)
            out[k] = list(v)
        return out

    def _claim(self, c: dict, position: int) -> Claim:
        cid = c.get("id")
        if not isinstance(cid, str) or not _ID.match(cid):
            raise self.err(f"claim #{position + 1}: id must be a short name such as 'dF-dx', got {cid!r}")
        unknown = sorted(set(c) - _CLAIM_KEYS)
        if unknown:
            raise self.err(f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(_CLAIM_KEYS))})", cid)
        kind = c.get("kind", "derivative")
        if kind not in KINDS:
            raise self.err(f"kind must be one of {', '.join(KINDS)}, got {kind!r}", cid)
        expect = c.get("expect")
        if expect not in EXPECTATIONS:
            raise self.err(f"expect must be 'holds' or 'refuted', got {expect!r}", cid)
        title = self._str(c, "title", claim=cid) or cid
        note = self._str(c, "note", claim=cid) or ""
        source = self._str(c, "source", claim=cid) or ""
        wrt_text = self._str(c, "wrt", claim=cid)
        of_text = self._str(c, "of", claim=cid)
        rate_text = self._str(c, "rate", claim=cid)
        corrects = self._str(c, "corrects", claim=cid)
        budget = c.get("budget", DEFAULT_BUDGET)
        if isinstance(budget, bool) or not isinstance(budget, (int, float)) or not 0 < budget <= 120:
            raise self.err(f"budget must be seconds in (0, 120], got {budget!r}", cid)
        where_text = c.get("where", [])
        if isinstance(where_text, str):
            where_text = [where_text]
        if not isinstance(where_text, list) or not all(isinstance(w, str) for w in where_text):
            raise self.err("where must be a condition or a list of conditions", cid)
        indices = self._indices(c.get("indices", {}), "indices", cid)
        text = self._str(c, "claim", claim=cid)
        lhs, rhs = self._str(c, "lhs", claim=cid), self._str(c, "rhs", claim=cid)
        if kind == "identity":
            if text is None and (lhs is None or rhs is None):
                raise self.err("an identity needs claim = 'a = b' or lhs and rhs", cid)
            if text is not None and (lhs is not None or rhs is not None):
                raise self.err("give either claim or lhs/rhs, not both", cid)
            if text is None:
                text = f"{lhs} = {rhs}"
        elif kind == "definition":
            if self.function is None or self.function.program is None or self.function.latex is None:
                raise self.err("a definition claim compares [function] latex with [function] program; "
                               "both are needed", cid)
            if text is not None or lhs is not None or rhs is not None:
                raise self.err("a definition claim has no claim text (it compares latex with program)", cid)
        else:
            if lhs is not None or rhs is not None:
                raise self.err(f"lhs/rhs are for identities; a {kind} claim has claim = '...'", cid)
            if text is None:
                raise self.err(f"missing 'claim' (the claimed {'update' if kind == 'step' else kind})", cid)
            if wrt_text is None:
                raise self.err(f"missing 'wrt' (the variable of the {kind})", cid)
            if self.function is None:
                raise self.err(f"a {kind} claim needs a [function]", cid)
        if kind == "step" and rate_text is None:
            raise self.err("a step claim needs rate = '\\eta' (the learning rate)", cid)
        if kind in ("identity", "definition") and (wrt_text is not None or rate_text is not None):
            raise self.err(f"wrt/rate do not apply to {kind} claims", cid)
        claim = Claim(id=cid, title=title, kind=kind, expect=expect, wrt_text=wrt_text, of_text=of_text,
                      text=text, note=note, where_text=where_text, indices=indices, rate_text=rate_text,
                      budget=float(budget), corrects=corrects, source=source)
        if rate_text is not None:
            claim.rate = self._parse_plain(rate_text, "rate", cid)
        self._instances(claim)
        return claim

    def _instances(self, claim: Claim):
        combos = list(product_of_indices(claim.indices)) or [{}]
        if len(combos) > MAX_INSTANCES:
            raise self.err(f"the indices give {len(combos)} instances (at most {MAX_INSTANCES})", claim.id)
        fn = self.function
        for values in combos:
            if claim.kind == "definition":
                claim.instances.append(Instance(values, [], False, None, []))
                claim.is_matrix = fn.is_matrix
                continue
            if claim.kind == "identity":
                wrt, is_vec, of = [], False, None
            else:
                wrt, is_vec = self._wrt(claim, values)
                of = self._of(claim, values)
            if claim.kind == "adjoint":
                self._declare_adjoint(claim, of)
            members = self._members(claim, values)
            self._check_shapes(claim, wrt, is_vec, of, members)
            where = [self._condition(instantiate(w, values), "where", claim.id) for w in claim.where_text]
            claim.instances.append(Instance(values, wrt, is_vec, of, members, where))
        claim.is_matrix = any(isinstance(w, sp.MatrixSymbol) for inst in claim.instances for w in inst.wrt) or \
            any(is_symbolic_matrix(m) for inst in claim.instances for m in inst.members)
        if claim.is_matrix and claim.where_text:
            raise self.err("where is not supported for matrix claims; give the matrices a structure instead "
                           "(spd, symmetric, upper, invertible, permutation, orthogonal)", claim.id)

    def _declare_adjoint(self, claim, of):
        """The adjoint d<node> of the node the claim starts from: a scalar, or a matrix of its shape."""
        fn = self.function
        if of is None:
            out = fn.output_value() if fn is not None else None
            if fn is not None and fn.program is None:
                of = sp.Symbol(fn.name, real=True) if not is_symbolic_matrix(out) else \
                    sp.MatrixSymbol(fn.name, *out.shape)
            else:
                of = out
        name = f"d{of.name}"
        if name in self.variables:
            return
        if isinstance(of, sp.MatrixSymbol):
            self.reader.shapes[name] = of.shape
            self.symbols.setdefault(name, sp.MatrixSymbol(name, *of.shape))
        else:
            self.reader.variables.add(name)
            self.symbols.setdefault(name, sp.Symbol(name, real=True))

    def _members(self, claim, values):
        text = self._macro(instantiate(claim.text, values))
        if claim.kind == "step":
            return [self._step_update(claim, text, values)]
        try:
            members = self.reader.parse(text)
        except SymdiffError as exc:
            raise self.err(f"{'claim' if claim.kind != 'identity' else 'identity'}: {exc}", claim.id) from None
        if claim.kind == "identity" and len(members) < 2:
            raise self.err("an identity needs two sides 'a = b'", claim.id)
        for m in members:
            if isinstance(m, sp.logic.boolalg.Boolean) and not isinstance(m, sp.Expr):
                raise self.err(f"a side is a condition ({m}), not a value", claim.id)
        self._check_names(claim, members)
        return members

    def _step_update(self, claim, text, values):
        """``w - \\eta(...)``: the update after the current iterate (the claim starts with wrt)."""
        wrt = instantiate(claim.wrt_text, values).strip()
        stripped = "".join(self.reader._strip_annotations(tokenize(text))).strip()
        if not stripped.startswith(wrt):
            raise self.err(f"a step claim reads '{wrt} + ...' or '{wrt} - ...' (the new value of {wrt}), "
                           f"got {text.strip()!r}", claim.id)
        rest = stripped[len(wrt):].strip()
        if not rest or rest[0] not in "+-":
            raise self.err(f"a step claim reads '{wrt} + ...' or '{wrt} - ...', got {text.strip()!r}", claim.id)
        try:
            update = self.reader.parse_one(rest)
        except SymdiffError as exc:
            raise self.err(f"claim: {exc}", claim.id) from None
        members = [update]
        self._check_names(claim, members)
        return members[0]

    def _check_names(self, claim, members):
        for k, m in enumerate(members):
            if isinstance(m, sp.Basic) and m.has(sp.Derivative, sp.Subs) and not self.generic:
                # f'(x) of a known function: evaluate it (sigma'(x) -> sigma(x)(1 - sigma(x)))
                m = m.replace(lambda e: isinstance(e, (sp.Derivative, sp.Subs)), lambda e: e.doit())
                members[k] = m
                if m.has(sp.Derivative):
                    raise self.err(f"the claim keeps a derivative SymPy cannot evaluate: "
                                   f"{next(iter(m.atoms(sp.Derivative)))}", claim.id)

    def _wrt(self, claim, values):
        text = instantiate(claim.wrt_text, values)
        value = self._parse_plain(text, "wrt", claim.id)
        if isinstance(value, sp.MatrixBase):
            if 1 not in value.shape or not all(isinstance(e, sp.Symbol) for e in value):
                raise self.err(f"wrt {text!r} must be a variable or a vector of variables", claim.id)
            return list(value), True
        if not isinstance(value, (sp.Symbol, sp.MatrixSymbol)):
            raise self.err(f"wrt {text!r} is not a variable (got {value})", claim.id)
        return [value], False

    def _of(self, claim, values):
        fn = self.function
        if claim.of_text is None:
            if fn is not None and fn.components is not None and claim.kind in ("derivative", "step"):
                raise self.err("the function has several components: say which with of = 'y_i'", claim.id)
            return None
        text = instantiate(claim.of_text, values)
        name = _parser_name(text)
        if fn is not None and fn.components is not None:
            for comp_name, _ in fn.components:
                if comp_name == name:
                    return sp.Symbol(name, real=True)
        if fn is not None and fn.program is not None:
            sym = fn.program.symbol(name) if name else None
            if sym is not None and sym in fn.program:
                return sym
        raise self.err(f"of = {text!r} is not an output or intermediate of the function", claim.id)

    def _check_shapes(self, claim, wrt, is_vec, of, members):
        for note in self.reader.shape_notes:
            self._check_note(claim, note)
        self.reader.shape_notes.clear()
        if claim.kind in ("identity",):
            shapes = {_shape(m) for m in members}
            if len(shapes) > 1:
                raise self.err(f"the sides have different shapes: {', '.join(_describe(m) for m in members)}",
                               claim.id)
            return
        if len(wrt) == 1 and isinstance(wrt[0], sp.MatrixSymbol):
            expected = wrt[0].shape
        elif is_vec:
            expected = (len(wrt), 1)
        else:
            expected = ()
        for m in members:
            got = _shape(m)
            if claim.kind == "step" and got == ():
                continue   # a scalar update is added to every entry, as written
            if got == expected or (is_vec and got in ((len(wrt),), (1, len(wrt)))):
                continue
            raise self.err(f"the claim is {_describe(m)}, but the {claim.kind} with respect to "
                           f"{claim.wrt_text} is {_describe_shape(expected)}", claim.id)

    def _check_note(self, claim, note):
        value = self.symbols.get(note.name)
        if value is None:
            prog = self.function.program if self.function is not None else None
            value = prog.symbol(note.name) if prog is not None else None
        if not isinstance(value, sp.MatrixSymbol):
            return
        shape = value.shape[::-1] if note.transposed else value.shape
        written = tuple(_dim(d) for d in note.dims)
        if len(written) != 2 or any(w != s for w, s in zip(written, shape)):
            raise self.err(f"the annotation {note.name}_[{','.join(note.dims)}] does not match its shape "
                           f"{_describe_shape(shape)}", claim.id)


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

def is_symbolic_matrix(x) -> bool:
    """A matrix expression over MatrixSymbols (not an explicit Matrix of scalars)."""
    return isinstance(x, MatrixExpr) and not isinstance(x, sp.MatrixBase)


def _call(name, args, expr, vals):
    if len(vals) != len(args):
        raise SymdiffError(f"{name} takes {len(args)} argument(s), got {len(vals)}")
    return expr.xreplace(dict(zip(args, vals)))


def _dim(d: str):
    d = d.strip()
    return sp.Integer(int(d)) if d.isdigit() else sp.Symbol(d, integer=True, positive=True)


def _derivative_in_intermediates(program: Program, a, b):
    """d a / d b with the forward intermediates kept (the lecture's form of a derivative)."""
    from ..errors import NoRuleError
    from ..reverse import gradient
    sub = program.subprogram_for([a])
    try:
        g = gradient(sub, [b])
    except NoRuleError:
        g = None
    if g is not None:
        result = g.in_intermediates(b)
        # the linearized pass names pieces of right-hand sides (f_1 = exp(...)): put them back
        named = set(program.targets()) | set(program.inputs)
        closed = {}
        for t, e in g.forward_part:
            if t not in named:
                closed[t] = e.xreplace(closed) if closed else e
        return result.xreplace(closed) if closed else result
    # generic functions have no rule: the reverse pass by hand, with SymPy's derivatives
    adjoint = {a: sp.Integer(1)}
    for t, e in reversed(sub.assignments):
        g = adjoint.get(t)
        if g is None or t == b:
            continue
        for s in value_symbols(e):
            adjoint[s] = adjoint.get(s, sp.Integer(0)) + g * sp.diff(e, s)
    return adjoint.get(b, sp.Integer(0))


def _depends_on(program: Program, node) -> set:
    """Every input and intermediate ``node`` depends on (itself excluded)."""
    out, stack = set(), [node]
    while stack:
        s = stack.pop()
        if s in program:
            for a in value_symbols(program.definition(s)):
                if a not in out:
                    out.add(a)
                    stack.append(a)
    return out


def _parser_name(text: str) -> str | None:
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


def _latex_name(name: str) -> str:
    """The LaTeX for a parser name: hat_y -> \\hat{y}."""
    m = re.fullmatch(r"(hat|bar|tilde)_([A-Za-z]+)(.*)", name)
    if m:
        return rf"\{m.group(1)}{{{m.group(2)}}}{m.group(3)}"
    return name


def _scalarize(expr, index_base: int):
    """Entries X[i, j] of a matrix of fixed size -> scalar symbols X_{i,j} (as parse_latex names them)."""
    def name_of(e):
        base = e.parent.name
        i, j = int(e.i) + index_base, int(e.j) + index_base
        rows, cols = e.parent.shape
        if cols == 1:
            return sp.Symbol(f"{base}_{i}", real=True)
        if rows == 1:
            return sp.Symbol(f"{base}_{j}", real=True)
        return sp.Symbol(f"{base}_{{{i},{j}}}", real=True)

    elements = [e for e in expr.atoms(MatrixElement) if e.i.is_Integer and e.j.is_Integer]
    mapping = {e: name_of(e) for e in elements}
    for e in expr.atoms(sp.Indexed):   # x[i] of a sum over a symbolic range, once the range is known
        if all(k.is_Integer for k in e.indices):
            parts = [str(int(k)) for k in e.indices]
            label = parts[0] if len(parts) == 1 else "{" + ",".join(parts) + "}"
            mapping[e] = sp.Symbol(f"{e.base.label}_{label}", real=True)
    return expr.xreplace(mapping) if mapping else expr


def _shape(value) -> tuple:
    if isinstance(value, (MatrixExpr, sp.MatrixBase)):
        return tuple(value.shape)
    return ()


def _describe_shape(shape) -> str:
    if shape == ():
        return "a scalar"
    r, c = shape if len(shape) == 2 else (shape[0], 1)
    if c == 1 and (isinstance(r, int) or getattr(r, "is_Integer", False)):
        return f"a vector of {r}"
    return f"a {r} x {c} matrix"


def _describe(value) -> str:
    return _describe_shape(_shape(value))


def _shift_lines(message: str, k: int) -> str:
    return re.sub(r"line (\d+)", lambda m: f"line {max(1, int(m.group(1)) - k)}", message)
