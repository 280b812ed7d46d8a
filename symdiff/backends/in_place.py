"""Values written into the buffer of an operand read for the last time (NumPy's ``out=``).

NumPy reuses an unnamed temporary of ``a * b`` by itself, but a named intermediate stays
alive until its name is deleted, so ``G ∘ (1 - H∘H)`` allocates a fresh array for ``H∘H``
even where ``H`` is never read again; a fresh array costs page faults, on some machines more
than the arithmetic.  Here an entrywise line of a matrix program whose operand ``B`` is read
for the last time is printed as nested ufunc calls that write into ``B``::

    numpy.multiply(numpy.subtract(1, numpy.square(H, out=H), out=H), G, out=H)

``B`` qualifies when it is an intermediate this function computed into an array of its own
(a product, sum or entrywise function: never an argument, a view or a copy of one), of the
line's shape, read by no view and not returned, and when the line reads it in one place.  A
later line that reads ``B`` and needs nothing the entrywise line or its successors compute is
moved before it, so that ``B`` dies there (the adjoint ``Hᵀ dS`` before ``dS Wᵀ ∘ (1 - H∘H)``).
The values are those of the plain code: the same operations in the same order.
"""
from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..matrix import Broadcast, Elementwise

_UFUNCS = {sp.tanh: "numpy.tanh", sp.exp: "numpy.exp", sp.log: "numpy.log", sp.sin: "numpy.sin",
           sp.cos: "numpy.cos", sp.tan: "numpy.tan", sp.sinh: "numpy.sinh", sp.cosh: "numpy.cosh",
           sp.Abs: "numpy.absolute", sp.sign: "numpy.sign", sp.atan: "numpy.arctan"}
# powers printed in place (as NumPy's own printer does, never numpy.power: slow for small integers)
_POWERS = (2, -1, -2, sp.S.Half)
ENTRYWISE = (sp.MatAdd, sp.HadamardProduct, sp.HadamardPower, Elementwise, ElementwiseApplyFunction)
_VIEWS = (sp.Transpose, Broadcast, sp.MatrixSlice)


# NumPy's own threshold for reusing temporaries (256 KiB): a smaller array costs no page faults,
# and some ufuncs run slower in place (numpy.sign on 10,000 entries: 15 us against 10 us)
MIN_ENTRIES = 32768


def out_buffer(a):
    """The ``out=`` of a line whose buffer's size is known only at run time."""
    return a if a.size >= MIN_ENTRIES else None


class _Unsupported(Exception):
    pass


def _fresh(expr) -> bool:
    """Does the printed line compute a new array (not a name, a view or an operand as it is)?"""
    if isinstance(expr, sp.MatMul):
        mats = [a for a in expr.args if isinstance(a, MatrixExpr)]
        return len(mats) >= 2 or (len(mats) == 1 and len(expr.args) > 1 and not isinstance(mats[0], sp.OneMatrix))
    if isinstance(expr, (sp.MatAdd, sp.HadamardProduct)):
        return len(expr.args) >= 2
    if isinstance(expr, sp.HadamardPower):
        return expr.exp != 1
    if isinstance(expr, (Elementwise, ElementwiseApplyFunction)):
        return not expr.args[0].expr.is_Symbol
    return False


def _viewed(expr) -> set:
    """Names whose array the value of ``expr`` may share (a copy, a transpose, a broadcast)."""
    while isinstance(expr, _VIEWS):
        expr = expr.args[0]
    return {expr} if isinstance(expr, sp.MatrixSymbol) else set()


class EntrywiseBody:
    """An entrywise matrix expression as a scalar expression over stand-ins for its operands."""

    def __init__(self):
        self.leaves: dict = {}     # matrix operand -> stand-in symbol

    def of(self, e):
        if isinstance(e, sp.MatAdd):
            return sp.Add(*[self.of(a) for a in e.args])
        if isinstance(e, sp.HadamardProduct):
            return sp.Mul(*[self.of(a) for a in e.args])
        if isinstance(e, sp.HadamardPower):
            return sp.Pow(self.of(e.base), e.exp)
        if isinstance(e, sp.MatMul):
            mats = [a for a in e.args if isinstance(a, MatrixExpr)]
            if len(mats) == 1:
                return sp.Mul(*[a for a in e.args if not isinstance(a, MatrixExpr)], self.of(mats[0]))
        if isinstance(e, ElementwiseApplyFunction):
            f = e.function
            return f.expr.xreplace({f.variables[0]: self.of(e.expr)})
        if isinstance(e, Elementwise):
            f = e.args[0]
            return f.expr.xreplace({v: self.of(m) for v, m in zip(f.variables, e.args[1:])})
        return self.leaf(e)

    def leaf(self, e):
        """The stand-in of a matrix operand (one per distinct operand)."""
        if e not in self.leaves:
            self.leaves[e] = sp.Symbol(f"__ip{len(self.leaves)}_", real=True)
        return self.leaves[e]


def _occurrences(expr, s) -> int:
    return sum(1 for node in sp.preorder_traversal(expr) if node == s)


class InPlace:
    """Chooses the lines written into a dying operand's buffer, and prints them."""

    def __init__(self, assignments, returned, inputs):
        self.returned = set(returned)
        targets = {t for t, _ in assignments}
        self.fresh = {t for t, e in assignments if _fresh(e)}
        aliased = set()
        for _, e in assignments:
            aliased |= _viewed(e)
        self.full = self._full_shapes(assignments, set(inputs))
        self.eligible = {t for t in self.fresh if t in self.full and t not in aliased
                         and t not in self.returned and t in targets and not _small(t)}
        self.targets = targets
        self.assignments = self._scheduled(list(assignments))
        self.buffer_of: dict = {}   # target -> (buffer, body, leaves)
        self._choose()
        self.pinned = self._pinned()

    @staticmethod
    def _full_shapes(assignments, inputs) -> set:
        """Names whose arrays have their declared shape (a bare broadcast row has not)."""
        full = set(inputs)

        def is_full(e):
            if isinstance(e, sp.MatrixSymbol):
                return e in full
            if isinstance(e, sp.MatMul) and sum(isinstance(a, MatrixExpr) for a in e.args) == 1:
                return all(is_full(a) for a in e.args if isinstance(a, MatrixExpr))
            if isinstance(e, ENTRYWISE):
                ops = e.args[1:] if isinstance(e, (Elementwise, ElementwiseApplyFunction)) else e.args
                if isinstance(e, ElementwiseApplyFunction):
                    ops = [e.expr]
                return any(isinstance(a, MatrixExpr) and a.shape == e.shape and is_full(a) for a in ops)
            return True

        for t, e in assignments:
            if isinstance(t, sp.MatrixSymbol) and getattr(e, "shape", None) == t.shape and is_full(e):
                full.add(t)
        return full

    def _candidates(self, target, expr):
        """(buffer, body, leaves) for each operand the line could write into, longest path first."""
        if not isinstance(target, sp.MatrixSymbol) or not (isinstance(expr, ENTRYWISE) or (
                isinstance(expr, sp.MatMul) and sum(isinstance(a, MatrixExpr) for a in expr.args) == 1)):
            return []
        body_maker = EntrywiseBody()
        body = body_maker.of(expr)
        out = []
        for leaf, s in body_maker.leaves.items():
            if leaf in self.eligible and leaf.shape == expr.shape and _occurrences(body, s) == 1 \
                    and not any(leaf in other.free_symbols for other in body_maker.leaves if other != leaf):
                out.append((leaf, body, body_maker.leaves))
        return out

    def _scheduled(self, lines):
        """Lines moved before the entrywise line of a buffer they read, where that is possible."""
        k = 0
        while k < len(lines):
            target, expr = lines[k]
            defined = {t for t, _ in lines[:k]}
            for buffer, _, _ in self._candidates(target, expr):
                later = [j for j in range(k + 1, len(lines)) if buffer in lines[j][1].free_symbols]
                movable = all(self._movable(lines[j], defined, buffer) for j in later)
                if later and movable:
                    moved = [lines[j] for j in later]
                    rest = [line for j, line in enumerate(lines) if j not in set(later)]
                    lines = rest[:k] + moved + rest[k:]
                    k += len(moved)
                    break
            k += 1
        return lines

    def _movable(self, line, defined, buffer) -> bool:
        """Can the line move up to where ``defined`` are the names computed so far (and is its
        value not known to be larger than the buffer it lets die)?"""
        target, expr = line
        if not (expr.free_symbols & self.targets) <= defined:
            return False
        size = (target.shape[0] * target.shape[1]) if isinstance(target, MatrixExpr) else 1
        return sp.sympify(size - buffer.shape[0] * buffer.shape[1]).is_positive is not True

    def _choose(self):
        later_uses: dict = {}
        for k, (_, e) in enumerate(self.assignments):
            for s in e.free_symbols:
                later_uses[s] = k
        for k, (target, expr) in enumerate(self.assignments):
            for buffer, body, leaves in self._candidates(target, expr):
                if later_uses.get(buffer) == k and _supported(body, leaves[buffer]):
                    self.buffer_of[target] = (buffer, body, leaves)
                    break

    def _pinned(self) -> set:
        """Lines before a line that overwrites a buffer, whose value depends on the buffer and
        whose first reader comes at or after that line: fused into their reader (directly or
        through other fused lines), they would read the buffer overwritten."""
        position = {t: k for k, (t, _) in enumerate(self.assignments)}
        first_reader: dict = {}
        readers: dict = {}
        for k, (_, e) in enumerate(self.assignments):
            for s in e.free_symbols:
                first_reader.setdefault(s, k)
                readers[s] = readers.get(s, 0) + 1
        pinned = set()
        for writer, (buffer, _, _) in self.buffer_of.items():
            w = position[writer]
            reads = {buffer}   # the buffer, and lines that may be fused with a read of it
            for t, e in self.assignments[:w]:
                if e.free_symbols & reads:
                    if readers.get(t) == 1 and t not in self.returned:
                        reads.add(t)
                    if first_reader.get(t, -1) >= w:
                        pinned.add(t)
        return pinned

    def code(self, target, printer, name_of) -> str | None:
        """The line's code writing into its buffer, or None (printed as usual)."""
        if target not in self.buffer_of:
            return None
        buffer, body, leaves = self.buffer_of[target]
        stand_ins = {s: leaf for leaf, s in leaves.items()}
        var = leaves[buffer]
        buf = name_of(buffer)
        out = buf if _size(buffer).is_Integer else f"_out({buf})"   # symbolic size: decided at run time

        def off(e):
            code = printer._print(e)
            for s, leaf in stand_ins.items():
                code = code.replace(s.name, f"({printer._print(leaf)})")
            return code

        def emit(e):
            if e == var:
                return buf
            if isinstance(e, (sp.Add, sp.Mul)):
                path = [a for a in e.args if a.has(var)]
                others = [a for a in e.args if not a.has(var)]
                rest = e.func(*others)
                if isinstance(e, sp.Mul):
                    return f"numpy.multiply({emit(path[0])}, {off(rest)}, out={out})"
                c, q = path[0].as_coeff_Mul()
                if c == -1:
                    return f"numpy.subtract({off(rest)}, {emit(q)}, out={out})"
                if rest.could_extract_minus_sign():
                    return f"numpy.subtract({emit(path[0])}, {off(-rest)}, out={out})"
                return f"numpy.add({emit(path[0])}, {off(rest)}, out={out})"
            if isinstance(e, sp.Pow) and e.exp in _POWERS:
                inner = emit(e.base)
                if e.exp == sp.S.Half:
                    return f"numpy.sqrt({inner}, out={out})"
                if abs(e.exp) == 2:
                    inner = f"numpy.square({inner}, out={out})"
                return inner if e.exp > 0 else f"numpy.divide(1.0, {inner}, out={out})"
            if type(e) in _UFUNCS and len(e.args) == 1:
                return f"{_UFUNCS[type(e)]}({emit(e.args[0])}, out={out})"
            raise _Unsupported(e)

        try:
            return emit(body)
        except _Unsupported:
            return None


def _size(m):
    return sp.sympify(m.shape[0] * m.shape[1])


def _small(m) -> bool:
    size = _size(m)
    return bool(size.is_Integer and size < MIN_ENTRIES)


def _supported(e, var) -> bool:
    """Can ``InPlace.code`` print the path from ``e`` down to ``var``?"""
    while e != var:
        if isinstance(e, (sp.Add, sp.Mul)):
            (e,) = [a for a in e.args if a.has(var)]
            if isinstance(e, sp.Mul) and e.args[0] == -1 and len(e.args) == 2:
                e = e.args[1]
        elif isinstance(e, sp.Pow) and e.exp in _POWERS:
            e = e.base
        elif type(e) in _UFUNCS and len(e.args) == 1:
            e = e.args[0]
        else:
            return False
    return True
