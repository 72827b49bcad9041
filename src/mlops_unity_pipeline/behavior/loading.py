"""Strict loading of a serialized ``BehaviorSpec``: every key checked, every value converted, errors named."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from .._validate import check_keys, to_float, to_int
from ..errors import SpecError
from ..spaces import ActionSpec
from .parts import ArenaSpec, RaySensor, RewardTerm, SensorItem

OPTIONAL_KEYS = frozenset({"rays", "arena"})
"""Top-level keys a serialized spec may leave out (they default to None)."""


def spec_fields(data: Any, keys: frozenset[str], source: str) -> dict[str, Any]:
    """Convert a serialized spec into ``BehaviorSpec`` constructor arguments, strictly.

    Args:
        data: a mapping shaped like ``BehaviorSpec.to_dict()``'s output.
        keys: the spec's field names (the top-level keys allowed).
        source: names the origin in error messages (a file, "LLM reply" …).

    Returns:
        The constructor arguments, each converted (the spec's own checks run when it is built).

    Raises:
        SpecError: on any unknown/missing key or a value of the wrong type, naming the field.

    """
    if not isinstance(data, Mapping):
        raise SpecError(f"{source}: expected an object, got {type(data).__name__}")
    check_keys(data, sorted(keys), source, required=sorted(keys - OPTIONAL_KEYS))
    try:
        actions = data["actions"]
        check_keys(actions, ["continuous_size", "discrete_branches"], "actions")
        rays = data.get("rays")
        arena = data.get("arena")
        if rays is not None:
            check_keys(rays, [f.name for f in fields(RaySensor)], "rays")
        if arena is not None:
            check_keys(arena, [f.name for f in fields(ArenaSpec)], "arena")
        observations = []
        for i, item in enumerate(_as_list(data["observations"], f"{source}: observations")):
            check_keys(item, ["kind", "size"], f"observations[{i}]", required=["kind", "size"])
            observations.append(
                SensorItem(str(item["kind"]), to_int(item["size"], f"observations[{i}].size"))
            )
        rewards = []
        for i, item in enumerate(_as_list(data["rewards"], f"{source}: rewards")):
            check_keys(item, ["kind", "weight"], f"rewards[{i}]", required=["kind", "weight"])
            rewards.append(RewardTerm(item["kind"], to_float(item["weight"], f"rewards[{i}].weight")))
        env_parameters = data["env_parameters"]
        if not isinstance(env_parameters, Mapping):
            raise SpecError(f"{source}: env_parameters must be a mapping of name to default")
        return dict(
            behavior_name=data["behavior_name"],
            archetype=data["archetype"],
            observations=tuple(observations),
            actions=ActionSpec(
                continuous_size=to_int(actions.get("continuous_size", 0), "actions.continuous_size"),
                discrete_branches=tuple(
                    to_int(b, "actions.discrete_branches")
                    for b in _as_list(actions.get("discrete_branches", []), "actions.discrete_branches")
                ),
            ),
            rewards=tuple(rewards),
            end_conditions=tuple(_as_list(data["end_conditions"], f"{source}: end_conditions")),
            max_step=to_int(data["max_step"], "max_step"),
            decision_period=to_int(data["decision_period"], "decision_period"),
            env_parameters=tuple(
                (str(k), to_float(v, f"env_parameters.{k}")) for k, v in env_parameters.items()
            ),
            heuristic=data["heuristic"],
            rays=None
            if rays is None
            else RaySensor(
                num_rays=to_int(rays.get("num_rays", 8), "rays.num_rays"),
                degrees=to_float(rays.get("degrees", 360.0), "rays.degrees"),
                length=to_float(rays.get("length", 20.0), "rays.length"),
                detectable_tags=tuple(
                    str(t) for t in _as_list(rays.get("detectable_tags", ["wall", "obstacle"]), "rays.tags")
                ),
            ),
            arena=None
            if arena is None
            else ArenaSpec(
                **{
                    k: (to_int(v, f"arena.{k}") if k == "num_obstacles" else to_float(v, f"arena.{k}"))
                    for k, v in arena.items()
                }
            ),
        )
    except SpecError as exc:
        if str(exc).startswith(source):
            raise
        raise SpecError(f"{source}: {exc}") from None


def _as_list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, (list, tuple)):
        raise SpecError(f"{where}: expected a list, got {type(value).__name__}")
    return list(value)
