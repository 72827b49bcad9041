"""Self-play on the toy two-team race: ELO curve, win rates against past policies, steps per second.

Trains the ghost trainer (``self_play``) around PPO (1 runner per team) and POCA (2 runners per team, the
win/loss as a group reward like SoccerTwos) on ``tests/rl/race_env.py``'s ``CueRace``. Prints, per trainer and
seed, the learning policy's ``Self-play/ELO`` at the end of each fifth of the budget, the final policy's share
of decided games against the initial policy and against the snapshot at 10 % of the budget (both sampling;
200 decisions of every match), and learner agent steps per second of the whole act/step/observe/update loop
on one torch thread. The load average is printed: on a shared CPU the speeds are lower bounds.

    .venv/bin/python bench/bench_selfplay.py
    .venv/bin/python bench/bench_selfplay.py --steps 30000 --seeds 0 1 2 3
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import tempfile
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the toy env lives with the tests

from mlops_unity_pipeline.rl.learn import make_trainer  # noqa: E402
from mlops_unity_pipeline.rl.selfplay import GhostTrainer  # noqa: E402
from tests.rl.race_env import CueRace, race_options, win_rate  # noqa: E402

TEAM_SIZE = {"ppo": 1, "poca": 2}
"""Runners per team for each wrapped trainer."""


def run(kind: str, steps: int, seed: int, matches: int) -> tuple[list[float], float, float, float]:
    """Train one run; return ELO per fifth, win rates vs the initial and the 10 % policy, steps per second."""
    env = CueRace(matches, team_size=TEAM_SIZE[kind], seed=seed)
    sp = {"save_steps": steps // 20, "swap_steps": steps // 40, "team_change": steps // 4, "window": 10}
    with tempfile.TemporaryDirectory() as unused:
        settings = race_options(unused, kind=kind, self_play=sp, max_steps=steps).behavior_settings("CueRace")
    trainer = make_trainer(env.signature, settings, env.num_agents, seed)
    assert isinstance(trainer, GhostTrainer)
    initial = copy.deepcopy(trainer.actor)
    early = None
    fifths = [float("nan")] * 5
    batch = env.reset(seed=seed)
    start = time.perf_counter()
    while trainer.step < steps:
        batch = env.step(trainer.act(batch))
        trainer.observe(batch)
        if trainer.pop_reset_request():
            trainer.reset_trajectories()
            batch = env.reset()
        if early is None and trainer.step >= steps // 10:
            early = copy.deepcopy(trainer.actor)
        fifths[min(4, trainer.step * 5 // steps)] = trainer.current_elo
        trainer.pop_stats()  # nothing reads the summaries here: do not let them pile up
    rate = trainer.step / (time.perf_counter() - start)
    assert early is not None
    judge = CueRace(matches, team_size=TEAM_SIZE[kind], seed=seed + 100)
    vs_initial = win_rate(judge, trainer.actor, initial, 200)
    vs_early = win_rate(judge, trainer.actor, early, 200)
    return fifths, vs_initial, vs_early, rate


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20_000, help="learner agent steps per run")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--matches", type=int, default=8)
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"CueRace, {args.matches} matches, {args.steps} learner steps per run")
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    print("| trainer | seed | ELO 1/5 | 2/5 | 3/5 | 4/5 | 5/5 | wins vs initial | wins vs 10 % | steps/s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for kind in ("ppo", "poca"):
        for seed in args.seeds:
            fifths, vs_initial, vs_early, rate = run(kind, args.steps, seed, args.matches)
            elo = " | ".join(f"{e:.1f}" for e in fifths)
            row = f"| {kind} | {seed} | {elo} | {vs_initial:.0%} | {vs_early:.0%} | {rate:,.0f} |"
            print(row, flush=True)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
