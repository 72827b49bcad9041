"""The numba kernel cache: one folder per version of the kernel sources, so no cached kernel goes stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_unity_pipeline.sim import accel


def _sources(folder: Path, ray_code: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ray_perception.py").write_text(ray_code)
    (folder / "pushblock.py").write_text("from .ray_perception import cast\n")
    return folder


def test_cache_dir_changes_when_any_kernel_source_changes(tmp_path):
    """Editing a module another kernel calls (not the caller's own file) gives a new cache folder."""
    root = tmp_path / "cache"
    before = accel.kernel_cache_dir(_sources(tmp_path / "a", "def cast(): return 1\n"), root)
    same = accel.kernel_cache_dir(_sources(tmp_path / "b", "def cast(): return 1\n"), root)
    after = accel.kernel_cache_dir(_sources(tmp_path / "c", "def cast(): return 2\n"), root)
    assert before == same and before != after and before.parent == root


@pytest.mark.skipif(accel.kernels() is None, reason="numba missing or MLOPS_SIM_NUMBA=0")
def test_compiled_kernels_are_cached_in_the_source_digest_folder(monkeypatch):
    """With NUMBA_CACHE_DIR unset, numba caches under kernel_cache_dir(), not beside the sources."""
    import os

    import numba

    from mlops_unity_pipeline.sim import make

    if os.environ.get("NUMBA_CACHE_DIR"):
        pytest.skip("NUMBA_CACHE_DIR is set: the user's own cache folder is kept")
    assert numba.config.CACHE_DIR == str(accel.kernel_cache_dir())
    env = make("3DBall", num_agents=2, seed=0)
    env.reset(seed=0)
    env.close()
    cached = list(accel.kernel_cache_dir().rglob("*.nbi"))
    assert any("ball3d" in p.name for p in cached), cached
