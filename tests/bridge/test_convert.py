"""Protobuf <-> domain: observations (raw floats, PNGs, channel mappings, layouts) and brain parameters."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from mlops_unity_pipeline import sim
from mlops_unity_pipeline.bridge.convert import (
    ObservationDecodeError,
    action_spec_from_brain,
    brain_parameters,
    decode_observation,
    encode_observation,
    split_pngs,
)
from mlops_unity_pipeline.bridge.proto import (
    BrainParametersProto,
    CompressionTypeProto,
    ObservationProto,
    SpaceTypeProto,
)
from mlops_unity_pipeline.errors import DemoFormatError
from mlops_unity_pipeline.spaces import ActionSpec, BehaviorSignature, ObservationSpec


def png(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array.astype(np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def png_obs(data: bytes, shape: list[int], mapping: list[int] | None = None) -> ObservationProto:
    proto = ObservationProto(shape=shape, compression_type=CompressionTypeProto.PNG, compressed_data=data)
    if mapping:
        proto.compressed_channel_mapping.extend(mapping)
    return proto


RGB = np.arange(2 * 3 * 3).reshape(2, 3, 3) * 10  # H=2, W=3, C=3, values < 255


def test_float_observation_roundtrip() -> None:
    """Raw float observations keep shape and values exactly."""
    values = np.random.default_rng(0).normal(size=(2, 3, 4)).astype(np.float32)
    proto = encode_observation(values, "v")
    assert proto.compression_type == CompressionTypeProto.NONE
    assert list(proto.dimension_properties) == [1, 2, 2]
    np.testing.assert_array_equal(decode_observation(proto), values)


def test_rank_two_observation_is_variable_length() -> None:
    """A (rows, size) observation goes out as BufferSensor's VariableLength spec: dimensions [4, 1]."""
    values = np.arange(6, dtype=np.float32).reshape(3, 2)
    proto = encode_observation(values, "Buffer")
    assert list(proto.dimension_properties) == [4, 1]
    np.testing.assert_array_equal(decode_observation(proto), values)


def test_png_height_width_channels_layout() -> None:
    """Shape [H, W, C] (older recordings) decodes without transposing."""
    out = decode_observation(png_obs(png(RGB), [2, 3, 3]))
    np.testing.assert_allclose(out, RGB / 255.0, rtol=1e-6)


def test_png_channels_first_layout() -> None:
    """Shape [C, H, W] decodes transposed to channels-first."""
    out = decode_observation(png_obs(png(RGB), [3, 2, 3]))
    np.testing.assert_allclose(out, RGB.transpose(2, 0, 1) / 255.0, rtol=1e-6)


def test_png_grayscale_is_mean_of_rgb() -> None:
    """A one-channel shape from an RGB PNG is the channel mean (Unity writes grayscale as RGB)."""
    out = decode_observation(png_obs(png(RGB), [1, 2, 3]))
    np.testing.assert_allclose(out[0], RGB.mean(axis=2) / 255.0, rtol=1e-6)


def test_concatenated_pngs_with_mapping() -> None:
    """Two PNGs back to back with a mapping give 5 channels; -1 dropped, shared indices averaged."""
    second = RGB[::-1].copy()
    data = png(RGB) + png(second)
    out = decode_observation(png_obs(data, [5, 2, 3], [0, 1, 2, 3, 4, -1]))
    expected = np.concatenate([RGB, second[:, :, :2]], axis=2).transpose(2, 0, 1) / 255.0
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    averaged = decode_observation(png_obs(png(RGB), [2, 2, 3], [0, 0, 1]))
    np.testing.assert_allclose(averaged[0], RGB[:, :, :2].mean(axis=2) / 255.0, rtol=1e-6)


def test_concatenated_pngs_without_mapping_take_first_channels() -> None:
    """Without a mapping, the first C decoded channels are kept."""
    out = decode_observation(png_obs(png(RGB) + png(RGB), [4, 2, 3]))
    np.testing.assert_allclose(out[3], RGB[:, :, 0] / 255.0, rtol=1e-6)


def test_split_pngs_walks_chunks() -> None:
    """split_pngs separates concatenated files at their IEND chunks."""
    a, b = png(RGB), png(RGB[:1])
    assert split_pngs(a + b) == [a, b]


@pytest.mark.parametrize(
    ("proto", "match"),
    [
        (png_obs(b"not a png", [3, 2, 3]), "signature"),
        (png_obs(png(RGB)[:-5], [3, 2, 3]), "truncated"),
        (png_obs(png(RGB)[:-14], [3, 2, 3]), "past the end"),
        (png_obs(png(RGB), [3, 9, 9]), "does not fit"),
        (png_obs(png(RGB), [3, 6]), "3 dimensions"),
        (png_obs(png(RGB), [2, 2, 3], [0, 1]), "entries"),
        (png_obs(png(RGB), [4, 2, 3]), "channels"),
        (ObservationProto(shape=[3], float_data=ObservationProto.FloatData(data=[1.0])), "1 floats"),
        (ObservationProto(shape=[]), "invalid observation shape"),
        (ObservationProto(shape=[1], compression_type=5), "compression_type"),
    ],
)
def test_bad_observations(proto: ObservationProto, match: str) -> None:
    """Malformed observations raise ObservationDecodeError saying why."""
    with pytest.raises(ObservationDecodeError, match=match):
        decode_observation(proto)


def test_corrupt_png_body_is_a_decode_error() -> None:
    """A PNG whose image data is damaged raises ObservationDecodeError, not a Pillow exception."""
    data = bytearray(png(np.random.default_rng(0).integers(0, 255, (8, 8, 3))))
    idat = data.index(b"IDAT")
    data[idat + 6 : idat + 12] = b"\xff" * 6
    with pytest.raises(ObservationDecodeError):
        decode_observation(png_obs(bytes(data), [3, 8, 8]))


def test_brain_parameters_of_a_player_fill_the_legacy_fields() -> None:
    """A player's brain parameters carry the legacy branch sizes and space type, like Unity's."""
    signature = sim.make("Basic").signature
    brain = brain_parameters(signature, "Basic?team=0", training=True, legacy_fields=True)
    assert brain.brain_name == "Basic?team=0" and brain.is_training
    assert list(brain.action_spec.discrete_branch_sizes) == [3]
    assert list(brain.vector_action_size_deprecated) == [3]
    assert brain.vector_action_space_type_deprecated == SpaceTypeProto.discrete
    assert action_spec_from_brain(brain) == signature.action_spec


def test_brain_parameters_of_a_recording_are_current_format_only() -> None:
    """A .demo header's brain parameters name the behavior, are not training, and have no legacy fields."""
    signature = BehaviorSignature("Mixed", (ObservationSpec((4,), "obs_0"),), ActionSpec(2, (3, 2)))
    brain = brain_parameters(signature)
    assert brain.brain_name == "Mixed" and not brain.is_training
    assert list(brain.vector_action_size_deprecated) == []
    assert action_spec_from_brain(brain) == signature.action_spec


def test_legacy_only_brain_parameters_give_the_action_spec() -> None:
    """Old recordings state actions only in the legacy fields: continuous size, or one entry per branch."""
    continuous = BrainParametersProto(
        vector_action_size_deprecated=[2], vector_action_space_type_deprecated=SpaceTypeProto.continuous
    )
    assert action_spec_from_brain(continuous) == ActionSpec(continuous_size=2)
    discrete = BrainParametersProto(vector_action_size_deprecated=[3, 2])
    assert action_spec_from_brain(discrete) == ActionSpec(discrete_branches=(3, 2))
    with pytest.raises(DemoFormatError, match="no actions"):
        action_spec_from_brain(BrainParametersProto(), "x.demo")
