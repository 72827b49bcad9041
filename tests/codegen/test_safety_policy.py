"""The compiler-based safety policy: references read from the compiled assembly, judged by an allowlist."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_unity_pipeline.behavior import Archetype, default_spec
from mlops_unity_pipeline.codegen.checks import check_safety, run_checks
from mlops_unity_pipeline.codegen.checks.assembly import STUBS_ASSEMBLY, UNKNOWN_ASSEMBLY, Reference, TypeName
from mlops_unity_pipeline.codegen.checks.policy import judge
from mlops_unity_pipeline.codegen.checks.safety import NOT_DECIDED_NO_MCS
from mlops_unity_pipeline.codegen.checks.typecheck import find_mcs
from mlops_unity_pipeline.codegen.csharp import render_project

needs_mcs = pytest.mark.skipif(find_mcs() is None, reason="mcs not installed (apt-get install mono-mcs)")

MANY_DOORS = """using System;
using UnityEngine;
using Unity.MLAgents;
using IOFile = System.IO.File;
public class Doors : Agent
{
    public override void OnEpisodeBegin()
    {
        IOFile.ReadAllText("/etc/passwd");
        global::System.Net.Dns.GetHostName();
        System.Diagnostics.Process.GetCurrentProcess();
        System.Reflection.Assembly.GetExecutingAssembly();
        Type.GetType("System.IO.File");
        Activator.CreateInstance(typeof(Doors));
        Environment.Exit(3);
        GC.Collect();
        System.Threading.Tasks.Task.Run(() => { });
        System.Runtime.InteropServices.Marshal.SizeOf(typeof(int));
    }
}
"""

EXPECTED_REFUSED = [
    ("file", "System.IO.File::ReadAllText"),
    ("network", "System.Net.Dns::GetHostName"),
    ("process", "System.Diagnostics.Process::GetCurrentProcess"),
    ("reflection", "System.Reflection.Assembly::GetExecutingAssembly"),
    ("reflection", "System.Type::GetType"),
    ("reflection", "System.Activator::CreateInstance"),
    ("process", "System.Environment::Exit"),
    ("process", "System.GC::Collect"),
    ("threads", "System.Threading.Tasks.Task::Run"),
    ("native", "System.Runtime.InteropServices.Marshal::SizeOf"),
]


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


@needs_mcs
def test_every_door_is_refused_and_placed(tmp_path):
    """One compile: each refused reference is reported with its category, file, method and line."""
    folder = _project(tmp_path, {"Assets/Scripts/Doors.cs": MANY_DOORS})
    safety = check_safety([folder / "Assets/Scripts/Doors.cs"], folder)
    assert not safety.passed
    messages = [d.message for d in safety.diagnostics]
    for category, reference in EXPECTED_REFUSED:
        hits = [d for d in safety.diagnostics if reference in d.message]
        assert hits, (reference, messages)
        assert hits[0].message.startswith(category + ":"), hits[0].message
        assert hits[0].file == "Assets/Scripts/Doors.cs" and hits[0].line == 7  # OnEpisodeBegin's declaration
        assert "in Doors.OnEpisodeBegin" in hits[0].message


@needs_mcs
@pytest.mark.parametrize("archetype", list(Archetype))
def test_template_projects_pass(tmp_path, archetype):
    """Everything the templates emit (with the demonstration recorder, the widest form) passes the policy."""
    spec = default_spec(archetype, "Probe")
    folder = _project(tmp_path, render_project(spec, record_demonstrations=True))
    results = {r.name: r for r in run_checks(folder)}
    assert results["safety"].passed, [str(d) for d in results["safety"].diagnostics]
    assert results["safety"].skipped is None


@needs_mcs
def test_editor_scripts_get_the_editor_allowance(tmp_path):
    """Environment.GetCommandLineArgs is allowed under an Editor folder, refused in runtime code."""
    code = (
        "public static class {name} {{ public static int N() {{ "
        "return System.Environment.GetCommandLineArgs().Length; }} }}\n"
    )
    folder = _project(
        tmp_path,
        {
            "Assets/Editor/Build.cs": code.format(name="Build"),
            "Assets/Scripts/Run.cs": code.format(name="Run"),
        },
    )
    safety = {r.name: r for r in run_checks(folder)}["safety"]
    assert [d.file for d in safety.diagnostics] == ["Assets/Scripts/Run.cs"]
    assert "GetCommandLineArgs" in safety.diagnostics[0].message


@needs_mcs
def test_extern_without_dllimport_is_refused(tmp_path):
    """A method declared extern (no IL body) is native code, refused even without [DllImport]."""
    folder = _project(tmp_path, {"E.cs": "public class E { static extern int F(); }\n"})
    safety = check_safety([folder / "E.cs"], folder)
    assert not safety.passed and "extern" in safety.diagnostics[0].message
    assert safety.diagnostics[0].file == "E.cs"


@needs_mcs
def test_unsafe_code_is_refused(tmp_path):
    """unsafe code does not compile for the policy (no -unsafe) and is reported as unsafe."""
    folder = _project(tmp_path, {"U.cs": "public class U { unsafe void F() { int x = 1; int* p = &x; } }\n"})
    safety = check_safety([folder / "U.cs"], folder)
    assert not safety.passed and safety.diagnostics[0].message.startswith("unsafe:")


@needs_mcs
def test_collections_math_and_formatting_pass(tmp_path):
    """Allowed BCL: collections, LINQ, math, formatting, tuples, typeof, coroutines, delegates."""
    code = """using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using UnityEngine;
public class Ok : MonoBehaviour
{
    readonly Dictionary<string, List<float>> m_Seen = new Dictionary<string, List<float>>();
    static readonly float[] k_Weights = { 0.5f, 0.25f, 0.25f };
    void Start()
    {
        var sb = new StringBuilder();
        foreach (var pair in m_Seen.OrderBy(p => p.Key)) { sb.Append(pair.Key).Append(pair.Value.Sum()); }
        System.Func<float, float> square = x => x * x;
        var sizes = (count: m_Seen.Count, first: k_Weights[0]);
        Debug.Log(sizes.count + sizes.first);
        Debug.Log(string.Format(CultureInfo.InvariantCulture, "{0:F2} {1} {2}", System.Math.Sqrt(square(2f)),
            typeof(Ok) == typeof(MonoBehaviour), k_Weights.Max()));
        StartCoroutine(Tick());
    }
    IEnumerator Tick() { yield return new WaitForSeconds(1f); }
}
"""
    folder = _project(tmp_path, {"Ok.cs": code})
    results = {r.name: r for r in run_checks(folder)}
    assert results["types"].passed, [str(d) for d in results["types"].diagnostics]
    assert results["safety"].passed, [str(d) for d in results["safety"].diagnostics]


@needs_mcs
def test_generating_into_a_project_judges_only_the_generated_files(tmp_path):
    """A user's own System.IO script in the target project does not fail generation; ours are still judged."""
    from mlops_unity_pipeline.codegen import generate

    _project(
        tmp_path,
        {
            "Assets/Scripts/Mine/Loader.cs": "public class Loader { string F() { return "
            'System.IO.File.ReadAllText("m.onnx"); } }\n'
        },
    )
    result = generate({"asset_id": "a", "name": "SimpleAgent", "description": "Reach target"}, tmp_path)
    safety = {c.name: c for c in result.checks}["safety"]
    assert result.passed and safety.passed and safety.skipped is None
    assert not {c.name: c for c in run_checks(tmp_path)}["safety"].passed  # the folder as a whole is not


def test_without_mcs_the_policy_fails_closed(tmp_path, monkeypatch):
    """No compiler: the safety result does not pass and says it was not decided."""
    monkeypatch.setenv("MLOPS_MCS", str(tmp_path / "no-such-mcs"))
    (tmp_path / "F.cs").write_text("public class F { }\n")
    safety = check_safety([tmp_path / "F.cs"], tmp_path)
    assert not safety.passed and safety.skipped == NOT_DECIDED_NO_MCS


def _stub(namespace: str, name: str, member: str | None = None) -> Reference:
    return Reference(TypeName(STUBS_ASSEMBLY, namespace, name), member)


def _bcl(namespace: str, name: str, member: str | None = None) -> Reference:
    return Reference(TypeName("mscorlib", namespace, name), member)


@pytest.mark.parametrize(
    ("reference", "category"),
    [
        (_stub("UnityEngine.Networking", "UnityWebRequest", "Get"), "network"),
        (_stub("UnityEngine", "Application", "OpenURL"), "network"),
        (_stub("UnityEngine", "WWW", ".ctor"), "network"),
        (_stub("UnityEngine", "Application", "Quit"), "process"),
        (
            Reference(TypeName(STUBS_ASSEMBLY, "UnityEngine", "ScriptableObject"), "CreateInstance", True),
            "reflection",
        ),
        (_stub("UnityEngine.Windows", "File", "WriteAllBytes"), "file"),
        (_stub("UnityEngine", "PlayerPrefs", "SetString"), "file"),
        (_stub("UnityEditor", "AssetDatabase", "DeleteAsset"), "editor"),
        (_bcl("System", "Type", "GetMethod"), "reflection"),
        (_bcl("System", "Type", "InvokeMember"), "reflection"),
        (_bcl("System", "Object", "GetType"), "reflection"),
        (_bcl("System.Reflection", "MethodBase", "Invoke"), "reflection"),
        (_bcl("System", "Action", "BeginInvoke"), "not-allowed"),
        (_bcl("System", "TypedReference"), "not-allowed"),
        (_bcl("System.Runtime.CompilerServices", "RuntimeHelpers", "RunClassConstructor"), "native"),
        (Reference(TypeName(UNKNOWN_ASSEMBLY, "System", "String"), "Concat"), "not-allowed"),
    ],
)
def test_policy_refuses(reference, category):
    """Unity's network/file/browser API, reflection members and runtime services are refused by name."""
    verdict = judge(reference)
    assert verdict is not None and verdict.category == category


@pytest.mark.parametrize(
    "reference",
    [
        _stub("UnityEngine", "Application", "get_isBatchMode"),
        _stub("Unity.MLAgents", "Agent", "EndEpisode"),
        _stub("Unity.MLAgents.Demonstrations", "DemonstrationRecorder"),
        _stub("UnityEngine", "ScriptableObject", "CreateInstance"),
        _bcl("System", "Type", "GetTypeFromHandle"),
        _bcl("System.Collections.Generic", "List`1/Enumerator", "MoveNext"),
        _bcl("", "[]", "Get"),
        _bcl("System.Runtime.CompilerServices", "RuntimeHelpers", "InitializeArray"),
        Reference(TypeName("", "", "<self>"), "Anything"),
    ],
)
def test_policy_allows(reference):
    """The Unity/ML-Agents API, typeof, collections, array accessors and the code's own members pass."""
    assert judge(reference) is None


def test_editor_namespace_only_for_editor_code():
    """UnityEditor is refused in runtime code and allowed in Editor scripts."""
    reference = _stub("UnityEditor", "BuildPipeline", "BuildPlayer")
    assert judge(reference) is not None and judge(reference, editor=True) is None


@needs_mcs
def test_string_first_overloads_are_told_apart(tmp_path):
    """The reader marks MemberRefs whose first parameter is a string (Format) and not others (Log(object))."""
    from mlops_unity_pipeline.codegen.checks.assembly import compile_assembly, read_references, stubs_assembly

    source = tmp_path / "S.cs"
    source.write_text(
        'using UnityEngine;\npublic class S { void F() { Debug.Log(string.Format("{0}", 1)); } }\n'
    )
    mcs = find_mcs()
    compiled = compile_assembly(mcs, [source], tmp_path / "S.dll", [stubs_assembly(mcs)])
    members = {r.member: r for r in read_references(compiled.dll).references if r.member}
    assert members["Format"].string_first and not members["Log"].string_first
