"""Function calls as people write them: ``f(x, y)``, ``\\log_2 x``, ``\\sin^2 x``, ``\\tg^{-1}(x)``,
and the argument of a function written without parentheses (``\\sin 2x``, ``\\sin x \\cdot y``)."""

from __future__ import annotations

import re

from .base import Problem
from .names import BUILTINS, FUNCTION_COMMANDS, WORD_COMMANDS, Fn, builtin
from .specs import Call
from .tokens import Group, Tok, is_group, item_end, item_start, split_commas


class CallReading:
    """The call-reading part of ``rewrite.Rewriter`` (a mixin: it uses the rewriter's
    ``fragment``, ``choose``, ``decl``, ``source`` and placeholders)."""

    def _emit_call(self, fn: Fn, base, sub, scripts, call: Group, out):
        parts, commas = split_commas(call.items)
        bounds = [call.open.end] + [c.end for c in commas]
        stops = [c.pos for c in commas] + [call.close.pos]
        if not all(parts):
            raise Problem(f"empty argument in a call of {base.name}", call.pos, call.end)
        args = [self.fragment(p, a, b) for p, a, b in zip(parts, bounds, stops)]
        log_base = None
        if sub is not None and base.kind in ("command", "word"):
            if fn.name != "log":
                raise Problem(f"{base.name} takes no subscript", *scripts.sub_extent)
            log_base = self.fragment(sub, *scripts.sub_extent)
        sup = scripts.sup
        if sup is not None and self._script_text(sup) == "-1" and scripts.primes == 0:
            fn = self._inverse_of(fn, base, scripts)
            sup = None
        self._check_arity(fn, len(args), base, call)
        spec = Call(base.pos, call.end, fn, args, scripts.primes, log_base)
        self._add_placeholder(spec, out)
        if sup is not None:
            self._emit_power(sup, scripts.sup_extent, out)

    def _inverse_of(self, fn: Fn, base, scripts) -> Fn:
        # f^{-1}(x) is the inverse function for trigonometric-like functions (tg^{-1})
        if fn.inverse is None:
            raise Problem(f"the inverse function of {base.name} is not known; write "
                           f"({base.name}(...))^{{-1}} for a reciprocal", base.pos,
                           scripts.sup_extent[1])
        return BUILTINS[fn.inverse]

    @staticmethod
    def _check_arity(fn: Fn, count: int, base, call: Group) -> None:
        if fn.arity is not None and fn.arity != count:
            raise Problem(f"{base.name} takes {fn.arity} argument(s), got {count}",
                           base.pos, call.end)

    def _bare_call(self, fn: Fn, base, sub, scripts, items, i, out) -> int:
        r"""\sin x, \log_2 x, \sin^2 x, \operatorname{tg} 2x: a call without parentheses.

        The argument runs over the juxtaposed factors that follow and stops at
        \cdot, \times, /, +, -, a relation, a comma or the next function, as people
        read it: \sin 2x = sin(2x), \sin x \cdot y = (sin x) y, \sin x \cos y = sin x cos y.
        ``\sin{x} y`` can be read both ways: a choice point.
        """
        stop = self._argument_end(items, i)
        if stop == i:
            raise Problem(f"{base.name} needs an argument", base.pos, item_end(items[i - 1]))
        if is_group(items[i], "{") and stop > i + 1:
            shown = self.source[base.pos:item_end(items[stop - 1])]
            if not self.choose("brace-argument", f"{shown} with the argument of {base.name} "
                                                 f"running past the braces"):
                stop = i + 1
        arg = items[i:stop]
        if len(arg) == 1 and is_group(arg[0], "{"):
            if not arg[0].items:
                raise Problem("empty braces", arg[0].pos, arg[0].end)
            tree = self.fragment(arg[0].items, arg[0].open.end, arg[0].close.pos)
        else:
            tree = self.fragment(arg, item_start(arg[0]), item_end(arg[-1]))
        log_base = None
        if sub is not None:
            if fn.name != "log":
                raise Problem(f"{base.name} takes no subscript", *scripts.sub_extent)
            log_base = self.fragment(sub, *scripts.sub_extent)
        sup = scripts.sup
        if sup is not None and self._script_text(sup) == "-1":
            fn = self._inverse_of(fn, base, scripts)
            sup = None
        if fn.arity not in (None, 1):
            raise Problem(f"{base.name} takes {fn.arity} arguments: write them in parentheses",
                          base.pos, item_end(items[stop - 1]))
        self._add_placeholder(Call(base.pos, item_end(items[stop - 1]), fn, [tree], 0, log_base),
                              out)
        if sup is not None:
            self._emit_power(sup, scripts.sup_extent, out)
        return stop

    def _argument_end(self, items, i) -> int:
        k = i
        if k < len(items) and isinstance(items[k], Tok) and items[k].is_char("-"):
            k += 1  # \sin -x
        if k < len(items) and isinstance(items[k], Tok) and items[k].is_char("|"):
            k = _closing_bar(items, k) + 1   # \log|x|, \log|\det M|: the absolute value is the argument
        while k < len(items):
            item = items[k]
            if isinstance(item, Tok) and (item.kind == "char" and item.text in _ARGUMENT_STOPS
                                          or item.kind == "cmd" and item.text in _STOP_COMMANDS
                                          or k > i and self._starts_function(items, k)):
                break
            if k > i and is_group(item, "(") and not self._called(items, k) \
                    and not self._paren_continues(items, i, k):
                break
            if k > i and _SPACED.search(self.source[item_end(items[k - 1]):item_start(item)]):
                break    # \cos x \, e^{\sin x}: a thin space ends the argument
            k += 1
        return k

    def _called(self, items, k) -> bool:
        r"""(...) right after a function's name is its call: \log \sigma(w x), \ln f'(x)."""
        prev = items[k - 1]
        if k >= 3 and isinstance(items[k - 2], Tok) and items[k - 2].is_char("_") and isinstance(items[k - 3], Tok):
            script = prev.items if is_group(prev, "{") else [prev]     # \log h_\theta(x): a defined h_theta
            label = "".join(t.text for t in script if isinstance(t, Tok))
            if f"{items[k - 3].text}_{label}" in self.decl.functions:
                return True
        if isinstance(prev, Tok):
            return prev.is_char("'") or prev.text in self.decl.functions or prev.is_cmd("sigma") \
                or prev.is_cmd(*FUNCTION_COMMANDS)     # \log \det(A)
        return is_group(prev, "{") and k >= 2 and isinstance(items[k - 2], Tok) \
            and items[k - 2].is_cmd(*WORD_COMMANDS)

    def _paren_continues(self, items, i, k) -> bool:
        r"""\tanh x (1 - \tanh^2 x): a factor after the argument, or part of it?  A choice."""
        shown = self.source[item_start(items[i]):item_end(items[k])]
        return self.choose(f"paren-argument:{shown}", f"{shown} with the parenthesized factor "
                                                        f"inside the function's argument")

    def _starts_function(self, items, k) -> bool:
        item = items[k]
        if item.kind == "letter" and item.text == "e" and not self.decl.declared("e") and k + 1 < len(items) \
                and isinstance(items[k + 1], Tok) and items[k + 1].is_char("^") \
                and not any(isinstance(t, Tok) and t.is_cmd("sum", "prod") for t in items[:k]):
            return True      # e^{...} is the exponential function: \cos x e^{x} = cos(x) e^x (not \log \sum_i e^{x_i})
        if item.kind != "cmd":
            return False
        if item.text in FUNCTION_COMMANDS:
            return True
        if item.text in WORD_COMMANDS and k + 1 < len(items) and is_group(items[k + 1], "{"):
            word = self.source[items[k + 1].open.end:items[k + 1].close.pos].strip()
            return builtin(word) is not None and word not in self.decl.shapes
        return False


def _closing_bar(items, k) -> int:
    for j in range(k + 1, len(items)):
        if isinstance(items[j], Tok) and items[j].is_char("|"):
            return j
    raise Problem("an absolute value |...| is not closed", items[k].pos, items[k].end)


_SPACED = re.compile(r"\\[,;:> ]|\\(?:quad|qquad|thinspace|medspace|thickspace)(?![A-Za-z])")

# what ends the argument of a function written without parentheses
_ARGUMENT_STOPS = set("+-/=<>,|;&:!")
_STOP_COMMANDS = {"cdot", "times", "ast", "div", "circ", "odot", "pm", "mp", "quad", "qquad",
                  "text", "le", "leq", "ge", "geq", "ne", "neq", "leqslant", "geqslant", "lt",
                  "gt", "approx", "equiv", "coloneqq", "in", "to", "\\"}
