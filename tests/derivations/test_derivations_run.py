"""Checking claims: right ones hold, wrong ones are refuted with a counterexample, never the reverse."""
from __future__ import annotations

import textwrap

import pytest
import sympy as sp

from symdiff.derivations.load import load_derivation
from symdiff.verifier.matrix import check_matrix_claim
from symdiff.derivations.run import check_derivation, matches


def results(tmp_path, body, name="d.toml"):
    p = tmp_path / name
    p.write_text('title = "t"\nsource = "s"\n' + textwrap.dedent(body), encoding="utf-8")
    return {r.claim: r for r in check_derivation(load_derivation(p))}


def test_expectations_match():
    assert matches("proved", "holds") and matches("consistent", "holds") and matches("refuted", "refuted")
    assert not matches("undetermined", "holds") and not matches("undetermined", "refuted")
    assert not matches("refuted", "holds") and not matches("proved", "refuted")


def test_scalar_claims_and_a_refutation_with_its_point(tmp_path):
    r = results(tmp_path, r"""
        [variables]
        x = {}
        [function]
        latex = 'f(x) = \frac{x}{1 + |x|}'
        [[claims]]
        id = "right"
        wrt = "x"
        claim = '\frac{1}{(1 + |x|)^2}'
        expect = "holds"
        [[claims]]
        id = "wrong"
        wrt = "x"
        claim = '\frac{1}{1 + |x|}'
        expect = "refuted"
        [[claims]]
        id = "label"
        kind = "identity"
        claim = 'f(x) = \frac{1}{(1+|x|)^2}'
        expect = "refuted"
        """)
    assert r["right"].status == "proved" and r["right"].matches
    assert r["wrong"].status == "refuted" and r["wrong"].matches
    ce = r["wrong"].counterexample
    x = ce["point"]["x"]
    assert abs(ce["claimed"] - 1 / (1 + abs(x))) < 1e-9 and abs(ce["actual"] - 1 / (1 + abs(x)) ** 2) < 1e-9
    assert r["label"].status == "refuted"


def test_program_intermediates_leibniz_and_upside_down_fraction(tmp_path):
    r = results(tmp_path, r"""
        [variables]
        u = {}
        [functions]
        phi = "generic"
        psi = "generic"
        [function]
        program = '''
        v = phi(u)
        Q = psi(v)
        '''
        [[claims]]
        id = "printed"
        wrt = "u"
        claim = '\frac{\partial Q}{\partial v} \cdot \frac{\partial u}{\partial v}'
        expect = "refuted"
        [[claims]]
        id = "chain"
        wrt = "u"
        claim = '''\frac{\partial Q}{\partial v} \cdot \frac{\partial v}{\partial u} = \psi'(\phi(u)) \phi'(u)'''
        expect = "holds"
        """)
    assert r["printed"].status == "refuted"
    assert "functions" in r["printed"].counterexample    # the stand-ins are named
    assert r["chain"].status == "proved"                  # for every differentiable phi, psi


def test_adjoint_step_and_truth_table(tmp_path):
    r = results(tmp_path, r"""
        [variables]
        w = { shape = [2] }
        x = { shape = [2] }
        y = {}
        b = { shape = [2], structure = "boolean" }
        eta = { domain = "eta > 0" }
        [function]
        latex = 'L = (\langle w, x \rangle - y)^2'
        [[claims]]
        id = "delta-no-x"
        kind = "step"
        wrt = "w"
        rate = '\frac{\eta}{2}'
        claim = 'w - \eta(\langle w, x \rangle - y)'
        expect = "refuted"
        [[claims]]
        id = "delta"
        kind = "step"
        wrt = "w"
        rate = '\frac{\eta}{2}'
        claim = 'w - \eta(\langle w, x \rangle - y) x'
        expect = "holds"
        [[claims]]
        id = "adjoint"
        kind = "adjoint"
        wrt = "w_i"
        indices = { i = [1, 2] }
        claim = 'dL \cdot 2 (\langle w, x \rangle - y) x_i'
        expect = "holds"
        [[claims]]
        id = "and"
        kind = "identity"
        claim = 'b_1 \land b_2 = [b_1 + b_2 - 3/2 > 0]'
        expect = "holds"
        [[claims]]
        id = "and-wrong"
        kind = "identity"
        claim = 'b_1 \land b_2 = [b_1 + b_2 - 1/2 > 0]'
        expect = "refuted"
        """)
    assert r["delta-no-x"].status == "refuted"
    assert r["delta"].status == "proved"
    assert r["adjoint"].status == "proved"
    assert r["and"].status == "proved" and "all 4 combinations" in r["and"].explanation
    assert r["and-wrong"].status == "refuted"
    assert sorted(r["and-wrong"].counterexample["point"].values()) == [0, 1]


def test_ties_are_checked_with_exact_arithmetic(tmp_path):
    r = results(tmp_path, r"""
        [variables]
        x = { shape = [3] }
        dY = {}
        [functions]
        argmax = "argmax"
        [function]
        program = "Y = max(x_1, x_2, x_3)"
        [[claims]]
        id = "mean-at-tie"
        kind = "identity"
        claim = 'Y = \langle \operatorname{argmax}(x), x \rangle'
        where = ["x_1 = x_2"]
        expect = "holds"
        budget = 1
        [[claims]]
        id = "mixture-at-tie"
        kind = "identity"
        claim = 'I[x_1 = Y] dY + I[x_2 = Y] dY + I[x_3 = Y] dY = dY'
        where = ["x_1 = x_2", "x_1 > x_3"]
        expect = "refuted"
        budget = 1
        """)
    # (exact points on the tie: the certified verifier evaluates them itself, or the exact fallback does)
    assert r["mean-at-tie"].status == "consistent" and ("exact rational" in r["mean-at-tie"].explanation
                                                        or "certified ball arithmetic" in r["mean-at-tie"].explanation)
    assert r["mixture-at-tie"].status == "refuted"
    point = r["mixture-at-tie"].counterexample["point"]
    assert point["x_1"] == point["x_2"] > point["x_3"]


def test_matrix_claims_refuted_with_matrices(tmp_path):
    r = results(tmp_path, r"""
        [variables]
        A = { shape = ["n", "m"] }
        B = { shape = ["m", "k"] }
        [function]
        program = "C = A @ B"
        [[claims]]
        id = "dA"
        kind = "adjoint"
        wrt = "A"
        claim = 'dC B^T'
        expect = "holds"
        [[claims]]
        id = "dB"
        kind = "adjoint"
        wrt = "B"
        claim = 'A^T dC'
        expect = "holds"
        """)
    assert r["dA"].status == "proved"
    assert r["dB"].status == "proved"


def test_wrong_matrix_claims_are_refuted():
    n = sp.Symbol("n", integer=True, positive=True)
    X, dY = sp.MatrixSymbol("X", n, n), sp.MatrixSymbol("dY", n, n)
    Y = sp.Inverse(X)
    right = -Y.T * dY * Y.T
    for wrong in (-Y * dY * Y, -Y.T * dY.T * Y.T, Y.T * dY * Y.T, -dY * Y.T * Y.T):
        out = check_matrix_claim(wrong, right, structures={"X": "invertible"}, budget=10)
        assert out.status == "refuted", wrong
        ce = out.counterexample
        assert set(ce["point"]) == {"X", "dY"} and ce["sizes"]["n"] >= 2
    out = check_matrix_claim(-sp.Inverse(X.T) * dY * sp.Inverse(X.T), right, structures={"X": "invertible"},
                             budget=10)
    assert out.status == "proved"


def test_symmetric_variables_compare_symmetric_parts():
    n = sp.Symbol("n", integer=True, positive=True)
    G = sp.MatrixSymbol("G", n, n)   # the derivative of <G, P> with respect to an spd P
    # d<G, P>/dP = G; for a symmetric P only the symmetric part counts: G^T is as good, 2G is not
    assert check_matrix_claim(G.T, G, structures={"P": "spd"}, symmetric=True, budget=10).status != "refuted"
    assert check_matrix_claim(2 * G, G, structures={"P": "spd"}, symmetric=True, budget=10).status == "refuted"


@pytest.mark.parametrize("claim", [
    r"\cos(S) \cdot H + y \cdot \frac{G}{M^2}",          # sign
    r"\cos(S) \cdot H - x \cdot \frac{G}{M^2}",          # x for y
    r"\cos(S) \cdot H - y \cdot \frac{G}{M}",            # lost square
    r"\frac{\cos(x+y)}{x y} - \frac{\sin(x+y)}{(x y)^2}",  # lost factor y
])
def test_mutated_lecture_formulas_are_never_accepted(tmp_path, claim):
    r = results(tmp_path, rf"""
        [variables]
        x = {{}}
        y = {{}}
        [function]
        program = '''
        S = x + y
        G = sin(S)
        M = x*y
        H = 1/M
        F = G*H
        '''
        [[claims]]
        id = "c"
        wrt = "x"
        claim = '{claim}'
        expect = "refuted"
        budget = 2
        """)
    assert r["c"].status == "refuted"


def test_a_permutation_is_not_confused_with_its_inverse():
    n, m = sp.symbols("n m", integer=True, positive=True)
    pi, dY = sp.MatrixSymbol("pi", n, n), sp.MatrixSymbol("dY", n, m)
    right = pi.T * dY
    assert check_matrix_claim(pi * dY, right, structures={"pi": "permutation"}, budget=10).status == "refuted"
    assert check_matrix_claim(sp.Inverse(pi) * dY, right, structures={"pi": "permutation"},
                              budget=10).status in ("proved", "consistent")


def test_an_orthogonal_matrix_in_a_derivation_file(tmp_path):
    # dF/dX = Q^T Q A is A only for an orthogonal Q: it holds with the structure, and is refuted without it
    body = r"""
        [variables]
        Q = {{ shape = ["n", "n"]{structure} }}
        X = {{ shape = ["n", "n"] }}
        A = {{ shape = ["n", "n"] }}

        [function]
        program = '''
        F = trace(A.T @ Q.T @ Q @ X)
        '''

        [[claims]]
        id = "dX"
        kind = "derivative"
        wrt = "X"
        claim = '''A'''
        expect = "{expect}"
        budget = 5
    """
    held = results(tmp_path, body.format(structure=', structure = "orthogonal"', expect="holds"), name="q.toml")
    assert held["dX"].status == "consistent"   # evidence at sampled sizes: the structure is not algebra
    wrong = results(tmp_path, body.format(structure="", expect="refuted"), name="g.toml")
    assert wrong["dX"].status == "refuted"
