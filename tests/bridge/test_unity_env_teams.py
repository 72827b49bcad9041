"""One behavior under two team ids (a self-play scene) through ``UnityVectorEnv``: one batch with team ids."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import grpc
import numpy as np
import pytest
import torch
import yaml
from typer.testing import CliRunner

from mlops_unity_pipeline.bridge import proto as P
from mlops_unity_pipeline.bridge.player import PlayerOptions, SimPlayer
from mlops_unity_pipeline.bridge.proto.unity_to_external_pb2_grpc import UnityToExternalProtoStub
from mlops_unity_pipeline.bridge.protocol import output_message
from mlops_unity_pipeline.bridge.unity_env import PlayerSettings, UnityVectorEnv
from mlops_unity_pipeline.cli.app import app
from mlops_unity_pipeline.errors import ProtocolError
from mlops_unity_pipeline.rl.config import RunOptions
from mlops_unity_pipeline.rl.learn import make_trainer
from mlops_unity_pipeline.rl.selfplay import ELO_TAG, STATE_KEY
from mlops_unity_pipeline.spaces import ActionTuple

from ..rl.race_env import NUM_CUES, CueRace, race_options, win_rate
from .race_player import AREA_AGENTS, make_race, write_race_player
from .test_unity_env import info

Script = list[dict[str, list[P.AgentInfoProto]]]


def team_brains(continuous: tuple[int, int] = (1, 1)) -> tuple[P.BrainParametersProto, ...]:
    return tuple(
        P.BrainParametersProto(
            brain_name=f"Duel?team={team}",
            is_training=True,
            action_spec=P.ActionSpecProto(num_continuous_actions=size),
        )
        for team, size in enumerate(continuous)
    )


def team_peer(
    port: int, script: Script, received: list[P.UnityRLInputProto], brains: tuple[P.BrainParametersProto, ...]
) -> None:
    """A Unity-like player whose messages carry several qualified names (``script``: one dict per message)."""
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    grpc.channel_ready_future(channel).result(timeout=20)
    stub = UnityToExternalProtoStub(channel)
    init = P.UnityRLInitializationOutputProto(
        name="AcademySingleton", communication_version="1.5.0", package_version="3.0.0"
    )
    stub.Exchange(output_message(P.UnityOutputProto(rl_initialization_output=init)))
    reply = stub.Exchange(output_message())
    for index, message in enumerate(script):
        received.append(reply.unity_input.rl_input)
        output = P.UnityOutputProto()
        for key, infos in message.items():
            output.rl_output.agentInfos[key].value.extend(infos)
        if index == 0:
            output.rl_initialization_output.brain_parameters.extend(brains)
        reply = stub.Exchange(output_message(output))
        if reply.header.status != 200:
            break
    channel.close()


def start(
    tmp_path: Path,
    port: int,
    script: Script,
    brains: tuple[P.BrainParametersProto, ...],
    received: list[P.UnityRLInputProto],
    behavior_name: str | None = None,
) -> tuple[threading.Thread, Callable[[], UnityVectorEnv]]:
    thread = threading.Thread(target=team_peer, args=(port, script, received, brains), daemon=True)
    thread.start()
    settings = PlayerSettings(
        executable=None,
        base_port=port,
        timeout_s=20.0,
        log_dir=tmp_path / "logs",
        port_lock_dir=tmp_path,
        behavior_name=behavior_name,
    )
    return thread, lambda: UnityVectorEnv(settings)


@pytest.fixture
def duel(
    tmp_path: Path, leased_ports: Callable[[int], int]
) -> Iterator[tuple[UnityVectorEnv, list[P.UnityRLInputProto]]]:
    script: Script = [
        # after RESET: team 1's infos come first in the message; rows still follow team order
        {"Duel?team=1": [info(20, 1.0), info(21, 1.1)], "Duel?team=0": [info(10, 0.0), info(11, 0.1)]},
        {
            "Duel?team=0": [info(11, 0.2), info(10, 0.3, reward=0.5)],  # decisions in another order
            # agent 21 ends (a loss) and its team's next agent 22 takes its slot, never a team-0 slot
            "Duel?team=1": [info(21, 1.5, reward=-1.0, done=True), info(22, 2.0), info(20, 1.2)],
        },
        {"Duel?team=0": [info(10, 0.4), info(11, 0.5)], "Duel?team=1": [info(20, 1.3), info(22, 2.1)]},
    ]
    received: list[P.UnityRLInputProto] = []
    thread, make = start(tmp_path, leased_ports(1), script, team_brains(), received)
    env = make()
    yield env, received
    env.close()
    thread.join(10)


def test_two_teams_of_one_behavior_form_one_batch_with_team_ids(
    duel: tuple[UnityVectorEnv, list[P.UnityRLInputProto]],
) -> None:
    """``Duel?team=0`` and ``Duel?team=1`` are one behavior: rows in team order, ``team_id`` per row."""
    env, _ = duel
    assert env.signature.name == "Duel" and env.num_agents == 4
    first = env.reset()
    np.testing.assert_array_equal(first.team_id, [0, 0, 1, 1])
    np.testing.assert_allclose(first.obs[0][:, 0], [0.0, 0.1, 1.0, 1.1])


def test_actions_go_back_under_each_agents_team_and_slots_keep_their_team(
    duel: tuple[UnityVectorEnv, list[P.UnityRLInputProto]],
) -> None:
    """Actions go back under each team's name in its decision order; a freed slot stays its team's."""
    env, received = duel
    env.reset()
    first = env.step(
        ActionTuple(np.array([[0.0], [0.1], [1.0], [1.1]], np.float32), np.zeros((4, 0), np.int32))
    )
    sent = received[1].agent_actions
    assert [a.continuous_actions[0] for a in sent["Duel?team=0"].value] == pytest.approx([0.0, 0.1])
    assert [a.continuous_actions[0] for a in sent["Duel?team=1"].value] == pytest.approx([1.0, 1.1])
    np.testing.assert_array_equal(first.team_id, [0, 0, 1, 1])
    np.testing.assert_allclose(first.obs[0][:, 0], [0.3, 0.2, 1.2, 2.0])
    np.testing.assert_array_equal(first.terminated, [False, False, False, True])
    np.testing.assert_allclose(first.reward, [0.5, 0.0, 0.0, -1.0])
    np.testing.assert_allclose(first.final_obs[0][3, 0], 1.5)
    env.step(ActionTuple(np.array([[5.0], [6.0], [7.0], [8.0]], np.float32), np.zeros((4, 0), np.int32)))
    sent = received[2].agent_actions
    # team 0 asked 11 (row 1) then 10 (row 0); team 1 asked 22 (row 3, agent 21's slot) then 20 (row 2)
    assert [a.continuous_actions[0] for a in sent["Duel?team=0"].value] == pytest.approx([6.0, 5.0])
    assert [a.continuous_actions[0] for a in sent["Duel?team=1"].value] == pytest.approx([8.0, 7.0])


def test_teams_of_one_behavior_with_different_specs_are_refused(
    tmp_path: Path, leased_ports: Callable[[int], int]
) -> None:
    """Teams of one behavior that disagree on specs: an error naming both (asymmetric games use two names)."""
    script: Script = [{"Duel?team=0": [info(10, 0.0)], "Duel?team=1": [info(20, 1.0)]}]
    thread, make = start(tmp_path, leased_ports(1), script, team_brains((1, 2)), [])
    with pytest.raises(
        ProtocolError, match=r"team 'Duel\?team=1' has .* but 'Duel\?team=0' has .*must share"
    ):
        make()
    thread.join(10)


def test_a_single_team_batch_carries_no_team_ids(tmp_path: Path, leased_ports: Callable[[int], int]) -> None:
    """A behavior under one team id stays the plain batch (``team_id`` None, like in-process simulators)."""
    script: Script = [{"Duel?team=3": [info(10, 0.0), info(11, 0.1)]}]
    brain = P.BrainParametersProto(
        brain_name="Duel?team=3", is_training=True, action_spec=P.ActionSpecProto(num_continuous_actions=1)
    )
    thread, make = start(tmp_path, leased_ports(1), script, (brain,), [])
    env = make()
    try:
        assert env.reset().team_id is None and env.team_ids.tolist() == [3, 3]
    finally:
        env.close()
    thread.join(10)


# --- a player that sends teams: the self-play race served by SimPlayer ---


def race_player(tmp_path: Path, port: int, seed: int) -> tuple[SimPlayer, threading.Thread, list[int]]:
    options = PlayerOptions(
        task="CueRace", port=port, log_file=str(tmp_path / "race.log"), connect_timeout_s=20, seed=seed
    )
    player = SimPlayer(options, make_env=make_race, area_agents=AREA_AGENTS)
    codes: list[int] = []
    thread = threading.Thread(target=lambda: codes.append(player.run()), daemon=True)
    thread.start()
    return player, thread, codes


def test_two_team_player_through_the_bridge_equals_the_race_in_process(
    tmp_path: Path, leased_ports: Callable[[int], int]
) -> None:
    """Each team under its own name, rows in team order: every batch is the in-process race's, permuted."""
    port = leased_ports(1)
    _, thread, codes = race_player(tmp_path, port, seed=3)
    settings = PlayerSettings(
        executable=None, base_port=port, seed=3, num_areas=4, timeout_s=20.0, log_dir=tmp_path / "logs"
    )
    env = UnityVectorEnv(settings)
    try:
        reference = CueRace(4, seed=3)
        order = np.argsort(reference.team, kind="stable")  # bridge row i is the race's row order[i]
        assert env.signature == reference.signature and env.num_agents == 8
        got, want = env.reset(), reference.reset()
        rng = np.random.default_rng(0)
        ended = 0
        for _ in range(40):
            np.testing.assert_array_equal(got.team_id, want.team_id[order])
            for field in ("reward", "terminated", "truncated"):
                np.testing.assert_array_equal(getattr(got, field), getattr(want, field)[order], err_msg=field)
            np.testing.assert_allclose(got.obs[0], want.obs[0][order])
            np.testing.assert_allclose(got.final_obs[0], want.final_obs[0][order])
            discrete = rng.integers(0, NUM_CUES, (8, 1)).astype(np.int32)
            race_discrete = np.empty_like(discrete)
            race_discrete[order] = discrete
            none = np.zeros((8, 0), np.float32)
            got, want = (
                env.step(ActionTuple(none, discrete)),
                reference.step(ActionTuple(none, race_discrete)),
            )
            ended += int(got.terminated.sum())
        assert ended > 0  # matches were won and their runners' slots refilled by their own team
    finally:
        env.close()
    thread.join(20)
    assert codes == [0]


@pytest.mark.slow
def test_learn_self_play_through_a_two_team_player(tmp_path: Path) -> None:
    """`learn --env` with self_play on the race player over gRPC: ELO rises, swaps, beats a fresh policy."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    sp = {"save_steps": 1000, "swap_steps": 500, "team_change": 4000, "window": 10}
    data = race_options(tmp_path / "results", self_play=sp, max_steps=12000, summary_freq=2000).to_dict()
    data["env_settings"].update(
        num_envs=2, num_areas=8
    )  # 2 players x 8 matches: 32 runners, teams per player
    config = tmp_path / "race.yaml"
    config.write_text(yaml.safe_dump(data))
    player = write_race_player(tmp_path / "race.x86_64")
    result = CliRunner().invoke(
        app,
        [
            "learn",
            str(config),
            "--env",
            str(player),
            "--run-id",
            "race",
            "--results-dir",
            str(tmp_path),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip().splitlines()[-1])["behaviors"]["CueRace"]["steps"] >= 12000
    run = tmp_path / "race"
    for index in (0, 1):
        assert "8 area(s) of 2 agent(s)" in (run / "run_logs" / f"Player-{index}.log").read_text()
    acc = EventAccumulator(str(run / "CueRace"))
    acc.Reload()
    elos = [e.value for e in acc.Scalars(ELO_TAG)]
    assert elos[-1] > 1200.0 + 50.0, elos
    state = torch.load(run / "CueRace" / "checkpoint.pt", weights_only=False)
    ghost = state[STATE_KEY]
    assert ghost["teams"] == [0, 1] and ghost["last_swap"] > 0 and len(ghost["snapshots"]) >= 5
    assert ghost["last_team_change"] > 0  # the learning team rotated (and the player was reset) at least once
    settings = RunOptions.from_dict(data).behavior_settings("CueRace")
    race = CueRace(16, seed=7)
    trained = make_trainer(race.signature, settings, race.num_agents, seed=0)
    fresh = make_trainer(race.signature, settings, race.num_agents, seed=1)
    trained.load_state_dict(state)
    rate = win_rate(race, trained.actor, fresh.actor, 200)
    assert rate > 0.6, rate


def test_a_chosen_behavior_keeps_its_teams_and_the_others_get_zero_actions(
    tmp_path: Path, leased_ports: Callable[[int], int]
) -> None:
    """``behavior_name`` picks a behavior with both its teams; another behavior's agents get zero actions."""
    keeper = P.BrainParametersProto(
        brain_name="Keeper?team=0", is_training=True, action_spec=P.ActionSpecProto(num_continuous_actions=2)
    )
    message = {
        "Duel?team=1": [info(20, 1.0)],
        "Keeper?team=0": [info(30, 2.0)],
        "Duel?team=0": [info(10, 0.0)],
    }
    received: list[P.UnityRLInputProto] = []
    brains = (*team_brains(), keeper)
    thread, make = start(
        tmp_path, leased_ports(1), [message, message], brains, received, behavior_name="Duel"
    )
    env = make()
    try:
        assert env.signature.name == "Duel" and env.reset().team_id.tolist() == [0, 1]
        env.step(ActionTuple(np.array([[0.5], [-0.5]], np.float32), np.zeros((2, 0), np.int32)))
        sent = received[1].agent_actions
        assert [a.continuous_actions[0] for a in sent["Duel?team=0"].value] == pytest.approx([0.5])
        assert [a.continuous_actions[0] for a in sent["Duel?team=1"].value] == pytest.approx([-0.5])
        assert [list(a.continuous_actions) for a in sent["Keeper?team=0"].value] == [[0.0, 0.0]]
    finally:
        env.close()
    thread.join(10)
