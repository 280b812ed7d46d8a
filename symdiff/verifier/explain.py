"""Sentences of the verdicts' explanations: what the sampled points covered, what a substitution means."""
from __future__ import annotations

import sympy as sp

__all__ = ["coverage_text", "partial_note", "seconds_text"]


def coverage_text(coverage: dict) -> str:
    """One sentence: what the compared points covered."""
    if not coverage["points"]:
        return ""
    mags = coverage["magnitudes"]
    signs = coverage["signs"]
    sign_text = ("both signs" if -1 in signs and 1 in signs else "only negative values" if -1 in signs
                 else "only positive values" if 1 in signs else "only 0")
    if 0 in signs and len(signs) > 1:
        sign_text += " and 0"
    span = f"nonzero coordinates from {mags[0]:.2g} to {mags[1]:.2g} in magnitude, " if mags else ""
    probes = coverage["kink_probes"]
    undecided = coverage["undecided"]
    return (f" Coverage: {coverage['points']} points, {span}{sign_text}, {probes} of them next to kinks or "
            f"switches" + (f"; {undecided} more stayed undecided (balls too wide)" if undecided else "") + ".")


def partial_note(problem) -> str:
    """Eq(y, 2*x) in where= for a derivative: substituted after differentiating."""
    subs = problem.domain.substitutions if problem.kind == "derivative" else []
    if not subs:
        return ""
    listed = ", ".join(f"{n} = {sp.sstr(e)}" for n, e in subs)
    return (f" The substitution {listed} is applied after differentiating: this checks the partial derivative "
            f"at those points, not the total derivative along them.")


def seconds_text(x: float) -> str:
    """A budget in seconds as the explanations write it: '10 s'."""
    return f"{x:g} s"
