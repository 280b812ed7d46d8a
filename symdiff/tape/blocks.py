"""User-defined blocks and their composition, as in the lecture.

A block is a function ``f(*arrays) -> (value, backward)`` where
``backward(dy) -> tuple of input adjoints`` — exactly the lecture's

    def mul(a, b):
        def d_mul(dc):
            return (b * dc, a * dc)
        return a * b, d_mul

so the forward can keep whatever intermediates its backward needs (like
torch.autograd.Function or jax.custom_vjp).  ``@block`` turns such a function
into a callable that records one node on the tape.  ``sequence`` and
``parallel`` build composite blocks whose backward is assembled from the
backwards of their parts:

    sequence:  X → X1 → Y1 = X2 → Y2 → Y     dX ← dX1 ← dY1 = dX2 ← dY2 ← dY
    parallel:  X = (X1, X2) → Y = (Y1, Y2)    dX = (dX1, dX2)

A block with several outputs returns them as a tuple, and its backward then
receives a tuple of output adjoints.
"""
from __future__ import annotations

import inspect
from typing import Callable

import numpy as np

from symdiff.tape.tensor import InvalidArgumentError, Tensor, constant, record


class Block:
    """A differentiable function given by its forward-with-backward: the lecture's block."""

    def __init__(self, forward: Callable, n_inputs: int | None, name: str):
        self._forward = forward
        self.n_inputs = n_inputs
        self.name = name

    def __repr__(self) -> str:
        return f"Block({self.name!r}, n_inputs={self.n_inputs})"

    def forward(self, *arrays):
        """The lecture's form on plain arrays: ``(value, backward)``."""
        if self.n_inputs is not None and len(arrays) != self.n_inputs:
            raise InvalidArgumentError(f"block {self.name!r} takes {self.n_inputs} inputs, "
                                       f"got {len(arrays)}")
        result = self._forward(*arrays)
        if not (isinstance(result, tuple) and len(result) == 2 and callable(result[1])):
            raise InvalidArgumentError(f"block {self.name!r} must return (value, backward), "
                                       f"got {type(result).__name__}")
        value, backward = result
        value = tuple(map(np.asarray, value)) if isinstance(value, tuple) else np.asarray(value)
        return value, lambda dy: _input_adjoints(self.name, backward(dy), arrays)

    def __call__(self, *inputs):
        """Run the block on Tensors and/or arrays, recording one node per output on the tape."""
        arrays = tuple(x.value if isinstance(x, Tensor) else np.asarray(x) for x in inputs)
        value, backward = self.forward(*arrays)
        differentiable = [i for i, x in enumerate(inputs)
                          if isinstance(x, Tensor) and x.requires_grad]
        if not differentiable:
            if not any(isinstance(x, Tensor) for x in inputs):
                return value
            return tuple(map(constant, value)) if isinstance(value, tuple) else constant(value)
        parents = [inputs[i] for i in differentiable]

        def parent_adjoints(dy):
            adjoints = backward(dy)
            return tuple(adjoints[i] for i in differentiable)

        if not isinstance(value, tuple):
            return record(value, parents, parent_adjoints, self.name)
        # One node per output.  A node's backward feeds zeros for the other outputs;
        # by linearity of the backward the contributions of all outputs add up right.
        def output_backward(k):
            return lambda g: parent_adjoints(tuple(g if j == k else np.zeros_like(v)
                                                   for j, v in enumerate(value)))
        return tuple(record(v, parents, output_backward(k), f"{self.name}[{k}]")
                     for k, v in enumerate(value))


def _input_adjoints(name: str, adjoints, inputs: tuple) -> tuple:
    """A backward's result as one array per input; None (no dependence) becomes zeros."""
    if not isinstance(adjoints, (tuple, list)):
        adjoints = (adjoints,)
    if len(adjoints) != len(inputs):
        raise InvalidArgumentError(f"the backward of block {name!r} returned {len(adjoints)} "
                                   f"adjoints for {len(inputs)} inputs")
    return tuple(np.zeros_like(x) if a is None else np.asarray(a)
                 for a, x in zip(adjoints, inputs))


def _positional_arity(fn: Callable) -> int | None:
    """Number of required positional parameters; None if fn takes *args."""
    parameters = inspect.signature(fn).parameters.values()
    if any(p.kind is p.VAR_POSITIONAL for p in parameters):
        return None
    return len([p for p in parameters
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty])


def block(fn: Callable | None = None, *, name: str | None = None, n_inputs: int | None = None):
    """Decorator: ``f(*arrays) -> (value, backward)`` becomes a Block usable on the tape.

    ``n_inputs`` defaults to f's number of positional parameters (needed when
    the block is a part of ``parallel``; give it explicitly if f takes *args).
    """
    def wrap(f: Callable) -> Block:
        arity = n_inputs if n_inputs is not None else _positional_arity(f)
        return Block(f, arity, name or f.__name__)
    return wrap if fn is None else wrap(fn)


def _as_inputs(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def _as_output(values: tuple):
    return values if len(values) > 1 else values[0]


def sequence(*blocks: Block, name: str | None = None) -> Block:
    """b_n ∘ … ∘ b_1: each block's outputs feed the next; backward runs the parts in reverse."""
    if not blocks:
        raise InvalidArgumentError("sequence needs at least one block")

    def forward(*arrays):
        backwards = []
        current = arrays
        for part in blocks:
            value, backward = part.forward(*current)
            backwards.append(backward)
            current = _as_inputs(value)
        def backward(dy):
            adjoint = dy
            for part_backward in reversed(backwards):
                adjoints = part_backward(adjoint)   # adjoints of this part's inputs ...
                adjoint = _as_output(adjoints)      # ... are those of the previous part's outputs
            return adjoints
        return value, backward

    return Block(forward, blocks[0].n_inputs,
                 name or "sequence(" + ", ".join(b.name for b in blocks) + ")")


def parallel(*blocks: Block, name: str | None = None) -> Block:
    """Blocks side by side: inputs (X1, X2, ...) split among the parts, outputs (Y1, Y2, ...)."""
    if not blocks:
        raise InvalidArgumentError("parallel needs at least one block")
    for part in blocks:
        if part.n_inputs is None:
            raise InvalidArgumentError(f"parallel: block {part.name!r} takes *args; give it "
                                       f"n_inputs= so its share of the inputs is known")
    starts = np.cumsum([0] + [b.n_inputs for b in blocks]).tolist()

    def forward(*arrays):
        outputs, backwards, widths = [], [], []
        for part, start, stop in zip(blocks, starts, starts[1:]):
            value, backward = part.forward(*arrays[start:stop])
            outputs.extend(_as_inputs(value))
            backwards.append(backward)
            widths.append(len(_as_inputs(value)))

        def backward(dy):
            dy = _as_inputs(dy)
            adjoints, offset = [], 0
            for part_backward, width in zip(backwards, widths):
                adjoints.extend(part_backward(_as_output(dy[offset:offset + width])))
                offset += width
            return tuple(adjoints)
        return _as_output(tuple(outputs)), backward

    return Block(forward, starts[-1],
                 name or "parallel(" + ", ".join(b.name for b in blocks) + ")")
