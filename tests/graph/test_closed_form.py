"""symdiff.closed_form: the one substitution of a program's intermediates, against values computed apart."""
import pytest
import sympy as sp

from symdiff.closed_form import closed_form, closed_forms, tree_size
from symdiff.derivations.leibniz import derivative_in_intermediates
from symdiff.errors import ClosedFormTooLarge
from symdiff.latex.lecture import LatexReader
from symdiff.matrix import Broadcast
from symdiff.program import Program, parse_program


x, y, S, G, M, H = sp.symbols("x y S G M H", real=True)


def test_the_lecture_function_in_closed_form_is_sin_over_product(lecture_program):
    program = parse_program(lecture_program)
    assert closed_form(program) == sp.sin(x + y) / (x * y)
    forms = closed_forms(program.assignments)
    assert list(forms) == [S, G, M, H, sp.Symbol("F", real=True)]
    assert forms[H] == 1 / (x * y)


def test_kept_names_stay_names_and_get_no_closed_form(lecture_program):
    program = parse_program(lecture_program)
    assert closed_form(program, keep={G, M}) == G / M
    forms = closed_forms(program.assignments, keep={S})
    assert S not in forms and forms[G] == sp.sin(S)


def test_a_target_is_read_over_the_lines_it_depends_on(lecture_program):
    program = parse_program(lecture_program)
    assert closed_form(program, H) == 1 / (x * y)


def test_the_size_budget_refuses_before_building_and_names_the_target():
    # t_k = t_{k-1} * t_{k-1}: a DAG of 13 lines whose closed forms are trees of 2**(k+2) - 1 nodes
    p = Program()
    prev = p.let("t0", x + y)
    for k in range(1, 13):
        prev = p.let(f"t{k}", sp.Mul(prev, prev, evaluate=False))
    sizes = {}
    for t, e in p.assignments:
        sizes[t] = tree_size(e, sizes)
    assert [sizes[t] for t, _ in p.assignments] == [2 ** (k + 2) - 1 for k in range(13)]
    with pytest.raises(ClosedFormTooLarge) as info:
        closed_forms(p.assignments, max_size=4000)
    assert str(info.value) == "the closed form of t10 would have about 4095 tree nodes (limit 4000)"
    assert closed_forms(p.assignments[:11], max_size=4095)[sp.Symbol("t10", real=True)] == (x + y) ** 1024
    assert closed_forms(p.assignments)[prev] == (x + y) ** 4096


def test_a_matrix_in_sympy_spelling_writes_a_broadcast_as_the_ones_product():
    n, m = sp.symbols("n m", integer=True, positive=True)
    X, b = sp.MatrixSymbol("X", n, m), sp.MatrixSymbol("b", 1, m)
    p = Program(inputs=[X, b])
    B = p.let("B", Broadcast(b, sp.OneMatrix(n, m)))
    Y = p.let("Y", X + B)
    assert closed_form(p, Y) == X + Broadcast(b, sp.OneMatrix(n, m))
    assert closed_form(p, Y, sympy_matrix=True) == X + sp.OneMatrix(n, 1) * b


def test_leibniz_of_a_generic_function_is_sympys_derivative():
    # the derivations' d g / d x of g = phi(x), psi(g): by symdiff's reverse pass, equal to sympy.diff
    phi, psi = sp.Function("phi", real=True), sp.Function("psi", real=True)
    p = Program()
    g = p.let("g", phi(x))
    f = p.let("f", psi(g))
    assert derivative_in_intermediates(p, g, x) == sp.diff(phi(x), x)
    assert derivative_in_intermediates(p, f, g) == sp.diff(psi(g), g)


def test_the_reader_helpers_the_loader_uses():
    reader = LatexReader(shapes={"B": (2, 3)}, variables={"x"}, vector_length={"x": 3})
    assert reader.strip_annotations(r"B_{[2,3]} + w^{[k]}") == "B + w"
    assert [(n.name, n.dims) for n in reader.shape_notes] == [("B", ("2", "3"))]
    assert reader.split_arguments(r"x_1, \ldots, x_n") == ["x_{1}", "x_{2}", "x_{3}"]
    cond = reader.parse_condition(r"0 \le x < 1")
    assert cond == sp.And(sp.Le(0, sp.Symbol("x", real=True)), sp.Lt(sp.Symbol("x", real=True), 1))
