"""The LLM interpreter: a chat model returns the behavior spec as JSON, validated strictly against the IR.

The reply must be one JSON object shaped like ``BehaviorSpec.to_dict()`` (the schema is in the prompt). A
reply that is not JSON, fails ``BehaviorSpec.from_dict`` or ignores the asset's given spaces is sent back with
the error for up to ``MAX_REPAIRS`` more attempts; after that the caller falls back to the rule interpreter.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import CodegenError, SpecError
from ..sim.archetypes import NavigationParams
from ..specs import UnityAssetSpec
from .rules import NAVIGATION_KEYS
from .spec import BehaviorSpec

if TYPE_CHECKING:
    from ..behavior.providers import LLMProvider

MAX_REPAIRS = 3
"""Attempts after the first one, each fed the previous error."""

_NAV = NavigationParams()  # the simulator's reward defaults, stated in the prompt

SYSTEM_PROMPT = f"""You turn a Unity ML-Agents asset description into a behavior spec for a code generator
and a simulator. Reply with exactly one JSON object that follows the JSON Schema below and nothing else.
Archetypes: "navigation" (walled square arena, obstacles, reach a target; observations among raycast,
velocity, target_direction, target_distance, position; actions 2 continuous [move x, move z] or one
discrete branch of 5), "reach_target" (the same without obstacles: arena.num_obstacles = 0), "balance"
(3DBall: observations platform_rotation_z 1, platform_rotation_x 1, ball_relative_position 3,
ball_velocity 3; 2 continuous actions).
If the asset gives observation_space or action_space, honour them exactly and in order.
Rewards for navigation and reach_target: unless the description asks otherwise, use reach_target
{_NAV.reach_reward}, collision {_NAV.collision_penalty}, time {_NAV.time_penalty} and progress
{_NAV.progress_reward} (the dense shaping towards the target; without it PPO does not learn to navigate).
JSON Schema:
"""


@dataclass
class LLMInterpretation:
    """What the LLM interpreter produced: a spec (None when every attempt failed) and its record."""

    spec: BehaviorSpec | None
    """The validated spec, or None."""
    model: str
    """Model id."""
    prompt_sha256: str
    """sha256 of the system prompt + first user message."""
    attempts: list[dict[str, Any]] = field(default_factory=list)
    """One entry per request: ``{"attempt": i, "ok": bool, "error": str | None}``."""


def interpret_llm(
    asset: UnityAssetSpec, provider: LLMProvider, *, max_repairs: int = MAX_REPAIRS
) -> LLMInterpretation:
    """Ask ``provider`` for the behavior spec of ``asset``.

    Args:
        asset: the asset.
        provider: a chat model.
        max_repairs: attempts after the first, each given the previous error.

    Returns:
        The record; ``spec`` is None when no attempt produced a valid spec (the caller falls back).

    """
    system = SYSTEM_PROMPT + json.dumps(BehaviorSpec.json_schema(), sort_keys=True)
    user = "Asset:\n" + json.dumps(asset.to_dict(), sort_keys=True)
    prompt_sha = hashlib.sha256((system + "\n" + user).encode("utf-8")).hexdigest()
    record = LLMInterpretation(spec=None, model=provider.model, prompt_sha256=prompt_sha)
    messages = [{"role": "user", "content": user}]
    for attempt in range(1, max_repairs + 2):
        try:
            reply = provider.complete(system, messages)
        except CodegenError as exc:
            # a transport failure (timeout, HTTP error) is not something the model can repair
            record.attempts.append({"attempt": attempt, "ok": False, "error": str(exc)})
            return record
        try:
            spec = BehaviorSpec.from_dict(extract_json(reply), source="LLM reply")
            problems = spaces_mismatch(spec, asset)
            if problems:
                raise SpecError("the spec ignores the asset's spaces: " + "; ".join(problems))
        except SpecError as exc:
            record.attempts.append({"attempt": attempt, "ok": False, "error": str(exc)})
            messages += [
                {"role": "assistant", "content": reply},
                {
                    "role": "user",
                    "content": f"That reply is invalid: {exc}\nReply with the corrected JSON object only.",
                },
            ]
            continue
        record.attempts.append({"attempt": attempt, "ok": True, "error": None})
        record.spec = spec
        return record
    return record


def extract_json(text: str) -> dict[str, Any]:
    """Read the JSON object in a reply: the whole text, or the first fenced ```json block.

    Args:
        text: the reply.

    Returns:
        The object.

    Raises:
        SpecError: when no JSON object can be read.

    """
    candidates = [text.strip()]
    candidates += re.findall(r"```(?:json)?\s*(\{.*?\})\s*```", text, flags=re.DOTALL)
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            return value
    raise SpecError(f"reply is not a JSON object: {text.strip()[:80]!r}")


def spaces_mismatch(spec: BehaviorSpec, asset: UnityAssetSpec) -> list[str]:
    """Where ``spec`` disagrees with the spaces the asset fixed (observation sizes, action type and size).

    Args:
        spec: a candidate spec.
        asset: the asset.

    Returns:
        Human-readable problems; empty when the spec honours the asset.

    """
    problems = []
    if asset.observation_space:
        wanted = [
            (NAVIGATION_KEYS.get(str(k).lower(), str(k)), v) for k, v in asset.observation_space.items()
        ]
        got = [(o.kind, o.size) for o in spec.observations]
        if spec.archetype.value != "balance" and got[: len(wanted)] != wanted:
            problems.append(f"observations must start with {wanted}, got {got}")
        elif (
            spec.archetype.value == "balance"
            and sum(asset.observation_space.values()) != spec.observation_size
        ):
            problems.append(f"observation size must be {sum(asset.observation_space.values())}")
    if asset.action_space:
        kind = str(asset.action_space.get("type", "")).lower()
        if kind == "continuous" and spec.actions.continuous_size != asset.action_space.get("size"):
            problems.append(f"continuous actions must be {asset.action_space.get('size')}")
        if kind == "discrete" and not spec.actions.is_discrete:
            problems.append("actions must be discrete")
    return problems
