"""symdiff.tape: an independent numeric reverse-mode engine on NumPy arrays.

It records a dynamic computation graph while a function runs (the lecture's
blocks, each returning its value and a backward closure) and walks it
backward.  It imports neither SymPy nor the symbolic core, so it can serve as
an independent witness for symbolic gradients.

    >>> import numpy as np, symdiff.tape as tp
    >>> tp.grad(lambda x: tp.sum(tp.sin(x) * x))(np.array([0.0, 1.0]))
    array([0.        , 1.38177329])
"""
from symdiff.tape.blocks import Block, block, parallel, sequence
from symdiff.tape.ops import (
    OPS, Op, abs, add, arccos, arcsin, arctan, argmax, cholesky, cos, cosh, defop, det, divide,
    dropout, einsum, exp, getitem, inv, leaky_relu, log, logdet, logsumexp, matmul, max, mean,
    multiply, negative, permute, power, relu, reshape, sigmoid, sign, sin, sinh, softmax,
    softplus, softsign, solve, sort, sqrt, subtract, sum, take, tan, tanh, transpose,
)
from symdiff.tape.tensor import InvalidArgumentError, NotDifferentiableError, Tensor
from symdiff.tape.transforms import grad, value_and_grad, vjp

__all__ = [
    "Block", "InvalidArgumentError", "NotDifferentiableError", "OPS", "Op", "Tensor", "abs",
    "add", "arccos", "arcsin", "arctan", "argmax", "block", "cholesky", "cos", "cosh", "defop",
    "det", "divide", "dropout", "einsum", "exp", "getitem", "grad", "inv", "leaky_relu", "log",
    "logdet", "logsumexp", "matmul", "max", "mean", "multiply", "negative", "parallel",
    "permute", "power", "relu", "reshape", "sequence", "sigmoid", "sign", "sin", "sinh",
    "softmax", "softplus", "softsign", "solve", "sort", "sqrt", "subtract", "sum", "take", "tan",
    "tanh", "transpose", "value_and_grad", "vjp",
]
