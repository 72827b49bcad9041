"""Throughput of the .demo reader and writer on the upstream anchor files (one core).

For each anchor: file size, steps, best-of-N wall time of ``read_demo`` (parse + decode, PNG too), steps/s
and MB/s; then ``write_demo`` of the same steps (float observations) and ``to_dataset``.

    .venv/bin/python bench/bench_demos.py [--repeat 3] [--files ExpertBasic.demo ...] [--json]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from mlops_unity_pipeline.demos import read_demo, write_demo
from mlops_unity_pipeline.demos.dataset import to_dataset

ANCHORS = Path(__file__).resolve().parents[1].parent / "shared" / "anchors" / "mlagents" / "demos"


def best_time(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best is kept)")
    parser.add_argument("--files", nargs="+", default=None, help="anchor file names (default: all)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    args = parser.parse_args()
    if not ANCHORS.is_dir():
        raise SystemExit(f"anchors not found at {ANCHORS}")
    files = [ANCHORS / name for name in args.files] if args.files else sorted(ANCHORS.glob("*.demo"))
    if not args.json:
        print(
            f"{'file':30} {'MB':>6} {'steps':>6} {'read s':>8} {'steps/s':>9} {'MB/s':>7} {'write s':>8} "
            f"{'dataset s':>9}"
        )
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            size_mb = path.stat().st_size / 1e6
            demo = read_demo(path)
            read_s = best_time(lambda p=path: read_demo(p), args.repeat)
            out = Path(tmp) / "copy.demo"
            write_s = best_time(
                lambda d=demo, o=out: write_demo(o, d.signature, d.steps, name="bench"), args.repeat
            )
            data_s = best_time(lambda d=demo: to_dataset([d], d.signature), args.repeat)
            row = {
                "file": path.name,
                "mb": round(size_mb, 3),
                "steps": demo.meta.number_steps,
                "read_s": round(read_s, 4),
                "read_steps_per_s": round(demo.meta.number_steps / read_s),
                "read_mb_per_s": round(size_mb / read_s, 1),
                "write_s": round(write_s, 4),
                "dataset_s": round(data_s, 4),
            }
            if args.json:
                print(json.dumps(row))
            else:
                print(
                    f"{row['file']:30} {size_mb:6.2f} {row['steps']:6d} {read_s:8.4f} "
                    f"{row['read_steps_per_s']:9d} {row['read_mb_per_s']:7.1f} {write_s:8.4f} {data_s:9.4f}"
                )


if __name__ == "__main__":
    main()
