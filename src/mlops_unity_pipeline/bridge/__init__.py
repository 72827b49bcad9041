"""ML-Agents communicator protocol pieces: our protobuf messages (``bridge.proto``) and side channels."""

from __future__ import annotations
