"""The IR ↔ simulator link: the generated CollectObservations adds exactly the simulator's layout, the action
indices mean the same, and the C# constants equal the simulator's parameters (for every archetype)."""

from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
import pytest

from mlops_unity_pipeline.behavior import Archetype, default_spec
from mlops_unity_pipeline.behavior.kinds import NAVIGATION_DISCRETE
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
    "BallVelocity": ("ball_velocity", None, 3),
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
        "k_ProgressReward": p.progress_reward,
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
    root = parse(source.encode()).root_node
    mask = _method(root, "WriteDiscreteActionMask").text.decode()
    assert (
        "for (int i = 1; i < k_DiscreteMoves.Length; i++)" in mask and "SetActionEnabled(0, i, false)" in mask
    )
    # MoveAllowed at the walls: only the move into a touched wall is disabled (the simulator's mask)
    allowed = _method(root, "MoveAllowed").text.decode()
    edge_expr = re.search(r"float edge = ([^;]+);", allowed).group(1)
    rule = re.search(r"return ([^;]+);", allowed, re.S).group(1)
    rule = _csharp_to_python(rule).replace("&&", " and ").replace("||", " or ").replace("!", " not ")
    p = spec.to_navigation_params()
    constants = {k: float(v.rstrip("f")) for k, v in _constants(source).items() if k != "k_BehaviorName"}
    edge = eval(_csharp_to_python(edge_expr), dict(constants))  # noqa: S307 - our template
    limit = p.arena_half_extent - p.agent_radius
    for x, z in [(0.0, 0.0), (limit, 0.0), (-limit, 0.0), (0.0, limit), (0.0, -limit), (limit, -limit)]:
        for index, (mx, mz) in enumerate(DISCRETE_MOVES[1:], start=1):
            names = {"move": _NS(x=mx, y=mz), "m_Position": _Vec(x, 0.5, z), "edge": edge}
            into_wall = (
                (mx > 0 and x >= limit)
                or (mx < 0 and x <= -limit)
                or (mz > 0 and z >= limit)
                or (mz < 0 and z <= -limit)
            )
            assert eval(rule, names) is (not into_wall), (x, z, index)  # noqa: S307 - our template


def test_balance_action_indices():
    """Balance: [0] tilts about z, [1] about x (3DBall's meaning)."""
    source = render_agent(default_spec(Archetype.BALANCE, "Balancer"))
    body = _method(parse(source.encode()).root_node, "OnActionReceived").text.decode()
    assert "tiltZ = k_TiltDegreesPerAction * Mathf.Clamp(actions.ContinuousActions[0]" in body
    assert "tiltX = k_TiltDegreesPerAction * Mathf.Clamp(actions.ContinuousActions[1]" in body


# --- the C# formulas, evaluated on the simulator's state, reproduce its observations ---


class _Vec:
    """The slice of Unity's Vector3 the observation expressions use."""

    def __init__(self, x: float, y: float, z: float) -> None:
        self.x, self.y, self.z = x, y, z

    def __sub__(self, other: _Vec) -> _Vec:
        return _Vec(self.x - other.x, self.y - other.y, self.z - other.z)

    def floats(self) -> list[float]:
        return [self.x, self.y, self.z]


class _NS:
    def __init__(self, **kw) -> None:
        self.__dict__.update(kw)


def _csharp_to_python(expr: str) -> str:
    expr = re.sub(r"\b(\d+(?:\.\d+)?(?:e-?\d+)?)f\b", r"\1", expr)
    return expr.replace("Mathf.Sqrt", "math.sqrt").replace("Mathf.Deg2Rad", "(math.pi / 180)")


def _ray_distance(origin, direction, half, centres, radius, length):
    """Independent 2D ray cast: nearest wall (inner faces at ±half) or circle along ``direction``."""
    best = length
    for axis in (0, 1):
        if abs(direction[axis]) > 1e-12:
            wall = half if direction[axis] > 0 else -half
            best = min(best, (wall - origin[axis]) / direction[axis])
    for centre in centres:
        oc = np.asarray(centre) - origin
        b = float(oc @ direction)
        disc = b * b - (float(oc @ oc) - radius * radius)
        if disc >= 0 and b > 0:
            best = min(best, b - math.sqrt(disc))
    return max(best, 0.0)


def _calls_in_order(source: str):
    root = parse(source.encode()).root_node
    body = _method(root, "CollectObservations")
    calls, stack = [], [body]
    while stack:
        node = stack.pop()
        if node.type == "invocation_expression" and node.child_by_field_name("function").text.decode() == (
            "sensor.AddObservation"
        ):
            in_loop = any(
                a.type == "for_statement" for a in _ancestors(node) if a.start_byte >= body.start_byte
            )
            calls.append(
                (
                    node.start_byte,
                    node.child_by_field_name("arguments").named_children[0].text.decode(),
                    in_loop,
                )
            )
        stack.extend(node.children)
    return [(arg, loop) for _, arg, loop in sorted(calls)]


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


@pytest.mark.parametrize("variant", sorted(NAV_VARIANTS))
def test_navigation_formulas_reproduce_simulator_observations(variant):
    """Each AddObservation expression, evaluated on the simulator's state, equals the simulator's float."""
    spec = NAV_VARIANTS[variant]
    p = spec.to_navigation_params()
    source = render_agent(spec)
    constants = {k: float(v.rstrip("f")) for k, v in _constants(source).items() if k != "k_BehaviorName"}
    angle_expr = _method(parse(source.encode()).root_node, "RayAngleDegrees").text.decode()
    angle_expr = re.search(r"return ([^;]+);\s*}\s*$", angle_expr).group(1)
    env = spec.make_env(num_agents=1, seed=11)
    batch = env.reset(seed=11)
    rng = np.random.default_rng(0)
    for _ in range(6):
        if spec.actions.is_continuous:
            action = ActionTuple(rng.uniform(-1, 1, (1, 2)).astype(np.float32), np.zeros((1, 0), np.int32))
        else:
            action = ActionTuple(np.zeros((1, 0), np.float32), rng.integers(0, 5, (1, 1)).astype(np.int32))
        batch = env.step(action)
    position, target, velocity = env.position[0], env.target[0], env.velocity[0]
    active = [env.obstacles[0, j] for j in range(p.num_obstacles) if env.active_obstacles[0, j]]
    detect_walls = "wall" in p.detectable_tags
    centres = active if "obstacle" in p.detectable_tags else []

    def ray_hit_fraction(i):
        angle = eval(_csharp_to_python(angle_expr), {"math": math, "i": i, **constants})  # noqa: S307 - our template
        direction = np.array([math.sin(math.radians(angle)), math.cos(math.radians(angle))])
        half = p.arena_half_extent if detect_walls else 1e9
        return (
            _ray_distance(position, direction, half, centres, p.obstacle_radius, p.ray_length) / p.ray_length
        )

    names = {
        "math": math,
        "m_Position": _Vec(position[0], 0.5, position[1]),
        "m_Target": _Vec(target[0], 0.5, target[1]),
        "m_Velocity": _Vec(velocity[0], 0.0, velocity[1]),
        "m_MoveSpeed": float(env.speed[0]),
        "PlanarDistance": lambda a, b: math.hypot(a.x - b.x, a.z - b.z),
        "RayHitFraction": ray_hit_fraction,
        **constants,
    }
    values = []
    for arg, in_loop in _calls_in_order(source):
        for i in range(int(constants["k_NumRays"]) if in_loop else 1):
            values.append(eval(_csharp_to_python(arg), {**names, "i": i}))  # noqa: S307 - our template
    np.testing.assert_allclose(values, batch.obs[0][0], atol=1e-5)


def test_balance_formulas_reproduce_3dball_observations():
    """Ball3D expressions on the simulator's state (platform at the origin) equal its 8 observations."""
    spec = default_spec(Archetype.BALANCE, "Balancer")
    source = render_agent(spec)
    env = spec.make_env(num_agents=2, seed=5)
    env.reset(seed=5)
    batch = env.step(ActionTuple(np.full((2, 2), 0.3, np.float32), np.zeros((2, 0), np.int32)))
    inner = getattr(env, "_env", env)
    q, ball, vel = inner.rotation[0], inner.ball_position[0], inner.ball_velocity[0]
    names = {
        "transform": _NS(rotation=_NS(x=q[0], y=q[1], z=q[2], w=q[3]), position=_Vec(0.0, 0.0, 0.0)),
        "ball": _NS(transform=_NS(position=_Vec(*ball))),
        "BallVelocity": _Vec(*vel),
    }
    values = []
    for arg, _ in _calls_in_order(source):
        value = eval(_csharp_to_python(arg), names)  # noqa: S307 - our template
        values.extend(value.floats() if isinstance(value, _Vec) else [value])
    np.testing.assert_allclose(values, batch.obs[0][0], atol=1e-5)
