"""A player of several behaviors (``sim player Chase``) through the gRPC bridge: every behavior trains."""

from __future__ import annotations

import json
import shlex
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import torch
import yaml
from typer.testing import CliRunner

from mlops_unity_pipeline.bridge import player_env_factory
from mlops_unity_pipeline.bridge.launcher import write_player_launcher
from mlops_unity_pipeline.bridge.player import PlayerOptions, SimPlayer
from mlops_unity_pipeline.bridge.unity_env import PlayerSettings, UnityMultiBehaviorEnv, UnityVectorEnv
from mlops_unity_pipeline.cli.app import app
from mlops_unity_pipeline.errors import InvalidAction
from mlops_unity_pipeline.rl.selfplay import STATE_KEY
from mlops_unity_pipeline.sim.tasks.chase import CHASER, EVADER, ChaseEnv
from mlops_unity_pipeline.spaces import ActionTuple, MultiBehaviorEnv

from ..rl.test_learn_multi import chase_options

REPO = Path(__file__).resolve().parents[2]


def chase_player(tmp_path: Path, port: int) -> tuple[threading.Thread, list[int]]:
    options = PlayerOptions(
        task="chase", port=port, log_file=str(tmp_path / "chase.log"), connect_timeout_s=20
    )
    player = SimPlayer(options)
    codes: list[int] = []
    thread = threading.Thread(target=lambda: codes.append(player.run()), daemon=True)
    thread.start()
    return thread, codes


def write_chase_player(path: Path) -> Path:
    """A Chase player executable running this checkout's code (``write_player_launcher``'s script resets
    ``PYTHONPATH``, so it would run the installed package)."""
    source = f"{REPO / 'src'}"
    path.write_text(
        "#!/bin/sh\n"
        f"PYTHONPATH={shlex.quote(source)} exec {shlex.quote(sys.executable)} "
        '-m mlops_unity_pipeline.bridge.player Chase "$@"\n'
    )
    path.chmod(0o755)
    return path


def random_actions(rng: np.random.Generator, areas: int) -> dict[str, ActionTuple]:
    return {
        CHASER: ActionTuple(
            np.zeros((areas, 0), np.float32), rng.integers(0, 3, (areas, 1)).astype(np.int32)
        ),
        EVADER: ActionTuple(
            rng.uniform(-1, 1, (areas, 1)).astype(np.float32), np.zeros((areas, 0), np.int32)
        ),
    }


def test_chase_through_the_bridge_equals_chase_in_process(
    tmp_path: Path, leased_ports: Callable[[int], int]
) -> None:
    """Both behaviors in one message per step: every batch equals the in-process game's, team ids included."""
    port = leased_ports(1)
    thread, codes = chase_player(tmp_path, port)
    settings = PlayerSettings(
        executable=None, base_port=port, seed=5, num_areas=4, timeout_s=20.0, log_dir=tmp_path / "logs"
    )
    env = UnityMultiBehaviorEnv(UnityVectorEnv(settings))
    try:
        assert isinstance(env, MultiBehaviorEnv)
        reference = ChaseEnv(4, seed=5)
        assert env.signatures == reference.signatures and env.num_agents == {CHASER: 4, EVADER: 4}
        got, want = env.reset(), reference.reset()
        rng = np.random.default_rng(0)
        ended = 0
        for _ in range(30):
            for name in (CHASER, EVADER):
                g, w = got[name], want[name]
                np.testing.assert_array_equal(g.team_id, w.team_id, err_msg=name)
                for field in ("reward", "terminated", "truncated"):
                    np.testing.assert_array_equal(
                        getattr(g, field), getattr(w, field), err_msg=f"{name} {field}"
                    )
                np.testing.assert_allclose(g.obs[0], w.obs[0], rtol=1e-6, err_msg=name)
                np.testing.assert_allclose(g.final_obs[0], w.final_obs[0], rtol=1e-6, err_msg=name)
            ended += int(got[CHASER].terminated.sum())
            actions = random_actions(rng, 4)
            got, want = env.step(actions), reference.step(actions)
        assert ended > 0  # games ended and both sides' agents came back under new episode ids
        with pytest.raises(InvalidAction, match=r"no actions for behaviors \['Evader'\]"):
            env.step({CHASER: actions[CHASER]})
    finally:
        env.close()
    thread.join(20)
    assert codes == [0]


def test_launcher_serves_chase_and_the_factory_gives_a_multi_behavior_env(
    tmp_path: Path, leased_ports: Callable[[int], int]
) -> None:
    """``write_player_launcher`` takes Chase; ``player_env_factory`` on a Chase player: a MultiBehaviorEnv."""
    assert "bridge.player Chase " in write_player_launcher(tmp_path / "sim.x86_64", "chase").read_text()
    port = leased_ports(4)
    chase = player_env_factory(
        write_chase_player(tmp_path / "chase.x86_64"), None, base_port=port, timeout_s=60.0
    )
    env = chase(0, 1)
    try:
        assert isinstance(env, UnityMultiBehaviorEnv) and list(env.signatures) == [CHASER, EVADER]
        assert set(env.reset()) == {CHASER, EVADER}
    finally:
        env.close()


def test_learn_asymmetric_self_play_through_a_chase_player(tmp_path: Path) -> None:
    """`learn --env <Chase player>` over gRPC: both behaviors train, one team each, ONNX per behavior."""
    sp = {"save_steps": 50, "swap_steps": 50, "team_change": 100, "window": 3}
    behavior = {"self_play": sp, "max_steps": 200}
    data = chase_options(tmp_path, chaser=behavior, evader=behavior).to_dict()
    data["env_settings"]["num_areas"] = 2
    config = tmp_path / "chase.yaml"
    config.write_text(yaml.safe_dump(data))
    player = write_chase_player(tmp_path / "chase.x86_64")
    args = [
        "learn",
        str(config),
        "--env",
        str(player),
        "--run-id",
        "c",
        "--results-dir",
        str(tmp_path),
        "--json",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    behaviors = json.loads(result.stdout.strip().splitlines()[-1])["behaviors"]
    assert set(behaviors) == {CHASER, EVADER}
    run = tmp_path / "c"
    assert "2 area(s) of 1 agent(s)" in (run / "run_logs" / "Player-0.log").read_text()
    for name, team in ((CHASER, 0), (EVADER, 1)):
        assert behaviors[name]["steps"] >= 200 and (run / f"{name}.onnx").is_file()
        state = torch.load(run / name / "checkpoint.pt", weights_only=False)
        assert state[STATE_KEY]["teams"] == [team]  # each behavior is one team of the asymmetric game


BEHAVIORS = r"""
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
for _ in range(40):
    for name, spec in env.behavior_specs.items():
        n = len(env.get_steps(name)[0])
        env.set_actions(name, spec.action_spec.random_action(n))
    env.step()
    for name in env.behavior_specs:
        decision, terminal = env.get_steps(name)
        out["decisions"][name].append(len(decision))
        out["terminal"][name] += len(terminal)
        out["final_rewards"][name] += float(terminal.reward.sum())
env.close()
print(json.dumps(out))
"""


@pytest.mark.slow
def test_mlagents_envs_sees_both_behaviors_of_the_chase_player(
    mlagents_learn: Path, tmp_path: Path, leased_ports: Callable[[int], int]
) -> None:
    """The real mlagents_envs 1.1.0: two behavior specs (Chaser?team=0, Evader?team=1), 3 agents each."""
    import subprocess

    player = write_chase_player(tmp_path / "chase.x86_64")
    python = mlagents_learn.parent / "python"
    done = subprocess.run(
        [str(python), "-c", BEHAVIORS, str(player), str(leased_ports(1))],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["specs"] == {
        "Chaser?team=0": {
            "behavior": CHASER,
            "team": 0,
            "obs_shapes": [[3]],
            "continuous": 0,
            "branches": [3],
        },
        "Evader?team=1": {
            "behavior": EVADER,
            "team": 1,
            "obs_shapes": [[4]],
            "continuous": 1,
            "branches": [],
        },
    }
    for name in out["specs"]:
        assert set(out["decisions"][name]) == {3} and out["terminal"][name] > 0
    # every game has one winner: the Chaser's final rewards are the Evader's, negated
    assert out["final_rewards"]["Chaser?team=0"] == pytest.approx(-out["final_rewards"]["Evader?team=1"])


def test_ray_env_actors_refuse_a_player_of_several_behaviors(tmp_path: Path) -> None:
    """``--ray-envs`` (one player per actor): a player of several behaviors is a ConfigError naming them."""
    from mlops_unity_pipeline.errors import ConfigError
    from mlops_unity_pipeline.rl.learn import _LogFolderOnClose

    with pytest.raises(ConfigError, match=r"--ray-envs runs single-behavior .* \['Chaser', 'Evader'\]"):
        _LogFolderOnClose(ChaseEnv(1), tmp_path)
