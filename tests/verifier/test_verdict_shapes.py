"""One Verdict for scalar and matrix claims, 1-based entry labels at the source, one reader of wrt,
and matrix claims of the wrong shape: refuted where they are defined, or as a shape error; a row
vector for a column gradient is a layout convention, not an error.

Every refutation is re-computed here independently (sympy.diff of the written-out function, NumPy
products, SymPy's own shape check)."""
from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest
import sympy as sp

from symdiff import verify, verify_identity
from symdiff.errors import SymdiffError
from symdiff.verifier import Roles, Verdict, verify_text
from symdiff.verifier.matrix import check_matrix_claim
from symdiff.verifier.wrt import read_wrt

B = 10
DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "check"
x, y, t = sp.symbols("x y t", real=True)
m, n = sp.symbols("m n", integer=True, positive=True)
X, w, Y = sp.MatrixSymbol("X", m, n), sp.MatrixSymbol("w", n, 1), sp.MatrixSymbol("y", m, 1)
LSQ = {"X": ("m", "n"), "w": ("n",), "y": ("m",)}
LOSS = r"\nabla_w \frac12 \|Xw - y\|^2 = "


def _exact(value):
    return sp.Matrix(value).applyfunc(lambda v: sp.Rational(str(v)))


def _lsq_gradient_by_sympy(Xv, wv, yv):
    """d/dw of 1/2 ||X w - y||^2 with every entry a symbol, differentiated by sympy.diff, at the point."""
    rows, cols = Xv.shape
    Xs = sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"X{i}{j}"))
    ws = sp.Matrix(cols, 1, lambda i, j: sp.Symbol(f"w{i}"))
    ys = sp.Matrix(rows, 1, lambda i, j: sp.Symbol(f"y{i}"))
    r = Xs * ws - ys
    loss = (r.T * r)[0, 0] / 2
    at = {**dict(zip(Xs, Xv)), **dict(zip(ws, wv)), **dict(zip(ys, yv))}
    return sp.Matrix([sp.diff(loss, v).subs(at) for v in ws])


# ---------------------------------------------------------------------------
# One Verdict type, with role names
# ---------------------------------------------------------------------------

def test_the_matrix_checker_returns_a_verdict_with_its_roles():
    A = sp.MatrixSymbol("A", n, n)
    r = check_matrix_claim(2 * A, A + A, structures={}, budget=B)
    assert isinstance(r, Verdict) and r.status == "proved"
    wrong = check_matrix_claim(A.T, A, structures={}, budget=B, roles=Roles("program", "printed formula"))
    assert isinstance(wrong, Verdict) and wrong.status == "refuted"
    assert "of the program is" in wrong.explanation and "that of the printed formula is" in wrong.explanation
    r_, c_ = wrong.counterexample["entry"]                        # 1-based (row, column)
    Av = _exact(wrong.counterexample["point"]["A"])
    assert Av.T[r_ - 1, c_ - 1] != Av[r_ - 1, c_ - 1]             # the entry named really differs


def test_identity_roles_name_the_sides_without_rewriting():
    roles = Roles("program", "printed formula")
    v = verify_identity(sp.sin(x) ** 2, 1 - sp.cos(x) ** 2, budget=B, roles=roles)
    assert v.status == "proved" and "the program and the printed formula simplifies to 0" in v.explanation
    v = verify_identity(sp.sin(x) ** 2, 1 + sp.cos(x) ** 2, budget=B, roles=roles)
    assert v.status == "refuted" and "the program is" in v.explanation and "the printed formula is" in v.explanation
    p = v.counterexample["exact_point"]["x"]
    xv = sp.Rational(p) if "/" in p or p.lstrip("-").isdigit() else sp.nsimplify(p)
    assert abs(float(sp.sin(xv) ** 2 - (1 + sp.cos(xv) ** 2))) > 1e-9
    assert "left-hand" not in v.explanation


def test_entries_are_1_based_in_the_explanation_and_the_counterexample():
    v = verify_identity([x + y, x * y], [y + x, x * y + 1], budget=B)
    assert v.status == "refuted" and v.counterexample["entry"] == [2]
    assert "entry [2] of the left-hand side" in v.explanation
    F = [x * y, x + y ** 3]
    J = sp.Matrix([[sp.diff(Fi, v_) for v_ in (x, y)] for Fi in F])
    r = verify(F, [x, y], J.T, budget=B)                          # the transpose is not the Jacobian
    comp = r.counterexample["component"]
    assert r.status == "refuted" and comp in ("dF[1]/dy", "dF[2]/dx") and comp in r.explanation
    i, var = int(comp[3]) - 1, comp[-1]                           # 1-based component, its variable
    j = (x, y).index(sp.Symbol(var, real=True))
    at = {x: sp.Rational(str(r.counterexample["point"]["x"])), y: sp.Rational(str(r.counterexample["point"]["y"]))}
    assert J.T[i, j].subs(at) != sp.diff(F[i], (x, y)[j]).subs(at)   # sympy.diff disagrees with the claim there


def test_derivations_parts_hold_verdicts():
    from symdiff.derivations.run import PartResult, check_paths
    results = check_paths(["derivations/lecture07/26_soft_max_bad.toml"])
    parts = [p for r in results for p in r.parts]
    assert parts and all(isinstance(p, PartResult) and isinstance(p.verdict, Verdict) for p in parts)
    entries = [p.counterexample["entry"] for p in parts if p.counterexample and "entry" in p.counterexample]
    assert entries and all(isinstance(e, list) and min(e) >= 1 for e in entries)


# ---------------------------------------------------------------------------
# One reader of wrt
# ---------------------------------------------------------------------------

def test_read_wrt_forms_and_errors():
    assert read_wrt("x").names == ("x",) and read_wrt("x").scalar
    assert read_wrt("x, y").shape == (2,) and read_wrt("x,").shape == (1,)
    assert read_wrt([x, "y"]).names == ("x", "y") and read_wrt([x, "y"]).symbols == (x,)
    assert read_wrt(sp.Matrix([x, y])).shape == (2,)
    assert read_wrt(X).matrix is X and read_wrt(X).shape == (m, n)
    for bad, message in [("", "no variable"), ("x, x", "more than once"), ("2x", "not a variable name"),
                         ([X], "one matrix at a time"), (sp.Matrix([[x, y], [y, x]]), "vector of symbols"),
                         (3.5, "got float")]:
        with pytest.raises(SymdiffError, match=message):
            read_wrt(bad)


def test_grad_and_verify_read_wrt_alike(capsys):
    from symdiff.cli import main
    assert main(["grad", "x*y", "--wrt", "x, x"]) != 0
    assert "more than once" in capsys.readouterr().err
    with pytest.raises(SymdiffError, match="more than once"):
        verify("x*y", "x, x", ["y", "y"], budget=B)


# ---------------------------------------------------------------------------
# Matrix claims of another shape than the derivative
# ---------------------------------------------------------------------------

def test_a_dropped_transpose_is_refuted_where_it_is_defined():
    (v,) = verify_text(LOSS + "X(Xw - y)", variables=LSQ, budget=B)
    assert v.status == "refuted"
    assert "only when m = n" in v.explanation and "n x 1" in v.explanation
    ce = v.counterexample
    assert ce["sizes"]["m"] == ce["sizes"]["n"]                   # the sizes used are stated
    Xv, wv, yv = (_exact(ce["point"][k]) for k in ("X", "w", "y"))
    assert Xv.shape[0] == Xv.shape[1] == ce["sizes"]["n"]
    true = _lsq_gradient_by_sympy(Xv, wv, yv)                    # independent: sympy.diff
    claimed = Xv * (Xv * wv - yv)                                # the claim as written
    assert np.allclose(np.array(true, dtype=float), np.array(ce["actual"], dtype=float), rtol=1e-5)
    assert np.allclose(np.array(claimed, dtype=float), np.array(ce["claimed"], dtype=float), rtol=1e-5)
    r_, c_ = ce["entry"]
    assert claimed[r_ - 1, c_ - 1] != true[r_ - 1, c_ - 1]


def test_the_right_gradient_and_its_row_layout_hold():
    (v,) = verify_text(LOSS + "X^T(Xw - y)", variables=LSQ, budget=B)
    assert v.status == "proved"
    (row,) = verify_text(LOSS + "(Xw - y)^T X", variables=LSQ, budget=B)
    assert row.status in ("proved", "consistent") and "layout" in row.explanation
    (bad,) = verify_text(LOSS + "2 (Xw - y)^T X", variables=LSQ, budget=B)
    assert bad.status == "refuted" and bad.counterexample["layout"] == "transposed"
    Xv, wv, yv = (_exact(bad.counterexample["point"][k]) for k in ("X", "w", "y"))
    true = _lsq_gradient_by_sympy(Xv, wv, yv)
    assert np.allclose(np.array(true, dtype=float), np.array(bad.counterexample["actual"], dtype=float), rtol=1e-5)
    assert np.allclose(2 * np.array(true, dtype=float), np.array(bad.counterexample["claimed"], dtype=float),
                       rtol=1e-5)


def test_a_claim_defined_nowhere_the_gradient_is_is_a_shape_error():
    f = sp.Rational(1, 2) * ((X * w - Y).T * (X * w - Y))
    # right where it is defined (m = n: y - y cancels), but a sum of n x 1 and m x 1 matrices elsewhere
    claim = sp.MatAdd(X.T * (X * w - Y), Y, -Y, evaluate=False)
    v = verify(f, w, claim, budget=B)
    assert v.status == "refuted" and "no value" in v.explanation and "agrees" in v.explanation
    sizes = {sp.Symbol(k, integer=True, positive=True): val for k, val in v.counterexample["sizes"].items()}
    assert sizes[m] != sizes[n]
    with pytest.raises(sp.ShapeError):                            # SymPy agrees: no value at those sizes
        (X.T * (X * w - Y)).xreplace(sizes).as_explicit() + Y.xreplace(sizes).as_explicit()
    other = verify(f, w, X, budget=B)                             # an m x n matrix for an n x 1 gradient
    assert other.status == "refuted" and "shape error" in other.explanation
    assert other.counterexample["claimed"] != other.counterexample["actual"]


def test_symdiff_check_refutes_the_dropped_transpose_in_a_document(capsys, tmp_path, monkeypatch):
    from symdiff.cli import main
    monkeypatch.setenv("SYMDIFF_CACHE_DIR", str(tmp_path / "cache"))
    code = main(["check", str(DATA / "matrix_shapes.tex"), "--format", "json", "--jobs", "1"])
    records = [r for r in json.loads(capsys.readouterr().out) if r["kind"] == "derivative"]
    assert code == 0                                              # the refuted one is marked expect refuted
    assert [(r["line"], r["status"]) for r in records] == [(7, "proved"), (11, "proved"), (16, "refuted")]
    assert records[2]["counterexample"]["sizes"] == {"m": 2, "n": 2}


def test_size_constraints_and_where_they_hold():
    from symdiff.verifier.shapes import size_constraints, unify_sizes, violated_at
    k = sp.Symbol("k", integer=True, positive=True)
    dropped = X * (X * w - Y)                                      # needs n = m
    cs = size_constraints(dropped, w.shape, "the gradient is n x 1")
    assert {(c.left, c.right) for c in cs} == {(n, m), (m, n)}  # the product; the shape of the result
    assert unify_sizes(cs, prefer={n}) == {m: n}                  # the gradient's own size names the class
    assert violated_at(cs, {m: sp.Integer(2), n: sp.Integer(3)}) is not None
    assert violated_at(cs, {m: sp.Integer(3), n: sp.Integer(3)}) is None
    assert unify_sizes(size_constraints(dropped, (3, 1), "3 x 1")) == {m: 3, n: 3}
    fixed = size_constraints(sp.MatrixSymbol("A", 2, k), (3, 1), "3 x 1")
    assert unify_sizes(fixed) is None                             # 2 = 3: no sizes give it the shape
    assert size_constraints(X.T * (X * w - Y), w.shape, "n x 1") == []   # the right gradient needs nothing
