"""Shape check for LLM-written bodies: the model may fill method bodies, nothing else (tree-sitter).

The bodies are spliced into the template, so the only way to change the class is a body that closes its method
early (``} static Agent() { … } void Pad() {``): a static constructor, finalizer, constructor, ``[DllImport]``
method, field or nested type would then run or exist although no editable method calls it. Three tests catch
that: the list of declarations (kind, owner, name) equals the template's; the whole text outside the editable
bodies equals the template's byte for byte (``CollectObservations``, constants and attributes stay the IR's);
and the bodies hold no preprocessor directive (``#if``/``#define`` could hide or unhide template text).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .base import CheckResult, Diagnostic
from .syntax import parse

TYPE_KINDS = {
    "class_declaration": "class",
    "struct_declaration": "struct",
    "interface_declaration": "interface",
    "enum_declaration": "enum",
    "delegate_declaration": "delegate",
    "record_declaration": "record",
}
"""tree-sitter-c-sharp type declaration nodes → the kind word of a type (also ``api_surface.py``'s)."""

KIND_LABELS = {
    "constructor_declaration": "constructor",
    "destructor_declaration": "finalizer",
    "method_declaration": "method",
    "field_declaration": "field",
    "property_declaration": "property",
    "event_declaration": "event",
    "event_field_declaration": "event",
    "indexer_declaration": "indexer",
    "operator_declaration": "operator",
    "conversion_operator_declaration": "conversion operator",
    **TYPE_KINDS,
    "namespace_declaration": "namespace",
    "using_directive": "using directive",
    "extern_alias_directive": "extern alias",
    "global_attribute": "assembly attribute",
}
"""tree-sitter-c-sharp declaration nodes and how a diagnostic names them."""

_BODIES = frozenset({"block", "arrow_expression_clause"})


def check_structure(template: str, candidate: str, file: str, editable: Iterable[str]) -> CheckResult:
    """Check that ``candidate`` differs from ``template`` only inside the bodies of the ``editable`` methods.

    Args:
        template: the template's source (its own bodies).
        candidate: the same file with LLM-written bodies spliced in.
        file: the name to report.
        editable: names of the methods whose bodies may differ.

    Returns:
        The ``structure`` result.

    """
    names = frozenset(editable)
    template_tree = parse(template.encode("utf-8")).root_node
    candidate_tree = parse(candidate.encode("utf-8")).root_node
    diagnostics: list[Diagnostic] = []
    want = [d[:3] for d in declarations(template_tree)]
    found = declarations(candidate_tree)
    got = [d[:3] for d in found]
    if want != got:
        added = [_label(d) for d in got if d not in want]
        removed = [_label(d) for d in want if d not in got]
        line = next((d[3] for d in found if d[:3] not in want), 1)
        diagnostics.append(
            Diagnostic(
                file,
                line,
                1,
                f"class members changed: added {added}, removed {removed} (only bodies may change)",
            )
        )
    for node in _editable_bodies(candidate_tree, names):
        for directive in _preprocessor(node):
            diagnostics.append(
                Diagnostic(
                    file,
                    directive.start_point[0] + 1,
                    directive.start_point[1] + 1,
                    "preprocessor directives are not allowed in method bodies",
                )
            )
    if not diagnostics and _outside_bodies(template, template_tree, names) != _outside_bodies(
        candidate, candidate_tree, names
    ):
        diagnostics.append(
            Diagnostic(file, 1, 1, "code outside the editable method bodies changed (only bodies may change)")
        )
    return CheckResult("structure", passed=not diagnostics, diagnostics=diagnostics)


def declarations(root: Any) -> list[tuple[str, str, str, int]]:
    """Every declaration outside method bodies: (kind, owner path, name, 1-based line), in source order.

    The line is for messages only; shapes are compared on (kind, owner, name).

    Args:
        root: a tree-sitter root node.

    Returns:
        The declarations; a static constructor is kind ``static constructor``.

    """
    found: list[tuple[str, str, str, int]] = []

    def walk(node: Any, owner: str) -> None:
        for child in node.children:
            if child.type in _BODIES:
                continue  # a body: local variables and functions are the body's business
            label = KIND_LABELS.get(child.type)
            if label is None:
                walk(child, owner)
                continue
            name = _name(child)
            if child.type == "constructor_declaration" and any(
                m.type == "modifier" and m.text == b"static" for m in child.children
            ):
                label = "static constructor"
            found.append((label, owner, name, child.start_point[0] + 1))
            walk(child, f"{owner}.{name}" if owner else name)

    walk(root, "")
    return found


def _label(declaration: tuple[str, str, str]) -> str:
    kind, owner, name = declaration
    return f"{kind} {owner + '.' if owner else ''}{name}"


def _name(node: Any) -> str:
    name = node.child_by_field_name("name")
    if name is not None:
        return name.text.decode("utf-8", "replace")
    for child in node.children:
        if child.type == "variable_declaration":
            names = [c.child_by_field_name("name") for c in child.children if c.type == "variable_declarator"]
            return ",".join(n.text.decode("utf-8", "replace") for n in names if n is not None)
    return " ".join(node.text.decode("utf-8", "replace").split())[:60]


def _editable_bodies(root: Any, names: frozenset[str]) -> list[Any]:
    out = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "method_declaration" and _name(node) in names:
            body = node.child_by_field_name("body")
            if body is not None:
                out.append(body)
            continue
        stack.extend(node.children)
    return sorted(out, key=lambda n: n.start_byte)


def _preprocessor(node: Any) -> list[Any]:
    found = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type.startswith("preproc"):
            found.append(current)
            continue
        stack.extend(current.children)
    return found


def _outside_bodies(source: str, root: Any, names: frozenset[str]) -> bytes:
    data = source.encode("utf-8")
    out, pos = [], 0
    for body in _editable_bodies(root, names):
        out += [data[pos : body.start_byte], b"{}"]
        pos = body.end_byte
    out.append(data[pos:])
    return b"".join(out)
