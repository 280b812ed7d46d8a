"""Every entry of the scalar rule table against sympy.diff and finite differences."""
import numpy as np
import pytest
import sympy as sp

import symdiff
from symdiff.functions import leaky_relu, relu, sigmoid, softplus, softsign, to_elementary
from symdiff.rules import SCALAR_RULES

x, y, z = sp.symbols("x y z", real=True)

# (expression, point) — the point keeps away from kinks; one case per table entry.
CASES = {
    "Add": (x + 2 * y - z, (0.3, -1.2, 0.7)),
    "Mul": (3 * x * y, (0.3, -1.2, 0.7)),
    "Mul4": (x * y * z * (x + y) * (y - z), (0.3, -1.2, 0.7)),
    "Pow": (x ** 3 + y ** (-2) + x ** y, (1.3, -1.2, 0.7)),
    "sqrt": (sp.sqrt(x), (1.3, 0.5, 0.7)),
    "exp": (sp.exp(x * y), (0.3, -1.2, 0.7)),
    "log": (sp.log(x), (1.3, -1.2, 0.7)),
    "sin": (sp.sin(x), (0.3, -1.2, 0.7)),
    "cos": (sp.cos(x), (0.3, -1.2, 0.7)),
    "tan": (sp.tan(x), (0.3, -1.2, 0.7)),
    "sinh": (sp.sinh(x), (0.3, -1.2, 0.7)),
    "cosh": (sp.cosh(x), (0.3, -1.2, 0.7)),
    "tanh": (sp.tanh(x), (0.3, -1.2, 0.7)),
    "asin": (sp.asin(x), (0.3, -1.2, 0.7)),
    "acos": (sp.acos(x), (0.3, -1.2, 0.7)),
    "atan": (sp.atan(x), (0.3, -1.2, 0.7)),
    "atan2": (sp.atan2(y, x), (0.3, -1.2, 0.7)),
    "Abs": (sp.Abs(x * y), (0.3, -1.2, 0.7)),
    "sign": (sp.sign(x) * y, (0.3, -1.2, 0.7)),
    "Heaviside": (sp.Heaviside(x) * y, (0.3, -1.2, 0.7)),
    "floor": (sp.floor(x) * y + x, (0.3, -1.2, 0.7)),
    "ceiling": (sp.ceiling(x) * y + x * z, (-1.3, -1.2, 0.7)),
    "frac": (sp.frac(x) * y, (2.3, -1.2, 0.7)),
    "Max": (sp.Max(x, y, z), (0.3, -1.2, 0.7)),
    "Min": (sp.Min(x, y, z), (0.3, -1.2, 0.7)),
    "Piecewise": (sp.Piecewise((x ** 2, x < 0), (sp.sin(x), True)), (0.3, -1.2, 0.7)),
    "sigmoid": (sigmoid(x), (0.3, -1.2, 0.7)),
    "softplus": (softplus(x), (0.3, -1.2, 0.7)),
    "softsign": (softsign(x), (-0.3, -1.2, 0.7)),
    "relu": (relu(x) + relu(y), (0.3, -1.2, 0.7)),
    "leaky_relu": (leaky_relu(x, z) + leaky_relu(y, z), (0.3, -1.2, 0.7)),
    "fdiff(erf)": (sp.erf(x), (0.3, -1.2, 0.7)),
    "fdiff(loggamma)": (sp.loggamma(x), (1.3, -1.2, 0.7)),
    "fdiff(asinh)": (sp.asinh(x), (0.3, -1.2, 0.7)),
}


def test_every_table_entry_has_a_case():
    heads = {h for h in SCALAR_RULES.rules if h is not sp.Function}
    covered = set()
    for expr, _ in CASES.values():
        for node in sp.preorder_traversal(expr):
            covered.add(type(node))
    for head in heads:
        assert any(issubclass(c, head) for c in covered), f"no test case for {head.__name__}"


def _sympy_reference(expr, var):
    """sympy.diff on the elementary form; Abs/sign/Heaviside/Max handled by their a.e. derivatives."""
    # floor/ceiling are locally constant off the integers (frac(x) = x - floor(x))
    expr = to_elementary(expr).replace(sp.frac, lambda a: a - sp.floor(a))
    d = sp.diff(expr, var)
    d = d.replace(lambda e: isinstance(e, sp.Derivative) and isinstance(e.expr, (sp.floor, sp.ceiling)),
                  lambda e: sp.Integer(0))
    return d.replace(sp.DiracDelta, lambda *a: sp.Integer(0))


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule_matches_sympy_diff_at_a_point(name):
    expr, point = CASES[name]
    g = symdiff.gradient(expr, [x, y, z])
    subs = dict(zip((x, y, z), point))
    for var in (x, y, z):
        exact = {v: sp.Float(p, 30) for v, p in subs.items()}   # (evalf(subs=) cannot do floor)
        ours = complex(g[var].xreplace(exact).evalf(30))
        ref = complex(_sympy_reference(expr, var).xreplace(exact).evalf(30))
        assert abs(ours - ref) <= 1e-12 * max(1.0, abs(ref)), (name, var, ours, ref)


@pytest.mark.parametrize("name", sorted(CASES))
def test_compiled_rule_matches_finite_differences(name):
    expr, point = CASES[name]
    g = symdiff.gradient(expr, [x, y, z])
    fn = symdiff.compile(g, [x, y, z])
    value, grads = fn(*point)
    h = 1e-6
    for k in range(3):
        up, down = list(point), list(point)
        up[k] += h
        down[k] -= h
        fd = (fn(*up)[0] - fn(*down)[0]) / (2 * h)
        assert np.isclose(grads[k], fd, rtol=1e-5, atol=1e-7), (name, k, grads[k], fd)


@pytest.mark.parametrize("policy, expected", [
    ("first", [1.0, 0.0, 0.0]),        # discrete arg-max: the first maximal element
    ("average", [0.5, 0.0, 0.5]),      # numeric arg-max: shared among ties
    ("all", [1.0, 0.0, 1.0]),          # mixed: every tie gets dy (overestimates)
])
def test_max_tie_policies_at_a_tie(policy, expected):
    g = symdiff.gradient(sp.Max(x, y, z), [x, y, z], tie_policy=policy)
    fn = symdiff.compile(g, [x, y, z])
    _, grads = fn(2.0, 1.0, 2.0)
    assert np.allclose(grads, expected)


def test_max_policies_agree_without_ties():
    for policy in ("first", "average", "all"):
        g = symdiff.gradient(sp.Max(x, y, z), [x, y, z], tie_policy=policy)
        _, grads = symdiff.compile(g, [x, y, z])(0.1, 3.0, -2.0)
        assert np.allclose(grads, [0.0, 1.0, 0.0])


def test_abs_derivative_is_sign_without_real_assumption():
    u = sp.Symbol("u")  # no real=True
    g = symdiff.gradient(sp.Abs(u), [u])
    assert g[u] == sp.sign(u)


def test_mul_with_a_zero_factor_has_no_division():
    # dx_i = dy * prod_{j != i} x_j also at x_i = 0 (no division by the factor)
    g = symdiff.gradient(x * y * z * (x + 1) * (y + 2), [x, y, z])
    _, grads = symdiff.compile(g, [x, y, z])(0.0, 0.5, 2.0)
    assert np.isclose(grads[0], 0.5 * 2.0 * 1.0 * 2.5)
    assert grads[1] == 0.0


def test_unused_variable_gets_zero_gradient():
    g = symdiff.gradient(sp.sin(x), ["x", "w"])
    assert g["w"] == 0
    value, grads = symdiff.compile(g, ["x", "w"])(np.zeros(4), 1.0)
    assert grads[1].shape == (4,) and not grads[1].any()


def test_an_entry_added_at_run_time_reaches_gradient_and_program_text():
    # the default table is a view of the scalar and matrix tables, not a copy made at import
    from symdiff.primitives import DECLARED, primitive

    class cube(sp.Function):   # no fdiff: only the new entry can differentiate it
        pass

    x = sp.Symbol("x", real=True)
    saved = dict(SCALAR_RULES.rules), dict(SCALAR_RULES.names), dict(DECLARED)
    try:
        primitive(cube, vjp=lambda g, ans, v: g * 3 * v ** 2)
        g = symdiff.gradient(symdiff.Program.from_text("F = cube(x) + x"), [x])
        assert sp.simplify(g.closed_form(x) - (3 * x ** 2 + 1)) == 0
    finally:
        for table, before in zip((SCALAR_RULES.rules, SCALAR_RULES.names, DECLARED), saved):
            table.clear()
            table.update(before)
    with pytest.raises(symdiff.errors.UnknownFunctionError):
        symdiff.Program.from_text("F = cube(x)")
