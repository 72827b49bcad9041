"""ML-Agents' Hallway example: remember the cue (an O or an X block), then touch the matching goal.

Facts and their sources are tabled in ``docs/simulator.md`` ("Hallway"); in short
(``Examples/Hallway/Scripts/HallwayAgent.cs``, ``Prefabs/SymbolFinderArea.prefab``, ``Scenes/Hallway.unity``):

- Arena (area frame): ground top at y = 0.5, walls (tag ``wall``) with inner faces at x = +-9.5 and
  z = +-24.75. The cue block (4 x 4 x 1, tag ``symbol_O`` or ``symbol_X``) stands at z = U(-5, 5); the O
  block at x = U(-3, 3), the X block at x = 0 (plus the ground's 0.015 offset); the other block is parked at
  y = -1000. Two goals at x = +-7 (which one is O is drawn per episode), each a 4 x 0.1 x 4 pad at z = 22.29
  (top 0.55) and a 4.08 x 4.01 x 1.14 sign against the far wall, both tagged ``symbol_O_Goal`` /
  ``symbol_X_Goal``.
- Agent: unit cube, mass 25, drag 2, rotation about x and z frozen; one branch of 5: 0 nothing, 1 forward,
  2 back (``AddForce(dir * agentRunSpeed (1.5), VelocityChange)`` on every physics step), 3 turn right,
  4 turn left (``transform.Rotate`` by 150 x 0.02 = 3 degrees per physics step). ``AddReward(-1 / MaxStep)``
  per physics step; touching the matching goal ``SetReward(1)``, the other ``SetReward(-0.1)``, then
  ``EndEpisode``. MaxStep 3000, decision period 6.
- Episode start: the agent at (U(-3, 3), 1.5, -15 + U(-5, 5)) turned U(0, 360) degrees, velocity zeroed;
  it drops onto the ground (gravity 9.81 x 2, ``gravityMultiplier``).
- Sensors (sorted by name): the ``RayPerceptionSensor`` (tags symbol_O_Goal, symbol_X_Goal, symbol_O,
  symbol_X, wall; 2 rays per direction over 70 degrees; sphere radius 0.5; length 12; 3 stacks) is
  ``obs_0 [105]``; the vector observation ``StepCount / MaxStep`` stacked 3 times is ``obs_1 [3]``.

Physics approximates PhysX as PushBlock's does (``docs/simulator.md``): velocity change, gravity, damping
``v *= 1 - drag * dt``, ground friction removing up to ``mu g dt`` of horizontal speed (PhysX's default
material on both bodies: mu = 0.6), semi-implicit positions, then contacts without bounce: the walls and the
static boxes (cue block, goal pads and signs) push the agent (a square turned by its yaw) out along the axis
of least penetration and stop its motion into them. A goal counts as touched within 0.001.
"""

from __future__ import annotations

import numpy as np

from ...spaces import ActionSpec, ActionTuple, BehaviorSignature, ObservationSpec, StepBatch
from ..ray_perception import Colliders, RayPerceptionSensor, RayPerceptionSettings
from ..stacking import ObservationStack
from ._common import AcademySettings, HandWrittenTask, StackedObservations
from ._contact import clamp_into, fall_and_slide, least_penetration, square_box_overlaps

MAX_STEP = 3000
DECISION_PERIOD = 6
DEFAULT_NUM_AGENTS = 16
"""The upstream scene has 16 areas."""
RUN_SPEED = 1.5
"""``HallwaySettings.agentRunSpeed`` (velocity change per physics step)."""
TURN_DEGREES = 3.0
"""``Time.deltaTime * 150`` degrees per physics step (``fixedDeltaTime`` 0.02)."""
GRAVITY = 9.81 * 2.0
"""``ProjectSettingsOverrides.gravityMultiplier`` 2 in ``Hallway.unity``."""
AGENT_DRAG = 2.0
AGENT_HALF = 0.5
FRICTION = 0.6
"""PhysX's default material on the agent and the ground (neither sets one); averaged: 0.6."""
GROUND_TOP = 0.5
REST_SINK = 0.01
"""How far a resting agent sits into the ground, as in PushBlock (PhysX keeps resting contacts within its
0.01 contact offset); the ray spheres then start inside the ground, which they ignore."""
REST_Y = GROUND_TOP + AGENT_HALF - REST_SINK
HALF_X = 9.5
"""Inner faces of the side walls (``Wall`` at x = +-9.75, 0.5 thick)."""
HALF_Z = 24.75
"""Inner faces of the end walls (at z = +-25, 0.5 thick)."""
GROUND_X = 0.015
"""``ground.transform.position.x``: spawns are relative to it."""
SPAWN_Y = 1.0 + GROUND_TOP
AGENT_Z = -15.0
SYMBOL_Y = 2.0 + GROUND_TOP
HIDDEN_Y = -1000.0
GOAL_X = 7.0
GOAL_Z = 22.29
SYMBOL_HALF = (2.0, 2.0, 0.5)
"""The cue block: a unit cube scaled (4, 4, 1)."""
PAD_HALF = (2.0, 0.05, 2.0)
"""The goal pad: a unit cube scaled (4, 0.1, 4) at y = 0.5."""
SIGN_HALF = (4 * 1.0202925 / 2, 0.1 * 40.1236 / 2, 4 * 0.286225 / 2)
"""The goal's sign (child ``Symbol_O``/``Symbol_X``): local scale (1.0202925, 40.1236, 0.286225) under the
pad's (4, 0.1, 4)."""
SIGN_OFFSET = (0.0, 20 * 0.1, 0.625 * 4)
"""The sign's local position (0, 20, 0.625) scaled by the pad's (4, 0.1, 4)."""
CORRECT_REWARD = 1.0
WRONG_REWARD = -0.1
TOUCH = 1e-3

TAGS = ("symbol_O_Goal", "symbol_X_Goal", "symbol_O", "symbol_X", "wall")
SENSOR = RayPerceptionSettings(
    TAGS,
    rays_per_direction=2,
    max_ray_degrees=70.0,
    sphere_cast_radius=0.5,
    ray_length=12.0,
    observation_stacks=3,
    name="RayPerceptionSensor",
)
VECTOR_STACKS = 3

SIGNATURE = BehaviorSignature(
    name="Hallway",
    observation_specs=(
        ObservationSpec((SENSOR.observation_size,), "StackingSensor_size3_RayPerceptionSensor"),
        ObservationSpec((VECTOR_STACKS,), "StackingSensor_size3_VectorSensor_size1"),
    ),
    action_spec=ActionSpec(discrete_branches=(5,)),
)

# Collider rows (the ray sensor's and the agent's): 4 walls and the ground (static), then per area the O
# block, the X block (one of them parked 1000 below), the O pad, the O sign, the X pad and the X sign.
_WALL_CENTRES = np.array([[-9.75, 1.5, 0.0], [9.75, 1.5, 0.0], [0.0, 1.5, -25.0], [0.0, 1.5, 25.0]])
_WALL_HALVES = np.array([[0.25, 2.0, 25.0], [0.25, 2.0, 25.0], [10.0, 2.0, 0.25], [10.0, 2.0, 0.25]])
_GROUND_CENTRE = np.array([0.0, 0.0, 0.0])
_GROUND_HALF = np.array([10.0, 0.5, 25.0])
_OBJECT_TAGS = (
    ["wall"] * 4 + ["ground", "symbol_O", "symbol_X"] + ["symbol_O_Goal"] * 2 + ["symbol_X_Goal"] * 2
)
FIRST_BOX = 5
"""First collider row the agent collides with as a box (the walls are planes, the ground is the floor)."""
GOAL_OWNER = np.array([-1] * 7 + [0, 0, 1, 1])
"""Per collider row, the symbol it is the goal of (0: O, 1: X; -1: not a goal)."""

# Per action: velocity change along the agent's forward (x the run speed), then degrees of yaw.
_MOVES = np.array([[0.0, 1.0, -1.0, 0.0, 0.0], [0.0, 0.0, 0.0, TURN_DEGREES, -TURN_DEGREES]])


class HallwayEnv(StackedObservations, HandWrittenTask):
    """Vectorized Hallway: one agent, cue and two goals per area, in each area's own frame.

    Attributes:
        agent_position: ``(n, 3)`` agent centres (a view of the packed state the kernel updates).
        agent_velocity: ``(n, 3)``.
        agent_yaw: ``(n,)`` degrees about +y (0 faces +z, towards the goals).
        selection: ``(n,)`` the cue of the episode (0: O, 1: X; ``m_Selection``).
        symbol_position: ``(n, 3)`` the visible cue block's centre.
        goal_x: ``(n, 2)`` x of the O goal and of the X goal (one is +7, the other -7).
        colliders: the boxes rays hit and the agent bumps into (rows: see ``FIRST_BOX``).
        sensor: the ray sensor; ``vector_stack`` the stacked ``StepCount / MaxStep``.

    """

    task_name = "Hallway"
    has_kernel = True
    """A compiled decision (``sim.kernels.hallway``: physics steps, MaxStep, casts and stacks in one call);
    ``compiled = False`` runs the NumPy reference."""

    academy = AcademySettings(SIGNATURE, DECISION_PERIOD, MAX_STEP, DEFAULT_NUM_AGENTS)

    def _build(self) -> None:
        n = self.num_agents
        # position, velocity, yaw packed in one array so one kernel argument carries them
        self._state = np.zeros((n, 7))
        self.agent_position = self._state[:, 0:3]
        self.agent_velocity = self._state[:, 3:6]
        self.agent_yaw = self._state[:, 6]
        self.selection = np.zeros(n, dtype=np.int64)
        self.symbol_position = np.zeros((n, 3))
        self.goal_x = np.tile([GOAL_X, -GOAL_X], (n, 1))
        self._constants = np.array(
            [
                RUN_SPEED,
                GRAVITY,
                self.physics_dt,
                AGENT_DRAG,
                AGENT_HALF,
                REST_Y,
                FRICTION,
                HALF_X,
                HALF_Z,
                1.0 / MAX_STEP,
                CORRECT_REWARD,
                WRONG_REWARD,
                TOUCH,
                FIRST_BOX,
                MAX_STEP,
                DECISION_PERIOD,
                len(TAGS),
            ]
        )
        self.sensor = RayPerceptionSensor(SENSOR, n)
        self.vector_stack = ObservationStack(n, 1, VECTOR_STACKS)
        self.stacks = (self.sensor, self.vector_stack)
        self._frame = np.zeros((n, SENSOR.frame_size), dtype=np.float32)  # the kernel's scratch
        self._all_allowed = np.ones((n, 5), dtype=bool)
        self._all_allowed.flags.writeable = False
        self._kernel_head: tuple[np.ndarray, ...] | None = None
        layout = self.sensor.layout
        self._layout = np.ascontiguousarray(
            np.concatenate(
                [layout.start, layout.direction, layout.length[:, None], layout.radius[:, None]], 1
            )
        )
        centres = np.concatenate([_WALL_CENTRES, [_GROUND_CENTRE], np.zeros((6, 3))])
        centres[FIRST_BOX:, 1] = HIDDEN_Y
        halves = np.concatenate(
            [_WALL_HALVES, [_GROUND_HALF, SYMBOL_HALF, SYMBOL_HALF, PAD_HALF, SIGN_HALF, PAD_HALF, SIGN_HALF]]
        )
        self.colliders = Colliders.build(
            n, boxes=(centres, halves, np.zeros(len(_OBJECT_TAGS)), SENSOR.tag_indices(_OBJECT_TAGS))
        )

    # --- the stacks' history follows the observations handed out ---

    commits_each_step = False

    def _collect(self, any_ended: bool) -> StepBatch:
        # The NumPy path's decision ends here: the stacks take in the decision's frame. (The compiled
        # decision keeps the stacks' history itself and commits restarted agents in ``_restart``.)
        batch = super()._collect(any_ended)
        self._commit(batch)
        return batch

    def _restart(self, idx: np.ndarray, obs: tuple[np.ndarray, ...]) -> None:
        super()._restart(idx, obs)  # only the compiled decision restarts here
        self.sensor.stack.history[idx] = obs[0][idx]
        self.vector_stack.history[idx] = obs[1][idx]

    def _action_mask(self) -> np.ndarray:
        # Hallway masks nothing: one read-only all-True mask serves every batch (no allocation per step).
        return self._all_allowed

    # --- OnEpisodeBegin ---

    def _begin_episodes(self, idx: np.ndarray) -> None:
        k = idx.size
        rng = self._rng
        # Draws in OnEpisodeBegin's order: selection, the two blocks, the agent, the goals.
        selection = rng.integers(0, 2, k)
        o_x = rng.uniform(-3.0, 3.0, k)
        o_z = rng.uniform(-5.0, 5.0, k)
        x_z = rng.uniform(-5.0, 5.0, k)
        agent = rng.uniform([-3.0, -5.0], [3.0, 5.0], (k, 2))
        yaw = rng.uniform(0.0, 360.0, k)
        goal_swap = rng.integers(0, 2, k)
        is_o = selection == 0
        self.selection[idx] = selection
        self.symbol_position[idx, 0] = GROUND_X + np.where(is_o, o_x, 0.0)
        self.symbol_position[idx, 1] = SYMBOL_Y
        self.symbol_position[idx, 2] = np.where(is_o, o_z, x_z)
        self.agent_position[idx, 0] = GROUND_X + agent[:, 0]
        self.agent_position[idx, 1] = SPAWN_Y
        self.agent_position[idx, 2] = AGENT_Z + agent[:, 1]
        self.agent_velocity[idx] = 0.0
        self.agent_yaw[idx] = yaw
        # goalPos 0: the O goal at +7 and the X goal at -7; 1: swapped.
        o_goal = np.where(goal_swap == 0, GOAL_X, -GOAL_X)
        self.goal_x[idx, 0] = o_goal
        self.goal_x[idx, 1] = -o_goal
        # The colliders: the cue where it stands, the other block 1000 below (as OnEpisodeBegin parks it).
        centres = self.colliders.box_center
        parked = self.symbol_position[idx].copy()
        parked[:, 1] = HIDDEN_Y
        centres[idx, FIRST_BOX] = np.where(is_o[:, None], self.symbol_position[idx], parked)
        centres[idx, FIRST_BOX + 1] = np.where(is_o[:, None], parked, self.symbol_position[idx])
        for row, owner in ((FIRST_BOX + 2, 0), (FIRST_BOX + 4, 1)):
            pad = np.stack([self.goal_x[idx, owner], np.full(k, GROUND_TOP), np.full(k, GOAL_Z)], axis=1)
            centres[idx, row] = pad
            centres[idx, row + 1] = pad + np.asarray(SIGN_OFFSET)
        self.sensor.reset(idx)
        self.vector_stack.clear(idx)

    # --- OnActionReceived + physics ---

    def _kernel_decision(
        self,
        reward: np.ndarray,
        flags: np.ndarray,
        obs: tuple[np.ndarray, ...],
        ended: np.ndarray,
    ) -> int | None:
        head = self._kernel_head
        if head is None:  # the arrays are only ever updated in place: gather them once
            c = self.colliders
            head = self._kernel_head = (
                self._disc,
                _MOVES,
                self._state,
                self.selection,
                c.box_center,
                c.box_half,
                c.box_yaw,
                c.box_tag,
                GOAL_OWNER,
                self._layout,
                self._constants,
                self.agent_step_count,
                self.sensor.stack.history,
                self.vector_stack.history,
            )
        return self._kernels.hallway_decision(*head, reward, flags, obs[0], obs[1], ended, self._frame)

    def _physics_step(self) -> None:
        dt = self.physics_dt
        action = self._disc[:, 0]
        # MoveAgent: the direction is taken before the turn (they never happen together).
        theta = np.radians(self.agent_yaw)
        push = RUN_SPEED * _MOVES[0, action]
        self.agent_velocity[:, 0] += push * np.sin(theta)
        self.agent_velocity[:, 2] += push * np.cos(theta)
        self.agent_yaw[:] = np.mod(self.agent_yaw + _MOVES[1, action], 360.0)
        self._reward -= np.float32(1.0 / MAX_STEP)

        fall_and_slide(self.agent_position, self.agent_velocity, REST_Y, AGENT_DRAG, FRICTION, GRAVITY, dt)

        theta = np.radians(self.agent_yaw)
        cos, sin = np.cos(theta), np.sin(theta)
        touched = np.full(self.num_agents, -1, dtype=np.int64)
        for _ in range(2):  # a corner between the cue block and a wall settles in two passes
            self._walls(cos, sin)
            pushed = False
            for row in range(FIRST_BOX, len(_OBJECT_TAGS)):
                hit, moved = self._push_out(row, cos, sin)
                pushed |= moved
                if GOAL_OWNER[row] >= 0:
                    touched = np.where(hit & (touched < 0), GOAL_OWNER[row], touched)
            if not pushed:
                break  # nothing moved: another pass (walls, boxes) would find the same
        self._walls(cos, sin)
        done = touched >= 0
        correct = done & (touched == self.selection)
        np.copyto(self._done_now, done)
        np.copyto(self._success_now, correct)
        # SetReward overwrites what the decision has gathered so far.
        reward = np.where(correct, CORRECT_REWARD, WRONG_REWARD).astype(np.float32)
        self._reward[:] = np.where(done, reward, self._reward)

    def _walls(self, cos: np.ndarray, sin: np.ndarray) -> None:
        """Keep each agent (a turned square) inside the walls; stop its motion into them."""
        extent = AGENT_HALF * (np.abs(cos) + np.abs(sin))
        p, v = self.agent_position, self.agent_velocity
        for axis, half in ((0, HALF_X), (2, HALF_Z)):
            clamp_into(p[:, axis], v[:, axis], -half + extent, half - extent)

    def _push_out(self, row: int, cos: np.ndarray, sin: np.ndarray) -> tuple[np.ndarray, bool]:
        """Separate each agent from collider ``row`` (an upright box) along the axis of least penetration.

        Returns:
            ``(n,)`` True where the agent touches the box (within ``TOUCH``), and whether any agent moved.

        """
        centre = self.colliders.box_center[:, row]
        hx, hy, hz = self.colliders.box_half[0, row]
        d = self.agent_position[:, 0::2] - centre[:, 0::2]  # box -> agent
        # Heights: the pads are 0.1 thick (the agent's bottom is below their top); the parked block is far.
        vertical = np.abs(self.agent_position[:, 1] - centre[:, 1]) < hy + AGENT_HALF
        # The agent reaches at most half a diagonal along a world axis: far boxes fail that axis at once.
        diagonal = AGENT_HALF * np.sqrt(2.0) + TOUCH
        near = vertical & (np.abs(d[:, 0]) < hx + diagonal) & (np.abs(d[:, 1]) < hz + diagonal)
        if not near.any():
            return near, False
        axes, separation, overlap = square_box_overlaps(d, cos, sin, AGENT_HALF, hx, hz)
        touch = (overlap > -TOUCH).all(axis=1) & vertical
        hit = (overlap > 0.0).all(axis=1) & vertical
        if hit.any():
            depth, normal = least_penetration(axes, separation, overlap, hit)
            self.agent_position[:, 0::2] += normal * depth[:, None]
            into = (self.agent_velocity[:, 0::2] * normal).sum(axis=1)
            stop = np.where(hit & (into < 0.0), into, 0.0)
            self.agent_velocity[:, 0::2] -= normal * stop[:, None]
        return touch, bool(hit.any())

    # --- CollectObservations ---

    def _observe(self, idx: np.ndarray | None) -> tuple[np.ndarray, ...]:
        sel = slice(None) if idx is None else idx
        colliders = self.colliders.of_agents(idx)
        compiled = None if self.compiled else False
        rays = self.sensor.observe(
            self.agent_position[sel], self.agent_yaw[sel], colliders, idx, compiled=compiled
        )
        progress = (self.agent_step_count[sel] / float(MAX_STEP)).astype(np.float32)[:, None]
        return rays, self.vector_stack.stacked(progress, idx)

    # --- heuristic ---

    def heuristic(self, batch: StepBatch) -> ActionTuple:
        """Scripted finder from the true state: pass beside the cue (seeing it), then run to its goal.

        While the agent is short of the cue block it heads for a point 4 beside it on the wider side; past
        it, for the middle of the goal pad that matches the cue. It turns when its heading is more than 12
        degrees off and runs forward otherwise.
        """
        a = self.agent_position[:, 0::2]
        s = self.symbol_position[:, 0::2]
        before = a[:, 1] < s[:, 1] + 1.5
        side = np.where(s[:, 0] >= 0.0, -1.0, 1.0)  # pass on the wider side of the corridor
        target = np.stack(
            [
                np.where(
                    before, s[:, 0] + side * 4.5, self.goal_x[np.arange(self.num_agents), self.selection]
                ),
                np.where(before, s[:, 1] + 2.0, GOAL_Z),
            ],
            axis=1,
        )
        to = target - a
        want = np.degrees(np.arctan2(to[:, 0], to[:, 1]))  # 0 faces +z, 90 faces +x
        error = (want - self.agent_yaw + 180.0) % 360.0 - 180.0
        action = np.where(error > 12.0, 3, np.where(error < -12.0, 4, 1))
        return ActionTuple(np.zeros((self.num_agents, 0), np.float32), action[:, None].astype(np.int32))
