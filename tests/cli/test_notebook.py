"""The example notebook runs (nbclient) and its gradient, program and verdicts display as LaTeX/HTML."""
import os
import pathlib

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "examples" / "symdiff_in_a_notebook.ipynb"


def _data(cell):
    return [o.get("data", {}) for o in cell.outputs if o.output_type in ("execute_result", "display_data")]


def test_the_example_notebook_runs_and_displays(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    gradient, program, closed, right, wrong, table = (_data(c)[0] for c in code)
    assert r"\textbf{adjoint program}" in gradient["text/latex"] and r"\bar{M}" in gradient["text/latex"]
    assert "H &= \\frac{1}{M}" in program["text/latex"]
    assert "cos" in closed["text/latex"] and "sin" in closed["text/latex"]   # SymPy's own display of g[x]
    assert ">proved</b>" in right["text/html"]
    assert ">refuted</b>" in wrong["text/html"] and "counterexample" in wrong["text/html"]
    assert "<table>" in table["text/html"] and "verdicts match" in table["text/html"]
