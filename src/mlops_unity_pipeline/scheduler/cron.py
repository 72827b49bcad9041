"""Cron arithmetic in IANA time zones: ``next_fire(schedule, after)`` and its documented DST rule.

The rule (see ``docs/scheduling.md``): a cron expression matches *local wall-clock* times in the schedule's
time zone, and each matching wall-clock time fires at most once.

- **Spring forward** (a local time that does not exist, e.g. 02:30 in ``America/New_York`` on the
  second Sunday of March): the fire happens at the first valid instant after it, i.e. the transition
  instant (03:00 EDT). Several nonexistent times collapse onto that one instant and fire once.
- **Fall back** (a local time that occurs twice, e.g. 01:30 on the first Sunday of November): the fire
  happens once, at the first occurrence (``fold=0``, 01:30 EDT); the repeated wall-clock hour does not
  fire again.

This is the wall-clock rule of Vixie cron for fixed-time jobs; interval-like schedules (``*/15 * * * *``)
therefore pause during a repeated hour. Use ``timezone="UTC"`` for a strictly periodic schedule.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter
from croniter.croniter import CroniterError

from .._validate import validate_cron
from ..errors import ScheduleError

__all__ = ["CronSchedule", "fires_between", "next_fire", "resolve_local", "validate_cron", "zone"]

UTC = timezone.utc

# Upper bound on croniter candidates examined per call: a valid 5-field expression matches at least once
# in 4 years (Feb 29), far fewer candidates than this; the bound turns a pathological case into an error.
_MAX_CANDIDATES = 10_000


class CronSchedule(Protocol):
    """What ``next_fire`` reads from a schedule (``TrainingSchedule`` satisfies it)."""

    @property
    def cron_expression(self) -> str:
        """Five-field cron expression (minute hour day-of-month month day-of-week) or an ``@`` macro."""
        ...

    @property
    def timezone(self) -> str:
        """IANA time zone name the expression is read in, e.g. ``"UTC"`` or ``"Europe/Paris"``."""
        ...


def zone(name: str, field: str = "timezone") -> ZoneInfo:
    """Return the IANA time zone called ``name``.

    Args:
        name: an IANA name such as ``"UTC"`` or ``"America/New_York"``.
        field: the field name used in the error message.

    Returns:
        The ``ZoneInfo``.

    Raises:
        ScheduleError: when the name is not a known IANA time zone.

    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ScheduleError(f"{field}: unknown IANA time zone {name!r} (e.g. 'UTC', 'Europe/Paris')") from exc


def resolve_local(naive: datetime, tz: ZoneInfo) -> datetime:
    """Map a local wall-clock time to the instant it fires at, by the DST rule of this module.

    Args:
        naive: a wall-clock time without tzinfo.
        tz: the zone it is read in.

    Returns:
        An aware datetime in ``tz``: the time itself, its first occurrence when ambiguous, or the first valid
        instant after it when it does not exist.

    """
    first = naive.replace(tzinfo=tz, fold=0)
    utc = first.astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) == naive:
        return utc.astimezone(tz)  # exists; fold=0 is the first occurrence when ambiguous
    # Nonexistent (in a gap). zoneinfo reads fold=0 with the offset before the transition (an instant after
    # it) and fold=1 with the offset after (an instant before it); the transition lies between them.
    hi = utc
    lo = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    after_offset = hi.astimezone(tz).utcoffset()
    while hi - lo > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        if mid.astimezone(tz).utcoffset() == after_offset:
            hi = mid
        else:
            lo = mid
    return hi.replace(microsecond=0).astimezone(tz)


def next_fire(schedule: CronSchedule, after: datetime) -> datetime:
    """Return the first fire instant of ``schedule`` strictly after ``after``.

    Pure: depends only on the schedule's ``cron_expression`` and ``timezone`` and on ``after``.

    Args:
        schedule: anything with ``cron_expression`` and ``timezone`` (a ``TrainingSchedule``).
        after: an aware datetime.

    Returns:
        The fire instant as an aware UTC datetime (see the module docstring for the DST rule); use
        ``.astimezone(ZoneInfo(schedule.timezone))`` for the local wall-clock time. UTC because Python
        compares two datetimes of the same zone by wall clock, ignoring ``fold`` (PEP 495), which would
        misorder the repeated hour of a fall-back day.

    Raises:
        ScheduleError: when ``after`` is naive, or the expression or time zone is invalid.

    """
    if after.tzinfo is None or after.utcoffset() is None:
        raise ScheduleError(f"after: expected a timezone-aware datetime, got naive {after.isoformat()}")
    expression = validate_cron(schedule.cron_expression)
    tz = zone(schedule.timezone)
    # Walk wall-clock candidates from after's own wall-clock time. resolve_local is monotonic and maps a
    # wall-clock time t to an instant <= the instant whose local time is t, so no candidate <= after's
    # wall-clock time can fire after ``after``: starting here misses nothing.
    after_utc = after.astimezone(UTC)
    start = after_utc.astimezone(tz).replace(tzinfo=None, fold=0)
    candidates = croniter(expression, start)
    for _ in range(_MAX_CANDIDATES):
        try:
            naive = candidates.get_next(datetime)
        except (CroniterError, ValueError, OverflowError):  # validate_cron refuses expressions with no date
            break
        # Compare in UTC: Python compares datetimes sharing a tzinfo by wall clock, ignoring fold (PEP 495).
        fire = resolve_local(naive, tz).astimezone(UTC)
        if fire > after_utc:
            return fire
    raise ScheduleError(f"cron_expression: {expression!r} has no fire time after {after.isoformat()}")


def fires_between(schedule: CronSchedule, start: datetime, end: datetime) -> list[datetime]:
    """Return every fire instant in ``(start, end]``, in order.

    Args:
        schedule: anything with ``cron_expression`` and ``timezone``.
        start: exclusive lower bound (aware).
        end: inclusive upper bound (aware).

    Returns:
        The fire instants (aware, UTC).

    """
    fires: list[datetime] = []
    current = start
    while True:
        current = next_fire(schedule, current)
        if current > end:
            return fires
        fires.append(current)
