"""``generate``: asset → behavior spec → Unity project files, checked; with an LLM, a check-and-repair loop.

With ``provider="rules"`` the templates write everything. With an LLM provider the model may write the bodies
of ``csharp.EDITABLE_METHODS``; each candidate goes through the three checks (the safety policy is decided on
the compiled assembly, ``checks.safety``) and the shape check (only bodies changed, ``checks.structure``);
failures are fed back for up to ``MAX_REPAIRS`` more attempts, and if none passes the template output is used
and the fallback recorded in the metadata.
Without ``mcs`` the policy cannot be decided, so no LLM-written C# is accepted at all (fail closed).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..behavior import Interpretation, interpret
from ..behavior.llm_interpreter import extract_json
from ..behavior.providers import LLMProvider, make_provider
from ..behavior.spec import BehaviorSpec
from ..errors import CodegenError, SpecError
from ..redact import redact_data
from ..specs import UnityAssetSpec
from .checks import CheckResult, Diagnostic, check_safety, find_mcs, run_checks
from .checks.safety import NOT_DECIDED_NO_MCS
from .checks.structure import check_structure
from .csharp import AGENT_DIR, EDITABLE_METHODS, class_name_for, render_agent, render_project

MAX_REPAIRS = 3
"""Repair attempts after the LLM's first reply."""

MAX_BODY_CHARS = 20_000
"""Longest method body accepted from an LLM (the template's are under 2,000): bounds every check's input."""

METADATA_FILE = "mlops_codegen.json"
"""Written next to the project: provider, model, prompt hash, attempts, checks, file hashes."""

SPEC_FILE = "behavior_spec.json"
"""The behavior spec the project was generated from (``BehaviorSpec.from_dict`` loads it)."""

BODY_SYSTEM_PROMPT = (
    """You write C# method bodies for a Unity ML-Agents Agent class (com.unity.ml-agents 3.x).
Constraints: C# 7.2 (no switch expressions, no records); only the UnityEngine and Unity.MLAgents API and the
fields, constants and helper methods already declared in the class; no file, network, process, reflection,
DllImport or unsafe code. Do not change observation or action semantics: keep calling the class's helpers
(ReadMove/StepPhysics/WriteMove or Tilt) the way the current bodies do.
Reply with exactly one JSON object: {"methods": {"<MethodName>": "<C# statements of the body>", ...}}
for some of the methods: """
    + ", ".join(EDITABLE_METHODS)
    + "."
)


@dataclass
class CodegenResult:
    """What ``generate`` produced."""

    interpretation: Interpretation
    """The behavior spec and how it was chosen."""
    files: list[Path]
    """Every file written (project files, then the spec and metadata JSON)."""
    checks: list[CheckResult]
    """The three checks over the written project."""
    metadata: dict[str, Any] = field(default_factory=dict)
    """provider, model, prompt_sha256, attempts, fallback_used, fallback_reason, checks, files (sha256)."""

    @property
    def passed(self) -> bool:
        """True when every check passed."""
        return all(c.passed for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the CLI's ``--json`` output)."""
        return {
            "passed": self.passed,
            "interpretation": self.interpretation.to_dict(),
            **project_record(self.files, self.checks, self.metadata),
        }


def project_record(files: list[Path], checks: list[CheckResult], metadata: dict[str, Any]) -> dict[str, Any]:
    """Return the JSON-ready files, checks and metadata of a generated project (behavior or world).

    Args:
        files: every file written.
        checks: the checks over the written project.
        metadata: the metadata written next to it.

    Returns:
        ``files`` (paths as strings), ``checks`` and ``metadata``.

    """
    return {"files": [str(p) for p in files], "checks": [c.to_dict() for c in checks], "metadata": metadata}


def project_folder(out_dir: Path | str) -> Path:
    """Return the Unity project root to write, refusing a path that exists and is not a folder.

    Args:
        out_dir: the ``--out`` path.

    Returns:
        It as a ``Path`` (created later, by the first file written).

    Raises:
        SpecError: ``out_dir`` exists and is not a folder.

    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise SpecError(f"--out {out}: exists and is not a folder")
    return out


def generate(
    asset: Any,
    out_dir: Path | str,
    *,
    provider: str | LLMProvider = "rules",
    record_demonstrations: bool = False,
) -> CodegenResult:
    """Generate the Unity project for ``asset`` into ``out_dir`` and check it.

    Args:
        asset: a ``UnityAssetSpec`` (or any object/mapping with its fields).
        out_dir: the Unity project root to write (created if missing; our files are overwritten).
        provider: ``rules``, ``openai``, ``anthropic`` or an ``LLMProvider``.
        record_demonstrations: add Unity's ``DemonstrationRecorder`` and drive the agent by keyboard
            (``BehaviorType.HeuristicOnly``) for human demonstrations.

    Returns:
        The result; ``metadata`` records provider, model, prompt sha256, attempts, fallback and check results.

    Raises:
        SpecError: when the asset cannot be interpreted.
        CodegenError: when even the template output fails the checks.
        MissingExtraError: an LLM provider without its SDK installed.

    """
    out = project_folder(out_dir)
    llm = make_provider(provider) if isinstance(provider, str) else provider
    view = UnityAssetSpec.of(asset)
    interpretation = interpret(view, provider=llm if llm is not None else "rules")
    spec = interpretation.spec
    metadata: dict[str, Any] = {
        "asset_id": view.asset_id,
        "behavior_name": spec.behavior_name,
        "class_name": class_name_for(spec),
        "archetype": spec.archetype.value,
        "provider": "rules" if llm is None else llm.name,
        "model": None if llm is None else llm.model,
        "prompt_sha256": None,
        "attempts": [],
        "fallback_used": False,
        "fallback_reason": None,
        "record_demonstrations": record_demonstrations,
        "interpretation": {k: v for k, v in interpretation.to_dict().items() if k != "spec"},
    }
    bodies: dict[str, str] | None = None
    if llm is not None:
        bodies = _llm_bodies(spec, llm, record_demonstrations, metadata)
    files = render_project(spec, bodies=bodies, record_demonstrations=record_demonstrations)
    written = _write(out, files)
    checks = _trust_template(_check_written(out, written), bodies is None)
    if not all(c.passed for c in checks):
        if bodies is None:
            raise CodegenError(
                "generated C# fails its checks: "
                + "; ".join(str(d) for c in checks for d in c.diagnostics[:5])
            )
        # accepted bodies failed in the full project (cannot happen when staging matches): use the template
        metadata["fallback_used"] = True
        metadata["fallback_reason"] = "LLM bodies failed the checks in the written project"
        written = _write(out, render_project(spec, record_demonstrations=record_demonstrations))
        checks = _trust_template(_check_written(out, written), True)
        if not all(c.passed for c in checks):
            raise CodegenError(
                "template C# fails its checks: " + "; ".join(str(d) for c in checks for d in c.diagnostics)
            )
    metadata["checks"] = [c.to_dict() for c in checks]
    metadata = redact_data(metadata)  # provider errors may echo a key (redact.py): never write or return one
    metadata["files"] = {
        rel: hashlib.sha256(files_text.encode("utf-8")).hexdigest()
        for rel, files_text in sorted(_final_files(out, written).items())
    }
    spec_path = out / SPEC_FILE
    spec_path.write_text(json.dumps(spec.to_dict(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    meta_path = out / METADATA_FILE
    meta_path.write_text(json.dumps(metadata, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return CodegenResult(interpretation, [*written, spec_path, meta_path], checks, metadata)


def _check_written(out: Path, written: list[Path]) -> list[CheckResult]:
    """Syntax and types over the whole project; the safety policy over the files we wrote only.

    ``out`` may be an existing Unity project: the user's own scripts are theirs to judge (``codegen check``),
    the policy is the rule for generated code.
    """
    syntax, types = run_checks(out, safety=False)
    if not types.passed:
        undecided = Diagnostic(".", 1, 1, "not decided: the code does not compile (see the types check)")
        return [syntax, types, CheckResult("safety", passed=False, diagnostics=[undecided])]
    return [syntax, types, check_safety([p for p in written if p.suffix == ".cs"], out)]


def _trust_template(checks: list[CheckResult], template_only: bool) -> list[CheckResult]:
    """Without ``mcs`` the policy is not decided: our own template code is used unchecked (and recorded)."""
    if not template_only:
        return checks
    return [
        CheckResult(
            "safety", passed=True, skipped=f"{NOT_DECIDED_NO_MCS}; only the template's own code was used"
        )
        if c.name == "safety" and c.skipped == NOT_DECIDED_NO_MCS
        else c
        for c in checks
    ]


# --- the LLM loop ---


def _llm_bodies(
    spec: BehaviorSpec, llm: LLMProvider, record_demonstrations: bool, metadata: dict[str, Any]
) -> dict[str, str] | None:
    """Ask for method bodies, check each candidate, feed failures back; None = use the template."""
    if find_mcs() is None:
        # fail closed (checks/safety.py): LLM C# is accepted only when the compiler-based policy passed
        metadata["fallback_used"] = True
        metadata["fallback_reason"] = f"LLM bodies not requested: {NOT_DECIDED_NO_MCS}"
        return None
    template_agent = render_agent(spec, record_demonstrations=record_demonstrations)
    user = (
        "Behavior spec:\n"
        + json.dumps(spec.to_dict(), sort_keys=True)
        + "\n\nThe Agent class with the template's bodies:\n```csharp\n"
        + template_agent
        + "```\n"
        + "Write improved bodies for "
        + ", ".join(EDITABLE_METHODS)
        + "."
    )
    metadata["prompt_sha256"] = hashlib.sha256((BODY_SYSTEM_PROMPT + "\n" + user).encode("utf-8")).hexdigest()
    messages = [{"role": "user", "content": user}]
    for attempt in range(1, MAX_REPAIRS + 2):
        record: dict[str, Any] = {"attempt": attempt, "passed": False, "error": None, "checks": []}
        metadata["attempts"].append(record)
        try:
            reply = llm.complete(BODY_SYSTEM_PROMPT, messages)
        except CodegenError as exc:
            record["error"] = str(exc)
            metadata["fallback_used"] = True
            metadata["fallback_reason"] = f"provider error: {exc}"
            return None
        try:
            bodies = parse_bodies(reply)
            checks = check_candidate(spec, bodies, record_demonstrations, template_agent)
        except (SpecError, CodegenError) as exc:
            record["error"] = str(exc)
            feedback = f"That reply cannot be used: {exc}"
        else:
            record["checks"] = [c.to_dict() for c in checks]
            if all(c.passed for c in checks):
                record["passed"] = True
                return bodies
            problems = [str(d) for c in checks for d in c.diagnostics][:20]
            record["error"] = f"{len(problems)} check failure(s)"
            feedback = "The code fails these checks:\n" + "\n".join(problems)
        messages += [
            {"role": "assistant", "content": reply},
            {"role": "user", "content": feedback + "\nReply with the corrected JSON object only."},
        ]
    metadata["fallback_used"] = True
    metadata["fallback_reason"] = f"LLM output failed the checks after {MAX_REPAIRS} repair attempts"
    return None


def parse_bodies(reply: str) -> dict[str, str]:
    """Read the method bodies in an LLM reply (``{"methods": {name: body}}``).

    Args:
        reply: the reply text.

    Returns:
        Method name → body.

    Raises:
        SpecError: when the reply is not that JSON shape or names a method that is not editable.

    """
    data = extract_json(reply)
    methods = data.get("methods")
    if not isinstance(methods, dict) or not methods:
        raise SpecError('reply must be {"methods": {"<MethodName>": "<body>"}} with at least one method')
    unknown = sorted(set(methods) - set(EDITABLE_METHODS))
    if unknown:
        raise SpecError(f"methods {unknown} cannot be written (editable: {list(EDITABLE_METHODS)})")
    if not all(isinstance(v, str) and v.strip() for v in methods.values()):
        raise SpecError("every method body must be a non-empty string of C# statements")
    too_long = sorted(k for k, v in methods.items() if len(v) > MAX_BODY_CHARS)
    if too_long:
        raise SpecError(f"method bodies {too_long} are longer than {MAX_BODY_CHARS} characters")
    return {k: str(v) for k, v in methods.items()}


def check_candidate(
    spec: BehaviorSpec, bodies: dict[str, str], record_demonstrations: bool, template_agent: str
) -> list[CheckResult]:
    """Run the three checks and the structure check on a project with ``bodies`` spliced in (in a temp dir).

    Args:
        spec: the behavior.
        bodies: candidate bodies.
        record_demonstrations: as for ``generate``.
        template_agent: the template's Agent source (the structure reference).

    Returns:
        ``[syntax, types, safety, structure]``.

    """
    files = render_project(spec, bodies=bodies, record_demonstrations=record_demonstrations)
    with tempfile.TemporaryDirectory(prefix="mlops-codegen-") as tmp:
        _write(Path(tmp), files)
        checks = run_checks(tmp)
    agent_rel = f"{AGENT_DIR}/{class_name_for(spec)}.cs"
    checks.append(check_structure(template_agent, files[agent_rel], agent_rel, EDITABLE_METHODS))
    return checks


def _write(out: Path, files: dict[str, str]) -> list[Path]:
    written = []
    for rel, text in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _final_files(out: Path, written: list[Path]) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in written}
