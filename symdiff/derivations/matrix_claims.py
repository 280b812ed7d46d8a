"""Checking claims about matrix derivatives (the lecture's matrix formulas).

The verifier in ``symdiff.verify`` works on scalars; a claim such as
``dA = dC B^T`` (an adjoint of the product C = AB) is checked here against
the matrix gradient ``symdiff.gradient`` computes at matrix level:

1. *Structure*: claim minus reference, with transposes of inverses moved
   inside, expanded.  ``0`` is a proof for every size (SymPy's matrix
   algebra does not commute factors, so it only cancels what cancels).
2. *Exact numbers*: for several seeds, every symbolic size gets a small
   integer (distinct sizes for distinct names where possible, so a transposed
   factor shows) and every matrix an exact rational value respecting its
   structure (``spd``, ``symmetric``, ``upper``, ``invertible``,
   ``permutation``); both sides are evaluated exactly (or with 60 digits where
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
from .exact import _compare

__all__ = ["check_matrix_claim", "N_SEEDS"]

N_SEEDS = 6
_SIZES = (2, 3, 4)
_MAX_RESAMPLE = 20


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
        for m in e.atoms(sp.MatrixSymbol):
            for d in m.shape:
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


def _evaluate(expr, dims: dict, values: dict):
    e = expr.xreplace(dims)
    if isinstance(e, MatrixExpr):
        e = e.xreplace(values)
        out = e.doit()
        if isinstance(out, MatrixExpr) and not isinstance(out, sp.MatrixBase):
            out = out.as_explicit()
        return sp.ImmutableMatrix(out)
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


def _size_schedule(dims: list, fixed: dict, seed: int, capped: bool) -> list[dict]:
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
    return schedules


def _numeric(claim, reference, structures: dict, fixed: dict, seed: int, deadline: float, symmetric: bool):
    """Exact comparison at random matrices; returns a dict (status, points, counterexample...)."""
    dims = _dims(claim, reference)
    capped = claim.has(Cholesky) or reference.has(Cholesky)
    rng = np.random.default_rng(seed)
    used, failed = 0, 0
    sizes_seen = []
    for assignment in _size_schedule(dims, fixed, seed, capped):
        if time.monotonic() > deadline:
            break
        c_sized = claim.xreplace(assignment)
        r_sized = reference.xreplace(assignment)
        mats = _matrices(c_sized, r_sized)
        scalars = _scalars(c_sized, r_sized)
        for _ in range(_MAX_RESAMPLE):
            values = {}
            for m in mats:
                values[m] = _sample(structures.get(m.name), int(m.shape[0]), int(m.shape[1]), rng)
            for s in scalars:
                values[s] = _rational(rng)
            try:
                cv = _evaluate(c_sized, {}, values)
                rv = _evaluate(r_sized, {}, values)
                if symmetric:
                    cv, rv = (cv + cv.T) / 2, (rv + rv.T) / 2
            except (ValueError, ZeroDivisionError, ArithmeticError, TypeError, SymdiffError,
                    sp.matrices.exceptions.NonInvertibleMatrixError):
                failed += 1
                continue
            if cv.shape != rv.shape:
                raise SymdiffError(f"the claim evaluates to shape {cv.shape}, the reference to {rv.shape}")
            verdicts = [_compare(cv[i, j], rv[i, j]) for i in range(cv.rows) for j in range(cv.cols)]
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
    return {"status": "agree" if used else "none", "points": used, "failed": failed, "sizes": sizes_seen}


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
        cv = _evaluate(c_sized, {}, values)
        rv = _evaluate(r_sized, {}, values)
        if symmetric:
            cv, rv = (cv + cv.T) / 2, (rv + rv.T) / 2
        for d in cv - rv:
            if d == 0:
                continue
            d = sp.cancel(sp.together(sp.expand(d)))
            if d != 0 and sp.simplify(d) != 0:
                return False
    return True


def check_matrix_claim(claim, reference, *, structures: dict, fixed_sizes: dict | None = None,
                       symmetric: bool = False, budget: float = 5.0, seed: int = 0,
                       names: tuple[str, str] = ("claim", "derivative symdiff computes")) -> dict:
    """Compare a claimed matrix expression with the reference derivative.

    Returns ``status`` ('proved' / 'consistent' / 'refuted' / 'undetermined'),
    ``explanation``, ``counterexample`` (refuted only) and ``evidence``.
    """
    t0 = time.monotonic()
    deadline = t0 + budget
    fixed = dict(fixed_sizes or {})
    if tuple(claim.shape) != tuple(reference.shape):
        raise SymdiffError(f"the claim has shape {claim.shape}, the derivative {reference.shape}")
    structural = (not symmetric) and structurally_equal(claim, reference)
    if symmetric:
        structural = structurally_equal(_sym(claim), _sym(reference))
    try:
        num = run_with_budget(_numeric, claim, reference, structures, fixed, seed, deadline, symmetric,
                              seconds=max(0.5, deadline - time.monotonic()))
    except BudgetExceeded:
        num = {"status": "none", "points": 0, "timeout": True}
    what = "symmetric part of the " if symmetric else ""
    A, B = names
    short_b = B.split()[0]
    if num["status"] == "refuted":
        sizes = ", ".join(f"{k} = {v}" for k, v in num["sizes"].items())
        r, c = num["entry"]
        text = (f"At sizes {sizes or 'as declared'} and the exact matrices of the counterexample, entry ({r}, {c}) "
                f"of the {what}{A} is {num['claimed'][r - 1][c - 1]} but that of the {what}{short_b} is "
                f"{num['actual'][r - 1][c - 1]} (compared exactly), so {'the claim is wrong' if A == 'claim' else 'they differ'}.")
        counterexample = {"point": num["point"], "claimed": num["claimed"], "actual": num["actual"],
                          "sizes": num["sizes"], "entry": list(num["entry"])}
        return {"status": "refuted", "explanation": text, "counterexample": counterexample,
                "evidence": {"points": num["points"]}}
    evidence = {"points": num.get("points", 0), "structural": structural}
    points = num.get("points", 0)
    if num["status"] != "agree":
        why = "the time budget ran out" if num.get("timeout") else "no sampled matrices could be evaluated"
        if structural:
            return {"status": "proved", "explanation": f"The {what}{A} and the {what}{B} are the same "
                    f"matrix expression after moving transposes inside and expanding, so they are equal at every "
                    f"size ({why} for the numeric check).", "counterexample": None, "evidence": evidence}
        return {"status": "undetermined", "explanation": f"Nothing was decided: {why}.", "counterexample": None,
                "evidence": evidence}
    seen = "; ".join(", ".join(f"{k} = {v}" for k, v in s.items()) or "fixed sizes"
                     for s in _unique(num["sizes"]))
    numeric_text = (f"they agree exactly at {points} random exact matrices ({'sizes ' + seen if seen else 'as declared'}"
                    f"{', respecting the structure ' + _structures_text(structures) if structures else ''})")
    if structural:
        return {"status": "proved", "explanation": f"The {what}{A} and the {what}{B} are the "
                f"same matrix expression after moving transposes inside and expanding, so they are equal at every "
                f"size; {numeric_text}.", "counterexample": None, "evidence": evidence}
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
            return {"status": "proved", "explanation": f"With every matrix written out entry by entry (sizes "
                    f"{sizes_text}), each entry of the difference between the {what}{A} and the {what}{B} "
                    f"simplifies to 0, so it is proved at the declared sizes; {numeric_text}.",
                    "counterexample": None, "evidence": evidence}
        return {"status": "consistent", "explanation": f"The {what}{A} and the {what}{B} "
                f"are not the same matrix expression as written, but {numeric_text}, and written out entry by entry "
                f"at sizes {sizes_text} every entry of their difference simplifies to 0. That proves the sizes "
                f"tried, not every size, so this is strong evidence, not a proof.",
                "counterexample": None, "evidence": evidence}
    tail = ("the entry-by-entry difference did not simplify to 0 within the time budget"
            if expanded is not None else "SymPy could not simplify the entry-by-entry difference to 0")
    return {"status": "consistent", "explanation": f"The {what}{A} and the {what}{B}: "
            f"{numeric_text}; {tail}, so this is numerical evidence, not a proof.", "counterexample": None,
            "evidence": evidence}


def _unique(items):
    out = []
    for s in items:
        if s not in out:
            out.append(s)
    return out


def _structures_text(structures: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(structures.items()))
