"""Platform worlds in the generated C#: Ball3DAgent's idiom (Rotate, a Rigidbody ball) and their layout."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline.codegen.world import generate_world, render_world_project
from mlops_unity_pipeline.codegen.world.render import class_name_for
from mlops_unity_pipeline.sim.world_env import world_signature
from mlops_unity_pipeline.world import library_worlds, load_world

from ..mono import assert_types_checked
from .test_world_codegen import _agent_vector_adds, read_layout

WORLDS = {name: load_world(library_worlds()[name]) for name in ("3DBall", "3DBallHard")}


@pytest.mark.parametrize("name", sorted(WORLDS))
def test_platform_project_passes_codegen_check(tmp_path, mcs, name):
    """world:3DBall and world:3DBallHard give projects passing syntax, types and safety."""
    result = generate_world(WORLDS[name], tmp_path)
    assert result.passed, [str(d) for c in result.checks for d in c.diagnostics]
    assert_types_checked(result.checks)


@pytest.mark.parametrize("name", sorted(WORLDS))
def test_platform_layout_read_back_equals_the_simulator(name):
    """The C# declares the simulator's sensors, sizes, stacks and actions; one float per AddObservation."""
    world = WORLDS[name]
    project = render_world_project(world)
    assert read_layout(project.files, world.behavior_name) == world_signature(world)
    assert _agent_vector_adds(project.files, project.class_name) == (8 if name == "3DBall" else 0)


def test_class_names_follow_upstream():
    """A digit-led behavior name becomes the identifier upstream uses: Ball3DAgent, Ball3DHardAgent."""
    assert class_name_for(WORLDS["3DBall"]) == "Ball3DAgent"
    assert class_name_for(WORLDS["3DBallHard"]) == "Ball3DHardAgent"


def test_platform_turns_with_rotate_and_the_ball_is_a_rigidbody():
    """The platform turns by transform.Rotate within the limit; PhysX moves the ball; SetReward events."""
    files = render_world_project(WORLDS["3DBall"]).files
    agent, arena = files["Assets/Scripts/Ball3DAgent.cs"], files["Assets/Scripts/ArenaBootstrap.cs"]
    for line in (
        "float actionZ = k_DegreesPerAction * Mathf.Clamp(actions.ContinuousActions[0], -1f, 1f);",
        "gameObject.transform.Rotate(new Vector3(0f, 0f, 1f), actionZ);",
        "float actionX = k_DegreesPerAction * Mathf.Clamp(actions.ContinuousActions[1], -1f, 1f);",
        "gameObject.transform.Rotate(new Vector3(1f, 0f, 0f), actionX);",
        "(gameObject.transform.rotation.z > -k_MaxRotation && actionZ < 0f))",
        "SetReward(k_FallReward);",
        "SetReward(k_AliveReward);",
        "public const float k_AliveReward = 0.1f;",
        "public const float k_FallReward = -1.0f;",
        "m_BallRb.mass = mass;",
        "ball.transform.localScale = new Vector3(scale, scale, scale);",
        "Physics.gravity = new Vector3(0f, -gravity, 0f);",
        "sensor.AddObservation(gameObject.transform.rotation.z);",
        "sensor.AddObservation(m_BallRb.linearVelocity.z);",
    ):
        assert line in agent, line
    assert "EndEpisode();" in agent.split("SetReward(k_FallReward);")[1].split("}")[0]
    for line in (
        "Rigidbody ballBody = ball.AddComponent<Rigidbody>();",
        "const float k_PlatformSize = 5.0f;",
        "platform.transform.localScale = new Vector3(k_PlatformSize, k_PlatformSize, k_PlatformSize);",
        "behavior.BrainParameters.VectorObservationSize = 8;",
    ):
        assert line in arena, line
    assert "m_BallRb.linearVelocity = Vector3.zero;" in agent  # only at episode start, as upstream
    assert "AddForce" not in agent and "MovePosition" not in agent  # PhysX rolls the ball


def test_stacked_observables_are_vector_sensor_components():
    """3DBallHard: PositionDelta and Rotation as 9-stacked VectorSensorComponents filled per float."""
    files = render_world_project(WORLDS["3DBallHard"]).files
    agent, arena = files["Assets/Scripts/Ball3DHardAgent.cs"], files["Assets/Scripts/ArenaBootstrap.cs"]
    assert 'SensorName = "PositionDelta";' in arena and 'SensorName = "Rotation";' in arena
    assert arena.count("ObservationStacks = 9;") == 2
    assert "VectorSensor PositionDelta = sensorPositionDelta.GetSensor();" in agent
    assert agent.count("PositionDelta.AddObservation(") == 3 and agent.count("Rotation.AddObservation(") == 2
