import sys, time, json
from symdiff import verify
cases = json.load(open(sys.argv[1]))
for c in cases:
    t = time.time()
    try:
        v = verify(c[0], c[1], c[2], where=c[3], variables={k: tuple(s) for k, s in c[4].items()} if c[4] else None)
        print(v.status, "|", v.explanation[:160].replace("\n", " "), round(time.time()-t, 1))
    except Exception as e:
        print("EXC", type(e).__name__, str(e)[:250].replace("\n", " "))
