"""The IR ↔ simulator link: the generated CollectObservations adds exactly the simulator's layout, the action
indices mean the same, and the C# constants equal the simulator's parameters (for every archetype)."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest

from mlops_unity_pipeline.behavior.spec import NAVIGATION_DISCRETE, Archetype, default_spec
from mlops_unity_pipeline.codegen.checks.syntax import parse
from mlops_unity_pipeline.codegen.csharp import render_agent
from mlops_unity_pipeline.sim.archetypes import DISCRETE_MOVES, PHYSICS_DT, ObservationItem
from mlops_unity_pipeline.spaces import ActionTuple

# What each AddObservation argument observes: (kind, component, floats). Written from the meanings in
# sim/archetypes.py OBSERVATION_KINDS and the 3DBall layout, independently of the templates.
NAV_MEANING = {
    "RayHitFraction(i)": ("raycast", None, 1),
    "m_Velocity.x / m_MoveSpeed": ("velocity", 0, 1),
    "m_Velocity.z / m_MoveSpeed": ("velocity", 1, 1),
    "(m_Target.x - m_Position.x) / (2f * k_ArenaHalfExtent)": ("target_direction", 0, 1),
    "(m_Target.z - m_Position.z) / (2f * k_ArenaHalfExtent)": ("target_direction", 1, 1),
    "PlanarDistance(m_Target, m_Position) / (2f * k_ArenaHalfExtent * Mathf.Sqrt(2f))": (
        "target_distance",
        0,
        1,
    ),
    "m_Position.x / k_ArenaHalfExtent": ("position", 0, 1),
    "m_Position.z / k_ArenaHalfExtent": ("position", 1, 1),
}
BALL_MEANING = {
    "transform.rotation.z": ("platform_rotation_z", 0, 1),
    "transform.rotation.x": ("platform_rotation_x", 0, 1),
    "ball.transform.position - transform.position": ("ball_relative_position", None, 3),
    "m_BallRb.velocity": ("ball_velocity", None, 3),
}

NAV_VARIANTS = {
    "navigation-default": default_spec(Archetype.NAVIGATION, "Nav"),
    "navigation-discrete": dataclasses.replace(
        default_spec(Archetype.NAVIGATION, "Grid"), actions=NAVIGATION_DISCRETE
    ),
    "reach-target": default_spec(Archetype.REACH_TARGET, "Reach"),
}


def _all_kinds_spec():
    from mlops_unity_pipeline.behavior.spec import RaySensor, SensorItem

    base = default_spec(Archetype.NAVIGATION, "AllKinds")
    items = (
        SensorItem("position", 2),
        SensorItem("target_distance", 1),
        SensorItem("raycast", 5),
        SensorItem("target_direction", 2),
        SensorItem("velocity", 2),
    )
    return dataclasses.replace(base, observations=items, rays=RaySensor(num_rays=5, degrees=120.0))


NAV_VARIANTS["navigation-all-kinds"] = _all_kinds_spec()


def _method(tree_root, name):
    stack = [tree_root]
    while stack:
        node = stack.pop()
        if node.type == "method_declaration" and node.child_by_field_name("name").text.decode() == name:
            return node
        stack.extend(node.children)
    raise AssertionError(f"method {name} not found")


def _constants(source: str) -> dict[str, str]:
    return dict(re.findall(r"public const \w+ (k_\w+) = ([^;]+);", source))


def _observed_floats(source: str, meaning: dict) -> list[tuple[str, int]]:
    """(kind, component) per float added by CollectObservations, in order, read from the parsed C#."""
    constants = _constants(source)
    root = parse(source.encode()).root_node
    body = _method(root, "CollectObservations")
    calls = []
    stack = [body]
    while stack:
        node = stack.pop()
        if node.type == "invocation_expression" and node.child_by_field_name("function").text.decode() == (
            "sensor.AddObservation"
        ):
            calls.append(node)
        stack.extend(reversed(node.children))
    floats = []
    for call in sorted(calls, key=lambda n: n.start_byte):
        arg = call.child_by_field_name("arguments").named_children[0].text.decode()
        assert arg in meaning, f"CollectObservations adds an unknown quantity: {arg}"
        kind, component, size = meaning[arg]
        loop = call.parent
        repeat = 1
        while loop is not None and loop.type != "method_declaration":
            if loop.type == "for_statement":
                bound = re.search(r"i < (k_\w+)", loop.text.decode()).group(1)
                repeat = int(constants[bound])
            loop = loop.parent
        for r in range(repeat):
            for j in range(size):
                floats.append(
                    (kind, r if component is None and repeat > 1 else (j if component is None else component))
                )
    return floats


def _expected(items: tuple[ObservationItem, ...]) -> list[tuple[str, int]]:
    return [(item.kind, j) for item in items for j in range(item.size)]


@pytest.mark.parametrize("variant", sorted(NAV_VARIANTS))
def test_navigation_layout_equals_the_simulator(variant):
    """Parsed CollectObservations = NavigationParams.observations = the simulator's obs_0 size."""
    spec = NAV_VARIANTS[variant]
    params = spec.to_navigation_params()
    source = render_agent(spec)
    floats = _observed_floats(source, NAV_MEANING)
    assert floats == _expected(params.observations)
    env = spec.make_env(num_agents=1, seed=0)
    assert env.signature.observation_specs[0].shape == (len(floats),)
    assert env.reset(seed=0).obs[0].shape == (1, len(floats))
    assert _constants(source)["k_ObservationSize"] == str(len(floats))


def test_balance_layout_equals_3dball():
    """The balance Agent adds rotation.z, rotation.x, ball - platform, ball velocity: the 3DBall task's 8."""
    spec = default_spec(Archetype.BALANCE, "Balancer")
    floats = _observed_floats(render_agent(spec), BALL_MEANING)
    kinds = [k for k, _ in floats]
    assert (
        kinds
        == ["platform_rotation_z", "platform_rotation_x"]
        + ["ball_relative_position"] * 3
        + ["ball_velocity"] * 3
    )
    env = spec.make_env(num_agents=3, seed=0)
    assert env.signature.observation_specs[0].shape == (len(floats),)
    assert env.signature.action_spec.continuous_size == 2


@pytest.mark.parametrize("variant", sorted(NAV_VARIANTS))
def test_physics_constants_equal_navigation_params(variant):
    """Every constant the C# uses has the NavigationParams value."""
    spec = NAV_VARIANTS[variant]
    p = spec.to_navigation_params()
    c = _constants(render_agent(spec))
    as_float = {k: float(v.rstrip("f")) for k, v in c.items() if k != "k_BehaviorName"}
    assert c["k_BehaviorName"] == f'"{p.behavior_name}"'
    expected = {
        "k_PhysicsDt": PHYSICS_DT,
        "k_MaxStep": p.max_step,
        "k_DecisionPeriod": p.decision_period,
        "k_ArenaHalfExtent": p.arena_half_extent,
        "k_AgentRadius": p.agent_radius,
        "k_ObstacleRadius": p.obstacle_radius,
        "k_ReachDistance": p.reach_distance,
        "k_MoveSpeed": p.move_speed,
        "k_NumObstacles": p.num_obstacles,
        "k_NumRays": p.num_rays,
        "k_RayDegrees": p.ray_degrees,
        "k_RayLength": p.ray_length,
        "k_ReachReward": p.reach_reward,
        "k_CollisionPenalty": p.collision_penalty,
        "k_TimePenalty": p.time_penalty,
    }
    for name, value in expected.items():
        assert as_float[name] == pytest.approx(value), name


def test_continuous_action_indices_mean_x_then_z():
    """C#: [0] → world x, [1] → world z; the simulator moves +x for (1, 0) and +z for (0, 1)."""
    spec = default_spec(Archetype.REACH_TARGET, "Reach")
    source = render_agent(spec)
    read = _method(parse(source.encode()).root_node, "ReadMove").text.decode()
    assert "new Vector2(Mathf.Clamp(continuous[0], -1f, 1f), Mathf.Clamp(continuous[1], -1f, 1f))" in read
    step = _method(parse(source.encode()).root_node, "StepPhysics").text.decode()
    assert "new Vector3(move.x, 0f, move.y)" in step
    env = spec.make_env(num_agents=1, seed=3)
    env.reset(seed=3)
    for action, axis in (([1.0, 0.0], 0), ([0.0, 1.0], 1)):
        before = env.position.copy()
        env.step(ActionTuple(np.asarray([action], dtype=np.float32), np.zeros((1, 0), dtype=np.int32)))
        moved = env.position - before
        assert moved[0, axis] > 0 and abs(moved[0, 1 - axis]) < 1e-9


def test_discrete_moves_equal_the_simulator_table():
    """k_DiscreteMoves in C# lists sim.archetypes.DISCRETE_MOVES in order, and the mask covers the 4 moves."""
    spec = NAV_VARIANTS["navigation-discrete"]
    source = render_agent(spec)
    moves = re.findall(
        r"new Vector2\(([-\d.e]+)f, ([-\d.e]+)f\)", source.split("k_DiscreteMoves =")[1].split("};")[0]
    )
    assert [(float(x), float(z)) for x, z in moves] == list(DISCRETE_MOVES)
    mask = _method(parse(source.encode()).root_node, "WriteDiscreteActionMask").text.decode()
    assert sorted(int(i) for i in re.findall(r"SetActionEnabled\(0, (\d), false\)", mask)) == [1, 2, 3, 4]


def test_balance_action_indices():
    """Balance: [0] tilts about z, [1] about x (3DBall's meaning)."""
    source = render_agent(default_spec(Archetype.BALANCE, "Balancer"))
    body = _method(parse(source.encode()).root_node, "OnActionReceived").text.decode()
    assert "tiltZ = k_TiltDegreesPerAction * Mathf.Clamp(actions.ContinuousActions[0]" in body
    assert "tiltX = k_TiltDegreesPerAction * Mathf.Clamp(actions.ContinuousActions[1]" in body
