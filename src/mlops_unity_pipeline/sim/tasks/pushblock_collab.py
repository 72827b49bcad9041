"""ML-Agents' PushBlockCollab: three agents, one ``SimpleMultiAgentGroup``, push six blocks into the goal.

Facts and their sources are tabled in ``docs/simulator.md`` ("PushBlockCollab"); in short
(``Examples/PushBlockCollab/Scripts/PushBlockEnvController.cs``, ``PushAgentCollab.cs``,
``GoalDetectTrigger.cs``; ML-Agents' ``docs/Learning-Environment-Examples.md``):

- Each area holds one group of three agents that move like PushBlock's (``PushAgentCollab.MoveAgent`` is
  ``PushAgentBasic``'s: one branch of 7, velocity change 3 per physics step, 4-degree turns, 0.75 strafes).
- Blocks come in three sizes worth 1, 2 and 3 that need 1, 2 and 3 agents to move; a block entering the
  goal (a trigger) is disabled and its value goes to the group (``AddGroupReward``); when no block is left
  the group's episode ends (``EndGroupEpisode``, a success). Every physics step costs the group
  ``0.5 / MaxEnvironmentSteps`` (the hurry-up penalty, -0.0001); the controller's timer interrupts the group
  at ``MaxEnvironmentSteps`` = 5000 (``GroupEpisodeInterrupted``). Agents have no MaxStep of their own.
- Episode start (``ResetScene``): agents at random spawn points with random headings, then the blocks at
  random spawn points; a spawn point is redrawn while a 3 x 3 check box there overlaps the goal or anything
  already placed.

What is ours (not upstream): the block sizes and masses (chosen so that a block of size k moves with k
agents pushing and not with k - 1, as the upstream docs state), two of each size, the agents' sensors
(PushBlock's two stacked ray sensors with the collab tags; upstream ships a grid sensor, which the simulator
does not have yet), a planar contact model (bodies rest on the ground; blocks stay axis-aligned). No
upstream model of this environment is in ``shared/anchors``, so fidelity is not measured here.

Physics: PushBlock's integrator (velocity change, linear damping, Coulomb ground friction, semi-implicit
positions) in the plane, walls that stop motion into them, and contacts between every pair of bodies
(agents are squares turned by their yaw, blocks axis-aligned) resolved along the axis of least penetration
in inverse proportion to the masses, with the closing normal velocity shared inelastically (momentum kept).
"""

from __future__ import annotations

import numpy as np

from ...errors import SpecError
from ...spaces import ActionTuple, StepBatch
from ..ray_perception import RayPerceptionSensor
from . import pushblock as pb
from ._common import AcademySettings, HandWrittenTask, StackedObservations, ray_colliders
from ._contact import box_contact as _np_contact
from ._contact import clamp_into

AGENTS_PER_AREA = 3
MAX_ENVIRONMENT_STEPS = 5000
"""``PushBlockEnvController.MaxEnvironmentSteps`` in the PushBlockCollab scene."""
DECISION_PERIOD = 5
DEFAULT_NUM_AGENTS = AGENTS_PER_AREA
"""One area (one group) by default."""
HURRY_UP_PENALTY = -0.5 / MAX_ENVIRONMENT_STEPS
"""``AddGroupReward(-0.5f / MaxEnvironmentSteps)`` in the controller's ``FixedUpdate``: -0.0001."""
AGENT_MASS = 10.0
BLOCK_SIZES = (1, 1, 2, 2, 3, 3)
"""Agents each block needs, which is also its value (``GoalDetectTrigger.GoalValue``)."""
BLOCK_SCALE = {1: 2.0, 2: 3.0, 3: 4.0}
"""Block side per size (ours; the small block is PushBlock's default ``block_scale``)."""
BLOCK_MASS = {1: 10.0, 2: 220.0, 3: 420.0}
"""Block mass per size (ours): calibrated so that ``size`` agents move a block and ``size - 1`` cannot
(``tests/sim/test_pushblock_collab.py``)."""
BLOCK_HEIGHT = 0.75
SPAWN_HALF = pb.ARENA_HALF * 0.8
"""Spawn points are drawn in +-10 (ours: six blocks and three agents need more room than PushBlock's 0.5)."""
SPAWN_CHECK_HALF = 1.5
"""``Physics.CheckBox(pos, (1.5, 0.01, 1.5))`` in ``GetRandomSpawnPos``."""
PARKED = -1000.0
"""Height of disabled blocks: out of every ray's reach."""
TAGS = ("blockSmall", "blockLarge", "blockVeryLarge", "goal", "wall", "agent")
"""Detectable tags: one per block size, the goal, the walls and the other agents (the upstream grid
sensor's tags)."""

OFFSET_SENSOR, MAIN_SENSOR = pb.ray_sensors(TAGS)
SIGNATURE = pb.signature("PushBlockCollab", (OFFSET_SENSOR, MAIN_SENSOR))

_SIZES = np.array(BLOCK_SIZES, dtype=np.int64)
_BLOCK_HALF = np.array(
    [[BLOCK_SCALE[k] / 2.0, BLOCK_HEIGHT / 2.0, BLOCK_SCALE[k] / 2.0] for k in BLOCK_SIZES], dtype=np.float64
)
_BLOCK_MASS = np.array([BLOCK_MASS[k] for k in BLOCK_SIZES], dtype=np.float64)
_BLOCK_VALUE = _SIZES.astype(np.float64)
_AGENT_HALF = np.array([pb.AGENT_HALF, pb.AGENT_HALF, pb.AGENT_HALF])
_NUM_BLOCKS = len(BLOCK_SIZES)
# Collider rows seen by every agent: 4 walls, the goal, the ground, the area's blocks, then its agents.
_STATIC = 6
_BLOCK_ROWS = slice(_STATIC, _STATIC + _NUM_BLOCKS)
_AGENT_ROWS = slice(_STATIC + _NUM_BLOCKS, _STATIC + _NUM_BLOCKS + AGENTS_PER_AREA)
_BLOCK_TAGS = {1: "blockSmall", 2: "blockLarge", 3: "blockVeryLarge"}
_OBJECT_TAGS = (
    ["wall"] * 4 + ["goal", "ground"] + [_BLOCK_TAGS[k] for k in BLOCK_SIZES] + ["agent"] * AGENTS_PER_AREA
)


class PushBlockCollabEnv(StackedObservations, HandWrittenTask):
    """Vectorized PushBlockCollab: areas of three grouped agents and six blocks, in each area's own frame.

    Agents ``3a``, ``3a + 1``, ``3a + 2`` are area ``a``'s group (group id ``a + 1``).

    Attributes:
        agent_position: ``(n, 3)`` agent centres.
        agent_velocity: ``(n, 3)``.
        agent_yaw: ``(n,)`` degrees about +y (0 faces +z; the goal lies towards -z).
        block_position: ``(areas, 6, 3)`` block centres (disabled blocks are parked far below).
        block_velocity: ``(areas, 6, 3)``.
        block_active: ``(areas, 6)`` bool: the block has not scored yet.
        block_half: ``(6, 3)`` half extents; ``block_size`` ``(6,)`` the agents each block needs.
        sensors: the offset and the main ray sensor (observation order).

    """

    task_name = "PushBlockCollab"
    has_kernel = True
    """A compiled physics step (``sim.kernels.pushblock_collab``) and compiled ray casts; the decision
    stays on the Academy loop, so group rewards and ends follow the shared path exactly."""

    academy = AcademySettings(
        SIGNATURE,
        DECISION_PERIOD,
        0,
        DEFAULT_NUM_AGENTS,
        agents_per_group=AGENTS_PER_AREA,
        group_max_step=MAX_ENVIRONMENT_STEPS,
    )
    """Agents have no MaxStep of their own; the controller interrupts the group."""

    def _build(self) -> None:
        n, areas = self.num_agents, self.num_groups
        self.num_areas = areas
        self.agent_position = np.zeros((n, 3))
        self.agent_velocity = np.zeros((n, 3))
        self.agent_yaw = np.zeros(n)
        self.block_position = np.zeros((areas, _NUM_BLOCKS, 3))
        self.block_velocity = np.zeros((areas, _NUM_BLOCKS, 3))
        self.block_active = np.ones((areas, _NUM_BLOCKS), dtype=bool)
        self.block_half = _BLOCK_HALF.copy()
        self.block_size = _SIZES.copy()
        self.agent_position[:, 1] = pb.AGENT_HALF - pb.REST_SINK
        self.block_position[:, :, 1] = _BLOCK_HALF[:, 1] - pb.REST_SINK
        friction = 0.5 * (pb.ENV_PARAMETERS["dynamic_friction"] + pb.DEFAULT_FRICTION)
        self._constants = np.array(
            [
                pb.RUN_SPEED,
                self.physics_dt,
                pb.AGENT_DRAG,
                pb.ENV_PARAMETERS["block_drag"],
                friction * pb.GRAVITY * self.physics_dt,
                pb.ARENA_HALF,
                pb.GOAL_FRONT,
                AGENT_MASS,
                HURRY_UP_PENALTY,
                PARKED,
            ]
        )
        self._step_reward = np.zeros(areas)
        self._step_done = np.zeros(areas, dtype=bool)
        self._area_of = np.arange(n) // AGENTS_PER_AREA
        self.sensors = (RayPerceptionSensor(OFFSET_SENSOR, n), RayPerceptionSensor(MAIN_SENSOR, n))
        movable = np.zeros((_NUM_BLOCKS + AGENTS_PER_AREA, 3))  # written at every observation
        centres = np.concatenate([pb.WALL_CENTRES, [pb.GOAL_CENTRE, pb.GROUND_CENTRE], movable])
        agent_halves = np.tile(_AGENT_HALF, (AGENTS_PER_AREA, 1))
        halves = np.concatenate([pb.WALL_HALVES, [pb.GOAL_HALF, pb.GROUND_HALF], _BLOCK_HALF, agent_halves])
        self.stacks = self.sensors
        self._colliders = ray_colliders(n, self.sensors, centres, halves, _OBJECT_TAGS)
        self._physics_kernel = None
        if self._kernels is not None:
            from ..kernels.pushblock_collab import pushblock_collab_physics_step  # heavy

            self._physics_kernel = pushblock_collab_physics_step

    # --- ResetScene and OnEpisodeBegin ---

    def _begin_groups(self, groups: np.ndarray) -> None:
        k = groups.size
        placed: list[tuple[np.ndarray, float]] = []
        rows = groups[:, None] * AGENTS_PER_AREA + np.arange(AGENTS_PER_AREA)[None, :]  # (k, 3) agent rows
        for m in range(AGENTS_PER_AREA):
            spot = self._spawn(k, placed, pb.AGENT_HALF)
            placed.append((spot, pb.AGENT_HALF))
            self.agent_position[rows[:, m], 0] = spot[:, 0]
            self.agent_position[rows[:, m], 2] = spot[:, 1]
            self.agent_yaw[rows[:, m]] = self._rng.uniform(0.0, 360.0, k)
        self.agent_velocity[rows.reshape(-1)] = 0.0
        for b in range(_NUM_BLOCKS):
            half = float(_BLOCK_HALF[b, 0])
            spot = self._spawn(k, placed, half)
            placed.append((spot, half))
            self.block_position[groups, b, 0] = spot[:, 0]
            self.block_position[groups, b, 2] = spot[:, 1]
        self.block_position[groups, :, 1] = _BLOCK_HALF[:, 1] - pb.REST_SINK
        self.block_velocity[groups] = 0.0
        self.block_active[groups] = True

    def _spawn(self, k: int, placed: list[tuple[np.ndarray, float]], half: float) -> np.ndarray:
        """``k`` spawn points whose check box overlaps neither the goal nor what ``placed`` holds."""
        # the check box, grown to the body where the body is larger (ours: a large block would start inside
        # the goal trigger or another block)
        out, todo = pb.spawn_points(self._rng, k, SPAWN_HALF, max(SPAWN_CHECK_HALF, half), placed)
        if not todo.size:
            return out
        raise SpecError(
            f"PushBlockCollab: no free spawn point for a body of half size {half} after 1000 draws"
        )  # upstream would loop forever; with these sizes a draw succeeds far sooner

    def _begin_episodes(self, idx: np.ndarray) -> None:
        for sensor in self.sensors:
            sensor.reset(idx)

    # --- OnActionReceived, the controller's FixedUpdate and physics ---

    def _physics_step(self) -> None:
        if self.compiled and self._physics_kernel is not None:
            self._physics_kernel(
                self._disc[:, 0],
                pb.MOVES,
                pb.TURNS,
                self.agent_position,
                self.agent_velocity,
                self.agent_yaw,
                _AGENT_HALF,
                self.block_position,
                self.block_velocity,
                _BLOCK_HALF,
                _BLOCK_MASS,
                _BLOCK_VALUE,
                self.block_active,
                self._constants,
                self._step_reward,
                self._step_done,
            )
        else:
            self._numpy_physics_step()
        self.add_group_reward(self._step_reward)
        done = np.flatnonzero(self._step_done)
        if done.size:
            self.end_group_episode(done, success=True)

    def _numpy_physics_step(self) -> None:
        """Run the reference physics step: the kernel's operations in its order, vectorized over areas."""
        run, dt, agent_drag, block_drag, decel, arena, goal_front, agent_mass, penalty, parked = (
            self._constants
        )
        areas = self.num_areas
        ap = self.agent_position.reshape(areas, AGENTS_PER_AREA, 3)
        av = self.agent_velocity.reshape(areas, AGENTS_PER_AREA, 3)
        yaw = self.agent_yaw.reshape(areas, AGENTS_PER_AREA)
        action = self._disc[:, 0].reshape(areas, AGENTS_PER_AREA)
        bp, bv, active = self.block_position, self.block_velocity, self.block_active
        for m in range(AGENTS_PER_AREA):
            act = action[:, m]
            theta = np.radians(yaw[:, m])
            c, s = np.cos(theta), np.sin(theta)
            move = pb.MOVES[act]
            av[:, m, 0] += run * (move[:, 0] * c + move[:, 1] * s)
            av[:, m, 2] += run * (-move[:, 0] * s + move[:, 1] * c)
            turning = pb.TURNS[act] != 0.0
            yaw[turning, m] = (yaw[turning, m] + pb.TURNS[act][turning]) % 360.0
            _np_body(ap[:, m], av[:, m], np.ones(areas, dtype=bool), agent_drag, decel, dt)
        for b in range(_NUM_BLOCKS):
            _np_body(bp[:, b], bv[:, b], active[:, b], block_drag, decel, dt)
        theta = np.radians(yaw)
        cos, sin = np.cos(theta), np.sin(theta)
        ones, zeros = np.ones(areas), np.zeros(areas)
        everywhere = np.ones(areas, dtype=bool)
        for sweep in range(3):  # walls, contacts, walls, contacts, walls (the kernel's CONTACT_ITERATIONS 2)
            for b in range(_NUM_BLOCKS):
                _np_walls(bp[:, b], bv[:, b], active[:, b], _BLOCK_HALF[b, 0], _BLOCK_HALF[b, 2], arena)
            for m in range(AGENTS_PER_AREA):
                extent = pb.AGENT_HALF * (np.abs(cos[:, m]) + np.abs(sin[:, m]))
                _np_walls(ap[:, m], av[:, m], everywhere, extent, extent, arena)
            if sweep == 2:
                break
            for m in range(AGENTS_PER_AREA):
                for b in range(_NUM_BLOCKS):
                    _np_contact(
                        active[:, b],
                        (ap[:, m], av[:, m], cos[:, m], sin[:, m], _AGENT_HALF, agent_mass),
                        (bp[:, b], bv[:, b], ones, zeros, _BLOCK_HALF[b], _BLOCK_MASS[b]),
                    )
            for m in range(AGENTS_PER_AREA):
                for o in range(m + 1, AGENTS_PER_AREA):
                    _np_contact(
                        everywhere,
                        (ap[:, m], av[:, m], cos[:, m], sin[:, m], _AGENT_HALF, agent_mass),
                        (ap[:, o], av[:, o], cos[:, o], sin[:, o], _AGENT_HALF, agent_mass),
                    )
            for b in range(_NUM_BLOCKS):
                for o in range(b + 1, _NUM_BLOCKS):
                    _np_contact(
                        active[:, b] & active[:, o],
                        (bp[:, b], bv[:, b], ones, zeros, _BLOCK_HALF[b], _BLOCK_MASS[b]),
                        (bp[:, o], bv[:, o], ones, zeros, _BLOCK_HALF[o], _BLOCK_MASS[o]),
                    )
        reward = np.full(areas, penalty)
        for b in range(_NUM_BLOCKS):  # the goal is a trigger: a block entering it scores and is disabled
            scored = active[:, b] & (bp[:, b, 2] - _BLOCK_HALF[b, 2] <= goal_front)
            active[scored, b] = False
            reward[scored] += _BLOCK_VALUE[b]
            bp[scored, b, 1] = parked
            bv[scored, b, 0] = 0.0
            bv[scored, b, 2] = 0.0
        self._step_reward[:] = reward
        self._step_done[:] = ~active.any(axis=1)

    # --- CollectObservations ---

    def _observe(self, idx: np.ndarray | None) -> tuple[np.ndarray, ...]:
        sel = slice(None) if idx is None else idx
        area = self._area_of[sel]
        position = self.agent_position[sel]
        yaw = self.agent_yaw[sel]
        agents = self.agent_position.reshape(self.num_areas, AGENTS_PER_AREA, 3)[area]
        agents_yaw = self.agent_yaw.reshape(self.num_areas, AGENTS_PER_AREA)[area]
        out = []
        for sensor in self.sensors:
            colliders = self._colliders[sensor.settings.name].of_agents(idx)
            colliders.box_center[:, _BLOCK_ROWS] = self.block_position[area]
            colliders.box_center[:, _AGENT_ROWS] = agents
            colliders.box_yaw[:, _AGENT_ROWS] = agents_yaw
            out.append(
                sensor.observe(position, yaw, colliders, idx, compiled=None if self.compiled else False)
            )
        return tuple(out)

    # --- heuristic ---

    def heuristic(self, batch: StepBatch) -> ActionTuple:
        """Scripted team from the true positions: all three push the active block nearest the goal together.

        Each member takes a lane behind the block (left, centre, right of its width), gets there passing
        beside the block, faces -z and pushes, strafing to hold its lane; close to a waypoint it coasts.
        """
        areas = self.num_areas
        front = np.where(self.block_active, self.block_position[:, :, 2] - _BLOCK_HALF[None, :, 2], np.inf)
        target = np.argmin(front, axis=1)  # (areas,)
        rows = np.arange(areas)
        b = self.block_position[rows, target][:, [0, 2]][self._area_of]  # (n, 2)
        hx = _BLOCK_HALF[target, 0][self._area_of]
        hz = _BLOCK_HALF[target, 2][self._area_of]
        # lanes at least an agent's width apart, so the pushers do not shove each other off line
        lane = (np.arange(self.num_agents) % AGENTS_PER_AREA - 1) * np.maximum(0.6 * hx, 1.15)
        a = self.agent_position[:, [0, 2]]
        dx = a[:, 0] - (b[:, 0] + lane)
        aligned = (np.abs(dx) < 0.5) & (a[:, 1] > b[:, 1] + hz - 0.2)
        blocked = (a[:, 1] < b[:, 1] + hz + 0.7) & (np.abs(a[:, 0] - b[:, 0]) < hx + 0.9)
        side = np.where(a[:, 0] - b[:, 0] >= 0.0, 1.0, -1.0)
        goal = np.stack([b[:, 0] + lane, b[:, 1] + hz + 1.2], axis=1)
        goal[blocked, 0] = b[blocked, 0] + side[blocked] * (hx[blocked] + 1.5)
        goal[blocked, 1] = np.maximum(a[blocked, 1], b[blocked, 1]) + 1.0
        to = goal - a
        distance = np.hypot(to[:, 0], to[:, 1])
        want = np.where(aligned, 180.0, np.degrees(np.arctan2(to[:, 0], to[:, 1])))
        error = (want - self.agent_yaw + 180.0) % 360.0 - 180.0
        speed = np.hypot(self.agent_velocity[:, 0], self.agent_velocity[:, 2])
        action = np.where(distance > 0.15 * speed + 0.3, 1, 0)
        # facing -z the agent's right is -x: strafe right (6) when it sits at +x of its lane
        action = np.where(
            aligned & (np.abs(dx) > 0.3), np.where(dx > 0.0, 6, 5), np.where(aligned, 1, action)
        )
        action = np.where(error > 10.0, 3, np.where(error < -10.0, 4, action))
        return ActionTuple(np.zeros((self.num_agents, 0), np.float32), action[:, None].astype(np.int32))


# --- NumPy reference pieces (per body pair, vectorized over areas; see sim.kernels.pushblock_collab) ---


def _np_body(p: np.ndarray, v: np.ndarray, on: np.ndarray, drag: float, decel: float, dt: float) -> None:
    damp = min(max(1.0 - drag * dt, 0.0), 1.0)
    vx, vz = v[:, 0] * damp, v[:, 2] * damp
    speed = np.hypot(vx, vz)
    slow = np.where(speed > 0.0, np.maximum(speed - decel, 0.0) / np.where(speed > 0.0, speed, 1.0), 1.0)
    vx, vz = vx * slow, vz * slow
    v[:, 0] = np.where(on, vx, v[:, 0])
    v[:, 2] = np.where(on, vz, v[:, 2])
    p[:, 0] = np.where(on, p[:, 0] + vx * dt, p[:, 0])
    p[:, 2] = np.where(on, p[:, 2] + vz * dt, p[:, 2])


def _np_walls(p: np.ndarray, v: np.ndarray, on: np.ndarray, ex, ez, arena: float) -> None:
    for axis, reach in ((0, ex), (2, ez)):
        clamp_into(p[:, axis], v[:, axis], -arena + reach, arena - reach, on)
