"""Running observation normalizer."""

from __future__ import annotations

import numpy as np
import torch

from mlops_unity_pipeline.rl.normalizer import RunningNormalizer


def test_statistics_match_numpy_with_initial_pseudo_sample():
    """Mean/variance equal numpy's over the data plus ML-Agents' initial pseudo-sample (mean 0, var 1)."""
    rng = np.random.default_rng(0)
    data = rng.normal(3.0, 2.0, size=(500, 4)).astype(np.float32)
    norm = RunningNormalizer(4)
    for chunk in np.array_split(data, 7):
        norm.update(torch.from_numpy(chunk))
    assert float(norm.count) == 501
    expected_mean = data.sum(0) / 501
    np.testing.assert_allclose(norm.mean.numpy(), expected_mean, rtol=1e-4)
    # M2 starts at 1 (the pseudo-sample's variance) and accumulates the squared deviations.
    expected_var = (1.0 + ((data - data.mean(0)) ** 2).sum(0) + 500 * data.mean(0) ** 2 / 501) / 501
    np.testing.assert_allclose(norm.variance.numpy(), expected_var, rtol=1e-3)


def test_forward_normalizes_and_clamps_to_five():
    """Outputs are (x - mean) / std, clamped to ±5."""
    norm = RunningNormalizer(1)
    norm.update(torch.tensor([[1.0], [-1.0]] * 50))
    out = norm(torch.tensor([[0.0], [1000.0], [-1000.0]]))
    assert abs(float(out[0])) < 1e-3
    assert float(out[1]) == 5.0 and float(out[2]) == -5.0


def test_fresh_normalizer_is_identity_inside_the_clamp():
    """Without data the normalizer leaves values in [-5, 5] unchanged."""
    norm = RunningNormalizer(3)
    x = torch.tensor([[0.5, -2.0, 4.0]])
    torch.testing.assert_close(norm(x), x)


def test_state_is_saved_in_state_dict():
    """count/mean/m2 are buffers, so checkpoints carry them."""
    norm = RunningNormalizer(2)
    norm.update(torch.ones(10, 2))
    other = RunningNormalizer(2)
    other.load_state_dict(norm.state_dict())
    torch.testing.assert_close(other.mean, norm.mean)
    assert set(norm.state_dict()) == {"count", "mean", "m2"}
