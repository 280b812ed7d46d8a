"""Runner: each case in a forked child with a hard timeout; wall time measured in the child.
usage: python3 run.py [case-id-prefix ...]  -> results.json + table (run from this folder)"""
import json, os, pickle, resource, signal, sys, time, traceback
sys.setrecursionlimit(20000)
import sympy as sp
import symdiff
from symdiff.errors import SymdiffError
import suite

HARD = 60


def child(w, thunk):
    try:
        resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))
    except Exception:
        pass
    out = {}
    try:
        name, args, kwargs = thunk()
        fn = getattr(symdiff, name)
        t0 = time.monotonic()
        try:
            v = fn(*args, **kwargs)
            if hasattr(v, "status"):
                out = {"kind": "verdict", "status": v.status, "expl": v.explanation[:600],
                       "cex": repr(v.counterexample)[:300]}
            else:   # a reader (parse_latex, parse_expression, parse_program): any value
                out = {"kind": "value", "status": None, "expl": repr(v)[:300]}
        except SymdiffError as e:
            out = {"kind": "symdifferror", "type": type(e).__name__, "msg": str(e)[:300]}
        except BaseException as e:
            out = {"kind": "raw", "type": type(e).__name__, "msg": str(e)[:300],
                   "tb": traceback.format_exc()[-1500:]}
        out["wall"] = time.monotonic() - t0
    except SymdiffError as e:   # raised while building the case (a marker constructor...): fine
        out = {"kind": "symdifferror", "type": type(e).__name__, "msg": "(setup) " + str(e)[:300], "wall": 0}
    except BaseException as e:
        out = {"kind": "setup", "type": type(e).__name__, "msg": str(e)[:300], "wall": 0}
    os.write(w, pickle.dumps(out))
    os.close(w)
    os._exit(0)


def run_case(c):
    cid, fam, truth, budget, thunk = c
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os.setpgid(0, 0)
        child(w, thunk)
    os.close(w)
    hard = min(HARD, max(budget, 0) + 30) if budget != float("inf") else HARD
    t0 = time.monotonic()
    import select
    data = b""
    while True:
        left = hard - (time.monotonic() - t0)
        if left <= 0:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
            os.close(r)
            return {"kind": "hang", "wall": time.monotonic() - t0}
        rl, _, _ = select.select([r], [], [], min(left, 1.0))
        if rl:
            chunk = os.read(r, 1 << 20)
            if not chunk:
                break
            data += chunk
    os.close(r)
    os.waitpid(pid, 0)
    try:
        os.killpg(pid, signal.SIGKILL)   # leftovers of this case only
    except ProcessLookupError:
        pass
    if not data:
        return {"kind": "crash", "wall": time.monotonic() - t0}
    return pickle.loads(data)


def judge(c, res):
    cid, fam, truth, budget, thunk = c
    fails = []
    kind = res["kind"]
    limit = (budget if budget not in (float("inf"),) else 30) + 1
    if budget in (0,):
        limit = 5  # odd budgets: refusal or a quick verdict
    if kind in ("hang",):
        fails.append("OVERRUN(hang)")
    elif res.get("wall", 0) > limit:
        fails.append("OVERRUN")
    if kind in ("raw", "crash", "setup"):
        fails.append("RAW")
    st = res.get("status")
    if truth in (True, "T|err", "ae") and st == "refuted":
        fails.append("TRUE_REFUTED")
    if truth in (False, "F|err", "mz", "pole") and st == "proved":
        fails.append("WRONG_PROVED")
    if truth in (False, "F|err") and st == "consistent":
        fails.append("WRONG_CONSISTENT")
    if truth == "mz" and st == "consistent":
        fails.append("MZ_CONSISTENT")
    if truth == "pole" and st != "refuted":
        fails.append("POLE_NOT_REFUTED")
    if truth == "err" and kind in ("verdict", "value"):
        fails.append("NOT_REFUSED")
    notes = []
    if truth in (True, False, "ae", "mz", "pole") and kind == "symdifferror":
        notes.append("error-on-valid-input")
    if truth == "ae" and st == "proved":
        notes.append("proved-with-undefined-point")
    if truth is True and st == "undetermined":
        notes.append("true-undetermined")
    if truth is False and st == "undetermined":
        notes.append("wrong-undetermined")
    return fails, notes


def main():
    sel = sys.argv[1:]
    cases = [c for c in suite.CASES if not sel or any(c[0].startswith(p) for p in sel)]
    out = {}
    if os.path.exists("results.json") and sel:
        out = json.load(open("results.json"))
    for c in cases:
        res = run_case(c)
        fails, notes = judge(c, res)
        res.update(fails=fails, notes=notes, truth=str(c[2]), family=c[1], budget=str(c[3]))
        out[c[0]] = res
        flag = " ".join(fails) or "ok"
        print(f"{c[0]:8s} {str(c[2]):6s} {res['kind']:12s} {res.get('status') or res.get('type', ''):13s} "
              f"{res.get('wall', 0):6.2f}s {flag} {' '.join(notes)}", flush=True)
        json.dump(out, open("results.json", "w"), indent=1)
    score(out)


def score(out):
    from collections import Counter
    cnt = Counter()
    for cid, r in out.items():
        for f in r["fails"]:
            cnt[f.split("(")[0]] += 1
    print("\nSCORE over", len(out), "cases:", dict(cnt))


if __name__ == "__main__":
    main()
