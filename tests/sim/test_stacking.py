"""ML-Agents StackingSensor semantics: oldest frame first, zero frames after a reset, bounded sizes."""

from __future__ import annotations

import numpy as np
import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sim.stacking import ObservationStack


def test_new_frame_is_last_and_older_frames_shift_left():
    """Three decisions of a 2-float sensor stacked 3: [f1, f2, f3] oldest first, zeros before the first."""
    stack = ObservationStack(num_agents=1, size=2, stacks=3)
    seen = []
    for value in (1.0, 2.0, 3.0):
        obs = stack.stacked(np.float32([[value, -value]]))
        stack.commit(obs)
        seen.append(obs[0].tolist())
    assert seen == [
        [0.0, 0.0, 0.0, 0.0, 1.0, -1.0],
        [0.0, 0.0, 1.0, -1.0, 2.0, -2.0],
        [1.0, -1.0, 2.0, -2.0, 3.0, -3.0],
    ]


def test_stacked_is_pure_until_commit():
    """Computing an observation twice (final obs, restart) does not advance the stack."""
    stack = ObservationStack(num_agents=2, size=1, stacks=2)
    frames = np.float32([[5.0], [6.0]])
    assert stack.stacked(frames).tolist() == stack.stacked(frames).tolist() == [[0.0, 5.0], [0.0, 6.0]]


def test_clear_zeroes_only_the_given_agents_and_subset_rows_follow_idx():
    """Reset of agent 1 zeroes its history; stacked(frames, idx) reads the histories of idx."""
    stack = ObservationStack(num_agents=3, size=1, stacks=2)
    stack.commit(np.float32([[0.0, 1.0], [0.0, 2.0], [0.0, 3.0]]))
    stack.clear(np.array([1]))
    out = stack.stacked(np.float32([[9.0], [8.0]]), np.array([2, 1]))
    assert out.tolist() == [[3.0, 9.0], [0.0, 8.0]]


@pytest.mark.parametrize(("size", "stacks"), [(0, 3), (2, 0), (2, 65)])
def test_bad_sizes_are_refused(size, stacks):
    """A zero-size frame or a stack count outside 1..64 raises SpecError."""
    with pytest.raises(SpecError, match="stacked observation"):
        ObservationStack(num_agents=1, size=size, stacks=stacks)
