"""The one progress record both trainer backends report."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mlops_unity_pipeline.progress import ProgressEvent
from mlops_unity_pipeline.rl.learn import ProgressEvent as LearnProgressEvent


def test_both_backends_and_the_stages_report_the_same_record():
    """Trainers, mlagents-learn and the orchestrator's stages share one type; a stage adds job and stage."""
    from mlops_unity_pipeline import orchestrator, unity

    assert LearnProgressEvent is ProgressEvent and orchestrator.ProgressEvent is ProgressEvent
    assert not hasattr(orchestrator, "ProgressUpdate") and not hasattr(unity, "TrainingProgress")
    event = ProgressEvent("3DBall", 12000, 500000, 1.5, 0.2, 3.0, 120.0, elo=1200.0)
    assert (event.step, event.max_steps, event.mean_reward, event.eta_s) == (12000, 500000, 1.5, 120.0)
    assert event.training is True and event.mean_group_reward is None
    forwarded = event.for_job("job-1", "train")
    assert (forwarded.job_id, forwarded.stage, forwarded.behavior) == ("job-1", "train", "3DBall")
    assert ProgressEvent(**forwarded.to_dict()) == forwarded  # how a Ray worker's progress crosses over


def test_the_mlagents_backend_does_not_import_torch():
    """Sharing the record does not make the mlagents-learn backend import the trainer (torch)."""
    code = "import sys, mlops_unity_pipeline.unity.mlagents_learn; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_eta_from_a_steady_rate_is_exact():
    """100 steps/s, 1,000 of 10,000 done: 90 s left; no estimate before one measured interval."""
    from mlops_unity_pipeline.progress import EtaEstimator

    eta = EtaEstimator(10_000)
    assert eta.update(0, 100.0) is None
    assert eta.update(500, 105.0) == pytest.approx(95.0)
    assert eta.update(1_000, 110.0) == pytest.approx(90.0)


def test_eta_is_smoothed_not_the_whole_run_average():
    """Fast collection then slow updates: the estimate moves gently (EMA, alpha 0.3), not 4x at once."""
    from mlops_unity_pipeline.progress import EtaEstimator

    eta = EtaEstimator(10_000, alpha=0.3)
    eta.update(0, 0.0)
    first = eta.update(1_000, 1.0)  # 1,000 steps/s
    second = eta.update(2_000, 5.0)  # 250 steps/s
    # rate 0.3 * 250 + 0.7 * 1000 = 775 steps/s -> 8000 / 775
    assert first == pytest.approx(9.0) and second == pytest.approx(8_000 / 775)
    assert eta.update(2_000, 6.0) == pytest.approx(8_000 / 775)  # no progress: no new rate sample
    with pytest.raises(ValueError, match="alpha"):
        EtaEstimator(10, alpha=0.0)


def test_display_logs_lines_per_stage_and_decile(caplog):
    """With a logger, plain lines go to logging at INFO: one per stage and per 10% of training."""
    import logging

    from mlops_unity_pipeline.progress import ProgressDisplay, ProgressEvent, format_duration

    logger = logging.getLogger("test.progress")
    caplog.set_level(logging.INFO, logger="test.progress")
    display = ProgressDisplay(logger=logger)
    assert display.tty is False
    display(ProgressEvent(job_id="j", stage="codegen", message="codegen started"))
    for step in range(0, 1001, 25):
        display(
            ProgressEvent(job_id="j", stage="train", step=step, max_steps=1000, mean_reward=0.5, eta_s=3725)
        )
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 12 and "ETA 1:02:05" in messages[1]
    assert format_duration(None) == "--:--" and format_duration(59.6) == "1:00"
