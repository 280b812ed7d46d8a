"""Singular points that SymPy's evaluation cancels while the text is read.

SymPy combines powers of one base as it builds: ``(x-y)**2/(x-y)`` is ``x - y`` and
``x*log(x)/log(x)`` is ``x`` before the verifier sees a quotient.  The readers note every
divisor (``symdiff.written``) and a side whose reading lost one keeps it as a line
(``verifier/as_written.py``): such a side is never proved equal to a side defined at the lost
point, exactly as if the division were visible.  Each test checks the named point independently:
the denominator as the test writes it vanishes there (exact SymPy), the other side is finite.
"""
from __future__ import annotations

import pytest
import sympy as sp

from symdiff import verify, verify_identity
from symdiff.latex import parse_latex
from symdiff.program import parse_expression, parse_program
from symdiff.written import noting

x, y = sp.symbols("x y", real=True)
B = 6  # seconds per case (a loaded machine)

# (id, lhs, rhs, the denominator the text divides by, the other side's value there)
CANCELLED = [
    ("power-of-a-difference", "(x-y)**2/(x-y)", "x-y", x - y, None),
    ("log-over-log", "x*log(x)/log(x)", "x", sp.log(x), sp.Integer(1)),
    ("latex-frac", r"\frac{(x-y)^2}{x-y}", "x - y", x - y, None),
    ("latex-log", r"\frac{x\log x}{\log x}", "x", sp.log(x), sp.Integer(1)),
    ("latex-sine", r"\frac{\sin^2 x}{\sin x}", r"\sin x", sp.sin(x), sp.Integer(0)),
    ("cube-over-square", "(x+1)**3/(x+1)**2", "x + 1", x + 1, sp.Integer(0)),
    ("program-line", "u = x - 1\nv = u**2/u", "x - 1", x - 1, sp.Integer(0)),
    ("latex-equation", r"\frac{(x+2)^3}{(x+2)^2} = x + 2", None, x + 2, sp.Integer(0)),
    ("to-a-constant", "(x-1)/(x-1)", "1", x - 1, sp.Integer(1)),
]


@pytest.mark.parametrize("cid,lhs,rhs,denominator,other", CANCELLED, ids=[c[0] for c in CANCELLED])
def test_cancelled_while_reading_is_not_proved(cid, lhs, rhs, denominator, other):
    r = verify_identity(lhs, rhs, budget=B)
    # refuted at an exact zero of the divisor (a polynomial's root, or log(1) and sin(0) for log and sin)
    assert r.status == "refuted", r.explanation
    assert "undefined" in r.explanation, r.explanation
    if denominator.free_symbols == {x}:
        # the point: a zero of the denominator (or, for log, where log itself has no value)
        root = sp.sympify(r.counterexample["exact_point"]["x"])
        at = denominator.subs(x, root)
        assert sp.simplify(at) == 0 or at.has(sp.zoo, sp.oo, -sp.oo), (root, r.explanation)
        assert other is None or sp.N(other.subs(x, root)).is_finite


def test_the_same_zero_set_on_both_sides_keeps_the_proof():
    # x**2/x and x**3/x**2 are both x, and both are undefined at 0: equal wherever either is defined
    assert verify_identity("x**2/x", "x**3/x**2", budget=B).status == "proved"
    assert verify_identity("1/(x*y)", "1/x/y", budget=B).status == "proved"


def test_a_domain_that_excludes_the_point_keeps_the_proof():
    assert verify_identity("(x-y)**2/(x-y)", "x - y", where=["x > y"], budget=B).status == "proved"
    assert verify_identity("x*log(x)/log(x)", "x", where=["x > 1"], budget=B).status == "proved"


@pytest.mark.parametrize("claim", ["2*x*(x-1)/(x-1)", "2*x*(x**2-1)/(x**2-1)", r"\frac{2x(x-1)}{x-1}"])
def test_derivative_claim_with_a_cancelled_factor_is_refuted_at_its_pole(claim):
    r = verify("x**2", "x", claim, budget=B)
    assert r.status == "refuted", r.explanation
    # the zeros of x - 1 and x**2 - 1, where dF/dx = 2x is 2 or -2
    point = sp.sympify(r.counterexample["exact_point"]["x"])
    assert point in (1, -1) and r.counterexample["actual"] == float(2 * point), r.explanation
    assert r.counterexample["claimed"] is None and f"At x = {point} the claim is " in r.explanation


def test_latex_statement_claim_keeps_its_denominator():
    r = verify("f(x) = x^2", "x", r"f'(x) = \frac{2x(x-1)}{x-1}", budget=B)
    assert r.status == "refuted" and "At x = 1 " in r.explanation, r.explanation
    r = verify(r"x^2", "x", r"\frac{2x(x-1)}{x-1}", budget=B)
    assert r.status == "refuted" and "At x = 1 " in r.explanation, r.explanation


def test_textbook_identities_with_visible_poles_are_not_refuted():
    # today's policy for visible removable singularities stays: no refutation of these
    for lhs, rhs in [(r"\tan 2x", r"\frac{2\tan x}{1-\tan^2 x}"), ("sec(x)**2 - tan(x)**2", "1"),
                     ("sin(x)/cos(x)", "tan(x)")]:
        assert verify_identity(lhs, rhs, budget=B).status in ("proved", "consistent")


def test_readers_note_divisors_only_when_asked():
    with noting() as notes:
        value = parse_expression("(x-y)**2/(x-y)")
    assert value == x - y and (x - y) in notes
    with noting() as notes:
        value = parse_latex(r"\frac{x \log x}{\log x}")
    assert value == x and sp.log(x) in notes and x in notes
    with noting() as notes:
        program = parse_program("u = x - 1\nv = u**2/u")
    assert program.assignments[-1][1] == program.targets()[0] and program.targets()[0] in notes
    assert parse_expression("(x-y)**2/(x-y)") == x - y   # no recorder: reading is unchanged
    with noting() as notes:
        parse_latex(r"\frac{1}{x} = \frac{y}{y}")
    assert notes.parts == [[x], [y]]
