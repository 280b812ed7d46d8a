"""Generate the source of a backend function from a program's lines (see ``symdiff.backends``)."""
from __future__ import annotations

import builtins
import functools
import itertools
import linecache
import math

import numpy

from ..errors import BackendError, ShapeError
from .shapes import RUNTIME_HELPERS, generated_names, shape_lines
from .helpers import XP_HELPERS
from .namespaces import namespace_for, float_dtype
from .printer import ArrayAPIPrinting

_RESERVED = {"xp", "_f", "_xp", "_float", "_shape", "_bc", "_sum", "_prod", "_shape_error", "math",
             "functools", "jax", "numpy", "scipy"} | set(XP_HELPERS) | set(dir(builtins))
_counter = itertools.count()


def generate(backend: str, program, params, outputs, checked: bool, printer_base):
    """The function ``compile`` returns, for ``backend`` (not "numpy").

    ``printer_base`` is ``symdiff.codegen.NumPyCodePrinter``, passed in so that this
    package does not import ``symdiff.codegen`` (which imports it).
    """
    from . import check_backend
    check_backend(backend)
    namespace_for(backend)  # a missing extra fails now, not at the first call
    names, matrix_mode = generated_names(params, program, _RESERVED)
    printer_class = type(f"{backend.title().replace('-', '')}CodePrinter", (ArrayAPIPrinting, printer_base), {})
    printer = printer_class(names, backend)
    fn_name = f"_symdiff_{backend.replace('-', '_')}_{next(_counter)}"
    args = ", ".join(names[p] for p in params)
    lines = [f"def {fn_name}({args}):",
             f"    xp = _xp({args})",
             "    _f = _float(xp)"]
    if checked or not matrix_mode:
        for p in params:
            lines.append(f"    {names[p]} = xp.asarray({names[p]}, dtype=_f)")
    if matrix_mode:
        lines += shape_lines(params, names, checked=checked, ndarrays=False)
    else:
        lines.append(f"    _shape = _broadcast_shapes({''.join(f'{names[p]}.shape, ' for p in params)})")
    for target, expr in program.assignments:
        lines.append(f"    {names[target]} = {printer.doprint(expr)}")

    def ret(o):
        if isinstance(o, tuple):
            return "(" + "".join(f"{ret(x)}, " for x in o) + ")"
        if matrix_mode:
            return f"xp.asarray({printer.doprint(o)}, dtype=_f)"
        return f"_bc(xp, {printer.doprint(o)}, _shape, _f)"

    lines.append(f"    return {ret(outputs)}")
    source = "\n".join(lines) + "\n"
    filename = f"<symdiff-compiled-{fn_name}>"
    namespace = {"math": math, "functools": functools, "_xp": functools.partial(namespace_for, backend),
                 "_float": float_dtype, "_bc": _broadcast, "_broadcast_shapes": _broadcast_shapes,
                 **RUNTIME_HELPERS, **XP_HELPERS}
    if "jax.scipy.special" in source:
        import jax.scipy.special  # noqa: F401
        import jax
        namespace["jax"] = jax
    code = builtins.compile(source, filename, "exec")
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(code, namespace)  # generated from the printed program, never from user text
    fn = namespace[fn_name]
    fn.source = source
    fn.params = params
    fn.backend = backend
    return fn




def _broadcast_shapes(*shapes):
    try:
        return numpy.broadcast_shapes(*shapes)
    except ValueError:
        raise ShapeError(f"arguments of shapes {', '.join(map(str, shapes))} do not broadcast") from None


def _broadcast(xp, value, shape, dtype):
    """Outputs get the arguments' common shape, even constants like a zero gradient."""
    value = xp.asarray(value, dtype=dtype)
    return value if tuple(value.shape) == tuple(shape) else xp.broadcast_to(value, shape)


__all__ = ["generate", "BackendError"]
