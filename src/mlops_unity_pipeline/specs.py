"""What users write: asset specs, training configs, jobs and schedules; strict validation, YAML/JSON loading.

Every spec is a frozen dataclass validated in ``__post_init__``: a bad field raises ``SpecError`` naming the
field and what was expected. ``from_dict`` rejects unknown keys (ML-Agents' ``strict_to_cls`` behaviour) and
``to_dict`` gives a JSON/YAML-ready dict that loads back equal.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import _validate as _v
from ._validate import ID_PATTERN as ID_PATTERN  # re-exported: the package's one id pattern
from ._validate import deep_merge, short, validate_id
from .errors import ScheduleError, SpecError

if TYPE_CHECKING:
    from .rl.config import RunOptions

_T = TypeVar("_T")

# The id pattern, converters and merge are the package's one strict-loading helper set (``_validate``);
# ``ID_PATTERN``, ``validate_id``, ``deep_merge`` and ``load_mapping`` stay importable from here.
MAX_OBSERVATION_SIZE = 65_536
"""Largest size of one observation item (a 256x256 grid); sizes allocate simulator and network memory."""
MAX_ACTION_SIZE = 1024
"""Largest continuous action size, discrete branch count and branch size."""

_check_keys = _v.check_keys
_int = _v.to_int
_float = _v.to_float
_str = _v.to_str
_bool = _v.to_bool
_choice = _v.to_choice


def _plain(value: Any) -> Any:
    # Enum fields are written as their values: YAML's safe dumper knows no enum type.
    return value.value if isinstance(value, Enum) else value


# --- asset spec ---------------------------------------------------------------------------------------------


class AssetType(str, Enum):
    """What a Unity asset spec describes."""

    BEHAVIOR = "behavior"
    """An agent behavior: generated C# Agent + a simulator task + a trained policy."""


class ActionType(str, Enum):
    """Kind of a behavior's actions (``action_space.type``)."""

    CONTINUOUS = "continuous"
    DISCRETE = "discrete"


@dataclass(frozen=True)
class UnityAssetSpec:
    """A Unity asset to generate, build and train a policy for (the guide's ``UnityAssetSpec``)."""

    asset_id: str
    """Safe id (``validate_id``); one registered model per asset id."""
    name: str
    """Human name; also the C# class and behavior name of the generated agent."""
    asset_type: str = "behavior"
    """What the asset is; only ``behavior`` today."""
    description: str = ""
    """Natural-language description the interpreter turns into a behavior ("Navigate around obstacles")."""
    observation_space: dict[str, int] | None = None
    """Observation items in order, name → size (``{"raycast": 8, "velocity": 2}``); None = auto."""
    action_space: dict[str, Any] | None = None
    """``{"type": "continuous", "size": 2}`` or ``{"type": "discrete", "branches": [5]}``; None = auto."""

    def __post_init__(self) -> None:
        validate_id(self.asset_id, "asset_spec.asset_id")
        _str(self.name, "asset_spec.name", allow_empty=False)
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_ -]{0,63}", self.name):
            raise SpecError(
                f"asset_spec.name: {short(self.name)} must start with a letter or '_' and hold at most 64 "
                "letters, "
                "digits, spaces, '_' or '-' (it becomes a C# class name)"
            )
        object.__setattr__(
            self, "asset_type", _choice(self.asset_type, AssetType, "asset_spec.asset_type").value
        )
        _str(self.description, "asset_spec.description")
        if self.observation_space is not None:
            if not isinstance(self.observation_space, Mapping) or not self.observation_space:
                raise SpecError("asset_spec.observation_space: expected a non-empty mapping of name -> size")
            clean: dict[str, int] = {}
            for key, size in self.observation_space.items():
                if not isinstance(key, str) or not key:
                    raise SpecError(f"asset_spec.observation_space: keys must be names, got {short(key)}")
                clean[key] = _int(
                    size, f"asset_spec.observation_space.{key}", minimum=1, maximum=MAX_OBSERVATION_SIZE
                )
            object.__setattr__(self, "observation_space", clean)
        if self.action_space is not None:
            object.__setattr__(self, "action_space", _validate_action_space(self.action_space))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "asset_spec") -> UnityAssetSpec:
        """Build from a mapping, rejecting unknown keys.

        Args:
            data: the mapping (e.g. parsed YAML).
            where: how to name this mapping in errors.

        Returns:
            The validated spec.

        Raises:
            SpecError: on an unknown key, a missing required key or a bad value.

        """
        names = tuple(f.name for f in fields(cls))
        return cls(**_check_keys(data, names, where, required=("asset_id", "name")))

    @classmethod
    def of(cls, asset: Any, where: str = "asset") -> UnityAssetSpec:
        """Read an asset from a ``UnityAssetSpec``, a mapping of its fields, or any object that has them.

        Args:
            asset: the asset (an object's missing or None attributes take the defaults).
            where: how to name the asset in errors.

        Returns:
            The validated spec (``asset`` itself when it already is one).

        Raises:
            SpecError: when ``asset_id`` or ``name`` is missing, or a field is invalid.

        """
        if isinstance(asset, cls):
            return asset
        if isinstance(asset, Mapping):
            return cls.from_dict(asset, where)
        values = {f.name: getattr(asset, f.name, None) for f in fields(cls)}
        for required in ("asset_id", "name"):
            if values[required] is None:
                raise SpecError(f"{where}: missing field '{required}' on {type(asset).__name__}")
        return cls(**{k: v for k, v in values.items() if v is not None})

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON/YAML-ready dict that ``from_dict`` loads back equal."""
        return {
            "asset_id": self.asset_id,
            "name": self.name,
            "asset_type": self.asset_type,
            "description": self.description,
            "observation_space": dict(self.observation_space) if self.observation_space is not None else None,
            "action_space": copy.deepcopy(self.action_space),
        }


def _validate_action_space(value: Any) -> dict[str, Any]:
    where = "asset_spec.action_space"
    data = _check_keys(value, ("type", "size", "branches"), where, required=("type",))
    kind = _choice(data["type"], ActionType, f"{where}.type")
    out: dict[str, Any] = {"type": kind.value}
    if kind is ActionType.CONTINUOUS:
        if "branches" in data:
            raise SpecError(
                f"{where}.branches: only discrete actions have branches (use size for continuous)"
            )
        out["size"] = _int(data.get("size"), f"{where}.size", minimum=1, maximum=MAX_ACTION_SIZE)
    else:
        if "branches" in data:
            branches = data["branches"]
            if not isinstance(branches, (list, tuple)) or not branches or len(branches) > MAX_ACTION_SIZE:
                raise SpecError(
                    f"{where}.branches: expected a non-empty list of at most {MAX_ACTION_SIZE} branch sizes, "
                    f"got {short(branches)}"
                )
            out["branches"] = [
                _int(b, f"{where}.branches[{i}]", minimum=1, maximum=MAX_ACTION_SIZE)
                for i, b in enumerate(branches)
            ]
        elif "size" in data:
            # {"type": "discrete", "size": 5} reads as one branch of 5 actions.
            out["branches"] = [_int(data["size"], f"{where}.size", minimum=1, maximum=MAX_ACTION_SIZE)]
        else:
            raise SpecError(f"{where}: discrete actions need 'branches' (list of sizes) or 'size'")
    return out


# --- training config ----------------------------------------------------------------------------------------


class Algorithm(StrEnum):
    """Trainer algorithms as the guide writes them (upper case); ``TRAINER_TYPES`` maps them to ML-Agents'."""

    PPO = "PPO"
    SAC = "SAC"
    POCA = "POCA"

    @property
    def trainer_type(self) -> str:
        """ML-Agents' ``trainer_type`` for this algorithm (``TRAINER_TYPES``)."""
        return TRAINER_TYPES[self]


TRAINER_TYPES: dict[Algorithm, str] = {Algorithm.PPO: "ppo", Algorithm.SAC: "sac", Algorithm.POCA: "poca"}
"""The one mapping from ``rl_config.algorithm`` to ML-Agents' ``trainer_type`` (``rl.config.TrainerType``
values, kept as strings so that loading a spec does not import the trainer schema; tests/test_specs.py checks
the mapping is one-to-one onto ``TrainerType``)."""


class BuildBackend(StrEnum):
    """How the environment is built."""

    SIM = "sim"
    """The built-in headless simulator (embedded default)."""
    UNITY = "unity"
    """A Unity Editor batch-mode build (needs ``UNITY_EDITOR_PATH``)."""


class TrainerBackend(StrEnum):
    """Who trains."""

    BUILTIN = "builtin"
    """The built-in PyTorch trainer (embedded default)."""
    MLAGENTS = "mlagents"
    """ML-Agents' own ``mlagents-learn`` on the Unity player (needs ``build_backend: unity`` and
    ``MLAGENTS_LEARN`` or ``.venv-mlagents``; ``mlagents-learn`` is accepted as an alias)."""


class CodegenProvider(StrEnum):
    """Who interprets the description and writes the method bodies."""

    RULES = "rules"
    """The offline rule-based interpreter and templates (default)."""
    OPENAI = "openai"
    ANTHROPIC = "anthropic"


TRAINER_BACKEND_ALIASES = {"mlagents-learn": TrainerBackend.MLAGENTS}
"""Other spellings of a trainer backend, normalised to the documented value (``to_dict`` writes that one)."""


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
            from .rl.config import RUN_OPTIONS_KEYS  # start-up

            _check_keys(overrides, RUN_OPTIONS_KEYS, "rl_config.mlagents_overrides")
        object.__setattr__(self, "mlagents_overrides", copy.deepcopy(dict(overrides)))
        if overrides:
            self._validate_overrides()

    def _validate_overrides(self) -> None:
        # Build the full configuration once so a bad ML-Agents key fails when the spec is written, not minutes
        # later in the train stage. Behavior names in overrides are unknown until interpretation: check each.
        names = list((self.mlagents_overrides.get("behaviors") or {}).keys())
        names = names or _curriculum_behaviors(self.mlagents_overrides) or ["Behavior"]
        for name in names:
            self.to_run_options(str(name))

    def run_options_dict(
        self, behavior_name: str, *, run_id: str | None = None, results_dir: str | Path | None = None
    ) -> dict[str, Any]:
        """Return the ML-Agents trainer configuration as a YAML-ready dict (before strict loading).

        Args:
            behavior_name: the behavior's name (the ``behaviors`` key).
            run_id: ``checkpoint_settings.run_id`` to set (the pipeline uses the job id).
            results_dir: ``checkpoint_settings.results_dir`` to set.

        Returns:
            The merged dict: pipeline defaults, the spec's fields, then ``mlagents_overrides``.

        Raises:
            SpecError: when ``mlagents_overrides.behaviors`` names a different behavior.

        """
        algorithm = self.algorithm
        behavior: dict[str, Any] = copy.deepcopy(BASE_BEHAVIOR_SETTINGS[algorithm])
        behavior["max_steps"] = self.max_steps
        # A summary every ~5% of the run gives a learning curve of ~20 points, at least every 1000 steps.
        behavior["summary_freq"] = max(1000, self.max_steps // 20)
        behavior["checkpoint_interval"] = max(1000, self.max_steps // 5)
        if self.demonstrations_path is not None:
            if self.use_offline_rl:
                # Offline RL as ML-Agents does it: behavioral cloning from the demonstrations, annealed over
                # the whole run (steps = max_steps), then the online objective takes over
                # (``BehavioralCloningSettings`` in ML-Agents' ``trainers/settings.py``).
                behavior["behavioral_cloning"] = {
                    "demo_path": self.demonstrations_path,
                    "strength": 1.0,
                    "steps": self.max_steps,
                }
            else:
                # Demonstrations without offline RL: a small GAIL reward next to the extrinsic one, like
                # config/imitation/PushBlock.yaml (gail strength 0.01).
                behavior["reward_signals"]["gail"] = {
                    "gamma": 0.99,
                    "strength": 0.01,
                    "demo_path": self.demonstrations_path,
                }
        overrides = self.mlagents_overrides
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
            "env_settings": {"num_envs": self.num_envs, "seed": -1 if self.seed is None else self.seed},
            "engine_settings": {"time_scale": self.time_scale, "no_graphics": True},
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
        self, behavior_name: str, *, run_id: str | None = None, results_dir: str | Path | None = None
    ) -> RunOptions:
        """Map this config onto an ML-Agents ``RunOptions`` through the strict config loader.

        Args:
            behavior_name: the behavior's name (the ``behaviors`` key).
            run_id: ``checkpoint_settings.run_id`` to set.
            results_dir: ``checkpoint_settings.results_dir`` to set.

        Returns:
            The validated ``RunOptions``.

        Raises:
            ConfigError: when an override is not a valid ML-Agents setting (names the key and section).

        """
        from .rl.config import RunOptions  # start-up

        data = self.run_options_dict(behavior_name, run_id=run_id, results_dir=results_dir)
        return RunOptions.from_dict(data, source="rl_config.mlagents_overrides")

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


# --- where a job runs ---------------------------------------------------------------------------------------


class Executor(StrEnum):
    """Where a job's stages run."""

    AUTO = "auto"
    """Ray when ``RAY_ADDRESS`` is set, else local (default)."""
    LOCAL = "local"
    """A worker thread of the orchestrator's process (embedded default)."""
    RAY = "ray"
    """A Ray task on the cluster at ``RAY_ADDRESS`` (or a local Ray instance), with the resources below."""


def resolve_executor(executor: Executor) -> Executor:
    """Return ``LOCAL`` or ``RAY`` for a job's or a sweep's executor.

    ``auto`` is Ray when ``RAY_ADDRESS`` (Ray's own variable) is set now, else local.
    """
    if executor is Executor.AUTO:
        return Executor.RAY if os.environ.get("RAY_ADDRESS", "").strip() else Executor.LOCAL
    return executor


_RAY_BUILTIN_RESOURCES = ("CPU", "GPU", "memory", "object_store_memory")


@dataclass(frozen=True)
class ExecutionSpec:
    """Where and with what resources a job runs (``execution:`` in a job or schedule file)."""

    executor: Executor = Executor.AUTO
    """``auto`` (Ray when ``RAY_ADDRESS`` is set), ``local`` or ``ray``."""
    num_cpus: float = 1.0
    """CPUs the Ray task holds while it runs."""
    num_gpus: float = 0.0
    """GPUs the Ray task holds (fractions allowed, Ray's semantics)."""
    resources: dict[str, float] = field(default_factory=dict)
    """Custom Ray resources, e.g. ``{"unity": 1}`` to land on a node with Unity installed."""
    max_retries: int = 2
    """Times Ray re-runs the job after its worker process or node died (0-10); the retry resumes from the
    last finished stage and training checkpoint."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "executor", _choice(self.executor, Executor, "execution.executor"))
        for name in ("num_cpus", "num_gpus"):
            value = _float(getattr(self, name), f"execution.{name}")
            if value < 0:
                raise SpecError(f"execution.{name}: must be >= 0, got {value}")
            object.__setattr__(self, name, value)
        if not isinstance(self.resources, Mapping):
            raise SpecError("execution.resources: expected a mapping of resource name -> amount")
        clean: dict[str, float] = {}
        for key, amount in self.resources.items():
            if not isinstance(key, str) or not key or key in _RAY_BUILTIN_RESOURCES:
                raise SpecError(
                    f"execution.resources: bad custom resource name {key!r} (use num_cpus/num_gpus for "
                    "CPU and GPU)"
                )
            clean[key] = _float(amount, f"execution.resources.{key}", positive=True)
        object.__setattr__(self, "resources", clean)
        retries = _int(self.max_retries, "execution.max_retries", minimum=0)
        if retries > 10:
            raise SpecError(f"execution.max_retries: at most 10, got {retries}")
        object.__setattr__(self, "max_retries", retries)

    def resolved_executor(self) -> Executor:
        """Return ``LOCAL`` or ``RAY``: ``auto`` reads ``RAY_ADDRESS`` now (``resolve_executor``)."""
        return resolve_executor(self.executor)

    def ray_options(self) -> dict[str, Any]:
        """Return the resource keyword arguments of Ray's ``.options(...)``."""
        out: dict[str, Any] = {"num_cpus": self.num_cpus, "num_gpus": self.num_gpus}
        if self.resources:
            out["resources"] = dict(self.resources)
        return out

    @classmethod
    def from_dict(cls, data: Any, where: str = "execution") -> ExecutionSpec:
        """Build from a mapping, rejecting unknown keys.

        Raises:
            SpecError: on an unknown key or a bad value.

        """
        if isinstance(data, ExecutionSpec):
            return data
        return cls(**_check_keys(data, tuple(f.name for f in fields(cls)), where))

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON/YAML-ready dict that ``from_dict`` loads back equal."""
        return {f.name: _plain(copy.deepcopy(getattr(self, f.name))) for f in fields(self)}


# --- job and schedule ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingJob:
    """One asset trained with one config (the guide's ``TrainingJob``)."""

    job_id: str
    """Safe id (``validate_id``); the job's folder under ``<workspace>/jobs/``."""
    asset_spec: UnityAssetSpec
    """What to generate and train."""
    rl_config: RLTrainingConfig = field(default_factory=RLTrainingConfig)
    """How to train."""
    execution: ExecutionSpec = field(default_factory=ExecutionSpec)
    """Where it runs: locally (default) or as a Ray task with resources and bounded retries."""

    def __post_init__(self) -> None:
        validate_id(self.job_id, "job_id")
        object.__setattr__(self, "execution", ExecutionSpec.from_dict(self.execution))
        if isinstance(self.asset_spec, Mapping):
            object.__setattr__(self, "asset_spec", UnityAssetSpec.from_dict(self.asset_spec))
        if not isinstance(self.asset_spec, UnityAssetSpec):
            raise SpecError(f"asset_spec: expected a UnityAssetSpec, got {type(self.asset_spec).__name__}")
        if isinstance(self.rl_config, Mapping):
            object.__setattr__(self, "rl_config", RLTrainingConfig.from_dict(self.rl_config))
        if not isinstance(self.rl_config, RLTrainingConfig):
            raise SpecError(f"rl_config: expected an RLTrainingConfig, got {type(self.rl_config).__name__}")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "job") -> TrainingJob:
        """Build from a mapping (``job_id``, ``asset_spec``, ``rl_config``), rejecting unknown keys.

        Args:
            data: the mapping (e.g. parsed YAML).
            where: how to name this mapping in errors.

        Returns:
            The validated job.

        Raises:
            SpecError: on an unknown key, a missing key or a bad value (names the field).

        """
        data = _check_keys(
            data,
            ("job_id", "asset_spec", "rl_config", "execution"),
            where,
            required=("job_id", "asset_spec"),
        )
        return cls(
            job_id=data["job_id"],
            asset_spec=UnityAssetSpec.from_dict(data["asset_spec"]),
            rl_config=RLTrainingConfig.from_dict(data.get("rl_config") or {}),
            execution=ExecutionSpec.from_dict(data.get("execution") or {}),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON/YAML-ready dict that ``from_dict`` loads back equal."""
        out = {
            "job_id": self.job_id,
            "asset_spec": self.asset_spec.to_dict(),
            "rl_config": self.rl_config.to_dict(),
        }
        if self.execution != ExecutionSpec():  # jobs that run locally keep their record unchanged
            out["execution"] = self.execution.to_dict()
        return out


class OverlapPolicy(StrEnum):
    """What a schedule does when it fires while its previous run is still going."""

    SKIP = "skip"
    """Do not start a new run (default)."""
    QUEUE = "queue"
    """Start the new run after the previous one finishes."""
    ALLOW = "allow"
    """Start the new run right away, next to the previous one."""


@dataclass(frozen=True)
class TrainingSchedule:
    """Recurrent training of one or more assets on a cron expression (the guide's ``TrainingSchedule``)."""

    schedule_id: str
    """Safe id (``validate_id``)."""
    cron_expression: str
    """Five-field cron expression (or an ``@daily``-style macro), e.g. ``"0 2 * * *"`` for 02:00 every day."""
    asset_specs: list[UnityAssetSpec]
    """Assets trained at each fire (one job per asset)."""
    rl_config: RLTrainingConfig = field(default_factory=RLTrainingConfig)
    """How each job trains."""
    timezone: str = "UTC"
    """IANA time zone the cron expression is read in."""
    misfire_grace_seconds: int = 3600
    """A fire missed (scheduler down) by at most this long still runs once; older ones are skipped."""
    overlap_policy: OverlapPolicy = OverlapPolicy.SKIP
    """``skip``, ``queue`` or ``allow`` (see ``OverlapPolicy``)."""
    enabled: bool = True
    """Paused schedules keep their state but do not fire."""
    execution: ExecutionSpec = field(default_factory=ExecutionSpec)
    """Where each fire's jobs run (``executor: ray`` dispatches them to the cluster)."""

    def __post_init__(self) -> None:
        validate_id(self.schedule_id, "schedule_id")
        object.__setattr__(self, "execution", ExecutionSpec.from_dict(self.execution))
        object.__setattr__(self, "cron_expression", _v.validate_cron(self.cron_expression))
        if not isinstance(self.asset_specs, (list, tuple)) or not self.asset_specs:
            raise SpecError("asset_specs: expected a non-empty list of asset specs")
        specs = [
            UnityAssetSpec.from_dict(a, f"asset_specs[{i}]") if isinstance(a, Mapping) else a
            for i, a in enumerate(self.asset_specs)
        ]
        for i, spec in enumerate(specs):
            if not isinstance(spec, UnityAssetSpec):
                raise SpecError(f"asset_specs[{i}]: expected a UnityAssetSpec, got {type(spec).__name__}")
        ids = [s.asset_id for s in specs]
        if len(set(ids)) != len(ids):
            raise SpecError(f"asset_specs: asset ids must be unique, got {ids}")
        object.__setattr__(self, "asset_specs", specs)
        if isinstance(self.rl_config, Mapping):
            object.__setattr__(self, "rl_config", RLTrainingConfig.from_dict(self.rl_config))
        if not isinstance(self.rl_config, RLTrainingConfig):
            raise SpecError(f"rl_config: expected an RLTrainingConfig, got {type(self.rl_config).__name__}")
        _str(self.timezone, "timezone", allow_empty=False)
        try:
            from zoneinfo import ZoneInfo

            ZoneInfo(self.timezone)
        except Exception as exc:  # ZoneInfoNotFoundError, ValueError on odd keys
            raise ScheduleError(
                f"timezone: unknown time zone {short(self.timezone)} (expected an IANA name)"
            ) from exc
        object.__setattr__(
            self,
            "misfire_grace_seconds",
            _int(self.misfire_grace_seconds, "misfire_grace_seconds", minimum=0),
        )
        object.__setattr__(
            self, "overlap_policy", _choice(self.overlap_policy, OverlapPolicy, "overlap_policy")
        )
        _bool(self.enabled, "enabled")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "schedule") -> TrainingSchedule:
        """Build from a mapping, rejecting unknown keys.

        Args:
            data: the mapping (e.g. parsed YAML).
            where: how to name this mapping in errors.

        Returns:
            The validated schedule.

        Raises:
            SpecError: on an unknown key, a missing key or a bad value.

        """
        names = tuple(f.name for f in fields(cls))
        data = _check_keys(data, names, where, required=("schedule_id", "cron_expression", "asset_specs"))
        if "rl_config" in data and isinstance(data["rl_config"], Mapping):
            data["rl_config"] = RLTrainingConfig.from_dict(data["rl_config"])
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON/YAML-ready dict that ``from_dict`` loads back equal."""
        return {
            "schedule_id": self.schedule_id,
            "cron_expression": self.cron_expression,
            "asset_specs": [a.to_dict() for a in self.asset_specs],
            "rl_config": self.rl_config.to_dict(),
            "timezone": self.timezone,
            "misfire_grace_seconds": self.misfire_grace_seconds,
            "overlap_policy": self.overlap_policy.value,
            "enabled": self.enabled,
            **({"execution": self.execution.to_dict()} if self.execution != ExecutionSpec() else {}),
        }


# --- files --------------------------------------------------------------------------------------------------


def load_mapping(path: Path | str) -> dict[str, Any]:
    """Read a YAML or JSON file that must hold one mapping, within ``_validate``'s input bounds.

    Args:
        path: a ``.yaml``/``.yml``/``.json`` file.

    Returns:
        The parsed mapping.

    Raises:
        SpecError: when the file is missing, unreadable, too large, too deeply nested, expands too far through
            YAML aliases, is not valid YAML/JSON or is not a mapping (the message names the file).

    """
    return _v.load_mapping(path, what="spec file")


def load_asset(path: Path | str) -> UnityAssetSpec:
    """Load a ``UnityAssetSpec`` from a YAML or JSON file; a whole job file (``asset_spec:`` key) works too.

    Args:
        path: the file.

    Returns:
        The validated asset spec.

    Raises:
        SpecError: when the file is not valid YAML/JSON or its fields are invalid (naming the file).
        FileNotFoundError: when the file does not exist (callers tell a missing file from a bad one).

    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(path)
    data = _v.load_document(path, what="asset spec file")
    if isinstance(data, Mapping) and "asset_spec" in data:
        data = data["asset_spec"]
    if not isinstance(data, Mapping):
        raise SpecError(f"{path}: expected a mapping of UnityAssetSpec fields")
    try:
        return UnityAssetSpec.from_dict(dict(data))
    except SpecError as exc:
        raise SpecError(f"{path}: {exc}") from None


def load_job(path: Path | str) -> TrainingJob:
    """Load a ``TrainingJob`` from a YAML or JSON file (keys ``job_id``, ``asset_spec``, ``rl_config``).

    Args:
        path: the job file.

    Returns:
        The validated job.

    Raises:
        SpecError: naming the file and the bad field.

    """
    return _load_file(path, TrainingJob.from_dict)


def load_schedule(path: Path | str) -> TrainingSchedule:
    """Load a ``TrainingSchedule`` from a YAML or JSON file.

    Args:
        path: the schedule file.

    Returns:
        The validated schedule.

    Raises:
        SpecError: naming the file and the bad field.

    """
    return _load_file(path, TrainingSchedule.from_dict)


def _load_file(path: Path | str, from_dict: Callable[[dict[str, Any]], _T]) -> _T:
    # One loader for every spec file: the error names the file before the field.
    data = load_mapping(path)
    try:
        return from_dict(data)
    except SpecError as exc:
        raise type(exc)(f"{path}: {exc}") from None
