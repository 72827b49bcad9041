"""Tests for the managed subprocess runner: streaming, timeout, one stop signal, kill after grace."""

from __future__ import annotations

import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from mlops_unity_pipeline.unity.process import ProcessOutcome, run_process

from .stand_ins import make_executable

SIGNAL_SCRIPT = r"""#!{python}
import signal, sys, time
from pathlib import Path
record = Path(sys.argv[1])
mode = sys.argv[2]
count = 0
def handler(signum, frame):
    global count
    count += 1
    with record.open("a") as f:
        f.write(f"{{signal.Signals(signum).name}}\n")
for sig in (signal.SIGINT, signal.SIGTERM):
    signal.signal(sig, handler if mode != "ignore" else signal.SIG_IGN)
# Started with both signals blocked (see held_stop_signals): one sent before the handlers above existed
# waited as pending, and is delivered to them now rather than killing a half-started interpreter.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {{signal.SIGINT, signal.SIGTERM}})
print("ready", flush=True)
deadline = time.time() + 30
while time.time() < deadline:
    if count and mode == "graceful":
        time.sleep(0.3)  # "writing final files"
        print("saved", flush=True)
        sys.exit(0)
    time.sleep(0.02)
sys.exit(5)
"""


@contextmanager
def held_stop_signals() -> Iterator[None]:
    """Children started inside inherit SIGINT/SIGTERM blocked, so a stop signal sent while the interpreter
    is still starting (a timeout shorter than a loaded machine's startup) waits for SIGNAL_SCRIPT's handlers.
    """
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@pytest.fixture
def script(tmp_path: Path) -> Path:
    """A program that records the signals it gets."""
    return make_executable(tmp_path / "sig.py", SIGNAL_SCRIPT.format(python=sys.executable))


def test_streams_lines_and_exit_code(tmp_path: Path) -> None:
    """Output lines reach the callback in order; the exit status and tail are returned; transcript saved."""
    prog = make_executable(
        tmp_path / "p.py",
        f"#!{sys.executable}\nimport sys\nprint('a'); print('b', file=sys.stderr)\nsys.exit(3)\n",
    )
    seen: list[str] = []
    out = run_process([str(prog)], on_line=seen.append, transcript=tmp_path / "t.log")
    assert out.returncode == 3 and sorted(seen) == ["a", "b"] and set(out.tail) == {"a", "b"}
    assert not out.timed_out and not out.stopped and not out.killed
    assert sorted((tmp_path / "t.log").read_text().split()) == ["a", "b"]


def test_should_stop_sends_exactly_one_sigint_and_waits(script: Path, tmp_path: Path) -> None:
    """A stop request sends one SIGINT, then waits for the program to finish its final work."""
    record = tmp_path / "signals.txt"
    seen: list[str] = []
    start = time.monotonic()
    out = run_process(
        [str(script), str(record), "graceful"],
        on_line=seen.append,
        should_stop=lambda: "ready" in seen,
        grace_s=10,
    )
    assert out.stopped and not out.killed and out.returncode == 0
    assert record.read_text().split() == ["SIGINT"]
    assert "saved" in seen
    assert time.monotonic() - start < 10


def test_timeout_uses_given_stop_signal(script: Path, tmp_path: Path) -> None:
    """On timeout the configured stop signal (SIGTERM for Unity) is sent once."""
    record = tmp_path / "signals.txt"
    with held_stop_signals():
        out = run_process(
            [str(script), str(record), "graceful"], timeout_s=0.5, stop_signal=signal.SIGTERM, grace_s=10
        )
    assert out.timed_out and out.returncode == 0
    assert record.read_text().split() == ["SIGTERM"]


def test_kill_after_grace(script: Path, tmp_path: Path) -> None:
    """A program ignoring the stop signal is SIGKILLed after the grace period."""
    start = time.monotonic()
    with held_stop_signals():
        out = run_process([str(script), str(tmp_path / "r.txt"), "ignore"], timeout_s=0.3, grace_s=0.5)
    assert out.timed_out and out.killed and out.returncode == -signal.SIGKILL
    assert time.monotonic() - start < 10


def test_tail_file_streamed(tmp_path: Path) -> None:
    """Lines another process writes to a log file are streamed, including a last line without newline."""
    log = tmp_path / "unity.log"
    prog = make_executable(
        tmp_path / "w.py",
        f"#!{sys.executable}\nimport time\nf = open({str(log)!r}, 'w')\n"
        "for i in range(5):\n    f.write(f'line {i}\\n'); f.flush(); time.sleep(0.05)\n"
        "f.write('last'); f.close()\n",
    )
    seen: list[str] = []
    run_process([str(prog)], tail_file=log, on_line=seen.append, poll_s=0.02)
    assert seen == [f"line {i}" for i in range(5)] + ["last"]


def test_missing_program_raises(tmp_path: Path) -> None:
    """A missing executable raises FileNotFoundError (callers turn it into their stage error)."""
    with pytest.raises(FileNotFoundError):
        run_process([str(tmp_path / "nope")])


def test_log_lines_prefer_the_log_file_then_the_tail(tmp_path: Path) -> None:
    """``log_lines`` reads the log file; a missing or empty file gives the output tail instead."""
    outcome = ProcessOutcome(
        returncode=1, timed_out=False, stopped=False, killed=False, duration_s=0.1, tail=("t",)
    )
    log = tmp_path / "editor.log"
    assert outcome.log_lines(log) == ["t"]
    log.write_text("")
    assert outcome.log_lines(log) == ["t"]
    log.write_bytes(b"first\nbad \xff byte\n")
    assert outcome.log_lines(log) == ["first", "bad \ufffd byte"]
