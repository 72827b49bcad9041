"""What the hand-written tasks share: stacked observations that follow the Academy, ray-sensed scenes, walls.

- ``HandWrittenTask`` / ``AcademySettings``: a task's fixed behavior and Academy timing, and the one
  constructor every hand-written task shares (``num_agents``, ``seed``, ``engine``).
- ``StackedObservations``: a mixin for tasks whose observations are stacked (``StackingSensor``): every
  stack takes in the observations handed out at ``reset`` and at each ``step``.
- ``ray_colliders`` / ``kernel_rays``: one area's static box colliders as the NumPy path's per-sensor
  ``Colliders`` and as the compiled kernels' view (ray layouts and one area's boxes,
  ``sim.kernels.ray_perception.observe_agent``); ``observe_rays``: every sensor's stacked observations.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

import numpy as np

from ...spaces import ActionTuple, BehaviorSignature, StepBatch
from ..core import SimEnv
from ..engine_config import EngineConfig
from ..ray_perception import Colliders, RayPerceptionSensor


@dataclass(frozen=True)
class AcademySettings:
    """What a hand-written task fixes for ``SimEnv``: its behavior, the Academy's timing, its groups.

    Attributes:
        signature: the behavior's observation and action specs.
        decision_period: physics steps per decision.
        max_step: agent ``MaxStep`` in physics steps (0 = unlimited).
        default_num_agents: agents (areas) when the caller names none.
        env_parameter_defaults: the task's environment parameters and their defaults.
        agents_per_group: agents per ``SimpleMultiAgentGroup`` (0: none).
        group_max_step: the environment controller's ``MaxEnvironmentSteps`` for a group (0: none).

    """

    signature: BehaviorSignature
    decision_period: int
    max_step: int
    default_num_agents: int = 1
    env_parameter_defaults: Mapping[str, float] = field(default_factory=dict)
    agents_per_group: int = 0
    group_max_step: int = 0


class HandWrittenTask(SimEnv):
    """A task written by hand (``sim.tasks``): ``SimEnv`` set up from the class's ``academy``.

    Subclasses set ``academy`` and allocate their state in ``_build`` (called once ``SimEnv`` is set up,
    so ``num_agents`` and the generator exist).
    """

    academy: ClassVar[AcademySettings]

    def __init__(
        self, num_agents: int | None = None, *, seed: int | None = None, engine: EngineConfig | None = None
    ) -> None:
        """Create ``num_agents`` agents (None: ``academy.default_num_agents``), seeded, with ``engine``."""
        a = self.academy
        super().__init__(
            a.signature,
            a.default_num_agents if num_agents is None else num_agents,
            decision_period=a.decision_period,
            max_step=a.max_step,
            env_parameter_defaults=a.env_parameter_defaults,
            seed=seed,
            engine=engine,
            agents_per_group=a.agents_per_group,
            group_max_step=a.group_max_step,
        )
        self._build()

    @abstractmethod
    def _build(self) -> None:
        """Allocate the task's state for ``self.num_agents`` agents."""


class _Stack(Protocol):
    def commit(self, obs: np.ndarray) -> None: ...


class StackedObservations:
    """Mixin (before ``SimEnv`` in the bases): the task's stacks take in the observations handed out.

    A task lists its stacks in ``stacks``, in observation order (``RayPerceptionSensor`` and
    ``ObservationStack`` both ``commit``). Before each reset ``_prefab_state`` puts back what episodes carry
    over (the agent's heading, say), so the same seed gives the same trajectory. A task whose compiled
    decision keeps its stacks' history itself sets ``commits_each_step`` False and commits where its NumPy
    path ends.
    """

    stacks: tuple[_Stack, ...]
    commits_each_step = True

    def _prefab_state(self) -> None:
        """Put back what episodes carry over as the scene's prefab has it (nothing, unless overridden)."""

    def reset(self, *, seed: int | None = None) -> StepBatch:
        """Academy reset (see ``SimEnv.reset``); every stack starts from zero frames."""
        self._prefab_state()
        batch = super().reset(seed=seed)  # type: ignore[misc]
        self._commit(batch)
        return batch

    def step(self, actions: ActionTuple) -> StepBatch:
        """One decision (see ``SimEnv.step``); each stack takes in the decision's frame."""
        batch = super().step(actions)  # type: ignore[misc]
        if self.commits_each_step:
            self._commit(batch)
        return batch

    def _commit(self, batch: StepBatch) -> None:
        for stack, obs in zip(self.stacks, batch.obs, strict=True):
            stack.commit(obs)


def ray_colliders(
    num_agents: int,
    sensors: Sequence[RayPerceptionSensor],
    centres: np.ndarray,
    halves: np.ndarray,
    object_tags: Sequence[str],
) -> dict[str, Colliders]:
    """Per sensor name, every agent's copy of one area's boxes (unturned; tagged in that sensor's slots)."""
    yaw = np.zeros(len(object_tags))
    return {
        s.settings.name: Colliders.build(
            num_agents, boxes=(centres, halves, yaw, s.settings.tag_indices(object_tags))
        )
        for s in sensors
    }


def observe_rays(
    sensors: Sequence[RayPerceptionSensor],
    colliders: dict[str, Colliders],
    position: np.ndarray,
    yaw: np.ndarray,
    idx: np.ndarray | None,
    compiled: bool,
) -> list[np.ndarray]:
    """Return each sensor's stacked observations of agents ``idx`` (None: all) at ``position`` and ``yaw``.

    ``colliders`` is ``ray_colliders``'s, with the moving bodies already written for every agent;
    ``compiled`` False keeps the casts on the NumPy path (the task's reference path).
    """
    mode = None if compiled else False
    return [
        sensor.observe(position, yaw, colliders[sensor.settings.name].of_agents(idx), idx, compiled=mode)
        for sensor in sensors
    ]


def kernel_rays(
    sensors: Sequence[RayPerceptionSensor],
    centres: np.ndarray,
    halves: np.ndarray,
    object_tags: Sequence[str],
) -> tuple[tuple[tuple, ...], tuple[np.ndarray, ...]]:
    """Return the compiled decision's view of the same: per sensor its ray layout, and one area's boxes.

    Returns:
        ``(layouts, boxes)``: per sensor ``(start, direction, length, radius, num_tags)``; the boxes
        ``(center (k, 3), half (k, 3), yaw (k,), tag (k,))``, copies the kernel overwrites per area with its
        moving bodies (every sensor here detects the same tags, so one tag row serves all).

    """
    layouts = tuple(
        (
            s.layout.start,
            s.layout.direction,
            s.layout.length,
            s.layout.radius,
            len(s.settings.detectable_tags),
        )
        for s in sensors
    )
    tags = sensors[0].settings.tag_indices(object_tags)
    return layouts, (centres.copy(), halves.copy(), np.zeros(len(object_tags)), tags)
