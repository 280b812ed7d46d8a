"""The op table: one entry per op, its NumPy forward and one vector-Jacobian rule per input.

In the style of HIPS autograd's ``numpy_vjps.py``: ``OPS[name].vjps[i](g, ans,
*args, **params)`` is the adjoint of input ``i`` given the output adjoint ``g``,
the output ``ans`` and the forward's arguments.  ``apply`` runs a forward and,
when some input is a Tensor that needs a gradient, records a node whose
backward closure calls the rules of exactly those inputs (constants cost
nothing in the backward pass).

Called on plain arrays only, every function here is an ordinary NumPy function
and returns a plain array; so one ``fn`` serves both the tape and a
finite-difference checker.
"""
from __future__ import annotations

import builtins
import functools
import string
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from symdiff.errors import EvaluationError, ShapeError, SymdiffError
from symdiff.tape.tensor import InvalidArgumentError, Tensor, constant, record


@dataclass(frozen=True)
class Op:
    """A table entry: forward(*args, **params) and vjps[i](g, ans, *args, **params)."""

    name: str
    forward: Callable
    vjps: Sequence[Callable]     # indexed by input position
    broadcasting: bool = False   # NumPy-broadcasting elementwise op: sum adjoints to input shapes


OPS: dict[str, Op] = {}
_NO_PARAMS: dict = {}


def defop(name: str, forward: Callable, *vjps: Callable, broadcasting: bool = False) -> Op:
    """Add an op to the table."""
    op = Op(name, forward, vjps, broadcasting)
    OPS[name] = op
    return op


def apply(op: Op, inputs: tuple, params: dict = _NO_PARAMS):
    """Run op on Tensors and/or constants; record a node if any input needs a gradient."""
    values, parents, rules, shapes = [], [], [], []
    any_tensor = False
    for position, x in enumerate(inputs):
        if isinstance(x, Tensor):
            values.append(x.value)
            any_tensor = True
            if x.requires_grad:
                parents.append(x)
                rules.append(op.vjps[position])
                shapes.append(x.value.shape)
        else:
            values.append(_constant_value(x))
    try:
        ans = op.forward(*values, **params)
    except SymdiffError:
        raise
    except np.linalg.LinAlgError as exc:
        raise EvaluationError(f"{op.name}: {exc}") from exc
    except ValueError as exc:
        described = ", ".join(str(np.shape(v)) for v in values)
        raise ShapeError(f"{op.name}: operands of shapes {described} do not fit: {exc}") from exc
    if not parents:
        return constant(ans) if any_tensor else ans
    # The backward closure is the hot path of a training step: specialise it so the
    # common cases (one parent, no broadcasting) pay for no extra Python calls.
    if op.broadcasting and any(shape != ans.shape for shape in shapes):
        def backward(g):
            return [_sum_to_shape(rule(g, ans, *values, **params), shape)
                    for rule, shape in zip(rules, shapes)]
    elif len(rules) == 1:
        rule = rules[0]

        def backward(g):
            return (rule(g, ans, *values, **params),)
    else:
        def backward(g):
            return [rule(g, ans, *values, **params) for rule in rules]

    return record(ans, parents, backward, op.name)


def _constant_value(x):
    # Python numbers stay Python numbers: NumPy treats them as "weak" scalars, so
    # `float32_tensor * 2.0` stays float32 instead of being promoted to float64.
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return x
    return np.asarray(x)


def _sum_to_shape(g, shape: tuple[int, ...]):
    """Reduce a broadcast adjoint back to ``shape`` (sum over the broadcast axes)."""
    if g.shape == shape:
        return g
    extra = g.ndim - len(shape)
    if extra:
        g = g.sum(axis=tuple(range(extra)))
    stretched = tuple(k for k, n in enumerate(shape) if n == 1 and g.shape[k] != 1)
    if stretched:
        g = g.sum(axis=stretched, keepdims=True)
    return g


def _unary(name: str, forward: Callable, vjp: Callable, doc: str) -> Callable:
    op = defop(name, forward, vjp)

    def function(x):
        return apply(op, (x,))

    function.__name__ = function.__qualname__ = name
    function.__doc__ = doc
    return function


def _binary(name: str, forward: Callable, vjp_x: Callable, vjp_y: Callable, doc: str) -> Callable:
    op = defop(name, forward, vjp_x, vjp_y, broadcasting=True)

    def function(x, y):
        return apply(op, (x, y))

    function.__name__ = function.__qualname__ = name
    function.__doc__ = doc
    return function


# ---------------------------------------------------------------- elementwise arithmetic

def _log_of_base(x):
    # d(x**y)/dy = x**y · log x; at x == 0 the product is 0 (for y > 0): log 1 avoids 0·(-inf).
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(np.where(np.equal(x, 0), 1, x))


add = _binary("add", np.add, lambda g, ans, x, y: g, lambda g, ans, x, y: g, "x + y")
subtract = _binary("subtract", np.subtract, lambda g, ans, x, y: g, lambda g, ans, x, y: -g,
                   "x - y")
multiply = _binary("multiply", np.multiply, lambda g, ans, x, y: g * y,
                   lambda g, ans, x, y: g * x, "x * y (Hadamard product)")
divide = _binary("divide", np.divide, lambda g, ans, x, y: g / y,
                 lambda g, ans, x, y: -g * ans / y, "x / y")
power = _binary("power", np.power, lambda g, ans, x, y: g * y * np.power(x, y - 1),
                lambda g, ans, x, y: g * ans * _log_of_base(x), "x ** y")
negative = _unary("negative", np.negative, lambda g, ans, x: -g, "-x")

# ---------------------------------------------------------------- elementwise functions

exp = _unary("exp", np.exp, lambda g, ans, x: g * ans, "e^x")
log = _unary("log", np.log, lambda g, ans, x: g / x, "natural logarithm")
sqrt = _unary("sqrt", np.sqrt, lambda g, ans, x: g * 0.5 / ans, "square root")
sin = _unary("sin", np.sin, lambda g, ans, x: g * np.cos(x), "sine")
cos = _unary("cos", np.cos, lambda g, ans, x: -g * np.sin(x), "cosine")
tan = _unary("tan", np.tan, lambda g, ans, x: g * (1 + ans * ans), "tangent")
sinh = _unary("sinh", np.sinh, lambda g, ans, x: g * np.cosh(x), "hyperbolic sine")
cosh = _unary("cosh", np.cosh, lambda g, ans, x: g * np.sinh(x), "hyperbolic cosine")
tanh = _unary("tanh", np.tanh, lambda g, ans, x: g * (1 - ans * ans), "hyperbolic tangent")
arcsin = _unary("arcsin", np.arcsin, lambda g, ans, x: g / np.sqrt(1 - x * x), "inverse sine")
arccos = _unary("arccos", np.arccos, lambda g, ans, x: -g / np.sqrt(1 - x * x), "inverse cosine")
arctan = _unary("arctan", np.arctan, lambda g, ans, x: g / (1 + x * x), "inverse tangent")
abs = _unary("abs", np.abs, lambda g, ans, x: g * np.sign(x), "|x|; derivative sign(x), 0 at 0")
sign = _unary("sign", np.sign, lambda g, ans, x: np.zeros_like(g),
              "sign(x); derivative 0 (wherever it exists)")
sigmoid = _unary("sigmoid", lambda x: np.exp(-np.logaddexp(0, -x)),
                 lambda g, ans, x: g * ans * (1 - ans), "logistic 1/(1+e^-x), overflow-free")
softplus = _unary("softplus", lambda x: np.logaddexp(0, x),
                  lambda g, ans, x: g * np.exp(-np.logaddexp(0, -x)), "log(1+e^x), overflow-free")
softsign = _unary("softsign", lambda x: x / (1 + np.abs(x)),
                  lambda g, ans, x: g / np.square(1 + np.abs(x)), "x/(1+|x|)")
relu = _unary("relu", lambda x: np.maximum(x, 0), lambda g, ans, x: g * (x > 0),
              "max(x, 0); derivative taken as 0 at 0")

defop("leaky_relu", lambda x, alpha: np.where(x > 0, x, alpha * x),
      lambda g, ans, x, alpha: g * np.where(x > 0, 1.0, alpha))


def leaky_relu(x, alpha: float = 0.01):
    """x for x > 0, alpha·x otherwise."""
    return apply(OPS["leaky_relu"], (x,), {"alpha": alpha})


# ---------------------------------------------------------------- reductions

def _reduced_axes(ndim: int, axis) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    return tuple(int(a) % ndim for a in axes)


def _keepdims(g, ndim: int, axis, keepdims: bool):
    """A reduction's output (or its adjoint) with the reduced axes restored as length 1."""
    if keepdims or axis is None:  # a full reduction's 0-d result broadcasts as it is
        return g
    return np.expand_dims(g, _reduced_axes(ndim, axis))


def _broadcast(g, shape: tuple[int, ...]) -> np.ndarray:
    """np.broadcast_to(g, shape), a read-only view.

    A scalar adjoint (the backward of a full sum or mean, i.e. of every loss) takes a
    direct zero-stride view: np.broadcast_to's Python overhead would be the
    costliest step of a small training step's backward pass.
    """
    g = np.asarray(g)
    if g.ndim:
        return np.broadcast_to(g, shape)
    view = np.ndarray(shape, g.dtype, g, 0, (0,) * len(shape))
    view.flags.writeable = False
    return view


defop("sum", lambda x, axis, keepdims: np.sum(x, axis=axis, keepdims=keepdims),
      lambda g, ans, x, axis, keepdims: _broadcast(_keepdims(g, x.ndim, axis, keepdims), x.shape))


def _mean_forward(x, axis, keepdims):
    # np.add.reduce skips np.mean's Python-level bookkeeping, which costs as much as
    # the arithmetic for the mid-sized arrays of a training loop.
    total = np.add.reduce(x, axis=axis, keepdims=keepdims)
    return total / (np.size(x) / builtins.max(np.size(total), 1))


defop("mean", _mean_forward,
      lambda g, ans, x, axis, keepdims: _broadcast(
          _keepdims(g, x.ndim, axis, keepdims) * (ans.size / x.size), x.shape))


def sum(x, axis=None, keepdims: bool = False):
    """Sum over ``axis`` (all axes by default)."""
    return apply(OPS["sum"], (x,), {"axis": axis, "keepdims": keepdims})


def mean(x, axis=None, keepdims: bool = False):
    """Mean over ``axis`` (all axes by default)."""
    return apply(OPS["mean"], (x,), {"axis": axis, "keepdims": keepdims})


def _first_maximum_mask(x: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """True at the first (row-major) maximal entry of every slice reduced over ``axes``."""
    tail = list(range(x.ndim - len(axes), x.ndim))
    moved = np.moveaxis(x, axes, tail)
    flat = moved.reshape(moved.shape[:x.ndim - len(axes)] + (-1,))
    mask = np.zeros(flat.shape, dtype=bool)
    np.put_along_axis(mask, np.argmax(flat, axis=-1, keepdims=True), True, axis=-1)
    return np.moveaxis(mask.reshape(moved.shape), tail, axes)


_TIE_POLICIES = ("first", "average", "all")


def _max_vjp(g, ans, x, axis, keepdims, ties):
    axes = _reduced_axes(x.ndim, axis)
    g = _keepdims(g, x.ndim, axis, keepdims)
    if ties == "first":
        return g * _first_maximum_mask(x, axes)
    is_max = x == _keepdims(ans, x.ndim, axis, keepdims)
    if ties == "all":
        return g * is_max
    return g * is_max / np.sum(is_max, axis=axes, keepdims=True)


defop("max", lambda x, axis, keepdims, ties: np.max(x, axis=axis, keepdims=keepdims), _max_vjp)


def max(x, axis=None, ties: str = "first", keepdims: bool = False):
    """Maximum over ``axis``; ``ties`` says who gets the adjoint when several entries are maximal.

    "first": the first maximal entry gets all of dy (what argmax picks);
    "average": every maximal entry gets dy / (number of ties) — the numeric arg-max;
    "all": every maximal entry gets dy — the lecture's "mixed" variant (at a tie of
    k entries it hands out k·dy, so it is not a derivative there).
    """
    if ties not in _TIE_POLICIES:
        raise InvalidArgumentError(f"max: ties must be one of {_TIE_POLICIES}, got {ties!r}")
    return apply(OPS["max"], (x,), {"axis": axis, "keepdims": keepdims, "ties": ties})


def argmax(x, axis=None) -> np.ndarray:
    """Index of the maximum, as a plain integer array: not recorded, not differentiable.

    An index is piecewise constant in x — its derivative is 0 wherever it exists
    and undefined where the maximum switches — so there is nothing to propagate.
    Differentiate ``max`` for the value, or ``softmax`` (soft-arg-max) for a
    smooth surrogate of the one-hot arg-max.
    """
    return np.argmax(x.value if isinstance(x, Tensor) else x, axis=axis)


def _stable_logsumexp(x, axis, keepdims):
    shift = np.max(x, axis=axis, keepdims=True)
    shift = np.where(np.isfinite(shift), shift, 0)  # an all -inf slice must give -inf, not NaN
    out = np.log(np.sum(np.exp(x - shift), axis=axis, keepdims=True)) + shift
    return out if keepdims else np.squeeze(out, axis=axis)


def _softmax(x, axis):
    shifted = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return shifted / np.sum(shifted, axis=axis, keepdims=True)


defop("logsumexp", _stable_logsumexp,
      lambda g, ans, x, axis, keepdims: _keepdims(g, x.ndim, axis, keepdims)
      * np.exp(x - _keepdims(ans, x.ndim, axis, keepdims)))
defop("softmax", _softmax,
      lambda g, ans, x, axis: ans * (g - np.sum(g * ans, axis=axis, keepdims=True)))


def logsumexp(x, axis=-1, keepdims: bool = False):
    """log Σ exp(x) over ``axis``, computed after subtracting the maximum (no overflow)."""
    return apply(OPS["logsumexp"], (x,), {"axis": axis, "keepdims": keepdims})


def softmax(x, axis: int = -1):
    """Soft-arg-max exp(x_i)/Σ_j exp(x_j) over ``axis``, computed after subtracting the maximum."""
    return apply(OPS["softmax"], (x,), {"axis": axis})


# ---------------------------------------------------------------- shape and index ops

defop("reshape", lambda x, shape: np.reshape(x, shape),
      lambda g, ans, x, shape: np.reshape(g, x.shape))
defop("transpose", lambda x, axes: np.transpose(x, axes),
      lambda g, ans, x, axes: np.transpose(
          g, None if axes is None else np.argsort([a % x.ndim for a in axes])))


def reshape(x, shape):
    """The same entries in a new shape (row-major order)."""
    return apply(OPS["reshape"], (x,), {"shape": shape})


def transpose(x, axes=None):
    """Permute the axes (reverse them by default); the adjoint is the inverse permutation."""
    return apply(OPS["transpose"], (x,), {"axes": None if axes is None else tuple(axes)})


def _is_basic_index(index) -> bool:
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(p, (int, np.integer, slice, type(None), type(Ellipsis))) for p in parts)


def _getitem_vjp(g, ans, x, index):
    dx = np.zeros(x.shape, dtype=np.result_type(g, x))
    if _is_basic_index(index):
        dx[index] = g                 # a view: every entry of x appears at most once
    else:
        np.add.at(dx, index, g)       # fancy indices may repeat an entry: sum, don't overwrite
    return dx


defop("getitem", lambda x, index: x[index], _getitem_vjp)


def getitem(x, index):
    """x[index], with basic or fancy indexing; repeated fancy indices sum their adjoints."""
    if isinstance(index, Tensor):
        index = index.value
    elif isinstance(index, tuple):
        index = tuple(i.value if isinstance(i, Tensor) else i for i in index)
    return apply(OPS["getitem"], (x,), {"index": index})


def _take_vjp(g, ans, x, indices, axis):
    dx = np.zeros(x.shape, dtype=np.result_type(g, x))
    if axis is None:
        np.add.at(dx.reshape(-1), indices, g)
        return dx
    axis = axis % x.ndim
    k = np.ndim(indices)
    # Move x's axis to the front and the axes `indices` created to the front of g, so
    # add.at scatters every taken slice back to where it came from (repeats add up).
    np.add.at(np.moveaxis(dx, axis, 0), indices,
              np.moveaxis(g, list(range(axis, axis + k)), list(range(k))))
    return dx


defop("take", lambda x, indices, axis: np.take(x, indices, axis=axis), _take_vjp)


def take(x, indices, axis=None):
    """np.take: entries ``indices`` along ``axis`` (of the flattened array if axis is None)."""
    return apply(OPS["take"], (x,), {"indices": np.asarray(indices), "axis": axis})


defop("permute", lambda x, perm, inverse, axis: np.take(x, perm, axis=axis),
      lambda g, ans, x, perm, inverse, axis: np.take(g, inverse, axis=axis))


def permute(x, perm, axis: int = -1):
    """y_i = x_{π(i)} along ``axis``; the adjoint is dX = π⁻¹ dY."""
    perm = np.asarray(perm)
    n = np.shape(x.value if isinstance(x, Tensor) else x)[axis]
    if perm.shape != (n,) or not np.array_equal(np.sort(perm), np.arange(n)):
        raise InvalidArgumentError(f"permute: {perm.tolist()} is not a permutation of range({n})")
    return apply(OPS["permute"], (x,), {"perm": perm, "inverse": np.argsort(perm), "axis": axis})


def _sort_vjp(g, ans, x, axis):
    # Route each adjoint back to the position its entry came from.  The permutation
    # itself (argsort) is treated as constant — the lecture's "dishonest" derivative.
    order = np.argsort(x, axis=axis, kind="stable")
    dx = np.empty(x.shape, dtype=np.result_type(g, x))
    np.put_along_axis(dx, order, g, axis=axis)
    return dx


defop("sort", lambda x, axis: np.sort(x, axis=axis, kind="stable"), _sort_vjp)


def sort(x, axis: int = -1):
    """Sorted copy along ``axis``; the gradient flows back through the sorting permutation."""
    return apply(OPS["sort"], (x,), {"axis": axis})


# ---------------------------------------------------------------- products and contractions

def _matmul_vjp_a(g, ans, a, b):
    if b.ndim == 1:
        return g * b if a.ndim == 1 else g[..., None] * b
    if a.ndim == 1:
        return _sum_to_shape(np.matmul(b, g[..., None])[..., 0], a.shape)
    return _sum_to_shape(g @ np.swapaxes(b, -1, -2), a.shape)


def _matmul_vjp_b(g, ans, a, b):
    if a.ndim == 1:
        return g * a if b.ndim == 1 else _sum_to_shape(a[:, None] * g[..., None, :], b.shape)
    if b.ndim == 1:
        return _sum_to_shape(np.matmul(g[..., None, :], a)[..., 0, :], b.shape)
    return _sum_to_shape(np.swapaxes(a, -1, -2) @ g, b.shape)


defop("matmul", np.matmul, _matmul_vjp_a, _matmul_vjp_b)


def matmul(a, b):
    """Matrix product (NumPy's @ semantics); dA = dC·Bᵀ, dB = Aᵀ·dC."""
    return apply(OPS["matmul"], (a, b))


def explicit_einsum(subscripts: str, shapes: list[tuple[int, ...]]) -> tuple[list[str], str]:
    """Input and output labels with '...' spelled out as fresh letters and the output explicit."""
    text = subscripts.replace(" ", "")
    inputs, arrow, output = text.partition("->")
    labels = inputs.split(",")
    if len(labels) != len(shapes):
        raise ShapeError(f"einsum: {subscripts!r} names {len(labels)} operands, "
                         f"got {len(shapes)}")
    unused = iter(c for c in string.ascii_letters if c not in text)
    widths = [len(shape) - (len(s) - 3) for s, shape in zip(labels, shapes) if "..." in s]
    broadcast = "".join(next(unused) for _ in range(builtins.max(widths, default=0)))
    labels = [s.replace("...", broadcast[len(broadcast) - (len(shape) - (len(s) - 3)):])
              for s, shape in zip(labels, shapes)]
    if arrow:
        output = output.replace("...", broadcast)
    else:  # NumPy's implicit output: broadcast axes, then labels used once, alphabetically
        joined = "".join(labels)
        output = broadcast + "".join(sorted(c for c in set(joined)
                                            if joined.count(c) == 1 and c not in broadcast))
    for s, shape in zip(labels, shapes):
        if len(s) != len(shape):
            raise ShapeError(f"einsum: labels {s!r} do not fit an operand of shape {shape} "
                             f"in {subscripts!r}")
    return labels, output


@functools.cache
def _einsum_vjp(k: int) -> Callable:
    def vjp(g, ans, *operands, labels, output):
        # The adjoint of operand k is the same contraction with operand k replaced
        # by the output adjoint, contracted onto operand k's labels.
        mine = labels[k]
        others = [j for j in range(len(operands)) if j != k]
        available = set(output).union(*(labels[j] for j in others))
        distinct = "".join(dict.fromkeys(mine))
        reachable = "".join(c for c in distinct if c in available)
        spec = ",".join([output] + [labels[j] for j in others]) + "->" + reachable
        partial = np.einsum(spec, g, *(operands[j] for j in others),
                            optimize=len(operands) > 2)
        size = {c: n for c, n in zip(mine, np.shape(operands[k]))}
        # A length-1 axis NumPy broadcast against a longer one: sum the adjoint back.
        stretched = tuple(i for i, c in enumerate(reachable)
                          if size[c] == 1 and partial.shape[i] != 1)
        if stretched:
            partial = partial.sum(axis=stretched, keepdims=True)
        # Labels only operand k carries are summed inside it: its adjoint is constant along them.
        lonely = [i for i, c in enumerate(distinct) if c not in available]
        partial = np.broadcast_to(np.expand_dims(partial, lonely), [size[c] for c in distinct])
        if distinct == mine:
            return partial
        # A label repeated within operand k ("ii") reads a diagonal: write the adjoint onto it.
        dx = np.zeros(np.shape(operands[k]), dtype=partial.dtype)
        np.einsum(f"{mine}->{distinct}", dx)[...] = partial
        return dx
    return vjp


class _PerOperand:
    """The vjps of an op taking any number of operands: rule k is made on first use."""

    def __init__(self, make_rule: Callable[[int], Callable]):
        self.make_rule = make_rule

    def __getitem__(self, k: int) -> Callable:
        return self.make_rule(k)


OPS["einsum"] = Op("einsum",
                   lambda *xs, labels, output: np.einsum(",".join(labels) + "->" + output, *xs,
                                                         optimize=len(xs) > 2),
                   _PerOperand(_einsum_vjp))


def einsum(subscripts: str, *operands):
    """np.einsum with gradients for every operand (ellipsis, diagonals, broadcasting included)."""
    shapes = [np.shape(x.value if isinstance(x, Tensor) else x) for x in operands]
    labels, output = explicit_einsum(subscripts, shapes)
    return apply(OPS["einsum"], operands, {"labels": labels, "output": output})


# ---------------------------------------------------------------- linear algebra

def _swap(m):
    return np.swapaxes(m, -1, -2)


def _require_square(name: str, x) -> None:
    if np.ndim(x) < 2 or np.shape(x)[-1] != np.shape(x)[-2]:
        raise ShapeError(f"{name}: needs a square matrix (or a stack of them), got shape "
                         f"{np.shape(x)}")


def _checked_inverse(name: str, x) -> np.ndarray:
    """inv(x), refusing numerically singular matrices (condition number ≥ 1/eps)."""
    _require_square(name, x)
    try:
        inverse = np.linalg.inv(x)
    except np.linalg.LinAlgError as exc:
        raise EvaluationError(f"{name}: the matrix is singular ({exc})") from exc
    eps = np.finfo(np.result_type(x, np.float32)).eps
    # 1-norm condition number: max column sum of |x| times that of |x⁻¹|, O(n²).
    condition = np.abs(x).sum(axis=-2).max(axis=-1) * np.abs(inverse).sum(axis=-2).max(axis=-1)
    if not np.all(condition < 1 / eps):
        raise EvaluationError(f"{name}: the matrix is numerically singular (1-norm condition "
                              f"number {np.max(condition):.3g} ≥ 1/eps = {1 / eps:.3g}); "
                              f"its inverse is dominated by rounding error")
    return inverse


defop("inv", lambda x: _checked_inverse("inv", x),
      lambda g, ans, x: -_swap(ans) @ g @ _swap(ans))


def inv(x):
    """Matrix inverse Y = X⁻¹; dX = −Yᵀ dY Yᵀ.  Numerically singular X raises EvaluationError."""
    return apply(OPS["inv"], (x,))


def _solve_forward(a, b):
    _require_square("solve", a)
    return np.linalg.solve(a, b)


def _solve_vjp_b(g, ans, a, b):
    if np.ndim(b) == 1:
        return np.linalg.solve(_swap(a), g)
    return _sum_to_shape(np.linalg.solve(_swap(a), g), np.shape(b))


def _solve_vjp_a(g, ans, a, b):
    if np.ndim(b) == 1:
        return -np.multiply.outer(np.linalg.solve(_swap(a), g), ans)
    return _sum_to_shape(-np.linalg.solve(_swap(a), g) @ _swap(ans), np.shape(a))


defop("solve", _solve_forward, _solve_vjp_a, _solve_vjp_b)


def solve(a, b):
    """x with a·x = b (b a vector or a matrix of right-hand sides); db = a⁻ᵀ dx, da = −db·xᵀ."""
    return apply(OPS["solve"], (a, b))


def _det_forward(x):
    _require_square("det", x)
    return np.linalg.det(x)


defop("det", _det_forward,
      lambda g, ans, x: np.asarray(g * ans)[..., None, None]
      * _swap(_checked_inverse("det (backward)", x)))


def det(x):
    """Determinant; d det = det · X⁻ᵀ (the backward pass needs X invertible)."""
    return apply(OPS["det"], (x,))


def _logdet_forward(x):
    _require_square("logdet", x)
    sign_of_det, logabsdet = np.linalg.slogdet(x)
    if not np.all(sign_of_det > 0):
        raise EvaluationError(f"logdet: needs a positive determinant, got sign {sign_of_det}; "
                              f"use log|det| of a positive-definite matrix")
    return logabsdet


defop("logdet", _logdet_forward,
      lambda g, ans, x: np.asarray(g)[..., None, None] * _swap(_checked_inverse("logdet", x)))


def logdet(x):
    """log det X for det X > 0 (via slogdet, no overflow); d logdet = X⁻ᵀ."""
    return apply(OPS["logdet"], (x,))


def _cholesky_forward(x):
    _require_square("cholesky", x)
    asymmetry = np.max(np.abs(x - _swap(x)), initial=0.0)
    if asymmetry > 1e-8 * builtins.max(1.0, float(np.max(np.abs(x), initial=0.0))):
        raise EvaluationError(f"cholesky: needs a symmetric matrix, max |A − Aᵀ| = "
                              f"{asymmetry:.3g}")
    try:
        return np.linalg.cholesky(x)
    except np.linalg.LinAlgError as exc:
        raise EvaluationError("cholesky: the matrix is not positive definite") from exc


def _cholesky_vjp(g, ans, x):
    # Murray (2016), "Differentiation of the Cholesky decomposition":
    # P = Φ(Lᵀ L̄) with Φ = lower triangle, diagonal halved; S = L⁻ᵀ P L⁻¹; Ā = (S + Sᵀ)/2.
    phi = np.tril(_swap(ans) @ g)
    phi = phi - 0.5 * np.eye(ans.shape[-1]) * phi
    lower_t = _swap(ans)
    s = _swap(np.linalg.solve(lower_t, _swap(np.linalg.solve(lower_t, phi))))
    return 0.5 * (s + _swap(s))


defop("cholesky", _cholesky_forward, _cholesky_vjp)


def cholesky(x):
    """Lower-triangular L with L·Lᵀ = X for symmetric positive-definite X.

    The adjoint is symmetric: it is the gradient with respect to a symmetric X
    (check it with symmetric perturbations).
    """
    return apply(OPS["cholesky"], (x,))


# ---------------------------------------------------------------- regularisation

def dropout(x, p: float, *, train: bool = True, rng: np.random.Generator | None = None):
    """Zero each entry with probability p and divide the survivors by 1 − p (inverted dropout).

    In eval mode (train=False) it is the identity, so no rescaling is needed at
    test time.  The mask is drawn from ``rng``, which must be given in train mode
    so runs are reproducible; the adjoint uses the same mask.
    """
    if not 0 <= p < 1:
        raise InvalidArgumentError(f"dropout: p must be in [0, 1), got {p}")
    if not train or p == 0:
        return x
    if not isinstance(rng, np.random.Generator):
        raise InvalidArgumentError("dropout: pass rng=np.random.default_rng(seed) in train mode")
    value = np.asarray(x.value if isinstance(x, Tensor) else x)
    dtype = value.dtype if value.dtype.kind == "f" else np.float64
    scale = np.where(rng.random(value.shape) >= p, 1 / (1 - p), 0).astype(dtype)
    return multiply(x, scale)


# ---------------------------------------------------------------- operator overloading

def _install_operators() -> None:
    """Give Tensor NumPy's operators; comparisons return plain boolean arrays."""
    def value(x):
        return x.value if isinstance(x, Tensor) else x

    def reshape_method(self, *shape):
        return reshape(self, shape[0] if len(shape) == 1 else shape)

    def transpose_method(self, *axes):
        return transpose(self, axes[0] if len(axes) == 1 else (axes or None))

    methods = {
        "__add__": add, "__radd__": lambda s, o: add(o, s),
        "__sub__": subtract, "__rsub__": lambda s, o: subtract(o, s),
        "__mul__": multiply, "__rmul__": lambda s, o: multiply(o, s),
        "__truediv__": divide, "__rtruediv__": lambda s, o: divide(o, s),
        "__pow__": power, "__rpow__": lambda s, o: power(o, s),
        "__matmul__": matmul, "__rmatmul__": lambda s, o: matmul(o, s),
        "__neg__": negative, "__pos__": lambda s: s,
        "__abs__": abs,
        "__getitem__": getitem,
        "__lt__": lambda s, o: s.value < value(o), "__le__": lambda s, o: s.value <= value(o),
        "__gt__": lambda s, o: s.value > value(o), "__ge__": lambda s, o: s.value >= value(o),
        "__eq__": lambda s, o: s.value == value(o), "__ne__": lambda s, o: s.value != value(o),
        "T": property(lambda s: transpose(s)),
        "sum": lambda s, axis=None, keepdims=False: sum(s, axis, keepdims),
        "mean": lambda s, axis=None, keepdims=False: mean(s, axis, keepdims),
        "max": lambda s, axis=None, ties="first", keepdims=False: max(s, axis, ties, keepdims),
        "reshape": reshape_method,
        "transpose": transpose_method,
    }
    for name, method in methods.items():
        setattr(Tensor, name, method)


_install_operators()
