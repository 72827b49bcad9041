"""Trainer tests run torch on one thread, as ``rl.learn`` does (small networks; a shared, loaded CPU)."""

from __future__ import annotations

import pytest
import torch


@pytest.fixture(autouse=True, scope="session")
def _one_torch_thread():
    """Pin torch to one intra-op thread for the session, restoring the previous setting afterwards."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)
