"""Adversarial suite for symdiff.verify / verify_identity (issue 11).

Each case: (id, family, truth, budget, thunk) where thunk() -> (fn_name, args, kwargs)
is built inside a forked child (so nothing huge is built in the runner).

truth:
  True   the claim / identity holds on the domain (a.e. for kinks)  -> 'refuted' is a failure
  False  wrong on a set of positive measure                        -> 'proved' or 'consistent' is a failure
  'mz'   wrong only on a set of measure zero                        -> 'proved' is a failure, 'consistent' tolerated (<=3)
  'pole' wrong only where a polynomial divisor cancelled by rational-function algebra is 0, at an
         exact point where the other side is finite                -> anything but 'refuted' is a failure
  'ae'   true a.e., one side undefined on a measure-zero set         -> 'refuted' failure; 'proved' noted (deliverable 1)
  'err'  bad input: must raise a SymdiffError subclass
  'any'  budget / robustness: any verdict or SymdiffError, within budget + 1 s
  'T|err' true claim, or a clear SymdiffError (symbol-name clash) accepted
  'F|err' wrong claim, or a clear SymdiffError accepted
"""
import sympy as sp

x, y, z, t = sp.symbols("x y z t", real=True)
L = {"x": x, "y": y, "z": z, "t": t}


def S(text):
    return sp.sympify(text, locals=dict(L))


CASES = []


def case(cid, family, truth, budget=3):
    def deco(fn):
        CASES.append((cid, family, truth, budget, fn))
        return fn
    return deco


def V(f, wrt, claimed, where=(), budget=3):
    return ("verify", (f, wrt, claimed), {"where": where, "budget": budget})


def I(lhs, rhs, where=(), budget=3):
    return ("verify_identity", (lhs, rhs), {"where": where, "budget": budget})


def add(cid, family, truth, thunk, budget=3):
    CASES.append((cid, family, truth, budget, thunk))


# ---------------------------------------------------------------- far away
add("far01", "far", False, lambda: V("x**2", "x", "2*x + exp(x - 700)"))
add("far02", "far", False, lambda: V("x", "x", "1 + exp(x - 10**4)"))          # overflow region hides it
add("far03", "far", False, lambda: V("x", "x", "1 + exp(x - 10**6)"))
add("far04", "far", False, lambda: V(sp.sin(x), x, sp.cos(x) + sp.Heaviside(x - 12345)))
add("far05", "far", False, lambda: V(sp.sin(x), x, sp.cos(x) + sp.Heaviside(x - 10**9)))  # beyond 1e8
add("far06", "far", False, lambda: V(sp.sin(x), x, sp.cos(x) + sp.Heaviside(-x - 10**12)))  # far negative
add("far07", "far", False, lambda: V("x**3", "x", "3*x**2 + x**4/10**40"))    # rel 3e-25 at 1e8
add("far08", "far", False, lambda: V("x**2", "x", "2*x + x/10**22"))           # rel 5e-23 everywhere
add("far09", "far", False, lambda: V("exp(x)", "x", "exp(x)*(1 + 1/10**25)"))
add("far10", "far", False, lambda: V("x", "x", "1 + exp(-(x - 300)**2)"))     # bump at 300
add("far11", "far", False, lambda: V(sp.atan(x), x, 1 / (1 + x**2) + sp.Max(0, x - 10**4)))
add("far12", "far", False, lambda: V(x * y, x, y + sp.Heaviside(x + y - 2000)))
add("far13", "far", False, lambda: I("x", "x + exp(-x**2)/10**40"))
add("far14", "far", False, lambda: V("x**3", "x", "3*x**2 + 1/(1000*(1 + 10**12*(x - 2)**2))"))
add("far15", "far", False, lambda: V(sp.cos(x), x, -sp.sin(x) + x**3 / 10**30))
add("far16", "far", False, lambda: V(sp.Abs(x - 10**6), x, -1))
add("far17", "far", False, lambda: V(sp.Max(x, 10**7), x, 0))
add("far18", "far", False, lambda: V(x * y * z, x, y * z + sp.Heaviside(x * y * z - 10**4)))
add("far19", "far", False, lambda: V(x**2 * y, y, x**2 + sp.Heaviside(x**2 * y - 3 * 10**6)))
add("far20", "far", False, lambda: V("tanh(x)", "x", "1 - tanh(x)**2 + exp(x - 50000)"))
add("far21", "far", False, lambda: I(sp.log(x), sp.log(x) + sp.Heaviside(x - 10**20), where=["x > 0"]))
# ---------------------------------------------------------------- near a point
add("near01", "near", False, lambda: V(x**2, x, sp.Piecewise((2 * x + 1, (x > 3) & (x < S("3.001"))), (2 * x, True))))
add("near02", "near", False, lambda: V(sp.sin(x), x, sp.cos(x) + sp.Max(0, S("1e-6") - sp.Abs(x - 7))))
add("near03", "near", False, lambda: V(x**4, x, 4 * x**3 + sp.Heaviside(x - S("1e-7")) - sp.Heaviside(x - S("2e-7"))))
add("near04", "near", False, lambda: V(sp.Abs(x - 3), x, sp.sign(x - S("3.0001"))))
add("near05", "near", False, lambda: V(sp.exp(x), x, sp.exp(x) * (1 + sp.Heaviside(S("1e-9") - sp.Abs(x + 2)))))
add("near06", "near", False, lambda: I(sp.Abs(x), x, where=["x > -1e-9"]))     # wrong on (-1e-9, 0)
add("near07", "near", False, lambda: V(x**2, x, 2 * x + sp.exp(-10**6 * (x - S(1) / 3)**2)))
# ---------------------------------------------------------------- scale
add("scale01", "scale", False, lambda: V("x**3/10**30", "x", "3*x**2/10**30 + x/10**30"))
add("scale02", "scale", False, lambda: V("10**30*x**2", "x", "2*10**30*x + 1"))
add("scale03", "scale", False, lambda: V("sin(x/10**30)", "x", "cos(x/10**30)"))
add("scale04", "scale", True, lambda: V("sin(10**30*x)", "x", "10**30*cos(10**30*x)"))
add("scale05", "scale", True, lambda: V("log(10**30*x)", "x", "1/x", where=["x > 0"]))
add("scale06", "scale", False, lambda: V("log(x/10**30)", "x", "1/x + 1/10**30", where=["x > 0"]))
add("scale07", "scale", False, lambda: V("x**2/10**30", "x", "2*x/10**30*(1 + 1/10**10)"))
add("scale08", "scale", True, lambda: V("(x/10**30)**2", "x", "2*x/10**60"))
add("scale09", "scale", False, lambda: V("(x/10**30)**2", "x", "2*x/10**59"))
add("scale10", "scale", False, lambda: I("x/10**30 + 1", "1"))
add("scale11", "scale", False, lambda: V("x**2*y/10**40", "y", "-x**2/10**40"))
add("scale12", "scale", True, lambda: V("exp(x*10**30)", "x", "10**30*exp(10**30*x)"))
add("scale13", "scale", False, lambda: V("10**-30*sin(x)", "x", "10**-30*cos(x) + 10**-31*cos(x)"))
add("scale14", "scale", True, lambda: V("10**30*x**3 + 10**-30*x", "x", "3*10**30*x**2 + 10**-30"))
add("scale15", "scale", False, lambda: V("10**30*x**3 + 10**-30*x", "x", "3*10**30*x**2"))  # drops tiny term
# ---------------------------------------------------------------- branch cuts
add("br01", "branch", True, lambda: I("log(x**2)", "2*log(Abs(x))", where=["x != 0"]))
add("br02", "branch", False, lambda: I("sqrt(x**2)", "x"))
add("br03", "branch", False, lambda: I("sqrt(x*y)", "sqrt(x)*sqrt(y)", where=["x < 0", "y < 0"]))
add("br04", "branch", True, lambda: I("sqrt(x*y)", "sqrt(x)*sqrt(y)", where=["x > 0", "y > 0"]))
add("br05", "branch", True, lambda: I("atan(y/x)", "atan2(y, x)", where=["x > 0"]))
add("br06", "branch", False, lambda: I("atan(y/x)", "atan2(y, x)", where=["x != 0"]))
add("br07", "branch", True, lambda: V(x**sp.Rational(1, 3), x, x**sp.Rational(-2, 3) / 3, where=["x > 0"]))
add("br08", "branch", False, lambda: I((x**3)**sp.Rational(1, 3), x))        # complex for x<0
add("br09", "branch", False, lambda: I("log(x*y)", "log(x) + log(y)", where=["x < 0", "y < 0"]))
add("br10", "branch", True, lambda: I("log(exp(x))", "x"))
add("br11", "branch", True, lambda: I(sp.exp(sp.log(x)), x, where=["x != 0"]))  # true also for x<0
add("br12", "branch", True, lambda: I("asin(sin(x))", "x", where=["x > -1.5", "x < 1.5"]))
add("br13", "branch", False, lambda: I("asin(sin(x))", "x"))
add("br14", "branch", True, lambda: V("acos(x)", "x", "-1/sqrt(1 - x**2)", where=["x > -1", "x < 1"]))
add("br15", "branch", False, lambda: V("acos(x)", "x", "1/sqrt(1 - x**2)", where=["x > -1", "x < 1"]))
add("br16", "branch", True, lambda: V("log(x**2)", "x", "2/x", where=["x != 0"]))
add("br17", "branch", False, lambda: V("sqrt(x**2)", "x", "1"))
add("br18", "branch", True, lambda: V("atan2(y, x)", "x", "-y/(x**2 + y**2)"))
add("br19", "branch", False, lambda: V("atan2(y, x)", "y", "-x/(x**2 + y**2)"))
add("br20", "branch", True, lambda: V(x**y, y, x**y * sp.log(x), where=["x > 0"]))
add("br21", "branch", False, lambda: V(x**y, x, y * x**y, where=["x > 0"]))
add("br22", "branch", True, lambda: V(sp.Abs(x)**sp.Rational(3, 2), x, sp.Rational(3, 2) * sp.sign(x) * sp.sqrt(sp.Abs(x))))
add("br23", "branch", False, lambda: I(S("(-8)**(1/3)"), S("-2")))
add("br24", "branch", False, lambda: I("log(x**2)", "2*log(x)", where=["x < 0"]))
add("br25", "branch", False, lambda: V("sqrt(x)", "x", "1/(2*sqrt(x)) + Heaviside(x - 5*10**6)/x**2", where=["x > 10**6"]))
add("br26", "branch", True, lambda: V("sqrt(x)", "x", "1/(2*sqrt(x))", where=["x > 10**6"]))
add("br27", "branch", False, lambda: I(sp.Pow(x**2, sp.Rational(3, 2)), x**3))  # |x|^3 != x^3 for x<0
# ---------------------------------------------------------------- kinks
add("kink01", "kink", True, lambda: V(sp.Abs(x - 3), x, sp.sign(x - 3)))
add("kink02", "kink", True, lambda: V(sp.Max(x, y), x, sp.Heaviside(x - y)))
add("kink03", "kink", False, lambda: V(sp.Max(x, y), x, sp.Heaviside(x - y - S("1e-3"))))
add("kink04", "kink", True, lambda: V(sp.Max(x * y, 1), x, sp.Piecewise((y, x * y > 1), (0, True))))
add("kink05", "kink", False, lambda: V(sp.Max(x * y, 1), x, sp.Piecewise((y, x * y > S("1.001")), (0, True))))
add("kink06", "kink", True, lambda: V(sp.Abs(x * y - 50), y, x * sp.sign(x * y - 50)))
add("kink07", "kink", False, lambda: V(sp.Abs(x * y - 50), y, x * sp.sign(x * y - 51)))
add("kink08", "kink", True, lambda: V(sp.floor(x) * x, x, sp.floor(x)))
add("kink09", "kink", False, lambda: V(sp.floor(x) * x, x, x))
add("kink10", "kink", True, lambda: V(sp.ceiling(x) + x**2, x, 2 * x))
add("kink11", "kink", True, lambda: V(sp.Piecewise((x**2, x + y > 0), (-x**2, True)), x,
                                      sp.Piecewise((2 * x, x + y > 0), (-2 * x, True))))
add("kink12", "kink", False, lambda: V(sp.Piecewise((x**2, x + y > 0), (-x**2, True)), x,
                                       sp.Piecewise((2 * x, x + y >= 1), (-2 * x, True))))
add("kink13", "kink", True, lambda: V(sp.Min(x, 2 * x), x, sp.Piecewise((2, x < 0), (1, True))))
add("kink14", "kink", False, lambda: V(sp.Min(x, 2 * x), x, sp.Piecewise((1, x < 0), (2, True))))
add("kink15", "kink", False, lambda: V(sp.Abs(x**2 + y**2 - 10**6), x, 2 * x))
add("kink16", "kink", False, lambda: V(sp.Max(x + y, 0) * z, z, x + y))       # wrong for x+y<0
add("kink17", "kink", True, lambda: V(sp.Max(x + y, 0) * z, z, sp.Max(x + y, 0)))
add("kink18", "kink", False, lambda: V(sp.Piecewise((x * y, (x > 0) & (y > 0)), (0, True)), x,
                                       sp.Piecewise((y, (x > 0) | (y > 0)), (0, True))))
add("kink19", "kink", 'mz', lambda: I(sp.floor(x), 0, where=["x > 0", "x <= 1"]))  # wrong at x=1 only
add("kink20", "kink", True, lambda: I(sp.Max(x, 0), x, where=["x >= 0"]))
add("kink21", "kink", False, lambda: V(sp.frac(x), x, 0))                    # d frac = 1 a.e.
add("kink22", "kink", True, lambda: V(sp.frac(x), x, 1))
add("kink23", "kink", False, lambda: V(sp.sign(x - y) * (x - y), x, 1))      # = |x-y|, derivative sign
add("kink24", "kink", False, lambda: V(sp.Abs(sp.sin(x)), x, sp.cos(x)))   # wrong where sin<0
add("kink25", "kink", False, lambda: V(sp.Heaviside(x * y * z - S("1e5")) * x, x, 0))
# ---------------------------------------------------------------- cancellation (true)
add("canc01", "cancel", True, lambda: I("(x + 2**100)**2 - x**2 - 2**101*x", "2**200"))
add("canc02", "cancel", True, lambda: V("x**3/3", "x", "(x + 2**300)**2 - 2**301*x - 2**600"))
add("canc03", "cancel", True, lambda: V("x**3/3", "x", "(x - 3**200)*(x + 3**200) + 3**400"))
add("canc04", "cancel", True, lambda: I("sec(x)**2 - tan(x)**2", "1"))
add("canc05", "cancel", True, lambda: I("cosh(x)**4 - sinh(x)**4", "cosh(2*x)"))
add("canc06", "cancel", True, lambda: I("sinh(x)**2 - cosh(x)**2 + 1", "0"))
add("canc07", "cancel", True, lambda: V("tanh(x)", "x", "1 - tanh(x)**2"))
add("canc08", "cancel", True, lambda: I("log(1 + exp(x)) - x", "log(1 + exp(-x))"))
add("canc09", "cancel", True, lambda: I("(1 + x/10**40)**2", "1 + 2*x/10**40 + x**2/10**80"))
add("canc10", "cancel", True, lambda: I("sqrt(x**2 + 1) - x", "1/(sqrt(x**2 + 1) + x)"))
add("canc11", "cancel", True, lambda: I("(10**50 + 1)*(10**50 - 1)", "10**100 - 1"))
add("canc12", "cancel", False, lambda: I("(10**50 + 1)*(10**50 - 1)", "10**100"))
add("canc13", "cancel", False, lambda: I("cos(x)**2 + sin(x)**2", "1 + 1/10**60"))
add("canc14", "cancel", True, lambda: V("exp(x)", "x", "cosh(x) + sinh(x)"))
add("canc15", "cancel", True, lambda: I("tan(x + pi/4)", "(1 + tan(x))/(1 - tan(x))"))
add("canc16", "cancel", True, lambda: I("tan(2*x)", "2*tan(x)/(1 - tan(x)**2)"))
add("canc17", "cancel", False, lambda: I("tan(2*x)", "2*tan(x)/(1 + tan(x)**2)"))
add("canc18", "cancel", True, lambda: I("(exp(x) + 1)**2 - exp(2*x) - 2*exp(x)", "1"))
add("canc19", "cancel", True, lambda: V("x**3/3", "x", "(x + 10**150)**2 - 2*10**150*x - 10**300"))
add("canc20", "cancel", True, lambda: I("cosh(x)**2 - sinh(x)**2 + exp(x)", "1 + exp(x)"))
add("canc21", "cancel", True, lambda: V("sinh(x)*cosh(x)", "x", "cosh(x)**2 + sinh(x)**2"))
add("canc22", "cancel", True, lambda: I("(x**2 + y**2 + 10**20)**2 - (x**2 + y**2)**2", "10**40 + 2*10**20*(x**2 + y**2)"))
add("canc23", "cancel", True, lambda: V("exp(x)*cosh(x)**2 - exp(x)*sinh(x)**2", "x", "exp(x)"))
# ---------------------------------------------------------------- magnitudes (true and wrong)
add("mag01", "magnitude", True, lambda: V("exp(1000*x)", "x", "1000*exp(1000*x)"))
add("mag02", "magnitude", True, lambda: V("x**100", "x", "100*x**99"))
add("mag03", "magnitude", True, lambda: V("x**(10**6)", "x", "10**6*x**(10**6 - 1)"))
add("mag04", "magnitude", False, lambda: V("x**(10**6)", "x", "10**6*x**(10**6 - 2)"))
add("mag05", "magnitude", True, lambda: V("1/x**50", "x", "-50/x**51"))
add("mag06", "magnitude", False, lambda: V("exp(-x**2)", "x", "-2*x*exp(-x**2) + exp(-x**2)/10**10"))
add("mag07", "magnitude", True, lambda: V("exp(exp(x))", "x", "exp(x + exp(x))"))
add("mag08", "magnitude", False, lambda: V("x**(10**100)", "x", "10**100*x**(10**100)"))
# ---------------------------------------------------------------- domain restrictions
add("dom01", "domain", True, lambda: V("sqrt(1 - x**2)", "x", "-x/sqrt(1 - x**2)", where=["x > -1", "x < 1"]))
add("dom02", "domain", True, lambda: V("log(log(x))", "x", "1/(x*log(x))", where=["x > 1"]))
add("dom03", "domain", True, lambda: V("log(x)", "x", "1/Abs(x)", where=["x > 0"]))
add("dom04", "domain", True, lambda: V(sp.Abs(x), x, 1, where=["x > 0"]))
add("dom05", "domain", False, lambda: V(sp.Abs(x), x, 1, where=["x > -0.001"]))
add("dom06", "domain", True, lambda: V(x * y, x, y, where=[sp.Eq(y, 2 * x)]))
add("dom07", "domain", False, lambda: V(x * y, x, 4 * x, where=[sp.Eq(y, 2 * x)]))  # total, not partial
add("dom08", "domain", True, lambda: V(sp.log(x), x, 1 / x + sp.Heaviside(-x - 10**6), where=["x > 0"]))
add("dom09", "domain", False, lambda: V(sp.Abs(x - 5), x, 1, where=["x > 0", "x < 10"]))
add("dom10", "domain", True, lambda: V(sp.Abs(x - 5), x, 1, where=["x > 5", "x < 10"]))
add("dom11", "domain", False, lambda: V("x**2", "x", "2*x", where=["x > 1", "x < 0"]))  # empty: any non-proved ok
# ---------------------------------------------------------------- symbol tricks


def _two_x():
    xr = sp.Symbol("x", real=True)
    xp = sp.Symbol("x", positive=True)
    return V(xr**2 + xp, xr, 2 * xr)


def _two_x_true():
    xr = sp.Symbol("x", real=True)
    xp = sp.Symbol("x", positive=True)
    return V(xr * xp, "x", 2 * xr)


def _two_x_identity():
    x0 = sp.Symbol("x")
    xr = sp.Symbol("x", real=True)
    return I(x0 - xr, 0)                  # one variable named x: true


def _two_x_identity_wrong():
    x0 = sp.Symbol("x")
    xr = sp.Symbol("x", real=True)
    return I(sp.sqrt(x0**2), xr)           # |x| vs x: wrong


def _two_x_where():
    xr = sp.Symbol("x", real=True)
    xn = sp.Symbol("x", negative=True)
    return V(sp.Abs(xr), xr, 1, where=[xn > -10])   # where symbol is another x (negative)


add("sym01", "symbols", 'F|err', _two_x)
add("sym02", "symbols", 'T|err', _two_x_true)
add("sym03", "symbols", 'T|err', _two_x_identity)
add("sym04", "symbols", 'F|err', _two_x_identity_wrong)
add("sym05", "symbols", 'F|err', _two_x_where)
add("sym06", "symbols", True, lambda: V(sp.Symbol("sin", real=True) * x, x, sp.Symbol("sin", real=True)))
add("sym07", "symbols", False, lambda: V(sp.Symbol("pi", real=True) * x, x, sp.pi))
add("sym08", "symbols", False, lambda: V(sp.Symbol("E", real=True) * x, x, sp.E))
add("sym09", "symbols", False, lambda: V(sp.Symbol("I", real=True) * x, x, sp.I))
add("sym10", "symbols", True, lambda: V(sp.Symbol("lambda", real=True) * x, x, sp.Symbol("lambda", real=True)))
add("sym11", "symbols", False, lambda: V(x**3, x, sp.Piecewise((3 * x**2, x < 0))))
add("sym12", "symbols", True, lambda: V(sp.Piecewise((x**2, x > 0)), x, 2 * x, where=["x > 0"]))
add("sym13", "symbols", False, lambda: V(x**2, x, sp.Piecewise((2 * x, x > 0), (sp.nan, True))))
add("sym14", "symbols", False, lambda: V(x**2, x, sp.Piecewise((2 * x, x > -1), (sp.zoo, True))))
add("sym15", "symbols", 'pole', lambda: I("(x**2 - 1)/(x - 1)", "x + 1"))
add("sym16", "symbols", False, lambda: I("sqrt(x - Abs(x))", "0"))
add("sym17", "symbols", False, lambda: I(sp.Piecewise((1, x > 0)), 1))
add("sym18", "symbols", 'mz', lambda: I(sp.Piecewise((1, x > 0), (1, x < 0)), 1))
add("sym19", "symbols", False, lambda: V(x**2, x, sp.Piecewise((2 * x, x * y > 0))))   # undefined where xy<=0
add("sym20", "symbols", False, lambda: V(x**2, x, 2 * x * y / y + sp.Piecewise((0, y > 0), (sp.nan, True))))
add("sym21", "symbols", True, lambda: V(sp.sqrt(sp.Symbol("x", positive=True)**2), sp.Symbol("x", positive=True), 1))
add("sym22", "symbols", False, lambda: V("sqrt(x**2)", "x", "1"))
add("sym23", "symbols", False, lambda: V(x, x, 1 / (x - x)))           # zoo claim: wrong everywhere
add("sym24", "symbols", False, lambda: V("x**2", "x", "2*x", where=[sp.Symbol("x", positive=True) > -5]))  # fine, true actually
CASES[-1] = ("sym24", "symbols", 'T|err', 3, CASES[-1][4])
add("sym25", "symbols", False, lambda: V(x * sp.Symbol("y", positive=True), x, sp.Abs(y)))  # y>0 from f's symbol: true!
CASES[-1] = ("sym25", "symbols", 'T|err', 3, CASES[-1][4])
add("sym26", "symbols", 'F|err', lambda: V(x * sp.Symbol("y", positive=True), x, y))   # claim's y real, f's y positive;
# as one variable named y the claim equals the derivative -> actually true; mark T|err
CASES[-1] = ("sym26", "symbols", 'T|err', 3, CASES[-1][4])
add("sym27", "symbols", 'F|err', lambda: V(sp.Abs(sp.Symbol("y", positive=True)) * x, x, y))  # f says y>0 (|y|=y), claim y real
CASES[-1] = ("sym27", "symbols", 'T|err', 3, CASES[-1][4])
add("sym28", "symbols", 'any', lambda: V(sp.Abs(y) * x, x, sp.Symbol("y", positive=True)))  # claim y>0 assumption leaks into domain?
# ---------------------------------------------------------------- matrices


def _mats():
    import symdiff
    n = sp.Symbol("n", integer=True, positive=True)
    A, X, Q = (sp.MatrixSymbol(s, n, n) for s in "AXQ")
    return symdiff, n, A, X, Q


def M(builder, truth, cid):
    add(cid, "matrix", truth, builder, budget=4)


M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(A * X), X, A.T, budget=4))(*_mats()), True, "mat01")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(A * X), X, A, budget=4))(*_mats()), False, "mat02")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(X * X), X, 2 * X.T, budget=4))(*_mats()), True, "mat03")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(X * X), X, 2 * X, budget=4))(*_mats()), False, "mat04")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(X * X), X, 2 * X, where=[s.symmetric(X)], budget=4))(*_mats()), True, "mat05")
M(lambda: (lambda s, n, A, X, Q: V(s.logdet(X), X, X.I, where=[s.spd(X)], budget=4))(*_mats()), True, "mat06")
M(lambda: (lambda s, n, A, X, Q: V(s.logdet(X), X, X, where=[s.spd(X)], budget=4))(*_mats()), False, "mat07")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(X.T * X), X, 2 * X, budget=4))(*_mats()), True, "mat08")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(Q.T * X * Q), X, sp.Identity(n), where=[s.orthogonal(Q)], budget=4))(*_mats()), True, "mat09")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(Q.T * X * Q), X, sp.Identity(n), budget=4))(*_mats()), False, "mat10")
M(lambda: (lambda s, n, A, X, Q: V(sp.Abs(t) * sp.Trace(X), X, t * sp.Identity(n), budget=4))(*_mats()), False, "mat11")
M(lambda: (lambda s, n, A, X, Q: V(sp.Abs(t) * sp.Trace(X), X, sp.Abs(t) * sp.Identity(n), budget=4))(*_mats()), True, "mat12")
M(lambda: (lambda s, n, A, X, Q: V(sp.Max(t, 5) * sp.Trace(A * X), X, t * A.T, budget=4))(*_mats()), False, "mat13")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(A * X) * (1 + sp.Heaviside(t - 1000)), X, A.T, budget=4))(*_mats()), False, "mat14")
M(lambda: (lambda s, n, A, X, Q: V(sp.Determinant(X), X, sp.Determinant(X) * X.I.T, where=[s.invertible(X)], budget=4))(*_mats()), True, "mat15")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(X**3), X, 3 * (X**2).T, budget=4))(*_mats()), True, "mat16")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(X**3), X, 3 * X**2, budget=4))(*_mats()), False, "mat17")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(X) * t**2, t, 2 * t * sp.Trace(X), budget=4))(*_mats()), True, "mat18")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(X) * sp.Abs(t), t, sp.Trace(X), budget=4))(*_mats()), False, "mat19")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(A * X) * t, X, A.T * t * (1 + t**2 / 10**30), budget=4))(*_mats()), False, "mat20")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(A * X) / 10**30, X, -A.T / 10**30, budget=4))(*_mats()), False, "mat21")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(X * X) * sp.Heaviside(t * t - 10**5), X, 2 * X.T, budget=4))(*_mats()), False, "mat22")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(Q * X), X, Q.I, where=[s.orthogonal(Q)], budget=4))(*_mats()), True, "mat23")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(Q * X), X, Q, where=[s.orthogonal(Q)], budget=4))(*_mats()), False, "mat24")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(X.I), X, -(X.I * X.I).T, where=[s.invertible(X)], budget=4))(*_mats()), True, "mat25")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(X.I), X, (X.I * X.I).T, where=[s.invertible(X)], budget=4))(*_mats()), False, "mat26")

# ---------------------------------------------------------------- budget attacks (truth 'any' unless stated)
add("bud01", "budget", 'any', lambda: V("x*((7**2000)**3000)**4000", "x", "0", budget=1), budget=1)
add("bud02", "budget", 'any', lambda: V("x**(2**(2**(2**(2**2))))", "x", "0", budget=1), budget=1)
add("bud03", "budget", 'any', lambda: V("x", "x", r"{{9^{999}}^{999}}^{999}", budget=1), budget=1)
add("bud04", "budget", 'any', lambda: V("9**9**9**9*x", "x", "1", budget=1), budget=1)


def _long_program(n=12000):
    lines = ["a0 = x + 1"] + [f"a{i} = sin(a{i - 1}) + x" for i in range(1, n)]
    return "\n".join(lines)


add("bud05", "budget", 'any', lambda: V(_long_program(), "x", "0", budget=0.1), budget=0.1)
add("bud06", "budget", True, lambda: V("+".join(f"x**{k}" for k in range(1, 1501)), "x",
                                       "+".join(f"{k}*x**{k - 1}" for k in range(1, 1501)), budget=3))
add("bud07", "budget", True, lambda: V("*".join(["x"] * 1200), "x", "1200*x**1199", budget=3))
add("bud08", "budget", 'any', lambda: V("x**2", "x", "2*x", budget=float("inf")), budget=30)
add("bud09", "budget", 'any', lambda: V("x**2", "x", "2*x", budget=-1), budget=0)
add("bud10", "budget", 'err', lambda: V("x**2", "x", "2*x", budget=float("nan")), budget=0)
add("bud11", "budget", 'any', lambda: V("x**2", "x", "2*x", budget=10**400), budget=30)
add("bud12", "budget", 'err', lambda: V("x**2", "x", "2*x", budget="5"), budget=0)
add("bud13", "budget", 'any', lambda: I("x", "x", budget=float("-inf")), budget=0)
add("bud14", "budget", 'any', lambda: V("x**(10**100)", "x", "10**100*x**(10**100 - 1)", budget=2), budget=2)
add("bud15", "budget", 'any', lambda: V("(x + 1)**(10**6)", "x", "10**6*(x + 1)**(10**6 - 1)", budget=2), budget=2)
add("bud16", "budget", 'any', lambda: V("sin(" * 400 + "x" + ")" * 400, "x", "0", budget=1), budget=1)
add("bud17", "budget", 'any', lambda: V("1" + "0" * 200000 + "*x", "x", "1", budget=1), budget=1)
add("bud18", "budget", 'any', lambda: V("(x + y + z + 1)**60", "x", "60*(x + y + z + 1)**59", budget=2), budget=2)
add("bud19", "budget", 'any', lambda: V("+".join(["x"] * 20000), "x", "20000", budget=1), budget=1)
add("bud20", "budget", 'any', lambda: V(r"x \cdot 10^{1000} \cdot 10^{1000} \cdot 10^{1000} \cdot 10^{1000}",
                                        "x", "0", budget=1), budget=1)
add("bud21", "budget", 'any', lambda: V("exp(exp(exp(exp(x))))", "x",
                                        "exp(x + exp(x) + exp(exp(x)) + exp(exp(exp(x))))", budget=1), budget=1)
add("bud22", "budget", 'any', lambda: V("x", "x", "1", budget=1e-9), budget=0)
add("bud23", "budget", 'any', lambda: I("x*" + "*".join(["(x+1)"] * 300), "x*(x+1)**300", budget=1), budget=1)
add("bud24", "budget", 'any', lambda: V("x", "x", "1", budget=sp.Integer(2)), budget=2)
add("bud25", "budget", 'any', lambda: V("x**(10**10**5)", "x", "0", budget=1), budget=1)
add("bud26", "budget", 'any', lambda: V("x**2", "x", "2*x", budget=__import__("numpy").float64("inf")), budget=30)
add("bud27", "budget", 'any', lambda: V("factorial(10**9)*x", "x", "0", budget=1), budget=1)
add("bud28", "budget", 'any', lambda: V("x", "x", "1", seed=2**200, budget=1) if False else
    ("verify", ("x", "x", "1"), {"budget": 1, "seed": 2**200}), budget=1)

# ---------------------------------------------------------------- bad input
add("bad01", "bad", 'err', lambda: V("x**", "x", "1"))
add("bad02", "bad", 'err', lambda: V('__import__("os").system("touch /tmp/symdiff_pwned")', "x", "0"))
add("bad03", "bad", 'err', lambda: V("x", "x", None))
add("bad04", "bad", 'err', lambda: V("x", 3, "1"))
add("bad05", "bad", 'err', lambda: V("x", "x", "1", where=["x >"]))
add("bad06", "bad", 'err', lambda: V("x", "x", "1", where=42))
add("bad07", "bad", 'err', lambda: V(object(), "x", "1"))
add("bad08", "bad", 'err', lambda: I("x", None))
add("bad09", "bad", 'err', lambda: V("x", "x", "[1, 2]"))
add("bad10", "bad", 'err', lambda: V("x", "y z", "1"))
add("bad11", "bad", 'err', lambda: V("x\0", "x", "1"))
add("bad12", "bad", 'err', lambda: V("x", "x", r"\frac{1}{"))
add("bad13", "bad", 'err', lambda: V(lambda q: q, "x", "1"))
add("bad14", "bad", False, lambda: V("x", "x", float("nan")))
add("bad15", "bad", False, lambda: V("x", "x", float("inf")))
add("bad16", "bad", True, lambda: V("x", "x", 1.0))
add("bad17", "bad", 'any', lambda: V("x" * 6_000_000, "x", "1", budget=1), budget=1)
add("bad18", "bad", 'any', lambda: V("x", "x", "1", where=[sp.Eq(x, 1)]))
add("bad19", "bad", 'any', lambda: V("x", "x", "1", where=["y > 0"]))
add("bad20", "bad", 'err', lambda: I(sp.Matrix([1, 2]), sp.Matrix([[1, 2]])))
add("bad21", "bad", 'err', lambda: V("x", 2 * x, "1"))
add("bad22", "bad", 'err', lambda: V(sp.Integral(x, x), x, x))
add("bad23", "bad", 'err', lambda: V("x", "x", sp.Function("g")(x)))
add("bad24", "bad", 'err', lambda: V("x", "x", "1", where=["__import__('os')"]))
add("bad25", "bad", 'err', lambda: V("x.__class__", "x", "1"))
add("bad26", "bad", 'any', lambda: V("x", "x", "1", where=["x > I"]))
add("bad27", "bad", 'any', lambda: V("x", "x", "1", where=[True]))
add("bad28", "bad", 'err', lambda: V("x", "x", "1", where=[x > y, "y"]))
add("bad29", "bad", 'any', lambda: V("x", "x", sp.Float("nan")))
add("bad30", "bad", 'err', lambda: V("x", "", "1"))
add("bad31", "bad", 'err', lambda: V("x", "x", "1" * 30000 + "^"))
add("bad32", "bad", 'any', lambda: V("F = x\nF = 2*x", "x", "2"))
add("bad33", "bad", 'any', lambda: V("lambda: 1", "x", "0"))
add("bad34", "bad", 'any', lambda: I("x", "x", where=[sp.Eq(x, x + 1)]))
add("bad35", "bad", 'any', lambda: V("x", "x", sp.oo))
add("bad36", "bad", 'any', lambda: V("x", "x", "1", where=["x > oo"]))
add("bad37", "bad", 'any', lambda: V("x", "x", "1", where=["x > nan"]))
add("bad38", "bad", 'any', lambda: V("x**2", "x", "2*x", where=["x**2 < -1"]))
add("bad39", "bad", 'any', lambda: V("x", "x", "1", where=["x > 1e400"]))
add("bad40", "bad", 'any', lambda: V("x", "x", "1", where=["x > 10**10**10"]))

# ---------------------------------------------------------------- round 2: attacks on certified / symbolic refutation
# residuals that look nonzero but vanish identically (a naive "Heaviside of a nonconstant argument" refutation)
add("r2_01", "cancel", True, lambda: V(x**2, x, 2 * x + sp.Heaviside(-x**2 - 1)))
add("r2_02", "cancel", True, lambda: V(x**2, x, 2 * x + sp.Heaviside(x**2 + 1) - 1))
add("r2_03", "cancel", True, lambda: V(x**2, x, 2 * x + sp.sign(x**2 + 1) - 1))
add("r2_04", "cancel", True, lambda: V(x**2, x, 2 * x + sp.Max(0, -x**2 - y**2 - 1)))
add("r2_05", "cancel", True, lambda: V(x**2, x, 2 * x + sp.floor(sp.sin(x)**2 / 2)))
add("r2_06", "cancel", True, lambda: I("sqrt(x**2 + 2*x + 1)", "Abs(x + 1)"))
add("r2_07", "cancel", True, lambda: I(sp.exp(x - 10**6), sp.exp(x) / sp.exp(10**6)))
# sympy conventions the ball evaluator must match
add("r2_08", "branch", True, lambda: I("acot(x) + atan(x)", "pi/2", where=["x >= 0"]))   # acot(0) = pi/2 in SymPy
add("r2_09", "branch", True, lambda: V(sp.acot(x), x, -1 / (1 + x**2)))
add("r2_10", "branch", True, lambda: V(sp.sign(x) * sp.Abs(x)**sp.Rational(1, 3), x, sp.Abs(x)**sp.Rational(-2, 3) / 3))
add("r2_11", "branch", False, lambda: V(sp.sign(x) * sp.Abs(x)**sp.Rational(1, 3), x, x**sp.Rational(-2, 3) / 3))  # complex for x<0
add("r2_12", "branch", True, lambda: I(sp.atan2(0, x), sp.pi * sp.Heaviside(-x), where=["x != 0"]))
# substitutions with irrational right-hand sides (points no longer rational)
add("r2_13", "domain", True, lambda: V(x * y, x, y, where=[sp.Eq(y, sp.sqrt(2) * x)]))
add("r2_14", "domain", False, lambda: V(x * y, x, 2 * y, where=[sp.Eq(y, sp.sqrt(2) * x)]))
add("r2_15", "domain", False, lambda: V(x * y, x, y + sp.Heaviside(x - 10**5), where=[sp.Eq(y, sp.exp(x))]))
add("r2_16", "domain", True, lambda: V(x * y, x, y, where=[sp.Eq(y, sp.pi * x)]))
# cancellation beyond the 2048-bit cap: terms ~1e1400, difference 1
add("r2_17", "cancel", False, lambda: I("(x + 10**700)**2 - 10**1400 - 2*10**700*x", "x**2 + 1"))
add("r2_18", "cancel", True, lambda: I("(x + 10**700)**2 - 10**1400 - 2*10**700*x", "x**2"))
add("r2_19", "cancel", True, lambda: I("cosh(x)**2 - sinh(x)**2 + x", "1 + x", where=["x > 3000"]))
add("r2_20", "cancel", False, lambda: I("cosh(x)**2 - sinh(x)**2", "1 + exp(-x)", where=["x > 3000"]))
# tiny relative differences that only a symbolic refutation can see
add("r2_21", "far", False, lambda: V("exp(x)", "x", "exp(x) + exp(-x**2)"))           # positive everywhere, invisible at |x|>30
add("r2_22", "far", False, lambda: V("x**2", "x", "2*x + sin(x)/10**40"))
add("r2_23", "far", False, lambda: V("x**2", "x", "2*x + exp(-10**6*(x - 1/3)**2)"))
add("r2_24", "far", False, lambda: V(x**2 + y**2, x, 2 * x + sp.Heaviside(x**2 + y**2 - 10**18)))
add("r2_25", "far", False, lambda: V(x * y, y, x + sp.Max(0, x * y - 10**12) / 10**20))
add("r2_26", "near", False, lambda: V(x**3, x, 3 * x**2 + sp.Piecewise((1, (x > S(1) / 3) & (x < S(1) / 3 + S(10)**-12)), (0, True))))
add("r2_27", "near", False, lambda: V(x * y, x, y + sp.Piecewise((1, (x * y > 1) & (x * y < 1 + S(10)**-9)), (0, True))))
# unsupported-by-ball functions: wrong claims must not be 'consistent'
add("r2_28", "far", False, lambda: V(sp.besselj(0, x), x, sp.besselj(1, x)))
add("r2_29", "far", False, lambda: V(sp.Mod(x, 3) * 0 + sp.fresnels(x), x, sp.cos(sp.pi * x**2 / 2) + x / 10**30))
add("r2_30", "far", False, lambda: V(sp.Ei(x), x, sp.exp(x) / x + sp.Heaviside(x - 10**4)))
# numbers as Floats in a claim
add("r2_31", "scale", False, lambda: V("x**2", "x", "2*x + 1e-35*x"))
add("r2_32", "scale", True, lambda: V(x**2, x, S("2.0") * x))
add("r2_33", "scale", False, lambda: V(x**2, x, S("1.99999999999999999999999999999") * x))
# kinks with several variables at simple exact points
add("r2_34", "kink", True, lambda: V(sp.Max(x, 0), x, (1 + sp.sign(x)) / 2))
add("r2_35", "kink", True, lambda: V(sp.Abs(x * y), x, y * sp.sign(x * y)))
add("r2_36", "kink", True, lambda: V(sp.Max(x, y, z), z, sp.Piecewise((1, (z > x) & (z > y)), (0, True))))
add("r2_37", "kink", False, lambda: V(sp.Max(x, y, z), z, sp.Piecewise((1, (z > x) | (z > y)), (0, True))))
add("r2_38", "kink", True, lambda: V(sp.floor(x * y) + x, x, 1))
add("r2_39", "kink", False, lambda: V(sp.floor(x * y) + x, x, 1 + sp.floor(x * y) - sp.floor(x * y + S(1) / 1000)))
# exact-point semantics: relu derivative convention at 0 vs claim convention (true a.e.)
add("r2_40", "kink", True, lambda: V(sp.Max(x, 0), x, sp.Piecewise((1, x >= 0), (0, True))))
add("r2_41", "kink", True, lambda: V(sp.Abs(x), x, sp.Piecewise((1, x >= 0), (-1, True))))
add("r2_42", "kink", True, lambda: V(sp.Abs(x - S(1) / 2), x, sp.Piecewise((1, x >= S(1) / 2), (-1, True))))
# matrix: structure + scalar kink + far/tiny
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(A * X) * sp.Max(t, 10**9), X, t * A.T, budget=4))(*_mats()), False, "r2_m1")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(A * X) * (1 + sp.exp(t - 10**4)), X, A.T, budget=4))(*_mats()), False, "r2_m2")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(A * X), X, A.T * (1 + S(10)**-30), budget=4))(*_mats()), False, "r2_m3")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(X * X), X, X + X.T, where=[s.symmetric(X)], budget=4))(*_mats()), True, "r2_m4")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(X * X) * sp.Heaviside(t), X, 2 * X.T * sp.Heaviside(t - S(1) / 10**6), budget=4))(*_mats()), False, "r2_m5")

# ---------------------------------------------------------------- round 3 (after cc1393a)
# relative differences below 2**-128: agreement is declared at the first precision (width <= size*2**-60)
add("r3_01", "far", False, lambda: V("x**2", "x", "2*x + x/10**45"))
add("r3_02", "far", False, lambda: V("exp(x)", "x", "exp(x)*(1 + 1/10**50)"))
add("r3_03", "far", False, lambda: I("x", "x*(1 + 1/10**40)"))
add("r3_04", "far", False, lambda: I("sin(x)**2 + cos(x)**2", "1 - 1/10**45"))
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(A * X), X, A.T * (1 + S(10)**-45), budget=4))(*_mats()), False, "r3_m1")
# beyond the far range (1e15) and the probe grid (1e9)
add("r3_05", "far", False, lambda: V(sp.sin(x), x, sp.cos(x) + sp.Heaviside(x - 10**16)))
add("r3_06", "far", False, lambda: V(x**2, x, 2 * x + 1 / (1 + sp.exp(10**10 - x))))   # a steep step at 1e10
add("r3_07", "far", False, lambda: V(x * y, x, y + sp.Heaviside(x * y - 10**12) - sp.Heaviside(x * y - 10**13)))
add("r3_08", "far", False, lambda: V(x * y * z * t, x, y * z * t + sp.Heaviside(x * y * z * t - 10**20) - sp.Heaviside(x * y * z * t - 10**21)))
# more than 12 kink roots before the wrong one (probe cap), wrong on a narrow window
add("r3_09", "near", False, lambda: V(sum(sp.Abs(x - k) for k in range(1, 16)), x,
        sp.Piecewise((sum(sp.sign(x - k) for k in range(1, 16)) + 1, (x > 100) & (x < S("100.001"))),
                     (sum(sp.sign(x - k) for k in range(1, 16)), True))))
# a kink in a substituted variable (not 'free', so never probed)
add("r3_10", "near", False, lambda: V(x * y, x, y + sp.Heaviside(y - 10**4) - sp.Heaviside(y - 10**4 - 1), where=[sp.Eq(y, 2 * x)]))
# the residual is a nonzero constant (symbolic stage sees it) but tiny: must be refuted, not consistent
add("r3_11", "cancel", False, lambda: V("sinh(x)", "x", "cosh(x) + 1/10**50"))
add("r3_12", "cancel", False, lambda: I("cosh(x)**2 - sinh(x)**2", "1 + 1/10**45"))
# five variables in one kink condition (probe needs <= 4 names)
add("r3_13", "kink", False, lambda: V(x * y * z * t * sp.Symbol("u", real=True), x,
        y * z * t * sp.Symbol("u", real=True) * (1 + sp.Heaviside(x * y * z * t * sp.Symbol("u", real=True) - 10**30) * sp.Heaviside(10**31 - x * y * z * t * sp.Symbol("u", real=True)))))
# Dummy named like a variable
add("r3_14", "symbols", 'F|err', lambda: (lambda d: V(d * x, x, d))(sp.Dummy("x", real=True)))
add("r3_15", "symbols", 'F|err', lambda: (lambda d: V(d**2 + x, x, 2 * x))(sp.Dummy("x", real=True)))
# a true claim with 1e-40-size terms everywhere (agreement at its own scale)
add("r3_16", "scale", True, lambda: V("x**3/10**40 + x/10**80", "x", "3*x**2/10**40 + 1/10**80"))
add("r3_17", "scale", False, lambda: V("x**3/10**40 + x/10**80", "x", "3*x**2/10**40"))
add("r3_18", "scale", False, lambda: V("x**3*10**40 + x", "x", "3*x**2*10**40"))        # drops the +1, relative 1e-40/x^2

# the final-precision rule "agree at the scale of the largest term": huge cancelling terms hide an O(1) error
add("r3_19", "cancel", False, lambda: I("cosh(x)**2 - sinh(x)**2", "2", where=["x > 3000"]))
add("r3_20", "cancel", False, lambda: I("(exp(x) + exp(-x))**2/4 - (exp(x) - exp(-x))**2/4", "1/2", where=["x > 2000"], budget=1))
add("r3_21", "cancel", False, lambda: V("x**3/3", "x", "(x + 10**700)**2 - 2*10**700*x - 10**1400 + 1"))
add("r3_22", "cancel", False, lambda: V("exp(x)", "x", "exp(x) + cosh(x)**2 - sinh(x)**2"))   # off by exactly 1

# ---------------------------------------------------------------- round 4
add("r4_01", "branch", True, lambda: I(x**y, 1, where=[sp.Eq(y, 0)]))                 # 0**0 = 1 in SymPy
add("r4_02", "branch", True, lambda: I(sp.acot(x) - sp.pi / 2 + sp.atan(x), 0, where=["x >= 0", "x < 1"]))
add("r4_03", "budget", 'any', lambda: V("x", "x", " + ".join([r"\sin{x}"] * 2400), budget=0.1), budget=0.1)
add("r4_04", "budget", 'any', lambda: V("+".join(["x"] * 2_000_000), "x", "2000000", budget=0.5), budget=0.5)
add("r4_05", "budget", 'any', lambda: V("\n".join([f"a{i} = x*{i}" for i in range(200_000)]), "x", "0", budget=0.5), budget=0.5)
add("r4_06", "budget", 'any', lambda: V("(" * 5000 + "x" + ")" * 5000, "x", "1", budget=0.5), budget=0.5)
add("r4_07", "budget", 'any', lambda: V("x**2", "x", "2*x", where=[f"x > -{k}" for k in range(1, 20001)], budget=0.5), budget=0.5)
add("r4_08", "budget", 'any', lambda: (lambda A, X: V(sp.Trace(A * X), X, A.T, budget=1))(
    sp.MatrixSymbol("A", 300, 300), sp.MatrixSymbol("X", 300, 300)), budget=1)
add("r4_09", "budget", 'any', lambda: (lambda xs: V(sp.Add(*[v**2 for v in xs]), list(xs), [2 * v for v in xs], budget=1))(
    sp.symbols("v0:3000", real=True)), budget=1)
add("r4_10", "budget", 'any', lambda: V("x**2", "x", "2*x", budget=1e300), budget=30)
add("r4_11", "budget", 'any', lambda: V("x**(3**(3**3))", "x", "3**(3**3)*x**(3**(3**3) - 1)", budget=1), budget=1)
add("r4_12", "budget", 'any', lambda: V(x**(sp.Integer(10)**(10**5)), x, 0, budget=1), budget=1)   # a SymPy expression with a 100k-digit exponent
add("r4_13", "budget", 'any', lambda: V(sp.exp(sp.exp(sp.exp(sp.exp(x)))) * sp.sin(sp.Integer(10)**1000 * x), x, 0, budget=1), budget=1)
add("r4_14", "budget", 'any', lambda: V(sp.Sum(x**sp.Symbol("k", integer=True), (sp.Symbol("k", integer=True), 0, 10**9)), x, 0, budget=1), budget=1)

# ---------------------------------------------------------------- round 5 (after 98e4e8d: refutation search)
add("r5_01", "far", False, lambda: V(sp.sin(x), x, sp.cos(x) + sp.Heaviside(x - sp.Integer(10)**40)))   # beyond the 1e30 sweep
add("r5_02", "far", False, lambda: V(sp.sin(x), x, sp.cos(x) + sp.Heaviside(x - 10**16 - S(1) / 2) - sp.Heaviside(x - 10**16 - 1)))
add("r5_03", "far", False, lambda: V(x * y, x, y + sp.Heaviside(x * y - sp.Integer(10)**40)))
add("r5_04", "far", False, lambda: V("exp(sin(x)**3)*log(2 + cos(x)**2)", "x",
        "exp(sin(x)**3)*3*sin(x)**2*cos(x)*log(2 + (1 + cos(2*x))/2) - exp(sin(x)**3)*sin(2*x)/(2 + (1 + cos(2*x))/2)"
        " + Heaviside(x - 10**16)", budget=2), budget=2)
add("r5_05", "cancel", False, lambda: V("x", "x", "cosh(x)**2 - sinh(x)**2 + 1", where=["x > 1000"]))
add("r5_06", "cancel", False, lambda: V("x", "x", "(exp(x) + exp(-x))**2/4 - (exp(x) - exp(-x))**2/4 + 1/2",
                                        where=["x > 2000"], budget=1), budget=1)
add("r5_07", "near", False, lambda: V("x", "x", "1 + exp(-(x - 12345)**2)"))            # bump off the sweep grid
add("r5_08", "near", False, lambda: V(x * y, y, x + sp.exp(-(x - 77)**2 - (y + 3)**2)))  # 2-D bump
add("r5_09", "far", False, lambda: V(sp.Abs(x), x, sp.sign(x) * (1 + sp.Heaviside(-x - sp.Integer(10)**35))))
add("r5_10", "far", False, lambda: I(sp.Abs(x), sp.sqrt(x**2) + sp.Heaviside(sp.Abs(x) - sp.Integer(10)**31) / x))
add("r5_11", "near", False, lambda: V(sp.sin(x), x, sp.cos(x) + sp.Heaviside(sp.sin(x) - S("0.999999"))))   # windows near pi/2 + 2k pi
add("r5_12", "near", False, lambda: V(sp.atan(x), x, 1 / (1 + x**2) + sp.Piecewise((S(1) / 10**9, sp.Abs(x - sp.pi) < S(1) / 10**7), (0, True))))

# ---------------------------------------------------------------- round 5b: SymPy's own derivative as the claim (must never be refuted)
_RULE_FUNCS = ["exp", "sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "tanh", "coth", "sech", "csch",
               "asin", "acos", "atan", "acot", "asec", "acsc", "asinh", "acosh", "atanh", "acoth", "erf", "erfc",
               "erfi", "loggamma", "LambertW", "log", "sqrt", "cbrt"]
for _i, _name in enumerate(_RULE_FUNCS):
    def _mk(_name=_name):
        fn = getattr(sp, _name)
        e = fn(x**2 - 3 * x + S(1) / 2)
        return V(e, x, sp.diff(e, x), budget=3)
    add(f"rule_{_name}", "rules", True, _mk)

# ---------------------------------------------------------------- round 6 (after dcd6d44)
add("r6_01", "symbols", 'pole', lambda: I("(x**2 - 2)/(x - sqrt(2))", "x + sqrt(2)"))          # undefined at an irrational point
add("r6_02", "symbols", 'mz', lambda: I("sin(x)**2/(1 - cos(x)**2)", "1", where=["x > 0"]))   # undefined at k*pi
add("r6_03", "symbols", False, lambda: I(sp.Piecewise((x, x < sp.Integer(10)**40)), x))     # undefined on x >= 1e40
add("r6_04", "symbols", False, lambda: V(x**2, x, sp.Piecewise((2 * x, x > -sp.Integer(10)**35))))
add("r6_05", "cancel", False, lambda: I("cosh(x)**2 - sinh(x)**2", "2*cosh(x)**2 - 2*sinh(x)**2", where=["x > 3000"]))
add("r6_06", "cancel", False, lambda: V("x", "x", "2*cosh(x)**2 - 2*sinh(x)**2", where=["x > 3000"]))
add("r6_07", "budget", 'any', lambda: V(r"\sin{x}", "x", r"\cos{x}", budget=0.3), budget=0.3)
add("r6_08", "symbols", True, lambda: V(sp.Symbol("F", real=True) * sp.sin(x), x, sp.Symbol("F", real=True) * sp.cos(x)))
add("r6_09", "symbols", False, lambda: V(sp.Symbol("t1", real=True) * sp.sin(x), x, sp.Symbol("t1", real=True) * sp.sin(x)))
add("r6_10", "symbols", True, lambda: V("S = x**2\nF = sin(S)", "x", "2*x*cos(S)"))
add("r6_11", "symbols", False, lambda: V("S = x**2\nF = sin(S)", "x", "2*x*cos(x)"))
add("r6_12", "symbols", True, lambda: V("S = x**2\nF = sin(S)", "S", "cos(x**2)"))
add("r6_13", "symbols", 'F|err', lambda: (lambda w: V(w**2 + x, x, 2 * x))(sp.Wild("x")))
add("r6_14", "symbols", 'F|err', lambda: V(sp.Symbol("x", integer=True)**2 + x, x, 2 * x))
add("r6_15", "domain", False, lambda: V(x * y, x, y + sp.Heaviside(y - 10**4) - sp.Heaviside(y - 10**4 - 1), where=[sp.Eq(y, sp.sqrt(2) * x)]))

# ---------------------------------------------------------------- round 7: errors below the 2048-bit cap, hidden by a cancellation SymPy cannot do
add("r7_01", "cancel", False, lambda: I("atan(x) + atan(1/x) - pi/2 + 10**-700", "0", where=["x > 0"]))
add("r7_02", "cancel", False, lambda: I("atan(x) + atan(1/x)", "pi/2 + 10**-700", where=["x > 0"]))
add("r7_03", "cancel", False, lambda: V("atan(x) + atan(1/x)", "x", "10**-700", where=["x > 0"]))
add("r7_04", "cancel", True, lambda: I("atan(x) + atan(1/x)", "pi/2", where=["x > 0"]))
add("r7_05", "cancel", False, lambda: V("x*(atan(x) + atan(1/x))", "x", "pi/2 + 10**-700", where=["x > 0"]))

# ---------------------------------------------------------------- round 8: odd inputs and where= forms
def _sd():
    import symdiff
    return symdiff
add("r8_01", "bad", 'err', lambda: V("x", "x", "1", where=[_sd().spd(x)]))
add("r8_02", "bad", 'any', lambda: V("x", "x", "1", where=[_sd().simplex([x])]))
add("r8_03", "bad", 'err', lambda: V(sp.Eq(x, 1), "x", "1"))
add("r8_04", "bad", 'err', lambda: V(sp.true, "x", "1"))
add("r8_05", "bad", 'err', lambda: V("x", "x", sp.Interval(0, 1)))
add("r8_06", "bad", 'err', lambda: ("verify", ("x", "x", "1"), {"seed": 1.5}))
add("r8_07", "bad", 'err', lambda: ("verify", ("x", "x", "1"), {"seed": True}))
add("r8_08", "bad", 'err', lambda: V("x", "x", _sd().Latex("x", shapes=5)))
add("r8_09", "bad", 'any', lambda: V("x", "x", r"\frac{d}{dx} x"))
add("r8_10", "bad", 'any', lambda: V("x", "x", r"\sum_{i=1}^{10^{9}} x", budget=1), budget=1)
add("r8_11", "bad", 'any', lambda: V("x", "x", r"x^{x^{x^{x^{x}}}}", budget=1), budget=1)
add("r8_12", "bad", 'err', lambda: V("x", "x", r"\begin{pmatrix} 1 & 2"))
add("r8_13", "bad", 'err', lambda: V("F = (lambda: 1)()", "x", "0"))
add("r8_14", "bad", 'err', lambda: V("F = x if x else 0", "x", "0"))
add("r8_15", "bad", 'err', lambda: V("F = [x]", "x", "0"))
add("r8_16", "bad", 'err', lambda: V('F = f"{x}"', "x", "0"))
add("r8_17", "bad", 'err', lambda: V("F = x; import os", "x", "1"))
add("r8_18", "bad", 'any', lambda: V("x", "x", "1", where=["x > 0"] * 100000, budget=1), budget=1)
add("r8_19", "domain", True, lambda: V(sp.Abs(x), x, sp.sign(x), where=[sp.Or(x > 1, x < -1)]))
add("r8_20", "domain", False, lambda: V(sp.Abs(x), x, 1, where=[sp.Or(x > 1, x < -1)]))
add("r8_21", "domain", True, lambda: V(sp.Abs(x), x, 1, where=[sp.Contains(x, sp.Interval.open(0, 1))]))
add("r8_22", "domain", 'any', lambda: V(x * y, x, y, where=[sp.Eq(x**2, 4)]))
add("r8_23", "domain", True, lambda: V(x * y, x, y, where=[sp.Eq(2 * y, x)]))
add("r8_24", "domain", False, lambda: V(x * y, x, x / 2 + sp.Heaviside(x - 10**17), where=[sp.Eq(2 * y, x)]))
add("r8_25", "domain", 'any', lambda: V(x * y, x, y, where=[sp.Eq(y, y + 1)]))
add("r8_26", "domain", False, lambda: V(sp.Abs(x - y), x, 1, where=[sp.And(sp.Ne(x, 0), y > -1)]))
add("r8_27", "matrix", 'err', lambda: (lambda X: V(sp.Trace(X * X.T), X, 2 * X, where=[_sd().spd(X)]))(sp.MatrixSymbol("X", 2, 3)))
add("r8_28", "matrix", 'any', lambda: (lambda n: (lambda X: V(sp.Trace(X), X, sp.Identity(n), where=[_sd().orthogonal(X)]))(sp.MatrixSymbol("X", n, n)))(sp.Symbol("n", integer=True, positive=True)))
add("r8_29", "matrix", 'F|err', lambda: (lambda n: (lambda X: V(sp.Trace(X), X, [[1, 0], [0, 1]]))(sp.MatrixSymbol("X", n, n)))(sp.Symbol("n", integer=True, positive=True)))
add("r8_30", "matrix", False, lambda: (lambda n: (lambda X: V(sp.Trace(X) * x**2, x, x * sp.Trace(X)))(sp.MatrixSymbol("X", n, n)))(sp.Symbol("n", integer=True, positive=True)))

# ---------------------------------------------------------------- round 9: singular points cancelled while reading
# SymPy combines powers of one base as the text is read; the quotient is undefined where the divisor vanishes
add("s9_01", "symbols", 'pole', lambda: I("(x-y)**2/(x-y)", "x-y"))
add("s9_02", "symbols", 'mz', lambda: I("x*log(x)/log(x)", "x", where=["x > 0"]))        # undefined at x = 1
add("s9_03", "symbols", 'pole', lambda: V("x**2", "x", "2*x*(x-1)/(x-1)"))
add("s9_04", "symbols", 'pole', lambda: I(r"\frac{(x-y)^2}{x-y}", "x-y"))
add("s9_05", "symbols", 'mz', lambda: I(r"\frac{x\log x}{\log x}", "x", where=["x > 0"]))
add("s9_06", "symbols", 'mz', lambda: V("x**3", "x", "3*x**2*sin(x)/sin(x)"))          # undefined at k*pi
add("s9_07", "symbols", 'pole', lambda: I("(x+1)**5/(x+1)**4", "x + 1"))
add("s9_08", "symbols", True, lambda: I("(x+1)**5/(x+1)**4", "x + 1", where=["x > -1"]))
add("s9_09", "symbols", 'pole', lambda: I("u = x**2 - 4\nv = u**3/u**2", "x**2 - 4"))     # at x = +-2
add("s9_10", "symbols", 'pole', lambda: I(r"\frac{(x+2)^3}{(x+2)^2} = x + 2", None))
add("s9_11", "symbols", 'pole', lambda: V("x**2", "x", r"\frac{2x(x^2-9)}{x^2-9}"))
add("s9_12", "symbols", True, lambda: I("x**2/x", "x**3/x**2"))                           # both undefined at 0 only
add("s9_12b", "symbols", 'pole', lambda: I("(x-3)/(x-3)", "1"))                           # the quotient cancels to a constant
add("s9_12c", "symbols", 'pole', lambda: V("x", "x", r"\frac{x+1}{x+1}"))
# ---------------------------------------------------------------- round 9: far, tiny, huge
add("s9_13", "far", False, lambda: V("x**4", "x", "4*x**3 + x**5/10**60"))
add("s9_14", "far", False, lambda: V("log(1 + x**2)", "x", "2*x/(1 + x**2) + Heaviside(x**2 - 10**18)"))
add("s9_15", "far", False, lambda: V("x*y", "y", "x + Heaviside(x - 10**7)*Heaviside(-y - 10**7)"))
add("s9_16", "far", False, lambda: V("atan(x)", "x", "1/(1 + x**2) + exp(-10**4*(x + 10**5)**2)"))
add("s9_17", "scale", False, lambda: I("sqrt(x**2 + 10**-40)", "Abs(x)"))                 # 1e-20 apart at 0
add("s9_18", "cancel", True, lambda: I("sqrt(x**2 + 10**40) - 10**20", "x**2/(sqrt(x**2 + 10**40) + 10**20)"))
add("s9_19", "cancel", True, lambda: V("log(1 + exp(x))", "x", "1/(1 + exp(-x))"))
add("s9_20", "scale", False, lambda: V("log(1 + exp(x))", "x", "1/(1 + exp(-x)) + exp(-x**2)/10**300"))
add("s9_21", "kink", True, lambda: I("log(exp(x) + exp(y))", "Max(x, y) + log(1 + exp(-Abs(x - y)))"))
add("s9_22", "kink", False, lambda: I("log(exp(x) + exp(y))", "Max(x, y) + log(1 + exp(-(x - y)))"))
add("s9_22b", "cancel", False, lambda: I("exp(x)*exp(-x)", "1 + exp(-x**2 - 10**6)"))       # e**-1e6 apart everywhere
add("s9_22c", "branch", False, lambda: I("sqrt(x**2 - 1)", "sqrt(x - 1)*sqrt(x + 1)"))    # opposite signs for x < -1
add("s9_22d", "branch", False, lambda: I("atan((x + y)/(1 - x*y))", "atan(x) + atan(y)"))  # off by pi where x*y > 1
add("s9_22e", "near", False, lambda: V("x**2", "x", "2*x + Heaviside(x)*Heaviside(1e-12 - x)"))
add("s9_22f", "symbols", 'mz', lambda: I("Abs(x)/x", "sign(x)"))
# ---------------------------------------------------------------- round 9: branch cuts
add("s9_23", "branch", False, lambda: I("sqrt(x)*sqrt(x)", "Abs(x)"))
add("s9_24", "branch", True, lambda: I("atan(x) + atan(1/x)", "pi/2*sign(x)", where=["x != 0"]))
add("s9_25", "branch", False, lambda: I("atan(x) + atan(1/x)", "pi/2", where=["x != 0"]))
add("s9_26", "branch", True, lambda: I("acos(x)", "pi/2 - asin(x)", where=["x > -1", "x < 1"]))
add("s9_27", "branch", False, lambda: I("asin(x)", "atan(x/sqrt(1 - x**2)) + Heaviside(x - 0.999)", where=["x > -1", "x < 1"]))
add("s9_28", "branch", True, lambda: I("log(x/y)", "log(x) - log(y)", where=["x < 0", "y < 0"]))  # the i*pi cancel (as br11)
add("s9_29", "branch", True, lambda: I("log(x/y)", "log(-x) - log(-y)", where=["x < 0", "y < 0"]))
add("s9_30", "branch", False, lambda: I("atan2(y, x)", "atan(y/x)", where=["x < 0"]))
# ---------------------------------------------------------------- round 9: kinks of two and three variables
add("s9_31", "kink", True, lambda: V("Min(x, y)*Max(x, y)", "x", "y"))
add("s9_32", "kink", False, lambda: V("Min(x, y)*Max(x, y)", "x", "Max(x, y)"))
add("s9_33", "kink", False, lambda: V("Abs(x - y) + Abs(y - z)", "y",
                                      "sign(y - x) - sign(z - y) + Heaviside(y - 10**9)*Heaviside(z - x - 10**9)"))
add("s9_34", "kink", False, lambda: V("x*y*z", "z", "x*y*(1 - Heaviside(x + y + z - 3*10**5)*Heaviside(x - y))"))
add("s9_35", "kink", True, lambda: V("Abs(x*y - z)", "z", "-sign(x*y - z)"))
add("s9_36", "kink", False, lambda: V("Max(x*y, z)", "z", "Heaviside(z - x*y - 10**6)"))
# ---------------------------------------------------------------- round 10: undefined at exact points
# a written division by an expression that is exactly 0 at an exact point (transcendental too), a
# Piecewise with no branch at a point: wrong there ('mz', refuted at that point); at a kink of the
# function the derivative does not exist, so a claim undefined there is true a.e. (never refuted)
add("u10_01", "symbols", 'mz', lambda: I("sin(2*x)/sin(x)", "2*cos(x)"))                  # 0/0 at k*pi
add("u10_02", "symbols", 'mz', lambda: V("exp(x)", "x", "exp(x)*log(1 + x**2)/log(1 + x**2)"))   # at 0
add("u10_03", "symbols", 'mz', lambda: V("x**2*y", "x", "2*x*y*cos(y)/cos(y)"))            # at y = pi/2
add("u10_04", "symbols", 'mz', lambda: I(sp.Piecewise((x, x < 1), (x, x > 1)), x))       # no branch at 1
add("u10_05", "symbols", 'mz', lambda: V(x**3, x, sp.Piecewise((3 * x**2, x < 2), (3 * x**2, x > 2))))
add("u10_06", "symbols", 'mz', lambda: I(sp.Piecewise((x * y, x * y > 1), (x * y, x * y < 1)), x * y))
add("u10_07", "symbols", 'mz', lambda: I("(exp(x) - 1)*cosh(x)/(exp(x) - 1)", "cosh(x)"))    # at 0
add("u10_08", "symbols", 'mz', lambda: V("log(x)", "x", "sin(x - 1)/(x*sin(x - 1))", where=["x > 0"]))
add("u10_09", "symbols", 'mz', lambda: V("Abs(x)*x", "x", "2*x**2/Abs(x)"))   # f'(0) = 0 exists; claim 0/0
add("u10_10", "symbols", True, lambda: I("x*exp(x)/exp(x)", "x"))             # exp is never 0
add("u10_11", "symbols", True, lambda: V(sp.Abs(x - 1), x, "(x - 1)/Abs(x - 1)"))   # kink of f at 1
add("u10_12", "symbols", True, lambda: V(sp.Max(x, 0), x, sp.Piecewise((1, x > 0), (0, x < 0))))
add("u10_13", "symbols", True, lambda: V(sp.Abs(x * y), x, "y*Abs(x*y)/(x*y)"))
add("u10_14", "symbols", True, lambda: I("Abs(x)/x", "x/Abs(x)"))             # both undefined at 0
add("u10_15", "symbols", True, lambda: V("Abs(sin(x))", "x", "cos(x)*Abs(sin(x))/sin(x)"))  # kinks at k*pi
add("u10_16", "symbols", True, lambda: I("sin(x)**2/(1 - cos(x)**2)", "1", where=["x > 0", "x < 3"]))
add("u10_17", "symbols", True, lambda: I("log(x)*x/log(x)", "x", where=["x > 1"]))
add("u10_18", "symbols", True, lambda: V("x*Abs(x)", "x", "2*Abs(x)"))        # differentiable at 0 too
# ---------------------------------------------------------------- round 9: budget attacks
add("s9_37", "budget", 'any', lambda: V("x", "x", r"\frac{1}{" * 2000 + "x" + "}" * 2000, budget=1), budget=1)
add("s9_38", "budget", 'any', lambda: V("F = " + "sin(" * 3000 + "x" + ")" * 3000, "x", "1", budget=1), budget=1)
add("s9_39", "budget", 'any', lambda: V(" + ".join(f"x^{{{k}}}" for k in range(3000)), "x", "1", budget=1), budget=1)
add("s9_40", "budget", 'any', lambda: V("factorial(10**6)*x", "x", "factorial(10**6)", budget=1), budget=1)
add("s9_41", "budget", 'any', lambda: V(r"\binom{10^{9}}{5 \cdot 10^{8}} x", "x", "1", budget=1), budget=1)
add("s9_42", "budget", 'any', lambda: ("verify", (r"\mathbf{w}^\top \mathbf{x}", r"\mathbf{w}", r"\mathbf{x}"),
                                       {"variables": {"w": (10**7,), "x": (10**7,)}, "budget": 1}), budget=1)
add("s9_43", "budget", 'any', lambda: ("verify", (r"\operatorname{tr}(W)", "W", "I"),
                                       {"variables": {"W": (10**5, 10**5)}, "budget": 1}), budget=1)
add("s9_44", "budget", 'any', lambda: V("x", "x", "x^{" * 400 + "x" + "}" * 400, budget=1), budget=1)
add("s9_45", "budget", 'any', lambda: V(sp.Add(*[x**k / k for k in range(1, 4000)]), x, sp.Add(*[x**(k - 1) for k in range(1, 4000)]), budget=1), budget=1)
# ---------------------------------------------------------------- round 9: switches of matrix entries


def _W(rows=2, cols=2, name="W"):
    return sp.MatrixSymbol(name, rows, cols)


M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(X) * (1 + sp.Heaviside(X[0, 0] - 1000)), X, sp.Identity(n), budget=4))(*_mats()), False, "s9_m1")
M(lambda: (lambda s, n, A, X, Q: V(sp.Trace(X) * (1 + sp.Heaviside(X[0, 0] - 1000)), X,
                                    sp.Identity(n) * (1 + sp.Heaviside(X[0, 0] - 1000)), budget=4))(*_mats()), True, "s9_m2")
M(lambda: (lambda w: V(sum(sp.Max(w[i, 0], 50) for i in range(3)), w, sp.ZeroMatrix(3, 1), budget=4))(_W(3, 1, "w")), False, "s9_m3")
M(lambda: (lambda w: V(sum(sp.Max(w[i, 0], 50) for i in range(3)), w,
                       sp.Matrix([sp.Heaviside(w[i, 0] - 50) for i in range(3)]), budget=4))(_W(3, 1, "w")), True, "s9_m4")
M(lambda: (lambda W: V(sum(sp.Abs(W[i, j] - 1000) for i in range(2) for j in range(2)), W, -sp.ones(2, 2), budget=4))(_W()), False, "s9_m5")
M(lambda: (lambda W: V(sum(sp.Abs(W[i, j] - 1000) for i in range(2) for j in range(2)), W,
                       sp.Matrix(2, 2, lambda i, j: sp.sign(W[i, j] - 1000)), budget=4))(_W()), True, "s9_m6")
M(lambda: (lambda W: V(sp.Max(W[0, 1] * W[1, 0], 10**4), W, sp.ZeroMatrix(2, 2), budget=4))(_W()), False, "s9_m7")
M(lambda: (lambda W: V(sp.Max(W[0, 1] * W[1, 0], 10**4), W,
                       sp.Matrix([[0, W[1, 0]], [W[0, 1], 0]]) * sp.Heaviside(W[0, 1] * W[1, 0] - 10**4), budget=4))(_W()), True, "s9_m8")
M(lambda: (lambda w: V(sp.Abs(w[2, 0] - 10**8), w, sp.Matrix([0, 0, -1]), budget=4))(_W(3, 1, "w")), False, "s9_m9")
M(lambda: (lambda W: V(sp.Trace(W) * sp.Max(W[2, 2], -10**6), W, sp.eye(3) * W[2, 2] + sp.Matrix(3, 3, lambda i, j: sp.Trace(W) if i == j == 2 else 0),
                       budget=4))(_W(3, 3)), False, "s9_m10")

import suite_budgets  # noqa
import suite_matrix  # noqa
import suite_wrongs  # noqa

if __name__ == "__main__":
    print(len(CASES))
