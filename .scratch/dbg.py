import traceback
from symdiff import verify
G = {"x": ("n",), "mu": ("n",), "Lambda": ("n", "n")}
for f in [r"\frac{1}{2}\ln|\Lambda| - \frac{1}{2}(\mathbf{x} - \boldsymbol{\mu})^{\mathrm{T}} \boldsymbol{\Lambda} (\mathbf{x} - \boldsymbol{\mu})",
          r"\frac{1}{2}\ln\det\Lambda - \frac{1}{2}(\mathbf{x} - \boldsymbol{\mu})^{T} \Lambda (\mathbf{x} - \boldsymbol{\mu})",
          r"\ln|\Lambda|", r"\ln\det\Lambda"]:
    try:
        v = verify(f, r"\Lambda", r"\Lambda^{-1}", where=[r"\Lambda spd"], variables=G)
        print(v.status, v.explanation[:200])
    except Exception as e:
        traceback.print_exc(limit=-4)
