"""Every matrix rule inside one small expression, with the same function written with tape ops:
shared by the matrix-rule tests (tests/differentiation/test_matrix.py) and the backend tests."""
import sympy as sp
from sympy.combinatorics import Permutation

import symdiff
import symdiff.tape as tp
from symdiff.matrix import add_row_bias, cholesky, logdet, logsumexp_rows, softmax_rows, sum_entries

_t = sp.Dummy("t", real=True)


def matrix_rule_cases(size=3, rows=3, inner=2):
    A = sp.MatrixSymbol("A", size, size)
    B = sp.MatrixSymbol("B", size, size)
    P = sp.MatrixSymbol("P", size, size)   # made SPD below
    C = sp.MatrixSymbol("C", size, 1)
    R = sp.MatrixSymbol("R", rows, inner)  # rectangular factors
    Q = sp.MatrixSymbol("Q", inner, size)
    c = sp.Symbol("c", real=True)
    perm = sp.PermutationMatrix(Permutation(list(range(1, size)) + [0]))
    cases = {
        "matmul": ([A, B], sum_entries(sp.HadamardProduct(A * B, A * B)),
                   lambda a, b: tp.sum((a @ b) * (a @ b))),
        "matmul rectangular": ([R, Q], sum_entries(sp.HadamardProduct(R * Q, R * Q)),
                               lambda r, q: tp.sum((r @ q) * (r @ q))),
        "matadd": ([A, B], sum_entries(sp.HadamardProduct(A + 2 * B, A - B)),
                   lambda a, b: tp.sum((a + 2 * b) * (a - b))),
        "scalar multiple": ([A, c], sum_entries(sp.HadamardProduct(c * A, A)),
                            lambda a, cc: tp.sum((cc * a) * a)),
        "transpose": ([A, B], sum_entries(sp.HadamardProduct(A.T, B)),
                      lambda a, b: tp.sum(tp.transpose(a) * b)),
        "permutation": ([A, B], sum_entries(sp.HadamardProduct(perm * A, B)),
                        lambda a, b: tp.sum(tp.permute(a, list(range(1, size)) + [0], axis=0) * b)),
        "inverse": ([A, B], sum_entries(sp.HadamardProduct(sp.Inverse(A), B)),
                    lambda a, b: tp.sum(tp.inv(a) * b)),
        "hadamard": ([A, B], sum_entries(sp.HadamardProduct(A, B, A)),
                     lambda a, b: tp.sum(a * b * a)),
        "elementwise": ([A, B], sum_entries(sp.HadamardProduct(A.applyfunc(sp.tanh), B)),
                        lambda a, b: tp.sum(tp.tanh(a) * b)),
        "elementwise lambda": ([A, B], sum_entries(sp.HadamardProduct(A.applyfunc(sp.Lambda(_t, sp.sin(_t) * _t)), B)),
                               lambda a, b: tp.sum(tp.sin(a) * a * b)),
        "trace": ([A, B], sp.Trace(A * B), lambda a, b: tp.einsum("ij,ji->", a, b)),
        "determinant": ([A], sp.Determinant(A), lambda a: tp.det(a)),
        "logdet": ([P], logdet(P), lambda p: tp.logdet(p)),
        "log(det)": ([P], sp.log(sp.Determinant(P)), lambda p: tp.log(tp.det(p))),
        "cholesky": ([P, B], sum_entries(sp.HadamardProduct(cholesky(P), B)),
                     lambda p, b: tp.sum(tp.cholesky(p) * b)),
        "softmax rows": ([A, B], sum_entries(sp.HadamardProduct(softmax_rows(A), B)),
                         lambda a, b: tp.sum(tp.softmax(a, axis=1) * b)),
        "logsumexp rows": ([A, C], sum_entries(sp.HadamardProduct(logsumexp_rows(A), C)),
                           lambda a, cc: tp.sum(tp.logsumexp(a, axis=1, keepdims=True) * cc)),
        "row bias": ([R, Q], sum_entries(sp.HadamardProduct(add_row_bias(R * Q, Q[0:1, :]), R * Q)),
                     lambda r, q: tp.sum((r @ q + q[0:1, :]) * (r @ q))),
        "element": ([A, B], (A * B)[size - 1, 0], lambda a, b: (a @ b)[size - 1, 0]),
        "frobenius": ([A], symdiff.matrix.frobenius_norm(A), lambda a: tp.sqrt(tp.sum(a * a))),
    }
    return cases
