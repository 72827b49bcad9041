"""The LLM path via the real openai SDK and HTTP against a local fake server: repair, fallback, timeout."""

from __future__ import annotations

import json
import sys

import pytest

from mlops_unity_pipeline.behavior import Archetype, default_spec, interpret
from mlops_unity_pipeline.behavior.providers import LLMSettings, OpenAIProvider, make_provider
from mlops_unity_pipeline.codegen import generate
from mlops_unity_pipeline.errors import CodegenError, MissingExtraError, SpecError

from .fake_openai import FakeOpenAI

# The SDK imports (seconds each) happen once per session in a fixture, not inside the first test's clock.
pytestmark = pytest.mark.usefixtures("llm_sdks")
# LLM bodies are only requested when the safety policy can be decided, i.e. with mcs.
needs_mcs = pytest.mark.usefixtures("mcs")  # skips without Mono; fails under MLOPS_REQUIRE_MCS=1

ASSET = {
    "asset_id": "llm-1",
    "name": "SimpleAgent",
    "description": "Reach target position",
}
SECRET = "sk-test-secret-key-123"
GOOD_SPEC = json.dumps(default_spec(Archetype.REACH_TARGET, "SimpleAgent").to_dict())
BROKEN_BODIES = json.dumps({"methods": {"Heuristic": "WriteMove(actionsOut, new Vector2(1f, 0f), false"}})
ILL_TYPED_BODIES = json.dumps({"methods": {"Heuristic": "WriteMove(actionsOut, FindTheTarget(), true);"}})
FIXED_BODIES = json.dumps(
    {
        "methods": {
            "Heuristic": "Vector2 move = ScriptedMove();\nWriteMove(actionsOut, move, true);",
        }
    }
)
UNSAFE_BODIES = json.dumps({"methods": {"OnEpisodeBegin": 'System.IO.File.WriteAllText("x", "y");'}})


@pytest.fixture
def env_key(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("MLOPS_LLM_MODEL", "fake-model")
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


def _provider(server, timeout_s=10.0, max_retries=0):
    return OpenAIProvider(
        base_url=server.base_url, settings=LLMSettings(timeout_s=timeout_s, max_retries=max_retries)
    )


def test_broken_then_fixed_reply_is_repaired(tmp_path, env_key, mcs):
    """First reply has a syntax error, second a type error (mcs finds it), third is fixed: bodies used."""
    with FakeOpenAI(interpret=[GOOD_SPEC], bodies=[BROKEN_BODIES, ILL_TYPED_BODIES, FIXED_BODIES]) as server:
        result = generate(ASSET, tmp_path / "proj", provider=_provider(server))
        requests = list(server.requests)
    meta = result.metadata
    assert result.passed and not meta["fallback_used"]
    assert [a["passed"] for a in meta["attempts"]] == [False, False, True]
    assert meta["model"] == "fake-model" and len(meta["prompt_sha256"]) == 64
    agent = (tmp_path / "proj" / "Assets" / "Scripts" / "SimpleAgent.cs").read_text()
    assert "Vector2 move = ScriptedMove();" in agent
    # the failures went back to the model: the second request carries the syntax error, the third CS0103
    body_requests = [r for r in requests if "method bodies" in r["messages"][0]["content"]]
    assert "syntax error" in body_requests[1]["messages"][-1]["content"]
    assert "CS0103" in body_requests[2]["messages"][-1]["content"]
    assert result.interpretation.provider == "openai"
    assert SECRET not in json.dumps(result.to_dict())
    assert SECRET not in (tmp_path / "proj" / "mlops_codegen.json").read_text()


@needs_mcs  # LLM bodies are only requested when the safety policy can be decided
def test_unrepaired_output_falls_back_to_the_template(tmp_path, env_key):
    """Non-JSON and unsafe replies for 1 + 3 attempts: the template is used and the fallback recorded."""
    with FakeOpenAI(interpret=[GOOD_SPEC], bodies=["Sure! Here is the code.", UNSAFE_BODIES]) as server:
        result = generate(ASSET, tmp_path / "proj", provider=_provider(server))
        asked = server.count("bodies")
    meta = result.metadata
    assert asked == 4 and len(meta["attempts"]) == 4
    assert meta["fallback_used"] and "3 repair attempts" in meta["fallback_reason"]
    assert "not a JSON object" in meta["attempts"][0]["error"]
    assert any(c["name"] == "safety" and not c["passed"] for c in meta["attempts"][1]["checks"])
    assert result.passed
    assert "System.IO" not in (tmp_path / "proj" / "Assets" / "Scripts" / "SimpleAgent.cs").read_text()


@needs_mcs  # LLM bodies are only requested when the safety policy can be decided
def test_slow_reply_times_out_and_falls_back(tmp_path, env_key):
    """A reply slower than the timeout is a provider error: template code, fallback recorded."""
    with FakeOpenAI(interpret=[GOOD_SPEC], bodies=[("sleep", 3.0, FIXED_BODIES)]) as server:
        result = generate(ASSET, tmp_path / "proj", provider=_provider(server, timeout_s=0.5))
    meta = result.metadata
    assert meta["fallback_used"] and "no reply within 0.5 s" in meta["fallback_reason"]
    assert result.passed


def test_llm_interpreter_validates_json(env_key):
    """The interpreter accepts a valid spec after an invalid one (fed back), through real HTTP."""
    bad = json.dumps({**json.loads(GOOD_SPEC), "speed": 3})
    with FakeOpenAI(interpret=[bad, GOOD_SPEC]) as server:
        result = interpret(ASSET, provider=_provider(server))
        second = server.requests[1]["messages"][-1]["content"]
    assert result.provider == "openai" and result.archetype == "reach_target"
    assert [a["ok"] for a in result.llm["attempts"]] == [False, True]
    assert "unknown key 'speed'" in second


def test_llm_interpreter_non_json_falls_back_to_rules(env_key):
    """Replies that are never JSON: the rules interpret the asset and the fallback is reported."""
    with FakeOpenAI(interpret=["I think it is a navigation task."]) as server:
        result = interpret(ASSET, provider=_provider(server))
    assert result.provider == "openai->rules"
    assert len(result.llm["attempts"]) == 4
    assert "rule-based interpreter was used" in result.fallbacks[0]


def test_llm_interpreter_must_honour_given_spaces(env_key):
    """A spec that drops the asset's observation_space is rejected and repaired."""
    asset = {**ASSET, "observation_space": {"position": 2, "target_direction": 2}}
    wrong = GOOD_SPEC  # velocity + target_direction, not what the asset asked for
    right = json.dumps(
        {
            **json.loads(GOOD_SPEC),
            "observations": [{"kind": "position", "size": 2}, {"kind": "target_direction", "size": 2}],
        }
    )
    with FakeOpenAI(interpret=[wrong, right]) as server:
        result = interpret(asset, provider=_provider(server))
    assert [(o.kind, o.size) for o in result.spec.observations] == [("position", 2), ("target_direction", 2)]
    assert "ignores the asset's spaces" in result.llm["attempts"][0]["error"]


def test_missing_key_is_a_clear_error(monkeypatch):
    """Without OPENAI_API_KEY or a base URL the openai provider refuses to start."""
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(CodegenError, match="OPENAI_API_KEY"):
        make_provider("openai")
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(CodegenError, match="ANTHROPIC_API_KEY"):
        make_provider("anthropic")


def test_missing_sdk_is_missing_extra(monkeypatch):
    """Without the openai package the provider raises MissingExtraError naming the [llm] extra."""
    monkeypatch.setitem(sys.modules, "openai", None)
    with pytest.raises(MissingExtraError, match=r"\[llm\]"):
        make_provider("openai")


def test_unknown_provider():
    """An unknown provider name is a SpecError listing the known ones."""
    with pytest.raises(SpecError, match="rules"):
        make_provider("gpt")


@needs_mcs  # LLM bodies are only requested when the safety policy can be decided
def test_anthropic_provider_through_its_sdk(tmp_path, monkeypatch):
    """The anthropic provider speaks the messages API via the real SDK: broken bodies are repaired."""
    from mlops_unity_pipeline.behavior.providers import AnthropicProvider

    monkeypatch.setenv("ANTHROPIC_API_KEY", SECRET)
    monkeypatch.delenv("ANTHROPIC_AUTH_TOKEN", raising=False)
    monkeypatch.delenv("MLOPS_LLM_MODEL", raising=False)
    with FakeOpenAI(interpret=[GOOD_SPEC], bodies=[BROKEN_BODIES, FIXED_BODIES]) as server:
        provider = AnthropicProvider(
            base_url=server.root_url, settings=LLMSettings(timeout_s=10, max_retries=0)
        )
        result = generate(ASSET, tmp_path / "proj", provider=provider)
        headers = server.headers
    assert result.metadata["provider"] == "anthropic"
    assert [a["passed"] for a in result.metadata["attempts"]] == [False, True]
    assert result.interpretation.provider == "anthropic"
    sent = {k.lower(): v for k, v in headers[0].items()}
    assert sent.get("x-api-key") == SECRET or sent.get("authorization") == f"Bearer {SECRET}"
    assert SECRET not in json.dumps(result.to_dict())


def test_structure_check_rejects_injected_members():
    """A body that closes its method and declares another member fails the structure check."""
    from mlops_unity_pipeline.codegen.csharp import render_agent
    from mlops_unity_pipeline.codegen.generate import check_candidate

    spec = default_spec(Archetype.REACH_TARGET, "SimpleAgent")
    bodies = {
        "Heuristic": "}\npublic override void CollectObservations(Unity.MLAgents.Sensors.VectorSensor s)\n{"
    }
    checks = {c.name: c for c in check_candidate(spec, bodies, False, render_agent(spec))}
    assert not checks["structure"].passed
    assert "members changed" in checks["structure"].diagnostics[0].message


@needs_mcs  # LLM bodies are only requested when the safety policy can be decided
def test_server_errors_are_retried_by_the_sdk(tmp_path, env_key):
    """A 500 then a good reply: the SDK's retry gets the bodies on the first attempt."""
    with FakeOpenAI(interpret=[GOOD_SPEC], bodies=[("status", 500), FIXED_BODIES]) as server:
        result = generate(ASSET, tmp_path / "proj", provider=_provider(server, max_retries=2))
        asked = server.count("bodies")
    assert asked == 2
    assert [a["passed"] for a in result.metadata["attempts"]] == [True]
    assert not result.metadata["fallback_used"]


@needs_mcs  # LLM bodies are only requested when the safety policy can be decided
def test_http_error_without_retries_falls_back(tmp_path, env_key):
    """A 500 with retries off is a provider error naming the status; the template is used."""
    with FakeOpenAI(interpret=[GOOD_SPEC], bodies=[("status", 500)]) as server:
        result = generate(ASSET, tmp_path / "proj", provider=_provider(server, max_retries=0))
    assert result.metadata["fallback_used"] and "HTTP 500" in result.metadata["fallback_reason"]
    assert result.passed


def test_prompt_states_the_navigation_reward_defaults():
    """The system prompt asks for the simulator's reward defaults, progress shaping included."""
    from mlops_unity_pipeline.behavior.llm_interpreter import SYSTEM_PROMPT
    from mlops_unity_pipeline.sim.archetypes import NavigationParams

    nav = NavigationParams()
    prompt = " ".join(SYSTEM_PROMPT.split())  # line breaks as spaces
    assert f"progress {nav.progress_reward}" in prompt
    assert f"collision {nav.collision_penalty}" in prompt
