r"""Four pages of notes in the styles of different authors (an English ML course, a Russian seminar,
a calculus homework, backpropagation with ``\input`` and macros), each with about 18 claims, six of
them wrong the way people get them wrong, and one malformed equation.

Whether each claim is right is computed here, independently of symdiff: scalar claims with
``sympy.diff`` of the function written in Python, compared with the claimed right side (also
written in Python) at points of the domain; matrix claims with NumPy, the gradient by central
differences at random matrices of distinct sizes (a claim of the wrong shape is wrong).
``symdiff check`` must refute every wrong claim at its line, prove or find consistent every right
one, report the malformed equation unreadable at its line, and exit with status 1.
"""
from __future__ import annotations

import json
import pathlib
import shutil
import subprocess

import numpy as np
import pytest
import sympy as sp

from symdiff.cli import main

PAGES = pathlib.Path(__file__).resolve().parents[1] / "data" / "check" / "heldout"

x, y, z, t, w, s, th = sp.symbols("x y z t w s theta", real=True)
POINTS = (sp.Rational(3, 10), sp.Rational(7, 10), sp.Rational(13, 10))   # in every page's domain
BOTH_SIGNS = (sp.Rational(-7, 10), sp.Rational(-3, 10), sp.Rational(3, 10), sp.Rational(7, 10))


def sig(u):
    return 1 / (1 + sp.exp(-u))


def scalar(claimed, true, points=POINTS) -> bool:
    """Equal at the points (every variable set to each point in turn, others shifted)."""
    names = sorted((claimed - true).free_symbols | true.free_symbols, key=str)
    for p in points:
        at = {v: p + sp.Rational(j, 17) for j, v in enumerate(names)}
        if abs(sp.N((claimed - true).subs(at), 30)) > 1e-20:
            return False
    return True


def d(f, v):
    return sp.diff(f, v)


RNG = np.random.default_rng(7)


def numeric_gradient(f, arg: np.ndarray, h: float = 1e-6) -> np.ndarray:
    g = np.zeros_like(arg)
    for idx in np.ndindex(arg.shape):
        e = np.zeros_like(arg)
        e[idx] = h
        g[idx] = (f(arg + e) - f(arg - e)) / (2 * h)
    return g


def matrix(claimed, true) -> bool:
    """Same shape and close at random values (claimed/true: callables of a random draw)."""
    for _ in range(3):
        draw = {"n": 5, "d": 3, "m": 4, "k": 3, "lam": 0.7}
        draw.update(X=RNG.normal(size=(5, 3)), w=RNG.normal(size=3), y=RNG.normal(size=5),
                    W=RNG.normal(size=(4, 3)), b=RNG.normal(size=4), xin=RNG.normal(size=3),
                    yout=RNG.normal(size=4), z=RNG.normal(size=3), q=np.eye(3)[RNG.integers(3)])
        try:
            c = np.asarray(claimed(draw), dtype=float)
        except ValueError:          # the claim cannot be formed at these sizes
            return False
        r = np.asarray(true(draw), dtype=float)
        if c.shape != r.shape or not np.allclose(c, r, rtol=1e-5, atol=1e-7):
            return False
    return True


def softmax(v):
    e = np.exp(v - v.max())
    return e / e.sum()


def np_sig(v):
    return 1 / (1 + np.exp(-v))


def mse_grad(D):
    return numeric_gradient(lambda v: np.sum((D["X"] @ v - D["y"]) ** 2) / D["n"], D["w"])


def ce_grad(D):
    return numeric_gradient(lambda v: -D["q"] @ np.log(softmax(v)), D["z"])


def layer(D, wrt):
    """L = 1/2 |sigma(W x + b) - y|^2 of one layer; its gradient with respect to W, b or x."""
    W, b, xin, yout = D["W"], D["b"], D["xin"], D["yout"]

    def loss(W=W, b=b, xin=xin):
        return 0.5 * np.sum((np_sig(W @ xin + b) - yout) ** 2)
    return numeric_gradient(lambda v: loss(**{wrt: v}), {"W": W, "b": b, "xin": xin}[wrt])


def delta(D, factor=True):
    a = np_sig(D["W"] @ D["xin"] + D["b"])
    return (a - D["yout"]) * a * (1 - a) if factor else (a - D["yout"]) * a


ell = sp.log(1 + sp.exp(-y * w * x))
# (file, line, right?) in document order, computed here
TRUTH = {
    "ml_course.tex": ([
        ("ml_course.tex", 12, lambda: scalar(-y * x * sp.exp(-y * w * x) / (1 + sp.exp(-y * w * x)), d(ell, w))),
        ("ml_course.tex", 13, lambda: scalar(-y * x * sp.exp(-y * w * x) / (1 + sp.exp(-y * w * x)),
                                             -y * x * sig(-y * w * x))),
        ("ml_course.tex", 17, lambda: scalar(sig(t) * (1 - sig(t)), d(sig(t), t))),
        ("ml_course.tex", 21, lambda: scalar(y * x * sig(-y * w * x), d(ell, w))),
        ("ml_course.tex", 32, lambda: matrix(lambda D: 2 / D["n"] * D["X"].T @ (D["X"] @ D["w"] - D["y"]), mse_grad)),
        ("ml_course.tex", 33, lambda: matrix(lambda D: 2 / D["n"] * D["X"].T @ (D["X"] @ D["w"] - D["y"]),
                                             lambda D: 2 / D["n"] * (D["X"].T @ D["X"] @ D["w"] - D["X"].T @ D["y"]))),
        ("ml_course.tex", 37, lambda: matrix(lambda D: 1 / D["n"] * D["X"].T @ (D["X"] @ D["w"] - D["y"]), mse_grad)),
        ("ml_course.tex", 37, lambda: matrix(lambda D: 2 / D["n"] * D["X"] @ (D["X"] @ D["w"] - D["y"]), mse_grad)),
        ("ml_course.tex", 40, lambda: matrix(lambda D: D["X"].T @ (D["X"] @ D["w"] - D["y"]),
                                             lambda D: numeric_gradient(
                                                 lambda v: 0.5 * np.sum((D["X"] @ v - D["y"]) ** 2), D["w"]))),
        ("ml_course.tex", 46, lambda: matrix(lambda D: 2 / D["n"] * D["X"].T @ (D["X"] @ D["w"] - D["y"])
                                             + 2 * D["lam"] * D["w"],
                                             lambda D: mse_grad(D) + 2 * D["lam"] * D["w"])),
        ("ml_course.tex", 50, lambda: matrix(lambda D: 2 / D["n"] * D["X"].T @ (D["X"] @ D["w"] - D["y"])
                                             + D["lam"] * D["w"],
                                             lambda D: mse_grad(D) + 2 * D["lam"] * D["w"])),
        ("ml_course.tex", 60, lambda: matrix(lambda D: softmax(D["z"]) - D["q"], ce_grad)),
        ("ml_course.tex", 66, lambda: matrix(lambda D: np.exp(D["z"]) - D["q"], ce_grad)),
        ("ml_course.tex", 72, lambda: scalar(2 * x * (w * x - y), d((w * x - y) ** 2, w))),
        ("ml_course.tex", 73, lambda: scalar(w, d(w ** 2 / 2, w))),
        ("ml_course.tex", 74, lambda: scalar(1 - sig(t), d(sp.log(sig(t)), t))),
        ("ml_course.tex", 75, lambda: scalar(sig(t), d(sp.log(1 - sig(t)), t))),
    ], 79),
    "russian.tex": ([
        ("russian.tex", 14, lambda: scalar(1 / sp.cos(x) ** 2, d(sp.tan(x), x))),
        ("russian.tex", 14, lambda: scalar(1 / sp.cos(x) ** 2, 1 + sp.tan(x) ** 2)),
        ("russian.tex", 18, lambda: scalar(1 - sp.tanh(x) ** 2, d(sp.tanh(x), x))),
        ("russian.tex", 20, lambda: scalar(-sp.sinh(x), d(sp.cosh(x), x))),
        ("russian.tex", 26, lambda: scalar(2 * x / (1 + x ** 2), d(sp.log(1 + x ** 2), x))),
        ("russian.tex", 27, lambda: scalar(1 / (1 + x ** 2), d(sp.atan(x), x))),
        ("russian.tex", 28, lambda: scalar((2 * x * sp.atan(x) + sp.log(1 + x ** 2)) / (1 + x ** 2),
                                           d(sp.log(1 + x ** 2) * sp.atan(x), x))),
        ("russian.tex", 32, lambda: scalar(1 / (1 + x ** 2), d(sp.log(1 + x ** 2), x))),
        ("russian.tex", 39, lambda: scalar(2 * x * y, d(x ** 2 * y + sp.log(y), x))),
        ("russian.tex", 39, lambda: scalar(x ** 2 + 1 / y, d(x ** 2 * y + sp.log(y), y))),
        ("russian.tex", 39, lambda: scalar(x ** 2 + sp.log(y), d(x ** 2 * y + sp.log(y), y))),
        ("russian.tex", 43, lambda: scalar(x * y ** (x - 1), d(y ** x, y))),
        ("russian.tex", 49, lambda: scalar(-d(sig(z), z) / sig(z), d(-sp.log(sig(z)), z))),
        ("russian.tex", 50, lambda: scalar(-d(sig(z), z) / sig(z), -(1 - sig(z)))),
        ("russian.tex", 51, lambda: scalar(-(1 - sig(z)), sig(z) - 1)),
        ("russian.tex", 55, lambda: scalar(1 - sig(z), d(-sp.log(sig(z)), z))),
        ("russian.tex", 60, lambda: scalar(1 / (3 * sp.root(x ** 2, 3)), d(sp.root(x, 3), x))),
        ("russian.tex", 61, lambda: scalar(2 * x ** 3, d(sp.Rational(1, 2) * x ** 4, x))),
        ("russian.tex", 62, lambda: scalar(sp.exp(2 * x), d(sp.exp(2 * x), x))),
        ("russian.tex", 66, lambda: scalar(1 / sp.sin(x) ** 2, d(sp.cot(x), x))),
    ], 70),
    "calculus_hw.tex": ([
        ("calculus_hw.tex", 10, lambda: scalar(3 * x ** 2 * sp.sin(x) + x ** 3 * sp.cos(x), d(x ** 3 * sp.sin(x), x))),
        ("calculus_hw.tex", 11, lambda: scalar(3 * x ** 2 * sp.sin(x) + x ** 3 * sp.cos(x),
                                               x ** 2 * (3 * sp.sin(x) + x * sp.cos(x)))),
        ("calculus_hw.tex", 16, lambda: scalar((2 * x * (x - 1) - (x ** 2 + 1)) / (x - 1) ** 2,
                                               (x ** 2 - 2 * x + 1) / (x - 1) ** 2)),
        ("calculus_hw.tex", 20, lambda: scalar(2 * x / (2 * sp.sqrt(1 + x ** 2)), d(sp.sqrt(1 + x ** 2), x))),
        ("calculus_hw.tex", 20, lambda: scalar(2 * x / (2 * sp.sqrt(1 + x ** 2)), x / sp.sqrt(1 + x ** 2))),
        ("calculus_hw.tex", 23, lambda: scalar(2 * x * sp.exp(x ** 2), d(sp.exp(x ** 2), x))),
        ("calculus_hw.tex", 23, lambda: scalar(sp.exp(sp.sin(x)), d(sp.exp(sp.sin(x)), x))),
        ("calculus_hw.tex", 23, lambda: scalar(-sp.tan(x), d(sp.log(sp.cos(x)), x))),
        # p(x) = x^2 for x >= 0, -x^2 below: x|x|, whose derivative is 2|x|, not 2x
        ("calculus_hw.tex", 32, lambda: scalar(2 * x, d(x * sp.Abs(x), x), points=BOTH_SIGNS)),
        ("calculus_hw.tex", 35, lambda: scalar(2 * sp.Abs(x), d(x * sp.Abs(x), x), points=BOTH_SIGNS)),
        ("calculus_hw.tex", 39, lambda: scalar(2 * t * sp.exp(-t) - t ** 2 * sp.exp(-t), d(t ** 2 * sp.exp(-t), t))),
        ("calculus_hw.tex", 40, lambda: scalar(-2 * t / (1 + t ** 2) ** 2, d(1 / (1 + t ** 2), t))),
        ("calculus_hw.tex", 41, lambda: scalar(sp.log(t), d(t * sp.log(t), t))),
        ("calculus_hw.tex", 47, lambda: scalar((th * sp.cos(th) - sp.sin(th)) / th ** 2, d(sp.sin(th) / th, th))),
        ("calculus_hw.tex", 50, lambda: scalar((sp.cos(th) - sp.sin(th)) / th ** 2, d(sp.sin(th) / th, th))),
        ("calculus_hw.tex", 55, lambda: scalar(5 * (2 * x + 1) ** 4 * 2, d((2 * x + 1) ** 5, x))),
        ("calculus_hw.tex", 56, lambda: scalar(5 * (2 * x + 1) ** 4 * 2, 10 * (2 * x + 1) ** 4)),
        ("calculus_hw.tex", 57, lambda: scalar(10 * (2 * x + 1) ** 4, 5 * (2 * x + 1) ** 4)),
    ], 66),
    "backprop.tex": ([
        ("backprop.tex", 16, lambda: matrix(lambda D: delta(D), lambda D: layer(D, "b"))),
        ("backprop.tex", 17, lambda: matrix(lambda D: D["W"].T @ delta(D), lambda D: layer(D, "xin"))),
        ("backprop.tex", 21, lambda: matrix(lambda D: delta(D), lambda D: layer(D, "b"))),
        ("backprop.tex", 21, lambda: matrix(lambda D: delta(D) @ D["xin"], lambda D: layer(D, "W"))),
        ("backprop.tex", 26, lambda: matrix(lambda D: delta(D, factor=False), lambda D: layer(D, "b"))),
        ("backprop.tex", 30, lambda: matrix(lambda D: D["W"] @ delta(D), lambda D: layer(D, "xin"))),
        ("backprop.tex", 34, lambda: matrix(lambda D: np.outer(delta(D), D["xin"]), lambda D: layer(D, "W"))),
        ("backprop_part2.tex", 9, lambda: matrix(lambda D: 1 / D["n"] * D["X"].T @ (D["X"] @ D["w"] - D["y"]),
                                                 lambda D: mse_grad(D) / 2)),
        ("backprop_part2.tex", 10, lambda: matrix(lambda D: D["X"].T @ (D["X"] @ D["w"] - D["y"]),
                                                  lambda D: mse_grad(D) / 2)),
        ("backprop_part2.tex", 19, lambda: matrix(lambda D: softmax(D["z"]) - D["q"], ce_grad)),
        ("backprop_part2.tex", 21, lambda: matrix(lambda D: D["q"] - softmax(D["z"]), ce_grad)),
        # where s > 0
        ("backprop.tex", 44, lambda: scalar(sp.Integer(1), d(sp.Max(0, s), s))),
        ("backprop.tex", 44, lambda: scalar(sp.Integer(1), d(sp.Abs(s), s))),
        ("backprop.tex", 44, lambda: scalar(1 / (2 * sp.sqrt(s)), d(sp.sqrt(s), s))),
        ("backprop.tex", 48, lambda: scalar(sig(s), d(sp.log(1 + sp.exp(s)), s))),
        ("backprop.tex", 48, lambda: scalar(sig(s), sp.exp(s) / (1 + sp.exp(s)))),
        ("backprop.tex", 51, lambda: scalar(1 / (1 + sp.exp(s)), d(sp.log(1 + sp.exp(s)), s))),
    ], ("backprop_part2.tex", 25)),
}


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    path = tmp_path / "cache"
    monkeypatch.setenv("SYMDIFF_CACHE_DIR", str(path))
    return path


def _check(capsys, *args):
    code = main(["check", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("page", sorted(TRUTH))
def test_page_every_wrong_claim_refuted_at_its_line(capsys, cache_dir, page):
    truth, unreadable_at = TRUTH[page]
    # a generous budget per claim: the matrix claims take seconds, more on a loaded machine
    code, out, err = _check(capsys, PAGES / page, "--format", "json", "--jobs", "2", "--budget", "40")
    records = json.loads(out)
    claims = [r for r in records if r["kind"] in ("identity", "derivative")
              and r["status"] in ("proved", "consistent", "refuted", "undetermined")]
    assert [(pathlib.Path(r["file"]).name, r["line"]) for r in claims] == [(f, line) for f, line, _ in truth]
    wrong = 0
    for record, (_, _, holds) in zip(claims, truth):
        if holds():
            assert record["status"] in ("proved", "consistent"), record
        else:
            wrong += 1
            assert record["status"] == "refuted", record
            assert record["counterexample"] is not None, record
    assert wrong == 6
    unreadable = [(pathlib.Path(r["file"]).name, r["line"]) for r in records if r["status"] == "unreadable"]
    expected = unreadable_at if isinstance(unreadable_at, tuple) else (page, unreadable_at)
    assert unreadable == [expected]
    assert code == 1, err


@pytest.mark.skipif(shutil.which("latexmk") is None or shutil.which("kpsewhich") is None
                    or not subprocess.run(["kpsewhich", "t2aenc.def"], capture_output=True).stdout,
                    reason="needs latexmk and Cyrillic LaTeX support")
@pytest.mark.parametrize("page, placeholder_line", [("russian.tex", 70), ("backprop.tex", None),
                                                    ("ml_course.tex", 79)])
def test_pages_with_an_equation_tex_cannot_read_are_annotated(capsys, cache_dir, tmp_path, page, placeholder_line):
    """A malformed equation (a brace or \\left never closed) would stop LaTeX: the annotated copy
    shows a placeholder in its place, and the rest of the notes, marks and notes compile."""
    pdf = tmp_path / "out.pdf"
    before = {p: p.read_bytes() for p in PAGES.iterdir()}
    code, out, err = _check(capsys, PAGES / page, "--annotate", pdf)
    assert code == 1, err
    assert pdf.read_bytes().startswith(b"%PDF")
    assert {p: p.read_bytes() for p in PAGES.iterdir()} == before
    if shutil.which("pdftotext"):
        text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
        if placeholder_line is not None:     # a \left or a brace never closed: not typeset
            assert f"unreadable formula (line {placeholder_line})" in text
        if page == "russian.tex":
            assert "Семинар" in text
        refuted = [line.split(":")[1] for line in out.splitlines() if ": refuted: " in line]
        assert len(refuted) == 6 and all(f"line {n}:" in text for n in refuted)
