"""The lecture's models and losses: gradients against hand-derived formulas and finite differences,
recovered parameters, truth tables, the perceptron rules as gradient steps, the MLP's pieces."""
import numpy as np
import pytest
import sympy as sp

from symdiff.check import numeric_grad
from symdiff.train import MLP, Objective, check_gradient, data, dropout_mask, init_weight, make_objective, run_demo
from symdiff.train.demos import canonical_sinusoid, input_gradient
from symdiff.train.errors import TrainingError
from symdiff.train.models import (ACTIVATIONS, LOGIC_PROGRAMS, PERCEPTRON_WEIGHTS, _entrywise, logic_function,
                                  smape_sample_program)


def sigma(z):
    return 1 / (1 + np.exp(-z))


# -- regressions recover the generating parameters (noiseless data) --------------------------------

@pytest.mark.parametrize("name", ["polynomial", "sinusoid", "mse-regression", "smape-regression"])
def test_regressions_recover_the_parameters(name):
    result = run_demo(name, seed=0, progress=False)
    assert result["param_error"] < 1e-2, result
    assert np.max(np.abs(np.array(result["params"]) - result["truth"]) / np.abs(result["truth"])) < 1e-2


def test_sinusoid_symmetries_are_canonicalized():
    truth = np.array([1.5, 0.5, 2.0, -0.3])
    x = np.linspace(-3, 3, 7)
    for equivalent in ([-1.5, np.pi - 0.5, 2.0, -0.3], [1.5, 0.5 + np.pi, -2.0, -0.3], [1.5, 0.5 + 4 * np.pi, 2.0, -0.3]):
        a = np.array(equivalent)
        np.testing.assert_allclose(np.sin(a[0] * x + a[1]) * a[2] + a[3], np.sin(1.5 * x + 0.5) * 2.0 - 0.3,
                                   atol=1e-12)  # really the same function
        np.testing.assert_allclose(canonical_sinusoid(a), truth, atol=1e-12)


def test_matrix_mse_gradient_is_the_lectures_formula():
    # dE/dA = X^T 2 (XA - Y) for E = (XA - Y)^T (XA - Y); the objective divides by n
    rng = np.random.default_rng(0)
    X, A, Y = rng.normal(size=(30, 4)), rng.normal(size=(4, 1)), rng.normal(size=(30, 1))
    loss, grads = make_objective("mse-regression").value_and_grad({"A": A}, {"X": X, "Y": Y})
    R = X @ A - Y
    assert loss == pytest.approx((R.T @ R).item() / 30, rel=1e-13)
    np.testing.assert_allclose(grads["A"], X.T @ (2 * R) / 30, rtol=1e-12)


def test_batch_smape_equals_the_lectures_per_sample_graph_and_formula():
    rng = np.random.default_rng(1)
    X = np.column_stack([np.ones(40), rng.normal(size=(40, 3))])
    y = rng.normal(size=40) + 3
    a = rng.normal(size=4)
    loss, grads = make_objective("smape-regression").value_and_grad({"a": a[:, None]}, {"X": X, "y": y[:, None]})
    # the lecture's per-sample program, broadcast over the samples and averaged
    per_sample = Objective(smape_sample_program(4), [f"a{i}" for i in range(4)], ["x1", "x2", "x3", "y"])
    loss2, grads2 = per_sample.value_and_grad({f"a{i}": a[i] for i in range(4)},
                                              {"x1": X[:, 1], "x2": X[:, 2], "x3": X[:, 3], "y": y})
    assert loss == pytest.approx(loss2, rel=1e-13)
    np.testing.assert_allclose(grads["a"].ravel(), [grads2[f"a{i}"] for i in range(4)], rtol=1e-12)
    # dE/dP = sign(D)/S - sign(P) N / S^2 (the slide), dE/da_i = x_i dE/dP
    P = X @ a
    D, S = P - y, np.abs(P) + np.abs(y)
    dP = np.sign(D) / S - np.sign(P) * np.abs(D) / S**2
    np.testing.assert_allclose(grads["a"].ravel(), X.T @ dP / 40, rtol=1e-12)


# -- classification losses --------------------------------------------------------------------------

def test_quadratic_curve_logistic_gradient_by_hand():
    rng = np.random.default_rng(2)
    batch = data.quadratic_curve_data((-1, -0.5, 0.4, 0.3, -0.2, 1.2), n=25, seed=3)
    a = rng.normal(size=6)
    x, y, t = batch["x"], batch["y"], batch["t"]
    features = np.stack([y**2, x**2, y * x, y, x, np.ones_like(x)])
    q = a @ features
    loss, grads = make_objective("quadratic-curve").value_and_grad({f"a{k}": a[k] for k in range(6)}, batch)
    # E = mean log(1 + exp(-tQ)),  dE/da_k = mean -t sigma(-tQ) phi_k
    assert loss == pytest.approx(np.mean(np.log1p(np.exp(-t * q))), rel=1e-12)
    np.testing.assert_allclose([grads[f"a{k}"] for k in range(6)], features @ (-t * sigma(-t * q)) / 25, rtol=1e-11)


def test_cross_entropy_gradient_is_softmax_minus_target():
    rng = np.random.default_rng(4)
    X, W, b = rng.normal(size=(20, 2)), rng.normal(size=(2, 3)), rng.normal(size=(1, 3))
    Y = np.eye(3)[rng.integers(0, 3, size=20)]
    loss, grads = make_objective("cross-entropy").value_and_grad({"W": W, "b": b}, {"X": X, "Y": Y})
    S = X @ W + b
    P = np.exp(S) / np.exp(S).sum(axis=1, keepdims=True)
    assert loss == pytest.approx(-np.mean(np.sum(Y * np.log(P), axis=1)), rel=1e-12)  # H(p, q) = -sum q log p
    np.testing.assert_allclose(grads["W"], X.T @ (P - Y) / 20, rtol=1e-11)
    np.testing.assert_allclose(grads["b"], (P - Y).sum(axis=0, keepdims=True) / 20, rtol=1e-11)


def test_soft_f1_is_f1_of_the_soft_confusion_matrix():
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(5)
    X, labels = rng.normal(size=(30, 2)), rng.integers(0, 3, size=30)
    Y = np.eye(3)[labels]
    W, b = rng.normal(size=(2, 3)), rng.normal(size=(1, 3))
    objective = make_objective("soft-f1")
    loss, grads = objective.value_and_grad({"W": W, "b": b}, {"X": X, "Y": Y})
    S = X @ W + b
    P = np.exp(S) / np.exp(S).sum(axis=1, keepdims=True)
    CM = np.zeros((3, 3))
    for p, c in zip(P, labels):  # "add p to the row of the true class"
        CM[c] += p
    f1 = 2 * np.diag(CM) / (CM.sum(axis=1) + CM.sum(axis=0))
    assert loss == pytest.approx(1 - f1.mean(), rel=1e-12)
    numeric = numeric_grad(lambda W, b: objective.value({"W": W, "b": b}, {"X": X, "Y": Y}), [W, b], (0, 1))
    np.testing.assert_allclose(grads["W"], numeric[0], rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(grads["b"], numeric[1], rtol=1e-6, atol=1e-9)
    # with confident (one-hot) predictions the soft F1 is the ordinary macro F1
    hard = objective.value({"W": 1000 * W, "b": 1000 * b}, {"X": X, "Y": Y})
    assert 1 - hard == pytest.approx(f1_score(labels, np.argmax(S, axis=1), average="macro"), abs=1e-9)


@pytest.mark.parametrize("name", ["quadratic-curve", "cross-entropy", "soft-f1"])
def test_classifiers_classify(name):
    result = run_demo(name, seed=0, progress=False)
    assert result["test_accuracy"] >= 0.9, result


# -- the perceptron rules are gradient steps ---------------------------------------------------------

def printed_rule(rule, w, x, y, eta):
    """The slide's rules, written out independently (x with the constant 1 first)."""
    s = w @ x
    if rule == "hebb":          # if <w,x> y < 0 then w := w + eta x y
        return w + eta * x * y if s * y < 0 else w
    if rule == "rosenblatt":    # w := w - eta (a_w(x) - y) x, a_w(x) = [<w,x> > 0]
        return w - eta * ((1.0 if s > 0 else 0.0) - y) * x
    return w - eta * (s - y) * x   # delta rule


@pytest.mark.parametrize("rule", ["hebb", "rosenblatt", "delta-rule"])
def test_perceptron_rule_is_a_gradient_step_of_its_loss(rule):
    objective = make_objective(rule)
    rng = np.random.default_rng(6)
    eta, moved = 0.3, 0
    for _ in range(40):
        w, x = rng.normal(size=3), np.array([1.0, *rng.normal(size=2)])
        y = float(rng.integers(0, 2)) if rule == "rosenblatt" else float(rng.choice([-1.0, 1.0]))
        _, g = objective.value_and_grad(dict(zip(PERCEPTRON_WEIGHTS, w)),
                                        {"x1": x[1:2], "x2": x[2:3], "y": np.array([y])})
        stepped = w - eta * np.array([g[k] for k in PERCEPTRON_WEIGHTS])
        expected = printed_rule(rule, w, x, y, eta)
        np.testing.assert_allclose(stepped, expected, atol=1e-14)
        moved += not np.array_equal(expected, w)
    assert 0 < moved  # the cases include real updates


def test_hebb_rule_leaves_a_correctly_classified_sample_alone():
    _, g = make_objective("hebb").value_and_grad({"w0": 0.0, "w1": 1.0, "w2": 0.0},
                                                 {"x1": np.array([2.0]), "x2": np.array([5.0]), "y": np.array([1.0])})
    assert all(g[k] == 0 for k in PERCEPTRON_WEIGHTS)


@pytest.mark.parametrize("rule", ["hebb", "rosenblatt", "delta-rule"])
def test_perceptrons_learn_separable_blobs(rule):
    result = run_demo(rule, seed=0, progress=False)
    assert result["rule_is_gradient_step"]
    assert result["test_accuracy"] >= 0.95 > result["start_accuracy"]


# -- logic -------------------------------------------------------------------------------------------

def test_logic_neurons_with_the_lectures_weights_reproduce_truth_tables():
    expected = {"AND": lambda a, b: a & b, "OR": lambda a, b: a | b, "NOT": lambda a, b: 1 - a,
                "XOR (two layers)": lambda a, b: a ^ b, "XOR (product feature)": lambda a, b: a ^ b}
    x1, x2 = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    for name in LOGIC_PROGRAMS:
        out = logic_function(name)(x1.astype(float), x2.astype(float))
        assert out.tolist() == expected[name](x1, x2).tolist(), name
    result = run_demo("logic", seed=0, progress=False)
    assert result["truth_tables_ok"] is True
    trained = result["trained_neuron_accuracy"]
    assert trained["AND"] == trained["OR"] == trained["NOT"] == trained["XOR with x1*x2"] == 1.0
    assert trained["XOR"] < 1.0  # one plane cannot separate XOR


def test_unknown_logic_function():
    with pytest.raises(TrainingError, match="unknown logic function"):
        logic_function("NAND")


# -- the MLP's pieces ----------------------------------------------------------------------------------

# the lecture's table of derivatives (and tanh(x) + a x), in terms of x and f(x)
DERIVATIVES = {
    "sigmoid": (sigma, lambda x, f, a: f * (1 - f)),
    "tanh": (np.tanh, lambda x, f, a: 1 - f**2),
    "relu": (lambda x: np.maximum(x, 0), lambda x, f, a: np.where(x < 0, 0.0, 1.0)),
    "leaky_relu": (lambda x: np.maximum(0.1 * x, x), lambda x, f, a: np.where(x < 0, a, 1.0)),
    "softplus": (lambda x: np.log1p(np.exp(x)), lambda x, f, a: 1 / (1 + np.exp(-x))),
    "arctan": (np.arctan, lambda x, f, a: 1 / (1 + x**2)),
    "softsign": (lambda x: x / (1 + np.abs(x)), lambda x, f, a: 1 / (1 + np.abs(x)) ** 2),
    "tanh_linear": (lambda x: np.tanh(x) + 0.1 * x, lambda x, f, a: 1 - np.tanh(x) ** 2 + a),
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_table(name):
    import symdiff
    from symdiff.program import Program

    assert set(DERIVATIVES) == set(ACTIVATIONS)
    alpha = sp.Rational(1, 10)
    Z, C = sp.MatrixSymbol("Z", 3, 4), sp.MatrixSymbol("C", 3, 4)
    p = Program()
    F = p.let("F", _entrywise(Z, lambda t: ACTIVATIONS[name](t, alpha)))
    p.let("E", symdiff.sum_entries(sp.HadamardProduct(C, F)))
    g = symdiff.gradient(p, ["Z"])
    fn = symdiff.compile(g, ["Z", "C"])
    rng = np.random.default_rng(7)
    z, c = rng.normal(size=(3, 4)) * 2, rng.normal(size=(3, 4))
    value, (dz,) = fn(z, c)
    f, df = DERIVATIVES[name]
    assert value == pytest.approx(np.sum(c * f(z)), rel=1e-12)
    np.testing.assert_allclose(dz, c * df(z, f(z), 0.1), rtol=1e-12)  # dZ = f'(Z) ∘ dF


def test_initializations_have_their_variances():
    rng = np.random.default_rng(8)
    fan_in, fan_out = 400, 300
    assert np.std(init_weight(rng, fan_in, fan_out, "xavier")) == pytest.approx(np.sqrt(2 / 700), rel=0.02)
    assert np.std(init_weight(rng, fan_in, fan_out, "he")) == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert np.std(init_weight(rng, fan_in, fan_out, "normal", 0.3)) == pytest.approx(0.3, rel=0.02)
    u = init_weight(rng, fan_in, fan_out, "uniform", 0.2)
    assert u.min() >= -0.2 and u.max() <= 0.2 and np.std(u) == pytest.approx(0.2 / np.sqrt(3), rel=0.02)
    assert np.all(init_weight(rng, 3, 2, "constant", 0.5) == 0.5)
    np.testing.assert_array_equal(MLP((4, 5, 2)).init(3)["W1"], MLP((4, 5, 2)).init(3)["W1"])
    with pytest.raises(TrainingError, match="unknown initialization"):
        init_weight(rng, 2, 2, "orthogonal")


def test_inverted_dropout_mask():
    mask = dropout_mask(np.random.default_rng(9), 2000, rate=0.3, width_of=50)
    assert set(np.unique(mask)) == {0.0, 1 / 0.7}
    assert np.mean(mask == 0) == pytest.approx(0.3, abs=0.01)
    assert np.mean(mask) == pytest.approx(1.0, abs=0.01)  # the expected activation is unchanged
    np.testing.assert_array_equal(dropout_mask(None, 4, rate=0.3, width_of=5), np.ones((4, 5)))


def test_dropout_net_in_evaluation_mode_is_the_plain_net():
    rng = np.random.default_rng(10)
    batch = {"X": rng.normal(size=(16, 3)), "Y": np.eye(2)[rng.integers(0, 2, size=16)]}
    plain, dropped = MLP((3, 6, 6, 2), "tanh"), MLP((3, 6, 6, 2), "tanh", dropout=0.5)
    params = plain.init(0)
    assert dropped.objective.value(params, batch) == pytest.approx(plain.objective.value(params, batch), rel=1e-14)
    # a training-mode mask changes the loss, and the masked gradient checks out against the tape
    noise = dropped.objective._noise_values(16, np.random.default_rng(1))
    assert dropped.objective.value(params, batch, noise) != pytest.approx(plain.objective.value(params, batch))
    assert check_gradient(dropped.objective, params, batch, noise).ok


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_deep_mlp_gradient_against_tape_and_finite_differences(activation):
    model = MLP((5, 7, 6, 4, 3), activation, alpha=0.1)
    rng = np.random.default_rng(11)
    batch = {"X": rng.normal(size=(12, 5)), "Y": np.eye(3)[rng.integers(0, 3, size=12)]}
    report = check_gradient(model.objective, model.init(1, "xavier"), batch, coordinates=4)
    assert report.ok, str(report)
    assert report.tape_max_rel_error is not None and report.tape_max_rel_error < 1e-9


def test_mlp_rejects_bad_configurations():
    for bad in ({"sizes": (3,)}, {"sizes": (3, 2), "activation": "gelu"}, {"sizes": (3, 2), "dropout": 1.0}):
        with pytest.raises(TrainingError):
            MLP(**bad)


def test_input_gradient_against_finite_differences():
    rng = np.random.default_rng(12)
    model = MLP((6, 5, 3), "tanh")
    params = model.init(2)
    X, Y = rng.uniform(0, 1, size=(4, 6)), np.eye(3)[rng.integers(0, 3, size=4)]
    args = [params[k] for k in model.param_names]
    loss, (dX,) = input_gradient(model)(X, Y, *args)
    numeric = numeric_grad(lambda X: model.objective.value(params, {"X": X, "Y": Y}) * 4, [X], 0)
    np.testing.assert_allclose(dX, numeric, rtol=1e-6, atol=1e-10)


def test_mlp_on_digits_reaches_95_percent():
    result = run_demo("mlp-digits", seed=0, progress=False)
    assert result["test_accuracy"] >= 0.95, result
    assert result["architecture"] == "64-64-10"
