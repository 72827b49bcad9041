"""Distributed rollouts: one training run's environments as Ray actors on any node, the learner here.

``RayVectorEnv`` is a ``VectorEnv`` whose agents live in ``num_actors`` actors (``--num-envs`` semantics: one
actor per environment instance, each with its areas and agents, placed by Ray anywhere in the cluster). A
step sends every actor its slice of the actions at once and gathers the results, so the actors simulate in
parallel while the learner (the trainer, on the driver) waits; with a Unity player factory each actor
launches and owns its player (the factory runs inside the actor).

Failure: an actor whose process or node dies is restarted by Ray (``max_restarts``); its agents restart from
a fresh episode, and their open trajectories are reported by ``pop_lost_agents`` so the trainer drops them —
a lost rollout fragment is never half used.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..errors import SpecError, TrainError
from ..spaces import ActionTuple, StepBatch
from .ray_runtime import connect, node_name

log = logging.getLogger(__name__)

RESTART_TIMEOUT_S = 120.0
"""How long the learner waits for Ray to bring a dead environment actor back (a new node may be starting)."""


class _EnvActor:
    """One environment instance inside a Ray actor.

    Every construction draws a new ``incarnation``: calls queued while Ray restarted the actor reach a fresh
    environment, and the driver tells that apart from the one it was stepping by this id (a restarted actor
    does not raise on such calls, it just answers from a new, unreset environment).
    """

    def __init__(self, factory: Any, num_agents: int, seed: int | None, index: int) -> None:
        # A factory with ``for_actor(i)`` gives each actor its own variant (e.g. its players' log folder).
        make = factory.for_actor(index) if hasattr(factory, "for_actor") else factory
        self.env = make(num_agents, seed)
        self.incarnation = uuid.uuid4().hex
        self.ready = False

    def signature(self) -> tuple[str, Any, int]:
        return self.incarnation, self.env.signature, int(self.env.num_agents)

    def node(self) -> str:
        return node_name()

    def reset(self, seed: int | None) -> tuple[str, StepBatch]:
        self.ready = True
        return self.incarnation, self.env.reset(seed=seed)

    def step(self, actions: ActionTuple) -> tuple[str, StepBatch | None]:
        if not self.ready:  # restarted and never reset: the driver resets it
            return self.incarnation, None
        return self.incarnation, self.env.step(actions)

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        self.env.set_env_parameters(params)

    def close(self) -> None:
        self.env.close()


def split_agents(num_agents: int, num_actors: int) -> list[slice]:
    """Split ``num_agents`` into ``num_actors`` contiguous slices whose sizes differ by at most one.

    Raises:
        SpecError: when there are fewer agents than actors.

    """
    if num_actors < 1 or num_agents < num_actors:
        raise SpecError(
            f"num_envs: {num_actors} environment actors need at least as many agents, got {num_agents}"
        )
    base, extra = divmod(num_agents, num_actors)
    out, start = [], 0
    for i in range(num_actors):
        size = base + (1 if i < extra else 0)
        out.append(slice(start, start + size))
        start += size
    return out


GROUP_ID_STRIDE = 1 << 20
"""Group ids of actor ``k`` are shifted by ``k`` times this (an actor's own ids stay below it)."""


def concat_batches(parts: Sequence[StepBatch]) -> StepBatch:
    """Concatenate the actors' batches along the agent axis (in actor order).

    Multi-agent groups stay apart: each actor numbers its groups from 1, so actor ``k``'s non-zero group ids
    become ``id + k * GROUP_ID_STRIDE`` (stable from step to step; group 0, no group, stays 0).
    """
    masks = [p.action_mask for p in parts]
    group_id = group_reward = None
    if any(p.group_id is not None for p in parts):
        ids, rewards = [], []
        for index, p in enumerate(parts):
            own = (
                np.zeros(len(p.reward), np.int32) if p.group_id is None else np.asarray(p.group_id, np.int32)
            )
            ids.append(np.where(own != 0, own + index * GROUP_ID_STRIDE, 0).astype(np.int32))
            rewards.append(np.zeros(len(p.reward), np.float32) if p.group_reward is None else p.group_reward)
        group_id, group_reward = np.concatenate(ids), np.concatenate(rewards).astype(np.float32)
    return StepBatch(
        obs=tuple(np.concatenate(arrays) for arrays in zip(*(p.obs for p in parts), strict=True)),
        reward=np.concatenate([p.reward for p in parts]),
        terminated=np.concatenate([p.terminated for p in parts]),
        truncated=np.concatenate([p.truncated for p in parts]),
        final_obs=tuple(np.concatenate(arrays) for arrays in zip(*(p.final_obs for p in parts), strict=True)),
        action_mask=None if any(m is None for m in masks) else np.concatenate(masks),
        success=np.concatenate([p.success for p in parts]),
        group_id=group_id,
        group_reward=group_reward,
    )


class RayVectorEnv:
    """A ``VectorEnv`` over ``num_actors`` Ray actors, each holding a slice of the agents.

    Args:
        factory: ``factory(num_agents, seed) -> VectorEnv`` (picklable: it runs inside each actor); when it
            has ``for_actor(i)``, actor ``i`` uses the factory that returns.
        num_agents: agents in total.
        seed: base seed; actor ``i`` gets ``seed + i`` (None: unseeded).
        num_actors: environment instances (``--num-envs``).
        options: extra keyword arguments of the actors' ``.options(...)`` (``num_cpus``, ``resources`` …).
        max_restarts: restarts of each actor after its process or node died; then training fails.

    Raises:
        MissingExtraError: without Ray.
        SpecError: fewer agents than actors, or actors disagreeing on the behavior.

    """

    def __init__(
        self,
        factory: Any,
        num_agents: int,
        seed: int | None,
        *,
        num_actors: int,
        options: Mapping[str, Any] | None = None,
        max_restarts: int = 3,
    ) -> None:
        self.ray = connect()
        self.slices = split_agents(num_agents, num_actors)
        self.num_agents = num_agents
        self.seed = seed
        self.max_restarts = max_restarts
        opts = {"num_cpus": 1, **dict(options or {})}
        remote = self.ray.remote(_EnvActor).options(max_restarts=max_restarts, max_task_retries=0, **opts)
        self.actors = [
            remote.remote(factory, s.stop - s.start, None if seed is None else seed + i, i)
            for i, s in enumerate(self.slices)
        ]
        answers = self.ray.get([a.signature.remote() for a in self.actors])
        self._incarnations = [inc for inc, _, _ in answers]
        signatures = [sig for _, sig, _ in answers]
        if any(s != signatures[0] for s in signatures[1:]):
            raise SpecError("environment actors disagree on the behavior signature")
        self.signature = signatures[0]
        # Players decide how many agents they host (their scene and areas): the slices follow the actors.
        sizes = [n for _, _, n in answers]
        starts = np.cumsum([0, *sizes])
        self.slices = [slice(int(starts[i]), int(starts[i + 1])) for i in range(len(sizes))]
        self.num_agents = int(starts[-1])
        self.restarts = 0
        self._lost: list[int] = []
        self._params: dict[str, float] | None = None
        self._episode_seed = seed

    def nodes(self) -> list[str]:
        """Return where each actor runs (host and Ray node id)."""
        return list(self.ray.get([a.node.remote() for a in self.actors]))

    def reset(self, *, seed: int | None = None) -> StepBatch:
        """Reset every actor (actor ``i`` with ``seed + i``)."""
        self._episode_seed = seed
        refs = [a.reset.remote(None if seed is None else seed + i) for i, a in enumerate(self.actors)]
        self._lost.clear()
        answers = self.ray.get(refs)
        self._incarnations = [inc for inc, _ in answers]
        return concat_batches([batch for _, batch in answers])

    def step(self, actions: ActionTuple) -> StepBatch:
        """Step all actors in parallel; a dead actor is restarted and its agents start a fresh episode."""
        refs = [
            a.step.remote(ActionTuple(actions.continuous[s], actions.discrete[s]))
            for a, s in zip(self.actors, self.slices, strict=True)
        ]
        try:
            answers = self.ray.get(refs)  # one round trip for all actors (the common case)
        except self.ray.exceptions.RayActorError:
            answers = [None] * len(refs)  # an actor died: sort the answers out one by one below
        parts = []
        for i, ref in enumerate(refs):
            try:
                incarnation, batch = answers[i] if answers[i] is not None else self.ray.get(ref)
            except self.ray.exceptions.RayActorError as exc:  # died while this step was in flight
                parts.append(self._recover(i, f"{type(exc).__name__}"))
                continue
            if batch is None or incarnation != self._incarnations[i]:  # restarted between two steps
                parts.append(self._recover(i, "restarted by Ray"))
                continue
            parts.append(batch)
        return concat_batches(parts)

    def _recover(self, i: int, why: str) -> StepBatch:
        """Wait for Ray to restart actor ``i``, reset it, and mark its agents' fragments as lost."""
        self.restarts += 1
        log.warning("environment actor %d died (%s); its rollout fragment is dropped", i, why)
        actor = self.actors[i]
        seed = None if self.seed is None else self.seed + 1000 * self.restarts + i
        errors = self.ray.exceptions
        deadline = time.monotonic() + RESTART_TIMEOUT_S
        while True:
            try:
                if self._params is not None:
                    self.ray.get(actor.set_env_parameters.remote(self._params))
                self._incarnations[i], batch = self.ray.get(actor.reset.remote(seed))
                break
            except errors.ActorDiedError as dead:  # out of restarts: the run cannot go on with fewer envs
                raise TrainError(
                    f"environment actor {i} died and was restarted {self.max_restarts} time(s) already "
                    f"(max_restarts): {type(dead).__name__}"
                ) from dead
            except errors.RayActorError as again:  # ActorUnavailableError: Ray is restarting it
                if time.monotonic() > deadline:
                    raise TrainError(
                        f"environment actor {i} did not come back within {RESTART_TIMEOUT_S:.0f} s"
                    ) from again
                time.sleep(0.5)
        self._lost.extend(range(self.slices[i].start, self.slices[i].stop))
        return batch

    def pop_lost_agents(self) -> np.ndarray:
        """Return (and forget) the agents whose environment restarted since the last call."""
        lost, self._lost = np.asarray(sorted(set(self._lost)), np.int64), []
        return lost

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        """Set environment parameters on every actor (kept for restarted actors)."""
        self._params = dict(params)
        self.ray.get([a.set_env_parameters.remote(self._params) for a in self.actors])

    def close(self) -> None:
        """Close the environments and end the actors."""
        for actor in self.actors:
            try:
                self.ray.get(actor.close.remote(), timeout=30)
            except Exception:  # noqa: BLE001 - a dead or hung actor is killed below anyway
                pass
            self.ray.kill(actor)


def ray_env_factory(
    factory: Any, num_actors: int, *, options: Mapping[str, Any] | None = None, max_restarts: int = 3
) -> Any:
    """Wrap an environment factory so that ``learn`` gets a ``RayVectorEnv`` of ``num_actors`` actors.

    Args:
        factory: the local factory (simulator task, behavior spec's ``make_env`` or a player factory).
        num_actors: environment instances (``--num-envs``).
        options: the actors' Ray options (``num_cpus``, ``num_gpus``, ``resources``).
        max_restarts: restarts of each actor.

    Returns:
        ``factory(num_agents, seed) -> RayVectorEnv``.

    """

    def make(num_agents: int, seed: int | None) -> RayVectorEnv:
        return RayVectorEnv(
            factory, num_agents, seed, num_actors=num_actors, options=options, max_restarts=max_restarts
        )

    return make
