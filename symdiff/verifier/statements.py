r"""Claims as people write them: ``verify`` with LaTeX statements and ``verify_text``.

``verify(f, wrt, claimed, where, variables)`` comes here when the function or the
claim is LaTeX, when ``variables`` declares names, or when ``where`` holds
structure phrases.  The LaTeX is read as statements (``symdiff.latex.statements``):

* the function may be a definition ``f(x) = ...`` (then ``f``, ``f(2x)`` and
  ``f'(x)`` mean it in the claim) with where-clauses (``\quad u = w^\top x``,
  ``\text{где}``, ``, \; t \neq 0``): named intermediates are substituted,
  conditions join the domain;
* the claim may carry a derivative left side (``f'(x) =``, ``\frac{\partial L}
  {\partial w} =``, ``\nabla_w L =``...), checked against ``wrt``, and may be a
  chain: each link is a claim;
* every reading of an ambiguous formula is checked (``latex_readings``): the same
  verdict is given, different verdicts give 'undetermined' naming both readings.

Each verdict says how the input was read (``Verdict.read_as``).  The checking is
``check.verify`` / ``check.verify_identity`` on the SymPy values.
"""
from __future__ import annotations

import ast
import dataclasses
import itertools
import re
import time

import sympy as sp

from ..budget import BudgetExceeded, OutOfMemory, run_with_budget
from ..errors import ParseError, ShapeMismatchError, SymdiffError
from ..latex import parse_latex, read_latex
from ..latex.names import Fn
from ..latex.printer import expr_latex
from ..latex.statements import (Statement, derivative_side, is_chain_rule_product, plain_name, read_statement,
                                split_rows)
from .ill_shaped import function_shape_error, shape_refutation, wrong_shape_refutation
from ..written import noting
from .as_written import keep_singularities
from .inputs import ClaimShapeError, looks_like_latex
from .core import verify_identity, verify_values as verify
from .matrix_identity import ill_formed_identity, is_symbolic_matrix, verify_matrix_identity
from .layouts import (EntryFormula, Entrywise, NeedsSizes, as_entrywise_verdict, at_case, binary_cases,
                      combine_cases, concrete_variables, denominator_layout, diagonal_jacobian, entry_claim, entry_formulas,
                      entry_indices, layout_undetermined, named_entries, names_of, needs_sizes, transposed_jacobian_undetermined,
                      square_jacobian_claims, transposed_claims, written_out)
from .structures import structured_entries
from .verdict import Roles, Verdict
from .wrt import read_wrt
from .context import Context, not_callable, structure_phrase

__all__ = ["uses_statements", "verify_statement", "verify_text", "Context"]

MAX_CHOICE_POINTS = 3   # ambiguities checked in every combination (2^3 readings at most)


class AmbiguityError(SymdiffError, ValueError):
    """Input that can be read in too many ways to check every reading."""

_STATUS_ORDER = ("refuted", "undetermined", "consistent", "proved")


def _is_latex(value) -> bool:
    """LaTeX, or a statement (f'(x) = ..., f(x) = ..., y = 2x): program text has no ', and its lone =
    is a Python assignment to a name (``F = x**2`` is a one-line program)."""
    if not isinstance(value, str):
        return False
    if looks_like_latex(value):
        return True
    return "\n" not in value and ("'" in value or "’" in value
                                   or (re.search(r"(?<![=<>!])=(?!=)", value) is not None
                                       and not _assignment_line(value)))


_PLAIN_ASSIGNMENT = re.compile(r"\s*[A-Za-z_]\w*\s*=(?!=)[^\\{}'’]*\Z")


def _assignment_line(text: str) -> bool:
    """``name = <Python expression>`` (parsed, never executed)."""
    try:
        tree = ast.parse(text.strip(), mode="exec")
    except SyntaxError as error:     # nested past Python's parser: still an assignment, for the program reader to refuse
        return "too many nested" in str(error.msg) and _PLAIN_ASSIGNMENT.match(text) is not None
    except (ValueError, RecursionError, MemoryError):
        return _PLAIN_ASSIGNMENT.match(text) is not None
    return len(tree.body) == 1 and isinstance(tree.body[0], ast.Assign) and len(tree.body[0].targets) == 1 \
        and isinstance(tree.body[0].targets[0], ast.Name)


def _is_statement(claimed) -> bool:
    """A LaTeX claim with more than an expression: a left side, a chain, clauses, or
    notation that can be read two ways (a plain expression keeps the direct path)."""
    if not _is_latex(claimed):
        return False
    try:
        statement = read_statement(claimed)
        if statement.kind != "expression" or statement.clauses:
            return True
        return bool(read_latex(claimed)[1])
    except SymdiffError:
        return False


def uses_statements(f, claimed, where, variables) -> bool:
    """Whether a ``verify`` call needs the statement reader."""
    if variables is not None:
        return True
    if _is_latex(f) or _is_statement(claimed):
        return True
    if isinstance(f, sp.MatrixExpr) and not isinstance(f, sp.MatrixBase) and f.shape[1] == 1 \
            and f.shape[0] != 1:
        return True     # a vector function of MatrixSymbols: a Jacobian is written out (layouts.py)
    items = list(where) if isinstance(where, (list, tuple)) else [where]
    return any(isinstance(w, str) and structure_phrase(w) for w in items)


# ---------------------------------------------------------------------------
# verify with statements
# ---------------------------------------------------------------------------

def verify_statement(f, wrt, claimed, where=(), variables=None, budget: float = 10.0,
                     seed: int = 0) -> Verdict:
    t0 = time.monotonic()
    try:
        return _verify_statement(f, wrt, claimed, where, variables, budget, seed, None)
    except NeedsSizes as need:     # a Jacobian, an entry claim, a marked vector: entry by entry
        return _written_out_check(f, wrt, claimed, where, variables, budget - (time.monotonic() - t0), seed,
                                  str(need), None)
    except SymdiffError as error:  # softmax(s)_k, x^{(i)}, log sum_k e^{s_k} of named size: written out
        if not _has_size_names(f, variables) or isinstance(error, AmbiguityError):
            raise
        return _written_out_check(f, wrt, claimed, where, variables, budget - (time.monotonic() - t0), seed,
                                  "the formulas could not be checked with sizes as names", error)


def _has_size_names(f, variables) -> bool:
    shapes = list((variables or {}).values())
    if isinstance(f, sp.Basic):
        shapes += [m.shape for m in f.atoms(sp.MatrixSymbol)]
    return any(isinstance(d, str) or (isinstance(d, sp.Basic) and not d.is_Integer)
               for shape in shapes for d in (shape if isinstance(shape, (tuple, list, sp.Tuple)) else (shape,)))


_OTHER_SIZES = (1, 2)   # further shifts along SMALL_SIZES once a claim holds at the first sizes (3 -> 2, 4)


def _written_out_check(f, wrt, claimed, where, variables, budget, seed, reason, error) -> Verdict:
    """The check again with every vector and matrix written out at concrete sizes; when it was
    a retry after ``error`` and it fails too, the first error is the one reported.  A claim that
    holds at the sizes chosen for size names is checked at other sizes too while the budget lasts
    (a claim right only at n = 3, such as (n - 2) A for the Jacobian A, is refuted at n = 2)."""
    declared = dict(variables or {})
    if isinstance(f, sp.Basic):
        for m in sorted(f.atoms(sp.MatrixSymbol), key=lambda m: m.name):
            declared.setdefault(m.name, tuple(int(d) if d.is_Integer else str(d) for d in m.shape))
    deadline = time.monotonic() + max(budget, 0.5)
    verdict = _written_out_at(f, wrt, claimed, where, declared, budget, seed, reason, error, 0)
    if verdict.status not in ("proved", "consistent") or not (verdict.evidence or {}).get("entrywise_sizes"):
        return verdict
    for start in _OTHER_SIZES:
        left = deadline - time.monotonic()
        if left < 1.0:
            break
        try:   # (no slack beyond the deadline here: the first pass had it)
            other = _written_out_at(f, wrt, claimed, where, declared, left - 0.5, seed, reason, None, start, 0.0)
        except SymdiffError:
            continue
        if other.status == "refuted":
            return other
    return verdict


def _written_out_at(f, wrt, claimed, where, declared, budget, seed, reason, error, start, slack=1.0) -> Verdict:
    concrete, sizes = concrete_variables(declared, start)
    entrywise = Entrywise(sizes, reason)
    budget = max(budget, 0.5)
    try:     # writing out (an inverse, a determinant at n = 3) may run away: under the budget
        verdict = run_with_budget(_verify_statement, f, wrt, claimed, where, concrete, budget, seed, entrywise,
                                  seconds=budget + slack, propagate=True)
    except (BudgetExceeded, OutOfMemory) as exc:
        return Verdict("undetermined", f"The claim was to be {entrywise.describe()}, but that ran out of time "
                                       f"or memory ({exc}), so nothing was decided.",
                       evidence={"entrywise_sizes": dict(sizes)},
                       read_as=f"{f} ; d/d{wrt}: {claimed} (to be {entrywise.describe()})")
    except SymdiffError:
        if error is None:
            raise
        raise error from None
    return as_entrywise_verdict(verdict, entrywise)


def _verify_statement(f, wrt, claimed, where, variables, budget, seed, entrywise) -> Verdict:
    context = Context(variables, ())
    context.entrywise = entrywise
    for size, number in (entrywise.sizes.items() if entrywise else ()):   # \sum_{k=1}^{n} at n = 3
        context.functions[size] = Fn(size, not_callable(size), arity=None, value=sp.Integer(number))
    _declare_matrices_of(f, context)
    f_text, fname = _function_text(f, context)
    wrt_name, wrt_value = _wrt(wrt, context)
    claim_texts, target = _claim_texts(claimed, context, fname, wrt_name)
    target_symbol = sp.Symbol(target, real=True) if target else None
    context.add_where(where)
    if entrywise is not None:
        f_text, claim_texts, wrt_value = entry_formulas(f_text, fname, claim_texts, wrt_value, context)
    formulas = ([f_text] if isinstance(f_text, (str, EntryFormula)) else []) + \
        [c for c in claim_texts if isinstance(c, (str, EntryFormula))]
    sizes_declared = entrywise is None or not entrywise.sizes   # not sizes symdiff chose for named ones
    function_text = f if isinstance(f, str) and isinstance(f_text, (str, EntryFormula)) else None
    claim_shape = _gradient_shape(wrt_value) if isinstance(f_text, str) else None
    readings = joint_readings(formulas, context, function_text, sizes_declared, claim_shape)
    notes_left = iter(context.written[1 if isinstance(f_text, (str, EntryFormula)) else 0:])
    claim_notes = [next(notes_left, ()) if isinstance(c, (str, EntryFormula)) else () for c in claim_texts]
    share = budget / len(readings)
    results = []
    for values, choices in readings:
        values = iter(values)
        f_value = next(values) if isinstance(f_text, (str, EntryFormula)) else _plain(f, context)
        if target_symbol in context.values and target != fname:
            f_value = context.substitute(target_symbol)   # h = ..., o = w_2 h: d o / d w_1
        if isinstance(f_value, sp.MatrixBase) and f_value.shape == (1, 1):
            f_value = f_value[0, 0]                        # x^T x of an explicit vector
        claims = [next(values) if isinstance(c, (str, EntryFormula)) else _plain(c, context)
                  for c in claim_texts]
        broken = [k for k, c in enumerate(claims) if isinstance(c, ShapeMismatchError)]
        if broken:      # a claim with no value at the declared sizes: a shape error, no numbers compared
            k = broken[0]
            read_as = f"claimed d/d{wrt_name}: {claims[k].text or claim_texts[k]} (not formed at the declared sizes)"
            results.append((shape_refutation(claims[k], context.shapes, wrt_name, k + 1 if len(claims) > 1
                                             else None, read_as), read_as))
            continue
        if entrywise is None:
            reason = needs_sizes(f_value, wrt_value)
            if reason is not None:
                raise NeedsSizes(reason)
        else:
            f_value, wrt_value, claims = written_out(f_value, wrt_value, claims, entrywise)
            where, structure = structured_entries(context.where, entrywise.sizes, names_of(wrt_value))
            f_value, claims = _tied(f_value, structure), [_tied(c, structure) for c in claims]
            entries = named_entries(context, fname, f_value)
            f_value, claims = at_case(f_value, entries), [at_case(c, entries) for c in claims]
        claims, layout = denominator_layout(f_value, wrt_value, claims)
        transposed_only = bool(layout)
        if not layout:
            claims, layout = diagonal_jacobian(f_value, wrt_value, claims)
        where_rest, cases = binary_cases(where if entrywise is not None else context.where, names_of(wrt_value))

        as_written = claims
        if entrywise is None and not choices and len(cases) == 1 and len(claims) == len(claim_notes):
            # x (x-1)/(x-1) read as x: kept undefined at 1, as written
            as_written = [keep_singularities(c, notes) for c, notes in zip(claims, claim_notes)]

        def decided(claims, budget):
            return _combine([combine_cases([_shaped_verify(at_case(f_value, case), wrt_value, at_case(c, case),
                                                           where_rest, budget / len(claims) / len(cases), seed,
                                                           entrywise)
                                            for case in cases], cases) for c in claims])

        square = not layout and square_jacobian_claims(f_value, wrt_value, claims)
        started = time.monotonic()
        verdict = decided(as_written, share)
        read_as = f"f = {_shown(f_value)}; claimed d/d{wrt_name}: " + \
            " = ".join(_shown(c) for c in claims)
        if choices:
            read_as += f" (reading {'; '.join(choices)})"
        if entrywise is not None:
            read_as += f" ({entrywise.describe()})"
        read_as += layout
        left = share - (time.monotonic() - started)   # a refutation is quick: the rest of its share
        if transposed_only and verdict.status in ("proved", "consistent"):
            verdict = transposed_jacobian_undetermined(verdict, read_as)
        if square and verdict.status == "refuted" and left > 0.5:   # holds in the other layout? ambiguous
            other = decided(transposed_claims(claims), left)
            if other.status in ("proved", "consistent"):
                verdict = layout_undetermined(verdict, other, read_as + " (numerator layout; denominator layout: "
                                                                        "its transpose)")
        results.append((verdict, read_as))
    verdict = _decide(results)
    return dataclasses.replace(verdict, explanation="".join(context.notes) + verdict.explanation) \
        if context.notes else verdict


def _tied(value, substitution: dict):
    return value.xreplace(substitution) if substitution and isinstance(value, sp.Basic) else value


def _shaped_verify(f_value, wrt_value, claim, where, budget, seed, entrywise) -> Verdict:
    """verify, with a written-out matrix claim of another shape than the derivative refuted as such."""
    try:
        return verify(f_value, wrt_value, claim, where=where, budget=budget, seed=seed)
    except ClaimShapeError as error:
        if not (isinstance(claim, sp.MatrixBase) and min(claim.shape) > 1):
            raise
        sizes = ("the sizes " + ", ".join(f"{k} = {v}" for k, v in entrywise.sizes.items())
                 if entrywise is not None and entrywise.sizes else "the declared sizes")
        return wrong_shape_refutation(tuple(claim.shape), str(error), sizes)


def joint_readings(formulas: list[str], context: Context, function_text: str | None = None,
                   sizes_declared: bool = False, claim_shape: tuple | None = None) -> list[tuple[tuple, tuple]]:
    """Every distinct reading of several formulas together: a choice point met in any of
    them (the same literal in two formulas is one choice) is flipped in all at once.

    A claim whose first reading cannot be formed at the declared sizes (``sizes_declared``)
    stays in that reading as its ``ShapeMismatchError``, for the caller to refute; its other
    readings are read as usual (one that does not fit either is no reading).  The function
    (``function_text``, the first formula) that cannot be formed is the declarations' error.
    ``claim_shape``: the shape of a scalar function's gradient, which sizes a claimed ``\\mathbf{1}``."""
    options = context.options()
    per_formula = [options] * len(formulas)
    first, met = [], {}
    context.written = []
    for k, text in enumerate(formulas):
        try:
            with noting() as notes:
                context.written.append(notes)
                value, seen = _read(text, (), per_formula[k])
        except ShapeMismatchError as error:
            if not sizes_declared:
                raise
            if function_text is not None and k == 0:
                raise function_shape_error(error, function_text, context.shapes) from None
            first.append(error)
            met.update(error.choices)
            continue
        first.append(_evaluate_derivatives(context.substitute(value)))
        met.update(seen)
        if k == 0 and claim_shape is not None and not _is_vector_valued(first[0]):
            per_formula = [options] + [dict(options, expected_shape=claim_shape)] * (len(formulas) - 1)
    if len(met) > MAX_CHOICE_POINTS:
        raise AmbiguityError(f"the formulas can be read in too many ways ({len(met)} ambiguities: "
                             f"{'; '.join(met.values())}); write them unambiguously")
    readings = [(tuple(first), ())]
    keys = sorted(met)
    for size in range(1, len(keys) + 1):
        for subset in itertools.combinations(keys, size):
            try:
                values = tuple(_evaluate_derivatives(context.substitute(_read(t, subset, o)[0]))
                               for t, o in zip(formulas, per_formula))
            except ParseError:
                continue
            if all(values != r[0] for r in readings):
                readings.append((values, tuple(met[k] for k in subset)))
    return readings


def _is_vector_valued(value) -> bool:
    return isinstance(value, (sp.MatrixBase, sp.MatrixExpr)) and tuple(value.shape) != (1, 1)


def _gradient_shape(wrt_value) -> tuple | None:
    if isinstance(wrt_value, sp.MatrixSymbol):
        return tuple(wrt_value.shape)
    if isinstance(wrt_value, (list, tuple)):
        return (len(wrt_value), 1)
    return None


def _read(formula, flipped, options):
    if isinstance(formula, EntryFormula):
        options = {k: v for k, v in options.items() if k != "expected_shape"}   # entries are scalars
        return formula.read(lambda bindings: read_latex(formula.text, flipped, bindings, **options))
    return read_latex(formula, flipped, **options)


def _declare_matrices_of(f, context: Context) -> None:
    """A SymPy function's MatrixSymbols lend their shapes to the LaTeX claim."""
    if isinstance(f, sp.Basic):
        for m in sorted(f.atoms(sp.MatrixSymbol), key=lambda m: m.name):
            if m.name not in context.shapes:
                shape = tuple(d if getattr(d, "is_Integer", False) else str(d) for d in m.shape)
                context.shapes[m.name] = tuple(int(d) if isinstance(d, sp.Integer) else d for d in shape)


def _plain(value, context: Context):
    if isinstance(value, str) and context.shapes:
        return context.parse(value)
    return value


def _function_text(f, context: Context):
    """The LaTeX of the function's body (or f itself when it is not LaTeX) and its name."""
    if not _is_latex(f):
        return f, None
    statement = read_statement(f, set(context.functions))
    if statement.kind in ("derivative", "condition"):
        raise SymdiffError(f"the function {f!r} is a {statement.kind}, not a function or a definition")
    context.read_clauses(statement)
    body = statement.sides[-1] if statement.kind == "expression" else statement.sides[1]
    derivative = derivative_side(body) if statement.kind == "expression" else None
    if derivative is not None and derivative.target is not None:
        body = derivative.target     # \frac{d}{dx} \arcsin x given as the function
    if statement.kind == "definition":
        try:
            context.define(statement.head, body.text)
        except ShapeMismatchError as error:
            raise function_shape_error(error, f, context.shapes) from None
    return body.text, (statement.head.name if statement.head else None)


def _wrt(wrt, context: Context):
    if isinstance(wrt, str):
        name = plain_name(wrt) if looks_like_latex(wrt) else wrt.strip()
        if name is None:
            raise SymdiffError(f"wrt {wrt!r} is not a variable name")
        value = parse_latex(wrt, **context.options()) if looks_like_latex(wrt) or \
            name in context.shapes else None
        if isinstance(value, sp.MatrixBase):
            return name, list(value)
        if isinstance(value, sp.MatrixSymbol):
            return name, value
        if isinstance(value, sp.Symbol):
            return value.name, value.name
        return name, name
    return read_wrt(wrt).text, wrt


def _claim_texts(claimed, context: Context, fname, wrt_name) -> list:
    """The claimed right sides (LaTeX texts; a non-LaTeX claim is passed through)."""
    if not _is_latex(claimed):
        return [claimed], None
    statement = read_statement(claimed, set())
    context.read_clauses(statement)
    if statement.kind == "expression":
        sides = statement.sides
    elif statement.kind == "derivative":
        _check_derivative_side(statement, context, fname, wrt_name)
        sides = statement.sides[1:]
    elif statement.kind == "definition" and statement.head.params:
        raise SymdiffError(f"the claim {claimed!r} defines {statement.head.name}; write the derivative "
                           f"on the left ({statement.head.latex}'(...) = ...) or pass only the right side")
    else:
        raise SymdiffError(f"the claim {claimed!r} is a {statement.kind}; its left side is not a derivative "
                           f"symdiff can read, so pass only the right side")
    side = statement.derivative
    target = plain_name(side.target.text) if side is not None and side.target else None
    links = [s.text for s in sides if not is_chain_rule_product(s.text)]   # dL/dy . dy/dw = ...: notation
    if links and len(links) < len(sides):
        context.notes.append(f"{len(sides) - len(links)} link(s) of the chain written as a product of "
                             f"derivative symbols (the chain rule) are notation and were not checked. ")
    return links or [s.text for s in sides], target


def _check_derivative_side(statement: Statement, context: Context, fname, wrt_name) -> None:
    side = statement.derivative
    if side.order != 1:
        raise SymdiffError(f"the claim's left side is a derivative of order {side.order}; verify checks "
                           f"first derivatives")
    wrt_letters = ()
    if side.wrt is not None:
        named = plain_name(side.wrt)
        value = parse_latex(side.wrt, **context.options())
        seen = getattr(value, "name", named)
        if named != wrt_name and seen != wrt_name:
            wrt_letters = entry_indices(side.wrt, wrt_name)
            if wrt_letters is None:
                raise SymdiffError(f"the claim's left side differentiates with respect to {side.wrt}, but wrt "
                                   f"is {wrt_name}")
    target = plain_name(side.target.text) if side.target else None
    entry_claim(side, target, fname, wrt_letters, context)
    if target and fname and target != fname and target in context.functions:
        raise SymdiffError(f"the claim's left side differentiates {target}, but the function is {fname}")


def _evaluate_derivatives(value):
    """f'(x) of a defined f: the Derivative of its body, evaluated."""
    if isinstance(value, sp.Basic) and value.has(sp.Derivative, sp.Subs):
        return value.replace(lambda e: isinstance(e, (sp.Derivative, sp.Subs)), lambda e: e.doit())
    return value


def _shown(value) -> str:
    try:
        return expr_latex(value)
    except Exception:  # printing is a courtesy: never let it hide a verdict
        return str(value)


def _combine(verdicts: list[Verdict]) -> Verdict:
    """The links of a chain: the first refuted, else the weakest."""
    if len(verdicts) == 1:
        return verdicts[0]
    for status in _STATUS_ORDER:
        for k, v in enumerate(verdicts):
            if v.status == status:
                text = f"Link {k + 1} of the chain: {v.explanation}" if status != "proved" else v.explanation
                return dataclasses.replace(v, explanation=text)
    return verdicts[0]


def _decide(results: list[tuple[Verdict, str]]) -> Verdict:
    verdict, read_as = results[0]
    statuses = {v.status for v, _ in results}
    if len(statuses) == 1:
        if len(results) > 1:
            read_as += " (the other readings give the same verdict: " + \
                "; ".join(r for _, r in results[1:]) + ")"
        return dataclasses.replace(verdict, read_as=read_as)
    parts = [f"read as {r}, it is {v.status}" for v, r in results]
    text = ("The formula can be read in more than one way, and the readings give different verdicts: "
            + "; ".join(parts) + ". Write it unambiguously (parentheses, \\cdot, spaces) to get a verdict.")
    return Verdict("undetermined", text, None, {"readings": [r for _, r in results]},
                   elapsed=sum(v.elapsed for v, _ in results),
                   read_as=" | ".join(r for _, r in results))


# ---------------------------------------------------------------------------
# verify_text
# ---------------------------------------------------------------------------

def verify_text(text: str, variables=None, where=(), budget: float = 10.0, seed: int = 0) -> list[Verdict]:
    r"""Check a block of LaTeX: definitions, then claims and chains, one formula per line
    (or ``\\`` row; a row starting with ``&=`` or ``=`` continues the previous one).

    Returns one Verdict per claim (each link of a chain is a claim), with
    ``position`` = (line, column) of its ``=`` sign in ``text``.
    """
    if not isinstance(text, str):
        raise SymdiffError(f"verify_text takes LaTeX text, got {type(text).__name__}")
    try:
        context = Context(variables, where)
    except NeedsSizes as need:     # 'q onehot' of a vector of named size: written out at small sizes
        if not _has_size_names(None, variables):
            raise
        concrete, sizes = concrete_variables(variables)
        return [as_entrywise_verdict(v, Entrywise(_sizes_named_in(text, variables, sizes), str(need)))
                for v in verify_text(text, concrete, where, budget, seed)]
    out: list[Verdict] = []
    previous = None
    definitions: dict[str, str] = {}     # name -> its definition row, for entry claims (checked by verify)
    for row in _rows(text):
        body = row.text
        if previous is not None and re.match(r"\s*&?\s*=", body):
            body = previous + " " + body.replace("&", " ", 1)
            offset = row.pos - len(previous) - 1
        else:
            offset = row.pos
        statement = read_statement(body, set(context.functions) | {s.name for s in context.values})
        context.read_clauses(statement)
        previous = statement.sides[-1].text if statement.sides else None
        first_link = 1
        if statement.kind in ("expression", "condition"):
            continue
        if statement.kind == "definition":
            try:
                context.define(statement.head, statement.sides[1].text)
            except ShapeMismatchError as error:
                raise function_shape_error(error, body.strip(), context.shapes) from None
            first_link = 2
            definitions[statement.head.name] = body
        if statement.kind == "derivative":
            entry = _entry_claim_verdicts(statement, definitions, variables, where, budget, seed, text, offset)
            out.extend(entry if entry is not None else
                       _text_derivative(statement, context, verify, budget, seed, text, offset))
            continue
        for k in range(first_link, len(statement.sides)):
            left, right = statement.sides[k - 1], statement.sides[k]
            ill_formed = ill_formed_identity(left.text, right.text, context.parse, context.shapes)
            if ill_formed is not None:     # X^T (Xw - y) = X (Xw - y) at X: (3, 2): a shape error
                out.append(dataclasses.replace(ill_formed, position=_position(text, offset + statement.relations[k - 1])))
                continue
            lhs, rhs = context.parse(left.text), context.parse(right.text)
            left_value, right_value = _evaluate_derivatives(lhs), _evaluate_derivatives(rhs)
            if is_symbolic_matrix(left_value) or is_symbolic_matrix(right_value):   # X^T(Xw - y) = X^T X w - X^T y
                v = verify_matrix_identity(left_value, right_value, where=context.where, budget=budget, seed=seed)
            else:
                v = verify_identity(left_value, right_value, where=context.where, budget=budget, seed=seed)
            out.append(dataclasses.replace(
                v, read_as=f"{_shown(lhs)} = {_shown(rhs)}",
                position=_position(text, offset + statement.relations[k - 1])))
    return out


def _sizes_named_in(text: str, variables: dict, sizes: dict) -> dict:
    """The chosen sizes of the variables the text uses (an explanation names only those)."""
    squeezed = re.sub(r"\s+", "", text)
    used = {str(d) for key, shape in variables.items()
            if (not key.isalnum() and re.sub(r"\s+", "", key) in squeezed) or re.search(rf"(?<![A-Za-z\\]){re.escape(key)}(?![A-Za-z])", text)
            for d in (shape if isinstance(shape, (tuple, list)) else (shape,))}
    return {k: v for k, v in sizes.items() if k in used} or sizes


def _rows(text: str):
    for line_start, line in _lines(text):
        for row in split_rows(line):
            yield type(row)(row.text, line_start + row.pos)


def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        if line.strip() and not line.strip().startswith("%"):
            yield pos, line
        pos += len(line) + 1


def _entry_claim_verdicts(statement, definitions, variables, where, budget, seed, text, offset):
    r"""``\frac{\partial L}{\partial W_{ij}} = ...`` (free indices) in a text: each link checked by
    ``verify`` with the function's definition row and the rows before it as its where-clauses;
    None when the row is not an entry claim of a declared vector or matrix."""
    side = statement.derivative
    wrt = side.wrt or ""
    target = plain_name(side.target.text) if side.target else None
    shapes = {plain_name(k) if "\\" in k or "^" in k else k.strip() for k in (variables or {})}
    base = (plain_name(wrt) or "").split("_")[0]
    if not target or base not in shapes or not entry_indices(wrt, base) and \
            not entry_indices(side.target.text, target.split("_")[0]):
        return None
    name = target if target in definitions else target.split("_")[0]
    if name not in definitions:
        raise SymdiffError(f"{side.target.text} is not defined above, so its entry claim cannot be checked")
    rows = list(definitions)
    f_text = " \\quad ".join([definitions[name]] + [definitions[r] for r in rows[:rows.index(name)]])
    out = []
    for k in range(1, len(statement.sides)):
        claim = f"{statement.sides[0].text} = {statement.sides[k].text}"
        v = verify_statement(f_text, base, claim, where, variables, budget, seed)
        out.append(dataclasses.replace(v, position=_position(text, offset + statement.relations[k - 1])))
    return out


def _text_derivative(statement, context, verify, budget, seed, text, offset):
    side = statement.derivative
    target = side.target.text if side.target else None
    if target is None:
        raise SymdiffError("a derivative without a function: write f'(x) of a defined f")
    name = plain_name(target)
    fn = context.functions.get(name) if name else None
    if fn is not None:
        f_value = fn.value
    else:
        try:
            f_value = context.parse(target)
        except ShapeMismatchError as error:
            raise function_shape_error(error, target, context.shapes) from None
    if isinstance(f_value, sp.MatrixBase) and f_value.shape == (1, 1):
        f_value = f_value[0, 0]                        # q^T log softmax(z) of explicit vectors: a scalar
    wrt = side.wrt
    base = (plain_name(wrt) or "").split("_")[0] if wrt else None
    if base and base in context.shapes and entry_indices(wrt, base):
        raise SymdiffError(f"{wrt} is an entry with free indices; verify_text does not check entry claims yet: "
                           f"use symdiff.verify(f, {base!r}, claim, variables=...)")
    if wrt is None and fn is not None and side.at is None:
        raise SymdiffError(f"say which variable {name} is differentiated by: {name}'(x)")
    if wrt is None:     # (\operatorname{tg} x)', f'(0): the prime on an expression of one variable
        free = sorted(s.name for s in getattr(f_value, "free_symbols", ()) if isinstance(s, sp.Symbol))
        if len(free) != 1:
            raise SymdiffError(f"a prime on {target!r} needs one variable, it has {len(free)} "
                               f"({', '.join(free)}): write \\frac{{d}}{{dx}} instead")
        wrt = free[0]
    wrt_name, wrt_value = _wrt(wrt, context)
    if side.order > 1:     # f''(x), \frac{d^2}{dx^2}: the claim is the derivative of the (order - 1)-th one
        f_value = _lower_derivative(f_value, wrt_value, side.order - 1)
    if side.at is not None:
        return _at_point(statement, side.at, f_value, wrt_value, context, budget, seed, text, offset)
    reason = needs_sizes(f_value, wrt_value)
    # a matrix of numeric size beside written-out vectors: written out too (sizes are all declared numbers)
    entrywise = Entrywise({}, reason) if reason is not None and not _has_size_names(None, context.shapes) \
        else None
    out = []
    for k in range(1, len(statement.sides)):
        def check(claim):
            claim = _evaluate_derivatives(claim)
            if entrywise is None:
                v = verify(f_value, wrt_value, claim, where=context.where, budget=budget, seed=seed)
            else:
                f_out, wrt_out, (claim_out,) = written_out(f_value, wrt_value, [claim], entrywise)
                v = as_entrywise_verdict(verify(f_out, wrt_out, claim_out, where=context.where, budget=budget,
                                                seed=seed), entrywise)
            return v, f"d/d{wrt_name} {_shown(f_value)} = {_shown(claim)}"
        try:
            v, read_as = check(context.parse(statement.sides[k].text))
        except ShapeMismatchError as error:
            v, read_as = _ill_shaped_claim(error, statement.sides[k].text, context, wrt_name, check)
        out.append(dataclasses.replace(v, read_as=read_as,
                                       position=_position(text, offset + statement.relations[k - 1])))
    return out


def _at_point(statement, at: str, f_value, wrt_value, context, budget, seed, text, offset) -> list:
    """f'(0) = c: the claim against the derivative's value at the point (an identity of two numbers)."""
    symbol_value = _lower_derivative(f_value, wrt_value, 0)      # raises unless scalar of a scalar
    symbol = next(v for v in f_value.free_symbols if isinstance(v, sp.Symbol) and v.name == wrt_value)
    point = context.parse(at)
    if not isinstance(point, sp.Expr) or symbol in point.free_symbols:
        raise SymdiffError(f"the point {at!r} of the derivative is not a number or scalar expression")
    value = sp.diff(symbol_value, symbol).subs(symbol, point)
    out = []
    for k in range(1, len(statement.sides)):
        claim = _evaluate_derivatives(context.parse(statement.sides[k].text))
        v = verify_identity(claim, value, where=context.where, budget=budget, seed=seed,
                            roles=Roles("claim", f"derivative at {wrt_value} = {at}"))
        out.append(dataclasses.replace(v, read_as=f"d/d{wrt_value} {_shown(f_value)} at {wrt_value} = "
                                                  f"{_shown(point)}: {_shown(claim)}",
                                       position=_position(text, offset + statement.relations[k - 1])))
    return out


def _lower_derivative(f_value, wrt_value, times: int):
    symbol = next((v for v in getattr(f_value, "free_symbols", ()) if isinstance(v, sp.Symbol)
                   and v.name == wrt_value), None) if isinstance(wrt_value, str) else None
    if symbol is None or not isinstance(f_value, sp.Expr):
        raise SymdiffError(f"a derivative of order {times + 1} is checked for a scalar function of a scalar "
                           f"variable only")
    return sp.diff(f_value, symbol, times)


def _ill_shaped_claim(error: ShapeMismatchError, claim_text: str, context: Context, wrt_name: str, check):
    """A claim that cannot be formed at the declared sizes: refuted as a shape error when that is its
    only reading, else every reading that can be formed is checked too and the rule for readings decides."""
    read_as = f"d/d{wrt_name}: {claim_text.strip()} (not formed at the declared sizes)"
    results = [(shape_refutation(error, context.shapes, wrt_name, read_as=read_as), read_as)]
    keys = sorted(error.choices)[:MAX_CHOICE_POINTS]
    for size in range(1, len(keys) + 1):
        for subset in itertools.combinations(keys, size):
            try:
                value = context.substitute(read_latex(claim_text, subset, **context.options())[0])
            except ParseError:
                continue
            verdict, shown = check(value)
            results.append((verdict, f"{shown} (reading {'; '.join(error.choices[k] for k in subset)})"))
    verdict = _decide(results)
    return verdict, verdict.read_as


def _position(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1
