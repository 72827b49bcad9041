"""A local structured-output server for tests: OpenAI ``json_schema`` replies and Anthropic tool calls."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeWorldLLM:
    """Serves ``/v1/chat/completions`` and ``/v1/messages`` on 127.0.0.1; replies come from one script.

    A script item that is a dict is the structured reply (OpenAI: the message content as JSON; Anthropic: the
    forced tool call's input); a str is raw text content; ``("status", code)`` answers with that HTTP error.
    The last item repeats when the script runs out. Every request body is kept in ``requests``.
    """

    def __init__(self, script: list[Any]) -> None:
        self.script = list(script)
        self.requests: list[dict[str, Any]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                fake.requests.append(body)
                reply = fake.script.pop(0) if len(fake.script) > 1 else fake.script[0]
                if isinstance(reply, tuple):
                    self._send({"error": {"message": "scripted failure", "type": "server_error"}}, reply[1])
                    return
                if self.path.endswith("/messages"):
                    if isinstance(reply, dict):
                        name = body["tool_choice"]["name"]
                        content = [{"type": "tool_use", "id": "toolu_1", "name": name, "input": reply}]
                    else:
                        content = [{"type": "text", "text": reply}]
                    self._send(
                        {
                            "id": "msg_test",
                            "type": "message",
                            "role": "assistant",
                            "model": body["model"],
                            "content": content,
                            "stop_reason": "tool_use",
                            "stop_sequence": None,
                            "usage": {"input_tokens": 1, "output_tokens": 1},
                        }
                    )
                    return
                text = json.dumps(reply) if isinstance(reply, dict) else reply
                self._send(
                    {
                        "id": "chatcmpl-test",
                        "object": "chat.completion",
                        "created": 0,
                        "model": body["model"],
                        "choices": [
                            {
                                "index": 0,
                                "finish_reason": "stop",
                                "message": {"role": "assistant", "content": text},
                            }
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    }
                )

            def _send(self, payload: dict, status: int = 200) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.root_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeWorldLLM:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
