"""``environment_parameters``: samplers, curriculum lessons and their completion criteria.

Each parameter is, in YAML, a number (a constant), a sampler ``{sampler_type, sampler_parameters}``, or
``{curriculum: [lesson, …]}``. Like ML-Agents, every parameter is held as a curriculum: a number or a sampler
becomes a single lesson named after the parameter, without completion criteria.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from ._parse import (
    at_least,
    check_keys,
    fail,
    field_names,
    fields_dict,
    join,
    require,
    structure,
    to_enum,
    to_float,
    to_mapping,
)
from .enums import MeasureType, SamplerType

logger = logging.getLogger(__name__)


# --- samplers ----------------------------------------------------------------------------------------------


def _check_seed(sampler: object) -> None:
    # -1 is ML-Agents' "derive from the run seed"; NumPy refuses other negative seeds.
    at_least(sampler, "seed", -1)


@dataclass(frozen=True)
class ConstantSettings:
    """Always the same value (a bare number in YAML is this sampler)."""

    sampler_type: ClassVar[SamplerType] = SamplerType.CONSTANT
    value: float = 0.0
    """The value."""
    seed: int = -1
    """Seed of this sampler; -1 means derived from the run's ``--seed``."""

    def __post_init__(self) -> None:
        _check_seed(self)

    def sample(self, rng: np.random.Generator) -> float:
        """Return the constant value (``rng`` is unused)."""
        return float(self.value)


@dataclass(frozen=True)
class UniformSettings:
    """Uniform on ``[min_value, max_value]``."""

    sampler_type: ClassVar[SamplerType] = SamplerType.UNIFORM
    min_value: float = 0.0
    """Lower bound (inclusive)."""
    max_value: float = 1.0
    """Upper bound."""
    seed: int = -1
    """Seed of this sampler; -1 means derived from the run's ``--seed``."""

    def __post_init__(self) -> None:
        _check_seed(self)
        require(
            self.min_value <= self.max_value,
            self,
            "min_value",
            f"must be <= max_value ({self.max_value}), got {self.min_value}",
        )

    def sample(self, rng: np.random.Generator) -> float:
        """One draw from the uniform distribution."""
        return float(rng.uniform(self.min_value, self.max_value))


@dataclass(frozen=True)
class GaussianSettings:
    """Normal with ``mean`` and standard deviation ``st_dev``."""

    sampler_type: ClassVar[SamplerType] = SamplerType.GAUSSIAN
    mean: float = 1.0
    """Mean."""
    st_dev: float = 1.0
    """Standard deviation (>= 0)."""
    seed: int = -1
    """Seed of this sampler; -1 means derived from the run's ``--seed``."""

    def __post_init__(self) -> None:
        _check_seed(self)
        at_least(self, "st_dev", 0.0)

    def sample(self, rng: np.random.Generator) -> float:
        """One draw from the normal distribution."""
        return float(rng.normal(self.mean, self.st_dev))


@dataclass(frozen=True)
class MultiRangeUniformSettings:
    """Uniform over a union of intervals: each interval is picked in proportion to its length."""

    sampler_type: ClassVar[SamplerType] = SamplerType.MULTIRANGEUNIFORM
    intervals: tuple[tuple[float, float], ...] = ((0.0, 1.0),)
    """List of ``[min, max]`` pairs."""
    seed: int = -1
    """Seed of this sampler; -1 means derived from the run's ``--seed``."""

    def __post_init__(self) -> None:
        _check_seed(self)
        require(len(self.intervals) > 0, self, "intervals", "needs at least one [min, max] interval")
        for low, high in self.intervals:
            require(low <= high, self, "intervals", f"each interval needs min <= max, got [{low}, {high}]")

    def sample(self, rng: np.random.Generator) -> float:
        """Pick an interval weighted by its length (like the C# sampler), then a point in it."""
        lengths = np.array([high - low for low, high in self.intervals], dtype=np.float64)
        total = lengths.sum()
        weights = lengths / total if total > 0 else np.full(len(lengths), 1.0 / len(lengths))
        low, high = self.intervals[int(rng.choice(len(self.intervals), p=weights))]
        return float(rng.uniform(low, high))

    def to_dict(self) -> dict[str, Any]:
        """YAML-ready mapping (intervals as lists of two numbers)."""
        return {"intervals": [[float(a), float(b)] for a, b in self.intervals], "seed": self.seed}


Sampler = ConstantSettings | UniformSettings | GaussianSettings | MultiRangeUniformSettings
"""Any sampler's settings."""

SAMPLERS: dict[
    SamplerType, type[ConstantSettings | UniformSettings | GaussianSettings | MultiRangeUniformSettings]
] = {
    SamplerType.CONSTANT: ConstantSettings,
    SamplerType.UNIFORM: UniformSettings,
    SamplerType.GAUSSIAN: GaussianSettings,
    SamplerType.MULTIRANGEUNIFORM: MultiRangeUniformSettings,
}
"""The settings class of each sampler type."""


def _intervals(value: Any, path: str) -> tuple[tuple[float, float], ...]:
    if not isinstance(value, (list, tuple)):
        raise fail(path, f"expected a list of [min, max] pairs, got {value!r}")
    result = []
    for i, pair in enumerate(value):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise fail(join(path, i), f"expected a [min, max] pair, got {pair!r}")
        result.append((to_float(pair[0], join(path, i)), to_float(pair[1], join(path, i))))
    return tuple(result)


def parse_sampler(data: Any, path: str) -> Sampler:
    """Parse a number (constant) or ``{sampler_type, sampler_parameters}``, strictly checked."""
    if isinstance(data, (int, float, str)) and not isinstance(data, bool):
        return ConstantSettings(value=to_float(data, path))
    data = to_mapping(data, path, "a number or {sampler_type, sampler_parameters}")
    check_keys(data, ["sampler_type", "sampler_parameters"], path)
    if "sampler_type" not in data:
        raise fail(
            join(path, "sampler_type"), f"is required (one of {', '.join(t.value for t in SamplerType)})"
        )
    kind = to_enum(SamplerType, data["sampler_type"], join(path, "sampler_type"))
    params_path = join(path, "sampler_parameters")
    if "sampler_parameters" not in data:
        # ML-Agents refuses a sampler without sampler_parameters, so a file we accept also works upstream.
        keys = ", ".join(field_names(SAMPLERS[kind]))
        raise fail(params_path, f"is required (keys: {keys})")
    converters = {"intervals": _intervals} if kind is SamplerType.MULTIRANGEUNIFORM else {}
    return structure(SAMPLERS[kind], data.get("sampler_parameters"), params_path, converters=converters)


def sampler_to_dict(sampler: Sampler) -> dict[str, Any]:
    """``{sampler_type, sampler_parameters}`` for YAML (the form ``mlagents-learn`` reads)."""
    to_dict = getattr(sampler, "to_dict", None)
    params = to_dict() if to_dict is not None else fields_dict(sampler)
    return {"sampler_type": sampler.sampler_type.value, "sampler_parameters": params}


# --- curriculum --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompletionCriteriaSettings:
    """When a curriculum lesson is complete (ML-Agents ``CompletionCriteriaSettings``)."""

    behavior: str = ""
    """Required: the behavior whose progress or reward is measured."""
    measure: MeasureType = MeasureType.REWARD
    """reward (mean episode reward) or progress (trainer step / ``max_steps`` of ``behavior``)."""
    min_lesson_length: int = 0
    """Episodes of ``behavior`` that must finish in the lesson before it can complete."""
    signal_smoothing: bool = True
    """Smooth the reward measure: ``0.25 * previous + 0.75 * current`` (reward measure only)."""
    threshold: float = 0.0
    """The lesson completes when the measure is strictly greater than this (progress: within [0, 1])."""
    require_reset: bool = False
    """Reset the environment when this lesson completes."""

    def __post_init__(self) -> None:
        require(bool(self.behavior), self, "behavior", "is required (the behavior whose measure is checked)")
        at_least(self, "min_lesson_length", 0)
        if self.measure is MeasureType.PROGRESS:
            require(
                0.0 <= self.threshold <= 1.0,
                self,
                "threshold",
                f"must be in [0, 1] when measure is progress, got {self.threshold!r}",
            )

    def to_dict(self) -> dict[str, Any]:
        """YAML-ready mapping with every key."""
        return fields_dict(self)


@dataclass(frozen=True)
class Lesson:
    """One lesson of a curriculum: a value (number or sampler) and the criteria to move on."""

    name: str
    """Lesson name (shown in logs)."""
    value: Sampler
    """The parameter's value during this lesson (a constant or a sampler)."""
    completion_criteria: CompletionCriteriaSettings | None = None
    """When to move to the next lesson; required on every lesson but the last."""

    def __post_init__(self) -> None:
        require(bool(self.name), self, "name", "is required")

    def to_dict(self) -> dict[str, Any]:
        """YAML-ready mapping (``completion_criteria`` omitted when null, as in the shipped configs)."""
        out: dict[str, Any] = {"name": self.name, "value": sampler_to_dict(self.value)}
        if self.completion_criteria is not None:
            out["completion_criteria"] = self.completion_criteria.to_dict()
        return out


@dataclass(frozen=True)
class EnvironmentParameterSettings:
    """One environment parameter: a curriculum of one or more lessons."""

    curriculum: tuple[Lesson, ...]
    """The lessons, in order; a plain number or sampler is a single lesson."""

    def __post_init__(self) -> None:
        require(len(self.curriculum) > 0, self, "curriculum", "needs at least one lesson")
        for index, lesson in enumerate(self.curriculum[:-1]):
            require(
                lesson.completion_criteria is not None,
                self,
                f"curriculum.{index}.completion_criteria",
                f"is required on lesson {lesson.name!r} (only the last lesson may omit it)",
            )

    @property
    def behaviors(self) -> set[str]:
        """Behaviors named by the completion criteria of the lessons."""
        return {
            ls.completion_criteria.behavior for ls in self.curriculum if ls.completion_criteria is not None
        }

    def to_dict(self, name: str) -> Any:
        """YAML form: a plain sampler when it is a single unnamed lesson, else ``{curriculum: [...]}``.

        Args:
            name: the parameter's name (a single lesson named like it was written as a plain value).

        """
        if len(self.curriculum) == 1:
            only = self.curriculum[0]
            if only.completion_criteria is None and only.name == name:
                return sampler_to_dict(only.value)
        return {"curriculum": [lesson.to_dict() for lesson in self.curriculum]}


def _parse_lesson(data: Any, path: str) -> Lesson:
    data = to_mapping(data, path)
    check_keys(data, ["name", "value", "completion_criteria"], path)
    if "name" not in data:
        raise fail(join(path, "name"), "is required")
    if "value" not in data:
        raise fail(join(path, "value"), "is required (a number or a sampler)")
    name = data["name"]
    if not isinstance(name, str):
        # YAML reads `name: 1` as a number; a lesson name is a label, so keep its text.
        name = str(name)
    criteria = data.get("completion_criteria")
    return Lesson(
        name=name,
        value=parse_sampler(data["value"], join(path, "value")),
        completion_criteria=None
        if criteria is None
        else structure(CompletionCriteriaSettings, criteria, join(path, "completion_criteria")),
    )


def parse_environment_parameter(name: str, data: Any, path: str) -> EnvironmentParameterSettings:
    """One entry of ``environment_parameters`` (number, sampler, or curriculum)."""
    if isinstance(data, Mapping) and "curriculum" in data:
        check_keys(data, ["curriculum"], path)
        lessons_raw = data["curriculum"]
        lessons_path = join(path, "curriculum")
        if not isinstance(lessons_raw, list) or not lessons_raw:
            raise fail(lessons_path, f"expected a non-empty list of lessons, got {lessons_raw!r}")
        lessons = tuple(_parse_lesson(item, join(lessons_path, i)) for i, item in enumerate(lessons_raw))
        for index, lesson in enumerate(lessons[:-1]):
            if lesson.completion_criteria is None:
                raise fail(
                    join(join(lessons_path, index), "completion_criteria"),
                    f"is required on lesson {lesson.name!r} (only the last lesson may omit it)",
                )
        if lessons[-1].completion_criteria is not None:
            logger.warning("%s: the completion_criteria of the last lesson is ignored", lessons_path)
        return EnvironmentParameterSettings(curriculum=lessons)
    return EnvironmentParameterSettings(curriculum=(Lesson(name=name, value=parse_sampler(data, path)),))


def parse_environment_parameters(data: Any, path: str) -> dict[str, EnvironmentParameterSettings] | None:
    """Parse the whole ``environment_parameters`` section (``None`` when absent or empty)."""
    if data is None:
        return None
    data = to_mapping(data, path)
    result = {}
    for name, value in data.items():
        if not isinstance(name, str):
            raise fail(join(path, name), "parameter names must be strings")
        result[name] = parse_environment_parameter(name, value, join(path, name))
    return result or None


__all__ = [
    "CompletionCriteriaSettings",
    "ConstantSettings",
    "EnvironmentParameterSettings",
    "GaussianSettings",
    "Lesson",
    "MultiRangeUniformSettings",
    "SAMPLERS",
    "Sampler",
    "UniformSettings",
    "parse_environment_parameter",
    "parse_environment_parameters",
    "parse_sampler",
    "sampler_to_dict",
]
