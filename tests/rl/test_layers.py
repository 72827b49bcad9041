"""linear_layer: Kaiming-He normal weights scaled by the gain, zero bias (ML-Agents' initialization)."""

from __future__ import annotations

import math

import pytest
import torch

from mlops_unity_pipeline.rl.layers import linear_layer


@pytest.mark.parametrize("gain", [1.0, 0.2, 1.41])
def test_weights_are_kaiming_normal_times_gain_and_bias_is_zero(gain):
    """Weight std is gain / sqrt(fan_in) (within sampling error); the bias starts at 0."""
    torch.manual_seed(0)
    layer = linear_layer(400, 300, gain)
    expected = gain / math.sqrt(400)
    assert abs(float(layer.weight.std()) / expected - 1.0) < 0.02
    assert abs(float(layer.weight.mean())) < 0.02 * expected
    assert torch.count_nonzero(layer.bias) == 0
    assert layer.weight.shape == (300, 400)
