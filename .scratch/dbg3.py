from symdiff.verifier.statements import Context, _function_text
c = Context({"theta": (3,), "x": (3,)})
t, name = _function_text(r"\ell(\theta) = y \log h_\theta(x) + (1 - y)\log(1 - h_\theta(x)), \quad h_\theta(x) = \sigma(\theta^T x)", c)
print(t, name, c.functions.keys())
print(c.functions["h_theta"].value)
print(c.parse(t))
print(c.parse(r"h_\theta(x)"))
