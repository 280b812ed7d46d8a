"""Conservative interval bounds, so generated expressions can stay inside their domains.

A strategy that builds an expression node by node keeps, for every node, an
``Interval`` holding all the node's values over the declared input box.  A
primitive with a restricted domain (log, sqrt, division, asin...) looks at its
argument's interval and applies itself directly when the argument is safely
inside the domain, or to a shifted or scaled argument when it is not.  The
bounds only need to be sound, not tight.
"""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Interval:
    lo: float
    hi: float

    def __post_init__(self):
        if not (self.lo <= self.hi):
            raise ValueError(f"empty interval [{self.lo}, {self.hi}]")

    @property
    def magnitude(self) -> float:
        """The largest absolute value in the interval."""
        return max(abs(self.lo), abs(self.hi))

    def __contains__(self, value: float) -> bool:
        return self.lo <= value <= self.hi

    def within(self, lo: float, hi: float) -> bool:
        return lo <= self.lo and self.hi <= hi

    def excludes(self, lo: float, hi: float) -> bool:
        """No value of the interval lies in [lo, hi]."""
        return self.hi < lo or self.lo > hi

    def __add__(self, other: "Interval | float") -> "Interval":
        other = _as_interval(other)
        return Interval(self.lo + other.lo, self.hi + other.hi)

    __radd__ = __add__

    def __neg__(self) -> "Interval":
        return Interval(-self.hi, -self.lo)

    def __sub__(self, other: "Interval | float") -> "Interval":
        return self + (-_as_interval(other))

    def __mul__(self, other: "Interval | float") -> "Interval":
        other = _as_interval(other)
        products = [a * b for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        return Interval(min(products), max(products))

    __rmul__ = __mul__

    def reciprocal(self) -> "Interval":
        if self.lo <= 0 <= self.hi:
            raise ValueError(f"1/x over {self} contains a pole")
        return Interval(1 / self.hi, 1 / self.lo)

    def __truediv__(self, other: "Interval | float") -> "Interval":
        return self * _as_interval(other).reciprocal()

    def power(self, n: int) -> "Interval":
        """x**n for an integer n >= 0 (even powers fold the negative half over)."""
        values = [self.lo ** n, self.hi ** n]
        if n % 2 == 0 and self.lo <= 0 <= self.hi:
            values.append(0.0)
        return Interval(min(values), max(values))

    def monotone(self, f, increasing: bool = True) -> "Interval":
        """The image under a monotone function."""
        a, b = f(self.lo), f(self.hi)
        return Interval(a, b) if increasing else Interval(b, a)

    def __repr__(self) -> str:
        return f"[{self.lo:g}, {self.hi:g}]"


def _as_interval(x) -> Interval:
    return x if isinstance(x, Interval) else Interval(float(x), float(x))


def hull(*intervals: Interval) -> Interval:
    return Interval(min(i.lo for i in intervals), max(i.hi for i in intervals))


UNIT = Interval(-1.0, 1.0)


def safe_exp(x: float) -> float:
    """exp without overflow (bounds past 700 are 'huge', which is all callers need)."""
    return math.exp(min(x, 700.0))
