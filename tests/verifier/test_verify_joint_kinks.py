"""Wrong claims hidden beyond two switches at once, and one-line program text.

``H(y - 1e9)*H(z - x - 1e9)`` is nonzero only where both switches are on: a probe next to one
kink with the other variables random never is.  The probes put a point next to one kink, then
solve the other kink for a variable the first did not fix.  The reported exact point is checked
here against the region worked out by hand, and the claimed and true values against the
formulas (sign(y - x) + sign(y - z) is the derivative of |x - y| + |y - z| in y).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from symdiff import verify
from symdiff.verifier import numeric
from symdiff.verifier.problem import derivative_problem

x, y, z = sp.symbols("x y z", real=True)
B = 6
CLAIM = "sign(y - x) - sign(z - y) + Heaviside(y - 10**9)*Heaviside(z - x - 10**9)"


def test_wrong_only_beyond_two_far_switches_is_refuted():
    v = verify("Abs(x - y) + Abs(y - z)", "y", CLAIM, budget=B)
    assert v.status == "refuted", v.explanation
    p = {sp.Symbol(k, real=True): sp.Rational(s) for k, s in v.counterexample["exact_point"].items()}
    assert p[y] > 10 ** 9 and p[z] - p[x] > 10 ** 9
    truth = (sp.sign(y - x) + sp.sign(y - z)).xreplace(p)
    assert v.counterexample["actual"] == float(truth) and v.counterexample["claimed"] == float(truth + 1)


def test_joint_probes_reach_the_quadrant():
    problem = derivative_problem("Abs(x - y) + Abs(y - z)", "y", CLAIM, [])
    points = numeric.probe_points(problem, np.random.default_rng(0), float("inf"))
    assert any(q["y"] > 10 ** 9 and q["z"] - q["x"] > 10 ** 9 for q in points)


def test_one_line_program_text_is_a_program():
    # 'F = x**2' is Python (a program), not a LaTeX statement; 'F = x if x else 0' is refused, not misread
    assert verify("F = x**2", "x", "2*x", budget=B).status == "proved"
    for bad in ("F = x if x else 0", "F = [x]"):
        try:
            verify(bad, "x", "0", budget=B)
        except Exception as exc:   # noqa: BLE001 - the type is checked below
            from symdiff.errors import SymdiffError
            assert isinstance(exc, SymdiffError)
        else:
            raise AssertionError(f"{bad!r} was not refused")
