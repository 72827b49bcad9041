"""Tests of the rule-based interpreter: the guide's assets, varied descriptions, and bad input."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline.behavior import interpret
from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.specs import UnityAssetSpec

GUIDE_NAVIGATION = UnityAssetSpec(
    asset_id="nav-001",
    name="NavigationAgent",
    asset_type="behavior",
    description="Navigate around obstacles to reach a target",
    observation_space={"raycast": 8, "velocity": 2},
    action_space={"type": "continuous", "size": 2},
)
GUIDE_SIMPLE = UnityAssetSpec(
    asset_id="agent-001", name="SimpleAgent", asset_type="behavior", description="Reach target position"
)

VARIED = [
    # (asset fields, archetype, observation layout, continuous?, obstacles)
    (
        {
            "name": "Dodger",
            "description": "Avoid 3 obstacles and reach the goal",
            "action_space": {"type": "discrete", "branches": [5]},
        },
        "navigation",
        [("raycast", 8), ("velocity", 2), ("target_direction", 2)],
        False,
        3,
    ),
    (
        {
            "name": "Collector",
            "description": "Collect the coin in an empty arena",
            "observation_space": {"position": 2, "target_distance": 1},
        },
        "reach_target",
        [("position", 2), ("target_distance", 1)],
        True,
        0,
    ),
    (
        {"name": "Balancer", "description": "Balance a ball on a tilting platform"},
        "balance",
        [
            ("platform_rotation_z", 1),
            ("platform_rotation_x", 1),
            ("ball_relative_position", 3),
            ("ball_velocity", 3),
        ],
        True,
        None,
    ),
    (
        {
            "name": "Explorer",
            "description": "Explore a maze with twelve pillars using lidar to find the exit",
            "observation_space": {"lidar": 16, "goal_direction": 2, "velocity": 2},
        },
        "navigation",
        [("raycast", 16), ("target_direction", 2), ("velocity", 2)],
        True,
        12,
    ),
    (
        {"name": "Courier", "description": "Drive to the waypoint without obstacles on a grid"},
        "reach_target",
        [("velocity", 2), ("target_direction", 2)],
        False,
        0,
    ),
    (
        {
            "name": "Keeper",
            "description": "Keep the ball on the platform",
            "observation_space": {"rotation": 2, "ball_position": 3, "ball_velocity": 3},
            "action_space": {"type": "continuous", "size": 2},
        },
        "balance",
        None,
        True,
        None,
    ),
]


def test_guide_navigation_asset():
    """The guide's NavigationAgent: navigation, its spaces honoured, target_direction added and reported."""
    result = interpret(GUIDE_NAVIGATION)
    spec = result.spec
    assert result.archetype == "navigation" and result.provider == "rules"
    assert [(o.kind, o.size) for o in spec.observations] == [
        ("raycast", 8),
        ("velocity", 2),
        ("target_direction", 2),
    ]
    assert spec.actions.continuous_size == 2
    assert any("target_direction" in f for f in result.fallbacks)
    assert spec.to_navigation_params().num_obstacles >= 1


def test_guide_simple_asset():
    """The guide's SimpleAgent: reach-target defaults, each default reported."""
    result = interpret(GUIDE_SIMPLE)
    assert result.archetype == "reach_target"
    assert result.spec.to_navigation_params().num_obstacles == 0
    assert any("observation_space" in f for f in result.fallbacks)
    assert any("action_space" in f for f in result.fallbacks)


@pytest.mark.parametrize(("fields", "archetype", "layout", "continuous", "obstacles"), VARIED)
def test_varied_descriptions(fields, archetype, layout, continuous, obstacles):
    """Varied descriptions pick the right archetype, layout, actions and obstacle count."""
    spec = interpret({"asset_id": "a-1", **fields}).spec
    assert spec.archetype.value == archetype
    if layout is not None:
        assert [(o.kind, o.size) for o in spec.observations] == layout
    assert spec.actions.is_continuous is continuous
    if obstacles is not None:
        assert spec.to_navigation_params().num_obstacles == obstacles


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"description": ""}, "description is empty"),
        ({"description": "   "}, "description is empty"),
        ({"description": "purple quantum lasagna"}, "names no behavior"),
        (
            {"description": "Balance the ball", "action_space": {"type": "discrete", "branches": [5]}},
            "contradicts",
        ),
        ({"description": "Balance a ball while navigating to a target"}, "mixes balancing"),
        ({"description": "Reach the target", "observation_space": {"smell": 4}}, "key 'smell' is unknown"),
        ({"description": "Reach the target", "observation_space": {"velocity": 3}}, "velocity"),
        ({"description": "Reach the target", "action_space": {"type": "continuous", "size": 4}}, "size 4"),
        (
            {"description": "Reach the target", "action_space": {"type": "discrete", "branches": [3, 3]}},
            "branch",
        ),
        ({"description": "Reach the target", "asset_type": "material"}, "asset_type"),
        ({"description": "Avoid 40 obstacles to the goal"}, "40 obstacles"),
        (
            {"description": "Find the goal with lidar", "observation_space": {"velocity": 2}},
            "no raycast item",
        ),
        (
            {"description": "Move on a grid to the goal", "action_space": {"type": "continuous", "size": 2}},
            "discrete moves",
        ),
    ],
)
def test_bad_input_is_a_clear_error(fields, message):
    """Empty/meaningless descriptions, contradictions and unknown keys raise SpecError saying why."""
    with pytest.raises(SpecError, match=message):
        interpret({"asset_id": "bad-1", "name": "Bad", **fields})


def test_empty_description_with_spaces_is_a_reported_fallback():
    """No description but navigation observation keys: the archetype comes from the keys, reported."""
    result = interpret(
        {"asset_id": "x", "name": "X", "observation_space": {"raycast": 4, "target_direction": 2}}
    )
    assert result.archetype == "navigation"
    assert any("description is empty" in f for f in result.fallbacks)


def test_rays_in_the_description_add_a_raycast_observation():
    """'using rays' in an obstacle-free description adds raycast (8) to reach-target's observations."""
    result = interpret({"asset_id": "r", "name": "Seer", "description": "Reach the goal using rays"})
    assert result.archetype == "reach_target"
    assert [(o.kind, o.size) for o in result.spec.observations][0] == ("raycast", 8)
    assert result.spec.to_navigation_params().num_rays == 8


def test_name_that_is_not_an_identifier_is_reported():
    """A name with spaces becomes a C# identifier and the change is reported."""
    result = interpret({"asset_id": "x", "name": "grid walker", "description": "reach the goal"})
    assert result.spec.behavior_name == "GridWalker"
    assert any("GridWalker" in f for f in result.fallbacks)
