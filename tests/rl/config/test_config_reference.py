"""Every schema field is documented, and docs/configuration.md holds the generated field reference."""

from __future__ import annotations

import dataclasses

import pytest

from mlops_unity_pipeline.rl.config.reference import (
    BEGIN,
    END,
    SECTIONS,
    field_docs,
    schema_reference_markdown,
)
from tests.conftest import REPO_ROOT


@pytest.mark.parametrize("cls", [cls for _, cls in SECTIONS], ids=lambda c: c.__name__)
def test_every_field_has_a_docstring(cls: type) -> None:
    """Each field of each settings class has a docstring line under it."""
    docs = field_docs(cls)
    missing = [f.name for f in dataclasses.fields(cls) if not docs.get(f.name)]
    assert not missing, f"{cls.__name__} fields without docstring: {missing}"


def test_field_docs_include_inherited_fields() -> None:
    """GAIL's docs include the base reward signal fields (gamma, strength)."""
    from mlops_unity_pipeline.rl.config import GAILSettings

    docs = field_docs(GAILSettings)
    assert docs["gamma"].startswith("Discount factor") and docs["demo_path"].startswith("Required")


def test_docs_page_matches_generated_reference() -> None:
    """docs/configuration.md holds exactly the generated reference (regenerate: the module's __main__)."""
    page = (REPO_ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert BEGIN in page and END in page
    start = page.index(BEGIN)
    end = page.index(END) + len(END) + 1
    assert page[start:end] == schema_reference_markdown(), (
        "docs/configuration.md is out of date: python -m mlops_unity_pipeline.rl.config.reference"
    )


def test_reference_lists_ml_agents_defaults() -> None:
    """Spot-check the generated tables against upstream settings.py defaults."""
    text = schema_reference_markdown()
    assert "| `batch_size` | `1024` |" in text and "| `buffer_size` | `50000` |" in text
    assert "| `base_port` | `5005` |" in text and '| `run_id` | `"ppo"` |' in text
    assert "| `intervals` | `[[0.0, 1.0]]` |" in text
