"""ML-Agents' ``BufferSensorComponent`` over a world's entities: a row per entity, nearest first, zero padded.

Semantics (``com.unity.ml-agents`` 3.0.0, ``Runtime/Sensors/BufferSensor.cs``, ``BufferSensorComponent.cs``;
facts only): the sensor holds ``MaxNumObservables`` rows of ``ObservableSize`` floats; each decision the
agent appends one row per entity (``AppendObservation``), rows beyond the maximum are dropped, the rest of
the buffer stays zero (``Update`` clears it after each decision), and the observation is
``ObservationSpec.VariableLength``: shape ``(max_num_observables, observable_size)`` whose first dimension is
``DimensionProperty.VariableSize`` (the trainer masks all-zero rows). The component reports its
``SensorName``.

Here the rows are the active entity copies with the sensor's tag, nearest to the agent first (equal distances:
copy order), each the sensor's ``items`` about that entity, computed as the vector items of the same name
(``world_env``'s ``direction_to``: the offset divided by the arena's sizes; ``distance_to``: by its diagonal).
"""

from __future__ import annotations

import math

import numpy as np

from ..world.model import BufferSensor, VectorItemKind

ITEM_SIZES = {VectorItemKind.DIRECTION_TO: 2, VectorItemKind.DISTANCE_TO: 1}
"""Floats per row item (``world.validate`` allows these two)."""


class BufferPerception:
    """The entity buffer of one ``BufferSensor`` for a batch of agents.

    Attributes:
        sensor: the IR sensor.
        copies: ``(E,)`` the entity copies with the sensor's tag, in copy order.
        shape: ``(max_entities, observable_size)`` per agent.

    """

    def __init__(self, sensor: BufferSensor, copies: np.ndarray, arena_size: tuple[float, float]) -> None:
        """Set up the rows of ``sensor`` over entity ``copies`` of an arena of ``arena_size`` (x, z).

        Args:
            sensor: a validated buffer sensor.
            copies: the entity copy indices tagged ``sensor.of``.
            arena_size: the arena's floor (x, z) (scales the items).

        """
        self.sensor = sensor
        self.copies = np.asarray(copies, dtype=np.int64)
        self.shape = (sensor.max_entities, sum(ITEM_SIZES[it] for it in sensor.items))
        self._size = np.array(arena_size, dtype=np.float64)
        self._diagonal = math.hypot(*arena_size)

    def observe(self, position: np.ndarray, entities: np.ndarray, active: np.ndarray) -> np.ndarray:
        """Return the buffers of agents at ``position`` ``(m, 3)``.

        Args:
            position: the agents' centres.
            entities: ``(m, E_all, 3)`` the entity copies' centres in each agent's area.
            active: ``(m, E_all)`` which copies are in the scene.

        Returns:
            ``(m, max_entities, observable_size)`` float32, rows nearest first, the rest zero.

        """
        m, rows = position.shape[0], self.sensor.max_entities
        out = np.zeros((m, *self.shape), dtype=np.float32)
        if not self.copies.size:
            return out
        delta = entities[:, self.copies][..., 0::2] - position[:, None, 0::2]  # (m, E, 2)
        dist = np.hypot(delta[..., 0], delta[..., 1])
        on = active[:, self.copies]
        order = np.argsort(np.where(on, dist, np.inf), axis=1, kind="stable")[:, :rows]
        keep = np.take_along_axis(on, order, axis=1)  # (m, r): a real entity in this row
        parts = []
        for item in self.sensor.items:
            if item is VectorItemKind.DIRECTION_TO:
                parts.append(np.take_along_axis(delta, order[..., None], axis=1) / self._size)
            else:
                parts.append(np.take_along_axis(dist, order, axis=1)[..., None] / self._diagonal)
        data = np.concatenate(parts, axis=2)
        r = order.shape[1]
        out[:, :r] = np.where(keep[..., None], data, 0.0)
        return out

    def clear(self, idx: np.ndarray) -> None:
        """Nothing to clear at an episode start (the world env's sensors share this hook with stacks)."""

    def commit(self, obs: np.ndarray) -> None:
        """Nothing to remember: ``Update`` clears the buffer after every decision."""
