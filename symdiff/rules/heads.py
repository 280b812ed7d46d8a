"""The unevaluated function heads rule bodies use (they live with the declarations)."""
from ..primitives.heads import Abs, Heaviside, Min, cos, cosh, log, sigmoid, sign, sin, sinh, sqrt

__all__ = ["Abs", "Heaviside", "Min", "cos", "cosh", "log", "sigmoid", "sign", "sin", "sinh", "sqrt"]
