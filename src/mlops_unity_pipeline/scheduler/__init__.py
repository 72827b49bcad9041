"""Cron scheduling of training jobs: ``TrainingScheduler``, the pure ``next_fire``, clocks and fire records.

Read ``training_scheduler.py`` for the claim/run protocol and the misfire and overlap policies, ``cron.py``
for the DST rule, ``store.py`` for the SQLite schema.
"""

from __future__ import annotations

from .clock import Clock, ManualClock, SystemClock
from .cron import fires_between, next_fire, resolve_local, validate_cron
from .store import FireRecord, FireState, ScheduleStore
from .training_scheduler import ScheduleStatus, TrainingScheduler, job_id_for

__all__ = [
    "Clock",
    "FireRecord",
    "FireState",
    "ManualClock",
    "ScheduleStatus",
    "ScheduleStore",
    "SystemClock",
    "TrainingScheduler",
    "fires_between",
    "job_id_for",
    "next_fire",
    "resolve_local",
    "validate_cron",
]
