"""Read and write world files (YAML or JSON), and the world's JSON schema.

``load_world`` is the one entry point for a user's file: bounded parsing (``_validate.load_mapping``), the
field-by-field loader (``world.codec``) and the semantic checks (``world.validate``); any problem is a
``SpecError`` that names the file and the field path.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from .._validate import load_mapping
from ..errors import SpecError
from .codec import build, dump, json_schema
from .model import World
from .validate import validate

SCHEMA_ID = "https://github.com/mlops-unity-pipeline/schemas/world.schema.json"
"""``$id`` of the published schema (``docs/world.schema.json``)."""


def world_from_dict(data: Mapping[str, Any], source: str = "world") -> World:
    """Build and validate a world from parsed YAML/JSON.

    Args:
        data: the document's mapping.
        source: names the document in errors.

    Returns:
        The validated world.

    Raises:
        SpecError: ``"<source>: <field path>: <problem>"``.

    """
    try:
        return validate(build(World, data, ""))
    except SpecError as exc:
        raise SpecError(f"{source}: {exc}") from None


def load_world(path: Path | str, *, text: str | None = None) -> World:
    """Read a world file (``.json`` as JSON, anything else as YAML).

    Args:
        path: the file (or only its name when ``text`` is given).
        text: the document itself.

    Returns:
        The validated world.

    Raises:
        SpecError: the file is missing, unreadable, over the input bounds, or an invalid world.

    """
    data = load_mapping(path, text=text, what="world file")
    return world_from_dict(data, str(path))


def world_to_dict(world: World) -> dict[str, Any]:
    """Return the world as plain data (default fields left out); ``world_from_dict`` reads it back."""
    return dump(world)


def world_json_schema() -> dict[str, Any]:
    """Return the world format's JSON schema (draft 2020-12), generated from ``world.model``."""
    return json_schema(World, title="mlops_unity_pipeline world", schema_id=SCHEMA_ID)


def schema_text() -> str:
    """Return the schema as the text of ``docs/world.schema.json``.

    Keys are not sorted: fields keep their declaration order, the order a reader learns them in.
    """
    return json.dumps(world_json_schema(), indent=2, ensure_ascii=False) + "\n"


def library_worlds() -> dict[str, Path]:
    """Return the worlds shipped with the package (``world/library/*.yaml``) by world file stem."""
    folder = resources.files(__package__) / "library"
    return {
        Path(entry.name).stem: Path(str(entry))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith((".yaml", ".yml", ".json"))
    }
