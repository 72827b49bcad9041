"""The scripts that record the real ML-Agents API and compare our UnityEngine stubs with Unity's source."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=300, check=False)


def test_extractor_records_the_runtime_api_of_a_package_folder(tmp_path):
    """--folder reads Runtime/ (not the gRPC assembly): version, dependencies, commit and signatures."""
    package = tmp_path / "pkg"
    (package / "Runtime" / "Grpc").mkdir(parents=True)
    (package / "package.json").write_text(
        json.dumps(
            {"name": "com.unity.ml-agents", "version": "9.9.9", "dependencies": {"com.unity.sentis": "1.0"}}
        )
    )
    (package / "Runtime" / "Agent.cs").write_text(
        "namespace Unity.MLAgents { public class Agent { protected internal virtual void Awake() { } "
        "internal void Hidden() { } } internal class Secret { } }"
    )
    grpc = "namespace Unity.MLAgents { public class Proto { } }"
    (package / "Runtime" / "Grpc" / "Proto.cs").write_text(grpc)
    out = tmp_path / "api.json"
    script = str(SCRIPTS / "extract_mlagents_api.py")
    proc = _run(script, "--folder", str(package), "--commit", "a" * 40, "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    document = json.loads(out.read_text())
    assert (document["version"], document["commit"]) == ("9.9.9", "a" * 40)
    assert document["dependencies"] == {"com.unity.sentis": "1.0"}
    assert [t["name"] for t in document["types"]] == ["Unity.MLAgents.Agent"]
    assert {m["signature"] for m in document["types"][0]["members"]} == {
        "protected internal virtual void Awake()",
        "public Agent()",
    }


def test_unity_comparison_reports_what_the_reference_lacks(tmp_path):
    """A reference without our stubbed types or with other signatures fails, naming each difference."""
    (tmp_path / "Runtime").mkdir()
    (tmp_path / "Runtime" / "Time.cs").write_text(
        "namespace UnityEngine { public class Time { public static float time { get { return 0f; } } } }"
    )
    proc = _run(str(SCRIPTS / "check_unityengine_stubs.py"), str(tmp_path))
    assert proc.returncode == 1
    assert "UnityEngine.Time: public static float deltaTime { get; }" in proc.stdout
    assert "UnityEngine.Rigidbody: no such type in the reference" in proc.stdout
    assert "UnityEngine.Time: public static float time { get; }" not in proc.stdout


def test_unity_comparison_refuses_a_folder_that_is_not_a_checkout(tmp_path):
    """A folder without Runtime/ is refused with a one-line reason (exit 2)."""
    proc = _run(str(SCRIPTS / "check_unityengine_stubs.py"), str(tmp_path))
    assert proc.returncode == 2 and "not a UnityCsReference checkout" in proc.stderr
