"""Throughput measurement shared by ``sim bench`` and ``bench/bench_sim.py``."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ..errors import SpecError
from ..spaces import ActionTuple
from .catalog import canonical_task_name, make


def measure(task: str, *, num_agents: int, seconds: float = 1.0, seed: int = 0) -> dict[str, Any]:
    """Step ``task`` with a fixed random action batch for about ``seconds`` and report rates.

    Args:
        task: a built-in task name.
        num_agents: agents stepped together.
        seconds: time budget (at least 10 decisions are measured).
        seed: environment seed.

    Returns:
        ``task``, ``num_agents``, ``decisions`` measured, ``seconds``, ``batch_steps_per_sec`` (``step`` calls),
        ``decision_steps_per_sec`` (agents x calls: the ``steps_per_sec`` a trainer sees),
        ``physics_steps_per_sec`` (x decision period) and ``steps_per_sec`` (= decision steps).

    Raises:
        SpecError: unknown task or a non-positive budget.
    """
    if seconds <= 0:
        raise SpecError(f"bench: seconds must be > 0, got {seconds}")
    env = make(task, num_agents=num_agents, seed=seed)
    spec = env.signature.action_spec
    rng = np.random.default_rng(seed)
    actions = ActionTuple(
        rng.uniform(-1, 1, (num_agents, spec.continuous_size)).astype(np.float32),
        np.stack([rng.integers(0, b, num_agents) for b in spec.discrete_branches], axis=1).astype(np.int32)
        if spec.discrete_branches
        else np.zeros((num_agents, 0), np.int32),
    )
    env.reset()
    for _ in range(5):  # warm-up
        env.step(actions)
    calls = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(10):
            env.step(actions)
        calls += 10
        now = time.perf_counter()
        if now >= deadline:
            break
    elapsed = now - start
    batch_rate = calls / elapsed
    return {
        "task": canonical_task_name(task),
        "num_agents": num_agents,
        "decisions": calls,
        "seconds": elapsed,
        "decision_period": env.decision_period,
        "batch_steps_per_sec": batch_rate,
        "decision_steps_per_sec": batch_rate * num_agents,
        "physics_steps_per_sec": batch_rate * num_agents * env.decision_period,
        "steps_per_sec": batch_rate * num_agents,
    }
