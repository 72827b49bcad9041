"""Offline pretraining from demonstrations into a checkpoint the online trainer starts from (``init_path``).

``pretrain`` builds exactly the networks the configured trainer builds (``ppo.make_networks`` or
``sac.make_networks``), fills their observation normalizers with the demonstrations' statistics, trains the
policy with behavioral cloning (``bc.fit_bc``) or IQL (``iql.IQL``), and writes:

- ``<out_dir>/pretrained.pt``: the trainer's checkpoint format (``"Policy"``, and for PPO ``"Critic"``), which
  ``TrainerSettings.init_path`` / ``--initialize-from`` load (``Trainer.load_state_dict(weights_only=True)``);
- ``<out_dir>/<Behavior>.onnx``: the pretrained policy in ML-Agents' ONNX format (``export.export_policy``);
- ``<out_dir>/pretrain.json``: algorithm, figures and the sha256 of every demonstration file.

For PPO the critic is pretrained too: IQL's value network, or for BC an in-sample evaluation of the
demonstrator (IQL's value and Q losses with expectile 0.5). A fine-tuning run then starts with value estimates
that fit the returns its first rollouts will see, instead of random ones whose gradients shake the policy.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

import torch

from ...errors import ConfigError
from ...spaces import BehaviorSignature
from ..checkpoint import atomic_torch_save
from ..config import RewardSignalType
from ..export import export_policy
from ..networks import Actor, Critic
from ..ppo import make_networks
from ..sac import make_networks as make_sac_networks
from .bc import fit_bc
from .data import Transitions, demo_sha256, load_transitions
from .iql import IQL, IQLConfig
from .rlpd import DEMO_REPLAY_KEY, demo_state

PRETRAINED_CHECKPOINT = "pretrained.pt"
"""File name of the pretrained checkpoint inside ``out_dir``."""


class OfflineAlgorithm(str, Enum):
    """How the policy learns from the demonstrations."""

    BC = "bc"
    """Behavioral cloning: imitate the demonstrated actions."""
    IQL = "iql"
    """Implicit Q-learning: advantage-weighted imitation using the recorded rewards."""


@dataclass(frozen=True)
class PretrainConfig:
    """Offline pretraining settings."""

    algorithm: OfflineAlgorithm = OfflineAlgorithm.BC
    """``bc`` or ``iql``."""
    updates: int = 500
    """Gradient steps on the policy (and on the critics, for IQL). BC overfits small demonstrations: on
    Expert3DBall.demo (548 rows) 500 steps score 100 on 3DBall, 1000 steps 96, 2000 steps 83."""
    critic_updates: int = 500
    """BC only: steps of in-sample value fitting for a PPO critic (0 = leave the critic untrained)."""
    batch_size: int = 256
    """Minibatch size."""
    learning_rate: float = 3.0e-4
    """Adam learning rate."""
    iql: IQLConfig = field(default_factory=IQLConfig)
    """IQL hyperparameters (``batch_size`` and ``learning_rate`` above take precedence)."""
    seed: int = 0
    """Seeds torch for initialization and minibatches."""
    keep_demonstrations: bool = False
    """Store the demonstration rows in ``pretrained.pt`` so that SAC fine-tuning keeps them in its replay and
    draws half of every minibatch from them (RLPD, ``offline/rlpd.py``): the workflow for *imperfect*
    demonstrations (docs/offline_rl.md). SAC only: PPO has no replay."""

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "algorithm", OfflineAlgorithm(self.algorithm))
        except ValueError as exc:
            raise ConfigError(f"pretrain.algorithm: expected one of bc, iql, got {self.algorithm!r}") from exc
        for name in ("updates", "critic_updates"):
            if int(getattr(self, name)) < 0:
                raise ConfigError(f"pretrain.{name}: must be >= 0, got {getattr(self, name)!r}")
        if self.batch_size < 1:
            raise ConfigError(f"pretrain.batch_size: must be >= 1, got {self.batch_size!r}")
        if self.learning_rate <= 0:
            raise ConfigError(f"pretrain.learning_rate: must be > 0, got {self.learning_rate!r}")


@dataclass(frozen=True)
class PretrainResult:
    """What ``pretrain`` wrote."""

    checkpoint_path: Path
    """``pretrained.pt`` (use as ``init_path``)."""
    onnx_path: Path
    """The pretrained policy as ML-Agents ONNX."""
    algorithm: OfflineAlgorithm
    """The algorithm used."""
    transitions: int
    """Demonstration rows learned from."""
    demonstrations: dict[str, str]
    """sha256 of every demonstration file, by path."""
    final_loss: float | None
    """Mean policy loss over the last 100 steps (None without updates)."""
    wall_seconds: float
    """Time taken."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping (also written to ``pretrain.json``)."""
        return {
            "checkpoint_path": str(self.checkpoint_path),
            "onnx_path": str(self.onnx_path),
            "algorithm": self.algorithm.value,
            "transitions": self.transitions,
            "demonstrations": dict(self.demonstrations),
            "final_loss": self.final_loss,
            "wall_seconds": self.wall_seconds,
        }


def _trainer_kind(settings: Any) -> str:
    return str(getattr(settings.trainer_type, "value", settings.trainer_type))


def build_networks(signature: BehaviorSignature, settings: Any) -> tuple[Actor, Critic | None]:
    """Build the actor (and PPO's separate critic) exactly as the configured online trainer does.

    Args:
        signature: the behavior.
        settings: its ``TrainerSettings``.

    Returns:
        ``(actor, critic)``; ``critic`` is None for SAC and for PPO with ``shared_critic``.

    Raises:
        ConfigError: a trainer type other than ppo or sac.

    """
    kind = _trainer_kind(settings)
    if kind == "ppo":
        actor, critic = make_networks(signature, settings)
        return actor, critic if type(critic) is Critic else None
    if kind == "sac":
        return make_sac_networks(signature, settings)[0], None
    raise ConfigError(
        f"behavior '{signature.name}': offline pretraining initializes ppo or sac, not '{kind}'"
    )


def _fill_normalizers(data: Transitions, *modules: torch.nn.Module | None) -> None:
    # The demonstrations are the only data seen so far: their statistics are the running statistics.
    for module in modules:
        norm = getattr(module, "normalizer", None) if module is not None else None
        if norm is not None:
            norm.update(data.obs)


def _gamma(settings: Any) -> float:
    extrinsic = settings.reward_signals.get(RewardSignalType.EXTRINSIC)
    return 0.99 if extrinsic is None else float(extrinsic.gamma)


def pretrain(
    signature: BehaviorSignature,
    settings: Any,
    demo_path: str | Path | Transitions,
    out_dir: Path | str,
    *,
    config: PretrainConfig | None = None,
) -> PretrainResult:
    """Pretrain a policy (and PPO critic) offline and write a checkpoint usable as ``init_path``.

    Args:
        signature: the behavior (demonstrations are matched on its observation shapes and action spec).
        settings: its ``TrainerSettings`` (trainer type, network settings, extrinsic gamma).
        demo_path: a ``.demo`` file, a folder of them, or already-loaded ``Transitions``.
        out_dir: folder for ``pretrained.pt``, the ONNX model and ``pretrain.json``.
        config: pretraining settings (defaults: BC, 500 steps).

    Returns:
        The paths and figures.

    Raises:
        DemoFormatError: unreadable demonstrations or a spec mismatch (both specs shown).
        ConfigError: a trainer type that cannot be initialized.
        ExportError: the ONNX export failed.

    """
    config = config or PretrainConfig()
    if config.keep_demonstrations and _trainer_kind(settings) != "sac":
        raise ConfigError(
            f"pretrain.keep_demonstrations: demonstrations kept in replay need trainer_type sac, "
            f"behavior '{signature.name}' has '{_trainer_kind(settings)}' (PPO has no replay)"
        )
    started = time.time()
    torch.manual_seed(config.seed)
    generator = torch.Generator().manual_seed(config.seed)
    data = demo_path if isinstance(demo_path, Transitions) else load_transitions(demo_path, signature)
    hashes: dict[str, str] = {}
    for file in data.files:
        hashes.update(demo_sha256(file))
    actor, critic = build_networks(signature, settings)
    net = settings.network_settings
    value = (
        critic
        if critic is not None
        else Critic(actor.obs_size, net.hidden_units, net.num_layers, net.normalize)
    )
    _fill_normalizers(data, actor, value)
    iql_config = IQLConfig(
        expectile=config.iql.expectile if config.algorithm is OfflineAlgorithm.IQL else 0.5,
        temperature=config.iql.temperature,
        max_weight=config.iql.max_weight,
        tau=config.iql.tau,
        learning_rate=config.learning_rate,
        batch_size=config.batch_size,
    )
    learner = IQL(
        actor,
        value,
        gamma=_gamma(settings),
        hidden_units=net.hidden_units,
        num_layers=net.num_layers,
        config=iql_config,
    )
    losses: list[float] = []
    if config.algorithm is OfflineAlgorithm.IQL:
        losses = [s["policy_loss"] for s in learner.fit(data, config.updates, generator)]
    else:
        losses = fit_bc(
            actor,
            data,
            updates=config.updates,
            batch_size=config.batch_size,
            learning_rate=config.learning_rate,
            generator=generator,
        )
        if critic is not None and config.critic_updates > 0:
            learner.fit(data, config.critic_updates, generator, policy=False)
    out = Path(out_dir)
    state: dict[str, Any] = {
        "Policy": actor.state_dict(),
        "global_step": 0,
        "algorithm": f"offline-{config.algorithm.value}",
    }
    if critic is not None:
        state["Critic"] = critic.state_dict()
    if config.keep_demonstrations:
        state[DEMO_REPLAY_KEY] = demo_state(data)
    checkpoint = atomic_torch_save(state, out / PRETRAINED_CHECKPOINT)
    onnx_path = export_policy(actor, signature, out / f"{signature.name}.onnx")
    tail = losses[-100:]
    result = PretrainResult(
        checkpoint_path=checkpoint,
        onnx_path=onnx_path,
        algorithm=config.algorithm,
        transitions=len(data),
        demonstrations=hashes,
        final_loss=sum(tail) / len(tail) if tail else None,
        wall_seconds=time.time() - started,
    )
    (out / "pretrain.json").write_text(json.dumps(result.to_dict(), indent=2))
    return result
