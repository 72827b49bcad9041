"""Sanity checks of a world before any training: rewards can fire, idling and looping do not pay, sizes agree.

Static checks read the world (``world.validate`` already refuses rewards that can never fire); measured
checks run short rollouts in the generic simulator (``sim.make_world``) with an idle policy (every action
"none" or 0) and a uniform random policy. Each check says what it found and, when it fails, what to change.
Worlds the simulator does not run yet get their measured checks ``skipped`` with the features that stop them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np

from ..errors import SpecError
from ..sim import make_world
from ..sim.world_env import unsupported
from ..sim.world_heuristic import heuristic_plan, world_heuristic
from ..spaces import ActionTuple
from ..world.model import DiscreteAction, EndKind, EntityKind, EventKind, World
from ..world.validate import _sensor_size, validate
from .world_rules import perceived_tags

ROLLOUT_AREAS = 16
"""Areas run side by side in the measured checks."""
ROLLOUT_DECISIONS = 300
"""Decisions per measured rollout (about 1 to 3 episodes of the default worlds per area)."""
IDLE_SHARE = 0.05
"""Idling may earn at most this share of the largest single positive reward per episode."""
HEURISTIC_FACTOR = 2
"""The scripted heuristic's rollout runs this many times the decisions of the others (several episodes)."""
MIN_HEURISTIC_SUCCESS = 0.1
"""The scripted heuristic must succeed in at least this fraction of its ended episodes: below it the success
condition counts as unreachable (the heuristic is simple, so the bar is low; the figure is reported)."""
TRIVIAL_SUCCESS = 0.9
"""A random policy succeeding in more than this fraction of episodes (with at least one ended episode per
area, so the figure means something) makes the task trivial."""


class CheckStatus(StrEnum):
    """The outcome of one check."""

    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class SanityCheck:
    """One check's outcome: what was found and, on failure, what to change."""

    name: str
    """``rewards_fire``, ``perception``, ``sizes``, ``idle_farming`` or ``random_rollout``."""
    status: CheckStatus
    """passed, failed or skipped."""
    detail: str
    """What was checked or measured (figures included)."""
    fix: str = ""
    """What to change (failures only)."""

    def line(self) -> str:
        """One line for a terminal."""
        text = f"{self.name}: {self.status.value} - {self.detail}"
        return f"{text}; fix: {self.fix}" if self.fix else text


@dataclass(frozen=True)
class SanityReport:
    """All checks of one world."""

    world: str
    """The world's name."""
    checks: tuple[SanityCheck, ...]
    """The checks in order."""

    @property
    def passed(self) -> bool:
        """No check failed (skipped checks do not fail a world)."""
        return all(c.status is not CheckStatus.FAILED for c in self.checks)

    def by_name(self, name: str) -> SanityCheck:
        """Return the check called ``name``."""
        return next(c for c in self.checks if c.name == name)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "world": self.world,
            "passed": self.passed,
            "checks": [
                {"name": c.name, "status": c.status.value, "detail": c.detail, "fix": c.fix}
                for c in self.checks
            ],
        }


def sanity_check(
    world: World,
    *,
    observation_space: Mapping[str, int] | None = None,
    action_space: Mapping[str, Any] | None = None,
    decisions: int = ROLLOUT_DECISIONS,
    areas: int = ROLLOUT_AREAS,
    seed: int = 0,
) -> SanityReport:
    """Run the sanity checks on ``world``.

    Args:
        world: the world.
        observation_space: the asset's observation sizes; their total must equal the world's.
        action_space: the asset's action space; it must equal the world's.
        decisions: decisions per measured rollout.
        areas: areas per measured rollout.
        seed: seed of the rollouts.

    Returns:
        The report (``report.passed``; each check's detail and fix).

    """
    checks = [_rewards_fire(world), _perception(world), check_sizes(world, observation_space, action_space)]

    missing = unsupported(world)
    if missing:
        reason = "the generic simulator does not run " + "; ".join(missing)
        checks += [
            SanityCheck("idle_farming", CheckStatus.SKIPPED, reason),
            SanityCheck("random_rollout", CheckStatus.SKIPPED, reason),
            SanityCheck("heuristic_reach", CheckStatus.SKIPPED, reason),
        ]
    else:
        idle = rollout(world, "idle", decisions=decisions, areas=areas, seed=seed)
        rand = rollout(world, "random", decisions=decisions, areas=areas, seed=seed)
        checks += [
            _idle_farming(world, idle),
            _random_rollout(world, rand),
            _reachable(world, rand, seed, decisions * HEURISTIC_FACTOR),
        ]
    return SanityReport(world.name, tuple(checks))


# --- static checks ------------------------------------------------------------------------------------------


def _rewards_fire(world: World) -> SanityCheck:
    try:
        validate(world)
    except SpecError as exc:
        return SanityCheck("rewards_fire", CheckStatus.FAILED, str(exc), "change the field named above")
    for i, r in enumerate(world.rewards):
        if r.event in (EventKind.REACH, EventKind.TOUCH) and r.value > 0 and r.end is EndKind.NONE:
            return SanityCheck(
                "rewards_fire",
                CheckStatus.FAILED,
                f"rewards[{i}] ({r.event.value} {r.what} {r.value:+g}) pays every physics step in contact "
                "and never ends: standing on it farms reward",
                f"give rewards[{i}] end: terminated, or make '{r.what}' a collectible with a collect reward",
            )
    return SanityCheck(
        "rewards_fire",
        CheckStatus.PASSED,
        f"{len(world.rewards)} rewards, each with something to fire on (world.validate)",
    )


def _perception(world: World) -> SanityCheck:
    seen = perceived_tags(world)
    for i, r in enumerate(world.rewards):
        for tag in (r.what, r.into):
            if tag is not None and tag not in seen:
                return SanityCheck(
                    "perception",
                    CheckStatus.FAILED,
                    f"rewards[{i}] ({r.event.value}) depends on '{tag}', which no sensor perceives "
                    f"(sensors see {sorted(seen) or 'no tags'})",
                    f"add '{tag}' to a ray sensor's detectable_tags or a direction_to item of '{tag}'",
                )
    return SanityCheck(
        "perception", CheckStatus.PASSED, f"every reward's tag is perceived (sensors see {sorted(seen)})"
    )


def world_sizes(world: World) -> tuple[int, tuple[int, ...], int]:
    """Return (observation floats of all sensors, discrete branch sizes, continuous actions) of the agent."""
    floats = sum(_sensor_size(s, world) for s in world.agent.sensors)
    actions = world.agent.actions
    return floats, tuple(len(b.choices) for b in actions.discrete), len(actions.continuous)


def check_sizes(
    world: World, observation_space: Mapping[str, int] | None, action_space: Mapping[str, Any] | None
) -> SanityCheck:
    """Compare the world's observation floats and actions with the asset's spaces (the ``sizes`` check)."""
    floats, branches, continuous = world_sizes(world)
    found = f"{floats} observation floats, " + (
        f"discrete branches {list(branches)}" if branches else f"{continuous} continuous actions"
    )
    if observation_space is not None:
        asked = sum(int(v) for v in observation_space.values())
        if asked != floats:
            return SanityCheck(
                "sizes",
                CheckStatus.FAILED,
                f"observation_space totals {asked} floats, the world's sensors give {floats}",
                "make observation_space match the sensors (or leave it out)",
            )
    if action_space is not None:
        kind = str(action_space.get("type", "")).lower()
        if kind == "continuous" and (branches or action_space.get("size") != continuous):
            return SanityCheck(
                "sizes",
                CheckStatus.FAILED,
                f"action_space asks continuous {action_space.get('size')}, the world has {found}",
                "make action_space match agent.actions",
            )
        if kind == "discrete" and list(action_space.get("branches", [action_space.get("size")])) != list(
            branches
        ):
            return SanityCheck(
                "sizes",
                CheckStatus.FAILED,
                f"action_space asks discrete {action_space.get('branches')}, the world has {found}",
                "make action_space match agent.actions",
            )
    return SanityCheck(
        "sizes",
        CheckStatus.PASSED,
        found + " (as the asset gives them)" if observation_space or action_space else found,
    )


# --- measured checks ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rollout:
    """What a policy earned in a short rollout."""

    policy: str
    """``idle``, ``random`` or ``heuristic``."""
    episodes: int
    """Episodes that ended."""
    return_per_area: float
    """Mean reward summed over the rollout, per area."""
    episode_return: float
    """Mean return of ended episodes (nan when none ended)."""
    success_rate: float
    """Fraction of ended episodes that ended in success (nan when none ended)."""
    decisions: int
    """Decisions run."""
    areas: int
    """Areas run side by side."""


def rollout(world: World, policy: str, *, decisions: int, areas: int, seed: int) -> Rollout:
    """Run ``policy`` (``idle``, ``random``, ``heuristic``) in ``world`` for ``decisions`` decisions per area.

    Args:
        world: a world the simulator runs.
        policy: ``idle`` (no move: action 0 or the branch's ``none``), ``random`` (uniform) or
            ``heuristic`` (the world's scripted controller, ``world_heuristic``).
        decisions: decisions to run.
        areas: areas side by side.
        seed: seed of the environment and the policy.

    Returns:
        The rollout's figures.

    """
    agents = areas * world.agent.count  # whole areas (several agents each in multi-agent worlds)
    env = make_world(world, num_agents=agents, seed=seed)
    rng = np.random.default_rng(seed)
    scripted = world_heuristic(env) if policy == "heuristic" else None
    spec = env.signature.action_spec
    none = [
        b.choices.index(DiscreteAction.NONE) if DiscreteAction.NONE in b.choices else 0
        for b in world.agent.actions.discrete
    ]
    batch = env.reset(seed=seed)
    running = np.zeros(agents)
    total = np.zeros(agents)
    returns: list[float] = []
    successes = 0
    try:
        for _ in range(decisions):
            if scripted is not None:
                action = scripted(batch)
                cont, disc = action.continuous, action.discrete
            elif policy == "idle":
                cont = np.zeros((agents, spec.continuous_size), np.float32)
                disc = np.tile(np.int32(none), (agents, 1)).reshape(agents, len(none))
            else:
                cont = rng.uniform(-1, 1, (agents, spec.continuous_size)).astype(np.float32)
                disc = (
                    np.stack([rng.integers(0, n, agents) for n in spec.discrete_branches], axis=1).astype(
                        np.int32
                    )
                    if spec.discrete_branches
                    else np.zeros((agents, 0), np.int32)
                )
            batch = env.step(ActionTuple(cont, disc))
            reward = batch.reward if batch.group_reward is None else batch.reward + batch.group_reward
            running += reward
            total += reward
            ended = batch.terminated | batch.truncated
            returns += running[ended].tolist()
            successes += int(batch.success[ended].sum())
            running[ended] = 0.0
    finally:
        env.close()
    n = len(returns)
    return Rollout(
        policy,
        n,
        float(total.mean()),
        float(np.mean(returns)) if n else float("nan"),
        successes / n if n else float("nan"),
        decisions,
        areas,
    )


def _largest_reward(world: World) -> float:
    values = [r.value for r in world.rewards if r.value > 0 and r.event is not EventKind.TIME_PENALTY]
    values += [
        r.value * e.value
        for r in world.rewards
        if r.event is EventKind.COLLECT
        for e in world.entities
        if e.kind is EntityKind.COLLECTIBLE and world.tag_of(e) == r.what
    ]
    return max(values, default=1.0)


def _idle_farming(world: World, idle: Rollout) -> SanityCheck:
    # A survival bonus (a positive time reward) is the task only where something ends the episode badly
    # (a chaser or hazard touched): without a threat, staying alive by idling is farming.
    threat = any(
        r.event is EventKind.TOUCH and r.value < 0 and r.end is not EndKind.NONE for r in world.rewards
    )
    survival = threat and any(r.event is EventKind.TIME_PENALTY and r.value > 0 for r in world.rewards)
    limit = IDLE_SHARE * _largest_reward(world)
    detail = (
        f"idle policy: {idle.return_per_area:+.3f} per area over {idle.decisions} decisions, "
        f"{idle.episodes} episodes ended"
    )
    if survival:
        return SanityCheck(
            "idle_farming", CheckStatus.PASSED, detail + " (a survival bonus: staying alive is the task)"
        )
    if idle.return_per_area > limit:
        return SanityCheck(
            "idle_farming",
            CheckStatus.FAILED,
            detail + f", above {limit:.3f}: doing nothing pays",
            "remove positive rewards that fire without moving (a reach/touch on the spawn, a positive "
            "time_penalty), or move the spawns apart",
        )
    return SanityCheck("idle_farming", CheckStatus.PASSED, detail + f" (at most {limit:.3f} allowed)")


def _episode_bound(world: World) -> float:
    """Return the most one episode can earn when each reward fires as meant (collectibles once each)."""
    diagonal = float(np.hypot(*world.arena.size))
    bound = 0.0
    for r in world.rewards:
        if r.event is EventKind.COLLECT:
            bound += sum(
                max(0.0, r.value * e.value) * e.count
                for e in world.entities
                if e.kind is EntityKind.COLLECTIBLE and world.tag_of(e) == r.what and not e.respawn
            )
            if any(e.respawn for e in world.entities if world.tag_of(e) == r.what):
                return float("inf")  # respawning collectibles are meant to be farmed
        elif r.event is EventKind.SHAPING:
            bound += max(0.0, r.value) * diagonal
        elif r.value > 0:
            bound += r.value
    return bound


def _random_rollout(world: World, rand: Rollout) -> SanityCheck:
    detail = (
        f"random policy: {rand.episodes} episodes, mean return {rand.episode_return:+.3f}, "
        f"success {rand.success_rate:.0%}"
        if rand.episodes
        else f"random policy: no episode ended in {rand.decisions} decisions, "
        f"{rand.return_per_area:+.3f}/area"
    )
    bound = _episode_bound(world)
    episodes = rand.episodes / rand.areas
    if rand.return_per_area > bound * (episodes + 1) + 1e-6:
        return SanityCheck(
            "random_rollout",
            CheckStatus.FAILED,
            detail
            + f"; earns {rand.return_per_area:+.3f} per area, more than the rewards allow ({bound:.3f} per "
            "episode): a reward repeats (looping farms it)",
            "make repeated rewards end the episode or collectibles vanish",
        )
    if rand.episodes >= rand.areas and rand.success_rate > TRIVIAL_SUCCESS:
        return SanityCheck(
            "random_rollout",
            CheckStatus.FAILED,
            detail + ": the task is trivial",
            "enlarge the arena, shrink the goal or start the agent farther from it",
        )
    return SanityCheck("random_rollout", CheckStatus.PASSED, detail)


def _reachable(world: World, rand: Rollout, seed: int, decisions: int) -> SanityCheck:
    """Check that the scripted heuristic (``world_heuristic``) reaches success in a measured fraction."""
    plan = heuristic_plan(world)
    if plan.unscripted:
        return SanityCheck(
            "heuristic_reach",
            CheckStatus.SKIPPED,
            "the scripted heuristic does not play " + ", ".join(plan.unscripted),
        )
    heur = rollout(world, "heuristic", decisions=decisions, areas=rand.areas, seed=seed)
    goals = [r.what or r.into or r.event.value for r in world.rewards if r.success]
    if goals:
        named = ", ".join(f"'{g}'" for g in dict.fromkeys(goals))
        detail = (
            f"heuristic: success in {heur.success_rate:.0%} of {heur.episodes} episodes "
            f"(random {rand.success_rate if rand.episodes else 0.0:.0%}), "
            f"mean return {heur.episode_return:+.3f}"
            if heur.episodes
            else f"heuristic: no episode ended in {heur.decisions} decisions"
        )
        if not heur.episodes or heur.success_rate < MIN_HEURISTIC_SUCCESS:
            return SanityCheck(
                "heuristic_reach",
                CheckStatus.FAILED,
                detail + f": the success condition ({named}) is not reachable by going there "
                f"around {', '.join(plan.avoid) or 'nothing'}",
                f"open a path to {named}: move spawns apart, shrink or remove hazards and obstacles in "
                "the way, or lengthen max_step",
            )
        return SanityCheck("heuristic_reach", CheckStatus.PASSED, detail)
    detail = (
        f"heuristic: {heur.return_per_area:+.3f} per area over {heur.decisions} decisions "
        f"(random {rand.return_per_area * heur.decisions / rand.decisions:+.3f}); "
        "the world has no success event"
    )
    if heur.return_per_area <= 0.0:
        return SanityCheck(
            "heuristic_reach",
            CheckStatus.FAILED,
            detail + f": seeking {', '.join(plan.seeks)} earns nothing",
            "place the collectibles where the agent can reach them, or give them a positive value",
        )
    return SanityCheck("heuristic_reach", CheckStatus.PASSED, detail)
