"""The simulator of platform worlds (``agent.platform``): ML-Agents' 3DBall family built from a world file.

A platform world's scene is one box per area, tilted about its local z and x by the ``tilt_z``/``tilt_x``
actions on every physics step, with one ball on it. Its physics is the hand-written 3DBall's
(``sim.tasks.ball3d``, the reference; ``tests/sim/test_world_ball.py`` steps both from the same state): the
ball falls freely until it touches the top face, then rolls without slipping at 5/7 of gravity's component
along the face, losing its velocity into the face (PhysX's default bounciness 0). The world supplies every
number: tilt per action, rotation limit, platform size, drop height, spawn area, fall distances, rewards, the
env parameters (``entities.<ball>.body.mass``, ``entities.<ball>.size.x``, ``arena.gravity``).

Rewards follow ``SetReward``: ``alive`` sets the reward at every physics step and ``falls_off`` overwrites it,
so a decision earns the last step's value (3DBall: 0.1 per decision, -1 at the fall). Surviving to MaxStep
counts as a success when the world has an ``alive`` event (3DBall is a survival task).

A decision runs in ``sim.kernels.world_platform.platform_decision`` (``compiled``) or in the NumPy twin below,
operation for operation the same. Both write a frame per agent (rotation z and x, ball minus platform, ball
velocity); each sensor's observation is its items' columns of the frame, stacked as ML-Agents'
``StackingSensor`` stacks them (``sim.stacking``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from ..errors import SpecError
from ..spaces import ActionTuple, StepBatch
from ..world.model import (
    ContinuousAction,
    EndKind,
    EntityKind,
    EventKind,
    Sampler,
    VectorItemKind,
    VectorSensor,
    World,
)
from .core import SimEnv
from .engine_config import EngineConfig
from .stacking import ObservationStack
from .world_env import ordered_sensors, world_signature

DEFAULT_PLATFORMS = 12
"""Areas when the caller names none: the upstream 3DBall scene has 12 platforms."""
ROLLING_FACTOR = 5.0 / 7.0
"""Acceleration of a solid sphere rolling without slipping (I = 2/5 m r^2) as a fraction of the slope's
gravity component."""
CONTACT_TOLERANCE = 1e-3
"""Height above the resting height within which the ball still counts as touching the face."""

# frame columns of each item (``PlatformWorldEnv`` docstring)
_ITEM_COLUMNS: dict[VectorItemKind, tuple[int, ...]] = {
    VectorItemKind.PLATFORM_ROTATION: (0, 1),
    VectorItemKind.OFFSET_TO: (2, 3, 4),
    VectorItemKind.VELOCITY_OF: (5, 6, 7),
}
_FRAME = 8
# env parameter targets a platform world reads: the row of the episode's values they set
_TARGETS = {"body.mass": 0, "size.x": 1, "arena.gravity": 2}
# setup rows and fall outcomes, as sim.kernels.world_platform numbers them (the NumPy twin runs without numba)
_HALF_ANGLE, _LIMIT, _HALF_EXTENT, _FALL_DISTANCE, _FALL_DEPTH, _DT, _TOLERANCE, _ROLLING = range(8)
_FALL_CONTINUES, _FALL_TERMINATES, _FALL_INTERRUPTS = 0, 1, 2
_FALL_OUTCOME = {
    EndKind.NONE: _FALL_CONTINUES,
    EndKind.TERMINATED: _FALL_TERMINATES,
    EndKind.INTERRUPTED: _FALL_INTERRUPTS,
}


def _target(path: str, ball: str) -> str:
    """Return the ``_TARGETS`` key of an ``applies_to`` path (``entities.<ball>.`` dropped)."""
    return path if path.startswith("arena.") else path.removeprefix(f"entities.{ball}.")


def platform_unsupported(world: World) -> list[str]:
    """List what a valid platform world uses that this simulator does not run, as field paths.

    Args:
        world: a validated world whose agent is a platform.

    Returns:
        One line per unsupported feature; empty when ``PlatformWorldEnv`` runs the world as written.

    """
    out = []
    balls = [e for e in world.entities if e.kind is EntityKind.BALL]
    if sum(e.count for e in balls) != 1:
        out.append(f"entities: one ball per platform (got {sum(e.count for e in balls)})")
    for i, p in enumerate(world.env_parameters):
        out += [
            f"env_parameters[{i}].applies_to[{j}]: {path} (a platform world reads a ball's body.mass and "
            "size.x, and arena.gravity)"
            for j, path in enumerate(p.applies_to)
            if len(balls) == 1 and _target(path, balls[0].name) not in _TARGETS
        ]
    return out


class PlatformWorldEnv(SimEnv):
    """A platform world: one tilting platform and its ball per area, ``num_agents`` areas side by side.

    State is component-first (``(4, n)`` quaternions, ``(3, n)`` vectors) as in ``sim.tasks.ball3d``.

    Attributes:
        world: the world.
        rotation: ``(n, 4)`` platform rotations (x, y, z, w) in Unity's axes (a view of the state).
        ball_position: ``(n, 3)`` ball position relative to the platform centre.
        ball_velocity: ``(n, 3)`` ball velocity.
        ball_mass: ``(n,)`` this episode's ball mass (rolling without slipping does not depend on it; kept for
            what reads the scene, as Unity keeps ``Rigidbody.mass``).
        ball_radius: ``(n,)`` this episode's ball radius.
        gravity: ``(n,)`` this episode's gravity.
        sensors: the vector sensors in observation order.

    """

    has_kernel = True

    def __init__(
        self,
        world: World,
        num_agents: int = DEFAULT_PLATFORMS,
        *,
        seed: int | None = None,
        engine: EngineConfig | None = None,
    ) -> None:
        platform = world.agent.platform
        if platform is None:
            raise SpecError(f"world '{world.name}': agent.platform is not set (not a platform world)")
        missing = platform_unsupported(world)
        if missing:
            raise SpecError(f"world '{world.name}': the simulator does not run yet: {'; '.join(missing)}")
        balls = [e for e in world.entities if e.kind is EntityKind.BALL]
        self.task_name = world.name
        self.world = world
        super().__init__(
            world_signature(world),
            num_agents,
            decision_period=world.decision_period,
            max_step=world.max_step,
            env_parameter_defaults={p.name: p.default for p in world.env_parameters},
            seed=seed,
            engine=engine,
        )
        ball = balls[0]
        self._compile_parameters(world, ball.name)
        self._base_values = np.array(
            [ball.body.mass if ball.body else 1.0, ball.size[0], world.arena.gravity]
        )
        area = ball.spawn.area or (ball.spawn.at, ball.spawn.at)  # validated: one of them is set
        (x0, z0), (x1, z1) = area  # type: ignore[misc]
        self._spawn = np.array([platform.start_tilt, x0, x1, z0, z1], dtype=np.float64)
        self._drop = float(platform.drop_height)
        self._setup = np.zeros(8)
        self._setup[_HALF_ANGLE] = math.pi / 180.0 * (platform.degrees_per_action / 2.0)
        self._setup[_LIMIT] = platform.max_rotation
        self._setup[_HALF_EXTENT] = platform.size / 2.0
        self._setup[_FALL_DISTANCE] = platform.fall_distance
        self._setup[_FALL_DEPTH] = platform.fall_depth
        self._setup[_DT] = self.physics_dt
        self._setup[_TOLERANCE] = CONTACT_TOLERANCE
        self._setup[_ROLLING] = ROLLING_FACTOR
        self._compile_rewards(world)
        actions = world.agent.actions.continuous
        self._tilt_columns = np.array(
            [
                actions.index(a) if a in actions else -1
                for a in (ContinuousAction.TILT_Z, ContinuousAction.TILT_X)
            ],
            dtype=np.int64,
        )
        self._compile_sensors(world)
        self._build()

    # --- compile the world ---

    def _compile_parameters(self, world: World, ball: str) -> None:
        """Map each env parameter to the rows of the episode's values (mass, diameter, gravity) it sets."""
        self._samplers = {p.name: p for p in world.env_parameters}
        self._parameter_rows = [
            (p.name, tuple(_TARGETS[_target(path, ball)] for path in p.applies_to))
            for p in world.env_parameters
        ]

    def _compile_rewards(self, world: World) -> None:
        alive = [r for r in world.rewards if r.event is EventKind.ALIVE]
        falls = [r for r in world.rewards if r.event is EventKind.FALLS_OFF]
        if len(alive) > 1 or len(falls) > 1:
            raise SpecError(f"world '{world.name}': rewards: one alive and one falls_off event at most")
        self._rewards = np.array(
            [alive[0].value if alive else 0.0, falls[0].value if falls else 0.0, 1.0 if alive else 0.0],
            dtype=np.float32,
        )
        fall = falls[0] if falls else None
        self._outcome = np.array(
            [
                _FALL_OUTCOME[fall.end] if fall else _FALL_CONTINUES,
                int(bool(fall and fall.success)),
                int(bool(alive)),
            ],
            dtype=np.int64,
        )
        self.success_on_interrupt = bool(alive)

    def _compile_sensors(self, world: World) -> None:
        self.sensors: list[VectorSensor] = ordered_sensors(world)  # type: ignore[assignment]  # validated
        self._columns = [
            np.array([c for it in s.items for c in _ITEM_COLUMNS[it.item]], dtype=np.int64)
            for s in self.sensors
        ]
        self._stacks = [
            ObservationStack(self.num_agents, len(cols), s.observation_stacks)
            if s.observation_stacks > 1
            else None
            for s, cols in zip(self.sensors, self._columns, strict=True)
        ]
        self._stacked = any(stack is not None for stack in self._stacks)
        # one unstacked sensor observing the whole frame in order (3DBall): the kernel writes it directly
        whole = len(self._columns) == 1 and np.array_equal(self._columns[0], np.arange(_FRAME))
        self._frame_is_obs = whole and not self._stacked

    def _build(self) -> None:
        n = self.num_agents
        self._q = np.zeros((4, n))
        self._q[3] = 1.0
        self._p = np.zeros((3, n))
        self._v = np.zeros((3, n))
        self.rotation = self._q.T
        self.ball_position = self._p.T
        self.ball_velocity = self._v.T
        self._body = np.zeros((3, n))
        self.ball_mass, self.ball_radius, self.gravity = self._body
        self._contact = np.zeros(n, dtype=bool)
        self._consts = np.zeros((4, n))  # g dt, rolling g dt, rest height, touch height
        self._frame = np.zeros((n, _FRAME), dtype=np.float32)
        # what the compiled episode start writes
        self._start = (self._q, self._p, self._v, self._contact, self._consts, self._body, self._drop)

    # --- environment parameters ---

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        """Set environment parameters (read at each platform's next episode start).

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

    def _episode_values(self, draws_taken: int) -> np.ndarray:
        """``(3, k)`` ball mass, ball diameter and gravity of ``draws_taken`` beginning episodes."""
        values = np.repeat(self._base_values[:, None], draws_taken, axis=1)
        for name, rows in self._parameter_rows:
            p = self._samplers[name]
            if p.sampler is Sampler.UNIFORM:
                value: np.ndarray | float = self._rng.uniform(p.low, p.high, draws_taken)
            else:
                value = self._params[name]
            for row in rows:
                values[row] = value
        return values

    # --- Academy ---

    def reset(self, *, seed: int | None = None) -> StepBatch:
        """Academy reset (``SimEnv.reset``); stacked sensors start from zero frames."""
        batch = super().reset(seed=seed)
        self._commit(batch)
        return batch

    def step(self, actions: ActionTuple) -> StepBatch:
        """One decision (``SimEnv.step``); stacked sensors take in the decision's observations."""
        batch = super().step(actions)
        if self._stacked:
            self._commit(batch)
        return batch

    def _commit(self, batch: StepBatch) -> None:
        for stack, obs in zip(self._stacks, batch.obs, strict=True):
            if stack is not None:
                stack.commit(obs)

    # --- OnEpisodeBegin ---

    def _begin_episodes(self, idx: np.ndarray) -> None:
        k = idx.size
        # Drawn in the upstream order: tilt about X, then about Z, then the ball's x and z (one call gives
        # the values and order of four Generator.uniform calls).
        draws = self._rng.random((4, k))
        values = self._episode_values(k)
        for stack in self._stacks:
            if stack is not None:
                stack.clear(idx)
        if self.compiled:
            self._kernels.platform_begin(idx, draws, values, self._spawn, self._setup, self._start)
            return
        self._begin_numpy(idx, draws, values)

    def _begin_numpy(self, idx: np.ndarray, draws: np.ndarray, values: np.ndarray) -> None:
        """Begin episodes in NumPy (the twin of ``sim.kernels.world_platform.platform_begin``)."""
        tilt, setup = self._spawn[0], self._setup
        half_x = ((-tilt + 2.0 * tilt * draws[0]) * (math.pi / 180.0)) * 0.5
        half_z = ((-tilt + 2.0 * tilt * draws[1]) * (math.pi / 180.0)) * 0.5
        c, s = np.cos(half_x), np.sin(half_x)
        x, y, z, w = 0.0 * c + 1.0 * s, 0.0 * c + 0.0 * s, 0.0 * c - 0.0 * s, 1.0 * c - 0.0 * s
        c, s = np.cos(half_z), np.sin(half_z)
        self._q[:, idx] = (x * c + y * s, y * c - x * s, z * c + w * s, w * c - z * s)
        self._p[0, idx] = self._spawn[1] + (self._spawn[2] - self._spawn[1]) * draws[2]
        self._p[1, idx] = self._drop
        self._p[2, idx] = self._spawn[3] + (self._spawn[4] - self._spawn[3]) * draws[3]
        self._v[:, idx] = 0.0
        self._contact[idx] = False
        self._body[:, idx] = (values[0], 0.5 * values[1], values[2])
        gdt = self._body[2, idx] * setup[_DT]
        self._consts[0, idx] = gdt
        self._consts[1, idx] = setup[_ROLLING] * gdt
        self._consts[2, idx] = setup[_HALF_EXTENT] + self._body[1, idx]
        self._consts[3, idx] = self._consts[2, idx] + setup[_TOLERANCE]

    def _restart(self, idx: np.ndarray, obs: tuple[np.ndarray, ...]) -> None:
        if not self.compiled:
            super()._restart(idx, obs)
            return
        # SimEnv._begin + _begin_episodes + the first frames in one kernel call (the same draws, same order)
        first = self._next_episode_id
        self._next_episode_id += idx.size
        draws = self._rng.random((4, idx.size))
        values = self._episode_values(idx.size)
        frame = obs[0] if self._frame_is_obs else self._frame
        self._kernels.platform_restart(
            idx,
            draws,
            values,
            self._spawn,
            self._setup,
            self._start,
            self.agent_step_count,
            self.episode_ids,
            first,
            frame,
        )
        if self._frame_is_obs:
            return
        rows = frame[idx]
        for buf, cols, stack in zip(obs, self._columns, self._stacks, strict=True):
            if stack is None:
                buf[idx] = rows[:, cols]
            else:
                stack.clear(idx)  # StackingSensor.Reset: the new episode starts from zero frames
                buf[idx] = stack.stacked(rows[:, cols], idx)

    # --- a decision ---

    def _kernel_decision(
        self,
        reward: np.ndarray,
        flags: np.ndarray,
        obs: tuple[np.ndarray, ...],
        ended: np.ndarray,
    ) -> int | None:
        frame = obs[0] if self._frame_is_obs else self._frame
        count = self._kernels.platform_decision(
            self._q,
            self._p,
            self._v,
            self._contact,
            self._consts,
            self._cont,
            self._tilt_columns,
            self._setup,
            self._rewards,
            self._outcome,
            self.agent_step_count,
            self.max_step,
            self.decision_period,
            reward,
            flags,
            frame,
            ended,
        )
        if not self._frame_is_obs:
            self._observe_frame(frame, None, obs)
        return count

    def _advance(self) -> None:
        self._action_terms()
        super()._advance()
        self._q /= np.sqrt((self._q * self._q).sum(axis=0))  # unit length against rounding drift

    def _action_terms(self) -> None:
        """Per-decision rotation terms (the action holds for the decision)."""
        half_angle, n = self._setup[_HALF_ANGLE], self.num_agents
        angles = np.zeros((2, n))
        for axis, column in enumerate(self._tilt_columns):
            if column >= 0:
                angles[axis] = self._cont[:, column].astype(np.float64) * half_angle
        cz, sz, cx, sx = np.cos(angles[0]), np.sin(angles[0]), np.cos(angles[1]), np.sin(angles[1])
        self._terms = (cz, sz, cx, sx, np.sign(angles[0]), np.sign(angles[1]))

    def _physics_step(self) -> None:
        """One physics step of every platform (the loop body of ``platform_decision``)."""
        cz, sz, cx, sx, sign_z, sign_x = self._terms
        qx, qy, qz, qw = self._q
        limit = self._setup[_LIMIT]
        rx, ry, rz, rw = cz * sx, sz * sx, cx * sz, cz * cx
        both = (qz * sign_z < limit) & ((qx * cz + qy * sz) * sign_x < limit)
        combined = (
            ((rw * qx + rz * qy) + (-ry) * qz) + rx * qw,
            (((-rz) * qx + rw * qy) + rx * qz) + ry * qw,
            ((ry * qx + (-rx) * qy) + rw * qz) + rz * qw,
            (((-rx) * qx + (-ry) * qy) + (-rz) * qz) + rw * qw,
        )
        # where a limit stops one turn: one turn at a time, each only below its limit
        turn_z = qz * sign_z < limit
        c, s = np.where(turn_z, cz, 1.0), np.where(turn_z, sz, 0.0)
        ax, ay, az, aw = qx * c + qy * s, qy * c + qx * (-s), qz * c + qw * s, qw * c + qz * (-s)
        turn_x = ax * sign_x < limit
        c, s = np.where(turn_x, cx, 1.0), np.where(turn_x, sx, 0.0)
        single = (ax * c + aw * s, ay * c + az * s, az * c + ay * (-s), aw * c + ax * (-s))
        for row in range(4):
            self._q[row] = np.where(both, combined[row], single[row])

        p = self._p
        fell = (np.maximum(np.abs(p[0]), np.abs(p[2])) > self._setup[_FALL_DISTANCE]) | (
            p[1] < -self._setup[_FALL_DEPTH]
        )
        alive, fall_value, has_alive = self._rewards
        if has_alive > 0:
            self._reward[...] = np.where(fell, fall_value, alive)
        else:
            self._reward[fell] = fall_value
        np.copyto(self._done_now, fell & (self._outcome[0] != _FALL_CONTINUES))
        np.copyto(self._success_now, fell & bool(self._outcome[1]))
        self._integrate()

    def _integrate(self) -> None:
        """Gravity, rolling and contact with the top face (``platform_decision``'s, vectorized)."""
        qx, qy, qz, qw = self._q
        p, v, contact, consts = self._p, self._v, self._contact, self._consts
        dt, half = self._setup[_DT], self._setup[_HALF_EXTENT]
        xx, yy, zz, ww = qx * qx, qy * qy, qz * qz, qw * qw
        xy, xz, xw, yz, yw, zw = qx * qy, qx * qz, qx * qw, qy * qz, qy * qw, qz * qw
        a00, a01, a02 = ((xx + ww) - yy) - zz, 2.0 * xy + 2.0 * zw, 2.0 * xz - 2.0 * yw
        a10, a11, a12 = 2.0 * xy - 2.0 * zw, ((yy + ww) - xx) - zz, 2.0 * yz + 2.0 * xw
        a20, a21, a22 = 2.0 * xz + 2.0 * yw, 2.0 * yz - 2.0 * xw, ((zz + ww) - xx) - yy
        roll = np.where(contact, consts[1] * a11, 0.0)
        v[0] += roll * a10
        v[1] += roll * a11
        v[2] += roll * a12
        v[1] -= np.where(contact, consts[1], consts[0])
        p += v * dt
        local_x = (a00 * p[0] + a01 * p[1]) + a02 * p[2]
        height = (a10 * p[0] + a11 * p[1]) + a12 * p[2]
        local_z = (a20 * p[0] + a21 * p[1]) + a22 * p[2]
        over_face = np.maximum(np.abs(local_x), np.abs(local_z)) <= half
        np.logical_and(over_face, (height < consts[3]) & (height > half), out=contact)
        sink = np.where(contact, np.minimum(height - consts[2], 0.0), 0.0)
        p[0] -= sink * a10
        p[1] -= sink * a11
        p[2] -= sink * a12
        into = np.where(contact, np.minimum((v[0] * a10 + v[1] * a11) + v[2] * a12, 0.0), 0.0)
        v[0] -= into * a10
        v[1] -= into * a11
        v[2] -= into * a12

    def _end_flagged(self) -> None:
        """End the episodes a fall ended: terminated, or interrupted when ``falls_off`` says so."""
        if self._done_now.any():
            new = np.flatnonzero(self._done_now & ~self._ended)
            if new.size:
                self._end(new, terminated=self._outcome[0] == _FALL_TERMINATES)
                if self._outcome[0] == _FALL_INTERRUPTS:  # success as the falls_off event says, not MaxStep's
                    self._success[new] = bool(self._outcome[1])

    # --- CollectObservations ---

    def state_frame(self, idx: np.ndarray | None = None) -> np.ndarray:
        """Return the true state of platforms ``idx`` (None: all) as 3DBall's frame, ``(k, 8)`` float32.

        Columns: rotation z, x; ball minus platform; ball velocity (what a scripted ``Heuristic`` in the scene
        reads, whatever the sensors observe).
        """
        sel = slice(None) if idx is None else idx
        frame = np.empty((self._q[:, sel].shape[1], _FRAME), dtype=np.float32)
        frame[:, 0] = self._q[2, sel]
        frame[:, 1] = self._q[0, sel]
        frame[:, 2:5] = self._p[:, sel].T
        frame[:, 5:8] = self._v[:, sel].T
        return frame

    @property
    def platform_half_extent(self) -> float:
        """Half the platform's side (its top face's height above the centre along the normal)."""
        return float(self._setup[_HALF_EXTENT])

    @property
    def tilt_columns(self) -> tuple[int, int]:
        """The action columns of ``tilt_z`` and ``tilt_x`` (-1: the world has no such action)."""
        return int(self._tilt_columns[0]), int(self._tilt_columns[1])

    def _observe(self, idx: np.ndarray | None) -> tuple[np.ndarray, ...]:
        frame = self.state_frame(idx)
        out = tuple(
            np.empty((frame.shape[0], *spec.shape), np.float32) for spec in self.signature.observation_specs
        )
        self._observe_frame(frame, idx, out)
        return out

    def _observe_frame(self, frame: np.ndarray, idx: np.ndarray | None, out: tuple[np.ndarray, ...]) -> None:
        """Write each sensor's observation of ``frame`` (agents ``idx``, None: all) into ``out``'s rows."""
        for buf, cols, stack in zip(out, self._columns, self._stacks, strict=True):
            if stack is None:
                np.take(frame, cols, axis=1, out=buf)
            else:
                stack.stacked(frame[:, cols], idx, out=buf)
