"""learn(): mlagents-learn results layout, resume (also after kill -9), initialize-from, force, failures."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from mlops_unity_pipeline.errors import ConfigError, JobCancelled, TrainError
from mlops_unity_pipeline.rl.config import RunOptions, load_run_options
from mlops_unity_pipeline.rl.learn import LearnOptions, ProgressEvent, learn
from mlops_unity_pipeline.rl.results import read_training_status

from .helpers import ppo_options, sac_options
from .toy_env import LineTarget

REPO = Path(__file__).resolve().parents[2]


def _factory(discrete=False, **kwargs):
    envs = []

    def make(num_agents, seed):
        env = LineTarget(8, discrete=discrete, seed=seed, **kwargs)
        envs.append(env)
        return env

    make.envs = envs
    return make


def test_results_layout_matches_mlagents_learn(tmp_path, capsys):
    """configuration.yaml, run_logs/{training_status,timers}.json, checkpoints, final .onnx, events."""
    opts = ppo_options(results_dir=str(tmp_path), max_steps=1200, summary_freq=400, checkpoint_interval=400)
    events: list[ProgressEvent] = []
    factory = _factory()
    result = learn(LearnOptions(opts, env_factory=factory, on_progress=events.append))
    run = tmp_path / "run"
    assert result.run_dir == run and factory.envs[0].closed
    assert (run / "configuration.yaml").is_file() and load_run_options(run / "configuration.yaml") == opts
    assert (run / "run_logs" / "timers.json").is_file()
    assert (run / "Line.onnx").is_file() and (run / "Line" / "checkpoint.pt").is_file()
    numbered = sorted(p.name for p in (run / "Line").glob("Line-*"))
    assert numbered == [
        "Line-1200.onnx",
        "Line-1200.pt",
        "Line-800.onnx",
        "Line-800.pt",
    ]  # keep_checkpoints 2
    assert list((run / "Line").glob("events.out.tfevents.*"))
    status = read_training_status(run)
    assert [c["steps"] for c in status["Line"]["checkpoints"]] == [800, 1200]
    assert status["Line"]["final_checkpoint"]["file_path"].endswith("Line.onnx")
    behavior = result.behaviors["Line"]
    assert behavior.steps == 1200 and behavior.onnx_path == run / "Line.onnx"
    assert [e.step for e in events] == [400, 800, 1200] and events[-1].max_steps == 1200
    assert [h[0] for h in behavior.history] == [400, 800, 1200]
    out = capsys.readouterr().out
    assert "Line. Step: 400. Time Elapsed: " in out and "Mean Reward: " in out and "Training." in out
    assert "\r" not in out  # no progress bar when stdout is not a terminal


def test_tensorboard_has_mlagents_tags(tmp_path):
    """The behavior's event file holds ML-Agents' scalar tags."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    learn(
        LearnOptions(
            ppo_options(results_dir=str(tmp_path), max_steps=800, summary_freq=400),
            quiet=True,
            env_factory=_factory(),
        )
    )
    acc = EventAccumulator(str(tmp_path / "run" / "Line"))
    acc.Reload()
    tags = set(acc.Tags()["scalars"])
    for tag in (
        "Environment/Cumulative Reward",
        "Environment/Episode Length",
        "Policy/Extrinsic Reward",
        "Losses/Policy Loss",
        "Losses/Value Loss",
        "Policy/Learning Rate",
        "Policy/Entropy",
        "Policy/Epsilon",
        "Policy/Beta",
        "Policy/Extrinsic Value Estimate",
    ):
        assert tag in tags, tag


def test_existing_run_needs_resume_or_force(tmp_path):
    """A second run with the same id fails clearly; --force overwrites."""
    opts = ppo_options(results_dir=str(tmp_path), max_steps=200)
    learn(LearnOptions(opts, env_factory=_factory(), quiet=True))
    with pytest.raises(ConfigError, match="--resume.*--force"):
        learn(LearnOptions(opts, env_factory=_factory(), quiet=True))
    forced = ppo_options(results_dir=str(tmp_path), max_steps=200, force=True)
    assert learn(LearnOptions(forced, env_factory=_factory(), quiet=True)).behaviors["Line"].steps == 200


def test_resume_continues_step_count_optimizer_and_normalizer(tmp_path):
    """--resume loads checkpoint.pt: the step continues and the saved state is the starting state."""
    learn(
        LearnOptions(
            ppo_options(results_dir=str(tmp_path), max_steps=400), env_factory=_factory(), quiet=True
        )
    )
    saved = torch.load(tmp_path / "run" / "Line" / "checkpoint.pt", weights_only=False)
    assert saved["global_step"] == 400 and "Optimizer_optimizer" in saved
    assert "encoder.normalizer.mean" in saved["Policy"]
    resumed = ppo_options(results_dir=str(tmp_path), max_steps=800, resume=True)
    steps_seen: list[int] = []
    result = learn(
        LearnOptions(
            resumed, env_factory=_factory(), quiet=True, on_progress=lambda e: steps_seen.append(e.step)
        )
    )
    assert result.behaviors["Line"].steps == 800
    assert steps_seen[0] > 400  # no summary before the resumed step


def test_resume_after_kill_9(tmp_path):
    """A run killed with SIGKILL mid-training resumes from its last checkpoint.pt (never half-written)."""
    script = (
        f"import sys; sys.path.insert(0, {str(REPO)!r})\n"
        "from tests.rl.helpers import ppo_options\n"
        "from tests.rl.toy_env import LineTarget\n"
        "from mlops_unity_pipeline.rl.learn import LearnOptions, learn\n"
        f"opts = ppo_options(results_dir={str(tmp_path)!r}, max_steps=10**7, summary_freq=200, "
        "checkpoint_interval=10**7)\n"
        "learn(LearnOptions(opts, env_factory=lambda n, s: LineTarget(8, seed=s), quiet=True))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=REPO)
    ckpt = tmp_path / "run" / "Line" / "checkpoint.pt"
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            if ckpt.exists() and torch.load(ckpt, weights_only=False)["global_step"] >= 600:
                break
            time.sleep(0.2)
        else:
            pytest.fail("no checkpoint written within 120 s")
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    step_at_kill = torch.load(ckpt, weights_only=False)["global_step"]
    resumed = ppo_options(
        results_dir=str(tmp_path),
        max_steps=step_at_kill + 400,
        summary_freq=200,
        checkpoint_interval=10**7,
        resume=True,
    )
    result = learn(LearnOptions(resumed, env_factory=_factory(), quiet=True))
    assert result.behaviors["Line"].steps == step_at_kill + 400
    assert (tmp_path / "run" / "Line.onnx").is_file()


def test_initialize_from_copies_weights_and_restarts_steps(tmp_path):
    """--initialize-from loads the other run's checkpoint weights; the new run starts at step 0."""
    learn(
        LearnOptions(
            ppo_options(results_dir=str(tmp_path), run_id="a", max_steps=400),
            env_factory=_factory(),
            quiet=True,
        )
    )
    source = torch.load(tmp_path / "a" / "Line" / "checkpoint.pt", weights_only=False)["Policy"]
    opts = ppo_options(results_dir=str(tmp_path), run_id="b", max_steps=400, initialize_from="a")
    with pytest.raises(JobCancelled):
        learn(LearnOptions(opts, env_factory=_factory(), quiet=True, should_stop=lambda: True))
    started = torch.load(tmp_path / "b" / "Line" / "checkpoint.pt", weights_only=False)
    assert started["global_step"] == 0
    for key, value in source.items():
        torch.testing.assert_close(started["Policy"][key], value)


def test_should_stop_checkpoints_then_raises_job_cancelled(tmp_path):
    """Cancellation writes checkpoint.pt and training_status.json, then raises JobCancelled."""
    calls = {"n": 0}

    def stop():
        calls["n"] += 1
        return calls["n"] > 50

    with pytest.raises(JobCancelled, match="cancelled at step 400"):
        learn(
            LearnOptions(
                ppo_options(results_dir=str(tmp_path), max_steps=10_000),
                env_factory=_factory(),
                quiet=True,
                should_stop=stop,
            )
        )
    assert torch.load(tmp_path / "run" / "Line" / "checkpoint.pt", weights_only=False)["global_step"] == 400
    assert (tmp_path / "run" / "run_logs" / "training_status.json").is_file()


def test_nan_stops_with_train_error_naming_step_and_checkpoint(tmp_path):
    """NaN rewards make the loss NaN: TrainError names the step and the last good checkpoint."""
    opts = ppo_options(results_dir=str(tmp_path), max_steps=10_000, summary_freq=200)
    with pytest.raises(TrainError, match=r"at step \d+.*last good checkpoint: .*checkpoint\.pt"):
        learn(LearnOptions(opts, env_factory=_factory(nan_after=60), quiet=True))


def test_behavior_missing_from_config_is_a_clear_error(tmp_path):
    """The env's behavior must be configured (or default_settings given); no run folder is created."""
    opts = ppo_options("Other", results_dir=str(tmp_path))
    with pytest.raises(ConfigError, match="'Line'.*Other"):
        learn(LearnOptions(opts, env_factory=_factory(), quiet=True))
    assert not (tmp_path / "run").exists()


def test_default_settings_train_an_unlisted_behavior(tmp_path):
    """default_settings apply to a behavior not listed under behaviors."""
    data = ppo_options("Other", results_dir=str(tmp_path), max_steps=200).to_dict()
    data["default_settings"] = data["behaviors"]["Other"]
    opts = RunOptions.from_dict(data)
    assert learn(LearnOptions(opts, env_factory=_factory(), quiet=True)).behaviors["Line"].steps == 200


def test_unknown_env_is_a_clear_error(tmp_path):
    """An unknown simulator task is a ConfigError; a missing player executable a TrainError naming it."""
    opts = ppo_options("3DBall", results_dir=str(tmp_path))
    with pytest.raises(ConfigError, match="Nope"):
        learn(LearnOptions(opts, env="sim:Nope"))
    with pytest.raises(TrainError, match="builds/3DBall.x86_64"):
        learn(LearnOptions(opts, env="builds/3DBall.x86_64"))
    assert not (tmp_path / "run").exists()


def test_environment_parameters_reach_the_env_and_lessons_are_recorded(tmp_path):
    """Samplers set env parameters; a progress curriculum advances and is stored as lesson_num."""
    data = ppo_options(results_dir=str(tmp_path), max_steps=800, summary_freq=400).to_dict()
    data["environment_parameters"] = {
        "speed": {"sampler_type": "uniform", "sampler_parameters": {"min_value": 1.0, "max_value": 2.0}},
        "size": {
            "curriculum": [
                {
                    "name": "small",
                    "value": 1.0,
                    "completion_criteria": {"behavior": "Line", "measure": "progress", "threshold": 0.25},
                },
                {"name": "big", "value": 3.0},
            ]
        },
    }
    factory = _factory()
    learn(LearnOptions(RunOptions.from_dict(data), env_factory=factory, quiet=True))
    params = factory.envs[0].params
    assert 1.0 <= params["speed"] <= 2.0 and params["size"] == 3.0
    assert read_training_status(tmp_path / "run")["size"] == {"lesson_num": 1}


@pytest.mark.parametrize("discrete", [False, True], ids=["continuous", "discrete"])
def test_sac_run_writes_results(tmp_path, discrete):
    """SAC trains (continuous and discrete), exports and records its loss tags."""
    opts = sac_options(results_dir=str(tmp_path), max_steps=600, summary_freq=300, checkpoint_interval=600)
    result = learn(LearnOptions(opts, env_factory=_factory(discrete=discrete), quiet=True))
    assert result.behaviors["Line"].steps == 600 and (tmp_path / "run" / "Line.onnx").is_file()
    state = torch.load(tmp_path / "run" / "Line" / "checkpoint.pt", weights_only=False)
    assert {"Policy", "Q1", "Q2", "Value", "TargetValue"} <= set(state)


def test_unsupported_setting_of_poca_is_a_config_error(tmp_path):
    """poca with memory and cloning of the recurrent policy pass; an unknown torch device is refused."""
    from mlops_unity_pipeline.rl.support import check_supported

    data = ppo_options(results_dir=str(tmp_path)).to_dict()
    data["behaviors"]["Line"]["trainer_type"] = "poca"
    data["behaviors"]["Line"]["hyperparameters"] = {}
    data["behaviors"]["Line"]["network_settings"]["memory"] = {"memory_size": 32, "sequence_length": 8}
    data["behaviors"]["Line"]["behavioral_cloning"] = {"demo_path": str(tmp_path / "x.demo"), "strength": 0.5}
    check_supported(RunOptions.from_dict(data), "Line")
    data["torch_settings"] = {"device": "cuda"}
    with pytest.raises(ConfigError, match=r"torch_settings\.device"):
        learn(LearnOptions(RunOptions.from_dict(data), env_factory=_factory(), quiet=True))
    assert not (tmp_path / "run").exists()


def test_init_path_warm_starts_actor_and_critic(tmp_path):
    """TrainerSettings.init_path (a .pt of ours, e.g. offline pretraining) loads the weights at step 0."""
    first = ppo_options(results_dir=str(tmp_path), run_id="a", max_steps=400)
    learn(LearnOptions(first, env_factory=_factory(), quiet=True))
    source = tmp_path / "a" / "Line" / "checkpoint.pt"
    opts = ppo_options(results_dir=str(tmp_path), run_id="b", extra={"init_path": str(source)})
    with pytest.raises(JobCancelled):
        learn(LearnOptions(opts, env_factory=_factory(), quiet=True, should_stop=lambda: True))
    started = torch.load(tmp_path / "b" / "Line" / "checkpoint.pt", weights_only=False)
    expected = torch.load(source, weights_only=False)
    for part in ("Policy", "Critic"):
        for key, value in expected[part].items():
            torch.testing.assert_close(started[part][key], value)


def test_missing_init_path_is_a_config_error(tmp_path):
    """An init_path that is not an existing .pt file is rejected with its path."""
    opts = ppo_options(results_dir=str(tmp_path), extra={"init_path": str(tmp_path / "nope.pt")})
    with pytest.raises(ConfigError, match="nope.pt"):
        learn(LearnOptions(opts, env_factory=_factory(), quiet=True))


def test_num_envs_multiplies_the_task_default_agents(tmp_path, monkeypatch):
    """--num-envs N on sim:TASK builds N areas of the task's default agents (Basic: 1 each)."""
    from mlops_unity_pipeline import sim

    seen = []
    real_make = sim.make

    def spy(task, **kwargs):
        seen.append(kwargs.get("num_agents"))
        return real_make(task, **kwargs)

    monkeypatch.setattr(sim, "make", spy)
    data = ppo_options("Basic", results_dir=str(tmp_path), max_steps=60).to_dict()
    data["env_settings"]["num_envs"] = 3
    learn(LearnOptions(RunOptions.from_dict(data), env="sim:Basic", quiet=True))
    assert seen[-1] == 3


def test_even_checkpoints_spread_over_max_steps(tmp_path):
    """even_checkpoints: checkpoint_interval = max_steps / keep_checkpoints (ML-Agents)."""
    opts = ppo_options(
        results_dir=str(tmp_path), max_steps=800, checkpoint_interval=10**6, extra={"even_checkpoints": True}
    )
    learn(LearnOptions(opts, env_factory=_factory(), quiet=True))
    status = read_training_status(tmp_path / "run")
    assert [c["steps"] for c in status["Line"]["checkpoints"]] == [400, 800]


def test_resume_without_checkpoint_names_force(tmp_path):
    """--resume of a run that stopped before its first checkpoint says to start over with --force."""
    (tmp_path / "run").mkdir()
    resumed = ppo_options(results_dir=str(tmp_path), max_steps=400, resume=True)
    with pytest.raises(ConfigError, match=r"no checkpoint.*--force"):
        learn(LearnOptions(resumed, env_factory=_factory(), quiet=True))


def test_wall_seconds_count_the_whole_run_across_resumes(tmp_path):
    """A resumed run's wall_seconds adds the time recorded in the checkpoint it resumed from."""
    first = learn(
        LearnOptions(
            ppo_options(results_dir=str(tmp_path), max_steps=400), env_factory=_factory(), quiet=True
        )
    )
    path = tmp_path / "run" / "Line" / "checkpoint.pt"
    saved = torch.load(path, weights_only=False)
    assert 0 < saved["loop"]["wall_seconds"] <= first.wall_seconds
    saved["loop"]["wall_seconds"] = 1000.0  # as if the first process had trained for 1000 s
    torch.save(saved, path)
    resumed = learn(
        LearnOptions(
            ppo_options(results_dir=str(tmp_path), max_steps=800, resume=True),
            env_factory=_factory(),
            quiet=True,
        )
    )
    assert 1000.0 < resumed.wall_seconds < 1000.0 + 300
