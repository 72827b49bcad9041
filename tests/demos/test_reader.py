"""Reading ML-Agents .demo files: every upstream anchor decodes with the counts MANIFEST.md lists."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from mlops_unity_pipeline.demos import demo_files, load_demonstrations, read_demo
from mlops_unity_pipeline.errors import DemoFormatError
from mlops_unity_pipeline.spaces import ActionSpec
from tests.conftest import anchor

# (file, behavior name, steps, episodes, mean reward, observation shapes, action spec) from
# shared/anchors/mlagents/MANIFEST.md; mean rewards to the digits listed there.
ANCHORS = [
    ("ExpertBasic.demo", "BasicLearning", 73, 11, 0.844, [(20,)], ActionSpec(0, (3,))),
    ("Expert3DBall.demo", "3DBallLearning", 549, 1, 54.80, [(8,)], ActionSpec(2)),
    ("Expert3DBallHard.demo", "3DBallHardLearning", 276, 1, 27.50, [(45,)], ActionSpec(2)),
    ("ExpertGridWorld.demo", "GridWorld?team=0", 53, 14, 0.91, [(64, 84, 3)], ActionSpec(0, (5,))),
    ("ExpertHallway.demo", "Hallway", 4395, 91, 0.870, [(105,), (3,)], ActionSpec(0, (5,))),
    ("ExpertPushBlock.demo", "PushBlock", 2558, 96, 4.92, [(105,), (105,)], ActionSpec(0, (7,))),
    (
        "ExpertPyramid.demo",
        "Pyramids?team=0",
        1751,
        10,
        1.63,
        [(56,), (56,), (56,), (4,)],
        ActionSpec(0, (5,)),
    ),
    ("test_continuous_3DBall.demo", "3DBall?team=0", 2144, 22, 9.70, [(8,)], ActionSpec(2)),
    ("test_3DBall_25steps.demo", "3DBall", 25, None, None, [(8,)], ActionSpec(2)),
    (
        "test_discrete_visual.demo",
        "VisualFoodCollectorLearning",
        38,
        None,
        None,
        [(84, 84, 3), (0,)],
        ActionSpec(0, (3, 3, 3, 2)),
    ),
    (
        "test_hybrid_visual.demo",
        "VisualFoodCollector?team=0",
        25,
        None,
        4.0,
        [(3, 84, 84), (1,)],
        ActionSpec(3, (2,)),
    ),
]


@pytest.mark.parametrize(
    ("name", "behavior", "steps", "episodes", "mean_reward", "shapes", "action_spec"),
    ANCHORS,
    ids=[a[0] for a in ANCHORS],
)
def test_anchor_reads_with_manifest_values(
    name, behavior, steps, episodes, mean_reward, shapes, action_spec
) -> None:
    """Each upstream .demo reads with MANIFEST.md's behavior, counts, mean reward, shapes and action spec."""
    demo = read_demo(anchor(f"demos/{name}"))
    assert demo.behavior_name == behavior
    assert demo.meta.number_steps == steps == len(demo.steps)
    if episodes is not None:
        assert demo.meta.number_episodes == episodes
    if mean_reward is not None:
        assert demo.meta.mean_reward == pytest.approx(mean_reward, abs=0.006)
    assert demo.observation_shapes == shapes
    assert demo.signature.action_spec == action_spec
    for step in demo.steps:
        assert [o.shape for o in step.obs] == shapes
        assert step.continuous_actions.shape == (action_spec.continuous_size,)
        assert step.discrete_actions.shape == (action_spec.discrete_size,)
        for value, branch in zip(step.discrete_actions, action_spec.discrete_branches, strict=True):
            assert 0 <= value < branch
    # the meta's mean reward is the recorded rewards' sum over the episodes (DemonstrationWriter)
    if demo.meta.number_episodes:
        total = sum(s.reward for s in demo.steps)
        assert total / demo.meta.number_episodes == pytest.approx(demo.meta.mean_reward, rel=1e-4, abs=1e-4)


def test_legacy_discrete_actions_come_from_vector_actions() -> None:
    """ExpertBasic stores actions in vector_actions_deprecated: read as the discrete branch index."""
    demo = read_demo(anchor("demos/ExpertBasic.demo"))
    first = demo.steps[0]
    assert first.discrete_actions.dtype == np.int32
    assert first.discrete_actions.tolist() == [2]  # the expert walks right towards the large goal
    assert first.obs[0].argmax() == 10 and first.obs[0].sum() == 1.0  # one-hot start position


def test_png_observations_decode_channels_first_and_last() -> None:
    """PNG visual observations decode to [0,1] floats in the stated layout (HWC old, CHW new)."""
    hwc = read_demo(anchor("demos/test_discrete_visual.demo")).steps[0].obs[0]
    chw = read_demo(anchor("demos/test_hybrid_visual.demo")).steps[0].obs[0]
    for image in (hwc, chw):
        assert image.dtype == np.float32
        assert 0.0 <= image.min() and image.max() <= 1.0
        assert image.std() > 0.01  # a real picture, not a constant
        assert np.allclose(image * 255.0, np.rint(image * 255.0), atol=1e-3)  # 8-bit pixels
    assert hwc.shape == (84, 84, 3) and chw.shape == (3, 84, 84)


def test_float_visual_observation_is_not_png() -> None:
    """ExpertGridWorld stores its [64,84,3] camera as raw floats."""
    demo = read_demo(anchor("demos/ExpertGridWorld.demo"))
    assert demo.steps[0].obs[0].shape == (64, 84, 3)


def test_current_action_fields_hybrid() -> None:
    """test_hybrid_visual uses ActionSpecProto and continuous/discrete action fields."""
    demo = read_demo(anchor("demos/test_hybrid_visual.demo"))
    step = demo.steps[0]
    assert step.continuous_actions.shape == (3,) and step.discrete_actions.shape == (1,)
    assert demo.signature.observation_specs[0].name == "CameraSensor"


def test_action_masks_read_as_allowed() -> None:
    """GridWorld records action masks; the proto's 'masked' flags become True = allowed."""
    demo = read_demo(anchor("demos/ExpertGridWorld.demo"))
    masked = [s for s in demo.steps if s.action_mask is not None]
    assert len(masked) == 35
    assert all(step.action_mask.shape == (5,) and step.action_mask.any() for step in masked)
    # the expert almost always takes an allowed action (33 of 35); with the flags inverted it would be 2 of 35
    allowed = sum(bool(step.action_mask[step.discrete_actions[0]]) for step in masked)
    assert allowed == 33


def test_load_directory_and_single_file(tmp_path: Path) -> None:
    """A folder loads every *.demo in name order; other files are ignored."""
    for name in ("b.demo", "a.demo"):
        shutil.copy(anchor("demos/test_3DBall_25steps.demo"), tmp_path / name)
    (tmp_path / "notes.txt").write_text("not a demo")
    demos = load_demonstrations(tmp_path)
    assert [d.path.name for d in demos] == ["a.demo", "b.demo"]
    assert all(d.meta.number_steps == 25 for d in demos)
    assert len(load_demonstrations(tmp_path / "a.demo")) == 1
    assert demo_files(tmp_path) == [tmp_path / "a.demo", tmp_path / "b.demo"]


def test_bad_paths(tmp_path: Path) -> None:
    """Missing path, empty folder, wrong suffix and a folder given to read_demo fail clearly."""
    with pytest.raises(FileNotFoundError):
        load_demonstrations(tmp_path / "missing.demo")
    with pytest.raises(DemoFormatError, match="no .demo files"):
        load_demonstrations(tmp_path)
    (tmp_path / "x.txt").write_text("x")
    with pytest.raises(DemoFormatError, match="expected a .demo file"):
        load_demonstrations(tmp_path / "x.txt")
    with pytest.raises(DemoFormatError, match="is a directory"):
        read_demo(tmp_path)
