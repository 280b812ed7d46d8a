"""``verify`` and ``verify_identity``: the decision procedure.

1. Read the inputs into blocks (``inputs``), compute the reference derivative
   with ``symdiff.gradient`` (one reverse pass per component of a vector or
   matrix function), and describe the domain (``domain``).
2.-4. Decide (``decide.py``): the certified numeric stage, the symbolic proof
   and the refutation search, in that order.

The whole call runs in one forked child (parsing and building the derivative
included), the stages in children of it (``symdiff.budget.run_with_budget``),
all killed at the deadline and limited in memory, so ``budget`` seconds are
exceeded by well under a second.

Where it lives: ``verify`` here reads LaTeX statements (``statements.py``) or
goes straight to ``core.verify_values``: the whole call in a budgeted child,
the problem built in ``problem.py`` (the variables read by ``wrt.read_wrt``),
decided in ``decide.py``.

A matrix ``wrt`` (a ``MatrixSymbol``), or a scalar ``wrt`` of a function of
matrices, goes to the matrix path instead (reading the inputs in
``matrix_verify.py``, the comparison in ``matrix.py``): the claim is a matrix expression, the reference
``gradient(f, [X]).closed_form(X)``, and the domain's structure markers
(``symmetric``, ``spd``, ``invertible``, ``orthogonal``) shape the sampled
matrices.
"""
from __future__ import annotations

import time
from collections.abc import Mapping

from ..errors import SymdiffError
from .core import check_budget_and_seed, verify_identity, verify_values, whole_call
from .statements import uses_statements, verify_statement
from .verdict import Verdict

__all__ = ["verify", "verify_identity"]


def verify(f, wrt, claimed, where=(), variables=None, budget: float = 10.0, seed: int = 0) -> Verdict:
    """Check a hand-derived derivative ``claimed`` of ``f`` with respect to ``wrt``.

    Layout: scalar f and scalar wrt -> a scalar; scalar f and a vector of
    symbols -> the gradient (a list or column); a vector f (list or column
    Matrix) and a vector wrt -> the Jacobian J[i, j] = d f_i / d x_j; a vector
    or matrix f and a scalar wrt -> the shape of f; a scalar f of matrices
    and a matrix ``wrt`` (a ``MatrixSymbol`` X) -> a matrix expression of X's
    shape (d f / d X_ij at entry (i, j)).  ``where`` holds conditions
    (``x > 0``, ``Ne(x, a)``, ``'t < 1'``), substitutions (``Eq(y, 2*x)``) and
    structure markers (``simplex``, ``onehot``, ``pm1`` on scalars;
    ``symmetric``, ``spd``, ``invertible``, ``orthogonal`` on matrices).
    ``variables`` maps names (plain or LaTeX) to shapes: ``()``, ``(n,)``, ``(m, n)``.
    LaTeX ``f`` and ``claimed`` are read as statements (``statements.py``):
    definitions, derivative left sides, chains, where-clauses; the verdict's
    ``read_as`` says how.

    Returns a ``Verdict`` whose status means exactly: 'proved' -- a symbolic
    proof on the stated domain; 'refuted' -- a counterexample certified with
    ball arithmetic (the point is exact, the difference provably nonzero);
    'consistent' -- no disagreement at the sampled points listed in
    ``coverage`` (evidence, not a proof: a claim wrong only on a small set
    the sampler missed can come back consistent); 'undetermined' -- none of
    these, with the reason.  ``budget`` (seconds, ``inf`` allowed) bounds the
    whole call, reading the input included, to within about a second.  Bad
    input raises a ``SymdiffError``.
    """
    t0 = time.monotonic()
    budget, seed = check_budget_and_seed(budget, seed)
    if variables is not None and not isinstance(variables, Mapping):
        raise SymdiffError(f"variables must map names to shapes, e.g. {{'x': (3,), 'W': (2, 3)}}; "
                           f"got a {type(variables).__name__}")
    # Telling statements from values already reads the LaTeX: the whole call, that included, is budgeted.
    return whole_call(_verify_any, (f, wrt, claimed, where, variables, budget, seed, t0), budget, t0)


def _verify_any(f, wrt, claimed, where, variables, budget, seed, t0) -> Verdict:
    if uses_statements(f, claimed, where, variables):
        return verify_statement(f, wrt, claimed, where, variables, budget - (time.monotonic() - t0), seed)
    return verify_values(f, wrt, claimed, where, budget, seed, t0)

