"""PPO update cost: the hand-written fused gradients vs autograd, on the same buffer and networks.

Builds 3DBall's PPO networks from ML-Agents' upstream ``ppo/3DBall.yaml`` (8 observations, 2 continuous
actions, 2 x 128 Swish, normalized; buffer 12000, minibatch 64, 3 epochs: ~560 minibatches an update) and
runs ``rl.ppo.update`` over one random buffer with each gradient strategy (``FusedGradients``,
``AutogradGradients``) from the same start, ``--repeats`` times each, on one torch thread as the trainer
does. Prints seconds per update (median), the speed-up, and the largest weight difference after one update
(both paths compute the same gradients, so it stays at float32 rounding).

    .venv/bin/python bench/bench_fused.py
    .venv/bin/python bench/bench_fused.py --repeats 3 --buffer-size 4000
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import torch

from mlops_unity_pipeline.rl.config import PPOSettings, TrainerSettings, load_run_options
from mlops_unity_pipeline.rl.optim import FlatAdam, FlatParameters
from mlops_unity_pipeline.rl.ppo import (
    AutogradGradients,
    FusedGradients,
    RolloutBatch,
    make_networks,
    update,
)
from mlops_unity_pipeline.spaces import ActionSpec, BehaviorSignature, ObservationSpec

CONFIG = (
    Path(__file__).resolve().parents[2] / "shared" / "anchors" / "mlagents" / "config" / "ppo" / "3DBall.yaml"
)
SIGNATURE = BehaviorSignature("3DBall", (ObservationSpec((8,)),), ActionSpec(2))


def _buffer(rows: int, generator: torch.Generator) -> RolloutBatch:
    def randn(*shape: int) -> torch.Tensor:
        return torch.randn(*shape, generator=generator)

    return RolloutBatch(
        randn(rows, 8),
        randn(rows, 2),
        torch.zeros(rows, 0, dtype=torch.long),
        torch.ones(rows, 0),
        randn(rows, 2) - 1.0,
        randn(rows),
        randn(rows),
        randn(rows) * 0.3,
    )


def _one_update(
    strategy: str, settings: TrainerSettings, hp: PPOSettings, batch: RolloutBatch, seed: int
) -> tuple[float, torch.Tensor]:
    """Seconds for one update with ``strategy`` from weights seeded by ``seed``, and the weights after it."""
    torch.manual_seed(seed)
    actor, critic = make_networks(SIGNATURE, settings)
    actor.normalizer.update(batch.obs)
    flat = FlatParameters([actor, critic])
    gradients = (
        FusedGradients(actor, critic) if strategy == "fused" else AutogradGradients(actor, critic, flat)
    )
    optimizer = FlatAdam(flat.param, hp.learning_rate)
    normalized = batch._replace(obs=actor.normalizer(batch.obs))
    start = time.perf_counter()
    update(
        gradients,
        optimizer,
        normalized,
        num_epoch=int(hp.num_epoch),
        batch_size=int(hp.batch_size),
        beta=float(hp.beta),
        epsilon=float(hp.epsilon),
        generator=torch.Generator().manual_seed(seed),
    )
    return time.perf_counter() - start, flat.param.detach().clone()


def main() -> None:
    """Measure and print the A/B figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="updates timed per strategy")
    parser.add_argument("--buffer-size", type=int, default=None, help="rows (default: the config's 12000)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    settings = load_run_options(CONFIG).behavior_settings("3DBall")
    hp = settings.hyperparameters
    if not isinstance(hp, PPOSettings):
        raise SystemExit(f"{CONFIG} is not a PPO configuration")
    rows = int(args.buffer_size or hp.buffer_size)
    batch = _buffer(rows, torch.Generator().manual_seed(0))
    minibatches = int(hp.num_epoch) * (rows // int(hp.batch_size))
    _one_update("fused", settings, hp, batch, 0)  # warm-up: first-call allocations and lazy imports
    _one_update("autograd", settings, hp, batch, 0)
    times: dict[str, list[float]] = {"fused": [], "autograd": []}
    weights: dict[str, torch.Tensor] = {}
    for repeat in range(args.repeats):
        for strategy in ("fused", "autograd"):  # interleaved: drifts in machine load hit both alike
            seconds, weights[strategy] = _one_update(strategy, settings, hp, batch, repeat)
            times[strategy].append(seconds)
    fused, autograd = statistics.median(times["fused"]), statistics.median(times["autograd"])
    print(f"3DBall PPO update: {rows} rows, {minibatches} minibatches of {hp.batch_size}, 2 x 128 Swish")
    print(f"  fused     {fused:.3f} s/update  ({1e6 * fused / minibatches:.0f} us/minibatch)")
    print(f"  autograd  {autograd:.3f} s/update  ({1e6 * autograd / minibatches:.0f} us/minibatch)")
    print(f"  speed-up  {autograd / fused:.2f}x (median of {args.repeats})")
    diff = float((weights["fused"] - weights["autograd"]).abs().max())
    print(f"  max |weight difference| after one update: {diff:.2e}")


if __name__ == "__main__":
    main()
