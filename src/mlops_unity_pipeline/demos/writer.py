"""Write ``.demo`` files in ML-Agents' layout: at once (``write_demo``) or step by step (``DemoWriter``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from ..bridge.convert import brain_parameters, encode_observation
from ..bridge.proto import (
    AgentActionProto,
    AgentInfoActionPairProto,
    AgentInfoProto,
    DemonstrationMetaProto,
)
from ..errors import DemoFormatError, SpecError
from ..spaces import BehaviorSignature
from .layout import API_VERSION, delimited, meta_record_fits, rewrite_meta, write_header
from .model import DemoStep

MAX_NAME_LENGTH = 16
"""Unity's ``DemonstrationRecorder`` keeps demonstration names to 16 characters; so do we."""


def default_demo_name(path: Path) -> str:
    """Derive a demonstration name from a file name: its stem without non-word characters, <= 16 long."""
    name = re.sub(r"[^A-Za-z0-9_]", "", path.stem)[:MAX_NAME_LENGTH]
    return name or "demo"


def pair_from_step(
    step: DemoStep, signature: BehaviorSignature, *, png: bool = False
) -> AgentInfoActionPairProto:
    """Build the ``AgentInfoActionPairProto`` of one step, checked against the behavior.

    Args:
        step: the step.
        signature: the behavior the step must match.
        png: write 3-D observations as PNG (lossy: 8-bit) instead of raw floats.

    Returns:
        The record.

    Raises:
        DemoFormatError: the step's observations or actions do not match ``signature``.

    """
    shapes = [o.shape for o in step.obs]
    expected = [s.shape for s in signature.observation_specs]
    if shapes != expected:
        raise DemoFormatError(f"step observations {shapes} do not match the behavior's {expected}")
    spec = signature.action_spec
    if (
        step.continuous_actions.size != spec.continuous_size
        or step.discrete_actions.size != spec.discrete_size
    ):
        raise DemoFormatError(
            f"step actions ({step.continuous_actions.size} continuous, {step.discrete_actions.size} discrete)"
            f" do not match the action spec ({spec.continuous_size} continuous, "
            f"branches {list(spec.discrete_branches)})"
        )
    if step.action_mask is not None and step.action_mask.size != spec.mask_size:
        raise DemoFormatError(
            f"step action mask has {step.action_mask.size} entries, expected {spec.mask_size}"
        )
    info = AgentInfoProto(
        reward=float(step.reward),
        done=bool(step.done),
        max_step_reached=bool(step.max_step_reached),
        id=int(step.agent_id),
        group_id=int(step.group_id),
        group_reward=float(step.group_reward),
    )
    if step.action_mask is not None:
        info.action_mask.extend((~step.action_mask).tolist())  # the proto marks *disallowed* actions
    for values, obs_spec in zip(step.obs, signature.observation_specs, strict=True):
        info.observations.append(
            encode_observation(
                values,
                obs_spec.name,
                png=png and values.ndim == 3,
                observation_type=int(obs_spec.observation_type),
            )
        )
    action = AgentActionProto(
        continuous_actions=step.continuous_actions.tolist(), discrete_actions=step.discrete_actions.tolist()
    )
    return AgentInfoActionPairProto(agent_info=info, action_info=action)


class DemoWriter:
    """Streams steps into a ``.demo`` file like Unity's ``DemonstrationWriter``; use as a context manager.

    Counts steps, episodes (steps with ``done``) and the cumulative reward; ``close`` rewrites the meta
    record at byte 0 with ``mean_reward = cumulative reward / episodes`` (0 when no episode ended).
    """

    def __init__(
        self, path: str | Path, signature: BehaviorSignature, *, name: str | None = None, png: bool = False
    ) -> None:
        """Create the file and write the meta and brain parameters records.

        Args:
            path: the ``.demo`` file to create (parent folders are created).
            signature: the recorded behavior.
            name: demonstration name (default: from the file name); at most 16 characters.
            png: write visual observations as PNG.

        Raises:
            SpecError: ``name`` is longer than 16 characters.

        """
        self.path = Path(path)
        if name is not None and len(name.encode("utf-8")) > MAX_NAME_LENGTH:
            raise SpecError(
                f"demonstration name '{name}' is longer than {MAX_NAME_LENGTH} bytes (Unity's limit)"
            )
        self.signature = signature
        self.png = png
        self.meta = DemonstrationMetaProto(
            api_version=API_VERSION, demonstration_name=name or default_demo_name(self.path)
        )
        self.cumulative_reward = 0.0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._stream: BinaryIO | None = self.path.open("wb")
        write_header(self._stream, self.meta, brain_parameters(signature))

    def record(self, step: DemoStep) -> None:
        """Append one step.

        Raises:
            DemoFormatError: the step does not match the behavior, or the writer is closed.

        """
        if self._stream is None:
            raise DemoFormatError("writer already closed", path=str(self.path))
        self._stream.write(delimited(pair_from_step(step, self.signature, png=self.png)))
        self.meta.number_steps += 1
        self.cumulative_reward += float(step.reward)
        if step.done:
            self.meta.number_episodes += 1

    def close(self) -> None:
        """Rewrite the meta record with the final counts and close the file (idempotent)."""
        if self._stream is None:
            return
        episodes = self.meta.number_episodes
        self.meta.mean_reward = self.cumulative_reward / episodes if episodes else 0.0
        # Large counts lengthen the varints; keep the record inside the 33 reserved bytes by shortening the
        # name (Unity would overwrite the brain parameters instead).
        while not meta_record_fits(self.meta) and self.meta.demonstration_name:
            self.meta.demonstration_name = self.meta.demonstration_name[:-1]
        rewrite_meta(self._stream, self.meta)
        self._stream.close()
        self._stream = None

    def __enter__(self) -> DemoWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def write_demo(
    path: str | Path,
    signature: BehaviorSignature,
    steps: Iterable[DemoStep],
    *,
    name: str | None = None,
    png: bool = False,
) -> Path:
    """Write a ``.demo`` file that ML-Agents' ``demo_loader`` and ``read_demo`` both read.

    Layout: meta record at 0 (final counts), zero padding, brain parameters at byte 33 with ``action_spec``,
    then one ``AgentInfoActionPairProto`` per step. Episodes are the steps with ``done``; ``mean_reward`` is
    the summed reward divided by the episodes.

    Args:
        path: the file to write.
        signature: the behavior (name, observation shapes and sensor names, action spec).
        steps: the steps, in order.
        name: demonstration name (default: from the file name); at most 16 characters.
        png: write 3-D observations as PNG (8-bit, lossy) instead of raw floats.

    Returns:
        The path written.

    Raises:
        DemoFormatError: a step does not match ``signature``.
        SpecError: ``name`` is too long.

    """
    with DemoWriter(path, signature, name=name, png=png) as writer:
        for step in steps:
            writer.record(step)
    return writer.path
