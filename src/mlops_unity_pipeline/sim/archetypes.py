"""Parameters of the archetypes that generated behaviors map onto (navigation, reach-target).

This module is the contract between the codegen IR and the simulator: ``behavior.spec.BehaviorSpec`` produces
a ``NavigationParams``; ``sim.tasks.navigation`` runs it; ``codegen.csharp`` writes the same constants into
the generated Agent so a policy trained in one behaves the same in the other.

World frame (Unity's): x right, y up, z forward; agents move in the x-z plane. Physics runs at a fixed
``PHYSICS_DT`` (Unity's default ``Time.fixedDeltaTime``); a decision happens every ``decision_period`` physics
steps and the last action is applied on every physics step in between (``DecisionRequester`` with
``TakeActionsBetweenDecisions``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..errors import SpecError

PHYSICS_DT = 0.02
"""Seconds per physics step (Unity ``Time.fixedDeltaTime`` default)."""

OBSERVATION_KINDS: dict[str, str] = {
    "raycast": "one float per ray: hit distance / ray_length in [0, 1] (1 = nothing detectable within range)",
    "velocity": "agent velocity (x, z) / move_speed, in [-1, 1]",
    "target_direction": "(target - agent) (x, z) / (2 * arena_half_extent)",
    "target_distance": "|target - agent| / (2 * arena_half_extent * sqrt(2))",
    "position": "agent position (x, z) / arena_half_extent",
}
"""Observation item kinds a navigation behavior may use, and what each float means."""

FIXED_SIZES: dict[str, int] = {"velocity": 2, "target_direction": 2, "target_distance": 1, "position": 2}
"""Sizes of the fixed-size observation kinds (``raycast`` takes its size from ``num_rays``)."""

DISCRETE_MOVES: tuple[tuple[float, float], ...] = (
    (0.0, 0.0),
    (0.0, 1.0),
    (0.0, -1.0),
    (-1.0, 0.0),
    (1.0, 0.0),
)
"""Discrete branch 0 (size 5): 0 stay, 1 forward (+z), 2 back (-z), 3 left (-x), 4 right (+x) as (x, z)
directions."""


@dataclass(frozen=True)
class ObservationItem:
    """One item the agent adds in ``CollectObservations``, in order."""

    kind: str
    """One of ``OBSERVATION_KINDS``."""
    size: int
    """Floats this item adds (the ray count for ``raycast``)."""

    def __post_init__(self) -> None:
        if self.kind not in OBSERVATION_KINDS:
            raise SpecError(
                f"observation item: unknown kind '{self.kind}', expected one of {sorted(OBSERVATION_KINDS)}"
            )
        expected = FIXED_SIZES.get(self.kind)
        if expected is not None and self.size != expected:
            raise SpecError(f"observation item '{self.kind}': size must be {expected}, got {self.size}")
        if self.size < 1:
            raise SpecError(f"observation item '{self.kind}': size must be >= 1, got {self.size}")


@dataclass(frozen=True)
class NavigationParams:
    """A navigation (or reach-target, when ``num_obstacles == 0``) behavior, fully specified.

    The agent is a disc of ``agent_radius`` in a square arena of half-size ``arena_half_extent`` bounded by
    walls; obstacles are upright cylinders of ``obstacle_radius`` (Unity cylinder primitives); the target is
    reached when the centre distance is below ``reach_distance``. Start, target and obstacles are placed
    uniformly at random at each episode start, never overlapping.
    """

    behavior_name: str = "NavigationAgent"
    """Behavior name (YAML ``behaviors`` key, ``BehaviorParameters.BehaviorName``)."""
    observations: tuple[ObservationItem, ...] = (
        ObservationItem("raycast", 8),
        ObservationItem("velocity", 2),
        ObservationItem("target_direction", 2),
    )
    """Observation items in ``CollectObservations`` order (one vector sensor: ONNX input ``obs_0``)."""
    continuous_actions: bool = True
    """True: 2 continuous actions (move x, move z) in [-1, 1]; False: one discrete branch of 5
    (``DISCRETE_MOVES``)."""
    num_obstacles: int = 5
    """Obstacles per episode (the env parameter ``num_obstacles`` may lower it, never above this)."""
    arena_half_extent: float = 10.0
    """Half the side of the square arena (walls at x, z = ±this)."""
    agent_radius: float = 0.5
    """Agent disc radius."""
    obstacle_radius: float = 1.0
    """Obstacle cylinder radius."""
    reach_distance: float = 1.0
    """Target reached when |target - agent| < this."""
    move_speed: float = 5.0
    """Units per second at full action (env parameter ``move_speed``)."""
    num_rays: int = 8
    """Rays cast from the agent centre (equals the size of the ``raycast`` item when present)."""
    ray_degrees: float = 360.0
    """Total spread: 360 = evenly around the agent (ray i at i*360/num_rays degrees from +z, clockwise towards
    +x); less = evenly from -ray_degrees/2 to +ray_degrees/2."""
    ray_length: float = 20.0
    """Rays report hits up to this distance."""
    detectable_tags: tuple[str, ...] = ("wall", "obstacle")
    """What rays detect (the target is not detectable by rays; ``target_direction`` observes it)."""
    max_step: int = 2500
    """Agent ``MaxStep`` in physics steps (ends the episode as interrupted)."""
    decision_period: int = 5
    """Physics steps per decision."""
    reach_reward: float = 1.0
    """Reward on reaching the target (episode then ends, terminated)."""
    collision_penalty: float = -0.005
    """Reward per physics step in which the agent's move is blocked by a wall or an obstacle.

    Small on purpose: a blocked second costs ``50 * collision_penalty``. At -0.05 (a blocked second = -2.5,
    more than the reach reward) an untrained policy, which bumps into walls often, lost ~7 per episode and
    PPO settled on standing still (-1.0, no penalty) instead of learning to navigate."""
    time_penalty: float = -1.0
    """Spread over the episode: each physics step adds ``time_penalty / max_step``."""
    progress_reward: float = 0.1
    """Reward per unit of distance the agent closes on the target in a physics step (negative moving away).

    Potential-based shaping (Ng, Harada & Russell 1999; potential ``-progress_reward * distance``):
    summed over an episode it is ``progress_reward * (start distance - end distance)``, so it adds no
    optimum of its own, but it says at every step which way is better. Without it the only signal is the
    sparse reach reward: a PPO policy at initialization moves ``clamp(N(0, 1), -3, 3) / 3`` of full speed
    and reaches a target at least one arena half extent away in ~1% of episodes, too rarely to learn from
    in the guide's 100k-step budget (0% success with rays); with 0.1 it learns to >= 90%
    (tests/sim/test_navigation_learnability.py). 0 = sparse reward only."""
    env_parameter_defaults: dict[str, float] = field(
        default_factory=lambda: {"num_obstacles": 5.0, "move_speed": 5.0}
    )
    """Environment (reset) parameters read at episode start and their defaults."""

    def __post_init__(self) -> None:
        if not self.behavior_name or not self.behavior_name.replace("_", "").isalnum():
            raise SpecError(
                f"navigation: behavior_name must be alphanumeric/underscore, got '{self.behavior_name}'"
            )
        if not self.observations:
            raise SpecError("navigation: needs at least one observation item")
        for item in self.observations:
            if item.kind == "raycast" and item.size != self.num_rays:
                raise SpecError(f"navigation: raycast item size {item.size} != num_rays {self.num_rays}")
        if self.num_obstacles < 0 or self.num_obstacles > 32:
            raise SpecError(f"navigation: num_obstacles must be in [0, 32], got {self.num_obstacles}")
        if self.max_step < 1 or self.decision_period < 1:
            raise SpecError("navigation: max_step and decision_period must be >= 1")
        rewards = {
            "reach_reward": self.reach_reward,
            "collision_penalty": self.collision_penalty,
            "time_penalty": self.time_penalty,
            "progress_reward": self.progress_reward,
        }
        for name, value in rewards.items():
            if not math.isfinite(value):
                raise SpecError(f"navigation: {name} must be a finite number, got {value!r}")
        if self.arena_half_extent <= 2 * (self.agent_radius + self.obstacle_radius):
            raise SpecError(f"navigation: arena_half_extent {self.arena_half_extent} too small")

    @property
    def observation_size(self) -> int:
        """Total floats added in ``CollectObservations`` (``BrainParameters.VectorObservationSize``)."""
        return sum(item.size for item in self.observations)
