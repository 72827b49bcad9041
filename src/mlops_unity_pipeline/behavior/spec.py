"""The behavior IR: one validated ``BehaviorSpec`` feeds both the C# generator and the simulator.

A ``BehaviorSpec`` names an archetype the simulator implements (navigation, reach-target, balance) and fixes
everything that must agree between the generated Unity Agent and the simulated one: the ordered observation
items and their sizes, the action spec and what each index means, reward terms with weights, episode ends,
``MaxStep``, decision period, environment parameters and the scripted heuristic. For navigation and
reach-target it converts to ``sim.archetypes.NavigationParams`` (the simulator's contract); balance is the
3DBall task (observation layout of ML-Agents' ``Ball3DAgent``, mlagents.md §6.5).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import Enum
from typing import TYPE_CHECKING, Any

from .._validate import check_keys, short, to_float, to_int
from ..errors import SpecError
from ..sim.archetypes import (
    FIXED_SIZES,
    OBSERVATION_KINDS,
    NavigationParams,
    ObservationItem,
)
from ..spaces import ActionSpec, BehaviorSignature, ObservationSpec

if TYPE_CHECKING:
    from ..spaces import VectorEnv

_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")


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
"""3DBall's observation layout in ``CollectObservations`` order (Ball3DAgent, mlagents.md §6.5): 8 floats."""

REACH_TARGET_OBSERVATIONS: tuple[ObservationItem, ...] = (
    ObservationItem("velocity", 2),
    ObservationItem("target_direction", 2),
)
"""Reach-target's default observations (the simulator's ReachTarget preset)."""

NAVIGATION_ENV_PARAMETERS: dict[str, float] = {"num_obstacles": 5.0, "move_speed": 5.0}
"""Environment parameters the navigation simulator and generated Agent read at episode start (defaults)."""

BALANCE_ENV_PARAMETERS: dict[str, float] = {"mass": 1.0, "scale": 1.0, "gravity": 9.81}
"""3DBall's float properties (mlagents.md §7) and their defaults."""

_ALLOWED_REWARDS: dict[Archetype, frozenset[RewardKind]] = {
    Archetype.NAVIGATION: frozenset(
        {RewardKind.REACH_TARGET, RewardKind.COLLISION, RewardKind.TIME, RewardKind.PROGRESS}
    ),
    Archetype.REACH_TARGET: frozenset(
        {RewardKind.REACH_TARGET, RewardKind.COLLISION, RewardKind.TIME, RewardKind.PROGRESS}
    ),
    Archetype.BALANCE: frozenset({RewardKind.ALIVE, RewardKind.FALL}),
}
_REQUIRED_END: dict[Archetype, EndKind] = {
    Archetype.NAVIGATION: EndKind.TARGET_REACHED,
    Archetype.REACH_TARGET: EndKind.TARGET_REACHED,
    Archetype.BALANCE: EndKind.BALL_DROPPED,
}
_HEURISTIC: dict[Archetype, HeuristicKind] = {
    Archetype.NAVIGATION: HeuristicKind.SEEK_TARGET,
    Archetype.REACH_TARGET: HeuristicKind.SEEK_TARGET,
    Archetype.BALANCE: HeuristicKind.LEVEL_PLATFORM,
}

NAVIGATION_CONTINUOUS = ActionSpec(continuous_size=2)
"""Navigation continuous actions: [0] = move x, [1] = move z, each in [-1, 1] times ``move_speed``."""
NAVIGATION_DISCRETE = ActionSpec(discrete_branches=(5,))
"""Navigation discrete actions: one branch of 5 (``sim.archetypes.DISCRETE_MOVES``)."""
BALANCE_ACTIONS = ActionSpec(continuous_size=2)
"""3DBall actions: [0] = rotation about z, [1] = rotation about x (2 degrees per unit, clamped to [-1, 1])."""


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
        object.__setattr__(self, "kind", _enum(RewardKind, self.kind, "reward kind"))
        if not isinstance(self.weight, (int, float)) or not math.isfinite(self.weight):
            raise SpecError(
                f"reward '{self.kind.value}': weight must be a finite number, got {short(self.weight)}"
            )


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
        object.__setattr__(self, "archetype", _enum(Archetype, self.archetype, "archetype"))
        object.__setattr__(self, "heuristic", _enum(HeuristicKind, self.heuristic, "heuristic"))
        object.__setattr__(self, "observations", tuple(self.observations))
        object.__setattr__(self, "rewards", tuple(self.rewards))
        object.__setattr__(
            self, "end_conditions", tuple(_enum(EndKind, e, "end condition") for e in self.end_conditions)
        )
        object.__setattr__(
            self, "env_parameters", tuple(sorted((str(k), float(v)) for k, v in self.env_parameters))
        )
        if not isinstance(self.behavior_name, str) or not _NAME_RE.fullmatch(self.behavior_name):
            raise SpecError(
                f"behavior_name must start with a letter and hold only letters, digits and '_' "
                f"(at most 64), got {short(self.behavior_name)}"
            )
        if not isinstance(self.max_step, int) or not 1 <= self.max_step <= 1_000_000:
            raise SpecError(f"max_step must be an integer in [1, 1000000], got {short(self.max_step)}")
        if not isinstance(self.decision_period, int) or not 1 <= self.decision_period <= 20:
            # DecisionRequester.DecisionPeriod is a [Range(1, 20)] field (mlagents.md §6.4)
            raise SpecError(
                f"decision_period must be an integer in [1, 20], got {short(self.decision_period)}"
            )
        if EndKind.MAX_STEP not in self.end_conditions:
            raise SpecError("end_conditions must include 'max_step' (MaxStep always interrupts an episode)")
        required = _REQUIRED_END[self.archetype]
        if required not in self.end_conditions:
            raise SpecError(
                f"end_conditions of a {self.archetype.value} behavior must include '{required.value}'"
            )
        extra_ends = set(self.end_conditions) - {EndKind.MAX_STEP, required}
        if extra_ends:
            names = sorted(e.value for e in extra_ends)
            raise SpecError(f"end_conditions {names} do not apply to a {self.archetype.value} behavior")
        if self.heuristic is not _HEURISTIC[self.archetype]:
            raise SpecError(
                f"heuristic of a {self.archetype.value} behavior must be '{_HEURISTIC[self.archetype].value}'"
            )
        kinds = [r.kind for r in self.rewards]
        if len(set(kinds)) != len(kinds):
            raise SpecError(f"rewards: each kind at most once, got {[k.value for k in kinds]}")
        not_allowed = sorted(k.value for k in set(kinds) - _ALLOWED_REWARDS[self.archetype])
        if not_allowed:
            allowed = sorted(k.value for k in _ALLOWED_REWARDS[self.archetype])
            raise SpecError(
                f"rewards {not_allowed} do not apply to a {self.archetype.value} behavior "
                f"(expected some of {allowed})"
            )
        names = [k for k, _ in self.env_parameters]
        if len(set(names)) != len(names):
            raise SpecError(f"env_parameters: duplicate names in {names}")
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
        unknown = sorted(set(dict(self.env_parameters)) - set(BALANCE_ENV_PARAMETERS))
        if unknown:
            raise SpecError(
                f"env_parameters {unknown} unknown to balance (expected some of "
                f"{sorted(BALANCE_ENV_PARAMETERS)})"
            )

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
        unknown = sorted(set(dict(self.env_parameters)) - set(NAVIGATION_ENV_PARAMETERS))
        if unknown:
            raise SpecError(
                f"env_parameters {unknown} unknown to {self.archetype.value} (expected some of "
                f"{sorted(NAVIGATION_ENV_PARAMETERS)})"
            )
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
        from .. import sim  # the simulator is heavier than the IR; import on use

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
        if not isinstance(data, Mapping):
            raise SpecError(f"{source}: expected an object, got {type(data).__name__}")
        top = {f.name for f in fields(cls)}
        optional = {"rays", "arena"}
        _check_keys(data, top, top - optional, source)
        try:
            actions = data["actions"]
            _check_keys(actions, {"continuous_size", "discrete_branches"}, set(), "actions")
            rays = data.get("rays")
            arena = data.get("arena")
            if rays is not None:
                _check_keys(rays, {f.name for f in fields(RaySensor)}, set(), "rays")
            if arena is not None:
                _check_keys(arena, {f.name for f in fields(ArenaSpec)}, set(), "arena")
            observations = []
            for i, item in enumerate(_as_list(data["observations"], f"{source}: observations")):
                _check_keys(item, {"kind", "size"}, {"kind", "size"}, f"observations[{i}]")
                observations.append(
                    SensorItem(str(item["kind"]), _as_int(item["size"], f"observations[{i}].size"))
                )
            rewards = []
            for i, item in enumerate(_as_list(data["rewards"], f"{source}: rewards")):
                _check_keys(item, {"kind", "weight"}, {"kind", "weight"}, f"rewards[{i}]")
                rewards.append(RewardTerm(item["kind"], _as_float(item["weight"], f"rewards[{i}].weight")))
            env_parameters = data["env_parameters"]
            if not isinstance(env_parameters, Mapping):
                raise SpecError(f"{source}: env_parameters must be a mapping of name to default")
            return cls(
                behavior_name=data["behavior_name"],
                archetype=data["archetype"],
                observations=tuple(observations),
                actions=ActionSpec(
                    continuous_size=_as_int(actions.get("continuous_size", 0), "actions.continuous_size"),
                    discrete_branches=tuple(
                        _as_int(b, "actions.discrete_branches")
                        for b in _as_list(actions.get("discrete_branches", []), "actions.discrete_branches")
                    ),
                ),
                rewards=tuple(rewards),
                end_conditions=tuple(_as_list(data["end_conditions"], f"{source}: end_conditions")),
                max_step=_as_int(data["max_step"], "max_step"),
                decision_period=_as_int(data["decision_period"], "decision_period"),
                env_parameters=tuple(
                    (str(k), _as_float(v, f"env_parameters.{k}")) for k, v in env_parameters.items()
                ),
                heuristic=data["heuristic"],
                rays=None
                if rays is None
                else RaySensor(
                    num_rays=_as_int(rays.get("num_rays", 8), "rays.num_rays"),
                    degrees=_as_float(rays.get("degrees", 360.0), "rays.degrees"),
                    length=_as_float(rays.get("length", 20.0), "rays.length"),
                    detectable_tags=tuple(
                        str(t)
                        for t in _as_list(rays.get("detectable_tags", ["wall", "obstacle"]), "rays.tags")
                    ),
                ),
                arena=None
                if arena is None
                else ArenaSpec(
                    **{
                        k: (_as_int(v, f"arena.{k}") if k == "num_obstacles" else _as_float(v, f"arena.{k}"))
                        for k, v in arena.items()
                    }
                ),
            )
        except SpecError as exc:
            if str(exc).startswith(source):
                raise
            raise SpecError(f"{source}: {exc}") from None

    @staticmethod
    def json_schema() -> dict[str, Any]:
        """Return a JSON Schema of ``to_dict()``'s shape (for LLM prompts; ``from_dict`` is the real check).

        Returns:
            A JSON Schema (draft 2020-12) object.

        """
        number = {"type": "number"}
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "BehaviorSpec",
            "type": "object",
            "additionalProperties": False,
            "required": [
                "behavior_name",
                "archetype",
                "observations",
                "actions",
                "rewards",
                "end_conditions",
                "max_step",
                "decision_period",
                "env_parameters",
                "heuristic",
            ],
            "properties": {
                "behavior_name": {"type": "string", "pattern": _NAME_RE.pattern},
                "archetype": {"enum": [a.value for a in Archetype]},
                "observations": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["kind", "size"],
                        "properties": {
                            "kind": {"enum": sorted(OBSERVATION_KINDS) + list(BALANCE_OBSERVATIONS)},
                            "size": {"type": "integer", "minimum": 1},
                        },
                    },
                },
                "actions": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "continuous_size": {"type": "integer", "minimum": 0},
                        "discrete_branches": {"type": "array", "items": {"type": "integer", "minimum": 1}},
                    },
                },
                "rewards": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["kind", "weight"],
                        "properties": {"kind": {"enum": [k.value for k in RewardKind]}, "weight": number},
                    },
                },
                "end_conditions": {"type": "array", "items": {"enum": [e.value for e in EndKind]}},
                "max_step": {"type": "integer", "minimum": 1},
                "decision_period": {"type": "integer", "minimum": 1, "maximum": 20},
                "env_parameters": {"type": "object", "additionalProperties": number},
                "heuristic": {"enum": [h.value for h in HeuristicKind]},
                "rays": {
                    "type": ["object", "null"],
                    "additionalProperties": False,
                    "properties": {
                        "num_rays": {"type": "integer", "minimum": 1, "maximum": 64},
                        "degrees": number,
                        "length": number,
                        "detectable_tags": {"type": "array", "items": {"enum": ["wall", "obstacle"]}},
                    },
                },
                "arena": {
                    "type": ["object", "null"],
                    "additionalProperties": False,
                    "properties": {
                        **{f.name: number for f in fields(ArenaSpec) if f.name != "num_obstacles"},
                        "num_obstacles": {"type": "integer", "minimum": 0, "maximum": 32},
                    },
                },
            },
        }


# --- defaults per archetype ---


def default_spec(archetype: Archetype, behavior_name: str, **changes: Any) -> BehaviorSpec:
    """Return the archetype's default behavior (the simulator's defaults), with ``changes`` applied.

    Args:
        archetype: the task family.
        behavior_name: the behavior name.
        **changes: fields of ``BehaviorSpec`` to override.

    Returns:
        A validated spec.

    """
    archetype = _enum(Archetype, archetype, "archetype")
    base: dict[str, Any]
    if archetype is Archetype.BALANCE:
        base = {
            "observations": tuple(SensorItem(k, s) for k, s in BALANCE_OBSERVATIONS.items()),
            "actions": BALANCE_ACTIONS,
            "rewards": (RewardTerm(RewardKind.ALIVE, 0.1), RewardTerm(RewardKind.FALL, -1.0)),
            "end_conditions": (EndKind.BALL_DROPPED, EndKind.MAX_STEP),
            # 3DBall prefab: MaxStep 5000, DecisionPeriod 5 (mlagents.md §7)
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


# --- strict-loading helpers ---


def _enum(cls: type[Enum], value: Any, what: str) -> Any:
    if isinstance(value, cls):
        return value
    try:
        return cls(value)
    except ValueError:
        raise SpecError(f"{what} must be one of {[m.value for m in cls]}, got {short(value)}") from None


def _check_keys(data: Any, allowed: set[str], required: set[str], where: str) -> None:
    check_keys(data, sorted(allowed), where, required=sorted(required))


def _as_list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, (list, tuple)):
        raise SpecError(f"{where}: expected a list, got {type(value).__name__}")
    return list(value)


def _as_int(value: Any, where: str) -> int:
    return to_int(value, where)


def _as_float(value: Any, where: str) -> float:
    return to_float(value, where)
