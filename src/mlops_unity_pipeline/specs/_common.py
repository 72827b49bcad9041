"""Helpers every spec module shares: the strict converters of ``_validate`` under short names, enum values."""

from __future__ import annotations

from enum import Enum
from typing import Any

from .. import _validate as _v

_check_keys = _v.check_keys
_int = _v.to_int
_float = _v.to_float
_str = _v.to_str
_bool = _v.to_bool
_choice = _v.to_choice

__all__ = ["_bool", "_check_keys", "_choice", "_float", "_int", "_plain", "_str", "_v"]


def _plain(value: Any) -> Any:
    # Enum fields are written as their values: YAML's safe dumper knows no enum type.
    return value.value if isinstance(value, Enum) else value
