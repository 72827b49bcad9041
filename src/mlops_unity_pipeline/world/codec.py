"""Strict loading, dumping and JSON schema of the world IR, all driven by the dataclasses' type hints.

The IR (``world.model``) is plain frozen dataclasses whose fields carry their bounds in ``Annotated`` hints
(``Range``, ``Pattern``, ``MaxItems``) and a docstring line under each field. This module reads those once and
derives three things from the same description, so they cannot drift apart:

- ``build(cls, data, path)``: parsed YAML/JSON -> dataclass, refusing unknown keys, wrong types and values out
  of bounds with a ``SpecError`` that names the field path (``agent.sensors[1].ray_length``);
- ``dump(obj)``: dataclass -> plain JSON-ready data (omitting fields at their default), which ``build`` reads
  back to an equal object;
- ``json_schema(cls)``: a JSON schema (draft 2020-12) with a description per field, used by LLM structured
  output (issue 18) and published as ``docs/world.schema.json``.

A union of dataclasses (``Sensor``) is discriminated by its ``kind`` key, each member's ``KIND`` class
attribute (as ML-Agents' settings pick a trainer class from ``trainer_type``).
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import inspect
import math
import re
import textwrap
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .._validate import short
from ..errors import SpecError


@dataclass(frozen=True)
class Range:
    """Inclusive bounds on a number (or on each number of a tuple)."""

    low: float
    high: float


@dataclass(frozen=True)
class Pattern:
    """A regular expression a string must match in full (with a one-line meaning for errors)."""

    regex: str
    meaning: str


@dataclass(frozen=True)
class MaxItems:
    """The most items a variable-length list may hold (bounds what a world can allocate)."""

    count: int


# --- type hints ---------------------------------------------------------------------------------------------


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, include_extras=True)


@functools.cache
def field_docs(cls: type) -> dict[str, str]:
    """Return the docstring line written under each field of dataclass ``cls`` (from its source).

    Args:
        cls: an IR dataclass.

    Returns:
        field name -> its docstring, joined onto one line ("" when the source is unavailable).

    """
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    except (OSError, TypeError, SyntaxError):
        return {}
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    docs: dict[str, str] = {}
    for node, after in zip(body, body[1:], strict=False):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[node.target.id] = " ".join(after.value.value.split())
    return docs


def _split(hint: Any) -> tuple[Any, list[Any]]:
    """Separate ``Annotated[T, m1, m2]`` into ``T`` and its metadata."""
    if typing.get_origin(hint) is typing.Annotated:
        base, *meta = typing.get_args(hint)
        inner, more = _split(base)
        return inner, [*meta, *more]
    return hint, []


def _is_union(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType)


def _union_members(hint: Any) -> tuple[list[Any], bool]:
    args = typing.get_args(hint)
    return [a for a in args if a is not type(None)], type(None) in args


def kind_of(cls: type) -> str:
    """Return the ``kind`` value that selects dataclass ``cls`` inside a union."""
    return str(cls.KIND.value if isinstance(cls.KIND, Enum) else cls.KIND)  # type: ignore[attr-defined]  # union members declare KIND


# --- build --------------------------------------------------------------------------------------------------


def build(cls: type, data: Any, path: str) -> Any:
    """Build dataclass ``cls`` from parsed YAML/JSON, checking every field against its hint.

    Args:
        cls: the IR dataclass (its fields' hints say what each accepts).
        data: the parsed mapping.
        path: where ``data`` sits in the document (named in errors).

    Returns:
        The dataclass instance (its ``__post_init__`` checks run too).

    Raises:
        SpecError: an unknown or missing key, a wrong type or a value out of bounds, naming the field path.

    """
    if not isinstance(data, Mapping):
        raise SpecError(f"{path}: expected a mapping, got {type(data).__name__}")
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    tagged = hasattr(cls, "KIND")  # a union member: its "kind" key was matched by _tagged
    unknown = [k for k in data if k not in fields and not (tagged and k == "kind")]
    if unknown:
        raise SpecError(f"{path}: unknown key {short(unknown[0])} (expected one of: {', '.join(fields)})")
    hints = _hints(cls)
    values: dict[str, Any] = {}
    for name, f in fields.items():
        where = f"{path}.{name}" if path else name
        if name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise SpecError(f"{where}: required")
            continue
        values[name] = _value(hints[name], data[name], where)
    try:
        return cls(**values)
    except SpecError as exc:
        message = str(exc)
        raise SpecError(message if message.startswith(path) else f"{path}: {message}") from None


def _value(hint: Any, raw: Any, where: str, outer: tuple[Any, ...] = ()) -> Any:
    base, more = _split(hint)
    meta = [*outer, *more]
    if _is_union(base):
        members, optional = _union_members(base)
        if raw is None:
            if optional:
                return None
            raise SpecError(f"{where}: required, got null")
        if len(members) == 1:
            return _value(members[0], raw, where, tuple(meta))
        return _tagged(members, raw, where)
    if raw is None:
        raise SpecError(f"{where}: expected a value, got null")
    origin = typing.get_origin(base)
    if origin is tuple:
        return _tuple(base, meta, raw, where)
    if dataclasses.is_dataclass(base):
        return build(base, raw, where)
    if isinstance(base, type) and issubclass(base, Enum):
        if isinstance(raw, str):
            for member in base:
                if member.value == raw.strip().lower():
                    return member
        allowed = ", ".join(str(m.value) for m in base)
        raise SpecError(f"{where}: expected one of {allowed}, got {short(raw)}")
    if base is bool:
        if not isinstance(raw, bool):
            raise SpecError(f"{where}: expected true or false, got {short(raw)}")
        return raw
    if base is int:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise SpecError(f"{where}: expected an integer, got {short(raw)}")
        if isinstance(raw, float) and not raw.is_integer():
            raise SpecError(f"{where}: expected a whole number, got {short(raw)}")
        return _bounded(int(raw), meta, where)
    if base is float:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
            raise SpecError(f"{where}: expected a finite number, got {short(raw)}")
        return _bounded(float(raw), meta, where)
    if base is str:
        if not isinstance(raw, str):
            raise SpecError(f"{where}: expected a string, got {type(raw).__name__}")
        for m in meta:
            if isinstance(m, Pattern) and not re.fullmatch(m.regex, raw):
                raise SpecError(f"{where}: {short(raw)} is not {m.meaning}")
        return raw
    raise TypeError(f"world codec: unsupported hint {hint!r} at {where}")  # a bug in the IR, not user input


def _bounded(value: float, meta: list[Any], where: str) -> Any:
    for m in meta:
        if isinstance(m, Range) and not m.low <= value <= m.high:
            raise SpecError(f"{where}: must be in [{_num(m.low)}, {_num(m.high)}], got {short(value)}")
    return value


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _tuple(base: Any, meta: list[Any], raw: Any, where: str) -> tuple[Any, ...]:
    if not isinstance(raw, (list, tuple)):
        raise SpecError(f"{where}: expected a list, got {type(raw).__name__}")
    args = typing.get_args(base)
    if len(args) == 2 and args[1] is Ellipsis:
        limit = next((m.count for m in meta if isinstance(m, MaxItems)), None)
        if limit is not None and len(raw) > limit:
            raise SpecError(f"{where}: at most {limit} items, got {len(raw)}")
        inner = tuple(m for m in meta if not isinstance(m, MaxItems))
        return tuple(_value(args[0], v, f"{where}[{i}]", inner) for i, v in enumerate(raw))
    if len(raw) != len(args):
        raise SpecError(f"{where}: expected {len(args)} numbers, got {len(raw)}")
    return tuple(
        _value(a, v, f"{where}[{i}]", tuple(meta)) for i, (a, v) in enumerate(zip(args, raw, strict=True))
    )


def _tagged(members: list[Any], raw: Any, where: str) -> Any:
    kinds = {kind_of(m): m for m in members}
    if not isinstance(raw, Mapping):
        raise SpecError(f"{where}: expected a mapping with a 'kind', got {type(raw).__name__}")
    kind = raw.get("kind")
    if kind not in kinds:
        raise SpecError(f"{where}.kind: expected one of {', '.join(kinds)}, got {short(kind)}")
    return build(kinds[kind], raw, where)


# --- dump ---------------------------------------------------------------------------------------------------


def dump(obj: Any) -> Any:
    """Return plain data (dicts, lists, numbers, strings) for an IR object, leaving out default fields.

    Args:
        obj: an IR dataclass, enum, tuple or scalar.

    Returns:
        JSON-ready data that ``build`` reads back to an equal object.

    """
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {}
        if hasattr(type(obj), "KIND"):
            out["kind"] = kind_of(type(obj))
        for f in dataclasses.fields(obj):
            if not f.init:
                continue
            value = getattr(obj, f.name)
            if f.default is not dataclasses.MISSING and value == f.default:
                continue
            if f.default_factory is not dataclasses.MISSING and value == f.default_factory():
                continue
            out[f.name] = dump(value)
        return out
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, tuple):
        return [dump(v) for v in obj]
    return obj


# --- JSON schema --------------------------------------------------------------------------------------------


def json_schema(cls: type, *, title: str, schema_id: str) -> dict[str, Any]:
    """Return the JSON schema (draft 2020-12) of dataclass ``cls`` and everything it contains.

    Args:
        cls: the root dataclass.
        title: the schema's title.
        schema_id: its ``$id``.

    Returns:
        The schema; each dataclass is one entry of ``$defs``, closed (``additionalProperties: false``).

    """
    defs: dict[str, Any] = {}
    root = _schema_of(cls, [], defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "title": title,
        **root,
        "$defs": dict(sorted(defs.items())),
    }


def _schema_of(hint: Any, meta: list[Any], defs: dict[str, Any]) -> dict[str, Any]:
    base, more = _split(hint)
    meta = [*meta, *more]
    if _is_union(base):
        members, optional = _union_members(base)
        options = [_schema_of(m, meta, defs) for m in members]
        if len(members) > 1:
            # anyOf, not oneOf: the variants' "kind" consts already exclude each other, and LLM structured
            # output (OpenAI strict mode) accepts anyOf only
            options = [{"anyOf": options}]
        if optional:
            options.append({"type": "null"})
        return options[0] if len(options) == 1 else {"anyOf": options}
    origin = typing.get_origin(base)
    if origin is tuple:
        args = typing.get_args(base)
        if len(args) == 2 and args[1] is Ellipsis:
            limit = next((m.count for m in meta if isinstance(m, MaxItems)), None)
            items = _schema_of(args[0], [m for m in meta if not isinstance(m, MaxItems)], defs)
            out: dict[str, Any] = {"type": "array", "items": items}
            if limit is not None:
                out["maxItems"] = limit
            return out
        items = [_schema_of(a, meta, defs) for a in args]
        if all(
            item == items[0] for item in items
        ):  # (x, z) pairs and the like: plain items, widely supported
            return {"type": "array", "items": items[0], "minItems": len(args), "maxItems": len(args)}
        return {"type": "array", "prefixItems": items, "minItems": len(args), "maxItems": len(args)}
    if dataclasses.is_dataclass(base):
        name = base.__name__
        if name not in defs:
            defs[name] = {}  # placeholder against recursion
            defs[name] = _object_schema(base, defs)
        return {"$ref": f"#/$defs/{name}"}
    if isinstance(base, type) and issubclass(base, Enum):
        return {"type": "string", "enum": [m.value for m in base]}
    if base is bool:
        return {"type": "boolean"}
    if base in (int, float):
        out = {"type": "integer" if base is int else "number"}
        for m in meta:
            if isinstance(m, Range):
                out["minimum"] = int(m.low) if base is int else m.low
                out["maximum"] = int(m.high) if base is int else m.high
        return out
    if base is str:
        out = {"type": "string"}
        for m in meta:
            if isinstance(m, Pattern):
                out["pattern"] = f"^(?:{m.regex})$"
        return out
    raise TypeError(f"world codec: no schema for {hint!r}")


def _object_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    hints = _hints(cls)
    docs = field_docs(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    if hasattr(cls, "KIND"):
        properties["kind"] = {"const": kind_of(cls), "description": "Selects this variant."}
        required.append("kind")
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        prop = dict(_schema_of(hints[f.name], [], defs))
        if docs.get(f.name):
            prop["description"] = docs[f.name]
        if f.default is not dataclasses.MISSING:
            prop["default"] = dump(f.default)
        elif f.default_factory is not dataclasses.MISSING:
            prop["default"] = dump(f.default_factory())
        else:
            required.append(f.name)
        properties[f.name] = prop
    doc = (inspect.getdoc(cls) or "").split("\n\n")[0]
    out: dict[str, Any] = {
        "type": "object",
        "description": " ".join(doc.split()),
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        out["required"] = required
    return out
