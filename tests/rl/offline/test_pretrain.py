"""Offline pretraining: files written, ONNX runs, SAC layout, IQL mode, validation errors."""

from __future__ import annotations

import hashlib
import json

import pytest
import torch

from mlops_unity_pipeline import sim
from mlops_unity_pipeline.errors import ConfigError, DemoFormatError
from mlops_unity_pipeline.rl.offline.pretrain import OfflineAlgorithm, PretrainConfig, pretrain
from mlops_unity_pipeline.rl.sac import SACTrainer
from mlops_unity_pipeline.sim.evaluate import evaluate
from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy
from tests.conftest import anchor

from .helpers import trainer_settings


def test_iql_pretraining_writes_checkpoint_onnx_and_record(tmp_path):
    """IQL on ExpertBasic: pretrained.pt, Basic.onnx (runs in the simulator) and pretrain.json with sha256."""
    env = sim.make("Basic")
    demo = anchor("demos/ExpertBasic.demo")
    result = pretrain(
        env.signature,
        trainer_settings(),
        demo,
        tmp_path,
        config=PretrainConfig(algorithm="iql", updates=30, batch_size=16),
    )
    assert result.algorithm is OfflineAlgorithm.IQL and result.transitions == 72
    state = torch.load(result.checkpoint_path, weights_only=False)
    assert {"Policy", "Critic"} <= set(state) and state["algorithm"] == "offline-iql"
    record = json.loads((tmp_path / "pretrain.json").read_text())
    assert record["demonstrations"] == {str(demo): hashlib.sha256(demo.read_bytes()).hexdigest()}
    assert evaluate(env, OnnxRuntimePolicy(result.onnx_path, env.signature), episodes=2, seed=0).episodes == 2


def test_sac_pretraining_uses_the_squashed_actor(tmp_path):
    """trainer_type sac: the checkpoint's policy (no critic) loads into SACTrainer."""
    signature = sim.make("3DBall").signature
    settings = trainer_settings("sac")
    result = pretrain(
        signature, settings, anchor("demos/Expert3DBall.demo"), tmp_path, config=PretrainConfig(updates=10)
    )
    state = torch.load(result.checkpoint_path, weights_only=False)
    assert "Critic" not in state
    trainer = SACTrainer(signature, settings, num_agents=2, seed=0)
    trainer.load_state_dict(state, weights_only=True)
    torch.testing.assert_close(trainer.actor.mu.weight, state["Policy"]["mu.weight"])


def test_bad_inputs_raise_named_errors(tmp_path):
    """Unknown algorithm, negative steps, POCA and a mismatched demo give clear errors."""
    with pytest.raises(ConfigError, match="pretrain.algorithm"):
        PretrainConfig(algorithm="cql")
    with pytest.raises(ConfigError, match="pretrain.updates"):
        PretrainConfig(updates=-1)
    poca = trainer_settings("ppo").__class__.from_dict({"trainer_type": "poca"})
    with pytest.raises(ConfigError, match="ppo or sac"):
        pretrain(sim.make("Basic").signature, poca, anchor("demos/ExpertBasic.demo"), tmp_path)
    with pytest.raises(DemoFormatError, match="expects observations"):
        pretrain(sim.make("3DBall").signature, trainer_settings(), anchor("demos/ExpertBasic.demo"), tmp_path)
