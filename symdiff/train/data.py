"""Data for the training demonstrations: synthetic sets with known ground truth, and digits.

Every generator takes a seed and returns plain NumPy arrays; nothing is
downloaded.  The lecture's setting ("Обучение функции"): a data set
D = {(x_i, y_i)} whose x are fixed by the error function while the parameters
a vary, so a batch is a dict ``name -> array`` with the samples on axis 0,
named like the program inputs it feeds.
"""
from __future__ import annotations

import numpy as np

from .errors import TrainingError


def split(data: dict, test_fraction: float, seed: int) -> tuple[dict, dict]:
    """A seeded random train/test split of a batch dict (samples on axis 0)."""
    n = batch_size(data)
    if not 0 < test_fraction < 1:
        raise TrainingError(f"test fraction must be in (0, 1), got {test_fraction}")
    order = np.random.default_rng(seed).permutation(n)
    n_test = max(1, int(round(n * test_fraction)))
    test, train = order[:n_test], order[n_test:]
    return take(data, train), take(data, test)


def take(data: dict, index) -> dict:
    return {name: value[index] for name, value in data.items()}


def batch_size(data: dict) -> int:
    """The common length of axis 0; every array of a batch must have it."""
    sizes = {name: np.shape(value)[0] for name, value in data.items() if np.ndim(value) > 0}
    if not sizes:
        raise TrainingError("a batch needs at least one array with samples on axis 0")
    if len(set(sizes.values())) != 1:
        raise TrainingError(f"arrays of one batch have different numbers of samples: {sizes}")
    return next(iter(sizes.values()))


def one_hot(labels, n_classes: int) -> np.ndarray:
    return np.eye(n_classes)[np.asarray(labels, dtype=int)]


# -- regressions with known ground truth ---------------------------------------------

def polynomial_data(coefficients, n: int = 200, seed: int = 0, noise: float = 0.0) -> dict:
    """y = a0 + a1 x + a2 x^2 + ... on x uniform in [-1, 1]."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=n)
    y = np.polynomial.polynomial.polyval(x, np.asarray(coefficients, dtype=float))
    return {"x": x, "y": y + noise * rng.normal(size=n)}


def sinusoid_data(a, n: int = 300, seed: int = 0, noise: float = 0.0) -> dict:
    """y = sin(a0 x + a1) a2 + a3 on x uniform in [-3, 3]."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 3, size=n)
    y = np.sin(a[0] * x + a[1]) * a[2] + a[3]
    return {"x": x, "y": y + noise * rng.normal(size=n)}


def linear_data(weights, n: int = 500, seed: int = 0, noise: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Features X (n x d, first column the constant 1 of the bias) and y = X a."""
    rng = np.random.default_rng(seed)
    weights = np.asarray(weights, dtype=float)
    X = np.column_stack([np.ones(n), rng.uniform(-2, 2, size=(n, weights.size - 1))])
    return X, X @ weights + noise * rng.normal(size=n)


# -- classification --------------------------------------------------------------------

def quadratic_curve_data(a, n: int = 400, seed: int = 0) -> dict:
    """Points (x, y) in [-2, 2]^2 labelled t = +1 where a0 y^2 + a1 x^2 + a2 yx + a3 y + a4 x + a5 > 0, else -1."""
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(-2, 2, size=(2, n))
    q = a[0] * y**2 + a[1] * x**2 + a[2] * y * x + a[3] * y + a[4] * x + a[5]
    return {"x": x, "y": y, "t": np.where(q > 0, 1.0, -1.0)}


def blobs(centers, n_per_class: int = 100, spread: float = 0.6, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian blobs around ``centers``: points (n x 2) and integer labels."""
    rng = np.random.default_rng(seed)
    centers = np.asarray(centers, dtype=float)
    points = np.concatenate([c + spread * rng.normal(size=(n_per_class, centers.shape[1])) for c in centers])
    labels = np.repeat(np.arange(len(centers)), n_per_class)
    order = rng.permutation(len(labels))
    return points[order], labels[order]


def circles(n: int = 400, seed: int = 0, noise: float = 0.08) -> tuple[np.ndarray, np.ndarray]:
    """Two concentric rings (radius 0.5 and 1): not separable by one plane or by one hidden unit."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, size=n)
    angle = rng.uniform(0, 2 * np.pi, size=n)
    radius = np.where(labels == 1, 0.5, 1.0) + noise * rng.normal(size=n)
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]), labels


def digits(seed: int = 0, test_fraction: float = 0.2) -> tuple[dict, dict]:
    """scikit-learn's bundled 8x8 digits (1797 images, shipped inside the package: no download).

    Pixels are scaled from 0..16 to [0, 1]; the batch dicts hold X (n x 64),
    Y (one-hot, n x 10) and labels.
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError:  # pragma: no cover - scikit-learn is a dependency
        raise TrainingError("the digits data set needs scikit-learn: pip install scikit-learn") from None
    bunch = load_digits()
    data = {"X": bunch.data.astype(np.float64) / 16.0, "Y": one_hot(bunch.target, 10),
            "labels": bunch.target.astype(int)}
    return split(data, test_fraction, seed)
