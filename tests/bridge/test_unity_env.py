"""UnityVectorEnv over player processes and scripted Unity peers: equivalence, slots, restarts, diagnosis."""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import grpc
import numpy as np
import pytest
from typer.testing import CliRunner

from mlops_unity_pipeline import sim
from mlops_unity_pipeline.bridge import proto as P
from mlops_unity_pipeline.bridge.launcher import write_player_launcher
from mlops_unity_pipeline.bridge.player import PlayerOptions, SimPlayer
from mlops_unity_pipeline.bridge.proto.unity_to_external_pb2_grpc import UnityToExternalProtoStub
from mlops_unity_pipeline.bridge.protocol import output_message
from mlops_unity_pipeline.bridge.unity_env import PlayerSettings, UnityVectorEnv
from mlops_unity_pipeline.cli.app import app
from mlops_unity_pipeline.errors import InvalidAction, ProtocolError, TrainError
from mlops_unity_pipeline.spaces import ActionTuple, VectorEnv

from ..conftest import anchor


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def players(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Launchers of the simulator player for 3DBall and Basic."""
    folder = tmp_path_factory.mktemp("players")
    return {task: write_player_launcher(folder, task) for task in ("3DBall", "Basic")}


def settings(executable: Path | None, tmp_path: Path, **kwargs: object) -> PlayerSettings:
    values: dict[str, object] = {
        "executable": executable,
        "base_port": 41000,
        "timeout_s": 30.0,
        "log_dir": tmp_path / "logs",
        "port_lock_dir": tmp_path / "locks",
    }
    values.update(kwargs)
    return PlayerSettings(**values)  # type: ignore[arg-type]


def random_actions(env: UnityVectorEnv, rng: np.random.Generator) -> ActionTuple:
    spec = env.signature.action_spec
    continuous = rng.uniform(-1, 1, (env.num_agents, spec.continuous_size)).astype(np.float32)
    discrete = (
        np.stack([rng.integers(0, b, env.num_agents) for b in spec.discrete_branches], axis=1).astype(
            np.int32
        )
        if spec.discrete_branches
        else np.zeros((env.num_agents, 0), np.int32)
    )
    return ActionTuple(continuous, discrete)


def assert_same_batch(got: object, want: object) -> None:
    for name in ("reward", "terminated", "truncated"):
        np.testing.assert_allclose(getattr(got, name), getattr(want, name), err_msg=name)
    for a, b in zip(got.obs, want.obs, strict=True):  # type: ignore[attr-defined]
        np.testing.assert_array_equal(a, b)
    for a, b in zip(got.final_obs, want.final_obs, strict=True):  # type: ignore[attr-defined]
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("task", ["3DBall", "Basic"])
def test_player_through_the_bridge_equals_the_in_process_simulator(
    task: str, players: dict[str, Path], tmp_path: Path
) -> None:
    """Same seed, same actions: identical observations, rewards, ends and final observations, step by step."""
    env = UnityVectorEnv(settings(players[task], tmp_path, seed=11))
    try:
        assert isinstance(env, VectorEnv)
        reference = sim.make(task, seed=11)
        assert env.signature == reference.signature and env.num_agents == reference.num_agents
        assert_same_batch(env.reset(seed=11), reference.reset())
        rng = np.random.default_rng(0)
        ended = 0
        for _ in range(120 if task == "Basic" else 40):
            actions = random_actions(env, rng)
            got, want = env.step(actions), reference.step(actions)
            assert_same_batch(got, want)
            if want.action_mask is not None:
                np.testing.assert_array_equal(got.action_mask, want.action_mask)
            ended += int((want.terminated | want.truncated).sum())
        assert ended > 0
    finally:
        env.close()


def test_several_players_and_areas_seeds_parameters_stats_and_logs(
    players: dict[str, Path], tmp_path: Path
) -> None:
    """2 players x 2 areas: 48 agents, player i seeded seed+i, env parameters reach both, logs archived."""
    archive = tmp_path / "run_logs"
    archive.mkdir()
    env = UnityVectorEnv(
        settings(players["3DBall"], tmp_path, num_envs=2, num_areas=2, seed=20, archive_dir=archive)
    )
    try:
        assert env.num_agents == 48 and len(env.init_outputs) == 2
        assert len({w.port for w in env.workers}) == 2
        second = sim.make("3DBall", num_agents=24, seed=21)
        second.reset()  # the RESET the constructor sends to learn the behavior
        env.set_env_parameters({"gravity": 3.0})  # new parameters: reset() sends a real RESET
        second.set_env_parameters({"gravity": 3.0})
        got = env.reset()
        np.testing.assert_array_equal(got.obs[0][24:], second.reset().obs[0])
        rng = np.random.default_rng(2)
        for _ in range(30):
            actions = random_actions(env, rng)
            got = env.step(actions)
            want = second.step(ActionTuple(actions.continuous[24:], actions.discrete[24:]))
            np.testing.assert_array_equal(got.obs[0][24:], want.obs[0])
        assert env.drain_stats() and not env.stats
        processes = [w.process for w in env.workers]
    finally:
        env.close()
    assert all(p is not None and p.returncode == 0 for p in processes)  # clean exit after status 400
    assert {p.name for p in archive.iterdir()} >= {"Player-0.log", "Player-1.log"}
    assert "trainer ended the session (status 400)" in (archive / "Player-1.log").read_text()


def test_crashed_player_is_restarted_and_its_episodes_interrupted(
    players: dict[str, Path], tmp_path: Path
) -> None:
    """A killed player comes back, its agents' episodes end truncated; a second crash hits the rate limit."""
    env = UnityVectorEnv(settings(players["3DBall"], tmp_path, seed=1, restarts_rate_limit_n=1))
    try:
        env.reset()
        zeros = ActionTuple(np.zeros((12, 2), np.float32), np.zeros((12, 0), np.int32))
        before = env.step(zeros)
        env.workers[0].process.kill()  # type: ignore[union-attr]
        after = env.step(zeros)
        assert env.restarts == 1
        assert after.truncated.all() and not after.terminated.any()
        np.testing.assert_array_equal(after.final_obs[0], before.obs[0])
        env.step(zeros)  # training goes on with the new player
        env.workers[0].process.kill()  # type: ignore[union-attr]
        with pytest.raises(TrainError, match=r"restarts_rate_limit_n.*|1 restart\(s\) in the last 60 s"):
            env.step(zeros)
    finally:
        env.close()


def test_lifetime_restart_limit_reports_the_log_tail(players: dict[str, Path], tmp_path: Path) -> None:
    """max_lifetime_restarts 0: a crash is a TrainError quoting the exit code and the player's log."""
    env = UnityVectorEnv(settings(players["3DBall"], tmp_path, seed=1, max_lifetime_restarts=0))
    try:
        env.reset()
        env.workers[0].process.kill()  # type: ignore[union-attr]
        with pytest.raises(TrainError) as info:
            env.step(ActionTuple(np.zeros((12, 2), np.float32), np.zeros((12, 0), np.int32)))
        message = str(info.value)
        assert "exited with code -9" in message and "max_lifetime_restarts (0)" in message
        assert "connected to trainer" in message  # from the log tail
    finally:
        env.close()


def fake_player(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "fake.x86_64"
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return path


def test_player_that_never_connects_is_diagnosed_with_its_log(tmp_path: Path) -> None:
    """A player that runs but never speaks the protocol: ProtocolError after timeout_s, quoting its log."""
    body = (
        'while [ $# -gt 0 ]; do [ "$1" = "-logFile" ] && echo "Fake Unity: no ML-Agents here" > "$2"; '
        "shift; done\nexec sleep 30\n"
    )
    with pytest.raises(ProtocolError) as info:
        UnityVectorEnv(settings(fake_player(tmp_path, body), tmp_path, timeout_s=1.5))
    message = str(info.value)
    assert "did not complete the handshake" in message and "within 1.5 s" in message
    assert "Fake Unity: no ML-Agents here" in message


def test_player_that_exits_at_once_is_diagnosed_with_its_output(tmp_path: Path) -> None:
    """A player dying before connecting: its exit code and stderr, without waiting for the timeout."""
    body = 'echo "Segmentation fault (fake)" >&2\nexit 3\n'
    with pytest.raises(ProtocolError, match=r"(?s)exited with code 3.*Segmentation fault \(fake\)"):
        UnityVectorEnv(settings(fake_player(tmp_path, body), tmp_path, timeout_s=30))


def test_bad_actions_are_refused_before_they_reach_the_player(
    toy: tuple[UnityVectorEnv, list[P.UnityRLInputProto]],
) -> None:
    """Wrong shapes and NaN are InvalidActions on our side; nothing is sent."""
    env, received = toy
    sent = len(received)
    nan = np.full((2, 1), np.nan, np.float32)
    for bad in (np.zeros((3, 1), np.float32), np.zeros((2, 2), np.float32), nan):
        with pytest.raises(InvalidAction):
            env.step(ActionTuple(bad, np.zeros((2, 0), np.int32)))
    assert len(received) == sent


def test_missing_or_non_executable_player(tmp_path: Path) -> None:
    """A wrong --env path is a TrainError naming the fix."""
    with pytest.raises(TrainError, match="no such player"):
        UnityVectorEnv(settings(tmp_path / "nothing.x86_64", tmp_path))
    plain = tmp_path / "plain.x86_64"
    plain.write_text("not a program")
    with pytest.raises(TrainError, match="chmod"):
        UnityVectorEnv(settings(plain, tmp_path))


def test_player_paths_resolve_like_mlagents_learn(tmp_path: Path) -> None:
    """A build folder with one player, or the name without .x86_64, resolves; two players are ambiguous."""
    from mlops_unity_pipeline.bridge.launcher import resolve_player

    build = tmp_path / "build"
    build.mkdir()
    first = write_player_launcher(build, "3DBall")
    assert resolve_player(build) == first.resolve()
    assert resolve_player(build / "sim-3DBall") == first.resolve()
    write_player_launcher(build, "Basic")
    with pytest.raises(TrainError, match="holds 2 players"):
        resolve_player(build)


def test_waits_for_a_player_started_by_hand(tmp_path: Path) -> None:
    """executable=None listens on base_port (like an Editor session); the session ends with status 400."""
    port = free_port()
    player = SimPlayer(
        PlayerOptions(task="Basic", port=port, log_file=str(tmp_path / "p.log"), connect_timeout_s=20)
    )
    codes: list[int] = []
    thread = threading.Thread(target=lambda: codes.append(player.run()), daemon=True)
    thread.start()
    env = UnityVectorEnv(settings(None, tmp_path, base_port=port))
    try:
        assert env.signature.name == "Basic" and env.num_agents == 1
        env.step(ActionTuple(np.zeros((1, 0), np.float32), np.ones((1, 1), np.int32)))
    finally:
        env.close()
    thread.join(20)
    assert codes == [0]


# --- a scripted Unity peer: agents ending between decisions, agents deciding at different rates ---


def info(
    agent_id: int,
    value: float,
    reward: float = 0.0,
    done: bool = False,
    max_step: bool = False,
    group_id: int = 0,
    group_reward: float = 0.0,
) -> P.AgentInfoProto:
    obs = P.ObservationProto(shape=[1], name="VectorSensor")
    obs.float_data.data.append(value)
    return P.AgentInfoProto(
        id=agent_id,
        reward=reward,
        done=done,
        max_step_reached=max_step,
        observations=[obs],
        group_id=group_id,
        group_reward=group_reward,
    )


def scripted_peer(
    port: int,
    script: list[list[P.AgentInfoProto]],
    received: list[P.UnityRLInputProto],
    brains: tuple[P.BrainParametersProto, ...] = (),
    others: dict[str, list[P.AgentInfoProto]] | None = None,
) -> None:
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    grpc.channel_ready_future(channel).result(timeout=20)
    stub = UnityToExternalProtoStub(channel)
    init = P.UnityRLInitializationOutputProto(
        name="AcademySingleton", communication_version="1.5.0", package_version="3.0.0"
    )
    stub.Exchange(output_message(P.UnityOutputProto(rl_initialization_output=init)))
    reply = stub.Exchange(output_message())
    brains = brains or (
        P.BrainParametersProto(
            brain_name="Toy?team=0", is_training=True, action_spec=P.ActionSpecProto(num_continuous_actions=1)
        ),
    )
    for index, infos in enumerate(script):
        received.append(reply.unity_input.rl_input)
        output = P.UnityOutputProto()
        output.rl_output.agentInfos[brains[0].brain_name].value.extend(infos)
        for key, other in (others or {}).items():
            output.rl_output.agentInfos[key].value.extend(other)
        if index == 0:
            output.rl_initialization_output.brain_parameters.extend(brains)
        reply = stub.Exchange(output_message(output))
        if reply.header.status != 200:
            break
    channel.close()


@pytest.fixture
def toy(tmp_path: Path) -> Iterator[tuple[UnityVectorEnv, list[P.UnityRLInputProto]]]:
    script = [
        [info(0, 0.0), info(1, 1.0)],  # after RESET: two agents decide
        [info(0, 0.5, reward=1.0, done=True)],  # agent 0 ends between decisions (no decision requests)
        [info(2, 0.0, reward=9.0), info(1, 1.5, reward=0.25)],  # new episode 2 takes slot 0; agent 1 decides
        [info(2, 0.1, reward=0.5)],  # agent 2 decides more often than agent 1 ...
        [info(2, 0.2, reward=0.5), info(1, 1.7, reward=0.25, done=True, max_step=True), info(3, 3.0)],
        [info(2, 0.3), info(3, 3.1)],
    ]
    received: list[P.UnityRLInputProto] = []
    port = free_port()
    thread = threading.Thread(target=scripted_peer, args=(port, script, received), daemon=True)
    thread.start()
    env = UnityVectorEnv(settings(None, tmp_path, base_port=port))
    yield env, received
    env.close()
    thread.join(10)


def test_agents_ending_between_decisions_keep_their_slots(
    toy: tuple[UnityVectorEnv, list[P.UnityRLInputProto]],
) -> None:
    """A terminal-only message is answered without actions; the next new id takes the freed slot."""
    env, received = toy
    assert env.num_agents == 2 and env.signature.name == "Toy"
    first = env.step(ActionTuple(np.array([[0.1], [0.2]], np.float32), np.zeros((2, 0), np.int32)))
    np.testing.assert_array_equal(first.terminated, [True, False])
    np.testing.assert_allclose(first.reward, [1.0, 0.25])  # the new episode's 9.0 is not the old one's
    np.testing.assert_allclose(first.final_obs[0][:, 0], [0.5, 1.5])
    np.testing.assert_allclose(first.obs[0][:, 0], [0.0, 1.5])
    step_input, between = received[1], received[2]
    assert [list(a.continuous_actions) for a in step_input.agent_actions["Toy?team=0"].value] == [
        pytest.approx([0.1]),
        pytest.approx([0.2]),
    ]
    assert "Toy?team=0" not in between.agent_actions  # nobody asked for a decision


def test_an_agent_deciding_twice_repeats_its_action_and_sums_rewards(
    toy: tuple[UnityVectorEnv, list[P.UnityRLInputProto]],
) -> None:
    """Until every slot asked again, early askers get their current action; rewards and flags accumulate."""
    env, received = toy
    env.step(ActionTuple(np.array([[0.1], [0.2]], np.float32), np.zeros((2, 0), np.int32)))
    second = env.step(ActionTuple(np.array([[0.7], [0.8]], np.float32), np.zeros((2, 0), np.int32)))
    np.testing.assert_allclose(second.reward, [1.0, 0.25])
    np.testing.assert_array_equal(second.truncated, [False, True])
    np.testing.assert_allclose(second.final_obs[0][:, 0], [0.2, 1.7])
    np.testing.assert_allclose(second.obs[0][:, 0], [0.2, 3.0])
    repeated = received[4].agent_actions["Toy?team=0"].value
    assert [list(a.continuous_actions) for a in repeated] == [pytest.approx([0.7])]


def test_group_ids_and_group_rewards_reach_the_batch(tmp_path: Path) -> None:
    """Agents of group 1: group rewards add up, an ended agent's slot leaves the group (POCA's contract)."""
    script = [
        [info(0, 0.0, group_id=1), info(1, 1.0, group_id=1)],
        [
            info(0, 0.5, done=True, group_id=1, group_reward=2.0),
            info(2, 0.0, group_reward=5.0),  # a new, groupless agent takes slot 0 (its first reward not kept)
            info(1, 1.5, group_id=1, group_reward=2.0),
        ],
        [info(2, 0.1), info(1, 1.6, group_id=1)],
    ]
    received: list[P.UnityRLInputProto] = []
    port = free_port()
    thread = threading.Thread(target=scripted_peer, args=(port, script, received), daemon=True)
    thread.start()
    env = UnityVectorEnv(settings(None, tmp_path, base_port=port))
    try:
        first = env.reset()
        np.testing.assert_array_equal(first.group_id, [1, 1])
        np.testing.assert_allclose(first.group_reward, [0.0, 0.0])
        second = env.step(ActionTuple(np.zeros((2, 1), np.float32), np.zeros((2, 0), np.int32)))
        np.testing.assert_array_equal(second.terminated, [True, False])
        np.testing.assert_array_equal(second.group_id, [0, 1])
        np.testing.assert_allclose(second.group_reward, [2.0, 2.0])
    finally:
        env.close()
        thread.join(10)


def test_png_observations_masks_and_a_second_behavior(tmp_path: Path) -> None:
    """A Unity-like peer with a camera (PNG), a discrete mask and a behavior left out (zero actions)."""
    from mlops_unity_pipeline.bridge.convert import encode_observation

    image = np.random.default_rng(0).uniform(0, 1, (3, 8, 6)).astype(np.float32)

    def seen(agent_id: int, masked: list[bool]) -> P.AgentInfoProto:
        vector = P.ObservationProto(shape=[2], name="VectorSensor")
        vector.float_data.data.extend([agent_id, 0.5])
        camera = encode_observation(image, "CameraSensor", png=True)
        return P.AgentInfoProto(id=agent_id, observations=[vector, camera], action_mask=masked)

    brains = (
        P.BrainParametersProto(
            brain_name="Eye?team=0",
            action_spec=P.ActionSpecProto(num_discrete_actions=1, discrete_branch_sizes=[3]),
        ),
        P.BrainParametersProto(
            brain_name="Other?team=1", action_spec=P.ActionSpecProto(num_continuous_actions=2)
        ),
    )
    other = [info(9, 0.0)]
    script = [[seen(0, [False, True, False])], [seen(0, [True, False, False])], [seen(0, [])]]
    received: list[P.UnityRLInputProto] = []
    port = free_port()
    thread = threading.Thread(
        target=scripted_peer, args=(port, script, received, brains, {"Other?team=1": other}), daemon=True
    )
    thread.start()
    both = UnityVectorEnv(settings(None, tmp_path, base_port=port, timeout_s=20))
    try:  # without behavior_name every behavior trains: the single-behavior view names them
        assert both.behavior_agents == {"Eye": 1, "Other": 1}
        with pytest.raises(ProtocolError, match=r"behaviors \['Eye', 'Other'\]: step them together"):
            both.reset()
    finally:
        both.close()
    thread.join(10)
    port = free_port()
    thread = threading.Thread(
        target=scripted_peer, args=(port, script, received, brains, {"Other?team=1": other}), daemon=True
    )
    thread.start()
    received.clear()
    env = UnityVectorEnv(settings(None, tmp_path, base_port=port, behavior_name="Eye", timeout_s=20))
    try:
        assert [o.shape for o in env.signature.observation_specs] == [(2,), (3, 8, 6)]
        first = env.reset()
        np.testing.assert_allclose(first.obs[1][0], image, atol=0.5 / 255 + 1e-6)  # 8-bit PNG
        np.testing.assert_array_equal(first.action_mask, [[True, False, True]])
        second = env.step(ActionTuple(np.zeros((1, 0), np.float32), np.array([[2]], np.int32)))
        np.testing.assert_array_equal(second.action_mask, [[False, True, True]])
        actions = received[1].agent_actions
        assert list(actions["Eye?team=0"].value[0].discrete_actions) == [2]
        assert list(actions["Other?team=1"].value[0].continuous_actions) == [0.0, 0.0]
        third = env.step(ActionTuple(np.zeros((1, 0), np.float32), np.array([[0]], np.int32)))
        np.testing.assert_array_equal(third.action_mask, [[True, True, True]])  # no mask sent: all allowed
    finally:
        env.close()
    thread.join(10)


# --- our trainer through the bridge ---


def test_run_options_reach_the_player(players: dict[str, Path], tmp_path: Path) -> None:
    """env_settings (env_args, timeout, restarts) and engine_settings of a run configure the players."""
    from mlops_unity_pipeline.bridge import player_env_factory
    from mlops_unity_pipeline.rl.config import RunOptions

    options = RunOptions.from_dict(
        {
            "behaviors": {"3DBall": {"trainer_type": "ppo"}},
            "env_settings": {
                "env_args": ["--num-areas", "2"],
                "timeout_wait": 30,
                "max_lifetime_restarts": 3,
            },
            "engine_settings": {"width": 100, "height": 50, "quality_level": 2, "time_scale": 7},
            "checkpoint_settings": {"results_dir": str(tmp_path / "results"), "run_id": "opts"},
        }
    )
    (tmp_path / "results" / "opts" / "run_logs").mkdir(parents=True)
    env = player_env_factory(players["3DBall"], options, port_lock_dir=tmp_path / "locks")(0, 9)
    try:
        assert env.num_agents == 24  # --num-areas 2 from env_args
        assert env.settings.max_lifetime_restarts == 3 and env.settings.timeout_s == 30.0
        env.step(ActionTuple(np.zeros((24, 2), np.float32), np.zeros((24, 0), np.int32)))
    finally:
        env.close()
    log = (tmp_path / "results" / "opts" / "run_logs" / "Player-0.log").read_text()
    assert "seed 9, 2 area(s)" in log
    assert "EngineConfig(width=100, height=50, quality_level=2, time_scale=7.0" in log


def test_learn_cli_trains_a_player_through_the_bridge(players: dict[str, Path], tmp_path: Path) -> None:
    """`mlops-unity learn CONFIG --env PLAYER` writes the results and player log; the ONNX evaluates."""
    config = anchor("config/ppo/3DBall.yaml").read_text()
    config = config.replace("max_steps: 500000", "max_steps: 1200").replace(
        "buffer_size: 12000", "buffer_size: 600"
    )
    config = config.replace("summary_freq: 12000", "summary_freq: 600")
    path = tmp_path / "3DBall.yaml"
    path.write_text(config)
    results = tmp_path / "results"
    result = CliRunner().invoke(
        app,
        [
            "learn",
            str(path),
            "--env",
            str(players["3DBall"]),
            "--run-id",
            "bridge",
            "--results-dir",
            str(results),
            "--seed",
            "3",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout.strip().splitlines()[-1])
    assert payload["behaviors"]["3DBall"]["steps"] >= 1200
    run = results / "bridge"
    assert (run / "3DBall.onnx").is_file() and (run / "run_logs" / "training_status.json").is_file()
    assert "seed 3, 1 area(s) of 12 agent(s)" in (run / "run_logs" / "Player-0.log").read_text()
    evaluated = CliRunner().invoke(
        app, ["sim", "eval", "3DBall", "--model", str(run / "3DBall.onnx"), "--episodes", "3", "--json"]
    )
    assert evaluated.exit_code == 0, evaluated.output


@pytest.mark.slow
def test_hung_player_times_out_and_is_restarted(players: dict[str, Path], tmp_path: Path) -> None:
    """A player that stops answering (SIGSTOP) is killed after timeout_s and replaced."""
    env = UnityVectorEnv(settings(players["3DBall"], tmp_path, seed=1, timeout_s=8.0))
    try:
        env.reset()
        zeros = ActionTuple(np.zeros((12, 2), np.float32), np.zeros((12, 0), np.int32))
        os.kill(env.workers[0].process.pid, signal.SIGSTOP)  # type: ignore[union-attr]
        batch = env.step(zeros)
        assert env.restarts == 1 and batch.truncated.all()
    finally:
        env.close()


def test_groups_cross_the_bridge(tmp_path: Path) -> None:
    """A PushBlockCollab player's group ids and group rewards reach the batch as the simulator made them."""
    port = free_port()
    player = SimPlayer(
        PlayerOptions(
            task="PushBlockCollab", port=port, log_file=str(tmp_path / "p.log"), connect_timeout_s=60, seed=3
        )
    )
    codes: list[int] = []
    thread = threading.Thread(target=lambda: codes.append(player.run()), daemon=True)
    thread.start()
    # The player answers the first RESET after building the task, which includes compiling its numba
    # kernels when no other test has yet: minutes on a loaded machine, so this semantic test waits long.
    env = UnityVectorEnv(settings(None, tmp_path, base_port=port, seed=3, timeout_s=180.0))
    try:
        reference = sim.make("PushBlockCollab", num_agents=env.num_agents, seed=3)
        first, want = env.reset(), reference.reset()
        assert first.group_id.tolist() == want.group_id.tolist() == [1, 1, 1]
        rng = np.random.default_rng(0)
        for _ in range(20):
            actions = random_actions(env, rng)
            got, want = env.step(actions), reference.step(actions)
            assert_same_batch(got, want)
            np.testing.assert_array_equal(got.group_id, want.group_id)
            np.testing.assert_allclose(got.group_reward, want.group_reward, rtol=1e-6)
        assert got.group_reward[0] == pytest.approx(-0.0005, rel=1e-4)
    finally:
        env.close()
    thread.join(20)
    assert codes == [0]
