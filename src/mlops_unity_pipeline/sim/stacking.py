"""ML-Agents' ``StackingSensor`` for vector observations, over a batch of agents.

Semantics (``com.unity.ml-agents`` 3.0.0, ``Runtime/Sensors/StackingSensor.cs``): the sensor keeps the last
``stacks`` frames of the wrapped sensor and writes them **oldest first**, so the newest frame is the last
``size`` floats; at every decision one new frame enters (``Update`` advances the ring, ``Write`` stores the
wrapped sensor's frame in the new slot); ``Reset`` (at each episode's end, before the next episode's first
observation) zeroes every slot, so a new episode's first observation is ``stacks - 1`` zero frames followed
by its first frame. The stacked observation is ``size * stacks`` floats (``ObservationSpec`` shape multiplied
along its last axis for rank-1 sensors).
"""

from __future__ import annotations

import numpy as np

from ..errors import SpecError

MAX_STACKS = 64
"""Bound on ``stacks`` (ML-Agents' inspector allows 1..50; the bound keeps buffers small)."""


class ObservationStack:
    """Stacked vector observations for ``num_agents`` agents: the last ``stacks`` frames, oldest first.

    The stack is a pure function of the history and the new frame (``stacked``) so that the simulator may
    compute observations more than once per decision (final observations, restarts); ``commit`` records the
    observations actually handed out at a decision, which become the history of the next one.

    Attributes:
        size: floats per frame.
        stacks: frames kept.
        history: ``(num_agents, size * stacks)`` float32, the stacked observation of the last decision.

    """

    def __init__(self, num_agents: int, size: int, stacks: int) -> None:
        """Create an all-zero stack.

        Args:
            num_agents: agents in the batch.
            size: floats per frame (>= 1).
            stacks: frames kept (1..MAX_STACKS; 1 is no stacking).

        Raises:
            SpecError: a size or stack count out of range.

        """
        if int(size) < 1:
            raise SpecError(f"stacked observation size must be >= 1, got {size}")
        if not 1 <= int(stacks) <= MAX_STACKS:
            raise SpecError(f"stacked observations must be 1..{MAX_STACKS}, got {stacks}")
        self.size = int(size)
        self.stacks = int(stacks)
        self.history = np.zeros((int(num_agents), self.size * self.stacks), dtype=np.float32)

    @property
    def width(self) -> int:
        """Floats in one stacked observation (``size * stacks``)."""
        return self.size * self.stacks

    def clear(self, idx: np.ndarray) -> None:
        """``Reset`` for agents ``idx``: their next observation starts from zero frames."""
        self.history[idx] = 0.0

    def stacked(
        self, frames: np.ndarray, idx: np.ndarray | None = None, out: np.ndarray | None = None
    ) -> np.ndarray:
        """Return the stacked observations of agents ``idx`` (None: all), ``frames`` being the newest.

        Args:
            frames: ``(k, size)`` newest frame per agent.
            idx: the agents (rows of ``history``) or None for all.
            out: optional ``(k, size * stacks)`` float32 array to write into.

        Returns:
            ``(k, size * stacks)`` float32: the older ``stacks - 1`` frames of the history, then ``frames``.

        """
        older = self.history if idx is None else self.history[idx]
        if out is None:
            out = np.empty(older.shape, dtype=np.float32)
        out[:, : -self.size] = older[:, self.size :]
        out[:, -self.size :] = frames
        return out

    def commit(self, obs: np.ndarray) -> None:
        """Record the stacked observations handed out at this decision (``(num_agents, size * stacks)``)."""
        self.history[...] = obs
