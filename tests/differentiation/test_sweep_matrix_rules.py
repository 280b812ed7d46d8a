"""Every entry of the matrix rule table, exercised inside random matrix expressions.

Each entry of ``MATRIX_RULES.rules`` (enumerated when the tests are collected)
gets random scalar-valued matrix expressions with symbolic shapes that contain
a node it differentiates; symdiff's compiled gradient is compared with the
tape engine (forward-only translation of the expression) and with central
finite differences of the expression printed by SymPy, at sizes 1..3.
"""
import pytest
from hypothesis import given

from symdiff.rules.matrix import MATRIX_RULES
from symdiff.testing import check_matrix_entry, matrix_expressions, uncovered_matrix_entries
from symdiff.testing.matrices import DIMENSIONS
from symdiff.testing.profiles import profile_examples

HEADS = sorted(MATRIX_RULES.rules, key=lambda h: h.__name__)


def test_every_matrix_rule_entry_is_exercised_by_a_strategy_primitive():
    missing = [h.__name__ for h in uncovered_matrix_entries()]
    assert not missing, (f"matrix rule entries no primitive of symdiff.testing.matrices builds: {missing}; "
                         f"add a MatrixPrimitive so the sweep covers them")


@pytest.mark.parametrize("head", HEADS, ids=lambda h: h.__name__)
def test_matrix_rule_entry_agrees_with_tape_and_finite_differences(head):
    check_matrix_entry(head, max_examples=profile_examples(1 / 4, minimum=4))


@given(expr=matrix_expressions(symbolic=False, max_nodes=2))
def test_concrete_shapes_have_no_dimension_symbols(expr):
    # the same strategy with concrete shapes (1..3): no dimension symbol is left in the expression
    assert not (expr.free_symbols & set(DIMENSIONS))
