"""Progress: the one progress record, an honest ETA, and the display people see.

``ProgressEvent`` is what the built-in trainer and ``mlagents-learn`` report and what the orchestrator's
stages hand on (with the job and stage filled in); ``EtaEstimator`` turns steps and times into a smoothed
ETA; ``ProgressDisplay`` shows jobs' progress (live with ``rich`` on a terminal, plain lines or log records
elsewhere). It lives apart from ``rl`` so that backends which do not need torch (``unity.mlagents_learn``)
share it without importing the trainer.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
import time
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ProgressEvent:
    """One progress report: a trainer's summary of one behavior, or a stage's note, and whose job it is.

    Trainers (``rl.learn``, ``unity.mlagents_learn``) send one every ``summary_freq`` steps with the
    behavior's fields; the orchestrator's stages add ``job_id`` and ``stage`` (``for_job``) and send stage
    notes with ``message`` only. The display, the job store and a sweep's pruner all read this one record.
    """

    behavior: str = ""
    """Behavior name (empty for a stage note)."""
    step: int | None = None
    """The behavior's step (agent decisions)."""
    max_steps: int | None = None
    """The behavior's ``max_steps``."""
    mean_reward: float | None = None
    """Mean cumulative reward of the episodes completed since the previous summary (None if none)."""
    std_reward: float | None = None
    """Their standard deviation."""
    elapsed_s: float | None = None
    """Seconds since training started (this process)."""
    eta_s: float | None = None
    """Estimated seconds left at the current rate."""
    success_rate: float | None = None
    """Fraction of those episodes that ended in the task's success (None when the environment cannot say,
    e.g. a Unity player, whose protocol carries no success flag)."""
    mean_group_reward: float | None = None
    """POCA's group reward, when ``mlagents-learn`` prints it."""
    elo: float | None = None
    """Self-play ELO, when ``mlagents-learn`` prints it."""
    training: bool = True
    """False for ``mlagents-learn``'s ``Not Training`` lines."""
    job_id: str = ""
    """The job the progress belongs to (set by the orchestrator's stages)."""
    stage: str = ""
    """The pipeline stage reporting."""
    message: str = ""
    """A stage's note (``codegen started``, the latest Unity Editor log line …)."""

    def for_job(self, job_id: str, stage: str) -> ProgressEvent:
        """Return this event as progress of one job's stage."""
        return dataclasses.replace(self, job_id=job_id, stage=stage)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (the job store keeps the latest; ``ProgressEvent(**d)`` reads it back)."""
        return dataclasses.asdict(self)


# --- ETA ----------------------------------------------------------------------------------------------------


class EtaEstimator:
    """Estimates the time left from an exponentially smoothed rate (steps per second) between updates.

    The whole-run average (elapsed / steps done) is biased by start-up time and by PPO's alternation of fast
    collection and slow updates, so early estimates jump (0:03, then 0:17). The rate measured over each
    interval and smoothed with an EMA follows the current speed and moves gently. The first update only
    records a reference point: an estimate needs at least one measured interval.

    Args:
        total: the step count at which the work is done.
        alpha: weight of the newest interval's rate (0 < alpha <= 1).

    """

    def __init__(self, total: int, alpha: float = 0.3) -> None:
        if not 0.0 < alpha <= 1.0:
            raise ValueError(f"alpha: expected 0 < alpha <= 1, got {alpha!r}")
        self.total = int(total)
        self.alpha = float(alpha)
        self.rate: float | None = None
        """Smoothed steps per second (None before the first interval)."""
        self._last: tuple[float, float] | None = None

    def update(self, step: float, now: float) -> float | None:
        """Record that ``step`` was reached at time ``now`` (seconds); return the seconds left, or None.

        Args:
            step: steps done so far.
            now: a monotonic time in seconds.

        Returns:
            The estimate, or None until one interval with progress has been measured.

        """
        if self._last is not None:
            last_step, last_time = self._last
            if step > last_step and now > last_time:
                sample = (step - last_step) / (now - last_time)
                self.rate = (
                    sample if self.rate is None else self.alpha * sample + (1 - self.alpha) * self.rate
                )
        if self._last is None or step > self._last[0]:
            self._last = (float(step), float(now))
        if self.rate is None or self.rate <= 0:
            return None
        return max(self.total - step, 0) / self.rate


def format_duration(seconds: float | None) -> str:
    """Format seconds as ``m:ss`` or ``h:mm:ss`` (``--:--`` when unknown)."""
    if seconds is None or seconds != seconds or seconds < 0:
        return "--:--"
    whole = int(round(seconds))
    minutes, secs = divmod(whole, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


# --- displays -----------------------------------------------------------------------------------------------


class ProgressDisplay:
    """Shows jobs' progress (``ProgressEvent`` s): a live ``rich`` display on a terminal, lines otherwise.

    On a terminal each job gets one row (stage, bar, steps, mean reward, ETA, elapsed), redrawn in place. Off
    a terminal (logs, CI, pipes) it writes a line per stage start and per ~10% of training, to ``stream`` or,
    when ``logger`` is given, through ``logging`` at INFO.

    Args:
        stream: where to draw (default ``sys.stderr``, so ``--json`` stdout stays one object).
        tty: force the live display on or off (default: ``stream.isatty()``; never with ``logger``).
        logger: write plain lines through this logger instead of ``stream``.

    """

    def __init__(
        self, stream: Any = None, tty: bool | None = None, logger: logging.Logger | None = None
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.logger = logger
        if tty is None:
            tty = logger is None and bool(getattr(self.stream, "isatty", lambda: False)())
        self.tty = tty
        self._started = time.monotonic()
        self._stage: dict[str, str] = {}
        self._decile: dict[str, int] = {}
        self._progress: Any = None
        self._tasks: dict[str, Any] = {}

    def line(self, update: Any) -> str:
        """Format one update as a plain line."""
        parts = [f"[{update.job_id}] {update.stage}"]
        if update.step is not None and update.max_steps:
            pct = 100.0 * update.step / update.max_steps
            parts.append(f"{update.step:,}/{update.max_steps:,} steps ({pct:.1f}%)")
            if update.mean_reward is not None:
                parts.append(f"mean reward {update.mean_reward:.3f}")
            parts.append(f"ETA {format_duration(update.eta_s)}")
        elif update.message:
            parts.append(update.message)
        parts.append(f"elapsed {format_duration(time.monotonic() - self._started)}")
        return " · ".join(parts)

    def __call__(self, update: Any) -> None:
        """Show an update (the orchestrator's ``on_progress`` callback)."""
        if self.tty:
            self._draw(update)
            return
        new_stage = self._stage.get(update.job_id) != update.stage
        self._stage[update.job_id] = update.stage
        decile = (
            int(10 * update.step / update.max_steps) if update.step is not None and update.max_steps else -1
        )
        if new_stage or decile > self._decile.get(update.job_id, -1):
            self._decile[update.job_id] = decile
            if self.logger is not None:
                self.logger.info("%s", self.line(update))
            else:
                self.stream.write(self.line(update) + "\n")
                self.stream.flush()

    def _draw(self, update: Any) -> None:
        if self._progress is None:
            from rich.console import Console  # heavy
            from rich.progress import BarColumn, Progress, TextColumn  # heavy

            console = Console(file=self.stream, force_terminal=True)
            self._progress = Progress(
                TextColumn("[bold]{task.fields[job]}[/] {task.fields[stage]:<8}"),
                BarColumn(),
                TextColumn("{task.fields[steps]}"),
                TextColumn("{task.fields[reward]}"),
                TextColumn("ETA {task.fields[eta]}"),
                TextColumn("elapsed {task.fields[elapsed]}"),
                console=console,
                refresh_per_second=5,
            )
            self._progress.start()
        fields = {
            "job": update.job_id,
            "stage": update.stage,
            "steps": f"{update.step:,}/{update.max_steps:,}"
            if update.step is not None and update.max_steps
            else "",
            "reward": f"reward {update.mean_reward:.3f}" if update.mean_reward is not None else "",
            "eta": format_duration(update.eta_s) if update.step is not None else "--:--",
            "elapsed": format_duration(time.monotonic() - self._started),
        }
        task = self._tasks.get(update.job_id)
        total = float(update.max_steps) if update.max_steps else None
        completed = float(update.step) if update.step is not None else 0.0
        if task is None:
            self._tasks[update.job_id] = self._progress.add_task(
                "", total=total, completed=completed, **fields
            )
        else:
            self._progress.update(task, total=total, completed=completed, **fields)

    def finish(self, job_id: str) -> None:
        """Forget a finished job; the live display stops when no job is left."""
        self._stage.pop(job_id, None)
        self._decile.pop(job_id, None)
        if self._tasks.pop(job_id, None) is not None and not self._tasks:
            self.close()

    def close(self) -> None:
        """Stop the live display (its last frame stays on screen)."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
            self._tasks.clear()


def default_display() -> ProgressDisplay:
    """Return the Python API's display: live on a terminal (stderr), else INFO records of this logger.

    Off a terminal nothing is printed unless logging is configured (``logging.basicConfig(level="INFO")``).
    """
    if bool(getattr(sys.stderr, "isatty", lambda: False)()):
        return ProgressDisplay(sys.stderr)
    return ProgressDisplay(logger=logging.getLogger(__name__))
