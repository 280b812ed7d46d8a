r"""Formulas that cannot be formed at the declared sizes: a refuted claim, or the user's declaration error.

With numeric sizes (``X: (3, 2), w: (2,), y: (3,)``) the LaTeX reader meets a
product or sum whose shapes do not fit while it reads (``X (X w - y)``, a
dropped transpose) and raises ``ShapeMismatchError``.  Read without doubt, such
a claim has no value at the sizes it is about, so it cannot be the derivative:
it is refuted as a shape error, stated exactly (which product or sum, both
shapes, the declared sizes), with no numbers compared.  When the formula has
other readings, the caller checks them and the usual rule for readings applies.
A function that cannot be formed is not a claim at all: the declarations do not
fit it, and ``function_shape_error`` says so.
"""
from __future__ import annotations

from ..errors import ShapeError, ShapeMismatchError
from .verdict import Verdict

__all__ = ["shape_refutation", "function_shape_error", "declared_sizes", "wrong_shape_refutation"]


def declared_sizes(shapes: dict) -> str:
    """'X: (3, 2), w: (2,), y: (3,)' (the declarations, in name order)."""
    return ", ".join(f"{name}: {tuple(shape)}" for name, shape in sorted(shapes.items())) or "none"


def _where(error: ShapeMismatchError) -> str:
    return f" in {error.text!r}" if error.text else ""


def _shape_words(shape: tuple) -> str:
    return "x".join(str(d) for d in shape)


def shape_refutation(error: ShapeMismatchError, shapes: dict, wrt_name: str, link: int | None = None,
                     read_as: str | None = None) -> Verdict:
    """The claim refuted: its ``error.operation`` cannot be formed at the declared ``shapes``."""
    what = error.message.split(": ", 1)[-1]           # 'the product X (3x2) times a 3x1 matrix'
    target = shapes.get(wrt_name)
    derivative = f"the derivative with respect to {wrt_name}"
    if target is not None:
        column = tuple(target) if len(target) == 2 else (tuple(target)[0], 1)
        derivative += f" (for a scalar function, a {_shape_words(column)} matrix, the shape of {wrt_name})"
    lead = f"Link {link} of the chain: " if link else ""
    text = (f"{lead}At the declared sizes ({declared_sizes(shapes)}) the claim cannot be formed: {what} "
            f"does not fit{_where(error)}. A formula for {derivative} must have a value of the derivative's "
            f"shape, so the claim is wrong (a shape error, exact: no numbers are compared).")
    operands = [{"name": name, "shape": list(shape)} for name, shape in error.operands]
    counterexample = {"point": {}, "sizes": {k: list(v) for k, v in sorted(shapes.items())},
                      "claimed": f"not defined: {what} does not fit", "actual": derivative,
                      "shape_error": what}
    evidence = {"shape_error": {"operation": error.operation, "operands": operands}}
    return Verdict("refuted", text, counterexample, evidence, read_as=read_as)


def function_shape_error(error: ShapeMismatchError, function_text: str, shapes: dict) -> ShapeError:
    """The function does not type-check at the declared sizes: the declarations (or the function) are wrong."""
    what = error.message.split(": ", 1)[-1]
    return ShapeError(f"the function {function_text!r} cannot be formed at the declared sizes "
                      f"({declared_sizes(shapes)}): {what} does not fit{_where(error)}; check the "
                      f"declared shapes (let / variables=) or the function")


def wrong_shape_refutation(claim_shape: tuple, error: str, sizes: str, read_as: str | None = None) -> Verdict:
    """A matrix claim formed at the sizes checked, but of another shape than the derivative (nor its
    transpose): no formula for the derivative has that shape there, so the claim is wrong."""
    text = (f"At {sizes} the claim is a {_shape_words(claim_shape)} matrix, but {error.split(', but ', 1)[-1]}: "
            f"a formula for the derivative must have the derivative's shape (or its transpose), so the claim "
            f"is wrong (a shape error, exact: no numbers are compared).")
    counterexample = {"point": {}, "claimed": f"a {_shape_words(claim_shape)} matrix", "actual": error,
                      "shape_error": error}
    return Verdict("refuted", text, counterexample, {"shape_error": {"claim": list(claim_shape)}}, read_as=read_as)
