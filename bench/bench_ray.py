"""Ray figures: job dispatch overhead (Ray vs local) and rollout throughput with 1, 2, 4 env actors.

The env actors run the simulator slowed to Unity-like speed: each step sleeps ``agents / unity_rate``
seconds (a Unity player gives about 1,000 agent steps/s), so the figures show how the actors overlap, not
how fast the simulator is. A paper projection for N actors (nodes) follows from the measured per-step costs.

Run: PYTHONPATH=src .venv/bin/python bench/bench_ray.py [--jobs 8] [--steps 200] [--unity-rate 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time

import numpy as np

# Keep the local Ray instance on the loopback interface (see tests/cluster/local_cluster.py).
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
os.environ.setdefault("RAY_AUTH_MODE", "disabled")
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
os.environ.pop("RAY_ADDRESS", None)


class SlowEnv:
    """A simulator env whose ``step`` takes at least ``num_agents / rate`` seconds (a Unity-speed player)."""

    def __init__(self, task: str, num_agents: int, seed: int | None, rate: float) -> None:
        from mlops_unity_pipeline import sim

        self.env = sim.make(task, num_agents=num_agents, seed=seed)
        self.signature = self.env.signature
        self.num_agents = self.env.num_agents
        self.delay = self.num_agents / rate

    def reset(self, *, seed=None):
        return self.env.reset(seed=seed)

    def step(self, actions):
        deadline = time.perf_counter() + self.delay
        batch = self.env.step(actions)
        left = deadline - time.perf_counter()
        if left > 0:
            time.sleep(left)
        return batch

    def set_env_parameters(self, params):
        self.env.set_env_parameters(params)

    def close(self):
        self.env.close()


class SlowFactory:
    """Picklable ``factory(num_agents, seed)`` of ``SlowEnv``."""

    def __init__(self, task: str, rate: float) -> None:
        self.task, self.rate = task, rate

    def __call__(self, num_agents: int, seed: int | None) -> SlowEnv:
        return SlowEnv(self.task, num_agents, seed, self.rate)


def bench_dispatch(jobs: int) -> None:
    from mlops_unity_pipeline.orchestrator import FakeStage, UnityMLOpsOrchestrator
    from mlops_unity_pipeline.specs import TrainingJob

    names = ("codegen", "build", "train", "evaluate", "package", "register", "notify")
    asset = {"asset_id": "a", "name": "ReachAgent", "description": "Reach a target position"}
    for executor in ("local", "ray"):
        times = []
        with tempfile.TemporaryDirectory() as ws:
            orchestrator = UnityMLOpsOrchestrator(ws, stages=[FakeStage(n) for n in names], heartbeat_s=60)
            for i in range(jobs + 1):
                job = TrainingJob.from_dict(
                    {"job_id": f"j{i}", "asset_spec": asset, "execution": {"executor": executor}}
                )
                start = time.perf_counter()
                result = asyncio.run(orchestrator.execute_training_job(job))
                assert result.ok, result.error
                if i:  # the first job pays one-off costs (Ray worker start, imports)
                    times.append(time.perf_counter() - start)
        print(
            f"dispatch {executor:<5}: {statistics.median(times) * 1e3:7.1f} ms/job median "
            f"({min(times) * 1e3:.1f}-{max(times) * 1e3:.1f}) over {jobs} no-op jobs (7 stages)"
        )


def bench_rollouts(task: str, steps: int, rate: float, agents_per_actor: int) -> dict[int, float]:
    from mlops_unity_pipeline.cluster.rollouts import RayVectorEnv
    from mlops_unity_pipeline.spaces import ActionTuple

    factory = SlowFactory(task, rate)
    step_s: dict[int, float] = {}
    for actors in (1, 2, 4):
        env = RayVectorEnv(
            factory, actors * agents_per_actor, 0, num_actors=actors, options={"num_cpus": 0.5}
        )
        try:
            env.reset(seed=0)
            spec = env.signature.action_spec
            n = env.num_agents
            rng = np.random.default_rng(0)
            for _ in range(5):  # warm-up
                env.step(
                    ActionTuple(
                        rng.uniform(-1, 1, (n, spec.continuous_size)).astype(np.float32),
                        np.zeros((n, spec.discrete_size), np.int32),
                    )
                )
            start = time.perf_counter()
            for _ in range(steps):
                actions = ActionTuple(
                    rng.uniform(-1, 1, (n, spec.continuous_size)).astype(np.float32),
                    np.zeros((n, spec.discrete_size), np.int32),
                )
                env.step(actions)
            elapsed = time.perf_counter() - start
        finally:
            env.close()
        step_s[actors] = elapsed / steps
        rate_now = n * steps / elapsed
        base = step_s[1]
        speedup = (actors * base) / step_s[actors]
        print(
            f"rollouts {actors} actor(s) x {agents_per_actor} agents: {rate_now:8.0f} agent steps/s, "
            f"{step_s[actors] * 1e3:6.1f} ms/step, speed-up {speedup:4.2f}x"
        )
    return step_s


def projection(step_s: dict[int, float], agents_per_actor: int, rate: float) -> None:
    # Per-step time = the slowest actor's step (agents/rate) + the driver's fan-out/gather cost, which grows
    # with the number of actors. Fit overhead(k) = step_s[k] - agents/rate as a + b*k over k = 1, 2, 4.
    env_s = agents_per_actor / rate
    ks = np.array(sorted(step_s), float)
    overhead = np.array([step_s[int(k)] - env_s for k in ks])
    b, a = np.polyfit(ks, overhead, 1)
    print(
        f"per-step overhead fit: {a * 1e3:.2f} ms + {b * 1e3:.3f} ms per actor "
        f"(env step {env_s * 1e3:.1f} ms)"
    )
    for nodes in (4, 8, 16, 32, 64):
        t = env_s + max(a, 0.0) + max(b, 0.0) * nodes
        print(
            f"projection {nodes:>3} actors (one per node): {nodes * agents_per_actor / t:9.0f} agent steps/s "
            f"({nodes * agents_per_actor / t / (agents_per_actor / env_s):5.1f}x one player)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--task", default="3DBall")
    parser.add_argument("--agents-per-actor", type=int, default=12)
    parser.add_argument("--unity-rate", type=float, default=1000.0, help="agent steps/s of one Unity player")
    args = parser.parse_args()
    import ray

    started = time.perf_counter()
    ray.init(num_cpus=4, include_dashboard=False, log_to_driver=False)
    print(
        f"ray.init (local instance, 4 logical CPUs): {time.perf_counter() - started:.1f} s; "
        f"os.cpu_count()={os.cpu_count()}, load average {os.getloadavg()[0]:.1f}"
    )
    try:
        bench_dispatch(args.jobs)
        step_s = bench_rollouts(args.task, args.steps, args.unity_rate, args.agents_per_actor)
        projection(step_s, args.agents_per_actor, args.unity_rate)
    finally:
        ray.shutdown()


if __name__ == "__main__":
    main()
