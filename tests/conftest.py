import os

import numpy as np
import pytest
import sympy as sp

from hypothesis import HealthCheck, settings

# CI stays fast: bounded example counts; `--hypothesis-profile=thorough` for long runs.
settings.register_profile("ci", max_examples=30, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("thorough", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# -- shared fixtures ---------------------------------------------------------------------------

# The lecture's worked example F = sin(x+y)/(x*y), written with its named intermediates.
LECTURE_PROGRAM = """
S = x + y
G = sin(S)
M = x*y
H = 1/M
F = G*H
"""


@pytest.fixture(scope="session")
def lecture_program() -> str:
    return LECTURE_PROGRAM


def _matrix_values(symbols, rng):
    """Random values for ``symbols``: P symmetric positive definite, A comfortably invertible."""
    out = []
    for s in symbols:
        if isinstance(s, sp.MatrixSymbol):
            v = rng.normal(size=tuple(int(d) for d in s.shape))
            if s.name == "P":
                v = v @ v.T + 3 * np.eye(v.shape[0])
            elif s.name == "A":
                v = v + 3 * np.eye(v.shape[0])
            out.append(v)
        else:
            out.append(np.asarray(rng.normal()))
    return out


@pytest.fixture(scope="session")
def matrix_values():
    """``matrix_values(symbols, rng)``: values for matrix and scalar symbols (see ``_matrix_values``)."""
    return _matrix_values
