"""Deterministic PNG plots of the demonstrations (matplotlib's Agg backend).

Same data, same bytes: no timestamps are written (the PNG ``Software`` key is
dropped too, so a matplotlib upgrade does not change files needlessly).
"""
from __future__ import annotations

import pathlib

import numpy as np

from .errors import TrainingError

_PNG_METADATA = {"Software": None}


def _pyplot():
    try:
        import matplotlib
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        raise TrainingError("plots need matplotlib: pip install matplotlib") from None
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _save(fig, directory, name: str) -> str:
    path = pathlib.Path(directory) / f"{name}.png"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=100, metadata=_PNG_METADATA)
    except OSError as exc:
        raise TrainingError(f"cannot write the plot {path}: {exc.strerror or exc}") from None
    finally:
        _pyplot().close(fig)
    return str(path)


def loss_curves(directory, name: str, curves: dict, *, title: str, log: bool = True,
                ylabel: str = "loss", diverged: dict | None = None) -> str:
    """One line per named curve (loss per epoch).

    ``diverged`` maps a curve's label to the epoch where that run stopped on NaN or inf: its line is
    clipped to the range of the other curves and a marker at the top of the axis shows where it diverged.
    """
    plt = _pyplot()
    diverged = diverged or {}
    fig, ax = plt.subplots(figsize=(6, 4))
    for label, values in curves.items():
        values = np.asarray(values, dtype=float)
        shown = f"{label} (diverged at epoch {diverged[label]})" if label in diverged else label
        ax.plot(np.arange(1, len(values) + 1), values, label=shown)
    finite = [v[np.isfinite(v)] for v in (np.asarray(c, dtype=float) for c in curves.values())]
    positive = all(np.all(v > 0) for v in finite if len(v))
    if log and positive:
        ax.set_yscale("log")
    kept = [v for (label, _), v in zip(curves.items(), finite) if label not in diverged and len(v)]
    if diverged and kept:
        low, high = min(float(v.min()) for v in kept), max(float(v.max()) for v in kept)
        top = high * 10 if log and positive else high + (high - low + 1) * 0.5
        ax.set_ylim(low / 2 if log and positive else low - (high - low + 1) * 0.1, top)
        for label, epoch in diverged.items():
            ax.plot([epoch], [top], marker="X", markersize=10, color="red", clip_on=False, linestyle="none")
            ax.annotate(f"{label}: NaN/inf", (epoch, top), textcoords="offset points", xytext=(6, -12),
                        color="red", fontsize=8)
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    return _save(fig, directory, name)


def decision_boundary(directory, name: str, points: np.ndarray, labels: np.ndarray, predict, *,
                      title: str, true_boundary=None, extent=None) -> str:
    """Predicted regions of a 2-D classifier, the samples, and optionally the true boundary.

    ``predict(xx, yy)`` returns class indices on a grid; ``true_boundary(xx, yy)``
    returns a function whose zero level is drawn dashed.
    """
    plt = _pyplot()
    lo = points.min(axis=0) - 0.3 if extent is None else np.array(extent[:2])
    hi = points.max(axis=0) + 0.3 if extent is None else np.array(extent[2:])
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], 300), np.linspace(lo[1], hi[1], 300))
    regions = np.asarray(predict(xx, yy)).reshape(xx.shape).astype(int)
    labels = np.asarray(labels).astype(int)
    k = int(max(regions.max(), labels.max())) + 1
    colors = plt.cm.tab10.colors[:k]  # class c has the same color as region and as point
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.contourf(xx, yy, regions, levels=np.arange(k + 1) - 0.5, colors=colors, alpha=0.25)
    ax.scatter(points[:, 0], points[:, 1], c=[colors[c] for c in labels], s=10, edgecolors="none")
    if true_boundary is not None:
        ax.contour(xx, yy, true_boundary(xx, yy), levels=[0.0], colors="k", linestyles="--", linewidths=1)
    ax.set_title(title)
    ax.set_aspect("equal")
    fig.tight_layout()
    return _save(fig, directory, name)


def grad_norms_per_layer(directory, name: str, norms: dict, *, title: str) -> str:
    """||dE/dW_i|| against the layer index i, one line per network, log scale."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    for label, values in norms.items():
        ax.plot(np.arange(1, len(values) + 1), values, marker="o", label=label)
    ax.set_yscale("log")
    ax.set_xlabel("layer (1 = nearest the input)")
    ax.set_ylabel("||dE/dW_i||")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    return _save(fig, directory, name)


def accuracy_against_epsilon(directory, name: str, epsilons, curves: dict, *, title: str) -> str:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    for label, values in curves.items():
        ax.plot(epsilons, values, marker="o", label=label)
    ax.set_xlabel("epsilon (max change per pixel, pixels in [0, 1])")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0, 1.02)
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    return _save(fig, directory, name)
