"""Behavior IR and interpretation: an asset description becomes a validated ``BehaviorSpec``.

``interpret(asset)`` runs the offline rules (default) or an LLM provider; both report which archetype they
chose, why, and every fallback they had to take. ``interpret_world(asset)`` composes a world (the IR of
``world``) from the description's meaning, or refuses it, naming what is missing (``docs/descriptions.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..behavior.providers import make_provider
from ..specs import UnityAssetSpec
from .defaults import default_spec
from .llm_interpreter import interpret_llm
from .rules import interpret_rules
from .spec import Archetype, BehaviorSpec
from .world_records import WorldInterpretation
from .world_rules import compose_world, interpret_world

__all__ = [
    "Archetype",
    "BehaviorSpec",
    "Interpretation",
    "WorldInterpretation",
    "compose_world",
    "default_spec",
    "interpret",
    "interpret_world",
]


@dataclass(frozen=True)
class Interpretation:
    """The outcome of interpreting an asset."""

    spec: BehaviorSpec
    """The behavior."""
    archetype: str
    """The archetype chosen (``spec.archetype.value``)."""
    reasons: list[str]
    """Why each choice was made."""
    fallbacks: list[str]
    """Every default taken because the asset did not say (never silent)."""
    provider: str
    """``rules``, or the LLM provider that produced the spec."""
    llm: dict[str, Any] = field(default_factory=dict)
    """For LLM providers: model, prompt sha256, attempts (empty for rules)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "archetype": self.archetype,
            "provider": self.provider,
            "reasons": list(self.reasons),
            "fallbacks": list(self.fallbacks),
            "spec": self.spec.to_dict(),
            "llm": dict(self.llm),
        }


def interpret(asset: Any, *, provider: Any = "rules") -> Interpretation:
    """Interpret an asset into a behavior spec.

    Args:
        asset: a ``UnityAssetSpec`` or any object/mapping with ``asset_id, name, asset_type, description,
            observation_space, action_space``.
        provider: ``"rules"`` (offline), ``"openai"``, ``"anthropic"``, or an ``LLMProvider`` instance. An LLM
            whose replies never validate falls back to the rules, and the fallback is reported.

    Returns:
        The interpretation.

    Raises:
        SpecError: when the rules cannot interpret the asset (empty/meaningless description, contradictions,
            unknown observation keys).
        MissingExtraError: for an LLM provider without its SDK.

    """
    view = UnityAssetSpec.of(asset)
    llm = _resolve_provider(provider)
    if llm is None:
        spec, reasons, fallbacks = interpret_rules(view)
        return Interpretation(spec, spec.archetype.value, reasons, fallbacks, "rules")

    record = interpret_llm(view, llm)
    info = {"model": record.model, "prompt_sha256": record.prompt_sha256, "attempts": record.attempts}
    if record.spec is not None:
        reasons = [f"{llm.name} ({record.model}) chose archetype {record.spec.archetype.value}"]
        return Interpretation(record.spec, record.spec.archetype.value, reasons, [], llm.name, info)
    spec, reasons, fallbacks = interpret_rules(view)
    last = record.attempts[-1]["error"] if record.attempts else "no reply"
    fallbacks = [
        f"{llm.name} interpretation failed after {len(record.attempts)} attempt(s) ({last}): "
        "the rule-based interpreter was used"
    ] + fallbacks
    return Interpretation(spec, spec.archetype.value, reasons, fallbacks, f"{llm.name}->rules", info)


def _resolve_provider(provider: Any) -> Any:
    if provider is None:
        return None
    if isinstance(provider, str):
        return make_provider(provider)
    return provider
