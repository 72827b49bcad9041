"""Running an external tool (Unity Editor, player, ``mlagents-learn``): streamed output, timeout, stop."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

#: How many trailing output lines an outcome keeps for error messages.
TAIL_LINES = 200


@dataclass(frozen=True)
class ProcessOutcome:
    """How a managed process ended.

    Attributes:
        returncode: the exit status (negative: killed by that signal, as in ``subprocess``).
        timed_out: the timeout expired and the process was stopped.
        stopped: ``should_stop()`` asked for the stop.
        killed: it ignored the stop signal for ``grace_s`` and was killed (SIGKILL).
        duration_s: wall-clock seconds from start to exit.
        tail: the last lines of its output (stdout + stderr, and the tailed log file), oldest first.

    """

    returncode: int
    timed_out: bool
    stopped: bool
    killed: bool
    duration_s: float
    tail: tuple[str, ...] = field(default_factory=tuple)

    def log_lines(self, log_path: Path) -> list[str]:
        """Every line of the tool's log file, or this outcome's ``tail`` when the file is absent or empty.

        Args:
            log_path: the log file the tool wrote (Unity's ``-logFile``).

        Returns:
            The lines, oldest first.

        """
        try:
            lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            lines = []
        return lines or list(self.tail)


def _pump(stream: IO[str], sink: queue.Queue[str | None]) -> None:
    for line in stream:
        sink.put(line.rstrip("\r\n"))
    sink.put(None)


class _FileTail:
    """Follows a log file that another process writes (Unity's ``-logFile``), yielding complete lines."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._offset = 0
        self._partial = ""

    def read_new(self, final: bool = False) -> list[str]:
        try:
            with self._path.open("r", encoding="utf-8", errors="replace") as handle:
                handle.seek(self._offset)
                chunk = handle.read()
                self._offset = handle.tell()
        except FileNotFoundError:
            return []
        text = self._partial + chunk
        lines = text.split("\n")
        self._partial = "" if final else lines.pop()
        if final and lines and lines[-1] == "":
            lines.pop()
        return [line.rstrip("\r") for line in lines]


def _send(proc: subprocess.Popen[str], sig: int, group: bool) -> None:
    try:
        if group and sys.platform != "win32":
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
    except (ProcessLookupError, PermissionError):
        pass  # already gone


def run_process(
    command: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout_s: float | None = None,
    on_line: Callable[[str], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    tail_file: Path | None = None,
    transcript: Path | None = None,
    stop_signal: int = signal.SIGINT,
    grace_s: float = 30.0,
    poll_s: float = 0.1,
) -> ProcessOutcome:
    """Run ``command`` to completion, streaming its output line by line.

    The process gets its own process group, so a stop reaches it and its helpers the way Ctrl-C in a
    terminal would: ``stop_signal`` is sent once to the group (on timeout or when ``should_stop()`` is
    true), then we wait up to ``grace_s`` for it to write its final files and exit; only then SIGKILL.

    Args:
        command: the program and its arguments.
        cwd: working directory.
        env: the complete environment (``os.environ`` by default).
        timeout_s: stop the process after this many seconds (None: no limit).
        on_line: called with each output line (stdout and stderr merged, then the tailed file's lines).
        should_stop: polled every ``poll_s``; True asks for a graceful stop.
        tail_file: a log file the process writes (Unity ``-logFile``) to stream as well.
        transcript: where to save stdout/stderr (appended).
        stop_signal: the signal for a graceful stop (SIGINT for mlagents-learn, SIGTERM for Unity).
        grace_s: seconds to wait after the stop signal before SIGKILL.
        poll_s: polling period for exit, stop and the tailed file.

    Returns:
        The ``ProcessOutcome``.

    Raises:
        FileNotFoundError: the program does not exist.
        PermissionError: the program is not executable.

    """
    start = time.monotonic()
    tail: deque[str] = deque(maxlen=TAIL_LINES)
    transcript_handle = transcript.open("a", encoding="utf-8") if transcript is not None else None
    lines: queue.Queue[str | None] = queue.Queue()
    file_tail = _FileTail(tail_file) if tail_file is not None else None

    def emit(line: str, from_stdout: bool) -> None:
        tail.append(line)
        if transcript_handle is not None and from_stdout:
            transcript_handle.write(line + "\n")
            transcript_handle.flush()
        if on_line is not None:
            on_line(line)

    def drain(final: bool = False) -> None:
        while True:
            try:
                item = lines.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                emit(item, True)
        if file_tail is not None:
            for line in file_tail.read_new(final=final):
                emit(line, False)

    popen_kwargs: dict[str, object] = {}
    if sys.platform == "win32":
        popen_kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]  # Windows only
    else:
        popen_kwargs["start_new_session"] = True
    try:
        proc = subprocess.Popen(
            list(command),
            cwd=str(cwd) if cwd is not None else None,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
            **popen_kwargs,  # type: ignore[call-overload]  # platform-dependent keyword set above
        )
    except BaseException:
        if transcript_handle is not None:
            transcript_handle.close()
        raise
    assert proc.stdout is not None  # internal invariant: stdout=PIPE above
    reader = threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True)
    reader.start()

    timed_out = stopped = killed = False
    stop_sent_at: float | None = None
    try:
        while proc.poll() is None:
            drain()
            now = time.monotonic()
            if stop_sent_at is None:
                if timeout_s is not None and now - start >= timeout_s:
                    timed_out = True
                elif should_stop is not None and should_stop():
                    stopped = True
                if timed_out or stopped:
                    _send(proc, stop_signal, group=True)  # exactly one stop signal
                    stop_sent_at = now
            elif now - stop_sent_at >= grace_s:
                _send(proc, signal.SIGKILL if sys.platform != "win32" else signal.SIGTERM, group=True)
                killed = True
                proc.wait()
                break
            time.sleep(poll_s)
    except BaseException:
        # Our caller is going away (KeyboardInterrupt, cancellation): never leave an orphan behind.
        _send(proc, signal.SIGKILL if sys.platform != "win32" else signal.SIGTERM, group=True)
        proc.wait()
        raise
    finally:
        reader.join(timeout=5.0)
        drain(final=True)
        if transcript_handle is not None:
            transcript_handle.close()
    returncode = proc.wait()
    return ProcessOutcome(
        returncode=returncode,
        timed_out=timed_out,
        stopped=stopped,
        killed=killed,
        duration_s=time.monotonic() - start,
        tail=tuple(tail),
    )
