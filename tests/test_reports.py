"""Charts of the report (``reports.py``): written whole, into created folders, errors named."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline.errors import StoreError
from mlops_unity_pipeline.reports import evaluation_chart_png, learning_curve_png

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_learning_curve_and_evaluation_chart_write_whole_pngs_and_no_temporary_files(tmp_path):
    """Both charts land as PNG files in created folders, with no temporary file left beside them."""
    curve = learning_curve_png([(0, -1.0), (100, 0.5)], tmp_path / "a" / "curve.png", baseline=-0.5)
    chart = evaluation_chart_png(
        [("trained", 1.0, 0.1, 0.9), ("random", -1.0, 0.2, None)], tmp_path / "b.png"
    )
    assert curve.read_bytes().startswith(PNG_MAGIC) and chart.read_bytes().startswith(PNG_MAGIC)
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["b.png", "curve.png"]


def test_chart_into_a_path_under_a_file_raises_store_error_naming_it(tmp_path):
    """A destination whose folder is a file gives StoreError naming the chart, not an OSError."""
    (tmp_path / "blocker").write_text("x")
    with pytest.raises(StoreError, match="blocker"):
        learning_curve_png([(0, 0.0), (1, 1.0)], tmp_path / "blocker" / "curve.png")
