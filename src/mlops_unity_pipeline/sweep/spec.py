"""``SweepSpec``: what a hyperparameter sweep searches, how it scores trials, and how it runs them.

A sweep file is YAML/JSON. The base job is written like a job file without ``job_id`` (each trial gets
``<sweep_id>-t<NNNN>``); ``search_space`` keys are dotted paths into the behavior's ML-Agents settings
(``hyperparameters.learning_rate``, ``network_settings.hidden_units``, ``reward_signals.extrinsic.gamma`` …)
or ``environment_parameters.<name>`` for an environment (reset) parameter::

    sweep_id: reach-lr
    asset_spec: {asset_id: reach-001, name: ReachAgent, description: Reach a target position}
    rl_config: {max_steps: 20000, num_envs: 4}
    search_space:
      hyperparameters.learning_rate: {type: float, low: 1.0e-4, high: 3.0e-3, log: true}
      network_settings.hidden_units: {type: categorical, choices: [64, 128]}
    n_trials: 8
    parallelism: 2
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from enum import Enum
from pathlib import Path
from typing import Any

from .._validate import check_keys as _check_keys
from .._validate import deep_merge, load_mapping, validate_id
from .._validate import to_choice as _choice
from .._validate import to_int as _int
from ..errors import ConfigError, SpecError
from ..specs import ExecutionSpec, Executor, RLTrainingConfig, TrainingJob, UnityAssetSpec

MAX_TRIALS = 10_000
"""Upper bound of ``n_trials`` (a typo like 1e9 must not start an endless sweep)."""
MAX_PARALLELISM = 256
"""Upper bound of ``parallelism``."""
MAX_PARAMS = 64
"""Upper bound of search-space dimensions."""
MAX_CHOICES = 256
"""Upper bound of a categorical parameter's choices."""
ENV_PREFIX = "environment_parameters."
"""Search-space keys with this prefix set an environment (reset) parameter to a constant."""


class ParamKind(str, Enum):
    """The distribution a search-space parameter is drawn from (Optuna's ``suggest_*``)."""

    FLOAT = "float"
    INT = "int"
    CATEGORICAL = "categorical"


class Direction(str, Enum):
    """Whether the objective is maximized or minimized."""

    MAXIMIZE = "maximize"
    MINIMIZE = "minimize"


class SamplerKind(str, Enum):
    """The Optuna sampler proposing trials."""

    TPE = "tpe"
    """Tree-structured Parzen Estimator (Optuna's default; Bergstra et al. 2011)."""
    RANDOM = "random"
    """Independent uniform draws (a baseline)."""


class PrunerKind(str, Enum):
    """How bad trials are stopped early on their intermediate reward."""

    MEDIAN = "median"
    """Stop a trial whose reward is below the median of earlier trials at the same step."""
    NONE = "none"
    """Run every trial to the end."""


_PARAM_KEYS = ("type", "low", "high", "log", "step", "choices")


@dataclass(frozen=True)
class ParamSpec:
    """One dimension of the search space."""

    name: str
    """Dotted path: ``hyperparameters.learning_rate`` or ``environment_parameters.<name>``."""
    kind: ParamKind
    """``float``, ``int`` or ``categorical``."""
    low: float | None = None
    """Lower bound (float/int)."""
    high: float | None = None
    """Upper bound, inclusive (float/int)."""
    log: bool = False
    """Draw on a log scale (float/int; bounds must be > 0)."""
    step: float | None = None
    """Grid step (float/int); None = continuous (float) or 1 (int)."""
    choices: tuple[Any, ...] = ()
    """The values of a categorical parameter (numbers, strings or booleans)."""

    def __post_init__(self) -> None:
        where = f"search_space.{self.name}"
        if not isinstance(self.name, str) or not self.name or any(not p for p in self.name.split(".")):
            raise SpecError(f"search_space: parameter names are dotted paths, got {self.name!r}")
        if self.name.startswith(ENV_PREFIX) and self.name.count(".") != 1:
            raise SpecError(f"{where}: expected environment_parameters.<name> (one level)")
        object.__setattr__(self, "kind", _choice(self.kind, ParamKind, f"{where}.type"))
        if self.kind is ParamKind.CATEGORICAL:
            if self.low is not None or self.high is not None or self.step is not None or self.log:
                raise SpecError(f"{where}: a categorical parameter takes only 'choices'")
            if not isinstance(self.choices, (list, tuple)) or not 1 <= len(self.choices) <= MAX_CHOICES:
                raise SpecError(f"{where}.choices: expected a list of 1-{MAX_CHOICES} values")
            for value in self.choices:
                if value is not None and not isinstance(value, (bool, int, float, str)):
                    raise SpecError(f"{where}.choices: values must be numbers, strings or booleans")
            object.__setattr__(self, "choices", tuple(self.choices))
            return
        if self.choices:
            raise SpecError(f"{where}: only categorical parameters take 'choices'")
        for bound in ("low", "high"):
            value = getattr(self, bound)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise SpecError(f"{where}.{bound}: expected a finite number, got {value!r}")
        if self.kind is ParamKind.INT:
            object.__setattr__(self, "low", _int(self.low, f"{where}.low"))
            object.__setattr__(self, "high", _int(self.high, f"{where}.high"))
        assert self.low is not None and self.high is not None  # checked just above
        if self.low > self.high:
            raise SpecError(f"{where}: low ({self.low}) must be <= high ({self.high})")
        if not isinstance(self.log, bool):
            raise SpecError(f"{where}.log: expected true or false, got {self.log!r}")
        if self.log and self.low <= 0:
            raise SpecError(f"{where}: a log-scale parameter needs low > 0, got {self.low}")
        if self.step is not None:
            if isinstance(self.step, bool) or not isinstance(self.step, (int, float)) or self.step <= 0:
                raise SpecError(f"{where}.step: expected a number > 0, got {self.step!r}")
            if self.log:
                raise SpecError(f"{where}: 'step' and 'log' cannot be combined (Optuna's rule)")
            if self.kind is ParamKind.INT:
                object.__setattr__(self, "step", _int(self.step, f"{where}.step", minimum=1))

    @property
    def is_environment_parameter(self) -> bool:
        """True for ``environment_parameters.<name>`` keys."""
        return self.name.startswith(ENV_PREFIX)

    @property
    def example(self) -> Any:
        """A value inside the space (the low bound or first choice), used to validate the paths early."""
        if self.kind is ParamKind.CATEGORICAL:
            return self.choices[0]
        return self.low

    def suggest(self, trial: Any) -> Any:
        """Draw this parameter from an Optuna trial (``trial.suggest_float`` / ``_int`` / ``_categorical``).

        Args:
            trial: an ``optuna.trial.Trial``.

        Returns:
            The value.

        """
        if self.kind is ParamKind.CATEGORICAL:
            return trial.suggest_categorical(self.name, list(self.choices))
        if self.kind is ParamKind.INT:
            return trial.suggest_int(
                self.name, int(self.low), int(self.high), step=int(self.step or 1), log=self.log
            )
        return trial.suggest_float(self.name, float(self.low), float(self.high), step=self.step, log=self.log)

    @classmethod
    def from_dict(cls, name: str, data: Any) -> ParamSpec:
        """Build from one ``search_space`` entry (``{type: float, low: .., high: .., log: true}``).

        Raises:
            SpecError: on an unknown key or a bad value (names the parameter).

        """
        data = _check_keys(data, _PARAM_KEYS, f"search_space.{name}", required=("type",))
        kind = data.pop("type")
        return cls(name=name, kind=kind, **data)

    def to_dict(self) -> dict[str, Any]:
        """Return the ``search_space`` entry that ``from_dict`` loads back equal."""
        if self.kind is ParamKind.CATEGORICAL:
            return {"type": self.kind.value, "choices": list(self.choices)}
        out: dict[str, Any] = {"type": self.kind.value, "low": self.low, "high": self.high}
        if self.log:
            out["log"] = True
        if self.step is not None:
            out["step"] = self.step
        return out


@dataclass(frozen=True)
class PrunerSpec:
    """Early stopping of bad trials on the trainer's intermediate mean reward."""

    kind: PrunerKind = PrunerKind.MEDIAN
    """``median`` (default) or ``none``."""
    startup_trials: int = 2
    """Trials that always run to the end before any pruning (the median needs a reference)."""
    warmup_steps: int = 0
    """Training steps of a trial before it may be pruned."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", _choice(self.kind, PrunerKind, "pruner.kind"))
        object.__setattr__(
            self, "startup_trials", _int(self.startup_trials, "pruner.startup_trials", minimum=0)
        )
        object.__setattr__(self, "warmup_steps", _int(self.warmup_steps, "pruner.warmup_steps", minimum=0))

    def build(self) -> Any:
        """Return the Optuna pruner (imports optuna)."""
        import optuna  # optional

        if self.kind is PrunerKind.NONE:
            return optuna.pruners.NopPruner()
        return optuna.pruners.MedianPruner(
            n_startup_trials=self.startup_trials, n_warmup_steps=self.warmup_steps
        )

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "kind": self.kind.value,
            "startup_trials": self.startup_trials,
            "warmup_steps": self.warmup_steps,
        }


_SWEEP_KEYS = (
    "sweep_id",
    "asset_spec",
    "rl_config",
    "search_space",
    "metric",
    "direction",
    "n_trials",
    "parallelism",
    "executor",
    "sampler",
    "seed",
    "pruner",
    "ray",
)

_RAY_KEYS = ("num_cpus", "num_gpus", "resources", "max_retries")


@dataclass(frozen=True)
class SweepSpec:
    """A hyperparameter sweep: a base job, a search space, an objective and how trials run."""

    sweep_id: str
    """Safe id (<= 100 chars): the study name and the folder ``<workspace>/sweeps/<sweep_id>``."""
    asset_spec: UnityAssetSpec
    """The asset every trial trains."""
    search_space: tuple[ParamSpec, ...]
    """The dimensions searched (at least one)."""
    rl_config: RLTrainingConfig = field(default_factory=RLTrainingConfig)
    """The base training config; each trial overrides the searched settings on top of it."""
    metric: str = "eval/mean_reward"
    """The objective: a metric of the evaluate stage (``eval/mean_reward``, ``eval/success_rate`` …)."""
    direction: Direction = Direction.MAXIMIZE
    """``maximize`` (default) or ``minimize``."""
    n_trials: int = 8
    """Trials to finish (complete, pruned or failed); a resumed sweep counts the ones already done."""
    parallelism: int = 1
    """Trials running at once."""
    executor: Executor = Executor.LOCAL
    """Where trials run (the jobs' ``specs.Executor``): ``local`` (this machine: inline at parallelism 1, else
    worker processes), ``ray`` (Ray tasks on the cluster at ``RAY_ADDRESS``) or ``auto`` (Ray when
    ``RAY_ADDRESS`` is set)."""
    sampler: SamplerKind = SamplerKind.TPE
    """``tpe`` (default) or ``random``."""
    seed: int | None = None
    """Sampler seed (reproducible proposals); None = random."""
    pruner: PrunerSpec = field(default_factory=PrunerSpec)
    """Early stopping of bad trials."""
    ray: ExecutionSpec = field(default_factory=lambda: ExecutionSpec(executor="ray"))
    """With ``executor: ray``: each trial task's resources (``num_cpus``, ``num_gpus``, ``resources``) and
    ``max_retries`` after a worker or node died."""

    def __post_init__(self) -> None:
        validate_id(self.sweep_id, "sweep_id")
        if len(self.sweep_id) > 100:  # trial job ids append "-tNNNN" and must stay <= 128 chars
            raise SpecError(f"sweep_id: at most 100 characters, got {len(self.sweep_id)}")
        if isinstance(self.asset_spec, Mapping):
            object.__setattr__(self, "asset_spec", UnityAssetSpec.from_dict(self.asset_spec))
        if not isinstance(self.asset_spec, UnityAssetSpec):
            raise SpecError(f"asset_spec: expected a UnityAssetSpec, got {type(self.asset_spec).__name__}")
        if isinstance(self.rl_config, Mapping):
            object.__setattr__(self, "rl_config", RLTrainingConfig.from_dict(self.rl_config))
        if not isinstance(self.rl_config, RLTrainingConfig):
            raise SpecError(f"rl_config: expected an RLTrainingConfig, got {type(self.rl_config).__name__}")
        space = tuple(self.search_space) if isinstance(self.search_space, (list, tuple)) else None
        if not space or len(space) > MAX_PARAMS or not all(isinstance(p, ParamSpec) for p in space):
            raise SpecError(f"search_space: expected 1-{MAX_PARAMS} parameters")
        names = [p.name for p in space]
        if len(set(names)) != len(names):
            raise SpecError(f"search_space: parameter names must be unique, got {names}")
        object.__setattr__(self, "search_space", space)
        if not isinstance(self.metric, str) or not self.metric.startswith(("eval/", "train/")):
            raise SpecError(f"metric: expected an eval/… or train/… metric name, got {self.metric!r}")
        object.__setattr__(self, "direction", _choice(self.direction, Direction, "direction"))
        object.__setattr__(self, "n_trials", _int(self.n_trials, "n_trials", minimum=1))
        if self.n_trials > MAX_TRIALS:
            raise SpecError(f"n_trials: at most {MAX_TRIALS}, got {self.n_trials}")
        object.__setattr__(self, "parallelism", _int(self.parallelism, "parallelism", minimum=1))
        if self.parallelism > MAX_PARALLELISM:
            raise SpecError(f"parallelism: at most {MAX_PARALLELISM}, got {self.parallelism}")
        object.__setattr__(self, "executor", _choice(self.executor, Executor, "executor"))
        object.__setattr__(self, "sampler", _choice(self.sampler, SamplerKind, "sampler"))
        if self.seed is not None:
            object.__setattr__(self, "seed", _int(self.seed, "seed", minimum=0))
        if isinstance(self.pruner, Mapping):
            data = _check_keys(self.pruner, tuple(f.name for f in fields(PrunerSpec)), "pruner")
            object.__setattr__(self, "pruner", PrunerSpec(**data))
        if not isinstance(self.pruner, PrunerSpec):
            raise SpecError(f"pruner: expected a mapping, got {type(self.pruner).__name__}")
        if isinstance(self.ray, Mapping):
            data = _check_keys(self.ray, _RAY_KEYS, "ray")
            object.__setattr__(self, "ray", ExecutionSpec(executor="ray", **data))
        if not isinstance(self.ray, ExecutionSpec):
            raise SpecError(f"ray: expected a mapping, got {type(self.ray).__name__}")
        self._check_paths()

    def _check_paths(self) -> None:
        # Resolve one trial's ML-Agents config now, so a misspelt path fails at load time naming the key, not
        # after the first trial trained. The behavior name is a placeholder: overrides go to default_settings.
        example = {p.name: p.example for p in self.search_space}
        try:
            self.trial_config(example).to_run_options("SweepCheck")
        except ConfigError as exc:
            raise SpecError(f"search_space: {exc}") from None

    # --- trials ---------------------------------------------------------------------------------------------

    def trial_job_id(self, number: int) -> str:
        """Return the job id of trial ``number`` (``<sweep_id>-t0003``)."""
        return f"{self.sweep_id}-t{number:04d}"

    def trial_config(self, params: Mapping[str, Any]) -> RLTrainingConfig:
        """Return the base ``rl_config`` with a trial's parameter values applied.

        Args:
            params: parameter name -> value (names from ``search_space``).

        Returns:
            The trial's training config: behavior settings merged into
            ``mlagents_overrides.default_settings``, environment parameters into
            ``mlagents_overrides.environment_parameters``.

        Raises:
            SpecError: when a name is not in the search space.

        """
        known = {p.name for p in self.search_space}
        behavior: dict[str, Any] = {}
        environment: dict[str, Any] = {}
        for name, value in params.items():
            if name not in known:
                raise SpecError(f"trial parameter {name!r} is not in the sweep's search_space")
            if name.startswith(ENV_PREFIX):
                environment[name[len(ENV_PREFIX) :]] = value
                continue
            node = behavior
            *parents, leaf = name.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = value
        overrides = dict(self.rl_config.mlagents_overrides)
        if behavior:
            overrides["default_settings"] = deep_merge(overrides.get("default_settings") or {}, behavior)
        if environment:
            overrides["environment_parameters"] = deep_merge(
                overrides.get("environment_parameters") or {}, environment
            )
        return replace(self.rl_config, mlagents_overrides=overrides)

    def trial_job(self, number: int, params: Mapping[str, Any]) -> TrainingJob:
        """Return the ``TrainingJob`` of trial ``number`` with ``params`` applied.

        The job runs locally wherever its trial runs: a trial already is the unit the executor places (on
        Ray, the trial's task), so its job must not be dispatched again (``executor: auto`` would, with
        ``RAY_ADDRESS`` set on the workers).
        """
        return TrainingJob(
            job_id=self.trial_job_id(number),
            asset_spec=self.asset_spec,
            rl_config=self.trial_config(params),
            execution=ExecutionSpec(executor="local"),
        )

    # --- (de)serialization ----------------------------------------------------------------------------------

    def study_identity(self) -> dict[str, Any]:
        """Return what a resumed sweep must keep unchanged: job, space, objective, sampler, pruner."""
        return {
            "asset_spec": self.asset_spec.to_dict(),
            "rl_config": self.rl_config.to_dict(),
            "search_space": {p.name: p.to_dict() for p in self.search_space},
            "metric": self.metric,
            "direction": self.direction.value,
            "sampler": self.sampler.value,
            "seed": self.seed,
            "pruner": self.pruner.to_dict(),
        }

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON/YAML-ready dict that ``from_dict`` loads back equal."""
        return {
            "sweep_id": self.sweep_id,
            **self.study_identity(),
            "n_trials": self.n_trials,
            "parallelism": self.parallelism,
            "executor": self.executor.value,
            "ray": {k: v for k, v in self.ray.to_dict().items() if k in _RAY_KEYS},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "sweep") -> SweepSpec:
        """Build from a mapping, rejecting unknown keys.

        Args:
            data: the mapping (e.g. parsed YAML).
            where: how to name this mapping in errors.

        Returns:
            The validated spec.

        Raises:
            SpecError: on an unknown key, a missing key or a bad value (names the field).

        """
        data = _check_keys(data, _SWEEP_KEYS, where, required=("sweep_id", "asset_spec", "search_space"))
        space = data.get("search_space")
        if not isinstance(space, Mapping) or not space:
            raise SpecError("search_space: expected a mapping of parameter path -> distribution")
        if len(space) > MAX_PARAMS:
            raise SpecError(f"search_space: at most {MAX_PARAMS} parameters, got {len(space)}")
        data["search_space"] = tuple(ParamSpec.from_dict(str(name), v) for name, v in space.items())
        data["asset_spec"] = UnityAssetSpec.from_dict(data["asset_spec"])
        data["rl_config"] = RLTrainingConfig.from_dict(data.get("rl_config") or {})
        return cls(**data)


def load_sweep(path: Path | str) -> SweepSpec:
    """Load a ``SweepSpec`` from a YAML or JSON file.

    Args:
        path: the sweep file.

    Returns:
        The validated spec.

    Raises:
        SpecError: naming the file and the bad field.

    """
    data = load_mapping(path, what="sweep file")
    try:
        return SweepSpec.from_dict(data)
    except SpecError as exc:
        raise type(exc)(f"{path}: {exc}") from None
