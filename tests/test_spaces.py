"""The typed hand-offs of ``spaces``: selecting agents of a ``StepBatch``."""

from __future__ import annotations

import numpy as np

from mlops_unity_pipeline.spaces import StepBatch


def _batch(n: int, *, grouped: bool) -> StepBatch:
    ids = np.arange(n)
    return StepBatch(
        obs=(ids[:, None].astype(np.float32) * np.ones((n, 3), np.float32), -ids.astype(np.float32)[:, None]),
        reward=ids.astype(np.float32) / 10,
        terminated=ids % 2 == 0,
        truncated=ids % 3 == 0,
        final_obs=(ids[:, None] + np.zeros((n, 3), np.float32), ids.astype(np.float32)[:, None]),
        action_mask=np.stack([ids % 2 == 0, ids % 2 == 1], axis=1),
        success=ids == 1,
        group_id=ids.astype(np.int32) // 2 if grouped else None,
        group_reward=ids.astype(np.float32) * 2 if grouped else None,
        team_id=(ids % 2).astype(np.int32) if grouped else None,
    )


def test_select_keeps_every_per_agent_field_of_the_chosen_rows_in_their_order():
    """select(rows) picks the same rows, in the given order, from each field (optional ones included)."""
    batch = _batch(6, grouped=True)
    rows = np.array([4, 1])
    picked = batch.select(rows)
    for name in StepBatch._fields:
        whole, part = getattr(batch, name), getattr(picked, name)
        if isinstance(whole, tuple):
            assert all(np.array_equal(w[rows], p) for w, p in zip(whole, part, strict=True)), name
        else:
            assert np.array_equal(whole[rows], part), name
    assert picked.reward.tolist() == [np.float32(0.4), np.float32(0.1)]


def test_select_leaves_absent_optional_fields_absent_and_accepts_a_mask():
    """Fields a batch does not have stay None; a boolean mask selects like the indices it marks."""
    batch = _batch(4, grouped=False)
    picked = batch.select(np.array([False, True, False, True]))
    assert picked.group_id is None and picked.group_reward is None and picked.team_id is None
    assert np.array_equal(picked.obs[1], batch.obs[1][[1, 3]])
