"""The JSON Schema of a serialized ``BehaviorSpec`` (``BehaviorSpec.to_dict``), given to LLM interpreters."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from ..sim.archetypes import OBSERVATION_KINDS
from .kinds import BALANCE_OBSERVATIONS, BEHAVIOR_NAME, Archetype, EndKind, HeuristicKind, RewardKind
from .parts import ArenaSpec


def behavior_json_schema() -> dict[str, Any]:
    """Return a JSON Schema of ``BehaviorSpec.to_dict()``'s shape (``from_dict`` remains the real check).

    Returns:
        A JSON Schema (draft 2020-12) object.

    """
    number = {"type": "number"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "BehaviorSpec",
        "type": "object",
        "additionalProperties": False,
        "required": [
            "behavior_name",
            "archetype",
            "observations",
            "actions",
            "rewards",
            "end_conditions",
            "max_step",
            "decision_period",
            "env_parameters",
            "heuristic",
        ],
        "properties": {
            # A JSON Schema pattern matches anywhere: anchored, it means what BEHAVIOR_NAME.fullmatch does.
            "behavior_name": {"type": "string", "pattern": f"^{BEHAVIOR_NAME.pattern}$"},
            "archetype": {"enum": [a.value for a in Archetype]},
            "observations": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["kind", "size"],
                    "properties": {
                        "kind": {"enum": sorted(OBSERVATION_KINDS) + list(BALANCE_OBSERVATIONS)},
                        "size": {"type": "integer", "minimum": 1},
                    },
                },
            },
            "actions": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "continuous_size": {"type": "integer", "minimum": 0},
                    "discrete_branches": {"type": "array", "items": {"type": "integer", "minimum": 1}},
                },
            },
            "rewards": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["kind", "weight"],
                    "properties": {"kind": {"enum": [k.value for k in RewardKind]}, "weight": number},
                },
            },
            "end_conditions": {"type": "array", "items": {"enum": [e.value for e in EndKind]}},
            "max_step": {"type": "integer", "minimum": 1},
            "decision_period": {"type": "integer", "minimum": 1, "maximum": 20},
            "env_parameters": {"type": "object", "additionalProperties": number},
            "heuristic": {"enum": [h.value for h in HeuristicKind]},
            "rays": {
                "type": ["object", "null"],
                "additionalProperties": False,
                "properties": {
                    "num_rays": {"type": "integer", "minimum": 1, "maximum": 64},
                    "degrees": number,
                    "length": number,
                    "detectable_tags": {"type": "array", "items": {"enum": ["wall", "obstacle"]}},
                },
            },
            "arena": {
                "type": ["object", "null"],
                "additionalProperties": False,
                "properties": {
                    **{f.name: number for f in fields(ArenaSpec) if f.name != "num_obstacles"},
                    "num_obstacles": {"type": "integer", "minimum": 0, "maximum": 32},
                },
            },
        },
    }
