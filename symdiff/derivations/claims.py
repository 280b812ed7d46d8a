"""One ``[[claims]]`` entry: its keys checked, then its instances read (``instances.py``).

A claim is a derivative, an adjoint, an identity, a gradient step or a
definition (the LaTeX of ``[function]`` against its program); what it needs
besides ``claim`` (``wrt``, ``rate``, ``lhs``/``rhs``) depends on the kind.
"""
from __future__ import annotations

import re

from .instances import read_instances
from .model import DEFAULT_BUDGET, EXPECTATIONS, KINDS, Claim
from .scope import FileScope

__all__ = ["read_claim"]

_CLAIM_KEYS = {"id", "title", "kind", "wrt", "of", "claim", "lhs", "rhs", "expect", "note", "where", "indices",
               "rate", "budget", "corrects", "source"}
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


def read_claim(scope: FileScope, c: dict, position: int) -> Claim:
    """The claim at ``position`` (0-based) of ``[[claims]]``, with its instances parsed."""
    cid = c.get("id")
    if not isinstance(cid, str) or not _ID.match(cid):
        raise scope.error(f"claim #{position + 1}: id must be a short name such as 'dF-dx', got {cid!r}")
    unknown = sorted(set(c) - _CLAIM_KEYS)
    if unknown:
        raise scope.error(f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(_CLAIM_KEYS))})", cid)
    kind = c.get("kind", "derivative")
    if kind not in KINDS:
        raise scope.error(f"kind must be one of {', '.join(KINDS)}, got {kind!r}", cid)
    expect = c.get("expect")
    if expect not in EXPECTATIONS:
        raise scope.error(f"expect must be 'holds' or 'refuted', got {expect!r}", cid)
    title = scope.string(c, "title", claim=cid) or cid
    note = scope.string(c, "note", claim=cid) or ""
    source = scope.string(c, "source", claim=cid) or ""
    wrt_text = scope.string(c, "wrt", claim=cid)
    of_text = scope.string(c, "of", claim=cid)
    rate_text = scope.string(c, "rate", claim=cid)
    corrects = scope.string(c, "corrects", claim=cid)
    budget = c.get("budget", DEFAULT_BUDGET)
    if isinstance(budget, bool) or not isinstance(budget, (int, float)) or not 0 < budget <= 120:
        raise scope.error(f"budget must be seconds in (0, 120], got {budget!r}", cid)
    where_text = c.get("where", [])
    if isinstance(where_text, str):
        where_text = [where_text]
    if not isinstance(where_text, list) or not all(isinstance(w, str) for w in where_text):
        raise scope.error("where must be a condition or a list of conditions", cid)
    indices = scope.indices(c.get("indices", {}), "indices", cid)
    text = _claim_text(scope, c, kind, cid, wrt_text)
    if kind == "step" and rate_text is None:
        raise scope.error("a step claim needs rate = '\\eta' (the learning rate)", cid)
    if kind in ("identity", "definition") and (wrt_text is not None or rate_text is not None):
        raise scope.error(f"wrt/rate do not apply to {kind} claims", cid)
    claim = Claim(id=cid, title=title, kind=kind, expect=expect, wrt_text=wrt_text, of_text=of_text,
                  text=text, note=note, where_text=where_text, indices=indices, rate_text=rate_text,
                  budget=float(budget), corrects=corrects, source=source)
    if rate_text is not None:
        claim.rate = scope.parse(rate_text, "rate", cid)
    read_instances(scope, claim)
    return claim


def _claim_text(scope: FileScope, c: dict, kind: str, cid: str, wrt_text: str | None) -> str | None:
    """The claim as written: ``claim``, or ``lhs = rhs`` for an identity; None for a definition."""
    text = scope.string(c, "claim", claim=cid)
    lhs, rhs = scope.string(c, "lhs", claim=cid), scope.string(c, "rhs", claim=cid)
    if kind == "identity":
        if text is None and (lhs is None or rhs is None):
            raise scope.error("an identity needs claim = 'a = b' or lhs and rhs", cid)
        if text is not None and (lhs is not None or rhs is not None):
            raise scope.error("give either claim or lhs/rhs, not both", cid)
        if text is None:
            text = f"{lhs} = {rhs}"
    elif kind == "definition":
        fn = scope.function
        if fn is None or fn.program is None or fn.latex is None:
            raise scope.error("a definition claim compares [function] latex with [function] program; "
                              "both are needed", cid)
        if text is not None or lhs is not None or rhs is not None:
            raise scope.error("a definition claim has no claim text (it compares latex with program)", cid)
    else:
        if lhs is not None or rhs is not None:
            raise scope.error(f"lhs/rhs are for identities; a {kind} claim has claim = '...'", cid)
        if text is None:
            raise scope.error(f"missing 'claim' (the claimed {'update' if kind == 'step' else kind})", cid)
        if wrt_text is None:
            raise scope.error(f"missing 'wrt' (the variable of the {kind})", cid)
        if scope.function is None:
            raise scope.error(f"a {kind} claim needs a [function]", cid)
    return text
