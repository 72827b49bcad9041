"""Environment parameters at run time: current values (constants, samplers, lessons) and curriculum progress.

``EnvironmentParameterManager`` follows ML-Agents' ``environment_parameter_manager.py`` and
``CompletionCriteriaSettings.need_increment``:

* every parameter is a curriculum; a lesson's value is a constant or a sampler. Samplers without a ``seed``
  get ``run seed + k`` (k counts such samplers in file order), so a run is reproducible from its seed;
* a lesson can complete only after ``min_lesson_length`` episodes of its behavior since the last lesson change
  of any parameter (ML-Agents clears every trainer's reward buffer when a lesson changes);
* ``progress`` = trainer step / that behavior's ``max_steps``; it completes when ``progress > threshold``;
* ``reward`` = the behavior's mean episode reward; with ``signal_smoothing`` the measure is
  ``0.25 * previous + 0.75 * mean`` (previous starts at 0.0) and it completes when ``measure > threshold``;
* at most one lesson per parameter per update; the last lesson never completes.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping

import numpy as np

from ...errors import ConfigError
from .enums import MeasureType
from .environment import EnvironmentParameterSettings, Lesson, Sampler
from .run import RunOptions

logger = logging.getLogger(__name__)


class EnvironmentParameterManager:
    """Current environment parameter values and curriculum lessons of one training run.

    Args:
        run_options: the run's configuration (``environment_parameters`` and each behavior's ``max_steps``).
        seed: base seed of samplers without their own ``seed``; ``None`` takes ``env_settings.seed``, and -1
            (ML-Agents' "random") draws fresh entropy, so values are then not reproducible.

    """

    def __init__(self, run_options: RunOptions, seed: int | None = None) -> None:
        self._options = run_options
        self._settings: dict[str, EnvironmentParameterSettings] = dict(
            run_options.environment_parameters or {}
        )
        base = run_options.env_settings.seed if seed is None else seed
        self._lessons: dict[str, int] = {name: 0 for name in self._settings}
        self._smoothed: dict[str, float] = {name: 0.0 for name in self._settings}
        self._rngs: dict[tuple[str, int], np.random.Generator] = {}
        offset = 0
        for name, settings in self._settings.items():
            for index, lesson in enumerate(settings.curriculum):
                sampler_seed: int | None = lesson.value.seed
                if sampler_seed == -1:
                    # ML-Agents _set_sampler_seeds: unseeded samplers get run seed + running offset.
                    sampler_seed = None if base == -1 else base + offset
                    offset += 1
                self._rngs[(name, index)] = np.random.default_rng(sampler_seed)
        # Episodes per behavior at the last lesson change (see update_lessons' ``episodes``).
        self._episodes_at_change: dict[str, int] = {}
        self._warned_no_episodes = False
        self.reset_required = False
        """True when the last ``update_lessons`` completed a lesson whose criteria has ``require_reset``."""

    # --- values ---------------------------------------------------------------------------------------------

    @property
    def parameter_names(self) -> list[str]:
        """Names of the environment parameters, in file order."""
        return list(self._settings)

    def current_lesson(self, name: str) -> Lesson:
        """Return the lesson parameter ``name`` is in.

        Raises:
            ConfigError: ``name`` is not an environment parameter.

        """
        if name not in self._settings:
            known = ", ".join(self._settings) or "none"
            raise ConfigError(f"unknown environment parameter {name!r} (known: {known})")
        return self._settings[name].curriculum[self._lessons[name]]

    def current_samplers(self) -> dict[str, Sampler]:
        """Return the sampler (or constant) of each parameter's current lesson."""
        return {name: self.current_lesson(name).value for name in self._settings}

    def current_values(self) -> dict[str, float]:
        """Draw one value per parameter from its current lesson (constants return their value).

        Each sampler has its own seeded generator, so the sequence of draws is reproducible per seed.
        """
        values = {}
        for name in self._settings:
            lesson = self._lessons[name]
            values[name] = self._settings[name].curriculum[lesson].value.sample(self._rngs[(name, lesson)])
        return values

    # --- curriculum -----------------------------------------------------------------------------------------

    def reward_buffer_size(self, behavior: str) -> int:
        """Episodes of ``behavior`` whose rewards the trainer should average for ``mean_rewards``.

        ML-Agents sizes each trainer's reward buffer to the largest ``min_lesson_length`` of the criteria
        that watch it (at least 1).
        """
        size = 1
        for settings in self._settings.values():
            for lesson in settings.curriculum:
                criteria = lesson.completion_criteria
                if criteria is not None and criteria.behavior == behavior:
                    size = max(size, criteria.min_lesson_length)
        return size

    def update_lessons(
        self,
        steps: Mapping[str, int],
        mean_rewards: Mapping[str, float | None],
        episodes: Mapping[str, int] | None = None,
    ) -> bool:
        """Advance the lessons whose completion criteria are met.

        Args:
            steps: trainer step of each behavior (progress = step / that behavior's ``max_steps``).
            mean_rewards: mean episode reward of each behavior over its recent episodes (ideally the last
                ``reward_buffer_size(behavior)`` episodes since the last lesson change); None when no episode
                has finished yet.
            episodes: total episodes each behavior has completed so far (a running count). The manager
                subtracts the count at the last lesson change to check ``min_lesson_length``. When omitted,
                ``min_lesson_length`` cannot be checked and is ignored (with a warning).

        Returns:
            True when at least one parameter moved to its next lesson. ``reset_required`` tells whether one of
            them asked for an environment reset.

        """
        changed = False
        must_reset = False
        for name, settings in self._settings.items():
            index = self._lessons[name]
            lesson = settings.curriculum[index]
            criteria = lesson.completion_criteria
            if criteria is None or index + 1 >= len(settings.curriculum):
                continue  # the last lesson never completes (its criteria, if any, are ignored)
            behavior = criteria.behavior
            if behavior not in steps:
                continue
            if criteria.min_lesson_length > 0:
                if episodes is None:
                    if not self._warned_no_episodes:
                        logger.warning(
                            "update_lessons without episode counts: min_lesson_length is not checked"
                        )
                        self._warned_no_episodes = True
                elif (
                    episodes.get(behavior, 0) - self._episodes_at_change.get(behavior, 0)
                    < criteria.min_lesson_length
                ):
                    continue
            complete = False
            if criteria.measure is MeasureType.PROGRESS:
                max_steps = self._options.behavior_settings(behavior).max_steps
                complete = float(steps[behavior]) / float(max_steps) > criteria.threshold
            else:
                mean = mean_rewards.get(behavior)
                if mean is None or math.isnan(mean):
                    continue
                measure = float(mean)
                if criteria.signal_smoothing:
                    measure = 0.25 * self._smoothed[name] + 0.75 * measure
                    self._smoothed[name] = measure
                complete = measure > criteria.threshold
            if complete:
                self._lessons[name] = index + 1
                changed = True
                must_reset = must_reset or criteria.require_reset
                new = settings.curriculum[index + 1]
                logger.info(
                    "parameter %r moves to lesson %r (%d) with value %s", name, new.name, index + 1, new.value
                )
        if changed and episodes is not None:
            self._episodes_at_change = {b: int(n) for b, n in episodes.items()}
        self.reset_required = must_reset
        return changed

    def lesson_numbers(self) -> dict[str, int]:
        """Return the lesson index of each parameter (0 for plain samplers) for training_status.json."""
        return dict(self._lessons)

    def restore(self, lesson_numbers: Mapping[str, int]) -> None:
        """Continue from saved lesson indices (``--resume``).

        Unknown parameters are ignored and out-of-range indices are clamped to the curriculum (the config may
        have changed between runs); both are logged.

        Args:
            lesson_numbers: ``lesson_numbers()`` of the earlier run.

        """
        for name, number in lesson_numbers.items():
            if name not in self._settings:
                logger.warning("restored lesson for unknown environment parameter %r is ignored", name)
                continue
            last = len(self._settings[name].curriculum) - 1
            clamped = min(max(int(number), 0), last)
            if clamped != number:
                logger.warning(
                    "restored lesson %s of %r is out of range 0..%d; using %d", number, name, last, clamped
                )
            self._lessons[name] = clamped
