"""Typed stage outputs: JSON round trips, records written by older versions, clear errors, one spec load."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3

import pytest
from typer.testing import CliRunner

from mlops_unity_pipeline.behavior.defaults import default_spec
from mlops_unity_pipeline.behavior.spec import Archetype, BehaviorSpec
from mlops_unity_pipeline.cli.app import app
from mlops_unity_pipeline.errors import SpecError, StageError, StoreError
from mlops_unity_pipeline.orchestrator import FakeStage, RunState, StageResult, UnityMLOpsOrchestrator
from mlops_unity_pipeline.orchestrator.notifications import JobNotifications
from mlops_unity_pipeline.orchestrator.outputs import (
    OUTPUT_TYPES,
    CodegenOutput,
    EvaluateOutput,
    Execution,
    PackageOutput,
    RegisterOutput,
    TrainOutput,
    decode_output,
)
from mlops_unity_pipeline.orchestrator.protocol import STAGE_NAMES, Services, StageContext
from mlops_unity_pipeline.specs import BuildBackend, TrainerBackend, TrainingJob, UnityAssetSpec
from mlops_unity_pipeline.store.artifacts import ArtifactStore
from tests.orchestrator.fakes import NAMES, fake_outputs

# What the stages wrote before the outputs were typed (the keys of the dicts they returned), so job stores
# made by those versions keep resuming.
OLD_RECORDS = {
    "codegen": {
        "behavior_name": "ReachAgent",
        "archetype": "reach",
        "behavior_spec_path": "/ws/jobs/j/attempt-1/behavior_spec.json",
        "provider": "rules",
        "reasons": ["description mentions a target"],
        "fallbacks": [],
        "files": ["/ws/jobs/j/attempt-1/codegen/Assets/Scripts/ReachAgent.cs"],
        "checks": [{"name": "syntax", "passed": True, "diagnostics": 0}],
        "code_sha256": {"Assets/Scripts/ReachAgent.cs": "ab" * 32},
        "codegen_metadata": {},
        "paths": {"generated_code": "/ws/codegen", "behavior_spec": "/ws/behavior_spec.json"},
    },
    "build": {"backend": "sim", "build_record": "/ws/build.json", "paths": {"build": "/ws/build.json"}},
    "train": {
        "onnx_path": "/ws/results/j/ReachAgent.onnx",
        "checkpoint_path": "/ws/results/j/ReachAgent/checkpoint.pt",
        "run_dir": "/ws/results/j",
        "wall_seconds": 12.5,
        "history": [[500, 0.1], [1000, 0.4]],
        "train/steps": 1000,
        "train/mean_reward": 0.4,
        "behavior_name": "ReachAgent",
        "backend": "builtin",
        "seed": 7,
        "resumed_from_checkpoint": False,
        "pretrain": None,
        "trainer_config": {"behaviors": {}},
        "history_spread": [[500, 0.1, 0.05, None], [1000, 0.4, 0.1, 0.5]],
        "paths": {"results": "/ws/results/j", "trainer_config": "/ws/config/trainer_config.yaml"},
        "execution": {"executor": "ray", "node": "worker-1", "attempt": 2},
    },
    "evaluate": {"metrics": {"eval/mean_reward": 0.5, "baseline/mean_reward": 0.0}, "seed": 1_000_010},
    "package": {
        "model_path": "/ws/artifacts/ab/model.onnx",
        "model_sha256": "ab" * 32,
        "model_size": 1234,
        "metadata_sha256": "cd" * 32,
        "package_dir": "/ws/package",
        "paths": {"package": "/ws/package", "report": "/ws/report.html"},
    },
    "register": {
        "asset_id": "reach-001",
        "version": 2,
        "promoted": False,
        "aliases": ["candidate"],
        "model_path": "/ws/artifacts/ab/model.onnx",
        "external_ids": {},
        "pretrained": None,
        "identical_to_job": "j0",
    },
    "notify": {"sent": ["job.succeeded"]},
}


def _job(job_id: str = "j") -> TrainingJob:
    return TrainingJob(job_id=job_id, asset_spec=UnityAssetSpec(asset_id="reach-001", name="ReachAgent"))


def test_every_stage_has_a_record_type():
    """OUTPUT_TYPES covers the pipeline's stages, each type naming its own stage."""
    assert tuple(OUTPUT_TYPES) == STAGE_NAMES
    assert all(kind.stage == name for name, kind in OUTPUT_TYPES.items())


@pytest.mark.parametrize("stage", NAMES)
def test_old_records_load_and_round_trip(stage):
    """A record in the layout older versions wrote decodes typed, and writes back the same JSON."""
    output = decode_output(stage, OLD_RECORDS[stage], "pipeline.db")
    assert type(output) is OUTPUT_TYPES[stage]
    again = output.to_dict()
    assert decode_output(stage, again, "pipeline.db") == output
    for key, value in OLD_RECORDS[stage].items():
        assert json.loads(json.dumps(again[key])) == value, key


def test_old_records_read_typed():
    """Fields come back as the types the next stage needs: enums, ints, tuples, an Execution."""
    train = decode_output("train", OLD_RECORDS["train"], "pipeline.db")
    assert isinstance(train, TrainOutput)
    assert train.backend is TrainerBackend.BUILTIN and train.seed == 7 and train.steps == 1000
    assert train.history == ((500, 0.1), (1000, 0.4))
    assert train.execution == Execution("ray", "worker-1", 2)
    assert train.metrics == {"train/steps": 1000, "train/mean_reward": 0.4}
    build = decode_output("build", OLD_RECORDS["build"], "pipeline.db")
    assert build.backend is BuildBackend.SIM and build.player_path is None


def test_paths_read_by_role_through_typed_properties():
    """The generated project and the report are typed properties; a record without the project says so."""
    codegen = decode_output("codegen", OLD_RECORDS["codegen"], "pipeline.db")
    package = decode_output("package", OLD_RECORDS["package"], "pipeline.db")
    assert codegen.project_dir == "/ws/codegen" and package.report_path == "/ws/report.html"
    bare = CodegenOutput(behavior_name="A", archetype="reach", behavior_spec_path="/b.json")
    with pytest.raises(SpecError, match="codegen.paths: missing 'generated_code'"):
        _ = bare.project_dir


def test_records_missing_later_keys_get_defaults():
    """Keys added after a record was written default: a minimal old train record still loads."""
    train = decode_output("train", {"onnx_path": "/m.onnx", "seed": 3}, "pipeline.db")
    assert train.history_spread == () and train.pretrain is None and train.mlagents_learn is None


@pytest.mark.parametrize(
    ("stage", "record", "named"),
    [
        ("train", {"seed": 3}, "missing required key 'onnx_path'"),
        ("train", {"onnx_path": "/m.onnx", "seed": "seven"}, "train.seed"),
        ("register", {**OLD_RECORDS["register"], "versoin": 2}, "unknown key 'versoin'"),
        ("build", {"backend": "docker", "build_record": "/b.json"}, "build.backend"),
        ("build", {"backend": "unity", "build_record": "/b.json", "command": "Unity -quit"}, "build.command"),
        ("build", {"backend": "unity", "build_record": "/b.json", "duration_s": "long"}, "build.duration_s"),
        ("evaluate", {"metrics": [1, 2]}, "evaluate.metrics"),
    ],
)
def test_bad_records_are_store_errors_naming_the_file_stage_and_key(stage, record, named):
    """A record that does not decode raises StoreError naming the source, the stage and the field."""
    with pytest.raises(StoreError) as info:
        decode_output(stage, record, "/ws/pipeline.db, job 'j'")
    message = str(info.value)
    assert "/ws/pipeline.db, job 'j'" in message and f"stage '{stage}'" in message and named in message


def test_a_unity_build_record_carries_what_the_package_metadata_needs():
    """The Editor's command, duration and logs travel typed in the record (metadata never re-reads JSON)."""
    from mlops_unity_pipeline.orchestrator.outputs import BuildOutput
    from mlops_unity_pipeline.orchestrator.stages.package import build_metadata
    from mlops_unity_pipeline.specs import BuildBackend

    build = BuildOutput(
        backend=BuildBackend.UNITY,
        build_record="/gone/build.json",  # never read: the metadata comes from the typed record
        player_path="/p/Agent.x86_64",
        unity_version="6000.0.1f1",
        build_log="/store/unity-build.log",
        build_log_sha256="ab" * 32,
        build_log_size=120,
        editor_log="/job/logs/unity-build.log",
        command=("Unity", "-batchmode"),
        duration_s=12.5,
    )
    again = decode_output("build", build.to_dict(), "pipeline.db")
    assert again == build
    assert build_metadata(again) == {
        "backend": "unity",
        "record": "/gone/build.json",
        "unity_version": "6000.0.1f1",
        "player_path": "/p/Agent.x86_64",
        "command": ["Unity", "-batchmode"],
        "duration_s": 12.5,
        "build_log": {"path": "/store/unity-build.log", "sha256": "ab" * 32, "size": 120},
        "editor_log_path": "/job/logs/unity-build.log",
    }


def test_empty_record_is_no_output():
    """A stage that handed nothing on (an empty record) decodes to None."""
    assert decode_output("train", {}, "pipeline.db") is None


def _write_old_store(tmp_path, failed_stage: str = "evaluate"):
    """A job store whose finished stages hold old-layout records and whose `failed_stage` failed."""
    orch = UnityMLOpsOrchestrator(tmp_path, stages=[FakeStage("codegen")], on_progress=None)
    store = orch.store
    store.create("j", _job().to_dict(), lambda n: orch.job_dir("j", n))
    store.try_start("j", 1)
    for position, name in enumerate(NAMES):
        store.stage_started("j", name, position)
        if name == failed_stage:
            store.stage_finished("j", name, RunState.FAILED, error="diverged")
            break
        store.stage_finished("j", name, RunState.SUCCEEDED, outputs=OLD_RECORDS[name])
    store.transition("j", RunState.FAILED, error=f"{failed_stage}: diverged")
    return orch


class ReadsTrain(FakeStage):
    """An evaluate stage that reads the train stage's output typed."""

    def run(self, ctx):
        self.calls += 1
        self.seen = ctx.output(TrainOutput)
        return StageResult(output=EvaluateOutput(metrics={"eval/mean_reward": 1.0}, seed=self.seen.seed))


def test_a_job_store_written_by_an_older_version_resumes(tmp_path):
    """Resuming a job whose finished stages were recorded in the old layout hands them on typed."""
    _write_old_store(tmp_path)
    evaluate = ReadsTrain("evaluate")
    stages = [FakeStage(n) if n != "evaluate" else evaluate for n in NAMES]
    orch = UnityMLOpsOrchestrator(tmp_path, stages=stages, on_progress=None)
    result = asyncio.run(orch.resume_job("j"))
    assert result.ok, result.error
    assert evaluate.seen.onnx_path == "/ws/results/j/ReachAgent.onnx" and evaluate.seen.seed == 7
    assert [s.calls for s in stages] == [0, 0, 0, 1, 1, 1, 1]
    assert result.metrics == {"eval/mean_reward": 1.0, "train/steps": 1000, "train/mean_reward": 0.4}


def _corrupt_train_record(tmp_path):
    with sqlite3.connect(tmp_path / "pipeline.db") as conn:
        conn.execute(
            "UPDATE stages SET outputs=? WHERE job_id='j' AND name='train'",
            (json.dumps({**OLD_RECORDS["train"], "seed": "seven"}),),
        )


def test_a_corrupt_record_fails_the_resume_naming_the_store(tmp_path):
    """An unreadable stage record fails the resumed job with an error naming pipeline.db, stage and key."""
    _write_old_store(tmp_path)
    _corrupt_train_record(tmp_path)
    orch = UnityMLOpsOrchestrator(tmp_path, stages=[FakeStage(n) for n in NAMES], on_progress=None)
    with pytest.raises(StoreError, match=r"pipeline\.db, job 'j'.*stage 'train'.*train\.seed"):
        orch.job_result("j")
    record = orch.store.get("j")
    assert record.state is RunState.FAILED
    result = asyncio.run(orch.resume_job("j"))
    assert result.status is RunState.FAILED and result.failed_stage == "train"
    assert "pipeline.db" in result.error and "train.seed" in result.error


def test_jobs_show_still_shows_a_job_whose_record_is_corrupt(tmp_path):
    """`jobs show` prints the job and says which stage's outputs do not load, instead of failing."""
    _write_old_store(tmp_path)
    _corrupt_train_record(tmp_path)
    shown = CliRunner().invoke(app, ["jobs", "show", "j", "-w", str(tmp_path)])
    assert shown.exit_code == 0, shown.output
    assert "outputs unreadable" in shown.output and "train.seed" in shown.output


def test_a_stage_returning_another_stages_output_fails_named(tmp_path):
    """A stage must hand on its own stage's record type; anything else fails the job, named."""
    outputs = fake_outputs()
    stages = [FakeStage(n, output=outputs["train"] if n == "build" else outputs.get(n)) for n in NAMES]
    orch = UnityMLOpsOrchestrator(tmp_path, stages=stages, on_progress=None)
    result = asyncio.run(orch.execute_training_job(_job()))
    assert result.status is RunState.FAILED and result.failed_stage == "build"
    assert "stage 'build' returned TrainOutput, expected BuildOutput" in result.error


def test_reading_a_stage_that_did_not_run_is_a_stage_error(tmp_path):
    """ctx.output names the missing stage and the expected type."""
    ctx = StageContext(_job(), tmp_path, tmp_path, Services(artifacts=ArtifactStore(tmp_path / "a")))
    with pytest.raises(StageError, match="stage 'package' has no recorded outputs .expected PackageOutput"):
        ctx.output(PackageOutput)


def test_the_behavior_spec_is_read_once_per_run(tmp_path, monkeypatch):
    """ctx.behavior_spec reads the codegen stage's JSON once, however many stages ask."""
    spec = default_spec(Archetype.REACH_TARGET, "ReachAgent")
    path = tmp_path / "behavior_spec.json"
    path.write_text(json.dumps(spec.to_dict()))
    reads = []
    original = BehaviorSpec.from_dict.__func__

    def counting(cls, data, **kwargs):
        reads.append(kwargs.get("source"))
        return original(cls, data, **kwargs)

    monkeypatch.setattr(BehaviorSpec, "from_dict", classmethod(counting))
    ctx = StageContext(_job(), tmp_path, tmp_path, Services(artifacts=ArtifactStore(tmp_path / "a")))
    ctx.outputs["codegen"] = CodegenOutput(
        behavior_name="ReachAgent", archetype="reach", behavior_spec_path=str(path)
    )
    assert ctx.behavior_spec == spec and ctx.behavior_spec is ctx.behavior_spec
    assert reads == [str(path)]


def test_an_unreadable_behavior_spec_is_a_stage_error(tmp_path):
    """A missing spec file raises StageError naming the file."""
    ctx = StageContext(_job(), tmp_path, tmp_path, Services(artifacts=ArtifactStore(tmp_path / "a")))
    missing = tmp_path / "gone.json"
    ctx.outputs["codegen"] = CodegenOutput(
        behavior_name="A", archetype="reach", behavior_spec_path=str(missing)
    )
    with pytest.raises(StageError, match="cannot read the behavior spec .*gone.json"):
        _ = ctx.behavior_spec


class Recorder:
    def __init__(self, fail: bool = False):
        self.events = []
        self.fail = fail

    def send(self, event, payload):
        if self.fail:
            raise RuntimeError("receiver down")
        self.events.append((event, payload))


def test_notifications_build_every_payload_from_typed_outputs():
    """started/failed/succeeded send the documented fields; promotion adds model.promoted."""
    recorder = Recorder()
    notifications = JobNotifications(recorder)
    job = _job()
    notifications.started(job, attempt=2, resumed=True)
    notifications.failed(job, stage="train", error="diverged")
    outputs = fake_outputs(paths={"report": "/ws/report.html"})
    sent = notifications.succeeded(
        job, register=outputs["register"], package=outputs["package"], evaluate=outputs["evaluate"]
    )
    assert sent == ("job.succeeded", "model.promoted")
    events = dict(recorder.events)
    assert events["job.started"] == {"job_id": "j", "asset_id": "reach-001", "attempt": 2, "resumed": True}
    failed = {"job_id": "j", "asset_id": "reach-001", "stage": "train", "error": "diverged"}
    assert events["job.failed"] == failed
    assert events["job.succeeded"]["version"] == 3 and events["job.succeeded"]["report"] == "/ws/report.html"
    assert events["model.promoted"] == {**events["job.succeeded"], "alias": "champion"}


def test_a_failing_notifier_is_logged_never_raised(caplog):
    """A notifier that raises: nothing is reported sent, a warning is logged, the caller goes on."""
    notifications = JobNotifications(Recorder(fail=True))
    outputs = fake_outputs()
    with caplog.at_level(logging.WARNING):
        sent = notifications.succeeded(
            _job(),
            register=RegisterOutput(version=1, promoted=False),
            package=outputs["package"],
            evaluate=outputs["evaluate"],
        )
    assert sent == () and "receiver down" in caplog.text
    assert not JobNotifications(None).enabled
