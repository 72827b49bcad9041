"""ML-Agents' WallJump example: get over a wall to the goal, pushing a block to climb when the wall is high.

Facts and their sources are tabled in ``docs/simulator.md`` ("WallJump"); in short
(``Examples/WallJump/Scripts/WallJumpAgent.cs``, ``Scripts/WallJumpSettings.cs``,
``Prefabs/WallJumpArea.prefab``, ``Scenes/WallJump.unity``):

- Area frame: the ground's collider (``Border``) is a box 21 x 1 x 21 centred at (0, -0.05, -4) (top at
  0.45) with no walls around it: an agent or block whose centre leaves it falls. The wall spans the width:
  centre (0, 0, -1.98), size (20, height, 1.5), so its top is at height / 2. The goal is a trigger box
  4 x 5 x 4 centred at (6.37, 2.99, 2.93). The block ("shortBlock") is 3 x 2 x 3, mass 10, drag 1, its
  height and rotation frozen at y = 1.5 (it floats 0.05 above the ground and only slides).
- Agent: unit cube, mass 25, drag 2, rotation frozen but for yaw; four branches: forward/back (3), turn
  (3: 6 degrees per physics step), strafe (3: 0.6, overriding forward), jump (2). Moves are
  ``AddForce(dir * 3, VelocityChange)`` per physics step, halved while the large ground check fails; a jump
  (when the small ground check holds and no jump runs) pulls the velocity for 11 physics steps towards
  ``15.54 * (target - position)`` with ``target = (x, start y + 2.75, z) + dir``, changing it by at most
  10 per step; without a jump and off the ground a falling force of 111 adds to gravity (9.81 x 2.75).
- Rewards: -0.0005 per physics step; ``SetReward(-1)`` and the end when the agent's or the block's centre
  has no ground beneath it; ``SetReward(1)`` and the end (success) when the agent stands in the goal.
  MaxStep 2000, decision period 5.
- Configurations: upstream draws one of five per episode: 0 no wall and 1 small wall (behavior
  ``SmallWallJump``), 2-4 the big wall (``BigWallJump``). The task ``BigWallJump`` runs the big-wall
  episodes (``big_wall_height`` 8), ``SmallWallJump`` the other two equally often (``no_wall_height`` 0,
  ``small_wall_height`` 4), each with its behavior's name and model.
- Sensors (sorted by name): ``OffsetRayPerceptionSensor`` (start 2.5, end 5 above the agent),
  ``RayPerceptionSensor``, both tags wall, goal, block; 3 rays per direction over 90 degrees; sphere 0.5;
  length 20; 6 stacks; then the vector sensor (position minus the ground's / 20, small ground check), 6
  stacks: ``obs_0 [210]``, ``obs_1 [210]``, ``obs_2 [24]``.

Physics approximates PhysX as PushBlock's does (``tasks.pushblock``): velocity changes, gravity, linear
damping ``v *= 1 - drag * dt``, dynamic friction (0.6) of the surface the agent stood on (relative to the
block when on the block, which takes the reaction), semi-implicit positions, then contacts without bounce
resolved along the axis of least penetration of the two upright boxes (the agent turned by its yaw):
ground, wall and the block's top hold the agent, which rests ``REST_SINK`` into them; the agent and the
block share a horizontal contact by their masses (25 and 10); the wall stops the block. Side contacts
(agent against wall or block, block against wall) add Coulomb friction bounded by 0.6 times the normal
impulse.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ...errors import SpecError
from ...spaces import ActionSpec, ActionTuple, BehaviorSignature, ObservationSpec, StepBatch
from ..core import SimEnv
from ..engine_config import EngineConfig
from ..ray_perception import RayPerceptionSensor, RayPerceptionSettings
from ..stacking import ObservationStack
from ._common import StackedObservations, kernel_rays, observe_rays, ray_colliders

BIG = "BigWallJump"
SMALL = "SmallWallJump"
BEHAVIORS = (SMALL, BIG)
MAX_STEP = 2000
DECISION_PERIOD = 5
DEFAULT_NUM_AGENTS = 24
"""Areas stepped together by default (the upstream scene holds about two dozen)."""
STACKS = 6

GRAVITY = 9.81 * 2.75
"""``ProjectSettingsOverrides.gravityMultiplier`` 2.75 in ``Scenes/WallJump.unity``."""
RUN_SPEED = 3.0
"""``WallJumpSettings.agentRunSpeed``."""
JUMP_HEIGHT = 2.75
"""``WallJumpSettings.agentJumpHeight``."""
JUMP_GAIN = 0.02 * 777.0
"""``Time.fixedDeltaTime * agentJumpVelocity``: the jump's velocity target per unit of distance."""
JUMP_MAX_CHANGE = 10.0
"""``agentJumpVelocityMaxChange``: ``Vector3.MoveTowards`` step of the velocity."""
JUMP_STEPS = 11
"""Physics steps a jump pulls: ``jumpingTime`` = 0.2 minus 0.02 per step stays > 0 for 11 steps (float32)."""
FALLING_FORCE = 111.0
"""``WallJumpAgent.fallingForce`` in the prefab (an acceleration)."""
TURN_DEGREES = 6.0
"""``Time.fixedDeltaTime * 300`` degrees per physics step."""
STRAFE = 0.6
AIR_FACTOR = 0.5
"""Moves are halved while the large ground check fails."""
STEP_REWARD = 0.0005
FRICTION = 0.6
"""PhysX's default material on both sides (no physics materials in the prefab)."""
AGENT_HALF = 0.5
AGENT_MASS = 25.0
AGENT_DRAG = 2.0
BLOCK_MASS = 10.0
BLOCK_DRAG = 1.0
BLOCK_HALF = (1.5, 1.0, 1.5)
"""The block's collider (300, 200, 300) times its scale 0.01, halved."""
BLOCK_Y = 1.5
"""``SpawnVolume`` y 1.05 + 0.45 (``GetRandomSpawnPos``); the block's y is frozen (constraints 116)."""
REST_SINK = 0.01
"""How far a resting agent sits into what holds it (as PushBlock's: PhysX's contact offset)."""
GROUND_TOP = 0.45
GROUND_CENTRE = (0.0, -0.05, -4.0)
GROUND_HALF = (10.5, 0.5, 10.5)
GROUND_ORIGIN_Z = -4.0
"""The ``Ground`` transform's z: the vector observation is the agent's position minus it."""
WALL_Z = -1.98
WALL_HALF_X = 10.0
WALL_HALF_Z = 0.75
GOAL_CENTRE = (6.37, 2.99, 2.93)
GOAL_HALF = (2.0, 2.5, 2.0)
SPAWN_CENTRE = (0.0, -6.27)
SPAWN_HALF = (8.1, 3.5)
"""``SpawnVolume`` bounds extents (scale 16.2 x 7) in x and z."""
AGENT_START_Z = -12.0
AGENT_START_HALF_X = 9.0
AGENT_START_Y = 1.0
SMALL_CHECK_DOWN = 0.05
SMALL_CHECK_LENGTH = 1.0
LARGE_CHECK_HALF = (0.475, 0.5, 0.475)
FALL_RAY = 20.0
TAGS = ("wall", "goal", "block")

ENV_PARAMETERS = {
    BIG: {"big_wall_height": 8.0},
    SMALL: {"small_wall_height": 4.0, "no_wall_height": 0.0},
}

OFFSET_SENSOR = RayPerceptionSettings(
    TAGS,
    rays_per_direction=3,
    max_ray_degrees=90.0,
    sphere_cast_radius=0.5,
    ray_length=20.0,
    observation_stacks=STACKS,
    start_vertical_offset=2.5,
    end_vertical_offset=5.0,
    name="OffsetRayPerceptionSensor",
)
MAIN_SENSOR = RayPerceptionSettings(
    TAGS,
    rays_per_direction=3,
    max_ray_degrees=90.0,
    sphere_cast_radius=0.5,
    ray_length=20.0,
    observation_stacks=STACKS,
    name="RayPerceptionSensor",
)
VECTOR_SIZE = 4


def signature(behavior: str) -> BehaviorSignature:
    """Return the behavior's signature: two ray stacks [210], the vector stack [24], branches 3, 3, 3, 2."""
    return BehaviorSignature(
        name=behavior,
        observation_specs=(
            ObservationSpec(
                (OFFSET_SENSOR.observation_size,), "StackingSensor_size6_OffsetRayPerceptionSensor"
            ),
            ObservationSpec((MAIN_SENSOR.observation_size,), "StackingSensor_size6_RayPerceptionSensor"),
            ObservationSpec((VECTOR_SIZE * STACKS,), "StackingSensor_size6_VectorSensor_size4"),
        ),
        action_spec=ActionSpec(discrete_branches=(3, 3, 3, 2)),
    )


# Collider rows seen by the rays: ground (untagged for the sensors), wall, goal (a trigger: rays hit
# triggers under Unity's default queriesHitTriggers), block.
_OBJECT_TAGS = ["walkableSurface", "wall", "goal", "block"]
_WALL_ROW, _BLOCK_ROW = 1, 3


class WallJumpEnv(StackedObservations, SimEnv):
    """Vectorized WallJump for one behavior (``BigWallJump`` or ``SmallWallJump``), each area in its frame.

    Attributes:
        behavior: ``BigWallJump`` or ``SmallWallJump``.
        agent_position: ``(n, 3)`` agent centres.
        agent_velocity: ``(n, 3)``.
        agent_yaw: ``(n,)`` degrees about +y (0 faces +z, towards the wall and goal).
        jump_steps: ``(n,)`` physics steps the running jump still pulls (0: none; a float).
        jump_start_y: ``(n,)`` the agent's height when its jump began.
        support: ``(n,)`` what held the agent after the last physics step: 0 nothing, 1 ground or wall,
            2 the block (for friction; a float).
        block_position: ``(n, 3)`` block centres (y frozen).
        block_velocity: ``(n, 3)``.
        wall_height: ``(n,)`` the wall's height this episode (its top is at half of it).
        sensors: the offset and the main ray sensor (observation order).
        vector_stack: the stacked vector observations.

    """

    task_name = BIG
    has_kernel = True
    """A compiled decision (``sim.kernels.walljump``: physics steps, ends, casts and stacks in one call);
    ``compiled = False`` runs the NumPy reference of all of it."""

    def __init__(
        self,
        num_agents: int = DEFAULT_NUM_AGENTS,
        *,
        behavior: str = BIG,
        seed: int | None = None,
        engine: EngineConfig | None = None,
    ) -> None:

        if behavior not in BEHAVIORS:
            raise SpecError(f"WallJump: behavior must be one of {list(BEHAVIORS)}, got {behavior!r}")
        self.behavior = behavior
        self.task_name = behavior
        super().__init__(
            signature(behavior),
            num_agents,
            decision_period=DECISION_PERIOD,
            max_step=MAX_STEP,
            env_parameter_defaults=ENV_PARAMETERS[behavior],
            seed=seed,
            engine=engine,
        )
        n = self.num_agents
        self.agent_position = np.zeros((n, 3))
        self.agent_velocity = np.zeros((n, 3))
        # yaw, jump steps left, jump start height, support: one array the compiled decision updates
        self._state = np.zeros((n, 4))
        self.agent_yaw = self._state[:, 0]
        self.jump_steps = self._state[:, 1]
        self.jump_start_y = self._state[:, 2]
        self.support = self._state[:, 3]
        self.block_position = np.zeros((n, 3))
        self.block_velocity = np.zeros((n, 3))
        self.wall_height = np.zeros(n)
        self._prefab_state()
        self.sensors = (RayPerceptionSensor(OFFSET_SENSOR, n), RayPerceptionSensor(MAIN_SENSOR, n))
        self.vector_stack = ObservationStack(n, VECTOR_SIZE, STACKS)
        self.stacks = (*self.sensors, self.vector_stack)
        centres = np.array([GROUND_CENTRE, [0.0, 0.0, WALL_Z], GOAL_CENTRE, [0.0, BLOCK_Y, 0.0]])
        halves = np.array([GROUND_HALF, [WALL_HALF_X, 0.0, WALL_HALF_Z], GOAL_HALF, BLOCK_HALF])
        self._colliders = ray_colliders(n, self.sensors, centres, halves, _OBJECT_TAGS)
        layouts, boxes = kernel_rays(self.sensors, centres, halves, _OBJECT_TAGS)
        histories = (self.sensors[0].stack.history, self.sensors[1].stack.history, self.vector_stack.history)
        self._sensing = (layouts, boxes, histories)

    def _prefab_state(self) -> None:
        """Put the agent and block where ``WallJumpArea.prefab`` has them, the agent facing away (yaw 180)."""
        self.agent_position[:] = [-1.99, GROUND_TOP + AGENT_HALF - REST_SINK, -12.5]
        self.agent_yaw[:] = 180.0
        self.block_position[:] = [0.35, BLOCK_Y, -6.02]

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        """Set the wall heights of this behavior; read at each agent's next episode.

        Raises:
            SpecError: an unknown name, a non-finite value, or a height outside [0, 20].

        """
        super().set_env_parameters(params)
        for key, value in self._params.items():
            if not 0.0 <= value <= 20.0:
                raise SpecError(f"{self.task_name}: {key} must be in [0, 20], got {value}")

    # --- OnEpisodeBegin + ConfigureAgent ---

    def _begin_episodes(self, idx: np.ndarray) -> None:
        k = idx.size
        # ResetBlock, then the agent's place, then the configuration (OnEpisodeBegin's order).
        self.block_position[idx, 0] = SPAWN_CENTRE[0] + self._rng.uniform(-SPAWN_HALF[0], SPAWN_HALF[0], k)
        self.block_position[idx, 1] = BLOCK_Y
        self.block_position[idx, 2] = SPAWN_CENTRE[1] + self._rng.uniform(-SPAWN_HALF[1], SPAWN_HALF[1], k)
        self.block_velocity[idx] = 0.0
        self.agent_position[idx, 0] = self._rng.uniform(-AGENT_START_HALF_X, AGENT_START_HALF_X, k)
        self.agent_position[idx, 1] = AGENT_START_Y
        self.agent_position[idx, 2] = AGENT_START_Z
        self.agent_velocity[idx] = 0.0
        self.jump_steps[idx] = 0
        self.jump_start_y[idx] = AGENT_START_Y
        self.support[idx] = 0
        params = self._params
        if self.behavior == BIG:
            self.wall_height[idx] = params["big_wall_height"]
        else:
            small = self._rng.random(k) < 0.5
            self.wall_height[idx] = np.where(small, params["small_wall_height"], params["no_wall_height"])
        # A block spawned into the wall is pushed out (PhysX depenetration).
        self._block_wall(idx)
        for sensor in self.sensors:
            sensor.reset(idx)
        self.vector_stack.clear(idx)

    # --- OnActionReceived + physics + OnTriggerStay ---

    def _restart(self, idx: np.ndarray, obs: tuple[np.ndarray, ...]) -> None:
        """Begin the next episodes of agents ``idx`` (NumPy) and observe them (compiled)."""
        self._begin(idx)
        self._kernels.walljump_observe(
            idx,
            self.agent_position,
            self._state,
            self.block_position,
            self.wall_height,
            self._sensing,
            obs,
        )

    def _kernel_decision(
        self,
        reward: np.ndarray,
        flags: np.ndarray,
        obs: tuple[np.ndarray, ...],
        ended: np.ndarray,
    ) -> int | None:
        return int(
            self._kernels.walljump_decision(
                self._disc,
                self.agent_position,
                self.agent_velocity,
                self._state,
                self.block_position,
                self.block_velocity,
                self.wall_height,
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

    def _physics_step(self) -> None:
        dt = self.physics_dt
        act = self._disc
        p, v = self.agent_position, self.agent_velocity
        self._reward -= np.float32(STEP_REWARD)
        # --- MoveAgent ---
        small = self._small_grounded()
        large = self._large_grounded()
        factor = np.where(large, 1.0, AIR_FACTOR)
        theta = np.radians(self.agent_yaw)
        cos, sin = np.cos(theta), np.sin(theta)
        forward = np.where(act[:, 0] == 1, 1.0, np.where(act[:, 0] == 2, -1.0, 0.0)) * factor
        side = np.where(act[:, 2] == 1, -STRAFE, np.where(act[:, 2] == 2, STRAFE, 0.0)) * factor
        strafing = act[:, 2] != 0
        # right = (cos, -sin), forward = (sin, cos) in (x, z); a strafe replaces the forward move
        dir_x = np.where(strafing, side * cos, forward * sin)
        dir_z = np.where(strafing, -side * sin, forward * cos)
        start = (act[:, 3] == 1) & (self.jump_steps <= 0) & small
        self.jump_steps[start] = JUMP_STEPS
        self.jump_start_y[start] = p[start, 1]
        turn = np.where(act[:, 1] == 1, -TURN_DEGREES, np.where(act[:, 1] == 2, TURN_DEGREES, 0.0))
        # The heading carries over episodes: an agent whose episode ended in this decision waits for the
        # next one without turning (the compiled decision stops stepping it).
        self.agent_yaw += np.where(self._ended, 0.0, turn)
        np.mod(self.agent_yaw, 360.0, out=self.agent_yaw)
        jumping = self.jump_steps > 0
        if jumping.any():
            target = np.stack([dir_x, self.jump_start_y + JUMP_HEIGHT - p[:, 1], dir_z], axis=1) * JUMP_GAIN
            delta = target - v
            norm = np.sqrt((delta * delta).sum(axis=1))
            step = np.where(norm <= JUMP_MAX_CHANGE, 1.0, JUMP_MAX_CHANGE / np.maximum(norm, 1e-12))
            v[jumping] += (delta * step[:, None])[jumping]
        extra_fall = np.where(~jumping & ~large, FALLING_FORCE, 0.0)
        np.maximum(self.jump_steps - 1, 0, out=self.jump_steps)
        # --- the fall check: nothing beneath the agent's or the block's centre ---
        fell = ~self._above_something(p) | ~_inside_ground(self.block_position)
        self._reward[fell] = np.float32(-1.0)
        # --- physics ---
        v[:, 0] += RUN_SPEED * dir_x
        v[:, 2] += RUN_SPEED * dir_z
        v[:, 1] -= (GRAVITY + extra_fall) * dt
        v *= 1.0 - AGENT_DRAG * dt
        bv = self.block_velocity
        bv[:, 1] = 0.0
        bv *= 1.0 - BLOCK_DRAG * dt
        self._friction()
        p += v * dt
        self.block_position += bv * dt
        self.support[:] = 0
        for _ in range(2):
            self._agent_static(GROUND_CENTRE, GROUND_HALF)
            self._agent_static(self._wall_centre(), self._wall_half())
            self._block_wall(None)
            self._agent_block()
        self._agent_static(GROUND_CENTRE, GROUND_HALF)
        self._agent_static(self._wall_centre(), self._wall_half())
        self._block_wall(None)
        # --- OnTriggerStay: standing in the goal ---
        scored = ~fell & self._in_goal() & self._small_grounded()
        self._reward[scored] = np.float32(1.0)
        np.copyto(self._done_now, fell | scored)
        np.copyto(self._success_now, scored)

    def _wall_centre(self) -> np.ndarray:
        return np.array([0.0, 0.0, WALL_Z])

    def _wall_half(self) -> np.ndarray:
        half = np.empty((self.num_agents, 3))
        half[:, 0] = WALL_HALF_X
        half[:, 1] = self.wall_height / 2.0
        half[:, 2] = WALL_HALF_Z
        return half

    def _boxes(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Ground, wall and block as (centre, half) rows per agent: what the agent can stand on."""
        n = self.num_agents
        ground = (np.broadcast_to(GROUND_CENTRE, (n, 3)), np.broadcast_to(GROUND_HALF, (n, 3)))
        wall = (np.broadcast_to(self._wall_centre(), (n, 3)), self._wall_half())
        block = (self.block_position, np.broadcast_to(BLOCK_HALF, (n, 3)))
        return [ground, wall, block]

    def _small_grounded(self) -> np.ndarray:
        """``DoGroundCheck(true)``: a 1-long ray down from 0.05 below the centre meets a top face."""
        p = self.agent_position
        origin = p[:, 1] - SMALL_CHECK_DOWN
        hit = np.zeros(self.num_agents, dtype=bool)
        for centre, half in self._boxes():
            top = centre[:, 1] + half[:, 1]
            over = (np.abs(p[:, 0] - centre[:, 0]) <= half[:, 0]) & (
                np.abs(p[:, 2] - centre[:, 2]) <= half[:, 2]
            )
            hit |= over & (half[:, 1] > 0.0) & (origin >= top) & (origin - top <= SMALL_CHECK_LENGTH)
        return hit

    def _large_grounded(self) -> np.ndarray:
        """``DoGroundCheck(false)``: the turned 0.95 x 1 x 0.95 box 0.05 lower overlaps a surface."""
        p = self.agent_position
        theta = np.radians(self.agent_yaw)
        cos, sin = np.cos(theta), np.sin(theta)
        centre = p.copy()
        centre[:, 1] -= SMALL_CHECK_DOWN
        out = np.zeros(self.num_agents, dtype=bool)
        for box_centre, half in self._boxes():
            overlap = _overlaps(centre, LARGE_CHECK_HALF, cos, sin, box_centre, half)
            out |= (overlap > 0.0).all(axis=1) & (half[:, 1] > 0.0)
        return out

    def _above_something(self, p: np.ndarray) -> np.ndarray:
        """``Physics.Raycast(position, down, 20)`` hits: the ground, or the block, under the centre."""
        b = self.block_position
        on_block = (
            (np.abs(p[:, 0] - b[:, 0]) <= BLOCK_HALF[0])
            & (np.abs(p[:, 2] - b[:, 2]) <= BLOCK_HALF[2])
            & (p[:, 1] >= b[:, 1] - BLOCK_HALF[1])
        )
        return _inside_ground(p) | on_block

    def _in_goal(self) -> np.ndarray:
        theta = np.radians(self.agent_yaw)
        overlap = _overlaps(
            self.agent_position,
            (AGENT_HALF, AGENT_HALF, AGENT_HALF),
            np.cos(theta),
            np.sin(theta),
            np.broadcast_to(GOAL_CENTRE, (self.num_agents, 3)),
            np.broadcast_to(GOAL_HALF, (self.num_agents, 3)),
        )
        return (overlap > 0.0).all(axis=1)

    def _friction(self) -> None:
        """Dynamic friction from what held the agent: relative to the block, which takes the reaction."""
        v, bv = self.agent_velocity, self.block_velocity
        held = self.support > 0
        if not held.any():
            return
        on_block = self.support == 2
        base = np.where(on_block[:, None], bv[:, 0::2], 0.0)
        rel = v[:, 0::2] - base
        speed = np.hypot(rel[:, 0], rel[:, 1])
        slow = np.where(
            held & (speed > 0.0),
            np.maximum(speed - FRICTION * GRAVITY * self.physics_dt, 0.0) / np.maximum(speed, 1e-12),
            1.0,
        )
        change = rel * (slow[:, None] - 1.0)
        v[:, 0::2] += change
        bv[:, 0::2] -= np.where(on_block[:, None], change * (AGENT_MASS / BLOCK_MASS), 0.0)

    def _separation(self, centre: np.ndarray, half: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Least-penetration axis of each agent against one box per agent.

        Returns:
            ``hit`` (n,) bool, ``depth`` (n,) and ``normal`` (n, 3) pointing from the box to the agent.

        """
        theta = np.radians(self.agent_yaw)
        cos, sin = np.cos(theta), np.sin(theta)
        p = self.agent_position
        centre = np.broadcast_to(centre, p.shape)
        half = np.broadcast_to(half, p.shape)
        overlap = _overlaps(p, (AGENT_HALF, AGENT_HALF - REST_SINK, AGENT_HALF), cos, sin, centre, half)
        hit = (overlap > 0.0).all(axis=1) & (half[:, 1] > 0.0)
        best = np.argmin(overlap, axis=1)
        rows = np.arange(self.num_agents)
        depth = np.where(hit, overlap[rows, best], 0.0)
        d = p - centre
        axes = _axes(cos, sin)  # (n, 5, 3)
        axis = axes[rows, best]
        sign = np.where((axis * d).sum(axis=1) >= 0.0, 1.0, -1.0)
        return hit, depth, axis * sign[:, None]

    def _agent_static(self, centre: np.ndarray, half: np.ndarray) -> None:
        hit, depth, normal = self._separation(centre, half)
        if not hit.any():
            return
        v = self.agent_velocity
        self.agent_position += normal * depth[:, None]
        into = np.where(hit, np.minimum((v * normal).sum(axis=1), 0.0), 0.0)
        v -= normal * into[:, None]
        # a side: Coulomb friction, bounded by the normal impulse (the velocity into the side removed)
        side = hit & (np.abs(normal[:, 1]) <= 0.5) & (into < 0.0)
        if side.any():
            speed = np.sqrt((v * v).sum(axis=1))
            keep = np.maximum(speed + FRICTION * into, 0.0) / np.where(speed > 0.0, speed, 1.0)
            v *= np.where(side & (speed > 0.0), keep, 1.0)[:, None]
        self.support[hit & (normal[:, 1] > 0.5) & (self.support == 0)] = 1

    def _agent_block(self) -> None:
        hit, depth, normal = self._separation(
            self.block_position, np.broadcast_to(BLOCK_HALF, (self.num_agents, 3))
        )
        if not hit.any():
            return
        v, bv = self.agent_velocity, self.block_velocity
        vertical = np.abs(normal[:, 1]) > 0.5
        total = AGENT_MASS + BLOCK_MASS
        # The block's height is frozen: a vertical contact moves only the agent.
        agent_share = np.where(vertical, 1.0, BLOCK_MASS / total)
        self.agent_position += normal * (depth * agent_share)[:, None]
        self.block_position -= normal * (depth * (1.0 - agent_share))[:, None]
        closing = np.minimum(((v - bv) * normal).sum(axis=1), 0.0)
        closing = np.where(hit, closing, 0.0)
        v -= normal * (closing * agent_share)[:, None]
        bv += normal * (closing * (1.0 - agent_share))[:, None]
        # a side: Coulomb friction on the horizontal slip, bounded by the normal impulse, shared by mass
        side = hit & (np.abs(normal[:, 1]) <= 0.5) & (closing < 0.0)
        if side.any():
            tx, tz = v[:, 0] - bv[:, 0], v[:, 2] - bv[:, 2]
            slip = np.sqrt(tx * tx + tz * tz)
            change = np.minimum(slip, -FRICTION * closing) / np.where(slip > 0.0, slip, 1.0)
            change = np.where(side & (slip > 0.0), change, 0.0)
            v[:, 0] -= tx * change * agent_share
            v[:, 2] -= tz * change * agent_share
            bv[:, 0] += tx * change * (1.0 - agent_share)
            bv[:, 2] += tz * change * (1.0 - agent_share)
        self.support[hit & (normal[:, 1] > 0.5)] = 2

    def _block_wall(self, idx: np.ndarray | None) -> None:
        """Keep blocks out of the wall (axis-aligned boxes; only when the wall reaches the block's height)."""
        sel = slice(None) if idx is None else idx
        b, bv = self.block_position[sel], self.block_velocity[sel]
        wall_half_y = self.wall_height[sel] / 2.0
        over_x = WALL_HALF_X + BLOCK_HALF[0] - np.abs(b[:, 0])
        over_z = WALL_HALF_Z + BLOCK_HALF[2] - np.abs(b[:, 2] - WALL_Z)
        over_y = wall_half_y + BLOCK_HALF[1] - np.abs(b[:, 1])
        hit = (over_x > 0.0) & (over_z > 0.0) & (over_y > 0.0) & (wall_half_y > 0.0)
        if not hit.any():
            return
        along_x = over_x < over_z
        sx = np.where(b[:, 0] >= 0.0, 1.0, -1.0)
        sz = np.where(b[:, 2] >= WALL_Z, 1.0, -1.0)
        b[:, 0] += np.where(hit & along_x, sx * over_x, 0.0)
        b[:, 2] += np.where(hit & ~along_x, sz * over_z, 0.0)
        # the velocity into the wall is removed; friction takes up to 0.6 of it from the slide along it
        stop_x = hit & along_x & (bv[:, 0] * sx < 0.0)
        stop_z = hit & ~along_x & (bv[:, 2] * sz < 0.0)
        bv[:, 2] = np.where(stop_x, _slowed(bv[:, 2], FRICTION * np.abs(bv[:, 0])), bv[:, 2])
        bv[:, 0] = np.where(stop_x, 0.0, bv[:, 0])
        bv[:, 0] = np.where(stop_z, _slowed(bv[:, 0], FRICTION * np.abs(bv[:, 2])), bv[:, 0])
        bv[:, 2] = np.where(stop_z, 0.0, bv[:, 2])
        self.block_position[sel] = b
        self.block_velocity[sel] = bv

    # --- CollectObservations ---

    def _observe(self, idx: np.ndarray | None) -> tuple[np.ndarray, ...]:
        sel = slice(None) if idx is None else idx
        position = self.agent_position[sel]
        yaw = self.agent_yaw[sel]
        for colliders in self._colliders.values():
            colliders.box_center[:, _BLOCK_ROW] = self.block_position
            colliders.box_half[:, _WALL_ROW, 1] = self.wall_height / 2.0
        out = observe_rays(self.sensors, self._colliders, position, yaw, idx, self.compiled)
        frame = np.empty((position.shape[0], VECTOR_SIZE), dtype=np.float32)
        frame[:, 0] = position[:, 0] / 20.0
        frame[:, 1] = position[:, 1] / 20.0
        frame[:, 2] = (position[:, 2] - GROUND_ORIGIN_Z) / 20.0
        frame[:, 3] = self._small_grounded()[sel]
        out.append(self.vector_stack.stacked(frame, idx))
        return tuple(out)

    # --- heuristic ---

    def heuristic(self, batch: StepBatch) -> ActionTuple:
        """Scripted jumper from the true positions (see ``_heuristic_actions``)."""
        return ActionTuple(np.zeros((self.num_agents, 0), np.float32), _heuristic_actions(self))


def _slowed(value: np.ndarray, by: np.ndarray) -> np.ndarray:
    """``value`` moved towards 0 by at most ``by``."""
    return np.where(value > 0.0, np.maximum(value - by, 0.0), np.minimum(value + by, 0.0))


def _inside_ground(p: np.ndarray) -> np.ndarray:
    return (np.abs(p[:, 0] - GROUND_CENTRE[0]) <= GROUND_HALF[0]) & (
        np.abs(p[:, 2] - GROUND_CENTRE[2]) <= GROUND_HALF[2]
    )


def _axes(cos: np.ndarray, sin: np.ndarray) -> np.ndarray:
    """Separating axes of an upright turned box and an axis-aligned one: x, z, its right, its forward, y."""
    n = cos.shape[0]
    axes = np.zeros((n, 5, 3))
    axes[:, 0, 0] = 1.0
    axes[:, 1, 2] = 1.0
    axes[:, 2, 0], axes[:, 2, 2] = cos, -sin
    axes[:, 3, 0], axes[:, 3, 2] = sin, cos
    axes[:, 4, 1] = 1.0
    return axes


def _overlaps(
    p: np.ndarray,
    agent_half: tuple[float, float, float],
    cos: np.ndarray,
    sin: np.ndarray,
    centre: np.ndarray,
    half: np.ndarray,
) -> np.ndarray:
    """Overlap along each of the five axes (``_axes``) of a turned box at ``p`` and an axis-aligned box."""
    axes = _axes(cos, sin)
    ax, az = axes[..., 0], axes[..., 2]
    box_reach = half[:, 0:1] * np.abs(ax) + half[:, 2:3] * np.abs(az) + half[:, 1:2] * axes[..., 1]
    right = np.abs(ax * cos[:, None] - az * sin[:, None])
    fwd = np.abs(ax * sin[:, None] + az * cos[:, None])
    agent_reach = agent_half[0] * right * (1.0 - axes[..., 1]) + agent_half[2] * fwd * (1.0 - axes[..., 1])
    agent_reach = agent_reach + agent_half[1] * axes[..., 1]
    d = p - centre
    separation = (axes * d[:, None, :]).sum(axis=2)
    return box_reach + agent_reach - np.abs(separation)


PULSE = 14.0
"""Speed change of one decision of a move: 5 physics steps of 3, less the damping."""


def _heuristic_actions(env: WallJumpEnv) -> np.ndarray:
    """Scripted WallJump from the true positions: over a low wall with a jump, over a high one via the block.

    The agent accelerates by 3 units/s per physics step, so it steers its velocity (forward or back along
    its heading, a strafe across it) towards a capped speed to a waypoint instead of running flat out.
    With a wall it cannot jump (top more than 1.6 above the ground) it first pushes the block against the
    wall in line with the goal, climbs it with a jump and jumps from it over the wall; with a low wall it
    walks to the wall in line with the goal and jumps. Past the wall it walks into the goal.
    """
    n = env.num_agents
    a, b = env.agent_position[:, 0::2], env.block_position[:, 0::2]
    wall_back = WALL_Z - WALL_HALF_Z
    high = env.wall_height / 2.0 - GROUND_TOP > 1.6
    past = a[:, 1] > WALL_Z + WALL_HALF_Z + AGENT_HALF
    on_block = (np.abs(a - b) < BLOCK_HALF[0]).all(axis=1) & (
        env.agent_position[:, 1] > BLOCK_Y + BLOCK_HALF[1]
    )
    # default: over the wall where the agent is (a low wall), then into the goal
    target = np.tile([GOAL_CENTRE[0], GOAL_CENTRE[2]], (n, 1))
    target[:, 0] = np.where(past, GOAL_CENTRE[0], np.clip(a[:, 0], -8.0, 8.0))
    cap = np.full(n, 10.0)
    jump = ~past & (env.wall_height > 0.0) & (a[:, 1] > wall_back - 1.2)
    # a high wall: push the block straight to the wall (from behind it), climb it, jump from it
    block_home = b[:, 1] > wall_back - BLOCK_HALF[2] - 0.3
    above = env.agent_position[:, 1] > env.wall_height / 2.0
    push = high & ~past & ~block_home & ~on_block & ~above
    behind = np.stack([b[:, 0], b[:, 1] - BLOCK_HALF[2] - AGENT_HALF - 0.4], axis=1)
    lined_up = np.abs(a[:, 0] - b[:, 0]) < 0.4
    approach = np.stack([b[:, 0], np.minimum(a[:, 1], behind[:, 1])], axis=1)
    waypoint = np.where(lined_up[:, None], np.stack([b[:, 0], np.full(n, wall_back)], axis=1), approach)
    target = np.where(push[:, None], waypoint, target)
    climb = high & ~past & block_home & ~on_block & ~above
    target = np.where(climb[:, None], b, target)
    jump = np.where(high, on_block | (climb & (np.hypot(*(a - b).T) < BLOCK_HALF[0] + 1.0)), jump)
    # on the block or on the wall's top: forward over the wall
    up = high & ~past & (on_block | (env.agent_position[:, 1] > env.wall_height / 2.0))
    target = np.where(up[:, None], np.stack([a[:, 0], np.full(n, GOAL_CENTRE[2])], axis=1), target)
    # steer the velocity: forward/back along the heading, or strafe across it
    to = target - a
    distance = np.hypot(to[:, 0], to[:, 1])
    want_velocity = (
        to
        / np.maximum(distance, 1e-9)[:, None]
        * np.where(distance > 0.3, np.minimum(cap, 5.0 * distance + 7.5), 0.0)[:, None]
    )
    theta = np.radians(env.agent_yaw)
    forward = np.stack([np.sin(theta), np.cos(theta)], axis=1)
    right = np.stack([np.cos(theta), -np.sin(theta)], axis=1)
    error_velocity = want_velocity - env.agent_velocity[:, 0::2]
    along = (error_velocity * forward).sum(axis=1)
    across = (error_velocity * right).sum(axis=1)
    action = np.zeros((n, 4), dtype=np.int32)
    # one decision of a move changes the speed by about 14 (5 steps of 3, less damping): act on half of it
    action[:, 0] = np.where(along > PULSE / 2.0, 1, np.where(along < -PULSE / 2.0, 2, 0))
    strafe = (np.abs(across) > 0.6 * PULSE / 2.0) & (np.abs(across) > np.abs(along))
    action[:, 2] = np.where(strafe, np.where(across > 0, 2, 1), 0)
    heading = np.degrees(np.arctan2(to[:, 0], to[:, 1]))
    error = (heading - env.agent_yaw + 180.0) % 360.0 - 180.0
    action[:, 1] = np.where(distance < 0.5, 0, np.where(error > 15.0, 2, np.where(error < -15.0, 1, 0)))
    action[:, 3] = jump.astype(np.int32)
    return action
