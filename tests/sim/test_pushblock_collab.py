"""PushBlockCollab: group rewards and ends, block sizes needing 1-3 agents, spawns, sensors, both engines."""

from __future__ import annotations

import numpy as np
import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sim import evaluate, list_tasks, make
from mlops_unity_pipeline.sim.behavior_api import SimBehaviorEnv
from mlops_unity_pipeline.sim.heuristics import heuristic_policy
from mlops_unity_pipeline.sim.policies import random_policy
from mlops_unity_pipeline.sim.render import render_state_png
from mlops_unity_pipeline.sim.tasks import pushblock as pb
from mlops_unity_pipeline.sim.tasks import pushblock_collab as pc
from mlops_unity_pipeline.spaces import ActionTuple

STEP_PENALTY = 5 * 0.5 / 5000  # one decision = 5 physics steps of the hurry-up penalty


def _act(*codes: int) -> ActionTuple:
    return ActionTuple(np.zeros((len(codes), 0), np.float32), np.array(codes, np.int64)[:, None])


def _only_block(env, b: int, x: float, z: float) -> None:
    """Leave block ``b`` alone in area 0 at (x, z); park the others as if they had scored."""
    env.block_active[0] = False
    env.block_position[0, :, 1] = pc.PARKED
    env.block_active[0, b] = True
    env.block_position[0, b] = [x, env.block_half[b, 1] - pb.REST_SINK, z]


def _agents(env, spots, yaw=180.0) -> None:
    for m, (x, z) in enumerate(spots):
        env.agent_position[m] = [x, pb.AGENT_HALF - pb.REST_SINK, z]
        env.agent_velocity[m] = 0.0
        env.agent_yaw[m] = yaw


def test_signature_catalog_and_groups():
    """Two stacked 7-ray sensors with the six collab tags, one branch of 7; three agents per group."""
    env = make("PushBlockCollab", seed=0)
    assert env.num_agents == 3 and env.agents_per_group == 3 and env.group_max_step == 5000
    assert [o.shape for o in env.signature.observation_specs] == [(168,), (168,)]
    assert env.signature.action_spec.discrete_branches == (7,)
    info = next(t for t in list_tasks() if t.name == "PushBlockCollab")
    assert info.default_num_agents == 3 and info.max_step == 0
    batch = make("PushBlockCollab", num_agents=6, seed=0).reset()
    assert batch.group_id.tolist() == [1, 1, 1, 2, 2, 2]
    with pytest.raises(SpecError, match="multiple of 3"):
        make("PushBlockCollab", num_agents=4)


def test_spawns_keep_out_of_the_goal_and_apart():
    """Agents, then blocks, are placed so no body starts in the goal and no two check boxes overlap."""
    env = make("PushBlockCollab", num_agents=3 * 64, seed=5)
    env.reset()
    areas = env.num_areas
    agents = env.agent_position.reshape(areas, 3, 3)[:, :, [0, 2]]
    blocks = env.block_position[:, :, [0, 2]]
    bodies = np.concatenate([agents, blocks], axis=1)  # placement order
    halves = np.concatenate([np.full(3, pb.AGENT_HALF), env.block_half[:, 0]])
    checks = np.maximum(pc.SPAWN_CHECK_HALF, halves)
    assert env.block_active.all()
    assert (bodies[:, :, 1] - checks >= pb.GOAL_FRONT).all()
    assert (np.abs(bodies) <= pc.SPAWN_HALF).all()
    for later in range(1, bodies.shape[1]):
        for earlier in range(later):
            gap = np.abs(bodies[:, later] - bodies[:, earlier]) - (checks[later] + halves[earlier])
            assert (gap >= 0).any(axis=1).all()
    assert ((env.agent_yaw >= 0) & (env.agent_yaw < 360)).all() and np.unique(env.agent_yaw).size > 100


@pytest.mark.parametrize("block", [0, 2, 4], ids=["small", "medium", "large"])
def test_a_block_needs_as_many_agents_as_its_size(block):
    """A block of size k reaches the goal with k agents pushing and hardly moves with k - 1 (docs' rule)."""
    size = int(pc.BLOCK_SIZES[block])

    def push(pushers: int) -> float:
        env = make("PushBlockCollab", seed=0)
        env.reset()
        start_z = 4.0
        _only_block(env, block, 0.0, start_z)
        hx, hz = env.block_half[block, 0], env.block_half[block, 2]
        lanes = {1: [0.0], 2: [-0.5 * hx, 0.5 * hx], 3: [-0.6 * hx, 0.0, 0.6 * hx]}.get(pushers, [])
        spots = [(x, start_z + hz + 0.55) for x in lanes] + [
            (10.5 - 1.5 * m, 11.0) for m in range(3 - pushers)
        ]
        _agents(env, spots)
        codes = [1] * pushers + [0] * (3 - pushers)
        for _ in range(60):
            batch = env.step(_act(*codes))
            if batch.group_reward[0] > 0.5:
                return np.inf  # scored
        return start_z - env.block_position[0, block, 2]

    assert push(size) > 3.0
    if size > 1:
        assert push(size - 1) < 1.0


def test_scoring_a_block_pays_the_group_and_disables_it():
    """A block entering the goal pays its value to every member, is disabled and parked out of sight."""
    env = make("PushBlockCollab", seed=0)
    env.reset()
    half = env.block_half[2, 2]
    env.block_position[0, 2] = [0.0, env.block_half[2, 1] - pb.REST_SINK, pb.GOAL_FRONT + half + 0.01]
    env.block_velocity[0, 2] = [0.0, 0.0, -2.0]  # drifting into the goal
    batch = env.step(_act(0, 0, 0))
    np.testing.assert_allclose(batch.group_reward, [2.0 - STEP_PENALTY] * 3, rtol=1e-6)
    assert batch.reward.tolist() == [0.0, 0.0, 0.0]
    assert not env.block_active[0, 2] and env.block_active[0].sum() == 5
    assert env.block_position[0, 2, 1] == pc.PARKED
    assert not (batch.terminated | batch.truncated).any()


def test_the_last_block_ends_the_group_episode_as_a_success():
    """When no block is left, EndGroupEpisode: every member terminated with success; a new scene begins."""
    env = make("PushBlockCollab", seed=0)
    env.reset()
    _only_block(env, 0, 0.0, pb.GOAL_FRONT + 1.02)
    env.block_velocity[0, 0] = [0.0, 0.0, -3.0]
    _agents(env, [(-8.0, 8.0), (0.0, 8.0), (8.0, 8.0)])
    batch = env.step(_act(0, 0, 0))
    assert batch.terminated.all() and batch.success.all() and not batch.truncated.any()
    # it scored on the first physics step: the episode's last group reward is +1 and one step's penalty
    np.testing.assert_allclose(batch.group_reward, [1.0 - 0.0001] * 3, rtol=1e-6)
    assert env.block_active.all() and env.group_step_count.tolist() == [0]


def test_hurry_up_penalty_and_max_environment_steps():
    """-0.0001 per physics step to the group; MaxEnvironmentSteps (1000 decisions) interrupts the group."""
    env = make("PushBlockCollab", seed=0)
    env.reset()
    total = np.zeros(3)
    for k in range(1000):
        batch = env.step(_act(0, 0, 0))  # standing still scores nothing
        total += batch.group_reward
        if k < 999:
            assert not (batch.terminated | batch.truncated).any()
    assert batch.truncated.all() and not batch.terminated.any() and not batch.success.any()
    np.testing.assert_allclose(total, [-0.5] * 3, rtol=1e-4)
    np.testing.assert_allclose(batch.group_reward, [-STEP_PENALTY] * 3, rtol=1e-5)


def test_rays_see_block_sizes_and_teammates_by_tag():
    """The centre ray reports the tag of what is ahead: a large block, then a teammate."""
    env = make("PushBlockCollab", seed=0)
    env.reset()
    _only_block(env, 4, 0.0, 0.0)
    _agents(env, [(0.0, 6.0), (-8.0, -2.0), (-8.0, 2.0)])
    env.agent_yaw[1] = 0.0  # agent 1 faces +z, towards agent 2
    obs = env._observe(None)[1]  # the main sensor
    tags = list(pc.TAGS)
    newest = obs[:, -7 * 8 :]  # newest stacked frame; the centre ray comes first (alternating order)
    assert newest[0, :6].argmax() == tags.index("blockVeryLarge") and newest[0, 6] == 0.0
    np.testing.assert_allclose(newest[0, 7], (6.0 - 2.0 - 0.5) / 12.0, atol=0.01)
    assert newest[1, :6].argmax() == tags.index("agent")


def test_heuristic_beats_random():
    """The scripted team pushes blocks home (measured 4.4 vs 0.1 for random over 24 member-episodes)."""
    env = make("PushBlockCollab", num_agents=24, seed=0)
    scripted = evaluate(env, heuristic_policy(env), episodes=24, seed=1)
    env = make("PushBlockCollab", num_agents=24, seed=0)
    rand = evaluate(env, random_policy(env.signature.action_spec, seed=2), episodes=24, seed=1)
    assert scripted.mean_reward >= 3.0 and rand.mean_reward < 1.5


def test_compiled_and_numpy_paths_give_the_same_trajectory():
    """The numba physics step equals the NumPy reference through pushes, scores, a group end and a restart."""
    envs = [make("PushBlockCollab", num_agents=6, seed=3) for _ in range(2)]
    if not envs[0].compiled:
        pytest.skip("numba kernels unavailable")
    envs[1].compiled = False
    batches = [env.reset() for env in envs]
    for env in envs:  # area 2's last block drifts into the goal: a score and a group end at once
        env.block_active[1, 1:] = False
        env.block_position[1, 1:, 1] = pc.PARKED
        env.block_position[1, 0, 2] = pb.GOAL_FRONT + env.block_half[0, 2] + 0.05
        env.block_velocity[1, 0, 2] = -3.0
    rand = random_policy(envs[0].signature.action_spec, seed=1)
    scored = ended = 0
    for k in range(60):
        actions = envs[0].heuristic(batches[0]) if k % 3 else rand(batches[0])
        a, b = batches = [env.step(actions) for env in envs]
        np.testing.assert_array_equal(envs[0].agent_position, envs[1].agent_position)
        np.testing.assert_array_equal(envs[0].block_position, envs[1].block_position)
        for x, y in zip(a.obs, b.obs, strict=True):
            np.testing.assert_array_equal(x, y)
        np.testing.assert_array_equal(a.group_reward, b.group_reward)
        np.testing.assert_array_equal(a.terminated, b.terminated)
        scored += int((a.group_reward > 0.5).sum())
        ended += int(a.terminated.sum())
    assert scored >= 3 and ended == 3


def test_behavior_api_render_and_cli_facing_pieces(tmp_path):
    """The behavior API reports the groups; the state renders to a PNG."""
    api = SimBehaviorEnv("PushBlockCollab", num_agents=6, seed=0)
    api.reset()
    decision, _ = api.get_steps("PushBlockCollab")
    assert decision.group_id.tolist() == [1, 1, 1, 2, 2, 2]
    api.step()
    decision, _ = api.get_steps("PushBlockCollab")
    np.testing.assert_allclose(decision.group_reward, [-STEP_PENALTY] * 6, rtol=1e-5)
    out = render_state_png(api.sim, tmp_path / "collab.png")
    assert out.stat().st_size > 1000
