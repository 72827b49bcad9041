"""The mlagents venv provider: reuse on a matching lock hash, one build under a file lock, skip on failure."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests import mlagents_venv as venvs

# A stand-in for scripts/setup_mlagents_venv.sh: counts its runs, then builds (or fails) like the real one.
FAKE_SCRIPT = """#!/usr/bin/env bash
set -euo pipefail
echo run >> "{runs}"
if [ -f "{fail}" ]; then echo "ERROR: No matching distribution found for torch==2.13.0+cpu" >&2; exit 1; fi
mkdir -p "$1/bin"
touch "$1/bin/python" "$1/bin/mlagents-learn"
sleep 0.2
sha256sum "{lock}" | cut -d' ' -f1 > "$1/{stamp}"
"""


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A lock, a fake setup script and a venv path, with no MLAGENTS_* variables in the way."""
    for name in ("MLAGENTS_PYTHON", "MLAGENTS_LEARN"):
        monkeypatch.delenv(name, raising=False)
    lock = tmp_path / "mlagents-venv.lock"
    lock.write_text("mlagents==1.1.0 --hash=sha256:00\n")
    paths = {"lock": lock, "runs": tmp_path / "runs", "fail": tmp_path / "fail", "venv": tmp_path / "venv"}
    script = tmp_path / "setup.sh"
    script.write_text(FAKE_SCRIPT.format(stamp=venvs.STAMP_NAME, **paths))
    return {**paths, "script": script}


def _provide(setup: dict[str, Path], lines: list[str] | None = None) -> venvs.MlagentsVenv:
    announce = (lines if lines is not None else []).append
    return venvs.provide(announce, venv=setup["venv"], script=setup["script"], lock=setup["lock"])


def _runs(setup: dict[str, Path]) -> int:
    return len(setup["runs"].read_text().splitlines()) if setup["runs"].exists() else 0


def test_builds_once_then_reuses_while_the_lock_is_unchanged(setup: dict[str, Path]) -> None:
    """First call runs the script (announced); the next reuses the venv; a changed lock rebuilds it."""
    lines: list[str] = []
    built = _provide(setup, lines)
    assert built.origin.startswith("built venv from mlagents-venv.lock in ")
    assert built.python == setup["venv"] / "bin" / "python" and built.learn.name == "mlagents-learn"
    assert len(lines) == 1 and "building" in lines[0] and _runs(setup) == 1
    assert _provide(setup).origin.startswith("reused venv (lock sha256 ") and _runs(setup) == 1
    setup["lock"].write_text("mlagents==1.1.0 --hash=sha256:11\n")
    assert _provide(setup).origin.startswith("built ") and _runs(setup) == 2


def test_a_failed_build_skips_with_the_reason_and_is_retried_next_time(setup: dict[str, Path]) -> None:
    """No registry: the caller skips with the script's last lines; no stamp left: retried."""
    setup["fail"].touch()
    reason = r"failed \(exit 1; no package registry\?\).*torch==2.13.0"
    with pytest.raises(pytest.skip.Exception, match=reason):
        _provide(setup)
    setup["fail"].unlink()
    assert _provide(setup).origin.startswith("built ") and _runs(setup) == 2


def test_concurrent_callers_build_once(setup: dict[str, Path]) -> None:
    """Two runs asking at once: the file lock lets one build; the other then reuses its venv."""
    origins: list[str] = []
    threads = [threading.Thread(target=lambda: origins.append(_provide(setup).origin)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert _runs(setup) == 1
    assert sorted(o.split(" ")[0] for o in origins) == ["built", "reused"]


def test_explicit_variables_win_and_a_missing_file_skips(
    setup: dict[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """MLAGENTS_LEARN names a machine's own install (nothing is built); a wrong path skips, naming it."""
    learn = tmp_path / "own" / "bin" / "mlagents-learn"
    learn.parent.mkdir(parents=True)
    learn.touch()
    monkeypatch.setenv("MLAGENTS_LEARN", str(learn))
    got = _provide(setup)
    assert (got.learn, got.python) == (learn, learn.parent / "python") and _runs(setup) == 0
    monkeypatch.setenv("MLAGENTS_PYTHON", str(tmp_path / "nowhere" / "python"))
    with pytest.raises(pytest.skip.Exception, match="MLAGENTS_PYTHON=.*nowhere/python is not a file"):
        _provide(setup)
