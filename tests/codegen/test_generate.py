"""Tests of generate(): the guide's assets and varied descriptions give projects that pass every check."""

from __future__ import annotations

import hashlib
import json

import pytest

from mlops_unity_pipeline.behavior.spec import BehaviorSpec
from mlops_unity_pipeline.codegen import generate
from mlops_unity_pipeline.errors import CodegenError, SpecError
from mlops_unity_pipeline.specs import UnityAssetSpec

from ..behavior.test_rules import GUIDE_NAVIGATION, GUIDE_SIMPLE, VARIED
from ..mono import assert_types_checked

ASSETS = {"guide-navigation": GUIDE_NAVIGATION, "guide-simple": GUIDE_SIMPLE}
ASSETS.update(
    {
        f"varied-{i}-{fields['name']}": {"asset_id": f"v-{i}", **fields}
        for i, (fields, *_) in enumerate(VARIED)
    }
)


@pytest.mark.parametrize("key", sorted(ASSETS))
def test_generated_project_passes_all_checks(tmp_path, key):
    """Every asset generates the full project and passes syntax, types and safety."""
    result = generate(ASSETS[key], tmp_path)
    assert result.passed, [str(d) for c in result.checks for d in c.diagnostics]
    assert [c.name for c in result.checks] == ["syntax", "types", "safety"]
    rel = {p.relative_to(tmp_path).as_posix() for p in result.files}
    class_name = result.metadata["class_name"]
    assert {
        f"Assets/Scripts/{class_name}.cs",
        "Assets/Scripts/ArenaBootstrap.cs",
        "Assets/Editor/BuildPlayer.cs",
        "Packages/manifest.json",
        "ProjectSettings/ProjectVersion.txt",
    } <= rel
    assert json.loads((tmp_path / "Packages" / "manifest.json").read_text())["dependencies"][
        "com.unity.ml-agents"
    ]
    spec = BehaviorSpec.from_dict(json.loads((tmp_path / "behavior_spec.json").read_text()))
    assert spec == result.interpretation.spec
    assert_types_checked(result.checks)


def test_metadata_records_provider_checks_and_hashes(tmp_path):
    """The metadata names the provider and has the sha256 of every generated file."""
    result = generate(GUIDE_NAVIGATION, tmp_path)
    meta = json.loads((tmp_path / "mlops_codegen.json").read_text())
    assert meta["provider"] == "rules" and meta["fallback_used"] is False and meta["attempts"] == []
    for rel, digest in meta["files"].items():
        assert hashlib.sha256((tmp_path / rel).read_bytes()).hexdigest() == digest
    assert meta["interpretation"]["fallbacks"] == result.interpretation.fallbacks
    assert all(c["passed"] for c in meta["checks"])


def test_arena_and_build_script_wiring(tmp_path):
    """ArenaBootstrap wires BehaviorParameters and DecisionRequester; BuildPlayer builds a server."""
    result = generate(GUIDE_NAVIGATION, tmp_path)
    spec = result.interpretation.spec
    arena = (tmp_path / "Assets" / "Scripts" / "ArenaBootstrap.cs").read_text()
    agent = (tmp_path / "Assets" / "Scripts" / "NavigationAgent.cs").read_text()
    assert "behavior.BehaviorName = NavigationAgent.k_BehaviorName;" in arena
    assert f'k_BehaviorName = "{spec.behavior_name}"' in agent
    assert f"k_ObservationSize = {spec.observation_size};" in agent
    assert "ActionSpec.MakeContinuous(2)" in arena
    assert "requester.DecisionPeriod = NavigationAgent.k_DecisionPeriod;" in arena
    assert "GameObject.CreatePrimitive(PrimitiveType.Cylinder)" in arena
    build = (tmp_path / "Assets" / "Editor" / "BuildPlayer.cs").read_text()
    assert "public static void BuildLinuxServer()" in build
    assert "BuildTarget.StandaloneLinux64" in build and "StandaloneBuildSubtarget.Server" in build
    assert '"--mlops-build-output"' in build
    tags = (tmp_path / "ProjectSettings" / "TagManager.asset").read_text()
    assert "  - wall" in tags and "  - obstacle" in tags


@pytest.mark.parametrize(
    "asset", [GUIDE_SIMPLE, {"asset_id": "b", "name": "Balancer", "description": "balance a ball"}]
)
def test_record_demonstrations_adds_the_recorder(tmp_path, asset):
    """record_demonstrations adds DemonstrationRecorder, heuristic-only behavior and checks still pass."""
    result = generate(asset, tmp_path, record_demonstrations=True)
    arena = (tmp_path / "Assets" / "Scripts" / "ArenaBootstrap.cs").read_text()
    assert "using Unity.MLAgents.Demonstrations;" in arena
    assert "recorder.Record = true;" in arena and "BehaviorType.HeuristicOnly" in arena
    assert result.passed and result.metadata["record_demonstrations"] is True
    plain = generate(asset, tmp_path / "plain")
    assert (
        "DemonstrationRecorder"
        not in (tmp_path / "plain" / "Assets" / "Scripts" / "ArenaBootstrap.cs").read_text()
    )
    assert plain.passed
    assert_types_checked(result.checks)
    assert_types_checked(plain.checks)


def test_discrete_project_masks_actions(tmp_path):
    """A discrete behavior gets WriteDiscreteActionMask and a 5-way branch."""
    asset = UnityAssetSpec(
        asset_id="g",
        name="Grid",
        description="reach the goal",
        action_space={"type": "discrete", "branches": [5]},
    )
    result = generate(asset, tmp_path)
    agent = (tmp_path / "Assets" / "Scripts" / "GridAgent.cs").read_text()
    assert "public override void WriteDiscreteActionMask(IDiscreteActionMask actionMask)" in agent
    assert "ActionSpec.MakeDiscrete(5)" in (tmp_path / "Assets" / "Scripts" / "ArenaBootstrap.cs").read_text()
    assert result.passed
    assert_types_checked(result.checks)


def test_template_failure_raises_codegen_error(tmp_path, monkeypatch):
    """If even the template output fails a check, generate raises CodegenError with the diagnostics."""
    import importlib

    module = importlib.import_module("mlops_unity_pipeline.codegen.generate")

    real = module.render_project

    def broken(spec, **kwargs):
        files = real(spec, **kwargs)
        key = next(k for k in files if k.endswith("ArenaBootstrap.cs"))
        files[key] = files[key].replace("void Awake()", "void Awake(")
        return files

    monkeypatch.setattr(module, "render_project", broken)
    with pytest.raises(CodegenError, match="ArenaBootstrap.cs"):
        generate(GUIDE_NAVIGATION, tmp_path)


def test_generate_refuses_an_out_path_that_is_a_file_before_writing(tmp_path):
    """--out naming a file fails with SpecError naming it; nothing is written beside it."""
    target = tmp_path / "a_file.txt"
    target.write_text("mine")
    with pytest.raises(SpecError, match=r"--out .*a_file.txt: exists and is not a folder"):
        generate(GUIDE_SIMPLE, target)
    assert target.read_text() == "mine" and sorted(p.name for p in tmp_path.iterdir()) == ["a_file.txt"]
