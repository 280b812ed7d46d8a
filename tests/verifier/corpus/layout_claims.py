r"""Claims about entries, Jacobians and marked vectors, and the ML-notes vocabulary they use
(indicators, Kronecker's delta, softmax and its entries, diag, sums over j != k, examples
x^{(i)} / \mathbf{x}_i of a data matrix, binary labels, xy next to a declared name xy),
as people write them in course notes (CS231n-style softmax notes), matrix-calculus
references, backprop chapters, probabilistic-ML notes, Q&A answers, problem sets,
activation tables and Russian lecture notes.  Wrong claims carry the usual mistakes: a
dropped transpose, a sign, a missing factor, an index swapped, a missing delta.

Each entry: (style, f, wrt, claimed, where, variables, expected) with expected 'holds'
(proved or consistent), 'refuted' or 'undetermined' (two readings that disagree).  The
expected verdicts come from the mathematics written next to each group.
"""

H, R, U = "holds", "refuted", "undetermined"

SOFTMAX_I = r"p_i = \frac{e^{s_i}}{\sum_k e^{s_k}}"
SN = {"s": ("n",)}
S4 = {"s": (4,)}
X2 = {"x": (2,)}

CLAIMS = [
    # --- softmax Jacobian, entry form: dp_i/ds_j = p_i (delta_ij - p_j) --------------------
    ("course-notes", SOFTMAX_I, r"\mathbf{s}", r"\frac{\partial p_i}{\partial s_j} = p_i (\delta_{ij} - p_j)", (), SN, H),
    ("course-notes", SOFTMAX_I, r"\mathbf{s}", r"\frac{\partial p_i}{\partial s_j} = p_i (1 - p_j)", (), SN, R),
    ("course-notes", SOFTMAX_I, r"\mathbf{s}", r"\frac{\partial p_i}{\partial s_j} = p_j (\delta_{ij} - p_j)", (), S4, R),
    ("qa-answer", SOFTMAX_I, r"\mathbf{s}", r"\frac{\partial p_i}{\partial s_j} = p_i \delta_{ij} - p_i p_j", (), S4, H),
    ("qa-answer", SOFTMAX_I, r"\mathbf{s}", r"\frac{\partial p_i}{\partial s_j} = p_i (\mathbb{1}\{i = j\} - p_j)", (), S4, H),
    ("qa-answer", SOFTMAX_I, r"\mathbf{s}", r"\frac{\partial p_i}{\partial s_j} = p_i (\delta_{ij} + p_j)", (), S4, R),
    ("russian-notes", r"y_i = \frac{\exp(z_i)}{\sum_{k=1}^{n} \exp(z_k)}", r"\mathbf{z}",
     r"\frac{\partial y_i}{\partial z_j} = y_i [\![ i = j ]\!] - y_i y_j", (), {"z": ("n",)}, H),
    ("russian-notes", r"y_i = \frac{\exp(z_i)}{\sum_{k=1}^{n} \exp(z_k)}", r"\mathbf{z}",
     r"\frac{\partial y_i}{\partial z_j} = - y_i y_j", (), {"z": ("n",)}, R),

    # --- softmax Jacobian, matrix form: diag(p) - p p^T (symmetric) ----------------------------
    ("qa-answer", r"\mathbf{p} = \operatorname{softmax}(\mathbf{s})", r"\mathbf{s}",
     r"\frac{\partial \mathbf{p}}{\partial \mathbf{s}} = \operatorname{diag}(\mathbf{p}) - \mathbf{p}\mathbf{p}^\top", (), SN, H),
    ("qa-answer", r"\mathbf{p} = \operatorname{softmax}(\mathbf{s})", r"\mathbf{s}",
     r"\frac{\partial \mathbf{p}}{\partial \mathbf{s}} = \operatorname{diag}(\mathbf{p}) + \mathbf{p}\mathbf{p}^\top", (), SN, R),
    ("course-notes", r"\mathbf{p} = \operatorname{softmax}(\mathbf{s})", r"\mathbf{s}",
     r"\frac{\partial \mathbf{p}}{\partial \mathbf{s}} = \operatorname{Diag}(\mathbf{p}) - \mathbf{p}\mathbf{p}^{\mathsf{T}}", (), {"s": (3,)}, H),
    ("course-notes", r"\mathbf{p} = \operatorname{softmax}(\mathbf{s})", r"\mathbf{s}",
     r"\frac{\partial \mathbf{p}}{\partial \mathbf{s}} = \mathbf{p}\mathbf{p}^\top - \operatorname{diag}(\mathbf{p})", (), {"s": (3,)}, R),

    # --- Jacobians of linear maps and elementwise activations ----------------------------------
    # d(Ax)/dx = A (numerator layout: J_ij = dy_i/dx_j)
    ("matrix-reference", r"\mathbf{y} = A\mathbf{x}", r"\mathbf{x}", r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = A", (),
     {"A": ("m", "n"), "x": ("n",)}, H),
    # A^T for a square A: refuted in numerator layout, right in denominator layout (the convention of
    # e.g. many matrix-calculus tables): the square claim does not say which, so it is undetermined
    ("matrix-reference", r"\mathbf{y} = A\mathbf{x}", r"\mathbf{x}", r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = A^\top", (),
     {"A": ("n", "n"), "x": ("n",)}, U),
    # wrong in both layouts: refuted
    ("problem-set", r"\mathbf{y} = A\mathbf{x}", r"\mathbf{x}", r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = -A^\top", (),
     {"A": ("n", "n"), "x": ("n",)}, R),
    # a claim whose shape only fits the transpose holds in denominator layout (entry (j, i) = dy_i/dx_j),
    # but it is as often the Jacobian with a transpose dropped: undetermined, as for a square A
    ("matrix-reference", r"\mathbf{y} = A\mathbf{x}", r"\mathbf{x}", r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = A^\top", (),
     {"A": ("m", "n"), "x": ("n",)}, U),
    ("problem-set", r"\mathbf{y} = A\mathbf{x}", r"\mathbf{x}", r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = 2 A^\top", (),
     {"A": (2, 3), "x": (3,)}, R),
    ("matrix-reference", r"\mathbf{y} = A\mathbf{x} + \mathbf{b}", r"\mathbf{x}", r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = A", (),
     {"A": (2, 3), "x": (3,), "b": (2,)}, H),
    ("problem-set", r"\mathbf{y} = A\mathbf{x} + \mathbf{b}", r"\mathbf{x}", r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = A^\top", (),
     {"A": (3, 3), "x": (3,), "b": (3,)}, U),
    ("problem-set", r"\mathbf{y} = A\mathbf{x} + \mathbf{b}", r"\mathbf{x}", r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = 2 A^\top", (),
     {"A": (3, 3), "x": (3,), "b": (3,)}, R),
    # dh_i/dz_j = (1 - h_i^2) delta_ij for h = tanh(z); sigma' = sigma (1 - sigma)
    ("backprop", r"\mathbf{h} = \tanh(\mathbf{z})", r"\mathbf{z}", r"\frac{\partial h_i}{\partial z_j} = (1 - h_i^2)\,\delta_{ij}", (),
     {"z": ("n",)}, H),
    ("backprop", r"\mathbf{h} = \tanh(\mathbf{z})", r"\mathbf{z}", r"\frac{\partial h_i}{\partial z_j} = 1 - h_j^2", (),
     {"z": ("n",)}, R),
    ("activation", r"\mathbf{a} = \sigma(\mathbf{z})", r"\mathbf{z}", r"\frac{\partial a_i}{\partial z_j} = \delta_{ij}\, a_i (1 - a_i)", (),
     {"z": (3,)}, H),
    ("activation", r"\mathbf{a} = \sigma(\mathbf{z})", r"\mathbf{z}", r"\frac{\partial a_i}{\partial z_j} = a_i (1 - a_j)", (),
     {"z": (3,)}, R),
    # h = tanh(W x): dh_i/dx_j = (1 - h_i^2) W_ij
    ("backprop", r"\mathbf{h} = \tanh(W\mathbf{x})", r"\mathbf{x}", r"\frac{\partial h_i}{\partial x_j} = (1 - h_i^2) W_{ij}", (),
     {"W": ("m", "n"), "x": ("n",)}, H),
    ("backprop", r"\mathbf{h} = \tanh(W\mathbf{x})", r"\mathbf{x}", r"\frac{\partial h_i}{\partial x_j} = (1 - h_i^2) W_{ji}", (),
     {"W": ("n", "n"), "x": ("n",)}, R),

    # vector notation of the same: diag(1 - h o h) W; 1 - tanh^2(z) entry by entry
    ("backprop", r"\mathbf{h} = \tanh(\mathbf{W}\mathbf{x})", r"\mathbf{x}",
     r"\frac{\partial \mathbf{h}}{\partial \mathbf{x}} = \operatorname{diag}(1 - \mathbf{h} \odot \mathbf{h}) \mathbf{W}", (),
     {"W": ("m", "n"), "x": ("n",)}, H),
    ("backprop", r"\mathbf{h} = \tanh(\mathbf{W}\mathbf{x})", r"\mathbf{x}",
     r"\frac{\partial \mathbf{h}}{\partial \mathbf{x}} = \operatorname{diag}(1 - \mathbf{h}^2) \mathbf{W}^\top", (),
     {"W": ("n", "n"), "x": ("n",)}, R),
    ("course-notes", r"L = \mathbf{v}^\top \tanh(\mathbf{z})", r"\mathbf{z}", r"(1 - \tanh^2(\mathbf{z})) \odot \mathbf{v}", (),
     {"v": ("n",), "z": ("n",)}, H),
    ("course-notes", r"L = \mathbf{v}^\top \tanh(\mathbf{z})", r"\mathbf{z}", r"(1 - \tanh(\mathbf{z})) \odot \mathbf{v}", (),
     {"v": ("n",), "z": ("n",)}, R),
    ("activation", r"L = \mathbf{v}^\top \sigma(\mathbf{z})", r"\mathbf{z}",
     r"\mathbf{v} \odot \sigma(\mathbf{z}) \odot (1 - \sigma(\mathbf{z}))", (), {"v": (3,), "z": (3,)}, H),

    # --- entries of a matrix gradient: dL/dW_ij ------------------------------------------------
    # L = 1/2 ||W x - y||^2: dL/dW_ij = (W x - y)_i x_j
    ("backprop", r"L = \frac{1}{2}\|W\mathbf{x} - \mathbf{y}\|^2", "W", r"\frac{\partial L}{\partial W_{ij}} = (W\mathbf{x} - \mathbf{y})_i\, x_j", (),
     {"W": ("m", "n"), "x": ("n",), "y": ("m",)}, H),
    ("backprop", r"L = \frac{1}{2}\|W\mathbf{x} - \mathbf{y}\|^2", "W", r"\frac{\partial L}{\partial W_{ij}} = (W\mathbf{x} - \mathbf{y})_j\, x_i", (),
     {"W": ("n", "n"), "x": ("n",), "y": ("n",)}, R),
    ("backprop", r"L = \frac{1}{2}\|W\mathbf{x} - \mathbf{y}\|^2", "W", r"\frac{\partial L}{\partial W_{ij}} = (W\mathbf{x} - \mathbf{y})_i", (),
     {"W": (2, 3), "x": (3,), "y": (2,)}, R),
    ("problem-set", r"L = \sum_{k} \Big(\sum_{l} W_{kl} x_l - y_k\Big)^2", "W",
     r"\frac{\partial L}{\partial W_{ij}} = 2 \Big(\sum_{l} W_{il} x_l - y_i\Big) x_j", (), {"W": (2, 3), "x": (3,), "y": (2,)}, H),
    ("problem-set", r"L = \sum_{k} \Big(\sum_{l} W_{kl} x_l - y_k\Big)^2", "W",
     r"\frac{\partial L}{\partial W_{ij}} = \Big(\sum_{l} W_{il} x_l - y_i\Big) x_j", (), {"W": (2, 3), "x": (3,), "y": (2,)}, R),
    # tr(A X): d/dX_ij = A_ji
    ("matrix-reference", r"f = \operatorname{tr}(A X)", "X", r"\frac{\partial f}{\partial X_{ij}} = A_{ji}", (),
     {"A": ("n", "n"), "X": ("n", "n")}, H),
    ("matrix-reference", r"f = \operatorname{tr}(A X)", "X", r"\frac{\partial f}{\partial X_{ij}} = A_{ij}", (),
     {"A": ("n", "n"), "X": ("n", "n")}, R),

    # --- gradients over examples x^{(i)} / \mathbf{x}_i (rows of X) ------------------------------
    # least squares: grad = -2 sum_i (y_i - w^T x_i) x_i = 2 X^T (X w - y)
    ("prob-ml", r"L(\mathbf{w}) = \sum_{i} (y_i - \mathbf{w}^\top \mathbf{x}^{(i)})^2", r"\mathbf{w}",
     r"-2 \sum_{i} (y_i - \mathbf{w}^\top \mathbf{x}^{(i)}) \mathbf{x}^{(i)}", (), {"X": ("m", "n"), "w": ("n",), "y": ("m",)}, H),
    ("prob-ml", r"L(\mathbf{w}) = \sum_{i} (y_i - \mathbf{w}^\top \mathbf{x}^{(i)})^2", r"\mathbf{w}",
     r"-\sum_{i} (y_i - \mathbf{w}^\top \mathbf{x}^{(i)}) \mathbf{x}^{(i)}", (), {"X": ("m", "n"), "w": ("n",), "y": ("m",)}, R),
    ("course-notes", r"L(\mathbf{w}) = \sum_{i=1}^{3} (y_i - \mathbf{w}^\top \mathbf{x}_i)^2", r"\mathbf{w}",
     r"2 X^\top (X \mathbf{w} - \mathbf{y})", (), {"X": (3, 2), "w": (2,), "y": (3,)}, H),
    ("course-notes", r"L(\mathbf{w}) = \sum_{i=1}^{3} (y_i - \mathbf{w}^\top \mathbf{x}_i)^2", r"\mathbf{w}",
     r"2 X^\top (\mathbf{y} - X \mathbf{w})", (), {"X": (3, 2), "w": (2,), "y": (3,)}, R),
    # ridge: grad = sum_i (w^T x_i - y_i) x_i + lambda w
    ("problem-set", r"J(\mathbf{w}) = \frac{1}{2}\sum_{i} (\mathbf{w}^\top \mathbf{x}_i - y_i)^2 + \frac{\lambda}{2}\|\mathbf{w}\|^2",
     r"\mathbf{w}", r"\sum_{i} (\mathbf{w}^\top \mathbf{x}_i - y_i)\mathbf{x}_i + \lambda \mathbf{w}", (),
     {"X": ("m", "n"), "w": ("n",), "y": ("m",), "lambda": ()}, H),
    ("problem-set", r"J(\mathbf{w}) = \frac{1}{2}\sum_{i} (\mathbf{w}^\top \mathbf{x}_i - y_i)^2 + \frac{\lambda}{2}\|\mathbf{w}\|^2",
     r"\mathbf{w}", r"\sum_{i} (\mathbf{w}^\top \mathbf{x}_i - y_i)\mathbf{x}_i + \frac{\lambda}{2} \mathbf{w}", (),
     {"X": ("m", "n"), "w": ("n",), "y": ("m",), "lambda": ()}, R),
    # logistic regression: dL/dw_j = sum_i (sigma(w^T x_i) - y_i) X_ij
    ("prob-ml", r"L(\mathbf{w}) = -\sum_{i} \left[y_i \log \sigma(\mathbf{w}^\top \mathbf{x}^{(i)}) + (1 - y_i) \log(1 - \sigma(\mathbf{w}^\top \mathbf{x}^{(i)}))\right]",
     r"\mathbf{w}", r"\frac{\partial L}{\partial w_j} = \sum_{i} (\sigma(\mathbf{w}^\top \mathbf{x}^{(i)}) - y_i) X_{ij}", (),
     {"X": ("m", "n"), "w": ("n",), "y": ("m",)}, H),
    ("prob-ml", r"L(\mathbf{w}) = -\sum_{i} \left[y_i \log \sigma(\mathbf{w}^\top \mathbf{x}^{(i)}) + (1 - y_i) \log(1 - \sigma(\mathbf{w}^\top \mathbf{x}^{(i)}))\right]",
     r"\mathbf{w}", r"\frac{\partial L}{\partial w_j} = \sum_{i} (y_i - \sigma(\mathbf{w}^\top \mathbf{x}^{(i)})) X_{ij}", (),
     {"X": ("m", "n"), "w": ("n",), "y": ("m",)}, R),

    ("course-notes", r"J(\mathbf{w}) = \frac{1}{2}\sum_{i} (\mathbf{w}^\top \mathbf{x}^{(i)} - y_i)^2", r"\mathbf{w}",
     r"\frac{\partial J}{\partial w_j} = \sum_{i} (\mathbf{w}^\top \mathbf{x}^{(i)} - y_i)\, x^{(i)}_j", (),
     {"X": ("m", "n"), "w": ("n",), "y": ("m",)}, H),
    ("course-notes", r"J(\mathbf{w}) = \frac{1}{2}\sum_{i} (\mathbf{w}^\top \mathbf{x}^{(i)} - y_i)^2", r"\mathbf{w}",
     r"\frac{\partial J}{\partial w_j} = \sum_{i} (\mathbf{w}^\top \mathbf{x}^{(i)} - y_i)\, x^{(j)}_i", (),
     {"X": ("n", "n"), "w": ("n",), "y": ("n",)}, R),

    # --- cross-entropy with one-hot / soft labels: grad = softmax(s) - y needs sum(y) = 1 -------
    ("course-notes", r"L = -\sum_k y_k \log \operatorname{softmax}(\mathbf{s})_k", r"\mathbf{s}",
     r"\operatorname{softmax}(\mathbf{s}) - \mathbf{y}", ["y onehot"], {"y": ("n",), "s": ("n",)}, H),
    ("course-notes", r"L = -\sum_k y_k \log \operatorname{softmax}(\mathbf{s})_k", r"\mathbf{s}",
     r"\mathbf{y} - \operatorname{softmax}(\mathbf{s})", ["y onehot"], {"y": ("n",), "s": ("n",)}, R),
    ("prob-ml", r"L = -\sum_k y_k \log \operatorname{softmax}(\mathbf{s})_k", r"\mathbf{s}",
     r"\frac{\partial L}{\partial s_j} = \operatorname{softmax}(\mathbf{s})_j - y_j", ["y simplex"], {"y": ("n",), "s": ("n",)}, H),
    ("prob-ml", r"L = -\sum_k y_k \log \operatorname{softmax}(\mathbf{s})_k", r"\mathbf{s}",
     r"\frac{\partial L}{\partial s_j} = \operatorname{softmax}(\mathbf{s})_j - y_j", (), {"y": ("n",), "s": ("n",)}, R),
    ("qa-answer", r"L = -\mathbf{y}^\top \mathbf{s} + \log \sum_k e^{s_k}", r"\mathbf{s}",
     r"\operatorname{softmax}(\mathbf{s}) - \mathbf{y}", ["y pm1"], {"y": (3,), "s": (3,)}, H),

    # --- binary labels: y in {0, 1} -----------------------------------------------------------
    # -log(y p + (1-y)(1-p)) has derivative -y/p + (1-y)/(1-p) only for y = 0 or 1
    ("prob-ml", r"\ell(p) = -\log(y p + (1 - y)(1 - p)), \quad y \in \{0, 1\}", "p",
     r"\ell'(p) = -\frac{y}{p} + \frac{1 - y}{1 - p}", ["0 < p < 1"], None, H),
    ("prob-ml", r"\ell(p) = -\log(y p + (1 - y)(1 - p))", "p",
     r"-\frac{y}{p} + \frac{1 - y}{1 - p}", ["0 < p < 1"], None, R),
    ("prob-ml", r"\ell(p) = -\log(y p + (1 - y)(1 - p))", "p",
     r"-\frac{y}{p} - \frac{1 - y}{1 - p}", ["0 < p < 1", "y binary"], None, R),
    ("problem-set", r"L = \sum_i y_i^2 s_i", r"\mathbf{s}", r"\mathbf{y}", ["y binary"], {"y": ("n",), "s": ("n",)}, H),
    ("problem-set", r"L = \sum_i y_i^2 s_i", r"\mathbf{s}", r"2\mathbf{y}", ["y binary"], {"y": ("n",), "s": ("n",)}, R),
    ("problem-set", r"L = \sum_i y_i^2 s_i", r"\mathbf{s}", r"\mathbf{y}", (), {"y": (3,), "s": (3,)}, R),

    # --- indicators: ReLU and friends, a class indicator -----------------------------------------
    ("activation", r"f(x) = \max(0, x)", "x", r"f'(x) = \mathbb{1}(x > 0)", ["x != 0"], None, H),
    ("activation", r"f(x) = \max(0, x)", "x", r"f'(x) = \mathbb{1}(x < 0)", ["x != 0"], None, R),
    ("activation", r"f(x) = \max(0.01 x, x)", "x", r"f'(x) = 0.01 + 0.99\,\mathbf{1}\{x > 0\}", ["x != 0"], None, H),
    ("activation", r"f(x) = \max(0.01 x, x)", "x", r"f'(x) = 0.01 + \mathbf{1}\{x > 0\}", ["x != 0"], None, R),
    ("russian-notes", r"f(x) = |x|", "x", r"f'(x) = 1\{x > 0\} - 1\{x < 0\}", ["x != 0"], None, H),
    ("russian-notes", r"f(x) = |x|", "x", r"f'(x) = 1\{x > 0\}", ["x != 0"], None, R),
    ("course-notes", r"L = -\sum_{k} \mathbb{1}\{k = 2\} \log \operatorname{softmax}(\mathbf{s})_k", r"\mathbf{s}",
     r"\frac{\partial L}{\partial s_j} = \operatorname{softmax}(\mathbf{s})_j - \mathbb{1}\{j = 2\}", (), {"s": (3,)}, H),
    ("course-notes", r"L = -\sum_{k} \mathbb{1}\{k = 2\} \log \operatorname{softmax}(\mathbf{s})_k", r"\mathbf{s}",
     r"\frac{\partial L}{\partial s_j} = \operatorname{softmax}(\mathbf{s})_j - 1", (), {"s": (3,)}, R),
    ("qa-answer", r"L = -\sum_{k} [\![ k = 2 ]\!] \log \operatorname{softmax}(\mathbf{s})_k", r"\mathbf{s}",
     r"\frac{\partial L}{\partial s_j} = \operatorname{softmax}(\mathbf{s})_j - [\![ j = 2 ]\!]", (), {"s": (3,)}, H),

    # --- sums over j != k: L = sum_k sum_{j != k} x_j x_k, dL/dx_m = 2 sum_{j != m} x_j -----------
    ("problem-set", r"L = \sum_{k} \sum_{j \neq k} x_j x_k", r"\mathbf{x}",
     r"\frac{\partial L}{\partial x_m} = 2 \sum_{j \neq m} x_j", (), {"x": (3,)}, H),
    ("problem-set", r"L = \sum_{k} \sum_{j \neq k} x_j x_k", r"\mathbf{x}",
     r"\frac{\partial L}{\partial x_m} = \sum_{j \neq m} x_j", (), {"x": (3,)}, R),
    ("russian-notes", r"E = \sum_{k} \sum_{j \ne k} w_j w_k", r"\mathbf{w}",
     r"\frac{\partial E}{\partial w_m} = 2 \sum_{j} w_j - 2 w_m", (), {"w": ("n",)}, H),

    # --- diag: x^T diag(a) x has gradient 2 diag(a) x ----------------------------------------------
    ("matrix-reference", r"f(\mathbf{x}) = \mathbf{x}^\top \operatorname{diag}(\mathbf{a})\, \mathbf{x}", r"\mathbf{x}",
     r"2 \operatorname{diag}(\mathbf{a})\, \mathbf{x}", (), {"a": (3,), "x": (3,)}, H),
    ("matrix-reference", r"f(\mathbf{x}) = \mathbf{x}^\top \operatorname{diag}(\mathbf{a})\, \mathbf{x}", r"\mathbf{x}",
     r"\operatorname{diag}(\mathbf{a})\, \mathbf{x}", (), {"a": (3,), "x": (3,)}, R),

    # --- xy next to a declared name xy: TeX prints x y and xy alike ----------------------------------
    # read as the name xy: d/dx (x^2 y + xy) = 2xy; as the product: 2xy + y
    ("qa-answer", r"f(x) = x^2 y + xy", "x", r"f'(x) = 2 x y + y", (), {"xy": ()}, U),
    ("qa-answer", r"f(x) = x^2 y + xy", "x", r"f'(x) = 2 x y", (), {"xy": ()}, U),
    ("qa-answer", r"f(x) = x^2 y + xy", "x", r"f'(x) = 5", (), {"xy": ()}, R),
    ("problem-set", r"f(x) = x^3 + xy", "x", r"f'(x) = 3 x^2", (), {"xy": ()}, H),

    # --- explicit matrices (pmatrix, bmatrix, \left[\begin{array}, smallmatrix, vmatrix) -------------
    # y = (x1^2 x2, sin x1 + x2): J = [[2 x1 x2, x1^2], [cos x1, 1]]
    ("course-notes", r"\mathbf{y} = \begin{pmatrix} x_1^2 x_2 \\ \sin x_1 + x_2 \end{pmatrix}", r"\mathbf{x}",
     r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = \begin{pmatrix} 2 x_1 x_2 & x_1^2 \\ \cos x_1 & 1 \end{pmatrix}", (), X2, H),
    # the entries of the second row swapped (wrong in either layout)
    ("course-notes", r"\mathbf{y} = \begin{pmatrix} x_1^2 x_2 \\ \sin x_1 + x_2 \end{pmatrix}", r"\mathbf{x}",
     r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = \begin{pmatrix} 2 x_1 x_2 & x_1^2 \\ 1 & \cos x_1 \end{pmatrix}", (), X2, R),
    # f = x1^2 x2 + sin x2: grad f = (2 x1 x2, x1^2 + cos x2)
    ("matrix-reference", r"f(\mathbf{x}) = x_1^2 x_2 + \sin x_2", r"\mathbf{x}",
     r"\nabla f(\mathbf{x}) = \begin{bmatrix} 2 x_1 x_2 \\ x_1^2 + \cos x_2 \end{bmatrix}", (), X2, H),
    ("matrix-reference", r"f(\mathbf{x}) = x_1^2 x_2 + \sin x_2", r"\mathbf{x}",
     r"\nabla f(\mathbf{x}) = \begin{bmatrix} 2 x_1 x_2 \\ x_1^2 - \cos x_2 \end{bmatrix}", (), X2, R),
    # polar coordinates (r, phi) = (x1, x2): J = [[cos x2, -x1 sin x2], [sin x2, x1 cos x2]]
    ("problem-set", r"\mathbf{y} = \left( \begin{array}{c} x_1 \cos x_2 \\ x_1 \sin x_2 \end{array} \right)", r"\mathbf{x}",
     r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = \left[\begin{array}{cc} \cos x_2 & -x_1 \sin x_2 \\ \sin x_2 & x_1 \cos x_2 \end{array}\right]",
     (), X2, H),
    # the factor r (x1) of the angle column lost
    ("problem-set", r"\mathbf{y} = \left( \begin{array}{c} x_1 \cos x_2 \\ x_1 \sin x_2 \end{array} \right)", r"\mathbf{x}",
     r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = \left[\begin{array}{cc} \cos x_2 & -\sin x_2 \\ \sin x_2 & \cos x_2 \end{array}\right]",
     (), X2, R),
    # y = (tg x1 + x2, sh x2): J = [[1/cos^2 x1 = 1 + tg^2 x1, 1], [0, ch x2]]
    ("russian-notes", r"\mathbf{y} = \begin{pmatrix} \operatorname{tg} x_1 + x_2 \\ \operatorname{sh} x_2 \end{pmatrix}", r"\mathbf{x}",
     r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = \begin{pmatrix} \frac{1}{\cos^2 x_1} & 1 \\ 0 & \operatorname{ch} x_2 \end{pmatrix}", (), X2, H),
    ("russian-notes", r"\mathbf{y} = \begin{pmatrix} \operatorname{tg} x_1 + x_2 \\ \operatorname{sh} x_2 \end{pmatrix}", r"\mathbf{x}",
     r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = \begin{pmatrix} 1 + \operatorname{tg}^2 x_1 & 1 \\ 0 & \operatorname{ch} x_2 \end{pmatrix}", (), X2, H),
    # d(sh)/dx = ch, not sh
    ("russian-notes", r"\mathbf{y} = \begin{pmatrix} \operatorname{tg} x_1 + x_2 \\ \operatorname{sh} x_2 \end{pmatrix}", r"\mathbf{x}",
     r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = \begin{pmatrix} 1 + \operatorname{tg}^2 x_1 & 1 \\ 0 & \operatorname{sh} x_2 \end{pmatrix}", (), X2, R),
    # the determinant x1^2 + x2^2 written as a vmatrix: gradient (2 x1, 2 x2)
    ("qa-answer", r"f(\mathbf{x}) = \begin{vmatrix} x_1 & x_2 \\ -x_2 & x_1 \end{vmatrix}", r"\mathbf{x}",
     r"\nabla f(\mathbf{x}) = \begin{pmatrix} 2 x_1 \\ 2 x_2 \end{pmatrix}", (), X2, H),
    # an inline gradient of x^T x in smallmatrix
    ("course-notes", r"f(\mathbf{x}) = \mathbf{x}^\top \mathbf{x}", r"\mathbf{x}",
     r"\nabla f = \left( \begin{smallmatrix} 2 x_1 \\ 2 x_2 \end{smallmatrix} \right)", (), X2, H),
    # a constant matrix times x: its Jacobian is the matrix
    ("matrix-reference", r"\mathbf{y} = \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix} \mathbf{x}", r"\mathbf{x}",
     r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", (), X2, H),
]
