"""Offline RL figures: BC/IQL policies vs random on the simulator; fine-tuning vs PPO from scratch (3DBall).

Prints one line per figure (and a JSON summary with ``--json``):

1. BC on ``Expert3DBall.demo`` + ``test_continuous_3DBall.demo`` (and each alone), IQL on the pair, each
   exported to ONNX and evaluated with ``sim.evaluate`` next to a uniform-random policy;
2. BC on ``ExpertBasic.demo`` evaluated on Basic;
3. environment steps until the rolling mean of the last 12 episodes reaches 90 on 3DBall (ML-Agents'
   ``config/ppo/3DBall.yaml``): PPO from scratch vs PPO initialized from the BC checkpoint with
   ``behavioral_cloning`` annealed over the first ``--bc-steps`` (offline pretraining takes no env steps),
   plus the same initialization without online BC, and an initialization from BC on both 3DBall anchors.
   12 agents finish at most 12 episodes per 12,000 steps, so ~12,000 is the floor of this measure.

    .venv/bin/python bench/bench_offline.py                 # full figures (several minutes on 2 cores)
    .venv/bin/python bench/bench_offline.py --max-steps 60000 --seeds 1   # quicker
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
ANCHORS = REPO.parent / "shared" / "anchors" / "mlagents"
TARGET = 90.0
WINDOW = 12


def random_policy(signature, seed):
    """Uniform random actions (the baseline)."""
    from mlops_unity_pipeline.spaces import ActionTuple

    rng = np.random.default_rng(seed)
    spec = signature.action_spec

    def act(batch):
        n = batch.reward.shape[0]
        cont = rng.uniform(-1, 1, (n, spec.continuous_size)).astype(np.float32)
        disc = (
            np.stack([rng.integers(0, b, n) for b in spec.discrete_branches], 1).astype(np.int32)
            if spec.discrete_branches
            else np.zeros((n, 0), np.int32)
        )
        return ActionTuple(continuous=cont, discrete=disc)

    return act


def offline_figures(out: Path, episodes: int, updates: int) -> list[dict]:
    """BC / IQL on the anchor demonstrations, evaluated on the simulator."""
    from mlops_unity_pipeline import sim
    from mlops_unity_pipeline.rl.config import load_run_options
    from mlops_unity_pipeline.rl.offline.pretrain import PretrainConfig, pretrain
    from mlops_unity_pipeline.sim.evaluate import evaluate
    from mlops_unity_pipeline.sim.onnx_policy import OnnxPolicy

    cases = [
        ("3DBall", "bc", ["Expert3DBall.demo", "test_continuous_3DBall.demo"]),
        ("3DBall", "bc", ["Expert3DBall.demo"]),
        ("3DBall", "bc", ["test_continuous_3DBall.demo"]),
        ("3DBall", "iql", ["Expert3DBall.demo", "test_continuous_3DBall.demo"]),
        ("Basic", "bc", ["ExpertBasic.demo"]),
        ("Basic", "iql", ["ExpertBasic.demo"]),
    ]
    rows = []
    for task, algorithm, files in cases:
        env = sim.make(task)
        settings = load_run_options(ANCHORS / "config" / "ppo" / f"{task}.yaml").behavior_settings(task)
        folder = out / f"{task}-{algorithm}-{len(rows)}"
        demo_dir = folder / "demos"
        demo_dir.mkdir(parents=True)
        for f in files:  # a folder of links: exercises the folder path of the loader
            (demo_dir / f).symlink_to(ANCHORS / "demos" / f)
        started = time.time()
        result = pretrain(
            env.signature,
            settings,
            demo_dir,
            folder,
            config=PretrainConfig(algorithm=algorithm, updates=updates),
        )
        learned = evaluate(env, OnnxPolicy(result.onnx_path, env.signature), episodes=episodes, seed=1)
        baseline = evaluate(env, random_policy(env.signature, 1), episodes=episodes, seed=1)
        row = {
            "task": task,
            "algorithm": algorithm,
            "demos": files,
            "transitions": result.transitions,
            "pretrain_s": round(time.time() - started, 1),
            "mean_reward": round(learned.mean_reward, 3),
            "random_mean_reward": round(baseline.mean_reward, 3),
            "success_rate": learned.success_rate,
        }
        print(
            f"{task:6s} {algorithm:3s} {'+'.join(files):45s} rows={result.transitions:5d} "
            f"reward={learned.mean_reward:7.2f} random={baseline.mean_reward:6.2f} "
            f"({row['pretrain_s']} s)",
            flush=True,
        )
        rows.append(row)
        env.close()
    return rows


def steps_to_target(
    out: Path,
    run_id: str,
    seed: int,
    max_steps: int,
    init_path: Path | None,
    bc_demo: Path | None,
    bc_steps: int,
) -> tuple[int | None, float]:
    """Train PPO on 3DBall; return the step where the rolling mean of WINDOW episodes first reached TARGET."""
    from mlops_unity_pipeline.rl.config import RunOptions, load_run_options
    from mlops_unity_pipeline.rl.learn import LearnOptions, learn

    data = load_run_options(ANCHORS / "config" / "ppo" / "3DBall.yaml").to_dict()
    behavior = data["behaviors"]["3DBall"]
    behavior["max_steps"] = max_steps
    behavior["summary_freq"] = 12000
    behavior["checkpoint_interval"] = max_steps
    if init_path is not None:
        behavior["init_path"] = str(init_path)
    if bc_demo is not None:
        behavior["behavioral_cloning"] = {"demo_path": str(bc_demo), "strength": 1.0, "steps": bc_steps}
    data["env_settings"]["seed"] = seed
    data["checkpoint_settings"].update({"run_id": run_id, "results_dir": str(out), "force": True})
    options = RunOptions.from_dict(data)
    recent: deque[float] = deque(maxlen=WINDOW)
    reached: list[int] = []

    class Reached(Exception):
        pass

    def on_episodes(_name: str, step: int, rewards: np.ndarray) -> None:
        recent.extend(rewards.tolist())
        if not reached and len(recent) == WINDOW and float(np.mean(recent)) >= TARGET:
            reached.append(step)
            raise Reached

    started = time.time()
    try:
        learn(LearnOptions(run_options=options, env="sim:3DBall", quiet=True, on_episodes=on_episodes))
    except Reached:
        pass
    return (reached[0] if reached else None), time.time() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=24, help="evaluation episodes per policy")
    parser.add_argument("--updates", type=int, default=500, help="offline gradient steps")
    parser.add_argument("--max-steps", type=int, default=300_000, help="PPO budget per run")
    parser.add_argument(
        "--bc-steps", type=int, default=50_000, help="behavioral_cloning.steps when fine-tuning"
    )
    parser.add_argument("--seeds", type=int, default=2, help="seeds per fine-tuning variant")
    parser.add_argument("--skip-offline", action="store_true", help="only the fine-tuning comparison")
    parser.add_argument("--json", action="store_true", help="print a JSON summary at the end")
    args = parser.parse_args()
    if not ANCHORS.is_dir():
        print(f"anchors not found at {ANCHORS}", file=sys.stderr)
        return 2
    import torch

    torch.set_num_threads(1)
    from mlops_unity_pipeline import sim
    from mlops_unity_pipeline.rl.config import load_run_options
    from mlops_unity_pipeline.rl.offline.pretrain import PretrainConfig, pretrain

    summary: dict = {}
    with tempfile.TemporaryDirectory(prefix="bench-offline-") as tmp:
        out = Path(tmp)
        if not args.skip_offline:
            summary["offline"] = offline_figures(out / "offline", args.episodes, args.updates)
        env = sim.make("3DBall")
        settings = load_run_options(ANCHORS / "config" / "ppo" / "3DBall.yaml").behavior_settings("3DBall")
        demo = ANCHORS / "demos" / "Expert3DBall.demo"
        started = time.time()
        pre = pretrain(
            env.signature, settings, demo, out / "pretrained", config=PretrainConfig(updates=args.updates)
        )
        pretrain_s = time.time() - started
        env.close()
        both = out / "both-demos"
        both.mkdir()
        for f in ("Expert3DBall.demo", "test_continuous_3DBall.demo"):
            (both / f).symlink_to(ANCHORS / "demos" / f)
        pre_both = pretrain(
            env.signature,
            settings,
            both,
            out / "pretrained-both",
            config=PretrainConfig(updates=args.updates),
        )
        # scratch: PPO alone; finetune: BC-pretrained on Expert3DBall + BC annealed online (the pipeline's
        # recipe); init-only: the same checkpoint without online BC; init-both: pretrained on both anchors.
        variants = {
            "scratch": (None, None),
            "finetune": (pre.checkpoint_path, demo),
            "init-only": (pre.checkpoint_path, None),
            "init-both": (pre_both.checkpoint_path, None),
        }
        runs: dict[str, list] = {name: [] for name in variants}
        for seed in range(args.seeds):
            for name, (init, bc) in variants.items():
                steps, wall = steps_to_target(
                    out / "runs", f"{name}-{seed}", seed, args.max_steps, init, bc, args.bc_steps
                )
                runs[name].append({"seed": seed, "steps": steps, "wall_s": round(wall, 1)})
                shown = steps if steps is not None else f"not reached in {args.max_steps}"
                print(
                    f"3DBall {name:8s} seed={seed} steps to mean {TARGET:g}: {shown} ({wall:.0f} s)",
                    flush=True,
                )

        def mean_steps(rows: list) -> float | None:
            vals = [r["steps"] if r["steps"] is not None else args.max_steps for r in rows]
            return float(np.mean(vals)) if vals else None

        scratch, finetune = mean_steps(runs["scratch"]), mean_steps(runs["finetune"])
        ratio = scratch / finetune if scratch and finetune else None
        print(f"pretraining: {pre.transitions} demo transitions, {pretrain_s:.1f} s, 0 environment steps")
        print(
            f"mean steps to {TARGET:g}: PPO from scratch {scratch:.0f}, "
            f"BC-pretrained + fine-tuned {finetune:.0f}, "
            f"ratio {ratio:.2f}x (unreached runs counted at --max-steps {args.max_steps})"
        )
        for name in ("init-only", "init-both"):
            print(f"mean steps to {TARGET:g}, {name}: {mean_steps(runs[name]):.0f}")
        summary["finetune"] = {
            "runs": runs,
            "scratch_mean_steps": scratch,
            "finetune_mean_steps": finetune,
            "ratio": ratio,
            "pretrain_s": round(pretrain_s, 1),
            "target": TARGET,
            "window": WINDOW,
            "bc_steps": args.bc_steps,
        }
    if args.json:
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
