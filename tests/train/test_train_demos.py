"""The lecture's demonstrations: symmetry, vanishing and exploding gradients, dropout, adversarial examples."""
import numpy as np
import pytest

from symdiff.train import MLP, data, run_demo
from symdiff.train.demos import DEMOS, FGSM_EPSILONS


@pytest.fixture(scope="module")
def vanishing():
    return run_demo("vanishing", seed=0, progress=False)


def test_constant_initialization_keeps_hidden_units_identical():
    result = run_demo("symmetry", seed=0, progress=False)
    assert result["constant_init_hidden_unit_spread"] == 0.0   # every hidden unit a copy of unit 0
    assert result["hidden_units_stay_identical"] is True
    assert result["random_init_hidden_unit_spread"] > 0.1
    assert result["test_accuracy"] >= 0.95                       # random initialization separates the rings
    assert result["constant_init_test_accuracy"] <= 0.8          # one effective unit cannot


def test_sigmoid_gradients_vanish_and_relu_gradients_do_not(vanishing):
    sigmoid, relu = vanishing["grad_norms"]["sigmoid (Xavier)"], vanishing["grad_norms"]["ReLU (He)"]
    assert len(sigmoid) == len(relu) == 10
    assert vanishing["sigmoid_first_to_last_ratio"] < 1e-3
    assert all(a < b for a, b in zip(sigmoid, sigmoid[1:]))     # shrinking towards the input, layer by layer
    assert 0.1 < vanishing["relu_first_to_last_ratio"] < 10
    # plain gradient descent: the deep sigmoid net hardly moves, the ReLU net learns
    assert vanishing["relu_loss_after_training"] < vanishing["sigmoid_loss_after_training"] - 0.2


def test_reported_norms_agree_with_the_tape(vanishing):
    # recompute the first layer's gradient norm with the independent tape engine
    train, _ = data.digits(seed=0)
    batch = {"X": train["X"][:256], "Y": train["Y"][:256]}
    sizes = tuple(vanishing["sizes"])
    for name, activation, scheme in (("sigmoid (Xavier)", "sigmoid", "xavier"), ("ReLU (He)", "relu", "he")):
        model = MLP(sizes, activation)
        tape = model.objective.tape_gradient(model.init(0, scheme), batch, {})
        assert np.linalg.norm(tape["W1"]) == pytest.approx(vanishing["grad_norms"][name][0], rel=1e-9)


def test_clipping_tames_the_exploding_case(vanishing):
    exploding = vanishing["grad_norms"]["ReLU (3 x He)"]
    assert min(exploding) > 1e3
    unclipped = vanishing["unclipped"]
    assert unclipped["diverged"] is True
    assert f"step {unclipped['step']}" in unclipped["error"] and unclipped["parameter"] in unclipped["error"]
    for clipped in (vanishing["clipped_by_norm"], vanishing["clipped_by_value"]):
        assert np.isfinite(clipped["loss_end"]) and clipped["loss_end"] < 0.8 * clipped["loss_start"]
    assert vanishing["clipped_by_norm"]["clipped_steps"] == DEMOS["vanishing"].epochs


def test_dropout_reduces_overfitting():
    result = run_demo("dropout", seed=0, progress=False)
    without = result["without_dropout"]
    assert without["train_accuracy"] == 1.0                      # the plain net memorizes the 60 samples
    assert result["test_loss_reduced"] is True
    assert result["test_loss"] < 0.5 * without["test_loss"]
    assert result["generalization_gap"] < 0.25 * without["generalization_gap"]


def test_fgsm_accuracy_falls_with_epsilon_faster_than_random_noise():
    result = run_demo("fgsm", seed=0, progress=False)
    fgsm, random = result["fgsm_accuracy"], result["random_sign_accuracy"]
    assert result["epsilons"] == list(FGSM_EPSILONS) and result["epsilons"][0] == 0.0
    assert fgsm[0] == random[0] == result["test_accuracy"] >= 0.95
    assert all(b <= a + 1e-12 for a, b in zip(fgsm, fgsm[1:]))    # larger steps, lower accuracy
    k = result["epsilons"].index(0.1)
    assert fgsm[k] < 0.6 and random[k] > 0.9                      # the gradient's direction is what hurts
    assert fgsm[-1] < 0.05
