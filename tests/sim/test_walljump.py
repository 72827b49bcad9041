"""WallJump tasks: arena, jumping and ground checks, rewards, sensors in upstream order, model fidelity."""

from __future__ import annotations

import numpy as np
import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sim import accel, evaluate, make
from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy
from mlops_unity_pipeline.sim.tasks import walljump as wj
from mlops_unity_pipeline.spaces import ActionTuple
from tests.conftest import anchor

MODEL = "models/BigWallJump.onnx"
REST_Y = wj.GROUND_TOP + wj.AGENT_HALF - wj.REST_SINK
DT = 0.02


def _act(env, forward=0, turn=0, side=0, jump=0) -> ActionTuple:
    n = env.num_agents
    return ActionTuple(
        np.zeros((n, 0), np.float32), np.tile([forward, turn, side, jump], (n, 1)).astype(np.int32)
    )


def _place(env, agent=(0.0, -8.0), yaw=0.0, block=(8.0, -10.0), wall=8.0) -> None:
    """Every agent at rest on the ground at ``agent`` facing ``yaw``, its block at ``block``, the wall."""
    env.agent_position[:] = [agent[0], REST_Y, agent[1]]
    env.agent_velocity[:] = 0.0
    env.agent_yaw[:] = yaw
    env.jump_steps[:] = 0
    env.support[:] = 1
    env.block_position[:] = [block[0], wj.BLOCK_Y, block[1]]
    env.block_velocity[:] = 0.0
    env.wall_height[:] = wall


def _physics(env, forward=0, turn=0, side=0, jump=0) -> None:
    """One physics step with the given action (what ``step`` runs ``decision_period`` times)."""
    env._disc[:] = [forward, turn, side, jump]
    env._reward[:] = 0.0
    env._physics_step()


def test_signatures_match_the_upstream_model_and_prefab():
    """[210] offset stack, [210] main stack, [24] vector stack; branches 3,3,3,2; MaxStep 2000 / period 5."""
    for behavior in ("BigWallJump", "SmallWallJump"):
        env = make(behavior)
        assert env.signature.name == behavior
        assert [o.shape for o in env.signature.observation_specs] == [(210,), (210,), (24,)]
        assert env.signature.action_spec.discrete_branches == (3, 3, 3, 2)
        assert (env.num_agents, env.max_step, env.decision_period) == (24, 2000, 5)
        assert [s.settings.name for s in env.sensors] == ["OffsetRayPerceptionSensor", "RayPerceptionSensor"]
        offset = env.sensors[0].settings
        assert (offset.start_vertical_offset, offset.end_vertical_offset, offset.ray_length) == (
            2.5,
            5.0,
            20.0,
        )
        assert offset.detectable_tags == ("wall", "goal", "block") and offset.observation_stacks == 6
    assert make("BigWallJump").env_parameter_defaults == {"big_wall_height": 8.0}
    assert make("SmallWallJump").env_parameter_defaults == {"small_wall_height": 4.0, "no_wall_height": 0.0}
    OnnxRuntimePolicy(anchor(MODEL), make("BigWallJump").signature)  # raises when inputs or outputs differ


def test_episode_start_places_agent_block_and_wall():
    """Agent at z -12 within x +-9; block in the spawn volume and out of the wall; wall per behavior."""
    big = make("BigWallJump", num_agents=200, seed=0)
    big.reset()
    assert np.all(big.agent_position[:, 2] == -12.0) and np.all(np.abs(big.agent_position[:, 0]) <= 9.0)
    assert np.all(np.abs(big.block_position[:, 0]) <= 8.1)
    assert np.all(big.block_position[:, 2] <= wj.WALL_Z - wj.WALL_HALF_Z - wj.BLOCK_HALF[2] + 1e-9)
    assert np.all(big.block_position[:, 2] >= -6.27 - 3.5)
    assert np.all(big.wall_height == 8.0)
    small = make("SmallWallJump", num_agents=200, seed=0)
    small.reset()
    assert set(np.unique(small.wall_height)) == {0.0, 4.0}
    assert 0.35 < np.mean(small.wall_height == 4.0) < 0.65


def test_forward_on_the_ground_and_in_the_air():
    """Forward adds 3 (halved in the air), damped by 1 - 2 dt; ground friction 0.6 g dt; falling force 111."""
    env = make("BigWallJump", num_agents=1, seed=0)
    env.reset()
    _place(env)
    _physics(env, forward=1)
    assert env.agent_velocity[0, 2] == pytest.approx(3.0 * (1 - 2 * DT) - 0.6 * wj.GRAVITY * DT, abs=1e-12)
    _place(env)
    env.agent_position[0, 1] = 3.0  # in the air: large ground check fails
    env.support[:] = 0
    _physics(env, forward=1)
    assert env.agent_velocity[0, 2] == pytest.approx(1.5 * (1 - 2 * DT), abs=1e-12)
    assert env.agent_velocity[0, 1] == pytest.approx(-(wj.GRAVITY + 111.0) * DT * (1 - 2 * DT), abs=1e-12)


def test_turns_and_strafes():
    """Turns are 6 degrees per physics step; a strafe (0.6) replaces the forward move."""
    env = make("BigWallJump", num_agents=1, seed=0)
    env.reset()
    _place(env)
    _physics(env, turn=2)
    assert env.agent_yaw[0] == pytest.approx(6.0)
    _physics(env, turn=1)
    _physics(env, turn=1)
    assert env.agent_yaw[0] == pytest.approx(354.0)
    _place(env)
    _physics(env, forward=1, side=2)  # facing +z, the agent's right is +x
    assert env.agent_velocity[0, 0] > 0.0 and env.agent_velocity[0, 2] == pytest.approx(0.0)
    assert env.agent_velocity[0, 0] == pytest.approx(0.6 * 3.0 * (1 - 2 * DT) - 0.6 * wj.GRAVITY * DT)


def test_jump_pulls_the_velocity_up_by_at_most_ten_per_step():
    """A jump from the ground: v_y = MoveTowards(0, 15.54 * 2.75, 10) = 10, then gravity and damping."""
    env = make("BigWallJump", num_agents=1, seed=0)
    env.reset()
    _place(env)
    _physics(env, jump=1)
    assert env.jump_steps[0] == wj.JUMP_STEPS - 1
    assert env.agent_velocity[0, 1] == pytest.approx((10.0 - wj.GRAVITY * DT) * (1 - 2 * DT), abs=1e-12)
    peak = env.agent_position[0, 1]
    for _ in range(40):
        _physics(env)
        peak = max(peak, env.agent_position[0, 1])
    assert 2.0 < peak - REST_Y < 2.75  # towards the jump height 2.75, pulled 11 steps, then falling
    assert env.agent_position[0, 1] == pytest.approx(REST_Y, abs=0.02)  # landed
    env.agent_position[0, 1] = 3.0
    env.jump_steps[:] = 0
    _physics(env, jump=1)  # in the air the small ground check fails: no jump
    assert env.jump_steps[0] == 0


def _run_at_wall(wall: float, decisions: int = 30) -> float:
    env = make("BigWallJump", num_agents=1, seed=0)
    env.reset()
    _place(env, agent=(0.0, -6.0), block=(8.5, -10.0), wall=wall)
    best = -np.inf
    for _ in range(decisions):
        batch = env.step(_act(env, forward=1, jump=1))
        if batch.terminated[0] or batch.truncated[0]:
            break
        best = max(best, env.agent_position[0, 2])
    return best


def test_a_small_wall_can_be_jumped_a_big_one_cannot():
    """Running and jumping at the wall: over a 4-high wall (1.55 above ground), never over an 8-high one."""
    assert _run_at_wall(4.0) > wj.WALL_Z + wj.WALL_HALF_Z
    assert _run_at_wall(8.0) < wj.WALL_Z - wj.WALL_HALF_Z


def test_standing_in_the_goal_scores_one_and_ends_as_success():
    """SetReward(1) overwrites the step costs: the decision's reward is exactly 1, terminated, success."""
    env = make("BigWallJump", num_agents=1, seed=0)
    env.reset()
    _place(env, agent=(wj.GOAL_CENTRE[0], wj.GOAL_CENTRE[2]))
    batch = env.step(_act(env))
    assert batch.reward[0] == 1.0 and batch.terminated[0] and batch.success[0]


@pytest.mark.parametrize("who", ["agent", "block"])
def test_falling_off_the_ground_scores_minus_one(who):
    """An agent or block whose centre has no ground beneath it ends the episode with -1 (not a success)."""
    env = make("BigWallJump", num_agents=1, seed=0)
    env.reset()
    if who == "agent":
        _place(env, agent=(11.0, -8.0))
    else:
        _place(env, block=(-11.0, -8.0))
    batch = env.step(_act(env))
    assert batch.reward[0] == -1.0 and batch.terminated[0] and not batch.success[0]


def test_agent_pushes_the_block_and_the_wall_stops_it():
    """Running into the block moves it (masses 25 and 10); the wall stops it, face against the wall."""
    env = make("BigWallJump", num_agents=1, seed=0)
    env.reset()
    _place(env, agent=(0.0, -10.0), block=(0.0, -7.0))
    for _ in range(12):
        env.step(_act(env, forward=1))
    assert env.block_position[0, 2] == pytest.approx(wj.WALL_Z - wj.WALL_HALF_Z - wj.BLOCK_HALF[2], abs=1e-6)
    assert env.agent_position[0, 2] < env.block_position[0, 2] - wj.BLOCK_HALF[2]


def test_rays_see_the_wall_and_over_it():
    """Centre rays facing the big wall 5.27 away: the main sphere stops 0.5 early; the offset ray hits too."""
    env = make("BigWallJump", num_agents=1, seed=0)
    env.reset()
    _place(env, agent=(0.0, -8.0), block=(8.5, -12.0))
    obs = env._observe(None)
    main = obs[1][0, -35:].reshape(7, 5)[0]  # newest frame, centre ray: wall, goal, block, miss, fraction
    np.testing.assert_allclose(main, [1, 0, 0, 0, (8.0 - 2.73 - 0.5) / 20.0], atol=1e-6)
    offset = obs[0][0, -35:].reshape(7, 5)[0]
    assert offset[0] == 1.0 and offset[4] < main[4] + 0.01
    env.wall_height[:] = 4.0  # the offset ray now passes over the wall
    offset = env._observe(None)[0][0, -35:].reshape(7, 5)[0]
    assert offset[0] == 0.0
    vector = obs[2][0, -4:]
    np.testing.assert_allclose(vector, [0.0, REST_Y / 20.0, (-8.0 + 4.0) / 20.0, 1.0], atol=1e-6)


def test_env_parameters_set_the_wall_at_the_next_episode_and_are_bounded():
    """big_wall_height applies to episodes that begin after it is set; heights outside [0, 20] are refused."""
    env = make("BigWallJump", num_agents=4, seed=0)
    env.reset()
    env.set_env_parameters({"big_wall_height": 6.0})
    assert np.all(env.wall_height == 8.0)
    env.reset()
    assert np.all(env.wall_height == 6.0)
    with pytest.raises(SpecError, match="big_wall_height"):
        env.set_env_parameters({"big_wall_height": 25.0})
    with pytest.raises(SpecError, match="unknown environment parameter"):
        env.set_env_parameters({"small_wall_height": 3.0})


@pytest.mark.parametrize("behavior", ["SmallWallJump", "BigWallJump"])
def test_heuristic_gets_over_the_wall(behavior):
    """The scripted controller reaches the goal in most episodes (measured: 88% small, 88% big over 48)."""
    env = make(behavior, num_agents=12, seed=0)
    result = evaluate(env, env.heuristic, episodes=24, seed=1)
    assert result.success_rate >= 0.6


def test_cli_evaluates_and_renders_walljump(tmp_path):
    """`sim eval` runs the upstream model, and the heuristic with a wall parameter; `sim render` a GIF."""
    import json

    from typer.testing import CliRunner

    from mlops_unity_pipeline.cli.app import app

    runner = CliRunner()
    model = str(anchor(MODEL))
    result = runner.invoke(app, ["sim", "eval", "BigWallJump", "--model", model, "--episodes", "4", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["episodes"] == 4
    args = ["sim", "eval", "SmallWallJump", "--episodes", "4", "--param", "small_wall_height=3", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0 and json.loads(result.stdout)["policy"] == "heuristic"
    out = tmp_path / "ep.gif"
    result = runner.invoke(app, ["sim", "render", "BigWallJump", "--model", model, "--out", str(out)])
    assert result.exit_code == 0 and out.stat().st_size > 0


@pytest.mark.slow
def test_upstream_bigwalljump_model_scores_its_benchmark():
    """BigWallJump.onnx gets over the big wall: >= 0.7 over 48 episodes (0.82 measured; benchmark 0.8)."""
    env = make("BigWallJump", num_agents=24, seed=0)
    policy = OnnxRuntimePolicy(anchor(MODEL), env.signature)
    result = evaluate(env, policy, episodes=48, seed=1)
    assert result.episodes == 48
    assert result.mean_reward >= 0.7
    assert result.success_rate >= 0.85


@pytest.mark.slow
@pytest.mark.parametrize("control", ["sensors-swapped", "rays-ascending"])
def test_bigwalljump_fidelity_breaks_with_wrong_sensor_or_ray_order(control):
    """Swapping the two ray sensors or feeding rays in ascending angle order collapses the score below 0."""
    env = make("BigWallJump", num_agents=24, seed=0)
    policy = OnnxRuntimePolicy(anchor(MODEL), env.signature)
    ascending = np.array([5, 3, 1, 0, 2, 4, 6])  # alternating slots of angles 0, 30, ..., 180

    def broken(batch):
        if control == "sensors-swapped":
            obs = (batch.obs[1], batch.obs[0], batch.obs[2])
        else:
            rays = tuple(o.reshape(-1, 6, 7, 5)[:, :, ascending].reshape(-1, 210) for o in batch.obs[:2])
            obs = (*rays, batch.obs[2])
        return policy(batch._replace(obs=obs))

    assert evaluate(env, broken, episodes=24, seed=1).mean_reward < 0.0


@pytest.mark.skipif(accel.kernels() is None, reason="numba missing or MLOPS_SIM_NUMBA=0")
@pytest.mark.parametrize("behavior", ["SmallWallJump", "BigWallJump"])
def test_compiled_decision_equals_the_numpy_path(behavior):
    """Heuristic and random actions through jumps, pushes, falls, goals and MaxStep: both engines agree."""
    fast, slow = make(behavior, num_agents=32, seed=2), make(behavior, num_agents=32, seed=2)
    assert fast.compiled
    slow.compiled = False
    rng = np.random.default_rng(0)
    a, b = fast.reset(), slow.reset()
    ended = 0
    for t in range(250):
        if t == 150:
            for env in (fast, slow):
                env.agent_step_count[:6] = env.max_step - 7
        if rng.random() < 0.6:
            actions = fast.heuristic(a), slow.heuristic(b)
        else:
            random = rng.integers(0, [3, 3, 3, 2], size=(32, 4)).astype(np.int32)
            actions = (ActionTuple(np.zeros((32, 0), np.float32), random),) * 2
        a, b = fast.step(actions[0]), slow.step(actions[1])
        for i in range(3):
            np.testing.assert_allclose(a.obs[i], b.obs[i], atol=1e-5, err_msg=f"obs {i} at {t}")
            np.testing.assert_allclose(a.final_obs[i], b.final_obs[i], atol=1e-5)
        np.testing.assert_allclose(a.reward, b.reward, atol=1e-6)
        np.testing.assert_array_equal(a.terminated, b.terminated)
        np.testing.assert_array_equal(a.truncated, b.truncated)
        ended += int(a.terminated.sum() + a.truncated.sum())
    np.testing.assert_allclose(fast.agent_position, slow.agent_position, atol=1e-6)
    assert ended > 20
