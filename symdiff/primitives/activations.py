"""The lecture's activation table, declared: rule, names, tape forward, kinks.

The functions themselves (value, ``fdiff``, elementary form, NumPy and LaTeX
printing on the class) are in ``symdiff.functions``.
"""
from __future__ import annotations

import sympy as sp

from .. import tape as tp
from ..functions import leaky_relu, relu, sigmoid, softplus, softsign
from .declare import primitive
from .heads import Abs, Heaviside, Min, sigmoid as sigmoid_


def _float(x):
    return float(x.value if isinstance(x, tp.Tensor) else x)


primitive(sigmoid, vjp=lambda g, ans, x: g * ans * (1 - ans), tape=tp.sigmoid)
primitive(softplus, vjp=lambda g, ans, x: g * sigmoid_(x), tape=tp.softplus)
primitive(softsign, vjp=lambda g, ans, x: g / (1 + Abs(x)) ** 2, tape=tp.softsign)
primitive(relu, vjp=lambda g, ans, x: g * Heaviside(x, 1), names=("relu", "ReLU"), tape=tp.relu, kink="zero")
primitive(leaky_relu,
          vjp=(lambda g, ans, x, a: g * sp.Piecewise((a, x < 0), (1, True)),
               lambda g, ans, x, a: g * Min(x, 0)),
          tape=lambda x, a: tp.leaky_relu(x, _float(a)), kink="zero")
