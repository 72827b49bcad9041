"""Self-play (``self_play`` settings): the ghost trainer that trains one team against snapshots of itself.

ML-Agents Release 22 semantics (``ml-agents/mlagents/trainers/ghost/trainer.py`` and ``ghost/controller.py``
of ``Unity-Technologies/ml-agents``; the settings in ``trainers/settings.py::SelfPlaySettings``):

- At any time one team learns; its agents act with the wrapped trainer (PPO or POCA) and only its transitions
  reach that trainer. The other team's agents act with a frozen *snapshot* and their steps count as
  ``ghost_step``.
- A snapshot of the learning policy joins a ring of ``window`` snapshots whenever the wrapped trainer's step
  has grown by more than ``save_steps`` since the last save (one is saved at the start).
- The opponent's snapshot is redrawn whenever ``ghost_step`` has grown by more than ``swap_steps`` since the
  last swap, and at every change of learning team: with probability ``play_against_latest_model_ratio`` the
  latest weights, otherwise a uniformly drawn snapshot of the ring.
- The learning team rotates whenever the wrapped trainer's step has grown by more than ``team_change`` since
  the last change; the environment is then reset (upstream's ``GhostController.should_reset``).
- ELO: each learning-team agent whose episode ends scores a win, draw or loss from the sign of its last
  reward (its own plus its group's), and the learning policy's rating moves by ``result - expected``, the
  opponent snapshot's rating by the opposite. Upstream applies no K factor (K = 1), and playing against the
  latest weights moves nothing, because the opponent's rating *is* the current one
  (``current_opponent = -1``). The rating is logged as ``Self-play/ELO``.

Teams come from ``StepBatch.team_id`` (ML-Agents tells them apart by behavior name, ``Name?team=N``). A
symmetric game is one behavior holding two teams of equal size (SoccerTwos); an asymmetric one gives each team
its own behavior and trainer (StrikersVsGoalie: ``Striker?team=0``, ``Goalie?team=1``). Either way one
``GhostController`` per run decides which team learns, as upstream's ``TrainerFactory`` shares one
controller among every ``GhostTrainer``: the trainer whose team learns trains, every other team plays
snapshots of its own behavior, and a game's ELO change moves the learner's rating and the rating of the
snapshot the other team plays (``GhostController.compute_elo_rating_changes``).
"""

from __future__ import annotations

import copy
from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from ..errors import TrainError
from ..spaces import ActionTuple, BehaviorSignature, StepBatch
from .base import Trainer, env_actions, extrinsic_reward, flatten_obs
from .config import SelfPlaySettings, TrainerSettings
from .distributions import CONTINUOUS_CLIP
from .networks import Actor
from .threaded import DeferredRecords

ELO_TAG = "Self-play/ELO"
"""The learning policy's rating, recorded at every episode end of the learning team (upstream's tag)."""
ELO_SCALE = 400.0
"""Rating difference at which the expected score is 10:1 (the standard ELO logistic; upstream's 400)."""
NUM_TEAMS = 2
"""Teams a symmetric self-play behavior holds (upstream's ELO assumes two: ``controller.py``'s TODO)."""
STATE_KEY = "self_play"
"""Key of the ghost's bookkeeping inside ``checkpoint.pt``."""

Snapshot = dict[str, torch.Tensor]
"""A policy's ``state_dict`` (weights and normalizer), detached copies."""


def expected_score(rating: float, opponent_rating: float) -> float:
    """Return the ELO expected score of a player rated ``rating`` against ``opponent_rating``.

    ``10^(r/400) / (10^(r/400) + 10^(o/400))`` (``GhostController.compute_elo_rating_changes``).

    Args:
        rating: the player's rating.
        opponent_rating: the opponent's rating.

    Returns:
        The expected score in (0, 1).

    """
    return 1.0 / (1.0 + 10.0 ** ((opponent_rating - rating) / ELO_SCALE))


def elo_change(rating: float, opponent_rating: float, result: float) -> float:
    """Return the rating change of a game: ``result - expected`` (upstream uses no K factor).

    Args:
        rating: the learning policy's rating.
        opponent_rating: the opponent's rating.
        result: 1 win, 0.5 draw, 0 loss.

    Returns:
        What the learning policy gains (the opponent loses as much).

    """
    return result - expected_score(rating, opponent_rating)


def game_result(final_reward: float) -> float:
    """Return 1 (win), 0.5 (draw) or 0 (loss) from the sign of an episode's last reward (upstream's rule).

    Args:
        final_reward: the agent's reward at its episode's last step.

    Returns:
        The score.

    """
    if final_reward > 0:
        return 1.0
    if final_reward < 0:
        return 0.0
    return 0.5


def _copy_state(module: nn.Module) -> Snapshot:
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def policy_actions(
    actor: Actor, batch: StepBatch, rows: np.ndarray, memories: np.ndarray, *, deterministic: bool
) -> ActionTuple:
    """Act for agents ``rows`` with a frozen policy (no gradients, nothing recorded for learning).

    Args:
        actor: the policy (a snapshot, or a finished behavior's final policy).
        batch: the decision of every agent.
        rows: the agents to act for.
        memories: ``(num_agents, memory_size)`` recurrent state of every agent, updated in place for ``rows``.
        deterministic: take the most likely action instead of sampling (``network_settings.deterministic``).

    Returns:
        Actions for ``rows``, continuous ones mapped to [-1, 1] as the training policy maps them.

    """
    obs = torch.from_numpy(flatten_obs(tuple(o[rows] for o in batch.obs)))
    mask = None
    if batch.action_mask is not None:
        mask = torch.from_numpy(batch.action_mask[rows].astype(np.float32))
    with torch.no_grad():
        if actor.memory_size:
            sample, new = actor.act_recurrent(
                obs, mask, torch.from_numpy(memories[rows]), deterministic=deterministic
            )
            memories[rows] = new.numpy()
        else:
            sample = actor.act(obs, mask, deterministic=deterministic)
    cont = sample.continuous.numpy()
    if not actor.tanh_squash:  # the trainers' own mapping of raw Gaussian samples
        cont = np.maximum(np.minimum(cont, CONTINUOUS_CLIP), -CONTINUOUS_CLIP) / CONTINUOUS_CLIP
    return env_actions(cont, sample.discrete.numpy())


class GhostController:
    """Which team learns, shared by every ``GhostTrainer`` of a run (upstream's ``ghost/controller.py``).

    Teams subscribe in the order their trainers first see them: the first learns first, the others queue.
    ``change_training_team`` rotates the queue; the loop then resets the environment (``pop_reset_request``).
    """

    def __init__(self) -> None:
        self.learning_team: int | None = None
        """The team whose trainer learns now (None until a team subscribed)."""
        self.queue: deque[int] = deque()
        """The other teams, next learner first."""
        self.trainers: dict[int, GhostTrainer] = {}
        """The trainer of each subscribed team (a symmetric trainer holds two)."""
        self.reset_requested = False

    def subscribe(self, team: int, trainer: GhostTrainer) -> None:
        """Register ``trainer`` as the owner of ``team`` (a team already registered keeps its trainer).

        Args:
            team: a ``team_id``.
            trainer: the ghost trainer whose agents play for it.

        Raises:
            TrainError: two behaviors claim the same team id.

        """
        owner = self.trainers.get(team)
        if owner is not None and owner is not trainer:
            raise TrainError(
                f"self_play: behaviors '{owner.signature.name}' and '{trainer.signature.name}' both report "
                f"team_id {team}; each team of an asymmetric game needs its own team id"
            )
        if owner is None:
            self.trainers[team] = trainer
            if self.learning_team is None:
                self.learning_team = team
            elif team != self.learning_team and team not in self.queue:  # a resumed rotation keeps its order
                self.queue.append(team)

    def change_training_team(self) -> None:
        """Hand learning to the next team in the queue and ask for an environment reset."""
        if self.learning_team is None or not self.queue:
            return
        self.queue.append(self.learning_team)
        self.learning_team = self.queue.popleft()
        self.reset_requested = True

    def retire(self, team: int) -> None:
        """Take a finished behavior's team out of the rotation (it no longer learns).

        Upstream keeps counting a finished trainer's steps without updating it, so learning moves on after
        ``team_change`` idle steps; handing it over at once spends no environment steps on a team that can
        no longer learn.

        Args:
            team: the finished behavior's team.

        """
        if team in self.queue:
            self.queue.remove(team)
        elif team == self.learning_team and self.queue:
            self.learning_team = self.queue.popleft()
            self.reset_requested = True

    def opponents(self) -> list[GhostTrainer]:
        """Return the trainers of the teams that do not learn now (each plays one of its snapshots)."""
        return [t for team, t in self.trainers.items() if team != self.learning_team]

    def pop_reset_request(self) -> bool:
        """Return whether the learning team changed since the last call, and clear the flag."""
        requested, self.reset_requested = self.reset_requested, False
        return requested

    def state_dict(self) -> dict[str, Any]:
        """Return the learning team and the queue (the trainers re-subscribe at their first decision)."""
        return {"learning_team": self.learning_team, "team_queue": list(self.queue)}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore ``state_dict``'s learning team and queue.

        Every trainer of an asymmetric game restores the rotation from its own checkpoint (the last one
        loaded wins). Teams subscribed already but missing from the restored rotation (retired when their
        behavior finished, ``retire``) rejoin the queue: a resumed run with a higher ``max_steps`` trains them
        again.

        Args:
            state: what ``state_dict`` returned.

        """
        learning = state.get("learning_team")
        self.learning_team = None if learning is None else int(learning)
        self.queue = deque(int(t) for t in state.get("team_queue", ()))
        for team in self.trainers:
            if self.learning_team is None:
                self.learning_team = team
            elif team != self.learning_team and team not in self.queue:
                self.queue.append(team)


@dataclass(frozen=True)
class SwapEvent:
    """One opponent swap, for logs and tests."""

    ghost_step: int
    """``ghost_step`` at the swap."""
    learning_team: int
    """The team learning from then on."""
    opponent: int
    """Index of the snapshot the opponent plays in the ring, or -1 for the latest weights."""


class GhostTrainer(Trainer):
    """Self-play around a built-in trainer: trains the learning team, plays the other with snapshots.

    The loop in ``rl.learn`` drives it like any ``Trainer``; ``step``, ``actor`` and the checkpoint's networks
    are the wrapped trainer's (so ``max_steps`` counts the learning team's steps, and exports are the learning
    policy, as upstream's ``get_step`` and ``export_model``).

    Args:
        inner_cls: the wrapped trainer's class (``rl.trainers.TRAINERS[trainer_type]``).
        signature: the behavior trained.
        settings: its ``TrainerSettings``; ``self_play`` must be set.
        num_agents: agents of the behavior, all its teams (each team holds an equal share).
        seed: random seed (the wrapped trainer's and the ghost's opponent draws).
        num_teams: teams of this behavior: 2 for a symmetric game, 1 for one side of an asymmetric game.
        controller: the run's ``GhostController`` (shared by every ghost trainer of an asymmetric game); a
            private one when None.

    Raises:
        TrainError: ``num_agents`` is not split into ``num_teams`` equal teams.

    """

    def __init__(
        self,
        inner_cls: type[Trainer],
        signature: BehaviorSignature,
        settings: TrainerSettings,
        num_agents: int,
        seed: int,
        *,
        num_teams: int = NUM_TEAMS,
        controller: GhostController | None = None,
    ) -> None:
        # Trainer.__init__ is not called: networks, step and RNG belong to the wrapped trainer.
        if settings.self_play is None:
            raise TrainError(f"behavior '{signature.name}': GhostTrainer needs self_play settings")
        if num_teams not in (1, NUM_TEAMS):
            raise TrainError(
                f"behavior '{signature.name}': self_play trains one or two teams per behavior, got "
                f"{num_teams}"
            )
        if num_agents % num_teams or num_agents < num_teams:
            raise TrainError(
                f"behavior '{signature.name}': self_play needs {'two' if num_teams == 2 else 'one'} "
                f"team{'s' if num_teams == 2 else ''} of equal size, got {num_agents} agents"
                + (" (an odd count)" if num_teams == NUM_TEAMS else "")
            )
        self.num_teams = num_teams
        self.controller = controller if controller is not None else GhostController()
        self.algorithm = inner_cls.algorithm
        self.signature = signature
        self.settings = settings
        self.num_agents = num_agents
        self.team_size = num_agents // num_teams
        self.inner = inner_cls(signature, settings, self.team_size, seed)  # type: ignore[call-arg]
        self.sp: SelfPlaySettings = settings.self_play
        self._stats: dict[str, list[float]] = {}
        self._deferred = DeferredRecords()  # the Trainer fields this wrapper uses (it skips Trainer.__init__)
        self.background = None
        # A generator of its own, so the opponent draws do not shift the wrapped trainer's random stream.
        self.ghost_rng = np.random.default_rng([seed, 0x5E1F])
        self.opponent: Actor = copy.deepcopy(self.inner.actor)
        self.opponent.requires_grad_(False)
        self.deterministic = bool(settings.network_settings.deterministic)
        self.opponent_memories = np.zeros((num_agents, self.opponent.memory_size), np.float32)
        self.teams: tuple[int, ...] = ()
        """This behavior's team ids in the order first seen (subscribed to the controller then)."""
        self.learning_team: int | None = None
        """The learning team as this trainer last saw it (the controller's may have moved on since)."""
        self.ghost_step = 0
        """Decisions taken by the opponent team (upstream counts them to time swaps)."""
        self.last_save = self.last_swap = self.last_team_change = 0
        self.snapshots: list[Snapshot] = []
        self.snapshot_counter = 0
        self.policy_elos = [float(self.sp.initial_elo)] * (int(self.sp.window) + 1)
        """Ratings of the ring's snapshots, then (last) the learning policy's."""
        self.current_opponent = 0
        self.swaps: list[SwapEvent] = []
        """Every opponent swap of this process (not checkpointed)."""
        self.saved_at: list[int] = []
        """The wrapped trainer's step at every snapshot save of this process (not checkpointed)."""
        self._rows: tuple[np.ndarray, np.ndarray] | None = None
        self._save_snapshot()  # upstream saves the initial policy, and the first opponent plays it
        self.opponent.load_state_dict(self.snapshots[0])

    # --- what the loop reads from the wrapped trainer -------------------------------------------------------
    @property  # type: ignore[override]
    def step(self) -> int:
        """The wrapped trainer's step: the learning team's decisions (upstream's ``get_step``)."""
        return self.inner.step

    @property
    def actor(self) -> Actor:  # type: ignore[override]
        """The learning policy (exported and checkpointed)."""
        return self.inner.actor

    @property
    def strength(self) -> float:  # type: ignore[override]
        """The extrinsic signal's strength (the loop scales episode rewards by it)."""
        return self.inner.strength

    @property
    def current_elo(self) -> float:
        """The learning policy's rating."""
        return self.policy_elos[-1]

    def modules(self) -> dict[str, nn.Module]:
        """Return the wrapped trainer's networks."""
        return self.inner.modules()

    def optimizers(self) -> dict[str, Any]:
        """Return the wrapped trainer's optimizers."""
        return self.inner.optimizers()

    def settle(self) -> None:
        """Wait for the wrapped trainer's running threaded update (``threaded: true``)."""
        self.inner.settle()

    def pop_stats(self) -> dict[str, list[float]]:
        """Return the wrapped trainer's statistics and ``Self-play/ELO`` since the last call."""
        stats = self.inner.pop_stats()
        own, self._stats = self._stats, {}
        stats.update(own)
        return stats

    def pop_reset_request(self) -> bool:
        """Return whether the environment must be reset (the learning team changed), and clear the flag."""
        return self.controller.pop_reset_request()

    @property
    def is_learning(self) -> bool:
        """True while one of this behavior's teams is the controller's learning team."""
        return self.controller.learning_team in self.teams

    # --- acting and learning --------------------------------------------------------------------------------
    def act(self, batch: StepBatch) -> ActionTuple:
        """Act with the learning policy for the learning team and with the opponent snapshot for the other.

        Args:
            batch: every agent's decision, with ``team_id``.

        Returns:
            Actions for every agent.

        """
        learners, opponents = self._split(batch)
        n, spec = len(batch.reward), self.signature.action_spec
        cont = np.zeros((n, spec.continuous_size), np.float32)
        disc = np.zeros((n, spec.discrete_size), np.int32)
        if len(learners):  # an asymmetric behavior's team sits out while another behavior learns
            own = self.inner.act(batch.select(learners))
            cont[learners], disc[learners] = own.continuous, own.discrete
        if len(opponents):
            ghost = policy_actions(
                self.opponent, batch, opponents, self.opponent_memories, deterministic=self.deterministic
            )
            cont[opponents], disc[opponents] = ghost.continuous, ghost.discrete
        self._rows = (learners, opponents)
        return env_actions(cont, disc)

    def observe(self, batch: StepBatch) -> None:
        """Pass the learning team's outcome to the wrapped trainer, rate finished games, run the schedule.

        Args:
            batch: every agent's decision after the last actions.

        """
        if self._rows is None:
            return
        learners, opponents = self._rows
        self._rows = None
        ended = batch.terminated | batch.truncated
        if self.opponent.memory_size:  # a new episode starts from a zero memory, as the learner's does
            self.opponent_memories[ended] = 0.0
        self.ghost_step += len(opponents)
        if len(learners):
            own = batch.select(learners)
            self.inner.observe(own)
            finished = own.terminated | own.truncated
            if finished.any():
                for reward in extrinsic_reward(own)[finished]:
                    self.rate_game(game_result(float(reward)))
        self.advance()

    def rate_game(self, result: float) -> float:
        """Update the ratings after one game of the learning team and record ``Self-play/ELO``.

        Args:
            result: 1 win, 0.5 draw, 0 loss, for the learning team.

        Returns:
            The learning policy's rating change.

        """
        # Upstream reads both ratings, lowers the opponent's, then raises the learner's; with the latest
        # weights as opponent both are the same slot, so nothing moves. The opponent is the snapshot the other
        # team plays: this trainer's in a symmetric game (also before the first decision subscribed the
        # teams), the other behavior's in an asymmetric one (the last one subscribed, as upstream's loop).
        opponent = (self.controller.opponents() or [self])[-1]
        change = elo_change(self.current_elo, opponent.opponent_elo, result)
        opponent.policy_elos[opponent.current_opponent] -= change
        self.policy_elos[-1] += change
        self.record(ELO_TAG, self.current_elo)
        return change

    @property
    def opponent_elo(self) -> float:
        """The rating of the snapshot this behavior's non-learning team plays (``get_opponent_elo``)."""
        return self.policy_elos[self.current_opponent]

    def advance(self) -> None:
        """Run upstream's schedule after a decision: team change, snapshot save, opponent swap."""
        step = self.inner.step
        if self.controller.queue and step - self.last_team_change > self.sp.team_change:
            # Only the learning behavior's step grows, so only its trainer ever gets here.
            self.controller.change_training_team()
            self.last_team_change = step
            # The wrapped trainer's open trajectories belong to the old team's agents; the loop resets the
            # environment (upstream's trainer controller does on GhostController.should_reset).
            self.inner.reset_trajectories()
        next_team = self.controller.learning_team
        if step - self.last_save > self.sp.save_steps:
            self._save_snapshot()
            self.last_save = step
        if next_team != self.learning_team or self.ghost_step - self.last_swap > self.sp.swap_steps:
            self.learning_team = next_team
            self._swap()
            self.last_swap = self.ghost_step

    def reset_trajectories(self) -> None:
        """Forget open trajectories and opponent memories (the environment was reset)."""
        self.inner.reset_trajectories()
        self.opponent_memories[:] = 0.0
        self._rows = None

    def drop_agents(self, rows: np.ndarray) -> None:
        """Drop the open trajectories of agents ``rows`` (their environment restarted).

        Args:
            rows: agent indices of the whole batch.

        """
        rows = np.asarray(rows, np.int64)
        self.opponent_memories[rows] = 0.0
        if self._rows is not None:
            local = np.flatnonzero(np.isin(self._rows[0], rows))
            if len(local):
                self.inner.drop_agents(local)

    # --- teams, snapshots, swaps ----------------------------------------------------------------------------
    def _split(self, batch: StepBatch) -> tuple[np.ndarray, np.ndarray]:
        if batch.team_id is None:
            raise TrainError(
                f"behavior '{self.signature.name}': self_play needs team ids (StepBatch.team_id; ML-Agents "
                "behavior names 'Name?team=N'), but the environment reports none"
            )
        team_id = np.asarray(batch.team_id)
        if not self.teams:
            seen = tuple(int(t) for t in dict.fromkeys(team_id.tolist()))
            self._set_teams(seen)
        learning = self.controller.learning_team
        learners = np.flatnonzero(team_id == learning)
        opponents = np.flatnonzero(team_id != learning)
        values, counts = np.unique(team_id, return_counts=True)
        if set(values.tolist()) != set(self.teams) or (counts != self.team_size).any():
            per_team = {int(t): int(c) for t, c in zip(values, counts, strict=True)}
            raise TrainError(
                f"behavior '{self.signature.name}': self_play needs teams {list(self.teams)} of "
                f"{self.team_size} agents each, got agents per team {per_team}"
            )
        return learners, opponents

    def _set_teams(self, teams: tuple[int, ...]) -> None:
        if len(teams) != self.num_teams:
            wanted = f"exactly {self.num_teams} teams" if self.num_teams > 1 else "exactly 1 team"
            raise TrainError(
                f"behavior '{self.signature.name}': self_play needs {wanted} in StepBatch.team_id, got "
                f"{list(teams)}"
            )
        self.teams = teams
        for team in teams:  # upstream: the first team subscribed learns first
            self.controller.subscribe(team, self)
        if self.learning_team is None:
            self.learning_team = self.controller.learning_team

    def _save_snapshot(self) -> None:
        self.inner.settle()  # threaded: never a snapshot of half an update
        snapshot = _copy_state(self.inner.actor)
        self.saved_at.append(self.inner.step)
        if self.snapshot_counter < len(self.snapshots):
            self.snapshots[self.snapshot_counter] = snapshot
        else:
            self.snapshots.append(snapshot)
        self.policy_elos[self.snapshot_counter] = self.current_elo
        self.snapshot_counter = (self.snapshot_counter + 1) % int(self.sp.window)

    def _swap(self) -> None:
        if self.teams and all(team == self.learning_team for team in self.teams):
            return  # upstream swaps snapshots for the non-learning teams only; this behavior has none now
        # Upstream's draw order: a uniform draw decides past vs latest, then an index among the saved ones.
        if self.ghost_rng.uniform() < 1.0 - float(self.sp.play_against_latest_model_ratio):
            self.current_opponent = int(self.ghost_rng.integers(len(self.snapshots)))
            weights = self.snapshots[self.current_opponent]
        else:
            self.current_opponent = -1
            self.inner.settle()  # threaded: never a snapshot of half an update
            weights = _copy_state(self.inner.actor)
        self.opponent.load_state_dict(weights)
        self.opponent_memories[:] = 0.0
        self.swaps.append(SwapEvent(self.ghost_step, int(self.learning_team), self.current_opponent))  # type: ignore[arg-type]

    # --- state ----------------------------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """Return the wrapped trainer's state plus the ghost's (snapshots, ratings, teams, counters)."""
        state = self.inner.state_dict()
        state[STATE_KEY] = {
            "snapshots": self.snapshots,
            "snapshot_counter": self.snapshot_counter,
            "policy_elos": list(self.policy_elos),
            "current_opponent": self.current_opponent,
            "opponent": _copy_state(self.opponent),
            "teams": list(self.teams),
            "learning_team": self.learning_team,
            "controller": self.controller.state_dict(),
            "ghost_step": self.ghost_step,
            "last_save": self.last_save,
            "last_swap": self.last_swap,
            "last_team_change": self.last_team_change,
            "rng": self.ghost_rng.bit_generator.state,
        }
        return state

    def load_state_dict(self, state: dict[str, Any], *, weights_only: bool = False) -> None:
        """Restore a checkpoint; with ``weights_only`` the loaded policy becomes the first snapshot.

        Args:
            state: a checkpoint's contents.
            weights_only: load the networks only (``init_path``, ``--initialize-from``).

        Raises:
            TrainError: the checkpoint does not fit (see ``Trainer.load_state_dict``).

        """
        self.inner.load_state_dict(state, weights_only=weights_only)
        ghost = state.get(STATE_KEY)
        if weights_only or ghost is None:
            # A fresh self-play history starting from the loaded policy.
            self.snapshots, self.snapshot_counter = [], 0
            self.policy_elos = [float(self.sp.initial_elo)] * (int(self.sp.window) + 1)
            self._save_snapshot()
            self.current_opponent = 0
            self.opponent.load_state_dict(self.snapshots[0])
            return
        try:
            self.snapshots = list(ghost["snapshots"])
            self.snapshot_counter = int(ghost["snapshot_counter"]) % int(self.sp.window)
            self.snapshots = self.snapshots[: int(self.sp.window)]
            elos = [float(e) for e in ghost["policy_elos"]]
            if len(elos) != int(self.sp.window) + 1:
                raise ValueError(f"{len(elos) - 1} ratings for a window of {self.sp.window}")
            self.policy_elos = elos
            self.current_opponent = int(ghost["current_opponent"])
            self.opponent.load_state_dict(ghost["opponent"])
            if ghost["teams"]:
                self.learning_team = int(ghost["learning_team"])
                # older checkpoints hold the rotation of their one (symmetric) behavior inline
                rotation = ghost.get("controller") or {
                    "learning_team": ghost["learning_team"],
                    "team_queue": ghost["team_queue"],
                }
                self.controller.load_state_dict(rotation)
                self._set_teams(tuple(int(t) for t in ghost["teams"]))
            self.ghost_step = int(ghost["ghost_step"])
            self.last_save, self.last_swap = int(ghost["last_save"]), int(ghost["last_swap"])
            self.last_team_change = int(ghost["last_team_change"])
            self.ghost_rng.bit_generator.state = ghost["rng"]
        except (KeyError, RuntimeError, ValueError, TypeError) as exc:
            raise TrainError(
                f"checkpoint's self_play state does not match behavior '{self.signature.name}': {exc}"
            ) from exc
