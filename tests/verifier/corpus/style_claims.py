r"""Claims in the held-out form ``verify(function_latex, wrt, claimed_latex, where, variables)``, in
styles the other corpora do not cover: CS229-style logistic / softmax / GLM notes, Matrix Cookbook
entries (traces, determinants, inverses, quadratic forms, Frobenius norms), Goodfellow-style backprop
(affine, tanh / ReLU / sigmoid layers, batch-norm pieces), Bishop-style Gaussian log-likelihoods
(mean and precision), Russian lecture notes (tg, th, где, \cdot, decimal commas), Stack Exchange
answers (\mathrm{d}, \left( \right), \,) and physics notes (\dot{x}, \partial_x).

Wrong claims carry the usual mistakes: a dropped transpose, a sign, a factor 2 lost from a square,
a wrong chain-rule term, a missing 1/N.  Each entry: (style, f, wrt, claimed, where, variables,
expected), expected 'holds' (proved or consistent) or 'refuted'; the mathematics is in the comments.
"""

H, R = "holds", "refuted"
TH3 = {"theta": (3,), "x": (3,)}
THN = {"theta": ("n",), "x": ("n",)}
SQ = {"X": ("n", "n"), "A": ("n", "n"), "B": ("n", "n")}
VEC = {"a": ("n",), "b": ("n",), "X": ("n", "n")}
LAYER = {"W": ("m", "n"), "x": ("n",), "b": ("m",), "y": ("m",)}
SQLAYER = {"W": ("n", "n"), "x": ("n",), "b": ("n",), "y": ("n",), "u": ("n",)}
GAUSS = {"x": ("n",), "mu": ("n",), "Lambda": ("n", "n")}

CLAIMS = [
    # --- CS229-style notes: logistic regression, GLMs, least squares -----------------------------
    # l = y log g(theta^T x) + (1 - y) log(1 - g(theta^T x)): grad = (y - g(theta^T x)) x
    ("cs229", r"\ell(\theta) = y \log g(\theta^T x) + (1 - y)\log(1 - g(\theta^T x)), \quad g(z) = \frac{1}{1 + e^{-z}}",
     r"\theta", r"\nabla_\theta \ell(\theta) = (y - g(\theta^T x))\, x", (), THN, H),
    ("cs229", r"\ell(\theta) = y \log g(\theta^T x) + (1 - y)\log(1 - g(\theta^T x)), \quad g(z) = \frac{1}{1 + e^{-z}}",
     r"\theta", r"\nabla_\theta \ell(\theta) = (g(\theta^T x) - y)\, x", (), TH3, R),
    ("cs229", r"\ell(\theta) = y \log h_\theta(x) + (1 - y)\log(1 - h_\theta(x)), \quad h_\theta(x) = \sigma(\theta^T x)",
     r"\theta", r"\frac{\partial \ell}{\partial \theta_j} = (y - h_\theta(x))\, x_j", (), TH3, H),
    # Poisson GLM: l = y theta^T x - exp(theta^T x) (- log y!): grad = (y - exp(theta^T x)) x
    ("cs229", r"\ell(\theta) = y\, \theta^T x - e^{\theta^T x}", r"\theta", r"(y - e^{\theta^T x})\, x", (), THN, H),
    ("cs229", r"\ell(\theta) = y\, \theta^T x - e^{\theta^T x}", r"\theta", r"(y - \theta^T x)\, x", (), TH3, R),
    # least squares: J = 1/2 (X theta - y)^T (X theta - y), grad = X^T X theta - X^T y
    ("cs229", r"J(\theta) = \frac{1}{2}(X\theta - \vec{y})^T (X\theta - \vec{y})", r"\theta",
     r"\nabla_\theta J(\theta) = X^T X \theta - X^T \vec{y}", (), {"X": ("m", "n"), "theta": ("n",), "y": ("m",)}, H),
    ("cs229", r"J(\theta) = \frac{1}{2}(X\theta - \vec{y})^T (X\theta - \vec{y})", r"\theta",
     r"\nabla_\theta J(\theta) = \frac{1}{2}(X^T X \theta - X^T \vec{y})", (), {"X": ("m", "n"), "theta": ("n",), "y": ("m",)}, R),
    # mean squared error with 1/N: grad = (2/N) X^T (X w - y)
    ("cs229", r"L(\mathbf{w}) = \frac{1}{N}\|X\mathbf{w} - \mathbf{y}\|_2^2", r"\mathbf{w}",
     r"\frac{2}{N} X^\top (X\mathbf{w} - \mathbf{y})", (), {"X": ("N", "n"), "w": ("n",), "y": ("N",)}, H),
    ("cs229", r"L(\mathbf{w}) = \frac{1}{N}\|X\mathbf{w} - \mathbf{y}\|_2^2", r"\mathbf{w}",
     r"2 X^\top (X\mathbf{w} - \mathbf{y})", (), {"X": ("N", "n"), "w": ("n",), "y": ("N",)}, R),
    # softmax cross-entropy with a one-hot label: grad = softmax(z) - y
    ("cs229", r"L(\mathbf{z}) = -\sum_{k} y_k \log \frac{e^{z_k}}{\sum_{j} e^{z_j}}", r"\mathbf{z}",
     r"\operatorname{softmax}(\mathbf{z}) - \mathbf{y}", ["y onehot"], {"z": (3,), "y": (3,)}, H),
    ("cs229", r"L(\mathbf{z}) = -\sum_{k} y_k \log \frac{e^{z_k}}{\sum_{j} e^{z_j}}", r"\mathbf{z}",
     r"\mathbf{y} - \operatorname{softmax}(\mathbf{z})", ["y onehot"], {"z": (3,), "y": (3,)}, R),

    # --- Matrix Cookbook entries --------------------------------------------------------------------
    # d tr(A X^T)/dX = A;  d tr(X^2)/dX = 2 X^T;  d tr(A X^{-1})/dX = -(X^{-1} A X^{-1})^T
    ("cookbook", r"\operatorname{Tr}(A X^\top)", "X", r"A", (), SQ, H),
    ("cookbook", r"\operatorname{Tr}(A X^\top)", "X", r"A^\top", (), SQ, R),
    ("cookbook", r"\operatorname{Tr}(X^2)", "X", r"2X^\top", (), SQ, H),
    ("cookbook", r"\operatorname{Tr}(X^2)", "X", r"2X", (), SQ, R),
    ("cookbook", r"\operatorname{Tr}(A X^{-1})", "X", r"-(X^{-1} A X^{-1})^\top", (), SQ, H),
    ("cookbook", r"\operatorname{Tr}(A X^{-1})", "X", r"-X^{-1} A X^{-1}", (), SQ, R),
    # d det(X)/dX = det(X) X^{-T};  d ln|det X|/dX = X^{-T}
    ("cookbook", r"\det(X)", "X", r"\det(X)\, X^{-T}", (), SQ, H),
    ("cookbook", r"\det(X)", "X", r"\det(X)\, X^{-1}", (), SQ, R),
    ("cookbook", r"\ln|\det(X)|", "X", r"(X^{-1})^T", (), SQ, H),
    ("cookbook", r"\det(A X B)", "X", r"\det(A X B)\, (X^{-1})^T", (), SQ, H),
    # d a^T X^{-1} b / dX = -X^{-T} a b^T X^{-T}
    ("cookbook", r"\mathbf{a}^T X^{-1} \mathbf{b}", "X", r"-X^{-T}\mathbf{a}\mathbf{b}^T X^{-T}", (), VEC, H),
    ("cookbook", r"\mathbf{a}^T X^{-1} \mathbf{b}", "X", r"-X^{-1}\mathbf{a}\mathbf{b}^T X^{-1}", (), VEC, R),
    # Frobenius norms: d||X||_F^2/dX = 2X;  d||AX - B||_F^2/dX = 2 A^T (A X - B)
    ("cookbook", r"\|X\|_F^2", "X", r"2X", (), SQ, H),
    ("cookbook", r"\|X\|_F^2", "X", r"X", (), SQ, R),
    ("cookbook", r"\|A X - B\|_F^2", "X", r"2A^T(AX - B)", (), SQ, H),
    ("cookbook", r"\|A X - B\|_F^2", "X", r"2(AX - B)A^T", (), SQ, R),
    # quadratic forms: d (x - s)^T W (x - s)/ds = -2 W (x - s) for a symmetric W; d a^T X^T X b/dX
    ("cookbook", r"(\mathbf{x} - \mathbf{s})^T W (\mathbf{x} - \mathbf{s})", r"\mathbf{s}", r"-2W(\mathbf{x} - \mathbf{s})",
     ["W symmetric"], {"x": ("n",), "s": ("n",), "W": ("n", "n")}, H),
    ("cookbook", r"(\mathbf{x} - \mathbf{s})^T W (\mathbf{x} - \mathbf{s})", r"\mathbf{s}", r"2W(\mathbf{x} - \mathbf{s})",
     ["W symmetric"], {"x": ("n",), "s": ("n",), "W": ("n", "n")}, R),
    ("cookbook", r"\mathbf{a}^T X^T X \mathbf{b}", "X", r"X(\mathbf{a}\mathbf{b}^T + \mathbf{b}\mathbf{a}^T)", (), VEC, H),
    ("cookbook", r"\mathbf{x}^T A \mathbf{x}", r"\mathbf{x}", r"(A + A^T)\mathbf{x}", (), {"A": (3, 3), "x": (3,)}, H),
    ("cookbook", r"\mathbf{x}^T A \mathbf{x}", r"\mathbf{x}", r"2A\mathbf{x}", (), {"A": (3, 3), "x": (3,)}, R),
    ("cookbook", r"\operatorname{Tr}(A X B)", "X", r"A^T B^T", (), SQ, H),
    ("cookbook", r"\operatorname{Tr}(A X B)", "X", r"B^T A^T", (), SQ, R),
    ("cookbook", r"\operatorname{Tr}(X^T B X)", "X", r"B X + B^T X", (), SQ, H),

    # --- Goodfellow-style backprop -------------------------------------------------------------------
    # J = 1/2 ||h - y||^2, h = W x + b: dJ/db = h - y, dJ/dW = (h - y) x^T
    ("goodfellow", r"J = \frac{1}{2}\|\mathbf{h} - \mathbf{y}\|^2, \quad \mathbf{h} = W\mathbf{x} + \mathbf{b}", r"\mathbf{b}",
     r"\nabla_{\mathbf{b}} J = \mathbf{h} - \mathbf{y}", (), LAYER, H),
    ("goodfellow", r"J = \frac{1}{2}\|\mathbf{h} - \mathbf{y}\|^2, \quad \mathbf{h} = W\mathbf{x} + \mathbf{b}", "W",
     r"\nabla_{W} J = (\mathbf{h} - \mathbf{y})\mathbf{x}^\top", (), LAYER, H),
    ("goodfellow", r"J = \frac{1}{2}\|\mathbf{h} - \mathbf{y}\|^2, \quad \mathbf{h} = W\mathbf{x} + \mathbf{b}", "W",
     r"\nabla_{W} J = \mathbf{x}(\mathbf{h} - \mathbf{y})^\top", (), SQLAYER, R),
    # L = u^T tanh(W x): dL/dW = ((1 - h o h) o u) x^T
    ("goodfellow", r"L = \mathbf{u}^\top \mathbf{h}, \quad \mathbf{h} = \tanh(W\mathbf{x})", "W",
     r"\frac{\partial L}{\partial W} = \left((1 - \mathbf{h} \odot \mathbf{h}) \odot \mathbf{u}\right) \mathbf{x}^\top", (), SQLAYER, H),
    ("goodfellow", r"L = \mathbf{u}^\top \mathbf{h}, \quad \mathbf{h} = \tanh(W\mathbf{x})", "W",
     r"\frac{\partial L}{\partial W} = \left((1 - \mathbf{h}) \odot \mathbf{u}\right) \mathbf{x}^\top", (), SQLAYER, R),
    # L = -log sigma(w^T x): grad = -(1 - sigma(w^T x)) x
    ("goodfellow", r"L = -\log \sigma(\mathbf{w}^\top \mathbf{x})", r"\mathbf{w}",
     r"-(1 - \sigma(\mathbf{w}^\top \mathbf{x}))\, \mathbf{x}", (), {"w": ("n",), "x": ("n",)}, H),
    ("goodfellow", r"L = -\log \sigma(\mathbf{w}^\top \mathbf{x})", r"\mathbf{w}",
     r"-\sigma(\mathbf{w}^\top \mathbf{x})\, \mathbf{x}", (), {"w": ("n",), "x": ("n",)}, R),
    # a ReLU unit: d relu(w z + b)/dw = 1(w z + b > 0) z (away from the kink)
    ("goodfellow", r"f(w) = \operatorname{ReLU}(w z + b)", "w", r"\mathbb{1}(w z + b > 0)\, z", ["w z + b != 0"], None, H),
    ("goodfellow", r"f(w) = \operatorname{ReLU}(w z + b)", "w", r"\mathbb{1}(w z + b > 0)", ["w z + b != 0"], None, R),
    # batch norm: x_hat = (x - mu)(v + eps)^{-1/2}; d/dmu = -(v + eps)^{-1/2}, d/dv = -1/2 (x - mu)(v + eps)^{-3/2}
    ("goodfellow", r"\hat{x} = \frac{x - \mu}{\sqrt{v + \epsilon}}", r"\mu", r"-\frac{1}{\sqrt{v + \epsilon}}",
     ["v > 0", r"\epsilon > 0"], {"mu": (), "epsilon": ()}, H),
    ("goodfellow", r"\hat{x} = \frac{x - \mu}{\sqrt{v + \epsilon}}", "v", r"-\frac{1}{2}(x - \mu)(v + \epsilon)^{-3/2}",
     ["v > 0", r"\epsilon > 0"], {"mu": (), "epsilon": ()}, H),
    ("goodfellow", r"\hat{x} = \frac{x - \mu}{\sqrt{v + \epsilon}}", "v", r"-(x - \mu)(v + \epsilon)^{-3/2}",
     ["v > 0", r"\epsilon > 0"], {"mu": (), "epsilon": ()}, R),
    # the batch mean: d mu / d x = (1/m) 1
    ("goodfellow", r"\mu = \frac{1}{m}\sum_{i=1}^{m} x_i", r"\mathbf{x}", r"\frac{1}{m}\mathbf{1}", (), {"x": ("m",)}, H),
    ("goodfellow", r"\mu = \frac{1}{m}\sum_{i=1}^{m} x_i", r"\mathbf{x}", r"\mathbf{1}", (), {"x": ("m",)}, R),

    # --- Bishop-style Gaussian log-likelihoods -------------------------------------------------------
    # ln p = -1/2 (x - mu)^T Lambda (x - mu) + const: grad_mu = Lambda (x - mu) for a symmetric Lambda
    ("bishop", r"\ln p(\mathbf{x}) = -\frac{1}{2}(\mathbf{x} - \boldsymbol{\mu})^{\mathrm{T}} \boldsymbol{\Lambda} (\mathbf{x} - \boldsymbol{\mu})",
     r"\boldsymbol{\mu}", r"\boldsymbol{\Lambda}(\mathbf{x} - \boldsymbol{\mu})", [r"\Lambda symmetric"], GAUSS, H),
    ("bishop", r"\ln p(\mathbf{x}) = -\frac{1}{2}(\mathbf{x} - \boldsymbol{\mu})^{\mathrm{T}} \boldsymbol{\Lambda} (\mathbf{x} - \boldsymbol{\mu})",
     r"\boldsymbol{\mu}", r"-\boldsymbol{\Lambda}(\mathbf{x} - \boldsymbol{\mu})", [r"\Lambda symmetric"], GAUSS, R),
    # precision of a 1-d Gaussian: d/dlambda [1/2 ln lambda - lambda/2 (x - mu)^2] = 1/(2 lambda) - (x - mu)^2 / 2
    ("bishop", r"\ln p(x) = \frac{1}{2}\ln\lambda - \frac{1}{2}\ln(2\pi) - \frac{\lambda}{2}(x - \mu)^2", r"\lambda",
     r"\frac{1}{2\lambda} - \frac{1}{2}(x - \mu)^2", [r"\lambda > 0"], {"lambda": (), "mu": ()}, H),
    ("bishop", r"\ln p(x) = \frac{1}{2}\ln\lambda - \frac{1}{2}\ln(2\pi) - \frac{\lambda}{2}(x - \mu)^2", r"\lambda",
     r"\frac{1}{\lambda} - \frac{1}{2}(x - \mu)^2", [r"\lambda > 0"], {"lambda": (), "mu": ()}, R),
    # precision matrix: d/dLambda [1/2 ln|Lambda| - 1/2 (x - mu)^T Lambda (x - mu)] = 1/2 Lambda^{-1} - 1/2 (x - mu)(x - mu)^T
    ("bishop", r"\ln p = \frac{1}{2}\ln|\boldsymbol{\Lambda}| - \frac{1}{2}(\mathbf{x} - \boldsymbol{\mu})^{\mathrm{T}} \boldsymbol{\Lambda} (\mathbf{x} - \boldsymbol{\mu})",
     r"\boldsymbol{\Lambda}", r"\frac{1}{2}\boldsymbol{\Lambda}^{-1} - \frac{1}{2}(\mathbf{x} - \boldsymbol{\mu})(\mathbf{x} - \boldsymbol{\mu})^{\mathrm{T}}",
     [r"\Lambda spd"], GAUSS, H),
    ("bishop", r"\ln p = \frac{1}{2}\ln|\boldsymbol{\Lambda}| - \frac{1}{2}(\mathbf{x} - \boldsymbol{\mu})^{\mathrm{T}} \boldsymbol{\Lambda} (\mathbf{x} - \boldsymbol{\mu})",
     r"\boldsymbol{\Lambda}", r"\frac{1}{2}\boldsymbol{\Lambda} - \frac{1}{2}(\mathbf{x} - \boldsymbol{\mu})(\mathbf{x} - \boldsymbol{\mu})^{\mathrm{T}}",
     [r"\Lambda spd"], GAUSS, R),
    # N observations: d/dmu [-1/(2 sigma^2) sum_n (x_n - mu)^2] = 1/sigma^2 sum_n (x_n - mu)
    ("bishop", r"\ln p(\mathbf{x} | \mu) = -\frac{1}{2\sigma^2}\sum_{n=1}^{N}(x_n - \mu)^2", r"\mu",
     r"\frac{1}{\sigma^2}\sum_{n=1}^{N}(x_n - \mu)", [r"\sigma > 0"], {"x": ("N",), "mu": (), "sigma": ()}, H),
    ("bishop", r"\ln p(\mathbf{x} | \mu) = -\frac{1}{2\sigma^2}\sum_{n=1}^{4}(x_n - \mu)^2", r"\mu",
     r"-\frac{1}{\sigma^2}\sum_{n=1}^{4}(x_n - \mu)", [r"\sigma > 0"], {"x": (4,), "mu": (), "sigma": ()}, R),

    # --- Russian lecture notes -------------------------------------------------------------------------
    ("russian", r"y = \operatorname{tg}^2 x", "x", r"y' = 2\operatorname{tg} x \cdot \frac{1}{\cos^2 x}", (), None, H),
    ("russian", r"y = \operatorname{th} 2x", "x", r"y' = \frac{2}{\operatorname{ch}^2 2x}", (), None, H),
    ("russian", r"y = \operatorname{th} 2x", "x", r"y' = \frac{1}{\operatorname{ch}^2 2x}", (), None, R),
    ("russian", r"f(x) = x^2 \cdot e^{-x}", "x", r"f'(x) = e^{-x}(2x - x^2)", (), None, H),
    ("russian", r"f(x) = x^2 \cdot e^{-x}", "x", r"f'(x) = e^{-x}(2x + x^2)", (), None, R),
    ("russian", r"y = \ln \operatorname{tg} \frac{x}{2}", "x", r"y' = \frac{1}{\sin x}", ["0 < x < 3"], None, H),
    ("russian", r"y = 2{,}5 x^2 - 0{,}3 x", "x", r"y' = 5x - 0{,}3", (), None, H),
    ("russian", r"y = 2{,}5 x^2 - 0{,}3 x", "x", r"y' = 2{,}5 x - 0{,}3", (), None, R),
    ("russian", r"E = \frac{1}{2}\sum_{i=1}^{3}(y_i - t_i)^2, \text{ где } y_i = w \cdot x_i", "w",
     r"\frac{\partial E}{\partial w} = \sum_{i=1}^{3}(w \cdot x_i - t_i) \cdot x_i", (), None, H),
    ("russian", r"f(x) = \operatorname{arctg} \frac{1}{x}", "x", r"f'(x) = -\frac{1}{1 + x^2}", ["x > 0"], None, H),
    ("russian", r"y = x \operatorname{sh} x", "x", r"y' = \operatorname{sh} x + x \operatorname{ch} x", (), None, H),
    ("russian", r"y = x \operatorname{sh} x", "x", r"y' = \operatorname{ch} x", (), None, R),

    # --- Stack Exchange answers -------------------------------------------------------------------------
    ("stackexchange", r"\frac{\mathrm{d}}{\mathrm{d}x}\left( x^2 e^{x} \right)", "x", r"(x^2 + 2x)\,e^{x}", (), None, H),
    ("stackexchange", r"f(x) = \ln\left(x + \sqrt{1 + x^2}\right)", "x", r"\frac{\mathrm{d}f}{\mathrm{d}x} = \frac{1}{\sqrt{1 + x^2}}", (), None, H),
    ("stackexchange", r"y = \frac{\sin x}{x}", "x", r"\frac{\mathrm d y}{\mathrm d x} = \frac{x\cos x - \sin x}{x^2}", ["x != 0"], None, H),
    ("stackexchange", r"y = \frac{\sin x}{x}", "x", r"\frac{\mathrm d y}{\mathrm d x} = \frac{\cos x - \sin x}{x^2}", ["x != 0"], None, R),
    ("stackexchange", r"y = (x^2 + 1)^{3}", "x", r"\frac{dy}{dx} = 6x\,(x^2 + 1)^2", (), None, H),
    ("stackexchange", r"y = (x^2 + 1)^{3}", "x", r"\frac{dy}{dx} = 3\,(x^2 + 1)^2", (), None, R),
    ("stackexchange", r"f(x, y) = x^2 y + \sin(x y)", "y", r"\frac{\partial f}{\partial y} = x^2 + x\cos(x y)", (), None, H),
    ("stackexchange", r"f(x, y) = x^2 y + \sin(x y)", "y", r"\frac{\partial f}{\partial y} = x^2 + \cos(x y)", (), None, R),
    ("stackexchange", r"\sigma(x) = \frac{1}{1 + e^{-x}}", "x", r"\frac{\mathrm{d}\sigma}{\mathrm{d}x} = \sigma(x)\left(1 - \sigma(x)\right)", (), None, H),

    # --- physics notes ----------------------------------------------------------------------------------
    ("physics", r"x(t) = A\cos(\omega t + \phi)", "t", r"\dot{x}(t) = -A\omega\sin(\omega t + \phi)", (), None, H),
    ("physics", r"x(t) = A\cos(\omega t + \phi)", "t", r"\dot{x}(t) = A\omega\sin(\omega t + \phi)", (), None, R),
    ("physics", r"L = \frac{1}{2} m \dot{q}^2 - \frac{1}{2} k q^2", "q", r"\frac{\partial L}{\partial q} = -k q", (), None, H),
    ("physics", r"L = \frac{1}{2} m \dot{q}^2 - \frac{1}{2} k q^2", r"\dot{q}", r"\frac{\partial L}{\partial \dot{q}} = m \dot{q}", (), None, H),
    ("physics", r"L = \frac{1}{2} m \dot{q}^2 - \frac{1}{2} k q^2", r"\dot{q}", r"\frac{\partial L}{\partial \dot{q}} = \frac{1}{2} m \dot{q}", (), None, R),
    ("physics", r"f(x, y) = x^2 y^3", "x", r"\partial_x f = 2 x y^3", (), None, H),
    ("physics", r"f(x, y) = x^2 y^3", "y", r"\partial_y f = 3 x^2 y^3", (), None, R),
    ("physics", r"V(r) = -\frac{G M m}{r}", "r", r"\frac{dV}{dr} = \frac{G M m}{r^2}", ["r > 0"], None, H),
    ("physics", r"V(r) = -\frac{G M m}{r}", "r", r"\frac{dV}{dr} = -\frac{G M m}{r^2}", ["r > 0"], None, R),
    ("physics", r"\phi(x) = e^{-\alpha x^2}", "x", r"\partial_x \phi = -2\alpha x\, e^{-\alpha x^2}", (), None, H),
]

# A second batch, written after the first was read and its gaps closed, then measured before any
# further change: the same styles, other notation (\mathcal{L}, \boldsymbol\theta unbraced, W^{[2]},
# a^{[1]\top}, Huber's cases, \|x\|_2, log-sum-exp, \hat{y} defined in a clause, sech^2, a margin loss
# over rows x_i, 1/(2N), \partial_t).
V = {"w": ("n",), "x": ("n",)}
CLAIMS += [
    ("goodfellow", r"\frac{1}{2}\|\mathbf{w}\|^2", r"\mathbf{w}", r"\frac{\partial}{\partial \mathbf{w}} \left( \frac{1}{2} \|\mathbf{w}\|^2 \right) = \mathbf{w}", (), {"w": ("n",)}, H),
    ("goodfellow", r"\mathcal{L}(\boldsymbol\theta) = \frac{1}{2}\|\boldsymbol\theta\|^2 + \boldsymbol\theta^\top \mathbf{x}", r"\boldsymbol\theta", r"\nabla_{\boldsymbol\theta} \mathcal{L} = \boldsymbol\theta + \mathbf{x}", (), {"theta": ("n",), "x": ("n",)}, H),
    ("goodfellow", r"\mathcal{L}(\boldsymbol\theta) = \frac{1}{2}\|\boldsymbol\theta\|^2 + \boldsymbol\theta^\top \mathbf{x}", r"\boldsymbol\theta", r"\nabla_{\boldsymbol\theta} \mathcal{L} = \boldsymbol\theta", (), {"theta": ("n",), "x": ("n",)}, R),
    ("cs229", r"J(\mathbf{w}, b) = \frac{1}{2}(\mathbf{w}^\top \mathbf{x} + b - y)^2", "b", r"\frac{\partial J}{\partial b} = \mathbf{w}^\top \mathbf{x} + b - y", (), V, H),
    ("cs229", r"J(\mathbf{w}, b) = \frac{1}{2}(\mathbf{w}^\top \mathbf{x} + b - y)^2", "b", r"\frac{\partial J}{\partial b} = 2(\mathbf{w}^\top \mathbf{x} + b - y)", (), V, R),
    ("goodfellow", r"\mathcal{L} = \frac{1}{2}\|\mathbf{W}^{[2]}\mathbf{a}^{[1]} - \mathbf{y}\|^2", r"\mathbf{W}^{[2]}", r"\frac{\partial \mathcal{L}}{\partial \mathbf{W}^{[2]}} = (\mathbf{W}^{[2]}\mathbf{a}^{[1]} - \mathbf{y})\mathbf{a}^{[1]\top}", (), {"W2": ("m", "n"), "a1": ("n",), "y": ("m",)}, H),
    ("stackexchange", r"L_\delta(a) = \begin{cases} \frac{1}{2}a^2 & |a| \le \delta \\ \delta(|a| - \frac{1}{2}\delta) & \text{otherwise} \end{cases}", "a", r"\begin{cases} a & |a| \le \delta \\ \delta \operatorname{sign}(a) & \text{otherwise} \end{cases}", [r"\delta > 0"], {"delta": ()}, H),
    ("cs229", r"f(\mathbf{x}) = \log \sum_{i} e^{x_i}", r"\mathbf{x}", r"\nabla f = \operatorname{softmax}(\mathbf{x})", (), {"x": (3,)}, H),
    ("cs229", r"f(\mathbf{x}) = \log \sum_{i} e^{x_i}", r"\mathbf{x}", r"\nabla f = \exp(\mathbf{x})", (), {"x": (3,)}, R),
    ("cookbook", r"f(\mathbf{x}) = \|\mathbf{x}\|_2", r"\mathbf{x}", r"\frac{\mathbf{x}}{\|\mathbf{x}\|_2}", (), {"x": ("n",)}, H),
    ("cookbook", r"f(\mathbf{x}) = \|\mathbf{x}\|_2", r"\mathbf{x}", r"\frac{\mathbf{x}}{\|\mathbf{x}\|_2^2}", (), {"x": ("n",)}, R),
    ("cookbook", r"f(\mathbf{x}) = \mathbf{x}^\top \mathbf{x}, \quad \mathbf{x} \in \mathbb{R}^n", r"\mathbf{x}", r"2\mathbf{x}", (), {"x": ("n",)}, H),
    ("cookbook", r"\operatorname{tr}(\mathbf{A}^\top \mathbf{B})", r"\mathbf{A}", r"\mathbf{B}", (), {"A": ("m", "n"), "B": ("m", "n")}, H),
    ("cookbook", r"\operatorname{tr}(\mathbf{A}^\top \mathbf{B})", r"\mathbf{A}", r"\mathbf{B}^\top", (), {"A": ("n", "n"), "B": ("n", "n")}, R),
    ("stackexchange", r"f(x) = \tanh(x)", "x", r"\frac{d}{dx} \tanh(x) = \operatorname{sech}^2(x)", (), None, H),
    ("stackexchange", r"f(x) = \exp\left(-\frac{x^2}{2}\right)", "x", r"f'(x) = -x \exp\left(-\frac{x^2}{2}\right)", (), None, H),
    ("stackexchange", r"f(x) = \exp\left(-\frac{x^2}{2}\right)", "x", r"f'(x) = -\frac{x}{2} \exp\left(-\frac{x^2}{2}\right)", (), None, R),
    ("russian", r"y = \log_{10} x", "x", r"y' = \frac{1}{x \ln 10}", ["x > 0"], None, H),
    ("goodfellow", r"L(\hat{y}) = -[y \log \hat{y} + (1 - y)\log(1 - \hat{y})]", r"\hat{y}", r"\frac{\partial L}{\partial \hat{y}} = \frac{\hat{y} - y}{\hat{y}(1 - \hat{y})}", [r"0 < \hat{y} < 1"], None, H),
    ("goodfellow", r"L(\hat{y}) = -[y \log \hat{y} + (1 - y)\log(1 - \hat{y})]", r"\hat{y}", r"\frac{\partial L}{\partial \hat{y}} = \frac{y - \hat{y}}{\hat{y}(1 - \hat{y})}", [r"0 < \hat{y} < 1"], None, R),
    ("cookbook", r"L = -y \log \hat{y} - (1 - y)\log(1 - \hat{y}), \quad \hat{y} = \sigma(z)", "z", r"\frac{\partial L}{\partial z} = \hat{y} - y", (), None, H),
    ("cookbook", r"\mathbf{f}(\mathbf{x}) = (\mathbf{A}\mathbf{x})^\top(\mathbf{A}\mathbf{x})", r"\mathbf{x}", r"2\mathbf{A}^\top\mathbf{A}\mathbf{x}", (), {"A": ("m", "n"), "x": ("n",)}, H),
    ("cookbook", r"\det(X^{-1})", "X", r"-\det(X^{-1}) X^{-T}", (), {"X": ("n", "n")}, H),
    ("cookbook", r"\det(X^{-1})", "X", r"\det(X^{-1}) X^{-T}", (), {"X": ("n", "n")}, R),
    ("cookbook", r"\operatorname{Tr}(\mathbf{X}\mathbf{X}^\top)", r"\mathbf{X}", r"2\mathbf{X}", (), {"X": ("m", "n")}, H),
    ("cs229", r"L(\mathbf{w}) = \sum_{i=1}^{m} \log(1 + e^{-y_i \mathbf{w}^\top \mathbf{x}_i})", r"\mathbf{w}", r"-\sum_{i=1}^{m} \frac{y_i \mathbf{x}_i}{1 + e^{y_i \mathbf{w}^\top \mathbf{x}_i}}", (), {"X": ("m", "n"), "w": ("n",), "y": ("m",)}, H),
    ("cs229", r"L(\mathbf{w}) = \sum_{i=1}^{m} \log(1 + e^{-y_i \mathbf{w}^\top \mathbf{x}_i})", r"\mathbf{w}", r"-\sum_{i=1}^{m} \frac{y_i \mathbf{x}_i}{1 + e^{-y_i \mathbf{w}^\top \mathbf{x}_i}}", (), {"X": ("m", "n"), "w": ("n",), "y": ("m",)}, R),
    ("stackexchange", r"f(x) = \frac{e^x - e^{-x}}{2}", "x", r"f'(x) = \cosh x", (), None, H),
    ("stackexchange", r"y = \sqrt{x}\,\ln x", "x", r"y' = \frac{\ln x}{2\sqrt{x}} + \frac{1}{\sqrt{x}}", ["x > 0"], None, H),
    ("russian", r"y = \arcsin 2x", "x", r"y' = \frac{2}{\sqrt{1 - 4x^2}}", [r"-0{,}5 < x < 0{,}5"], None, H),
    ("russian", r"y = \arcsin 2x", "x", r"y' = \frac{1}{\sqrt{1 - 4x^2}}", [r"-0.5 < x < 0.5"], None, R),
    ("russian", r"f(x) = \frac{1}{x^2}", "x", r"f'(x) = -\frac{2}{x^3}", ["x != 0"], None, H),
    ("russian", r"f(x) = \frac{1}{x^2}", "x", r"f'(x) = -\frac{1}{2x}", ["x != 0"], None, R),
    ("bishop", r"E(\mathbf{w}) = \frac{1}{2N}\sum_{n=1}^{N} (\mathbf{w}^\top \mathbf{x}_n - t_n)^2", r"\mathbf{w}", r"\frac{1}{N}\sum_{n=1}^{N} (\mathbf{w}^\top \mathbf{x}_n - t_n)\mathbf{x}_n", (), {"X": ("N", "D"), "w": ("D",), "t": ("N",)}, H),
    ("bishop", r"E(\mathbf{w}) = \frac{1}{2N}\sum_{n=1}^{N} (\mathbf{w}^\top \mathbf{x}_n - t_n)^2", r"\mathbf{w}", r"\sum_{n=1}^{N} (\mathbf{w}^\top \mathbf{x}_n - t_n)\mathbf{x}_n", (), {"X": ("N", "D"), "w": ("D",), "t": ("N",)}, R),
    ("cs229", r"g(\mathbf{z}) = \sum_{j} z_j^2", r"\mathbf{z}", r"\frac{\partial g}{\partial z_k} = 2 z_k", (), {"z": ("n",)}, H),
    ("cs229", r"g(\mathbf{z}) = \sum_{j} z_j^2", r"\mathbf{z}", r"\frac{\partial g}{\partial z_k} = z_k", (), {"z": ("n",)}, R),
    ("cookbook", r"f(X) = \|X \mathbf{v}\|^2", "X", r"2 X \mathbf{v}\mathbf{v}^\top", (), {"X": ("m", "n"), "v": ("n",)}, H),
    ("cookbook", r"f(X) = \|X \mathbf{v}\|^2", "X", r"2 \mathbf{v}\mathbf{v}^\top X", (), {"X": ("n", "n"), "v": ("n",)}, R),
    ("goodfellow", r"f(x) = x \cdot \operatorname{sigmoid}(x)", "x", r"f'(x) = \operatorname{sigmoid}(x) + x\operatorname{sigmoid}(x)(1 - \operatorname{sigmoid}(x))", (), None, H),
    ("goodfellow", r"\sigma(\mathbf{w}^T\mathbf{x} + b)", "b", r"\sigma(\mathbf{w}^T\mathbf{x} + b)(1 - \sigma(\mathbf{w}^T\mathbf{x} + b))", (), V, H),
    ("physics", r"u(x, t) = \sin(x - c t)", "t", r"\partial_t u = -c\cos(x - c t)", (), None, H),
    ("physics", r"u(x, t) = \sin(x - c t)", "t", r"\partial_t u = c\cos(x - c t)", (), None, R),
]

# A third batch, measured the same way: \cdot between a matrix and a vector, sums and products over
# declared vectors, a hinge loss with y = +-1, x o x, an RBF kernel, x^{sin x}, the Gaussian density,
# \dot{\theta}, Tr(X^{-1}), an identity matrix I beside a square matrix, \sqrt[3]{}, |x|^3, a chain
# link written as dL/dy . dy/dw.
CLAIMS += [
    ("cookbook", r"\|A\mathbf{x} - \mathbf{b}\|^2", r"\mathbf{x}", r"2A^T \cdot (A\mathbf{x} - \mathbf{b})", (), {"A": ("m", "n"), "x": ("n",), "b": ("m",)}, H),
    ("cookbook", r"\sum_{i=1}^{n} x_i^2", r"\mathbf{x}", r"2\mathbf{x}", (), {"x": ("n",)}, H),
    ("cookbook", r"\sum_{i=1}^{n} x_i^2", r"\mathbf{x}", r"\mathbf{x}", (), {"x": ("n",)}, R),
    ("stackexchange", r"f(\mathbf{x}) = \prod_{i} x_i", r"\mathbf{x}", r"\frac{\partial f}{\partial x_k} = \prod_{i \neq k} x_i", (), {"x": (3,)}, H),
    ("cs229", r"\ell(\mathbf{w}) = \max(0, 1 - y\,\mathbf{w}^\top\mathbf{x})", r"\mathbf{w}", r"-y\,\mathbf{x}\,\mathbb{1}(y\,\mathbf{w}^\top\mathbf{x} < 1)", ["y pm1"], {"w": (2,), "x": (2,), "y": ()}, H),
    ("goodfellow", r"\mathbf{y} = \mathbf{x} \odot \mathbf{x}", r"\mathbf{x}", r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = 2\operatorname{diag}(\mathbf{x})", (), {"x": ("n",)}, H),
    ("goodfellow", r"\mathbf{y} = \mathbf{x} \odot \mathbf{x}", r"\mathbf{x}", r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = \operatorname{diag}(\mathbf{x})", (), {"x": ("n",)}, R),
    ("bishop", r"k(\mathbf{x}) = \exp\left(-\frac{\|\mathbf{x} - \mathbf{c}\|^2}{2\sigma^2}\right)", r"\mathbf{x}", r"-\frac{\mathbf{x} - \mathbf{c}}{\sigma^2} k(\mathbf{x})", [r"\sigma > 0"], {"x": ("n",), "c": ("n",), "sigma": ()}, H),
    ("bishop", r"k(\mathbf{x}) = \exp\left(-\frac{\|\mathbf{x} - \mathbf{c}\|^2}{2\sigma^2}\right)", r"\mathbf{x}", r"-\frac{\mathbf{x} - \mathbf{c}}{2\sigma^2} k(\mathbf{x})", [r"\sigma > 0"], {"x": ("n",), "c": ("n",), "sigma": ()}, R),
    ("cs229", r"\log(1 + \exp(\mathbf{w}^\top\mathbf{x}))", r"\mathbf{w}", r"\sigma(\mathbf{w}^\top\mathbf{x})\,\mathbf{x}", (), {"w": ("n",), "x": ("n",)}, H),
    ("stackexchange", r"y = x^{\sin x}", "x", r"y' = x^{\sin x}\left(\cos x \ln x + \frac{\sin x}{x}\right)", ["x > 0"], None, H),
    ("stackexchange", r"y = x^{\sin x}", "x", r"y' = \sin x \cdot x^{\sin x - 1}", ["x > 0"], None, R),
    ("bishop", r"p(x) = \frac{1}{\sqrt{2\pi}\sigma} e^{-\frac{(x - \mu)^2}{2\sigma^2}}", "x", r"p'(x) = -\frac{x - \mu}{\sigma^2} p(x)", [r"\sigma > 0"], None, H),
    ("bishop", r"p(x) = \frac{1}{\sqrt{2\pi}\sigma} e^{-\frac{(x - \mu)^2}{2\sigma^2}}", "x", r"p'(x) = \frac{x - \mu}{\sigma^2} p(x)", [r"\sigma > 0"], None, R),
    ("physics", r"\theta(t) = \theta_0 \cos(\omega t)", "t", r"\dot{\theta}(t) = -\theta_0 \omega \sin(\omega t)", (), None, H),
    ("cookbook", r"\operatorname{Tr}(X^{-1})", "X", r"-(X^{-2})^T", (), {"X": ("n", "n")}, H),
    ("cookbook", r"\operatorname{Tr}(X^{-1})", "X", r"-X^{-2}", (), {"X": ("n", "n")}, R),
    ("cookbook", r"\log\det(X + \lambda I)", "X", r"(X + \lambda I)^{-T}", ["X spd", r"\lambda > 0"], {"X": ("n", "n"), "lambda": ()}, H),
    ("cookbook", r"\mathbf{x}^\top(A + \lambda \mathbf{I})\mathbf{x}", r"\mathbf{x}", r"(A + A^\top + 2\lambda \mathbf{I})\mathbf{x}", (), {"A": ("n", "n"), "x": ("n",), "lambda": ()}, H),
    ("cs229", r"\lambda \|\mathbf{w}\|_2^2", r"\mathbf{w}", r"\frac{\partial}{\partial \mathbf{w}} \lambda \|\mathbf{w}\|_2^2 = 2\lambda\mathbf{w}", (), {"w": ("n",), "lambda": ()}, H),
    ("cs229", r"\lambda \|\mathbf{w}\|_2^2", r"\mathbf{w}", r"\lambda\mathbf{w}", (), {"w": ("n",), "lambda": ()}, R),
    ("russian", r"y = \ln(x^2 + 1)", "x", r"y' = \frac{2x}{x^2 + 1}", (), None, H),
    ("russian", r"y = \operatorname{arctg}(e^x)", "x", r"y' = \frac{e^x}{1 + e^{2x}}", (), None, H),
    ("russian", r"y = \operatorname{arctg}(e^x)", "x", r"y' = \frac{1}{1 + e^{2x}}", (), None, R),
    ("russian", r"y = \sqrt[3]{x^2}", "x", r"y' = \frac{2}{3\sqrt[3]{x}}", ["x > 0"], None, H),
    ("stackexchange", r"f(x) = \left| x \right|^{3}", "x", r"f'(x) = 3 x \left| x \right|", (), None, H),
    ("goodfellow", r"L = (y - w x)^2", "w", r"\frac{\partial L}{\partial w} = \frac{\partial L}{\partial \hat{y}} \cdot \frac{\partial \hat{y}}{\partial w} = -2x(y - w x)", (), None, H),
    ("physics", r"E = \frac{p^2}{2m} + \frac{1}{2}k x^2", "p", r"\frac{\partial E}{\partial p} = \frac{p}{m}", ["m > 0"], None, H),
    ("physics", r"E = \frac{p^2}{2m} + \frac{1}{2}k x^2", "p", r"\frac{\partial E}{\partial p} = \frac{p}{2m}", ["m > 0"], None, R),
    ("cookbook", r"f(\mathbf{W}) = \mathbf{u}^\top \mathbf{W} \mathbf{v}", r"\mathbf{W}", r"\mathbf{u}\mathbf{v}^\top", (), {"u": (2,), "v": (3,), "W": (2, 3)}, H),
    ("cookbook", r"f(\mathbf{W}) = \mathbf{u}^\top \mathbf{W} \mathbf{v}", r"\mathbf{W}", r"\mathbf{v}\mathbf{u}^\top", (), {"u": (3,), "v": (3,), "W": (3, 3)}, R),
    ("russian", r"g(x) = \frac{\ln x}{x}", "x", r"g'(x) = \frac{1 - \ln x}{x^2}", ["x > 0"], None, H),
    ("russian", r"g(x) = \frac{\ln x}{x}", "x", r"g'(x) = \frac{1 + \ln x}{x^2}", ["x > 0"], None, R),
    ("goodfellow", r"s(\mathbf{z}) = \frac{1}{1 + e^{-\mathbf{w}^\top\mathbf{z}}}", r"\mathbf{z}", r"s(\mathbf{z})(1 - s(\mathbf{z}))\,\mathbf{w}", (), {"w": ("n",), "z": ("n",)}, H),
    ("goodfellow", r"s(\mathbf{z}) = \frac{1}{1 + e^{-\mathbf{w}^\top\mathbf{z}}}", r"\mathbf{z}", r"s(\mathbf{z})(1 - s(\mathbf{z}))", (), {"w": (1,), "z": (1,)}, R),
]

# A fourth batch, measured the same way (\frac{\partial}{\partial x}(...) as the function, Q symmetric,
# \cos^3, e^{\sin x} after \cos x \,, tr((Y - XW)^T (Y - XW)), ln det Sigma and x^T Sigma^{-1} x for an spd
# Sigma, \log_3, \dot{g}, ridge with 1/n).
CLAIMS += [
    ("cookbook", r"\frac{\partial}{\partial \mathbf{x}}\left(\mathbf{x}^{\mathsf{T}}\mathbf{A}\mathbf{x}\right)", r"\mathbf{x}", r"\left(\mathbf{A}+\mathbf{A}^{\mathsf{T}}\right)\mathbf{x}", (), {"A": ("n", "n"), "x": ("n",)}, H),
    ("cookbook", r"\mathbf{b}^{\top}\mathbf{x}", r"\mathbf{x}", r"\nabla_{\mathbf{x}} \, \mathbf{b}^{\top}\mathbf{x} = \mathbf{b}", (), {"b": ("n",), "x": ("n",)}, H),
    ("cookbook", r"f(\mathbf{x}) = \frac{1}{2}\mathbf{x}^T Q \mathbf{x} - \mathbf{c}^T\mathbf{x}", r"\mathbf{x}", r"Q\mathbf{x} - \mathbf{c}", ["Q symmetric"], {"Q": ("n", "n"), "x": ("n",), "c": ("n",)}, H),
    ("cookbook", r"f(\mathbf{x}) = \frac{1}{2}\mathbf{x}^T Q \mathbf{x} - \mathbf{c}^T\mathbf{x}", r"\mathbf{x}", r"Q\mathbf{x} + \mathbf{c}", ["Q symmetric"], {"Q": ("n", "n"), "x": ("n",), "c": ("n",)}, R),
    ("russian", r"y = \cos^3(2x)", "x", r"y' = -6\cos^2(2x)\sin(2x)", (), None, H),
    ("russian", r"y = \cos^3(2x)", "x", r"y' = -3\cos^2(2x)\sin(2x)", (), None, R),
    ("stackexchange", r"y = e^{\sin x}", "x", r"y' = \cos x \, e^{\sin x}", (), None, H),
    ("cookbook", r"J = \operatorname{tr}\left((Y - XW)^\top (Y - XW)\right)", "W", r"-2X^\top(Y - XW)", (), {"X": ("m", "n"), "W": ("n", "k"), "Y": ("m", "k")}, H),
    ("cookbook", r"J = \operatorname{tr}\left((Y - XW)^\top (Y - XW)\right)", "W", r"-2(Y - XW)^\top X", (), {"X": ("n", "n"), "W": ("n", "n"), "Y": ("n", "n")}, R),
    ("bishop", r"f = \ln(\det(\Sigma))", r"\Sigma", r"\Sigma^{-1}", [r"\Sigma spd"], {"Sigma": ("n", "n")}, H),
    ("bishop", r"\mathbf{x}^T\Sigma^{-1}\mathbf{x}", r"\Sigma", r"-\Sigma^{-1}\mathbf{x}\mathbf{x}^T\Sigma^{-1}", [r"\Sigma spd"], {"Sigma": ("n", "n"), "x": ("n",)}, H),
    ("bishop", r"\mathbf{x}^T\Sigma^{-1}\mathbf{x}", r"\Sigma", r"\Sigma^{-1}\mathbf{x}\mathbf{x}^T\Sigma^{-1}", [r"\Sigma spd"], {"Sigma": ("n", "n"), "x": ("n",)}, R),
    ("stackexchange", r"f(x) = \log(\cosh(x))", "x", r"f'(x) = \tanh(x)", (), None, H),
    ("stackexchange", r"f(x) = \log(\cosh(x))", "x", r"f'(x) = \frac{1}{\cosh x}", (), None, R),
    ("bishop", r"-\frac{1}{2}\log(2\pi) - \frac{(x-\theta)^2}{2}", r"\theta", r"\frac{\partial}{\partial \theta}\left[-\frac{1}{2}\log(2\pi) - \frac{(x-\theta)^2}{2}\right] = x - \theta", (), None, H),
    ("russian", r"y = \frac{1}{\operatorname{tg} x}", "x", r"y' = -\frac{1}{\sin^2 x}", ["0 < x < 1"], None, H),
    ("russian", r"y = \log_3 (x^2)", "x", r"y' = \frac{2}{x \ln 3}", ["x > 0"], None, H),
    ("russian", r"y = \log_3 (x^2)", "x", r"y' = \frac{2}{x}", ["x > 0"], None, R),
    ("physics", r"g(t) = t^2 e^{-t}", "t", r"\dot{g}(t) = (2t - t^2)e^{-t}", (), None, H),
    ("cs229", r"L(\mathbf{w}) = \frac{1}{n}\sum_{i=1}^{n}(\mathbf{w}^\top\mathbf{x}_i - y_i)^2 + \lambda\|\mathbf{w}\|^2", r"\mathbf{w}", r"\frac{2}{n}X^\top(X\mathbf{w} - \mathbf{y}) + 2\lambda\mathbf{w}", (), {"X": ("n", "d"), "w": ("d",), "y": ("n",), "lambda": ()}, H),
    ("cs229", r"L(\mathbf{w}) = \frac{1}{n}\sum_{i=1}^{n}(\mathbf{w}^\top\mathbf{x}_i - y_i)^2 + \lambda\|\mathbf{w}\|^2", r"\mathbf{w}", r"\frac{2}{n}X^\top(X\mathbf{w} - \mathbf{y}) + \lambda\mathbf{w}", (), {"X": ("n", "d"), "w": ("d",), "y": ("n",), "lambda": ()}, R),
]
