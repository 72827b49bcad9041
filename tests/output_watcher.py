"""Wait for what a child process says, not for the clock: a reader thread and a line condition."""

from __future__ import annotations

import threading
from typing import IO


class OutputWatcher:
    """Collects a text stream's lines on a thread; ``wait_for`` blocks until one contains a given text.

    Tests that signal a process use it to wait for the line the process prints once it is ready (its
    handlers installed), instead of sleeping and hoping it got there on a loaded machine.
    """

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def wait_for(self, text: str, timeout: float) -> bool:
        """True once a line contains ``text``; False if the stream ends or ``timeout`` passes first."""
        with self._changed:
            return self._changed.wait_for(
                lambda: any(text in line for line in self.lines) or self._closed, timeout
            ) and any(text in line for line in self.lines)

    def output(self, timeout: float = 30) -> str:
        """Everything read, once the stream has ended (or ``timeout`` passed)."""
        self._thread.join(timeout)
        with self._changed:
            return "".join(self.lines)
