"""Errors of the training package; all are SymdiffErrors, so the CLI exits with status 2."""
from __future__ import annotations

from ..errors import SymdiffError


class TrainingError(SymdiffError):
    """Bad training input: an unknown model or option, mismatched batch arrays..."""


class DivergenceError(TrainingError, ArithmeticError):
    """NaN or inf in the loss or a gradient; the message names the step and the parameter."""

    def __init__(self, message: str, *, step: int, parameter: str | None):
        super().__init__(message)
        self.step = step
        self.parameter = parameter


class GradientCheckError(TrainingError):
    """The compiled symbolic gradient disagrees with the tape or with finite differences."""
