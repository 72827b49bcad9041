"""The SDK providers' shared error translation: every SDK failure becomes a short CodegenError, no key."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from mlops_unity_pipeline.behavior.providers import LLMSettings, _SDKProvider
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
FAKE_SDK = SimpleNamespace(APITimeoutError=_Timeout, APIConnectionError=_Connection, APIStatusError=_Status)
"""The error names both the openai and the anthropic SDK define."""


class _Provider(_SDKProvider):
    name = "openai"
    default_endpoint = "api.example.test"


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (_Timeout(), r"^openai: no reply within 1\.5 s \(3 retries\) from api\.example\.test$"),
        (_Connection(f"refused {KEY}"), r"^openai: cannot connect to api\.example\.test: refused \*"),
        (_Status(503, "overloaded"), r"^openai: HTTP 503: overloaded$"),
        (_BaseError("odd"), r"^openai: _BaseError: odd$"),
    ],
)
def test_each_sdk_error_becomes_a_codegen_error(monkeypatch, error, expected):
    """Timeout, connection, HTTP status and any other SDK error are translated, naming provider and host."""
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    provider = _Provider("m", LLMSettings(timeout_s=1.5, max_retries=3))
    with pytest.raises(CodegenError, match=expected) as info:
        with provider._sdk_errors(FAKE_SDK, _BaseError):
            raise error
    assert KEY not in str(info.value)  # redacted: a key echoed by the SDK never reaches the user


def test_model_comes_from_the_argument_then_the_environment_then_the_default(monkeypatch):
    """MLOPS_LLM_MODEL overrides the provider's default model; an explicit model overrides both."""
    monkeypatch.delenv("MLOPS_LLM_MODEL", raising=False)
    assert _Provider(None, LLMSettings()).model == "gpt-4o-mini"
    monkeypatch.setenv("MLOPS_LLM_MODEL", "local-model")
    assert _Provider(None, LLMSettings()).model == "local-model"
    assert _Provider("given", LLMSettings()).model == "given"
