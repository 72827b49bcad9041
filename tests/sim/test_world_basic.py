"""ML-Agents' Basic as a world (``world/library/Basic.yaml``): the hand-written task's layout and play."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sim import evaluate, make, make_world
from mlops_unity_pipeline.sim.onnx_policy import OnnxRuntimePolicy
from mlops_unity_pipeline.spaces import ActionTuple
from mlops_unity_pipeline.world import library_worlds, load_world, world_from_dict, world_to_dict
from mlops_unity_pipeline.world.model import Branch, DiscreteAction
from tests.conftest import anchor


def test_basic_world_has_the_hand_written_signature():
    """world:Basic declares Basic's behavior: one-hot [20] named Basic, a branch of 3, a decision per step."""
    world, hand = make("world:Basic", num_agents=4), make("Basic", num_agents=4)
    assert world.signature == hand.signature
    assert (world.max_step, world.decision_period) == (hand.max_step, hand.decision_period) == (100, 1)


@pytest.mark.parametrize("compiled", [True, False], ids=["numba", "numpy"])
def test_basic_world_plays_exactly_as_the_hand_written_task(compiled):
    """Random actions for 300 decisions in 16 lines: equal observations, rewards, ends and successes."""
    world, hand = make("world:Basic", num_agents=16), make("Basic", num_agents=16)
    world.compiled = compiled and world.compiled
    a, b = world.reset(seed=0), hand.reset(seed=0)
    rng = np.random.default_rng(7)
    ends = 0
    for _ in range(300):
        assert np.array_equal(a.obs[0], b.obs[0])
        action = ActionTuple(np.zeros((16, 0), np.float32), rng.integers(0, 3, (16, 1)))
        a, b = world.step(action), hand.step(action)
        assert np.allclose(a.reward, b.reward, atol=1e-6)
        assert np.array_equal(a.terminated, b.terminated) and np.array_equal(a.truncated, b.truncated)
        assert np.array_equal(a.success, b.success)
        ends += int(a.terminated.sum() + a.truncated.sum())
    assert ends > 50  # both goals and MaxStep were reached along the way


def _basic_onnx_score(world) -> float:
    env = make_world(world, num_agents=8, seed=0)
    policy = OnnxRuntimePolicy(anchor("models/Basic.onnx"))
    return evaluate(env, policy, episodes=32, seed=0).mean_reward


def test_upstream_basic_model_scores_its_benchmark_and_negative_control():
    """Basic.onnx scores 0.93 (benchmark 0.93) in world:Basic; with left and right swapped it cannot."""
    world = load_world(library_worlds()["Basic"])
    assert _basic_onnx_score(world) == pytest.approx(0.93, abs=1e-5)
    mirrored = dataclasses.replace(
        world,
        agent=dataclasses.replace(
            world.agent,
            actions=dataclasses.replace(
                world.agent.actions,
                discrete=(Branch((DiscreteAction.NONE, DiscreteAction.EAST, DiscreteAction.WEST)),),
            ),
        ),
    )
    assert _basic_onnx_score(mirrored) < 0.2  # it walks to the small goal (0.07) or never arrives


def test_cell_item_needs_a_whole_number_of_cells():
    """A cell item on an arena 20.5 wide: SpecError naming the item."""
    data = world_to_dict(load_world(library_worlds()["Basic"]))
    data["arena"]["size"] = [20.5, 2]
    with pytest.raises(SpecError, match=r"agent\.sensors\[0\]\.items\[0\]: a 'cell' item needs arena\.size"):
        world_from_dict(data)


def test_generated_cell_item_is_the_simulators_one_hot():
    """The C# of the cell item (codegen), evaluated at each cell's centre and edges, gives the simulator's."""
    import math
    import re
    import types

    from mlops_unity_pipeline.codegen.world.layout import refusals
    from mlops_unity_pipeline.codegen.world.render import _item_code

    world = load_world(library_worlds()["Basic"])
    assert refusals(world) == []
    code = _item_code(world.agent.sensors[0].items[0], world)
    assert len(code) == 20
    env = make_world(world, num_agents=1, seed=0)
    env.reset(seed=0)
    for x in (-9.5, -9.0, -0.2, 0.5, 7.5, 9.9):
        env.agent_position[0, 0] = x
        expected = env._vector(world.agent.sensors[0], slice(None))[0]
        namespace = {
            "transform": types.SimpleNamespace(localPosition=types.SimpleNamespace(x=x)),
            "ArenaBootstrap": types.SimpleNamespace(k_HalfX=10.0),
            "Mathf": types.SimpleNamespace(
                Clamp=lambda v, lo, hi: min(max(v, lo), hi), FloorToInt=lambda v: math.floor(v)
            ),
        }
        got = []
        for expression in code:
            test, value = re.fullmatch(r"(.+) \? 1f : 0f", expression).groups()[0], 1.0
            got.append(value if eval(test, namespace) else 0.0)  # noqa: S307 - generated arithmetic only
        assert got == expected.tolist(), x
