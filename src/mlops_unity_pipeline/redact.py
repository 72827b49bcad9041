"""Secret redaction: the one helper every boundary that writes or prints text calls.

An LLM provider's error echoed the API key into ``mlops_codegen.json``, the artifact store, ``pipeline.db``
and the console. The secrets are the values of the environment variables that hold credentials
(``SECRET_ENV_VARS`` and any name ending like ``SECRET_NAME_RE``), read at each call so a key set later is
covered too, plus the password part of any ``scheme://user:password@host`` URL. They are replaced by ``***``
wherever text leaves the process: codegen records, job-store rows, ``metadata.json`` and other JSON
artifacts, CLI output and logs.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import traceback
import urllib.parse
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

MASK = "***"
"""What a secret is replaced by."""

SECRET_ENV_VARS = (
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "MLOPS_WEBHOOK_SECRET",
    "MLFLOW_TRACKING_PASSWORD",
    "MLFLOW_TRACKING_TOKEN",
    "AZURE_OPENAI_API_KEY",
    "GEMINI_API_KEY",
    "HF_TOKEN",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
)
"""Variables known to hold credentials (the providers', webhooks', MLflow's and the clouds')."""

SECRET_NAME_RE = re.compile(r"(API_KEY|_TOKEN|_SECRET|_PASSWORD|SECRET_ACCESS_KEY|PRIVATE_KEY)$")
"""Any other variable whose name ends like this is a secret too (``MY_SERVICE_TOKEN``)."""

NOT_SECRET = frozenset({"GOOGLE_APPLICATION_CREDENTIALS"})
"""Names that match but hold a path, not a credential (the file itself is never read or echoed)."""

MIN_SECRET_LENGTH = 8
"""Shorter values (``1``, ``true``) would mask ordinary words: they are not treated as secrets."""

_URL_CREDENTIALS = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:)(?P<password>[^@\s/]+)@")


def configured_secrets(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Return the secret values configured in the environment, longest first.

    Args:
        environ: the variables to read (default: ``os.environ``).

    Returns:
        Distinct values of at least ``MIN_SECRET_LENGTH`` characters.

    """
    env = os.environ if environ is None else environ
    values = {
        value.strip()
        for name, value in env.items()
        if name not in NOT_SECRET and (name in SECRET_ENV_VARS or SECRET_NAME_RE.search(name.upper()))
    }
    return tuple(sorted((v for v in values if len(v) >= MIN_SECRET_LENGTH), key=lambda v: (-len(v), v)))


def redact(text: str, secrets: tuple[str, ...] | None = None) -> str:
    """Replace every configured secret (and URL passwords) in ``text`` by ``***``.

    Each secret is also matched in the forms an echo may take: URL-quoted and JSON-escaped.

    Args:
        text: any text about to be written, stored, printed or logged.
        secrets: the values to hide (default: ``configured_secrets()``).

    Returns:
        The text without them.

    """
    if not isinstance(text, str) or not text:
        return text
    pattern = _pattern(configured_secrets() if secrets is None else secrets)
    if pattern is not None:
        text = pattern.sub(MASK, text)
    return _URL_CREDENTIALS.sub(lambda m: m["head"] + MASK + "@", text)


def redact_data(obj: Any, secrets: tuple[str, ...] | None = None) -> Any:
    """Redact every string inside a JSON-like value (dict keys and values, lists, tuples).

    Args:
        obj: a record about to be serialized.
        secrets: the values to hide (default: ``configured_secrets()``).

    Returns:
        A redacted copy (other objects are returned as they are).

    """
    secrets = configured_secrets() if secrets is None else secrets
    if isinstance(obj, str):
        return redact(obj, secrets)
    if isinstance(obj, Mapping):
        return {redact_data(k, secrets): redact_data(v, secrets) for k, v in obj.items()}
    if isinstance(obj, list):
        return [redact_data(v, secrets) for v in obj]
    if isinstance(obj, tuple):
        return tuple(redact_data(v, secrets) for v in obj)
    return obj


@lru_cache(maxsize=8)
def _pattern(secrets: tuple[str, ...]) -> re.Pattern[str] | None:
    forms: set[str] = set()
    for secret in secrets:
        forms.add(secret)
        forms.add(urllib.parse.quote(secret, safe=""))
        forms.add(json.dumps(secret)[1:-1])
    if not forms:
        return None
    ordered = sorted(forms, key=lambda v: (-len(v), v))
    return re.compile("|".join(re.escape(v) for v in ordered))


# --- logs and uncaught tracebacks ---

_installed: list[Any] = []


def install_redaction() -> None:
    """Redact every log record of this process and any uncaught traceback before they are written.

    Log records are redacted when created (message, arguments and traceback), so every handler sees the
    redacted text; ``sys.excepthook`` prints an uncaught exception's traceback redacted. Idempotent. The CLI
    and ``UnityMLOpsOrchestrator`` install it; library users who log elsewhere may call it too.
    """
    if _installed:
        return
    previous_factory = logging.getLogRecordFactory()
    previous_hook = sys.excepthook

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous_factory(*args, **kwargs)
        secrets = configured_secrets()
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg, record.args = redact(message, secrets), None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info), secrets)
            record.exc_info = None  # the redacted text above replaces the raw traceback
        return record

    def excepthook(kind: type[BaseException], value: BaseException, tb: Any) -> None:
        text = "".join(traceback.format_exception(kind, value, tb))
        sys.stderr.write(redact(text))

    logging.setLogRecordFactory(factory)
    sys.excepthook = excepthook
    _installed.append((previous_factory, previous_hook))


def uninstall_redaction() -> None:
    """Restore the log record factory and excepthook ``install_redaction`` replaced (for tests)."""
    if _installed:
        previous_factory, previous_hook = _installed.pop()
        logging.setLogRecordFactory(previous_factory)
        sys.excepthook = previous_hook
