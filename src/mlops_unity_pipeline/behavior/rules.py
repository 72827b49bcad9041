"""The offline rule-based interpreter: description vocabulary + the asset's spaces → a ``BehaviorSpec``.

It never guesses silently: every choice is a reason, every default it had to add is a fallback, and anything
it cannot reconcile (an empty or meaningless description, spaces that contradict the description, an
observation name it does not know) raises ``SpecError`` naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import SpecError
from ..sim.archetypes import FIXED_SIZES, NavigationParams
from ..specs import UnityAssetSpec
from .defaults import default_spec
from .spec import (
    BALANCE_OBSERVATIONS,
    NAVIGATION_CONTINUOUS,
    NAVIGATION_DISCRETE,
    Archetype,
    BehaviorSpec,
    RaySensor,
    SensorItem,
)
from .world_words import NUMBERS

# --- vocabulary (word stems; a token matches when it starts with the stem) ---

BALANCE_WORDS = ("balanc", "ball", "platform", "tilt", "upright", "3dball")
OBSTACLE_WORDS = (
    "obstacle",
    "avoid",
    "dodg",
    "maze",
    "barrier",
    "block",
    "pillar",
    "around",
    "collision",
    "hazard",
)
TARGET_WORDS = ("target", "goal", "reach", "destination", "waypoint", "checkpoint", "find", "seek", "go to")
COLLECT_WORDS = ("collect", "pick", "gather", "coin", "food", "item", "pellet", "fetch")
MOVE_WORDS = ("navigat", "move", "walk", "drive", "run", "explor", "travel", "steer", "roam", "path", "go")
DISCRETE_WORDS = ("discrete", "grid", "four direction", "4 direction", "tile")
RAY_WORDS = ("ray", "rays", "raycast", "lidar")
WHOLE_WORDS = frozenset({"go", "run", "ball", "ray", "pick", "item", "block"})
"""Short words that match only as whole tokens ("go" is not "goal", "ray" is not "rayon")."""


# observation_space keys → IR kinds (navigation); names users write for the same thing
NAVIGATION_KEYS: dict[str, str] = {
    "raycast": "raycast",
    "raycasts": "raycast",
    "rays": "raycast",
    "ray": "raycast",
    "lidar": "raycast",
    "ray_perception": "raycast",
    "velocity": "velocity",
    "vel": "velocity",
    "speed": "velocity",
    "target_direction": "target_direction",
    "target_dir": "target_direction",
    "goal_direction": "target_direction",
    "direction_to_target": "target_direction",
    "target": "target_direction",
    "goal": "target_direction",
    "target_distance": "target_distance",
    "distance_to_target": "target_distance",
    "distance": "target_distance",
    "goal_distance": "target_distance",
    "position": "position",
    "pos": "position",
    "agent_position": "position",
}
# observation_space keys → 3DBall layout items (balance); a key may cover several consecutive items
BALANCE_KEYS: dict[str, tuple[str, ...]] = {
    "rotation": ("platform_rotation_z", "platform_rotation_x"),
    "platform_rotation": ("platform_rotation_z", "platform_rotation_x"),
    "platform_rotation_z": ("platform_rotation_z",),
    "platform_rotation_x": ("platform_rotation_x",),
    "rotation_z": ("platform_rotation_z",),
    "rotation_x": ("platform_rotation_x",),
    "ball_position": ("ball_relative_position",),
    "ball_relative_position": ("ball_relative_position",),
    "ball_velocity": ("ball_velocity",),
    "velocity": ("ball_velocity",),
}


@dataclass
class _Notes:
    reasons: list[str] = field(default_factory=list)
    fallbacks: list[str] = field(default_factory=list)


def interpret_rules(asset: UnityAssetSpec) -> tuple[BehaviorSpec, list[str], list[str]]:
    """Interpret an asset with the offline rules.

    Args:
        asset: the asset's fields.

    Returns:
        ``(spec, reasons, fallbacks)``: the behavior, why each choice was made, and every default that had to
        be added because the asset did not say.

    Raises:
        SpecError: empty/meaningless description with no spaces to go on, contradictions, unknown keys.

    """
    notes = _Notes()
    where = f"asset '{asset.asset_id}'"
    if asset.asset_type != "behavior":
        raise SpecError(f"{where}: asset_type '{asset.asset_type}' cannot be generated (expected 'behavior')")
    behavior_name = _behavior_name(asset, notes)
    text = " ".join(re.findall(r"[a-z0-9]+", asset.description.lower()))
    hits = _vocabulary_hits(text)
    archetype = _choose_archetype(asset, text, hits, notes, where)

    if archetype is Archetype.BALANCE:
        spec = default_spec(archetype, behavior_name)
        _balance_observations(asset, notes, where)
        spec = replace(spec, actions=_actions(asset, archetype, hits, notes, where))
        return spec, notes.reasons, notes.fallbacks

    num_obstacles = _num_obstacles(text, hits, archetype, notes)
    spec = default_spec(archetype, behavior_name)
    observations, num_rays = _navigation_observations(asset, archetype, hits, notes, where)
    observes_rays = any(o.kind == "raycast" for o in observations)
    rays = replace(spec.rays or RaySensor(), num_rays=num_rays) if observes_rays else None
    arena = replace(spec.arena, num_obstacles=num_obstacles) if spec.arena else None
    env_parameters = tuple(
        (k, float(num_obstacles) if k == "num_obstacles" else v) for k, v in spec.env_parameters
    )
    spec = replace(
        spec,
        observations=observations,
        actions=_actions(asset, archetype, hits, notes, where),
        rays=rays,
        arena=arena,
        env_parameters=env_parameters,
    )
    return spec, notes.reasons, notes.fallbacks


# --- name and archetype ---


def _behavior_name(asset: UnityAssetSpec, notes: _Notes) -> str:
    name = asset.name.strip()
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,63}", name):
        return name
    cleaned = "".join(part[:1].upper() + part[1:] for part in re.findall(r"[A-Za-z0-9]+", name))
    cleaned = cleaned.lstrip("0123456789")[:64]
    if not cleaned:
        raise SpecError(
            f"asset '{asset.asset_id}': name {asset.name!r} has no letters to make a behavior name from"
        )
    notes.fallbacks.append(f"name {asset.name!r} is not a C# identifier: behavior name '{cleaned}' used")
    return cleaned


def _vocabulary_hits(text: str) -> dict[str, list[str]]:
    tokens = text.split()

    def found(words: tuple[str, ...]) -> list[str]:
        out = []
        for word in words:
            if " " in word:
                hit = re.search(rf"\b{word}", text) is not None
            elif word in WHOLE_WORDS:
                hit = word in tokens
            else:
                hit = any(t.startswith(word) for t in tokens)
            if hit:
                out.append(word)
        return out

    return {
        "balance": found(BALANCE_WORDS),
        "obstacle": found(OBSTACLE_WORDS),
        "target": found(TARGET_WORDS),
        "collect": found(COLLECT_WORDS),
        "move": found(MOVE_WORDS),
        "discrete": found(DISCRETE_WORDS),
        "ray": found(RAY_WORDS),
    }


def _choose_archetype(
    asset: UnityAssetSpec, text: str, hits: dict[str, list[str]], notes: _Notes, where: str
) -> Archetype:
    navigation_words = hits["obstacle"] + hits["target"] + hits["collect"] + hits["move"]
    if hits["balance"] and navigation_words:
        raise SpecError(
            f"{where}: description mixes balancing ({', '.join(hits['balance'])}) with navigation "
            f"({', '.join(navigation_words)}); the archetypes are separate tasks: describe one"
        )
    if hits["balance"]:
        notes.reasons.append(f"archetype balance (3DBall): description says {', '.join(hits['balance'])}")
        return Archetype.BALANCE
    if navigation_words:
        if hits["collect"]:
            notes.reasons.append(
                f"'{hits['collect'][0]}' maps onto reaching a target: the item is the target, "
                "collected on contact"
            )
        if not hits["target"] and not hits["collect"]:
            notes.fallbacks.append(
                "description names no goal: the archetype's target (reach it to end the episode) is used"
            )
        return Archetype.NAVIGATION if _wants_obstacles(text, hits) else Archetype.REACH_TARGET
    # no vocabulary: only the spaces can tell, and saying so is a reported fallback
    keys = set(asset.observation_space or {})
    if keys and keys <= set(NAVIGATION_KEYS):
        if not text:
            notes.fallbacks.append(
                f"description is empty: archetype chosen from observation_space keys {sorted(keys)}"
            )
        else:
            notes.fallbacks.append(
                f"description {asset.description!r} names no known behavior: archetype chosen from "
                f"observation_space keys {sorted(keys)}"
            )
        return (
            Archetype.NAVIGATION
            if "raycast" in {NAVIGATION_KEYS[k] for k in keys}
            else Archetype.REACH_TARGET
        )
    vocabulary = "navigate/move, obstacles/avoid, target/goal/reach, collect/pick up, balance/ball/platform"
    if not text:
        raise SpecError(f"{where}: description is empty; describe the behavior using words like {vocabulary}")
    raise SpecError(
        f"{where}: description {asset.description!r} names no behavior the interpreter knows "
        f"(expected words like {vocabulary})"
    )


def _wants_obstacles(text: str, hits: dict[str, list[str]]) -> bool:
    if not hits["obstacle"]:
        return False
    negated = re.search(
        r"\b(no|without|zero|free of)\s+(any\s+)?(obstacle|barrier|block|pillar)", text
    ) or re.search(r"\b(obstacle|barrier)\s*free\b", text)
    return not negated


def _num_obstacles(text: str, hits: dict[str, list[str]], archetype: Archetype, notes: _Notes) -> int:
    if archetype is Archetype.REACH_TARGET:
        if hits["obstacle"]:
            notes.reasons.append("archetype reach_target: the description rules obstacles out")
        else:
            words = ", ".join(hits["target"] + hits["collect"] + hits["move"])
            notes.reasons.append(f"archetype reach_target: description says {words} and names no obstacles")
        return 0
    notes.reasons.append(
        f"archetype navigation: description says {', '.join(hits['obstacle'])} "
        f"and {', '.join(hits['target'] + hits['collect'] + hits['move']) or 'nothing about a goal'}"
    )
    number = r"(\d+|" + "|".join(NUMBERS) + r")"
    match = re.search(number + r"\s+(?:\w+\s+)?(obstacle|barrier|block|pillar)", text)
    if match:
        raw = match.group(1)
        count = int(raw) if raw.isdigit() else NUMBERS[raw]
        if not 1 <= count <= 32:
            raise SpecError(f"description asks for {count} obstacles; the arena holds 1 to 32")
        notes.reasons.append(f"{count} obstacles: the description says '{match.group(0)}'")
        return count
    count = NavigationParams().num_obstacles
    notes.fallbacks.append(f"description gives no obstacle count: the simulator's default {count} is used")
    return count


# --- spaces ---


def _navigation_observations(
    asset: UnityAssetSpec, archetype: Archetype, hits: dict[str, list[str]], notes: _Notes, where: str
) -> tuple[tuple[SensorItem, ...], int]:
    space = asset.observation_space
    if space is None:
        items = default_spec(archetype, "X").observations
        notes.fallbacks.append(
            "no observation_space: the archetype's default observations "
            + ", ".join(f"{o.kind} ({o.size})" for o in items)
            + " are used"
        )
        if hits["ray"] and not any(o.kind == "raycast" for o in items):
            items = (SensorItem("raycast", 8), *items)
            notes.reasons.append(f"description says {', '.join(hits['ray'])}: raycast (8) observed first")
        return items, 8
    if not space:
        raise SpecError(
            f"{where}: observation_space is empty (give observation names and sizes or leave it out)"
        )
    items: list[SensorItem] = []
    num_rays = 8
    for key, size in space.items():
        kind = NAVIGATION_KEYS.get(str(key).lower())
        if kind is None:
            raise SpecError(
                f"{where}: observation_space key '{key}' is unknown "
                f"(expected one of {sorted(NAVIGATION_KEYS)})"
            )
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise SpecError(f"{where}: observation_space['{key}'] must be a positive integer, got {size!r}")
        fixed = FIXED_SIZES.get(kind)
        if fixed is not None and size != fixed:
            raise SpecError(
                f"{where}: observation_space['{key}'] = {size}, but {kind} is {fixed} floats in the "
                f"x-z plane the agent moves in"
            )
        if kind == "raycast":
            if not 1 <= size <= 64:
                raise SpecError(f"{where}: observation_space['{key}'] = {size} rays; expected 1 to 64")
            num_rays = size
        if any(i.kind == kind for i in items):
            raise SpecError(f"{where}: observation_space names {kind} twice ('{key}')")
        items.append(SensorItem(kind, size))
        notes.reasons.append(f"observation {kind} ({size}) from observation_space['{key}']")
    kinds = {i.kind for i in items}
    if hits["ray"] and "raycast" not in kinds:
        raise SpecError(
            f"{where}: description says {', '.join(hits['ray'])} but observation_space {dict(space)} has no "
            "raycast item (add e.g. raycast: 8, or drop the rays from the description)"
        )
    if not kinds & {"target_direction", "target_distance"}:
        items.append(SensorItem("target_direction", 2))
        notes.fallbacks.append(
            "observation_space has no target observation but the behavior must find its target: added "
            "target_direction (2) after the given items"
        )
    return tuple(items), num_rays


def _balance_observations(asset: UnityAssetSpec, notes: _Notes, where: str) -> None:
    space = asset.observation_space
    layout = list(BALANCE_OBSERVATIONS.items())
    if space is None:
        notes.fallbacks.append("no observation_space: the 3DBall layout (8 floats) is used")
        return
    covered: list[str] = []
    for key, size in space.items():
        parts = BALANCE_KEYS.get(str(key).lower())
        if parts is None:
            raise SpecError(
                f"{where}: observation_space key '{key}' is unknown to balance "
                f"(expected one of {sorted(BALANCE_KEYS)})"
            )
        expected = sum(BALANCE_OBSERVATIONS[p] for p in parts)
        if size != expected:
            raise SpecError(
                f"{where}: observation_space['{key}'] = {size!r}, balance observes it as {expected} floats"
            )
        covered.extend(parts)
    if covered != [k for k, _ in layout]:
        raise SpecError(
            f"{where}: observation_space {dict(space)} does not give the 3DBall layout in order "
            f"{[k for k, _ in layout]} (8 floats)"
        )
    notes.reasons.append(f"observation_space {dict(space)} matches the 3DBall layout")


def _actions(
    asset: UnityAssetSpec, archetype: Archetype, hits: dict[str, list[str]], notes: _Notes, where: str
) -> Any:
    space: Mapping[str, Any] | None = asset.action_space
    if space is None:
        if archetype is not Archetype.BALANCE and hits["discrete"]:
            notes.reasons.append("no action_space; the description asks for discrete moves: one branch of 5")
            return NAVIGATION_DISCRETE
        notes.fallbacks.append("no action_space: 2 continuous actions (the archetype's default) are used")
        return NAVIGATION_CONTINUOUS
    unknown = sorted(set(space) - {"type", "size", "branches"})
    if unknown:
        raise SpecError(
            f"{where}: action_space key '{unknown[0]}' is unknown (expected type, size, branches)"
        )
    kind = str(space.get("type", "")).lower()
    if kind == "continuous" and hits["discrete"] and archetype is not Archetype.BALANCE:
        raise SpecError(
            f"{where}: description says {', '.join(hits['discrete'])} (discrete moves) but action_space is "
            "continuous"
        )
    if kind == "continuous":
        size = space.get("size")
        if "branches" in space:
            raise SpecError(f"{where}: action_space of type continuous has no 'branches'")
        if size != 2:
            what = "tilt about z and x" if archetype is Archetype.BALANCE else "move along x and z"
            raise SpecError(
                f"{where}: action_space continuous size {size!r} contradicts the {archetype.value} behavior "
                f"({what}: size 2)"
            )
        notes.reasons.append("actions: 2 continuous from action_space")
        return NAVIGATION_CONTINUOUS
    if kind == "discrete":
        if archetype is Archetype.BALANCE:
            raise SpecError(
                f"{where}: action_space discrete contradicts balancing "
                "(3DBall tilts with 2 continuous actions)"
            )
        branches = space.get("branches")
        if branches is None and "size" in space:
            branches = [space["size"]]  # one branch of `size` actions
        if branches != [5] and branches != (5,):
            raise SpecError(
                f"{where}: action_space discrete {branches!r} contradicts navigation, "
                "whose discrete moves are one "
                "branch of 5 (stay, forward +z, back -z, left -x, right +x)"
            )
        notes.reasons.append("actions: one discrete branch of 5 from action_space")
        return NAVIGATION_DISCRETE
    raise SpecError(
        f"{where}: action_space type must be 'continuous' or 'discrete', got {space.get('type')!r}"
    )
