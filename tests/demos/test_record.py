"""Recording simulator episodes into .demo files (heuristic and ONNX policies)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mlops_unity_pipeline.demos import read_demo
from mlops_unity_pipeline.demos.dataset import to_dataset
from mlops_unity_pipeline.demos.record import record_demo
from mlops_unity_pipeline.errors import SpecError
from tests.conftest import anchor


def test_record_basic_heuristic(tmp_path: Path) -> None:
    """Basic with its heuristic: N episodes, done steps = N, mean reward = the heuristic's 0.93."""
    path = record_demo("Basic", episodes=3, out=tmp_path / "basic.demo", seed=1)
    demo = read_demo(path)
    assert demo.behavior_name == "Basic"
    assert demo.meta.number_episodes == 3 == sum(s.done for s in demo.steps)
    assert demo.steps[-1].done
    assert demo.meta.mean_reward == pytest.approx(0.93, abs=1e-4)
    assert demo.meta.number_steps == len(demo.steps)
    assert demo.signature.action_spec.discrete_branches == (3,)
    # the stored action is the one taken from the stored observation: the heuristic walks right (2)
    assert all(s.discrete_actions.tolist() == [2] for s in demo.steps if not s.done)
    # each episode's first step has reward 0 and follows a done step
    for prev, step in zip(demo.steps, demo.steps[1:], strict=False):
        if prev.done:
            assert step.reward == 0.0 and not step.done


def test_record_is_seeded(tmp_path: Path) -> None:
    """The same seed records the same steps."""
    a = read_demo(record_demo("3DBall", episodes=1, out=tmp_path / "a.demo", seed=4))
    b = read_demo(record_demo("3DBall", episodes=1, out=tmp_path / "b.demo", seed=4))
    assert a.steps == b.steps
    # the heuristic balances until MaxStep: the episode ends interrupted (Unity's max_step_reached)
    assert a.steps[-1].done and a.steps[-1].max_step_reached
    assert not any(s.max_step_reached for s in a.steps[:-1])


def test_record_3dball_heuristic_feeds_dataset(tmp_path: Path) -> None:
    """A 3DBall recording matches the simulator's signature and turns into a dataset."""
    from mlops_unity_pipeline import sim

    demo = read_demo(record_demo("3DBall", episodes=1, out=tmp_path / "ball.demo", seed=0))
    signature = sim.make("3DBall", num_agents=1).signature
    assert demo.signature == signature
    data = to_dataset([demo], signature)
    assert len(data) == demo.meta.number_steps - 1
    assert np.abs(data.actions.continuous).max() <= 1.0


def test_record_with_onnx_policy(tmp_path: Path) -> None:
    """The upstream 3DBall.onnx drives the recording through OnnxRuntimePolicy."""
    model = anchor("models/3DBall.onnx")
    demo = read_demo(record_demo("3DBall", episodes=1, out=tmp_path / "onnx.demo", policy=model, seed=2))
    assert demo.meta.number_episodes == 1
    assert demo.meta.mean_reward > 10.0


def test_record_bad_inputs(tmp_path: Path) -> None:
    """Unknown tasks, models that don't fit and zero episodes raise SpecError."""
    with pytest.raises(SpecError):
        record_demo("NoSuchTask", episodes=1, out=tmp_path / "x.demo")
    with pytest.raises(SpecError, match="episodes"):
        record_demo("Basic", episodes=0, out=tmp_path / "x.demo")
    with pytest.raises(SpecError):
        record_demo("Basic", episodes=1, out=tmp_path / "x.demo", policy=anchor("models/3DBall.onnx"))


@pytest.mark.parametrize("task", ["Basic", "3DBall", "Navigation", "ReachTarget"])
def test_every_task_records_and_reads_back(task: str, tmp_path: Path) -> None:
    """Each simulator task records 2 heuristic episodes whose file matches the task's signature."""
    from mlops_unity_pipeline import sim

    demo = read_demo(record_demo(task, episodes=2, out=tmp_path / "t.demo", seed=5))
    assert demo.signature == sim.make(task, num_agents=1).signature
    assert demo.meta.number_episodes == 2 == sum(s.done for s in demo.steps)
    assert demo.meta.mean_reward == pytest.approx(sum(s.reward for s in demo.steps) / 2, rel=1e-5)
    assert len(to_dataset([demo], demo.signature)) == demo.meta.number_steps - 1


def test_grouped_task_records_group_ids_and_group_rewards(tmp_path: Path) -> None:
    """PushBlockCollab records agent 0 of one group with its group id and group rewards."""
    demo = read_demo(record_demo("PushBlockCollab", episodes=1, out=tmp_path / "c.demo", seed=5))
    assert {s.group_id for s in demo.steps} == {1}
    total = sum(s.group_reward for s in demo.steps)
    scored = sum(round(s.group_reward) for s in demo.steps if s.group_reward > 0.5)
    assert scored - 0.5 - 1e-3 <= total < scored  # block values minus at most 5000 x 0.0001 of penalty
    assert demo.steps[0].group_reward == 0.0 and demo.steps[-1].done
