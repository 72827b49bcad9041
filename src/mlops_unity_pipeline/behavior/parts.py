"""The parts a ``BehaviorSpec`` is built from: observation items, ray sensor, arena and reward terms."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .._validate import short, to_choice
from ..errors import SpecError
from .kinds import RewardKind


@dataclass(frozen=True)
class SensorItem:
    """One item added in ``CollectObservations``, in order."""

    kind: str
    """Navigation: one of ``sim.archetypes.OBSERVATION_KINDS``; balance: one of ``BALANCE_OBSERVATIONS``."""
    size: int
    """Floats this item adds."""

    def __post_init__(self) -> None:
        if not isinstance(self.size, int) or isinstance(self.size, bool) or self.size < 1:
            raise SpecError(
                f"observation {short(self.kind)}: size must be an integer >= 1, got {short(self.size)}"
            )


@dataclass(frozen=True)
class RaySensor:
    """Rays cast in code from the agent centre (a normalized hit distance per ray)."""

    num_rays: int = 8
    """Number of rays (the size of the ``raycast`` observation item)."""
    degrees: float = 360.0
    """Total spread: 360 = evenly around the agent; less = evenly from -degrees/2 to +degrees/2."""
    length: float = 20.0
    """Hits farther than this read as 1.0."""
    detectable_tags: tuple[str, ...] = ("wall", "obstacle")
    """Unity tags the rays report."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "detectable_tags", tuple(self.detectable_tags))
        if not 1 <= self.num_rays <= 64:
            raise SpecError(f"rays: num_rays must be in [1, 64], got {self.num_rays}")
        if not 0.0 < self.degrees <= 360.0:
            raise SpecError(f"rays: degrees must be in (0, 360], got {self.degrees}")
        if not 0.0 < self.length <= 1000.0:
            raise SpecError(f"rays: length must be in (0, 1000], got {self.length}")
        bad = [t for t in self.detectable_tags if t not in ("wall", "obstacle")]
        if bad or not self.detectable_tags:
            raise SpecError(
                f"rays: detectable_tags must be a non-empty subset of ['obstacle', 'wall'], got {bad}"
            )


@dataclass(frozen=True)
class ArenaSpec:
    """The square training area of navigation and reach-target behaviors (Unity units, seconds)."""

    half_extent: float = 10.0
    """Half the side of the square arena (walls at x, z = ±this)."""
    agent_radius: float = 0.5
    """Agent disc radius."""
    obstacle_radius: float = 1.0
    """Obstacle cylinder radius."""
    reach_distance: float = 1.0
    """Target reached when the centre distance is below this."""
    move_speed: float = 5.0
    """Units per second at full action."""
    num_obstacles: int = 5
    """Obstacles per episode (0 for reach-target)."""

    def __post_init__(self) -> None:
        for name in ("half_extent", "agent_radius", "obstacle_radius", "reach_distance", "move_speed"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
                raise SpecError(f"arena: {name} must be a positive number, got {short(value)}")
        if not 0 <= self.num_obstacles <= 32:
            raise SpecError(f"arena: num_obstacles must be in [0, 32], got {self.num_obstacles}")


@dataclass(frozen=True)
class RewardTerm:
    """One reward term and its weight."""

    kind: RewardKind
    """What it pays for."""
    weight: float
    """The reward (see ``RewardKind`` for when it is given)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", to_choice(self.kind, RewardKind, "reward kind"))
        if not isinstance(self.weight, (int, float)) or not math.isfinite(self.weight):
            raise SpecError(
                f"reward '{self.kind.value}': weight must be a finite number, got {short(self.weight)}"
            )
