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
    """Behavior to train when a player has several (None: it must have exactly one)."""
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
class _Worker:
    """One player: its process, connection, slots and what its last message asked for."""

    index: int
    port: int
    conn: PlayerConnection | None = None
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    out_path: Path | None = None
    offset: int = 0
    count: int = 0
    keys: tuple[str, ...] = ()
    """Qualified names of the trained behavior, one per team, in team order."""
    team_slots: dict[str, range] = field(default_factory=dict)
    """Each team's fixed range of this player's slots."""
    slot_of: dict[tuple[str, int], int] = field(default_factory=dict)
    free: dict[str, list[int]] = field(default_factory=dict)
    decision_order: dict[str, list[int]] = field(default_factory=dict)
    others: dict[str, tuple[ActionSpec | None, int]] = field(default_factory=dict)
    fresh: bool = True
    params_sent: bool = False


class UnityVectorEnv:
    """Agents of one behavior across one or more players, as a ``spaces.VectorEnv``.

    Attributes:
        signature: the trained behavior (name without ``?team=``; observation shapes of its agents).
        num_agents: agents over all players (fixed at the first reset).
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
        self._first_batch: StepBatch | None = None
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

    # --- VectorEnv ---

    def reset(self, *, seed: int | None = None) -> StepBatch:
        """Send RESET to every player: all agents start an episode (players keep the seed of their handshake).

        Args:
            seed: ignored unless it differs from the handshake seed (a player cannot be reseeded; logged).

        Returns:
            The first decision of every agent.

        """
        if seed is not None and seed != self.settings.seed:
            logger.info(
                "players are seeded in the handshake (seed %d); reset(seed=%d) ignored",
                self.settings.seed,
                seed,
            )
        if self._first_batch is not None and all(w.params_sent for w in self.workers):
            # The constructor's RESET (which told us the behavior) has not been stepped yet: it is this reset.
            batch, self._first_batch = self._first_batch, None
            return batch
        self._first_batch = None
        self._begin_cycle()
        for worker in self.workers:
            self._reset_worker(worker)
        return self._batch()

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
        spec = self.signature.action_spec
        n = self.num_agents
        continuous = (
            np.asarray(actions.continuous, dtype=np.float32)
            if spec.continuous_size
            else np.zeros((n, 0), np.float32)
        )
        discrete = np.asarray(actions.discrete) if spec.discrete_size else np.zeros((n, 0), np.int32)
        if continuous.shape != (n, spec.continuous_size) or discrete.shape != (n, spec.discrete_size):
            raise InvalidAction(
                f"{self.signature.name}: actions must be ({n}, {spec.continuous_size}) continuous and "
                f"({n}, {spec.discrete_size}) discrete, got {continuous.shape} and {discrete.shape}"
            )
        if not np.isfinite(continuous).all():
            raise InvalidAction(f"{self.signature.name}: continuous actions contain NaN or inf")
        if spec.discrete_size and ((discrete < 0) | (discrete >= np.asarray(spec.discrete_branches))).any():
            raise InvalidAction(
                f"{self.signature.name}: discrete action out of range (branch sizes {spec.discrete_branches})"
            )
        discrete = discrete.astype(np.int32)
        self._continuous, self._discrete = continuous, discrete
        self._first_batch = None
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
        return self._batch()

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
        for slot in range(worker.count):
            g = worker.offset + slot
            if not (self._terminated[g] or self._truncated[g]):
                self._truncated[g] = True
                for store, obs in zip(self._final_store, self._obs, strict=True):
                    store[g] = obs[g]
        self._decided[worker.offset : worker.offset + worker.count] = False
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
                for g in (worker.offset + slot for slot in order):
                    batch.append(
                        AgentActionProto(
                            continuous_actions=self._continuous[g].tolist(),
                            discrete_actions=self._discrete[g].tolist(),
                            # mirrored into the legacy field like mlagents_envs does, for older players
                            vector_actions_deprecated=self._continuous[g].tolist()
                            + self._discrete[g].tolist(),
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
        rows = slice(worker.offset, worker.offset + worker.count)
        for _ in range(MAX_EXCHANGES_PER_STEP):
            if received:
                if self._decided[rows].all():
                    return
                self._send(worker, CommandProto.STEP)
            self._absorb(worker, self._receive(worker))
            received = True
        waiting = [s for s in range(worker.count) if not self._decided[worker.offset + s]]
        raise ProtocolError(
            f"player {worker.index}: agents in slots {waiting[:10]} did not ask for a decision in "
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
        signature, keys = self._signature(outputs[0])
        total = 0
        team_ids: list[int] = []
        for worker, output in zip(self.workers, outputs, strict=True):
            other, other_keys = self._signature(output)
            if other != signature or other_keys != keys:
                raise ProtocolError(
                    f"player {worker.index} reports behavior {other} as {list(other_keys)}, player 0 reports "
                    f"{signature} as {list(keys)}"
                )
            worker.keys = keys
            worker.offset = total
            start = 0
            for key in keys:
                count = sum(1 for info in output.rl_output.agentInfos[key].value if not info.done)
                worker.team_slots[key] = range(start, start + count)
                team_ids += [split_behavior_name(key)[1]] * count
                start += count
            worker.count = start
            total += worker.count
        self.signature = signature
        self.num_agents = total
        self.team_ids = np.asarray(team_ids, np.int32)
        self._teamed = len(keys) > 1
        n = total
        self._obs = tuple(np.zeros((n, *o.shape), np.float32) for o in signature.observation_specs)
        self._final_store = tuple(np.zeros_like(o) for o in self._obs)
        self._mask = (
            np.ones((n, signature.action_spec.mask_size), bool) if signature.action_spec.is_discrete else None
        )
        self._continuous = np.zeros((n, signature.action_spec.continuous_size), np.float32)
        self._discrete = np.zeros((n, signature.action_spec.discrete_size), np.int32)
        self._begin_cycle()
        for worker, output in zip(self.workers, outputs, strict=True):
            self._free_all(worker)
            self._absorb(worker, output, resetting=True)
        for worker in self.workers:
            self._collect(worker, received=True)
        self._first_batch = self._batch()

    def _signature(self, output: UnityOutputProto) -> tuple[BehaviorSignature, tuple[str, ...]]:
        """Find the trained behavior in a first output: its signature and qualified names (team order)."""
        brains = {b.brain_name: b for b in output.rl_initialization_output.brain_parameters}
        if not brains:
            raise ProtocolError(
                "the player's first output has no brain_parameters: no agent with a Default "
                "behavior type requested a decision after RESET"
            )
        names = {key: split_behavior_name(key) for key in brains}
        behaviors = sorted({name for name, _ in names.values()})
        wanted = self.settings.behavior_name
        if wanted is None:
            if len(behaviors) > 1:
                raise ProtocolError(
                    f"the player has behaviors {behaviors}: choose one to train (PlayerSettings."
                    "behavior_name); the gRPC bridge trains one behavior per player, so set the others' "
                    "Behavior Type to Heuristic or Inference in the scene (several behaviors train together "
                    "in-process, e.g. --env sim:Chase)"
                )
            wanted = behaviors[0]
        elif wanted not in behaviors:
            raise ProtocolError(f"behavior '{wanted}' not in the player (it has {behaviors})")
        # One behavior under several team ids is a self-play scene: its teams train as one batch.
        keys = tuple(
            sorted((key for key, (name, _) in names.items() if name == wanted), key=lambda k: names[k][1])
        )
        signatures = [self._team_signature(output, wanted, key, brains[key]) for key in keys]
        for key, other in zip(keys[1:], signatures[1:], strict=True):
            if other != signatures[0]:
                raise ProtocolError(
                    f"behavior '{wanted}': team '{key}' has {_describe(other)} but '{keys[0]}' has "
                    f"{_describe(signatures[0])}; the teams of one behavior must share its specs (give "
                    "asymmetric teams different behavior names)"
                )
        for worker in self.workers:
            for other_key, brain in brains.items():
                if other_key not in keys:
                    worker.others[other_key] = (action_spec_from_brain(brain, "player"), 0)
        return signatures[0], keys

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
        n = self.num_agents if hasattr(self, "num_agents") else 0
        self._reward = np.zeros(n, np.float32)
        self._terminated = np.zeros(n, bool)
        self._truncated = np.zeros(n, bool)
        self._decided = np.zeros(n, bool)
        self._group_reward = np.zeros(n, np.float32)
        if getattr(self, "_group_id", np.zeros(0)).shape != (n,):
            self._group_id = np.zeros(n, np.int32)  # kept across steps: every report refreshes it
            self._grouped = False

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
        for info in infos:
            if info.done:
                slot = worker.slot_of.pop((key, info.id), None)
                if slot is None or resetting:
                    continue
                g = worker.offset + slot
                self._reward[g] += info.reward
                self._absorb_group(worker, g, info, keep_reward=True)
                self._decode_into(self._final_store, g, info, decode_observation, ObservationDecodeError)
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
                self._reward[worker.offset + slot] += info.reward  # a new episode's first reward is not kept
            g = worker.offset + slot
            self._absorb_group(worker, g, info, keep_reward=not new_episode)
            self._decode_into(self._obs, g, info, decode_observation, ObservationDecodeError)
            if self._mask is not None:
                if len(info.action_mask) == self._mask.shape[1]:
                    self._mask[g] = ~np.asarray(info.action_mask, bool)  # the proto marks disallowed actions
                else:
                    self._mask[g] = True
            self._decided[g] = True
            order.append(slot)
        return order

    def _absorb_group(self, worker: _Worker, g: int, info: Any, *, keep_reward: bool) -> None:
        """Record an agent's group id and add its group reward (not a new episode's first one)."""
        if info.group_id:
            self._grouped = True
            self._group_id[g] = worker.index * GROUP_ID_STRIDE + int(info.group_id)
        elif self._grouped:
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

    def _batch(self) -> StepBatch:
        ended = self._terminated | self._truncated
        obs = tuple(o.copy() for o in self._obs)
        final_obs = obs
        if ended.any():
            final_obs = tuple(o.copy() for o in obs)
            for final, store in zip(final_obs, self._final_store, strict=True):
                final[ended] = store[ended]
        return StepBatch(
            obs=obs,
            reward=self._reward.copy(),
            terminated=self._terminated.copy(),
            truncated=self._truncated & ~self._terminated,
            final_obs=final_obs,
            action_mask=None if self._mask is None else self._mask.copy(),
            success=np.zeros(self.num_agents, bool),
            group_id=self._group_id.copy() if self._grouped else None,
            group_reward=self._group_reward.copy() if self._grouped else None,
            team_id=self.team_ids.copy() if self._teamed else None,
        )


def _describe(signature: BehaviorSignature) -> str:
    shapes = [o.shape for o in signature.observation_specs]
    return f"observations {shapes} and actions {signature.action_spec}"


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
        ``factory(num_agents, seed) -> UnityVectorEnv``; ``num_agents`` is ignored (the players decide how
        many agents they host: ``num_envs`` x ``num_areas`` x the scene's agents).

    """
    resolve_player(env_path)  # fail before the trainer prepares its run folder

    def factory(num_agents: int, seed: int | None) -> UnityVectorEnv:
        return make_player_env(env_path, run_options=run_options, seed=seed, **overrides)

    return factory
