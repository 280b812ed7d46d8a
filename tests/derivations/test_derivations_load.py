"""The derivation file format: what it reads, and the errors it gives (file and claim named)."""
from __future__ import annotations

import textwrap

import pytest
import sympy as sp

from symdiff.latex.lecture import LatexReader, instantiate, split_chain
from symdiff.derivations.load import DerivationError, find_derivation_files, load_derivation
from symdiff.errors import ParseError, SymdiffError


def write(tmp_path, text, name="d.toml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


HEADER = '''
title = "t"
source = "s"
'''


def load(tmp_path, text):
    return load_derivation(write(tmp_path, HEADER + textwrap.dedent(text)))


def test_a_scalar_derivation_is_read(tmp_path):
    d = load(tmp_path, r"""
        [variables]
        x = {}
        y = { domain = "y > 0" }

        [function]
        latex = '''F = \frac{\sin(x+y)}{x \cdot y}'''
        program = '''
        S = x + y
        G = sin(S)
        M = x*y
        H = 1/M
        F = G*H
        '''

        [[claims]]
        id = "dF-dx"
        wrt = "x"
        claim = '''\cos(S) \cdot H - y \cdot \frac{G}{M^2} = \frac{\cos(x+y)}{x y} - y \frac{\sin(x+y)}{(x y)^2}'''
        expect = "holds"
        """)
    x, y, S, H, G, M = sp.symbols("x y S H G M", real=True)
    assert d.title == "t" and d.function.name == "F"
    assert d.function.expr == sp.sin(x + y) / (x * y)
    claim = d.claims[0]
    assert claim.kind == "derivative" and claim.expect == "holds"
    first, second = claim.instances[0].members
    assert first == sp.cos(S) * H - y * G / M ** 2
    assert sp.simplify(second - (sp.cos(x + y) / (x * y) - y * sp.sin(x + y) / (x * y) ** 2)) == 0
    assert d.conditions == [sp.Gt(y, 0)]


def test_indices_instantiate_claims_and_wrt(tmp_path):
    d = load(tmp_path, r"""
        [variables]
        x = { shape = [3] }

        [function]
        latex = 'y = \prod_i x_i'

        [[claims]]
        id = "dx_i"
        kind = "adjoint"
        wrt = "x_i"
        indices = { i = [1, 2, 3] }
        claim = 'dy \cdot \prod_{j \neq i} x_j'
        expect = "holds"
        """)
    x1, x2, x3, dy = sp.symbols("x_1 x_2 x_3 dy", real=True)
    insts = d.claims[0].instances
    assert [i.wrt for i in insts] == [[x1], [x2], [x3]]
    assert [i.members[0] for i in insts] == [dy * x2 * x3, dy * x1 * x3, dy * x1 * x2]
    assert [i.label for i in insts] == ["i = 1", "i = 2", "i = 3"]


def test_matrix_shapes_structures_and_annotations(tmp_path):
    d = load(tmp_path, r"""
        [variables]
        A = { shape = ["n", "m"] }
        B = { shape = ["m", "k"] }
        P = { shape = ["n", "n"], structure = "spd" }

        [function]
        program = "C = A @ B"

        [[claims]]
        id = "dA"
        kind = "adjoint"
        wrt = "A"
        claim = 'dC_{[n,k]} \cdot B_{[k,m]}^{\top}'
        expect = "holds"
        """)
    n, m, k = sp.symbols("n m k", integer=True, positive=True)
    A, B, dC = sp.MatrixSymbol("A", n, m), sp.MatrixSymbol("B", m, k), sp.MatrixSymbol("dC", n, k)
    claim = d.claims[0]
    assert claim.is_matrix
    assert claim.instances[0].wrt == [A]
    assert claim.instances[0].members[0] == dC * B.T
    assert d.matrix_structure == {"P": "spd"}


def test_find_files_recurses_and_sorts(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/b/2.toml", "a/1.toml", "a/notes.txt"):
        (tmp_path / name).write_text("")
    files = find_derivation_files([tmp_path / "a", tmp_path / "a" / "1.toml"])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a/1.toml", "a/b/2.toml"]
    with pytest.raises(DerivationError, match="no such file"):
        find_derivation_files([tmp_path / "missing"])


CLAIM_TAIL = '''
[[claims]]
id = "c1"
wrt = "x"
claim = '2 x'
expect = "holds"
'''


@pytest.mark.parametrize("text, message", [
    ('title = "x\n', "malformed TOML"),
    (HEADER + "[variables]\nx = {}\n[function]\nlatex = 'F = x^2'\n" + CLAIM_TAIL.replace("2 x", "2 x + z"),
     "claim 'c1'.*undeclared variable 'z'"),
    (HEADER + "[variables]\nx = {}\n[function]\nlatex = 'F = x^2'\n" + CLAIM_TAIL.replace("expect", "expected"),
     "claim 'c1'.*unknown key.*expected"),
    (HEADER + "[variables]\nx = {}\n[function]\nlatex = 'F = x^2'\n" + CLAIM_TAIL.replace('"holds"', '"true"'),
     "claim 'c1'.*expect must be"),
    (HEADER + "[variables]\nx = {}\n[function]\nlatex = 'F = x^2'\n" + CLAIM_TAIL + CLAIM_TAIL,
     "'c1' is used twice"),
    (HEADER + "[variables]\nx = {}\n[function]\nprogram = 'F = x*y'\n" + CLAIM_TAIL,
     r"\[function\] program: undeclared variable\(s\) y"),
    (HEADER + "[variables]\nx = { shape = [3] }\n[function]\nlatex = 'F = \\langle x, x \\rangle'\n"
     + CLAIM_TAIL.replace("2 x", "2"),
     "claim 'c1'.*the claim is a scalar, but the derivative with respect to x is a vector of 3"),
    (HEADER + '[variables]\nA = { shape = ["n", "m"] }\nB = { shape = ["m", "k"] }\n[function]\nprogram = "C = A @ B"\n'
     '[[claims]]\nid = "dA"\nkind = "adjoint"\nwrt = "A"\nclaim = \'(dC B^T)^T\'\nexpect = "holds"\n',
     "claim 'dA'.*m x n matrix, but the adjoint with respect to A is a n x m matrix"),
    (HEADER + '[variables]\nA = { shape = ["n", "m"] }\nB = { shape = ["m", "k"] }\n[function]\nprogram = "C = A @ B"\n'
     '[[claims]]\nid = "dA"\nkind = "adjoint"\nwrt = "A"\nclaim = \'dC_{[n,k]} B_{[m,k]}^T\'\nexpect = "holds"\n',
     r"claim 'dA'.*annotation B_\[m,k\] does not match"),
    (HEADER + '[variables]\nx = { structure = "spd" }\n' + CLAIM_TAIL, "structure 'spd' does not apply to a scalar"),
    (HEADER + "[variables]\nx = {}\n" + CLAIM_TAIL, "claim 'c1'.*needs a \\[function\\]"),
    (HEADER + "[variables]\nx = {}\n[function]\nlatex = 'F = x^2'\n", r"no \[\[claims\]\]"),
    ('source = "s"\n' + CLAIM_TAIL, "missing 'title'"),
    (HEADER + "colour = 1\n" + CLAIM_TAIL, "unknown key\\(s\\) colour"),
    (HEADER + "[variables]\nx = {}\n[function]\nlatex = 'F = x^2'\n"
     '[[claims]]\nid = "s"\nkind = "step"\nwrt = "x"\nclaim = "x - 2 x"\nexpect = "holds"\n', "needs rate"),
    (HEADER + "[variables]\nx = {}\n[function]\nlatex = 'F = x^2'\n"
     '[[claims]]\nid = "d"\nkind = "definition"\nexpect = "holds"\n', "both are needed"),
    (HEADER + "[variables]\nx = {}\n[function]\nlatex = 'F = x^2'\n" + CLAIM_TAIL.replace("2 x", r"\frac{2 x"),
     "claim 'c1'"),
])
def test_bad_files_name_the_file_and_the_claim(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(DerivationError, match=message) as info:
        load_derivation(path)
    assert str(path) in str(info.value)
    assert isinstance(info.value, SymdiffError)


def test_matrix_claims_refuse_where(tmp_path):
    with pytest.raises(DerivationError, match="where is not supported for matrix claims"):
        load(tmp_path, r"""
            [variables]
            X = { shape = ["n", "n"] }
            [function]
            program = "Y = X.T"
            [[claims]]
            id = "dX"
            kind = "adjoint"
            wrt = "X"
            claim = 'dY^T'
            where = ["n > 1"]
            expect = "holds"
            """)


# --- the notation layer -------------------------------------------------------------

def reader(**kw):
    kw.setdefault("variables", {"x", "a", "alpha", "c", "u", "v", "dy"})
    from symdiff.derivations.registry import LOGIC_HELPERS
    kw.setdefault("functions", dict(LOGIC_HELPERS))
    return LatexReader(**kw)


def test_split_chain_only_at_top_level():
    assert split_chain(r"a = b_{i=1} = [x = y] = \begin{cases} 1 & x = 0 \end{cases}") == \
        ["a", "b_{i=1}", "[x = y]", r"\begin{cases} 1 & x = 0 \end{cases}"]
    with pytest.raises(ParseError):
        split_chain("a = = b")


def test_instantiate_replaces_free_indices_only():
    assert instantiate(r"\operatorname{sign}(x_i) + y_{i,j} + I[i = j] + \sin x", {"i": 2, "j": 3}) == \
        r"\operatorname{sign}(x_2) + y_{2,3} + I[2 = 3] + \sin x"


def test_cases_iverson_and_logic():
    x, a, alpha, u, v = sp.symbols("x a alpha u v", real=True)
    r = reader()
    pw = r.parse_one(r"\begin{cases} \alpha x, & x < 0 \\ x, & x \ge 0 \end{cases}")
    assert pw.subs(x, -2) == -2 * alpha and pw.subs(x, 3) == 3
    assert r.parse_one("[u + v - 3/2 > 0]").subs({u: 1, v: 1}) == 1
    assert r.parse_one("[u + v - 3/2 > 0]").subs({u: 1, v: 0}) == 0
    xor = r.parse_one(r"u \oplus v")
    table = {(p, q): xor.subs({u: p, v: q}) for p in (0, 1) for q in (0, 1)}
    assert table == {(0, 0): 0, (0, 1): 1, (1, 0): 1, (1, 1): 0}
    assert r.parse_one(r"\neg u").subs(u, 0) == 1


def test_norms_and_excluded_products_of_vectors():
    r = reader(shapes={"g": (3,), "x": (3,)}, vector_length={"g": 3, "x": 3})
    g1, g2, g3, x1, x3, dy = sp.symbols("g_1 g_2 g_3 x_1 x_3 dy", real=True)
    assert r.parse_one(r"||g||") == sp.sqrt(g1 ** 2 + g2 ** 2 + g3 ** 2)
    assert r.parse_one(r"\|g\|") == r.parse_one(r"\left\| g \right\|")
    assert r.parse_one(r"dy \prod_{j \neq 2} x_j") == dy * x1 * x3


def test_unknown_environment_is_a_parse_error():
    with pytest.raises(ParseError, match="only cases"):
        reader().parse_one(r"\begin{matrix} 1 \end{matrix}")
