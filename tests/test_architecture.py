"""The architecture rule lint-imports cannot see: an import inside a function needs a reason that holds.

docs/architecture.md ("Layers"): imports inside functions remain only where they load something heavy or
optional, or keep the CLI's start-up fast, each tagged with its one-word reason. This test reads every module
of the package with ``ast`` (nothing is imported) and checks each function-level import:

- its line carries ``# heavy``, ``# optional`` or ``# start-up`` (optionally followed by ``:`` and words);
- ``heavy`` / ``optional``: what it loads brings in a heavy or optional package (directly, or for a module of
  this package through its module-level imports) that the importing module does not load already;
- ``start-up``: the importing module is loaded when the CLI starts and what it defers is not (so
  ``mlops-unity --help`` and every command stay fast).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

PACKAGE = "mlops_unity_pipeline"
ROOT = Path(__file__).resolve().parents[1] / "src" / PACKAGE

HEAVY = frozenset(
    {"torch", "numba", "onnx", "onnxruntime", "grpc", "matplotlib", "tensorboard", "tree_sitter"}
    | {"tree_sitter_c_sharp", "dnfile", "PIL", "rich"}
)
"""Installed dependencies that take long to import (native libraries, large trees): loaded on first use."""
OPTIONAL = frozenset({"mlflow", "google.cloud", "google.api_core", "google.auth", "ray", "optuna", "openai"})
OPTIONAL |= {"anthropic", "mcp", "pettingzoo"}
"""The extras of pyproject.toml: they may be missing, so only the code that needs one imports it."""
NAMESPACES = frozenset({"google"})
"""Namespace packages whose parts are distributions of their own (``google.protobuf`` is a core dependency,
``google.cloud`` the Vertex AI extra): named by their first two parts."""
REASONS = ("heavy", "optional", "start-up")
"""The one-word reasons a function-level import may give."""


@dataclass(frozen=True)
class LocalImport:
    """One import statement inside a function."""

    module: str
    """The importing module (dotted)."""
    line: int
    """Its line in the module's file."""
    targets: tuple[str, ...]
    """The dotted names it loads (modules of this package resolved, external packages as written)."""
    reason: str
    """The first word of the line's comment ('' without one)."""

    def __str__(self) -> str:
        """Return ``module:line -> targets``."""
        return f"{self.module}:{self.line} -> {', '.join(self.targets)}"


def _module_name(path: Path) -> str:
    parts = [PACKAGE, *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}
"""Every module of the package, by dotted name."""
CLI = tuple(m for m in MODULES if m.startswith(f"{PACKAGE}.cli.") or m == f"{PACKAGE}.__main__")
"""The CLI's modules (``cli/app.py`` loads every command module): what they load at import is what every
``mlops-unity`` command waits for."""


def _is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def _targets(node: ast.Import | ast.ImportFrom, module: str) -> tuple[str, ...]:
    """Resolve an import to the modules it loads (``from pkg import sub`` loads ``pkg.sub`` when a module)."""
    if isinstance(node, ast.Import):
        return tuple(alias.name for alias in node.names)
    base = node.module or ""
    if node.level:
        anchor = module.split(".")
        anchor = anchor if _is_package(module) else anchor[:-1]
        anchor = anchor[: len(anchor) - node.level + 1]
        base = ".".join([*anchor, base] if base else anchor)
    subs = tuple(f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in MODULES)
    lazy = tuple(t for alias in node.names for t in _lazy_targets(base, alias.name))
    return (base, *subs, *lazy)


def _lazy_targets(package: str, name: str) -> tuple[str, ...]:
    """What ``from package import name`` loads when ``name`` is resolved by ``__getattr__`` (PEP 562).

    Every module the package's ``__getattr__`` may import (its imports, and the module names of a ``_LAZY``
    mapping), when ``name`` is not bound in the package itself.
    """
    if package not in MODULES or not _is_package(package) or f"{package}.{name}" in MODULES:
        return ()
    tree = _tree(package)
    getattr_ = next(
        (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "__getattr__"), None
    )
    if getattr_ is None or name in _bound(tree):
        return ()
    found = [
        t
        for n in ast.walk(getattr_)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for t in _targets(n, package)
    ]
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "_LAZY" for t in node.targets):
            for value in getattr(node.value, "values", []):
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    relative = value.value.lstrip(".")
                    found.append(f"{package}.{relative}")
    return tuple(t for t in found if t.split(".")[0] != "importlib")


def _bound(tree: ast.Module) -> set[str]:
    """Names a module binds at its top level (imports, assignments, definitions)."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
    return names


@cache
def _tree(module: str) -> ast.Module:
    return ast.parse(MODULES[module].read_text(encoding="utf-8"))


def _top_level_imports(module: str) -> list[str]:
    """What importing ``module`` executes: imports outside functions and ``if TYPE_CHECKING:`` blocks."""
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                visit(ast.Module(body=child.orelse, type_ignores=[]))
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.extend(_targets(child, module))
            visit(child)

    visit(_tree(module))
    return found


def _with_parents(name: str) -> list[str]:
    """A dotted name and the packages above it, each of which an import runs."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


@cache
def closure(module: str) -> tuple[frozenset[str], frozenset[str]]:
    """What importing ``module`` runs: ``(modules of this package, distributions outside it)``."""
    seen: set[str] = set()
    external: set[str] = set()
    stack = [module]
    while stack:
        current = stack.pop()
        for name in _with_parents(current):
            if name in MODULES and name not in seen:
                seen.add(name)
                for target in _top_level_imports(name):
                    if target.split(".")[0] == PACKAGE:
                        stack.append(target)
                    else:
                        external.add(_distribution(target))
    return frozenset(seen), frozenset(external)


@cache
def cli_start() -> tuple[frozenset[str], frozenset[str]]:
    """What the CLI loads when it starts: the union of its modules' closures."""
    parts = [closure(m) for m in CLI]
    return frozenset().union(*(p[0] for p in parts)), frozenset().union(*(p[1] for p in parts))


def loaded(module: str) -> frozenset[str]:
    """The distributions outside the package that importing ``module`` loads (module-level imports)."""
    return closure(module)[1]


def _distribution(name: str) -> str:
    """The distribution a dotted external name belongs to (``torch.nn``: ``torch``; ``google.cloud.x``)."""
    parts = name.split(".")
    return ".".join(parts[:2]) if parts[0] in NAMESPACES else parts[0]


def _loads(target: str) -> frozenset[str]:
    """External packages that importing ``target`` brings in."""
    if target.split(".")[0] == PACKAGE:
        return loaded(target) if target in MODULES else frozenset()
    return frozenset({_distribution(target)})


def local_imports() -> list[LocalImport]:
    """Every import statement inside a function of the package, with its reason."""
    found: list[LocalImport] = []
    for module, path in MODULES.items():
        lines = path.read_text(encoding="utf-8").splitlines()

        def visit(node: ast.AST, inside: bool, module: str = module, lines: list[str] = lines) -> None:
            for child in ast.iter_child_nodes(node):
                if inside and isinstance(child, ast.Import | ast.ImportFrom):
                    comment = lines[child.lineno - 1].partition("#")[2].strip()
                    reason = comment.split(":")[0].split()[0] if comment else ""
                    found.append(LocalImport(module, child.lineno, _targets(child, module), reason))
                visit(child, inside or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

        visit(_tree(module), False)
    return found


def problem(item: LocalImport) -> str | None:
    """What is wrong with one function-level import, or None when its reason holds."""
    if item.reason not in REASONS:
        return (
            f"tag it '# heavy', '# optional' or '# start-up' (or import it at the top), got {item.reason!r}"
        )
    if item.reason == "start-up":
        modules, external = cli_start()
        if item.module not in modules:
            return "'start-up' defers only in modules the CLI loads when it starts"
        kept_out = [t for t in item.targets if t not in modules and _distribution(t) not in external]
        return None if kept_out else "the CLI loads it when it starts anyway: import it at the top"
    already = loaded(item.module)
    kinds = HEAVY if item.reason == "heavy" else OPTIONAL
    new = set().union(*(_loads(t) for t in item.targets)) - already
    if not new & kinds:
        return f"loads no {item.reason} package the module does not load already: import it at the top"
    return None


def test_the_scan_sees_function_level_imports():
    """The scan finds the known deferred imports (so an empty result cannot pass by accident)."""
    found = {str(item) for item in local_imports()}
    assert f"{PACKAGE}.sim.accel:{_line('sim/accel.py', 'import numba')} -> numba" in found
    assert loaded(f"{PACKAGE}.rl.ppo") >= {"torch", "numpy"}
    assert "torch" not in loaded(f"{PACKAGE}.errors")


def _line(relative: str, text: str) -> int:
    lines = (ROOT / relative).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.strip().startswith(text))


SPACES = f"{PACKAGE}.spaces"
"""A module that loads neither torch nor mlflow, and that the CLI does not load when it starts."""
CLI_SIM = f"{PACKAGE}.cli.sim"
"""A command module (the CLI loads it when it starts)."""


@pytest.mark.parametrize(
    ("module", "source", "reason", "expected"),
    [
        (SPACES, "import torch", "heavy", None),
        (SPACES, "import json", "heavy", "loads no heavy"),
        (SPACES, "from .errors import SpecError", "heavy", "loads no heavy"),
        (SPACES, "import mlflow", "optional", None),
        (SPACES, "import mlflow", "heavy", "loads no heavy"),
        (SPACES, "import torch", "", "tag it"),
        (SPACES, "import torch", "cycle", "tag it"),
        (SPACES, "import torch", "start-up", "modules the CLI loads"),
        (CLI_SIM, "from ..errors import SpecError", "start-up", "loads it when it starts"),
        (CLI_SIM, "from ..rl.learn import learn", "start-up", None),
    ],
)
def test_the_rule_refuses_light_or_untagged_imports(module, source, reason, expected):
    """A light target, a missing or unknown tag, or a start-up deferral the CLI loads anyway is reported."""
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.Import | ast.ImportFrom)
    item = LocalImport(module, 1, _targets(node, module), reason)
    result = problem(item)
    assert (result is None) if expected is None else (expected in (result or ""))


def test_every_function_level_import_has_a_reason_that_holds():
    """Each import inside a function is tagged and loads what its tag says; every other one is at the top."""
    problems = [f"{item}: {message}" for item in local_imports() if (message := problem(item))]
    assert not problems, "\n".join(problems)


def test_the_cli_starts_without_the_pipeline_or_heavy_packages():
    """What every command waits for stays small: no stages, trainer, simulator or heavy package at start."""
    modules, external = cli_start()
    for deferred in ("orchestrator.pipeline", "rl.learn", "sim", "behavior"):
        assert f"{PACKAGE}.{deferred}" not in modules
    assert not external & (HEAVY | OPTIONAL)
