"""The generic simulator: any world (``world.World``) of the supported feature subset, on ``core``'s Academy.

A world is compiled once into arrays (entity copies, regions, tags, event tables), then every physics step
runs the same vectorized code for every world, over all areas at once (``sim.kernels.world`` compiles it
with numba; the NumPy code here is the reference, ``MLOPS_SIM_NUMBA=0``). Features of the IR that this
simulator does not run yet are refused by ``unsupported`` with their field paths (never silently ignored);
``docs/simulator.md`` ("Worlds") lists them.

Physics is PushBlock's planar approximation of PhysX (``tasks/pushblock.py``, measured there against
``PushBlock.onnx``), generalized: a move action adds ``speed * direction`` to the velocity
(``ForceMode.VelocityChange``) or sets it (``set_velocity``); gravity, then damping ``v *= 1 - drag dt``,
then floor friction (up to ``mu g dt`` of horizontal speed, ``mu`` the average of the floor's and the body's
friction as PhysX combines them), semi-implicit positions, bodies resting ``REST_SINK`` into the floor. Walls,
solid regions and obstacles stop what moves into them (the agent is a square turned by its yaw, blocks are
axis-aligned); agent and block push each other apart sharing the penetration by mass (inelastic contact).
Contacts are resolved twice per physics step, then once more for the static parts (as PushBlock).

Events are checked on every physics step in the order of ``world.rewards``; ``reach``/``touch``/``collect``
fire when the agent's box overlaps (or is within ``CONTACT`` of) something with the tag, ``push_into_zone``
when a block touches the zone while contacts are resolved.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ..errors import SpecError
from ..spaces import ActionSpec, ActionTuple, BehaviorSignature, ObservationSpec, StepBatch
from ..world.layouts import place_in_cells
from ..world.model import (
    PLATFORM_ITEMS,
    VECTOR_ITEM_SIZES,
    BufferSensor,
    CameraSensor,
    CameraView,
    ContinuousAction,
    DiscreteAction,
    EndKind,
    EntityKind,
    EventKind,
    GridSensor,
    Motion,
    RaySensor,
    Sampler,
    Scope,
    Shape,
    VectorItemKind,
    VectorSensor,
    World,
)
from ..world.params import resolve
from ..world.spawn import MAX_DRAWS, blocked_rects, place, placeables
from .core import SimEnv
from .engine_config import EngineConfig
from .ray_perception import Colliders, RayPerceptionSensor, RayPerceptionSettings
from .stacking import ObservationStack
from .tasks._contact import box_contact, fall_and_slide, least_penetration, square_box_overlaps
from .world_actors import ActorTables, near_distance, steer_actors
from .world_buffer import BufferPerception
from .world_camera import TopDownCamera
from .world_grid import GridPerception
from .world_laser import LaserState, slow_down
from .world_layout import AreaLayouts, with_layout_walls

REST_SINK = 0.01
"""How far resting bodies sit into the floor (PhysX's contact offset; calibrated on PushBlock, see
``docs/simulator.md``)."""
CONTACT = 1e-3
"""Gap within which two things touch (events fire)."""
STEP = 0.05
"""How far a top may stand above a body's bottom for the body to step onto it rather than be stopped by it."""
NO_FLOOR = -1.0e6
"""Support height beyond an open arena's edge (nothing holds the body: it falls)."""
_FAR = 1.0e6
"""Where inactive entities are parked (no ray or agent reaches them)."""
DEFAULT_NUM_AGENTS = 16

SUPPORTED_ENTITIES = frozenset(
    {
        EntityKind.TARGET,
        EntityKind.COLLECTIBLE,
        EntityKind.HAZARD,
        EntityKind.OBSTACLE,
        EntityKind.BLOCK,
        EntityKind.SWITCH,
        EntityKind.DOOR,
        EntityKind.CUE,
        EntityKind.ACTOR,
    }
)
STATIC_SOLIDS = frozenset({EntityKind.OBSTACLE, EntityKind.DOOR})
"""Kinds that stop the agent and blocks and never move (a door vanishes when its switch turns on)."""
SUPPORTED_EVENTS = frozenset(
    {
        EventKind.REACH,
        EventKind.COLLECT,
        EventKind.TOUCH,
        EventKind.PUSH_INTO_ZONE,
        EventKind.TIME_PENALTY,
        EventKind.SHAPING,
        EventKind.FALL,
        EventKind.WRONG_CHOICE,
        EventKind.NEAR,
        EventKind.CLEARED,
    }
)
SUPPORTED_ITEMS = (frozenset(VECTOR_ITEM_SIZES) | {VectorItemKind.CUE, VectorItemKind.CELL}) - PLATFORM_ITEMS


def item_size(world: World, item: VectorItemKind, of: str | None) -> int:
    """Floats of one vector item (a ``cue`` item: its cue's number of values)."""
    if item is VectorItemKind.CUE:
        return max((len(e.cue_values) for e in world.entities if world.tag_of(e) == of), default=0)
    if item is VectorItemKind.CELL:
        return int(world.arena.size[0])
    return VECTOR_ITEM_SIZES[item]


# (right, forward, turn, world x, world z, jump) per discrete choice; strafes are scaled by ``strafe_scale``.
_CHOICES: dict[DiscreteAction, tuple[float, float, float, float, float, float]] = {
    DiscreteAction.NONE: (0, 0, 0, 0, 0, 0),
    DiscreteAction.FORWARD: (0, 1, 0, 0, 0, 0),
    DiscreteAction.BACK: (0, -1, 0, 0, 0, 0),
    DiscreteAction.TURN_RIGHT: (0, 0, 1, 0, 0, 0),
    DiscreteAction.TURN_LEFT: (0, 0, -1, 0, 0, 0),
    DiscreteAction.STRAFE_LEFT: (-1, 0, 0, 0, 0, 0),
    DiscreteAction.STRAFE_RIGHT: (1, 0, 0, 0, 0, 0),
    DiscreteAction.NORTH: (0, 0, 0, 0, 1, 0),
    DiscreteAction.SOUTH: (0, 0, 0, 0, -1, 0),
    DiscreteAction.EAST: (0, 0, 0, 1, 0, 0),
    DiscreteAction.WEST: (0, 0, 0, -1, 0, 0),
    DiscreteAction.JUMP: (0, 0, 0, 0, 0, 1),
    DiscreteAction.SHOOT: (0, 0, 0, 0, 0, 0),  # fires the laser (``sim.world_laser``); moves nothing
}
_CHANNELS: dict[ContinuousAction, int] = {
    ContinuousAction.STRAFE: 0,
    ContinuousAction.FORWARD: 1,
    ContinuousAction.ROTATE: 2,
    ContinuousAction.ROTATE_LEFT: 2,  # with the sign turned (``_SIGNS``)
    ContinuousAction.MOVE_X: 3,
    ContinuousAction.MOVE_Z: 4,
    ContinuousAction.JUMP: 5,
}
"""Column of ``_move`` each continuous action adds to (a jump column value > 0 asks for a jump)."""
_SIGNS: dict[ContinuousAction, float] = {ContinuousAction.ROTATE_LEFT: -1.0}
"""Continuous actions that add with the opposite sign (default +1)."""


def unsupported(world: World) -> list[str]:
    """List the features of ``world`` this simulator does not run, as field paths with what they are.

    Args:
        world: a validated world.

    Returns:
        One line per unsupported feature; empty when the simulator runs the world as written.

    """
    if world.agent.platform is not None:  # its own scene: sim.world_platform (sim.catalog.make_world)
        return ["agent.platform: a tilting platform (sim.world_platform runs it, not this simulator)"]
    out = []
    arena = world.arena
    if arena.layout is not None:
        out += [
            f"entities[{i}].respawn with arena.layout (a respawn draws anywhere, not at a free cell centre)"
            for i, e in enumerate(world.entities)
            if e.respawn
        ]
    spawns = [(f"entities[{i}].spawn", e.spawn) for i, e in enumerate(world.entities)]
    for where, spawn in [*spawns, ("agent.spawn", world.agent.spawn)]:
        if spawn.snap and spawn.at is not None:
            out.append(f"{where}.snap with spawn.at (a fixed point is not drawn)")
        if spawn.snap and arena.layout is not None:
            out.append(f"{where}.snap with arena.layout (items take the layout's cell centres)")
    for i, e in enumerate(world.entities):
        if e.kind not in SUPPORTED_ENTITIES:
            out.append(f"entities[{i}]: kind {e.kind} (scripted actors)")
        if e.kind is EntityKind.CUE and e.shape is not Shape.BOX:
            out.append(f"entities[{i}]: cues must be boxes (one ray collider per value)")
        if e.kind in STATIC_SOLIDS and (e.shape is not Shape.BOX or e.yaw % 90.0):
            out.append(f"entities[{i}]: {e.kind}s must be boxes turned by a multiple of 90 degrees")
        if e.kind is EntityKind.BLOCK and (e.shape is not Shape.BOX or e.yaw % 90.0):
            out.append(f"entities[{i}]: blocks must be axis-aligned boxes")
        if e.kind is EntityKind.ACTOR and e.yaw % 90.0:
            out.append(f"entities[{i}]: actors must be turned by a multiple of 90 degrees")
        if e.kind is EntityKind.ACTOR and arena.walls is None:
            out.append(f"entities[{i}]: an actor on an open platform (actors do not fall off edges)")
    spheres = {e.name for e in world.entities if e.shape is Shape.SPHERE}
    for i, p in enumerate(world.env_parameters):
        for j, path in enumerate(p.applies_to):
            parts = path.split(".")
            if len(parts) > 2 and parts[1] in spheres and parts[2] == "size":
                out.append(
                    f"env_parameters[{i}].applies_to[{j}]: resizing a sphere (ray casts take one radius per "
                    "sphere for all areas)"
                )
    agent = world.agent
    if world.groups is not None and world.groups.size != agent.count:
        out.append(
            f"groups.size: {world.groups.size} with agent.count {agent.count} (one group per area: several "
            "groups would share one scene, which a group's episode end resets)"
        )
    for i, s in enumerate(agent.sensors):
        if isinstance(s, CameraSensor) and s.view is not CameraView.TOP_DOWN:
            out.append(f"agent.sensors[{i}].view: {s.view} (a camera from the agent's eye; top_down runs)")
        elif isinstance(s, GridSensor):
            if s.grid_size[0] != s.grid_size[1]:
                out.append(
                    f"agent.sensors[{i}].grid_size: {s.grid_size} is not square (ML-Agents' "
                    "GridSensorBase.Write indexes past the observation of a non-square grid)"
                )
            if s.observation_stacks > 1:
                out.append(f"agent.sensors[{i}].observation_stacks: stacked grid sensors")
        elif isinstance(s, VectorSensor):
            out += [
                f"agent.sensors[{i}].items[{j}]: {it.item}"
                for j, it in enumerate(s.items)
                if it.item not in SUPPORTED_ITEMS
            ]
    used = {c.value for c in agent.actions.continuous} | {
        c.value for b in agent.actions.discrete for c in b.choices
    }
    out += [f"agent.actions: {name}" for name in sorted(used & {"interact"})]
    if agent.movement.motion is Motion.GRID and (agent.actions.continuous or "jump" in used):
        out.append("agent.actions: continuous actions or jump with movement.motion grid (whole steps only)")
    if "jump" in used and agent.movement.motion is Motion.SET_VELOCITY:
        out.append("agent.actions: jump with movement.motion set_velocity (kinematic: no gravity)")
    out += [
        f"rewards[{i}]: event {r.event}"
        for i, r in enumerate(world.rewards)
        if r.event not in SUPPORTED_EVENTS
    ]
    return out


WorldSensor = RaySensor | VectorSensor | GridSensor | BufferSensor | CameraSensor
"""The sensor kinds the simulator runs."""


def _sensor_name(sensor: WorldSensor) -> str:
    """Return the name ML-Agents reports (``StackingSensor_size{n}_`` in front when stacked).

    A grid sensor reports ``<name>-OneHot`` (``GridSensorComponent.GetGridSensors``); a buffer sensor cannot
    be stacked.
    """
    if isinstance(sensor, (BufferSensor, CameraSensor)):
        return sensor.name
    name = f"{sensor.name}-OneHot" if isinstance(sensor, GridSensor) else sensor.name
    stacks = sensor.observation_stacks
    return f"StackingSensor_size{stacks}_{name}" if stacks > 1 else name


def ordered_sensors(world: World) -> list[WorldSensor]:
    """Return the agent's sensors in observation order: sorted by reported name, as ML-Agents sorts them."""
    return sorted(world.agent.sensors, key=_sensor_name)  # type: ignore[arg-type]  # unsupported kinds refused first


def world_signature(world: World) -> BehaviorSignature:
    """Return the behavior signature of ``world``'s agent: one observation per sensor, then the actions.

    Args:
        world: a world the simulator supports.

    Returns:
        Observation specs in sensor order and the action spec.

    """
    specs = []
    for sensor in ordered_sensors(world):
        shape: tuple[int, ...]
        if isinstance(sensor, RaySensor):
            shape = (sensor.observation_size,)
        elif isinstance(sensor, GridSensor):  # ObservationSpec.Visual(tags, gx, gz)
            shape = (len(sensor.detectable_tags), *sensor.grid_size)
        elif isinstance(sensor, CameraSensor):  # ObservationSpec.Visual(channels, height, width)
            shape = (1 if sensor.grayscale else 3, sensor.height, sensor.width)
        elif isinstance(sensor, BufferSensor):  # ObservationSpec.VariableLength: (rows, row size)
            shape = (sensor.max_entities, sum(item_size(world, it, sensor.of) for it in sensor.items))
        else:
            size = sum(item_size(world, it.item, it.of) for it in sensor.items)
            shape = (sensor.observation_stacks * size,)
        specs.append(ObservationSpec(shape, _sensor_name(sensor)))
    actions = world.agent.actions
    return BehaviorSignature(
        name=world.behavior_name,
        observation_specs=tuple(specs),
        action_spec=ActionSpec(
            continuous_size=len(actions.continuous),
            discrete_branches=tuple(len(b.choices) for b in actions.discrete),
        ),
    )


@dataclass(frozen=True)
class _Event:
    """One reward event compiled to arrays: which entity copies and regions it concerns."""

    kind: EventKind
    value: float
    entities: np.ndarray  # (E,) bool: copies with the tag ``what``
    regions: np.ndarray  # (R,) bool: regions with the tag ``what``
    walls: bool  # ``what`` is the walls' tag
    zone_entities: np.ndarray  # push_into_zone: copies with the tag ``into``
    zone_regions: np.ndarray
    end: EndKind
    success: bool
    within: float  # near: the distance that counts as near
    group: bool = False  # scope group: the area's group receives it
    removes: bool = False  # push_into_zone: a block entering the zone leaves the scene


class _GroupOutcome:
    """What one physics step's group-scoped events give each area's group (applied after all events)."""

    def __init__(self, areas: int) -> None:
        self.gain = np.zeros(areas)
        self.done = np.zeros(areas, dtype=bool)
        self.won = np.zeros(areas, dtype=bool)
        self.cut = np.zeros(areas, dtype=bool)

    def add(self, event: _Event, fired: np.ndarray, gain: np.ndarray) -> None:
        """Take in one event's outcome (per area: fired for some member, its reward)."""
        self.gain += gain
        if event.end is EndKind.TERMINATED:
            self.done |= fired
            if event.success:
                self.won |= fired
        elif event.end is EndKind.INTERRUPTED:
            self.cut |= fired

    def apply(self, env: SimEnv) -> None:
        """``AddGroupReward`` for the step, then ``EndGroupEpisode`` or ``GroupEpisodeInterrupted``."""
        env.add_group_reward(self.gain)
        done = np.flatnonzero(self.done)
        if done.size:
            env.end_group_episode(done, success=self.won[done])
        cut = np.flatnonzero(self.cut & ~self.done)
        if cut.size:
            env.group_episode_interrupted(cut)


class WorldEnv(SimEnv):
    """A world run by the generic simulator: ``num_agents`` agents, ``agent.count`` per area, side by side.

    Agents are numbered area-major (agents ``k a .. k a + k - 1`` are area ``a``'s, ``k = agent.count``), as
    the hand-written multi-agent tasks number them; with ``groups`` each area's agents are one
    ``SimpleMultiAgentGroup`` (group id ``a + 1``), ``max_step`` is the controller's group limit, and
    ``_begin_groups`` (``ResetScene``) places the scene and every member anew.

    Attributes:
        world: the world.
        num_areas: areas (``num_agents // agent.count``).
        agents_per_area: ``agent.count``.
        agent_area: ``(n,)`` each agent's area (the row of the per-area arrays).
        agent_position: ``(n, 3)`` agent centres.
        agent_velocity: ``(n, 3)``.
        agent_yaw: ``(n,)`` degrees about +y (0 faces +z).
        entity_position: ``(areas, E, 3)`` centres of every entity copy (``E`` copies in file order).
        entity_velocity: ``(areas, E, 3)`` (blocks and actors move; the rest stay).
        entity_half: ``(areas, E, 3)`` half extents (env parameters may resize them per episode).
        entity_active: ``(areas, E)`` False once collected or removed (out of every sensor's and body's
            reach).
        entity_kinds: ``(E,)`` each copy's kind.
        entity_spheres: ``(E,)`` True where a copy is a sphere.
        sensors: ray and vector sensors in observation order.

    """

    has_kernel = True
    """A whole decision (physics, events, ends, MaxStep) runs in one numba kernel (``sim.kernels.world``) and
    the rays in the ray kernel; ``compiled = False`` runs the NumPy reference of both. Worlds with respawning
    collectibles run the physics step compiled and the events in NumPy."""

    def __init__(
        self,
        world: World,
        num_agents: int = DEFAULT_NUM_AGENTS,
        *,
        seed: int | None = None,
        engine: EngineConfig | None = None,
    ) -> None:
        missing = unsupported(world)
        if missing:
            raise SpecError(f"world '{world.name}': the simulator does not run yet: {'; '.join(missing)}")
        self.task_name = world.name
        self.source_world = world
        """The world as given; ``world`` adds the layout's wall entity (``sim.world_layout``) if any."""
        self.world = with_layout_walls(world)
        k = world.agent.count
        if int(num_agents) < 1 or int(num_agents) % k:
            raise SpecError(
                f"world '{world.name}': num_agents must be a positive multiple of agent.count {k} (whole "
                f"areas), got {num_agents}"
            )
        self.agents_per_area = k
        self.num_areas = int(num_agents) // k
        grouped = world.groups is not None
        self._episode_steps = world.max_step
        """The world's ``max_step``: the agents' MaxStep, or with groups the controller's limit."""
        super().__init__(
            world_signature(world),
            num_agents,
            decision_period=world.decision_period,
            max_step=0 if grouped else world.max_step,
            env_parameter_defaults={p.name: p.default for p in world.env_parameters},
            seed=seed,
            engine=engine,
            agents_per_group=k if grouped else 0,
            group_max_step=world.max_step if grouped else 0,
        )
        self.agent_area = np.arange(self.num_agents, dtype=np.int64) // k
        self._interrupt_now = np.zeros(self.num_agents, dtype=bool)
        self._candidates: dict[str | None, tuple[np.ndarray, np.ndarray]] = {}  # _nearest's, per tag
        self._compile()
        self.layouts: AreaLayouts | None = None
        """Each area's maze or rooms this episode (None without ``arena.layout``)."""
        if world.arena.layout is not None:
            walls = np.flatnonzero(self._copy_def == len(self.world.entities) - 1)
            self.layouts = AreaLayouts(world, walls, self.num_areas)

    # --- compile the world into arrays ---

    def _compile(self) -> None:
        world, n, areas = self.world, self.num_agents, self.num_areas
        arena, agent = world.arena, world.agent
        self.half_x, self.half_z = arena.size[0] / 2.0, arena.size[1] / 2.0
        copies = [(d, e) for d, e in enumerate(world.entities) for _ in range(e.count)]
        self._copy_def = np.array([d for d, _ in copies], dtype=np.int64)
        tags = [world.tag_of(e) for _, e in copies]
        self._copy_tags = np.array(tags, dtype=object)
        e_count = len(copies)
        self.entity_position = np.zeros((areas, e_count, 3))
        self.entity_velocity = np.zeros((areas, e_count, 3))
        self.entity_half = np.zeros((areas, e_count, 3))
        self.entity_active = np.ones((areas, e_count), dtype=bool)
        self.entity_drag = np.zeros((areas, e_count))
        self.entity_mass = np.ones((areas, e_count))
        self.entity_friction = np.zeros((areas, e_count))
        self.entity_value = np.zeros((areas, e_count))
        half = np.array([e.size for _, e in copies], dtype=np.float64).reshape(-1, 3) / 2.0
        spheres = [j for j, (_, e) in enumerate(copies) if e.shape is Shape.SPHERE]
        half[spheres] = half[spheres, :1]
        self._copy_body = (
            half,
            np.array([e.body.drag if e.body else 0.0 for _, e in copies], dtype=np.float64),
            np.array([e.body.mass if e.body else 1.0 for _, e in copies], dtype=np.float64),
            np.array([e.body.friction if e.body else 0.6 for _, e in copies], dtype=np.float64),
            np.array([e.value for _, e in copies], dtype=np.float64),
        )
        """Each copy's half extents, drag, mass, friction and value as declared (``_reset_scene`` writes them
        for whole areas at once: one assignment per array instead of a fancy-indexed one per entity)."""
        self._kind = [e.kind for _, e in copies]
        self.entity_kinds = tuple(self._kind)
        self._blocks = [j for j, k in enumerate(self._kind) if k is EntityKind.BLOCK]
        self._obstacles = [j for j, k in enumerate(self._kind) if k in STATIC_SOLIDS]
        self.actors = ActorTables.build(world, [e for _, e in copies], areas)
        """The scripted actors (``next_waypoint`` is their per-area state)."""
        self._compile_triggers(copies)
        self._fresh = np.zeros(areas, dtype=bool)
        """Areas whose scene was just reset: their agents take ``_fresh_points`` at their episode begin."""
        self._fresh_points = np.zeros((areas, agent.count, 2))
        self._sphere = np.array([e.shape is Shape.SPHERE for _, e in copies], dtype=bool)
        self._entity_yaw = np.array([e.yaw for _, e in copies], dtype=np.float64)
        self.entity_spheres = self._sphere
        self._respawn = np.array([e.respawn for _, e in copies], dtype=bool)
        regions = arena.regions
        self._region_lo = np.array(
            [[r.center[0] - r.size[0] / 2, r.center[1] - r.size[1] / 2] for r in regions]
        )
        self._region_hi = np.array(
            [[r.center[0] + r.size[0] / 2, r.center[1] + r.size[1] / 2] for r in regions]
        )
        self._region_lo = self._region_lo.reshape(-1, 2)
        self._region_hi = self._region_hi.reshape(-1, 2)
        self._solid_regions = [i for i, r in enumerate(regions) if r.height > 0.0]
        region_tags = [r.tag for r in regions]
        walls = arena.walls
        self._walled = walls is not None
        self._wall_tag = walls.tag if walls is not None else None
        self._region_top = np.array([r.height for r in regions], dtype=np.float64)
        self._jump_speed = agent.movement.jump_speed
        self._fall_height = arena.fall_height

        def select(tag: str | None) -> tuple[np.ndarray, np.ndarray, bool]:
            return (
                np.array([t == tag for t in tags], dtype=bool),
                np.array([t == tag for t in region_tags], dtype=bool),
                walls is not None and tag == walls.tag,
            )

        self._events = []
        self._area_level = False  # events the kernel's decision does not run (removes, cleared, group scope)
        has_matches = np.array([e.matches is not None for _, e in copies], dtype=bool)
        copies_kinds = [(d, e.kind) for d, e in copies]
        for r in world.rewards:
            ents, regs, on_walls = select(r.what)
            if r.event is EventKind.WRONG_CHOICE:
                ents, regs = ents & has_matches, regs & False
            zone_e, zone_r, _ = select(r.into)
            if r.event is EventKind.NEAR:
                regs = regs & False  # entities only (validated)
            if r.event is EventKind.CLEARED:  # every block and collectible with the tag (any tag when null)
                gone = np.array([k in (EntityKind.BLOCK, EntityKind.COLLECTIBLE) for _, k in copies_kinds])
                ents = gone & (ents if r.what is not None else True)
            self._events.append(
                _Event(
                    r.event,
                    r.value,
                    ents,
                    regs,
                    on_walls,
                    zone_e,
                    zone_r,
                    r.end,
                    r.success,
                    r.within or 0.0,
                    r.scope is Scope.GROUP,
                    r.removes,
                )
            )
            self._area_level |= r.removes or r.event is EventKind.CLEARED or r.scope is Scope.GROUP
        # the kernel's view: push_into_zone events as masks, index arrays, constants
        self._zone_events = [i for i, r in enumerate(world.rewards) if r.event is EventKind.PUSH_INTO_ZONE]
        # a removing event finds its blocks in the zone after the physics step (``_remove_pushed``): no flags
        self._zone_blocks = np.array(
            [self._events[i].entities & (not self._events[i].removes) for i in self._zone_events], dtype=bool
        )
        self._zone_regions = np.array([self._events[i].zone_regions for i in self._zone_events], dtype=bool)
        self._zone_entities = np.array([self._events[i].zone_entities for i in self._zone_events], dtype=bool)
        self._zone_blocks = self._zone_blocks.reshape(len(self._zone_events), e_count)
        self._zone_regions = self._zone_regions.reshape(len(self._zone_events), len(regions))
        self._zone_entities = self._zone_entities.reshape(len(self._zone_events), e_count)
        self._block_index = np.array(self._blocks, dtype=np.int64)
        self._obstacle_index = np.array(self._obstacles, dtype=np.int64)
        self._solid_index = np.array(self._solid_regions, dtype=np.int64)
        self._agent_constants = np.array(
            [
                agent.size / 2.0,
                agent.body.drag,
                agent.body.friction,
                agent.body.mass,
                self.half_x,
                self.half_z,
                self.physics_dt,
                self._jump_speed,
                1.0 if self._walled else 0.0,
                self._fall_height,
                float(self.actors.index.size),  # the kernel reads the actors' tuple only when > 0
            ]
        )
        self._shaping = [i for i, r in enumerate(world.rewards) if r.event is EventKind.SHAPING]
        self._prev_distance = np.zeros((len(world.rewards), n))  # rows of shaping events are used
        self._agent_halves = np.full(3, agent.size / 2.0)
        self._agent_trig = np.zeros((n, 2))  # the kernel's scratch: cos, sin of each yaw after the turn
        codes = {
            EventKind.REACH: 0,
            EventKind.COLLECT: 1,
            EventKind.TOUCH: 2,
            EventKind.PUSH_INTO_ZONE: 3,
            EventKind.TIME_PENALTY: 4,
            EventKind.SHAPING: 5,
            EventKind.FALL: 6,
        }  # sim.kernels.world's REACH ... FALL
        ends = {EndKind.NONE: 0, EndKind.TERMINATED: 1, EndKind.INTERRUPTED: 2}
        codes[EventKind.WRONG_CHOICE] = 7
        codes[EventKind.NEAR] = 8
        codes[EventKind.CLEARED] = -1  # never in the kernel's decision (``_area_level``)
        # which targets an event sees: 0 all, 1 those matching a drawn cue value (reach), 2 those not (wrong)
        modes = {EventKind.REACH: 1, EventKind.WRONG_CHOICE: 2}
        v, r_count = len(self._events), len(regions)
        self._event_arrays = (
            np.array([codes[ev.kind] for ev in self._events], dtype=np.int64),
            np.array([ev.value for ev in self._events], dtype=np.float64),
            np.array([ends[ev.end] for ev in self._events], dtype=np.int64),
            np.array([ev.success for ev in self._events], dtype=bool),
            np.array([ev.entities for ev in self._events], dtype=bool).reshape(v, e_count),
            np.array([ev.regions for ev in self._events], dtype=bool).reshape(v, r_count),
            np.array([ev.walls for ev in self._events], dtype=bool),
            np.array(
                [self._zone_events.index(i) if i in self._zone_events else 0 for i in range(v)],
                dtype=np.int64,
            ),
            np.array([modes.get(ev.kind, 0) for ev in self._events], dtype=np.int64),
            self.entity_match,
            np.array([ev.within for ev in self._events], dtype=np.float64),
        )
        # agent
        self.agent_position = np.zeros((n, 3))
        self.agent_velocity = np.zeros((n, 3))
        self.agent_yaw = np.zeros(n)
        self.agent_half = agent.size / 2.0
        self.speed = np.full(n, agent.movement.speed)
        self.gravity = np.full(areas, arena.gravity)
        self.floor_friction = np.full(areas, arena.floor_friction)
        self._initial_yaw = agent.yaw
        self._reset_yaw()
        # actions: per discrete branch a (size, 5) table; per continuous channel its column
        movement = agent.movement
        scale = np.array([movement.strafe_scale, 1.0, movement.turn_degrees, 1.0, 1.0, 1.0])
        self._branch_tables = [
            np.array([_CHOICES[c] for c in branch.choices], dtype=np.float64) * scale
            for branch in agent.actions.discrete
        ]
        self._channel_columns = [_CHANNELS[c] for c in agent.actions.continuous]
        self._channel_signs = [_SIGNS.get(c, 1.0) for c in agent.actions.continuous]
        self._slow_above = movement.slow_above
        self.laser: LaserState | None = None
        """The laser's per-agent state (``agent.laser``; None without one)."""
        self._shoot_tables = [
            np.array([c is DiscreteAction.SHOOT for c in branch.choices]) for branch in agent.actions.discrete
        ]
        if agent.laser is not None:
            self.laser = LaserState(agent.laser, n, agent.count)
        self._channel_scale = scale
        self._kinematic = movement.motion is Motion.SET_VELOCITY
        self._grid_motion = movement.motion is Motion.GRID
        # parameters: (name, entity copy indices or None, field)
        self._targets = [
            (p.name, resolve(world, path, p.name)) for p in world.env_parameters for path in p.applies_to
        ]
        self._samplers = {p.name: p for p in world.env_parameters}
        # sensors
        self._sensor_defs = ordered_sensors(world)
        self.sensors: list[
            RayPerceptionSensor | ObservationStack | GridPerception | BufferPerception | TopDownCamera
        ] = []
        self._colliders: list[Colliders | None] = []
        box_tags, sphere_tags = self._collider_tags(tags, region_tags, arena.floor_tag)
        for sensor in self._sensor_defs:
            if isinstance(sensor, RaySensor):
                settings = RayPerceptionSettings(
                    sensor.detectable_tags,
                    rays_per_direction=sensor.rays_per_direction,
                    max_ray_degrees=sensor.max_ray_degrees,
                    sphere_cast_radius=sensor.sphere_cast_radius,
                    ray_length=sensor.ray_length,
                    observation_stacks=sensor.observation_stacks,
                    start_vertical_offset=sensor.start_vertical_offset,
                    end_vertical_offset=sensor.end_vertical_offset,
                    alternating_ray_order=sensor.alternating_ray_order,
                    name=sensor.name,
                )
                self.sensors.append(RayPerceptionSensor(settings, n))
                self._colliders.append(self._scene_colliders(n, box_tags, sphere_tags, settings.tag_indices))
            elif isinstance(sensor, GridSensor):
                grid = GridPerception(sensor)
                self.sensors.append(grid)
                self._colliders.append(self._scene_colliders(n, box_tags, sphere_tags, grid.tag_indices))
            elif isinstance(sensor, CameraSensor):
                self.sensors.append(TopDownCamera(sensor, world))
                self._colliders.append(None)
            elif isinstance(sensor, BufferSensor):
                copies = np.flatnonzero(self._copy_tags == sensor.of)
                self.sensors.append(BufferPerception(sensor, copies, arena.size))
                self._colliders.append(None)
            else:
                size = sum(item_size(world, it.item, it.of) for it in sensor.items)
                self.sensors.append(ObservationStack(n, size, sensor.observation_stacks))
                self._colliders.append(None)
        if self.laser is not None:  # tags: the member index on the agents' unfrozen rows, -1 on the rest
            tag = np.full(len(box_tags), -1, dtype=np.int64)
            first = len(box_tags) - self._agent_rows
            tag[first : first + agent.count] = np.arange(agent.count)
            self._laser_colliders = Colliders.build(
                n,
                boxes=(self._static_centres, self._static_halves, np.zeros(len(box_tags)), tag),
                spheres=(
                    np.zeros((len(sphere_tags), 3)),
                    np.zeros(len(sphere_tags)),
                    np.full(len(sphere_tags), -1, dtype=np.int64),
                ),
            )

    def _compile_triggers(self, copies: list) -> None:
        """Switches, what they open or reveal, toppling obstacles and what rests on them, as copy arrays."""
        world, n, e_count = self.world, self.num_areas, len(copies)
        names = [e.name for _, e in copies]
        self._switches = np.array([e.kind is EntityKind.SWITCH for _, e in copies], dtype=bool)
        self._hidden = np.array([e.appears_on is not None for _, e in copies], dtype=bool)
        self._topples = np.array([e.topples for _, e in copies], dtype=bool)
        # per switch copy: the copies it reveals and the door copies it opens (all copies of those entities)
        self._reveals = np.array([[e.appears_on == name for _, e in copies] for name in names], dtype=bool)
        self._opens = np.array(
            [[other.name == e.opens for _, other in copies] for _, e in copies], dtype=bool
        ).reshape(e_count, e_count)
        self._reveals = self._reveals.reshape(e_count, e_count) & self._switches[:, None]
        # what rests on what (``spawn.rests_on``): copy k on copy k of the base, or on its only copy
        self._rests_on = np.full(e_count, -1, dtype=np.int64)
        first = {e.name: names.index(e.name) for _, e in copies}
        seen: dict[str, int] = {}
        for j, (_, e) in enumerate(copies):
            k = seen.get(e.name, 0)
            seen[e.name] = k + 1
            if e.spawn.rests_on is not None:
                base = next(b for b in world.entities if b.name == e.spawn.rests_on)
                self._rests_on[j] = first[base.name] + (k if base.count > 1 else 0)
        self._has_triggers = bool(self._switches.any() or self._topples.any())
        # cues: each copy draws one of its values per episode; targets ``matches`` a value
        self._cue_copies = [j for j, (_, e) in enumerate(copies) if e.kind is EntityKind.CUE]
        self._cue_tags = {j: copies[j][1].cue_values for j in self._cue_copies}
        self._matches = [e.matches for _, e in copies]
        self.cue_value = np.full((n, e_count), -1, dtype=np.int64)
        """``(areas, E)`` the value index each cue copy drew this episode (-1: not a cue)."""
        self.entity_match = np.ones((n, e_count), dtype=bool)
        """``(areas, E)`` False where a target ``matches`` a value no cue drew this episode."""
        self.switch_on = np.zeros((n, e_count), dtype=bool)
        """``(areas, E)`` True where a switch copy is on this episode."""

    def _collider_tags(
        self, tags: list[str], region_tags: list[str | None], floor_tag: str
    ) -> tuple[list[str], list[str]]:
        """Lay out the ray colliders: walls, floor, visible regions, entity boxes; and the entity spheres."""
        arena = self.world.arena
        walls = arena.walls
        hx, hz = self.half_x, self.half_z
        centres: list[list[float]] = []
        halves: list[list[float]] = []
        box_tags: list[str] = []
        if walls is not None:  # an open platform has none
            t, h = walls.thickness, walls.height
            y, hy = (h - 0.5) / 2.0, (h + 0.5) / 2.0  # from 0.5 below the floor up to the top (PushBlock's)
            centres += [[-hx - t / 2, y, 0.0], [hx + t / 2, y, 0.0]]
            centres += [[0.0, y, -hz - t / 2], [0.0, y, hz + t / 2]]
            halves += [[t / 2, hy, hz + t], [t / 2, hy, hz + t], [hx, hy, t / 2], [hx, hy, t / 2]]
            box_tags += [walls.tag] * 4
        centres.append([0.0, -0.5, 0.0])
        halves.append([hx, 0.5, hz])
        box_tags.append(floor_tag)
        for r, tag in zip(arena.regions, region_tags, strict=True):
            if tag is None:
                continue
            top = max(r.height, 0.01)  # a floor marking is a thin trigger box (rays hit triggers by default)
            centres.append([r.center[0], (top + r.sink) / 2.0, r.center[1]])
            halves.append([r.size[0] / 2.0, (top - r.sink) / 2.0, r.size[1] / 2.0])
            box_tags.append(tag)
        self._entity_box_rows = len(box_tags)
        self._box_copies = np.flatnonzero(~self._sphere)
        self._sphere_copies = np.flatnonzero(self._sphere)
        # a switch whose tag changes has a second collider with its on tag; one of the two is parked
        on_tags = [self.world.entities[d].on_tag for d in self._copy_def]
        self._on_copies = np.array(
            [j for j in self._box_copies if on_tags[j] not in (None, tags[j])], dtype=np.int64
        )
        # a cue is seen with the tag of the value it drew: one collider per value, the others parked
        self._cue_rows = [(j, v, tag) for j in self._cue_copies for v, tag in enumerate(self._cue_tags[j])]
        box_tags += [tags[j] for j in self._box_copies] + [on_tags[j] for j in self._on_copies]
        box_tags += [tag for _, _, tag in self._cue_rows]
        rows = len(self._box_copies) + len(self._on_copies) + len(self._cue_rows)
        centres += [[0.0, -_FAR, 0.0]] * rows
        halves += [[0.0, 0.0, 0.0]] * rows
        # several agents per area: each sees the area's agents (its own body is ignored: PhysX's initial
        # overlap rule, ``sim.ray_perception``), tagged with the agent tag and turned by their yaws
        k = self.agents_per_area
        self._agent_rows = k if k > 1 else 0
        box_tags += [self.world.agent.tag] * self._agent_rows
        laser = self.world.agent.laser
        if laser is not None:  # frozen agents are seen with the laser's tag: a second row each, one parked
            self._agent_rows += k
            box_tags += [laser.frozen_tag] * k
        centres += [[0.0, -_FAR, 0.0]] * self._agent_rows
        halves += [[self.world.agent.size / 2.0] * 3] * self._agent_rows
        self._static_centres = np.array(centres, dtype=np.float64)
        self._static_halves = np.array(halves, dtype=np.float64)
        return box_tags, [tags[j] for j in self._sphere_copies]

    def _reset_yaw(self) -> None:
        if self._initial_yaw is not None:
            self.agent_yaw[:] = float(self._initial_yaw) % 360.0
        self._end_yaw = self.agent_yaw.copy()

    def _end(self, idx: np.ndarray, *, terminated: bool) -> None:
        """Run ``SimEnv._end``, keeping the heading at the end.

        A kept heading is the one the episode ended with (Unity begins the next episode at once); the NumPy
        path keeps stepping ended agents until the decision's end.
        """
        self._end_yaw[idx] = self.agent_yaw[idx]
        super()._end(idx, terminated=terminated)

    # --- environment parameters ---

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        """Set environment parameters (read at each agent's next episode start).

        Raises:
            SpecError: an unknown name, a non-finite value, or a value outside the parameter's [low, high].

        """
        for key, value in params.items():
            p = self._samplers.get(key)
            if p is not None and isinstance(value, (int, float)) and not p.low <= float(value) <= p.high:
                raise SpecError(
                    f"{self.task_name}: env parameter '{key}' must be in [{p.low}, {p.high}], got {value}"
                )
        super().set_env_parameters(params)

    def _parameter_values(self, k: int) -> dict[str, np.ndarray]:
        out = {}
        for name, p in self._samplers.items():
            if p.sampler is Sampler.UNIFORM:
                out[name] = self._rng.uniform(p.low, p.high, k)
            else:
                out[name] = np.full(k, self._params[name])
        return out

    # --- Academy: reset, step and stacks ---

    def reset(self, *, seed: int | None = None) -> StepBatch:
        """Academy reset (``SimEnv.reset``); stacks start from zero frames, headings from the world's."""
        self._reset_yaw()
        batch = super().reset(seed=seed)
        self._commit(batch)
        return batch

    def step(self, actions: ActionTuple) -> StepBatch:
        """One decision (``SimEnv.step``); each stack takes in the decision's frame."""
        batch = super().step(actions)
        self._commit(batch)
        return batch

    def _commit(self, batch: StepBatch) -> None:
        for sensor, obs in zip(self.sensors, batch.obs, strict=True):
            sensor.commit(obs)

    def _end_flagged(self) -> None:
        """End terminated episodes (``SimEnv._end_flagged``), then those an event interrupted."""
        super()._end_flagged()
        if self._interrupt_now.any():
            new = np.flatnonzero(self._interrupt_now & ~self._ended)
            if new.size:
                self._end(new, terminated=False)

    # --- OnEpisodeBegin ---

    def _begin_groups(self, groups: np.ndarray) -> None:
        """Run the environment controller's ``ResetScene`` (one group per area: group rows are areas)."""
        self._reset_scene(groups)

    def _begin_episodes(self, idx: np.ndarray) -> None:
        world, k = self.world, self.agents_per_area
        if not self._grouped:  # the scene is the area's: reset when all its agents begin together
            areas = idx if k == 1 else np.flatnonzero(np.bincount(idx // k, minlength=self.num_areas) == k)
            if areas.size:
                self._reset_scene(areas)
        area = idx if k == 1 else self.agent_area[idx]
        fresh = self._fresh[area]
        points = self._fresh_points[area, idx % k]
        if not fresh.all():  # agents restarting alone in a running scene
            points[~fresh] = self._place_alone(idx[~fresh])
        self._fresh[area] = False
        count = idx.size
        self.agent_position[idx, 0] = points[:, 0]
        self.agent_position[idx, 1] = self.agent_half - REST_SINK
        self.agent_position[idx, 2] = points[:, 1]
        self.agent_velocity[idx] = 0.0
        agent = world.agent
        if agent.yaw is None:
            self.agent_yaw[idx] = self._rng.uniform(0.0, 360.0, count)
        elif agent.keep_heading:
            self.agent_yaw[idx] = self._end_yaw[idx]
        else:
            self.agent_yaw[idx] = float(agent.yaw) % 360.0
        for i in self._shaping:
            self._prev_distance[i, idx] = self._distance(self._events[i], idx)
        if self.laser is not None:
            self.laser.begin(idx)
        for sensor in self.sensors:
            if isinstance(sensor, RayPerceptionSensor):
                sensor.reset(idx)
            else:
                sensor.clear(idx)

    def _reset_scene(self, idx: np.ndarray) -> None:
        """Begin a new scene in areas ``idx``: env parameters, entities, cues; spawn points for the agents.

        The agents' points wait in ``_fresh_points`` until each agent's ``OnEpisodeBegin``.
        """
        count = idx.size
        world, k = self.world, self.agents_per_area
        members = idx if k == 1 else (idx[:, None] * k + np.arange(k)).reshape(-1)
        values = self._parameter_values(count)
        half, drag, mass, friction, value = self._copy_body
        self.entity_half[idx] = half
        self.entity_drag[idx] = drag
        self.entity_mass[idx] = mass
        self.entity_friction[idx] = friction
        self.entity_value[idx] = value
        self.speed[members] = world.agent.movement.speed
        self.actors.speed_now[idx] = self.actors.speed
        self.gravity[idx] = world.arena.gravity
        self.floor_friction[idx] = world.arena.floor_friction
        for name, target in self._targets:
            value = values[name]
            if target.entity is None:
                arena = {"arena.floor_friction": self.floor_friction, "arena.gravity": self.gravity}
                if target.field in arena:
                    arena[target.field][idx] = value
                else:
                    self.speed[members] = np.repeat(value, k)
                continue
            d = next(i for i, e in enumerate(world.entities) if e.name == target.entity)
            cols = np.flatnonzero(self._copy_def == d)
            if target.field.startswith("size."):
                axis = "xyz".index(target.field[-1])
                sphere = world.entities[d].shape is Shape.SPHERE
                for c in cols:
                    if sphere:
                        self.entity_half[idx, c, :] = value[:, None] / 2.0
                    else:
                        self.entity_half[idx, c, axis] = value / 2.0
            elif target.field == "actor.speed":
                for c in cols:
                    self.actors.speed_now[idx, int(np.flatnonzero(self.actors.index == c)[0])] = value
            else:
                array = {
                    "body.drag": self.entity_drag,
                    "body.mass": self.entity_mass,
                    "body.friction": self.entity_friction,
                    "value": self.entity_value,
                }[target.field]
                for c in cols:
                    array[idx, c] = value
        # placement (the largest size drawn this episode keeps every area's spawn clear)
        widest = self.entity_half[idx][..., 0::2].max(axis=0)  # (E, 2): each copy's over the areas
        sizes = {e.name: tuple(widest[self._copy_def == d].max(axis=0)) for d, e in enumerate(world.entities)}
        items = placeables(self.source_world, sizes)
        if self.layouts is None:
            points, _ = place(items, blocked_rects(world), self._rng, count)
        else:  # at free cell centres of each area's new layout (world.layouts)
            layout_draws = self.layouts.draw(idx, self._rng)
            blocked = blocked_rects(world)
            points, _ = place_in_cells(self.source_world, items, layout_draws, blocked, self._rng)
        e_count = len(items) - world.agent.count  # entity copies placed (the layout's walls are not)
        for j in range(e_count):
            self.entity_position[idx, j, 0] = points[:, j, 0]
            self.entity_position[idx, j, 2] = points[:, j, 1]
            rest = self.entity_half[idx, j, 1] - (REST_SINK if self._kind[j] is EntityKind.BLOCK else 0.0)
            self.entity_position[idx, j, 1] = rest
        for j in np.flatnonzero(self._rests_on >= 0):  # on the base's top
            base = self._rests_on[j]
            top = self.entity_position[idx, base, 1] + self.entity_half[idx, base, 1]
            self.entity_position[idx, j, 1] = top + self.entity_half[idx, j, 1]
        self.entity_velocity[idx] = 0.0
        self.entity_active[idx] = ~self._hidden
        if self.layouts is not None:
            self.layouts.write(idx, layout_draws, self.entity_position, self.entity_half, self.entity_active)
        self.switch_on[idx] = False
        self.actors.next_waypoint[idx] = 0
        drawn: list[np.ndarray] = []  # per cue copy, the value tag drawn in each of ``idx``
        for j in self._cue_copies:
            values = self._cue_tags[j]
            self.cue_value[idx, j] = self._rng.integers(0, len(values), count)
            drawn.append(np.array(values, dtype=object)[self.cue_value[idx, j]])
        for j, value in enumerate(self._matches):
            if value is not None:
                self.entity_match[idx, j] = np.any([d == value for d in drawn], axis=0) if drawn else False
        self._fresh_points[idx] = points[:, e_count:]
        self._fresh[idx] = True

    def _place_alone(self, idx: np.ndarray) -> np.ndarray:
        """Spawn points for agents ``idx`` restarting alone while their area's scene runs on.

        The spawn rule's (``world.spawn``): drawn in the agents' spawn rectangle (or one of its regions),
        redrawn while the check square overlaps a blocked region, an active entity copy or another agent of
        the area.
        """
        item = placeables(self.source_world)[-1]  # every agent shares the spawn rule
        blocked, area, c = blocked_rects(self.world), self.agent_area[idx], item.check_half
        out = np.zeros((idx.size, 2))
        todo = np.arange(idx.size)
        k = self.agents_per_area
        for _ in range(MAX_DRAWS):
            if item.choices:
                pick = self._rng.integers(0, len(item.choices), todo.size)
                low = np.array([item.choices[p][1] for p in pick]).reshape(-1, 2)
                high = np.array([item.choices[p][2] for p in pick]).reshape(-1, 2)
                draw = self._rng.uniform(low, high)
            else:
                draw = self._rng.uniform(item.low, item.high, (todo.size, 2))
            ok = np.ones(todo.size, dtype=bool)
            for x0, z0, x1, z1 in blocked:
                ok &= (
                    (draw[:, 0] + c <= x0)
                    | (draw[:, 0] - c >= x1)
                    | (draw[:, 1] + c <= z0)
                    | (draw[:, 1] - c >= z1)
                )
            a = area[todo]
            centres = self.entity_position[a][..., 0::2]  # (t, E, 2)
            gap = np.abs(draw[:, None, :] - centres) - (c + self.entity_half[a][..., 0::2])
            ok &= ((gap >= 0.0).any(axis=2) | ~self.entity_active[a]).all(axis=1)
            others = self.agent_position.reshape(self.num_areas, k, 3)[a][..., 0::2]  # (t, k, 2)
            gap = np.abs(draw[:, None, :] - others) - (c + self.agent_half)
            itself = np.arange(k)[None, :] == (idx[todo] % k)[:, None]
            ok &= ((gap >= 0.0).any(axis=2) | itself).all(axis=1)
            out[todo] = draw
            todo = todo[~ok]
            if not todo.size:
                break
        return out

    # --- OnActionReceived + physics ---

    def _move(self) -> np.ndarray:
        """Return ``(n, 6)`` right, forward, turn, world x, world z, jump from the last decision's actions."""
        n = self.num_agents
        move = np.zeros((n, 6))
        for b, table in enumerate(self._branch_tables):
            move += table[self._disc[:, b]]
        for c, column in enumerate(self._channel_columns):
            scale = self._channel_scale[column] * self._channel_signs[c]
            move[:, column] += self._cont[:, c].astype(np.float64) * scale
        if self.world.agent.movement.strafe_replaces_forward:  # both paths take their moves from here
            move[:, 1] = np.where(move[:, 0] != 0.0, 0.0, move[:, 1])
        return move

    def _laser_step(self, move: np.ndarray) -> None:
        """Before the physics step: thaw, fire the lasers (``sim.world_laser``), scale shooters' moves, slow.

        The same NumPy code runs before either engine's physics step. Frozen agents' moves are zeroed.
        """
        if self.laser is not None:
            laser = self.laser
            laser.thaw()
            shoot = np.zeros(self.num_agents, dtype=bool)
            for b, table in enumerate(self._shoot_tables):
                shoot |= table[self._disc[:, b]]
            if not (shoot & ~laser.frozen).any():  # nobody fires: skip building the scene
                laser.shot[:] = False
                shot = laser.shot
            else:
                scene = self._scene(self._laser_colliders)
                compiled = None if self.compiled else False
                shot = laser.fire(shoot, self.agent_position, self.agent_yaw, scene, compiled=compiled)
            self.agent_velocity[shot] *= laser.laser.velocity_scale
            move[np.ix_(shot, [0, 1, 3, 4])] *= laser.laser.move_scale
            move[laser.frozen] = 0.0
        slow_down(self.agent_velocity, self._slow_above)

    def _physics_arguments(self, move: np.ndarray, zones: np.ndarray) -> tuple:
        """Return the arguments of ``sim.kernels.world.world_physics_step`` (and of ``world_decision``)."""
        k = self.agents_per_area
        bodies = (
            self.agent_position.reshape(-1, k, 3),  # bodies are (area, body) in the kernel
            self.agent_velocity.reshape(-1, k, 3),
            self.agent_yaw,
            self.floor_friction,
            self.gravity,
            self.entity_position,
            self.entity_velocity,
            self.entity_half,
            self.entity_drag,
            self.entity_mass,
            self.entity_friction,
            self.entity_active,
            self._agent_trig,
        )
        scene = (
            self._block_index,
            self._obstacle_index,
            self._region_lo,
            self._region_hi,
            self._solid_index,
            self._region_top,
            self._agent_halves,
        )
        zone = (self._zone_blocks, self._zone_regions, self._zone_entities, zones)
        actors = self.actors.kernel_arguments()
        return (move, self.speed, self._kinematic, self._agent_constants, bodies, scene, zone, actors)

    def _kernel_decision(
        self,
        reward: np.ndarray,
        flags: np.ndarray,
        obs: tuple[np.ndarray, ...],
        ended: np.ndarray,
    ) -> int | None:
        """Run the whole decision in ``sim.kernels.world.world_decision`` (see ``SimEnv._kernel_decision``).

        Worlds with respawning collectibles return None (the NumPy path runs): a respawn draws from the
        generator in the NumPy path's order, which a per-area kernel loop cannot keep. So do worlds with
        several agents per area, groups, removing or ``cleared`` events: their events run in NumPy on the
        Academy loop (group rewards and ends on the shared path, as ``tasks.pushblock_collab``), after the
        compiled physics step. Grid motion (``_grid_step``) has no kernel yet: it runs in NumPy.
        """
        if (
            self._respawn.any()
            or self.agents_per_area > 1
            or self._grouped
            or self._area_level
            or self._grid_motion
        ):
            return None
        if self.laser is not None or self._slow_above > 0.0:  # NumPy before the physics step
            return None
        zones = np.zeros((len(self._zone_events), self.num_agents), dtype=bool)
        count = self._kernels.world_decision(
            self._physics_arguments(self._move(), zones),
            self._event_arrays,
            (
                self._has_triggers,
                self._switches,
                self.switch_on,
                self._opens,
                self._reveals,
                self._topples,
                self._rests_on,
            ),
            self._prev_distance,
            self.entity_value,
            self.agent_step_count,
            self.max_step,
            self.decision_period,
            reward,
            flags,
            ended,
        )
        for buf, rows in zip(obs, self._observe(None), strict=True):
            buf[...] = rows
        ended_now = ended[:count]
        self._end_yaw[ended_now] = self.agent_yaw[ended_now]  # frozen at the end by the kernel
        return int(count)

    def _physics_step(self) -> None:
        self._done_now.fill(False)
        self._interrupt_now.fill(False)
        self._success_now.fill(False)
        move = self._move()
        self._laser_step(move)
        for event in self._events:
            if event.kind is EventKind.TIME_PENALTY and not event.group:
                self._reward += np.float32(event.value / self._episode_steps)
        if self._grid_motion:
            self._grid_step(move)
            flags = [np.zeros(self.num_areas, dtype=bool) for _ in self._events]
        elif self.compiled:
            zones = np.zeros((len(self._zone_events), self.num_areas), dtype=bool)
            self._kernels.world_physics_step(self._physics_arguments(move, zones))
            flags = [np.zeros(self.num_areas, dtype=bool) for _ in self._events]
            for row, e in enumerate(self._zone_events):
                flags[e] = zones[row]
        else:
            flags = self._numpy_physics(move)
        theta = np.radians(self.agent_yaw)
        extent = self.agent_half * (np.abs(np.cos(theta)) + np.abs(np.sin(theta)))
        self._triggers(extent)
        self._events_step(extent, flags)

    def _grid_step(self, move: np.ndarray) -> None:
        """Grid motion: jump ``speed * direction`` unless the body there would overlap a wall or a solid.

        GridAgent (``Examples/GridWorld/Scripts/GridAgent.cs``): ``Physics.OverlapBox(targetPos, (0.3, 0.3,
        0.3))`` and a move only when it hits no wall; here the agent's own square (``agent.size`` 0.6 gives
        the same box) against the walls, obstacles, doors, active blocks and solid regions.
        """
        theta = np.radians(self.agent_yaw)
        cos, sin = np.cos(theta), np.sin(theta)
        dx = move[:, 0] * cos + move[:, 1] * sin + move[:, 3]
        dz = -move[:, 0] * sin + move[:, 1] * cos + move[:, 4]
        self.agent_yaw += move[:, 2]
        np.mod(self.agent_yaw, 360.0, out=self.agent_yaw)
        target = self.agent_position[:, 0::2] + self.speed[:, None] * np.stack([dx, dz], axis=1)
        theta = np.radians(self.agent_yaw)
        half = self.agent_half * (np.abs(np.cos(theta)) + np.abs(np.sin(theta)))  # (n,)
        lo, hi = target - half[:, None], target + half[:, None]
        free = np.ones(self.num_agents, dtype=bool)
        if self._walled:
            free &= (lo[:, 0] >= -self.half_x - CONTACT) & (hi[:, 0] <= self.half_x + CONTACT)
            free &= (lo[:, 1] >= -self.half_z - CONTACT) & (hi[:, 1] <= self.half_z + CONTACT)
        for r in self._solid_regions:
            free &= ~_overlap(lo, hi, self._region_lo[r], self._region_hi[r])
        area = self.agent_area
        for j in [*self._obstacles, *self._blocks]:
            c, h = self.entity_position[area, j][:, 0::2], self.entity_half[area, j][:, 0::2]
            free &= ~(_overlap(lo, hi, c - h, c + h) & self.entity_active[area, j])
        self.agent_position[free, 0] = target[free, 0]
        self.agent_position[free, 2] = target[free, 1]
        self.agent_velocity[:] = 0.0

    def _members(self) -> list[slice]:
        """Per member slot ``m`` of an area, the agents ``m, m + k, ...``: views aligned with the areas."""
        k = self.agents_per_area
        return [slice(m, None, k) for m in range(k)]

    def _per_agent(self, values: np.ndarray) -> np.ndarray:
        """Return per-area ``values`` for every agent (``values`` itself with one agent per area)."""
        return values if self.agents_per_area == 1 else values[self.agent_area]

    def _numpy_physics(self, move: np.ndarray) -> list[np.ndarray]:
        """Run the reference physics step (the kernel's operations in its order, vectorized over areas).

        Returns:
            Per event, ``(areas,)`` True where a block it concerns touched its zone (push_into_zone).

        """
        theta = np.radians(self.agent_yaw)
        cos, sin = np.cos(theta), np.sin(theta)
        reach = self.agent_half * (np.abs(cos) + np.abs(sin))
        members = self._members()
        ground = np.empty(self.num_agents)
        for rows in members:
            ground[rows] = self._support(self.agent_position[rows], reach[rows], self.agent_half)
        # MoveAgent: direction taken before the turn; right = (cos, -sin), forward = (sin, cos) in (x, z)
        dx = move[:, 0] * cos + move[:, 1] * sin + move[:, 3]
        dz = -move[:, 0] * sin + move[:, 1] * cos + move[:, 4]
        if self._kinematic:
            self.agent_velocity[:, 0] = self.speed * dx
            self.agent_velocity[:, 2] = self.speed * dz
        else:
            self.agent_velocity[:, 0] += self.speed * dx
            self.agent_velocity[:, 2] += self.speed * dz
            if self._jump_speed > 0.0:  # a jump from the ground: upward velocity set (WallJump's idiom)
                standing = self.agent_position[:, 1] - (ground + self.agent_half - REST_SINK) <= 1e-6
                jump = (move[:, 5] > 0.0) & standing
                self.agent_velocity[:, 1] = np.where(jump, self._jump_speed, self.agent_velocity[:, 1])
        self.agent_yaw += move[:, 2]
        np.mod(self.agent_yaw, 360.0, out=self.agent_yaw)
        mu_agent = 0.5 * (self._per_agent(self.floor_friction) + self.world.agent.body.friction)
        if self._kinematic:
            self.agent_position += self.agent_velocity * self.physics_dt
        else:
            self._integrate(
                self.agent_position,
                self.agent_velocity,
                self.agent_half,
                self.world.agent.body.drag,
                mu_agent,
                ground,
                self._per_agent(self.gravity),
            )
        for j in self._blocks:
            mu = 0.5 * (self.floor_friction + self.entity_friction[:, j])
            on = self.entity_active[:, j]
            floor = self._block_floor(j)
            if on.all():
                self._integrate(
                    self.entity_position[:, j],
                    self.entity_velocity[:, j],
                    self.entity_half[:, j, 1],
                    self.entity_drag[:, j],
                    mu,
                    floor,
                )
                continue
            rows = np.flatnonzero(on)  # removed blocks stay where they left the scene
            p, v = self.entity_position[rows, j], self.entity_velocity[rows, j]
            self._integrate(
                p,
                v,
                self.entity_half[rows, j, 1],
                self.entity_drag[rows, j],
                mu[rows],
                floor if np.ndim(floor) == 0 else floor[rows],
                self.gravity[rows],
            )
            self.entity_position[rows, j], self.entity_velocity[rows, j] = p, v
        self._steer_actors()
        theta = np.radians(self.agent_yaw)
        cos, sin = np.cos(theta), np.sin(theta)
        extent = self.agent_half * (np.abs(cos) + np.abs(sin))  # the turned square's reach along x and z
        zones = [np.zeros(self.num_areas, dtype=bool) for _ in self._events]
        bottom = self.agent_position[:, 1] - self.agent_half + REST_SINK
        for rounds in range(3):  # static parts, then the contacts, twice so a pinned block stops the agent
            self._blocks_static(zones)
            for rows in members:
                p, v = self.agent_position[rows], self.agent_velocity[rows]
                self._static(p, v, extent[rows], extent[rows], bottom[rows])
            if rounds == 2:
                break
            for rows in members:
                for j in self._blocks:
                    self._agent_block(j, rows, cos[rows], sin[rows])
            self._pairs(cos, sin)
        return zones

    def _block_floor(self, j: int) -> float | np.ndarray:
        """Floor height under block copy ``j`` per area: 0, or ``NO_FLOOR`` past an open platform's edge."""
        if self._walled:
            return 0.0
        p = self.entity_position[:, j]
        inside = (np.abs(p[:, 0]) <= self.half_x) & (np.abs(p[:, 2]) <= self.half_z)
        return np.where(inside, 0.0, NO_FLOOR)

    def _steer_actors(self) -> None:
        """Scripted actors take their step (``sim.world_actors``), then walls and solids stop them."""
        actors = self.actors
        if not actors.index.size:
            return
        steer_actors(
            actors,
            self.agent_position.reshape(self.num_areas, self.agents_per_area, 3),
            self.entity_position,
            self.entity_velocity,
            self.entity_half,
            self.entity_active,
            self.physics_dt,
            (self.half_x, self.half_z),
        )
        for j in actors.index:
            active = self.entity_active[:, j]
            p, v, h = self.entity_position[:, j], self.entity_velocity[:, j], self.entity_half[:, j]
            p_before, v_before = p.copy(), v.copy()
            self._static(p, v, h[:, 0], h[:, 2])
            p[~active], v[~active] = p_before[~active], v_before[~active]  # hidden ones stay parked

    def _integrate(
        self,
        p: np.ndarray,
        v: np.ndarray,
        half_y: float | np.ndarray,
        drag: float | np.ndarray,
        mu: np.ndarray,
        ground: float | np.ndarray = 0.0,
        gravity: np.ndarray | None = None,
    ) -> None:
        """Gravity, damping, floor friction, semi-implicit integration, floor contact (PushBlock's order).

        ``ground`` is the height of what the body stands on (``_support``; 0 the floor); ``gravity`` one
        value per body (default: the areas').
        """
        g = self.gravity if gravity is None else gravity
        fall_and_slide(p, v, ground + half_y - REST_SINK, drag, mu, g, self.physics_dt)

    def _static(
        self, p: np.ndarray, v: np.ndarray, ex: np.ndarray, ez: np.ndarray, bottom: np.ndarray | None = None
    ) -> None:
        """Keep bodies of half reach (ex, ez) inside the walls and out of solid regions and obstacles.

        With ``bottom`` (the agent's), a box whose top is at most ``STEP`` above it does not stop the body
        (it steps or jumps onto it); blocks (``bottom`` None) are stopped by every box.
        """
        if self._walled:
            for axis, half, reach in ((0, self.half_x, ex), (2, self.half_z, ez)):
                lo, hi = -half + reach, half - reach
                v[:, axis] = np.where(p[:, axis] <= lo, np.maximum(v[:, axis], 0.0), v[:, axis])
                v[:, axis] = np.where(p[:, axis] >= hi, np.minimum(v[:, axis], 0.0), v[:, axis])
                np.clip(p[:, axis], lo, hi, out=p[:, axis])
        for lo, hi, top in self._static_boxes():
            self._push_out(p, v, ex, ez, lo, hi, None if bottom is None else top > bottom + STEP)

    def _static_boxes(self) -> list[tuple[np.ndarray, np.ndarray, np.ndarray | float]]:
        """(lo, hi) (x, z) corners and top of solid regions and obstacle copies, per area (or shared)."""
        boxes: list[tuple[np.ndarray, np.ndarray, np.ndarray | float]] = [
            (self._region_lo[i], self._region_hi[i], float(self._region_top[i])) for i in self._solid_regions
        ]
        for j in self._obstacles:
            # a toppled obstacle or an opened door stops nothing: parked far away
            centre = np.where(self.entity_active[:, j, None], self.entity_position[:, j, 0::2], _FAR)
            half = self.entity_half[:, j, 0::2]
            top = self.entity_position[:, j, 1] + self.entity_half[:, j, 1]
            boxes.append((centre - half, centre + half, top))
        return boxes

    def _block_boxes(self) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """(lo, hi) (x, z) corners and top of each block copy per area: agents stand on blocks (WallJump).

        A removed block holds nothing (parked far away), as a toppled obstacle.
        """
        boxes = []
        for j in self._blocks:
            centre = np.where(self.entity_active[:, j, None], self.entity_position[:, j, 0::2], _FAR)
            half = self.entity_half[:, j, 0::2]
            boxes.append(
                (centre - half, centre + half, self.entity_position[:, j, 1] + self.entity_half[:, j, 1])
            )
        return boxes

    def _support(
        self, p: np.ndarray, reach: np.ndarray, half_y: float, sel: np.ndarray | slice = slice(None)
    ) -> np.ndarray:
        """Height of what a body of half reach ``reach`` at ``p`` stands on or falls towards.

        The floor (0) inside the arena (everywhere when walled; an open platform's edge drops to
        ``NO_FLOOR``), raised by every solid region, obstacle or block under its footprint whose top is at
        most ``STEP`` above its bottom. ``p`` holds bodies of the areas ``sel``.
        """
        ground = np.zeros(p.shape[0])
        if not self._walled:
            inside = (np.abs(p[:, 0]) <= self.half_x) & (np.abs(p[:, 2]) <= self.half_z)
            ground = np.where(inside, 0.0, NO_FLOOR)
        bottom = p[:, 1] - half_y + REST_SINK
        for lo, hi, top in self._static_boxes() + self._block_boxes():
            if np.ndim(top):  # per area: keep the rows of ``sel``
                lo, hi, top = lo[sel], hi[sel], top[sel]
            lo = np.broadcast_to(lo, (p.shape[0], 2))
            hi = np.broadcast_to(hi, (p.shape[0], 2))
            under = (
                (p[:, 0] + reach > lo[:, 0])
                & (p[:, 0] - reach < hi[:, 0])
                & (p[:, 2] + reach > lo[:, 1])
                & (p[:, 2] - reach < hi[:, 1])
            )
            ground = np.where(under & (top <= bottom + STEP), np.maximum(ground, top), ground)
        return ground

    def _grounded(self, sel: np.ndarray | slice) -> np.ndarray:
        """Whether each agent ``sel`` stands on something (the ``grounded`` item)."""
        theta = np.radians(self.agent_yaw[sel])
        reach = self.agent_half * (np.abs(np.cos(theta)) + np.abs(np.sin(theta)))
        p = self.agent_position[sel]
        ground = self._support(p, reach, self.agent_half, self._areas_of(sel))
        return p[:, 1] - (ground + self.agent_half - REST_SINK) <= 1e-6

    @staticmethod
    def _push_out(
        p: np.ndarray,
        v: np.ndarray,
        ex: np.ndarray,
        ez: np.ndarray,
        lo: np.ndarray,
        hi: np.ndarray,
        blocks: np.ndarray | None = None,
    ) -> None:
        """Move bodies out of the box [lo, hi] along the axis of least penetration; stop motion into it.

        ``blocks`` False where the box does not stop the body (it is above the box's top).
        """
        lo = np.broadcast_to(lo, (p.shape[0], 2))
        hi = np.broadcast_to(hi, (p.shape[0], 2))
        into_x = np.minimum(p[:, 0] + ex - lo[:, 0], hi[:, 0] - (p[:, 0] - ex))
        into_z = np.minimum(p[:, 2] + ez - lo[:, 1], hi[:, 1] - (p[:, 2] - ez))
        hit = (into_x > 0.0) & (into_z > 0.0)
        if blocks is not None:
            hit &= blocks
        if not hit.any():
            return
        centre = 0.5 * (lo + hi)
        along_x = hit & (into_x < into_z)
        along_z = hit & ~along_x
        for axis, mask, low, high, reach in (
            (0, along_x, lo[:, 0], hi[:, 0], ex),
            (2, along_z, lo[:, 1], hi[:, 1], ez),
        ):
            c = centre[:, 0 if axis == 0 else 1]
            below = p[:, axis] < c
            target = np.where(below, low - reach, high + reach)
            p[:, axis] = np.where(mask, target, p[:, axis])
            v[:, axis] = np.where(
                mask & below,
                np.minimum(v[:, axis], 0.0),
                np.where(mask, np.maximum(v[:, axis], 0.0), v[:, axis]),
            )

    def _blocks_static(self, zones: list[np.ndarray]) -> None:
        """Blocks against walls, solid regions and obstacles; flags blocks touching a push_into_zone zone."""
        for j in self._blocks:
            p, v, h = self.entity_position[:, j], self.entity_velocity[:, j], self.entity_half[:, j]
            on = self.entity_active[:, j]
            for e, event in enumerate(self._events):
                if event.kind is EventKind.PUSH_INTO_ZONE and event.entities[j] and not event.removes:
                    touch = self._touching(p, h[:, 0], h[:, 2], event.zone_entities, event.zone_regions)
                    zones[e] |= on & touch
            if on.all():
                self._static(p, v, h[:, 0], h[:, 2])
                continue
            kept = p[~on].copy(), v[~on].copy()  # a removed block stays where it left the scene
            self._static(p, v, h[:, 0], h[:, 2])
            p[~on], v[~on] = kept

    def _agent_block(self, j: int, rows: slice, cos: np.ndarray, sin: np.ndarray) -> None:
        """Separate agents ``rows`` (turned squares, one per area) from active block ``j`` (axis-aligned)."""
        ap, av = self.agent_position[rows], self.agent_velocity[rows]
        bp, bv = self.entity_position[:, j], self.entity_velocity[:, j]
        d = ap[:, 0::2] - bp[:, 0::2]
        hx, hz = self.entity_half[:, j, 0], self.entity_half[:, j, 2]
        # the block's x and z, the agent's right and forward
        axes, separation, overlap = square_box_overlaps(d, cos, sin, self.agent_half, hx, hz)
        hit = (overlap > 0.0).all(axis=1) & self.entity_active[:, j]
        # an agent on (or above) the block is held up by it (``_block_boxes``), not pushed sideways
        below = bp[:, 1] + self.entity_half[:, j, 1] > ap[:, 1] - self.agent_half + REST_SINK + STEP
        hit &= below
        if not hit.any():
            return
        depth, normal = least_penetration(axes, separation, overlap, hit)  # normal: block -> agent
        agent_mass = self.world.agent.body.mass
        block_mass = self.entity_mass[:, j]
        agent_share = block_mass / (agent_mass + block_mass)  # the lighter body moves more
        ap[:, 0::2] += normal * (agent_share * depth)[:, None]
        bp[:, 0::2] -= normal * ((1.0 - agent_share) * depth)[:, None]
        closing = ((av[:, 0::2] - bv[:, 0::2]) * normal).sum(axis=1)
        closing = np.where(hit & (closing < 0.0), closing, 0.0)
        av[:, 0::2] -= normal * (agent_share * closing)[:, None]
        bv[:, 0::2] += normal * ((1.0 - agent_share) * closing)[:, None]

    def _pairs(self, cos: np.ndarray, sin: np.ndarray) -> None:
        """Separate the area's agents from one another, then its active blocks (``box_contact``, in order)."""
        k, ap, av = self.agents_per_area, self.agent_position, self.agent_velocity
        if k > 1:
            half, mass = self._agent_halves, self.world.agent.body.mass
            everywhere = np.ones(self.num_areas, dtype=bool)
            for m in range(k):
                for o in range(m + 1, k):
                    a, b = slice(m, None, k), slice(o, None, k)
                    box_contact(
                        everywhere,
                        (ap[a], av[a], cos[a], sin[a], half, mass),
                        (ap[b], av[b], cos[b], sin[b], half, mass),
                    )
        if len(self._blocks) < 2:
            return
        ones, zeros = np.ones(self.num_areas), np.zeros(self.num_areas)
        ep, ev, eh, active = self.entity_position, self.entity_velocity, self.entity_half, self.entity_active
        for x, j in enumerate(self._blocks):
            for o in self._blocks[x + 1 :]:
                box_contact(
                    active[:, j] & active[:, o],
                    (ep[:, j], ev[:, j], ones, zeros, eh[:, j].T, self.entity_mass[:, j]),
                    (ep[:, o], ev[:, o], ones, zeros, eh[:, o].T, self.entity_mass[:, o]),
                )

    def _touching(
        self,
        p: np.ndarray,
        ex: np.ndarray,
        ez: np.ndarray,
        entities: np.ndarray,
        regions: np.ndarray,
        allowed: np.ndarray | None = None,
    ) -> np.ndarray:
        """Return whether a body at ``p`` of reach (ex, ez) touches (within ``CONTACT``) a selected thing.

        ``allowed`` ``(n, E)``: per area, which entity copies count (cue-matched targets).
        """
        out = np.zeros(p.shape[0], dtype=bool)
        for i in np.flatnonzero(regions):
            lo, hi = self._region_lo[i], self._region_hi[i]
            out |= (
                (p[:, 0] + ex >= lo[0] - CONTACT)
                & (p[:, 0] - ex <= hi[0] + CONTACT)
                & (p[:, 2] + ez >= lo[1] - CONTACT)
                & (p[:, 2] - ez <= hi[1] + CONTACT)
            )
        for j in np.flatnonzero(entities):
            c, h = self.entity_position[:, j], self.entity_half[:, j]
            out |= (
                self.entity_active[:, j]
                & (True if allowed is None else allowed[:, j])
                & (np.abs(p[:, 0] - c[:, 0]) <= ex + h[:, 0] + CONTACT)
                & (np.abs(p[:, 2] - c[:, 2]) <= ez + h[:, 2] + CONTACT)
            )
        return out

    def _distance(self, event: _Event, idx: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Return each agent's distance to the nearest active copy or region centre with the event's tag."""
        p = self.agent_position[idx][:, 0::2]
        best = np.full(p.shape[0], np.inf)
        for i in np.flatnonzero(event.regions):
            centre = 0.5 * (self._region_lo[i] + self._region_hi[i])
            best = np.minimum(best, np.hypot(*(p - centre).T))
        area = self._areas_of(idx)
        for j in np.flatnonzero(event.entities):
            c = self.entity_position[area, j][:, 0::2]
            d = np.where(self.entity_active[area, j], np.hypot(*(p - c).T), np.inf)
            best = np.minimum(best, d)
        return np.where(np.isfinite(best), best, 0.0)

    def _events_step(self, extent: np.ndarray, zones: list[np.ndarray]) -> None:
        """Fire the world's events for this physics step, in file order.

        Per-agent events (reach, touch, collect, fall, wrong choice, shaping) fire for the agent that caused
        them, member by member within an area; events of the scene (push_into_zone, cleared) fire once per
        area and reach every agent of it. Group-scoped ones go to the area's group (``add_group_reward``,
        then ``end_group_episode`` or ``group_episode_interrupted``) once every event has been seen.
        """
        group = _GroupOutcome(self.num_areas) if self._grouped else None
        members = self._members()
        for e, event in enumerate(self._events):
            kind = event.kind
            if kind is EventKind.TIME_PENALTY:
                if group is not None and event.group:
                    group.gain += event.value / self._episode_steps
                continue
            if kind in (EventKind.PUSH_INTO_ZONE, EventKind.CLEARED):
                if kind is EventKind.CLEARED:
                    fired = ~(self.entity_active & event.entities).any(axis=1)
                    gain = np.where(fired, event.value, 0.0)
                elif event.removes:
                    fired, gain = self._remove_pushed(event)
                else:
                    fired = zones[e]
                    gain = np.where(fired, event.value, 0.0)
                for rows in members if not event.group else members[:1]:
                    self._fire(event, rows, fired, gain, group)
                continue
            for rows in members:
                fired, gain = self._agent_event(e, event, rows, extent[rows])
                self._fire(event, rows, fired, gain, group)
        if group is not None:
            group.apply(self)

    def _agent_event(
        self, e: int, event: _Event, rows: slice, extent: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return where event ``e`` fires for agents ``rows`` (one per area) and the reward it gives."""
        p, kind = self.agent_position[rows], event.kind
        if kind is EventKind.SHAPING:
            now = self._distance(event, rows)
            gain = event.value * (self._prev_distance[e, rows] - now)
            self._prev_distance[e, rows] = now
            return np.ones(p.shape[0], dtype=bool), gain
        if kind is EventKind.COLLECT:
            return self._collect_event(event, p, extent)
        if kind is EventKind.FALL:
            if event.entities.any():  # ``what``: a block tag; an active copy's centre below fall_height
                below = self.entity_active & (self.entity_position[:, :, 1] < self._fall_height)
                fired = (below & event.entities).any(axis=1)
            else:
                fired = p[:, 1] < self._fall_height
            return fired, np.where(fired, event.value, 0.0)
        if kind is EventKind.NEAR:  # each member by its own distance
            near = near_distance(event.entities, p, self.entity_position, self.entity_active)
            fired = near <= event.within
            return fired, np.where(fired, event.value / self._episode_steps, 0.0)
        allowed = None  # reach, touch, wrong_choice
        if kind is EventKind.REACH:
            allowed = self.entity_match
        elif kind is EventKind.WRONG_CHOICE:
            allowed = ~self.entity_match
        fired = self._touching(p, extent, extent, event.entities, event.regions, allowed)
        if event.walls:
            fired |= (np.abs(p[:, 0]) + extent >= self.half_x - CONTACT) | (
                np.abs(p[:, 2]) + extent >= self.half_z - CONTACT
            )
        return fired, np.where(fired, event.value, 0.0)

    def _collect_event(
        self, event: _Event, p: np.ndarray, extent: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return where agents ``p`` (one per area) touch a collectible of ``event`` and what they gain.

        Every copy is tested at once (``_touching``'s test, per copy); the copies touched are then collected
        one after another in copy order (``_collected``: respawn draws in that order).
        """
        cols = np.flatnonzero(event.entities)
        centre, half = self.entity_position[:, cols], self.entity_half[:, cols]
        got = (
            self.entity_active[:, cols]
            & (np.abs(p[:, None, 0] - centre[..., 0]) <= extent[:, None] + half[..., 0] + CONTACT)
            & (np.abs(p[:, None, 2] - centre[..., 2]) <= extent[:, None] + half[..., 2] + CONTACT)
        )
        gain = np.where(got, event.value * self.entity_value[:, cols], 0.0).sum(axis=1)
        for k in np.flatnonzero(got.any(axis=0)):
            self._collected(np.flatnonzero(got[:, k]), int(cols[k]))
        return got.any(axis=1), gain

    def _fire(
        self, event: _Event, rows: slice, fired: np.ndarray, gain: np.ndarray, group: _GroupOutcome | None
    ) -> None:
        """Give agents ``rows`` (or, scoped to the group, their areas' groups) an event's reward and end."""
        if event.group and group is not None:
            group.add(event, fired, gain)
            return
        if event.value:
            self._reward[rows] += gain.astype(np.float32)
        if event.end is EndKind.TERMINATED:
            self._done_now[rows] |= fired
            if event.success:
                self._success_now[rows] |= fired
        elif event.end is EndKind.INTERRUPTED:
            self._interrupt_now[rows] |= fired

    def _remove_pushed(self, event: _Event) -> tuple[np.ndarray, np.ndarray]:
        """Remove the blocks of a ``removes`` push_into_zone event that touch its zone from the scene.

        Returns:
            Per area, whether one left and ``value`` per block that did.

        """
        fired = np.zeros(self.num_areas, dtype=bool)
        gain = np.zeros(self.num_areas)
        for j in np.flatnonzero(event.entities):
            p, h = self.entity_position[:, j], self.entity_half[:, j]
            inside = self.entity_active[:, j] & self._touching(
                p, h[:, 0], h[:, 2], event.zone_entities, event.zone_regions
            )
            if inside.any():
                self.entity_active[inside, j] = False
                self.entity_velocity[inside, j] = 0.0
                gain += np.where(inside, event.value, 0.0)
                fired |= inside
        return fired, gain

    def _triggers(self, extent: np.ndarray) -> None:
        """Switches an agent touches turn on (doors vanish, hidden entities appear); obstacles topple.

        Checked after the physics step, before the events (a revealed target counts from the next step),
        member by member within an area.
        """
        if not self._has_triggers:
            return
        none = np.zeros(0, dtype=bool)
        for rows in self._members():
            p, reach = self.agent_position[rows], extent[rows]
            for j in np.flatnonzero(self._switches):
                touched = self._touching(p, reach, reach, _only(j, self._switches.size), none)
                hit = touched & ~self.switch_on[:, j]
                if hit.any():
                    self.switch_on[:, j] |= hit
                    self.entity_active[np.ix_(hit, self._opens[j])] = False
                    self.entity_active[np.ix_(hit, self._reveals[j])] = True
            for j in np.flatnonzero(self._topples):
                hit = self._touching(p, reach, reach, _only(j, self._topples.size), none)
                if hit.any():
                    self.entity_active[hit, j] = False
                    for rider in np.flatnonzero(self._rests_on == j):  # falls to the floor where it stood
                        self.entity_position[hit, rider, 1] = self.entity_half[hit, rider, 1]

    def _collected(self, areas: np.ndarray, j: int) -> None:
        """Respawn collectible copy ``j`` in its spawn area in ``areas`` (or deactivate it there)."""
        if self._respawn[j]:
            item = placeables(self.world)[j]
            low, high = np.asarray(item.low), np.asarray(item.high)
            draw = self._rng.uniform(low, high, (areas.size, 2))
            self.entity_position[areas, j, 0] = draw[:, 0]
            self.entity_position[areas, j, 2] = draw[:, 1]
        else:
            self.entity_active[areas, j] = False

    # --- CollectObservations ---

    def _observe(self, idx: np.ndarray | None) -> tuple[np.ndarray, ...]:
        sel = slice(None) if idx is None else idx
        out = []
        moving: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # built once for all ray sensors
        for sensor, spec, colliders in zip(self.sensors, self._sensor_defs, self._colliders, strict=True):
            if isinstance(sensor, (RayPerceptionSensor, GridPerception)):
                assert colliders is not None
                if moving is None:
                    moving = self._moving_colliders()
                view = self._collider_view(colliders, moving, idx)
                if isinstance(sensor, GridPerception):
                    own = self._own_row(sel)
                    out.append(sensor.observe(self.agent_position[sel], self.agent_yaw[sel], view, own))
                    continue
                out.append(
                    sensor.observe(
                        self.agent_position[sel],
                        self.agent_yaw[sel],
                        view,
                        idx,
                        compiled=None if self.compiled else False,
                    )
                )
            elif isinstance(sensor, TopDownCamera):
                out.append(self._camera(sensor, sel))
            elif isinstance(sensor, BufferPerception):
                asel = self._areas_of(sel)
                entities, active = self.entity_position[asel], self.entity_active[asel]
                out.append(sensor.observe(self.agent_position[sel], entities, active))
            else:
                assert isinstance(spec, VectorSensor)
                out.append(sensor.stacked(self._vector(spec, sel), idx))
        return tuple(out)

    def _camera(self, camera: TopDownCamera, sel: np.ndarray | slice) -> np.ndarray:
        """Return the top-down images of agents ``sel``: one per area, shared by its agents."""
        k = self.agents_per_area
        if k == 1:  # an agent's area is its row
            areas, back = sel, slice(None)
        else:
            areas, back = np.unique(self.agent_area[np.arange(self.num_agents)[sel]], return_inverse=True)
        images = camera.observe(
            self.entity_position[areas],
            self.entity_half[areas],
            self._entity_yaw,
            self.entity_active[areas],
            self.agent_position.reshape(self.num_areas, k, 3)[areas],
            self.agent_yaw.reshape(self.num_areas, k)[areas],
            compiled=self.compiled,
        )
        return images[back]

    def _scene_colliders(
        self, n: int, box_tags: list[str], sphere_tags: list[str], tag_indices: Callable[..., np.ndarray]
    ) -> Colliders:
        """One sensor's colliders of ``n`` agents' scenes: static boxes now, moving ones by ``_fill``."""
        return Colliders.build(
            n,
            boxes=(
                self._static_centres,
                self._static_halves,
                np.zeros(len(box_tags)),
                tag_indices(box_tags),
            ),
            spheres=(np.zeros((len(sphere_tags), 3)), np.zeros(len(sphere_tags)), tag_indices(sphere_tags)),
        )

    def _collider_view(
        self, colliders: Colliders, moving: tuple[np.ndarray, ...], idx: np.ndarray | None
    ) -> Colliders:
        """Write the moving parts into a sensor's colliders; return the rows of agents ``idx`` (None: all)."""
        self._fill(colliders, moving)
        sel = slice(None) if idx is None else idx
        return Colliders(
            colliders.box_center[sel],
            colliders.box_half[sel],
            colliders.box_yaw[sel],
            colliders.box_tag,
            colliders.sphere_center[sel],
            self._sphere_radius(idx),
            colliders.sphere_tag,
        )

    def _fill(self, colliders: Colliders, moving: tuple[np.ndarray, ...]) -> None:
        """Write the moving colliders (``_moving_colliders``) into a sensor's (or the laser's) colliders."""
        rows, end = self._entity_box_rows, colliders.box_center.shape[1] - self._agent_rows
        colliders.box_center[:, rows:end], colliders.box_half[:, rows:end] = moving[0], moving[1]
        colliders.sphere_center[:] = moving[2]
        if self._agent_rows:
            colliders.box_center[:, end:] = moving[3]
            colliders.box_yaw[:, end:] = moving[4]

    def _scene(self, colliders: Colliders) -> Colliders:
        """Return ``colliders`` filled with the scene as it is now (every agent's area)."""
        return self._collider_view(colliders, self._moving_colliders(), None)

    def _own_row(self, sel: np.ndarray | slice) -> np.ndarray:
        """Each agent's own box row among the colliders (the agent rows come last), -1 with one per area."""
        agents = np.arange(self.num_agents)[sel]
        if not self._agent_rows:
            return np.full(agents.size, -1, dtype=np.int64)
        first = self._static_centres.shape[0] - self._agent_rows
        return first + agents % self.agents_per_area

    def _moving_colliders(self) -> tuple[np.ndarray, ...]:
        """Return the ray colliders that move, per agent: box centres and halves, sphere centres.

        Box rows are the box copies, then the switches' on-tag rows, then the cues' value rows; what is
        inactive (and a switch's collider of its other state) is parked far below. With several agents per
        area, the area's agents' centres ``(n, k, 3)`` and yaws ``(n, k)`` follow.
        """
        boxes, halves, spheres = self._moving_entities()
        if self.agents_per_area == 1:
            return boxes, halves, spheres
        area, k = self.agent_area, self.agents_per_area
        agents = self.agent_position.reshape(self.num_areas, k, 3)[area]
        yaws = self.agent_yaw.reshape(self.num_areas, k)[area]
        if self.laser is not None:  # unfrozen rows, then frozen rows (``laser.frozen_tag``); one parked
            frozen = self.laser.frozen.reshape(self.num_areas, k)[area][..., None]
            parked = np.array([0.0, -_FAR, 0.0])
            shown = [np.where(frozen, parked, agents), np.where(frozen, agents, parked)]
            agents = np.concatenate(shown, axis=1)
            yaws = np.concatenate([yaws, yaws], axis=1)
        return boxes[area], halves[area], spheres[area], agents, yaws

    def _moving_entities(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return the entities' ray colliders now, per area (``_moving_colliders``' first three)."""
        shown = self.entity_active
        if self._on_copies.size or self._cue_copies:
            shown = shown.copy()
            shown[:, self._on_copies] &= ~self.switch_on[:, self._on_copies]
            shown[:, self._cue_copies] = False  # seen through its value's collider below
        centre = np.where(shown[:, :, None], self.entity_position, [0.0, -_FAR, 0.0])
        box_centre = centre[:, self._box_copies]
        box_half = self.entity_half[:, self._box_copies]
        if self._on_copies.size:
            on = self.entity_active[:, self._on_copies] & self.switch_on[:, self._on_copies]
            on_centre = np.where(on[..., None], self.entity_position[:, self._on_copies], [0.0, -_FAR, 0.0])
            box_centre = np.concatenate([box_centre, on_centre], axis=1)
            box_half = np.concatenate([box_half, self.entity_half[:, self._on_copies]], axis=1)
        if self._cue_rows:
            cues = np.array([j for j, _, _ in self._cue_rows])
            values = np.array([v for _, v, _ in self._cue_rows])
            seen = self.entity_active[:, cues] & (self.cue_value[:, cues] == values)
            cue_centre = np.where(seen[..., None], self.entity_position[:, cues], [0.0, -_FAR, 0.0])
            box_centre = np.concatenate([box_centre, cue_centre], axis=1)
            box_half = np.concatenate([box_half, self.entity_half[:, cues]], axis=1)
        return box_centre, box_half, centre[:, self._sphere_copies]

    def _sphere_radius(self, idx: np.ndarray | None) -> np.ndarray:
        """Sphere radii (one per sphere copy; the ray kernel takes one radius per sphere for all areas)."""
        half = self.entity_half[:, self._sphere_copies, 0]
        return half[0] if half.shape[0] else np.zeros(len(self._sphere_copies))

    def _areas_of(self, sel: np.ndarray | slice) -> np.ndarray | slice:
        """Return the areas of agents ``sel`` (``sel`` itself with one agent per area)."""
        return sel if self.agents_per_area == 1 else self.agent_area[sel]

    def _vector(self, sensor: VectorSensor, sel: np.ndarray | slice) -> np.ndarray:
        """One frame of a vector sensor for the agents ``sel``."""
        p = self.agent_position[sel]
        asel = self._areas_of(sel)
        parts = []
        for item in sensor.items:
            kind = item.item
            if kind is VectorItemKind.VELOCITY:
                v = self.agent_velocity[sel]
                parts.append(v[:, 0::2] / self.speed[sel, None])
            elif kind is VectorItemKind.POSITION:
                parts.append(p[:, 0::2] / np.array([self.half_x, self.half_z]))
            elif kind is VectorItemKind.OFFSET:
                parts.append((p - np.array(item.origin)) / item.scale)
            elif kind is VectorItemKind.HEADING:
                theta = np.radians(self.agent_yaw[sel])
                parts.append(np.stack([np.sin(theta), np.cos(theta)], axis=1))
            elif kind is VectorItemKind.STEP_FRACTION:
                parts.append((self.agent_step_count[sel] / max(self.max_step, 1))[:, None])
            elif kind is VectorItemKind.CUE:
                j = next(c for c in self._cue_copies if self._copy_tags[c] == item.of)
                size = len(self._cue_tags[j])
                parts.append(np.eye(size)[self.cue_value[asel, j]])
            elif kind is VectorItemKind.GROUNDED:
                parts.append(self._grounded(sel)[:, None].astype(np.float64))
            elif kind is VectorItemKind.LOCAL_VELOCITY:
                v = self.agent_velocity[sel]
                theta = np.radians(self.agent_yaw[sel])
                cos, sin = np.cos(theta), np.sin(theta)
                # right = (cos, -sin), forward = (sin, cos) in (x, z), as MoveAgent
                right = v[:, 0] * cos - v[:, 2] * sin
                forward = v[:, 0] * sin + v[:, 2] * cos
                parts.append(np.stack([right, v[:, 1], forward], axis=1))
            elif kind is VectorItemKind.CELL:
                width = int(self.world.arena.size[0])
                # the centre's cell; a centre exactly on a border counts in the cell to its right
                cell = np.clip(np.floor(p[:, 0] + self.half_x + 1e-9), 0, width - 1).astype(np.int64)
                parts.append(np.eye(width)[cell])
            elif kind is VectorItemKind.LOCAL_VELOCITY_XZ:
                v = self.agent_velocity[sel]
                theta = np.radians(self.agent_yaw[sel])
                cos, sin = np.cos(theta), np.sin(theta)
                parts.append(np.stack([v[:, 0] * cos - v[:, 2] * sin, v[:, 0] * sin + v[:, 2] * cos], axis=1))
            elif kind in (VectorItemKind.FROZEN, VectorItemKind.SHOOTING):
                assert self.laser is not None  # validated: these items need agent.laser
                state = self.laser.frozen if kind is VectorItemKind.FROZEN else self.laser.shot
                parts.append(state[sel][:, None].astype(np.float64))
            elif kind is VectorItemKind.SWITCH_STATE:
                mine = self._switches & (self._copy_tags == item.of)
                parts.append(self.switch_on[asel][:, mine].any(axis=1, keepdims=True).astype(np.float64))
            else:  # direction_to, distance_to
                nearest = self._nearest(item.of, sel)
                delta = nearest - p[:, 0::2]
                size = np.array([2 * self.half_x, 2 * self.half_z])
                if kind is VectorItemKind.DIRECTION_TO:
                    parts.append(delta / size)
                else:
                    parts.append((np.hypot(delta[:, 0], delta[:, 1]) / math.hypot(*size))[:, None])
        return np.concatenate(parts, axis=1).astype(np.float32)

    def _nearest(self, tag: str | None, sel: np.ndarray | slice) -> np.ndarray:
        """Return (x, z) of the nearest active entity copy or region with ``tag`` (the agent's place if none).

        Regions come first, then entity copies in order; the first of equal distances wins.
        """
        if tag not in self._candidates:
            world = self.world
            regions = [i for i, r in enumerate(world.arena.regions) if r.tag == tag]
            copies = [
                j
                for j in range(self.entity_position.shape[1])
                if world.tag_of(world.entities[self._copy_def[j]]) == tag
            ]
            centres = 0.5 * (self._region_lo[regions] + self._region_hi[regions])
            self._candidates[tag] = (centres.reshape(-1, 2), np.array(copies, dtype=np.int64))
        centres, copies = self._candidates[tag]
        p = self.agent_position[sel][:, 0::2]
        sel = self._areas_of(sel)
        if not centres.shape[0] and copies.size:  # entity copies only: no broadcast and concatenations
            points = self.entity_position[sel][:, copies][..., 0::2]
            d = np.hypot(points[..., 0] - p[:, None, 0], points[..., 1] - p[:, None, 1])
            d[~self.entity_active[sel][:, copies]] = np.inf
            best = np.argmin(d, axis=1)
            rows = np.arange(p.shape[0])
            return np.where(np.isfinite(d[rows, best])[:, None], points[rows, best], p)
        points = np.concatenate(
            [
                np.broadcast_to(centres, (p.shape[0], *centres.shape)),
                self.entity_position[sel][:, copies][..., 0::2],
            ],
            axis=1,
        )  # (k, candidates, 2)
        if not points.shape[1]:
            return p.copy()
        d = np.hypot(points[..., 0] - p[:, None, 0], points[..., 1] - p[:, None, 1])
        active = np.concatenate(
            [np.ones((p.shape[0], centres.shape[0]), dtype=bool), self.entity_active[sel][:, copies]], axis=1
        )
        d = np.where(active, d, np.inf)
        best = np.argmin(d, axis=1)
        rows = np.arange(p.shape[0])
        return np.where(np.isfinite(d[rows, best])[:, None], points[rows, best], p)


def _overlap(lo: np.ndarray, hi: np.ndarray, other_lo: np.ndarray, other_hi: np.ndarray) -> np.ndarray:
    """Return where the rectangles ``(lo, hi)`` ``(n, 2)`` overlap the others by more than ``CONTACT``."""
    return ((np.minimum(hi, other_hi) - np.maximum(lo, other_lo)) > CONTACT).all(axis=-1)


def _only(j: int, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[j] = True
    return mask
