"""Reading ``mlagents-learn``'s console: summary lines → progress; known failures → ``TrainError`` + fix."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import TrainError


@dataclass(frozen=True)
class SummaryLine:
    """One parsed summary line (ML-Agents ``trainers/stats.py`` ``ConsoleWriter``).

    ``3DBall. Step: 12000. Time Elapsed: 26.521 s. Mean Reward: 1.173. Std of Reward: 0.742. Training.``

    Attributes:
        behavior: the behavior (brain) name.
        step: the trainer's step count.
        elapsed_s: seconds since training started.
        mean_reward: mean cumulative episode reward since the last summary (None: no episode completed).
        std_reward: its standard deviation (None for POCA, which prints the group reward instead).
        mean_group_reward: POCA's mean group reward.
        elo: self-play ELO.
        rank: the trainer's rank in distributed training.
        training: True for ``Training.``, False for ``Not Training.`` (inference / ghost).

    """

    behavior: str
    step: int
    elapsed_s: float
    mean_reward: float | None
    std_reward: float | None
    mean_group_reward: float | None = None
    elo: float | None = None
    rank: int | None = None
    training: bool = True


_SUMMARY_RE = re.compile(
    r"^(?:\[[A-Z]+\]\s+)?(?P<behavior>\S.*?)\. Step: (?P<step>\d+)\. "
    r"Time Elapsed: (?P<elapsed>[-\d.eE+]+) s\.(?P<rest>.*)$"
)
_NUMBER = r"(-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|nan|-?inf)"
_FIELDS = {
    "mean_reward": re.compile(rf"Mean Reward: {_NUMBER}\."),
    "std_reward": re.compile(rf"Std of Reward: {_NUMBER}\."),
    "mean_group_reward": re.compile(rf"Mean Group Reward: {_NUMBER}\."),
    "elo": re.compile(rf"ELO: {_NUMBER}\."),
}
_RANK_RE = re.compile(r"Rank: (\d+)\.")


def parse_summary_line(line: str) -> SummaryLine | None:
    """Parse one console line; None when it is not a summary line.

    Args:
        line: a line of ``mlagents-learn`` output (with or without the ``[INFO]`` prefix).

    Returns:
        The ``SummaryLine``, or None.

    """
    match = _SUMMARY_RE.match(line.strip())
    if match is None:
        return None
    rest = match["rest"]
    values: dict[str, float | None] = {}
    for name, pattern in _FIELDS.items():
        found = pattern.search(rest)
        values[name] = float(found.group(1)) if found else None
    rank = _RANK_RE.search(rest)
    return SummaryLine(
        behavior=match["behavior"],
        step=int(match["step"]),
        elapsed_s=float(match["elapsed"]),
        mean_reward=values["mean_reward"],
        std_reward=values["std_reward"],
        mean_group_reward=values["mean_group_reward"],
        elo=values["elo"],
        rank=int(rank.group(1)) if rank else None,
        training="Not Training" not in rest,
    )


@dataclass(frozen=True)
class KnownFailure:
    """A recognised ``mlagents-learn`` failure.

    Attributes:
        name: a short id (``unity_timeout``, ``port_in_use`` …).
        cause: the likely cause, in one sentence.
        fix: what to do.
        line: the output line that identified it.

    """

    name: str
    cause: str
    fix: str
    line: str


# (name, pattern, cause, fix); first match in output order wins, so the root cause printed first is named.
_FAILURES: tuple[tuple[str, re.Pattern[str], str, str], ...] = (
    (
        "behavior_not_in_config",
        re.compile(r"The behavior name (?P<name>.+?) has not been specified in the trainer configuration"),
        "the player's BehaviorParameters.BehaviorName ({name}) has no entry under 'behaviors:' in the "
        "trainer YAML and there are no default_settings",
        "rename the YAML's behaviors key to exactly {name} (case-sensitive), or add default_settings",
    ),
    (
        "version_mismatch",
        re.compile(
            r"communication API version is not compatible|API version.*not compatible|Unity API: \S+", re.I
        ),
        "the player's com.unity.ml-agents package speaks a different communicator API than this "
        "mlagents-learn (mlagents 1.x speaks API 1.5.0)",
        "use matching versions: mlagents/mlagents-envs 1.1.0 with com.unity.ml-agents 3.0.0 (Release 22); "
        "rebuild the player or install the matching mlagents",
    ),
    (
        "port_in_use",
        re.compile(
            r"worker number \d+ is still in use|UnityWorkerInUseException|address already in use|"
            r"Failed to (?:bind|add port)|Couldn't start socket communication",
            re.I,
        ),
        "the gRPC port (base_port + worker id) is already taken, by another training job or a stale player",
        "let the pipeline lease --base-port (it never hands the same range to two jobs); stop stale "
        "players/mlagents-learn processes, or pass a different --base-port",
    ),
    (
        "unity_timeout",
        re.compile(r"UnityTimeOutException|The Unity environment took too long to respond"),
        "the player started but never connected to mlagents-learn within --timeout-wait (no trainer "
        "connection, a crash at startup, or a graphics device it could not open)",
        "read run_logs/Player-0.log; build the player as a Dedicated Server (headless) or pass "
        "--no-graphics; check BehaviorParameters > Behavior Type is 'Default'; raise --timeout-wait",
    ),
    (
        "env_not_found",
        re.compile(r"Couldn't launch the .* environment|Provided filename does not match any environments"),
        "--env does not point at a player executable",
        "pass the built player's executable (…/<name>.x86_64) as env_path",
    ),
    (
        "run_exists",
        re.compile(r"Previous data from this run ID was found"),
        "results/<run-id> already exists and neither --resume nor --force was given",
        "resume the run, choose a new run id, or pass force",
    ),
    (
        "missing_onnxscript",
        re.compile(r"No module named 'onnxscript'"),
        "torch.onnx.export defaulted to the dynamo exporter, which needs onnxscript (torch >= 2.9)",
        "run scripts/setup_mlagents_venv.sh (its launcher defaults dynamo=False) or pip install onnxscript",
    ),
    (
        "player_crashed",
        re.compile(
            r"UnityEnvironmentException: Environment shut down|The Unity environment .* crashed", re.I
        ),
        "the player process exited during training",
        "read run_logs/Player-*.log for the player's crash",
    ),
)


def classify_failure(lines: Iterable[str]) -> KnownFailure | None:
    """Recognise a known ``mlagents-learn`` failure in its output.

    The failure is the first one recognised in output order (the root cause is printed first); the line
    quoted for it is the last matching line that names an exception (``…Exception: …``), which is the one
    ML-Agents raised for it, else the first matching line.

    Args:
        lines: the output, oldest first.

    Returns:
        The recognised failure, or None.

    """
    lines = list(lines)
    for line in lines:
        for name, pattern, cause, fix in _FAILURES:
            match = pattern.search(line)
            if match is None:
                continue
            quoted = line
            for later in reversed(lines):
                if "Exception:" in later and pattern.search(later):
                    quoted, match = later, pattern.search(later) or match
                    break
            groups = {k: v for k, v in match.groupdict().items() if v is not None}
            return KnownFailure(
                name=name, cause=cause.format(**groups), fix=fix.format(**groups), line=quoted.strip()
            )
    return None


def train_error_from_output(
    lines: list[str],
    *,
    returncode: int,
    run_id: str | None = None,
    log_path: str | None = None,
    max_quoted: int = 8,
) -> TrainError:
    """Build the ``TrainError`` for a failed ``mlagents-learn`` run: likely cause and fix, or the last lines.

    Args:
        lines: its output, oldest first.
        returncode: its exit status.
        run_id: the run id, for the error.
        log_path: where the full output is saved.
        max_quoted: how many trailing lines to quote when the failure is not recognised.

    Returns:
        The error to raise.

    """
    where = f"; full output: {log_path}" if log_path else ""
    failure = classify_failure(lines)
    if failure is not None:
        return TrainError(
            f"mlagents-learn failed (exit code {returncode}, {failure.name}): {failure.cause}.\n"
            f"  | {failure.line}\nfix: {failure.fix}{where}",
            run_id=run_id,
        )
    last = [line for line in lines if line.strip()][-max_quoted:]
    quoted = "\n".join(f"  | {line}" for line in last) or "  | (no output)"
    return TrainError(
        f"mlagents-learn failed (exit code {returncode}); last output lines:\n{quoted}{where}", run_id=run_id
    )
