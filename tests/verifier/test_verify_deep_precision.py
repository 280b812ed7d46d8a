"""A difference of e**-1000000 next to values of size 1: certified only at about 1.44 million bits.

SymPy cancels exp(x)*exp(-x) to 1 as the text is read, so the simplified difference is
-exp(-x**2 - 10**6), nonzero at every x; the strict comparison raises the precision to what the
sizes call for (up to 2**21 bits).  The reported values are checked against the exact formula:
the left-hand side is exactly 1, the right-hand side exceeds it by exp(-x**2 - 10**6).
"""
from __future__ import annotations

import mpmath
import sympy as sp

from symdiff import verify_identity


def test_a_difference_of_e_to_the_minus_a_million_is_refuted():
    v = verify_identity("exp(x)*exp(-x)", "1 + exp(-x**2 - 10**6)", budget=10)
    assert v.status == "refuted", v.explanation
    x0 = sp.Rational(v.counterexample["exact_point"]["x"])
    # printed digits: the exact side as it is, the other as it plus the certified difference
    assert " is 1 but the right-hand side is 1 + " in v.explanation, v.explanation
    shown = v.explanation.split("right-hand side is 1 + ")[1].split(" ")[0]
    with mpmath.workdps(30):
        true = mpmath.exp(-mpmath.mpf(x0.p) ** 2 / mpmath.mpf(x0.q) ** 2 - 10 ** 6)
        assert abs(mpmath.mpf(shown) / true - 1) < mpmath.mpf(10) ** -10
