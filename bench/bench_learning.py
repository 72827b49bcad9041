"""Learning figures: the built-in trainer on upstream ML-Agents configs whose environment the simulator has.

For each case below, the upstream config (``../shared/anchors/mlagents/config``) is trained on the simulator's
task **unchanged except** ``max_steps`` (``--budget``; default: the config's own, which takes hours on a
shared CPU), so linear schedules decay over the budget as they would over ``max_steps``. ``--summary-freq``
only changes how often progress is reported (default: the config's own). Per run it prints: agent steps, wall
seconds, steps per second, the final and best rolling mean reward (last 100 episodes; for POCA the mean
*group* reward of each summary, as ML-Agents reports it) against the upstream benchmark
(``docs/Learning-Environment-Examples.md``), the first step at which that mean reached the benchmark, the
first summary whose mean (ML-Agents' console figure) reached it, the summary curve (the trend for runs that
did not reach it), and ``mlops-unity sim eval`` of the exported ``.onnx`` (deterministic actions,
``--eval-episodes``, seed 123; with ``--eval-stochastic`` also sampled actions). The mean reward of uniformly
random actions (``--random-episodes`` episodes, same seed) is printed next to it as the floor.

    .venv/bin/python bench/bench_learning.py --list
    .venv/bin/python bench/bench_learning.py --only pushblock-ppo --budget 100000 --summary-freq 10000
    .venv/bin/python bench/bench_learning.py --only gridworld hallway --budget 60000 --json
    .venv/bin/python bench/bench_learning.py            # every case at its config's own max_steps (days)

Runs one at a time on one torch thread (the machine is shared; a loaded CPU gives lower steps/s, so the load
average is printed with every run).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
CONFIGS = REPO.parent / "shared" / "anchors" / "mlagents" / "config"
WINDOW = 100
"""Episodes in the rolling mean (ML-Agents' console mean is per summary; 100 is SB3's ``ep_rew_mean``)."""
EVAL_SEED = 123


@dataclass(frozen=True)
class Case:
    """One upstream config trained on one simulator task."""

    key: str
    """Name used by ``--only``."""
    config: str
    """Path under the anchors' ``config/`` folder."""
    task: str
    """Simulator task (``sim list``); its behavior name is the config's behavior trained."""
    benchmark: float
    """Upstream's Benchmark Mean Reward (``Learning-Environment-Examples.md``; PushBlockCollab: group)."""
    group: bool = False
    """POCA: judge the group reward (the agents' own rewards are 0 in PushBlockCollab)."""
    config_behavior: str | None = None
    """The config's behavior name when it differs from the task's (its settings are trained under the task's
    name): ``ppo/FoodCollector.yaml`` configures ``GridFoodCollector``, the grid-sensor scene's behavior."""

    @property
    def behavior(self) -> str:
        """The behavior trained: the task's name without the ``world:`` prefix."""
        return self.task.removeprefix("world:")


CASES: tuple[Case, ...] = (
    Case("3dballhard", "ppo/3DBallHard.yaml", "3DBallHard", 100.0),
    Case("gridworld", "ppo/GridWorld.yaml", "GridWorld", 0.8),
    Case("pushblock-ppo", "ppo/PushBlock.yaml", "PushBlock", 4.5),
    Case("pushblock-sac", "sac/PushBlock.yaml", "PushBlock", 4.5),
    Case("hallway", "ppo/Hallway.yaml", "Hallway", 0.7),
    Case("smallwalljump", "ppo/WallJump.yaml", "SmallWallJump", 0.8),
    Case("bigwalljump", "ppo/WallJump.yaml", "BigWallJump", 0.8),
    Case("pushblockcollab", "poca/PushBlockCollab.yaml", "PushBlockCollab", 11.0, group=True),
    Case("pyramids", "ppo/Pyramids.yaml", "world:Pyramids", 1.75),
    Case("pyramids-rnd", "ppo/PyramidsRND.yaml", "world:Pyramids", 1.75),
    Case(
        "foodcollector",
        "ppo/FoodCollector.yaml",
        "world:FoodCollector",
        10.0,
        config_behavior="GridFoodCollector",
    ),
)


@dataclass
class RunFigures:
    """What one training run printed."""

    case: str
    config: str
    task: str
    benchmark: float
    budget: int
    steps: int = 0
    wall_s: float = 0.0
    episodes: int = 0
    final_mean: float | None = None
    best_mean: float | None = None
    reached_step: int | None = None
    summary_reached_step: int | None = None
    curve: list[tuple[int, float]] = field(default_factory=list)
    eval_mean: float | None = None
    eval_success: float | None = None
    eval_stochastic_mean: float | None = None
    random_mean: float | None = None
    load_avg: float = 0.0

    @property
    def steps_per_s(self) -> float:
        """Agent steps per wall second of training (export and evaluation excluded)."""
        return self.steps / self.wall_s if self.wall_s > 0 else 0.0

    def judge(self, step: int, mean: float) -> None:
        """Record one rolling (or summary) mean at ``step``: best so far and first benchmark hit."""
        self.final_mean = mean
        self.best_mean = mean if self.best_mean is None else max(self.best_mean, mean)
        if self.reached_step is None and mean >= self.benchmark:
            self.reached_step = step


def write_config(case: Case, folder: Path, budget: int | None, summary_freq: int | None) -> tuple[Path, int]:
    """Write the upstream config with ``max_steps`` (and ``summary_freq`` if given) replaced."""
    source = CONFIGS / case.config
    if not source.is_file():
        sys.exit(f"{source} not found: the upstream anchors (../shared/anchors/mlagents) are needed")
    data = yaml.safe_load(source.read_text())
    if case.config_behavior is not None:
        data["behaviors"][case.behavior] = data["behaviors"].pop(case.config_behavior)
    behavior = data["behaviors"][case.behavior]
    if budget is not None:
        behavior["max_steps"] = budget
    if summary_freq is not None:
        behavior["summary_freq"] = summary_freq
    # One final checkpoint only: numbered checkpoints would export an .onnx every 500k steps for nothing.
    behavior["checkpoint_interval"] = max(int(behavior["max_steps"]), 500_000)
    path = folder / f"{case.key}.yaml"
    path.write_text(yaml.safe_dump(data))
    return path, int(behavior["max_steps"])


def sim_eval(task: str, model: Path | None, episodes: int, *, stochastic: bool = False) -> dict:
    """``mlops-unity sim eval TASK [--model M] --json`` in a subprocess, as a user runs it."""
    command = [sys.executable, "-m", "mlops_unity_pipeline", "sim", "eval", task, "--episodes", str(episodes)]
    command += ["--seed", str(EVAL_SEED), "--json"]
    if model is not None:
        command += ["--model", str(model)]
    if stochastic:
        command.append("--stochastic")
    out = subprocess.run(command, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        print(f"   sim eval failed ({out.returncode}): {out.stderr.strip()[-400:]}", file=sys.stderr)
        return {}
    return json.loads(out.stdout.strip().splitlines()[-1])


def random_mean(task: str, episodes: int) -> float:
    """Mean episode reward of uniformly random actions (the floor a learning run must rise above)."""
    from mlops_unity_pipeline import sim
    from mlops_unity_pipeline.sim.policies import random_policy

    env = sim.make(task, seed=EVAL_SEED)
    try:
        policy = random_policy(env.signature.action_spec, seed=EVAL_SEED)
        return sim.evaluate(env, policy, episodes=episodes, seed=EVAL_SEED).mean_reward
    finally:
        env.close()


def train(case: Case, args: argparse.Namespace, folder: Path) -> RunFigures:
    """Train ``case`` once and gather its figures."""
    from mlops_unity_pipeline.rl.config import load_run_options
    from mlops_unity_pipeline.rl.learn import LearnOptions, learn

    config, budget = write_config(case, folder, args.budget, args.summary_freq)
    figures = RunFigures(case.key, case.config, case.task, case.benchmark, budget)
    options = load_run_options(config).with_cli_overrides(
        run_id=case.key, results_dir=str(folder), seed=args.seed, force=True, num_areas=args.num_areas
    )
    recent: deque[float] = deque(maxlen=WINDOW)

    def on_episodes(behavior: str, step: int, rewards) -> None:
        figures.episodes += len(rewards)
        if case.group:
            return
        recent.extend(rewards.tolist())
        # Judge only full windows: the first few episodes of a run are too noisy to call a mean.
        if len(recent) == WINDOW:
            figures.judge(step, sum(recent) / WINDOW)

    def on_progress(event) -> None:
        mean = event.mean_group_reward if case.group else event.mean_reward
        if mean is None:
            return
        figures.curve.append((int(event.step), round(float(mean), 3)))
        if figures.summary_reached_step is None and mean >= case.benchmark:
            figures.summary_reached_step = int(event.step)
        if case.group:
            figures.judge(int(event.step), float(mean))
        if args.verbose:
            print(f"    step {event.step}: mean {mean:.3f} ({event.elapsed_s:.0f} s)", flush=True)

    figures.load_avg = os.getloadavg()[0]
    start = time.perf_counter()
    result = learn(
        LearnOptions(
            options, env=f"sim:{case.task}", quiet=True, on_episodes=on_episodes, on_progress=on_progress
        )
    )
    figures.wall_s = time.perf_counter() - start
    behavior = result.behaviors[case.behavior]
    figures.steps = behavior.steps
    if args.eval_episodes > 0:
        evaluated = sim_eval(case.task, behavior.onnx_path, args.eval_episodes)
        figures.eval_mean = evaluated.get("mean_reward")
        figures.eval_success = evaluated.get("success_rate")
        if args.eval_stochastic:
            sampled = sim_eval(case.task, behavior.onnx_path, args.eval_episodes, stochastic=True)
            figures.eval_stochastic_mean = sampled.get("mean_reward")
    if args.random_episodes > 0:
        figures.random_mean = random_mean(case.task, args.random_episodes)
    return figures


def _num(value: float | None, spec: str = ".3f") -> str:
    return "-" if value is None else format(value, spec)


def print_table(runs: list[RunFigures]) -> None:
    """One row per run, then each run's curve."""
    header = (
        f"{'case':<16} {'steps':>8} {'wall s':>7} {'steps/s':>8} {'final':>8} {'best':>8} {'bench':>6} "
        f"{'reached at':>10} {'summary at':>10} {'eval':>8} {'eval succ':>9} {'sampled':>8} {'random':>8} "
        f"{'load':>5}"
    )
    print(header)
    for r in runs:
        print(
            f"{r.case:<16} {r.steps:>8} {r.wall_s:>7.0f} {r.steps_per_s:>8.0f} {_num(r.final_mean):>8} "
            f"{_num(r.best_mean):>8} {r.benchmark:>6g} {r.reached_step if r.reached_step else 'no':>10} "
            f"{r.summary_reached_step if r.summary_reached_step else 'no':>10} "
            f"{_num(r.eval_mean):>8} {_num(r.eval_success, '.2f'):>9} {_num(r.eval_stochastic_mean):>8} "
            f"{_num(r.random_mean):>8} "
            f"{r.load_avg:>5.1f}"
        )
    for r in runs:
        curve = ", ".join(f"{step // 1000}k {mean:g}" for step, mean in r.curve)
        print(f"  {r.case} curve (summary means): {curve or 'no summary'}")


def main() -> None:
    """Parse the flags, train each selected case, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", nargs="+", choices=[c.key for c in CASES], help="cases to run (default all)"
    )
    parser.add_argument("--budget", type=int, default=None, help="max_steps of every run (default: config's)")
    parser.add_argument("--summary-freq", type=int, default=None, help="reporting only (default: config's)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--num-areas", type=int, default=None, help="training areas (mlagents-learn's --num-areas; default 1)"
    )
    parser.add_argument("--eval-episodes", type=int, default=100, help="sim eval episodes (0: skip)")
    parser.add_argument(
        "--eval-stochastic", action="store_true", help="also sim eval --stochastic (sampled actions)"
    )
    parser.add_argument("--random-episodes", type=int, default=100, help="random-policy episodes (0: skip)")
    parser.add_argument("--list", action="store_true", help="print the cases and exit")
    parser.add_argument("--verbose", action="store_true", help="print every summary")
    parser.add_argument("--json", action="store_true", help="print one JSON object at the end")
    args = parser.parse_args()
    if args.list:
        for c in CASES:
            print(f"{c.key:<16} {c.config:<28} sim:{c.task:<16} benchmark {c.benchmark:g}")
        return
    if args.budget is not None and args.budget < 1:
        parser.error("--budget must be >= 1")

    import torch

    torch.set_num_threads(1)
    cases = [c for c in CASES if args.only is None or c.key in args.only]
    runs: list[RunFigures] = []
    with tempfile.TemporaryDirectory(prefix="bench-learning-") as tmp:
        for case in cases:
            print(f"# {case.key}: {case.config} on sim:{case.task}, seed {args.seed}", flush=True)
            runs.append(train(case, args, Path(tmp)))
            r = runs[-1]
            print(
                f"  done: {r.steps} steps, {r.wall_s:.0f} s, best {_num(r.best_mean)} "
                f"(benchmark {r.benchmark:g}), eval {_num(r.eval_mean)}",
                flush=True,
            )
    print(f"# {os.cpu_count()} CPUs, 1 torch thread; rolling mean over {WINDOW} episodes")
    print_table(runs)
    if args.json:
        print(
            json.dumps(
                {"args": vars(args), "runs": [asdict(r) | {"steps_per_s": r.steps_per_s} for r in runs]}
            )
        )


if __name__ == "__main__":
    main()
