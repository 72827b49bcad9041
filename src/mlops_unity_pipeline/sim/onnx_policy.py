"""Run an ML-Agents-format ONNX model on simulator batches with onnxruntime (``OnnxRuntimePolicy``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import SpecError
from ..spaces import ActionSpec, ActionTuple, BehaviorSignature, ObservationSpec, StepBatch

_CONTINUOUS = "continuous_actions"
_DETERMINISTIC_CONTINUOUS = "deterministic_continuous_actions"
_DISCRETE = "discrete_actions"
_DETERMINISTIC_DISCRETE = "deterministic_discrete_actions"
_DISCRETE_SHAPE = "discrete_action_output_shape"
_MASKS = "action_masks"
_MEMORY_IN = "recurrent_in"
_MEMORY_OUT = "recurrent_out"
_MAX_SIZE = 1_000_000  # largest observation/action/memory size read from a model (bounds what we allocate)


class OnnxRuntimePolicy:
    """A ``Policy`` backed by an ML-Agents ONNX model (``obs_i`` inputs, optional ``action_masks``).

    Observation normalization lives inside upstream graphs, so raw observations are fed. With
    ``deterministic=True`` the ``deterministic_*`` outputs are used where the model has them (older exports
    have only the sampled outputs, drawn by the graph's own ``Multinomial``; ``sample_seed`` seeds it so a
    run is reproducible). Models with memory (``recurrent_in``, an LSTM's state) keep one state row per
    agent, carried from decision to decision and zeroed when the agent's episode ends, as ML-Agents'
    ``RecurrentInputGenerator`` drops the memory of an agent whose info is ``done`` (``com.unity.ml-agents``
    3.0.0, ``Runtime/Inference/GeneratorImpl.cs``; ``MemoryOutputApplier`` in ``ApplierImpl.cs`` stores
    ``recurrent_out`` per agent).

    Attributes:
        path: the model file.
        signature: the behavior the model was checked against (or the one read from the model).
        deterministic: whether the deterministic outputs are used.

    """

    def __init__(
        self,
        path: Path | str,
        signature: BehaviorSignature | None = None,
        deterministic: bool = True,
        *,
        sample_seed: int | None = 0,
    ) -> None:
        """Load the model and check it against ``signature``.

        Args:
            path: ``.onnx`` file in ML-Agents format.
            signature: the behavior it must fit; None to accept the model's own.
            deterministic: use the ``deterministic_*`` outputs when present.
            sample_seed: seed of the sampling done inside the graph (the ``Multinomial`` of older exports);
                None leaves it unseeded (onnxruntime then draws a different sequence every run).

        Raises:
            SpecError: the file is not a readable ML-Agents model, or its inputs/outputs do not match.

        """
        import onnxruntime as ort  # heavy

        self.path = Path(path)
        if not self.path.is_file():
            raise SpecError(f"model file not found: {self.path}")
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # old exports declare fixed recurrent_out shapes; ORT warns per call
        try:
            source = _seeded_model(self.path, sample_seed)
            self._session = ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types for unreadable files
            raise SpecError(f"{self.path}: not a loadable ONNX model ({exc})") from exc
        self.deterministic = deterministic
        inputs = {i.name: i for i in self._session.get_inputs()}
        outputs = {o.name for o in self._session.get_outputs()}
        not_mlagents = "not an ML-Agents (model version 3) policy"
        odd = [n for n in inputs if n.startswith("obs_") and not n[4:].isdigit()]
        if odd:
            raise SpecError(f"{self.path}: input {odd[0]!r} is not named obs_<n>; {not_mlagents}")
        self._obs_names = sorted(
            (name for name in inputs if name.startswith("obs_")), key=lambda s: int(s[4:])
        )
        if not self._obs_names:
            raise SpecError(f"{self.path}: no obs_0 input; {not_mlagents}")
        obs_shapes = tuple(self._obs_shape(inputs[name], not_mlagents) for name in self._obs_names)
        if "continuous_action_output_shape" not in outputs and _DISCRETE_SHAPE not in outputs:
            raise SpecError(
                f"{self.path}: no continuous_action_output_shape or {_DISCRETE_SHAPE} output; {not_mlagents}"
            )
        constants = self._constants(outputs)
        continuous = self._sizes(constants, "continuous_action_output_shape", not_mlagents)
        model_spec = ActionSpec(
            continuous_size=continuous[0] if continuous else 0,
            discrete_branches=self._sizes(constants, _DISCRETE_SHAPE, not_mlagents),
        )
        self._has_masks = _MASKS in inputs
        memory = self._sizes(constants, "memory_size", not_mlagents) if _MEMORY_IN in inputs else ()
        self._memory_size = memory[0] if memory else 0
        self._memory: np.ndarray | None = None
        if signature is not None:
            expected = (
                tuple(o.shape for o in signature.observation_specs),
                signature.action_spec.continuous_size,
                signature.action_spec.discrete_branches,
            )
            got = (obs_shapes, model_spec.continuous_size, model_spec.discrete_branches)
            if expected != got:
                raise SpecError(
                    f"{self.path}: model does not match behavior '{signature.name}': expected observations "
                    f"{list(expected[0])}, continuous {expected[1]}, discrete branches {expected[2]}; got "
                    f"observations {list(got[0])}, continuous {got[1]}, discrete branches {got[2]}"
                )
            self.signature = signature
        else:
            self.signature = BehaviorSignature(
                self.path.stem, tuple(ObservationSpec(s) for s in obs_shapes), model_spec
            )
        spec = self.signature.action_spec
        self._continuous_out = (
            _DETERMINISTIC_CONTINUOUS
            if deterministic and _DETERMINISTIC_CONTINUOUS in outputs
            else _CONTINUOUS
        )
        self._discrete_out = (
            _DETERMINISTIC_DISCRETE if deterministic and _DETERMINISTIC_DISCRETE in outputs else _DISCRETE
        )
        self._fetch = []
        if spec.continuous_size:
            self._fetch.append(self._continuous_out)
        if spec.discrete_size:
            self._fetch.append(self._discrete_out)
        if self._memory_size:
            self._fetch.append(_MEMORY_OUT)
        missing = [name for name in self._fetch if name not in outputs]
        if missing:
            raise SpecError(f"{self.path}: missing outputs {missing}; has {sorted(outputs)}")

    def _obs_shape(self, value_info: object, not_mlagents: str) -> tuple[int, ...]:
        """Return the observation shape without the batch axis (every axis a fixed positive size)."""
        name, shape = getattr(value_info, "name", "?"), list(getattr(value_info, "shape", []) or [])
        dims = shape[1:]
        if not dims or not all(isinstance(d, int) and 0 < d <= _MAX_SIZE for d in dims):
            raise SpecError(
                f"{self.path}: input {name} has shape {shape}; an ML-Agents observation is [batch, fixed "
                f"positive sizes…]; {not_mlagents}"
            )
        return tuple(int(d) for d in dims)

    def _sizes(self, constants: dict[str, np.ndarray], name: str, not_mlagents: str) -> tuple[int, ...]:
        """Read a shape constant (action sizes, memory size): whole numbers in [0, 1e6], or a SpecError."""
        if name not in constants:
            return ()
        values = np.ravel(np.asarray(constants[name], dtype=np.float64))
        if not (np.all(np.isfinite(values)) and np.all(values == np.round(values))) or not np.all(
            (values >= 0) & (values <= _MAX_SIZE)
        ):
            raise SpecError(
                f"{self.path}: output {name} holds {values[:8].tolist()}, not sizes in [0, {_MAX_SIZE}]; "
                f"{not_mlagents}"
            )
        if name != _DISCRETE_SHAPE and values.size != 1:
            raise SpecError(
                f"{self.path}: output {name} holds {values.size} values, expected 1; {not_mlagents}"
            )
        return tuple(int(v) for v in values)

    def _constants(self, outputs: set[str]) -> dict[str, np.ndarray]:
        # The shape/version outputs are constants: run them once on a zero batch of one.
        names = [
            n
            for n in ("version_number", "memory_size", "continuous_action_output_shape", _DISCRETE_SHAPE)
            if n in outputs
        ]
        feed = {}
        for i in self._session.get_inputs():
            shape = [1 if not isinstance(d, int) else d for d in i.shape]
            feed[i.name] = (np.ones if i.name == _MASKS else np.zeros)(shape, dtype=np.float32)
        try:
            values = self._session.run(names, feed)
        except Exception as exc:  # onnxruntime errors: wrong input ranks or types
            raise SpecError(f"{self.path}: model cannot run on a zero input ({exc})") from exc
        return dict(zip(names, values, strict=True))

    def reset_memory(self) -> None:
        """Forget the recurrent state (start of an evaluation)."""
        self._memory = None

    def __call__(self, batch: StepBatch) -> ActionTuple:
        """Decide actions for every agent of ``batch``.

        Args:
            batch: one decision's batch from a simulator.

        Returns:
            Continuous actions (float32) and discrete branch indices (int32).

        """
        n = batch.reward.shape[0]
        feed: dict[str, np.ndarray] = {
            name: np.ascontiguousarray(obs, dtype=np.float32)
            for name, obs in zip(self._obs_names, batch.obs, strict=True)
        }
        spec = self.signature.action_spec
        if self._has_masks:
            mask = batch.action_mask
            feed[_MASKS] = (
                np.ones((n, spec.mask_size), dtype=np.float32) if mask is None else mask.astype(np.float32)
            )
        if self._memory_size:
            if self._memory is None or self._memory.shape[0] != n:
                self._memory = np.zeros((n, 1, self._memory_size), dtype=np.float32)
            ended = batch.terminated | batch.truncated
            self._memory[ended] = 0.0
            feed[_MEMORY_IN] = self._memory
        results = dict(zip(self._fetch, self._session.run(self._fetch, feed), strict=True))
        if self._memory_size:
            self._memory = results[_MEMORY_OUT].reshape(n, 1, self._memory_size).astype(np.float32)
        continuous = (
            results[self._continuous_out].astype(np.float32).reshape(n, spec.continuous_size)
            if spec.continuous_size
            else np.zeros((n, 0), dtype=np.float32)
        )
        discrete = (
            results[self._discrete_out].astype(np.int32).reshape(n, spec.discrete_size)
            if spec.discrete_size
            else np.zeros((n, 0), dtype=np.int32)
        )
        return ActionTuple(continuous, discrete)


def _seeded_model(path: Path, seed: int | None) -> str | bytes:
    """Return ``path``, or its bytes with every unseeded ``Multinomial`` seeded when ``seed`` is given.

    ONNX's ``Multinomial`` takes an optional float ``seed`` attribute; without it onnxruntime seeds the
    node randomly, so two evaluations of the same model differ.
    """
    if seed is None:
        return str(path)
    import onnx  # heavy

    model = onnx.load(str(path))
    nodes = [n for n in model.graph.node if n.op_type == "Multinomial"]
    if not nodes:
        return str(path)
    for node in nodes:
        if not any(a.name == "seed" for a in node.attribute):
            node.attribute.append(onnx.helper.make_attribute("seed", float(seed)))
    return model.SerializeToString()
