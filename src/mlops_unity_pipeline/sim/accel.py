"""Whether the simulator runs its numba-compiled kernels (``sim.kernels``) or its NumPy reference paths.

The kernels are used when numba imports and the environment variable ``MLOPS_SIM_NUMBA`` is not ``0``;
otherwise every task runs its pure-NumPy path, which computes the same thing (tested equal). numba is
imported on first use, not when ``sim`` is imported, so commands that never step a simulator do not pay for
it. Compiled kernels are cached on disk (``@njit(cache=True)``): only the first run on a machine compiles.

numba keys each cached kernel on its own source file only, so a kernel that calls a function of another
kernel module (the ray casts every task shares) would keep a stale copy of that function after an upgrade.
The cache therefore lives in a folder named after a digest of every kernel source (``kernel_cache_dir``):
any change to any kernel file starts a fresh cache. ``NUMBA_CACHE_DIR``, when set, is left alone.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import sys
from pathlib import Path
from types import ModuleType

ENV_VAR = "MLOPS_SIM_NUMBA"
"""Set to ``0`` to force the NumPy paths."""

KERNELS_DIR = Path(__file__).resolve().parent / "kernels"
"""The numba kernel sources (``sim/kernels/*.py``)."""

_kernels: ModuleType | None = None
_import_failed = False


def kernels() -> ModuleType | None:
    """Return the compiled kernels module, or None when numba is unavailable or disabled.

    Returns:
        ``sim.kernels`` (imported once) when ``MLOPS_SIM_NUMBA`` is not ``0`` and numba imports; else None.

    """
    global _kernels, _import_failed
    if os.environ.get(ENV_VAR, "1").strip() == "0" or _import_failed:
        return None
    if _kernels is None:
        try:
            _use_cache_dir_for_these_sources()
            module = importlib.import_module(f"{__package__}.kernels")
        except ImportError:  # numba is not installed: the NumPy paths run instead
            _import_failed = True
            return None
        _kernels = module
    return _kernels


def kernel_cache_dir(sources: Path = KERNELS_DIR, root: Path | None = None) -> Path:
    """Return the numba cache folder for these kernel sources: ``<root>/<digest of every *.py>``.

    Args:
        sources: the folder of kernel modules.
        root: the cache root (default: ``$XDG_CACHE_HOME`` or ``~/.cache``, plus
            ``mlops_unity_pipeline/numba``).

    Returns:
        A folder whose name changes whenever any kernel source changes.

    """
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(sources.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    if root is None:
        base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
        root = Path(base) / "mlops_unity_pipeline" / "numba"
    return root / digest.hexdigest()[:16]


def _use_cache_dir_for_these_sources() -> None:
    """Point numba's on-disk cache at ``kernel_cache_dir()`` before the kernels are decorated."""
    if os.environ.get("NUMBA_CACHE_DIR", "").strip():
        return
    import numba  # heavy: heavy, and only when a simulator steps

    # Read when each @njit(cache=True) dispatcher is created; an unwritable folder makes numba fall back
    # to its default locator (__pycache__ beside the source).
    numba.config.CACHE_DIR = str(kernel_cache_dir())
