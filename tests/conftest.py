import numpy as np
import pytest
import sympy as sp

from symdiff.testing.profiles import load_profile, register_profiles

# CI stays fast: bounded example counts (the "ci" profile of symdiff.testing.profiles);
# `--hypothesis-profile=thorough` for long runs.
register_profiles()
load_profile()


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


@pytest.fixture(autouse=True)
def _in_place_at_every_size(monkeypatch):
    """Compiled NumPy code writes into the buffers of dying operands only from NumPy's 256 KiB up
    (symdiff/backends/in_place.py); here every size does, so the sweeps' small matrices check it."""
    from symdiff.backends import in_place
    monkeypatch.setattr(in_place, "MIN_ENTRIES", 0)
