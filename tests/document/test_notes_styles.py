r"""Styles of notes that once went wrong, each on a small page; the truth of every claim is
computed here with ``sympy.diff`` (not read from the LaTeX)."""
from __future__ import annotations

import json

import pytest
import sympy as sp

from symdiff.cli import main

x, t = sp.symbols("x t", real=True)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    path = tmp_path / "cache"
    monkeypatch.setenv("SYMDIFF_CACHE_DIR", str(path))
    return path


def _records(capsys, tmp_path, body: str, preamble: str = "% (no macros)\n") -> tuple[int, list[dict]]:
    """The page's records; the body starts at line 5 (the preamble is one line)."""
    doc = tmp_path / "page.tex"
    doc.write_text("\\documentclass{article}\n\\usepackage{amsmath}\n" + preamble + "\\begin{document}\n" + body
                   + "\\end{document}\n", encoding="utf-8")
    code = main(["check", str(doc), "--format", "json", "--jobs", "1"])
    return code, json.loads(capsys.readouterr().out)


def _claims(records) -> list[tuple[int, str]]:
    return [(r["line"], r["status"]) for r in records if r["kind"] in ("identity", "derivative")
            and r["status"] != "skipped"]


def _holds(claimed, true) -> bool:
    return all(abs(sp.N((claimed - true).subs(x, p).subs(t, p), 30)) < 1e-20 for p in (sp.Rational(1, 3), 2))


def _verdict(claimed, true) -> set:
    return {"proved", "consistent"} if _holds(claimed, true) else {"refuted"}


def test_a_name_defined_again_for_a_new_problem_is_a_new_definition(capsys, cache_dir, tmp_path):
    body = ("\\textbf{Problem 1.} Let $f(x) = x^2 \\sin x$. Then\n"          # 5
            "\\[ f'(x) = 2x \\sin x + x^2 \\cos x \\]\n"                     # 6
            "\\textbf{Problem 2.} Now let $f(x) = e^{3x}$:\n"                 # 7
            "\\[ f'(x) = 3 e^{3x} \\]\n"                                      # 8
            "\\section{Problem 3}\n"                                          # 9
            "\\[ f(x) = \\ln x, \\qquad f'(x) = x \\]\n"                      # 10
            "Restating: $g(t) = t^2$ and\n"                                   # 11
            "\\[ g(t) = t \\cdot t^2 \\]\n")                                  # 12
    code, records = _records(capsys, tmp_path, body)
    f1, f2, f3, g = x ** 2 * sp.sin(x), sp.exp(3 * x), sp.log(x), t ** 2
    expected = [(6, _verdict(2 * x * sp.sin(x) + x ** 2 * sp.cos(x), sp.diff(f1, x))),
                (8, _verdict(3 * sp.exp(3 * x), sp.diff(f2, x))),
                (10, _verdict(x, sp.diff(f3, x))),
                (12, _verdict(t * t ** 2, g))]                   # a restatement is a claim about g: wrong
    claims = _claims(records)
    assert [line for line, _ in claims] == [line for line, _ in expected]
    for (line, status), (_, allowed) in zip(claims, expected):
        assert status in allowed, (line, status)
    definitions = [r["line"] for r in records if r["kind"] == "definition"]
    assert definitions == [5, 7, 10, 11]
    assert code == 1


def test_align_with_two_equations_per_row_and_rows_starting_with_left(capsys, cache_dir, tmp_path):
    body = ("\\begin{align*}\n"
            "  \\frac{d}{dx} x^3 &= 3 x^2, & \\frac{d}{dx} e^{2x} &= e^{2x} \\\\\n"          # 6
            "  \\left( x^2 \\right)' &= 2 x\n"                                             # 7
            "\\end{align*}\n"
            "\\begin{gather}\n"
            "  \\left( \\sin x \\right)' = \\cos x \\\\\n"                                   # 10
            "  \\left( \\cos x \\right)' = \\sin x\n"                                        # 11
            "\\end{gather}\n")
    code, records = _records(capsys, tmp_path, body)
    expected = [(6, _verdict(3 * x ** 2, sp.diff(x ** 3, x))), (6, _verdict(sp.exp(2 * x), sp.diff(sp.exp(2 * x), x))),
                (7, _verdict(2 * x, sp.diff(x ** 2, x))), (10, _verdict(sp.cos(x), sp.diff(sp.sin(x), x))),
                (11, _verdict(sp.sin(x), sp.diff(sp.cos(x), x)))]
    claims = _claims(records)
    assert [line for line, _ in claims] == [line for line, _ in expected]
    for (line, status), (_, allowed) in zip(claims, expected):
        assert status in allowed, (line, status)
    assert code == 1


def test_second_derivatives_and_def_macros(capsys, cache_dir, tmp_path):
    body = ("Let $f(x) = x^3 - x$.\n"                                                         # 5
            "\\[ f''(x) = 6 x, \\qquad f''(x) = 3 x^2 - 1 \\]\n"                               # 6
            "$$ \\frac{d^2}{d\\eps^2} \\sin \\eps = -\\sin \\eps $$\n")                        # 7
    code, records = _records(capsys, tmp_path, body, preamble="\\def\\eps{t}\n")
    f = x ** 3 - x
    expected = [(6, _verdict(6 * x, sp.diff(f, x, 2))), (6, _verdict(3 * x ** 2 - 1, sp.diff(f, x, 2))),
                (7, _verdict(-sp.sin(t), sp.diff(sp.sin(t), t, 2)))]
    claims = _claims(records)
    assert [line for line, _ in claims] == [line for line, _ in expected]
    for (line, status), (_, allowed) in zip(claims, expected):
        assert status in allowed, (line, status)
    assert code == 1


def test_an_equals_sign_inside_an_unclosed_left_is_unreadable_not_skipped(capsys, cache_dir, tmp_path):
    body = "\\begin{equation}\n  \\frac{d}{dx} \\left( x^2 + 1 = 2 x\n\\end{equation}\n"
    code, records = _records(capsys, tmp_path, body)
    assert [(r["line"], r["status"]) for r in records] == [(6, "unreadable")]
    assert "\\left" in records[0]["explanation"]
    assert code == 0


def test_a_matrix_identity_of_named_sizes_is_checked(capsys, cache_dir, tmp_path):
    """X^T (X w - y) = X^T X w - X^T y holds; with a sign flipped it does not; X (X w - y) has another
    shape than X^T (X w - y) when X is not square."""
    import numpy as np
    rng = np.random.default_rng(1)
    X, w, y = rng.normal(size=(5, 3)), rng.normal(size=3), rng.normal(size=5)
    assert np.allclose(X.T @ (X @ w - y), X.T @ X @ w - X.T @ y)
    assert not np.allclose(X.T @ (X @ w - y), X.T @ X @ w + X.T @ y)
    assert (X @ (X.T @ (X @ w - y))).shape != (X.T @ (X @ w - y)).shape
    body = ("% symdiff: let X: (n, d), w: (d,), y: (n,)\n"                                    # 5
            "\\begin{align}\n"
            "  X^\\top (X w - y) &= X^\\top X w - X^\\top y \\\\\n"                          # 7
            "  X^\\top (X w - y) &= X^\\top X w + X^\\top y \\\\\n"                          # 8
            "  X^\\top (X w - y) &= X (X w - y)\n"                                          # 9
            "\\end{align}\n")
    code, records = _records(capsys, tmp_path, body)
    claims = {r["line"]: r for r in records if r["kind"] == "identity"}
    assert claims[7]["status"] == "proved"
    assert claims[8]["status"] == "refuted" and claims[8]["counterexample"]["sizes"]
    # refuted where both sides are defined (X square) or as a shape error elsewhere
    assert claims[9]["status"] == "refuted" and "d = n" in claims[9]["explanation"]
    assert code == 1


def test_a_scalar_parameter_beside_matrices_of_numeric_size(capsys, cache_dir, tmp_path):
    """E = |h|^2 / 2 + mu |W|_F^2 with W: (2, 3): dE/dmu is |W|_F^2 (SymPy: the coefficient of mu)."""
    W = sp.MatrixSymbol("W", 2, 3).as_explicit()
    mu = sp.Symbol("mu", real=True)
    frob2 = sum(e ** 2 for e in W)
    E = sp.Symbol("half_h2") + mu * frob2
    assert sp.diff(E, mu) == frob2 and sp.diff(E, mu) != sp.sqrt(frob2)
    body = ("% symdiff: let W: (2, 3), b: (2,), mu: (), x: (3,)\n"                           # 5
            "\\[ h = \\tanh(W x + b), \\quad E = \\frac{1}{2} \\|h\\|^2 + \\mu \\|W\\|_F^2 \\]\n"  # 6
            "\\[ \\frac{\\partial E}{\\partial \\mu} = \\|W\\|_F^2 \\]\n"                  # 7
            "\\[ \\frac{\\partial E}{\\partial \\mu} = \\|W\\|_F \\]\n")                   # 8
    doc = tmp_path / "page.tex"
    doc.write_text("\\documentclass{article}\n\\usepackage{amsmath}\n% (no macros)\n\\begin{document}\n" + body
                   + "\\end{document}\n", encoding="utf-8")
    code = main(["check", str(doc), "--format", "json", "--jobs", "1", "--budget", "60"])
    records = json.loads(capsys.readouterr().out)
    assert _claims(records) == [(7, "proved"), (8, "refuted")]
    assert code == 1


def test_derivatives_at_a_point_and_statements_joined_by_and(capsys, cache_dir, tmp_path):
    body = ("Let $g(x) = \\sin^2 x$.\n"                                                             # 5
            "\\[ g'(0) = 0, \\qquad g'(\\pi/4) = 2 \\]\n"                                            # 6
            "\\[ \\left. \\frac{d}{dx} e^{2x} \\right|_{x = 0} = 2 \\]\n"                             # 7
            "\\[ \\frac{\\partial}{\\partial x} x^2 t^3 = 2 x t^3 \\text{ and } "
            "\\frac{\\partial}{\\partial t} x^2 t^3 = 3 x^2 t \\]\n")                                 # 8
    code, records = _records(capsys, tmp_path, body)
    g = sp.sin(x) ** 2
    dg = sp.diff(g, x)
    expected = [(6, {"proved", "consistent"} if dg.subs(x, 0) == 0 else {"refuted"}),
                (6, {"proved", "consistent"} if sp.simplify(dg.subs(x, sp.pi / 4) - 2) == 0 else {"refuted"}),
                (7, {"proved", "consistent"} if sp.diff(sp.exp(2 * x), x).subs(x, 0) == 2 else {"refuted"}),
                (8, _verdict(2 * x * t ** 3, sp.diff(x ** 2 * t ** 3, x))),
                (8, _verdict(3 * x ** 2 * t, sp.diff(x ** 2 * t ** 3, t)))]
    claims = _claims(records)
    assert [line for line, _ in claims] == [line for line, _ in expected]
    for (line, status), (_, allowed) in zip(claims, expected):
        assert status in allowed, (line, status)
    assert code == 1


def test_identities_between_matrices_of_numeric_size_and_of_traces(capsys, cache_dir, tmp_path):
    """At X: (3, 2) the right side X (X w - y) cannot be formed: a shape error, refuted (not unreadable);
    a declared scalar z said equal to the vector W x is refuted too; tr(AB) = tr(BA) holds
    (NumPy at random matrices), det(2M) = 2 det M does not for 2 x 2 and larger."""
    import numpy as np
    rng = np.random.default_rng(3)
    A, B, M = rng.normal(size=(2, 3)), rng.normal(size=(3, 2)), rng.normal(size=(3, 3))
    assert np.isclose(np.trace(A @ B), np.trace(B @ A))
    assert not np.isclose(np.linalg.det(2 * M), 2 * np.linalg.det(M))
    body = ("% symdiff: let X: (3, 2), w: (2,), y: (3,), z: (), W: (4, 6), x: (6,)\n"              # 5
            "\\[ X^\\top (X w - y) = X (X w - y) \\]\n"                                             # 6
            "\\[ z = W x \\]\n"                                                                     # 7
            "% symdiff: let A: (m, n), B: (n, m), M: (k, k)\n"                                     # 8
            "\\[ \\operatorname{tr}(A B) = \\operatorname{tr}(B A), \\qquad \\det(2 M) = 2 \\det M \\]\n")  # 9
    code, records = _records(capsys, tmp_path, body)
    claims = _claims(records)
    assert [line for line, _ in claims] == [6, 7, 9, 9]
    assert [status for _, status in claims][:2] == ["refuted", "refuted"]
    assert claims[2][1] in ("proved", "consistent") and claims[3][1] == "refuted"
    shape_errors = [r for r in records if r["line"] in (6, 7)]
    assert all("shape error" in r["explanation"] for r in shape_errors)
    assert code == 1
