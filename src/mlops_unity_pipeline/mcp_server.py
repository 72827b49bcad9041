"""An MCP server (Model Context Protocol, stdio) so an AI assistant can drive the pipeline.

Assistants in the Unity Editor (Unity AI Assistant, unity-mcp) and desktop assistants (Claude Desktop …) call
these tools: interpret or generate a behavior from a description, run a training job and watch it, read its
report summary, list and promote registered models, and score a model in the simulator. ``PipelineTools``
holds the logic (plain methods, tested directly); ``build_server`` exposes it through the official ``mcp``
SDK (``pip install 'mlops_unity_pipeline[mcp]'``). Everything lives in one workspace; generated projects go
under ``<workspace>/generated/<asset_id>``, so no tool writes outside it.

stdout is the protocol channel: nothing here prints; progress goes to the job store (``job_status``) and
logging to stderr.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import logging
from collections.abc import Callable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from .behavior import interpret
from .behavior.world_behavior import load_behavior
from .codegen import generate
from .errors import MissingExtraError, PipelineError, RegistryError, SpecError, StoreError
from .orchestrator.pipeline import UnityMLOpsOrchestrator
from .report_page import reward_gap_note
from .sim.evaluate import evaluate
from .sim.onnx_policy import OnnxRuntimePolicy
from .sim.policies import random_policy
from .specs import TrainingJob, UnityAssetSpec, validate_id

log = logging.getLogger(__name__)

MAX_EVAL_EPISODES = 200
"""``evaluate_model`` scores at most this many episodes (a tool call should answer in seconds)."""

INSTRUCTIONS = (
    "Trains Unity ML-Agents behaviors from a description. Typical flow: interpret_behavior (check the "
    "archetype), run_job (returns at once), job_status until the state is succeeded or failed, job_report, "
    "then list_models / evaluate_model / promote_model."
)


def _asset(
    description: str,
    name: str,
    asset_id: str,
    observation_space: Mapping[str, Any] | None,
    action_space: Mapping[str, Any] | None,
) -> Any:
    data: dict[str, Any] = {"asset_id": asset_id, "name": name, "description": description}
    if observation_space:
        data["observation_space"] = dict(observation_space)
    if action_space:
        data["action_space"] = dict(action_space)
    return UnityAssetSpec.from_dict(data)


class PipelineTools:
    """The MCP tools, as plain methods on one workspace.

    Args:
        workspace: the workspace folder (job store, artifacts, registry); created when missing.
        orchestrator: the orchestrator running jobs (default ``UnityMLOpsOrchestrator.from_env(workspace)``).

    """

    def __init__(self, workspace: Path | str, orchestrator: Any | None = None) -> None:
        self.workspace = Path(workspace)
        if orchestrator is None:
            orchestrator = UnityMLOpsOrchestrator.from_env(self.workspace)
        self.orchestrator = orchestrator
        self._tasks: dict[str, asyncio.Task[Any]] = {}

    # --- behaviors ------------------------------------------------------------------------------------------

    def interpret_behavior(
        self,
        description: str,
        name: str = "Agent",
        asset_id: str = "asset-001",
        observation_space: dict[str, Any] | None = None,
        action_space: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Interpret a description into a behavior (offline rules): archetype, reasons, fallbacks, spec.

        Raises:
            SpecError: when the description cannot be interpreted (the message says what is missing).

        """
        return interpret(_asset(description, name, asset_id, observation_space, action_space)).to_dict()

    def generate_behavior(
        self,
        description: str,
        name: str = "Agent",
        asset_id: str = "asset-001",
        observation_space: dict[str, Any] | None = None,
        action_space: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Generate the Unity project (C# agent, scene bootstrap) into ``<workspace>/generated/<asset_id>``.

        Raises:
            SpecError: on a bad description or id.
            CodegenError: when generation fails its checks.

        """
        asset = _asset(description, name, asset_id, observation_space, action_space)
        out = self.workspace / "generated" / validate_id(asset_id, "asset_id")
        result = generate(asset, out)
        data = result.to_dict()
        return {
            "project": str(out),
            "archetype": result.interpretation.archetype,
            "files": [str(p) for p in result.files],
            "checks": data.get("checks"),
            "reasons": list(result.interpretation.reasons),
            "fallbacks": list(result.interpretation.fallbacks),
        }

    # --- jobs -----------------------------------------------------------------------------------------------

    async def run_job(self, job: dict[str, Any]) -> dict[str, Any]:
        """Start a training job in the background and return at once (poll ``job_status``).

        Args:
            job: the job as in a job file: ``job_id``, ``asset_spec``, ``rl_config``.

        Raises:
            SpecError: when the job is invalid (the message names the field).
            StoreError: when a job with this id is running.

        """
        if not isinstance(job, Mapping):
            raise SpecError(
                f"job: expected an object with job_id, asset_spec, rl_config; got {type(job).__name__}"
            )
        spec = TrainingJob.from_dict(job)
        running = self._tasks.get(spec.job_id)
        if running is not None and not running.done():
            raise StoreError(f"job '{spec.job_id}' is already running in this server")
        task = asyncio.get_running_loop().create_task(self.orchestrator.execute_training_job(spec))
        task.add_done_callback(self._log_outcome)
        self._tasks[spec.job_id] = task
        await asyncio.sleep(0)  # let the job register in the store before the caller polls it
        return {
            "job_id": spec.job_id,
            "state": "started",
            "next": f"call job_status with job_id={spec.job_id}",
        }

    @staticmethod
    def _log_outcome(task: asyncio.Task[Any]) -> None:
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            log.warning("background job failed to run: %s", error)

    def job_status(self, job_id: str) -> dict[str, Any]:
        """Return a job's state, current stage, latest progress (step, reward, ETA) and error.

        Raises:
            StoreError: when there is no such job.

        """
        record = self.orchestrator.get_job(validate_id(job_id, "job_id"))
        return {
            "job_id": record.job_id,
            "state": record.state.value,
            "attempt": record.attempt,
            "stage": record.stages[-1].name if record.stages else None,
            "stages": [
                {"name": s.name, "state": s.state.value, "seconds": s.duration_s} for s in record.stages
            ],
            "progress": record.progress,
            "error": record.error,
        }

    async def wait_job(self, job_id: str, timeout_s: float = 60.0) -> dict[str, Any]:
        """Wait (at most ``timeout_s``, capped at 600) for a job this server started; return its status."""
        validate_id(job_id, "job_id")
        task = self._tasks.get(job_id)
        if task is not None:
            await asyncio.wait([task], timeout=max(0.0, min(float(timeout_s), 600.0)))
        return self.job_status(job_id)

    def job_report(self, job_id: str) -> dict[str, Any]:
        """Summarize a job: status, model, registry version, metrics, report page, training/eval gap note.

        Raises:
            StoreError: when there is no such job.

        """
        result = self.orchestrator.job_result(validate_id(job_id, "job_id"))
        summary: dict[str, Any] = {
            "job_id": result.job_id,
            "status": result.status.value,
            "error": result.error,
            "failed_stage": result.failed_stage,
            "model_path": result.model_path,
            "model_sha256": result.model_sha256,
            "registry_version": result.registry_version,
            "promoted": result.promoted,
            "metrics": result.metrics,
            "report": result.paths.get("report"),
            "stage_seconds": result.stage_seconds,
        }
        if result.ok:
            summary["training_vs_evaluation"] = reward_gap_note(
                result.metrics.get("train/mean_reward"), result.metrics
            )
        return summary

    def cancel_job(self, job_id: str) -> dict[str, Any]:
        """Ask a job to stop (a running one stops at its next checkpoint)."""
        record = self.orchestrator.cancel_job(validate_id(job_id, "job_id"))
        return {
            "job_id": record.job_id,
            "state": record.state.value,
            "cancel_requested": record.cancel_requested,
        }

    # --- models ---------------------------------------------------------------------------------------------

    def list_models(self) -> dict[str, Any]:
        """List registered models with their champion and candidate versions."""
        return {"models": self.orchestrator.registry.list_models()}

    def promote_model(
        self, asset_id: str, version: str, alias: str = "champion", reason: str = "promoted by an assistant"
    ) -> dict[str, Any]:
        """Point ``champion`` (or ``candidate``) at a version; recorded in the alias history and mirrored.

        Raises:
            RegistryError: on an unknown asset, version or alias.

        """
        validate_id(asset_id, "asset_id")
        found = self.orchestrator.registry.promote(asset_id, version, alias=alias, reason=reason)
        return found.to_dict()

    def evaluate_model(
        self,
        asset_id: str,
        version: str = "champion",
        episodes: int = 10,
        deterministic: bool = True,
        seed: int = 0,
    ) -> dict[str, Any]:
        """Score a registered model in the simulator (its ONNX, as Unity would run it) next to random actions.

        Raises:
            RegistryError: on an unknown asset or version, or a version without its behavior spec.
            SpecError: when ``episodes`` is out of range.

        """
        validate_id(asset_id, "asset_id")
        if (
            isinstance(episodes, bool)
            or not isinstance(episodes, int)
            or not 1 <= episodes <= MAX_EVAL_EPISODES
        ):
            raise SpecError(f"episodes: expected an integer from 1 to {MAX_EVAL_EPISODES}, got {episodes!r}")
        registry = self.orchestrator.registry
        found = registry.get_version(asset_id, version)
        metadata_path = Path(found.artifact_dir) / "metadata.json"
        try:
            behavior = json.loads(metadata_path.read_text(encoding="utf-8"))["behavior_spec"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise RegistryError(
                f"version {found.version} of '{asset_id}' has no readable behavior spec in {metadata_path}"
            ) from exc
        spec = load_behavior(behavior, source=str(metadata_path))
        model = registry.model_file(asset_id, found.version)
        env = spec.make_env(num_agents=min(episodes, 32), seed=seed)
        try:
            policy = OnnxRuntimePolicy(model, signature=env.signature, deterministic=deterministic)
            trained = evaluate(env, policy, episodes=episodes, seed=seed)
            baseline = evaluate(
                env, random_policy(env.signature.action_spec, seed=seed), episodes=episodes, seed=seed
            )
        finally:
            env.close()
        return {
            "asset_id": asset_id,
            "version": found.version,
            "deterministic": deterministic,
            "trained": trained.to_dict(),
            "random": baseline.to_dict(),
        }


def _as_tool(method: Callable[..., Any], tool_error: type[Exception]) -> Callable[..., Any]:
    """Wrap a tool so the package's errors reach the assistant as their one-line message.

    The SDK reports any other exception as a bare "Error executing tool" (its text stays on the server);
    ``PipelineError`` messages name the bad field or file, so they are passed on as ``ToolError``.
    """
    if inspect.iscoroutinefunction(method):

        @functools.wraps(method)
        async def run_async(*args: Any, **kwargs: Any) -> Any:
            try:
                return await method(*args, **kwargs)
            except PipelineError as exc:
                raise tool_error(str(exc)) from exc

        return run_async

    @functools.wraps(method)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except PipelineError as exc:
            raise tool_error(str(exc)) from exc

    return run


def build_server(workspace: Path | str, orchestrator: Any | None = None) -> Any:
    """Build the MCP server (official SDK) exposing ``PipelineTools`` on ``workspace``.

    Raises:
        MissingExtraError: when the ``mcp`` SDK is not installed.

    """
    try:
        from mcp.server.mcpserver import MCPServer  # optional
        from mcp.server.mcpserver.exceptions import ToolError  # optional
    except ImportError as exc:
        try:
            found = version("mcp")
        except PackageNotFoundError:
            raise MissingExtraError("mcp", "the MCP server") from exc
        # mcp 1.x named the server FastMCP; this module is written against the 2.x API (MCPServer).
        raise MissingExtraError("mcp", f"the MCP server (mcp >= 2.3; found {found})") from exc

    try:
        package_version = version("mlops_unity_pipeline")
    except PackageNotFoundError:
        package_version = "0"
    tools = PipelineTools(workspace, orchestrator)
    server = MCPServer("mlops-unity", instructions=INSTRUCTIONS, version=package_version, log_level="WARNING")
    for method in (
        tools.interpret_behavior,
        tools.generate_behavior,
        tools.run_job,
        tools.job_status,
        tools.wait_job,
        tools.job_report,
        tools.cancel_job,
        tools.list_models,
        tools.promote_model,
        tools.evaluate_model,
    ):
        description = (method.__doc__ or "").split("\n\n")[0].strip()  # the summary, not the Raises section
        server.add_tool(_as_tool(method, ToolError), name=method.__name__, description=description)
    server.tools = tools  # the tests and embedders reach the workspace through it
    return server
