"""The ML-Agents mapping: how an ``RLTrainingConfig`` becomes ML-Agents' trainer configuration.

The pipeline's per-algorithm starting settings, then the spec's fields, then ``mlagents_overrides``
deep-merged last; ``to_run_options`` loads the result through the strict trainer-configuration schema
(``rl.config.RunOptions``).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._validate import deep_merge
from ..errors import SpecError
from .enums import Algorithm

if TYPE_CHECKING:
    from ..rl.config import RunOptions
    from .training import RLTrainingConfig

# Per-algorithm settings the pipeline starts from before the user's overrides. They are tuned for the
# simulator's small vector tasks (a few hundred thousand steps, 2 CPU cores): smaller buffers than ML-Agents'
# defaults (10240) so that PPO updates often enough within a 100k-step budget, like config/ppo/3DBall.yaml
# (batch 64, buffer 12000, normalize) scaled down. PPO's buffer 2048 / batch 128 (49 updates in the guide's
# 100k steps): the quick start's NavigationAgent reached 94-97% success over 4 seeds, against 89-92% with
# buffer 4096 / batch 256 (tests/sim/test_navigation_learnability.py).
BASE_BEHAVIOR_SETTINGS: dict[Algorithm, dict[str, Any]] = {
    Algorithm.PPO: {
        "trainer_type": Algorithm.PPO.trainer_type,
        "hyperparameters": {
            "batch_size": 128,
            "buffer_size": 2048,
            "learning_rate": 3.0e-4,
            "beta": 5.0e-3,
            "epsilon": 0.2,
            "lambd": 0.95,
            "num_epoch": 3,
            "learning_rate_schedule": "linear",
        },
        "network_settings": {"normalize": True, "hidden_units": 128, "num_layers": 2},
        "reward_signals": {"extrinsic": {"gamma": 0.99, "strength": 1.0}},
        "time_horizon": 64,
    },
    Algorithm.SAC: {
        "trainer_type": Algorithm.SAC.trainer_type,
        "hyperparameters": {
            "batch_size": 128,
            "buffer_size": 100000,
            "learning_rate": 3.0e-4,
            "buffer_init_steps": 1000,
            "tau": 0.005,
            "steps_per_update": 10,
            "init_entcoef": 0.5,
        },
        "network_settings": {"normalize": True, "hidden_units": 128, "num_layers": 2},
        "reward_signals": {"extrinsic": {"gamma": 0.99, "strength": 1.0}},
        "time_horizon": 64,
    },
    Algorithm.POCA: {
        "trainer_type": Algorithm.POCA.trainer_type,
        "hyperparameters": {"batch_size": 256, "buffer_size": 4096, "learning_rate": 3.0e-4},
        "network_settings": {"normalize": True, "hidden_units": 128, "num_layers": 2},
        "reward_signals": {"extrinsic": {"gamma": 0.99, "strength": 1.0}},
        "time_horizon": 64,
    },
}


def validate_overrides(config: RLTrainingConfig) -> None:
    """Build the configuration for each behavior the overrides name, so a bad ML-Agents key fails early.

    Raises:
        ConfigError: naming the bad key and section.

    """
    # Behavior names in overrides are unknown until interpretation: check each name they use.
    names = list((config.mlagents_overrides.get("behaviors") or {}).keys())
    names = names or _curriculum_behaviors(config.mlagents_overrides) or ["Behavior"]
    for name in names:
        to_run_options(config, str(name))


def run_options_dict(
    config: RLTrainingConfig,
    behavior_name: str,
    *,
    run_id: str | None = None,
    results_dir: str | Path | None = None,
) -> dict[str, Any]:
    """Return the ML-Agents trainer configuration as a YAML-ready dict (before strict loading).

    Args:
        config: the training config.
        behavior_name: the behavior's name (the ``behaviors`` key).
        run_id: ``checkpoint_settings.run_id`` to set (the pipeline uses the job id).
        results_dir: ``checkpoint_settings.results_dir`` to set.

    Returns:
        The merged dict: pipeline defaults, the spec's fields, then ``mlagents_overrides``.

    Raises:
        SpecError: when ``mlagents_overrides.behaviors`` names a different behavior.

    """
    algorithm = config.algorithm
    behavior: dict[str, Any] = copy.deepcopy(BASE_BEHAVIOR_SETTINGS[algorithm])
    behavior["max_steps"] = config.max_steps
    # A summary every ~5% of the run gives a learning curve of ~20 points, at least every 1000 steps.
    behavior["summary_freq"] = max(1000, config.max_steps // 20)
    behavior["checkpoint_interval"] = max(1000, config.max_steps // 5)
    if config.demonstrations_path is not None:
        if config.use_offline_rl:
            # Offline RL as ML-Agents does it: behavioral cloning from the demonstrations, annealed over
            # the whole run (steps = max_steps), then the online objective takes over
            # (``BehavioralCloningSettings`` in ML-Agents' ``trainers/settings.py``).
            behavior["behavioral_cloning"] = {
                "demo_path": config.demonstrations_path,
                "strength": 1.0,
                "steps": config.max_steps,
            }
        else:
            # Demonstrations without offline RL: a small GAIL reward next to the extrinsic one, like
            # config/imitation/PushBlock.yaml (gail strength 0.01).
            behavior["reward_signals"]["gail"] = {
                "gamma": 0.99,
                "strength": 0.01,
                "demo_path": config.demonstrations_path,
            }
    overrides = config.mlagents_overrides
    behavior = deep_merge(behavior, overrides.get("default_settings") or {})
    override_behaviors = overrides.get("behaviors") or {}
    if not isinstance(override_behaviors, Mapping):
        raise SpecError(
            "rl_config.mlagents_overrides.behaviors: expected a mapping of behavior name -> settings"
        )
    unknown = sorted(set(override_behaviors) - {behavior_name})
    if unknown:
        raise SpecError(
            f"rl_config.mlagents_overrides.behaviors: unknown behavior '{unknown[0]}' "
            f"(this job trains '{behavior_name}')"
        )
    behavior = deep_merge(behavior, override_behaviors.get(behavior_name) or {})
    options: dict[str, Any] = {
        "behaviors": {behavior_name: behavior},
        "env_settings": {"num_envs": config.num_envs, "seed": -1 if config.seed is None else config.seed},
        "engine_settings": {"time_scale": config.time_scale, "no_graphics": True},
    }
    rest = {k: v for k, v in overrides.items() if k not in ("behaviors", "default_settings")}
    options = deep_merge(options, rest)
    if run_id is not None or results_dir is not None:
        checkpoint = dict(options.get("checkpoint_settings") or {})
        if run_id is not None:
            checkpoint["run_id"] = run_id
        if results_dir is not None:
            checkpoint["results_dir"] = str(results_dir)
        options["checkpoint_settings"] = checkpoint
    return options


def to_run_options(
    config: RLTrainingConfig,
    behavior_name: str,
    *,
    run_id: str | None = None,
    results_dir: str | Path | None = None,
) -> RunOptions:
    """Map a training config onto an ML-Agents ``RunOptions`` through the strict config loader.

    Args:
        config: the training config.
        behavior_name: the behavior's name (the ``behaviors`` key).
        run_id: ``checkpoint_settings.run_id`` to set.
        results_dir: ``checkpoint_settings.results_dir`` to set.

    Returns:
        The validated ``RunOptions``.

    Raises:
        ConfigError: when an override is not a valid ML-Agents setting (names the key and section).

    """
    from ..rl.config import RunOptions  # start-up

    data = run_options_dict(config, behavior_name, run_id=run_id, results_dir=results_dir)
    return RunOptions.from_dict(data, source="rl_config.mlagents_overrides")


def _curriculum_behaviors(overrides: Mapping[str, Any]) -> list[str]:
    """Return the behavior names that curriculum completion criteria in ``environment_parameters`` name."""
    names: list[str] = []
    parameters = overrides.get("environment_parameters")
    if not isinstance(parameters, Mapping):
        return names
    for setting in parameters.values():
        lessons = setting.get("curriculum") if isinstance(setting, Mapping) else None
        for lesson in lessons if isinstance(lessons, list) else []:
            criteria = lesson.get("completion_criteria") if isinstance(lesson, Mapping) else None
            name = criteria.get("behavior") if isinstance(criteria, Mapping) else None
            if isinstance(name, str) and name not in names:
                names.append(name)
    return names[:1]  # one behavior per job: the first name decides; another name is then reported as unknown
