"""The simulator as a Unity player: the Unity side of the communicator, so ``mlagents-learn`` can train it.

Run ``mlops-unity sim player 3DBall --mlagents-port 5005`` (or ``python -m
mlops_unity_pipeline.bridge.player``, what the launcher of ``bridge.launcher`` execs). Like Unity's
``RpcCommunicator`` (C# ``RpcCommunicator.cs``) it is a gRPC *client* of the trainer:

1. Exchange #1 sends ``rl_initialization_output`` (``"AcademySingleton"``, API 1.5.0, package 3.0.0, every
   capability) and reads the trainer's seed, ``num_areas`` and version (an incompatible one ends the player);
2. Exchange #2 sends an empty output; its answer is the trainer's first input (normally RESET);
3. then, for every input: apply its side channels (engine configuration, environment parameters), run the
   command (RESET: new episodes; STEP: apply the actions to the agents that asked for a decision, in the order
   they were sent; QUIT: exit), and send the agents' infos.

Decision semantics mirror Unity's: an agent whose episode ended is reported once with ``done=True`` (and
``max_step_reached`` for MaxStep) under its episode id with the episode's last observation and reward; its
next episode starts with a new id, reported in the same message as a decision request (``mlagents_envs``'
``steps_from_proto`` splits terminal from decision infos on ``done``). Only decision requests get actions.
A header status other than 200 from the trainer ends the player cleanly. A batch with ``team_id`` (a
two-team game) is sent like a Unity self-play scene: one qualified name per team (``Name?team=N``, team
order), each with its own brain parameters and actions. A task of several behaviors (``Chase``) is sent like
an asymmetric Unity scene: every behavior under its own qualified names in the same message, each agent with
an episode id unique across behaviors, as Unity's Academy numbers them.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any

import numpy as np

from .. import sim
from ..errors import PipelineError, ProtocolError, SpecError
from ..sim import evaluate
from ..sim.catalog import MULTI_BEHAVIOR_TASKS
from ..sim.engine_config import EngineConfig
from ..sim.evaluate import evaluate_behaviors
from ..sim.heuristics import heuristic_policy
from ..sim.policies import random_policy
from ..spaces import ActionSpec, ActionTuple, BehaviorSignature, MultiBehaviorEnv, StepBatch
from .convert import brain_parameters, encode_observation
from .proto import (
    AgentInfoProto,
    CommandProto,
    UnityMessageProto,
    UnityOutputProto,
    UnityRLInitializationOutputProto,
    UnityRLInputProto,
    UnityRLOutputProto,
)
from .protocol import (
    ACADEMY_NAME,
    API_VERSION,
    STATUS_OK,
    STATUS_SHUTDOWN,
    UNITY_PACKAGE_VERSION,
    capabilities,
    check_compatible,
    output_message,
    qualified_behavior_name,
)
from .side_channels import (
    EngineConfigurationSettings,
    FloatParameter,
    SamplerParameter,
    StatMessage,
    StatsAggregationMethod,
    decode_trainer_messages,
    encode_unity_messages,
    sample_environment_parameter,
)

logger = logging.getLogger(__name__)

SUCCESS_STAT = "Sim/Episode Success"
"""Custom stat the player records per finished episode (``StatsRecorder.Add``; mlagents-learn logs it)."""

_RESET = int(CommandProto.RESET)
_QUIT = int(CommandProto.QUIT)


@dataclass(frozen=True)
class PlayerOptions:
    """Command line of a simulator player (Unity player flags plus the simulator's own)."""

    task: str
    """Simulator task (``sim list``)."""
    port: int | None = None
    """``--mlagents-port``: the trainer's port; None = no trainer (the heuristic plays, as in Unity)."""
    log_file: str | None = None
    """``-logFile``: where the player log goes (``-`` = stdout; None = stderr)."""
    batchmode: bool = False
    """``-batchmode`` (accepted for Unity compatibility; the simulator never opens a window)."""
    nographics: bool = False
    """``-nographics`` (accepted for Unity compatibility)."""
    num_areas: int | None = None
    """``--num-areas``: training areas (each with the task's default agents); None = what the trainer asks."""
    seed: int | None = None
    """``--seed``: overrides the trainer's seed."""
    host: str = "localhost"
    """Trainer host (Unity connects to ``localhost``)."""
    connect_timeout_s: float = 60.0
    """How long to wait for the trainer's server to accept the connection."""
    heuristic_episodes: int = 10
    """Without a trainer: episodes the heuristic plays before the player exits."""

    def __post_init__(self) -> None:
        if self.port is not None and not 1 <= int(self.port) <= 65535:
            raise SpecError(f"--mlagents-port: expected a TCP port 1-65535, got {self.port}")
        if self.num_areas is not None and int(self.num_areas) < 1:
            raise SpecError(f"--num-areas: expected >= 1, got {self.num_areas}")
        if not self.connect_timeout_s > 0:
            raise SpecError(f"connect timeout: expected > 0 s, got {self.connect_timeout_s}")


def parse_player_args(argv: Sequence[str]) -> PlayerOptions:
    """Parse a player command line the way a Unity player reads its own (unknown flags are ignored).

    ``mlagents-learn`` runs ``<player> [-nographics -batchmode] --mlagents-port N [-logFile F] [env args]``;
    Unity's single-dash flags are case-insensitive here (``-logfile`` works too).

    Args:
        argv: arguments after the program name: the task first (a launcher puts it there), then flags.

    Returns:
        The options.

    Raises:
        SpecError: no task, or a flag with a bad value.

    """
    parser = argparse.ArgumentParser(prog="sim-player", add_help=False, allow_abbrev=False)
    parser.add_argument("task", nargs="?")
    parser.add_argument("--mlagents-port", dest="port", type=int)
    parser.add_argument("-logFile", "-logfile", "-LogFile", dest="log_file")
    parser.add_argument("-batchmode", dest="batchmode", action="store_true")
    parser.add_argument("-nographics", dest="nographics", action="store_true")
    parser.add_argument("--num-areas", dest="num_areas", type=int)
    parser.add_argument("--seed", dest="seed", type=int)
    parser.add_argument("--connect-timeout", dest="connect_timeout_s", type=float, default=60.0)
    parser.add_argument("--heuristic-episodes", dest="heuristic_episodes", type=int, default=10)
    try:
        known, unknown = parser.parse_known_args(list(argv))
    except SystemExit:  # argparse exits on a bad value; name it instead
        raise SpecError(f"player arguments {list(argv)}: a flag has a missing or non-numeric value") from None
    if not known.task:
        raise SpecError("player: no simulator task given (e.g. 3DBall)")
    if unknown:
        logger.info("ignoring player arguments %s (Unity ignores unknown flags too)", unknown)
    return PlayerOptions(**{k: v for k, v in vars(known).items()})


class _Log:
    """The player log (``-logFile``), one flushed line per event."""

    def __init__(self, target: str | None) -> None:
        self._owned = target not in (None, "-")
        self._stream: IO[str] = (
            open(target, "a", encoding="utf-8")  # noqa: SIM115 (closed in close())
            if self._owned and target is not None
            else (sys.stdout if target == "-" else sys.stderr)
        )

    def __call__(self, text: str) -> None:
        self._stream.write(f"[{time.strftime('%H:%M:%S')}] {text}\n")
        self._stream.flush()

    def close(self) -> None:
        if self._owned:
            self._stream.close()


# --- messages: what a Unity player sends ---


def agent_infos(
    batch: StepBatch, ids_before: np.ndarray, ids_after: np.ndarray, signature: BehaviorSignature
) -> list[AgentInfoProto]:
    """Turn one simulator decision into the ``AgentInfoProto``s a Unity player sends.

    Agents whose episode ended come first (``done``, old id, last observation and reward, ``max_step_reached``
    for an interrupted episode), then every agent's decision request (a new episode: new id, reward 0).
    Multi-agent tasks also send each agent's ``group_id`` and ``group_reward`` (fields 14 and 15), as a
    Unity player does for agents in a ``SimpleMultiAgentGroup``.

    Args:
        batch: the simulator's batch (``reset`` or ``step``).
        ids_before: episode ids before the step (the ids of the episodes that ended).
        ids_after: episode ids now.
        signature: the behavior (sensor names and observation types: a goal signal is sent as one).

    Returns:
        The infos, terminal ones first.

    """
    sensors = [(spec.name, int(spec.observation_type)) for spec in signature.observation_specs]
    ended = batch.terminated | batch.truncated
    infos: list[AgentInfoProto] = []
    final_rows = [_rows(obs) for obs in batch.final_obs] if ended.any() else []
    grouped = batch.group_id is not None and batch.group_reward is not None
    for i in np.flatnonzero(ended):
        info = AgentInfoProto(
            reward=float(batch.reward[i]),
            done=True,
            max_step_reached=bool(batch.truncated[i] and not batch.terminated[i]),
            id=int(ids_before[i]),
        )
        if grouped:
            info.group_id = int(batch.group_id[i])
            info.group_reward = float(batch.group_reward[i])
        for obs, rows, sensor in zip(batch.final_obs, final_rows, sensors, strict=True):
            _add_observation(info, obs, rows, int(i), sensor)
        infos.append(info)
    masked = None if batch.action_mask is None else ~batch.action_mask  # the proto marks *disallowed* actions
    rewards = np.where(ended, 0.0, batch.reward).tolist()
    rows_now = [_rows(obs) for obs in batch.obs]
    for i, agent_id in enumerate(ids_after.tolist()):
        info = AgentInfoProto(reward=rewards[i], id=agent_id)
        if grouped:  # a new episode's first request carries no group reward of the old one
            info.group_id = int(batch.group_id[i])
            info.group_reward = 0.0 if ended[i] else float(batch.group_reward[i])
        for obs, rows, sensor in zip(batch.obs, rows_now, sensors, strict=True):
            _add_observation(info, obs, rows, i, sensor)
        if masked is not None:
            info.action_mask.extend(masked[i].tolist())
        infos.append(info)
    return infos


def _rows(obs: np.ndarray) -> list[Any] | None:
    # Vector observations as Python lists once per batch: extending a repeated field from a list is fastest.
    return obs.tolist() if obs.ndim == 2 else None


def _add_observation(
    info: AgentInfoProto, obs: np.ndarray, rows: list[Any] | None, i: int, sensor: tuple[str, int]
) -> None:
    name, observation_type = sensor
    if rows is None:  # visual (3-D): the general encoder sets the channels-first dimension properties
        info.observations.append(encode_observation(obs[i], name, observation_type=observation_type))
        return
    # A vector sensor as Unity's VectorSensor writes it: shape [n], DimensionProperty.None (1), raw floats.
    proto = info.observations.add(
        shape=[obs.shape[1]], dimension_properties=[1], name=name, observation_type=observation_type
    )
    proto.float_data.data.extend(rows[i])


def actions_from_input(
    rl_input: UnityRLInputProto, qualified_name: str, spec: ActionSpec, n: int
) -> ActionTuple:
    """Read the actions for the ``n`` agents that asked for a decision, in the order they were sent.

    Current messages fill ``continuous_actions``/``discrete_actions``; older trainers only
    ``vector_actions_deprecated`` (continuous values, or discrete branch indices), which Unity still reads.
    No entry for the behavior means no actions were set: agents get zeros (``ActionSpec.empty_action``).

    Args:
        rl_input: the trainer's input.
        qualified_name: the behavior key.
        spec: the behavior's action spec.
        n: agents that requested a decision.

    Returns:
        ``(n, continuous)`` float32 and ``(n, branches)`` int32 actions.

    Raises:
        ProtocolError: a different number of actions than decision requests, or actions of the wrong size.

    """
    continuous = np.zeros((n, spec.continuous_size), np.float32)
    discrete = np.zeros((n, spec.discrete_size), np.int32)
    if qualified_name not in rl_input.agent_actions:
        return ActionTuple(continuous, discrete)
    values = rl_input.agent_actions[qualified_name].value
    if len(values) != n:
        raise ProtocolError(
            f"behavior '{qualified_name}': {len(values)} actions for {n} agents that asked for one"
        )
    for i, action in enumerate(values):
        cont, disc = list(action.continuous_actions), list(action.discrete_actions)
        if not cont and not disc and len(action.vector_actions_deprecated):
            legacy = list(action.vector_actions_deprecated)
            cont, disc = legacy[: spec.continuous_size], [int(v) for v in legacy[spec.continuous_size :]]
        if len(cont) != spec.continuous_size or len(disc) != spec.discrete_size:
            raise ProtocolError(
                f"behavior '{qualified_name}': agent {i} got {len(cont)} continuous and {len(disc)} discrete "
                f"actions, expected {spec.continuous_size} and {spec.discrete_size}"
            )
        if cont:
            continuous[i] = cont
        if disc:
            discrete[i] = disc
    if not np.isfinite(continuous).all():
        raise ProtocolError(f"behavior '{qualified_name}': the trainer sent NaN or infinite actions")
    return ActionTuple(continuous, discrete)


def team_rows(name: str, team_id: np.ndarray | None) -> list[tuple[str, np.ndarray | None]]:
    """Each team's qualified behavior name and rows, in team order (``None`` rows: every agent, team 0).

    Args:
        name: the behavior name.
        team_id: the batch's ``team_id`` (None: no teams).

    Returns:
        ``[(qualified_name, rows)]``.

    """
    if team_id is None:
        return [(qualified_behavior_name(name), None)]
    team_id = np.asarray(team_id)
    return [(qualified_behavior_name(name, int(t)), np.flatnonzero(team_id == t)) for t in np.unique(team_id)]


# --- the player ---


class _MultiBehaviorTask:
    """A simulator task of several behaviors as the player serves it: episode ids per behavior.

    Unity's Academy gives every agent episode one id from one counter; the toy tasks keep none, so the
    player numbers them here (a finished episode's agent asks for its next decision under a new id).
    """

    def __init__(self, env: MultiBehaviorEnv) -> None:
        self.env = env
        self.signatures = dict(env.signatures)
        self.env_parameter_defaults: dict[str, float] = {}
        self.engine = EngineConfig()  # nothing renders: engine settings are logged and kept, as Unity does
        self._next_id = 0
        self.episode_ids = {name: self._new_ids(int(n)) for name, n in env.num_agents.items()}

    def _new_ids(self, count: int) -> np.ndarray:
        ids = np.arange(self._next_id, self._next_id + count, dtype=np.int64)
        self._next_id += count
        return ids

    def _renew(self, batches: dict[str, StepBatch], every: bool) -> dict[str, StepBatch]:
        for name, batch in batches.items():
            ended = batch.terminated | batch.truncated
            rows = np.arange(len(batch.reward)) if every else np.flatnonzero(ended)
            self.episode_ids[name][rows] = self._new_ids(rows.size)
        return batches

    def set_env_parameters(self, params: dict[str, float]) -> None:
        """Delegate (the caller passes only parameters in ``env_parameter_defaults``)."""
        self.env.set_env_parameters(params)

    def reset(self) -> dict[str, StepBatch]:
        """Every agent starts a new episode under a new id."""
        return self._renew(self.env.reset(), every=True)

    def step(self, actions: dict[str, ActionTuple]) -> dict[str, StepBatch]:
        """One decision of every behavior; agents whose episode ended get new ids."""
        return self._renew(self.env.step(actions), every=False)


class SimPlayer:
    """A simulator task hosted behind the Unity side of the protocol (one process, several areas)."""

    def __init__(
        self,
        options: PlayerOptions,
        *,
        make_env: Callable[..., Any] | None = None,
        area_agents: int | None = None,
    ) -> None:
        """Prepare the player (nothing connects until ``run``).

        Args:
            options: the parsed command line.
            make_env: builds the simulator (``sim.make`` by default; tests may pass another).
            area_agents: agents per area of a ``make_env`` environment outside the catalog (then
                ``options.task`` is only its name); None: the catalog task's default.

        """
        self.options = options
        self._make_env = make_env or sim.make
        self._multi = None
        multi = {name.lower(): name for name in MULTI_BEHAVIOR_TASKS}
        if make_env is None and options.task.lower() in multi:  # one agent of each behavior per area
            self.task, self.area_agents = multi[options.task.lower()], 1
            self._multi = MULTI_BEHAVIOR_TASKS[self.task]
        elif make_env is not None and area_agents is not None:
            if area_agents < 1:
                raise SpecError(f"area_agents: expected >= 1, got {area_agents}")
            self.task, self.area_agents = options.task, int(area_agents)
        else:
            self.task = sim.canonical_task_name(options.task)
            self.area_agents = next(t.default_num_agents for t in sim.list_tasks() if t.name == self.task)
        self.env: Any = None
        self.engine = EngineConfigurationSettings()
        self.log = _Log(options.log_file)
        self._samplers: dict[str, tuple[SamplerParameter, np.random.Generator]] = {}
        self._unknown_params: set[str] = set()
        self._brain_sent = False
        self._last_teams: list[tuple[str, str, np.ndarray | None]] = []
        """``(behavior, qualified name, rows)`` of the last message, behavior by behavior in team order."""
        self.exchanges = 0

    # --- side channels ---

    def _apply_side_channels(self, data: bytes) -> None:
        if not data:
            return
        received = decode_trainer_messages(data, self.engine)
        if received.engine != self.engine:
            self.engine = received.engine
            self._apply_engine()
        known = self.env.env_parameter_defaults
        for parameter in received.parameters:
            if parameter.key not in known:
                if parameter.key not in self._unknown_params:  # Unity stores it; no agent of ours reads it
                    self._unknown_params.add(parameter.key)
                    self.log(f"environment parameter '{parameter.key}' is not used by {self.task} (ignored)")
                continue
            if isinstance(parameter, FloatParameter):
                self._samplers.pop(parameter.key, None)
                self.env.set_env_parameters({parameter.key: parameter.value})
            else:
                self._samplers[parameter.key] = (parameter, np.random.default_rng(parameter.seed))

    def _apply_engine(self) -> None:
        e, current = self.engine, self.env.engine
        # Unity clamps what it cannot honour rather than failing; so do we (EngineConfig's valid ranges).
        values = {
            "width": max(8, e.width) if e.width is not None else current.width,
            "height": max(8, e.height) if e.height is not None else current.height,
            "quality_level": min(max(e.quality_level, 0), 5)
            if e.quality_level is not None
            else current.quality_level,
            "time_scale": (
                min(max(e.time_scale, 1e-3), 100.0)
                if e.time_scale is not None and math.isfinite(e.time_scale)
                else current.time_scale
            ),
            "target_frame_rate": (
                e.target_frame_rate
                if e.target_frame_rate is not None and (e.target_frame_rate == -1 or e.target_frame_rate >= 1)
                else current.target_frame_rate
            ),
            "capture_frame_rate": (
                max(1, e.capture_frame_rate)
                if e.capture_frame_rate is not None
                else current.capture_frame_rate
            ),
        }
        self.env.engine = dataclasses.replace(EngineConfig(), **values)
        self.log(f"engine configuration: {self.env.engine}")

    def _sample_parameters(self) -> None:
        # Unity samples when an agent reads the parameter (OnEpisodeBegin); the simulator reads it for every
        # agent beginning an episode at this decision, so one draw per decision.
        if self._samplers:
            self.env.set_env_parameters(
                {key: sample_environment_parameter(p, rng) for key, (p, rng) in self._samplers.items()}
            )

    # --- loop ---

    # The player's view of its simulator, the same for one behavior or several: by behavior name.

    def _signatures(self) -> dict[str, BehaviorSignature]:
        if self._multi is not None:
            return self.env.signatures
        return {self.env.signature.name: self.env.signature}

    def _episode_ids(self) -> dict[str, np.ndarray]:
        if self._multi is not None:
            return {name: ids.copy() for name, ids in self.env.episode_ids.items()}
        return {self.env.signature.name: self.env.episode_ids.copy()}

    def _reset(self) -> dict[str, StepBatch]:
        if self._multi is not None:
            return self.env.reset()
        return {self.env.signature.name: self.env.reset()}

    def _step(self, actions: dict[str, ActionTuple]) -> dict[str, StepBatch]:
        if self._multi is not None:
            return self.env.step(actions)
        name = self.env.signature.name
        return {name: self.env.step(actions[name])}

    def _output(self, batches: dict[str, StepBatch], ids_before: dict[str, np.ndarray]) -> UnityOutputProto:
        signatures, ids_now = self._signatures(), self._episode_ids()
        rl_output = UnityRLOutputProto()
        self._last_teams = []
        for name, batch in batches.items():
            signature, before, after = signatures[name], ids_before[name], ids_now[name]
            for key, rows in team_rows(name, batch.team_id):
                if rows is None:
                    infos = agent_infos(batch, before, after, signature)
                else:
                    infos = agent_infos(batch.select(rows), before[rows], after[rows], signature)
                rl_output.agentInfos[key].value.extend(infos)
                self._last_teams.append((name, key, rows))
        successes = np.concatenate(
            [batch.success[batch.terminated | batch.truncated] for batch in batches.values()]
        )
        if successes.size:
            rl_output.side_channel = encode_unity_messages(
                StatMessage(SUCCESS_STAT, float(won), StatsAggregationMethod.AVERAGE) for won in successes
            )
        output = UnityOutputProto(rl_output=rl_output)
        if not self._brain_sent:
            output.rl_initialization_output.brain_parameters.extend(
                brain_parameters(signatures[name], key, training=True, legacy_fields=True)
                for name, key, _ in self._last_teams
            )
            self._brain_sent = True
        return output

    def _handle(self, rl_input: UnityRLInputProto, started: bool) -> UnityOutputProto:
        self._apply_side_channels(rl_input.side_channel)
        self._sample_parameters()
        ids_before = self._episode_ids()
        if rl_input.command == _RESET or not started:
            return self._output(self._reset(), ids_before)
        actions = {}
        for name, signature in self._signatures().items():
            spec, n = signature.action_spec, len(ids_before[name])
            teams = [(key, rows) for behavior, key, rows in self._last_teams if behavior == name]
            if len(teams) == 1 and teams[0][1] is None:
                actions[name] = actions_from_input(rl_input, teams[0][0], spec, n)
                continue
            # each team's actions arrive under its own name, in the order its agents were reported
            chosen = ActionTuple(
                np.zeros((n, spec.continuous_size), np.float32), np.zeros((n, spec.discrete_size), np.int32)
            )
            for key, rows in teams:
                team = actions_from_input(rl_input, key, spec, len(rows))
                chosen.continuous[rows], chosen.discrete[rows] = team.continuous, team.discrete
            actions[name] = chosen
        return self._output(self._step(actions), ids_before)

    def _connect(self, stub: Any) -> tuple[UnityMessageProto, int]:
        init = UnityRLInitializationOutputProto(
            name=ACADEMY_NAME,
            communication_version=API_VERSION,
            package_version=UNITY_PACKAGE_VERSION,
            capabilities=capabilities(),
            log_path=self.options.log_file or "",
        )
        reply = stub.Exchange(output_message(UnityOutputProto(rl_initialization_output=init)))
        if reply.header.status != STATUS_OK:
            raise ProtocolError(
                f"the trainer refused the connection (status {reply.header.status}: "
                f"{reply.header.message or 'no reason given'})"
            )
        trainer = reply.unity_input.rl_initialization_input
        check_compatible(trainer.communication_version, peer="trainer")
        seed = self.options.seed if self.options.seed is not None else int(trainer.seed)
        areas = self.options.num_areas or max(1, int(trainer.num_areas))
        self.log(
            f"connected to trainer (API {trainer.communication_version}, package {trainer.package_version}); "
            f"seed {seed}, {areas} area(s) of {self.area_agents} agent(s)"
        )
        if self._multi is not None:
            self.env = _MultiBehaviorTask(self._multi(areas, seed))
        else:
            self.env = self._make_env(self.task, num_agents=self.area_agents * areas, seed=seed)
        return stub.Exchange(output_message()), seed  # Exchange #2: answered by the first command

    def run(self) -> int:
        """Connect and serve the trainer until it shuts the session down.

        Returns:
            The process exit code: 0 after a shutdown by the trainer (status 400, QUIT or its server going
            away after a session), 1 on an error (logged, and reported to the trainer with status 400).

        """
        try:
            if self.options.port is None:
                return self._play_without_trainer()
            return self._serve()
        finally:
            self.log.close()

    def _play_without_trainer(self) -> int:
        if self._multi is not None:  # the toy games have no heuristic: every behavior plays at random
            self.log("no --mlagents-port: no trainer connection, every behavior plays at random")
            world = self._multi(self.options.num_areas or 1, self.options.seed)
            results = evaluate_behaviors(
                world,
                {
                    name: random_policy(sig.action_spec, self.options.seed)
                    for name, sig in world.signatures.items()
                },
                episodes=max(1, self.options.heuristic_episodes),
                seed=self.options.seed,
            )
            for name, result in results.items():
                self.log(
                    f"{name} (random): mean reward {result.mean_reward:.3f} over {result.episodes} episodes"
                )
            return 0
        self.log("no --mlagents-port: no trainer connection, the heuristic plays (as a Unity player would)")
        env = self._make_env(
            self.task, num_agents=self.area_agents * (self.options.num_areas or 1), seed=self.options.seed
        )
        result = evaluate(
            env,
            heuristic_policy(env),
            episodes=max(1, self.options.heuristic_episodes),
            seed=self.options.seed,
        )
        self.log(f"heuristic: mean reward {result.mean_reward:.3f} over {result.episodes} episodes")
        return 0

    def _serve(self) -> int:
        import grpc  # heavy

        from .proto.unity_to_external_pb2_grpc import UnityToExternalProtoStub  # heavy: grpc

        address = f"{self.options.host}:{self.options.port}"
        channel = grpc.insecure_channel(address)
        stub = UnityToExternalProtoStub(channel)
        connected = False
        try:
            try:
                grpc.channel_ready_future(channel).result(timeout=self.options.connect_timeout_s)
            except grpc.FutureTimeoutError:
                self.log(
                    f"couldn't connect to trainer on {address} within {self.options.connect_timeout_s:g} s"
                )
                return 1
            reply, _seed = self._connect(stub)
            connected = True
            started = False
            while True:
                if reply.header.status != STATUS_OK:
                    self.log(
                        f"trainer ended the session (status {reply.header.status}); "
                        f"{self.exchanges} exchanges"
                    )
                    return 0
                rl_input = reply.unity_input.rl_input
                if rl_input.command == _QUIT:
                    self.log("QUIT received")
                    self._goodbye(stub, "quit")
                    return 0
                output = self._handle(rl_input, started)
                started = True
                reply = stub.Exchange(output_message(output))
                self.exchanges += 1
        except grpc.RpcError as exc:
            code = exc.code() if hasattr(exc, "code") else None
            if connected and code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.CANCELLED):
                self.log(f"trainer went away ({code.name}); {self.exchanges} exchanges")
                return 0
            self.log(f"communication error: {exc}")
            return 1
        except PipelineError as exc:
            self.log(f"error: {exc}")
            self._goodbye(stub, str(exc))
            return 1
        finally:
            channel.close()

    def _goodbye(self, stub: Any, reason: str) -> None:
        # Unity's Dispose sends one last Exchange with status 400; the trainer may already be gone.
        try:
            message = output_message(status=STATUS_SHUTDOWN)
            message.header.message = reason
            stub.Exchange(message, timeout=2.0)
        except Exception:  # noqa: BLE001 (best effort: the session is over either way)
            pass


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m mlops_unity_pipeline.bridge.player TASK [Unity player flags]``.

    Args:
        argv: the arguments (``sys.argv[1:]`` by default).

    Returns:
        The exit code.

    """
    try:
        options = parse_player_args(sys.argv[1:] if argv is None else argv)
        player = SimPlayer(options)
    except PipelineError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    return player.run()


if __name__ == "__main__":
    sys.exit(main())
