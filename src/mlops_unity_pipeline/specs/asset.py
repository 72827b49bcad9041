"""``UnityAssetSpec``: the Unity asset a job generates, builds and trains a policy for (the guide's)."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import Enum
from typing import Any

from .._validate import short, validate_id
from ..errors import SpecError
from ._common import _check_keys, _choice, _int, _str

MAX_OBSERVATION_SIZE = 65_536
"""Largest size of one observation item (a 256x256 grid); sizes allocate simulator and network memory."""
MAX_ACTION_SIZE = 1024
"""Largest continuous action size, discrete branch count and branch size."""


class AssetType(str, Enum):
    """What a Unity asset spec describes."""

    BEHAVIOR = "behavior"
    """An agent behavior: generated C# Agent + a simulator task + a trained policy."""


class ActionType(str, Enum):
    """Kind of a behavior's actions (``action_space.type``)."""

    CONTINUOUS = "continuous"
    DISCRETE = "discrete"


@dataclass(frozen=True)
class UnityAssetSpec:
    """A Unity asset to generate, build and train a policy for (the guide's ``UnityAssetSpec``)."""

    asset_id: str
    """Safe id (``validate_id``); one registered model per asset id."""
    name: str
    """Human name; also the C# class and behavior name of the generated agent."""
    asset_type: str = "behavior"
    """What the asset is; only ``behavior`` today."""
    description: str = ""
    """Natural-language description the interpreter turns into a behavior ("Navigate around obstacles")."""
    observation_space: dict[str, int] | None = None
    """Observation items in order, name → size (``{"raycast": 8, "velocity": 2}``); None = auto."""
    action_space: dict[str, Any] | None = None
    """``{"type": "continuous", "size": 2}`` or ``{"type": "discrete", "branches": [5]}``; None = auto."""

    def __post_init__(self) -> None:
        validate_id(self.asset_id, "asset_spec.asset_id")
        _str(self.name, "asset_spec.name", allow_empty=False)
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_ -]{0,63}", self.name):
            raise SpecError(
                f"asset_spec.name: {short(self.name)} must start with a letter or '_' and hold at most 64 "
                "letters, "
                "digits, spaces, '_' or '-' (it becomes a C# class name)"
            )
        object.__setattr__(
            self, "asset_type", _choice(self.asset_type, AssetType, "asset_spec.asset_type").value
        )
        _str(self.description, "asset_spec.description")
        if self.observation_space is not None:
            if not isinstance(self.observation_space, Mapping) or not self.observation_space:
                raise SpecError("asset_spec.observation_space: expected a non-empty mapping of name -> size")
            clean: dict[str, int] = {}
            for key, size in self.observation_space.items():
                if not isinstance(key, str) or not key:
                    raise SpecError(f"asset_spec.observation_space: keys must be names, got {short(key)}")
                clean[key] = _int(
                    size, f"asset_spec.observation_space.{key}", minimum=1, maximum=MAX_OBSERVATION_SIZE
                )
            object.__setattr__(self, "observation_space", clean)
        if self.action_space is not None:
            object.__setattr__(self, "action_space", _validate_action_space(self.action_space))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "asset_spec") -> UnityAssetSpec:
        """Build from a mapping, rejecting unknown keys.

        Args:
            data: the mapping (e.g. parsed YAML).
            where: how to name this mapping in errors.

        Returns:
            The validated spec.

        Raises:
            SpecError: on an unknown key, a missing required key or a bad value.

        """
        names = tuple(f.name for f in fields(cls))
        return cls(**_check_keys(data, names, where, required=("asset_id", "name")))

    @classmethod
    def of(cls, asset: Any, where: str = "asset") -> UnityAssetSpec:
        """Read an asset from a ``UnityAssetSpec``, a mapping of its fields, or any object that has them.

        Args:
            asset: the asset (an object's missing or None attributes take the defaults).
            where: how to name the asset in errors.

        Returns:
            The validated spec (``asset`` itself when it already is one).

        Raises:
            SpecError: when ``asset_id`` or ``name`` is missing, or a field is invalid.

        """
        if isinstance(asset, cls):
            return asset
        if isinstance(asset, Mapping):
            return cls.from_dict(asset, where)
        values = {f.name: getattr(asset, f.name, None) for f in fields(cls)}
        for required in ("asset_id", "name"):
            if values[required] is None:
                raise SpecError(f"{where}: missing field '{required}' on {type(asset).__name__}")
        return cls(**{k: v for k, v in values.items() if v is not None})

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON/YAML-ready dict that ``from_dict`` loads back equal."""
        return {
            "asset_id": self.asset_id,
            "name": self.name,
            "asset_type": self.asset_type,
            "description": self.description,
            "observation_space": dict(self.observation_space) if self.observation_space is not None else None,
            "action_space": copy.deepcopy(self.action_space),
        }


def _validate_action_space(value: Any) -> dict[str, Any]:
    where = "asset_spec.action_space"
    data = _check_keys(value, ("type", "size", "branches"), where, required=("type",))
    kind = _choice(data["type"], ActionType, f"{where}.type")
    out: dict[str, Any] = {"type": kind.value}
    if kind is ActionType.CONTINUOUS:
        if "branches" in data:
            raise SpecError(
                f"{where}.branches: only discrete actions have branches (use size for continuous)"
            )
        out["size"] = _int(data.get("size"), f"{where}.size", minimum=1, maximum=MAX_ACTION_SIZE)
    else:
        if "branches" in data:
            branches = data["branches"]
            if not isinstance(branches, (list, tuple)) or not branches or len(branches) > MAX_ACTION_SIZE:
                raise SpecError(
                    f"{where}.branches: expected a non-empty list of at most {MAX_ACTION_SIZE} branch sizes, "
                    f"got {short(branches)}"
                )
            out["branches"] = [
                _int(b, f"{where}.branches[{i}]", minimum=1, maximum=MAX_ACTION_SIZE)
                for i, b in enumerate(branches)
            ]
        elif "size" in data:
            # {"type": "discrete", "size": 5} reads as one branch of 5 actions.
            out["branches"] = [_int(data["size"], f"{where}.size", minimum=1, maximum=MAX_ACTION_SIZE)]
        else:
            raise SpecError(f"{where}: discrete actions need 'branches' (list of sizes) or 'size'")
    return out
