"""Writing .demo files: ML-Agents' layout, identical read-back, byte-identical rewrite of upstream files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mlops_unity_pipeline.bridge.proto import BrainParametersProto, DemonstrationMetaProto
from mlops_unity_pipeline.demos import DemoStep, DemoWriter, read_demo, write_demo
from mlops_unity_pipeline.demos.layout import (
    BRAIN_PARAMETERS_OFFSET,
    parse_records,
    read_records,
    write_records,
)
from mlops_unity_pipeline.errors import DemoFormatError, SpecError
from mlops_unity_pipeline.spaces import ActionSpec, BehaviorSignature, ObservationSpec
from tests.conftest import anchor

ANCHOR_NAMES = [
    "ExpertBasic.demo",
    "Expert3DBall.demo",
    "Expert3DBallHard.demo",
    "ExpertGridWorld.demo",
    "ExpertPyramid.demo",
    "test_continuous_3DBall.demo",
    "test_3DBall_25steps.demo",
    "test_discrete_visual.demo",
    "test_hybrid_visual.demo",
]

HYBRID = BehaviorSignature(
    name="Hybrid",
    observation_specs=(ObservationSpec((3,), "VectorSensor"), ObservationSpec((3, 4, 5), "Camera")),
    action_spec=ActionSpec(continuous_size=2, discrete_branches=(3, 2)),
)


def _hybrid_steps(count: int, seed: int = 0) -> list[DemoStep]:
    rng = np.random.default_rng(seed)
    steps = []
    for t in range(count):
        steps.append(
            DemoStep(
                obs=(rng.normal(size=3), rng.random((3, 4, 5))),
                reward=float(rng.normal()),
                done=t % 4 == 3,
                max_step_reached=t == 7,
                continuous_actions=rng.uniform(-1, 1, 2),
                discrete_actions=[t % 3, t % 2],
                action_mask=rng.random(5) > 0.3 if t % 2 else None,
                agent_id=-5,
                group_id=t % 2,
                group_reward=0.25 * t,
            )
        )
    return steps


@pytest.mark.parametrize("name", ANCHOR_NAMES)
def test_anchor_records_rewrite_byte_identical(name: str, tmp_path: Path) -> None:
    """Re-writing an upstream file's records reproduces its bytes (up to ignored trailing bytes)."""
    source = anchor(f"demos/{name}")
    records = read_records(source)
    out = write_records(tmp_path / name, records.meta, records.brain, records.pairs)
    original = source.read_bytes()
    assert out.read_bytes() == original[: len(original) - records.trailing_bytes]


@pytest.mark.parametrize(
    "name", ["ExpertBasic.demo", "Expert3DBall.demo", "test_hybrid_visual.demo", "ExpertGridWorld.demo"]
)
def test_anchor_rewritten_by_write_demo_reads_back_identically(name: str, tmp_path: Path) -> None:
    """read_demo → write_demo → read_demo keeps signature, counts, mean reward and every step."""
    demo = read_demo(anchor(f"demos/{name}"))
    out = write_demo(tmp_path / "copy.demo", demo.signature, demo.steps, name=demo.meta.name)
    back = read_demo(out)
    assert back.signature == demo.signature
    assert back.meta.number_steps == demo.meta.number_steps
    assert back.steps == demo.steps
    # episodes are counted from done flags: upstream counts the episode cut by stopping the recorder too
    assert back.meta.number_episodes == sum(s.done for s in demo.steps)
    assert back.meta.mean_reward == pytest.approx(
        sum(s.reward for s in demo.steps) / back.meta.number_episodes if back.meta.number_episodes else 0.0,
        rel=1e-5,
    )


def test_roundtrip_hybrid_with_masks_and_groups(tmp_path: Path) -> None:
    """Every DemoStep field survives a write/read, including masks, groups and negative agent ids."""
    steps = _hybrid_steps(12)
    out = write_demo(tmp_path / "h.demo", HYBRID, steps)
    demo = read_demo(out)
    assert demo.signature == HYBRID
    assert demo.steps == steps
    assert demo.meta.name == "h" and demo.meta.api_version == 1
    assert demo.meta.number_steps == 12 and demo.meta.number_episodes == 3
    assert demo.meta.mean_reward == pytest.approx(sum(np.float32(s.reward) for s in steps) / 3, rel=1e-5)


def test_layout_meta_at_zero_brain_at_33(tmp_path: Path) -> None:
    """The file has the delimited meta at 0, zero padding, the brain parameters at byte 33."""
    out = write_demo(tmp_path / "l.demo", HYBRID, _hybrid_steps(4))
    data = out.read_bytes()
    meta_len = data[0]
    meta = DemonstrationMetaProto.FromString(data[1 : 1 + meta_len])
    assert meta.number_steps == 4 and meta.number_episodes == 1
    assert data[1 + meta_len : BRAIN_PARAMETERS_OFFSET] == bytes(BRAIN_PARAMETERS_OFFSET - 1 - meta_len)
    brain_len = data[BRAIN_PARAMETERS_OFFSET]
    brain = BrainParametersProto.FromString(
        data[BRAIN_PARAMETERS_OFFSET + 1 : BRAIN_PARAMETERS_OFFSET + 1 + brain_len]
    )
    assert brain.brain_name == "Hybrid"
    assert brain.action_spec.num_continuous_actions == 2
    assert list(brain.action_spec.discrete_branch_sizes) == [3, 2]
    assert len(parse_records(data).pairs) == 4


def test_png_observations_roundtrip_within_8_bits(tmp_path: Path) -> None:
    """png=True stores visual observations as (concatenated) PNGs that decode within 1/255."""
    signature = BehaviorSignature(
        "Cam",
        (
            ObservationSpec((5, 6, 7), "Cam5"),
            ObservationSpec((1, 6, 7), "Gray"),
            ObservationSpec((3, 6, 7), "RGB"),
        ),
        ActionSpec(0, (2,)),
    )
    rng = np.random.default_rng(1)
    steps = [
        DemoStep(
            obs=(rng.random((5, 6, 7)), rng.random((1, 6, 7)), rng.random((3, 6, 7))), discrete_actions=[1]
        )
    ]
    out = write_demo(tmp_path / "png.demo", signature, steps, png=True)
    records = read_records(out)
    observations = records.pairs[0].agent_info.observations
    assert all(o.compression_type == 1 for o in observations)
    assert observations[0].compressed_data.count(b"\x89PNG") == 2  # 5 channels = two RGB PNGs
    assert list(observations[0].compressed_channel_mapping) == [0, 1, 2, 3, 4, -1]
    back = read_demo(out).steps[0]
    for got, want in zip(back.obs, steps[0].obs, strict=True):
        assert got.shape == want.shape
        assert np.max(np.abs(got - want)) <= 0.5 / 255 + 1e-6


def test_writer_rejects_mismatched_steps(tmp_path: Path) -> None:
    """Steps whose shapes, action sizes or mask size disagree with the signature raise DemoFormatError."""
    good = _hybrid_steps(1)[0]
    bad_obs = DemoStep(obs=(np.zeros(4), good.obs[1]), continuous_actions=[0, 0], discrete_actions=[0, 0])
    bad_act = DemoStep(obs=good.obs, continuous_actions=[0], discrete_actions=[0, 0])
    bad_mask = DemoStep(obs=good.obs, continuous_actions=[0, 0], discrete_actions=[0, 0], action_mask=[True])
    for step, match in ((bad_obs, "observations"), (bad_act, "actions"), (bad_mask, "mask")):
        with pytest.raises(DemoFormatError, match=match):
            write_demo(tmp_path / "bad.demo", HYBRID, [step])


def test_name_limits(tmp_path: Path) -> None:
    """Names over 16 characters are refused; default names come from the file stem, shortened to fit."""
    with pytest.raises(SpecError, match="16"):
        write_demo(tmp_path / "a.demo", HYBRID, [], name="x" * 17)
    out = write_demo(tmp_path / "a-very-long-file-name-indeed.demo", HYBRID, _hybrid_steps(2))
    assert read_demo(out).meta.name == "averylongfilenam"


def test_meta_stays_within_reserved_bytes_for_big_counts(tmp_path: Path) -> None:
    """With large counts the name is shortened so the meta never overruns byte 33."""
    signature = BehaviorSignature("B", (ObservationSpec((1,)),), ActionSpec(0, (2,)))
    steps = [DemoStep(obs=(np.zeros(1),), discrete_actions=[0], done=True, reward=1.0)] * 20000
    with DemoWriter(tmp_path / "big.demo", signature, name="sixteen_chars_xx") as writer:
        for step in steps:
            writer.record(step)
    demo = read_demo(tmp_path / "big.demo")
    assert demo.meta.number_steps == demo.meta.number_episodes == 20000
    assert demo.meta.name.startswith("sixteen_chars")


def test_closed_writer_refuses_steps(tmp_path: Path) -> None:
    """Recording after close raises DemoFormatError; close is idempotent."""
    writer = DemoWriter(tmp_path / "c.demo", HYBRID)
    writer.close()
    writer.close()
    with pytest.raises(DemoFormatError, match="closed"):
        writer.record(_hybrid_steps(1)[0])


def test_png_rewrite_of_height_width_channels_anchor(tmp_path: Path) -> None:
    """test_discrete_visual ([84, 84, 3] PNG) re-written as PNG keeps its layout and reads back exactly."""
    demo = read_demo(anchor("demos/test_discrete_visual.demo"))
    out = write_demo(tmp_path / "vis.demo", demo.signature, demo.steps, png=True)
    observation = read_records(out).pairs[0].agent_info.observations[0]
    assert observation.compressed_data.count(b"\x89PNG") == 1 and not observation.compressed_channel_mapping
    assert list(observation.dimension_properties) == [2, 2, 1]
    assert read_demo(out).steps == demo.steps  # 8-bit pixels survive PNG exactly


def test_png_rewrite_of_channels_first_anchor(tmp_path: Path) -> None:
    """test_hybrid_visual ([3, 84, 84] PNG) re-written as PNG reads back exactly, channels-first."""
    demo = read_demo(anchor("demos/test_hybrid_visual.demo"))
    out = write_demo(tmp_path / "hyb.demo", demo.signature, demo.steps, png=True)
    observation = read_records(out).pairs[0].agent_info.observations[0]
    assert list(observation.dimension_properties) == [1, 2, 2]
    assert read_demo(out).steps == demo.steps
