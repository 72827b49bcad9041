"""Clocks the scheduler reads time from: the system clock, and a manual clock for simulated-time tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Protocol

from ..errors import ScheduleError

UTC = timezone.utc


class Clock(Protocol):
    """Where ``TrainingScheduler`` gets the current instant and how it waits."""

    def now(self) -> datetime:
        """Return the current instant (aware)."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of this clock's time."""
        ...


class SystemClock:
    """Wall-clock time in UTC and real ``asyncio.sleep``."""

    def now(self) -> datetime:
        """Return ``datetime.now(UTC)``."""
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        """Sleep for real."""
        await asyncio.sleep(max(0.0, seconds))


class ManualClock:
    """Simulated time: ``sleep`` advances the clock instantly, so days of cron run in milliseconds.

    Args:
        start: the initial instant (aware).

    Raises:
        ScheduleError: when ``start`` is naive.

    """

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ScheduleError(f"start: expected a timezone-aware datetime, got naive {start.isoformat()}")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """Return the simulated instant."""
        return self._now

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward by ``seconds`` and return the new instant."""
        self._now += timedelta(seconds=max(0.0, seconds))
        return self._now

    def set(self, moment: datetime) -> None:
        """Jump to ``moment`` (must not be earlier than now: simulated time never runs backwards)."""
        moment = moment.astimezone(UTC)
        if moment < self._now:
            raise ScheduleError(f"cannot move a ManualClock back from {self._now} to {moment}")
        self._now = moment

    async def sleep(self, seconds: float) -> None:
        """Advance the clock and yield to the event loop once."""
        self.advance(seconds)
        await asyncio.sleep(0)


def as_clock(clock: Clock | Callable[[], datetime] | None) -> Clock:
    """Return a ``Clock`` for what ``TrainingScheduler(clock=...)`` accepts.

    Args:
        clock: ``None`` (the system clock), a ``Clock``, or a callable returning the current aware datetime
            (it then sleeps for real).

    Returns:
        The clock.

    Raises:
        ScheduleError: for anything else.

    """
    if clock is None:
        return SystemClock()
    if hasattr(clock, "now") and hasattr(clock, "sleep"):
        return clock  # type: ignore[return-value]  # structurally a Clock (Protocol, not a base class)
    if callable(clock):
        now_fn = clock

        class _CallableClock(SystemClock):
            def now(self) -> datetime:
                return now_fn()

        return _CallableClock()
    raise ScheduleError(
        f"clock: expected a Clock or a callable returning a datetime, got {type(clock).__name__}"
    )
