r"""Layouts checked entry by entry, at concrete sizes.

Some claims are about every entry of a derivative: a Jacobian
``\frac{\partial \mathbf{y}}{\partial \mathbf{s}}`` (a vector function of a vector),
an entry claim with free indices (``\frac{\partial L}{\partial W_{ij}} = \delta_i x_j``,
``\frac{\partial y_i}{\partial s_j} = y_i(\delta_{ij} - y_j)``), or a claim about a
vector with a structure marker (``p`` simplex, ``y`` onehot / pm1 / binary).  They are
checked with every vector and matrix written out entry by entry: at the declared
sizes when those are numbers, else at small sizes chosen here (and said in the
verdict).  A claim stated for every size and checked at one size is at best
'consistent': agreement at those sizes is evidence, not a proof for all sizes; a
counterexample at one size refutes it.

Nothing here parses: the statement reader (``statements.py``) reads the LaTeX with
concrete sizes and free indices bound (``latex.read_latex(..., bindings=)``) and
hands the values over.
"""
from __future__ import annotations

import dataclasses
import itertools
import re

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement, MatrixExpr

from ..errors import SymdiffError
from ..latex.declarations import element_name
from ..latex.statements import plain_name
from .verdict import Verdict

__all__ = ["NeedsSizes", "Entrywise", "EntryFormula", "Binary", "SMALL_SIZES", "concrete_variables",
           "explicit", "entry_indices", "needs_sizes", "binary_cases", "combine_cases", "as_entrywise_verdict",
           "denominator_layout", "diagonal_jacobian", "transposed_jacobian_undetermined", "at_case", "names_of", "entry_formulas", "named_entries", "written_out",
           "entry_claim"]

SMALL_SIZES = (3, 2, 4, 5, 6, 7)   # sizes given to size names, in order of first use
MAX_BINARY_CASES = 64              # 0/1 assignments of binary entries checked one by one
MAX_ENTRIES = 400                  # entries of a derivative written out


class NeedsSizes(SymdiffError):
    """The claim must be checked entry by entry at concrete sizes (``reason`` says why)."""


@dataclasses.dataclass
class Entrywise:
    """How an entrywise check was set up: the sizes chosen for size names (empty when all
    sizes were declared numbers) and why."""

    sizes: dict
    reason: str

    def describe(self) -> str:
        if not self.sizes:
            return f"checked entry by entry at the declared sizes ({self.reason})"
        chosen = ", ".join(f"{k} = {v}" for k, v in self.sizes.items())
        return f"checked entry by entry at the sizes {chosen} ({self.reason})"


@dataclasses.dataclass(frozen=True)
class EntryFormula:
    """A formula with free index letters, read at every index: ``letters`` ('i', 'j')
    range over 1..n of ``lengths``; its value is the vector or matrix of the readings."""

    text: str
    letters: tuple
    lengths: tuple

    def read(self, read_at):
        """``read_at(bindings) -> (value, choice points)`` for each index; the matrix."""
        if len(self.letters) > 2 or not self.letters:
            raise SymdiffError(f"an entry formula has {len(self.letters)} free indices; verify checks "
                               f"entries with one or two")
        count = 1
        for n in self.lengths:
            count *= n
        if count > MAX_ENTRIES:
            raise SymdiffError(f"an entry formula with {count} entries is too large to write out")
        met, rows = {}, []
        for first in range(1, self.lengths[0] + 1):
            row = []
            for rest in itertools.product(*[range(1, n + 1) for n in self.lengths[1:]]):
                value, seen = read_at(dict(zip(self.letters, (first,) + rest)))
                met.update(seen)
                if isinstance(value, MatrixExpr) and value.shape == (1, 1) and not value.atoms(sp.MatrixSymbol):
                    value = value.as_explicit()[0, 0]   # (y - h(x)) x_j with h(x) = sigma(theta^T x): one number
                if isinstance(value, (sp.MatrixBase, MatrixExpr)):
                    raise SymdiffError(f"the entry formula {self.text} is a matrix at index "
                                       f"{(first,) + rest}, not a number")
                row.append(value)
            rows.append(row)
        return sp.ImmutableMatrix(rows), met


@dataclasses.dataclass(frozen=True)
class Binary:
    """``y binary`` / ``y \\in \\{0, 1\\}^n``: every entry 0 or 1 (checked case by case)."""

    symbols: tuple


def concrete_variables(variables: dict | None, start: int = 0) -> tuple[dict, dict]:
    """``variables`` with every size name replaced by a small number; the names chosen.  ``start``
    shifts the choice along ``SMALL_SIZES`` (a second set of sizes for the same check)."""
    sizes: dict = {}
    out = {}
    for key, shape in (variables or {}).items():
        dims = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
        fixed = []
        for d in dims:
            if isinstance(d, str):
                name = d.strip()
                if name not in sizes:
                    sizes[name] = SMALL_SIZES[min(len(sizes) + start, len(SMALL_SIZES) - 1)]
                fixed.append(sizes[name])
            else:
                fixed.append(d)
        out[key] = tuple(fixed)
    return out, sizes


def _entries(matrix: sp.MatrixSymbol, sizes: dict) -> sp.ImmutableMatrix:
    shape = []
    for d in matrix.shape:
        d = sp.sympify(d).xreplace({s: sp.Integer(sizes[s.name]) for s in sp.sympify(d).free_symbols
                                    if s.name in sizes})
        if not d.is_Integer:
            raise SymdiffError(f"the size {d} of {matrix.name} is not known; declare it in variables")
        shape.append(int(d))
    rows, cols = shape
    if cols == 1:
        return sp.ImmutableMatrix([[sp.Symbol(element_name(matrix.name, (i + 1,)), real=True)]
                                   for i in range(rows)])
    # W_1_2 rather than W_{1,2}: the checker takes identifiers as variable names
    return sp.ImmutableMatrix(rows, cols, lambda i, j: sp.Symbol(f"{matrix.name}_{i + 1}_{j + 1}", real=True))


def explicit(value, sizes: dict | None = None):
    """``value`` with every MatrixSymbol written out entry by entry (``A_1_2``, ``x_3``,
    the names the LaTeX reader gives explicit entries); a 1 x 1 result is a scalar."""
    if isinstance(value, (list, tuple)):
        return [explicit(v, sizes) for v in value]
    if not isinstance(value, sp.Basic):
        return value
    symbols = value.atoms(sp.MatrixSymbol)
    if symbols:
        value = value.xreplace({m: _entries(m, sizes or {}) for m in symbols})
    dims = {s: sp.Integer(sizes[s.name]) for s in value.free_symbols
            if sizes and s.name in sizes and s.is_integer}
    if dims:      # ZeroMatrix(n, 1), Identity(n): sizes by name
        value = value.xreplace(dims)
    try:
        if isinstance(value, MatrixExpr) or value.has(sp.Trace, sp.Determinant, MatrixElement):
            value = value.doit()
        if isinstance(value, MatrixExpr) and not isinstance(value, sp.MatrixBase):
            value = value.as_explicit()
    except ValueError as exc:
        raise SymdiffError(f"cannot write {sp.sstr(value)[:80]} out entry by entry ({exc})") from None
    if isinstance(value, sp.MatrixBase):
        value = sp.ImmutableMatrix(value.applyfunc(lambda e: e.doit() if e.has(MatrixElement) else e))
        if value.shape == (1, 1):
            return value[0, 0]
    return value


def entry_indices(latex: str | None, base: str) -> tuple | None:
    r"""``W_{ij}``, ``W_{i,j}``, ``\mathbf{W}_{ij}`` of the variable ``base``: ('i', 'j');
    ``s_j``: ('j',); None when ``latex`` is not an entry of ``base``."""
    if not latex:
        return None
    name = plain_name(latex)
    if name is None:
        return None
    match = re.fullmatch(rf"{re.escape(base)}_\{{?([A-Za-z](?:,?[A-Za-z])?)\}}?", name)
    if match is None:
        return None
    return tuple(match.group(1).replace(",", ""))


def needs_sizes(f_value, wrt_value) -> str | None:
    """Why a function must be checked entry by entry (None: the usual paths take it)."""
    vector_wrt = isinstance(wrt_value, (list, tuple)) or isinstance(wrt_value, sp.MatrixSymbol)
    f_matrix = isinstance(f_value, (sp.MatrixBase, MatrixExpr)) and tuple(f_value.shape) != (1, 1)
    if f_matrix and isinstance(wrt_value, sp.MatrixSymbol):
        return "a vector function of a vector: its Jacobian"
    if f_matrix and isinstance(f_value, MatrixExpr) and not isinstance(f_value, sp.MatrixBase) and vector_wrt:
        return "a vector function of a vector: its Jacobian"
    if isinstance(f_value, MatrixExpr) and not isinstance(f_value, sp.MatrixBase) and f_value.shape[1] == 1 \
            and f_value.shape[0] != 1:
        return "a vector function: each entry"
    if isinstance(wrt_value, (list, tuple)) and isinstance(f_value, sp.Basic) and \
            any(all(sp.sympify(d).is_Integer for d in m.shape) for m in f_value.atoms(sp.MatrixSymbol)):
        return "matrices of numeric size beside vectors written out"
    return None


def binary_cases(where: list, wrt_names: set) -> tuple[list, list[dict]]:
    """(the other conditions, every 0/1 assignment of the binary entries)."""
    binaries = [w for w in where if isinstance(w, Binary)]
    rest = [w for w in where if not isinstance(w, Binary)]
    symbols = list(dict.fromkeys(s for b in binaries for s in b.symbols))
    if not symbols:
        return rest, [{}]
    clash = sorted(s.name for s in symbols if s.name in wrt_names)
    if clash:
        raise SymdiffError(f"{', '.join(clash)} is binary (0 or 1), so there is no derivative with respect "
                           f"to it")
    if 2 ** len(symbols) > MAX_BINARY_CASES:
        raise SymdiffError(f"{len(symbols)} binary entries give {2 ** len(symbols)} cases; at most "
                           f"{MAX_BINARY_CASES} are checked")
    return rest, [dict(zip(symbols, map(sp.Integer, bits)))
                  for bits in itertools.product((0, 1), repeat=len(symbols))]


def combine_cases(verdicts: list[Verdict], cases: list[dict]) -> Verdict:
    """Binary entries checked case by case: refuted if a case is, proved if all are."""
    if len(verdicts) == 1:
        return verdicts[0]
    shown = [", ".join(f"{s.name} = {v}" for s, v in case.items()) for case in cases]
    for k, v in enumerate(verdicts):
        if v.status == "refuted":
            return dataclasses.replace(v, explanation=f"With the binary entries {shown[k]}: {v.explanation}")
    for status in ("undetermined", "consistent"):
        for k, v in enumerate(verdicts):
            if v.status == status:
                return dataclasses.replace(v, explanation=f"Checked for each of the {len(cases)} 0/1 values of "
                                                          f"the binary entries; with {shown[k]}: "
                                                          f"{v.explanation}")
    return dataclasses.replace(verdicts[0], explanation=f"Proved for each of the {len(cases)} 0/1 values of the "
                                                        f"binary entries: {verdicts[0].explanation}")


def as_entrywise_verdict(verdict: Verdict, entrywise: Entrywise) -> Verdict:
    """A proof at sizes we chose is agreement at those sizes, not a proof for every size."""
    text = f"The claim was {entrywise.describe()}. {verdict.explanation}"
    evidence = dict(verdict.evidence or {})
    evidence["entrywise_sizes"] = dict(entrywise.sizes)
    status = verdict.status
    if status == "proved" and entrywise.sizes:
        status = "consistent"
        text = text.replace("so the claim is proved", "so the claim holds at these sizes")
        text += (" The proof holds at these sizes only, so the claim (stated for every size) is called "
                 "consistent, not proved.")
    return dataclasses.replace(verdict, status=status, explanation=text, evidence=evidence)


# ---------------------------------------------------------------------------
# Entry claims and written-out values (the statement reader's context is passed in)
# ---------------------------------------------------------------------------

def denominator_layout(f_value, wrt_value, claims):
    """A Jacobian claim of shape n x m for f of m entries and n variables (n != m) is in
    denominator layout (entry (j, i) is df_i/dx_j): the only reading its shape allows."""
    if not (isinstance(f_value, sp.MatrixBase) and f_value.cols == 1 and isinstance(wrt_value, (list, tuple))):
        return claims, ""
    m, n = f_value.rows, len(wrt_value)
    if m == n or not any(isinstance(c, sp.MatrixBase) and c.shape == (n, m) for c in claims):
        return claims, ""
    return ([c.T if isinstance(c, sp.MatrixBase) and c.shape == (n, m) else c for c in claims],
            f" (the claim is {n} x {m}: read in denominator layout, entry (j, i) = d f_i / d x_j)")


def diagonal_jacobian(f_value, wrt_value, claims):
    r"""A claim that is a vector of m entries for the m x m Jacobian of f (m entries, m variables)
    is the elementwise derivative notes write for an elementwise f (``\sigma'(z) = \sigma(z)
    \odot (1 - \sigma(z))``): read as diag(claim).  A Jacobian with a nonzero entry off the
    diagonal then refutes it, as no vector can be that Jacobian."""
    if not (isinstance(f_value, sp.MatrixBase) and f_value.cols == 1 and isinstance(wrt_value, (list, tuple))):
        return claims, ""
    m = f_value.rows
    if m != len(wrt_value) or m < 2:
        return claims, ""

    def is_vector(c):
        return isinstance(c, sp.MatrixBase) and c.shape in ((m, 1), (1, m))

    identities = [_identity_multiple(c, f_value) for c in claims]
    if any(k is not None for k in identities):      # d(Wx + b)/db = I
        return ([c if k is None else k * sp.eye(m) for c, k in zip(claims, identities)],
                f" (I read as the {m} x {m} identity matrix)")
    if not any(is_vector(c) for c in claims):
        return claims, ""
    return ([sp.diag(*list(c)) if is_vector(c) else c for c in claims],
            f" (the claim is a vector of {m} entries for a {m} x {m} Jacobian: read as the diagonal "
            f"Jacobian diag(claim), the elementwise derivative)")


def _identity_multiple(claim, f_value):
    """c for a claim c I (I or I_n, a name that is not a variable of f), else None."""
    if not isinstance(claim, sp.Expr) or isinstance(claim, sp.MatrixBase):
        return None
    taken = {v.name for v in f_value.free_symbols}
    names = [v for v in claim.free_symbols if isinstance(v, sp.Symbol) and v.name not in taken
             and re.fullmatch(r"I(_\{?[A-Za-z0-9]+\}?)?", v.name)]
    if len(names) != 1:
        return None
    coefficient, rest = claim.as_independent(names[0], as_Add=False)
    return coefficient if rest == names[0] else None


def square_jacobian_claims(f_value, wrt_value, claims) -> bool:
    """A claim that is an m x m matrix for f of m entries and m variables: its layout is not told by
    its shape (entry (i, j) is d f_i / d x_j in numerator layout, d f_j / d x_i in denominator layout)."""
    if not (isinstance(f_value, sp.MatrixBase) and f_value.cols == 1 and isinstance(wrt_value, (list, tuple))):
        return False
    m = f_value.rows
    return m == len(wrt_value) and m > 1 and any(isinstance(c, sp.MatrixBase) and c.shape == (m, m)
                                                  for c in claims)


def transposed_claims(claims) -> list:
    return [c.T if isinstance(c, sp.MatrixBase) and c.rows == c.cols else c for c in claims]


def layout_undetermined(numerator: Verdict, denominator: Verdict, read_as: str) -> Verdict:
    """The claim is wrong as a Jacobian in numerator layout but holds in denominator layout: both are
    conventions people write in, so which one was meant decides, and the text does not say."""
    text = (f"Read as a Jacobian in numerator layout (entry (i, j) = d f_i / d x_j, the usual one) the claim is "
            f"refuted: {numerator.explanation} Read in denominator layout (entry (i, j) = d f_j / d x_i, its "
            f"transpose) it is {denominator.status}. The square claim's shape does not tell the layout: write "
            f"it transposed, or state the layout, to get a verdict.")
    return Verdict("undetermined", text, numerator.counterexample,
                   {"readings": ["numerator layout", "denominator layout"]},
                   elapsed=numerator.elapsed + denominator.elapsed, read_as=read_as)


def transposed_jacobian_undetermined(denominator: Verdict, read_as: str) -> Verdict:
    """A non-square claim that fits the Jacobian only transposed and holds so: denominator layout, or the
    Jacobian with a transpose dropped (A^T for d(Ax)/dx); the shape cannot tell which was meant."""
    text = (f"The claim has the shape of the Jacobian transposed. Read in denominator layout (entry (j, i) = "
            f"d f_i / d x_j) it is {denominator.status}: {denominator.explanation} But a claim that holds only "
            f"transposed is as often the Jacobian (numerator layout, entry (i, j) = d f_i / d x_j, the usual one) "
            f"with a transpose dropped, and its shape cannot tell which was meant, so nothing is decided: write "
            f"it transposed, or state the layout, to get a verdict.")
    return Verdict("undetermined", text, None, {"readings": ["numerator layout", "denominator layout"]},
                   elapsed=denominator.elapsed, read_as=read_as)


def at_case(value, case: dict):
    return value.xreplace(case) if case and isinstance(value, sp.Basic) else value


def names_of(wrt_value) -> set:
    items = wrt_value if isinstance(wrt_value, (list, tuple)) else [wrt_value]
    return {getattr(w, "name", str(w)) for w in items}


def entry_formulas(f_text, fname, claim_texts, wrt_value, context):
    """Entry claims (free indices) as EntryFormulas over the ranges of their indices."""
    if context.entry is None:
        return f_text, claim_texts, wrt_value
    target_letters, wrt_letters = context.entry
    wrt_shape = tuple(int(d) for d in wrt_value.shape) if isinstance(wrt_value, sp.MatrixSymbol) else \
        (len(wrt_value),) if isinstance(wrt_value, (list, tuple)) else ()
    if wrt_letters and len(wrt_shape) == 2 and wrt_shape[1] == 1 and len(wrt_letters) == 1:
        wrt_shape = wrt_shape[:1]
    if len(wrt_letters) != len(wrt_shape):
        raise SymdiffError(f"the claim's left side takes {len(wrt_letters)} index(es) of the variable, which "
                           f"has the shape {wrt_shape or 'of a scalar'}")
    lengths = ()
    if target_letters:
        if isinstance(f_text, str) and fname and re.fullmatch(r"\w+_[A-Za-z]", fname):
            length = _entry_length(fname.split("_")[0], context, wrt_shape)
            f_text = EntryFormula(f_text, (fname[-1],), (length,))
            lengths = (length,)
        else:
            value = context.parse(f_text) if isinstance(f_text, str) else f_text
            if not isinstance(value, (sp.MatrixBase, sp.MatrixExpr)) or 1 not in value.shape:
                raise SymdiffError("the claim's left side takes an entry of the function, but it is not a vector")
            lengths = (max(int(d) for d in value.shape),)
    entry = EntryFormula
    claim_texts = [entry(c, target_letters + wrt_letters, lengths + wrt_shape) if isinstance(c, str) else c
                   for c in claim_texts]
    return f_text, claim_texts, wrt_value


def named_entries(context, fname, f_value) -> dict:
    r"""y_2 of a defined vector y (``\mathbf{y} = ...`` or ``y_i = ...``) is its entry."""
    sizes = context.entrywise.sizes if context.entrywise else {}
    vectors = {sym.name: explicit(v, sizes) for sym, v in context.values.items()}
    vectors = {name: v for name, v in vectors.items() if isinstance(v, sp.MatrixBase)}
    if fname and re.fullmatch(r"\w+_[A-Za-z]", fname) and isinstance(f_value, sp.MatrixBase):
        vectors[fname.split("_")[0]] = f_value
    return {sp.Symbol(element_name(name, (k + 1,)), real=True): e for name, v in vectors.items() if 1 in v.shape
            for k, e in enumerate(v)}


def _entry_length(base: str, context, wrt_shape) -> int:
    shape = context.shapes.get(base)
    if shape is not None and isinstance(shape[0], int):
        return shape[0]
    if len(wrt_shape) == 1:
        return wrt_shape[0]     # y_i = ... of s_1..s_n: as many entries as the variable
    raise SymdiffError(f"the length of {base} is not known: declare it in variables ({base!r}: (n,))")


def written_out(f_value, wrt_value, claims, entrywise: Entrywise):
    """Every matrix written out; a matrix variable as the list of its entries (row by row),
    and a claim of its shape in the same order."""
    f_value = explicit(f_value, entrywise.sizes)
    wrt_matrix = explicit(wrt_value, entrywise.sizes) if isinstance(wrt_value, sp.MatrixSymbol) else None
    if isinstance(wrt_matrix, sp.MatrixBase):
        wrt_value = list(wrt_matrix)
    elif wrt_matrix is not None:
        wrt_value = [wrt_matrix]
    scalar_f = not isinstance(f_value, sp.MatrixBase)
    out = []
    for c in claims:
        c = explicit(c, entrywise.sizes)
        if scalar_f and isinstance(c, sp.MatrixBase) and isinstance(wrt_matrix, sp.MatrixBase) \
                and c.shape == wrt_matrix.shape:
            c = sp.ImmutableMatrix(list(c))
        out.append(c)
    return f_value, wrt_value, out


def entry_claim(side, target, fname, wrt_letters, context) -> None:
    r"""``\frac{\partial L}{\partial W_{ij}}``, ``\frac{\partial y_i}{\partial s_j}``: an entry claim
    with free indices, checked entry by entry (``context.entry``: the letters of each side)."""
    base = target.split("_")[0] if target else None
    target_letters = entry_indices(side.target.text, base) if base else None
    if target_letters and not (wrt_letters or base in context.shapes) \
            or target_letters and fname and fname.split("_")[0] != base:
        target_letters = None       # \ell_i of the i-th example: a name, not an entry
    if not wrt_letters and not target_letters:
        return
    context.entry = (tuple(target_letters or ()), tuple(wrt_letters))
    if context.entrywise is None:
        raise NeedsSizes("an entry claim with free indices, at every index")
