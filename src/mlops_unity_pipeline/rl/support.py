"""What the built-in trainer implements of the Release 22 configuration schema, checked before a run starts.

The configuration parser (``rl.config``) accepts the whole ML-Agents schema, because the same file also drives
the ``mlagents-learn`` backend. The built-in trainer must not accept a setting and then ignore it:
``check_supported`` lists every setting of a run it does not implement and raises one ``ConfigError`` naming
each key, with the hint to use ``trainer_backend: mlagents`` where mlagents-learn implements it.
``docs/trainer.md`` has the per-key table this module enforces.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import ConfigError
from .config import RewardSignalType, RunOptions, TrainerSettings, TrainerType
from .trainers import TRAINERS

MLAGENTS_HINT = "use trainer_backend: mlagents (mlagents-learn) for it"
"""Appended to settings that real ML-Agents implements and the built-in trainer does not (yet)."""


def behavior_problems(settings: TrainerSettings, path: str) -> list[str]:
    """Return one line per setting of a behavior the built-in trainer does not implement.

    Args:
        settings: the behavior's ``TrainerSettings``.
        path: its section path for messages (``behaviors.3DBall``).

    Returns:
        The problems, empty when everything is supported.

    """
    problems: list[str] = []
    kind = settings.trainer_type.value
    if settings.trainer_type not in TRAINERS:
        built_in = ", ".join(t.value for t in TRAINERS)
        problems.append(
            f"{path}.trainer_type: '{kind}' is not implemented by the built-in trainer ({built_in}); "
            f"{MLAGENTS_HINT}"
        )
    # network_settings.memory: PPO (rl/recurrent.py, a shared critic on the actor's LSTM too:
    # networks.SharedCritic), SAC (rl/sac_memory.py) and POCA (rl/poca_memory.py) train LSTM networks, and
    # behavioral cloning clones a recurrent policy on sequences (rl/offline/bc.py): nothing to refuse.
    if settings.self_play is not None and settings.trainer_type is TrainerType.SAC:
        # rl/selfplay.py wraps PPO and POCA; SAC's replay would mix the two teams' policies across swaps.
        problems.append(
            f"{path}.self_play: self-play is implemented for trainer_type ppo and poca, not 'sac'; "
            f"{MLAGENTS_HINT}"
        )
    signals = list(settings.reward_signals)
    names = [signal.value for signal in signals]
    # Every RewardSignalType is computed (gail: rl/offline/components.py; curiosity, rnd: rl/intrinsic.py),
    # but the value network learns the environment reward, so extrinsic must be there.
    if RewardSignalType.EXTRINSIC not in signals:
        problems.append(
            f"{path}.reward_signals: the built-in trainer needs an 'extrinsic' signal next to {names} "
            "(its value network learns the environment reward)"
        )
    hp = settings.hyperparameters
    learned = [signal.value for signal in signals if signal is not RewardSignalType.EXTRINSIC]
    every = getattr(hp, "reward_signal_steps_per_update", None)
    if learned and every is not None and float(every) != float(hp.steps_per_update):
        problems.append(
            f"{path}.hyperparameters.reward_signal_steps_per_update: {every} differs from steps_per_update "
            f"({hp.steps_per_update}); the built-in SAC updates {learned} with every SAC update, so leave it "
            f"unset or {MLAGENTS_HINT}"
        )
    return problems


def run_problems(run_options: RunOptions, behavior: str | Sequence[str]) -> list[str]:
    """Return one line per setting of a run (run-level sections and the trained behaviors) not implemented.

    Args:
        run_options: the ``RunOptions``.
        behavior: the behavior this run trains (the environment's behavior name), or every one of them.

    Returns:
        The problems, empty when everything is supported.

    Raises:
        ConfigError: a behavior is neither in ``behaviors`` nor covered by ``default_settings``.

    """
    behaviors = (behavior,) if isinstance(behavior, str) else tuple(behavior)
    problems: list[str] = []
    for name in behaviors:
        problems += behavior_problems(run_options.behavior_settings(name), f"behaviors.{name}")
    device = getattr(run_options.torch_settings, "device", None)
    if device not in (None, "cpu"):
        problems.append(
            f"torch_settings.device: {device!r} is not implemented by the built-in trainer, which runs its "
            f"small networks on 'cpu' (faster there than a GPU round trip); set it to cpu or null, or "
            f"{MLAGENTS_HINT}"
        )
    if getattr(run_options.checkpoint_settings, "inference", False):
        problems.append(
            "checkpoint_settings.inference: inference-only runs are not implemented by the built-in trainer "
            "(evaluate the .onnx with 'mlops-unity sim eval')"
        )
    for name, param in (run_options.environment_parameters or {}).items():
        lessons = tuple(getattr(param, "curriculum", None) or ())
        for i, lesson in enumerate(lessons[:-1]):  # the last lesson's criteria are never used (ML-Agents)
            criteria = lesson.completion_criteria
            if criteria is not None and criteria.behavior not in behaviors:
                trained = f"'{behaviors[0]}'" if len(behaviors) == 1 else f"{list(behaviors)}"
                problems.append(
                    f"environment_parameters.{name}.curriculum.{i}.completion_criteria.behavior: "
                    f"'{criteria.behavior}' is not a behavior this run trains ({trained}), so the "
                    "lesson could never complete"
                )
    return problems


def check_supported(run_options: RunOptions, behavior: str | Sequence[str]) -> None:
    """Raise one ``ConfigError`` listing every setting of the run the built-in trainer does not implement.

    Args:
        run_options: the ``RunOptions``.
        behavior: the behavior this run trains, or every one of them.

    Raises:
        ConfigError: at least one unsupported setting; the message names each key.

    """
    problems = run_problems(run_options, behavior)
    if problems:
        raise ConfigError("; ".join(problems))
