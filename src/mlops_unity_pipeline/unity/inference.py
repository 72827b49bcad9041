"""Inference smoke test: run a built player once with a trained model for a few episodes and read its rewards.

The player loads ``<model_dir>/<BehaviorName>.onnx`` through ML-Agents' ``ModelOverrider`` flags
(``ModelOverrider.cs``): ``--mlagents-override-model-directory``, ``--mlagents-override-model-extension``,
``--mlagents-quit-after-episodes``, ``--mlagents-quit-after-seconds``, ``--mlagents-quit-on-load-failure``.
Without ``--mlagents-port`` the player does not connect to a trainer and runs the model itself.
Rewards are recorded when the player logs episode lines in the format of :data:`EPISODE_LINE_RE`.
"""

from __future__ import annotations

import math
import os
import re
import signal
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import TrainError
from .process import run_process

#: One finished episode, as logged by the generated scene:
#: ``[mlops] episode_end behavior=RollerBall reward=1.25 length=312``.
EPISODE_LINE_RE = re.compile(
    r"\[mlops\] episode_end behavior=(?P<behavior>\S+) reward=(?P<reward>-?[\d.]+(?:[eE][-+]?\d+)?|nan)"
    r"(?: length=(?P<length>\d+))?"
)
_LOAD_FAILURE_RE = re.compile(
    r"Failed to load model|Couldn't load model|could not be loaded|ModelOverrider.*(?:error|fail)|"
    r"Unable to load .*\.onnx",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class InferenceResult:
    """The outcome of an inference smoke test.

    Attributes:
        command: the exact player command line.
        returncode: the player's exit status.
        episodes: finished episodes the player reported (0 when it does not report them).
        mean_reward: mean reported episode reward (None when none reported).
        rewards: every reported episode reward, in order.
        log_path: the player log.
        duration_s: wall-clock seconds.

    """

    command: tuple[str, ...]
    returncode: int
    episodes: int
    mean_reward: float | None
    rewards: tuple[float, ...]
    log_path: Path
    duration_s: float

    @property
    def rewards_reported(self) -> bool:
        """Whether the player reports episode rewards (the generated scene does; others may not)."""
        return self.episodes > 0

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict for job metrics.

        Returns:
            The fields, paths as strings.

        """
        return {
            "command": list(self.command),
            "returncode": self.returncode,
            "episodes": self.episodes,
            "mean_reward": self.mean_reward,
            "rewards": list(self.rewards),
            "log_path": str(self.log_path),
            "duration_s": round(self.duration_s, 3),
        }


def inference_command(
    player_path: Path,
    model_dir: Path,
    *,
    log_path: Path,
    episodes: int = 5,
    quit_after_seconds: int = 300,
    extension: str = "onnx",
    no_graphics: bool = True,
    extra_args: Sequence[str] = (),
) -> list[str]:
    """Return the exact player command line for an inference smoke test.

    Args:
        player_path: the player executable.
        model_dir: folder holding ``<BehaviorName>.<extension>`` (an mlagents-learn run dir does).
        log_path: the player's ``-logFile``.
        episodes: ``--mlagents-quit-after-episodes``.
        quit_after_seconds: ``--mlagents-quit-after-seconds`` (a safety net inside the player).
        extension: ``--mlagents-override-model-extension``.
        no_graphics: add ``-batchmode -nographics``.
        extra_args: appended as they are.

    Returns:
        The argument list.

    Raises:
        TrainError: a non-positive episode count or time limit, or a bad extension.

    """
    if episodes < 1:
        raise TrainError(f"episodes: expected >= 1, got {episodes}", stage="evaluate")
    if quit_after_seconds < 1:
        raise TrainError(f"quit_after_seconds: expected >= 1, got {quit_after_seconds}", stage="evaluate")
    if not re.fullmatch(r"[A-Za-z0-9]+", extension):
        raise TrainError(f"extension {extension!r}: expected a file extension like onnx", stage="evaluate")
    command = [str(Path(player_path).resolve())]
    if no_graphics:
        command += ["-batchmode", "-nographics"]
    command += [
        "-logFile",
        str(Path(log_path).resolve()),
        "--mlagents-override-model-directory",
        str(Path(model_dir).resolve()),
        "--mlagents-override-model-extension",
        extension,
        "--mlagents-quit-after-episodes",
        str(episodes),
        "--mlagents-quit-after-seconds",
        str(quit_after_seconds),
        "--mlagents-quit-on-load-failure",
    ]
    return command + list(extra_args)


#: The flag ML-Agents' ``ModelOverrider`` reads; a player whose scripts contain it supports the smoke test.
MODEL_OVERRIDE_FLAG = "--mlagents-override-model-directory"
#: Managed assemblies that are Unity's or .NET's own, never a project's scripts (not scanned).
_ENGINE_ASSEMBLY_PREFIXES = ("UnityEngine", "UnityEditor", "System", "mscorlib", "Mono.", "netstandard")
_MAX_SCANNED_BYTES = 64 * 1024 * 1024


def model_override_support(player_path: Path) -> Path | None:
    """Find the compiled script that makes a player honour ``--mlagents-override-model-directory``.

    Unity keeps a script's string literals in the player: as UTF-16 in the ``#US`` heap of the Mono
    assemblies (``<name>_Data/Managed/*.dll``), as UTF-8 in IL2CPP's
    ``<name>_Data/il2cpp_data/Metadata/global-metadata.dat``. A player built from a project with ML-Agents'
    ``ModelOverrider`` (or an equivalent reading the same flags) contains the flag; one without it would
    ignore the flags and run until killed, so the smoke test is skipped for it instead.

    Args:
        player_path: the player executable (``…/<name>.x86_64``).

    Returns:
        The file that contains the flag, or None.

    """
    player = Path(player_path)
    stem = player.name[: -len(".x86_64")] if player.name.endswith(".x86_64") else player.stem
    data = player.with_name(f"{stem}_Data")
    candidates = [
        (path, MODEL_OVERRIDE_FLAG.encode("utf-16-le"))
        for path in sorted((data / "Managed").glob("*.dll"))
        if not path.name.startswith(_ENGINE_ASSEMBLY_PREFIXES)
    ]
    metadata = data / "il2cpp_data" / "Metadata" / "global-metadata.dat"
    candidates.append((metadata, MODEL_OVERRIDE_FLAG.encode("utf-8")))
    for path, needle in candidates:
        try:
            if path.is_file() and path.stat().st_size <= _MAX_SCANNED_BYTES and needle in path.read_bytes():
                return path
        except OSError:
            continue  # unreadable: treat as not supporting it
    return None


def parse_episode_rewards(lines: Sequence[str]) -> list[float]:
    """Return the episode rewards a player logged (:data:`EPISODE_LINE_RE`), NaNs dropped.

    Args:
        lines: the player log.

    Returns:
        Rewards in log order.

    """
    rewards = []
    for line in lines:
        match = EPISODE_LINE_RE.search(line)
        if match is not None:
            value = float(match["reward"])
            if math.isfinite(value):
                rewards.append(value)
    return rewards


def run_inference_smoke_test(
    player_path: Path,
    model_dir: Path,
    *,
    log_path: Path,
    episodes: int = 5,
    timeout_s: float = 600.0,
    behavior_names: Sequence[str] = (),
    no_graphics: bool = True,
) -> InferenceResult:
    """Run the player with the trained model for ``episodes`` episodes and record its reward.

    Args:
        player_path: the player executable.
        model_dir: folder with ``<BehaviorName>.onnx`` for each behavior.
        log_path: the player log.
        episodes: how many episodes before the player quits.
        timeout_s: hard limit (SIGTERM, then SIGKILL).
        behavior_names: behaviors whose ``<name>.onnx`` must be in ``model_dir`` (checked up front).
        no_graphics: run headless.

    Returns:
        The ``InferenceResult`` (``mean_reward`` None when the player does not report rewards).

    Raises:
        TrainError: (stage ``evaluate``) a missing model or player, a model the player could not load, a
            non-zero exit, or a timeout.

    """
    player = Path(player_path)
    if not player.is_file() or not os.access(player, os.X_OK):
        raise TrainError(f"player {player}: missing or not executable", stage="evaluate")
    for name in behavior_names:
        if not (Path(model_dir) / f"{name}.onnx").is_file():
            raise TrainError(
                f"{Path(model_dir) / (name + '.onnx')}: missing; the player loads <BehaviorName>.onnx from "
                "--mlagents-override-model-directory",
                stage="evaluate",
            )
    log_path = Path(log_path)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.unlink(missing_ok=True)
    quit_after = max(1, int(timeout_s * 0.9))
    command = inference_command(
        player,
        model_dir,
        log_path=log_path,
        episodes=episodes,
        quit_after_seconds=quit_after,
        no_graphics=no_graphics,
    )
    outcome = run_process(
        command,
        cwd=player.parent,
        timeout_s=timeout_s,
        tail_file=log_path,
        stop_signal=signal.SIGTERM,
        grace_s=10.0,
    )
    lines = outcome.log_lines(log_path)
    if outcome.timed_out:
        raise TrainError(
            f"inference smoke test timed out after {timeout_s:g} s; player log: {log_path}", stage="evaluate"
        )
    failures = [line.strip() for line in lines if _LOAD_FAILURE_RE.search(line)]
    if outcome.returncode != 0 or failures:
        quoted = "\n".join(f"  | {x}" for x in (failures or [x for x in lines if x.strip()][-8:]))
        raise TrainError(
            f"inference smoke test failed (exit code {outcome.returncode}):\n{quoted}\n"
            f"player log: {log_path}",
            stage="evaluate",
        )
    rewards = parse_episode_rewards(lines)
    return InferenceResult(
        command=tuple(command),
        returncode=outcome.returncode,
        episodes=len(rewards),
        mean_reward=statistics.fmean(rewards) if rewards else None,
        rewards=tuple(rewards),
        log_path=log_path,
        duration_s=outcome.duration_s,
    )
