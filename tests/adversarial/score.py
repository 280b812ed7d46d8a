import json, sys, collections
r = json.load(open(sys.argv[1]))
cnt = collections.Counter(); fam = collections.defaultdict(collections.Counter)
for k, v in r.items():
    for f in v["fails"]:
        f = f.split("(")[0]; cnt[f] += 1; fam[v["family"]][f] += 1
truth = collections.Counter(v["truth"] for v in r.values())
print("cases:", len(r), dict(truth))
for key in ["WRONG_PROVED", "WRONG_CONSISTENT", "MZ_CONSISTENT", "POLE_NOT_REFUTED", "TRUE_REFUTED", "OVERRUN", "RAW", "NOT_REFUSED"]:
    ids = [k for k, v in r.items() if any(f.startswith(key) for f in v["fails"])]
    print(f"{key:17s} {len(ids):3d}  {' '.join(ids)}")
und = [k for k, v in r.items() if "true-undetermined" in v["notes"] or "wrong-undetermined" in v["notes"]]
print("undetermined (true or wrong claims):", len(und))
