"""Vector-Jacobian rule tables, filled from the primitive declarations: ``scalar`` for scalar heads
(matrix heads come in ``matrix``)."""
from .base import TIE_POLICIES, RuleContext, RuleTable
from .scalar import SCALAR_RULES

__all__ = ["SCALAR_RULES", "RuleContext", "RuleTable", "TIE_POLICIES"]
