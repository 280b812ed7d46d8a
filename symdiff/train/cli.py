"""``symdiff train MODEL``: run one of the lecture's trainings or demonstrations.

Wiring (in ``symdiff/cli.py``'s ``build_parser``)::

    from .train.cli import add_parser as add_train_parser
    add_train_parser(sub)

``symdiff train --list`` lists the names with one line each; ``--format json``
prints one JSON object with stable keys (see ``symdiff.train.demos``).
"""
from __future__ import annotations

import argparse
import json
import math

from .errors import TrainingError

# The names of demos.MLP_OPTIONS, spelled out so that ``--help`` imports neither SymPy nor NumPy
# (tests/cli/test_cli_new_user.py checks that they agree).
ACTIVATION_NAMES = ("sigmoid", "tanh", "relu", "leaky_relu", "softplus", "arctan", "softsign", "tanh_linear")
INIT_NAMES = ("xavier", "he", "normal", "uniform", "constant")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def _sizes(text: str) -> tuple:
    try:
        sizes = tuple(int(s) for s in text.split(",") if s.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated layer widths such as 64,32, got {text!r}") \
            from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"expected positive layer widths, got {text!r}")
    return sizes


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``train`` on an ``add_subparsers()`` object; the handler is ``args.handler``."""
    p = subparsers.add_parser(
        "train", help="train the lecture's models with compiled symbolic gradients",
        description="Train one of the lecture's models or run one of its demonstrations. "
                    "Each run checks its first gradient against the tape engine and finite differences.")
    p.add_argument("model", nargs="?", help="what to train (see --list)")
    p.add_argument("--list", action="store_true", help="list the models and demonstrations, one line each")
    p.add_argument("--epochs", type=_positive_int, help="epochs (default: each model's own)")
    p.add_argument("--seed", type=int, default=0, help="seed of data, initialization, shuffles and masks")
    p.add_argument("--plot", metavar="DIR", help="write PNG plots into DIR")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.add_argument("--no-progress", action="store_true", help="no progress bar (it is off when not a TTY)")
    p.add_argument("--backend", choices=("numpy", "jax", "dask"), default="numpy",
                   help="compute value and gradient with NumPy (default), jitted JAX (float64) or Dask over row chunks")
    mlp = p.add_argument_group("mlp-digits options")
    mlp.add_argument("--hidden", type=_sizes, help="hidden layer widths, e.g. 64 or 128,64 (default 64)")
    mlp.add_argument("--activation", choices=ACTIVATION_NAMES, help="activation (default tanh)")
    mlp.add_argument("--init", choices=INIT_NAMES, help="initialization (default xavier)")
    mlp.add_argument("--dropout", type=float, help="dropout rate of the hidden layers (default 0)")
    mlp.add_argument("--optimizer", choices=("sgd", "momentum", "adam"), help="optimizer (default adam)")
    mlp.add_argument("--lr", type=float, help="learning rate (default 3e-3)")
    mlp.add_argument("--batch-size", type=_positive_int, help="mini-batch size (default 64)")
    mlp.add_argument("--clip-norm", type=float, help="global gradient clipping threshold")
    mlp.add_argument("--clip-value", type=float, help="local (per component) gradient clipping threshold")
    mlp.add_argument("--patience", type=_positive_int,
                     help="early stopping on a 10%% validation split after this many epochs without improvement")
    p.set_defaults(handler=run_command)
    return p


_MLP_FLAGS = {"hidden": "hidden", "activation": "activation", "init": "init", "dropout": "dropout",
              "optimizer": "optimizer", "lr": "lr", "batch_size": "batch_size", "clip_norm": "clip_norm",
              "clip_value": "clip_value", "patience": "patience"}


def listing() -> str:
    from .demos import DEMOS

    width = max(map(len, DEMOS))
    return "\n".join(f"{name.ljust(width)}  {demo.summary} (default {demo.epochs} epochs)"
                     for name, demo in DEMOS.items())


def run_command(args) -> int:
    """The handler of ``symdiff train``; SymdiffErrors propagate to the CLI (exit status 2)."""
    from .backends import training_backend
    from .demos import run_demo

    if args.list:
        print(listing())
        return 0
    if not args.model:
        raise TrainingError("name a model to train, or use --list to see them")
    options = {key: getattr(args, flag) for flag, key in _MLP_FLAGS.items() if getattr(args, flag) is not None}
    progress = False if args.no_progress else None
    with training_backend(args.backend):
        result = run_demo(args.model, epochs=args.epochs, seed=args.seed, plot_dir=args.plot, progress=progress,
                          **options)
    if args.format == "json":
        print(json.dumps(_jsonable(result), sort_keys=False))
    else:
        print(format_text(result))
    return 0


def _jsonable(value):
    """NaN and inf become strings (JSON has neither); NumPy scalars become Python numbers."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def _check_line(check: dict) -> str:
    """The pre-training gradient check as one sentence."""
    tape = check.get("tape_max_rel_error")
    parts = ([f"tape max rel error {tape:.2g}"] if tape is not None else ["tape skipped"]) + [
        f"finite differences max rel error {check['fd_max_rel_error']:.2g} on {check['fd_coordinates']} coordinates"]
    runs = check.get("runs", 1)
    return (f"gradient check before training ({runs} run{'s' if runs != 1 else ''}): " + ", ".join(parts)
            + (": ok" if check.get("ok") else ": FAILED"))


def format_text(result: dict, indent: str = "") -> str:
    lines = []
    for key, value in result.items():
        if not indent and key == "gradient_check":
            continue
        if not indent and key == "loss_of":
            continue
        elif not indent and key == "loss" and "loss_of" in result and isinstance(value, float):
            lines.append(f"loss of {result['loss_of']}: {value:.6g}")
        elif isinstance(value, dict):
            lines.append(f"{indent}{key}:")
            lines.append(format_text(value, indent + "  "))
        elif isinstance(value, float):
            lines.append(f"{indent}{key}: {value:.6g}")
        elif isinstance(value, list) and value and all(isinstance(v, float) for v in value):
            lines.append(f"{indent}{key}: [{', '.join(f'{v:.4g}' for v in value)}]")
        else:
            lines.append(f"{indent}{key}: {value}")
        if not indent and key == "epochs" and isinstance(result.get("gradient_check"), dict):
            lines.append(_check_line(result["gradient_check"]))   # what was checked before training
    return "\n".join(lines)
