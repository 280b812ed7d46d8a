"""The structure ARCHITECTURE.md promises, measured from the code.

Layers go one way (the `lint-imports` contracts in pyproject.toml), no import
cycles between modules (imports inside functions count), no private name of
one module used by another, no module over 800 lines.
"""
from __future__ import annotations

import ast
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "symdiff"
MAX_LINES = 800


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _resolve(module: str, path: pathlib.Path, node: ast.ImportFrom) -> str | None:
    """The absolute module an ``import from`` names, or None when it is not symdiff's."""
    if node.level == 0:
        name = node.module or ""
        return name if name == "symdiff" or name.startswith("symdiff.") else None
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports():
    """(importer, imported module, names, line) for every import of symdiff, wherever it sits."""
    known = {name for _, name in _modules()}
    for path, module in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                target = _resolve(module, path, node)
                if target is None:
                    continue
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    yield module, (sub if sub in known else target), alias.name, node.lineno, path
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("symdiff"):
                        yield module, alias.name, None, node.lineno, path


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (iterative Tarjan)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_no_import_cycles_between_modules():
    edges: dict[str, set[str]] = {}
    for importer, imported, _, _, _ in _imports():
        # a package's __init__ re-exporting its submodules is not a cycle of theirs
        if importer == imported or importer.startswith(imported + ".") or imported == "symdiff":
            continue
        edges.setdefault(importer, set()).add(imported)
    assert _cycles(edges) == []


def test_no_private_name_imported_across_modules():
    private = [f"{path.relative_to(ROOT)}:{line} imports {name} from {imported}"
               for importer, imported, name, line, path in _imports()
               if name and name.startswith("_") and not name.startswith("__")]
    assert private == []


def test_no_module_over_800_lines():
    long = {str(path.relative_to(ROOT)): n for path, _ in _modules()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_import_contracts_hold():
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    run = subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command;"
                          " sys.exit(lint_imports_command())", "--no-cache"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]


def test_the_checks_see_a_cycle_and_a_private_import():
    # the measuring itself: a made-up cycle is found, a made-up graph without one is not
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": {"c"}}) == []
    tree = ast.parse("from .program import _fresh")
    node = tree.body[0]
    assert _resolve("symdiff.reverse", PACKAGE / "reverse.py", node) == "symdiff.program"


if __name__ == "__main__":  # pragma: no cover - a quick report while restructuring
    sys.exit(pytest.main([__file__, "-q"]))
