"""``store/pidlock.py``: one holder at a time, the refused one told the holder's pid, nothing left held."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from mlops_unity_pipeline.errors import StoreError
from mlops_unity_pipeline.store.pidlock import PidLock


def _lock(path):
    return PidLock(path, lambda holder: f"busy (pid {holder})")


def test_second_holder_is_refused_naming_the_first_pid_then_gets_it_after_release(tmp_path):
    """While held, another lock on the file raises with the holder's pid; after release it is taken."""
    path = tmp_path / "x.lock"
    first = _lock(path)
    first.acquire()
    first.acquire()  # idempotent
    assert first.held and path.read_text() == str(os.getpid())
    with pytest.raises(StoreError, match=rf"busy \(pid {os.getpid()}\)"):
        _lock(path).acquire()
    first.release()
    first.release()  # idempotent
    with _lock(path) as second:
        assert second.held and not first.held
    assert not second.held


def test_lock_of_a_killed_process_is_free_again(tmp_path):
    """The kernel drops the flock with its process: a SIGKILLed holder leaves nothing held."""
    path = tmp_path / "x.lock"
    code = (
        "import sys, time; from mlops_unity_pipeline.store.pidlock import PidLock; "
        "lock = PidLock(sys.argv[1], str); lock.acquire(); print('held', flush=True); time.sleep(60)"
    )
    child = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        with pytest.raises(StoreError, match=str(child.pid)):
            _lock(path).acquire()
    finally:
        child.kill()
        child.wait(timeout=10)
    with _lock(path) as lock:
        assert lock.held
