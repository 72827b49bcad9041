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

from collections.abc import Callable
from typing import NamedTuple

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


def to_sequences(
    columns: dict[str, np.ndarray], lengths: np.ndarray, sequence_length: int
) -> dict[str, np.ndarray]:
    """Put the valid-step ``columns`` of trajectories into the sequence layout, with their loss masks.

    Each trajectory is padded at its end to whole sequences (upstream ``resequence_and_append``); the
    padding is 0, except in ``masks`` (action masks), padded with 1 so no padded row is all-masked.

    Args:
        columns: ``(n, ...)`` arrays of the valid steps, trajectory by trajectory, in time.
        lengths: ``(k,)`` steps of each trajectory (they sum to ``n``).
        sequence_length: steps per sequence.

    Returns:
        The padded columns plus ``loss_masks`` (1 on real steps, 0 on padding).

    """
    positions, total = padded_positions(lengths, sequence_length)
    out = {
        name: scatter_padded(value, positions, total, 1.0 if name == "masks" else 0.0)
        for name, value in columns.items()
    }
    steps = len(positions)
    out["loss_masks"] = scatter_padded(np.ones(steps, np.float32), positions, total)
    return out


def masked_mean(x: torch.Tensor, loss_masks: torch.Tensor) -> torch.Tensor:
    """Mean of ``x`` over the real rows (upstream ``ModelUtils.masked_mean``).

    Args:
        x: ``(rows,)`` or ``(rows, ...)`` values; trailing dimensions are averaged within each row.
        loss_masks: ``(rows,)`` 1 on real steps, 0 on padding.

    Returns:
        The scalar mean.

    """
    per_row = x if x.dim() == 1 else x.reshape(len(x), -1).mean(1)
    return (per_row * loss_masks).sum() / loss_masks.sum().clamp(min=1.0)


ChunkPass = Callable[
    [list[torch.Tensor], list[torch.Tensor], torch.Tensor], tuple[list[torch.Tensor], list[torch.Tensor]]
]
"""One recurrent pass over a chunk: ``(input rows, start memories, valid steps) -> (outputs, memories)``.

Input rows are ``(active * sequence_length, ...)``, memories ``(active, memory_size)``, valid steps
``(active,)``; each output is ``(active * sequence_length, heads)``.
"""


class SequencePass(NamedTuple):
    """What ``evaluate_by_sequence`` returns for ``k`` padded trajectories of span ``L``."""

    outputs: list[np.ndarray]
    """One ``(k, L, heads)`` array per output of the pass."""
    starts: list[np.ndarray]
    """One ``(k, L, memory_size)`` array per memory: its value at the start of each cell's chunk."""
    after: list[np.ndarray]
    """One ``(k, memory_size)`` array per memory: its value after each row's last valid step."""


@torch.no_grad()
def evaluate_by_sequence(
    inputs: list[np.ndarray],
    lengths: np.ndarray,
    memories: list[np.ndarray],
    sequence_length: int,
    run: ChunkPass,
) -> SequencePass:
    """Run a recurrent network over padded trajectories chunk by chunk, carrying its memories.

    Upstream ``optimizer_torch._evaluate_by_sequence`` (and POCA's ``_evaluate_by_sequence_team``, which
    carries a value and a baseline memory): every chunk starts from the memories after the previous one, and
    every cell keeps the memories at its chunk's start. Rows whose trajectory has ended skip later chunks.

    Args:
        inputs: ``(k, L, ...)`` arrays (cells beyond ``lengths`` are ignored).
        lengths: ``(k,)`` valid steps per row (at least 1).
        memories: ``(k, memory_size)`` each row's memories before its first step.
        sequence_length: steps per chunk.
        run: the network's pass over one chunk.

    Returns:
        The ``SequencePass``.

    """
    k, span = inputs[0].shape[:2]
    chunks = -(-span // sequence_length)
    width = chunks * sequence_length

    def grid(a: np.ndarray) -> np.ndarray:
        out = np.zeros((k, width, *a.shape[2:]), a.dtype)
        out[:, :span] = a
        return out

    grids = [grid(a) for a in inputs]
    carried = [torch.from_numpy(np.ascontiguousarray(m, np.float32)) for m in memories]
    starts = [np.zeros((k, width, m.shape[1]), np.float32) for m in carried]
    outputs: list[np.ndarray] = []
    for j in range(chunks):
        lo, hi = j * sequence_length, (j + 1) * sequence_length
        steps = np.clip(np.asarray(lengths) - lo, 0, sequence_length)
        active = np.flatnonzero(steps > 0)
        if len(active) == 0:
            break
        for start, memory in zip(starts, carried, strict=True):
            start[:, lo:hi] = memory.numpy()[:, None, :]
        rows = []
        for g in grids:
            part = g[active, lo:hi]
            rows.append(torch.from_numpy(np.ascontiguousarray(part.reshape(-1, *part.shape[2:]))))
        outs, new = run(rows, [m[active] for m in carried], torch.from_numpy(steps[active]))
        heads = [o.reshape(len(active), sequence_length, -1).numpy() for o in outs]
        if not outputs:
            outputs = [np.zeros((k, width, h.shape[-1]), np.float32) for h in heads]
        for output, h in zip(outputs, heads, strict=True):
            output[active, lo:hi] = h
        carried = [m.clone() for m in carried]
        for memory, after in zip(carried, new, strict=True):
            memory[active] = after
    assert outputs, "every row has at least one step"
    return SequencePass(
        [o[:, :span] for o in outputs], [s[:, :span] for s in starts], [m.numpy() for m in carried]
    )


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

    def run(
        rows: list[torch.Tensor], memories: list[torch.Tensor], steps: torch.Tensor
    ) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        out, new = critic.recurrent(rows[0], memories[0], sequence_length, lengths=steps)
        assert new is not None  # a recurrent critic returns its memory
        return [out], [new]

    result = evaluate_by_sequence([np.asarray(obs, np.float32)], lengths, [initial], sequence_length, run)
    return result.outputs[0], result.starts[0], result.after[0]
