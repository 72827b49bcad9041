"""Scripted controllers for every task (the ``Heuristic`` of each agent): demonstrations and baselines."""

from __future__ import annotations

import numpy as np

from ..errors import SpecError
from ..spaces import ActionTuple, StepBatch, VectorEnv
from .policies import Policy
from .tasks.ball3d import Ball3DEnv
from .tasks.ball3d_hard import Ball3DHardEnv
from .tasks.basic import BasicEnv
from .tasks.gridworld import GridWorldEnv
from .tasks.hallway import HallwayEnv
from .tasks.navigation import NavigationEnv
from .tasks.pushblock import PushBlockEnv
from .tasks.pushblock_collab import PushBlockCollabEnv
from .tasks.walljump import WallJumpEnv
from .world_env import WorldEnv
from .world_heuristic import world_heuristic
from .world_platform import PlatformWorldEnv


def heuristic_policy(env: VectorEnv) -> Policy:
    """Return the scripted controller of ``env``'s task.

    Basic walks right to the large goal (optimal: 0.93). 3DBall tilts the platform with a PD law on the
    ball's offset and velocity (from the observation only); 3DBallHard uses the same law with the velocity
    estimated from its two newest stacked positions. PushBlock gets behind the block and pushes it home;
    PushBlockCollab's three agents push the block nearest the goal together. Hallway passes beside the cue
    block, then runs to the matching goal. WallJump jumps a low wall and climbs a high one from the block it
    pushes there. GridWorld walks to the nearest plus around every ex. A platform world (``world:3DBall``)
    applies 3DBall's law to the platform's true state.
    Navigation and reach-target steer to the target and around obstacles from the true positions (what a
    scripted ``Heuristic`` in the scene can read).

    Args:
        env: a simulator made by ``sim.make`` or ``sim.make_navigation``.

    Returns:
        The policy.

    Raises:
        SpecError: ``env`` is not one of the simulator's tasks.

    """
    if isinstance(env, WorldEnv):  # a world's controller is generated from its rewards (world_heuristic.py)
        return world_heuristic(env)

    if isinstance(env, PlatformWorldEnv):  # 3DBall's law on the platform's true state
        return _platform(env)
    if isinstance(env, BasicEnv):
        return _basic
    if isinstance(env, Ball3DHardEnv):
        return _ball3d_hard
    if isinstance(env, Ball3DEnv):
        return _ball3d
    if isinstance(
        env, (NavigationEnv, PushBlockEnv, PushBlockCollabEnv, HallwayEnv, WallJumpEnv, GridWorldEnv)
    ):
        return env.heuristic
    raise SpecError(f"no heuristic for {type(env).__name__}; expected a simulator from sim.make")


def _basic(batch: StepBatch) -> ActionTuple:
    n = batch.reward.shape[0]
    return ActionTuple(np.zeros((n, 0), dtype=np.float32), np.full((n, 1), 2, dtype=np.int32))


# PD gains of the 3DBall controller: target tilt (radians) per unit of ball offset and velocity, and the
# action per radian of tilt error (one action unit turns the platform 2 degrees per physics step).
_BALL_OFFSET_GAIN = 0.08
_BALL_VELOCITY_GAIN = 0.12
_TILT_GAIN = 12.0


def _ball3d(batch: StepBatch) -> ActionTuple:
    return _ball3d_pd(batch.obs[0])


_HARD_DECISION_SECONDS = 0.1
"""Time between two 3DBallHard frames: decision period 5 x 0.02 s."""


def _ball3d_hard(batch: StepBatch) -> ActionTuple:
    position, rotation = batch.obs[0], batch.obs[1]  # 9 frames each, oldest first
    newest, previous = position[:, -3:], position[:, -6:-3]
    # An episode's first observation has zero frames before its first: no velocity estimate yet.
    started = np.any(previous != 0.0, axis=1, keepdims=True)
    velocity = np.where(started, (newest - previous) / _HARD_DECISION_SECONDS, 0.0)
    return _ball3d_pd(np.concatenate([rotation[:, -2:], newest, velocity], axis=1))


def _platform(env: PlatformWorldEnv) -> Policy:
    """3DBall's PD law for a platform world, on its true state, scaled to its degrees per action."""
    column_z, column_x = env.tilt_columns
    platform = env.world.agent.platform
    scale = 2.0 / platform.degrees_per_action if platform and platform.degrees_per_action > 0 else 0.0
    size = env.signature.action_spec.continuous_size

    def policy(batch: StepBatch) -> ActionTuple:
        law = _ball3d_pd(env.state_frame()).continuous
        continuous = np.zeros((law.shape[0], size), dtype=np.float32)
        for column, axis in ((column_z, 0), (column_x, 1)):
            if column >= 0:
                continuous[:, column] = np.clip(law[:, axis] * scale, -1.0, 1.0)
        return ActionTuple(continuous, np.zeros((law.shape[0], 0), dtype=np.int32))

    return policy


def _ball3d_pd(obs: np.ndarray) -> ActionTuple:
    """PD tilt law on 3DBall's 8-float frame (rotation.z, rotation.x, ball offset, ball velocity)."""
    tilt_z = 2.0 * np.arcsin(np.clip(obs[:, 0], -1.0, 1.0))  # rotation about Z (small-angle: no coupling)
    tilt_x = 2.0 * np.arcsin(np.clip(obs[:, 1], -1.0, 1.0))
    # A positive Z tilt raises +x (the ball rolls to -x); a positive X tilt lowers +z (the ball rolls to +z).
    target_z = _BALL_OFFSET_GAIN * obs[:, 2] + _BALL_VELOCITY_GAIN * obs[:, 5]
    target_x = -(_BALL_OFFSET_GAIN * obs[:, 4] + _BALL_VELOCITY_GAIN * obs[:, 7])
    continuous = np.stack([_TILT_GAIN * (target_z - tilt_z), _TILT_GAIN * (target_x - tilt_x)], axis=1)
    n = obs.shape[0]
    return ActionTuple(np.clip(continuous, -1.0, 1.0).astype(np.float32), np.zeros((n, 0), dtype=np.int32))
