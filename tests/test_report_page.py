"""The job report page: content, self-containment, the reward-gap note, and a real job's page in Chromium."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from mlops_unity_pipeline.report_page import build_report_html, policy_scores, reward_gap_note

METRICS = {
    "eval/mean_reward": 1.3,
    "eval/std_reward": 0.2,
    "eval/success_rate": 0.7,
    "eval/episodes": 20,
    "eval/mean_length": 50.0,
    "eval_stochastic/mean_reward": 2.0,
    "eval_stochastic/std_reward": 0.3,
    "eval_stochastic/success_rate": 0.95,
    "eval_stochastic/episodes": 20,
    "baseline/mean_reward": -1.2,
    "baseline/std_reward": 0.4,
    "baseline/success_rate": 0.0,
    "baseline/episodes": 20,
    "heuristic/mean_reward": 2.3,
    "heuristic/std_reward": 0.1,
    "heuristic/success_rate": 1.0,
    "heuristic/episodes": 20,
}


def _png(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (4, 3), (200, 10, 10)).save(path)
    return path


def test_page_is_self_contained_and_complete(tmp_path):
    """Images are inlined as data URIs, no script or remote resource, every section present, text escaped."""
    metadata = {
        "job": {"job_id": "j1", "asset_spec": {"asset_id": "a", "name": "Nav", "description": "<b>x</b>"}},
        "metrics": METRICS,
        "training": {"mean_reward": 2.0, "steps": 1000, "wall_seconds": 3.5},
        "behavior_spec": {"behavior_name": "Nav", "max_step": 500},
        "hashes": {"model_sha256": "ab" * 32},
        "seeds": {"train": 1, "evaluate": 1_000_004},
        "trainer_config": {"behaviors": {"Nav": {"trainer_type": "ppo"}}},
    }
    text = build_report_html(metadata, {"learning_curve": _png(tmp_path / "c.png")})
    assert text.count("data:image/png;base64,") == 1
    assert "<script" not in text and "http://" not in text and "https://" not in text
    assert "&lt;b&gt;x&lt;/b&gt;" in text and "<b>x</b>" not in text
    for heading in (
        "Learning curve",
        "Evaluation",
        "Training reward vs evaluation",
        "One episode",
        "Lineage",
    ):
        assert f"<h2>{heading}</h2>" in text
    assert "ab" * 32 in text and "1000004" in text and "trainer_type" in text
    assert "(one episode of the trained policy: not rendered)" in text  # a missing image is said, not hidden


def test_policy_rows_in_display_order():
    """Deterministic, sampled, heuristic, random: the rows the evaluation chart and table show."""
    rows = policy_scores(METRICS)
    assert [r.label for r in rows] == [
        "trained (deterministic)",
        "trained (sampled)",
        "scripted heuristic",
        "random actions",
    ]
    assert rows[0].success_rate == 0.7 and rows[0].mean_length == 50.0 and rows[1].mean_length is None


def test_gap_note_attributes_the_gap():
    """Sampled ≈ training > deterministic: the mean action is blamed; no gap: said; no sampled row: open."""
    note = reward_gap_note(2.0, METRICS)
    assert "acting on the mean action" in note and "DeterministicInference" in note and "2.000" in note
    assert "no gap to explain" in reward_gap_note(1.31, METRICS)  # within 2 standard errors (0.089)
    without = {k: v for k, v in METRICS.items() if not k.startswith("eval_stochastic/")}
    assert "cannot be attributed" in reward_gap_note(2.0, without)
    sampled_low = {**METRICS, "eval_stochastic/mean_reward": 1.35}
    assert "does not explain it" in reward_gap_note(2.0, sampled_low)
    assert "Evaluation is higher" in reward_gap_note(0.5, METRICS)
    # The quick start's figures: within two standard errors, yet 3 episodes fail only deterministically.
    quick = {
        **METRICS,
        "eval/mean_reward": 1.792,
        "eval/std_reward": 0.746,
        "eval/success_rate": 0.85,
        "eval/mean_length": 103.5,
        "eval_stochastic/mean_reward": 2.06,
        "eval_stochastic/success_rate": 1.0,
        "eval_stochastic/mean_length": 48.5,
    }
    note = reward_gap_note(2.08, quick)
    assert "fails 3 of 20 episodes that sampling finishes" in note and "mean length 104 against 48" in note


# --- a real job's report in headless Chromium ------------------------------------------------------------


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no Chromium on this machine")


async def _inspect(ws_url: str, page: Path, screenshot: Path) -> dict:
    """Open ``page`` over the DevTools protocol; return console errors, image states and page height."""
    from websockets.asyncio.client import connect

    errors: list[str] = []
    async with connect(ws_url, max_size=64 * 1024 * 1024) as ws:
        counter = 0

        async def call(method: str, **params):
            nonlocal counter
            counter += 1
            mine = counter
            await ws.send(json.dumps({"id": mine, "method": method, "params": params}))
            while True:
                message = json.loads(await ws.recv())
                method_name = message.get("method", "")
                if method_name == "Runtime.exceptionThrown":
                    errors.append(json.dumps(message["params"])[:300])
                elif method_name == "Runtime.consoleAPICalled" and message["params"]["type"] == "error":
                    errors.append(json.dumps(message["params"])[:300])
                elif method_name == "Log.entryAdded" and message["params"]["entry"]["level"] == "error":
                    errors.append(message["params"]["entry"].get("text", "")[:300])
                if message.get("id") == mine:
                    return message.get("result", {})

        for domain in ("Page", "Runtime", "Log"):
            await call(f"{domain}.enable")
        await call("Page.navigate", url=page.as_uri())
        state = {}
        for _ in range(100):  # the page has no script: it is done when the document and images are
            state = await call(
                "Runtime.evaluate",
                expression=(
                    "JSON.stringify({ready: document.readyState, height: document.body.scrollHeight,"
                    " images: Array.from(document.images).map(i => [i.complete, i.naturalWidth])})"
                ),
                returnByValue=True,
            )
            value = state.get("result", {}).get("value")  # absent while the navigation has no body yet
            state = json.loads(value) if value else {"ready": "loading"}
            if state["ready"] == "complete":
                break
            await asyncio.sleep(0.1)
        await call(
            "Emulation.setDeviceMetricsOverride",
            width=1100,
            height=min(int(state["height"]), 6000),
            deviceScaleFactor=1,
            mobile=False,
        )
        shot = await call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        screenshot.write_bytes(base64.b64decode(shot["data"]))
        await call("Runtime.evaluate", expression="1")  # drain events raised by the resize
    return {"errors": errors, **state}


def inspect_in_chromium(page: Path, screenshot: Path, profile: Path) -> dict:
    """Start headless Chromium with remote debugging on 127.0.0.1, inspect ``page``, stop the browser."""
    process = subprocess.Popen(
        [
            _chromium(), "--headless", "--no-sandbox", "--disable-gpu",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
            f"--user-data-dir={profile}", "about:blank",
        ],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not port_file.is_file() or not port_file.read_text().strip():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"Chromium did not start: {process.stderr.read()[-1000:] if process.stderr else ''}"
                )
            time.sleep(0.2)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as reply:
            targets = json.loads(reply.read())
        ws_url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
        return asyncio.run(_inspect(ws_url, page, screenshot))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.slow  # a tiny real job (~20-60 s on 2 busy cores) and a Chromium start
def test_real_job_report_renders_in_chromium(tmp_path):
    """A real job writes jobs/<id>/report.html, linked from the result; Chromium loads every image cleanly."""
    pytest.importorskip("websockets")
    from mlops_unity_pipeline.orchestrator import UnityMLOpsOrchestrator
    from mlops_unity_pipeline.registry import PromotionGate
    from mlops_unity_pipeline.specs import RLTrainingConfig, TrainingJob, UnityAssetSpec

    job = TrainingJob(
        job_id="report-job",
        asset_spec=UnityAssetSpec(asset_id="reach-001", name="ReachAgent", description="Reach a target"),
        rl_config=RLTrainingConfig(max_steps=2000, num_envs=4, seed=3, evaluation_episodes=4),
    )
    workspace = tmp_path / "ws"
    orchestrator = UnityMLOpsOrchestrator(
        workspace, notifier=None, promotion_gate=PromotionGate(require_beats_baseline=False)
    )
    result = asyncio.run(orchestrator.execute_training_job(job))
    assert result.ok, result.error
    page = workspace / "jobs" / "report-job" / "report.html"
    assert result.paths["report"] == str(page) and f"report={str(page)!r}" in str(result)
    text = page.read_text()
    assert len(re.findall(r'src="data:image/(png|gif);base64,', text)) == 3
    for key in ("eval_stochastic/mean_reward", "heuristic/mean_reward", "baseline/mean_reward"):
        assert key in result.metrics

    screenshot = tmp_path / "report.png"
    state = inspect_in_chromium(page, screenshot, tmp_path / "profile")
    assert state["errors"] == []
    assert len(state["images"]) == 3 and all(done and width > 0 for done, width in state["images"])
    from PIL import Image

    with Image.open(screenshot) as shot:
        assert shot.width == 1100 and shot.height > 1500  # the whole page, not a blank viewport
        assert len(shot.convert("RGB").resize((64, 64)).getcolors(4096) or []) > 20
