"""What an environment parameter may set: the grammar of ``applies_to`` paths and each target's bounds."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import SpecError
from .model import EntityKind, World

ENTITY_FIELDS: dict[str, tuple[float, float]] = {
    "size.x": (0.001, 1000.0),
    "size.y": (0.001, 1000.0),
    "size.z": (0.001, 1000.0),
    "body.mass": (0.001, 1000.0),
    "body.drag": (0.0, 100.0),
    "body.friction": (0.0, 1.0),
    "value": (-1000.0, 1000.0),
    "actor.speed": (0.001, 1000.0),
}
"""``entities.<name>.<field>`` targets and the values they accept."""
WORLD_FIELDS: dict[str, tuple[float, float]] = {
    "arena.floor_friction": (0.0, 1.0),
    "arena.gravity": (0.0, 100.0),
    "agent.movement.speed": (0.001, 1000.0),
}
"""Targets outside entities and the values they accept."""
PARAMETER_TARGETS = (*(f"entities.<name>.{f}" for f in ENTITY_FIELDS), *WORLD_FIELDS)
"""Every accepted ``applies_to`` form (listed in errors and docs)."""


@dataclass(frozen=True)
class Target:
    """A resolved ``applies_to`` path.

    Attributes:
        entity: the entity name, or None for a world field.
        field: the field (``size.x``, ``body.drag``, ``arena.floor_friction``...).
        low: smallest value the field accepts.
        high: largest.

    """

    entity: str | None
    field: str
    low: float
    high: float


def resolve(world: World, path: str, where: str) -> Target:
    """Resolve one ``applies_to`` path against ``world``.

    Args:
        world: the world.
        path: e.g. ``entities.block.body.drag``.
        where: the field path, for errors.

    Returns:
        The target with its bounds.

    Raises:
        SpecError: an unknown form, an unknown entity, or a body field on an entity without a body.

    """
    if path in WORLD_FIELDS:
        return Target(None, path, *WORLD_FIELDS[path])
    parts = path.split(".", 2)
    if len(parts) == 3 and parts[0] == "entities" and parts[2] in ENTITY_FIELDS:
        names = {e.name: e for e in world.entities}
        entity = names.get(parts[1])
        if entity is None:
            raise SpecError(f"{where}: no entity named '{parts[1]}' (entities: {sorted(names)})")
        if parts[2].startswith("body.") and entity.body is None:
            raise SpecError(f"{where}: entity '{entity.name}' has no body to set '{parts[2]}'")
        if parts[2] == "actor.speed" and entity.actor is None:
            raise SpecError(f"{where}: entity '{entity.name}' is no actor to set 'actor.speed'")
        if parts[2] == "value" and entity.kind is not EntityKind.COLLECTIBLE:
            raise SpecError(f"{where}: only collectibles have a value, '{entity.name}' is a {entity.kind}")
        return Target(entity.name, parts[2], *ENTITY_FIELDS[parts[2]])
    raise SpecError(f"{where}: cannot set {path!r} (expected one of: {', '.join(PARAMETER_TARGETS)})")
