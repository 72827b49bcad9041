"""The behavior IR's vocabulary: archetypes, reward/end/heuristic kinds and what each archetype allows."""

from __future__ import annotations

import re
from enum import Enum

from ..sim.archetypes import ObservationItem
from ..spaces import ActionSpec

BEHAVIOR_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")
"""``BehaviorParameters.BehaviorName`` and C# class names: a letter, then letters, digits and '_' (64 at
most); used with ``fullmatch``."""


class Archetype(str, Enum):
    """A task family the simulator implements and the C# generator has a template for."""

    NAVIGATION = "navigation"
    REACH_TARGET = "reach_target"
    BALANCE = "balance"


class RewardKind(str, Enum):
    """What a reward term pays for."""

    REACH_TARGET = "reach_target"
    """Once, when the agent reaches the target (the episode then ends)."""
    COLLISION = "collision"
    """Per physics step in which the agent's move is blocked by a wall or an obstacle."""
    TIME = "time"
    """Spread over the episode: ``weight / MaxStep`` per physics step."""
    PROGRESS = "progress"
    """Per physics step, ``weight`` x the distance the agent closed on the target (potential-based shaping,
    ``NavigationParams.progress_reward``)."""
    ALIVE = "alive"
    """Per decision while the ball stays on the platform (3DBall: +0.1)."""
    FALL = "fall"
    """Once, when the ball falls off (3DBall: -1); the episode then ends."""


class EndKind(str, Enum):
    """Why an episode ends."""

    TARGET_REACHED = "target_reached"
    """Terminated: the agent is within ``reach_distance`` of the target."""
    BALL_DROPPED = "ball_dropped"
    """Terminated: the ball left the platform."""
    MAX_STEP = "max_step"
    """Interrupted (truncated): ``MaxStep`` physics steps elapsed."""


class HeuristicKind(str, Enum):
    """The scripted heuristic (``Agent.Heuristic`` without keyboard input; the simulator's heuristic)."""

    SEEK_TARGET = "seek_target"
    """Move straight towards the target, steering away from the nearest ray hit when one is close."""
    LEVEL_PLATFORM = "level_platform"
    """Tilt the platform so the ball rolls back towards its centre."""


BALANCE_OBSERVATIONS: dict[str, int] = {
    "platform_rotation_z": 1,
    "platform_rotation_x": 1,
    "ball_relative_position": 3,
    "ball_velocity": 3,
}
"""3DBall's observation layout in ``CollectObservations`` order (``Ball3DAgent.cs``): 8 floats."""

REACH_TARGET_OBSERVATIONS: tuple[ObservationItem, ...] = (
    ObservationItem("velocity", 2),
    ObservationItem("target_direction", 2),
)
"""Reach-target's default observations (the simulator's ReachTarget preset)."""

NAVIGATION_ENV_PARAMETERS: dict[str, float] = {"num_obstacles": 5.0, "move_speed": 5.0}
"""Environment parameters the navigation simulator and generated Agent read at episode start (defaults)."""

BALANCE_ENV_PARAMETERS: dict[str, float] = {"mass": 1.0, "scale": 1.0, "gravity": 9.81}
"""3DBall's float properties (the 3DBall scene) and their defaults."""

ENV_PARAMETERS: dict[Archetype, dict[str, float]] = {
    Archetype.NAVIGATION: NAVIGATION_ENV_PARAMETERS,
    Archetype.REACH_TARGET: NAVIGATION_ENV_PARAMETERS,
    Archetype.BALANCE: BALANCE_ENV_PARAMETERS,
}
"""The environment parameters each archetype's simulator and generated Agent read (names and defaults)."""

ALLOWED_REWARDS: dict[Archetype, frozenset[RewardKind]] = {
    Archetype.NAVIGATION: frozenset(
        {RewardKind.REACH_TARGET, RewardKind.COLLISION, RewardKind.TIME, RewardKind.PROGRESS}
    ),
    Archetype.REACH_TARGET: frozenset(
        {RewardKind.REACH_TARGET, RewardKind.COLLISION, RewardKind.TIME, RewardKind.PROGRESS}
    ),
    Archetype.BALANCE: frozenset({RewardKind.ALIVE, RewardKind.FALL}),
}
"""The reward kinds each archetype's simulator and C# template implement."""
REQUIRED_END: dict[Archetype, EndKind] = {
    Archetype.NAVIGATION: EndKind.TARGET_REACHED,
    Archetype.REACH_TARGET: EndKind.TARGET_REACHED,
    Archetype.BALANCE: EndKind.BALL_DROPPED,
}
"""The terminal episode end of each archetype (``max_step`` interrupts every one)."""
HEURISTICS: dict[Archetype, HeuristicKind] = {
    Archetype.NAVIGATION: HeuristicKind.SEEK_TARGET,
    Archetype.REACH_TARGET: HeuristicKind.SEEK_TARGET,
    Archetype.BALANCE: HeuristicKind.LEVEL_PLATFORM,
}
"""The scripted heuristic of each archetype."""

NAVIGATION_CONTINUOUS = ActionSpec(continuous_size=2)
"""Navigation continuous actions: [0] = move x, [1] = move z, each in [-1, 1] times ``move_speed``."""
NAVIGATION_DISCRETE = ActionSpec(discrete_branches=(5,))
"""Navigation discrete actions: one branch of 5 (``sim.archetypes.DISCRETE_MOVES``)."""
BALANCE_ACTIONS = ActionSpec(continuous_size=2)
"""3DBall actions: [0] = rotation about z, [1] = rotation about x (2 degrees per unit, clamped to [-1, 1])."""
