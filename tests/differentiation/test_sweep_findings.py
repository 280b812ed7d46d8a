"""Defects the property sweeps found outside the testing package, kept as regression tests.

Each test is the smallest reproduction of a failure the sweeps hit, now fixed;
the strategies that used to avoid these cases generate them again.
"""
import numpy as np
import sympy as sp

import symdiff
from symdiff.matrix import Elementwise, sum_entries
from symdiff.program import Program
from symdiff.testing import check_rule

n, m = sp.symbols("n m", integer=True, positive=True)
c = sp.Symbol("c", real=True)


def test_matrix_times_compound_scalar_coefficient():
    # 2*c*A was linearized as (2*c)*(A @ A), and the matmul rule gave c no gradient
    A = sp.MatrixSymbol("A", n, n)
    check_rule(sum_entries(2 * c * A), [A, c], dims={n: 2}, max_examples=20)


def test_the_compound_coefficient_does_not_repeat_the_matrix():
    A = sp.MatrixSymbol("A", n, n)
    g = symdiff.gradient(sum_entries(2 * c * A), [A, c])
    assert "A @ A" not in str(g.forward.linearized())
    f = symdiff.compile(g, [A, c])
    value, (dA, dc) = f(np.arange(4.0).reshape(2, 2), 3.0)
    assert value == 2 * 3 * 6 and dc == 2 * 6      # F = 2 c sum(A), sum(A) = 6
    assert np.array_equal(dA, np.full((2, 2), 6.0))


def test_hadamard_square_inside_a_product():
    # SymPy rewrites a repeated Hadamard factor inside a product as a HadamardPower
    A = sp.MatrixSymbol("A", n, m)
    X = sp.HadamardProduct(A, A)
    check_rule(sum_entries(X * X.T), [A], dims={n: 2, m: 3}, max_examples=10)


def test_square_and_inverse_square_of_a_matrix():
    # SymPy writes A*A as the power A**2, and S⁻¹S⁻ᵀ for a symmetric S as S**-2
    A = sp.MatrixSymbol("A", n, n)
    S = A * A.T + sp.Identity(n)
    assert isinstance(A * A, sp.MatPow)
    check_rule(sum_entries(A * A * A), [A], dims={n: 3}, max_examples=10)
    check_rule(sum_entries(sp.Inverse(S) ** 2), [A], dims={n: 2}, max_examples=10)


def test_matrix_powers_in_program_text():
    p = Program.from_text("A: (n, n)\nF = sum(A**3 + hadamard_power(A, 2))")
    A = p.inputs[0]
    report = symdiff.crosscheck(p, [A], n_points=2)
    assert report.ok and "tape" in str(report), str(report)


def test_slice_with_symbolic_bounds_compiles_with_the_matrix_alone():
    # the slice's adjoint carries the dimensions n, m: they are read off A's shape, not inputs
    A = sp.MatrixSymbol("A", n, m)
    f = symdiff.compile(symdiff.gradient(sp.Trace(A[1:, :] * A[1:, :].T), [A]), [A])
    X = np.arange(12.0).reshape(3, 4)
    value, (dA,) = f(X)
    assert value == np.sum(X[1:] ** 2)
    assert np.array_equal(dA, np.vstack([np.zeros((1, 4)), 2 * X[1:]]))


def test_program_text_of_an_elementwise_product():
    A, B = sp.MatrixSymbol("A", n, m), sp.MatrixSymbol("B", n, m)
    u, v = sp.Dummy("u", real=True), sp.Dummy("v", real=True)
    g = symdiff.gradient(sum_entries(Elementwise(sp.Lambda((u, v), u * sp.sin(v)), A, B)), [A, B])
    assert str(g.program).splitlines() == ["t1 = [A*sin(B)]", "F = sum(t1)", "dF_dA = [sin(B)]",
                                           "dF_dB = [A*cos(B)]"]


def test_crosscheck_of_an_inverse():
    # the translator called inv(X, -1): Inverse's args are (X, -1)
    A = sp.MatrixSymbol("A", 2, 2)
    report = symdiff.crosscheck(sum_entries(sp.Inverse(A * A.T + sp.Identity(2))), [A], n_points=1)
    assert report.ok, str(report)


def test_a_kink_hidden_in_an_elementary_form_does_not_fail_a_smooth_primitive():
    # softsign(u) = u/(1 + |u|) is smooth, but sympy.diff of its elementary form at u = 0 is 0/0;
    # here u = asin(x*H(x)/3) is 0 for every x < 0.  The derivative there is 0 (finite differences);
    # symdiff and the tape must agree with it, and the sympy.diff witness must not fail the check.
    import numpy as np
    import sympy as sp

    from symdiff.functions import softsign
    from symdiff.testing.checkers import GradientChecker

    x = sp.Symbol("x0", real=True)
    f = softsign(sp.asin(x * sp.Heaviside(x) / 3))
    checker = GradientChecker(f, [x])
    checker.check({"x0": -1.0})
    g = symdiff.compile(symdiff.gradient(f, [x]))
    assert g(-1.0)[1][0] == 0.0 and np.isclose(g(0.5)[1][0], float(sp.diff(f.rewrite("elementary"), x).subs(x, 0.5).evalf()))
