"""Reading and writing trainer configuration files (YAML), strictly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ...errors import ConfigError
from .run import RunOptions


class _StrictLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses duplicate keys (PyYAML silently keeps the last one)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        line = key_node.start_mark.line + 1
        if key in seen:
            raise ConfigError(f"duplicate key {key!r} at line {line} (first at line {seen[key]})")
        seen[key] = line
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_yaml(text: str, source: str = "<string>") -> Any:
    """Parse YAML text strictly (safe types only, no duplicate keys).

    Args:
        text: the YAML document.
        source: file name for error messages.

    Returns:
        The parsed document.

    Raises:
        ConfigError: invalid YAML (with line and column) or a duplicate key.

    """
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506  # a SafeLoader subclass
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{source}: invalid YAML{where}: {problem}") from None


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
    if not path.is_file():
        reason = "is a folder, not a file" if path.is_dir() else "no such file"
        raise ConfigError(f"{path}: {reason}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    data = parse_yaml(text, str(path))
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
