"""``learn()``: train an environment's behaviors from an ML-Agents configuration, like ``mlagents-learn``.

One call prepares ``results/<run-id>/`` (refusing to overwrite without ``force``, resuming with ``resume``),
builds the environment, picks PPO, SAC or POCA per behavior's ``trainer_type``, runs the act/step/observe
loop over every behavior the environment has and writes everything ``mlagents-learn`` writes: TensorBoard
events, console summaries, numbered checkpoints with ONNX exports, ``checkpoint.pt``, the final
``<Behavior>.onnx`` per behavior, ``configuration.yaml``, ``training_status.json`` and ``timers.json``.
``checkpoint.pt`` and ``training_status.json`` are rewritten (atomically) at every summary, so a run killed
with ``kill -9`` resumes from at most ``summary_freq`` steps back.
"""

from __future__ import annotations

import logging
import random
import sys
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import torch
import yaml

from ..bridge import player_env_factory
from ..cluster.rollouts import ray_env_factory
from ..errors import ConfigError, JobCancelled, TrainError
from ..progress import EtaEstimator, ProgressEvent
from ..sim.core import SimEnv
from ..spaces import ActionTuple, BehaviorSignature, MultiBehaviorEnv, StepBatch, VectorEnv
from . import stats as S
from .base import Trainer, load_checkpoint_file
from .checkpoint import CheckpointManager
from .config import EnvironmentParameterManager, TrainerSettings, dump_run_options
from .env_factory import (
    SIM_PREFIX,
    EnvFactory,
    default_agents,
    is_multi_behavior_task,
    parse_env,
    sim_factory,
)
from .results import (
    RunPaths,
    Timers,
    checkpoint_records,
    gauge_name,
    lesson_numbers,
    prepare_run_dir,
    read_training_status,
    write_training_status,
)
from .sac import REPLAY_FILE, SACTrainer
from .selfplay import ELO_TAG, NUM_TEAMS, GhostController, GhostTrainer, policy_actions
from .support import behavior_problems, check_supported
from .trainers import TRAINERS

logger = logging.getLogger(__name__)

TORCH_THREADS = 1
"""Intra-op threads for the trainer: the networks are small, so one thread avoids sync overhead (bench)."""
RECENT_EPISODES = 100
"""Episodes averaged for checkpoint rewards and ``BehaviorResult.mean_reward`` when no summary ran."""


@dataclass(frozen=True)
class BehaviorResult:
    """What training produced for one behavior."""

    name: str
    """Behavior name."""
    onnx_path: Path
    """The final model ``<run>/<Behavior>.onnx``."""
    checkpoint_path: Path
    """``<run>/<Behavior>/checkpoint.pt``."""
    steps: int
    """Steps trained (including resumed ones)."""
    mean_reward: float | None
    """Mean cumulative reward at the last summary (or of the last episodes)."""
    history: list[tuple[int, float]] = field(default_factory=list)
    """``(step, mean reward)`` per summary: the learning curve."""
    stopped_at_reward: bool = False
    """True when ``LearnOptions.stop_at_reward`` ended training before ``max_steps``."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        return {
            "name": self.name,
            "onnx_path": str(self.onnx_path),
            "checkpoint_path": str(self.checkpoint_path),
            "steps": self.steps,
            "mean_reward": self.mean_reward,
            "history": [list(h) for h in self.history],
            "stopped_at_reward": self.stopped_at_reward,
        }


@dataclass(frozen=True)
class LearnResult:
    """The outcome of ``learn``."""

    run_dir: Path
    """``<results_dir>/<run_id>``."""
    behaviors: dict[str, BehaviorResult]
    """Per behavior."""
    wall_seconds: float
    """Wall-clock training time of the whole run: this call plus, after ``--resume``, the time earlier calls
    had spent up to the checkpoint it resumed from (recorded in ``checkpoint.pt``)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping (what ``mlops-unity learn --json`` prints)."""
        return {
            "run_dir": str(self.run_dir),
            "wall_seconds": self.wall_seconds,
            "behaviors": {k: v.to_dict() for k, v in self.behaviors.items()},
        }


@dataclass(frozen=True)
class LearnOptions:
    """Inputs of ``learn``; run id, results dir, seed, ``num_envs``, resume/force are in ``run_options``."""

    run_options: Any
    """The ``rl.config.RunOptions`` (CLI overrides already applied)."""
    env: str = "sim:3DBall"
    """``sim:TASK``, or a player executable trained through the gRPC bridge; ignored with ``env_factory``."""
    env_factory: EnvFactory | None = None
    """``factory(num_agents, seed) -> VectorEnv``; the pipeline passes ``BehaviorSpec.make_env``."""
    on_progress: Callable[[ProgressEvent], None] | None = None
    """Called at every summary."""
    should_stop: Callable[[], bool] | None = None
    """Polled every decision; True -> write a checkpoint and raise ``JobCancelled``."""
    quiet: bool = False
    """No console lines and no progress bar."""
    stop_at_reward: float | None = None
    """End a behavior's training at the first summary whose mean reward reaches this; the model is finalized
    as at ``max_steps`` (``--stop-at-reward``: "3DBall to 90" measured as a time and a step count)."""
    on_episodes: Callable[[str, int, np.ndarray], None] | None = None
    """Called with ``(behavior, step, rewards)`` whenever episodes end (benchmarks track rolling means)."""
    ray_envs: bool = False
    """Run each of the ``num_envs`` environment instances as a Ray actor on the cluster at ``RAY_ADDRESS``
    (``cluster.rollouts``); the learner stays in this process."""


def _resolve_seed(seed: int) -> int:
    # ML-Agents: seed -1 means "pick one at random in [0, 9999]".
    return random.randint(0, 9999) if seed == -1 else int(seed)


def make_trainer(
    signature: BehaviorSignature,
    settings: TrainerSettings,
    num_agents: int,
    seed: int,
    *,
    num_teams: int = NUM_TEAMS,
    controller: GhostController | None = None,
) -> Trainer:
    """Build the trainer ``settings.trainer_type`` asks for (its ``rl.trainers.TRAINERS`` entry).

    Args:
        signature: the behavior trained.
        settings: its ``TrainerSettings``.
        num_agents: agents in the environment.
        seed: random seed.
        num_teams: with ``self_play``, the behavior's teams: 2 (symmetric game) or 1 (one side of an
            asymmetric game).
        controller: with ``self_play``, the run's ``GhostController`` shared by every ghost trainer.

    Returns:
        A ``PPOTrainer``, ``SACTrainer`` or ``POCATrainer``; with ``self_play``, a ``GhostTrainer`` around one
        (``rl.selfplay``).

    Raises:
        ConfigError: a setting the built-in trainer does not implement (``rl.support``).

    """
    problems = behavior_problems(settings, f"behaviors.{signature.name}")
    if problems:
        raise ConfigError("; ".join(problems))
    if settings.self_play is not None:
        return GhostTrainer(
            TRAINERS[settings.trainer_type],
            signature,
            settings,
            num_agents,
            seed,
            num_teams=num_teams,
            controller=controller,
        )
    return TRAINERS[settings.trainer_type](signature, settings, num_agents, seed)


def learn(options: LearnOptions) -> LearnResult:
    """Train every behavior of the environment as ``mlagents-learn`` would, writing its results folder.

    Each behavior gets its own trainer with its own settings (its ``behaviors:`` entry, else
    ``default_settings``), its own ``<run>/<Behavior>/`` folder and ``<Behavior>.onnx``; entries of the
    configuration the environment does not have are logged and left untrained, as mlagents-learn does.

    Args:
        options: what to train and where (see ``LearnOptions``).

    Returns:
        Paths and figures of the run.

    Raises:
        ConfigError: bad run folder state (exists without resume/force …), behavior missing from the config,
            settings the built-in trainer does not implement (each named, ``rl.support``).
        TrainError: training diverged (NaN/inf; names the step and the last good checkpoint) or a
            checkpoint does not fit.
        JobCancelled: ``should_stop`` returned True (a checkpoint was written first).

    """
    started = time.time()
    ro = options.run_options
    package_logger = logging.getLogger(__name__.split(".")[0])
    previous_level = package_logger.level
    if ro.debug:  # --debug: every summary's statistics and more at DEBUG level, as mlagents-learn's --debug
        package_logger.setLevel(logging.DEBUG)
    try:
        return _learn(options, started)
    finally:
        package_logger.setLevel(previous_level)


def _learn(options: LearnOptions, started: float) -> LearnResult:
    ro = options.run_options
    cs = ro.checkpoint_settings
    seed = _resolve_seed(ro.env_settings.seed)
    areas = max(1, int(ro.env_settings.num_envs)) * max(1, int(ro.env_settings.num_areas))
    if options.env_factory is not None:
        factory, num_agents = options.env_factory, areas
    elif not str(options.env).startswith(SIM_PREFIX):
        # A player executable (a Unity build or simulator launcher): serve it the gRPC protocol (bridge).
        factory, num_agents = player_env_factory(options.env, ro), areas
    else:
        task = parse_env(options.env)
        if options.ray_envs and is_multi_behavior_task(task):
            raise ConfigError(
                f"--env {options.env}: --ray-envs runs single-behavior environments; '{task}' has several "
                "behaviors (train it in this process)"
            )
        factory, num_agents = sim_factory(task, ro.engine_settings), default_agents(task) * areas
    if options.ray_envs:  # --num-envs instances as Ray actors anywhere in the cluster (docs/scaling.md)
        if options.env_factory is None and not str(options.env).startswith(SIM_PREFIX):
            factory = _PlayerPerActor(str(options.env), ro)
        factory = ray_env_factory(factory, max(1, int(ro.env_settings.num_envs)))
    torch.set_num_threads(TORCH_THREADS)
    env = factory(num_agents, seed)
    try:
        world = env if isinstance(env, MultiBehaviorEnv) else _OneBehavior(env)
        names = list(world.signatures)
        # Check every behavior is configured and every setting implemented before touching the results folder.
        check_supported(ro, names)
        unused = [name for name in ro.behaviors if name not in world.signatures]
        if unused:  # mlagents-learn trains the environment's behaviors only and never reads these entries
            logger.warning(
                "behaviors %s of the configuration are not behaviors of the environment (%s): not trained",
                unused,
                ", ".join(names),
            )
        paths = prepare_run_dir(
            cs.results_dir, cs.run_id, resume=cs.resume, force=cs.force, initialize_from=cs.initialize_from
        )
        loop = _Loop(options, paths, world, seed)
        loop.run()
        return LearnResult(
            run_dir=paths.run_dir,
            behaviors={session.name: session.result() for session in loop.sessions},
            wall_seconds=max(s.prior_wall_seconds for s in loop.sessions) + (time.time() - started),
        )
    finally:
        env.close()


class _PlayerPerActor:
    """Environment actors' player factory: one player per actor, its logs in ``run_logs/env-<i>/``."""

    def __init__(self, env: str, run_options: Any) -> None:
        # each actor launches and owns one player: the number of actors carries --num-envs
        self.env = env
        self.run_options = replace(run_options, env_settings=replace(run_options.env_settings, num_envs=1))

    def for_actor(self, index: int) -> EnvFactory:
        """Return actor ``index``'s factory (its players' logs go to their own folder)."""
        cs = self.run_options.checkpoint_settings
        logs = Path(cs.results_dir) / cs.run_id / "run_logs" / f"env-{index}"
        make = player_env_factory(self.env, self.run_options, archive_dir=logs)

        def factory(num_agents: int, seed: int | None) -> VectorEnv:
            return _LogFolderOnClose(make(num_agents, seed), logs)

        return factory

    def __call__(self, num_agents: int, seed: int | None) -> VectorEnv:
        """Build actor 0's environment."""
        return self.for_actor(0)(num_agents, seed)


class _LogFolderOnClose:
    """A player env whose log folder is made just before ``close`` archives into it.

    Not earlier: the env starts before ``prepare_run_dir``, which refuses (or, with ``--force``, deletes)
    an existing run folder.
    """

    def __init__(self, env: Any, folder: Path) -> None:
        if isinstance(env, MultiBehaviorEnv):
            raise ConfigError(
                f"--ray-envs runs single-behavior environments; the player has {list(env.signatures)} "
                "(train it without --ray-envs: its behaviors train together through the bridge)"
            )
        self.env, self.folder = env, folder
        self.signature, self.num_agents = env.signature, env.num_agents

    def reset(self, *, seed: int | None = None) -> Any:
        """Delegate."""
        return self.env.reset(seed=seed)

    def step(self, actions: Any) -> Any:
        """Delegate."""
        return self.env.step(actions)

    def set_env_parameters(self, params: Any) -> None:
        """Delegate."""
        self.env.set_env_parameters(params)

    def close(self) -> None:
        """Make the log folder, then close (the players' logs are copied there)."""
        if self.folder.parent.is_dir():  # the run folder exists: training got that far
            self.folder.mkdir(exist_ok=True)
        self.env.close()


class _OneBehavior:
    """A single-behavior ``VectorEnv`` seen as a ``MultiBehaviorEnv`` of one behavior (one loop for both)."""

    def __init__(self, env: VectorEnv) -> None:
        self.env = env
        self.name = env.signature.name
        self.signatures = {self.name: env.signature}
        self.num_agents = {self.name: env.num_agents}

    def reset(self, *, seed: int | None = None) -> dict[str, StepBatch]:
        """Reset the environment."""
        return {self.name: self.env.reset(seed=seed)}

    def step(self, actions: Mapping[str, ActionTuple]) -> dict[str, StepBatch]:
        """Step the environment."""
        return {self.name: self.env.step(actions[self.name])}

    def pop_lost_agents(self) -> dict[str, np.ndarray | None]:
        """Agents whose remote environment restarted (``cluster/rollouts.py``); None for a local one."""
        pop = getattr(self.env, "pop_lost_agents", None)
        return {self.name: None if pop is None else pop()}

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        """Delegate."""
        self.env.set_env_parameters(params)

    def close(self) -> None:
        """Delegate."""
        self.env.close()


def _team_count(batch: StepBatch, several_behaviors: bool) -> int:
    """Teams a self-play behavior holds: one per behavior in an asymmetric game, else the symmetric two."""
    if several_behaviors and batch.team_id is not None and len(np.unique(batch.team_id)) == 1:
        return 1
    return NUM_TEAMS


class _Loop:
    """The act/step/observe loop over every behavior of the environment, and the run-level files.

    As ``mlagents-learn``'s trainer controller: every behavior gets its own trainer and folder; the loop ends
    when every behavior reached its ``max_steps`` (or ``stop_at_reward``). A finished behavior's agents keep
    playing its final policy while the others train; self-play teams share one ``GhostController``.
    """

    def __init__(self, options: LearnOptions, paths: RunPaths, world: MultiBehaviorEnv, seed: int) -> None:
        self.options = options
        self.ro = options.run_options
        self.paths = paths
        self.world = world
        self.seed = seed
        cs = self.ro.checkpoint_settings
        status = read_training_status(paths.run_dir) if cs.resume else {}
        self.params = None
        if self.ro.environment_parameters:
            self.params = EnvironmentParameterManager(self.ro, seed)
            if status:
                self.params.restore(lesson_numbers(status))
            world.set_env_parameters(self.params.current_values())
        self.timers = Timers()
        self.console: TextIO = sys.stdout
        self.bar = S.ProgressBar(self.console) if not options.quiet else None
        self.reset_pending = False
        """A curriculum lesson with ``require_reset`` completed: reset every episode after this decision."""
        self.batches = world.reset(seed=seed)
        self.controller = GhostController()
        several = len(world.signatures) > 1
        self.sessions = [
            _Session(
                self,
                signature,
                int(world.num_agents[name]),
                _team_count(self.batches[name], several),
                status,
            )
            for name, signature in world.signatures.items()
        ]

    # --- run-level ---
    def update_lessons(self) -> None:
        """Feed every behavior's steps and rewards to the curriculum; apply the (re)drawn parameters."""
        params = self.params
        assert params is not None  # internal invariant: only called with parameters configured
        steps, means, episodes = {}, {}, {}
        for s in self.sessions:
            recent = list(s.recent)[-params.reward_buffer_size(s.name) :]
            steps[s.name] = s.trainer.step
            means[s.name] = float(np.mean(recent)) if recent else None
            episodes[s.name] = s.episodes_total
        changed = params.update_lessons(steps, means, episodes)
        self.world.set_env_parameters(params.current_values())
        if changed and getattr(params, "reset_required", False):
            self.reset_pending = True

    def write_status(self) -> None:
        """Rewrite ``training_status.json`` with every behavior's checkpoints and the lessons."""
        lessons = self.params.lesson_numbers() if self.params is not None else None
        records = {s.name: (s.ckpt.records, s.ckpt.final) for s in self.sessions}
        write_training_status(self.paths, records, lessons)

    def _check_progress(self) -> None:
        """Raise rather than spin when only self-play behaviors train on and none of their teams learns."""
        left = [s.ghost for s in self.sessions if not s.finished]
        if left and all(g is not None and g.teams and not g.is_learning for g in left):
            raise TrainError(
                f"self_play: behaviors {[g.signature.name for g in left if g is not None]} wait for team "
                f"{self.controller.learning_team} to hand over learning, but no unfinished behavior holds it",
                stage="train",
                run_id=self.ro.checkpoint_settings.run_id,
            )

    def run(self) -> None:
        """Train until every behavior finished; write the run's files whatever happens."""
        world, sessions, opts = self.world, self.sessions, self.options
        for session in sessions:
            session.begin()
        batches = self.batches
        step_time = advance_time = 0.0
        try:
            while not all(s.finished for s in sessions):
                if opts.should_stop is not None and opts.should_stop():
                    for s in sessions:
                        if not s.finished:
                            s.checkpoint_latest()
                    raise JobCancelled(
                        "; ".join(
                            f"training of '{s.name}' cancelled at step {s.trainer.step}; checkpoint "
                            f"{s.ckpt.latest_path}"
                            for s in sessions
                            if not s.finished
                        )
                    )
                t0 = time.perf_counter()
                actions = {s.name: s.act(batches[s.name]) for s in sessions}
                t1 = time.perf_counter()
                batches = world.step(actions)
                t2 = time.perf_counter()
                lost = world.pop_lost_agents() if hasattr(world, "pop_lost_agents") else {}
                for s in sessions:
                    s.after_step(batches[s.name], lost.get(s.name))
                ghosts = [s.trainer.pop_reset_request() for s in sessions if s.ghost is not None]
                if any(ghosts) or self.reset_pending:
                    # The learning team changed (upstream's GhostController.should_reset) or a lesson asked
                    # for a reset: every episode restarts, open trajectories are dropped.
                    self.reset_pending = False
                    for s in sessions:
                        s.restart()
                    batches = world.reset()
                self._check_progress()
                t3 = time.perf_counter()
                step_time += t2 - t1
                advance_time += (t1 - t0) + (t3 - t2)
        except KeyboardInterrupt:
            # Like mlagents-learn on Ctrl-C: save the models and write the final files, then stop.
            for s in sessions:
                if not s.finished:
                    s.finish()
            raise
        finally:
            self.timers.add_time("env_step", step_time)
            self.timers.add_time("trainer_advance", advance_time)
            if self.bar is not None:
                self.bar.clear()
            self.write_status()
            self.timers.write(self.paths)
            dump_run_options(self.ro, self.paths.configuration)
            for s in sessions:
                s.tb.close()


class _Session:
    """One behavior's trainer and its bookkeeping: episodes, summaries, checkpoints, the final model."""

    def __init__(
        self,
        loop: _Loop,
        signature: BehaviorSignature,
        num_agents: int,
        num_teams: int,
        status: dict[str, Any],
    ) -> None:
        self.loop = loop
        self.options = loop.options
        self.ro = loop.ro
        self.paths = loop.paths
        self.seed = loop.seed
        self.signature = signature
        self.name = signature.name
        self.num_agents = num_agents
        self.settings = self.ro.behavior_settings(self.name)
        self.max_steps = int(self.settings.max_steps)
        self.eta = EtaEstimator(self.max_steps)  # a smoothed rate, not the whole-run average
        self.stopped_at_reward = False
        self.finished = False
        """Training ended (``max_steps`` or ``stop_at_reward``): final model written, agents play it."""

        # Only the simulator knows the task's success condition; a Unity player's batches say False always.
        env = getattr(loop.world, "env", loop.world)
        self.tracks_success = isinstance(env, SimEnv) or bool(getattr(env, "reports_success", False))
        self.trainer = make_trainer(
            signature,
            self.settings,
            num_agents,
            self.seed,
            num_teams=num_teams,
            controller=loop.controller,
        )
        self.ghost = self.trainer if isinstance(self.trainer, GhostTrainer) else None
        cs = self.ro.checkpoint_settings
        self.ckpt = CheckpointManager(
            self.paths,
            self.name,
            signature,
            self.settings.keep_checkpoints,
            checkpoint_records(status, self.name),
        )
        self.history: list[tuple[int, float]] = []
        self.last_mean: float | None = None
        self.episodes_total = 0
        self.prior_wall_seconds = 0.0  # spent by earlier calls of a resumed run, up to its checkpoint
        self.start = time.time()
        self._initialize(cs)
        interval = int(self.settings.checkpoint_interval)
        if getattr(self.settings, "even_checkpoints", False):
            interval = max(1, self.max_steps // max(1, int(self.settings.keep_checkpoints)))
        self.checkpoint_interval = max(1, interval)
        self.summary_freq = max(1, int(self.settings.summary_freq))
        self.tb = S.TensorBoardWriter(self.paths.behavior_dir(self.name), resume=bool(cs.resume))
        self.recent: deque[float] = deque(maxlen=RECENT_EPISODES)
        self.frozen_memories = np.zeros((num_agents, self.trainer.actor.memory_size), np.float32)

    # --- setup ---
    @property
    def _replay_path(self) -> Path | None:
        # save_replay_buffer (SAC): the replay is written at the end of a run and read back on --resume.
        if not getattr(self.settings.hyperparameters, "save_replay_buffer", False):
            return None

        return self.paths.behavior_dir(self.name) / REPLAY_FILE

    def _initialize(self, cs: Any) -> None:
        if cs.resume:
            if not Path(self.ckpt.latest_path).is_file():
                raise ConfigError(
                    f"--resume: run '{cs.run_id}' has no checkpoint of behavior '{self.name}' "
                    f"({self.ckpt.latest_path} is missing: it stopped before its first checkpoint); "
                    "start it over with --force"
                )
            state = load_checkpoint_file(self.ckpt.latest_path)
            self.trainer.load_state_dict(state)
            replay, trainer = self._replay_path, self.trainer
            if replay is not None and isinstance(trainer, SACTrainer):
                if replay.is_file():
                    trainer.load_replay(replay)
                else:
                    logger.warning("save_replay_buffer: %s does not exist; the replay starts empty", replay)
            loop = state.get("loop", {})
            self.prior_wall_seconds = float(loop.get("wall_seconds", 0.0))
            self.history = [tuple(h) for h in loop.get("history", [])]
            self.last_mean = loop.get("last_mean")
            self.episodes_total = int(loop.get("episodes_total", 0))
            return
        init = self.ro.init_path_for(self.name)
        if init is not None:
            if not Path(init).is_file() or Path(init).suffix != ".pt":
                raise ConfigError(
                    f"behavior '{self.name}': initialization checkpoint {init} is not an existing .pt file"
                )
            self.trainer.load_state_dict(load_checkpoint_file(Path(init)), weights_only=True)

    def state(self) -> dict[str, Any]:
        state = self.trainer.state_dict()
        state["loop"] = {
            "history": self.history,
            "last_mean": self.last_mean,
            "episodes_total": self.episodes_total,
            "wall_seconds": self.prior_wall_seconds + (time.time() - self.start),
        }
        return state

    # --- one decision ---
    def begin(self) -> None:
        """Start the clocks and the per-summary windows (the loop is about to take the first decision)."""
        self.tb.text("Hyperparameters", _settings_markdown(self.settings))
        self.start = time.time()
        self.start_step = self.trainer.step
        self.ep_reward = np.zeros(self.num_agents, np.float64)
        self.ep_length = np.zeros(self.num_agents, np.int64)
        self.window_rewards: list[float] = []
        self.window_lengths: list[float] = []
        self.window_successes: list[bool] = []
        self.next_summary = (self.trainer.step // self.summary_freq + 1) * self.summary_freq
        self.next_checkpoint = (
            self.trainer.step // self.checkpoint_interval + 1
        ) * self.checkpoint_interval
        if self.trainer.step >= self.max_steps:  # resumed past max_steps: only the final files are due
            self.finish()

    def act(self, batch: StepBatch) -> ActionTuple:
        """Choose this behavior's actions: the trainer's, or the final policy's once training finished."""
        if not self.finished:
            return self.trainer.act(batch)
        rows = np.arange(len(batch.reward))
        deterministic = bool(self.settings.network_settings.deterministic)
        actor = self.trainer.actor
        return policy_actions(actor, batch, rows, self.frozen_memories, deterministic=deterministic)

    def after_step(self, batch: StepBatch, lost: np.ndarray | None) -> None:
        """Book the decision's rewards and episodes, let the trainer learn, write summaries, checkpoints."""
        ended = batch.terminated | batch.truncated
        if self.finished:
            self.frozen_memories[ended] = 0.0  # a new episode starts from a zero memory
            return
        trainer, opts = self.trainer, self.options
        self.ep_reward += batch.reward
        self.ep_length += 1
        if lost is not None and len(lost):
            # A remote environment restarted (cluster/rollouts.py): its agents' open trajectories and
            # episodes are dropped, never half used.
            trainer.drop_agents(lost)
            self.ep_reward[lost] = 0.0
            self.ep_length[lost] = 0
        if ended.any():
            self._episodes_ended(self.ep_reward[ended], self.ep_length[ended], batch.success[ended])
            self.ep_reward[ended] = 0.0
            self.ep_length[ended] = 0
        try:
            trainer.observe(batch)
        except TrainError as exc:
            good = self.ckpt.last_good()
            raise TrainError(
                f"{exc}; last good checkpoint: {good if good else 'none'}",
                stage="train",
                run_id=self.ro.checkpoint_settings.run_id,
            ) from exc
        bar = self.loop.bar
        if bar is not None:
            bar.update(self.name, trainer.step, self.max_steps, time.time() - self.start, self.last_mean)
        if trainer.step >= self.next_summary:
            self.next_summary = (trainer.step // self.summary_freq + 1) * self.summary_freq
            reached = self._summary()
            self.checkpoint_latest()
            if opts.stop_at_reward is not None and reached is not None and reached >= opts.stop_at_reward:
                self.stopped_at_reward = True
                self.finish()
                return
        if trainer.step >= self.max_steps:
            self.finish()
        elif trainer.step >= self.next_checkpoint:
            self.next_checkpoint = (trainer.step // self.checkpoint_interval + 1) * self.checkpoint_interval
            self._checkpoint_numbered()

    def restart(self) -> None:
        """Every episode restarts (team change or lesson reset): forget open trajectories and episodes."""
        self.frozen_memories[:] = 0.0
        if not self.finished:
            self.trainer.reset_trajectories()
            self.ep_reward[:] = 0.0
            self.ep_length[:] = 0

    def finish(self) -> None:
        """End training: the last summary, the final checkpoint and ``<Behavior>.onnx``; retire its teams."""
        if self.window_rewards:  # episodes since the last summary: report them too
            self._summary()
        t = time.perf_counter()
        self.ckpt.finalize(self.state(), self.trainer.actor, self.trainer.step, self._recent_mean())
        replay, trainer = self._replay_path, self.trainer
        if replay is not None and isinstance(trainer, SACTrainer):
            trainer.save_replay(replay)
        self.loop.timers.add_time("save_model", time.perf_counter() - t)
        self.finished = True
        self.frozen_memories[:] = 0.0
        if self.ghost is not None:
            for team in self.ghost.teams:  # the other behaviors' teams learn on without it
                self.loop.controller.retire(team)

    # --- bookkeeping ---
    def _episodes_ended(self, rewards: np.ndarray, lengths: np.ndarray, successes: np.ndarray) -> None:
        values = rewards.tolist()
        self.window_successes.extend(successes.tolist())
        self.recent.extend(values)
        self.window_rewards.extend(values)
        self.window_lengths.extend(lengths.tolist())
        self.episodes_total += len(values)
        if self.options.on_episodes is not None:
            self.options.on_episodes(self.name, self.trainer.step, rewards)
        if self.loop.params is not None:
            self.loop.update_lessons()

    def _recent_mean(self) -> float | None:
        return float(np.mean(self.recent)) if self.recent else self.last_mean

    def _summary(self) -> float | None:
        """Write one summary; return the mean reward of the episodes it covers (None if none ended)."""
        step = self.trainer.step
        elapsed = time.time() - self.start
        values: dict[str, float] = {}
        for key, vals in self.trainer.pop_stats().items():
            values[key] = float(np.mean(vals))
        rewards = self.window_rewards
        if rewards:
            mean, std = float(np.mean(rewards)), float(np.std(rewards))
            values[S.CUMULATIVE_REWARD] = mean
            values[S.EPISODE_LENGTH] = float(np.mean(self.window_lengths))
            # A trainer whose extrinsic reward is not the environment's (POCA adds groupmates' and group
            # rewards) records its own episode sums.
            values.setdefault(S.EXTRINSIC_REWARD, mean * self.trainer.strength)
            self.last_mean = mean
            self.history.append((step, mean))
        else:
            mean = std = None
        if self.loop.params is not None:
            for param, lesson in self.loop.params.lesson_numbers().items():
                values[S.LESSON_NUMBER.format(param)] = float(lesson)
        self.tb.write(step, values)
        logger.debug("%s step %d: %s", self.name, step, values)
        for tag, value in values.items():
            self.loop.timers.gauge(gauge_name(self.name, tag), value)
        group = values.get(S.GROUP_CUMULATIVE_REWARD)  # POCA behaviors (ML-Agents' ConsoleWriter)
        elo = values.get(ELO_TAG)  # self-play behaviors (ML-Agents' ConsoleWriter)
        if not self.options.quiet:
            if self.loop.bar is not None:
                self.loop.bar.clear()
            line = S.console_line(self.name, step, elapsed, rewards, group_reward=group, elo=elo)
            print(line, file=self.loop.console, flush=True)
        if self.options.on_progress is not None:
            eta = self.eta.update(step, time.monotonic())
            success = (
                float(np.mean(self.window_successes))
                if self.tracks_success and self.window_successes
                else None
            )
            self.options.on_progress(
                ProgressEvent(
                    self.name,
                    step,
                    self.max_steps,
                    mean,
                    std,
                    elapsed,
                    eta,
                    success_rate=success,
                    mean_group_reward=group,
                    elo=elo,
                )
            )
        self.window_rewards, self.window_lengths, self.window_successes = [], [], []
        return mean

    def checkpoint_latest(self) -> None:
        t = time.perf_counter()
        self.ckpt.save_latest(self.state())
        self.loop.write_status()
        self.loop.timers.add_time("save_model", time.perf_counter() - t)

    def _checkpoint_numbered(self) -> None:
        t = time.perf_counter()
        self.ckpt.save_numbered(self.state(), self.trainer.actor, self.trainer.step, self._recent_mean())
        self.loop.write_status()
        self.loop.timers.add_time("save_model", time.perf_counter() - t)

    def result(self) -> BehaviorResult:
        return BehaviorResult(
            name=self.name,
            onnx_path=self.paths.final_onnx(self.name),
            checkpoint_path=self.ckpt.latest_path,
            steps=self.trainer.step,
            mean_reward=self.last_mean if self.last_mean is not None else self._recent_mean(),
            history=list(self.history),
            stopped_at_reward=self.stopped_at_reward,
        )




def _settings_markdown(settings: Any) -> str:
    """Render the behavior's settings as a YAML block for the ``Hyperparameters`` text summary."""
    data = settings.to_dict() if hasattr(settings, "to_dict") else dict(vars(settings))
    return "```\n" + yaml.safe_dump(data, sort_keys=False) + "```"
