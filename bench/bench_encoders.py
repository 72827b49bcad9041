"""Observation encoders: parameters and CPU time of one PPO-sized forward + backward per encoder.

For each ``vis_encode_type`` on GridWorld's camera (3 x 64 x 84, upstream ``GridWorldColab.onnx``), for
``match3`` also on an 8 x 8 board, and for
the entity-attention encoder on Sorter's ``BufferSensor`` (20 x 23 plus 18 vector floats), prints the
encoder's parameter count and the median milliseconds of a forward + backward pass of a whole actor
(encoder + ``--layers`` x ``--hidden`` body + 5-way discrete head) over a ``--batch`` minibatch, on the
CPU the built-in trainer uses: the image encoders' cost bounds a visual run's steps per second.

    .venv/bin/python bench/bench_encoders.py
    .venv/bin/python bench/bench_encoders.py --batch 256 --hidden 256 --repeats 5
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from mlops_unity_pipeline.rl.encoders import VISUAL_ENCODERS
from mlops_unity_pipeline.rl.networks import Actor
from mlops_unity_pipeline.spaces import ActionSpec, BehaviorSignature, ObservationSpec

GRIDWORLD = BehaviorSignature("GridWorld", (ObservationSpec((3, 64, 84)),), ActionSpec(0, (5,)))
BOARD = BehaviorSignature("Match3", (ObservationSpec((6, 8, 8)),), ActionSpec(0, (5,)))
"""An 8 x 8 board of 6 one-hot piece channels, what ``match3`` is built for (64 x 84 gives 88M weights)."""
SORTER = BehaviorSignature(
    "Sorter", (ObservationSpec((20, 23)), ObservationSpec((10,)), ObservationSpec((8,))), ActionSpec(0, (5,))
)


def _time(actor: Actor, batch: int, repeats: int) -> float:
    obs = torch.rand(batch, actor.obs_size)
    times = []
    for _ in range(repeats + 1):  # the first pass warms up allocators and is dropped
        start = time.perf_counter()
        _, _, lps = actor.heads(obs)
        lps[0].sum().backward()
        times.append(time.perf_counter() - start)
        actor.zero_grad(set_to_none=True)
    return 1000 * statistics.median(times[1:])


def main() -> None:
    """Print one row per encoder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=128, help="minibatch rows (PPO batch_size)")
    parser.add_argument("--hidden", type=int, default=128, help="hidden_units")
    parser.add_argument("--layers", type=int, default=2, help="num_layers")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    torch.manual_seed(0)
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads, batch {args.batch}, "
        f"{args.layers} x {args.hidden}"
    )
    print(f"{'encoder':<26}{'input':<22}{'encoder params':>15}{'fwd+bwd ms':>12}")
    rows = [(kind, GRIDWORLD, kind) for kind in VISUAL_ENCODERS]
    rows += [("match3 (board)", BOARD, "match3"), ("entity attention", SORTER, "simple")]
    for label, sig, kind in rows:
        actor = Actor(sig, args.hidden, args.layers, normalize=True, vis_encode_type=kind)
        encoder = actor.encoder.observations
        params = sum(p.numel() for p in encoder.parameters()) if encoder is not None else 0
        shapes = " + ".join("x".join(map(str, s.shape)) for s in sig.observation_specs)
        print(f"{label:<26}{shapes:<22}{params:>15,}{_time(actor, args.batch, args.repeats):>12.1f}")


if __name__ == "__main__":
    main()
