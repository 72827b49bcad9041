"""The ``trainer_backend: mlagents`` backend: run ML-Agents' own ``mlagents-learn`` on a built player.

``mlagents-learn`` lives in its own virtual environment (``scripts/setup_mlagents_venv.sh``); we find it,
check its version, lease ports, run it with the exact flags of ML-Agents' ``trainers/cli_utils.py``, turn its
summary lines into progress events, stop it with one SIGINT (so it writes its final files) and collect
``results/<run-id>/``.
"""

from __future__ import annotations

import logging
import math
import os
import re
import signal
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._validate import ID_PATTERN, short
from ..bridge.ports import PortLeaser, default_port_lock_dir
from ..errors import ConfigError, JobCancelled, TrainError
from ..progress import EtaEstimator, ProgressEvent
from ..rl.config import EnvironmentSettings, RunOptions, dump_run_options
from .learn_output import parse_summary_line, train_error_from_output
from .mlagents_install import (
    MlagentsInstall,
    child_env,
    find_mlagents_learn,
    inspect_mlagents_learn,
)
from .process import run_process
from .results import final_onnx_paths, read_training_status

logger = logging.getLogger(__name__)

#: mlagents' TrainerSettings.max_steps default (ML-Agents ``trainers/settings.py``).
DEFAULT_MAX_STEPS = 500_000

_DEFAULT_TIMEOUT_WAIT = EnvironmentSettings().timeout_wait
"""ML-Agents' ``--timeout-wait`` default: a run that keeps it passes no flag."""

_RUN_ID_RE = ID_PATTERN  # the package's one id pattern (used with fullmatch)


@dataclass(frozen=True)
class MlagentsRunResult:
    """What an ``mlagents-learn`` run produced.

    Attributes:
        run_dir: ``<results_dir>/<run-id>``.
        onnx_paths: the final ``<Behavior>.onnx`` per behavior.
        training_status: the parsed ``run_logs/training_status.json``.
        returncode: the process exit status.
        history: ``(step, mean reward)`` per summary line, per behavior (learning curves).
        command: the exact command line.
        base_port: the leased ``--base-port``.
        log_path: the saved console output.
        duration_s: wall-clock seconds.

    """

    run_dir: Path
    onnx_paths: dict[str, Path]
    training_status: dict[str, Any]
    returncode: int
    history: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    command: tuple[str, ...] = ()
    base_port: int | None = None
    log_path: Path | None = None
    duration_s: float = 0.0

    @property
    def final_rewards(self) -> dict[str, float | None]:
        """Each behavior's final checkpoint reward as recorded in the training status."""
        rewards: dict[str, float | None] = {}
        for name in self.onnx_paths:
            final = self.training_status.get(name, {}).get("final_checkpoint") or {}
            value = final.get("reward")
            rewards[name] = float(value) if isinstance(value, (int, float)) else None
        return rewards


def _max_steps(options: RunOptions, behavior: str) -> int:
    """Return a behavior's ``max_steps`` from the run's settings (its entry, else ``default_settings``)."""
    try:
        return int(options.behavior_settings(behavior).max_steps)
    except ConfigError:  # a behavior the YAML does not configure: mlagents-learn uses its own default
        return DEFAULT_MAX_STEPS


def _resolve_env_path(env_path: Path) -> Path:
    path = Path(env_path)
    if path.is_dir():
        players = sorted(path.glob("*.x86_64")) + sorted(path.glob("*.exe")) + sorted(path.glob("*.app"))
        if len(players) != 1:
            raise TrainError(
                f"env_path {path}: a folder holding {len(players)} players; pass the player executable"
            )
        path = players[0]
    if not path.exists():
        raise TrainError(
            f"env_path {path}: no such player; pass the built player's executable (…/<name>.x86_64)"
        )
    if path.is_file() and not os.access(path, os.X_OK):
        raise TrainError(f"env_path {path}: not executable; fix: chmod +x {path}")
    return path.resolve()


class MlagentsLearnBackend:
    """Runs ``mlagents-learn`` for the pipeline (``trainer_backend: mlagents``)."""

    def __init__(
        self,
        executable: Path | None = None,
        *,
        port_lock_dir: Path | None = None,
        first_port: int = 5005,
        last_port: int = 6028,
        port_block: int = 16,
        stop_grace_s: float = 120.0,
        check_install: bool = True,
        env: Mapping[str, str] | None = None,
    ) -> None:
        """Create the backend.

        Args:
            executable: ``mlagents-learn``; found with :func:`find_mlagents_learn` by default.
            port_lock_dir: folder of port lease locks (:func:`default_port_lock_dir` by default).
            first_port: lowest ``--base-port`` handed out.
            last_port: highest port handed out.
            port_block: ports per lease block (jobs with more envs take several blocks).
            stop_grace_s: seconds to wait after the single SIGINT before SIGKILL.
            check_install: inspect the installation (versions, ``--help``) before the first run.
            env: environment for the child (``os.environ`` by default; Python variables are scrubbed).

        """
        self._env = dict(os.environ if env is None else env)
        self.executable = Path(executable) if executable is not None else find_mlagents_learn(self._env)
        self.leaser = PortLeaser(
            port_lock_dir if port_lock_dir is not None else default_port_lock_dir(self._env),
            first_port=first_port,
            last_port=last_port,
            block=port_block,
        )
        self.stop_grace_s = stop_grace_s
        self.check_install = check_install
        self._install: MlagentsInstall | None = None

    def install(self) -> MlagentsInstall:
        """Return the (cached) checked installation.

        Returns:
            The ``MlagentsInstall``.

        Raises:
            TrainError: it does not run or is too old.

        """
        if self._install is None:
            self._install = inspect_mlagents_learn(self.executable)
        return self._install

    def command(
        self,
        config_yaml: Path,
        *,
        env_path: Path | None,
        run_id: str,
        results_dir: Path,
        num_envs: int = 1,
        time_scale: float = 20.0,
        no_graphics: bool = True,
        torch_device: str | None = None,
        resume: bool = False,
        initialize_from: str | None = None,
        base_port: int | None = None,
        seed: int | None = None,
        force: bool = False,
        timeout_wait: int | None = None,
        env_args: Sequence[str] = (),
    ) -> list[str]:
        """Return the exact ``mlagents-learn`` command line (ML-Agents ``trainers/cli_utils.py``).

        ``--resume`` and ``--initialize-from`` conflict; like ``mlagents-learn`` itself
        (``CheckpointSettings.prioritize_resume_init``) resume wins and ``--initialize-from`` is left out.
        ``--env-args`` swallows the rest of the line, so it comes last.

        Args:
            config_yaml: the trainer YAML.
            env_path: the player executable (None: wait for an Editor on port 5004).
            run_id: the run id (``results/<run-id>``).
            results_dir: the results root.
            num_envs: parallel players.
            time_scale: Unity time scale.
            no_graphics: pass ``--no-graphics``.
            torch_device: ``cpu``, ``cuda``, ``cuda:0`` … (None: mlagents' default).
            resume: continue ``run_id``.
            initialize_from: initialise from another run id's checkpoints.
            base_port: ``--base-port``.
            seed: ``--seed``.
            force: overwrite an existing run.
            timeout_wait: ``--timeout-wait`` seconds.
            env_args: arguments for the player (``--env-args …``).

        Returns:
            The argument list.

        Raises:
            TrainError: an invalid value (named).

        """
        if not _RUN_ID_RE.fullmatch(run_id) or ".." in run_id:
            raise TrainError(
                f"run_id {short(run_id)}: expected letters, digits, '.', '_' or '-' (max 128), no '..'"
            )
        if initialize_from is not None and (
            not _RUN_ID_RE.fullmatch(initialize_from) or ".." in initialize_from
        ):
            raise TrainError(f"initialize_from {short(initialize_from)}: expected a run id")
        if num_envs < 1:
            raise TrainError(f"num_envs: expected >= 1, got {num_envs}")
        if num_envs > 1 and env_path is None:
            raise TrainError(
                "num_envs > 1 needs env_path (a built player); the Editor is a single environment"
            )
        if not (time_scale > 0 and math.isfinite(time_scale)):
            raise TrainError(f"time_scale: expected a positive number, got {time_scale}")
        if torch_device is not None and not re.fullmatch(r"cpu|cuda(?::\d+)?|mps", torch_device):
            raise TrainError(f"torch_device {torch_device!r}: expected cpu, cuda, cuda:N or mps")
        command = [str(self.executable), str(Path(config_yaml).resolve())]
        if env_path is not None:
            command.append(f"--env={Path(env_path)}")
        command += [f"--run-id={run_id}", f"--num-envs={num_envs}"]
        if base_port is not None:
            command.append(f"--base-port={base_port}")
        if seed is not None:
            command.append(f"--seed={seed}")
        command.append(f"--time-scale={time_scale:g}")
        if no_graphics:
            command.append("--no-graphics")
        command.append(f"--results-dir={Path(results_dir).resolve()}")
        if torch_device is not None:
            command.append(f"--torch-device={torch_device}")
        if timeout_wait is not None:
            command.append(f"--timeout-wait={int(timeout_wait)}")
        if resume:
            command.append("--resume")
        elif initialize_from is not None:
            command.append(f"--initialize-from={initialize_from}")
        if force and not resume:
            command.append("--force")
        if env_args:
            command += ["--env-args", *env_args]
        return command

    def run(
        self,
        options: RunOptions,
        config_yaml: Path,
        *,
        on_progress: Callable[[ProgressEvent], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
        timeout_s: float | None = None,
        log_path: Path | None = None,
        on_line: Callable[[str], None] | None = None,
    ) -> MlagentsRunResult:
        """Train with ``mlagents-learn`` as ``options`` say and collect ``results/<run-id>/``.

        ``options`` is the whole run, as ``mlagents-learn`` itself reads it: the trainer settings (each
        behavior's ``max_steps`` sizes the progress), and the command-line flags it folds into the same
        ``RunOptions`` (``env_settings``: ``--env``, ``--num-envs``, ``--seed``, ``--timeout-wait``,
        ``--env-args``; ``engine_settings``: ``--time-scale``, ``--no-graphics``; ``checkpoint_settings``:
        ``--run-id``, ``--results-dir``, ``--resume``, ``--force``, ``--initialize-from``;
        ``torch_settings.device``: ``--torch-device``). It is written to ``config_yaml`` first, so the file
        and the flags cannot disagree.

        A port range is leased for the run's lifetime. ``should_stop()`` (polled) or ``timeout_s`` sends one
        SIGINT; ``mlagents-learn`` then saves a checkpoint, exports ONNX and writes its run logs, and we
        wait up to ``stop_grace_s`` for it before SIGKILL.

        Args:
            options: the run (``rl.config.RunOptions``); ``env_settings.env_path`` is the player executable
                or a folder holding exactly one (None: connect to the Editor).
            config_yaml: where the trainer YAML is written (``mlagents-learn`` reads it).
            on_progress: called for each summary line.
            should_stop: polled; True stops the run gracefully and raises ``JobCancelled``.
            timeout_s: wall-clock limit; on expiry the run is stopped gracefully and ``TrainError`` raised.
            log_path: where the console output is saved (default ``results_dir/<run_id>.mlagents-learn.log``).
            on_line: called with every console line.

        Returns:
            The ``MlagentsRunResult``.

        Raises:
            TrainError: bad input, a known failure (with cause and fix), a timeout, or missing outputs.
            JobCancelled: ``should_stop()`` stopped the run (checkpoint saved; ``resume=True`` continues).

        """
        env, engine, cs = options.env_settings, options.engine_settings, options.checkpoint_settings
        run_id, resume, force, initialize_from = cs.run_id, cs.resume, cs.force, cs.initialize_from
        num_envs = env.num_envs
        env_path = Path(env.env_path) if env.env_path is not None else None
        config_yaml = dump_run_options(options, Path(config_yaml))
        results_dir = Path(cs.results_dir).resolve()
        run_dir = results_dir / run_id
        resolved_env = _resolve_env_path(env_path) if env_path is not None else None
        if resume and not run_dir.is_dir():
            raise TrainError(
                f"resume: no previous run at {run_dir}; start it without resume first", run_id=run_id
            )
        if not resume and not force and run_dir.exists():
            raise TrainError(
                f"{run_dir} already exists; fix: resume it, choose another run id, or force overwriting",
                run_id=run_id,
            )
        if initialize_from is not None and not resume and not (results_dir / initialize_from).is_dir():
            raise TrainError(f"initialize_from: no run at {results_dir / initialize_from}", run_id=run_id)
        if self.check_install:
            self.install()
        results_dir.mkdir(parents=True, exist_ok=True)
        log_path = Path(log_path) if log_path is not None else results_dir / f"{run_id}.mlagents-learn.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)

        history: dict[str, list[tuple[int, float]]] = {}
        etas: dict[str, EtaEstimator] = {}
        recent: deque[str] = deque(maxlen=2000)

        def handle_line(line: str) -> None:
            recent.append(line)
            if on_line is not None:
                on_line(line)
            summary = parse_summary_line(line)
            if summary is None:
                return
            if summary.mean_reward is not None:
                history.setdefault(summary.behavior, []).append((summary.step, summary.mean_reward))
            if on_progress is not None:
                limit = _max_steps(options, summary.behavior)
                # mlagents-learn's own elapsed time is the clock: the rate between its summaries, smoothed
                estimator = etas.setdefault(summary.behavior, EtaEstimator(limit))
                eta = estimator.update(summary.step, summary.elapsed_s)
                on_progress(
                    ProgressEvent(
                        behavior=summary.behavior,
                        step=summary.step,
                        max_steps=limit,
                        mean_reward=summary.mean_reward,
                        std_reward=summary.std_reward,
                        elapsed_s=summary.elapsed_s,
                        eta_s=eta,
                        mean_group_reward=summary.mean_group_reward,
                        elo=summary.elo,
                        training=summary.training,
                    )
                )

        with self.leaser.lease(num_envs) as lease:
            command = self.command(
                config_yaml,
                env_path=resolved_env,
                run_id=run_id,
                results_dir=results_dir,
                num_envs=num_envs,
                time_scale=engine.time_scale,
                no_graphics=engine.no_graphics,
                torch_device=options.torch_settings.device,
                resume=resume,
                initialize_from=initialize_from,
                base_port=lease.base_port,
                seed=env.seed if env.seed >= 0 else None,  # -1: mlagents-learn draws one
                force=force,
                timeout_wait=None if env.timeout_wait == _DEFAULT_TIMEOUT_WAIT else env.timeout_wait,
                env_args=env.env_args or (),
            )
            logger.info(
                "mlagents-learn (ports %d-%d): %s", lease.ports[0], lease.ports[-1], " ".join(command)
            )
            try:
                outcome = run_process(
                    command,
                    cwd=results_dir,
                    env=child_env(self._env),
                    timeout_s=timeout_s,
                    on_line=handle_line,
                    should_stop=should_stop,
                    transcript=log_path,
                    stop_signal=signal.SIGINT,
                    grace_s=self.stop_grace_s,
                )
            except OSError as exc:
                raise TrainError(f"could not start {self.executable}: {exc}", run_id=run_id) from exc
            base_port = lease.base_port

        lines = list(recent)
        if outcome.killed:
            raise TrainError(
                f"mlagents-learn ignored SIGINT for {self.stop_grace_s:g} s and was killed; its final files "
                f"(training_status.json, <Behavior>.onnx) may be missing in {run_dir}",
                run_id=run_id,
            )
        if not (outcome.timed_out or outcome.stopped) and outcome.returncode != 0:
            raise train_error_from_output(
                lines, returncode=outcome.returncode, run_id=run_id, log_path=str(log_path)
            )
        if outcome.stopped:
            raise JobCancelled(
                f"mlagents-learn run {run_id} stopped on request after {outcome.duration_s:.0f} s; "
                f"its checkpoint is in {run_dir} (resume=True continues it)"
            )
        if outcome.timed_out:
            raise TrainError(
                f"mlagents-learn run {run_id} hit the {timeout_s:g} s timeout and was stopped gracefully; "
                f"partial results are in {run_dir} (resume=True continues it)",
                run_id=run_id,
            )
        status = read_training_status(run_dir)
        onnx_paths = final_onnx_paths(run_dir, status, cwd=results_dir)
        if not onnx_paths:
            raise TrainError(
                f"mlagents-learn exited 0 but wrote no final ONNX model under {run_dir}; see {log_path}",
                run_id=run_id,
            )
        return MlagentsRunResult(
            run_dir=run_dir,
            onnx_paths=onnx_paths,
            training_status=status,
            returncode=outcome.returncode,
            history=history,
            command=tuple(command),
            base_port=base_port,
            log_path=log_path,
            duration_s=outcome.duration_s,
        )
