"""ML-Agents' 3DBall example: tilt a platform to keep a ball on it.

Facts (upstream ``Project/Assets/ML-Agents/Examples/3DBall/Scripts/Ball3DAgent.cs``):

- Observations [8]: platform rotation quaternion ``.z`` and ``.x`` (Unity's x, y-up, z components), ball
  position minus platform position (world axes), ball rigidbody velocity.
- Actions: 2 continuous, applied on every physics step with the last decision: ``actionZ = 2*clamp(a0)``
  degrees about the platform's local Z, only while ``rotation.z < 0.25`` (for positive) / ``> -0.25`` (for
  negative), then ``actionX = 2*clamp(a1)`` about local X likewise with ``rotation.x``. Unity's
  ``Transform.Rotate`` in local space composes ``q <- q * AngleAxis(deg, axis)``.
- Reward: ``SetReward(-1)`` and ``EndEpisode`` when the ball is 2 below or 3 sideways of the platform centre,
  else ``SetReward(0.1)``; ``SetReward`` overwrites, so a decision earns 0.1 and a full episode
  (MaxStep 5000, decision period 5) earns 100.
- ``OnEpisodeBegin``: identity rotation, then ``Rotate`` about X by U(-10, 10) degrees, then about Z by
  U(-10, 10); ball at rest at platform + (U(-1.5, 1.5), 4, U(-1.5, 1.5)); env parameters ``mass``, ``scale``
  (ball radius 0.5 * scale) and ``gravity``.

Physics: the platform is a unit box scaled (5, 5, 5) rotated about its centre, so its top face lies 2.5 along
the platform normal and a resting ball's centre 3 above the centre. The ball falls freely until it touches the
top face; in contact it loses its velocity into the face (PhysX default bounciness 0) and rolls without
slipping, accelerating at 5/7 of gravity's component along the face (a solid sphere: I = 2/5 m r^2). Past the
face's edge it falls. Integration is semi-implicit Euler at ``PHYSICS_DT`` like PhysX.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from ...spaces import ActionSpec, BehaviorSignature, ObservationSpec
from ._common import AcademySettings, HandWrittenTask

MAX_STEP = 5000
DECISION_PERIOD = 5
DEFAULT_NUM_AGENTS = 12
"""The upstream scene has 12 platforms."""
PLATFORM_HALF_EXTENT = 2.5
"""Half of the scaled unit box (5, 5, 5)."""
DEGREES_PER_ACTION = 2.0
ROTATION_LIMIT = 0.25
"""Quaternion component beyond which the platform stops tilting further (about 29 degrees)."""
ROLLING_FACTOR = 5.0 / 7.0
"""Acceleration of a solid sphere rolling without slipping, as a fraction of the slope's gravity component."""
CONTACT_TOLERANCE = 1e-3
ENV_PARAMETERS = {"mass": 1.0, "scale": 1.0, "gravity": 9.81}

SIGNATURE = BehaviorSignature(
    name="3DBall",
    observation_specs=(ObservationSpec((8,), "VectorSensor"),),
    action_spec=ActionSpec(continuous_size=2),
)


def _rotation_tensor() -> np.ndarray:
    """``(9, 16)`` map from the outer product ``q q^T`` (flattened) to the rotation matrix's columns.

    Row ``3 a + b`` gives component ``b`` of the platform's local axis ``a`` (x, y, z) in world coordinates,
    using the unit-quaternion identity ``x^2 + y^2 + z^2 + w^2 = 1`` to keep every entry quadratic in ``q``.
    """
    x, y, z, w = range(4)
    tensor = np.zeros((9, 4, 4))

    def put(row: int, *terms: tuple[float, int, int]) -> None:
        for coefficient, i, j in terms:
            tensor[row, i, j] += coefficient

    # local x axis: (1 - 2(y^2 + z^2), 2(xy + wz), 2(xz - wy))
    put(0, (1, x, x), (1, w, w), (-1, y, y), (-1, z, z))
    put(1, (2, x, y), (2, w, z))
    put(2, (2, x, z), (-2, w, y))
    # local y axis (the platform normal): (2(xy - wz), 1 - 2(x^2 + z^2), 2(yz + wx))
    put(3, (2, x, y), (-2, w, z))
    put(4, (1, y, y), (1, w, w), (-1, x, x), (-1, z, z))
    put(5, (2, y, z), (2, w, x))
    # local z axis: (2(xz + wy), 2(yz - wx), 1 - 2(x^2 + y^2))
    put(6, (2, x, z), (2, w, y))
    put(7, (2, y, z), (-2, w, x))
    put(8, (1, z, z), (1, w, w), (-1, x, x), (-1, y, y))
    return tensor.reshape(9, 16)


_ROTATION = _rotation_tensor()
# q <- q * AngleAxis(angle, axis) = cos(angle/2) q + sin(angle/2) (q * axis): q * k and q * i permute and
# negate q's components (Hamilton product on (x, y, z, w)).
_PERM_Z, _SIGN_Z = [1, 0, 3, 2], np.array([1.0, -1.0, 1.0, -1.0])[:, None]  # q * k = (y, -x, w, -z)
_PERM_X, _SIGN_X = [3, 2, 1, 0], np.array([1.0, 1.0, -1.0, -1.0])[:, None]  # q * i = (w, z, -y, -x)
_HALF_ANGLE = math.pi / 180.0 * (DEGREES_PER_ACTION / 2.0)
"""Half the per-step rotation in radians per unit action: radians(2 a) / 2 = a pi / 180 (exactly)."""
_FALL_SIDEWAYS = 3.0
_FALL_BELOW = -2.0


class Ball3DEnv(HandWrittenTask):
    """Vectorized 3DBall: one platform and ball per agent, each platform at the origin of its own area.

    State is stored component-first (``(4, n)`` quaternions, ``(3, n)`` vectors) so every NumPy call works on
    whole contiguous rows; the attributes below are (agent, component) views of it, writable in place.

    Attributes:
        rotation: ``(n, 4)`` platform rotation quaternions (x, y, z, w) in Unity's axes.
        ball_position: ``(n, 3)`` ball position relative to the platform centre.
        ball_velocity: ``(n, 3)`` ball velocity.

    """

    task_name = "3DBall"
    success_on_interrupt = True
    has_kernel = True

    academy = AcademySettings(SIGNATURE, DECISION_PERIOD, MAX_STEP, DEFAULT_NUM_AGENTS, ENV_PARAMETERS)
    """The behavior and its timing (variants with other sensors replace the signature)."""

    def _build(self) -> None:
        n = self.num_agents
        self._q = np.zeros((4, n))
        self._q[3] = 1.0
        self._p = np.zeros((3, n))
        self._v = np.zeros((3, n))
        self.rotation = self._q.T
        self.ball_position = self._p.T
        self.ball_velocity = self._v.T
        self._param_values = np.array(
            [ENV_PARAMETERS["mass"], ENV_PARAMETERS["scale"], ENV_PARAMETERS["gravity"]]
        )
        self._body = np.array([np.ones(n), np.full(n, 0.5), np.full(n, 9.81)])  # mass, radius, gravity
        self.ball_mass, self.ball_radius, self.gravity = self._body
        self._contact = np.zeros(n, dtype=bool)
        # per-episode constants of the physics step, one row each (the kernel takes them as one array)
        self._consts = np.zeros((4, n))
        self._gdt, self._rolling_gdt, self._rest_height, self._touch_height = self._consts
        # per-decision action terms (see _advance)
        self._half = np.zeros((4, n))  # cos and sin of half the per-step angle about Z, then about X
        self._sign = np.zeros((2, n))
        self._both = np.zeros((4, 4, n))

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        """Set ``mass``, ``scale`` and ``gravity``; each agent reads them when its next episode begins.

        Args:
            params: name -> value; names among ``env_parameter_defaults``.

        Raises:
            SpecError: an unknown name or a non-finite value.

        """
        super().set_env_parameters(params)
        values = self._params
        self._param_values = np.array([values["mass"], values["scale"], values["gravity"]])

    # --- OnEpisodeBegin ---

    def _begin_episodes(self, idx: np.ndarray) -> None:
        rng = self._rng
        k = idx.size
        params = self._params
        # Drawn in the upstream order: tilt about X, then about Z, then the ball's x and z.
        if self.compiled:
            # The four draws below from one call: the same values in the same order (Generator.uniform
            # computes low + (high - low) u from the same standard draws).
            self._kernels.ball3d_begin(idx, rng.random((4, k)), *self._episode_start())
            return
        angle_x = rng.uniform(-10.0, 10.0, k)
        angle_z = rng.uniform(-10.0, 10.0, k)
        ball_x = rng.uniform(-1.5, 1.5, k)
        ball_z = rng.uniform(-1.5, 1.5, k)
        self.ball_mass[idx] = params["mass"]
        self.ball_radius[idx] = 0.5 * params["scale"]
        self.gravity[idx] = params["gravity"]
        q = np.zeros((k, 4))
        q[:, 3] = 1.0
        _rotate_x(q, angle_x)
        _rotate_z(q, angle_z)
        self.rotation[idx] = q
        self.ball_velocity[idx] = 0.0
        self.ball_position[idx, 0] = ball_x
        self.ball_position[idx, 1] = 4.0
        self.ball_position[idx, 2] = ball_z
        self._contact[idx] = False
        # per-episode constants of the physics step
        self._gdt[idx] = self.gravity[idx] * self.physics_dt
        self._rolling_gdt[idx] = ROLLING_FACTOR * self._gdt[idx]
        self._rest_height[idx] = PLATFORM_HALF_EXTENT + self.ball_radius[idx]
        self._touch_height[idx] = self._rest_height[idx] + CONTACT_TOLERANCE

    def _episode_start(self) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray | float, ...]]:
        """Return the compiled episode start's arguments: the agents' state it writes, what it reads."""
        state = (self._q, self._p, self._v, self._contact, self._consts, self._body)
        setup = (self._param_values, PLATFORM_HALF_EXTENT, CONTACT_TOLERANCE, ROLLING_FACTOR, self.physics_dt)
        return state, setup

    # --- OnActionReceived + physics ---

    def _action_terms(self) -> None:
        """Per-decision rotation terms: the action is fixed for the decision, so they are computed once."""
        half = np.multiply(self._cont.T, _HALF_ANGLE, dtype=np.float64)
        np.cos(half, out=self._half[0::2])  # rows: cos, sin about Z, then cos, sin about X
        np.sin(half, out=self._half[1::2])
        np.sign(half, out=self._sign)

    def _kernel_decision(
        self,
        reward: np.ndarray,
        flags: np.ndarray,
        obs: tuple[np.ndarray, ...],
        ended: np.ndarray,
    ) -> int | None:
        return self._kernels.ball3d_decision(
            self._q,
            self._p,
            self._v,
            self._contact,
            self._consts,
            self._cont,
            _HALF_ANGLE,
            self.agent_step_count,
            self.max_step,
            self.decision_period,
            self.physics_dt,
            PLATFORM_HALF_EXTENT,
            ROTATION_LIMIT,
            reward,
            flags,
            obs[0],
            ended,
        )

    def _advance(self) -> None:
        self._action_terms()
        cz, sz, cx, sx = self._half
        # Both rotations of a step in one: r = AngleAxis(Z) * AngleAxis(X) = (cz sx, sz sx, cx sz, cz cx), and
        # q * r = M(r) q with M's rows giving (q r).x, .y, .z, .w from (qx, qy, qz, qw).
        rx, ry, rz, rw = cz * sx, sz * sx, cx * sz, cz * cx
        self._both = np.array(
            [[rw, rz, -ry, rx], [-rz, rw, rx, ry], [ry, -rx, rw, rz], [-rx, -ry, -rz, rw]]
        )  # (4, 4, n)
        super()._advance()
        self._q /= np.sqrt((self._q * self._q).sum(axis=0))  # keep unit length against rounding drift

    def _physics_step(self) -> None:
        q = self._q
        # Rotate(Vector3(0, 0, 1), actionZ) only while rotation.z < 0.25 (for a positive action) or > -0.25
        # (negative), i.e. sign * rotation.z < 0.25 (a zero action rotates by zero either way); then the same
        # about X, checked on the rotation after the Z turn.
        cz, sz = self._half[0], self._half[1]
        allowed_z = q[2] * self._sign[0] < ROTATION_LIMIT
        allowed_x = (q[0] * cz + q[1] * sz) * self._sign[1] < ROTATION_LIMIT
        both = allowed_z & allowed_x
        if both.all():
            self._q[...] = (self._both * q).sum(axis=1)
        else:
            # One turn at a time where a limit stops one of them (per agent, as the compiled kernel does).
            combined = (self._both * q).sum(axis=1)
            for axis, perm, sign in ((0, _PERM_Z, _SIGN_Z), (1, _PERM_X, _SIGN_X)):
                component = q[2] if axis == 0 else q[0]
                allowed = component * self._sign[axis] < ROTATION_LIMIT
                cos = np.where(allowed, self._half[2 * axis], 1.0)
                sin = np.where(allowed, self._half[2 * axis + 1], 0.0)
                q = q * cos + q[perm] * (sign * sin)
            self._q[...] = np.where(both, combined, q)

        p = self._p
        sideways = np.abs(p[0::2]).max(axis=0) > _FALL_SIDEWAYS
        fell = sideways | (p[1] < _FALL_BELOW)
        np.copyto(self._done_now, fell)
        # SetReward overwrites: the last physics step of a decision decides its reward.
        np.multiply(fell, -1.1, out=self._reward)
        self._reward += 0.1

        self._integrate()

    def _integrate(self) -> None:
        p, v, contact = self._p, self._v, self._contact
        n = p.shape[1]
        axes = (_ROTATION @ (self._q[:, None, :] * self._q[None, :, :]).reshape(16, n)).reshape(3, 3, n)
        normal = axes[1]  # (3, n): the platform's local y axis
        # Gravity; in contact a rolling ball feels 5/7 of it along the face: a = 5/7 (g - (g . n) n), with
        # g = (0, -g, 0) so g . n = -g n_y.
        v += (self._rolling_gdt * normal[1] * contact) * normal
        v[1] -= np.where(contact, self._rolling_gdt, self._gdt)
        p += v * self.physics_dt
        # Contact with the top face: ball centre over the face, above its plane, touching or slightly inside.
        local = (axes * p).sum(axis=1)  # (3, n) ball position in platform coordinates
        height = local[1]
        over_face = np.abs(local[0::2]).max(axis=0) <= PLATFORM_HALF_EXTENT
        np.logical_and(
            over_face, (height < self._touch_height) & (height > PLATFORM_HALF_EXTENT), out=contact
        )
        p -= (np.minimum(height - self._rest_height, 0.0) * contact) * normal  # out of the face
        into = (v * normal).sum(axis=0)
        v -= (np.minimum(into, 0.0) * contact) * normal  # no bounce (PhysX default bounciness 0)

    # --- CollectObservations ---

    def _restart(self, idx: np.ndarray, obs: tuple[np.ndarray, ...]) -> None:
        if not self.compiled:
            super()._restart(idx, obs)
            return
        # SimEnv._begin + _begin_episodes + _observe_into in one kernel call (the same draws)
        first = self._next_episode_id
        self._next_episode_id += idx.size
        self._kernels.ball3d_restart(
            idx,
            self._rng.random((4, idx.size)),
            *self._episode_start(),
            self.agent_step_count,
            self.episode_ids,
            first,
            obs[0],
        )

    def _observe_into(self, idx: np.ndarray, out: tuple[np.ndarray, ...]) -> None:
        if self.compiled:
            self._kernels.ball3d_observe(idx, self._q, self._p, self._v, out[0])
        else:
            super()._observe_into(idx, out)

    def _observe(self, idx: np.ndarray | None) -> tuple[np.ndarray, ...]:
        sel = slice(None) if idx is None else idx
        q, p, v = self._q[:, sel], self._p[:, sel], self._v[:, sel]
        obs = np.empty((q.shape[1], 8), dtype=np.float32)
        obs[:, 0] = q[2]
        obs[:, 1] = q[0]
        obs[:, 2:5] = p.T
        obs[:, 5:8] = v.T
        return (obs,)


def _rotate_z(q: np.ndarray, degrees: np.ndarray) -> None:
    """In place ``q <- q * AngleAxis(degrees, (0, 0, 1))`` (Hamilton product on (x, y, z, w))."""
    half = np.radians(degrees) * 0.5
    c, s = np.cos(half), np.sin(half)
    x, y, z, w = q[:, 0].copy(), q[:, 1].copy(), q[:, 2].copy(), q[:, 3].copy()
    q[:, 0] = x * c + y * s
    q[:, 1] = y * c - x * s
    q[:, 2] = z * c + w * s
    q[:, 3] = w * c - z * s


def _rotate_x(q: np.ndarray, degrees: np.ndarray) -> None:
    """In place ``q <- q * AngleAxis(degrees, (1, 0, 0))`` (Hamilton product on (x, y, z, w))."""
    half = np.radians(degrees) * 0.5
    c, s = np.cos(half), np.sin(half)
    x, y, z, w = q[:, 0].copy(), q[:, 1].copy(), q[:, 2].copy(), q[:, 3].copy()
    q[:, 0] = x * c + w * s
    q[:, 1] = y * c + z * s
    q[:, 2] = z * c - y * s
    q[:, 3] = w * c - x * s
