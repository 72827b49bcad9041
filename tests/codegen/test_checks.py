"""Tests of the three checks: hand-written agents pass; broken, ill-typed and unsafe code is reported with
file:line:column."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_unity_pipeline.codegen.checks import run_checks
from mlops_unity_pipeline.codegen.checks.typecheck import find_mcs
from mlops_unity_pipeline.errors import SpecError
from tests.mono import assert_types_checked

FIXTURES = Path(__file__).parent / "fixtures" / "handwritten"
needs_mcs = pytest.mark.usefixtures("mcs")  # skips without mcs; fails under MLOPS_REQUIRE_MCS=1


def _by_name(results):
    return {r.name: r for r in results}


def test_handwritten_agents_pass_all_checks():
    """Ball3D-, GridWorld- and PushBlock-style agents (masks, ray sensor component, coroutines) pass."""
    results = _by_name(run_checks(FIXTURES))
    for name in ("syntax", "types", "safety") if find_mcs() else ("syntax", "types"):
        assert results[name].passed, [str(d) for d in results[name].diagnostics]
    assert_types_checked(results.values())


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.cs")))
@needs_mcs
def test_each_fixture_type_checks_alone(fixture):
    """Each hand-written agent compiles against the stubs on its own."""
    results = _by_name(run_checks(FIXTURES / fixture))
    assert results["types"].passed and results["types"].skipped is None


def test_syntax_error_has_position(tmp_path):
    """A missing semicolon is reported at its file, line and column."""
    (tmp_path / "A.cs").write_text("public class A\n{\n    int x = 1\n    void F() { }\n}\n")
    syntax = _by_name(run_checks(tmp_path))["syntax"]
    assert not syntax.passed
    d = syntax.diagnostics[0]
    assert (d.file, d.line) == ("A.cs", 3) and "missing" in d.message


@needs_mcs
def test_type_error_has_compiler_code_and_position(tmp_path):
    """Calling an API that does not exist fails the mcs check with CSnnnn at file(line,col)."""
    (tmp_path / "Scripts").mkdir()
    (tmp_path / "Scripts" / "B.cs").write_text(
        "using Unity.MLAgents;\nusing Unity.MLAgents.Sensors;\npublic class B : Agent\n{\n"
        "    public override void CollectObservations(VectorSensor sensor)\n    {\n"
        "        sensor.AddObservations(1f);\n    }\n}\n"
    )
    types = _by_name(run_checks(tmp_path))["types"]
    assert not types.passed
    d = types.diagnostics[0]
    assert d.file == "Scripts/B.cs" and d.line == 7 and d.message.startswith("CS1061")


@needs_mcs
def test_wrong_override_signature_fails(tmp_path):
    """An override with the wrong return type or parameters does not match Agent's virtual methods."""
    (tmp_path / "C.cs").write_text(
        "using Unity.MLAgents;\nusing Unity.MLAgents.Actuators;\npublic class C : Agent\n{\n"
        "    public override int OnEpisodeBegin() { return 0; }\n"
        "    public override void OnActionReceived(float[] vectorAction) { }\n}\n"
    )
    types = _by_name(run_checks(tmp_path))["types"]
    assert not types.passed and types.diagnostics[0].line == 5


@pytest.mark.parametrize(
    ("code", "category"),
    [
        ('using System.IO;\npublic class D { void F() { File.ReadAllText("x"); } }\n', "file"),
        ("public class D { void F() { var s = new System.Net.WebClient(); } }\n", "network"),
        ('public class D { void F() { System.Diagnostics.Process.Start("sh"); } }\n', "process"),
        ('public class D { void F() { var t = typeof(D).GetMethod("F"); } }\n', "reflection"),
        (
            "using System.Runtime.InteropServices;\n"
            'public class D { [DllImport("libc")] static extern int getpid(); }\n',
            "native",
        ),
    ],
)
@needs_mcs
def test_safety_policy_rejects(tmp_path, code, category):
    """File, network, process, reflection and native code each fail the safety check (see test_safety_*)."""
    (tmp_path / "D.cs").write_text(code)
    safety = _by_name(run_checks(tmp_path))["safety"]
    assert not safety.passed
    assert any(d.message.startswith(category) for d in safety.diagnostics)
    assert all(d.file == "D.cs" and d.line >= 1 and d.column >= 1 for d in safety.diagnostics)


@needs_mcs
def test_safety_ignores_comments_and_strings(tmp_path):
    """Mentioning System.IO in a comment or a string is not a violation."""
    (tmp_path / "E.cs").write_text(
        "// we never use System.IO or File.Delete here\n"
        'public class E { string s = "File.Delete Process"; }\n'
    )
    assert _by_name(run_checks(tmp_path))["safety"].passed


def test_types_skipped_with_reason_without_mcs(tmp_path, monkeypatch):
    """Without mcs the types check is skipped and says how to install it."""
    monkeypatch.setenv("MLOPS_MCS", str(tmp_path / "no-such-mcs"))
    (tmp_path / "F.cs").write_text("public class F { }\n")
    types = _by_name(run_checks(tmp_path))["types"]
    assert types.passed and "mcs" in types.skipped


def test_missing_folder_and_empty_folder(tmp_path):
    """A missing folder or one without .cs files is a clear error."""
    with pytest.raises(SpecError, match="no such folder"):
        run_checks(tmp_path / "missing")
    with pytest.raises(SpecError, match="no .cs files"):
        run_checks(tmp_path)


@needs_mcs
def test_player_symbols_are_defined(tmp_path):
    """Code under #if UNITY_STANDALONE is compiled (a Linux player's symbols), so its errors are found."""
    (tmp_path / "G.cs").write_text(
        "using UnityEngine;\npublic class G : MonoBehaviour\n{\n    void Awake()\n    {\n"
        "#if UNITY_STANDALONE\n        Physics.Raycastt(Vector3.zero, Vector3.up);\n#endif\n    }\n}\n"
    )
    types = _by_name(run_checks(tmp_path))["types"]
    assert not types.passed and types.diagnostics[0].line == 7
