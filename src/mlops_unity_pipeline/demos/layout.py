"""The byte layout of a ``.demo`` file: meta record at 0, brain parameters at 33, then step records.

ML-Agents (``demo_loader.py``; C# ``DemonstrationWriter``) writes every
record protobuf-"delimited" (base-128 varint length, then the message). The meta record is written first with
zero counts, the stream jumps to byte 33 (``MetaDataBytes = 32`` reserved, plus one) for the brain parameters,
the ``AgentInfoActionPairProto`` records follow, and on close the meta is rewritten at 0 with final counts.
Readers take exactly ``number_steps`` pairs; anything after them (several upstream files carry a stray copy of
the meta record at the end) is ignored.

This module works on protobuf messages only; ``reader``/``writer`` convert them to ``DemoStep``s.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TypeVar

from google.protobuf.message import DecodeError, Message

from ..bridge.proto import AgentInfoActionPairProto, BrainParametersProto, DemonstrationMetaProto
from ..errors import DemoFormatError

BRAIN_PARAMETERS_OFFSET = 33
"""Byte offset of the brain parameters record (``DemonstrationWriter.MetaDataBytes + 1``)."""
SUPPORTED_API_VERSIONS = frozenset({0, 1})
"""Demonstration format versions ML-Agents Release 22 reads (``SUPPORTED_DEMONSTRATION_VERSIONS``)."""
API_VERSION = 1
"""The version we write."""

_MAX_VARINT_BYTES = 10
M = TypeVar("M", bound=Message)


@dataclass
class DemoRecords:
    """The protobuf records of one ``.demo`` file, in file order."""

    meta: DemonstrationMetaProto
    """The record at byte 0."""
    brain: BrainParametersProto
    """The record at byte 33."""
    pairs: list[AgentInfoActionPairProto]
    """``meta.number_steps`` step records."""
    pair_offsets: list[int]
    """Byte offset of each pair's length prefix (for error messages)."""
    trailing_bytes: int = 0
    """Bytes after the last pair, ignored like ML-Agents does."""


def encode_varint(value: int) -> bytes:
    """Base-128 varint of a non-negative int (protobuf length prefix)."""
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def delimited(message: Message) -> bytes:
    """Serialize a message with its varint length prefix (protobuf ``writeDelimitedTo``)."""
    body = message.SerializeToString()
    return encode_varint(len(body)) + body


class _Cursor:
    """Reads delimited records from bytes, raising ``DemoFormatError`` with the file and offset."""

    def __init__(self, data: bytes, path: str) -> None:
        self.data = data
        self.path = path
        self.pos = 0

    def error(self, message: str, offset: int | None = None) -> DemoFormatError:
        return DemoFormatError(message, path=self.path, offset=self.pos if offset is None else offset)

    def varint(self, what: str) -> int:
        start = self.pos
        result = 0
        for shift in range(0, 7 * _MAX_VARINT_BYTES, 7):
            if self.pos >= len(self.data):
                raise self.error(f"file truncated inside the length of {what}", start)
            byte = self.data[self.pos]
            self.pos += 1
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return result
        raise self.error(f"corrupt length of {what} (varint longer than {_MAX_VARINT_BYTES} bytes)", start)

    def message(self, cls: type[M], what: str) -> M:
        start = self.pos
        length = self.varint(what)
        end = self.pos + length
        if end > len(self.data):
            raise self.error(
                f"file truncated: {what} declares {length} bytes, only {len(self.data) - self.pos} left",
                start,
            )
        message = cls()
        try:
            message.ParseFromString(self.data[self.pos : end])
        except DecodeError as exc:
            raise self.error(f"corrupt {what} ({cls.__name__}): {exc}", start) from None
        self.pos = end
        return message


def parse_records(data: bytes, path: str | Path = "<bytes>") -> DemoRecords:
    """Split a ``.demo`` file's bytes into its records.

    Args:
        data: the whole file.
        path: the file name used in error messages.

    Returns:
        The meta, brain parameters and ``meta.number_steps`` pair records.

    Raises:
        DemoFormatError: truncated or corrupt records, an unsupported ``api_version``, a meta record that runs
            into byte 33, or fewer pairs than the meta announces (message names the file and byte offset).

    """
    cursor = _Cursor(data, str(path))
    if not data:
        raise cursor.error("empty file (expected a DemonstrationMetaProto record at byte 0)", 0)
    meta = cursor.message(DemonstrationMetaProto, "the meta record")
    if cursor.pos > BRAIN_PARAMETERS_OFFSET:
        raise cursor.error(
            f"meta record ends at byte {cursor.pos}, past the brain parameters at {BRAIN_PARAMETERS_OFFSET}",
            0,
        )
    if meta.api_version not in SUPPORTED_API_VERSIONS:
        raise cursor.error(
            f"unsupported demonstration api_version {meta.api_version} (supported: "
            f"{sorted(SUPPORTED_API_VERSIONS)})",
            0,
        )
    if meta.number_steps < 0 or meta.number_episodes < 0:
        raise cursor.error(
            f"negative counts in the meta record (steps={meta.number_steps}, "
            f"episodes={meta.number_episodes})",
            0,
        )
    if len(data) <= BRAIN_PARAMETERS_OFFSET:
        raise cursor.error(
            f"file truncated: {len(data)} bytes, brain parameters expected at byte {BRAIN_PARAMETERS_OFFSET}",
            len(data),
        )
    cursor.pos = BRAIN_PARAMETERS_OFFSET
    brain = cursor.message(BrainParametersProto, "the brain parameters record")
    pairs: list[AgentInfoActionPairProto] = []
    offsets: list[int] = []
    for index in range(meta.number_steps):
        if cursor.pos >= len(data):
            raise cursor.error(
                f"file truncated: the meta record announces {meta.number_steps} steps, found {index}"
            )
        offsets.append(cursor.pos)
        pairs.append(cursor.message(AgentInfoActionPairProto, f"step {index}"))
    return DemoRecords(meta, brain, pairs, offsets, trailing_bytes=len(data) - cursor.pos)


def read_records(path: str | Path) -> DemoRecords:
    """Read a ``.demo`` file's records (see ``parse_records``).

    Args:
        path: the file.

    Returns:
        Its records.

    Raises:
        DemoFormatError: the file is truncated or corrupt.
        FileNotFoundError: the file does not exist.

    """
    data = Path(path).read_bytes()
    return parse_records(data, path)


def meta_record_fits(meta: DemonstrationMetaProto) -> bool:
    """Tell whether the delimited meta record fits the bytes before the brain parameters."""
    return len(delimited(meta)) <= BRAIN_PARAMETERS_OFFSET


def write_header(stream: BinaryIO, meta: DemonstrationMetaProto, brain: BrainParametersProto) -> None:
    """Write the meta record at 0, zero padding up to byte 33, then the brain parameters (stream at 0).

    Raises:
        DemoFormatError: the meta record does not fit in 33 bytes (shorten the demonstration name).

    """
    head = delimited(meta)
    if len(head) > BRAIN_PARAMETERS_OFFSET:
        raise DemoFormatError(
            f"meta record is {len(head)} bytes, more than the {BRAIN_PARAMETERS_OFFSET} reserved before the "
            f"brain parameters: shorten the demonstration name '{meta.demonstration_name}'"
        )
    stream.write(head + bytes(BRAIN_PARAMETERS_OFFSET - len(head)))
    stream.write(delimited(brain))


def rewrite_meta(stream: BinaryIO, meta: DemonstrationMetaProto) -> None:
    """Overwrite the meta record at byte 0 with final counts (``DemonstrationWriter.Close``), keeping padding.

    Raises:
        DemoFormatError: the meta record does not fit in 33 bytes.

    """
    head = delimited(meta)
    if len(head) > BRAIN_PARAMETERS_OFFSET:
        raise DemoFormatError(
            f"meta record is {len(head)} bytes, more than the {BRAIN_PARAMETERS_OFFSET} reserved: shorten "
            f"the demonstration name '{meta.demonstration_name}'"
        )
    position = stream.tell()
    stream.seek(0)
    stream.write(head + bytes(BRAIN_PARAMETERS_OFFSET - len(head)))
    stream.seek(position)


def write_records(
    path: str | Path,
    meta: DemonstrationMetaProto,
    brain: BrainParametersProto,
    pairs: Iterable[AgentInfoActionPairProto],
) -> Path:
    """Write records in ML-Agents' layout (the counts in ``meta`` are written as given).

    Args:
        path: the file to create or overwrite.
        meta: the meta record.
        brain: the brain parameters.
        pairs: the step records.

    Returns:
        The path written.

    Raises:
        DemoFormatError: the meta record does not fit in 33 bytes.

    """
    out = Path(path)
    with out.open("wb") as stream:
        write_header(stream, meta, brain)
        for pair in pairs:
            stream.write(delimited(pair))
    return out
