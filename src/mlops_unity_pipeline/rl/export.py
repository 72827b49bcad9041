"""ONNX export of a trained actor in ML-Agents' model format, loadable by Unity.

Upstream's exporter is ``ml-agents/mlagents/trainers/torch_entities/model_serialization.py``.

The graph takes ``obs_0 … obs_{n-1}`` (and ``action_masks`` for discrete actions) with a dynamic ``batch``
axis and returns, in ML-Agents' order: ``version_number`` (3), ``memory_size`` (0), then for continuous
actions
``continuous_actions`` (a stochastic sample), ``continuous_action_output_shape`` and
``deterministic_continuous_actions``, then for discrete actions ``discrete_actions``,
``discrete_action_output_shape`` and ``deterministic_discrete_actions``. Observation normalization is part of
the graph. A recurrent policy (``network_settings.memory``) also takes ``recurrent_in``
``[batch, 1, memory_size]`` and returns ``recurrent_out`` last, with ``memory_size`` set to its length and the
ONNX ``LSTM`` op, as upstream's ``Hallway.onnx`` declares them (its ``recurrent_out`` declares no batch axis,
only the traced ``[1, 1, m]``).
Exported with the TorchScript exporter (``dynamo=False``) at ONNX opset 9, ML-Agents' own opset.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import torch
from torch import nn

from ..errors import ExportError
from ..spaces import BehaviorSignature
from .distributions import CONTINUOUS_CLIP
from .networks import Actor

OPSET_VERSION = 9
"""ML-Agents' opset (``SerializationSettings.onnx_opset``); torch 2.13's TorchScript exporter writes it."""
MODEL_EXPORT_VERSION = 3
"""``version_number`` of ML-Agents 2.x+ models (C# ``ModelApiVersion.MLAgents2_0``)."""


class TensorNames:
    """Input and output tensor names of an ML-Agents model (``TensorNames`` in ML-Agents' C# and Python)."""

    BATCH_AXIS = "batch"
    ACTION_MASKS = "action_masks"
    RECURRENT_INPUT = "recurrent_in"
    RECURRENT_OUTPUT = "recurrent_out"
    VERSION_NUMBER = "version_number"
    MEMORY_SIZE = "memory_size"
    CONTINUOUS_ACTIONS = "continuous_actions"
    CONTINUOUS_ACTION_OUTPUT_SHAPE = "continuous_action_output_shape"
    DETERMINISTIC_CONTINUOUS_ACTIONS = "deterministic_continuous_actions"
    DISCRETE_ACTIONS = "discrete_actions"
    DISCRETE_ACTION_OUTPUT_SHAPE = "discrete_action_output_shape"
    DETERMINISTIC_DISCRETE_ACTIONS = "deterministic_discrete_actions"

    @staticmethod
    def observation(index: int) -> str:
        """Name of the ``index``-th observation input (``obs_0``, ``obs_1`` …)."""
        return f"obs_{index}"

    @classmethod
    def inputs(cls, signature: BehaviorSignature, memory_size: int = 0) -> list[str]:
        """Input names, in order, for a behavior (``recurrent_in`` last when it has memory)."""
        names = [cls.observation(i) for i in range(len(signature.observation_specs))]
        if signature.action_spec.is_discrete:
            names.append(cls.ACTION_MASKS)
        if memory_size:
            names.append(cls.RECURRENT_INPUT)
        return names

    @classmethod
    def outputs(cls, signature: BehaviorSignature, memory_size: int = 0) -> list[str]:
        """Output names, in ML-Agents' order, for a behavior (``recurrent_out`` last when it has memory)."""
        names = [cls.VERSION_NUMBER, cls.MEMORY_SIZE]
        if signature.action_spec.is_continuous:
            names += [
                cls.CONTINUOUS_ACTIONS,
                cls.CONTINUOUS_ACTION_OUTPUT_SHAPE,
                cls.DETERMINISTIC_CONTINUOUS_ACTIONS,
            ]
        if signature.action_spec.is_discrete:
            names += [
                cls.DISCRETE_ACTIONS,
                cls.DISCRETE_ACTION_OUTPUT_SHAPE,
                cls.DETERMINISTIC_DISCRETE_ACTIONS,
            ]
        if memory_size:
            names.append(cls.RECURRENT_OUTPUT)
        return names

    @classmethod
    def batch_outputs(cls) -> tuple[str, ...]:
        """Return the outputs whose first axis is the batch."""
        return (
            cls.CONTINUOUS_ACTIONS,
            cls.DETERMINISTIC_CONTINUOUS_ACTIONS,
            cls.DISCRETE_ACTIONS,
            cls.DETERMINISTIC_DISCRETE_ACTIONS,
        )


class OnnxExportPolicy(nn.Module):
    """Wraps an ``Actor`` with ML-Agents' export signature (SB3's export recipe, ML-Agents' tensor contract).

    ``forward(*inputs)`` returns the tuple of outputs named by ``TensorNames.outputs(signature)``. Continuous
    PPO
    actions are ``clamp(x, -3, 3) / 3`` (what the trainer sends to the environment); SAC actions are already
    tanh-squashed. Discrete actions are sampled per branch from the masked softmax (``Multinomial``) and the
    deterministic twin is the argmax.

    Args:
        actor: the trained policy (its normalizer, if any, is baked in).
        signature: the behavior (observation shapes, action spec).

    """

    def __init__(self, actor: Actor, signature: BehaviorSignature) -> None:
        super().__init__()
        self.actor = actor
        self.signature = signature
        spec = signature.action_spec
        self.register_buffer("version_number", torch.tensor([float(MODEL_EXPORT_VERSION)]))
        self.register_buffer("memory_size", torch.tensor([float(actor.memory_size)]))
        self.register_buffer("continuous_shape", torch.tensor([float(spec.continuous_size)]))
        self.register_buffer("discrete_shape", torch.tensor([[float(b) for b in spec.discrete_branches]]))

    def forward(self, *inputs: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """Run the policy the way Unity's inference engine calls it.

        Args:
            *inputs: ``obs_0 … obs_{n-1}`` (each ``(batch, *shape)``), then ``action_masks`` when discrete,
                then ``recurrent_in`` ``(batch, 1, memory_size)`` when the policy has memory.

        Returns:
            The outputs in ``TensorNames.outputs`` order.

        """
        n_obs = len(self.signature.observation_specs)
        specs = self.signature.observation_specs
        if n_obs == 1 and len(specs[0].shape) == 1:
            obs = inputs[0]
        else:  # several sensors (or one of rank > 1): flatten and concatenate in sensor order, as in training
            obs = torch.cat([o.reshape(o.shape[0], -1) for o in inputs[:n_obs]], dim=1)
        mask = inputs[n_obs] if self.signature.action_spec.is_discrete else None
        memory_out: torch.Tensor | None = None
        if self.actor.memory is not None:
            memories = inputs[-1].reshape(obs.shape[0], self.actor.memory_size)
            mean, log_std, branch_lp, new = self.actor.recurrent_heads(obs, mask, memories, 1)
            memory_out = None if new is None else new.reshape(obs.shape[0], 1, self.actor.memory_size)
        else:
            mean, log_std, branch_lp = self.actor.heads(obs, mask)
        outputs: list[torch.Tensor] = [self.version_number, self.memory_size]
        if mean is not None and log_std is not None:
            sample = mean + torch.randn_like(mean) * torch.exp(log_std)
            if self.actor.tanh_squash:
                stochastic, deterministic = torch.tanh(sample), torch.tanh(mean)
            else:
                clip = CONTINUOUS_CLIP
                stochastic = torch.clamp(sample, -clip, clip) / clip
                deterministic = torch.clamp(mean, -clip, clip) / clip
            outputs += [stochastic, self.continuous_shape, deterministic]
        if branch_lp:
            sampled = torch.cat([torch.multinomial(torch.exp(lp), 1) for lp in branch_lp], dim=1)
            greedy = torch.cat([torch.argmax(lp, dim=1, keepdim=True) for lp in branch_lp], dim=1)
            outputs += [sampled.long(), self.discrete_shape, greedy.long()]
        if memory_out is not None:
            outputs.append(memory_out)
        return tuple(outputs)

    def dummy_inputs(self, batch: int = 1) -> tuple[torch.Tensor, ...]:
        """Zero observations (and all-ones masks) shaped for this behavior."""
        dummies = [torch.zeros(batch, *spec.shape) for spec in self.signature.observation_specs]
        if self.signature.action_spec.is_discrete:
            dummies.append(torch.ones(batch, self.signature.action_spec.mask_size))
        if self.actor.memory_size:
            dummies.append(torch.zeros(batch, 1, self.actor.memory_size))
        return tuple(dummies)


def export_policy(actor: Actor, signature: BehaviorSignature, path: Path | str) -> Path:
    """Write ``actor`` as an ML-Agents-format ONNX model (atomically: a temp file, then ``os.replace``).

    Args:
        actor: the policy to export.
        signature: the behavior it acts for.
        path: destination ``.onnx`` file.

    Returns:
        The written path.

    Raises:
        ExportError: the exporter or the ONNX checker failed.

    """
    import onnx  # heavy: only needed when exporting

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    policy = OnnxExportPolicy(actor, signature).eval()
    inputs = TensorNames.inputs(signature, actor.memory_size)
    outputs = TensorNames.outputs(signature, actor.memory_size)
    dynamic_axes = {name: {0: TensorNames.BATCH_AXIS} for name in inputs}
    dynamic_axes.update(
        {name: {0: TensorNames.BATCH_AXIS} for name in outputs if name in TensorNames.batch_outputs()}
    )
    was_training = actor.training
    try:
        with warnings.catch_warnings():
            # The TorchScript exporter is the one that still writes opset 9; its deprecation notice is
            # expected.
            warnings.simplefilter("ignore")
            with torch.no_grad():
                torch.onnx.export(
                    policy,
                    policy.dummy_inputs(),
                    str(tmp),
                    opset_version=OPSET_VERSION,
                    input_names=inputs,
                    output_names=outputs,
                    dynamic_axes=dynamic_axes,
                    dynamo=False,
                    do_constant_folding=True,
                )
        if actor.memory_size:
            _declare_upstream_recurrent_out(tmp, actor.memory_size)
        onnx.checker.check_model(onnx.load(str(tmp)))
        os.replace(tmp, path)
    except Exception as exc:  # noqa: BLE001 - the exporter raises many types; translate at the boundary
        tmp.unlink(missing_ok=True)
        raise ExportError(f"exporting behavior '{signature.name}' to {path} failed: {exc}") from exc
    finally:
        actor.train(was_training)
    return path


def _declare_upstream_recurrent_out(path: Path, memory_size: int) -> None:
    """Declare ``recurrent_out`` as ``[1, 1, memory_size]``, the shape upstream's recurrent models declare.

    Upstream's exporter gives ``recurrent_out`` no dynamic axis, so its traced shape ``[1, 1, m]`` is what
    ``Hallway.onnx`` declares (``/work/shared/anchors/mlagents/models/Hallway.onnx``); at run time it is
    ``[batch, 1, m]`` in both. Consumers (Unity's inference engine, ``sim/onnx_policy.py``) read it by name.
    """
    import onnx  # heavy

    model = onnx.load(str(path))
    for output in model.graph.output:
        if output.name == TensorNames.RECURRENT_OUTPUT:
            dims = output.type.tensor_type.shape.dim
            for dim, value in zip(dims, (1, 1, memory_size), strict=True):
                dim.Clear()
                dim.dim_value = value
    onnx.save(model, str(path))
