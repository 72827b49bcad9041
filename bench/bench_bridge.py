"""Side by side on the simulator: real mlagents-learn vs our trainer via the bridge vs in-process.

``--env 3DBall|PushBlock|Hallway``. All three runs train upstream's ``config/ppo/<env>.yaml`` (from the
anchors; unchanged except ``max_steps`` = ``--budget`` and ``summary_freq`` = ``--summary-freq`` for all
three; Hallway keeps its LSTM memory) with the same seed:

* ``mlagents-learn`` (``.venv-mlagents``) launching our simulator player (``sim-<env>.x86_64`` launcher);
* our PPO through the gRPC bridge, launching the same player (``mlops-unity learn --env PLAYER``);
* our PPO on the simulator in-process (``--env sim:<env>``).

Figures per run: wall seconds (process start to end, player start-up included), CPU seconds of the whole run
(the trainer's process and the processes it reaps: player, mlagents-learn's env worker), agent steps, steps
per second of training (steps / trainer clock at the last summary), steps per CPU second (on a shared machine
a run with more processes gets more CPU shares, so this is the fairer ratio under load), the first summary
whose mean reward reaches ``--target`` (trainer-clock and wall seconds; default the upstream benchmark, 90
for 3DBall), and the last mean reward. With ``--stop-at-target`` each run stops at that summary
(mlagents-learn with one SIGINT, so it still exports its model). ``MLAGENTS_LEARN`` may point at an existing
``mlagents-learn`` (e.g. the main checkout's ``.venv-mlagents/bin/mlagents-learn``).

    .venv/bin/python bench/bench_bridge.py [--env 3DBall] [--budget 150000] [--target 90] \
        [--runs mlagents bridge inprocess]
    .venv/bin/python bench/bench_bridge.py --env PushBlock --budget 20000 --summary-freq 4000
    .venv/bin/python bench/bench_bridge.py --env Hallway --budget 20000 --summary-freq 4000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CONFIGS = REPO.parent / "shared" / "anchors" / "mlagents" / "config" / "ppo"


@dataclass(frozen=True)
class EnvCase:
    """A simulator task with an upstream PPO config of the same name."""

    budget: int
    """Default ``--budget``."""
    summary_freq: int
    """Default ``--summary-freq``."""
    target: float
    """Default ``--target``: upstream's benchmark mean reward (3DBall: 90, this bench's historic target)."""


ENVS = {
    "3DBall": EnvCase(budget=150_000, summary_freq=6000, target=90.0),
    "PushBlock": EnvCase(budget=100_000, summary_freq=10_000, target=4.5),
    "Hallway": EnvCase(budget=100_000, summary_freq=10_000, target=0.7),
}


@dataclass
class RunFigures:
    name: str
    wall_s: float = 0.0
    cpu_s: float = 0.0
    steps: int = 0
    train_s: float = 0.0
    first_target_train_s: float | None = None
    first_target_wall_s: float | None = None
    first_target_step: int | None = None
    last_mean_reward: float | None = None
    summaries: list[tuple[int, float, float | None]] = field(default_factory=list)

    @property
    def steps_per_s(self) -> float:
        return self.steps / self.train_s if self.train_s > 0 else 0.0

    @property
    def steps_per_cpu_s(self) -> float:
        return self.steps / self.cpu_s if self.cpu_s > 0 else 0.0

    def record(self, step: int, train_s: float, wall_s: float, mean: float | None, target: float) -> bool:
        self.summaries.append((step, round(train_s, 2), mean))
        self.steps, self.train_s = step, train_s
        if mean is not None:
            self.last_mean_reward = mean
            if mean >= target and self.first_target_step is None:
                self.first_target_step, self.first_target_train_s, self.first_target_wall_s = (
                    step,
                    train_s,
                    wall_s,
                )
                return True
        return False


def _cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def write_config(folder: Path, env: str, budget: int, summary_freq: int) -> Path:
    import yaml

    anchor = CONFIGS / f"{env}.yaml"
    if not anchor.is_file():
        sys.exit(f"{anchor} not found: the upstream anchors are needed for the {env} config")
    config = yaml.safe_load(anchor.read_text())
    behavior = config["behaviors"][env]
    behavior["max_steps"] = budget
    behavior["summary_freq"] = summary_freq
    behavior["checkpoint_interval"] = max(budget, 500_000)
    path = folder / f"{env}.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def run_mlagents(config: Path, player: Path, folder: Path, args: argparse.Namespace) -> RunFigures:
    from mlops_unity_pipeline.unity.learn_output import parse_summary_line
    from mlops_unity_pipeline.unity.mlagents_install import find_mlagents_learn

    figures = RunFigures("mlagents-learn 1.1.0 + sim player")
    executable = find_mlagents_learn(cwd=REPO)
    command = [
        str(executable),
        str(config),
        f"--env={player}",
        "--run-id=mlagents",
        f"--results-dir={folder}",
        f"--seed={args.seed}",
        "--no-graphics",
        f"--base-port={args.base_port}",
        "--torch-device=cpu",
        f"--num-areas={args.num_areas}",
        "--force",
    ]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PYTHONUNBUFFERED"] = "1"
    # CPU of mlagents-learn and of what it reaps (its env worker and the player): on a shared machine wall
    # time depends on how many processes a run has (it gets one CPU share per runnable process), CPU does not.
    cpu0 = _cpu_seconds(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True
    )
    assert proc.stdout is not None
    stopping = False
    for line in proc.stdout:
        summary = parse_summary_line(line)
        if summary is None:
            continue
        if args.verbose:
            print("   ", line.strip(), flush=True)
        hit = figures.record(
            summary.step, summary.elapsed_s, time.monotonic() - start, summary.mean_reward, args.target
        )
        if hit and args.stop_at_target and not stopping:
            os.killpg(proc.pid, signal.SIGINT)  # one SIGINT: it saves and exports, then exits
            stopping = True
    proc.wait()
    figures.wall_s = time.monotonic() - start
    figures.cpu_s = _cpu_seconds(resource.RUSAGE_CHILDREN) - cpu0
    if proc.returncode not in (0, -signal.SIGINT) and not stopping:
        print(f"mlagents-learn exited with {proc.returncode}", file=sys.stderr)
    return figures


def run_ours(config: Path, env: str, name: str, folder: Path, args: argparse.Namespace) -> RunFigures:
    from mlops_unity_pipeline.errors import JobCancelled
    from mlops_unity_pipeline.rl.config import load_run_options
    from mlops_unity_pipeline.rl.learn import LearnOptions, learn

    figures = RunFigures(name)
    options = load_run_options(config).with_cli_overrides(
        run_id=name.split()[0].replace("/", "-"),
        results_dir=str(folder),
        seed=args.seed,
        force=True,
        num_areas=args.num_areas,
    )
    cpu0 = _cpu_seconds(resource.RUSAGE_SELF) + _cpu_seconds(resource.RUSAGE_CHILDREN)  # + the player
    start = time.monotonic()
    stop = {"now": False}

    def progress(event: object) -> None:
        hit = figures.record(
            event.step,
            event.elapsed_s,
            time.monotonic() - start,  # type: ignore[attr-defined]
            event.mean_reward,
            args.target,
        )  # type: ignore[attr-defined]
        if args.verbose:
            print(f"    {event}", flush=True)
        if hit and args.stop_at_target:
            stop["now"] = True

    try:
        learn(
            LearnOptions(
                run_options=options,
                env=env,
                on_progress=progress,
                quiet=True,
                should_stop=lambda: stop["now"],
            )
        )
    except JobCancelled:
        pass
    figures.wall_s = time.monotonic() - start
    figures.cpu_s = _cpu_seconds(resource.RUSAGE_SELF) + _cpu_seconds(resource.RUSAGE_CHILDREN) - cpu0
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", choices=sorted(ENVS), default="3DBall", help="task and ppo/<env>.yaml")
    parser.add_argument("--budget", type=int, default=None, help="max_steps of every run (default per env)")
    parser.add_argument("--summary-freq", type=int, default=None, help="summary_freq (default per env)")
    parser.add_argument("--target", type=float, default=None, help="mean reward to reach (default per env)")
    parser.add_argument(
        "--runs",
        nargs="+",
        default=["mlagents", "bridge", "inprocess"],
        choices=["mlagents", "bridge", "inprocess"],
    )
    parser.add_argument(
        "--num-areas",
        type=int,
        default=1,
        help="areas per player (3DBall 12 agents, PushBlock 32, Hallway 16)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--base-port", type=int, default=47000)
    parser.add_argument("--stop-at-target", action="store_true", help="stop each run at its first target hit")
    parser.add_argument("--verbose", action="store_true", help="print every summary")
    parser.add_argument("--json", action="store_true", help="print one JSON object at the end")
    args = parser.parse_args()
    case = ENVS[args.env]
    args.budget = case.budget if args.budget is None else args.budget
    args.summary_freq = case.summary_freq if args.summary_freq is None else args.summary_freq
    args.target = case.target if args.target is None else args.target
    if args.budget < 1 or args.summary_freq < 1:
        parser.error("--budget and --summary-freq must be >= 1")

    from mlops_unity_pipeline.bridge.launcher import write_player_launcher

    folder = Path(tempfile.mkdtemp(prefix="bench-bridge-"))
    config = write_config(folder, args.env, args.budget, args.summary_freq)
    player = write_player_launcher(folder, args.env)
    print(
        f"# {args.env} (simulator), ppo/{args.env}.yaml, max_steps {args.budget}, "
        f"summary_freq {args.summary_freq}, {args.num_areas} area(s), seed {args.seed}, "
        f"target {args.target:g}; "
        f"{os.cpu_count()} CPUs (load avg {os.getloadavg()[0]:.1f})",
        flush=True,
    )
    results: list[RunFigures] = []
    for run in args.runs:
        if run == "mlagents":
            results.append(run_mlagents(config, player, folder, args))
        elif run == "bridge":
            results.append(
                run_ours(config, str(player), "bridge (our PPO + sim player over gRPC)", folder, args)
            )
        else:
            results.append(
                run_ours(config, f"sim:{args.env}", "inprocess (our PPO + simulator)", folder, args)
            )
        r = results[-1]
        print(f"  done: {r.name}: {r.steps} steps in {r.wall_s:.1f} s wall", flush=True)

    def fmt(value: float | None, unit: str = "s") -> str:
        return "not reached" if value is None else f"{value:.1f} {unit}"

    print(
        f"{'run':<44} {'wall s':>8} {'CPU s':>7} {'steps':>8} {'steps/s':>9} {'steps/CPU-s':>11} "
        f"{'to target (train)':>18} "
        f"{'to target (wall)':>17} {'at step':>8} {'last mean':>10}"
    )
    for r in results:
        print(
            f"{r.name:<44} {r.wall_s:>8.1f} {r.cpu_s:>7.1f} {r.steps:>8} {r.steps_per_s:>9.0f} "
            f"{r.steps_per_cpu_s:>11.0f} "
            f"{fmt(r.first_target_train_s):>18} {fmt(r.first_target_wall_s):>17} "
            f"{r.first_target_step if r.first_target_step is not None else '-':>8} "
            f"{r.last_mean_reward if r.last_mean_reward is not None else float('nan'):>10.2f}"
        )
    base = next((r for r in results if r.name.startswith("mlagents")), None)
    if base is not None:
        for r in results:
            if r is base:
                continue
            speed = r.steps_per_s / base.steps_per_s if base.steps_per_s else float("nan")
            per_cpu = r.steps_per_cpu_s / base.steps_per_cpu_s if base.steps_per_cpu_s else float("nan")
            line = f"{r.name.split()[0]} vs mlagents-learn: {speed:.1f}x steps/s, {per_cpu:.1f}x steps/CPU-s"
            if r.first_target_wall_s and base.first_target_wall_s:
                ratio = base.first_target_wall_s / r.first_target_wall_s
                line += f", {ratio:.1f}x faster to {args.target:g} (wall)"
            print(line)
    if args.json:
        print(
            json.dumps(
                {
                    "args": vars(args),
                    "runs": [
                        asdict(r) | {"steps_per_s": r.steps_per_s, "steps_per_cpu_s": r.steps_per_cpu_s}
                        for r in results
                    ],
                }
            )
        )


if __name__ == "__main__":
    main()
