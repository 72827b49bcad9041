"""Benchmark the guide's quick start: wall time, training time, orchestration overhead, peak memory.

Runs ``examples/quickstart.py`` unchanged (max_steps=100_000, num_envs=16) in a child process inside a fresh
temporary folder, then reads the stage timings from the job store. Targets (README): total < 120 s on
2 cores, peak memory <= 2 GB, overhead (everything except the train stage) < 5 s.

    .venv/bin/python bench/bench_pipeline.py               # the guide's budget
    .venv/bin/python bench/bench_pipeline.py --max-steps 5000   # a quick check while developing
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QUICKSTART = REPO / "examples" / "quickstart.py"

CAPPED = """
import runpy, sys
import mlops_unity_pipeline
from mlops_unity_pipeline.specs import RLTrainingConfig
cap = int(sys.argv[1])
def factory(**kwargs):
    kwargs["max_steps"] = min(int(kwargs.get("max_steps", cap)), cap)
    return RLTrainingConfig(**kwargs)
mlops_unity_pipeline.RLTrainingConfig = factory
runpy.run_path(sys.argv[2], run_name="__main__")
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--max-steps", type=int, default=None, help="cap the guide's 100_000 steps (development)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        if args.max_steps is None:
            command = [sys.executable, str(QUICKSTART)]
        else:
            command = [sys.executable, "-c", CAPPED, str(args.max_steps), str(QUICKSTART)]
        started = time.perf_counter()
        proc = subprocess.run(command, cwd=tmp, capture_output=True, text=True)
        wall = time.perf_counter() - started
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout + proc.stderr)
            return 1
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # Linux reports KiB

        sys.path.insert(0, str(REPO / "src"))
        from mlops_unity_pipeline.orchestrator.jobs import JobStore

        record = JobStore(Path(tmp) / "artifacts" / "pipeline.db").get("example-job")
        if record.state.value != "succeeded":
            sys.stderr.write(f"the quick start job {record.state.value}: {record.error}\n")
            return 1
        stages = {s.name: s.duration_s or 0.0 for s in record.stages}
        job_wall = (record.finished_at or 0) - (record.started_at or 0)
        train = stages.get("train", 0.0)
        train_outputs = record.stage("train").outputs
        eval_outputs = record.stage("evaluate").outputs["metrics"]
        figures = {
            "max_steps": args.max_steps or 100_000,
            "num_envs": 16,
            "cpu_count": os.cpu_count(),
            "process_wall_s": round(wall, 2),
            "job_wall_s": round(job_wall, 2),
            "train_s": round(train, 2),
            "overhead_s": round(job_wall - train, 2),
            "startup_s": round(wall - job_wall, 2),
            "stage_s": {k: round(v, 3) for k, v in stages.items()},
            "peak_rss_mb": round(peak_mb, 1),
            "train_steps": train_outputs.get("train/steps"),
            "eval_mean_reward": eval_outputs.get("eval/mean_reward"),
            "baseline_mean_reward": eval_outputs.get("baseline/mean_reward"),
            "eval_success_rate": eval_outputs.get("eval/success_rate"),
        }
    if args.json:
        print(json.dumps(figures, sort_keys=True))
        return 0
    print(f"quick start: max_steps={figures['max_steps']:,} num_envs=16 on {figures['cpu_count']} CPUs")
    print(f"  process wall time       {figures['process_wall_s']:8.2f} s   (target < 120 s)")
    print(f"  job wall time           {figures['job_wall_s']:8.2f} s")
    print(f"  training                {figures['train_s']:8.2f} s")
    print(f"  orchestration overhead  {figures['overhead_s']:8.2f} s   (target < 5 s; job wall - train)")
    print(f"  interpreter + imports   {figures['startup_s']:8.2f} s")
    print("  stages                  " + "  ".join(f"{k} {v:.2f}s" for k, v in figures["stage_s"].items()))
    print(f"  peak memory (RSS)       {figures['peak_rss_mb']:8.1f} MB (target <= 2048 MB)")
    print(
        f"  eval mean reward        {figures['eval_mean_reward']:8.3f}   random policy "
        f"{figures['baseline_mean_reward']:.3f}   success rate {figures['eval_success_rate']:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
