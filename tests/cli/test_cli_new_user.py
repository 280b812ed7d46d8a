"""What a new user tries first: long expressions, missing files, a typo in --wrt, plain SymPy
symbols, ``python -m symdiff`` and a --help that loads neither SymPy nor NumPy."""
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp

import symdiff
from symdiff.cli import main
from symdiff.errors import ClosedFormTooLarge, readable_count

ROOT = pathlib.Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _run(*args):
    return subprocess.run([sys.executable, "-m", "symdiff", *args], capture_output=True, text=True, env=ENV,
                          cwd=ROOT, timeout=300)


def test_a_long_expression_is_an_expression(capsys):
    text = " + ".join(f"{k}*x**{k}*y" for k in range(1, 40))
    assert len(text) > 300 and "/" not in text
    assert main(["grad", text, "--wrt", "x"]) == 0
    line = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("dF/dx = ")][0]
    x, y = sp.symbols("x y", real=True)
    expected = sp.diff(sum(k * x ** k * y for k in range(1, 40)), x)
    assert sp.expand(symdiff.parse_expression(line.split("=", 1)[1]) - expected) == 0


def test_a_missing_path_says_no_such_file():
    proc = _run("grad", "examples/missing.prog", "--wrt", "x")
    assert proc.returncode == 2
    assert "no such file: examples/missing.prog" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("expression", ["x/y", "X.T"])
def test_a_division_or_transpose_is_not_taken_for_a_path(expression):
    from symdiff.cli import _PATH_LIKE

    assert not _PATH_LIKE.match(expression)
    assert _PATH_LIKE.match("examples/f.prog") and _PATH_LIKE.match("f.txt")


def test_an_unknown_wrt_is_an_error_naming_it_and_the_inputs():
    proc = _run("grad", "x*y", "--wrt", "q")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "--wrt q" in proc.stderr and "x, y" in proc.stderr
    assert proc.stderr.count("\n") == 1


def test_python_dash_m_symdiff_runs_the_cli():
    proc = _run("--help")
    assert proc.returncode == 0 and "usage: symdiff" in proc.stdout
    proc = _run("grad", "x*y", "--wrt", "x")
    assert proc.returncode == 0 and "dF/dx = y" in proc.stdout


@pytest.mark.parametrize("command", [[], ["grad"], ["verify"], ["report"], ["train"]])
def test_help_imports_neither_sympy_nor_numpy(command):
    code = ("import sys\nfrom symdiff.cli import main\n"
            f"try:\n    main({[*command, '--help']!r})\nexcept SystemExit:\n    pass\n"
            "print('LOADED', sorted(m for m in ('sympy', 'numpy') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, cwd=ROOT,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "LOADED []" in proc.stdout


def test_train_help_choices_agree_with_the_models():
    from symdiff.train.cli import ACTIVATION_NAMES, INIT_NAMES
    from symdiff.train.demos import MLP_OPTIONS

    assert ACTIVATION_NAMES == tuple(MLP_OPTIONS["activations"])
    assert INIT_NAMES == tuple(MLP_OPTIONS["inits"])


def test_every_api_taking_a_variable_accepts_plain_real_or_name():
    plain_x, plain_y = sp.symbols("x y")
    real_x, real_y = sp.symbols("x y", real=True)
    text = "S = x + y\nG = sin(S)\nF = G*x"
    expected = sp.diff(sp.sin(real_x + real_y) * real_x, real_x)
    for wrt in ([plain_x, plain_y], [real_x, real_y], ["x", "y"]):
        g = symdiff.gradient(text, wrt)
        for key in (plain_x, real_x, "x"):
            assert sp.simplify(g.closed_form(key) - expected) == 0
            assert sp.simplify(g[key] - expected) == 0
        fn = symdiff.compile(g, [plain_x, plain_y])
        _, (dx, _) = fn(0.3, 0.4)
        assert np.isclose(dx, float(expected.subs({real_x: 0.3, real_y: 0.4})))
    with pytest.raises(KeyError, match="not among the variables"):
        symdiff.gradient(text, ["x"])[sp.Symbol("z")]


def test_too_large_sizes_read_as_powers_of_ten():
    assert readable_count(12345) == "12,345"
    assert readable_count(37 * 10 ** 300) == "3.7 x 10^301"
    lines = ["a0 = x"] + [f"a{i} = sin(a{i - 1})*a{i - 1} + x" for i in range(1, 60)]
    g = symdiff.gradient("\n".join(lines), ["x"])
    with pytest.raises(ClosedFormTooLarge) as info:
        g.closed_form("x")
    assert "x 10^" in info.value.size_text and len(info.value.size_text) < 20
