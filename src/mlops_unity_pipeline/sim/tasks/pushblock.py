"""ML-Agents' PushBlock example: push the block into the goal zone, seen through two stacked ray sensors.

Facts and their sources are tabled in ``docs/simulator.md`` ("PushBlock"); in short
(``Examples/PushBlock/Scripts/PushAgentBasic.cs``, ``GoalDetect.cs``, ``Prefabs/PushBlockArea.prefab``,
``Scenes/PushBlock.unity``):

- Arena (area frame): ground 25 x 25 (top at y = 0), walls with inner faces at x, z = +-12.5 and tops at 1.5,
  the goal a solid box tagged ``goal`` over the whole width at z in [-12.65, -8.35], y up to 1.495. The
  area's random 90-degree turn at each episode turns everything in it (the agent included), so in the area
  frame it changes nothing and is not simulated.
- Agent: unit cube, mass 10, drag 4, rotation frozen; one branch of 7: 0 nothing, 1 forward, 2 back,
  3 turn right, 4 turn left (``transform.Rotate`` by 200 x 0.02 = 4 degrees per physics step), 5 left and
  6 right at 0.75; a move is ``AddForce(dir * agentRunSpeed (3), VelocityChange)`` on every physics step.
  ``AddReward(-1 / MaxStep)`` per physics step; MaxStep 5000, decision period 5.
- Block: scale (block_scale 2, 0.75, block_scale 2), mass 10, drag ``block_drag`` 0.5, rotation frozen. When
  it touches the goal (``OnCollisionEnter``) the agent gets +5 and the episode ends.
- Episode start: block then agent at ground + (U(-6.25, 6.25), 1, U(-6.25, 6.25))
  (``spawnAreaMarginMultiplier`` 0.5), redrawn while a 5 x 0.02 x 5 box there overlaps a collider (the goal;
  the block just placed; the agent's own body at its old place). The agent keeps its heading (only its
  position is set).
- Physics: gravity 9.81 x 2.5 (``gravityMultiplier``), 0.02 s steps; ground friction: PhysX averages the
  ground's ``dynamic_friction`` (env parameter, 0) with the default material's 0.6.
- Sensors (sorted by name): ``OffsetRayPerceptionSensor`` (start and end 1.5 above the agent) then
  ``RayPerceptionSensor``; both: tags block, goal, wall; 3 rays per direction over 90 degrees; sphere radius
  0.5; length 12; 3 stacks: ``obs_0 [105]`` and ``obs_1 [105]``.

Physics approximates PhysX (documented in ``docs/simulator.md``): velocities change by the action's
velocity change, gravity, then linear damping ``v *= 1 - drag * dt`` (PhysX's integrator), ground friction
removes up to ``mu g dt`` of horizontal speed, positions integrate semi-implicitly, then contacts are
resolved without bounce: walls and the goal stop the motion into them, the agent (an oriented square) and
the block (an axis-aligned square) are separated along the axis of least penetration and share their normal
velocity (equal masses, an inelastic contact).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ...errors import SpecError
from ...spaces import ActionSpec, ActionTuple, BehaviorSignature, ObservationSpec, StepBatch
from ..ray_perception import RayPerceptionSensor, RayPerceptionSettings
from ._common import (
    AcademySettings,
    HandWrittenTask,
    StackedObservations,
    kernel_rays,
    observe_rays,
    ray_colliders,
)
from ._contact import clamp_into, fall_and_slide, least_penetration, square_box_overlaps

MAX_STEP = 5000
DECISION_PERIOD = 5
DEFAULT_NUM_AGENTS = 32
"""The upstream scene has 32 areas."""
RUN_SPEED = 3.0
"""``PushBlockSettings.agentRunSpeed`` (velocity change per physics step)."""
TURN_DEGREES = 4.0
"""``Time.fixedDeltaTime * 200`` degrees per physics step."""
STRAFE = 0.75
GRAVITY = 9.81 * 2.5
AGENT_DRAG = 4.0
AGENT_HALF = 0.5
REST_SINK = 0.01
"""How far resting bodies sit into the ground: calibrated (docs/simulator.md, "PushBlock"): with exactly 0
the offset sensor's sphere grazes the walls' tops and passes 0.005 over the goal's top."""
DEFAULT_FRICTION = 0.6
"""PhysX's default material friction; combined by averaging with the ground's."""
ARENA_HALF = 12.5
GOAL_DEPTH = 400 * 0.010748733
"""The goal's BoxCollider z size (400) times its transform's z scale."""
GOAL_FRONT = -10.5 + GOAL_DEPTH / 2.0
"""z of the goal box's face towards the arena (about -8.35)."""
GOAL_TOP = 1.495
WALL_TOP = 1.5
SPAWN_HALF = 12.5 * 0.5
SPAWN_CHECK_HALF = 2.5
GOAL_REWARD = 5.0
OFFSET_HEIGHT = 1.5
ENV_PARAMETERS = {"block_scale": 2.0, "block_drag": 0.5, "dynamic_friction": 0.0}
TAGS = ("block", "goal", "wall")


def ray_sensors(tags: tuple[str, ...]) -> tuple[RayPerceptionSettings, RayPerceptionSettings]:
    """Return PushBlock's two ray sensors detecting ``tags``: the offset one, then the main one (name order).

    PushBlockCollab gives its agents the same two with its own tags.
    """
    common = {
        "rays_per_direction": 3,
        "max_ray_degrees": 90.0,
        "sphere_cast_radius": 0.5,
        "ray_length": 12.0,
        "observation_stacks": 3,
    }
    offset = RayPerceptionSettings(
        tags,
        start_vertical_offset=OFFSET_HEIGHT,
        end_vertical_offset=OFFSET_HEIGHT,
        name="OffsetRayPerceptionSensor",
        **common,
    )
    return offset, RayPerceptionSettings(tags, name="RayPerceptionSensor", **common)


def signature(name: str, sensors: tuple[RayPerceptionSettings, RayPerceptionSettings]) -> BehaviorSignature:
    """Return the behavior of a PushBlock agent seeing through ``sensors`` (``ray_sensors``)."""
    return BehaviorSignature(
        name=name,
        observation_specs=tuple(
            ObservationSpec((s.observation_size,), f"StackingSensor_size3_{s.name}") for s in sensors
        ),
        action_spec=ActionSpec(discrete_branches=(7,)),
    )


OFFSET_SENSOR, MAIN_SENSOR = ray_sensors(TAGS)
SIGNATURE = signature("PushBlock", (OFFSET_SENSOR, MAIN_SENSOR))

# The arena in the area frame (PushBlockCollab's too): 4 walls, the goal, the ground.
WALL_CENTRES = np.array([[-12.75, 0.5, 0.0], [12.75, 0.5, 0.0], [0.0, 0.5, -12.75], [0.0, 0.5, 12.75]])
WALL_HALVES = np.array([[0.25, 1.0, 13.0], [0.25, 1.0, 13.0], [12.5, 1.0, 0.25], [12.5, 1.0, 0.25]])
GOAL_CENTRE = np.array([0.0, -0.005, -10.5])
GOAL_HALF = np.array([ARENA_HALF, 1.5, GOAL_DEPTH / 2.0])
GROUND_CENTRE = np.array([0.0, -0.5, 0.0])
GROUND_HALF = np.array([ARENA_HALF, 0.5, ARENA_HALF])
# Collider rows: the arena (static), then the block.
_BLOCK_ROW = 6
_OBJECT_TAGS = ["wall"] * 4 + ["goal", "ground", "block"]

# PushAgentBasic.MoveAgent (PushAgentCollab's too): velocity change per action in the agent's frame (right,
# forward), degrees turned per action.
MOVES = np.array([[0, 0], [0, 1], [0, -1], [0, 0], [0, 0], [-STRAFE, 0], [STRAFE, 0]], dtype=np.float64)
TURNS = np.array([0.0, 0.0, 0.0, TURN_DEGREES, -TURN_DEGREES, 0.0, 0.0])


def spawn_points(
    rng: np.random.Generator, k: int, spawn_half: float, check: float, avoid: list[tuple[np.ndarray, float]]
) -> tuple[np.ndarray, np.ndarray]:
    """``GetRandomSpawnPos``: ``k`` points on the ground whose check box overlaps neither goal nor bodies.

    Each round draws (x, z) = U(-spawn_half, spawn_half) for every point still missing (in order) and keeps
    those whose square check box of half side ``check`` stays behind the goal's front and clear of each
    ``(centres (k, 2), half)`` square body in ``avoid``; at most 1000 rounds (PushBlockCollab uses it too).

    Returns:
        ``(points (k, 2), missing)``: the points, and the indices still without one after the last round.

    """
    out = np.empty((k, 2))
    todo = np.arange(k)
    for _ in range(1000):
        draw = rng.uniform(-spawn_half, spawn_half, (todo.size, 2))
        ok = draw[:, 1] - check >= GOAL_FRONT
        for centres, half in avoid:
            gap = np.abs(draw - centres[todo]) - (check + half)
            ok &= (gap >= 0.0).any(axis=1)
        out[todo[ok]] = draw[ok]
        todo = todo[~ok]
        if not todo.size:
            break
    return out, todo


class PushBlockEnv(StackedObservations, HandWrittenTask):
    """Vectorized PushBlock: one agent, block and goal per area, in each area's own frame.

    Attributes:
        agent_position: ``(n, 3)`` agent centres.
        agent_velocity: ``(n, 3)``.
        agent_yaw: ``(n,)`` degrees about +y (0 faces +z; the goal lies towards -z).
        block_position: ``(n, 3)`` block centres.
        block_velocity: ``(n, 3)``.
        block_half: ``(n, 3)`` block half extents (from ``block_scale`` at episode start).
        sensors: the offset and the main ray sensor (observation order).

    """

    task_name = "PushBlock"
    has_kernel = True
    """A compiled decision (``sim.kernels.pushblock.pushblock_decision``: physics steps, goal and MaxStep,
    casts and stacks in one call); ``compiled = False`` runs the NumPy reference of all of it."""

    academy = AcademySettings(SIGNATURE, DECISION_PERIOD, MAX_STEP, DEFAULT_NUM_AGENTS, ENV_PARAMETERS)

    def _build(self) -> None:
        n = self.num_agents
        self.agent_position = np.zeros((n, 3))
        self.agent_velocity = np.zeros((n, 3))
        self.agent_yaw = np.zeros(n)
        self.block_position = np.zeros((n, 3))
        self.block_velocity = np.zeros((n, 3))
        self.block_half = np.tile([1.0, 0.375, 1.0], (n, 1))
        self.block_drag = np.full(n, 0.5)
        self.friction = np.full(n, 0.5 * (ENV_PARAMETERS["dynamic_friction"] + DEFAULT_FRICTION))
        self._prefab_state()
        self._constants = np.array(
            [
                RUN_SPEED,
                GRAVITY,
                self.physics_dt,
                AGENT_DRAG,
                AGENT_HALF,
                REST_SINK,
                ARENA_HALF,
                GOAL_FRONT,
                1.0 / MAX_STEP,
                GOAL_REWARD,
            ]
        )
        self.sensors = (RayPerceptionSensor(OFFSET_SENSOR, n), RayPerceptionSensor(MAIN_SENSOR, n))
        self.stacks = self.sensors
        centres = np.concatenate([WALL_CENTRES, [GOAL_CENTRE, GROUND_CENTRE, [0.0, 0.0, 0.0]]])
        halves = np.concatenate([WALL_HALVES, [GOAL_HALF, GROUND_HALF, [1.0, 0.375, 1.0]]])
        self._colliders = ray_colliders(n, self.sensors, centres, halves, _OBJECT_TAGS)
        layouts, boxes = kernel_rays(self.sensors, centres, halves, _OBJECT_TAGS)
        histories = (self.sensors[0].stack.history, self.sensors[1].stack.history)
        self._sensing = (layouts, boxes, _BLOCK_ROW, histories)
        # the compiled kernels' view of the areas' state (all updated in place, never rebound)
        self._bodies = (
            self.agent_position,
            self.agent_velocity,
            self.agent_yaw,
            self.block_position,
            self.block_velocity,
            self.block_half,
            self.block_drag,
            self.friction,
        )
        self._action = self._disc[:, 0]  # a view: actions are loaded into ``_disc`` in place

    def _prefab_state(self) -> None:
        """Put the agent and block where ``PushBlockArea.prefab`` has them, the agent facing the goal."""
        self.agent_position[:] = [0.0, AGENT_HALF - REST_SINK, 0.0]
        self.agent_yaw[:] = 180.0
        self.block_position[:] = [2.0, 1.0, -1.43]

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        """Set ``block_scale``, ``block_drag`` and ``dynamic_friction``; read at each agent's next episode.

        Raises:
            SpecError: an unknown name, a non-finite value, or a value out of range.

        """
        super().set_env_parameters(params)
        values = self._params
        if not 0.25 <= values["block_scale"] <= 8.0:
            raise SpecError(f"PushBlock: block_scale must be in [0.25, 8], got {values['block_scale']}")
        if not 0.0 <= values["block_drag"] <= 50.0 or not 0.0 <= values["dynamic_friction"] <= 1.0:
            raise SpecError("PushBlock: block_drag must be in [0, 50] and dynamic_friction in [0, 1]")

    # --- OnEpisodeBegin ---

    def _begin_episodes(self, idx: np.ndarray) -> None:
        params = self._params
        k = idx.size
        scale = params["block_scale"]
        self.block_half[idx] = [scale / 2.0, 0.375, scale / 2.0]
        self.block_drag[idx] = params["block_drag"]
        self.friction[idx] = 0.5 * (params["dynamic_friction"] + DEFAULT_FRICTION)
        old_agent = self.agent_position[idx, 0::2].copy()
        # Block first: clear of the goal and of the agent's body where it stands.
        block = self._spawn(k, [(old_agent, AGENT_HALF)])
        self.block_position[idx, 0] = block[:, 0]
        self.block_position[idx, 1] = 1.0
        self.block_position[idx, 2] = block[:, 1]
        self.block_velocity[idx] = 0.0
        # Then the agent: clear of the goal, of the block just placed and of its own old place.
        agent = self._spawn(k, [(block, float(scale) / 2.0), (old_agent, AGENT_HALF)])
        self.agent_position[idx, 0] = agent[:, 0]
        self.agent_position[idx, 1] = 1.0
        self.agent_position[idx, 2] = agent[:, 1]
        self.agent_velocity[idx] = 0.0
        for sensor in self.sensors:
            sensor.reset(idx)

    def _spawn(self, k: int, avoid: list[tuple[np.ndarray, float]]) -> np.ndarray:
        """``k`` spawn points whose 5 x 5 check box overlaps neither the goal nor the given square bodies."""
        out, todo = spawn_points(self._rng, k, SPAWN_HALF, SPAWN_CHECK_HALF, avoid)
        out[todo] = [
            0.0,
            SPAWN_HALF,
        ]  # unreachable in practice: the spawn square is far larger than the checks
        return out

    # --- OnActionReceived + physics ---

    def _kernel_decision(
        self,
        reward: np.ndarray,
        flags: np.ndarray,
        obs: tuple[np.ndarray, ...],
        ended: np.ndarray,
    ) -> int | None:
        return int(
            self._kernels.pushblock_decision(
                self._action,
                MOVES,
                TURNS,
                self._bodies,
                self._constants,
                self.agent_step_count,
                self.max_step,
                self.decision_period,
                self._sensing,
                reward,
                flags,
                obs,
                ended,
            )
        )

    def _restart(self, idx: np.ndarray, obs: tuple[np.ndarray, ...]) -> None:
        """Begin the next episodes of areas ``idx`` (NumPy) and observe them (compiled)."""
        self._begin(idx)
        self._kernels.pushblock_observe(
            idx,
            self._bodies,
            self._sensing,
            obs,
        )

    def _physics_step(self) -> None:
        # An area whose episode ended in this decision waits for the next one as it was (its heading and
        # place carry over to the next episode; the compiled decision stops stepping it).
        frozen = np.flatnonzero(self._ended) if self._ended.any() else None
        if frozen is not None:
            state = (
                self.agent_position,
                self.agent_velocity,
                self.agent_yaw,
                self.block_position,
                self.block_velocity,
            )
            kept = [a[frozen].copy() for a in state]
        self._step_all()
        if frozen is not None:
            for array, rows in zip(state, kept, strict=True):
                array[frozen] = rows

    def _step_all(self) -> None:
        if self.compiled:
            self._done_now.fill(False)
            self._kernels.pushblock_physics_step(
                self._disc[:, 0],
                MOVES,
                TURNS,
                self._bodies,
                self._constants,
                self._reward,
                self._done_now,
            )
            np.copyto(self._success_now, self._done_now)
            return
        dt = self.physics_dt
        action = self._disc[:, 0]
        # MoveAgent: the direction is taken before the turn (they never happen together).
        theta = np.radians(self.agent_yaw)
        cos, sin = np.cos(theta), np.sin(theta)
        move = MOVES[action]  # (n, 2): (right, forward)
        # right = (cos, -sin), forward = (sin, cos) in (x, z)
        self.agent_velocity[:, 0] += RUN_SPEED * (move[:, 0] * cos + move[:, 1] * sin)
        self.agent_velocity[:, 2] += RUN_SPEED * (-move[:, 0] * sin + move[:, 1] * cos)
        self.agent_yaw += TURNS[action]
        np.mod(self.agent_yaw, 360.0, out=self.agent_yaw)
        self._reward -= 1.0 / MAX_STEP

        for position, velocity, half, drag in (
            (self.agent_position, self.agent_velocity, AGENT_HALF, AGENT_DRAG),
            (self.block_position, self.block_velocity, self.block_half[:, 1], self.block_drag),
        ):
            fall_and_slide(position, velocity, half - REST_SINK, drag, self.friction, GRAVITY, dt)

        touched = np.zeros(self.num_agents, dtype=bool)
        for _ in range(2):  # walls, then agent against block, twice so a pinned block stops the agent
            touched |= self._block_walls()
            self._agent_walls(cos, sin)
            self._agent_block()
        touched |= self._block_walls()
        self._agent_walls(cos, sin)
        np.copyto(self._done_now, touched)
        np.copyto(self._success_now, touched)
        self._reward += np.where(touched, GOAL_REWARD, 0.0).astype(np.float32)

    def _block_walls(self) -> np.ndarray:
        """Keep blocks inside the walls and out of the goal; True where a block touches the goal."""
        p, v, h = self.block_position, self.block_velocity, self.block_half
        touched = p[:, 2] - h[:, 2] <= GOAL_FRONT + 1e-3
        for axis, low in ((0, -ARENA_HALF), (2, GOAL_FRONT)):
            clamp_into(p[:, axis], v[:, axis], low + h[:, axis], ARENA_HALF - h[:, axis])
        return touched

    def _agent_walls(self, cos: np.ndarray, sin: np.ndarray) -> None:
        theta = np.radians(self.agent_yaw)
        extent = AGENT_HALF * (np.abs(np.cos(theta)) + np.abs(np.sin(theta)))  # the turned square's reach
        p, v = self.agent_position, self.agent_velocity
        for axis, low in ((0, -ARENA_HALF), (2, GOAL_FRONT)):
            clamp_into(p[:, axis], v[:, axis], low + extent, ARENA_HALF - extent)

    def _agent_block(self) -> None:
        """Separate each agent (turned square) from its block (axis-aligned); the contact is inelastic."""
        theta = np.radians(self.agent_yaw)
        cos, sin = np.cos(theta), np.sin(theta)
        d = self.agent_position[:, 0::2] - self.block_position[:, 0::2]  # (n, 2) block -> agent
        hx, hz = self.block_half[:, 0], self.block_half[:, 2]
        axes, separation, overlap = square_box_overlaps(d, cos, sin, AGENT_HALF, hx, hz)
        hit = (overlap > 0.0).all(axis=1)
        if not hit.any():
            return
        depth, normal = least_penetration(axes, separation, overlap, hit)  # normal: block -> agent
        # Equal masses: each moves half the penetration and the closing normal velocity is shared.
        self.agent_position[:, 0::2] += normal * (0.5 * depth)[:, None]
        self.block_position[:, 0::2] -= normal * (0.5 * depth)[:, None]
        closing = ((self.agent_velocity[:, 0::2] - self.block_velocity[:, 0::2]) * normal).sum(axis=1)
        share = np.where(hit & (closing < 0.0), 0.5 * closing, 0.0)
        self.agent_velocity[:, 0::2] -= normal * share[:, None]
        self.block_velocity[:, 0::2] += normal * share[:, None]

    # --- CollectObservations ---

    def _observe(self, idx: np.ndarray | None) -> tuple[np.ndarray, ...]:
        sel = slice(None) if idx is None else idx
        position = self.agent_position[sel]
        yaw = self.agent_yaw[sel]
        for colliders in self._colliders.values():
            colliders.box_center[:, _BLOCK_ROW] = self.block_position
            colliders.box_half[:, _BLOCK_ROW] = self.block_half
        return tuple(observe_rays(self.sensors, self._colliders, position, yaw, idx, self.compiled))

    # --- heuristic ---

    def heuristic(self, batch: StepBatch) -> ActionTuple:
        """Scripted pusher from the true positions: get behind the block (its +z side), face -z and push.

        Going behind passes beside the block when the agent is in front of it; pushing strafes to stay
        centred. The agent is fast (about 30 units/s), so it coasts (action 0) when close to a waypoint.
        """
        a = self.agent_position[:, 0::2]
        b = self.block_position[:, 0::2]
        hx, hz = self.block_half[:, 0], self.block_half[:, 2]
        dx = a[:, 0] - b[:, 0]
        aligned = (np.abs(dx) < 0.6 * hx) & (a[:, 1] > b[:, 1] + hz - 0.2)
        blocked = (a[:, 1] < b[:, 1] + hz + 0.7) & (np.abs(dx) < hx + 0.9)
        side = np.where(dx >= 0.0, 1.0, -1.0)
        target = np.stack([b[:, 0], b[:, 1] + hz + 1.2], axis=1)
        target[blocked, 0] = b[blocked, 0] + side[blocked] * (hx[blocked] + 1.5)
        target[blocked, 1] = np.maximum(a[blocked, 1], b[blocked, 1]) + 1.0
        to = target - a
        distance = np.hypot(to[:, 0], to[:, 1])
        want = np.where(aligned, 180.0, np.degrees(np.arctan2(to[:, 0], to[:, 1])))  # 0 faces +z, 90 faces +x
        error = (want - self.agent_yaw + 180.0) % 360.0 - 180.0
        speed = np.hypot(self.agent_velocity[:, 0], self.agent_velocity[:, 2])
        action = np.where(distance > 0.15 * speed + 0.3, 1, 0)
        # facing -z the agent's right is -x: strafe right (6) when it sits at +x of the block's centre
        action = np.where(
            aligned & (np.abs(dx) > 0.25 * hx), np.where(dx > 0.0, 6, 5), np.where(aligned, 1, action)
        )
        action = np.where(error > 10.0, 3, np.where(error < -10.0, 4, action))
        return ActionTuple(np.zeros((self.num_agents, 0), np.float32), action[:, None].astype(np.int32))
