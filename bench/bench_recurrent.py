"""Cost of LSTM memory in the built-in PPO: microseconds per agent step, feed-forward vs recurrent.

Runs ``ppo/Basic.yaml`` (upstream hyperparameters) on the simulator's Basic task twice, once unchanged and
once with ``network_settings.memory`` (``--memory-size``, ``--sequence-length``), for ``--steps`` agent steps
each, and prints the time spent choosing actions (``act``) and recording steps, processing trajectories and
updating (``observe``), per agent step. Basic's ``time_horizon`` is 3, so with sequences of 8 each trajectory
is padded to 8 rows and the buffer fills (and updates run) about 2.7 times as often, as in ML-Agents.

    .venv/bin/python bench/bench_recurrent.py
    .venv/bin/python bench/bench_recurrent.py --steps 20000 --memory-size 128 --sequence-length 64
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import torch

from mlops_unity_pipeline import sim
from mlops_unity_pipeline.rl.config import RunOptions, load_run_options
from mlops_unity_pipeline.rl.ppo import PPOTrainer

CONFIG = (
    Path(__file__).resolve().parents[2] / "shared" / "anchors" / "mlagents" / "config" / "ppo" / "Basic.yaml"
)


def _settings(memory: dict | None) -> object:
    data = load_run_options(CONFIG).to_dict()
    data["behaviors"]["Basic"]["network_settings"]["memory"] = memory
    return RunOptions.from_dict(data).behavior_settings("Basic")


def _measure(memory: dict | None, steps: int) -> tuple[float, float, int]:
    env = sim.make("Basic", seed=0)
    batch = env.reset(seed=0)
    agents = batch.reward.shape[0]
    trainer = PPOTrainer(env.signature, _settings(memory), agents, seed=0)
    acting = observing = 0.0
    taken = 0
    while taken < steps:
        t0 = time.perf_counter()
        actions = trainer.act(batch)
        t1 = time.perf_counter()
        batch = env.step(actions)
        t2 = time.perf_counter()
        trainer.observe(batch)
        observing += time.perf_counter() - t2
        acting += t1 - t0
        taken += agents
    return 1e6 * acting / taken, 1e6 * observing / taken, trainer.update_count


def main() -> None:
    """Print microseconds per agent step for both networks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=6000)
    parser.add_argument("--memory-size", type=int, default=32)
    parser.add_argument("--sequence-length", type=int, default=8)
    args = parser.parse_args()
    torch.set_num_threads(1)
    memory = {"memory_size": args.memory_size, "sequence_length": args.sequence_length}
    print(f"ppo/Basic.yaml on sim:Basic, {args.steps} agent steps, 1 torch thread")
    for name, setting in (("feed-forward", None), (f"LSTM {memory}", memory)):
        act, observe, updates = _measure(setting, args.steps)
        print(
            f"{name:45s} act {act:7.0f} us/step  observe+update {observe:7.0f} us/step  ({updates} updates)"
        )


if __name__ == "__main__":
    main()
