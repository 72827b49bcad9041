"""MA-POCA: group indexing, lambda-returns, the group critic's masking and baseline, rewards, ends, export."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch

from mlops_unity_pipeline.errors import ConfigError
from mlops_unity_pipeline.rl.config import RunOptions, load_run_options
from mlops_unity_pipeline.rl.learn import LearnOptions, learn, make_trainer
from mlops_unity_pipeline.rl.poca import (
    BASELINE_ESTIMATE,
    BASELINE_LOSS,
    GROUP_CUMULATIVE_REWARD,
    POCABatch,
    POCATrainer,
    group_mates,
    lambda_returns,
    poca_losses,
)
from mlops_unity_pipeline.rl.poca_critic import GroupCritic, flat_actions
from mlops_unity_pipeline.rl.support import check_supported
from mlops_unity_pipeline.spaces import ActionSpec, ActionTuple, BehaviorSignature, ObservationSpec, StepBatch
from tests.conftest import anchor

from .group_env import GroupCue
from .helpers import ppo_options
from .toy_env import LineTarget

SIG = BehaviorSignature("G", (ObservationSpec((4,)),), ActionSpec(1, (3,)))


def poca_options(behavior: str = "GroupCue", **kwargs) -> RunOptions:
    """A small POCA configuration (PPO's test settings with trainer_type poca)."""
    data = ppo_options(behavior, **kwargs).to_dict()
    settings = data["behaviors"][behavior]
    settings["trainer_type"] = "poca"
    settings["hyperparameters"].pop("shared_critic", None)  # a PPO-only key
    settings["network_settings"]["normalize"] = False
    return RunOptions.from_dict(data)


def _trainer(num_agents: int = 3, strength: float = 1.0, **kwargs) -> POCATrainer:
    data = poca_options("G", results_dir="unused", **kwargs).to_dict()
    data["behaviors"]["G"]["reward_signals"]["extrinsic"]["strength"] = strength
    settings = RunOptions.from_dict(data).behavior_settings("G")
    return POCATrainer(SIG, settings, num_agents, seed=0)


def _batch(n, *, reward=None, group_reward=None, group_id=None, terminated=None, truncated=None, seed=0):
    rng = np.random.default_rng(seed)
    obs = rng.normal(size=(n, 4)).astype(np.float32)
    zeros = np.zeros(n, bool)
    return StepBatch(
        obs=(obs,),
        reward=np.zeros(n, np.float32) if reward is None else np.asarray(reward, np.float32),
        terminated=zeros if terminated is None else np.asarray(terminated, bool),
        truncated=zeros if truncated is None else np.asarray(truncated, bool),
        final_obs=(obs + 1.0,),
        action_mask=np.ones((n, 3), bool),
        success=zeros,
        group_id=None if group_id is None else np.asarray(group_id, np.int32),
        group_reward=None if group_reward is None else np.asarray(group_reward, np.float32),
    )


# --- groups and returns ---
def test_group_mates_lists_the_other_members_in_row_order():
    """ids [1,1,0,2,1,2]: row 0 -> [1,4], row 2 (no group) -> none, row 3 -> [5] padded with -1."""
    mates = group_mates(np.array([1, 1, 0, 2, 1, 2]), 6)
    expected = [[1, 4], [0, 4], [-1, -1], [5, -1], [0, 1], [3, -1]]
    np.testing.assert_array_equal(mates, expected)


def test_group_mates_of_a_single_agent_world_is_empty():
    """No group ids (None) or only zeros: every agent has no groupmate."""
    assert group_mates(None, 4).shape == (4, 0)
    assert group_mates(np.zeros(4), 4).shape == (4, 0)


def test_lambda_returns_match_upstream_recurrence():
    """r=[1,0,2], V=[.5,.4,.3], terminal, gamma .9, lambda .8 -> G=[2.14768, 1.494, 2.0] (by hand)."""
    returns = lambda_returns(
        np.array([[1.0, 0.0, 2.0]]), np.array([[0.5, 0.4, 0.3]]), np.array([0.0]), np.array([3]), 0.9, 0.8
    )
    np.testing.assert_allclose(returns[0], [2.14768, 1.494, 2.0], rtol=1e-5)


def test_lambda_returns_bootstrap_and_padding():
    """A cut row bootstraps (G_last = r + gamma V_next); a shorter row's padding stays 0."""
    returns = lambda_returns(
        np.array([[0.0, 1.0], [1.0, 9.0]]),
        np.array([[0.2, 0.4], [0.3, 9.0]]),
        np.array([2.0, 1.0]),
        np.array([2, 1]),
        0.5,
        0.5,
    )
    last = 1.0 + 0.5 * 2.0
    np.testing.assert_allclose(returns[0], [0.5 * (0.5 * 0.4 + 0.5 * last), last], rtol=1e-6)
    np.testing.assert_allclose(returns[1], [1.0 + 0.5 * 1.0, 0.0], rtol=1e-6)


# --- the group critic ---
def _critic(seed: int = 0) -> GroupCritic:
    torch.manual_seed(seed)
    return GroupCritic(SIG, 32, 2, normalize=False)


def test_an_absent_member_changes_nothing():
    """Padding slots (any finite contents, present 0) give the same value and baseline as no slot at all."""
    critic = _critic()
    obs, mate = torch.randn(5, 4), torch.randn(5, 1, 4)
    act = flat_actions(torch.randn(5, 1, 1), torch.randint(0, 3, (5, 1, 1)), (3,))
    garbage = torch.full((5, 2, 4), 1e3)
    garbage_act = torch.full((5, 2, 4), -50.0)
    present = torch.ones(5, 1)
    padded_present = torch.cat([present, torch.zeros(5, 2)], 1)
    with torch.no_grad():
        v1 = critic.values(obs, mate, present)
        b1 = critic.baselines(obs, mate, act, present)
        critic.max_agents.fill_(2.0)  # the padded call must not count its empty slots
        v3 = critic.values(obs, torch.cat([mate, garbage], 1), padded_present)
        b3 = critic.baselines(
            obs, torch.cat([mate, garbage], 1), torch.cat([act, garbage_act], 1), padded_present
        )
    torch.testing.assert_close(v1, v3, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(b1, b3, rtol=1e-5, atol=1e-6)
    assert critic.max_agents.item() == 2.0


def test_one_pass_equals_the_separate_value_and_baseline_passes():
    """values_and_baselines (the update's stacked pass) returns exactly values() and baselines()."""
    critic = _critic()
    obs, mates = torch.randn(6, 4), torch.randn(6, 2, 4)
    acts = flat_actions(torch.randn(6, 2, 1), torch.randint(0, 3, (6, 2, 1)), (3,))
    present = torch.tensor([[1.0, 1.0], [1.0, 0.0], [0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    with torch.no_grad():
        values, baselines = critic.values_and_baselines(obs, mates, acts, present)
        torch.testing.assert_close(values, critic.values(obs, mates, present))
        torch.testing.assert_close(baselines, critic.baselines(obs, mates, acts, present))


def test_values_ignore_the_order_of_groupmates():
    """Attention with mean pooling: swapping two groupmates leaves the group value unchanged."""
    critic = _critic()
    obs, mates = torch.randn(4, 4), torch.randn(4, 2, 4)
    with torch.no_grad():
        a = critic.values(obs, mates, torch.ones(4, 2))
        b = critic.values(obs, mates.flip(1), torch.ones(4, 2))
    torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)


def test_group_critic_encodes_visual_and_variable_length_sensors():
    """A camera + BufferSensor + vector behavior: members' rows go through the behavior's encoders."""
    sig = BehaviorSignature(
        "V",
        (ObservationSpec((3, 20, 20)), ObservationSpec((4, 5)), ObservationSpec((6,))),
        ActionSpec(0, (2,)),
    )
    torch.manual_seed(0)
    critic = GroupCritic(sig, 16, 1, normalize=True)
    size = 3 * 20 * 20 + 4 * 5 + 6
    obs, mates = torch.rand(5, size), torch.rand(5, 2, size)
    acts = flat_actions(torch.zeros(5, 2, 0), torch.randint(0, 2, (5, 2, 1)), (2,))
    values, baselines = critic.values_and_baselines(obs, mates, acts, torch.ones(5, 2))
    assert values.shape == (5,) and baselines.shape == (5,) and torch.isfinite(values).all()
    assert critic.obs_embedding[0].in_features == critic.observations.out_size


def test_member_count_feature_uses_the_largest_group_seen():
    """The head's extra input is 2 n / max_n - 1: 0 for a lone agent once a pair was seen, 1 for the pair."""
    critic = _critic()
    seen = []
    critic.head.register_forward_hook(lambda module, inputs, output: seen.append(inputs[0][:, -1].clone()))
    with torch.no_grad():
        critic.values(torch.randn(2, 4), torch.randn(2, 1, 4), torch.tensor([[1.0], [0.0]]))
    torch.testing.assert_close(seen[-1], torch.tensor([1.0, 0.0]))
    assert critic.max_agents.item() == 2.0


def test_baseline_marginalises_the_agents_own_action():
    """R = a_1 AND a_2 (fair coins): trained V = 0.25 and b_1(a_2) = E[R | a_2] = {0, 0.5}, mean = V."""
    critic = _critic(1)
    sig_obs = torch.zeros(512, 4)
    gen = torch.Generator().manual_seed(0)
    a1 = torch.randint(0, 2, (512,), generator=gen)
    a2 = torch.randint(0, 2, (512,), generator=gen)
    target = (a1 * a2).float()
    mate_act = flat_actions(torch.zeros(512, 1, 1), a2.reshape(512, 1, 1), (3,))
    present = torch.ones(512, 1)
    opt = torch.optim.Adam(critic.parameters(), lr=3e-3)
    for _ in range(300):
        values = critic.values(sig_obs, sig_obs[:, None], present)
        baselines = critic.baselines(sig_obs, sig_obs[:, None], mate_act, present)
        loss = ((values - target) ** 2).mean() + ((baselines - target) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        value = critic.values(sig_obs[:1], sig_obs[:1, None], present[:1]).item()
        both = flat_actions(torch.zeros(2, 1, 1), torch.tensor([0, 1]).reshape(2, 1, 1), (3,))
        b = critic.baselines(sig_obs[:2], sig_obs[:2, None], both, present[:2]).numpy()
    assert value == pytest.approx(0.25, abs=0.05)
    np.testing.assert_allclose(b, [0.0, 0.5], atol=0.06)
    assert b.mean() == pytest.approx(value, abs=0.06)


def test_poca_losses_clip_the_ratio_with_policy_epsilon_and_estimates_with_value_epsilon():
    """Hand-computed: ratio e^0.5 clipped at 1.2 (policy eps .2); value 2 vs old 1 clipped at 1.1 (eps .1)."""

    class FixedActor:
        def evaluate(self, obs, continuous, discrete, masks):
            return torch.full((1, 1), 0.5), torch.tensor([0.3])

    class FixedCritic:
        def values_and_baselines(self, obs, mate_obs, mate_actions, present):
            return torch.tensor([2.0]), torch.tensor([0.0])

    one = torch.ones(1)
    mb = POCABatch(
        torch.zeros(1, 4), torch.zeros(1, 1), torch.zeros(1, 1), torch.ones(1, 3), torch.zeros(1, 1),
        one, 3.0 * one, one, 0.5 * one, torch.zeros(1, 0, 4), torch.zeros(1, 0, 4), torch.zeros(1, 0),
    )  # fmt: skip
    policy, value, baseline, entropy = poca_losses(FixedActor(), FixedCritic(), mb, 0.2, 0.1)
    assert policy.item() == pytest.approx(-1.2)  # -min(e^0.5 * 1, 1.2 * 1)
    assert value.item() == pytest.approx(max((3 - 2) ** 2, (3 - 1.1) ** 2))  # clipped around old value 1
    assert baseline.item() == pytest.approx(max((3 - 0) ** 2, (3 - 0.4) ** 2))  # clipped around old 0.5
    assert entropy.item() == pytest.approx(0.3)


# --- rewards, group ends, statistics ---
def test_reward_is_own_plus_groupmates_plus_group_reward_times_strength():
    """Agents 0-1 share group 1, agent 2 is alone: rewards (1, 2, 4), group reward 0.5, strength 2."""
    trainer = _trainer(strength=2.0)
    first = _batch(3, group_id=[1, 1, 0])
    trainer.observe(first)  # nothing pending: ignored
    trainer.act(first)
    trainer.observe(_batch(3, reward=[1.0, 2.0, 4.0], group_reward=[0.5, 0.5, 0.0], group_id=[1, 1, 0]))
    np.testing.assert_allclose(trainer.trajectories.rewards[:, 0], [2 * 3.5, 2 * 3.5, 2 * 4.0])
    present = trainer.group_columns.present[:, 0]
    np.testing.assert_array_equal(present[:, :1], [[1.0], [1.0], [0.0]])


@pytest.mark.parametrize(
    ("terminated", "truncated", "zero_after"),
    [
        ([True, False, False], [False, False, False], [False]),  # agent 0 left: its group plays on
        ([True, True, False], [False, False, False], [True, True]),  # the whole group terminated
        # the group ended; the interrupted member bootstraps, the terminated one does not (per agent upstream)
        ([False, True, False], [True, False, False], [False, True]),
    ],
    ids=["left-early", "group-terminated", "group-interrupted"],
)
def test_value_after_a_trajectory_is_zero_only_when_the_whole_group_terminated(
    terminated, truncated, zero_after
):
    """Upstream's bootstrap rule: done, all groupmates done, and not interrupted."""
    trainer = _trainer()
    first = _batch(3, group_id=[1, 1, 0])
    trainer.act(first)
    trainer.observe(_batch(3, group_id=[1, 1, 0], terminated=terminated, truncated=truncated))
    segment = trainer._closed[-1]
    closed = [agent for agent in segment.base.agents if agent < 2]
    assert list(segment.base.terminated[: len(closed)]) == zero_after


def test_a_leaving_agent_bootstraps_from_its_groupmates_next_observations():
    """Agent 0 leaves: the bootstrap entities are its final observation and agent 1's next observation."""
    trainer = _trainer()
    trainer.act(_batch(3, group_id=[1, 1, 0]))
    after = _batch(3, group_id=[0, 1, 0], terminated=[True, False, False], seed=5)
    trainer.observe(after)
    segment = trainer._closed[-1]
    assert list(segment.base.agents) == [0]
    np.testing.assert_allclose(segment.base.bootstrap_obs[0], after.final_obs[0][0])
    np.testing.assert_allclose(segment.bootstrap_mate_obs[0, 0], after.obs[0][1])
    assert segment.bootstrap_mate_present[0, 0] == 1.0


def test_group_cumulative_reward_is_recorded_when_the_group_finishes():
    """An agent leaving early records nothing; members ending together record their episode's group reward."""
    trainer = _trainer()
    trainer.act(_batch(3, group_id=[1, 1, 0]))
    trainer.observe(
        _batch(3, group_id=[1, 1, 0], group_reward=[0.5, 0.5, 0.0], terminated=[True, False, False])
    )
    assert GROUP_CUMULATIVE_REWARD not in trainer.pop_stats()
    trainer.act(_batch(3, group_id=[2, 1, 0]))
    trainer.observe(
        _batch(3, group_id=[2, 1, 0], group_reward=[0.0, 1.0, 0.0], truncated=[False, True, False])
    )
    assert trainer.pop_stats()[GROUP_CUMULATIVE_REWARD] == [1.5]


def test_extrinsic_reward_statistic_sums_the_agents_signal_over_its_episode():
    """Policy/Extrinsic Reward: own + groupmates' + group reward over each ended episode (upstream's sum)."""
    trainer = _trainer()
    trainer.act(_batch(3, group_id=[1, 1, 0]))
    trainer.observe(_batch(3, group_id=[1, 1, 0], reward=[1.0, 2.0, 0.0], group_reward=[0.5, 0.5, 0.0]))
    trainer.act(_batch(3, group_id=[1, 1, 0]))
    trainer.observe(
        _batch(3, group_id=[1, 1, 0], group_reward=[1.0, 1.0, 0.0], truncated=[True, True, False])
    )
    assert sorted(trainer.pop_stats()["Policy/Extrinsic Reward"]) == [4.5, 4.5]


def test_groups_that_grow_mid_trajectory_widen_the_stored_slots():
    """A third member joining mid-trajectory: earlier steps keep one present slot, later ones two."""
    trainer = _trainer()
    trainer.act(_batch(3, group_id=[1, 1, 0]))
    trainer.observe(_batch(3, group_id=[1, 1, 1]))
    trainer.act(_batch(3, group_id=[1, 1, 1]))
    trainer.observe(_batch(3, group_id=[1, 1, 1]))
    present = trainer.group_columns.present[0, :2]
    np.testing.assert_array_equal(present, [[1.0, 0.0], [1.0, 1.0]])


# --- training, checkpoints, export, configuration ---
def test_trainer_updates_and_logs_upstream_tags():
    """A few buffers on the toy group task: one update at least, upstream's POCA tags, finite losses."""
    env = GroupCue(2, sacrifice_bonus=2.0)
    data = poca_options(results_dir="unused").to_dict()
    settings = RunOptions.from_dict(data).behavior_settings("GroupCue")
    trainer = make_trainer(env.signature, settings, env.num_agents, 0)
    assert isinstance(trainer, POCATrainer)
    batch = env.reset(seed=0)
    while trainer.update_count < 2:
        batch = env.step(trainer.act(batch))
        trainer.observe(batch)
    stats = trainer.pop_stats()
    for tag in (
        BASELINE_LOSS,
        BASELINE_ESTIMATE,
        "Losses/Value Loss",
        "Losses/Policy Loss",
        "Policy/Entropy",
    ):
        assert tag in stats and np.isfinite(stats[tag]).all()
    assert trainer.critic.max_agents.item() == 3.0


def test_learn_runs_poca_and_exports_the_actor_in_mlagents_format(tmp_path, capsys):
    """learn() runs trainer_type poca (console shows the group reward); its ONNX is PPO's and runs."""
    options = poca_options(
        results_dir=str(tmp_path), max_steps=600, summary_freq=300, checkpoint_interval=600
    )
    result = learn(LearnOptions(options, env_factory=lambda n, seed: GroupCue(2, seed=seed)))
    out = capsys.readouterr().out
    assert "GroupCue. Step: 300. " in out and "Mean Group Reward: " in out
    path = tmp_path / "run" / "GroupCue.onnx"
    assert result.behaviors["GroupCue"].steps >= 600 and path.is_file()
    model = onnx.load(str(path))
    onnx.checker.check_model(model)
    assert [i.name for i in model.graph.input] == ["obs_0", "action_masks"]
    assert [o.name for o in model.graph.output] == [
        "version_number",
        "memory_size",
        "discrete_actions",
        "discrete_action_output_shape",
        "deterministic_discrete_actions",
    ]
    obs = GroupCue(2).reset(seed=0).obs[0]
    session = ort.InferenceSession(str(path))
    names = [o.name for o in session.get_outputs()]
    out = dict(
        zip(
            names, session.run(None, {"obs_0": obs, "action_masks": np.ones((6, 3), np.float32)}), strict=True
        )
    )
    state = torch.load(tmp_path / "run" / "GroupCue" / "checkpoint.pt", weights_only=False)
    assert state["algorithm"] == "poca" and {"Policy", "Critic"} <= set(state)
    trainer = make_trainer(GroupCue(2).signature, options.behavior_settings("GroupCue"), 6, 0)
    trainer.load_state_dict(state)
    with torch.no_grad():
        _, _, lps = trainer.actor.heads(torch.from_numpy(obs))
    np.testing.assert_array_equal(out["deterministic_discrete_actions"][:, 0], lps[0].argmax(1).numpy())
    assert trainer.step == state["global_step"] and trainer.critic.max_agents.item() == 3.0


def test_resume_continues_a_poca_run(tmp_path):
    """--resume after 600 steps: the run continues to 900 from the checkpoint (critic state included)."""
    factory = lambda n, seed: GroupCue(2, seed=seed)  # noqa: E731 - a one-line env factory
    first = poca_options(results_dir=str(tmp_path), max_steps=600, summary_freq=300, checkpoint_interval=600)
    learn(LearnOptions(first, env_factory=factory, quiet=True))
    again = poca_options(results_dir=str(tmp_path), max_steps=900, summary_freq=300, resume=True)
    result = learn(LearnOptions(again, env_factory=factory, quiet=True))
    state = torch.load(tmp_path / "run" / "GroupCue" / "checkpoint.pt", weights_only=False)
    assert result.behaviors["GroupCue"].steps >= 900 and state["global_step"] >= 900
    assert state["Critic"]["max_agents"].item() == 3.0


def test_poca_on_a_single_agent_world_treats_each_agent_as_its_own_group(tmp_path):
    """group_id None (LineTarget, continuous): every agent is groupless; POCA still trains and updates."""
    options = poca_options("Line", results_dir=str(tmp_path), max_steps=600, summary_freq=300)
    result = learn(LearnOptions(options, env_factory=lambda n, seed: LineTarget(4, seed=seed), quiet=True))
    state = torch.load(tmp_path / "run" / "Line" / "checkpoint.pt", weights_only=False)
    assert result.behaviors["Line"].steps >= 600 and state["update_count"] >= 1
    assert state["Critic"]["max_agents"].item() == 1.0


@pytest.mark.parametrize("name", ["PushBlockCollab", "DungeonEscape"])
def test_upstream_poca_configs_build_a_trainer_unchanged(name):
    """config/poca/<name>.yaml passes the support check and builds a POCATrainer as written."""
    options = load_run_options(anchor(f"config/poca/{name}.yaml"))
    check_supported(options, name)
    trainer = make_trainer(SIG, options.behavior_settings(name), 3, 0)
    assert isinstance(trainer, POCATrainer) and trainer.critic.head.in_features == 257


def test_poca_with_self_play_is_refused_naming_the_key():
    """SoccerTwos (POCA + self_play): the ghost trainer is not built, and the error names self_play."""
    options = load_run_options(anchor("config/poca/SoccerTwos.yaml"))
    with pytest.raises(ConfigError, match=r"behaviors\.SoccerTwos\.self_play"):
        check_supported(options, "SoccerTwos")


def test_poca_with_behavioral_cloning_and_gail_logs_their_tags(tmp_path):
    """POCA + behavioral_cloning + gail on the Basic simulator task (as PPO runs them): tags and state."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    demo = str(anchor("demos/ExpertBasic.demo"))
    data = poca_options("Basic", results_dir=str(tmp_path), max_steps=600, summary_freq=200).to_dict()
    behavior = data["behaviors"]["Basic"]
    behavior["hyperparameters"].update(batch_size=32, buffer_size=128)
    behavior["behavioral_cloning"] = {"demo_path": demo, "strength": 0.5, "steps": 400}
    behavior["reward_signals"]["gail"] = {"demo_path": demo, "strength": 0.1, "gamma": 0.9}
    result = learn(LearnOptions(RunOptions.from_dict(data), env="sim:Basic", quiet=True))
    events = EventAccumulator(str(result.run_dir / "Basic"))
    events.Reload()
    tags = set(events.Tags()["scalars"])
    assert {"Losses/Pretraining Loss", "Losses/GAIL Loss", "Policy/Gail Reward", BASELINE_LOSS} <= tags
    state = torch.load(result.run_dir / "Basic" / "checkpoint.pt", weights_only=False)
    assert {"Policy", "Critic", "GAIL", "GAILCritic", "BC_optimizer", "GAIL_optimizer"} <= set(state)


@pytest.mark.parametrize("signal", ["curiosity", "rnd"])
def test_intrinsic_signals_get_their_own_value_and_baseline_heads(signal):
    """POCA + curiosity/rnd: two heads, per-signal returns, the signal's model trains, upstream's tags."""
    env = GroupCue(2)
    data = poca_options(results_dir="unused").to_dict()
    data["behaviors"]["GroupCue"]["reward_signals"][signal] = {"gamma": 0.9, "strength": 0.5}
    trainer = make_trainer(env.signature, RunOptions.from_dict(data).behavior_settings("GroupCue"), 6, 0)
    assert trainer.critic.head.out_features == 2 and len(trainer.signals) == 1
    batch = env.reset(seed=0)
    seen: list[POCABatch] = []
    original = trainer._buffer
    trainer._buffer = lambda: seen.append(original()) or seen[-1]  # type: ignore[method-assign]
    while trainer.update_count < 1:
        batch = env.step(trainer.act(batch))
        trainer.observe(batch)
    assert seen[0].returns.shape[1] == 2 and seen[0].old_baselines.shape[1] == 2
    stats = trainer.pop_stats()
    name = signal.capitalize()
    for tag in (f"Policy/{name} Reward", f"Policy/{name} Value Estimate", f"Policy/{name} Baseline Estimate"):
        assert tag in stats and np.isfinite(stats[tag]).all()
    assert any(key.startswith("Losses/") and (name in key or signal.upper() in key) for key in stats)
    expected = {"curiosity": {"Curiosity"}, "rnd": {"RNDPredictor", "RNDTarget"}}[signal]
    assert expected <= set(trainer.modules())  # checkpointed with the policy


def test_act_returns_env_actions_for_every_agent():
    """Actions for each row, discrete in range, continuous in [-1, 1]."""
    trainer = _trainer()
    actions = trainer.act(_batch(3, group_id=[1, 1, 0]))
    assert isinstance(actions, ActionTuple)
    assert actions.discrete.shape == (3, 1) and ((actions.discrete >= 0) & (actions.discrete < 3)).all()
    assert actions.continuous.shape == (3, 1) and (np.abs(actions.continuous) <= 1.0).all()
