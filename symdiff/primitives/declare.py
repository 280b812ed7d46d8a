"""``primitive(...)``: everything symdiff knows about one primitive, declared in one call.

A declaration gives

- the SymPy meaning: an existing SymPy class (``sp.exp``, ``sp.MatMul``, a
  node of ``symdiff.matrix``), or, for a new function given by name, a new
  ``sympy.Function`` class built from its elementary form, with its NumPy and
  LaTeX printing as ``_numpycode`` / ``_latex`` methods (SymPy's printers find
  them on the class);
- the vector-Jacobian rule: ``vjp=`` one ``(g, ans, *args) -> contribution``
  per argument position (None: no gradient), or ``rule=`` a whole rule
  ``ctx -> [(arg, contribution), ...]`` over a ``RuleContext``; with neither,
  the node is differentiated through SymPy's own ``fdiff``;
- the names callable in program text (``names``, default the class name for
  a scalar function);
- ``tape``: the tape forward function that evaluates the head for the tape
  witness, written with tape ops only: the tape differentiates it with its own
  backward functions, so that witness stays independent of the rule;
- ``kink``: where the primitive is not differentiable, for the witnesses
  (``"zero"``: where its first argument is 0; ``"ties"``: where arguments tie);
- ``domain`` and ``image``: the open interval of the (first) argument where it
  is defined, and ``image(lo, hi) -> (lo, hi)`` bounding its values over an
  argument interval (``image(lo1, hi1, lo2, hi2, ...)`` for several
  arguments), so the expression strategies can build it at valid points.

The rule tables, the witnesses and the strategies read the declarations
(``DECLARED``, ``on_declare``); the declaration imports none of them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import sympy as sp

from ..errors import SymdiffError
from ..functions import Activation
from ..vocabulary import add_names

KINKS = (None, "zero", "ties")


@dataclass(frozen=True)
class Primitive:
    """One declared primitive (see ``primitive``)."""

    head: type
    names: Mapping[str, Callable]
    rule: Callable | None = None
    tape: Callable | None = None
    kink: str | None = None
    matrix: bool = False
    domain: tuple[float, float] | None = None
    image: Callable | None = None

    @property
    def name(self) -> str:
        return self.head.__name__

    @property
    def arity(self) -> int:
        nargs = getattr(self.head, "nargs", None)
        return min(nargs) if isinstance(nargs, sp.FiniteSet) and nargs else 1

    @property
    def smooth(self) -> bool:
        return self.kink is None


DECLARED: dict[type, Primitive] = {}
_LISTENERS: list[Callable[[Primitive], None]] = []


def on_declare(listener: Callable[[Primitive], None]) -> None:
    """Call ``listener`` for every declared primitive, now and for each one declared later."""
    _LISTENERS.append(listener)
    for p in list(DECLARED.values()):
        listener(p)


def primitive(head, *, vjp=None, rule=None, names=None, tape=None, kink=None, matrix=False, domain=None,
              image=None, elementary=None, numpy=None, latex=None, nargs=1) -> type:
    """Declare a primitive; returns its SymPy class (new when ``head`` is a name).

    ``head``: a SymPy class, or a name for a new function, then with
    ``elementary`` (a callable giving its value in elementary functions, also
    its derivative through ``fdiff``), ``numpy`` (a callable of the printed
    argument strings giving NumPy code) and ``latex`` (the LaTeX operator name).
    """
    if isinstance(head, str):
        head = new_function(head, elementary, numpy=numpy, latex=latex, nargs=nargs)
    elif elementary is not None or numpy is not None or latex is not None:
        raise SymdiffError(f"{head.__name__}: elementary/numpy/latex build a new function; "
                           f"an existing class carries its own")
    if kink not in KINKS:
        raise SymdiffError(f"{head.__name__}: kink must be one of {KINKS}, not {kink!r}")
    if vjp is not None and rule is not None:
        raise SymdiffError(f"{head.__name__}: give vjp (one per argument) or rule (whole), not both")
    if vjp is not None:
        rule = _rule_of(tuple(vjp) if isinstance(vjp, (tuple, list)) else (vjp,))
    if names is None:
        names = () if matrix else (head.__name__,)
    if not isinstance(names, Mapping):
        names = {n: head for n in names}
    declared = Primitive(head=head, names=dict(names), rule=rule, tape=tape, kink=kink, matrix=matrix,
                         domain=domain, image=image)
    DECLARED[head] = declared
    add_names(declared.names, matrix=matrix)
    for listener in _LISTENERS:
        listener(declared)
    return head


def _rule_of(arg_rules):
    """The full rule of flat per-argument rules ``(g, ans, *args) -> contribution``."""

    def rule(ctx):
        return [(arg, r(ctx.g, ctx.ans, *ctx.args))
                for arg, r in zip(ctx.args, arg_rules) if r is not None]

    rule.arg_rules = arg_rules
    return rule


def new_function(name: str, elementary: Callable, *, numpy: Callable | None = None, latex: str | None = None,
                 nargs: int = 1) -> type:
    """A new SymPy function ``name``: numbers evaluate through ``elementary``, ``fdiff`` differentiates it,
    ``_numpycode`` prints ``numpy(*argument strings)`` (default: the elementary form) and ``_latex``
    typesets ``latex`` (default ``\\operatorname{name}``)."""
    if not name.isidentifier():
        raise SymdiffError(f"{name!r} is not a name a program can call")
    if elementary is None:
        raise SymdiffError(f"{name}: a new function needs its elementary form")

    def fdiff(self, argindex=1):
        if not 1 <= argindex <= len(self.args):
            raise sp.ArgumentIndexError(self, argindex)
        xs = sp.symbols(f"x1:{len(self.args) + 1}", real=True)
        d = sp.diff(elementary(*xs), xs[argindex - 1])
        return d.xreplace(dict(zip(xs, self.args)))

    body = {"nargs": nargs, "latex_name": latex or rf"\operatorname{{{name}}}",
            "elementary": classmethod(lambda cls, *args: elementary(*args)), "fdiff": fdiff,
            "__doc__": f"{name}, declared with symdiff.primitive"}
    if numpy is not None:
        # parenthesized: the code is an atom wherever the printer puts it (mish(x)**2)
        body["_numpycode"] = lambda self, printer: f"({numpy(*(printer._print(a) for a in self.args))})"
    else:
        body["_numpycode"] = lambda self, printer: f"({printer._print(self.rewrite('elementary'))})"
    return type(name, (Activation,), body)
