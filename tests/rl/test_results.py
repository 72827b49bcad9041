"""The results folder: mlagents-learn's directory rules, training_status.json, timers.json."""

from __future__ import annotations

import json

import pytest

from mlops_unity_pipeline.errors import ConfigError, StoreError
from mlops_unity_pipeline.rl.results import (
    CheckpointRecord,
    RunPaths,
    Timers,
    checkpoint_records,
    gauge_name,
    lesson_numbers,
    prepare_run_dir,
    read_training_status,
    write_training_status,
)


def test_new_run_creates_run_logs(tmp_path):
    """A fresh run id gets <results>/<id>/run_logs."""
    paths = prepare_run_dir(tmp_path, "r1", resume=False, force=False, initialize_from=None)
    assert paths.run_dir == tmp_path / "r1" and paths.run_logs.is_dir()


def test_existing_run_without_resume_or_force_is_refused(tmp_path):
    """Like mlagents-learn: previous data found -> error naming --resume/--force."""
    prepare_run_dir(tmp_path, "r1", resume=False, force=False, initialize_from=None)
    with pytest.raises(ConfigError, match="--resume.*--force"):
        prepare_run_dir(tmp_path, "r1", resume=False, force=False, initialize_from=None)


def test_force_deletes_previous_data(tmp_path):
    """--force wipes the old folder."""
    paths = prepare_run_dir(tmp_path, "r1", resume=False, force=False, initialize_from=None)
    (paths.run_dir / "old.txt").write_text("x")
    prepare_run_dir(tmp_path, "r1", resume=False, force=True, initialize_from=None)
    assert not (paths.run_dir / "old.txt").exists()


def test_resume_needs_an_existing_run(tmp_path):
    """--resume of a missing run is an error."""
    with pytest.raises(ConfigError, match="not found"):
        prepare_run_dir(tmp_path, "nope", resume=True, force=False, initialize_from=None)


def test_initialize_from_needs_an_existing_run(tmp_path):
    """--initialize-from a missing run is an error naming its folder."""
    with pytest.raises(ConfigError, match="initialize-from"):
        prepare_run_dir(tmp_path, "r2", resume=False, force=False, initialize_from="missing")


@pytest.mark.parametrize("bad", ["../escape", "a/b", "", ".hidden", "x..y"])
def test_unsafe_run_ids_are_rejected(tmp_path, bad):
    """Run ids never escape the results folder."""
    with pytest.raises(ConfigError, match="run_id"):
        prepare_run_dir(tmp_path, bad, resume=False, force=False, initialize_from=None)


def test_training_status_round_trip_in_mlagents_layout(tmp_path):
    """checkpoints, final_checkpoint (auxillary_file_paths), lesson_num, metadata as ML-Agents writes."""
    paths = RunPaths(tmp_path)
    rec = CheckpointRecord(
        steps=100,
        file_path="r/B/B-100.onnx",
        reward=1.5,
        creation_time=1.0,
        auxillary_file_paths=["r/B/B-100.pt"],
    )
    write_training_status(paths, {"B": ([rec], rec)}, lessons={"wall": 2})
    raw = json.loads(paths.training_status.read_text())
    assert set(raw) == {"B", "wall", "metadata"}
    assert raw["B"]["checkpoints"][0] == {
        "steps": 100,
        "file_path": "r/B/B-100.onnx",
        "reward": 1.5,
        "creation_time": 1.0,
        "auxillary_file_paths": ["r/B/B-100.pt"],
    }
    assert raw["wall"] == {"lesson_num": 2}
    assert raw["metadata"]["stats_format_version"] == "0.3.0"
    status = read_training_status(tmp_path)
    assert checkpoint_records(status, "B") == [rec]
    assert lesson_numbers(status) == {"wall": 2}


def test_read_training_status_of_mlagents_learn_output(tmp_path):
    """A file as mlagents-learn writes it (reward null, elo) parses."""
    (tmp_path / "run_logs").mkdir()
    (tmp_path / "run_logs" / "training_status.json").write_text(
        json.dumps(
            {
                "3DBall": {
                    "checkpoints": [
                        {
                            "steps": 5,
                            "file_path": "a.onnx",
                            "reward": None,
                            "creation_time": 2.0,
                            "auxillary_file_paths": [],
                        }
                    ],
                    "elo": 1200.0,
                },
                "metadata": {
                    "stats_format_version": "0.3.0",
                    "mlagents_version": "1.1.0",
                    "torch_version": "2.2",
                },
            }
        )
    )
    recs = checkpoint_records(read_training_status(tmp_path), "3DBall")
    assert recs[0].reward is None and recs[0].steps == 5


def test_missing_status_is_empty_and_corrupt_status_is_a_store_error(tmp_path):
    """No file -> {}; garbage -> StoreError naming the file."""
    assert read_training_status(tmp_path) == {}
    (tmp_path / "run_logs").mkdir()
    (tmp_path / "run_logs" / "training_status.json").write_text("{not json")
    with pytest.raises(StoreError, match="training_status.json"):
        read_training_status(tmp_path)


def test_timers_json_layout(tmp_path):
    """timers.json has root name, gauges with value/min/max/count, metadata and children."""
    timers = Timers()
    timers.gauge(gauge_name("3DBall", "Environment/Cumulative Reward"), 1.0)
    timers.gauge(gauge_name("3DBall", "Environment/Cumulative Reward"), 3.0)
    timers.add_time("env_step", 0.5)
    path = timers.write(RunPaths(tmp_path))
    tree = json.loads(path.read_text())
    assert tree["name"] == "root"
    assert tree["gauges"]["3DBall.Environment.CumulativeReward.mean"] == {
        "value": 3.0,
        "min": 1.0,
        "max": 3.0,
        "count": 2,
    }
    assert tree["metadata"]["timer_format_version"] == "0.1.0"
    assert "env_step" in tree["children"]["TrainerController.start_learning"]["children"]
