"""Offline RL figures: BC/IQL policies vs random; offline-to-online fine-tuning measured from step 0.

Prints one line per figure (and a JSON summary with ``--json``):

1. (unless ``--skip-offline``) BC on ``Expert3DBall.demo`` + ``test_continuous_3DBall.demo`` (and each
   alone), IQL on the pair, BC/IQL on ``ExpertBasic.demo``, each exported to ONNX and evaluated with
   ``sim.evaluate`` next to a uniform-random policy;
2. per seed, on 3DBall (ML-Agents' ``config/<trainer>/3DBall.yaml``, 12 agents), the rolling mean of the last
   ``--window`` (default 100) episodes *from step 0* for three arms:

   - ``scratch``: the trainer from random weights;
   - ``pretrain-only``: the policy pretrained on ``Expert3DBall.demo`` (``--algorithm``, BC by default)
     acting, sampling its actions as the trainer does, with no update at all ("the pretrained level");
   - ``finetune``: the trainer started from that checkpoint (``init_path``) with ``behavioral_cloning`` on the
     same demonstrations, exactly as the pipeline's train stage configures it (BC annealed over the run);
     the trainer's fine-tuning guard (``rl/offline/finetune.py``) is on, since the checkpoint is marked
     as offline-pretrained;
   - ``finetune-unguarded`` (ablation, add it with ``--arms``): the same with the guard off (the same
     weights in a checkpoint without the offline marker), i.e. the method before the fine-tuning guard;
   - ``finetune-rlpd`` (``--trainer sac``): ``finetune`` with the demonstrations kept in SAC's replay, half
     of every minibatch (RLPD, ``rl/offline/rlpd.py``; ``PretrainConfig(keep_demonstrations=True)``);
   - ``rlpd`` (``--trainer sac``): RLPD alone: the demonstrations in replay, no guard and no BC;

   and for each arm three figures: the steps until the rolling mean first reaches 90 over a *full* window
   (the same rule for every arm), the dip (the largest drop of the rolling mean below the pretrained level,
   in %, on full windows) and the final level (the rolling mean at the end).
3. with ``--task ReachTarget``: the same arms on a task whose demonstrations are *imperfect* (ReachTarget's
   scripted controller slowed to ``--weak-scale`` of its speed, recorded by the bench; the pipeline's PPO
   defaults, 8 agents); the target is then the scratch run's final level, and the bench prints the ratio of
   the steps fine-tuning and scratch need to first reach it.

The windowed rule matters: 12 agents need ~100,000 steps to finish 100 episodes of a balanced ball (1,000
steps each), so no arm can reach 90 before that; a 12-episode window is reached by the pretrained policy at
~12,000 steps without any fine-tuning, which measured the pretraining, not the workflow.

    .venv/bin/python bench/bench_offline.py --skip-offline --seeds 3   # PPO, ~10 min on 2 cores
    .venv/bin/python bench/bench_offline.py --skip-offline --trainer sac --max-steps 120000 --arms finetune
    .venv/bin/python bench/bench_offline.py --skip-offline --task ReachTarget --max-steps 100000 --every 10000
    # one process per seed (each process measures its own seed's pretrained level)
    .venv/bin/python bench/bench_offline.py --skip-offline --trainer sac --seeds 1 --first-seed 2 \
        --max-steps 120000 --arms pretrain-only,finetune
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
ANCHORS = REPO.parent / "shared" / "anchors" / "mlagents"
TARGET = 90.0
"""3DBall's target; on ReachTarget the target is the scratch run's final level (same seed)."""
SHORT_WINDOW = 24
"""The dip is also printed over this many episodes: a brief collapse shows there, a 100-window smooths it."""
REACH_AGENTS = 8
"""Agents on ReachTarget (one per area)."""
ARMS = ("scratch", "pretrain-only", "finetune", "finetune-unguarded", "finetune-rlpd", "rlpd")
"""Every arm the bench knows (module docstring)."""
RLPD_ARMS = ("finetune-rlpd", "rlpd")
"""Arms that keep the demonstrations in SAC's replay."""


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
    from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy

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
        learned = evaluate(env, OnnxRuntimePolicy(result.onnx_path, env.signature), episodes=episodes, seed=1)
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


@dataclass
class Run:
    """The episodes of one arm and seed: the step each ended at and its reward."""

    arm: str
    seed: int
    steps: list[int] = field(default_factory=list)
    rewards: list[float] = field(default_factory=list)
    wall_s: float = 0.0
    cpu_s: float = 0.0

    def add(self, step: int, rewards: np.ndarray) -> None:
        """Record episodes that ended at ``step``."""
        self.steps.extend([step] * len(rewards))
        self.rewards.extend(float(r) for r in rewards)

    def rolling(self, window: int) -> np.ndarray:
        """Rolling mean of the last ``min(i + 1, window)`` episodes after each episode ``i``."""
        r = np.asarray(self.rewards, np.float64)
        c = np.concatenate([[0.0], np.cumsum(r)])
        i = np.arange(1, len(r) + 1)
        lo = np.maximum(0, i - window)
        return (c[i] - c[lo]) / (i - lo)


def figures(run: Run, window: int, level: float | None, target: float) -> dict:
    """Steps to ``target``, dip below ``level`` in % and final rolling mean, all on full windows.

    Full windows hide no collapse: a policy that drops the ball ends many short episodes, which fill the
    window quickly. The pretrain-only arm's own dip is the noise floor of this measure.
    """
    roll = run.rolling(window)
    steps = np.asarray(run.steps)
    full = np.arange(len(roll)) + 1 >= window
    hit = np.flatnonzero(full & (roll >= target))
    out = {
        "steps_to_target": int(steps[hit[0]]) if len(hit) else None,
        "final": round(float(roll[-1]), 2) if len(roll) else None,
        "episodes": len(roll),
    }
    counted = roll[window - 1 :] if len(roll) >= window else roll[-1:]
    if level and len(counted):
        out["dip_pct"] = round(max(0.0, float((level - counted.min()) / abs(level) * 100)), 2)
    return out


def curve(run: Run, window: int, every: int, max_steps: int) -> list[tuple[int, float | None]]:
    """The rolling mean at every ``every`` steps (the last episode ended at or before each tick)."""
    roll = run.rolling(window)
    steps = np.asarray(run.steps)
    points = []
    for tick in range(every, max_steps + 1, every):
        n = int(np.searchsorted(steps, tick, side="right"))
        points.append((tick, round(float(roll[n - 1]), 1) if n else None))
    return points


def base_config(task: str, trainer: str) -> dict:
    """3DBall: ML-Agents' own config; ReachTarget: the pipeline's defaults for ``trainer``, 8 agents."""
    from mlops_unity_pipeline.rl.config import load_run_options
    from mlops_unity_pipeline.specs import RLTrainingConfig

    if task == "3DBall":
        return load_run_options(ANCHORS / "config" / trainer / "3DBall.yaml").to_dict()
    data = RLTrainingConfig(algorithm=trainer.upper()).run_options_dict(task)
    data.setdefault("env_settings", {})["num_areas"] = REACH_AGENTS
    return data


def behavior_options(
    task: str,
    trainer: str,
    out: Path,
    run_id: str,
    seed: int,
    max_steps: int,
    init: Path | None,
    bc: dict | None,
):
    """The task's config for ``trainer`` with the run's budget, seed, init_path and BC settings."""
    from mlops_unity_pipeline.rl.config import RunOptions

    data = base_config(task, trainer)
    (name,) = data["behaviors"]
    behavior = data["behaviors"][name]
    behavior.update(max_steps=max_steps, summary_freq=12000, checkpoint_interval=max_steps)
    if init is not None:
        behavior["init_path"] = str(init)
    if bc is not None:
        behavior["behavioral_cloning"] = bc
    data.setdefault("env_settings", {})["seed"] = seed
    data.setdefault("checkpoint_settings", {}).update(
        {"run_id": run_id, "results_dir": str(out), "force": True}
    )
    return RunOptions.from_dict(data)


def record_weak_demos(path: Path, episodes: int, scale: float) -> Path:
    """Imperfect demonstrations: ReachTarget's scripted controller moving at ``scale`` of its speed."""
    from mlops_unity_pipeline import sim
    from mlops_unity_pipeline.demos.record import record_episodes
    from mlops_unity_pipeline.demos.writer import DemoWriter
    from mlops_unity_pipeline.sim.heuristics import heuristic_policy
    from mlops_unity_pipeline.spaces import ActionTuple

    env = sim.make("ReachTarget", num_agents=1, seed=7)
    controller = heuristic_policy(env)

    def weak(batch):
        action = controller(batch)
        return ActionTuple((action.continuous * scale).astype(np.float32), action.discrete)

    try:
        with DemoWriter(path, env.signature, name="WeakReach") as writer:
            record_episodes(env, weak, writer, episodes=episodes, seed=7)
    finally:
        env.close()
    return path


def train_run(run: Run, options, task: str = "3DBall") -> Run:
    """Train with ``learn`` and record every episode."""
    from mlops_unity_pipeline.rl.learn import LearnOptions, learn

    started, cpu = time.time(), time.process_time()
    learn(
        LearnOptions(
            run_options=options,
            env=f"sim:{task}",
            quiet=True,
            on_episodes=lambda _name, step, rewards: run.add(step, rewards),
        )
    )
    run.wall_s = round(time.time() - started, 1)
    run.cpu_s = round(time.process_time() - cpu, 1)
    return run


def act_only_run(run: Run, options, task: str, max_steps: int) -> Run:
    """The pretrained policy acting (sampled, as in training) with no update: the pretrained level."""
    from mlops_unity_pipeline.rl.base import load_checkpoint_file
    from mlops_unity_pipeline.rl.env_factory import default_agents, sim_factory
    from mlops_unity_pipeline.rl.learn import make_trainer

    started = time.time()
    settings = options.behavior_settings(task)
    env = sim_factory(task)(default_agents(task), run.seed)
    try:
        trainer = make_trainer(env.signature, settings, env.num_agents, run.seed)
        trainer.load_state_dict(load_checkpoint_file(Path(settings.init_path)), weights_only=True)
        batch = env.reset(seed=run.seed)
        episode = np.zeros(env.num_agents)
        step = 0
        while step < max_steps:
            batch = env.step(trainer.act(batch))
            step += env.num_agents
            episode += batch.reward
            done = batch.terminated | batch.truncated
            if done.any():
                run.add(step, episode[done])
                episode[done] = 0.0
    finally:
        env.close()
    run.wall_s = round(time.time() - started, 1)
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=24, help="evaluation episodes per offline policy")
    parser.add_argument("--updates", type=int, default=500, help="offline gradient steps")
    parser.add_argument("--max-steps", type=int, default=300_000, help="environment steps per run")
    parser.add_argument("--seeds", type=int, default=3, help="seeds per arm")
    parser.add_argument(
        "--first-seed", type=int, default=0, help="seeds are first-seed .. first-seed + seeds - 1"
    )
    parser.add_argument("--window", type=int, default=100, help="rolling window (episodes), every arm")
    parser.add_argument("--every", type=int, default=12_000, help="curve resolution (steps)")
    parser.add_argument("--trainer", choices=("ppo", "sac"), default="ppo")
    parser.add_argument(
        "--task",
        choices=("3DBall", "ReachTarget"),
        default="3DBall",
        help="3DBall from Expert3DBall.demo, or ReachTarget from imperfect demonstrations",
    )
    parser.add_argument("--algorithm", choices=("bc", "iql"), default="bc", help="offline pretraining")
    parser.add_argument("--weak-scale", type=float, default=0.25, help="ReachTarget demonstrator's speed")
    parser.add_argument("--demo-episodes", type=int, default=40, help="ReachTarget demonstration episodes")
    parser.add_argument("--arms", default="scratch,pretrain-only,finetune", help="comma-separated")
    parser.add_argument(
        "--bc-steps", type=int, default=None, help="behavioral_cloning.steps (default: --max-steps)"
    )
    parser.add_argument(
        "--noise-seeds",
        type=int,
        default=0,
        help="also run the untouched pretrained policy on this many further seeds: the dip's noise band",
    )
    parser.add_argument("--skip-offline", action="store_true", help="only the fine-tuning comparison")
    parser.add_argument("--json", action="store_true", help="print a JSON summary at the end")
    args = parser.parse_args()
    if not ANCHORS.is_dir():
        print(f"anchors not found at {ANCHORS}", file=sys.stderr)
        return 2
    import torch

    torch.set_num_threads(1)
    from mlops_unity_pipeline import sim
    from mlops_unity_pipeline.rl.offline.pretrain import PretrainConfig, pretrain
    from mlops_unity_pipeline.rl.offline.rlpd import DEMO_REPLAY_KEY

    arms = [a.strip() for a in args.arms.split(",") if a.strip()]
    unknown = sorted(set(arms) - set(ARMS))
    if unknown:
        print(f"--arms: unknown {', '.join(unknown)}; expected some of {', '.join(ARMS)}", file=sys.stderr)
        return 2
    summary: dict = {
        "torch_threads": 1,
        "window": args.window,
        "task": args.task,
        "trainer": args.trainer,
        "algorithm": args.algorithm,
    }
    with tempfile.TemporaryDirectory(prefix="bench-offline-") as tmp:
        out = Path(tmp)
        if not args.skip_offline:
            summary["offline"] = offline_figures(out / "offline", args.episodes, args.updates)
        from mlops_unity_pipeline.rl.config import RunOptions

        task = args.task
        env = sim.make(task)
        data = base_config(task, args.trainer)
        settings = RunOptions.from_dict(data).behavior_settings(env.signature.name)
        if task == "3DBall":
            demo = ANCHORS / "demos" / "Expert3DBall.demo"
        else:
            demo = record_weak_demos(out / "WeakReach.demo", args.demo_episodes, args.weak_scale)
        rlpd_arms = [arm for arm in arms if arm in RLPD_ARMS]
        if rlpd_arms and args.trainer != "sac":
            print(f"{', '.join(rlpd_arms)}: demonstrations in replay need --trainer sac", file=sys.stderr)
            return 2
        started = time.time()
        pre = pretrain(
            env.signature,
            settings,
            demo,
            out / "pretrained",
            config=PretrainConfig(
                algorithm=args.algorithm, updates=args.updates, keep_demonstrations=bool(rlpd_arms)
            ),
        )
        env.close()
        took = time.time() - started
        print(f"pretraining ({args.algorithm}): {pre.transitions} transitions, {took:.1f} s", flush=True)
        # The same weights without the offline marker: the trainer then fine-tunes with no guard (the method
        # before the fine-tuning guard), for the ablation arm.
        # RLPD's arms start from checkpoints that carry the demonstrations; the others from ones that do not.
        state = torch.load(pre.checkpoint_path, weights_only=False)
        demos = state.pop(DEMO_REPLAY_KEY, None)
        checkpoints = {"finetune": out / "pretrained" / "plain.pt", "finetune-rlpd": pre.checkpoint_path}
        torch.save(state, checkpoints["finetune"])
        checkpoints["pretrain-only"] = checkpoints["finetune"]
        unguarded = {**state, "algorithm": args.trainer}
        checkpoints["finetune-unguarded"] = out / "pretrained" / "unguarded.pt"
        torch.save(unguarded, checkpoints["finetune-unguarded"])
        if demos is not None:
            checkpoints["rlpd"] = out / "pretrained" / "rlpd-unguarded.pt"
            torch.save({**unguarded, DEMO_REPLAY_KEY: demos}, checkpoints["rlpd"])
        # The pipeline's recipe (RLTrainingConfig.run_options_dict with use_offline_rl).
        bc = {"demo_path": str(demo), "strength": 1.0, "steps": args.bc_steps or args.max_steps}
        runs: dict[str, list[Run]] = {arm: [] for arm in arms}
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            for arm in arms:
                run = Run(arm, seed)
                init = checkpoints.get(arm)
                options = behavior_options(
                    task,
                    args.trainer,
                    out / "runs",
                    f"{arm}-{seed}",
                    seed,
                    args.max_steps,
                    init,
                    bc if arm.startswith("finetune") else None,  # RLPD alone has no BC
                )
                if arm == "pretrain-only":
                    act_only_run(run, options, task, args.max_steps)
                else:
                    train_run(run, options, task)
                runs[arm].append(run)
                print(
                    f"{task} {arm:13s} seed={seed} done ({run.wall_s:.0f} s, {run.cpu_s:.1f} s of CPU)",
                    flush=True,
                )
        # The dip's noise band: what the never-updated policy "dips" below its own mean, seed after seed.
        untouched = list(runs.get("pretrain-only", []))
        last = args.first_seed + args.seeds
        for seed in range(last, last + args.noise_seeds):
            options = behavior_options(
                task,
                args.trainer,
                out / "runs",
                f"noise-{seed}",
                seed,
                args.max_steps,
                checkpoints["pretrain-only"],
                None,
            )
            untouched.append(act_only_run(Run("pretrain-only", seed), options, task, args.max_steps))
            print(f"{task} untouched     seed={seed} done ({untouched[-1].wall_s:.0f} s)", flush=True)
        band = [noise_dip(r, args.window) for r in untouched if r.rewards]
        summary["noise_band_dips"] = band
        rows = report(runs, args.window, args.every, args.max_steps, task, band)
        summary["arms"] = rows
    if args.json:
        print(json.dumps(summary))
    return 0


def noise_dip(run: Run, window: int) -> float:
    """The never-updated policy's dip below its own mean return, in % (``figures``' rule)."""
    return float(figures(run, window, float(np.mean(run.rewards)), float("inf")).get("dip_pct", 0.0))


def report(
    runs: dict[str, list[Run]],
    window: int,
    every: int,
    max_steps: int,
    task: str,
    band: list[float] | None = None,
) -> dict:
    """Print each run's curve and figures, then the per-arm means; return them for the JSON summary.

    ``band`` holds the untouched policy's dips over seeds (``--noise-seeds``): a fine-tuning dip inside it is
    indistinguishable from the pretrained policy's own noise; each dip is printed next to it.
    """
    levels = {r.seed: float(np.mean(r.rewards)) for r in runs.get("pretrain-only", []) if r.rewards}
    noise = ""
    if band:
        q50, q90 = np.percentile(band, [50, 90])
        noise = f"; noise band {q50:.1f} / {q90:.1f} / {max(band):.1f}% (median / p90 / max)"
        print(
            f"noise band: the untouched pretrained policy's dip below its own mean over {len(band)} seeds: "
            f"{' / '.join(f'{b:.1f}' for b in band)}% (median {q50:.1f}, p90 {q90:.1f}, max {max(band):.1f})"
        )
    targets: dict[int, float] = {}
    for r in runs.get("scratch", []):
        if task != "3DBall" and r.rewards:
            targets[r.seed] = float(r.rolling(window)[-1])
    out: dict = {}
    print(f"rolling-{window} mean every {every} steps (torch threads: 1)")
    for arm, arm_runs in runs.items():
        rows = []
        for r in arm_runs:
            target = TARGET if task == "3DBall" else targets.get(r.seed, float("inf"))
            level = None if arm == "scratch" else levels.get(r.seed)
            fig = figures(r, window, level, target)
            if level and window > SHORT_WINDOW:  # a short window shows brief collapses the long one smooths
                fig["dip_pct_short"] = figures(r, SHORT_WINDOW, level, target).get("dip_pct")
            points = curve(r, window, every, max_steps)
            shown = " ".join(f"{s // 1000}k:{'-' if v is None else v}" for s, v in points)
            print(f"  {arm:13s} seed={r.seed} {shown}")
            print(
                f"  {'':13s}        steps to {target:.4g}: {fig['steps_to_target'] or 'not reached'}, "
                f"dip below pretrained: {fig.get('dip_pct', '-')}% "
                f"(rolling-{SHORT_WINDOW}: {fig.get('dip_pct_short', '-')}%{noise if level else ''}), "
                f"final: {fig['final']}, "
                f"pretrained level: {round(levels[r.seed], 2) if r.seed in levels else '-'}"
            )
            times = {"wall_s": r.wall_s, "cpu_s": r.cpu_s}
            rows.append({"seed": r.seed, **times, "curve": points, "target": target, **fig})
        out[arm] = rows
    for arm, rows in out.items():
        reached = [r["steps_to_target"] for r in rows if r["steps_to_target"] is not None]
        dips = [r["dip_pct"] for r in rows if "dip_pct" in r]
        short = [r["dip_pct_short"] for r in rows if r.get("dip_pct_short") is not None]
        finals = [r["final"] for r in rows if r["final"] is not None]
        goal = "90" if task == "3DBall" else "scratch's final level"
        print(
            f"{arm:13s} reached {goal} in {len(reached)}/{len(rows)} runs"
            f"{f' (mean {np.mean(reached):.0f} steps)' if reached else ''}; "
            f"worst dip {max(dips) if dips else '-'}% "
            f"(rolling-{SHORT_WINDOW}: {max(short) if short else '-'}%); "
            f"mean final {np.mean(finals):.3f}"
        )
    scratch = out.get("scratch")
    for arm, tuned in out.items():
        if not scratch or arm in ("scratch", "pretrain-only"):
            continue
        pairs = [
            (a["steps_to_target"], b["steps_to_target"])
            for a, b in zip(scratch, tuned, strict=False)
            if a["steps_to_target"] and b["steps_to_target"]
        ]
        if pairs:
            ratios = " / ".join(f"{b / a:.2f}" for a, b in pairs)
            print(
                f"{arm} / scratch steps to the target ({len(pairs)} of {len(tuned)} runs reached it): "
                f"{ratios}x, mean {float(np.mean([b / a for a, b in pairs])):.2f}x"
            )
    return out


if __name__ == "__main__":
    sys.exit(main())
