"""Ray perception sensor throughput: agent frames per CPU second for one PushBlock-class sensor.

One sensor as PushBlock configures its rays (7 rays over 90 degrees, 3 detectable tags, sphere radius 0.5,
length 20) in an arena of 7 boxes (4 walls, a block, a goal zone, the floor), agents at random poses, for
1, 16 and 256 agents, on the numba kernel and the NumPy reference. Rates are per CPU second of this process.

    .venv/bin/python bench/bench_ray_perception.py [--seconds 1.0] [--agents 1 16 256]
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import time  # noqa: E402

import numpy as np  # noqa: E402

from mlops_unity_pipeline.sim import accel  # noqa: E402
from mlops_unity_pipeline.sim.ray_perception import (  # noqa: E402
    Colliders,
    RayLayout,
    RayPerceptionSettings,
    observe,
)

_CENTRES = [[12, 0.5, 0], [-12, 0.5, 0], [0, 0.5, 12], [0, 0.5, -12], [0, 0.5, 5], [0, 0, -8], [0, -0.5, 0]]
_HALVES = [[0.5, 1, 12], [0.5, 1, 12], [12, 1, 0.5], [12, 1, 0.5], [1, 0.5, 1], [6, 0.01, 2], [12, 0.5, 12]]
_TAGS = ["wall"] * 4 + ["block", "goal", "floor"]


def _rate(settings: RayPerceptionSettings, n: int, seconds: float, compiled: bool) -> float:
    rng = np.random.default_rng(0)
    colliders = Colliders.build(
        n,
        boxes=(np.array(_CENTRES, float), np.array(_HALVES, float), np.zeros(7), settings.tag_indices(_TAGS)),
    )
    position = rng.uniform(-8, 8, (n, 3)) * [1, 0, 1] + [0, 0.5, 0]
    yaw = rng.uniform(-180, 180, n)
    layout = RayLayout.of(settings)
    observe(settings, position, yaw, colliders, layout=layout, compiled=compiled)  # warm-up / compile
    frames, start = 0, time.process_time()
    while time.process_time() - start < seconds:
        observe(settings, position, yaw, colliders, layout=layout, compiled=compiled)
        frames += n
    return frames / (time.process_time() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="time budget per measurement")
    parser.add_argument("--agents", nargs="+", type=int, default=[1, 16, 256])
    args = parser.parse_args()
    settings = RayPerceptionSettings(
        ("block", "goal", "wall"), rays_per_direction=3, max_ray_degrees=90.0, sphere_cast_radius=0.5
    )
    engines = ([True] if accel.kernels() is not None else []) + [False]
    print(f"{'agents':>6} {'frames/s':>14} {'engine':>7}")
    for n in args.agents:
        for compiled in engines:
            rate = _rate(settings, n, args.seconds, compiled)
            print(f"{n:>6} {rate:>14,.0f} {'numba' if compiled else 'numpy':>7}")


if __name__ == "__main__":
    main()
