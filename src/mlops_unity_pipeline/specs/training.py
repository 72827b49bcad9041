"""``RLTrainingConfig``: how a job trains (the guide's); ``specs/mlagents.py`` maps it onto ML-Agents."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import SpecError
from ._common import _bool, _check_keys, _choice, _float, _int, _plain, _str
from .enums import TRAINER_BACKEND_ALIASES, Algorithm, BuildBackend, CodegenProvider, TrainerBackend
from .mlagents import run_options_dict, to_run_options, validate_overrides

if TYPE_CHECKING:
    from ..rl.config import RunOptions


@dataclass(frozen=True)
class RLTrainingConfig:
    """How to train (the guide's ``RLTrainingConfig``); maps onto an ML-Agents ``RunOptions``."""

    algorithm: Algorithm = Algorithm.PPO
    """``PPO``, ``SAC`` or ``POCA`` (ML-Agents ``trainer_type``; case-insensitive)."""
    max_steps: int = 500_000
    """Environment steps to train for (ML-Agents ``max_steps``)."""
    num_envs: int = 1
    """Parallel environment instances (ML-Agents ``--num-envs``)."""
    time_scale: float = 20.0
    """Simulation speed-up while training (ML-Agents ``engine_settings.time_scale``)."""
    demonstrations_path: str | None = None
    """A ``.demo`` file or a folder of them: used for behavioral cloning (offline RL) or GAIL."""
    use_offline_rl: bool = False
    """Pretrain from ``demonstrations_path`` (behavioral cloning over the whole run), then improve online."""
    seed: int | None = None
    """Random seed for environments and the trainer; None = pick one and record it in the metadata."""
    build_backend: BuildBackend = BuildBackend.SIM
    """``sim`` (built-in simulator, default) or ``unity`` (Unity Editor batch build)."""
    trainer_backend: TrainerBackend = TrainerBackend.BUILTIN
    """``builtin`` (PyTorch trainer, default) or ``mlagents`` (ML-Agents' ``mlagents-learn`` on the Unity
    player; alias ``mlagents-learn``)."""
    evaluation_episodes: int = 20
    """Episodes the evaluate stage runs with the exported ONNX policy (and with a random baseline)."""
    codegen_provider: CodegenProvider = CodegenProvider.RULES
    """Interpreter/codegen provider: ``rules`` (offline default), ``openai`` or ``anthropic``."""
    mlagents_overrides: dict[str, Any] = field(default_factory=dict)
    """Any ML-Agents trainer YAML setting, deep-merged last (top-level keys of the trainer YAML, e.g.
    ``{"default_settings": {"hyperparameters": {"batch_size": 128}}}``); validated by the strict loader."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "algorithm", _choice(self.algorithm, Algorithm, "rl_config.algorithm"))
        object.__setattr__(self, "max_steps", _int(self.max_steps, "rl_config.max_steps", minimum=1))
        object.__setattr__(self, "num_envs", _int(self.num_envs, "rl_config.num_envs", minimum=1))
        if self.num_envs > 1024:
            raise SpecError(f"rl_config.num_envs: at most 1024, got {self.num_envs}")
        object.__setattr__(self, "time_scale", _float(self.time_scale, "rl_config.time_scale", positive=True))
        if self.demonstrations_path is not None:
            path = self.demonstrations_path
            if isinstance(path, Path):
                path = str(path)
            object.__setattr__(
                self, "demonstrations_path", _str(path, "rl_config.demonstrations_path", allow_empty=False)
            )
        _bool(self.use_offline_rl, "rl_config.use_offline_rl")
        if self.use_offline_rl and self.demonstrations_path is None:
            raise SpecError(
                "rl_config.use_offline_rl: needs rl_config.demonstrations_path (the .demo file or folder)"
            )
        if self.seed is not None:
            object.__setattr__(self, "seed", _int(self.seed, "rl_config.seed", minimum=0))
        object.__setattr__(
            self, "build_backend", _choice(self.build_backend, BuildBackend, "rl_config.build_backend")
        )
        trainer_backend = self.trainer_backend
        if isinstance(trainer_backend, str) and trainer_backend.lower() in TRAINER_BACKEND_ALIASES:
            trainer_backend = TRAINER_BACKEND_ALIASES[trainer_backend.lower()]
        object.__setattr__(
            self,
            "trainer_backend",
            _choice(trainer_backend, TrainerBackend, "rl_config.trainer_backend"),
        )
        if self.trainer_backend is TrainerBackend.MLAGENTS and self.build_backend is not BuildBackend.UNITY:
            # mlagents-learn needs an executable environment to launch; the simulator path has none.
            raise SpecError(
                "rl_config.trainer_backend: 'mlagents' trains against the Unity player of build_backend: "
                f"unity (got build_backend: '{self.build_backend}'); set build_backend: unity, or use "
                "trainer_backend: builtin with the simulator"
            )
        object.__setattr__(
            self,
            "evaluation_episodes",
            _int(self.evaluation_episodes, "rl_config.evaluation_episodes", minimum=1),
        )
        object.__setattr__(
            self,
            "codegen_provider",
            _choice(self.codegen_provider, CodegenProvider, "rl_config.codegen_provider"),
        )
        overrides = self.mlagents_overrides
        if not isinstance(overrides, Mapping):
            raise SpecError(
                f"rl_config.mlagents_overrides: expected a mapping, got {type(overrides).__name__}"
            )
        if overrides:
            # The config area owns the section names; imported here so that loading a spec without
            # overrides does not import it (and numpy with it).
            from ..rl.config import RUN_OPTIONS_KEYS  # start-up

            _check_keys(overrides, RUN_OPTIONS_KEYS, "rl_config.mlagents_overrides")
        object.__setattr__(self, "mlagents_overrides", copy.deepcopy(dict(overrides)))
        if overrides:
            self._validate_overrides()

    def _validate_overrides(self) -> None:
        # Build the full configuration once so a bad ML-Agents key fails when the spec is written, not minutes
        # later in the train stage (specs/mlagents.py).
        validate_overrides(self)

    def run_options_dict(
        self, behavior_name: str, *, run_id: str | None = None, results_dir: str | Path | None = None
    ) -> dict[str, Any]:
        """Return the ML-Agents trainer configuration as a YAML-ready dict (``mlagents.run_options_dict``).

        Raises:
            SpecError: when ``mlagents_overrides.behaviors`` names a different behavior.

        """
        return run_options_dict(self, behavior_name, run_id=run_id, results_dir=results_dir)

    def to_run_options(
        self, behavior_name: str, *, run_id: str | None = None, results_dir: str | Path | None = None
    ) -> RunOptions:
        """Map this config onto an ML-Agents ``RunOptions`` (``specs.mlagents.to_run_options``).

        Raises:
            ConfigError: when an override is not a valid ML-Agents setting (names the key and section).

        """
        return to_run_options(self, behavior_name, run_id=run_id, results_dir=results_dir)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "rl_config") -> RLTrainingConfig:
        """Build from a mapping, rejecting unknown keys.

        Args:
            data: the mapping (e.g. parsed YAML).
            where: how to name this mapping in errors.

        Returns:
            The validated config.

        Raises:
            SpecError: on an unknown key or a bad value.

        """
        names = tuple(f.name for f in fields(cls))
        return cls(**_check_keys(data, names, where))

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON/YAML-ready dict that ``from_dict`` loads back equal."""
        return {f.name: _plain(copy.deepcopy(getattr(self, f.name))) for f in fields(self)}
