"""Jobs whose description becomes a world: codegen, sanity gate, training and packaging run on the world."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from mlops_unity_pipeline.behavior import world_behavior
from mlops_unity_pipeline.behavior.world_behavior import (
    WorldBehavior,
    choose_world,
    load_behavior,
)
from mlops_unity_pipeline.behavior.world_records import WorldInterpretation
from mlops_unity_pipeline.behavior.world_rules import compose_world
from mlops_unity_pipeline.cli.app import app
from mlops_unity_pipeline.errors import DescriptionRefused, SpecError

runner = CliRunner()

LAVA = {
    "asset_id": "lava-1",
    "name": "LavaWalker",
    "description": "Reach the goal without stepping on the lava tiles.",
}
GUIDE_ASSET = {  # ../shared/GUIDE.md's quick start: the archetype path keeps running it
    "asset_id": "nav-001",
    "name": "NavigationAgent",
    "description": "Navigate around obstacles to reach a target",
    "observation_space": {"raycast": 8, "velocity": 2},
    "action_space": {"type": "continuous", "size": 2},
}


def _run(tmp_path: Path, job_id: str, asset: dict, workspace: Path) -> tuple[int, dict]:
    job = {
        "job_id": job_id,
        "asset_spec": asset,
        "rl_config": {"max_steps": 2_000, "num_envs": 4, "seed": 1, "evaluation_episodes": 4},
    }
    path = tmp_path / f"{job_id}.yaml"
    path.write_text(yaml.safe_dump(job))
    result = runner.invoke(app, ["run", str(path), "-w", str(workspace), "--json", "-q"])
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture(scope="module")
def lava_job(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("world-job")
    code, data = _run(tmp, "lava-e2e", LAVA, tmp / "ws")
    return code, data


def test_a_world_description_trains_end_to_end_through_mlops_unity_run(lava_job):
    """`mlops-unity run` on LavaWalker: every stage succeeds and the behavior the stages ran is the world."""
    code, data = lava_job
    assert code == 0 and data["status"] == "succeeded", data
    behavior = load_behavior(json.loads(Path(data["paths"]["behavior_spec"]).read_text()))
    assert isinstance(behavior, WorldBehavior) and behavior.behavior_name == "LavaWalker"
    assert {"lava", "goal"} <= {r.what for r in behavior.world.rewards}
    build = json.loads(Path(data["paths"]["build"]).read_text())
    assert build["task"] == "world" and build["signature"]["name"] == "LavaWalker"
    assert data["metrics"]["train/steps"] >= 2_000


def test_the_world_job_writes_the_worlds_csharp_and_runs_its_sanity_checks_first(lava_job):
    """Codegen wrote the world's Agent and arena C#; the sanity report (with the heuristic) passed."""
    _, data = lava_job
    scripts = Path(data["paths"]["generated_code"]) / "Assets" / "Scripts"
    assert (scripts / "LavaWalkerAgent.cs").is_file() and (scripts / "ArenaBootstrap.cs").is_file()
    sanity = json.loads(Path(data["paths"]["sanity"]).read_text())
    assert sanity["passed"] and "heuristic_reach" in [c["name"] for c in sanity["checks"]]


def test_the_package_records_the_world_file_and_the_heuristic_baseline(lava_job):
    """metadata.json holds the world file's path and sha256 (as codegen wrote it) and heuristic scores."""
    _, data = lava_job
    metadata = json.loads(Path(data["paths"]["metadata"]).read_text())
    world_file = Path(metadata["world"]["path"])
    assert world_file.read_text() == Path(data["paths"]["world"]).read_text()
    assert metadata["world"]["sha256"] == hashlib.sha256(world_file.read_bytes()).hexdigest()
    assert metadata["interpretation"]["archetype"] == "world"
    assert "heuristic/success_rate" in data["metrics"]


def test_the_world_job_clones_its_heuristic_before_ppo(lava_job):
    """The train stage recorded the heuristic's episodes and pretrained on them (offline RL) before PPO."""
    _, data = lava_job
    train_dir = Path(data["paths"]["metadata"]).parents[1] / "train"
    record = json.loads((train_dir / "world_training.json").read_text())
    assert record["demonstration_episodes"] > 0 and Path(record["demo_path"]).is_file()
    pretrain = json.loads((train_dir / "pretrain" / "pretrain.json").read_text())
    assert pretrain["algorithm"] == "bc" and record["demo_path"] in pretrain["demonstrations"]
    # a 2k-step job clones a tenth of the episodes and pretrain steps (cloning_for_budget)
    assert (record["recorded_episodes"], record["pretrain_updates"]) == (10, 50)
    assert pretrain["transitions"] > record["recorded_episodes"]


def test_a_refused_description_fails_the_job_at_codegen_with_the_reason(tmp_path):
    """A "write a sonnet" description stops the job in codegen with the one-line refusal; nothing trains."""
    asset = {"asset_id": "juggler", "name": "Juggler", "description": "Write a sonnet about the sea."}
    code, data = _run(tmp_path, "sonnet", asset, tmp_path / "ws")
    assert code == 1 and data["failed_stage"] == "codegen"
    assert "names no behavior" in data["error"] or "cannot express" in data["error"], data["error"]
    assert not (tmp_path / "ws" / "jobs" / "sonnet" / "attempt-1" / "results").exists()


def test_a_failed_sanity_check_stops_the_job_before_training_with_the_fix(tmp_path, monkeypatch):
    """When the heuristic reaches the goal too rarely the job fails in codegen naming what to change."""
    from mlops_unity_pipeline.behavior import world_checks

    monkeypatch.setattr(world_checks, "MIN_HEURISTIC_SUCCESS", 1.01)  # LavaWalker's ~75 % falls short
    code, data = _run(tmp_path, "lava-gate", LAVA, tmp_path / "ws")
    assert code == 1 and data["failed_stage"] == "codegen"
    assert "fails its sanity checks before training" in data["error"] and "fix:" in data["error"]
    attempt = tmp_path / "ws" / "jobs" / "lava-gate" / "attempt-1"
    assert json.loads((attempt / "sanity.json").read_text())["passed"] is False
    assert not (attempt / "results").exists()


def test_the_guides_asset_keeps_the_archetype_path_with_the_reason():
    """{raycast: 8, velocity: 2} has no exact world: the archetype path runs it, and the reason says why."""
    choice = choose_world(GUIDE_ASSET)
    assert choice.world is None and "raycast" in choice.reason
    balance = choose_world({"asset_id": "b", "name": "B", "description": "Balance a ball on a platform"})
    assert balance.world is None and "balance archetype" in balance.reason


def test_refusals_and_unsimulated_worlds_are_errors_naming_why(monkeypatch):
    """A refusal raises DescriptionRefused; a world the simulator cannot run raises naming the feature."""
    with pytest.raises(DescriptionRefused, match="cannot express"):
        choose_world({"asset_id": "c", "name": "C", "description": "Herd the sheep into the pen."})
    world = compose_world(LAVA)
    unsimulated = WorldInterpretation("LavaWalker", world, None, (), ("arena.layout: maze",))
    monkeypatch.setattr(world_behavior, "interpret_world", lambda asset: unsimulated)
    with pytest.raises(SpecError, match="does not run yet: arena.layout: maze"):
        choose_world(LAVA)


def test_the_world_behavior_round_trips_and_rejects_a_bad_world():
    """to_dict/load_behavior give back the same world; a broken world names the field."""
    behavior = WorldBehavior(compose_world(LAVA))
    again = load_behavior(json.loads(json.dumps(behavior.to_dict())))
    assert again == behavior and again.signature == behavior.signature
    bad = behavior.to_dict()
    bad["world"]["max_step"] = -5
    with pytest.raises(SpecError, match="max_step"):
        load_behavior(bad, source="behavior_spec.json")


def test_an_llm_provider_emits_the_world_the_codegen_stage_uses(tmp_path, monkeypatch):
    """codegen_provider openai: the model's world (from the local fake server) is generated and recorded."""
    from dataclasses import replace

    from mlops_unity_pipeline.orchestrator.protocol import Services, StageContext
    from mlops_unity_pipeline.orchestrator.stages.codegen import CodegenStage
    from mlops_unity_pipeline.specs import RLTrainingConfig, TrainingJob
    from mlops_unity_pipeline.store.artifacts import ArtifactStore
    from mlops_unity_pipeline.world import world_to_dict

    from ..behavior.fake_world_llm import FakeWorldLLM

    world = compose_world(LAVA)
    emitted = world_to_dict(replace(world, arena=replace(world.arena, size=(24.0, 24.0))))
    job = TrainingJob(
        job_id="llm-world",
        asset_spec=LAVA,
        rl_config=RLTrainingConfig(max_steps=1000, codegen_provider="openai"),
    )
    with FakeWorldLLM([emitted]) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        ctx = StageContext(job, tmp_path / "job", tmp_path, Services(ArtifactStore(tmp_path / "artifacts")))
        output = CodegenStage().run(ctx).output
    assert output.provider == "openai" and output.archetype == "world"
    assert output.codegen_metadata["llm"]["attempts"][0]["ok"] is True
    behavior = load_behavior(json.loads(Path(output.behavior_spec_path).read_text()))
    assert behavior.world.arena.size == (24.0, 24.0)
