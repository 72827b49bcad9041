"""ML-Agents' 3DBall example: tilt a platform to keep a ball on it.

Facts (``Examples/3DBall/Scripts/Ball3DAgent.cs``, mlagents.md §6–7):

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

import numpy as np

from ...spaces import ActionSpec, BehaviorSignature, ObservationSpec
from ..core import SimEnv
from ..engine import EngineConfig

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


class Ball3DEnv(SimEnv):
    """Vectorized 3DBall: one platform and ball per agent, each platform at the origin of its own area.

    Attributes:
        rotation: ``(n, 4)`` platform rotation quaternions (x, y, z, w) in Unity's axes.
        ball_position: ``(n, 3)`` ball position relative to the platform centre.
        ball_velocity: ``(n, 3)`` ball velocity.

    """

    task_name = "3DBall"
    success_on_interrupt = True

    def __init__(
        self,
        num_agents: int = DEFAULT_NUM_AGENTS,
        *,
        seed: int | None = None,
        engine: EngineConfig | None = None,
    ) -> None:
        super().__init__(
            SIGNATURE,
            num_agents,
            decision_period=DECISION_PERIOD,
            max_step=MAX_STEP,
            env_parameter_defaults=ENV_PARAMETERS,
            seed=seed,
            engine=engine,
        )
        n = self.num_agents
        self.rotation = np.zeros((n, 4))
        self.rotation[:, 3] = 1.0
        self.ball_position = np.zeros((n, 3))
        self.ball_velocity = np.zeros((n, 3))
        self.ball_radius = np.full(n, 0.5)
        self.ball_mass = np.ones(n)
        self.gravity = np.full(n, 9.81)
        self._contact = np.zeros(n, dtype=bool)
        # scratch buffers reused every physics step
        self._normal = np.zeros((n, 3))
        self._half = np.zeros(n)
        self._cos = np.zeros(n)
        self._sin = np.zeros(n)

    # --- OnEpisodeBegin ---

    def _begin_episodes(self, idx: np.ndarray) -> None:
        rng = self._rng
        k = idx.size
        q = np.zeros((k, 4))
        q[:, 3] = 1.0
        # Drawn in the upstream order: tilt about X, then about Z, then the ball's x and z.
        angle_x = rng.uniform(-10.0, 10.0, k)
        angle_z = rng.uniform(-10.0, 10.0, k)
        _rotate_x(q, angle_x)
        _rotate_z(q, angle_z)
        self.rotation[idx] = q
        self.ball_velocity[idx] = 0.0
        self.ball_position[idx, 0] = rng.uniform(-1.5, 1.5, k)
        self.ball_position[idx, 1] = 4.0
        self.ball_position[idx, 2] = rng.uniform(-1.5, 1.5, k)
        params = self._params
        self.ball_mass[idx] = params["mass"]
        self.ball_radius[idx] = 0.5 * params["scale"]
        self.gravity[idx] = params["gravity"]
        self._contact[idx] = False

    # --- OnActionReceived + physics ---

    def _physics_step(self) -> None:
        q = self.rotation
        action_z = DEGREES_PER_ACTION * self._cont[:, 0].astype(np.float64)
        action_x = DEGREES_PER_ACTION * self._cont[:, 1].astype(np.float64)
        allowed = ((q[:, 2] < ROTATION_LIMIT) & (action_z > 0)) | (
            (q[:, 2] > -ROTATION_LIMIT) & (action_z < 0)
        )
        _rotate_z(q, action_z * allowed)
        allowed = ((q[:, 0] < ROTATION_LIMIT) & (action_x > 0)) | (
            (q[:, 0] > -ROTATION_LIMIT) & (action_x < 0)
        )
        _rotate_x(q, action_x * allowed)
        q /= np.linalg.norm(q, axis=1, keepdims=True)

        p = self.ball_position
        fell = (p[:, 1] < -2.0) | (np.abs(p[:, 0]) > 3.0) | (np.abs(p[:, 2]) > 3.0)
        self._done_now[:] = fell
        self._reward[:] = np.where(fell, -1.0, 0.1)

        self._integrate()

    def _integrate(self) -> None:
        q, p, v = self.rotation, self.ball_position, self.ball_velocity
        x, y, z, w = q[:, 0], q[:, 1], q[:, 2], q[:, 3]
        # Platform axes in world coordinates (columns of the rotation matrix).
        ey = self._normal
        ey[:, 0] = 2.0 * (x * y - w * z)
        ey[:, 1] = 1.0 - 2.0 * (x * x + z * z)
        ey[:, 2] = 2.0 * (y * z + w * x)
        dt = self.physics_dt
        g = self.gravity
        # Gravity; in contact only 5/7 of its along-face part accelerates a rolling ball.
        v[:, 1] -= g * dt
        contact = self._contact
        if contact.any():
            g_normal = -g * ey[:, 1]  # gravity . normal, gravity = (0, -g, 0)
            tangential = -ey * g_normal[:, None]
            tangential[:, 1] -= g
            v -= ((1.0 - ROLLING_FACTOR) * dt * contact)[:, None] * tangential
        p += v * dt
        # Contact with the top face: ball centre over the face and touching or slightly inside it.
        height = np.einsum("ij,ij->i", p, ey)
        gap = height - self.ball_radius - PLATFORM_HALF_EXTENT
        ex0 = 1.0 - 2.0 * (y * y + z * z)
        ex1 = 2.0 * (x * y + w * z)
        ex2 = 2.0 * (x * z - w * y)
        ez0 = 2.0 * (x * z + w * y)
        ez1 = 2.0 * (y * z - w * x)
        ez2 = 1.0 - 2.0 * (x * x + y * y)
        local_x = p[:, 0] * ex0 + p[:, 1] * ex1 + p[:, 2] * ex2
        local_z = p[:, 0] * ez0 + p[:, 1] * ez1 + p[:, 2] * ez2
        np.logical_and(
            (np.abs(local_x) <= PLATFORM_HALF_EXTENT) & (np.abs(local_z) <= PLATFORM_HALF_EXTENT),
            (gap < CONTACT_TOLERANCE) & (gap > -self.ball_radius),
            out=contact,
        )
        push = np.where(contact & (gap < 0.0), -gap, 0.0)
        p += push[:, None] * ey
        into = np.einsum("ij,ij->i", v, ey)
        v -= np.where(contact & (into < 0.0), into, 0.0)[:, None] * ey

    # --- CollectObservations ---

    def _observe(self, idx: np.ndarray | None) -> tuple[np.ndarray, ...]:
        if idx is None:
            q, p, v = self.rotation, self.ball_position, self.ball_velocity
        else:
            q, p, v = self.rotation[idx], self.ball_position[idx], self.ball_velocity[idx]
        obs = np.empty((q.shape[0], 8), dtype=np.float32)
        obs[:, 0] = q[:, 2]
        obs[:, 1] = q[:, 0]
        obs[:, 2:5] = p
        obs[:, 5:8] = v
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
