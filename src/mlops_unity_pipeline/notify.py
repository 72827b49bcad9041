"""Webhook notifications: signed JSON events, delivered in the background with bounded retries.

Each event is POSTed to every configured URL as one JSON object::

    {"id": "6f1c…", "event": "job.succeeded", "timestamp": "2024-05-01T02:14:03Z", "data": {...}}

with headers ``X-Mlops-Event``, ``X-Mlops-Delivery`` (= ``id``), ``X-Mlops-Timestamp`` (unix seconds),
``X-Mlops-Attempt`` and, when a secret is set, ``X-Mlops-Signature: sha256=<hex HMAC-SHA256 of the raw body>``
(GitHub's scheme). Receivers verify the signature over the exact bytes received, then reject stale
timestamps and already-seen ids to stop replays (``docs/integrations.md`` has a verifier).

Delivery never fails or blocks the job: ``send`` queues the POSTs for a few daemon threads and returns. A
POST is retried on connection errors, timeouts, 408/425/429 and 5xx, with exponential backoff and full jitter
(Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015), at most ``max_attempts`` times and
within ``max_total_s`` seconds of ``send`` per URL; other 4xx answers are final. At interpreter exit pending
deliveries get at most ``max_total_s`` more, then are dropped with a warning.
"""

from __future__ import annotations

import atexit
import base64
import collections
import hashlib
import hmac
import json
import logging
import os
import queue
import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import weakref
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, wait
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Any

from .errors import SpecError
from .redact import redact_data

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Mlops-Signature"
TIMESTAMP_HEADER = "X-Mlops-Timestamp"
EVENT_HEADER = "X-Mlops-Event"
DELIVERY_HEADER = "X-Mlops-Delivery"
ATTEMPT_HEADER = "X-Mlops-Attempt"

ENV_URLS = "MLOPS_WEBHOOK_URLS"
ENV_SECRET = "MLOPS_WEBHOOK_SECRET"

_RETRY_STATUSES = frozenset({408, 425, 429})  # plus every 5xx

_LIVE: weakref.WeakSet[WebhookNotifier] = weakref.WeakSet()


@atexit.register
def _close_all_at_exit() -> None:
    """Give in-flight deliveries up to their ``max_total_s`` at exit, then drop what is left."""
    for notifier in list(_LIVE):
        notifier.close(timeout=notifier.max_total_s)


class Event(str, Enum):
    """The events the orchestrator sends (values are the ``event`` field and the ``X-Mlops-Event`` header)."""

    JOB_STARTED = "job.started"
    """A job began running (``data``: job_id, asset_id, attempt, resumed)."""
    JOB_SUCCEEDED = "job.succeeded"
    """A job finished (``data``: job_id, asset_id, version, promoted, model_sha256, metrics)."""
    JOB_FAILED = "job.failed"
    """A job failed (``data``: job_id, asset_id, stage, error)."""
    MODEL_PROMOTED = "model.promoted"
    """A new champion (``data``: the job.succeeded fields plus alias)."""


@dataclass(frozen=True)
class DeliveryResult:
    """How one event reached (or failed to reach) one URL."""

    delivery_id: str
    """The event id (``X-Mlops-Delivery``)."""
    event: str
    """The event name."""
    url: str
    """The receiver, without query string or credentials (safe to log)."""
    ok: bool
    """True when a 2xx answer came back."""
    attempts: int
    """POSTs made."""
    status: int | None
    """The last HTTP status, or None when no answer came back."""
    error: str | None
    """Why the last attempt failed."""
    elapsed_s: float
    """Seconds from ``send`` to the outcome."""


def sign(body: bytes, secret: str) -> str:
    """Return the ``X-Mlops-Signature`` value for a body.

    Args:
        body: the exact bytes POSTed.
        secret: the shared secret.

    Returns:
        ``"sha256=" + hex(HMAC-SHA256(secret, body))``.

    """
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, secret: str, header: str | None) -> bool:
    """Check a received ``X-Mlops-Signature`` header in constant time (for receivers and tests).

    Args:
        body: the raw request body.
        secret: the shared secret.
        header: the header's value.

    Returns:
        True when it matches.

    """
    return header is not None and hmac.compare_digest(sign(body, secret), header)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return value.tolist()
    return str(value)


def _safe_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    try:
        port = parts.port
    except ValueError:  # a malformed port: show none rather than fail while reporting it
        port = None
    if port:
        host += f":{port}"
    return f"{parts.scheme}://{host}{parts.path}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Treat redirects as failures: urllib would turn a redirected POST into a GET and drop the body."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class WebhookNotifier:
    """Sends signed webhook events in background threads; ``send`` never raises and never blocks.

    Args:
        urls: receivers (``http`` or ``https``).
        secret: shared secret for ``X-Mlops-Signature``; ``None`` sends unsigned events.
        timeout_s: per-POST timeout.
        max_attempts: POSTs per URL and event, at most.
        max_total_s: wall-clock budget per URL and event, retries and backoff included.
        backoff_s: base of the exponential backoff (attempt ``n`` waits up to ``backoff_s * 2**(n-1)``).
        max_workers: deliveries in flight at once.

    Raises:
        SpecError: on a URL that is not http(s) or on non-positive limits.

    """

    def __init__(
        self,
        urls: Sequence[str],
        secret: str | None = None,
        *,
        timeout_s: float = 5.0,
        max_attempts: int = 4,
        max_total_s: float = 30.0,
        backoff_s: float = 0.5,
        max_workers: int = 4,
    ) -> None:
        if isinstance(urls, str):
            urls = [urls]
        # (URL without credentials, "Basic …" header or None): ``user:password@`` in a URL is HTTP basic
        # auth (RFC 3986 userinfo); urllib would otherwise send it to DNS as part of the host name.
        self._targets: list[tuple[str, str | None]] = [self._check_url(url) for url in urls]
        self.urls = [url for url, _ in self._targets]
        """The receivers, without credentials."""
        if timeout_s <= 0 or max_total_s <= 0 or backoff_s < 0:
            raise SpecError(
                "webhook limits: expected timeout_s > 0, max_total_s > 0, backoff_s >= 0, "
                f"got {timeout_s}, {max_total_s}, {backoff_s}"
            )
        if max_attempts < 1 or max_workers < 1:
            raise SpecError(
                f"webhook limits: expected max_attempts >= 1 and max_workers >= 1, got {max_attempts}"
            )
        self._secret = secret or None
        self.timeout_s = float(timeout_s)
        self.max_attempts = int(max_attempts)
        self.max_total_s = float(max_total_s)
        self.backoff_s = float(backoff_s)
        self.max_workers = int(max_workers)
        self._queue: queue.SimpleQueue[tuple[Future[DeliveryResult], tuple[Any, ...]] | None] = (
            queue.SimpleQueue()
        )
        self._workers: list[threading.Thread] = []
        self._opener = urllib.request.build_opener(_NoRedirect())
        self._pending: set[Future[DeliveryResult]] = set()
        self._lock = threading.RLock()  # reentrant: a done-callback may run in a thread holding it
        self._closed = False
        self.deliveries: collections.deque[DeliveryResult] = collections.deque(maxlen=1000)
        """The most recent outcomes (newest last), for diagnostics and tests."""
        _LIVE.add(self)

    def __repr__(self) -> str:  # never show the secret
        return f"WebhookNotifier(urls={[_safe_url(u) for u in self.urls]}, signed={self._secret is not None})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **kwargs: Any) -> WebhookNotifier | None:
        """Build from ``MLOPS_WEBHOOK_URLS`` (comma-separated) and ``MLOPS_WEBHOOK_SECRET``.

        Args:
            environ: the environment (default ``os.environ``).
            **kwargs: limits passed to the constructor.

        Returns:
            A notifier, or ``None`` when no URL is configured.

        Raises:
            SpecError: when a URL in ``MLOPS_WEBHOOK_URLS`` is not http(s).

        """
        env = os.environ if environ is None else environ
        urls = [u.strip() for u in env.get(ENV_URLS, "").split(",") if u.strip()]
        if not urls:
            return None
        try:
            return cls(urls, env.get(ENV_SECRET) or None, **kwargs)
        except SpecError as exc:
            raise SpecError(f"{ENV_URLS}: {exc}") from None

    # --- sending --------------------------------------------------------------------------------------------

    def send(self, event: Event | str, payload: Mapping[str, Any]) -> None:
        """Queue one event for every URL and return at once; failures are logged, never raised.

        Args:
            event: one of ``Event`` (``job.started``, ``job.succeeded``, ``job.failed``, ``model.promoted``).
            payload: the event's fields (becomes ``data``).

        """
        try:
            event = str(getattr(event, "value", event))
            if event not in {e.value for e in Event}:
                log.warning("webhook event %r is not one of the documented events; sending it anyway", event)
            delivery_id = uuid.uuid4().hex
            now = int(time.time())  # second precision: the body's timestamp equals X-Mlops-Timestamp
            envelope = {
                "id": delivery_id,
                "event": event,
                "timestamp": datetime.fromtimestamp(now, timezone.utc).isoformat().replace("+00:00", "Z"),
                "data": redact_data(dict(payload)),
            }
            body = json.dumps(envelope, default=_json_default, sort_keys=True).encode("utf-8")
            with self._lock:
                if self._closed:
                    log.warning("webhook notifier is closed; dropping %s", event)
                    return
                queued_at = time.monotonic()
                for url, auth in self._targets:
                    future: Future[DeliveryResult] = Future()
                    self._pending.add(future)
                    future.add_done_callback(self._done)
                    self._queue.put((future, (url, auth, delivery_id, event, body, now, queued_at)))
                self._start_workers()
        except Exception as exc:  # a notification must never break the job that sends it
            log.warning("could not queue webhook %s: %s", event, exc)

    def flush(self, timeout: float | None = None) -> bool:
        """Wait for queued deliveries to finish.

        Args:
            timeout: seconds to wait at most; ``None`` waits (deliveries are bounded by ``max_total_s``).

        Returns:
            True when nothing is left pending.

        """
        with self._lock:
            pending = set(self._pending)
        if not pending:
            return True
        _, not_done = wait(pending, timeout=timeout)
        return not not_done

    def close(self, timeout: float | None = None) -> None:
        """Stop accepting events, wait (at most ``timeout``) for queued deliveries, then drop the rest.

        Also runs at interpreter exit with ``timeout=max_total_s``, so a dead receiver delays a process's exit
        by at most that long (the delivery threads are daemons: nothing else waits for them).
        """
        with self._lock:
            self._closed = True
        self.flush(timeout)
        with self._lock:
            pending = list(self._pending)
            for _ in self._workers:
                self._queue.put(None)
            self._workers = []
        # cancel outside the lock: cancel() runs the done-callback, which takes the lock
        dropped = sum(1 for future in pending if future.cancel())  # only those not started yet
        if dropped:
            log.warning("webhook notifier closed: %d undelivered event(s) dropped", dropped)
        # Closed: the exit hook must not wait for it a second time (its wait was this one).
        _LIVE.discard(self)

    @property
    def pending(self) -> int:
        """Deliveries queued or in flight."""
        with self._lock:
            return len(self._pending)

    def _done(self, future: Future[DeliveryResult]) -> None:
        with self._lock:
            self._pending.discard(future)

    def _start_workers(self) -> None:
        """Start the daemon delivery threads on first use (called with the lock held)."""
        while len(self._workers) < self.max_workers:
            thread = threading.Thread(
                target=self._work, name=f"mlops-webhook-{len(self._workers)}", daemon=True
            )
            thread.start()
            self._workers.append(thread)

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            future, args = item
            if not future.set_running_or_notify_cancel():
                continue  # cancelled by close()
            try:
                future.set_result(self._deliver(*args))
            except BaseException as exc:  # _deliver catches network errors; this is a bug guard
                log.warning("webhook delivery crashed: %s", exc)
                future.set_exception(exc)

    # --- one delivery ---------------------------------------------------------------------------------------

    def _deliver(
        self,
        url: str,
        auth: str | None,
        delivery_id: str,
        event: str,
        body: bytes,
        timestamp: int,
        queued_at: float,
    ) -> DeliveryResult:
        # The budget starts at send(): an event stuck behind a backlog gives up on time rather than late.
        started = queued_at
        deadline = started + self.max_total_s
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "mlops-unity-webhooks/1",
            EVENT_HEADER: event,
            DELIVERY_HEADER: delivery_id,
            TIMESTAMP_HEADER: str(timestamp),
        }
        if self._secret is not None:
            headers[SIGNATURE_HEADER] = sign(body, self._secret)
        if auth is not None:
            headers["Authorization"] = auth
        status: int | None = None
        error: str | None = None
        attempts = 0
        while attempts < self.max_attempts:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                waited = "waiting behind other deliveries" if attempts == 0 else error
                error = f"gave up after {self.max_total_s:g} s ({waited})"
                break
            attempts += 1
            headers[ATTEMPT_HEADER] = str(attempts)
            retry_after = 0.0
            try:
                request = urllib.request.Request(url, data=body, headers=headers, method="POST")
                with self._opener.open(request, timeout=min(self.timeout_s, remaining)) as response:
                    status = response.status
                    response.read(65536)
                return self._record(delivery_id, event, url, True, attempts, status, None, started)
            except urllib.error.HTTPError as exc:
                status, error = exc.code, f"HTTP {exc.code}"
                exc.close()
                if not (exc.code in _RETRY_STATUSES or exc.code >= 500):
                    break  # the receiver rejected this event; sending it again will not help
                retry_after = _retry_after_s(exc.headers.get("Retry-After"))
            except (urllib.error.URLError, OSError, ValueError) as exc:  # refused, reset, timeout, DNS
                status, error = None, f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
            if attempts >= self.max_attempts:
                break
            # full jitter: sleep uniformly in [0, base * 2^(n-1)], but honour Retry-After when it fits
            delay = max(random.uniform(0.0, self.backoff_s * 2 ** (attempts - 1)), retry_after)
            if time.monotonic() + delay >= deadline:
                error = f"gave up after {self.max_total_s:g} s ({error})"
                break
            time.sleep(delay)
        return self._record(delivery_id, event, url, False, attempts, status, error, started)

    def _record(
        self,
        delivery_id: str,
        event: str,
        url: str,
        ok: bool,
        attempts: int,
        status: int | None,
        error: str | None,
        started: float,
    ) -> DeliveryResult:
        result = DeliveryResult(
            delivery_id, event, _safe_url(url), ok, attempts, status, error, time.monotonic() - started
        )
        self.deliveries.append(result)
        if ok:
            log.debug("webhook %s %s -> %s in %d attempt(s)", event, result.url, status, attempts)
        else:
            log.warning("webhook %s to %s failed after %d attempt(s): %s", event, result.url, attempts, error)
        return result

    @staticmethod
    def _check_url(url: str) -> tuple[str, str | None]:
        """Return the URL without credentials and its ``Authorization`` header (None without userinfo)."""
        text = str(url)
        try:
            parts = urllib.parse.urlsplit(text)
            parts.port  # noqa: B018 - raises ValueError on a port that is not a number in 0-65535
        except ValueError as exc:
            raise SpecError(f"webhook url {_safe_url(text)!r}: {exc}") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SpecError(f"webhook url {_safe_url(text)!r}: expected an http:// or https:// URL")
        if parts.username is None and parts.password is None:
            return text, None
        user = urllib.parse.unquote(parts.username or "")
        password = urllib.parse.unquote(parts.password or "")
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        netloc = parts.netloc.rsplit("@", 1)[1]
        clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
        return clean, f"Basic {token}"


def _retry_after_s(value: str | None) -> float:
    """Seconds from a ``Retry-After`` header given in seconds (HTTP dates are ignored)."""
    try:
        return max(0.0, float(value)) if value else 0.0
    except ValueError:
        return 0.0
