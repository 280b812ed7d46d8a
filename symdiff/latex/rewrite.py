"""Rewriting tokens into library input in which every atom is an opaque placeholder."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import sympy as sp

from .base import MAX_LITERAL_DIGITS, MAX_NUMERIC_EXPONENT, MAX_TERM_PIECES, Problem
from .calls import CallReading
from .cases import read_cases
from .declarations import Declarations, element_name
from .indicators import read_indicator
from .indices import example_row, product_reading, entry_suffix, excluded_index, matrix_index_pair
from .library import Out, run_library
from .ones import read_constant_vector
from .matrices import bracketed_environment, read_bracketed_matrix, read_environment
from .names import BARE_FUNCTION_WORDS, BUILTINS, DECORATION_PREFIX, DECORATION_TRANSPARENT, FUNCTION_COMMANDS, Fn, GREEK, WORD_COMMANDS, builtin
from .specs import Dot, Norm, Element, Leaf, Marker, Name, Spec, Sub
from .tokens import Group, Tok, item_end, is_group, split_commas, split_on, split_terms, item_start

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


RELATIONS = {"=": "Eq", "<": "Lt", ">": "Gt", "le": "Le", "leq": "Le", "leqslant": "Le",
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
_COMMANDS_WITH_ARGUMENT = WORD_COMMANDS | set(DECORATION_PREFIX) | DECORATION_TRANSPARENT
_TRANSPOSE_SCRIPTS = {"T", "\\top", "\\intercal", "\\mathrm{T}", "\\mathsf{T}", "\\text{T}",
                      "\\mathit{T}", "\\operatorname{T}"}
_SYMBOL_COMMANDS = GREEK | {"infty", "ell", "hbar", "imath", "jmath"}   # one-token arguments
_LEIBNIZ_STARTS = {("letter", "d"), ("cmd", "delta"), ("cmd", "partial"), ("cmd", "Delta")}


class Rewriter(CallReading):
    def __init__(self, decl: Declarations, source: str, flipped: frozenset = frozenset()):
        self.decl = decl
        self.source = source
        # choice points (AMBIGUITIES) read the other way, and those met while reading
        self.flipped = flipped
        self.ambiguities: dict[str, str] = {}
        self.specs: dict[str, Spec] = {}
        self._words = decl.words()

    # -- entry points -------------------------------------------------------
    def fragment(self, items: list, start: int, end: int):
        """Parse items as one expression and return the library's tree.

        Top-level terms are parsed one by one: the library's parse time and its
        recursion depth grow with the length of a + chain, ours stay linear.
        """
        items = self._scientific(items)
        terms = split_terms(items)
        if len(terms) == 1:
            return self._term(items, start, end)
        trees = []
        for sign, term in terms:
            if not term:
                raise Problem("incomplete expression", sign.pos, sign.end)
            if sign is not None and isinstance(term[0], Tok) and term[0].is_char("+", "-"):
                raise Problem(f"two signs in a row ({sign.text} {term[0].text})", sign.pos,
                              term[0].end)
            tree = self._term(term, item_start(term[0]), item_end(term[-1]))
            negative = sign is not None and sign.text == "-"
            trees.append(sp.Mul(-1, tree, evaluate=False) if negative else tree)
        return sp.Add(*trees, evaluate=False)

    def _term(self, items: list, start: int, end: int):
        out = Out()
        self._sequence(items, out)
        if len(out.pieces) > MAX_TERM_PIECES:
            raise Problem(f"a term of {len(out.pieces)} symbols is too long for the parser "
                           f"(max {MAX_TERM_PIECES}); split the formula", start, end)
        return run_library(out, start, end)

    def placeholder(self, spec: Spec) -> str:
        name = f"Q{len(self.specs)}"
        self.specs[name] = spec
        return rf"\variable{{{name}}}"

    def _add_placeholder(self, spec: Spec, out: Out) -> None:
        out.add(self.placeholder(spec), spec.pos, spec.end)

    # -- sequences ------------------------------------------------------------
    def _sequence(self, items: list, out: Out) -> None:
        items = self._scientific(items)
        i = 0
        while i < len(items):
            i = self._item(items, i, out)

    def _item(self, items: list, i: int, out: Out) -> int:
        item = items[i]
        indicator = read_indicator(self, items, i, out)
        if indicator is not None:
            return indicator
        constant = read_constant_vector(self, items, i, out)   # \mathbf{1}, \mathbf{0}
        if constant is not None:
            return constant
        if isinstance(item, Group):
            return self._group(items, i, out)
        if item.kind == "number":
            return self._number(items, i, out)
        if item.kind == "letter":
            return self._identifier(items, i, out)
        if item.kind == "cmd":
            return self._command(items, i, out)
        if item.kind == "prose":
            raise Problem(f"prose {item.text!r} inside a formula", item.pos, item.end)
        return self._char(items, i, out)

    def _group(self, items, i, out) -> int:
        group = items[i]
        if group.kind == "langle":
            return self._scalar_product(items, i, out)
        if group.kind == "‖":
            return self._norm(items, i, out)
        if group.kind == "begin":
            return read_environment(self, items, i, out)
        if bracketed_environment(group, self.source):
            return read_bracketed_matrix(self, items, i, out)
        if not group.items:
            raise Problem("empty brackets", group.pos, group.end)
        # a bracketed group is parsed on its own and stands in as one atom: the
        # library never sees deep nesting, and long sums inside brackets split
        tree = self.fragment(group.items, group.open.end, group.close.pos)
        self._add_placeholder(Sub(group.pos, group.end, tree), out)
        return entry_suffix(self, items, i + 1)

    def _number(self, items, i, out) -> int:
        tok = items[i]
        if i + 1 < len(items) and isinstance(items[i + 1], Tok) and items[i + 1].is_char("_"):
            raise Problem("a number cannot have a subscript", tok.pos, items[i + 1].end)
        digits = sum(c.isdigit() for c in tok.text)
        if digits > MAX_LITERAL_DIGITS:     # (Python itself refuses to read such a literal)
            raise Problem(f"a number of {digits:,} digits is too long (at most {MAX_LITERAL_DIGITS:,})", tok.pos, tok.end)
        # numbers are placeholders too: exact decimals, and the library's
        # mixed-fraction rule (2\frac{1}{2} = 5/2) never fires
        self._add_placeholder(Leaf(tok.pos, tok.end, sp.Rational(tok.text)), out)
        return i + 1

    def _scientific(self, items: list) -> list:
        """1e-3 written without spaces: 1·e − 3 to TeX, 0.001 to a programmer (a choice point)."""
        if self.decl.declared("e"):
            return items
        out, k = [], 0
        while k < len(items):
            match = self._scientific_at(items, k)
            if match is None:
                out.append(items[k])
                k += 1
                continue
            stop, exponent = match
            text = self.source[items[k].pos:items[stop - 1].end]
            if not self.choose(f"scientific:{text}", f"{text} as {items[k].text} "
                               f"\\cdot 10^{{{exponent}}}"):
                out.extend(items[k:stop])
            elif abs(exponent) > MAX_NUMERIC_EXPONENT:
                raise Problem(f"exponent {exponent} is too large", items[k].pos, items[stop - 1].end)
            else:
                out.append(Tok("number", f"{items[k].text}e{exponent}", items[k].pos,
                               items[stop - 1].end - items[k].pos))
            k = stop
        return out

    @staticmethod
    def _scientific_at(items: list, k: int):
        run = items[k:k + 4]
        if not all(isinstance(t, Tok) for t in run) or len(run) < 3 or run[0].kind != "number" \
                or not (run[1].kind == "letter" and run[1].text in "eE"):
            return None
        sign, digits = (1, 2)
        if run[2].is_char("-", "+"):
            sign, digits = (-1 if run[2].text == "-" else 1), 3
        if len(run) <= digits or run[digits].kind != "number" or not run[digits].text.isdigit():
            return None
        if any(a.end != b.pos for a, b in zip(run[:digits], run[1:digits + 1])):
            return None
        return k + digits + 1, sign * int(run[digits].text)

    def choose(self, key: str, alternative: str) -> bool:
        """A choice point: False reads the usual way, True the alternative (if flipped)."""
        self.ambiguities.setdefault(key, alternative)
        return key in self.flipped

    def _char(self, items, i, out) -> int:
        tok = items[i]
        if tok.text in "+-*/|":
            out.add(tok.text, tok.pos, tok.end)
            return i + 1
        if tok.text == "^":
            return self._power(items, i, out)
        raise Problem(_CHAR_ERRORS.get(tok.text, f"unexpected {tok.text!r}"), tok.pos, tok.end)

    # -- commands -----------------------------------------------------------
    def _command(self, items, i, out) -> int:
        tok = items[i]
        name = tok.text
        if name == "{" and i + 1 < len(items) and is_group(items[i + 1], "begin"):
            return read_cases(self, items, i, out)
        if name in GREEK or name in DECORATION_PREFIX or name in DECORATION_TRANSPARENT \
                or name in WORD_COMMANDS or name in FUNCTION_COMMANDS:
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
            raise Problem(_UNSUPPORTED[name], tok.pos, tok.end)
        if name in RELATIONS:
            raise Problem("a relation inside brackets", tok.pos, tok.end)
        close = difflib.get_close_matches(name, sorted(_KNOWN_COMMANDS), n=3, cutoff=0.6)
        hint = f" (did you mean {', '.join(chr(92) + c for c in close)}?)" if close else ""
        raise Problem(f"unknown command \\{name}{hint}", tok.pos, tok.end)

    def _fraction(self, items, i, out) -> int:
        tok = items[i]
        self._single_token_arguments(items, i + 1, 2)   # in place: the caller's index stays valid
        parts = items[i + 1:i + 3]
        if len(parts) < 2 or not all(is_group(p, "{") for p in parts):
            raise Problem(f"\\{tok.text} needs {{numerator}}{{denominator}}", tok.pos,
                           item_end(parts[-1]) if parts else tok.end)
        self._reject_leibniz(tok, *parts)
        out.add(r"\frac", tok.pos, tok.end)
        for part in parts:
            self._braced(part, out)
        return i + 3

    @staticmethod
    def _single_token_arguments(items: list, j: int, count: int) -> None:
        r"""TeX's \frac12, \frac1x, \frac{a}b: an argument may be one token (one digit)."""
        for k in range(j, j + count):
            if k >= len(items):
                break
            item = items[k]
            if isinstance(item, Tok) and item.kind == "cmd" and item.text in _SYMBOL_COMMANDS:
                # \sqrt\pi, \frac1\pi: a letter command is one token too
                items[k] = Group(Tok("char", "{", item.pos, 0), Tok("char", "}", item.end, 0), [item])
                continue
            if not isinstance(item, Tok) or item.kind not in ("number", "letter"):
                continue
            head = Tok(item.kind, item.text[0], item.pos, 1)
            brace = Group(Tok("char", "{", item.pos, 0), Tok("char", "}", item.pos + 1, 0), [head])
            rest = [Tok("number", item.text[1:], item.pos + 1, item.length - 1)] \
                if len(item.text) > 1 and item.text[1:].isdigit() else []
            if len(item.text) > 1 and not rest:
                break   # \frac1.5: not TeX
            items[k:k + 1] = [brace] + rest

    def _reject_leibniz(self, tok, upper: Group, lower: Group) -> None:
        """\\frac{dy}{dx}, \\frac{\\delta E}{\\delta X} would silently cancel d's."""
        def head(group):
            first = group.items[0] if group.items else None
            return (first.kind, first.text) if isinstance(first, Tok) else None
        mark = head(upper)
        if mark in _LEIBNIZ_STARTS and mark == head(lower) and len(lower.items) > 1 \
                and not self.decl.declared(mark[1]):
            raise Problem("derivative notation \\frac{d..}{d..} is not supported", tok.pos,
                           lower.end)

    def _braced(self, group: Group, out: Out) -> None:
        """{argument} of \\frac or \\sqrt, parsed on its own like a bracketed group."""
        if not group.items:
            raise Problem("empty braces", group.pos, group.end)
        tree = self.fragment(group.items, group.open.end, group.close.pos)
        out.add("{", group.open.pos, group.open.end)
        self._add_placeholder(Sub(group.pos, group.end, tree), out)
        out.add("}", group.close.pos, group.close.end)

    def _sqrt(self, items, i, out) -> int:
        tok = items[i]
        out.add(r"\sqrt", tok.pos, tok.end)
        j = i + 1
        if j < len(items) and is_group(items[j], "["):
            out.add("[", items[j].open.pos, items[j].open.end)
            self._sequence(items[j].items, out)
            out.add("]", items[j].close.pos, items[j].close.end)
            j += 1
        self._single_token_arguments(items, j, 1)   # \sqrt2, \sqrt\pi
        if j >= len(items) or not is_group(items[j], "{"):
            raise Problem("\\sqrt needs {argument}", tok.pos, tok.end)
        self._braced(items[j], out)
        return j + 1

    # -- sums and products ----------------------------------------------------
    def _big_operator(self, items, i, out) -> int:
        tok = items[i]
        scripts, j = self._read_scripts(items, i + 1, allow_primes=False)
        if scripts.sub is None:
            raise Problem(f"\\{tok.text} needs an index: \\{tok.text}_i or "
                           f"\\{tok.text}_{{i=1}}^{{n}}", tok.pos, tok.end)
        parts, _ = split_on(scripts.sub, lambda t: t.is_char("="))
        excluded = excluded_index(parts[0]) if len(parts) == 1 else None
        if excluded is not None:
            parts = [excluded[0]]
            excluded = self.fragment(excluded[1], item_start(excluded[1][0]), item_end(excluded[1][-1]))
        index_tok = self._index_token(parts[0], scripts.sub_extent)
        index_spec = Name(index_tok.pos, index_tok.end, index_tok.text)
        out.add(rf"\{tok.text}", tok.pos, tok.end)
        out.add("_{", *scripts.sub_extent)
        self._add_placeholder(index_spec, out)
        out.add("=", *scripts.sub_extent)
        if len(parts) == 1:  # \sum_i: the range comes from the declared vectors in the body
            if scripts.sup is not None:
                raise Problem("write \\sum_{i=1}^{n} with a lower limit", tok.pos, tok.end)
            marker = Marker(tok.pos, scripts.sub_extent[1], "infer-range", excluded)
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
            raise Problem(f"\\{tok.text} limits must read _{{i=a}}^{{b}}", *scripts.sub_extent)
        return j

    def _index_token(self, part: list, extent) -> Tok:
        if len(part) == 1 and isinstance(part[0], Tok) and \
                (part[0].kind == "letter" or (part[0].kind == "cmd" and part[0].text in GREEK)):
            return part[0]
        raise Problem("the summation index must be a single letter", *extent)

    # -- norms ------------------------------------------------------------------
    def _norm(self, items, i, out) -> int:
        r"""\|v\|, \|v\|_2, \|A\|_F, ||v||: the Euclidean (Frobenius) norm; \|v\|^2 is <v, v>."""
        group = items[i]
        if not group.items:
            raise Problem("empty norm", group.pos, group.end)
        tree = self.fragment(group.items, group.open.end, group.close.pos)
        j, end = i + 1, group.end
        if j + 1 < len(items) and isinstance(items[j], Tok) and items[j].is_char("_"):
            label = self._script_text([items[j + 1]]).strip("{}")
            if label not in ("2", "F", "\\mathrm{F}", "\\text{F}", "\\mathrm{F}", "fro"):
                raise Problem(f"only the 2-norm and the Frobenius norm are supported, not _{label}",
                              items[j].pos, item_end(items[j + 1]))
            j, end = j + 2, item_end(items[j + 1])
        squared = j + 1 < len(items) and isinstance(items[j], Tok) and items[j].is_char("^") \
            and self._script_text([items[j + 1]]).strip("{}") == "2"
        if squared:
            self._add_placeholder(Dot(group.pos, item_end(items[j + 1]), tree, tree), out)
            return j + 2
        self._add_placeholder(Norm(group.pos, end, tree), out)
        return j

    # -- scalar product -------------------------------------------------------
    def _scalar_product(self, items, i, out) -> int:
        group = items[i]
        parts, _ = split_commas(group.items)
        if len(parts) != 2 or not all(parts):
            raise Problem("a scalar product reads \\langle a, b \\rangle", group.pos, group.end)
        comma = next(t for t in group.items if isinstance(t, Tok) and t.is_char(","))
        left = self.fragment(parts[0], group.open.end, comma.pos)
        right = self.fragment(parts[1], comma.end, group.close.pos)
        self._add_placeholder(Dot(group.pos, group.end, left, right), out)
        return i + 1

    # -- powers ---------------------------------------------------------------
    def _power(self, items, i, out) -> int:
        caret = items[i]
        arg, extent, j = self._script_argument(items, i + 1, caret)
        if j < len(items) and isinstance(items[j], Tok) and items[j].is_char("^"):
            raise Problem("double superscript (TeX rejects it): write {x^a}^b or x^{a b}",
                          items[j].pos, items[j].end)
        self._emit_power(arg, (caret.pos, extent[1]), out)
        return j

    def _emit_power(self, arg: list, extent: tuple[int, int], out: Out) -> None:
        script = self._script_text(arg)
        negated = script.startswith("-")
        if self._is_transpose(script.lstrip("-")):  # ^T, ^\top, and ^{-T} = inverse transpose
            out.add("^{" + ("-" if negated else ""), *extent)
            self._add_placeholder(Marker(extent[0], extent[1], "transpose"), out)
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
        return re.sub(r"\s+", "", self.source[item_start(items[0]):item_end(items[-1])])

    def _script_argument(self, items, j, marker: Tok) -> tuple[list, tuple[int, int], int]:
        """The argument of ^ or _: a {group}, one token, or \\mathrm{...}."""
        if j >= len(items):
            raise Problem(f"missing argument after {marker.text!r}", marker.pos, marker.end)
        item = items[j]
        if is_group(item, "{"):
            if not item.items:
                raise Problem("empty script", item.pos, item.end)
            return item.items, (item.pos, item.end), j + 1
        if isinstance(item, Tok) and item.kind in ("letter", "number"):
            return [item], (item.pos, item.end), j + 1
        if isinstance(item, Tok) and item.kind == "cmd":
            takes_group = item.text in _COMMANDS_WITH_ARGUMENT
            if takes_group and j + 1 < len(items):
                return [item, items[j + 1]], (item.pos, item_end(items[j + 1])), j + 2
            return [item], (item.pos, item.end), j + 1
        raise Problem(f"put the argument of {marker.text!r} in braces", marker.pos, item_end(item))

    # -- names, calls ---------------------------------------------------------
    def _identifier(self, items, i, out) -> int:
        base, i = self._read_base(items, i)
        scripts, i = self._read_scripts(items, i, allow_primes=True)
        sub = self._merge_subscripts(base, scripts)
        call = items[i] if i < len(items) and is_group(items[i], "(") else None
        fn = self._function_for(base, sub, scripts, call is not None)
        end = item_end(items[i - 1])
        if fn is not None and call is not None:
            self._emit_call(fn, base, sub, scripts, call, out)
            return entry_suffix(self, items, i + 1) if scripts.sup is None else i + 1
        if scripts.primes:
            raise Problem("a prime ' is only understood on a function name followed by (...)",
                           base.pos, end)
        if base.kind == "command" and fn is None:
            raise Problem(f"\\{base.name} needs its arguments in parentheses", base.pos, end)
        if base.kind in ("command", "word") and fn is not None:
            return self._bare_call(fn, base, sub, scripts, items, i, out)
        transposed = self._label_then_transpose(scripts)   # a^{[1]\top}, x^{(i)T}
        label = self._superscript_label(scripts)
        euler = not self.decl.declared("e") or scripts.sup is not None and self.choose(
            "e-exp", "e^{...} as the exponential function, not a power of the variable e")
        if base.name == "e" and base.kind == "letter" and sub is None and label is None and euler:
            out.add("e", base.pos, base.end)  # Euler's number; e^{x} is exp(x)
        else:
            spec = example_row(self, base, sub, scripts, end) or self._name_spec(base, sub, label, end)
            self._add_placeholder(spec, out)
        if scripts.sup is not None and label is None:
            self._emit_power(scripts.sup, scripts.sup_extent, out)
        elif transposed:
            self._emit_power(transposed, scripts.sup_extent, out)
        elif label is not None and len(scripts.sup) > 1:     # W^{(1)\top}: the layer's matrix transposed
            self._emit_power(self._after_label(scripts.sup), scripts.sup_extent, out)
        return i

    def _label_then_transpose(self, scripts: _Scripts) -> list | None:
        sup = scripts.sup
        if sup is None or len(sup) < 2 or self._superscript_label(_Scripts(sup=sup[:1])) is None \
                or not self._is_transpose(self._script_text(sup[1:])):
            return None
        scripts.sup = sup[:1]
        return sup[1:]

    def _superscript_label(self, scripts: _Scripts) -> str | None:
        """w^{[k]}: an iteration number in brackets is part of the name, not a power."""
        sup = scripts.sup
        if sup is not None and len(sup) == 1 and is_group(sup[0], "["):
            return "^" + re.sub(r"\s+", "", self.source[sup[0].pos:sup[0].end])
        # x^{(i)}, W^{(1)}: an example or layer index in parentheses, not a power
        # (and W^{(1)\top}, W^{(1)T}: the label, then a transpose)
        if sup is not None and is_group(sup[0], "(") and \
                (len(sup) == 1 or self._is_transpose(self._script_text(self._after_label(sup)))) and \
                len(sup[0].items) == 1 and isinstance(sup[0].items[0], Tok) and \
                sup[0].items[0].kind in ("letter", "number"):
            return f"^({sup[0].items[0].text})"
        return None

    @staticmethod
    def _after_label(sup: list) -> list:
        """What follows (1) in W^{(1)\top} or, from a macro, W^{(1)^{\top}}."""
        rest = sup[1:]
        if len(rest) == 2 and isinstance(rest[0], Tok) and rest[0].is_char("^") and is_group(rest[1], "{"):
            return rest[1].items
        return rest

    def _merge_subscripts(self, base: _Base, scripts: _Scripts):
        if base.inner_sub is not None and scripts.sub is not None:
            raise Problem("two subscripts on one name", base.pos, scripts.sub_extent[1])
        if base.inner_sub is not None:
            return base.inner_sub
        return scripts.sub

    def _read_base(self, items, i) -> tuple[_Base, int]:
        tok = items[i]
        if tok.kind == "letter":
            return self._read_letters(items, i)
        name = tok.text
        if name in GREEK:
            return _Base(name, "greek", tok.pos, tok.end), i + 1
        if name in FUNCTION_COMMANDS:
            return _Base(name, "command", tok.pos, tok.end), i + 1
        if name in WORD_COMMANDS:
            return self._read_word_command(items, i)
        if name in DECORATION_PREFIX or name in DECORATION_TRANSPARENT:
            return self._read_decorated(items, i)
        raise Problem(f"expected a name, got \\{name}", tok.pos, tok.end)

    def _read_letters(self, items, i) -> tuple[_Base, int]:
        """One letter, or the longest run of adjacent letters that is a declared name
        or a function word followed by (...) (sign(x), tg^{-1}(x))."""
        run = [items[i]]
        j = i + 1
        while j < len(items) and len(run) < 24 and isinstance(items[j], Tok) \
                and items[j].kind == "letter" and items[j].pos == run[-1].end:
            run.append(items[j])
            j += 1
        for length in range(len(run), 1, -1):
            word = "".join(t.text for t in run[:length])
            if word in self._words and not product_reading(self, word):
                return _Base(word, "letter", run[0].pos, run[length - 1].end), i + length
            if word in BARE_FUNCTION_WORDS and self._call_follows(items, i + length):
                return _Base(word, "word", run[0].pos, run[length - 1].end), i + length
        return _Base(run[0].text, "letter", run[0].pos, run[0].end), i + 1

    def _call_follows(self, items, j) -> bool:
        if j < len(items) and isinstance(items[j], Tok) and items[j].is_char("^"):
            j += 2
        return j < len(items) and is_group(items[j], "(")

    def _read_word_command(self, items, i) -> tuple[_Base, int]:
        tok = items[i]
        j = i + 1
        if j < len(items) and isinstance(items[j], Tok) and items[j].is_char("*"):
            j += 1  # \operatorname*{...}
        if j >= len(items) or not is_group(items[j], "{"):
            raise Problem(f"\\{tok.text} needs {{...}}", tok.pos, tok.end)
        group = items[j]
        word = self.source[group.open.end:group.close.pos].strip()
        word = re.sub(r"\\_", "_", word)
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_\- ]*", word):
            raise Problem(f"unsupported content of \\{tok.text}{{...}}", group.pos, group.end)
        word = re.sub(r"\s+", "", word)
        kind = "letter" if len(word) == 1 else "word"
        return _Base(word, kind, tok.pos, group.end), j + 1

    def _read_decorated(self, items, i) -> tuple[_Base, int]:
        tok = items[i]
        if i + 1 >= len(items):
            raise Problem(f"\\{tok.text} needs an argument", tok.pos, tok.end)
        arg = items[i + 1]
        inner_items = arg.items if is_group(arg, "{") else [arg]
        if not inner_items or not isinstance(inner_items[0], Tok):
            raise Problem(f"\\{tok.text}{{...}} must contain a name", tok.pos, item_end(arg))
        if all(isinstance(t, Tok) and t.kind == "letter" for t in inner_items):
            inner = _Base("".join(t.text for t in inner_items), "letter", tok.pos, item_end(arg))
            inner_sub = None
        else:
            inner, k = self._read_base(inner_items, 0)
            scripts, k = self._read_scripts(inner_items, k, allow_primes=False)
            if k != len(inner_items) or scripts.sup is not None:
                raise Problem(f"\\{tok.text}{{...}} must contain a name", tok.pos, item_end(arg))
            inner_sub = self._merge_subscripts(inner, scripts)
        if tok.text in DECORATION_PREFIX:
            name = f"{DECORATION_PREFIX[tok.text]}_{inner.name}"
        else:
            name = inner.name
        kind = "letter" if inner.kind != "command" else "command"
        return _Base(name, kind, tok.pos, item_end(arg), inner_sub), i + 2

    def _read_scripts(self, items, i, allow_primes: bool) -> tuple[_Scripts, int]:
        scripts = _Scripts()
        while i < len(items) and isinstance(items[i], Tok):
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
            elif tok.is_char("^", "_"):
                what, fix = ("superscript", "{x^a}^b") if tok.text == "^" else \
                    ("subscript", "x_{a b}")
                raise Problem(f"double {what} (TeX rejects it): write {fix}", tok.pos, tok.end)
            else:
                break
        return scripts, i

    def _function_for(self, base: _Base, sub, scripts: _Scripts, has_call: bool) -> Fn | None:
        decl = self.decl
        if sub is not None and base.kind in ("letter", "greek"):
            full = self._name_with_subscript(base.name, sub)
            if full in decl.functions:
                return decl.functions[full]
            return None
        if base.name in decl.functions:
            return decl.functions[base.name]
        if decl.is_value(base.name):
            if base.kind == "greek" and base.name == "sigma" and has_call and \
                    self.choose("sigma-call", r"\sigma(...) as the logistic function, not the "
                                              r"variable \sigma times (...)"):
                return BUILTINS["sigmoid"]
            return None
        if base.kind in ("command", "word"):
            fn = builtin(base.name)
            if fn is None and has_call:
                if decl.strict:
                    raise Problem(f"unknown function {base.name!r} (strict_variables=True)",
                                   base.pos, base.end)
                return Fn(base.name, sp.Function(base.name), None)
            return fn
        if base.kind == "greek" and base.name == "sigma" and has_call:
            return BUILTINS["sigmoid"]  # the lecture's sigma(x) is the logistic function
        if scripts.primes and has_call:  # f'(x) with f undeclared: an unknown function
            return Fn(base.name, sp.Function(base.name, **decl.assumptions), None)
        return None

    def _name_with_subscript(self, base: str, sub: list) -> str:
        parsed = self._parse_subscript(sub)
        if isinstance(parsed, tuple):
            return element_name(base, parsed)
        return f"{base}_{parsed}"

    def _name_spec(self, base: _Base, sub, label: str | None, end: int) -> Spec:
        pos, suffix = base.pos, label or ""
        if sub is None:
            if base.kind == "greek" and base.name == "pi" and not self.decl.declared("pi") \
                    and not suffix:
                return Leaf(pos, end, sp.pi)
            return Name(pos, end, self.decl.alias(base.name + suffix))
        parsed = self._parse_subscript(sub)
        if isinstance(parsed, str) or len(parsed) == 1:
            parsed = matrix_index_pair(self.decl, base.name, sub) or parsed
        if isinstance(parsed, str):
            return Name(pos, end, self.decl.alias(f"{base.name}_{parsed}{suffix}"))
        full = element_name(base.name, parsed)
        if self.decl.declared(full) or suffix or full in self.decl.aliases:
            return Name(pos, end, self.decl.alias(full + suffix))
        return Element(pos, end, base.name, parsed)

    def _parse_subscript(self, items: list):
        """An index tuple (ints and index letters) or a label string such as 'train'."""
        parts, _ = split_commas(items)
        index = []
        for part in parts:
            if len(part) != 1 or not isinstance(part[0], Tok):
                break
            tok = part[0]
            if tok.kind == "number" and tok.text.isdigit():
                index.append(sp.Integer(tok.text))
            elif tok.kind == "letter" or (tok.kind == "cmd" and tok.text in GREEK):
                index.append(tok.text)
            else:
                break
        else:
            return tuple(index)
        return self._subscript_label(items)

    def _subscript_label(self, items: list) -> str:
        pos, end = item_start(items[0]), item_end(items[-1])
        if is_group(items[0], "["):
            raise Problem("shape annotations like A_{[n,m]} are not supported; "
                           "declare shapes={'A': ('n', 'm')}", pos, end)
        if any(isinstance(t, Tok) and t.is_char("+", "-", "*", "/", "^") for t in items):
            raise Problem("index arithmetic such as x_{i+1} is not supported", pos, end)
        label = self.source[pos:end]
        label = re.sub(r"\\(?:text|mathrm|mathit|operatorname)\s*\{([^{}]*)\}", r"\1", label)
        return re.sub(r"\s+|\\", "", label)

# commands the reader knows, for "did you mean" hints
_KNOWN_COMMANDS = GREEK | FUNCTION_COMMANDS | WORD_COMMANDS | DECORATION_TRANSPARENT | \
    set(DECORATION_PREFIX) | set(RELATIONS) | {"frac", "dfrac", "tfrac", "sqrt", "sum", "prod",
                                               "cdot", "times", "circ", "odot", "langle", "rangle",
                                               "infty", "left", "right", "begin", "end"}
