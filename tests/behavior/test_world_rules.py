"""Tests of the world interpreter: the development descriptions table-driven, then one test per concept."""

from __future__ import annotations

import pytest
import yaml

from mlops_unity_pipeline.behavior.world_rules import compose_world, interpret_world, perceived_tags
from mlops_unity_pipeline.errors import DescriptionRefused, SpecError
from mlops_unity_pipeline.world import world_from_dict, world_to_dict
from mlops_unity_pipeline.world.model import (
    ContinuousAction,
    DiscreteAction,
    EntityKind,
    EventKind,
    RaySensor,
    RegionKind,
    Scope,
    VectorSensor,
)
from mlops_unity_pipeline.world.validate import validate

from ..conftest import SHARED_DIR

DEV_SET = SHARED_DIR / "descriptions" / "dev-set.yaml"

# name -> (description, extra asset fields, expected outcome)
# outcome: ("world", {tag: kind}, {(event, tag)}, simulated) or ("refused", missing-concept words)
CASES = {
    "AppleCollector": (
        "Collect the green apples scattered on the field and avoid the rotten brown ones.",
        {},
        (
            "world",
            {"apple": "collectible", "rotten_apple": "collectible"},
            {("collect", "apple"), ("collect", "rotten_apple")},
            True,
        ),
    ),
    "GoalPusher": (
        "Push the box into the highlighted goal area at the end of the room.",
        {},
        ("world", {"box": "block", "goal": "goal"}, {("push_into_zone", "box")}, True),
    ),
    "MazeRunner": (
        "Find the way out of a small maze to the exit tile.",
        {},
        ("world", {"exit": "goal"}, {("reach", "exit")}, True),  # mazes run in the simulator (world.layouts)
    ),
    "SwitchOpener": (
        "Step on the pressure plate to open the gate, then go through the gate to the flag.",
        {},
        ("world", {"plate": "switch", "gate": "door", "flag": "target"}, {("reach", "flag")}, True),
    ),
    "SignReader": (
        "Look at the sign at the start of the corridor, then touch the pillar with the same colour as the "
        "sign.",
        {},
        (
            "world",
            {"sign": "cue", "pillar": "target"},
            {("reach", "pillar"), ("wrong_choice", "pillar")},
            True,
        ),
    ),
    "Dodger": (
        "Survive as long as possible while a hunter robot chases you around the arena.",
        {},
        ("world", {"hunter": "actor"}, {("touch", "hunter"), ("time_penalty", None)}, True),
    ),
    "Tagger": (
        "Chase the fleeing rabbit and tag it.",
        {},
        ("world", {"rabbit": "actor"}, {("reach", "rabbit")}, True),
    ),
    "WallHopper": (
        "Jump over the wall to reach the target on the other side.",
        {},
        ("world", {"low_wall": "obstacle", "target": "target"}, {("reach", "target")}, True),
    ),
    "LavaWalker": (
        "Reach the goal without stepping on the lava tiles.",
        {},
        ("world", {"goal": "target", "lava": "hazard"}, {("reach", "goal"), ("touch", "lava")}, True),
    ),
    "CoinSweeper": (
        "Pick up every coin in the level as quickly as possible.",
        {"action_space": {"type": "discrete", "branches": [5]}},
        ("world", {"coin": "collectible"}, {("collect", "coin")}, True),
    ),
    "TrayBalancer": (
        "Keep the ball balanced on top of a tilting tray for as long as possible.",
        {},
        ("refused", "balancing"),
    ),
    "BuddyPushers": (
        "Two robots must work together to push a heavy crate onto the target pad; one alone is too weak.",
        {},
        # two agents in one group: simulated since several agents per area run
        ("world", {"crate": "block", "target": "goal"}, {("push_into_zone", "crate")}, True),
    ),
    "Courier": (
        "Pick up the parcel at the depot and drop it off at the house marked on the map.",
        {},
        ("refused", "carrying"),
    ),
    "Parker": (
        "Drive into the parking space and stop there.",
        {
            "observation_space": {"raycast": 12, "velocity": 2},
            "action_space": {"type": "continuous", "size": 2},
        },
        ("world", {"parking": "goal"}, {("reach", "parking")}, True),
    ),
    "Follower": (
        "Follow the guide robot and stay close behind it without bumping into it.",
        {},
        ("world", {"robot": "actor"}, {("near", "robot"), ("touch", "robot")}, True),
    ),
    "Juggler": ("Write a sonnet about the sea.", {}, ("refused", "writing")),
}


def _asset(name: str, description: str, **extra: object) -> dict:
    return {"asset_id": name.lower(), "name": name, "description": description, **extra}


def dev_world(name: str):
    """The rules world of the dev-set description ``name`` (with its spaces), for other tests to reuse."""
    description, extra, _ = CASES[name]
    return compose_world(_asset(name, description, **extra))


def _kinds(world) -> dict[str, str]:
    out = {world.tag_of(e): e.kind.value for e in world.entities}
    out.update({r.tag: r.kind.value for r in world.arena.regions if r.tag})
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_dev_set_description_becomes_the_expected_world_or_refusal(name):
    """Each development description gives its key entities, rewards and perceiving sensors, or its refusal."""
    description, extra, expected = CASES[name]
    result = interpret_world(_asset(name, description, **extra))
    if expected[0] == "refused":
        assert result.world is None and result.refusal is not None
        assert expected[1] in result.refusal.message
        assert "nearest expressible" in result.refusal.message
        return
    _, kinds, events, simulated = expected
    world = result.world
    assert world is not None and result.refusal is None
    validate(world)
    assert {t: k for t, k in _kinds(world).items() if t in kinds} == kinds
    assert events <= {(r.event.value, r.what) for r in world.rewards}
    tags = {r.what for r in world.rewards if r.what} | {r.into for r in world.rewards if r.into}
    assert tags <= perceived_tags(world)
    assert result.simulated is simulated
    assert world_from_dict(world_to_dict(world)) == world  # the world is plain, loadable IR


def test_the_dev_set_file_is_covered_and_the_fraction_handled_is_reported(capsys):
    """Every entry of ../shared/descriptions/dev-set.yaml has a row here; the handled fraction is printed."""
    if not DEV_SET.is_file():
        pytest.skip("../shared/descriptions/dev-set.yaml is absent on this machine")
    entries = yaml.safe_load(DEV_SET.read_text())
    worlds = refused = simulated = 0
    for entry in entries:
        description, _, expected = CASES[entry["name"]]
        assert entry["description"] == description
        extra = {k: entry[k] for k in ("observation_space", "action_space") if k in entry}
        result = interpret_world(_asset(entry["name"], entry["description"], **extra))
        assert (result.world is None) == (expected[0] == "refused"), entry["name"]
        worlds += result.world is not None
        refused += result.refusal is not None
        simulated += result.simulated
    with capsys.disabled():
        print(
            f"\ndev set: {len(entries)} descriptions, {worlds} worlds ({simulated} run by the generic "
            f"simulator), {refused} refused"
        )
    assert worlds + refused == len(entries)


def test_compose_world_raises_the_refusal_as_a_typed_error():
    """compose_world raises DescriptionRefused (a SpecError) naming the missing and the nearest concept."""
    with pytest.raises(DescriptionRefused, match="asset 'j': cannot express .*nearest expressible") as info:
        compose_world(_asset("J", "Write a sonnet about the sea."))
    assert info.value.missing and info.value.nearest
    assert isinstance(info.value, SpecError)


@pytest.mark.parametrize(
    ("description", "missing"),
    [
        ("Herd the sheep into the pen.", "herding"),
        ("Shoot the targets from the tower.", "projectiles"),
        ("Fly to the top of the tree.", "flight"),
        ("Build a tower of blocks.", "stacking"),
        ("Bring the ball to the goal.", "carrying"),
        ("Make the world a better place.", "a behavior"),
        ("", "a behavior"),
    ],
)
def test_descriptions_outside_the_vocabulary_are_refused_never_mapped(description, missing):
    """Concepts the IR lacks are refused with their name, never forced onto the nearest behavior."""
    result = interpret_world(_asset("X", description))
    assert result.world is None
    assert missing in result.refusal.message


def test_follow_the_path_is_not_following_a_moving_thing():
    """'Follow the path to the goal' is a route, not a following task: it becomes a reach world."""
    world = compose_world(_asset("Path", "Follow the path to the goal."))
    assert {(r.event.value, r.what) for r in world.rewards} >= {("reach", "goal")}


def test_collect_counts_numbers_and_plurals():
    """'five coins' makes 5 copies, a plural without a number several, a singular one."""
    five = compose_world(_asset("A", "Collect five coins."))
    many = compose_world(_asset("B", "Gather the mushrooms."))
    one = compose_world(_asset("C", "Pick up the key."))
    assert [e.count for e in five.entities] == [5]
    assert many.entities[0].count > 1 and many.entities[0].tag == "mushroom"
    assert one.entities[0].count == 1


def test_world_and_rule_interpreters_read_the_same_number_words():
    """'twelve' counts 12 in a world as in the rule interpreter: both read world_words.NUMBERS."""
    twelve = compose_world(_asset("A", "Collect twelve coins."))
    assert [e.count for e in twelve.entities] == [12]


def test_avoid_makes_floor_hazards_regions_and_objects_entities():
    """Lava/tiles become hazard regions, an object to avoid a hazard entity; both end the episode."""
    floor = compose_world(_asset("A", "Reach the flag and avoid the acid pools."))
    thing = compose_world(_asset("B", "Reach the flag and avoid the mines."))
    assert any(r.kind is RegionKind.HAZARD and r.tag == "acid" for r in floor.arena.regions)
    assert any(e.kind is EntityKind.HAZARD and e.tag == "mine" for e in thing.entities)
    for world in (floor, thing):
        touch = [r for r in world.rewards if r.event is EventKind.TOUCH]
        assert touch and touch[0].value < 0 and touch[0].end.value == "terminated"


def test_bad_collectibles_share_the_good_ones_shape_with_a_negative_value():
    """'avoid the rotten ones' after collecting apples is bad food (value -1), not a hazard."""
    world = compose_world(_asset("A", "Eat the apples but avoid the rotten ones."))
    values = {e.tag: e.value for e in world.entities}
    assert values == {"apple": 1.0, "rotten_apple": -1.0}


def test_teams_get_groups_and_group_rewards():
    """'three robots together' makes 3 agents in one group sharing the goal reward."""
    world = compose_world(_asset("T", "Three robots together push the crate into the goal zone."))
    assert world.agent.count == 3 and world.groups is not None and world.groups.size == 3
    assert [r.scope for r in world.rewards if r.success] == [Scope.GROUP]


def test_driving_turns_instead_of_sliding():
    """A car drives forward and turns (continuous forward, rotate) with a random heading."""
    world = compose_world(_asset("Car", "Drive to the garage."))
    assert world.agent.actions.continuous == (ContinuousAction.FORWARD, ContinuousAction.ROTATE)
    assert world.agent.yaw is None


def test_jumping_needs_a_jump_action_and_refuses_spaces_without_one():
    """A jump description adds a jump action; an action_space with no room for it is refused with the fix."""
    world = compose_world(_asset("J", "Jump over the hurdle to reach the flag."))
    assert ContinuousAction.JUMP in world.agent.actions.continuous and world.agent.movement.jump_speed > 0
    with pytest.raises(SpecError, match="size 3"):
        interpret_world(
            _asset(
                "J", "Jump over the hurdle to reach the flag.", action_space={"type": "continuous", "size": 2}
            )
        )
    branches = compose_world(
        _asset(
            "J",
            "Jump over the hurdle to reach the flag.",
            action_space={"type": "discrete", "branches": [5, 2]},
        )
    )
    assert branches.agent.actions.discrete[1].choices == (DiscreteAction.NONE, DiscreteAction.JUMP)


def test_observation_space_is_honoured_exactly_or_refused():
    """{raycast: 12, velocity: 2} gives exactly 14 floats; sizes rays cannot have are refused."""
    asset = _asset("P", "Drive into the parking space.", observation_space={"raycast": 12, "velocity": 2})
    world = compose_world(asset)
    rays = [s for s in world.agent.sensors if isinstance(s, RaySensor)]
    vectors = [s for s in world.agent.sensors if isinstance(s, VectorSensor)]
    assert rays[0].observation_size == 12 and [i.item.value for i in vectors[0].items] == ["velocity"]
    with pytest.raises(SpecError, match=r"\[.raycast.\] = 8 floats cannot be a ray"):
        interpret_world(_asset("P", "Drive into the parking space.", observation_space={"raycast": 8}))
    with pytest.raises(SpecError, match="velocity is 2"):
        interpret_world(_asset("P", "Reach the flag.", observation_space={"velocity": 3}))
    with pytest.raises(SpecError, match="key 'smell' is unknown"):
        interpret_world(_asset("P", "Reach the flag.", observation_space={"smell": 1}))


def test_a_reward_no_sensor_perceives_is_refused_as_a_design_error():
    """Velocity alone cannot find the flag the reward depends on: refused, naming the tag and the fix."""
    with pytest.raises(SpecError, match="depends on 'flag', which no sensor perceives.*target_direction"):
        interpret_world(_asset("P", "Reach the flag.", observation_space={"velocity": 2}))


def test_action_space_is_honoured_exactly_or_refused():
    """Discrete [5] is none + four directions, [7] PushBlock's; other sizes and bad types are refused."""
    five = compose_world(_asset("A", "Reach the flag.", action_space={"type": "discrete", "branches": [5]}))
    seven = compose_world(_asset("A", "Reach the flag.", action_space={"type": "discrete", "branches": [7]}))
    assert five.agent.actions.discrete[0].choices[0] is DiscreteAction.NONE
    assert len(seven.agent.actions.discrete[0].choices) == 7
    for space, message in [
        ({"type": "discrete", "branches": [6]}, "branch 0 of 6 choices"),
        ({"type": "discrete", "branches": [5, 3]}, "second branch"),
        ({"type": "continuous", "size": 1}, "size 1"),
        ({"type": "quantum"}, r"action_space\.type: expected one of continuous, discrete"),
        ({"type": "continuous", "size": 2, "extra": 1}, "key 'extra'"),
    ]:
        with pytest.raises(SpecError, match=message):
            interpret_world(_asset("A", "Reach the flag.", action_space=space))


def test_every_record_names_the_words_and_the_world_part():
    """Each record cites words of the description (or an asset field, or '(default)') and world fields."""
    result = interpret_world(_asset("L", "Reach the goal without stepping on the lava tiles."))
    sources = [r.source for r in result.records]
    assert "reach the goal" in sources and "without stepping on the lava tiles" in sources
    assert all(r.part for r in result.records)
    assert any(r.source == "(default)" and r.note for r in result.records)


def test_obstacles_in_the_way_are_solid_with_a_small_bump_penalty():
    """'around 3 rocks' makes 3 obstacle entities the rays see; 'avoid the walls' penalises walls."""
    rocks = compose_world(_asset("N", "Navigate around 3 rocks to reach the flag."))
    walls = compose_world(_asset("W", "Reach the goal while avoiding the walls."))
    obstacle = next(e for e in rocks.entities if e.kind is EntityKind.OBSTACLE)
    assert obstacle.count == 3 and obstacle.tag == "rock"
    assert any(isinstance(s, RaySensor) and "rock" in s.detectable_tags for s in rocks.agent.sensors)
    touch = [r for r in walls.rewards if r.event is EventKind.TOUCH]
    assert [(r.what, r.end.value) for r in touch] == [("wall", "none")] and touch[0].value < 0
    assert not [e for e in walls.entities if e.kind is EntityKind.HAZARD]


def test_threats_that_chase_the_agent_are_chaser_actors():
    """'escape from the zombies for as long as you can' is a chaser to avoid and a survival bonus."""
    world = compose_world(_asset("Z", "Escape from the zombies for as long as you can."))
    actor = world.entities[0]
    assert actor.kind is EntityKind.ACTOR and actor.tag == "zombie" and actor.actor.behavior.value == "chaser"
    events = {(r.event.value, r.what, r.value > 0) for r in world.rewards}
    assert events == {("touch", "zombie", False), ("time_penalty", None, True)}


def test_moving_hazards_patrol_and_crossing_reaches_the_far_side():
    """'avoid the moving cars and cross the road' makes patrolling actors and a goal strip at the far end."""
    world = compose_world(_asset("C", "Avoid the moving cars and cross the road to the other side."))
    cars = next(e for e in world.entities if e.tag == "car")
    assert cars.kind is EntityKind.ACTOR and cars.actor.behavior.value == "patroller"
    assert any(r.event is EventKind.REACH and r.what == "far_side" and r.success for r in world.rewards)


def test_falling_off_the_edge_makes_an_open_platform():
    """'without falling off the edge' removes the walls and ends the episode with -1 on a fall."""
    world = compose_world(_asset("E", "Walk to the checkpoint without falling off the edge."))
    assert world.arena.walls is None
    assert any(
        r.event is EventKind.FALL and r.value < 0 and r.end.value == "terminated" for r in world.rewards
    )


def test_words_no_concept_used_are_reported_not_dropped():
    """A word the interpreter did not use appears in a 'not interpreted' record."""
    result = interpret_world(_asset("R", "Reach the flag humming cheerfully."))
    left = [r for r in result.records if r.concept == "not interpreted"]
    assert left and "humming" in left[0].source and "cheerfully" in left[0].source


def test_parking_a_car_and_counting_digits():
    """'Park the car in the garage' reaches the garage; 'Collect 10 gems' makes 10 copies."""
    garage = compose_world(_asset("P", "Park the car in the garage."))
    gems = compose_world(_asset("G", "Collect 10 gems while avoiding the spikes."))
    assert any(r.event is EventKind.REACH and r.what == "garage" for r in garage.rewards)
    assert next(e for e in gems.entities if e.tag == "gem").count == 10


def test_long_descriptions_are_bounded():
    """A description over the bound is refused with its length, never parsed."""
    with pytest.raises(SpecError, match="description is 5000 characters"):
        interpret_world(_asset("L", "x" * 5000))


def test_shaping_guides_to_a_single_open_goal_only():
    """Reach worlds get ReachTarget's shaping; worlds whose goal lies behind a wall or a push do not."""
    open_goal = compose_world(_asset("A", "Reach the goal without stepping on the lava tiles."))
    behind = compose_world(_asset("B", "Jump over the wall to reach the target."))
    push = compose_world(_asset("C", "Push the box into the goal area."))
    assert [(r.what, r.value) for r in open_goal.rewards if r.event is EventKind.SHAPING] == [("goal", 0.1)]
    for world in (behind, push):
        assert not [r for r in world.rewards if r.event is EventKind.SHAPING]


def test_every_phrase_is_read_not_only_the_first_one():
    """A switch phrase before the goal phrase does not hide it: both become parts of the world."""
    world = compose_world(_asset("S", "Touch the blue button to open the door and then reach the exit."))
    kinds = _kinds(world)
    assert kinds["plate"] == "switch" and kinds["door"] == "door" and kinds["exit"] == "target"


def test_being_caught_is_a_chaser_and_but_not_is_bad_food():
    """'without being caught by the cat' is a chaser; 'but not the red ones' a negative collectible."""
    cat = compose_world(_asset("C", "Get the cheese without being caught by the cat."))
    orbs = compose_world(_asset("O", "Collect the blue orbs but not the red ones."))
    assert _kinds(cat) == {"cheese": "collectible", "cat": "actor"}
    assert {e.tag: e.value for e in orbs.entities} == {"orb": 1.0, "red_orb": -1.0}


def test_goals_in_order_are_refused_and_time_limits_and_sizes_are_read():
    """A sequence of goals is refused; '10 seconds' sets MaxStep 500; 'a 30 by 30 arena' sets the size."""
    assert "order" in interpret_world(_asset("Q", "Reach three checkpoints in order.")).refusal.missing
    timed = compose_world(_asset("T", "Go to the goal zone in less than ten seconds."))
    sized = compose_world(_asset("A", "Reach the target in a 30 by 30 arena."))
    assert timed.max_step == 500
    assert sized.arena.size == (30.0, 30.0)
    wolves = compose_world(_asset("W", "Run from the wolves and survive."))
    assert wolves.entities[0].tag == "wolf"


def test_a_jump_world_is_simulated_with_gravity_and_high_outer_walls():
    """WallHopper: a dynamic body that jumps 8 up, senses being grounded; outer walls above its apex."""
    from mlops_unity_pipeline.behavior.world_rules import JUMP_WALL_HEIGHT
    from mlops_unity_pipeline.world.model import Motion, VectorItemKind

    result = interpret_world(_asset("WallHopper", CASES["WallHopper"][0]))
    world = result.world
    assert world is not None and result.simulated, result.unsupported
    movement = world.agent.movement
    assert movement.motion is Motion.VELOCITY_CHANGE and movement.jump_speed == 8.0
    apex = movement.jump_speed**2 / (2 * world.arena.gravity)
    assert world.arena.walls is not None and world.arena.walls.height == JUMP_WALL_HEIGHT > apex
    items = [i.item for s in world.agent.sensors for i in getattr(s, "items", ())]
    assert VectorItemKind.GROUNDED in items
