"""``mlops-unity doctor``: what each backend needs, what this machine has, and the fix for each missing piece.

Settings that hold secrets (API keys, credentials, URIs that may embed passwords) are reported as set/unset
only; their values are never printed.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from enum import Enum
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import typer

from ..errors import BuildError, TrainError
from ._common import JSON_OPTION, emit_json, handle_errors


class Status(str, Enum):
    """Outcome of one check."""

    OK = "ok"
    WARN = "warn"
    MISSING = "missing"


@dataclass(frozen=True)
class Check:
    """One line of the doctor's report.

    Attributes:
        name: what was checked (``Unity Editor``, ``mlagents-learn`` …).
        status: ok, warn (optional piece absent or degraded) or missing.
        found: what was found (versions, paths, which settings are set) — never a secret's value.
        needed_for: which backend or feature needs it.
        fix: how to get it, when not ok.
        required: a core dependency (the embedded default path cannot run without it).

    """

    name: str
    status: Status
    found: str
    needed_for: str
    fix: str | None = None
    required: bool = False


def _dist_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _presence(env: Mapping[str, str], names: tuple[str, ...]) -> str:
    return ", ".join(f"{n} {'set' if env.get(n, '').strip() else 'unset'}" for n in names)


def check_core_packages() -> list[Check]:
    """Check the core Python packages (read from package metadata; nothing heavy is imported).

    Returns:
        One check per package.

    """
    checks = [
        Check(
            name="python",
            status=Status.OK,
            found=f"{platform.python_version()} ({sys.executable})",
            needed_for="everything",
            required=True,
        )
    ]
    for dist, purpose in (
        ("torch", "built-in trainer, ONNX export"),
        ("onnx", "ONNX export and checks"),
        ("onnxruntime", "evaluation of ONNX policies"),
    ):
        found = _dist_version(dist)
        checks.append(
            Check(
                name=dist,
                status=Status.OK if found else Status.MISSING,
                found=found or "not installed",
                needed_for=purpose,
                fix=None if found else f"pip install -e . (installs {dist}; torch is pinned to 2.13.0)",
                required=True,
            )
        )
    return checks


def check_unity_editor(env: Mapping[str, str], project_dir: Path | None = None) -> Check:
    """Check for a Unity Editor (``UNITY_EDITOR_PATH`` or Unity Hub) of ``project_dir``'s version if given.

    Args:
        env: environment variables.
        project_dir: a Unity project whose ``ProjectVersion.txt`` names the version needed.

    Returns:
        The check.

    """
    from ..unity.editor import find_editor  # start-up

    try:
        info = find_editor(project_dir, env=env)
    except BuildError as exc:
        return Check(
            name="Unity Editor",
            status=Status.MISSING,
            found=str(exc).split("; Fix:")[0].split(". Fix:")[0],
            needed_for="build_backend: unity",
            fix=(
                "install Unity Hub and an Editor with 'Linux Build Support' + 'Linux Dedicated Server Build "
                "Support' (and activate a licence), or set UNITY_EDITOR_PATH to the Editor executable"
            ),
        )
    return Check(
        name="Unity Editor",
        status=Status.OK,
        found=f"{info.version or 'version unknown'} at {info.path}",
        needed_for="build_backend: unity",
    )


def check_mlagents_learn(env: Mapping[str, str]) -> Check:
    """Check for ``mlagents-learn``, that it runs, and the Python and mlagents version of its environment.

    Args:
        env: environment variables.

    Returns:
        The check.

    """
    from ..unity.mlagents_install import (  # start-up
        TARGET_VERSION,
        find_mlagents_learn,
        inspect_mlagents_learn,
    )

    fix = (
        "bash scripts/setup_mlagents_venv.sh (creates .venv-mlagents with mlagents 1.1.0 on this Python), "
        "then export MLAGENTS_LEARN=.venv-mlagents/bin/mlagents-learn"
    )
    try:
        install = inspect_mlagents_learn(find_mlagents_learn(env))
    except TrainError as exc:
        return Check(
            name="mlagents-learn",
            status=Status.MISSING,
            found=str(exc).split("; fix:")[0].split("\nfix:")[0],
            needed_for="trainer_backend: mlagents",
            fix=fix,
        )
    found = (
        f"mlagents {install.mlagents_version or '?'} (mlagents-envs {install.mlagents_envs_version or '?'}, "
        f"torch {install.torch_version or '?'}) on Python {install.python_version or '?'} "
        f"({install.python or 'interpreter unknown'}) at {install.executable}"
    )
    if install.mlagents_version != TARGET_VERSION:
        return Check(
            name="mlagents-learn",
            status=Status.WARN,
            found=found,
            needed_for="trainer_backend: mlagents",
            fix=f"the pipeline targets mlagents {TARGET_VERSION}: {fix}",
        )
    return Check(name="mlagents-learn", status=Status.OK, found=found, needed_for="trainer_backend: mlagents")


def check_mcs(env: Mapping[str, str]) -> Check:
    """Check for Mono's ``mcs`` (``MLOPS_MCS`` or PATH), used to type-check generated C#.

    Args:
        env: environment variables.

    Returns:
        The check.

    """
    configured = env.get("MLOPS_MCS", "").strip()
    path = configured if configured else shutil.which("mcs", path=env.get("PATH"))
    if not path or not Path(path).is_file():
        return Check(
            name="Mono mcs",
            status=Status.WARN,
            found="not found" + (f" (MLOPS_MCS={configured})" if configured else ""),
            needed_for="codegen type check and safety policy (without it LLM-written C# is never accepted)",
            fix="apt-get install mono-mcs (or brew install mono), or set MLOPS_MCS",
        )
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30, check=False)
        match = re.search(r"version\s+(\S+)", out.stdout + out.stderr)
        found = f"{match.group(1) if match else 'version unknown'} at {path}"
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Check(
            name="Mono mcs",
            status=Status.WARN,
            found=f"{path} does not run ({exc})",
            needed_for="codegen type check",
            fix="reinstall Mono (apt-get install --reinstall mono-mcs)",
        )
    return Check(name="Mono mcs", status=Status.OK, found=found, needed_for="codegen type check")


def check_llm(env: Mapping[str, str]) -> list[Check]:
    """Check the LLM providers for codegen: SDK installed and settings present (never their values).

    Args:
        env: environment variables.

    Returns:
        One check per provider.

    """
    checks = []
    for provider, dist, key, base in (
        ("openai", "openai", "OPENAI_API_KEY", "OPENAI_BASE_URL"),
        ("anthropic", "anthropic", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"),
    ):
        sdk = _dist_version(dist)
        configured = bool(env.get(key, "").strip()) or (
            provider == "openai" and bool(env.get(base, "").strip())
        )
        found = f"{dist} SDK {sdk or 'not installed'}; " + _presence(env, (key, base, "MLOPS_LLM_MODEL"))
        if sdk and configured:
            status, fix = Status.OK, None
        else:
            status = Status.WARN
            steps = []
            if not sdk:
                steps.append("pip install 'mlops_unity_pipeline[llm]'")
            if not configured:
                steps.append(
                    f"export {key}=…" + (f" (or {base} for a local server)" if provider == "openai" else "")
                )
            fix = " and ".join(steps) + "; without it codegen uses the offline rules provider"
        checks.append(
            Check(
                name=f"LLM provider {provider}",
                status=status,
                found=found,
                needed_for=f"codegen --provider {provider}",
                fix=fix,
            )
        )
    return checks


def check_registries(env: Mapping[str, str]) -> list[Check]:
    """Check the optional MLflow and Vertex AI mirrors: extras installed and settings present.

    Args:
        env: environment variables.

    Returns:
        One check per mirror.

    """
    mlflow = _dist_version("mlflow") or _dist_version("mlflow-skinny")
    mlflow_set = bool(env.get("MLFLOW_TRACKING_URI", "").strip())
    vertex = _dist_version("google-cloud-aiplatform")
    vertex_vars = ("GOOGLE_CLOUD_PROJECT", "GOOGLE_APPLICATION_CREDENTIALS")
    vertex_set = bool(env.get("GOOGLE_CLOUD_PROJECT", "").strip())
    return [
        Check(
            name="MLflow registry",
            status=Status.OK if mlflow and mlflow_set else Status.WARN,
            found=f"mlflow {mlflow or 'not installed'}; " + _presence(env, ("MLFLOW_TRACKING_URI",)),
            needed_for="MLflow model registry mirror",
            fix=None
            if mlflow and mlflow_set
            else " and ".join(
                ([] if mlflow else ["pip install 'mlops_unity_pipeline[mlflow]'"])
                + ([] if mlflow_set else ["export MLFLOW_TRACKING_URI=… (e.g. sqlite:///mlflow.db)"])
            ),
        ),
        Check(
            name="Vertex AI registry",
            status=Status.OK if vertex and vertex_set else Status.WARN,
            found=f"google-cloud-aiplatform {vertex or 'not installed'}; " + _presence(env, vertex_vars),
            needed_for="Vertex AI Model Registry mirror",
            fix=None
            if vertex and vertex_set
            else " and ".join(
                ([] if vertex else ["pip install 'mlops_unity_pipeline[vertex]'"])
                + (
                    []
                    if vertex_set
                    else [
                        "export GOOGLE_CLOUD_PROJECT=… (credentials: gcloud auth or "
                        "GOOGLE_APPLICATION_CREDENTIALS)"
                    ]
                )
            ),
        ),
        Check(
            name="webhooks",
            status=Status.OK if env.get("MLOPS_WEBHOOK_URLS", "").strip() else Status.WARN,
            found=_presence(env, ("MLOPS_WEBHOOK_URLS", "MLOPS_WEBHOOK_SECRET")),
            needed_for="job notifications",
            fix=None
            if env.get("MLOPS_WEBHOOK_URLS", "").strip()
            else "export MLOPS_WEBHOOK_URLS=https://… (comma-separated) to get job events",
        ),
    ]


def run_checks(env: Mapping[str, str] | None = None, project_dir: Path | None = None) -> list[Check]:
    """Run every check.

    Args:
        env: environment variables (``os.environ`` by default).
        project_dir: a Unity project whose Editor version to look for.

    Returns:
        The checks, core first.

    """
    env = os.environ if env is None else env
    return [
        *check_core_packages(),
        check_unity_editor(env, project_dir),
        check_mlagents_learn(env),
        check_mcs(env),
        *check_llm(env),
        *check_registries(env),
    ]


_MARK = {Status.OK: "ok", Status.WARN: "--", Status.MISSING: "!!"}


def register(app: typer.Typer) -> None:
    """Add the ``doctor`` command to the ``mlops-unity`` app."""

    @app.command("doctor")
    @handle_errors
    def doctor(
        project: Path | None = typer.Option(
            None,
            "--project",
            help="A Unity project: look for the Editor version its ProjectVersion.txt names.",
        ),
        json_output: bool = JSON_OPTION,
    ) -> None:
        """Report what each backend needs and what this machine has (Unity, mlagents-learn, mcs, LLM, …).

        Exits 1 only when a core dependency is missing; optional pieces are listed with their fix.
        """
        checks = run_checks(project_dir=project)
        healthy = all(c.status == Status.OK for c in checks if c.required)
        if json_output:
            emit_json({"ok": healthy, "checks": [asdict(c) for c in checks]})
        else:
            width = max(len(c.name) for c in checks)
            for c in checks:
                typer.echo(f"[{_MARK[c.status]}] {c.name.ljust(width)}  {c.found}")
                typer.echo(f"     {' ' * width}  needed for: {c.needed_for}")
                if c.fix:
                    typer.echo(f"     {' ' * width}  fix: {c.fix}")
            typer.echo("core: ok" if healthy else "core: MISSING pieces (see '!!' lines)")
        if not healthy:
            raise typer.Exit(1)
