"""Our own agents, written the way Unity developers use com.unity.ml-agents 3.0.0 and UnityEngine, pass the
syntax and type checks; API misuse fails them with the compiler's message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mlops_unity_pipeline.codegen.checks import run_checks
from mlops_unity_pipeline.codegen.checks.typecheck import find_mcs

from .test_stubs_api import ISSUE_LIST

AGENTS = Path(__file__).parent / "fixtures" / "agents"
needs_mcs = pytest.mark.skipif(find_mcs() is None, reason="mcs not installed (apt-get install mono-mcs)")

UNITY_ENGINE_USES = (
    r"\.linearVelocity\b",
    r"\.velocity\b",
    r"\bConfigurableJoint\b",
    r"\bJointDrive\b",
    r"\bPhysics\.Raycast\(",
    r"\bPhysics\.SphereCast\(",
    r"\bPhysics\.OverlapBox\(",
    r"\bPhysics\.CheckBox\(",
    r"\bLayerMask\.GetMask\(",
    r"\bTime\.",
    r"\bRandom\.",
    r"\bMathf\.",
    r"\bInput\.",
    r"\bDebug\.",
    r"\bResources\.Load",
    r"\bGameObject\.CreatePrimitive\(",
    r"\.tag = ",
    r"\bCompareTag\(",
    r"\bUnityEvent\b",
    r"\bAnimationCurve\b",
    r"\bGizmos\.",
    r"\bGUIStyle\b",
    r"\bSceneManager\.",
    r"\bvoid OnCollisionEnter\(Collision ",
    r"\bprotected override void Awake\(\)",
    r"\bbase\.Awake\(\)",
)
"""UnityEngine and ML-Agents usages the fixtures must exercise (docs/codegen.md, API stubs)."""


def _by_name(results):
    return {r.name: r for r in results}


def _type_errors(tmp_path: Path, source: str) -> list[str]:
    (tmp_path / "Probe.cs").write_text(source)
    types = _by_name(run_checks(tmp_path))["types"]
    assert not types.passed
    return [d.message for d in types.diagnostics]


@pytest.mark.parametrize("fixture", sorted(p.name for p in AGENTS.glob("*.cs")))
def test_each_fixture_passes_syntax_and_types(fixture):
    """Each fixture agent compiles against the stubs on its own."""
    results = _by_name(run_checks(AGENTS / fixture))
    assert results["syntax"].passed, [str(d) for d in results["syntax"].diagnostics]
    assert results["types"].passed, [str(d) for d in results["types"].diagnostics]


@needs_mcs
def test_all_fixtures_compile_together():
    """The fixtures form one project (as in a Unity Assets folder) that type-checks."""
    results = _by_name(run_checks(AGENTS))
    assert results["types"].passed and results["types"].skipped is None, [
        str(d) for d in results["types"].diagnostics
    ]


@pytest.mark.parametrize("name", ISSUE_LIST)
def test_fixtures_use_every_listed_ml_agents_type(name):
    """Every ML-Agents type the issue lists is used by some fixture (a wrong stub of it would be caught)."""
    simple = name.rsplit(".", 1)[-1].split("`")[0]
    if simple.endswith("Attribute"):
        simple = simple.removesuffix("Attribute")
    text = "\n".join(p.read_text() for p in AGENTS.glob("*.cs"))
    assert re.search(rf"\b{simple}\b", text), f"no fixture uses {simple}"


@pytest.mark.parametrize("pattern", UNITY_ENGINE_USES)
def test_fixtures_use_the_gameplay_api(pattern):
    """The fixtures exercise the UnityEngine surface the issue lists (physics, events, GUI, scenes...)."""
    text = "\n".join(p.read_text() for p in AGENTS.glob("*.cs"))
    assert re.search(pattern, text), f"no fixture matches {pattern}"


# --- misuse fails with the compiler's message ---

AGENT_HEAD = (
    "using UnityEngine;\nusing Unity.MLAgents;\nusing Unity.MLAgents.Actuators;\n"
    "using Unity.MLAgents.Sensors;\n"
)


@needs_mcs
@pytest.mark.parametrize(
    ("member", "code"),
    [
        ("public override void OnEpisodeBegin(int episode) { }", "CS0115"),  # no such virtual overload
        ("public override void CollectObservations(float[] observations) { }", "CS0115"),
        ("protected override void Start() { }", "CS0115"),  # Agent has no virtual Start
        ("public override void Awake() { base.Awake(); }", "CS0507"),  # Awake is protected (internal)
        ("protected internal override void Awake() { }", "CS0507"),  # ``internal`` only within the package
    ],
)
def test_wrong_override_fails(tmp_path, member, code):
    """Overriding a method Agent does not declare that way fails with the compiler's code."""
    errors = _type_errors(tmp_path, AGENT_HEAD + f"public class Probe : Agent\n{{\n    {member}\n}}\n")
    assert errors[0].startswith(code), errors


@needs_mcs
@pytest.mark.parametrize(
    ("statement", "code"),
    [
        ("Academy.Instance.Reset();", "CS1061"),  # no such instance member
        ("Physics.RaycastEverything(Vector3.zero);", "CS0117"),  # no such static member
        ("var a = new VectorActuator(null, ActionSpec.MakeContinuous(1));", "CS0246"),  # internal in 3.0.0
        ("var s = new StatsRecorder();", "CS0122"),  # its constructor is internal to the package
        ("var m = new PhysicMaterial();", "CS0619"),  # renamed PhysicsMaterial in Unity 6: an error there
    ],
)
def test_missing_member_fails(tmp_path, statement, code):
    """Using a member or type the real API does not offer fails with the compiler's code."""
    source = AGENT_HEAD + (
        f"public class Probe : MonoBehaviour\n{{\n    void Start()\n    {{\n        {statement}\n    }}\n}}\n"
    )
    errors = _type_errors(tmp_path, source)
    assert errors[0].startswith(code), errors


@needs_mcs
@pytest.mark.parametrize(
    ("statement", "code"),
    [
        ("sensor.AddObservation(1f, 2f);", "CS1501"),  # no overload takes two arguments
        ('sensor.AddObservation("far");', "CS1502"),  # no overload takes a string
        ("AddReward(1.0);", "CS1503"),  # float expected, double given
        ("var g = new SimpleMultiAgentGroup(); g.AddGroupReward(1f, true);", "CS1501"),
        ("Physics.CheckBox(Vector3.zero);", "CS1501"),
    ],
)
def test_wrong_signature_fails(tmp_path, statement, code):
    """Calling a real member with the wrong arguments fails with the compiler's code."""
    source = AGENT_HEAD + (
        "public class Probe : Agent\n{\n    public override void CollectObservations(VectorSensor sensor)\n"
        f"    {{\n        {statement}\n    }}\n}}\n"
    )
    errors = _type_errors(tmp_path, source)
    assert any(e.startswith(code) for e in errors), errors  # mcs may add CS1502 first


@needs_mcs
def test_stubs_are_one_cached_library():
    """The stubs compile once into a library the checks reference (cached by content), like a package DLL."""
    from mlops_unity_pipeline.codegen.checks.typecheck import stubs_assembly

    first = stubs_assembly(find_mcs())
    assert first.is_file() and first.name == "UnityStubs.dll"  # the assembly name a harness loads it by
    assert stubs_assembly(find_mcs()) == first
