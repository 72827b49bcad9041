"""Demonstrations as tensors: pairing, masks, terminals, spec matching on shapes (not names), hashes."""

from __future__ import annotations

import hashlib
import shutil

import numpy as np
import pytest

from mlops_unity_pipeline import sim
from mlops_unity_pipeline.demos import load_demonstrations
from mlops_unity_pipeline.demos.dataset import to_dataset
from mlops_unity_pipeline.errors import DemoFormatError
from mlops_unity_pipeline.rl.offline.data import demo_sha256, load_transitions
from tests.conftest import anchor


def test_basic_demo_rows_masks_and_terminals():
    """ExpertBasic (behavior 'BasicLearning') loads for the sim's 'Basic': 72 rows, all-allowed masks."""
    env = sim.make("Basic")
    data = load_transitions(anchor("demos/ExpertBasic.demo"), env.signature)
    reference = to_dataset(load_demonstrations(anchor("demos/ExpertBasic.demo")), env.signature)
    assert len(data) == len(reference) == 72
    assert data.obs.shape == (72, 20) and data.masks.shape == (72, 3)
    assert float(data.masks.min()) == 1.0
    np.testing.assert_array_equal(data.discrete.numpy(), reference.actions.discrete)
    np.testing.assert_array_equal(data.rewards.numpy(), reference.rewards)
    # Basic episodes end on a goal (terminal), never on max step.
    np.testing.assert_array_equal(data.terminals.numpy().astype(bool), reference.dones)
    assert data.files == (anchor("demos/ExpertBasic.demo"),)


def test_folder_of_demos_concatenates_in_name_order(tmp_path):
    """A folder with both 3DBall anchors gives the rows of both files, flattened to (N, 8)."""
    for name in ("Expert3DBall.demo", "test_continuous_3DBall.demo"):
        shutil.copyfile(anchor(f"demos/{name}"), tmp_path / name)
    env = sim.make("3DBall")
    data = load_transitions(tmp_path, env.signature)
    assert len(data) == 548 + 2143
    assert data.obs.shape == (2691, 8) and data.continuous.shape == (2691, 2)
    assert float(data.continuous.abs().max()) <= 1.0


def test_spec_mismatch_shows_both_specs():
    """3DBallHard's 45-float observations do not fit the sim's 3DBall: both specs are in the message."""
    env = sim.make("3DBall")
    with pytest.raises(
        DemoFormatError, match=r"demo has observations \[\[45\]\].*expects observations \[\[8\]\]"
    ):
        load_transitions(anchor("demos/Expert3DBallHard.demo"), env.signature)


def test_missing_path_names_it(tmp_path):
    """A path that does not exist is a DemoFormatError naming the path."""
    env = sim.make("Basic")
    with pytest.raises(DemoFormatError, match="nothing.demo"):
        load_transitions(tmp_path / "nothing.demo", env.signature)
    with pytest.raises(DemoFormatError, match="nothing.demo"):
        demo_sha256(tmp_path / "nothing.demo")


def test_sha256_of_file_and_folder(tmp_path):
    """demo_sha256 hashes each .demo file (folders: only *.demo) like hashlib."""
    src = anchor("demos/ExpertBasic.demo")
    shutil.copyfile(src, tmp_path / "a.demo")
    (tmp_path / "notes.txt").write_text("not a demo")
    expected = hashlib.sha256(src.read_bytes()).hexdigest()
    assert demo_sha256(tmp_path) == {str(tmp_path / "a.demo"): expected}
    assert demo_sha256(src) == {str(src): expected}
