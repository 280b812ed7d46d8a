"""Resolution: the library's tree with placeholders -> the final SymPy value, knowing shapes."""

from __future__ import annotations

import functools
import operator
from typing import Callable

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from .base import MAX_EXPANDED_TERMS, MAX_NUMERIC_EXPONENT, MAX_POWER_DIGITS, Problem, ShapeProblem, \
    explicit_determinant, is_matrix, \
    shape_text
from .cases import Cases
from .declarations import Declarations
from .matrices import matrix_value
from .names import Fn
from ..written import note
from .specs import Call, Dot, EntryOf, MatrixLiteral, Norm, Element, Leaf, Marker, Name, Row, Spec, Sub, nested_trees
from .indices import entry_extent, entry_of, excluded_range, row_value
from .ones import ConstantVector, constant_vector_value, settle_product, settle_same_shape

def _as_scalar(value, what: str):
    if not is_matrix(value):
        return value
    if value.shape == (1, 1):
        # x^T A x of symbols: its trace, not its entry (SymPy writes the entry of a product as a Sum)
        entry = value[0, 0]
        if isinstance(value, sp.MatrixBase) or not entry.has(sp.Sum) or value.has(ElementwiseApplyFunction):
            return entry
        return sp.Trace(value)
    raise Problem(f"{what} needs a scalar, got a {shape_text(value)} matrix")


def _elementwise(fn: Callable, value):
    """fn applied to a scalar, or entry by entry to a matrix (the lecture's f(X))."""
    if not is_matrix(value):
        return fn(value)
    if isinstance(value, sp.MatrixBase):
        return value.applyfunc(fn)
    if value.shape == (1, 1):
        return fn(_as_scalar(value, "a function"))   # exp(w^T x): of the number w^T x
    dummy = sp.Dummy("t", real=True)
    return value.applyfunc(sp.Lambda(dummy, fn(dummy)))


def _square_matrix(value) -> bool:
    """A square matrix larger than 1 x 1, whose |A| is its determinant (|x| of a vector stays entrywise)."""
    return is_matrix(value) and value.shape[0] == value.shape[1] and value.shape != (1, 1)


def _transpose(value):
    return value.T if is_matrix(value) else value


def _inverse(value):
    if is_matrix(value):
        if value.shape[0] != value.shape[1] and \
                sp.simplify(value.shape[0] - value.shape[1]).is_zero is False:
            raise Problem(f"inverse of a non-square {shape_text(value)} matrix")
        return sp.Inverse(value)
    return 1 / value


def _operands_text(values: list, name_of: Callable, join: str) -> str:
    """'X (3x2) times a 3x1 matrix': each operand by its declared name where it has one."""
    parts = []
    for value in values:
        name = name_of(value)
        parts.append(f"{name} ({shape_text(value)})" if name else f"a {shape_text(value)} "
                     f"{'matrix' if is_matrix(value) else 'value'}")
    return f" {join} ".join(parts)


def _shape_problem(operation: str, values: list, name_of: Callable) -> ShapeProblem:
    join = "times" if operation == "product" else "plus"
    return ShapeProblem(f"matrix shapes do not fit: the {operation} {_operands_text(values, name_of, join)}",
                        operation, tuple((name_of(v), tuple(v.shape)) for v in values))


def _no_name(value):
    return None


def _scaled_by_one_by_one(factors: list, name_of: Callable):
    """<x,a> x, (x^T x) x: a 1x1 product scales the rest."""
    scalars = [_as_scalar(f, "a product") for f in factors if f.shape == (1, 1)]
    rest = [f for f in factors if f.shape != (1, 1)]
    return sp.Mul(*scalars) * _matrix_product(rest, name_of) if rest else sp.Mul(*scalars)


def _chain_fits(factors: list) -> bool:
    # SymPy refuses (1 x 1)(3 x 1) but builds (1 x 1)(n x 1) with a size name: compare the sizes here
    return all(a.shape[1] == b.shape[0] for a, b in zip(factors, factors[1:]))


def _matrix_product(factors: list, name_of: Callable = _no_name):
    factors = settle_product(factors)   # X \mathbf{1}: the ones vector takes its size here
    if any(f.shape == (1, 1) for f in factors) and not _chain_fits(factors):
        return _scaled_by_one_by_one(factors, name_of)
    try:
        return functools.reduce(operator.mul, factors)
    except (ValueError, TypeError) as exc:
        if any(a.shape == b.shape and 1 in a.shape for a, b in zip(factors, factors[1:])):
            # two vectors of one shape side by side, tanh(x)(1 - tanh(x)^2): notes often mean the entrywise
            # product; a misreading is never a verdict, so this stays unreadable (not a shape refutation)
            raise Problem(f"two vectors of the same shape written side by side "
                          f"({_operands_text(factors, name_of, 'times')}) have no matrix product; for the "
                          f"entrywise product write \\odot (or \\circ)") from exc
        raise _shape_problem("product", factors, name_of) from exc


def _product(factors: list, name_of: Callable = _no_name):
    scalars = [f for f in factors if not is_matrix(f)]
    matrices = [f for f in factors if is_matrix(f)]
    scale = sp.Mul(*scalars)
    if not matrices:
        return scale
    product = _matrix_product(matrices, name_of)
    return product if scale == 1 else scale * product


def _sum(terms: list, name_of: Callable = _no_name):
    matrices = [t for t in terms if is_matrix(t)]
    if not matrices:
        return sp.Add(*terms)
    if len(matrices) == len(terms):
        terms = settle_same_shape(terms)
        try:
            return functools.reduce(operator.add, terms)
        except (ValueError, TypeError) as exc:
            raise _shape_problem("sum", terms, name_of) from exc
    if all(m.shape == (1, 1) for m in matrices):
        if any(not getattr(d, "is_Integer", True) for m in matrices if not isinstance(m, sp.MatrixBase)
               for a in m.atoms(sp.MatrixSymbol) for d in a.shape):
            # |Xw - y|^2 + c with X: (n, m): a scalar beside a 1 x 1 product of matrices of named sizes stays
            # a matrix expression (its entry [0, 0] would be a Sum over the sizes, which nothing downstream reads)
            try:
                return functools.reduce(operator.add, [t if is_matrix(t) else t * sp.Identity(1) for t in terms])
            except (TypeError, ValueError):
                pass
        return sp.Add(*[_as_scalar(t, "a sum") for t in terms])
    vector = _vector_shape(matrices)
    if vector is not None:   # 1 - h: a number added to every entry of a vector (its only meaning)
        ones = sp.ImmutableMatrix.ones(*vector) if all(isinstance(m, sp.MatrixBase) for m in matrices) \
            else sp.OneMatrix(*vector)
        return _sum([t if is_matrix(t) else t * ones for t in terms], name_of)
    shapes = " + ".join(shape_text(t) for t in terms)
    raise Problem(f"cannot add a scalar and a matrix: {shapes}")


def _vector_shape(matrices: list):
    """The common shape of vectors (n x 1 or 1 x n, n not 1), else None."""
    shapes = {tuple(m.shape) for m in matrices}
    if len(shapes) != 1:
        return None
    rows, cols = shapes.pop()
    if (cols == 1) != (rows == 1) and (rows != cols):
        return rows, cols
    return None


def _hadamard(left, right):
    if is_matrix(left) and is_matrix(right):
        left, right = settle_same_shape([left, right])
        if left.shape != right.shape and all(
                sp.simplify(a - b).is_zero is False for a, b in zip(left.shape, right.shape)):
            raise Problem(f"Hadamard product of {shape_text(left)} and {shape_text(right)}")
        return sp.hadamard_product(left, right)
    return _product([left, right])


_LIBRARY_FUNCTIONS = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc, sp.asin, sp.acos,
                      sp.atan, sp.acot, sp.asec, sp.acsc, sp.sinh, sp.cosh, sp.tanh,
                      sp.asinh, sp.acosh, sp.atanh, sp.exp, sp.Abs)


def _check_numeric_power(base, exponent) -> None:
    """Refuse numeric powers too large to build: 10^{10^{10}}, towers {{10^{1000}}^{1000}}^{1000}."""
    if not (exponent.is_Number and base.is_number) or base in (0, 1, -1) or base.has(sp.E):
        return
    if abs(exponent) > MAX_NUMERIC_EXPONENT:
        raise Problem(f"numeric power with exponent {exponent} is too large")
    if base.is_Rational:
        bits = max(int(base.p).bit_length(), int(base.q).bit_length())
        digits = float(abs(exponent)) * bits * 0.30103
        if digits > MAX_POWER_DIGITS:
            raise Problem(f"numeric power of about {digits:.3g} digits is too large "
                          f"(limit {MAX_POWER_DIGITS})")


class Resolver:
    def __init__(self, decl: Declarations, specs: dict[str, Spec]):
        self.decl = decl
        self.specs = specs
        self.expanded = 0

    def resolve(self, node, bindings: dict):
        if isinstance(node, sp.Symbol):
            return self._placeholder(node, bindings)
        if node is None or isinstance(node, (list, tuple)) or not isinstance(node, sp.Basic):
            raise Problem("unsupported construct")
        if node.is_Number or node in (sp.E, sp.pi, sp.oo, sp.S.NegativeInfinity):
            return node
        if isinstance(node, sp.Add):
            return _sum(self._identity_terms([self.resolve(a, bindings) for a in node.args]), self._name_of)
        if isinstance(node, sp.Mul):
            return _product([self.resolve(a, bindings) for a in node.args], self._name_of)
        if isinstance(node, sp.Pow):
            return self._power(node, bindings)
        if isinstance(node, sp.Mod):
            return _hadamard(*(self.resolve(a, bindings) for a in node.args))
        if isinstance(node, (sp.Sum, sp.Product)):
            return self._big_operator(node, bindings)
        if isinstance(node, sp.log):
            return self._log(node, bindings)
        if isinstance(node, _LIBRARY_FUNCTIONS):
            (arg,) = node.args
            value = self.resolve(arg, bindings)
            if node.func is sp.Abs and _square_matrix(value):
                return explicit_determinant(value) if isinstance(value, sp.MatrixBase) \
                    else sp.Determinant(value)  # |A|, |\Sigma|
            return _elementwise(node.func, value)
        raise Problem(f"unsupported construct {type(node).__name__}")

    def _identity_terms(self, terms: list) -> list:
        r"""X + \lambda I, A - \mathbf{I}: an undeclared I added to a square matrix is the identity
        (a number added to a matrix has no other meaning, and is an error otherwise)."""
        squares = [t for t in terms if is_matrix(t) and t.shape[0] == t.shape[1] and t.shape != (1, 1)]
        if not squares or len(squares) == len(terms):
            return terms
        size = squares[0].shape[0]
        eye = sp.ImmutableMatrix.eye(int(size)) if all(isinstance(t, sp.MatrixBase) for t in squares) \
            else sp.Identity(size)
        out = []
        for term in terms:
            if not is_matrix(term):
                for name in ("I", f"I_{size}"):
                    symbol = self.decl.symbol(name)
                    coeff, rest = term.as_independent(symbol, as_Add=False)
                    if rest == symbol and not self.decl.declared(name):
                        term = coeff * eye
                        break
            out.append(term)
        return out

    def _name_of(self, value) -> str | None:
        """The declared name of a matrix value (or of its transpose), for shape messages."""
        if not is_matrix(value):
            return None
        for name, declared in self.decl.values.items():
            if not is_matrix(declared):
                continue
            if declared.shape == value.shape and declared == value:
                return name
            if declared.shape[::-1] == value.shape and declared.T == value:
                return f"{name}^T"
        return None

    def _placeholder(self, symbol: sp.Symbol, bindings: dict):
        spec = self.specs.get(symbol.name)
        if spec is None:
            raise Problem(f"unsupported construct {symbol.name}")
        return self._spec_value(spec, bindings)

    def _spec_value(self, spec: Spec, bindings: dict):
        if isinstance(spec, Row):
            return row_value(self.decl, spec, bindings)
        if isinstance(spec, EntryOf):
            return entry_of(self._spec_value(spec.inner, bindings), spec.index, bindings, self.decl.index_base)
        if isinstance(spec, Leaf):
            return spec.value
        if isinstance(spec, Name):
            if spec.name in bindings:
                return bindings[spec.name]
            return self.decl.value(spec.name, spec.pos, spec.end)
        if isinstance(spec, Element):
            index = tuple(bindings.get(k, k) if isinstance(k, str) else k for k in spec.index)
            return self.decl.element(spec.base, index, spec.pos, spec.end)
        if isinstance(spec, Call):
            return self._call(spec, bindings)
        if isinstance(spec, Dot):
            return self._dot(spec, bindings)
        if isinstance(spec, Cases):
            return self._cases(spec, bindings)
        if isinstance(spec, MatrixLiteral):
            return matrix_value(spec, lambda tree: self.resolve(tree, bindings))
        if isinstance(spec, Norm):
            square = self._dot(Dot(spec.pos, spec.end, spec.tree, spec.tree), bindings)
            if is_matrix(square):
                square = sp.Trace(square) if square.shape == (1, 1) else square
            return sp.sqrt(square)
        if isinstance(spec, Sub):
            return self.resolve(spec.tree, bindings)
        if isinstance(spec, ConstantVector):
            size = None if spec.size is None else _as_scalar(self.resolve(spec.size, bindings), "a size")
            return constant_vector_value(spec, size)
        raise Problem("a transpose mark or \\sum range in an unexpected place", spec.pos, spec.end)

    # -- powers ---------------------------------------------------------------
    def _marker_power(self, exponent) -> str | None:
        """'T' for ^T, '-T' for ^{-T}, None for an ordinary exponent."""
        negated = False
        if isinstance(exponent, sp.Mul) and len(exponent.args) == 2 and exponent.args[0] == -1:
            negated, exponent = True, exponent.args[1]
        spec = self.specs.get(exponent.name) if isinstance(exponent, sp.Symbol) else None
        if isinstance(spec, Marker) and spec.kind == "transpose":
            return "-T" if negated else "T"
        return None

    def _power(self, node, bindings):
        base = self.resolve(node.base, bindings)
        marker = self._marker_power(node.exp)
        if marker == "T":
            return _transpose(base)
        if marker == "-T":
            return _inverse(_transpose(base))
        exponent = _as_scalar(self.resolve(node.exp, bindings), "an exponent")
        if is_matrix(base) and exponent != -1 and _vector_shape([base]) is not None:
            # h^2, \tanh^2(z) of a vector: entry by entry (a vector has no matrix power)
            if isinstance(base, sp.MatrixBase):
                return base.applyfunc(lambda e: e ** exponent)
            return sp.HadamardPower(base, exponent)
        if is_matrix(base):
            return _inverse(base) if exponent == -1 else sp.MatPow(base, exponent)
        _check_numeric_power(base, exponent)
        return note(sp.Pow(base, exponent))

    def _log(self, node, bindings):
        arg = self.resolve(node.args[0], bindings)
        if len(node.args) == 1 or node.args[1] == sp.E:
            return note(_elementwise(sp.log, arg))
        base = _as_scalar(self.resolve(node.args[1], bindings), "a logarithm base")
        return _elementwise(lambda x: sp.log(x, base), arg)

    # -- calls ------------------------------------------------------------------
    def _call(self, spec: Call, bindings):
        args = [self.resolve(a, bindings) for a in spec.args]
        try:
            if spec.primes:
                return self._derivative(spec, args)
            if spec.log_base is not None:
                base = _as_scalar(self.resolve(spec.log_base, bindings), "a logarithm base")
                return _elementwise(lambda x: sp.log(x, base), args[0])
            return note(self._apply(spec.fn, args))
        except Problem as problem:
            if problem.pos is None:
                raise problem.at(spec.pos, spec.end) from None
            raise
        except (TypeError, ValueError, AttributeError) as exc:
            raise Problem(f"bad call of {spec.fn.name}: {exc}", spec.pos, spec.end) from None

    @staticmethod
    def _apply(fn: Fn, args: list):
        if fn.kind == "matrix":
            value = fn.apply(args[0])
            if isinstance(args[0], sp.MatrixBase) and isinstance(value, sp.Determinant):
                return explicit_determinant(args[0])   # \det\begin{pmatrix} ... \end{pmatrix}: of the entries
            if isinstance(args[0], sp.MatrixBase) and isinstance(value, sp.Trace):
                return value.doit()
            return value
        if fn.kind == "reduce":
            if len(args) == 1 and isinstance(args[0], sp.MatrixBase):
                return fn.apply(*args[0])  # \max(X) over the entries of a declared vector
            return fn.apply(*[_as_scalar(a, fn.name) for a in args])
        if len(args) == 1:
            return _elementwise(fn.apply, args[0])
        return fn.apply(*[_as_scalar(a, fn.name) for a in args])

    @staticmethod
    def _derivative(spec: Call, args: list):
        """f'(x): kept unevaluated (``.doit()`` evaluates it), entrywise on matrices."""
        if len(args) != 1:
            raise Problem(f"{spec.fn.name}' needs one argument", spec.pos, spec.end)
        variable = sp.Dummy("u", real=True)
        derivative = sp.Derivative(spec.fn.apply(variable), (variable, spec.primes))

        def at(point):
            if isinstance(point, sp.Symbol) and not isinstance(point, sp.Dummy):
                return sp.Derivative(spec.fn.apply(point), (point, spec.primes))
            # Subs rather than Derivative(f(t), t) inside the entrywise Lambda: SymPy
            # composes entrywise functions by substitution, which breaks a Derivative
            return sp.Subs(derivative, variable, point)
        return _elementwise(at, args[0])

    def _cases(self, spec: Cases, bindings):
        pieces = []
        for tree, relations in spec.rows:
            value = _as_scalar(self.resolve(tree, bindings), "a case of a piecewise definition")
            if relations is None:
                # "otherwise" as the negation of the rows before (x <= 0, not True): the
                # program builder rebuilds conditions, and an explicit one reads back clearly
                rest = sp.And(*[sp.Not(c) for _, c in pieces]) if pieces else sp.true
                pieces.append((value, rest))
                break
            condition = sp.And(*[getattr(sp, op)(
                _as_scalar(self.resolve(a, bindings), "a condition"),
                _as_scalar(self.resolve(b, bindings), "a condition")) for op, a, b in relations])
            pieces.append((value, condition))
        return sp.Piecewise(*pieces)

    def _dot(self, spec: Dot, bindings):
        left = self.resolve(spec.left, bindings)
        right = self.resolve(spec.right, bindings)
        if not is_matrix(left) and not is_matrix(right):
            return left * right
        if is_matrix(left) and is_matrix(right):
            left, right = settle_same_shape([left, right])
        if not (is_matrix(left) and is_matrix(right)) or \
                any(sp.simplify(a - b).is_zero is False for a, b in zip(left.shape, right.shape)):
            raise Problem(f"scalar product of {shape_text(left)} and {shape_text(right)}",
                           spec.pos, spec.end)
        if isinstance(left, sp.MatrixBase) and isinstance(right, sp.MatrixBase):
            return sp.Add(*[a * b for a, b in zip(left, right)])  # sum_i a_i b_i
        if left.shape[1] == 1:
            return left.T * right  # a^T b, a 1x1 matrix expression
        if left.shape[0] == 1:
            return left * right.T
        return sp.Trace(left.T * right)

    # -- sums and products ------------------------------------------------------
    def _big_operator(self, node, bindings):
        # SymPy merges nested sums into one Sum with several limits, innermost first
        *inner_limits, (index_symbol, low, high) = node.limits
        body = type(node)(node.function, *inner_limits) if inner_limits else node.function
        index_spec = self.specs.get(getattr(index_symbol, "name", ""))
        if not isinstance(index_spec, Name):
            raise Problem("unsupported summation index")
        index = index_spec.name
        low_spec = self.specs.get(getattr(low, "name", ""))
        if isinstance(low_spec, Marker) and low_spec.kind == "infer-range":
            low, high = self._inferred_range(body, index, low_spec)
            if low_spec.exclude is not None:    # \sum_{j \neq k}
                low, high, skip = excluded_range(self, low_spec, low, high, bindings)
                return self._expand(body, index, low, high, bindings,
                                    _sum if isinstance(node, sp.Sum) else _product, skip)
        else:
            low = _as_scalar(self.resolve(low, bindings), "a summation limit")
            high = _as_scalar(self.resolve(high, bindings), "a summation limit")
        combine = _sum if isinstance(node, sp.Sum) else _product
        if low.is_Integer and high.is_Integer:
            return self._expand(body, index, int(low), int(high), bindings, combine)
        return self._symbolic(node, body, index, low, high, bindings)

    def _expand(self, body, index, low, high, bindings, combine, skip=None):
        count = max(0, high - low + 1)
        self.expanded += count
        if self.expanded > MAX_EXPANDED_TERMS:
            raise Problem(f"sums expand to more than {MAX_EXPANDED_TERMS} terms")
        terms = [self.resolve(body, {**bindings, index: sp.Integer(k)})
                 for k in range(low, high + 1) if k != skip]
        if not terms:
            return sp.Integer(0 if combine is _sum else 1)
        return combine(terms)

    def _symbolic(self, node, body, index, low, high, bindings):
        symbol = sp.Symbol(index, integer=True)
        value = self.resolve(body, {**bindings, index: symbol})
        if is_matrix(value):
            raise Problem("a sum of matrices needs numeric limits")
        return type(node)(value, (symbol, low, high))

    def _inferred_range(self, body, index: str, marker: Marker):
        lengths = set(self._extents(body, index))
        if not lengths:
            raise Problem(f"cannot infer the range of the sum over {index}: no declared "
                           f"vector is indexed by {index} (pass shapes=... or write limits)",
                           marker.pos, marker.end)
        if len(lengths) > 1:
            raise Problem(f"vectors indexed by {index} have different lengths "
                           f"{sorted(map(str, lengths))}", marker.pos, marker.end)
        length = lengths.pop()
        first = sp.Integer(self.decl.index_base)
        return first, first + length - 1

    def _extents(self, tree, index: str):
        for symbol in tree.atoms(sp.Symbol):
            spec = self.specs.get(symbol.name)
            if isinstance(spec, Element):
                for position, part in enumerate(spec.index):
                    if part == index:
                        yield self.decl.vector_length(spec.base, position, len(spec.index),
                                                      spec.pos, spec.end)
            if isinstance(spec, EntryOf) and index in spec.index:   # softmax(s)_k
                yield from entry_extent(self._spec_value(spec.inner, {}), spec.index, index)
            for nested in nested_trees(spec) if spec is not None else ():
                yield from self._extents(nested, index)


# ---------------------------------------------------------------------------
# Public entry point
