"""``threaded: true`` vs the default: wall seconds of the built-in PPO on ``ppo/3DBall.yaml`` (sim:3DBall).

Both runs take ``--steps`` agent steps from the same seed with upstream's 3DBall hyperparameters; the threaded
one overlaps each update with the next buffer's environment steps (``rl/threaded.py``). Printed: wall time,
agent steps per second, updates run and the mean episode reward of the last 100 episodes. The gain depends on
free cores: the update and the simulator each need one.

    .venv/bin/python bench/bench_threaded.py
    .venv/bin/python bench/bench_threaded.py --steps 60000
"""

from __future__ import annotations

import argparse
import time
from collections import deque
from pathlib import Path

import numpy as np
import torch

from mlops_unity_pipeline import sim
from mlops_unity_pipeline.rl.config import RunOptions, load_run_options
from mlops_unity_pipeline.rl.ppo import PPOTrainer

CONFIG = (
    Path(__file__).resolve().parents[2] / "shared" / "anchors" / "mlagents" / "config" / "ppo" / "3DBall.yaml"
)


def _measure(threaded: bool, steps: int) -> tuple[float, int, float]:
    data = load_run_options(CONFIG).to_dict()
    data["behaviors"]["3DBall"]["threaded"] = threaded
    settings = RunOptions.from_dict(data).behavior_settings("3DBall")
    env = sim.make("3DBall", seed=0)
    batch = env.reset(seed=0)
    agents = batch.reward.shape[0]
    trainer = PPOTrainer(env.signature, settings, agents, seed=0)
    returns, recent = np.zeros(agents), deque(maxlen=100)
    start = time.perf_counter()
    while trainer.step < steps:
        batch = env.step(trainer.act(batch))
        trainer.observe(batch)
        returns += batch.reward
        ended = batch.terminated | batch.truncated
        recent.extend(returns[ended].tolist())
        returns[ended] = 0.0
    trainer.settle()
    mean = float(np.mean(recent)) if recent else float("nan")
    return time.perf_counter() - start, trainer.update_count, mean


def main() -> None:
    """Print wall time and steps per second, default vs threaded."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=36000)
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"ppo/3DBall.yaml on sim:3DBall, {args.steps} agent steps, 1 torch thread per thread")
    for threaded in (False, True):
        wall, updates, mean = _measure(threaded, args.steps)
        print(
            f"threaded: {str(threaded).lower():5s}  {wall:6.1f} s  {args.steps / wall:8,.0f} steps/s  "
            f"{updates} updates  last-100 mean reward {mean:.2f}"
        )


if __name__ == "__main__":
    main()
