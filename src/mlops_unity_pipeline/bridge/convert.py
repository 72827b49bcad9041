"""Protobuf <-> domain conversion: observations to float arrays and back, brain parameters <-> ``ActionSpec``.

The one place where ML-Agents' wire messages meet the package's types: the demo reader and writer, the
simulator player and the Unity-player environment all convert here.

Observations: raw floats, and PNG (one or several concatenated).

Facts used (ML-Agents ``rpc_utils.process_pixels``): a PNG
observation's ``compressed_data`` holds one PNG per group of up to three channels, back to back; pixel values
become ``value / 255``; ``compressed_channel_mapping`` (when present) sends decoded channel *i* to observation
channel ``mapping[i]`` (``-1`` = padding, dropped; channels mapped to the same index are averaged); without a
mapping a one-channel observation is the mean of the RGB channels, else the first ``C`` decoded channels.
Older recordings state visual shapes height-width-channels (``[84, 84, 3]``), newer ones channels-first
(``[3, 84, 84]``); the decoded array is laid out as ``shape`` says.
"""

from __future__ import annotations

import io
import math
import struct
import zlib
from typing import TYPE_CHECKING

import numpy as np

from ..errors import DemoFormatError, SpecError
from ..spaces import ActionSpec, BehaviorSignature
from .proto import (
    ActionSpecProto,
    BrainParametersProto,
    CompressionTypeProto,
    ObservationProto,
    SpaceTypeProto,
)

if TYPE_CHECKING:
    from PIL import Image

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# DimensionProperty values of ML-Agents' ObservationSpec (NONE = 1, TRANSLATIONAL_EQUIVARIANCE = 2,
# VARIABLE_SIZE = 4), written like Unity's VectorSensor ([1]), CameraSensor ([1, 2, 2] channels-first) and
# BufferSensor ([4, 1]: ObservationSpec.VariableLength, the only rank-2 observation Unity sends).
_DIM_NONE = 1
_DIM_VARIABLE = 4
_NONE = int(CompressionTypeProto.NONE)  # plain ints: the enum wrapper's attribute lookup is slow per step
_PNG = int(CompressionTypeProto.PNG)
_DIM_TRANSLATIONAL = 2


class ObservationDecodeError(ValueError):
    """An observation does not decode (the reader turns it into ``DemoFormatError`` with file and offset)."""


def split_pngs(data: bytes) -> list[bytes]:
    """Split concatenated PNG files by walking their chunks up to each ``IEND``.

    Raises:
        ObservationDecodeError: the bytes are not a sequence of complete PNG files.

    """
    images: list[bytes] = []
    pos = 0
    while pos < len(data):
        if data[pos : pos + len(PNG_SIGNATURE)] != PNG_SIGNATURE:
            raise ObservationDecodeError(f"no PNG signature at byte {pos} of compressed_data")
        start = pos
        pos += len(PNG_SIGNATURE)
        while True:
            if pos + 8 > len(data):
                raise ObservationDecodeError("PNG truncated inside a chunk header")
            (length,) = struct.unpack(">I", data[pos : pos + 4])
            chunk_type = data[pos + 4 : pos + 8]
            pos += 12 + length  # length, type, data, CRC
            if pos > len(data):
                raise ObservationDecodeError(f"PNG chunk {chunk_type!r} runs past the end of compressed_data")
            if chunk_type == b"IEND":
                break
        images.append(data[start:pos])
    if not images:
        raise ObservationDecodeError("empty compressed_data")
    return images


def _decode_png(png: bytes) -> np.ndarray:
    from PIL import Image  # heavy: Pillow is a core dependency; imported here to keep ``import demos`` light

    try:
        with Image.open(io.BytesIO(png)) as image:
            image.load()
            array = np.asarray(image)
    # Pillow reports a bad PNG through many types (OSError, SyntaxError, ValueError, zlib.error,
    # DecompressionBombError ...); all of them mean "corrupt observation" here.
    except Exception as exc:  # noqa: BLE001
        raise ObservationDecodeError(f"PNG does not decode: {exc}") from exc
    if array.ndim == 2:
        array = array[:, :, None]
    if array.dtype != np.uint8:
        raise ObservationDecodeError(f"PNG with {array.dtype} pixels (expected 8-bit)")
    return array.astype(np.float32) / 255.0


def _select_channels(hwc: np.ndarray, channels: int, mapping: list[int]) -> np.ndarray:
    if mapping:
        if len(mapping) != hwc.shape[2]:
            raise ObservationDecodeError(
                f"compressed_channel_mapping has {len(mapping)} entries for {hwc.shape[2]} decoded channels"
            )
        if max(mapping) != channels - 1 or min(mapping) < -1:
            raise ObservationDecodeError(
                f"compressed_channel_mapping {mapping} does not map to {channels} channels"
            )
        out = np.zeros(hwc.shape[:2] + (channels,), np.float32)
        for target in range(channels):
            sources = [i for i, m in enumerate(mapping) if m == target]
            if not sources:
                raise ObservationDecodeError(
                    f"compressed_channel_mapping {mapping} leaves channel {target} empty"
                )
            out[:, :, target] = hwc[:, :, sources].mean(axis=2)
        return out
    if channels == 1 and hwc.shape[2] >= 3:
        return hwc[:, :, :3].mean(axis=2, keepdims=True)
    if hwc.shape[2] < channels:
        raise ObservationDecodeError(f"PNG data has {hwc.shape[2]} channels, the shape needs {channels}")
    return hwc[:, :, :channels]


def decode_observation(proto: ObservationProto) -> np.ndarray:
    """Decode an observation into a float32 array of ``proto.shape``.

    Args:
        proto: one sensor's observation.

    Returns:
        The values, shaped like ``proto.shape``.

    Raises:
        ObservationDecodeError: the data does not match the shape, or the PNG data does not decode.

    """
    shape = tuple(proto.shape)
    if not shape or min(shape) < 0:
        raise ObservationDecodeError(f"invalid observation shape {list(shape)}")
    if proto.compression_type == _NONE:
        values = np.asarray(proto.float_data.data, dtype=np.float32)
        expected = math.prod(shape)
        if values.size != expected:
            raise ObservationDecodeError(
                f"{values.size} floats for shape {list(shape)} ({expected} expected)"
            )
        return values.reshape(shape)
    if proto.compression_type != _PNG:
        raise ObservationDecodeError(f"unknown compression_type {proto.compression_type}")
    if len(shape) != 3:
        raise ObservationDecodeError(f"PNG observation with shape {list(shape)} (expected 3 dimensions)")
    try:
        images = [_decode_png(png) for png in split_pngs(proto.compressed_data)]
        if any(img.shape[:2] != images[0].shape[:2] for img in images):
            raise ObservationDecodeError("concatenated PNGs of different sizes")
        hwc = np.concatenate(images, axis=2)
    except zlib.error as exc:
        raise ObservationDecodeError(f"PNG does not decode: {exc}") from exc
    height, width = hwc.shape[:2]
    mapping = [int(m) for m in proto.compressed_channel_mapping]
    if shape[:2] == (height, width):  # height-width-channels (recordings before Release 19)
        return _select_channels(hwc, shape[2], mapping)
    if shape[1:] == (height, width):  # channels-first
        return np.ascontiguousarray(_select_channels(hwc, shape[0], mapping).transpose(2, 0, 1))
    raise ObservationDecodeError(f"PNG of {height}x{width} pixels does not fit shape {list(shape)}")


def encode_observation(
    values: np.ndarray, name: str = "", *, png: bool = False, observation_type: int = 0
) -> ObservationProto:
    """Build an ``ObservationProto``: raw floats, or PNG for 3-D (visual) observations.

    PNG stores 8-bit pixels: values are clipped to [0, 1] and rounded to multiples of 1/255 (lossy). More than
    three channels are written as several RGB PNGs back to back with a ``compressed_channel_mapping``.

    Args:
        values: one agent's observation.
        name: the sensor name.
        png: write PNG (requires a 3-D array: channels-first, or height-width-channels with <= 4 channels).
        observation_type: ``ObservationTypeProto`` (0 default, 1 goal signal).

    Returns:
        The message.

    Raises:
        DemoFormatError: ``png`` is set for a non 3-D observation.

    """
    array = np.asarray(values, dtype=np.float32)
    proto = ObservationProto(shape=list(array.shape), name=name, observation_type=observation_type)
    # Channels-first is this package's layout; a last axis of <= 4 after a longer first one is the
    # height-width-channels layout of older recordings (e.g. [84, 84, 3]), kept as it is.
    channels_last = array.ndim == 3 and array.shape[2] <= 4 < array.shape[0]
    if array.ndim == 3:
        spatial = [_DIM_TRANSLATIONAL, _DIM_TRANSLATIONAL]
        proto.dimension_properties.extend(spatial + [_DIM_NONE] if channels_last else [_DIM_NONE] + spatial)
    elif array.ndim == 2:
        proto.dimension_properties.extend([_DIM_VARIABLE, _DIM_NONE])
    else:
        proto.dimension_properties.extend([_DIM_NONE] * array.ndim)
    if not png:
        proto.compression_type = CompressionTypeProto.NONE
        proto.float_data.data.extend(array.reshape(-1).tolist())
        return proto
    if array.ndim != 3:
        raise DemoFormatError(f"observation '{name}': PNG needs a 3-D array, got {array.shape}")
    from PIL import Image  # heavy

    pixels = np.rint(np.clip(array, 0.0, 1.0) * 255.0).astype(np.uint8)
    if not channels_last:
        pixels = pixels.transpose(1, 2, 0)  # PNG rows are height-width-channels
    channels = pixels.shape[2]
    chunks = bytearray()
    if channels == 1:
        chunks += _png_bytes(Image.fromarray(np.ascontiguousarray(pixels[:, :, 0])))
    else:
        mapping: list[int] = []
        for first in range(0, channels, 3):
            group = pixels[:, :, first : first + 3]
            pad = 3 - group.shape[2]
            mapping += list(range(first, first + group.shape[2])) + [-1] * pad
            if pad:
                group = np.concatenate([group, np.zeros(group.shape[:2] + (pad,), np.uint8)], axis=2)
            chunks += _png_bytes(Image.fromarray(np.ascontiguousarray(group)))
        if channels != 3:
            proto.compressed_channel_mapping.extend(mapping)
    proto.compression_type = CompressionTypeProto.PNG
    proto.compressed_data = bytes(chunks)
    return proto


def _png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# --- brain parameters <-> ActionSpec ---


def action_spec_from_brain(brain: BrainParametersProto, path: str = "<demo>") -> ActionSpec:
    """Get the action spec of a brain-parameters record, current or legacy (``behavior_spec_from_proto``).

    Records written since communicator API 1.3 fill ``action_spec``; older ones (all upstream example demos)
    only ``vector_action_size_deprecated`` + ``vector_action_space_type_deprecated`` (0 discrete: one branch
    per entry; 1 continuous: the first entry is the size).

    Raises:
        DemoFormatError: neither form describes at least one action.

    """
    spec = brain.action_spec
    try:
        if spec.num_continuous_actions or spec.num_discrete_actions:
            branches = tuple(spec.discrete_branch_sizes)
            if len(branches) != spec.num_discrete_actions:
                raise DemoFormatError(
                    f"action_spec says {spec.num_discrete_actions} discrete branches, lists {list(branches)}",
                    path=path,
                    offset=33,
                )
            return ActionSpec(continuous_size=spec.num_continuous_actions, discrete_branches=branches)
        sizes = list(brain.vector_action_size_deprecated)
        if not sizes:
            raise DemoFormatError("brain parameters describe no actions", path=path, offset=33)
        if brain.vector_action_space_type_deprecated == SpaceTypeProto.continuous:
            return ActionSpec(continuous_size=sizes[0])
        return ActionSpec(discrete_branches=tuple(sizes))
    except DemoFormatError:
        raise
    except SpecError as exc:
        raise DemoFormatError(
            f"invalid action spec in the brain parameters: {exc}", path=path, offset=33
        ) from None


def brain_parameters(
    signature: BehaviorSignature,
    name: str | None = None,
    *,
    training: bool = False,
    legacy_fields: bool = False,
) -> BrainParametersProto:
    """Build the ``BrainParametersProto`` of a behavior.

    Args:
        signature: the behavior.
        name: the ``brain_name`` (a player sends ``"<name>?team=<id>"``); default: the behavior's name.
        training: ``is_training`` (a player with a connected trainer says true; a recording false).
        legacy_fields: also fill the pre-hybrid fields Unity keeps writing for old trainers (the continuous
            size, or the branch sizes); ``.demo`` files are written in the current format only.

    Returns:
        The message.

    """
    spec = signature.action_spec
    brain = BrainParametersProto(
        brain_name=signature.name if name is None else name,
        is_training=training,
        action_spec=ActionSpecProto(
            num_continuous_actions=spec.continuous_size,
            num_discrete_actions=spec.discrete_size,
            discrete_branch_sizes=list(spec.discrete_branches),
        ),
    )
    if legacy_fields:
        if spec.continuous_size:
            brain.vector_action_size_deprecated.append(spec.continuous_size)
            brain.vector_action_space_type_deprecated = SpaceTypeProto.continuous
        else:
            brain.vector_action_size_deprecated.extend(spec.discrete_branches)
            brain.vector_action_space_type_deprecated = SpaceTypeProto.discrete
    return brain
