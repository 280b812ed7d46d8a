"""The training loop: objectives against hand-derived gradients, optimizers and clipping against
their formulas, loud divergence, the first-step gradient check, early stopping, determinism."""
import math

import numpy as np
import pytest

from symdiff.errors import SymdiffError
from symdiff.train import (SGD, Adam, DivergenceError, EarlyStopping, GradientCheckError, Momentum, Objective,
                           TrainingError, check_gradient, clip_by_global_norm, clip_by_value, fit)

LINE = "P = a0 + a1*x\nD = P - y\nE = D**2\n"


def line_data(n=50, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=n)
    return {"x": x, "y": 0.3 - 2.0 * x}


# -- objectives ------------------------------------------------------------------------------

def test_scalar_objective_averages_the_per_sample_gradient():
    batch = line_data()
    x, y = batch["x"], batch["y"]
    a0, a1 = 0.5, -0.25
    loss, grads = Objective(LINE, ["a0", "a1"], ["x", "y"]).value_and_grad({"a0": a0, "a1": a1}, batch)
    residual = a0 + a1 * x - y
    # E = mean (a0 + a1 x - y)^2: dE/da0 = mean 2 r, dE/da1 = mean 2 r x
    assert loss == pytest.approx(np.mean(residual**2), rel=1e-14)
    assert grads["a0"] == pytest.approx(np.mean(2 * residual), rel=1e-14)
    assert grads["a1"] == pytest.approx(np.mean(2 * residual * x), rel=1e-14)


def test_compiled_function_is_called_once_per_batch_not_per_sample():
    objective = Objective(LINE, ["a0", "a1"], ["x", "y"])
    calls = []
    compiled = objective._value_and_grad

    def counting(*args):
        calls.append(np.shape(args[0]))
        return compiled(*args)

    objective._value_and_grad = counting
    history = fit(objective, {"a0": 0.0, "a1": 0.0}, line_data(n=100), epochs=2, batch_size=25, progress=False)
    assert history.steps == 8
    assert calls == [(25,)] * 8  # every call sees a whole mini-batch of 25 samples


def test_reduction_none_keeps_the_program_value_as_the_batch_loss():
    # E = (sum of squares) with no averaging: the value is the program's own
    objective = Objective("X: (n, 1)\nw: (1, 1)\nR = X @ w\nE = sum(hadamard(R, R))", ["w"], ["X"],
                          reduction="none")
    X = np.arange(1.0, 4.0)[:, None]
    loss, grads = objective.value_and_grad({"w": np.array([[2.0]])}, {"X": X})
    assert loss == pytest.approx(4.0 * 14.0)
    np.testing.assert_allclose(grads["w"], [[2 * 2.0 * 14.0]])


def test_unknown_reduction_and_parameter_are_errors():
    with pytest.raises(TrainingError, match="reduction"):
        Objective(LINE, ["a0"], ["x", "y"], reduction="median")
    with pytest.raises(TrainingError, match="not inputs"):
        Objective(LINE, ["a7"], ["x", "y"])


def test_missing_batch_array_names_it():
    objective = Objective(LINE, ["a0", "a1"], ["x", "y"])
    with pytest.raises(TrainingError, match="y"):
        objective.value_and_grad({"a0": 0.0, "a1": 0.0}, {"x": np.ones(3)})


# -- optimizers and clipping -----------------------------------------------------------------------

def test_sgd_and_momentum_steps_by_hand():
    g1, g2 = np.array([1.0, -2.0]), np.array([0.5, 0.5])
    params = {"w": np.zeros(2)}
    sgd = SGD(0.1)
    sgd.step(params, {"w": g1})
    np.testing.assert_allclose(params["w"], -0.1 * g1)
    params = {"w": np.zeros(2)}
    momentum = Momentum(0.1, beta=0.9)
    momentum.step(params, {"w": g1})
    momentum.step(params, {"w": g2})
    # v1 = g1, v2 = 0.9 g1 + g2; w = -0.1 (v1 + v2)
    np.testing.assert_allclose(params["w"], -0.1 * (g1 + 0.9 * g1 + g2))


def test_adam_matches_the_textbook_bias_corrected_update():
    rng = np.random.default_rng(0)
    gradients = [rng.normal(size=3) for _ in range(4)]
    params = {"w": np.zeros(3)}
    adam = Adam(0.01, beta1=0.9, beta2=0.999, eps=1e-8)
    w, m, v = np.zeros(3), np.zeros(3), np.zeros(3)
    for t, g in enumerate(gradients, start=1):
        adam.step(params, {"w": g})
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w = w - 0.01 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    np.testing.assert_allclose(params["w"], w, rtol=1e-12)


def test_inverse_time_decay_of_the_learning_rate():
    sgd = SGD(1.0, decay=0.5)
    params = {"w": np.zeros(1)}
    for _ in range(3):
        sgd.step(params, {"w": np.ones(1)})
    np.testing.assert_allclose(params["w"], -(1 + 1 / 1.5 + 1 / 2.0))


def test_global_clipping_rescales_to_the_threshold_and_keeps_the_direction():
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[0.0, 4.0]])}  # global norm 5
    clipped = clip_by_global_norm(grads, 1.0)
    total = math.sqrt(sum(float(np.sum(g**2)) for g in clipped.values()))
    assert total == pytest.approx(1.0)
    np.testing.assert_allclose(clipped["a"], [0.6, 0.0])
    np.testing.assert_allclose(clipped["b"], [[0.0, 0.8]])
    assert clip_by_global_norm(grads, 10.0)["a"] is grads["a"]  # under the threshold: unchanged


def test_local_clipping_keeps_the_sign_of_each_component():
    # the slide's sign(c)*c would send -5 to +2; the component's own sign is meant
    clipped = clip_by_value({"g": np.array([-5.0, -1.0, 0.5, 7.0])}, 2.0)
    np.testing.assert_allclose(clipped["g"], [-2.0, -1.0, 0.5, 2.0])


def test_clipping_is_applied_in_the_loop():
    objective = Objective("E = 1000*a*x", ["a"], ["x"])  # dE/da = 1000 at x = 1
    batch = {"x": np.ones(1)}
    history = fit(objective, {"a": 0.0}, batch, epochs=3, optimizer=SGD(0.1), clip_norm=1.0, progress=False)
    assert history.params["a"] == pytest.approx(-0.3)  # three steps of 0.1 * 1
    assert history.clipped_steps == 3
    history = fit(objective, {"a": 0.0}, batch, epochs=2, optimizer=SGD(0.1), clip_value=0.5, progress=False)
    assert history.params["a"] == pytest.approx(-0.1)  # two steps of 0.1 * 0.5


# -- loud divergence --------------------------------------------------------------------------------

def test_overflowing_loss_stops_with_the_step_and_the_parameter():
    # E = (b x)^2 with a learning rate far too large: b := b (1 - 2 lr mean x^2) grows x499 a step
    objective = Objective("E = (b*x)**2", ["b"], ["x"])
    with pytest.raises(DivergenceError) as info:
        fit(objective, {"b": 1.0}, {"x": np.array([1.0, 2.0])}, epochs=500, optimizer=SGD(100.0), progress=False)
    message = str(info.value)
    assert f"step {info.value.step}" in message and info.value.step > 0
    assert info.value.parameter == "b" and "b" in message
    assert isinstance(info.value, SymdiffError)


def test_nan_gradient_names_the_parameter():
    # sqrt(w) at w < 0 is NaN: the second step lands there
    objective = Objective("E = sqrt(w) + v*x", ["v", "w"], ["x"])
    with pytest.raises(DivergenceError, match=r"step 1 .*gradient with respect to w") as info:
        fit(objective, {"v": 0.0, "w": 0.01}, {"x": np.ones(2)}, epochs=5, optimizer=SGD(1.0), progress=False)
    assert info.value.parameter == "w"


# -- the first-step gradient check ------------------------------------------------------------------

def test_first_gradient_is_checked_against_the_tape_and_finite_differences():
    history = fit(Objective(LINE, ["a0", "a1"], ["x", "y"]), {"a0": 0.1, "a1": 0.2}, line_data(), epochs=1,
                  progress=False)
    assert history.check.ok
    assert history.check.tape_max_rel_error < 1e-12
    assert history.check.fd_coordinates == 2


def test_training_refuses_a_gradient_that_disagrees_with_the_witnesses():
    objective = Objective(LINE, ["a0", "a1"], ["x", "y"])
    compiled = objective._value_and_grad

    def wrong(*args):  # a broken gradient program: dE/da1 off by 1 %
        value, (d0, d1) = compiled(*args)
        return value, (d0, d1 * 1.01)

    objective._value_and_grad = wrong
    with pytest.raises(GradientCheckError, match=r"(?s)refusing to train.*d/da1.*tape"):
        fit(objective, {"a0": 0.1, "a1": 0.2}, line_data(), epochs=3, progress=False)
    report = check_gradient(objective, {"a0": 0.1, "a1": 0.2}, line_data())
    assert not report.ok and any("finite differences" in p for p in report.problems)


def test_objectives_without_a_program_train_only_unchecked():
    class HandLine:  # the same loss by hand: no program, so no witness to check against
        def value_and_grad(self, params, batch, noise=None, *, n=None):
            r = params["a0"] + params["a1"] * batch["x"] - batch["y"]
            return float(np.mean(r**2)), {"a0": np.mean(2 * r), "a1": np.mean(2 * r * batch["x"])}

    with pytest.raises(TrainingError, match="check=False"):
        fit(HandLine(), {"a0": 0.0, "a1": 0.0}, line_data(), epochs=1, progress=False)
    hand = fit(HandLine(), {"a0": 0.0, "a1": 0.0}, line_data(), epochs=5, check=False, progress=False)
    ours = fit(Objective(LINE, ["a0", "a1"], ["x", "y"]), {"a0": 0.0, "a1": 0.0}, line_data(), epochs=5,
               progress=False)
    assert hand.params["a1"] == pytest.approx(ours.params["a1"], rel=1e-12)


def test_exact_zero_against_rounding_noise_is_agreement():
    report = check_gradient(Objective("E = (a - b)**2*x", ["a", "b"], ["x"]), {"a": 0.3, "b": 0.3},
                            {"x": np.ones(4)})
    assert report.ok


# -- early stopping, determinism, progress ---------------------------------------------------------------

def test_early_stopping_restores_the_best_validation_parameters():
    # training pulls a from 2 towards 0; the validation optimum is a = 1
    objective = Objective("E = (a - y)**2", ["a"], ["y"])
    stopping = EarlyStopping(patience=3)
    history = fit(objective, {"a": 2.0}, {"y": np.zeros(4)}, epochs=200, optimizer=SGD(0.05),
                  validation={"y": np.ones(4)}, early_stopping=stopping, progress=False)
    assert history.stop_reason.startswith("early stopping")
    assert history.epochs < 200
    a_after = [2.0 * 0.9 ** (k + 1) for k in range(history.epochs)]  # a := a - 0.05 * 2a
    best = int(np.argmin([(a - 1) ** 2 for a in a_after]))
    assert history.best_epoch == best
    assert history.params["a"] == pytest.approx(a_after[best])


def test_same_seed_same_run_with_minibatches_and_dropout():
    from symdiff.train import MLP
    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 3))
    batch = {"X": X, "Y": np.eye(2)[(X[:, 0] > 0).astype(int)]}
    model = MLP((3, 8, 2), "relu", dropout=0.5)
    runs = [fit(model.objective, model.init(seed, "he"), batch, epochs=3, batch_size=16, optimizer=Adam(0.01),
                seed=seed, progress=False) for seed in (0, 0, 1)]
    for k in model.param_names:
        np.testing.assert_array_equal(runs[0].params[k], runs[1].params[k])
    assert runs[0].train_loss == runs[1].train_loss != runs[2].train_loss


def test_progress_bar_only_when_asked_or_on_a_terminal(capsys):
    objective = Objective(LINE, ["a0", "a1"], ["x", "y"])
    fit(objective, {"a0": 0.0, "a1": 0.0}, line_data(), epochs=3, progress=None, description="quiet")
    assert "quiet" not in capsys.readouterr().err  # stderr is not a TTY under pytest
    fit(objective, {"a0": 0.0, "a1": 0.0}, line_data(), epochs=3, progress=True, description="shown")
    assert "shown" in capsys.readouterr().err


def test_bad_options_are_training_errors():
    objective = Objective(LINE, ["a0", "a1"], ["x", "y"])
    for options in ({"epochs": -1}, {"batch_size": 0}, {"clip_norm": 0.0}, {"clip_value": -1.0}):
        with pytest.raises(TrainingError):
            fit(objective, {"a0": 0.0, "a1": 0.0}, line_data(), progress=False, **options)
    with pytest.raises(TrainingError, match="different numbers of samples"):
        fit(objective, {"a0": 0.0, "a1": 0.0}, {"x": np.ones(3), "y": np.ones(4)}, progress=False)


def test_steps_after_the_first_skip_the_checks_and_give_the_same_numbers():
    from symdiff.errors import ShapeError
    from symdiff.train import fit, make_objective

    objective = make_objective("smape-regression")
    rng = np.random.default_rng(0)
    X, a = rng.normal(size=(20, 4)), rng.normal(size=(4, 1))
    y = (X @ a + 0.1 * rng.normal(size=(20, 1))).round()   # whole numbers, passed as ints to fit
    params, batch = {"a": a}, {"X": X, "y": y}
    checked = objective.value_and_grad(params, batch)
    unchecked = objective.value_and_grad(params, batch, checked=False)
    assert checked[0] == unchecked[0] and np.array_equal(checked[1]["a"], unchecked[1]["a"])
    assert "asarray" not in objective._unchecked_value_and_grad.source
    with pytest.raises(ShapeError, match="argument a has shape"):   # the checked path, the first step's
        objective.value_and_grad({"a": a.T}, batch)
    with pytest.raises(ShapeError, match="argument a has shape"):
        fit(objective, {"a": a.T}, batch, epochs=2, check=False, progress=False)
    # int data is converted once by fit: training from ints and from floats is the same run
    runs = [fit(objective, params, {"X": X, "y": yy}, epochs=3, optimizer=Adam(0.05), check=False, progress=False)
            for yy in (y.astype(int), y)]
    assert runs[0].train_loss == runs[1].train_loss
