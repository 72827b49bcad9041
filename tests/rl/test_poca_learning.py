"""POCA learning check (slow): the group credits an agent that leaves it; independent PPO cannot.

On ``GroupCue`` with ``sacrifice_bonus`` (the DungeonEscape pattern) one member must leave the group for
the others to earn triple reward. Independent learners (PPO, the group reward added to each member's own) see
the sacrificer's episode end with nothing after it and learn never to sacrifice (group return stays near 1.0);
POCA bootstraps the leaving agent from the group's value and learns it (near the 2.75 maximum).
``bench/bench_poca.py`` prints the full curves and speeds.
"""

from __future__ import annotations

import numpy as np
import pytest

from mlops_unity_pipeline.rl.learn import make_trainer

from .group_env import GroupCue, IndependentRewards, sacrifice_settings

pytestmark = pytest.mark.slow

BUDGET = 24_000
"""Agent steps per trainer (24 agents: 1000 decisions)."""


def _final_group_return(kind: str, seed: int = 0) -> float:
    """Train ``kind`` for ``BUDGET`` steps; return the mean group return of the last 200 area episodes."""
    env = GroupCue(8, num_cues=2, sacrifice_bonus=2.0, seed=seed)
    played = env if kind == "poca" else IndependentRewards(env)
    trainer = make_trainer(env.signature, sacrifice_settings(kind, BUDGET), env.num_agents, seed)
    batch = played.reset(seed=seed)
    while trainer.step < BUDGET:
        batch = played.step(trainer.act(batch))
        trainer.observe(batch)
    return float(np.mean(env.group_returns[-200:]))


def test_poca_learns_the_sacrifice_that_independent_ppo_never_makes():
    """POCA's group return >= 2.0 after 24k steps; independent PPO's stays below 1.4 on the same task."""
    poca = _final_group_return("poca")
    ppo = _final_group_return("ppo")
    assert poca >= 2.0, (poca, ppo)
    assert ppo < 1.4, (poca, ppo)
