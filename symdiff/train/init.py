"""Seeded parameter initialization, after "Несколько слоёв - это плохо" in the lecture.

Random initialization breaks the symmetry of hidden units (a constant one
keeps them identical forever, see ``demos.symmetry``); Xavier and He scale the
variance to the fan so that gradients neither vanish nor explode at the start.

* ``xavier``: normal with variance 2 / (fan_in + fan_out) (Glorot and Bengio 2010);
* ``he``: normal with variance 2 / fan_in (He et al. 2015), for ReLU;
* ``normal``: normal with standard deviation ``scale``;
* ``uniform``: uniform on [-scale, scale];
* ``constant``: every entry ``scale`` (the failing case of the symmetry demo).

Biases start at zero, except under ``constant``.
"""
from __future__ import annotations

import numpy as np

from .errors import TrainingError

SCHEMES = ("xavier", "he", "normal", "uniform", "constant")


def init_weight(rng: np.random.Generator, fan_in: int, fan_out: int, scheme: str = "xavier",
                scale: float | None = None, gain: float = 1.0) -> np.ndarray:
    """A fan_in x fan_out weight matrix; ``gain`` multiplies the Xavier/He standard deviation."""
    shape = (fan_in, fan_out)
    if scheme == "xavier":
        return rng.normal(0.0, gain * np.sqrt(2.0 / (fan_in + fan_out)), size=shape)
    if scheme == "he":
        return rng.normal(0.0, gain * np.sqrt(2.0 / fan_in), size=shape)
    if scheme == "normal":
        return rng.normal(0.0, 0.1 if scale is None else scale, size=shape)
    if scheme == "uniform":
        limit = 0.1 if scale is None else scale
        return rng.uniform(-limit, limit, size=shape)
    if scheme == "constant":
        return np.full(shape, 0.1 if scale is None else scale)
    raise TrainingError(f"unknown initialization {scheme!r}; choose one of {', '.join(SCHEMES)}")


def init_bias(width: int, scheme: str = "xavier", scale: float | None = None) -> np.ndarray:
    """A 1 x width row; zero, or the constant under the constant scheme."""
    if scheme == "constant":
        return np.full((1, width), 0.1 if scale is None else scale)
    return np.zeros((1, width))
