"""The lecture's two worked examples, reproduced exactly by the reverse pass."""
import numpy as np
import sympy as sp

import symdiff


SMAPE = """
P = x1*a1 + x2*a2 + x3*a3   # <x, a>
D = P - y
N = abs(D)
A = abs(P)
B = abs(y)
S = A + B
I = 1/S
E = N*I
"""


def syms(names):
    return sp.symbols(names, real=True)


def test_sin_over_product_in_intermediates_is_the_lecture_formula(lecture_program):
    g = symdiff.gradient(lecture_program, ["x", "y"])
    S, G, M, H, y = syms("S G M H y")
    # dF/dx = cos(S)*H - y*G/M^2, exactly as printed in the lecture
    assert g.in_intermediates("x") == sp.cos(S) * H - y * G / M ** 2


def test_sin_over_product_closed_form_matches_lecture_and_sympy(lecture_program):
    x, y = syms("x y")
    g = symdiff.gradient(lecture_program, ["x", "y"])
    lecture = sp.cos(x + y) / (x * y) - y * sp.sin(x + y) / (x * y) ** 2
    assert sp.simplify(g["x"] - lecture) == 0
    assert sp.simplify(g["x"] - sp.diff(sp.sin(x + y) / (x * y), x)) == 0


def test_sin_over_product_adjoint_program_is_straight_line(lecture_program):
    g = symdiff.gradient(lecture_program, ["x", "y"])
    adj = dict(g.adjoint_part)
    names = [t.name for t, _ in g.adjoint_part]
    # reverse order of the forward pass: H's adjoint before M's, G's before S's
    assert names.index("dF_dH") < names.index("dF_dM")
    assert names.index("dF_dG") < names.index("dF_dS")
    dF_dH, M = sp.symbols("dF_dH M", real=True)
    assert adj[sp.Symbol("dF_dM", real=True)] == -dF_dH / M ** 2


def test_smape_derivative_wrt_P_is_the_lecture_formula():
    g = symdiff.gradient(SMAPE, ["P", "a1", "a2", "a3"])
    D, I, P, N, S, x1 = syms("D I P N S x1")
    dE_dP = sp.sign(D) * I - sp.sign(P) * N / S ** 2
    assert g.in_intermediates("P") == dE_dP
    # dE/da_i = x_i * dE/dP
    assert sp.expand(g.in_intermediates("a1") - x1 * dE_dP) == 0


def test_smape_closed_form_matches_lecture_expanded_form():
    x1, x2, x3, a1, a2, a3, y = syms("x1 x2 x3 a1 a2 a3 y")
    dot = x1 * a1 + x2 * a2 + x3 * a3
    lecture_dP = (sp.sign(dot - y) / (sp.Abs(dot) + sp.Abs(y))
                  - sp.sign(dot) * sp.Abs(dot - y) / (sp.Abs(dot) + sp.Abs(y)) ** 2)
    g = symdiff.gradient(SMAPE, ["a1", "a2", "a3"])
    for xi, ai in ((x1, a1), (x2, a2), (x3, a3)):
        assert sp.expand(g[ai] - xi * lecture_dP) == 0


def test_smape_compiled_gradient_matches_finite_differences():
    g = symdiff.gradient(SMAPE, ["a1", "a2", "a3"])
    args = ["x1", "x2", "x3", "a1", "a2", "a3", "y"]
    fn = symdiff.compile(g, args)
    rng = np.random.default_rng(0)
    point = rng.normal(size=7)
    value, grads = fn(*point)
    h = 1e-6
    for k, name in enumerate(["a1", "a2", "a3"]):
        i = args.index(name)
        up, down = point.copy(), point.copy()
        up[i] += h
        down[i] -= h
        fd = (fn(*up)[0] - fn(*down)[0]) / (2 * h)
        assert np.isclose(grads[k], fd, rtol=1e-6, atol=1e-9)
