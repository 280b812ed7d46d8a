r"""LaTeX to SymPy for the notation of the lecture notes: ``parse_latex``.

The arithmetic skeleton is parsed by ``latex2sympy2_extended`` (ANTLR); every
atom is handled here.  The pipeline:

1. ``_tokenize`` splits the text into TeX tokens that remember their source
   offsets; ``_drop_formatting`` removes ``\left``, ``\,``, ``\displaystyle``...
2. ``_nest`` nests tokens by ``() [] {} \langle\rangle``; unbalanced input is
   reported at the opening bracket.
3. ``_Rewriter`` writes each expression for the library with every name,
   number, function call, scalar product and bracketed group replaced by an
   opaque placeholder ``\variable{Q7}`` whose meaning (a ``_Spec``) is kept on
   the side.  The library therefore only sees ``+ - \cdot \times``,
   juxtaposition, ``\frac``, powers, ``|..|``, ``\sqrt`` and ``\sum``/``\prod``
   with limits.  Call arguments, brackets and the terms of a sum are parsed as
   separate fragments: that is what makes ``\sigma(wx+b)(1-\sigma(wx+b))`` a call
   times a factor, and it keeps the library's time linear in the input.
4. ``_Resolver`` walks the library's tree, replaces placeholders by symbols,
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

import functools
import operator
import re
from dataclasses import dataclass, field
from typing import Callable

import sympy as sp
from antlr4 import CommonTokenStream, InputStream, Token
from antlr4.error.ErrorListener import ErrorListener
# The converter class is private, but the public ``latex2sympy()`` neither lets us
# start at the ``expr`` rule (from ``math``, each nesting level of parentheses is
# tried as a set, an interval and a tuple: 80 levels took 36 s) nor reports error
# positions other than inside a message string.
from latex2sympy2_extended.antlr_parser import PSLexer, PSParser
from latex2sympy2_extended.latex2sympy2 import ConversionConfig, _Latex2Sympy
from latex2sympy2_extended.symbols import GREEK_LETTER_MAP
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..errors import ParseError
from ..functions import leaky_relu, relu, sigmoid, softplus, softsign

__all__ = ["parse_latex", "MAX_LATEX_LENGTH"]

MAX_LATEX_LENGTH = 20_000      # characters; parsing takes ~0.15 ms/char, so ~3 s at most
MAX_NESTING = 50               # bracket depth; deeper input would hit Python's recursion limit
MAX_TERM_PIECES = 1_000        # atoms and operators in one term handed to the library
MAX_EXPANDED_TERMS = 20_000    # terms produced by expanding sums over declared vectors
MAX_VECTOR_LENGTH = 1_000      # integer length of a vector expanded into scalar symbols
MAX_NUMERIC_EXPONENT = 1_000   # |k| in a numeric power n^k, so 10^{10^9} cannot hang

# Options of latex2sympy2_extended live in its ConversionConfig (latex2sympy2.py).
# Its NormalizationConfig is not used at all: normalize_latex would drop primes
# and quotes and rewrite \mathrm, which we read ourselves.
_CONVERSION = ConversionConfig(
    lowercase_symbols=False,
    interpret_as_mixed_fractions=False,
    interpret_simple_eq_as_assignment=False,
    interpret_contains_as_eq=False,
)


# ---------------------------------------------------------------------------
# Errors and source positions
# ---------------------------------------------------------------------------

class _Problem(Exception):
    """Internal error with an optional source extent; becomes a ParseError."""

    def __init__(self, message: str, pos: int | None = None, end: int | None = None):
        super().__init__(message)
        self.message, self.pos, self.end = message, pos, end


def _parse_error(text: str, problem: _Problem) -> ParseError:
    message = " ".join(problem.message.split())  # SymPy's messages span lines
    if problem.pos is None:
        return ParseError(message, text=text if len(text) <= 80 else text[:77] + "...")
    pos = min(problem.pos, len(text))
    end = max(problem.end if problem.end is not None else pos + 1, pos + 1)
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    snippet = text[pos:end] or text[max(0, pos - 10):pos]
    if len(snippet) > 60:
        snippet = snippet[:57] + "..."
    return ParseError(message, line=line, column=column, text=snippet)


# ---------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Tok:
    kind: str   # "cmd" (text = name without backslash), "letter", "number", "char"
    text: str
    pos: int
    length: int

    @property
    def end(self) -> int:
        return self.pos + self.length

    def is_char(self, *chars: str) -> bool:
        return self.kind == "char" and self.text in chars

    def is_cmd(self, *names: str) -> bool:
        return self.kind == "cmd" and self.text in names


@dataclass
class _Group:
    open: _Tok
    close: _Tok
    items: list

    @property
    def kind(self) -> str:
        return self.open.text

    @property
    def pos(self) -> int:
        return self.open.pos

    @property
    def end(self) -> int:
        return self.close.end


def _is_group(item, kind: str) -> bool:
    return isinstance(item, _Group) and item.kind == kind


_SINGLE_CHARS = set("+-*/()[]{}^_|,=<>'!:;.&")
_DIGITS = "0123456789"
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
_UNICODE_TOKENS = {
    "−": ("char", "-"), "·": ("cmd", "cdot"), "⋅": ("cmd", "cdot"), "×": ("cmd", "times"),
    "∘": ("cmd", "circ"), "⊙": ("cmd", "odot"),
    "⟨": ("cmd", "langle"), "⟩": ("cmd", "rangle"),
    "≤": ("cmd", "le"), "≥": ("cmd", "ge"), "≠": ("cmd", "ne"), "′": ("char", "'"),
    "∑": ("cmd", "sum"), "∏": ("cmd", "prod"),
}
_UNICODE_GREEK = {ch: name for ch, name in GREEK_LETTER_MAP.items() if len(ch) == 1}
_GREEK = set(GREEK_LETTER_MAP.values()) | {"varsigma", "varkappa", "digamma"}

_SIZING = {"left", "right", "middle", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl",
           "Bigr", "biggl", "biggr", "Biggl", "Biggr", "bigm", "Bigm"}
_SPACING = {",", ";", ":", "!", " ", "quad", "qquad", "displaystyle", "textstyle",
            "scriptstyle", "limits", "nolimits", "thinspace", "medspace", "thickspace",
            "enspace", "negthinspace"}
_VERTICAL_BARS = {"vert", "lvert", "rvert", "mid"}


def _tokenize(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace() or c == "~":
            i += 1
            continue
        if c == "%":  # a TeX comment runs to the end of the line
            newline = text.find("\n", i)
            i = len(text) if newline < 0 else newline
            continue
        tok = _read_token(text, i, tokens)
        tokens.append(tok)
        i = tok.end
    return tokens


def _read_token(text: str, i: int, previous: list[_Tok]) -> _Tok:
    c = text[i]
    if c == "\\":
        return _read_command(text, i)
    if c.isascii() and c.isalpha():
        return _Tok("letter", c, i, 1)
    if c in _DIGITS or (c == "." and text[i + 1:i + 2] in tuple(_DIGITS)):
        # TeX takes one character as a script argument: x^23 is x^2 * 3
        if c in _DIGITS and previous and previous[-1].is_char("^", "_"):
            return _Tok("number", c, i, 1)
        number = _NUMBER.match(text, i).group()
        return _Tok("number", number, i, len(number))
    if c in _SINGLE_CHARS:
        return _Tok("char", c, i, 1)
    if c in _UNICODE_TOKENS:
        kind, name = _UNICODE_TOKENS[c]
        return _Tok(kind, name, i, 1)
    if c in _UNICODE_GREEK:
        return _Tok("cmd", _UNICODE_GREEK[c], i, 1)
    raise _Problem(f"unexpected character {c!r}", i, i + 1)


def _read_command(text: str, i: int) -> _Tok:
    j = i + 1
    while j < len(text) and text[j].isascii() and text[j].isalpha():
        j += 1
    if j == i + 1:  # a control symbol: \, \{ \| \\ ...
        if j >= len(text):
            raise _Problem("lone backslash at the end of the input", i, i + 1)
        j += 1
    return _Tok("cmd", text[i + 1:j], i, j - i)


def _drop_formatting(tokens: list[_Tok]) -> list[_Tok]:
    """Remove spacing and sizing; \\left( becomes one '(' token spanning '\\left('."""
    out: list[_Tok] = []
    k = 0
    while k < len(tokens):
        tok = tokens[k]
        if tok.is_cmd(*_SIZING):
            k += 1
            if k < len(tokens):
                delim = tokens[k]
                if not delim.is_char("."):  # \left. is an invisible delimiter
                    out.append(_Tok(delim.kind, delim.text, tok.pos, delim.end - tok.pos))
                k += 1
            continue
        if tok.is_cmd(*_SPACING):
            k += 1
            continue
        if tok.is_cmd(*_VERTICAL_BARS):
            tok = _Tok("char", "|", tok.pos, tok.length)
        out.append(tok)
        k += 1
    return out


def _strip_final_punctuation(tokens: list[_Tok]) -> list[_Tok]:
    # formulas copied from prose often end with "." or ","
    if tokens and tokens[-1].is_char(".", ","):
        return tokens[:-1]
    return tokens


_OPENERS = {"(": ")", "[": "]", "{": "}", "langle": "rangle"}
_CLOSERS = {close: open_ for open_, close in _OPENERS.items()}


def _bracket(tok: _Tok, table: dict) -> bool:
    if tok.text not in table:
        return False
    return tok.kind == "cmd" if tok.text in ("langle", "rangle") else tok.kind == "char"


def _nest(tokens: list[_Tok]) -> list:
    """Nest tokens into _Group by brackets; report unbalanced brackets."""
    stack: list[tuple[_Tok | None, list]] = [(None, [])]
    for tok in tokens:
        if _bracket(tok, _OPENERS):
            if len(stack) > MAX_NESTING:
                raise _Problem(f"brackets nested deeper than {MAX_NESTING} levels",
                               tok.pos, tok.end)
            stack.append((tok, []))
        elif _bracket(tok, _CLOSERS):
            opener, items = stack.pop() if len(stack) > 1 else (None, None)
            if opener is None:
                raise _Problem(f"closing {_shown(tok)} without an opening bracket",
                               tok.pos, tok.end)
            if _OPENERS[opener.text] != tok.text:
                raise _Problem(f"{_shown(opener)} is closed by {_shown(tok)}", opener.pos, tok.end)
            stack[-1][1].append(_Group(opener, tok, items))
        else:
            stack[-1][1].append(tok)
    if len(stack) > 1:
        opener = stack[-1][0]
        raise _Problem(f"unclosed {_shown(opener)}", opener.pos, opener.end)
    return stack[0][1]


def _shown(tok: _Tok) -> str:
    return repr("\\" + tok.text if tok.kind == "cmd" else tok.text)


def _start(item) -> int:
    return item.pos


def _end(item) -> int:
    return item.end


def _split_on(items: list, is_separator: Callable) -> tuple[list[list], list]:
    parts, separators, current = [], [], []
    for item in items:
        if isinstance(item, _Tok) and is_separator(item):
            parts.append(current)
            separators.append(item)
            current = []
        else:
            current.append(item)
    parts.append(current)
    return parts, separators


def _split_commas(items: list) -> tuple[list[list], list]:
    return _split_on(items, lambda tok: tok.is_char(","))


def _ends_operand(item) -> bool:
    if isinstance(item, _Group):
        return True
    return item.kind in ("letter", "number") or item.is_cmd("infty", *_GREEK)


def _split_terms(items: list) -> list[tuple[_Tok | None, list]]:
    r"""[(sign, term)] at the binary + and - of this level (the first sign is None).

    A + or - right after an operator (a \cdot -b) is unary and stays in its term.
    Bars |...| are not nested by _nest, so with a bar at this level we do not split.
    """
    if any(isinstance(it, _Tok) and it.is_char("|") for it in items):
        return [(None, items)]
    terms: list[tuple[_Tok | None, list]] = []
    sign, current = None, []
    for item in items:
        binary = isinstance(item, _Tok) and item.is_char("+", "-") and current \
            and _ends_operand(current[-1])
        if binary:
            terms.append((sign, current))
            sign, current = item, []
        else:
            current.append(item)
    terms.append((sign, current))
    return terms


# ---------------------------------------------------------------------------
# Functions
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Fn:
    """A function the parser can call: ``apply`` takes SymPy scalars."""

    name: str
    apply: Callable
    arity: int | None = 1        # None: any number of arguments
    inverse: str | None = None   # builtin name that f^{-1} means
    kind: str = "elementwise"    # "elementwise" | "reduce" (max/min) | "matrix" (tr/det)


def _trace(m):
    return sp.Trace(m) if _is_matrix(m) else m


def _det(m):
    return sp.Determinant(m) if _is_matrix(m) else m


_BUILTINS: dict[str, _Fn] = {f.name: f for f in [
    _Fn("sin", sp.sin, inverse="arcsin"), _Fn("cos", sp.cos, inverse="arccos"),
    _Fn("tan", sp.tan, inverse="arctan"), _Fn("cot", sp.cot, inverse="arccot"),
    _Fn("sec", sp.sec, inverse="arcsec"), _Fn("csc", sp.csc, inverse="arccsc"),
    _Fn("arcsin", sp.asin), _Fn("arccos", sp.acos), _Fn("arctan", sp.atan),
    _Fn("arccot", sp.acot), _Fn("arcsec", sp.asec), _Fn("arccsc", sp.acsc),
    _Fn("sinh", sp.sinh, inverse="arsinh"), _Fn("cosh", sp.cosh, inverse="arcosh"),
    _Fn("tanh", sp.tanh, inverse="artanh"), _Fn("coth", sp.coth, inverse="arcoth"),
    _Fn("arsinh", sp.asinh), _Fn("arcosh", sp.acosh), _Fn("artanh", sp.atanh),
    _Fn("arcoth", sp.acoth),
    _Fn("exp", sp.exp, inverse="log"), _Fn("log", sp.log, inverse="exp"),
    _Fn("sign", sp.sign), _Fn("abs", sp.Abs), _Fn("sqrt", sp.sqrt),
    _Fn("max", sp.Max, arity=None, kind="reduce"), _Fn("min", sp.Min, arity=None, kind="reduce"),
    _Fn("tr", _trace, kind="matrix"), _Fn("det", _det, kind="matrix"),
    _Fn("sigmoid", sigmoid), _Fn("softplus", softplus), _Fn("softsign", softsign),
    _Fn("relu", relu), _Fn("leakyrelu", leaky_relu, arity=2),
]}
_ALIASES = {
    "tg": "tan", "ctg": "cot", "arctg": "arctan", "arcctg": "arccot", "sh": "sinh",
    "ch": "cosh", "th": "tanh", "cth": "coth", "arsh": "arsinh", "arch": "arcosh",
    "arth": "artanh", "arcsinh": "arsinh", "arccosh": "arcosh", "arctanh": "artanh",
    "ln": "log", "sgn": "sign", "trace": "tr", "lrelu": "leakyrelu", "logistic": "sigmoid",
}
# Function commands of LaTeX (and of babel-russian: \tg, \arctg, \sh...).
_FUNCTION_COMMANDS = {
    "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "arccot",
    "sinh", "cosh", "tanh", "coth", "exp", "log", "ln", "max", "min", "det", "sgn", "sign",
    "tg", "ctg", "arctg", "arcctg", "sh", "ch", "th", "cth", "arcsinh", "arccosh", "arctanh",
}
# Those the library itself reads without parentheses (\sin x), under its own name.
_LIBRARY_NOPAREN = {
    "sin": "sin", "cos": "cos", "tan": "tan", "cot": "cot", "sec": "sec", "csc": "csc",
    "arcsin": "arcsin", "arccos": "arccos", "arctan": "arctan", "arccot": "arccot",
    "sinh": "sinh", "cosh": "cosh", "tanh": "tanh", "exp": "exp", "ln": "ln", "log": "ln",
    "tg": "tan", "ctg": "cot", "arctg": "arctan", "arcctg": "arccot", "sh": "sinh",
    "ch": "cosh", "th": "tanh", "arsinh": "arcsinh", "arcosh": "arccosh", "artanh": "arctanh",
    "arcsinh": "arcsinh", "arccosh": "arccosh", "arctanh": "arctanh", "arcsec": "arcsec",
    "arccsc": "arccsc",
}
# Words written in plain letters that are calls when followed by "(".
_BARE_FUNCTION_WORDS = {
    "sign", "sgn", "tg", "ctg", "arctg", "arcctg", "exp", "log", "ln", "max", "min", "sin",
    "cos", "tan", "tanh", "arctan", "sigmoid", "softplus", "softsign", "relu", "ReLU",
}


def _builtin(name: str) -> _Fn | None:
    key = name.replace("_", "").replace("-", "").replace(" ", "")
    if key not in _BUILTINS and key not in _ALIASES:
        key = key.lower()
    return _BUILTINS.get(_ALIASES.get(key, key))


def _declared_function(name: str, value) -> _Fn:
    if isinstance(value, _Fn):
        return value
    if isinstance(value, str):
        fn = _builtin(value)
        if fn is None:
            raise _Problem(f"functions[{name!r}]: unknown builtin function {value!r}")
        return fn
    if callable(value):  # a SymPy function class, a Lambda or a Python callable
        nargs = getattr(value, "nargs", None)
        arity = next(iter(nargs)) if isinstance(nargs, sp.FiniteSet) and len(nargs) == 1 else None
        return _Fn(name, value, arity)
    raise _Problem(f"functions[{name!r}] must be a SymPy function, a Lambda, a callable "
                   f"or a builtin name, got {type(value).__name__}")


# ---------------------------------------------------------------------------
# Declarations
# ---------------------------------------------------------------------------

_DECORATION_PREFIX = {
    "hat": "hat", "widehat": "hat", "bar": "bar", "overline": "bar", "tilde": "tilde",
    "widetilde": "tilde", "dot": "dot", "ddot": "ddot", "check": "check", "breve": "breve",
    "acute": "acute", "grave": "grave", "mathring": "ring", "mathcal": "cal",
    "mathscr": "scr", "mathfrak": "frak",
}
_DECORATION_TRANSPARENT = {"vec", "overrightarrow", "mathbf", "boldsymbol", "bm", "mathbfit"}
_WORD_COMMANDS = {"operatorname", "mathrm", "text", "mathit", "textrm", "textit", "mathsf",
                  "textsf", "texttt", "mathtt", "textnormal", "mathnormal", "textbf"}
_NAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9{},]+)*$")


def _normalize_name(key) -> str:
    r"""``"\hat{y}"`` -> ``"hat_y"``, ``"\sigma"`` -> ``"sigma"``; others unchanged."""
    if not isinstance(key, str):
        raise _Problem(f"declared names must be strings, got {key!r}")
    name = key.strip()
    decorated = re.fullmatch(r"\\([A-Za-z]+)\{\\?([A-Za-z0-9_]+)\}(.*)", name)
    if decorated and decorated.group(1) in _DECORATION_PREFIX:
        name = f"{_DECORATION_PREFIX[decorated.group(1)]}_{decorated.group(2)}{decorated.group(3)}"
    elif decorated and decorated.group(1) in _DECORATION_TRANSPARENT | _WORD_COMMANDS:
        name = decorated.group(2) + decorated.group(3)
    name = name.lstrip("\\")
    if not _NAME_PATTERN.match(name):
        raise _Problem(f"invalid declared name {key!r}")
    return name


def _dimension(name: str, entry, dims: dict[str, sp.Symbol]):
    if isinstance(entry, bool):
        raise _Problem(f"shape of {name!r}: {entry!r} is not a size")
    if isinstance(entry, int):
        if entry < 1:
            raise _Problem(f"shape of {name!r}: size {entry} is not positive")
        return sp.Integer(entry)
    if isinstance(entry, str):
        dim = _normalize_name(entry)
        return dims.setdefault(dim, sp.Symbol(dim, integer=True, positive=True))
    if isinstance(entry, sp.Expr) and entry.is_integer is not False:
        for s in entry.free_symbols:
            dims.setdefault(s.name, s)
        return entry
    raise _Problem(f"shape of {name!r}: {entry!r} must be an int or a symbol name")


@dataclass
class _Declarations:
    """What the caller told us about names: shapes, scalars, functions."""

    assumptions: dict
    strict: bool
    index_base: int
    shapes: dict[str, tuple] = field(default_factory=dict)
    values: dict[str, sp.Basic] = field(default_factory=dict)
    dims: dict[str, sp.Symbol] = field(default_factory=dict)
    variables: set[str] = field(default_factory=set)
    functions: dict[str, _Fn] = field(default_factory=dict)

    # -- what a name is -----------------------------------------------------
    def declared(self, name: str) -> bool:
        return name in self.shapes or name in self.variables or name in self.functions

    def is_value(self, name: str) -> bool:
        return name in self.shapes or name in self.variables

    def words(self) -> set[str]:
        """Multi-letter names to read as one name when their letters are adjacent."""
        names = set(self.shapes) | self.variables | set(self.functions)
        bases = {n.split("_")[0] for n in names}
        decorations = set(_DECORATION_PREFIX.values())  # hat_y is written \hat{y}
        return {b for b in bases if len(b) > 1 and b.isalpha() and b not in decorations}

    def symbol(self, name: str) -> sp.Symbol:
        return sp.Symbol(name, **self.assumptions)

    def value(self, name: str, pos: int | None = None, end: int | None = None):
        if name in self.values:
            return self.values[name]
        if name in self.dims:
            return self.dims[name]
        if name in self.functions:
            raise _Problem(f"function {name!r} is used without arguments", pos, end)
        if self.strict and name not in self.variables:
            raise _Problem(f"undeclared variable {name!r} (strict_variables=True)", pos, end)
        return self.symbol(name)

    # -- elements of vectors and matrices -----------------------------------
    def vector_length(self, base: str, position: int, arity: int, pos=None, end=None):
        shape = self.shapes.get(base)
        if shape is None:
            raise _Problem(f"cannot infer the range of the sum: {base!r} has no declared "
                           f"shape (pass shapes={{{base!r}: (n,)}})", pos, end)
        if arity == 2 and len(shape) == 2:
            return shape[position]
        if arity == 1 and len(shape) == 1:
            return shape[0]
        if arity == 1 and len(shape) == 2 and 1 in shape:
            return shape[0] if shape[1] == 1 else shape[1]
        raise _Problem(f"{base!r} of shape {shape} cannot take {arity} index(es)", pos, end)

    def element(self, base: str, index: tuple, pos: int, end: int):
        """The element ``base_{index}``; index parts are Integer, Symbol (bound) or str (free)."""
        if self.strict and base not in self.shapes and base not in self.variables \
                and _element_name(base, index) not in self.variables:
            raise _Problem(f"undeclared variable {base!r} (strict_variables=True)", pos, end)
        value = self.values.get(base)
        if isinstance(value, sp.MatrixBase):  # before MatrixExpr: ImmutableMatrix is both
            self.vector_length(base, 0, len(index), pos, end)
            return self._explicit_element(base, value, index[0], pos, end)
        if isinstance(value, MatrixExpr):
            return self._matrix_element(base, value, index, pos, end)
        return self._scalar_element(base, index)

    def _explicit_element(self, base, vector, k, pos, end):
        if isinstance(k, str):  # a free index: soft-arg-max's y_i
            return self.symbol(_element_name(base, (k,)))
        if isinstance(k, sp.Integer):
            offset = int(k) - self.index_base
            if not 0 <= offset < vector.rows:
                last = self.index_base + vector.rows - 1
                raise _Problem(f"index {k} of {base!r} is outside {self.index_base}..{last}",
                               pos, end)
            return vector[offset]
        return sp.IndexedBase(base, **self.assumptions)[k]

    def _matrix_element(self, base, matrix, index, pos, end):
        index = tuple(sp.Symbol(k, integer=True) if isinstance(k, str) else k for k in index)
        offsets = tuple(k - self.index_base for k in index)
        rows, cols = matrix.shape
        if len(offsets) == 2:
            return matrix[offsets]
        if len(offsets) == 1 and cols == 1:
            return matrix[offsets[0], 0]
        if len(offsets) == 1 and rows == 1:
            return matrix[0, offsets[0]]
        raise _Problem(f"{base!r} is a {rows}x{cols} matrix: use {base}_{{i,j}} or declare "
                       f"{base}_... as a name of its own", pos, end)

    def _scalar_element(self, base, index):
        if any(isinstance(k, sp.Symbol) for k in index):  # bound by a symbolic-range sum
            parts = tuple(sp.Symbol(k, integer=True) if isinstance(k, str) else k for k in index)
            return sp.IndexedBase(base, **self.assumptions)[parts]
        return self.symbol(_element_name(base, index))


def _element_name(base: str, index: tuple) -> str:
    parts = [str(k) for k in index]
    return f"{base}_{parts[0]}" if len(parts) == 1 else f"{base}_{{{','.join(parts)}}}"


def _declare(shapes, functions, variables, assumptions, strict, index_base) -> _Declarations:
    if assumptions is None:
        assumptions = {"real": True}
    if not isinstance(assumptions, dict):
        raise _Problem("assumptions must be a dict such as {'real': True}")
    if isinstance(index_base, bool) or not isinstance(index_base, int):
        raise _Problem("index_base must be an int")
    if not isinstance(shapes or {}, dict) or not isinstance(functions or {}, dict):
        raise _Problem("shapes and functions must be dicts")
    if isinstance(variables, str):
        raise _Problem("variables must be a set of names, not a string")
    decl = _Declarations(dict(assumptions), bool(strict), index_base)
    for key, shape in (shapes or {}).items():
        _declare_shape(decl, _normalize_name(key), shape)
    for key in (variables or ()):
        decl.variables.add(_normalize_name(key))
    for key, value in (functions or {}).items():
        name = _normalize_name(key)
        decl.functions[name] = _declared_function(name, value)
    for name in decl.functions:
        if decl.is_value(name):
            raise _Problem(f"{name!r} is declared both as a function and as a value")
    return decl


def _declare_shape(decl: _Declarations, name: str, shape) -> None:
    if isinstance(shape, (int, str)):
        shape = (shape,)
    if not isinstance(shape, (tuple, list)) or len(shape) not in (1, 2):
        raise _Problem(f"shape of {name!r} must be (n,) or (rows, cols), got {shape!r}")
    dims = tuple(_dimension(name, entry, decl.dims) for entry in shape)
    decl.shapes[name] = dims
    if len(dims) == 1 and dims[0].is_Integer:
        # a vector of known length is its scalar elements x_0, x_1, ...: the lecture's
        # <x, a> = sum_i x_i a_i then is an ordinary scalar expression
        if dims[0] > MAX_VECTOR_LENGTH:
            raise _Problem(f"vector {name!r} of length {dims[0]} is too long to expand "
                           f"(max {MAX_VECTOR_LENGTH}); give it a symbolic length")
        first = decl.index_base
        decl.values[name] = sp.ImmutableMatrix(
            [decl.symbol(_element_name(name, (k,))) for k in range(first, first + int(dims[0]))])
    elif len(dims) == 1:
        decl.values[name] = sp.MatrixSymbol(name, dims[0], 1)
    else:
        decl.values[name] = sp.MatrixSymbol(name, *dims)


# ---------------------------------------------------------------------------
# Placeholder meanings
# ---------------------------------------------------------------------------

@dataclass
class _Spec:
    pos: int
    end: int


@dataclass
class _Leaf(_Spec):
    value: sp.Basic


@dataclass
class _Name(_Spec):
    name: str


@dataclass
class _Element(_Spec):
    base: str
    index: tuple  # of int | str (an index letter)


@dataclass
class _Call(_Spec):
    fn: _Fn
    args: list        # library trees, resolved lazily (sum indices may be bound later)
    primes: int = 0
    log_base: object = None


@dataclass
class _Dot(_Spec):
    left: object
    right: object


@dataclass
class _Sub(_Spec):
    tree: object  # a bracketed subexpression, parsed separately


@dataclass
class _Marker(_Spec):
    kind: str  # "transpose" | "infer-range"


def _nested_trees(spec: _Spec) -> list:
    if isinstance(spec, _Call):
        return list(spec.args) + ([spec.log_base] if spec.log_base is not None else [])
    if isinstance(spec, _Dot):
        return [spec.left, spec.right]
    if isinstance(spec, _Sub):
        return [spec.tree]
    return []


# ---------------------------------------------------------------------------
# Running latex2sympy2_extended on a rewritten fragment
# ---------------------------------------------------------------------------

class _SyntaxIssue(Exception):
    def __init__(self, index: int, at_end: bool):
        super().__init__(index)
        self.index, self.at_end = index, at_end


class _RaisingListener(ErrorListener):
    """Replaces the library's listener (and ANTLR's console one, which prints to stderr)."""

    def syntaxError(self, recognizer, offendingSymbol, line, column, msg, e):  # noqa: N802
        if offendingSymbol is None:  # lexer error
            raise _SyntaxIssue(column, False)
        raise _SyntaxIssue(offendingSymbol.start, offendingSymbol.type == Token.EOF)


class _SkeletonConverter(_Latex2Sympy):
    def create_parser(self, latex_str):
        listener = _RaisingListener()
        lexer = PSLexer(InputStream(latex_str))
        lexer.removeErrorListeners()
        lexer.addErrorListener(listener)
        parser = PSParser(CommonTokenStream(lexer))
        parser.removeErrorListeners()
        parser.addErrorListener(listener)
        return parser


class _Out:
    """The rewritten fragment: pieces joined by spaces, each knowing its source extent."""

    def __init__(self):
        self.pieces: list[tuple[str, int, int]] = []

    def add(self, text: str, pos: int, end: int) -> None:
        self.pieces.append((text, pos, end))

    def render(self) -> str:
        return " ".join(text for text, _, _ in self.pieces)

    def source_of(self, index: int) -> tuple[int, int]:
        """Source extent of the piece at ``index`` of the rendered string."""
        offset = 0
        for text, pos, end in self.pieces:
            offset += len(text) + 1
            if index < offset:
                return pos, end
        return self.last_source()

    def last_source(self) -> tuple[int, int]:
        return self.pieces[-1][1:]


def _run_library(out: _Out, start: int, end: int):
    """Parse one rewritten fragment; syntax errors point into the original text."""
    latex = out.render()
    if not latex:
        raise _Problem("empty expression", start, end)
    converter = _SkeletonConverter(config=_CONVERSION)
    try:
        parser = converter.create_parser(latex)
        tree = parser.expr()
        trailing = parser.getCurrentToken()
        if trailing.type != Token.EOF:
            raise _SyntaxIssue(trailing.start, False)
        return converter.convert_expr(tree)
    except _SyntaxIssue as issue:
        if issue.at_end:
            raise _Problem("unexpected end of expression", *out.last_source()) from None
        pos, stop = out.source_of(issue.index)
        last = (pos, stop) == out.last_source()
        message = "incomplete expression" if last else "unexpected symbol"
        raise _Problem(message, pos, stop) from None
    except RecursionError:
        raise _Problem("expression too long or too deeply nested", start, end) from None
    except _Problem:
        raise
    except Exception as exc:  # the library's converter raises bare Exception/AttributeError
        raise _Problem(f"cannot interpret this expression ({type(exc).__name__})",
                       start, end) from None


# ---------------------------------------------------------------------------
# Rewriting: tokens -> library input with placeholders
# ---------------------------------------------------------------------------

@dataclass
class _Base:
    name: str
    kind: str   # "letter" | "word" | "greek" | "command" (a function command such as \sin)
    pos: int
    end: int
    inner_sub: list | None = None  # \hat{y_i}: the subscript inside the decoration


@dataclass
class _Scripts:
    sub: list | None = None
    sub_extent: tuple[int, int] | None = None
    sup: list | None = None
    sup_extent: tuple[int, int] | None = None
    primes: int = 0


_RELATIONS = {"=": "Eq", "<": "Lt", ">": "Gt", "le": "Le", "leq": "Le", "leqslant": "Le",
              "ge": "Ge", "geq": "Ge", "geqslant": "Ge", "ne": "Ne", "neq": "Ne", "lt": "Lt",
              "gt": "Gt", "coloneqq": "Eq", "eqqcolon": "Eq"}
_UNSUPPORTED = {
    "partial": "partial derivatives (\\partial) are not supported",
    "nabla": "\\nabla is not supported",
    "int": "integrals are not supported",
    "lim": "limits are not supported",
    "dots": "ellipses are not supported", "ldots": "ellipses are not supported",
    "cdots": "ellipses are not supported", "vdots": "ellipses are not supported",
    "|": "norms \\|x\\| are not supported", "Vert": "norms \\|x\\| are not supported",
    "lVert": "norms \\|x\\| are not supported", "rVert": "norms \\|x\\| are not supported",
    "{": "sets \\{...\\} are not supported", "}": "sets \\{...\\} are not supported",
    "begin": "environments (cases, matrices) are not supported",
    "pm": "\\pm is not supported", "mp": "\\mp is not supported",
    "binom": "binomial coefficients are not supported",
    "to": "arrows are not supported", "rightarrow": "arrows are not supported",
    "Rightarrow": "arrows are not supported", "implies": "arrows are not supported",
    "approx": "\\approx is not an equation; use =",
}
_CHAR_ERRORS = {
    "_": "a subscript must follow a name",
    "'": "a prime ' is only understood on a function name followed by (...)",
    ",": "unexpected ',' (commas separate function arguments only)",
    "!": "factorials are not supported",
    "=": "an equation sign inside brackets",
    "<": "a relation inside brackets", ">": "a relation inside brackets",
}
_COMMANDS_WITH_ARGUMENT = _WORD_COMMANDS | set(_DECORATION_PREFIX) | _DECORATION_TRANSPARENT
_TRANSPOSE_SCRIPTS = {"T", "\\top", "\\intercal", "\\mathrm{T}", "\\mathsf{T}", "\\text{T}",
                      "\\mathit{T}", "\\operatorname{T}"}
_LEIBNIZ_STARTS = {("letter", "d"), ("cmd", "delta"), ("cmd", "partial"), ("cmd", "Delta")}


class _Rewriter:
    def __init__(self, decl: _Declarations, source: str):
        self.decl = decl
        self.source = source
        self.specs: dict[str, _Spec] = {}
        self._words = decl.words()

    # -- entry points -------------------------------------------------------
    def fragment(self, items: list, start: int, end: int):
        """Parse items as one expression and return the library's tree.

        Top-level terms are parsed one by one: the library's parse time and its
        recursion depth grow with the length of a + chain, ours stay linear.
        """
        terms = _split_terms(items)
        if len(terms) == 1:
            return self._term(items, start, end)
        trees = []
        for sign, term in terms:
            if not term:
                raise _Problem("incomplete expression", sign.pos, sign.end)
            tree = self._term(term, _start(term[0]), _end(term[-1]))
            negative = sign is not None and sign.text == "-"
            trees.append(sp.Mul(-1, tree, evaluate=False) if negative else tree)
        return sp.Add(*trees, evaluate=False)

    def _term(self, items: list, start: int, end: int):
        out = _Out()
        self._sequence(items, out)
        if len(out.pieces) > MAX_TERM_PIECES:
            raise _Problem(f"a term of {len(out.pieces)} symbols is too long for the parser "
                           f"(max {MAX_TERM_PIECES}); split the formula", start, end)
        return _run_library(out, start, end)

    def placeholder(self, spec: _Spec) -> str:
        name = f"Q{len(self.specs)}"
        self.specs[name] = spec
        return rf"\variable{{{name}}}"

    def _add_placeholder(self, spec: _Spec, out: _Out) -> None:
        out.add(self.placeholder(spec), spec.pos, spec.end)

    # -- sequences ------------------------------------------------------------
    def _sequence(self, items: list, out: _Out) -> None:
        i = 0
        while i < len(items):
            i = self._item(items, i, out)

    def _item(self, items: list, i: int, out: _Out) -> int:
        item = items[i]
        if isinstance(item, _Group):
            return self._group(items, i, out)
        if item.kind == "number":
            return self._number(items, i, out)
        if item.kind == "letter":
            return self._identifier(items, i, out)
        if item.kind == "cmd":
            return self._command(items, i, out)
        return self._char(items, i, out)

    def _group(self, items, i, out) -> int:
        group = items[i]
        if group.kind == "langle":
            return self._scalar_product(items, i, out)
        if not group.items:
            raise _Problem("empty brackets", group.pos, group.end)
        # a bracketed group is parsed on its own and stands in as one atom: the
        # library never sees deep nesting, and long sums inside brackets split
        tree = self.fragment(group.items, group.open.end, group.close.pos)
        self._add_placeholder(_Sub(group.pos, group.end, tree), out)
        return i + 1

    def _number(self, items, i, out) -> int:
        tok = items[i]
        if i + 1 < len(items) and isinstance(items[i + 1], _Tok) and items[i + 1].is_char("_"):
            raise _Problem("a number cannot have a subscript", tok.pos, items[i + 1].end)
        # numbers are placeholders too: exact decimals, and the library's
        # mixed-fraction rule (2\frac{1}{2} = 5/2) never fires
        self._add_placeholder(_Leaf(tok.pos, tok.end, sp.Rational(tok.text)), out)
        return i + 1

    def _char(self, items, i, out) -> int:
        tok = items[i]
        if tok.text in "+-*/|":
            out.add(tok.text, tok.pos, tok.end)
            return i + 1
        if tok.text == "^":
            return self._power(items, i, out)
        raise _Problem(_CHAR_ERRORS.get(tok.text, f"unexpected {tok.text!r}"), tok.pos, tok.end)

    # -- commands -----------------------------------------------------------
    def _command(self, items, i, out) -> int:
        tok = items[i]
        name = tok.text
        if name in _GREEK or name in _DECORATION_PREFIX or name in _DECORATION_TRANSPARENT \
                or name in _WORD_COMMANDS or name in _FUNCTION_COMMANDS:
            return self._identifier(items, i, out)
        if name in ("cdot", "times", "ast"):
            out.add("*" if name == "ast" else f"\\{name}", tok.pos, tok.end)
            return i + 1
        if name in ("circ", "odot"):
            out.add(r"\mod", tok.pos, tok.end)  # the library's Mod node: our Hadamard product
            return i + 1
        if name == "div":
            out.add("/", tok.pos, tok.end)
            return i + 1
        if name == "infty":
            out.add(r"\infty", tok.pos, tok.end)
            return i + 1
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            return self._fraction(items, i, out)
        if name == "sqrt":
            return self._sqrt(items, i, out)
        if name in ("sum", "prod"):
            return self._big_operator(items, i, out)
        if name in _UNSUPPORTED:
            raise _Problem(_UNSUPPORTED[name], tok.pos, tok.end)
        if name in _RELATIONS:
            raise _Problem("a relation inside brackets", tok.pos, tok.end)
        raise _Problem(f"unknown command \\{name}", tok.pos, tok.end)

    def _fraction(self, items, i, out) -> int:
        tok = items[i]
        parts = items[i + 1:i + 3]
        if len(parts) < 2 or not all(_is_group(p, "{") for p in parts):
            raise _Problem(f"\\{tok.text} needs {{numerator}}{{denominator}}", tok.pos,
                           _end(parts[-1]) if parts else tok.end)
        self._reject_leibniz(tok, *parts)
        out.add(r"\frac", tok.pos, tok.end)
        for part in parts:
            self._braced(part, out)
        return i + 3

    def _reject_leibniz(self, tok, upper: _Group, lower: _Group) -> None:
        """\\frac{dy}{dx}, \\frac{\\delta E}{\\delta X} would silently cancel d's."""
        def head(group):
            first = group.items[0] if group.items else None
            return (first.kind, first.text) if isinstance(first, _Tok) else None
        mark = head(upper)
        if mark in _LEIBNIZ_STARTS and mark == head(lower) and len(lower.items) > 1 \
                and not self.decl.declared(mark[1]):
            raise _Problem("derivative notation \\frac{d..}{d..} is not supported", tok.pos,
                           lower.end)

    def _braced(self, group: _Group, out: _Out) -> None:
        """{argument} of \\frac or \\sqrt, parsed on its own like a bracketed group."""
        if not group.items:
            raise _Problem("empty braces", group.pos, group.end)
        tree = self.fragment(group.items, group.open.end, group.close.pos)
        out.add("{", group.open.pos, group.open.end)
        self._add_placeholder(_Sub(group.pos, group.end, tree), out)
        out.add("}", group.close.pos, group.close.end)

    def _sqrt(self, items, i, out) -> int:
        tok = items[i]
        out.add(r"\sqrt", tok.pos, tok.end)
        j = i + 1
        if j < len(items) and _is_group(items[j], "["):
            out.add("[", items[j].open.pos, items[j].open.end)
            self._sequence(items[j].items, out)
            out.add("]", items[j].close.pos, items[j].close.end)
            j += 1
        if j >= len(items) or not _is_group(items[j], "{"):
            raise _Problem("\\sqrt needs {argument}", tok.pos, tok.end)
        self._braced(items[j], out)
        return j + 1

    # -- sums and products ----------------------------------------------------
    def _big_operator(self, items, i, out) -> int:
        tok = items[i]
        scripts, j = self._read_scripts(items, i + 1, allow_primes=False)
        if scripts.sub is None:
            raise _Problem(f"\\{tok.text} needs an index: \\{tok.text}_i or "
                           f"\\{tok.text}_{{i=1}}^{{n}}", tok.pos, tok.end)
        parts, _ = _split_on(scripts.sub, lambda t: t.is_char("="))
        index_tok = self._index_token(parts[0], scripts.sub_extent)
        index_spec = _Name(index_tok.pos, index_tok.end, index_tok.text)
        out.add(rf"\{tok.text}", tok.pos, tok.end)
        out.add("_{", *scripts.sub_extent)
        self._add_placeholder(index_spec, out)
        out.add("=", *scripts.sub_extent)
        if len(parts) == 1:  # \sum_i: the range comes from the declared vectors in the body
            if scripts.sup is not None:
                raise _Problem("write \\sum_{i=1}^{n} with a lower limit", tok.pos, tok.end)
            marker = _Marker(tok.pos, scripts.sub_extent[1], "infer-range")
            self._add_placeholder(marker, out)
            out.add("}^{", *scripts.sub_extent)
            self._add_placeholder(marker, out)
            out.add("}", *scripts.sub_extent)
        elif len(parts) == 2 and parts[1] and scripts.sup:
            self._sequence(parts[1], out)
            out.add("}^{", *scripts.sup_extent)
            self._sequence(scripts.sup, out)
            out.add("}", *scripts.sup_extent)
        else:
            raise _Problem(f"\\{tok.text} limits must read _{{i=a}}^{{b}}", *scripts.sub_extent)
        return j

    def _index_token(self, part: list, extent) -> _Tok:
        if len(part) == 1 and isinstance(part[0], _Tok) and \
                (part[0].kind == "letter" or (part[0].kind == "cmd" and part[0].text in _GREEK)):
            return part[0]
        raise _Problem("the summation index must be a single letter", *extent)

    # -- scalar product -------------------------------------------------------
    def _scalar_product(self, items, i, out) -> int:
        group = items[i]
        parts, _ = _split_commas(group.items)
        if len(parts) != 2 or not all(parts):
            raise _Problem("a scalar product reads \\langle a, b \\rangle", group.pos, group.end)
        comma = next(t for t in group.items if isinstance(t, _Tok) and t.is_char(","))
        left = self.fragment(parts[0], group.open.end, comma.pos)
        right = self.fragment(parts[1], comma.end, group.close.pos)
        self._add_placeholder(_Dot(group.pos, group.end, left, right), out)
        return i + 1

    # -- powers ---------------------------------------------------------------
    def _power(self, items, i, out) -> int:
        caret = items[i]
        arg, extent, j = self._script_argument(items, i + 1, caret)
        self._emit_power(arg, (caret.pos, extent[1]), out)
        return j

    def _emit_power(self, arg: list, extent: tuple[int, int], out: _Out) -> None:
        script = self._script_text(arg)
        negated = script.startswith("-")
        if self._is_transpose(script.lstrip("-")):  # ^T, ^\top, and ^{-T} = inverse transpose
            out.add("^{" + ("-" if negated else ""), *extent)
            self._add_placeholder(_Marker(extent[0], extent[1], "transpose"), out)
            out.add("}", *extent)
            return
        out.add("^{", *extent)
        self._sequence(arg, out)
        out.add("}", *extent)

    def _is_transpose(self, script: str) -> bool:
        if script == "T":  # unless T is a declared name, when T^T is a power
            return not self.decl.declared("T")
        return script in _TRANSPOSE_SCRIPTS

    def _script_text(self, items: list) -> str:
        if not items:
            return ""
        return re.sub(r"\s+", "", self.source[_start(items[0]):_end(items[-1])])

    def _script_argument(self, items, j, marker: _Tok) -> tuple[list, tuple[int, int], int]:
        """The argument of ^ or _: a {group}, one token, or \\mathrm{...}."""
        if j >= len(items):
            raise _Problem(f"missing argument after {marker.text!r}", marker.pos, marker.end)
        item = items[j]
        if _is_group(item, "{"):
            if not item.items:
                raise _Problem("empty script", item.pos, item.end)
            return item.items, (item.pos, item.end), j + 1
        if isinstance(item, _Tok) and item.kind in ("letter", "number"):
            return [item], (item.pos, item.end), j + 1
        if isinstance(item, _Tok) and item.kind == "cmd":
            takes_group = item.text in _COMMANDS_WITH_ARGUMENT
            if takes_group and j + 1 < len(items):
                return [item, items[j + 1]], (item.pos, _end(items[j + 1])), j + 2
            return [item], (item.pos, item.end), j + 1
        raise _Problem(f"put the argument of {marker.text!r} in braces", marker.pos, _end(item))

    # -- names, calls ---------------------------------------------------------
    def _identifier(self, items, i, out) -> int:
        base, i = self._read_base(items, i)
        scripts, i = self._read_scripts(items, i, allow_primes=True)
        sub = self._merge_subscripts(base, scripts)
        call = items[i] if i < len(items) and _is_group(items[i], "(") else None
        fn = self._function_for(base, sub, scripts, call is not None)
        end = _end(items[i - 1])
        if fn is not None and call is not None:
            self._emit_call(fn, base, sub, scripts, call, out)
            return i + 1
        if scripts.primes:
            raise _Problem("a prime ' is only understood on a function name followed by (...)",
                           base.pos, end)
        if base.kind == "command":
            return self._library_function(base, scripts, out, i)
        if base.kind == "word" and fn is not None and base.name not in self.decl.functions:
            raise _Problem(f"{base.name} needs its arguments in parentheses", base.pos, end)
        label = self._superscript_label(scripts)
        if base.name == "e" and base.kind == "letter" and sub is None and label is None \
                and not self.decl.declared("e"):
            out.add("e", base.pos, base.end)  # Euler's number; e^{x} is exp(x)
        else:
            self._add_placeholder(self._name_spec(base, sub, label, end), out)
        if scripts.sup is not None and label is None:
            self._emit_power(scripts.sup, scripts.sup_extent, out)
        return i

    def _superscript_label(self, scripts: _Scripts) -> str | None:
        """w^{[k]}: an iteration number in brackets is part of the name, not a power."""
        sup = scripts.sup
        if sup is not None and len(sup) == 1 and _is_group(sup[0], "["):
            return "^" + re.sub(r"\s+", "", self.source[sup[0].pos:sup[0].end])
        return None

    def _merge_subscripts(self, base: _Base, scripts: _Scripts):
        if base.inner_sub is not None and scripts.sub is not None:
            raise _Problem("two subscripts on one name", base.pos, scripts.sub_extent[1])
        if base.inner_sub is not None:
            return base.inner_sub
        return scripts.sub

    def _read_base(self, items, i) -> tuple[_Base, int]:
        tok = items[i]
        if tok.kind == "letter":
            return self._read_letters(items, i)
        name = tok.text
        if name in _GREEK:
            return _Base(name, "greek", tok.pos, tok.end), i + 1
        if name in _FUNCTION_COMMANDS:
            return _Base(name, "command", tok.pos, tok.end), i + 1
        if name in _WORD_COMMANDS:
            return self._read_word_command(items, i)
        if name in _DECORATION_PREFIX or name in _DECORATION_TRANSPARENT:
            return self._read_decorated(items, i)
        raise _Problem(f"expected a name, got \\{name}", tok.pos, tok.end)

    def _read_letters(self, items, i) -> tuple[_Base, int]:
        """One letter, or the longest run of adjacent letters that is a declared name
        or a function word followed by (...) (sign(x), tg^{-1}(x))."""
        run = [items[i]]
        j = i + 1
        while j < len(items) and len(run) < 24 and isinstance(items[j], _Tok) \
                and items[j].kind == "letter" and items[j].pos == run[-1].end:
            run.append(items[j])
            j += 1
        for length in range(len(run), 1, -1):
            word = "".join(t.text for t in run[:length])
            if word in self._words:
                return _Base(word, "letter", run[0].pos, run[length - 1].end), i + length
            if word in _BARE_FUNCTION_WORDS and self._call_follows(items, i + length):
                return _Base(word, "word", run[0].pos, run[length - 1].end), i + length
        return _Base(run[0].text, "letter", run[0].pos, run[0].end), i + 1

    def _call_follows(self, items, j) -> bool:
        if j < len(items) and isinstance(items[j], _Tok) and items[j].is_char("^"):
            j += 2
        return j < len(items) and _is_group(items[j], "(")

    def _read_word_command(self, items, i) -> tuple[_Base, int]:
        tok = items[i]
        j = i + 1
        if j < len(items) and isinstance(items[j], _Tok) and items[j].is_char("*"):
            j += 1  # \operatorname*{...}
        if j >= len(items) or not _is_group(items[j], "{"):
            raise _Problem(f"\\{tok.text} needs {{...}}", tok.pos, tok.end)
        group = items[j]
        word = self.source[group.open.end:group.close.pos].strip()
        word = re.sub(r"\\_", "_", word)
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_\- ]*", word):
            raise _Problem(f"unsupported content of \\{tok.text}{{...}}", group.pos, group.end)
        word = re.sub(r"\s+", "", word)
        kind = "letter" if len(word) == 1 else "word"
        return _Base(word, kind, tok.pos, group.end), j + 1

    def _read_decorated(self, items, i) -> tuple[_Base, int]:
        tok = items[i]
        if i + 1 >= len(items):
            raise _Problem(f"\\{tok.text} needs an argument", tok.pos, tok.end)
        arg = items[i + 1]
        inner_items = arg.items if _is_group(arg, "{") else [arg]
        if not inner_items or not isinstance(inner_items[0], _Tok):
            raise _Problem(f"\\{tok.text}{{...}} must contain a name", tok.pos, _end(arg))
        if all(isinstance(t, _Tok) and t.kind == "letter" for t in inner_items):
            inner = _Base("".join(t.text for t in inner_items), "letter", tok.pos, _end(arg))
            inner_sub = None
        else:
            inner, k = self._read_base(inner_items, 0)
            scripts, k = self._read_scripts(inner_items, k, allow_primes=False)
            if k != len(inner_items) or scripts.sup is not None:
                raise _Problem(f"\\{tok.text}{{...}} must contain a name", tok.pos, _end(arg))
            inner_sub = self._merge_subscripts(inner, scripts)
        if tok.text in _DECORATION_PREFIX:
            name = f"{_DECORATION_PREFIX[tok.text]}_{inner.name}"
        else:
            name = inner.name
        kind = "letter" if inner.kind != "command" else "command"
        return _Base(name, kind, tok.pos, _end(arg), inner_sub), i + 2

    def _read_scripts(self, items, i, allow_primes: bool) -> tuple[_Scripts, int]:
        scripts = _Scripts()
        while i < len(items) and isinstance(items[i], _Tok):
            tok = items[i]
            if tok.is_char("_") and scripts.sub is None:
                scripts.sub, scripts.sub_extent, i = self._script_argument(items, i + 1, tok)
                scripts.sub_extent = (tok.pos, scripts.sub_extent[1])
            elif tok.is_char("^") and scripts.sup is None:
                arg, extent, j = self._script_argument(items, i + 1, tok)
                if allow_primes and self._script_text(arg) in ("\\prime", "\\prime\\prime"):
                    scripts.primes += self._script_text(arg).count("prime")
                else:
                    scripts.sup, scripts.sup_extent = arg, (tok.pos, extent[1])
                i = j
            elif tok.is_char("'") and allow_primes and scripts.sup is None:
                scripts.primes += 1
                i += 1
            else:
                break
        return scripts, i

    def _function_for(self, base: _Base, sub, scripts: _Scripts, has_call: bool) -> _Fn | None:
        decl = self.decl
        if sub is not None and base.kind in ("letter", "greek"):
            full = self._name_with_subscript(base.name, sub)
            if full in decl.functions:
                return decl.functions[full]
            return None
        if base.name in decl.functions:
            return decl.functions[base.name]
        if decl.is_value(base.name):
            return None
        if base.kind in ("command", "word"):
            fn = _builtin(base.name)
            if fn is None and has_call:
                if decl.strict:
                    raise _Problem(f"unknown function {base.name!r} (strict_variables=True)",
                                   base.pos, base.end)
                return _Fn(base.name, sp.Function(base.name), None)
            return fn
        if base.kind == "greek" and base.name == "sigma" and has_call:
            return _BUILTINS["sigmoid"]  # the lecture's sigma(x) is the logistic function
        if scripts.primes and has_call:  # f'(x) with f undeclared: an unknown function
            return _Fn(base.name, sp.Function(base.name, **decl.assumptions), None)
        return None

    def _name_with_subscript(self, base: str, sub: list) -> str:
        parsed = self._parse_subscript(sub)
        if isinstance(parsed, tuple):
            return _element_name(base, parsed)
        return f"{base}_{parsed}"

    def _name_spec(self, base: _Base, sub, label: str | None, end: int) -> _Spec:
        pos, suffix = base.pos, label or ""
        if sub is None:
            if base.kind == "greek" and base.name == "pi" and not self.decl.declared("pi") \
                    and not suffix:
                return _Leaf(pos, end, sp.pi)
            return _Name(pos, end, base.name + suffix)
        parsed = self._parse_subscript(sub)
        if isinstance(parsed, str):
            return _Name(pos, end, f"{base.name}_{parsed}{suffix}")
        full = _element_name(base.name, parsed)
        if self.decl.declared(full) or suffix:
            return _Name(pos, end, full + suffix)
        return _Element(pos, end, base.name, parsed)

    def _parse_subscript(self, items: list):
        """An index tuple (ints and index letters) or a label string such as 'train'."""
        parts, _ = _split_commas(items)
        index = []
        for part in parts:
            if len(part) != 1 or not isinstance(part[0], _Tok):
                break
            tok = part[0]
            if tok.kind == "number" and tok.text.isdigit():
                index.append(sp.Integer(tok.text))
            elif tok.kind == "letter" or (tok.kind == "cmd" and tok.text in _GREEK):
                index.append(tok.text)
            else:
                break
        else:
            return tuple(index)
        return self._subscript_label(items)

    def _subscript_label(self, items: list) -> str:
        pos, end = _start(items[0]), _end(items[-1])
        if _is_group(items[0], "["):
            raise _Problem("shape annotations like A_{[n,m]} are not supported; "
                           "declare shapes={'A': ('n', 'm')}", pos, end)
        if any(isinstance(t, _Tok) and t.is_char("+", "-", "*", "/", "^") for t in items):
            raise _Problem("index arithmetic such as x_{i+1} is not supported", pos, end)
        label = self.source[pos:end]
        label = re.sub(r"\\(?:text|mathrm|mathit|operatorname)\s*\{([^{}]*)\}", r"\1", label)
        return re.sub(r"\s+|\\", "", label)

    def _emit_call(self, fn: _Fn, base: _Base, sub, scripts: _Scripts, call: _Group, out):
        parts, commas = _split_commas(call.items)
        bounds = [call.open.end] + [c.end for c in commas]
        stops = [c.pos for c in commas] + [call.close.pos]
        if not all(parts):
            raise _Problem(f"empty argument in a call of {base.name}", call.pos, call.end)
        args = [self.fragment(p, a, b) for p, a, b in zip(parts, bounds, stops)]
        log_base = None
        if sub is not None and base.kind in ("command", "word"):
            if fn.name != "log":
                raise _Problem(f"{base.name} takes no subscript", *scripts.sub_extent)
            log_base = self.fragment(sub, *scripts.sub_extent)
        sup = scripts.sup
        if sup is not None and self._script_text(sup) == "-1" and scripts.primes == 0:
            fn = self._inverse_of(fn, base, scripts)
            sup = None
        self._check_arity(fn, len(args), base, call)
        spec = _Call(base.pos, call.end, fn, args, scripts.primes, log_base)
        self._add_placeholder(spec, out)
        if sup is not None:
            self._emit_power(sup, scripts.sup_extent, out)

    def _inverse_of(self, fn: _Fn, base: _Base, scripts: _Scripts) -> _Fn:
        # f^{-1}(x) is the inverse function for trigonometric-like functions (tg^{-1})
        if fn.inverse is None:
            raise _Problem(f"the inverse function of {base.name} is not known; write "
                           f"({base.name}(...))^{{-1}} for a reciprocal", base.pos,
                           scripts.sup_extent[1])
        return _BUILTINS[fn.inverse]

    @staticmethod
    def _check_arity(fn: _Fn, count: int, base: _Base, call: _Group) -> None:
        if fn.arity is not None and fn.arity != count:
            raise _Problem(f"{base.name} takes {fn.arity} argument(s), got {count}",
                           base.pos, call.end)

    def _library_function(self, base: _Base, scripts: _Scripts, out: _Out, i: int) -> int:
        r"""\sin x, \log_2 x, \sin^2 x: the library reads these without parentheses."""
        name = _LIBRARY_NOPAREN.get(base.name)
        if name is None:
            raise _Problem(f"\\{base.name} needs its arguments in parentheses", base.pos, base.end)
        sup = scripts.sup
        if sup is not None and self._script_text(sup) == "-1" and _builtin(name).inverse:
            name = _LIBRARY_NOPAREN[_builtin(name).inverse]
            sup = None
        if scripts.sub is not None and name != "ln":
            raise _Problem(f"\\{base.name} takes no subscript", *scripts.sub_extent)
        if scripts.sub is not None:
            name = "log"  # \log_b x keeps its base; a bare \log is natural
        out.add(f"\\{name}", base.pos, base.end)
        if scripts.sub is not None:
            out.add("_{", *scripts.sub_extent)
            self._sequence(scripts.sub, out)
            out.add("}", *scripts.sub_extent)
        if sup is not None:
            self._emit_power(sup, scripts.sup_extent, out)
        return i


# ---------------------------------------------------------------------------
# Resolution: library tree with placeholders -> final SymPy
# ---------------------------------------------------------------------------

def _is_matrix(value) -> bool:
    return isinstance(value, (MatrixExpr, sp.MatrixBase))


def _shape_text(value) -> str:
    return "x".join(str(d) for d in value.shape) if _is_matrix(value) else "scalar"


def _as_scalar(value, what: str):
    if not _is_matrix(value):
        return value
    if value.shape == (1, 1):
        return value[0, 0]
    raise _Problem(f"{what} needs a scalar, got a {_shape_text(value)} matrix")


def _elementwise(fn: Callable, value):
    """fn applied to a scalar, or entry by entry to a matrix (the lecture's f(X))."""
    if not _is_matrix(value):
        return fn(value)
    if isinstance(value, sp.MatrixBase):
        return value.applyfunc(fn)
    dummy = sp.Dummy("t", real=True)
    return value.applyfunc(sp.Lambda(dummy, fn(dummy)))


def _transpose(value):
    return value.T if _is_matrix(value) else value


def _inverse(value):
    if _is_matrix(value):
        if value.shape[0] != value.shape[1] and \
                sp.simplify(value.shape[0] - value.shape[1]).is_zero is False:
            raise _Problem(f"inverse of a non-square {_shape_text(value)} matrix")
        return sp.Inverse(value)
    return 1 / value


def _matrix_product(factors: list):
    try:
        return functools.reduce(operator.mul, factors)
    except (ValueError, TypeError) as exc:
        if any(f.shape == (1, 1) for f in factors):  # <x,a> x: a 1x1 product scales
            scalars = [f[0, 0] for f in factors if f.shape == (1, 1)]
            rest = [f for f in factors if f.shape != (1, 1)]
            return sp.Mul(*scalars) * _matrix_product(rest) if rest else sp.Mul(*scalars)
        shapes = " * ".join(_shape_text(f) for f in factors)
        raise _Problem(f"matrix shapes do not fit: {shapes}") from exc


def _product(factors: list):
    scalars = [f for f in factors if not _is_matrix(f)]
    matrices = [f for f in factors if _is_matrix(f)]
    scale = sp.Mul(*scalars)
    if not matrices:
        return scale
    product = _matrix_product(matrices)
    return product if scale == 1 else scale * product


def _sum(terms: list):
    matrices = [t for t in terms if _is_matrix(t)]
    if not matrices:
        return sp.Add(*terms)
    if len(matrices) == len(terms):
        try:
            return functools.reduce(operator.add, terms)
        except (ValueError, TypeError) as exc:
            shapes = " + ".join(_shape_text(t) for t in terms)
            raise _Problem(f"matrix shapes do not fit: {shapes}") from exc
    if all(m.shape == (1, 1) for m in matrices):
        return sp.Add(*[_as_scalar(t, "a sum") for t in terms])
    shapes = " + ".join(_shape_text(t) for t in terms)
    raise _Problem(f"cannot add a scalar and a matrix: {shapes}")


def _hadamard(left, right):
    if _is_matrix(left) and _is_matrix(right):
        if left.shape != right.shape and all(
                sp.simplify(a - b).is_zero is False for a, b in zip(left.shape, right.shape)):
            raise _Problem(f"Hadamard product of {_shape_text(left)} and {_shape_text(right)}")
        return sp.hadamard_product(left, right)
    return _product([left, right])


_LIBRARY_FUNCTIONS = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc, sp.asin, sp.acos,
                      sp.atan, sp.acot, sp.asec, sp.acsc, sp.sinh, sp.cosh, sp.tanh,
                      sp.asinh, sp.acosh, sp.atanh, sp.exp, sp.Abs)


class _Resolver:
    def __init__(self, decl: _Declarations, specs: dict[str, _Spec]):
        self.decl = decl
        self.specs = specs
        self.expanded = 0

    def resolve(self, node, bindings: dict):
        if isinstance(node, sp.Symbol):
            return self._placeholder(node, bindings)
        if node is None or isinstance(node, (list, tuple)) or not isinstance(node, sp.Basic):
            raise _Problem("unsupported construct")
        if node.is_Number or node in (sp.E, sp.pi, sp.oo, sp.S.NegativeInfinity):
            return node
        if isinstance(node, sp.Add):
            return _sum([self.resolve(a, bindings) for a in node.args])
        if isinstance(node, sp.Mul):
            return _product([self.resolve(a, bindings) for a in node.args])
        if isinstance(node, sp.Pow):
            return self._power(node, bindings)
        if isinstance(node, sp.Mod):
            return _hadamard(*(self.resolve(a, bindings) for a in node.args))
        if isinstance(node, (sp.Sum, sp.Product)):
            return self._big_operator(node, bindings)
        if isinstance(node, sp.log):
            return self._log(node, bindings)
        if isinstance(node, _LIBRARY_FUNCTIONS):
            (arg,) = node.args
            return _elementwise(node.func, self.resolve(arg, bindings))
        raise _Problem(f"unsupported construct {type(node).__name__}")

    def _placeholder(self, symbol: sp.Symbol, bindings: dict):
        spec = self.specs.get(symbol.name)
        if spec is None:
            raise _Problem(f"unsupported construct {symbol.name}")
        if isinstance(spec, _Leaf):
            return spec.value
        if isinstance(spec, _Name):
            if spec.name in bindings:
                return bindings[spec.name]
            return self.decl.value(spec.name, spec.pos, spec.end)
        if isinstance(spec, _Element):
            index = tuple(bindings.get(k, k) if isinstance(k, str) else k for k in spec.index)
            return self.decl.element(spec.base, index, spec.pos, spec.end)
        if isinstance(spec, _Call):
            return self._call(spec, bindings)
        if isinstance(spec, _Dot):
            return self._dot(spec, bindings)
        if isinstance(spec, _Sub):
            return self.resolve(spec.tree, bindings)
        raise _Problem("a transpose mark or \\sum range in an unexpected place", spec.pos, spec.end)

    # -- powers ---------------------------------------------------------------
    def _marker_power(self, exponent) -> str | None:
        """'T' for ^T, '-T' for ^{-T}, None for an ordinary exponent."""
        negated = False
        if isinstance(exponent, sp.Mul) and len(exponent.args) == 2 and exponent.args[0] == -1:
            negated, exponent = True, exponent.args[1]
        spec = self.specs.get(exponent.name) if isinstance(exponent, sp.Symbol) else None
        if isinstance(spec, _Marker) and spec.kind == "transpose":
            return "-T" if negated else "T"
        return None

    def _power(self, node, bindings):
        base = self.resolve(node.base, bindings)
        marker = self._marker_power(node.exp)
        if marker == "T":
            return _transpose(base)
        if marker == "-T":
            return _inverse(_transpose(base))
        exponent = _as_scalar(self.resolve(node.exp, bindings), "an exponent")
        if _is_matrix(base):
            return _inverse(base) if exponent == -1 else sp.MatPow(base, exponent)
        if base.is_Rational and exponent.is_Rational and abs(base) != 1 and base != 0 \
                and abs(exponent) > MAX_NUMERIC_EXPONENT:  # 10^{10^{10}} would not finish
            raise _Problem(f"numeric power with exponent {exponent} is too large")
        return sp.Pow(base, exponent)

    def _log(self, node, bindings):
        arg = self.resolve(node.args[0], bindings)
        if len(node.args) == 1 or node.args[1] == sp.E:
            return _elementwise(sp.log, arg)
        base = _as_scalar(self.resolve(node.args[1], bindings), "a logarithm base")
        return _elementwise(lambda x: sp.log(x, base), arg)

    # -- calls ------------------------------------------------------------------
    def _call(self, spec: _Call, bindings):
        args = [self.resolve(a, bindings) for a in spec.args]
        try:
            if spec.primes:
                return self._derivative(spec, args)
            if spec.log_base is not None:
                base = _as_scalar(self.resolve(spec.log_base, bindings), "a logarithm base")
                return _elementwise(lambda x: sp.log(x, base), args[0])
            return self._apply(spec.fn, args)
        except _Problem as problem:
            if problem.pos is None:
                raise _Problem(problem.message, spec.pos, spec.end) from None
            raise
        except (TypeError, ValueError, AttributeError) as exc:
            raise _Problem(f"bad call of {spec.fn.name}: {exc}", spec.pos, spec.end) from None

    @staticmethod
    def _apply(fn: _Fn, args: list):
        if fn.kind == "matrix":
            return fn.apply(args[0])
        if fn.kind == "reduce":
            if len(args) == 1 and isinstance(args[0], sp.MatrixBase):
                return fn.apply(*args[0])  # \max(X) over the entries of a declared vector
            return fn.apply(*[_as_scalar(a, fn.name) for a in args])
        if len(args) == 1:
            return _elementwise(fn.apply, args[0])
        return fn.apply(*[_as_scalar(a, fn.name) for a in args])

    @staticmethod
    def _derivative(spec: _Call, args: list):
        """f'(x): kept unevaluated (``.doit()`` evaluates it), entrywise on matrices."""
        if len(args) != 1:
            raise _Problem(f"{spec.fn.name}' needs one argument", spec.pos, spec.end)
        variable = sp.Dummy("u", real=True)
        derivative = sp.Derivative(spec.fn.apply(variable), (variable, spec.primes))

        def at(point):
            if isinstance(point, sp.Symbol) and not isinstance(point, sp.Dummy):
                return sp.Derivative(spec.fn.apply(point), (point, spec.primes))
            # Subs rather than Derivative(f(t), t) inside the entrywise Lambda: SymPy
            # composes entrywise functions by substitution, which breaks a Derivative
            return sp.Subs(derivative, variable, point)
        return _elementwise(at, args[0])

    def _dot(self, spec: _Dot, bindings):
        left = self.resolve(spec.left, bindings)
        right = self.resolve(spec.right, bindings)
        if not _is_matrix(left) and not _is_matrix(right):
            return left * right
        if not (_is_matrix(left) and _is_matrix(right)) or \
                any(sp.simplify(a - b).is_zero is False for a, b in zip(left.shape, right.shape)):
            raise _Problem(f"scalar product of {_shape_text(left)} and {_shape_text(right)}",
                           spec.pos, spec.end)
        if isinstance(left, sp.MatrixBase) and isinstance(right, sp.MatrixBase):
            return sp.Add(*[a * b for a, b in zip(left, right)])  # sum_i a_i b_i
        if left.shape[1] == 1:
            return left.T * right  # a^T b, a 1x1 matrix expression
        if left.shape[0] == 1:
            return left * right.T
        return sp.Trace(left.T * right)

    # -- sums and products ------------------------------------------------------
    def _big_operator(self, node, bindings):
        # SymPy merges nested sums into one Sum with several limits, innermost first
        *inner_limits, (index_symbol, low, high) = node.limits
        body = type(node)(node.function, *inner_limits) if inner_limits else node.function
        index_spec = self.specs.get(getattr(index_symbol, "name", ""))
        if not isinstance(index_spec, _Name):
            raise _Problem("unsupported summation index")
        index = index_spec.name
        low_spec = self.specs.get(getattr(low, "name", ""))
        if isinstance(low_spec, _Marker) and low_spec.kind == "infer-range":
            low, high = self._inferred_range(body, index, low_spec)
        else:
            low = _as_scalar(self.resolve(low, bindings), "a summation limit")
            high = _as_scalar(self.resolve(high, bindings), "a summation limit")
        combine = _sum if isinstance(node, sp.Sum) else _product
        if low.is_Integer and high.is_Integer:
            return self._expand(body, index, int(low), int(high), bindings, combine)
        return self._symbolic(node, body, index, low, high, bindings)

    def _expand(self, body, index, low, high, bindings, combine):
        count = max(0, high - low + 1)
        self.expanded += count
        if self.expanded > MAX_EXPANDED_TERMS:
            raise _Problem(f"sums expand to more than {MAX_EXPANDED_TERMS} terms")
        terms = [self.resolve(body, {**bindings, index: sp.Integer(k)})
                 for k in range(low, high + 1)]
        if not terms:
            return sp.Integer(0 if combine is _sum else 1)
        return combine(terms)

    def _symbolic(self, node, body, index, low, high, bindings):
        symbol = sp.Symbol(index, integer=True)
        value = self.resolve(body, {**bindings, index: symbol})
        if _is_matrix(value):
            raise _Problem("a sum of matrices needs numeric limits")
        return type(node)(value, (symbol, low, high))

    def _inferred_range(self, body, index: str, marker: _Marker):
        lengths = set(self._extents(body, index))
        if not lengths:
            raise _Problem(f"cannot infer the range of the sum over {index}: no declared "
                           f"vector is indexed by {index} (pass shapes=... or write limits)",
                           marker.pos, marker.end)
        if len(lengths) > 1:
            raise _Problem(f"vectors indexed by {index} have different lengths "
                           f"{sorted(map(str, lengths))}", marker.pos, marker.end)
        length = lengths.pop()
        first = sp.Integer(self.decl.index_base)
        return first, first + length - 1

    def _extents(self, tree, index: str):
        for symbol in tree.atoms(sp.Symbol):
            spec = self.specs.get(symbol.name)
            if isinstance(spec, _Element):
                for position, part in enumerate(spec.index):
                    if part == index:
                        yield self.decl.vector_length(spec.base, position, len(spec.index),
                                                      spec.pos, spec.end)
            for nested in _nested_trees(spec) if spec is not None else ():
                yield from self._extents(nested, index)


# ---------------------------------------------------------------------------
# Public entry point
# ---------------------------------------------------------------------------

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
    if not isinstance(text, str):
        raise ParseError(f"expected LaTeX text, got {type(text).__name__}")
    if len(text) > MAX_LATEX_LENGTH:
        raise ParseError(f"LaTeX input of {len(text)} characters exceeds the limit of "
                         f"{MAX_LATEX_LENGTH}")
    try:
        decl = _declare(shapes, functions, variables, assumptions, strict_variables, index_base)
        return _parse(text, decl)
    except _Problem as problem:
        raise _parse_error(text, problem) from None
    except RecursionError:
        raise ParseError("expression too deeply nested", text=text[:80]) from None
    except Exception as exc:  # the contract: nothing but ParseError leaves parse_latex
        raise ParseError(f"cannot parse this formula ({type(exc).__name__}: {exc})",
                         text=text[:80]) from None


def _parse(text: str, decl: _Declarations) -> sp.Basic:
    tokens = _strip_final_punctuation(_drop_formatting(_tokenize(text)))
    _reject_norm_bars(tokens)
    _declare_primed_functions(tokens, decl)
    items = _nest(tokens)
    if not items:
        raise _Problem("empty input", 0, len(text))
    sides, relations = _split_relations(items)
    rewriter = _Rewriter(decl, text)
    trees = [rewriter.fragment(side, *_extent_of(side, text)) for side in sides]
    resolver = _Resolver(decl, rewriter.specs)
    values = [_resolve_side(resolver, tree, side) for tree, side in zip(trees, sides)]
    if not relations:
        return values[0]
    pairs = [_relation(op, left, right, tok)
             for (op, tok), left, right in zip(relations, values, values[1:])]
    return pairs[0] if len(pairs) == 1 else sp.And(*pairs)


def _reject_norm_bars(tokens: list[_Tok]) -> None:
    # ||g|| would read as |(|g|)|: refuse instead of silently taking an absolute value
    for left, right in zip(tokens, tokens[1:]):
        if left.is_char("|") and right.is_char("|") and right.pos == left.end:
            raise _Problem("norms ||x|| are not supported", left.pos, right.end)


def _declare_primed_functions(tokens: list[_Tok], decl: _Declarations) -> None:
    """f'(x) names f a function for the whole formula, so f(x) there is a call too."""
    if decl.strict:
        return
    for k, tok in enumerate(tokens):
        if tok.kind != "letter" and not tok.is_cmd(*_GREEK):
            continue
        j = k + 1
        while j < len(tokens) and tokens[j].is_char("'"):
            j += 1
        primed = j > k + 1 and j < len(tokens) and tokens[j].is_char("(")
        # \sigma'(x) stays the derivative of the default sigmoid
        if primed and not decl.declared(tok.text) and tok.text != "sigma":
            decl.functions[tok.text] = _Fn(tok.text, sp.Function(tok.text, **decl.assumptions),
                                           None)


def _resolve_side(resolver: _Resolver, tree, side: list):
    try:
        return resolver.resolve(tree, {})
    except _Problem as problem:
        if problem.pos is None:
            start, end = _start(side[0]), _end(side[-1])
            raise _Problem(problem.message, start, end) from None
        raise
    except RecursionError:
        raise _Problem("expression too deeply nested", _start(side[0]), _end(side[-1])) from None
    except Exception as exc:  # SymPy's ShapeError, IndexError of a MatrixSymbol...
        raise _Problem(f"invalid expression: {exc}", _start(side[0]), _end(side[-1])) from None


def _extent_of(side: list, text: str) -> tuple[int, int]:
    return (_start(side[0]), _end(side[-1])) if side else (0, len(text))


def _relation_of(item) -> str | None:
    if not isinstance(item, _Tok):
        return None
    if item.kind == "char" and item.text in "=<>":
        return _RELATIONS[item.text]
    if item.kind == "cmd" and item.text in _RELATIONS:
        return _RELATIONS[item.text]
    return None


def _split_relations(items: list) -> tuple[list[list], list[tuple[str, _Tok]]]:
    """Split at top-level = < > \\le ... (and :=); both sides of each are kept."""
    sides, relations, current = [], [], []
    k = 0
    while k < len(items):
        item = items[k]
        if isinstance(item, _Tok) and item.is_char(":") and k + 1 < len(items) \
                and isinstance(items[k + 1], _Tok) and items[k + 1].is_char("="):
            item, k = _Tok("char", "=", item.pos, 2), k + 1  # :=
        op = _relation_of(item)
        if op is None:
            current.append(item)
        else:
            if not current:
                raise _Problem("missing left-hand side of a relation", item.pos, item.end)
            sides.append(current)
            relations.append((op, item))
            current = []
        k += 1
    if relations and not current:
        tok = relations[-1][1]
        raise _Problem("missing right-hand side of a relation", tok.pos, tok.end)
    sides.append(current)
    return sides, relations


def _relation(op: str, left, right, tok: _Tok):
    try:
        return getattr(sp, op)(left, right, evaluate=False)
    except (TypeError, ValueError) as exc:
        raise _Problem(f"cannot relate {_shape_text(left)} and {_shape_text(right)}: {exc}",
                       tok.pos, tok.end) from None
