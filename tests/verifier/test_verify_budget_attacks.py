"""Inputs that attack the budget, the memory or the readers of ``verify`` / ``verify_identity``
(from the adversarial suite ``tests/adversarial/suite_budgets.py``, ids ``b10_``).

Each case states the outcome it must get: a verdict, or a ``SymdiffError`` with a message that
names the problem, within the budget plus a generous slack (CI machines are loaded; the bar
itself is budget + 1 s, measured by ``tests/adversarial/run.py``).
"""
from __future__ import annotations

import time
from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from symdiff import ParseError, SymdiffError, parse_latex, parse_expression, verify, verify_identity

x, y = sp.symbols("x y", real=True)
SLACK = 3.0      # seconds beyond the budget a loaded CI machine may take


def _timed(call):
    t0 = time.monotonic()
    try:
        outcome = call()
    except SymdiffError as error:
        outcome = error
    return outcome, time.monotonic() - t0


def _determinant_text(n: int) -> str:
    rows = (" & ".join(f"a_{{{i}{j}}} x" if i == j else f"x^{{{i + j}}}" for j in range(n)) for i in range(n))
    return r"\det\begin{pmatrix}" + r"\\".join(rows) + r"\end{pmatrix}"


def _nested_abs(depth: int):
    e = x
    for k in range(depth):
        e = sp.Abs(sp.Add(e, -k, evaluate=False), evaluate=False)
    return e


# (id, call, budget, outcome): outcome is a verdict status, or a SymdiffError class and a phrase of its message
ATTACKS = [
    # a LaTeX statement is read before anything else: its size is refused, its reading budgeted
    # (refusals get a longer budget: on a loaded machine a 1 s budget may run out first, which is fine too)
    ("statement-too-long", lambda: verify(" + ".join([r"\sin x"] * 60000), "x", "0", budget=5), 5,
     (ParseError, "statement of 539,997 characters")),
    ("chain-of-3000-links", lambda: verify("f(x) = x^2", "x", "f'(x) = 2x = " + " = ".join(["2x"] * 3000), budget=1), 1,
     "undetermined"),
    ("determinant-12x12", lambda: verify(_determinant_text(12), "x", "0", budget=5), 5,
     (ParseError, "determinant of a 12x12 matrix")),
    ("unclosed-braces", lambda: verify("x", "x", "{" * 100000, budget=5), 5, (ParseError, "exceeds the limit")),
    # where= strings: a structure phrase is matched in linear time
    ("where-4M-spaces", lambda: verify("x", "x", "1", where=["x > 0" + " " * 4_000_000], budget=5), 5, "proved"),
    # towers across the lines of a program, and DAGs whose tree is exponential
    ("program-tower", lambda: verify("a = 10**1000\nb = a**1000\nc = b**1000\nF = c*x", "x", "0", budget=5), 5,
     "refuted"),     # kept as a power across the lines: dF/dx = 10**(10**9) is certainly not 0
    ("program-squares-dag", lambda: verify("\n".join(["a0 = x"] + [f"a{i} = a{i - 1}*a{i - 1}" for i in range(1, 70)]),
                                           "x", "0", budget=1), 1, None),
    ("program-50000-lines", lambda: verify("\n".join(f"a{i} = a{i - 1}*x + 1" if i else "a0 = x" for i in range(50_000)),
                                           "x", "0", budget=1), 1, None),
    # SymPy objects whose own evaluation is the attack
    ("nested-unevaluated-abs", lambda: verify(_nested_abs(200), x, 0, budget=1), 1, None),
    ("float-1e1000000", lambda: verify(sp.Float(mpmath.mpf("1e1000000")) * x, x, sp.Float(mpmath.mpf("1e1000000")),
                                       budget=1), 1, None),
    ("power-10^10^6-unevaluated", lambda: verify(sp.Pow(10, 10**6, evaluate=False) * x, x, 0, budget=1), 1, None),
    ("identity-of-2^10^7", lambda: verify_identity(sp.Pow(2, 10**7, evaluate=False) * x,
                                                   x * sp.Pow(2, 10**7, evaluate=False), budget=1), 1, None),
]


@pytest.mark.parametrize("cid, call, budget, expected", ATTACKS, ids=[a[0] for a in ATTACKS])
def test_attack_is_bounded(cid, call, budget, expected):
    outcome, seconds = _timed(call)
    assert seconds <= budget + SLACK, f"{cid}: {seconds:.1f} s"
    if isinstance(expected, str):
        assert getattr(outcome, "status", None) == expected, outcome
    elif isinstance(expected, tuple):
        cls, phrase = expected
        assert isinstance(outcome, cls) and phrase in str(outcome), repr(outcome)
    else:   # any verdict or a SymdiffError (never a raw exception: that would fail the call above)
        assert isinstance(outcome, SymdiffError) or outcome.status in ("proved", "refuted", "consistent", "undetermined")


def _one_variable_determinant(n: int) -> str:
    rows = (" & ".join(f"x + {i}" if i == j else f"x^{{{i + j}}}" for j in range(n)) for i in range(n))
    return r"\det\begin{pmatrix}" + r"\\".join(rows) + r"\end{pmatrix}"


def test_written_out_determinants_are_expanded_fast_or_refused():
    t0 = time.monotonic()
    parse_latex(_determinant_text(7))
    assert time.monotonic() - t0 < 5
    for n in (4, 5):
        value = parse_latex(_one_variable_determinant(n))
        (v,) = value.free_symbols
        expected = sp.Matrix(n, n, lambda i, j: v + i if i == j else v ** (i + j)).det()   # SymPy's own
        assert sp.expand(value - expected) == 0
    t0 = time.monotonic()
    with pytest.raises(ParseError, match="at most 7x7"):
        parse_latex(_determinant_text(8))
    assert time.monotonic() - t0 < 5
    assert parse_latex(r"\det\begin{pmatrix} 1 & 2 & 3 & 4 \\ 0 & 1 & 0 & 0 \\ 0 & 0 & 2 & 0 \\ 1 & 0 & 0 & 1 "
                       r"\end{pmatrix}") == sp.Matrix([[1, 2, 3, 4], [0, 1, 0, 0], [0, 0, 2, 0], [1, 0, 0, 1]]).det()


@pytest.mark.parametrize("budget", [2**2000, Fraction(10**400, 3), -10**400])
def test_budgets_beyond_the_float_range_are_accepted(budget):
    verdict = verify("x**2", "x", "2*x", budget=budget)
    assert verdict.status == ("proved" if budget > 0 else "undetermined")


def test_odd_budgets_are_refused_with_a_short_message():
    for bad in ("5" * 10_000, sp.oo, sp.nan, [1], complex(1, 0)):
        with pytest.raises(SymdiffError, match="budget must be a number of seconds") as info:
            verify("x**2", "x", "2*x", budget=bad)
        assert len(str(info.value)) < 200


def test_huge_numbers_are_named_shortly():
    with pytest.raises(ParseError, match="about 1,000 digits") as info:
        parse_expression("x*(10**1000)**(10**1000)")
    assert len(str(info.value)) < 200
    with pytest.raises(ParseError, match="integer literal too long") as info:
        parse_expression("x*" + "1" * 29000)
    assert "set_int_max_str_digits" not in str(info.value) and len(str(info.value)) < 200


def test_a_program_line_nested_past_pythons_parser_is_a_syntax_error_not_latex():
    with pytest.raises(ParseError, match="too many nested parentheses"):
        verify("F = " + "(" * 20000 + "x" + ")" * 20000, "x", "1", budget=1)


def test_a_function_sympy_cannot_differentiate_in_an_argument_is_no_raw_error():
    # d polylog(s, x) / d s: SymPy raises an ArgumentIndexError that cannot even print itself
    verdict = verify(sp.polylog(3, x), x, sp.polylog(2, x) / x, budget=2)
    assert verdict.status in ("proved", "consistent", "undetermined")


def test_latex_statements_still_read_under_the_whole_call_budget():
    assert verify(r"f(x) = x^2", "x", r"f'(x) = 2x", budget=5).status == "proved"
    assert verify(r"f(x) = x^2", "x", r"f'(x) = 3x", budget=5).status == "refuted"
    assert verify(r"f(x) = x^2", "x", r"f'(x) = 2x", budget=0).status == "undetermined"


def test_a_long_written_number_is_refused_by_its_digits():
    with pytest.raises(ParseError, match="19,000 digits is too long"):
        parse_latex("9" * 19000 + " x")
    assert parse_latex("9" * 3999 + " x").as_coeff_Mul()[0] == 10**3999 - 1


def test_nesting_past_pythons_parser_is_named():
    for text in ("-" * 1_000_000 + "x", "x" + "**x" * 100000):
        with pytest.raises(ParseError, match="nested too deeply"):
            parse_expression(text)


def test_odd_variables_and_numeric_claims():
    with pytest.raises(SymdiffError, match="variables must map names to shapes"):
        verify("x", "x", "1", variables="x")
    import numpy as np
    assert verify("x**2/3", "x", Fraction(2, 3) * sp.Symbol("x"), budget=5).status == "proved"
    assert verify("x", "x", Fraction(1, 1), budget=5).status == "proved"
    assert verify("x", "x", np.int64(1), budget=5).status == "proved"
    # a SymPy Float keeps its precision (it is not passed through a double)
    assert verify("x", "x", sp.Float("1.00000000000000000000000000001", 40), budget=5).status == "refuted"


def _big(digits: int):
    return sp.Integer(10**digits + 7)


def test_integers_past_pythons_printing_limit_are_verdicts_or_named():
    # 5,000 digits: more than Python prints by default (4,300); the verdict still prints them
    assert verify(_big(5000) * x, x, _big(5000), budget=5).status == "proved"
    assert verify(r"f(x) = x^2", "x", _big(5000), budget=5).status == "refuted"
    assert verify(x, x, 1, where=[x > _big(5000)], budget=5).status == "proved"
    assert verify(x**2, x, 2 * x + sp.Heaviside(x - _big(5000)), where=[x > _big(5000)], budget=5).status == "refuted"
    # a million digits would take half a minute to print: refused by name
    with pytest.raises(SymdiffError, match="more than 100,000 digits"):
        verify(x, x, 1, where=[x > _big(10**6)], budget=5)


def _sleeper():
    time.sleep(60)


def test_killed_steps_return_at_once_and_are_reaped():
    import multiprocessing as mp
    from symdiff.budget import run_with_budget
    from symdiff.errors import BudgetExceeded
    for _ in range(3):
        t0 = time.monotonic()
        with pytest.raises(BudgetExceeded):
            run_with_budget(_sleeper, seconds=0.3)
        assert time.monotonic() - t0 < 0.3 + SLACK
    deadline = time.monotonic() + 10
    while mp.active_children() and time.monotonic() < deadline:   # (active_children reaps finished ones)
        time.sleep(0.1)
    assert not mp.active_children()
