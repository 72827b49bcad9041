"""Turn demonstrations into training arrays, pairing steps like ML-Agents' ``make_demo_buffer``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import DemoFormatError
from ..spaces import ActionSpec, ActionTuple, BehaviorSignature
from .model import Demonstration


@dataclass(frozen=True)
class DemoDataset:
    """Transitions from demonstrations, one row per pair of consecutive steps of one file."""

    obs: tuple[np.ndarray, ...]
    """Per sensor ``(N, *shape)`` float32: the observation at step *t*."""
    next_obs: tuple[np.ndarray, ...]
    """Per sensor ``(N, *shape)`` float32: the observation at step *t + 1*."""
    actions: ActionTuple
    """``(N, continuous_size)`` float32 and ``(N, num_branches)`` int32: the action stored with step *t*."""
    rewards: np.ndarray
    """``(N,)`` float32: the reward of step *t + 1*."""
    dones: np.ndarray
    """``(N,)`` bool: step *t + 1* ended its episode."""

    def __len__(self) -> int:
        return int(self.rewards.shape[0])


def _describe(obs_shapes: Sequence[tuple[int, ...]], spec: ActionSpec) -> str:
    return (
        f"observations {[list(s) for s in obs_shapes]}, actions continuous={spec.continuous_size} "
        f"discrete={list(spec.discrete_branches)}"
    )


def check_compatible(demo: Demonstration, signature: BehaviorSignature) -> None:
    """Check that a demonstration's observation shapes and action spec equal the behavior's.

    Raises:
        DemoFormatError: they differ; the message shows both specs.

    """
    demo_shapes = demo.observation_shapes
    env_shapes = [s.shape for s in signature.observation_specs]
    demo_spec, env_spec = demo.signature.action_spec, signature.action_spec
    if demo_shapes != env_shapes or demo_spec != env_spec:
        raise DemoFormatError(
            f"demonstration does not match behavior '{signature.name}': "
            f"demo has {_describe(demo_shapes, demo_spec)}"
            f"; environment expects {_describe(env_shapes, env_spec)}",
            path=str(demo.path) if demo.path is not None else None,
        )


def to_dataset(demos: Sequence[Demonstration], signature: BehaviorSignature) -> DemoDataset:
    """Pair each step's observation and action with the next step's reward and done flag.

    This is ML-Agents' ``make_demo_buffer``: within one file, row *t* holds step *t*'s observations and stored
    action, and step *t + 1*'s reward and ``done``; the last step of a file only provides the reward/done of
    the row before it. As upstream, a row is also produced from an episode's final step to the first step of
    the next episode (reward and done of that first step, normally 0 and False). Files are never paired with
    each other.

    Args:
        demos: the demonstrations (e.g. from ``load_demonstrations``).
        signature: the behavior to train; every demonstration must match its shapes and action spec.

    Returns:
        The transitions of all files, concatenated in order.

    Raises:
        DemoFormatError: a demonstration's observation shapes or action spec differ from ``signature``'s
            (the message shows both), or no demonstration has two steps.

    """
    obs_parts: list[list[np.ndarray]] = [[] for _ in signature.observation_specs]
    next_parts: list[list[np.ndarray]] = [[] for _ in signature.observation_specs]
    cont: list[np.ndarray] = []
    disc: list[np.ndarray] = []
    rewards: list[np.ndarray] = []
    dones: list[np.ndarray] = []
    for demo in demos:
        check_compatible(demo, signature)
        steps = demo.steps
        if len(steps) < 2:
            continue
        for i in range(len(signature.observation_specs)):
            stacked = np.stack([s.obs[i] for s in steps])
            obs_parts[i].append(stacked[:-1])
            next_parts[i].append(stacked[1:])
        cont.append(np.stack([s.continuous_actions for s in steps[:-1]]))
        disc.append(np.stack([s.discrete_actions for s in steps[:-1]]))
        rewards.append(np.asarray([s.reward for s in steps[1:]], np.float32))
        dones.append(np.asarray([s.done for s in steps[1:]], bool))
    if not rewards:
        raise DemoFormatError(f"no demonstration with at least two steps for behavior '{signature.name}'")
    return DemoDataset(
        obs=tuple(np.concatenate(p).astype(np.float32, copy=False) for p in obs_parts),
        next_obs=tuple(np.concatenate(p).astype(np.float32, copy=False) for p in next_parts),
        actions=ActionTuple(
            continuous=np.concatenate(cont).astype(np.float32, copy=False),
            discrete=np.concatenate(disc).astype(np.int32, copy=False),
        ),
        rewards=np.concatenate(rewards),
        dones=np.concatenate(dones),
    )
