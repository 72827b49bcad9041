"""A world as the pipeline's behavior: which interpreter a job uses; the world's side of the stage contract.

The stages read one behavior per job (``StageContext.behavior_spec``): its name, signature, a simulator
factory and a JSON form. ``BehaviorSpec`` (the archetype IR) has them; ``WorldBehavior`` gives a world the
same surface, so build, train, evaluate and package run a world without knowing which IR they hold.

``choose_world`` decides per job (issue 18 item 1): a description becomes a world whenever the world
interpreter composes one the generic simulator runs. The archetype path stays for what only it can do: the
user's ``observation_space``/``action_space`` that no world honours exactly (the guide's ``{raycast: 8,
velocity: 2}``: the archetype interpreter adapts them and records the fallback) and balancing (3DBall),
which the world vocabulary refuses with the balance archetype as the nearest behavior. Every other refusal,
and a world the simulator does not run yet, stops the job with the one-line reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import DescriptionRefused, SpecError
from ..sim import make_world
from ..sim.world_env import world_signature
from ..specs import UnityAssetSpec
from ..world import World, world_from_dict, world_to_dict
from .spec import BehaviorSpec
from .world_llm import WorldLLMResult, interpret_world_llm
from .world_records import WorldInterpretation
from .world_rules import interpret_world

if TYPE_CHECKING:
    from ..spaces import BehaviorSignature, VectorEnv
    from .providers import LLMProvider

WORLD_ARCHETYPE = "world"
"""What ``CodegenOutput.archetype`` and the build record's ``task`` say for a world job."""

BALANCING = "balancing"
"""The start of the refusal's missing concept that the balance archetype expresses (``world_words``)."""


@dataclass(frozen=True)
class WorldBehavior:
    """A world in the role of a job's behavior: the surface the stages read from ``BehaviorSpec`` too."""

    world: World
    """The validated world."""

    @property
    def behavior_name(self) -> str:
        """The agent's behavior name (the YAML key, the ONNX file, ``BehaviorParameters.BehaviorName``)."""
        return self.world.behavior_name

    @property
    def archetype(self) -> str:
        """``"world"``: the stages record it where an archetype job records its task family."""
        return WORLD_ARCHETYPE

    @property
    def signature(self) -> BehaviorSignature:
        """Observation and action specs, in the order the simulator and the C# declare them."""
        return world_signature(self.world)

    def make_env(self, num_agents: int = 1, seed: int | None = None) -> VectorEnv:
        """Create the world in the generic simulator.

        Args:
            num_agents: areas stepped together (each with the world's ``agent.count`` agents: a team world's
                job steps whole teams, never a lone member).
            seed: seeds the simulator's random placements.

        Returns:
            ``sim.make_world(world, ...)`` with ``num_agents * agent.count`` agents.

        Raises:
            SpecError: the world uses a feature the simulator does not run (named).

        """
        return make_world(self.world, num_agents=num_agents * self.world.agent.count, seed=seed)

    def to_dict(self) -> dict[str, Any]:
        """JSON form: ``{"behavior_name", "archetype": "world", "world": {...}}``; ``from_dict`` reads it."""
        return {
            "behavior_name": self.behavior_name,
            "archetype": WORLD_ARCHETYPE,
            "world": world_to_dict(self.world),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "behavior") -> WorldBehavior:
        """Read ``to_dict``'s form back, validating the world.

        Raises:
            SpecError: a missing or invalid world, or a behavior name that differs from the world's.

        """
        raw = data.get("world")
        if not isinstance(raw, Mapping):
            raise SpecError(f"{source}: 'world' must be a world mapping, got {type(raw).__name__}")
        world = world_from_dict(raw, source=f"{source}: world")
        name = data.get("behavior_name", world.behavior_name)
        if name != world.behavior_name:
            raise SpecError(
                f"{source}: behavior_name {name!r} differs from the world's agent name "
                f"{world.behavior_name!r}"
            )
        return cls(world)


def load_behavior(data: Mapping[str, Any], source: str = "behavior spec") -> BehaviorSpec | WorldBehavior:
    """Read a job's behavior JSON: a world (``"archetype": "world"``) or an archetype ``BehaviorSpec``.

    Args:
        data: the parsed JSON (``WorldBehavior.to_dict`` or ``BehaviorSpec.to_dict``).
        source: names the origin in errors.

    Returns:
        The behavior.

    Raises:
        SpecError: naming the bad field.

    """
    if not isinstance(data, Mapping):
        raise SpecError(f"{source}: expected a mapping, got {type(data).__name__}")
    if data.get("archetype") == WORLD_ARCHETYPE:
        return WorldBehavior.from_dict(data, source=source)

    return BehaviorSpec.from_dict(data, source=source)


@dataclass(frozen=True)
class WorldChoice:
    """Which interpreter a job uses, and why."""

    interpretation: WorldInterpretation | None
    """The world interpretation when the job trains a world; None for the archetype path."""
    reason: str
    """One line: why this path (recorded with the job's codegen outputs)."""
    llm: WorldLLMResult | None = None
    """The LLM interpreter's record (attempts, fallback) when a model was asked."""

    @property
    def world(self) -> World | None:
        """The world to train, or None on the archetype path."""
        return None if self.interpretation is None else self.interpretation.world


def choose_world(asset: Any, provider: LLMProvider | None = None) -> WorldChoice:
    """Decide whether a job's description becomes a world (see the module docstring).

    Args:
        asset: a ``UnityAssetSpec`` or a mapping with its fields.
        provider: an LLM to emit the world (``world_llm``; the rules world is its fallback); None = rules.

    Returns:
        The world interpretation, or None with the reason the archetype interpreter is used.

    Raises:
        DescriptionRefused: the description asks for something no interpreter expresses (the one-line
            reason, the missing concept and the nearest expressible behavior).
        SpecError: the world uses features the simulator does not run yet (named), so it cannot be trained.

    """
    view = UnityAssetSpec.of(asset)
    llm = None
    try:
        if provider is None:
            result = interpret_world(view)
        else:
            llm = interpret_world_llm(view, provider)
            result = llm.interpretation
    except DescriptionRefused:
        raise
    except SpecError as exc:
        # The user's spaces cannot be honoured by a world; the archetype interpreter adapts them (recorded).
        return WorldChoice(None, f"the world interpreter cannot honour the asset: {exc}")
    if result.refusal is not None:
        if result.refusal.missing.startswith(BALANCING):
            return WorldChoice(
                None, f"the world vocabulary has no {result.refusal.missing}: balance archetype"
            )
        raise result.refusal.error(f"asset '{view.asset_id}'")
    if not result.simulated:
        raise SpecError(
            f"asset '{view.asset_id}': the description becomes world '{result.asset_name}', but the "
            "simulator "
            f"does not run yet: {'; '.join(result.unsupported)} (`mlops-unity codegen ASSET --explain` shows "
            "the world)"
        )
    return WorldChoice(result, "the description composes a world the simulator runs", llm)
