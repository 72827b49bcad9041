"""Train one policy shared by every agent of a simulator task through the PettingZoo parallel API.

CleanRL-style (one file, top to bottom): parameter sharing across agents, REINFORCE with a mean baseline,
PettingZoo's ``reset``/``step`` dictionaries. Needs ``pip install 'mlops_unity_pipeline[multiagent]'``.

    python examples/pettingzoo_shared_policy.py --task Basic --episodes 60
    python examples/pettingzoo_shared_policy.py --task PushBlockCollab --episodes 4 --max-decisions 200
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from mlops_unity_pipeline.sim.pettingzoo_env import SimParallelEnv


@dataclass(frozen=True)
class Args:
    """What the script trains on and for how long."""

    task: str = "Basic"
    """A discrete-action task of ``mlops-unity sim list``."""
    num_agents: int | None = None
    """Simulated agents (None = the task's default)."""
    episodes: int = 60
    """Episodes to train on (one update per episode)."""
    max_decisions: int = 1000
    """Decisions per episode before it is cut (the task's own limits usually end it first)."""
    learning_rate: float = 0.01
    seed: int = 0


def flatten(obs) -> np.ndarray:
    """One agent's observation (a Box or a Tuple of Boxes) as a flat float32 vector."""
    parts = obs if isinstance(obs, tuple) else (obs,)
    return np.concatenate([np.asarray(p, dtype=np.float32).reshape(-1) for p in parts])


def run(args: Args) -> list[float]:
    """Train and return each episode's mean return per agent."""
    torch.manual_seed(args.seed)
    make_kwargs = {"seed": args.seed} | ({"num_agents": args.num_agents} if args.num_agents else {})
    env = SimParallelEnv(args.task, **make_kwargs)
    agent0 = env.possible_agents[0]
    obs_size = flatten(env.observation_space(agent0).sample()).size
    num_actions = int(env.action_space(agent0).n)  # one discrete branch
    policy = nn.Sequential(nn.Linear(obs_size, 64), nn.Tanh(), nn.Linear(64, num_actions))
    optimizer = torch.optim.Adam(policy.parameters(), lr=args.learning_rate)
    history = []
    for episode in range(args.episodes):
        # --- rollout: every live agent acts with the shared policy ---
        obs, infos = env.reset(seed=args.seed + episode)
        log_probs: dict[str, list[torch.Tensor]] = {a: [] for a in env.agents}
        rewards: dict[str, list[float]] = {a: [] for a in env.agents}
        for _ in range(args.max_decisions):
            if not env.agents:
                break
            batch = torch.as_tensor(np.stack([flatten(obs[a]) for a in env.agents]))
            logits = policy(batch)
            masks = [infos[a].get("action_mask") for a in env.agents]
            if masks[0] is not None:  # masked actions get zero probability
                logits = logits.masked_fill(torch.as_tensor(np.stack(masks)) == 0, -1e9)
            dist = torch.distributions.Categorical(logits=logits)
            actions = dist.sample()
            for agent, log_prob in zip(env.agents, dist.log_prob(actions), strict=True):
                log_probs[agent].append(log_prob)
            obs, reward, _, _, infos = env.step(dict(zip(env.agents, actions.tolist(), strict=True)))
            for agent, value in reward.items():
                rewards[agent].append(value)
        # --- update: REINFORCE on each agent's return-to-go, normalized over the episode's decisions ---
        agents = [a for a in rewards if rewards[a]]
        to_go = np.concatenate([np.cumsum(rewards[a][::-1])[::-1] for a in agents]).astype(np.float32)
        advantages = torch.as_tensor((to_go - to_go.mean()) / (to_go.std() + 1e-8))
        loss = -(torch.stack([lp for a in agents for lp in log_probs[a]]) * advantages).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history.append(float(np.mean([sum(r) for r in rewards.values()])))
        if episode % max(1, args.episodes // 10) == 0 or episode == args.episodes - 1:
            print(f"episode {episode:4d}  mean return per agent {history[-1]:8.3f}")
    env.close()
    return history


def main(argv: list[str] | None = None) -> list[float]:
    """Parse the command line and train."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    defaults = Args()
    parser.add_argument("--task", default=defaults.task)
    parser.add_argument("--num-agents", type=int, default=defaults.num_agents)
    parser.add_argument("--episodes", type=int, default=defaults.episodes)
    parser.add_argument("--max-decisions", type=int, default=defaults.max_decisions)
    parser.add_argument("--learning-rate", type=float, default=defaults.learning_rate)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    ns = parser.parse_args(argv)
    return run(Args(**{k: v for k, v in vars(ns).items()}))


if __name__ == "__main__":
    main()
