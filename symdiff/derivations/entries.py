"""One convention for the entry a counterexample is about: 1-based indices, as in the lecture's notation.

The verifier names the entry of a vector claim ``entry [k]`` (0-based, its internal order), the
entry of a matrix ``[r, c]`` (1-based) and a component of a gradient ``d/dx``.  What users see (the
table, the JSON, the reports) is ``entry`` as a list of 1-based indices, and ``component`` for the
derivative a claim's entry stands for.
"""
from __future__ import annotations

import re

__all__ = ["normalized_counterexample", "INDEXING_NOTE"]

INDEXING_NOTE = "entries are 1-based"

_ZERO_BASED = re.compile(r"entry \[(\d+(?:,\s*\d+)*)\]")


def normalized_counterexample(ce: dict | None) -> dict | None:
    """``ce`` with ``entry`` a list of 1-based ints (or absent) and a derivative label under ``component``."""
    if not ce or "entry" not in ce:
        return ce
    out = dict(ce)
    entry = out.pop("entry")
    if isinstance(entry, (list, tuple)):
        out["entry"] = [int(i) for i in entry]           # matrix entries are 1-based already
    elif isinstance(entry, int):
        out["entry"] = [entry + 1]
    else:
        m = _ZERO_BASED.fullmatch(str(entry).strip())
        if m:
            out["entry"] = [int(i) + 1 for i in m.group(1).split(",")]
        else:  # dF[0]/dy: the verifier's 0-based component, shown 1-based
            out["component"] = re.sub(r"\[(\d+(?:,\s*\d+)*)\]", lambda m: "[" + ", ".join(
                str(int(i) + 1) for i in m.group(1).split(",")) + "]", str(entry))
    return out
