"""The demos package's public names are pinned."""

from __future__ import annotations

import mlops_unity_pipeline.demos as demos


def test_demos_all_is_pinned() -> None:
    """__all__ lists the documented demo API, sorted, and every name resolves."""
    assert demos.__all__ == [
        "DemoDataset",
        "DemoMeta",
        "DemoStep",
        "DemoWriter",
        "Demonstration",
        "demo_files",
        "load_demonstrations",
        "read_demo",
        "to_dataset",
        "write_demo",
    ]
    assert all(hasattr(demos, name) for name in demos.__all__)
