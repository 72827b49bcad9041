"""ML-Agents-style behavior API: specs, decision/terminal steps, agent (episode) ids, masks, actions."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from mlops_unity_pipeline.errors import InvalidAction, SpecError
from mlops_unity_pipeline.sim import make_navigation
from mlops_unity_pipeline.sim.archetypes import NavigationParams
from mlops_unity_pipeline.sim.behavior_api import SimBehaviorEnv
from mlops_unity_pipeline.spaces import ActionTuple


def test_behavior_specs_and_first_decision_steps():
    """behavior_specs maps the behavior name to its signature; after reset every agent needs a decision."""
    env = SimBehaviorEnv("3DBall", num_agents=3, seed=0)
    spec = env.behavior_specs["3DBall"]
    assert spec.observation_specs[0].shape == (8,)
    assert spec.action_spec.continuous_size == 2
    env.reset()
    decision, terminal = env.get_steps("3DBall")
    assert len(decision) == 3 and len(terminal) == 0
    assert decision.obs[0].shape == (3, 8)
    assert decision.action_mask is None


def test_terminal_steps_carry_old_ids_and_decisions_new_ones():
    """An ending agent shows up in terminal steps under its old id and in decision steps under a new id."""
    env = SimBehaviorEnv("Basic", num_agents=2)
    env.reset()
    ids = env.get_steps("Basic")[0].agent_id.copy()
    for _ in range(7):
        env.set_actions("Basic", ActionTuple(np.zeros((2, 0), np.float32), np.array([[2], [0]], np.int32)))
        env.step()
    decision, terminal = env.get_steps("Basic")
    assert terminal.agent_id.tolist() == [ids[0]]
    assert terminal.reward[0] == pytest.approx(0.99)
    assert not terminal.interrupted[0]
    assert terminal.obs[0][0].argmax() == 17
    assert ids[0] not in decision.agent_id and ids[1] in decision.agent_id
    assert decision.reward[decision.agent_id_to_index[int(decision.agent_id[0])]] == 0.0


def test_set_action_for_agent_and_default_zero_actions():
    """One agent's action moves only that agent; unset agents get the zero action (stay)."""
    env = SimBehaviorEnv("Basic", num_agents=2)
    env.reset()
    decision, _ = env.get_steps("Basic")
    env.set_action_for_agent(
        "Basic", int(decision.agent_id[1]), ActionTuple(np.zeros((1, 0)), np.array([[2]]))
    )
    env.step()
    assert env.sim.position.tolist() == [10, 11]
    with pytest.raises(SpecError, match="agent id 999"):
        env.set_action_for_agent("Basic", 999, ActionTuple(np.zeros((1, 0)), np.array([[2]])))
    with pytest.raises(InvalidAction, match="1 discrete"):
        env.set_action_for_agent(
            "Basic", int(decision.agent_id[0]), ActionTuple(np.zeros((1, 0)), np.zeros((1, 2)))
        )


def test_action_masks_use_mlagents_convention():
    """Masks are per branch with True = masked (ML-Agents), the opposite of StepBatch's True = allowed."""
    params = replace(NavigationParams(), continuous_actions=False)
    env = SimBehaviorEnv(make_navigation(params, num_agents=1, seed=0))
    env.reset()
    env.sim.position[0] = [9.5, 0.0]
    env.step()
    decision, _ = env.get_steps("NavigationAgent")
    assert len(decision.action_mask) == 1
    assert decision.action_mask[0][0].tolist() == [False, False, False, False, True]


def test_unknown_behavior_and_interrupted_episodes():
    """Unknown behavior names are errors; MaxStep ends show as interrupted."""
    env = SimBehaviorEnv("Basic")
    with pytest.raises(SpecError, match="unknown behavior 'Nope'"):
        env.get_steps("Nope")
    env.reset()
    for _ in range(env.sim.max_step):
        env.step()
    _, terminal = env.get_steps("Basic")
    assert terminal.interrupted.tolist() == [True]


def test_single_agent_lookup_and_groups():
    """steps[agent_id] gives one agent's step; group ids and rewards are zero (no groups in the simulator)."""
    env = SimBehaviorEnv("Basic", num_agents=2)
    env.reset()
    for _ in range(7):
        env.set_actions("Basic", ActionTuple(np.zeros((2, 0), np.float32), np.array([[2], [1]], np.int32)))
        env.step()
        decision, terminal = env.get_steps("Basic")
        if len(terminal):
            break
    assert len(terminal) == 1  # agent 1 reached the small goal at 7 after 3 moves
    step = terminal[int(terminal.agent_id[0])]
    assert step.reward == pytest.approx(0.09) and not step.interrupted and step.group_id == 0
    one = decision[int(decision.agent_id[0])]
    assert one.obs[0].shape == (20,) and one.action_mask[0].tolist() == [False, False, False]
    assert decision.group_reward.tolist() == [0.0, 0.0]
