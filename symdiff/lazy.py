"""Package attributes loaded on first use (PEP 562), so that importing a package, or
running ``symdiff <command> --help``, does not load SymPy or NumPy until a name is used."""
from __future__ import annotations

import importlib


def lazy_exports(namespace: dict, exports: dict[str, str]):
    """A module ``__getattr__`` for the package whose globals are ``namespace``.

    ``exports`` maps a public name to the module defining it, absolute
    (``"symdiff.program"``) or relative to the package (``".build"``); the value is
    imported on first access and then kept in the package's namespace.
    """
    package = namespace["__name__"]

    def __getattr__(name: str):
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        namespace[name] = value
        return value

    return __getattr__
