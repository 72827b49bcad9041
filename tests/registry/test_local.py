"""The local registry: numbered immutable versions, aliases with history, the promotion gate, mirrors."""

from __future__ import annotations

import sqlite3

import pytest

from mlops_unity_pipeline.errors import RegistryError, StoreError
from mlops_unity_pipeline.registry import LocalRegistry, ModelVersion, PromotionGate, RegistryMirror
from mlops_unity_pipeline.store.artifacts import ArtifactStore


class RecordingMirror:
    name = "recording"

    def __init__(self, fail=False):
        self.fail = fail
        self.registered = []
        self.moves = []

    def on_registered(self, version, artifact_dir):
        if self.fail:
            raise RuntimeError("remote down")
        self.registered.append(version.version)
        return {"remote_version": str(version.version)}

    def on_alias_moved(self, asset_id, alias, version):
        self.moves.append((alias, version.version))


@pytest.fixture
def setup(tmp_path):
    artifacts = ArtifactStore(tmp_path / "artifacts")

    def model(content: bytes):
        src = tmp_path / "m.onnx"
        src.write_bytes(content)
        return artifacts.put_file(src, name="Nav.onnx")

    return tmp_path, artifacts, model


def register(registry, ref, reward, job="job-1", baseline=None):
    metrics = {"eval/mean_reward": reward}
    if baseline is not None:
        metrics["baseline/mean_reward"] = baseline
    return registry.register("nav-001", sha256=ref.sha256, model_path=ref.path, metrics=metrics, job_id=job)


def test_versions_number_up_and_gate_moves_champion(setup):
    """v1 becomes champion; a worse v2 stays candidate; a better v3 becomes champion."""
    root, artifacts, model = setup
    registry = LocalRegistry(root / "registry", artifacts)
    v1, p1 = register(registry, model(b"1"), 0.5, "j1")
    v2, p2 = register(registry, model(b"2"), 0.2, "j2")
    v3, p3 = register(registry, model(b"3"), 0.9, "j3")
    assert (v1.version, v2.version, v3.version) == (1, 2, 3)
    assert (p1, p2, p3) == (True, False, True)
    assert registry.get_version("nav-001", "champion").version == 3
    assert registry.get_version("nav-001", "candidate").version == 3
    assert registry.get_version("nav-001", 2).aliases == ()
    history = [(m.alias, m.from_version, m.to_version) for m in registry.alias_history("nav-001")]
    assert history == [
        ("candidate", None, 1),
        ("champion", None, 1),
        ("candidate", 1, 2),
        ("candidate", 2, 3),
        ("champion", 1, 3),
    ]
    assert "does not beat" not in registry.alias_history("nav-001")[-1].reason


def test_gate_requires_beating_the_random_baseline(setup):
    """A first version that scores no better than the random policy is not champion."""
    root, artifacts, model = setup
    registry = LocalRegistry(root / "registry", artifacts)
    _, promoted = register(registry, model(b"1"), 0.1, baseline=0.3)
    assert promoted is False
    with pytest.raises(RegistryError, match="no champion"):
        registry.get_version("nav-001", "champion")


def test_gate_is_configurable(setup):
    """min_delta and disabling the gate change what gets promoted."""
    root, artifacts, model = setup
    strict = LocalRegistry(root / "r1", artifacts, gate=PromotionGate(min_delta=0.5))
    register(strict, model(b"1"), 0.5, "j1")
    assert register(strict, model(b"2"), 0.8, "j2")[1] is False
    loose = LocalRegistry(root / "r2", artifacts, gate=PromotionGate(enabled=False))
    register(loose, model(b"1"), 0.5, "j1")
    assert register(loose, model(b"2"), 0.1, "j2")[1] is True
    lower = LocalRegistry(
        root / "r3", artifacts, gate=PromotionGate(metric="eval/mean_length", higher_is_better=False)
    )
    ref = model(b"9")
    lower.register("a", sha256=ref.sha256, model_path=ref.path, metrics={"eval/mean_length": 50}, job_id="j1")
    _, promoted = lower.register(
        "a", sha256=ref.sha256, model_path=ref.path, metrics={"eval/mean_length": 30}, job_id="j2"
    )
    assert promoted is True


def test_versions_are_immutable(setup):
    """Updating or deleting a version row is refused by the database itself."""
    root, artifacts, model = setup
    registry = LocalRegistry(root / "registry", artifacts)
    register(registry, model(b"1"), 0.5)
    conn = sqlite3.connect(registry.db_path)
    with pytest.raises(sqlite3.DatabaseError, match="immutable"):
        conn.execute("UPDATE versions SET sha256='x'")
    with pytest.raises(sqlite3.DatabaseError, match="immutable"):
        conn.execute("DELETE FROM versions")


def test_register_is_idempotent_per_job_and_hash(setup):
    """Re-registering the same job's model (a resumed register stage) returns the same version."""
    root, artifacts, model = setup
    registry = LocalRegistry(root / "registry", artifacts)
    ref = model(b"1")
    first, _ = register(registry, ref, 0.5)
    again, promoted = register(registry, ref, 0.5)
    assert again.version == first.version == 1 and promoted is True
    assert len(registry.list_versions("nav-001")) == 1


def test_half_written_or_corrupt_model_is_never_registered(setup):
    """A model whose bytes do not match the given hash is refused before anything is recorded."""
    root, artifacts, model = setup
    registry = LocalRegistry(root / "registry", artifacts)
    ref = model(b"complete")
    partial = root / "partial.onnx"
    partial.write_bytes(b"compl")
    with pytest.raises(StoreError, match="corrupt"):
        registry.register("nav-001", sha256=ref.sha256, model_path=partial, metrics={}, job_id="j")
    assert registry.list_models() == []


def test_manual_promote_and_lookups(setup):
    """promote moves an alias by hand with a recorded reason; unknown things are RegistryErrors."""
    root, artifacts, model = setup
    registry = LocalRegistry(root / "registry", artifacts)
    register(registry, model(b"1"), 0.9, "j1")
    register(registry, model(b"2"), 0.1, "j2")
    promoted = registry.promote("nav-001", 2, reason="rollback test")
    assert "champion" in promoted.aliases
    assert registry.alias_history("nav-001")[-1].reason == "rollback test"
    assert registry.model_file("nav-001").read_bytes() == b"2"
    assert registry.list_models() == [
        {"asset_id": "nav-001", "versions": 2, "latest_version": 2, "champion": 2, "candidate": 2}
    ]
    with pytest.raises(RegistryError, match="no version 7"):
        registry.promote("nav-001", 7)
    with pytest.raises(RegistryError, match="alias"):
        registry.promote("nav-001", 1, alias="production")
    with pytest.raises(RegistryError, match="no registered model for asset 'other'"):
        registry.list_versions("other")


def test_mirrors_follow_and_their_failure_is_reported(setup):
    """Mirrors see registrations and alias moves; a failing mirror raises RegistryError, local stays."""
    root, artifacts, model = setup
    mirror = RecordingMirror()
    assert isinstance(mirror, RegistryMirror)
    registry = LocalRegistry(root / "registry", artifacts, mirrors=[mirror])
    version, _ = register(registry, model(b"1"), 0.5)
    assert mirror.registered == [1] and ("champion", 1) in mirror.moves
    assert version.external_ids == {"recording": {"remote_version": "1"}}
    registry.promote("nav-001", 1, alias="candidate")
    broken = LocalRegistry(root / "registry2", artifacts, mirrors=[RecordingMirror(fail=True)])
    with pytest.raises(
        RegistryError, match="registered locally, but mirroring failed: recording: remote down"
    ):
        register(broken, model(b"2"), 0.5)
    assert [v.version for v in broken.list_versions("nav-001")] == [1]


def test_model_version_to_dict(setup):
    """ModelVersion serializes to JSON-ready values."""
    root, artifacts, model = setup
    version, _ = register(LocalRegistry(root / "registry", artifacts), model(b"1"), 0.5)
    data = version.to_dict()
    assert (
        isinstance(version, ModelVersion)
        and data["version"] == 1
        and data["aliases"] == ["candidate", "champion"]
    )


def test_corrupt_registry_file(setup):
    """A registry.db that is not a database gives RegistryError saying so."""
    root, artifacts, _ = setup
    (root / "registry").mkdir()
    (root / "registry" / "registry.db").write_bytes(b"garbage" * 200)
    with pytest.raises(RegistryError, match="corrupt"):
        LocalRegistry(root / "registry", artifacts)


def test_identical_model_from_another_job_is_the_existing_version(setup):
    """Same sha256 from a second job: no new version; the first is returned with its own metrics."""
    root, artifacts, model = setup
    registry = LocalRegistry(root / "registry", artifacts)
    ref = model(b"same weights")
    first, _ = register(registry, ref, 0.5, job="job-1")
    again, promoted = register(registry, ref, 0.9, job="job-2")
    assert again.version == first.version == 1 and again.job_id == "job-1"
    assert again.metrics["eval/mean_reward"] == 0.5 and promoted is True  # v1 is (still) the champion
    assert [v.version for v in registry.list_versions("nav-001")] == [1]
    other, _ = register(registry, model(b"new weights"), 0.7, job="job-3")
    assert other.version == 2  # different bytes are a new version
