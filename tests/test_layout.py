"""The layout holds: dependencies point one way, no import circle, no module too long to read.

The project's modules are read with ``ast`` (nothing is imported): every ``import`` and
``from … import`` counts, at module level or inside a function, since a function-level import
is a dependency all the same. ``from package import name`` counts as an import of
``package.name`` when that is a module.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Each project app and the apps it may import (besides itself). Above both domain apps sit the
# capabilities that span them; devtools and config sit on top.
ALLOWED = {
    "partners": set(),
    "jobs": set(),
    "conference": {"partners"},
    "importing": {"partners", "jobs"},
    "duplicates": {"partners", "conference"},
    "privacy": {"partners", "conference", "accounts"},
    "contact_sheets": {"partners", "conference", "privacy", "jobs"},
    "programme": {"partners", "conference", "importing"},
    "devtools": {"partners", "conference", "importing", "contact_sheets", "programme", "outreach"},
    "accounts": {"partners"},
    "documents": {"partners", "conference", "contact_sheets", "privacy", "jobs"},
    "outreach": {"partners", "conference"},
    "config": {
        "jobs",
        "partners",
        "conference",
        "importing",
        "contact_sheets",
        "duplicates",
        "programme",
        "devtools",
        "accounts",
        "documents",
        "outreach",
        "privacy",
    },
}
MAX_LINES = 700


def module_files(root):
    """``{module name: path}`` of the project's packages under ``root`` (tests and migrations left out)."""
    modules = {}
    for package in sorted(path.parent for path in root.glob("*/__init__.py")):
        if package.name in {"tests", "node_modules"} or package.name.startswith("."):
            continue
        for path in package.rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def imports_of(path, modules):
    """The project modules ``path`` imports, anywhere in the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        found.update(name for name in names if name in modules)
    return found


def import_graph(root):
    modules = module_files(root)
    return {name: imports_of(path, modules) - {name} for name, path in modules.items()}


def cycles(graph):
    """The import circles of ``graph`` (strongly connected parts of more than one module), Tarjan's way."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            part = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                part.append(member)
                if member == node:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@pytest.fixture(scope="module")
def graph():
    return import_graph(ROOT)


def test_partners_imports_no_other_project_app(graph):
    wrong = {
        f"{module} imports {target}"
        for module, targets in graph.items()
        if module.split(".")[0] == "partners"
        for target in targets
        if target.split(".")[0] != "partners"
    }
    assert sorted(wrong) == []


def test_every_app_imports_only_the_apps_below_it(graph):
    assert set(ALLOWED) == {module.split(".")[0] for module in graph}, "a new app needs its place in ALLOWED"
    wrong = {
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if target.split(".")[0] not in {module.split(".")[0], *ALLOWED[module.split(".")[0]]}
    }
    assert sorted(wrong) == []


def test_no_import_circle_between_the_project_modules(graph):
    assert cycles(graph) == []


def test_no_module_is_too_long_to_read():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in module_files(ROOT).values()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_walker_sees_function_level_imports_and_circles(tmp_path):
    (tmp_path / "alpha").mkdir()
    (tmp_path / "alpha" / "__init__.py").write_text("")
    (tmp_path / "alpha" / "one.py").write_text("from alpha import two\n")
    (tmp_path / "alpha" / "two.py").write_text("def later():\n    from alpha.three import thing\n")
    (tmp_path / "alpha" / "three.py").write_text("import alpha.one\nthing = 1\n")
    (tmp_path / "alpha" / "migrations").mkdir()
    (tmp_path / "alpha" / "migrations" / "0001_initial.py").write_text("import alpha.one\n")

    graph = import_graph(tmp_path)

    assert graph == {
        "alpha": set(),
        "alpha.one": {"alpha", "alpha.two"},
        "alpha.two": {"alpha.three"},
        "alpha.three": {"alpha.one"},
    }
    assert cycles(graph) == [["alpha.one", "alpha.three", "alpha.two"]]
