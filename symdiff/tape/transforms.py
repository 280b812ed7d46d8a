"""Function transforms in the style of JAX: grad, value_and_grad and vjp on NumPy arrays.

Each call wraps the chosen arguments in fresh leaf Tensors, runs ``fn`` once
(recording the tape) and walks the tape backward.  Arguments and results are
plain NumPy arrays; the other arguments are passed through untouched.
"""
from __future__ import annotations

import functools
from typing import Callable

import numpy as np

from symdiff.errors import ShapeError
from symdiff.tape.tensor import NotDifferentiableError, Tensor, check_differentiable_dtype

Argnums = int | tuple[int, ...]


def _normalized_argnums(argnums: Argnums, n_args: int) -> tuple[int, ...]:
    numbers = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    for k in numbers:
        if not -n_args <= k < n_args:
            raise IndexError(f"argnums {argnums} asks for argument {k}, "
                             f"but the function got {n_args} arguments")
    return tuple(k % n_args for k in numbers)


def _trace(fn: Callable, argnums: Argnums, args: tuple, kwargs: dict):
    """Run fn with leaf Tensors at ``argnums``; return (output, leaves)."""
    numbers = _normalized_argnums(argnums, len(args))
    call_args = list(args)
    leaves = []
    for k in numbers:
        leaf = Tensor(args[k], requires_grad=False)   # Python numbers and lists become float64
        check_differentiable_dtype(leaf.value, f"argument {k}")
        leaf.requires_grad = True
        leaves.append(leaf)
        call_args[k] = leaf
    return fn(*call_args, **kwargs), leaves


def _pullback(output, leaves: list[Tensor], cotangent, check_finite: bool, single: bool):
    """Adjoints of ``leaves`` for the cotangent of ``output`` (zeros where unconnected)."""
    if not isinstance(output, Tensor) or not output.requires_grad:
        value = np.asarray(output.value if isinstance(output, Tensor) else output)
        if value.dtype.kind not in "fc":
            raise NotDifferentiableError(
                f"the function returned an array of dtype {value.dtype}: integer-valued results "
                f"such as argmax, argsort or comparisons are piecewise constant in the input — "
                f"their derivative is 0 wherever it exists and undefined where the result "
                f"jumps — so the tape records no gradient for them. Differentiate max(x) for "
                f"the largest value, or softmax(x) (soft-arg-max) for a smooth surrogate of "
                f"the arg-max.")
        grads = [np.zeros_like(leaf.value) for leaf in leaves]  # fn does not depend on them
    else:
        for leaf in leaves:
            leaf.grad = None
        output.backward(cotangent, check_finite=check_finite)
        grads = [np.zeros_like(leaf.value) if leaf.grad is None else leaf.grad
                 for leaf in leaves]
    return grads[0] if single else tuple(grads)


def _scalar_value(output) -> np.ndarray:
    value = np.asarray(output.value if isinstance(output, Tensor) else output)
    if value.size != 1:
        raise ShapeError(f"grad needs a function with a single-element output, this one "
                         f"returned shape {value.shape}; use vjp for array outputs")
    return value


def value_and_grad(fn: Callable, argnums: Argnums = 0, *, check_finite: bool = True) -> Callable:
    """``fn(*args) -> (fn's value, gradient)`` for a scalar-valued fn.

    argnums is an int (one gradient array) or a tuple (a tuple of arrays), as in JAX.
    """
    @functools.wraps(fn)
    def evaluate(*args, **kwargs):
        output, leaves = _trace(fn, argnums, args, kwargs)
        value = _scalar_value(output)
        return value, _pullback(output, leaves, None, check_finite, isinstance(argnums, int))
    return evaluate


def grad(fn: Callable, argnums: Argnums = 0, *, check_finite: bool = True) -> Callable:
    """``fn(*args) -> gradient`` of a scalar-valued fn with respect to the arguments ``argnums``."""
    value_and_gradient = value_and_grad(fn, argnums, check_finite=check_finite)

    @functools.wraps(fn)
    def gradient(*args, **kwargs):
        return value_and_gradient(*args, **kwargs)[1]
    return gradient


def vjp(fn: Callable, *args, argnums: Argnums = 0, check_finite: bool = True):
    """Run fn once; return (value, pullback) with pullback(cotangent) = cotangent · Jacobian.

    The pullback may be called many times (e.g. with unit cotangents to build a
    full Jacobian); the tape is walked anew each time.
    """
    output, leaves = _trace(fn, argnums, args, {})
    value = np.asarray(output.value if isinstance(output, Tensor) else output)

    def pullback(cotangent):
        cotangent = np.asarray(cotangent)
        if cotangent.shape != value.shape:
            raise ShapeError(f"vjp: cotangent has shape {cotangent.shape}, the output has "
                             f"shape {value.shape}")
        return _pullback(output, leaves, cotangent, check_finite, isinstance(argnums, int))
    return value, pullback
