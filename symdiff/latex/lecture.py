r"""The derivation files' chains and lecture notation, rewritten before ``parse_latex`` reads them.

``LatexReader.parse`` takes one formula of a derivation file and returns the
members of its chain ``a = b = c`` as SymPy objects.  Before ``parse_latex``
sees the text, this module

* splits the chain at the top-level ``=`` signs;
* drops the lecture's annotations: shape subscripts ``B_{[k,m]}`` (checked
  against the declared shape), iterate superscripts ``w^{[k]}`` and object
  subscripts ``x_{(k)}``;
* expands argument lists ``x_1, \ldots, x_n`` of declared vectors and
  excluded-index products and sums ``\prod_{j \neq 2} x_j`` (one factor);
* turns ``\operatorname{soft-arg-max}`` into the name ``softargmax`` (hyphens and
  underscores dropped), so the printed names can be declared;
* replaces what ``parse_latex`` has no notation for by placeholders, parsed
  here and substituted afterwards: ``\begin{cases}`` (a ``Piecewise``), Iverson
  brackets ``[x > 0]`` and indicators ``I[i = j]`` (1 or 0), the logic
  operators ``\land \wedge \lor \vee \oplus \neg \lnot`` on 0/1 values, norms
  ``\|v\|`` / ``||v||`` (the Euclidean length) and Leibniz derivatives
  ``\frac{\partial E}{\partial P}`` (resolved by the caller: the loader knows
  the computation graph).

Nothing is executed; every piece ends in ``parse_latex``.  Errors are
``ParseError``s naming the construct.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Callable

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..errors import ParseError
from .names import WORD_COMMANDS
from .parse import parse_latex
from .rewrite import RELATIONS

__all__ = ["LatexReader", "split_chain", "split_top", "instantiate", "tokenize"]

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\s+|.", re.S)
_OPEN = {"{": "}", "(": ")", "[": "]"}
_CLOSE = {v: k for k, v in _OPEN.items()}
# the shared tables of the front end, in this module's spelling (with the backslash)
_WORD_COMMANDS = {"\\" + name for name in WORD_COMMANDS} | {r"\mathbf"}
_RELATIONS = {"=", "<", ">"} | {"\\" + name for name in RELATIONS if name.isalpha()}
_LOGIC_BINARY = {r"\oplus": "lxor", r"\lor": "lor", r"\vee": "lor", r"\land": "land", r"\wedge": "land"}
_LOGIC_PRECEDENCE = ("lxor", "lor", "land")   # lowest first
_LOGIC_NOT = {r"\neg", r"\lnot"}
_DOTS = {r"\ldots", r"\dots", r"\cdots"}


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _is_letter(tok: str) -> bool:
    return len(tok) == 1 and tok.isascii() and tok.isalpha()


def _is_space(tok: str) -> bool:
    return tok.isspace()


def _match(toks: list[str], k: int) -> int:
    """Index of the bracket closing the one at ``k`` (same kind; \\left/\\right are transparent)."""
    opener = toks[k]
    closer = _OPEN[opener]
    depth = 0
    for j in range(k, len(toks)):
        if toks[j] == opener:
            depth += 1
        elif toks[j] == closer:
            depth -= 1
            if depth == 0:
                return j
    raise ParseError(f"unbalanced {opener!r} in {''.join(toks)!r}")


def _depths(toks: list[str]) -> list[int]:
    """Bracket depth of each token (any of {} () []), and environments count as depth."""
    out, depth = [], 0
    for t in toks:
        if t in _CLOSE:
            depth -= 1
        out.append(depth)
        if t in _OPEN:
            depth += 1
        if t == r"\begin":
            depth += 1
        elif t == r"\end":
            depth -= 1
    return out


def _next_nonspace(toks, k):
    k += 1
    while k < len(toks) and _is_space(toks[k]):
        k += 1
    return k


def _prev_nonspace(toks, k):
    k -= 1
    while k >= 0 and _is_space(toks[k]):
        k -= 1
    return k


# ---------------------------------------------------------------------------
# Chains and index instantiation (plain text operations)
# ---------------------------------------------------------------------------

def split_chain(text: str) -> list[str]:
    """``a = b = c`` -> ``['a', 'b', 'c']``: only '=' at bracket depth 0, outside environments."""
    toks = tokenize(text)
    depths = _depths(toks)
    parts, current = [], []
    for k, (t, d) in enumerate(zip(toks, depths)):
        if t == "=" and d == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(t)
    parts.append("".join(current).strip())
    if any(not p for p in parts):
        raise ParseError(f"an empty side in {text.strip()!r}")
    return parts


def instantiate(text: str, values: dict[str, int]) -> str:
    """Replace free index letters (``i`` in ``y_i``, ``I[i = j]``, ``\\neq i``) by their values.

    A letter is an index where it stands alone: not next to another letter (so
    the ``i`` of ``sign`` stays), and not inside ``\\operatorname{...}`` or ``\\text{...}``.
    """
    if not values:
        return text
    toks = tokenize(text)
    out = list(toks)
    k = 0
    while k < len(toks):
        t = toks[k]
        if t in _WORD_COMMANDS:
            j = _next_nonspace(toks, k)
            if j < len(toks) and toks[j] == "{":
                k = _match(toks, j) + 1
                continue
        if _is_letter(t) and t in values:
            before = toks[k - 1] if k > 0 else ""
            after = toks[k + 1] if k + 1 < len(toks) else ""
            if not _is_letter(before) and not _is_letter(after) and not before.startswith("\\"):
                out[k] = str(values[t])
            elif not _is_letter(after) and before.startswith("\\") and len(before) == 2:
                out[k] = str(values[t])   # after a control symbol such as "\,"
        k += 1
    return "".join(out)


# ---------------------------------------------------------------------------
# The reader
# ---------------------------------------------------------------------------

@dataclass
class ShapeNote:
    """A shape annotation ``B_{[k,m]}`` found in a formula."""

    name: str
    dims: tuple[str, ...]
    transposed: bool


@dataclass
class LatexReader:
    """Parses formulas of one derivation file with its declarations.

    ``shapes``/``variables``/``functions``/``index_base`` go to ``parse_latex``
    (``strict_variables=True``: every name must be declared).  ``vector_length``
    maps a vector name to its length (for ``\\ldots`` and excluded indices).
    ``leibniz(numerator, denominator)`` resolves ``\\frac{\\partial A}{\\partial B}``.
    ``postprocess(expr)`` runs on every parsed value (scalarizing, ...).
    """

    shapes: dict = field(default_factory=dict)
    variables: set = field(default_factory=set)
    functions: dict = field(default_factory=dict)
    index_base: int = 1
    vector_length: dict = field(default_factory=dict)
    leibniz: Callable | None = None
    postprocess: Callable | None = None
    matrix_functions: dict = field(default_factory=dict)   # name -> constructor of a matrix node
    shape_notes: list = field(default_factory=list)

    # -- public --------------------------------------------------------------
    def parse(self, text: str) -> list:
        """The members of the chain in ``text``, each parsed (one member: a list of one)."""
        return [self.parse_one(part) for part in split_chain(text)]

    def parse_one(self, text: str, state: "_State | None" = None):
        state = _State() if state is None else state
        toks = tokenize(text)
        toks = self._strip_annotations(toks)
        toks = self._expand_dots(toks)
        toks = self._expand_excluded(toks)
        toks = _normalize_operatornames(toks)
        toks = self._rewrite(toks, state)
        body = "".join(toks)
        value = self._parse_latex(body, state)
        return value

    def parse_condition(self, text: str):
        """A condition ``x > 0`` or a chain of comparisons ``0 \\le x < 1`` (an ``And``)."""
        return self._relation_chain(text)

    def strip_annotations(self, text: str) -> str:
        """``text`` without the lecture's annotations (``B_{[k,m]}``, ``w^{[k]}``, ``x_{(k)}``).

        Shape annotations are recorded in ``shape_notes``, as when parsing.
        """
        return "".join(self._strip_annotations(tokenize(text)))

    def split_arguments(self, text: str) -> list[str]:
        """The arguments of a call ``x_1, \\ldots, x_n`` (dots of declared vectors expanded)."""
        return ["".join(a).strip() for a in split_top(self._expand_dots(tokenize(text)), ",")]

    # -- parse_latex with placeholders -------------------------------------------
    def _parse_latex(self, body: str, state: "_State"):
        matrices = {n: v for n, v in state.values.items() if isinstance(v, MatrixExpr)}
        shapes = dict(self.shapes)
        shapes.update({n: tuple(v.shape) for n, v in matrices.items()})
        try:
            value = parse_latex(body, shapes=shapes or None, functions=self.functions or None,
                                variables=set(self.variables) | (set(state.values) - set(matrices)),
                                strict_variables=True, index_base=self.index_base)
        except ParseError as exc:
            raise ParseError(f"{exc} (in {_shown(body, state)})") from None
        if state.values:
            value = value.xreplace({(sp.MatrixSymbol(n, *v.shape) if n in matrices else sp.Symbol(n, real=True)): v
                                    for n, v in state.values.items()})
        if isinstance(value, sp.MatrixBase) and value.shape == (1, 1):
            value = value[0, 0]
        if self.postprocess is not None:
            value = self.postprocess(value)
        return value

    def _relation(self, text: str, state: "_State | None" = None):
        """A condition such as ``x > 0`` or ``i = j`` (evaluated when it is numeric)."""
        members = self.parse_one(text, state)
        if not isinstance(members, sp.logic.boolalg.Boolean) or isinstance(members, sp.Expr):
            raise ParseError(f"expected a condition, got {text.strip()!r}")
        if isinstance(members, sp.core.relational.Relational):
            members = members.func(*members.args)   # 1 = 2 evaluates to False
        return members

    # -- annotations ----------------------------------------------------------------
    def _strip_annotations(self, toks: list[str]) -> list[str]:
        out: list[str] = []
        k = 0
        while k < len(toks):
            t = toks[k]
            if t in ("_", "^"):
                j = _next_nonspace(toks, k)
                if j < len(toks) and toks[j] == "{":
                    inner_start = _next_nonspace(toks, j)
                    if inner_start < len(toks) and toks[inner_start] in ("[", "("):
                        end_inner = _match(toks, inner_start)
                        close = _next_nonspace(toks, end_inner)
                        if close < len(toks) and toks[close] == "}":
                            inside = "".join(toks[inner_start + 1:end_inner])
                            if t == "_" and toks[inner_start] == "[":
                                self._note_shape(out, inside, toks[close + 1:])
                            if (t == "_" and toks[inner_start] in "[(") or (t == "^" and toks[inner_start] == "["):
                                k = close + 1
                                continue
            out.append(t)
            k += 1
        return out

    def _note_shape(self, before: list[str], inside: str, after: list[str]):
        name = []
        for t in reversed(before):
            if _is_letter(t) or (t.isdigit() and name):
                name.insert(0, t)
            else:
                break
        follow = "".join(after).lstrip()
        transposed = bool(re.match(r"\^\s*(\{\s*)?(\\top|T|\\intercal)", follow))
        dims = tuple(d.strip() for d in inside.split(","))
        if name:
            self.shape_notes.append(ShapeNote("".join(name), dims, transposed))

    # -- x_1, \ldots, x_n ----------------------------------------------------------------
    def _expand_dots(self, toks: list[str]) -> list[str]:
        if not any(t in _DOTS for t in toks):
            return toks
        text = "".join(toks)
        pattern = re.compile(r"([A-Za-z]+)_\{?(\d+)\}?\s*,\s*(?:\\ldots|\\dots|\\cdots)\s*,\s*\1_\{?([A-Za-z]|\d+)\}?")

        def expand(m):
            base, first, last = m.group(1), int(m.group(2)), m.group(3)
            if last.isdigit():
                stop = int(last)
            elif base in self.vector_length:
                stop = self.index_base + self.vector_length[base] - 1
            else:
                raise ParseError(f"cannot expand {m.group(0)!r}: {base!r} is not a declared vector")
            return ", ".join(f"{base}_{{{k}}}" for k in range(first, stop + 1))

        return tokenize(pattern.sub(expand, text))

    # -- \prod_{j \neq 2} x_j -----------------------------------------------------------
    def _expand_excluded(self, toks: list[str]) -> list[str]:
        k = 0
        out = list(toks)
        while k < len(out):
            if out[k] in (r"\prod", r"\sum"):
                j = _next_nonspace(out, k)
                if j < len(out) and out[j] == "_":
                    b = _next_nonspace(out, j)
                    if b < len(out) and out[b] == "{":
                        e = _match(out, b)
                        sub = "".join(out[b + 1:e])
                        m = re.fullmatch(r"\s*([A-Za-z])\s*(?:\\neq|\\ne)\s*(\d+)\s*", sub)
                        if m:
                            out = out[:k] + self._excluded(out[k], m.group(1), int(m.group(2)), out[e + 1:])
                            continue
            k += 1
        return out

    def _excluded(self, op: str, letter: str, skip: int, rest: list[str]) -> list[str]:
        start = _next_nonspace(rest, -1)
        end = _atom_end(rest, start)
        body = "".join(rest[start:end])
        bases = set(re.findall(r"([A-Za-z]+)_\{?" + letter + r"\b", body))
        lengths = {self.vector_length[b] for b in bases if b in self.vector_length}
        if len(lengths) != 1:
            raise ParseError(f"cannot tell the range of {letter} in {op}_{{{letter} \\neq {skip}}} {body}: "
                             f"index a declared vector with it")
        n = lengths.pop()
        values = [v for v in range(self.index_base, self.index_base + n) if v != skip]
        join = r" \cdot " if op == r"\prod" else " + "
        terms = [instantiate(body, {letter: v}) for v in values]
        if not terms:
            terms = ["1" if op == r"\prod" else "0"]
        return tokenize(r"\left(" + join.join(f"{{{t}}}" for t in terms) + r"\right)") + rest[end:]

    # -- placeholders ----------------------------------------------------------------------
    def _rewrite(self, toks: list[str], state: "_State") -> list[str]:
        """Replace cases, Iverson brackets, norms, Leibniz fractions and logic operators."""
        out: list[str] = []
        k = 0
        while k < len(toks):
            t = toks[k]
            if t == r"\begin":
                k = self._cases(toks, k, out, state)
                continue
            if t == r"\frac":
                done = self._leibniz(toks, k, out, state)
                if done is not None:
                    k = done
                    continue
            if t == "[" or (t == "I" and _next_is(toks, k, "[") and not _is_letter(_prev(toks, k))):
                done = self._iverson(toks, k, out, state)
                if done is not None:
                    k = done
                    continue
            if self.matrix_functions:
                done = self._matrix_function(toks, k, out, state)
                if done is not None:
                    k = done
                    continue
            if t in (r"\|", r"\lVert", r"\Vert") or (t == r"\left" and _next_is(toks, k, r"\|")) or \
                    (t == "|" and k + 1 < len(toks) and toks[k + 1] == "|"):
                done = self._norm(toks, k, out, state)
                if done is not None:
                    k = done
                    continue
            out.append(t)
            k += 1
        return self._logic(out, state)

    def _matrix_function(self, toks, k, out, state) -> int | None:
        """``\\Phi(A)`` of a declared matrix function: a matrix node, not an entrywise application."""
        t = toks[k]
        name, j = None, None
        if t.startswith("\\") and t[1:] in self.matrix_functions:
            name, j = t[1:], _next_nonspace(toks, k)
        elif t == r"\operatorname" and _next_is(toks, k, "{"):
            b = _next_nonspace(toks, k)
            e = _match(toks, b)
            word = normalize_name("".join(toks[b + 1:e]))
            if word in self.matrix_functions:
                name, j = word, _next_nonspace(toks, e)
        if name is None or j >= len(toks) or toks[j] != "(":
            return None
        end = _match(toks, j)
        inner = "".join(self._rewrite(toks[j + 1:end], state))
        arg = self._parse_latex(inner, state)
        if not isinstance(arg, MatrixExpr):
            raise ParseError(f"{name} takes a matrix, got {arg}")
        self._placeholder(self.matrix_functions[name](arg), out, state)
        return end + 1

    def _placeholder(self, value, out: list[str], state: "_State"):
        name = state.new(value)
        out.extend(tokenize(f"{{\\mathit{{{name}}}}}"))

    def _cases(self, toks, k, out, state) -> int:
        j = _next_nonspace(toks, k)
        if j >= len(toks) or toks[j] != "{":
            raise ParseError(r"\begin without an environment name")
        env_end = _match(toks, j)
        env = "".join(toks[j + 1:env_end]).strip()
        if env != "cases":
            raise ParseError(f"the environment {env!r} is not supported (only cases)")
        depth, m = 1, env_end + 1
        while m < len(toks):
            if toks[m] == r"\begin":
                depth += 1
            elif toks[m] == r"\end":
                depth -= 1
                if depth == 0:
                    break
            m += 1
        if m >= len(toks):
            raise ParseError(r"\begin{cases} without \end{cases}")
        body = toks[env_end + 1:m]
        close = _next_nonspace(toks, m)
        end = _match(toks, close) + 1
        pieces = []
        for row in split_top(body, r"\\"):
            if not "".join(row).strip():
                continue
            cells = split_top(row, "&")
            if len(cells) != 2:
                raise ParseError(f"a row of cases needs 'value & condition': {''.join(row).strip()!r}")
            value_text = "".join(cells[0]).strip().rstrip(",").strip()
            cond_text = "".join(cells[1]).strip().rstrip(",.").strip()
            cond_text = re.sub(r"^\\(?:text|mathrm)\{\s*(?:if|for)\s*\}\s*", "", cond_text)
            value = self.parse_one(value_text, state)
            if re.fullmatch(r"\\(?:text|mathrm)\{\s*(?:otherwise|else)\s*\}", cond_text):
                cond = sp.true
            else:
                cond = self._relation_chain(cond_text, state)
            pieces.append((value, cond))
        if not pieces:
            raise ParseError("an empty cases environment")
        self._placeholder(sp.Piecewise(*pieces), out, state)
        return end

    def _relation_chain(self, text: str, state: "_State | None" = None):
        """``x < 0`` or ``0 \\le x < 1`` (a chain of comparisons)."""
        toks = tokenize(text)
        depths = _depths(toks)
        cuts = [i for i, (t, d) in enumerate(zip(toks, depths)) if d == 0 and t in _RELATIONS]
        if len(cuts) <= 1:
            return self._relation(text, state)
        bounds = [-1] + cuts + [len(toks)]
        pieces = []
        for n, c in enumerate(cuts):
            left = "".join(toks[bounds[n] + 1:c])
            right = "".join(toks[c + 1:bounds[n + 2]])
            pieces.append(self._relation(f"{left} {toks[c]} {right}", state))
        return sp.And(*pieces)

    def _iverson(self, toks, k, out, state) -> int | None:
        start = k if toks[k] == "[" else _next_nonspace(toks, k)
        end = _match(toks, start)
        inner = toks[start + 1:end]
        depths = _depths(inner)
        if not any(t in _RELATIONS and d == 0 for t, d in zip(inner, depths)):
            if toks[k] == "I":
                raise ParseError(f"the indicator {''.join(toks[k:end + 1])!r} needs a condition")
            return None
        cond = self._relation_chain("".join(inner), state)
        self._placeholder(sp.Piecewise((1, cond), (0, True)), out, state)
        return end + 1

    def _leibniz(self, toks, k, out, state) -> int | None:
        a = _next_nonspace(toks, k)
        if a >= len(toks) or toks[a] != "{":
            return None
        a_end = _match(toks, a)
        b = _next_nonspace(toks, a_end)
        if b >= len(toks) or toks[b] != "{":
            return None
        b_end = _match(toks, b)
        num = "".join(toks[a + 1:a_end]).strip()
        den = "".join(toks[b + 1:b_end]).strip()
        mn = re.fullmatch(r"\\partial\s*(.+)", num, re.S)
        md = re.fullmatch(r"\\partial\s*(.+)", den, re.S)
        if not (mn and md):
            if num.startswith(r"\partial") or den.startswith(r"\partial"):
                raise ParseError(f"a derivative \\frac{{\\partial A}}{{\\partial B}} needs a name above and below: "
                                 f"\\frac{{{num}}}{{{den}}}")
            return None
        if self.leibniz is None:
            raise ParseError(f"\\frac{{{num}}}{{{den}}}: derivatives can only be used in claims about a function")
        self._placeholder(self.leibniz(mn.group(1).strip(), md.group(1).strip()), out, state)
        return b_end + 1

    def _norm(self, toks, k, out, state) -> int | None:
        # forms: \| v \|, \lVert v \rVert, \left\| v \right\|, || v ||
        if toks[k] == "|":
            closer = ("|", "|")
            start = k + 2
        elif toks[k] == r"\left":
            start = _next_nonspace(toks, k) + 1
            closer = (r"\right", r"\|")
        else:
            start = k + 1
            closer = (r"\rVert",) if toks[k] == r"\lVert" else (toks[k],)
        m = start
        depth = 0
        while m < len(toks):
            t = toks[m]
            if t in _OPEN:
                depth += 1
            elif t in _CLOSE:
                depth -= 1
            if depth == 0:
                if len(closer) == 2 and t == closer[0]:
                    n2 = _next_nonspace(toks, m) if closer[0] == r"\right" else m + 1
                    if n2 < len(toks) and toks[n2] == closer[1]:
                        inner = toks[start:m]
                        end = n2 + 1
                        break
                elif len(closer) == 1 and t == closer[0]:
                    inner = toks[start:m]
                    end = m + 1
                    break
            m += 1
        else:
            return None
        inner_text = "".join(self._rewrite(inner, state))
        value = self._parse_latex(inner_text, state)
        if isinstance(value, sp.MatrixBase):
            norm = sp.sqrt(sp.Add(*[e ** 2 for e in value]))
        elif isinstance(value, sp.Expr) and not getattr(value, "is_Matrix", False):
            norm = sp.Abs(value)
        else:
            raise ParseError(f"the norm of {inner_text.strip()!r} (a matrix expression) is not supported")
        self._placeholder(norm, out, state)
        return end

    def _logic(self, toks: list[str], state: "_State") -> list[str]:
        """Logic operators become calls of land/lor/lxor/lnot (declared by the loader)."""
        if not any(t in _LOGIC_BINARY or t in _LOGIC_NOT for t in toks):
            return toks
        return tokenize(self._logic_text(toks))

    def _logic_text(self, toks: list[str]) -> str:
        # recurse into bracket groups first
        out: list[str] = []
        k = 0
        while k < len(toks):
            t = toks[k]
            if t in ("(", "{", "["):
                e = _match(toks, k)
                out.append(t + self._logic_text(toks[k + 1:e]) + toks[e])
                k = e + 1
                continue
            out.append(t)
            k += 1
        # now out holds atoms and operators at this level
        for name in _LOGIC_PRECEDENCE:
            cuts = [i for i, t in enumerate(out) if _LOGIC_BINARY.get(t) == name]
            if cuts:
                c = cuts[-1]   # left-associative: split at the last one
                left = self._logic_text(tokenize("".join(out[:c])))
                right = self._logic_text(tokenize("".join(out[c + 1:])))
                if not left.strip() or not right.strip():
                    raise ParseError(f"{out[c]} needs two operands")
                return rf"\operatorname{{{name}}}\left({left}, {right}\right)"
        # unary not: applies to the next atom
        result: list[str] = []
        k = 0
        while k < len(out):
            if out[k] in _LOGIC_NOT:
                j = _next_nonspace(out, k)
                end = _atom_end(out, j)
                result.append(rf"\operatorname{{lnot}}\left({''.join(out[j:end])}\right)")
                k = end
                continue
            result.append(out[k])
            k += 1
        return "".join(result)


@dataclass
class _State:
    values: dict = field(default_factory=dict)

    def new(self, value) -> str:
        n = len(self.values)
        letters = "".join(chr(ord("a") + d) for d in _digits26(n))
        name = f"PH{letters}"
        self.values[name] = value
        return name


def _digits26(n: int) -> list[int]:
    out = [n % 26]
    n //= 26
    while n:
        out.insert(0, n % 26)
        n //= 26
    return out


def _shown(body: str, state: _State) -> str:
    text = body
    for name, value in state.values.items():
        text = text.replace(f"{{\\mathit{{{name}}}}}", f"[{sp.sstr(value)}]")
    return repr(text.strip())


def _prev(toks, k):
    j = _prev_nonspace(toks, k)
    return toks[j] if j >= 0 else ""


def _next_is(toks, k, what) -> bool:
    j = _next_nonspace(toks, k)
    return j < len(toks) and toks[j] == what


def split_top(toks: list[str], sep: str) -> list[list[str]]:
    parts, current = [], []
    depths = _depths(toks)
    for t, d in zip(toks, depths):
        if t == sep and d == 0:
            parts.append(current)
            current = []
        else:
            current.append(t)
    parts.append(current)
    return parts


def _atom_end(toks: list[str], start: int) -> int:
    """End (exclusive) of the atom at ``start``: a name or group with its sub/superscripts."""
    if start >= len(toks):
        raise ParseError("an operator is missing its operand")
    k = start
    t = toks[k]
    if t in _OPEN:
        k = _match(toks, k) + 1
    elif t.startswith("\\"):
        k += 1
        if t in _WORD_COMMANDS and k < len(toks) and toks[k] == "{":
            k = _match(toks, k) + 1
    elif _is_letter(t):
        while k < len(toks) and _is_letter(toks[k]):
            k += 1
    else:
        k += 1
    while k < len(toks) and toks[k] in ("_", "^"):
        j = k + 1
        if j < len(toks) and toks[j] == "{":
            k = _match(toks, j) + 1
        else:
            k = j + 1
    return k


def _normalize_operatornames(toks: list[str]) -> list[str]:
    """``\\operatorname{soft-arg-max}`` and ``\\operatorname{soft\\_max}`` -> ``softargmax``/``softmax``."""
    out: list[str] = []
    k = 0
    while k < len(toks):
        t = toks[k]
        if t in (r"\operatorname", r"\mathrm") and _next_is(toks, k, "{"):
            j = _next_nonspace(toks, k)
            e = _match(toks, j)
            inner = "".join(toks[j + 1:e])
            cleaned = re.sub(r"\\_|[-_\s]", "", inner)
            out.extend([t, "{", cleaned, "}"] if cleaned else toks[k:e + 1])
            k = e + 1
            continue
        out.append(t)
        k += 1
    return out


def normalize_name(name: str) -> str:
    """The name a function is declared under: hyphens, underscores and spaces dropped."""
    return re.sub(r"\\_|[-_\s]", "", name)


def product_of_indices(indices: dict[str, list[int]]):
    """Every assignment of values to the index letters, in a fixed order."""
    names = sorted(indices)
    for combo in itertools.product(*(indices[n] for n in names)):
        yield dict(zip(names, combo))
