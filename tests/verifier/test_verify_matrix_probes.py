"""Matrix claims wrong only beyond a switch of a scalar parameter, or by a tiny factor of it.

The random exact matrices draw the scalars from a small range; the probes
(``symdiff.verifier.matrix_probes``) put them next to every switch and at large
and tiny magnitudes.  Each expected counterexample region is worked out by hand
here (the kink at t = 1000, the window 0 < t < 10^-6, ...) and the reported
exact point and values are checked against it, not against symdiff.
"""
import numpy as np
import pytest
import sympy as sp

from symdiff import verify
from symdiff.verifier.matrix_probes import certainly_different, scalar_probe_points, switch_arguments

B = 4.0

n = sp.Symbol("n", integer=True, positive=True)
A = sp.MatrixSymbol("A", n, n)
X = sp.MatrixSymbol("X", n, n)
t = sp.Symbol("t", real=True)
I = sp.Identity(n)


def _exact_t(v) -> sp.Rational:
    value = sp.Rational(v.counterexample["exact_point"]["t"])
    assert v.counterexample["certified"] is True
    return value


def _entry(v, which):
    r, c = v.counterexample["entry"]
    return np.array(v.counterexample[which], dtype=float)[r - 1, c - 1]


def test_kink_of_a_scalar_parameter_far_from_the_samples():
    # d/dX tr(AX)(1 + H(t - 1000)) = A^T (1 + H(t - 1000)): 2 A^T beyond t = 1000, where A^T is wrong
    v = verify(sp.Trace(A * X) * (1 + sp.Heaviside(t - 1000)), X, A.T, budget=B)
    assert v.status == "refuted"
    assert _exact_t(v) > 1000
    assert _entry(v, "actual") == pytest.approx(2 * _entry(v, "claimed"))
    assert _entry(v, "claimed") != 0


def test_factor_exp_of_a_scalar_far_below_the_values():
    # the claim misses A^T exp(t - 10^4): at every t a nonzero difference (tiny below t = 10^4)
    v = verify(sp.Trace(A * X) * (1 + sp.exp(t - 10 ** 4)), X, A.T, budget=B)
    assert v.status == "refuted"
    point = _exact_t(v)
    claimed_exact, actual_exact = (sp.Rational(s) if "exp" not in s else sp.sympify(s)
                                   for s in v.counterexample["exact_values"])
    # the derivative's entry is the claimed one (an entry of A^T) times 1 + exp(t - 10^4)
    assert claimed_exact != 0
    ratio = sp.N((actual_exact - claimed_exact) / (claimed_exact * sp.exp(point - 10 ** 4)), 30)
    assert float(ratio) == pytest.approx(1.0, rel=1e-20)


def test_window_between_two_switches():
    # H(t) versus H(t - 10^-6): the claim is 0 where the derivative is 2X^T, for 0 < t < 10^-6 only
    v = verify(sp.Trace(X * X) * sp.Heaviside(t), X, 2 * X.T * sp.Heaviside(t - sp.Rational(1, 10 ** 6)), budget=B)
    assert v.status == "refuted"
    assert 0 < _exact_t(v) < sp.Rational(1, 10 ** 6)
    assert _entry(v, "claimed") == 0 and _entry(v, "actual") != 0


def test_piecewise_in_a_scalar_parameter():
    # tr(X) * (1 if t < 5000 else 2): the claim I is wrong for t >= 5000 (derivative 2I)
    f = sp.Trace(X) * sp.Piecewise((1, t < 5000), (2, True))
    v = verify(f, X, I, budget=B)
    assert v.status == "refuted"
    assert _exact_t(v) > 5000
    r, c = v.counterexample["entry"]
    assert (_entry(v, "claimed"), _entry(v, "actual")) == ((1.0, 2.0) if r == c else (0.0, 0.0))


def test_switch_in_the_square_of_a_scalar():
    # H(t^2 - 10^8) switches at |t| = 10^4: the claim 0 is wrong beyond it (derivative A^T there)
    v = verify(sp.Trace(A * X) * sp.Heaviside(t ** 2 - 10 ** 8), X, sp.ZeroMatrix(n, n), budget=B)
    assert v.status == "refuted"
    assert abs(_exact_t(v)) > 10 ** 4
    assert _entry(v, "claimed") == 0


@pytest.mark.parametrize("f, claim", [
    (sp.Trace(A * X) * (1 + sp.Heaviside(t - 1000)), A.T * (1 + sp.Heaviside(t - 1000))),
    # max(t, 1000) = t + (1000 - t) H(1000 - t), also at t = 1000 whatever H(0) is
    (sp.Trace(A * X) * sp.Max(t, 1000), A.T * (t + (1000 - t) * sp.Heaviside(1000 - t))),
    (sp.Trace(A * X) * sp.exp(t - 10 ** 4), A.T * sp.exp(t) / sp.exp(10 ** 4)),
    (sp.Trace(X * X) * sp.Abs(t - 5), 2 * X.T * sp.sign(t - 5) * (t - 5)),
])
def test_true_claims_with_switches_are_never_refuted(f, claim):
    v = verify(f, X, claim, budget=B)
    assert v.status in ("proved", "consistent")
    assert "probe points of the scalar variable t" in v.explanation


def test_consistent_states_the_probe_coverage():
    # not the same matrix expression as written (so not proved structurally): the coverage is stated
    v = verify(sp.Trace(A * X) * sp.Max(t, 1000), X, A.T * (t + (1000 - t) * sp.Heaviside(1000 - t)), budget=B)
    assert v.status == "consistent"
    assert "both sides of each switch" in v.explanation and "10^k for k from -12 to 30" in v.explanation


def test_probe_points_straddle_the_switch():
    from symdiff.verifier.problem import make_domain
    domain = make_domain(["t"], [t], [])
    points = scalar_probe_points(domain, [sp.Heaviside(t - 1000) * sp.Trace(X)], np.random.default_rng(0),
                                 deadline=float("inf"))
    values = [p["t"] for p in points]
    assert any(999 < v < 1000 for v in values) and any(1000 < v < 1001 for v in values)
    assert all(v != 1000 for v in values)          # a switch's own point is a convention, never compared
    assert switch_arguments([sp.Trace(X) * sp.Heaviside(t)]) == [sp.Heaviside(t)]


def test_certified_difference():
    assert certainly_different(sp.Integer(1), sp.Integer(1) + sp.exp(-10 ** 4))
    assert not certainly_different(sp.sin(1) ** 2 + sp.cos(1) ** 2, sp.Integer(1))
    assert not certainly_different(sp.Rational(3, 7), sp.Rational(6, 14))


# --------------------------------------------------------------------------------------------------
# Switches of matrix entries: the random matrices have entries in [-20, 20], the kinks lie beyond

W = sp.MatrixSymbol("W", 2, 2)
w = sp.MatrixSymbol("w", 3, 1)
H = sp.Heaviside


def _exact_matrix(v, name):
    return sp.Matrix(sp.sympify(v.counterexample["exact_point"][name]))


def test_kink_of_one_entry_far_from_the_samples():
    # d/dX tr(X)(1 + H(X11 - 1000)) = I (1 + H(X11 - 1000)) a.e.: the claim I is wrong where X11 > 1000
    v = verify(sp.Trace(X) * (1 + H(X[0, 0] - 1000)), X, I, budget=B)
    assert v.status == "refuted", v.explanation
    assert _exact_matrix(v, "X")[0, 0] > 1000
    assert v.counterexample["entry"] == [1, 1]    # off the diagonal both are 0
    assert _entry(v, "actual") == 2 * _entry(v, "claimed") != 0


def test_max_of_vector_entries_with_a_far_threshold():
    # d/dw sum_i max(w_i, 50) = [w_i > 50]: the claim 0 is wrong for any entry above 50
    v = verify(sum(sp.Max(w[i, 0], 50) for i in range(3)), w, sp.ZeroMatrix(3, 1), budget=B)
    assert v.status == "refuted", v.explanation
    r, _ = v.counterexample["entry"]
    assert _exact_matrix(v, "w")[r - 1, 0] > 50 and _entry(v, "actual") == 1


def test_abs_of_entries_shifted_far():
    # d/dW sum |W_ij - 1000| = sign(W_ij - 1000): -1 everywhere the samples go, +1 beyond 1000
    f = sum(sp.Abs(W[i, j] - 1000) for i in range(2) for j in range(2))
    v = verify(f, W, -sp.ones(2, 2), budget=B)
    assert v.status == "refuted", v.explanation
    r, c = v.counterexample["entry"]
    assert _exact_matrix(v, "W")[r - 1, c - 1] > 1000 and _entry(v, "actual") == 1


@pytest.mark.parametrize("f, claim", [
    (sp.Trace(X) * (1 + H(X[0, 0] - 1000)), I * (1 + H(X[0, 0] - 1000))),
    (sp.Max(W[0, 0], 50) + W[1, 1], sp.Matrix([[H(W[0, 0] - 50), 0], [0, 1]])),
    (sum(sp.Max(w[i, 0], 50) for i in range(3)), sp.Matrix([H(w[i, 0] - 50) for i in range(3)])),
    (sum(sp.Abs(W[i, j] - 1000) for i in range(2) for j in range(2)),
     sp.Matrix(2, 2, lambda i, j: sp.sign(W[i, j] - 1000))),
])
def test_true_claims_with_entry_switches_are_never_refuted(f, claim):
    v = verify(f, X if f.has(X) else (W if f.has(W) else w), claim, budget=B)
    assert v.status in ("proved", "consistent"), v.explanation
    assert "scaled by +-10^k" in v.explanation


def test_entry_probes_straddle_the_switch():
    from symdiff.verifier.matrix_probes import entry_probes, entry_switches, on_an_entry_switch
    switches = entry_switches([H(W[0, 0] - 1000) * W[1, 1]])
    assert switches == [W[0, 0] - 1000]

    def sample(structure, rows, cols, rng):
        return sp.ImmutableMatrix(rows, cols, lambda i, j: int(rng.integers(-20, 21)))
    points = entry_probes([W], {}, sample, np.random.default_rng(0), switches)
    firsts = [p[W][0, 0] for p in points]
    assert any(999 < v < 1000 for v in firsts) and any(1000 < v < 1001 for v in firsts)
    assert on_an_entry_switch(switches, {W: sp.ImmutableMatrix([[1000, 0], [0, 1]])})
