r"""Safety policy for generated C#: decided on what the compiler resolved, never on how the text spells it.

A text blocklist loses to ``global::System.@IO.@File``, ``System.\u0049O.Fil\u0065``, aliases and reflection
(issue 13). So the files are compiled with ``mcs`` against the API stubs, as Unity would build them: runtime
scripts into one assembly, scripts under an ``Editor`` folder into a second one that references the first.
Every type and member reference in their metadata is judged by ``policy.judge`` (an allowlist); methods
without IL (``extern``, ``[DllImport]``) are refused; ``unsafe`` code does not compile (no ``-unsafe``).

Without ``mcs`` nothing can be decided: the check *fails closed* (``passed=False`` with ``skipped`` saying
why); ``generate`` then never accepts LLM-written code and uses its own template.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from .assembly import (
    SCRIPTS_ASSEMBLY,
    AssemblyReferences,
    Compilation,
    Reference,
    compile_assembly,
    read_references,
    stubs_assembly,
)
from .base import CheckResult, Diagnostic, relative
from .policy import judge
from .syntax import parse
from .typecheck import find_mcs, parse_mcs_output

NOT_DECIDED_NO_MCS = (
    "mcs not found: the safety policy cannot be decided (install Mono: apt-get install mono-mcs)"
)
"""The ``skipped`` reason of a safety result without a compiler (the result does not pass)."""

EDITOR_FOLDER = "Editor"
"""Unity compiles scripts under any folder of this name into the Editor assembly, never into a player."""


def check_safety(files: list[Path], folder: Path, *, mcs: str | None = None) -> CheckResult:
    """Compile ``files`` and judge every type and member their assemblies reference.

    Args:
        files: C# files.
        folder: the folder paths are reported relative to (and ``Editor`` folders are found under).
        mcs: the compiler to use (default: ``find_mcs()``).

    Returns:
        The ``safety`` result. Without ``mcs``, or when the code does not compile, it does not pass: the
        policy fails closed.

    """
    compiler = mcs or find_mcs()
    if compiler is None:
        diagnostic = Diagnostic(".", 1, 1, "not decided: " + NOT_DECIDED_NO_MCS)
        return CheckResult("safety", passed=False, diagnostics=[diagnostic], skipped=NOT_DECIDED_NO_MCS)
    if not files:
        return CheckResult("safety", passed=True)
    try:
        stubs = stubs_assembly(compiler)
    except (RuntimeError, OSError) as exc:
        return CheckResult("safety", passed=False, diagnostics=[Diagnostic(".", 1, 1, f"not decided: {exc}")])
    runtime = [p for p in files if EDITOR_FOLDER not in _parts(p, folder)]
    editor = [p for p in files if EDITOR_FOLDER in _parts(p, folder)]
    index = SourceIndex(files, folder)
    diagnostics: list[Diagnostic] = []
    with tempfile.TemporaryDirectory(prefix="mlops-safety-") as tmp:
        references = [stubs]
        for group, is_editor, name in (
            (runtime, False, f"{SCRIPTS_ASSEMBLY}.dll"),
            (editor, True, "MlopsEditor.dll"),
        ):
            if not group:
                continue
            compiled = compile_assembly(compiler, group, Path(tmp) / name, references)
            if compiled.dll is None:
                diagnostics += _not_compiled(compiled, folder)
                break
            try:
                found = read_references(compiled.dll)
            except Exception as exc:  # noqa: BLE001 - any reader failure means "not decided": fail closed
                diagnostics.append(Diagnostic(".", 1, 1, f"not decided: cannot read the assembly ({exc})"))
                break
            diagnostics += _judge(found, index, editor=is_editor)
            references = [stubs, compiled.dll]
    unique = {(d.file, d.line, d.column, d.message): d for d in diagnostics}
    ordered = sorted(unique.values(), key=lambda d: (d.file, d.line, d.column, d.message))
    return CheckResult("safety", passed=not ordered, diagnostics=ordered)


def _judge(found: AssemblyReferences, index: SourceIndex, *, editor: bool) -> list[Diagnostic]:
    refused: dict[Reference, str] = {}
    for reference in found.references:
        verdict = judge(reference, editor=editor)
        if verdict is not None:
            refused[reference] = f"{verdict.category}: {verdict.reason}"
    # a refused member already names its type: drop the type-level duplicate
    member_types = {r.type for r in refused if r.member is not None}
    out = []
    for reference, message in refused.items():
        if reference.member is None and reference.type in member_types:
            continue
        users = sorted(found.users.get(reference, set()))
        if not users:
            out.append(Diagnostic(".", 1, 1, message + " (used in a declaration)"))
        for owner, method in users:
            file, line, column, label = index.locate(owner, method)
            out.append(Diagnostic(file, line, column, f"{message} (in {label})"))
    for native in found.native:
        file, line, column, label = index.locate(native.declaring_type, native.name)
        out.append(Diagnostic(file, line, column, f"native: {native.why} is not allowed ({label})"))
    for name in found.unresolved:
        out.append(
            Diagnostic(".", 1, 1, f"not-allowed: a reference to '{name}' on a type the policy cannot name")
        )
    return out


def _not_compiled(compiled: Compilation, folder: Path) -> list[Diagnostic]:
    errors = parse_mcs_output(compiled.output, folder)
    out = []
    for error in errors:
        if error.message.startswith("CS0227"):  # unsafe code without -unsafe
            out.append(Diagnostic(error.file, error.line, error.column, "unsafe: unsafe code is not allowed"))
    if not out:
        first = str(errors[0]) if errors else compiled.output.strip()[-200:]
        out.append(
            Diagnostic(
                ".",
                1,
                1,
                f"not decided: the code does not compile, so its references cannot be read ({first})",
            )
        )
    return out


def _parts(path: Path, folder: Path) -> tuple[str, ...]:
    try:
        return path.resolve().relative_to(folder.resolve()).parts[:-1]
    except ValueError:
        return path.parts[:-1]


# --- mapping a metadata method back to its source ---

_GENERATED = re.compile(r"^<([^>]*)>")


class SourceIndex:
    """Where each class and method of the checked files is declared (tree-sitter), to place diagnostics."""

    def __init__(self, files: list[Path], folder: Path) -> None:
        self.classes: dict[str, tuple[str, int, int]] = {}
        self.methods: dict[tuple[str, str], tuple[str, int, int]] = {}
        for path in files:
            try:
                tree = parse(path.read_bytes())
            except OSError:
                continue
            self._walk(tree.root_node, relative(path, folder), None)

    def _walk(self, node: object, file: str, owner: str | None) -> None:
        for child in node.children:  # type: ignore[attr-defined]  # tree-sitter nodes are untyped here
            kind = child.type
            name_node = child.child_by_field_name("name")
            name = name_node.text.decode() if name_node is not None else None
            where = (file, child.start_point[0] + 1, child.start_point[1] + 1)
            if kind in ("class_declaration", "struct_declaration", "interface_declaration") and name:
                self.classes.setdefault(name, where)
                self._walk(child, file, name)
                continue
            if owner is not None and name:
                static = any(m.text == b"static" for m in child.children if m.type == "modifier")
                if kind == "method_declaration":
                    self.methods.setdefault((owner, name), where)
                elif kind == "constructor_declaration":
                    self.methods.setdefault((owner, ".cctor" if static else ".ctor"), where)
                elif kind == "destructor_declaration":
                    self.methods.setdefault((owner, "Finalize"), where)
                elif kind in ("property_declaration", "indexer_declaration", "event_declaration"):
                    for prefix in ("get_", "set_", "add_", "remove_"):
                        self.methods.setdefault((owner, prefix + name), where)
            self._walk(child, file, owner)

    def locate(self, owner: str, method: str) -> tuple[str, int, int, str]:
        """Place a metadata method (``Ns.Outer/<Co>c__Iterator0``, ``<Heuristic>m__0``) in its source.

        Args:
            owner: the declaring type's full metadata name.
            method: the method's metadata name.

        Returns:
            (file, line, column, ``Class.Method``); ``(".", 1, 1, …)`` when the source is not found.

        """
        parts = owner.split("/")
        match = _GENERATED.match(method)
        if match:
            method = match.group(1)  # a lambda or local function of that method
        while len(parts) > 1 and _GENERATED.match(parts[-1]):
            method = _GENERATED.match(parts[-1]).group(1) or method  # type: ignore[union-attr]  # matched above
            parts.pop()  # an iterator or closure class nested in the class that wrote it
        cls = parts[-1].split(".")[-1]
        label = f"{cls}.{method}"
        where = self.methods.get((cls, method)) or self.classes.get(cls)
        return (*where, label) if where else (".", 1, 1, label)
