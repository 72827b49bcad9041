"""Tiny VectorEnvs whose policy must read a visual or a variable-length observation (no vector hint)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from mlops_unity_pipeline.spaces import ActionSpec, ActionTuple, BehaviorSignature, ObservationSpec, StepBatch


class QuadrantImage:
    """One-step episodes: a ``(1, side, side)`` image has one lit quadrant; picking it (of 4 actions) pays +1.

    A wrong pick pays 0. Every decision ends the episode (terminated), so a random policy averages 0.25 and a
    policy that reads the image reaches 1. With ``vector`` a constant zero vector sensor follows the image
    (a mixed visual + vector behavior, carrying no information).
    """

    def __init__(
        self, num_agents: int = 8, *, side: int = 20, vector: bool = False, seed: int | None = 0
    ) -> None:
        specs = [ObservationSpec((1, side, side), "CameraSensor")]
        if vector:
            specs.append(ObservationSpec((3,)))
        self.signature = BehaviorSignature("Quadrant", tuple(specs), ActionSpec(0, (4,)))
        self.num_agents = num_agents
        self.side = side
        self.vector = vector
        self.rng = np.random.default_rng(seed)
        self.target = np.zeros(num_agents, int)

    def _obs(self) -> tuple[np.ndarray, ...]:
        n, half = self.num_agents, self.side // 2
        images = np.zeros((n, 1, self.side, self.side), np.float32)
        for i, q in enumerate(self.target):
            r, c = divmod(int(q), 2)
            images[i, 0, r * half : (r + 1) * half, c * half : (c + 1) * half] = 1.0
        return (images, np.zeros((n, 3), np.float32)) if self.vector else (images,)

    def _batch(self, reward: np.ndarray, done: np.ndarray, final: tuple[np.ndarray, ...]) -> StepBatch:
        return StepBatch(
            self._obs(),
            reward,
            done,
            np.zeros_like(done),
            final,
            np.ones((self.num_agents, 4), bool),
            reward > 0,
        )

    def reset(self, *, seed: int | None = None) -> StepBatch:
        if seed is not None:
            self.rng = np.random.default_rng(seed)
        self.target = self.rng.integers(0, 4, self.num_agents)
        obs = self._obs()
        return self._batch(np.zeros(self.num_agents, np.float32), np.zeros(self.num_agents, bool), obs)

    def step(self, actions: ActionTuple) -> StepBatch:
        reward = (actions.discrete[:, 0] == self.target).astype(np.float32)
        final = self._obs()
        self.target = self.rng.integers(0, 4, self.num_agents)
        return self._batch(reward, np.ones(self.num_agents, bool), final)

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        pass

    def close(self) -> None:
        pass


class LargestEntity:
    """One-step episodes over a variable-length observation: pick the slot of the largest entity.

    ``obs_0`` is ``(4, 3)``: 1 to 4 entities ``(value, 1, slot / 4)`` in random slots, the other slots
    all-zero padding; ``obs_1`` is a 2-float vector (noise). Picking the largest entity's slot (of 4
    actions) pays +1, anything else 0, so a random policy averages about 0.25 and only reading the entities
    does better.
    """

    def __init__(self, num_agents: int = 8, *, seed: int | None = 0) -> None:
        specs = (ObservationSpec((4, 3), "BufferSensor"), ObservationSpec((2,)))
        self.signature = BehaviorSignature("Largest", specs, ActionSpec(0, (4,)))
        self.num_agents = num_agents
        self.rng = np.random.default_rng(seed)

    def _new(self) -> tuple[np.ndarray, ...]:
        n = self.num_agents
        entities = np.zeros((n, 4, 3), np.float32)
        self.target = np.zeros(n, int)
        for i in range(n):
            slots = self.rng.permutation(4)[: self.rng.integers(1, 5)]
            values = self.rng.uniform(0.1, 1.0, len(slots))
            entities[i, slots, 0] = values
            entities[i, slots, 1] = 1.0
            entities[i, slots, 2] = slots / 4
            self.target[i] = slots[int(np.argmax(values))]
        return entities, self.rng.normal(size=(n, 2)).astype(np.float32)

    def _batch(self, obs, reward, done, final) -> StepBatch:
        return StepBatch(
            obs, reward, done, np.zeros_like(done), final, np.ones((self.num_agents, 4), bool), reward > 0
        )

    def reset(self, *, seed: int | None = None) -> StepBatch:
        if seed is not None:
            self.rng = np.random.default_rng(seed)
        obs = self._new()
        return self._batch(obs, np.zeros(self.num_agents, np.float32), np.zeros(self.num_agents, bool), obs)

    def step(self, actions: ActionTuple) -> StepBatch:
        reward = (actions.discrete[:, 0] == self.target).astype(np.float32)
        final = (np.zeros((self.num_agents, 4, 3), np.float32), np.zeros((self.num_agents, 2), np.float32))
        return self._batch(self._new(), reward, np.ones(self.num_agents, bool), final)

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        pass

    def close(self) -> None:
        pass
