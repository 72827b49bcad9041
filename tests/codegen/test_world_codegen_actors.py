"""Scripted actors and the near event in the generated C#: a checked project with the simulator's rules."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from mlops_unity_pipeline.codegen.world import generate_world, render_world_project
from mlops_unity_pipeline.sim.catalog import make_world
from mlops_unity_pipeline.sim.world_actors import EVADE_LOOKAHEAD, EVADE_MIN_LOOKAHEAD, evade_turns
from mlops_unity_pipeline.sim.world_env import world_signature
from mlops_unity_pipeline.world import World, library_worlds, load_world, world_from_dict, world_to_dict

from ..mono import assert_types_checked
from .test_world_codegen import read_layout

ACTORS = Path(__file__).parent / "data" / "world_actors.yaml"
WORLD = load_world(ACTORS)
ARENA = "Assets/Scripts/ArenaBootstrap.cs"
ACTOR = "Assets/Scripts/WorldActor.cs"


def _files(world: World = WORLD) -> dict[str, str]:
    return render_world_project(world).files


def _actor_tables(arena: str, world: World) -> dict[str, list]:
    """Read each actor definition's settings from BuildEntities and expand them to copies (file order)."""
    rows: dict[str, list] = {"kind": [], "speed": [], "follows_agent": [], "follows": [], "waypoints": []}
    build = arena.split("void BuildEntities()")[1].split("void BuildAgent()")[0]
    blocks = re.split(r"\n {8}// \w+: \d+ ", build)[1:]  # one per definition: "// name: count kind"
    for entity, block in zip(world.entities, blocks, strict=True):
        if "actor.behavior = " not in block:
            continue
        get = dict(re.findall(r"\bactor\.(\w+) = ([^;]+);", block))
        points = re.findall(r"new Vector2\(([-\d.e]+)f, ([-\d.e]+)f\)", get.get("waypoints", ""))
        for _ in range(entity.count):
            rows["kind"].append(int(get["behavior"]))
            rows["speed"].append(float(get["speed"].rstrip("f")))
            rows["follows_agent"].append(get["followsAgent"] == "true")
            rows["follows"].append(None if get["follows"] == "null" else get["follows"].strip('"'))
            rows["waypoints"].append([[float(x), float(z)] for x, z in points])
    return rows


def test_actor_world_project_passes_codegen_check(tmp_path, mcs):
    """Chaser, evader, a chaser of the evader and patrollers: the project passes syntax, types, safety."""
    result = generate_world(WORLD, tmp_path)
    assert result.passed, [str(d) for c in result.checks for d in c.diagnostics]
    assert_types_checked(result.checks)
    assert (tmp_path / ACTOR).is_file()


def test_actor_world_layout_read_back_equals_the_simulator():
    """Actors add no observation of their own: the declared layout is still the simulator's signature."""
    assert read_layout(_files(), WORLD.behavior_name) == world_signature(WORLD)


def test_actor_tables_equal_the_simulators():
    """Each actor copy's code, speed, what it follows and its waypoints are the simulator's tables."""
    files = _files()
    tables = make_world(WORLD, num_agents=1, seed=0).actors
    got = _actor_tables(files[ARENA], WORLD)
    assert got["kind"] == tables.kind.tolist()
    assert got["speed"] == tables.speed.tolist() == tables.speed_now[0].tolist()
    assert got["follows_agent"] == tables.follow_agent.tolist()
    assert not tables.follow_agent[tables.kind == 2].any()  # a patroller follows nothing
    tags = [WORLD.tag_of(e) for e in WORLD.entities for _ in range(e.count)]
    follow = [[f is not None and t == f for t in tags] for f in got["follows"]]
    assert np.array_equal(np.array(follow), tables.follow)
    for a, points in enumerate(got["waypoints"]):
        assert points == tables.waypoints[a, : tables.waypoint_count[a]].tolist()
    # negative control: a C# speed off by a little no longer equals the simulator's
    wrong = files[ARENA].replace("actor.speed = 2.5f;", "actor.speed = 2.4f;")
    assert _actor_tables(wrong, WORLD)["speed"] != tables.speed.tolist()


def test_actor_steering_constants_are_the_simulators():
    """The C# behavior codes, evader turns and lookahead are the kernel's (one meaning for both sides)."""
    actor = _files()[ACTOR]
    codes = dict(re.findall(r"public const int k_(\w+) = (\d+);", actor))
    assert codes == {"Chaser": "0", "Evader": "1", "Patroller": "2"}
    turns = re.findall(r"new Vector2\(([-\d.e]+)f, ([-\d.e]+)f\)", actor.split("k_Turns =")[1].split("};")[0])
    assert np.array([[float(c), float(s)] for c, s in turns]) == pytest.approx(evade_turns())
    assert f"k_MinLookahead = {EVADE_MIN_LOOKAHEAD!r}f;" in actor
    assert f"k_Lookahead = {EVADE_LOOKAHEAD!r}f;" in actor
    # the evader's candidate point: away (-toward) turned by (cos, sin), as the kernel writes it
    assert "-toward.x * turn.x + toward.y * turn.y, -toward.x * turn.y - toward.y * turn.x" in actor


def test_actors_move_by_rigidbody_in_fixed_update_not_by_teleport():
    """An actor is a kinematic Rigidbody moved with MovePosition in FixedUpdate, a trigger to the agent."""
    files = _files()
    actor, arena = files[ACTOR], files[ARENA]
    fixed = actor.split("void FixedUpdate()")[1].split("Vector2 Steer(")[0]
    assert "m_Body.MovePosition(Resolve(next));" in fixed
    assert "transform.position =" not in actor and "transform.localPosition =" not in actor
    build = arena.split("void BuildEntities()")[1].split("void BuildAgent()")[0]
    hunter = build.split("// hunter:")[1].split("// rabbit:")[0]
    assert "collider.isTrigger = true;" in hunter and "body.isKinematic = true;" in hunter
    assert "body.useGravity = false;" in hunter
    # walls hold it inside, then solids without a Rigidbody push it out (not the agent or blocks)
    resolve = actor.split("Vector3 Resolve(Vector3 next)")[1]
    assert "Physics.ComputePenetration(" in resolve and "other.attachedRigidbody != null" in resolve
    # each episode start sends patrollers to their first waypoint again; kinematic bodies keep no velocity
    place = arena.split("void Place()")[1].split("Vector2 Draw(")[0]
    assert "actor.BeginEpisode();" in place and "!body.isKinematic" in place


def test_near_reward_is_value_over_max_step_within_the_distance():
    """near pays value / MaxStep per physics step while the nearest guide copy is within ``within``."""
    agent = _files()["Assets/Scripts/FollowerAgent.cs"]
    step = agent.split("void StepRewards()")[1].split("void OnTriggerEnter")[0]
    assert 'arena.EntityDistance("guide", transform.localPosition) <= 3.0f' in step
    assert f"AddReward({1.0 / WORLD.max_step!r}f);" in step


@pytest.mark.parametrize("name", ["PushBlock", "ReachTarget"])
def test_worlds_without_actors_carry_none_of_it(name):
    """No actor script, no Followed query and no near query where the world has neither."""
    files = _files(load_world(library_worlds()[name]))
    assert ACTOR not in files
    assert "Followed(" not in files[ARENA] and "EntityDistance(" not in files[ARENA]


def test_actor_speed_parameter_is_applied_at_episode_start():
    """``entities.hunter.actor.speed`` is read by name, clamped, and sets that actor's speed (SetField)."""
    arena = _files()[ARENA]
    hunter = [e.name for e in WORLD.entities].index("hunter")
    apply = arena.split("void ApplyParameters(")[1].split("void SetField(")[0]
    assert 'parameters.GetWithDefault("hunter_speed", 2.5f), 1.0f, 5.0f)' in apply
    assert f'SetField({hunter}, "actor_speed", value);' in apply
    set_field = arena.split("void SetField(")[1].split("void Place()")[0]
    assert 'field == "actor_speed"' in set_field and "GetComponent<WorldActor>().speed = value;" in set_field


def test_actors_follow_every_agent_of_a_group(tmp_path, mcs):
    """With two agents in one group, Followed() hands actors every agent (they chase the nearest, as the
    simulator's kernel does) and the project passes the checks."""
    data = world_to_dict(WORLD)
    data["agent"]["count"] = 2
    data["groups"] = {"size": 2}
    world = world_from_dict(data)
    followed = _files(world)[ARENA].split("public void Followed(")[1].split("\n    }\n")[0]
    assert "in Agents)" in followed and "into.Add(member.transform.localPosition);" in followed
    assert "Agent.transform" not in followed
    result = generate_world(world, tmp_path)
    assert result.passed, [str(d) for c in result.checks for d in c.diagnostics]
