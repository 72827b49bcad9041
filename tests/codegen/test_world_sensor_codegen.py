"""The world generator writes grid and buffer sensors as ML-Agents' components, in the simulator's layout."""

from __future__ import annotations

import re

from mlops_unity_pipeline.codegen.world import declared_layout, generate_world, render_world_project
from mlops_unity_pipeline.codegen.world.layout import refusals
from mlops_unity_pipeline.sim.world_env import world_signature
from mlops_unity_pipeline.world import library_worlds, load_world, world_from_dict

from ..mono import assert_types_checked

WORLD = world_from_dict(
    {
        "name": "Sensed",
        "arena": {"size": [12, 12]},
        "entities": [
            {"name": "coin", "kind": "collectible", "tag": "coin", "count": 4, "size": [0.5, 0.5, 0.5]},
            {"name": "rock", "kind": "obstacle", "tag": "rock", "size": [1, 1, 1], "spawn": {"at": [3, 3]}},
        ],
        "agent": {
            "sensors": [
                {"kind": "vector", "name": "VectorSensor", "items": [{"item": "heading"}]},
                {
                    "kind": "grid",
                    "name": "Grid",
                    "detectable_tags": ["coin", "rock", "wall"],
                    "cell_size": 0.5,
                    "grid_size": [9, 9],
                    "rotate_with_agent": False,
                },
                {"kind": "buffer", "name": "Coins", "of": "coin", "max_entities": 3},
                {"kind": "ray_perception", "name": "Rays", "detectable_tags": ["coin", "rock"]},
            ],
            "actions": {"continuous": ["move_x", "move_z"]},
        },
        "rewards": [{"event": "collect", "what": "coin", "value": 1.0}],
    }
)


def _read_layout(arena: str) -> dict[str, tuple[int, ...]]:
    """The grid and buffer observations the C# declares: reported name -> shape (ML-Agents' specs)."""
    out = {}
    for var in re.findall(r"GridSensorComponent (\w+) = ", arena):
        get = dict(re.findall(rf"\b{var}\.(\w+) = ([^;]+);", arena))
        tags = re.findall(r'"(\w+)"', get["DetectableTags"])
        size = re.search(r"Vector3Int\((\d+), (\d+), (\d+)\)", get["GridSize"])
        gx, _, gz = (int(v) for v in size.groups())
        out[get["SensorName"].strip('"') + "-OneHot"] = (len(tags), gx, gz)  # Visual(tags, x, z)
    for var in re.findall(r"BufferSensorComponent (\w+) = ", arena):
        get = dict(re.findall(rf"\b{var}\.(\w+) = ([^;]+);", arena))
        out[get["SensorName"].strip('"')] = (int(get["MaxNumObservables"]), int(get["ObservableSize"]))
    return out


def test_grid_and_buffer_layout_read_back_equals_the_simulator():
    """The components' settings in the C# give the shapes and names of the simulator's signature."""
    files = render_world_project(WORLD).files
    declared = _read_layout(files["Assets/Scripts/ArenaBootstrap.cs"])
    simulated = {o.name: o.shape for o in world_signature(WORLD).observation_specs if len(o.shape) > 1}
    assert declared == simulated == {"Grid-OneHot": (3, 9, 9), "Coins": (3, 3)}
    assert declared_layout(WORLD) == world_signature(WORLD)


def test_grid_and_buffer_components_configured_as_the_ir_says():
    """Every GridSensorComponent setting comes from the IR; the agent appends one buffer row per entity."""
    files = render_world_project(WORLD).files
    arena = files["Assets/Scripts/ArenaBootstrap.cs"]
    for line in (
        'grid1.SensorName = "Grid";',
        "grid1.CellScale = new Vector3(0.5f, 0.01f, 0.5f);",
        "grid1.GridSize = new Vector3Int(9, 1, 9);",
        "grid1.RotateWithAgent = false;",
        'grid1.DetectableTags = new string[] { "coin", "rock", "wall" };',
        "grid1.AgentGameObject = body;",
        "buffer2.MaxNumObservables = 3;",
        "buffer2.ObservableSize = 3;",
        "agent.bufferCoins = buffer2;",
    ):
        assert line in arena, line
    agent = next(text for path, text in files.items() if path.endswith("Agent.cs") and "bufferCoins" in text)
    assert 'arena.Tagged("coin", m_Buffered);' in agent
    assert "Mathf.Min(m_Order.Count, 3)" in agent
    assert "bufferCoins.AppendObservation(new float[] { d.x / (2f * " in agent


def test_layout_reader_catches_a_wrong_grid_or_buffer():
    """Negative control: a grid one cell smaller or a buffer row longer reads back different from the sim."""
    arena = render_world_project(WORLD).files["Assets/Scripts/ArenaBootstrap.cs"]
    simulated = {o.name: o.shape for o in world_signature(WORLD).observation_specs if len(o.shape) > 1}
    for wrong in (
        arena.replace("new Vector3Int(9, 1, 9)", "new Vector3Int(8, 1, 8)"),
        arena.replace("buffer2.ObservableSize = 3;", "buffer2.ObservableSize = 4;"),
    ):
        assert wrong != arena and _read_layout(wrong) != simulated


def test_grid_and_buffer_project_passes_codegen_check(tmp_path, mcs):
    """The project with a grid and a buffer sensor passes syntax, types (ML-Agents' API) and safety."""
    result = generate_world(WORLD, tmp_path)
    assert result.passed, [str(d) for c in result.checks for d in c.diagnostics]
    assert_types_checked(result.checks)


def test_gridworld_project_writes_the_camera_grid_motion_and_lattice_spawns(tmp_path, mcs):
    """world:GridWorld generates: a top-down CameraSensorComponent as the IR says, the looks' glyph bars,
    kinematic whole-cell moves refused by OverlapBox, snapped spawns; it passes codegen check."""
    world = load_world(library_worlds()["GridWorld"])
    assert not refusals(world)
    files = render_world_project(world).files
    arena = files["Assets/Scripts/ArenaBootstrap.cs"]
    for line in (
        "lens0.orthographic = true;",
        "lens0.orthographicSize = 2.5f;",
        "lens0.clearFlags = CameraClearFlags.SolidColor;",
        'camera0.SensorName = "CameraSensor";',
        "camera0.Width = 84;",
        "camera0.Height = 64;",
        "camera0.Grayscale = false;",
        "rigidbody.isKinematic = true;",
        "static readonly float[] k_SpawnSnap = { 1.0f, 1.0f, 1.0f };",
    ):
        assert line in arena, line
    assert arena.count("Look(copy, ") == 2 and "Look(body, 3, " in arena  # plus, cross; the outlined agent
    agent = next(text for path, text in files.items() if path.endswith("Agent.cs") and "GridBlocked" in text)
    assert "Physics.OverlapBox(target, new Vector3(half, half, half), transform.rotation)" in agent
    result = generate_world(world, tmp_path)
    assert result.passed, [str(d) for c in result.checks for d in c.diagnostics]
    assert_types_checked(result.checks)
