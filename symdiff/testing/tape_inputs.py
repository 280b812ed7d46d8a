"""Inputs for every tape op: strategies of ``OpCall(inputs, params)`` inside each op's domain.

``TAPE_OP_INPUTS[name]()`` is a strategy drawing arguments the op ``name`` of
``symdiff.tape.OPS`` is differentiable at: broadcastable shapes for the
binary ops, positive arguments for log and sqrt, entries away from the kinks
of abs and relu, distinct entries for max and sort (no ties), well-conditioned
matrices for inv/solve/det, symmetric positive-definite ones for Cholesky,
and the op's parameters (axes, indices, permutations, einsum subscripts)
drawn to fit the shapes.  A new op registers its inputs with
``register_op_inputs`` (the tape sweep in the test suite fails for an op
without any).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import hypothesis.strategies as st
import numpy as np
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

from .strategies import arrays

MAX_SIDE = 3


@dataclass(frozen=True)
class OpCall:
    """Arguments of one call: array ``inputs`` and keyword ``params``.

    ``symmetric``: input positions whose gradient is w.r.t. a symmetric matrix
    (compared as (G + Gᵀ)/2, with finite differences along symmetric
    directions).  ``argnums``: the inputs to differentiate (all by default).
    """

    inputs: tuple
    params: dict = field(default_factory=dict)
    symmetric: tuple = ()
    argnums: tuple | None = None

    def __repr__(self) -> str:
        shown = ", ".join(np.array2string(np.asarray(x), precision=4, separator=", ").replace("\n", "")
                          for x in self.inputs)
        extra = "".join(f", {k}={v!r}" for k, v in (("symmetric", self.symmetric), ("argnums", self.argnums))
                        if v)
        return f"OpCall(inputs=({shown},), params={self.params!r}{extra})"

    def _repr_pretty_(self, printer, cycle):   # Hypothesis prints failing examples with this
        printer.text(repr(self))


TAPE_OP_INPUTS: dict[str, Callable[[], st.SearchStrategy]] = {}


def register_op_inputs(name: str, factory: Callable[[], st.SearchStrategy] | None = None):
    """Register ``factory() -> strategy of OpCall`` for the tape op ``name`` (usable as a decorator)."""
    def register(f):
        TAPE_OP_INPUTS[name] = f
        return f
    return register(factory) if factory is not None else register


def op_inputs(name: str) -> st.SearchStrategy:
    """The strategy of ``OpCall`` for the tape op ``name``."""
    try:
        return TAPE_OP_INPUTS[name]()
    except KeyError:
        raise KeyError(f"no input strategy for the tape op {name!r}: register one with "
                       f"symdiff.testing.register_op_inputs({name!r}, factory)") from None


def _shapes(min_dims=0, max_dims=3):
    return array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=MAX_SIDE)


def _unary(domain=(-2.0, 2.0), structure=None, **params):
    return lambda: _shapes().flatmap(lambda s: arrays(s, domain=domain, structure=structure)).map(
        lambda x: OpCall((x,), dict(params)))


def _signed(shape, low, high):
    """Entries with |x| in [low, high], either sign."""
    return st.tuples(arrays(shape, domain=(low, high)), arrays(shape, structure="pm1")).map(
        lambda pair: pair[0] * pair[1])


def _binary(left=None, right=None):
    """Two arrays of mutually broadcastable shapes (entries from the given strategies' makers)."""
    left = left or (lambda s: arrays(s))
    right = right or (lambda s: arrays(s))

    @st.composite
    def draw(draw):
        shapes = draw(mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=MAX_SIDE))
        a, b = shapes.input_shapes
        return OpCall((draw(left(a)), draw(right(b))))

    return lambda: draw()


for _name in ("add", "subtract", "multiply"):
    register_op_inputs(_name, _binary())
register_op_inputs("divide", _binary(right=lambda s: _signed(s, 0.5, 2.0)))
register_op_inputs("power", _binary(left=lambda s: arrays(s, domain=(0.5, 2.0))))
for _name in ("negative", "exp", "sin", "cos", "sinh", "cosh", "tanh", "arctan", "sigmoid", "softplus",
              "softsign"):
    register_op_inputs(_name, _unary())
register_op_inputs("log", _unary(domain=(0.25, 3.0)))
register_op_inputs("sqrt", _unary(domain=(0.25, 3.0)))
register_op_inputs("tan", _unary(domain=(-1.2, 1.2)))
register_op_inputs("arcsin", _unary(domain=(-0.9, 0.9)))
register_op_inputs("arccos", _unary(domain=(-0.9, 0.9)))
for _name in ("abs", "sign", "relu"):
    register_op_inputs(_name, _unary(structure="nonzero"))   # away from the kink at 0


@register_op_inputs("leaky_relu")
def _leaky_relu():
    return st.tuples(_shapes().flatmap(lambda s: arrays(s, structure="nonzero")),
                     st.floats(0.0, 1.0)).map(lambda p: OpCall((p[0],), {"alpha": p[1]}))


@st.composite
def _axis_params(draw, x, allow_none=True, allow_tuple=True):
    """An ``axis`` argument fitting x: None, an int (maybe negative) or a tuple of distinct axes."""
    choices = ["int"] if x.ndim else []
    if allow_none or not x.ndim:
        choices.append("none")
    if allow_tuple and x.ndim > 1:
        choices.append("tuple")
    kind = draw(st.sampled_from(choices))
    if kind == "none":
        return None
    if kind == "int":
        return draw(st.integers(-x.ndim, x.ndim - 1))
    return tuple(draw(st.lists(st.integers(0, x.ndim - 1), min_size=1, max_size=x.ndim, unique=True)))


def _reduction(structure=None, **extra):
    @st.composite
    def draw(draw):
        x = draw(_shapes().flatmap(lambda s: arrays(s, structure=structure)))
        params = {"axis": draw(_axis_params(x)), "keepdims": draw(st.booleans())}
        params.update({k: draw(v) for k, v in extra.items()})
        return OpCall((x,), params)
    return lambda: draw()


register_op_inputs("sum", _reduction())
register_op_inputs("mean", _reduction())
register_op_inputs("max", _reduction(structure="distinct", ties=st.sampled_from(["first", "average", "all"])))


@register_op_inputs("logsumexp")
def _logsumexp():
    @st.composite
    def draw(draw):
        x = draw(_shapes(min_dims=1).flatmap(arrays))
        return OpCall((x,), {"axis": draw(_axis_params(x, allow_tuple=False)), "keepdims": draw(st.booleans())})
    return draw()


@register_op_inputs("softmax")
def _softmax():
    @st.composite
    def draw(draw):
        x = draw(_shapes(min_dims=1).flatmap(arrays))
        return OpCall((x,), {"axis": draw(st.integers(-x.ndim, x.ndim - 1))})
    return draw()


@register_op_inputs("reshape")
def _reshape():
    @st.composite
    def draw(draw):
        x = draw(_shapes().flatmap(arrays))
        target = draw(st.sampled_from([(-1,), tuple(reversed(x.shape)), (1, x.size), (x.size, 1)]))
        return OpCall((x,), {"shape": target})
    return draw()


@register_op_inputs("transpose")
def _transpose():
    @st.composite
    def draw(draw):
        x = draw(_shapes(min_dims=1).flatmap(arrays))
        axes = draw(st.one_of(st.none(), st.permutations(range(x.ndim)).map(tuple)))
        return OpCall((x,), {"axes": axes})
    return draw()


@register_op_inputs("getitem")
def _getitem():
    @st.composite
    def draw(draw):
        x = draw(_shapes(min_dims=1).flatmap(arrays))
        n = x.shape[0]
        kind = draw(st.sampled_from(["int", "slice", "fancy", "tuple"]))
        if kind == "int":
            index = draw(st.integers(-n, n - 1))
        elif kind == "slice":
            start = draw(st.integers(0, n - 1))
            index = slice(start, draw(st.integers(start + 1, n)), draw(st.integers(1, 2)))
        elif kind == "fancy":   # repeated indices must sum their adjoints
            index = np.asarray(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=4)))
        else:
            index = tuple(draw(st.integers(0, d - 1)) for d in x.shape[:2])
        return OpCall((x,), {"index": index})
    return draw()


@register_op_inputs("take")
def _take():
    @st.composite
    def draw(draw):
        x = draw(_shapes(min_dims=1).flatmap(arrays))
        axis = draw(st.one_of(st.none(), st.integers(0, x.ndim - 1)))
        n = x.size if axis is None else x.shape[axis]
        indices = np.asarray(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=4)))
        return OpCall((x,), {"indices": indices, "axis": axis})
    return draw()


@register_op_inputs("permute")
def _permute():
    @st.composite
    def draw(draw):
        x = draw(_shapes(min_dims=1).flatmap(arrays))
        axis = draw(st.integers(0, x.ndim - 1))
        perm = np.asarray(draw(st.permutations(range(x.shape[axis]))))
        return OpCall((x,), {"perm": perm, "inverse": np.argsort(perm), "axis": axis})
    return draw()


@register_op_inputs("sort")
def _sort():
    @st.composite
    def draw(draw):
        x = draw(_shapes(min_dims=1).flatmap(lambda s: arrays(s, structure="distinct")))
        return OpCall((x,), {"axis": draw(st.integers(-x.ndim, x.ndim - 1))})
    return draw()


@register_op_inputs("matmul")
def _matmul():
    @st.composite
    def draw(draw):
        n, k, m, b = (draw(st.integers(1, MAX_SIDE)) for _ in range(4))
        left, right = draw(st.sampled_from([((n, k), (k, m)), ((k,), (k, m)), ((n, k), (k,)), ((k,), (k,)),
                                            ((b, n, k), (k, m)), ((n, k), (b, k, m))]))
        return OpCall((draw(arrays(left)), draw(arrays(right))))
    return draw()


# (subscripts, shapes as functions of sizes i, j, k)
_EINSUM_CASES = [
    ("ij,jk->ik", lambda i, j, k: [(i, j), (j, k)]),
    ("ii->", lambda i, j, k: [(i, i)]),
    ("ii->i", lambda i, j, k: [(i, i)]),
    ("ij->ji", lambda i, j, k: [(i, j)]),
    ("i,i->", lambda i, j, k: [(i,), (i,)]),
    ("ij,ij->ij", lambda i, j, k: [(i, j), (i, j)]),
    ("ij->", lambda i, j, k: [(i, j)]),
    ("...ij,jk->...ik", lambda i, j, k: [(k, i, j), (j, k)]),
    ("ij,jk,kl->il", lambda i, j, k: [(i, j), (j, k), (k, i)]),
    ("ij,j", lambda i, j, k: [(i, j), (j,)]),
    ("i,j->ij", lambda i, j, k: [(i,), (j,)]),
]


@register_op_inputs("einsum")
def _einsum():
    from ..tape.ops import explicit_einsum

    @st.composite
    def draw(draw):
        subscripts, shapes = draw(st.sampled_from(_EINSUM_CASES))
        sizes = [draw(st.integers(1, MAX_SIDE)) for _ in range(3)]
        inputs = tuple(draw(arrays(s)) for s in shapes(*sizes))
        labels, output = explicit_einsum(subscripts, [x.shape for x in inputs])
        return OpCall(inputs, {"labels": labels, "output": output})
    return draw()


def _well_conditioned(n, batch=()):
    """A + (n + 1) I with |A_ij| <= 1: strictly diagonally dominant with a positive diagonal, so
    invertible with a positive determinant and a bounded condition number (not symmetric)."""
    return arrays(batch + (n, n), domain=(-1.0, 1.0)).map(lambda a: a + (n + 1) * np.eye(n))


def _square_op(name):
    @st.composite
    def draw(draw):
        n = draw(st.integers(1, MAX_SIDE))
        batch = draw(st.sampled_from([(), (2,)]))
        return OpCall((draw(_well_conditioned(n, batch)),))
    register_op_inputs(name, lambda: draw())


for _name in ("inv", "det", "logdet"):
    _square_op(_name)


@register_op_inputs("solve")
def _solve():
    @st.composite
    def draw(draw):
        n = draw(st.integers(1, MAX_SIDE))
        rhs = draw(st.sampled_from([(n,), (n, draw(st.integers(1, MAX_SIDE)))]))
        return OpCall((draw(_well_conditioned(n)), draw(arrays(rhs))))
    return draw()


@register_op_inputs("cholesky")
def _cholesky():
    # the adjoint is w.r.t. a symmetric matrix: compared along symmetric directions
    return st.integers(1, MAX_SIDE).flatmap(lambda n: arrays((n, n), structure="spd")).map(
        lambda a: OpCall((a,), symmetric=(0,)))
