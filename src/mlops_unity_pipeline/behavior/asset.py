"""Read an asset description (the guide's ``UnityAssetSpec`` fields) from any object or a YAML/JSON file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SpecError

ASSET_FIELDS = ("asset_id", "name", "asset_type", "description", "observation_space", "action_space")
"""The fields codegen reads (``UnityAssetSpec``'s, INTERFACES.md §5)."""


@dataclass(frozen=True)
class AssetView:
    """The fields of an asset that interpretation needs, read from any object that has them."""

    asset_id: str
    """The asset's id (used in messages and metadata)."""
    name: str
    """The asset's name: becomes the behavior name and the Agent class name."""
    asset_type: str = "behavior"
    """Only ``behavior`` assets generate an Agent."""
    description: str = ""
    """Natural-language description of the behavior."""
    observation_space: Mapping[str, int] | None = None
    """Observation items and sizes, in order (e.g. ``{"raycast": 8, "velocity": 2}``)."""
    action_space: Mapping[str, Any] | None = None
    """E.g. ``{"type": "continuous", "size": 2}`` or ``{"type": "discrete", "branches": [5]}``."""

    def __post_init__(self) -> None:
        for name in ("asset_id", "name", "asset_type", "description"):
            if not isinstance(getattr(self, name), str):
                raise SpecError(f"asset: {name} must be a string, got {getattr(self, name)!r}")
        if self.observation_space is not None and not isinstance(self.observation_space, Mapping):
            raise SpecError(f"asset '{self.asset_id}': observation_space must be a mapping of name to size")
        if self.action_space is not None and not isinstance(self.action_space, Mapping):
            raise SpecError(f"asset '{self.asset_id}': action_space must be a mapping")

    @classmethod
    def of(cls, asset: Any) -> AssetView:
        """Read the asset fields from a ``UnityAssetSpec``, any object with those attributes, or a mapping.

        Args:
            asset: the asset.

        Returns:
            The view.

        Raises:
            SpecError: when ``asset_id`` or ``name`` is missing or a field has the wrong type.

        """
        if isinstance(asset, AssetView):
            return asset
        if isinstance(asset, Mapping):
            return asset_from_dict(asset)
        values = {name: getattr(asset, name, None) for name in ASSET_FIELDS}
        for required in ("asset_id", "name"):
            if values[required] is None:
                raise SpecError(f"asset: missing field '{required}' on {type(asset).__name__}")
        values["asset_type"] = values["asset_type"] or "behavior"
        values["description"] = values["description"] or ""
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a JSON-ready dict."""
        return {
            "asset_id": self.asset_id,
            "name": self.name,
            "asset_type": self.asset_type,
            "description": self.description,
            "observation_space": None if self.observation_space is None else dict(self.observation_space),
            "action_space": None if self.action_space is None else dict(self.action_space),
        }


def asset_from_dict(data: Mapping[str, Any], source: str = "asset") -> AssetView:
    """Strictly read the asset fields from a mapping (unknown keys are errors).

    Args:
        data: a mapping with ``UnityAssetSpec``'s keys.
        source: names the origin in error messages.

    Returns:
        The view.

    Raises:
        SpecError: on unknown or missing keys.

    """
    if not isinstance(data, Mapping):
        raise SpecError(f"{source}: expected a mapping of UnityAssetSpec fields, got {type(data).__name__}")
    unknown = sorted(set(data) - set(ASSET_FIELDS))
    if unknown:
        raise SpecError(
            f"{source}: unknown key '{unknown[0]}' in UnityAssetSpec (expected one of {list(ASSET_FIELDS)})"
        )
    for required in ("asset_id", "name"):
        if required not in data:
            raise SpecError(f"{source}: missing key '{required}' in UnityAssetSpec")
    return AssetView(
        asset_id=data["asset_id"],
        name=data["name"],
        asset_type=data.get("asset_type") or "behavior",
        description=data.get("description") or "",
        observation_space=data.get("observation_space"),
        action_space=data.get("action_space"),
    )


def load_asset(path: Path | str) -> Any:
    """Load an asset spec from a YAML or JSON file.

    Uses the pipeline's ``specs.UnityAssetSpec`` when that module is available (one strict loader for the
    whole package), otherwise reads the same fields here. A file holding a whole job (``asset_spec:`` key)
    is accepted too: its asset is used.

    Args:
        path: the file.

    Returns:
        A ``UnityAssetSpec`` or an ``AssetView`` (both accepted by ``interpret`` and ``generate``).

    Raises:
        SpecError: when the file is not valid YAML/JSON or its fields are invalid.
        FileNotFoundError: when the file does not exist.

    """
    from .._validate import load_document

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(path)  # documented: callers tell a missing file from a bad one
    data = load_document(path, what="asset spec file")
    if isinstance(data, Mapping) and "asset_spec" in data:
        data = data["asset_spec"]
    if not isinstance(data, Mapping):
        raise SpecError(f"{path}: expected a mapping of UnityAssetSpec fields")
    try:
        from ..specs import UnityAssetSpec  # the pipeline's strict spec, when present
    except ImportError:
        return asset_from_dict(data, source=str(path))
    from_dict = getattr(UnityAssetSpec, "from_dict", None)
    if from_dict is None:
        return asset_from_dict(data, source=str(path))
    try:
        return from_dict(dict(data))
    except SpecError as exc:
        raise SpecError(f"{path}: {exc}") from None
    except (TypeError, KeyError) as exc:
        raise SpecError(f"{path}: invalid UnityAssetSpec: {exc}") from None
