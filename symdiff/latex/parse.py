r"""LaTeX to SymPy for the notation of the lecture notes: ``parse_latex``.

The arithmetic skeleton is parsed by ``latex2sympy2_extended`` (ANTLR); every
atom is handled here.  The pipeline:

Modules: ``tokens`` (tokenizer with source positions, nesting), ``names`` (the
table of LaTeX spellings <-> symbol and function names), ``declarations`` (shapes,
variables, functions the caller declared), ``rewrite`` and ``library`` (the
placeholder rewriting and the library run), ``resolve`` (placeholders -> SymPy).

1. ``tokenize`` splits the text into TeX tokens that remember their source
   offsets; ``drop_formatting`` removes ``\left``, ``\,``, ``\displaystyle``...
2. ``nest`` nests tokens by ``() [] {} \langle\rangle``; unbalanced input is
   reported at the opening bracket.
3. ``Rewriter`` writes each expression for the library with every name,
   number, function call, scalar product and bracketed group replaced by an
   opaque placeholder ``\variable{Q7}`` whose meaning (a ``Spec``) is kept on
   the side.  The library therefore only sees ``+ - \cdot \times``,
   juxtaposition, ``\frac``, powers, ``|..|``, ``\sqrt`` and ``\sum``/``\prod``
   with limits.  Call arguments, brackets and the terms of a sum are parsed as
   separate fragments: that is what makes ``\sigma(wx+b)(1-\sigma(wx+b))`` a call
   times a factor, and it keeps the library's time linear in the input.
4. ``Resolver`` walks the library's tree, replaces placeholders by symbols,
   matrices and calls, and rebuilds products and sums knowing about shapes
   (MatMul, MatAdd, HadamardProduct, Transpose, Inverse); sums over declared
   vectors are expanded.

Why hide every atom from the library: on its own it lowercases names, reads
``dY`` as a differential, ``I`` as the imaginary unit and ``\gamma`` as Euler's
constant, turns ``f(x+1)`` into a product, silently drops primes, makes
``\log`` decimal, ignores ``interpret_as_mixed_fractions`` (``2\frac{1}{2}``
becomes 5/2) and does not know ``\langle``, ``\circ`` or ``\top``.

Nothing in the input is executed: there is no eval/exec/sympify/parse_expr on
user text, only a whitelist of commands, and numbers are built with
``sympy.Rational`` from digit strings.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import sympy as sp

from ..errors import ParseError
from ..written import start_part
from .base import MAX_LATEX_LENGTH, Problem, ShapeProblem, parse_error, shape_text
from .declarations import Declarations, declare
from .indicators import inside_set_braces
from .names import Fn, GREEK
from .ones import settle_to_shape, unsettled
from .resolve import Resolver
from .rewrite import RELATIONS, Rewriter
from .tokens import Tok, drop_formatting, item_end, nest, item_start, strip_final_punctuation, tokenize

__all__ = ["parse_latex", "latex_readings", "read_latex", "Reading", "MAX_LATEX_LENGTH"]

MAX_CHOICE_POINTS = 3   # ambiguities combined in latex_readings (2^3 parses at most)


def parse_latex(text: str, *, shapes: dict | None = None, functions: dict | None = None,
                variables: set[str] | None = None, assumptions: dict | None = None,
                strict_variables: bool = False, index_base: int = 0) -> sp.Basic:
    r"""Parse a LaTeX formula of the lecture notes into SymPy.

    ``shapes`` declares vectors and matrices: ``{"x": (3,)}`` is a vector of the
    scalars ``x_0, x_1, x_2`` (``index_base`` shifts the first index), ``{"x": ("n",)}``
    a ``MatrixSymbol`` column, ``{"X": ("n", "m")}`` a ``MatrixSymbol``; size names
    become positive integer symbols.  ``functions`` maps names to SymPy functions,
    Lambdas, callables or builtin names (``{"f": sigmoid}``, ``{"g": "tanh"}``); a
    declared ``f`` makes ``f(x)`` a call.  ``variables`` declares scalar names
    (needed for multi-letter names such as ``dY`` and to make ``e``, ``T`` or ``\pi``
    variables).  Symbols are ``real`` unless ``assumptions`` says otherwise;
    ``strict_variables=True`` rejects undeclared names.

    Returns an expression, a matrix expression, ``Eq(lhs, rhs, evaluate=False)``
    for an equation (other relations likewise) or ``And`` of the pairwise relations
    of a chain ``a = b = c``.  Raises ``ParseError`` with the position on any
    input it does not understand; never executes anything from ``text``.
    """
    options = dict(shapes=shapes, functions=functions, variables=variables,
                   assumptions=assumptions, strict_variables=strict_variables,
                   index_base=index_base)
    return _parse_reading(text, options, frozenset())[0]


@dataclass(frozen=True)
class Reading:
    """One way to read a formula: its value, and the alternatives to the usual
    reading it takes (empty for the usual reading), each described in words."""

    value: sp.Basic
    choices: tuple[str, ...] = ()


def latex_readings(text: str, **options) -> list[Reading]:
    r"""Every distinct reading of ``text`` (the options of ``parse_latex``), the usual first.

    Where a reasonable reader could read a formula two ways (``\sin{x} y``,
    ``1e-3``, ``\sigma(x)`` with a declared variable ``\sigma``, ``e^{x}`` with a
    declared variable ``e``), the reader meets a choice point; every combination
    of the choice points met (at most ``MAX_CHOICE_POINTS``) is parsed, and the
    readings that give different values are returned.  A combination that does
    not parse is no reading.
    """
    first, met = _parse_reading(text, options, frozenset())
    readings = [Reading(first)]
    keys = sorted(met)[:MAX_CHOICE_POINTS]
    for size in range(1, len(keys) + 1):
        for subset in itertools.combinations(keys, size):
            try:
                value, _ = _parse_reading(text, options, frozenset(subset))
            except ParseError:
                continue
            if all(value != r.value for r in readings):
                readings.append(Reading(value, tuple(met[k] for k in subset)))
    return readings


def read_latex(text: str, flipped=frozenset(), bindings: dict | None = None, **options):
    """``(value, choice points met)``: ``text`` read with the choice points in ``flipped``
    read the other way; ``expected_shape`` (an option) sizes a ones or zero vector that the
    formula itself leaves open (a claimed gradient ``\\mathbf{1}`` has the variable's shape).  Keys name the choice (the same literal in two formulas has
    the same key, so a caller can flip it in both); values describe the alternative.
    ``bindings`` gives free index letters values (``{"i": 2}``: ``x_i`` is ``x_2``), for
    reading an entry formula at each index."""
    return _parse_reading(text, options, frozenset(flipped), bindings)


def _parse_reading(text: str, options: dict, flipped: frozenset, bindings: dict | None = None):
    if not isinstance(text, str):
        raise ParseError(f"expected LaTeX text, got {type(text).__name__}")
    if len(text) > MAX_LATEX_LENGTH:
        raise ParseError(f"LaTeX input of {len(text)} characters exceeds the limit of "
                         f"{MAX_LATEX_LENGTH}")
    try:
        decl = declare(options.get("shapes"), options.get("functions"), options.get("variables"),
                       options.get("assumptions"), options.get("strict_variables", False),
                       options.get("index_base", 0))
        return _parse(text, decl, flipped, bindings, options.get("expected_shape"))
    except Problem as problem:
        raise parse_error(text, problem) from None
    except RecursionError:
        raise ParseError("expression too deeply nested", text=text[:80]) from None
    except Exception as exc:  # the contract: nothing but ParseError leaves parse_latex
        raise ParseError(f"cannot parse this formula ({type(exc).__name__}: {exc})",
                         text=text[:80]) from None


def _parse(text: str, decl: Declarations, flipped: frozenset = frozenset(), bindings: dict | None = None,
           expected_shape: tuple | None = None):
    tokens = strip_final_punctuation(drop_formatting(tokenize(text)))
    _declare_primed_functions(tokens, decl)
    items = nest(tokens)
    if not items:
        raise Problem("empty input", 0, len(text))
    sides, relations = _split_relations(items)
    rewriter = Rewriter(decl, text, flipped)
    trees = [rewriter.fragment(side, *_extent_of(side, text)) for side in sides]
    resolver = Resolver(decl, rewriter.specs)
    bound = {k: sp.Integer(v) for k, v in (bindings or {}).items()}
    try:
        values = [_resolve_side(resolver, tree, side, bound, expected_shape) for tree, side in zip(trees, sides)]
    except ShapeProblem as problem:   # which readings the formula has: an ill-shaped one may be a misreading
        problem.choices = dict(rewriter.ambiguities)
        raise
    if not relations:
        return values[0], rewriter.ambiguities
    pairs = [_relation(op, left, right, tok)
             for (op, tok), left, right in zip(relations, values, values[1:])]
    return (pairs[0] if len(pairs) == 1 else sp.And(*pairs)), rewriter.ambiguities


def _declare_primed_functions(tokens: list[Tok], decl: Declarations) -> None:
    """f'(x) names f a function for the whole formula, so f(x) there is a call too."""
    if decl.strict:
        return
    for k, tok in enumerate(tokens):
        if tok.kind != "letter" and not tok.is_cmd(*GREEK):
            continue
        j = k + 1
        while j < len(tokens) and tokens[j].is_char("'"):
            j += 1
        primed = j > k + 1 and j < len(tokens) and tokens[j].is_char("(")
        # \sigma'(x) stays the derivative of the default sigmoid
        if primed and not decl.declared(tok.text) and tok.text != "sigma":
            decl.functions[tok.text] = Fn(tok.text, sp.Function(tok.text, **decl.assumptions),
                                           None)


def _resolve_side(resolver: Resolver, tree, side: list, bindings: dict, expected_shape: tuple | None = None):
    start_part()   # the singular sets each side has as written (symdiff.written)
    try:
        value = resolver.resolve(tree, dict(bindings))
        if unsettled(value) and expected_shape is not None:   # a claim \mathbf{1}: the gradient's shape
            value = settle_to_shape(value, expected_shape)
        if unsettled(value):
            raise Problem("the size of a ones or zero vector (\\mathbf{1}, \\mathbf{0}) cannot be told from "
                          "this formula: write it (\\mathbf{1}_n)")
        return value
    except Problem as problem:
        if problem.pos is None:
            start, end = item_start(side[0]), item_end(side[-1])
            raise problem.at(start, end) from None
        raise
    except RecursionError:
        raise Problem("expression too deeply nested", item_start(side[0]), item_end(side[-1])) from None
    except Exception as exc:  # SymPy's ShapeError, IndexError of a MatrixSymbol...
        raise Problem(f"invalid expression: {exc}", item_start(side[0]), item_end(side[-1])) from None


def _extent_of(side: list, text: str) -> tuple[int, int]:
    return (item_start(side[0]), item_end(side[-1])) if side else (0, len(text))


def _relation_of(item) -> str | None:
    if not isinstance(item, Tok):
        return None
    if item.kind == "char" and item.text in "=<>":
        return RELATIONS[item.text]
    if item.kind == "cmd" and item.text in RELATIONS:
        return RELATIONS[item.text]
    return None


def _split_relations(items: list) -> tuple[list[list], list[tuple[str, Tok]]]:
    """Split at top-level = < > \\le ... (and :=); both sides of each are kept."""
    sides, relations, current = [], [], []
    braced = inside_set_braces(items)
    k = 0
    while k < len(items):
        item = items[k]
        if k in braced:
            current.append(item)
            k += 1
            continue
        if isinstance(item, Tok) and item.is_char(":") and k + 1 < len(items) \
                and isinstance(items[k + 1], Tok) and items[k + 1].is_char("="):
            item, k = Tok("char", "=", item.pos, 2), k + 1  # :=
        op = _relation_of(item)
        if op is None:
            current.append(item)
        else:
            if not current:
                raise Problem("missing left-hand side of a relation", item.pos, item.end)
            sides.append(current)
            relations.append((op, item))
            current = []
        k += 1
    if relations and not current:
        tok = relations[-1][1]
        raise Problem("missing right-hand side of a relation", tok.pos, tok.end)
    sides.append(current)
    return sides, relations


def _relation(op: str, left, right, tok: Tok):
    try:
        return getattr(sp, op)(left, right, evaluate=False)
    except (TypeError, ValueError) as exc:
        raise Problem(f"cannot relate {shape_text(left)} and {shape_text(right)}: {exc}",
                       tok.pos, tok.end) from None
