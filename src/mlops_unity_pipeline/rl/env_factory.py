"""Resolve ``--env`` into environments: ``sim:TASK`` builds the headless simulator with ``num_envs`` areas.

As with ``mlagents-learn --num-envs``/``--num-areas``, more areas mean more agents of the same behavior
stepped together; each simulator area holds the task's default agent count (3DBall 12, the others 1).
``sim:Chase`` is a multi-behavior toy (``sim/tasks/chase.py``): each area holds one agent of each behavior.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import sim
from ..errors import ConfigError
from ..sim.catalog import MULTI_BEHAVIOR_TASKS
from ..spaces import MultiBehaviorEnv, VectorEnv

EnvFactory = Callable[[int, "int | None"], "VectorEnv | MultiBehaviorEnv"]
"""``factory(num_agents, seed) -> VectorEnv`` (or a ``MultiBehaviorEnv`` of ``num_agents`` areas)."""

SIM_PREFIX = "sim:"


def is_multi_behavior_task(task: str) -> bool:
    """Return whether ``task`` (canonical name) is one of ``MULTI_BEHAVIOR_TASKS``.

    Args:
        task: a name ``parse_env`` returned.

    Returns:
        True for a multi-behavior task.

    """
    return task in MULTI_BEHAVIOR_TASKS


def parse_env(env: str) -> str:
    """Return the simulator task named by ``--env sim:TASK`` (canonical spelling).

    Args:
        env: the ``--env`` value.

    Returns:
        The task name, e.g. ``"3DBall"``.

    Raises:
        ConfigError: not ``sim:TASK``, or an unknown task (the known ones are listed).

    """
    if not isinstance(env, str) or not env.startswith(SIM_PREFIX):
        raise ConfigError(
            f"--env {env!r}: the built-in trainer trains simulator tasks given as 'sim:TASK' (tasks: "
            f"{', '.join([*sim.task_names(), *MULTI_BEHAVIOR_TASKS])}) or a player executable"
        )
    task = env[len(SIM_PREFIX) :]
    multi = {name.lower(): name for name in MULTI_BEHAVIOR_TASKS}
    if task.lower() in multi:
        return multi[task.lower()]
    try:
        return sim.canonical_task_name(task)
    except Exception as exc:  # the simulator raises SpecError listing its tasks
        raise ConfigError(f"--env {env!r}: {exc}") from exc


def default_agents(task: str) -> int:
    """Agents in one area of a simulator task (``TaskInfo.default_num_agents``).

    Args:
        task: canonical task name.

    Returns:
        The default agent count.

    """
    if task in MULTI_BEHAVIOR_TASKS:
        return 1  # one agent of each behavior per area
    for info in sim.list_tasks():
        if info.name == task:
            return int(info.default_num_agents)
    return 1


def sim_factory(task: str, engine_settings: Any | None = None) -> EnvFactory:
    """Return a factory building the simulator ``task`` with the run's engine settings.

    Args:
        task: canonical task name.
        engine_settings: the run's ``EngineSettings`` (width, height, quality, time scale, frame rates).

    Returns:
        ``factory(num_agents, seed)``; for a multi-behavior task ``num_agents`` counts areas, and the engine
        settings do not apply (the toy renders nothing and has no physics clock).

    """
    if task in MULTI_BEHAVIOR_TASKS:
        return MULTI_BEHAVIOR_TASKS[task]

    engine = None
    if engine_settings is not None:
        engine = sim.EngineConfig(
            width=engine_settings.width,
            height=engine_settings.height,
            quality_level=engine_settings.quality_level,
            time_scale=engine_settings.time_scale,
            target_frame_rate=engine_settings.target_frame_rate,
            capture_frame_rate=engine_settings.capture_frame_rate,
        )

    def factory(num_agents: int, seed: int | None) -> VectorEnv:
        return sim.make(task, num_agents=num_agents, seed=seed, engine=engine)

    return factory
