"""The three-way cross-check: symbolic program, tape engine, finite differences."""
import sympy as sp

import symdiff
from symdiff.reverse import DEFAULT_RULES
from symdiff.rules.base import RuleTable


def test_lecture_examples_agree_three_ways():
    for f, wrt in (("sin(x+y)/(x*y)", ["x", "y"]),
                   (open("examples/lecture07_smape.prog").read(), ["a1", "a2", "a3", "y"])):
        report = symdiff.crosscheck(f, wrt, n_points=4)
        assert report.ok, str(report)
        assert report.witnesses == ("symbolic", "tape", "finite differences")
        assert report.max_error[("symbolic", "tape")] < 1e-8


def test_matrix_program_agrees_three_ways():
    text = "X: (n, m)\nA: (m, k)\nb: (1, k)\nY: (n, k)\nS = X @ A + b\nE = sum(logsumexp(S)) - sum(hadamard(Y, S))"
    report = symdiff.crosscheck(text, ["A", "b"], dims={"n": 4, "m": 3, "k": 2})
    assert report.ok, str(report)


def test_a_wrong_rule_is_named_as_the_symbolic_witness():
    broken = RuleTable(dict(DEFAULT_RULES.rules), dict(DEFAULT_RULES.names))
    broken.rules[sp.sin] = lambda ctx: [(ctx.args[0], -ctx.g * sp.cos(ctx.args[0]))]  # sign flipped
    report = symdiff.crosscheck("sin(x)*y", ["x", "y"], rules=broken, n_points=2)
    assert not report.ok
    d = report.disagreements[0]
    assert d.witness == "symbolic" and d.variable == "x"
    assert "the symbolic witness disagrees" in str(report)


def test_non_differentiable_point_is_reported_not_a_disagreement():
    report = symdiff.crosscheck("abs(x) + max(x, y)", ["x", "y"], points=[{"x": 0.0, "y": -1.0},
                                                                           {"x": 0.5, "y": 0.5}])
    assert report.ok
    assert len(report.nondifferentiable) == 2
    assert "Abs(x)" in report.nondifferentiable[0] and "tied" in report.nondifferentiable[1]


def test_function_without_tape_op_keeps_two_witnesses():
    report = symdiff.crosscheck("erf(x)*x", ["x"], n_points=2)
    assert report.ok
    assert report.witnesses == ("symbolic", "finite differences")
    assert any("erf" in n for n in report.notes)


def test_inverse_and_slices_cross_check():
    text = "X: (n, n)\nW: (n, n)\nE = sum(hadamard(W, inv(X)))"
    report = symdiff.crosscheck(text, ["X"], dims={"n": 3},
                                points=[{"X": [[3.0, 1.0, 0.0], [0.5, 2.0, 0.1], [0.0, 0.3, 4.0]],
                                         "W": [[1.0, -2.0, 0.5], [0.3, 0.2, 1.0], [2.0, 0.1, -1.0]]}])
    assert report.ok and report.witnesses[1] == "tape", str(report)
    n = sp.Symbol("n", integer=True, positive=True)
    X = sp.MatrixSymbol("X", n, 2)
    g = symdiff.gradient(symdiff.sum_entries(X[0:n, 0:1]), [X])
    assert [s.name for s in g.forward.inputs] == ["X"]  # slice bounds are not inputs


def test_crosscheck_wording_counts_points_and_does_not_claim_agreement_at_a_kink():
    one = str(symdiff.crosscheck("abs(x)", ["x"], points=[{"x": 0.0}]))
    assert "at 1 point," in one and "all agree" not in one and "nothing compared" in one
    assert "point 1: " in one                                     # points are numbered from 1
    two = str(symdiff.crosscheck("abs(x)", ["x"], points=[{"x": 0.0}, {"x": 1.5}]))
    assert "at 2 points," in two and "agree at the 1 point where it is differentiable" in two
    assert "all agree" in str(symdiff.crosscheck("sin(x)", ["x"], points=[{"x": 0.3}]))
