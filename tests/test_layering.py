"""The code's layers: each folder of builder/ imports only from itself and the folders below it,
and no two modules import each other, directly or through others. A newcomer can then read the
package bottom-up (core, people, stages, pipeline, outputs, mkdocs, commands), and a change to
how pages look never reaches the extraction (whose cache it would invalidate)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "builder"
# bottom to top; the package's own __init__ (its version) is below everything
LAYERS = ["core", "people", "stages", "pipeline", "outputs", "mkdocs", "commands", "__main__"]


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """{module: the modules of this package it imports}, relative imports at any depth."""
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    out: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        if name == "":
            package = []
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {id(n) for block in ast.walk(tree) if _is_type_checking(block)
                       for n in ast.walk(block)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not node.level or id(node) in typing_only:
                continue
            base = package[:len(package) - node.level + 1]
            stem = base + (node.module.split(".") if node.module else [])
            for target in [".".join(stem)] + [".".join(stem + [a.name]) for a in node.names]:
                if target in modules and target != name:
                    out[name].add(target)
    return out


def _is_type_checking(node) -> bool:
    """``if TYPE_CHECKING:``: imports for type names only, never run."""
    return isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"


def _layer(module: str) -> int:
    top = module.split(".")[0]
    return LAYERS.index(top) if top in LAYERS else -1


def test_every_folder_imports_only_from_itself_and_the_layers_below():
    wrong = sorted(f"{a} imports {b}" for a, targets in _imports().items() for b in targets
                   if _layer(b) > _layer(a))
    assert wrong == []


def test_every_module_is_in_a_known_layer():
    assert sorted(m for m in _imports() if m and _layer(m) < 0 and "." not in m) == []


def test_no_import_cycles():
    graph = _imports()

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            here = todo.pop()
            for nxt in graph[here]:
                if nxt == goal:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    assert sorted(f"{a} <-> {b}" for a in graph for b in graph[a] if reaches(b, a)) == []
