"""Secret redaction: one helper, applied wherever text is written, stored, printed or logged."""

from __future__ import annotations

import logging
import sys
import urllib.parse
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from mlops_unity_pipeline.cli.app import app
from mlops_unity_pipeline.codegen.checks.typecheck import find_mcs
from mlops_unity_pipeline.errors import TrainError
from mlops_unity_pipeline.orchestrator import FakeStage
from mlops_unity_pipeline.redact import (
    MASK,
    configured_secrets,
    install_redaction,
    redact,
    redact_data,
    uninstall_redaction,
)

from .codegen.fake_openai import FakeOpenAI

SECRET = "sk-live-Zx9/echo+me&PLEASE-0123456789"


@pytest.fixture
def secret_env(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("MLOPS_LLM_MAX_RETRIES", "0")
    monkeypatch.setenv("MLOPS_LLM_TIMEOUT_S", "10")
    monkeypatch.delenv("MLOPS_LLM_MODEL", raising=False)


def _leaks(folder: Path, *texts: str) -> list[str]:
    """Every file under ``folder`` (bytes, so SQLite pages and WAL too) and text that holds the secret."""
    forms = {SECRET.encode(), urllib.parse.quote(SECRET, safe="").encode()}
    found = [str(p) for p in folder.rglob("*") if p.is_file() and any(f in p.read_bytes() for f in forms)]
    return found + [f"text #{i}" for i, t in enumerate(texts) if any(f.decode() in t for f in forms)]


def test_configured_secrets_from_known_and_suffixed_names():
    """Known variables and *_API_KEY/*_TOKEN/*_SECRET/*_PASSWORD count; short values and paths do not."""
    env = {
        "OPENAI_API_KEY": "sk-aaaaaaaaaa",
        "MY_SERVICE_TOKEN": "tok-bbbbbbbbbb",
        "DB_PASSWORD": "hunter2hunter2",
        "MLOPS_WEBHOOK_SECRET": "whsec-cccccccc",
        "FLAG_TOKEN": "true",
        "GOOGLE_APPLICATION_CREDENTIALS": "/home/u/creds.json",
        "PATH": "/usr/bin:/bin",
        "MLOPS_LLM_MAX_TOKENS": "4096000000",
    }
    assert set(configured_secrets(env)) == {
        "sk-aaaaaaaaaa",
        "tok-bbbbbbbbbb",
        "hunter2hunter2",
        "whsec-cccccccc",
    }


def test_redact_every_form_and_url_passwords():
    """Plain, URL-quoted and JSON-escaped echoes are masked, and so is a URL's password."""
    secrets = (SECRET,)
    quoted = urllib.parse.quote(SECRET, safe="")
    text = (
        f"key {SECRET} / {quoted} / {SECRET.replace('/', chr(92) + '/')} https://bob:pa55word@hooks.example/x"
    )
    out = redact(text, secrets)
    assert SECRET not in out and quoted not in out and "pa55word" not in out
    assert out.count(MASK) >= 3 and "https://bob:***@hooks.example/x" in out


def test_redact_data_walks_nested_records():
    """Dict keys and values, lists and tuples are redacted; other values are kept as they are."""
    record = {"error": f"401 {SECRET}", "attempts": [{"msg": SECRET, "n": 3}], SECRET: (SECRET, 1.5, None)}
    out = redact_data(record, (SECRET,))
    assert out == {"error": "401 ***", "attempts": [{"msg": "***", "n": 3}], "***": ("***", 1.5, None)}


def test_log_records_are_redacted(secret_env, caplog, capsys):
    """After install_redaction, log lines, their tracebacks and uncaught tracebacks hold no secret."""
    uninstall_redaction()  # an orchestrator built by another test may have installed it already
    try:
        install_redaction()
        logger = logging.getLogger("mlops_unity_pipeline.test")
        with caplog.at_level(logging.INFO, logger="mlops_unity_pipeline.test"):
            logger.warning("provider said %s", SECRET)
            try:
                raise RuntimeError(f"boom {SECRET}")
            except RuntimeError:
                logger.exception("failed")
        text = caplog.text + "".join(r.exc_text or "" for r in caplog.records)
        assert "provider said ***" in text and "boom ***" in text and SECRET not in text
        try:
            raise ValueError(f"uncaught {SECRET}")
        except ValueError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
        printed = capsys.readouterr().err
        assert "uncaught ***" in printed and SECRET not in printed
    finally:
        uninstall_redaction()


def test_failed_stage_error_is_redacted_in_store_and_console(tmp_path, secret_env, monkeypatch):
    """A stage error quoting the key: pipeline.db, job files, jobs show and the run's console hold no key."""
    job = {
        "job_id": "leaky",
        "asset_spec": {"asset_id": "a-1", "name": "ReachAgent", "description": "Reach a target position"},
        "rl_config": {"max_steps": 1000},
    }
    names = ("codegen", "build", "train", "evaluate", "package", "register", "notify")
    failing = TrainError(f"remote trainer rejected token {SECRET}")
    monkeypatch.setattr(
        "mlops_unity_pipeline.orchestrator.stages.default_stages",
        lambda: [FakeStage(n, error=failing if n == "train" else None) for n in names],
    )
    job_file = tmp_path / "job.yaml"
    job_file.write_text(yaml.safe_dump(job))
    runner = CliRunner()
    run = runner.invoke(app, ["run", str(job_file), "-w", str(tmp_path / "ws"), "-q"])
    assert run.exit_code == 1 and "rejected token ***" in run.output
    show = runner.invoke(app, ["jobs", "show", "leaky", "-w", str(tmp_path / "ws"), "--json"])
    assert "rejected token ***" in show.output
    assert _leaks(tmp_path / "ws", run.output, show.output) == []


def test_llm_provider_echoing_the_key_leaks_nowhere(tmp_path, secret_env, monkeypatch, caplog):
    """A provider whose errors echo the key: the job's files, database, console and logs never hold it."""
    job = {
        "job_id": "echo",
        "asset_spec": {  # an archetype asset: the world, the behavior and the C# bodies are all asked for
            "asset_id": "nav-1",
            "name": "NavAgent",
            "description": "Navigate around obstacles to reach a target",
            "observation_space": {"raycast": 8, "velocity": 2},
            "action_space": {"type": "continuous", "size": 2},
        },
        "rl_config": {
            "max_steps": 500,
            "num_envs": 2,
            "evaluation_episodes": 2,
            "seed": 3,
            "codegen_provider": "openai",
        },
    }
    job_file = tmp_path / "job.yaml"
    job_file.write_text(yaml.safe_dump(job))
    runner = CliRunner()
    with FakeOpenAI(interpret=[("echo_key", 401)], bodies=[("echo_key", 401)]) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        with caplog.at_level(logging.DEBUG):
            run = runner.invoke(app, ["run", str(job_file), "-w", str(tmp_path / "ws")])
        echoed = server.requests  # the fake really was asked (and really echoed the key)
    assert run.exit_code == 0, run.output
    assert len(echoed) >= (2 if find_mcs() else 1)  # interpretation, and bodies when they may be used
    text = next((tmp_path / "ws").rglob("mlops_codegen.json")).read_text()
    assert "Incorrect API key provided: ***" in text  # recorded, and redacted
    shown = runner.invoke(app, ["jobs", "show", "echo", "-w", str(tmp_path / "ws"), "--json"])
    assert shown.exit_code == 0
    assert _leaks(tmp_path / "ws", run.output, shown.output, caplog.text) == []
