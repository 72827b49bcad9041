"""PushBlock task: arena, actions, physics, goal, spawn rules, sensors in upstream order, model fidelity."""

from __future__ import annotations

import numpy as np
import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sim import accel, evaluate, make
from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy
from mlops_unity_pipeline.sim.tasks.pushblock import GOAL_FRONT, REST_SINK, SPAWN_HALF
from mlops_unity_pipeline.spaces import ActionTuple
from tests.conftest import anchor

MODEL = "models/PushBlock.onnx"


def _act(env, action: int) -> ActionTuple:
    n = env.num_agents
    return ActionTuple(np.zeros((n, 0), np.float32), np.full((n, 1), action, np.int32))


def _place(env, agent=(0.0, 0.0), yaw=0.0, block=(8.0, 8.0)) -> None:
    """Put every agent at rest on the ground at ``agent`` facing ``yaw``, its block at ``block``."""
    env.agent_position[:] = [agent[0], 0.5 - REST_SINK, agent[1]]
    env.agent_velocity[:] = 0.0
    env.agent_yaw[:] = yaw
    env.block_position[:] = [block[0], 0.375 - REST_SINK, block[1]]
    env.block_velocity[:] = 0.0


def test_signature_matches_the_upstream_model_and_prefab():
    """PushBlock: [105] offset-sensor stack, then [105] main stack; a branch of 7; 5000 / 5; 32 areas."""
    env = make("PushBlock")
    assert env.signature.name == "PushBlock"
    assert [o.shape for o in env.signature.observation_specs] == [(105,), (105,)]
    assert env.signature.action_spec.discrete_branches == (7,)
    assert (env.num_agents, env.max_step, env.decision_period) == (32, 5000, 5)
    assert [s.settings.name for s in env.sensors] == ["OffsetRayPerceptionSensor", "RayPerceptionSensor"]
    assert env.env_parameter_defaults == {"block_scale": 2.0, "block_drag": 0.5, "dynamic_friction": 0.0}


def test_spawns_respect_the_check_box_rules():
    """Block and agent spawn within +-6.25, 2.5 clear of the goal, and their check boxes never overlap."""
    env = make("PushBlock", num_agents=400, seed=5)
    env.reset()
    for position in (env.agent_position, env.block_position):
        assert np.all(np.abs(position[:, 0::2]) <= SPAWN_HALF)
        assert np.all(position[:, 2] - 2.5 >= GOAL_FRONT)
        np.testing.assert_allclose(position[:, 1], 1.0)  # dropped from 1 above the ground
    gap = np.abs(env.agent_position[:, 0::2] - env.block_position[:, 0::2]) - 3.5
    assert np.all((gap >= 0.0).any(axis=1))


def test_forward_reaches_the_damped_terminal_speed():
    """+3 velocity change per step with drag 4: v = (v + 3)(1 - 0.08) minus friction, near 32.8 per second."""
    env = make("PushBlock", num_agents=1, seed=0)
    env.reset()
    _place(env, agent=(0.0, 5.0), yaw=180.0)  # facing -z, towards the goal
    env.step(_act(env, 1))
    speed = -env.agent_velocity[0, 2]
    expected = 0.0
    for _ in range(5):
        expected = (expected + 3.0) * 0.92
        expected -= 0.3 * 9.81 * 2.5 * 0.02
    assert speed == pytest.approx(expected, rel=1e-9)
    assert abs(env.agent_velocity[0, 0]) < 1e-9


def test_turn_actions_rotate_four_degrees_per_physics_step():
    """Action 3 turns right (+yaw) and 4 left by 200 x 0.02 degrees per physics step."""
    env = make("PushBlock", num_agents=1, seed=0)
    env.reset()
    _place(env, yaw=10.0)
    env.step(_act(env, 3))
    assert env.agent_yaw[0] == pytest.approx(30.0)
    env.step(_act(env, 4))
    env.step(_act(env, 4))
    assert env.agent_yaw[0] == pytest.approx(350.0)


def test_strafe_moves_sideways_at_three_quarters():
    """Action 6 moves along the agent's right (+x when facing +z) with 0.75 of the forward change."""
    env = make("PushBlock", num_agents=1, seed=0)
    env.reset()
    _place(env)
    env.step(_act(env, 6))
    assert env.agent_velocity[0, 0] > 0.0 and abs(env.agent_velocity[0, 2]) < 1e-9
    forward = make("PushBlock", num_agents=1, seed=0)
    forward.reset()
    _place(forward)
    forward.step(_act(forward, 1))
    ratio = env.agent_velocity[0, 0] / forward.agent_velocity[0, 2]
    assert 0.7 < ratio < 0.75  # friction takes the same amount off both


def test_walls_stop_the_agent():
    """Running into the +x wall for a second leaves the agent touching it at x = 12.5 - 0.5."""
    env = make("PushBlock", num_agents=1, seed=0)
    env.reset()
    _place(env, agent=(8.0, 0.0), yaw=90.0)
    for _ in range(10):
        env.step(_act(env, 1))
    assert env.agent_position[0, 0] == pytest.approx(12.0)
    assert env.agent_velocity[0, 0] == pytest.approx(0.0)


def test_pushing_the_block_into_the_goal_scores_five_and_ends():
    """The agent behind the block pushes it to -z; on touching the goal: +5 and a terminated success."""
    env = make("PushBlock", num_agents=1, seed=0)
    env.reset()
    _place(env, agent=(0.0, 5.0), yaw=180.0, block=(0.0, 2.0))
    total, batch, pushed = 0.0, None, False
    for _ in range(40):
        batch = env.step(_act(env, 1))
        total += float(batch.reward[0])
        pushed |= bool(env.block_velocity[0, 2] < -1.0)  # the contact moved the block
        if batch.terminated[0]:
            break
    assert pushed
    assert batch.terminated[0] and batch.success[0]
    assert 4.9 < total < 5.0  # +5 minus 1/5000 per physics step
    assert batch.final_obs[1].shape == (1, 105)


def test_the_block_cannot_pass_the_side_wall():
    """A block pushed into the +x wall stops against it and stops the agent behind it."""
    env = make("PushBlock", num_agents=1, seed=0)
    env.reset()
    _place(env, agent=(6.0, 0.0), yaw=90.0, block=(8.0, 0.0))
    for _ in range(15):
        env.step(_act(env, 1))
    assert env.block_position[0, 0] == pytest.approx(11.5)
    assert env.agent_position[0, 0] <= 10.5 + 1e-6


def test_rays_see_block_goal_and_walls_with_their_tags():
    """Facing the block the main sensor's centre ray sees 'block'; the offset one sees 'goal' over it."""
    env = make("PushBlock", num_agents=1, seed=0)
    env.reset()
    _place(env, agent=(0.0, 0.0), yaw=180.0, block=(0.0, -4.0))
    offset, main = env._observe(None)
    centre_main = main[0, 70:75]  # newest frame, first (centre) ray: block, goal, wall, miss, fraction
    np.testing.assert_allclose(centre_main[:4], [1.0, 0.0, 0.0, 0.0])
    assert centre_main[4] == pytest.approx((3.0 - 0.5) / 12.0, abs=1e-6)  # block face at z = -3
    centre_offset = offset[0, 70:75]
    np.testing.assert_allclose(centre_offset[:4], [0.0, 1.0, 0.0, 0.0])  # over the block to the goal
    # the sphere (centre 1.99, radius 0.5) grazes the goal's top edge (1.495): it touches it sqrt(0.5^2 -
    # 0.495^2) before the face
    assert centre_offset[4] == pytest.approx((-GOAL_FRONT - np.sqrt(0.25 - 0.495**2)) / 12.0, abs=1e-6)


def test_env_parameters_change_the_block_at_the_next_episode():
    """block_scale 3 gives a 3 x 0.75 x 3 block; bad values are refused."""
    env = make("PushBlock", num_agents=2, seed=0)
    env.reset()
    env.set_env_parameters({"block_scale": 3.0})
    assert env.block_half[0, 0] == 1.0
    env.reset()
    np.testing.assert_allclose(env.block_half, [[1.5, 0.375, 1.5]] * 2)
    with pytest.raises(SpecError, match="block_scale"):
        env.set_env_parameters({"block_scale": 100.0})


def test_heuristic_pushes_some_blocks_home():
    """The scripted pusher (true positions) scores goals (47 % measured over 64); doing nothing scores -1."""
    env = make("PushBlock", num_agents=32, seed=3)
    result = evaluate(env, env.heuristic, episodes=32, seed=4)
    assert result.success_rate >= 0.25
    assert result.mean_reward > 0.0


@pytest.mark.slow
def test_upstream_pushblock_model_scores_its_benchmark():
    """PushBlock.onnx pushes nearly every block home: >= 4.0 over 64 episodes (benchmark 4.5)."""
    env = make("PushBlock", num_agents=32, seed=0)
    policy = OnnxRuntimePolicy(anchor(MODEL), env.signature)
    result = evaluate(env, policy, episodes=64, seed=1)
    assert result.episodes == 64
    assert result.mean_reward >= 4.0
    assert result.success_rate >= 0.85


@pytest.mark.slow
@pytest.mark.parametrize("control", ["sensors-swapped", "rays-ascending"])
def test_pushblock_fidelity_breaks_with_wrong_sensor_or_ray_order(control):
    """Swapping the two sensors or feeding rays in ascending angle order collapses the score below 1."""
    env = make("PushBlock", num_agents=32, seed=0)
    policy = OnnxRuntimePolicy(anchor(MODEL), env.signature)
    ascending = np.array([5, 3, 1, 0, 2, 4, 6])  # alternating slots of angles 0, 30, ..., 180

    def broken(batch):
        if control == "sensors-swapped":
            obs = (batch.obs[1], batch.obs[0])
        else:
            obs = tuple(o.reshape(-1, 3, 7, 5)[:, :, ascending].reshape(-1, 105) for o in batch.obs)
        return policy(batch._replace(obs=obs))

    assert evaluate(env, broken, episodes=32, seed=1).mean_reward < 1.0


@pytest.mark.skipif(accel.kernels() is None, reason="numba missing or MLOPS_SIM_NUMBA=0")
def test_compiled_physics_and_rays_equal_the_numpy_path():
    """Random actions through pushes, walls, goals and MaxStep: kernel and NumPy batches agree."""
    fast, slow = make("PushBlock", num_agents=48, seed=2), make("PushBlock", num_agents=48, seed=2)
    assert fast.compiled
    slow.compiled = False
    heuristic_fast, heuristic_slow = fast.heuristic, slow.heuristic
    rng = np.random.default_rng(0)
    a, b = fast.reset(), slow.reset()
    ended = 0
    for t in range(300):
        if t == 200:
            for env in (fast, slow):
                env.agent_step_count[:8] = env.max_step - 7
        if rng.random() < 0.5:
            actions = heuristic_fast(a), heuristic_slow(b)
        else:
            actions = (_act(fast, int(rng.integers(7))),) * 2
        a, b = fast.step(actions[0]), slow.step(actions[1])
        for i in range(2):
            np.testing.assert_allclose(a.obs[i], b.obs[i], atol=1e-5, err_msg=f"obs at {t}")
            np.testing.assert_allclose(a.final_obs[i], b.final_obs[i], atol=1e-5)
        np.testing.assert_allclose(a.reward, b.reward, atol=1e-6)
        np.testing.assert_array_equal(a.terminated, b.terminated)
        np.testing.assert_array_equal(a.truncated, b.truncated)
        ended += int(a.terminated.sum() + a.truncated.sum())
    np.testing.assert_allclose(fast.agent_position, slow.agent_position, atol=1e-6)
    assert ended > 20
