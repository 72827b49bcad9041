"""Demonstrations as torch tensors for offline learning: flat observations, env-space actions, masks."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ...demos import Demonstration, demo_files, load_demonstrations
from ...demos.dataset import to_dataset
from ...errors import DemoFormatError
from ...spaces import BehaviorSignature


@dataclass(frozen=True)
class Transitions:
    """Demonstration transitions, one row per consecutive step pair (ML-Agents' ``make_demo_buffer`` pairing).

    Observations are flattened and concatenated in sensor order (as the trainer's networks read them);
    continuous actions are in environment space ([-1, 1], what Unity's recorder stores).
    """

    obs: torch.Tensor
    """``(N, obs_size)`` float32: the observation at step *t*."""
    continuous: torch.Tensor
    """``(N, n_cont)`` float32: the continuous action stored with step *t*."""
    discrete: torch.Tensor
    """``(N, n_branches)`` int64: the discrete action stored with step *t*."""
    masks: torch.Tensor
    """``(N, sum(branches))`` float32: action mask of step *t* (1 allowed; all ones when not recorded)."""
    rewards: torch.Tensor
    """``(N,)`` float32: reward of step *t + 1*."""
    next_obs: torch.Tensor
    """``(N, obs_size)`` float32: the observation at step *t + 1*."""
    terminals: torch.Tensor
    """``(N,)`` float32: 1 where step *t + 1* ended its episode on its own (no bootstrap), else 0."""
    files: tuple[Path, ...] = ()
    """The ``.demo`` files the rows came from."""
    episode_ends: torch.Tensor | None = None
    """``(N,)`` bool: True where step *t + 1* ended its episode (on its own or at max step) or the file ends,
    so row *t* is its episode's last; sequences for a recurrent policy are cut there. None: unknown (one
    stream)."""

    def __len__(self) -> int:
        return int(self.rewards.shape[0])

    def sample(self, size: int, generator: torch.Generator) -> Transitions:
        """Draw a uniform minibatch with replacement.

        Args:
            size: rows to draw.
            generator: torch generator (reproducibility).

        Returns:
            The minibatch (``files`` kept).

        """
        idx = torch.randint(0, len(self), (size,), generator=generator)
        return self.rows(idx)

    def rows(self, idx: torch.Tensor) -> Transitions:
        """Select the rows at ``idx``.

        Args:
            idx: ``(k,)`` int64 indices.

        Returns:
            The selected transitions.

        """
        return Transitions(
            self.obs[idx],
            self.continuous[idx],
            self.discrete[idx],
            self.masks[idx],
            self.rewards[idx],
            self.next_obs[idx],
            self.terminals[idx],
            self.files,
            None if self.episode_ends is None else self.episode_ends[idx],
        )


def _flatten(parts: tuple[np.ndarray, ...]) -> np.ndarray:
    n = parts[0].shape[0]
    return np.concatenate([np.asarray(p, np.float32).reshape(n, -1) for p in parts], axis=1)


def load_transitions(
    source: str | Path | Sequence[Demonstration], signature: BehaviorSignature
) -> Transitions:
    """Read demonstrations (a ``.demo`` file, a folder of them, or already-read ones) for ``signature``.

    Demonstrations are matched to the behavior on observation shapes and action spec, never on names: Unity's
    recorder stores names such as ``3DBallLearning`` or ``3DBall?team=0`` for the simulator's ``3DBall``.

    Args:
        source: path of a file or folder, or ``Demonstration`` objects.
        signature: the behavior to learn.

    Returns:
        The transitions of every file, in file order.

    Raises:
        DemoFormatError: unreadable file, no ``.demo`` file, or a spec mismatch (showing both specs).

    """
    if isinstance(source, (str, Path)):
        try:
            demos = load_demonstrations(source)
        except FileNotFoundError as exc:
            raise DemoFormatError("no such .demo file or folder", path=str(source)) from exc
    else:
        demos = list(source)
    if not demos:
        raise DemoFormatError(f"no demonstrations in {source}")
    data = to_dataset(demos, signature)  # checks shapes/specs, pairs steps like make_demo_buffer
    spec = signature.action_spec
    masks: list[np.ndarray] = []
    terminal: list[np.ndarray] = []
    ends: list[np.ndarray] = []
    for demo in demos:
        steps = demo.steps
        if len(steps) < 2:
            continue
        ones = np.ones(spec.mask_size, np.float32)
        masks.append(
            np.stack(
                [
                    ones if s.action_mask is None else np.asarray(s.action_mask, np.float32).reshape(-1)
                    for s in steps[:-1]
                ]
            )
        )
        # An episode cut at max step is not terminal: its value is bootstrapped (ML-Agents `interrupted`).
        terminal.append(np.asarray([s.done and not s.max_step_reached for s in steps[1:]], np.float32))
        end = np.asarray([s.done for s in steps[1:]], bool)
        end[-1] = True  # files are never paired with each other
        ends.append(end)
    files = tuple(Path(d.path) for d in demos if d.path is not None)
    return Transitions(
        obs=torch.from_numpy(_flatten(data.obs)),
        continuous=torch.from_numpy(np.ascontiguousarray(data.actions.continuous, np.float32)),
        discrete=torch.from_numpy(np.asarray(data.actions.discrete, np.int64)),
        masks=torch.from_numpy(np.concatenate(masks).reshape(len(data), spec.mask_size)),
        rewards=torch.from_numpy(np.asarray(data.rewards, np.float32)),
        next_obs=torch.from_numpy(_flatten(data.next_obs)),
        terminals=torch.from_numpy(np.concatenate(terminal)),
        files=files,
        episode_ends=torch.from_numpy(np.concatenate(ends)),
    )


def demo_sha256(path: str | Path) -> dict[str, str]:
    """sha256 of every ``.demo`` file under ``path`` (a file or a folder), keyed by file path.

    Args:
        path: a ``.demo`` file or a folder of them.

    Returns:
        ``{file: hexdigest}`` in sorted file order.

    Raises:
        DemoFormatError: no such file or folder, or no ``.demo`` file in it.

    """
    out: dict[str, str] = {}
    try:
        files = demo_files(path)
    except FileNotFoundError as exc:
        raise DemoFormatError("no such .demo file or folder", path=str(path)) from exc
    for file in files:
        digest = hashlib.sha256()
        with open(file, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        out[str(file)] = digest.hexdigest()
    return out
