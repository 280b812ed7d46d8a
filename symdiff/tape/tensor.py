"""The tape's core: a Tensor and the backward walk.

A Tensor wraps a NumPy array.  Every op applied to a Tensor that needs a
gradient records a new node holding its parents and a backward closure
mapping the output's adjoint to the parents' adjoints (the lecture's
``d_mul``).  ``backward()`` visits the recorded DAG in reverse topological
order and sums the adjoints of nodes used several times, as micrograd does —
but on arrays, and with an iterative sort so 10^5-node graphs do not hit the
recursion limit.

Operator overloading (``+``, ``@``, ``t[idx]``, ``.sum()`` ...) is attached
by ``symdiff.tape.ops`` so this core knows nothing about any particular op.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from symdiff.errors import EvaluationError, ShapeError, SymdiffError


class NotDifferentiableError(SymdiffError, TypeError):
    """A gradient was asked for something that has none (integer input, argmax output...)."""


class InvalidArgumentError(SymdiffError, ValueError):
    """An option or argument of a tape function is out of its domain (tie policy, p, ...)."""


class Tensor:
    """An array on the tape: its value, how it was made, and after backward() its gradient."""

    __slots__ = ("value", "grad", "requires_grad", "op", "_parents", "_backward")
    # NumPy must defer to our reflected operators, so `array + tensor` records a node
    # instead of NumPy silently turning the Tensor into an object array.
    __array_ufunc__ = None
    # Comparisons return arrays (like NumPy), so keep identity hashing explicitly.
    __hash__ = object.__hash__

    def __init__(self, data, requires_grad: bool = True):
        value = np.asarray(data.value if isinstance(data, Tensor) else data)
        if not isinstance(data, np.ndarray) and value.dtype.kind not in "fc":
            value = value.astype(np.float64)  # Python numbers and lists default to float64
        if requires_grad:
            check_differentiable_dtype(value, "the Tensor")
        self.value = value
        self.grad = None
        self.requires_grad = requires_grad
        self.op = "input"
        self._parents: tuple[Tensor, ...] = ()
        self._backward: Callable | None = None

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    @property
    def ndim(self) -> int:
        return self.value.ndim

    @property
    def size(self) -> int:
        return self.value.size

    @property
    def dtype(self) -> np.dtype:
        return self.value.dtype

    def __len__(self) -> int:
        return len(self.value)

    def __repr__(self) -> str:
        body = np.array2string(self.value, separator=", ", threshold=20)
        return f"Tensor({body}, op={self.op!r})"

    def backward(self, dy=None, *, check_finite: bool = True) -> None:
        """Set ``.grad`` of every leaf this Tensor depends on to d(⟨dy, self⟩)/d(leaf).

        ``dy`` defaults to 1 for a single-element Tensor.  Leaf gradients are
        overwritten, not accumulated across calls.  With ``check_finite`` a NaN or
        inf in the gradients raises an EvaluationError naming the op whose
        backward produced it.
        """
        if dy is None:
            if self.value.size != 1:
                raise ShapeError(f"backward() without dy needs a single-element output; "
                                 f"this one has shape {self.shape} — pass dy of that shape")
            seed = np.ones_like(self.value)
        else:
            seed = np.asarray(dy.value if isinstance(dy, Tensor) else dy)
            if seed.shape != self.shape:
                raise ShapeError(f"backward(): dy has shape {seed.shape} but the output "
                                 f"has shape {self.shape}")
            if check_finite and not np.isfinite(seed).all():
                raise EvaluationError("backward(): dy contains NaN or inf")
        _propagate(self, seed, check_finite)


def check_differentiable_dtype(value: np.ndarray, what: str) -> None:
    """Refuse integer/bool/complex arrays as differentiation variables, saying why."""
    if value.dtype.kind == "f":
        return
    if value.dtype.kind == "c":
        raise NotDifferentiableError(f"{what} has complex dtype {value.dtype}: the tape "
                                     f"differentiates real functions only")
    raise NotDifferentiableError(
        f"{what} has dtype {value.dtype}: an integer or boolean array ranges over a discrete "
        f"set, so there is no neighbourhood to vary it in and no derivative with respect to "
        f"it. Convert it with .astype(float) if it stands for a real quantity.")


def record(value, parents: Sequence[Tensor], backward: Callable, op: str) -> Tensor:
    """Make the node ``value`` = op(parents); ``backward(dy)`` returns one adjoint per parent."""
    node = Tensor.__new__(Tensor)
    node.value = value if type(value) is np.ndarray else np.asarray(value)
    node.grad = None
    node.requires_grad = True
    node.op = op
    node._parents = tuple(parents)
    node._backward = backward
    return node


def constant(value) -> Tensor:
    """A Tensor the tape does not differentiate (an op of constants, a non-float input)."""
    node = Tensor.__new__(Tensor)
    node.value = np.asarray(value)
    node.grad = None
    node.requires_grad = False
    node.op = "constant"
    node._parents = ()
    node._backward = None
    return node


def _topological_order(root: Tensor) -> list[Tensor]:
    """Nodes reachable from root, every node after all of its parents (iterative DFS)."""
    order: list[Tensor] = []
    visited: set[int] = set()
    stack: list[tuple[Tensor, bool]] = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        for parent in node._parents:
            if id(parent) not in visited:
                stack.append((parent, False))
    return order


def _propagate(root: Tensor, seed: np.ndarray, check_finite: bool) -> None:
    leaves = _walk(root, seed, check_each_op=False)
    if check_finite and not all(np.isfinite(leaf.grad).all() for leaf in leaves):
        # Backward rules are linear in the adjoint, so a NaN or inf made anywhere
        # reaches some leaf; only then walk again, checking every op's output, to name
        # the op that made it.  The common, finite case costs one check per leaf.
        _walk(root, seed, check_each_op=True)
        raise EvaluationError("the gradient contains NaN or inf (made by a backward rule "
                              "that is not deterministic, so the op could not be named)")


def _walk(root: Tensor, seed: np.ndarray, check_each_op: bool) -> list[Tensor]:
    """Reverse-mode sweep: set ``.grad`` of the leaves reached from root and return them."""
    adjoints: dict[int, np.ndarray] = {id(root): seed}
    # Adjoints we allocated ourselves may be summed into in place; the first
    # contribution is stored as given and may alias an array another node still uses.
    owned: set[int] = set()
    leaves = []
    pop, get = adjoints.pop, adjoints.get   # the loop runs once per node: keep lookups local
    for node in reversed(_topological_order(root)):
        adjoint = pop(id(node), None)
        if adjoint is None:
            continue
        if node._backward is None:
            # Hand out a fresh, writable array of the leaf's dtype (an adjoint may be a view).
            mine = id(node) in owned and adjoint.dtype == node.value.dtype
            node.grad = adjoint if mine else np.array(adjoint, dtype=node.value.dtype)
            leaves.append(node)
            continue
        for position, (parent, contribution) in enumerate(
                zip(node._parents, node._backward(adjoint), strict=True)):
            if contribution is None:
                continue
            if contribution.shape != parent.value.shape:
                raise ShapeError(f"backward of {node.op!r} returned a gradient of shape "
                                 f"{contribution.shape} for its input {position}, "
                                 f"which has shape {parent.value.shape}")
            if check_each_op and not np.isfinite(contribution).all():
                raise _non_finite_error(node, position, parent, contribution)
            key = id(parent)
            previous = get(key)
            if previous is None:
                adjoints[key] = contribution
            elif key in owned:
                np.add(previous, contribution, out=previous)
            else:
                adjoints[key] = total = np.add(previous, contribution)
                if total.ndim:  # 0-d sums are NumPy scalars, not writable buffers
                    owned.add(key)
    return leaves


def _non_finite_error(node: Tensor, position: int, parent: Tensor, gradient) -> EvaluationError:
    gradient = np.asarray(gradient)
    bad = tuple(int(i) for i in np.unravel_index(int(np.argmax(~np.isfinite(gradient))),
                                                 gradient.shape))
    return EvaluationError(
        f"the backward pass of {node.op!r} produced {float(gradient[bad])} for its input "
        f"{position} (shape {parent.value.shape}) at index {bad}, where that input is "
        f"{float(parent.value[bad]):.6g}; the derivative of {node.op!r} is not finite there")
