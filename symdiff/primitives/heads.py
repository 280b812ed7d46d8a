"""Function heads for rule bodies, built without re-evaluation on symbol arguments.

A rule applies e.g. cos to a node's argument, which is a symbol; SymPy's
automatic evaluation of cos(symbol) can simplify nothing there but costs most
of a reverse pass's time.  Numeric arguments still evaluate (cos(0) = 1).
"""
from __future__ import annotations

import sympy as sp

from ..functions import sigmoid as _sigmoid


def _on_symbols_unevaluated(f):
    def build(*args):
        if all(isinstance(a, sp.Symbol) for a in args):
            return f(*args, evaluate=False)
        return f(*args)

    build.__name__ = f.__name__
    build.__doc__ = f"{f.__name__}, unevaluated on symbol arguments"
    return build


sin = _on_symbols_unevaluated(sp.sin)
cos = _on_symbols_unevaluated(sp.cos)
sinh = _on_symbols_unevaluated(sp.sinh)
cosh = _on_symbols_unevaluated(sp.cosh)
log = _on_symbols_unevaluated(sp.log)
sign = _on_symbols_unevaluated(sp.sign)
Abs = _on_symbols_unevaluated(sp.Abs)
Min = _on_symbols_unevaluated(sp.Min)
Heaviside = _on_symbols_unevaluated(sp.Heaviside)
sigmoid = _on_symbols_unevaluated(_sigmoid)


def sqrt(x):
    return sp.Pow(x, sp.Rational(1, 2))
