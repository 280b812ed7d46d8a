"""Round 10 of the adversarial suite: scalar claims (ids ``w10_``), appended to ``suite.CASES``.

Same tuple format and truth labels as ``suite.py`` (see its docstring).  Every case is written
from its own mathematics; the comment says why the label is what it is.
"""
import sympy as sp

import suite
from suite import I, S, V, add, x, y, z

R = sp.Rational
u = sp.Symbol("u", real=True)


def w(cid, family, truth, thunk, budget=3):
    add("w10_" + cid, family, truth, thunk, budget=budget)


# ---------------------------------------------------------------- far away (beyond 1e8, both signs)
w("far01", "far", False, lambda: V("x**2", "x", "2*x + Heaviside(x - 3*10**9)"))
w("far02", "far", False, lambda: V("x**2", "x", "2*x - Heaviside(-x - 7*10**11)"))
w("far03", "far", False, lambda: V("cos(x)", "x", "-sin(x) + Max(0, x - 10**10)/x"))
w("far04", "far", False, lambda: V("exp(-x)", "x", "-exp(-x)*(1 - Heaviside(x - 10**9))"))   # claim 0 beyond 1e9
w("far05", "far", False, lambda: V("log(x)", "x", "1/x + Heaviside(x - 10**12)/x**2", where=["x > 0"]))
w("far06", "far", False, lambda: I("atan(x)", "pi/2 - atan(1/x) + Heaviside(x - 10**15)", where=["x > 0"]))
w("far07", "far", False, lambda: V("x*y", "y", "x + Heaviside(x + y - 10**10)*Heaviside(x - y)"))
w("far08", "far", False, lambda: V("x**5", "x", "5*x**4 + x**7/10**70"))
w("far09", "far", False, lambda: V("sinh(x)", "x", "cosh(x) + exp(x)/10**40"))
w("far10", "far", False, lambda: V("tanh(x)", "x", "sech(x)**2 + Heaviside(x - 10**6)*exp(-2*x)"))  # sech^2 ~ 4e^-2x
w("far11", "far", False, lambda: I("sqrt(x**2 + 1)", "x", where=["x > 10**8"]))          # 1/(2x) apart
w("far12", "far", False, lambda: I("sqrt(x**2 + 1)", "x", where=["x > 10**20"]))         # relative 1e-40
w("far13", "far", False, lambda: V("Abs(x - 10**9)", "x", "-1"))                          # wrong for x > 1e9
w("far14", "far", False, lambda: V("x**2*y", "x", "2*x*y*(1 + Heaviside(-y - 10**13))"))
w("far15", "far", False, lambda: I("x - y", "(x**2 - y**2)/(x + y) + Heaviside(-x - y - 10**14)", where=["x + y != 0"]))
w("far16", "far", False, lambda: V("atan(x)", "x", "1/(1 + x**2) + 1/x**3*Heaviside(-x - 10**25)"))
w("far17", "far", False, lambda: V("exp(x)", "x", "exp(x) + exp(-x)/10**50"))            # visible at large negative x
w("far18", "far", False, lambda: V("x**3 - 3*x", "x", "3*x**2 - 3 + Max(x**2 - 10**30, 0)"))

# ---------------------------------------------------------------- near a point (narrow bumps, tiny intervals)
w("near01", "near", False, lambda: V(x**3, x, 3 * x**2 + sp.Piecewise((1, sp.Abs(x - R(1, 7)) < R(1, 10**15)), (0, True))))
w("near02", "near", False, lambda: V("sin(x)", "x", "cos(x) + exp(-10**8*(x - 2)**2)"))
w("near03", "near", False, lambda: V("x*y", "x", "y + Heaviside(10**-6 - (x - 1)**2 - (y - 1)**2)"))   # a disk of radius 1e-3
w("near04", "near", False, lambda: I("x**2", "x**2 + Max(0, 10**-9 - Abs(x + 5))"))       # a tent at -5
w("near05", "near", False, lambda: V(sp.exp(x), x, sp.exp(x) + sp.Piecewise((x, (x > R(1, 10**20)) & (x < R(2, 10**20))), (0, True))))
w("near06", "near", False, lambda: V("log(x)", "x", "1/x + Heaviside(x - 1)*Heaviside(1 + 10**-10 - x)", where=["x > 0"]))
w("near07", "near", False, lambda: V("x + y", "x", "1 + Heaviside(10**-8 - Abs(x - y))"))  # a strip along the diagonal
w("near08", "near", False, lambda: V("Abs(x - 2)", "x", "1", where=["x > 1.999", "x < 3"]))
w("near09", "near", False, lambda: I("floor(x)", "0", where=["x > -10**-6", "x < 1"]))      # -1 on (-1e-6, 0)
w("near10", "near", False, lambda: V("x**4/4", "x", "x**3 + Heaviside(cos(x - 1/3) - 1 + 10**-14)"))  # windows at 1/3 + 2k pi
w("near11", "near", False, lambda: V("x**2", "x", "2*x + 1/(1 + 10**30*(x + 10**4)**2)"))  # a spike at -1e4
w("near12", "near", False, lambda: V("x*y*z", "z", "x*y + Heaviside(10**-12 - (x*y - 3)**2)"))
w("near13", "near", False, lambda: I("Max(x, y)", "y", where=["y > x - 10**-7"]))           # wrong on x - 1e-7 < y < x

# ---------------------------------------------------------------- tiny and huge scales
w("sc01", "scale", False, lambda: V("x**2*10**-200", "x", "2*x*10**-200 + x*10**-215"))
w("sc02", "scale", False, lambda: V("10**250*exp(x)", "x", "10**250*exp(x)*(1 + 10**-25)"))
w("sc03", "scale", False, lambda: I("x*10**300", "x*10**300 + 10**-300"))
w("sc04", "scale", True, lambda: V("sin(x*10**-280)", "x", "10**-280*cos(x*10**-280)"))
w("sc05", "scale", False, lambda: V("sin(x*10**-280)", "x", "10**-280"))                   # cos(x*1e-280) != 1
w("sc06", "scale", False, lambda: V("x**3", "x", "3*x**2*(1 + 10**-30)"))
w("sc07", "scale", False, lambda: I("(x + 10**-20)**2", "x**2 + 2*x*10**-20"))            # 1e-40 apart
w("sc08", "scale", True, lambda: I("(x + 10**-20)**2 - x**2", "2*x/10**20 + 10**-40"))
w("sc09", "scale", False, lambda: V("exp(x)", "x", "exp(x) + 10**-300"))
w("sc10", "scale", True, lambda: V("exp(-x**2)*10**300", "x", "-2*x*exp(-x**2)*10**300"))
w("sc11", "scale", True, lambda: V("x**(-7)*10**-100", "x", "-7*x**(-8)*10**-100"))
w("sc12", "scale", True, lambda: V("log(x)*10**-30", "x", "10**-30/x", where=["x > 0"]))
w("sc13", "scale", False, lambda: V("log(x)", "x", "1/x + 10**-30", where=["x > 0"]))
w("sc14", "scale", False, lambda: V(x**R(3, 2), x, R(3, 2) * sp.sqrt(x) + x / 10**20, where=["x > 0"]))
w("sc15", "scale", False, lambda: V("x/10**300", "x", "-1/10**300"))
w("sc16", "scale", True, lambda: V("10**300*x**2 + 10**-300*x", "x", "2*10**300*x + 10**-300"))
w("sc17", "scale", False, lambda: V("10**300*x**2 + 10**-300*x", "x", "2*10**300*x + 2*10**-300"))
w("sc18", "scale", False, lambda: V("x**2", "x", "2*x*(1 - 10**-17)"))                     # a few ulps of a double

# ---------------------------------------------------------------- branch cuts
w("br01", "branch", True, lambda: I("log(x*y)", "log(x) + log(y)", where=["x > 0"]))      # also for y < 0 (both complex)
w("br02", "branch", False, lambda: I("sqrt(x)*sqrt(y)", "sqrt(x*y)", where=["x < 0"]))    # wrong for y < 0
w("br03", "branch", False, lambda: I(S("(x**2)**(1/4)"), S("sqrt(x)")))                   # real vs complex for x < 0
w("br04", "branch", True, lambda: I("acos(cos(x))", "x", where=["x > 0", "x < 3"]))
w("br05", "branch", False, lambda: I("acos(cos(x))", "x", where=["x > 0", "x < 4"]))      # 2 pi - x on (pi, 4)
w("br06", "branch", True, lambda: I("asin(x) + acos(x)", "pi/2"))                          # DLMF 4.23.16: for every x
w("br07", "branch", True, lambda: I("atan(x) + atan(y)", "atan2(x + y, 1 - x*y)", where=["x*y != 1"]))
w("br08", "branch", False, lambda: I("atan2(x + y, 1 - x*y)", "atan((x + y)/(1 - x*y))", where=["x*y != 1"]))
w("br09", "branch", True, lambda: V(x**R(1, 3), x, 1 / (3 * x**R(2, 3)), where=["x != 0"]))  # principal branch: both complex for x<0
w("br10", "branch", False, lambda: V(sp.real_root(x, 3), x, x**R(-2, 3) / 3, where=["x != 0"]))  # claim complex for x < 0
w("br11", "branch", True, lambda: V(sp.real_root(x, 3), x, sp.Abs(x)**R(-2, 3) / 3, where=["x != 0"]))
w("br12", "branch", False, lambda: V("acos(x/2)", "x", "1/sqrt(4 - x**2)", where=["x > -2", "x < 2"]))
w("br13", "branch", False, lambda: I("sqrt(1 - cos(x)**2)", "sin(x)", where=["x > 0", "x < 4"]))
w("br14", "branch", True, lambda: I("sqrt(1 - cos(x)**2)", "Abs(sin(x))"))
# (in text, I is a variable like any other: the imaginary unit is given as sp.I)
w("br15", "branch", True, lambda: I(sp.log(-x), sp.log(x) - sp.I * sp.pi, where=["x < 0"]))
w("br16", "branch", False, lambda: I(sp.log(-x), sp.log(x) + sp.I * sp.pi, where=["x < 0"]))
w("br17", "branch", False, lambda: I("sqrt(x**2 - 2*x + 1)", "x - 1", where=["x > 0.999"]))
w("br18", "branch", False, lambda: V("sqrt(Abs(x))", "x", "1/(2*sqrt(x))", where=["x != 0"]))
w("br19", "branch", True, lambda: V("log(Abs(x))", "x", "1/x"))
w("br20", "branch", False, lambda: V("log(Abs(x))", "x", "1/Abs(x)"))
w("br21", "branch", True, lambda: V("atan2(x, y)", "x", "y/(x**2 + y**2)"))
w("br22", "branch", False, lambda: V("atan2(x, y)", "y", "x/(x**2 + y**2)"))
# a real function has no square root of a negative number: f is defined for x >= 1 only, where the claim holds
# (for x < -1 the complex product is -sqrt(x**2 - 1): the identity below is wrong there)
w("br23", "branch", True, lambda: V("sqrt(x - 1)*sqrt(x + 1)", "x", "x/sqrt(x**2 - 1)", where=["Abs(x) > 1"]))
w("br28", "branch", False, lambda: I("sqrt(x - 1)*sqrt(x + 1)", "sqrt(x**2 - 1)", where=["Abs(x) > 1"]))
w("br24", "branch", True, lambda: V("sqrt(x - 1)*sqrt(x + 1)", "x", "x/sqrt(x**2 - 1)", where=["x > 1"]))
w("br25", "branch", False, lambda: I("asin(sin(x))", "x", where=["x > -1.5", "x < 1.6"]))  # pi - x on (pi/2, 1.6)
w("br26", "branch", False, lambda: I("x**(2/3)", "(x**2)**(1/3)"))                          # complex vs real for x < 0
w("br27", "branch", True, lambda: I("exp(log(x)/3)", "x**(1/3)", where=["x != 0"]))

# ---------------------------------------------------------------- kinks (one and several variables)
w("k01", "kink", True, lambda: V("Abs(x) + Abs(y)", "y", "sign(y)"))
w("k02", "kink", False, lambda: V("Abs(x*y - 1)", "x", "y*sign(x*y + 1)"))
w("k03", "kink", True, lambda: V("Max(x**2, y)", "y", "Heaviside(y - x**2)"))
w("k04", "kink", False, lambda: V("Max(x**2, y)", "y", "Heaviside(y - x)"))
w("k05", "kink", True, lambda: V(sp.Min(x, y, 1), x, sp.Piecewise((1, (x < y) & (x < 1)), (0, True))))
w("k06", "kink", False, lambda: V(sp.Min(x, y, 1), x, sp.Piecewise((1, x < y), (0, True))))   # wrong for 1 < x < y
w("k07", "kink", False, lambda: V("floor(x)*y", "y", "x"))
w("k08", "kink", True, lambda: V("floor(x)*y", "y", "floor(x)"))
w("k09", "kink", True, lambda: V("ceiling(x) - floor(x)", "x", "0"))
w("k10", "kink", True, lambda: V("x*ceiling(x)", "x", "floor(x) + 1 + x*0"))                 # ceiling = floor + 1 a.e.
w("k11", "kink", True, lambda: V("sign(x)*x**2", "x", "2*Abs(x)"))
w("k12", "kink", False, lambda: V("sign(x)*x**2", "x", "2*x"))
w("k13", "kink", True, lambda: V("Heaviside(x - y)*(x - y)**2", "x", "2*Max(x - y, 0)"))
w("k14", "kink", False, lambda: V("Heaviside(x - y)*(x - y)**2", "y", "2*Max(x - y, 0)"))
w("k15", "kink", True, lambda: V(sp.Piecewise((x * y, x**2 + y**2 < 1), (0, True)), x,
                                 sp.Piecewise((y, x**2 + y**2 < 1), (0, True))))
w("k16", "kink", False, lambda: V(sp.Piecewise((x * y, x**2 + y**2 < 1), (0, True)), x,
                                  sp.Piecewise((y, x**2 + y**2 < R(101, 100)), (0, True))))   # a thin annulus
w("k17", "kink", False, lambda: V("Abs(x - y)*z", "z", "x - y"))
w("k18", "kink", True, lambda: V("Max(x, -x)", "x", "sign(x)"))
w("k19", "kink", True, lambda: V("frac(x)*x", "x", "frac(x) + x"))
w("k20", "kink", False, lambda: V("frac(x)*x", "x", "2*x"))
w("k21", "kink", True, lambda: V("Abs(Abs(x) - 1)", "x", "sign(x)*sign(Abs(x) - 1)"))
w("k22", "kink", False, lambda: V("Abs(Abs(x) - 1)", "x", "sign(x - 1)"))                   # wrong for x < 0
w("k23", "kink", True, lambda: V(sp.Piecewise((x, x > y), (y, True)), y, sp.Heaviside(y - x)))
w("k24", "kink", True, lambda: V("Max(x + y + z, 0)", "z", "Heaviside(x + y + z)"))
w("k25", "kink", False, lambda: V("Max(x + y + z, 0)", "z", "Heaviside(x + y - z)"))
w("k26", "kink", True, lambda: V("x*Abs(x)", "x", "2*Abs(x)"))
w("k27", "kink", True, lambda: V("Abs(x)**3", "x", "3*x*Abs(x)"))
w("k28", "kink", True, lambda: V("Max(x, 0)**2", "x", "2*Max(x, 0)"))
w("k29", "kink", False, lambda: V("Max(x, 0)**2", "x", "2*x"))
w("k30", "kink", True, lambda: V("exp(-Abs(x))", "x", "-sign(x)*exp(-Abs(x))"))
w("k31", "kink", False, lambda: V("exp(-Abs(x))", "x", "-exp(-Abs(x))"))
w("k32", "kink", False, lambda: V(sp.Piecewise((x**2, (x > 0) & (y > 0)), (x, True)), x,
                                  sp.Piecewise((2 * x, x > 0), (1, True))))                  # wrong for x > 0, y < 0
w("k33", "kink", True, lambda: V(sp.Piecewise((x**2, (x > 0) & (y > 0)), (x, True)), x,
                                 sp.Piecewise((2 * x, (x > 0) & (y > 0)), (1, True))))
w("k34", "kink", False, lambda: V("Min(x*y, 10**9)", "x", "y"))                             # 0 where x*y > 1e9
w("k35", "kink", True, lambda: V("ceiling(x*y)*z", "z", "ceiling(x*y)"))
w("k36", "kink", False, lambda: V("Abs(x)*Abs(y)", "x", "sign(x)*y"))                        # |y| not y

# ---------------------------------------------------------------- sign, factor and hidden-constant errors
w("err01", "far", False, lambda: V("x**2*y**3", "x", "-2*x*y**3"))
w("err02", "far", False, lambda: V("exp(x**2)", "x", "x*exp(x**2)"))
w("err03", "far", False, lambda: V("10**20*x**2 + x", "x", "2*10**20*x + 2"))
w("err04", "far", False, lambda: V("10**40*sin(x) + cos(x)", "x", "10**40*cos(x) + sin(x)"))
w("err05", "cancel", True, lambda: V("cosh(x)**2 + x", "x", "sinh(2*x) + 1"))
w("err06", "cancel", False, lambda: V("cosh(x)**2 + x", "x", "sinh(2*x) + 2"))
w("err07", "far", False, lambda: V("exp(x)*10**30 + x", "x", "exp(x)*10**30"))
w("err08", "far", False, lambda: V("x**2*y + y**3", ["x", "y"], ["2*x*y", "x**2 + 2*y**2"]))  # wrong only in y
w("err09", "far", False, lambda: I("x**2 - y**2", "(x - y)*(x + y) + Heaviside(z - 10**9)"))  # wrong only far in z
w("err10", "far", True, lambda: V("x**2*y + y**3", ["x", "y"], ["2*x*y", "x**2 + 3*y**2"]))
w("err11", "far", False, lambda: V("sin(x)*cos(y)", "y", "sin(x)*sin(y)"))
w("err12", "far", False, lambda: V("x/(1 + x**2)", "x", "(1 + x**2)/(1 + x**2)**2"))          # forgot -2x^2
w("err13", "far", False, lambda: V("(x**2 + 1)**10", "x", "10*(x**2 + 1)**9"))               # chain rule dropped
w("err14", "far", False, lambda: V("x*exp(-x)", "x", "(1 + x)*exp(-x)"))

# ---------------------------------------------------------------- true claims that are hard
w("t01", "cancel", True, lambda: I("cosh(3*x)", "4*cosh(x)**3 - 3*cosh(x)", where=["x > 200"]))
w("t02", "cancel", True, lambda: I("sinh(x + y)", "sinh(x)*cosh(y) + cosh(x)*sinh(y)"))
w("t03", "cancel", True, lambda: I("cos(x)**2 - sin(x)**2", "cos(2*x)"))
w("t04", "cancel", True, lambda: I("(x + 3**50)**3 - x**3 - 3**51*x**2 - 3**101*x", "3**150"))
w("t05", "cancel", True, lambda: V("log(exp(x) + 1)", "x", "exp(x)/(exp(x) + 1)"))
w("t06", "cancel", True, lambda: V("log(cosh(x))", "x", "tanh(x)"))
w("t07", "cancel", True, lambda: I("sqrt(x + sqrt(x**2 - 1))", "(sqrt(x + 1) + sqrt(x - 1))/sqrt(2)", where=["x > 1"]))
w("t08", "cancel", True, lambda: I("sqrt(5 + 2*sqrt(6))", "sqrt(2) + sqrt(3)"))
w("t09", "cancel", False, lambda: I("sqrt(5 + 2*sqrt(6))", "sqrt(2) + sqrt(3) + 10**-50"))
w("t10", "cancel", True, lambda: I("(10**30*x + 1)*(10**30*x - 1)", "10**60*x**2 - 1"))
w("t11", "cancel", True, lambda: V("(x - 10**20)**3", "x", "3*x**2 - 6*10**20*x + 3*10**40"))
w("t12", "cancel", False, lambda: V("(x - 10**20)**3", "x", "3*x**2 - 6*10**20*x + 3*10**40 + 1"))
w("t13", "special", True, lambda: V("erf(x)", "x", "2*exp(-x**2)/sqrt(pi)"))
w("t14", "special", False, lambda: V("erf(x)", "x", "2*exp(-x**2)/pi"))
w("t15", "special", True, lambda: V("erfc(x**2)", "x", "-4*x*exp(-x**4)/sqrt(pi)"))
# (the text reader has no polygamma, digamma, besselj or erfi: these are SymPy objects)
w("t16", "special", True, lambda: V(sp.loggamma(x), x, sp.polygamma(0, x), where=["x > 0"]))
w("t17", "special", True, lambda: V(sp.gamma(x), x, sp.gamma(x) * sp.digamma(x), where=["x > 0"]))
w("t18", "special", True, lambda: V(sp.polygamma(1, x), x, sp.polygamma(2, x), where=["x > 0"]))
w("t19", "special", False, lambda: V(sp.polygamma(1, x), x, -sp.polygamma(2, x), where=["x > 0"]))
w("t20", "special", True, lambda: V(sp.besselj(0, x), x, -sp.besselj(1, x)))
w("t21", "special", True, lambda: V("LambertW(x)", "x", "exp(-LambertW(x))/(1 + LambertW(x))", where=["x > 0"]))
w("t22", "special", False, lambda: V("LambertW(x)", "x", "1/(x*(1 + LambertW(x)))", where=["x > 0"]))
w("t23", "special", True, lambda: V("atan2(y, x)", "y", "x/(x**2 + y**2)"))
w("t24", "special", True, lambda: V("x**x", "x", "x**x*(log(x) + 1)", where=["x > 0"]))
w("t25", "special", False, lambda: V("x**x", "x", "x**x*log(x)", where=["x > 0"]))
w("t26", "cancel", True, lambda: V("log(x + sqrt(x**2 + 1))", "x", "1/sqrt(x**2 + 1)"))
w("t27", "special", True, lambda: V("cot(x)", "x", "-1 - cot(x)**2"))
w("t28", "special", True, lambda: V("sec(x)", "x", "tan(x)/cos(x)"))
w("t29", "cancel", True, lambda: I("log(exp(x) + exp(-x))", "x + log(1 + exp(-2*x))"))
w("t30", "domain", True, lambda: V("acosh(x)", "x", "1/sqrt(x**2 - 1)", where=["x > 10**8"]))
w("t31", "domain", True, lambda: V("log((1 + x)/(1 - x))/2", "x", "1/(1 - x**2)", where=["x > -1", "x < 1"]))
w("t32", "domain", True, lambda: V("x**(1/x)", "x", "x**(1/x)*(1 - log(x))/x**2", where=["x > 0"]))
w("t33", "domain", False, lambda: V("x**(1/x)", "x", "x**(1/x)*(1 + log(x))/x**2", where=["x > 0"]))
w("t34", "cancel", True, lambda: V("exp(x)/(1 + exp(x))", "x", "exp(x)/(1 + exp(x))**2"))
w("t35", "cancel", True, lambda: I("(x + y)**4 - (x - y)**4", "8*x**3*y + 8*x*y**3"))
w("t36", "special", True, lambda: V("atan(x) + atan(1/x)", "x", "0", where=["x != 0"]))
w("t37", "cancel", True, lambda: I("(2**200*x + 1)**2 - (2**200*x - 1)**2", "2**202*x"))
w("t38", "special", True, lambda: V(sp.erfi(x), x, 2 * sp.exp(x**2) / sp.sqrt(sp.pi)))
w("t39", "special", True, lambda: V("LambertW(exp(x))", "x", "LambertW(exp(x))/(1 + LambertW(exp(x)))"))
w("t40", "special", False, lambda: V("LambertW(exp(x))", "x", "1/(1 + LambertW(exp(x)))"))

# ---------------------------------------------------------------- text programs and LaTeX (Russian notation)
w("tx01", "latex", True, lambda: V(r"\operatorname{tg} x", "x", r"\frac{1}{\cos^2 x}"))
w("tx02", "latex", False, lambda: V(r"\operatorname{tg} x", "x", r"\frac{1}{\sin^2 x}"))
w("tx03", "latex", True, lambda: V(r"\operatorname{th} x", "x", r"1 - \operatorname{th}^2 x"))
w("tx04", "latex", True, lambda: V(r"\ln(x^2 + 1)", "x", r"\frac{2x}{x^2+1}"))
w("tx05", "latex", False, lambda: V(r"\ln(x^2 + 1)", "x", r"\frac{x}{x^2+1}"))
w("tx06", "latex", True, lambda: V(r"\arctg x", "x", r"\frac{1}{1+x^2}"))
w("tx07", "latex", True, lambda: V(r"x \cdot e^{x}", "x", r"(x+1) e^{x}"))
w("tx08", "latex", False, lambda: V(r"x \cdot e^{x}", "x", r"x e^{x}"))
w("tx09", "latex", True, lambda: V(r"\sqrt{x^2 + 10^{20}}", "x", r"\frac{x}{\sqrt{x^2+10^{20}}}"))
w("tx10", "latex", True, lambda: V(r"\frac{x^3}{3}", "x", r"(x + 2^{100})^2 - 2^{101} x - 2^{200}"))
w("tx11", "latex", True, lambda: V(r"\operatorname{ctg} x", "x", r"-\frac{1}{\sin^2 x}"))
w("tx12", "latex", True, lambda: I(r"\operatorname{ch}^2 x - \operatorname{sh}^2 x", "1"))
w("tx13", "latex", False, lambda: V(r"\left| x - 10^{9} \right|", "x", "-1"))
w("tx14", "latex", True, lambda: V(r"x^{2} \sin x", "x", r"2x \sin x + x^2 \cos x"))
w("tx15", "latex", False, lambda: V(r"x^{2} \sin x", "x", r"2x \sin x - x^2 \cos x"))
w("tx16", "latex", True, lambda: V(r"e^{-x^2/2}", "x", r"-x e^{-x^2/2}"))
w("tx17", "latex", True, lambda: V(r"\ln\ln x", "x", r"\frac{1}{x \ln x}", where=["x > 1"]))
w("tx18", "latex", True, lambda: I(r"\sin 2x", r"2 \sin x \cos x"))
w("tx19", "latex", True, lambda: V(r"\arcsin \frac{x}{2}", "x", r"\frac{1}{\sqrt{4 - x^2}}", where=["x > -2", "x < 2"]))
w("tx20", "latex", False, lambda: V(r"\arcsin \frac{x}{2}", "x", r"\frac{2}{\sqrt{4 - x^2}}", where=["x > -2", "x < 2"]))
w("tx21", "latex", True, lambda: V("u = x**2 + 1\nv = log(u)\nF = v*u", "x", "2*x*log(x**2 + 1) + 2*x"))
w("tx22", "latex", False, lambda: V("u = x**2 + 1\nv = log(u)\nF = v*u", "x", "2*x*log(x**2 + 1) + x"))
w("tx23", "latex", True, lambda: V("t = exp(x)\nF = t/(1 + t)", "x", "exp(x)/(1 + exp(x))**2"))
w("tx24", "latex", True, lambda: V(r"\operatorname{tg}^2 x", "x", r"\frac{2\operatorname{tg} x}{\cos^2 x}"))
w("tx25", "latex", True, lambda: V(r"\operatorname{arcctg} x", "x", r"-\frac{1}{1+x^2}"))
w("tx26", "latex", False, lambda: V("x^2", "x", r"2x + \frac{x^3}{10^{40}}"))
w("tx27", "latex", False, lambda: V(r"\operatorname{sh} x", "x", r"\operatorname{ch} x + \frac{1}{10^{30}}"))
w("tx28", "latex", True, lambda: V(r"\max(x, 0)", "x", r"\frac{1 + \operatorname{sign} x}{2}"))
w("tx29", "latex", False, lambda: V(r"\max(x, 10^{9})", "x", "1"))
w("tx30", "latex", True, lambda: V(r"\lg x", "x", r"\frac{1}{x \ln 10}", where=["x > 0"]))
w("tx31", "latex", False, lambda: V(r"\operatorname{arctg} \frac{1}{x}", "x", r"\frac{1}{1 + x^2}", where=["x > 0"]))
w("tx32", "latex", True, lambda: V(r"\operatorname{arctg} \frac{1}{x}", "x", r"-\frac{1}{1 + x^2}", where=["x > 0"]))
w("tx33", "latex", False, lambda: I(r"\sqrt{x^2}", "x", where=["x > -10^{-9}"]))
w("tx34", "latex", False, lambda: V("a = x*y\nb = Abs(a - 10**6)\nF = b", "x", "y"))          # -y where xy < 1e6

# a program text whose line is a kink in a long product
w("tx35", "latex", True, lambda: V("a = x*y\nb = Abs(a - 10**6)\nF = b", "x", "y*sign(x*y - 10**6)"))

# ---------------------------------------------------------------- round 10b: windows narrower than the probes, edges, irrational kinks
w("b01", "near", False, lambda: V("x**2", "x", "2*x + Heaviside(x - 3)*Heaviside(3 + 10**-30 - x)"))   # a window 1e-30 wide
w("b02", "near", False, lambda: V("Abs(x - sqrt(2))", "x", "sign(x - 1.41421356)"))   # wrong on (1.41421356, sqrt 2)
w("b03", "near", False, lambda: V("Abs(x - pi)", "x", "sign(x - 355/113)"))           # wrong on (pi, 355/113)
w("b04", "near", False, lambda: I("Abs(x - 1)", "1 - x", where=["x < 1 + 10**-12"]))   # wrong on (1, 1 + 1e-12)
w("b05", "far", False, lambda: V("x*y", "x", "y + Heaviside(x - y - 10**9)*Heaviside(10**9 + 1 - x + y)"))
w("b06", "far", False, lambda: V("x**2", "x", "2*x + (x - 10**9 + Abs(x - 10**9))**(1/2)"))
w("b07", "far", False, lambda: V("Abs(x)", "x", "1", where=[sp.Or(x > 10**9, x < -10**9)]))
w("b08", "far", False, lambda: V("exp(-x)", "x", "-exp(-x) + exp(-2*x)", where=["x > 10**5"]))  # e**-1e5 relative
w("b09", "far", False, lambda: V("10**50*x + sin(x)", "x", "10**50 - cos(x)"))
w("b10", "far", False, lambda: V("exp(x*y)", ["x", "y"], ["y*exp(x*y)", "x*exp(x*y) + Heaviside(y - 10**10)"]))
w("b11", "far", False, lambda: V("x*y*z", "x", "y*z + Heaviside(x + y + z - 3*10**12)"))
w("b12", "kink", False, lambda: V("x*Abs(x)", "x", "2*x"))
w("b13", "kink", False, lambda: V("x - floor(x*10**6)/10**6", "x", "0"))
w("b14", "kink", True, lambda: V("floor(x*10**6)/10**6", "x", "0"))
w("b15", "kink", True, lambda: V("frac(x*10**6)", "x", "10**6"))
w("b16", "kink", True, lambda: V(sp.Max(x, 0), x, sp.Heaviside(x, 0)))
w("b17", "kink", False, lambda: V("Max(x, y)", "y", "Heaviside(y - x - x**2/10**12)"))    # wrong for x < y < x + x^2/1e12
w("b18", "branch", False, lambda: V("x**2", "x", "2*x*(x**3)**(1/3)/x"))                # complex claim for x < 0
w("b19", "branch", True, lambda: I("atan2(y, x)", "2*atan(y/(sqrt(x**2 + y**2) + x))", where=["y != 0"]))
w("b20", "branch", False, lambda: I("atan2(y, x)", "atan(y/x) + pi*Heaviside(-x)", where=["x != 0"]))  # -pi for x<0, y<0
w("b21", "branch", True, lambda: I("acos(x)", "pi/2 - asin(x)"))
w("b22", "scale", True, lambda: V("x**2", "x", "2*x", where=["x > 10**200"]))
w("b23", "scale", True, lambda: V("log(x)", "x", "1/x", where=["x > 10**-300", "x < 10**-299"]))
w("b24", "scale", False, lambda: V("log(x)", "x", "1/x + Heaviside(x - 5*10**-300)/x", where=["x > 10**-300", "x < 10**-299"]))
w("b25", "scale", True, lambda: V("x**3", "x", "3*x**2", where=["x > -10**-300", "x < 10**-300"]))
w("b26", "cancel", True, lambda: I("log(1 + x) - log(x)", "log(1 + 1/x)", where=["x > 0"]))
w("b27", "cancel", True, lambda: I("tanh(x)", "(exp(2*x) - 1)/(exp(2*x) + 1)"))
w("b28", "cancel", True, lambda: V("log(1 + x**2)", "x", "2*x/(1 + x**2)"))
w("b29", "domain", True, lambda: V("sqrt(x)", "x", "sqrt(x)/(2*x)", where=["x > 0"]))
w("b30", "domain", 'any', lambda: V("asin(x)", "x", "1/sqrt(1 - x**2)", where=["x > 1"]))   # no real point of f
w("b31", "cancel", False, lambda: V("x**2", "x", "2*x + sin(x)**2 + 10**-30"))
w("b32", "far", False, lambda: V("x", "x", "1 + Heaviside(x - 10**8)*Heaviside(10**8 + 10**-6 - x)"))  # a 1e-6 window at 1e8
w("b33", "far", False, lambda: V("sin(x)", "x", "cos(x) + Heaviside(sin(x) - 1 + 10**-20)"))   # windows at pi/2 + 2k pi, 2.8e-10 wide
w("b34", "near", False, lambda: V("x**2 + y**2", "y", "2*y + Heaviside(10**-20 - (x - 3)**2 - (y + 4)**2)"))  # a disk of radius 1e-10
w("b35", "near", False, lambda: V("x*y*z", "z", "x*y + Heaviside(1 - (x - 10**6)**2 - (y - 10**6)**2 - z**2)"))  # a ball far away
w("b36", "kink", False, lambda: V("Min(x, y)", "x", "Heaviside(y - x)*Heaviside(x + 10**12)"))   # 0 for x < -1e12 < y
w("b37", "near", False, lambda: V("x**3", "x", "3*x**2 + Heaviside(x**2 - 2)*Heaviside(2 + 10**-25 - x**2)"))  # sqrt 2 windows
# text and LaTeX
w("b40", "latex", True, lambda: V(r"\sqrt[3]{x}", "x", r"\frac{1}{3\sqrt[3]{x^2}}", where=["x > 0"]))
w("b41", "latex", False, lambda: V(r"\sqrt[3]{x}", "x", r"\frac{1}{3\sqrt[3]{x}}", where=["x > 0"]))
w("b42", "latex", True, lambda: V(r"\log_2 x", "x", r"\frac{1}{x \ln 2}", where=["x > 0"]))
w("b43", "latex", True, lambda: V(r"2^{x}", "x", r"2^{x} \ln 2"))
w("b44", "latex", False, lambda: V(r"2^{x}", "x", r"x \cdot 2^{x-1}"))
w("b45", "latex", True, lambda: V(r"\arcsin x + \arccos x", "x", "0", where=["x > -1", "x < 1"]))
w("b46", "latex", True, lambda: V(r"\sin^2 x + \cos^2 x", "x", "0"))
w("b47", "latex", True, lambda: I(r"\operatorname{sh} 2x = 2 \operatorname{sh} x \operatorname{ch} x", None))
w("b48", "latex", False, lambda: I(r"\operatorname{ch} 2x = 2 \operatorname{sh} x \operatorname{ch} x", None))
w("b49", "latex", False, lambda: V(r"\operatorname{arctg} x", "x", r"\frac{1}{1+x^2} + \frac{1}{10^{25}}"))
w("b50", "latex", False, lambda: V(r"\ln|x|", "x", r"\frac{1}{|x|}"))
w("b51", "latex", True, lambda: V(r"\ln|x|", "x", r"\frac{1}{x}"))
w("b52", "latex", False, lambda: V(r"x^2", "x", r"2x + \max(0, x - 10^{12})"))
w("b53", "latex", True, lambda: V(r"\frac{1}{1 + e^{-x}}", "x", r"\frac{e^{-x}}{(1 + e^{-x})^2}"))
w("b54", "latex", False, lambda: V(r"\frac{1}{1 + e^{-x}}", "x", r"\frac{-e^{-x}}{(1 + e^{-x})^2}"))
w("b55", "latex", True, lambda: V("h = x*y\ng = sin(h)\nF = g**2", "y", "2*x*sin(x*y)*cos(x*y)"))
w("b56", "latex", False, lambda: V("h = x*y\ng = sin(h)\nF = g**2", "y", "2*y*sin(x*y)*cos(x*y)"))

# ---------------------------------------------------------------- round 10c: domains the symbolic stage might over-assume, exact
# identities of floor/max/inverse functions, special functions written differently
w("c01", "domain", False, lambda: V("sqrt(x**2)", "x", "1", where=[sp.Or(x > 1, x < -1)]))
w("c02", "domain", False, lambda: V("Abs(x)", "x", "1", where=["x**2 > 1"]))
w("c03", "domain", True, lambda: V("Abs(x)", "x", "1", where=["exp(x) > 1"]))
w("c04", "domain", False, lambda: I("sqrt(y)", "x", where=[sp.Eq(y, x**2)]))                 # |x|, not x
w("c05", "domain", True, lambda: I("Abs(x + y)", "0", where=[sp.Eq(y, -x)]))
w("c06", "kink", True, lambda: I("floor(2*x)", "floor(x) + floor(x + 1/2)"))                # Hermite's identity
w("c07", "kink", True, lambda: I("ceiling(x)", "-floor(-x)"))
w("c08", "kink", True, lambda: I("Max(x, y) - Min(x, y)", "Abs(x - y)"))
w("c09", "kink", True, lambda: I("Max(x, y)", "(x + y + Abs(x - y))/2"))
w("c10", "kink", False, lambda: I("Max(x, y)", "(x + y - Abs(x - y))/2"))
w("c11", "kink", True, lambda: I("sign(x*y)", "sign(x)*sign(y)"))
w("c12", "kink", False, lambda: I("Heaviside(x*y)", "Heaviside(x)*Heaviside(y)"))          # both negative
w("c13", "kink", False, lambda: I("Abs(x + y)", "Abs(x) + Abs(y)"))
w("c14", "kink", False, lambda: I("Min(Abs(x), Abs(y))", "Abs(Min(x, y))"))
w("c15", "branch", False, lambda: I(S("(x**4)**(1/4)"), x))
w("c16", "branch", False, lambda: I("exp(log(x**2)/2)", "x", where=["x != 0"]))
w("c17", "branch", False, lambda: I("log(x**3)", "3*log(x)", where=["x != 0"]))            # 2 pi i apart for x < 0
w("c18", "branch", True, lambda: I("log(x**3)", "3*log(x)", where=["x > 0"]))
w("c19", "branch", True, lambda: I("atan(tan(x))", "x", where=["x > -1.5", "x < 1.5"]))
w("c20", "branch", False, lambda: I("atan(tan(x))", "x", where=["x > -2", "x < 2"]))
w("c21", "branch", False, lambda: I("sqrt(x**2*y**2)", "x*y", where=["x > 0"]))
w("c22", "branch", True, lambda: I("sqrt(x**2*y**2)", "Abs(x*y)"))
w("c23", "branch", True, lambda: I("acos(cos(x))", "Abs(x)", where=["x > -3", "x < 3"]))
w("c24", "branch", True, lambda: I("cos(acos(x))", "x"))
w("c25", "branch", True, lambda: I("atan(x) - atan(y)", "atan((x - y)/(1 + x*y))", where=["x*y > -1"]))
w("c26", "branch", False, lambda: I("atan(x) - atan(y)", "atan((x - y)/(1 + x*y))", where=["x*y != -1"]))
w("c27", "branch", True, lambda: I("2*atan(x)", "atan(2*x/(1 - x**2))", where=["x > -1", "x < 1"]))
w("c28", "branch", False, lambda: I("2*atan(x)", "atan(2*x/(1 - x**2))", where=["x > 0", "x != 1"]))
w("c29", "special", True, lambda: V(sp.loggamma(x), x, sp.digamma(x), where=["x > 0"]))
w("c30", "special", True, lambda: V(sp.erf(x)**2, x, 4 * sp.erf(x) * sp.exp(-x**2) / sp.sqrt(sp.pi)))
w("c31", "special", True, lambda: V(sp.LambertW(x), x, 1 / (x + sp.exp(sp.LambertW(x))), where=["x > 0"]))
w("c32", "special", True, lambda: V(sp.digamma(x), x, sp.polygamma(1, x), where=["x > 0"]))
w("c33", "special", False, lambda: V(sp.digamma(x), x, sp.polygamma(1, x) + sp.Heaviside(x - 10**6) / x**3, where=["x > 0"]))
w("c34", "special", True, lambda: V(sp.gamma(x), x, sp.gamma(x) * sp.polygamma(0, x), where=["x > 0"]))
w("c35", "special", False, lambda: V(sp.gamma(x), x, sp.gamma(x) * sp.log(x), where=["x > 0"]))
w("c36", "special", True, lambda: V(sp.atan2(y**2 + 1, x), x, -(y**2 + 1) / (x**2 + (y**2 + 1)**2)))
w("c37", "kink", True, lambda: V("Abs(x)*Abs(y)", "x", "sign(x)*Abs(y)"))
w("c38", "kink", True, lambda: V("Max(x, 0)*Max(y, 0)", "x", "Heaviside(x)*Max(y, 0)"))
w("c39", "kink", False, lambda: V("Max(x, 0)*Max(y, 0)", "x", "Heaviside(x)*y"))
w("c40", "kink", True, lambda: V(sp.Piecewise((x, x < 1), (x + 5, True)), x, 1))          # a jump: 1 a.e.
w("c41", "kink", False, lambda: V(sp.Piecewise((x, x < 1), (x + 5, True)), x, sp.Piecewise((1, x < 1), (0, True))))
w("c42", "magnitude", True, lambda: V("x**(-300)", "x", "-300*x**(-301)"))
w("c43", "magnitude", True, lambda: V("exp(x**2)", "x", "2*x*exp(x**2)"))
w("c44", "magnitude", False, lambda: V("exp(exp(x))", "x", "exp(x + exp(x)) + Heaviside(x - 50)"))
w("c45", "far", False, lambda: V("x*y*z", ["x", "y", "z"], ["y*z", "x*z", "x*y + Heaviside(z - 10**9)"]))
w("c46", "cancel", True, lambda: I("(x + y)**2 - (x - y)**2", "4*x*y"))
w("c47", "far", False, lambda: V("x**2", "x", sp.Piecewise((2 * x, x**2 + 1 > x**4 / 10**20), (0, True))))
w("c48", "far", False, lambda: V("a = x - 10**9\nb = Max(a, 0)\nF = b*x", "x", "x*Heaviside(x - 10**9)"))
w("c49", "far", True, lambda: V("a = x - 10**9\nb = Max(a, 0)\nF = b*x", "x", "Max(x - 10**9, 0) + x*Heaviside(x - 10**9)"))
w("c50", "latex", True, lambda: V(r"x \lfloor x \rfloor", "x", r"\lfloor x \rfloor"))
w("c51", "latex", False, lambda: V(r"\lfloor x \rfloor", "x", "1"))
w("c52", "latex", True, lambda: V(r"\left|\sin x\right|", "x", r"\operatorname{sign}(\sin x) \cos x"))
w("c53", "latex", True, lambda: V(r"e^{\sin x}", "x", r"e^{\sin x}\cos x"))
w("c54", "latex", True, lambda: V(r"\sqrt{\operatorname{tg} x}", "x", r"\frac{1}{2\sqrt{\operatorname{tg} x}\cos^2 x}", where=["x > 0", "x < 1.5"]))
w("c55", "latex", True, lambda: I(r"\operatorname{tg} x \cdot \operatorname{ctg} x", "1", where=["x > 0", "x < 1.5"]))
w("c56", "latex", True, lambda: V(r"\frac{\sin x}{x}", "x", r"\frac{x\cos x - \sin x}{x^2}", where=["x != 0"]))
w("c57", "latex", True, lambda: V(r"\operatorname{arctg} e^{x}", "x", r"\frac{e^x}{1 + e^{2x}}"))
w("c58", "latex", True, lambda: V(r"\ln(\operatorname{ch} x)", "x", r"\operatorname{th} x"))
w("c59", "latex", False, lambda: V(r"\ln(\operatorname{ch} x)", "x", r"\operatorname{cth} x", where=["x != 0"]))
w("c60", "latex", False, lambda: V(r"\sqrt{x^2 + 1}", "x", r"\frac{x}{\sqrt{x^2+1}} + \frac{1}{10^{18} x^2 + 1}"))

# ---------------------------------------------------------------- round 10d: what where= lets the symbolic stage assume; tiny relative errors
w("d01", "domain", False, lambda: V("sqrt(x**2)", "x", "1", where=["x*y > 0"]))
w("d02", "domain", True, lambda: I("sqrt(x**2*y**2)", "x*y", where=["x*y > 0"]))
w("d03", "domain", True, lambda: V("sqrt(x**2)", "x", "1", where=["x > y", "y > 0"]))
w("d04", "domain", False, lambda: V("sqrt(x**2)", "x", "1", where=["x > y"]))
w("d05", "domain", True, lambda: V("Abs(x)", "x", "1", where=["x >= 0"]))
w("d06", "domain", True, lambda: V("sqrt(x**2)", "x", "-1", where=["x < 0"]))
w("d07", "domain", True, lambda: V("Abs(x)", "x", "1", where=["1/x > 0"]))
w("d08", "domain", True, lambda: V("Abs(x - 1)", "x", "1", where=["x**3 > 8"]))
w("d09", "domain", False, lambda: V("Abs(x - 3)", "x", "1", where=["x**3 > 8"]))
w("d10", "domain", True, lambda: V("Abs(sin(x))", "x", "cos(x)", where=["sin(x) > 0"]))
w("d11", "domain", True, lambda: V("acos(x)", "x", "-1/sqrt(1 - x**2)", where=["Abs(x) < 1"]))
w("d12", "domain", False, lambda: V("Abs(sin(x))", "x", "cos(x)", where=["cos(x) > 0"]))
w("d13", "scale", False, lambda: V("x**2", "x", "2*x + x/10**400"))
w("d14", "scale", False, lambda: V("x**2", "x", "2*x + x/10**5000"))
w("d15", "scale", False, lambda: V("x**2", "x", "2*x + 1e-400*x"))   # (SymPy itself would round 1e-400*x away)
w("d16", "scale", True, lambda: V("x**2", "x", "2*x", where=["x > 10**300"]))
w("d17", "scale", True, lambda: V("exp(x)", "x", "exp(x)", where=["x > 10**10"]))
w("d18", "latex", True, lambda: V(r"x \ln x", "x", r"\ln x + 1", where=["x > 0"]))
w("d19", "latex", True, lambda: V(r"x\ln x - x", "x", r"\ln x", where=["x > 0"]))
w("d20", "latex", False, lambda: V(r"\frac{1}{x}", "x", r"\frac{1}{x^2}", where=["x != 0"]))
w("d21", "latex", True, lambda: I(r"\cos^2 x - \sin^2 x = \cos 2x", None))
w("d22", "latex", True, lambda: I(r"\operatorname{tg} x = \frac{\sin x}{\cos x}", None))
w("d23", "latex", True, lambda: V(r"\exp(-x^2)", "x", r"-2x\exp(-x^2)"))
w("d24", "latex", False, lambda: I(r"\operatorname{tg} x = \frac{\cos x}{\sin x}", None))
w("d25", "latex", False, lambda: V(r"\sqrt{x}", "x", r"\frac{1}{2\sqrt{x}} + \frac{1}{10^{40}}", where=["x > 0"]))
# decimals in text are the decimals written (a Python float would make 1e-400 zero and round the rest)
w("d26", "scale", False, lambda: V("x**2", "x", "2.0000000000000000000001*x"))
w("d27", "scale", True, lambda: I("0.1 + 0.2", "0.3"))
w("d28", "scale", True, lambda: I("x*0.1*3", "0.3*x"))
w("d29", "scale", False, lambda: I("exp(x)*1e-400", "0"))
w("d30", "scale", False, lambda: V("a = x*1e-300\nb = a*1e-300\nF = b", "x", "0"))

# ---------------------------------------------------------------- round 10e: the kinds of examples with other numbers and functions
w("e01", "scale", False, lambda: V("x**4/10**50", "x", "-4*x**3/10**50"))
w("e02", "far", False, lambda: V("x", "x", "1 + exp(x - 10**20)"))
w("e03", "far", False, lambda: V("x", "x", "1 + exp(-x - 10**6)"))
w("e04", "far", False, lambda: V("sin(x)", "x", "cos(x) + Heaviside(-x - 3*10**4)"))
w("e05", "scale", False, lambda: V("x", "x", "1 + x/10**25"))
w("e06", "branch", False, lambda: I("log(x**4)", "4*log(x)", where=["x != 0"]))
w("e07", "branch", False, lambda: I("log(x**2*y**2)", "2*log(x) + 2*log(y)", where=["x > 0", "y != 0"]))
w("e08", "near", False, lambda: V("x*y", "x", "y + Heaviside(x*y + 3*10**5)*Heaviside(-x*y - 3*10**5 + 1)"))
w("e09", "kink", False, lambda: V("x*y*z", "x", "y*z + Heaviside(x*y - z - 10**7)"))
w("e10", "cancel", True, lambda: I("cosh(2*x) - 2*sinh(x)**2", "1"))
w("e11", "cancel", True, lambda: I("cosh(2*x) - 2*cosh(x)**2", "-1"))
w("e12", "cancel", True, lambda: V("x**4/4", "x", "(x + 3**300)**3 - 3**301*x**2 - 3**601*x - 3**900"))
w("e13", "cancel", False, lambda: V("x**4/4", "x", "(x + 3**300)**3 - 3**301*x**2 - 3**601*x - 3**900 + 1"))
w("e14", "cancel", True, lambda: I("(x - 10**50)*(x + 10**50)", "x**2 - 10**100"))
w("e15", "cancel", True, lambda: I("exp(x - 10**4)*exp(10**4)", "exp(x)"))
w("e16", "cancel", True, lambda: I("log(exp(x)*10**300)", "x + 300*log(10)"))
w("e17", "scale", True, lambda: V("log(x**2 + 10**-300)", "x", "2*x/(x**2 + 10**-300)"))
w("e18", "scale", False, lambda: V("log(x**2 + 10**-300)", "x", "2/x", where=["x != 0"]))
w("e19", "latex", False, lambda: V(r"\frac{x^2}{10^{30}}", "x", r"-\frac{2x}{10^{30}}"))
w("e20", "latex", True, lambda: V(r"\operatorname{ch}^2 x - \operatorname{sh}^2 x", "x", "0"))
w("e21", "kink", False, lambda: V("p = x*y\nq = Max(p, 10**5)\nF = q", "x", "y"))
w("e22", "kink", True, lambda: V("Abs(x)**(1/2)", "x", "sign(x)/(2*sqrt(Abs(x)))"))
w("e23", "kink", False, lambda: V("Abs(x)**(1/2)", "x", "1/(2*sqrt(Abs(x)))"))
w("e24", "branch", False, lambda: V(S("(x**2)**(1/3)"), x, S("2/(3*x**(1/3))"), where=["x != 0"]))
w("e25", "branch", True, lambda: V(S("(x**2)**(1/3)"), x, S("2*sign(x)/(3*Abs(x)**(1/3))"), where=["x != 0"]))
w("e26", "branch", False, lambda: V("atan2(y, x)", "x", "-y/(x**2 + y**2) + Heaviside(-x)*Heaviside(-y)"))
w("e27", "branch", True, lambda: V("acos(x)", "x", "-1/sqrt(1 - x**2)", where=["x > -0.999999", "x < 0.999999"]))
w("e28", "kink", True, lambda: V("Max(x, y, 0)", "x", "Heaviside(x - y)*Heaviside(x)"))
w("e29", "kink", True, lambda: V("Min(Max(x, 0), 1)", "x", "Heaviside(x)*Heaviside(1 - x)"))
w("e30", "kink", False, lambda: V("Min(Max(x, 0), 1)", "x", "Heaviside(x)"))
w("e31", "kink", True, lambda: V("floor(x)**2", "x", "0"))
w("e32", "kink", False, lambda: V("ceiling(x/10**9)*x", "x", "1"))
w("e33", "kink", True, lambda: V("sign(x - y)*(x - y)**3", "y", "-3*Abs(x - y)*(x - y)"))
w("e34", "kink", False, lambda: V("sign(x - y)*(x - y)**3", "y", "3*Abs(x - y)*(x - y)"))

# ---------------------------------------------------------------- round 10f: small disks, balls and ellipses in several variables
w("f01", "near", False, lambda: V("x*y + z", "x", "y + Heaviside(10**-8 - (x - 2)**2 - (y + 1)**2 - (z - 3)**2)"))
w("f02", "near", False, lambda: V("x*y", "y", "x + Heaviside(1 - 10**6*(x - 5)**2 - 10**8*(y - 7)**2)"))
w("f03", "near", False, lambda: V("x + y", "y", "1 + Heaviside(10**-10 - (x + y - 3)**2 - (x - y - 1)**2)"))
w("f04", "near", True, lambda: V(sp.Piecewise((x * y, (x - 1)**2 + (y - 1)**2 < R(1, 10**6)), (0, True)), x,
                                 sp.Piecewise((y, (x - 1)**2 + (y - 1)**2 < R(1, 10**6)), (0, True))))
w("f05", "near", False, lambda: V(sp.Piecewise((x * y, (x - 1)**2 + (y - 1)**2 < R(1, 10**6)), (0, True)), x, 0))
w("f06", "near", False, lambda: I("Max(x**2 + y**2, 10**-12)", "x**2 + y**2"))
w("f07", "near", False, lambda: I("Max((x - 3)**2 + (y + 2)**2, 10**-12)", "(x - 3)**2 + (y + 2)**2"))
w("f08", "far", False, lambda: V("x + y", "x", "1 + Heaviside(-(x - 10**7)**2 - y**2 + 1)"))
w("f09", "near", False, lambda: V("x**2", "x", "2*x + Heaviside(10**-30 - (x - 1/3)**2)"))
