"""Record simulator episodes into ``.demo`` files, the way Unity's ``DemonstrationRecorder`` does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from .. import sim
from ..errors import SpecError
from ..sim.heuristics import heuristic_policy
from ..sim.onnx_policy import OnnxRuntimePolicy
from ..spaces import ActionTuple, StepBatch, VectorEnv
from .model import DemoStep
from .writer import DemoWriter

PolicyFn = Callable[[StepBatch], ActionTuple]
"""A policy as the simulator defines it (``sim.policies.Policy``)."""

HEURISTIC = "heuristic"
"""``policy`` value selecting the task's scripted controller (``sim.heuristics.heuristic_policy``)."""


def _step(batch: StepBatch, obs: tuple[np.ndarray, ...], actions: ActionTuple, *, done: bool) -> DemoStep:
    mask = None if batch.action_mask is None else batch.action_mask[0]
    grouped = batch.group_id is not None and batch.group_reward is not None
    return DemoStep(
        obs=tuple(o[0] for o in obs),
        reward=float(batch.reward[0]),
        done=done,
        max_step_reached=done and bool(batch.truncated[0]),
        continuous_actions=actions.continuous[0],
        discrete_actions=actions.discrete[0],
        action_mask=mask,
        group_id=int(batch.group_id[0]) if grouped else 0,  # multi-agent tasks: agent 0's group
        group_reward=float(batch.group_reward[0]) if grouped else 0.0,
    )


def record_episodes(
    env: VectorEnv, policy: PolicyFn, writer: DemoWriter, *, episodes: int, seed: int | None = None
) -> int:
    """Run ``policy`` on agent 0 of ``env`` for ``episodes`` episodes, writing every decision.

    Each step stores the observation the agent saw and the action it then took (as in upstream recordings,
    e.g. ``ExpertBasic.demo``). When an episode ends, its final observation and reward are written as a
    ``done`` step carrying the last action, then the new episode starts with reward 0 (same-step autoreset).

    Args:
        env: a simulator with one agent (extra agents are stepped but not recorded).
        policy: a ``sim.policies.Policy``.
        writer: where steps go.
        episodes: episodes to record (>= 1).
        seed: reset seed.

    Returns:
        The number of steps written.

    Raises:
        SpecError: ``episodes`` < 1.

    """
    if episodes < 1:
        raise SpecError(f"episodes must be >= 1, got {episodes}")
    batch = env.reset(seed=seed)
    written = 0
    finished = 0
    while True:
        actions = policy(batch)
        writer.record(_step(batch, batch.obs, actions, done=False))
        written += 1
        batch = env.step(actions)
        if bool(batch.terminated[0] or batch.truncated[0]):
            writer.record(_step(batch, batch.final_obs, actions, done=True))
            written += 1
            finished += 1
            if finished >= episodes:
                return written
            # the next loop iteration writes the new episode's first observation, whose rewards are 0
            batch = batch._replace(reward=np.zeros_like(batch.reward))
            if batch.group_reward is not None:
                batch = batch._replace(group_reward=np.zeros_like(batch.group_reward))


def record_demo(
    task: str,
    *,
    episodes: int,
    out: str | Path,
    policy: str | Path = HEURISTIC,
    seed: int | None = None,
    name: str | None = None,
) -> Path:
    """Record a simulator task into a ``.demo`` file (one agent, ML-Agents' layout; with its group ids).

    Args:
        task: a simulator task (``sim.list_tasks``).
        episodes: episodes to record.
        out: the ``.demo`` file to write.
        policy: ``"heuristic"`` (the task's scripted controller) or an ML-Agents ``.onnx`` model.
        seed: simulator and reset seed.
        name: demonstration name (default: from ``out``), at most 16 characters.

    Returns:
        The file written.

    Raises:
        SpecError: unknown task, a model that does not fit the task, bad ``episodes`` or ``name``.

    """
    # one agent, or one whole group in a multi-agent task (agent 0 is recorded)
    group = next((t.agents_per_group for t in sim.list_tasks() if t.name == sim.canonical_task_name(task)), 0)
    env = sim.make(task, num_agents=max(1, group), seed=seed)
    try:
        if str(policy) == HEURISTIC:
            controller = heuristic_policy(env)
        else:
            controller = OnnxRuntimePolicy(Path(policy), signature=env.signature)
        if episodes < 1:
            raise SpecError(f"episodes must be >= 1, got {episodes}")
        with DemoWriter(out, env.signature, name=name) as writer:
            record_episodes(env, controller, writer, episodes=episodes, seed=seed)
        return writer.path
    finally:
        env.close()
