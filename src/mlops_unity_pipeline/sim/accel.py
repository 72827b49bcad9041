"""Whether the simulator runs its numba-compiled kernels (``sim.kernels``) or its NumPy reference paths.

The kernels are used when numba imports and the environment variable ``MLOPS_SIM_NUMBA`` is not ``0``;
otherwise every task runs its pure-NumPy path, which computes the same thing (tested equal). numba is
imported on first use, not when ``sim`` is imported, so commands that never step a simulator do not pay for
it. Compiled kernels are cached on disk (``@njit(cache=True)``): only the first run on a machine compiles.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

ENV_VAR = "MLOPS_SIM_NUMBA"
"""Set to ``0`` to force the NumPy paths."""

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
            module = importlib.import_module(f"{__package__}.kernels")
        except ImportError:  # numba is not installed: the NumPy paths run instead
            _import_failed = True
            return None
        _kernels = module
    return _kernels
