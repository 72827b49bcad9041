"""to_dataset: make_demo_buffer pairing (obs/action at t, reward/done at t+1) and spec checks."""

from __future__ import annotations

import numpy as np
import pytest

from mlops_unity_pipeline.demos import Demonstration, DemoStep, read_demo
from mlops_unity_pipeline.demos.dataset import to_dataset
from mlops_unity_pipeline.demos.model import DemoMeta
from mlops_unity_pipeline.errors import DemoFormatError
from mlops_unity_pipeline.spaces import ActionSpec, BehaviorSignature, ObservationSpec
from tests.conftest import anchor

SIG = BehaviorSignature("B", (ObservationSpec((2,)),), ActionSpec(1, (3,)))


def demo(rewards: list[float], dones: list[bool], offset: float = 0.0) -> Demonstration:
    steps = [
        DemoStep(
            obs=(np.array([t + offset, -t]),),
            reward=r,
            done=d,
            continuous_actions=[t / 10],
            discrete_actions=[t % 3],
        )
        for t, (r, d) in enumerate(zip(rewards, dones, strict=True))
    ]
    meta = DemoMeta("d", 1, len(steps), sum(dones), 0.0)
    return Demonstration(path=None, meta=meta, signature=SIG, steps=steps)


def test_pairs_obs_action_t_with_reward_done_t_plus_1() -> None:
    """Row t = obs_t, action_t, reward_{t+1}, done_{t+1}, next_obs = obs_{t+1}; the last starts none."""
    data = to_dataset([demo([0.0, 1.0, 2.0, 3.0], [False, False, True, False])], SIG)
    assert len(data) == 3
    np.testing.assert_array_equal(data.obs[0][:, 0], [0, 1, 2])
    np.testing.assert_array_equal(data.next_obs[0][:, 0], [1, 2, 3])
    np.testing.assert_array_equal(data.rewards, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(data.dones, [False, True, False])
    np.testing.assert_allclose(data.actions.continuous[:, 0], [0.0, 0.1, 0.2])
    np.testing.assert_array_equal(data.actions.discrete[:, 0], [0, 1, 2])
    assert data.obs[0].dtype == np.float32 and data.actions.discrete.dtype == np.int32


def test_files_are_not_paired_with_each_other() -> None:
    """Two files give (n1-1)+(n2-1) rows; no row spans files."""
    data = to_dataset([demo([0, 1, 2], [False] * 3), demo([5, 6], [False, True], offset=100)], SIG)
    assert len(data) == 3
    np.testing.assert_array_equal(data.obs[0][:, 0], [0, 1, 100])
    np.testing.assert_array_equal(data.rewards, [1, 2, 6])


def test_action_spec_mismatch_shows_both_specs() -> None:
    """A demo with another action spec names both specs in the error."""
    other = BehaviorSignature("B", (ObservationSpec((2,)),), ActionSpec(2))
    with pytest.raises(DemoFormatError) as info:
        to_dataset([demo([0, 1], [False, True])], other)
    message = str(info.value)
    assert "demo has observations [[2]], actions continuous=1 discrete=[3]" in message
    assert "environment expects observations [[2]], actions continuous=2 discrete=[]" in message


def test_observation_shape_mismatch_on_anchor() -> None:
    """Expert3DBallHard ([45]) against a 3DBall signature ([8]) fails naming the file and both shapes."""
    hard = read_demo(anchor("demos/Expert3DBallHard.demo"))
    ball = BehaviorSignature("3DBall", (ObservationSpec((8,)),), ActionSpec(2))
    with pytest.raises(DemoFormatError) as info:
        to_dataset([hard], ball)
    assert "[[45]]" in str(info.value) and "[[8]]" in str(info.value)
    assert "Expert3DBallHard.demo" in str(info.value)


def test_no_usable_steps() -> None:
    """Demonstrations with fewer than two steps give no rows: an error, not an empty dataset."""
    with pytest.raises(DemoFormatError, match="at least two steps"):
        to_dataset([demo([0.0], [True])], SIG)


def test_anchor_dataset_sizes() -> None:
    """Two 3DBall anchors together give steps-1 rows each, with ML-Agents' reward pairing."""
    files = [
        read_demo(anchor("demos/Expert3DBall.demo")),
        read_demo(anchor("demos/test_continuous_3DBall.demo")),
    ]
    signature = BehaviorSignature("3DBall", (ObservationSpec((8,)),), ActionSpec(2))
    data = to_dataset(files, signature)
    assert len(data) == 548 + 2143
    assert data.actions.continuous.shape == (2691, 2) and data.actions.discrete.shape == (2691, 0)
    assert data.rewards.sum() == pytest.approx(sum(s.reward for d in files for s in d.steps[1:]), rel=1e-5)
    assert int(data.dones.sum()) == sum(s.done for d in files for s in d.steps[1:])
