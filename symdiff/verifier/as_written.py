"""A side's singular points as written, kept although SymPy's evaluation cancelled them.

The readers note every divisor, negative power, ``log`` and ``tan``-like call they
build (``symdiff.written``).  When the value they return no longer shows one of
those zero sets -- ``(x - y)**2/(x - y)`` read as ``x - y``, ``x*log(x)/log(x)`` as
``x`` -- the side is kept as a program whose lines still divide by it::

    written_denominator1 = x - y
    written_reciprocal1 = 1/written_denominator1
    written_value = (x - y)*written_denominator1*written_reciprocal1

Its closed form is the cancelled value, but the lines are undefined exactly where the
text is: the numeric stage evaluates them one by one, and ``singular.py`` reads the
singular sets of every line (``line_conditions``), so a cancelled singularity is
treated like a visible one (not proved; agreement elsewhere is 'consistent').
"""
from __future__ import annotations

import sympy as sp

from ..program import Program, fresh_name
from .singular import never_zero, same_zero_set, undefined_conditions

__all__ = ["keep_singularities", "lost_conditions", "line_conditions", "line_divisors"]

LOG_GUARD = "written_log_argument"   # guard lines of a lost log argument (not a divisor of the text)

MAX_PAIRS = 400          # pairs of zero sets compared by cancelling; beyond, a condition counts as lost
MAX_COMPARED_OPS = 60    # larger conditions are compared structurally only
MAX_GUARDS = 12          # more lost conditions than this: guard the first ones (singular.py vetoes anyway)


def _factors(g):
    """The factors of ``g`` whose zeros are its zeros: ``(x - 1)**2*y`` -> ``x - 1, y``."""
    out = []
    for f in sp.Mul.make_args(g):
        if f.is_number:
            continue
        if isinstance(f, sp.Pow) and f.exp.is_number and f.exp.is_positive:
            f = f.base
        out.append(f)
    return out


def lost_conditions(notes, visible) -> list:
    """The noted conditions ``g`` (written undefined where ``g = 0``) whose zero set ``visible`` lacks.
    Beyond a bounded number of comparisons a condition counts as lost (a guard too many only
    costs a proof, never a wrong one)."""
    shown = set(visible) | {-h for h in visible}
    small = [h for h in visible if sp.count_ops(h) <= MAX_COMPARED_OPS]
    lost, pairs = [], 0
    for g in dict.fromkeys(notes):
        for f in _factors(g):
            if f in shown or f in lost or never_zero(f):
                continue
            if pairs + len(small) <= MAX_PAIRS and sp.count_ops(f) <= MAX_COMPARED_OPS:
                pairs += len(small)
                if same_zero_set(f, small):
                    continue
            lost.append(f)
    return lost


def _log_only(notes) -> set:
    """Factors of the noted log arguments that no divisor of the text has."""
    logs = list(getattr(notes, "log_arguments", ()))
    divisors = [g for g in notes if g not in logs]
    divided = {f for g in divisors for f in _factors(g)}
    return {f for g in logs for f in _factors(g) if f not in divided and -f not in divided}


def _guard_lines(program: Program, conditions, used: set, log_only=frozenset()) -> list:
    """``d = g; r = 1/d`` for each condition; the factors ``d*r`` (1 where defined)."""
    factors = []
    for k, g in enumerate(conditions[:MAX_GUARDS], start=1):
        stem = LOG_GUARD if g in log_only else "written_denominator"
        d = program.let(fresh_name(f"{stem}{k}", used), g)
        used.add(d.name)
        r = program.let(fresh_name(f"written_reciprocal{k}", used), 1 / d)
        used.add(r.name)
        factors += [d, r]
    return factors


def keep_singularities(value, notes):
    """``value`` (an expression or a program read from text), or a program that keeps the
    singular points the text had and SymPy's evaluation dropped."""
    if not notes or isinstance(value, sp.MatrixBase):
        return value
    if isinstance(value, Program):
        return _keep_in_program(value, notes)
    if not isinstance(value, sp.Expr) or isinstance(value, sp.MatrixExpr):
        return value
    lost = lost_conditions(notes, undefined_conditions(value))
    if not lost:
        return value
    used = {s.name for s in value.free_symbols} | {s.name for g in lost for s in g.free_symbols}
    program = Program()
    factors = _guard_lines(program, lost, used, _log_only(notes))
    program.let(fresh_name("written_value", used), sp.Mul(value, *factors))
    return program.set_output(program.targets()[-1])


def _keep_in_program(program: Program, notes):
    try:
        output = program.output
    except Exception:
        return program
    visible = []
    for _, e in program.assignments:
        visible += [g for g in undefined_conditions(e) if g not in visible]
    lost = lost_conditions(notes, visible)
    if not lost:
        return program
    used = {s.name for s in program.inputs} | {t.name for t in program.targets()}
    kept = Program(inputs=program.inputs)
    defined = set(program.inputs)
    for line in program.lines:
        if line.target == output and not isinstance(line.expr, sp.MatrixExpr):
            ready = [g for g in lost if g.free_symbols <= defined]   # conditions of lines after it: not its own
            factors = _guard_lines(kept, ready, used, _log_only(notes))
            kept.let(line.target, sp.Mul(line.expr, *factors), line=line.line)
        else:
            kept.let(line.target, line.expr, line=line.line)
        defined.add(line.target)
    return kept.set_output(output)


def line_conditions(assignments, output) -> list:
    """``g`` (in the symbols of the lines) where a line ``output`` depends on is undefined at ``g = 0``."""
    needed = set(output.free_symbols) if isinstance(output, sp.Basic) else set()
    found = []
    for target, expr in reversed(assignments):
        if target in needed:
            needed |= expr.free_symbols
            found += [g for g in undefined_conditions(expr) if g not in found]
    return found


def line_divisors(assignments, output) -> list:
    """The divisors (bases of negative powers, in the symbols of the lines) of the lines ``output``
    depends on; a guard of a lost log argument is not one."""
    needed = set(output.free_symbols) if isinstance(output, sp.Basic) else set()
    found = []
    for target, expr in reversed(assignments):
        if target in needed:
            needed |= expr.free_symbols
            for node in sp.preorder_traversal(expr):
                if isinstance(node, sp.Pow) and node.exp.is_number and node.exp.is_negative \
                        and node.base.free_symbols and node.base not in found \
                        and not (isinstance(node.base, sp.Symbol) and node.base.name.startswith(LOG_GUARD)):
                    found.append(node.base)
    return found
