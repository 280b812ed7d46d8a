"""Certified evaluation: SymPy expressions in ball arithmetic (python-flint's ``acb``).

Every value is a complex ball guaranteed to contain the exact value, so a
difference whose ball excludes 0 is *certainly* nonzero: that, and only that,
refutes a claim.  A point is exact (rationals); decimals (SymPy Floats) are
read as the decimal they print as.  Precision rises (``PRECISIONS``) until a
question is decided or the cap is reached; at the cap the point decides
nothing.

``Undefined`` is raised only when it is certain: a division by an exact 0, a
``log`` of an exact 0, a ``Piecewise`` none of whose conditions holds, ``nan``
or ``zoo`` in the expression, a step function of a certainly complex number.
A ball that merely *contains* a pole is ``Uncertain`` (more precision, or no
decision).  Functions the evaluator does not know raise ``Unsupported``.
"""
from __future__ import annotations

import sympy as sp
from flint import acb, arb, ctx, fmpq

__all__ = ["finite_real_value", "BallEvaluator", "Undefined", "Uncertain", "Unsupported", "PRECISIONS", "ball", "certainly_nonzero",
           "certainly_real", "certainly_complex", "fmt_ball", "fmt_point_value", "agrees"]

PRECISIONS = (128, 512, 2048)   # bits (about 38, 154 and 616 digits)
AGREE_BITS = 60                       # agreement: the difference's ball within 2**-60 of the scale


class Undefined(Exception):
    """The value certainly does not exist (division by an exact zero, no Piecewise branch...)."""


class Uncertain(Exception):
    """The ball is too wide to decide a branch or a pole at this precision."""


class Unsupported(Exception):
    """A function with no certified evaluation here."""


def ball(v) -> acb:
    """An exact SymPy rational (or int) as an exact ball."""
    if isinstance(v, int):
        return acb(v)
    if v.is_Integer:
        return acb(int(v))
    if v.is_Rational:
        return acb(arb(fmpq(int(v.p), int(v.q))))
    if isinstance(v, sp.Expr) and v.is_number:   # sqrt(2)*x substituted: the exact number, as a ball
        return _Run({}).value(v)
    raise Unsupported(f"not an exact rational point coordinate: {v}")


def certainly_nonzero(z: acb) -> bool:
    return bool(z.real > 0 or z.real < 0 or z.imag > 0 or z.imag < 0)


def certainly_complex(z: acb) -> bool:
    return bool(z.imag > 0 or z.imag < 0)


def certainly_real(z: acb) -> bool:
    return z.imag.is_zero()


def _real(z: acb) -> arb:
    """The real number a step function needs: certainly complex is Undefined, unclear Uncertain."""
    if z.imag.is_zero():
        return z.real
    if certainly_complex(z):
        raise Undefined("a step function (sign, Heaviside, floor, max, a comparison) of a complex number")
    raise Uncertain("cannot tell whether a number is real")


def _finite(z: acb, args) -> acb:
    if z.is_finite():
        return z
    if all(a.is_exact() for a in args):
        raise Undefined("a division by zero or a logarithm of zero")
    raise Uncertain("the ball contains a pole")


def _at_zero(z: acb) -> bool:
    return z.is_zero()


def _at_unit(z: acb) -> bool:
    return z.imag.is_zero() and (z.real == 1 or z.real == -1)


def _at_nonpositive_integer(z: acb) -> bool:
    return z.imag.is_zero() and z.real.is_exact() and z.real <= 0 and z.real.floor() == z.real


# the exact points where a function has a pole (the only places its value may be called undefined)
_POLES = {"cot": _at_zero, "csc": _at_zero, "coth": _at_zero, "csch": _at_zero, "atanh": _at_unit,
          "gamma": _at_nonpositive_integer, "digamma": _at_nonpositive_integer, "lgamma": _at_nonpositive_integer}
_RETRY_FACTORS = (4, 16)   # a non-finite value off a pole: arb lost the branch cut (asin(-10**20) at 128 bits)


def _special(z: acb, method: str) -> acb:
    """``z.method()``; a non-finite value is Undefined only at an exact pole, else retried with more
    bits (arb gives nan for an exact point far out on a branch cut at low precision) or Uncertain."""
    out = getattr(z, method)()
    if out.is_finite():
        return out
    pole = _POLES.get(method)
    if z.is_exact() and pole is not None and pole(z):
        raise Undefined(f"{method} at a pole")
    old = ctx.prec
    try:
        for factor in _RETRY_FACTORS:
            ctx.prec = old * factor
            out = getattr(z, method)()
            if out.is_finite():
                return out
    finally:
        ctx.prec = old
    raise Uncertain(f"{method} gave no finite enclosure")


def _unary(method):
    def f(z):
        if z.imag.is_zero():   # a real argument: the real function where it is defined (an exact 0 imaginary part)
            r = getattr(z.real, method)()
            if r.is_finite():
                return acb(r)
        return _special(z, method)
    return f


def _recip(method, at_zero=None):
    def f(z):
        if z.is_zero():
            if at_zero is not None:   # SymPy's value at 0 (acot(0) = pi/2)
                return at_zero()
            raise Undefined(f"{method} of the reciprocal of zero")
        w = 1 / z
        if w.imag.is_zero():   # a real reciprocal: the real function where it is defined (acoth(2) is real)
            r = getattr(w.real, method)()
            if r.is_finite():
                return acb(r)
        return _special(w, method)
    return f


_UNARY = {
    sp.exp: _unary("exp"), sp.sin: _unary("sin"), sp.cos: _unary("cos"), sp.tan: _unary("tan"),
    sp.cot: _unary("cot"), sp.sec: _unary("sec"), sp.csc: _unary("csc"), sp.sinh: _unary("sinh"),
    sp.cosh: _unary("cosh"), sp.tanh: _unary("tanh"), sp.coth: _unary("coth"), sp.sech: _unary("sech"),
    sp.csch: _unary("csch"), sp.asin: _unary("asin"), sp.acos: _unary("acos"), sp.atan: _unary("atan"),
    sp.asinh: _unary("asinh"), sp.acosh: _unary("acosh"), sp.atanh: _unary("atanh"), sp.erf: _unary("erf"),
    sp.erfc: _unary("erfc"), sp.erfi: _unary("erfi"), sp.gamma: _unary("gamma"), sp.loggamma: _unary("lgamma"),
    sp.digamma: _unary("digamma"), sp.acot: _recip("atan", lambda: acb.pi() / 2), sp.acoth: _recip("atanh"), sp.asec: _recip("acos"),
    sp.acsc: _recip("asin"),
}


def _short(e) -> str:
    text = sp.sstr(e)
    return text if len(text) <= 60 else text[:57] + "..."


def _sign_of(x: arb):
    """-1, 0 or 1 when certain."""
    if x > 0:
        return 1
    if x < 0:
        return -1
    if x.is_zero():
        return 0
    raise Uncertain("cannot tell the sign")


_CERTAINLY_OFF = 1e-29   # the least distance reported for a point certainly off a kink (above numeric.KINK_TOL)


def _distance(d: arb) -> float:
    """How far a kink's argument is from its switch: a point certainly off it counts as usable
    however close (a window 3 < x < 3 + 10**-30 is probed in its middle)."""
    gap = abs(float(d.mid()))
    if d > 0 or d < 0:
        return max(gap, _CERTAINLY_OFF)
    return gap


def _intgap(x: arb) -> float:
    """The distance of x from the nearest integer, at any magnitude (an integer 10**15 is a jump of
    floor like 1 is); 0.5 when the ball cannot tell (the integer part is then Uncertain anyway)."""
    if not x.is_finite():
        return 0.5
    below = x - x.mid().floor()
    gap = below.min(1 - below)
    if gap.rad() > 0.25:
        return 0.5
    return _distance(gap)


def _compare(rel, d: arb) -> bool:
    op = rel.rel_op
    if op in ("==", "!="):
        if d.is_zero():
            return op == "=="
        if d > 0 or d < 0:
            return op == "!="
        raise Uncertain("cannot tell whether two numbers are equal")
    s = _sign_of(d)
    return {"<": s < 0, "<=": s <= 0, ">": s > 0, ">=": s >= 0}[op]


MAX_EXACT_OPS = 200     # a step function's argument evaluated in exact rationals: at most this many operations
MAX_EXACT_POWER = 64    # ... and no power beyond this (x**(10**6) at a rational point is no quick check)
MAX_EXACT_BITS = 4096   # ... at coordinates of at most this many bits


def _exactly_rational(node, subs: dict):
    """``node`` at a rational point, in exact rationals, when that is cheap; else None."""
    if sp.count_ops(node) > MAX_EXACT_OPS or any(
            not (p.exp.is_Rational and abs(p.exp.p) <= MAX_EXACT_POWER and p.exp.q <= MAX_EXACT_POWER)
            for p in node.atoms(sp.Pow)):
        return None
    try:
        q = node.xreplace(subs)   # SymPy's exact arithmetic: sqrt(2) - sqrt(2) and pi - pi are 0
    except (ZeroDivisionError, ValueError, TypeError):
        return None
    return q if q.is_Rational else None


def _rationals(point: dict) -> dict:
    """The coordinates that exact arithmetic can use: rationals of bounded size, small exact numbers
    (``sqrt(2)``, ``pi/3``: a kink probed exactly on ``x - sqrt(2)``)."""
    out = {}
    for n, v in point.items():
        if isinstance(v, sp.Rational):
            if max(int(v.p).bit_length(), int(v.q).bit_length()) <= MAX_EXACT_BITS:
                out[n] = v
        elif isinstance(v, sp.Expr) and v.is_number and not v.has(sp.Float) and sp.count_ops(v) <= 20:
            out[n] = v
    return out


class _Run:
    """One evaluation at one point and precision: memo, kink margin, scale of the terms.

    ``exact`` (name -> rational) lets a step function decide on the exact value of its argument
    when the ball straddles 0: ``sign(x - 1/3)`` at ``x = 1/3`` is 0, though 1/3 has no exact ball.
    """

    def __init__(self, env: dict, exact: dict | None = None):
        self.env = env
        self.memo: dict = {}
        self.kink = float("inf")
        self.scale = arb(0)
        self.exact = exact or {}
        self.definitions: dict = {}   # intermediate name -> its expression (for the exact values)
        self._exact_memo: dict = {}

    def exact_value(self, node):
        """``node``'s exact rational value at the point, or None (not rational, too costly, unknown)."""
        if not self.exact:
            return None
        subs = {}
        for sym in node.free_symbols:
            if not isinstance(sym, sp.Symbol):
                return None
            q = self.exact.get(sym.name)
            if q is None and sym.name in self.definitions:
                if sym.name not in self._exact_memo:
                    self._exact_memo[sym.name] = None   # (no cycles)
                    self._exact_memo[sym.name] = self.exact_value(self.definitions[sym.name])
                q = self._exact_memo[sym.name]
            if q is None:
                return None
            subs[sym] = q
        return _exactly_rational(node, subs)

    def written(self, node) -> str:
        """``node`` for a message, with the intermediate lines it reads substituted (short)."""
        for _ in range(20):
            inner = {s: self.definitions[s.name] for s in node.free_symbols
                     if isinstance(s, sp.Symbol) and s.name in self.definitions}
            if not inner or sp.count_ops(node) > 60:
                break
            node = node.xreplace(inner)
        return _short(node)

    def real_decided(self, node) -> arb:
        """The real ball of ``node``; where it straddles 0, the exact value's (0 exactly, or a ball
        with a certain sign and integer part)."""
        x = _real(self.value(node))
        if x > 0 or x < 0 or x.is_zero():
            return x
        q = self.exact_value(node)
        if q is None:
            return x
        return arb(0) if q == 0 else arb(fmpq(int(q.p), int(q.q)))

    def kinked(self, distance: float):
        if distance < self.kink:
            self.kink = distance

    def value(self, node) -> acb:
        if isinstance(node, sp.Symbol):
            v = self.env.get(node.name)
            if v is None:
                raise Unsupported(f"unknown symbol {node.name}")
            if isinstance(v, Exception):
                raise v
            return v
        v = self.memo.get(node)
        if v is None:
            try:
                v = self._eval(node)
            except (Undefined, Uncertain) as exc:
                self.memo[node] = exc
                raise
            self.memo[node] = v
        elif isinstance(v, Exception):
            raise v
        return v

    def truth(self, cond) -> bool:
        if cond is sp.true or cond is True:
            return True
        if cond is sp.false or cond is False:
            return False
        if isinstance(cond, sp.core.relational.Relational):
            d = _real(self.value(cond.lhs) - self.value(cond.rhs))
            if not (d > 0 or d < 0 or d.is_zero()):
                q = self.exact_value(cond.lhs - cond.rhs)
                if q is not None:
                    d = arb(0) if q == 0 else arb(fmpq(int(q.p), int(q.q)))
            self.kinked(_distance(d))
            return _compare(cond, d)
        if isinstance(cond, sp.And):
            return all(self.truth(c) for c in cond.args)
        if isinstance(cond, sp.Or):
            return any(self.truth(c) for c in cond.args)
        if isinstance(cond, sp.Not):
            return not self.truth(cond.args[0])
        raise Unsupported(f"condition {type(cond).__name__}")

    def _eval(self, node) -> acb:
        if node.is_Number:
            if node.is_Rational:
                return ball(node)
            if node.is_Float:
                return ball(sp.Rational(str(node)))
            raise Undefined(f"{node} is not a finite number")
        if node is sp.pi:
            return acb.pi()
        if node is sp.E:
            return acb(1).exp()
        if node is sp.I:
            return acb(0, 1)
        if node is sp.EulerGamma:
            return acb(arb.const_euler())
        if node in (sp.nan, sp.zoo, sp.oo, -sp.oo):
            raise Undefined(f"{node} is not a finite number")
        if isinstance(node, sp.CRootOf) and node.is_real:   # a real root: SymPy's exact isolation, narrowed
            width = sp.Rational(1, 2 ** (ctx.prec + 8))
            q = node.eval_rational(dx=width, dy=width)
            return acb(arb(fmpq(int(q.p), int(q.q))) + arb(0, arb(2) ** (-(ctx.prec + 8))))
        t = type(node)
        if t is sp.Add:
            total = acb(0)
            for a in node.args:
                v = self.value(a)
                u = abs(v).abs_upper()
                if u > self.scale:
                    self.scale = u
                total += v
            return total
        if t is sp.Mul:
            out = acb(1)
            for a in node.args:
                out *= self.value(a)
            return _finite(out, [self.value(a) for a in node.args])
        if t is sp.Pow:
            return self._pow(node)
        f = _UNARY.get(t)
        if f is not None:
            return f(self.value(node.args[0]))
        if t is sp.log:
            z = self.value(node.args[0])
            if z.is_zero():
                raise Undefined(f"log(0) (log({self.written(node.args[0])}))")
            out = acb(z.real.log()) if z.imag.is_zero() and z.real > 0 else z.log()
            if len(node.args) == 2:
                out = out / self.value(node.args[1]).log()
            return _finite(out, [z])
        if t is sp.Abs:
            z = self.value(node.args[0])
            if z.imag.is_zero():
                self.kinked(_distance(z.real))
                return acb(abs(z.real))
            return acb(abs(z))
        if t is sp.sign:
            z = self.value(node.args[0])
            if not z.imag.is_zero() and certainly_complex(z):
                return z / acb(abs(z))
            x = self.real_decided(node.args[0])
            self.kinked(_distance(x))
            return acb(_sign_of(x))
        if t is sp.Heaviside:
            x = self.real_decided(node.args[0])
            self.kinked(_distance(x))
            s = _sign_of(x)
            if s == 0:
                return self.value(node.args[1]) if len(node.args) > 1 else acb(arb(fmpq(1, 2)))
            return acb(1 if s > 0 else 0)
        if t in (sp.Max, sp.Min):
            balls = [self.value(a) for a in node.args]
            vals = [_real(v) for v in balls]
            by_mid = sorted(vals, key=lambda v: float(v.mid()))
            if len(by_mid) > 1:
                self.kinked(min(_distance(b - a) for a, b in zip(by_mid, by_mid[1:])))
            for ball_i, v in zip(balls, vals):   # a certain winner: its own ball (KroneckerDelta can see it)
                if all(v is w or (v > w if t is sp.Max else v < w) for w in vals):
                    return ball_i
            out = vals[0]
            for v in vals[1:]:
                out = out.max(v) if t is sp.Max else out.min(v)
            return acb(out)
        if t in (sp.floor, sp.ceiling, sp.frac):
            x = _real(self.value(node.args[0]))
            if not (x.floor() if t is not sp.ceiling else x.ceil()).is_exact():
                q = self.exact_value(node.args[0])
                if q is not None:   # the exact integer part (floor(x/3) at x = 3: 1)
                    whole = sp.floor(q) if t is not sp.ceiling else sp.ceiling(q)
                    self.kinked(float(abs(q - sp.floor(q + sp.Rational(1, 2)))))
                    return acb(int(whole)) if t is not sp.frac else acb(arb(fmpq(int((q - whole).p), int((q - whole).q))))
            self.kinked(_intgap(x))
            fl = x.floor() if t is not sp.ceiling else x.ceil()
            if not fl.is_exact():
                raise Uncertain("cannot tell the integer part")
            return acb(x - fl) if t is sp.frac else acb(fl)
        if t is sp.Piecewise:
            for expr, cond in node.args:
                if self.truth(cond):
                    return self.value(expr)
            raise Undefined("no branch of a Piecewise applies")
        if t is sp.atan2:
            y, x = _real(self.value(node.args[0])), _real(self.value(node.args[1]))
            if x.is_zero() and y.is_zero():
                raise Undefined("atan2(0, 0)")
            if not (x > 0) and not (y > 0 or y < 0):   # on the branch cut (x <= 0, y = 0) or unclear
                if not y.is_zero():
                    raise Uncertain("atan2 next to its branch cut")
            return acb(arb.atan2(y, x))
        if t is sp.LambertW and len(node.args) == 1:
            return _finite(self.value(node.args[0]).lambertw(), [self.value(node.args[0])])
        if t is sp.polygamma:
            n, z = node.args
            if not (n.is_Integer and n >= 0):
                raise Unsupported("polygamma of a non-integer order")
            zv = self.value(z)
            return _finite(zv.digamma() if n == 0 else zv.polygamma(acb(int(n))), [zv])
        if t is sp.KroneckerDelta:
            a, b = self.value(node.args[0]), self.value(node.args[1])
            if a is b:   # the very same value (a max that is certainly this argument)
                return acb(1)
            d = a - b
            if d.is_zero():
                return acb(1)
            if certainly_nonzero(d):
                return acb(0)
            raise Uncertain("cannot tell whether two numbers are equal")
        if t in (sp.re, sp.im):
            z = self.value(node.args[0])
            return acb(z.real if t is sp.re else z.imag)
        if t is sp.conjugate:
            return self.value(node.args[0]).conjugate()
        raise Unsupported(f"no certified evaluation of {t.__name__}")

    def _pow(self, node) -> acb:
        base, expo = node.args
        b = self.value(base)
        if expo.is_Integer:
            n = int(expo)
            if n < 0 and (b.is_zero() or (b.contains(0) and self.exact_value(base) == 0)):
                raise Undefined(f"a division by {self.written(base)} = 0")
            return _finite(b ** n, [b])
        if expo == sp.Rational(1, 2):
            if b.imag.is_zero() and b.real >= 0:
                return acb(b.real.sqrt())
            return b.sqrt()
        if expo == sp.Rational(-1, 2):
            if b.is_zero():
                raise Undefined(f"a division by {self.written(base)} = 0")
            return _finite(b.rsqrt(), [b])
        e = self.value(expo)
        if b.is_zero():
            if e.real > 0:
                return acb(0)
            if e.is_zero():   # SymPy's (and Python's) 0**0 = 1
                return acb(1)
            if e.real < 0:
                raise Undefined("0 to a negative power")
            raise Uncertain("0 to a power of unknown sign")
        if b.imag.is_zero() and e.imag.is_zero() and b.real > 0:
            return _finite(acb(b.real ** e.real), [b, e])
        return _finite(b ** e, [b, e])


def holds(cond, point: dict, prec: int = 128) -> bool:
    """Whether a condition holds at an exact point (name -> rational); ``Uncertain``/``Undefined``
    when balls cannot tell, ``Unsupported`` for unknown functions."""
    old = ctx.prec
    ctx.prec = prec
    try:
        return _Run({n: ball(v) for n, v in point.items()}, _rationals(point)).truth(cond)
    finally:
        ctx.prec = old


def finite_real_value(expr, point: dict):
    """The certified value (an ``acb``, finite and real) of ``expr`` at an exact point, or None.

    None when the balls show it undefined or not real, stay undecided up to the largest
    precision, or meet a function with no certified evaluation."""
    old = ctx.prec
    try:
        for prec in PRECISIONS:
            ctx.prec = prec
            try:
                z = _Run({n: ball(v) for n, v in point.items()}, _rationals(point)).value(expr)
            except Uncertain:
                continue
            except (Undefined, Unsupported, ValueError, TypeError, ZeroDivisionError, OverflowError):
                return None
            if z.is_finite() and certainly_real(z):
                return z
        return None
    finally:
        ctx.prec = old


class BallEvaluator:
    """Blocks (assignments and outputs, see ``inputs.Block``) evaluated in ball arithmetic.

    ``evaluate(values, prec)`` returns ``(outputs, kink, scale, collected)``:
    each output an ``acb`` or the ``Undefined``/``Uncertain``/``Unsupported``
    exception met on the way to it; the smallest distance of a step-function
    argument to its jump; an upper bound of the magnitude of the largest term
    of any sum computed; and (``collect_all``) every assigned value.
    """

    def __init__(self, blocks, input_names, *, collect_all: bool = False, prepare=None):
        self.input_names = list(input_names)
        self.collect_all = collect_all
        self._raw = list(blocks)
        self._prepare = prepare or (lambda e: e)
        self._blocks = None
        self.n_outputs = sum(len(b.outputs) for b in self._raw)

    def _prepared(self):
        if self._blocks is None:
            self._blocks = [([(t, self._prepare(e)) for t, e in b.assignments], [self._prepare(o) for o in b.outputs])
                            for b in self._raw]
        return self._blocks

    def evaluate(self, values, prec: int):
        blocks = self._prepared()
        old = ctx.prec
        ctx.prec = prec
        try:
            point = {n: ball(v) for n, v in zip(self.input_names, values)}
            exact = _rationals(dict(zip(self.input_names, values)))
            outputs, collected = [], []
            kink, scale = float("inf"), arb(0)
            for assignments, outs in blocks:
                run = _Run(dict(point), exact)
                for target, expr in assignments:
                    run.definitions[target.name] = expr
                    try:
                        v = run.value(expr)
                    except (Undefined, Uncertain, Unsupported) as exc:
                        v = exc
                    except (ValueError, TypeError, ZeroDivisionError, OverflowError) as exc:
                        v = Unsupported(f"{type(exc).__name__}: {exc}")
                    run.env[target.name] = v
                    collected.append(v)
                for out in outs:
                    try:
                        outputs.append(run.value(out))
                    except (Undefined, Uncertain, Unsupported) as exc:
                        outputs.append(exc)
                    except (ValueError, TypeError, ZeroDivisionError, OverflowError) as exc:
                        outputs.append(Unsupported(f"{type(exc).__name__}: {exc}"))
                kink = min(kink, run.kink)
                if run.scale > scale:
                    scale = run.scale
            return outputs, kink, scale, (collected if self.collect_all else [])
        finally:
            ctx.prec = old


def agrees(a: acb, b: acb, scale: arb, prec: int, final: bool) -> bool | None:
    """Compare two balls computed with ``prec`` bits.

    False: the difference certainly is not 0 (a certified disagreement).
    True: the difference's ball contains 0 and is narrow relative to the values
    (within 2**-60 of the larger), or -- at the last precision -- as narrow as
    rounding the largest term of the computation (``scale``) allows, so two
    values that are both (near) 0 after cancellation agree at the scale of
    their terms.  None: too wide to tell.
    """
    d = a - b
    if certainly_nonzero(d):
        return False
    if d.is_zero():
        return True
    width = max(d.real.rad(), d.imag.rad())
    size = max(abs(a).abs_upper(), abs(b).abs_upper())
    if width <= size * arb(2) ** (-AGREE_BITS):
        return True
    if final and width <= scale * arb(2) ** (64 - prec) and not (certainly_nonzero(a) or certainly_nonzero(b)):
        return True   # both (near) 0 at the rounding level of the largest term; a wide ball next to a
        #               certainly nonzero value decides nothing
    return None


def _trim(text: str) -> str:
    mantissa, e, exponent = text.partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + (e + exponent if e else "")


def fmt_pair(a, b) -> tuple[str, str]:
    """Two values with the fewest certified digits (at least 12) that tell them apart."""
    if isinstance(a, Exception) or isinstance(b, Exception):
        return (fmt_ball(a) if not isinstance(a, Exception) else "undefined",
                fmt_ball(b) if not isinstance(b, Exception) else "undefined")
    for digits in (12, 16, 20, 25, 30, 36, 50, 70, 100, 150):
        sa, sb = fmt_ball(a, digits), fmt_ball(b, digits)
        if sa != sb:
            return sa, sb
    # the same in 150 digits (a difference of 10**-700): one as the other plus the certified difference,
    # anchored on a value its digits show exactly (1 and 1 + 3.3e-434295, not "1 - 3.3e-434295" and "1")
    d = a - b
    if _exactly_shown(a) and not _exactly_shown(b):
        return fmt_ball(a), _plus(fmt_ball(a), -d)
    return _plus(fmt_ball(b), d), fmt_ball(b)


def _exactly_shown(z: acb) -> bool:
    """Whether a value is exact and its printed digits are all of it (1, 0.5, -3)."""
    try:
        return z.imag.is_zero() and z.real.rad() == 0 and acb(fmt_ball(z)) == z
    except Exception:
        return False


def _plus(shown: str, d: acb) -> str:
    if d.imag.is_zero():
        return f"{shown} - {fmt_ball(-d)}" if d.real < 0 else f"{shown} + {fmt_ball(d)}"
    return f"{shown} + ({fmt_ball(d)})"


def fmt_ball(z: acb, digits: int = 12) -> str:
    """The certified digits of a value (no digit printed that the ball does not guarantee)."""
    def one(x: arb) -> str:
        if x.is_zero():
            return "0"
        return _trim(x.str(digits, radius=False))
    if z.imag.is_zero():
        return one(z.real)
    return f"{one(z.real)} + {one(z.imag)}*I" if not z.imag < 0 else f"{one(z.real)} - {one(-z.imag)}*I"


def fmt_point_value(v) -> str:
    """An exact coordinate: an integer, a terminating decimal, p/q (or an exact irrational as SymPy prints it)."""
    v = sp.sympify(v)
    if not v.is_Rational:
        return sp.sstr(v)
    if v.q == 1:
        return str(int(v.p))
    q = int(v.q)
    twos = fives = 0
    while q % 2 == 0:
        q //= 2
        twos += 1
    while q % 5 == 0:
        q //= 5
        fives += 1
    if q == 1 and max(twos, fives) <= 30:
        digits = max(twos, fives)
        scaled = int(v.p) * 10 ** digits // int(v.q)
        sign = "-" if scaled < 0 else ""
        s = str(abs(scaled)).rjust(digits + 1, "0")
        return f"{sign}{s[:-digits]}.{s[-digits:]}".rstrip("0").rstrip(".")
    return f"{v.p}/{v.q}"
