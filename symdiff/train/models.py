"""The lecture's models and losses as symdiff programs.

Scalar models are per-sample programs (one line per node of the lecture's
graph); compiled once, they broadcast over arrays of samples, and ``Objective``
averages.  Batch losses that are not sums of per-sample terms (the soft F1)
and layered models are matrix programs over the batch.

Models ("Пример моделей с обучаемыми параметрами"):

* polynomial       y(x) = a0 + a1 x + a2 x^2 + ...
* sinusoid         y(x) = sin(a0 x + a1) a2 + a3
* quadratic curve  a0 y^2 + a1 x^2 + a2 yx + a3 y + a4 x + a5 > 0
* linear regression with MSE in the lecture's matrix form E = (XA - Y)^T (XA - Y),
  and with SMAPE E = |<x,a> - y| / (|<x,a>| + |y|)
* soft classification ("Мягкая классификация") with cross-entropy
  H(p, q) = -sum q_i log p_i, and with the F1 measure of a soft confusion matrix
* the perceptron's rules ("Обучение перцептрона «до изобретения» производной")
* threshold neurons for logic functions ("Логические функции")
* the multilayer perceptron Y_i = f(X_i A_i + b_i) ("Многослойные сети")
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..functions import leaky_relu, relu, sigmoid, softplus, softsign
from ..matrix import add_row_bias, cross_entropy, softmax_rows, sum_entries
from ..program import Program, parse_program
from .errors import TrainingError
from .init import init_bias, init_weight
from .loop import Objective


def _dim(name: str) -> sp.Symbol:
    # the same assumptions as a dimension declared in program text, "X: (n, d)"
    return sp.Symbol(name, integer=True, positive=True)


def _entrywise(matrix, body):
    """body(t) applied entry by entry (a SymPy Lambda over a real dummy)."""
    t = sp.Dummy("t", real=True)
    return matrix.applyfunc(sp.Lambda(t, body(t)))


# -- regressions -----------------------------------------------------------------------

def polynomial_program(degree: int) -> str:
    """y(x) = a0 + a1 x + ... + a_k x^k with the squared error of one sample."""
    if degree < 0:
        raise TrainingError(f"polynomial degree must be non-negative, got {degree}")
    terms = ["a0"] + [f"a{k}*x" + (f"**{k}" if k > 1 else "") for k in range(1, degree + 1)]
    return f"P = {' + '.join(terms)}\nD = P - y\nE = D**2\n"


SINUSOID_PROGRAM = """\
# y(x) = sin(a0*x + a1)*a2 + a3, squared error of one sample
T = a0*x + a1
P = sin(T)*a2 + a3
D = P - y
E = D**2
"""

# The lecture's matrix example "линейная регрессия с MSE в матричном виде";
# its gradient is dE/dA = X^T 2 (XA - Y).
MSE_PROGRAM = """\
X: (n, d)
A: (d, 1)
Y: (n, 1)
R = X @ A - Y
E = R.T @ R
"""


def smape_sample_program(n_features: int) -> str:
    """The lecture's per-sample SMAPE graph E = |<x,a> - y| / (|<x,a>| + |y|), x0 = 1 the bias feature."""
    dot = " + ".join(["a0"] + [f"a{i}*x{i}" for i in range(1, n_features)])
    return f"P = {dot}\nD = P - y\nN = abs(D)\nS = abs(P) + abs(y)\nI = 1/S\nE = N*I\n"


def smape_program() -> Program:
    """SMAPE over a batch, the same graph with P = X a a column: E = sum_i N_i I_i.

    Node for node the lecture's linearized SMAPE graph (P, D, N, S, I, E), so
    the gradient program is dE/dP = sign(D) I - sign(P) N / S^2 and
    dE/da = X^T dE/dP ("dE/da_i = x_i dE/dP"), evaluated with two matrix-vector
    products per batch.
    """
    n, d = _dim("n"), _dim("d")
    X, a, y = sp.MatrixSymbol("X", n, d), sp.MatrixSymbol("a", d, 1), sp.MatrixSymbol("y", n, 1)
    p = Program(inputs=(X, a, y))
    P = p.let("P", X @ a)
    D = p.let("D", P - y)
    N = p.let("N", _entrywise(D, sp.Abs))
    S = p.let("S", _entrywise(P, sp.Abs) + _entrywise(y, sp.Abs))
    I = p.let("I", _entrywise(S, lambda t: 1 / t))
    p.let("E", sum_entries(sp.HadamardProduct(N, I)))
    return p


# -- classification ------------------------------------------------------------------------

# The label is t = +1 / -1; x and y are the two coordinates, as on the slide.
QUADRATIC_CURVE_PROGRAM = """\
Q = a0*y**2 + a1*x**2 + a2*y*x + a3*y + a4*x + a5
# logistic loss log(1 + exp(-t Q)): a smooth surrogate of the 0-1 loss [t Q < 0]
E = softplus(-t*Q)
"""

# Linear soft classifier p = soft-arg-max(X W + b) with the cross-entropy
# H(p, q) = -sum_i q_i log p_i summed over the batch, through log-sum-exp.
CROSS_ENTROPY_PROGRAM = """\
X: (n, d)
W: (d, k)
b: (1, k)
Y: (n, k)
S = X @ W + b
E = sum(logsumexp(S)) - sum(hadamard(Y, S))
"""


def soft_f1_program(n_classes: int) -> Program:
    """1 - macro F1 of the soft confusion matrix CM = Y^T P (the lecture's proposal).

    "Можно напрямую «не округляя» прибавлять вектор p к соответствующей реальному
    классу строке матрицы CM": row c of Y^T P is the sum of the probability
    vectors of the samples of true class c.  F1 of class c is
    2 CM_cc / (sum_j CM_cj + sum_i CM_ic) (true count plus predicted mass), a
    differentiable function of CM; the loss is one minus their mean.
    """
    k = n_classes
    if k < 2:
        raise TrainingError("the soft F1 needs at least two classes")
    n, d = _dim("n"), _dim("d")
    X, W = sp.MatrixSymbol("X", n, d), sp.MatrixSymbol("W", d, k)
    b, Y = sp.MatrixSymbol("b", 1, k), sp.MatrixSymbol("Y", n, k)
    p = Program(inputs=(X, W, b, Y))
    S = p.let("S", add_row_bias(X @ W, b))
    P = p.let("P", softmax_rows(S))
    CM = p.let("CM", Y.T @ P)
    f1 = []
    for c in range(k):
        true_count = sp.Add(*[CM[c, j] for j in range(k)])
        predicted = sp.Add(*[CM[i, c] for i in range(k)])
        f1.append(p.let(f"F{c}", 2 * CM[c, c] / (true_count + predicted)))
    p.let("E", 1 - sp.Add(*f1) / k)
    return p


# -- the perceptron "before the derivative was invented" -------------------------------------
# Each rule is a gradient step w := w - eta dL/dw of the loss L below (Heaviside(z, 0) is
# [z > 0], with zero derivative almost everywhere, as symdiff differentiates it).

# Hebb, classes {1, -1}: if <w, x> y < 0 then w := w + eta x y.
# L = -M [M < 0] with M = <w, x> y (the perceptron criterion max(0, -M)): dL/dw = -x y [M < 0].
HEBB_PROGRAM = """\
M = (w0 + w1*x1 + w2*x2)*y
L = -M*Heaviside(-M, 0)
"""

# Rosenblatt, classes {1, 0}: w := w - eta (a_w(x) - y) x, a_w(x) = [<w, x> > 0].
# The slide prints the update without the factor x (a scalar added to every weight);
# with it, L = (a_w(x) - y) <w, x> >= 0 and dL/dw = (a_w(x) - y) x.
ROSENBLATT_PROGRAM = """\
P = w0 + w1*x1 + w2*x2
A = Heaviside(P, 0)
L = (A - y)*P
"""

# Delta rule (Widrow and Hoff), printed as w := w - eta (<w, x> - y) for L = (<w, x> - 1)^2:
# again the factor x is missing; w := w - eta (<w, x> - y) x is the gradient step of
# L = (<w, x> - y)^2 / 2 (for y = 1 the slide's loss, up to the factor 1/2).
DELTA_PROGRAM = """\
P = w0 + w1*x1 + w2*x2
D = P - y
L = D**2/2
"""

PERCEPTRON_PROGRAMS = {"hebb": HEBB_PROGRAM, "rosenblatt": ROSENBLATT_PROGRAM, "delta-rule": DELTA_PROGRAM}
PERCEPTRON_WEIGHTS = ("w0", "w1", "w2")


def perceptron_rule_update(rule: str, w: np.ndarray, x: np.ndarray, y: float, eta: float) -> np.ndarray:
    """One update of a printed rule, by hand (x includes the constant x0 = 1): the witness
    that each rule is the gradient step of its loss program."""
    s = float(w @ x)
    if rule == "hebb":
        return w + eta * x * y if s * y < 0 else w.copy()
    if rule == "rosenblatt":
        return w - eta * (float(s > 0) - y) * x
    if rule == "delta-rule":
        return w - eta * (s - y) * x
    raise TrainingError(f"unknown perceptron rule {rule!r}; choose one of {', '.join(PERCEPTRON_PROGRAMS)}")


# -- threshold neurons for logic functions ------------------------------------------------------
# [z > 0] is Heaviside(z, 0).  The weights are the lecture's.

LOGIC_PROGRAMS = {
    "AND": "F = Heaviside(x1 + x2 - 3/2, 0)",
    "OR": "F = Heaviside(x1 + x2 - 1/2, 0)",
    "NOT": "F = Heaviside(-x1 + 1/2, 0)",
    # two layers: x1 xor x2 = [(x1 or x2) - (x1 and x2) - 1/2 > 0]
    "XOR (two layers)": """\
O = Heaviside(x1 + x2 - 1/2, 0)
A = Heaviside(x1 + x2 - 3/2, 0)
F = Heaviside(O - A - 1/2, 0)
""",
    # one neuron over the product feature: x1 xor x2 = [x1 + x2 - 2 x1 x2 - 1/2 > 0]
    "XOR (product feature)": "F = Heaviside(x1 + x2 - 2*x1*x2 - 1/2, 0)",
}

# A trainable logistic neuron for the same functions: sigma(w0 + w1 x1 + w2 x2 [+ w3 x1 x2]).
LOGISTIC_NEURON_PROGRAM = """\
Z = w0 + w1*x1 + w2*x2 + w3*x12
E = softplus(-t*Z)
"""


@functools.lru_cache(maxsize=None)
def logic_function(name: str):
    """The compiled threshold neuron(s) of a logic function: fn(x1, x2) -> 0/1 arrays."""
    from ..codegen import compile as compile_program

    if name not in LOGIC_PROGRAMS:
        raise TrainingError(f"unknown logic function {name!r}; choose one of {', '.join(LOGIC_PROGRAMS)}")
    return compile_program(parse_program(LOGIC_PROGRAMS[name]), ["x1", "x2"])


# -- the multilayer perceptron ------------------------------------------------------------------

# The lecture's activation table, plus tanh(x) + a x (LeCun et al. 1998, "to avoid flat spots").
# Each entry maps (t, alpha) to f(t); alpha is leaky ReLU's slope or the linear term's a.
ACTIVATIONS = {
    "sigmoid": lambda t, a: sigmoid(t),
    "tanh": lambda t, a: sp.tanh(t),
    "relu": lambda t, a: relu(t),
    "leaky_relu": lambda t, a: leaky_relu(t, a),
    "softplus": lambda t, a: softplus(t),
    "arctan": lambda t, a: sp.atan(t),
    "softsign": lambda t, a: softsign(t),
    "tanh_linear": lambda t, a: sp.tanh(t) + a * t,
}


@dataclass(frozen=True)
class MLP:
    """A multilayer perceptron of any depth with a soft-arg-max cross-entropy loss.

    ``sizes`` = (inputs, hidden..., classes).  Layer i computes
    Y_i = f(X_i A_i + b_i) (the lecture's "Пересчёт производной для одного
    слоя сети": M_i = X_i A_i, S_i = M_i + b_i, Y_i = f(S_i)); the last layer
    has no activation and feeds the cross-entropy.  With ``dropout`` = p > 0
    each hidden output is multiplied entrywise by a mask input M_i whose
    entries are 0 (probability p) or 1/(1-p) (inverted dropout: the expected
    activation is unchanged, so evaluation uses all-ones masks, no rescaling).
    """

    sizes: tuple
    activation: str = "tanh"
    alpha: float = 0.01
    dropout: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "sizes", tuple(int(s) for s in self.sizes))
        if len(self.sizes) < 2 or min(self.sizes) < 1:
            raise TrainingError(f"an MLP needs at least an input and an output size, got {self.sizes}")
        if self.activation not in ACTIVATIONS:
            raise TrainingError(f"unknown activation {self.activation!r}; choose one of {', '.join(ACTIVATIONS)}")
        if not 0 <= self.dropout < 1:
            raise TrainingError(f"dropout rate must be in [0, 1), got {self.dropout}")

    @property
    def layers(self) -> int:
        return len(self.sizes) - 1

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(name for i in range(1, self.layers + 1) for name in (f"W{i}", f"b{i}"))

    @property
    def mask_names(self) -> tuple[str, ...]:
        return tuple(f"M{i}" for i in range(1, self.layers)) if self.dropout > 0 else ()

    def _forward(self, program: Program, *, masks: bool):
        n = _dim("n")
        dims = [_dim(f"d{i}") for i in range(self.layers + 1)]
        alpha = sp.Rational(str(self.alpha))
        f = ACTIVATIONS[self.activation]
        H = sp.MatrixSymbol("X", n, dims[0])
        for i in range(1, self.layers + 1):
            W, b = sp.MatrixSymbol(f"W{i}", dims[i - 1], dims[i]), sp.MatrixSymbol(f"b{i}", 1, dims[i])
            last = i == self.layers
            S = program.let(f"S{i}", add_row_bias(H @ W, b))
            if last:
                return S
            H = program.let(f"H{i}", _entrywise(S, lambda t: f(t, alpha)))
            if masks:
                H = program.let(f"D{i}", sp.HadamardProduct(H, sp.MatrixSymbol(f"M{i}", n, dims[i])))

    @functools.cached_property
    def loss_program(self) -> Program:
        """E = sum over the batch of the cross-entropy of soft-arg-max(S_L) against the one-hot Y."""
        p = Program()
        S = self._forward(p, masks=self.dropout > 0)
        p.let("E", cross_entropy(S, sp.MatrixSymbol("Y", S.shape[0], S.shape[1])))
        return p

    @functools.cached_property
    def scores_program(self) -> Program:
        """The scores S_L of the last layer (evaluation: no dropout)."""
        p = Program()
        S = self._forward(p, masks=False)
        return p.set_output(S)

    @functools.cached_property
    def objective(self) -> Objective:
        noise = {name: functools.partial(dropout_mask, rate=self.dropout, width_of=self._width(name))
                 for name in self.mask_names}
        return Objective(self.loss_program, self.param_names, ("X", "Y"), noise=noise,
                         name=f"mlp {'-'.join(map(str, self.sizes))} {self.activation}")

    def _width(self, mask_name: str) -> int:
        return self.sizes[int(mask_name[1:])]

    @functools.cached_property
    def _scores_fn(self):
        from ..codegen import compile as compile_program
        return compile_program(self.scores_program, ["X", *self.param_names])

    def init(self, seed_or_rng, scheme: str = "xavier", *, scale: float | None = None,
             gain: float = 1.0) -> dict:
        rng = seed_or_rng if isinstance(seed_or_rng, np.random.Generator) else np.random.default_rng(seed_or_rng)
        params = {}
        for i in range(1, self.layers + 1):
            params[f"W{i}"] = init_weight(rng, self.sizes[i - 1], self.sizes[i], scheme, scale, gain)
            params[f"b{i}"] = init_bias(self.sizes[i], scheme, scale)
        return params

    def scores(self, params, X) -> np.ndarray:
        return self._scores_fn(X, *[params[k] for k in self.param_names])

    def predict(self, params, X) -> np.ndarray:
        return np.argmax(self.scores(params, X), axis=1)

    def accuracy(self, params, X, labels) -> float:
        return float(np.mean(self.predict(params, X) == np.asarray(labels)))


def dropout_mask(rng, n: int, *, rate: float, width_of: int) -> np.ndarray:
    """An n x width inverted-dropout mask: 0 with probability ``rate``, else 1/(1 - rate).

    ``rng`` None is evaluation mode: all ones ("Дропаут": units are zeroed only
    while training).
    """
    if rng is None or rate == 0:
        return np.ones((n, width_of))
    return (rng.random((n, width_of)) >= rate) / (1.0 - rate)


def linear_classifier_params(rng, n_features: int, n_classes: int, scale: float = 0.01) -> dict:
    return {"W": scale * rng.normal(size=(n_features, n_classes)), "b": np.zeros((1, n_classes))}


def make_objective(name: str, **options) -> Objective:
    """The Objective of one of the scalar or linear models by name (see ``MODEL_OBJECTIVES``)."""
    builder = MODEL_OBJECTIVES.get(name)
    if builder is None:
        raise TrainingError(f"unknown model {name!r}; choose one of {', '.join(MODEL_OBJECTIVES)}")
    return builder(**options)


MODEL_OBJECTIVES = {
    "polynomial": lambda degree=3: Objective(polynomial_program(degree), [f"a{k}" for k in range(degree + 1)],
                                             ["x", "y"], name=f"polynomial of degree {degree}"),
    "sinusoid": lambda: Objective(SINUSOID_PROGRAM, ["a0", "a1", "a2", "a3"], ["x", "y"], name="sinusoid"),
    "quadratic-curve": lambda: Objective(QUADRATIC_CURVE_PROGRAM, [f"a{k}" for k in range(6)], ["x", "y", "t"],
                                         name="quadratic curve"),
    "mse-regression": lambda: Objective(MSE_PROGRAM, ["A"], ["X", "Y"], name="linear regression, MSE"),
    "smape-regression": lambda: Objective(smape_program(), ["a"], ["X", "y"], name="linear regression, SMAPE"),
    "cross-entropy": lambda: Objective(CROSS_ENTROPY_PROGRAM, ["W", "b"], ["X", "Y"], name="soft-max, cross-entropy"),
    "soft-f1": lambda n_classes=3: Objective(soft_f1_program(n_classes), ["W", "b"], ["X", "Y"],
                                             reduction="none", name="soft-max, soft F1"),
    **{rule: (lambda rule=rule: Objective(PERCEPTRON_PROGRAMS[rule], PERCEPTRON_WEIGHTS, ["x1", "x2", "y"],
                                          name=f"perceptron, {rule}"))
       for rule in PERCEPTRON_PROGRAMS},
    "logistic-neuron": lambda: Objective(LOGISTIC_NEURON_PROGRAM, ["w0", "w1", "w2", "w3"],
                                         ["x1", "x2", "x12", "t"], name="logistic neuron"),
}
