"""Throughput measurement shared by ``sim bench`` and ``bench/bench_sim.py``."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ..errors import SpecError
from ..spaces import ActionTuple
from .catalog import canonical_task_name, make

_POOL = 16


def measure(
    task: str, *, num_agents: int, seconds: float = 1.0, seed: int = 0, compiled: bool | None = None
) -> dict[str, Any]:
    """Step ``task`` with a fixed random action batch for about ``seconds`` of CPU time and report rates.

    Args:
        task: a built-in task name.
        num_agents: agents stepped together.
        seconds: CPU-time budget (at least 16 decisions are measured).
        seed: environment seed.
        compiled: False measures the NumPy path even where numba kernels exist; None (default) measures
            what ``make`` gives (the kernels when ``sim.accel.kernels()`` finds numba).

    Returns:
        ``task``, ``num_agents``, ``decisions`` measured, ``cpu_seconds``, ``wall_seconds``,
        ``batch_steps_per_sec`` (``step`` calls), ``decision_steps_per_sec`` (agents x calls: the
        ``steps_per_sec`` a trainer sees), ``physics_steps_per_sec`` (x decision period), ``steps_per_sec``
        (= decision steps), ``wall_steps_per_sec`` (decision steps per wall-clock second) and ``compiled``
        (whether the numba kernels ran).

    Raises:
        SpecError: unknown task, a non-positive budget, or ``compiled=True`` without the kernels.

    """
    if seconds <= 0:
        raise SpecError(f"bench: seconds must be > 0, got {seconds}")
    env = make(task, num_agents=num_agents, seed=seed)
    if compiled is not None:
        if compiled and not env.compiled:
            raise SpecError("bench: compiled=True needs numba (pip install numba; MLOPS_SIM_NUMBA not 0)")
        env.compiled = compiled
    spec = env.signature.action_spec
    rng = np.random.default_rng(seed)
    # A pool of random action batches, drawn before timing and cycled, so agents wander like an untrained
    # policy's instead of pushing one way forever.
    pool = [
        ActionTuple(
            rng.uniform(-1, 1, (num_agents, spec.continuous_size)).astype(np.float32),
            np.stack([rng.integers(0, b, num_agents) for b in spec.discrete_branches], axis=1).astype(
                np.int32
            )
            if spec.discrete_branches
            else np.zeros((num_agents, 0), np.int32),
        )
        for _ in range(_POOL)
    ]
    env.reset()
    for actions in pool[:5]:  # warm-up
        env.step(actions)
    # Rates use this process's CPU time: on a shared machine wall time also counts other programs' turns,
    # while CPU time measures what one dedicated core would do. Wall time is reported alongside.
    calls = 0
    start, wall_start = time.process_time(), time.perf_counter()
    while True:
        for actions in pool:
            env.step(actions)
        calls += _POOL
        now = time.process_time()
        if now - start >= seconds:
            break
    elapsed = now - start
    wall = time.perf_counter() - wall_start
    batch_rate = calls / elapsed
    return {
        "task": canonical_task_name(task),
        "num_agents": num_agents,
        "decisions": calls,
        "cpu_seconds": elapsed,
        "wall_seconds": wall,
        "wall_steps_per_sec": calls * num_agents / wall,
        "decision_period": env.decision_period,
        "batch_steps_per_sec": batch_rate,
        "decision_steps_per_sec": batch_rate * num_agents,
        "physics_steps_per_sec": batch_rate * num_agents * env.decision_period,
        "steps_per_sec": batch_rate * num_agents,
        "compiled": bool(env.compiled),
    }


def measure_median(
    task: str,
    *,
    num_agents: int,
    seconds: float = 1.0,
    repeat: int = 3,
    seed: int = 0,
    compiled: bool | None = None,
) -> dict[str, Any]:
    """Run ``measure`` ``repeat`` times and return the run with the median decision rate.

    On a shared machine one run can fall on a busy moment; the median of a few is the figure to quote (for
    an even count, the lower middle run).

    Args:
        task: a built-in task name.
        num_agents: agents stepped together.
        seconds: CPU-time budget per run.
        repeat: runs (at least 1).
        seed: environment seed.
        compiled: as for ``measure``.

    Returns:
        ``measure``'s result of the median run plus ``runs``: every run's decision steps per second, in
        order.

    Raises:
        SpecError: ``repeat`` below 1, or what ``measure`` raises.

    """
    if repeat < 1:
        raise SpecError(f"bench: repeat must be >= 1, got {repeat}")
    results = [
        measure(task, num_agents=num_agents, seconds=seconds, seed=seed, compiled=compiled)
        for _ in range(repeat)
    ]
    ranked = sorted(results, key=lambda r: r["decision_steps_per_sec"])
    return {**ranked[(repeat - 1) // 2], "runs": [r["decision_steps_per_sec"] for r in results]}
