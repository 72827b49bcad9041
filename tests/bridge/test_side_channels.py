"""Side channels: framing, EngineConfiguration, EnvironmentParameters and Stats encode/decode."""

from __future__ import annotations

import logging
import struct
import uuid

import numpy as np
import pytest

from mlops_unity_pipeline.bridge import side_channels as sc
from mlops_unity_pipeline.errors import ProtocolError


def i32(v: int) -> bytes:
    return struct.pack("<i", v)


def f32(v: float) -> bytes:
    return struct.pack("<f", v)


def s(text: str) -> bytes:
    return i32(len(text)) + text.encode()


# --- framing ---


def test_channel_ids_are_mlagents_uuids() -> None:
    """Channel UUIDs are the ones ML-Agents registers (upstream mlagents_envs/side_channel/)."""
    assert str(sc.ENGINE_CONFIGURATION_CHANNEL_ID) == "e951342c-4f7e-11ea-b238-784f4387d1f7"
    assert str(sc.ENVIRONMENT_PARAMETERS_CHANNEL_ID) == "534c891e-810f-11ea-a9d0-822485860400"
    assert str(sc.STATS_CHANNEL_ID) == "a1d8f7b7-cec8-50f9-b78b-d3e165a78520"


def test_frame_layout_is_uuid_bytes_le_length_payload() -> None:
    """A framed message is uuid.bytes_le, int32 LE length, payload."""
    msg = sc.SideChannelMessage(sc.STATS_CHANNEL_ID, b"abc")
    framed = sc.frame_messages([msg])
    assert framed == sc.STATS_CHANNEL_ID.bytes_le + b"\x03\x00\x00\x00abc"
    assert framed[:16] != sc.STATS_CHANNEL_ID.bytes  # little-endian fields of the UUID are swapped


def test_frame_parse_roundtrip_keeps_order() -> None:
    """Several messages on several channels parse back in order, including empty payloads."""
    messages = [
        sc.SideChannelMessage(sc.ENGINE_CONFIGURATION_CHANNEL_ID, b"\x00" * 12),
        sc.SideChannelMessage(sc.STATS_CHANNEL_ID, b""),
        sc.SideChannelMessage(sc.ENVIRONMENT_PARAMETERS_CHANNEL_ID, b"xyz"),
    ]
    assert sc.parse_messages(sc.frame_messages(messages)) == messages
    assert sc.parse_messages(b"") == []


@pytest.mark.parametrize("cut", [1, 15, 19, 21])
def test_truncated_frame_raises_protocol_error(cut: int) -> None:
    """Data cut inside the header or the payload raises ProtocolError naming the byte offset."""
    framed = sc.frame_messages([sc.SideChannelMessage(sc.STATS_CHANNEL_ID, b"abcd")])
    with pytest.raises(ProtocolError, match="byte 0"):
        sc.parse_messages(framed[:cut])


def test_negative_length_raises() -> None:
    """A negative payload length is a protocol error."""
    with pytest.raises(ProtocolError, match="-1"):
        sc.parse_messages(sc.STATS_CHANNEL_ID.bytes_le + i32(-1))


def test_unknown_channel_is_kept_and_warned(caplog: pytest.LogCaptureFixture) -> None:
    """Unknown channel ids are returned untouched and logged once as a warning, not raised."""
    stranger = uuid.UUID("12345678-1234-5678-1234-567812345678")
    messages = sc.parse_messages(
        sc.frame_messages(
            [
                sc.SideChannelMessage(stranger, b"1"),
                sc.SideChannelMessage(sc.STATS_CHANNEL_ID, b"2"),
                sc.SideChannelMessage(stranger, b"3"),
            ]
        )
    )
    with caplog.at_level(logging.WARNING, logger=sc.__name__):
        known, unknown = sc.split_known(messages, [sc.STATS_CHANNEL_ID])
    assert [m.payload for m in known] == [b"2"]
    assert [m.payload for m in unknown] == [b"1", b"3"]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and str(stranger) in warnings[0].getMessage()


# --- engine configuration ---


def test_engine_configuration_bytes_match_mlagents_layout() -> None:
    """Each setting is its own message: int32 type then int32/float32 values, little-endian."""
    settings = sc.EngineConfigurationSettings(
        width=80, height=60, quality_level=1, time_scale=20.0, target_frame_rate=-1, capture_frame_rate=60
    )
    payloads = [m.payload for m in sc.encode_engine_configuration(settings)]
    assert payloads == [
        i32(0) + i32(80) + i32(60),
        i32(1) + i32(1),
        i32(2) + f32(20.0),
        i32(3) + i32(-1),
        i32(4) + i32(60),
    ]
    messages = sc.encode_engine_configuration(settings)
    assert all(m.channel_id == sc.ENGINE_CONFIGURATION_CHANNEL_ID for m in messages)
    assert sc.decode_engine_configuration(payloads) == settings


def test_engine_configuration_partial_updates_apply_on_base() -> None:
    """Only the settings sent change; the rest keeps the base values."""
    base = sc.EngineConfigurationSettings(width=1280, height=720, quality_level=5, time_scale=1.0)
    update = [
        m.payload for m in sc.encode_engine_configuration(sc.EngineConfigurationSettings(time_scale=20.0))
    ]
    assert len(update) == 1
    assert sc.decode_engine_configuration(update, base) == sc.EngineConfigurationSettings(
        width=1280, height=720, quality_level=5, time_scale=20.0
    )


@pytest.mark.parametrize(
    ("payload", "match"),
    [
        (i32(7), "unknown message type 7"),
        (i32(0) + i32(80), "truncated"),
        (i32(2) + b"\x00\x00", "truncated"),
        (i32(1) + i32(1) + b"x", "trailing"),
        (b"\x01", "truncated"),
    ],
)
def test_engine_configuration_bad_payload(payload: bytes, match: str) -> None:
    """Unknown types, truncated values and trailing bytes raise ProtocolError."""
    with pytest.raises(ProtocolError, match=match):
        sc.decode_engine_configuration([payload])


def test_engine_configuration_width_needs_height() -> None:
    """Width without height is rejected (they travel in one message)."""
    with pytest.raises(ProtocolError, match="together"):
        sc.EngineConfigurationSettings(width=80)


# --- environment parameters ---


def test_float_parameter_bytes() -> None:
    """FLOAT: string key, int32 0, float32 value."""
    msg = sc.encode_environment_parameter(sc.FloatParameter("mass", 2.5))
    assert msg.channel_id == sc.ENVIRONMENT_PARAMETERS_CHANNEL_ID
    assert msg.payload == s("mass") + i32(0) + f32(2.5)
    assert sc.decode_environment_parameter(msg.payload) == sc.FloatParameter("mass", 2.5)


def test_uniform_and_gaussian_sampler_bytes() -> None:
    """SAMPLER: key, int32 1, int32 seed, int32 sampler type, then two float32 parameters."""
    uniform = sc.SamplerParameter("scale", sc.SamplerType.UNIFORM, seed=42, values=(0.75, 3.0))
    assert sc.encode_environment_parameter(uniform).payload == s("scale") + i32(1) + i32(42) + i32(0) + f32(
        0.75
    ) + f32(3.0)
    gaussian = sc.SamplerParameter("g", sc.SamplerType.GAUSSIAN, seed=-1, values=(1.0, 0.5))
    assert sc.encode_environment_parameter(gaussian).payload == s("g") + i32(1) + i32(-1) + i32(1) + f32(
        1.0
    ) + f32(0.5)
    for parameter in (uniform, gaussian):
        assert (
            sc.decode_environment_parameter(sc.encode_environment_parameter(parameter).payload) == parameter
        )


def test_multirange_sampler_bytes() -> None:
    """MULTIRANGEUNIFORM: the flattened intervals as int32 count + float32 values."""
    multi = sc.SamplerParameter("w", sc.SamplerType.MULTIRANGEUNIFORM, seed=3, values=(0.0, 1.0, 5.0, 6.0))
    payload = sc.encode_environment_parameter(multi).payload
    assert payload == s("w") + i32(1) + i32(3) + i32(2) + i32(4) + f32(0.0) + f32(1.0) + f32(5.0) + f32(6.0)
    back = sc.decode_environment_parameter(payload)
    assert back == multi
    assert back.intervals == [(0.0, 1.0), (5.0, 6.0)]


@pytest.mark.parametrize(
    ("payload", "match"),
    [
        (s("k") + i32(9), "unknown data type 9"),
        (s("k") + i32(1) + i32(0) + i32(5) + f32(0) + f32(1), "unknown sampler type 5"),
        (s("k") + i32(0), "truncated"),
        (i32(10) + b"abc", "truncated"),
        (s("k") + i32(1) + i32(0) + i32(2) + i32(-2), "negative count"),
        (s("k") + i32(1) + i32(0) + i32(2) + i32(3) + f32(0) + f32(1) + f32(2), "pairs"),
        (s("k") + i32(0) + f32(1.0) + b"\x00", "trailing"),
    ],
)
def test_environment_parameter_bad_payload(payload: bytes, match: str) -> None:
    """Malformed parameter messages raise ProtocolError saying what is wrong."""
    with pytest.raises(ProtocolError, match=match):
        sc.decode_environment_parameter(payload)


def test_sampling_stays_in_ranges() -> None:
    """Sampled values follow the received distributions (uniform range, multirange intervals, constant)."""
    rng = np.random.default_rng(0)
    uniform = sc.SamplerParameter("u", sc.SamplerType.UNIFORM, 0, (0.5, 10.0))
    values = [sc.sample_environment_parameter(uniform, rng) for _ in range(200)]
    assert min(values) >= 0.5 and max(values) <= 10.0
    multi = sc.SamplerParameter("m", sc.SamplerType.MULTIRANGEUNIFORM, 0, (0.0, 1.0, 5.0, 6.0))
    draws = [sc.sample_environment_parameter(multi, rng) for _ in range(400)]
    assert all(0.0 <= v <= 1.0 or 5.0 <= v <= 6.0 for v in draws)
    assert any(v <= 1.0 for v in draws) and any(v >= 5.0 for v in draws)
    gaussian = sc.SamplerParameter("g", sc.SamplerType.GAUSSIAN, 0, (3.0, 0.1))
    assert abs(np.mean([sc.sample_environment_parameter(gaussian, rng) for _ in range(400)]) - 3.0) < 0.05
    assert sc.sample_environment_parameter(sc.FloatParameter("c", 7.0), rng) == 7.0


# --- stats ---


@pytest.mark.parametrize("aggregation", list(sc.StatsAggregationMethod))
def test_stat_roundtrip_and_bytes(aggregation: sc.StatsAggregationMethod) -> None:
    """Stats: string key, float32 value, int32 aggregation."""
    stat = sc.StatMessage("Env/Score", 1.5, aggregation)
    msg = sc.encode_stat(stat)
    assert msg.channel_id == sc.STATS_CHANNEL_ID
    assert msg.payload == s("Env/Score") + f32(1.5) + i32(int(aggregation))
    assert sc.decode_stat(msg.payload) == stat


@pytest.mark.parametrize(
    ("payload", "match"),
    [
        (s("k") + f32(1.0) + i32(9), "unknown aggregation"),
        (s("k") + f32(1.0), "truncated"),
        (s("k"), "truncated"),
    ],
)
def test_stat_bad_payload(payload: bytes, match: str) -> None:
    """Truncated stats and unknown aggregation methods raise ProtocolError."""
    with pytest.raises(ProtocolError, match=match):
        sc.decode_stat(payload)


def test_all_channels_through_one_frame() -> None:
    """Messages of all three channels framed together decode with their channel's decoder."""
    out = sc.encode_engine_configuration(sc.EngineConfigurationSettings(time_scale=5.0))
    out.append(sc.encode_environment_parameter(sc.FloatParameter("x", 1.0)))
    out.append(sc.encode_stat(sc.StatMessage("a", 2.0)))
    parsed = sc.parse_messages(sc.frame_messages(out))
    by_channel = {m.channel_id: m.payload for m in parsed}
    assert sc.decode_engine_configuration([by_channel[sc.ENGINE_CONFIGURATION_CHANNEL_ID]]).time_scale == 5.0
    assert sc.decode_environment_parameter(by_channel[sc.ENVIRONMENT_PARAMETERS_CHANNEL_ID]).key == "x"
    assert sc.decode_stat(by_channel[sc.STATS_CHANNEL_ID]).value == 2.0


# --- both directions of one side_channel field ---


def test_trainer_to_player_roundtrip(caplog: pytest.LogCaptureFixture) -> None:
    """Engine settings, parameters and analytics decode on the player side; unknown channels are kept."""
    data = sc.encode_trainer_messages(
        engine=sc.EngineConfigurationSettings(time_scale=20.0, quality_level=1),
        parameters=[
            sc.FloatParameter("mass", 1.0),
            sc.SamplerParameter("s", sc.SamplerType.UNIFORM, 1, (0, 2)),
        ],
    )
    stranger = sc.SideChannelMessage(uuid.UUID(int=7), b"?")
    analytics = sc.SideChannelMessage(sc.TRAINING_ANALYTICS_CHANNEL_ID, b"any")
    data += sc.frame_messages([stranger, analytics])
    base = sc.EngineConfigurationSettings(width=80, height=80, time_scale=1.0)
    with caplog.at_level(logging.WARNING, logger=sc.__name__):
        received = sc.decode_trainer_messages(data, base)
    assert received.engine == sc.EngineConfigurationSettings(
        width=80, height=80, quality_level=1, time_scale=20.0
    )
    assert [p.key for p in received.parameters] == ["mass", "s"]
    assert received.analytics == (b"any",)
    assert received.unknown == (stranger,)
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1  # analytics is not unknown


def test_nothing_to_send_is_empty() -> None:
    """No settings and no parameters give empty side-channel bytes, which decode to the base settings."""
    assert sc.encode_trainer_messages() == b""
    base = sc.EngineConfigurationSettings(quality_level=5)
    assert sc.decode_trainer_messages(b"", base) == sc.TrainerMessages(base)


def test_player_to_trainer_stats() -> None:
    """Stats framed by the player decode in order on the trainer side."""
    stats = [sc.StatMessage("a", 1.0), sc.StatMessage("b", 2.0, sc.StatsAggregationMethod.SUM)]
    decoded, unknown = sc.decode_unity_messages(sc.encode_unity_messages(stats))
    assert decoded == stats and unknown == []
    with pytest.raises(ProtocolError):
        sc.decode_unity_messages(sc.encode_unity_messages(stats)[:-1])
