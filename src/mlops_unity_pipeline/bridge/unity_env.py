"""``UnityVectorEnv``: Unity (or simulator) players behind the communicator, seen as one ``spaces.VectorEnv``.

Our trainer drives a fixed batch of agents that all decide at every step. A player reports agents by episode
id and only when they ask for a decision or end an episode, so the environment keeps one *slot* per agent:

* at the first reset every decision request takes a slot (this fixes ``num_agents``: all players together);
* an agent reported ``done`` frees its slot (reward, last observation and ``max_step_reached`` become the
  step's ``terminated``/``truncated`` and ``final_obs``); the next new id takes the freed slot;
* one ``step`` lasts until every slot has asked for a new decision: messages in between (agents ending an
  episode between decisions, or agents deciding more often than others) are answered with the slot's current
  action, and their rewards add up.
* agents in a ``SimpleMultiAgentGroup`` report ``group_id``/``group_reward``; the batch then carries them
  (group rewards add up like rewards). Unity numbers groups per process, so player ``k``'s ids are offset
  by ``k * GROUP_ID_STRIDE`` to keep groups of different players apart.
* a self-play scene sends one behavior under one qualified name per team (``SoccerTwos?team=0`` and
  ``SoccerTwos?team=1``, ``BehaviorParameters.TeamId``). The teams' agents form one batch with
  ``team_id`` per agent: each player's slots are split into one fixed range per team, in team order, so an
  agent's row never changes team, and each action goes back under its agent's qualified name. The teams
  must share observation and action specs (asymmetric games use different behavior names).
* a player with several behaviors (an asymmetric game such as Striker vs Goalie, ``sim player Chase``)
  has all of them trained, as ``mlagents-learn`` does (``mlagents_envs``' ``UnityEnvironment`` reports every
  behavior spec and takes one ``set_actions`` per behavior before each ``step``): agent rows are laid out
  behavior by behavior, one step answers every behavior's decision requests in one message, and
  ``UnityMultiBehaviorEnv`` shows them as a ``spaces.MultiBehaviorEnv`` (``player_env_factory`` returns it
  when the player has several). ``PlayerSettings.behavior_name`` trains one of them only (the others get
  zero actions).

Players are launched like ``mlagents-learn`` does (``--mlagents-port``, ``-logFile``, ``-nographics
-batchmode``) on leased ports; a player that never connects, stops answering or crashes is diagnosed with the
tail of its log, and restarted within ``max_lifetime_restarts`` / ``restarts_rate_limit_n`` per period (its
agents' episodes end as interrupted). Engine settings go to every (re)started player with its first RESET,
environment parameters with the next message; ``close`` ends each session with status 400.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DemoFormatError, InvalidAction, ProtocolError, SpecError, TrainError
from ..spaces import (
    ActionSpec,
    ActionTuple,
    BehaviorSignature,
    ObservationSpec,
    StepBatch,
    observation_type_of,
)
from .convert import ObservationDecodeError, action_spec_from_brain, decode_observation
from .launcher import launch_player, player_command, resolve_player, tail_lines
from .ports import PortLeaser, default_port_lock_dir
from .proto import AgentActionProto, CommandProto, CompressionTypeProto, UnityOutputProto, UnityRLInputProto
from .protocol import split_behavior_name
from .server import PlayerConnection
from .side_channels import (
    EngineConfigurationSettings,
    FloatParameter,
    StatMessage,
    decode_unity_messages,
    encode_trainer_messages,
)

logger = logging.getLogger(__name__)

_NONE = int(CompressionTypeProto.NONE)

MAX_EXCHANGES_PER_STEP = 10_000
"""Messages one step may take before we decide some agent will never ask for a decision again."""


@dataclass(frozen=True)
class PlayerSettings:
    """How ``UnityVectorEnv`` starts and supervises players (a run's ``env_settings``)."""

    executable: Path | None
    """The player; None = no launch: wait for one (an Editor in Play mode) to connect on ``base_port``."""
    num_envs: int = 1
    """Players started (``--num-envs``), each on its own port."""
    num_areas: int = 1
    """Training areas each player creates (sent in the handshake, ``--num-areas``)."""
    seed: int = 0
    """Player ``i`` gets ``seed + i``."""
    base_port: int = 5005
    """First port to lease (``--base-port``)."""
    host: str = "127.0.0.1"
    """Interface the servers bind (``"[::]"`` = every interface, as mlagents-learn does)."""
    timeout_s: float = 60.0
    """Seconds to wait for a player to connect or answer (``--timeout-wait``)."""
    no_graphics: bool = True
    """Start players with ``-nographics -batchmode``."""
    no_graphics_monitor: bool = False
    """Player 0 renders, the others get ``-nographics -batchmode`` (``--no-graphics-monitor``)."""
    env_args: tuple[str, ...] = ()
    """Extra player arguments (``--env-args``)."""
    engine: EngineConfigurationSettings | None = None
    """Engine settings sent to every player (None: none sent)."""
    behavior_name: str | None = None
    """The one behavior to train when a player has several (the others get zero actions); None: every
    behavior trains (``UnityMultiBehaviorEnv``)."""
    max_lifetime_restarts: int = 10
    """Restarts allowed over the whole run (-1 = unlimited)."""
    restarts_rate_limit_n: int = 1
    """Restarts allowed per ``restarts_rate_limit_period_s`` (-1 = unlimited)."""
    restarts_rate_limit_period_s: float = 60.0
    """Window of the rate limit."""
    log_dir: Path | None = None
    """Folder of ``Player-<i>.log`` (``-logFile``) and ``Player-<i>.out`` (stdout/stderr); default: temp."""
    archive_dir: Path | None = None
    """Player logs are copied here on ``close`` (the run's ``run_logs``), when it exists."""
    port_lock_dir: Path | None = None
    """Port lease locks (default: the machine-wide folder of ``bridge.ports``)."""

    def __post_init__(self) -> None:
        if self.num_envs < 1 or self.num_areas < 1:
            raise SpecError(
                f"players: num_envs and num_areas must be >= 1, got {self.num_envs}, {self.num_areas}"
            )
        if self.executable is None and self.num_envs != 1:
            raise SpecError("players: num_envs > 1 needs a player executable (one Editor is one environment)")
        if not 1 <= self.base_port <= 65535 - self.num_envs:
            raise SpecError(f"players: base_port {self.base_port} out of range")
        if not self.timeout_s > 0:
            raise SpecError(f"players: timeout_s must be > 0, got {self.timeout_s}")
        object.__setattr__(self, "env_args", tuple(self.env_args))


GROUP_ID_STRIDE = 1_000_000
"""Offset between the group ids of consecutive players (Unity counts group ids per process from 1)."""


@dataclass
class _Table:
    """One trained behavior's agent rows ``[start, stop)`` and the arrays its specs shape."""

    signature: BehaviorSignature
    keys: tuple[str, ...]
    """Its qualified names, one per team, in team order."""
    start: int
    stop: int
    team_ids: np.ndarray
    teamed: bool
    """Batches carry ``team_id`` (several teams, or several behaviors: an asymmetric game)."""
    obs: tuple[np.ndarray, ...] = ()
    final_store: tuple[np.ndarray, ...] = ()
    mask: np.ndarray | None = None
    continuous: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    discrete: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int32))
    grouped: bool = False
    """Some agent reported a group id (the batches carry ``group_id``/``group_reward``)."""

    def allocate(self) -> None:
        """Make the observation, mask and action arrays of its rows."""
        n, spec = self.stop - self.start, self.signature.action_spec
        self.obs = tuple(np.zeros((n, *o.shape), np.float32) for o in self.signature.observation_specs)
        self.final_store = tuple(np.zeros_like(o) for o in self.obs)
        self.mask = np.ones((n, spec.mask_size), bool) if spec.is_discrete else None
        self.continuous = np.zeros((n, spec.continuous_size), np.float32)
        self.discrete = np.zeros((n, spec.discrete_size), np.int32)


@dataclass
class _Worker:
    """One player: its process, connection, slots and what its last message asked for."""

    index: int
    port: int
    conn: PlayerConnection | None = None
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    out_path: Path | None = None
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    """The agent rows this player's agents fill (its slots), every trained behavior's."""
    keys: tuple[str, ...] = ()
    """Qualified names of the trained behaviors, one per team, behavior by behavior in team order."""
    team_slots: dict[str, range] = field(default_factory=dict)
    """Each team's fixed range of agent rows (a slot is the row itself)."""
    slot_of: dict[tuple[str, int], int] = field(default_factory=dict)
    free: dict[str, list[int]] = field(default_factory=dict)
    decision_order: dict[str, list[int]] = field(default_factory=dict)
    others: dict[str, tuple[ActionSpec | None, int]] = field(default_factory=dict)
    fresh: bool = True
    params_sent: bool = False


class UnityVectorEnv:
    """Agents of one behavior (or of every behavior) across one or more players.

    With one trained behavior it is a ``spaces.VectorEnv``; with several, ``reset_all``/``step_all`` step
    them together and ``UnityMultiBehaviorEnv`` shows them as a ``spaces.MultiBehaviorEnv``.

    Attributes:
        behavior_signatures: every trained behavior's signature (names without ``?team=``), in row order.
        behavior_agents: agents of each trained behavior over all players (fixed at the first reset).
        signature: the trained behavior, when there is one (several: ``ProtocolError``).
        num_agents: its agents over all players.
        team_ids: the team of every agent row (fixed at the first reset; batches carry it as ``team_id``
            when the behavior arrives under more than one team).
        settings: how players are started.
        restarts: player restarts so far.
        stats: stats the players sent (``StatsRecorder``), oldest first; ``drain_stats`` empties it.
        init_outputs: each player's handshake (name, versions, capabilities).

    """

    def __init__(self, settings: PlayerSettings) -> None:
        """Start (or wait for) the players, run the handshake and the first reset.

        Args:
            settings: players and supervision.

        Raises:
            ProtocolError: a player never connected, speaks another API version or has no usable behavior.
            TrainError: the player cannot be started or no ports are free.

        """
        self.settings = settings
        self.restarts = 0
        self.stats: list[StatMessage] = []
        self.init_outputs: list[Any] = []
        self._restart_times: deque[float] = deque()
        self._params: dict[str, float] = {}
        self._first_batches: dict[str, StepBatch] | None = None
        self._tables: list[_Table] = []
        self._table_of: dict[str, _Table] = {}
        self._total = 0
        self._lease: Any = None
        self._closed = False
        self._own_log_dir = settings.log_dir is None
        self.log_dir = (
            Path(tempfile.mkdtemp(prefix="mlops-players-")) if settings.log_dir is None else settings.log_dir
        )
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._executable = resolve_player(settings.executable) if settings.executable is not None else None
        self.workers = [_Worker(i, p) for i, p in enumerate(self._ports())]
        try:
            for worker in self.workers:
                self._start(worker)
            self._first_reset()
        except BaseException:
            self.close()
            raise

    # --- the trained behaviors ---

    @property
    def behavior_signatures(self) -> dict[str, BehaviorSignature]:
        """Every trained behavior's signature, in row order."""
        return {t.signature.name: t.signature for t in self._tables}

    @property
    def behavior_agents(self) -> dict[str, int]:
        """Agents of every trained behavior over all players."""
        return {t.signature.name: t.stop - t.start for t in self._tables}

    def _single(self) -> _Table:
        if len(self._tables) != 1:
            raise ProtocolError(
                f"the player has behaviors {list(self.behavior_signatures)}: step them together with "
                "reset_all/step_all (UnityMultiBehaviorEnv), or choose one (PlayerSettings.behavior_name)"
            )
        return self._tables[0]

    @property
    def signature(self) -> BehaviorSignature:
        """The trained behavior (one only)."""
        return self._single().signature

    @property
    def num_agents(self) -> int:
        """Agents of the trained behavior over all players (one behavior only)."""
        table = self._single()
        return table.stop - table.start

    @property
    def team_ids(self) -> np.ndarray:
        """The team of every agent row of the trained behavior (one behavior only)."""
        return self._single().team_ids

    # --- VectorEnv ---

    def reset(self, *, seed: int | None = None) -> StepBatch:
        """Send RESET to every player: all agents start an episode (players keep the seed of their handshake).

        Args:
            seed: ignored unless it differs from the handshake seed (a player cannot be reseeded; logged).

        Returns:
            The first decision of every agent.

        """
        name = self._single().signature.name
        return self.reset_all(seed=seed)[name]

    def step(self, actions: ActionTuple) -> StepBatch:
        """Send every agent its action and wait until every agent asks for its next decision.

        Args:
            actions: continuous ``(num_agents, c)`` and discrete ``(num_agents, branches)``.

        Returns:
            The next decision's batch (agents whose episode ended already observe the next one).

        Raises:
            InvalidAction: wrong shapes.
            ProtocolError: a player misbehaved beyond what a restart fixes.
            TrainError: a player failed and the restart limits are reached.

        """
        name = self._single().signature.name
        return self.step_all({name: actions})[name]

    # --- every behavior ---

    def reset_all(self, *, seed: int | None = None) -> dict[str, StepBatch]:
        """Send RESET to every player; return every trained behavior's first decision (see ``reset``)."""
        if seed is not None and seed != self.settings.seed:
            logger.info(
                "players are seeded in the handshake (seed %d); reset(seed=%d) ignored",
                self.settings.seed,
                seed,
            )
        if self._first_batches is not None and all(w.params_sent for w in self.workers):
            # The constructor's RESET (which told us the behaviors) was not stepped yet: it is this reset.
            batches, self._first_batches = self._first_batches, None
            return batches
        self._first_batches = None
        self._begin_cycle()
        for worker in self.workers:
            self._reset_worker(worker)
        return self._batches()

    def step_all(self, actions: Mapping[str, ActionTuple]) -> dict[str, StepBatch]:
        """Send every behavior's actions in one message per player; wait for every agent's next decision.

        Args:
            actions: each trained behavior's actions (see ``step``), by name.

        Returns:
            Each behavior's next decision.

        Raises:
            InvalidAction: a behavior without actions, or wrong shapes.
            ProtocolError: a player misbehaved beyond what a restart fixes.
            TrainError: a player failed and the restart limits are reached.

        """
        missing = [t.signature.name for t in self._tables if t.signature.name not in actions]
        if missing:
            raise InvalidAction(f"step: no actions for behaviors {missing}")
        for table in self._tables:
            self._set_actions(table, actions[table.signature.name])
        self._first_batches = None
        self._begin_cycle()
        failed: dict[int, Exception] = {}
        for worker in self.workers:
            try:
                self._send(worker, CommandProto.STEP)
            except ProtocolError as exc:
                failed[worker.index] = exc
        for worker in self.workers:
            if worker.index in failed:
                self._recover(worker, failed[worker.index])
                continue
            try:
                self._collect(worker)
            except ProtocolError as exc:
                self._recover(worker, exc)
        return self._batches()

    def _set_actions(self, table: _Table, actions: ActionTuple) -> None:
        spec, name = table.signature.action_spec, table.signature.name
        n = table.stop - table.start
        continuous = (
            np.asarray(actions.continuous, dtype=np.float32)
            if spec.continuous_size
            else np.zeros((n, 0), np.float32)
        )
        discrete = np.asarray(actions.discrete) if spec.discrete_size else np.zeros((n, 0), np.int32)
        if continuous.shape != (n, spec.continuous_size) or discrete.shape != (n, spec.discrete_size):
            raise InvalidAction(
                f"{name}: actions must be ({n}, {spec.continuous_size}) continuous and "
                f"({n}, {spec.discrete_size}) discrete, got {continuous.shape} and {discrete.shape}"
            )
        if not np.isfinite(continuous).all():
            raise InvalidAction(f"{name}: continuous actions contain NaN or inf")
        if spec.discrete_size and ((discrete < 0) | (discrete >= np.asarray(spec.discrete_branches))).any():
            raise InvalidAction(
                f"{name}: discrete action out of range (branch sizes {spec.discrete_branches})"
            )
        table.continuous, table.discrete = continuous, discrete.astype(np.int32)

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        """Send environment parameters (EnvironmentParameters channel) with each player's next message."""
        for key, value in params.items():
            self._params[str(key)] = float(value)
        for worker in self.workers:
            worker.params_sent = False

    def close(self) -> None:
        """End each session (status 400), stop the players, release the ports, archive logs (idempotent)."""
        if self._closed:
            return
        self._closed = True
        for worker in getattr(self, "workers", []):
            self._stop(worker)
        if self._lease is not None:
            self._lease.release()
        archive = self.settings.archive_dir
        if archive is not None and Path(archive).is_dir():
            for log in sorted(self.log_dir.glob("Player-*")):
                shutil.copy2(log, Path(archive) / log.name)

    def drain_stats(self) -> list[StatMessage]:
        """Return and forget the stats received so far."""
        stats, self.stats = self.stats, []
        return stats

    # --- players ---

    def _ports(self) -> list[int]:
        s = self.settings
        if self._executable is None:
            return [s.base_port]
        leaser = PortLeaser(
            s.port_lock_dir or default_port_lock_dir(),
            first_port=s.base_port,
            last_port=min(65535, s.base_port + 64 * 16 - 1),
        )
        self._lease = leaser.lease(s.num_envs)
        return list(self._lease.ports)

    def _start(self, worker: _Worker) -> None:
        s = self.settings
        worker.conn = PlayerConnection(worker.port, host=s.host)
        if self._executable is not None:
            worker.log_path = self.log_dir / f"Player-{worker.index}.log"
            worker.out_path = self.log_dir / f"Player-{worker.index}.out"
            command = player_command(
                self._executable,
                worker.port,
                log_file=worker.log_path,
                no_graphics=s.no_graphics or (s.no_graphics_monitor and worker.index > 0),
                env_args=s.env_args,
            )
            worker.process = launch_player(command, output=worker.out_path)
        else:
            logger.info(
                "listening on port %d: start the player (or press Play in the Unity Editor)", worker.port
            )
        try:
            init = worker.conn.initialize(
                seed=s.seed + worker.index,
                num_areas=s.num_areas,
                timeout_s=s.timeout_s,
                poll=lambda: self._check_alive(worker),
            )
        except ProtocolError as exc:
            message = self._diagnose(worker, f"the player did not complete the handshake: {exc}")
            self._kill(worker)
            raise ProtocolError(message) from None
        if worker.index < len(self.init_outputs):
            self.init_outputs[worker.index] = init
        else:
            self.init_outputs.append(init)
        worker.fresh = True
        worker.params_sent = False

    def _check_alive(self, worker: _Worker) -> None:
        if worker.process is not None and worker.process.poll() is not None:
            raise ProtocolError(f"player {worker.index} exited with code {worker.process.returncode}")

    def _diagnose(self, worker: _Worker, problem: str) -> str:
        lines = [f"player {worker.index} on port {worker.port}: {problem}"]
        if self._executable is not None:
            lines[0] += f" ({self._executable})"
        for path in (worker.log_path, worker.out_path):
            tail = tail_lines(path)
            if tail:
                lines.append(f"last lines of {path}:")
                lines += [f"  | {line}" for line in tail]
        if (
            worker.log_path is not None
            and not tail_lines(worker.log_path)
            and not tail_lines(worker.out_path)
        ):
            lines.append(
                f"the player wrote nothing to {worker.log_path}: is it an ML-Agents player built with "
                "a training scene, and does it accept --mlagents-port?"
            )
        return "\n".join(lines)

    def _stop(self, worker: _Worker) -> None:
        if worker.conn is not None:
            worker.conn.close()
            worker.conn = None
        if worker.process is not None:
            try:
                worker.process.wait(timeout=10.0)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
            worker.process = None

    def _kill(self, worker: _Worker) -> None:
        if worker.process is not None and worker.process.poll() is None:
            try:  # the player runs in its own session: take down anything it started too
                os.killpg(worker.process.pid, signal.SIGKILL)
            except OSError:
                worker.process.kill()
            worker.process.wait()
        worker.process = None
        if worker.conn is not None:
            worker.conn.close(grace_s=0.1)
            worker.conn = None

    def _recover(self, worker: _Worker, cause: Exception) -> None:
        s = self.settings
        problem = self._diagnose(worker, str(cause))
        if self._executable is None:
            raise ProtocolError(problem) from cause
        now = time.monotonic()
        while self._restart_times and now - self._restart_times[0] > s.restarts_rate_limit_period_s:
            self._restart_times.popleft()
        if 0 <= s.max_lifetime_restarts <= self.restarts:
            raise TrainError(
                f"{problem}\nnot restarting: max_lifetime_restarts ({s.max_lifetime_restarts}) reached"
            )
        if 0 <= s.restarts_rate_limit_n <= len(self._restart_times):
            raise TrainError(
                f"{problem}\nnot restarting: {s.restarts_rate_limit_n} restart(s) in the last "
                f"{s.restarts_rate_limit_period_s:g} s (restarts_rate_limit_n)"
            )
        logger.warning("%s\nrestarting player %d", problem, worker.index)
        self._kill(worker)
        self.restarts += 1
        self._restart_times.append(now)
        self._start(worker)
        # The agents' episodes end as interrupted where they were; the new player starts fresh ones.
        for key, rows in worker.team_slots.items():
            table = self._table_of[key]
            for g in rows:
                if not (self._terminated[g] or self._truncated[g]):
                    self._truncated[g] = True
                    for store, obs in zip(table.final_store, table.obs, strict=True):
                        store[g - table.start] = obs[g - table.start]
        self._decided[worker.rows] = False
        self._reset_worker(worker)

    # --- messages ---

    def _side_channel(self, worker: _Worker) -> bytes:
        engine = self.settings.engine if worker.fresh else None
        parameters = [] if worker.params_sent else [FloatParameter(k, v) for k, v in self._params.items()]
        worker.fresh = False
        worker.params_sent = True
        return encode_trainer_messages(engine=engine, parameters=parameters)

    def _send(self, worker: _Worker, command: int) -> None:
        rl_input = UnityRLInputProto(command=command, side_channel=self._side_channel(worker))
        if command == CommandProto.STEP:
            for key, order in worker.decision_order.items():
                if not order:
                    continue
                batch = rl_input.agent_actions[key].value
                table = self._table_of[key]
                for row in (g - table.start for g in order):
                    continuous, discrete = table.continuous[row].tolist(), table.discrete[row].tolist()
                    batch.append(
                        AgentActionProto(
                            continuous_actions=continuous,
                            discrete_actions=discrete,
                            # mirrored into the legacy field like mlagents_envs does, for older players
                            vector_actions_deprecated=continuous + discrete,
                        )
                    )
            for key, (spec, count) in worker.others.items():  # untrained behaviors: zero actions
                if spec is not None and count:
                    zero = AgentActionProto(
                        continuous_actions=[0.0] * spec.continuous_size,
                        discrete_actions=[0] * spec.discrete_size,
                    )
                    rl_input.agent_actions[key].value.extend([zero] * count)
        assert worker.conn is not None  # internal invariant: a worker is connected between _start and _stop
        worker.conn.send_input(rl_input)

    def _receive(self, worker: _Worker) -> UnityOutputProto:
        assert worker.conn is not None  # internal invariant
        return worker.conn.receive_output(self.settings.timeout_s, poll=lambda: self._check_alive(worker))

    def _reset_worker(self, worker: _Worker) -> None:
        try:
            self._send(worker, CommandProto.RESET)
            output = self._receive(worker)
            self._free_all(worker)
            self._absorb(worker, output, resetting=True)
            self._collect(worker, received=True)
        except ProtocolError as exc:
            self._recover(worker, exc)  # bounded: every restart counts against the limits

    def _collect(self, worker: _Worker, *, received: bool = False) -> None:
        """Exchange with one player until each of its slots has asked for a decision this step."""
        rows = worker.rows
        for _ in range(MAX_EXCHANGES_PER_STEP):
            if received:
                if self._decided[rows].all():
                    return
                self._send(worker, CommandProto.STEP)
            self._absorb(worker, self._receive(worker))
            received = True
        waiting = [int(g) for g in rows if not self._decided[g]]
        raise ProtocolError(
            f"player {worker.index}: agents in rows {waiting[:10]} did not ask for a decision in "
            f"{MAX_EXCHANGES_PER_STEP} messages (agents removed from the scene?)"
        )

    # --- bookkeeping ---

    def _first_reset(self) -> None:
        outputs = []
        for worker in self.workers:
            self._send(worker, CommandProto.RESET)
            try:
                outputs.append(self._receive(worker))
            except ProtocolError as exc:
                raise ProtocolError(self._diagnose(worker, f"no answer to the first RESET: {exc}")) from None
        trained = self._signatures(outputs[0])
        for worker, output in zip(self.workers, outputs, strict=True):
            other = self._signatures(output)
            if other != trained:
                raise ProtocolError(
                    f"player {worker.index} reports behaviors {_describe_all(other)}, player 0 reports "
                    f"{_describe_all(trained)}"
                )
        # Rows behavior by behavior, then player by player, then team by team: each behavior's batch is
        # one slice and an agent's row never changes behavior, player or team.
        total = 0
        worker_rows: dict[int, list[range]] = {w.index: [] for w in self.workers}
        for signature, keys in trained:
            start = total
            team_ids: list[int] = []
            for worker, output in zip(self.workers, outputs, strict=True):
                for key in keys:
                    count = sum(1 for info in output.rl_output.agentInfos[key].value if not info.done)
                    worker.team_slots[key] = range(total, total + count)
                    worker_rows[worker.index].append(worker.team_slots[key])
                    team_ids += [split_behavior_name(key)[1]] * count
                    total += count
            table = _Table(
                signature,
                keys,
                start,
                total,
                np.asarray(team_ids, np.int32),
                teamed=len(keys) > 1 or len(trained) > 1,
            )
            table.allocate()
            self._tables.append(table)
            self._table_of.update(dict.fromkeys(keys, table))
        for worker in self.workers:
            worker.keys = tuple(key for _, keys in trained for key in keys)
            worker.rows = np.asarray([g for rows in worker_rows[worker.index] for g in rows], np.int64)
        self._total = total
        self._begin_cycle()
        for worker, output in zip(self.workers, outputs, strict=True):
            self._free_all(worker)
            self._absorb(worker, output, resetting=True)
        for worker in self.workers:
            self._collect(worker, received=True)
        self._first_batches = self._batches()

    def _signatures(self, output: UnityOutputProto) -> list[tuple[BehaviorSignature, tuple[str, ...]]]:
        """Find the trained behaviors in a first output: each one's signature and qualified names (teams)."""
        brains = {b.brain_name: b for b in output.rl_initialization_output.brain_parameters}
        if not brains:
            raise ProtocolError(
                "the player's first output has no brain_parameters: no agent with a Default "
                "behavior type requested a decision after RESET"
            )
        names = {key: split_behavior_name(key) for key in brains}
        behaviors = sorted({name for name, _ in names.values()})
        wanted = self.settings.behavior_name
        if wanted is not None and wanted not in behaviors:
            raise ProtocolError(f"behavior '{wanted}' not in the player (it has {behaviors})")
        trained = []
        for behavior in behaviors if wanted is None else [wanted]:
            # One behavior under several team ids is a self-play scene: its teams train as one batch.
            keys = tuple(
                sorted((k for k, (name, _) in names.items() if name == behavior), key=lambda k: names[k][1])
            )
            signatures = [self._team_signature(output, behavior, key, brains[key]) for key in keys]
            for key, other in zip(keys[1:], signatures[1:], strict=True):
                if other != signatures[0]:
                    raise ProtocolError(
                        f"behavior '{behavior}': team '{key}' has {_describe(other)} but '{keys[0]}' has "
                        f"{_describe(signatures[0])}; the teams of one behavior must share its specs (give "
                        "asymmetric teams different behavior names)"
                    )
            trained.append((signatures[0], keys))
        kept = {key for _, keys in trained for key in keys}
        for worker in self.workers:
            for other_key, brain in brains.items():
                if other_key not in kept:
                    worker.others[other_key] = (action_spec_from_brain(brain, "player"), 0)
        return trained

    @staticmethod
    def _team_signature(output: UnityOutputProto, name: str, key: str, brain: Any) -> BehaviorSignature:
        infos = output.rl_output.agentInfos[key].value if key in output.rl_output.agentInfos else []
        if not infos:
            raise ProtocolError(f"behavior '{key}': brain parameters without any agent info")
        try:
            action_spec = action_spec_from_brain(brain, "player")
        except DemoFormatError as exc:
            raise ProtocolError(f"behavior '{key}': {exc}") from None
        observations = tuple(
            ObservationSpec(tuple(o.shape), o.name or f"obs_{i}", observation_type_of(o))
            for i, o in enumerate(infos[0].observations)
        )
        return BehaviorSignature(name, observations, action_spec)

    def _free_all(self, worker: _Worker) -> None:
        """Every slot of the player is free (a RESET starts new episodes everywhere)."""
        worker.slot_of.clear()
        worker.free = {key: list(slots) for key, slots in worker.team_slots.items()}
        worker.decision_order = {}

    def _begin_cycle(self) -> None:
        n = self._total
        self._reward = np.zeros(n, np.float32)
        self._terminated = np.zeros(n, bool)
        self._truncated = np.zeros(n, bool)
        self._decided = np.zeros(n, bool)
        self._group_reward = np.zeros(n, np.float32)
        if getattr(self, "_group_id", np.zeros(0)).shape != (n,):
            self._group_id = np.zeros(n, np.int32)  # kept across steps: every report refreshes it

    def _absorb(self, worker: _Worker, output: UnityOutputProto, *, resetting: bool = False) -> None:
        """Apply one player message to the slots (see the module docstring)."""
        rl_output = output.rl_output
        if rl_output.side_channel:
            stats, _ = decode_unity_messages(rl_output.side_channel)
            self.stats.extend(stats)
        for brain in output.rl_initialization_output.brain_parameters:
            if brain.brain_name not in worker.keys and brain.brain_name not in worker.others:
                worker.others[brain.brain_name] = (action_spec_from_brain(brain, "player"), 0)
        for key, (spec, _) in list(worker.others.items()):
            infos = rl_output.agentInfos[key].value if key in rl_output.agentInfos else []
            worker.others[key] = (spec, sum(1 for info in infos if not info.done))
        worker.decision_order = {
            key: self._absorb_team(worker, key, rl_output.agentInfos[key].value, resetting)
            for key in worker.keys
            if key in rl_output.agentInfos
        }

    def _absorb_team(self, worker: _Worker, key: str, infos: Sequence[Any], resetting: bool) -> list[int]:
        """Apply one team's agent infos; return the slots that asked for a decision, in message order."""
        order: list[int] = []
        table = self._table_of[key]
        for info in infos:
            if info.done:
                slot = worker.slot_of.pop((key, info.id), None)
                if slot is None or resetting:
                    continue
                g = slot
                self._reward[g] += info.reward
                self._absorb_group(worker, table, g, info, keep_reward=True)
                self._decode_into(
                    table.final_store, g - table.start, info, decode_observation, ObservationDecodeError
                )
                if info.max_step_reached:
                    self._truncated[g] = True
                else:
                    self._terminated[g] = True
                self._decided[g] = False
                worker.free[key].append(slot)
                continue
            slot = worker.slot_of.get((key, info.id))
            new_episode = slot is None
            if slot is None:
                if not worker.free.get(key):
                    raise ProtocolError(
                        f"player {worker.index}: agent {info.id} of '{key}' asks for a decision but all "
                        f"{len(worker.team_slots.get(key, ()))} of its agent slots are taken (the player "
                        "added agents after the first reset; the agent count of each team must stay fixed)"
                    )
                slot = worker.free[key].pop(0)
                worker.slot_of[(key, info.id)] = slot
            else:
                self._reward[slot] += info.reward  # a new episode's first reward is not kept
            g, row = slot, slot - table.start
            self._absorb_group(worker, table, g, info, keep_reward=not new_episode)
            self._decode_into(table.obs, row, info, decode_observation, ObservationDecodeError)
            if table.mask is not None:
                if len(info.action_mask) == table.mask.shape[1]:
                    table.mask[row] = ~np.asarray(info.action_mask, bool)  # the proto marks disallowed
                else:
                    table.mask[row] = True
            self._decided[g] = True
            order.append(slot)
        return order

    def _absorb_group(self, worker: _Worker, table: _Table, g: int, info: Any, *, keep_reward: bool) -> None:
        """Record an agent's group id and add its group reward (not a new episode's first one)."""
        if info.group_id:
            table.grouped = True
            self._group_id[g] = worker.index * GROUP_ID_STRIDE + int(info.group_id)
        elif table.grouped:
            self._group_id[g] = 0
        if keep_reward:
            self._group_reward[g] += info.group_reward

    def _decode_into(self, arrays: Sequence[np.ndarray], g: int, info: Any, decode: Any, error: type) -> None:
        if len(info.observations) != len(arrays):
            raise ProtocolError(
                f"agent {info.id}: {len(info.observations)} observations, expected {len(arrays)}"
            )
        for array, proto in zip(arrays, info.observations, strict=True):
            if proto.compression_type == _NONE and len(proto.float_data.data) == array[g].size:
                array[g] = np.asarray(proto.float_data.data, np.float32).reshape(array.shape[1:])  # fast path
                continue
            try:
                array[g] = decode(proto).reshape(array.shape[1:])
            except (error, ValueError) as exc:
                raise ProtocolError(
                    f"agent {info.id}: observation '{proto.name}' does not decode: {exc}"
                ) from None

    def _batches(self) -> dict[str, StepBatch]:
        return {table.signature.name: self._batch(table) for table in self._tables}

    def _batch(self, table: _Table) -> StepBatch:
        rows = slice(table.start, table.stop)
        terminated, truncated = self._terminated[rows].copy(), self._truncated[rows].copy()
        ended = terminated | truncated
        obs = tuple(o.copy() for o in table.obs)
        final_obs = obs
        if ended.any():
            final_obs = tuple(o.copy() for o in obs)
            for final, store in zip(final_obs, table.final_store, strict=True):
                final[ended] = store[ended]
        return StepBatch(
            obs=obs,
            reward=self._reward[rows].copy(),
            terminated=terminated,
            truncated=truncated & ~terminated,
            final_obs=final_obs,
            action_mask=None if table.mask is None else table.mask.copy(),
            success=np.zeros(table.stop - table.start, bool),
            group_id=self._group_id[rows].copy() if table.grouped else None,
            group_reward=self._group_reward[rows].copy() if table.grouped else None,
            team_id=table.team_ids.copy() if table.teamed else None,
        )


class UnityMultiBehaviorEnv:
    """Every behavior of the players behind a ``UnityVectorEnv``, as a ``spaces.MultiBehaviorEnv``.

    What ``mlagents-learn`` trains from a player with several behaviors (Striker vs Goalie, ``sim player
    Chase``): each behavior its own batch, all answered in one message per player and step.

    Args:
        env: the started players (``UnityVectorEnv``).

    """

    def __init__(self, env: UnityVectorEnv) -> None:
        self.env = env
        self.signatures = env.behavior_signatures
        self.num_agents = env.behavior_agents

    def reset(self, *, seed: int | None = None) -> dict[str, StepBatch]:
        """Every agent of every behavior starts an episode (``UnityVectorEnv.reset_all``)."""
        return self.env.reset_all(seed=seed)

    def step(self, actions: Mapping[str, ActionTuple]) -> dict[str, StepBatch]:
        """Send every behavior's actions; return every behavior's next decision (``step_all``)."""
        return self.env.step_all(actions)

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        """Send environment parameters with each player's next message."""
        self.env.set_env_parameters(params)

    def drain_stats(self) -> list[StatMessage]:
        """Return and forget the stats the players sent."""
        return self.env.drain_stats()

    def close(self) -> None:
        """Close the players (``UnityVectorEnv.close``)."""
        self.env.close()


def _describe(signature: BehaviorSignature) -> str:
    shapes = [o.shape for o in signature.observation_specs]
    return f"observations {shapes} and actions {signature.action_spec}"


def _describe_all(trained: Sequence[tuple[BehaviorSignature, tuple[str, ...]]]) -> str:
    return "; ".join(f"{signature} as {list(keys)}" for signature, keys in trained)


def make_player_env(
    env_path: Path | str | None,
    *,
    run_options: Any | None = None,
    seed: int | None = None,
    **overrides: Any,
) -> UnityVectorEnv:
    """Start players of ``env_path`` with a run's ``env_settings``/``engine_settings`` (``learn`` calls it).

    Args:
        env_path: the player executable or its folder (None: wait for an Editor on ``base_port``).
        run_options: an ``rl.config.RunOptions`` (num_envs, num_areas, base_port, timeout_wait, env_args,
            restart limits, engine settings, no_graphics, results folder for the logs).
        seed: the run's seed (player ``i`` gets ``seed + i``).
        **overrides: ``PlayerSettings`` fields that win over the run options.

    Returns:
        The started environment.

    """
    values: dict[str, Any] = {"executable": Path(env_path) if env_path is not None else None}
    if run_options is not None:
        es, eng, cs = run_options.env_settings, run_options.engine_settings, run_options.checkpoint_settings
        values.update(
            num_envs=es.num_envs,
            num_areas=es.num_areas,
            base_port=es.base_port,
            timeout_s=float(es.timeout_wait),
            env_args=tuple(es.env_args or ()),
            max_lifetime_restarts=es.max_lifetime_restarts,
            restarts_rate_limit_n=es.restarts_rate_limit_n,
            restarts_rate_limit_period_s=float(es.restarts_rate_limit_period_s),
            no_graphics=bool(eng.no_graphics),
            no_graphics_monitor=bool(eng.no_graphics_monitor),
            engine=EngineConfigurationSettings(
                width=eng.width,
                height=eng.height,
                quality_level=eng.quality_level,
                time_scale=eng.time_scale,
                target_frame_rate=eng.target_frame_rate,
                capture_frame_rate=eng.capture_frame_rate,
            ),
            archive_dir=Path(cs.results_dir) / cs.run_id / "run_logs",
        )
    if seed is not None:
        values["seed"] = int(seed)
    values.update(overrides)
    return UnityVectorEnv(PlayerSettings(**values))


def player_env_factory(env_path: Path | str, run_options: Any | None = None, **overrides: Any) -> Any:
    """Return an ``rl.env_factory.EnvFactory`` starting players of ``env_path`` (``learn --env PATH``).

    Args:
        env_path: the player.
        run_options: the run's options (see ``make_player_env``).
        **overrides: ``PlayerSettings`` fields.

    Returns:
        ``factory(num_agents, seed)``: a ``UnityVectorEnv`` when the player has one behavior to train, a
        ``UnityMultiBehaviorEnv`` when it has several; ``num_agents`` is ignored (the players decide how
        many agents they host: ``num_envs`` x ``num_areas`` x the scene's agents).

    """
    resolve_player(env_path)  # fail before the trainer prepares its run folder

    def factory(num_agents: int, seed: int | None) -> UnityVectorEnv | UnityMultiBehaviorEnv:
        env = make_player_env(env_path, run_options=run_options, seed=seed, **overrides)
        return env if len(env.behavior_signatures) == 1 else UnityMultiBehaviorEnv(env)

    return factory
