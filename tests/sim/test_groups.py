"""Multi-agent group semantics of the core (SimpleMultiAgentGroup) against hand-computed cases."""

from __future__ import annotations

import numpy as np
import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sim import make
from mlops_unity_pipeline.sim.behavior_api import SimBehaviorEnv
from mlops_unity_pipeline.sim.core import SimEnv
from mlops_unity_pipeline.spaces import ActionSpec, ActionTuple, BehaviorSignature, ObservationSpec

PENALTY = 0.01
NOTHING, SCORE, FINISH, SET_FIVE, QUIT = range(5)


class ToyGroupEnv(SimEnv):
    """Two agents per group, two physics steps per decision; each physics step the group pays PENALTY.

    Actions: 1 adds +1 to the agent's group, 2 adds +1 and ends the group's episode (success), 3 sets the
    group reward to 5, 4 ends only this agent's episode. The observation is (agent steps, group steps).
    """

    task_name = "ToyGroup"

    def __init__(self, num_agents: int = 4, *, group_max_step: int = 0) -> None:
        signature = BehaviorSignature(
            "ToyGroup", (ObservationSpec((2,)),), ActionSpec(discrete_branches=(5,))
        )
        super().__init__(
            signature,
            num_agents,
            decision_period=2,
            max_step=0,
            env_parameter_defaults={},
            agents_per_group=2,
            group_max_step=group_max_step,
        )
        self.scene_resets = np.zeros(self.num_groups, dtype=np.int64)
        self.agent_begins = np.zeros(self.num_agents, dtype=np.int64)

    def _begin_groups(self, groups: np.ndarray) -> None:
        self.scene_resets[groups] += 1

    def _begin_episodes(self, idx: np.ndarray) -> None:
        self.agent_begins[idx] += 1

    def _physics_step(self) -> None:
        self._done_now.fill(False)
        self._success_now.fill(False)
        self.add_group_reward(-PENALTY)
        action = self._disc[:, 0]
        for g in range(self.num_groups):
            members = np.flatnonzero(self.group_index == g)
            acts = action[members]
            scored = np.isin(acts, (SCORE, FINISH)).sum()
            if scored:
                reward = np.zeros(self.num_groups, dtype=np.float32)
                reward[g] = scored
                self.add_group_reward(reward)
            if (acts == SET_FIVE).any():
                self.set_group_reward(np.array([g]), 5.0)
            if (acts == FINISH).any():
                self.end_group_episode(np.array([g]), success=True)
        self._done_now[:] = action == QUIT

    def _observe(self, idx: np.ndarray | None) -> tuple[np.ndarray, ...]:
        sel = slice(None) if idx is None else idx
        rows = np.stack([self.agent_step_count[sel], self.group_step_count[self.group_index[sel]]], axis=1)
        return (rows.astype(np.float32),)


def _act(*codes: int) -> ActionTuple:
    return ActionTuple(np.zeros((len(codes), 0), np.float32), np.array(codes, np.int64)[:, None])


def test_group_ids_count_from_one_and_rewards_reach_every_member():
    """Agents 0,1 form group 1 and 2,3 group 2; a member's +1 per physics step reaches both members."""
    env = ToyGroupEnv()
    first = env.reset()
    assert first.group_id.tolist() == [1, 1, 2, 2]
    assert first.group_reward.tolist() == [0.0] * 4
    batch = env.step(_act(SCORE, NOTHING, NOTHING, NOTHING))
    # group 1: 2 physics steps x (+1 - 0.01); group 2: 2 x -0.01; individual rewards untouched
    np.testing.assert_allclose(batch.group_reward, [1.98, 1.98, -0.02, -0.02], rtol=1e-6)
    assert batch.reward.tolist() == [0.0] * 4
    assert not (batch.terminated | batch.truncated).any()
    assert batch.group_reward.dtype == np.float32 and batch.group_id.dtype == np.int32


def test_end_group_episode_terminates_members_together_mid_decision():
    """EndGroupEpisode at the first physics step ends both members (terminated, success) with that reward."""
    env = ToyGroupEnv()
    env.reset()
    env.step(_act(NOTHING, NOTHING, NOTHING, NOTHING))
    batch = env.step(_act(NOTHING, FINISH, NOTHING, NOTHING))
    assert batch.terminated.tolist() == [True, True, False, False]
    assert batch.success.tolist() == [True, True, False, False]
    assert not batch.truncated.any()
    # the ended members keep the group reward of the moment (-0.01 + 1); group 2 pays both steps
    np.testing.assert_allclose(batch.group_reward, [0.99, 0.99, -0.02, -0.02], rtol=1e-6)
    # their final observation is from that physics step (the controller's timer ticks after physics);
    # the next episode starts from zero counters
    np.testing.assert_array_equal(batch.final_obs[0][:2], [[3, 2], [3, 2]])
    np.testing.assert_array_equal(batch.obs[0], [[0, 0], [0, 0], [4, 4], [4, 4]])
    # ResetScene ran once more for group 1 only, before its agents' OnEpisodeBegin
    assert env.scene_resets.tolist() == [2, 1] and env.agent_begins.tolist() == [2, 2, 1, 1]
    assert env.completed_episodes == 2


def test_environment_max_step_interrupts_the_group():
    """A group whose controller timer reaches group_max_step is interrupted: truncated, not terminated."""
    env = ToyGroupEnv(group_max_step=3)
    env.reset()
    first = env.step(_act(NOTHING, NOTHING, NOTHING, NOTHING))
    assert not first.truncated.any()
    batch = env.step(_act(NOTHING, NOTHING, NOTHING, NOTHING))  # physics step 3 hits the limit
    assert batch.truncated.all() and not batch.terminated.any() and not batch.success.any()
    np.testing.assert_allclose(batch.group_reward, [-0.01] * 4, rtol=1e-6)
    np.testing.assert_array_equal(batch.final_obs[0], [[3, 3]] * 4)
    assert env.group_step_count.tolist() == [0, 0]
    assert env.scene_resets.tolist() == [2, 2]


def test_set_group_reward_overwrites_this_decisions_group_reward():
    """SetGroupReward(5), repeated on both physics steps, replaces the penalties added before it each time."""
    env = ToyGroupEnv()
    env.reset()
    env.step(_act(SCORE, NOTHING, NOTHING, NOTHING))
    batch = env.step(_act(SET_FIVE, NOTHING, NOTHING, NOTHING))
    np.testing.assert_allclose(batch.group_reward, [5.0, 5.0, -0.02, -0.02], rtol=1e-6)


def test_an_agent_ending_alone_leaves_its_group_running():
    """An individual EndEpisode ends only that agent; the group's scene is not reset."""
    env = ToyGroupEnv()
    env.reset()
    batch = env.step(_act(QUIT, NOTHING, NOTHING, NOTHING))
    assert batch.terminated.tolist() == [True, False, False, False]
    assert env.scene_resets.tolist() == [1, 1]
    assert env.agent_begins.tolist() == [2, 1, 1, 1]
    np.testing.assert_allclose(batch.group_reward, [-0.01, -0.02, -0.02, -0.02], rtol=1e-6)


def test_unregistered_agents_get_no_group_reward_or_end_and_report_group_zero():
    """UnregisterAgent: no group reward, no group end, group id 0; RegisterAgent undoes it."""
    env = ToyGroupEnv()
    env.reset()
    env.unregister_agents(np.array([1]))
    batch = env.step(_act(FINISH, NOTHING, NOTHING, NOTHING))
    assert batch.group_id.tolist() == [1, 0, 2, 2]
    assert batch.terminated.tolist() == [True, False, False, False]
    np.testing.assert_allclose(batch.group_reward, [0.99, 0.0, -0.02, -0.02], rtol=1e-6)
    env.register_agents(np.array([1]))
    batch = env.step(_act(NOTHING, SCORE, NOTHING, NOTHING))
    assert batch.group_id.tolist() == [1, 1, 2, 2]
    np.testing.assert_allclose(batch.group_reward[:2], [1.98, 1.98], rtol=1e-6)


def test_bad_group_settings_are_spec_errors():
    """num_agents must fill whole groups; negative group settings are refused."""
    with pytest.raises(SpecError, match="multiple of 2"):
        ToyGroupEnv(num_agents=3)
    with pytest.raises(SpecError, match="group_max_step"):
        ToyGroupEnv(group_max_step=-1)


def test_single_agent_tasks_report_no_groups():
    """Single-agent tasks leave group_id/group_reward None; the behavior API reports group 0 and reward 0."""
    env = make("Basic", num_agents=2)
    assert env.reset().group_id is None
    batch = env.step(_act(0, 0))
    assert batch.group_id is None and batch.group_reward is None
    api = SimBehaviorEnv("Basic", num_agents=2)
    api.reset()
    decision, _ = api.get_steps("Basic")
    assert decision.group_id.tolist() == [0, 0] and decision.group_reward.tolist() == [0.0, 0.0]


def test_behavior_api_reports_group_ids_and_group_rewards():
    """Decision and terminal steps carry real group ids and rewards; terminal steps keep the group reward."""
    api = SimBehaviorEnv(ToyGroupEnv())
    api.reset()
    api.set_actions("ToyGroup", _act(SCORE, NOTHING, NOTHING, NOTHING))
    api.step()
    decision, terminal = api.get_steps("ToyGroup")
    assert decision.group_id.tolist() == [1, 1, 2, 2] and len(terminal) == 0
    np.testing.assert_allclose(decision.group_reward, [1.98, 1.98, -0.02, -0.02], rtol=1e-6)
    agent = int(decision.agent_id[0])
    assert decision[agent].group_id == 1 and decision[agent].group_reward == pytest.approx(1.98)
    api.set_actions("ToyGroup", _act(NOTHING, NOTHING, FINISH, NOTHING))
    api.step()
    decision, terminal = api.get_steps("ToyGroup")
    assert terminal.group_id.tolist() == [2, 2]
    np.testing.assert_allclose(terminal.group_reward, [0.99, 0.99], rtol=1e-6)
    assert not terminal.interrupted.any()
    # the new episodes' first decisions carry no reward of the old one
    assert decision.group_reward[2:].tolist() == [0.0, 0.0]
