"""Hyperparameter schedules over a behavior's ``max_steps`` (ML-Agents ``learning_rate_schedule`` & co).

``linear`` decays from the initial value to a floor at ``max_steps`` and stays there; ``constant`` keeps the
initial value. The floors are ML-Agents': learning rate 1e-10, epsilon 0.1, beta 1e-5 (upstream
``ppo/optimizer_torch.py``).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from ..errors import ConfigError

MIN_LEARNING_RATE = 1.0e-10
MIN_EPSILON = 0.1
MIN_BETA = 1.0e-5


def _kind(schedule: object) -> str:
    value = schedule.value if isinstance(schedule, Enum) else schedule
    if value not in ("constant", "linear"):
        raise ConfigError(f"schedule: expected 'constant' or 'linear', got {value!r}")
    return str(value)


def decayed_value(schedule: object, initial: float, minimum: float, step: int, max_steps: int) -> float:
    """Value of a scheduled hyperparameter at ``step``.

    Args:
        schedule: ``ScheduleType`` (or its string value ``"constant"`` / ``"linear"``).
        initial: value at step 0.
        minimum: floor reached at ``max_steps`` by the linear schedule.
        step: the behavior's current step.
        max_steps: the behavior's ``max_steps``.

    Returns:
        ``initial`` for ``constant``; ``(initial - minimum) * (1 - step / max_steps) + minimum`` (with
        ``step``
        capped at ``max_steps``) for ``linear``.

    Raises:
        ConfigError: an unknown schedule.

    """
    if _kind(schedule) == "constant" or max_steps <= 0:
        return float(initial)
    frac = min(max(step, 0), max_steps) / max_steps
    return float((initial - minimum) * (1.0 - frac) + minimum)


def clipped_objective_schedules(hp: Any, step: int, max_steps: int) -> tuple[float, float, float]:
    """Return ``(learning_rate, beta, epsilon)`` at ``step`` for PPO-style hyperparameters (PPO and POCA).

    Args:
        hp: hyperparameters with ``learning_rate``, ``beta``, ``epsilon`` and their ``*_schedule`` fields.
        step: the trainer's step.
        max_steps: the behavior's ``max_steps``.

    Returns:
        The three current values, each floored at its minimum.

    """
    lr = decayed_value(
        hp.learning_rate_schedule,
        hp.learning_rate,
        MIN_LEARNING_RATE,
        step,
        max_steps,
    )
    beta = decayed_value(hp.beta_schedule, hp.beta, MIN_BETA, step, max_steps)
    epsilon = decayed_value(hp.epsilon_schedule, hp.epsilon, MIN_EPSILON, step, max_steps)
    return lr, beta, epsilon
