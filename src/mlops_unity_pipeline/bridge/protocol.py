"""Facts both ends of the communicator share: versions, capabilities, behavior names, message wrappers.

Sources (ML-Agents ``rpc_communicator.py``, C# ``RpcCommunicator.cs``): Unity announces itself as
``"AcademySingleton"`` with communication API ``"1.5.0"`` and package ``"3.0.0"`` (com.unity.ml-agents,
Release 22); the trainer answers with the same API version and ``mlagents_envs``' package version. Both sides
accept a peer with the same major version (for 0.x also the same minor). Status 200 means OK; any other status
(400 by convention) shuts down. Unity sends behavior names qualified: ``"<BehaviorName>?team=<TeamId>"``.
"""

from __future__ import annotations

from ..errors import ProtocolError
from .proto import (
    HeaderProto,
    UnityInputProto,
    UnityMessageProto,
    UnityOutputProto,
    UnityRLCapabilitiesProto,
    UnityRLInputProto,
)

API_VERSION = "1.5.0"
"""Communicator API version of Release 22 (``Academy.k_ApiVersion``, ``UnityEnvironment.API_VERSION``)."""
UNITY_PACKAGE_VERSION = "3.0.0"
"""``com.unity.ml-agents`` version a Unity player of Release 22 reports (``Academy.k_PackageVersion``)."""
TRAINER_PACKAGE_VERSION = "1.1.0"
"""``mlagents_envs`` version the trainer reports; we speak exactly its protocol."""
ACADEMY_NAME = "AcademySingleton"
"""``rl_initialization_output.name`` of every Unity player."""
STATUS_OK = 200
"""Header status of a normal message."""
STATUS_SHUTDOWN = 400
"""Header status that ends the session (``RpcCommunicator.close`` / Unity ``Dispose``)."""
TEAM_SEPARATOR = "?team="
"""Separator of the fully qualified behavior name (``BehaviorParameters.FullyQualifiedBehaviorName``)."""


def capabilities() -> UnityRLCapabilitiesProto:
    """Every capability of communicator 1.5.0 set, as both Release 22 ends announce them."""
    return UnityRLCapabilitiesProto(
        baseRLCapabilities=True,
        concatenatedPngObservations=True,
        compressedChannelMapping=True,
        hybridActions=True,
        trainingAnalytics=True,
        variableLengthObservation=True,
        multiAgentGroups=True,
    )


def _parse_version(version: str, who: str) -> tuple[int, int]:
    parts = str(version).strip().split(".")
    try:
        major, minor = int(parts[0]), int(parts[1]) if len(parts) > 1 else 0
    except ValueError:
        raise ProtocolError(f"{who} communication version {version!r} is not MAJOR.MINOR.PATCH") from None
    return major, minor


def check_compatible(peer_version: str, *, peer: str, ours: str = API_VERSION) -> None:
    """Refuse a peer whose communication API version cannot talk to ours (ML-Agents' rule).

    Args:
        peer_version: the version the peer announced.
        peer: who the peer is, for the message (``"Unity player"``, ``"trainer"``).
        ours: our version.

    Raises:
        ProtocolError: a different major version, or for 0.x a different minor version.

    """
    theirs = _parse_version(peer_version, peer)
    mine = _parse_version(ours, "our")
    if theirs[0] != mine[0] or (theirs[0] == 0 and theirs[1] != mine[1]):
        raise ProtocolError(
            f"communication API version mismatch: the {peer} speaks {peer_version}, we speak {ours} "
            "(the major versions must match); use a Release 22 player/trainer (com.unity.ml-agents 3.x, "
            "mlagents 1.x)"
        )


def split_behavior_name(qualified: str) -> tuple[str, int]:
    """Split ``"3DBall?team=0"`` into ``("3DBall", 0)`` (a plain name has team 0).

    Args:
        qualified: the name as Unity sends it.

    Returns:
        ``(behavior_name, team_id)``.

    Raises:
        ProtocolError: the team id is not an integer.

    """
    name, sep, team = str(qualified).partition(TEAM_SEPARATOR)
    if not sep:
        return name, 0
    try:
        return name, int(team)
    except ValueError:
        raise ProtocolError(f"behavior name {qualified!r}: team id {team!r} is not an integer") from None


def qualified_behavior_name(name: str, team_id: int = 0) -> str:
    """``"3DBall"`` -> ``"3DBall?team=0"``, the name a Unity player sends."""
    return f"{name}{TEAM_SEPARATOR}{int(team_id)}"


def output_message(output: UnityOutputProto | None = None, *, status: int = STATUS_OK) -> UnityMessageProto:
    """Wrap a player's output in a ``UnityMessageProto`` (the request of one ``Exchange``)."""
    message = UnityMessageProto(header=HeaderProto(status=status))
    if output is not None:
        message.unity_output.CopyFrom(output)
    return message


def input_message(
    rl_input: UnityRLInputProto | None = None, *, status: int = STATUS_OK, text: str = ""
) -> UnityMessageProto:
    """Wrap the trainer's input in a ``UnityMessageProto`` (the reply to one ``Exchange``)."""
    message = UnityMessageProto(header=HeaderProto(status=status, message=text))
    if rl_input is not None:
        message.unity_input.CopyFrom(UnityInputProto(rl_input=rl_input))
    return message
