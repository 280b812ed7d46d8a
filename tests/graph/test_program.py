"""Programs: the three ways to build one, linearization and bad input."""
import sys

import numpy as np
import pytest
import sympy as sp

import symdiff
from symdiff.errors import NoRuleError, ParseError, ProgramError, SymdiffError, UnknownFunctionError
from symdiff.program import Program, parse_expression, parse_program

x, y = sp.symbols("x y", real=True)


def test_program_text_inputs_outputs_and_roundtrip():
    text = "S = x + y\nG = sin(S)  # comment\n\nM = x*y\nH = 1/M\nF = G*H\n"
    p = parse_program(text)
    assert [s.name for s in p.inputs] == ["x", "y"]
    assert p.output.name == "F"
    assert str(parse_program(str(p))) == str(p)
    assert p.op_count() == sum(sp.count_ops(e) for _, e in p.assignments)
    assert all(s.is_real for s in p.inputs)


def test_builder_keeps_intermediates_named():
    p = Program()
    S = p.let("S", x + y)
    G = p.let("G", sp.sin(S))
    p.let("F", G * S)
    assert [str(t) for t in p.targets()] == ["S", "G", "F"]
    g = symdiff.gradient(p, [x, y])
    assert sp.simplify(g[x] - sp.diff(sp.sin(x + y) * (x + y), x)) == 0


def test_expression_dag_shares_structurally_equal_subexpressions():
    shared = sp.sin(x + y)
    expr = shared * shared.diff(x) + sp.exp(shared)
    p = Program.from_expr(expr)
    rhs = [e for _, e in p.assignments]
    assert sum(1 for e in rhs if isinstance(e, sp.Add) and e == x + y) == 1
    assert sum(1 for e in rhs if isinstance(e, sp.sin)) == 1


def test_expression_string_keeps_written_structure():
    g = symdiff.gradient("sin(x+y)/(x*y)", ["x", "y"])
    rhs = [e for _, e in g.forward.assignments]
    assert x * y in rhs  # the product is one node, as in the lecture's graph
    assert sp.simplify(g["x"] - sp.diff(sp.sin(x + y) / (x * y), x)) == 0


def test_floats_in_text_are_exact_decimals():
    assert parse_expression("0.1*x") == sp.Rational(1, 10) * x


def test_declarations_give_assumptions():
    p = parse_program("x: positive\nF = log(x)")
    assert p.inputs[0].is_positive


def test_wrt_accepts_an_intermediate():
    g = symdiff.gradient("S = x + y\nF = S**2", ["S"])
    assert g.in_intermediates("S") == 2 * sp.Symbol("S", real=True)


@pytest.mark.parametrize("text, error, fragment", [
    ("F = foo(x)", UnknownFunctionError, "unknown function 'foo'"),
    ("F = x +", ParseError, "syntax error"),
    ("F = x.real", ParseError, "attribute .real is not allowed"),
    ("F = __import__('os').system('true')", ParseError, "only calls of plain function names"),
    ("F = (lambda: 1)()", ParseError, "only calls of plain function names"),
    ("import os", ParseError, "Import is not allowed"),
    ("F = x if y else 1", ParseError, "IfExp"),
    ("F = 'text'", ParseError, "not a real number"),
    ("F = x\nF = y", ProgramError, "assigned twice"),
    ("A = B + 1\nB = x", ProgramError, "used before its assignment"),
    ("sin = x", ParseError, "cannot be assigned"),
    ("F = x % 2", ParseError, "Mod is not allowed"),
    ("F = sin(x, y=1)", ParseError, "keyword arguments"),
    ("F = 2**10**10", ParseError, "too large"),
    ("F = x/0", ParseError, "division by zero"),
    ("", ProgramError, "no assignments"),
    ("x: matrix\nF = x", ParseError, "unknown declaration"),
])
def test_bad_program_text_raises_clear_errors(text, error, fragment):
    with pytest.raises(error) as info:
        parse_program(text)
    assert fragment in str(info.value)
    assert isinstance(info.value, SymdiffError)


def test_error_names_the_line():
    with pytest.raises(ParseError, match="line 3"):
        parse_program("A = x\nB = A*2\nC = cos(B) ^ 2")


def test_output_never_assigned():
    with pytest.raises(ProgramError, match="never assigned"):
        parse_program("A = x", output="F")
    with pytest.raises(ProgramError, match="never assigned"):
        Program().set_output("F")


def test_primitive_without_rule_names_the_node():
    f = sp.Function("f")
    with pytest.raises(NoRuleError, match="f"):
        symdiff.gradient(f(x) + x, [x])


def test_nothing_is_executed(tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    with pytest.raises(SymdiffError):
        symdiff.gradient(f"open('{marker}', 'w')", ["x"])
    assert not marker.exists()


def test_ten_thousand_node_chain_has_no_recursion_error():
    lines = ["a0 = x"] + [f"a{i} = sin(a{i - 1}) + x" for i in range(1, 10_001)]
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)  # the default; must not matter
    try:
        g = symdiff.gradient("\n".join(lines), ["x"])
    finally:
        sys.setrecursionlimit(old)
    fn = symdiff.compile(g, ["x"])
    v, (d,) = fn(0.3)
    h = 1e-6
    fd = (fn(0.3 + h)[0] - fn(0.3 - h)[0]) / (2 * h)
    assert np.isclose(d, fd, rtol=1e-5)
    with pytest.raises(symdiff.ClosedFormTooLarge):
        g["x"]


def test_deep_sympy_expression_is_linearized_iteratively():
    expr = x
    for _ in range(3000):
        expr = sp.sin(expr, evaluate=False)  # SymPy itself recurses when evaluating
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        g = symdiff.gradient(expr, [x])
    finally:
        sys.setrecursionlimit(old)
    assert len(g.forward) == 3000
    value, (d,) = symdiff.compile(g, [x])(0.5)
    v, expected = 0.5, 1.0  # chain rule by hand: d sin^n(x) = prod cos(iterates)
    for _ in range(3000):
        v, expected = np.sin(v), expected * np.cos(v)
    assert np.isclose(value, v) and np.isclose(d, expected)


def test_piecewise_with_a_bare_symbol_branch_is_differentiated_like_sympy():
    # a branch that is the variable itself is a leaf, not a node to rebuild (the leaky ReLU of notes)
    x = sp.Symbol("x", real=True)
    f = sp.Piecewise((x, x > 0), (x / 100, True))
    g = symdiff.gradient(f, [x])
    for point in (sp.Rational(3, 2), sp.Rational(-7, 3)):
        assert sp.simplify(g[x].subs(x, point) - sp.diff(f, x).subs(x, point)) == 0
