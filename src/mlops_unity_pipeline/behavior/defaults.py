"""Each archetype's default ``BehaviorSpec``: the simulator's defaults, where the rule interpreter starts."""

from __future__ import annotations

from typing import Any

from .._validate import to_choice
from ..sim.archetypes import NavigationParams
from .kinds import (
    BALANCE_ACTIONS,
    BALANCE_ENV_PARAMETERS,
    BALANCE_OBSERVATIONS,
    NAVIGATION_CONTINUOUS,
    REACH_TARGET_OBSERVATIONS,
    Archetype,
    EndKind,
    HeuristicKind,
    RewardKind,
)
from .parts import ArenaSpec, RaySensor, RewardTerm, SensorItem
from .spec import BehaviorSpec


def default_spec(archetype: Archetype, behavior_name: str, **changes: Any) -> BehaviorSpec:
    """Return the archetype's default behavior (the simulator's defaults), with ``changes`` applied.

    Args:
        archetype: the task family.
        behavior_name: the behavior name.
        **changes: fields of ``BehaviorSpec`` to override.

    Returns:
        A validated spec.

    """
    archetype = to_choice(archetype, Archetype, "archetype")
    base: dict[str, Any]
    if archetype is Archetype.BALANCE:
        base = {
            "observations": tuple(SensorItem(k, s) for k, s in BALANCE_OBSERVATIONS.items()),
            "actions": BALANCE_ACTIONS,
            "rewards": (RewardTerm(RewardKind.ALIVE, 0.1), RewardTerm(RewardKind.FALL, -1.0)),
            "end_conditions": (EndKind.BALL_DROPPED, EndKind.MAX_STEP),
            # 3DBall prefab: MaxStep 5000, DecisionPeriod 5 (the 3DBall prefab)
            "max_step": 5000,
            "decision_period": 5,
            "env_parameters": tuple(BALANCE_ENV_PARAMETERS.items()),
            "heuristic": HeuristicKind.LEVEL_PLATFORM,
        }
    else:
        nav = NavigationParams()
        navigation = archetype is Archetype.NAVIGATION
        obstacles = nav.num_obstacles if navigation else 0
        # reach-target observes no rays, like the simulator's preset (sim.catalog.reach_target_params)
        observations = nav.observations if navigation else REACH_TARGET_OBSERVATIONS
        base = {
            "observations": tuple(SensorItem(o.kind, o.size) for o in observations),
            "actions": NAVIGATION_CONTINUOUS,
            "rewards": (
                RewardTerm(RewardKind.REACH_TARGET, nav.reach_reward),
                RewardTerm(RewardKind.COLLISION, nav.collision_penalty),
                RewardTerm(RewardKind.TIME, nav.time_penalty),
                RewardTerm(RewardKind.PROGRESS, nav.progress_reward),
            ),
            "end_conditions": (EndKind.TARGET_REACHED, EndKind.MAX_STEP),
            "max_step": nav.max_step,
            "decision_period": nav.decision_period,
            "env_parameters": tuple(
                (k, float(obstacles) if k == "num_obstacles" else v)
                for k, v in nav.env_parameter_defaults.items()
            ),
            "heuristic": HeuristicKind.SEEK_TARGET,
            "rays": RaySensor(nav.num_rays, nav.ray_degrees, nav.ray_length, nav.detectable_tags)
            if navigation
            else None,
            "arena": ArenaSpec(
                half_extent=nav.arena_half_extent,
                agent_radius=nav.agent_radius,
                obstacle_radius=nav.obstacle_radius,
                reach_distance=nav.reach_distance,
                move_speed=nav.move_speed,
                num_obstacles=obstacles,
            ),
        }
    base.update(changes)
    return BehaviorSpec(behavior_name=behavior_name, archetype=archetype, **base)
