"""The trainer's end of the communicator: a gRPC server that one Unity (or simulator) player connects to.

As in ML-Agents (``rpc_communicator.py``) Python is the server, the player the client:
the player calls ``Exchange(UnityMessageProto)`` and blocks until we answer; the answer carries our input for
its next step. Each ``Exchange`` request is handed to the trainer through a queue and the trainer's reply goes
back through another, so the trainer drives the loop: ``initialize`` (Exchange #1 and #2 of the handshake),
then ``send``/``receive`` (or ``exchange``) once per step, and ``close`` (status 400) at the end.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ..errors import ProtocolError
from .proto import (
    UnityInputProto,
    UnityMessageProto,
    UnityOutputProto,
    UnityRLInitializationInputProto,
    UnityRLInitializationOutputProto,
    UnityRLInputProto,
)
from .protocol import (
    API_VERSION,
    STATUS_OK,
    STATUS_SHUTDOWN,
    TRAINER_PACKAGE_VERSION,
    capabilities,
    check_compatible,
    input_message,
)

PollCallback = Callable[[], None]
"""Called while waiting for the player; raises to abort the wait (e.g. when the player process died)."""

_POLL_S = 0.2


class _Servicer:
    """``UnityToExternalProto`` implementation that parks each request until the trainer answers it."""

    def __init__(self) -> None:
        self.requests: queue.Queue[UnityMessageProto] = queue.Queue()
        self.responses: queue.Queue[UnityMessageProto] = queue.Queue()

    def Exchange(self, request: UnityMessageProto, context: Any) -> UnityMessageProto:  # noqa: N802 (gRPC name)
        self.requests.put(request)
        while True:
            try:
                return self.responses.get(timeout=_POLL_S)
            except queue.Empty:
                if not context.is_active():  # the player went away; nobody reads this answer
                    return UnityMessageProto()


class PlayerConnection:
    """One player's ``Exchange`` stream, served on one port.

    Attributes:
        port: the port the player connects to (its ``--mlagents-port``).
        host: the interface bound.
        init_output: the player's ``rl_initialization_output`` once ``initialize`` returned.

    """

    def __init__(self, port: int, *, host: str = "127.0.0.1") -> None:
        """Bind the server (the player can connect as soon as this returns).

        Args:
            port: TCP port.
            host: interface to bind (``"[::]"`` for every interface, as ``mlagents-learn`` does).

        Raises:
            ProtocolError: the port is in use or cannot be bound.

        """
        import grpc  # heavy

        from .proto.unity_to_external_pb2_grpc import (  # heavy: grpc
            add_UnityToExternalProtoServicer_to_server,
        )

        self.port = int(port)
        self.host = host
        self.init_output: UnityRLInitializationOutputProto | None = None
        self._servicer = _Servicer()
        # so_reuseport off: a second server on a busy port must fail here, not share the port silently.
        self._server = grpc.server(ThreadPoolExecutor(max_workers=4), options=(("grpc.so_reuseport", 0),))
        add_UnityToExternalProtoServicer_to_server(self._servicer, self._server)
        try:
            bound = self._server.add_insecure_port(f"{host}:{self.port}")
        except RuntimeError as exc:
            bound = 0
            detail = f" ({exc})"
        else:
            detail = ""
        if not bound:
            self._server.stop(None)
            raise ProtocolError(
                f"cannot listen on {host}:{self.port}: the port is in use or not bindable{detail}"
            )
        self._server.start()
        self._pending = False
        self._closed = False

    # --- low level ---

    def receive(
        self, timeout_s: float, poll: PollCallback | None = None, *, what: str = "a message"
    ) -> UnityMessageProto:
        """Wait for the player's next ``Exchange`` request.

        Args:
            timeout_s: how long to wait.
            poll: called every 0.2 s while waiting; raise from it to give up early.
            what: what we wait for, for the timeout message.

        Returns:
            The request (its answer is pending until ``send``).

        Raises:
            ProtocolError: nothing arrived within ``timeout_s``, or the connection is closed.

        """
        if self._closed:
            raise ProtocolError(f"port {self.port}: the connection is closed")
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                request = self._servicer.requests.get(
                    timeout=min(_POLL_S, max(deadline - time.monotonic(), 0.0))
                )
            except queue.Empty:
                if poll is not None:
                    poll()
                if time.monotonic() >= deadline:
                    raise ProtocolError(
                        f"port {self.port}: the player sent no {what} within {timeout_s:g} s"
                    ) from None
                continue
            self._pending = True
            return request

    def send(self, message: UnityMessageProto) -> None:
        """Answer the pending request.

        Raises:
            ProtocolError: no request is pending.

        """
        if not self._pending:
            raise ProtocolError(f"port {self.port}: no pending Exchange to answer")
        self._pending = False
        self._servicer.responses.put(message)

    # --- protocol ---

    def initialize(
        self,
        *,
        seed: int,
        num_areas: int = 1,
        timeout_s: float = 60.0,
        poll: PollCallback | None = None,
    ) -> UnityRLInitializationOutputProto:
        """Run the handshake: answer Exchange #1 with our initialization input and park Exchange #2.

        Args:
            seed: the seed the player uses (``Random.InitState``).
            num_areas: training areas the player should create (``TrainingAreaReplicator``).
            timeout_s: how long to wait for the player to connect.
            poll: called while waiting (see ``receive``).

        Returns:
            The player's ``rl_initialization_output`` (name, versions, capabilities).

        Raises:
            ProtocolError: no connection in time, a message that is not an initialization, or an incompatible
                communication version (the player is told to shut down first).

        """
        first = self.receive(timeout_s, poll, what="connection (Exchange #1)")
        if first.header.status != STATUS_OK or not first.unity_output.HasField("rl_initialization_output"):
            self.send(input_message(status=STATUS_SHUTDOWN, text="expected rl_initialization_output"))
            raise ProtocolError(
                f"port {self.port}: the first message has status {first.header.status} and no "
                "rl_initialization_output; is the peer an ML-Agents player?"
            )
        init = first.unity_output.rl_initialization_output
        try:
            check_compatible(init.communication_version, peer="Unity player")
        except ProtocolError as exc:
            self.send(input_message(status=STATUS_SHUTDOWN, text=str(exc)))
            raise
        reply = UnityInputProto(
            rl_initialization_input=UnityRLInitializationInputProto(
                seed=int(seed),
                communication_version=API_VERSION,
                package_version=TRAINER_PACKAGE_VERSION,
                capabilities=capabilities(),
                num_areas=int(num_areas),
            )
        )
        self.send(UnityMessageProto(header=input_message().header, unity_input=reply))
        self.receive(timeout_s, poll, what="Exchange #2 of the handshake")  # answered by the first RESET
        self.init_output = init
        return init

    def receive_output(self, timeout_s: float, poll: PollCallback | None = None) -> UnityOutputProto:
        """Wait for the player's next step output.

        Raises:
            ProtocolError: timeout, or the player ended the session (a status other than 200).

        """
        message = self.receive(timeout_s, poll, what="step output")
        if message.header.status != STATUS_OK:
            self.send(input_message(status=STATUS_SHUTDOWN))  # acknowledge the goodbye so the player can exit
            detail = f": {message.header.message}" if message.header.message else ""
            raise ProtocolError(
                f"port {self.port}: the player closed the session (status {message.header.status}{detail})"
            )
        return message.unity_output

    def send_input(self, rl_input: UnityRLInputProto) -> None:
        """Answer the pending request with ``rl_input`` (status 200)."""
        self.send(input_message(rl_input))

    def exchange(
        self, rl_input: UnityRLInputProto, timeout_s: float, poll: PollCallback | None = None
    ) -> UnityOutputProto:
        """Send ``rl_input`` and wait for the player's output (one step).

        Raises:
            ProtocolError: see ``receive_output``.

        """
        self.send_input(rl_input)
        return self.receive_output(timeout_s, poll)

    def close(self, grace_s: float = 1.0) -> None:
        """Tell the player to shut down (400 to its pending request) and stop the server (idempotent)."""
        if self._closed:
            return
        self._closed = True
        if self._pending:
            self._pending = False
            self._servicer.responses.put(input_message(status=STATUS_SHUTDOWN))
            time.sleep(min(grace_s, 0.05))  # let the answer leave before the server goes down
        self._server.stop(grace_s).wait(grace_s + 1.0)
