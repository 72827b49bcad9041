"""The ``--explain`` view: how each part of a description became part of a world (typed records and lines)."""

from __future__ import annotations

from typing import Any

from .world_records import ExplainRecord, WorldInterpretation
from .world_rules import interpret_world
from .world_training import training_defaults


def explain(asset: Any) -> tuple[ExplainRecord, ...]:
    """Return how ``asset``'s description and spaces became a world (or why it was refused), in order.

    Args:
        asset: a ``UnityAssetSpec`` or mapping with the asset fields.

    Returns:
        The records: words of the description or an asset field, the concept, the world fields, a note.

    Raises:
        SpecError: the asset's spaces cannot be honoured (the message names the field).

    """
    return interpret_world(asset).records


def explain_lines(result: WorldInterpretation) -> list[str]:
    """Return the interpretation as lines for a terminal: outcome, one line per record, simulator coverage.

    Args:
        result: an interpretation (``interpret_world``).

    Returns:
        The lines, the outcome first.

    """
    if result.refusal is not None:
        return [f"refused: {result.refusal.message}"]
    assert result.world is not None
    world = result.world
    lines = [
        f"world {world.name}: {len(world.entities)} entities, {len(world.arena.regions)} regions, "
        f"{len(world.rewards)} rewards, {len(world.agent.sensors)} sensors, max_step {world.max_step}"
    ]
    lines += [f"  {record.line()}" for record in result.records]
    if result.unsupported:
        lines.append("  the generic simulator does not run yet: " + "; ".join(result.unsupported))
    else:
        lines.append("  the generic simulator runs this world as written")

    lines.append(f"  {training_defaults(world).line()}")
    return lines
