"""The rewrites of a matrix program before printing (symdiff/backends/lean_program.py): fewer
operations, the same values (checked exactly, in rational arithmetic, line by line)."""
import re

import numpy as np
import pytest
import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixExpr

import symdiff
from symdiff.backends.lean_program import absorbed_signs, lean_assignments, reused_products, without_copies
from symdiff.matrix import SumEntries

A, B, C = (sp.MatrixSymbol(n, 2, 3) for n in "ABC")
T, U, Z = (sp.MatrixSymbol(n, 2, 3) for n in "TUZ")
v, w = sp.MatrixSymbol("v", 2, 1), sp.MatrixSymbol("w", 1, 3)
x = sp.Dummy("x", real=True)
ABS = sp.Lambda(x, sp.Abs(x))
SIGN = sp.Lambda(x, sp.sign(x))


def _values(lines, inputs, seed=0):
    """Each line's value for random nonzero rational inputs, by exact substitution."""
    rng = np.random.default_rng(seed)
    env = {}
    for s in inputs:
        entries = [sp.Rational(int(rng.choice([-1, 1]) * rng.integers(1, 9)), int(rng.integers(1, 5)))
                   for _ in range(s.shape[0] * s.shape[1])]
        env[s] = sp.ImmutableMatrix(s.shape[0], s.shape[1], entries)
    for target, expr in lines:
        value = expr.xreplace(env).doit()
        if isinstance(value, MatrixExpr):   # SymPy leaves some products of explicit matrices unevaluated
            value = value.as_explicit()
        if isinstance(value, sp.MatrixBase):
            value = sp.ImmutableMatrix(value.applyfunc(lambda e: sp.nsimplify(e.doit())))
        env[target] = value
    return env


def _same_values(before, after, inputs, returned, negated=()):
    old, new = _values(before, inputs), _values(after, inputs)
    for s in returned:
        assert old[s] == new[s]
    for s in negated:   # a negated name holds minus its declared value
        assert new[s] == -old[s]


def _negations(expr) -> int:
    """Negations that would be printed as one: -X outside a sum, where it is a subtraction."""
    count = 0
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.MatAdd):
            continue
        for a in getattr(node, "args", ()):
            if isinstance(a, sp.MatMul) and a.args[0] == -1 and not isinstance(node, sp.MatAdd):
                count += 1
    if isinstance(expr, sp.MatMul) and expr.args[0] == -1:
        count += 1
    return count


def test_a_negation_moves_through_products_into_the_sum_that_uses_it():
    lines = [(T, -sp.HadamardProduct(A, B)), (U, ElementwiseApplyFunction(SIGN, C)),
             (Z, sp.HadamardProduct(T, U) + C)]
    out = absorbed_signs(lines, {Z})
    assert sum(_negations(e) for _, e in out) == 0
    assert isinstance(out[2][1], sp.MatAdd) and set(out[2][1].args) == {C, sp.MatMul(-1, sp.HadamardProduct(T, U))}
    _same_values(lines, out, [A, B, C], [Z], negated=[T])


def test_a_negation_passes_through_an_odd_function_and_vanishes_in_an_even_one():
    lines = [(T, -A), (U, ElementwiseApplyFunction(ABS, T)), (Z, -B), (C, ElementwiseApplyFunction(SIGN, Z)),
             (sp.MatrixSymbol("R", 2, 3), sp.HadamardProduct(U, C) + A)]
    returned = {lines[-1][0]}
    out = absorbed_signs(lines, returned)
    assert out[0][1] == A and out[2][1] == B   # |−A| = |A|; sign(−B) = −sign(B), taken by the sum
    assert sum(_negations(e) for _, e in out) == 0
    _same_values(lines, out, [A, B], returned, negated=[Z, C])


def test_a_negation_stays_where_it_would_reach_a_larger_array_or_two_uses():
    outer = sp.MatrixSymbol("O", 2, 3)
    lines = [(v, -sp.MatrixSymbol("p", 2, 1)), (outer, v * w)]
    assert absorbed_signs(lines, {outer}) == lines   # -(p wᵀ) would negate 6 entries, not 2
    lines = [(T, -A), (U, T + B), (Z, T + C)]
    out = absorbed_signs(lines, {U, Z})
    assert out[0][1] == -A   # used twice: moved, it would be two negations
    _same_values(lines, out, [A, B, C], [U, Z])


def test_a_returned_value_keeps_its_sign():
    lines = [(T, -sp.HadamardProduct(A, B))]
    assert absorbed_signs(lines, {T}) == lines


def test_a_product_computed_earlier_is_reused_by_a_larger_one():
    # y = n∘s, and the reverse pass of s⁻¹ writes -s∘s∘n: -y∘s, one product, not two
    lines = [(T, sp.HadamardProduct(A, B)), (U, -sp.HadamardProduct(sp.HadamardPower(B, 2), A))]
    out = reused_products(lines)
    assert out[1][1] == sp.MatMul(-1, sp.HadamardProduct(B, T)) or out[1][1] == sp.MatMul(-1, sp.HadamardProduct(T, B))
    _same_values(lines, out, [A, B], [T, U])


def test_copies_are_seen_through():
    lines = [(T, sp.HadamardProduct(A, B)), (U, A), (Z, sp.HadamardProduct(U, B, C))]
    out = reused_products(without_copies(lines, {Z}))
    assert [t for t, _ in out] == [T, Z] and out[1][1] in (sp.HadamardProduct(T, C), sp.HadamardProduct(C, T))
    _same_values(lines, out, [A, B, C], [Z])


SMAPE = """
X: (40, 3)
a: (3, 1)
y: (40, 1)
P = X @ a
D = P - y
N = abs(D)
S = abs(P) + abs(y)
I = hadamard_power(S, -1)
E = sum(hadamard(N, I))
"""


def test_smape_gradient_has_no_more_operations_than_hand_code():
    g = symdiff.gradient(SMAPE, ["a"])
    returned = {g.output, *g.grads.values()}
    lines = lean_assignments(g.program.assignments, returned)
    _same_values(g.program.assignments, lines, [s for s in g.program.inputs], returned)
    fn = symdiff.compile(g, ["X", "a", "y"])
    src = fn.source
    assert "(-" not in src, src                    # no negation: the adjoint is one subtraction
    products = len(re.findall(r"(?<!\*)\*(?!\*)", src)) + src.count("numpy.multiply(")
    assert products == 3, src                      # |D|∘I, then I∘(sign(D) - (|D|∘I)∘sign(P))
    rng = np.random.default_rng(1)
    X, a = rng.standard_normal((40, 3)), rng.standard_normal((3, 1))
    yv = X @ rng.standard_normal((3, 1)) + 0.1 * rng.standard_normal((40, 1))
    value, (grad,) = fn(X, a, yv)
    P = X @ a
    S = np.abs(P) + np.abs(yv)
    hand = X.T @ ((np.sign(P - yv) - np.abs(P - yv) / S * np.sign(P)) / S)   # the quotient rule by hand
    assert value == pytest.approx(float((np.abs(P - yv) / S).sum()), rel=1e-12)
    np.testing.assert_allclose(grad, hand, rtol=1e-12, atol=1e-14)


def test_a_scalar_line_keeps_its_value():
    E = sp.Symbol("E", real=True)
    F = sp.Symbol("F", real=True)
    lines = [(E, -SumEntries(sp.HadamardProduct(A, B))), (F, E + 1)]
    out = absorbed_signs(lines, {F})
    assert out[0][1] == SumEntries(sp.HadamardProduct(A, B)) and out[1][1] == 1 - E
    _same_values(lines, out, [A, B], [F], negated=[E])


def test_a_name_inside_an_elementwise_function_keeps_its_sign():
    c = sp.Symbol("c", real=True)
    # c is used twice: in the body of a function (which no sign passes) and in a sum
    F = sp.Symbol("F", real=True)
    lines = [(c, -SumEntries(B)), (T, ElementwiseApplyFunction(sp.Lambda(x, c * x), A)), (F, c + SumEntries(T))]
    out = absorbed_signs(lines, {F})
    assert out[0] == lines[0]
    _same_values(lines, out, [A, B], [F])


def test_a_sum_of_products_read_only_there_takes_its_common_factor_out():
    lines = [(T, sp.HadamardProduct(A, B)), (U, sp.HadamardProduct(A, C)), (Z, T - U)]
    out = lean_assignments(lines, {Z})
    assert [t for t, _ in out] == [Z] and sp.count_ops(out[0][1].args[0].expr) == 2   # a∘(b - c)
    _same_values(lines, out, [A, B, C], [Z])
    lines = [(T, sp.HadamardProduct(A, B)), (Z, T + C)]   # nothing to take out: left as it is
    assert lean_assignments(lines, {Z}) == lines
    lines = [(T, sp.HadamardProduct(A, B)), (U, sp.HadamardProduct(A, C)), (Z, T - U), (R := sp.MatrixSymbol("R", 2, 3), T + C)]
    out = lean_assignments(lines, {Z, R})
    assert out == lines   # T is read twice: inlined, it would be computed twice


def test_a_line_read_also_inside_a_reduction_is_not_inlined_away():
    # dF_dt2 = 2 t2 is read twice by one line: entrywise and inside a column sum (a regression: the line
    # was dropped while the sum still read it, a NameError in the compiled gradient)
    from symdiff.matrix import AddRowBias, ColSums
    n = sp.Symbol("n", integer=True, positive=True)
    A = sp.MatrixSymbol("A", n, n)
    bias = ColSums(sp.Rational(3, 2) * A)
    f = sp.Trace(AddRowBias(bias, bias) * AddRowBias(bias, bias).T)
    fn = symdiff.compile(symdiff.gradient(f, [A]), [A])
    for size in (1, 3):
        value = np.random.default_rng(size).normal(size=(size, size))
        _, (gradient,) = fn(value)
        # the compiled gradient against central differences of the compiled value
        step, numeric = 1e-6, np.zeros_like(value)
        for i in range(size):
            for j in range(size):
                e = np.zeros_like(value)
                e[i, j] = step
                numeric[i, j] = (fn(value + e)[0] - fn(value - e)[0]) / (2 * step)
        assert np.allclose(gradient, numeric, rtol=1e-6, atol=1e-6)
