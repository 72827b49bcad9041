"""Fakes for scheduler tests: an orchestrator that records jobs, optionally blocking or failing them."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import pytest

from mlops_unity_pipeline.specs import RLTrainingConfig, TrainingSchedule, UnityAssetSpec


def make_schedule(schedule_id: str = "nightly", cron: str = "0 2 * * *", **kwargs: Any) -> TrainingSchedule:
    """A TrainingSchedule with one small asset."""
    assets = kwargs.pop("asset_specs", [UnityAssetSpec(asset_id="agent-001", name="SimpleAgent")])
    return TrainingSchedule(
        schedule_id=schedule_id,
        cron_expression=cron,
        asset_specs=assets,
        rl_config=kwargs.pop("rl_config", RLTrainingConfig(max_steps=1000)),
        **kwargs,
    )


@dataclass
class FakeOrchestrator:
    """Records every job it is given; ``gate`` (when set) blocks jobs until released; ``fail`` ids fail."""

    clock: Any = None
    gate: asyncio.Event | None = None
    fail: set[str] = field(default_factory=set)
    raise_for: set[str] = field(default_factory=set)
    jobs: list[Any] = field(default_factory=list)
    started_at: dict[str, datetime] = field(default_factory=dict)
    finished: list[str] = field(default_factory=list)
    running: int = 0
    max_running: int = 0

    async def execute_training_job(self, job: Any) -> Any:
        self.jobs.append(job)
        if self.clock is not None:
            self.started_at[job.job_id] = self.clock.now()
        self.running += 1
        self.max_running = max(self.max_running, self.running)
        try:
            if self.gate is not None:
                await self.gate.wait()
            await asyncio.sleep(0)
            if job.job_id in self.raise_for or job.asset_spec.asset_id in self.raise_for:
                raise RuntimeError("trainer exploded")
            failed = job.job_id in self.fail or job.asset_spec.asset_id in self.fail
            self.finished.append(job.job_id)
            return SimpleNamespace(
                status="failed" if failed else "succeeded", error="boom" if failed else None
            )
        finally:
            self.running -= 1

    @property
    def job_ids(self) -> list[str]:
        return [job.job_id for job in self.jobs]


@pytest.fixture
def orchestrator() -> FakeOrchestrator:
    """A recording fake orchestrator."""
    return FakeOrchestrator()
