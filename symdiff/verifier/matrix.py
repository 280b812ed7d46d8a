"""Checking claims about matrix derivatives (the lecture's matrix formulas).

A claim such as ``dA = dC B^T`` (an adjoint of the product C = AB) is checked
here against the matrix gradient ``symdiff.gradient`` computes at matrix
level.  ``symdiff.verify`` sends a matrix ``wrt`` here (see ``check.py``), and
the derivations library (``symdiff.derivations``) its matrix claims:

1. *Structure*: claim minus reference, with transposes of inverses moved
   inside, expanded.  ``0`` is a proof for every size (SymPy's matrix
   algebra does not commute factors, so it only cancels what cancels).
2. *Exact numbers*: for several seeds, every symbolic size gets a small
   integer (distinct sizes for distinct names where possible, so a transposed
   factor shows) and every matrix an exact rational value respecting its
   structure (``spd``, ``symmetric``, ``upper``, ``invertible``,
   ``permutation``, ``orthogonal``); both sides are evaluated exactly (or with 60 digits where
   they are irrational, re-checked with 120) and compared entry by entry.  A
   difference refutes the claim with those matrices as the counterexample.
3. *Scalar expansion*: every matrix becomes an explicit matrix of symbols at
   size 2 (then with distinct sizes 2, 3, ...) and each entry of the
   difference is simplified under the time budget.  At symbolic sizes this is
   evidence (the claim holds at the sizes tried), so the verdict is
   'consistent'; when every size is fixed by the derivation it is a proof.

For a variable with symmetric structure (``symmetric``, ``spd``) a gradient is
only determined up to its antisymmetric part: the claim is right when its
symmetric part equals the reference's, and that is what is compared.

Soundness: every structure is sampled by construction (an orthogonal matrix is
an exact Cayley transform times a signed permutation), so a refutation is a
point of the domain.  Stages 1 and 3 only use facts that hold for *every*
matrix of the structure: an ``orthogonal`` or ``invertible`` variable is
written out as a general matrix, so a difference that is zero only because
``Q^T Q = I`` stays non-zero there and the claim stays 'consistent', never
'proved' and never refuted by that stage.

Optional inputs (``symdiff.verify`` uses them, the derivations do not):
``scalar_sampler`` draws the scalar variables from a domain (conditions,
assumptions), ``guard`` is the function itself, whose value must be real and
defined at a sampled point for the point to count.
"""
from __future__ import annotations

import itertools
import time

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..budget import run_with_budget
from ..errors import BudgetExceeded, SymdiffError
from ..matrix import Cholesky
from .matrix_probes import (certainly_different, entry_probes, entry_probes_text, entry_switches, not_polynomial,
                            on_an_entry_switch, probes_text, switch_arguments)
from .verdict import CLAIM_AND_DERIVATIVE, Roles, Verdict

__all__ = ["check_matrix_claim", "compare_exactly", "N_SEEDS", "STRUCTURES", "structurally_equal", "sample_structure"]

# structures the sampler draws by construction
STRUCTURES = ("general", "invertible", "symmetric", "spd", "upper", "permutation", "orthogonal")

N_SEEDS = 6
_SIZES = (2, 3, 4)
_VALUED_SIZES = (1, 5)
_MAX_RESAMPLE = 20


def compare_exactly(a, b):
    """Exact comparison of two values: True, False, or None (undefined / not real / undecided).

    Rationals are compared exactly; other numbers with 60 digits, and a
    disagreement must persist at 120 digits to count.
    """
    if (a - b) == 0:
        return True
    d = a - b
    if d.has(sp.nan, sp.zoo) or a.has(sp.nan, sp.zoo) or b.has(sp.nan, sp.zoo):
        return None
    if d.is_Rational:
        return d == 0
    if d.free_symbols:
        return None
    v60 = sp.N(d, 60)
    if not v60.is_number or v60.has(sp.I) or not v60.is_real:
        return None
    if abs(v60) < sp.Float("1e-45", 60):
        return True
    v120 = sp.N(d, 120)
    # a genuine difference does not change with the precision
    return False if abs(v120 - v60) <= abs(v120) * sp.Float("1e-3", 60) else None


def _canonical(expr):
    e = expr.doit()
    e = e.replace(lambda x: isinstance(x, sp.Transpose) and isinstance(x.arg, sp.Inverse),
                  lambda x: sp.Inverse(sp.Transpose(x.arg.arg)))
    e = e.doit()
    try:
        e = sp.expand(e)
    except Exception:  # expanding some matrix nodes is not implemented
        pass
    return e


def _is_zero(expr) -> bool:
    return isinstance(expr, sp.ZeroMatrix) or expr == 0 or (isinstance(expr, sp.MatrixBase) and expr.is_zero_matrix)


def structurally_equal(claim, reference) -> bool:
    try:
        diff = (_canonical(claim) - _canonical(reference)).doit()
        return _is_zero(diff) or _is_zero(_canonical(diff))
    except Exception:
        return False


def _sym(e):
    return (e + e.T) / 2


def _dims(*exprs) -> list:
    found = set()
    for e in exprs:
        shapes = [m.shape for m in e.atoms(sp.MatrixSymbol)]
        if isinstance(e, MatrixExpr):   # ZeroMatrix(n, n) has a size but no MatrixSymbol
            shapes.append(e.shape)
        for shape in shapes:
            for d in shape:
                found |= {s for s in sp.sympify(d).free_symbols}
    return sorted(found, key=lambda s: s.name)


def _matrices(*exprs) -> list:
    found = {}
    for e in exprs:
        for m in e.atoms(sp.MatrixSymbol):
            found[(m.name, m.shape)] = m
    return sorted(found.values(), key=lambda m: m.name)


def _scalars(*exprs) -> list:
    found = set()
    for e in exprs:
        found |= {s for s in e.free_symbols if isinstance(s, sp.Symbol) and not s.is_integer}
    return sorted(found, key=lambda s: s.name)


def _rational(rng) -> sp.Rational:
    return sp.Rational(int(rng.integers(-20, 21)), int(rng.choice((1, 2, 4, 5))))


def _sample(structure: str | None, rows: int, cols: int, rng) -> sp.ImmutableMatrix:
    if structure == "permutation":
        # one cycle through every index (relabelled at random): for 3 or more entries it is not its
        # own inverse, so a claim confusing pi with pi^{-1} (or pi^T with pi) shows at every sample
        order = [int(k) for k in rng.permutation(rows)]
        perm = [0] * rows
        for a, b in zip(order, order[1:] + order[:1]):
            perm[a] = b
        return sp.ImmutableMatrix(rows, rows, lambda i, j: 1 if perm[i] == j else 0)
    if structure == "orthogonal":
        return _orthogonal(rows, rng)
    if structure == "spd":
        B = sp.Matrix(rows, rows, lambda i, j: int(rng.integers(-3, 4)))
        return sp.ImmutableMatrix(B * B.T + rows * sp.eye(rows))
    if structure == "symmetric":
        B = sp.Matrix(rows, rows, lambda i, j: _rational(rng))
        return sp.ImmutableMatrix(B + B.T)
    if structure == "upper":
        return sp.ImmutableMatrix(rows, cols, lambda i, j: (int(rng.integers(1, 6)) if i == j else
                                                             (_rational(rng) if i < j else 0)))
    M = sp.ImmutableMatrix(rows, cols, lambda i, j: _rational(rng))
    if structure == "invertible":
        for _ in range(_MAX_RESAMPLE):
            if M.det() != 0:
                break
            M = sp.ImmutableMatrix(rows, cols, lambda i, j: _rational(rng))
    return M


def _orthogonal(n: int, rng) -> sp.ImmutableMatrix:
    """An exact rational orthogonal matrix: the Cayley transform (I - K)(I + K)^{-1} of a random
    skew-symmetric K (I + K is always invertible), times a random signed permutation (the Cayley
    transform alone has determinant 1 and never the eigenvalue -1)."""
    K = sp.zeros(n, n)
    for i in range(n):
        for j in range(i + 1, n):
            v = sp.Rational(int(rng.integers(-4, 5)), int(rng.choice((1, 2))))
            K[i, j], K[j, i] = v, -v
    eye = sp.eye(n)
    Q = (eye - K) * (eye + K).inv()
    order = [int(k) for k in rng.permutation(n)]
    P = sp.zeros(n, n)
    for i, j in enumerate(order):
        P[i, j] = int(rng.choice((-1, 1)))
    return sp.ImmutableMatrix(Q * P)


def sample_structure(structure: str | None, rows: int, cols: int, seed: int = 0) -> sp.ImmutableMatrix:
    """One exact matrix of the structure, as the checker samples it (for tests and examples)."""
    if structure not in (None,) + STRUCTURES:
        raise SymdiffError(f"unknown matrix structure {structure!r}; known: {', '.join(STRUCTURES)}")
    return _sample(None if structure == "general" else structure, rows, cols, np.random.default_rng(seed))


def _not_real(v) -> bool:
    """Whether a value of the function itself is clearly not a finite real number (complex, undefined)."""
    if v.is_Rational:
        return False
    if v.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return True
    if v.free_symbols:
        return False
    n = sp.N(v, 30)
    return n.has(sp.nan, sp.zoo) or n.is_real is False


def _guard_fails(guard, values) -> bool:
    """The function is not real (or undefined) at these values; a guard that cannot be evaluated
    does not skip the point (the two sides are compared as usual)."""
    try:
        gv = _evaluate(guard, {}, values)
    except (ValueError, ZeroDivisionError, ArithmeticError, sp.matrices.exceptions.NonInvertibleMatrixError):
        return True
    except Exception:  # noqa: BLE001 - a node SymPy cannot evaluate explicitly
        return False
    return any(_not_real(v) for v in gv)


_NOT_EVALUABLE = (ValueError, ZeroDivisionError, ArithmeticError, TypeError, SymdiffError, IndexError,
                  sp.matrices.exceptions.NonInvertibleMatrixError)


def _both_sides(c_sized, r_sized, values: dict, symmetric: bool):
    """The claim and the reference at ``values`` (symmetrized for a symmetric variable's gradient)."""
    cv = _evaluate(c_sized, {}, values)
    rv = _evaluate(r_sized, {}, values)
    if symmetric:
        cv, rv = (cv + cv.T) / 2, (rv + rv.T) / 2
    return cv, rv


def _evaluate(expr, dims: dict, values: dict):
    e = expr.xreplace(dims)
    if isinstance(e, MatrixExpr):
        e = e.xreplace(values)
        out = e.doit()
        if isinstance(out, MatrixExpr) and not isinstance(out, sp.MatrixBase):
            out = out.as_explicit()
        # a matrix node inside a scalar coefficient (4 sum(x∘x) x) is left by the outer doit
        return sp.ImmutableMatrix(out).applyfunc(lambda v: v.doit() if v.has(MatrixExpr) else v)
    return sp.ImmutableMatrix([[e.xreplace(values).doit()]])


def _as_lists(M) -> list:
    out = []
    for i in range(M.rows):
        row = []
        for j in range(M.cols):
            v = M[i, j]
            try:
                f = float(v)
                row.append(int(f) if f == int(f) and abs(f) < 1e15 else float(f"{f:.6g}"))
            except (TypeError, ValueError):
                row.append(str(v))
        out.append(row)
    return out


def _size_schedule(dims: list, fixed: dict, seed: int, capped: bool, valued=()) -> list[dict]:
    """Sizes for each seed; a size in ``valued`` (one the values depend on as a number: ``n X``,
    ``tr(I_n)``) also takes the sizes ``_VALUED_SIZES``, so a term such as ``(n-2)(n-3)(n-4) X``, zero at
    2, 3 and 4 only, shows."""
    schedules = []
    sizes = _SIZES[:2] if capped else _SIZES
    for k in range(N_SEEDS):
        assignment = {}
        for idx, d in enumerate(dims):
            if d in fixed:
                assignment[d] = fixed[d]
            else:
                assignment[d] = sp.Integer(sizes[(k + idx + seed) % len(sizes)])
        schedules.append(assignment)
    for d in valued:
        if d in fixed or capped:
            continue
        for v in _VALUED_SIZES:
            schedules.append({**schedules[0], d: sp.Integer(v)})
    return schedules


def _valued_sizes(dims: list, *exprs) -> list:
    """The sizes that occur in the values of ``exprs``, not only in the shapes of their matrices."""
    found = set()
    stack = [e for e in exprs if e is not None]
    while stack:
        node = stack.pop()
        if isinstance(node, sp.MatrixBase):
            stack.extend(node)
        elif isinstance(node, sp.Symbol):
            found.add(node)
        elif isinstance(node, sp.Basic) and not isinstance(node, (sp.MatrixSymbol, sp.ZeroMatrix)):
            stack.extend(node.args)   # (an identity or ones matrix counts: tr(I_n) = n)
    return [d for d in dims if d in found]


def _numeric(claim, reference, structures: dict, fixed: dict, seed: int, deadline: float, symmetric: bool,
             scalar_sampler=None, guard=None, scalar_probes=None):
    """Exact comparison at random matrices; returns a dict (status, points, counterexample...).
    ``scalar_probes``: points of the scalar variables compared (certified) after the random ones."""
    # the function (guard) may hold matrices the claim and its reference do not (d/dc of |Xw - y|^2 + c^2)
    dims = _dims(claim, reference, *((guard,) if guard is not None else ()))
    capped = claim.has(Cholesky) or reference.has(Cholesky)
    rng = np.random.default_rng(seed)
    used, failed = 0, 0
    sizes_seen = []
    for assignment in _size_schedule(dims, fixed, seed, capped, _valued_sizes(dims, claim, reference, guard)):
        if time.monotonic() > deadline:
            break
        try:
            c_sized = claim.xreplace(assignment)
            r_sized = reference.xreplace(assignment)
            g_sized = guard.xreplace(assignment) if guard is not None else None
        except (IndexError, ValueError):   # an entry beyond these sizes (X[0, 1] at n = 1): not a point
            continue
        extra = (g_sized,) if g_sized is not None else ()
        mats = _matrices(c_sized, r_sized, *extra)
        if scalar_sampler is None:
            scalars = _scalars(c_sized, r_sized)
        else:
            scalars = sorted({s for e in (c_sized, r_sized) + extra for s in e.free_symbols
                              if isinstance(s, sp.Symbol)}, key=lambda s: s.name)
        for attempt in range(_MAX_RESAMPLE):
            values = {}
            for m in mats:
                values[m] = _sample(structures.get(m.name), int(m.shape[0]), int(m.shape[1]), rng)
            if scalar_sampler is None:
                for s in scalars:
                    values[s] = _rational(rng)
            elif scalars:
                drawn = scalar_sampler(rng, attempt)
                if drawn is None or any(s.name not in drawn for s in scalars):
                    failed += 1
                    continue
                for s in scalars:
                    values[s] = drawn[s.name]
            if g_sized is not None and _guard_fails(g_sized, values):
                failed += 1   # the function is not real or not defined here: no derivative to compare
                continue
            try:
                cv, rv = _both_sides(c_sized, r_sized, values, symmetric)
            except _NOT_EVALUABLE:
                failed += 1
                continue
            if cv.shape != rv.shape:
                raise SymdiffError(f"the claim evaluates to shape {cv.shape}, the reference to {rv.shape}")
            verdicts = [compare_exactly(cv[i, j], rv[i, j]) for i in range(cv.rows) for j in range(cv.cols)]
            if any(v is None for v in verdicts):
                failed += 1
                continue
            if not all(verdicts):
                k = verdicts.index(False)
                entry = (k // cv.cols + 1, k % cv.cols + 1)
                point = {m.name: _as_lists(v) for m, v in values.items() if isinstance(m, sp.MatrixSymbol)}
                point.update({s.name: float(v) for s, v in values.items() if isinstance(s, sp.Symbol)})
                return {"status": "refuted", "points": used + 1,
                        "sizes": {d.name: int(v) for d, v in assignment.items()},
                        "point": point, "claimed": _as_lists(cv), "actual": _as_lists(rv), "entry": entry,
                        "exact": {m.name: sp.sstr(v) for m, v in values.items()}}
            used += 1
            sizes_seen.append({d.name: int(v) for d, v in assignment.items()})
            break
    result = {"status": "agree" if used else "none", "points": used, "failed": failed, "sizes": sizes_seen}
    if used and scalar_probes:
        probed = _probe(claim, reference, structures, fixed, seed, deadline, symmetric, guard, scalar_probes,
                        _size_schedule(dims, fixed, seed, capped)[0], rng)
        if probed.get("status") == "refuted":
            probed["points"] += used
            return probed
        result.update(probed)
    if used and time.monotonic() < deadline and not_polynomial((claim, reference, guard)):
        try:
            probed = _probe_entries(claim, reference, structures, fixed, seed, deadline, symmetric, guard,
                                    _size_schedule(dims, fixed, seed, capped)[0], rng, scalar_sampler)
        except (ValueError, TypeError, AttributeError, IndexError, ZeroDivisionError):
            probed = {}   # an entry SymPy cannot place or evaluate: no probe, not a verdict
        if probed.get("status") == "refuted":
            probed["points"] += used
            return probed
        result.update(probed)
    return result


def _probe_entries(claim, reference, structures, fixed, seed, deadline, symmetric, guard, assignment, rng,
                   scalar_sampler) -> dict:
    """The claim at matrices with an entry on either side of each switch of an entry, and scaled by +-10**k
    (``matrix_probes.entry_probes``): a difference refutes only when certified nonzero."""
    c_sized, r_sized = claim.xreplace(assignment), reference.xreplace(assignment)
    g_sized = guard.xreplace(assignment) if guard is not None else None
    extra = (g_sized,) if g_sized is not None else ()
    mats = _matrices(c_sized, r_sized, *extra)
    if not mats:
        return {}
    scalars = sorted({s for e in (c_sized, r_sized) + extra for s in e.free_symbols if isinstance(s, sp.Symbol)},
                     key=lambda s: s.name)
    switches = entry_switches((c_sized, r_sized) + extra)
    sizes = {d.name: int(v) for d, v in assignment.items()}
    used = 0
    for values in entry_probes(mats, structures, _sample, rng, switches):
        if time.monotonic() > deadline:
            break
        if scalars:
            drawn = scalar_sampler(rng, 0) if scalar_sampler is not None else {s.name: _rational(rng) for s in scalars}
            if drawn is None or any(s.name not in drawn for s in scalars):
                continue
            values = {**values, **{s: drawn[s.name] for s in scalars}}
        if on_an_entry_switch(switches, values) or (g_sized is not None and _guard_fails(g_sized, values)):
            continue
        try:
            refuted = _certified_refutation(c_sized, r_sized, values, symmetric, sizes, used + 1)
        except _NOT_EVALUABLE:
            continue
        if refuted is not None:
            return refuted
        used += 1
    return {"entry_probes": used, "entry_switches": len(switches)}


def _certified_refutation(c_sized, r_sized, values: dict, symmetric: bool, sizes: dict, points: int):
    """The refutation at ``values`` if an entry of claim and reference certainly differs, else None."""
    cv, rv = _both_sides(c_sized, r_sized, values, symmetric)
    for k in range(cv.rows * cv.cols):
        i, j = k // cv.cols, k % cv.cols
        if certainly_different(cv[i, j], rv[i, j]):
            where = {m.name: _as_lists(v) for m, v in values.items() if isinstance(m, sp.MatrixSymbol)}
            where.update({s.name: float(v) for s, v in values.items() if isinstance(s, sp.Symbol)})
            return {"status": "refuted", "points": points, "sizes": sizes, "point": where,
                    "claimed": _as_lists(cv), "actual": _as_lists(rv), "entry": (i + 1, j + 1),
                    "exact": {m.name: sp.sstr(v) for m, v in values.items()}, "certified": True,
                    "values": (sp.sstr(cv[i, j]), sp.sstr(rv[i, j]))}
    return None


def _probe(claim, reference, structures, fixed, seed, deadline, symmetric, guard, points, assignment, rng) -> dict:
    """The claim at chosen points of its scalar variables (next to switches, at large and tiny magnitudes),
    random exact matrices at the first sizes: a difference refutes only when certified nonzero."""
    c_sized, r_sized = claim.xreplace(assignment), reference.xreplace(assignment)
    g_sized = guard.xreplace(assignment) if guard is not None else None
    extra = (g_sized,) if g_sized is not None else ()
    mats = _matrices(c_sized, r_sized, *extra)
    scalars = sorted({s for e in (c_sized, r_sized) + extra for s in e.free_symbols if isinstance(s, sp.Symbol)},
                     key=lambda s: s.name)
    sizes = {d.name: int(v) for d, v in assignment.items()}
    used = 0
    for point in points:
        if time.monotonic() > deadline:
            break
        if any(s.name not in point for s in scalars):
            continue
        values = {m: _sample(structures.get(m.name), int(m.shape[0]), int(m.shape[1]), rng) for m in mats}
        values.update({s: point[s.name] for s in scalars})
        if g_sized is not None and _guard_fails(g_sized, values):
            continue
        try:
            refuted = _certified_refutation(c_sized, r_sized, values, symmetric, sizes, used + 1)
        except _NOT_EVALUABLE:
            continue
        if refuted is not None:
            return refuted
        used += 1
    return {"probes": used, "probe_names": [s.name for s in scalars], "probe_sizes": sizes,
            "probe_switches": bool(switch_arguments((claim, reference, guard)))}


def _explicit_symbols(m: sp.MatrixSymbol, structure: str | None):
    r, c = int(m.shape[0]), int(m.shape[1])

    def s(i, j):
        return sp.Symbol(f"{m.name}_{i + 1}{j + 1}", real=True)

    if structure in ("symmetric", "spd"):
        return sp.ImmutableMatrix(r, c, lambda i, j: s(min(i, j), max(i, j)))
    if structure == "upper":
        return sp.ImmutableMatrix(r, c, lambda i, j: s(i, j) if i <= j else 0)
    return sp.ImmutableMatrix(r, c, lambda i, j: s(i, j))


def _expansion_zero(claim, reference, structures: dict, assignment: dict, symmetric: bool) -> bool:
    """Every entry of the difference at these sizes simplifies to 0 (run in a child process)."""
    c_sized = claim.xreplace(assignment)
    r_sized = reference.xreplace(assignment)
    mats = _matrices(c_sized, r_sized)
    perm_mats = [m for m in mats if structures.get(m.name) == "permutation"]
    perm_choices = [list(itertools.permutations(range(int(m.shape[0])))) for m in perm_mats]
    for perms in itertools.product(*perm_choices) if perm_mats else [()]:
        values = {}
        for m in mats:
            if m in perm_mats:
                p = perms[perm_mats.index(m)]
                values[m] = sp.ImmutableMatrix(len(p), len(p), lambda i, j: 1 if p[i] == j else 0)
            else:
                values[m] = _explicit_symbols(m, structures.get(m.name))
        cv, rv = _both_sides(c_sized, r_sized, values, symmetric)
        for d in cv - rv:
            if d == 0:
                continue
            d = sp.cancel(sp.together(sp.expand(d)))
            if d != 0 and sp.simplify(d) != 0:
                return False
    return True


def _structural(claim, reference, symmetric: bool) -> bool:
    if symmetric:
        return structurally_equal(_sym(claim), _sym(reference))
    return structurally_equal(claim, reference)


def check_matrix_claim(claim, reference, *, structures: dict, fixed_sizes: dict | None = None,
                       symmetric: bool = False, budget: float = 5.0, seed: int = 0,
                       roles: Roles = CLAIM_AND_DERIVATIVE, scalar_sampler=None, guard=None,
                       strict_budget: bool = False, scalar_probes=None) -> Verdict:
    """Compare a claimed matrix expression with the reference derivative.

    Returns a ``Verdict`` (``counterexample`` for 'refuted' only; its ``entry``
    is (row, column), 1-based).  ``roles``: what the explanation calls the two
    sides (the claim and the derivative by default).
    ``scalar_sampler(rng, attempt)`` (optional) returns the scalar variables'
    values by name, or None when it found no point of its domain; ``guard``
    (optional) is the function itself: points where it is not real and defined
    are skipped.  ``strict_budget``: no step gets more than the time left (by
    default each step gets at least half a second).  ``scalar_probes`` (optional):
    points of the scalar variables (name -> exact value, see ``matrix_probes``)
    compared after the random ones, a difference certified in ball arithmetic.
    """
    t0 = time.monotonic()
    deadline = t0 + budget
    fixed = dict(fixed_sizes or {})
    unknown = sorted({v for v in structures.values() if v not in STRUCTURES})
    if unknown:
        raise SymdiffError(f"unknown matrix structure {', '.join(map(repr, unknown))}; known: {', '.join(STRUCTURES)}")
    if tuple(claim.shape) != tuple(reference.shape):
        raise SymdiffError(f"the claim has shape {claim.shape}, the derivative {reference.shape}")
    floor = 0.0 if strict_budget else 0.5
    try:   # a symbolic step: under the budget like the others
        structural = run_with_budget(_structural, claim, reference, symmetric,
                                     seconds=max(floor, deadline - time.monotonic()))
    except (BudgetExceeded, SymdiffError):
        structural = False
    try:
        num = run_with_budget(_numeric, claim, reference, structures, fixed, seed, deadline, symmetric,
                              scalar_sampler, guard, scalar_probes, seconds=max(floor, deadline - time.monotonic()))
    except BudgetExceeded:
        num = {"status": "none", "points": 0, "timeout": True}
    what = "symmetric part of the " if symmetric else ""
    A, B = roles.a, roles.b

    def done(status, text, counterexample=None, evidence=None):
        return Verdict(status, text, counterexample, evidence, elapsed=time.monotonic() - t0)
    if num["status"] == "refuted":
        sizes = ", ".join(f"{k} = {v}" for k, v in num["sizes"].items())
        r, c = num["entry"]
        how = "compared exactly"
        if num.get("certified"):
            at = ", ".join(f"{k} = {v}" for k, v in num["exact"].items() if k not in num["sizes"] and "[" not in v)
            how = (f"exactly {num['values'][0]} and {num['values'][1]}{' at the probe point ' + at if at else ''}: "
                   f"a difference certified nonzero in ball arithmetic")
        text = (f"At sizes {sizes or 'as declared'} and the exact matrices of the counterexample, entry ({r}, {c}) "
                f"of the {what}{A} is {num['claimed'][r - 1][c - 1]} but that of the {what}{roles.again_b} is "
                f"{num['actual'][r - 1][c - 1]} ({how}), so {'the claim is wrong' if A == 'claim' else 'they differ'}.")
        counterexample = {"point": num["point"], "claimed": num["claimed"], "actual": num["actual"],
                          "sizes": num["sizes"], "entry": list(num["entry"])}
        if num.get("certified"):
            counterexample.update(exact_point=num["exact"], exact_values=list(num["values"]), certified=True)
        return done("refuted", text, counterexample, {"points": num["points"]})
    evidence = {"points": num.get("points", 0), "structural": structural}
    points = num.get("points", 0)
    if num["status"] != "agree":
        why = "the time budget ran out" if num.get("timeout") else "no sampled matrices could be evaluated"
        if structural:
            return done("proved", f"The {what}{A} and the {what}{B} are the same "
                        f"matrix expression after moving transposes inside and expanding, so they are equal at every "
                        f"size ({why} for the numeric check).", evidence=evidence)
        return done("undetermined", f"Nothing was decided: {why}.", evidence=evidence)
    seen = "; ".join(", ".join(f"{k} = {v}" for k, v in s.items()) or "fixed sizes"
                     for s in _unique(num["sizes"]))
    numeric_text = (f"they agree exactly at {points} random exact matrices ({'sizes ' + seen if seen else 'as declared'}"
                    f"{', respecting the structure ' + _structures_text(structures) if structures else ''})"
                    f"{probes_text(num['probes'], num['probe_names'], num['probe_sizes'], num['probe_switches']) if num.get('probes') else ''}"
                    f"{entry_probes_text(num['entry_probes'], num['entry_switches']) if num.get('entry_probes') else ''}")
    if structural:
        return done("proved", f"The {what}{A} and the {what}{B} are the "
                    f"same matrix expression after moving transposes inside and expanding, so they are equal at every "
                    f"size; {numeric_text}.", evidence=evidence)
    # scalar expansion
    dims = _dims(claim, reference)
    all_fixed = all(d in fixed for d in dims)
    attempts = [{d: fixed.get(d, sp.Integer(2)) for d in dims}]
    distinct = {d: fixed.get(d, sp.Integer(2 + k)) for k, d in enumerate(dims)}
    if distinct != attempts[0]:
        attempts.append(distinct)
    if "permutation" in structures.values():   # every permutation of 2 is its own inverse: try 3 too
        attempts.append({d: fixed.get(d, sp.Integer(3)) for d in dims})
    expanded = []
    for assignment in attempts:
        remaining = deadline - time.monotonic()
        if remaining < 0.2:
            break
        try:
            ok = run_with_budget(_expansion_zero, claim, reference, structures, assignment, symmetric,
                                 seconds=remaining)
        except (BudgetExceeded, SymdiffError):
            break
        if not ok:
            expanded = None
            break
        expanded.append(assignment)
    evidence["expanded"] = [{d.name: int(v) for d, v in a.items()} for a in (expanded or [])]
    if expanded:
        sizes_text = " and ".join(", ".join(f"{d.name} = {v}" for d, v in a.items()) or "the declared sizes"
                                  for a in expanded)
        if all_fixed:
            return done("proved", f"With every matrix written out entry by entry (sizes "
                        f"{sizes_text}), each entry of the difference between the {what}{A} and the {what}{B} "
                        f"simplifies to 0, so it is proved at the declared sizes; {numeric_text}.", evidence=evidence)
        return done("consistent", f"The {what}{A} and the {what}{B} "
                    f"are not the same matrix expression as written, but {numeric_text}, and written out entry by "
                    f"entry at sizes {sizes_text} every entry of their difference simplifies to 0. That proves the "
                    f"sizes tried, not every size, so this is strong evidence, not a proof.", evidence=evidence)
    tail = ("the entry-by-entry difference did not simplify to 0 within the time budget"
            if expanded is not None else "SymPy could not simplify the entry-by-entry difference to 0")
    return done("consistent", f"The {what}{A} and the {what}{B}: "
                f"{numeric_text}; {tail}, so this is numerical evidence, not a proof.", evidence=evidence)


def _unique(items):
    out = []
    for s in items:
        if s not in out:
            out.append(s)
    return out


def _structures_text(structures: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(structures.items()))
