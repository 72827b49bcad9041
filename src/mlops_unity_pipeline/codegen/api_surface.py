"""The public API surface of C# source: every type a user assembly can see, with its visible members.

Read with tree-sitter-c-sharp after the ``#if`` branches for a set of scripting symbols are resolved. Used two
ways with the same code, so that both sides are read alike: ``scripts/extract_mlagents_api.py`` records the
surface of the real ``com.unity.ml-agents`` package (facts: names, kinds, signatures, modifiers) as JSON, and
the tests read our stubs (``codegen/stubs``) and compare.

Signatures are canonical text: modifiers in a fixed order, whitespace collapsed, and type names without their
namespace qualifier (``Unity.Sentis.ModelAsset`` reads ``ModelAsset``) because source files spell them either
way; a type's own namespace is part of its key, and the compile check catches a wrong namespace at a use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .checks.preprocess import preprocess
from .checks.structure import TYPE_KINDS
from .checks.syntax import parse

MODIFIER_ORDER = (
    "public",
    "protected",
    "internal",
    "private",
    "new",
    "static",
    "const",
    "readonly",
    "volatile",
    "abstract",
    "virtual",
    "sealed",
    "override",
    "extern",
    "unsafe",
    "ref",
)
"""Canonical order of modifiers in a signature (``partial`` and ``async`` are not part of an API)."""


SIGNIFICANT_ATTRIBUTES = frozenset({"Flags", "AttributeUsage", "Obsolete"})
"""Attributes recorded in signatures: they change what compiles (``AttributeUsage``), how an enum combines
(``Flags``) or warn a user (``Obsolete``); layout attributes such as ``AddComponentMenu`` are left out."""

_QUALIFIED = re.compile(r"(?:\b[A-Za-z_]\w*\s*(?:\.|::)\s*)+([A-Za-z_]\w*)")
_SPACE = re.compile(r"\s+")
_RANK = re.compile(r"\[[\s,]*\]")
_WHERE = "\x00"  # separates a header from its generic constraints until the bases are merged in
_PUNCT_SPACE = re.compile(r"\s*([<>(),\[\]?])\s*")


@dataclass(frozen=True)
class ApiMember:
    """One visible member of a type."""

    kind: str
    """``method``, ``constructor``, ``property``, ``indexer``, ``field``, ``event``, ``operator``,
    ``enum_member`` or ``type`` (a nested type, described in full by its own ``ApiType``)."""
    name: str
    """The member's name (``this`` for an indexer, ``operator ==`` for an operator)."""
    signature: str
    """Canonical declaration text, e.g. ``protected internal virtual void Awake()``."""


@dataclass(frozen=True)
class ApiType:
    """A type visible outside its assembly."""

    name: str
    """Full name with namespace and enclosing types, e.g. ``Unity.MLAgents.Sensors.RayPerceptionInput``; a
    generic type ends in a backquote and its arity, as in .NET (``...Actuators.ActionSegment`1``)."""
    kind: str
    """``class``, ``struct``, ``interface``, ``enum``, ``delegate`` or ``record``."""
    signature: str
    """Canonical header, e.g. ``public class Agent : MonoBehaviour, IActionReceiver``."""
    members: tuple[ApiMember, ...]
    """Visible members, sorted by (kind, name, signature)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "name": self.name,
            "kind": self.kind,
            "signature": self.signature,
            "members": [{"kind": m.kind, "name": m.name, "signature": m.signature} for m in self.members],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ApiType:
        """Rebuild from ``to_dict`` output."""
        members = tuple(ApiMember(m["kind"], m["name"], m["signature"]) for m in data["members"])
        return cls(data["name"], data["kind"], data["signature"], members)


def read_surface(files: Iterable[Path], defines: Iterable[str]) -> dict[str, ApiType]:
    """Read the visible API of a set of C# files (partial types merged).

    Args:
        files: C# sources.
        defines: scripting symbols for ``#if`` (e.g. a player build's).

    Returns:
        Visible types by full name.

    """
    symbols = list(defines)
    merged: dict[str, _Declaration] = {}
    for path in files:
        text = preprocess(path.read_text(encoding="utf-8-sig"), symbols).encode()
        for part in _walk(parse(text).root_node, text, namespace="", outer="", outer_kind=""):
            known = merged.get(part.full)
            if known is None:
                merged[part.full] = part
                continue
            known.heads += part.heads
            known.bases += [b for b in part.bases if b not in known.bases]
            known.members += [m for m in part.members if m not in known.members]
            known.declares_constructor |= part.declares_constructor
            known.visible |= part.visible
    # a ``partial`` part without an access modifier takes the one another part declares
    kept = {full for full, d in merged.items() if d.visible}
    kept = {full for full in kept if all(outer in kept for outer in _enclosing(full, merged))}
    return {full: merged[full].api() for full in kept}


def _enclosing(full: str, known: dict) -> list[str]:
    parts = full.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts)) if ".".join(parts[:i]) in known]


def drop_invisible_bases(types: dict[str, ApiType], hidden: set[str]) -> dict[str, ApiType]:
    """Remove base-list entries that name types a user cannot see (e.g. an ``internal`` interface).

    Args:
        types: visible types by full name.
        hidden: simple names of the assembly's non-visible types.

    Returns:
        The same types with those bases removed from their signatures.

    """
    out = {}
    for full, api in types.items():
        main, where, constraints = api.signature.partition(" where ")
        head, _, bases = main.partition(" : ")
        kept = [b for b in _split_top(bases) if _simple(b) not in hidden]
        signature = head + (" : " + ", ".join(kept) if kept else "")
        signature += f" where {constraints}" if where else ""
        out[full] = ApiType(full, api.kind, signature, api.members)
    return out


def hidden_type_names(files: Iterable[Path], defines: Iterable[str]) -> set[str]:
    """Return the simple names of types declared in ``files`` that are not visible outside the assembly.

    Args:
        files: C# sources.
        defines: scripting symbols for ``#if``.

    Returns:
        Names such as ``IBuiltInSensor`` when it is ``internal``.

    """
    symbols = list(defines)
    visible: set[str] = set()
    every: set[str] = set()
    for path in files:
        text = preprocess(path.read_text(encoding="utf-8-sig"), symbols).encode()
        for node, is_visible in _all_type_nodes(parse(text).root_node, True):
            name = _text(node.child_by_field_name("name"), text)
            every.add(name)
            if is_visible:
                visible.add(name)
    return every - visible


# --- walking the tree ---


def _text(node: Any, source: bytes) -> str:
    return source[node.start_byte : node.end_byte].decode("utf-8") if node is not None else ""


def _modifiers(node: Any, source: bytes) -> list[str]:
    return [_text(c, source) for c in node.children if c.type == "modifier"]


def _is_visible(modifiers: list[str], in_interface: bool) -> bool:
    if in_interface:
        return "private" not in modifiers
    if "private" in modifiers:  # includes ``private protected``: only the declaring assembly's subclasses
        return False
    return "public" in modifiers or "protected" in modifiers


def _canonical_modifiers(modifiers: list[str]) -> str:
    known = [m for m in MODIFIER_ORDER if m in modifiers]
    return " ".join(known)


def _clean(text: str) -> str:
    text = _SPACE.sub(" ", text).strip()
    text = _PUNCT_SPACE.sub(lambda m: m.group(1) + (" " if m.group(1) == "," else ""), text).strip()
    # ``float[, ,]`` → ``float[,,]``
    return _RANK.sub(lambda m: "[" + "," * m.group(0).count(",") + "]", text)


def _type_text(node: Any, source: bytes) -> str:
    return _QUALIFIED.sub(r"\1", _clean(_text(node, source)))


def _simple(type_text: str) -> str:
    return re.sub(r"<.*", "", type_text).strip()


def _split_top(text: str) -> list[str]:
    """Split at top-level commas (not inside ``<...>``)."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char == "<"
        depth -= char == ">"
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    if current.strip():
        parts.append(current.strip())
    return parts


def _all_type_nodes(node: Any, parent_visible: bool) -> Iterator[tuple[Any, bool]]:
    for child in node.children:
        if child.type in TYPE_KINDS:
            modifiers = [c.text.decode() for c in child.children if c.type == "modifier"]
            nested_in_type = node.type == "declaration_list" and node.parent is not None and (
                node.parent.type in TYPE_KINDS
            )
            protected = nested_in_type and "protected" in modifiers and "private" not in modifiers
            visible = parent_visible and ("public" in modifiers or protected)
            yield child, visible
            body = child.child_by_field_name("body")
            if body is not None:
                yield from _all_type_nodes(body, visible)
        elif child.type in ("namespace_declaration", "file_scoped_namespace_declaration", "declaration_list"):
            yield from _all_type_nodes(child, parent_visible)
        elif child.type == "compilation_unit":
            yield from _all_type_nodes(child, parent_visible)


class _Declaration:
    """One declaration of a type (or several ``partial`` ones merged) while reading."""

    def __init__(self, full: str, kind: str, head: str, bases: list[str], members: list[ApiMember], *,
                 declares_constructor: bool, visible: bool) -> None:
        self.full, self.kind, self.heads = full, kind, [head]
        self.bases, self.members = list(bases), list(members)
        self.declares_constructor = declares_constructor
        self.visible = visible
        """False for a ``partial`` part that declares no accessibility (another part may make it public)."""

    def api(self) -> ApiType:
        # the part with the most modifiers (``static partial`` over ``partial``)
        head = max(self.heads, key=len)
        head, _, constraints = head.partition(_WHERE)
        signature = head + (" : " + ", ".join(self.bases) if self.bases else "")
        signature += f" {constraints}" if constraints else ""
        members = list(self.members)
        if self.kind == "class" and " static " not in f" {head} " and not self.declares_constructor:
            # C# gives a class without constructors a parameterless one (protected when abstract): it is API
            name = self.full.rsplit(".", 1)[-1].split("`")[0]
            access = "protected" if " abstract " in f" {head} " else "public"
            members.append(ApiMember("constructor", name, f"{access} {name}()"))
        ordered = tuple(sorted(members, key=lambda m: (m.kind, m.name, m.signature)))
        return ApiType(self.full, self.kind, signature, ordered)


def _walk(node: Any, source: bytes, namespace: str, outer: str, outer_kind: str) -> Iterator[_Declaration]:
    """Yield every visible type declaration under ``node``."""
    for child in node.children:
        if child.type == "namespace_declaration":
            name = _clean(_text(child.child_by_field_name("name"), source)).replace(" ", "")
            inner = f"{namespace}.{name}" if namespace else name
            yield from _walk(child.child_by_field_name("body"), source, inner, "", "")
        elif child.type == "file_scoped_namespace_declaration":
            name = _clean(_text(child.child_by_field_name("name"), source)).replace(" ", "")
            namespace = f"{namespace}.{name}" if namespace else name
        elif child.type in TYPE_KINDS:
            modifiers = _modifiers(child, source)
            nested = bool(outer)
            visible = "public" in modifiers or (nested and _is_visible(modifiers, outer_kind == "interface"))
            access = {"public", "protected", "internal", "private"} & set(modifiers)
            undecided = "partial" in modifiers and not access
            if not (visible or undecided):
                continue
            name = _text(child.child_by_field_name("name"), source)
            prefix = outer or namespace
            full = f"{prefix}.{name}" if prefix else name
            type_params = next((c for c in child.children if c.type == "type_parameter_list"), None)
            if type_params is not None:  # ``UnityEvent`1`` and ``UnityEvent`2`` differ (.NET naming)
                full += f"`{sum(1 for c in type_params.children if c.type == 'type_parameter')}"
            kind = TYPE_KINDS[child.type]
            head, bases = _type_header(child, source, kind, modifiers, name)
            members = list(_members(child, source, kind))
            body = child.child_by_field_name("body")
            declares_constructor = body is not None and any(
                c.type == "constructor_declaration" and "static" not in _modifiers(c, source)
                for c in body.children
            )
            yield _Declaration(
                full, kind, head, bases, members, declares_constructor=declares_constructor, visible=visible
            )
            if body is not None and kind in ("class", "struct", "interface", "record"):
                yield from _walk(body, source, namespace, full, kind)


def _type_header(
    node: Any, source: bytes, kind: str, modifiers: list[str], name: str
) -> tuple[str, list[str]]:
    """Return (header without bases, bases); generic constraints follow ``_WHERE`` in the header."""
    type_params = next((c for c in node.children if c.type == "type_parameter_list"), None)
    generic = _clean(_text(type_params, source)) if type_params is not None else ""
    constraints = " ".join(
        _type_text(c, source) for c in node.children if c.type == "type_parameter_constraints_clause"
    )
    attributes = _attributes(node, source)
    if kind == "delegate":
        returns = _type_text(node.child_by_field_name("type"), source)
        params = _parameters(node.child_by_field_name("parameters"), source)
        head = f"{attributes}{_canonical_modifiers(modifiers)} delegate {returns} {name}{generic}({params})"
        return head + (f"{_WHERE}{constraints}" if constraints else ""), []
    base_list = next((c for c in node.children if c.type == "base_list"), None)
    bases = []
    if base_list is not None:
        bases = [
            _type_text(c, source) for c in base_list.children if c.is_named and c.type != "argument_list"
        ]
    head = attributes + " ".join(p for p in (_canonical_modifiers(modifiers), kind, name + generic) if p)
    return head + (f"{_WHERE}{constraints}" if constraints else ""), bases


def _attributes(node: Any, source: bytes) -> str:
    """Return the attributes that change what compiles or how it reads, as ``[Flags] `` (others left out)."""
    shown = []
    for attribute_list in (c for c in node.children if c.type == "attribute_list"):
        for attribute in (c for c in attribute_list.children if c.type == "attribute"):
            name = _QUALIFIED.sub(r"\1", _text(attribute.child_by_field_name("name"), source))
            name = name.removesuffix("Attribute")
            if name in SIGNIFICANT_ATTRIBUTES:
                arguments = next((c for c in attribute.children if c.type == "attribute_argument_list"), None)
                args = _clean(_text(arguments, source)) if arguments is not None else ""
                if name == "Obsolete":
                    # ``[Obsolete(msg, true)]`` makes every use a compile error (CS0619); a warning otherwise
                    args = "(error)" if re.search(r",\s*true\s*\)$", args) else ""
                elif name != "AttributeUsage":
                    args = ""
                shown.append(f"[{name}{args}] ")
    return "".join(sorted(shown))


def _parameters(node: Any, source: bytes) -> str:
    if node is None:
        return ""
    parts: list[str] = []
    i = 0
    children = node.children
    while i < len(children):
        child = children[i]
        if child.type == "params":
            # tree-sitter-c-sharp 0.23 puts a ``params`` parameter's type and name directly in the list
            type_node = children[i + 1]
            name_node = children[i + 2]
            parts.append(f"params {_type_text(type_node, source)} {_text(name_node, source)}")
            i += 3
            continue
        if child.type == "parameter":
            parts.append(_parameter(child, source))
        i += 1
    return ", ".join(parts)


def _parameter(node: Any, source: bytes) -> str:
    modifiers = [_text(c, source) for c in node.children if c.type == "modifier"]
    type_node = node.child_by_field_name("type")
    name = _text(node.child_by_field_name("name"), source)
    text = " ".join([*modifiers, _type_text(type_node, source), name])
    saw_equals = False
    for child in node.children:
        if saw_equals and child.is_named:
            text += " = " + _clean(_text(child, source))
            break
        saw_equals = child.type == "="
    return text


def _accessors(node: Any, source: bytes, property_modifiers: list[str], in_interface: bool) -> str:
    accessor_list = node.child_by_field_name("accessors")
    if accessor_list is None:  # ``=> expr``: a getter
        return "{ get; }"
    shown = []
    for accessor in accessor_list.children:
        if accessor.type != "accessor_declaration":
            continue
        own = _modifiers(accessor, source)
        word = _text(accessor.child_by_field_name("name"), source)
        if not own:
            shown.append(f"{word};")
        elif _is_visible(own, in_interface):  # e.g. ``protected set`` of a public property
            shown.append(f"{_canonical_modifiers(own)} {word};")
    return "{ " + " ".join(shown) + " }"


def _members(node: Any, source: bytes, kind: str) -> Iterator[ApiMember]:
    body = node.child_by_field_name("body")
    if body is None:
        return
    in_interface = kind == "interface"
    if kind == "enum":
        previous: int | None = -1
        for child in body.children:
            if child.type != "enum_member_declaration":
                continue
            name = _text(child.child_by_field_name("name"), source)
            value_node = child.child_by_field_name("value")
            if value_node is None:
                value = str(previous + 1) if previous is not None else "?"
            else:
                value = _clean(_text(value_node, source))
            previous = int(value, 0) if re.fullmatch(r"-?(0x[0-9a-fA-F]+|\d+)", value) else None
            yield ApiMember("enum_member", name, f"{name} = {value}")
        return
    for child in body.children:
        modifiers = _modifiers(child, source)
        if child.type in TYPE_KINDS:
            if _is_visible(modifiers, in_interface):
                name = _text(child.child_by_field_name("name"), source)
                mods = _canonical_modifiers(modifiers)
                yield ApiMember("type", name, f"{mods} {TYPE_KINDS[child.type]} {name}".strip())
            continue
        if any(c.type == "explicit_interface_specifier" for c in child.children):
            continue  # ``void IFoo.Bar()``: reachable only through the interface
        if not _is_visible(modifiers, in_interface):
            continue
        mods = _canonical_modifiers(modifiers)
        lead = _attributes(child, source) + (f"{mods} " if mods else "")
        yield from _member(child, source, modifiers, lead, in_interface)


def _member(
    child: Any, source: bytes, modifiers: list[str], lead: str, in_interface: bool
) -> Iterator[ApiMember]:
    kind = child.type
    if kind == "method_declaration":
        name = _text(child.child_by_field_name("name"), source)
        returns = _type_text(child.child_by_field_name("returns"), source)
        type_params = next((c for c in child.children if c.type == "type_parameter_list"), None)
        generic = _clean(_text(type_params, source)) if type_params is not None else ""
        params = _parameters(child.child_by_field_name("parameters"), source)
        constraints = " ".join(
            _type_text(c, source) for c in child.children if c.type == "type_parameter_constraints_clause"
        )
        signature = f"{lead}{returns} {name}{generic}({params})" + (f" {constraints}" if constraints else "")
        yield ApiMember("method", name, signature)
    elif kind == "constructor_declaration":
        name = _text(child.child_by_field_name("name"), source)
        params = _parameters(child.child_by_field_name("parameters"), source)
        yield ApiMember("constructor", name, f"{lead}{name}({params})")
    elif kind == "property_declaration":
        name = _text(child.child_by_field_name("name"), source)
        type_text = _type_text(child.child_by_field_name("type"), source)
        accessors = _accessors(child, source, modifiers, in_interface)
        yield ApiMember("property", name, f"{lead}{type_text} {name} {accessors}")
    elif kind == "indexer_declaration":
        type_text = _type_text(child.child_by_field_name("type"), source)
        params = _parameters(child.child_by_field_name("parameters"), source)
        accessors = _accessors(child, source, modifiers, in_interface)
        yield ApiMember("indexer", "this", f"{lead}{type_text} this[{params}] {accessors}")
    elif kind in ("field_declaration", "event_field_declaration"):
        declaration = next(c for c in child.children if c.type == "variable_declaration")
        type_text = _type_text(declaration.child_by_field_name("type"), source)
        event = "event " if kind == "event_field_declaration" else ""
        for declarator in declaration.children:
            if declarator.type != "variable_declarator":
                continue
            name = _text(declarator.child_by_field_name("name"), source)
            signature = f"{lead}{event}{type_text} {name}"
            if "const" in modifiers:
                value = next((c for c in declarator.children if c.is_named and c.type != "identifier"), None)
                signature += f" = {_clean(_text(value, source))}" if value is not None else ""
            yield ApiMember("event" if event else "field", name, signature)
    elif kind == "event_declaration":
        name = _text(child.child_by_field_name("name"), source)
        type_text = _type_text(child.child_by_field_name("type"), source)
        yield ApiMember("event", name, f"{lead}event {type_text} {name}")
    elif kind == "operator_declaration":
        symbol = _text(child.child_by_field_name("operator"), source)
        type_text = _type_text(child.child_by_field_name("type"), source)
        params = _parameters(child.child_by_field_name("parameters"), source)
        yield ApiMember("operator", f"operator {symbol}", f"{lead}{type_text} operator {symbol}({params})")
    elif kind == "conversion_operator_declaration":
        direction = next(c.type for c in child.children if c.type in ("implicit", "explicit"))
        type_text = _type_text(child.child_by_field_name("type"), source)
        params = _parameters(child.child_by_field_name("parameters"), source)
        name = f"{direction} operator {type_text}"
        yield ApiMember("operator", name, f"{lead}{name}({params})")
