"""The trainer's gRPC server: handshake, version check, exchanges, shutdown, against a hand-driven client."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable

import grpc
import pytest

from mlops_unity_pipeline.bridge import proto as P
from mlops_unity_pipeline.bridge.proto.unity_to_external_pb2_grpc import UnityToExternalProtoStub
from mlops_unity_pipeline.bridge.protocol import (
    check_compatible,
    output_message,
    qualified_behavior_name,
    split_behavior_name,
)
from mlops_unity_pipeline.bridge.server import PlayerConnection
from mlops_unity_pipeline.errors import ProtocolError


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def init_output(version: str = "1.5.0") -> P.UnityOutputProto:
    init = P.UnityRLInitializationOutputProto(
        name="AcademySingleton", communication_version=version, package_version="3.0.0"
    )
    return P.UnityOutputProto(rl_initialization_output=init)


class Client:
    """A Unity-side peer driven step by step from the test (each call runs in a background thread)."""

    def __init__(self, port: int) -> None:
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.stub = UnityToExternalProtoStub(self.channel)
        self.replies: list[P.UnityMessageProto] = []
        self.errors: list[Exception] = []
        self._thread: threading.Thread | None = None

    def call(self, message: P.UnityMessageProto) -> None:
        def run() -> None:
            try:
                self.replies.append(self.stub.Exchange(message, timeout=20))
            except grpc.RpcError as exc:
                self.errors.append(exc)

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def wait(self) -> P.UnityMessageProto:
        assert self._thread is not None
        self._thread.join(20)
        assert not self.errors, self.errors
        return self.replies[-1]

    def close(self) -> None:
        self.channel.close()


@pytest.fixture
def conn() -> PlayerConnection:
    connection = PlayerConnection(free_port())
    yield connection
    connection.close(grace_s=0.1)


def handshake(conn: PlayerConnection, client: Client, **kwargs: int) -> P.UnityRLInitializationOutputProto:
    client.call(output_message(init_output()))
    result: list[P.UnityRLInitializationOutputProto] = []
    worker = threading.Thread(target=lambda: result.append(conn.initialize(timeout_s=10, **kwargs)))
    worker.start()
    reply = client.wait()
    client.call(output_message())  # Exchange #2, parked until the first input
    worker.join(10)
    assert result, "initialize did not return"
    client.first_reply = reply  # type: ignore[attr-defined]  # stash for the assertions
    return result[0]


def test_handshake_sends_seed_versions_capabilities_and_areas(conn: PlayerConnection) -> None:
    """Exchange #1 is answered with seed, API 1.5.0, package 1.1.0, all capabilities and num_areas."""
    client = Client(conn.port)
    init = handshake(conn, client, seed=42, num_areas=3)
    assert init.name == "AcademySingleton" and init.communication_version == "1.5.0"
    reply = client.first_reply  # type: ignore[attr-defined]
    assert reply.header.status == 200
    rl_init = reply.unity_input.rl_initialization_input
    assert (rl_init.seed, rl_init.num_areas) == (42, 3)
    assert rl_init.communication_version == "1.5.0" and rl_init.package_version == "1.1.0"
    caps = rl_init.capabilities
    assert all(getattr(caps, f.name) for f in caps.DESCRIPTOR.fields)
    assert conn.init_output == init
    client.close()


def test_first_reset_answers_exchange_two_and_step_round_trips(conn: PlayerConnection) -> None:
    """The first input answers Exchange #2; each later exchange carries actions and returns agent infos."""
    client = Client(conn.port)
    handshake(conn, client, seed=1)
    reset = P.UnityRLInputProto(command=P.CommandProto.RESET, side_channel=b"\x01\x02")
    conn.send_input(reset)
    got = client.wait()
    assert got.unity_input.rl_input.command == P.CommandProto.RESET
    assert got.unity_input.rl_input.side_channel == b"\x01\x02"
    out = P.UnityRLOutputProto()
    out.agentInfos["3DBall?team=0"].value.add(id=7, reward=0.5)
    client.call(output_message(P.UnityOutputProto(rl_output=out)))
    output = conn.receive_output(10)
    assert output.rl_output.agentInfos["3DBall?team=0"].value[0].id == 7
    step = P.UnityRLInputProto(command=P.CommandProto.STEP)
    step.agent_actions["3DBall?team=0"].value.add(continuous_actions=[0.25, -0.5])
    conn.send_input(step)
    assert list(
        client.wait().unity_input.rl_input.agent_actions["3DBall?team=0"].value[0].continuous_actions
    ) == [0.25, -0.5]
    client.close()


def test_incompatible_player_version_raises_and_tells_player_to_quit(conn: PlayerConnection) -> None:
    """A player speaking API 2.0.0 gets status 400; the server raises ProtocolError naming both versions."""
    client = Client(conn.port)
    client.call(output_message(init_output("2.0.0")))
    with pytest.raises(ProtocolError, match=r"speaks 2\.0\.0, we speak 1\.5\.0"):
        conn.initialize(seed=0, timeout_s=10)
    assert client.wait().header.status == 400
    client.close()


def test_first_message_without_initialization_is_refused(conn: PlayerConnection) -> None:
    """A first message lacking rl_initialization_output is a ProtocolError (and the peer gets 400)."""
    client = Client(conn.port)
    client.call(output_message())
    with pytest.raises(ProtocolError, match="no rl_initialization_output"):
        conn.initialize(seed=0, timeout_s=10)
    assert client.wait().header.status == 400
    client.close()


def test_no_connection_times_out_and_poll_can_abort(conn: PlayerConnection) -> None:
    """Without a player, initialize times out; a poll callback that raises aborts the wait early."""
    with pytest.raises(ProtocolError, match=r"no connection \(Exchange #1\) within 0\.5 s"):
        conn.initialize(seed=0, timeout_s=0.5)

    def dead() -> None:
        raise ProtocolError("player exited with code 3")

    poll: Callable[[], None] = dead
    with pytest.raises(ProtocolError, match="exited with code 3"):
        conn.initialize(seed=0, timeout_s=30, poll=poll)


def test_player_shutdown_status_is_a_protocol_error(conn: PlayerConnection) -> None:
    """A step output with status 400 (Unity's Dispose) ends the session with its message."""
    client = Client(conn.port)
    handshake(conn, client, seed=0)
    conn.send_input(P.UnityRLInputProto(command=P.CommandProto.RESET))
    client.wait()
    message = output_message(status=400)
    message.header.message = "player quit"
    client.call(message)
    with pytest.raises(ProtocolError, match=r"closed the session \(status 400: player quit\)"):
        conn.receive_output(10)
    client.close()


def test_close_answers_the_pending_exchange_with_400(conn: PlayerConnection) -> None:
    """close() sends status 400 to the parked request, then refuses further use."""
    client = Client(conn.port)
    handshake(conn, client, seed=0)
    conn.close(grace_s=0.5)
    assert client.wait().header.status == 400
    with pytest.raises(ProtocolError, match="closed"):
        conn.receive(1)
    client.close()


def test_busy_port_is_refused() -> None:
    """A second server on the same port fails with ProtocolError instead of sharing it."""
    first = PlayerConnection(free_port())
    try:
        with pytest.raises(ProtocolError, match="in use"):
            PlayerConnection(first.port)
    finally:
        first.close(grace_s=0.1)


def test_send_without_pending_request_is_refused(conn: PlayerConnection) -> None:
    """Answering when no Exchange is parked is a ProtocolError, not a silent queue entry."""
    with pytest.raises(ProtocolError, match="no pending Exchange"):
        conn.send_input(P.UnityRLInputProto())


@pytest.mark.parametrize(
    ("version", "ok"),
    [("1.5.0", True), ("1.0.0", True), ("1.9.3", True), ("2.0.0", False), ("0.15.0", False), ("x.y", False)],
)
def test_version_rule(version: str, ok: bool) -> None:
    """Same major version is compatible (ML-Agents' rule); other majors and garbage are refused."""
    if ok:
        check_compatible(version, peer="Unity player")
    else:
        with pytest.raises(ProtocolError):
            check_compatible(version, peer="Unity player")


def test_zero_major_needs_same_minor() -> None:
    """For 0.x versions the minor must match too."""
    check_compatible("0.15.1", peer="trainer", ours="0.15.0")
    with pytest.raises(ProtocolError):
        check_compatible("0.16.0", peer="trainer", ours="0.15.0")


def test_behavior_names() -> None:
    """Fully qualified names split into name and team; plain names are team 0; a bad team is refused."""
    assert split_behavior_name("3DBall?team=0") == ("3DBall", 0)
    assert split_behavior_name("Striker?team=1") == ("Striker", 1)
    assert split_behavior_name("Basic") == ("Basic", 0)
    assert qualified_behavior_name("3DBall") == "3DBall?team=0"
    with pytest.raises(ProtocolError, match="team id"):
        split_behavior_name("A?team=x")
