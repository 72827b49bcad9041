"""Switches, doors, entities appearing on an event, toppling obstacles and shuffled spawn rooms in worlds."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sim import accel, make_world
from mlops_unity_pipeline.sim.world_env import WorldEnv, unsupported
from mlops_unity_pipeline.spaces import ActionTuple
from mlops_unity_pipeline.world import world_from_dict
from mlops_unity_pipeline.world.spawn import place, placeables

# A switch east of the agent opens the door across the arena (z = 2) and reveals the prize behind it.
VAULT = {
    "name": "Vault",
    "arena": {"size": [10, 10]},
    "entities": [
        {
            "name": "button",
            "kind": "switch",
            "tag": "switch_off",
            "on_tag": "switch_on",
            "opens": "gate",
            "size": [1, 0.5, 1],
            "spawn": {"at": [3, -3]},
        },
        {"name": "gate", "kind": "door", "tag": "gate", "size": [10, 2, 0.5], "spawn": {"at": [0, 2]}},
        {
            "name": "prize",
            "kind": "target",
            "tag": "prize",
            "size": [10, 1, 1],
            "appears_on": "button",
            "spawn": {"at": [0, 4]},
        },
    ],
    "agent": {
        "name": "Thief",
        "movement": {"motion": "set_velocity", "speed": 5.0},
        "spawn": {"at": [0, -3]},
        "yaw": 0,
        "sensors": [
            {
                "kind": "ray_perception",
                "name": "Eyes",
                "detectable_tags": ["switch_off", "switch_on", "gate", "prize"],
                "rays_per_direction": 0,
                "max_ray_degrees": 0,
                "ray_length": 20,
            },
            {
                "kind": "vector",
                "name": "Vec",
                "items": [{"item": "switch_state", "of": "switch_off"}, {"item": "local_velocity"}],
            },
        ],
        "actions": {"continuous": ["move_x", "move_z"]},
    },
    "rewards": [{"event": "reach", "what": "prize", "value": 1.0, "end": "terminated", "success": True}],
    "max_step": 1000,
    "decision_period": 5,
}

# A pillar the agent knocks over; the gem on top falls to the floor where the pillar stood.
PILLAR = {
    "name": "Pillar",
    "arena": {"size": [10, 10]},
    "entities": [
        {
            "name": "pillar",
            "kind": "obstacle",
            "tag": "stone",
            "size": [3, 3, 3],
            "topples": True,
            "spawn": {"at": [0, 3]},
        },
        {"name": "gem", "kind": "target", "tag": "gem", "size": [1, 1, 1], "spawn": {"rests_on": "pillar"}},
    ],
    "agent": {
        "movement": {"motion": "set_velocity", "speed": 5.0},
        "spawn": {"at": [0, -3]},
        "yaw": 0,
        "sensors": [{"kind": "vector", "name": "Vec", "items": [{"item": "position"}]}],
        "actions": {"continuous": ["move_x", "move_z"]},
    },
    "rewards": [{"event": "reach", "what": "gem", "value": 2.0, "end": "terminated", "success": True}],
    "max_step": 1000,
}


def _move(env, x: float, z: float) -> ActionTuple:
    n = env.num_agents
    return ActionTuple(np.tile(np.float32([x, z]), (n, 1)), np.zeros((n, 0), np.int32))


def _ray_tag(obs: np.ndarray, tags: int) -> int:
    """Index of the tag the one centre ray hits (-1: none); a ray is (one-hot tags, miss flag, fraction)."""
    hot = obs[0, :tags]
    return int(np.argmax(hot)) if hot.max() > 0 else -1


def test_switch_opens_the_door_and_reveals_the_prize():
    """The door blocks until the switch is touched; then it vanishes, the hidden prize appears and is reached;
    the switch's state item flips and the rays see its tag change from switch_off to switch_on."""
    env = make_world(world_from_dict(VAULT), num_agents=1, seed=0)
    assert unsupported(env.world) == []
    batch = env.reset()
    assert not env.entity_active[0, 2]  # the prize is hidden
    for _ in range(20):  # north: stopped by the closed door
        batch = env.step(_move(env, 0.0, 1.0))
    assert env.agent_position[0, 2] == pytest.approx(2.0 - 0.25 - 0.5, abs=1e-6)
    assert not batch.terminated[0]
    assert batch.obs[1][0, 0] == 0.0  # switch off
    np.testing.assert_allclose(batch.obs[1][0, 1:], [0.0, 0.0, 0.0], atol=1e-6)  # pinned against the door
    env.reset()
    batch = env.step(_move(env, 1.0, 0.0))  # east, facing +z: the local velocity is (5, 0, 0) (right)
    np.testing.assert_allclose(batch.obs[1][0, 1:], [5.0, 0.0, 0.0], atol=1e-6)
    env.agent_yaw[:] = 90.0  # facing +x, the same move is forward
    batch = env.step(_move(env, 1.0, 0.0))
    np.testing.assert_allclose(batch.obs[1][0, 1:], [0.0, 0.0, 5.0], atol=1e-5)
    env.agent_yaw[:] = 0.0
    for _ in range(10):
        batch = env.step(_move(env, 1.0, 0.0))
    assert env.switch_on[0, 0] and not env.entity_active[0, 1] and env.entity_active[0, 2]
    assert batch.obs[1][0, 0] == 1.0
    for _ in range(40):
        batch = env.step(_move(env, 0.0, 1.0))
        if batch.terminated[0]:
            break
    assert batch.terminated[0] and batch.success[0] and batch.reward[0] == pytest.approx(1.0)


def test_rays_see_the_switch_tag_change():
    """Facing the switch, the centre ray reports switch_off before the touch and switch_on after it."""
    env = make_world(world_from_dict(VAULT), num_agents=1, seed=0)
    env.reset()
    env.agent_yaw[:] = 90.0  # facing +x along z = -3: the switch is ahead
    batch = env.step(_move(env, 0.0, 0.0))
    assert _ray_tag(batch.obs[0], 4) == 0
    while not env.switch_on[0, 0]:
        batch = env.step(_move(env, 1.0, 0.0))
    for _ in range(3):  # back west (the switch is a trigger the agent walks into)
        batch = env.step(_move(env, -1.0, 0.0))
    assert env.agent_position[0, 0] < 3.0 - 0.5 - 0.5
    assert _ray_tag(batch.obs[0], 4) == 1


def test_hidden_entities_are_not_seen_or_reached():
    """Before the switch, the prize is invisible (the ray north hits the door) and touching its place does
    nothing; a new episode hides it again and turns the switch off."""
    data = copy.deepcopy(VAULT)
    data["entities"] = [data["entities"][0], data["entities"][2]]
    data["entities"][0].pop("opens")
    data["agent"]["sensors"][0]["detectable_tags"][2] = "wall"
    env = make_world(world_from_dict(data), num_agents=1, seed=0)
    batch = env.reset()
    assert _ray_tag(batch.obs[0], 4) == 2  # the ray north hits the wall: the prize is hidden
    for _ in range(20):
        batch = env.step(_move(env, 0.0, 1.0))
        assert not batch.terminated[0]
    assert env.agent_position[0, 2] > 3.0  # walked into the hidden prize's place
    for _ in range(15):  # back south to z = -3, then east onto the switch at (3, -3)
        batch = env.step(_move(env, 0.0, -1.0))
    for _ in range(5):
        batch = env.step(_move(env, 1.0, 0.0))
    assert env.switch_on[0, 0] and env.entity_active[0, 1]
    for _ in range(30):  # the prize appeared: walking north reaches it
        batch = env.step(_move(env, 0.0, 1.0))
        if batch.terminated[0]:
            break
    assert batch.terminated[0] and batch.success[0]
    assert not env.switch_on[0].any() and not env.entity_active[0, 1]  # the next episode began


def test_toppling_obstacle_drops_what_rests_on_it():
    """The gem starts on the pillar's top; pushing the pillar knocks it over (it stops blocking) and the gem
    falls to the floor, where the agent reaches it."""
    env = make_world(world_from_dict(PILLAR), num_agents=1, seed=0)
    env.reset()
    assert env.entity_position[0, 1, 1] == pytest.approx(1.5 + 1.5 + 0.5)  # on the 3-high pillar's top
    batch, toppled_at = None, None
    for t in range(40):
        batch = env.step(_move(env, 0.0, 1.0))
        if batch.terminated[0]:
            break
        if toppled_at is None and not env.entity_active[0, 0]:
            toppled_at = t
            assert env.entity_position[0, 1, 1] == pytest.approx(0.5)  # fell to the floor
            assert env.agent_position[0, 2] == pytest.approx(3.0 - 1.5 - 0.5, abs=1e-6)  # at the face
    assert toppled_at is not None and t > toppled_at  # the gem is reached after walking into the footprint
    assert batch.terminated[0] and batch.success[0] and batch.reward[0] == pytest.approx(2.0)
    assert env.entity_active[0, 0] and env.entity_position[0, 1, 1] == pytest.approx(3.5)  # next episode


def test_spawn_regions_put_each_item_in_its_own_room():
    """Items drawing from the same rooms (``spawn.regions``) take distinct rooms in every area."""
    rooms = [{"name": f"r{k}", "kind": "spawn", "center": [-6 + 6 * k, 0], "size": [4, 4]} for k in range(3)]
    data = copy.deepcopy(PILLAR)
    data["arena"] = {"size": [18, 10], "regions": rooms}
    names = ["r0", "r1", "r2"]
    data["entities"][0]["spawn"] = {"regions": names}
    data["agent"]["spawn"] = {"regions": names}
    data["entities"].append(
        {"name": "rock", "kind": "obstacle", "size": [1, 1, 1], "spawn": {"regions": names}}
    )
    world = world_from_dict(data)
    points, failed = place(placeables(world), np.zeros((0, 4)), np.random.default_rng(1), 200)
    assert not failed.any()
    room = np.floor((points[..., 0] + 9) / 6).astype(int)  # (areas, items): pillar, gem, rock, agent
    assert (room[:, 0] == room[:, 1]).all()  # the gem rests on the pillar
    for a in range(200):
        assert sorted(room[a, [0, 2, 3]]) == [0, 1, 2]
    assert len({tuple(r) for r in room[:, [0, 2, 3]]}) == 6  # every order occurs


@pytest.mark.skipif(accel.kernels() is None, reason="numba missing or MLOPS_SIM_NUMBA=0")
@pytest.mark.parametrize("data", [VAULT, PILLAR], ids=["vault", "pillar"])
def test_compiled_and_numpy_paths_agree_on_triggers(data):
    """Random moves through switches, doors and topples: compiled and NumPy batches agree."""
    world = world_from_dict(data)
    fast, slow = WorldEnv(world, 16, seed=3), WorldEnv(world, 16, seed=3)
    slow.compiled = False
    fast.reset(), slow.reset()
    rng = np.random.default_rng(0)
    ended = 0
    for t in range(150):
        bias = [0.9, -0.2] if t % 50 < 20 else [-0.2, 0.9]  # towards the switch, then north
        toward = rng.uniform(-1.0, 1.0, (16, 2)).astype(np.float32) + np.float32(bias)
        actions = ActionTuple(np.clip(toward, -1, 1), np.zeros((16, 0), np.int32))
        a, b = fast.step(actions), slow.step(actions)
        for i in range(len(a.obs)):
            np.testing.assert_allclose(a.obs[i], b.obs[i], atol=1e-5, err_msg=f"obs at {t}")
        np.testing.assert_allclose(a.reward, b.reward, atol=1e-6)
        np.testing.assert_array_equal(a.terminated, b.terminated)
        ended += int(a.terminated.sum())
    np.testing.assert_allclose(fast.agent_position, slow.agent_position, atol=1e-6)
    np.testing.assert_array_equal(fast.entity_active, slow.entity_active)
    assert ended >= 3


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("entities", 2, "appears_on"), "nothing", r"entities\[2\]\.appears_on: no switch entity named"),
        (("entities", 2, "topples"), True, r"entities\[2\]\.topples: only obstacles topple"),
        (("entities", 1, "on_tag"), "open", r"entities\[1\]\.on_tag: only switches change their tag"),
        (("entities", 0, "opens"), None, r"entities\[1\]: no switch opens this door"),
        (
            ("entities", 1, "spawn"),
            {"rests_on": "prize"},
            r"entities\[1\]\.spawn\.rests_on: no entity named 'prize' before",
        ),
        (
            ("entities", 0, "spawn"),
            {"regions": ["nowhere"]},
            r"entities\[0\]\.spawn\.regions\[0\]: no region",
        ),
        (
            ("agent", "sensors", 1, "items", 0, "of"),
            "gate",
            r"agent\.sensors\[1\]\.items\[0\]\.of: 'gate' tags no switch",
        ),
    ],
)
def test_bad_trigger_fields_are_refused_by_name(path, value, message):
    """Each misuse of switches, doors, appearing, toppling and spawn rules names its field."""
    data = copy.deepcopy(VAULT)
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is None:
        node.pop(path[-1])
    else:
        node[path[-1]] = value
    with pytest.raises(SpecError, match=message):
        world_from_dict(data)


def test_a_switch_that_does_nothing_is_refused():
    """A switch that opens no door and reveals nothing is refused (it could never matter)."""
    data = copy.deepcopy(VAULT)
    data["entities"] = [data["entities"][0]]
    data["entities"][0].pop("opens")
    data["rewards"] = [{"event": "touch", "what": "wall", "value": -1.0, "end": "terminated"}]
    data["agent"]["sensors"][0]["detectable_tags"] = ["switch_off", "wall"]
    with pytest.raises(SpecError, match=r"entities\[0\]\.opens: a switch must open a door or make an entity"):
        world_from_dict(data)
