"""Typed records of how a description became a world: explanation lines, refusals, the interpretation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import DescriptionRefused
from ..world import World, world_to_dict


@dataclass(frozen=True)
class ExplainRecord:
    """One step of the interpretation: which words (or asset field) became which part of the world."""

    source: str
    """The words of the description, or the asset field (``action_space``, ``observation_space``), that led
    to it; ``(default)`` when nothing said and a default was taken."""
    concept: str
    """The concept recognised (``collect``, ``avoid``, ``push_into_zone``, ``sensor``...)."""
    part: str
    """The world fields it became (``entities.apple``, ``rewards[0]``, ``agent.sensors``...)."""
    note: str = ""
    """How it was approximated or why a default was taken (empty when the words map exactly)."""

    def line(self) -> str:
        """Return the record as one line (``'words' -> concept -> part (note)``)."""
        text = f"{self.source!r} -> {self.concept} -> {self.part}"
        return f"{text} ({self.note})" if self.note else text

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"source": self.source, "concept": self.concept, "part": self.part, "note": self.note}


@dataclass(frozen=True)
class Refusal:
    """Why a description cannot become a world: the missing concept and the nearest expressible behavior."""

    missing: str
    """The concept the world vocabulary lacks."""
    nearest: str
    """The nearest behavior it can express."""
    source: str = ""
    """The words that asked for it (empty when the description as a whole names no behavior)."""

    @property
    def message(self) -> str:
        """One line: what is missing, from which words, and what is nearest."""
        said = f" ('{self.source}')" if self.source else ""
        return f"cannot express {self.missing}{said}; nearest expressible: {self.nearest}"

    def error(self, where: str) -> DescriptionRefused:
        """Return the refusal as an error prefixed with ``where`` (the asset)."""
        return DescriptionRefused(f"{where}: {self.message}", missing=self.missing, nearest=self.nearest)


@dataclass(frozen=True)
class WorldInterpretation:
    """The outcome of interpreting a description: the world or the refusal, and always the records."""

    asset_name: str
    """The asset's name."""
    world: World | None
    """The composed, validated world (None when refused)."""
    refusal: Refusal | None
    """Why it was refused (None when a world was composed)."""
    records: tuple[ExplainRecord, ...]
    """How each part of the description became part of the world, in order."""
    unsupported: tuple[str, ...] = ()
    """Features of the world the generic simulator does not run yet (``sim.world_env.unsupported``)."""

    @property
    def simulated(self) -> bool:
        """Whether the generic simulator runs the world as written."""
        return self.world is not None and not self.unsupported

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the world as plain data)."""
        return {
            "asset": self.asset_name,
            "world": None if self.world is None else world_to_dict(self.world),
            "refusal": None
            if self.refusal is None
            else {
                "missing": self.refusal.missing,
                "nearest": self.refusal.nearest,
                "source": self.refusal.source,
                "message": self.refusal.message,
            },
            "records": [r.to_dict() for r in self.records],
            "simulator_unsupported": list(self.unsupported),
        }
