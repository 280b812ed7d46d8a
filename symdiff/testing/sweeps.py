"""Property checks of one rule-table entry or one tape op, for sweeping whole tables.

``check_scalar_entry(head)`` draws random expression DAGs that contain a node
the scalar table differentiates with ``head``'s entry and checks symdiff's
gradient (with ``rules``, by default the real tables) against finite
differences, the tape and sympy.diff at points drawn with them;
``check_matrix_entry`` does the same with random matrix expressions, and
``check_tape_op`` checks a tape op's vector-Jacobian products.  Each raises
``AssertionError`` with the shrunk counterexample.  The ``uncovered_*``
functions list the entries no strategy can exercise (a sweep must fail on
them).
"""
from __future__ import annotations

import sympy as sp
from hypothesis import strategies as st

from .matrices import DIMENSIONS, MATRIX_DOMAIN, matrix_expressions, matrix_primitives_exercising
from .rules import check_rule
from .running import UnusablePoint, run_examples
from .strategies import ELEMENTARY, contains_rule, expression_dags, primitives_exercising
from .tape_inputs import TAPE_OP_INPUTS, op_inputs


def uncovered_scalar_entries(table=None) -> list:
    """Heads of the scalar table (default ``SCALAR_RULES``) that no strategy primitive exercises."""
    if table is None:
        from ..rules import SCALAR_RULES as table
    return [h for h in table.rules if not primitives_exercising(h, table)]


def uncovered_matrix_entries(table=None) -> list:
    """Heads of the matrix table (default ``MATRIX_RULES``) that no matrix primitive exercises."""
    if table is None:
        from ..rules.matrix import MATRIX_RULES as table
    return [h for h in table.rules if not matrix_primitives_exercising(h, table)]


def uncovered_tape_ops(ops=None) -> list:
    """Names of tape ops (default ``symdiff.tape.OPS``) without an input strategy."""
    if ops is None:
        from ..tape import OPS as ops
    return [name for name in ops if name not in TAPE_OP_INPUTS]


def check_scalar_entry(head, *, rules=None, symbols=None, max_nodes: int = 4, max_examples: int | None = None,
                       seed: int | None = None, shrink: bool = True) -> None:
    """symdiff's gradient of random DAGs containing ``head``'s scalar rule, against independent witnesses.

    ``rules``: the table symdiff differentiates with (a modified copy, to test
    it); the entry is located in ``SCALAR_RULES``.
    """
    from ..rules import SCALAR_RULES

    names = primitives_exercising(head, SCALAR_RULES)
    if not names:
        raise AssertionError(f"no strategy primitive exercises the scalar rule entry {head.__name__}: add a "
                             f"Primitive to symdiff.testing.strategies.PRIMITIVES")
    symbols = list(symbols or sp.symbols("x0 x1", real=True))

    def one(data):
        # one to three of the primitives that reach the entry, each applied: different primitives
        # exercise different branches of a rule (x**2 and x**y for Pow); shrinking goes to one
        chosen = data.draw(st.permutations(names), label="primitives")[:data.draw(st.integers(1, 3))]
        dags = expression_dags(symbols, max_nodes=max_nodes, primitives=ELEMENTARY | set(names),
                               required_all=chosen)
        expr = data.draw(dags, label="expression")
        if not contains_rule(expr, head, SCALAR_RULES):
            raise UnusablePoint("SymPy simplified the node away")   # log(exp(a)) = a: nothing to check
        check_rule(expr, symbols, rules=rules)   # draws its points from this example's data

    run_examples(one, st.data(), max_examples=max_examples, seed=seed, shrink=shrink,
         what=f"the scalar rule entry {head.__name__}")


def matrix_variables(expr) -> list:
    """The matrix symbols and scalar symbols of ``expr`` (not the dimensions n, m, k)."""
    return sorted((s for s in expr.free_symbols if isinstance(s, (sp.MatrixSymbol, sp.Symbol))
                   and s not in DIMENSIONS), key=lambda s: s.name)


def check_matrix_entry(head, *, rules=None, max_nodes: int = 3, max_examples: int | None = None,
                       seed: int | None = None, shrink: bool = True) -> None:
    """symdiff's gradient of random matrix expressions containing ``head``'s matrix rule, against the
    tape and finite differences, at sizes 1..3 of the symbolic dimensions."""
    from ..rules.matrix import MATRIX_RULES

    names = matrix_primitives_exercising(head, MATRIX_RULES)
    if not names:
        raise AssertionError(f"no matrix strategy primitive exercises the matrix rule entry {head.__name__}: "
                             f"add a MatrixPrimitive to symdiff.testing.matrices")

    def one(data):
        chosen = data.draw(st.permutations(names), label="primitives")[:data.draw(st.integers(1, 2))]
        expr = data.draw(matrix_expressions(max_nodes=max_nodes, required=chosen), label="expression")
        if not contains_rule(expr, head, MATRIX_RULES):
            raise UnusablePoint("SymPy simplified the node away")
        check_rule(expr, matrix_variables(expr), domain=MATRIX_DOMAIN, rules=rules)

    run_examples(one, st.data(), max_examples=max_examples, seed=seed, shrink=shrink,
         what=f"the matrix rule entry {head.__name__}")


def check_tape_op(op, inputs=None, *, max_examples: int | None = None, seed: int | None = None,
                  shrink: bool = True) -> None:
    """The op's vector-Jacobian products on the tape against finite differences of its forward,
    at inputs from ``inputs`` (default: the op's registered strategy)."""
    check_rule(op, inputs if inputs is not None else op_inputs(op.name), max_examples=max_examples, seed=seed,
               shrink=shrink)
