"""What a policy is in the simulator: a function from a decision batch to actions, plus two trivial ones."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..spaces import ActionSpec, ActionTuple, StepBatch

Policy = Callable[[StepBatch], ActionTuple]
"""Maps one decision's ``StepBatch`` to an ``ActionTuple`` for every agent in it."""


def zero_actions(spec: ActionSpec, num_agents: int) -> ActionTuple:
    """Actions that do nothing: zero continuous and branch index 0 (ML-Agents' empty action).

    Args:
        spec: the behavior's action spec.
        num_agents: batch size.

    Returns:
        The zero ``ActionTuple``.

    """
    return ActionTuple(
        continuous=np.zeros((num_agents, spec.continuous_size), dtype=np.float32),
        discrete=np.zeros((num_agents, spec.discrete_size), dtype=np.int32),
    )


def random_policy(spec: ActionSpec, seed: int | None = None) -> Policy:
    """Make a uniformly random policy that respects discrete action masks.

    Args:
        spec: the behavior's action spec.
        seed: seed of the policy's own generator.

    Returns:
        The policy.

    """
    rng = np.random.default_rng(seed)

    def act(batch: StepBatch) -> ActionTuple:
        n = batch.reward.shape[0]
        continuous = rng.uniform(-1.0, 1.0, (n, spec.continuous_size)).astype(np.float32)
        discrete = np.zeros((n, spec.discrete_size), dtype=np.int32)
        start = 0
        for branch, size in enumerate(spec.discrete_branches):
            allowed = (
                np.ones((n, size))
                if batch.action_mask is None
                else batch.action_mask[:, start : start + size]
            )
            scores = rng.random((n, size)) * allowed
            discrete[:, branch] = scores.argmax(axis=1)
            start += size
        return ActionTuple(continuous, discrete)

    return act
