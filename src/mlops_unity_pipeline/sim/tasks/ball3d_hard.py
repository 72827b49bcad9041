"""ML-Agents' 3DBallHard example: 3DBall without the ball's velocity, with 9 stacked observations.

Facts (recorded with their sources in ``docs/simulator.md``, "3DBallHard"):

- ``Examples/3DBall/Scripts/Ball3DHardAgent.cs``: no ``CollectObservations`` items; two observable
  properties with ``[Observable(numStackedObservations: 9)]``: ``Vector2 Rotation`` = (rotation.z,
  rotation.x) and ``Vector3 PositionDelta`` = ball position minus platform position. Actions, rotation
  limits, the fall test, ``SetReward(0.1f)`` / ``SetReward(-1f)`` and ``OnEpisodeBegin`` are 3DBall's.
- ``Examples/3DBall/Prefabs/3DBallHardNew.prefab``: behavior ``3DBallHard``, ``VectorObservationSize: 0``,
  ``ObservableAttributeHandling: 1``, ``MaxStep: 5000``, ``DecisionPeriod: 5``, platform scaled (5, 5, 5).
- Sensor order: ML-Agents sorts sensors by name; a stacked observable is named
  ``StackingSensor_size9_ObservableAttribute:Ball3DHardAgent.<Property>`` so ``PositionDelta`` (27 floats)
  comes before ``Rotation`` (18 floats), which is the order of ``3DBallHard.onnx``'s ``obs_0 [27]``,
  ``obs_1 [18]``.

The physics is 3DBall's (``tasks.ball3d``), compiled kernel included: the kernel writes 3DBall's 8-float
frame into a scratch buffer and this class stacks its rotation and position parts (``sim.stacking``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ...spaces import ActionSpec, BehaviorSignature, ObservationSpec
from ..core import SimEnv
from ..stacking import ObservationStack
from ._common import StackedObservations
from .ball3d import Ball3DEnv

STACKS = 9
"""``numStackedObservations`` of both observable properties."""
POSITION_SIZE = 3
ROTATION_SIZE = 2

SIGNATURE = BehaviorSignature(
    name="3DBallHard",
    observation_specs=(
        ObservationSpec((POSITION_SIZE * STACKS,), "StackingSensor_size9_ObservableAttribute:PositionDelta"),
        ObservationSpec((ROTATION_SIZE * STACKS,), "StackingSensor_size9_ObservableAttribute:Rotation"),
    ),
    action_spec=ActionSpec(continuous_size=2),
)

# Columns of 3DBall's 8-float frame (rotation.z, rotation.x, ball - platform, velocity).
_ROTATION_COLUMNS = slice(0, 2)
_POSITION_COLUMNS = slice(2, 5)


class Ball3DHardEnv(StackedObservations, Ball3DEnv):
    """Vectorized 3DBallHard: 3DBall's platforms and balls observed through two 9-frame stacks.

    Attributes:
        position_stack: the stacked ``PositionDelta`` observations (``obs[0]``).
        rotation_stack: the stacked ``Rotation`` observations (``obs[1]``).

    """

    task_name = "3DBallHard"
    academy = replace(Ball3DEnv.academy, signature=SIGNATURE)

    def _build(self) -> None:
        super()._build()
        n = self.num_agents
        self.position_stack = ObservationStack(n, POSITION_SIZE, STACKS)
        self.rotation_stack = ObservationStack(n, ROTATION_SIZE, STACKS)
        self.stacks = (self.position_stack, self.rotation_stack)
        self._frame = np.zeros((n, 8), dtype=np.float32)  # 3DBall's frame, written by the compiled kernel

    # --- OnEpisodeBegin: StackingSensor.Reset zeroes the stacks ---

    def _begin_episodes(self, idx: np.ndarray) -> None:
        super()._begin_episodes(idx)
        self.position_stack.clear(idx)
        self.rotation_stack.clear(idx)

    def _restart(self, idx: np.ndarray, obs: tuple[np.ndarray, ...]) -> None:
        if not self.compiled:
            SimEnv._restart(self, idx, obs)
            return
        self.position_stack.clear(idx)
        self.rotation_stack.clear(idx)
        super()._restart(idx, (self._frame,))
        self._stack_into(self._frame[idx], idx, obs)

    # --- CollectObservations ---

    def _kernel_decision(
        self,
        reward: np.ndarray,
        flags: np.ndarray,
        obs: tuple[np.ndarray, ...],
        ended: np.ndarray,
    ) -> int | None:
        count = super()._kernel_decision(reward, flags, (self._frame,), ended)
        self._stack_into(self._frame, None, obs)
        return count

    def _observe_into(self, idx: np.ndarray, out: tuple[np.ndarray, ...]) -> None:
        SimEnv._observe_into(self, idx, out)

    def _observe(self, idx: np.ndarray | None) -> tuple[np.ndarray, ...]:
        frame = super()._observe(idx)[0]
        k = frame.shape[0]
        out = (
            np.empty((k, self.position_stack.width), dtype=np.float32),
            np.empty((k, self.rotation_stack.width), dtype=np.float32),
        )
        self._stack_into(frame, idx, out, rows=slice(None))
        return out

    def _stack_into(
        self,
        frame: np.ndarray,
        idx: np.ndarray | None,
        out: tuple[np.ndarray, ...],
        rows: slice | np.ndarray | None = None,
    ) -> None:
        """Write the stacked observations of agents ``idx`` (None: all), newest frame ``frame``, into ``out``.

        ``rows`` selects the rows of ``out`` to write (default: ``idx`` itself, i.e. the agents' own rows).
        """
        if idx is None:  # every agent: stack straight into the output rows (the per-decision path)
            self.position_stack.stacked(frame[:, _POSITION_COLUMNS], None, out=out[0])
            self.rotation_stack.stacked(frame[:, _ROTATION_COLUMNS], None, out=out[1])
            return
        target = idx if rows is None else rows
        out[0][target] = self.position_stack.stacked(frame[:, _POSITION_COLUMNS], idx)
        out[1][target] = self.rotation_stack.stacked(frame[:, _ROTATION_COLUMNS], idx)
