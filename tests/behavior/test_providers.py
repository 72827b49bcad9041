"""The SDK providers' shared error translation: every SDK failure becomes a short CodegenError, no key."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from mlops_unity_pipeline.behavior.providers import AnthropicProvider, LLMSettings, OpenAIProvider
from mlops_unity_pipeline.errors import CodegenError


class _BaseError(Exception):
    pass


class _Timeout(_BaseError):
    pass


class _Connection(_BaseError):
    pass


class _Status(_BaseError):
    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code, self.message = status_code, message


KEY = "sk-SECRETSECRETSECRET1234"
"""An API key the SDK echoes back in an error."""
FAKE_SDK = SimpleNamespace(
    APITimeoutError=_Timeout, APIConnectionError=_Connection, APIStatusError=_Status, OpenAIError=_BaseError
)
"""The error names the openai SDK defines (the anthropic SDK's are alike)."""


def _provider(settings: LLMSettings) -> OpenAIProvider:
    """A real provider (the SDK is installed) whose SDK errors come from ``FAKE_SDK``."""
    provider = OpenAIProvider(api_key=KEY, base_url="http://api.example.test/v1", settings=settings)
    provider._sdk = FAKE_SDK
    return provider


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (_Timeout(), r"^openai: no reply within 1\.5 s \(3 retries\) from http://api\.example\.test/v1$"),
        (
            _Connection(f"refused {KEY}"),
            r"^openai: cannot connect to http://api\.example\.test/v1: refused \*",
        ),
        (_Status(503, "overloaded"), r"^openai: HTTP 503: overloaded$"),
        (_BaseError("odd"), r"^openai: _BaseError: odd$"),
    ],
)
def test_each_sdk_error_becomes_a_codegen_error(monkeypatch, error, expected):
    """Timeout, connection, HTTP status and any other SDK error are translated, naming provider and host."""
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    provider = _provider(LLMSettings(timeout_s=1.5, max_retries=3))
    with pytest.raises(CodegenError, match=expected) as info:
        with provider._sdk_errors():
            raise error
    assert KEY not in str(info.value)  # redacted: a key echoed by the SDK never reaches the user


def test_model_comes_from_the_argument_then_the_environment_then_the_default(monkeypatch):
    """MLOPS_LLM_MODEL overrides the provider's default model; an explicit model overrides both."""
    monkeypatch.delenv("MLOPS_LLM_MODEL", raising=False)
    assert OpenAIProvider(api_key=KEY).model == "gpt-4o-mini"
    assert AnthropicProvider(api_key=KEY).model == "claude-sonnet-4-6"
    monkeypatch.setenv("MLOPS_LLM_MODEL", "local-model")
    assert AnthropicProvider(api_key=KEY).model == "local-model"
    assert OpenAIProvider(api_key=KEY, model="given").model == "given"


def test_credentials_come_from_the_environment(monkeypatch):
    """Keys and base URLs are read from the provider's variables; a local OpenAI server needs no key."""
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert OpenAIProvider().base_url == "http://127.0.0.1:9/v1"
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")
    assert AnthropicProvider().base_url == "http://127.0.0.1:9"
