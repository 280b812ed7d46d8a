"""The grad command line, LaTeX output, and closed forms under budgets."""
import subprocess
import sys
import warnings

import pytest
import sympy as sp

import symdiff
from symdiff.cli import main
from symdiff.errors import SymdiffWarning

x, y = sp.symbols("x y", real=True)


def test_grad_prints_programs_and_closed_forms(capsys):
    assert main(["grad", "sin(x+y)/(x*y)", "--wrt", "x,y"]) == 0
    out = capsys.readouterr().out
    assert "# forward program" in out and "# adjoint program" in out
    closed = [line for line in out.splitlines() if line.startswith("dF/dx = ")][0]
    ours = symdiff.parse_expression(closed.split("=", 1)[1])
    assert sp.simplify(ours - sp.diff(sp.sin(x + y) / (x * y), x)) == 0


def test_grad_reads_a_program_file_and_prints_latex(capsys):
    assert main(["grad", "examples/lecture07_sin_over_product.prog", "--wrt", "x", "--latex"]) == 0
    out = capsys.readouterr().out
    assert r"\bar{H} &= G" in out            # adjoints typeset as the lecture's bars
    assert r"\begin{align*}" in out


def test_grad_errors_exit_2_with_one_line():
    proc = subprocess.run([sys.executable, "-m", "symdiff.cli", "grad", "foo(x)", "--wrt", "x"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "unknown function 'foo'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_grad_reports_too_large_closed_forms(capsys):
    lines = ["a0 = x"] + [f"a{i} = sin(a{i - 1})*a{i - 1} + x" for i in range(1, 40)]
    path = "/tmp/symdiff_chain.prog"
    with open(path, "w") as fh:
        fh.write("\n".join(lines))
    assert main(["grad", path, "--wrt", "x"]) == 0
    assert "too large to substitute" in capsys.readouterr().out


def test_simplify_within_budget():
    g = symdiff.gradient(sp.sin(x) ** 2 + sp.cos(x) ** 2 + x, [x])
    assert g.closed_form(x, simplify=True, budget=20) == 1


def test_simplify_out_of_budget_degrades_with_a_warning():
    # a derivative whose simplification takes seconds (6 s here), so a 1e-4 s budget runs out however
    # loaded the machine is (with a quick one, a parent descheduled after the fork may poll too late)
    u = sp.Symbol("u_simplify_budget", real=True)
    f = (sp.sin(u) ** 2 + sp.cos(u) ** 2) ** 3 * sp.exp(u) * sp.log(1 + u ** 2) / (1 + sp.tanh(u) ** 2) \
        + sp.atan(sp.sinh(u)) * sp.cosh(u) ** 2
    g = symdiff.gradient(f, [u])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = g.closed_form(u, simplify=True, budget=1e-4)
    assert any(issubclass(w.category, SymdiffWarning) for w in caught)
    for value in (sp.Rational(3, 10), sp.Rational(-17, 10)):   # the unsimplified form, still right
        assert abs(sp.N((out - sp.diff(f, u)).subs(u, value), 30)) < 1e-25


def test_closed_form_size_estimate_grows_like_the_tree():
    # a_i = sin(a_{i-1}) * a_{i-1}: the tree doubles every level, the DAG grows by one node
    lines = ["a0 = x"] + [f"a{i} = sin(a{i - 1})*a{i - 1}" for i in range(1, 25)]
    g = symdiff.gradient("\n".join(lines), ["x"])
    assert g.estimated_size("x") > 2 ** 24
    with pytest.raises(symdiff.ClosedFormTooLarge) as info:
        g["x"]
    assert info.value.estimated_size == g.estimated_size("x")
    small = symdiff.gradient("\n".join(lines[:4]), ["x"])
    assert small.estimated_size("x") < 2000 and small["x"] != 0


def test_unknown_tie_policy_is_an_error():
    with pytest.raises(symdiff.SymdiffError, match="tie policy"):
        symdiff.gradient(sp.Max(x, y), [x], tie_policy="random")
