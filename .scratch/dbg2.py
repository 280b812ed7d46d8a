from symdiff import verify
from symdiff.latex.statements import read_statement
s = read_statement(r"\ell(\theta) = y \log h_\theta(x) + (1 - y)\log(1 - h_\theta(x)), \quad h_\theta(x) = \sigma(\theta^T x)")
print(s.kind, s.head, [c.head for c in s.clauses])
v = verify(r"\ell(\theta) = y \log h_\theta(x) + (1 - y)\log(1 - h_\theta(x)), \quad h_\theta(x) = \sigma(\theta^T x)", r"\theta", r"(y - h_\theta(x)) x", variables={"theta": (3,), "x": (3,)})
print(v.status, v.read_as)
