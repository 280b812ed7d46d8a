import sys, time, collections
sys.path.insert(0, "tests/verifier")
from symdiff import verify
sys.path.insert(0, ".scratch"); from probe3 import CLAIMS
only = set(map(int, sys.argv[1:]))
tally = collections.Counter()
for k, (style, f, wrt, claimed, where, variables, expected) in enumerate(CLAIMS):
    if only and k not in only: continue
    t = time.time()
    try:
        v = verify(f, wrt, claimed, where=where, variables=variables, budget=10)
        status, text = v.status, v.explanation
    except Exception as e:
        status, text = "error", f"{type(e).__name__}: {e}"
    ok = (expected == "holds" and status in ("proved", "consistent")) or (expected == "refuted" and status == "refuted")
    false = (expected == "holds" and status == "refuted") or (expected == "refuted" and status in ("proved", "consistent"))
    tally["right" if ok else "FALSE" if false else "undecided"] += 1
    if not ok:
        print(k, style, expected, status, "|", text[:300].replace("\n", " "))
    else:
        print(k, "ok", status, round(time.time() - t, 1))
print(dict(tally), "of", len(CLAIMS) if not only else len(only), "wrong claims:", sum(c[-1] == "refuted" for c in CLAIMS))
