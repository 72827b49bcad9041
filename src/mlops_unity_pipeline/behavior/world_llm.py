"""The LLM world interpreter: a chat model emits the world IR through structured output, validated strictly.

The rules interpreter runs first (offline, cheap): what the IR cannot express is refused whoever
interprets it, and its world is the fallback. The model then gets the description, the asset's spaces and
the world JSON schema (``docs/world.schema.json``) as a structured-output format (OpenAI-compatible
``response_format: json_schema``) or a forced tool call (Anthropic ``tools``/``tool_choice``). Each reply
goes through the same validation as a world file (``world_from_dict``), the perception rule (every reward's
tag is sensed) and the asset's spaces (``check_sizes``); a failure is sent back with the validator's
message for up to ``MAX_WORLD_REPAIRS`` more attempts. After that, or on a transport error, the rules world
is used and the fallback recorded (issue 18 item 2).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import CodegenError, SpecError
from ..sim.world_env import unsupported
from ..specs import UnityAssetSpec
from ..world import World, world_from_dict, world_json_schema
from .llm_interpreter import extract_json
from .providers import LLMProvider, StructuredLLM
from .world_checks import CheckStatus, check_sizes
from .world_records import ExplainRecord, WorldInterpretation
from .world_rules import interpret_world, perceived_tags

MAX_WORLD_REPAIRS = 2
"""Attempts after the first, each fed the previous reply's validation error."""
TOOL_NAME = "emit_world"
"""The structured output's name (OpenAI ``json_schema.name``, Anthropic tool name)."""

SYSTEM_PROMPT = """You design training worlds for Unity ML-Agents from a user's description of a behavior.
Emit ONE world object in the world IR (its JSON schema is given as your output format). Rules:
- agent.name must be exactly the behavior name given; arena.size is the floor in metres (x, z).
- Put what the description names into entities (kind target, collectible with value, hazard, obstacle,
  block with body) or arena.regions (goal, hazard floors), tagged with the user's nouns.
- rewards are events: reach/collect/touch/push_into_zone (what = tag, into = zone tag), time_penalty -1,
  success events end the episode (end: terminated, success: true); negative touches of hazards end it too.
- Every reward's `what`/`into` tag must be perceived by a sensor: a ray_perception sensor whose
  detectable_tags include it, or a vector sensor item direction_to/distance_to `of` that tag.
- If the user gives observation_space or action_space, the sensors' floats and the actions must match them
  exactly (raycast N = (tags + 2) x rays floats with an odd ray count; continuous 2 = move_x, move_z).
Reply with the world only."""


@dataclass
class WorldLLMResult:
    """What the LLM world interpreter produced, and how."""

    interpretation: WorldInterpretation
    """The world used (the model's, or the rules' on fallback) or the rules' refusal."""
    provider: str
    """``openai``, ``anthropic`` or a test double's name."""
    model: str
    """The model id."""
    prompt_sha256: str
    """sha256 of the system prompt and the first user message."""
    attempts: list[dict[str, Any]] = field(default_factory=list)
    """One entry per request: ``{"attempt", "ok", "error"}``."""
    fallback_used: bool = False
    """True when the rules world was used instead of the model's."""
    fallback_reason: str | None = None
    """Why (the last validation or transport error)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record (the codegen metadata)."""
        return {
            "provider": self.provider,
            "model": self.model,
            "prompt_sha256": self.prompt_sha256,
            "attempts": list(self.attempts),
            "fallback_used": self.fallback_used,
            "fallback_reason": self.fallback_reason,
        }


def interpret_world_llm(
    asset: Any, provider: LLMProvider, *, max_repairs: int = MAX_WORLD_REPAIRS
) -> WorldLLMResult:
    """Interpret ``asset`` into a world with ``provider``, falling back to the rules world.

    Args:
        asset: a ``UnityAssetSpec`` or a mapping with its fields.
        provider: a chat model (structured output when it has ``complete_json``, else JSON in the text).
        max_repairs: attempts after the first (0 to 5).

    Returns:
        The result; ``interpretation`` holds the world used or the rules' refusal.

    Raises:
        SpecError: the asset's spaces cannot be honoured by any world (the rules interpreter's message).

    """
    if not 0 <= max_repairs <= 5:
        raise SpecError(f"max_repairs: expected 0 to 5, got {max_repairs}")
    view = UnityAssetSpec.of(asset)
    rules = interpret_world(view)
    name = getattr(provider, "name", "llm")
    model = str(getattr(provider, "model", ""))
    user = _user_message(view, rules)
    digest = hashlib.sha256((SYSTEM_PROMPT + "\n" + user).encode("utf-8")).hexdigest()
    result = WorldLLMResult(rules, name, model, digest)
    if rules.world is None:  # the vocabulary cannot express it: no model can make the IR say it
        result.fallback_reason = "the rules interpreter refused the description; the model was not asked"
        return result
    schema = world_json_schema()
    messages = [{"role": "user", "content": user}]
    error = "no attempt"
    for attempt in range(max_repairs + 1):
        try:
            reply = _ask(provider, messages, schema)
        except CodegenError as exc:  # transport: timeout, connection, HTTP: no repair can help
            result.attempts.append({"attempt": attempt, "ok": False, "error": str(exc)})
            error = str(exc)
            break
        try:
            world = _validate(reply, view, rules.world)
        except SpecError as exc:
            error = str(exc)
            result.attempts.append({"attempt": attempt, "ok": False, "error": error})
            messages += [
                {"role": "assistant", "content": json.dumps(reply)[:20_000]},
                {"role": "user", "content": f"That world is invalid: {error}\nFix it; emit the whole world."},
            ]
            continue
        result.attempts.append({"attempt": attempt, "ok": True, "error": None})
        record = ExplainRecord(
            "(description)", "llm world", "world", f"{name} {model}, attempt {attempt + 1}, validated"
        )
        result.interpretation = replace(
            rules, world=world, records=(record,), unsupported=tuple(_unsupported(world))
        )
        return result
    result.fallback_used = True
    tries = len(result.attempts)
    result.fallback_reason = f"the model's world was not usable after {tries} attempts: {error}"
    return result


def _user_message(view: UnityAssetSpec, rules: WorldInterpretation) -> str:
    lines = [
        f"Behavior name: {rules.world.behavior_name if rules.world else view.name}",
        f"Description: {view.description}",
    ]
    if view.observation_space is not None:
        lines.append(f"observation_space (honour exactly): {json.dumps(dict(view.observation_space))}")
    if view.action_space is not None:
        lines.append(f"action_space (honour exactly): {json.dumps(dict(view.action_space))}")
    return "\n".join(lines)


def _ask(provider: LLMProvider, messages: list[dict[str, str]], schema: dict[str, Any]) -> Any:
    """One request: structured output where the provider has it, else the schema in the prompt."""
    if isinstance(provider, StructuredLLM):
        try:
            return provider.complete_json(SYSTEM_PROMPT, messages, schema, TOOL_NAME)
        except SpecError as exc:  # not JSON: a repairable reply
            return {"__invalid__": str(exc)}

    text = provider.complete(SYSTEM_PROMPT + "\nJSON Schema:\n" + json.dumps(schema), messages)
    try:
        return extract_json(text)
    except SpecError as exc:
        return {"__invalid__": str(exc)}


def _validate(reply: Any, view: UnityAssetSpec, rules_world: World) -> World:
    """Return the reply as a valid world for this asset, or raise ``SpecError`` naming what is wrong."""
    if isinstance(reply, dict) and "__invalid__" in reply:
        raise SpecError(str(reply["__invalid__"]))
    if not isinstance(reply, dict):
        raise SpecError(f"LLM reply: expected one world object, got {type(reply).__name__}")
    world = world_from_dict(reply, source="LLM reply")
    if world.behavior_name != rules_world.behavior_name:
        raise SpecError(
            f"LLM reply: agent.name is {world.behavior_name!r}; it must be {rules_world.behavior_name!r}"
        )
    seen = perceived_tags(world)
    for i, reward in enumerate(world.rewards):
        for tag in (reward.what, reward.into):
            if tag is not None and tag not in seen:
                raise SpecError(
                    f"LLM reply: rewards[{i}] depends on '{tag}', which no sensor perceives (sensors see "
                    f"{sorted(seen) or 'no tags'}): add it to a ray sensor's detectable_tags or a "
                    "direction_to item"
                )
    sizes = check_sizes(world, view.observation_space, view.action_space)
    if sizes.status is CheckStatus.FAILED:
        raise SpecError(f"LLM reply: {sizes.detail}; {sizes.fix}")
    if not any(r.success for r in world.rewards) and not any(r.value > 0 for r in world.rewards):
        raise SpecError("LLM reply: rewards: no positive reward or success event: nothing to learn")
    return world


def _unsupported(world: World) -> list[str]:
    return unsupported(world)
