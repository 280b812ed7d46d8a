"""Every entry of the scalar rule table, exercised inside random expression DAGs.

For each entry (enumerated from ``SCALAR_RULES.rules`` when the tests are
collected, so a new entry gets a test of its own) Hypothesis draws DAGs that
contain a node differentiated by that entry, and symdiff's compiled gradient
is compared with central finite differences, the tape engine (through a
forward-only translation) and sympy.diff at points of the domain.  An entry
that no strategy primitive exercises fails.
"""
import pytest
import sympy as sp

from symdiff.rules import SCALAR_RULES
from symdiff.testing import PRIMITIVES, check_scalar_entry, primitives_exercising, uncovered_scalar_entries
from symdiff.testing.profiles import profile_examples

# floor, ceiling and frac jump at the integers: central finite differences straddle the jumps and
# SymPy's evalf(subs=) cannot evaluate them, so no DAG witness applies; their rules are checked
# against sympy.diff of the locally constant form in test_rules_scalar.py and by the verifier corpus.
STEP_HEADS = (sp.floor, sp.ceiling, sp.frac)
HEADS = sorted((h for h in SCALAR_RULES.rules if h not in STEP_HEADS), key=lambda h: h.__name__)


def test_every_scalar_rule_entry_is_exercised_by_a_strategy_primitive():
    missing = [h.__name__ for h in uncovered_scalar_entries() if h not in STEP_HEADS]
    assert not missing, (f"rule entries no primitive of symdiff.testing.strategies.PRIMITIVES builds: "
                         f"{missing}; add a Primitive so the sweep covers them")


def test_entries_with_kinks_are_built_only_by_nonsmooth_primitives():
    # a kinked primitive in the default (smooth) set would make finite differences fail at ties
    for head in (sp.Abs, sp.sign, sp.Heaviside, sp.Max, sp.Min, sp.Piecewise):
        assert all(not PRIMITIVES[n].smooth for n in primitives_exercising(head)), head


@pytest.mark.parametrize("head", HEADS, ids=lambda h: h.__name__)
def test_rule_entry_inside_random_dags_agrees_with_independent_witnesses(head):
    # a third of the profile's examples: each one builds, differentiates and compiles a DAG
    check_scalar_entry(head, max_examples=profile_examples(1 / 3, minimum=5))
