"""LLM providers: OpenAI-compatible chat (``openai`` SDK, any base URL) and Anthropic (``anthropic`` SDK).

Keys come from the environment and are never logged, stored or put in error messages. Each request has a
timeout and the SDK's own retries (connection errors, 408/429/5xx); every failure becomes a ``CodegenError``
whose message says what happened without the key.

Environment: ``OPENAI_API_KEY``, ``OPENAI_BASE_URL`` (vLLM, Ollama, Azure, Gemini's compatible endpoint …),
``ANTHROPIC_API_KEY``, ``ANTHROPIC_BASE_URL``, ``MLOPS_LLM_MODEL`` (model id), ``MLOPS_LLM_TIMEOUT_S``,
``MLOPS_LLM_MAX_RETRIES``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from ..errors import CodegenError, MissingExtraError, SpecError
from ..redact import redact

PROVIDERS = ("rules", "openai", "anthropic")
"""Provider names the CLI and ``generate`` accept (``rules`` = offline, no LLM)."""

DEFAULT_MODELS = {"openai": "gpt-4o-mini", "anthropic": "claude-sonnet-4-6"}
"""Model ids used when ``MLOPS_LLM_MODEL`` is not set."""


@dataclass(frozen=True)
class LLMSettings:
    """Request settings shared by the providers."""

    timeout_s: float = 60.0
    """Seconds one HTTP request may take (the SDK's ``timeout``)."""
    max_retries: int = 2
    """SDK retries on connection errors, 408, 429 and 5xx (with back-off)."""
    temperature: float = 0.0
    """Sampling temperature (0 = as repeatable as the API allows)."""
    max_tokens: int = 4096
    """Upper bound of the reply length."""

    def __post_init__(self) -> None:
        if not self.timeout_s > 0:
            raise SpecError(f"LLM settings: timeout_s must be > 0, got {self.timeout_s}")
        if self.max_retries < 0:
            raise SpecError(f"LLM settings: max_retries must be >= 0, got {self.max_retries}")

    @classmethod
    def from_env(cls) -> LLMSettings:
        """Read settings from ``MLOPS_LLM_TIMEOUT_S`` and ``MLOPS_LLM_MAX_RETRIES`` (defaults otherwise).

        Raises:
            SpecError: when a variable is not a number.

        """
        try:
            timeout = float(os.environ.get("MLOPS_LLM_TIMEOUT_S", cls.timeout_s))
            retries = int(os.environ.get("MLOPS_LLM_MAX_RETRIES", cls.max_retries))
        except ValueError as exc:
            raise SpecError(f"MLOPS_LLM_TIMEOUT_S / MLOPS_LLM_MAX_RETRIES: {exc}") from None
        return cls(timeout_s=timeout, max_retries=retries)


@runtime_checkable
class LLMProvider(Protocol):
    """A chat model that answers one system + conversation with text."""

    name: str
    """``openai`` or ``anthropic`` (or a test double's name)."""
    model: str
    """The model id sent with each request."""

    def complete(self, system: str, messages: list[dict[str, str]]) -> str:
        """Send the conversation and return the reply text.

        Args:
            system: the system prompt.
            messages: ``[{"role": "user"|"assistant", "content": ...}, ...]``.

        Returns:
            The reply's text.

        Raises:
            CodegenError: on timeout, connection failure, an HTTP error or an empty reply.

        """
        ...


class _SDKProvider:
    """What both SDK providers share: model and request settings, and one translation of SDK errors.

    Args:
        model: the model id (default: ``MLOPS_LLM_MODEL``, else ``DEFAULT_MODELS[name]``).
        settings: request settings (default: from the environment).

    """

    name = ""
    """The provider's name (``DEFAULT_MODELS`` key, error prefix)."""
    default_endpoint = ""
    """The host named in errors when no base URL is set."""

    def __init__(self, model: str | None, settings: LLMSettings | None) -> None:
        self.settings = settings or LLMSettings.from_env()
        self.model = model or os.environ.get("MLOPS_LLM_MODEL") or DEFAULT_MODELS[self.name]
        self.base_url: str | None = None

    @contextmanager
    def _sdk_errors(self, sdk: Any, base_error: type[Exception]) -> Iterator[None]:
        """Turn the SDK's timeout, connection, HTTP and other errors into ``CodegenError`` (no key in them).

        Both SDKs name their errors alike (``APITimeoutError``, ``APIConnectionError``, ``APIStatusError``
        under one base class), so one translation serves both.
        """
        endpoint = self.base_url or self.default_endpoint
        try:
            yield
        except sdk.APITimeoutError:
            raise CodegenError(
                f"{self.name}: no reply within {self.settings.timeout_s:g} s "
                f"({self.settings.max_retries} retries) from {endpoint}"
            ) from None
        except sdk.APIConnectionError as exc:
            raise CodegenError(redact(f"{self.name}: cannot connect to {endpoint}: {exc}")) from None
        except sdk.APIStatusError as exc:
            raise CodegenError(f"{self.name}: HTTP {exc.status_code}: {_short(exc.message)}") from None
        except base_error as exc:
            raise CodegenError(f"{self.name}: {type(exc).__name__}: {_short(str(exc))}") from None


class OpenAIProvider(_SDKProvider):
    """OpenAI-compatible chat completions through the ``openai`` SDK."""

    name = "openai"
    default_endpoint = "api.openai.com"

    def __init__(
        self,
        *,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        settings: LLMSettings | None = None,
    ) -> None:
        try:
            import openai
        except ImportError:
            raise MissingExtraError("llm", "the openai provider") from None
        super().__init__(model, settings)
        base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
        key = api_key or os.environ.get("OPENAI_API_KEY")
        if not key:
            if base_url is None:
                raise CodegenError(
                    "the openai provider needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local server)"
                )
            key = "not-needed"  # local OpenAI-compatible servers (vLLM, Ollama) accept any key
        self.base_url = base_url
        self._openai = openai
        self._client = openai.OpenAI(
            api_key=key,
            base_url=base_url,
            timeout=self.settings.timeout_s,
            max_retries=self.settings.max_retries,
        )

    def complete(self, system: str, messages: list[dict[str, str]]) -> str:
        """Send the conversation (see ``LLMProvider.complete``)."""
        with self._sdk_errors(self._openai, self._openai.OpenAIError):
            response = self._client.chat.completions.create(
                model=self.model,
                messages=[{"role": "system", "content": system}, *messages],  # type: ignore[list-item]  # SDK TypedDicts
                temperature=self.settings.temperature,
                max_tokens=self.settings.max_tokens,
            )
        if not response.choices or not response.choices[0].message.content:
            raise CodegenError("openai: the reply has no text")
        return response.choices[0].message.content


class AnthropicProvider(_SDKProvider):
    """Anthropic messages API through the ``anthropic`` SDK."""

    name = "anthropic"
    default_endpoint = "api.anthropic.com"

    def __init__(
        self,
        *,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        settings: LLMSettings | None = None,
    ) -> None:
        try:
            import anthropic
        except ImportError:
            raise MissingExtraError("llm", "the anthropic provider") from None
        super().__init__(model, settings)
        key = api_key or os.environ.get("ANTHROPIC_API_KEY")
        if not key:
            raise CodegenError("the anthropic provider needs ANTHROPIC_API_KEY")
        self.base_url = base_url or os.environ.get("ANTHROPIC_BASE_URL") or None
        self._anthropic = anthropic
        self._client = anthropic.Anthropic(
            api_key=key,
            base_url=self.base_url,
            timeout=self.settings.timeout_s,
            max_retries=self.settings.max_retries,
        )

    def complete(self, system: str, messages: list[dict[str, str]]) -> str:
        """Send the conversation (see ``LLMProvider.complete``)."""
        with self._sdk_errors(self._anthropic, self._anthropic.AnthropicError):
            response = self._client.messages.create(
                model=self.model,
                system=system,
                messages=messages,  # type: ignore[arg-type]  # SDK TypedDicts; plain dicts are accepted at runtime
                # this SDK's messages.create has no temperature parameter; the model's default applies
                max_tokens=self.settings.max_tokens,
            )
        text = "".join(getattr(block, "text", "") for block in response.content)
        if not text:
            raise CodegenError("anthropic: the reply has no text")
        return text


def make_provider(name: str, *, settings: LLMSettings | None = None) -> LLMProvider | None:
    """Create the provider called ``name``; None for ``rules`` (offline).

    Args:
        name: ``rules``, ``openai`` or ``anthropic``.
        settings: request settings (default: from the environment).

    Returns:
        A provider, or None for ``rules``.

    Raises:
        SpecError: for an unknown name.
        MissingExtraError: when the SDK is not installed (``pip install 'mlops_unity_pipeline[llm]'``).
        CodegenError: when the key is missing.

    """
    key = str(name).strip().lower()
    if key == "rules":
        return None
    if key == "openai":
        return OpenAIProvider(settings=settings)
    if key == "anthropic":
        return AnthropicProvider(settings=settings)
    raise SpecError(f"provider must be one of {list(PROVIDERS)}, got {name!r}")


def _short(text: str, limit: int = 200) -> str:
    text = redact(" ".join(str(text).split()))  # a provider may echo the key in its error body (redact.py)
    return text if len(text) <= limit else text[: limit - 1] + "…"
