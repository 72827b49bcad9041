"""Run-level settings sections and ``RunOptions``, the whole trainer configuration file.

Sections: ``env_settings``, ``engine_settings``, ``checkpoint_settings``, ``torch_settings``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..._validate import ID_PATTERN, short
from ...errors import ConfigError
from ._parse import (
    FieldError,
    at_least,
    bounded,
    check_keys,
    fail,
    fields_dict,
    in_range,
    join,
    require,
    set_frozen,
    structure,
    to_bool,
    to_mapping,
)
from .environment import EnvironmentParameterSettings, parse_environment_parameters
from .trainer import TrainerSettings, parse_trainer_settings

logger = logging.getLogger(__name__)

# Run ids name a folder under results_dir, so they must stay inside it (no separators, no "..").
_RUN_ID = ID_PATTERN  # the package's one id pattern (used with fullmatch)


def _check_run_id(owner: object, name: str, value: str | None) -> None:
    if value is None:
        return
    require(
        bool(_RUN_ID.fullmatch(value)) and ".." not in value,
        owner,
        name,
        f"must match {_RUN_ID.pattern} without '..' (it names a folder under results_dir), "
        f"got {short(value)}",
    )


@dataclass(frozen=True)
class EnvironmentSettings:
    """How environments are launched (``env_settings``; CLI ``--env``, ``--num-envs``, ``--seed`` …)."""

    env_path: str | None = None
    """Environment executable (or ``sim:TASK`` for the built-in simulator); null connects to the Editor."""
    env_args: tuple[str, ...] | None = None
    """Extra command-line arguments passed to the Unity executable."""
    base_port: int = 5005
    """First port of the environments' gRPC servers (worker i uses base_port + i)."""
    num_envs: int = 1
    """Number of environment instances stepped in parallel."""
    num_areas: int = 1
    """Training areas instantiated per environment (``TrainingAreaReplicator``)."""
    timeout_wait: int = 60
    """Seconds to wait for an environment to connect."""
    seed: int = -1
    """Run seed; -1 means a random one (worker i uses seed + i)."""
    max_lifetime_restarts: int = 10
    """Environment crashes tolerated over the run; -1 means unlimited."""
    restarts_rate_limit_n: int = 1
    """Crashes tolerated within ``restarts_rate_limit_period_s``; -1 means unlimited."""
    restarts_rate_limit_period_s: int = 60
    """Window of the restart rate limit, in seconds."""

    def __post_init__(self) -> None:
        if self.env_args is not None and not isinstance(self.env_args, tuple):
            set_frozen(self, "env_args", tuple(self.env_args))
        in_range(self, "base_port", 1, 65535)
        bounded(self, "num_envs", 1)
        bounded(self, "num_areas", 1)
        at_least(self, "timeout_wait", 1)
        at_least(self, "seed", -1)
        at_least(self, "max_lifetime_restarts", -1)
        at_least(self, "restarts_rate_limit_n", -1)
        at_least(self, "restarts_rate_limit_period_s", 1)

    def to_dict(self) -> dict[str, Any]:
        """YAML-ready mapping with every key."""
        return fields_dict(self)


@dataclass(frozen=True)
class EngineSettings:
    """Engine configuration sent to every environment (``engine_settings``; CLI ``--time-scale`` …)."""

    width: int = 84
    """Window width in pixels."""
    height: int = 84
    """Window height in pixels."""
    quality_level: int = 5
    """Unity quality level."""
    time_scale: float = 20.0
    """Simulation speed multiplier."""
    target_frame_rate: int = -1
    """Target frame rate; -1 means unlimited."""
    capture_frame_rate: int = 60
    """Frame rate assumed between frames (``Time.captureFramerate``)."""
    no_graphics: bool = False
    """Run every environment with ``-nographics``."""
    no_graphics_monitor: bool = False
    """Render only environment 0; the others run with ``-nographics``."""

    def __post_init__(self) -> None:
        bounded(self, "width", 1)
        bounded(self, "height", 1)
        at_least(self, "quality_level", 0)
        require(self.time_scale > 0, self, "time_scale", f"must be > 0, got {self.time_scale!r}")
        at_least(self, "target_frame_rate", -1)
        at_least(self, "capture_frame_rate", 0)

    def to_dict(self) -> dict[str, Any]:
        """YAML-ready mapping with every key."""
        return fields_dict(self)


@dataclass(frozen=True)
class CheckpointSettings:
    """Run identity and where results go (``checkpoint_settings``; CLI ``--run-id``, ``--resume`` …)."""

    run_id: str = "ppo"
    """Name of the run: results are written to ``<results_dir>/<run_id>``."""
    initialize_from: str | None = None
    """Run id whose weights initialize this new run; ignored when ``resume`` is set."""
    load_model: bool = False
    """Deprecated alias of ``resume`` (``--load``); when true, ``resume`` is set too."""
    resume: bool = False
    """Continue the run ``run_id`` from its last checkpoint."""
    force: bool = False
    """Overwrite an existing run folder (has no effect when resuming)."""
    train_model: bool = False
    """Deprecated (``--train``); ignored."""
    inference: bool = False
    """Run the policy without training."""
    results_dir: str = "results"
    """Folder that holds the run folders."""

    def __post_init__(self) -> None:
        require(bool(self.run_id), self, "run_id", "is required")
        _check_run_id(self, "run_id", self.run_id)
        _check_run_id(self, "initialize_from", self.initialize_from)
        require(bool(self.results_dir), self, "results_dir", "must not be empty")
        if self.load_model and not self.resume:
            logger.warning("checkpoint_settings.load_model (--load) is deprecated; use resume (--resume)")
            set_frozen(self, "resume", True)
        if self.resume and self.initialize_from is not None:
            # ML-Agents CheckpointSettings.prioritize_resume_init: resuming wins over initializing.
            logger.warning("both resume and initialize_from are set: resuming, initialize_from is ignored")
            set_frozen(self, "initialize_from", None)

    @property
    def run_dir(self) -> Path:
        """``<results_dir>/<run_id>``: where this run writes."""
        return Path(self.results_dir) / self.run_id

    @property
    def init_dir(self) -> Path | None:
        """``<results_dir>/<initialize_from>``, or None."""
        return None if self.initialize_from is None else Path(self.results_dir) / self.initialize_from

    def to_dict(self) -> dict[str, Any]:
        """YAML-ready mapping with every key."""
        return fields_dict(self)


@dataclass(frozen=True)
class TorchSettings:
    """PyTorch settings (``torch_settings``; CLI ``--torch-device``)."""

    device: str | None = None
    """Torch device such as ``cpu``, ``cuda`` or ``cuda:0``; null picks automatically."""

    def __post_init__(self) -> None:
        require(self.device is None or bool(self.device.strip()), self, "device", "must not be empty")

    def to_dict(self) -> dict[str, Any]:
        """YAML-ready mapping with every key."""
        return fields_dict(self)


RUN_OPTIONS_KEYS = (
    "behaviors",
    "default_settings",
    "env_settings",
    "engine_settings",
    "environment_parameters",
    "checkpoint_settings",
    "torch_settings",
    "debug",
)
"""Top-level keys of an ML-Agents R22 trainer YAML (``RunOptions``, upstream ``trainers/settings.py``); specs
checks overrides against them."""

# with_cli_overrides keyword → (section, field); the names are mlagents-learn's flags with '-' → '_'.
_CLI_FIELDS: dict[str, tuple[str, str]] = {
    "env_path": ("env_settings", "env_path"),
    "env_args": ("env_settings", "env_args"),
    "base_port": ("env_settings", "base_port"),
    "num_envs": ("env_settings", "num_envs"),
    "num_areas": ("env_settings", "num_areas"),
    "timeout_wait": ("env_settings", "timeout_wait"),
    "seed": ("env_settings", "seed"),
    "max_lifetime_restarts": ("env_settings", "max_lifetime_restarts"),
    "restarts_rate_limit_n": ("env_settings", "restarts_rate_limit_n"),
    "restarts_rate_limit_period_s": ("env_settings", "restarts_rate_limit_period_s"),
    "width": ("engine_settings", "width"),
    "height": ("engine_settings", "height"),
    "quality_level": ("engine_settings", "quality_level"),
    "time_scale": ("engine_settings", "time_scale"),
    "target_frame_rate": ("engine_settings", "target_frame_rate"),
    "capture_frame_rate": ("engine_settings", "capture_frame_rate"),
    "no_graphics": ("engine_settings", "no_graphics"),
    "no_graphics_monitor": ("engine_settings", "no_graphics_monitor"),
    "run_id": ("checkpoint_settings", "run_id"),
    "initialize_from": ("checkpoint_settings", "initialize_from"),
    "resume": ("checkpoint_settings", "resume"),
    "force": ("checkpoint_settings", "force"),
    "inference": ("checkpoint_settings", "inference"),
    "results_dir": ("checkpoint_settings", "results_dir"),
    "torch_device": ("torch_settings", "device"),
}


@dataclass(frozen=True)
class RunOptions:
    """A whole ``mlagents-learn`` configuration: behaviors plus run-level sections."""

    behaviors: dict[str, TrainerSettings] = field(default_factory=dict)
    """Settings per behavior name (already deep-merged over ``default_settings`` when loaded from YAML)."""
    default_settings: TrainerSettings | None = None
    """Base settings for behaviors not listed (and merged under the listed ones when loading)."""
    env_settings: EnvironmentSettings = field(default_factory=EnvironmentSettings)
    """How environments are launched."""
    engine_settings: EngineSettings = field(default_factory=EngineSettings)
    """Engine configuration (resolution, time scale, frame rates)."""
    environment_parameters: dict[str, EnvironmentParameterSettings] | None = None
    """Environment parameters (constants, samplers, curricula) by name, or null."""
    checkpoint_settings: CheckpointSettings = field(default_factory=CheckpointSettings)
    """Run id, resume/force/initialize-from, results folder."""
    torch_settings: TorchSettings = field(default_factory=TorchSettings)
    """Torch device."""
    debug: bool = False
    """Verbose (debug) logging."""

    def __post_init__(self) -> None:
        for name in self.behaviors:
            require(
                isinstance(name, str) and bool(name),
                self,
                "behaviors",
                f"behavior names must be non-empty strings, got {name!r}",
            )
        for param, settings in (self.environment_parameters or {}).items():
            for index, lesson in enumerate(settings.curriculum):
                criteria = lesson.completion_criteria
                if (
                    criteria is None
                    or self.default_settings is not None
                    or criteria.behavior in self.behaviors
                ):
                    continue
                known = ", ".join(sorted(self.behaviors)) or "none"
                raise FieldError(
                    "RunOptions",
                    f"environment_parameters.{param}.curriculum.{index}.completion_criteria.behavior",
                    f"{criteria.behavior!r} is not a behavior of this configuration (known: {known})",
                )

    # --- access ---------------------------------------------------------------------------------------------

    def behavior_settings(self, name: str) -> TrainerSettings:
        """Return the settings of behavior ``name``: its entry, else ``default_settings``.

        Args:
            name: the behavior name (``BehaviorParameters.BehaviorName``, without ``?team=N``).

        Returns:
            The behavior's settings.

        Raises:
            ConfigError: the behavior is not configured and there is no ``default_settings``.

        """
        name = name.split("?team=", 1)[0]
        if name in self.behaviors:
            return self.behaviors[name]
        if self.default_settings is not None:
            return self.default_settings
        known = ", ".join(sorted(self.behaviors)) or "none"
        raise ConfigError(
            f"behavior {name!r} is not in the configuration and there is no default_settings "
            f"(configured behaviors: {known})"
        )

    def init_path_for(self, behavior: str) -> Path | None:
        """Checkpoint that initializes ``behavior``, as ``mlagents-learn`` resolves it (``setup_init_path``).

        An explicit ``init_path`` with a folder is used as is; a bare file name, or no ``init_path`` at all
        (``checkpoint.pt``), is looked up in ``<results_dir>/<initialize_from>/<behavior>/``.

        Args:
            behavior: the behavior name.

        Returns:
            The checkpoint path, or None when the behavior starts from scratch.

        """
        settings = self.behavior_settings(behavior)
        init_dir = self.checkpoint_settings.init_dir
        if settings.init_path is not None:
            path = Path(settings.init_path)
            if path.parent == Path(".") and init_dir is not None:
                return init_dir / behavior / path
            return path
        if init_dir is not None:
            return init_dir / behavior / "checkpoint.pt"
        return None

    # --- variants -------------------------------------------------------------------------------------------

    def with_cli_overrides(
        self, *, deterministic: bool | None = None, debug: bool | None = None, **flags: Any
    ) -> RunOptions:
        """Return a copy with ``mlagents-learn``-style flags applied; ``None`` means "not given".

        Like ML-Agents' ``DetectDefault``, only explicitly given values override the file.

        Args:
            deterministic: ``--deterministic``: set ``network_settings.deterministic`` on every behavior.
            debug: ``--debug``.
            **flags: any of ``run_id, initialize_from, resume, force, inference, results_dir, env_path,
                env_args, base_port, num_envs, num_areas, timeout_wait, seed, max_lifetime_restarts,
                restarts_rate_limit_n, restarts_rate_limit_period_s, width, height, quality_level, time_scale,
                target_frame_rate, capture_frame_rate, no_graphics, no_graphics_monitor, torch_device``.

        Returns:
            The new options. ``resume`` given here wins over any ``initialize_from``; ``initialize_from``
            given here (without ``resume``) wins over a ``resume`` from the file.

        Raises:
            ConfigError: an unknown flag or a bad value.

        """
        unknown = sorted(set(flags) - set(_CLI_FIELDS))
        if unknown:
            raise ConfigError(f"unknown override {unknown[0]!r} (expected one of: {', '.join(_CLI_FIELDS)})")
        data = self.to_dict()
        for flag, value in flags.items():
            if value is None:
                continue
            section, key = _CLI_FIELDS[flag]
            if isinstance(value, Path):
                value = str(value)
            if isinstance(value, tuple):
                value = list(value)
            data[section][key] = value
        if flags.get("initialize_from") is not None and flags.get("resume") is None:
            # ML-Agents prioritize_resume_init: an explicit --initialize-from beats a resume set in the file,
            # while an explicit --resume beats any initialize_from (CheckpointSettings drops it).
            data["checkpoint_settings"]["resume"] = False
            data["checkpoint_settings"]["load_model"] = False
        if debug is not None:
            data["debug"] = debug
        if deterministic is not None:
            for entry in [*data["behaviors"].values(), data["default_settings"]]:
                if entry is not None:
                    entry["network_settings"]["deterministic"] = deterministic
        return RunOptions.from_dict(data, source="command-line overrides")

    # --- (de)serialization ----------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the fully resolved configuration, YAML/JSON-ready, as ``configuration.yaml`` holds it.

        Loading it back (``RunOptions.from_dict``) gives an equal ``RunOptions``.
        """
        params = self.environment_parameters
        return {
            "default_settings": None if self.default_settings is None else self.default_settings.to_dict(),
            "behaviors": {name: settings.to_dict() for name, settings in self.behaviors.items()},
            "env_settings": self.env_settings.to_dict(),
            "engine_settings": self.engine_settings.to_dict(),
            "environment_parameters": None
            if params is None
            else {k: v.to_dict(k) for k, v in params.items()},
            "checkpoint_settings": self.checkpoint_settings.to_dict(),
            "torch_settings": self.torch_settings.to_dict(),
            "debug": self.debug,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None, source: str = "<file>") -> RunOptions:
        """Strictly build the options from a parsed YAML mapping.

        ``default_settings`` is deep-merged under every behavior; an unknown key anywhere raises
        ``ConfigError`` naming the key, its section path and the expected keys.

        Args:
            data: the mapping (``None`` = all defaults).
            source: where it came from (a file name), prefixed to error messages.

        Returns:
            The validated options.

        Raises:
            ConfigError: unknown key, bad value, or an inconsistent combination.

        """
        try:
            return _from_dict(data)
        except ConfigError as exc:
            raise ConfigError(f"{source}: {exc}") from None


def _from_dict(data: Mapping[str, Any] | None) -> RunOptions:
    data = to_mapping(data if data is not None else {}, "configuration", "a mapping of sections")
    check_keys(data, list(RUN_OPTIONS_KEYS), "")
    default_raw = data.get("default_settings")
    default = None if default_raw is None else parse_trainer_settings(default_raw, "default_settings")
    behaviors_raw = data.get("behaviors") or {}
    behaviors_raw = to_mapping(behaviors_raw, "behaviors", "a mapping of behavior name → settings")
    behaviors = {}
    for name, raw in behaviors_raw.items():
        if not isinstance(name, str):
            # YAML reads a behavior called 123 as a number; the behavior name is text.
            name = str(name)
        behaviors[name] = parse_trainer_settings(raw, join("behaviors", name), default)
    kwargs: dict[str, Any] = {
        "behaviors": behaviors,
        "default_settings": default,
        "env_settings": structure(EnvironmentSettings, data.get("env_settings"), "env_settings"),
        "engine_settings": structure(EngineSettings, data.get("engine_settings"), "engine_settings"),
        "environment_parameters": parse_environment_parameters(
            data.get("environment_parameters"), "environment_parameters"
        ),
        "checkpoint_settings": structure(
            CheckpointSettings, data.get("checkpoint_settings"), "checkpoint_settings"
        ),
        "torch_settings": structure(TorchSettings, data.get("torch_settings"), "torch_settings"),
        "debug": to_bool(data.get("debug", False), "debug"),
    }
    try:
        return RunOptions(**kwargs)
    except FieldError as exc:
        raise fail(exc.field, exc.reason) from None
