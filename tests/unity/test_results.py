"""Reading an mlagents-learn results folder (training_status.json as upstream training_status.py writes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlops_unity_pipeline.errors import TrainError
from mlops_unity_pipeline.unity.results import behavior_names, final_onnx_paths, read_training_status

STATUS = {
    "3DBall": {
        "checkpoints": [
            {
                "steps": 5000,
                "file_path": "results/run1/3DBall/3DBall-5000.onnx",
                "reward": 1.5,
                "creation_time": 1700000000.0,
                "auxillary_file_paths": ["results/run1/3DBall/3DBall-5000.pt"],
            }
        ],
        "final_checkpoint": {
            "steps": 5000,
            "file_path": "results/run1/3DBall.onnx",
            "reward": 1.5,
            "creation_time": 1700000000.0,
            "auxillary_file_paths": [],
        },
    },
    "big_wall_height": {"lesson_num": 2},
    "metadata": {"stats_format_version": "0.3.0", "mlagents_version": "1.1.0", "torch_version": "2.13.0"},
}


def _run(tmp_path: Path, status: object = STATUS) -> Path:
    run_dir = tmp_path / "results" / "run1"
    (run_dir / "run_logs").mkdir(parents=True)
    (run_dir / "run_logs" / "training_status.json").write_text(json.dumps(status))
    return run_dir


def test_read_and_behaviors(tmp_path: Path) -> None:
    """The status parses; behaviors are the entries with checkpoints (not lessons or metadata)."""
    status = read_training_status(_run(tmp_path))
    assert status["metadata"]["mlagents_version"] == "1.1.0"
    assert behavior_names(status) == ["3DBall"]


def test_final_onnx_resolved_relative_to_cwd(tmp_path: Path) -> None:
    """Recorded relative paths resolve against mlagents-learn's working directory."""
    run_dir = _run(tmp_path)
    (run_dir / "3DBall.onnx").write_bytes(b"x")
    assert final_onnx_paths(run_dir, read_training_status(run_dir), cwd=tmp_path) == {
        "3DBall": run_dir / "3DBall.onnx"
    }


def test_final_onnx_falls_back_to_run_dir(tmp_path: Path) -> None:
    """An unresolvable recorded path falls back to <run_dir>/<Behavior>.onnx; absent models are left out."""
    run_dir = _run(tmp_path)
    status = read_training_status(run_dir)
    assert final_onnx_paths(run_dir, status, cwd=tmp_path / "elsewhere") == {}
    (run_dir / "3DBall.onnx").write_bytes(b"x")
    assert final_onnx_paths(run_dir, status, cwd=tmp_path / "elsewhere") == {
        "3DBall": run_dir / "3DBall.onnx"
    }


def test_missing_status_explains_sigint(tmp_path: Path) -> None:
    """A missing status file says it is written on a clean exit (single SIGINT, never SIGKILL)."""
    with pytest.raises(TrainError, match="not found.*SIGINT"):
        read_training_status(tmp_path)


def test_corrupt_status(tmp_path: Path) -> None:
    """Invalid JSON or a non-object is a TrainError naming the file."""
    run_dir = _run(tmp_path)
    (run_dir / "run_logs" / "training_status.json").write_text("{not json")
    with pytest.raises(TrainError, match="training_status.json: unreadable"):
        read_training_status(run_dir)
    (run_dir / "run_logs" / "training_status.json").write_text("[1, 2]")
    with pytest.raises(TrainError, match="expected a JSON object"):
        read_training_status(run_dir)
