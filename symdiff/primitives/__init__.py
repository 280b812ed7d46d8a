"""Every built-in primitive, declared once (``primitive``), grouped by family.

``elementary``: arithmetic and SymPy's functions; ``activations``: the
lecture's activation table; ``matrix``: the matrix nodes.  Importing this
package fills the vocabulary of program text; the rule tables, the witnesses
and the strategies read the declarations (``DECLARED``, ``on_declare``).
See docs/primitives.md.
"""
from .declare import DECLARED, KINKS, Primitive, new_function, on_declare, primitive
from . import elementary, activations, matrix  # noqa: E402,F401  (the built-in declarations)

__all__ = ["DECLARED", "KINKS", "Primitive", "new_function", "on_declare", "primitive"]
