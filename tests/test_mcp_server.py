"""The MCP server, driven by the official SDK's client over stdio (the server is a subprocess)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlops_unity_pipeline.cli.app import app
from mlops_unity_pipeline.errors import MissingExtraError, SpecError

pytest.importorskip("mcp", reason="the [mcp] extra is not installed")

SRC = Path(__file__).resolve().parents[1] / "src"
TOOLS = {
    "interpret_behavior",
    "generate_behavior",
    "run_job",
    "job_status",
    "wait_job",
    "job_report",
    "cancel_job",
    "list_models",
    "promote_model",
    "evaluate_model",
}
JOB = {
    "job_id": "mcp-job",
    "asset_spec": {"asset_id": "reach-001", "name": "ReachAgent", "description": "Reach a target"},
    "rl_config": {"max_steps": 2000, "num_envs": 4, "seed": 5, "evaluation_episodes": 4},
}


async def _session_calls(workspace: Path, calls):
    """Spawn ``mlops-unity mcp`` and run ``calls(session)`` against it with the SDK's stdio client."""
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLFLOW_", "MLOPS_"))}
    env.update({"PYTHONPATH": str(SRC), "OMP_NUM_THREADS": "1"})
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "mlops_unity_pipeline", "mcp", "-w", str(workspace)], env=env
    )
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        return await calls(session)


def _data(result) -> dict:
    assert not result.is_error, result.content[0].text
    return result.structured_content if result.structured_content else json.loads(result.content[0].text)


@pytest.mark.slow  # a server subprocess and a tiny real job
def test_an_assistant_trains_inspects_evaluates_and_promotes(tmp_path):
    """Tools listed; interpret; run_job returns at once; status, report, models, evaluate, promote work."""

    async def calls(session):
        listed = {tool.name for tool in (await session.list_tools()).tools}
        interpreted = _data(await session.call_tool("interpret_behavior", {"description": "Reach a target"}))
        started = _data(await session.call_tool("run_job", {"job": JOB}))
        status = _data(await session.call_tool("job_status", {"job_id": "mcp-job"}))
        done = _data(await session.call_tool("wait_job", {"job_id": "mcp-job", "timeout_s": 300}))
        report = _data(await session.call_tool("job_report", {"job_id": "mcp-job"}))
        models = _data(await session.call_tool("list_models", {}))
        scored = _data(
            await session.call_tool(
                "evaluate_model", {"asset_id": "reach-001", "version": "1", "episodes": 4, "seed": 1}
            )
        )
        promoted = _data(
            await session.call_tool(
                "promote_model", {"asset_id": "reach-001", "version": "1", "alias": "champion"}
            )
        )
        bad = await session.call_tool("job_status", {"job_id": "../etc"})
        bad_job = await session.call_tool("run_job", {"job": {"job_id": "x", "asset_spec": {}}})
        return listed, interpreted, started, status, done, report, models, scored, promoted, bad, bad_job

    results = asyncio.run(_session_calls(tmp_path / "ws", calls))
    listed, interpreted, started, status, done, report, models, scored, promoted, bad, bad_job = results
    assert listed == TOOLS
    assert interpreted["archetype"] == "reach_target" and interpreted["spec"]["behavior_name"]
    assert started["job_id"] == "mcp-job" and status["state"] in ("queued", "running", "succeeded")
    assert done["state"] == "succeeded", done
    assert report["status"] == "succeeded" and report["registry_version"] == 1
    assert Path(report["report"]).is_file() and "training_vs_evaluation" in report
    assert models["models"][0]["asset_id"] == "reach-001"
    assert scored["version"] == 1 and scored["trained"]["episodes"] == 4 and scored["random"]["episodes"] == 4
    assert "champion" in promoted["aliases"]  # a 2,000-step policy may not pass the gate: promoted by hand
    assert bad.is_error and "job_id" in bad.content[0].text  # the package's message, not a bare failure
    assert bad_job.is_error and "asset_spec" in bad_job.content[0].text


def test_generate_behavior_writes_inside_the_workspace(tmp_path):
    """generate_behavior writes under <workspace>/generated/<asset_id>; escaping ids fail clearly."""
    from mlops_unity_pipeline.mcp_server import PipelineTools

    tools = PipelineTools(tmp_path / "ws")
    result = tools.generate_behavior("Balance a ball on a platform", name="Ball", asset_id="ball-001")
    assert result["project"] == str(tmp_path / "ws" / "generated" / "ball-001")
    assert result["archetype"] == "balance" and result["files"]
    assert all(Path(f).resolve().is_relative_to((tmp_path / "ws").resolve()) for f in result["files"])
    with pytest.raises(SpecError, match="asset_id"):
        tools.generate_behavior("Balance a ball", asset_id="../../outside")
    with pytest.raises(SpecError, match="episodes"):
        tools.evaluate_model("ball-001", episodes=10_000)


def test_missing_sdk_is_one_clear_line(tmp_path, monkeypatch):
    """Without the SDK: MissingExtraError naming the [mcp] extra; the CLI prints one line, no traceback."""
    from mlops_unity_pipeline.mcp_server import build_server

    monkeypatch.setitem(sys.modules, "mcp.server.mcpserver", None)
    with pytest.raises(MissingExtraError, match=r"mlops_unity_pipeline\[mcp\]"):
        build_server(tmp_path / "ws")
    result = CliRunner().invoke(app, ["mcp", "-w", str(tmp_path / "ws")])
    assert result.exit_code == 2 and "pip install 'mlops_unity_pipeline[mcp]'" in result.stderr
    assert "Traceback" not in result.output
