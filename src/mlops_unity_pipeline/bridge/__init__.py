"""ML-Agents communicator: protocol messages, side channels, the simulator player, Unity-player environments.

``bridge.proto`` and ``bridge.side_channels`` are the wire format; ``bridge.player`` is the simulator behind
the Unity side of the protocol (``mlops-unity sim player``); ``bridge.server`` and ``bridge.unity_env`` are
the trainer side (``mlops-unity learn CONFIG --env PLAYER``). The names below load lazily, so reading
``.demo`` files (which needs ``bridge.proto`` only) never imports gRPC.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "UnityVectorEnv": "unity_env",
    "UnityMultiBehaviorEnv": "unity_env",
    "PlayerSettings": "unity_env",
    "make_player_env": "unity_env",
    "player_env_factory": "unity_env",
    "write_player_launcher": "launcher",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    """Load ``UnityVectorEnv``, ``make_player_env``, ``player_env_factory`` … on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
