"""The world IR: an arena, entities with tags, one agent type with sensors and actions, reward and end events.

One world describes one behavior (ML-Agents: one ``Behavior Name``) in one training area; the simulator runs
many areas side by side. Frame (Unity's): x right, y up, z forward; the floor's top is y = 0 and the arena is
centred on the origin. Lengths are Unity units (metres), angles degrees, times physics steps of 0.02 s
(``Time.fixedDeltaTime``). Every field is documented by the docstring under it; the same text is the JSON
schema's description (``world.codec``), so what a user, an LLM and the validator read is one thing.

Bounds on sizes keep a world's memory small: see ``MAX_*`` below and ``world.validate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, ClassVar

from ..errors import SpecError
from .codec import MaxItems, Pattern, Range

# --- bounds (what one area may hold; the simulator multiplies them by its areas) ----------------------------

FORMAT_VERSION = 1
"""The world file format this package reads (``format`` key)."""
MAX_ARENA_SIDE = 500.0
MAX_ENTITY_DEFINITIONS = 64
MAX_ENTITY_COUNT = 64
"""Copies of one entity definition in an area."""
MAX_BODIES = 256
"""Entities (all copies) plus agents in one area."""
MAX_AGENTS = 16
MAX_SENSORS = 8
MAX_REGIONS = 32
MAX_REWARDS = 32
MAX_ENV_PARAMETERS = 32
MAX_OBSERVATION_FLOATS = 65_536
"""Floats one agent observes per decision, all sensors together."""
MAX_CAMERA_PIXELS = 512 * 512
MAX_GRID_CELLS = 64 * 64
MAX_STEP_LIMIT = 1_000_000

Name = Annotated[
    str, Pattern(r"[A-Za-z][A-Za-z0-9_]{0,63}", "a name (a letter, then up to 63 letters, digits or '_')")
]
BehaviorName = Annotated[
    str,
    Pattern(
        r"[A-Za-z0-9][A-Za-z0-9_]{0,63}", "a name (a letter or digit, then up to 63 letters, digits or '_')"
    ),
]
"""A behavior or world name: ML-Agents' own start with a digit (``3DBall``, ``3DBallHard``)."""
Tag = Annotated[
    str, Pattern(r"[A-Za-z][A-Za-z0-9_]{0,31}", "a tag (a letter, then up to 31 letters, digits or '_')")
]
Length = Annotated[float, Range(0.0, 1000.0)]
Coordinate = Annotated[float, Range(-1000.0, 1000.0)]
Positive = Annotated[float, Range(0.001, 1000.0)]
Reward = Annotated[float, Range(-1000.0, 1000.0)]
Unit = Annotated[float, Range(0.0, 1.0)]
Colour = tuple[Unit, Unit, Unit]
XZ = tuple[Coordinate, Coordinate]


# --- enums (values appear verbatim in YAML) -----------------------------------------------------------------


class RegionKind(StrEnum):
    """What a floor region is for."""

    GOAL = "goal"
    HAZARD = "hazard"
    SPAWN = "spawn"
    PLATFORM = "platform"


class LayoutKind(StrEnum):
    """Generated inner walls."""

    MAZE = "maze"
    ROOMS = "rooms"


class EntityKind(StrEnum):
    """The role of an entity (its behavior in the scene); tags say how sensors and rewards see it."""

    TARGET = "target"
    COLLECTIBLE = "collectible"
    HAZARD = "hazard"
    OBSTACLE = "obstacle"
    BLOCK = "block"
    SWITCH = "switch"
    DOOR = "door"
    CUE = "cue"
    ACTOR = "actor"
    BALL = "ball"
    """A sphere resting on a platform agent (``agent.platform``): it rolls with the tilt and falls off the
    edges (3DBall's ball)."""


SOLID_KINDS = frozenset({EntityKind.OBSTACLE, EntityKind.BLOCK, EntityKind.DOOR})
"""Kinds that collide with agents (the others are triggers: the agent passes through and an event fires)."""


class Shape(StrEnum):
    """Collider shape (upright box turned by its yaw, or sphere)."""

    BOX = "box"
    SPHERE = "sphere"


class ActorBehavior(StrEnum):
    """How a scripted actor moves."""

    CHASER = "chaser"
    EVADER = "evader"
    PATROLLER = "patroller"


class Motion(StrEnum):
    """How move actions act on the agent's body."""

    VELOCITY_CHANGE = "velocity_change"
    """``Rigidbody.AddForce(dir * speed, ForceMode.VelocityChange)`` on every physics step; drag slows it."""
    SET_VELOCITY = "set_velocity"
    """The velocity is set to ``dir * speed`` (kinematic); no drag, no momentum."""
    GRID = "grid"
    """Each physics step the agent jumps ``dir * speed`` at once, unless its body there would overlap a wall
    or a solid (GridWorld's ``transform.position = targetPos`` after ``Physics.OverlapBox``); discrete
    actions only."""


class DiscreteAction(StrEnum):
    """One choice of a discrete branch (the agent's frame for move/turn, the world's for north...west)."""

    NONE = "none"
    FORWARD = "forward"
    BACK = "back"
    TURN_RIGHT = "turn_right"
    TURN_LEFT = "turn_left"
    STRAFE_LEFT = "strafe_left"
    STRAFE_RIGHT = "strafe_right"
    NORTH = "north"
    SOUTH = "south"
    EAST = "east"
    WEST = "west"
    JUMP = "jump"
    INTERACT = "interact"
    SHOOT = "shoot"
    """Fire the agent's laser (``agent.laser``) on this physics step (FoodCollector's laser branch)."""


class ContinuousAction(StrEnum):
    """One continuous action in [-1, 1]."""

    FORWARD = "forward"
    STRAFE = "strafe"
    ROTATE = "rotate"
    ROTATE_LEFT = "rotate_left"
    """Turn, positive values to the left (FoodCollector's ``transform.Rotate(-transform.up * rotate)``)."""
    MOVE_X = "move_x"
    MOVE_Z = "move_z"
    JUMP = "jump"
    INTERACT = "interact"
    TILT_Z = "tilt_z"
    """A platform agent: turn about its local z by ``platform.degrees_per_action`` per physics step at a full
    action (3DBall's ``actionZ``: ``transform.Rotate(new Vector3(0, 0, 1), 2f * action)``)."""
    TILT_X = "tilt_x"
    """A platform agent: the same about its local x (3DBall's ``actionX``), after the z turn."""


class VectorItemKind(StrEnum):
    """The catalog of vector observation items (sizes in ``VECTOR_ITEM_SIZES``)."""

    VELOCITY = "velocity"
    """Agent velocity (x, z) divided by its move speed."""
    POSITION = "position"
    """Agent position (x, z) divided by the arena's half sizes."""
    HEADING = "heading"
    """sin and cos of the agent's yaw."""
    DIRECTION_TO = "direction_to"
    """(x, z) offset from the agent to the nearest entity tagged ``of``, world axes, each divided by the
    arena's size along it (the simulator's and the generated C#'s formula)."""
    DISTANCE_TO = "distance_to"
    """Distance to the nearest entity tagged ``of`` divided by the arena's diagonal."""
    CUE = "cue"
    """One-hot of the hidden value of the cue entity tagged ``of`` (size = its number of values)."""
    STEP_FRACTION = "step_fraction"
    """Agent step count / MaxStep."""
    GROUNDED = "grounded"
    """1 when the agent stands on something, else 0."""
    SWITCH_STATE = "switch_state"
    """1 when a switch tagged ``of`` (its off tag) is on in the agent's area, else 0 (Pyramids'
    ``AddObservation(m_SwitchLogic.GetState())``)."""
    OFFSET = "offset"
    """Agent position (x, y, z; y above the floor's top) minus the item's ``origin``, divided by its ``scale``
    (WallJump's ``(transform.position - ground.position) / 20``)."""
    LOCAL_VELOCITY = "local_velocity"
    """Agent velocity in its own frame (right, up, forward), unscaled (Unity's
    ``transform.InverseTransformDirection(rb.velocity)``)."""
    LOCAL_VELOCITY_XZ = "local_velocity_xz"
    """Agent velocity in its own frame, right and forward only, unscaled (FoodCollector's ``localVelocity.x``,
    ``localVelocity.z``)."""
    FROZEN = "frozen"
    """1 while the agent is frozen by another agent's laser (``agent.laser``), else 0 (``m_Frozen``)."""
    SHOOTING = "shooting"
    """1 when the agent fired its laser on the last physics step, else 0 (``m_Shoot``)."""
    CELL = "cell"
    """One-hot of the unit cell along x holding the agent's centre, ``floor(x + arena.size[0] / 2)``: size
    ``arena.size[0]``, a whole number (ML-Agents Basic's ``BasicSensor``: a one-hot of the position)."""
    PLATFORM_ROTATION = "platform_rotation"
    """A platform agent's rotation quaternion components z and x (3DBall's
    ``AddObservation(gameObject.transform.rotation.z)`` then ``.x``)."""
    OFFSET_TO = "offset_to"
    """Position of the entity tagged ``of`` minus the agent's, world axes, unscaled (3DBall's
    ``ball.transform.position - gameObject.transform.position``)."""
    VELOCITY_OF = "velocity_of"
    """Velocity of the entity tagged ``of``, world axes, unscaled (3DBall's ``m_BallRb.velocity``)."""


VECTOR_ITEM_SIZES: dict[VectorItemKind, int] = {
    VectorItemKind.VELOCITY: 2,
    VectorItemKind.POSITION: 2,
    VectorItemKind.HEADING: 2,
    VectorItemKind.DIRECTION_TO: 2,
    VectorItemKind.DISTANCE_TO: 1,
    VectorItemKind.STEP_FRACTION: 1,
    VectorItemKind.GROUNDED: 1,
    VectorItemKind.SWITCH_STATE: 1,
    VectorItemKind.LOCAL_VELOCITY: 3,
    VectorItemKind.LOCAL_VELOCITY_XZ: 2,
    VectorItemKind.FROZEN: 1,
    VectorItemKind.SHOOTING: 1,
    VectorItemKind.OFFSET: 3,
    VectorItemKind.PLATFORM_ROTATION: 2,
    VectorItemKind.OFFSET_TO: 3,
    VectorItemKind.VELOCITY_OF: 3,
}
"""Floats per item (``cue``: the cue's number of values; ``cell``: the arena's cells along x)."""
MAX_CELL_ITEM = 256
"""Largest arena width (cells) a ``cell`` item one-hot encodes."""
TAGGED_ITEMS = frozenset(
    {
        VectorItemKind.DIRECTION_TO,
        VectorItemKind.DISTANCE_TO,
        VectorItemKind.CUE,
        VectorItemKind.SWITCH_STATE,
        VectorItemKind.OFFSET_TO,
        VectorItemKind.VELOCITY_OF,
    }
)
PLATFORM_ITEMS = frozenset(
    {VectorItemKind.PLATFORM_ROTATION, VectorItemKind.OFFSET_TO, VectorItemKind.VELOCITY_OF}
)
"""Items of a platform agent's world (``agent.platform``), the only ones it observes."""


class SensorKind(StrEnum):
    """Sensor variants."""

    RAY_PERCEPTION = "ray_perception"
    VECTOR = "vector"
    GRID = "grid"
    CAMERA = "camera"
    BUFFER = "buffer"


class EventKind(StrEnum):
    """What a reward (or episode end) reacts to."""

    REACH = "reach"
    """The agent touches an entity or region tagged ``what`` (each physics step it does)."""
    COLLECT = "collect"
    """The agent touches a collectible tagged ``what``; it disappears (respawns when ``respawn``); the reward
    is ``value`` times the collectible's own ``value``."""
    TOUCH = "touch"
    """The agent is in contact with an entity or region tagged ``what`` (hazards, walls)."""
    PUSH_INTO_ZONE = "push_into_zone"
    """A block tagged ``what`` touches an entity or region tagged ``into``."""
    WRONG_CHOICE = "wrong_choice"
    """The agent reaches a target tagged ``what`` whose cue does not match the hidden value."""
    FALL = "fall"
    """The agent's centre drops below ``arena.fall_height`` (off a platform edge); with ``what`` (a block
    tag), the centre of an active block so tagged does instead (WallJump's block pushed off the edge)."""
    TIME_PENALTY = "time_penalty"
    """Every physics step: ``value / max_step`` (ML-Agents' ``AddReward(-1f / MaxStep)`` idiom)."""
    SHAPING = "shaping"
    """Every physics step: ``value`` times the distance closed on the nearest entity tagged ``what``."""
    NEAR = "near"
    """Every physics step the agent's centre is within ``within`` of the centre of an entity tagged ``what``:
    ``value / max_step`` (a bonus for keeping close, e.g. to a guide actor, at most ``value`` per episode)."""
    CLEARED = "cleared"
    """No block or collectible tagged ``what`` (any tag when ``what`` is null) is left in the area: all were
    pushed into a zone by a ``removes`` event or collected (PushBlockCollab's ``EndGroupEpisode`` once every
    block scored). It holds from then on, so it must end the episode."""
    ALIVE = "alive"
    """A platform world: every physics step *sets* the agent's reward to ``value`` (3DBall's
    ``SetReward(0.1f)``: it overwrites, so a decision earns it once whatever the period)."""
    FALLS_OFF = "falls_off"
    """A platform world: a ball tagged ``what`` is more than ``platform.fall_distance`` sideways (x or z) of
    the platform's centre or ``platform.fall_depth`` below it; sets the reward to ``value`` (3DBall's
    ``SetReward(-1f)`` then ``EndEpisode``), checked before the step's physics."""


class EndKind(StrEnum):
    """Whether an event ends the episode, and how (ML-Agents' ``EndEpisode`` vs ``EpisodeInterrupted``)."""

    NONE = "none"
    TERMINATED = "terminated"
    INTERRUPTED = "interrupted"


class Scope(StrEnum):
    """Who receives a reward or an episode end."""

    AGENT = "agent"
    GROUP = "group"


class Glyph(StrEnum):
    """What a camera draws on a thing's footprint (seen from above), in its colour."""

    FILL = "fill"
    """The whole footprint."""
    PLUS = "plus"
    """Two bars 0.2 of the footprint wide through its centre (GridWorld's goal)."""
    CROSS = "cross"
    """Two diagonal bars (GridWorld's pit: within 0.15 of a diagonal, 0.38 x 0.4 of the footprint)."""
    OUTLINE = "outline"
    """A border 0.2 of the footprint wide (GridWorld's agent)."""


class CameraView(StrEnum):
    """Where a camera sensor looks from."""

    AGENT = "agent"
    """A perspective view from the agent's eye, turning with it."""
    TOP_DOWN = "top_down"
    """An orthographic camera looking straight down on the arena's centre (GridWorld's ``agentCam``)."""


class Sampler(StrEnum):
    """How an environment parameter is drawn at each episode start."""

    FIXED = "fixed"
    UNIFORM = "uniform"


# --- arena --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Walls:
    """The four outer walls (boxes standing on the floor around the arena)."""

    height: Positive = 1.5
    """Height of the walls' tops above the floor."""
    thickness: Positive = 0.5
    """Wall thickness (their inner faces are the arena's edges)."""
    tag: Tag = "wall"
    """Tag of the walls."""
    colour: Colour = (0.537, 0.545, 0.561)
    """RGB in [0, 1] a camera sees (default: GridWorld's wall grey, 137/139/143 of 255)."""


@dataclass(frozen=True)
class Region:
    """A rectangle of the floor with a role: a goal, a hazard, a spawn area or a raised platform."""

    name: Name
    """Unique name (spawns refer to it)."""
    kind: RegionKind
    """goal, hazard, spawn or platform."""
    center: XZ
    """(x, z) of its centre."""
    size: tuple[Positive, Positive]
    """(x, z) extent."""
    tag: Tag | None = None
    """Tag that sensors and events see (none: invisible, e.g. a spawn area)."""
    height: Length = 0.0
    """Top above the floor: 0 = a marking on the floor; > 0 a solid box up to there (PushBlock's goal)."""
    sink: Annotated[float, Range(-100.0, 0.0)] = 0.0
    """Where its bottom starts (negative: below the floor, as PushBlock's goal box at y = -0.03)."""


@dataclass(frozen=True)
class Layout:
    """Inner walls generated per episode: a maze or a grid of rooms with doorways."""

    kind: LayoutKind
    """maze or rooms."""
    cells: tuple[Annotated[int, Range(2, 32)], Annotated[int, Range(2, 32)]]
    """(columns, rows) of cells the arena is divided into; items spawn at free cell centres."""
    wall_thickness: Positive = 0.5
    """Thickness of inner walls (their height is the outer walls')."""
    randomize: bool = True
    """Draw a new layout per area at each episode start (else the world's one layout, drawn from its name, the
    same in the simulator and in Unity)."""


@dataclass(frozen=True)
class Arena:
    """The floor, its walls, regions and physics settings of one training area."""

    size: tuple[Annotated[float, Range(1.0, MAX_ARENA_SIDE)], Annotated[float, Range(1.0, MAX_ARENA_SIDE)]]
    """(x, z) extent of the floor inside the walls."""
    walls: Walls | None = Walls()
    """The outer walls; null = an open platform (agents can fall off its edges)."""
    regions: Annotated[tuple[Region, ...], MaxItems(MAX_REGIONS)] = ()
    """Floor regions."""
    layout: Layout | None = None
    """Generated inner walls (none by default)."""
    floor_tag: Tag = "ground"
    """Tag of the floor."""
    floor_colour: Colour = (0.271, 0.285, 0.303)
    """RGB in [0, 1] a camera sees of the floor (default: GridWorld's lit floor at the image's centre)."""
    floor_friction: Annotated[float, Range(0.0, 1.0)] = 0.6
    """Dynamic friction of the floor's material (PhysX averages it with the bodies' 0.6)."""
    gravity: Annotated[float, Range(0.0, 100.0)] = 9.81
    """Gravity's magnitude (PushBlock: 9.81 * 2.5)."""
    fall_height: Annotated[float, Range(-100.0, 0.0)] = -1.0
    """An agent whose centre drops below this height has fallen (the ``fall`` event)."""


# --- entities -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spawn:
    """Where something is placed at each episode start."""

    at: XZ | None = None
    """A fixed (x, z); when set, ``area``/``region`` are not used."""
    area: tuple[XZ, XZ] | None = None
    """Uniform in the rectangle ((x_min, z_min), (x_max, z_max)); default: the whole arena."""
    region: Name | None = None
    """Uniform in the named region (instead of ``area``)."""
    regions: Annotated[tuple[Name, ...], MaxItems(MAX_REGIONS)] = ()
    """Uniform in one of these regions, drawn per episode and area among those no earlier item took this
    episode through its own ``regions`` (ML-Agents Pyramids' shuffled spawn areas: one object per room)."""
    rests_on: Name | None = None
    """Placed on top of the named entity (its x, z; resting on its top; copy k on copy k, or on its only
    copy); drops to the floor when that entity topples (``topples``)."""
    snap: Positive | None = None
    """Draw among the points ``snap`` apart from the rectangle's lower corner (uniformly: whole cells, as
    GridWorld's cell numbers) instead of anywhere in it."""
    clearance: Length = 0.0
    """A point is redrawn while the square of this half side around it overlaps a solid region or anything
    placed before it this episode (entities in file order, then agents); 0 = its own half size."""


@dataclass(frozen=True)
class Look:
    """How a camera sensor sees a thing from above: a colour and a glyph drawn on its footprint."""

    colour: Colour
    """RGB in [0, 1]."""
    glyph: Glyph = Glyph.FILL
    """fill, plus, cross or outline."""
    size: tuple[Positive, Positive] | None = None
    """(x, z) of the drawn footprint (the mesh, where it differs from the collider); default: the
    collider's."""


@dataclass(frozen=True)
class Body:
    """Physical properties of a movable body (``Rigidbody`` with a default material)."""

    mass: Positive = 1.0
    """Mass (equal masses share a contact's push)."""
    drag: Annotated[float, Range(0.0, 100.0)] = 0.0
    """Linear drag: velocity *= 1 - drag * dt per physics step."""
    friction: Annotated[float, Range(0.0, 1.0)] = 0.6
    """Dynamic friction of its material."""


@dataclass(frozen=True)
class Actor:
    """A scripted mover (not learning): chases, evades or patrols."""

    behavior: ActorBehavior
    """chaser, evader or patroller."""
    speed: Positive = 2.0
    """Speed in units per second."""
    follows: Tag | None = None
    """Tag it chases or evades (default: the agent)."""
    waypoints: Annotated[tuple[XZ, ...], MaxItems(32)] = ()
    """Patrol points visited in order (patroller only)."""


@dataclass(frozen=True)
class Entity:
    """A kind of object in the arena, with ``count`` copies placed by ``spawn`` at each episode start."""

    name: Name
    """Unique name (env parameters refer to it)."""
    kind: EntityKind
    """Role: target, collectible, hazard, obstacle, block (movable), switch, door, cue or actor."""
    tag: Tag | None = None
    """Tag that sensors and events see (default: the kind's value)."""
    shape: Shape = Shape.BOX
    """box or sphere."""
    size: tuple[Positive, Positive, Positive] = (1.0, 1.0, 1.0)
    """(x, y, z) extent of a box; a sphere's diameter is x. Height y matters for jumping and ray heights."""
    count: Annotated[int, Range(1, MAX_ENTITY_COUNT)] = 1
    """Copies per area."""
    spawn: Spawn = Spawn()
    """Where copies are placed at each episode start."""
    yaw: Annotated[float, Range(-360.0, 360.0)] = 0.0
    """Rotation of a box about +y, degrees."""
    body: Body | None = None
    """Physics of a block (required for kind block)."""
    value: Reward = 1.0
    """A collectible's value (negative: bad food); a ``collect`` reward is multiplied by it."""
    respawn: bool = False
    """A collected collectible reappears elsewhere instead of vanishing for the episode."""
    actor: Actor | None = None
    """Scripted motion (required for kind actor)."""
    cue_values: Annotated[tuple[Tag, ...], MaxItems(8)] = ()
    """A cue's possible hidden values; one is drawn per episode (kind cue)."""
    matches: Tag | None = None
    """For a target: the cue value it is the right choice for (Hallway's goals)."""
    opens: Name | None = None
    """For a switch: the door entity it opens (the door vanishes) when the agent touches it."""
    on_tag: Tag | None = None
    """For a switch: its tag once on (what sensors see; Pyramids' ``switchOff`` becomes ``switchOn``);
    default: its tag."""
    appears_on: Name | None = None
    """Hidden (not seen, not touched, not blocking) from each episode start until the named switch turns on
    (Pyramids' ``CreatePyramid`` when the switch is pressed)."""
    look: Look | None = None
    """What a camera sees (default: a filled footprint in its kind's colour, ``docs/simulator.md``)."""
    topples: bool = False
    """An obstacle the agent knocks over at its first touch: it stops blocking and leaves the sensors'
    view; entities resting on it (``spawn.rests_on``) drop to the floor where it stood (Pyramids' brick
    pyramids, approximated: ``docs/simulator.md``)."""


# --- agent: sensors -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RaySensor:
    """ML-Agents' ``RayPerceptionSensorComponent3D`` with its exact parameters and encoding."""

    KIND: ClassVar[SensorKind] = SensorKind.RAY_PERCEPTION
    name: Name
    """Sensor name (ML-Agents orders an agent's sensors by name)."""
    detectable_tags: Annotated[tuple[Tag, ...], MaxItems(32)]
    """Tags with a one-hot slot, in order."""
    rays_per_direction: Annotated[int, Range(0, 50)] = 3
    """Rays on each side of the centre ray."""
    max_ray_degrees: Annotated[float, Range(0.0, 180.0)] = 70.0
    """Angle of the outermost rays from the centre."""
    sphere_cast_radius: Annotated[float, Range(0.0, 10.0)] = 0.5
    """Radius of the swept sphere (0: a thin ray)."""
    ray_length: Annotated[float, Range(1.0, 1000.0)] = 20.0
    """Length of each ray."""
    observation_stacks: Annotated[int, Range(1, 50)] = 1
    """Stacked frames (oldest first)."""
    start_vertical_offset: Annotated[float, Range(-100.0, 100.0)] = 0.0
    """Height of the rays' start above the agent's centre."""
    end_vertical_offset: Annotated[float, Range(-100.0, 100.0)] = 0.0
    """Height of the rays' end above the agent's centre."""
    alternating_ray_order: bool = True
    """Centre, then -delta, +delta, ... (ML-Agents' default) instead of ascending angles."""

    @property
    def observation_size(self) -> int:
        """Floats of the stacked observation: ``(tags + 2) * (2 * rays_per_direction + 1) * stacks``."""
        return (len(self.detectable_tags) + 2) * (2 * self.rays_per_direction + 1) * self.observation_stacks


@dataclass(frozen=True)
class VectorItem:
    """One item of a vector observation (from the catalog ``VectorItemKind``)."""

    item: VectorItemKind
    """Which quantity."""
    of: Tag | None = None
    """The tag it is about (direction_to, distance_to, cue)."""
    origin: tuple[Coordinate, Coordinate, Coordinate] = (0.0, 0.0, 0.0)
    """offset only: the point (x, y, z) subtracted from the agent's position (WallJump: its ground's
    transform, 0.45 below the floor's top: (0, -0.45, 0))."""
    scale: Positive = 1.0
    """offset only: the divisor (WallJump: 20)."""


@dataclass(frozen=True)
class VectorSensor:
    """A vector observation (``CollectObservations``, ``AddObservation``) built from catalog items."""

    KIND: ClassVar[SensorKind] = SensorKind.VECTOR
    name: Name
    """Sensor name."""
    items: Annotated[tuple[VectorItem, ...], MaxItems(64)]
    """Items in observation order."""
    observation_stacks: Annotated[int, Range(1, 50)] = 1
    """Stacked frames (oldest first)."""


@dataclass(frozen=True)
class GridSensor:
    """ML-Agents' ``GridSensorComponent``: a grid around the agent, one channel per detectable tag."""

    KIND: ClassVar[SensorKind] = SensorKind.GRID
    name: Name
    """Sensor name."""
    detectable_tags: Annotated[tuple[Tag, ...], MaxItems(16)]
    """One-hot channel per tag."""
    cell_size: Positive = 1.0
    """Side of a cell."""
    grid_size: tuple[Annotated[int, Range(1, 64)], Annotated[int, Range(1, 64)]] = (16, 16)
    """(x, z) cells."""
    rotate_with_agent: bool = True
    """The grid turns with the agent."""
    observation_stacks: Annotated[int, Range(1, 50)] = 1
    """Stacked frames."""


@dataclass(frozen=True)
class CameraSensor:
    """ML-Agents' ``CameraSensorComponent``: a rendered view from the agent."""

    KIND: ClassVar[SensorKind] = SensorKind.CAMERA
    name: Name
    """Sensor name."""
    width: Annotated[int, Range(8, 512)] = 84
    """Pixels across."""
    height: Annotated[int, Range(8, 512)] = 84
    """Pixels down."""
    grayscale: bool = False
    """One channel instead of three."""
    field_of_view: Annotated[float, Range(10.0, 170.0)] = 60.0
    """Vertical field of view, degrees (agent view)."""
    view: CameraView = CameraView.AGENT
    """agent (perspective, from the agent) or top_down (orthographic, over the arena's centre)."""
    orthographic_size: Positive | None = None
    """top_down: half the height the image covers (Unity's ``orthographicSize``); default: half the
    arena's z."""
    background: Colour = (0.192, 0.302, 0.475)
    """RGB where nothing is seen (the camera's clear colour; default GridWorld's ``agentCam``)."""


@dataclass(frozen=True)
class BufferSensor:
    """ML-Agents' ``BufferSensorComponent``: a variable number of entities, one row of items each."""

    KIND: ClassVar[SensorKind] = SensorKind.BUFFER
    name: Name
    """Sensor name."""
    of: Tag
    """Tag of the entities observed (one row each, nearest first)."""
    max_entities: Annotated[int, Range(1, 256)] = 20
    """Rows kept."""
    items: Annotated[tuple[VectorItemKind, ...], MaxItems(8)] = (
        VectorItemKind.DIRECTION_TO,
        VectorItemKind.DISTANCE_TO,
    )
    """Per-entity items (direction_to and distance_to refer to that entity)."""


Sensor = RaySensor | VectorSensor | GridSensor | CameraSensor | BufferSensor


# --- agent: actions and body --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Branch:
    """One discrete branch: its choices in index order."""

    choices: Annotated[tuple[DiscreteAction, ...], MaxItems(16)]
    """What each index does (index 0 first)."""


@dataclass(frozen=True)
class Actions:
    """The agent's action space: continuous channels and/or discrete branches."""

    continuous: Annotated[tuple[ContinuousAction, ...], MaxItems(8)] = ()
    """Continuous actions in index order, each in [-1, 1]."""
    discrete: Annotated[tuple[Branch, ...], MaxItems(8)] = ()
    """Discrete branches in index order."""


@dataclass(frozen=True)
class Movement:
    """How the agent's actions move it."""

    motion: Motion = Motion.VELOCITY_CHANGE
    """velocity_change (force-driven, PushBlock) or set_velocity (kinematic)."""
    speed: Positive = 2.0
    """velocity_change: velocity added per physics step; set_velocity: speed at a full action."""
    strafe_scale: Annotated[float, Range(0.0, 1.0)] = 1.0
    """Strafing speed relative to ``speed`` (PushBlock: 0.75)."""
    turn_degrees: Annotated[float, Range(0.0, 90.0)] = 4.0
    """Degrees turned per physics step at a full turn action."""
    jump_speed: Annotated[float, Range(0.0, 100.0)] = 0.0
    """Upward velocity of a jump (0: cannot jump)."""
    slow_above: Annotated[float, Range(0.0, 1000.0)] = 0.0
    """When > 0: on every physics step whose starting speed exceeds this, the velocity is multiplied by 0.95
    (FoodCollector's ``if (rb.velocity.sqrMagnitude > 25f) rb.velocity *= 0.95f``: slow_above 5)."""
    strafe_replaces_forward: bool = False
    """A strafe replaces the forward/back move of the same decision instead of adding to it (WallJump's
    ``MoveAgent``: the strafe branch overwrites the direction the forward branch set)."""


@dataclass(frozen=True)
class Laser:
    """A laser fired by a ``shoot`` action that freezes the first agent it hits (FoodCollector).

    On each physics step the agent shoots, its velocity is multiplied by ``velocity_scale`` and its move by
    ``move_scale``, and a sphere of ``radius`` is cast from its centre along its forward for ``length``: when
    the first collider it meets is another agent that is not frozen, that agent is frozen for
    ``freeze_steps`` physics steps (its actions are ignored; sensors see it with ``frozen_tag``).
    Upstream: ``FoodCollectorAgent.MoveAgent`` and ``Freeze`` (``Physics.SphereCast(position, 2f,
    forward, out hit, 25f)``; unfreezes once ``Time.time > frozenTime + 4f``: 4 s = 200 steps).
    """

    length: Annotated[float, Range(0.1, 1000.0)] = 25.0
    """Cast length."""
    radius: Annotated[float, Range(0.0, 10.0)] = 2.0
    """Radius of the swept sphere (0: a thin ray)."""
    freeze_steps: Annotated[int, Range(1, 1_000_000)] = 200
    """Physics steps a hit agent stays frozen."""
    frozen_tag: Tag = "frozenAgent"
    """Tag a frozen agent carries (what sensors see) until it thaws."""
    move_scale: Annotated[float, Range(0.0, 1.0)] = 0.5
    """Factor on the move while shooting (``dirToGo *= 0.5f``)."""
    velocity_scale: Annotated[float, Range(0.0, 1.0)] = 0.75
    """Factor on the velocity on each step the agent shoots (``velocity *= 0.75f``)."""


@dataclass(frozen=True)
class Platform:
    """A tilting platform as the agent's body (ML-Agents' 3DBall), with balls (kind ball) on top.

    A box at its area's centre, turned about its local z and x by ``tilt_z``/``tilt_x`` actions on every
    physics step. The platform stays in place (no movement, no walls, no floor); ``agent.size``, ``body``,
    ``movement``, ``yaw`` and ``spawn`` do not apply. Balls start at rest ``drop_height`` above its centre,
    at their ``spawn`` (x, z) relative to it.
    """

    size: Annotated[float, Range(0.1, 100.0)] = 5.0
    """Side of the platform's cube (3DBall: a unit cube scaled (5, 5, 5)); its top face is half of it above
    the centre along the platform's normal."""
    degrees_per_action: Annotated[float, Range(0.0, 90.0)] = 2.0
    """Degrees turned per physics step at a full tilt action (3DBall: ``2f * Mathf.Clamp(a, -1f, 1f)``)."""
    max_rotation: Annotated[float, Range(0.0, 1.0)] = 0.25
    """A tilt turns only while the rotation quaternion's component about that axis is below this in the
    action's direction (3DBall: ``gameObject.transform.rotation.z < 0.25f``; about 29 degrees)."""
    start_tilt: Annotated[float, Range(0.0, 90.0)] = 10.0
    """Each episode starts turned about x, then z, by U(-start_tilt, start_tilt) degrees (3DBall: 10)."""
    drop_height: Annotated[float, Range(0.0, 100.0)] = 4.0
    """Height above the platform's centre where balls start, at rest (3DBall: 4)."""
    fall_distance: Annotated[float, Range(0.1, 1000.0)] = 3.0
    """The ``falls_off`` event: a ball this far sideways (x or z) of the centre is off (3DBall: 3)."""
    fall_depth: Annotated[float, Range(0.1, 1000.0)] = 2.0
    """The ``falls_off`` event: a ball this far below the centre is off (3DBall: 2)."""


@dataclass(frozen=True)
class Agent:
    """The learning agent (one behavior): body, placement, sensors, actions; ``count`` per area."""

    name: BehaviorName = "Agent"
    """Behavior name (ML-Agents ``BehaviorParameters.BehaviorName``)."""
    count: Annotated[int, Range(1, MAX_AGENTS)] = 1
    """Agents per area: each is its own ML-Agents agent of this behavior (own sensors, actions and rewards),
    they collide with one another and see one another through the agent tag."""
    tag: Tag = "agent"
    """Tag other agents' sensors see."""
    size: Positive = 1.0
    """Side of the agent's cube body."""
    body: Body = Body()
    """Mass, drag, friction."""
    movement: Movement = Movement()
    """How actions move it."""
    spawn: Spawn = Spawn()
    """Where it starts each episode."""
    yaw: Annotated[float, Range(-360.0, 360.0)] | None = None
    """Heading at the first episode, degrees (0 faces +z); null: random each episode."""
    keep_heading: bool = False
    """Keep the heading of the last episode instead of resetting it (PushBlock)."""
    look: Look = Look(colour=(0.243, 0.765, 1.0), glyph=Glyph.OUTLINE)
    """What a camera sees of the agent (default: GridWorld's blue outline, 62/195/255 of 255)."""
    sensors: Annotated[tuple[Sensor, ...], MaxItems(MAX_SENSORS)] = ()
    """Sensors; ML-Agents sorts them by name into ``obs_0, obs_1, ...``."""
    actions: Actions = Actions(continuous=(ContinuousAction.MOVE_X, ContinuousAction.MOVE_Z))
    """Action space."""
    laser: Laser | None = None
    """A laser the ``shoot`` action fires (needs several agents per area: it freezes other agents)."""
    platform: Platform | None = None
    """The agent is a tilting platform with balls on it instead of a moving cube (3DBall)."""


@dataclass(frozen=True)
class Groups:
    """ML-Agents' ``SimpleMultiAgentGroup``: the area's agents split into groups of ``size``.

    With groups, ``max_step`` is the environment controller's ``MaxEnvironmentSteps`` (the group is
    interrupted there, ``GroupEpisodeInterrupted``) and agents have no MaxStep of their own; a group whose
    episode ends begins the next with a fresh scene (the controller's ``ResetScene``).
    """

    size: Annotated[int, Range(1, MAX_AGENTS)]
    """Agents per group (the agent count must be a multiple)."""


# --- rewards and parameters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RewardEvent:
    """A reward and/or episode end triggered by an event."""

    event: EventKind
    """What triggers it."""
    value: Reward = 0.0
    """Reward added when it fires (time_penalty: spread over MaxStep; shaping: per unit of distance)."""
    what: Tag | None = None
    """Tag of the entity or region involved (reach, collect, touch, push_into_zone, wrong_choice, shaping;
    fall: a block's tag, or none for the agent)."""
    into: Tag | None = None
    """push_into_zone: the tag of the zone."""
    within: Annotated[float, Range(0.001, 1000.0)] | None = None
    """near: the distance (centre to centre) within which the agent counts as near."""
    end: EndKind = EndKind.NONE
    """none, terminated (EndEpisode) or interrupted (EpisodeInterrupted)."""
    success: bool = False
    """Counts as a success when it ends the episode."""
    scope: Scope = Scope.AGENT
    """agent, or the agent's whole group (group reward / group episode end)."""
    removes: bool = False
    """push_into_zone: each block that enters the zone leaves the scene (ML-Agents' ``SetActive(false)``:
    no longer seen, touched or pushed) and earns ``value`` once, instead of firing at every step it
    touches the zone."""


@dataclass(frozen=True)
class EnvParameter:
    """An environment (reset) parameter: read at each episode start, set by curricula or randomized."""

    name: Name
    """Name (as in the trainer config's ``environment_parameters``)."""
    default: Annotated[float, Range(-1e6, 1e6)]
    """Value when nothing sets it."""
    low: Annotated[float, Range(-1e6, 1e6)]
    """Smallest value accepted."""
    high: Annotated[float, Range(-1e6, 1e6)]
    """Largest value accepted."""
    applies_to: Annotated[
        tuple[
            Annotated[str, Pattern(r"[A-Za-z0-9_.]{1,128}", "a field path such as entities.block.body.drag")],
            ...,
        ],
        MaxItems(8),
    ]
    """World fields it sets, e.g. ``entities.block.size.x``, ``entities.block.body.drag``,
    ``arena.floor_friction`` (``world.params.PARAMETER_TARGETS``)."""
    sampler: Sampler = Sampler.FIXED
    """fixed (the current value) or uniform in [low, high] at each episode start (randomization)."""

    def __post_init__(self) -> None:
        """Check low <= default <= high."""
        if not self.low <= self.default <= self.high:
            raise SpecError(
                f"env parameter '{self.name}': needs low <= default <= high, got {self.low}, {self.default}, "
                f"{self.high}"
            )


# --- the world ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    """A complete training world: arena, entities, the agent, rewards, episode settings, env parameters."""

    name: BehaviorName
    """World name (``sim list``)."""
    arena: Arena
    """Floor, walls, regions."""
    agent: Agent
    """The learning agent."""
    format: Annotated[int, Range(1, 1)] = FORMAT_VERSION
    """World file format version."""
    description: Annotated[str, Pattern(r"[^\n]{0,500}", "one line of at most 500 characters")] = ""
    """One line: what the agent does."""
    entities: Annotated[tuple[Entity, ...], MaxItems(MAX_ENTITY_DEFINITIONS)] = ()
    """Objects in the arena."""
    groups: Groups | None = None
    """Multi-agent groups (none: independent agents)."""
    rewards: Annotated[tuple[RewardEvent, ...], MaxItems(MAX_REWARDS)] = ()
    """Reward and episode-end events."""
    max_step: Annotated[int, Range(0, MAX_STEP_LIMIT)] = 5000
    """Agent MaxStep in physics steps (0 = unlimited); reaching it interrupts the episode."""
    decision_period: Annotated[int, Range(1, 100)] = 5
    """Physics steps per decision (``DecisionRequester``); actions repeat in between."""
    env_parameters: Annotated[tuple[EnvParameter, ...], MaxItems(MAX_ENV_PARAMETERS)] = ()
    """Environment parameters."""

    @property
    def behavior_name(self) -> str:
        """The agent's behavior name."""
        return self.agent.name

    def tag_of(self, entity: Entity) -> str:
        """Return ``entity``'s tag (its kind's value when it has none)."""
        return entity.tag or entity.kind.value
