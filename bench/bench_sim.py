"""Simulator throughput per task for 1, 16 and 256 agents on one core.

Two figures per row: agent *decision* steps per second (what a trainer sees: one observation-action pair per
agent) and agent *physics* steps per second (decision steps x decision period; Unity's FixedUpdate rate).
Actions come from a fixed random batch (policy cost excluded); rays are cast at decisions only. Rates are per
CPU second of this (single-threaded) process, which is what one dedicated core gives even when the machine is
shared; the last column is per wall-clock second. ``engine`` says which path ran: ``numba`` (the compiled
kernels, ``sim.kernels``; the default when numba is installed) or ``numpy`` (the reference path: ``--numpy``,
``MLOPS_SIM_NUMBA=0``, or numba missing). Kernels compile (or load from numba's cache) during the warm-up.
``--agents`` counts areas: a multi-agent task (PushBlockCollab: 3 agents per group) steps that many groups,
and the ``agents`` column shows the agents stepped.

    .venv/bin/python bench/bench_sim.py [--seconds 1.0] [--repeat 3] [--tasks Basic ...] [--agents 1 16 256]
        [--numpy]

Each row is the median of ``--repeat`` runs (by decision rate; the machine may be shared), and the last
column shows the slowest and fastest run's decision rate.

Worlds run by the generic simulator are tasks named ``world:<Name>`` (``sim list``); ``world:FILE.yaml``
measures a world file.
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import json  # noqa: E402
import platform  # noqa: E402

from mlops_unity_pipeline.sim import make  # noqa: E402
from mlops_unity_pipeline.sim.bench import measure_median  # noqa: E402
from mlops_unity_pipeline.sim.catalog import task_names  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="time budget per measurement")
    parser.add_argument(
        "--tasks",
        nargs="+",
        default=None,
        help="tasks to measure (default: every task of sim.list_tasks)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per row; the median is shown")
    parser.add_argument("--agents", nargs="+", type=int, default=[1, 16, 256], help="areas per measurement")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--numpy", action="store_true", help="measure the NumPy path, not the numba kernels")
    args = parser.parse_args()
    if args.repeat < 1 or args.seconds <= 0:
        parser.error(f"--repeat must be >= 1 and --seconds > 0, got {args.repeat} and {args.seconds}")
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass
    tasks = args.tasks or task_names()
    width = max(12, *(len(t) for t in tasks))
    print(
        f"# python {platform.python_version()} on {platform.machine()}, 1 thread; 'decision' = one agent "
        "observation-action pair, 'physics' = decision x decision_period"
    )
    print(
        f"{'task':<{width}} {'agents':>6} {'decisions/s':>14} {'physics steps/s':>16} "
        f"{'batch steps/s':>14} {'wall dec/s':>12} {'engine':>7} {'runs: min-max dec/s':>22}"
    )
    for task in tasks:
        probe = make(task)  # agents per area: a world's agent.count, or a whole group in multi-agent tasks
        per_area = getattr(probe, "agents_per_area", None) or probe.agents_per_group or 1
        for areas in args.agents:
            n = areas * per_area
            result = measure_median(
                task,
                num_agents=n,
                seconds=args.seconds,
                repeat=args.repeat,
                compiled=False if args.numpy else None,
            )
            if args.json:
                print(json.dumps(result))
                continue
            print(
                f"{task:<{width}} {n:>6} {result['decision_steps_per_sec']:>14,.0f} "
                f"{result['physics_steps_per_sec']:>16,.0f} {result['batch_steps_per_sec']:>14,.0f} "
                f"{result['wall_steps_per_sec']:>12,.0f} {'numba' if result['compiled'] else 'numpy':>7} "
                f"{min(result['runs']):>11,.0f}-{max(result['runs']):,.0f}"
            )


if __name__ == "__main__":
    main()
