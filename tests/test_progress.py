"""The one progress record both trainer backends report."""

from __future__ import annotations

import subprocess
import sys

from mlops_unity_pipeline.progress import ProgressEvent
from mlops_unity_pipeline.rl.learn import ProgressEvent as LearnProgressEvent
from mlops_unity_pipeline.unity.mlagents_learn import TrainingProgress


def test_both_backends_report_the_same_record():
    """The built-in trainer and the mlagents-learn backend report one type (the orchestrator reads either)."""
    assert LearnProgressEvent is ProgressEvent
    event = TrainingProgress("3DBall", 12000, 500000, 1.5, 0.2, 3.0, 120.0, elo=1200.0)
    assert isinstance(event, ProgressEvent)
    assert (event.step, event.max_steps, event.mean_reward, event.eta_s) == (12000, 500000, 1.5, 120.0)
    assert event.training is True and event.mean_group_reward is None


def test_the_mlagents_backend_does_not_import_torch():
    """Sharing the record does not make the mlagents-learn backend import the trainer (torch)."""
    code = "import sys, mlops_unity_pipeline.unity.mlagents_learn; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
