"""The buffer sensor in worlds (``sim.world_buffer``): ML-Agents' variable-length buffer of entities."""

from __future__ import annotations

import copy
import math

import numpy as np

from mlops_unity_pipeline.sim import make_world
from mlops_unity_pipeline.sim.world_env import WorldEnv
from mlops_unity_pipeline.spaces import ActionTuple
from mlops_unity_pipeline.world import world_from_dict

BUFFER = {"kind": "buffer", "name": "Coins", "of": "coin", "max_entities": 2}
WORLD = {
    "name": "Buffered",
    "arena": {"size": [10, 8]},
    "entities": [
        {
            "name": "coin",
            "kind": "collectible",
            "tag": "coin",
            "count": 3,
            "size": [0.5, 0.5, 0.5],
            "spawn": {"area": [[-4, -3], [4, 3]]},
        },
    ],
    "agent": {
        "movement": {"motion": "set_velocity", "speed": 5.0},
        "spawn": {"at": [0, 0]},
        "yaw": 0,
        "sensors": [{"kind": "vector", "name": "Vec", "items": [{"item": "heading"}]}, BUFFER],
        "actions": {"continuous": ["move_x", "move_z"]},
    },
    "rewards": [{"event": "collect", "what": "coin", "value": 1.0}],
    "max_step": 100,
    "decision_period": 1,
}


def _env(**buffer) -> WorldEnv:
    """A one-area env of WORLD with the buffer sensor's fields replaced by ``buffer``, reset."""
    spec = copy.deepcopy(WORLD)
    spec["agent"]["sensors"][1] = {**BUFFER, **buffer}
    env = WorldEnv(world_from_dict(spec), 1, seed=0)
    env.reset()
    return env


def _place(env: WorldEnv, points: list[tuple[float, float]]) -> None:
    """Put the agent at the origin and the coins at ``points`` (x, z)."""
    env.agent_position[0, 0::2] = 0.0
    env.entity_position[0, :, 0::2] = points


def test_buffer_signature_is_mlagents_variable_length_spec():
    """The buffer is observed as (max_entities, row size) under its own name, sorted among the sensors."""
    env = _env()
    assert [(s.name, s.shape) for s in env.signature.observation_specs] == [("Coins", (2, 3)), ("Vec", (2,))]
    assert _env(items=["distance_to"], max_entities=5).signature.observation_specs[0].shape == (5, 1)


def test_buffer_rows_nearest_first_extra_dropped_hand_computed():
    """Three coins, two rows: the nearest two, nearest first, each (dx / 10, dz / 8, distance / hypot(10, 8));
    the farthest is dropped (``AppendObservation`` past the maximum)."""
    env = _env()
    _place(env, [(3.0, 0.0), (-1.0, 1.0), (0.0, -2.0)])
    obs = env._observe(None)[0][0]
    diag = math.hypot(10, 8)
    want = np.float32([[-1 / 10, 1 / 8, math.sqrt(2) / diag], [0.0, -2 / 8, 2 / diag]])
    np.testing.assert_allclose(obs, want, rtol=1e-6)


def test_buffer_pads_with_zero_rows_when_entities_leave():
    """Collected coins leave the buffer; the rows left over are zero (``Update`` clears the buffer)."""
    env = _env(max_entities=4)
    _place(env, [(3.0, 0.0), (-1.0, 1.0), (0.0, -2.0)])
    env.entity_active[0, 1] = False
    obs = env._observe(None)[0][0]
    assert obs.shape == (4, 3)
    np.testing.assert_allclose(obs[0, :2], [0.0, -2 / 8], rtol=1e-6)
    np.testing.assert_allclose(obs[1, :2], [3 / 10, 0.0], rtol=1e-6)
    np.testing.assert_array_equal(obs[2:], 0.0)


def test_buffer_empties_as_the_agent_collects_both_paths():
    """Steering by the buffer's first row (the nearest coin), the agent collects coins and the buffer's real
    rows go 2 -> 0; the compiled and NumPy simulators give the same buffers."""
    runs = []
    for compiled in (True, False):
        env = make_world(world_from_dict(WORLD), num_agents=1, seed=1)
        env.compiled = compiled and env.compiled
        batch = env.reset()
        frames = []
        for _ in range(60):  # the three coins are collected by step 54, within the episode's 100
            toward = np.clip(batch.obs[0][:, 0, :2] * 20.0, -1.0, 1.0)  # the nearest coin's (dx, dz)
            batch = env.step(ActionTuple(toward.astype(np.float32), np.zeros((1, 0), np.int32)))
            frames.append(batch.obs[0].copy())
        runs.append(np.stack(frames))
    np.testing.assert_array_equal(runs[0], runs[1])
    real = (runs[0][:, 0] != 0).any(axis=2).sum(axis=1)  # rows holding a coin, per step
    assert real[0] == 2 and real[-1] == 0
    assert (np.diff(real) <= 0).all()
