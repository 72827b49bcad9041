"""Sequence layout of recurrent (LSTM) PPO, as ML-Agents Release 22 batches memory policies.

Upstream (``trainers/buffer.py`` ``AgentBufferField.get_batch(sequential=True)`` via
``resequence_and_append``) cuts each trajectory into ``sequence_length`` chunks and, when its length is not a
multiple, pads the *last* chunk at its end with zeros; a ``masks`` field (1 on real steps, 0 on padding) keeps
the padding out of the losses (``ModelUtils.masked_mean``). The policy's memory is stored at every step while
acting, and the update starts each sequence from the memory stored at its first step; the critic's memory is
recomputed when the trajectory is processed (``optimizer_torch._evaluate_by_sequence``): every step gets the
critic memory at the start of its chunk. There is no burn-in beyond that stored start state.
"""

from __future__ import annotations

import numpy as np
import torch

from .networks import Critic


def padded_positions(lengths: np.ndarray, sequence_length: int) -> tuple[np.ndarray, int]:
    """Where each valid step of padded trajectories lands in the sequence layout.

    Args:
        lengths: ``(k,)`` steps of each trajectory; their valid steps are taken row-major (trajectory by
            trajectory, in time).
        sequence_length: steps per sequence.

    Returns:
        ``(positions, total)``: the destination row of each valid step and the total rows, padding included
        (each trajectory rounded up to a multiple of ``sequence_length``).

    """
    lengths = np.asarray(lengths, np.int64)
    padded = -(-lengths // sequence_length) * sequence_length
    starts = np.concatenate([[0], np.cumsum(padded)[:-1]]).astype(np.int64)
    positions = np.concatenate([start + np.arange(n) for start, n in zip(starts, lengths, strict=True)])
    return positions.astype(np.int64), int(padded.sum())


def scatter_padded(rows: np.ndarray, positions: np.ndarray, total: int, fill: float = 0.0) -> np.ndarray:
    """Place ``rows`` at ``positions`` of a ``total``-row array filled with ``fill`` (the padding value).

    Args:
        rows: ``(n, ...)`` valid-step values.
        positions: ``(n,)`` destinations from ``padded_positions``.
        total: rows of the result.
        fill: value of the padding rows (0 as upstream; 1 for action masks, so no padded row is all-masked).

    Returns:
        The ``(total, ...)`` padded array.

    """
    out = np.full((total, *rows.shape[1:]), fill, dtype=rows.dtype)
    out[positions] = rows
    return out


@torch.no_grad()
def critic_by_sequence(
    critic: Critic,
    obs: np.ndarray,
    lengths: np.ndarray,
    initial: np.ndarray,
    sequence_length: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Value estimates of padded trajectories, chunk by chunk, carrying the critic's memory.

    Args:
        critic: a recurrent critic.
        obs: ``(k, L, obs_size)`` raw observations (cells beyond ``lengths`` are ignored).
        lengths: ``(k,)`` valid steps per row (at least 1).
        initial: ``(k, memory_size)`` each row's critic memory before its first step.
        sequence_length: steps per chunk.

    Returns:
        ``(values (k, L, heads), start_memories (k, L, memory_size), final (k, memory_size))``: the value of
        each cell, the critic memory at the start of each cell's chunk, and the memory after each row's last
        valid step.

    """
    k, span, size = obs.shape
    chunks = -(-span // sequence_length)
    width = chunks * sequence_length
    grid = np.zeros((k, width, size), np.float32)
    grid[:, :span] = obs
    memory = torch.from_numpy(np.ascontiguousarray(initial, np.float32))
    values: np.ndarray | None = None
    starts = np.zeros((k, width, memory.shape[1]), np.float32)
    for j in range(chunks):
        lo, hi = j * sequence_length, (j + 1) * sequence_length
        steps = np.clip(np.asarray(lengths) - lo, 0, sequence_length)
        active = np.flatnonzero(steps > 0)
        if len(active) == 0:
            break
        starts[:, lo:hi] = memory.numpy()[:, None, :]
        chunk = torch.from_numpy(grid[active, lo:hi].reshape(-1, size))
        out, new = critic.recurrent(
            chunk, memory[active], sequence_length, lengths=torch.from_numpy(steps[active])
        )
        heads = out.reshape(len(active), sequence_length, -1).numpy()
        if values is None:
            values = np.zeros((k, width, heads.shape[-1]), np.float32)
        values[active, lo:hi] = heads
        assert new is not None  # a recurrent critic returns its memory
        memory = memory.clone()
        memory[active] = new
    assert values is not None  # every row has at least one step
    return values[:, :span], starts[:, :span], memory.numpy()
