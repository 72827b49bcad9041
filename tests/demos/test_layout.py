"""Truncated and corrupt .demo files raise DemoFormatError naming the file and the byte offset."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mlops_unity_pipeline.demos import read_demo
from mlops_unity_pipeline.demos.layout import BRAIN_PARAMETERS_OFFSET, encode_varint, read_records
from mlops_unity_pipeline.errors import DemoFormatError
from tests.conftest import anchor


def _copy(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _error(path: Path) -> DemoFormatError:
    with pytest.raises(DemoFormatError) as info:
        read_demo(path)
    error = info.value
    assert error.path == str(path)
    assert str(path) in str(error)
    return error


@pytest.mark.parametrize("cut", [0, 1, 10, 24, 33, 34, 40, 200, 5000, 8534])
def test_truncated_anchor_copy(cut: int, tmp_path: Path) -> None:
    """ExpertBasic cut at any length fails with the file name and a byte offset within the file."""
    data = anchor("demos/ExpertBasic.demo").read_bytes()
    assert len(data) == 8535
    path = _copy(tmp_path, f"cut{cut}.demo", data[:cut])
    error = _error(path)
    assert error.offset is not None and 0 <= error.offset <= cut
    assert f"at byte {error.offset}" in str(error)
    assert "truncated" in str(error) or "empty" in str(error)


def test_truncation_names_the_step_offset(tmp_path: Path) -> None:
    """Cutting inside step k reports that step's record offset."""
    source = anchor("demos/ExpertBasic.demo")
    records = read_records(source)
    start = records.pair_offsets[10]
    path = _copy(tmp_path, "mid.demo", source.read_bytes()[: start + 5])
    error = _error(path)
    assert error.offset == start
    assert "step 10" in str(error)


def test_missing_steps_at_record_boundary(tmp_path: Path) -> None:
    """A file that stops exactly between records says how many steps were announced and found."""
    source = anchor("demos/ExpertBasic.demo")
    records = read_records(source)
    path = _copy(tmp_path, "short.demo", source.read_bytes()[: records.pair_offsets[20]])
    error = _error(path)
    assert "announces 73 steps, found 20" in str(error)
    assert error.offset == records.pair_offsets[20]


def test_unsupported_api_version(tmp_path: Path) -> None:
    """An api_version other than 0/1 is refused at byte 0."""
    data = bytearray(anchor("demos/ExpertBasic.demo").read_bytes())
    assert data[1:3] == b"\x08\x01"  # api_version = 1
    data[2] = 7
    error = _error(_copy(tmp_path, "v7.demo", bytes(data)))
    assert "api_version 7" in str(error) and error.offset == 0


def test_meta_length_overrunning_brain_offset(tmp_path: Path) -> None:
    """A meta length prefix pointing past byte 33 is reported as corrupt."""
    data = bytearray(anchor("demos/ExpertBasic.demo").read_bytes())
    data[0] = 40
    error = _error(_copy(tmp_path, "meta.demo", bytes(data)))
    assert error.offset == 0


def test_corrupt_brain_parameters(tmp_path: Path) -> None:
    """An invalid wire type inside the brain parameters is reported at byte 33."""
    data = bytearray(anchor("demos/ExpertBasic.demo").read_bytes())
    data[BRAIN_PARAMETERS_OFFSET + 1] = 0x0F  # field 1 with wire type 7: does not exist
    error = _error(_copy(tmp_path, "brain.demo", bytes(data)))
    assert error.offset == BRAIN_PARAMETERS_OFFSET and "brain parameters" in str(error)


def test_corrupt_step_record(tmp_path: Path) -> None:
    """An invalid tag inside step 5 names step 5 and its offset."""
    source = anchor("demos/ExpertBasic.demo")
    offset = read_records(source).pair_offsets[5]
    data = bytearray(source.read_bytes())
    data[offset + 1] = 0x0F
    error = _error(_copy(tmp_path, "step.demo", bytes(data)))
    assert error.offset == offset and "step 5" in str(error)


def test_huge_step_length(tmp_path: Path) -> None:
    """A step length beyond the end of file is a truncation at that step."""
    source = anchor("demos/ExpertBasic.demo")
    records = read_records(source)
    offset = records.pair_offsets[3]
    data = source.read_bytes()
    old_len_bytes = len(encode_varint(len(records.pairs[3].SerializeToString())))
    patched = data[:offset] + encode_varint(10**9) + data[offset + old_len_bytes :]
    error = _error(_copy(tmp_path, "len.demo", patched))
    assert error.offset == offset and "declares 1000000000 bytes" in str(error)


def test_overlong_varint(tmp_path: Path) -> None:
    """Eleven continuation bytes in a length are corrupt, not an endless read."""
    data = anchor("demos/ExpertBasic.demo").read_bytes()
    patched = data[:BRAIN_PARAMETERS_OFFSET] + b"\xff" * 11 + data[BRAIN_PARAMETERS_OFFSET + 11 :]
    error = _error(_copy(tmp_path, "varint.demo", patched))
    assert error.offset == BRAIN_PARAMETERS_OFFSET and "varint" in str(error)


def test_observation_size_mismatch_is_reported(tmp_path: Path) -> None:
    """A step whose float data does not fill its shape names the step."""
    from mlops_unity_pipeline.demos.layout import write_records

    records = read_records(anchor("demos/ExpertBasic.demo"))
    records.pairs[2].agent_info.observations[0].float_data.data.append(1.0)
    path = write_records(tmp_path / "obs.demo", records.meta, records.brain, records.pairs)
    error = _error(path)
    assert "step 2" in str(error) and "21 floats for shape [20]" in str(error)


def test_inconsistent_observation_shapes(tmp_path: Path) -> None:
    """A later step with another observation shape than step 0 is refused."""
    from mlops_unity_pipeline.demos.layout import write_records

    records = read_records(anchor("demos/ExpertBasic.demo"))
    obs = records.pairs[4].agent_info.observations[0]
    del obs.shape[:]
    obs.shape.extend([4, 5])
    path = write_records(tmp_path / "shape.demo", records.meta, records.brain, records.pairs)
    assert "differ from step 0" in str(_error(path))


def test_out_of_range_discrete_action(tmp_path: Path) -> None:
    """A discrete action outside its branch is corrupt."""
    from mlops_unity_pipeline.demos.layout import write_records

    records = read_records(anchor("demos/ExpertBasic.demo"))
    records.pairs[1].action_info.vector_actions_deprecated[0] = 3.0
    path = write_records(tmp_path / "act.demo", records.meta, records.brain, records.pairs)
    assert "outside branches [3]" in str(_error(path))


FUZZ_SOURCES = ["ExpertBasic.demo", "test_3DBall_25steps.demo", "test_hybrid_visual.demo"]


@pytest.mark.parametrize("name", FUZZ_SOURCES)
def test_fuzz_never_raises_anything_but_demo_format_error(name: str, tmp_path: Path) -> None:
    """Random truncations, byte flips, insertions and deletions read fine or raise DemoFormatError only."""
    data = anchor(f"demos/{name}").read_bytes()
    rng = np.random.default_rng(12345)
    outcomes = {"ok": 0, "error": 0}
    path = tmp_path / name
    for trial in range(150):
        mutated = bytearray(data)
        kind = trial % 4
        if kind == 0:
            mutated = mutated[: int(rng.integers(0, len(data)))]
        elif kind == 1:
            for _ in range(int(rng.integers(1, 8))):
                mutated[int(rng.integers(0, len(mutated)))] = int(rng.integers(0, 256))
        elif kind == 2:
            at = int(rng.integers(0, len(mutated)))
            mutated[at:at] = rng.integers(0, 256, int(rng.integers(1, 16))).astype(np.uint8).tobytes()
        else:
            at = int(rng.integers(0, len(mutated)))
            del mutated[at : at + int(rng.integers(1, 64))]
        path.write_bytes(bytes(mutated))
        try:
            read_demo(path)
            outcomes["ok"] += 1
        except DemoFormatError as exc:
            assert exc.path == str(path)
            outcomes["error"] += 1
    assert outcomes["error"] > 50  # the mutations do break files, and every break was a DemoFormatError
