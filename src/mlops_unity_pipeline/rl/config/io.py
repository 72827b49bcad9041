"""Reading and writing trainer configuration files (YAML), strictly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ... import _validate as _v
from ...errors import ConfigError
from .run import RunOptions


def parse_yaml(text: str, source: str = "<string>") -> Any:
    """Parse YAML text strictly and within ``_validate``'s input bounds (safe types, no duplicate keys).

    Args:
        text: the YAML document.
        source: file name for error messages.

    Returns:
        The parsed document.

    Raises:
        ConfigError: invalid YAML (with line and column), a duplicate key, or a document that is too large,
            too deeply nested or expands too far through aliases.

    """
    return _v.parse_yaml(text, source, error=ConfigError)


def load_run_options(path: Path | str) -> RunOptions:
    """Load an ML-Agents trainer configuration file strictly.

    Args:
        path: the YAML file (``config/ppo/3DBall.yaml``).

    Returns:
        The validated, fully resolved options.

    Raises:
        ConfigError: the file is missing, not YAML, empty, or has an unknown key / bad value; the message
            starts with the file name and names the section path.

    """
    path = Path(path)
    data = _v.load_document(path, what="trainer configuration", error=ConfigError)
    if data is None:
        raise ConfigError(f"{path}: the file is empty (expected a mapping with a 'behaviors' section)")
    return RunOptions.from_dict(data, source=str(path))


def dump_yaml(options: RunOptions) -> str:
    """Render the fully resolved configuration as YAML text (``mlagents-learn`` accepts it)."""
    return yaml.safe_dump(options.to_dict(), sort_keys=False, default_flow_style=False)


def dump_run_options(options: RunOptions, path: Path | str) -> Path:
    """Write the fully resolved configuration to ``path`` (atomically: a temp file renamed into place).

    Args:
        options: the options.
        path: destination file; parent folders are created.

    Returns:
        The written path.

    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(dump_yaml(options), encoding="utf-8")
    tmp.replace(path)
    return path
