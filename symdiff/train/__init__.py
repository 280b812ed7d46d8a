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
from ..lazy import lazy_exports

# Loaded lazily (PEP 562) so that ``symdiff train --help`` imports neither SymPy nor NumPy.
_EXPORTS = {
    "digits": ".data", "one_hot": ".data", "split": ".data",
    "DEMOS": ".demos", "run_demo": ".demos",
    "DivergenceError": ".errors", "GradientCheckError": ".errors", "TrainingError": ".errors",
    "init_bias": ".init", "init_weight": ".init",
    **{name: ".loop" for name in ("SGD", "Adam", "EarlyStopping", "GradientCheck", "History", "Momentum",
                                 "Objective", "Optimizer", "check_gradient", "clip_by_global_norm",
                                 "clip_by_value", "fit", "global_norm", "make_optimizer")},
    "ACTIVATIONS": ".models", "MLP": ".models", "dropout_mask": ".models", "make_objective": ".models",
}

__all__ = [
    "ACTIVATIONS", "Adam", "DEMOS", "DivergenceError", "EarlyStopping", "GradientCheck", "GradientCheckError",
    "History", "MLP", "Momentum", "Objective", "Optimizer", "SGD", "TrainingError", "check_gradient",
    "clip_by_global_norm", "clip_by_value", "digits", "dropout_mask", "fit", "global_norm", "init_bias",
    "init_weight", "make_objective", "make_optimizer", "one_hot", "run_demo", "split",
]


__getattr__ = lazy_exports(globals(), _EXPORTS)
