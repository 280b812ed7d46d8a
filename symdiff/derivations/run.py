"""Checking the claims of derivation files: one ``ClaimResult`` per claim.

A claim is checked member by member (``a = b = c`` claims that each form is the
derivative; an identity that neighbouring sides are equal) and instance by
instance (its index values).  Scalar claims go to the verifier
(``symdiff.verify``), matrix claims to ``symdiff.verifier.matrix``, truth tables and
tie points to ``exact``.  The verdict of a claim is the worst of its parts:
refuted if any part is, undetermined if any is, consistent if any is, proved
otherwise.  It *matches* the file's expectation when 'holds' meets proved or
consistent, or 'refuted' meets refuted.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace

import sympy as sp

from ..budget import run_with_budget
from ..closed_form import closed_forms
from ..errors import BudgetExceeded, SymdiffError
from ..matrix import SumEntries
from ..program import Program
from . import exact, registry
from ..verifier import SIDES, Marker, Roles, Verdict, verify, verify_identity
from .load import Claim, Derivation, is_symbolic_matrix, load_derivation
from ..verifier.matrix import check_matrix_claim

__all__ = ["ClaimResult", "PartResult", "check_claim", "check_derivation", "check_paths", "ORDER", "matches"]

ORDER = ("proved", "consistent", "undetermined", "refuted")   # combine: the last one present wins
_SEVERITY = {"proved": 0, "consistent": 1, "undetermined": 2, "refuted": 3}
_PROGRAM_AND_FORMULA = Roles("program", "printed formula")   # a definition: its program against its formula


def matches(status: str, expected: str) -> bool:
    return (expected == "holds" and status in ("proved", "consistent")) or (expected == "refuted" and
                                                                           status == "refuted")


@dataclass(frozen=True)
class PartResult:
    """One part of a claim (a form of it, a pair of sides, an instance) and the verifier's verdict on it."""

    label: str
    verdict: Verdict

    @property
    def status(self) -> str:
        return self.verdict.status

    @property
    def explanation(self) -> str:
        return self.verdict.explanation

    @property
    def counterexample(self) -> dict | None:
        return self.verdict.counterexample

    @property
    def evidence(self) -> dict | None:
        return self.verdict.evidence


def _part(label: str, status: str, explanation: str, counterexample=None, evidence=None) -> PartResult:
    """A part decided here (exact arithmetic, a check that could not run) rather than by the verifier."""
    return PartResult(label, Verdict(status, explanation, counterexample, evidence))


@dataclass
class ClaimResult:
    file: str
    claim: str
    title: str
    kind: str
    wrt: str | None
    expected: str
    status: str
    explanation: str
    counterexample: dict | None
    elapsed: float
    parts: list = field(default_factory=list)
    note: str = ""
    corrects: str | None = None

    @property
    def matches(self) -> bool:
        return matches(self.status, self.expected)

    def _repr_html_(self) -> str:
        """Jupyter: one row of the verdict table (``symdiff.display.ResultsTable`` shows many)."""
        from ..display import claim_result_html
        return claim_result_html(self)

    def to_json(self) -> dict:
        return {"file": self.file, "claim": self.claim, "wrt": self.wrt, "status": self.status,
                "expected": self.expected, "counterexample": _jsonable(self.counterexample),
                "matches": self.matches, "kind": self.kind, "title": self.title, "corrects": self.corrects,
                "explanation": self.explanation,
                "parts": [{"label": p.label, "status": p.status, "explanation": p.explanation,
                           "counterexample": _jsonable(p.counterexample)} for p in self.parts]}


def _jsonable(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    try:
        f = float(value)
        return int(f) if f == int(f) and abs(f) < 2 ** 53 else f
    except (TypeError, ValueError, OverflowError):
        return str(value)


def combine(parts: list[PartResult]) -> PartResult:
    worst = max(parts, key=lambda p: _SEVERITY[p.status])
    return worst


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------

def check_paths(paths, *, seed: int = 0, progress=None, on_load=None):
    """Load every derivation file under ``paths`` (all first: a bad file stops before any check), then check."""
    from .load import find_derivation_files
    files = find_derivation_files(paths)
    derivations = [load_derivation(f) for f in files]
    if on_load is not None:
        on_load(derivations)
    results = []
    for d in derivations:
        results.extend(check_derivation(d, seed=seed, progress=progress))
    return results


def check_derivation(d: Derivation, *, seed: int = 0, progress=None) -> list[ClaimResult]:
    out = []
    for claim in d.claims:
        out.append(check_claim(d, claim, seed=seed))
        if progress is not None:
            progress(out[-1])
    return out


def check_claim(d: Derivation, claim: Claim, *, seed: int = 0) -> ClaimResult:
    t0 = time.monotonic()
    checker = _Checker(d, claim, seed)
    try:
        parts = checker.run()
    except SymdiffError as exc:
        parts = [_part("claim", "undetermined", f"The check could not be run: {exc}")]
    worst = combine(parts)
    if len(parts) == 1:
        explanation = parts[0].explanation
    elif worst.status in ("refuted", "undetermined"):
        explanation = f"{worst.label}: {worst.explanation}"
    else:
        explanation = " ".join(f"{p.label}: {p.explanation}" for p in parts)
    return ClaimResult(file=str(d.path), claim=claim.id, title=claim.title, kind=claim.kind, wrt=claim.wrt_text,
                       expected=claim.expect, status=worst.status, explanation=explanation,
                       counterexample=worst.counterexample if worst.status == "refuted" else None,
                       elapsed=time.monotonic() - t0, parts=parts, note=claim.note, corrects=claim.corrects)


# ---------------------------------------------------------------------------
# The checker
# ---------------------------------------------------------------------------

class _Checker:
    def __init__(self, d: Derivation, claim: Claim, seed: int):
        self.d = d
        self.claim = claim
        self.seed = seed
        self.fn = d.function
        self.generic = {name: pair for name, pair in d.generic.items()}

    # -- helpers ------------------------------------------------------------
    def inst(self, expr):
        return registry.instantiate_generic(expr, self.generic)

    def _program(self) -> Program | None:
        fn = self.fn
        if fn is None:
            return None
        if fn.program is not None:
            return fn.program
        if fn.expr is not None:
            return Program.from_expr(fn.expr, output=fn.name)
        return None

    def _instantiated_program(self, program: Program) -> Program:
        if not self.generic:
            return program
        p = Program()
        for t, e in program.assignments:
            p.let(t, self.inst(e))
        return p.set_output(*[p.symbol(o.name) for o in program.outputs])

    def _closed(self, program: Program) -> dict:
        return closed_forms(program.assignments)

    def _components(self) -> dict:
        fn = self.fn
        if fn is None or fn.components is None:
            return {}
        return {sp.Symbol(name, real=True): expr for name, expr in fn.components}

    def _where(self, exprs, instances=()) -> list:
        symbols = set()
        for e in exprs:
            if isinstance(e, sp.Basic):
                symbols |= {s.name for s in e.free_symbols if isinstance(s, sp.Symbol)}
        items = []
        for m in self.d.markers:
            if {s.name for s in m.symbols} & symbols:
                items.append(m)
        extra = []
        for inst in instances:
            for w in inst.where:
                if w not in extra:
                    extra.append(w)
        for c in self.d.conditions + extra:
            if {s.name for s in c.free_symbols} & symbols:
                items.append(self.inst(c))
        return items

    def _budget(self, n_calls: int) -> float:
        return max(1.0, self.claim.budget / max(1, n_calls))

    # -- dispatch -----------------------------------------------------------
    def run(self) -> list[PartResult]:
        c = self.claim
        if c.kind == "definition":
            return [self._definition()]
        if c.kind == "identity":
            n = len(c.instances[0].members)
            return [self._identity_part(k, n) for k in range(n - 1)]
        n = len(c.instances[0].members)
        parts = []
        for k in range(n):
            label = f"form {k + 1}" if n > 1 else "claim"
            if c.is_matrix:
                parts.append(self._matrix_part(k, label, n))
            else:
                parts.append(self._scalar_part(k, label, n))
        return parts

    # -- definition: the program computes the printed formula -----------------------
    def _definition(self) -> PartResult:
        fn = self.fn
        program = fn.program
        closed_all = self._closed(program)
        closed = closed_all[program.output]
        printed = _subs_fixpoint(fn.expr, {t: e for t, e in closed_all.items() if t != program.output})
        if is_symbolic_matrix(closed):
            r = check_matrix_claim(self.inst(closed), self.inst(printed), structures=self.d.matrix_structure,
                                   budget=self.claim.budget, seed=self.seed, roles=_PROGRAM_AND_FORMULA)
            return PartResult("definition", r)
        lhs, rhs = self.inst(closed), self.inst(printed)
        v = verify_identity(lhs, rhs, where=self._where([lhs, rhs]), budget=self.claim.budget, seed=self.seed,
                            roles=_PROGRAM_AND_FORMULA)
        return PartResult("definition", v)

    # -- identities -------------------------------------------------------------------
    def _identity_part(self, k: int, n: int) -> PartResult:
        c = self.claim
        label = "identity" if n == 2 else f"sides {k + 1} and {k + 2}"
        comps = self._components()
        program = self._program()
        subs = {}
        if program is not None and self.fn.program is not None:
            closed = self._closed(program)
            subs = {t: e for t, e in closed.items()}
        pairs = []
        for inst in c.instances:
            a, b = inst.members[k], inst.members[k + 1]
            if comps:
                a, b = a.xreplace(comps), b.xreplace(comps)
            if subs:
                a, b = _subs_fixpoint(a, subs), _subs_fixpoint(b, subs)
            a, b = self.inst(a), self.inst(b)
            if isinstance(a, sp.Basic) and a.has(sp.Derivative, sp.Subs):
                a = a.doit()
            if isinstance(b, sp.Basic) and b.has(sp.Derivative, sp.Subs):
                b = b.doit()
            pairs.append((a, b, inst))
        if any(is_symbolic_matrix(a) or is_symbolic_matrix(b) for a, b, _ in pairs):
            return self._matrix_identity(pairs, label)
        flat = []
        for a, b, inst in pairs:
            if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
                A = list(a) if isinstance(a, sp.MatrixBase) else [a] * len(b)
                B = list(b) if isinstance(b, sp.MatrixBase) else [b] * len(A)
                flat.extend((x, y, inst) for x, y in zip(A, B))
            else:
                flat.append((a, b, inst))
        groups: dict = {}
        for entry in flat:   # instances with their own conditions are checked on their own
            groups.setdefault(tuple(entry[2].where), []).append(entry)
        budget = self.claim.budget / max(1, len(c.members_text) - 1) / len(groups)
        results = [self._identity_group(group, label, budget) for group in groups.values()]
        return combine(results) if len(results) > 1 else results[0]

    def _identity_group(self, flat, label, budget) -> PartResult:
        symbols = set()
        for a, b, _ in flat:
            symbols |= {s for s in (sp.sympify(a).free_symbols | sp.sympify(b).free_symbols)
                        if isinstance(s, sp.Symbol)}
        instances = list(dict.fromkeys(id(e[2]) for e in flat))
        insts = [e[2] for e in flat if id(e[2]) in instances]
        lhs = [a for a, _, _ in flat]
        rhs = [b for _, b, _ in flat]
        where = self._where(lhs + rhs, insts[:1])
        finite = {s: vals for s, vals in self.d.finite.items() if s.name in {x.name for x in symbols}}
        if symbols and len(finite) == len(symbols):
            by_name = {s.name: s for s in symbols}
            finite_by_symbol = {by_name[s.name]: v for s, v in finite.items()}
            r = exact.enumerate_identity([(a, b) for a, b, _ in flat], finite_by_symbol,
                                         conditions=[w for w in where if not isinstance(w, Marker)])
            return self._exact_result(r, flat, label, exhaustive=True)
        try:
            v = verify_identity(lhs if len(lhs) > 1 else lhs[0], rhs if len(rhs) > 1 else rhs[0], where=where,
                                budget=budget, seed=self.seed)
        except SymdiffError as exc:
            return _part(label, "undetermined", f"The verifier could not check it: {exc}")
        ce = _with_instance(v.counterexample, flat)
        result = PartResult(label, replace(v, explanation=_instance_text(v.explanation, flat, ce), counterexample=ce))
        if v.status == "undetermined":
            # ties and edges of Iverson brackets: the float verifier skips them, exact arithmetic does not
            r = exact.sample_identity([(a, b) for a, b, _ in flat], symbols, markers=[m for m in where
                                      if isinstance(m, Marker)], finite={s: v for s, v in finite.items()},
                                      conditions=[w for w in where if not isinstance(w, Marker)], seed=self.seed,
                                      deadline=time.monotonic() + max(1.0, budget))
            if r["status"] != "undetermined":
                return self._exact_result(r, flat, label, exhaustive=False, prior=v.explanation)
        return result

    def _exact_result(self, r, flat, label, *, exhaustive: bool, prior: str = "") -> PartResult:
        if r["status"] == "refuted":
            a, b, inst = flat[r["entry"]]
            point = ", ".join(f"{k} = {v}" for k, v in r["point"].items())
            where = f" (for {inst.label})" if inst.label else ""
            text = (f"At {point}{where} the left-hand side is {r['lhs']} but the right-hand side is {r['rhs']} "
                    f"(exact arithmetic), so the identity does not hold.")
            ce = {"point": r["point"], "claimed": r["lhs"], "actual": r["rhs"], "lhs": r["lhs"], "rhs": r["rhs"]}
            if inst.label:
                ce["instance"] = inst.label
            return _part(label, "refuted", text, ce, {"points": r["points"]})
        if r["status"] == "proved":
            return _part(label, "proved", f"Both sides are equal at all {r['points']} combinations of the "
                              f"variables' values (an exhaustive check with exact arithmetic), so the identity holds.",
                              None, {"points": r["points"], "exhaustive": True})
        if r["status"] == "consistent":
            pre = (prior.rstrip(".") + ". ") if prior else ""
            return _part(label, "consistent", f"{pre}With exact rational arithmetic instead, which also "
                              f"evaluates points on ties and on the edges of brackets, both sides are equal at "
                              f"{r['points']} points sampled from the domain: numerical evidence, not a proof.",
                              None, {"points": r["points"]})
        return _part(label, "undetermined", r.get("reason", "undetermined"))

    def _matrix_identity(self, pairs, label) -> PartResult:
        results = []
        for a, b, inst in pairs:
            r = check_matrix_claim(a, b, structures=self.d.matrix_structure, budget=self.claim.budget / len(pairs),
                                   seed=self.seed, roles=SIDES)
            results.append(PartResult(label, replace(r, explanation=_prefix(inst, r.explanation))))
        return combine(results)

    # -- scalar derivative / adjoint / step ------------------------------------------------
    def _scalar_function(self, of):
        """The scalar function whose gradient the claim states, plus its user program (or None)."""
        c = self.claim
        fn = self.fn
        comps = self._components()
        program = fn.program
        if c.kind == "adjoint":
            of_sym = of if of is not None else (program.output if program is not None else sp.Symbol(fn.name, real=True))
            dsym = self.d.symbols.get(f"d{of_sym.name}", sp.Symbol(f"d{of_sym.name}", real=True))
            if program is not None:
                sub = program.subprogram_for([of_sym])
                p = Program()
                for t, e in sub.assignments:
                    p.let(t, e)
                p.let(_fresh_name("E", p), dsym * of_sym)
                return p, True
            base = comps.get(of_sym, fn.expr) if comps else fn.expr
            return dsym * base, False
        if comps:
            if of is None:
                raise SymdiffError("the function has several components; the claim needs of = ...")
            return comps[of], False
        if program is not None:
            if of is not None and of != program.output:
                return program.subprogram_for([of]), True
            return program, True
        return fn.expr, False

    def _scalar_part(self, k: int, label: str, n_members: int) -> PartResult:
        c = self.claim
        comps = self._components()
        groups: dict = {}
        for inst in c.instances:
            member = inst.members[k]
            if c.kind == "step":
                member = -member / c.rate
            if inst.wrt_is_vector:
                values = list(member) if isinstance(member, sp.MatrixBase) else [member] * len(inst.wrt)
            else:
                values = [member]
            if comps:
                values = [v.xreplace(comps) for v in values]
            key = (inst.of, tuple(inst.where))
            groups.setdefault(key, []).extend(zip(inst.wrt, values, [inst] * len(values)))
        budget = self._budget(len(groups) * n_members)
        results = []
        for (of, _), entries in groups.items():
            f, is_program = self._scalar_function(of)
            wrt = [w for w, _, _ in entries]
            claims = [v for _, v, _ in entries]
            results.append(self._verify_scalar(f, is_program, wrt, claims, entries, label, budget))
        return combine(results) if len(results) > 1 else results[0]

    def _verify_scalar(self, f, is_program, wrt, claims, entries, label, budget) -> PartResult:
        if len({w.name for w in wrt}) != len(wrt):
            raise SymdiffError("the instances of the claim differentiate with respect to the same variable twice")
        f_inst = self._instantiated_program(f) if is_program else self.inst(f)
        claims_inst = [self.inst(x) for x in claims]
        f_exprs = [self._closed(f_inst)[f_inst.output]] if is_program else [f_inst]
        where = self._where(f_exprs + claims_inst + list(wrt), [e[-1] for e in entries])
        if not is_program and self.fn is not None and not self._components():
            f_inst = Program.from_expr(f_inst, output=self.fn.name if self.claim.kind != "adjoint" else "E")
        names = _Renamer(f_exprs + claims_inst + list(wrt) + [w for w in where if isinstance(w, sp.Basic)]
                         + [s for m in where if isinstance(m, Marker) for s in m.symbols])
        f_call = names.program(f_inst) if isinstance(f_inst, Program) else names(f_inst)
        wrt_arg = [names(w) for w in wrt]
        wrt_arg = wrt_arg[0] if len(wrt_arg) == 1 else wrt_arg
        claims_call = [names(x) for x in claims_inst]
        claim_arg = claims_call[0] if len(claims_call) == 1 else claims_call
        try:
            v = verify(f_call, wrt_arg, claim_arg, where=[names.condition(w) for w in where], budget=budget,
                       seed=self.seed)
        except SymdiffError as exc:
            return _part(label, "undetermined", f"The verifier could not check it: {names.back(str(exc))}")
        ce = _with_instance(names.back_dict(v.counterexample), entries)
        status, text = v.status, _instance_text(names.back(v.explanation), entries, ce)
        if self.claim.kind == "step":
            text = (f"Read as w - rate * dL/dw, the update claims dL/dw = -(update)/rate, compared here with "
                    f"the gradient of {self.fn.name}: {text}")
        elif self.claim.kind == "adjoint":
            text = (f"The adjoint of a variable given the adjoint d{self._of_name(entries)} is the derivative of "
                    f"E = d{self._of_name(entries)} * {self._of_name(entries)} with d{self._of_name(entries)} "
                    f"held fixed: {text}")
        if status == "undetermined":
            fallback = self._exact_derivative(f_inst, f_exprs[0], wrt, claims_inst, where, budget, entries, label)
            if fallback is not None:
                return PartResult(label, replace(fallback.verdict,
                                                 explanation=f"{text.rstrip('.')}. {fallback.explanation}"))
        if self.generic:
            stand_ins = "; ".join(f"{name}(t) = {sp.sstr(lam.expr)}" for name, (cls, lam) in self.generic.items()
                                  if _uses(f, claims, cls))
            if status == "refuted":
                text = f"With the stand-in {stand_ins}: {text}"
                if ce is not None:
                    ce = dict(ce, functions=stand_ins)
            elif status in ("proved", "consistent"):
                proof = self._generic_proof(f, is_program, wrt, claims, budget)
                if proof:
                    status = "proved"
                    text = (f"For an arbitrary differentiable {', '.join(self.generic)}, the difference between the "
                            f"claim and SymPy's derivative simplifies to 0, so the claim is proved; with the stand-in "
                            f"{stand_ins} the verifier agrees: {v.explanation}")
                else:
                    status = "consistent"
                    text = (f"With the stand-in {stand_ins}: {text} (No proof for an arbitrary function was found, "
                            f"so the claim is only checked for the stand-in.)")
        return PartResult(label, replace(v, status=status, explanation=text, counterexample=ce))

    def _of_name(self, entries) -> str:
        inst = entries[0][-1]
        if inst.of is not None:
            return inst.of.name
        return self.fn.name

    def _exact_derivative(self, f, f_expr, wrt, claims, where, budget, entries, label):
        """When the float verifier skips every point (a claim that compares x_j with max(x) is on
        a kink at each of them), compare with the derivative at exact rational points instead."""
        from ..reverse import gradient
        try:
            g = gradient(f, list(wrt))
            refs = [g.closed_form(w) for w in wrt]
        except SymdiffError:
            return None
        if isinstance(f, Program):   # the claim may use the program's intermediates
            closed = self._closed(f)
            claims = [_subs_fixpoint(c, closed) for c in claims]
        symbols = set()
        for e in [f_expr] + list(claims) + refs:
            symbols |= {s for s in e.free_symbols if isinstance(s, sp.Symbol)}
        r = exact.sample_identity(list(zip(claims, refs)), symbols,
                                  markers=[m for m in where if isinstance(m, Marker)],
                                  finite={s: v for s, v in self.d.finite.items() if s in symbols},
                                  conditions=[w for w in where if not isinstance(w, Marker)], seed=self.seed,
                                  deadline=time.monotonic() + max(1.0, budget), avoid=exact.kinks(f_expr))
        if r["status"] == "refuted":
            w = wrt[r["entry"]]
            point = ", ".join(f"{k} = {v}" for k, v in r["point"].items())
            text = (f"With exact rational arithmetic, at {point} the claimed d/d{w.name} is {r['lhs']} but the "
                    f"derivative is {r['rhs']}, so the claim is wrong.")
            return _part(label, "refuted", text, {"point": r["point"], "claimed": r["lhs"], "actual": r["rhs"],
                                                  "component": f"d/d{w.name}"}, {"points": r["points"]})
        if r["status"] == "consistent":
            return _part(label, "consistent", f"With exact rational arithmetic instead (which evaluates the "
                              f"comparisons exactly), the claim equals the derivative at {r['points']} points of the "
                              f"domain away from the function's kinks: numerical evidence, not a proof.",
                              None, {"points": r["points"]})
        return None

    def _generic_proof(self, f, is_program, wrt, claims, budget) -> bool:
        if is_program:
            closed = self._closed(f)
            expr = closed[f.output]
            claims = [_subs_fixpoint(x, closed) for x in claims]
        else:
            expr = f
        try:
            return run_with_budget(_generic_zero, expr, list(wrt), claims, seconds=max(1.0, budget))
        except (BudgetExceeded, SymdiffError):
            return False

    # -- matrix derivative / adjoint ------------------------------------------------------------
    def _matrix_part(self, k: int, label: str, n_members: int) -> PartResult:
        from ..reverse import gradient
        c = self.claim
        program = self._instantiated_program(self._program())
        results = []
        budget = self.claim.budget / max(1, len(c.instances) * n_members)
        for inst in c.instances:
            wrt = inst.wrt[0]
            of = inst.of if inst.of is not None else program.output
            of = program.symbol(of.name)
            if c.kind == "adjoint":
                dname = f"d{of.name}"
                dsym = self.d.symbols.get(dname)
                if dsym is None:
                    dsym = sp.MatrixSymbol(dname, *of.shape) if isinstance(of, sp.MatrixSymbol) else \
                        sp.Symbol(dname, real=True)
                sub = program.subprogram_for([of])
                p = Program()
                for t, e in sub.assignments:
                    p.let(t, e)
                if isinstance(of, sp.MatrixSymbol):
                    p.let(_fresh_name("E", p), SumEntries(sp.HadamardProduct(dsym, of)))
                else:
                    p.let(_fresh_name("E", p), dsym * of)
                target = p
            else:
                target = program if of == program.output else program.subprogram_for([of])
            g = gradient(target, [wrt])
            ref = g.closed_form(wrt)
            closed = self._closed(program)
            member = self.inst(_subs_fixpoint(inst.members[k], closed))
            if not is_symbolic_matrix(member):
                member = sp.ImmutableMatrix([[member]]) if wrt.shape == (1, 1) else member
            structure = self.d.matrix_structure.get(wrt.name)
            structures = dict(self.d.matrix_structure)
            r = check_matrix_claim(member, ref, structures=structures,
                                   symmetric=structure in ("symmetric", "spd"), budget=budget, seed=self.seed)
            text = r.explanation
            if c.kind == "adjoint":
                text = (f"The adjoint of {wrt.name} given d{of.name} is the derivative of E = "
                        + (f"sum(d{of.name} o {of.name})" if isinstance(of, sp.MatrixSymbol) else
                           f"d{of.name} * {of.name}") + f" with d{of.name} held fixed. {text}")
            results.append(PartResult(label, replace(r, explanation=_prefix(inst, text))))
        return combine(results) if len(results) > 1 else results[0]


class _Renamer:
    """Symbols whose names are no identifiers (``y_{1,2}``) get safe names for the verifier, and back."""

    def __init__(self, exprs):
        symbols = set()
        for e in exprs:
            if isinstance(e, Program):
                for t, x in e.assignments:
                    symbols |= x.free_symbols | {t}
            elif isinstance(e, sp.Basic):
                symbols |= e.free_symbols if not isinstance(e, sp.Symbol) else {e}
        taken = {s.name for s in symbols}
        self.forward, self.names = {}, {}
        for s in sorted(symbols, key=lambda s: s.name):
            if not isinstance(s, sp.Symbol) or s.name.isidentifier():
                continue
            base = re.sub(r"_+", "_", re.sub(r"\W", "_", s.name)).strip("_") or "v"
            safe, k = base, 1
            while safe in taken:
                safe, k = f"{base}_{k}", k + 1
            taken.add(safe)
            self.forward[s] = sp.Symbol(safe, **s.assumptions0)
            self.names[safe] = s.name

    def __call__(self, e):
        return e.xreplace(self.forward) if self.forward and isinstance(e, sp.Basic) else e

    def condition(self, c):
        if isinstance(c, sp.Basic):
            return self(c)
        if self.forward and isinstance(c, Marker):
            return type(c)(c.kind, tuple(self(s) for s in c.symbols))
        return c

    def program(self, p: Program) -> Program:
        if not self.forward:
            return p
        q = Program()
        for t, e in p.assignments:
            q.let(self(t), self(e))
        return q.set_output(*[self(o) for o in p.outputs])

    def back(self, text: str) -> str:
        for safe in sorted(self.names, key=len, reverse=True):
            text = text.replace(safe, self.names[safe])
        return text

    def back_dict(self, d):
        if d is None or not self.names:
            return d
        out = {}
        for k, v in d.items():
            if isinstance(v, dict):
                v = {self.names.get(a, a): b for a, b in v.items()}
            elif isinstance(v, str):
                v = self.back(v)
            out[k] = v
        return out


def _generic_zero(expr, wrt, claims) -> bool:
    for w, claim in zip(wrt, claims):
        d = sp.diff(expr, w)
        diff = sp.simplify((claim - d).doit())
        if diff != 0:
            return False
    return True


def _uses(f, claims, cls) -> bool:
    items = [e for _, e in f.assignments] if isinstance(f, Program) else [f]
    return any(isinstance(x, sp.Basic) and x.has(cls) for x in items + list(claims))


def _subs_fixpoint(expr, closed: dict):
    if not isinstance(expr, sp.Basic) or not closed:
        return expr
    return expr.xreplace(closed)


def _fresh_name(base: str, program: Program) -> str:
    names = {t.name for t in program.targets()} | {s.name for s in program.inputs}
    name, k = base, 1
    while name in names:
        name = f"{base}{k}"
        k += 1
    return name


def _prefix(inst, text: str) -> str:
    return f"For {inst.label}: {text}" if inst.label else text


def _with_instance(ce, entries):
    """Name the instance (i = 2) a counterexample of several entries belongs to."""
    if ce is None:
        return ce
    labels = {e[-1].label for e in entries}
    if "entry" not in ce and "component" not in ce:
        if len(labels) == 1 and next(iter(labels)):
            ce = dict(ce, instance=next(iter(labels)))
        return ce
    inst = None
    entry = ce.get("entry")
    if isinstance(entry, list) and len(entry) == 1 and 1 <= entry[0] <= len(entries):
        inst = entries[entry[0] - 1][-1]           # the verifier's entries are 1-based
    elif ce.get("component"):
        m = re.fullmatch(r"d.+/d(.+)", str(ce["component"]))
        if m:
            for e in entries:
                if getattr(e[0], "name", None) == m.group(1):
                    inst = e[-1]
                    break
    if inst is not None and inst.label:
        ce = dict(ce, instance=inst.label)
    return ce


def _instance_text(text: str, entries, counterexample) -> str:
    labels = sorted({e[-1].label for e in entries if e[-1].label})
    if not labels:
        return text
    if counterexample is not None and counterexample.get("instance"):
        return f"{text} (instances: {'; '.join(labels)}; it fails for {counterexample['instance']})"
    return f"{text} (instances checked together: {'; '.join(labels)})"
