"""The simulator player (Unity side): handshake, decision/terminal semantics, actions, side channels, exit."""

from __future__ import annotations

import json
import os
import socket
import threading
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from mlops_unity_pipeline import sim
from mlops_unity_pipeline.bridge import proto as P
from mlops_unity_pipeline.bridge.player import (
    SUCCESS_STAT,
    PlayerOptions,
    SimPlayer,
    actions_from_input,
    parse_player_args,
)
from mlops_unity_pipeline.bridge.server import PlayerConnection
from mlops_unity_pipeline.bridge.side_channels import (
    EngineConfigurationSettings,
    FloatParameter,
    SamplerParameter,
    SamplerType,
    decode_unity_messages,
    encode_trainer_messages,
)
from mlops_unity_pipeline.cli.app import app
from mlops_unity_pipeline.errors import ProtocolError, SpecError
from mlops_unity_pipeline.spaces import ActionSpec, ActionTuple

BALL = "3DBall?team=0"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Session:
    """A SimPlayer in a thread, driven by our PlayerConnection over loopback gRPC."""

    def __init__(self, tmp_path: Path, task: str = "3DBall", **options: object) -> None:
        self.conn = PlayerConnection(free_port())
        self.log = tmp_path / f"player-{self.conn.port}.log"
        self.player = SimPlayer(
            PlayerOptions(
                task=task, port=self.conn.port, log_file=str(self.log), connect_timeout_s=20, **options
            )
        )  # type: ignore[arg-type]
        self.codes: list[int] = []
        self.thread = threading.Thread(target=lambda: self.codes.append(self.player.run()), daemon=True)
        self.thread.start()

    def start(self, seed: int = 0, num_areas: int = 1) -> P.UnityRLInitializationOutputProto:
        return self.conn.initialize(seed=seed, num_areas=num_areas, timeout_s=20)

    def send(
        self,
        command: int = P.CommandProto.STEP,
        side_channel: bytes = b"",
        actions: np.ndarray | None = None,
        key: str = BALL,
        discrete: bool = False,
    ) -> P.UnityOutputProto:
        rl_input = P.UnityRLInputProto(command=command, side_channel=side_channel)
        if actions is not None:
            for row in actions:
                values = [int(v) for v in row] if discrete else [float(v) for v in row]
                if discrete:
                    rl_input.agent_actions[key].value.add(discrete_actions=values)
                else:
                    rl_input.agent_actions[key].value.add(continuous_actions=values)
        return self.conn.exchange(rl_input, 20)

    def finish(self) -> int:
        self.conn.close(grace_s=0.5)
        self.thread.join(20)
        return self.codes[0]


def infos(output: P.UnityOutputProto, key: str = BALL) -> list[P.AgentInfoProto]:
    return list(output.rl_output.agentInfos[key].value)


def obs_of(info: P.AgentInfoProto) -> np.ndarray:
    return np.asarray(info.observations[0].float_data.data, np.float32)


def test_handshake_brain_parameters_and_first_infos(tmp_path: Path) -> None:
    """Exchange #1 announces the Academy; the first RESET output carries brain parameters and 12 agents."""
    session = Session(tmp_path)
    init = session.start(seed=3)
    assert (init.name, init.communication_version, init.package_version) == (
        "AcademySingleton",
        "1.5.0",
        "3.0.0",
    )
    assert all(getattr(init.capabilities, f.name) for f in init.capabilities.DESCRIPTOR.fields)
    assert init.log_path == str(session.log)
    first = session.send(P.CommandProto.RESET)
    (brain,) = first.rl_initialization_output.brain_parameters
    assert brain.brain_name == BALL and brain.is_training
    assert (brain.action_spec.num_continuous_actions, brain.action_spec.num_discrete_actions) == (2, 0)
    assert list(brain.vector_action_size_deprecated) == [2]
    assert brain.vector_action_space_type_deprecated == P.SpaceTypeProto.continuous
    agents = infos(first)
    assert len(agents) == 12 and len({a.id for a in agents}) == 12
    observation = agents[0].observations[0]
    assert list(observation.shape) == [8] and list(observation.dimension_properties) == [1]
    assert observation.compression_type == P.CompressionTypeProto.NONE and observation.name == "VectorSensor"
    assert not any(a.done for a in agents)
    second = session.send(actions=np.zeros((12, 2)))
    assert not second.rl_initialization_output.brain_parameters  # sent once, for the newly seen behavior
    assert session.finish() == 0
    assert "trainer ended the session (status 400)" in session.log.read_text()


def test_decision_and_terminal_semantics_match_the_simulator(tmp_path: Path) -> None:
    """Same seed and actions as an in-process sim: identical obs; ended agents reported like Unity."""
    session = Session(tmp_path)
    session.start(seed=11)
    reference = sim.make("3DBall", num_agents=12, seed=11)
    batch = reference.reset()
    output = session.send(P.CommandProto.RESET)
    np.testing.assert_array_equal(np.stack([obs_of(a) for a in infos(output)]), batch.obs[0])
    assert [a.id for a in infos(output)] == reference.episode_ids.tolist()
    rng = np.random.default_rng(0)
    seen_split = False
    for _ in range(40):
        actions = rng.uniform(-1, 1, (12, 2)).astype(np.float32)
        ids_before = reference.episode_ids.copy()
        batch = reference.step(ActionTuple(actions, np.zeros((12, 0), np.int32)))
        got = infos(session.send(actions=actions))
        ended = np.flatnonzero(batch.terminated | batch.truncated)
        terminal, decisions = got[: len(ended)], got[len(ended) :]
        assert all(a.done for a in terminal) and not any(a.done for a in decisions)
        assert [a.id for a in terminal] == ids_before[ended].tolist()
        assert [a.id for a in decisions] == reference.episode_ids.tolist()
        for info, i in zip(terminal, ended, strict=True):
            np.testing.assert_array_equal(obs_of(info), batch.final_obs[0][i])
            assert info.reward == pytest.approx(float(batch.reward[i]))
            assert info.max_step_reached == bool(batch.truncated[i])
        np.testing.assert_array_equal(np.stack([obs_of(a) for a in decisions]), batch.obs[0])
        expected = np.where(batch.terminated | batch.truncated, 0.0, batch.reward)
        np.testing.assert_allclose([a.reward for a in decisions], expected)
        seen_split = seen_split or len(ended) > 0
    assert seen_split, "random actions should drop some balls within 40 decisions"
    assert session.finish() == 0


def test_max_step_reached_and_action_mask_on_basic(tmp_path: Path) -> None:
    """Basic interrupted at MaxStep reports done + max_step_reached; discrete agents send a 3-entry mask."""
    session = Session(tmp_path, task="Basic")
    session.start(seed=0)
    first = infos(session.send(P.CommandProto.RESET), "Basic?team=0")
    assert list(first[0].action_mask) == [False, False, False]  # nothing masked
    first_id = first[0].id
    for step in range(1, 101):  # noqa: B007 (the step count is checked after the loop)
        got = infos(session.send(actions=np.array([[0]]), key="Basic?team=0", discrete=True), "Basic?team=0")
        if any(a.done for a in got):
            break
    done = got[0]
    assert done.done and done.max_step_reached and done.id == first_id and step == 100
    assert not got[1].done and got[1].id != first_id  # the next episode, new id, same message
    assert session.finish() == 0


def test_num_areas_from_handshake_and_override(tmp_path: Path) -> None:
    """num_areas in the handshake multiplies the agents; --num-areas on the command line wins."""
    session = Session(tmp_path)
    session.start(seed=0, num_areas=2)
    assert len(infos(session.send(P.CommandProto.RESET))) == 24
    assert session.finish() == 0
    override = Session(tmp_path, num_areas=3)
    override.start(seed=0, num_areas=2)
    assert len(infos(override.send(P.CommandProto.RESET))) == 36
    assert override.finish() == 0


def test_seed_is_honoured(tmp_path: Path) -> None:
    """The handshake seed decides the first observations; --seed overrides it."""
    firsts = []
    for seed, options in ((5, {}), (5, {}), (6, {}), (6, {"seed": 5})):
        session = Session(tmp_path, **options)
        session.start(seed=seed)
        firsts.append(np.stack([obs_of(a) for a in infos(session.send(P.CommandProto.RESET))]))
        assert session.finish() == 0
    np.testing.assert_array_equal(firsts[0], firsts[1])
    assert not np.array_equal(firsts[0], firsts[2])
    np.testing.assert_array_equal(firsts[0], firsts[3])


def test_engine_configuration_and_environment_parameters_are_applied(tmp_path: Path) -> None:
    """Engine settings (clamped when out of range) and env parameters (float, sampler, unknown) apply."""
    session = Session(tmp_path)
    session.start(seed=0)
    engine = EngineConfigurationSettings(
        width=100, height=60, quality_level=9, time_scale=5.0, target_frame_rate=30, capture_frame_rate=24
    )
    side = encode_trainer_messages(
        engine=engine,
        parameters=[
            FloatParameter("gravity", 5.0),
            FloatParameter("wind", 1.0),
            SamplerParameter("mass", SamplerType.UNIFORM, 7, (0.5, 0.6)),
        ],
    )
    session.send(P.CommandProto.RESET, side_channel=side)
    env = session.player.env
    assert (env.engine.width, env.engine.height, env.engine.quality_level) == (100, 60, 5)
    assert (env.engine.time_scale, env.engine.target_frame_rate, env.engine.capture_frame_rate) == (
        5.0,
        30,
        24,
    )
    assert env.env_parameters["gravity"] == pytest.approx(5.0)
    assert 0.5 <= env.env_parameters["mass"] <= 0.6
    session.send(
        side_channel=encode_trainer_messages(parameters=[FloatParameter("mass", 2.0)]),
        actions=np.zeros((12, 2)),
    )
    assert env.env_parameters["mass"] == pytest.approx(2.0)  # a constant replaces the sampler
    assert session.finish() == 0
    assert "environment parameter 'wind' is not used by 3DBall" in session.log.read_text()


def test_stats_channel_reports_episode_success(tmp_path: Path) -> None:
    """Each ended episode adds a 'Sim/Episode Success' stat to the output's side channel."""
    session = Session(tmp_path)
    session.start(seed=0)
    session.send(P.CommandProto.RESET)
    rng = np.random.default_rng(1)
    stats = []
    for _ in range(60):
        output = session.send(actions=rng.uniform(-1, 1, (12, 2)))
        ended = sum(a.done for a in infos(output))
        got, unknown = decode_unity_messages(output.rl_output.side_channel)
        assert len(got) == ended and not unknown
        stats += got
    assert stats and {s.key for s in stats} == {SUCCESS_STAT}
    assert session.finish() == 0


def test_quit_command_ends_the_player_with_a_goodbye(tmp_path: Path) -> None:
    """QUIT: the player answers with status 400 (Unity's Dispose) and exits 0."""
    session = Session(tmp_path)
    session.start()
    session.send(P.CommandProto.RESET)
    with pytest.raises(ProtocolError, match=r"status 400: quit"):
        session.send(P.CommandProto.QUIT)
    session.thread.join(20)
    assert session.codes == [0]
    session.conn.close(grace_s=0.1)


def test_wrong_action_count_is_reported_and_ends_the_player(tmp_path: Path) -> None:
    """Actions for 3 of 12 agents: the player logs it, says why in its 400 goodbye, and exits 1."""
    session = Session(tmp_path)
    session.start()
    session.send(P.CommandProto.RESET)
    with pytest.raises(ProtocolError, match="3 actions for 12 agents"):
        session.send(actions=np.zeros((3, 2)))
    session.thread.join(20)
    assert session.codes == [1]
    assert "3 actions for 12 agents" in session.log.read_text()
    session.conn.close(grace_s=0.1)


def test_incompatible_trainer_version_ends_the_player(tmp_path: Path) -> None:
    """A trainer announcing API 2.0.0 is refused: the player exits 1 naming both versions."""
    session = Session(tmp_path)
    session.conn.receive(20)
    reply = P.UnityMessageProto(header=P.HeaderProto(status=200))
    reply.unity_input.rl_initialization_input.communication_version = "2.0.0"
    session.conn.send(reply)
    with pytest.raises(ProtocolError, match="status 400"):
        session.conn.receive_output(20)
    session.thread.join(20)
    assert session.codes == [1]
    assert "the trainer speaks 2.0.0, we speak 1.5.0" in session.log.read_text()
    session.conn.close(grace_s=0.1)


def test_no_trainer_listening_fails_after_the_connect_timeout(tmp_path: Path) -> None:
    """Nothing on the port: the player gives up after its connect timeout with exit code 1."""
    log = tmp_path / "p.log"
    player = SimPlayer(
        PlayerOptions(task="Basic", port=free_port(), log_file=str(log), connect_timeout_s=0.5)
    )
    assert player.run() == 1
    assert "couldn't connect to trainer" in log.read_text()


def test_actions_from_input_current_legacy_and_missing() -> None:
    """Hybrid fields, the legacy vector_actions_deprecated, and no entry (zeros) all decode."""
    spec = ActionSpec(continuous_size=2, discrete_branches=(3,))
    rl_input = P.UnityRLInputProto()
    rl_input.agent_actions["B?team=0"].value.add(continuous_actions=[0.5, -0.5], discrete_actions=[2])
    rl_input.agent_actions["B?team=0"].value.add(vector_actions_deprecated=[0.25, 0.75, 1.0])
    actions = actions_from_input(rl_input, "B?team=0", spec, 2)
    np.testing.assert_allclose(actions.continuous, [[0.5, -0.5], [0.25, 0.75]])
    np.testing.assert_array_equal(actions.discrete, [[2], [1]])
    zeros = actions_from_input(rl_input, "Other?team=0", spec, 4)
    assert zeros.continuous.shape == (4, 2) and not zeros.continuous.any() and zeros.discrete.shape == (4, 1)
    with pytest.raises(ProtocolError, match="2 actions for 3 agents"):
        actions_from_input(rl_input, "B?team=0", spec, 3)
    bad = P.UnityRLInputProto()
    bad.agent_actions["B?team=0"].value.add(continuous_actions=[0.5], discrete_actions=[1])
    with pytest.raises(ProtocolError, match="expected 2 and 1"):
        actions_from_input(bad, "B?team=0", spec, 1)
    nan = P.UnityRLInputProto()
    nan.agent_actions["B?team=0"].value.add(continuous_actions=[float("nan"), 0.0], discrete_actions=[0])
    with pytest.raises(ProtocolError, match="NaN"):
        actions_from_input(nan, "B?team=0", spec, 1)


def test_parse_unity_style_arguments() -> None:
    """mlagents-learn's launch line parses; unknown Unity flags are ignored; bad input is named."""
    options = parse_player_args(
        [
            "3DBall",
            "-nographics",
            "-batchmode",
            "--mlagents-port",
            "5005",
            "-logFile",
            "/tmp/p.log",
            "-screen-quality",
            "Fast",
            "--num-areas",
            "2",
        ]
    )
    assert (options.task, options.port, options.log_file, options.num_areas) == (
        "3DBall",
        5005,
        "/tmp/p.log",
        2,
    )
    assert options.batchmode and options.nographics
    assert parse_player_args(["Basic", "-logfile", "-"]).log_file == "-"
    with pytest.raises(SpecError, match="no simulator task"):
        parse_player_args(["--mlagents-port", "5005"])
    with pytest.raises(SpecError, match="missing or non-numeric"):
        parse_player_args(["Basic", "--mlagents-port", "many"])
    with pytest.raises(SpecError, match="1-65535"):
        parse_player_args(["Basic", "--mlagents-port", "70000"])


def test_cli_write_launcher(tmp_path: Path) -> None:
    """`sim player TASK --write-launcher DIR` writes an executable sim-<Task>.x86_64 that execs the player."""
    result = CliRunner().invoke(app, ["sim", "player", "3dball", "--write-launcher", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    path = Path(json.loads(result.stdout)["launcher"])
    assert path == tmp_path / "sim-3DBall.x86_64" and os.access(path, os.X_OK)
    text = path.read_text()
    assert '-m mlops_unity_pipeline.bridge.player 3DBall "$@"' in text and text.startswith("#!/bin/sh")


def test_cli_player_without_trainer_plays_the_heuristic(tmp_path: Path) -> None:
    """Without --mlagents-port the player runs the heuristic (like a Unity player) and exits 0."""
    log = tmp_path / "player.log"
    result = CliRunner().invoke(
        app,
        ["sim", "player", "Basic", "-batchmode", "-nographics", "-logFile", str(log), "-screen-width", "80"],
    )
    assert result.exit_code == 0, result.output
    text = log.read_text()
    assert "no --mlagents-port" in text and "heuristic: mean reward" in text


def test_cli_player_unknown_task() -> None:
    """An unknown task is one error line naming the known tasks."""
    result = CliRunner().invoke(app, ["sim", "player", "Soccer", "--mlagents-port", "5005"])
    assert result.exit_code == 2
    assert "unknown simulator task 'Soccer'" in result.output and "3DBall" in result.output


def test_agent_infos_carry_group_ids_and_group_rewards() -> None:
    """A grouped task's infos carry group_id and group_reward; terminal infos keep the group reward."""
    from mlops_unity_pipeline.bridge.player import agent_infos
    from mlops_unity_pipeline.sim import make
    from mlops_unity_pipeline.sim.tasks import pushblock as pb
    from mlops_unity_pipeline.spaces import ActionTuple

    env = make("PushBlockCollab", num_agents=6, seed=0)
    first = env.reset()
    infos = agent_infos(first, env.episode_ids.copy(), env.episode_ids.copy(), env.signature)
    assert [info.group_id for info in infos] == [1, 1, 1, 2, 2, 2]
    env.block_active[1, 1:] = False  # area 2's last block drifts into the goal: the group ends
    env.block_position[1, 0, 2] = pb.GOAL_FRONT + env.block_half[0, 2] + 0.01
    env.block_velocity[1, 0, 2] = -3.0
    before = env.episode_ids.copy()
    batch = env.step(ActionTuple(np.zeros((6, 0), np.float32), np.zeros((6, 1), np.int64)))
    infos = agent_infos(batch, before, env.episode_ids.copy(), env.signature)
    terminal, requests = infos[:3], infos[3:]
    assert all(info.done and info.group_id == 2 for info in terminal)
    assert terminal[0].group_reward == pytest.approx(1.0 - 0.0001, rel=1e-5)
    assert [info.group_id for info in requests] == [1, 1, 1, 2, 2, 2]
    assert requests[0].group_reward == pytest.approx(-0.0005, rel=1e-4) and requests[3].group_reward == 0.0
    plain = make("Basic", num_agents=1)
    infos = agent_infos(plain.reset(), plain.episode_ids.copy(), plain.episode_ids.copy(), plain.signature)
    assert infos[0].group_id == 0 and infos[0].group_reward == 0.0
