"""A ``VectorEnv`` view under another behavior name (a balance behavior named by its asset runs 3DBall)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from ..spaces import ActionTuple, BehaviorSignature, StepBatch, VectorEnv


class RenamedEnv:
    """Delegates everything to ``env`` but reports ``behavior_name`` in its signature.

    The trainer keys its settings, results and ONNX file by the signature's name, which must equal the
    generated ``BehaviorParameters.BehaviorName``; the simulator's 3DBall task always calls itself "3DBall".
    """

    def __init__(self, env: VectorEnv, behavior_name: str) -> None:
        self._env = env
        self.signature: BehaviorSignature = dataclasses.replace(env.signature, name=behavior_name)
        self.num_agents: int = env.num_agents

    def reset(self, *, seed: int | None = None) -> StepBatch:
        """Start a new episode for every agent."""
        return self._env.reset(seed=seed)

    def step(self, actions: ActionTuple) -> StepBatch:
        """Advance one decision."""
        return self._env.step(actions)

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        """Set environment (reset) parameters."""
        self._env.set_env_parameters(params)

    def close(self) -> None:
        """Release resources."""
        self._env.close()

    def __getattr__(self, name: str) -> Any:
        # engine, decision_period, max_step, episode_count … come from the wrapped simulator env
        return getattr(self._env, name)
