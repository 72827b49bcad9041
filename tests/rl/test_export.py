"""ONNX export: checker, onnxruntime == torch, and the same signature as the upstream ML-Agents models."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch

from mlops_unity_pipeline.errors import ExportError
from mlops_unity_pipeline.rl.export import OPSET_VERSION, OnnxExportPolicy, TensorNames, export_policy
from mlops_unity_pipeline.rl.networks import Actor
from mlops_unity_pipeline.spaces import ActionSpec, BehaviorSignature, ObservationSpec
from tests.conftest import anchor

BALL = BehaviorSignature("3DBall", (ObservationSpec((8,)),), ActionSpec(2))
BASIC = BehaviorSignature("Basic", (ObservationSpec((20,)),), ActionSpec(0, (3,)))


def _signature(path):
    """(name, elem_type, dims) of inputs and outputs; symbolic dims become '?'."""
    model = onnx.load(str(path))

    def describe(values):
        return [
            (
                v.name,
                v.type.tensor_type.elem_type,
                [d.dim_value if d.HasField("dim_value") else "?" for d in v.type.tensor_type.shape.dim],
            )
            for v in values
        ]

    return describe(model.graph.input), describe(model.graph.output)


def _trained_actor(sig, *, tanh=False, seed=0):
    torch.manual_seed(seed)
    actor = Actor(sig, 32, 2, normalize=True, tanh_squash=tanh)
    actor.normalizer.update(torch.randn(500, actor.obs_size) * 3.0 + 1.0)  # non-trivial statistics to bake in
    if actor.log_std is not None:
        with torch.no_grad():
            actor.log_std.fill_(-0.5)
    return actor


@pytest.mark.parametrize(("sig", "upstream"), [(BALL, "models/3DBall.onnx"), (BASIC, "models/Basic.onnx")])
def test_signature_equals_upstream_model(tmp_path, sig, upstream):
    """Names, order, dtypes, ranks and fixed dims equal the ML-Agents model of the same spec."""
    path = export_policy(_trained_actor(sig), sig, tmp_path / f"{sig.name}.onnx")
    assert _signature(path) == _signature(anchor(upstream))


@pytest.mark.parametrize("sig", [BALL, BASIC])
def test_checker_opset_and_constants(tmp_path, sig):
    """onnx.checker passes; opset 9; version_number 3, memory_size 0 and the action shapes are constants."""
    path = export_policy(_trained_actor(sig), sig, tmp_path / "m.onnx")
    model = onnx.load(str(path))
    onnx.checker.check_model(model)
    assert [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")] == [OPSET_VERSION]
    session = ort.InferenceSession(str(path))
    feeds = {"obs_0": np.zeros((3, sig.observation_specs[0].shape[0]), np.float32)}
    if sig.action_spec.is_discrete:
        feeds["action_masks"] = np.ones((3, 3), np.float32)
    out = dict(zip([o.name for o in session.get_outputs()], session.run(None, feeds), strict=True))
    assert out["version_number"].tolist() == [3.0]
    assert out["memory_size"].tolist() == [0.0]
    if sig.action_spec.is_continuous:
        assert out["continuous_action_output_shape"].tolist() == [2.0]
    else:
        assert out["discrete_action_output_shape"].tolist() == [[3.0]]


@pytest.mark.parametrize("tanh", [False, True], ids=["ppo", "sac"])
def test_continuous_outputs_equal_torch(tmp_path, tanh):
    """Deterministic actions equal torch's (normalization in the graph); samples are in [-1, 1] and vary."""
    actor = _trained_actor(BALL, tanh=tanh)
    path = export_policy(actor, BALL, tmp_path / "m.onnx")
    obs = np.random.default_rng(0).normal(1.0, 3.0, size=(64, 8)).astype(np.float32)
    session = ort.InferenceSession(str(path))
    names = [o.name for o in session.get_outputs()]
    out = dict(zip(names, session.run(None, {"obs_0": obs}), strict=True))
    with torch.no_grad():
        expected = OnnxExportPolicy(actor, BALL)(torch.from_numpy(obs))
    np.testing.assert_allclose(
        out["deterministic_continuous_actions"], expected[4].numpy(), rtol=1e-5, atol=1e-6
    )
    with torch.no_grad():
        mean = actor.heads(torch.from_numpy(obs))[0]
    ref = torch.tanh(mean) if tanh else torch.clamp(mean, -3, 3) / 3
    np.testing.assert_allclose(out["deterministic_continuous_actions"], ref.numpy(), rtol=1e-5, atol=1e-6)
    sample = out["continuous_actions"]
    assert sample.shape == (64, 2) and np.all(np.abs(sample) <= 1.0)
    assert not np.allclose(sample, out["deterministic_continuous_actions"])


def test_discrete_outputs_equal_torch_and_respect_masks(tmp_path):
    """Greedy actions equal torch's argmax; sampled actions never pick a masked action; int64 outputs."""
    actor = _trained_actor(BASIC)
    path = export_policy(actor, BASIC, tmp_path / "m.onnx")
    rng = np.random.default_rng(1)
    obs = np.eye(20, dtype=np.float32)[rng.integers(0, 20, 200)]
    masks = np.ones((200, 3), np.float32)
    masks[:, 2] = 0.0
    session = ort.InferenceSession(str(path))
    names = [o.name for o in session.get_outputs()]
    out = dict(zip(names, session.run(None, {"obs_0": obs, "action_masks": masks}), strict=True))
    with torch.no_grad():
        _, _, lps = actor.heads(torch.from_numpy(obs), torch.from_numpy(masks))
    np.testing.assert_array_equal(out["deterministic_discrete_actions"][:, 0], lps[0].argmax(1).numpy())
    assert out["discrete_actions"].dtype == np.int64
    assert not np.any(out["discrete_actions"] == 2)


def test_multiple_sensors_are_concatenated_in_order(tmp_path):
    """Two observation inputs obs_0, obs_1 feed the network in sensor order."""
    sig = BehaviorSignature("Two", (ObservationSpec((3,)), ObservationSpec((2,))), ActionSpec(1))
    actor = _trained_actor(sig)
    path = export_policy(actor, sig, tmp_path / "two.onnx")
    assert [i.name for i in onnx.load(str(path)).graph.input] == ["obs_0", "obs_1"]
    a, b = np.ones((2, 3), np.float32), np.full((2, 2), 2.0, np.float32)
    out = ort.InferenceSession(str(path)).run(["deterministic_continuous_actions"], {"obs_0": a, "obs_1": b})[
        0
    ]
    with torch.no_grad():
        ref = torch.clamp(actor.heads(torch.from_numpy(np.concatenate([a, b], 1)))[0], -3, 3) / 3
    np.testing.assert_allclose(out, ref.numpy(), rtol=1e-5, atol=1e-6)


def test_tensor_names_order():
    """Inputs and outputs follow ML-Agents' order."""
    assert TensorNames.inputs(BASIC) == ["obs_0", "action_masks"]
    hybrid = BehaviorSignature("H", (ObservationSpec((4,)),), ActionSpec(2, (3,)))
    assert TensorNames.outputs(hybrid) == [
        "version_number",
        "memory_size",
        "continuous_actions",
        "continuous_action_output_shape",
        "deterministic_continuous_actions",
        "discrete_actions",
        "discrete_action_output_shape",
        "deterministic_discrete_actions",
    ]


def test_export_failure_is_an_export_error_and_leaves_no_file(tmp_path, monkeypatch):
    """An exporter failure raises ExportError naming the behavior; no partial file stays behind."""

    def boom(*args, **kwargs):
        raise RuntimeError("exporter exploded")

    monkeypatch.setattr(torch.onnx, "export", boom)
    with pytest.raises(ExportError, match="3DBall.*exporter exploded"):
        export_policy(_trained_actor(BALL), BALL, tmp_path / "x.onnx")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("task", ["3DBall", "Basic"])
def test_simulator_onnx_policy_runs_our_export(tmp_path, task):
    """sim.onnx_policy.OnnxRuntimePolicy accepts our model and acts in the simulator task."""
    from mlops_unity_pipeline import sim
    from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy

    env = sim.make(task, seed=0)
    path = export_policy(_trained_actor(env.signature), env.signature, tmp_path / f"{task}.onnx")
    policy = OnnxRuntimePolicy(path, env.signature)
    batch = env.reset(seed=0)
    for _ in range(3):
        batch = env.step(policy(batch))
    assert batch.reward.shape == (env.num_agents,)


HALLWAY = BehaviorSignature("Hallway", (ObservationSpec((105,)), ObservationSpec((3,))), ActionSpec(0, (5,)))


def _recurrent_actor(sig, memory_size, seed=0):
    torch.manual_seed(seed)
    actor = Actor(sig, 32, 2, normalize=True, memory_size=memory_size)
    actor.normalizer.update(torch.randn(500, actor.obs_size) * 2.0 + 0.5)
    return actor


def test_recurrent_signature_equals_upstream_hallway(tmp_path):
    """recurrent_in [batch,1,128] last input, recurrent_out [1,1,128] last output, as Hallway.onnx declares.

    Hallway.onnx predates the deterministic_* outputs, so that one output is left out of the comparison.
    """
    path = export_policy(_recurrent_actor(HALLWAY, 128), HALLWAY, tmp_path / "Hallway.onnx")
    inputs, outputs = _signature(path)
    outputs = [o for o in outputs if o[0] != "deterministic_discrete_actions"]
    assert (inputs, outputs) == _signature(anchor("models/Hallway.onnx"))
    assert inputs[-1] == ("recurrent_in", 1, ["?", 1, 128]) and outputs[-1][0] == "recurrent_out"


def test_recurrent_export_has_memory_size_constant_and_lstm_op(tmp_path):
    """memory_size outputs 128 and the graph holds one ONNX LSTM of hidden size 64 (as Hallway.onnx)."""
    path = export_policy(_recurrent_actor(HALLWAY, 128), HALLWAY, tmp_path / "m.onnx")
    lstms = [n for n in onnx.load(str(path)).graph.node if n.op_type == "LSTM"]
    upstream = [n for n in onnx.load(str(anchor("models/Hallway.onnx"))).graph.node if n.op_type == "LSTM"]

    def hidden(node):
        return [a.i for a in node.attribute if a.name == "hidden_size"]

    assert len(lstms) == 1 and hidden(lstms[0]) == [64] == hidden(upstream[0])
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    feed = {
        "obs_0": np.zeros((1, 105), np.float32),
        "obs_1": np.zeros((1, 3), np.float32),
        "action_masks": np.ones((1, 5), np.float32),
        "recurrent_in": np.zeros((1, 1, 128), np.float32),
    }
    assert session.run(["memory_size"], feed)[0].tolist() == [128.0]


def test_recurrent_onnxruntime_equals_torch_step_by_step(tmp_path):
    """Three agents, six steps, memory carried out -> in: onnxruntime matches the torch actor at each step."""
    sig = BehaviorSignature("Cue", (ObservationSpec((4,)),), ActionSpec(2))
    actor = _recurrent_actor(sig, 16)
    path = export_policy(actor, sig, tmp_path / "cue.onnx")
    options = ort.SessionOptions()
    options.log_severity_level = 3  # recurrent_out declares a batch of 1, as upstream's; ORT warns for 3
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    memory_onnx = np.zeros((3, 1, 16), np.float32)
    memory_torch = torch.zeros(3, 16)
    for _ in range(6):
        obs = rng.normal(size=(3, 4)).astype(np.float32)
        action, memory_onnx = session.run(
            ["deterministic_continuous_actions", "recurrent_out"],
            {"obs_0": obs, "recurrent_in": memory_onnx},
        )
        with torch.no_grad():
            mean, _, _, memory_torch = actor.recurrent_heads(torch.from_numpy(obs), None, memory_torch)
        np.testing.assert_allclose(action, torch.clamp(mean, -3, 3).numpy() / 3, rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(memory_onnx.reshape(3, 16), memory_torch.numpy(), rtol=1e-4, atol=1e-5)
        assert np.abs(memory_onnx).sum() > 0
