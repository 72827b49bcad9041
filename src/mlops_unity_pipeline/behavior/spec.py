"""The behavior IR: one validated ``BehaviorSpec`` feeds both the C# generator and the simulator.

A ``BehaviorSpec`` names an archetype the simulator implements (navigation, reach-target, balance) and fixes
everything that must agree between the generated Unity Agent and the simulated one: the ordered observation
items and their sizes, the action spec and what each index means, reward terms with weights, episode ends,
``MaxStep``, decision period, environment parameters and the scripted heuristic. For navigation and
reach-target it converts to ``sim.archetypes.NavigationParams`` (the simulator's contract); balance is the
3DBall task (observation layout of ML-Agents' ``Ball3DAgent.cs``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from .. import sim
from .._validate import short, to_choice
from ..errors import SpecError
from ..sim.archetypes import FIXED_SIZES, OBSERVATION_KINDS, NavigationParams, ObservationItem
from ..spaces import ActionSpec, BehaviorSignature, ObservationSpec
from .kinds import (
    ALLOWED_REWARDS,
    BALANCE_ACTIONS,
    BALANCE_OBSERVATIONS,
    BEHAVIOR_NAME,
    ENV_PARAMETERS,
    HEURISTICS,
    NAVIGATION_CONTINUOUS,
    NAVIGATION_DISCRETE,
    REQUIRED_END,
    Archetype,
    EndKind,
    HeuristicKind,
    RewardKind,
)
from .loading import spec_fields
from .parts import ArenaSpec, RaySensor, RewardTerm, SensorItem
from .schema import behavior_json_schema

if TYPE_CHECKING:
    from ..spaces import VectorEnv


@dataclass(frozen=True)
class BehaviorSpec:
    """A behavior, fully specified for both the Unity Agent and the simulator (the codegen IR)."""

    behavior_name: str
    """``BehaviorParameters.BehaviorName`` and the trainer YAML ``behaviors`` key."""
    archetype: Archetype
    """Which simulator task and C# template implement it."""
    observations: tuple[SensorItem, ...]
    """``CollectObservations`` items in order (one vector sensor: ONNX input ``obs_0``)."""
    actions: ActionSpec
    """Continuous size and discrete branches (meaning fixed by the archetype)."""
    rewards: tuple[RewardTerm, ...]
    """Reward terms with weights."""
    end_conditions: tuple[EndKind, ...]
    """Why episodes end (``max_step`` is always one of them)."""
    max_step: int
    """Agent ``MaxStep`` in physics steps."""
    decision_period: int
    """``DecisionRequester.DecisionPeriod``: physics steps per decision."""
    env_parameters: tuple[tuple[str, float], ...]
    """Environment (reset) parameters and defaults, read via ``Academy.Instance.EnvironmentParameters``."""
    heuristic: HeuristicKind
    """The scripted heuristic."""
    rays: RaySensor | None = None
    """Ray settings (navigation kinds; required when a ``raycast`` item is observed)."""
    arena: ArenaSpec | None = None
    """Arena constants (navigation and reach-target only)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "archetype", to_choice(self.archetype, Archetype, "archetype"))
        object.__setattr__(self, "heuristic", to_choice(self.heuristic, HeuristicKind, "heuristic"))
        object.__setattr__(self, "observations", tuple(self.observations))
        object.__setattr__(self, "rewards", tuple(self.rewards))
        object.__setattr__(
            self, "end_conditions", tuple(to_choice(e, EndKind, "end condition") for e in self.end_conditions)
        )
        object.__setattr__(
            self, "env_parameters", tuple(sorted((str(k), float(v)) for k, v in self.env_parameters))
        )
        if not isinstance(self.behavior_name, str) or not BEHAVIOR_NAME.fullmatch(self.behavior_name):
            raise SpecError(
                f"behavior_name must start with a letter and hold only letters, digits and '_' "
                f"(at most 64), got {short(self.behavior_name)}"
            )
        if not isinstance(self.max_step, int) or not 1 <= self.max_step <= 1_000_000:
            raise SpecError(f"max_step must be an integer in [1, 1000000], got {short(self.max_step)}")
        if not isinstance(self.decision_period, int) or not 1 <= self.decision_period <= 20:
            # DecisionRequester.DecisionPeriod is a [Range(1, 20)] field (``DecisionRequester.cs``)
            raise SpecError(
                f"decision_period must be an integer in [1, 20], got {short(self.decision_period)}"
            )
        if EndKind.MAX_STEP not in self.end_conditions:
            raise SpecError("end_conditions must include 'max_step' (MaxStep always interrupts an episode)")
        required = REQUIRED_END[self.archetype]
        if required not in self.end_conditions:
            raise SpecError(
                f"end_conditions of a {self.archetype.value} behavior must include '{required.value}'"
            )
        extra_ends = set(self.end_conditions) - {EndKind.MAX_STEP, required}
        if extra_ends:
            names = sorted(e.value for e in extra_ends)
            raise SpecError(f"end_conditions {names} do not apply to a {self.archetype.value} behavior")
        if self.heuristic is not HEURISTICS[self.archetype]:
            raise SpecError(
                f"heuristic of a {self.archetype.value} behavior must be '{HEURISTICS[self.archetype].value}'"
            )
        kinds = [r.kind for r in self.rewards]
        if len(set(kinds)) != len(kinds):
            raise SpecError(f"rewards: each kind at most once, got {[k.value for k in kinds]}")
        not_allowed = sorted(k.value for k in set(kinds) - ALLOWED_REWARDS[self.archetype])
        if not_allowed:
            allowed = sorted(k.value for k in ALLOWED_REWARDS[self.archetype])
            raise SpecError(
                f"rewards {not_allowed} do not apply to a {self.archetype.value} behavior "
                f"(expected some of {allowed})"
            )
        names = [k for k, _ in self.env_parameters]
        if len(set(names)) != len(names):
            raise SpecError(f"env_parameters: duplicate names in {names}")
        known = ENV_PARAMETERS[self.archetype]
        unknown = sorted(set(names) - set(known))
        if unknown:
            raise SpecError(
                f"env_parameters {unknown} unknown to {self.archetype.value} "
                f"(expected some of {sorted(known)})"
            )
        if self.archetype is Archetype.BALANCE:
            self._validate_balance()
        else:
            self._validate_navigation()

    # --- validation per archetype ---

    def _validate_balance(self) -> None:
        layout = [(o.kind, o.size) for o in self.observations]
        if layout != list(BALANCE_OBSERVATIONS.items()):
            raise SpecError(
                "observations of a balance behavior must be the 3DBall layout "
                f"{list(BALANCE_OBSERVATIONS.items())},"
                f" got {layout}"
            )
        if self.actions != BALANCE_ACTIONS:
            raise SpecError(
                "actions of a balance behavior must be 2 continuous (tilt about z, tilt about x), got "
                f"continuous={self.actions.continuous_size} discrete={list(self.actions.discrete_branches)}"
            )
        if self.rays is not None or self.arena is not None:
            raise SpecError("a balance behavior has no rays and no arena")

    def _validate_navigation(self) -> None:
        if self.arena is None:
            raise SpecError(f"a {self.archetype.value} behavior needs an arena")
        for item in self.observations:
            if item.kind not in OBSERVATION_KINDS:
                raise SpecError(
                    f"observation kind '{item.kind}' unknown to {self.archetype.value} "
                    f"(expected one of {sorted(OBSERVATION_KINDS)})"
                )
            fixed = FIXED_SIZES.get(item.kind)
            if fixed is not None and item.size != fixed:
                raise SpecError(f"observation '{item.kind}' has size {fixed}, got {item.size}")
            if item.kind == "raycast":
                if self.rays is None:
                    raise SpecError("observation 'raycast' needs 'rays' settings")
                if item.size != self.rays.num_rays:
                    raise SpecError(
                        f"observation 'raycast' size {item.size} != rays.num_rays {self.rays.num_rays}"
                    )
        kinds = [o.kind for o in self.observations]
        if len(set(kinds)) != len(kinds):
            raise SpecError(f"observations: each kind at most once, got {kinds}")
        if not self.observations:
            raise SpecError("observations: a navigation behavior needs at least one item")
        if self.actions not in (NAVIGATION_CONTINUOUS, NAVIGATION_DISCRETE):
            raise SpecError(
                "actions of a navigation behavior must be 2 continuous (move x, move z) or one discrete "
                "branch "
                f"of 5 (stay, +z, -z, -x, +x), got continuous={self.actions.continuous_size} "
                f"discrete={list(self.actions.discrete_branches)}"
            )
        if self.archetype is Archetype.REACH_TARGET and self.arena.num_obstacles != 0:
            raise SpecError(
                f"a reach_target behavior has no obstacles, got num_obstacles={self.arena.num_obstacles}"
            )
        if self.archetype is Archetype.NAVIGATION and self.arena.num_obstacles == 0:
            raise SpecError("a navigation behavior needs num_obstacles >= 1 (use reach_target for none)")
        # NavigationParams re-validates sizes and arena geometry: one source of truth for the simulator
        self.to_navigation_params()

    # --- derived views ---

    @property
    def observation_size(self) -> int:
        """Floats added in ``CollectObservations`` (``BrainParameters.VectorObservationSize``)."""
        return sum(o.size for o in self.observations)

    @property
    def signature(self) -> BehaviorSignature:
        """The trainer's view: one vector observation of ``observation_size`` and the action spec."""
        return BehaviorSignature(
            name=self.behavior_name,
            observation_specs=(ObservationSpec((self.observation_size,), name="VectorSensor"),),
            action_spec=self.actions,
        )

    def reward(self, kind: RewardKind) -> float:
        """Return the weight of a reward term, 0.0 when the behavior has none of that kind."""
        for term in self.rewards:
            if term.kind is kind:
                return float(term.weight)
        return 0.0

    def env_parameter(self, name: str) -> float | None:
        """Return the default of an environment parameter, None when the behavior does not read it."""
        return dict(self.env_parameters).get(name)

    def to_navigation_params(self) -> NavigationParams | None:
        """Return the simulator's parameters for navigation and reach-target; None for balance.

        Returns:
            ``NavigationParams`` with the same observation items, actions, arena, rays, rewards, MaxStep and
            decision period, or None for a balance behavior (the 3DBall task takes no parameters).

        """
        if self.archetype is Archetype.BALANCE or self.arena is None:
            return None
        rays = self.rays or RaySensor()
        return NavigationParams(
            behavior_name=self.behavior_name,
            observations=tuple(ObservationItem(o.kind, o.size) for o in self.observations),
            continuous_actions=self.actions.is_continuous,
            num_obstacles=self.arena.num_obstacles,
            arena_half_extent=float(self.arena.half_extent),
            agent_radius=float(self.arena.agent_radius),
            obstacle_radius=float(self.arena.obstacle_radius),
            reach_distance=float(self.arena.reach_distance),
            move_speed=float(self.arena.move_speed),
            num_rays=rays.num_rays,
            ray_degrees=float(rays.degrees),
            ray_length=float(rays.length),
            detectable_tags=rays.detectable_tags,
            max_step=self.max_step,
            decision_period=self.decision_period,
            reach_reward=self.reward(RewardKind.REACH_TARGET),
            collision_penalty=self.reward(RewardKind.COLLISION),
            time_penalty=self.reward(RewardKind.TIME),
            progress_reward=self.reward(RewardKind.PROGRESS),
            env_parameter_defaults=dict(self.env_parameters),
        )

    def make_env(self, num_agents: int = 1, seed: int | None = None) -> VectorEnv:
        """Create the same behavior in the simulator.

        Args:
            num_agents: agents stepped together.
            seed: seeds the simulator's random placements.

        Returns:
            ``sim.make_navigation(...)`` for navigation/reach-target, the 3DBall task (with this behavior's
            name
            and environment parameter defaults) for balance.

        """
        params = self.to_navigation_params()
        if params is not None:
            return sim.make_navigation(params, num_agents=num_agents, seed=seed)
        env = sim.make("3DBall", num_agents=num_agents, seed=seed, env_parameters=dict(self.env_parameters))
        # the trainer keys settings, results and the ONNX file by the signature's name, which must be the
        # generated BehaviorParameters.BehaviorName; the 3DBall task calls itself "3DBall" otherwise
        env.signature = dataclasses.replace(env.signature, name=self.behavior_name)
        return env

    # --- serialization ---

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON/YAML-ready dict that ``from_dict`` loads back equal."""
        out: dict[str, Any] = {
            "behavior_name": self.behavior_name,
            "archetype": self.archetype.value,
            "observations": [{"kind": o.kind, "size": o.size} for o in self.observations],
            "actions": {
                "continuous_size": self.actions.continuous_size,
                "discrete_branches": list(self.actions.discrete_branches),
            },
            "rewards": [{"kind": r.kind.value, "weight": r.weight} for r in self.rewards],
            "end_conditions": [e.value for e in self.end_conditions],
            "max_step": self.max_step,
            "decision_period": self.decision_period,
            "env_parameters": dict(self.env_parameters),
            "heuristic": self.heuristic.value,
            "rays": None,
            "arena": None,
        }
        if self.rays is not None:
            out["rays"] = {
                "num_rays": self.rays.num_rays,
                "degrees": self.rays.degrees,
                "length": self.rays.length,
                "detectable_tags": list(self.rays.detectable_tags),
            }
        if self.arena is not None:
            out["arena"] = {f.name: getattr(self.arena, f.name) for f in fields(ArenaSpec)}
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "behavior spec") -> BehaviorSpec:
        """Load strictly: unknown or missing keys and bad values raise ``SpecError`` naming the field.

        Args:
            data: a dict shaped like ``to_dict()``'s output.
            source: names the origin in error messages (a file, "LLM reply" …).

        Returns:
            The validated spec.

        Raises:
            SpecError: on any unknown/missing key or invalid value.

        """
        arguments = spec_fields(data, frozenset(f.name for f in fields(cls)), source)
        try:
            return cls(**arguments)
        except SpecError as exc:
            if str(exc).startswith(source):
                raise
            raise SpecError(f"{source}: {exc}") from None

    @staticmethod
    def json_schema() -> dict[str, Any]:
        """Return a JSON Schema of ``to_dict()``'s shape (``behavior.schema.behavior_json_schema``)."""
        return behavior_json_schema()
