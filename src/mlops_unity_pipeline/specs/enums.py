"""A training config's enums: algorithm (with its one mapping to ML-Agents' ``trainer_type``), backends."""

from __future__ import annotations

from enum import StrEnum


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
