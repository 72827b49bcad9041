"""Our ML-Agents stubs declare exactly the public API of the real com.unity.ml-agents package.

``data/mlagents_api_3.0.0.json`` holds the facts read from the published package by
``scripts/extract_mlagents_api.py``; here the stubs are read with the same code and compared type by type.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from mlops_unity_pipeline.behavior import Archetype, default_spec
from mlops_unity_pipeline.codegen.api_surface import ApiType, read_surface
from mlops_unity_pipeline.codegen.checks.typecheck import PLAYER_DEFINES, stub_files
from mlops_unity_pipeline.codegen.csharp import (
    MLAGENTS_PACKAGE_VERSION,
    SENTIS_PACKAGE_VERSION,
    UNITY_EDITOR_VERSION,
    render_project,
)

REAL_API = Path(__file__).parent / "data" / f"mlagents_api_{MLAGENTS_PACKAGE_VERSION}.json"

ISSUE_LIST = (
    "Unity.MLAgents.Agent",
    "Unity.MLAgents.Academy",
    "Unity.MLAgents.EnvironmentParameters",
    "Unity.MLAgents.StatsRecorder",
    "Unity.MLAgents.SimpleMultiAgentGroup",
    "Unity.MLAgents.IMultiAgentGroup",
    "Unity.MLAgents.DecisionRequester",
    "Unity.MLAgents.Policies.BehaviorParameters",
    "Unity.MLAgents.Policies.BrainParameters",
    "Unity.MLAgents.Policies.BehaviorType",
    "Unity.MLAgents.Actuators.ActionSpec",
    "Unity.MLAgents.Actuators.ActionBuffers",
    "Unity.MLAgents.Actuators.ActionSegment`1",
    "Unity.MLAgents.Actuators.IActuator",
    "Unity.MLAgents.Actuators.ActuatorComponent",
    "Unity.MLAgents.Actuators.IDiscreteActionMask",
    "Unity.MLAgents.Sensors.ISensor",
    "Unity.MLAgents.Sensors.SensorComponent",
    "Unity.MLAgents.Sensors.VectorSensor",
    "Unity.MLAgents.Sensors.VectorSensorComponent",
    "Unity.MLAgents.Sensors.ObservationSpec",
    "Unity.MLAgents.Sensors.ObservationWriter",
    "Unity.MLAgents.Sensors.CompressionSpec",
    "Unity.MLAgents.Sensors.RayPerceptionSensorComponent3D",
    "Unity.MLAgents.Sensors.RayPerceptionSensorComponent2D",
    "Unity.MLAgents.Sensors.RayPerceptionSensorComponentBase",
    "Unity.MLAgents.Sensors.RayPerceptionInput",
    "Unity.MLAgents.Sensors.RayPerceptionOutput",
    "Unity.MLAgents.Sensors.BufferSensorComponent",
    "Unity.MLAgents.Sensors.GridSensorComponent",
    "Unity.MLAgents.Sensors.CameraSensorComponent",
    "Unity.MLAgents.Sensors.StackingSensor",
    "Unity.MLAgents.Sensors.Reflection.ObservableAttribute",
    "Unity.MLAgents.SideChannels.SideChannel",
    "Unity.MLAgents.SideChannels.SideChannelManager",
    "Unity.MLAgents.Demonstrations.DemonstrationRecorder",
)
"""Types the generated code relies on: each must be in the recorded API (not cut short) and stubbed."""


INTERNAL_IN_3_0 = ("Unity.MLAgents.Actuators.VectorActuator",)
"""Named by the issue but ``internal`` in 3.0.0 (Runtime/Actuators/VectorActuator.cs): users cannot use it."""


@lru_cache(maxsize=1)
def _real() -> dict[str, ApiType]:
    document = json.loads(REAL_API.read_text(encoding="utf-8"))
    return {t["name"]: ApiType.from_dict(t) for t in document["types"]}


@lru_cache(maxsize=1)
def _stubs() -> dict[str, ApiType]:
    return read_surface(stub_files(), PLAYER_DEFINES)


def test_record_is_the_package_version_the_project_targets():
    """The recorded API is of the ML-Agents version and Sentis dependency the generated manifest names."""
    document = json.loads(REAL_API.read_text(encoding="utf-8"))
    assert document["package"] == "com.unity.ml-agents"
    assert document["version"] == MLAGENTS_PACKAGE_VERSION
    assert document["dependencies"]["com.unity.sentis"] == SENTIS_PACKAGE_VERSION
    assert len(document["commit"]) == 40


@pytest.mark.parametrize("archetype", list(Archetype))
def test_generated_manifest_names_the_modelled_versions(archetype):
    """The generated project pins the ML-Agents and Sentis versions the stubs model, on Unity 6000.0."""
    files = render_project(default_spec(archetype, "Probe"))
    dependencies = json.loads(files["Packages/manifest.json"])["dependencies"]
    assert dependencies["com.unity.ml-agents"] == MLAGENTS_PACKAGE_VERSION == "3.0.0"
    assert dependencies["com.unity.sentis"] == SENTIS_PACKAGE_VERSION
    assert files["ProjectSettings/ProjectVersion.txt"].strip() == f"m_EditorVersion: {UNITY_EDITOR_VERSION}"
    assert UNITY_EDITOR_VERSION.startswith("6000.0.")


@pytest.mark.parametrize("name", ISSUE_LIST)
def test_issue_types_are_recorded_and_stubbed(name):
    """Every type the issue lists exists in the real package's API and in our stubs."""
    assert name in _real(), f"{name} is not in {REAL_API.name}"
    assert name in _stubs(), f"{name} is not stubbed"


@pytest.mark.parametrize("name", INTERNAL_IN_3_0)
def test_internal_types_are_not_stubbed(name):
    """A type internal to the package is in neither the record nor the stubs (so using it fails here too)."""
    assert name not in _real()
    assert name not in _stubs()


def test_every_real_type_is_stubbed_with_the_same_header():
    """Each public type of the package is stubbed with its kind, modifiers, generics and base types."""
    real, stubs = _real(), _stubs()
    missing = sorted(set(real) - set(stubs))
    assert not missing, f"not stubbed: {missing}"
    wrong = [
        f"{n}:\n  real: {real[n].signature}\n  stub: {stubs[n].signature}"
        for n in real
        if real[n].signature != stubs[n].signature
    ]
    assert not wrong, "\n".join(wrong)


def test_every_real_type_has_exactly_the_real_members():
    """No member is missing, extra or declared differently (modifiers, types, parameters, defaults...)."""
    real, stubs = _real(), _stubs()
    problems = []
    for name in sorted(real):
        if name not in stubs:
            continue
        want = {m.signature for m in real[name].members}
        have = {m.signature for m in stubs[name].members}
        problems += [f"{name}: missing  {s}" for s in sorted(want - have)]
        problems += [f"{name}: extra    {s}" for s in sorted(have - want)]
    assert not problems, "\n".join(problems)


def test_stubs_declare_no_ml_agents_type_the_package_lacks():
    """Every type the stubs put in a Unity.MLAgents namespace exists in the real package."""
    real = _real()
    invented = sorted(n for n in _stubs() if n.startswith("Unity.MLAgents") and n not in real)
    assert not invented, f"not in com.unity.ml-agents {MLAGENTS_PACKAGE_VERSION}: {invented}"
