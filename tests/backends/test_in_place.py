"""Lines written into the buffer of an operand read for the last time (symdiff/backends/in_place.py):
the compiled values against the tape and finite differences, and the buffers that must never be
written (arguments, views, returned values, values read later)."""
import numpy as np
import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

import symdiff
from symdiff.backends.in_place import InPlace
from symdiff.matrix import LogDet, RowSums

MLP = """
X: (n, d)
W1: (d, h)
b1: (1, h)
W2: (h, c)
b2: (1, c)
Y: (n, c)
H = tanh(X @ W1 + b1)
S = H @ W2 + b2
E = sum(logsumexp(S)) - sum(hadamard(Y, S))
"""


def _mlp_data(seed=0):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(7, 4)), rng.normal(size=(4, 5)) / 2, rng.normal(size=(1, 5)),
            rng.normal(size=(5, 3)) / 2, rng.normal(size=(1, 3)), np.eye(3)[rng.integers(0, 3, size=7)])


def test_the_tanh_adjoint_is_written_into_the_hidden_layer_after_its_last_other_use():
    g = symdiff.gradient(MLP, ["W1", "b1", "W2", "b2"])
    fn = symdiff.compile(g, ["X", "W1", "b1", "W2", "b2", "Y"])
    src = fn.source
    # Hᵀ dS moved before the line that overwrites H with dS Wᵀ ∘ (1 - H∘H)
    assert src.index("dE_dW2 = ") < src.index("numpy.square(H, out=_out(H))"), src
    data = _mlp_data()
    copies = [a.copy() for a in data]
    value, grads = fn(*data)
    for a, b in zip(data, copies):
        np.testing.assert_array_equal(a, b)   # the arguments are never written
    X, W1, b1, W2, b2, Y = data
    H = np.tanh(X @ W1 + b1)
    S = H @ W2 + b2
    P = np.exp(S - S.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    dS = P - Y
    dZ = (dS @ W2.T) * (1 - H * H)
    for got, want in zip(grads, (X.T @ dZ, dZ.sum(axis=0, keepdims=True), H.T @ dS, dS.sum(axis=0, keepdims=True))):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


def test_a_value_fused_into_a_later_line_is_not_read_after_its_buffer_is_overwritten():
    # found by the matrix rule sweep: tᵀ dF fused (through another fused line) into the line that
    # writes into t read t overwritten
    d = sp.Dummy("d")
    A = sp.MatrixSymbol("A", 3, 3)

    def ew(f, M):
        return ElementwiseApplyFunction(sp.Lambda(d, f(d)), M)

    inv = sp.HadamardPower(ew(sp.exp, A), -1)
    f = LogDet(inv * sp.HadamardPower(ew(sp.exp, A.T), -1) + sp.Identity(3)
               - RowSums(ew(sp.sin, inv)) * RowSums(inv).T + RowSums(inv) * RowSums(ew(sp.sin, inv)).T)
    assert "out=" in symdiff.compile(symdiff.gradient(f, [A]), [A]).source
    report = symdiff.crosscheck(f, [A], n_points=3, seed=1)
    assert report.ok, str(report)


def test_views_arguments_and_returned_values_are_never_buffers():
    A, B = sp.MatrixSymbol("A", 2, 2), sp.MatrixSymbol("B", 2, 2)
    T, V, U, R = (sp.MatrixSymbol(n, 2, 2) for n in "TVUR")
    lines = [(T, A * B), (V, T.T), (U, sp.HadamardProduct(T, B)), (R, sp.HadamardProduct(A, B))]
    chosen = InPlace(lines, {U, R, V}, [A, B])
    assert not chosen.buffer_of   # T is read through its view V; A and B are arguments
    lines = [(T, A * B), (U, sp.HadamardProduct(T, B)), (R, T + A)]
    chosen = InPlace(lines, {U, R}, [A, B])
    # R moved before U, so that U reads T last and is written into it
    assert [t for t, _ in chosen.assignments] == [T, R, U]
    assert chosen.buffer_of[U][0] == T and R not in chosen.buffer_of


def test_the_mlp_agrees_with_tape_and_finite_differences():
    report = symdiff.crosscheck(MLP, ["W1", "b1", "W2", "b2"], n_points=2, seed=3,
                                dims={"n": 6, "d": 3, "h": 4, "c": 3})
    assert report.ok, str(report)


def test_small_arrays_are_not_written_in_place_and_symbolic_sizes_decide_at_run_time(monkeypatch):
    from symdiff.backends import in_place
    monkeypatch.setattr(in_place, "MIN_ENTRIES", 32768)   # the default (the tests lower it to 0)
    g = symdiff.gradient(MLP.replace("(n, d)", "(7, 4)").replace("(d, h)", "(4, 5)").replace("(1, h)", "(1, 5)")
                         .replace("(h, c)", "(5, 3)").replace("(1, c)", "(1, 3)").replace("(n, c)", "(7, 3)"),
                         ["W1", "b1", "W2", "b2"])
    assert "out=" not in symdiff.compile(g).source   # 35 entries: a fresh array costs no page faults
    g = symdiff.gradient(MLP, ["W1", "b1", "W2", "b2"])
    fn = symdiff.compile(g, ["X", "W1", "b1", "W2", "b2", "Y"])
    assert "out=_out(H)" in fn.source
    assert in_place.out_buffer(np.zeros((7, 5))) is None
    big = np.zeros((256, 128))
    assert in_place.out_buffer(big) is big
