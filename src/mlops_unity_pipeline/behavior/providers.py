"""LLM providers: OpenAI-compatible chat (``openai`` SDK, any base URL) and Anthropic (``anthropic`` SDK).

Keys come from the environment and are never logged, stored or put in error messages. Each request has a
timeout and the SDK's own retries (connection errors, 408/429/5xx); every failure becomes a ``CodegenError``
whose message says what happened without the key.

Environment: ``OPENAI_API_KEY``, ``OPENAI_BASE_URL`` (vLLM, Ollama, Azure, Gemini's compatible endpoint …),
``ANTHROPIC_API_KEY``, ``ANTHROPIC_BASE_URL``, ``MLOPS_LLM_MODEL`` (model id), ``MLOPS_LLM_TIMEOUT_S``,
``MLOPS_LLM_MAX_RETRIES``.
"""

from __future__ import annotations

import importlib
import json
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


@runtime_checkable
class StructuredLLM(Protocol):
    """A chat model that can answer with one JSON object conforming to a schema (structured output)."""

    name: str
    model: str

    def complete_json(
        self, system: str, messages: list[dict[str, str]], schema: dict[str, Any], tool: str
    ) -> dict[str, Any]:
        """Send the conversation and return the reply as an object constrained by ``schema``.

        Args:
            system: the system prompt.
            messages: the conversation.
            schema: the JSON schema the reply must follow.
            tool: a short name for the output (OpenAI's ``json_schema.name``, Anthropic's tool name).

        Returns:
            The parsed object (still to be validated: providers do not guarantee the schema).

        Raises:
            CodegenError: on transport errors (timeout, connection, HTTP, no reply).
            SpecError: the reply is not one JSON object (bad output: the caller may ask for a repair).

        """
        ...


class _SDKProvider:
    """What both SDK providers share: SDK import, model and request settings, client, error translation.

    Args:
        model: the model id (default: ``MLOPS_LLM_MODEL``, else ``DEFAULT_MODELS[name]``).
        base_url: the API's base URL (default: the provider's ``*_BASE_URL`` variable, else the SDK's).
        api_key: the key (default: the provider's ``*_API_KEY`` variable).
        settings: request settings (default: from the environment).

    Raises:
        MissingExtraError: the SDK is not installed (``pip install 'mlops_unity_pipeline[llm]'``).
        CodegenError: the key is missing.

    """

    name = ""
    """The provider's name: its SDK's module, its ``DEFAULT_MODELS`` key and the prefix of its errors."""
    client_class = ""
    """The SDK's client class."""
    base_error = ""
    """The SDK's root exception class."""
    default_endpoint = ""
    """The host named in errors when no base URL is set."""

    def __init__(
        self,
        *,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        settings: LLMSettings | None = None,
    ) -> None:
        try:
            self._sdk = importlib.import_module(self.name)  # deferred: the SDKs are the optional [llm] extra
        except ImportError:
            raise MissingExtraError("llm", f"the {self.name} provider") from None
        self.settings = settings or LLMSettings.from_env()
        self.model = model or os.environ.get("MLOPS_LLM_MODEL") or DEFAULT_MODELS[self.name]
        self.base_url, key = self._credentials(base_url, api_key)
        self._client = getattr(self._sdk, self.client_class)(
            api_key=key,
            base_url=self.base_url,
            timeout=self.settings.timeout_s,
            max_retries=self.settings.max_retries,
        )

    # --- one request path ---------------------------------------------------------------------------------
    def complete(self, system: str, messages: list[dict[str, str]]) -> str:
        """Send the conversation and return the reply text (see ``LLMProvider.complete``)."""
        return self._text(self._send(system, messages, {}))

    def complete_json(
        self, system: str, messages: list[dict[str, str]], schema: dict[str, Any], tool: str
    ) -> dict[str, Any]:
        """Ask for one object following ``schema`` (see ``StructuredLLM.complete_json``)."""
        return self._object(self._send(system, messages, self._structured(schema, tool)), tool)

    def _send(self, system: str, messages: list[dict[str, str]], extra: dict[str, Any]) -> Any:
        """Make one request with the SDK's timeout and retries; its errors become ``CodegenError``."""
        with self._sdk_errors():
            return self._create(system, messages, extra)

    # --- what each SDK does its own way ---------------------------------------------------------------------
    def _credentials(self, base_url: str | None, api_key: str | None) -> tuple[str | None, str]:
        """Return ``(base_url, key)`` from the arguments or the environment (no key: ``CodegenError``)."""
        raise NotImplementedError

    def _create(self, system: str, messages: list[dict[str, str]], extra: dict[str, Any]) -> Any:
        """Call the SDK's chat endpoint with the model, the conversation and ``extra`` arguments."""
        raise NotImplementedError

    def _structured(self, schema: dict[str, Any], tool: str) -> dict[str, Any]:
        """Return the request arguments that constrain the reply to ``schema``."""
        raise NotImplementedError

    def _text(self, response: Any) -> str:
        """Return a reply's text (none: ``CodegenError``)."""
        raise NotImplementedError

    def _object(self, response: Any, tool: str) -> dict[str, Any]:
        """Return a structured reply's object (``CodegenError`` or ``SpecError`` when there is none)."""
        raise NotImplementedError

    @contextmanager
    def _sdk_errors(self) -> Iterator[None]:
        """Turn the SDK's timeout, connection, HTTP and other errors into ``CodegenError`` (no key in them).

        Both SDKs name their errors alike (``APITimeoutError``, ``APIConnectionError``, ``APIStatusError``
        under one root class), so one translation serves both.
        """
        sdk, endpoint = self._sdk, self.base_url or self.default_endpoint
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
        except getattr(sdk, self.base_error) as exc:
            raise CodegenError(f"{self.name}: {type(exc).__name__}: {_short(str(exc))}") from None


class OpenAIProvider(_SDKProvider):
    """OpenAI-compatible chat completions through the ``openai`` SDK (any base URL: vLLM, Ollama, Azure …)."""

    name = "openai"
    client_class = "OpenAI"
    base_error = "OpenAIError"
    default_endpoint = "api.openai.com"

    def _credentials(self, base_url: str | None, api_key: str | None) -> tuple[str | None, str]:
        """Return ``OPENAI_BASE_URL`` and ``OPENAI_API_KEY`` (a local server needs no key)."""
        base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
        key = api_key or os.environ.get("OPENAI_API_KEY")
        if key:
            return base_url, key
        if base_url is None:
            raise CodegenError(
                "the openai provider needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local server)"
            )
        return base_url, "not-needed"  # local OpenAI-compatible servers (vLLM, Ollama) accept any key

    def _create(self, system: str, messages: list[dict[str, str]], extra: dict[str, Any]) -> Any:
        """Call chat completions, the system prompt as the first message."""
        return self._client.chat.completions.create(
            model=self.model,
            messages=[{"role": "system", "content": system}, *messages],
            temperature=self.settings.temperature,
            max_tokens=self.settings.max_tokens,
            **extra,
        )

    def _structured(self, schema: dict[str, Any], tool: str) -> dict[str, Any]:
        """Structured output (``response_format: json_schema``).

        ``strict`` is off: strict mode requires every property to be required and no ``additionalProperties``,
        which the world schema's optional fields do not meet; our validator is the judge either way.
        """
        return {
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": tool, "schema": schema, "strict": False},
            }
        }

    def _text(self, response: Any) -> str:
        """Return the first choice's message text."""
        if not response.choices or not response.choices[0].message.content:
            raise CodegenError("openai: the reply has no text")
        return str(response.choices[0].message.content)

    def _object(self, response: Any, tool: str) -> dict[str, Any]:
        """Return the first choice's text, parsed as one JSON object."""
        return _json_object(self._text(response), self.name)


class AnthropicProvider(_SDKProvider):
    """Anthropic messages API through the ``anthropic`` SDK."""

    name = "anthropic"
    client_class = "Anthropic"
    base_error = "AnthropicError"
    default_endpoint = "api.anthropic.com"

    def _credentials(self, base_url: str | None, api_key: str | None) -> tuple[str | None, str]:
        """Return ``ANTHROPIC_BASE_URL`` and ``ANTHROPIC_API_KEY`` (required)."""
        key = api_key or os.environ.get("ANTHROPIC_API_KEY")
        if not key:
            raise CodegenError("the anthropic provider needs ANTHROPIC_API_KEY")
        return base_url or os.environ.get("ANTHROPIC_BASE_URL") or None, key

    def _create(self, system: str, messages: list[dict[str, str]], extra: dict[str, Any]) -> Any:
        """Call the messages API, the system prompt as its own argument."""
        return self._client.messages.create(
            model=self.model,
            system=system,
            messages=messages,
            # this SDK's messages.create has no temperature parameter; the model's default applies
            max_tokens=self.settings.max_tokens,
            **extra,
        )

    def _structured(self, schema: dict[str, Any], tool: str) -> dict[str, Any]:
        """Force a call of one tool whose ``input_schema`` is ``schema``."""
        return {
            "tools": [{"name": tool, "description": "Emit the result.", "input_schema": schema}],
            "tool_choice": {"type": "tool", "name": tool},
        }

    def _text(self, response: Any) -> str:
        """Return the reply's text blocks, joined."""
        text = "".join(getattr(block, "text", "") for block in response.content)
        if not text:
            raise CodegenError("anthropic: the reply has no text")
        return text

    def _object(self, response: Any, tool: str) -> dict[str, Any]:
        """Return the input of the reply's ``tool`` call."""
        for block in response.content:
            if getattr(block, "type", "") == "tool_use" and getattr(block, "name", "") == tool:
                if not isinstance(block.input, dict):
                    raise CodegenError(f"anthropic: the {tool} call's input is not an object")
                return dict(block.input)
        raise CodegenError(f"anthropic: the reply has no {tool} tool call")


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


def _json_object(text: str, provider: str) -> dict[str, Any]:
    """Parse a structured reply: one JSON object, or a ``SpecError`` (bad model output, repairable)."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError(f"{provider}: the structured reply is not JSON ({exc.msg} at {exc.pos})") from None
    if not isinstance(value, dict):
        raise SpecError(f"{provider}: the structured reply is {type(value).__name__}, not an object")
    return value


def _short(text: str, limit: int = 200) -> str:
    text = redact(" ".join(str(text).split()))  # a provider may echo the key in its error body (redact.py)
    return text if len(text) <= limit else text[: limit - 1] + "…"
