from symdiff import verify_text
V = {"W": ("m","n"), "x": ("n",), "y": ("m",)}
for text, var in [(r"""L = \frac{1}{2}\|W x - y\|^2
\frac{\partial L}{\partial W_{ij}} = (W x - y)_i x_j""", V), (r"""z = W x - y
L = \frac{1}{2}\|z\|^2
\frac{\partial L}{\partial W_{ij}} = (W x - y)_j x_i""", {"W": ("n","n"), "x": ("n",), "y": ("n",)}),
 (r"""p_i = \frac{e^{s_i}}{\sum_k e^{s_k}}
\frac{\partial p_i}{\partial s_j} = p_i (\delta_{ij} - p_j) = p_i\delta_{ij} - p_i p_j""", {"s": ("n",)}),
 (r"""f(x) = x^2
f'(x) = 2x""", None)]:
    try:
        for v in verify_text(text, variables=var):
            print(v.status, v.position, v.explanation[:120])
    except Exception as e: print("EXC", type(e).__name__, e)
