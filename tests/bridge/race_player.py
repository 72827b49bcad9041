"""A two-team player for the bridge tests: the self-play race of ``tests/rl/race_env.py`` as a Unity player.

``SimPlayer`` serves it like a Unity self-play scene: behavior ``CueRace`` under ``CueRace?team=0`` and
``CueRace?team=1``. One area is one match of two runners. ``write_race_player`` writes an executable that
``mlops-unity learn --env`` (or ``mlagents_envs``) launches like a built player.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from mlops_unity_pipeline.bridge.player import SimPlayer, parse_player_args
from mlops_unity_pipeline.sim.engine_config import EngineConfig
from mlops_unity_pipeline.spaces import ActionTuple, StepBatch

from ..rl.race_env import CueRace

REPO = Path(__file__).resolve().parents[2]
AREA_AGENTS = 2
"""Agents of one area: one runner per team."""


class RacePlayerEnv:
    """``CueRace`` with what ``SimPlayer`` reads of a simulator: episode ids, parameters, engine settings."""

    def __init__(self, num_agents: int, seed: int | None) -> None:
        self.race = CueRace(max(1, num_agents // AREA_AGENTS), seed=seed)
        self.signature = self.race.signature
        self.num_agents = self.race.num_agents
        self.episode_ids = np.arange(self.num_agents, dtype=np.int64)
        self.env_parameter_defaults: dict[str, float] = {}
        self.engine = EngineConfig()
        self._next_id = self.num_agents

    def _renew(self, rows: np.ndarray) -> None:
        self.episode_ids[rows] = np.arange(self._next_id, self._next_id + rows.size)
        self._next_id += rows.size

    def reset(self, *, seed: int | None = None) -> StepBatch:
        """Every match restarts; every runner starts a new episode (a new id)."""
        self._renew(np.arange(self.num_agents))
        return self.race.reset(seed=seed)

    def step(self, actions: ActionTuple) -> StepBatch:
        """One decision; runners of finished matches get new episode ids."""
        batch = self.race.step(actions)
        self._renew(np.flatnonzero(batch.terminated | batch.truncated))
        return batch

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        """The race has no parameters."""

    def close(self) -> None:
        """Nothing to release."""


def make_race(task: str, *, num_agents: int, seed: int | None) -> RacePlayerEnv:
    """``SimPlayer``'s ``make_env`` for the race."""
    return RacePlayerEnv(num_agents, seed)


def write_race_player(path: Path) -> Path:
    """Write an executable starting this player with the Unity player flags it is given."""
    source = f"{REPO / 'src'}:{REPO}"
    path.write_text(
        "#!/bin/sh\n"
        f"PYTHONPATH={shlex.quote(source)} exec {shlex.quote(sys.executable)} -m tests.bridge.race_player "
        'CueRace "$@"\n'
    )
    path.chmod(0o755)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Run the race player (``python -m tests.bridge.race_player CueRace --mlagents-port N ...``)."""
    options = parse_player_args(sys.argv[1:] if argv is None else argv)
    return SimPlayer(options, make_env=make_race, area_agents=AREA_AGENTS).run()


if __name__ == "__main__":
    sys.exit(main())
