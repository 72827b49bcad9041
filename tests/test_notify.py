"""WebhookNotifier against a local HTTP receiver on 127.0.0.1: signatures, retries, bounded time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.notify import WebhookNotifier, sign, verify_signature

SECRET = "s3cr3t-for-tests"


#: A ``Receiver`` script delay: hold the answer until the test sets ``Receiver.release`` (or exits).
HOLD = -1.0


class Receiver:
    """A local webhook receiver; ``script`` gives each request's (status, delay_s), last entry repeats.

    A delay holds the answer that long at most: ``release`` (set on exit, so no handler outlives the test)
    ends every hold at once, and ``HOLD`` waits for it alone. ``got_request`` and ``answered`` let tests
    synchronise on what the receiver did instead of on the clock.
    """

    def __init__(self, script: list[tuple[int, float]] | None = None) -> None:
        self.script = script or [(200, 0.0)]
        self.requests: list[dict] = []
        self.release = threading.Event()
        self.got_request = threading.Event()
        self.answered = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                index = len(receiver.requests)
                receiver.requests.append(
                    {"headers": dict(self.headers), "body": body, "at": time.monotonic()}
                )
                receiver.got_request.set()
                status, delay = receiver.script[min(index, len(receiver.script) - 1)]
                if delay:
                    receiver.release.wait(60 if delay == HOLD else delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass  # the client timed out and went away
                receiver.answered += 1

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks?token=abc"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def test_signed_event_payload_and_headers():
    """One signed POST: documented envelope, headers, and an HMAC-SHA256 the receiver can verify."""
    with Receiver() as receiver:
        notifier = WebhookNotifier([receiver.url], SECRET)
        notifier.send(
            "job.succeeded",
            {
                "job_id": "j1",
                "asset_id": "a1",
                "version": 3,
                "model_sha256": "ab" * 32,
                "metrics": {"eval/mean_reward": 1.5},
                "at": datetime(2024, 5, 1, tzinfo=timezone.utc),
                "path": Path("/x/model.onnx"),
            },
        )
        assert notifier.flush(10)
    [request] = receiver.requests
    headers, body = request["headers"], request["body"]
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Mlops-Signature"] == expected == sign(body, SECRET)
    assert verify_signature(body, SECRET, headers["X-Mlops-Signature"])
    assert not verify_signature(body + b" ", SECRET, headers["X-Mlops-Signature"])
    payload = json.loads(body)
    assert set(payload) == {"id", "event", "timestamp", "data"}
    assert payload["event"] == headers["X-Mlops-Event"] == "job.succeeded"
    assert payload["id"] == headers["X-Mlops-Delivery"] and len(payload["id"]) == 32
    assert abs(int(headers["X-Mlops-Timestamp"]) - time.time()) < 60
    # the body's timestamp is the header's, as ISO 8601 UTC (second precision)
    stamp = datetime.fromisoformat(payload["timestamp"].replace("Z", "+00:00"))
    assert payload["timestamp"].endswith("Z") and stamp.timestamp() == int(headers["X-Mlops-Timestamp"])
    assert payload["data"] == {
        "job_id": "j1",
        "asset_id": "a1",
        "version": 3,
        "model_sha256": "ab" * 32,
        "metrics": {"eval/mean_reward": 1.5},
        "at": "2024-05-01T00:00:00Z",
        "path": "/x/model.onnx",
    }
    assert headers["Content-Type"] == "application/json" and headers["X-Mlops-Attempt"] == "1"
    [result] = notifier.deliveries
    assert result.ok and result.attempts == 1 and "token" not in result.url


def test_retries_with_backoff_until_success():
    """500, 503, then 200: three attempts of the same delivery, spaced by growing (jittered) backoff."""
    with Receiver([(500, 0), (503, 0), (200, 0)]) as receiver:
        notifier = WebhookNotifier([receiver.url], SECRET, backoff_s=0.05)
        notifier.send("job.failed", {"job_id": "j1", "error": "boom"})
        assert notifier.flush(10)
    assert [r["headers"]["X-Mlops-Attempt"] for r in receiver.requests] == ["1", "2", "3"]
    assert len({r["headers"]["X-Mlops-Delivery"] for r in receiver.requests}) == 1
    assert len({r["body"] for r in receiver.requests}) == 1  # same body, same signature
    [result] = notifier.deliveries
    assert result.ok and result.attempts == 3 and result.status == 200


def test_send_returns_before_the_receiver_answers():
    """send() never waits for a delivery: it returns while the receiver still holds the POST unanswered."""
    with Receiver([(200, HOLD)]) as receiver:
        notifier = WebhookNotifier([receiver.url], SECRET, timeout_s=60, max_total_s=60)
        notifier.send("job.started", {"job_id": "j1"})
        # The delivery's only possible outcome needs the release below (or 60 s): had send() waited for
        # it, there would be a result here.
        assert not notifier.deliveries and receiver.answered == 0
        assert receiver.got_request.wait(30)  # the POST is in flight, concurrently with this test
        assert not notifier.deliveries and receiver.answered == 0
        receiver.release.set()
        assert notifier.flush(30)
    [result] = notifier.deliveries
    assert result.ok and result.attempts == 1 and receiver.answered == 1


def test_failing_receiver_is_bounded_in_attempts_and_time():
    """Always 500: send returns at once, at most max_attempts POSTs, and the delivery gives up in time."""
    with Receiver([(500, HOLD), (500, 0)]) as receiver:
        notifier = WebhookNotifier([receiver.url], SECRET, max_attempts=4, max_total_s=1.0, backoff_s=0.1)
        notifier.send("job.started", {"job_id": "j1"})
        # Never blocks the job: the first POST is held unanswered, so nothing can have come back yet.
        assert receiver.answered == 0
        receiver.release.set()
        assert notifier.flush(10)
    assert 1 <= len(receiver.requests) <= 4
    [result] = notifier.deliveries
    # elapsed_s is the notifier's own send-to-outcome time: budget + one in-flight POST + slack for load.
    assert result.elapsed_s < 1.0 + 1.5
    assert not result.ok and result.status == 500


def test_slow_receiver_times_out_and_gives_up_within_budget():
    """A receiver slower than timeout_s: each POST times out; the whole delivery ends within max_total_s."""
    with Receiver([(200, 2.0)]) as receiver:
        notifier = WebhookNotifier([receiver.url], timeout_s=0.2, max_total_s=0.8, backoff_s=0.05)
        notifier.send("job.started", {"job_id": "j1"})
        assert receiver.answered == 0  # send() returned while the first POST is still unanswered (2 s)
        assert notifier.flush(10)
    [result] = notifier.deliveries
    assert result.elapsed_s < 0.8 + 1.5  # unbounded would be 4 x 2 s
    assert not result.ok and result.attempts >= 2 and "timed out" in result.error.lower()


def test_client_errors_are_not_retried():
    """A 400 answer is final: one POST."""
    with Receiver([(400, 0)]) as receiver:
        notifier = WebhookNotifier([receiver.url], backoff_s=0.01)
        notifier.send("job.started", {"job_id": "j1"})
        assert notifier.flush(10)
    assert len(receiver.requests) == 1
    assert notifier.deliveries[0].status == 400 and not notifier.deliveries[0].ok


def test_unreachable_receiver_never_raises():
    """Connection refused is retried and reported, never raised."""
    with Receiver() as receiver:
        url = receiver.url
    notifier = WebhookNotifier([url], max_attempts=2, backoff_s=0.01, max_total_s=2)
    notifier.send("job.started", {"job_id": "j1"})
    assert notifier.flush(10)
    [result] = notifier.deliveries
    assert not result.ok and result.attempts == 2 and result.status is None


def test_every_url_gets_every_event_and_unsigned_without_secret():
    """Two receivers both get the event; without a secret there is no signature header."""
    with Receiver() as first, Receiver() as second:
        notifier = WebhookNotifier([first.url, second.url])
        notifier.send("model.promoted", {"asset_id": "a1", "version": 2, "alias": "champion"})
        notifier.close(10)
        notifier.send("job.started", {"job_id": "late"})  # after close: dropped, not raised
    for receiver in (first, second):
        [request] = receiver.requests
        assert "X-Mlops-Signature" not in request["headers"]
        assert json.loads(request["body"])["data"]["alias"] == "champion"


def test_unserialisable_payload_does_not_raise():
    """A payload that cannot be turned into JSON is logged and dropped; send still returns normally."""
    notifier = WebhookNotifier(["http://127.0.0.1:9/"])
    circular: dict = {}
    circular["self"] = circular
    notifier.send("job.started", circular)
    assert notifier.flush(1)


def test_from_env():
    """MLOPS_WEBHOOK_URLS (comma-separated) and MLOPS_WEBHOOK_SECRET; none configured gives None."""
    assert WebhookNotifier.from_env({}) is None
    notifier = WebhookNotifier.from_env(
        {
            "MLOPS_WEBHOOK_URLS": "http://127.0.0.1:1/a, https://example.org/b",
            "MLOPS_WEBHOOK_SECRET": "hunter2-secret",
        }
    )
    assert notifier.urls == ["http://127.0.0.1:1/a", "https://example.org/b"]
    assert "hunter2" not in repr(notifier)
    with pytest.raises(SpecError, match="MLOPS_WEBHOOK_URLS: webhook url 'ftp://host/a'"):
        WebhookNotifier.from_env({"MLOPS_WEBHOOK_URLS": "ftp://host/a"})


def test_bad_limits_are_rejected():
    """Non-positive limits raise SpecError."""
    with pytest.raises(SpecError, match="max_total_s > 0"):
        WebhookNotifier(["http://127.0.0.1/"], max_total_s=0)


# --- with the real orchestrator ------------------------------------------------------------------------


def _orchestrator(tmp_path, notifier, fail_train: bool = False):
    from mlops_unity_pipeline.errors import TrainError
    from mlops_unity_pipeline.orchestrator import FakeStage, UnityMLOpsOrchestrator
    from mlops_unity_pipeline.orchestrator.stages.notify import NotifyStage
    from tests.orchestrator.fakes import fake_outputs

    outputs = fake_outputs(version=1)
    stages = [
        FakeStage(
            name,
            output=outputs.get(name),
            error=TrainError("diverged") if fail_train and name == "train" else None,
        )
        for name in ("codegen", "build", "train", "evaluate", "package", "register")
    ]
    return UnityMLOpsOrchestrator(tmp_path / "ws", notifier=notifier, stages=[*stages, NotifyStage()])


def _job(job_id: str):
    from mlops_unity_pipeline.specs import TrainingJob, UnityAssetSpec

    return TrainingJob(job_id, UnityAssetSpec(asset_id="agent-001", name="SimpleAgent"))


def test_orchestrator_events_reach_the_receiver_signed(tmp_path):
    """A job through the orchestrator sends job.started, job.succeeded and model.promoted, each signed."""
    import asyncio

    with Receiver() as receiver:
        notifier = WebhookNotifier([receiver.url], SECRET)
        result = asyncio.run(_orchestrator(tmp_path, notifier).execute_training_job(_job("j-ok")))
        assert notifier.flush(10)
    assert str(getattr(result.status, "value", result.status)) == "succeeded"
    events = [json.loads(r["body"]) for r in receiver.requests]
    assert sorted(e["event"] for e in events) == ["job.started", "job.succeeded", "model.promoted"]
    assert all(
        verify_signature(r["body"], SECRET, r["headers"]["X-Mlops-Signature"]) for r in receiver.requests
    )
    succeeded = next(e for e in events if e["event"] == "job.succeeded")
    assert succeeded["data"]["job_id"] == "j-ok" and succeeded["data"]["model_sha256"] == "ab" * 32


def test_failing_slow_receiver_never_fails_or_blocks_a_job(tmp_path):
    """A receiver that answers 500 only once the job is over: the job still succeeds, without waiting."""
    import asyncio

    with Receiver([(500, HOLD)]) as receiver:
        notifier = WebhookNotifier(
            [receiver.url], SECRET, timeout_s=30, max_total_s=30, max_attempts=2, backoff_s=0.2
        )
        result = asyncio.run(_orchestrator(tmp_path, notifier).execute_training_job(_job("j-slow")))
        # Every answer is held until the release below: a job that waited on a send could not have ended.
        assert not notifier.deliveries and receiver.answered == 0
        receiver.release.set()
        assert notifier.flush(20)
    assert str(getattr(result.status, "value", result.status)) == "succeeded"
    assert all(not d.ok and d.status == 500 for d in notifier.deliveries) and len(notifier.deliveries) == 3


def test_failed_job_sends_job_failed(tmp_path):
    """A failing stage sends job.failed with the stage and error."""
    import asyncio

    with Receiver() as receiver:
        notifier = WebhookNotifier([receiver.url], SECRET)
        asyncio.run(_orchestrator(tmp_path, notifier, fail_train=True).execute_training_job(_job("j-bad")))
        assert notifier.flush(10)
    failed = [
        json.loads(r["body"]) for r in receiver.requests if r["headers"]["X-Mlops-Event"] == "job.failed"
    ]
    assert (
        len(failed) == 1
        and failed[0]["data"]["stage"] == "train"
        and "diverged" in failed[0]["data"]["error"]
    )


def test_exit_is_not_held_by_a_backlog(tmp_path):
    """A process that queued 10 events for a dead-slow receiver exits within ~max_total_s, not 10 x that."""
    import subprocess
    import sys

    with Receiver([(500, 5.0)]) as receiver:
        script = tmp_path / "sender.py"
        script.write_text(
            "import time\n"
            "from mlops_unity_pipeline.notify import WebhookNotifier\n"
            f"n = WebhookNotifier([{receiver.url!r}], max_workers=1, timeout_s=0.5, max_total_s=1.0)\n"
            "for i in range(10):\n"
            "    n.send('job.started', {'i': i})\n"
            "print(time.monotonic(), flush=True)\n"  # sends done: from here on it is exit time alone
        )
        proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
        exited = time.monotonic()  # CLOCK_MONOTONIC is system-wide: comparable with the child's reading
    assert proc.returncode == 0, proc.stderr
    exit_s = exited - float(proc.stdout.split()[0])
    assert exit_s < 1.0 + 4.0  # budget + slack (imports excluded); draining one by one would take >= 10 s
    assert "dropped" in proc.stderr or "gave up" in proc.stderr


def test_backlogged_events_give_up_within_budget_from_send():
    """One worker and a slow receiver: later events give up max_total_s after send, with zero attempts."""
    with Receiver([(200, 0.6)]) as receiver:
        notifier = WebhookNotifier([receiver.url], max_workers=1, timeout_s=2, max_total_s=1.0)
        for i in range(5):
            notifier.send("job.started", {"i": i})
        assert notifier.flush(10)
    attempts = sorted(d.attempts for d in notifier.deliveries)
    assert attempts[0] == 0 and "waiting behind other deliveries" in (
        next(d for d in notifier.deliveries if d.attempts == 0).error
    )
    assert max(d.elapsed_s for d in notifier.deliveries) < 1.0 + 1.5  # each from its own send()


def test_userinfo_in_url_is_basic_auth_not_a_host_name():
    """``user:password@`` is sent as basic auth to the real host, and kept out of ``urls`` and logs."""
    with Receiver() as receiver:
        url = receiver.url.replace("http://", "http://alice:s%40cret@")
        notifier = WebhookNotifier([url])
        notifier.send("job.started", {"job_id": "j1"})
        assert notifier.flush(10)
    [request] = receiver.requests
    assert request["headers"]["Authorization"] == "Basic " + base64.b64encode(b"alice:s@cret").decode()
    assert notifier.deliveries[-1].ok
    assert "alice" not in repr(notifier) and all("s%40cret" not in u for u in notifier.urls)


def test_malformed_port_is_a_spec_error():
    """A URL whose port is not a number is refused with a SpecError, not a ValueError traceback."""
    with pytest.raises(SpecError, match="webhook url"):
        WebhookNotifier(["http://127.0.0.1:99999999/x"])


def test_closed_notifier_is_not_waited_for_again_at_exit():
    """After ``close``, the exit hook does not wait for the notifier a second time."""
    from mlops_unity_pipeline import notify

    notifier = WebhookNotifier(["http://127.0.0.1:9/x"], max_total_s=0.2)
    assert notifier in notify._LIVE
    notifier.close(timeout=0.1)
    assert notifier not in notify._LIVE
