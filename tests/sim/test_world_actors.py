"""Scripted actors in worlds: chasers close in, evaders keep away inside the walls, patrollers patrol."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from mlops_unity_pipeline.sim import accel, make_world
from mlops_unity_pipeline.sim.world_actors import evade_turns
from mlops_unity_pipeline.spaces import ActionTuple
from mlops_unity_pipeline.world import world_from_dict

# An arena with one actor (replaced per test) and an agent that moves in world x/z and sees the actor.
ARENA = {
    "name": "Actors",
    "arena": {"size": [12, 12]},
    "entities": [
        {
            "name": "hunter",
            "kind": "actor",
            "tag": "hunter",
            "actor": {"behavior": "chaser", "speed": 3.0},
            "spawn": {"at": [4, 4]},
        }
    ],
    "agent": {
        "name": "Runner",
        "movement": {"motion": "set_velocity", "speed": 5.0},
        "spawn": {"at": [-4, -4]},
        "yaw": 0,
        "sensors": [
            {
                "kind": "ray_perception",
                "name": "Eyes",
                "detectable_tags": ["hunter", "wall"],
                "rays_per_direction": 0,
                "max_ray_degrees": 0,
                "ray_length": 20,
            },
            {"kind": "vector", "name": "Vec", "items": [{"item": "direction_to", "of": "hunter"}]},
        ],
        "actions": {"continuous": ["move_x", "move_z"]},
    },
    "rewards": [
        {"event": "touch", "what": "hunter", "value": -1.0, "end": "terminated"},
        {"event": "time_penalty", "value": 1.0},
    ],
    "max_step": 1000,
    "decision_period": 5,
}


def _world(actor: dict | None = None, spawn=(4, 4), **changes):
    data = copy.deepcopy(ARENA)
    if actor is not None:
        data["entities"][0]["actor"] = actor
    data["entities"][0]["spawn"] = {"at": list(spawn)}
    data.update(changes)
    return world_from_dict(data)


def _still(n: int) -> ActionTuple:
    return ActionTuple(np.zeros((n, 2), np.float32), np.zeros((n, 0), np.int32))


def _paths(compiled: bool):
    """Parametrize over the compiled kernel and the NumPy reference (the compiled one only with numba)."""
    return [False, pytest.param(True, marks=_needs_numba)] if compiled else [False]


_needs_numba = pytest.mark.skipif(accel.kernels() is None, reason="numba missing or MLOPS_SIM_NUMBA=0")


def _env(world, n=4, compiled=False, seed=0):
    env = make_world(world, num_agents=n, seed=seed)
    env.compiled = compiled and env.compiled
    return env


@pytest.mark.parametrize("compiled", _paths(True))
def test_chaser_closes_in_and_its_touch_ends_the_episode(compiled):
    """A chaser heads for a still agent at its speed; touching it gives -1 and terminates (Dodger)."""
    env = _env(_world(), compiled=compiled)
    env.reset()
    start = np.hypot(*(env.entity_position[0, 0, 0::2] - env.agent_position[0, 0::2]))
    batch = env.step(_still(4))  # one decision: 5 physics steps at 3 units/s
    now = np.hypot(*(env.entity_position[0, 0, 0::2] - env.agent_position[0, 0::2]))
    assert start - now == pytest.approx(3.0 * 5 * env.physics_dt, abs=1e-9)
    for _ in range(100):
        batch = env.step(_still(4))
        if batch.terminated.any():
            break
    assert batch.terminated.all() and not batch.truncated.any()
    assert batch.reward[0] == pytest.approx(-1.0 + 5 / 1000, abs=1e-4)


@pytest.mark.parametrize("compiled", _paths(True))
def test_chaser_is_stopped_by_an_obstacle_between(compiled):
    """Walls and obstacles stop an actor as they stop blocks: a chaser behind a wall never passes through."""
    data = copy.deepcopy(ARENA)
    data["entities"][0]["spawn"] = {"at": [0, 4]}
    data["entities"].append(
        {
            "name": "wall_piece",
            "kind": "obstacle",
            "tag": "stone",
            "size": [12, 1, 1],
            "spawn": {"at": [0, 1]},
        }
    )
    data["agent"]["spawn"] = {"at": [0, -4]}
    env = _env(world_from_dict(data), compiled=compiled)
    env.reset()
    for _ in range(40):
        env.step(_still(4))
    # the wall spans z in [0.5, 1.5]; the hunter (half 0.5) rests against its far face
    assert env.entity_position[:, 0, 2] == pytest.approx(2.0, abs=1e-6)


@pytest.mark.parametrize("compiled", _paths(True))
def test_evader_keeps_away_stays_inside_and_leaves_a_corner(compiled):
    """An evader flees a still agent into a corner, stays inside, and breaks out along a wall when pressed."""
    world = _world({"behavior": "evader", "speed": 3.0}, spawn=(1, 1), rewards=[ARENA["rewards"][1]])
    env = _env(world, compiled=compiled)
    env.reset()
    for _ in range(40):
        env.step(_still(4))
        assert (np.abs(env.entity_position[:, 0, 0::2]) <= 5.5 + 1e-9).all()
    corner = env.entity_position[0, 0, 0::2].copy()
    assert corner == pytest.approx([5.5, 5.5], abs=1e-6)  # as far from (-4, -4) as the walls allow
    # the agent walks diagonally into the corner: the evader must slip out along a wall, not be pinned
    far = []
    for _ in range(40):
        env.step(ActionTuple(np.full((4, 2), 0.7, np.float32), np.zeros((4, 0), np.int32)))
        far.append(np.hypot(*(env.entity_position[0, 0, 0::2] - corner)))
        assert (np.abs(env.entity_position[:, 0, 0::2]) <= 5.5 + 1e-9).all()
    assert max(far) > 3.0


@pytest.mark.parametrize("compiled", _paths(True))
def test_patroller_visits_its_waypoints_in_order(compiled):
    """A patroller heads for waypoint 0, then 1, 2, and around again, landing on each."""
    points = [(-3.0, 3.0), (3.0, 3.0), (3.0, -3.0)]
    world = _world({"behavior": "patroller", "speed": 4.0, "waypoints": points}, spawn=(0, 0))
    env = _env(world, n=2, compiled=compiled)
    env.reset()
    visits = []
    for _ in range(120):
        env.step(_still(2))
        p = env.entity_position[0, 0, 0::2]
        for k, w in enumerate(points):
            if np.hypot(*(p - w)) < 0.45 and (not visits or visits[-1] != k):
                visits.append(k)
    assert visits[:7] == [0, 1, 2, 0, 1, 2, 0]


def test_patroller_starts_over_at_each_episode():
    """A new episode sends a patroller to its first waypoint again."""
    points = [(-3.0, 3.0), (3.0, 3.0)]
    world = _world({"behavior": "patroller", "speed": 4.0, "waypoints": points}, spawn=(0, 0))
    env = _env(world, n=2)
    env.reset()
    for _ in range(12):
        env.step(_still(2))
    assert env.actors.next_waypoint[:, 0].tolist() == [1, 1]
    env.reset()
    assert env.actors.next_waypoint[:, 0].tolist() == [0, 0]


def test_rays_and_vector_items_see_the_actor_move():
    """The centre ray's hit distance on a chaser shrinks as it comes; direction_to follows it."""
    world = _world(spawn=(-4, 4))  # straight ahead of the agent (yaw 0 faces +z)
    env = _env(world, n=1)
    first = env.reset()
    batch = env.step(_still(1))
    # ray layout: (hunter, wall, hit?, distance); the hunter is hit at a shorter fraction after it moves
    assert first.obs[0][0, 0] == 1.0 and batch.obs[0][0, 0] == 1.0
    assert batch.obs[0][0, 3] < first.obs[0][0, 3]
    assert batch.obs[1][0, 1] < first.obs[1][0, 1]


@pytest.mark.parametrize("compiled", _paths(True))
def test_reaching_an_evader_succeeds(compiled):
    """Tagger: an agent faster than the rabbit runs at it and tags it (+1, success)."""
    data = copy.deepcopy(ARENA)
    data["entities"][0]["actor"] = {"behavior": "evader", "speed": 3.0}
    data["entities"][0]["spawn"] = {"at": [0, 0]}
    data["rewards"] = [
        {"event": "reach", "what": "hunter", "value": 1.0, "end": "terminated", "success": True}
    ]
    env = _env(world_from_dict(data), compiled=compiled)
    batch = env.reset()
    for _ in range(200):
        direction = batch.obs[1] / np.maximum(np.abs(batch.obs[1]).max(axis=1, keepdims=True), 1e-9)
        batch = env.step(ActionTuple(direction.astype(np.float32), np.zeros((4, 0), np.int32)))
        if batch.terminated.all():
            break
    assert batch.terminated.all()
    assert batch.reward[0] == pytest.approx(1.0)


@pytest.mark.parametrize("compiled", _paths(True))
def test_near_pays_per_step_within_the_distance_only(compiled):
    """near: value / max_step on each physics step the agent's centre is within ``within`` of the actor."""
    data = copy.deepcopy(ARENA)
    data["entities"][0]["actor"] = {"behavior": "patroller", "speed": 1.0, "waypoints": [[-4, -2], [4, -2]]}
    data["entities"][0]["spawn"] = {"at": [-4, -2]}
    data["rewards"] = [{"event": "near", "what": "hunter", "within": 2.5, "value": 1.0}]
    env = _env(world_from_dict(data), n=1, compiled=compiled)
    env.reset()
    batch = env.step(_still(1))  # 2 apart: every one of the 5 physics steps pays
    assert batch.reward[0] == pytest.approx(5 / 1000, abs=1e-7)
    rewards = [env.step(_still(1)).reward[0] for _ in range(40)]
    assert rewards[-1] == 0.0  # the guide walked away


@_needs_numba
def test_compiled_and_numpy_actor_trajectories_are_identical():
    """Chaser of the evader, evader of the agent, patroller, an obstacle, near and touch: both paths agree."""
    data = copy.deepcopy(ARENA)
    data["entities"] = [
        {"name": "hunter", "kind": "actor", "tag": "hunter", "actor": {"behavior": "chaser", "speed": 2.5}},
        {
            "name": "rabbit",
            "kind": "actor",
            "tag": "rabbit",
            "shape": "sphere",
            "actor": {"behavior": "evader", "speed": 3.0},
        },
        {
            "name": "fox",
            "kind": "actor",
            "tag": "fox",
            "actor": {"behavior": "chaser", "speed": 2.0, "follows": "rabbit"},
        },
        {
            "name": "guard",
            "kind": "actor",
            "tag": "guard",
            "count": 2,
            "actor": {"behavior": "patroller", "speed": 2.0, "waypoints": [[-5, 0], [5, 0], [0, 5]]},
        },
        {"name": "rock", "kind": "obstacle", "tag": "stone", "size": [2, 1, 2]},
    ]
    data["agent"]["spawn"] = {}
    data["agent"]["sensors"][0]["detectable_tags"] = ["hunter", "rabbit", "fox", "guard", "stone", "wall"]
    data["agent"]["sensors"][0]["rays_per_direction"] = 3
    data["agent"]["sensors"][0]["max_ray_degrees"] = 60
    data["rewards"] += [
        {"event": "near", "what": "rabbit", "within": 3.0, "value": 2.0},
        {"event": "touch", "what": "guard", "value": -0.5, "end": "interrupted"},
    ]
    data["max_step"] = 150
    world = world_from_dict(data)
    fast, slow = (make_world(world, num_agents=16, seed=3) for _ in range(2))
    slow.compiled = False
    assert fast.compiled
    rng = np.random.default_rng(0)
    a, b = fast.reset(), slow.reset()
    ended = 0
    for t in range(80):  # max_step 150 is 30 decisions: each area ends at least twice
        actions = ActionTuple(rng.uniform(-1, 1, (16, 2)).astype(np.float32), np.zeros((16, 0), np.int32))
        a, b = fast.step(actions), slow.step(actions)
        for i in range(2):
            np.testing.assert_array_equal(a.obs[i], b.obs[i], err_msg=f"obs at {t}")
        np.testing.assert_array_equal(a.reward, b.reward, err_msg=f"reward at {t}")
        np.testing.assert_array_equal(a.terminated, b.terminated)
        np.testing.assert_array_equal(a.truncated, b.truncated)
        ended += int((a.terminated | a.truncated).sum())
    np.testing.assert_array_equal(fast.entity_position, slow.entity_position)
    np.testing.assert_array_equal(fast.actors.next_waypoint, slow.actors.next_waypoint)
    assert ended >= 10


def test_evader_turns_start_straight_away_and_cover_the_circle():
    """The evader's candidates: straight away first, then alternating turns, 16 distinct directions."""
    turns = evade_turns()
    assert turns[0] == pytest.approx([1.0, 0.0])
    angles = np.degrees(np.arctan2(turns[:, 1], turns[:, 0]))
    assert angles[1] == pytest.approx(22.5) and angles[2] == pytest.approx(-22.5)
    assert len({round(a % 360, 6) for a in angles}) == 16


def test_kernel_codes_are_the_tables_and_the_numpy_path_needs_no_numba():
    """The kernel reads the codes ActorTables writes; world, actors and heuristic import no kernel module."""
    import subprocess
    import sys

    from mlops_unity_pipeline.sim import world_actors
    from mlops_unity_pipeline.sim.kernels import world_actors as kernel

    assert (kernel.CHASER, kernel.EVADER, kernel.PATROLLER) == (
        world_actors.CHASER,
        world_actors.EVADER,
        world_actors.PATROLLER,
    )
    code = (
        "import sys; import mlops_unity_pipeline.sim.world_env, mlops_unity_pipeline.sim.world_heuristic, "
        "mlops_unity_pipeline.codegen.world; "
        "print(any(m.startswith('mlops_unity_pipeline.sim.kernels') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_render_draws_actors_in_their_own_colour(tmp_path):
    """A rendered frame shows the actor in the actor colour, where it has moved to."""
    from PIL import Image

    from mlops_unity_pipeline.sim.render import _PALETTE, render_state_png

    env = _env(_world(), n=1)
    env.reset()
    env.step(_still(1))
    path = render_state_png(env, tmp_path / "actors.png")
    colours = {rgb for _, rgb in Image.open(path).convert("RGB").getcolors(1 << 16)}
    assert _PALETTE["actor"] in colours


@pytest.mark.parametrize("compiled", _paths(True))
def test_an_env_parameter_sets_the_actor_speed_next_episode(compiled):
    """``entities.hunter.actor.speed`` (a curriculum on the chaser) takes effect at the next episode start."""
    data = copy.deepcopy(ARENA)
    data["env_parameters"] = [
        {
            "name": "hunter_speed",
            "default": 3.0,
            "low": 1.0,
            "high": 6.0,
            "applies_to": ["entities.hunter.actor.speed"],
        }
    ]
    env = _env(world_from_dict(data), n=2, compiled=compiled)
    env.reset()
    start = env.entity_position[:, 0, 0::2].copy()
    env.step(_still(2))
    assert np.hypot(*(env.entity_position[0, 0, 0::2] - start[0])) == pytest.approx(3.0 * 0.1, abs=1e-9)
    env.set_env_parameters({"hunter_speed": 6.0})
    env.reset()
    start = env.entity_position[:, 0, 0::2].copy()
    env.step(_still(2))
    assert np.hypot(*(env.entity_position[0, 0, 0::2] - start[0])) == pytest.approx(6.0 * 0.1, abs=1e-9)
    assert env.actors.speed_now[:, 0].tolist() == [6.0, 6.0]


def test_actor_speed_parameters_need_an_actor():
    """Setting actor.speed of an entity that is no actor is refused naming the path."""
    from mlops_unity_pipeline.errors import SpecError

    data = copy.deepcopy(ARENA)
    data["entities"].append({"name": "rock", "kind": "obstacle", "spawn": {"at": [0, 0]}})
    data["env_parameters"] = [
        {"name": "p", "default": 1.0, "low": 1.0, "high": 2.0, "applies_to": ["entities.rock.actor.speed"]}
    ]
    with pytest.raises(SpecError, match=r"env_parameters\[0\]\.applies_to\[0\]: entity 'rock' is no actor"):
        world_from_dict(data)


@_needs_numba
def test_actors_agree_when_collectibles_respawn():
    """With a respawning coin the compiled physics step runs with NumPy events: actors still agree exactly."""
    data = copy.deepcopy(ARENA)
    data["entities"].append(
        {"name": "coin", "kind": "collectible", "tag": "coin", "respawn": True, "count": 3}
    )
    data["entities"][0]["spawn"] = {}
    data["agent"]["spawn"] = {}
    data["rewards"] += [
        {"event": "collect", "what": "coin", "value": 0.5},
        {"event": "near", "what": "hunter", "within": 4.0, "value": -1.0},
    ]
    world = world_from_dict(data)
    fast, slow = (make_world(world, num_agents=8, seed=4) for _ in range(2))
    slow.compiled = False
    rng = np.random.default_rng(1)
    a, b = fast.reset(), slow.reset()
    for t in range(80):
        actions = ActionTuple(rng.uniform(-1, 1, (8, 2)).astype(np.float32), np.zeros((8, 0), np.int32))
        a, b = fast.step(actions), slow.step(actions)
        np.testing.assert_array_equal(a.reward, b.reward, err_msg=f"reward at {t}")
        np.testing.assert_array_equal(a.terminated, b.terminated)
    np.testing.assert_array_equal(fast.entity_position, slow.entity_position)
