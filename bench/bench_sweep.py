"""Sweep figures: 8 short real trials (simulator, built-in PPO) at parallelism 1 vs 2, and the efficiency.

Each trial is a full pipeline job without registration (codegen, build, train, evaluate, package). At
parallelism 2 the trials run in two spawned worker processes, each paying its own start-up (imports, the
simulator's first build); efficiency = (time at 1) / (2 x time at 2).

Run: PYTHONPATH=src .venv/bin/python bench/bench_sweep.py [--trials 8] [--steps 2000]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

from mlops_unity_pipeline.sweep import SweepSpec, run_sweep


def spec(trials: int, parallelism: int, steps: int) -> SweepSpec:
    return SweepSpec.from_dict(
        {
            "sweep_id": f"bench-p{parallelism}",
            "asset_spec": {
                "asset_id": "reach-001",
                "name": "ReachAgent",
                "description": "Reach a target position",
            },
            "rl_config": {"max_steps": steps, "num_envs": 4, "seed": 1, "evaluation_episodes": 4},
            "search_space": {
                "hyperparameters.learning_rate": {"type": "float", "low": 1e-4, "high": 3e-3, "log": True},
                "hyperparameters.beta": {"type": "float", "low": 1e-4, "high": 1e-2, "log": True},
            },
            "n_trials": trials,
            "parallelism": parallelism,
            "seed": 0,
            "pruner": {"kind": "none"},
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=8)
    parser.add_argument("--steps", type=int, default=2000)
    args = parser.parse_args()
    print(f"os.cpu_count()={os.cpu_count()}, load average {os.getloadavg()[0]:.1f} (shared machine)")
    wall: dict[int, float] = {}
    for parallelism in (1, 2):
        with tempfile.TemporaryDirectory() as ws:
            start = time.perf_counter()
            result = run_sweep(spec(args.trials, parallelism, args.steps), ws, register=False, report=False)
            wall[parallelism] = time.perf_counter() - start
        durations = [t.duration_s or 0.0 for t in result.trials]
        print(
            f"parallelism {parallelism}: {wall[parallelism]:6.1f} s for {len(result.trials)} trials "
            f"({result.counts}), trial wall {min(durations):.1f}-{max(durations):.1f} s, "
            f"best eval/mean_reward {result.best.value if result.best else float('nan'):.3f}"
        )
    speedup = wall[1] / wall[2]
    print(f"speed-up at parallelism 2: {speedup:.2f}x, efficiency {speedup / 2:.0%}")


if __name__ == "__main__":
    main()
