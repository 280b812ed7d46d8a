"""Rewrites of a matrix program's lines before they are printed: the same values, fewer array
operations.  Each is an identity of matrix algebra; the lines stay SymPy expressions.

* A copy (``dE_dA = dE_dB``) stands for the other name, so the rewrites below see through it.
* A Hadamard product that holds every factor of one computed on an earlier line reuses that
  line's value: the reverse pass of ``y = n∘s⁻¹`` writes ``-s⁻¹∘s⁻¹∘n`` for the adjoint of
  ``s``, which is ``-y∘s⁻¹`` (one product instead of two).
* A negation moves from a line to the one place that uses its value, through the operations
  that pass a sign on (products, transposes, sums of entries, odd elementwise functions), until
  a sum takes it as a subtraction, an even function drops it or two signs cancel: the adjoint
  ``-(A∘B)∘sign(P) + C`` is printed ``C - A∘B∘sign(P)``.  It never moves to a larger array,
  and it never turns into two negations.
* An entrywise line and the entrywise lines only it reads are written as one entrywise function
  whose common factors are taken out when that saves operations: the SMAPE adjoint
  ``I∘sign(D) - (I∘E)∘sign(P)`` becomes ``I∘(sign(D) - E∘sign(P))``.
"""
from __future__ import annotations

import functools
from collections import Counter

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..canonical import post_order
from .in_place import ENTRYWISE, EntrywiseBody
from ..matrix import Broadcast, ColSums, Elementwise, RowSums, ScaleRows, SumEntries

_SYMBOLS = (sp.Symbol, sp.MatrixSymbol)
# nodes linear in their first argument and constant in the others: -X gives -node
_LINEAR_IN_FIRST = (sp.Transpose, sp.Trace, SumEntries, ColSums, RowSums, Broadcast)


def lean_assignments(assignments, returned) -> list:
    """The rewrites of the module docstring, in order, over ``(target, expr)`` lines."""
    assignments = without_copies(assignments, returned)
    assignments = reused_products(assignments)
    assignments = absorbed_signs(assignments, returned)
    return factored_sums(assignments, returned)


def without_copies(assignments, returned) -> list:
    """Lines ``t = s`` (``t`` not returned) dropped, ``s`` written for ``t`` after them."""
    alias: dict = {}
    out = []
    for target, expr in assignments:
        if alias:
            expr = expr.xreplace(alias)
        if isinstance(expr, _SYMBOLS) and target not in returned \
                and getattr(expr, "shape", None) == getattr(target, "shape", None):
            alias[target] = expr
            continue
        out.append((target, expr))
    return out


# -- products computed once ------------------------------------------------------------------

def _hadamard_factors(expr):
    """(numeric coefficient, Counter of factors) of a Hadamard product; X∘^k counts X k times."""
    coeff, factors = sp.Integer(1), Counter()
    for a in expr.args:
        if isinstance(a, sp.MatMul) and len(a.args) == 2 and a.args[0].is_Number:
            coeff *= a.args[0]
            a = a.args[1]
        if isinstance(a, sp.HadamardPower) and a.exp.is_Integer and a.exp > 0:
            factors[a.base] += int(a.exp)
        else:
            factors[a] += 1
    return coeff, factors


def _hadamard_of(coeff, factors: Counter):
    mats = [b if k == 1 else sp.HadamardPower(b, k) for b, k in factors.items() if k > 0]
    product = mats[0] if len(mats) == 1 else sp.HadamardProduct(*mats)
    return product if coeff == 1 else sp.MatMul(coeff, product)


class _Products:
    """Hadamard products computed by earlier lines, found through any one of their factors."""

    def __init__(self):
        self.by_factor: dict = {}

    def add(self, target, expr):
        coeff, factors = _hadamard_factors(expr)
        if coeff == 1 and sum(factors.values()) >= 2:
            for f in factors:
                self.by_factor.setdefault(f, []).append((factors, target))

    def reuse(self, expr):
        """``expr`` (a Hadamard product) with the largest earlier products among its factors
        replaced by their names, repeatedly: each replacement leaves fewer factors."""
        coeff, factors = _hadamard_factors(expr)
        changed = False
        while True:
            best = None
            for f in list(factors):
                for known, name in self.by_factor.get(f, ()):
                    size = sum(known.values())
                    if (best is None or size > best[0]) and all(factors[k] >= n for k, n in known.items()):
                        best = (size, known, name)
            if best is None:
                break
            factors.subtract(best[1])
            factors = Counter({k: n for k, n in factors.items() if n > 0})
            factors[best[2]] += 1
            changed = True
        return _hadamard_of(coeff, factors) if changed else expr


def _rebuilt(expr, rewrite):
    """``expr`` with ``rewrite`` applied to every subexpression, children first."""
    new: dict = {}
    for node in post_order(expr, _children):
        args = node.args
        if any(a in new for a in args):
            node2 = node.func(*[new.get(a, a) for a in args])
        else:
            node2 = node
        out = rewrite(node2)
        if out is not node:
            new[node] = out
    return new.get(expr, expr)


def _children(node):
    if isinstance(node, sp.Lambda):
        return []
    return [a for a in node.args if isinstance(a, sp.Basic)]


def reused_products(assignments) -> list:
    """Every Hadamard product that contains an earlier line's product reads that line."""
    products = _Products()
    out = []
    for target, expr in assignments:
        if expr.has(sp.HadamardProduct, sp.HadamardPower) and products.by_factor:
            expr = _rebuilt(expr, lambda e: products.reuse(e) if isinstance(e, sp.HadamardProduct) else e)
        if isinstance(expr, sp.HadamardProduct):
            products.add(target, expr)
        out.append((target, expr))
    return out


# -- signs -------------------------------------------------------------------------------------

def _negated(e):
    """-e, folding the sign into a numeric coefficient when there is one."""
    if isinstance(e, MatrixExpr):
        if isinstance(e, sp.MatMul) and e.args[0].is_Number:
            c = -e.args[0]
            rest = e.args[1:]
            if c == 1:
                return rest[0] if len(rest) == 1 else sp.MatMul(*rest)
            return sp.MatMul(c, *rest)
        return sp.MatMul(sp.Integer(-1), e)
    return -e


@functools.lru_cache(maxsize=4096)
def _parity(function, k) -> int:
    """+1 if the Lambda is even in its k-th variable, -1 if odd, 0 if neither (or unknown)."""
    v = function.variables[k]
    body = function.expr
    flipped = body.xreplace({v: -v})
    if flipped == body:
        return 1
    if flipped == -body:
        return -1
    return 0


def _size(shape):
    return shape[0] * shape[1]


def _not_larger(node, child) -> bool:
    """The node's value has no more entries than the child's (scalars have one)."""
    a = _size(node.shape) if isinstance(node, MatrixExpr) else 1
    b = _size(child.shape) if isinstance(child, MatrixExpr) else 1
    if a == b:
        return True
    return bool(sp.sympify(a - b).is_nonpositive)


def _sign_passing(node, k) -> bool:
    """Does a sign of the node's k-th argument come out of the node as a sign (or vanish)?"""
    if isinstance(node, (sp.MatMul, sp.Mul, sp.MatAdd, sp.Add, sp.HadamardProduct)):
        return True
    if isinstance(node, _LINEAR_IN_FIRST + (sp.Inverse,)):
        return k == 0
    if isinstance(node, ScaleRows):
        return True
    if isinstance(node, sp.HadamardPower):
        return k == 0 and node.exp.is_Integer
    if isinstance(node, Elementwise):
        return k >= 1 and _parity(node.args[0], k - 1) != 0
    if isinstance(node, ElementwiseApplyFunction):
        return k == 1 and _parity(node.function, 0) != 0
    return False


def _sign_free_uses(assignments, returned) -> set:
    """Names used exactly once, not returned, in a place whose sign reaches the line's value
    through sign-passing nodes none of which is larger than what it passes on."""
    uses: Counter = Counter()
    passing: set = set()
    for _, expr in assignments:
        stack = [(expr, True)]
        while stack:
            node, ok = stack.pop()
            if isinstance(node, _SYMBOLS):
                uses[node] += 1
                if ok:
                    passing.add(node)
                continue
            if isinstance(node, sp.Lambda):   # a name inside a function's body is not signed
                uses.update(s for s in node.free_symbols if isinstance(s, _SYMBOLS))
                continue
            for k, a in enumerate(node.args):
                if isinstance(a, sp.Basic):
                    stack.append((a, ok and _sign_passing(node, k) and _not_larger(node, a)))
    return {s for s in passing if uses[s] == 1 and s not in returned}


class _Signs:
    """Each subexpression as (sign, expression without that sign), children first."""

    def __init__(self, negated: set):
        self.negated = negated

    def split(self, expr):
        done: dict = {}
        for node in post_order(expr, _children):
            done[node] = self._node(node, done)
        return done[expr]

    def _node(self, node, done):
        if isinstance(node, _SYMBOLS):
            return (-1, node) if node in self.negated else (1, node)
        if isinstance(node, sp.Lambda) or not node.args:
            return (1, node)   # a number's sign stays with the coefficient it belongs to
        parts = [done.get(a, (1, a)) if isinstance(a, sp.Basic) else (1, a) for a in node.args]
        if all(s == 1 for s, _ in parts) and all(a is b for (_, a), b in zip(parts, node.args)):
            return (1, node) if not self._negative_coefficient(node) else self._split_coefficient(node)
        if isinstance(node, (sp.MatAdd, sp.Add)):
            if all(s == -1 for s, _ in parts):
                return (-1, node.func(*[a for _, a in parts]))
            return (1, node.func(*[a if s == 1 else _negated(a) for s, a in parts]))
        if isinstance(node, (sp.MatMul, sp.Mul, sp.HadamardProduct, ScaleRows)):
            sign = 1
            for s, _ in parts:
                sign *= s
            rebuilt = node.func(*[a for _, a in parts])
            if self._negative_coefficient(rebuilt):
                s2, rebuilt = self._split_coefficient(rebuilt)
                sign *= s2
            return (sign, rebuilt)
        if isinstance(node, sp.HadamardPower) and node.exp.is_Integer:
            s, base = parts[0]
            return (s ** int(node.exp), sp.HadamardPower(base, node.exp))
        if isinstance(node, _LINEAR_IN_FIRST + (sp.Inverse,)):
            s, first = parts[0]
            rest = [a if t == 1 else _negated(a) for t, a in parts[1:]]
            return (s, node.func(first, *rest))
        if isinstance(node, (Elementwise, ElementwiseApplyFunction)):
            function = node.args[0]
            sign, mats = 1, []
            for k, (s, a) in enumerate(parts[1:]):
                parity = _parity(function, k) if s == -1 else 1
                if parity == 0:
                    mats.append(_negated(a))
                else:
                    sign *= parity
                    mats.append(a)
            return (sign, node.func(function, *mats))
        return (1, node.func(*[a if s == 1 else _negated(a) for s, a in parts]))

    @staticmethod
    def _negative_coefficient(node) -> bool:
        return isinstance(node, (sp.MatMul, sp.Mul)) and node.args and node.args[0].is_Number \
            and node.args[0].is_negative

    @staticmethod
    def _split_coefficient(node):
        return (-1, _negated(node))


def absorbed_signs(assignments, returned) -> list:
    """A line whose value is ``-X`` computes ``X`` when its one use passes the sign on: the
    use reads the name as ``-name`` (see the module docstring)."""
    movable = _sign_free_uses(assignments, returned)
    negated: set = set()
    signs = _Signs(negated)
    out = []
    for target, expr in assignments:
        sign, rest = signs.split(expr)
        if sign == -1:
            if target in movable:
                negated.add(target)
                expr = rest
            else:
                expr = _negated(rest)
        elif rest is not expr:
            expr = rest
        out.append((target, expr))
    return out


# -- common factors of entrywise sums ---------------------------------------------------------

def _entrywise(expr) -> bool:
    return isinstance(expr, ENTRYWISE) or (
        isinstance(expr, sp.MatMul) and sum(isinstance(a, MatrixExpr) for a in expr.args) == 1)


class _InlinedBody(EntrywiseBody):
    """The scalar body of an entrywise line, with the entrywise lines read only there inlined."""

    def __init__(self, single_use: dict):
        super().__init__()
        self.single_use = single_use   # name -> its entrywise expression
        self.inlined: set = set()
        self.repeated = False   # a line read twice: inlined, it would be computed twice

    def leaf(self, e):
        if e in self.single_use:
            self.repeated |= e in self.inlined
            self.inlined.add(e)
            return self.of(self.single_use[e])
        return super().leaf(e)


def factored_sums(assignments, returned) -> list:
    """Entrywise lines written as one function with common factors out, where that saves
    operations (counted by SymPy's ``count_ops``); the lines inlined into them are dropped."""
    readers: Counter = Counter()
    for _, expr in assignments:
        readers.update(s for s in expr.free_symbols if isinstance(s, sp.MatrixSymbol))
    single_use = {t: e for t, e in assignments if isinstance(t, sp.MatrixSymbol) and readers[t] == 1
                  and t not in returned and _entrywise(e)}
    replaced: dict = {}
    dropped: set = set()
    for target, expr in assignments:
        if not (_entrywise(expr) and isinstance(target, sp.MatrixSymbol)) or target in dropped:
            continue
        maker = _InlinedBody({t: e for t, e in single_use.items() if t.shape == target.shape})
        body = maker.of(expr)
        if not maker.inlined or not body.has(sp.Add):
            continue
        if maker.repeated or any(leaf.has(t) for leaf in maker.leaves for t in maker.inlined):
            continue   # read twice, or also inside a leaf (sum(d) + d): the line must stay
        factored = sp.factor_terms(body)
        if sp.count_ops(factored) >= sp.count_ops(body):
            continue
        leaves = list(maker.leaves.items())
        function = sp.Lambda(tuple(s for _, s in leaves), factored)
        replaced[target] = Elementwise(function, *[m for m, _ in leaves])
        dropped |= maker.inlined
    if not replaced:
        return assignments
    return [(t, replaced.get(t, e)) for t, e in assignments if t not in dropped]
