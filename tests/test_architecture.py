"""The structure the code promises: no import cycle inside a package, and no code outside the
engine touching the simulator's or the kernel's private attributes.

Both read the source with ``ast``, so an import inside a function, under ``TYPE_CHECKING``,
or made lazily for a notebook counts as much as one at the top of a module.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from pmsim.engine.kernel import Kernel, Operation
from pmsim.engine.simulator import Simulator

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pmsim"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imported(name: str, tree: ast.Module) -> Iterator[str]:
    """The pmsim modules ``name`` imports, wherever in the file the import stands."""
    is_package = MODULES[name].name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name in MODULES)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's package, up level - 1 more
                package = name.split(".") if is_package else name.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            for alias in node.names:
                target = f"{base}.{alias.name}"
                if target in MODULES:  # "from pmsim.engine import rules" imports a module
                    yield target
                elif base in MODULES:
                    yield base


def package_of(name: str) -> str:
    return name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]


def graph() -> dict[str, set[str]]:
    """Each module's imports of modules in its own package (a package's __init__ included)."""
    edges: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        here = package_of(name)
        edges[name] = {
            target for target in imported(name, tree)
            if target != name and (package_of(target) == here or target == here)
        }  # fmt: skip
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each as a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_package_imports_itself_in_a_circle() -> None:
    found = cycles(graph())
    assert not found, "import cycles inside a package:\n" + "\n".join(
        " <-> ".join(group) for group in found
    )


def test_the_cycle_finder_finds_a_cycle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c"]]


#: Names the simulator's outer layers once reached into, kept so they cannot come back.
FORMER_REACH_INS = frozenset(
    {
        "_store",
        "_lock",
        "_ids",
        "_api_state",
        "_answer",
        "_listeners",
        "_restore_refused",
        "_operation",
        "_request",
    }  # fmt: skip
)


def private_names() -> frozenset[str]:
    """Every private attribute a simulator, its kernel or an operation has."""
    sim = Simulator()
    names = {*vars(Simulator), *vars(sim), *Kernel.__slots__, *Operation.__slots__}
    names |= {*vars(Kernel), *vars(Operation)}
    # _repr_html_ and the like are protocols (Jupyter calls them), not private.
    return frozenset(n for n in names if n.startswith("_") and not n.endswith("_"))


def reach_ins(source: str, label: str, private: frozenset[str]) -> Iterator[str]:
    for node in ast.walk(ast.parse(source, label)):
        if isinstance(node, ast.Attribute) and node.attr in private:
            owner = ast.unparse(node.value)
            # self._x in a class of its own (a transport's _lock) is that class's business.
            if owner != "self":
                yield f"{label}:{node.lineno}: {owner}.{node.attr}"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "setattr", "hasattr", "delattr"}
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in private
        ):  # getattr(sim, "_kernel") reaches in as much as sim._kernel does
            yield f"{label}:{node.lineno}: {node.args[1].value!r}"


def test_nothing_outside_the_engine_touches_the_simulators_private_attributes() -> None:
    private = private_names() | FORMER_REACH_INS
    engine = PACKAGE / "engine"
    outside = [
        path for folder in (PACKAGE, ROOT / "tests") for path in folder.rglob("*.py")
        if engine not in path.parents and path != Path(__file__)
        # not the real clients' own installs (tests/integrations/*/.venv, node_modules)
        and not any(part.startswith(".") or part == "node_modules"
                    for part in path.relative_to(ROOT).parts)
    ]  # fmt: skip
    found = [
        line for path in outside
        for line in reach_ins(path.read_text("utf-8"), str(path.relative_to(ROOT)), private)
    ]  # fmt: skip
    assert not found, "use the simulator's public seam instead:\n" + "\n".join(found)


def test_the_reach_in_finder_sees_one() -> None:
    private = private_names()
    assert {"_kernel"} <= private
    source = (
        "def f(sim):\n    with sim._kernel.lock:\n        return self._kernel\n"
        "k = getattr(sim, '_kernel')\n"
    )
    found = sorted(reach_ins(source, "x.py", private))
    assert found == ["x.py:2: sim._kernel", "x.py:4: '_kernel'"]
