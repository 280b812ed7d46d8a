r"""The one place where ``symdiff check`` reads and checks a statement: the bridge to the LaTeX front end.

The document layer hands over one statement's text (``a = b = c``, macros
expanded, ``&`` dropped) and gets back its *links*: a definition, an identity
claim or a derivative claim for each ``=``, with the offset of that ``=`` in
the text.  ``check_link`` then decides one link in a worker process, given the
definitions, variables and conditions in force (plain data, so it pickles and
caches).

Formulas are read by ``symdiff.parse_latex`` and decided by ``symdiff.verify``
/ ``symdiff.verify_identity``.  What this module does itself is only the shape
of a statement: where its top-level relations are (with pylatexenc's walker)
and what its left side says (a defined name ``f(x)``, ``J``; a derivative
``\phi'(u)``, ``\frac{\partial J}{\partial a}``, ``\frac{d}{dx} f``,
``\nabla_{\beta} Q``, ``\partial_x f``).  Anything else it does not recognise
is ``skipped`` or, if a formula does not parse, ``unreadable``; nothing is
guessed into a verdict.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from pylatexenc.latexwalker import (LatexCharsNode, LatexGroupNode, LatexMacroNode, LatexWalker,
                                    LatexWalkerError)

__all__ = ["Link", "read_statement", "check_link", "ADAPTER_VERSION", "StatementSkipped", "definition_key"]

# part of every cache key: a change of the reading or checking machinery invalidates old verdicts
ADAPTER_VERSION = "latex_readings+verify/2"
MAX_READINGS = 4          # combinations of readings of the two sides that are checked

_RELATIONS = {"<", ">"}
_RELATION_MACROS = {"le", "ge", "leq", "geq", "leqslant", "geqslant", "neq", "ne", "in", "notin", "subset",
                    "subseteq", "approx", "sim", "simeq", "propto", "to", "mapsto", "gets", "ll", "gg",
                    "Rightarrow", "implies", "iff", "Leftrightarrow", "cong", "supset", "lt", "gt"}
_EQUALS_MACROS = {"equiv", "coloneqq", "triangleq", "eqqcolon", "stackrel", "overset"}
_DEFINES = {":=", "\\coloneqq", "\\equiv", "\\triangleq"}


class StatementSkipped(Exception):
    """Not a claim (an inequality, a set, prose math): reported as ``skipped`` with the reason."""


@dataclass
class Link:
    """One ``=`` of a statement."""

    kind: str                      # 'definition' | 'identity' | 'derivative'
    latex: str                     # 'lhs = rhs' as written (macros expanded)
    offset: int                    # index of the '=' in the statement text
    lhs: str
    rhs: str
    name: str = ""                 # definition: the defined name; derivative: what is differentiated
    params: tuple = ()             # definition: parameter names; derivative: the call's arguments
    wrt: str = ""                  # derivative: the variable
    conditions: list = field(default_factory=list)   # side conditions written in the statement


# ---------------------------------------------------------------------------
# Shape of a statement
# ---------------------------------------------------------------------------

def _top_relations(text: str) -> list[tuple[int, int, str]]:
    """(start, end, relation) of each top-level relation; braces hide what is inside them."""
    try:
        nodes, _, _ = LatexWalker(text, tolerant_parsing=True).get_latex_nodes()
    except LatexWalkerError:
        return []
    found = []
    for node in nodes or []:
        if isinstance(node, LatexCharsNode):
            chars = node.chars
            i = 0
            while i < len(chars):
                ch = chars[i]
                if ch == ":" and chars[i + 1:i + 2] == "=":
                    found.append((node.pos + i, node.pos + i + 2, ":="))
                    i += 2
                    continue
                if ch == "=" or ch in _RELATIONS:
                    found.append((node.pos + i, node.pos + i + 1, ch))
                elif ch == "!" and chars[i + 1:i + 2] == "=":
                    found.append((node.pos + i, node.pos + i + 2, "!="))
                    i += 1
                i += 1
        elif isinstance(node, LatexMacroNode) and (node.macroname in _RELATION_MACROS
                                                   or node.macroname in _EQUALS_MACROS):
            found.append((node.pos, node.pos + node.len, "\\" + node.macroname))
    return found


def _side_conditions(text: str) -> tuple[str, list[str]]:
    r"""Split off ``, \quad x > 0`` pieces (joined by the document layer) as conditions."""
    parts = text.split(", \\quad ")
    main, conditions = parts[0], []
    for p in parts[1:]:
        p = p.strip().strip(",.;")
        if p.startswith("(") and p.endswith(")"):
            p = p[1:-1]
        conditions.append(p)
    return main, conditions


def _strip(text: str) -> str:
    """A side without its trailing punctuation and spacing (``.``, ``,``, ``\\,``, ``\\quad``)."""
    t = text.strip()
    while True:
        for tail in ("\\,", "\\;", "\\:", "\\!", "\\ ", "\\quad", "\\qquad", ".", ",", ";"):
            if t.endswith(tail) and not (len(tail) == 1 and t.endswith("\\" + tail)):
                t = t[:-len(tail)].rstrip()
                break
        else:
            return t


def _nodes(text: str):
    try:
        nodes, _, _ = LatexWalker(text, tolerant_parsing=True).get_latex_nodes()
    except LatexWalkerError:
        return []
    return [n for n in nodes or [] if n is not None and not (isinstance(n, LatexCharsNode) and not n.chars.strip())]


def _inner(node) -> str:
    text = node.latex_verbatim()
    if isinstance(node, LatexGroupNode):
        return text[1:-1].strip()
    return text.strip()


def _name_and_args(text: str):
    r"""``f``, ``\phi``, ``J_1``, ``f(x)``, ``h(a, b)`` -> (name, args) ; None if not of that form."""
    t = text.strip()
    args: tuple = ()
    if t.endswith(")") and "(" in t:
        head, _, rest = t.partition("(")
        inner = rest[:-1]
        if "(" in inner or ")" in inner:
            return None
        args = tuple(a.strip() for a in inner.split(",")) if inner.strip() else ()
        if not all(_is_plain_name(a) for a in args):
            return None
        t = head.strip()
    return (t, args) if _is_plain_name(t) else None


_DECORATED = re.compile(r"\\([A-Za-z]+)\s*\{\s*\\?[A-Za-z][A-Za-z0-9]*\s*\}(_\{?[A-Za-z0-9]+\}?)?")


def _is_plain_name(t: str) -> bool:
    t = t.strip()
    if not t:
        return False
    decorated = _DECORATED.fullmatch(t)
    if decorated:   # \mathbf{w}, \hat{y}, \operatorname{loss}: the decorations of the names table
        from ..latex.names import DECORATION_PREFIX, DECORATION_TRANSPARENT, WORD_COMMANDS
        return decorated.group(1) in set(DECORATION_PREFIX) | DECORATION_TRANSPARENT | WORD_COMMANDS
    base, _, sub = t.partition("_")
    if sub and not (sub.isalnum() or (sub.startswith("{") and sub.endswith("}") and sub[1:-1].isalnum())):
        return False
    if base.startswith("\\"):
        return base[1:].isalpha() and base[1:] not in {"frac", "partial", "nabla", "sum", "prod", "int", "log",
                                                       "exp", "sin", "cos", "tan", "tanh", "ln", "sqrt"}
    return len(base) == 1 and base.isalpha()


def _derivative(lhs: str):
    r"""(name or expression, call arguments, wrt) of a derivative left side, or None."""
    t = lhs.strip()
    for prime in ("'", "^{\\prime}", "^\\prime"):
        head, sep, tail = t.partition(prime)
        if sep and _is_plain_name(head):
            tail = tail.strip()
            if not tail:
                return head.strip(), (), ""
            parsed = _name_and_args(head + tail)
            if parsed and len(parsed[1]) == 1:
                return head.strip(), parsed[1], parsed[1][0]
            return None
    nodes = _nodes(t)
    if not nodes:
        return None
    first = nodes[0]
    if isinstance(first, LatexMacroNode) and first.macroname in ("frac", "dfrac", "tfrac") and first.nodeargd:
        num, den = [a for a in first.nodeargd.argnlist if a is not None][:2]
        num, den = _inner(num), _inner(den)
        for d in ("\\partial", "d", "\\mathrm{d}", "\\operatorname{d}"):
            if den.startswith(d) and (num == d or num.startswith(d + " ") or num.startswith(d + "{")
                                      or (d == "d" and num.startswith("d")) or num.startswith(d)):
                wrt = den[len(d):].strip()
                subject = num[len(d):].strip()
                rest = t[first.pos + first.len:].strip()
                if subject and rest:
                    return None
                subject = subject or rest
                if subject.startswith("{") and subject.endswith("}"):
                    subject = subject[1:-1].strip()
                if _is_plain_name(wrt) and subject:
                    return subject, (), wrt
        return None
    if isinstance(first, LatexMacroNode) and first.macroname in ("nabla", "partial"):
        rest = t[first.pos + first.len:].lstrip()
        if not rest.startswith("_"):
            return None
        rest = rest[1:].lstrip()
        if rest.startswith("{"):
            depth = 0
            for i, ch in enumerate(rest):
                depth += ch == "{"
                depth -= ch == "}"
                if depth == 0:
                    wrt, subject = rest[1:i].strip(), rest[i + 1:].strip()
                    break
            else:
                return None
        elif rest.startswith("\\"):
            j = 1
            while j < len(rest) and rest[j].isalpha():
                j += 1
            wrt, subject = rest[:j], rest[j:].strip()
        else:
            wrt, subject = rest[:1], rest[1:].strip()
        if _is_plain_name(wrt) and subject:
            return subject, (), wrt
    return None


def read_statement(text: str, defined: set[str], declared: set[str]) -> list[Link]:
    """The links of one statement, or ``StatementSkipped``.  ``defined``: names defined so far."""
    main, conditions = _side_conditions(text)
    relations = _top_relations(main)
    if not relations:
        raise StatementSkipped("no relation: not a claim")
    others = [r for r in relations if r[2] not in ("=", ":=") and r[2][1:] not in _EQUALS_MACROS]
    if others:
        raise StatementSkipped(f"a relation {others[0][2]} other than '=': not an identity or derivative claim")
    members, start = [], 0
    for s, e, _ in relations:
        members.append((main[start:s], s))
        start = e
    members.append((main[start:], None))
    members = [(_strip(m), s) for m, s in members]
    if any(not m for m, _ in members):
        raise StatementSkipped("an empty side of '='")
    links = []
    first = members[0][0]
    head = _name_and_args(first)
    deriv = None if head else _derivative(first)
    for k in range(len(members) - 1):
        lhs, at = members[k]
        rhs = members[k + 1][0]
        latex = f"{lhs} = {rhs}"
        if k == 0 and head and (head[0] not in defined or relations[0][2] != "=") and head[0] not in declared \
                and len(set(head[1])) == len(head[1]):
            links.append(Link("definition", latex, at, lhs, rhs, name=head[0], params=head[1],
                              conditions=conditions))
        elif k == 0 and deriv:
            subject, args, wrt = deriv
            links.append(Link("derivative", latex, at, first, rhs, name=subject, params=args, wrt=wrt,
                              conditions=conditions))
        else:
            links.append(Link("identity", latex, at, lhs, rhs, conditions=conditions))
    return links


def definition_key(link: Link) -> str:
    return link.name


# ---------------------------------------------------------------------------
# Checking one link (in a worker)
# ---------------------------------------------------------------------------

def _plain(name: str) -> str:
    """The symbol name parse_latex gives a LaTeX name (\\phi -> phi, \\mathbf{w} -> w, J_{1} -> J_1)."""
    from ..latex.names import normalize_name
    try:
        name = normalize_name(" ".join(name.split()).replace("{ ", "{").replace(" }", "}"))
    except Exception:   # not a declared-name spelling: keep it, the reader will say what is wrong
        pass
    t = name.strip().replace("{", "").replace("}", "")
    return t[1:] if t.startswith("\\") else t


def _parse_options(variables: dict) -> dict:
    shapes = {_plain(k): tuple(v) for k, v in variables.items() if tuple(v) != ()}
    scalars = {_plain(k) for k, v in variables.items() if tuple(v) == ()}
    options = {}
    if shapes:
        options["shapes"] = shapes
    if scalars:
        options["variables"] = scalars
    return options


class _Context:
    """Definitions read in order: functions become Lambdas, constants are substituted."""

    def __init__(self, definitions: list, variables: dict):
        import sympy as sp
        from ..latex import parse_latex

        self.sp, self.parse_latex = sp, parse_latex
        self.options = _parse_options(variables)
        self.functions: dict = {}
        self.constants: dict = {}
        for name, params, rhs in definitions:
            readings = self.readings(rhs)
            if len(readings) > 1:
                raise AmbiguousReading(f"the definition of {name} can be read {len(readings)} ways: "
                                       + "; ".join(_describe(r) for r in readings))
            value = readings[0].value
            if params:
                symbols = [sp.Symbol(_plain(p), real=True) for p in params]
                self.functions[_plain(name)] = sp.Lambda(tuple(symbols), value)
            else:
                self.constants[sp.Symbol(_plain(name), real=True)] = value

    def parse(self, text: str):
        return self.readings(text)[0].value

    def readings(self, text: str) -> list:
        """Every reading of ``text`` (``latex_readings``), the usual one first, definitions substituted."""
        from ..latex import Reading, latex_readings
        options = dict(self.options)
        if self.functions:
            options["functions"] = dict(self.functions)
        out = []
        for reading in latex_readings(text, **options):
            value = reading.value
            if self.constants and hasattr(value, "xreplace"):
                value = value.xreplace(self.constants)
            out.append(Reading(value, reading.choices))
        return out

    def subject(self, name: str, args: tuple, wrt: str):
        """What a derivative's subject stands for, as a function of ``wrt``."""
        sp = self.sp
        key = _plain(name)
        if key in self.functions:
            fn = self.functions[key]
            if args:
                return fn(*[sp.Symbol(_plain(a), real=True) for a in args])
            if not wrt or any(v.name == _plain(wrt) for v in fn.variables):
                return fn.expr                       # f' or df/dw of f(w, b): f in its own parameters
            if len(fn.variables) == 1:               # \frac{d}{dx} f with f(u) defined: f(x)
                return fn(sp.Symbol(_plain(wrt), real=True))
            return None
        return _read_side(self, name, "expression differentiated")[0].value


def _where(conditions: list, variables: dict):
    """Directive / side conditions for verify: relations as text, structure phrases as markers."""
    import sympy as sp
    from .. import verifier
    from ..latex import parse_latex

    out = []
    markers = {"symmetric": verifier.symmetric, "spd": verifier.spd, "invertible": verifier.invertible,
               "orthogonal": verifier.orthogonal, "simplex": verifier.simplex, "onehot": verifier.onehot,
               "pm1": verifier.pm1}
    options = _parse_options(variables)
    for c in conditions:
        words = c.split()
        if len(words) == 2 and words[1] in markers:
            name = _plain(words[0])
            shape = next((tuple(v) for k, v in variables.items() if _plain(k) == name), ())
            if len(shape) == 2:
                rows, cols = (sp.Symbol(str(s), integer=True, positive=True) if isinstance(s, str) else s
                              for s in shape)
                out.append(markers[words[1]](sp.MatrixSymbol(name, rows, cols)))
            elif len(shape) == 1 and isinstance(shape[0], int):
                out.append(markers[words[1]]([sp.Symbol(f"{name}_{i}", real=True) for i in range(shape[0])]))
            else:
                out.append(markers[words[1]](name))
        else:
            out.append(parse_latex(c, **options))
    return out


def check_link(job: dict) -> dict:
    """Decide one link; returns plain data (status, explanation, counterexample, read_as)."""
    from ..errors import ParseError, SymdiffError
    from ..latex import Reading
    from ..latex.printer import expr_latex
    from ..verifier import verify, verify_identity

    link = job["link"]
    budget, seed = job.get("budget", 10.0), job.get("seed", 0)
    try:
        context = _Context(job["definitions"], job["variables"])
        where = _where(job["conditions"] + list(link["conditions"]), job["variables"])
        if link["kind"] == "derivative":
            f = context.subject(link["name"], tuple(link["params"]), link["wrt"])
            wrt = _wrt(_plain(link["wrt"]), job["variables"])
            if f is None:
                return _result("undetermined", f"cannot tell which variable {link['name']} is differentiated by")
            lefts = [Reading(f)]
        else:
            lefts = _read_side(context, link["lhs"], "left side")
        rights = _read_side(context, link["rhs"], "right side")
        outcomes = []
        for left, right in itertools.islice(itertools.product(lefts, rights), MAX_READINGS):
            if link["kind"] == "derivative":
                verdict = verify(left.value, wrt, right.value, where=_relevant(where, left.value, right.value),
                                 budget=budget, seed=seed)
                read_as = (rf"\frac{{\partial}}{{\partial {_plain(link['wrt'])}}}"
                           rf"\left({expr_latex(left.value)}\right) = {expr_latex(right.value)}")
            else:
                verdict = verify_identity(left.value, right.value,
                                          where=_relevant(where, left.value, right.value), budget=budget, seed=seed)
                read_as = f"{expr_latex(left.value)} = {expr_latex(right.value)}"
            outcomes.append((verdict, read_as, left.choices + right.choices))
    except AmbiguousReading as exc:
        return _result("undetermined", str(exc))
    except ParseError as exc:
        where = getattr(exc, "side", "")
        return _result("unreadable", f"cannot parse {where or 'a definition it uses'}: {_located(exc)}")
    except SymdiffError as exc:
        return _result("undetermined", f"cannot check: {exc}")
    except RecursionError:
        return _result("undetermined", "cannot check: the formula is nested too deeply")
    return _decide_readings(outcomes)


def _decide_readings(outcomes: list) -> dict:
    """One verdict when every reading gives the same; otherwise undetermined, naming the readings."""
    verdict, read_as, _ = outcomes[0]
    if len(outcomes) == 1 or len({_verdict_class(v) for v, _, _ in outcomes}) == 1:
        if len(outcomes) > 1:
            read_as += f" (and {len(outcomes) - 1} other reading{'s' * (len(outcomes) > 2)} with the same verdict)"
        return _result(verdict.status, verdict.explanation, _plain_data(verdict.counterexample), read_as)
    described = "; ".join(f"read as {r}{' (' + ', '.join(c) + ')' if c else ''}: {v.status}"
                          for v, r, c in outcomes)
    return _result("undetermined", f"the formula can be read in {len(outcomes)} ways that disagree: {described}",
                   None, " | ".join(r for _, r, _ in outcomes))


def _verdict_class(verdict) -> str:
    return "holds" if verdict.status in ("proved", "consistent") else verdict.status


class AmbiguousReading(Exception):
    """A definition that can be read several ways: claims using it are not decided."""


def _describe(reading) -> str:
    from ..latex.printer import expr_latex
    how = ", ".join(reading.choices) if reading.choices else "the usual reading"
    return f"{expr_latex(reading.value)} ({how})"


def _read_side(context, text: str, side: str):
    from ..errors import ParseError
    try:
        return context.readings(text)
    except ParseError as exc:
        exc.side = f"the {side} {text!r}"
        raise


def _located(exc) -> str:
    """The parser's message, its position given within the side it read."""
    message = str(exc)
    prefix = ", ".join(p for p in (f"line {exc.line}" if exc.line is not None else "",
                                   f"column {exc.column}" if exc.column is not None else "") if p)
    if prefix and message.startswith(prefix + ": "):
        message = message[len(prefix) + 2:]
        if exc.column is not None:
            message += f" (at column {exc.column})"
    return message


def _wrt(name: str, variables: dict):
    """The variable as verify takes it: a name, the entries of a declared vector, or a matrix symbol."""
    import sympy as sp
    shape = next((tuple(v) for k, v in variables.items() if _plain(k) == name), ())
    if len(shape) == 1 and isinstance(shape[0], int):
        return [sp.Symbol(f"{name}_{i}", real=True) for i in range(shape[0])]   # parse_latex's entry names
    if shape:
        rows, cols = (sp.Symbol(str(d), integer=True, positive=True) if isinstance(d, str) else d
                      for d in (shape if len(shape) == 2 else (shape[0], 1)))
        return sp.MatrixSymbol(name, rows, cols)
    return name


def _relevant(where: list, *exprs) -> list:
    """The conditions on the claim's own variables (a 'where x > 0' in force says nothing about h(a, b))."""
    names = set()
    for e in exprs:
        names |= {str(s) for s in getattr(e, "free_symbols", ())}
    out = []
    for cond in where:
        marked = getattr(cond, "names", None)           # a structure marker names its variables
        symbols = {str(s) for s in getattr(cond, "free_symbols", ())} if marked is None else set(marked)
        if not symbols or symbols & names:
            out.append(cond)
    return out


def _result(status, explanation, counterexample=None, read_as=None) -> dict:
    return {"status": status, "explanation": explanation, "counterexample": counterexample, "read_as": read_as}


def _plain_data(value):
    """A counterexample as JSON-able data (SymPy numbers become strings or floats)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {str(k): _plain_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_data(v) for v in value]
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)
