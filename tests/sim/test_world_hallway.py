"""ML-Agents' Hallway rebuilt as a world (``world/library/Hallway.yaml``): layout, start, goals, model."""

from __future__ import annotations

import numpy as np
import pytest

from mlops_unity_pipeline.codegen.world import declared_layout
from mlops_unity_pipeline.codegen.world.layout import refusals
from mlops_unity_pipeline.sim import evaluate, make, task_names
from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy
from mlops_unity_pipeline.sim.world_env import unsupported, world_signature
from mlops_unity_pipeline.spaces import ActionTuple
from tests.conftest import anchor

MODEL = "models/Hallway.onnx"
SYMBOL, GOAL_O, GOAL_X = 0, 1, 2
"""Entity copies in file order: the cue block, the O goal, the X goal."""


def _act(env, action: int) -> ActionTuple:
    n = env.num_agents
    return ActionTuple(np.zeros((n, 0), np.float32), np.full((n, 1), action, np.int32))


def test_hallway_world_has_the_hand_written_and_upstream_layout():
    """world:Hallway is listed and declares the hand-written task's signature, which Hallway.onnx accepts."""
    assert "world:Hallway" in task_names()
    env, ref = make("world:Hallway"), make("Hallway")
    assert unsupported(env.world) == []
    assert env.signature == ref.signature  # [105] rays, [3] StepCount / MaxStep, a branch of 5
    assert (env.num_agents, env.max_step, env.decision_period) == (16, 3000, 6)
    OnnxRuntimePolicy(anchor(MODEL), env.signature)  # raises on any mismatch with the shipped model


def test_episode_start_draws_the_symbol_and_the_goal_sides():
    """Each area draws O or X and which side (x = +-7) the O goal takes; the X goal takes the other."""
    env = make("world:Hallway", num_agents=400, seed=2)
    env.reset()
    drawn = env.cue_value[:, SYMBOL]
    assert 0.4 < (drawn == 0).mean() < 0.6
    goals = env.entity_position[:, [GOAL_O, GOAL_X], 0]
    np.testing.assert_allclose(np.abs(goals), 7.0, atol=1e-3)
    np.testing.assert_allclose(goals[:, 0], -goals[:, 1], atol=1e-3)
    assert 0.35 < (goals[:, 0] > 0).mean() < 0.65
    cue = env.entity_position[:, SYMBOL]
    assert np.all(np.abs(cue[:, 0]) <= 3.0) and np.all(np.abs(cue[:, 2]) <= 5.0)
    p = env.agent_position
    assert np.all(np.abs(p[:, 0]) <= 3.0) and np.all(np.abs(p[:, 2] + 15.0) <= 5.0)
    assert np.ptp(env.agent_yaw) > 300.0  # a random heading


@pytest.mark.parametrize(("match", "reward"), [(True, 1.0), (False, -0.1)])
def test_the_matching_goal_wins_and_the_other_costs(match, reward):
    """Running into the goal of the drawn symbol: +1 and success; into the other: -0.1; both end it."""
    env = make("world:Hallway", num_agents=8, seed=3)
    env.reset()
    drawn = env.cue_value[:, SYMBOL]
    goal = np.where((drawn == 0) == match, GOAL_O, GOAL_X)
    target = env.entity_position[np.arange(8), goal]
    env.agent_position[:, 0] = target[:, 0]
    env.agent_position[:, 2] = target[:, 2] - 3.0  # 0.27 short of touching the near face
    env.agent_velocity[:] = 0.0
    env.agent_yaw[:] = 0.0  # facing +z, the goals
    batch = env.step(_act(env, 1))
    assert batch.terminated.all() and not batch.truncated.any()
    np.testing.assert_allclose(batch.reward, reward, atol=6 / 3000 + 1e-6)
    assert batch.success.all() == match and batch.success.any() == match


def test_codegen_writes_hallway_with_the_simulators_layout():
    """The C# generator writes world:Hallway (no refusal) with the simulator's observation layout."""
    env = make("world:Hallway", num_agents=1)
    assert refusals(env.world) == []
    assert declared_layout(env.world) == world_signature(env.world)


def test_sim_eval_runs_the_recurrent_model_in_the_world():
    """`sim eval world:Hallway --model Hallway.onnx --json`: the LSTM plays (memory carried) and scores."""
    import json

    from typer.testing import CliRunner

    from mlops_unity_pipeline.cli.app import app

    args = ["sim", "eval", "world:Hallway", "--model", str(anchor(MODEL)), "--episodes", "32", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["episodes"] == 32 and data["success_rate"] > 0.5


def _model_score(control: str | None = None):
    env = make("world:Hallway", seed=0)
    policy = OnnxRuntimePolicy(anchor(MODEL), env.signature)  # sampling seeded: the run is reproducible
    # slots per ray: symbol_O_Goal, symbol_X_Goal, symbol_O, symbol_X, wall, missed, hit fraction
    swap = {"cue-tags-swapped": [0, 1, 3, 2, 4, 5, 6], "goal-tags-swapped": [1, 0, 2, 3, 4, 5, 6]}

    def controlled(batch):
        if control is not None:
            rays = batch.obs[0].reshape(-1, 3, 5, 7)[..., swap[control]].reshape(-1, 105)
            batch = batch._replace(obs=(rays, batch.obs[1]))
        return policy(batch)

    return evaluate(env, controlled, episodes=512, seed=1)


@pytest.mark.slow
def test_upstream_hallway_model_scores_in_the_world():
    """Hallway.onnx (LSTM) in world:Hallway: >= 0.6 over 512 episodes (benchmark 0.7; 0.665 measured)."""
    result = _model_score()
    assert result.episodes == 512
    assert result.mean_reward >= 0.6 and result.success_rate >= 0.65


@pytest.mark.slow
@pytest.mark.parametrize("control", ["cue-tags-swapped", "goal-tags-swapped"])
def test_hallway_world_fidelity_breaks_with_swapped_tags(control):
    """Negative controls: swapped cue tags (0.004 at 128 episodes) or goal tags (0.14) send it astray."""
    result = _model_score(control)
    assert result.mean_reward < 0.3 and result.success_rate < 0.5
