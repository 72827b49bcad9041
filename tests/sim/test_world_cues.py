"""Cues whose hidden value the agent must remember, targets matching a value, wrong choices (Hallway-like)."""

from __future__ import annotations

import numpy as np
import pytest

from mlops_unity_pipeline.codegen.world.layout import refusals
from mlops_unity_pipeline.sim import accel, make_world
from mlops_unity_pipeline.sim.world_env import WorldEnv, unsupported
from mlops_unity_pipeline.spaces import ActionTuple
from mlops_unity_pipeline.world import world_from_dict

# A corridor: the sign at the south end shows O or X; the matching goal is north-west (O) or north-east (X).
CORRIDOR = {
    "name": "Corridor",
    "arena": {"size": [6, 20]},
    "entities": [
        {
            "name": "sign",
            "kind": "cue",
            "tag": "sign",
            "cue_values": ["symbolO", "symbolX"],
            "size": [2, 1, 1],
            "spawn": {"at": [0, -9]},
        },
        {"name": "goal_o", "kind": "target", "tag": "goal", "matches": "symbolO", "spawn": {"at": [-2, 9]}},
        {"name": "goal_x", "kind": "target", "tag": "goal", "matches": "symbolX", "spawn": {"at": [2, 9]}},
    ],
    "agent": {
        "movement": {"motion": "set_velocity", "speed": 5.0},
        "spawn": {"at": [0, 0]},
        "yaw": 180,
        "sensors": [
            {
                "kind": "ray_perception",
                "name": "Eyes",
                "detectable_tags": ["symbolO", "symbolX", "goal", "wall"],
                "rays_per_direction": 0,
                "max_ray_degrees": 0,
                "ray_length": 20,
            },
            {"kind": "vector", "name": "Vec", "items": [{"item": "cue", "of": "sign"}]},
        ],
        "actions": {"continuous": ["move_x", "move_z"]},
    },
    "rewards": [
        {"event": "reach", "what": "goal", "value": 1.0, "end": "terminated", "success": True},
        {"event": "wrong_choice", "what": "goal", "value": -0.1, "end": "terminated"},
    ],
    "max_step": 2000,
}


def _move(env: WorldEnv, x: np.ndarray, z: float) -> ActionTuple:
    n = env.num_agents
    cont = np.stack([np.broadcast_to(x, (n,)), np.full(n, z)], axis=1).astype(np.float32)
    return ActionTuple(cont, np.zeros((n, 0), np.int32))


def test_the_cue_item_and_the_rays_show_the_drawn_value():
    """The cue item is the one-hot of the value drawn per area (both drawn across 200 areas); facing the sign,
    the centre ray sees it with that value's tag."""
    env = make_world(world_from_dict(CORRIDOR), num_agents=200, seed=0)
    assert unsupported(env.world) == []
    assert [s.shape for s in env.signature.observation_specs] == [(6,), (2,)]
    batch = env.reset()
    drawn = env.cue_value[:, 0]
    np.testing.assert_array_equal(batch.obs[1], np.eye(2)[drawn])
    assert 60 < int(drawn.sum()) < 140
    np.testing.assert_array_equal(np.argmax(batch.obs[0][:, :2], axis=1), drawn)  # symbolO or symbolX
    assert (batch.obs[0][:, :2].sum(axis=1) == 1).all()


def test_the_matching_goal_wins_and_the_other_is_a_wrong_choice():
    """Walking to the goal matching the drawn value: +1 and success; to the other: -0.1, terminated, no
    success (ML-Agents Hallway's rule)."""
    for right in (True, False):
        env = make_world(world_from_dict(CORRIDOR), num_agents=64, seed=1)
        env.reset()
        side = np.where(env.cue_value[:, 0] == 1, 1.0, -1.0) * (1.0 if right else -1.0)  # X east, O west
        batch = None
        for _ in range(40):
            batch = env.step(_move(env, side * 0.3, 1.0))
            if batch.terminated.all():
                break
        assert batch.terminated.all()
        if right:
            assert batch.success.all() and np.allclose(batch.reward, 1.0)
        else:
            assert not batch.success.any() and np.allclose(batch.reward, -0.1)


@pytest.mark.skipif(accel.kernels() is None, reason="numba missing or MLOPS_SIM_NUMBA=0")
def test_compiled_and_numpy_paths_agree_on_cues():
    """Random walks to either goal over many episodes: both paths agree (values, rewards, ends)."""
    world = world_from_dict(CORRIDOR)
    fast, slow = WorldEnv(world, 16, seed=3), WorldEnv(world, 16, seed=3)
    slow.compiled = False
    fast.reset(), slow.reset()
    rng = np.random.default_rng(0)
    ended = 0
    for t in range(200):
        actions = ActionTuple(
            np.clip(rng.uniform(-1, 1, (16, 2)) + [0.0, 0.6], -1, 1).astype(np.float32),
            np.zeros((16, 0), np.int32),
        )
        a, b = fast.step(actions), slow.step(actions)
        for i in range(2):
            np.testing.assert_allclose(a.obs[i], b.obs[i], atol=1e-5, err_msg=f"obs at {t}")
        np.testing.assert_allclose(a.reward, b.reward, atol=1e-6)
        np.testing.assert_array_equal(a.terminated, b.terminated)
        np.testing.assert_array_equal(a.success, b.success)
        ended += int(a.terminated.sum())
    assert ended >= 10


def test_codegen_writes_cues_with_the_simulators_layout():
    """The C# generator writes the cue, the matched targets, wrong_choice and the cue item (no refusal)."""
    from mlops_unity_pipeline.codegen.world import declared_layout
    from mlops_unity_pipeline.sim.world_env import world_signature

    world = world_from_dict(CORRIDOR)
    assert refusals(world) == []
    assert declared_layout(world) == world_signature(world)
