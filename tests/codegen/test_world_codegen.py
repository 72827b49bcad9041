"""Tests of the world generator: checked projects, C# layout read back equals the simulator's, refusals."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from mlops_unity_pipeline.codegen.world import declared_layout, generate_world, render_world_project
from mlops_unity_pipeline.codegen.world.layout import refusals
from mlops_unity_pipeline.codegen.world.render import _item_code
from mlops_unity_pipeline.errors import CodegenError
from mlops_unity_pipeline.sim.world_env import world_signature
from mlops_unity_pipeline.spaces import ActionSpec, BehaviorSignature, ObservationSpec
from mlops_unity_pipeline.world import World, library_worlds, load_world, world_from_dict, world_to_dict

from ..mono import assert_types_checked

ALL_FEATURES = Path(__file__).parent / "data" / "world_all_features.yaml"
SWITCHES = Path(__file__).parent / "data" / "world_switches.yaml"
CUES = Path(__file__).parent / "data" / "world_cues.yaml"
JUMP = Path(__file__).parent / "data" / "world_jump.yaml"


def _worlds() -> dict[str, World]:
    # shipped worlds the generator writes (all of them today: PushBlock, Pyramids, ReachTarget)
    worlds = {name: load_world(path) for name, path in library_worlds().items()}
    worlds = {name: world for name, world in worlds.items() if not refusals(world)}
    # platform worlds (3DBall, 3DBallHard) have no walls, floor or regions: test_world_codegen_platform.py
    worlds = {name: world for name, world in worlds.items() if world.agent.platform is None}
    worlds["all-features"] = load_world(ALL_FEATURES)
    worlds["switches"] = load_world(SWITCHES)
    worlds["cues"] = load_world(CUES)
    worlds["jump"] = load_world(JUMP)
    return worlds


WORLDS = _worlds()


def read_layout(files: dict[str, str], behavior: str) -> BehaviorSignature:
    """Read the layout the C# declares, as ML-Agents builds it: components + the agent's vector, sorted."""
    arena = files["Assets/Scripts/ArenaBootstrap.cs"]
    sensors = []
    for var in re.findall(r"RayPerceptionSensorComponent3D (\w+) = ", arena):
        get = {k: v for k, v in re.findall(rf"\b{var}\.(\w+) = ([^;]+);", arena)}
        tags = re.findall(r'"(\w+)"', get["DetectableTags"])
        frame = (len(tags) + 2) * (2 * int(get["RaysPerDirection"]) + 1)
        sensors.append((get["SensorName"].strip('"'), frame, int(get["ObservationStacks"])))
    for var in re.findall(r"VectorSensorComponent (\w+) = ", arena):
        get = {k: v for k, v in re.findall(rf"\b{var}\.(\w+) = ([^;]+);", arena)}
        sensors.append(
            (get["SensorName"].strip('"'), int(get["ObservationSize"]), int(get["ObservationStacks"]))
        )
    shaped = _shaped_sensors(arena)
    size = int(re.search(r"VectorObservationSize = (\d+);", arena).group(1))
    stacks = int(re.search(r"NumStackedVectorObservations = (\d+);", arena).group(1))
    if size:
        sensors.append(("VectorSensor", size, stacks))
    continuous, branches = re.search(r"new ActionSpec\((\d+), new int\[\] \{([^}]*)\}\)", arena).groups()
    named = sorted(
        [((f"StackingSensor_size{s}_{n}" if s > 1 else n), (f * s,)) for n, f, s in sensors] + shaped
    )  # ML-Agents sorts by name (ordinal)
    return BehaviorSignature(
        behavior,
        tuple(ObservationSpec(shape, name) for name, shape in named),
        ActionSpec(int(continuous), tuple(int(b) for b in branches.replace(" ", "").split(",") if b)),
    )


def _shaped_sensors(arena: str) -> list[tuple[str, tuple[int, ...]]]:
    """Camera, grid and buffer components the C# declares: (reported name, ML-Agents observation shape)."""
    out = []
    for var in re.findall(r"CameraSensorComponent (\w+) = ", arena):
        get = dict(re.findall(rf"\b{var}\.(\w+) = ([^;]+);", arena))
        channels = 1 if get["Grayscale"] == "true" else 3
        out.append((get["SensorName"].strip('"'), (channels, int(get["Height"]), int(get["Width"]))))
    for var in re.findall(r"GridSensorComponent (\w+) = ", arena):
        get = dict(re.findall(rf"\b{var}\.(\w+) = ([^;]+);", arena))
        gx, _, gz = (int(v) for v in re.search(r"\((\d+), (\d+), (\d+)\)", get["GridSize"]).groups())
        tags = re.findall(r'"(\w+)"', get["DetectableTags"])
        out.append((get["SensorName"].strip('"') + "-OneHot", (len(tags), gx, gz)))
    for var in re.findall(r"BufferSensorComponent (\w+) = ", arena):
        get = dict(re.findall(rf"\b{var}\.(\w+) = ([^;]+);", arena))
        rows, size = int(get["MaxNumObservables"]), int(get["ObservableSize"])
        out.append((get["SensorName"].strip('"'), (rows, size)))
    return out


def _agent_vector_adds(files: dict[str, str], class_name: str) -> int:
    """Floats the Agent's CollectObservations adds to the agent's own VectorSensor (each AddObservation)."""
    agent = files[f"Assets/Scripts/{class_name}.cs"]
    body = agent.split("CollectObservations(VectorSensor sensor)")[1].split("OnActionReceived")[0]
    return len(re.findall(r"\bsensor\.AddObservation\(", body))


@pytest.mark.parametrize("key", sorted(WORLDS))
def test_world_project_passes_codegen_check(tmp_path, mcs, key):
    """PushBlock, ReachTarget and the every-feature world give projects passing syntax, types, safety."""
    result = generate_world(WORLDS[key], tmp_path)
    assert result.passed, [str(d) for c in result.checks for d in c.diagnostics]
    assert [c.name for c in result.checks] == ["syntax", "types", "safety"]
    assert_types_checked(result.checks)
    assert load_world(tmp_path / "world.json") == WORLDS[key]
    meta = json.loads((tmp_path / "mlops_codegen.json").read_text())
    assert meta["observations"] == [
        {"name": s.name, "shape": list(s.shape)} for s in world_signature(WORLDS[key]).observation_specs
    ]


@pytest.mark.parametrize("key", sorted(WORLDS))
def test_layout_read_back_from_csharp_equals_simulator(key):
    """The sensors, sizes, stacks and actions written in the C# give the simulator's BehaviorSignature."""
    world = WORLDS[key]
    project = render_world_project(world)
    assert read_layout(project.files, world.behavior_name) == world_signature(world)
    assert declared_layout(world) == world_signature(world)
    own = next((s for s in world.agent.sensors if s.name == "VectorSensor"), None)
    expected = (
        0
        if own is None
        else next(
            o.shape[0] // own.observation_stacks
            for o in world_signature(world).observation_specs
            if o.name.endswith("VectorSensor")
        )
    )
    assert _agent_vector_adds(project.files, project.class_name) == expected


def test_layout_reader_catches_a_wrong_declaration():
    """Negative control: one ray less or a renamed sensor in the C# makes the read-back layout differ."""
    world = WORLDS["PushBlock"]
    files = render_world_project(world).files
    arena = files["Assets/Scripts/ArenaBootstrap.cs"]
    for wrong in (
        arena.replace("ray0.RaysPerDirection = 3;", "ray0.RaysPerDirection = 2;"),
        arena.replace('ray1.SensorName = "RayPerceptionSensor";', 'ray1.SensorName = "ARaySensor";'),
        arena.replace("ray0.ObservationStacks = 3;", "ray0.ObservationStacks = 1;"),
    ):
        assert wrong != arena
        bad = {**files, "Assets/Scripts/ArenaBootstrap.cs": wrong}
        assert read_layout(bad, world.behavior_name) != world_signature(world)


def test_sensor_components_configured_as_the_ir_says():
    """Every RayPerceptionSensorComponent3D setting and the DecisionRequester period come from the world."""
    world = WORLDS["all-features"]
    arena = render_world_project(world).files["Assets/Scripts/ArenaBootstrap.cs"]
    for line in (
        'ray0.SensorName = "RayFront";',
        'ray0.DetectableTags = new List<string> { "target", "food", "poison", "wall", "crate", "dock" };',
        "ray0.RaysPerDirection = 4;",
        "ray0.MaxRayDegrees = 60.0f;",
        "ray0.SphereCastRadius = 0.25f;",
        "ray0.RayLength = 15.0f;",
        "ray0.ObservationStacks = 2;",
        "ray0.StartVerticalOffset = 0.2f;",
        "ray0.EndVerticalOffset = -0.1f;",
        "ray0.AlternatingRayOrder = false;",
        "behavior.BrainParameters.NumStackedVectorObservations = 3;",
        "requester.DecisionPeriod = PushBlockAgent.k_DecisionPeriod;".replace("PushBlock", "Everything"),
    ):
        assert line in arena, line
    agent = render_world_project(world).files["Assets/Scripts/EverythingAgent.cs"]
    assert "public const int k_DecisionPeriod = 4;" in agent
    assert "public const int k_MaxStep = 3000;" in agent


def test_motion_uses_rigidbody_forces_not_the_transform():
    """velocity_change adds a VelocityChange force, set_velocity sets the velocity; no transform teleport."""
    push = render_world_project(WORLDS["PushBlock"]).files["Assets/Scripts/PushBlockAgent.cs"]
    reach = render_world_project(WORLDS["ReachTarget"]).files["Assets/Scripts/ReachTargetAgent.cs"]
    assert "m_Body.AddForce(direction * m_Speed, ForceMode.VelocityChange);" in push
    assert "m_Body.linearVelocity = new Vector3(direction.x * m_Speed" in reach
    assert "AddForce" not in reach
    for agent in (push, reach):
        assert "transform.localPosition =" not in agent and "transform.position =" not in agent
        assert "m_Body.MoveRotation(" in agent


def test_scene_physics_and_events_from_the_world():
    """Rigidbody mass/drag, friction materials, triggers, gravity, rewards and ends come from the IR."""
    files = render_world_project(WORLDS["all-features"]).files
    arena, agent = files["Assets/Scripts/ArenaBootstrap.cs"], files["Assets/Scripts/EverythingAgent.cs"]
    for line in (
        "body.mass = 5.0f;",
        "body.linearDamping = 1.0f;",
        'm_Materials[5] = Material("crate", 0.3f);',
        'm_FloorMaterial = Material("Floor", 0.4f);',
        "Physics.gravity = new Vector3(0f, -12.0f, 0f);",
        "rigidbody.mass = 2.0f;",
        "rigidbody.linearDamping = 2.0f;",
        "copy.AddComponent<WorldContact>();",
        "value = Random.Range(1.0f, 20.0f);",
        "AgentSpeed = value;",
        "m_Values[1] = value;",
    ):
        assert line in arena, line
    assert arena.count("collider.isTrigger = true;") == 4  # target, food, poison, spikes (not pillar, crate)
    assert "const float k_TimePenalty = -0.0003333333333333333f;" in agent
    assert "AddReward(0.5f * arena.ValueOf(other));" in agent and "arena.Collect(other);" in agent
    assert 'if (blockTag == "crate" && zoneTag == "dock")' in agent
    lava = agent.split('if (otherTag == "lava")')[1].split("}")[0]
    assert "Finish(false);" in lava  # interrupted
    target = agent.split('if (otherTag == "target")')[1].split("}")[0]
    assert "Finish(true);" in target  # terminated
    assert "AddReward(0.05f * (m_PreviousDistance[0] - distance0));" in agent
    tags = files["ProjectSettings/TagManager.asset"]
    for tag in (
        "wall",
        "ground",
        "goal",
        "lava",
        "dock",
        "food",
        "poison",
        "spikes",
        "pillar",
        "crate",
        "agent",
    ):
        assert f"  - {tag}\n" in tags


def _with(world: World, **changes) -> World:
    data = world_to_dict(world)
    for path, value in changes.items():
        node = data
        *parents, last = path.split("__")
        for p in parents:
            node = node[int(p)] if p.isdigit() else node[p]
        node[last] = value
    return world_from_dict(data)


@pytest.mark.parametrize(
    ("key", "changes", "named"),
    [
        (
            "PushBlock",
            {"agent__sensors": [{"kind": "camera", "name": "Cam", "view": "agent"}]},
            "agent.sensors[0]",
        ),
        ("PushBlock", {"agent__count": 2}, "agent.count: 2 without groups"),
        (
            "switches",
            {
                "entities__0__kind": "actor",
                "entities__0__actor": {"behavior": "chaser"},
                "entities__0__yaw": 45,
            },
            "entities[0]",
        ),
    ],
)
def test_unsupported_features_are_refused_by_name(tmp_path, key, changes, named):
    """Features the generator does not write are refused with their field paths, and nothing is written."""
    world = _with(WORLDS[key], **changes)
    with pytest.raises(CodegenError, match=re.escape(named)):
        generate_world(world, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_the_generator_refuses_a_world_whose_layout_would_differ(monkeypatch):
    """By construction: a declared layout unequal to the simulator's stops generation (never written)."""
    from mlops_unity_pipeline.codegen.world import layout

    world = WORLDS["ReachTarget"]
    wrong = dataclasses.replace(world_signature(world), name="Other")
    monkeypatch.setattr(layout, "world_signature", lambda _w: wrong)
    with pytest.raises(CodegenError, match="simulator observes"):
        render_world_project(world)


def test_cli_codegen_world_writes_a_checked_project(tmp_path):
    """``codegen world world:PushBlock --out DIR --json`` writes the project and reports the layout."""
    from typer.testing import CliRunner

    from mlops_unity_pipeline.cli.app import app

    runner = CliRunner()
    result = runner.invoke(app, ["codegen", "world", "world:PushBlock", "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["world"] == "PushBlock" and payload["class_name"] == "PushBlockAgent"
    assert [o["name"] for o in payload["metadata"]["observations"]] == [
        "StackingSensor_size3_OffsetRayPerceptionSensor",
        "StackingSensor_size3_RayPerceptionSensor",
    ]
    assert (tmp_path / "Assets" / "Scripts" / "PushBlockAgent.cs").is_file()
    plain = runner.invoke(app, ["codegen", "world", str(ALL_FEATURES), "--out", str(tmp_path / "all")])
    assert plain.exit_code == 0, plain.output
    assert "observation StackingSensor_size3_VectorSensor: [30]" in plain.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["codegen", "world", "world:Nope", "--out", "x"], "no shipped world 'Nope'"),
        (["codegen", "world", "world:PushBlock"], "--out DIR is required"),
        (["codegen", "world"], "give the world file"),
        (["codegen", "world", "missing.yaml", "--out", "x"], "missing.yaml"),
        (["codegen", "world", "world:PushBlock", "--out", "a_file.txt"], "exists and is not a folder"),
    ],
)
def test_cli_codegen_world_bad_input_is_one_clear_line(tmp_path, monkeypatch, args, message):
    """Unknown worlds, bad paths and missing arguments exit non-zero with one line naming the problem."""
    from typer.testing import CliRunner

    from mlops_unity_pipeline.cli.app import app

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a_file.txt").write_text("not a folder")

    result = CliRunner().invoke(app, args)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output


def test_cli_codegen_world_refuses_unsupported_features(tmp_path):
    """A world file using a feature the generator does not write exits 1 naming the field path."""
    from typer.testing import CliRunner

    from mlops_unity_pipeline.cli.app import app

    data = world_to_dict(WORLDS["PushBlock"])
    data["agent"]["count"] = 2  # several agents without a group
    path = tmp_path / "team.json"
    path.write_text(json.dumps(data))
    result = CliRunner().invoke(app, ["codegen", "world", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "agent.count: 2 without groups" in result.output and "Traceback" not in result.output


def test_env_parameters_are_read_at_episode_start_with_their_bounds():
    """Each env parameter is read by name with its default and clamped to [low, high] (uniform: drawn)."""
    files = render_world_project(WORLDS["PushBlock"]).files
    arena = files["Assets/Scripts/ArenaBootstrap.cs"]
    assert 'value = Mathf.Clamp(parameters.GetWithDefault("block_scale", 2.0f), 0.25f, 8.0f);' in arena
    assert 'SetField(0, "size_x", value);' in arena and 'SetField(0, "size_z", value);' in arena
    assert 'SetField(0, "body_drag", value);' in arena
    assert "m_FloorMaterial.dynamicFriction = value;" in arena
    agent = files["Assets/Scripts/PushBlockAgent.cs"]
    begin = agent.split("OnEpisodeBegin()")[1].split("CollectObservations")[0]
    assert begin.index("arena.BeginEpisode(m_Params);") < begin.index("m_Speed = arena.AgentSpeed;")
    assert "m_Params = Academy.Instance.EnvironmentParameters;" in agent


def test_set_velocity_agent_has_no_drag_or_friction():
    """The kinematic motion model (set_velocity) gets a frictionless material and no damping, as simulated."""
    arena = render_world_project(WORLDS["ReachTarget"]).files["Assets/Scripts/ArenaBootstrap.cs"]
    assert 'm_AgentMaterial = Material("Agent", 0f);' in arena and "rigidbody.linearDamping = 0f;" in arena
    push = render_world_project(WORLDS["PushBlock"]).files["Assets/Scripts/ArenaBootstrap.cs"]
    assert "rigidbody.linearDamping = 4.0f;" in push


def test_action_tables_and_heuristic_keys_follow_the_choices():
    """Each discrete choice's row is the simulator's; the keyboard picks forward/back/turns by index."""
    agent = render_world_project(WORLDS["PushBlock"]).files["Assets/Scripts/PushBlockAgent.cs"]
    row = re.search(r"new float\[\] \{ ([^}]*) \}", agent).group(1)
    values = [float(v.rstrip("f")) for v in row.split(", ")]
    # none, forward, back, turn_right, turn_left, strafe_left, strafe_right: (right, fwd, turn, x, z, jump)
    assert values[6:12] == [0, 1, 0, 0, 0, 0] and values[18:24] == [0, 0, 1, 0, 0, 0]
    assert values[30:36] == [-1, 0, 0, 0, 0, 0]
    assert "discrete[0] = Choice(horizontal, vertical, 1, 2, 3, 4, 0);" in agent
    reach = render_world_project(WORLDS["ReachTarget"]).files["Assets/Scripts/ReachTargetAgent.cs"]
    assert "static readonly int[] k_Channels = { 3, 4 };" in reach
    assert "continuous[0] = horizontal;" in reach and "continuous[1] = vertical;" in reach


def test_spawn_tables_are_the_simulators_placement_rule():
    """The C# spawn rectangles and check squares are world.spawn's placeables, agent last."""
    from mlops_unity_pipeline.world.spawn import placeables

    world = WORLDS["all-features"]
    arena = render_world_project(world).files["Assets/Scripts/ArenaBootstrap.cs"]
    rects = re.findall(r"new Vector4\(([^)]*)\)", arena.split("k_SpawnRects =")[1].split("};")[0])
    items = placeables(world)
    assert len(rects) == len(items) == 3 + 2 + 1 + 1 + 1 + 1 + 1
    for text, item in zip(rects, items, strict=True):
        assert [float(v.rstrip("f")) for v in text.split(", ")] == pytest.approx([*item.low, *item.high])
    # food (3 copies), poison (2) and spikes spawn anywhere: their rectangle follows their size at run time
    defaults = re.search(r"k_SpawnDefault = \{ ([^}]*) \}", arena).group(1).split(", ")
    assert defaults == ["false"] + ["true"] * 6 + ["false"] * 3
    clearances = re.search(r"k_SpawnClearance = \{ ([^}]*) \}", arena).group(1).split(", ")
    assert clearances[8] == "1.5f" and clearances[0] == "0.0f"


@pytest.mark.parametrize("key", sorted(WORLDS))
def test_walls_floor_and_regions_are_the_simulators_colliders(key):
    """Every Box the arena builds (walls, floor, regions) has the centre and size of the simulated one."""
    from mlops_unity_pipeline.sim.catalog import make_world

    world = WORLDS[key]
    arena = render_world_project(world).files["Assets/Scripts/ArenaBootstrap.cs"]
    static = arena.split("void BuildStatic()")[1].split("void BuildEntities()")[0]
    number = r"(-?[0-9.e+-]+)f"
    vector = rf"new Vector3\({number}, {number}, {number}\)"
    boxes = re.findall(rf'Box\("\w+", "(\w+)", {vector}, {vector}\)', static)
    env = make_world(world, num_agents=world.agent.count)  # one area
    # tagless solid regions (on the Ignore Raycast layer) hold the agent up but are no ray colliders
    unseen = [b for b in boxes if b[0] == "Untagged"]
    boxes = [b for b in boxes if b[0] != "Untagged"]
    solid = [i for i in env._solid_regions if world.arena.regions[i].tag is None]
    assert len(unseen) == len(solid) == static.count('box.layer = LayerMask.NameToLayer("Ignore Raycast");')
    for (_, *values), i in zip(unseen, solid, strict=True):
        got = [float(v) for v in values]
        lo, hi, top = env._region_lo[i], env._region_hi[i], env._region_top[i]
        assert got[0::2][:2] == pytest.approx([(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2])
        assert [got[3], got[5]] == pytest.approx([hi[0] - lo[0], hi[1] - lo[1]])
        assert got[1] + got[4] / 2 == pytest.approx(top)  # its top is the platform's height
    rows = env._entity_box_rows
    assert len(boxes) == rows
    for (tag, *values), centre, half in zip(
        boxes, env._static_centres[:rows], env._static_halves[:rows], strict=True
    ):
        got = [float(v) for v in values]
        assert got[:3] == pytest.approx(list(centre)), tag
        assert got[3:] == pytest.approx([2 * h for h in half]), tag


class _V3:
    """Just enough of UnityEngine.Vector3 to evaluate the generated observation expressions."""

    def __init__(self, x: float, y: float, z: float) -> None:
        self.x, self.y, self.z = x, y, z

    def __sub__(self, other: _V3) -> _V3:
        return _V3(self.x - other.x, self.y - other.y, self.z - other.z)


def _xz(point) -> tuple[float, float, float]:
    """(x, z) → (x, 0, z)."""
    return float(point[0]), 0.0, float(point[1])


def _csharp_to_python(expr: str) -> str:
    """Turn one generated observation expression into Python (float literals, casts)."""
    expr = re.sub(r"(\d)f\b", r"\1", expr)
    return re.sub(r"\(float\)(\w[\w.]*\([^)]*\))", r"float(\1)", expr)


def test_collect_observations_formulas_reproduce_the_simulators_values():
    """The C# vector items, evaluated on the simulator's state, give the simulator's observation."""
    import math
    import types

    import numpy as np

    from mlops_unity_pipeline.sim.catalog import make_world
    from mlops_unity_pipeline.spaces import ActionTuple

    world = WORLDS["all-features"]
    env = make_world(world, num_agents=1, seed=3)
    env.reset(seed=3)
    rng = np.random.default_rng(0)
    for _ in range(6):
        batch = env.step(
            ActionTuple(rng.uniform(-1, 1, (1, 5)).astype(np.float32), np.array([[1, 3]], dtype=np.int32))
        )
        assert not (batch.terminated[0] or batch.truncated[0])
    p, v = env.agent_position[0], env.agent_velocity[0]
    namespace = {
        "m_Body": types.SimpleNamespace(linearVelocity=_V3(*v)),
        "m_Speed": float(env.speed[0]),
        "transform": types.SimpleNamespace(
            localPosition=_V3(*p), localEulerAngles=_V3(0.0, float(env.agent_yaw[0]), 0.0)
        ),
        "Mathf": types.SimpleNamespace(Sin=math.sin, Cos=math.cos, Max=max, Deg2Rad=math.pi / 180),
        "ArenaBootstrap": types.SimpleNamespace(
            k_HalfX=env.half_x, k_HalfZ=env.half_z, k_Diagonal=math.hypot(2 * env.half_x, 2 * env.half_z)
        ),
        "arena": types.SimpleNamespace(Nearest=lambda tag, _pos: _V3(*_xz(env._nearest(tag, [0])[0]))),
        "Planar": lambda d: math.hypot(d.x, d.z),
        "StepCount": int(env.agent_step_count[0]),
        "MaxStep": world.max_step,
    }
    names = [s.name for s in world_signature(world).observation_specs]
    for sensor in world.agent.sensors:
        if sensor.KIND != "vector":
            continue
        got = [eval(_csharp_to_python(e), namespace) for it in sensor.items for e in _item_code(it)]  # noqa: S307
        index = next(i for i, n in enumerate(names) if n.endswith(sensor.name))
        frame = batch.obs[index][0][-len(got) :]  # stacks are oldest first: the newest frame is last
        assert got == pytest.approx(frame.tolist(), abs=1e-5), sensor.name


def _csharp_array(arena: str, name: str) -> list[str]:
    """The items of one generated ``static readonly T[] name = { ... };`` table, as text."""
    body = re.search(rf"\b{name} = \{{ ([^}}]*) \}};", arena).group(1)
    return [item.strip().strip('"') for item in body.split(",")]


def _press_tables(arena: str, world: World) -> tuple[list, list, list, list]:
    """Expand the C# per-definition switch tables to copies, as ``ArenaBootstrap.Press`` uses them.

    Returns per copy: a switch?, its off tag; per switch x copy: deactivated, activated by its press.
    """
    definition = [d for d, e in enumerate(world.entities) for _ in range(e.count)]
    switch = [_csharp_array(arena, "k_Switch")[d] == "true" for d in definition]
    off = [_csharp_array(arena, "k_OffTag")[d] for d in definition]
    opens = [int(v) for v in _csharp_array(arena, "k_Opens")]
    appears = [int(v) for v in _csharp_array(arena, "k_AppearsOn")]
    closes = [
        [switch[j] and opens[definition[j]] == definition[k] for k in range(len(definition))]
        for j in range(len(definition))
    ]
    reveals = [
        [switch[j] and appears[definition[k]] == definition[j] for k in range(len(definition))]
        for j in range(len(definition))
    ]
    return switch, off, closes, reveals


def test_switch_tables_equal_the_simulators_triggers():
    """What a press deactivates (doors) and activates (appears_on), per copy, is the simulator's table."""
    import numpy as np

    from mlops_unity_pipeline.sim.catalog import make_world

    world = WORLDS["switches"]
    arena = render_world_project(world).files["Assets/Scripts/ArenaBootstrap.cs"]
    env = make_world(world, num_agents=1, seed=0)
    switch, off, closes, reveals = _press_tables(arena, world)
    assert switch == env._switches.tolist()
    assert off == env._copy_tags.tolist()  # switch_state looks a switch up by its off tag, as the simulator
    assert np.array_equal(np.array(closes), env._opens & env._switches[:, None])
    assert np.array_equal(np.array(reveals), env._reveals)
    assert _csharp_array(arena, "k_OnTag")[4] == "leverOn" and _csharp_array(arena, "k_OnTag")[3] == "plate"
    # negative control: a switch opening nothing would differ from the simulator's table
    wrong = arena.replace("k_Opens = { -1, -1, -1, 2,", "k_Opens = { -1, -1, -1, -1,")
    assert wrong != arena
    assert not np.array_equal(np.array(_press_tables(wrong, world)[2]), env._opens & env._switches[:, None])


def test_switches_press_on_contact_and_reset_each_episode():
    """The agent presses what it touches before the events; Place resets switches and hides what appears."""
    world = WORLDS["switches"]
    files = render_world_project(world).files
    arena, agent = files["Assets/Scripts/ArenaBootstrap.cs"], files["Assets/Scripts/SwitcherAgent.cs"]
    contact = agent.split("void Contact(GameObject other)")[1]
    assert contact.index("arena.Press(other);") < contact.index('if (otherTag == "flag")')
    place = arena.split("void Place()")[1].split("Vector2 Draw(")[0]
    assert place.index("m_Placed = true;") < place.index("ResetSwitches();")
    press = arena.split("public void Press(GameObject other)")[1].split("public bool SwitchOn")[0]
    assert "other.tag = k_OnTag[definition];" in press and "m_SwitchOn[j] = true;" in press
    assert "m_Copies[k].SetActive(false);" in press and "m_Copies[k].SetActive(true);" in press
    reset = arena.split("void ResetSwitches()")[1].split("public void Press")[0]
    assert "m_Copies[j].tag = k_OffTag[definition];" in reset and "m_Copies[j].SetActive(false);" in reset
    for line in (
        'sensor.AddObservation(arena.SwitchOn("plate") ? 1f : 0f);',
        'sensor.AddObservation(arena.SwitchOn("leverOff") ? 1f : 0f);',
    ):
        assert line in agent, line
    tags = files["ProjectSettings/TagManager.asset"]
    assert all(f"  - {t}\n" in tags for t in ("plate", "leverOff", "leverOn", "gate", "divider", "flag"))
    # worlds without switches carry none of it
    push = render_world_project(WORLDS["PushBlock"]).files
    assert "Press(" not in push["Assets/Scripts/PushBlockAgent.cs"]
    assert "k_Switch" not in push["Assets/Scripts/ArenaBootstrap.cs"]


def test_cue_tables_and_matches_equal_the_simulators():
    """The C# cue values and matches give, for every value the sign draws, the simulator's entity_match."""

    from mlops_unity_pipeline.sim.catalog import make_world

    world = WORLDS["cues"]
    arena = render_world_project(world).files["Assets/Scripts/ArenaBootstrap.cs"]
    values = [
        [v.strip('" ') for v in row.split(",") if v.strip()]
        for row in re.findall(r"new string\[\] \{ ([^}]*)\}", arena.split("k_CueValues =")[1].split("};")[0])
    ]
    matches = [None if v == "null" else v for v in _csharp_array(arena, "k_Matches")]
    env = make_world(world, num_agents=16, seed=1)
    assert values == [list(env._cue_tags.get(j, ())) for j in range(len(world.entities))]
    assert matches == env._matches
    env.reset(seed=1)
    drawn = env.cue_value[:, 0]
    assert set(drawn.tolist()) == {0, 1}  # both colours drawn across the 16 areas
    for area, v in enumerate(drawn):
        # DrawCues: a target matches when some cue drew its value; no matches: always
        expected = [m is None or m == values[0][v] for m in matches]
        assert expected == env.entity_match[area].tolist()


def test_cue_events_and_item_follow_the_drawn_value():
    """reach counts only a matching pillar, wrong_choice only the other; the cue item is the one-hot."""
    import numpy as np

    from mlops_unity_pipeline.sim.catalog import make_world

    world = WORLDS["cues"]
    files = render_world_project(world).files
    agent = files["Assets/Scripts/SignReaderAgent.cs"]
    arena = files["Assets/Scripts/ArenaBootstrap.cs"]
    wrong = agent.index('if (otherTag == "pillar" && arena.WrongChoice(other))')
    assert wrong < agent.index(
        'if (otherTag == "pillar" && arena.Matches(other))'
    )  # file order, as the simulator
    place = arena.split("void Place()")[1].split("Vector2 Draw(")[0]
    assert "DrawCues();" in place
    draw = arena.split("void DrawCues()")[1].split("public int CueValue")[0]
    assert "m_Copies[j].tag = values[m_CueValue[j]];" in draw  # the rays see the drawn value's tag
    tags = files["ProjectSettings/TagManager.asset"]
    assert "  - red\n" in tags and "  - green\n" in tags
    code = [e for it in world.agent.sensors[0].items for e in _item_code(it, world)]
    cue = [e for e in code if "CueValue" in e]
    assert cue == ['arena.CueValue("sign") == 0 ? 1f : 0f', 'arena.CueValue("sign") == 1 ? 1f : 0f']
    env = make_world(world, num_agents=8, seed=2)
    batch = env.reset(seed=2)
    for area in range(8):
        value = int(env.cue_value[area, 0])
        got = [
            1.0 if eval(e.split(" ? ")[0].replace('arena.CueValue("sign")', str(value))) else 0.0 for e in cue
        ]  # noqa: S307
        names = [s.name for s in world_signature(world).observation_specs]
        obs = batch.obs[names.index("VectorSensor")][area]
        assert got == obs[4:6].tolist()  # velocity 2, direction_to 2, then the cue's one-hot
    assert np.unique(env.cue_value[:, 0]).size == 2


def test_jump_fall_and_ground_items_are_written():
    """A jump sets the upward speed only when grounded; a fall below fall_height ends the episode; the
    jump column of each choice and channel is the simulator's; grounded/local_velocity are Unity queries."""
    from mlops_unity_pipeline.sim.world_env import _CHOICES
    from mlops_unity_pipeline.world.model import DiscreteAction

    world = WORLDS["jump"]
    files = render_world_project(world).files
    agent, arena = files["Assets/Scripts/JumperAgent.cs"], files["Assets/Scripts/ArenaBootstrap.cs"]
    assert "const float k_JumpSpeed = 8.0f;" in agent
    jump = agent.split("if (move[5] > 0f && Grounded())")[1].split("}")[0]
    assert (
        "m_Body.AddForce(Vector3.up * (k_JumpSpeed - m_Body.linearVelocity.y), ForceMode.VelocityChange);"
        in jump
    )
    fall = agent.split("if (transform.localPosition.y < -1.0f)")[1].split("}")[0]
    assert "AddReward(-1.0f);" in fall and "Finish(true);" in fall
    assert "static readonly int[] k_Channels = { 5 };" in agent  # the continuous jump drives the jump column
    rows = re.findall(r"new float\[\] \{ ([^}]*) \}", agent.split("k_Branches =")[1].split("};")[0])
    jump_row = [float(v.rstrip("f")) for v in rows[1].split(", ")][6:12]
    assert jump_row == list(_CHOICES[DiscreteAction.JUMP]) and jump_row[5] == 1.0
    assert "sensor.AddObservation(Grounded() ? 1f : 0f);" in agent
    assert "sensor.AddObservation(transform.InverseTransformDirection(m_Body.linearVelocity).y);" in agent
    assert (
        "Physics.OverlapBox(centre, extents, transform.rotation, ~0, QueryTriggerInteraction.Ignore)" in agent
    )
    assert 'Box("WallWest"' not in arena  # an open arena: nothing stops a fall off its edge
    assert "discrete[1] = 1;" in agent.split("Heuristic(")[1]  # space jumps
    # worlds that never jump carry none of it
    push = render_world_project(WORLDS["PushBlock"]).files["Assets/Scripts/PushBlockAgent.cs"]
    assert "Grounded()" not in push and "k_JumpSpeed" not in push


def test_local_velocity_is_the_simulators_right_up_forward():
    """transform.InverseTransformDirection of the velocity, for a turned agent, gives the simulator's item."""
    import math

    import numpy as np

    from mlops_unity_pipeline.sim.catalog import make_world
    from mlops_unity_pipeline.spaces import ActionTuple

    world = _with(WORLDS["jump"], agent__yaw=35.0)
    env = make_world(world, num_agents=1, seed=0)
    env.reset(seed=0)
    for _ in range(4):
        batch = env.step(ActionTuple(np.ones((1, 1), np.float32), np.array([[3, 0]], dtype=np.int32)))
    v, yaw = env.agent_velocity[0], math.radians(env.agent_yaw[0])
    # Unity: a rotation by yaw about +y maps local (x, y, z) to world (x cos + z sin, y, -x sin + z cos)
    local = (v[0] * math.cos(yaw) - v[2] * math.sin(yaw), v[1], v[0] * math.sin(yaw) + v[2] * math.cos(yaw))
    names = [s.name for s in world_signature(world).observation_specs]
    obs = batch.obs[names.index("VectorSensor")][0]
    assert abs(v[0]) + abs(v[2]) > 0.1 and obs[1:4].tolist() == pytest.approx(local, abs=1e-5)


def test_room_spawns_and_resting_items_are_the_simulators_rule():
    """Pyramids: the spawn.regions choices and rests_on bases in the C# are world.spawn's placeables."""
    from mlops_unity_pipeline.sim.catalog import make_world
    from mlops_unity_pipeline.world.spawn import placeables

    world = WORLDS["Pyramids"]
    arena = render_world_project(world).files["Assets/Scripts/ArenaBootstrap.cs"]
    rects = re.findall(r"new Vector4\(([^)]*)\)", arena.split("k_ChoiceRects =")[1].split("};")[0])
    rows = re.findall(r"new int\[\] \{ ([^}]*)\}", arena.split("k_SpawnChoices =")[1].split("};")[0])
    items = placeables(world)
    assert len(rows) == len(items)
    rect_of = [[float(v.rstrip("f")) for v in r.split(", ")] for r in rects]
    for row, item in zip(rows, items, strict=True):
        chosen = [rect_of[int(i)] for i in row.split(",") if i.strip()]
        expected = [v for _, low, high in item.choices for v in (*low, *high)]
        assert [v for rect in chosen for v in rect] == pytest.approx(expected), item.name
    assert sum(bool(item.choices) for item in items) >= 9  # switch, stones, pyramid, the agent: room draws
    rests = [int(v) for v in _csharp_array(arena, "k_RestsOn")]
    env = make_world(world, num_agents=1)
    assert rests[:-1] == env._rests_on.tolist() and rests[-1] == -1 and max(rests) >= 0
    defaults = _csharp_array(arena, "k_SpawnDefault")
    assert all(d == "false" for d, item in zip(defaults, items, strict=True) if item.choices)


def test_toppling_and_room_draws_are_written():
    """A touched toppling obstacle is deactivated before the events and its riders drop to the floor; a room
    taken by an earlier item this episode is not drawn again while a free one is left."""
    world = WORLDS["Pyramids"]
    files = render_world_project(world).files
    agent, arena = files["Assets/Scripts/PyramidsAgent.cs"], files["Assets/Scripts/ArenaBootstrap.cs"]
    contact = agent.split("void Contact(GameObject other)")[1]
    assert (
        contact.index("arena.Press(other);")
        < contact.index("arena.Topple(other);")
        < contact.index("otherTag ==")
    )
    topples = [v == "true" for v in _csharp_array(arena, "k_Topples")]
    assert topples == [e.topples for e in world.entities]
    topple = arena.split("public void Topple(GameObject other)")[1].split("public ")[0]
    assert "other.SetActive(false);" in topple and "rider.localScale.y / 2f" in topple
    choose = arena.split("static int Choose(")[1].split("static bool Overlap")[0]
    assert "if (!taken[c])" in choose and "taken[pick] = true;" in choose
    place = arena.split("void Place()")[1].split("Vector2 Draw(")[0]
    assert "y = below.localPosition.y + below.localScale.y / 2f + scale.y / 2f;" in place
    assert (
        "k_Topples" not in render_world_project(WORLDS["switches"]).files["Assets/Scripts/ArenaBootstrap.cs"]
    )


@pytest.mark.parametrize("name", ["SwitchOpener", "SignReader"])
def test_dev_set_switch_and_cue_descriptions_generate(tmp_path, mcs, name):
    """The dev-set's switch/door and cue descriptions, composed by the rules, give checked projects."""
    from mlops_unity_pipeline.behavior.world_rules import compose_world

    from ..behavior.test_world_rules import CASES, _asset

    description, extra, _ = CASES[name]
    world = compose_world(_asset(name, description, **extra))
    assert refusals(world) == []
    result = generate_world(world, tmp_path)
    assert result.passed, [str(d) for c in result.checks for d in c.diagnostics]
    assert read_layout(render_world_project(world).files, world.behavior_name) == world_signature(world)
