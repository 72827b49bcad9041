"""Field reference of the configuration schema, generated from field docstrings (``docs/configuration.md``).

Run ``python -m mlops_unity_pipeline.rl.config.reference`` to print the Markdown tables; a test checks that
the docs page holds exactly this text, so documentation cannot drift from the code.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import inspect
import json
import textwrap
from typing import Any

from .environment import (
    CompletionCriteriaSettings,
    ConstantSettings,
    GaussianSettings,
    Lesson,
    MultiRangeUniformSettings,
    UniformSettings,
)
from .hyperparameters import POCASettings, PPOSettings, SACSettings
from .network import MemorySettings, NetworkSettings
from .reward_signals import CuriositySettings, GAILSettings, RewardSignalSettings, RNDSettings
from .run import CheckpointSettings, EngineSettings, EnvironmentSettings, RunOptions, TorchSettings
from .trainer import BehavioralCloningSettings, SelfPlaySettings, TrainerSettings

BEGIN = "<!-- BEGIN GENERATED REFERENCE (python -m mlops_unity_pipeline.rl.config.reference) -->"
END = "<!-- END GENERATED REFERENCE -->"

SECTIONS: list[tuple[str, type]] = [
    ("top level", RunOptions),
    ("behaviors.<name> (and default_settings)", TrainerSettings),
    ("hyperparameters (trainer_type: ppo)", PPOSettings),
    ("hyperparameters (trainer_type: sac)", SACSettings),
    ("hyperparameters (trainer_type: poca)", POCASettings),
    ("network_settings", NetworkSettings),
    ("network_settings.memory", MemorySettings),
    ("reward_signals.extrinsic", RewardSignalSettings),
    ("reward_signals.curiosity", CuriositySettings),
    ("reward_signals.gail", GAILSettings),
    ("reward_signals.rnd", RNDSettings),
    ("behavioral_cloning", BehavioralCloningSettings),
    ("self_play", SelfPlaySettings),
    ("env_settings", EnvironmentSettings),
    ("engine_settings", EngineSettings),
    ("checkpoint_settings", CheckpointSettings),
    ("torch_settings", TorchSettings),
    ("sampler_parameters (sampler_type: uniform)", UniformSettings),
    ("sampler_parameters (sampler_type: gaussian)", GaussianSettings),
    ("sampler_parameters (sampler_type: multirangeuniform)", MultiRangeUniformSettings),
    ("sampler_parameters (sampler_type: constant)", ConstantSettings),
    ("environment_parameters.<name>.curriculum[]", Lesson),
    ("curriculum[].completion_criteria", CompletionCriteriaSettings),
]
"""Every schema class with the YAML section it describes, in reading order."""


def field_docs(cls: type) -> dict[str, str]:
    """Return the docstring written under each field of a dataclass (inherited fields included).

    Args:
        cls: a settings dataclass.

    Returns:
        Field name → its docstring (fields without one are absent).

    """
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if klass is object or not dataclasses.is_dataclass(klass):
            continue
        tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        body = tree.body[0].body  # type: ignore[attr-defined]  # the parsed source is one class definition
        for node, following in zip(body, body[1:], strict=False):
            if (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                docs[node.target.id] = inspect.cleandoc(following.value.value)
    return docs


def _default(field: dataclasses.Field[Any]) -> str:
    if field.default is not dataclasses.MISSING:
        value = field.default
    elif field.default_factory is not dataclasses.MISSING:
        value = field.default_factory()
    else:
        return "required"
    if dataclasses.is_dataclass(value):
        return "(section)"
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, dict):
        return "{" + ", ".join(f"{getattr(k, 'value', k)}: …" for k in value) + "}" if value else "{}"
    if isinstance(value, tuple):
        value = [list(v) if isinstance(v, tuple) else v for v in value]
    return json.dumps(value)


def schema_reference_markdown() -> str:
    """Render one Markdown table per section: key, default, meaning (from the field docstrings)."""
    parts = [BEGIN, ""]
    for title, cls in SECTIONS:
        docs = field_docs(cls)
        parts += [f"#### `{title}` — `{cls.__name__}`", "", "| key | default | meaning |", "|---|---|---|"]
        for field in dataclasses.fields(cls):
            meaning = docs.get(field.name, "").replace("\n", " ").replace("|", "\\|")
            parts.append(f"| `{field.name}` | `{_default(field)}` | {meaning} |")
        parts.append("")
    parts.append(END)
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    print(schema_reference_markdown(), end="")
