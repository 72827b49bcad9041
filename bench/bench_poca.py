"""POCA vs independent PPO on the toy group task: learning curves and steps per second.

Trains MA-POCA (``trainer_type: poca``) and independent PPO (the group reward added to each member's own
reward) with the same hyperparameters on ``tests/rl/group_env.py``'s ``GroupCue`` with ``sacrifice_bonus``
(the DungeonEscape pattern: one member must leave the group for the others to earn triple reward; groups of
2-3 agents, members leaving and joining mid-episode). Prints, per trainer and seed, the mean group return of
area episodes in each fifth of the budget (max 2.75 with a sacrifice at the first step, 1.0 without any), and
agent steps per second of the whole act/step/observe/update loop, on one torch thread. The machine's load
average is printed too: on a shared CPU the speeds are lower bounds.

    .venv/bin/python bench/bench_poca.py
    .venv/bin/python bench/bench_poca.py --steps 60000 --seeds 0 1 2 3 --areas 16
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the toy env lives with the tests

from mlops_unity_pipeline.rl.learn import make_trainer  # noqa: E402
from tests.rl.group_env import GroupCue, IndependentRewards, sacrifice_settings  # noqa: E402


def run(kind: str, steps: int, seed: int, areas: int) -> tuple[list[float], float]:
    """Train one trainer; return the mean group return per fifth of the budget and the steps per second."""
    env = GroupCue(areas, num_cues=2, sacrifice_bonus=2.0, seed=seed)
    played = env if kind == "poca" else IndependentRewards(env)
    trainer = make_trainer(env.signature, sacrifice_settings(kind, steps), env.num_agents, seed)
    batch = played.reset(seed=seed)
    fifths: list[list[float]] = [[] for _ in range(5)]
    start = time.perf_counter()
    while trainer.step < steps:
        batch = played.step(trainer.act(batch))
        trainer.observe(batch)
        if env.group_returns:
            fifths[min(4, trainer.step * 5 // steps)].extend(env.group_returns)
            env.group_returns.clear()
    rate = trainer.step / (time.perf_counter() - start)
    return [float(np.mean(f)) if f else float("nan") for f in fifths], rate


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30_000, help="agent steps per run")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--areas", type=int, default=8, help="areas of 3 agent rows")
    args = parser.parse_args()
    torch.set_num_threads(1)
    agents = 3 * args.areas
    print(f"GroupCue sacrifice task, {args.areas} areas ({agents} agents), {args.steps} steps per run")
    load = os.getloadavg()[0]
    print(f"load average before: {load:.1f} on {os.cpu_count()} CPUs (shared: speeds are lower bounds)")
    print(f"{'trainer':8} {'seed':>4}  group return per fifth of the budget        steps/s")
    for kind in ("poca", "ppo"):
        for seed in args.seeds:
            curve, rate = run(kind, args.steps, seed, args.areas)
            print(f"{kind:8} {seed:>4}  " + "  ".join(f"{v:5.2f}" for v in curve) + f"   {rate:8.0f}")


if __name__ == "__main__":
    main()
