"""Upstream ML-Agents models run in the simulator and score their benchmarks (the fidelity test)."""

from __future__ import annotations

import numpy as np
import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sim import evaluate, make
from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy
from mlops_unity_pipeline.spaces import ActionTuple
from tests.conftest import anchor


def test_upstream_basic_model_scores_its_benchmark():
    """Basic.onnx (deterministic) scores >= 0.92 over 100 episodes (benchmark 0.93)."""
    env = make("Basic", num_agents=4, seed=0)
    policy = OnnxRuntimePolicy(anchor("models/Basic.onnx"), env.signature)
    result = evaluate(env, policy, episodes=100, seed=1)
    assert result.episodes == 100
    assert result.mean_reward >= 0.92
    assert result.success_rate >= 0.95


def test_upstream_3dball_model_scores_its_benchmark():
    """3DBall.onnx keeps every ball up: >= 95 over 20 episodes (benchmark 100)."""
    env = make("3DBall", num_agents=20, seed=0)
    policy = OnnxRuntimePolicy(anchor("models/3DBall.onnx"), env.signature)
    result = evaluate(env, policy, episodes=20, seed=1)
    assert result.episodes == 20
    assert result.mean_reward >= 95.0
    assert result.mean_length == pytest.approx(1000.0)


def test_3dball_fidelity_breaks_with_a_flipped_axis():
    """The same model with one action sign flipped drops the ball: the test above can fail."""
    env = make("3DBall", num_agents=12, seed=0)
    policy = OnnxRuntimePolicy(anchor("models/3DBall.onnx"), env.signature)

    def flipped(batch):
        actions = policy(batch)
        return ActionTuple(actions.continuous * np.float32([-1.0, 1.0]), actions.discrete)

    assert evaluate(env, flipped, episodes=12, seed=1).mean_reward < 10.0


def test_model_signature_mismatch_is_a_spec_error():
    """3DBall.onnx on Basic's spec raises SpecError showing expected vs got."""
    env = make("Basic")
    with pytest.raises(SpecError, match=r"expected observations \[\(20,\)\].*got observations \[\(8,\)\]"):
        OnnxRuntimePolicy(anchor("models/3DBall.onnx"), env.signature)


def test_signature_read_from_the_model():
    """Without a signature the policy reports the model's own observation and action spec."""
    policy = OnnxRuntimePolicy(anchor("models/Basic.onnx"))
    assert policy.signature.observation_specs[0].shape == (20,)
    assert policy.signature.action_spec.discrete_branches == (3,)


def test_stochastic_outputs_are_used_when_not_deterministic():
    """deterministic=False reads the sampled outputs (continuous_actions)."""
    env = make("3DBall", num_agents=64, seed=0)
    batch = env.reset()
    a = OnnxRuntimePolicy(anchor("models/3DBall.onnx"), env.signature, deterministic=True)(batch).continuous
    b = OnnxRuntimePolicy(anchor("models/3DBall.onnx"), env.signature, deterministic=False)(batch).continuous
    assert a.shape == b.shape == (64, 2)
    assert not np.allclose(a, b)


def test_not_a_model_file(tmp_path):
    """A file that is not ONNX, or a missing one, is a SpecError naming the file."""
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"not onnx")
    with pytest.raises(SpecError, match="bad.onnx"):
        OnnxRuntimePolicy(bad)
    with pytest.raises(SpecError, match="not found"):
        OnnxRuntimePolicy(tmp_path / "missing.onnx")


def _batch(signature, n, mask=None):
    from mlops_unity_pipeline.spaces import StepBatch

    rng = np.random.default_rng(0)
    obs = tuple(rng.random((n, *o.shape), dtype=np.float32) for o in signature.observation_specs)
    flags = np.zeros(n, dtype=bool)
    return StepBatch(obs, np.zeros(n, np.float32), flags, flags.copy(), obs, mask, flags.copy())


@pytest.mark.parametrize("name", ["PushBlock", "BigWallJump", "Sorter", "3DBallHard", "Hallway"])
def test_every_upstream_model_runs_with_its_own_signature(name):
    """Multi-sensor, multi-branch, rank-2 and recurrent upstream models load and decide in-range actions."""
    policy = OnnxRuntimePolicy(anchor(f"models/{name}.onnx"))
    spec = policy.signature.action_spec
    mask = np.ones((4, spec.mask_size), dtype=bool) if spec.is_discrete else None
    actions = policy(_batch(policy.signature, 4, mask))
    assert actions.continuous.shape == (4, spec.continuous_size)
    assert actions.discrete.shape == (4, spec.discrete_size)
    assert ((actions.discrete >= 0) & (actions.discrete < np.asarray(spec.discrete_branches or [1]))).all()


def test_action_masks_reach_the_model():
    """With every PushBlock action but one masked, the model picks that one (masks are fed to the graph)."""
    policy = OnnxRuntimePolicy(anchor("models/PushBlock.onnx"))
    mask = np.zeros((5, 7), dtype=bool)
    mask[:, 3] = True
    assert (policy(_batch(policy.signature, 5, mask)).discrete[:, 0] == 3).all()


def test_recurrent_memory_is_carried_and_reset_at_episode_ends():
    """Hallway's LSTM state is kept per agent between calls and zeroed for agents whose episode ended."""
    policy = OnnxRuntimePolicy(anchor("models/Hallway.onnx"))
    batch = _batch(policy.signature, 3, np.ones((3, 5), dtype=bool))
    policy(batch)
    assert policy._memory is not None and np.abs(policy._memory).sum() > 0
    first = policy._memory.copy()
    ended = batch._replace(terminated=np.array([True, False, False]))
    policy(ended)
    fresh = OnnxRuntimePolicy(anchor("models/Hallway.onnx"))
    fresh(batch)
    np.testing.assert_allclose(policy._memory[0], fresh._memory[0], atol=1e-6)  # agent 0 restarted
    assert not np.allclose(policy._memory[1], first[1])  # agent 1 carried its state one step further
    policy.reset_memory()
    assert policy._memory is None


def test_in_graph_sampling_is_seeded_so_runs_repeat():
    """Hallway.onnx samples in its graph (no deterministic outputs): one seed repeats, another differs."""

    def actions(seed):
        policy = OnnxRuntimePolicy(anchor("models/Hallway.onnx"), sample_seed=seed)
        batch = _batch(policy.signature, 64, np.ones((64, 5), dtype=bool))
        return np.concatenate([policy(batch).discrete[:, 0] for _ in range(5)])

    first = actions(7)
    np.testing.assert_array_equal(first, actions(7))
    assert not np.array_equal(first, actions(8))
    assert len(np.unique(first)) > 1  # sampled, not a fixed choice


def _graph(path, inputs, outputs, nodes, initializers=()):
    """Save a small ONNX graph (opset 13) to ``path``."""
    import onnx
    from onnx import helper

    graph = helper.make_graph(nodes, "g", inputs, outputs, initializer=list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, path)
    return path


def _const_model(path, value):
    """A graph with obs_0 and a constant continuous_action_output_shape of ``value``."""
    from onnx import TensorProto, helper, numpy_helper

    return _graph(
        path,
        [helper.make_tensor_value_info("obs_0", TensorProto.FLOAT, ["N", 3])],
        [helper.make_tensor_value_info("continuous_action_output_shape", TensorProto.FLOAT, [len(value)])],
        [helper.make_node("Identity", ["c"], ["continuous_action_output_shape"])],
        [numpy_helper.from_array(np.array(value, dtype=np.float32), "c")],
    )


def _identity_model(path, name, shape):
    """A graph that copies one input to one output (no ML-Agents outputs at all)."""
    from onnx import TensorProto, helper

    return _graph(
        path,
        [helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, shape)],
        [helper.make_node("Identity", [name], ["y"])],
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: _identity_model(p, "obs_0", ["N", 3]), "no continuous_action_output_shape"),
        (lambda p: _identity_model(p, "obs_x", ["N", 3]), "not named obs_<n>"),
        (lambda p: _identity_model(p, "obs_0", ["N", "K"]), "fixed positive sizes"),
        (lambda p: _const_model(p, []), "holds 0 values"),
        (lambda p: _const_model(p, [float("nan")]), "not sizes in"),
        (lambda p: _const_model(p, [1e12]), "not sizes in"),
        (lambda p: _const_model(p, [2.5]), "not sizes in"),
    ],
)
def test_non_mlagents_graphs_are_spec_errors(tmp_path, make, message):
    """ONNX graphs that are not ML-Agents policies give a SpecError naming the file, not a traceback."""
    path = make(tmp_path / "odd.onnx")
    with pytest.raises(SpecError, match=message) as info:
        OnnxRuntimePolicy(path)
    assert "odd.onnx" in str(info.value) and "not an ML-Agents" in str(info.value)
