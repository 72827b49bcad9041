"""Nothing accepted and ignored: every Release 22 setting the built-in trainer lacks is an error naming it."""

from __future__ import annotations

import logging

import numpy as np
import pytest
import torch

from mlops_unity_pipeline.errors import ConfigError, TrainError
from mlops_unity_pipeline.rl.config import RunOptions
from mlops_unity_pipeline.rl.distributions import CONTINUOUS_CLIP
from mlops_unity_pipeline.rl.learn import LearnOptions, learn
from mlops_unity_pipeline.rl.ppo import PPOTrainer
from mlops_unity_pipeline.rl.results import read_training_status
from mlops_unity_pipeline.rl.sac import SACTrainer
from mlops_unity_pipeline.rl.support import check_supported

from .helpers import ppo_options, sac_options
from .toy_env import LineTarget


def _factory(num_agents, seed):
    return LineTarget(4, seed=seed)


def _with(data: dict, path: str, value) -> dict:
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value
    return data


def _curriculum(behavior: str) -> dict:
    return {
        "size": {
            "curriculum": [
                {"name": "a", "value": 1.0, "completion_criteria": {"behavior": behavior, "threshold": 0.5}},
                {"name": "b", "value": 2.0},
            ]
        }
    }


UNSUPPORTED = [
    ("torch_settings.device", "cuda", "torch_settings.device"),
    ("checkpoint_settings.inference", True, "checkpoint_settings.inference"),
    ("environment_parameters", _curriculum("Other"), "size.curriculum.0.completion_criteria.behavior"),
]


@pytest.mark.parametrize(("path", "value", "named"), UNSUPPORTED, ids=[u[0] for u in UNSUPPORTED])
def test_unimplemented_setting_is_a_config_error_naming_it(tmp_path, path, value, named):
    """learn() refuses the run before creating its folder, naming the key (never a warning)."""
    data = _with(ppo_options(results_dir=str(tmp_path)).to_dict(), path, value)
    with pytest.raises(ConfigError, match=named.replace(".", r"\.")):
        learn(LearnOptions(RunOptions.from_dict(data), env_factory=_factory, quiet=True))
    assert not (tmp_path / "run").exists()


def test_poca_is_built_in_with_memory_and_so_is_a_recurrent_shared_critic(tmp_path):
    """trainer_type poca passes, with memory too; so does PPO's shared_critic with memory."""
    data = ppo_options(results_dir=str(tmp_path)).to_dict()
    data["behaviors"]["Line"].update(trainer_type="poca", hyperparameters={})
    check_supported(RunOptions.from_dict(data), "Line")
    data["behaviors"]["Line"]["network_settings"]["memory"] = {"memory_size": 32, "sequence_length": 8}
    check_supported(RunOptions.from_dict(data), "Line")
    data["behaviors"]["Line"].update(trainer_type="ppo", hyperparameters={"shared_critic": True})
    check_supported(RunOptions.from_dict(data), "Line")


def test_save_replay_buffer_writes_at_the_end_and_resume_reads_it(tmp_path):
    """SAC save_replay_buffer: last_replay_buffer.pt at the end of the run; --resume starts with it filled."""
    data = sac_options(results_dir=str(tmp_path), max_steps=400, summary_freq=200).to_dict()
    data["behaviors"]["Line"]["hyperparameters"]["save_replay_buffer"] = True
    learn(LearnOptions(RunOptions.from_dict(data), env_factory=_factory, quiet=True))
    saved = torch.load(tmp_path / "run" / "Line" / "last_replay_buffer.pt", weights_only=False)
    assert saved["size"] == 400 and saved["obs"].shape == (400, 2)
    data["behaviors"]["Line"]["max_steps"] = 404  # one more decision of 4 agents after resuming
    data["checkpoint_settings"]["resume"] = True
    seen = {}
    original = SACTrainer.observe

    def observe(self, batch):
        seen.setdefault("size_at_first_observe", self.replay.size)
        original(self, batch)

    SACTrainer.observe = observe
    try:
        learn(LearnOptions(RunOptions.from_dict(data), env_factory=_factory, quiet=True))
    finally:
        SACTrainer.observe = original
    assert seen["size_at_first_observe"] == 400
    np.testing.assert_array_equal(
        torch.load(tmp_path / "run" / "Line" / "last_replay_buffer.pt", weights_only=False)["obs"][:400],
        saved["obs"],
    )


def test_replay_buffer_that_does_not_fit_is_a_train_error(tmp_path):
    """A replay file of another behavior shape: TrainError naming the file, not a crash later."""
    trainer = SACTrainer(
        LineTarget(4).signature, sac_options(results_dir=str(tmp_path)).behaviors["Line"], 4, 0
    )
    state = trainer.replay.state_dict()
    state["obs"] = np.zeros((0, 5), np.float32)
    torch.save(state, tmp_path / "r.pt")
    with pytest.raises(TrainError, match=r"r\.pt"):
        trainer.load_replay(tmp_path / "r.pt")


def test_every_problem_is_named_in_one_error(tmp_path):
    """Several unimplemented settings: one error lists each of them."""
    data = ppo_options(results_dir=str(tmp_path)).to_dict()
    data["checkpoint_settings"]["inference"] = True
    data["torch_settings"] = {"device": "cuda:0"}
    with pytest.raises(ConfigError) as err:
        check_supported(RunOptions.from_dict(data), "Line")
    assert "inference" in str(err.value) and "torch_settings.device" in str(err.value)


def test_missing_extrinsic_signal_is_named(tmp_path):
    """GAIL alone: the built-in value network needs the extrinsic signal, and the error says so."""
    data = ppo_options(results_dir=str(tmp_path)).to_dict()
    data["behaviors"]["Line"]["reward_signals"] = {"gail": {"demo_path": "x.demo"}}
    with pytest.raises(ConfigError, match=r"behaviors\.Line\.reward_signals.*extrinsic"):
        check_supported(RunOptions.from_dict(data), "Line")


def test_supported_run_level_settings_pass(tmp_path):
    """threaded false, device cpu, a curriculum on the trained behavior: no error."""
    data = ppo_options(results_dir=str(tmp_path)).to_dict()
    data["torch_settings"] = {"device": "cpu"}
    data["environment_parameters"] = _curriculum("Line")
    check_supported(RunOptions.from_dict(data), "Line")


def test_checkpoint_interval_and_keep_checkpoints(tmp_path):
    """Numbered checkpoints every checkpoint_interval steps, only keep_checkpoints of them kept (+ final)."""
    opts = ppo_options(results_dir=str(tmp_path), max_steps=1000, summary_freq=500, checkpoint_interval=200)
    learn(LearnOptions(opts, env_factory=_factory, quiet=True))
    steps = [c["steps"] for c in read_training_status(tmp_path / "run")["Line"]["checkpoints"]]
    assert steps == [800, 1000]  # 200, 400, 600, 800 written; keep_checkpoints 2 keeps the last, then final
    onnx = sorted(p.name for p in (tmp_path / "run" / "Line").glob("Line-*.onnx"))
    assert onnx == ["Line-1000.onnx", "Line-800.onnx"]


def test_torch_device_cpu_trains(tmp_path):
    """torch_settings.device: cpu is accepted and trains."""
    data = ppo_options(results_dir=str(tmp_path), max_steps=200).to_dict()
    data["torch_settings"] = {"device": "cpu"}
    result = learn(LearnOptions(RunOptions.from_dict(data), env_factory=_factory, quiet=True))
    assert result.behaviors["Line"].steps >= 200


@pytest.mark.parametrize("algo", ["ppo", "sac"])
def test_deterministic_acts_with_the_mean(tmp_path, algo):
    """network_settings.deterministic: training actions are the mean of the policy (ML-Agents ActionModel)."""
    options = (ppo_options if algo == "ppo" else sac_options)(
        results_dir=str(tmp_path), extra={"network_settings": {"deterministic": True}}
    )
    if algo == "sac":
        data = options.to_dict()
        data["behaviors"]["Line"]["network_settings"]["deterministic"] = True
        options = RunOptions.from_dict(data)
    settings = options.behaviors["Line"]
    env = LineTarget(4)
    trainer = (PPOTrainer if algo == "ppo" else SACTrainer)(env.signature, settings, 4, seed=0)
    batch = env.reset(seed=0)
    first, second = trainer.act(batch).continuous, trainer.act(batch).continuous
    np.testing.assert_array_equal(first, second)
    with torch.no_grad():
        mean, _, _ = trainer.actor.heads(torch.from_numpy(batch.obs[0]))
    expected = torch.tanh(mean) if algo == "sac" else torch.clamp(mean, -3, 3) / CONTINUOUS_CLIP
    np.testing.assert_allclose(first, expected.numpy(), rtol=1e-6, atol=1e-7)


def test_sac_reward_signal_cadence_other_than_steps_per_update_is_named(tmp_path):
    """SAC + GAIL with reward_signal_steps_per_update != steps_per_update: an error naming the key."""
    data = sac_options(results_dir=str(tmp_path)).to_dict()
    behavior = data["behaviors"]["Line"]
    behavior["reward_signals"]["gail"] = {"demo_path": "x.demo"}
    behavior["hyperparameters"]["reward_signal_steps_per_update"] = 8
    with pytest.raises(ConfigError, match=r"reward_signal_steps_per_update: 8"):
        check_supported(RunOptions.from_dict(data), "Line")
    behavior["hyperparameters"]["reward_signal_steps_per_update"] = behavior["hyperparameters"][
        "steps_per_update"
    ]
    check_supported(RunOptions.from_dict(data), "Line")


@pytest.mark.parametrize("debug", [False, True])
def test_debug_logs_every_summary(tmp_path, caplog, debug):
    """debug: true (--debug) logs each summary's statistics at DEBUG level; the level is restored after."""
    data = ppo_options(results_dir=str(tmp_path), max_steps=400, summary_freq=200).to_dict()
    data["debug"] = debug
    package = logging.getLogger("mlops_unity_pipeline")
    before = package.level
    with caplog.at_level(logging.DEBUG, logger="mlops_unity_pipeline"):
        package.setLevel(logging.INFO)  # the capture handler takes DEBUG; only --debug lowers the logger
        learn(LearnOptions(RunOptions.from_dict(data), env_factory=_factory, quiet=True))
        lines = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
        assert package.level == logging.INFO
    package.setLevel(before)
    summaries = [line for line in lines if line.startswith("Line step ")]
    assert len(summaries) == (2 if debug else 0)
    if debug:
        assert "Policy/Entropy" in summaries[0]
