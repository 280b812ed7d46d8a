"""Training the lecture's models with compiled symbolic gradients.

    >>> from symdiff.train import Objective, fit, Adam
    >>> objective = Objective("P = a0 + a1*x\\nE = (P - y)**2", ["a0", "a1"], ["x", "y"])
    >>> history = fit(objective, {"a0": 0.0, "a1": 0.0}, {"x": xs, "y": ys}, epochs=500,
    ...               optimizer=Adam(0.05))                                     # doctest: +SKIP

``Objective`` compiles a loss program and its gradient once; ``fit`` runs
full- or mini-batch gradient descent with SGD, momentum or Adam, clipping,
early stopping and a progress bar, checks the first gradient against the tape
engine and finite differences, and stops loudly on NaN or inf.  ``models``
holds the lecture's models, ``demos`` the demonstrations that
``symdiff train NAME`` runs (``run_demo``).
"""
from .data import digits, one_hot, split
from .demos import DEMOS, run_demo
from .errors import DivergenceError, GradientCheckError, TrainingError
from .init import init_bias, init_weight
from .loop import (SGD, Adam, EarlyStopping, GradientCheck, History, Momentum, Objective, Optimizer,
                   check_gradient, clip_by_global_norm, clip_by_value, fit, global_norm, make_optimizer)
from .models import ACTIVATIONS, MLP, dropout_mask, make_objective

__all__ = [
    "ACTIVATIONS", "Adam", "DEMOS", "DivergenceError", "EarlyStopping", "GradientCheck", "GradientCheckError",
    "History", "MLP", "Momentum", "Objective", "Optimizer", "SGD", "TrainingError", "check_gradient",
    "clip_by_global_norm", "clip_by_value", "digits", "dropout_mask", "fit", "global_norm", "init_bias",
    "init_weight", "make_objective", "make_optimizer", "one_hot", "run_demo", "split",
]
