"""Settings builders for trainer tests (real ``rl.config`` objects, small budgets)."""

from __future__ import annotations

from typing import Any

from mlops_unity_pipeline.rl.config import RunOptions


def ppo_options(
    behavior: str = "Line",
    *,
    results_dir: str,
    run_id: str = "run",
    max_steps: int = 2000,
    summary_freq: int = 500,
    checkpoint_interval: int = 1000,
    extra: dict[str, Any] | None = None,
    **checkpoint: Any,
) -> RunOptions:
    """A small PPO configuration for the toy env (or a sim task)."""
    behavior_cfg: dict[str, Any] = {
        "trainer_type": "ppo",
        "hyperparameters": {
            "batch_size": 64,
            "buffer_size": 256,
            "learning_rate": 3.0e-3,
            "beta": 1.0e-3,
            "num_epoch": 3,
            "lambd": 0.95,
        },
        "network_settings": {"normalize": True, "hidden_units": 32, "num_layers": 2},
        "reward_signals": {"extrinsic": {"gamma": 0.95, "strength": 1.0}},
        "max_steps": max_steps,
        "time_horizon": 16,
        "summary_freq": summary_freq,
        "checkpoint_interval": checkpoint_interval,
        "keep_checkpoints": 2,
    }
    if extra:
        for key, value in extra.items():
            if isinstance(value, dict) and isinstance(behavior_cfg.get(key), dict):
                behavior_cfg[key] = {**behavior_cfg[key], **value}
            else:
                behavior_cfg[key] = value
    data = {
        "behaviors": {behavior: behavior_cfg},
        "env_settings": {"seed": 1},
        "checkpoint_settings": {"run_id": run_id, "results_dir": results_dir, **checkpoint},
    }
    return RunOptions.from_dict(data)


def sac_options(behavior: str = "Line", **kwargs: Any) -> RunOptions:
    """A small SAC configuration for the toy env."""
    extra = {
        "trainer_type": "sac",
        "hyperparameters": {
            "batch_size": 32,
            "buffer_size": 5000,
            "learning_rate": 3.0e-3,
            "tau": 0.01,
            "steps_per_update": 4,
            "init_entcoef": 0.2,
            "buffer_init_steps": 100,
        },
    }
    options = ppo_options(behavior, **kwargs)
    data = options.to_dict()
    settings = data["behaviors"][behavior]
    settings["trainer_type"] = "sac"
    settings["hyperparameters"] = extra["hyperparameters"]
    return RunOptions.from_dict(data)
