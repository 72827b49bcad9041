"""The real ``mlagents_envs`` 1.1.0 (``.venv-mlagents``) reads the two-team race player as a self-play scene.

What mlagents-learn's ghost trainer relies on: one behavior spec per team, ``Name?team=N``, whose team id its
own ``BehaviorIdentifiers`` parses, each team's agents deciding under its own name, actions set per name.
Skipped only when ``scripts/setup_mlagents_venv.sh`` cannot set the venv up (no package registry).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from .race_player import write_race_player

pytestmark = pytest.mark.slow

TEAMS = r"""
import json, sys
import numpy as np
from mlagents_envs.environment import UnityEnvironment
from mlagents_envs.base_env import ActionTuple
from mlagents.trainers.behavior_id_utils import BehaviorIdentifiers

player, port = sys.argv[1], int(sys.argv[2])
env = UnityEnvironment(file_name=player, base_port=port, seed=5, no_graphics=True, timeout_wait=60,
                       num_areas=3)
env.reset()
out = {"specs": {}, "decisions": {}, "terminal": {}, "final_rewards": {}}
for name, spec in env.behavior_specs.items():
    ids = BehaviorIdentifiers.from_name_behavior_id(name)
    out["specs"][name] = {"behavior": ids.brain_name, "team": ids.team_id,
                          "obs_shapes": [list(o.shape) for o in spec.observation_specs],
                          "continuous": spec.action_spec.continuous_size,
                          "branches": list(spec.action_spec.discrete_branches)}
    out["decisions"][name], out["terminal"][name], out["final_rewards"][name] = [], 0, 0.0
rng = np.random.default_rng(0)
for _ in range(60):
    for name, spec in env.behavior_specs.items():
        decision, _ = env.get_steps(name)
        n = len(decision)
        disc = rng.integers(0, spec.action_spec.discrete_branches[0], (n, 1)).astype(np.int32)
        env.set_actions(name, ActionTuple(continuous=np.zeros((n, 0), np.float32), discrete=disc))
    env.step()
    for name in env.behavior_specs:
        decision, terminal = env.get_steps(name)
        out["decisions"][name].append(len(decision))
        out["terminal"][name] += len(terminal)
        out["final_rewards"][name] += float(terminal.reward.sum())
env.close()
print(json.dumps(out))
"""


def test_mlagents_envs_sees_one_behavior_spec_per_team(
    mlagents_learn: Path, tmp_path: Path, leased_ports: Callable[[int], int]
) -> None:
    """UnityEnvironment: CueRace?team=0/1 with the race's shapes; each team's 3 runners decide every step."""
    player = write_race_player(tmp_path / "race.x86_64")
    python = mlagents_learn.parent / "python"
    done = subprocess.run(
        [str(python), "-c", TEAMS, str(player), str(leased_ports(1))],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    spec = {"behavior": "CueRace", "obs_shapes": [[6]], "continuous": 0, "branches": [3]}
    assert out["specs"] == {f"CueRace?team={t}": {**spec, "team": t} for t in (0, 1)}
    for name in out["specs"]:
        assert set(out["decisions"][name]) == {3}  # 3 areas, one runner of each team per area
        assert out["terminal"][name] > 0  # matches ended under each team's name
    # a won match is +1 for every winner and -1 for every loser: the two teams' final rewards cancel
    assert out["final_rewards"]["CueRace?team=0"] == pytest.approx(-out["final_rewards"]["CueRace?team=1"])
