"""Training statistics: TensorBoard events with ML-Agents' tag names, console lines, a live progress bar.

Tags are the exact strings ML-Agents emits (upstream ``ml-agents/mlagents/trainers/stats.py`` and its
callers), e.g. ``Environment/Cumulative Reward``, ``Losses/Policy Loss``; each summary writes the mean of the
values recorded since the previous one. The console line is ML-Agents':
``"<Behavior>. Step: N. Time Elapsed: T s. Mean Reward: R. Std of Reward: S. Training."``.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path
from typing import TextIO

import numpy as np

CUMULATIVE_REWARD = "Environment/Cumulative Reward"
EPISODE_LENGTH = "Environment/Episode Length"
EXTRINSIC_REWARD = "Policy/Extrinsic Reward"
ENTROPY = "Policy/Entropy"
"""Mean entropy of the acting policy over the decisions since the last summary (ML-Agents' AgentProcessor)."""
GROUP_CUMULATIVE_REWARD = "Environment/Group Cumulative Reward"
"""POCA: the group reward a member collected over an episode its whole group finished (ML-Agents' tag)."""
LESSON_NUMBER = "Environment/Lesson Number/{}"


def console_line(
    behavior: str,
    step: int,
    elapsed: float,
    rewards: list[float],
    training: bool = True,
    group_reward: float | None = None,
    elo: float | None = None,
) -> str:
    """Format ML-Agents' summary line for the console.

    Args:
        behavior: behavior name.
        step: the behavior's step.
        elapsed: seconds since training started.
        rewards: cumulative rewards of the episodes completed since the last summary.
        training: whether the behavior is training (``Training.``) or not (``Not Training.``).
        group_reward: mean ``Environment/Group Cumulative Reward`` of the summary (POCA), printed as
            ``Mean Group Reward`` in place of the standard deviation, as ML-Agents' ``ConsoleWriter`` does.
        elo: mean ``Self-play/ELO`` of the summary (self-play), printed after the training state as
            ``ELO: 1234.567`` when episodes completed (``ConsoleWriter``).

    Returns:
        The line, e.g. ``"3DBall. Step: 12000. Time Elapsed: 9.312 s. Mean Reward: 1.236. Std of Reward:
        0.739.
        Training."``.

    """
    head = f"{behavior}. Step: {step}. Time Elapsed: {elapsed:0.3f} s."
    tail = "Training." if training else "Not Training."
    if not rewards:
        return f"{head} No episode was completed since last summary. {tail}"
    mean, std = float(np.mean(rewards)), float(np.std(rewards))
    if elo is not None:
        tail = f"{tail[:-1]}. ELO: {elo:0.3f}."
    if group_reward is not None:
        return f"{head} Mean Reward: {mean:0.3f}. Mean Group Reward: {group_reward:0.3f}. {tail}"
    return f"{head} Mean Reward: {mean:0.3f}. Std of Reward: {std:0.3f}. {tail}"


class TensorBoardWriter:
    """TensorBoard events under ``<run>/<Behavior>/`` (``SummaryWriter(<run>/<Behavior>)`` like ML-Agents).

    Args:
        log_dir: ``<run>/<Behavior>``.
        resume: keep earlier event files; otherwise they are deleted first (as ML-Agents does).

    """

    def __init__(self, log_dir: Path, *, resume: bool) -> None:
        from torch.utils.tensorboard import SummaryWriter  # heavy: imports tensorboard: only when training

        log_dir.mkdir(parents=True, exist_ok=True)
        if not resume:
            for old in log_dir.glob("events.out.tfevents.*"):
                old.unlink()
        self.writer = SummaryWriter(str(log_dir))

    def write(self, step: int, values: dict[str, float]) -> None:
        """Write one scalar per tag at ``step``.

        Args:
            step: the behavior's step.
            values: tag -> value.

        """
        for tag, value in values.items():
            if math.isfinite(value):
                self.writer.add_scalar(tag, value, step)
        self.writer.flush()

    def text(self, tag: str, text: str, step: int = 0) -> None:
        """Write a text summary (ML-Agents writes the hyperparameters as ``Hyperparameters``).

        Args:
            tag: tag name.
            text: the text (markdown).
            step: step.

        """
        self.writer.add_text(tag, text, step)
        self.writer.flush()

    def close(self) -> None:
        """Flush and close the event file."""
        self.writer.close()


class ProgressBar:
    """A one-line progress bar redrawn in place, shown only when the stream is a terminal.

    Args:
        stream: where to draw (stdout by default).
        min_interval: seconds between redraws.

    """

    def __init__(self, stream: TextIO | None = None, min_interval: float = 0.2) -> None:
        self.stream = stream or sys.stdout
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = bool(isatty and isatty())
        self.min_interval = min_interval
        self._last = 0.0
        self._drawn = False

    def update(
        self, behavior: str, step: int, max_steps: int, elapsed: float, mean_reward: float | None
    ) -> None:
        """Redraw the bar (rate-limited).

        Args:
            behavior: behavior name.
            step: current step.
            max_steps: the behavior's ``max_steps``.
            elapsed: seconds since start.
            mean_reward: recent mean reward, if any.

        """
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < self.min_interval:
            return
        self._last = now
        frac = min(1.0, step / max(1, max_steps))
        width = 30
        filled = int(frac * width)
        rate = step / elapsed if elapsed > 0 else 0.0
        reward = "" if mean_reward is None else f" reward {mean_reward:0.3f}"
        bar = "#" * filled + "." * (width - filled)
        line = f"\r{behavior} [{bar}] {step}/{max_steps} {rate:0.0f} steps/s{reward}"
        self.stream.write(line + "\x1b[K")
        self.stream.flush()
        self._drawn = True

    def clear(self) -> None:
        """Erase the bar so a normal line can be printed."""
        if self.enabled and self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False
