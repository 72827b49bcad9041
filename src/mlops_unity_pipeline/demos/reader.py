"""Read ``.demo`` files (one, or every ``*.demo`` of a folder) into ``Demonstration``s."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..bridge.convert import ObservationDecodeError, action_spec_from_brain, decode_observation
from ..bridge.proto import AgentInfoActionPairProto
from ..errors import DemoFormatError, SpecError
from ..spaces import ActionSpec, BehaviorSignature, ObservationSpec, observation_type_of
from .layout import DemoRecords, read_records
from .model import DemoMeta, Demonstration, DemoStep


def _step_from_pair(
    pair: AgentInfoActionPairProto, spec: ActionSpec, path: str, offset: int, index: int
) -> DemoStep:
    # Actions are a handful of numbers: checking them as Python lists is several times faster than numpy
    # per step (bench/bench_demos.py).
    info, action = pair.agent_info, pair.action_info
    try:
        obs = tuple(decode_observation(o) for o in info.observations)
    except ObservationDecodeError as exc:
        raise DemoFormatError(f"step {index}: {exc}", path=path, offset=offset) from None
    continuous = list(action.continuous_actions)
    discrete = list(action.discrete_actions)
    if not continuous and not discrete and len(action.vector_actions_deprecated):
        legacy = list(action.vector_actions_deprecated)
        if spec.is_continuous:  # legacy actions hold one kind only
            continuous = legacy
        else:
            if not all(math.isfinite(v) and v == int(v) for v in legacy):
                raise DemoFormatError(
                    f"step {index}: legacy discrete actions {legacy} are not whole numbers",
                    path=path,
                    offset=offset,
                )
            discrete = [int(v) for v in legacy]
    if not continuous and not discrete:
        # Unity leaves the action empty where none was stored yet (e.g. the last step of Expert3DBall.demo);
        # ML-Agents' make_demo_buffer never uses the last step's action. Read it as zeros.
        continuous = [0.0] * spec.continuous_size
        discrete = [0] * spec.discrete_size
    if len(continuous) != spec.continuous_size or len(discrete) != spec.discrete_size:
        raise DemoFormatError(
            f"step {index}: action has {len(continuous)} continuous and {len(discrete)} discrete values, the "
            f"action spec needs {spec.continuous_size} and {spec.discrete_size}",
            path=path,
            offset=offset,
        )
    if not all(0 <= a < b for a, b in zip(discrete, spec.discrete_branches, strict=True)):
        raise DemoFormatError(
            f"step {index}: discrete actions {discrete} outside branches {list(spec.discrete_branches)}",
            path=path,
            offset=offset,
        )
    mask = None
    if len(info.action_mask):
        if len(info.action_mask) != spec.mask_size:
            raise DemoFormatError(
                f"step {index}: action mask of {len(info.action_mask)} entries, "
                f"branches {list(spec.discrete_branches)} need {spec.mask_size}",
                path=path,
                offset=offset,
            )
        mask = ~np.asarray(info.action_mask, bool)  # the proto marks *disallowed* actions
    return DemoStep(
        obs=obs,
        reward=float(info.reward),
        done=bool(info.done),
        max_step_reached=bool(info.max_step_reached),
        continuous_actions=np.asarray(continuous, np.float32),
        discrete_actions=np.asarray(discrete, np.int32),
        action_mask=mask,
        agent_id=int(info.id),
        group_id=int(info.group_id),
        group_reward=float(info.group_reward),
    )


def demonstration_from_records(records: DemoRecords, path: Path | None = None) -> Demonstration:
    """Convert parsed records into a ``Demonstration`` (observation specs come from the first step).

    Raises:
        DemoFormatError: a step disagrees with the behavior (observation count or shapes, action sizes), or
            the file has no steps to take observation shapes from.

    """
    where = str(path) if path is not None else "<demo>"
    spec = action_spec_from_brain(records.brain, where)
    meta = DemoMeta(
        name=records.meta.demonstration_name,
        api_version=records.meta.api_version,
        number_steps=records.meta.number_steps,
        number_episodes=records.meta.number_episodes,
        mean_reward=float(records.meta.mean_reward),
    )
    if not records.pairs:
        raise DemoFormatError("no recorded steps: observation shapes are unknown", path=where, offset=33)
    first = records.pairs[0].agent_info.observations
    if not first:
        raise DemoFormatError("step 0 has no observations", path=where, offset=records.pair_offsets[0])
    try:
        obs_specs = tuple(
            ObservationSpec(
                shape=tuple(o.shape),
                name=o.name or f"obs_{i}",
                observation_type=observation_type_of(o),
            )
            for i, o in enumerate(first)
        )
    except SpecError as exc:
        raise DemoFormatError(f"step 0: {exc}", path=where, offset=records.pair_offsets[0]) from None
    shapes = [s.shape for s in obs_specs]
    steps: list[DemoStep] = []
    for index, (offset, pair) in enumerate(zip(records.pair_offsets, records.pairs, strict=True)):
        step = _step_from_pair(pair, spec, where, offset, index)
        got = [o.shape for o in step.obs]
        if got != shapes:
            raise DemoFormatError(
                f"step {index}: observation shapes {got} differ from step 0's {shapes}",
                path=where,
                offset=offset,
            )
        steps.append(step)
    signature = BehaviorSignature(
        name=records.brain.brain_name, observation_specs=obs_specs, action_spec=spec
    )
    return Demonstration(path=path, meta=meta, signature=signature, steps=steps)


def read_demo(path: str | Path) -> Demonstration:
    """Read one ``.demo`` file (legacy or current action fields, float or PNG observations).

    Args:
        path: the file.

    Returns:
        The demonstration.

    Raises:
        DemoFormatError: the file is truncated, corrupt or inconsistent (names the file and byte offset).
        FileNotFoundError: the file does not exist.

    """
    file = Path(path)
    if file.is_dir():
        raise DemoFormatError(
            "is a directory (use load_demonstrations for a folder of .demo files)", path=str(file)
        )
    return demonstration_from_records(read_records(file), file)


def demo_files(path: str | Path) -> list[Path]:
    """List the ``.demo`` files at ``path``: the file itself, or a folder's ``*.demo`` files by name.

    Raises:
        FileNotFoundError: nothing exists at ``path``.
        DemoFormatError: ``path`` is a file without the ``.demo`` suffix, or a folder without ``.demo`` files.

    """
    target = Path(path)
    if not target.exists():
        raise FileNotFoundError(2, "No such file or directory", str(target))
    if target.is_dir():
        files = sorted(p for p in target.iterdir() if p.suffix == ".demo" and p.is_file())
        if not files:
            raise DemoFormatError("folder holds no .demo files", path=str(target))
        return files
    if target.suffix != ".demo":
        raise DemoFormatError("expected a .demo file or a folder of them", path=str(target))
    return [target]


def load_demonstrations(path: str | Path) -> list[Demonstration]:
    """Read a ``.demo`` file or every ``*.demo`` file of a folder (ML-Agents' ``get_demo_files``).

    Args:
        path: a file or a folder.

    Returns:
        One demonstration per file, in file-name order.

    Raises:
        DemoFormatError: a file is truncated or corrupt, or there is no ``.demo`` file.
        FileNotFoundError: ``path`` does not exist.

    """
    return [read_demo(file) for file in demo_files(path)]
