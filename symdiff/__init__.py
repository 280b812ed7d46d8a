"""symdiff: symbolic reverse-mode differentiation over computation DAGs.

The public names are loaded lazily (PEP 562) so that ``import symdiff.tape``
stays free of SymPy: the tape engine is an independent witness.
"""
from __future__ import annotations

from .lazy import lazy_exports

__version__ = "0.1.0"

_EXPORTS = {
    "Program": "symdiff.program",
    "parse_program": "symdiff.program",
    "parse_expression": "symdiff.program",
    "gradient": "symdiff.reverse",
    "Gradient": "symdiff.reverse",
    "compile": "symdiff.codegen",
    "crosscheck": "symdiff.witnesses",
    "gradcheck": "symdiff.check",
    "parse_latex": "symdiff.latex",
    "sum_entries": "symdiff.matrix",
    "logdet": "symdiff.matrix",
    "cholesky": "symdiff.matrix",
    "softmax_rows": "symdiff.matrix",
    "logsumexp_rows": "symdiff.matrix",
    "add_row_bias": "symdiff.matrix",
    "frobenius_norm": "symdiff.matrix",
    "cross_entropy": "symdiff.matrix",
    "verify": "symdiff.verifier",
    "verify_identity": "symdiff.verifier",
    "verify_text": "symdiff.verifier",
    "Verdict": "symdiff.verifier",
    "Latex": "symdiff.verifier",
    "simplex": "symdiff.verifier",
    "onehot": "symdiff.verifier",
    "pm1": "symdiff.verifier",
    "symmetric": "symdiff.verifier",
    "spd": "symdiff.verifier",
    "invertible": "symdiff.verifier",
    "orthogonal": "symdiff.verifier",
    "SymdiffError": "symdiff.errors",
    "ParseError": "symdiff.errors",
    "ProgramError": "symdiff.errors",
    "NoRuleError": "symdiff.errors",
    "ShapeError": "symdiff.errors",
    "ClosedFormTooLarge": "symdiff.errors",
    "primitive": "symdiff.primitives",
    "sigmoid": "symdiff.functions",
    "softplus": "symdiff.functions",
    "softsign": "symdiff.functions",
    "relu": "symdiff.functions",
    "leaky_relu": "symdiff.functions",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


__getattr__ = lazy_exports(globals(), _EXPORTS)


def __dir__():
    return __all__
