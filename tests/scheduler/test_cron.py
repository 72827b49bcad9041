"""next_fire: cron in IANA time zones, with the DST rule checked on fixed datetimes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from mlops_unity_pipeline.errors import ScheduleError
from mlops_unity_pipeline.scheduler import fires_between, next_fire, resolve_local, validate_cron
from mlops_unity_pipeline.specs import TrainingSchedule, UnityAssetSpec

UTC = timezone.utc
NY = ZoneInfo("America/New_York")


def sched(cron: str, tz: str = "UTC") -> SimpleNamespace:
    return SimpleNamespace(cron_expression=cron, timezone=tz)


def test_daily_utc_next_fire():
    """A daily 02:00 UTC schedule fires at 02:00 the same day, then the next day."""
    s = sched("0 2 * * *")
    assert next_fire(s, datetime(2024, 5, 1, 1, 59, tzinfo=UTC)) == datetime(2024, 5, 1, 2, 0, tzinfo=UTC)
    assert next_fire(s, datetime(2024, 5, 1, 2, 0, tzinfo=UTC)) == datetime(2024, 5, 2, 2, 0, tzinfo=UTC)


def test_next_fire_is_strictly_after():
    """After exactly a fire time (or a second later) the next fire is the following one."""
    s = sched("*/15 * * * *")
    t = datetime(2024, 5, 1, 10, 15, tzinfo=UTC)
    assert next_fire(s, t) == datetime(2024, 5, 1, 10, 30, tzinfo=UTC)
    assert next_fire(s, t - timedelta(microseconds=1)) == t


def test_result_is_utc_and_read_in_the_schedules_zone():
    """The cron is read in the schedule's zone; the returned instant is UTC (09:00 CET = 08:00 UTC)."""
    fire = next_fire(sched("0 9 * * 1", "Europe/Paris"), datetime(2024, 1, 1, tzinfo=UTC))
    assert fire.tzinfo == UTC
    assert fire == datetime(2024, 1, 1, 8, 0, tzinfo=UTC)  # Monday 09:00 CET


def test_after_in_the_repeated_hour_given_in_local_time():
    """``after`` = 01:10 EST (fold=1, second pass) in New York: 01:30 EDT is earlier, so not returned."""
    after = datetime(2024, 11, 3, 1, 10, tzinfo=NY, fold=1)
    assert next_fire(sched("30 1 * * *", "America/New_York"), after) == datetime(
        2024, 11, 4, 6, 30, tzinfo=UTC
    )
    assert next_fire(sched("0 2 * * *", "America/New_York"), after) == datetime(2024, 11, 3, 7, 0, tzinfo=UTC)


def test_spring_forward_nonexistent_time_runs_at_transition():
    """02:30 does not exist on 2024-03-10 in New York: it fires at 03:00 EDT (07:00 UTC), the first after."""
    fire = next_fire(sched("30 2 * * *", "America/New_York"), datetime(2024, 3, 10, 0, 0, tzinfo=NY))
    assert fire == datetime(2024, 3, 10, 7, 0, tzinfo=UTC)
    assert fire.astimezone(NY).hour == 3 and fire.astimezone(NY).minute == 0
    # and the day after it is back to 02:30 EDT
    assert next_fire(sched("30 2 * * *", "America/New_York"), fire) == datetime(
        2024, 3, 11, 6, 30, tzinfo=UTC
    )


def test_spring_forward_collapsed_times_fire_once():
    """Every-30-minutes on the spring-forward day: 02:00 and 02:30 collapse onto 03:00, which fires once."""
    fires = fires_between(
        sched("*/30 * * * *", "America/New_York"),
        datetime(2024, 3, 10, 1, 0, tzinfo=NY),
        datetime(2024, 3, 10, 4, 0, tzinfo=NY),
    )
    local = [f.astimezone(NY).strftime("%H:%M%z") for f in fires]
    assert local == ["01:30-0500", "03:00-0400", "03:30-0400", "04:00-0400"]


def test_fall_back_ambiguous_time_runs_once_at_first_occurrence():
    """01:30 happens twice on 2024-11-03 in New York: it fires once, at 01:30 EDT (05:30 UTC)."""
    s = sched("30 1 * * *", "America/New_York")
    first = next_fire(s, datetime(2024, 11, 3, 0, 0, tzinfo=NY))
    assert first == datetime(2024, 11, 3, 5, 30, tzinfo=UTC)
    # Not again at 01:30 EST (06:30 UTC): the next fire is the next day.
    assert next_fire(s, first) == datetime(2024, 11, 4, 6, 30, tzinfo=UTC)
    # Even when asked from inside the repeated hour (01:10 EST), the repeated 01:30 does not fire.
    inside_second_pass = datetime(2024, 11, 3, 6, 10, tzinfo=UTC)
    assert next_fire(s, inside_second_pass) == datetime(2024, 11, 4, 6, 30, tzinfo=UTC)


def test_hourly_counts_on_dst_days():
    """Hourly in New York: 23 fires on the spring-forward day, 24 (not 25) on the fall-back day."""
    s = sched("0 * * * *", "America/New_York")

    def day(y: int, m: int, d: int) -> list[datetime]:
        start = datetime(y, m, d, tzinfo=NY) - timedelta(seconds=1)
        end = datetime(y, m, d, 23, 59, tzinfo=NY)
        return fires_between(s, start, end)

    assert len(day(2024, 3, 10)) == 23
    assert len(day(2024, 11, 3)) == 24
    assert len(day(2024, 6, 1)) == 24


def test_half_hour_dst_shift_lord_howe():
    """Lord Howe Island moves 30 minutes: 02:15 on 2024-10-06 does not exist and fires at 02:30 (+11:00)."""
    lh = ZoneInfo("Australia/Lord_Howe")
    fire = next_fire(sched("15 2 * * *", "Australia/Lord_Howe"), datetime(2024, 10, 6, 0, 0, tzinfo=lh))
    assert fire.astimezone(lh).strftime("%H:%M%z") == "02:30+1100"
    assert fire == datetime(2024, 10, 5, 15, 30, tzinfo=UTC)


def test_skipped_calendar_day_samoa():
    """Samoa skipped 2011-12-30 entirely; a fire on that day runs at the first valid instant after it."""
    fire = next_fire(sched("0 12 30 12 *", "Pacific/Apia"), datetime(2011, 12, 29, tzinfo=UTC))
    assert fire.astimezone(ZoneInfo("Pacific/Apia")).isoformat() == "2011-12-31T00:00:00+14:00"


def test_resolve_local_keeps_existing_times():
    """An ordinary wall-clock time maps to itself."""
    assert resolve_local(datetime(2024, 7, 1, 12, 0), NY) == datetime(2024, 7, 1, 12, 0, tzinfo=NY)


def test_year_of_hourly_fires_is_monotonic_and_unique():
    """A year of hourly New York fires: strictly increasing, 8783 (8784 hours of 2024 minus the gap)."""
    fires = fires_between(
        sched("0 * * * *", "America/New_York"),
        datetime(2024, 1, 1, tzinfo=NY) - timedelta(seconds=1),
        datetime(2024, 12, 31, 23, 0, tzinfo=NY),
    )
    assert all(a < b for a, b in zip(fires, fires[1:], strict=False))
    assert len(fires) == 366 * 24 - 1


_ASSET = UnityAssetSpec(asset_id="a", name="A")


def test_six_fields_are_refused():
    """A sixth field (croniter's seconds) is refused: the docs promise five fields, not "every second"."""
    with pytest.raises(ScheduleError, match="expected 5 fields.*got 6.*seconds are not supported"):
        validate_cron("* * * * * *")
    with pytest.raises(ScheduleError, match="expected 5 fields"):
        TrainingSchedule(schedule_id="s", cron_expression="0 2 * * * 30", asset_specs=[_ASSET])


@pytest.mark.parametrize("cron", ["0 0 31 2 *", "0 0 30 2 *", "0 0 31 4 *"])
def test_impossible_dates_are_refused(cron):
    """A date that never exists (February 31st) is a ScheduleError at validation, not a croniter traceback."""
    with pytest.raises(ScheduleError, match="never fires"):
        TrainingSchedule(schedule_id="s", cron_expression=cron, asset_specs=[_ASSET])
    with pytest.raises(ScheduleError, match="never fires"):
        next_fire(sched(cron), datetime(2024, 1, 1, tzinfo=UTC))


def test_leap_day_is_possible():
    """February 29th exists every four years: it is accepted and fires on the next leap day."""
    assert next_fire(sched("0 0 29 2 *"), datetime(2024, 3, 1, tzinfo=UTC)) == datetime(
        2028, 2, 29, tzinfo=UTC
    )


def test_naive_after_is_rejected():
    """A naive ``after`` is ambiguous and raises ScheduleError naming the argument."""
    with pytest.raises(ScheduleError, match="after: expected a timezone-aware"):
        next_fire(sched("0 2 * * *"), datetime(2024, 1, 1))


@pytest.mark.parametrize(
    ("cron", "message"),
    [
        ("0 2 * *", "expected 5 fields"),
        ("0 2 * * * 0 2024", "got 7"),
        ("61 2 * * *", "not a valid cron"),
        ("", "expected a cron"),
        ("@reboot", "unknown macro"),
    ],
)
def test_bad_cron_expressions(cron: str, message: str):
    """Malformed expressions raise ScheduleError saying what was expected."""
    with pytest.raises(ScheduleError, match=message):
        validate_cron(cron)


def test_unknown_time_zone():
    """An unknown IANA name raises ScheduleError naming the timezone field."""
    with pytest.raises(ScheduleError, match="timezone: unknown IANA time zone 'Mars/Base'"):
        next_fire(sched("0 2 * * *", "Mars/Base"), datetime(2024, 1, 1, tzinfo=UTC))


def _week_matches(cron: str) -> frozenset[tuple[int, int, int]]:
    """(weekday, hour, minute) triples the cron matches (these crons leave day-of-month and month free)."""
    from croniter import croniter

    monday = datetime(2024, 1, 1)  # a Monday; naive, so croniter walks plain wall-clock minutes
    found = set()
    walker = croniter(cron, monday - timedelta(minutes=1))
    while (m := walker.get_next(datetime)) < monday + timedelta(days=7):
        found.add((m.weekday(), m.hour, m.minute))
    return frozenset(found)


def _oracle_next_fire(matches: frozenset[tuple[int, int, int]], tz: ZoneInfo, after: datetime) -> datetime:
    """Brute force, minute by minute in UTC: the DST rule stated independently of next_fire's algorithm.

    A UTC minute fires when its local wall time matches and is the first occurrence (fold=0), or when it is
    the instant a spring-forward gap closes and a skipped wall time in that gap matches.
    """

    def hit(wall: datetime) -> bool:
        return (wall.weekday(), wall.hour, wall.minute) in matches

    t = after.astimezone(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)
    previous = (t - timedelta(minutes=1)).astimezone(tz)
    for _ in range(60 * 24 * 9):
        local = t.astimezone(tz)
        if local.utcoffset() > previous.utcoffset():  # a gap closed at t: wall times in it were skipped
            skipped = previous.replace(tzinfo=None) + timedelta(minutes=1)
            while skipped < local.replace(tzinfo=None):
                if hit(skipped):
                    return t
                skipped += timedelta(minutes=1)
        first = local.fold == 0 or local.replace(fold=0).utcoffset() == local.utcoffset()
        if first and hit(local):
            return t
        previous = local
        t += timedelta(minutes=1)
    raise AssertionError(f"no fire within 9 days after {after}")


def test_next_fire_matches_a_brute_force_oracle_around_dst_transitions():
    """Seeded random instants around 2024's DST transitions in four zones, six crons: same as brute force."""
    import random

    rng = random.Random(20240310)
    transitions = {
        "America/New_York": [datetime(2024, 3, 10, 7, tzinfo=UTC), datetime(2024, 11, 3, 6, tzinfo=UTC)],
        "Europe/London": [datetime(2024, 3, 31, 1, tzinfo=UTC), datetime(2024, 10, 27, 1, tzinfo=UTC)],
        "Australia/Lord_Howe": [
            datetime(2024, 4, 6, 15, tzinfo=UTC),
            datetime(2024, 10, 5, 15, 30, tzinfo=UTC),
        ],
        "Asia/Kolkata": [datetime(2024, 6, 1, tzinfo=UTC)],  # no DST: the plain case
    }
    crons = ["*/15 * * * *", "0 * * * *", "30 1 * * *", "15 2 * * *", "45 0-3 * * 0", "0 2 * * 1-5"]
    week = {cron: _week_matches(cron) for cron in crons}
    for _ in range(400):
        name = rng.choice(sorted(transitions))
        cron = rng.choice(crons)
        after = rng.choice(transitions[name]) + timedelta(minutes=rng.randint(-36 * 60, 12 * 60))
        after += timedelta(seconds=rng.choice([0, 0, 1, 59]))
        expected = _oracle_next_fire(week[cron], ZoneInfo(name), after)
        assert next_fire(sched(cron, name), after) == expected, (cron, name, after)
