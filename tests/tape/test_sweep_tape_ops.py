"""Every op of the tape engine against finite differences, at inputs drawn inside its domain.

The ops are enumerated from ``symdiff.tape.OPS`` when the tests are collected;
an op without an input strategy in ``symdiff.testing.tape_inputs`` fails.
The op runs on tape Tensors (so broadcasting reductions and the per-input
rules are exercised as the tape uses them) and ⟨g, J⟩ for a random cotangent
g is compared with central finite differences of the op's forward.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symdiff.tape import OPS
from symdiff.testing import check_tape_op, op_inputs, uncovered_tape_ops
from symdiff.testing.profiles import profile_examples

NAMES = sorted(OPS)


def test_every_tape_op_has_an_input_strategy():
    missing = uncovered_tape_ops()
    assert not missing, (f"tape ops without inputs: {missing}; register them with "
                         f"symdiff.testing.register_op_inputs")


@pytest.mark.parametrize("name", NAMES)
def test_tape_op_vjp_agrees_with_finite_differences(name):
    # half the profile's examples: every example runs finite differences over all input entries
    check_tape_op(OPS[name], max_examples=profile_examples(1 / 2, minimum=5))


@settings(max_examples=profile_examples(3))
@given(name=st.sampled_from(NAMES), data=st.data())
def test_op_inputs_are_inside_the_domain(name, data):
    # the strategies themselves: the forward is finite at every drawn input (rejected inputs would
    # otherwise thin out the sweep unnoticed)
    call = data.draw(op_inputs(name))
    with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
        out = OPS[name].forward(*call.inputs, **call.params)
    assert np.all(np.isfinite(out))
