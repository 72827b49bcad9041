"""The world's laser (``agent.laser``, FoodCollector): shooting, freezing the agent hit, thawing.

Facts from ML-Agents' ``Project/Assets/ML-Agents/Examples/FoodCollector/Scripts/FoodCollectorAgent.cs``
(``MoveAgent``, ``Freeze``, ``Unfreeze``): on every physics step an agent that is not frozen and chooses to
shoot multiplies its velocity by 0.75 and its move by 0.5, then ``Physics.SphereCast`` (radius 2, length 25)
from its centre along its forward; when the first collider hit carries the tag ``agent``, that agent is
frozen (tag ``frozenAgent``) and ignores its actions until ``Time.time > frozenTime + 4`` (200 physics
steps). A frozen agent cannot shoot. ``OnEpisodeBegin`` unfreezes.

What is ours: within a physics step every shooter casts against the positions at the step's start and the
hits take effect at once (Unity runs the agents' ``FixedUpdate`` one after another, so an agent hit by an
earlier agent may or may not have moved already); the freeze lasts exactly ``freeze_steps`` physics steps,
counting the one it was hit on.

The cast is the ray sensors' exact sphere sweep (``sim.ray_perception.observe``: the ray kernel, or its NumPy
reference on the NumPy path) against the same colliders the area's ray sensors see: walls, regions, entity
boxes and spheres, the other agents; one pseudo-tag per area member makes the encoded ray name the agent hit.
The rest is NumPy that runs before either engine's physics step.
"""

from __future__ import annotations

import numpy as np

from ..world.model import Laser
from .ray_perception import Colliders, RayLayout, RayPerceptionSettings, observe

SLOW_FACTOR = 0.95
"""FoodCollector's ``rb.velocity *= 0.95f`` above the speed ``Movement.slow_above``."""


class LaserState:
    """Per-agent laser state of a world: frozen agents, steps left, who shot this step.

    Attributes:
        laser: the world's laser.
        frozen: ``(n,)`` True while an agent is frozen.
        frozen_left: ``(n,)`` countdown: set to ``freeze_steps`` on the step an agent is hit, lowered at the
            start of every later step; the agent thaws at the start of the step that brings it to 0 (frozen
            for ``freeze_steps`` steps in all).
        shot: ``(n,)`` True where an agent shot on the last physics step (``m_Shoot``).

    """

    def __init__(self, laser: Laser, num_agents: int, agents_per_area: int) -> None:
        self.laser = laser
        self.frozen = np.zeros(num_agents, dtype=bool)
        self.frozen_left = np.zeros(num_agents, dtype=np.int64)
        self.shot = np.zeros(num_agents, dtype=bool)
        self._k = agents_per_area
        # One "tag" per member of an area: the encoded ray's one-hot names the agent hit (``fire``).
        self.settings = RayPerceptionSettings(
            tuple(f"member{m}" for m in range(agents_per_area)),
            rays_per_direction=0,
            max_ray_degrees=0.0,
            sphere_cast_radius=laser.radius,
            ray_length=laser.length,
        )
        self.layout = RayLayout.of(self.settings)
        """One ray straight ahead from the agent's centre (``SphereCast(position, r, forward)``)."""

    def begin(self, idx: np.ndarray) -> None:
        """``OnEpisodeBegin``: agents ``idx`` thaw and have not shot."""
        self.frozen[idx] = False
        self.frozen_left[idx] = 0
        self.shot[idx] = False

    def thaw(self) -> None:
        """Count down the frozen agents' steps; those at zero thaw (before they act this step)."""
        self.frozen_left[self.frozen] -= 1
        self.frozen &= self.frozen_left > 0

    def fire(
        self,
        shoot: np.ndarray,
        position: np.ndarray,
        yaw: np.ndarray,
        scene: Colliders,
        *,
        compiled: bool | None = None,
    ) -> np.ndarray:
        """Cast the lasers of the agents with ``shoot`` set that are not frozen; freeze the agents they hit.

        Args:
            shoot: ``(n,)`` agents whose action shoots on this step.
            position: ``(n, 3)`` agent centres.
            yaw: ``(n,)`` agent headings, degrees.
            scene: the colliders of every agent's area, with the area's agents as the last ``k`` boxes,
                tagged with their member index (and -1 on every other collider, frozen agents included:
                they stop the laser but are not frozen again).
            compiled: cast with the ray kernel (None: when available; False: the NumPy reference).

        Returns:
            ``(n,)`` the agents that shot (``shoot`` and not frozen).

        """
        shooters = np.flatnonzero(shoot & ~self.frozen)
        self.shot[:] = False
        self.shot[shooters] = True
        if not shooters.size:
            return self.shot
        view = scene.of_agents(shooters)
        ray = observe(
            self.settings, position[shooters], yaw[shooters], view, layout=self.layout, compiled=compiled
        )
        k = self._k
        hit = ray[:, :k].any(axis=1)  # the one-hot of the member hit (all zero: a miss or something else)
        if hit.any():
            target = (shooters[hit] // k) * k + ray[hit, :k].argmax(axis=1)
            fresh = target[~self.frozen[target]]
            self.frozen[fresh] = True
            self.frozen_left[fresh] = self.laser.freeze_steps
        return self.shot


def slow_down(velocity: np.ndarray, above: float) -> None:
    """Multiply the velocity of bodies faster than ``above`` by ``SLOW_FACTOR`` (in place; 0: never)."""
    if above <= 0.0:
        return
    fast = (velocity * velocity).sum(axis=1) > above * above
    velocity[fast] *= SLOW_FACTOR
