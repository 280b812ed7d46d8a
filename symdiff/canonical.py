"""Canonical forms with hash-consing: one graph node per quantity, however SymPy spelled it.

SymPy rewrites matrix expressions eagerly: ``(A*B).T`` becomes ``B.T*A.T``,
``(A + B).T`` becomes ``A.T + B.T``, ``applyfunc`` and coefficients are pushed
through, so ``R.T*R`` arrives as two copies of the graph of ``R``.  Here every
subexpression is read, bottom up and once, as ``c * op(node)``: a scalar
coefficient ``c``, a canonical node, and ``op`` the identity or the transpose.
A node and its transpose (and its negation) get the same canonical key, so the
second spelling becomes a transpose (a view when compiled) and a coefficient
of the first, not a second computation.  The work is one dictionary look-up per
subexpression: linear in the size of the graph, no pairwise comparison.

On the way, products with ones matrices become column/row sums and broadcasts
(``symdiff.matrix.reduce_ones``).  Every rewrite is an identity of matrix algebra; the result
is an ordinary SymPy expression whose shared parts are structurally equal, so
``Program.from_expr`` shares them as before.
"""
from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixElement, MatrixExpr

from .matrix import Broadcast, ColSums, Elementwise, RowSums, SumEntries, reduce_ones

_ONE = sp.Integer(1)


def canonical_expression(expr):
    """``expr`` with every quantity spelled one way (see the module docstring)."""
    if not isinstance(expr, MatrixExpr) and not _has_matrix(expr):
        return _scalar_canonical(expr)
    return _Canonicalizer().expression(expr)


def post_order(expr, children=None) -> list:
    """Distinct subexpressions (by identity), children before parents, without recursion (deep
    graphs must not hit the recursion limit).  ``children(node)`` defaults to its SymPy args."""
    order, seen, stack = [], set(), [(expr, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        kids = children(node) if children is not None else [a for a in node.args if isinstance(a, sp.Basic)]
        stack.extend((a, False) for a in kids)
    return order


def _rebuild_unevaluated(e, args):
    try:
        return e.func(*args, evaluate=False)   # the arguments changed spelling, not value
    except TypeError:
        return e.func(*args)


def _scalar_canonical(expr):
    """Scalar input: SymPy's canonical form already makes sin(-u) = -sin(u), cos(-u) = cos(u),
    |-u| = |u| and -(a - b) = b - a; two spellings it leaves apart are made one here:

    * an even power of a sum, (b - a)**2, where the sum's negation a - b is also computed, as
      (a - b)**2 (SymPy's preferred sign of the two), so both spellings are one node;
    * exp(-u) where exp(u) is also computed, as 1/exp(u): one exp, not two.

    A spelling nothing shares stays as written (the lecture's (y - ŷ)**2 keeps its sign), and
    nodes that need no change stay the very objects they were."""
    order = post_order(expr)
    exps = {e.args[0] for e in order if isinstance(e, sp.exp)}
    sums = {e for e in order if isinstance(e, sp.Add)}
    new: dict = {}
    for e in order:
        if not e.args or isinstance(e, (sp.Lambda, sp.Piecewise)) or not isinstance(e, sp.Expr):
            continue
        args = tuple(new.get(a, a) for a in e.args)
        changed = any(a is not b for a, b in zip(args, e.args))
        out = _rebuild_unevaluated(e, args) if changed else e
        if isinstance(out, sp.Pow) and out.exp.is_Integer and out.exp % 2 == 0 \
                and isinstance(out.base, sp.Add) and out.base.could_extract_minus_sign() and -out.base in sums:
            out = sp.Pow(-out.base, out.exp, evaluate=False)
        elif isinstance(out, sp.exp) and out.args[0].could_extract_minus_sign() and -out.args[0] in exps:
            out = sp.Pow(sp.exp(-out.args[0]), -1, evaluate=False)
        if out is not e:
            new[e] = out
    return new.get(expr, expr)


def _has_matrix(expr) -> bool:
    stack, seen = [expr], set()
    while stack:
        e = stack.pop()
        if isinstance(e, MatrixExpr):
            return True
        if id(e) not in seen:
            seen.add(id(e))
            stack.extend(e.args)
    return False


def _is_matrix(x) -> bool:
    return isinstance(x, MatrixExpr)


def _op(rep, t):
    return sp.Transpose(rep) if t else rep


def _scaled(c, x):
    if c == 1:
        return x
    if _is_matrix(x):
        return sp.MatMul(c, x)
    return c * x


def _transposed_is_canonical(keyed, flipped) -> bool:
    """Of a node's two spellings, ``keyed`` and its transpose ``flipped`` (tuples of (id, transposed)),
    the canonical one has fewer transposed operands (X W, not Wᵀ Xᵀ), then the smaller key."""
    def rank(k):
        return (sum(t for _, t in k), k)
    return rank(flipped) < rank(keyed)


class _Canonicalizer:
    def __init__(self):
        self.nodes: dict = {}    # canonical key -> the node's one representative expression
        self.ids: dict = {}      # representative -> its number (creation order: deterministic)
        self.done: dict = {}     # subexpression -> (c, representative, transposed)

    # -- bookkeeping -----------------------------------------------------------
    def _id(self, rep) -> int:
        n = self.ids.get(rep)
        if n is None:
            n = self.ids[rep] = len(self.ids)
        return n

    def _node(self, key, build):
        rep = self.nodes.get(key)
        if rep is None:
            rep = self.nodes[key] = build()
            self._id(rep)
            self.done.setdefault(rep, (_ONE, rep, False))
        return rep

    def expression(self, expr):
        for node in post_order(expr):
            hash(node)   # bottom-up, so each hash reuses its children's
            if node not in self.done:
                self.done[node] = self._canon(node)
        c, rep, t = self.done[expr]
        return _scaled(c, _op(rep, t))

    def _form(self, x):
        return self.done[x] if x in self.done else self._canon(x)

    def _expr_of(self, x):
        c, rep, t = self._form(x)
        return _scaled(c, _op(rep, t))

    # -- one node ----------------------------------------------------------------
    def _canon(self, e):
        if e.is_Atom or isinstance(e, (sp.MatrixSymbol, sp.Identity, sp.ZeroMatrix, sp.OneMatrix)):
            self._id(e)
            return (_ONE, e, False)
        if isinstance(e, sp.Transpose):
            c, rep, t = self._form(e.arg)
            return (c, rep, not t)
        if isinstance(e, sp.MatMul):
            return self._matmul(e)
        if isinstance(e, sp.MatAdd):
            return self._matadd(e.args)
        if isinstance(e, sp.HadamardProduct):
            return self._hadamard(e.args)
        if isinstance(e, ElementwiseApplyFunction):
            c, rep, t = self._form(e.expr)
            inner = _scaled(c, rep)
            return (_ONE, self._node(("apply", e.function, inner),
                                     lambda: ElementwiseApplyFunction(e.function, inner)), t)
        if isinstance(e, Elementwise):
            forms = [self._form(m) for m in e.args[1:]]
            if len({t for _, _, t in forms}) == 1:   # f(Aᵀ, Bᵀ) = f(A, B)ᵀ
                t = forms[0][2]
                mats = tuple(_scaled(c, rep) for c, rep, _ in forms)
                return (_ONE, self._node(("elementwise", e.args[0], mats),
                                         lambda: Elementwise(e.args[0], *mats)), t)
        if isinstance(e, sp.Inverse):
            c, rep, t = self._form(e.arg)
            return (1 / c, self._node(("inv", rep), lambda: sp.Inverse(rep)), t)
        if isinstance(e, sp.MatPow) and e.args[1].is_Integer:
            c, rep, t = self._form(e.args[0])
            k = e.args[1]
            return (c ** k, self._node(("pow", rep, k), lambda: sp.MatPow(rep, k)), t)
        if isinstance(e, sp.Trace):
            return self._trace(e.arg)
        if isinstance(e, SumEntries):
            c, rep, _ = self._form(e.args[0])
            return self._scalar(_scaled(c, self._node(("sum", rep), lambda: SumEntries(rep))))
        if isinstance(e, (ColSums, RowSums)):
            c, rep, t = self._form(e.args[0])
            cls = type(e) if not t else (RowSums if isinstance(e, ColSums) else ColSums)
            return (c, self._node((cls.__name__, rep), lambda: cls(rep)), t)
        if isinstance(e, Broadcast):
            c, rep, t = self._form(e.args[0])
            ones = e.args[1]
            # the orientation in which the broadcast vector is a row (or the plain node, for 1 x 1)
            v = _op(rep, t)
            flip = v.shape[0] != 1 or (v.shape[1] == 1 and t)
            target = sp.OneMatrix(ones.shape[1], ones.shape[0]) if flip else ones
            tv = t != flip
            return (c, self._node(("broadcast", rep, tv, target.shape),
                                  lambda: Broadcast(_op(rep, tv), target)), flip)
        if isinstance(e, MatrixElement):
            c, rep, t = self._form(e.args[0])
            i, j = (e.args[2], e.args[1]) if t else (e.args[1], e.args[2])
            if isinstance(rep, sp.MatMul) and rep in self.ids and len(rep.args) == 2:
                # (P Q)[i, j] = P[i, :] Q[:, j]: one row times one column, not the whole product
                P, Q = rep.args
                cr, row_col, _ = self._form(sp.MatMul(P[i:i + 1, :], Q[:, j:j + 1]))
                return self._scalar(_scaled(c * cr, MatrixElement(row_col, 0, 0)))
            return self._scalar(_scaled(c, MatrixElement(rep, i, j)))
        return self._generic(e)

    def _scalar(self, value):
        if value in self.done:
            return self.done[value]
        self._id(value)
        return (_ONE, value, False)

    def _generic(self, e):
        """Any other node: its arguments in canonical spelling, the node itself as it is."""
        args = [self._expr_of(a) if isinstance(a, (sp.Expr, MatrixExpr)) and not isinstance(a, sp.Lambda)
                else a for a in e.args]
        rebuilt = e if all(a is b for a, b in zip(args, e.args)) else e.func(*args)
        if _is_matrix(rebuilt):
            return (_ONE, self._node(("node", rebuilt), lambda: rebuilt), False)
        return self._scalar(rebuilt)

    # -- products, sums, Hadamard products ------------------------------------------
    def _factors(self, args):
        """Scalar coefficient and (representative, transposed) factors, nested products flattened."""
        c, factors = _ONE, []
        for a in args:
            if not _is_matrix(a):
                c *= self._expr_of(a)
                continue
            ca, rep, t = self._form(a)
            c *= ca
            if isinstance(rep, sp.MatMul) and rep in self.ids:
                inner = [(m, False) if not isinstance(m, sp.Transpose) else (m.arg, True)
                         for m in rep.args]   # a canonical product holds only op(node) factors
                factors.extend(inner if not t else [(m, not ti) for m, ti in reversed(inner)])
            else:
                factors.append((rep, t))
        return c, factors

    def _matmul(self, e):
        c, factors = self._factors(e.args)
        if any(isinstance(rep, sp.OneMatrix) for rep, _ in factors):
            reduced = reduce_ones([_op(rep, t) for rep, t in factors])
            if not (isinstance(reduced, sp.MatMul) and any(isinstance(a, sp.OneMatrix) for a in reduced.args)):
                cr, rep, t = self._form(reduced)
                return (c * cr, rep, t)
        factors = [(rep, t) for rep, t in factors if not isinstance(rep, sp.Identity)] or factors[:1]
        if len(factors) == 1:
            rep, t = factors[0]
            return (c, rep, t)
        keyed = tuple((self._id(rep), t) for rep, t in factors)
        flipped = tuple((i, not t) for i, t in reversed(keyed))
        t = _transposed_is_canonical(keyed, flipped)
        if t:
            factors = [(rep, not tr) for rep, tr in reversed(factors)]
        mats = [_op(rep, tr) for rep, tr in factors]
        return (c, self._node(("matmul", flipped if t else keyed), lambda: sp.MatMul(*mats)), t)

    def _terms(self, args):
        """{(representative, transposed): coefficient}, like terms collected (a named sum stays one term)."""
        terms: dict = {}
        for a in args:
            c, rep, t = self._form(a)
            if isinstance(rep, sp.ZeroMatrix):
                continue
            terms[(rep, t)] = terms.get((rep, t), 0) + c
        return {k: v for k, v in terms.items() if v != 0}

    def _matadd(self, args):
        terms = self._terms(args)
        shape = args[0].shape
        if not terms:
            return (_ONE, sp.ZeroMatrix(*shape), False)
        if len(terms) == 1:
            (rep, t), c = next(iter(terms.items()))
            return (c, rep, t)
        order = sorted(terms, key=lambda k: (self._id(k[0]), k[1]))
        keyed = tuple((self._id(r), t) for r, t in order)
        flipped = tuple(sorted((i, not t) for i, t in keyed))
        t = _transposed_is_canonical(keyed, flipped)
        if t:
            order = sorted(((r, not tr) for r, tr in order), key=lambda k: (self._id(k[0]), k[1]))
            terms = {(r, not tr): c for (r, tr), c in terms.items()}
        coeffs = [terms[k] for k in order]
        # -A - B is -(A + B): the sign goes out when most terms (or the first, on a tie) are negative
        negative = sum(1 for c in coeffs if sp.sympify(c).could_extract_minus_sign())
        sign = -1 if 2 * negative > len(coeffs) or (2 * negative == len(coeffs)
                                                     and sp.sympify(coeffs[0]).could_extract_minus_sign()) else 1
        coeffs = [sign * c for c in coeffs]
        key = ("matadd", tuple((self._id(r), tr, c) for (r, tr), c in zip(order, coeffs)))
        return (sp.Integer(sign), self._node(key, lambda: sp.MatAdd(*[
            _scaled(c, _op(r, tr)) for (r, tr), c in zip(order, coeffs)])), t)

    def _hadamard(self, args):
        c, factors = _ONE, []
        for a in args:
            ca, rep, t = self._form(a)
            c *= ca
            if isinstance(rep, sp.OneMatrix):
                continue   # c·1 ∘ X is c·X
            if isinstance(rep, sp.HadamardProduct) and rep in self.ids:
                factors.extend((m.arg, not t) if isinstance(m, sp.Transpose) else (m, t) for m in rep.args)
            else:
                factors.append((rep, t))
        if not factors:
            return (c, sp.OneMatrix(*args[0].shape), False)
        if len(factors) == 1:
            return (c, *factors[0])
        keyed = tuple(sorted((self._id(r), t) for r, t in factors))
        flipped = tuple(sorted((i, not t) for i, t in keyed))
        t = _transposed_is_canonical(keyed, flipped)
        order = sorted(((r, tr != t) for r, tr in factors), key=lambda k: (self._id(k[0]), k[1]))
        return (c, self._node(("hadamard", flipped if t else keyed),
                              lambda: sp.HadamardProduct(*[_op(r, tr) for r, tr in order])), t)

    # -- trace ---------------------------------------------------------------------
    def _trace(self, arg):
        # tr(c Xᵀ) = c tr(X).  A trace of a product stays a trace here (closed forms keep the
        # lecture's tr(A X)); the compiled code evaluates it as sum(Aᵀ∘X) (symdiff.codegen).
        # The exception is tr(RᵀR), the squared error, whose own adjoint is then 2 R.
        c, rep, _ = self._form(arg)
        if isinstance(rep, sp.MatMul) and rep in self.ids and len(rep.args) == 2:
            (R, t1), (R2, t2) = (self._form(m)[1:] for m in rep.args)
            if R == R2 and t1 != t2:   # tr(RᵀR) = tr(RRᵀ) = sum(R∘R): the squared error, no Gram matrix
                return self._scalar(_scaled(c, self._node(("sum", "square", R),
                                                          lambda: SumEntries(sp.HadamardPower(R, 2)))))
        return self._scalar(_scaled(c, self._node(("trace", rep), lambda: sp.Trace(rep))))
