"""Recurrent POCA (``network_settings.memory`` with ``trainer_type: poca``): critic memories, sequences.

ML-Agents Release 22 (``trainers/poca/trainer.py``, ``poca/optimizer_torch.py``
``get_trajectory_and_baseline_value_estimates`` / ``_evaluate_by_sequence_team``) runs POCA with memory as
recurrent PPO, with one twist: the group critic (``MultiAgentNetworkBody``, an LSTM after its body, before
the member-count feature) is run twice per step, for the group value and for the agent's counterfactual
baseline, and each pass keeps its own memory. When a trajectory closes, both passes run over it chunk by
chunk (``sequence_length``) from the agent's carried value and baseline memories; each step keeps both
memories at its chunk's start, and the bootstrap value after the trajectory starts from the value memory
after its last step. The update starts every sequence from the stored policy, value and baseline memories
and takes masked means over real steps (the padding at each trajectory's end has loss mask 0).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import torch

from .poca_critic import GroupCritic, Recurrence
from .recurrent import evaluate_by_sequence, masked_mean


class POCASequences(NamedTuple):
    """Recurrent POCA's extra columns in the sequence layout (rows are whole sequences)."""

    loss_masks: torch.Tensor
    """``(rows,)`` 1 on real steps, 0 on padding."""
    memories: torch.Tensor
    """``(rows, memory_size)`` the policy's memory before each step (a sequence starts from its first)."""
    value_memories: torch.Tensor
    """``(rows, memory_size)`` the critic's value memory at the start of each step's sequence."""
    baseline_memories: torch.Tensor
    """``(rows, memory_size)`` the critic's baseline memory at the start of each step's sequence."""
    sequence_length: int
    """Steps per sequence."""

    def starts(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Return the policy, value and baseline memories at each sequence's first step."""
        pick = slice(None, None, self.sequence_length)
        return self.memories[pick], self.value_memories[pick], self.baseline_memories[pick]

    def mean(self, x: torch.Tensor) -> torch.Tensor:
        """Return the masked mean over real rows (upstream ``masked_mean``); ``(rows, k)`` averages k too."""
        return masked_mean(x, self.loss_masks)


class CriticPass(NamedTuple):
    """What ``group_critic_by_sequence`` returns for ``k`` padded trajectories of span ``L``."""

    values: np.ndarray
    """``(k, L, heads)`` group values."""
    baselines: np.ndarray
    """``(k, L, heads)`` baselines."""
    value_starts: np.ndarray
    """``(k, L, memory_size)`` value memory at the start of each cell's chunk."""
    baseline_starts: np.ndarray
    """``(k, L, memory_size)`` baseline memory at the start of each cell's chunk."""
    value_after: np.ndarray
    """``(k, memory_size)`` value memory after each row's last valid step."""
    baseline_after: np.ndarray
    """``(k, memory_size)`` baseline memory after each row's last valid step."""


def group_critic_by_sequence(
    critic: GroupCritic,
    obs: np.ndarray,
    mate_obs: np.ndarray,
    mate_actions: np.ndarray,
    present: np.ndarray,
    lengths: np.ndarray,
    value_memory: np.ndarray,
    baseline_memory: np.ndarray,
    sequence_length: int,
) -> CriticPass:
    """Values and baselines of padded trajectories, chunk by chunk, carrying both critic memories.

    Args:
        critic: a recurrent group critic.
        obs: ``(k, L, obs_size)`` raw observations (cells beyond ``lengths`` are ignored).
        mate_obs: ``(k, L, m, obs_size)`` groupmates' observations.
        mate_actions: ``(k, L, m, actions)`` their flat actions.
        present: ``(k, L, m)`` 1 where a slot holds a member.
        lengths: ``(k,)`` valid steps per row (at least 1).
        value_memory: ``(k, memory_size)`` each row's value memory before its first step.
        baseline_memory: ``(k, memory_size)`` each row's baseline memory before its first step.
        sequence_length: steps per chunk.

    Returns:
        The ``CriticPass``.

    """

    def run(
        rows: list[torch.Tensor], memories: list[torch.Tensor], steps: torch.Tensor
    ) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        v_rec = Recurrence(memories[0], sequence_length, steps)
        b_rec = Recurrence(memories[1], sequence_length, steps)
        values, baselines = critic.values_and_baselines(*rows, v_rec, b_rec)
        assert v_rec.after is not None and b_rec.after is not None  # a recurrent pass sets them
        return [values, baselines], [v_rec.after, b_rec.after]

    result = evaluate_by_sequence(
        [obs, mate_obs, mate_actions, present], lengths, [value_memory, baseline_memory], sequence_length, run
    )
    return CriticPass(*result.outputs, *result.starts, *result.after)


__all__ = ["CriticPass", "POCASequences", "group_critic_by_sequence"]
