"""Budget, memory and bad-input attacks on verify / verify_identity and the readers they use
(program text, LaTeX, where= strings, wrt strings).  Appended to ``suite.CASES``; ids ``b10_``.

truth as in ``suite.py``; most cases are 'any' (a verdict or a SymdiffError, within budget + 1 s)
or 'err' (must be a SymdiffError).  Cases calling a reader (``parse_latex``...) directly use
``budget`` only as the time limit: the reader must answer or refuse within budget + 1 s.
Builders run in the forked child before the clock starts, so they only build cheap objects
(unevaluated SymPy where evaluation would be the attack).
"""
from fractions import Fraction
from decimal import Decimal

import sympy as sp

from suite import CASES, V, I, x, y, z, t  # noqa: F401


def add(cid, family, truth, thunk, budget=3):
    CASES.append(("b10_" + cid, family, truth, budget, thunk))


def P(reader, text, budget=2, **kwargs):
    """A reader called directly: ``budget`` is only the time limit of the case."""
    return (reader, (text,), kwargs)


def _np():
    import numpy
    return numpy


def _sd():
    import symdiff
    return symdiff


def _unevaluated_power(base, exponent):
    return sp.Pow(sp.Integer(base), sp.Integer(exponent), evaluate=False)


# ---------------------------------------------------------------- integer towers and huge numbers in program text
add("t01", "tower", 'any', lambda: V("x*2**2**2**2**2**2", "x", "0", budget=1), budget=1)
add("t02", "tower", 'any', lambda: V("x*(2**(10**5))**(10**5)", "x", "0", budget=1), budget=1)
add("t03", "tower", 'any', lambda: V("x**(10**10**10)", "x", "0", budget=1), budget=1)
add("t04", "tower", 'any', lambda: V("x*10**-10**6", "x", "0", budget=1), budget=1)
add("t05", "tower", 'any', lambda: V("x*(-1)**(10**100)", "x", "1", budget=1), budget=1)
add("t06", "tower", 'any', lambda: V("x*(1/2)**(10**9)", "x", "0", budget=1), budget=1)
add("t07", "tower", 'any', lambda: V("x*2.0**(10**9)", "x", "0", budget=1), budget=1)
add("t08", "tower", 'any', lambda: V("x*1e1000000", "x", "1e1000000", budget=1), budget=1)
add("t09", "tower", 'any', lambda: V("factorial(factorial(10))*x", "x", "0", budget=1), budget=1)
add("t10", "tower", 'any', lambda: V("binomial(10**9, 5*10**8)*x", "x", "0", budget=1), budget=1)
add("t11", "tower", 'any', lambda: V("gamma(10**9)*x", "x", "0", budget=1), budget=1)
add("t12", "tower", 'any', lambda: V("x*2**(3**(4**5))", "x", "0", budget=1), budget=1)
add("t13", "tower", 'any', lambda: V("x*(10**99999 + 1)**3", "x", "0", budget=1), budget=1)
add("t14", "tower", 'any', lambda: V("(x**2)**(10**50)", "x", "2*10**50*x**(2*10**50 - 1)", budget=2), budget=2)
add("t15", "tower", 'any', lambda: V("exp(10**10**5)*x", "x", "0", budget=1), budget=1)
add("t16", "tower", 'any', lambda: V("x*sqrt(10**(10**6))", "x", "0", budget=1), budget=1)
add("t17", "tower", 'any', lambda: V("x*10**(10**5 - 10**5 + 10**6)", "x", "0", budget=1), budget=1)
add("t18", "tower", 'any', lambda: V("x*floor(10**(10**6)*pi)", "x", "0", budget=1), budget=1)
add("t19", "tower", 'any', lambda: V("x*factorial(10**6)/factorial(10**6 - 1)", "x", "10**6", budget=1), budget=1)
add("t20", "tower", 'any', lambda: I("2**(2**20)*x", "x*2**(2**20)", budget=1), budget=1)
add("t21", "tower", 'any', lambda: V("x*" + "*".join(["10**90000"] * 40), "x", "0", budget=1), budget=1)
add("t22", "tower", 'any', lambda: V("x*(" + "+".join(["10**90000"] * 40) + ")**4", "x", "0", budget=1), budget=1)
add("t23", "tower", 'any', lambda: V("x*" + "1" * 29000 + "**" + "9" * 5, "x", "0", budget=1), budget=1)
add("t24", "tower", 'any', lambda: V("x*(10**1000)**(10**1000)", "x", "0", budget=1), budget=1)
add("t25", "tower", 'any', lambda: V("x*0.5**(-10**9)", "x", "0", budget=1), budget=1)
add("t26", "tower", 'any', lambda: V("x*(7/3)**(10**6)", "x", "0", budget=1), budget=1)
add("t27", "tower", 'any', lambda: V("x*Abs(-10**99999)**3", "x", "0", budget=1), budget=1)
add("t28", "tower", 'any', lambda: V("x*sin(10**10**10)", "x", "0", budget=1), budget=1)
add("t29", "tower", 'any', lambda: V("x*exp(exp(exp(10)))", "x", "0", budget=1), budget=1)
add("t30", "tower", 'any', lambda: V("log(x)**(10**9)", "x", "0", budget=1), budget=1)

# ---------------------------------------------------------------- towers across the lines of a program (each line alone is small)
add("p01", "program", 'any', lambda: V("a = 10**1000\nb = a**1000\nc = b**1000\nF = c*x", "x", "0", budget=1), budget=1)
add("p02", "program", 'any', lambda: V("n = 2**16\nm = 2**n\nF = m**m*x", "x", "0", budget=1), budget=1)
add("p03", "program", 'any', lambda: V("\n".join(["a0 = x"] + [f"a{i} = a{i - 1}*a{i - 1}" for i in range(1, 70)]),
                                       "x", "0", budget=1), budget=1)
add("p04", "program", 'any', lambda: V("\n".join(["a0 = x"] + [f"a{i} = sin(a{i - 1}) + cos(a{i - 1})" for i in range(1, 45)]),
                                       "x", "0", budget=1), budget=1)
add("p05", "program", 'any', lambda: V("\n".join(["a0 = x"] + [f"a{i} = a{i - 1} + a{i - 1}" for i in range(1, 80)]),
                                       "x", "2**79", budget=1), budget=1)
add("p06", "program", 'any', lambda: V("\n".join(["a0 = 10"] + [f"a{i} = a{i - 1}*a{i - 1}" for i in range(1, 40)]
                                                 + ["F = a39*x"]), "x", "0", budget=1), budget=1)
add("p07", "program", 'any', lambda: V("\n".join(f"a{i} = a{i - 1}*x + 1" if i else "a0 = x" for i in range(50_000)),
                                       "x", "0", budget=1), budget=1)
add("p08", "program", 'any', lambda: V("\n".join(["F = x"] * 100_000), "x", "1", budget=1), budget=1)
add("p09", "program", 'any', lambda: V("a = a + 1\nF = a*x", "x", "1", budget=1), budget=1)
add("p10", "program", 'any', lambda: V("F = " + "(" * 20000 + "x" + ")" * 20000, "x", "1", budget=1), budget=1)
add("p11", "program", 'any', lambda: V("F = x\r\n\tG = 2", "x", "1", budget=1), budget=1)
add("p12", "program", 'any', lambda: V("\n".join(["a0 = x"] + [f"a{i} = a{i - 1}**2" for i in range(1, 60)]),
                                       "x", "0", budget=1), budget=1)
add("p13", "program", 'any', lambda: V("\n".join(["a0 = x"] + [f"a{i} = exp(a{i - 1}) + a{i - 1}" for i in range(1, 40)]),
                                       "x", "1", budget=1), budget=1)
add("p14", "program", 'any', lambda: V("a = 10**50000\nb = a*a*a*a*a*a*a*a\nF = b*x", "x", "0", budget=1), budget=1)
add("p15", "program", 'any', lambda: I("\n".join(["a0 = x + y"] + [f"a{i} = a{i - 1}*(a{i - 1} + 1)" for i in range(1, 30)]),
                                       "0", budget=1), budget=1)
add("p16", "program", 'any', lambda: V("x: (1000000, 1000000)\nF = sum(x)", "x", "1", budget=1), budget=1)
add("p17", "program", 'any', lambda: V("F = x" + " " * 4_900_000, "x", "1", budget=1), budget=1)
add("p18", "program", 'any', lambda: V("\n" * 4_000_000 + "F = x", "x", "1", budget=1), budget=1)
add("p19", "program", 'any', lambda: V("# " + "c" * 4_000_000 + "\nF = x", "x", "1", budget=1), budget=1)
add("p20", "program", 'any', lambda: V("\n".join(f"a{i} = x + {i}" for i in range(1, 3000)) + "\nF = "
                                       + "*".join(f"a{i}" for i in range(1, 3000)), "x", "0", budget=1), budget=1)

# ---------------------------------------------------------------- huge numbers and towers in LaTeX
add("l01", "latex", 'any', lambda: V(r"x \cdot {{2^{100}}^{100}}^{100}", "x", "0", budget=1), budget=1)
add("l02", "latex", 'any', lambda: V(r"10^{10^{10^{10}}} x", "x", "0", budget=1), budget=1)
add("l03", "latex", 'any', lambda: V(r"x \cdot 10^{-10^{6}}", "x", "0", budget=1), budget=1)
add("l04", "latex", 'any', lambda: V(r"(10^{6})! \, x", "x", "0", budget=1), budget=1)
add("l05", "latex", 'any', lambda: V(r"\binom{10^{100}}{10^{50}} x", "x", "0", budget=1), budget=1)
add("l06", "latex", 'any', lambda: V(r"\Gamma(10^{100}) x", "x", "0", budget=1), budget=1)
add("l07", "latex", 'any', lambda: V(r"\sum_{k=1}^{10^{100}} k x", "x", "0", budget=1), budget=1)
add("l08", "latex", 'any', lambda: V(r"\prod_{k=1}^{10^{6}} (x + k)", "x", "0", budget=1), budget=1)
add("l09", "latex", 'any', lambda: V(r"\sum_{k=1}^{10^{5}} x^{k}", "x", "0", budget=1), budget=1)
add("l10", "latex", 'any', lambda: V(r"\sqrt[10^{100}]{x}", "x", "0", budget=1), budget=1)
add("l11", "latex", 'any', lambda: V(r"x^{1/0}", "x", "0", budget=1), budget=1)
add("l12", "latex", 'any', lambda: V(r"e^{e^{e^{e^{e^{x}}}}}", "x", "0", budget=1), budget=1)
add("l13", "latex", 'any', lambda: V(" + ".join([r"\sin x"] * 60000), "x", "0", budget=1), budget=1)
add("l14", "latex", 'any', lambda: V(r"\frac{d}{dx}" * 300 + "x", "x", "0", budget=1), budget=1)
add("l15", "latex", 'any', lambda: V(r"\left(" * 3000 + "x" + r"\right)" * 3000, "x", "1", budget=1), budget=1)
add("l16", "latex", 'any', lambda: V("x", "x", r"\sqrt{" * 3000 + "x" + "}" * 3000, budget=1), budget=1)
add("l17", "latex", 'any', lambda: V(r"x \cdot 10^{10^{5}} \cdot 10^{10^{5}} \cdot 10^{10^{5}}", "x", "0", budget=1), budget=1)
add("l18", "latex", 'any', lambda: V(r"x \cdot 2^{2^{2^{2^{2^{2}}}}}", "x", "0", budget=1), budget=1)
add("l19", "latex", 'any', lambda: V(r"f(x) = {{10^{1000}}^{1000}}^{1000} x", "x", r"f'(x) = 0", budget=1), budget=1)
add("l20", "latex", 'any', lambda: V(r"f(x) = x^2", "x", r"f'(x) = 2x = " + " = ".join(["2x"] * 3000), budget=1), budget=1)
add("l21", "latex", 'any', lambda: I(r"{{10^{1000}}^{1000}}^{1000} x = x", None, budget=1), budget=1)
add("l22", "latex", 'any', lambda: V(r"\prod_{k=1}^{40} (x + k)", "x", "0", budget=1), budget=1)
add("l23", "latex", 'any', lambda: V(r"\det\begin{pmatrix}" + r"\\".join(
    " & ".join(f"a_{{{i}{j}}} x" if i == j else f"x^{{{i + j}}}" for j in range(12)) for i in range(12))
    + r"\end{pmatrix}", "x", "0", budget=1), budget=1)
add("l24", "latex", 'any', lambda: V(r"x^{" + "9" * 40000 + "}", "x", "0", budget=1), budget=1)
add("l25", "latex", 'any', lambda: V(r"x \cdot 10^{10^{6}} - x \cdot 10^{10^{6}}", "x", "0", budget=1), budget=1)
# readers called directly: answer or refuse fast
add("l26", "reader", 'any', lambda: P("parse_latex", r"{{10^{1000}}^{1000}}^{1000} x"), budget=2)
add("l27", "reader", 'any', lambda: P("parse_latex", r"\left(" * 5000 + "x" + r"\right)" * 5000), budget=2)
add("l28", "reader", 'any', lambda: P("parse_latex", r"(10^{9})!"), budget=2)
add("l29", "reader", 'any', lambda: P("parse_latex", r"\prod_{k=1}^{10^{7}} k"), budget=2)
add("l30", "reader", 'any', lambda: P("parse_latex", r"\sum_{k=1}^{10^{7}} k^{2}"), budget=2)
add("l31", "reader", 'any', lambda: P("parse_latex", " + ".join(["x"] * 200000)), budget=2)
add("l32", "reader", 'any', lambda: P("parse_expression", "2**2**2**2**2**2"), budget=2)
add("l33", "reader", 'any', lambda: P("parse_program", "a = 10**1000\nb = a**1000\nc = b**1000\nF = c*x"), budget=2)
add("l34", "reader", 'any', lambda: P("parse_latex", r"\binom{10^{9}}{5 \cdot 10^{8}}"), budget=2)
add("l35", "reader", 'any', lambda: P("parse_latex", r"\frac{1}{" * 5000 + "x" + "}" * 5000), budget=2)

# ---------------------------------------------------------------- malformed LaTeX: control characters, unicode, braces, macros
add("u01", "badlatex", 'err', lambda: V("x", "x", r"\frac{1}{x}}"))
add("u02", "badlatex", 'err', lambda: V("x", "x", r"\frac{{1}{x}"))
add("u03", "badlatex", 'any', lambda: V("x", "x", r"\foo{x}"))
add("u04", "badlatex", 'err', lambda: V("x", "x", "\\sin{x}\x00"))
add("u05", "badlatex", 'any', lambda: V("x", "x", "\x1b[31m\\cdot 1"))
add("u06", "badlatex", 'any', lambda: V("x²", "x", "2x"))
add("u07", "badlatex", 'any', lambda: V("x", "x", r"\left( 1 \right."))
add("u08", "badlatex", 'err', lambda: V("x", "x", r"\begin{cases} 1 & x > 0"))
add("u09", "badlatex", 'err', lambda: V("x", "x", "\\frac{1}{\ud800}"))
add("u10", "badlatex", 'any', lambda: V("x\u200b", "x", "1"))
add("u11", "badlatex", 'F|err', lambda: V("\u0445", "x", "1"))     # a Cyrillic kha, not x
add("u12", "badlatex", 'any', lambda: V("\ufeffx", "x", "1"))
add("u13", "badlatex", 'any', lambda: V("\U0001d465", "x", "1"))   # mathematical italic x
add("u14", "badlatex", 'any', lambda: V("x\u202e+1", "x", "1"))
add("u15", "badlatex", 'err', lambda: V("x", "x", "\\" * 10000))
add("u16", "badlatex", 'err', lambda: V("x", "x", "{" * 100000))
add("u17", "badlatex", 'any', lambda: V("x", "x", "}" * 100000))
add("u18", "badlatex", 'any', lambda: V("x", "x", r"\frac{1}{2}" + "\\" + "left" * 10000))
add("u19", "badlatex", 'any', lambda: V("x", "x", "$" * 10001))
add("u20", "badlatex", 'any', lambda: V("x", "x", r"\text{" + "a" * 100000 + "}"))
add("u21", "badlatex", 'any', lambda: V("x", "x", "_" * 5000 + "x"))
add("u22", "badlatex", 'any', lambda: V("x", "x", "x^" * 5000 + "x"))
add("u23", "badlatex", 'any', lambda: V("x", "x", "&" * 5000))
add("u24", "badlatex", 'any', lambda: V("x", "x", r"\begin{pmatrix}" * 2000 + "1" + r"\end{pmatrix}" * 2000, budget=1), budget=1)
add("u25", "badlatex", 'any', lambda: V(b"x", "x", "1"))

# ---------------------------------------------------------------- pathological where= clauses
add("w01", "where", 'any', lambda: V("x", "x", "1", where=["x > 2**2**2**2**2**2"], budget=1), budget=1)
add("w02", "where", 'any', lambda: V("x", "x", "1", where=["x**(10**9) > 1"], budget=1), budget=1)
add("w03", "where", 'any', lambda: V("x", "x", "1", where=["x > 0 and y > 0"]))
add("w04", "where", 'any', lambda: V("x", "x", "1", where=["x > 0" + " " * 4_000_000], budget=1), budget=1)
add("w05", "where", 'any', lambda: V("x", "x", "1", where=["(" * 20000 + "x" + ")" * 20000 + " > 0"], budget=1), budget=1)
add("w06", "where", 'any', lambda: V("x*y", "x", "y", where=["0 < x < 1 < y < 2"]))
add("w07", "where", 'any', lambda: V("x", "x", "1", where=["x != x"]))
add("w08", "where", 'any', lambda: V("x", "x", "2", where=["x > 1", "x < 0"]))
add("w09", "where", 'any', lambda: V(x * y, x, y, where=[sp.Eq(y, sp.Pow(y, 10**9, evaluate=False))], budget=1), budget=1)
add("w10", "where", 'any', lambda: V("x", "x", "1", where="x > 0"))
add("w11", "where", 'err', lambda: V("x", "x", "1", where=[b"x > 0"]))
add("w12", "where", 'err', lambda: V("x", "x", "1", where=[None]))
add("w13", "where", 'any', lambda: V("x", "x", "1", where=["x > 1e1000000"], budget=1), budget=1)
add("w14", "where", 'any', lambda: V("x", "x", "1", where=[x > sp.Pow(10, 10**6, evaluate=False)], budget=1), budget=1)
add("w15", "where", 'err', lambda: V("x", "x", "1", where=["x > 0\x00"]))
add("w16", "where", 'any', lambda: V("x", "x", "1", where={"x > 0"}))
add("w17", "where", 'any', lambda: V("x", "x", "1", where=(c for c in ["x > 0"])))
add("w18", "where", 'any', lambda: V("x", "x", "1", where=[r"x > \frac{1}{2}"]))
add("w19", "where", 'any', lambda: V("x", "x", "1", where=[" > ".join(["x"] * 20000)], budget=1), budget=1)
add("w20", "where", 'any', lambda: V("x*y", "x", "y", where=[f"Eq(y, {'x*' * 3000}1)"], budget=1), budget=1)
add("w21", "where", 'any', lambda: V("x", "x", "1", where=["x > (10**1000)**1000"], budget=1), budget=1)
add("w22", "where", 'any', lambda: V("x", "x", "1", where=["x > factorial(10**8)"], budget=1), budget=1)
add("w23", "where", 'any', lambda: V("x", "x", "1", where=[f"x > {k}" for k in range(5000)] + ["x < 1"], budget=1), budget=1)
add("w24", "where", 'any', lambda: V(x, x, 1, where=[sp.And(*[x > k for k in range(3000)])], budget=1), budget=1)
add("w25", "where", 'any', lambda: V(x, x, 1, where=[sp.Or(*[sp.And(x > 2 * k, x < 2 * k + 1) for k in range(500)])], budget=1), budget=1)
add("w26", "where", 'any', lambda: V("x", "x", "1", where=["x" * 1_000_000 + " > 0"], budget=1), budget=1)
add("w27", "where", 'any', lambda: V("x", "x", "1", where=[sp.Symbol("x") > 0]))
add("w28", "where", 'any', lambda: V("x", "x", "1", where=["sin(x) > 2"]))

# ---------------------------------------------------------------- odd budgets
add("o01", "oddbudget", 'any', lambda: V("x**2", "x", "2*x", budget=0), budget=0)
add("o02", "oddbudget", 'err', lambda: V("x**2", "x", "2*x", budget=True), budget=0)
add("o03", "oddbudget", 'any', lambda: V("x**2", "x", "2*x", budget=_np().float32(1.5)), budget=2)
add("o04", "oddbudget", 'any', lambda: V("x**2", "x", "2*x", budget=sp.Float(1)), budget=1)
add("o05", "oddbudget", 'err', lambda: V("x**2", "x", "2*x", budget=sp.oo), budget=0)
add("o06", "oddbudget", 'err', lambda: V("x**2", "x", "2*x", budget=sp.nan), budget=0)
add("o07", "oddbudget", 'any', lambda: V("x**2", "x", "2*x", budget=Fraction(1, 2)), budget=1)
add("o08", "oddbudget", 'any', lambda: V("x**2", "x", "2*x", budget=Decimal("1")), budget=1)
add("o09", "oddbudget", 'err', lambda: V("x**2", "x", "2*x", budget=complex(1, 0)), budget=0)
add("o10", "oddbudget", 'err', lambda: V("x**2", "x", "2*x", budget=[1]), budget=0)
add("o11", "oddbudget", 'err', lambda: V("x**2", "x", "2*x", budget=None), budget=0)
add("o12", "oddbudget", 'any', lambda: V("x**2", "x", "2*x", budget=-0.0), budget=0)
add("o13", "oddbudget", 'any', lambda: V("x**2", "x", "2*x", budget=1e-300), budget=0)
add("o14", "oddbudget", 'any', lambda: V("x**2", "x", "2*x", budget=2**2000), budget=30)
add("o15", "oddbudget", 'any', lambda: V("x**2", "x", "2*x", budget=_np().int64(1)), budget=1)
add("o16", "oddbudget", 'any', lambda: V("x**2", "x", "2*x", budget=_np().array(1.0)), budget=1)
add("o17", "oddbudget", 'any', lambda: V("x**2", "x", "2*x", budget=5e-324), budget=0)
add("o18", "oddbudget", 'any', lambda: I("x", "x", budget=-10**400), budget=0)
add("o19", "oddbudget", 'any', lambda: V("x**2", "x", "2*x", budget=sp.Rational(1, 3)), budget=1)
add("o20", "oddbudget", 'any', lambda: V(r"f(x) = x^2", "x", r"f'(x) = 2x", budget=0), budget=0)
add("o21", "oddbudget", 'any', lambda: V(r"f(x) = x^2", "x", r"f'(x) = 2x = 2x = 2x = 2x = 2x = 2x", budget=0.1), budget=0.1)
add("o22", "oddbudget", 'any', lambda: V(r"f(x) = x^2", "x", r"f'(x) = 2x", budget=float("inf")), budget=30)
add("o23", "oddbudget", 'err', lambda: V("x**2", "x", "2*x", budget=_np().float64("nan")), budget=0)
add("o24", "oddbudget", 'err', lambda: V("x**2", "x", "2*x", budget="inf"), budget=0)

# ---------------------------------------------------------------- odd wrt
add("r01", "wrt", 'any', lambda: V(x**2, [x, x], [2 * x, 2 * x]))
add("r02", "wrt", 'any', lambda: V("x**2", "x, x", "[2*x, 2*x]"))
add("r03", "wrt", True, lambda: V("x**2", "q", "0"))
add("r04", "wrt", 'any', lambda: V(x**2 + y, sp.Matrix([x, y]), sp.Matrix([2 * x, 1])))
add("r05", "wrt", 'err', lambda: V("x", sp.Integer(1), "0"))
add("r06", "wrt", 'err', lambda: V("sin(x)", "sin(x)", "1"))
add("r07", "wrt", 'err', lambda: V("x", "x\x00", "1"))
add("r08", "wrt", 'err', lambda: V("x", "1x", "1"))
add("r09", "wrt", 'err', lambda: V("x", [], "1"))
add("r10", "wrt", 'any', lambda: V("x", [f"v{i}" for i in range(10000)], ["0"] * 10000, budget=1), budget=1)
add("r11", "wrt", 'any', lambda: V("x", "x" * 100000, "0", budget=1), budget=1)
add("r12", "wrt", 'err', lambda: V("x", sp.Function("g")(x), "0"))
add("r13", "wrt", 'any', lambda: V("x", ("x",), ["1"]))
add("r14", "wrt", "F|err", lambda: V("x", "lambda", "1"))      # a name, never code: d x / d lambda = 0
add("r15", "wrt", 'any', lambda: V("x", "__import__", "0"))
add("r16", "wrt", 'err', lambda: V("x", None, "1"))
add("r17", "wrt", 'err', lambda: V("x", 1.5, "1"))
add("r18", "wrt", 'any', lambda: V("x*y", {"x": 1}, "y"))
add("r19", "wrt", 'any', lambda: V("x*y", sp.Symbol("x", complex=True), "y"))
add("r20", "wrt", 'any', lambda: V("x", [[x]], [[1]]))
add("r21", "wrt", 'any', lambda: V("x", sp.MatrixSymbol("X", 10**6, 10**6), "0", budget=1), budget=1)
add("r22", "wrt", 'any', lambda: V("x", "x" + " " * 4_000_000, "1", budget=1), budget=1)

# ---------------------------------------------------------------- special functions and unevaluated objects as SymPy input
add("s01", "sympy", 'any', lambda: V(sp.gamma(_unevaluated_power(10, 100)) * x, x, 0, budget=1), budget=1)
add("s02", "sympy", 'any', lambda: V(sp.zeta(x), x, sp.diff(sp.zeta(x), x), budget=2), budget=2)
add("s03", "sympy", 'any', lambda: V(sp.polylog(3, x), x, sp.polylog(2, x) / x, budget=2), budget=2)
add("s04", "sympy", 'any', lambda: V(sp.LambertW(x, -1), x, sp.diff(sp.LambertW(x, -1), x), budget=2), budget=2)
add("s05", "sympy", 'any', lambda: V(sp.hyper([1, 2], [3], x), x, 0, budget=2), budget=2)
add("s06", "sympy", 'any', lambda: V(sp.Derivative(sp.sin(x), x), x, -sp.sin(x), budget=2), budget=2)
add("s07", "sympy", 'any', lambda: (lambda k: V(sp.Sum(x**k / k, (k, 1, sp.oo)), x, 1 / (1 - x), budget=2))(
    sp.Symbol("k", integer=True, positive=True)), budget=2)
add("s08", "sympy", 'any', lambda: V(sp.Integral(sp.exp(-t**2) * x, (t, 0, 1)), x, 0, budget=2), budget=2)
add("s09", "sympy", 'any', lambda: V(sp.factorial(sp.Integer(10**6), evaluate=False) * x, x, 0, budget=1), budget=1)
add("s10", "sympy", 'any', lambda: V(_unevaluated_power(10, 10**6) * x, x, 0, budget=1), budget=1)
add("s11", "sympy", 'any', lambda: V(_huge_float() * x, x, _huge_float(), budget=1), budget=1)
add("s12", "sympy", 'any', lambda: V(sp.Rational(3**200000, 2**300000) * x, x, sp.Rational(3**200000, 2**300000), budget=1), budget=1)
add("s13", "sympy", 'any', lambda: V(sp.Pow(x, _unevaluated_power(10, 10**6), evaluate=False), x, 0, budget=1), budget=1)
add("s14", "sympy", 'any', lambda: V(sp.binomial(10**9, 5 * 10**8, evaluate=False) * x, x, 0, budget=1), budget=1)
add("s15", "sympy", 'any', lambda: V(sp.exp(sp.Integer(10)**100 * x), x, sp.Integer(10)**100 * sp.exp(sp.Integer(10)**100 * x), budget=2), budget=2)
add("s16", "sympy", True, lambda: V((x + y + z)**40, x, 40 * (x + y + z)**39, budget=2), budget=2)
add("s17", "sympy", 'any', lambda: V(x * _nested_radical(30), x, _nested_radical(30), budget=2), budget=2)
add("s18", "sympy", 'any', lambda: (lambda vs: V(sp.Add(*[1 / (vs[i] - vs[j]) for i in range(12) for j in range(i)]), vs[0],
                                                 sp.diff(sp.Add(*[1 / (vs[i] - vs[j]) for i in range(12) for j in range(i)]), vs[0]),
                                                 budget=2))(sp.symbols("v0:12", real=True)), budget=2)
add("s19", "sympy", 'any', lambda: V(sp.Matrix(300, 300, lambda i, j: x**(i + j)), x, 0, budget=1), budget=1)
add("s20", "sympy", 'any', lambda: V(sp.Poly(x**2, x), x, 2 * x))
add("s21", "sympy", 'any', lambda: V(sp.Tuple(x, y), x, [1, 0]))
add("s22", "sympy", 'any', lambda: V(_deep_add(3000), x, 1, budget=1), budget=1)
add("s23", "sympy", 'any', lambda: V(sp.sin(x)**(sp.Integer(2)**(2**20)), x, 0, budget=1), budget=1)
add("s24", "sympy", 'any', lambda: V(x, x, sp.zoo))
add("s25", "sympy", 'any', lambda: V(sp.AccumBounds(0, 1) * x, x, 1))
add("s26", "sympy", 'any', lambda: V(sp.Piecewise(*[(x * k, x < k) for k in range(2000)], (0, True)), x, 0, budget=1), budget=1)
add("s27", "sympy", 'any', lambda: V(sp.Max(*[x - k**2 for k in range(2000)]), x, 1, budget=1), budget=1)
add("s28", "sympy", 'any', lambda: V(_nested_abs(200), x, 0, budget=1), budget=1)
add("s29", "sympy", 'any', lambda: V(sp.floor(x) * _unevaluated_power(10, 10**5), x, 0, budget=1), budget=1)
add("s30", "sympy", 'any', lambda: I(_unevaluated_power(2, 10**7) * x, x * _unevaluated_power(2, 10**7), budget=1), budget=1)
add("s31", "sympy", 'any', lambda: V(sp.Mul(x, sp.factorial(sp.Integer(10)**9, evaluate=False), evaluate=False), x,
                                     sp.factorial(sp.Integer(10)**9, evaluate=False), budget=1), budget=1)
add("s32", "sympy", 'any', lambda: V(sp.Lambda(x, x**2), x, 2 * x))
add("s33", "sympy", 'any', lambda: V(1 / _huge_float() * x, x, 0, budget=1), budget=1)
add("s34", "sympy", 'any', lambda: V(x**sp.Float("1e100"), x, 0, budget=1), budget=1)
add("s35", "sympy", 'any', lambda: V(sp.exp(sp.exp(sp.exp(sp.exp(sp.exp(x))))), x, 1, budget=1), budget=1)

# ---------------------------------------------------------------- simplification and memory bombs
add("m01", "memory", 'any', lambda: V("(x + 1)**100000", "x", "100000*(x + 1)**99999", budget=1), budget=1)
add("m02", "memory", 'any', lambda: I("(x + y)**300*(x - y)**300", "(x**2 - y**2)**300", budget=2), budget=2)
add("m03", "memory", 'any', lambda: I("(x + y + z + t + 1)**30", "(1 + x + y + z + t)**30 + 0*x", budget=2), budget=2)
add("m04", "memory", 'any', lambda: V(sp.ones(400, 400) * x, x, sp.ones(400, 400), budget=1), budget=1)
add("m05", "memory", 'any', lambda: ("verify", (r"\operatorname{tr}(W^\top W)", "W", "2 W"),
                                     {"variables": {"W": (10**4, 10**4)}, "budget": 1}), budget=1)
add("m06", "memory", 'any', lambda: (lambda X: V(sp.Trace(X.T * X), X, 2 * X, budget=1))(sp.MatrixSymbol("X", 10**6, 10**6)), budget=1)
add("m07", "memory", 'any', lambda: V(sp.Determinant(sp.Matrix(12, 12, lambda i, j: x**(i * j + 1) + i - j)), x, 0, budget=1), budget=1)
add("m08", "memory", 'any', lambda: I("prod", "1", budget=1) if False else I(
    "*".join(f"(x + {k})" for k in range(1, 400)), "*".join(f"({k} + x)" for k in range(399, 0, -1)), budget=2), budget=2)
add("m09", "memory", 'any', lambda: V("sin(x)**200*cos(x)**200", "x", "0", budget=1), budget=1)
add("m10", "memory", 'any', lambda: I("(sqrt(2) + sqrt(3) + sqrt(5) + sqrt(7))**64", "0", budget=1), budget=1)
add("m11", "memory", 'any', lambda: ("verify", ("x", "x", "1"), {"variables": {"x": (10**9,)}, "budget": 1}), budget=1)
add("m12", "memory", 'any', lambda: ("verify", (r"\sum_{i=1}^{n} x_i^2", r"x", r"2x"), {"variables": {"x": (10**8,)}, "budget": 1}),
    budget=1)
add("m13", "memory", 'any', lambda: I(sp.Add(*[x**k for k in range(20000)]), sp.Add(*[x**k for k in range(19999, -1, -1)]), budget=1),
    budget=1)
add("m14", "memory", 'any', lambda: V("exp(x)**(10**6)", "x", "10**6*exp(10**6*x)", budget=1), budget=1)


def _nested_radical(depth):
    e = sp.Integer(2)
    for k in range(depth):
        e = sp.sqrt(k + 3 + e)
    return e


def _deep_add(depth):
    e = x
    for k in range(depth):
        e = sp.Add(e, sp.Integer(k + 1), evaluate=False) if k % 2 else sp.Mul(e, sp.Integer(2), evaluate=False)
    return e


def _nested_abs(depth):      # unevaluated: SymPy's own evaluation of it is the attack
    e = x
    for k in range(depth):
        e = sp.Abs(sp.Add(e, -k, evaluate=False), evaluate=False)
    return e


def _huge_float():          # (sp.Float("1e1000000") itself takes minutes to build)
    import mpmath
    return sp.Float(mpmath.mpf("1e1000000"))


# ---------------------------------------------------------------- round 2: declared variables, seeds, odd claims, readers
def VV(f, wrt, claimed, variables, budget=3, **kw):
    return ("verify", (f, wrt, claimed), dict(variables=variables, budget=budget, **kw))


add("v01", "variables", 'err', lambda: VV("x", "x", "1", {"x": (-1,)}))
add("v02", "variables", 'any', lambda: VV(r"\sum_i x_i", "x", "1", {"x": (10**100,)}, budget=1), budget=1)
add("v03", "variables", 'any', lambda: VV(r"\sum_i x_i^2", "x", "2x", {"x": ("n",)}))
add("v04", "variables", 'err', lambda: VV("x", "x", "1", {"x": 5}))
add("v05", "variables", 'err', lambda: VV("x", "x", "1", {"x": (2.5,)}))
add("v06", "variables", 'err', lambda: VV("x", "x", "1", {"x": None}))
add("v07", "variables", 'err', lambda: VV("x", "x", "1", "x"))
add("v08", "variables", 'any', lambda: VV("x", "x", "1", {"x": (0,)}))
add("v09", "variables", 'any', lambda: VV("x", "x", "1", {f"v{i}": () for i in range(20000)}, budget=1), budget=1)
add("v10", "variables", 'any', lambda: VV(r"\alpha x", "x", r"\alpha", {r"\alpha": ()}))
add("v11", "variables", 'err', lambda: VV("x", "x", "1", {"x y": ()}))
add("v12", "variables", 'any', lambda: VV(r"\mathbf{w}^\top \mathbf{x}", r"\mathbf{w}", r"\mathbf{x}", {"w": (1000,), "x": (1000,)},
                                          budget=1), budget=1)
add("v13", "variables", 'any', lambda: VV(r"\operatorname{tr}(W^{1000})", "W", "0", {"W": (3, 3)}, budget=1), budget=1)
add("v14", "variables", 'any', lambda: VV(r"\det(W)", "W", "0", {"W": (30, 30)}, budget=1), budget=1)
add("v15", "variables", 'any', lambda: VV(r"\log\det(W)", "W", r"W^{-\top}", {"W": (12, 12)}, budget=1), budget=1)
add("v16", "variables", 'err', lambda: VV("x", "x", "1", {"x": (2, 2, 2)}))
add("v17", "variables", 'any', lambda: VV(r"\sum_{i=1}^{n}\sum_{j=1}^{n} A_{ij} x_i x_j", "x", "0", {"A": (150, 150), "x": (150,)},
                                          budget=1), budget=1)
add("v18", "variables", 'any', lambda: VV("x", "x", "1", {("x",): ()}))
add("s36", "seed", 'err', lambda: ("verify", ("x", "x", "1"), {"seed": -1}))
add("s37", "seed", 'any', lambda: ("verify", ("x", "x", "1"), {"seed": _np().int64(3)}))
add("s38", "seed", 'err', lambda: ("verify", ("x", "x", "1"), {"seed": "0"}))
add("s39", "seed", 'any', lambda: ("verify_identity", ("x", "x"), {"seed": 10**5000}))
add("c01", "claim", 'any', lambda: V("x", "x", (c for c in ["1"])))
add("c02", "claim", 'err', lambda: V("x", "x", {"x": 1}))
add("c03", "claim", 'any', lambda: V("x**2", "x", _np().array([2.0]) * 0 + 1))
add("c04", "claim", 'any', lambda: V("x", "x", Fraction(1, 1)))
add("c05", "claim", 'any', lambda: V("x", "x", Decimal("1")))
add("c06", "claim", 'F|err', lambda: V("x", "x", 1j))
add("c07", "claim", 'F|err', lambda: V("x", "x", 10**5000))
add("c08", "claim", 'err', lambda: V("x", "x", b"1"))
add("c09", "claim", 'any', lambda: V("x", "x", {1}))
add("c10", "claim", 'any', lambda: V("x", "x", _nested_list(900)))
add("c11", "claim", 'any', lambda: V("x", "x", sp.Matrix(0, 0, [])))
add("c12", "claim", 'any', lambda: V("x", "x", sp.ZeroMatrix(10**9, 10**9), budget=1), budget=1)
add("c13", "claim", 'any', lambda: V(sp.ImmutableSparseMatrix(10**6, 10**6, {(0, 0): x**2}), x,
                                     sp.ImmutableSparseMatrix(10**6, 10**6, {(0, 0): 2 * x}), budget=1), budget=1)
add("c14", "claim", 'any', lambda: V("x", "x", _np().ones((1000, 1000)), budget=1), budget=1)
add("c15", "claim", 'F|err', lambda: V("x", "x", _np().float64("nan")))
add("c16", "claim", 'any', lambda: V("x", "x", _sd().Latex(r"\frac{" * 60 + "1" + "}{1}" * 60)))
add("c17", "claim", 'any', lambda: V("x", "x", _sd().Latex("1", shapes={"x": (10**9,)})))
add("c18", "claim", 'any', lambda: V("x", "x", sp.Symbol("x") / sp.Symbol("x")))
add("k01", "markers", 'any', lambda: V("x", "x", "1", where=[_sd().simplex]))
add("k02", "markers", 'any', lambda: V("x", "x", "1", where=[_sd().symmetric(x)]))
add("k03", "markers", 'any', lambda: V("x", "x", "1", where=["x is spd"]))
add("k04", "markers", 'any', lambda: V("x", "x", "1", where=["x" + " " * 1_000_000 + "is" + " " * 1_000_000 + "spd"], budget=1), budget=1)
add("k05", "markers", 'any', lambda: V("x", "x", "1", where=["a b " * 200_000 + "simplex"], budget=1), budget=1)
add("k06", "markers", 'any', lambda: V("x*y", "x", "y", where=[_sd().onehot([x, y]), _sd().pm1([x, y])]))
add("k07", "markers", 'any', lambda: V("x", "x", "1", where=[_sd().simplex([sp.Symbol(f"p{i}", real=True) for i in range(5000)])],
                                       budget=1), budget=1)
# readers called directly: answer or refuse within a few seconds
add("x01", "reader", 'any', lambda: P("parse_latex", "9" * 19000 + " x"), budget=2)
add("x02", "reader", 'any', lambda: P("parse_latex", "0." + "3" * 19000), budget=2)
add("x03", "reader", 'any', lambda: P("parse_expression", "-" * 1_000_000 + "x"), budget=2)
add("x04", "reader", 'any', lambda: P("parse_expression", "x" + "**x" * 100000), budget=2)
# (a reader called directly has no budget; its time is linear in the input, bounded by the size limits)
add("x05", "reader", 'any', lambda: P("parse_program", "\n".join(f"a{i} = a{i - 1}**2" if i else "a0 = x" for i in range(100_000))),
    budget=15)
add("x06", "reader", 'any', lambda: P("parse_latex", r"\det\begin{pmatrix}" + r"\\".join(
    " & ".join(f"a_{{{i}{j}}}" for j in range(10)) for i in range(10)) + r"\end{pmatrix}"), budget=2)
add("x07", "reader", 'any', lambda: P("parse_latex", r"\left|\begin{matrix}" + r"\\".join(
    " & ".join(f"x^{{{i * j}}}" for j in range(9)) for i in range(9)) + r"\end{matrix}\right|"), budget=2)
add("x08", "reader", 'any', lambda: P("parse_latex", r"\begin{vmatrix}" + r"\\".join(
    " & ".join(f"x + {i - j}" for j in range(11)) for i in range(11)) + r"\end{vmatrix}"), budget=2)
add("x09", "reader", 'any', lambda: P("parse_latex", r"\frac{" * 45 + "x" + "}{2}" * 45), budget=2)
add("x10", "reader", 'any', lambda: P("parse_expression", "x*" + "1" * 29000), budget=2)
add("x11", "reader", 'any', lambda: P("parse_expression", "+".join(f"v{i}" for i in range(300000))), budget=3)
add("x12", "reader", 'any', lambda: P("parse_latex", r"\sum_{k=1}^{\infty} x^k"), budget=2)
add("x13", "reader", 'any', lambda: P("parse_latex", r"\prod_{k=1}^{20000} (x + k)"), budget=15)
# identities read from LaTeX, and chains of equal signs
add("e01", "identity", 'any', lambda: I(r"x = x = x = " + " = ".join(["x"] * 3000), None, budget=1), budget=1)
add("e02", "identity", 'any', lambda: I(r"\det\begin{pmatrix}" + r"\\".join(" & ".join(f"a_{{{i}{j}}}" for j in range(12)) for i in range(12))
                                        + r"\end{pmatrix} = 0", None, budget=1), budget=1)
add("e03", "identity", 'any', lambda: I(r"\sum_{k=1}^{20000} \sin(k x)", r"\sum_{k=1}^{20000} \sin(k x)", budget=1), budget=1)
add("e04", "identity", 'any', lambda: I("x", r"\sum_{k=1}^{20000} \sin(k x)", budget=1), budget=1)
add("e05", "identity", 'any', lambda: V(r"\sum_{k=1}^{20000} \sin(k x)", "x", r"\sum_{k=1}^{20000} k \cos(k x)", budget=1), budget=1)


def _nested_list(depth):
    v = "1"
    for _ in range(depth):
        v = [v]
    return v


# ---------------------------------------------------------------- round 3: SymPy integers past Python's 4,300-digit printing limit
def _big(digits):
    return sp.Integer(10**digits + 7)


add("n01", "bigint", True, lambda: V(_big(5000) * x, x, _big(5000)))
add("n02", "bigint", False, lambda: V(_big(5000) * x, x, _big(5000) + 1))
add("n03", "bigint", False, lambda: V(r"f(x) = x^2", "x", _big(5000)))
add("n04", "bigint", True, lambda: V(x, x, 1, where=[x > _big(5000)]))
add("n05", "bigint", False, lambda: V(x**2, x, 2 * x + sp.Heaviside(x - _big(5000)), where=[x > _big(5000)]))
add("n06", "bigint", 'any', lambda: V(x, x, 1, where=[x > _big(10**6)], budget=2), budget=2)
add("n07", "bigint", 'any', lambda: I(_big(10**6) * x, x * _big(10**6), budget=2), budget=2)
add("n08", "bigint", False, lambda: V(sp.Matrix([_big(5000) * x, x]), x, sp.Matrix([_big(5000), 2])))
add("n09", "bigint", 'any', lambda: V(sp.Rational(1, 3) ** 20000 * x, x, 0, budget=2), budget=2)
add("n10", "bigint", 'F|err', lambda: V("x", "x", _big(5000), where=["x > 0"]))


# ---------------------------------------------------------------- round 4: written-out matrices, nested SymPy structures, odd values
def _pmatrix(n, entry):
    return r"\begin{pmatrix}" + r"\\".join(" & ".join(entry(i, j) for j in range(n)) for i in range(n)) + r"\end{pmatrix}"


add("q01", "latexmatrix", 'any', lambda: V(r"\operatorname{tr}\left(" + _pmatrix(2, lambda i, j: "x" if i == j else "1")
                                           + r"^{1000}\right)", "x", "0", budget=1), budget=1)
add("q02", "latexmatrix", 'any', lambda: V(r"\operatorname{tr}\left(" + _pmatrix(20, lambda i, j: f"x^{{{(i * j) % 5}}}")
                                           + r"^{-1}\right)", "x", "0", budget=1), budget=1)
add("q03", "latexmatrix", 'any', lambda: V(r"\left|" + _pmatrix(8, lambda i, j: f"x + {i * j}") + r"\right|", "x", "0", budget=1), budget=1)
add("q04", "latexmatrix", 'any', lambda: V(r"\det" + _pmatrix(7, lambda i, j: f"a_{{{i}{j}}} x^{{{i + j}}}"), "x", "0", budget=1), budget=1)
add("q05", "latexmatrix", 'any', lambda: V(r"\det" + _pmatrix(60, lambda i, j: str((i * 7 + j * 3) % 11)) + " x", "x", "0", budget=1), budget=1)
add("q06", "latexmatrix", 'any', lambda: V(r"\sum_{k=1}^{\sum_{j=1}^{200} j} x", "x", "0", budget=1), budget=1)
add("q07", "latexmatrix", 'any', lambda: V(r"\frac{1}{0} x", "x", "0"))
add("q08", "latexmatrix", 'any', lambda: V(r"0^{0} x + 0^{-1}", "x", "1"))
add("q09", "latexmatrix", 'any', lambda: V(r"e^{10^{1000}} x", "x", r"e^{10^{1000}}", budget=1), budget=1)
add("q10", "sympy", 'any', lambda: V(_nested_piecewise(300), x, 0, budget=1), budget=1)
add("q11", "sympy", 'any', lambda: V(sp.Function("g")(x), x, sp.Function("g")(x).diff(x)))
add("q12", "sympy", 'any', lambda: V(x + sp.O(x**2), x, 1))
add("q13", "sympy", 'any', lambda: V(sp.Subs(x**2, x, y), y, 2 * y))
add("q14", "sympy", 'any', lambda: V(sp.Mul(*[sp.Pow(x - k, -1, evaluate=False) for k in range(400)], evaluate=False), x, 0, budget=1),
    budget=1)
add("q15", "sympy", 'any', lambda: V(sp.Add(*[sp.exp(k * x) for k in range(3000)]), x, sp.Add(*[k * sp.exp(k * x) for k in range(3000)]),
                                     budget=1), budget=1)
add("q16", "sympy", 'any', lambda: I(sp.Add(*[sp.sin(x)**(2 * k) for k in range(200)]), sp.Add(*[(1 - sp.cos(x)**2)**k for k in range(200)]),
                                     budget=2), budget=2)
add("q17", "program", 'any', lambda: V("X: (300, 300)\nF = sum(X @ X)", "X", "2*X.T", budget=1), budget=1)
add("q18", "program", 'any', lambda: V("\n".join(f"v{i} = x**{i} + v{i - 1}" if i else "v0 = 1" for i in range(1, 6000)) + "\nF = v5999",
                                       "x", "0", budget=1), budget=1)


def _nested_piecewise(depth):
    e = x
    for k in range(depth):
        e = sp.Piecewise((e, x < k), (e + 1, True), evaluate=False)
    return e


# ---------------------------------------------------------------- round 5: numbers of gigabytes, kept unevaluated by the caller
def _lazy_times_x(base, exponent):
    return sp.Mul(sp.Pow(base, exponent, evaluate=False), x, evaluate=False)


add("g01", "bigint", False, lambda: V(_lazy_times_x(2, 10**10), x, 0, budget=2), budget=2)
add("g02", "bigint", False, lambda: V(_lazy_times_x(2, 10**11), x, 0, budget=2), budget=2)
add("g03", "bigint", 'any', lambda: I(_lazy_times_x(3, 10**11), sp.Mul(x, sp.Pow(3, 10**11, evaluate=False), evaluate=False), budget=2),
    budget=2)
add("g04", "bigint", 'any', lambda: V(_lazy_times_x(2, 10**11), x, sp.Pow(2, 10**11, evaluate=False), budget=2), budget=2)
