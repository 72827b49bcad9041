"""threaded: true — the worker thread, the acting copy's hand-over points, and reproducible threaded runs."""

from __future__ import annotations

import ctypes

import pytest
import torch

from mlops_unity_pipeline.errors import TrainError
from mlops_unity_pipeline.rl.config import RunOptions
from mlops_unity_pipeline.rl.learn import LearnOptions, learn
from mlops_unity_pipeline.rl.ppo import PPOTrainer
from mlops_unity_pipeline.rl.sac import SACTrainer
from mlops_unity_pipeline.rl.support import check_supported
from mlops_unity_pipeline.rl.threaded import BackgroundUpdate, DeferredRecords

from .group_env import GroupCue
from .helpers import ppo_options, sac_options
from .test_poca import poca_options
from .toy_env import LineTarget


def test_worker_records_are_kept_aside_until_the_join_and_errors_raise_there():
    """Inside the worker record() defers; join() replays the records, then re-raises the worker's error."""
    deferred, seen = DeferredRecords(), []
    worker = BackgroundUpdate(deferred, lambda k, v: seen.append((k, v)))

    def work() -> None:
        assert deferred.pending is not None
        deferred.pending.append(("Losses/Policy Loss", 1.5))

    worker.start(work)
    assert worker.running
    worker.join()
    assert seen == [("Losses/Policy Loss", 1.5)] and not worker.running and deferred.pending is None

    def boom() -> None:
        raise TrainError("diverged")

    worker.start(boom)
    with pytest.raises(TrainError, match="diverged"):
        worker.join()
    worker.join()  # nothing running: a no-op


def _threaded(tmp_path, **extra):
    return ppo_options(results_dir=str(tmp_path), extra={"threaded": True, **extra}).behaviors["Line"]


def test_threaded_ppo_acts_with_a_copy_that_lags_one_update(tmp_path):
    """The acting copy takes the learner's weights when an update starts; the learner moves on alone."""
    env = LineTarget(4, seed=0)
    trainer = PPOTrainer(env.signature, _threaded(tmp_path), 4, seed=0)
    assert trainer.acting_actor is not trainer.actor and trainer.background is not None
    batch = env.reset(seed=0)
    while trainer.background.started < 2:
        batch = env.step(trainer.act(batch))
        trainer.observe(batch)
    # The second update started: the acting copy holds the first update's result, the learner runs the second.
    trainer.settle()
    acting = torch.nn.utils.parameters_to_vector(trainer.acting_actor.parameters())
    learner = torch.nn.utils.parameters_to_vector(trainer.actor.parameters())
    assert trainer.update_count == 2 and not torch.equal(acting, learner)
    assert "Losses/Policy Loss" in trainer._stats
    state = trainer.state_dict()  # settles: never half an update
    assert not trainer.background.running and state["update_count"] == 2


def _run(tmp_path, run_id: str, threaded: bool):
    options = ppo_options(
        results_dir=str(tmp_path),
        run_id=run_id,
        max_steps=3000,
        summary_freq=1000,
        extra={"threaded": threaded},
    )
    result = learn(LearnOptions(options, env_factory=lambda n, s: LineTarget(8, seed=s), quiet=True))
    state = torch.load(result.run_dir / "Line" / "checkpoint.pt", weights_only=False)
    return result.behaviors["Line"].history, state


def test_threaded_runs_learn_and_repeat_exactly(tmp_path):
    """Two threaded runs with one seed end with the same weights; both learn the line task like unthreaded."""
    history_a, state_a = _run(tmp_path, "a", True)
    history_b, state_b = _run(tmp_path, "b", True)
    assert history_a == history_b
    for key, value in state_a["Policy"].items():
        torch.testing.assert_close(value, state_b["Policy"][key], rtol=0, atol=0)
    assert history_a[-1][1] > 0.5  # random walking stays below 0 (-0.01 per step, rare hits)


def test_threaded_poca_runs_repeat_exactly_and_update_in_the_worker(tmp_path):
    """POCA with threaded: true: two runs with one seed end with equal weights; updates ran in the worker."""
    states = []
    for run_id in ("a", "b"):
        data = poca_options(
            results_dir=str(tmp_path), run_id=run_id, max_steps=1200, summary_freq=600
        ).to_dict()
        data["behaviors"]["GroupCue"]["threaded"] = True
        options = RunOptions.from_dict(data)
        result = learn(LearnOptions(options, env_factory=lambda n, s: GroupCue(2, seed=s), quiet=True))
        states.append(torch.load(result.run_dir / "GroupCue" / "checkpoint.pt", weights_only=False))
    assert states[0]["update_count"] >= 2
    for key, value in states[0]["Critic"].items():
        torch.testing.assert_close(value, states[1]["Critic"][key], rtol=0, atol=0)


def test_threaded_sac_hands_over_at_fixed_steps_and_learns(tmp_path):
    """SAC with threaded: true: the acting copy and normalizer follow the learner at hand-overs; it learns."""
    options = sac_options(
        results_dir=str(tmp_path), max_steps=4000, summary_freq=1000, checkpoint_interval=4000
    )
    data = options.to_dict()
    data["behaviors"]["Line"]["threaded"] = True
    options = RunOptions.from_dict(data)
    check_supported(options, "Line")
    result = learn(LearnOptions(options, env_factory=lambda n, s: LineTarget(8, seed=s), quiet=True))
    assert result.behaviors["Line"].history[-1][1] > 0.8  # the same bar as unthreaded SAC's check

    env = LineTarget(4, seed=0)
    trainer = SACTrainer(env.signature, options.behaviors["Line"], 4, seed=0)
    batch = env.reset(seed=0)
    while trainer.background is not None and trainer.background.started < 3:
        batch = env.step(trainer.act(batch))
        trainer.observe(batch)
    batch = env.step(trainer.act(batch))
    trainer.observe(batch)  # 4 agents, steps_per_update 4: this step hands over and starts one more update
    assert trainer.background.running
    trainer.settle()
    assert not trainer._norm_rows and trainer.update_count == trainer._launched
    normalizer = trainer.actor.normalizer
    assert normalizer is not None and float(normalizer.count) == 1 + trainer.step  # every row, once
    for name, value in trainer.actor.state_dict().items():
        torch.testing.assert_close(trainer.acting_actor.state_dict()[name], value, rtol=0, atol=0)


def test_threaded_is_implemented_for_every_trainer(tmp_path):
    """threaded: true passes with PPO, POCA and SAC."""
    check_supported(ppo_options(results_dir=str(tmp_path), extra={"threaded": True}), "Line")
    data = poca_options(results_dir=str(tmp_path)).to_dict()
    data["behaviors"]["GroupCue"]["threaded"] = True
    check_supported(RunOptions.from_dict(data), "GroupCue")
    data = sac_options(results_dir=str(tmp_path)).to_dict()
    data["behaviors"]["Line"]["threaded"] = True
    check_supported(RunOptions.from_dict(data), "Line")


def test_threaded_self_play_snapshots_wait_for_the_running_update(tmp_path):
    """Self-play around threaded PPO: snapshots are taken from a settled learner; the schedule still runs."""
    from mlops_unity_pipeline.rl.learn import make_trainer
    from mlops_unity_pipeline.rl.selfplay import GhostTrainer

    from .race_env import CueRace, race_options

    data = race_options(tmp_path, self_play={"save_steps": 300, "swap_steps": 200}).to_dict()
    data["behaviors"]["CueRace"]["threaded"] = True
    env = CueRace(2)
    ghost = make_trainer(env.signature, RunOptions.from_dict(data).behavior_settings("CueRace"), 4, seed=0)
    assert isinstance(ghost, GhostTrainer) and ghost.inner.background is not None
    batch = env.reset(seed=0)
    for _ in range(1500):
        batch = env.step(ghost.act(batch))
        ghost.observe(batch)
        if ghost.pop_reset_request():
            ghost.reset_trajectories()
            batch = env.reset()
    assert ghost.inner.background.started >= 2 and len(ghost.saved_at) >= 3
    ghost.settle()
    assert not ghost.inner.background.running and ghost.inner.update_count == ghost.inner.background.started



def test_the_worker_thread_keeps_the_callers_torch_thread_count():
    """The update thread runs OpenMP with the caller's thread count (1 in learn), not one per core."""
    try:
        omp_max_threads = ctypes.CDLL(None).omp_get_max_threads
    except AttributeError:
        pytest.skip("this torch build does not use OpenMP")
    seen: list[int] = []
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        background = BackgroundUpdate(DeferredRecords(), lambda key, value: None)
        background.start(lambda: seen.append(omp_max_threads()))
        background.join()
    finally:
        torch.set_num_threads(previous)
    assert seen == [1]
