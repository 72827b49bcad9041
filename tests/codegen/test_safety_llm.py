"""Hostile LLM output through the real repair path (openai SDK + local fake server): never accepted."""

from __future__ import annotations

import json

import pytest

from mlops_unity_pipeline.behavior import Archetype, default_spec
from mlops_unity_pipeline.behavior.providers import LLMSettings, OpenAIProvider
from mlops_unity_pipeline.codegen import generate
from mlops_unity_pipeline.codegen.checks.typecheck import find_mcs
from mlops_unity_pipeline.codegen.csharp import render_agent

from .bypasses import ISSUE_BYPASSES, MORE_BYPASSES, Bypass
from .fake_openai import FakeOpenAI

ASSET = {"asset_id": "hostile-1", "name": "SimpleAgent", "description": "Reach target position"}
SPEC = default_spec(Archetype.REACH_TARGET, "SimpleAgent")
GOOD_SPEC = json.dumps(SPEC.to_dict())
needs_mcs = pytest.mark.skipif(find_mcs() is None, reason="mcs not installed (apt-get install mono-mcs)")
gen = "mlops_unity_pipeline.codegen.generate"  # the module whose MAX_REPAIRS the loop reads


@pytest.fixture
def env_key(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-hostile")
    monkeypatch.setenv("MLOPS_LLM_MODEL", "fake-model")
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


def _replies(bypasses: dict[str, Bypass]) -> list[str]:
    return [json.dumps({"methods": {"OnEpisodeBegin": b.body}}) for b in bypasses.values()]


def _run_hostile(tmp_path, monkeypatch, bypasses: dict[str, Bypass]) -> None:
    import importlib

    module = importlib.import_module(gen)
    # one attempt per bypass: the first reply and one repair for each of the others
    monkeypatch.setattr(module, "MAX_REPAIRS", len(bypasses) - 1)
    with FakeOpenAI(interpret=[GOOD_SPEC], bodies=_replies(bypasses)) as server:
        provider = OpenAIProvider(base_url=server.base_url, settings=LLMSettings(timeout_s=10, max_retries=0))
        result = generate(ASSET, tmp_path / "proj", provider=provider)
        asked = server.count("bodies")
    meta = result.metadata
    assert asked == len(bypasses) and len(meta["attempts"]) == len(bypasses)
    for (name, bypass), attempt in zip(bypasses.items(), meta["attempts"], strict=True):
        assert not attempt["passed"], name
        failed = {c["name"]: c for c in attempt["checks"] if not c["passed"]}
        assert bypass.refused_by in failed, (name, attempt)
        messages = " | ".join(d["message"] for d in failed[bypass.refused_by]["diagnostics"])
        assert bypass.expect in messages, (name, messages)
    assert meta["fallback_used"] and "repair attempts" in meta["fallback_reason"]
    agent = (tmp_path / "proj" / "Assets" / "Scripts" / "SimpleAgent.cs").read_text()
    assert agent == render_agent(SPEC), "the template, not any hostile body, was written"
    assert result.passed
    written = json.loads((tmp_path / "proj" / "mlops_codegen.json").read_text())
    assert {c["name"]: c["passed"] for c in written["checks"]}["safety"] is True


@needs_mcs
def test_issue_bypasses_are_refused_through_the_llm_path(tmp_path, env_key, monkeypatch):
    """The review's bypasses (escaped names, Process, Module reflection, cctor, finalizer) are refused."""
    _run_hostile(tmp_path, monkeypatch, ISSUE_BYPASSES)


@pytest.mark.slow
@needs_mcs
def test_more_bypasses_are_refused_through_the_llm_path(tmp_path, env_key, monkeypatch):
    """dynamic, DllImport, Marshal, GetType().GetMethod, Type.GetType, AppDomain, threads … are refused."""
    _run_hostile(tmp_path, monkeypatch, MORE_BYPASSES)


def test_without_mcs_llm_bodies_are_never_accepted(tmp_path, env_key, monkeypatch):
    """No compiler, no decision: no bodies are requested; the template is used and the reason kept."""
    monkeypatch.setenv("MLOPS_MCS", str(tmp_path / "no-such-mcs"))
    good = json.dumps({"methods": {"Heuristic": "WriteMove(actionsOut, ScriptedMove(), true);"}})
    with FakeOpenAI(interpret=[GOOD_SPEC], bodies=[good]) as server:
        provider = OpenAIProvider(base_url=server.base_url, settings=LLMSettings(timeout_s=10, max_retries=0))
        result = generate(ASSET, tmp_path / "proj", provider=provider)
        asked = server.count("bodies")
    meta = result.metadata
    assert asked == 0 and meta["attempts"] == []
    assert meta["fallback_used"] and "mcs not found" in meta["fallback_reason"]
    safety = {c.name: c for c in result.checks}["safety"]
    assert safety.passed and "template" in safety.skipped
    assert (tmp_path / "proj" / "Assets" / "Scripts" / "SimpleAgent.cs").read_text() == render_agent(SPEC)


def test_overlong_bodies_are_refused_before_any_check():
    """A body beyond MAX_BODY_CHARS is a clear reply error, so no check ever compiles megabytes of C#."""
    from mlops_unity_pipeline.codegen.generate import MAX_BODY_CHARS, parse_bodies
    from mlops_unity_pipeline.errors import SpecError

    reply = json.dumps({"methods": {"Heuristic": "int x = 0;\n" * (MAX_BODY_CHARS // 10)}})
    with pytest.raises(SpecError, match="longer than"):
        parse_bodies(reply)
