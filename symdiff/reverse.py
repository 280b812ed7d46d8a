"""The reverse pass of the lecture ("Алгоритм дифференцирования по графу вычислений").

Over the linearized program, in reverse order of the forward pass, each node's
adjoint dQ/dv (the sum of what its consumers sent it: the generalized chain
rule) is assigned a name, then its rule from the table sends contributions to
its arguments.  The result is a straight-line program: the forward assignments
followed by the adjoint assignments, linear in the size of the DAG.
"""
from __future__ import annotations

import warnings
from collections import ChainMap
from dataclasses import dataclass, field

import sympy as sp

from .budget import run_with_budget
from .closed_form import closed_form, tree_size
from .errors import (BudgetExceeded, ClosedFormTooLarge, NoRuleError, ProgramError, ShapeError, SymdiffError,
                     SymdiffWarning)
from .program import Program, as_program, fresh_name, value_symbols
from .rules import SCALAR_RULES, TIE_POLICIES, RuleContext, RuleTable
from .matrix import Broadcast, is_matrix
from .rules.matrix import MATRIX_RULES

# One lookup over both tables: matrix heads (MatMul, MatAdd...) are distinct classes
# from the scalar ones, and a class's own entry is found before its bases' (MatMul
# before Mul).  A live view, so a primitive declared later (in user code) is seen.
DEFAULT_RULES = RuleTable(ChainMap(MATRIX_RULES.rules, SCALAR_RULES.rules), ChainMap(SCALAR_RULES.names))

DEFAULT_MAX_CLOSED_FORM_SIZE = 20_000


def gradient(f, wrt, *, tie_policy: str = "first", output: str | None = None,
             rules: RuleTable | None = None) -> "Gradient":
    """Reverse-mode gradient of a scalar function with respect to ``wrt``.

    ``f`` is a SymPy expression, program text, an expression string or a
    ``Program``; ``wrt`` a symbol, a name, or a sequence of them (inputs or
    named intermediates).  ``tie_policy`` picks the lecture's max/min variant:
    'first', 'average' or 'all'.
    """
    if tie_policy not in TIE_POLICIES:
        raise SymdiffError(f"unknown tie policy {tie_policy!r}; choose one of {', '.join(TIE_POLICIES)}")
    forward = as_program(f, output=output)
    linear = forward.linearized()
    wrt_symbols = _resolve_wrt(wrt, linear)
    return _ReversePass(linear, wrt_symbols, rules or DEFAULT_RULES, tie_policy).run(forward)


def _resolve_wrt(wrt, program: Program) -> tuple[sp.Symbol, ...]:
    if isinstance(wrt, (str, sp.Symbol)):
        wrt = [wrt]
    out = []
    for w in wrt:
        if isinstance(w, str):
            names = [n.strip() for n in w.split(",") if n.strip()]
        else:
            names = [w]
        for n in names:
            if isinstance(n, str):
                if not n.isidentifier():
                    raise ProgramError(f"{n!r} is not a variable name")
                n = program.symbol(n) or sp.Symbol(n, real=True)
            elif isinstance(n, sp.Symbol) and n not in program.inputs and n not in program:
                n = program.symbol(n.name) or n  # sp.symbols("x") for program text's real x
            if not isinstance(n, (sp.Symbol, sp.MatrixSymbol)):
                raise ProgramError(f"can only differentiate with respect to a symbol, got {n!r}")
            if n not in out:
                out.append(n)
    if not out:
        raise ProgramError("no variable to differentiate with respect to")
    return tuple(out)


class _ReversePass:
    def __init__(self, linear: Program, wrt, rules: RuleTable, tie_policy: str):
        self.linear = linear
        self.wrt = wrt
        self.rules = rules
        self.tie_policy = tie_policy
        self.output = linear.output
        self.used = {s.name for s in linear.inputs} | {t.name for t in linear.targets()} | {w.name for w in wrt}
        self.program = Program(inputs=linear.inputs)
        for a in linear.lines:
            self.program.let(a.target, a.expr, line=a.line)
        self.adjoint_of: dict[sp.Symbol, sp.Symbol] = {}
        self.auxiliary: list[sp.Symbol] = []

    def _adjoint_name(self, node: sp.Symbol) -> str:
        return fresh_name(f"d{self.output.name}_d{node.name}", self.used)

    def _emit_adjoint(self, node, value) -> sp.Symbol:
        sym = self.program.let(self._adjoint_name(node), value)
        self.adjoint_of[node] = sym
        return sym

    def _let_aux(self, hint: str, expr) -> sp.Symbol:
        sym = self.program.let(fresh_name(f"{hint}_{self._current.name}", self.used), expr)
        self.auxiliary.append(sym)
        return sym

    def run(self, forward: Program) -> "Gradient":
        wrt_set = set(self.wrt)
        # Only nodes that depend on some wrt variable carry an adjoint worth computing.
        depends = set(wrt_set)
        for a in self.linear.lines:
            if a.target in wrt_set or not a.expr.free_symbols.isdisjoint(depends):
                depends.add(a.target)
        pending: dict[sp.Symbol, list] = {self.output: [_seed(self.output)]}
        for a in reversed(self.linear.lines):
            node = a.target
            contributions = pending.pop(node, None)
            if not contributions or node not in depends:
                continue
            g = _accumulate(contributions)
            if not _passes_on(g) or node in wrt_set:
                g = self._emit_adjoint(node, g)
            if node in wrt_set and not (a.expr.free_symbols & depends):
                continue  # nothing above it needs an adjoint
            self._current = node
            for arg, contribution in self._apply_rule(a, g):
                if isinstance(arg, sp.Mul) and len(arg.args) == 2 and arg.args[0].is_Number:
                    arg, contribution = arg.args[1], arg.args[0] * contribution  # inline c*X
                if arg in depends and not _is_zero(contribution):
                    pending.setdefault(arg, []).append(contribution)
        grads = {}
        for w in self.wrt:
            if w in self.adjoint_of:
                grads[w] = self.adjoint_of[w]
            else:
                grads[w] = self._emit_adjoint(w, _accumulate(pending.get(w) or [_zero_like(w)]))
        return Gradient(forward=forward, program=self.program.set_output(self.output, *grads.values()),
                        wrt=self.wrt, output=self.output, grads=grads,
                        adjoint_of=self.adjoint_of, auxiliary=tuple(self.auxiliary),
                        n_forward=len(self.linear), tie_policy=self.tie_policy)

    def _apply_rule(self, assignment, g):
        expr = assignment.expr
        if isinstance(expr, (sp.Symbol, sp.MatrixSymbol)):  # a copy, A = x
            return [(expr, g)]
        if expr.is_Number or not value_symbols(expr):
            return []
        rule = self.rules.lookup(type(expr))
        where = f"line {assignment.line}: " if assignment.line is not None else ""
        if rule is None:
            raise NoRuleError(f"{where}no derivative rule for {type(expr).__name__} "
                              f"in {assignment.target} = {sp.sstr(expr)}")
        ctx = RuleContext(expr=expr, ans=assignment.target, g=g, let=self._let_aux,
                          tie_policy=self.tie_policy, elementwise_derivative=elementwise_derivative)
        try:
            return rule(ctx)
        except NoRuleError as exc:
            raise NoRuleError(f"{where}{exc} (in {assignment.target} = {sp.sstr(expr)})") from None


def elementwise_derivative(function):
    """f'(x) for an elementwise f, as a Lambda of (x, y = f(x)).

    A single table function gets its rule's form in terms of the value (for
    tanh: 1 - y^2, for exp: y); a compound body goes through the scalar
    reverse pass.
    """
    x, y = sp.Dummy("x", real=True), sp.Dummy("y", real=True)
    body = function(x) if not isinstance(function, sp.Lambda) else function.expr.xreplace(
        {function.variables[0]: x})
    rule = SCALAR_RULES.lookup(type(body)) if not body.is_Atom else None
    if rule is not None and body.args == (x,):
        parts = rule(RuleContext(expr=body, ans=y, g=sp.Integer(1), let=_no_let))
        d = sp.Add(*[c for a, c in parts if a == x])
        return sp.Lambda((x, y), d)
    g = gradient(body, [x])
    return sp.Lambda((x, y), g.closed_form(x))


def _no_let(hint, expr):
    return expr


@dataclass
class Gradient:
    """The gradient of one scalar output as a straight-line program plus closed forms."""

    forward: Program
    program: Program
    wrt: tuple[sp.Symbol, ...]
    output: sp.Symbol
    grads: dict[sp.Symbol, sp.Symbol]
    adjoint_of: dict[sp.Symbol, sp.Symbol]
    auxiliary: tuple[sp.Symbol, ...] = ()
    n_forward: int = 0
    tie_policy: str = "first"
    _sizes: dict | None = field(default=None, repr=False)

    # -- program views -----------------------------------------------------
    @property
    def forward_part(self) -> list[tuple[sp.Symbol, sp.Expr]]:
        return self.program.assignments[:self.n_forward]

    @property
    def adjoint_part(self) -> list[tuple[sp.Symbol, sp.Expr]]:
        return self.program.assignments[self.n_forward:]

    def symbol_of(self, x) -> sp.Symbol:
        """The program symbol holding d output / d x."""
        return self.grads[self._key(x)]

    def _key(self, x) -> sp.Symbol:
        if not isinstance(x, str) and x in self.grads:
            return x
        # The name, or a symbol of that name with other assumptions: sp.symbols("x") for the
        # real=True x of program text.
        name = x if isinstance(x, str) else getattr(x, "name", None)
        for w in self.wrt:
            if w.name == name:
                return w
        raise KeyError(f"{x} is not among the variables of this gradient: {', '.join(map(str, self.wrt))}")

    # -- closed forms --------------------------------------------------------
    def estimated_size(self, x) -> int:
        """Tree size of the fully substituted closed form (exact count, may be astronomically large)."""
        sizes = self._tree_sizes()
        return sizes.get(self.symbol_of(x), 1)

    def _tree_sizes(self) -> dict:
        if self._sizes is None:
            sizes: dict[sp.Symbol, int] = {}
            for target, expr in self.program.assignments:
                sizes[target] = tree_size(expr, sizes)
            self._sizes = sizes
        return self._sizes

    def closed_form(self, x, *, simplify: bool = False, budget: float = 10.0,
                    max_size: int = DEFAULT_MAX_CLOSED_FORM_SIZE) -> sp.Expr:
        """d output / d x with every intermediate substituted.

        Raises ``ClosedFormTooLarge`` (with the estimate) rather than building
        an expression of more than ``max_size`` tree nodes.  ``simplify`` runs
        ``sympy.simplify`` under ``budget`` seconds; when it does not finish, the
        unsimplified form comes back with a ``SymdiffWarning``.
        """
        target = self.symbol_of(x)
        size = self.estimated_size(x)
        if size > max_size:
            raise ClosedFormTooLarge(
                f"the closed form of d{self.output}/d{self._key(x)} would have about {_human(size)} "
                f"tree nodes (limit {max_size}); use the gradient program instead", size)
        expr = self._substitute(target, keep=set())
        if simplify:
            try:
                expr = run_with_budget(sp.simplify, expr, seconds=budget)
            except BudgetExceeded as exc:
                warnings.warn(f"simplification of d{self.output}/d{self._key(x)} stopped: {exc}",
                              SymdiffWarning, stacklevel=2)
        return expr

    def __getitem__(self, x) -> sp.Expr:
        return self.closed_form(x)

    def in_intermediates(self, x) -> sp.Expr:
        """d output / d x in terms of the forward intermediates (adjoints substituted).

        For the lecture's example this is cos(S)*H - y*G/M**2.
        """
        forward_targets = {t for t, _ in self.forward_part}
        return self._substitute(self.symbol_of(x), keep=forward_targets)

    def _substitute(self, target, keep: set) -> sp.Expr:
        return closed_form(self.program, target, keep=keep, sympy_matrix=True)

    def closed_forms(self, **kwargs) -> dict[sp.Symbol, sp.Expr]:
        return {w: self.closed_form(w, **kwargs) for w in self.wrt}

    def __repr__(self) -> str:
        return (f"<Gradient of {self.output} w.r.t. {', '.join(map(str, self.wrt))}: "
                f"{len(self.program)} assignments, {self.n_forward} forward>")

    def _repr_latex_(self) -> str:
        """Jupyter: the forward and adjoint programs and the closed forms."""
        from .display import gradient_latex
        return gradient_latex(self)


def _seed(output):
    """d output / d output: 1, or the 1x1 identity for a 1x1 matrix output."""
    if isinstance(output, sp.MatrixSymbol):
        if output.shape != (1, 1):
            raise ShapeError(f"the function is not scalar-valued: {output.name} has shape "
                             f"{output.shape[0]} x {output.shape[1]}")
        return sp.Identity(1)
    return sp.Integer(1)


def _passes_on(g) -> bool:
    """A constant adjoint, or a symbol times a ones matrix, is passed on unnamed.

    Naming s*1 would make the consumers see an opaque matrix and build the
    ones matrix; passed on, c*1 ∘ X simplifies to c*X.
    """
    if not value_symbols(g):
        return True
    return (isinstance(g, sp.MatMul) and len(g.args) == 2 and isinstance(g.args[1], sp.OneMatrix)
            and (g.args[0].is_Symbol or g.args[0].is_Number))


def _accumulate(contributions):
    """The generalized chain rule: a node used several times sums its adjoints."""
    if len(contributions) == 1:
        return contributions[0]
    if is_matrix(contributions[0]):
        return sp.MatAdd(*contributions).doit(deep=False)
    return sp.Add(*contributions)


def _is_zero(x) -> bool:
    return x == 0 or isinstance(x, sp.ZeroMatrix)


def _zero_like(w):
    return sp.ZeroMatrix(*w.shape) if isinstance(w, sp.MatrixSymbol) else sp.Integer(0)


def _human(n: int) -> str:
    return f"{n:,}" if n < 10 ** 12 else f"10^{len(str(n)) - 1}"
