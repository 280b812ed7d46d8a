"""The one table of names: LaTeX spellings of functions, Greek letters and decorations
<-> the symbol and function names symdiff uses (``\\operatorname{tg}`` -> tan, ``\\hat{y}`` -> hat_y)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import sympy as sp
from latex2sympy2_extended.symbols import GREEK_LETTER_MAP

from ..functions import leaky_relu, relu, sigmoid, softplus, softsign
from .base import Problem, is_matrix
from .vectors import diag, softmax

UNICODE_GREEK = {ch: name for ch, name in GREEK_LETTER_MAP.items() if len(ch) == 1}
GREEK = set(GREEK_LETTER_MAP.values()) | {"varsigma", "varkappa", "digamma"}

@dataclass(frozen=True)
class Fn:
    """A function the parser can call: ``apply`` takes SymPy scalars."""

    name: str
    apply: Callable
    arity: int | None = 1        # None: any number of arguments
    inverse: str | None = None   # builtin name that f^{-1} means
    kind: str = "elementwise"    # "elementwise" | "reduce" (max/min) | "matrix" (tr/det)
    value: object = None         # what the bare name means (a defined f used without arguments)


def _trace(m):
    return sp.Trace(m) if is_matrix(m) else m


def _det(m):
    return sp.Determinant(m) if is_matrix(m) else m


BUILTINS: dict[str, Fn] = {f.name: f for f in [
    Fn("sin", sp.sin, inverse="arcsin"), Fn("cos", sp.cos, inverse="arccos"),
    Fn("tan", sp.tan, inverse="arctan"), Fn("cot", sp.cot, inverse="arccot"),
    Fn("sec", sp.sec, inverse="arcsec"), Fn("csc", sp.csc, inverse="arccsc"),
    Fn("arcsin", sp.asin), Fn("arccos", sp.acos), Fn("arctan", sp.atan),
    Fn("arccot", sp.acot), Fn("arcsec", sp.asec), Fn("arccsc", sp.acsc),
    Fn("sinh", sp.sinh, inverse="arsinh"), Fn("cosh", sp.cosh, inverse="arcosh"),
    Fn("tanh", sp.tanh, inverse="artanh"), Fn("coth", sp.coth, inverse="arcoth"),
    Fn("arsinh", sp.asinh), Fn("arcosh", sp.acosh), Fn("artanh", sp.atanh),
    Fn("arcoth", sp.acoth), Fn("sech", sp.sech), Fn("csch", sp.csch),
    Fn("exp", sp.exp, inverse="log"), Fn("log", sp.log, inverse="exp"),
    Fn("lg", lambda x: sp.log(x, 10)),
    Fn("sign", sp.sign), Fn("abs", sp.Abs), Fn("sqrt", sp.sqrt),
    Fn("max", sp.Max, arity=None, kind="reduce"), Fn("min", sp.Min, arity=None, kind="reduce"),
    Fn("tr", _trace, kind="matrix"), Fn("det", _det, kind="matrix"),
    Fn("sigmoid", sigmoid), Fn("softplus", softplus), Fn("softsign", softsign),
    Fn("relu", relu), Fn("leakyrelu", leaky_relu, arity=2),
    Fn("softmax", softmax, kind="matrix"), Fn("diag", diag, kind="matrix"),
    # activations of the ML tables, as their defining formulas (alpha = 1 for ELU; GELU is the exact
    # x Phi(x), not its tanh approximation)
    Fn("elu", lambda x: sp.Piecewise((x, x > 0), (sp.exp(x) - 1, True))),
    Fn("gelu", lambda x: x * (1 + sp.erf(x / sp.sqrt(2))) / 2),
    Fn("silu", lambda x: x * sigmoid(x)), Fn("mish", lambda x: x * sp.tanh(softplus(x))),
    Fn("erf", sp.erf),
]}
_ALIASES = {
    "tg": "tan", "ctg": "cot", "arctg": "arctan", "arcctg": "arccot", "sh": "sinh",
    "ch": "cosh", "th": "tanh", "cth": "coth", "arsh": "arsinh", "arch": "arcosh",
    "arth": "artanh", "arcsinh": "arsinh", "arccosh": "arcosh", "arctanh": "artanh",
    "ln": "log", "sgn": "sign", "trace": "tr", "lrelu": "leakyrelu", "logistic": "sigmoid",
    "swish": "silu",
}
# Function commands of LaTeX (and of babel-russian: \tg, \arctg, \sh...).
FUNCTION_COMMANDS = {
    "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "arccot",
    "sinh", "cosh", "tanh", "coth", "exp", "log", "ln", "max", "min", "det", "sgn", "sign",
    "tg", "ctg", "arctg", "arcctg", "sh", "ch", "th", "cth", "arcsinh", "arccosh", "arctanh", "lg",
}
# Words written in plain letters that are calls when followed by "(".
BARE_FUNCTION_WORDS = {
    "sign", "sgn", "tg", "ctg", "arctg", "arcctg", "exp", "log", "ln", "max", "min", "sin",
    "cos", "tan", "tanh", "arctan", "sigmoid", "softplus", "softsign", "relu", "ReLU",
    "softmax", "diag", "ELU", "GELU", "SiLU", "Swish", "Mish", "erf", "elu", "gelu", "silu", "swish", "mish",
}


def builtin(name: str) -> Fn | None:
    key = name.replace("_", "").replace("-", "").replace(" ", "")
    if key not in BUILTINS and key not in _ALIASES:
        key = key.lower()
    return BUILTINS.get(_ALIASES.get(key, key))


def declared_function(name: str, value) -> Fn:
    if isinstance(value, Fn):
        return value
    if isinstance(value, str):
        fn = builtin(value)
        if fn is None:
            raise Problem(f"functions[{name!r}]: unknown builtin function {value!r}")
        return fn
    if callable(value):  # a SymPy function class, a Lambda or a Python callable
        nargs = getattr(value, "nargs", None)
        arity = next(iter(nargs)) if isinstance(nargs, sp.FiniteSet) and len(nargs) == 1 else None
        return Fn(name, value, arity)
    raise Problem(f"functions[{name!r}] must be a SymPy function, a Lambda, a callable "
                   f"or a builtin name, got {type(value).__name__}")


# ---------------------------------------------------------------------------
# Declarations
# ---------------------------------------------------------------------------

DECORATION_PREFIX = {
    "hat": "hat", "widehat": "hat", "bar": "bar", "overline": "bar", "tilde": "tilde",
    "widetilde": "tilde", "dot": "dot", "ddot": "ddot", "check": "check", "breve": "breve",
    "acute": "acute", "grave": "grave", "mathring": "ring", "mathcal": "cal",
    "mathscr": "scr", "mathfrak": "frak",
}
DECORATION_TRANSPARENT = {"vec", "overrightarrow", "mathbf", "boldsymbol", "bm", "mathbfit"}
WORD_COMMANDS = {"operatorname", "mathrm", "text", "mathit", "textrm", "textit", "mathsf",
                  "textsf", "texttt", "mathtt", "textnormal", "mathnormal", "textbf"}
_NAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9{},]+)*$")


def normalize_name(key) -> str:
    r"""``"\hat{y}"`` -> ``"hat_y"``, ``"\sigma"`` -> ``"sigma"``; others unchanged."""
    if not isinstance(key, str):
        raise Problem(f"declared names must be strings, got {key!r}")
    name = key.strip()
    decorated = re.fullmatch(r"\\([A-Za-z]+)\{\\?([A-Za-z0-9_]+)\}(.*)", name)
    if decorated and decorated.group(1) in DECORATION_PREFIX:
        name = f"{DECORATION_PREFIX[decorated.group(1)]}_{decorated.group(2)}{decorated.group(3)}"
    elif decorated and decorated.group(1) in DECORATION_TRANSPARENT | WORD_COMMANDS:
        name = decorated.group(2) + decorated.group(3)
    # a layer index W^{(1)}, W^{[1]} is part of the name: W1
    name = re.sub(r"\^\{?[(\[]\s*([A-Za-z0-9]+)\s*[)\]]\}?$", r"\1", name)
    name = name.lstrip("\\")
    if not _NAME_PATTERN.match(name):
        raise Problem(f"invalid declared name {key!r}")
    return name


def dimension(name: str, entry, dims: dict[str, sp.Symbol]):
    if isinstance(entry, bool):
        raise Problem(f"shape of {name!r}: {entry!r} is not a size")
    if isinstance(entry, int):
        if entry < 1:
            raise Problem(f"shape of {name!r}: size {entry} is not positive")
        return sp.Integer(entry)
    if isinstance(entry, str):
        dim = normalize_name(entry)
        return dims.setdefault(dim, sp.Symbol(dim, integer=True, positive=True))
    if isinstance(entry, sp.Expr) and entry.is_integer is not False:
        for s in entry.free_symbols:
            dims.setdefault(s.name, s)
        return entry
    raise Problem(f"shape of {name!r}: {entry!r} must be an int or a symbol name")
