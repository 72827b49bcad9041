"""The LLM world interpreter against local fake servers: structured output, repairs, fallback, refusals."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mlops_unity_pipeline.behavior.providers import AnthropicProvider, LLMSettings, OpenAIProvider
from mlops_unity_pipeline.behavior.world_llm import TOOL_NAME, interpret_world_llm
from mlops_unity_pipeline.behavior.world_rules import compose_world
from mlops_unity_pipeline.world import world_to_dict

from .fake_world_llm import FakeWorldLLM

LAVA = {
    "asset_id": "lava-1",
    "name": "LavaWalker",
    "description": "Reach the goal without stepping on the lava tiles.",
}
SETTINGS = LLMSettings(timeout_s=10, max_retries=0)


def _model_world() -> dict:
    """A world the model might emit: the rules world with a bigger arena (so it is told apart)."""
    world = compose_world(LAVA)
    return world_to_dict(replace(world, arena=replace(world.arena, size=(24.0, 24.0))))


def _openai(server: FakeWorldLLM) -> OpenAIProvider:
    return OpenAIProvider(base_url=server.base_url, api_key="sk-test", settings=SETTINGS)


def _anthropic(server: FakeWorldLLM) -> AnthropicProvider:
    return AnthropicProvider(base_url=server.root_url, api_key="sk-ant-test", settings=SETTINGS)


@pytest.mark.parametrize("make", [_openai, _anthropic], ids=["openai", "anthropic"])
def test_a_valid_structured_reply_becomes_the_world(make):
    """Both providers send the world schema as structured output / a forced tool, and the reply is used."""
    with FakeWorldLLM([_model_world()]) as server:
        result = interpret_world_llm(LAVA, make(server))
    assert not result.fallback_used and result.attempts == [{"attempt": 0, "ok": True, "error": None}]
    assert result.interpretation.world.arena.size == (24.0, 24.0)
    body = server.requests[0]
    if "tools" in body:
        assert body["tool_choice"] == {"type": "tool", "name": TOOL_NAME}
        assert "$defs" in body["tools"][0]["input_schema"]
    else:
        assert body["response_format"]["type"] == "json_schema"
        assert body["response_format"]["json_schema"]["name"] == TOOL_NAME


def test_an_invalid_world_is_repaired_with_the_validators_message():
    """A reply with a bad field is sent back with the error naming it; the repaired reply is used."""
    bad = _model_world()
    bad["max_step"] = -3
    with FakeWorldLLM([bad, _model_world()]) as server:
        result = interpret_world_llm(LAVA, _openai(server))
    assert [a["ok"] for a in result.attempts] == [False, True] and not result.fallback_used
    repair = server.requests[1]["messages"][-1]["content"]
    assert "That world is invalid" in repair and "max_step" in repair


def test_a_reward_nobody_senses_is_refused_and_repaired():
    """A world whose sensors do not see the goal fails the perception rule, named in the repair message."""
    blind = _model_world()
    blind["agent"]["sensors"] = [{"kind": "vector", "name": "V", "items": [{"item": "velocity"}]}]
    with FakeWorldLLM([blind, _model_world()]) as server:
        result = interpret_world_llm(LAVA, _anthropic(server))
    assert "no sensor perceives" in result.attempts[0]["error"] and result.attempts[1]["ok"]


def test_after_the_bounded_repairs_the_rules_world_is_used_and_recorded():
    """Replies that stay invalid (not JSON) use the rules world after 1 + max_repairs attempts."""
    with FakeWorldLLM(["this is not json"]) as server:
        result = interpret_world_llm(LAVA, _openai(server), max_repairs=1)
    assert len(server.requests) == 2 and result.fallback_used
    assert "not JSON" in result.fallback_reason
    assert result.interpretation.world == compose_world(LAVA)


def test_a_transport_error_falls_back_at_once():
    """An HTTP 500 is not repairable: the rules world is used after one request."""
    with FakeWorldLLM([("status", 500)]) as server:
        result = interpret_world_llm(LAVA, _openai(server))
    assert len(server.requests) == 1 and result.fallback_used and "HTTP 500" in result.fallback_reason


def test_a_description_the_vocabulary_cannot_express_is_refused_without_asking():
    """ "Herd the sheep" is refused by the rules; the model is not asked to make the IR say it."""
    with FakeWorldLLM([_model_world()]) as server:
        herder = {"asset_id": "h", "name": "Herder", "description": "Herd the sheep into the pen."}
        result = interpret_world_llm(herder, _openai(server))
    assert result.interpretation.refusal is not None and not server.requests
