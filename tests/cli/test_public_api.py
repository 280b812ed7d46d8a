"""The package's public names stay the functions they name, whatever was imported first."""
import importlib
import pkgutil
import types

import symdiff


def test_exports_are_not_shadowed_by_submodules():
    for info in pkgutil.walk_packages(symdiff.__path__, "symdiff."):
        if info.name.startswith("symdiff.testing.plugin"):
            continue
        importlib.import_module(info.name)
    for name in symdiff.__all__:
        if name == "__version__":
            continue
        value = getattr(symdiff, name)
        assert not isinstance(value, types.ModuleType), f"symdiff.{name} is a module, not the function"
