"""The world generator writes several agents in a SimpleMultiAgentGroup (world:PushBlockCollab)."""

from __future__ import annotations

import copy
import re

import pytest

from mlops_unity_pipeline.codegen.world.generate import generate_world
from mlops_unity_pipeline.codegen.world.layout import refusals
from mlops_unity_pipeline.errors import CodegenError
from mlops_unity_pipeline.sim import make
from mlops_unity_pipeline.world import library_worlds, load_world, world_from_dict, world_to_dict


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """world:PushBlockCollab written once: the result and its two C# files."""
    out = tmp_path_factory.mktemp("collab")
    result = generate_world(load_world(library_worlds()["PushBlockCollab"]), out)
    scripts = out / "Assets" / "Scripts"
    return (
        result,
        (scripts / "ArenaBootstrap.cs").read_text(),
        (scripts / "PushBlockCollabAgent.cs").read_text(),
    )


def test_the_project_passes_the_checks_with_the_simulators_layout(project):
    """syntax, types and safety pass; the declared layout is the simulator's (three agents, one behavior)."""
    result, _, _ = project
    assert result.passed, [c for c in result.checks if not c.passed]
    signature = make("world:PushBlockCollab", num_agents=3).signature
    assert [(o["name"], tuple(o["shape"])) for o in result.metadata["observations"]] == [
        (o.name, o.shape) for o in signature.observation_specs
    ]


def test_three_agents_register_in_one_group_run_by_the_arena(project):
    """The arena builds agent.count agents, registers them in a SimpleMultiAgentGroup, is its controller."""
    _, arena, agent = project
    assert "Agents = new PushBlockCollabAgent[3];" in arena and "m_Group.RegisterAgent(member);" in arena
    assert "public const int k_MaxEnvironmentSteps = 5000;" in arena
    assert "const float k_GroupTimePenalty = -0.0001f;" in arena  # -0.5 / MaxEnvironmentSteps
    assert re.search(r"m_ResetTimer >= k_MaxEnvironmentSteps\)\s*\{\s*EndGroup\(false\);", arena)
    assert "m_Group.EndGroupEpisode();" in arena and "m_Group.GroupEpisodeInterrupted();" in arena
    assert "public const int k_MaxStep = 0;" in agent  # no MaxStep of their own
    assert "arena.BeginEpisode" not in agent  # the controller places the group's scene


def test_a_block_in_the_goal_leaves_and_pays_the_group_and_the_last_ends_it(project):
    """Removing push_into_zone events disable the block and pay the group; cleared ends the group episode."""
    _, arena, _ = project
    for tag, value in (("blockSmall", "1.0f"), ("blockLarge", "2.0f"), ("blockVeryLarge", "3.0f")):
        pattern = rf'blockTag == "{tag}" && zoneTag == "goal"\)\s*\{{[^}}]*block\.SetActive\(false\);\s*'
        assert re.search(pattern + rf"m_Group\.AddGroupReward\({value}\);\s*CheckCleared\(\);", arena)
    assert re.search(r"if \(NoneLeft\(null\)\)\s*\{\s*EndGroup\(true\);", arena)


def test_several_agents_without_groups_are_refused():
    """Without a group nothing would reset the shared scene in Unity: refused, nothing written."""
    data = world_to_dict(load_world(library_worlds()["PushBlockCollab"]))
    data = copy.deepcopy(data)
    del data["groups"]
    for r in data["rewards"]:
        r["scope"] = "agent"
    world = world_from_dict(data)
    assert any(line.startswith("agent.count: 3 without groups") for line in refusals(world))
    with pytest.raises(CodegenError, match="agent.count: 3 without groups"):
        generate_world(world, "unused_out")
