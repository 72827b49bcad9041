"""Built-in trainer speed: 3DBall PPO on ML-Agents' upstream hyperparameters vs Stable-Baselines3 PPO.

Prints, per seed and as the median over seeds: wall seconds (and CPU seconds) until the rolling mean of the
last
100 episode rewards reaches 90, the agent steps that took, env steps per second, and the peak resident memory
of
the training process. Each trial runs in its own subprocess (clean memory figures, no shared torch state).
Stable-Baselines3 trains the same network (2 x 128 Swish, separate actor and critic), the same hyperparameters
(buffer 12000 = 12 agents x 1000 steps, minibatch 64, 3 epochs, linear lr 3e-4, clip 0.2 -> 0.1, beta 0.001,
gamma 0.99, lambda 0.99, observation normalization clipped at 5, no gradient clipping) on the same simulator
through its Gymnasium view (``sim.gym_env.SimVectorEnv``).

    .venv/bin/python bench/bench_trainer.py                 # 3 seeds, ours + SB3 (several minutes)
    .venv/bin/python bench/bench_trainer.py --seeds 1 --skip-sb3
    .venv/bin/python bench/bench_trainer.py --config ../shared/anchors/mlagents/config/sac/3DBall.yaml
    --skip-sb3

Other configs (e.g. ``sac/3DBall.yaml``, ``ppo/Basic.yaml`` with ``--task Basic --target 0.9``) measure the
learning requirements at full budget; ``--navigation`` trains ``bench/configs/NavigationAgent_ppo.yaml``
(pure PPO), then records heuristic demonstrations and trains ``NavigationAgent.yaml`` (PPO + behavioral
cloning), and prints both success rates.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = REPO.parent / "shared" / "anchors" / "mlagents" / "config" / "ppo" / "3DBall.yaml"


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux reports KiB


# --- our trainer --------------------------------------------------------------------------------------------
def trial_ours(args: argparse.Namespace) -> dict:
    from mlops_unity_pipeline import sim
    from mlops_unity_pipeline.errors import JobCancelled
    from mlops_unity_pipeline.rl.config import load_run_options
    from mlops_unity_pipeline.rl.learn import LearnOptions, learn

    # Load the simulator's compiled kernels before the clock starts, as the SB3 trial builds its env first.
    sim.make(args.task, seed=args.seed).close()

    recent: deque[float] = deque(maxlen=100)
    hit: dict = {}
    t0 = time.perf_counter()
    c0 = time.process_time()

    def on_episodes(behavior, step, rewards):
        recent.extend(rewards.tolist())
        if not hit and len(recent) == recent.maxlen and sum(recent) / len(recent) >= args.target:
            hit.update(step=step, wall_s=time.perf_counter() - t0, cpu_s=time.process_time() - c0)

    with tempfile.TemporaryDirectory() as tmp:
        options = load_run_options(args.config).with_cli_overrides(
            run_id="bench", results_dir=tmp, seed=args.seed, num_envs=args.num_envs, force=True
        )
        steps = 0
        try:
            result = learn(
                LearnOptions(
                    options,
                    env=f"sim:{args.task}",
                    quiet=True,
                    on_episodes=on_episodes,
                    should_stop=lambda: bool(hit) and not args.full,
                )
            )
            steps = next(iter(result.behaviors.values())).steps
        except JobCancelled:
            steps = hit.get("step", 0)
    wall = time.perf_counter() - t0
    return {
        "trainer": "ours",
        "seed": args.seed,
        "reached": bool(hit),
        "steps_to_target": hit.get("step"),
        "wall_s_to_target": hit.get("wall_s"),
        "cpu_s_to_target": hit.get("cpu_s"),
        "steps_per_s": steps / wall if wall else None,
        "peak_rss_mb": _peak_rss_mb(),
    }


# --- Stable-Baselines3 --------------------------------------------------------------------------------------
def trial_sb3(args: argparse.Namespace) -> dict:
    import numpy as np
    import torch
    from stable_baselines3 import PPO
    from stable_baselines3.common.callbacks import BaseCallback
    from stable_baselines3.common.vec_env import VecEnv, VecNormalize

    from mlops_unity_pipeline.sim.gym_env import SimVectorEnv

    torch.set_num_threads(1)  # same as our trainer
    gym_env = SimVectorEnv(args.task, seed=args.seed, num_envs=12 * args.num_envs)
    recent: deque[float] = deque(maxlen=100)

    class GymnasiumToSB3(VecEnv):
        """SB3's VecEnv API over the Gymnasium vector view (same-step autoreset -> terminal_observation)."""

        def __init__(self, env):
            super().__init__(env.num_envs, env.single_observation_space, env.single_action_space)
            self.env = env
            self.returns = np.zeros(env.num_envs)

        def reset(self):
            obs, _ = self.env.reset(seed=args.seed)
            self.returns[:] = 0
            return obs

        def step_async(self, actions):
            self._actions = actions

        def step_wait(self):
            obs, reward, terminated, truncated, info = self.env.step(self._actions)
            self.returns += reward
            done = terminated | truncated
            infos = [{} for _ in range(self.num_envs)]
            for i in np.flatnonzero(done):
                infos[i]["terminal_observation"] = info["final_obs"][i]
                infos[i]["TimeLimit.truncated"] = bool(truncated[i] and not terminated[i])
                recent.append(self.returns[i])
                self.returns[i] = 0.0
            return obs, reward.astype(np.float32), done, infos

        def close(self):
            self.env.close()

        def get_attr(self, name, indices=None):
            return [getattr(self.env, name)] * self.num_envs

        def set_attr(self, name, value, indices=None):
            setattr(self.env, name, value)

        def env_method(self, name, *a, indices=None, **k):
            return [getattr(self.env, name)(*a, **k)]

        def env_is_wrapped(self, wrapper_class, indices=None):
            return [False] * self.num_envs

        def seed(self, seed=None):
            return [None] * self.num_envs

    venv = VecNormalize(GymnasiumToSB3(gym_env), norm_obs=True, norm_reward=False, clip_obs=5.0)
    hit: dict = {}
    t0 = time.perf_counter()
    c0 = time.process_time()

    class StopAtTarget(BaseCallback):
        def _on_step(self) -> bool:
            if len(recent) == recent.maxlen and sum(recent) / len(recent) >= args.target:
                hit.update(
                    step=self.num_timesteps, wall_s=time.perf_counter() - t0, cpu_s=time.process_time() - c0
                )
                return False
            return time.perf_counter() - t0 < args.sb3_timeout

    model = PPO(
        "MlpPolicy",
        venv,
        n_steps=1000,
        batch_size=64,
        n_epochs=3,
        learning_rate=lambda p: 3.0e-4 * p,
        gamma=0.99,
        gae_lambda=0.99,
        clip_range=lambda p: 0.1 + 0.1 * p,
        clip_range_vf=lambda p: 0.1 + 0.1 * p,
        ent_coef=0.001,
        vf_coef=0.5,
        max_grad_norm=1.0e9,
        normalize_advantage=True,
        seed=args.seed,
        device="cpu",
        policy_kwargs={"net_arch": {"pi": [128, 128], "vf": [128, 128]}, "activation_fn": torch.nn.SiLU},
    )
    model.learn(total_timesteps=500_000, callback=StopAtTarget())
    wall = time.perf_counter() - t0
    return {
        "trainer": "sb3",
        "seed": args.seed,
        "reached": bool(hit),
        "steps_to_target": hit.get("step"),
        "wall_s_to_target": hit.get("wall_s"),
        "cpu_s_to_target": hit.get("cpu_s"),
        "steps_per_s": model.num_timesteps / wall,
        "peak_rss_mb": _peak_rss_mb(),
    }


# --- navigation (pure PPO, and PPO + behavioral cloning from the heuristic) -------------------------------
def navigation(args: argparse.Namespace) -> None:
    import yaml

    from mlops_unity_pipeline import sim
    from mlops_unity_pipeline.rl.config import RunOptions
    from mlops_unity_pipeline.rl.learn import LearnOptions, learn
    from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy

    def train_and_evaluate(label: str, run_id: str, data: dict, tmp: str) -> None:
        options = RunOptions.from_dict(data).with_cli_overrides(run_id=run_id, results_dir=tmp, seed=0)
        t0 = time.perf_counter()
        result = learn(LearnOptions(options, env="sim:Navigation", quiet=True))
        wall = time.perf_counter() - t0
        behavior = result.behaviors["NavigationAgent"]
        env = sim.make("Navigation", seed=123)
        evaluation = sim.evaluate(
            env, OnnxRuntimePolicy(behavior.onnx_path, env.signature), episodes=100, seed=123
        )
        print(
            f"Navigation {label}: {behavior.steps} steps in {wall:0.1f} s; "
            f"deterministic policy, 100 episodes: success {evaluation.success_rate:0.2f}, "
            f"mean reward {evaluation.mean_reward:0.3f}"
        )

    configs = REPO / "bench" / "configs"
    with tempfile.TemporaryDirectory() as tmp:
        pure_ppo = yaml.safe_load((configs / "NavigationAgent_ppo.yaml").read_text())
        train_and_evaluate("PPO", "nav-ppo", pure_ppo, tmp)
        demo = Path(tmp) / "NavigationHeuristic.demo"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "mlops_unity_pipeline",
                "demo",
                "record",
                "Navigation",
                "--episodes",
                "200",
                "--out",
                str(demo),
                "--seed",
                "7",
            ],
            check=True,
            capture_output=True,
            cwd=REPO,
        )
        data = yaml.safe_load((configs / "NavigationAgent.yaml").read_text())
        data["behaviors"]["NavigationAgent"]["behavioral_cloning"]["demo_path"] = str(demo)
        train_and_evaluate("PPO+BC", "nav-ppo-bc", data, tmp)


# --- driver -------------------------------------------------------------------------------------------------
def _run_trial(trainer: str, seed: int, args: argparse.Namespace) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--trial",
        trainer,
        "--seed",
        str(seed),
        "--config",
        str(args.config),
        "--task",
        args.task,
        "--target",
        str(args.target),
        "--num-envs",
        str(args.num_envs),
        "--sb3-timeout",
        str(args.sb3_timeout),
    ] + (["--full"] if args.full else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=REPO)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _median(rows: list[dict], key: str) -> float | None:
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(values) if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="seeds 0..N-1 (median reported)")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="ML-Agents trainer YAML")
    parser.add_argument("--task", default="3DBall", help="simulator task")
    parser.add_argument("--target", type=float, default=90.0, help="rolling-100-episode mean reward to reach")
    parser.add_argument("--num-envs", type=int, default=1, help="simulator areas (12 agents each for 3DBall)")
    parser.add_argument("--skip-sb3", action="store_true", help="only our trainer")
    parser.add_argument(
        "--sb3-timeout", type=float, default=900.0, help="give up on SB3 after this many seconds"
    )
    parser.add_argument(
        "--full", action="store_true", help="train the whole max_steps instead of stopping at target"
    )
    parser.add_argument(
        "--navigation", action="store_true", help="NavigationAgent success rates (pure PPO, PPO+BC) instead"
    )
    parser.add_argument("--trial", choices=["ours", "sb3"], help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.navigation:
        navigation(args)
        return
    if args.trial:
        result = trial_ours(args) if args.trial == "ours" else trial_sb3(args)
        print(json.dumps(result))
        return
    if not args.config.is_file():
        sys.exit(f"config {args.config} not found (the upstream anchors live in ../shared/anchors/mlagents)")
    trainers = ["ours"] if args.skip_sb3 else ["ours", "sb3"]
    rows: dict[str, list[dict]] = {t: [] for t in trainers}
    print(
        f"config {args.config.name} task {args.task} target {args.target} areas {args.num_envs} "
        f"seeds {args.seeds}",
        flush=True,
    )
    for seed in range(args.seeds):
        for trainer in trainers:
            row = _run_trial(trainer, seed, args)
            rows[trainer].append(row)
            print(
                f"  {trainer:4s} seed {seed}: reached={row['reached']} steps={row['steps_to_target']} "
                f"wall={_fmt(row['wall_s_to_target'])} s cpu={_fmt(row['cpu_s_to_target'])} s "
                f"env steps/s={_fmt(row['steps_per_s'], 0)} peak RSS={_fmt(row['peak_rss_mb'], 0)} MB",
                flush=True,
            )
    summary = {}
    for trainer, trials in rows.items():
        summary[trainer] = {
            k: _median(trials, k)
            for k in ("wall_s_to_target", "cpu_s_to_target", "steps_to_target", "steps_per_s", "peak_rss_mb")
        }
        summary[trainer]["reached"] = sum(r["reached"] for r in trials)
        s = summary[trainer]
        print(
            f"median {trainer:4s}: {_fmt(s['wall_s_to_target'])} s wall "
            f"({_fmt(s['cpu_s_to_target'])} s CPU) to "
            f"{args.target} in {_fmt(s['steps_to_target'], 0)} steps; "
            f"{_fmt(s['steps_per_s'], 0)} env steps/s; "
            f"peak {_fmt(s['peak_rss_mb'], 0)} MB; reached {s['reached']}/{len(trials)}"
        )
    if "sb3" in summary and summary["ours"]["wall_s_to_target"] and summary["sb3"]["wall_s_to_target"]:
        ratio = summary["sb3"]["wall_s_to_target"] / summary["ours"]["wall_s_to_target"]
        cpu_ratio = summary["sb3"]["cpu_s_to_target"] / summary["ours"]["cpu_s_to_target"]
        print(f"speed-up vs Stable-Baselines3: {ratio:0.2f}x wall, {cpu_ratio:0.2f}x CPU")
    print(json.dumps(summary))


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:0.{digits}f}"


if __name__ == "__main__":
    main()
