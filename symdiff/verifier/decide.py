"""Deciding a ``Problem``: the numeric stage, the proof, the refutation search, and the explanation.

2. Numeric stage (``numeric``), first because it is cheap and refutes fast:
   sample exact points of the domain, evaluate both sides in ball arithmetic
   (``certified``) with rising precision; one certified disagreement refutes.
3. Symbolic stage (``symbolic``), with the time that is left: claim minus
   reference, simplified under the domain's assumptions.  Exactly 0, plus no
   disagreement at the sampled points (and at least one usable point, and no
   side undefined where the other is defined), is a proof.
4. If SymPy leaves a nonzero difference, ``refute.refutation_search`` looks
   where it says; otherwise agreement at enough points is 'consistent'.
"""
from __future__ import annotations

import time

import sympy as sp

from ..budget import run_with_budget
from ..errors import BudgetExceeded, SymdiffError
from .certified import fmt_point_value
from .numeric import ATOL, KINK_TOL, MIN_POINTS, RTOL, numeric_stage
from .refute import refutation_search, witness_outcome
from .symbolic import symbolic_stage
from .explain import coverage_text, partial_note, seconds_text
from .problem import Problem, natural
from .verdict import Verdict

__all__ = ["decide"]

_MIN_SYMBOLIC_SECONDS = 0.05
_NUMERIC_SHARE = 0.7     # of the budget, at most, for sampling (it stops early with fewer points)
_SEARCH_SHARE = 0.1      # of the budget (at most 1 s) kept from the proof for the refutation search


def decide(problem: Problem, seed: int, t0: float) -> Verdict:
    deadline = t0 + problem.budget
    domain = problem.domain

    def done(status, text, counterexample=None, evidence=None, coverage=None):
        return Verdict(status, text, counterexample, evidence, elapsed=time.monotonic() - t0, coverage=coverage)

    if domain.unsatisfiable:
        return done("undetermined", f"The domain is empty: {domain.unsatisfiable}, so there is nothing to "
                                    f"check.")
    if problem.budget <= 0:
        return done("undetermined", "The time budget is not positive, so nothing was checked.")

    remaining = deadline - time.monotonic()
    numeric_deadline = t0 + _NUMERIC_SHARE * problem.budget   # the rest is kept for the proof
    try:
        num = run_with_budget(numeric_stage, problem, seed, numeric_deadline, seconds=remaining)
    except BudgetExceeded:
        num = {"status": "timeout"}
    except SymdiffError as exc:
        num = {"status": "error", "message": str(exc)}

    status = num["status"]
    if status == "refuted":
        return _refuted(problem, num, done)
    if status == "empty":
        cond = num.get("condition")
        why = (f"no candidate satisfied the condition {cond}" if cond
               else "no candidate satisfied the domain's conditions")
        return done("undetermined", f"No point of the domain was found: in {num['tries']} random tries "
                                    f"{why} (the domain may be empty), so nothing was checked.")
    if status == "timeout":
        return done("undetermined", f"The time budget of {seconds_text(problem.budget)} ran out during the numeric "
                                    f"check, before enough points were compared (no disagreement was found "
                                    f"before that), and no symbolic proof was attempted.")
    if status == "error":
        return done("undetermined", f"The numeric check could not be run ({num['message']}), so nothing was "
                                    f"decided.")

    # "agree" or "few": try to prove it
    remaining = deadline - time.monotonic()
    if remaining < _MIN_SYMBOLIC_SECONDS:
        sym = {"status": "timeout"}
    else:
        try:
            # for the refutation search after it (short budgets: all of it for the proof)
            reserve = min(_SEARCH_SHARE * problem.budget, 1.0) if problem.budget >= 5 else 0.0
            sym = run_with_budget(symbolic_stage, problem, seconds=max(remaining - reserve, _MIN_SYMBOLIC_SECONDS))
        except BudgetExceeded:
            sym = {"status": "timeout"}
        except SymdiffError as exc:
            sym = {"status": "error", "message": str(exc)}
    residual = sym.pop("residual_expr", None)
    if sym.get("singular_point"):
        return _refuted_at_pole(problem, sym["entry"], sym["singular_point"], done)
    remaining = deadline - time.monotonic()
    if sym["status"] == "nonzero":
        witness, found = sym.get("witness"), None
        if residual is not None and remaining > _MIN_SYMBOLIC_SECONDS:
            try:
                found = run_with_budget(refutation_search, problem, residual, seed, deadline - 0.05, witness,
                                        sym.get("fixed"), seconds=remaining)
            except SymdiffError:
                found = None
        if found is None and witness and num["status"] == "agree":   # (the search had no time for it)
            found = _witness_check(problem, witness)
        if found is not None and found["status"] == "refuted":
            return _refuted(problem, found, done, searched=True)
        if found is not None and num["status"] == "agree":
            return _unresolved(problem, found, sym, done)
    return _conclude(problem, num, sym, done)


_WITNESS_SECONDS = 0.3   # past the deadline, at most, to compare the sides where the residual is nonzero


def _witness_check(problem: Problem, witness: dict) -> dict | None:
    """The search ran out of time: the point where the symbolic stage saw the residual certainly nonzero,
    compared quickly (a refutation, or 'unresolved': then agreement elsewhere is no evidence)."""
    try:
        found = run_with_budget(witness_outcome, problem, witness, seconds=_WITNESS_SECONDS)
    except SymdiffError:
        return None
    if found is not None and found["status"] == "unresolved":
        found["how"] = "within the time budget (the search for a certified counterexample did not finish)"
        found["residual_value"] = None
    return found


def _unresolved(problem: Problem, found: dict, sym: dict, done) -> Verdict:
    """The simplified difference is certainly nonzero at a point of the domain where the two sides
    could not be told apart: agreement at the sampled points is then no evidence either way."""
    where = ", ".join(f"{n} = {fmt_point_value(v)}" for n, v in found["point"].items())
    who = "the claim and " + problem.subject if problem.kind == "derivative" else problem.roles.both
    value = f" (it is {found['residual_value']} there)" if found.get("residual_value") else ""
    return done("undetermined", f"SymPy reduces the difference between {who} to {sym['residual']}, which is "
                                f"certainly nonzero at {where}{value}, but the two "
                                f"sides could not be told apart at that point {found['how']}, so there is no certified "
                                f"counterexample; the agreement at the sampled points is no evidence against it, "
                                f"so no verdict is given.")


def _float(v):
    try:
        return float(v)
    except (TypeError, OverflowError):
        return v


def _refuted(problem: Problem, num: dict, done, searched: bool = False) -> Verdict:
    point = num["point"]
    k = num["entry"]
    label = problem.labels[k]
    a, b = num["a"], num["b"]
    where = ", ".join(f"{n} = {fmt_point_value(v)}" for n, v in point.items())
    if problem.kind == "derivative":
        if num.get("a_undefined"):
            text = f"the claim is not defined but {label} is {b}"
        elif len(problem.labels) == 1:
            text = f"the claim gives {a} but {label} is {b}"
        else:
            text = f"the claimed {label} is {a} but {label} is {b}"
        end = "so the claim is wrong."
    else:
        roles = problem.roles
        if label:
            text = f"{label} of the {roles.a} is {a} but of the {roles.b} is {b}"
        else:
            text = f"the {roles.a} is {a} but the {roles.b} is {b}"
        end = "so the identity does not hold."
    text = f"At {where} {text}" if where else text[0].upper() + text[1:]
    if num.get("why_undefined"):
        # one side has no value at this point (x*sin(x)/sin(x) at 0): say why, and how to leave it out
        text += (f" (the undefined side meets {num['why_undefined']} at this exact point; the value of the "
                 f"other side is certified with ball arithmetic), {end}")
        if len(point) == 1:
            (n, v), = point.items()
            text += f" Add where=['{n} != {fmt_point_value(v)}'] to check the claim without this point."
    else:
        text += f" (certified with ball arithmetic: every digit shown is exact, and the difference is not 0), {end}"
    if searched:
        text += (" The point was found by a search guided by the simplified difference, after "
                 "the random sample had shown no disagreement.")
    counterexample = {"point": {n: _float(v) for n, v in point.items()},
                      "exact_point": {n: fmt_point_value(v) for n, v in point.items()},
                      "claimed": num["a_float"], "actual": num["b_float"]}
    if problem.kind == "identity":
        counterexample["lhs"] = num["a_float"]
        counterexample["rhs"] = num["b_float"]
    if len(problem.labels) > 1:   # which entry: the derivative it stands for, or its 1-based index
        if problem.kind == "derivative":
            counterexample["component"] = label
        else:
            counterexample["entry"] = list(problem.indices[k])
    return done("refuted", text, counterexample)


def _linear(g) -> bool:
    try:
        return sp.Poly(g, *g.free_symbols).degree() == 1
    except (sp.PolynomialError, sp.polys.polyerrors.GeneratorsNeeded, ValueError, TypeError):
        return False


def _refuted_at_pole(problem: Problem, k: int, pole: dict, done) -> Verdict:
    """A side that divides by a polynomial exactly 0 at an exact point where the other side is
    certified finite and real (``singular.py``): the claim is wrong at that point."""
    point, side, divisor = pole["point"], pole["side"], pole["condition"]
    where = ", ".join(f"{n} = {fmt_point_value(v)}" for n, v in point.items())
    no_branch = pole.get("kind") == "no_branch"
    excluded = f"{sp.sstr(divisor)} != 0"
    symbols = divisor.free_symbols
    if no_branch or (len(symbols) == 1 and _linear(divisor)):   # name the point itself
        excluded = " and ".join(f"{n} != {fmt_point_value(v)}" for n, v in point.items())
    label = problem.labels[k]
    if problem.kind == "derivative":
        undefined_side, other_side, end = "the claim", label or "the derivative", "so the claim is wrong there"
    else:
        roles = (problem.roles.a, problem.roles.b)
        undefined_side, other_side = f"the {roles[side]}", f"the {roles[1 - side]}"
        if label:
            undefined_side, other_side = f"{label} of {undefined_side}", f"{label} of {other_side}"
        end = "so the identity does not hold there"
    if no_branch:
        how = (f"no branch of its {sp.sstr(divisor)} applies there (every condition is false)")
        away = "Elsewhere the sides may agree"
    else:
        how = (f"it divides by {sp.sstr(divisor)}, which is exactly 0 there (division by zero as written)")
        away = "Away from this point SymPy simplifies the difference to 0"
    text = (f"At {where} {undefined_side} is undefined: {how}, while {other_side} is {pole['value_text']} "
            f"(certified with ball arithmetic), {end}. {away}: add where=['{excluded}'] to check the claim "
            f"without it.")
    values = (None, pole["value_float"]) if side == 0 else (pole["value_float"], None)
    counterexample = {"point": {n: _float(v) for n, v in point.items()},
                      "exact_point": {n: fmt_point_value(v) for n, v in point.items()},
                      "claimed": values[0], "actual": values[1]}
    if problem.kind == "identity":
        counterexample["lhs"], counterexample["rhs"] = values
    if len(problem.labels) > 1:
        if problem.kind == "derivative":
            counterexample["component"] = label
        else:
            counterexample["entry"] = list(problem.indices[k])
    return done("refuted", text, counterexample)


_REASONS = {
    "complex": "{who} was not a real number (e.g. the square root or logarithm of a negative number)",
    "undefined": "{who} was undefined (e.g. a division by zero)",
    "kink": "the point was within {tol:g} of a kink (such as |x| at 0) where the derivative does not exist",
    "unsupported": "{who} used a function with no certified (ball arithmetic) evaluation",
    "unclear": "{who} could not be told real or complex even with 2048-bit balls",
}


def _who(problem, side):
    if problem.kind == "derivative":
        return {"function": "the function", "a": "the claim", "b": "the derivative"}.get(side, "a value")
    return {"a": f"the {problem.roles.a}", "b": f"the {problem.roles.b}"}.get(side, "a value")


def _skip_text(problem, skipped: dict) -> str:
    merged: dict[str, int] = {}
    for key, count in skipped.items():
        side, reason = key.split(":")
        text = _REASONS[reason].format(who=_who(problem, side), tol=KINK_TOL)
        merged[text] = merged.get(text, 0) + count
    parts = [f"at {c} {text}" for text, c in sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))]
    return "; ".join(parts)


def _skipped_note(num: dict) -> str:
    notes = []
    probed = num.get("probed", 0)
    if probed:
        notes.append(f"{probed} of them next to kinks or branch switches")
    n = sum(num.get("skipped", {}).values())
    if n:
        notes.append(f"skipping {n} where something was not real, undefined or not differentiable")
    return "".join(f", {note}" for note in notes)


def _assumption_text(problem) -> str:
    groups: dict[tuple, list[str]] = {}
    for name, a in problem.domain.symbolic_assumptions().items():
        if a:
            groups.setdefault(tuple(sorted(a)), []).append(name)
    facts = []
    for adjectives, names in sorted(groups.items(), key=lambda kv: natural(min(kv[1], key=natural))):
        names = sorted(names, key=natural)
        verb = "is" if len(names) == 1 else "are"
        facts.append(f"{', '.join(names)} {verb} {' and '.join(adjectives)}")
    for name, rhs in problem.domain.symbolic_substitutions():
        facts.append(f"{name} = {sp.sstr(rhs, order='none')}")
    return f", using that {'; '.join(facts)} on the domain" if facts else ""


def _conclude(problem: Problem, num: dict, sym: dict, done) -> Verdict:
    used = num.get("used", 0)
    domain_text = problem.domain.describe()
    points = f"{used} point{'s' if used != 1 else ''}"
    evidence = {"points": used, "probes": num.get("probed", 0),
                "max_abs_diff": num.get("max_abs", 0.0), "max_rel_diff": num.get("max_rel", 0.0),
                "skipped": sum(num.get("skipped", {}).values()), "rtol": RTOL, "atol": ATOL}
    coverage = {"points": used, "magnitudes": num.get("magnitudes"), "signs": num.get("signs", []),
                "kink_probes": num.get("probed", 0), "undecided": num.get("undecided", 0),
                "skipped": evidence["skipped"]}
    covered = coverage_text(coverage) + partial_note(problem)
    if problem.kind == "derivative":
        difference = f"the difference between the claim and {problem.subject}"
        proved_end, agree_subject = "so the claim is proved", f"The claim and {problem.subject}"
    else:
        difference = f"the difference between {problem.roles.both}"
        proved_end, agree_subject = "so the identity holds", problem.roles.both[0].upper() + problem.roles.both[1:]
    many = len(problem.pairs) > 1
    skipped_keys = num.get("skipped", {})
    one_sided = [k for k in ("a:undefined", "b:undefined") if skipped_keys.get(k)
                 and (problem.kind == "identity" or k == "a:undefined")]
    if sym["status"] == "zero" and one_sided:
        # 0 after cancelling, but one side has no value at points where the other has one: not a proof
        who = _who(problem, one_sided[0][0])
        sym = {"status": "nonzero", "entry": 0, "residual": "0 once a singularity is cancelled, but "
               f"{who} is undefined at {skipped_keys[one_sided[0]]} sampled point(s) where the other side "
               f"is defined", "constant": False}
    if sym["status"] == "zero" and used >= 1:
        steps = list(dict.fromkeys(sym["steps"]))
        how = " or ".join(steps)
        lead = f"Every entry of {difference}" if many else difference[0].upper() + difference[1:]
        cases = sym.get("cases", 0)
        each = f"; in each of the {cases} cases of the discrete variables" if cases else ""
        text = f"{lead} simplifies to 0 ({how}{_assumption_text(problem)}{each})"
        if sym.get("almost"):
            spots = sorted({c for _, conds in sym["almost"] for c in conds})
            text += f" wherever both sides are defined (they are not at {' or '.join(spots)})"
        text += (f", {proved_end}; the two also agree at {points} sampled from the domain "
                 f"({domain_text}){_skipped_note(num)}.{covered}")
        evidence["simplification"] = how
        return done("proved", text, evidence=evidence, coverage=coverage)

    if sym["status"] == "timeout":
        symbolic = (f"SymPy did not simplify {difference} to 0 within the time budget of "
                    f"{seconds_text(problem.budget)}")
    elif sym["status"] == "nonzero":
        if many and problem.labels[sym["entry"]]:
            what = f"the difference for {problem.labels[sym['entry']]}"
        else:
            what = difference
        symbolic = f"SymPy could not simplify {what} to 0 (it stays {sym['residual']})"
    elif sym["status"] == "zero":
        symbolic = f"{difference[0].upper() + difference[1:]} simplifies to 0"
    elif sym["status"] == "too_large":
        symbolic = f"The closed forms are too large to simplify (about {sym['size']:,} tree nodes)"
    else:
        symbolic = f"The symbolic simplification failed ({sym.get('message', 'unknown error')})"

    if num["status"] == "agree":
        if sym["status"] == "nonzero" and sym.get("constant"):
            return done("undetermined", f"{agree_subject} agree at {points} sampled from the domain, but "
                                        f"{difference} simplifies to the nonzero constant {sym['residual']}; "
                                        f"the two checks contradict each other, so no verdict is given.",
                        evidence=evidence)
        text = (f"{agree_subject} agree at {points} sampled from the domain ({domain_text}){_skipped_note(num)}, "
                f"compared with certified ball arithmetic (largest relative difference "
                f"{evidence['max_rel_diff']:.2g}).{covered} {symbolic}, so this is numerical evidence, not a "
                f"proof: a disagreement confined between the sampled points (a narrow bump, a switch beyond "
                f"the largest magnitude) is not ruled out.")
        return done("consistent", text, evidence=evidence, coverage=coverage)

    # too few usable points
    reasons = []
    skipped = _skip_text(problem, num.get("skipped", {}))
    if skipped:
        reasons.append(skipped)
    if num.get("undecided"):
        reasons.append(f"{num['undecided']} stayed undecided: their balls were too wide even with 2048 bits")
    rejected = num.get("candidates", 0) - num.get("accepted", 0)
    if rejected:
        cond = num.get("rejected_by")
        reasons.append(f"{rejected} of {num.get('candidates', 0)} random candidates were outside the domain"
                       + (f" (mostly by {cond})" if cond else ""))
    text = (f"Only {used} sampled point{'s' if used != 1 else ''} of the domain ({domain_text}) could be used "
            f"({'; '.join(reasons)}), fewer than the {MIN_POINTS} needed for a numeric verdict")
    if sym["status"] == "zero":
        text += f"; {difference} does simplify to 0, but there is no point to confirm it at"
    else:
        text += f"; {symbolic if symbolic.startswith('SymPy') else symbolic[0].lower() + symbolic[1:]}"
    return done("undetermined", text + ".", evidence=evidence)
