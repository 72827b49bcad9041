"""A scripted controller for any world, generated from its IR: seek what pays, push blocks home, avoid harm.

``heuristic_plan(world)`` reads the rewards once: the tags worth reaching or collecting (success events and
positive collectibles), the blocks to push into which zones, and the tags that hurt (negative touches or
collectibles, chasers). ``world_heuristic(env)`` turns the plan into actions each decision from the
simulator's true positions (what a scripted ``Heuristic()`` in the Unity scene can read): a desired direction
toward the nearest sought thing (collectibles before the goal that ends the episode; behind a block and then
along the block-to-zone line when pushing), bent around hazards and obstacles ahead, then mapped onto the
world's own actions (world-frame moves, forward/strafe/rotate, or the discrete branch choice closest to it).

In a maze or rooms layout (``arena.layout``) the way to the goal runs through the cell graph: a breadth-first
search from the goal's cell gives each cell its next cell, and the agent heads for a point just past the
crossing of their shared edge, moving mostly sideways first while its footprint would not pass the crossing
(``_through_layout``).

Switches that open a door or reveal something are turned on first (the nearest one still off); an open door
whose wall lies between the agent and its goal is passed through its doorway. Targets matched against a cue
are sought only where they match the value the cue drew this episode (what the agent sees on the sign), and
the others are avoided like hazards.

Teammates (``agent.count > 1``) each play the plan, so a group's members push its block home together.
Worlds needing more than that (jumps no jump clears, pushing in a layout, open platforms, a cue value
without a matching target, a door no switch opens) are listed in ``HeuristicPlan.unscripted``: the heuristic
still runs there, but the reachability check does not judge a world by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..spaces import ActionTuple, StepBatch
from ..world.layouts import STEPS, agent_reach, doorway
from ..world.model import (
    ActorBehavior,
    ContinuousAction,
    DiscreteAction,
    EndKind,
    EntityKind,
    EventKind,
    Motion,
    World,
)
from .world_actors import EVADE_LOOKAHEAD, evade_points, evade_turns

if TYPE_CHECKING:
    from .policies import Policy
    from .world_env import WorldEnv

FLEE_DISTANCE = 4.0
"""A chaser nearer than this (centre to centre) makes the controller flee even while it seeks something."""
AVOID_MARGIN = 1.5
"""Distance (world units) beyond contact at which a hazard or obstacle ahead starts to bend the path."""
PUSH_SLACK = 0.6
"""How close to the point behind a block the agent must be before it pushes."""
JUMP_CLEARANCE = 0.6
"""Fraction of a jump's drag-free apex an obstacle's height may reach to count as jumpable (drag and the
agent's own height take the rest)."""
JUMP_AHEAD = 2.0
"""Distance (world units) beyond contact at which the controller jumps a jumpable obstacle ahead."""
TURN_FIRST_DEGREES = 30.0
"""Discrete turning agents turn in place while the goal is off their heading by more than this."""
CLOSING_CUT = 1.0
"""Fraction of the motion still closing on a hazard ahead that ``_bend`` removes at contact (scaled by its
weight further out). Measured on LavaWalker (16 areas, 600 decisions): without it 75 % of episodes won,
with it 92 %."""
CRUISE_SPEED = 12.0
"""Top speed (units/s) the controller drives a velocity-change body at. Full continuous moves add ``speed``
every physics step against drag: GoalPusher's agent (PushBlock's 3 per step, drag 4) would reach 34 units/s,
overshoot the point behind the box and knock it aside. Measured (GoalPusher, 16 areas, 1500 decisions):
full moves won 99 % of episodes in about 125 decisions each, 0.6 of them (21 units/s) 72 %, 0.3 and 0.45
(10 and 15 units/s) 100 % in about 20 decisions; the clone of slow, short demonstrations is what PPO starts
from."""

# one row per discrete choice: (right, forward, turn sign, world x, world z), as the simulator reads them
_CHOICE_VECTORS: dict[DiscreteAction, tuple[float, float, float, float, float]] = {
    DiscreteAction.FORWARD: (0, 1, 0, 0, 0),
    DiscreteAction.BACK: (0, -1, 0, 0, 0),
    DiscreteAction.TURN_RIGHT: (0, 0, 1, 0, 0),
    DiscreteAction.TURN_LEFT: (0, 0, -1, 0, 0),
    DiscreteAction.STRAFE_LEFT: (-1, 0, 0, 0, 0),
    DiscreteAction.STRAFE_RIGHT: (1, 0, 0, 0, 0),
    DiscreteAction.NORTH: (0, 0, 0, 0, 1),
    DiscreteAction.SOUTH: (0, 0, 0, 0, -1),
    DiscreteAction.EAST: (0, 0, 0, 1, 0),
    DiscreteAction.WEST: (0, 0, 0, -1, 0),
}


@dataclass(frozen=True)
class HeuristicPlan:
    """What the scripted controller pursues in a world, read from its rewards."""

    collect: tuple[str, ...]
    """Tags of collectibles worth taking (reward x value > 0), taken first."""
    reach: tuple[str, ...]
    """Tags whose reach ends the episode in success (or pays), sought once nothing is left to collect."""
    push: tuple[tuple[str, str], ...]
    """(block tag, zone tag) pairs to push."""
    avoid: tuple[str, ...]
    """Tags that hurt on contact (hazards, bad collectibles, chasers): the path bends around them."""
    unscripted: tuple[str, ...]
    """Features the controller does not script (named); empty when it plays the world as meant."""
    flee: tuple[str, ...] = ()
    """Tags of chaser actors whose touch hurts: the controller runs from them (``_flee``)."""
    follow: tuple[tuple[str, float], ...] = ()
    """(tag, within) of ``near`` rewards: the controller keeps close behind that entity (``_follow``)."""
    switches: tuple[str, ...] = ()
    """Tags of switches that open a door or reveal something: turned on before anything else is sought."""
    matched: tuple[str, ...] = ()
    """Tags of targets that count only where they match a cue's value: the matching copies are sought and
    the others avoided (a wrong choice)."""
    jump_over: tuple[str, ...] = ()
    """Tags of obstacles low enough to jump: the controller jumps when one is just ahead instead of going
    around it."""

    @property
    def seeks(self) -> tuple[str, ...]:
        """Everything the controller goes for, in priority order."""
        return (*self.collect, *self.reach, *(block for block, _ in self.push))


def heuristic_plan(world: World) -> HeuristicPlan:
    """Read what to seek, push and avoid from a world's rewards.

    Args:
        world: a validated world.

    Returns:
        The plan; ``unscripted`` names what the controller cannot play.

    """
    values = {world.tag_of(e): e.value for e in world.entities if e.kind is EntityKind.COLLECTIBLE}
    collect, reach, push, avoid = [], [], [], []
    for r in world.rewards:
        if r.what is None:
            continue
        if r.event is EventKind.COLLECT:
            (collect if r.value * values.get(r.what, 1.0) > 0 else avoid).append(r.what)
        elif r.event is EventKind.REACH and (r.success or r.value > 0):
            reach.append(r.what)
        elif r.event is EventKind.PUSH_INTO_ZONE and r.into is not None and r.value > 0:
            push.append((r.what, r.into))
        elif r.event in (EventKind.TOUCH, EventKind.REACH) and r.value < 0:
            avoid.append(r.what)
    for e in world.entities:
        if e.actor is not None and e.actor.behavior is ActorBehavior.CHASER:
            avoid.append(world.tag_of(e))
    switches, matched, unscripted = _switch_plan(world), _cue_plan(world), []
    kinds = {e.kind for e in world.entities}
    if matched is None:
        unscripted.append("a cue to remember and match")
    if EntityKind.DOOR in kinds and not switches:
        unscripted.append("a door no switch opens")
    jump_over = _jump_plan(world)
    if world.agent.movement.jump_speed > 0 and not jump_over:
        unscripted.append("jumping")
    if world.arena.layout is not None and push:
        unscripted.append("pushing blocks through a maze or rooms")
    if world.arena.walls is None:
        unscripted.append("an open platform's edges")
    flee, follow = _actor_plan(world)
    if not (collect or reach or push or flee or follow):
        unscripted.append("no reward to seek (only to survive)" if avoid else "no goal")
    return HeuristicPlan(
        tuple(dict.fromkeys(collect)),
        tuple(dict.fromkeys(reach)),
        tuple(dict.fromkeys(push)),
        tuple(dict.fromkeys(avoid)),
        tuple(unscripted),
        flee,
        follow,
        switches,
        matched or (),
        jump_over,
    )


def _actor_plan(world: World) -> tuple[tuple[str, ...], tuple[tuple[str, float], ...]]:
    """Return the chaser tags to flee (their touch or reach hurts) and the (tag, within) to stay near."""
    hurts = {
        r.what
        for r in world.rewards
        if r.event in (EventKind.TOUCH, EventKind.REACH)
        and (r.value < 0 or (r.end is not EndKind.NONE and not r.success))
    }
    chasers = [
        world.tag_of(e)
        for e in world.entities
        if e.actor is not None
        and e.actor.behavior is ActorBehavior.CHASER
        and e.actor.follows in (None, world.agent.tag)
        and world.tag_of(e) in hurts
    ]
    follow = [(r.what, r.within) for r in world.rewards if r.event is EventKind.NEAR and r.value > 0]
    return tuple(dict.fromkeys(chasers)), tuple((t, float(w)) for t, w in dict.fromkeys(follow) if t and w)


def _jump_plan(world: World) -> tuple[str, ...]:
    """Tags of the obstacles a jump clears (top below the jump's drag-free apex, v^2 / 2g, less a margin).

    Only for agents with a jump action and gravity on them (a dynamic body: ``velocity_change``).
    """
    movement = world.agent.movement
    actions = world.agent.actions
    can_jump = ContinuousAction.JUMP in actions.continuous or any(
        DiscreteAction.JUMP in b.choices for b in actions.discrete
    )
    if movement.jump_speed <= 0 or not can_jump or movement.motion is not Motion.VELOCITY_CHANGE:
        return ()
    apex = movement.jump_speed**2 / (2.0 * world.arena.gravity)
    return tuple(
        dict.fromkeys(
            world.tag_of(e)
            for e in world.entities
            if e.kind is EntityKind.OBSTACLE and e.size[1] < JUMP_CLEARANCE * apex
        )
    )


def _switch_plan(world: World) -> tuple[str, ...]:
    """Tags of the switches worth turning on: those that open a door or reveal an entity."""
    names = {e.name for e in world.entities}
    revealed = {e.appears_on for e in world.entities if e.appears_on is not None}
    return tuple(
        dict.fromkeys(
            world.tag_of(e)
            for e in world.entities
            if e.kind is EntityKind.SWITCH and (e.opens in names or e.name in revealed)
        )
    )


def _cue_plan(world: World) -> tuple[str, ...] | None:
    """Tags of the targets matched against a cue; None where a cue or a wrong choice has no matching target.

    The scripted ``Heuristic()`` reads the value the cue drew (what the agent sees on it) and goes to the
    target that ``matches`` it, so it plays a cue only where every value has its target.
    """
    cues = [e for e in world.entities if e.kind is EntityKind.CUE]
    wrong = any(r.event is EventKind.WRONG_CHOICE for r in world.rewards)
    targets = [e for e in world.entities if e.matches is not None]
    if not cues and not wrong:
        return ()
    values = {v for e in cues for v in e.cue_values}
    if not targets or not values or not values <= {e.matches for e in targets}:
        return None
    return tuple(dict.fromkeys(world.tag_of(e) for e in targets))


def world_heuristic(env: WorldEnv) -> Policy:
    """Return the scripted controller of a world running in the generic simulator.

    Args:
        env: the world's simulator (``sim.make_world``).

    Returns:
        ``policy(batch) -> ActionTuple`` for every area.

    """
    return _Controller(env)


def cruise_throttle(world: World, physics_dt: float) -> float:
    """Return the fraction of a full continuous move that keeps the agent near ``CRUISE_SPEED`` (at most 1).

    A set-velocity agent moves at ``speed``; a velocity-change one gains ``speed`` per physics step and keeps
    ``1 - drag * dt`` of its velocity, so it settles at ``speed * (1 - drag * dt) / (drag * dt)``.
    """
    movement, drag = world.agent.movement, world.agent.body.drag * physics_dt
    if movement.motion is not Motion.VELOCITY_CHANGE or drag <= 0.0:
        return 1.0
    terminal = movement.speed * max(1.0 - drag, 0.0) / min(drag, 1.0)
    return float(min(1.0, CRUISE_SPEED / max(terminal, 1e-9)))


class _Controller:
    """The heuristic of one ``WorldEnv``: tables from the world, then a desired direction per decision."""

    def __init__(self, env: WorldEnv) -> None:
        world = env.world
        self.env, self.world = env, world
        self.plan = heuristic_plan(world)
        copies = [e for e in world.entities for _ in range(e.count)]
        self.copy_tags = np.array([world.tag_of(e) for e in copies], dtype=object)
        self.regions = world.arena.regions
        self.agent_half = world.agent.size / 2.0
        actions = world.agent.actions
        self.continuous = actions.continuous
        self.branches = [b.choices for b in actions.discrete]
        movement = world.agent.movement
        self.turn_per_decision = max(movement.turn_degrees * world.decision_period, 1e-6)
        solid = [world.tag_of(e) for e in world.entities if e.kind in (EntityKind.OBSTACLE, EntityKind.BLOCK)]
        self.layouts = env.layouts
        """The areas' mazes or rooms, followed by ``_through_layout`` (None: none, or ignored)."""
        self._to_goal: dict[tuple[int, int], np.ndarray] = {}  # (id of a layout, goal cell) -> BFS steps
        jumpable = set(self.plan.jump_over)
        bend = [t for t in [*self.plan.avoid, *solid] if t not in jumpable]
        if self.layouts is not None:
            # the layout's walls are passed through their crossings, not bent around (even when touching
            # them costs: bending there would push the agent off the crossing's line)
            bend = [t for t in bend if world.arena.walls is None or t != world.arena.walls.tag]
            grid = self.layouts.grid
            # how far off a crossing's line the agent's footprint still passes it
            self._lane = max(doorway(grid, world.arena.layout.kind) / 2.0 - agent_reach(world), 0.0)
        self.bend_around = tuple(dict.fromkeys(bend))
        self.cruise = cruise_throttle(world, env.physics_dt)
        """The fraction of a full move that holds a velocity-change body near ``CRUISE_SPEED``."""
        self.throttle = np.full(env.num_agents, self.cruise)
        """Per agent, the fraction of full moves this decision (the cruise, less not to overshoot a guide)."""
        self.decision_reach = movement.speed * world.decision_period * env.physics_dt
        self.turns = evade_turns()
        self.solid = frozenset(solid)
        kinds = [e.kind for e in copies]
        playing = [world.tag_of(e) in self.plan.switches for e in copies]
        self.switch_copies = np.array(kinds, dtype=object) == EntityKind.SWITCH
        self.switch_copies &= np.array(playing, dtype=bool)
        self.door_copies = np.flatnonzero([k is EntityKind.DOOR for k in kinds])

    # --- targets ---

    def _points(self, tag: str, *, wrong: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return centres (n, k, 2), halves (n, k, 2), active (n, k) of the regions and copies tagged.

        Copies of a cue-matched tag count only where they match this episode's cue (``wrong``: only where
        they do not); switches only while off.
        """
        env, n = self.env, self.env.num_agents
        regions = [r for r in self.regions if r.tag == tag]
        rc = np.array([r.center for r in regions], dtype=np.float64).reshape(-1, 2)
        rh = np.array([r.size for r in regions], dtype=np.float64).reshape(-1, 2) / 2.0
        copies = np.flatnonzero(self.copy_tags == tag)
        area = env.agent_area  # entities are per area; several agents may share one
        live = env.entity_active[area][:, copies]
        if tag in self.plan.matched:
            live = live & (env.entity_match[area][:, copies] != wrong)
        elif wrong:
            live = np.zeros_like(live)
        live = live & ~(env.switch_on[area][:, copies] & self.switch_copies[copies])
        centres = np.concatenate(
            [np.broadcast_to(rc, (n, *rc.shape)), env.entity_position[area][:, copies][..., 0::2]], axis=1
        )
        halves = np.concatenate(
            [np.broadcast_to(rh, (n, *rh.shape)), env.entity_half[area][:, copies][..., 0::2]], axis=1
        )
        active = np.concatenate([np.full((n, len(regions)), not wrong), live], axis=1)
        return centres, halves, active

    def _nearest(self, tags: tuple[str, ...], origin: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the nearest point of an active thing tagged ``tags``, and whether one exists."""
        n = origin.shape[0]
        best = np.full(n, np.inf)
        point = origin.copy()
        for tag in tags:
            centres, halves, active = self._points(tag)
            if not centres.shape[1]:
                continue
            # the closest point inside each box, pulled a little inward so that touching it counts
            inner = np.maximum(halves - 0.25, 0.0)
            closest = np.clip(origin[:, None, :], centres - inner, centres + inner)
            d = np.where(active, np.linalg.norm(closest - origin[:, None, :], axis=2), np.inf)
            k = d.argmin(axis=1)
            dk = d[np.arange(n), k]
            better = dk < best
            best = np.where(better, dk, best)
            point = np.where(better[:, None], closest[np.arange(n), k], point)
        return point, np.isfinite(best)

    def _desired(self) -> np.ndarray:
        env, plan = self.env, self.plan
        p = env.agent_position[:, 0::2]
        n = p.shape[0]
        goal = p.copy()
        found = np.zeros(n, dtype=bool)
        for tags in (plan.switches, plan.collect, plan.reach):
            if tags:
                point, ok = self._nearest(tags, p)
                take = ok & ~found
                goal[take], found[take] = point[take], True
        goal, crossing = self._through_doors(p, goal)
        desired = goal - p
        for block_tag, zone_tag in plan.push:
            desired = np.where(found[:, None], desired, self._push(block_tag, zone_tag, p))
        if self.layouts is not None:
            desired = self._through_layout(p, goal, found, desired)
        distance = np.linalg.norm(goal - p, axis=1)
        self.throttle = np.full(n, self.cruise)
        if plan.follow or plan.flee:
            desired, distance = self._actors(desired, distance, found, p)
        return self._bend(_unit(desired), p, distance, crossing)

    # --- actors: keep close behind a guide, run from chasers ---

    def _actors(
        self, desired: np.ndarray, distance: np.ndarray, found: np.ndarray, p: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Follow a guide where nothing else is sought; flee chasers that are near (always, with no goal)."""
        for tag, within in self.plan.follow:
            behind, ok, gap = self._follow(tag, within, p)
            take = ok & ~found
            desired = np.where(take[:, None], behind - p, desired)
            distance = np.where(take, gap, distance)
            reach = np.clip(gap / self.decision_reach, 0.0, 1.0) * self.cruise
            self.throttle = np.where(take, reach, self.throttle)
            found = found | take
        if self.plan.flee:
            away, near = self._flee(p)
            run = near | ~found
            desired = np.where(run[:, None], away, desired)
            distance = np.where(run, np.inf, distance)
            self.throttle = np.where(run, self.cruise, self.throttle)
        return desired, distance

    def _follow(self, tag: str, within: float, p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return the point behind the nearest copy tagged ``tag``, whether one exists, and the gap to it.

        Behind is along the copy's motion; the standoff is half ``within``, never closer than touching plus a
        margin.
        """
        env, n = self.env, self.env.num_agents
        copies = np.flatnonzero(self.copy_tags == tag)
        if not copies.size:
            return p, np.zeros(n, dtype=bool), np.zeros(n)
        area = env.agent_area  # entities are per area, agents per row
        centres = env.entity_position[area][:, copies][..., 0::2]
        d = np.where(
            env.entity_active[area][:, copies], np.linalg.norm(centres - p[:, None, :], axis=2), np.inf
        )
        k = d.argmin(axis=1)
        rows = np.arange(n)
        guide = centres[rows, k]
        heading = _unit(env.entity_velocity[area][:, copies][rows, k][:, 0::2])
        still = np.linalg.norm(heading, axis=1) < 0.5
        # a still guide: approach it from the side the agent is on
        heading = np.where(still[:, None], _unit(guide - p), heading)
        half = env.entity_half[area][:, copies][rows, k][:, 0::2].max(axis=1)
        standoff = np.maximum(0.5 * within, half + self.agent_half + 0.5)
        behind = guide - heading * standoff[:, None]
        return behind, np.isfinite(d[rows, k]), np.linalg.norm(behind - p, axis=1)

    def _flee(self, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the direction away from the nearest chaser, and whether one is within ``FLEE_DISTANCE``.

        The direction is the evader actors' own rule (``sim.world_actors.evade_points``).
        """
        env, n = self.env, self.env.num_agents
        copies = np.flatnonzero(np.isin(self.copy_tags, self.plan.flee))
        centres = env.entity_position[env.agent_area][:, copies][..., 0::2]  # each agent's area
        active = env.entity_active[env.agent_area][:, copies]

        def threat(q: np.ndarray) -> np.ndarray:
            d = np.linalg.norm(centres - q[:, None, :], axis=2)
            return np.where(active, d, np.inf).min(axis=1, initial=np.inf)

        best = threat(p)
        rows = np.arange(n)
        nearest = centres[
            rows, np.where(active, np.linalg.norm(centres - p[:, None, :], axis=2), np.inf).argmin(axis=1)
        ]
        away = np.where(np.isfinite(best)[:, None], _unit(p - nearest), 0.0)  # no active chaser: stay
        reach = np.maximum(EVADE_LOOKAHEAD * np.where(np.isfinite(best), best, 0.0), self.decision_reach)
        half = np.array([self.env.half_x, self.env.half_z]) - self.agent_half
        goal = evade_points(
            self.turns,
            p,
            away,
            reach,
            (np.broadcast_to(-half, p.shape), np.broadcast_to(half, p.shape)),
            threat,
        )
        return goal - p, best < FLEE_DISTANCE

    def _through_layout(
        self, p: np.ndarray, goal: np.ndarray, found: np.ndarray, desired: np.ndarray
    ) -> np.ndarray:
        """Steer agents whose goal lies in another cell toward the next cell on the shortest path.

        The next cell is the open neighbour one breadth-first step nearer the goal's cell; the agent heads
        for the point half a cell beyond their shared edge's crossing point (a maze edge's middle, a room's
        doorway), mostly sideways first while it is too far off the crossing's line to pass.
        """
        assert self.layouts is not None
        grid = self.layouts.grid
        here, there = grid.cell_of(p), grid.cell_of(goal)
        out = desired.copy()
        for a in np.flatnonzero(found & (here != there)):
            layout = self.layouts.current[self.env.agent_area[a]]  # the agent's area's layout
            key = (id(layout), int(there[a]))
            steps = self._to_goal.get(key)
            if steps is None:
                if len(self._to_goal) > 4096:  # layouts are redrawn every episode: keep the cache small
                    self._to_goal.clear()
                steps = self._to_goal[key] = layout.distances(int(there[a]))
            c = int(here[a])
            ahead = [d for d in range(4) if layout.open[c, d] and steps[grid.neighbour(c, d)] == steps[c] - 1]
            if not ahead:
                continue
            d = ahead[0]
            along = np.array(STEPS[d], dtype=np.float64)  # (dx, dz) toward the next cell
            reach = 0.5 * (grid.width if along[0] else grid.depth)
            across = np.array([-along[1], along[0]])
            off = float(np.dot(p[a] - layout.portals[c, d], across))
            if abs(off) > self._lane:
                # too far off the crossing's line to pass: mostly sideways first (an agent moving only
                # along the axes would otherwise push into the wall beside the crossing)
                out[a] = along * 0.5 - across * np.sign(off)
            else:
                # pure pursuit of a point half a cell past the crossing: converges onto the crossing's line
                # without overshooting it; a corner grazed on the way is slid along
                out[a] = layout.portals[c, d] + along * reach - p[a]
        return out

    def _through_doors(self, p: np.ndarray, goal: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Route through an open door whose wall lies between the agent and its goal.

        A door stands in a wall across the arena (its long side along the wall): while the agent and the goal
        are on opposite sides of that line, the agent heads for the doorway (a point before it, then straight
        through while lined up with the opening). Returns the new goals and which agents are crossing (they
        do not bend around the wall's solid parts, which the doorway's sides would otherwise push them off).
        """
        env = self.env
        crossing = np.zeros(p.shape[0], dtype=bool)
        goal = goal.copy()
        for j in self.door_copies:
            centre = env.entity_position[env.agent_area, j, 0::2]  # each agent's own area
            half = env.entity_half[env.agent_area, j, 0::2]
            across = (half[:, 0] >= half[:, 1]).astype(int)  # the wall runs along the door's long side
            along = 1 - across
            rows = np.arange(p.shape[0])
            side_p = p[rows, across] - centre[rows, across]
            side_g = goal[rows, across] - centre[rows, across]
            behind = (np.sign(side_p) != np.sign(side_g)) & ~env.entity_active[env.agent_area, j]
            offset = np.abs(p[rows, along] - centre[rows, along])
            lined_up = offset < half[rows, along] - self.agent_half - 0.2
            waypoint = centre.copy()
            # before the doorway on the agent's side, then beyond it on the goal's side
            step = self.agent_half + 1.0
            waypoint[rows, across] += np.where(lined_up, np.sign(side_g) * step, np.sign(side_p) * step)
            waypoint[rows, along] = np.where(lined_up, p[rows, along], centre[rows, along])
            goal = np.where(behind[:, None], waypoint, goal)
            crossing |= behind
        return goal, crossing

    def _push(self, block_tag: str, zone_tag: str, p: np.ndarray) -> np.ndarray:
        """Direction that gets behind the nearest block (seen from its zone) and then pushes it there."""
        block, ok = self._nearest((block_tag,), p)
        zone, _ = self._nearest((zone_tag,), block)
        copies = np.flatnonzero(self.copy_tags == block_tag)
        half = float(self.env.entity_half[0, copies[0], 0]) if len(copies) else 0.5
        home = _unit(zone - block)
        # Teammates (agent.count > 1) each get behind the block and push it home together. Measured on
        # BuddyPushers (8 areas, 1000 decisions): all aiming at the same point won 166 episodes; spread
        # along the back face 0.25, 0.4 and 0.6 half widths either side 156, 136 and 115; one member
        # pushing alone 73; random moves 2.
        behind = block - home * (half * 1.4 + self.agent_half + 0.3)
        to_behind = behind - p
        lined_up = (np.linalg.norm(to_behind, axis=1) < PUSH_SLACK) | (
            (np.einsum("ij,ij->i", _unit(block - p), home) > 0.9)
            & (np.linalg.norm(block - p, axis=1) < half * 1.5 + self.agent_half + 0.6)
        )
        # on the block's far side: go around it (sideways first) instead of pushing it away from home
        side = np.stack([-home[:, 1], home[:, 0]], axis=1)
        side *= np.where(np.einsum("ij,ij->i", p - block, side) >= 0, 1.0, -1.0)[:, None]
        in_front = np.einsum("ij,ij->i", p - block, home) > -half
        detour = block + side * (half * 2.0 + self.agent_half + 0.8) - home * half
        approach = np.where(in_front[:, None], detour - p, to_behind)
        steer = np.where(lined_up[:, None], home + 0.5 * _unit(behind + home * 2.0 - p), approach)
        return np.where(ok[:, None], steer, 0.0)

    def _bend(
        self, desired: np.ndarray, p: np.ndarray, goal_distance: np.ndarray, crossing: np.ndarray
    ) -> np.ndarray:
        """Bend ``desired`` tangentially around harmful or solid things ahead and nearer than the goal.

        Wrong cue-matched targets count as harmful; agents ``crossing`` a doorway ignore the solid things.
        """
        out = desired.copy()
        avoid = [(tag, False) for tag in self.bend_around] + [(tag, True) for tag in self.plan.matched]
        for tag, wrong in avoid:
            centres, halves, active = self._points(tag, wrong=wrong)
            if not centres.shape[1]:
                continue
            if tag in self.solid:
                active = active & ~crossing[:, None]
            closest = np.clip(p[:, None, :], centres - halves, centres + halves)
            rel = p[:, None, :] - closest  # thing -> agent
            dist = np.linalg.norm(rel, axis=2)
            away = np.where(dist[..., None] > 1e-9, rel / np.maximum(dist, 1e-9)[..., None], 0.0)
            ahead = np.einsum("nkj,nj->nk", -away, desired) > 0.0
            weight = np.clip(1.0 - (dist - self.agent_half) / AVOID_MARGIN, 0.0, 1.0)
            weight *= ahead & active & (dist < goal_distance[:, None])
            tangent = np.stack([-away[..., 1], away[..., 0]], axis=2)
            side = np.where(np.einsum("nkj,nj->nk", tangent, desired) >= 0.0, 1.0, -1.0)
            steer = tangent * side[..., None] * 1.5 + away * 0.5
            out += np.einsum("nkj,nk->nj", steer, weight)
            # what still closes on the thing is cut in proportion to the weight (all of it at contact):
            # the tangent alone let the agent creep into a lava tile it was walking around
            closing = np.maximum(-np.einsum("nkj,nj->nk", away, out), 0.0) * weight * CLOSING_CUT
            out += np.einsum("nkj,nk->nj", away, closing)
        return _unit(out)

    # --- actions ---

    def _jump(self, desired: np.ndarray) -> np.ndarray:
        """Per agent, whether to jump: a jumpable obstacle is just ahead along ``desired``.

        The jump is asked for all along that approach and while in the air (where it does nothing: a jump
        leaves only the ground), not on one decision: its recorded demonstrations then mark a whole stretch
        before the wall, which a cloned policy's mean action learns, rather than a rare single step it
        averages away.
        """
        env = self.env
        p = env.agent_position[:, 0::2]
        jump = np.zeros(p.shape[0], dtype=bool)
        for tag in self.plan.jump_over:
            centres, halves, active = self._points(tag)
            if not centres.shape[1]:
                continue
            closest = np.clip(p[:, None, :], centres - halves, centres + halves)
            rel = closest - p[:, None, :]
            dist = np.linalg.norm(rel, axis=2)
            ahead = np.einsum("nkj,nj->nk", rel, desired) > 0.5 * dist
            near = dist < self.agent_half + JUMP_AHEAD
            jump |= (active & ahead & near).any(axis=1)
        return jump

    def __call__(self, batch: StepBatch) -> ActionTuple:
        desired = self._desired()
        jump = self._jump(desired) if self.plan.jump_over else np.zeros(desired.shape[0], dtype=bool)
        n = desired.shape[0]
        yaw = np.radians(self.env.agent_yaw)
        forward = np.stack([np.sin(yaw), np.cos(yaw)], axis=1)
        right = np.stack([np.cos(yaw), -np.sin(yaw)], axis=1)
        # heading error in degrees: positive means turn right (the simulator adds turn degrees to the yaw)
        error = (
            np.degrees(np.arctan2(desired[:, 0], desired[:, 1])) - self.env.agent_yaw + 180.0
        ) % 360 - 180
        moving = np.linalg.norm(desired, axis=1) > 1e-6
        cont = np.zeros((n, len(self.continuous)), dtype=np.float32)
        for c, channel in enumerate(self.continuous):
            if channel is ContinuousAction.MOVE_X:
                cont[:, c] = desired[:, 0]
            elif channel is ContinuousAction.MOVE_Z:
                cont[:, c] = desired[:, 1]
            elif channel is ContinuousAction.FORWARD:
                cont[:, c] = np.clip(np.einsum("ij,ij->i", desired, forward), 0.15, 1.0) * moving
            elif channel is ContinuousAction.STRAFE:
                cont[:, c] = np.einsum("ij,ij->i", desired, right)
            elif channel is ContinuousAction.ROTATE:
                cont[:, c] = np.clip(error / self.turn_per_decision, -1.0, 1.0)
            elif channel is ContinuousAction.JUMP:
                cont[:, c] = np.where(jump, 1.0, -1.0)
        columns = [
            i
            for i, ch in enumerate(self.continuous)
            if ch in (ContinuousAction.MOVE_X, ContinuousAction.MOVE_Z)
        ]
        if columns:  # full speed along the desired direction (the largest component at 1)
            scale = np.maximum(np.abs(cont[:, columns]).max(axis=1, keepdims=True), 1e-6)
            cont[:, columns] /= scale
        moves = [
            i
            for i, ch in enumerate(self.continuous)
            if ch
            in (
                ContinuousAction.FORWARD,
                ContinuousAction.STRAFE,
                ContinuousAction.MOVE_X,
                ContinuousAction.MOVE_Z,
            )
        ]
        cont[:, moves] *= self.throttle[:, None].astype(np.float32)
        disc = np.zeros((n, len(self.branches)), dtype=np.int32)
        for b, choices in enumerate(self.branches):
            disc[:, b] = self._choose(choices, desired, forward, right, error, moving)
            if DiscreteAction.JUMP in choices:
                disc[:, b] = np.where(jump, choices.index(DiscreteAction.JUMP), disc[:, b])
        return ActionTuple(np.clip(cont, -1.0, 1.0), disc)

    @staticmethod
    def _choose(
        choices: tuple[DiscreteAction, ...],
        desired: np.ndarray,
        forward: np.ndarray,
        right: np.ndarray,
        error: np.ndarray,
        moving: np.ndarray,
    ) -> np.ndarray:
        """Return per agent the choice moving closest to ``desired`` (turning first when far off heading)."""
        n = desired.shape[0]
        scores = np.zeros((n, len(choices)))
        for i, choice in enumerate(choices):
            r, f, turn, x, z = _CHOICE_VECTORS.get(choice, (0, 0, 0, 0, 0))
            velocity = r * right + f * forward + np.array([x, z])
            scores[:, i] = np.einsum("ij,ij->i", velocity, desired)
            if choice is DiscreteAction.JUMP:
                scores[:, i] = -2.0  # chosen by the caller only when a jump is wanted
            if turn:
                # a turn wins while the heading is far off and it turns toward the goal
                scores[:, i] = np.where(
                    (np.abs(error) > TURN_FIRST_DEGREES) & (np.sign(error) == turn), 2.0, -1.0
                )
        scores[~moving] = 0.0
        if DiscreteAction.NONE in choices:
            scores[~moving, choices.index(DiscreteAction.NONE)] = 1.0
        return scores.argmax(axis=1)


def _unit(v: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(v, axis=-1, keepdims=True)
    return np.where(norm > 1e-9, v / np.maximum(norm, 1e-9), 0.0)
