"""Numba-compiled kernels: one call advances every agent of a task by one decision (or begins episodes).

Each decision kernel loops over agents (compiled, not Python) and, per agent, over the decision's physics
steps in the Academy's order (step counter, ``OnActionReceived``, ``MaxStep``, physics), then writes the
agent's reward, episode flags and next observation. The kernels compute what the tasks' NumPy reference paths
compute, operation for operation where the result could differ (same formulas, same summation order, float32
where NumPy rounds to float32), so both paths give the same trajectories (``tests/sim/test_kernels.py``:
3DBall and Basic bit for bit here; navigation to 1e-7, because its NumPy path sweeps a decision in closed form
where the kernel steps). cos and sin come from the C library (``math``), as NumPy's float64 ones do on common
CPUs. Episode starts draw from the environment's ``np.random.Generator`` inside the kernel (numba shares its
bit generator), the same values in the same order as the NumPy path. ``error_model="numpy"``: a division by
zero gives inf or NaN as in NumPy instead of raising (and the checks cost nothing).

One difference from the NumPy paths is invisible: an agent whose episode ends between decisions stops
being stepped at once (the NumPy paths keep stepping it and discard that state when it begins its next
episode), so its observation at the decision boundary *is* its final observation.

Importing this package imports numba; ``sim.accel`` decides whether it is used. One module per task.

Flags rows written by every decision kernel (``flags`` is ``(4, n)`` bool): 0 episode ended, 1 terminated,
2 truncated (interrupted at MaxStep), 3 success.
"""

from __future__ import annotations

from .actions import load_continuous, load_discrete
from .ball3d import ball3d_begin, ball3d_decision, ball3d_observe, ball3d_restart
from .basic import basic_decision
from .gridworld import (
    gridworld_decision,
    gridworld_mask,
    gridworld_observe,
    gridworld_observe_all,
)
from .hallway import hallway_decision
from .navigation import (
    OBS_POSITION,
    OBS_RAYCAST,
    OBS_TARGET_DIRECTION,
    OBS_TARGET_DISTANCE,
    OBS_VELOCITY,
    navigation_begin,
    navigation_decision,
    navigation_mask,
    navigation_observe,
)
from .pushblock import pushblock_decision, pushblock_observe, pushblock_physics_step
from .ray_perception import ray_perception_observe
from .walljump import walljump_decision, walljump_observe
from .world import world_decision, world_physics_step
from .world_camera import world_camera_render
from .world_platform import platform_begin, platform_decision, platform_restart

__all__ = [
    "OBS_POSITION",
    "OBS_RAYCAST",
    "OBS_TARGET_DIRECTION",
    "OBS_TARGET_DISTANCE",
    "OBS_VELOCITY",
    "ball3d_begin",
    "ball3d_decision",
    "ball3d_observe",
    "ball3d_restart",
    "basic_decision",
    "gridworld_decision",
    "gridworld_mask",
    "gridworld_observe",
    "gridworld_observe_all",
    "hallway_decision",
    "load_continuous",
    "load_discrete",
    "navigation_begin",
    "navigation_decision",
    "navigation_mask",
    "navigation_observe",
    "platform_begin",
    "platform_decision",
    "platform_restart",
    "pushblock_decision",
    "pushblock_observe",
    "pushblock_physics_step",
    "ray_perception_observe",
    "world_camera_render",
    "world_decision",
    "world_physics_step",
    "walljump_decision",
    "walljump_observe",
]
