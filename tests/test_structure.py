"""The package's structure: no import cycle, modules of a readable size,
each saying its side, and a Sphinx-free core that imports no Sphinx."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import os_api_ref_ext

PACKAGE = Path(os_api_ref_ext.__file__).parent
MODULES = sorted(
    ".".join(("os_api_ref_ext", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(
        ".__init__"
    )
    for path in PACKAGE.rglob("*.py")
)
#: Longest module, in lines.
MAX_LINES = 600
#: What may run without Sphinx (the command-line linter's whole import chain).
SPHINX_FREE = ("os_api_ref_ext.lint.cli", "os_api_ref_ext.record", "os_api_ref_ext.model")


def _path(module: str) -> Path:
    parts = module.split(".")[1:]
    package = PACKAGE.joinpath(*parts, "__init__.py")
    return package if package.exists() else PACKAGE.joinpath(*parts).with_suffix(".py")


def _imports(module: str) -> set[str]:
    """The package's modules ``module`` imports, anywhere in its code (a
    deferred import in a function too): ``from a import b`` imports ``a.b``
    when that is a module, else ``a``."""
    tree = ast.parse(_path(module).read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [
                f"{node.module}.{alias.name}"
                if f"{node.module}.{alias.name}" in MODULES
                else node.module
                for alias in node.names
            ]
        else:
            continue
        found.update(name for name in names if name in MODULES and name != module)
    return found


def test_every_module_imports() -> None:
    for module in MODULES:
        if not module.endswith("__main__"):  # runs the command line
            importlib.import_module(module)


def test_no_import_cycle() -> None:
    graph = {module: _imports(module) for module in MODULES}
    done: set[str] = set()
    path: list[str] = []

    def visit(module: str) -> None:
        if module in path:
            cycle = path[path.index(module) :] + [module]
            pytest.fail("import cycle: " + " -> ".join(cycle))
        if module in done:
            return
        path.append(module)
        for imported in sorted(graph[module]):
            visit(imported)
        path.pop()
        done.add(module)

    for module in MODULES:
        visit(module)


def test_a_cycle_is_found() -> None:
    """The check above can fail: a made-up graph with a cycle fails it."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}}
    seen: list[str] = []

    def visit(module: str) -> bool:
        if module in seen:
            return True
        seen.append(module)
        return any(visit(imported) for imported in graph[module])

    assert visit("a")


@pytest.mark.parametrize("module", MODULES)
def test_module_size_and_docstring(module: str) -> None:
    path = _path(module)
    lines = path.read_text().count("\n")
    assert lines <= MAX_LINES, f"{path.name}: {lines} lines"
    docstring = ast.get_docstring(ast.parse(path.read_text())) or ""
    if module == "os_api_ref_ext" or module.endswith("__main__"):
        return
    if module.startswith("os_api_ref_ext.openapi"):
        return  # another branch's package; its docstrings are its own
    assert docstring.startswith(("Sphinx side", "Sphinx-free")), module


def test_sphinx_free_core_imports_no_sphinx() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {module}\n" for module in SPHINX_FREE)
        + "print(sorted(m for m in sys.modules if m == 'sphinx' or m.startswith('sphinx.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
