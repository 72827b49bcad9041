"""The task catalog: ``make`` a simulator by task name and ``list_tasks`` with their signatures."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import SpecError
from ..spaces import BehaviorSignature, MultiBehaviorEnv
from ..world import World, library_worlds, load_world
from .archetypes import NavigationParams, ObservationItem
from .core import SimEnv
from .engine_config import EngineConfig
from .tasks.ball3d import Ball3DEnv
from .tasks.ball3d_hard import Ball3DHardEnv
from .tasks.basic import BasicEnv
from .tasks.chase import ChaseEnv
from .tasks.gridworld import GridWorldEnv
from .tasks.hallway import HallwayEnv
from .tasks.navigation import NavigationEnv
from .tasks.pushblock import PushBlockEnv
from .tasks.pushblock_collab import PushBlockCollabEnv
from .tasks.walljump import WallJumpEnv
from .world_env import WorldEnv
from .world_platform import DEFAULT_PLATFORMS, PlatformWorldEnv


@dataclass(frozen=True)
class TaskInfo:
    """A built-in task as ``sim list`` shows it."""

    name: str
    """Task name accepted by ``make`` (case-insensitive)."""
    description: str
    """One line: what the agent does."""
    signature: BehaviorSignature
    """Behavior name, observation specs and action spec."""
    max_step: int
    """Agent MaxStep in physics steps (0 = unlimited)."""
    decision_period: int
    """Physics steps per decision."""
    env_parameters: dict[str, float] = field(default_factory=dict)
    """Environment (reset) parameters and their defaults."""
    default_num_agents: int = 1
    """Agents ``make`` creates when ``num_agents`` is None."""
    agents_per_group: int = 0
    """Agents per multi-agent group (``SimpleMultiAgentGroup``); 0 for single-agent tasks."""

    def to_dict(self) -> dict[str, object]:
        """JSON-ready summary (used by ``sim list --json``)."""
        spec = self.signature.action_spec
        return {
            "name": self.name,
            "description": self.description,
            "behavior_name": self.signature.name,
            "observation_shapes": [list(o.shape) for o in self.signature.observation_specs],
            "continuous_actions": spec.continuous_size,
            "discrete_branches": list(spec.discrete_branches),
            "max_step": self.max_step,
            "decision_period": self.decision_period,
            "env_parameters": dict(self.env_parameters),
            "default_num_agents": self.default_num_agents,
            "agents_per_group": self.agents_per_group,
        }


def reach_target_params() -> NavigationParams:
    """Return the reach-target preset: navigation without obstacles or rays ("Reach target position")."""
    return NavigationParams(
        behavior_name="ReachTarget",
        observations=(ObservationItem("velocity", 2), ObservationItem("target_direction", 2)),
        num_obstacles=0,
        env_parameter_defaults={"num_obstacles": 0.0, "move_speed": 5.0},
    )


def _make_basic(num_agents: int, seed: int | None, engine: EngineConfig | None, params: object) -> SimEnv:
    return BasicEnv(num_agents, seed=seed, engine=engine)


def _make_ball(num_agents: int, seed: int | None, engine: EngineConfig | None, params: object) -> SimEnv:
    return Ball3DEnv(num_agents, seed=seed, engine=engine)


def _make_ball_hard(num_agents: int, seed: int | None, engine: EngineConfig | None, params: object) -> SimEnv:
    return Ball3DHardEnv(num_agents, seed=seed, engine=engine)


def _make_pushblock(num_agents: int, seed: int | None, engine: EngineConfig | None, params: object) -> SimEnv:
    return PushBlockEnv(num_agents, seed=seed, engine=engine)


def _make_pushblock_collab(
    num_agents: int, seed: int | None, engine: EngineConfig | None, params: object
) -> SimEnv:

    return PushBlockCollabEnv(num_agents, seed=seed, engine=engine)


def _make_hallway(num_agents: int, seed: int | None, engine: EngineConfig | None, params: object) -> SimEnv:
    return HallwayEnv(num_agents, seed=seed, engine=engine)


def _make_walljump(behavior: str) -> Callable[..., SimEnv]:
    def factory(num_agents: int, seed: int | None, engine: EngineConfig | None, params: object) -> SimEnv:
        return WallJumpEnv(num_agents, behavior=behavior, seed=seed, engine=engine)

    return factory


def _make_gridworld(num_agents: int, seed: int | None, engine: EngineConfig | None, params: object) -> SimEnv:
    return GridWorldEnv(num_agents, seed=seed, engine=engine)


def _make_nav(default: Callable[[], NavigationParams]) -> Callable[..., SimEnv]:
    def factory(num_agents: int, seed: int | None, engine: EngineConfig | None, params: object) -> SimEnv:
        chosen = default() if params is None else params
        if not isinstance(chosen, NavigationParams):
            raise SpecError(f"params must be a NavigationParams, got {type(chosen).__name__}")
        return NavigationEnv(chosen, num_agents, seed=seed, engine=engine)

    return factory


_FACTORIES: dict[str, tuple[str, int, Callable[..., SimEnv]]] = {
    "Basic": ("walk a line to the small (7) or large (17) goal; ML-Agents Basic", 1, _make_basic),
    "3DBall": ("balance a ball on a tilting platform; ML-Agents 3DBall", 12, _make_ball),
    "3DBallHard": (
        "3DBall without the ball's velocity, 9 stacked observations; ML-Agents 3DBallHard",
        12,
        _make_ball_hard,
    ),
    "PushBlock": (
        "push a block into the goal zone, two stacked ray sensors; ML-Agents PushBlock",
        32,
        _make_pushblock,
    ),
    "PushBlockCollab": (
        "three grouped agents push blocks needing 1-3 of them into the goal; ML-Agents PushBlockCollab",
        3,
        _make_pushblock_collab,
    ),
    "Hallway": (
        "remember the cue block (O or X), then touch the matching goal; a memory task; ML-Agents Hallway",
        16,
        _make_hallway,
    ),
    "SmallWallJump": (
        "jump a small wall (or none) to the goal, two ray sensors and position; ML-Agents WallJump",
        24,
        _make_walljump("SmallWallJump"),
    ),
    "BigWallJump": (
        "push a block to a high wall, climb it and jump over to the goal; ML-Agents WallJump",
        24,
        _make_walljump("BigWallJump"),
    ),
    "GridWorld": (
        "step onto the green plus, not the red ex, seen by a top-down camera; ML-Agents GridWorld",
        9,
        _make_gridworld,
    ),
    "Navigation": (
        "reach a target around obstacles with a ray sensor (archetype)",
        1,
        _make_nav(NavigationParams),
    ),
    "ReachTarget": (
        "reach a target position in an empty arena (archetype)",
        1,
        _make_nav(reach_target_params),
    ),
}


WORLD_PREFIX = "world:"
"""Task names ``world:<Name>`` run a shipped world (``world/library/<Name>.yaml``) or, when the rest is a path
ending in ``.yaml``, ``.yml`` or ``.json``, a user's world file."""
WORLD_NUM_AGENTS = 16
"""Areas a world runs when ``num_agents`` is None (``agent.count`` agents each)."""


def _make_world_file(path: Path) -> Callable[..., SimEnv]:
    def factory(num_agents: int, seed: int | None, engine: EngineConfig | None, params: object) -> SimEnv:
        return make_world(load_world(path), num_agents=num_agents, seed=seed, engine=engine)

    return factory


def _agents_per_area(path: Path) -> int:
    """Return ``agent.count`` of a shipped world file, read without validating it (``make`` validates)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    agent = data.get("agent") if isinstance(data, dict) else None
    count = agent.get("count", 1) if isinstance(agent, dict) else 1
    return count if isinstance(count, int) and count >= 1 else 1


def _default_areas(path: Path) -> int:
    """Return the areas a shipped world runs by default (a platform world: 3DBall's 12 platforms)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    agent = data.get("agent") if isinstance(data, dict) else None
    return DEFAULT_PLATFORMS if isinstance(agent, dict) and agent.get("platform") else WORLD_NUM_AGENTS


_WORLD_AGENTS: dict[str, int] = {}
"""Agents per area of each shipped world (whole areas: ``list_tasks`` makes one)."""
for _stem, _path in library_worlds().items():
    _WORLD_AGENTS[WORLD_PREFIX + _stem] = _agents_per_area(_path)
    _FACTORIES[WORLD_PREFIX + _stem] = (
        f"{_stem} rebuilt as a world file, run by the generic simulator (world/library/{_path.name})",
        _default_areas(_path) * _WORLD_AGENTS[WORLD_PREFIX + _stem],
        _make_world_file(_path),
    )


def _world_path(task: str) -> Path | None:
    """Return the file of a ``world:<path>`` task name (None when ``task`` is no such name)."""
    if task.lower().startswith(WORLD_PREFIX) and task.lower().endswith((".yaml", ".yml", ".json")):
        return Path(task[len(WORLD_PREFIX) :])
    return None


def make_world(
    world: World | Path | str,
    *,
    num_agents: int | None = None,
    seed: int | None = None,
    engine: EngineConfig | None = None,
    env_parameters: Mapping[str, float] | None = None,
) -> SimEnv:
    """Create the simulator for a world (``sim.world_env.WorldEnv``; ``sim.world_platform`` for a platform).

    Args:
        world: a ``World`` or the path of a world file.
        num_agents: agents run side by side, a multiple of the world's ``agent.count`` (whole areas);
            None = ``WORLD_NUM_AGENTS`` areas (a platform world: ``DEFAULT_PLATFORMS``, 3DBall's 12).
        seed: seed of the environment's random generator.
        engine: engine configuration (default: training).
        env_parameters: initial environment (reset) parameters.

    Returns:
        The simulator, not yet reset.

    Raises:
        SpecError: an invalid world file, or a world using features the simulator does not run (named).

    """
    if not isinstance(world, World):
        world = load_world(world)
    if world.agent.platform is not None:  # a tilting platform with balls: its own scene (sim.world_platform)
        platforms = DEFAULT_PLATFORMS if num_agents is None else int(num_agents)
        env: SimEnv = PlatformWorldEnv(world, platforms, seed=seed, engine=engine)
    else:
        count = WORLD_NUM_AGENTS * world.agent.count if num_agents is None else int(num_agents)
        env = WorldEnv(world, count, seed=seed, engine=engine)
    if env_parameters:
        env.set_env_parameters(env_parameters)
    return env


def task_names() -> list[str]:
    """Names of the built-in tasks."""
    return list(_FACTORIES)


def canonical_task_name(task: str) -> str:
    """Return the catalog spelling of ``task`` (case-insensitive).

    Args:
        task: a task name in any case.

    Returns:
        The canonical name.

    Raises:
        SpecError: unknown task (the message lists the known ones).

    """
    if _world_path(str(task)) is not None:
        return str(task)
    lookup = {name.lower(): name for name in _FACTORIES}
    name = lookup.get(str(task).lower())
    if name is None:
        raise SpecError(f"unknown simulator task '{task}' (expected one of {task_names()})")
    return name


def make(
    task: str,
    *,
    num_agents: int | None = None,
    seed: int | None = None,
    params: NavigationParams | None = None,
    engine: EngineConfig | None = None,
    env_parameters: Mapping[str, float] | None = None,
) -> SimEnv:
    """Create a simulator for a built-in task.

    Args:
        task: a name of ``task_names()`` such as ``"3DBall"`` or ``"world:PushBlock"`` (case-insensitive), or
            ``"world:<path>.yaml"`` for a user's world file.
        num_agents: agents stepped together; None = the task's default (3DBall and 3DBallHard 12, PushBlock
            32, PushBlockCollab 3 = one group, worlds 16 areas, others 1); PushBlockCollab needs a multiple
            of 3.
        seed: seed of the environment's random generator.
        params: behavior parameters for Navigation/ReachTarget (defaults: ``NavigationParams()`` / the
            reach-target preset).
        engine: engine configuration (default: training).
        env_parameters: initial environment (reset) parameters.

    Returns:
        The simulator (a ``spaces.VectorEnv``), not yet reset.

    Raises:
        SpecError: unknown task, ``params`` given to a task without them, or an unknown env parameter.

    """
    name = canonical_task_name(task)
    path = _world_path(name)
    if path is not None:
        if params is not None:
            raise SpecError("params (NavigationParams) do not apply to worlds")
        return make_world(
            path, num_agents=num_agents, seed=seed, engine=engine, env_parameters=env_parameters
        )
    _, default_agents, factory = _FACTORIES[name]
    if params is not None and name not in ("Navigation", "ReachTarget"):
        raise SpecError(f"params (NavigationParams) apply to Navigation and ReachTarget, not to '{name}'")
    env = factory(default_agents if num_agents is None else int(num_agents), seed, engine, params)
    if env_parameters:
        env.set_env_parameters(env_parameters)
    return env


def make_navigation(params: NavigationParams, *, num_agents: int = 1, seed: int | None = None) -> SimEnv:
    """Create a navigation (or reach-target) simulator from a behavior's ``NavigationParams``.

    Args:
        params: the behavior (codegen IR's ``to_navigation_params()``).
        num_agents: agents stepped together.
        seed: seed of the environment's random generator.

    Returns:
        The simulator, not yet reset.

    """
    return _make_nav(NavigationParams)(num_agents, seed, None, params)


def list_tasks() -> list[TaskInfo]:
    """Every built-in task with its signature, episode settings and env parameters."""
    infos = []
    for name, (description, default_agents, _) in _FACTORIES.items():
        env = make(name, num_agents=_WORLD_AGENTS.get(name, default_agents))  # one area, whole groups
        world = getattr(env, "world", None)  # a shipped world describes itself
        infos.append(
            TaskInfo(
                name=name,
                description=f"{world.description} (world/library)"
                if world and world.description
                else description,
                signature=env.signature,
                max_step=env.max_step,
                decision_period=env.decision_period,
                env_parameters=env.env_parameter_defaults,
                default_num_agents=default_agents,
                agents_per_group=env.agents_per_group,
            )
        )
    return infos


def _make_chase(num_areas: int, seed: int | None) -> MultiBehaviorEnv:
    return ChaseEnv(num_areas, seed=seed)


MULTI_BEHAVIOR_TASKS: dict[str, Callable[[int, int | None], MultiBehaviorEnv]] = {"Chase": _make_chase}
"""Simulator tasks of several behaviors, by name: ``factory(num_areas, seed)``. They stand outside
``list_tasks``, whose entries are the single-behavior ``SimEnv`` tasks that ``sim eval`` and the
Gymnasium view take."""
