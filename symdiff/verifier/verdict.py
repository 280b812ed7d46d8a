"""The outcome of a check."""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Verdict", "STATUSES"]

STATUSES = ("proved", "consistent", "refuted", "undetermined")


@dataclass(frozen=True)
class Verdict:
    """What ``verify`` / ``verify_identity`` found.

    ``status``: 'proved' (the difference simplifies to 0 on the domain, and no
    sampled point disagrees), 'consistent' (agreement at every sampled point,
    no symbolic proof), 'refuted' (a point where they differ, confirmed with 50-
    and 100-digit arithmetic) or 'undetermined' (out of time, empty domain, too
    few points where everything is real and defined).
    ``explanation``: one paragraph for a student.  ``counterexample``: for
    'refuted' only, ``{"point": {name: value}, "claimed": ..., "actual": ...}``
    (identities also carry ``"lhs"``/``"rhs"``; several entries carry
    ``"entry"``).  ``evidence``: what supports the verdict (points compared,
    largest absolute/relative difference, the simplification that gave 0).
    ``elapsed``: seconds taken; not part of equality, so the same inputs and
    seed give equal verdicts.  ``read_as``: for LaTeX input, how the function and
    the claim were read (LaTeX); ``position``: (line, column) of the claim in the
    text given to ``verify_text``.
    """

    status: str
    explanation: str
    counterexample: dict | None = None
    evidence: dict | None = None
    elapsed: float = field(default=0.0, compare=False)
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
