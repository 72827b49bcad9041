"""A local OpenAI-compatible (and Anthropic messages) server for tests: scripted replies over real HTTP."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeOpenAI:
    """Serves ``/v1/chat/completions``; replies come from per-kind scripts.

    A request whose system prompt asks for a behavior spec takes the next ``interpret`` reply, any other
    the next ``bodies`` reply. A reply ``("sleep", seconds, text)`` waits that long before answering.
    A reply ``("status", code)`` answers with that HTTP error; ``("echo_key", code)`` answers with that error
    and a message that echoes the request's API key (as some providers do). When a script runs out, its last
    reply repeats.
    """

    def __init__(self, interpret: list | None = None, bodies: list | None = None) -> None:
        self.scripts = {"interpret": list(interpret or []), "bodies": list(bodies or [])}
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                fake.requests.append(body)
                fake.headers.append(dict(self.headers))
                anthropic = self.path.endswith("/messages")
                system = body["system"] if anthropic else body["messages"][0]["content"]
                kind = "interpret" if "behavior spec for a code generator" in system else "bodies"
                script = fake.scripts[kind]
                reply = script.pop(0) if len(script) > 1 else (script[0] if script else "{}")
                if isinstance(reply, tuple) and reply[0] == "status":
                    self._send({"error": {"message": "scripted failure", "type": "server_error"}}, reply[1])
                    return
                if isinstance(reply, tuple) and reply[0] == "echo_key":
                    key = (
                        self.headers.get("x-api-key") or self.headers.get("Authorization", "").split(" ")[-1]
                    )
                    message = f"Incorrect API key provided: {key}. Find your key at https://example.invalid"
                    self._send({"error": {"message": message, "type": "invalid_request_error"}}, reply[1])
                    return
                if isinstance(reply, tuple) and reply[0] == "sleep":
                    time.sleep(reply[1])
                    reply = reply[2] if len(reply) > 2 else "{}"
                if anthropic:
                    payload = {
                        "id": "msg_test",
                        "type": "message",
                        "role": "assistant",
                        "model": body["model"],
                        "content": [{"type": "text", "text": reply}],
                        "stop_reason": "end_turn",
                        "stop_sequence": None,
                        "usage": {"input_tokens": 1, "output_tokens": 1},
                    }
                    self._send(payload)
                    return
                payload = {
                    "id": "chatcmpl-test",
                    "object": "chat.completion",
                    "created": 0,
                    "model": body["model"],
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": reply},
                        }
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }
                self._send(payload)

            def _send(self, payload: dict, status: int = 200) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and went away

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.root_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.base_url = self.root_url + "/v1"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def count(self, kind: str) -> int:
        """Requests of one kind received so far."""
        marker = "behavior spec for a code generator"
        systems = [r.get("system") or r["messages"][0]["content"] for r in self.requests]
        return sum((marker in system) == (kind == "interpret") for system in systems)
