"""Canonical forms of SymPy input (one node per quantity) and the lean NumPy code generated from them.

Each rewrite is checked against an independent witness: the compiled gradient against hand-written
NumPy or the tape and finite differences (``check_rule``), node counts against the program text's.
"""
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from sympy import OneMatrix, Trace

import symdiff
from symdiff.canonical import canonical_expression
from symdiff.codegen import lean_lines
from symdiff.matrix import Broadcast, ColSums, RowSums, reduce_ones
from symdiff.testing import check_rule, matrix_expressions
from symdiff.testing.matrices import MATRIX_DOMAIN
from symdiff.testing.profiles import profile_examples
from symdiff.testing.sweeps import matrix_variables

N, D, H, C = 12, 4, 5, 3


def _mlp():
    X, W1, b1 = sp.MatrixSymbol("X", N, D), sp.MatrixSymbol("W1", D, H), sp.MatrixSymbol("b1", H, 1)
    W2, b2, Y = sp.MatrixSymbol("W2", H, C), sp.MatrixSymbol("b2", C, 1), sp.MatrixSymbol("Y", N, C)
    Hid = (X * W1 + OneMatrix(N, 1) * b1.T).applyfunc(sp.tanh)
    R = Hid * W2 + OneMatrix(N, 1) * b2.T - Y
    return Trace(R.T * R) / N, (X, W1, b1, W2, b2, Y)


def _mlp_by_hand(X, W1, b1, W2, b2, Y):
    Hid = np.tanh(X @ W1 + b1.T)
    R = Hid @ W2 + b2.T - Y
    dR = 2 * R / N
    dZ = (dR @ W2.T) * (1 - Hid ** 2)
    return (R ** 2).sum() / N, [X.T @ dZ, dZ.sum(axis=0)[:, None], Hid.T @ dR, dR.sum(axis=0)[:, None]]


def test_the_plain_sympy_mlp_is_one_graph_without_ones_matrices():
    f, syms = _mlp()
    g = symdiff.gradient(f, list(syms[1:5]))
    tanh_nodes = [e for _, e in g.program.assignments if isinstance(e, sp.matrices.expressions.applyfunc
                                                                     .ElementwiseApplyFunction)]
    assert len(tanh_nodes) == 1                    # SymPy's distributed R.T is a view, not a second forward graph
    products = [e for _, e in g.forward_part if isinstance(e, sp.MatMul)]
    assert len(products) == 2                      # X W1 and H W2, nothing transposed or n x n
    fn = symdiff.compile(g, list(syms))
    assert fn.source.count("numpy.tanh(") == 1
    assert "numpy.ones" not in fn.source and "numpy.trace" not in fn.source
    rng = np.random.default_rng(1)
    args = [rng.normal(size=s.shape) for s in syms]
    value, grads = fn(*args)
    ref_value, ref_grads = _mlp_by_hand(*args)
    assert np.isclose(value, ref_value, rtol=1e-12)
    for a, b in zip(grads, ref_grads):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-13)


def _forward_size(f):
    return len(symdiff.Program.from_expr(f))


n = sp.Symbol("n", integer=True, positive=True)
A, B = sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("B", n, n)


@pytest.mark.parametrize("twin", [
    lambda A, B: (A * B).T,                  # SymPy: B.T*A.T
    lambda A, B: -(A * B),                   # a negation pulled out of the product
    lambda A, B: 3 * (A * B).T,              # a coefficient of a transposed product
    lambda A, B: sp.Inverse(A.T) * B.T,      # Inverse(A.T) against Inverse(A).T
    lambda A, B: sp.HadamardProduct(A.T, B.T),
    lambda A, B: (A * B).T.applyfunc(sp.tanh),
])
def test_a_transposed_or_negated_spelling_is_not_a_second_computation(twin):
    base = {0: A * B, 1: A * B, 2: A * B, 3: sp.Inverse(A) * B, 4: sp.HadamardProduct(A, B),
            5: (A * B).applyfunc(sp.tanh)}
    k = [lambda A, B: (A * B).T, lambda A, B: -(A * B), lambda A, B: 3 * (A * B).T,
         lambda A, B: sp.Inverse(A.T) * B.T, lambda A, B: sp.HadamardProduct(A.T, B.T),
         lambda A, B: (A * B).T.applyfunc(sp.tanh)]
    index = [c.__code__.co_code for c in k].index(twin.__code__.co_code)
    first = base[index]
    alone = _forward_size(symdiff.sum_entries(sp.HadamardProduct(first, first)))
    both = _forward_size(symdiff.sum_entries(sp.HadamardProduct(first, twin(A, B).T if index != 1 else twin(A, B))))
    assert both <= alone + 2   # at most a transpose view and a coefficient more, never a second product


def test_scalar_spellings_of_one_quantity_are_one_node():
    a, b, u, x = sp.symbols("a b u x", real=True)
    p = symdiff.Program.from_expr((a - b) ** 2 * sp.sin((b - a) ** 2))
    assert sum(isinstance(e, sp.Pow) for _, e in p.assignments) == 1
    p = symdiff.Program.from_expr(sp.exp(u) + x * sp.exp(-u))
    assert sum(isinstance(e, sp.exp) for _, e in p.assignments) == 1
    for f in [(a - b) ** 2 * sp.sin((b - a) ** 2), sp.exp(u) + x * sp.exp(-u)]:
        syms = sorted(f.free_symbols, key=lambda s: s.name)
        report = symdiff.crosscheck(f, syms)
        assert report.ok, report
    assert canonical_expression(sp.sin(x) / (x * a)) is not None
    e = sp.sin(x) + x ** 2
    assert canonical_expression(e) is e        # nothing to share: the very same object


def test_ones_products_become_sums_and_broadcasts_with_the_same_entries():
    k = sp.Symbol("k", integer=True, positive=True)
    M = sp.MatrixSymbol("M", n, k)
    v = sp.MatrixSymbol("v", 1, k)
    cases = [[OneMatrix(n, 1), v], [OneMatrix(1, n), M], [M, OneMatrix(k, 1)], [OneMatrix(1, n), M, OneMatrix(k, 1)],
             [OneMatrix(4, n), M], [OneMatrix(1, 3), OneMatrix(3, 1)], [OneMatrix(2, 1), OneMatrix(1, 3)]]
    rng = np.random.default_rng(0)
    values = {n: 3, k: 2}
    for factors in cases:
        reduced = reduce_ones(factors)
        assert not any(isinstance(a, OneMatrix) for a in sp.preorder_traversal(reduced)
                       if isinstance(a, OneMatrix) and a.shape != reduced.shape), reduced
        explicit = {s.subs(values): sp.ImmutableMatrix(rng.integers(-3, 4, size=tuple(int(d.subs(values))
                                                                                  for d in s.shape)))
                    for s in (M, v)}
        lhs = sp.MatMul(*factors).subs(values).xreplace(explicit).doit()
        rhs = reduced.subs(values).xreplace(explicit).doit()
        assert sp.Matrix(lhs) == sp.Matrix(rhs), (factors, reduced)
    assert isinstance(reduce_ones([OneMatrix(1, n), M]), ColSums)
    assert isinstance(reduce_ones([M, OneMatrix(k, 1)]), RowSums)
    assert isinstance(reduce_ones([OneMatrix(n, 1), v]), Broadcast)


def test_broadcast_spelled_as_sympy_for_closed_forms_only():
    v = sp.MatrixSymbol("v", 1, 3)
    assert Broadcast(v, OneMatrix(n, 3)).as_ones_product() == OneMatrix(n, 1) * v
    assert Broadcast(v, OneMatrix(n, 3)).doit() == Broadcast(v, OneMatrix(n, 3))   # no ones matrix
    assert Broadcast(v, OneMatrix(n, 3))[2, 1] == v[0, 1]


def test_lean_lines_fuse_rename_drop_and_free():
    body = [("a", "numpy.sin(x)"), ("b", "a"), ("c", "(b * a)"), ("dead", "numpy.cos(x)"),
            ("d", "c.sum(axis=0, keepdims=True)"), ("axis", "d + 1"), ("e", "(axis).T + axis")]
    lines = lean_lines(body, keep={"e"})
    assert lines[0] == "a = numpy.sin(x)"
    assert not any(line.startswith(("b =", "dead =", "d =")) for line in lines)   # copy, unused, one use
    assert "axis = ((a * a).sum(axis=0, keepdims=True)) + 1" in lines and "del a" in lines   # fused
    assert "axis=0" in "\n".join(lines)           # a keyword argument is no use of a name
    assert lines[-2:] == ["e = (axis).T + axis", "del axis"]
    namespace = {"numpy": np, "x": np.array([0.5, 1.0])}
    exec("\n".join(lines), namespace)
    s = np.sin(namespace["x"])
    np.testing.assert_allclose(namespace["e"], 2 * ((s * s).sum(axis=0, keepdims=True) + 1))


def test_an_entry_of_a_product_is_a_row_times_a_column():
    m = sp.Symbol("m", integer=True, positive=True)
    P, Q = sp.MatrixSymbol("P", n, m), sp.MatrixSymbol("Q", m, 3)
    f = sp.matrices.expressions.matexpr.MatrixElement((P * Q.applyfunc(sp.sin)).T, 2, 1)   # (P sin Q)[1, 2]
    g = symdiff.gradient(f, [P, Q])
    assert not any(isinstance(e, sp.MatMul) and e.shape != (1, 1) for _, e in g.forward_part)
    rng = np.random.default_rng(3)
    p, q = rng.normal(size=(4, 5)), rng.normal(size=(5, 3))
    value, (dp, dq) = symdiff.compile(g, [P, Q])(p, q)
    assert np.isclose(value, (p @ np.sin(q))[1, 2], rtol=1e-13)
    expected_dp = np.zeros_like(p)
    expected_dp[1, :] = np.sin(q[:, 2])
    expected_dq = np.zeros_like(q)
    expected_dq[:, 2] = p[1, :] * np.cos(q[:, 2])
    np.testing.assert_allclose(dp, expected_dp, atol=1e-14)
    np.testing.assert_allclose(dq, expected_dq, atol=1e-14)


@pytest.mark.parametrize("primitive", ["transposed_spelling", "ones_product", "broadcast", "trace_product", "entry"])
def test_rewrites_agree_with_tape_and_finite_differences(primitive):
    @settings(max_examples=profile_examples(1 / 3, minimum=5), deadline=None)
    @given(expr=matrix_expressions(max_nodes=3, required=[primitive]))
    def check(expr):
        check_rule(expr, matrix_variables(expr), domain=MATRIX_DOMAIN)

    check()
