"""The outcome of a check."""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Verdict", "Roles", "STATUSES", "SIDES", "CLAIM_AND_DERIVATIVE"]

STATUSES = ("proved", "consistent", "refuted", "undetermined")


@dataclass(frozen=True)
class Roles:
    """What the explanation calls the two things compared: nouns without their article.

    ``verify_identity`` and ``matrix.check_matrix_claim`` take them, so a caller
    comparing, say, a program with its printed formula gets an explanation that
    says so, without rewriting the text afterwards.  ``short_b``: how the second
    is called again in the same sentence ("that of the derivative").
    """

    a: str = "left-hand side"
    b: str = "right-hand side"
    short_b: str | None = None

    @property
    def both(self) -> str:
        """'the two sides', or 'the program and the printed formula'."""
        return "the two sides" if self == SIDES else f"the {self.a} and the {self.b}"

    @property
    def again_b(self) -> str:
        return self.short_b or self.b


SIDES = Roles()
CLAIM_AND_DERIVATIVE = Roles("claim", "derivative symdiff computes", short_b="derivative")


@dataclass(frozen=True)
class Verdict:
    """What ``verify`` / ``verify_identity`` found.

    ``status``: 'proved' (the difference simplifies to 0 on the domain, and no
    sampled point disagrees), 'consistent' (agreement at every sampled point,
    no symbolic proof), 'refuted' (a point where they differ, certified with
    ball arithmetic) or 'undetermined' (out of time or memory, empty domain,
    too few points where everything is real and defined).
    ``explanation``: one paragraph for a student.  ``counterexample``: for
    'refuted' only, ``{"point": {name: value}, "claimed": ..., "actual": ...}``
    (identities also carry ``"lhs"``/``"rhs"``).  A claim of several entries
    names the one that fails, 1-based as users read it: ``"entry"`` a list of
    indices (``[2]``, ``[1, 3]`` for row 1, column 3) and, for a derivative, ``"component"``
    the derivative that entry stands for (``"dF[2]/dy"``); the explanation uses the same labels.  ``evidence``: what supports the verdict (points compared,
    largest absolute/relative difference, the simplification that gave 0).
    ``elapsed``: seconds taken; not part of equality, so the same inputs and
    seed give equal verdicts.  ``coverage`` (numeric checks): what the
    sampled points covered -- ``points`` compared, ``magnitudes`` (smallest
    and largest nonzero |coordinate|), ``signs`` seen, ``kink_probes`` (points
    placed on both sides of kinks and switches), ``undecided`` (points whose
    balls stayed too wide to tell) and ``skipped``; the explanation states it
    in one sentence.

    What a status guarantees: 'proved' -- a symbolic proof on the stated
    domain (the difference simplifies to 0 under the domain's assumptions,
    both sides defined where the other is, confirmed at exact points);
    'refuted' -- a certified counterexample (an exact point where ball
    arithmetic shows the two values differ, or one is defined and the other
    not); 'consistent' -- agreement at the covered points only: evidence,
    not a proof; 'undetermined' -- none of these, and why.

    ``read_as``: for LaTeX input, how the function and the claim were read (LaTeX);
    ``position``: (line, column) of the claim in the text given to ``verify_text``.
    """

    status: str
    explanation: str
    counterexample: dict | None = None
    evidence: dict | None = None
    elapsed: float = field(default=0.0, compare=False)
    coverage: dict | None = None
    # how LaTeX input was read, as LaTeX, for the user to confirm; where in a text the claim is
    read_as: str | None = field(default=None, compare=False)
    position: tuple[int, int] | None = field(default=None, compare=False)

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")

    @property
    def holds(self) -> bool:
        """True for 'proved' and 'consistent'."""
        return self.status in ("proved", "consistent")

    def __str__(self) -> str:
        return f"{self.status}: {self.explanation}"

    def _repr_html_(self) -> str:
        """Jupyter: the status in colour, the explanation, the claim as read and the counterexample."""
        from ..display import verdict_html
        return verdict_html(self)

    def _repr_latex_(self) -> str:
        from ..display import verdict_latex
        return verdict_latex(self)
