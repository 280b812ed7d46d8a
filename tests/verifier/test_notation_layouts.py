r"""Entry claims, Jacobians, marked vectors and the ML-notes vocabulary they use.

The corpus (tests/verifier/corpus/layout_claims.py) carries verdicts decided by the mathematics
written next to each group; the reader tests compare what the LaTeX reader builds with
SymPy expressions written by hand, and the derivative tests with sympy.diff and central
finite differences of functions written by hand."""
import collections

import pytest
import sympy as sp

from symdiff import verify
from symdiff.errors import ParseError
from symdiff.latex import latex_readings, parse_latex, read_latex
from corpus.layout_claims import CLAIMS


def test_corpus_covers_styles_forms_and_mistakes():
    styles = collections.Counter(style for style, *_ in CLAIMS)
    assert len(styles) >= 8 and len(CLAIMS) >= 60
    assert sum(1 for *_, e in CLAIMS if e == "refuted") >= len(CLAIMS) / 3
    text = " ".join(f + " " + c for _, f, _, c, *_ in CLAIMS)
    for form in (r"\mathbb{1}(", r"\mathbf{1}\{", r"1\{", r"[\![", r"\delta_{ij}", r"\operatorname{softmax}(\mathbf{s})_",
                 r"\operatorname{diag}", r"\operatorname{Diag}", r"\sum_{j \neq", r"}^{(i)}", r"\mathbf{x}_i",
                 r"\partial W_{ij}", r"\partial s_j", r"\partial \mathbf{s}", "xy"):
        assert form in text, form


@pytest.mark.parametrize("k", range(len(CLAIMS)), ids=lambda k: f"{CLAIMS[k][0]}-{k}")
def test_layout_claim_gets_its_verdict(k):
    style, f, wrt, claimed, where, variables, expected = CLAIMS[k]
    # a generous budget: entry-by-entry checks of 6-12 variables take 1-4 s alone, more under load
    verdict = verify(f, wrt, claimed, where=where, variables=variables, budget=40)
    assert verdict.read_as
    if expected == "holds":
        assert verdict.status in ("proved", "consistent"), verdict.explanation
    else:
        assert verdict.status == expected, verdict.explanation


# ---------------------------------------------------------------------------
# The reader: values built by hand
# ---------------------------------------------------------------------------

x, y, k = sp.symbols("x y k", real=True)
s1, s2, s3 = sp.symbols("s_1 s_2 s_3", real=True)


def indicator(condition):
    return sp.Piecewise((1, condition), (0, True))


@pytest.mark.parametrize("text", [r"\mathbb{1}(x > 0)", r"\mathbb{1}\{x > 0\}", r"\mathbf{1}\{x > 0\}",
                                  r"1\{x > 0\}", r"[\![ x > 0 ]\!]", r"\mathbb{1}_{\{x > 0\}}",
                                  r"\mathbb{I}(x > 0)", r"\mathbb{1}[x > 0]", r"\mathbf{1}[x > 0]"])
def test_indicators_in_every_spelling(text):
    value = parse_latex(text)
    assert value == indicator(x > 0)
    for point in (-2, sp.Rational(1, 3), 5):
        assert value.subs(x, point) == (1 if point > 0 else 0)


def test_indicator_of_an_equality_inside_a_definition_and_a_sum():
    assert parse_latex(r"\mathbb{1}\{y = k\}") == indicator(sp.Eq(y, k))
    z = sp.symbols("z_1:4", real=True)
    total = parse_latex(r"\sum_{k=1}^{3} \mathbb{1}\{k = 2\} z_k", index_base=1)
    assert total == z[1]


def test_kronecker_delta_bound_and_free():
    assert read_latex(r"\delta_{ij}", bindings={"i": 2, "j": 2})[0] == 1
    assert read_latex(r"\delta_{ij}", bindings={"i": 1, "j": 2})[0] == 0
    i, j = sp.symbols("i j", integer=True)
    assert parse_latex(r"\delta_{i,j}") == sp.KroneckerDelta(i, j)
    assert parse_latex(r"\delta", variables={"delta"}) == sp.Symbol("delta", real=True)


def test_entry_of_a_declared_matrix_is_an_entry_not_a_name():
    W = sp.MatrixSymbol("W", 2, 3)
    assert parse_latex(r"W_{12}", shapes={"W": (2, 3)}, index_base=1) == W[0, 1]
    assert read_latex(r"W_{ij}", bindings={"i": 2, "j": 3}, shapes={"W": (2, 3)}, index_base=1)[0] == W[1, 2]
    assert parse_latex(r"W_{ij}") == sp.Symbol("W_ij", real=True)   # no matrix W: a name


def test_softmax_and_its_entries():
    exps = [sp.exp(s) for s in (s1, s2, s3)]
    value = parse_latex(r"\operatorname{softmax}(\mathbf{s})", shapes={"s": (3,)}, index_base=1)
    assert value == sp.ImmutableMatrix([e / sum(exps) for e in exps])
    entry = parse_latex(r"\mathrm{softmax}(\mathbf{s})_2", shapes={"s": (3,)}, index_base=1)
    assert sp.simplify(entry - exps[1] / sum(exps)) == 0
    assert sp.simplify(sp.diff(entry, s2) - entry * (1 - entry)) == 0      # p_2 (1 - p_2)


def test_diag_of_a_vector_and_of_a_matrix():
    v = parse_latex(r"\operatorname{diag}(\mathbf{s})", shapes={"s": (3,)}, index_base=1)
    assert v == sp.ImmutableMatrix(sp.diag(s1, s2, s3))
    assert parse_latex(r"\operatorname{Diag}(\mathbf{s})", shapes={"s": (3,)}, index_base=1) == v
    A = sp.MatrixSymbol("A", 2, 2)
    d = parse_latex(r"\operatorname{diag}(A)", shapes={"A": (2, 2)})
    assert sp.ImmutableMatrix(d.as_explicit()) == sp.ImmutableMatrix([A[0, 0], A[1, 1]])


def test_entry_of_a_bracket():
    W = sp.MatrixSymbol("W", 2, 2)
    x1, x2, y2 = sp.symbols("x_1 x_2 y_2", real=True)
    value = parse_latex(r"(W\mathbf{x} - \mathbf{y})_2", shapes={"W": (2, 2), "x": (2,), "y": (2,)}, index_base=1)
    assert sp.expand(value - (W[1, 0] * x1 + W[1, 1] * x2 - y2)) == 0


def test_sum_leaving_out_one_index():
    x1, x2, x3 = sp.symbols("x_1:4", real=True)
    assert read_latex(r"\sum_{j \neq k} x_j", bindings={"k": 2}, shapes={"x": (3,)}, index_base=1)[0] == x1 + x3
    value = parse_latex(r"\sum_{k} \sum_{j \ne k} x_j x_k", shapes={"x": (3,)}, index_base=1)
    assert sp.expand(value - ((x1 + x2 + x3) ** 2 - x1 ** 2 - x2 ** 2 - x3 ** 2)) == 0
    with pytest.raises(ParseError, match="leaves out the index k"):
        parse_latex(r"\sum_{j \neq k} x_j", shapes={"x": (3,)}, index_base=1)


def test_examples_are_rows_of_the_data_matrix():
    X = sp.MatrixSymbol("X", 2, 3)
    w = sp.symbols("w_1:4", real=True)
    yv = sp.symbols("y_1:3", real=True)
    by_hand = sum((yv[i] - sum(w[j] * X[i, j] for j in range(3))) ** 2 for i in range(2))
    shapes = {"X": (2, 3), "w": (3,), "y": (2,)}
    for text in (r"\sum_{i=1}^{2} (y_i - \mathbf{w}^\top \mathbf{x}^{(i)})^2", r"\sum_{i} (y_i - \mathbf{w}^\top \mathbf{x}_i)^2"):
        assert sp.expand(parse_latex(text, shapes=shapes, index_base=1) - by_hand) == 0
    assert parse_latex(r"x^{(2)}_3", shapes=shapes, index_base=1) == X[1, 2]      # entry 3 of example 2
    # a declared vector x keeps x_i its entry
    assert parse_latex(r"\mathbf{x}_2", shapes={"X": (2, 3), "x": (3,)}, index_base=1) == sp.Symbol("x_2", real=True)


def test_xy_beside_a_declared_name_has_two_readings():
    readings = latex_readings(r"x^2 y + xy", variables={"xy"})
    assert [r.value for r in readings] == [x ** 2 * y + sp.Symbol("xy", real=True), x ** 2 * y + x * y]
    assert "product" in readings[1].choices[0]
    # the letters x and y do not stand alone: only the name
    assert [r.value for r in latex_readings(r"x^2 + xy", variables={"xy"})] == [x ** 2 + sp.Symbol("xy", real=True)]


# ---------------------------------------------------------------------------
# Verdicts checked against derivatives computed independently
# ---------------------------------------------------------------------------

def _central_difference(f, point, h=1e-6):
    return [(f(*[p + h * (i == j) for j, p in enumerate(point)]) - f(*[p - h * (i == j) for j, p in enumerate(point)]))
            / (2 * h) for i in range(len(point))]


def test_softmax_jacobian_entries_match_finite_differences():
    import math

    def softmax(*s):
        total = sum(math.exp(v) for v in s)
        return [math.exp(v) / total for v in s]
    point = [0.3, -1.2, 0.7]
    p = softmax(*point)
    for i in range(3):
        column = _central_difference(lambda *s: softmax(*s)[i], point)
        for j in range(3):
            claimed = p[i] * ((i == j) - p[j])       # the corpus' holding claim
            assert abs(column[j] - claimed) < 1e-7
    verdict = verify(r"p_i = \frac{e^{s_i}}{\sum_k e^{s_k}}", r"\mathbf{s}",
                     r"\frac{\partial p_i}{\partial s_j} = p_i (\delta_{ij} - p_j)", variables={"s": (3,)})
    assert verdict.status == "proved"


def test_matrix_entry_claim_matches_sympy_diff_and_says_its_sizes():
    W = sp.Matrix(2, 3, lambda i, j: sp.Symbol(f"W_{i + 1}_{j + 1}", real=True))
    xs = sp.Matrix(sp.symbols("x_1:4", real=True))
    ys = sp.Matrix(sp.symbols("y_1:3", real=True))
    L = ((W * xs - ys).T * (W * xs - ys))[0] / 2
    r = W * xs - ys
    for i in range(2):
        for j in range(3):
            assert sp.expand(sp.diff(L, W[i, j]) - r[i] * xs[j]) == 0
    verdict = verify(r"L = \frac{1}{2}\|W\mathbf{x} - \mathbf{y}\|^2", "W",
                     r"\frac{\partial L}{\partial W_{ij}} = (W\mathbf{x} - \mathbf{y})_i\, x_j",
                     variables={"W": ("m", "n"), "x": ("n",), "y": ("m",)})
    assert verdict.status == "consistent"                     # checked at sizes chosen here, not proved for all
    assert "m = 3, n = 2" in verdict.explanation and "m = 3, n = 2" in verdict.read_as
    assert verdict.evidence["entrywise_sizes"] == {"m": 3, "n": 2}


def test_binary_labels_are_checked_case_by_case():
    p, yy = sp.symbols("p y", real=True)
    loss = -sp.log(yy * p + (1 - yy) * (1 - p))
    claim = -yy / p + (1 - yy) / (1 - p)
    for value in (0, 1):
        assert sp.simplify((sp.diff(loss, p) - claim).subs(yy, value)) == 0
    assert sp.simplify((sp.diff(loss, p) - claim).subs({yy: sp.Rational(1, 2), p: sp.Rational(1, 3)})) != 0
    holds = verify(r"\ell(p) = -\log(y p + (1 - y)(1 - p))", "p", r"-\frac{y}{p} + \frac{1 - y}{1 - p}",
                   where=["0 < p < 1", "y binary"])
    assert holds.status == "proved" and "0/1 values" in holds.explanation
    wrong = verify(r"\ell(p) = -\log(y p + (1 - y)(1 - p))", "p", r"-\frac{y}{p} + \frac{1 - y}{1 - p}",
                   where=["0 < p < 1"])
    assert wrong.status == "refuted"


def test_a_binary_variable_is_not_differentiated():
    from symdiff.errors import SymdiffError
    with pytest.raises(SymdiffError, match="binary"):
        verify(r"f = y^2 w", "y", r"2 y w", where=["y binary"])


def test_sympy_vector_function_of_a_vector_is_a_jacobian():
    n = sp.Symbol("n", integer=True, positive=True)
    A = sp.MatrixSymbol("A", n, n)
    v = sp.MatrixSymbol("v", n, 1)
    # d(Av)/dv = A: at n = 3, the Jacobian of the written-out A v, by sympy.diff
    A3 = sp.Matrix(3, 3, lambda i, j: sp.Symbol(f"A_{i + 1}_{j + 1}", real=True))
    v3 = sp.Matrix(sp.symbols("v_1:4", real=True))
    assert (A3 * v3).jacobian(v3) == A3
    right = verify(A * v, v, A, budget=10)
    assert right.status == "consistent" and "n = 3" in right.explanation
    assert verify(A * v, v, A.T, budget=10).status == "undetermined"   # right in denominator layout only
    assert verify(A * v, v, -A.T, budget=10).status == "refuted"
    assert verify(A * v, sp.Symbol("t", real=True), sp.ZeroMatrix(n, 1), budget=10).status in ("proved", "consistent")


def test_a_transposed_jacobian_is_never_accepted_on_its_shape_alone():
    square = verify(r"\mathbf{y} = A\mathbf{x}", r"\mathbf{x}", r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = A^\top",
                    variables={"A": (3, 3), "x": (3,)})
    # numerator layout (entry (i, j) is dy_i/dx_j) refutes it, denominator layout does not: undetermined
    assert square.status == "undetermined" and "denominator layout" in square.explanation
    wide = verify(r"\mathbf{y} = A\mathbf{x}", r"\mathbf{x}", r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = A^\top",
                  variables={"A": (2, 3), "x": (3,)})
    # its shape fits only the transpose: denominator layout, or a dropped transpose; the shape cannot tell
    assert wide.status == "undetermined" and "denominator layout" in wide.read_as
    assert "dropped" in wide.explanation
    wrong = verify(r"\mathbf{y} = A\mathbf{x}", r"\mathbf{x}", r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = -A^\top",
                   variables={"A": (2, 3), "x": (3,)})
    assert wrong.status == "refuted"


def test_verify_text_checks_entry_claims_like_verify():
    from symdiff import verify_text
    text = ("z = W x - y\n"
            "L = \\frac{1}{2}\\|z\\|^2\n"
            "\\frac{\\partial L}{\\partial W_{ij}} = z_i x_j = (W x - y)_j x_i\n"
            "p_i = \\frac{e^{s_i}}{\\sum_k e^{s_k}}\n"
            "\\frac{\\partial p_i}{\\partial s_j} = p_i (\\delta_{ij} - p_j)\n")
    square = {"W": (3, 3), "x": (3,), "y": (3,), "s": (3,)}
    verdicts = verify_text(text, variables=square)
    assert [v.status for v in verdicts] == ["proved", "refuted", "proved"]
    assert [v.position for v in verdicts] == [(3, 36), (3, 46), (5, 35)]
    # the same claims through verify, with the definition as the function
    direct = verify(r"L = \frac{1}{2}\|W x - y\|^2", "W", r"\frac{\partial L}{\partial W_{ij}} = (W x - y)_j x_i",
                    variables=square)
    assert direct.status == "refuted"


def test_a_number_plus_a_vector_and_powers_of_a_vector_are_entrywise():
    h1, h2 = sp.symbols("h_1 h_2", real=True)
    z1, z2 = sp.symbols("z_1 z_2", real=True)
    assert parse_latex(r"1 - \mathbf{h}^2", shapes={"h": (2,)}, index_base=1) == sp.ImmutableMatrix([1 - h1 ** 2, 1 - h2 ** 2])
    assert parse_latex(r"1 - \tanh^2(\mathbf{z})", shapes={"z": (2,)}, index_base=1) == \
        sp.ImmutableMatrix([1 - sp.tanh(z1) ** 2, 1 - sp.tanh(z2) ** 2])
    with pytest.raises(ParseError, match="cannot add a scalar and a matrix"):
        parse_latex(r"A + 1", shapes={"A": ("n", "n")})       # I + A or ones + A: not guessed
    A = sp.MatrixSymbol("A", sp.Symbol("n", integer=True, positive=True), sp.Symbol("n", integer=True, positive=True))
    assert parse_latex(r"A^2", shapes={"A": ("n", "n")}) == sp.MatPow(A, 2)


def test_a_square_jacobian_that_holds_only_transposed_is_undetermined_naming_both_layouts():
    # y = A x with A square: the Jacobian is A (numerator layout); A^T is the denominator-layout
    # spelling of the same derivative, so a claim of A^T is neither right nor wrong until the
    # layout is said.  -A^T is wrong in both layouts.
    A = sp.Matrix(3, 3, lambda i, j: sp.Rational(i * 3 + j + 1, 7) - (1 if i == j else 0))
    x = sp.Matrix(sp.symbols("x1:4", real=True))
    assert (A * x).jacobian(x) == A and A != A.T            # the mathematics the verdicts rest on
    variables = {"A": (3, 3), "x": (3,)}
    lhs = r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = "
    held = verify(r"\mathbf{y} = A\mathbf{x}", r"\mathbf{x}", lhs + "A", variables=variables)
    either = verify(r"\mathbf{y} = A\mathbf{x}", r"\mathbf{x}", lhs + r"A^\top", variables=variables)
    wrong = verify(r"\mathbf{y} = A\mathbf{x}", r"\mathbf{x}", lhs + r"-A^\top", variables=variables)
    assert held.status in ("proved", "consistent")
    assert either.status == "undetermined"
    assert "numerator layout" in either.explanation and "denominator layout" in either.explanation
    assert either.evidence["readings"] == ["numerator layout", "denominator layout"]
    assert wrong.status == "refuted"


def test_a_vector_claim_for_a_square_jacobian_is_its_diagonal():
    # sigma is elementwise: its Jacobian is diag(sigma (1 - sigma)), which the vector claim spells
    shapes = {"W": ("m", "n"), "x": ("n",), "b": ("m",)}
    right = verify(r"\sigma(W x + b)", "b", r"\sigma(Wx+b) \odot (1 - \sigma(Wx+b))", variables=shapes)
    assert right.status == "consistent" and "diag(claim)" in right.read_as
    assert verify(r"\sigma(W x + b)", "b", r"\sigma(Wx+b) \odot \sigma(Wx+b)", variables=shapes).status == "refuted"
    # softmax is not elementwise: the diagonal alone is the classic mistake
    wrong = verify(r"p, \quad p = \operatorname{softmax}(s)", "s", r"p \odot (1-p)", variables={"s": ("n",)})
    assert wrong.status == "refuted" and "dF[1]/ds_2" in wrong.explanation


@pytest.mark.parametrize("sizes", [{"s": ("K",), "y": ("K",)}, {"s": (3,), "y": (3,)}])
def test_a_sum_over_a_vector_defined_in_a_where_clause(sizes):
    # p = softmax(s) gives p_k its range and its value: p is no new variable
    for f in (r"-\sum_{k} y_k \log p_k, \quad p = \operatorname{softmax}(s)",
              r"-\sum_{k} y_k \log p_k, \quad p_k = \frac{e^{s_k}}{\sum_j e^{s_j}}"):
        _softmax_cross_entropy(f, sizes)


def _softmax_cross_entropy(f, sizes):
    right = verify(f, "s", r"p - y", where=["y onehot"], variables=sizes)
    assert right.status in ("proved", "consistent")
    wrong = verify(f, "s", r"y - p", where=["y onehot"], variables=sizes)
    assert wrong.status == "refuted" and "p_1" not in wrong.explanation


def test_identity_matrix_in_claims():
    shapes = {"W": ("m", "n"), "x": ("n",), "b": ("m",)}
    for claim in ("I", r"\mathbf{I}", "I_m"):
        right = verify(r"W x + b", "b", claim, variables=shapes)
        assert right.status == "consistent" and "identity" in right.read_as
    assert verify(r"W x + b", "b", "2I", variables=shapes).status == "refuted"
    # a matrix of another shape than the Jacobian (3 x 2 against 3 x 3) is a shape error, exact
    wrong = verify(r"W x + b", "b", "W", variables=shapes)
    assert wrong.status == "refuted" and "3x2" in wrong.explanation
    ridge = {"X": ("m", "n"), "w": ("n",), "y": ("m",)}
    f = r"\|Xw - y\|^2 + \lambda\|w\|^2"
    assert verify(f, "w", r"2(X^\top X + \lambda I)w - 2X^\top y", variables=ridge).status == "proved"
    assert verify(f, "w", r"2(X^\top X + \lambda I_n)w - X^\top y", variables=ridge).status == "refuted"
