"""learn() with several behaviors (sim:Chase): a trainer, settings, folder and ONNX per behavior."""

from __future__ import annotations

import json
import logging

import numpy as np
import onnxruntime as ort
import pytest
import torch

from mlops_unity_pipeline.errors import ConfigError
from mlops_unity_pipeline.rl.config import RunOptions
from mlops_unity_pipeline.rl.learn import LearnOptions, learn
from mlops_unity_pipeline.sim.tasks.chase import CHASER, EVADER, ChaseEnv

from .helpers import ppo_options, sac_options


def chase_options(
    tmp_path, *, chaser: dict | None = None, evader: dict | None = None, **kwargs
) -> RunOptions:
    """A PPO configuration with one entry per Chase behavior, each entry's overrides merged in."""
    kwargs = {"max_steps": 300, "summary_freq": 100, **kwargs}
    options = ppo_options(CHASER, results_dir=str(tmp_path), **kwargs)
    data = options.to_dict()
    base = data["behaviors"][CHASER]
    data["behaviors"] = {CHASER: {**base, **(chaser or {})}, EVADER: {**base, **(evader or {})}}
    return RunOptions.from_dict(data)


def _run(options: RunOptions, **kwargs):
    return learn(LearnOptions(options, env="sim:Chase", quiet=True, **kwargs))


def test_each_behavior_trains_with_its_own_settings_folder_and_model(tmp_path):
    """Chaser PPO to 300 steps, Evader SAC to 500: own steps, checkpoints, events, ONNX and status entries."""
    sac = sac_options(EVADER, results_dir=str(tmp_path)).to_dict()["behaviors"][EVADER]
    evader = {"trainer_type": "sac", "hyperparameters": sac["hyperparameters"], "max_steps": 500}
    result = _run(chase_options(tmp_path, evader=evader))
    run = tmp_path / "run"
    assert set(result.behaviors) == {CHASER, EVADER}
    assert 300 <= result.behaviors[CHASER].steps < 300 + 4  # one agent per area, one area
    assert 500 <= result.behaviors[EVADER].steps < 500 + 4
    for name, algorithm, obs in ((CHASER, "ppo", 3), (EVADER, "sac", 4)):
        folder = run / name
        assert (run / f"{name}.onnx").is_file() and (folder / "checkpoint.pt").is_file()
        assert any(p.name.startswith("events.out.tfevents") for p in folder.iterdir())
        state = torch.load(folder / "checkpoint.pt", weights_only=False)
        assert state["algorithm"] == algorithm
        session = ort.InferenceSession(str(run / f"{name}.onnx"))
        assert session.get_inputs()[0].shape[1] == obs
        assert result.behaviors[name].history  # summaries every 100 steps
    status = json.loads((run / "run_logs" / "training_status.json").read_text())
    assert status[CHASER]["final_checkpoint"]["steps"] >= 300
    assert status[EVADER]["final_checkpoint"]["steps"] >= 500
    timers = json.loads((run / "run_logs" / "timers.json").read_text())
    assert any(CHASER in key for key in timers["gauges"]) and any(EVADER in key for key in timers["gauges"])


def test_a_finished_behavior_plays_its_final_policy_while_the_other_trains(tmp_path, monkeypatch):
    """Chaser stops at 100 steps (observes no more), Evader goes on to 400; Chaser's final model: step 100."""
    from mlops_unity_pipeline.rl.ppo import PPOTrainer

    observed: dict[str, int] = {CHASER: 0, EVADER: 0}
    original = PPOTrainer.observe

    def observe(self, batch):
        observed[self.signature.name] += 1
        original(self, batch)

    monkeypatch.setattr(PPOTrainer, "observe", observe)
    result = _run(chase_options(tmp_path, chaser={"max_steps": 100}, evader={"max_steps": 400}))
    assert (result.behaviors[CHASER].steps, result.behaviors[EVADER].steps) == (100, 400)
    assert observed == {CHASER: 100, EVADER: 400}
    status = json.loads((tmp_path / "run" / "run_logs" / "training_status.json").read_text())
    assert status[CHASER]["final_checkpoint"]["steps"] == 100


def test_progress_reports_each_behavior_with_its_success_rate(tmp_path):
    """on_progress gets summaries of both behaviors, each with the share of its games it won."""
    events = []
    _run(chase_options(tmp_path, summary_freq=150), on_progress=events.append)
    by_name = {e.behavior: e for e in events}
    assert set(by_name) == {CHASER, EVADER}
    assert all(e.success_rate is not None and 0.0 <= e.success_rate <= 1.0 for e in events)


def test_default_settings_cover_a_behavior_the_config_does_not_name(tmp_path):
    """Only Chaser configured plus default_settings: Evader trains with the defaults (ML-Agents' rule)."""
    data = chase_options(tmp_path).to_dict()
    data["default_settings"] = {**data["behaviors"].pop(EVADER), "max_steps": 200}
    result = _run(RunOptions.from_dict(data))
    assert result.behaviors[EVADER].steps == 200 and result.behaviors[CHASER].steps == 300


def test_a_behavior_without_settings_is_a_clear_error_before_the_run_folder(tmp_path):
    """No Evader entry and no default_settings: a ConfigError naming Evader; no results folder is made."""
    data = chase_options(tmp_path).to_dict()
    del data["behaviors"][EVADER]
    with pytest.raises(ConfigError, match="Evader"):
        _run(RunOptions.from_dict(data))
    assert not (tmp_path / "run").exists()


def test_an_unsupported_setting_of_any_behavior_is_named(tmp_path):
    """A self_play block on a SAC Evader is refused naming behaviors.Evader.self_play."""
    sac = sac_options(EVADER, results_dir=str(tmp_path)).to_dict()["behaviors"][EVADER]
    evader = {"trainer_type": "sac", "hyperparameters": sac["hyperparameters"], "self_play": {}}
    with pytest.raises(ConfigError, match=r"behaviors\.Evader\.self_play"):
        _run(chase_options(tmp_path, evader=evader))


def test_a_configured_behavior_the_env_lacks_is_logged_and_not_trained(tmp_path, caplog):
    """An extra 'Goalie' entry is reported by name and trains nothing, as mlagents-learn ignores it."""
    data = chase_options(tmp_path).to_dict()
    data["behaviors"]["Goalie"] = data["behaviors"][CHASER]
    with caplog.at_level(logging.WARNING, logger="mlops_unity_pipeline.rl.learn"):
        result = _run(RunOptions.from_dict(data))
    assert "['Goalie']" in caplog.text and "not trained" in caplog.text
    assert set(result.behaviors) == {CHASER, EVADER}
    assert not (tmp_path / "run" / "Goalie").exists()


def test_resume_continues_every_behavior_from_its_checkpoint(tmp_path):
    """A run to 200 steps resumed to 400: both behaviors continue from their own step, history kept."""
    _run(chase_options(tmp_path, chaser={"max_steps": 200}, evader={"max_steps": 200}))
    resumed = chase_options(tmp_path, resume=True)
    data = resumed.to_dict()
    for name in (CHASER, EVADER):
        data["behaviors"][name]["max_steps"] = 400
    result = _run(RunOptions.from_dict(data))
    for name in (CHASER, EVADER):
        assert result.behaviors[name].steps == 400
        assert [s for s, _ in result.behaviors[name].history][:2] == [100, 200]


def test_cli_learn_trains_every_behavior(tmp_path):
    """mlops-unity learn --env sim:Chase prints one 'Trained' line and writes one ONNX per behavior."""
    import yaml
    from typer.testing import CliRunner

    from mlops_unity_pipeline.cli.app import app

    config = tmp_path / "chase.yaml"
    data = chase_options(tmp_path, chaser={"max_steps": 100}, evader={"max_steps": 100}).to_dict()
    config.write_text(yaml.safe_dump({"behaviors": data["behaviors"]}))
    out = tmp_path / "results"
    res = CliRunner().invoke(
        app, ["learn", str(config), "--env", "sim:Chase", "--run-id", "c", "--results-dir", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert "Trained Chaser for 100 steps" in res.output and "Trained Evader for 100 steps" in res.output
    assert (out / "c" / "Chaser.onnx").is_file() and (out / "c" / "Evader.onnx").is_file()


def test_chase_env_scores_catches_and_survivals():
    """Hand-placed: a catch pays Chaser +1 / Evader -1; surviving GAME_LENGTH decisions pays the reverse."""
    from mlops_unity_pipeline.sim.tasks import chase as C
    from mlops_unity_pipeline.spaces import ActionTuple, MultiBehaviorEnv

    env = ChaseEnv(2, seed=0)
    assert isinstance(env, MultiBehaviorEnv)
    first = env.reset(seed=0)
    assert first[CHASER].obs[0].shape == (2, 3) and first[EVADER].obs[0].shape == (2, 4)
    assert (np.abs(env.chaser - env.evader) >= C.MIN_START_GAP).all()
    env.chaser[:] = [0.0, -1.0]
    env.evader[:] = [0.3, 1.0]
    right = ActionTuple(np.zeros((2, 0), np.float32), np.full((2, 1), 2, np.int32))
    stay = ActionTuple(np.zeros((2, 1), np.float32), np.zeros((2, 0), np.int32))
    out = env.step({CHASER: right, EVADER: stay})  # area 0: 0.2 vs 0.3 -> caught; area 1: far apart
    np.testing.assert_allclose(out[CHASER].reward, [1.0, 0.0])
    np.testing.assert_allclose(out[EVADER].reward, [-1.0, 0.0])
    assert out[CHASER].terminated.tolist() == [True, False] and out[CHASER].success.tolist() == [True, False]
    np.testing.assert_allclose(out[CHASER].final_obs[0][0], [0.2, 0.1, 1 / C.GAME_LENGTH], atol=1e-6)
    assert out[CHASER].team_id.tolist() == [0, 0] and out[EVADER].team_id.tolist() == [1, 1]
    env.clock[1] = C.GAME_LENGTH - 1
    env.chaser[1], env.evader[1] = -1.0, 1.0
    out = env.step({CHASER: right, EVADER: stay})
    assert out[EVADER].reward[1] == 1.0 and out[CHASER].reward[1] == -1.0 and out[EVADER].success[1]
    assert env.outcomes == [C.CHASER_TEAM, C.EVADER_TEAM]
    with pytest.raises(Exception, match="missing"):
        env.step({CHASER: right})
