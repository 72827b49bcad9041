"""Cross-check with real ML-Agents 1.1.0: its demo_loader reads our files and pairs steps as we do.

Needs a Python with ``mlagents`` 1.1.0: the session fixture ``mlagents_python`` (``MLAGENTS_PYTHON``, or
``.venv-mlagents`` built once per run from ``scripts/mlagents-venv.lock``); skipped with the reason otherwise.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from mlops_unity_pipeline.demos import read_demo, write_demo
from mlops_unity_pipeline.demos.dataset import to_dataset
from mlops_unity_pipeline.demos.record import record_demo
from tests.conftest import anchor

SCRIPT = r"""
import sys, numpy as np
from mlagents.trainers.demo_loader import demo_to_buffer
from mlagents.trainers.buffer import BufferKey, ObservationKeyPrefix
path, out = sys.argv[1], sys.argv[2]
spec, buf = demo_to_buffer(path, 1)
arrays = {
    "rewards": np.asarray(buf[BufferKey.ENVIRONMENT_REWARDS].get_batch(), np.float32),
    "dones": np.asarray(buf[BufferKey.DONE].get_batch(), bool),
    "continuous_size": np.asarray(spec.action_spec.continuous_size),
    "branches": np.asarray(spec.action_spec.discrete_branches, np.int64),
    "num_obs": np.asarray(len(spec.observation_specs)),
}
for i, o in enumerate(spec.observation_specs):
    arrays[f"obs_{i}"] = np.asarray(buf[(ObservationKeyPrefix.OBSERVATION, i)].get_batch(), np.float32)
    arrays[f"shape_{i}"] = np.asarray(o.shape)
if spec.action_spec.continuous_size:
    arrays["continuous"] = np.asarray(buf[BufferKey.CONTINUOUS_ACTION].get_batch(), np.float32)
if spec.action_spec.discrete_branches:
    arrays["discrete"] = np.asarray(buf[BufferKey.DISCRETE_ACTION].get_batch(), np.float32)
np.savez(out, **arrays)
"""


def _mlagents_buffer(python: Path, demo_path: Path, tmp_path: Path) -> dict[str, np.ndarray]:
    out = tmp_path / f"{demo_path.stem}.npz"
    result = subprocess.run(
        [str(python), "-c", SCRIPT, str(demo_path), str(out)], capture_output=True, text=True, timeout=240
    )
    assert result.returncode == 0, result.stderr[-2000:]
    with np.load(out) as data:
        return dict(data)


def _compare(python: Path, demo_path: Path, tmp_path: Path) -> None:
    theirs = _mlagents_buffer(python, demo_path, tmp_path)
    demo = read_demo(demo_path)
    ours = to_dataset([demo], demo.signature)
    spec = demo.signature.action_spec
    assert int(theirs["continuous_size"]) == spec.continuous_size
    assert tuple(theirs["branches"].tolist()) == spec.discrete_branches
    assert int(theirs["num_obs"]) == len(demo.signature.observation_specs)
    for i, obs_spec in enumerate(demo.signature.observation_specs):
        assert tuple(theirs[f"shape_{i}"].tolist()) == obs_spec.shape
        np.testing.assert_allclose(theirs[f"obs_{i}"], ours.obs[i], atol=1e-6)
    np.testing.assert_allclose(theirs["rewards"], ours.rewards, atol=1e-6)
    np.testing.assert_array_equal(theirs["dones"], ours.dones)
    if spec.continuous_size:
        np.testing.assert_allclose(theirs["continuous"], ours.actions.continuous, atol=1e-6)
    if spec.discrete_branches:
        np.testing.assert_array_equal(theirs["discrete"].astype(np.int32), ours.actions.discrete)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["ExpertBasic.demo", "Expert3DBall.demo", "test_hybrid_visual.demo"])
def test_mlagents_and_we_agree_on_anchor(name: str, tmp_path: Path, mlagents_python: Path) -> None:
    """On upstream files, ML-Agents' demo_to_buffer and our to_dataset give the same arrays."""
    _compare(mlagents_python, anchor(f"demos/{name}"), tmp_path)


@pytest.mark.slow
def test_mlagents_reads_our_recordings(tmp_path: Path, mlagents_python: Path) -> None:
    """Our recordings (Basic, 3DBall) and a PNG re-write load in ML-Agents with the same arrays."""
    _compare(mlagents_python, record_demo("Basic", episodes=3, out=tmp_path / "basic.demo", seed=0), tmp_path)
    _compare(mlagents_python, record_demo("3DBall", episodes=1, out=tmp_path / "ball.demo", seed=0), tmp_path)
    hybrid = read_demo(anchor("demos/test_hybrid_visual.demo"))
    rewritten = write_demo(tmp_path / "hybrid.demo", hybrid.signature, hybrid.steps, png=True)
    _compare(mlagents_python, rewritten, tmp_path)
