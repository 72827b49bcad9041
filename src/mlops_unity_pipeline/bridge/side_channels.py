"""ML-Agents side channels: the framing of the ``side_channel`` bytes and the channels the bridge speaks.

Wire facts (ML-Agents ``mlagents_envs/side_channel/*.py``), byte-checked against the installed
``mlagents_envs`` 1.1.0 by ``tests/bridge/test_side_channels_mlagents.py``:

* framing: repeated ``[16-byte channel UUID as uuid.bytes_le][int32 LE payload length][payload]``;
* payload primitives (``OutgoingMessage``/``IncomingMessage``): int32 and float32 little-endian, a string as
  int32 byte length + bytes (upstream encodes ASCII; we write UTF-8, identical for ASCII), a float list as
  int32 count + float32 values;
* EngineConfiguration (Python → Unity): one message per setting, ``int32 type`` then its value:
  0 SCREEN_RESOLUTION (int32 width, int32 height), 1 QUALITY_LEVEL (int32), 2 TIME_SCALE (float32),
  3 TARGET_FRAME_RATE (int32), 4 CAPTURE_FRAME_RATE (int32);
* EnvironmentParameters (Python → Unity): ``string key, int32 data type``; FLOAT (0) then ``float32 value``;
  SAMPLER (1) then ``int32 seed, int32 sampler type`` and UNIFORM (0) ``float32 min, float32 max`` /
  GAUSSIAN (1) ``float32 mean, float32 st_dev`` / MULTIRANGEUNIFORM (2) ``float list`` of the flattened
  ``[min, max]`` intervals;
* Stats (Unity → Python): ``string key, float32 value, int32 aggregation`` (AVERAGE 0, MOST_RECENT 1, SUM 2,
  HISTOGRAM 3).
"""

from __future__ import annotations

import logging
import math
import struct
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np

from ..errors import ProtocolError

logger = logging.getLogger(__name__)

ENGINE_CONFIGURATION_CHANNEL_ID = uuid.UUID("e951342c-4f7e-11ea-b238-784f4387d1f7")
"""``EngineConfigurationChannel`` (Python → Unity)."""
ENVIRONMENT_PARAMETERS_CHANNEL_ID = uuid.UUID("534c891e-810f-11ea-a9d0-822485860400")
"""``EnvironmentParametersChannel`` (Python → Unity)."""
STATS_CHANNEL_ID = uuid.UUID("a1d8f7b7-cec8-50f9-b78b-d3e165a78520")
"""``StatsSideChannel`` (Unity → Python)."""
FLOAT_PROPERTIES_CHANNEL_ID = uuid.UUID("60ccf7d0-4f7e-11ea-b238-784f4387d1f7")
"""``FloatPropertiesChannel`` (legacy; framed but not decoded here)."""
TRAINING_ANALYTICS_CHANNEL_ID = uuid.UUID("b664a4a9-d86f-5a5f-95cb-e8353a7e8356")
"""``DefaultTrainingAnalyticsSideChannel`` (framed but not decoded here)."""

_UUID_BYTES = 16
_LENGTH_BYTES = 4


# --- framing ---


@dataclass(frozen=True)
class SideChannelMessage:
    """One framed message: the channel it belongs to and its raw payload."""

    channel_id: uuid.UUID
    """The channel's UUID."""
    payload: bytes
    """The message body, decoded by the channel's own ``decode_*`` function."""

    def __post_init__(self) -> None:
        if not isinstance(self.channel_id, uuid.UUID):
            raise ProtocolError(f"side channel id must be a uuid.UUID, got {type(self.channel_id).__name__}")
        object.__setattr__(self, "payload", bytes(self.payload))


def frame_messages(messages: Iterable[SideChannelMessage]) -> bytes:
    """Concatenate messages into the ``side_channel`` bytes of a ``UnityRLInputProto``/``UnityRLOutputProto``.

    Args:
        messages: the messages, in sending order.

    Returns:
        ``[uuid.bytes_le][int32 LE length][payload]`` for each message, back to back.

    """
    out = bytearray()
    for message in messages:
        out += message.channel_id.bytes_le
        out += struct.pack("<i", len(message.payload))
        out += message.payload
    return bytes(out)


def parse_messages(data: bytes) -> list[SideChannelMessage]:
    """Split ``side_channel`` bytes into messages (any channel id, known or not).

    Args:
        data: the bytes of a ``side_channel`` field.

    Returns:
        The messages in the order they were framed.

    Raises:
        ProtocolError: a header or payload runs past the end of ``data``, or a length is negative.

    """
    messages: list[SideChannelMessage] = []
    offset = 0
    while offset < len(data):
        if len(data) - offset < _UUID_BYTES + _LENGTH_BYTES:
            raise ProtocolError(
                f"side channel data truncated at byte {offset}: a header needs {_UUID_BYTES + _LENGTH_BYTES} "
                f"bytes, {len(data) - offset} left"
            )
        channel_id = uuid.UUID(bytes_le=bytes(data[offset : offset + _UUID_BYTES]))
        (length,) = struct.unpack_from("<i", data, offset + _UUID_BYTES)
        start = offset + _UUID_BYTES + _LENGTH_BYTES
        if length < 0 or start + length > len(data):
            raise ProtocolError(
                f"side channel message for {channel_id} at byte {offset} declares {length} payload bytes, "
                f"{len(data) - start} left (the peer sent a short message)"
            )
        messages.append(SideChannelMessage(channel_id, bytes(data[start : start + length])))
        offset = start + length
    return messages


def split_known(
    messages: Iterable[SideChannelMessage], known: Iterable[uuid.UUID]
) -> tuple[list[SideChannelMessage], list[SideChannelMessage]]:
    """Separate messages for ``known`` channels from the rest, warning once per unknown channel id.

    Like ML-Agents, an unknown channel is not an error: its messages are logged and returned untouched
    (so a relay can forward them).

    Args:
        messages: parsed messages.
        known: the channel ids the caller handles.

    Returns:
        ``(known_messages, unknown_messages)``, each in the original order.

    """
    known_ids = set(known)
    handled: list[SideChannelMessage] = []
    unknown: list[SideChannelMessage] = []
    warned: set[uuid.UUID] = set()
    for message in messages:
        if message.channel_id in known_ids:
            handled.append(message)
            continue
        unknown.append(message)
        if message.channel_id not in warned:
            warned.add(message.channel_id)
            logger.warning(
                "unknown side channel %s: %d-byte message ignored", message.channel_id, len(message.payload)
            )
    return handled, unknown


# --- payload primitives ---


class _Writer:
    """Little-endian payload builder (ML-Agents ``OutgoingMessage`` layout)."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def int32(self, value: int) -> _Writer:
        if not -(2**31) <= int(value) < 2**31:
            raise ProtocolError(f"side channel int32 out of range: {value}")
        self.buffer += struct.pack("<i", int(value))
        return self

    def float32(self, value: float) -> _Writer:
        self.buffer += struct.pack("<f", float(value))
        return self

    def string(self, value: str) -> _Writer:
        encoded = value.encode("utf-8")
        self.int32(len(encoded))
        self.buffer += encoded
        return self

    def float_list(self, values: Sequence[float]) -> _Writer:
        self.int32(len(values))
        for value in values:
            self.float32(value)
        return self


class _Reader:
    """Little-endian payload reader (ML-Agents ``IncomingMessage`` layout) that raises on truncation."""

    def __init__(self, payload: bytes, what: str) -> None:
        self.payload = payload
        self.offset = 0
        self.what = what

    def _take(self, size: int, field: str) -> bytes:
        if size < 0 or self.offset + size > len(self.payload):
            raise ProtocolError(
                f"{self.what}: payload truncated reading {field} at byte {self.offset} "
                f"(needs {size}, {len(self.payload) - self.offset} left)"
            )
        chunk = self.payload[self.offset : self.offset + size]
        self.offset += size
        return chunk

    def int32(self, field: str) -> int:
        return int(struct.unpack("<i", self._take(4, field))[0])

    def float32(self, field: str) -> float:
        return float(struct.unpack("<f", self._take(4, field))[0])

    def string(self, field: str) -> str:
        length = self.int32(f"{field} length")
        raw = self._take(length, field)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProtocolError(f"{self.what}: {field} is not valid UTF-8") from exc

    def float_list(self, field: str) -> list[float]:
        count = self.int32(f"{field} count")
        if count < 0:
            raise ProtocolError(f"{self.what}: negative count {count} for {field}")
        return [self.float32(f"{field}[{i}]") for i in range(count)]

    def done(self) -> None:
        if self.offset != len(self.payload):
            raise ProtocolError(f"{self.what}: {len(self.payload) - self.offset} unexpected trailing bytes")


# --- engine configuration ---


class EngineConfigurationType(int, Enum):
    """Message types of the EngineConfiguration channel (``EngineConfigurationChannel.ConfigurationType``)."""

    SCREEN_RESOLUTION = 0
    QUALITY_LEVEL = 1
    TIME_SCALE = 2
    TARGET_FRAME_RATE = 3
    CAPTURE_FRAME_RATE = 4


@dataclass(frozen=True)
class EngineConfigurationSettings:
    """Engine settings carried by the EngineConfiguration channel; ``None`` = not sent / not received."""

    width: int | None = None
    """Screen width in pixels (sent together with ``height``)."""
    height: int | None = None
    """Screen height in pixels."""
    quality_level: int | None = None
    """Unity quality level."""
    time_scale: float | None = None
    """``Time.timeScale``."""
    target_frame_rate: int | None = None
    """``Application.targetFrameRate`` (-1 = unlimited)."""
    capture_frame_rate: int | None = None
    """``Time.captureFramerate``."""

    def __post_init__(self) -> None:
        if (self.width is None) != (self.height is None):
            raise ProtocolError("engine configuration: width and height must be set together")


def encode_engine_configuration(settings: EngineConfigurationSettings) -> list[SideChannelMessage]:
    """Encode engine settings as EngineConfiguration messages, one per set value (as ML-Agents sends them).

    Args:
        settings: the values to send; ``None`` fields are skipped.

    Returns:
        Messages on ``ENGINE_CONFIGURATION_CHANNEL_ID``.

    """
    payloads: list[bytes] = []
    if settings.width is not None and settings.height is not None:
        w = (
            _Writer()
            .int32(EngineConfigurationType.SCREEN_RESOLUTION)
            .int32(settings.width)
            .int32(settings.height)
        )
        payloads.append(bytes(w.buffer))
    if settings.quality_level is not None:
        payloads.append(
            bytes(_Writer().int32(EngineConfigurationType.QUALITY_LEVEL).int32(settings.quality_level).buffer)
        )
    if settings.time_scale is not None:
        payloads.append(
            bytes(_Writer().int32(EngineConfigurationType.TIME_SCALE).float32(settings.time_scale).buffer)
        )
    if settings.target_frame_rate is not None:
        w = _Writer().int32(EngineConfigurationType.TARGET_FRAME_RATE).int32(settings.target_frame_rate)
        payloads.append(bytes(w.buffer))
    if settings.capture_frame_rate is not None:
        w = _Writer().int32(EngineConfigurationType.CAPTURE_FRAME_RATE).int32(settings.capture_frame_rate)
        payloads.append(bytes(w.buffer))
    return [SideChannelMessage(ENGINE_CONFIGURATION_CHANNEL_ID, p) for p in payloads]


def decode_engine_configuration(
    payloads: Iterable[bytes], base: EngineConfigurationSettings | None = None
) -> EngineConfigurationSettings:
    """Apply EngineConfiguration payloads in order on top of ``base`` (what a Unity player does).

    Args:
        payloads: the message bodies, in receiving order.
        base: the settings before these messages (default: nothing set).

    Returns:
        The resulting settings.

    Raises:
        ProtocolError: an unknown message type, a truncated payload or trailing bytes.

    """
    values = dict(vars(base or EngineConfigurationSettings()))
    for payload in payloads:
        reader = _Reader(payload, "engine configuration message")
        raw_type = reader.int32("message type")
        try:
            kind = EngineConfigurationType(raw_type)
        except ValueError:
            raise ProtocolError(
                f"engine configuration: unknown message type {raw_type} (expected 0-4: "
                + ", ".join(t.name for t in EngineConfigurationType)
                + ")"
            ) from None
        if kind is EngineConfigurationType.SCREEN_RESOLUTION:
            values["width"] = reader.int32("width")
            values["height"] = reader.int32("height")
        elif kind is EngineConfigurationType.QUALITY_LEVEL:
            values["quality_level"] = reader.int32("quality_level")
        elif kind is EngineConfigurationType.TIME_SCALE:
            values["time_scale"] = reader.float32("time_scale")
        elif kind is EngineConfigurationType.TARGET_FRAME_RATE:
            values["target_frame_rate"] = reader.int32("target_frame_rate")
        else:
            values["capture_frame_rate"] = reader.int32("capture_frame_rate")
        reader.done()
    return EngineConfigurationSettings(**values)


# --- environment parameters ---


class SamplerType(int, Enum):
    """Sampler kinds of the EnvironmentParameters channel (``EnvironmentParametersChannel.SamplerTypes``)."""

    UNIFORM = 0
    GAUSSIAN = 1
    MULTIRANGEUNIFORM = 2


_FLOAT_DATA = 0
_SAMPLER_DATA = 1


@dataclass(frozen=True)
class FloatParameter:
    """A constant environment parameter value."""

    key: str
    """Parameter name (``EnvironmentParameters.GetWithDefault(key, …)`` in C#)."""
    value: float
    """The value (sent as float32)."""


@dataclass(frozen=True)
class SamplerParameter:
    """An environment parameter that Unity samples at each episode start."""

    key: str
    """Parameter name."""
    sampler: SamplerType
    """Distribution kind."""
    seed: int
    """Seed of Unity's sampler."""
    values: tuple[float, ...]
    """UNIFORM ``(min, max)``; GAUSSIAN ``(mean, st_dev)``; MULTIRANGEUNIFORM flat ``(min0, max0, …)``."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "sampler", SamplerType(self.sampler))
        object.__setattr__(self, "values", tuple(float(v) for v in self.values))
        if self.sampler is SamplerType.MULTIRANGEUNIFORM:
            if not self.values or len(self.values) % 2:
                raise ProtocolError(
                    f"parameter '{self.key}': multirange intervals need [min, max] pairs, "
                    f"got {len(self.values)} values"
                )
        elif len(self.values) != 2:
            raise ProtocolError(
                f"parameter '{self.key}': {self.sampler.name} sampler needs 2 values, got {len(self.values)}"
            )

    @property
    def intervals(self) -> list[tuple[float, float]]:
        """The ``[min, max]`` pairs of a MULTIRANGEUNIFORM sampler (one pair for the others)."""
        return [(self.values[i], self.values[i + 1]) for i in range(0, len(self.values), 2)]


EnvironmentParameter = FloatParameter | SamplerParameter


def encode_environment_parameter(parameter: EnvironmentParameter) -> SideChannelMessage:
    """Encode one parameter as an EnvironmentParameters message.

    Args:
        parameter: a constant or a sampler.

    Returns:
        A message on ``ENVIRONMENT_PARAMETERS_CHANNEL_ID``.

    """
    writer = _Writer().string(parameter.key)
    if isinstance(parameter, FloatParameter):
        writer.int32(_FLOAT_DATA).float32(parameter.value)
    else:
        writer.int32(_SAMPLER_DATA).int32(parameter.seed).int32(parameter.sampler)
        if parameter.sampler is SamplerType.MULTIRANGEUNIFORM:
            writer.float_list(parameter.values)
        else:
            writer.float32(parameter.values[0]).float32(parameter.values[1])
    return SideChannelMessage(ENVIRONMENT_PARAMETERS_CHANNEL_ID, bytes(writer.buffer))


def decode_environment_parameter(payload: bytes) -> EnvironmentParameter:
    """Decode one EnvironmentParameters message (what the Unity side reads).

    Args:
        payload: the message body.

    Returns:
        A ``FloatParameter`` or ``SamplerParameter``.

    Raises:
        ProtocolError: unknown data or sampler type, truncated payload, trailing bytes.

    """
    reader = _Reader(payload, "environment parameter message")
    key = reader.string("key")
    data_type = reader.int32("data type")
    parameter: EnvironmentParameter
    if data_type == _FLOAT_DATA:
        parameter = FloatParameter(key, reader.float32("value"))
    elif data_type == _SAMPLER_DATA:
        seed = reader.int32("seed")
        raw_sampler = reader.int32("sampler type")
        try:
            sampler = SamplerType(raw_sampler)
        except ValueError:
            raise ProtocolError(
                f"environment parameter '{key}': unknown sampler type {raw_sampler} "
                "(expected 0 uniform, 1 gaussian, 2 multirangeuniform)"
            ) from None
        if sampler is SamplerType.MULTIRANGEUNIFORM:
            values = tuple(reader.float_list("intervals"))
        else:
            values = (reader.float32("value 0"), reader.float32("value 1"))
        parameter = SamplerParameter(key, sampler, seed, values)
    else:
        raise ProtocolError(
            f"environment parameter '{key}': unknown data type {data_type} (expected 0 float, 1 sampler)"
        )
    reader.done()
    return parameter


def sample_environment_parameter(parameter: EnvironmentParameter, rng: np.random.Generator) -> float:
    """Draw one value like Unity's ``SamplerFactory`` does (constant, uniform, gaussian, multirange uniform).

    Multirange picks an interval with probability proportional to its width, then samples uniformly in it.

    Args:
        parameter: the received parameter.
        rng: the random generator to draw from.

    Returns:
        The sampled value.

    """
    if isinstance(parameter, FloatParameter):
        return float(parameter.value)
    a, b = parameter.values[0], parameter.values[1]
    if parameter.sampler is SamplerType.UNIFORM:
        return float(rng.uniform(a, b))
    if parameter.sampler is SamplerType.GAUSSIAN:
        return float(rng.normal(a, b))
    intervals = parameter.intervals
    widths = [max(hi - lo, 0.0) for lo, hi in intervals]
    total = sum(widths)
    pick = float(rng.uniform(0.0, total)) if total > 0 else 0.0
    for (lo, _hi), width in zip(intervals, widths, strict=True):
        if pick <= width or math.isclose(pick, width):
            return lo + min(pick, width)
        pick -= width
    return intervals[-1][1]


# --- stats ---


class StatsAggregationMethod(int, Enum):
    """How the trainer combines several values of one stat within a summary period."""

    AVERAGE = 0
    MOST_RECENT = 1
    SUM = 2
    HISTOGRAM = 3


@dataclass(frozen=True)
class StatMessage:
    """One ``StatsRecorder.Add(key, value, aggregation)`` call made in Unity."""

    key: str
    """Stat name (TensorBoard tag; ``/`` nests)."""
    value: float
    """The value (float32 on the wire)."""
    aggregation: StatsAggregationMethod = StatsAggregationMethod.AVERAGE
    """How values of one summary period are combined."""


def encode_stat(stat: StatMessage) -> SideChannelMessage:
    """Encode a stat as a Stats message (what Unity's ``StatsSideChannel`` sends).

    Args:
        stat: the stat.

    Returns:
        A message on ``STATS_CHANNEL_ID``.

    """
    writer = _Writer().string(stat.key).float32(stat.value).int32(StatsAggregationMethod(stat.aggregation))
    return SideChannelMessage(STATS_CHANNEL_ID, bytes(writer.buffer))


def decode_stat(payload: bytes) -> StatMessage:
    """Decode a Stats message.

    Args:
        payload: the message body.

    Returns:
        The stat.

    Raises:
        ProtocolError: truncated payload, unknown aggregation method or trailing bytes.

    """
    reader = _Reader(payload, "stats message")
    key = reader.string("key")
    value = reader.float32("value")
    raw = reader.int32("aggregation")
    try:
        aggregation = StatsAggregationMethod(raw)
    except ValueError:
        raise ProtocolError(f"stat '{key}': unknown aggregation method {raw} (expected 0-3)") from None
    reader.done()
    return StatMessage(key, value, aggregation)


# --- one side_channel field, each direction ---


@dataclass(frozen=True)
class TrainerMessages:
    """What a player receives from the trainer in one ``UnityRLInputProto.side_channel`` field."""

    engine: EngineConfigurationSettings
    """Engine settings after applying the received EngineConfiguration messages on the previous ones."""
    parameters: tuple[EnvironmentParameter, ...] = ()
    """Environment parameters, in receiving order (a later one for the same key wins)."""
    analytics: tuple[bytes, ...] = ()
    """Training-analytics payloads (a packed ``google.protobuf.Any``); a player may ignore them."""
    unknown: tuple[SideChannelMessage, ...] = ()
    """Messages on channels we do not know (already warned about)."""


def encode_trainer_messages(
    *, engine: EngineConfigurationSettings | None = None, parameters: Iterable[EnvironmentParameter] = ()
) -> bytes:
    """Frame engine settings and environment parameters the way ``mlagents-learn`` sends them.

    Args:
        engine: engine settings to send (``None`` fields and ``None`` itself send nothing).
        parameters: environment parameters to send.

    Returns:
        The ``side_channel`` bytes (empty when there is nothing to send).

    """
    messages = encode_engine_configuration(engine) if engine is not None else []
    messages += [encode_environment_parameter(p) for p in parameters]
    return frame_messages(messages)


def decode_trainer_messages(
    data: bytes, engine_base: EngineConfigurationSettings | None = None
) -> TrainerMessages:
    """Decode the trainer's ``side_channel`` bytes on the player side.

    Args:
        data: the ``side_channel`` field of a ``UnityRLInputProto``.
        engine_base: the engine settings in force before these messages.

    Returns:
        The resulting engine settings, the parameters, analytics payloads and unknown messages.

    Raises:
        ProtocolError: truncated framing or a malformed engine/parameter message.

    """
    known = (
        ENGINE_CONFIGURATION_CHANNEL_ID,
        ENVIRONMENT_PARAMETERS_CHANNEL_ID,
        TRAINING_ANALYTICS_CHANNEL_ID,
    )
    handled, unknown = split_known(parse_messages(data), known)
    engine = decode_engine_configuration(
        [m.payload for m in handled if m.channel_id == ENGINE_CONFIGURATION_CHANNEL_ID], engine_base
    )
    parameters = tuple(
        decode_environment_parameter(m.payload)
        for m in handled
        if m.channel_id == ENVIRONMENT_PARAMETERS_CHANNEL_ID
    )
    analytics = tuple(m.payload for m in handled if m.channel_id == TRAINING_ANALYTICS_CHANNEL_ID)
    return TrainerMessages(engine, parameters, analytics, tuple(unknown))


def encode_unity_messages(stats: Iterable[StatMessage]) -> bytes:
    """Frame stats the way a Unity player's ``StatsRecorder`` sends them.

    Args:
        stats: the stats, in recording order.

    Returns:
        The ``side_channel`` bytes of a ``UnityRLOutputProto``.

    """
    return frame_messages(encode_stat(s) for s in stats)


def decode_unity_messages(data: bytes) -> tuple[list[StatMessage], list[SideChannelMessage]]:
    """Decode a player's ``side_channel`` bytes on the trainer side.

    Args:
        data: the ``side_channel`` field of a ``UnityRLOutputProto``.

    Returns:
        ``(stats, unknown_messages)``.

    Raises:
        ProtocolError: truncated framing or a malformed stats message.

    """
    handled, unknown = split_known(parse_messages(data), [STATS_CHANNEL_ID])
    return [decode_stat(m.payload) for m in handled], unknown
