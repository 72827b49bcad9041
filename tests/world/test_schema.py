"""The published JSON schema: fresh, self-describing, and agreeing with the loader on good and bad worlds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_unity_pipeline.world import library_worlds, world_json_schema
from mlops_unity_pipeline.world.files import schema_text

from .conftest import base_world

jsonschema = pytest.importorskip("jsonschema")  # a dev dependency (installed with the mcp and ray extras)

ROOT = Path(__file__).resolve().parents[2]


def test_committed_schema_is_fresh():
    """``docs/world.schema.json`` equals what ``scripts/gen_world_schema.py`` writes now."""
    committed = (ROOT / "docs" / "world.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "run: PYTHONPATH=src python scripts/gen_world_schema.py"


def test_generator_check_mode_passes_on_committed_file():
    """The generator's ``--check`` exits 0 on the committed file."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_world_schema.py"), "--check"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_schema_is_a_valid_draft_2020_12_schema():
    """The schema itself passes the metaschema."""
    jsonschema.Draft202012Validator.check_schema(world_json_schema())


def test_every_property_has_a_description():
    """Every property of every object in the schema carries its field's docstring (what an LLM reads)."""
    schema = world_json_schema()
    for name, definition in schema["$defs"].items():
        assert definition.get("description"), name
        for prop, body in definition["properties"].items():
            assert body.get("description"), f"{name}.{prop}"


def test_library_worlds_and_base_world_validate_against_schema():
    """Every shipped world and the tests' base world are valid instances of the schema."""
    import yaml

    validator = jsonschema.Draft202012Validator(world_json_schema())
    documents = [base_world()] + [yaml.safe_load(p.read_text()) for p in library_worlds().values()]
    for document in documents:
        validator.validate(json.loads(json.dumps(document)))


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["agent"]["sensors"][0].update(ray_lenght=3),
        lambda d: d["agent"]["sensors"][0].update(kind="lidar"),
        lambda d: d["agent"]["sensors"][0].update(rays_per_direction=51),
        lambda d: d["entities"][0].update(kind="portal"),
        lambda d: d.update(name="has space"),
        lambda d: d["arena"].update(size=[1, 2, 3]),
    ],
)
def test_schema_rejects_what_the_loader_rejects(mutate):
    """Unknown keys, unknown variants, bounds, patterns and fixed lengths are in the schema too."""
    document = base_world()
    mutate(document)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, world_json_schema(), cls=jsonschema.Draft202012Validator)
