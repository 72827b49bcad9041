"""Several agents per area and groups in the world simulator: world:PushBlockCollab and small toy worlds."""

from __future__ import annotations

import copy
import dataclasses

import numpy as np
import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sim import accel, list_tasks, make, make_world
from mlops_unity_pipeline.sim.behavior_api import SimBehaviorEnv
from mlops_unity_pipeline.sim.world_env import REST_SINK, unsupported
from mlops_unity_pipeline.spaces import ActionTuple
from mlops_unity_pipeline.world import library_worlds, load_world, world_from_dict

GOAL_FACE = -10.4251267 + 4.1497466 / 2  # the goal region's face (z) in PushBlockCollab.yaml
STEP_PENALTY = 0.5 / 5000  # the group's hurry-up penalty per physics step
needs_numba = pytest.mark.skipif(accel.kernels() is None, reason="numba missing or MLOPS_SIM_NUMBA=0")

# Two independent agents (no groups) in a small arena: a coin each can collect, a flag that ends the episode.
DUO = {
    "name": "Duo",
    "arena": {"size": [12, 12]},
    "entities": [
        {
            "name": "coin",
            "kind": "collectible",
            "tag": "coin",
            "size": [0.5, 0.5, 0.5],
            "spawn": {"at": [3, 3]},
        },
        {"name": "flag", "kind": "target", "tag": "flag", "size": [1, 1, 1], "spawn": {"at": [-4, 4]}},
    ],
    "agent": {
        "name": "Duo",
        "count": 2,
        "movement": {"motion": "set_velocity", "speed": 5.0},
        "spawn": {"area": [[-5, -5], [5, 0]]},
        "yaw": 0,
        "sensors": [{"kind": "ray_perception", "name": "Eyes", "detectable_tags": ["coin", "flag", "agent"]}],
        "actions": {"continuous": ["move_x", "move_z"]},
    },
    "rewards": [
        {"event": "collect", "what": "coin", "value": 1.0},
        {"event": "reach", "what": "flag", "value": 2.0, "end": "terminated", "success": True},
    ],
    "max_step": 500,
    "decision_period": 1,
}


def _collab(num_agents: int = 3, **changes):
    world = load_world(library_worlds()["PushBlockCollab"])
    return make_world(dataclasses.replace(world, **changes), num_agents=num_agents, seed=0)


def _act(env, *codes: int) -> ActionTuple:
    codes = list(codes) + [0] * (env.num_agents - len(codes))
    return ActionTuple(np.zeros((env.num_agents, 0), np.float32), np.array(codes, np.int64)[:, None])


def _place(env, agents, yaw: float = 0.0) -> None:
    """Put area 0's agents at (x, z) spots, at rest, facing ``yaw``."""
    for m, (x, z) in enumerate(agents):
        env.agent_position[m] = [x, env.agent_half - REST_SINK, z]
        env.agent_velocity[m] = 0.0
        env.agent_yaw[m] = yaw


def _only_blocks(env, blocks: dict[int, tuple[float, float]]) -> None:
    """Leave only the given block copies active in area 0, at (x, z) (the last one out of the way when none:
    an area without blocks is cleared, which ends the group's episode)."""
    blocks = blocks or {5: (9.5, 9.5)}
    env.entity_active[0] = False
    for j, (x, z) in blocks.items():
        env.entity_active[0, j] = True
        env.entity_position[0, j] = [x, env.entity_half[0, j, 1] - REST_SINK, z]
        env.entity_velocity[0, j] = 0.0


def test_pushblock_collab_world_has_the_hand_written_layout_and_groups():
    """world:PushBlockCollab observes and acts like the hand-written task; three agents form one group."""
    world_env, hand = make("world:PushBlockCollab", num_agents=6), make("PushBlockCollab", num_agents=6)
    assert world_env.signature == hand.signature
    assert [o.shape for o in world_env.signature.observation_specs] == [(168,), (168,)]
    batch = world_env.reset()
    assert batch.group_id.tolist() == [1, 1, 1, 2, 2, 2] and batch.group_reward.tolist() == [0.0] * 6
    assert world_env.agents_per_group == 3 and world_env.group_max_step == 5000 and world_env.max_step == 0
    info = next(t for t in list_tasks() if t.name == "world:PushBlockCollab")
    assert info.default_num_agents == 48 and info.agents_per_group == 3
    assert make("world:PushBlockCollab").num_agents == 48
    with pytest.raises(SpecError, match="multiple of agent.count 3"):
        make("world:PushBlockCollab", num_agents=4)


def test_agents_and_blocks_spawn_apart():
    """At every scene reset no check square overlaps the goal or a body placed before it."""
    env = _collab(num_agents=3 * 64)
    env.reset()
    agents = env.agent_position.reshape(64, 3, 3)[..., [0, 2]]
    blocks = env.entity_position[..., [0, 2]]
    bodies = np.concatenate([blocks, agents], axis=1)  # placement order: entities, then agents
    halves = np.concatenate([env.entity_half[0, :, 0], np.full(3, 0.5)])
    checks = np.array([1.5, 1.5, 1.5, 1.5, 2.0, 2.0, 1.5, 1.5, 1.5])
    assert (bodies[..., 1] - checks >= GOAL_FACE).all()
    for later in range(1, bodies.shape[1]):
        for earlier in range(later):
            gap = np.abs(bodies[:, later] - bodies[:, earlier]) - (checks[later] + halves[earlier])
            assert (gap >= 0).any(axis=1).all()
    assert np.unique(env.agent_yaw).size == env.num_agents  # a random heading each


def test_agents_see_one_another_through_the_agent_tag():
    """An agent straight ahead fills the centre ray's agent slot; moved away, the slot empties."""
    env = _collab()
    env.reset()
    _only_blocks(env, {})
    _place(env, [(0.0, 0.0), (0.0, 4.0), (-10.0, 10.0)])
    batch = env.step(_act(env, 0, 0, 0))
    newest = batch.obs[1][0, 112:]  # RayPerceptionSensor, newest of 3 frames; centre ray first
    assert newest[5] == 1.0 and 0.2 < newest[7] < 0.35  # tag 'agent', hit at (4 - 0.5 - 0.5) / 12
    _place(env, [(0.0, 0.0), (6.0, -6.0), (-10.0, 10.0)])
    batch = env.step(_act(env, 0, 0, 0))
    assert batch.obs[1][0, 112 + 5] == 0.0


@pytest.mark.parametrize("compiled", [True, False], ids=["numba", "numpy"])
def test_agents_push_one_another_and_never_overlap(compiled):
    """An agent walking into another shoves it along; their bodies stay apart (agent-agent contact)."""
    env = _collab()
    env.compiled = compiled and env.compiled
    env.reset()
    _only_blocks(env, {})
    _place(env, [(0.0, -4.0), (0.0, -2.5), (-10.0, 10.0)])
    for _ in range(20):
        env.step(_act(env, 1, 0, 0))
        # soft like PushBlockCollab's contacts: a pusher sinks in by at most a step's velocity change
        assert env.agent_position[1, 2] - env.agent_position[0, 2] > 0.9
    assert env.agent_position[1, 2] > 1.0  # pushed well forward from -2.5


@pytest.mark.parametrize("compiled", [True, False], ids=["numba", "numpy"])
def test_blocks_push_one_another(compiled):
    """A small block driven into another small block moves it (block-block contact), never through it."""
    env = _collab()
    env.compiled = compiled and env.compiled
    env.reset()
    _only_blocks(env, {0: (0.0, 6.0), 1: (0.0, 3.8)})
    _place(env, [(0.0, 7.6), (8.0, -8.0), (-8.0, -8.0)], yaw=180.0)
    for _ in range(4):
        env.step(_act(env, 1, 0, 0))
        assert env.entity_position[0, 0, 2] - env.entity_position[0, 1, 2] > 1.9
    assert env.entity_position[0, 1, 2] < 2.0 and env.entity_active[0, :2].all()


def test_a_removed_block_pays_the_group_and_the_last_one_ends_the_group_episode():
    """push_into_zone with removes: the block leaves and pays its value once; cleared: EndGroupEpisode."""
    env = _collab(num_agents=6)
    env.reset()
    _only_blocks(env, {2: (0.0, GOAL_FACE + 1.5 - 0.01), 3: (5.0, 5.0)})  # a large block inside the goal
    batch = env.step(_act(env))
    np.testing.assert_allclose(batch.group_reward, [2.0 - 5 * STEP_PENALTY] * 3 + [-5 * STEP_PENALTY] * 3)
    assert batch.reward.tolist() == [0.0] * 6 and not env.entity_active[0, 2] and env.entity_active[0, 3]
    assert not (batch.terminated | batch.truncated).any()
    batch = env.step(_act(env))  # the removed block pays once
    np.testing.assert_allclose(batch.group_reward, [-5 * STEP_PENALTY] * 6, rtol=1e-5)
    _only_blocks(env, {0: (0.0, GOAL_FACE + 1.0 - 0.01)})
    batch = env.step(_act(env))
    # the last block scored on the first physics step: its value and one step's penalty, then the end
    np.testing.assert_allclose(batch.group_reward[:3], [1.0 - STEP_PENALTY] * 3, rtol=1e-6)
    assert batch.terminated[:3].all() and batch.success[:3].all() and not batch.truncated.any()
    assert not batch.terminated[3:].any()
    assert env.entity_active[0].all() and env.group_step_count[0] == 0  # ResetScene: a fresh scene


def test_max_step_interrupts_the_group():
    """With groups, max_step is the controller's limit: every member is truncated together."""
    env = _collab(max_step=10)
    env.reset()
    first = env.step(_act(env))
    batch = env.step(_act(env))
    assert not (first.terminated | first.truncated).any()
    assert batch.truncated.all() and not batch.terminated.any()
    np.testing.assert_allclose(first.group_reward + batch.group_reward, [-0.5] * 3, rtol=1e-5)


def test_behavior_api_reports_group_ids_and_rewards():
    """DecisionSteps carry each agent's group id and group reward."""
    api = SimBehaviorEnv("world:PushBlockCollab", num_agents=6, seed=0)
    api.reset()
    decision, _ = api.get_steps("PushBlockCollab")
    assert decision.group_id.tolist() == [1, 1, 1, 2, 2, 2]
    api.step()
    decision, _ = api.get_steps("PushBlockCollab")
    np.testing.assert_allclose(decision.group_reward, [-5 * STEP_PENALTY] * 6, rtol=1e-5)


@needs_numba
def test_compiled_and_numpy_paths_agree_with_several_agents_and_blocks():
    """Random play in world:PushBlockCollab: the same states, observations, rewards and ends on both paths."""
    runs = []
    for compiled in (True, False):
        env = _collab(num_agents=12)
        env.compiled = compiled
        env.reset(seed=4)
        rng = np.random.default_rng(1)
        log = []
        for _ in range(60):
            batch = env.step(_act(env, *rng.integers(0, 7, 12)))
            log.append((batch.obs, batch.group_reward, batch.terminated, batch.truncated))
        runs.append((env, log))
    (a, log_a), (b, log_b) = runs
    np.testing.assert_array_equal(a.agent_position, b.agent_position)
    np.testing.assert_array_equal(a.entity_position, b.entity_position)
    np.testing.assert_array_equal(a.entity_active, b.entity_active)
    for x, y in zip(log_a, log_b, strict=True):
        for u, v in zip(x[0], y[0], strict=True):
            np.testing.assert_array_equal(u, v)
        for u, v in zip(x[1:], y[1:], strict=True):
            np.testing.assert_array_equal(u, v)


def test_agent_events_fire_for_the_agent_that_caused_them():
    """Two independent agents: the one on the coin collects it, the one on the flag ends alone, restarts."""
    env = make_world(world_from_dict(DUO), num_agents=4, seed=0)
    env.reset()
    _place(env, [(3.0, 3.0), (0.0, -3.0)])
    still = ActionTuple(np.zeros((4, 2), np.float32), np.zeros((4, 0), np.int32))
    batch = env.step(still)
    assert batch.reward.tolist() == [1.0, 0.0, 0.0, 0.0] and not env.entity_active[0, 0]
    _place(env, [(0.0, -3.0), (-4.0, 4.0)])
    batch = env.step(still)
    assert batch.terminated.tolist() == [False, True, False, False] and batch.reward[1] == 2.0
    # it restarts alone in the running scene, apart from its partner; the coin stays collected
    apart = np.abs(env.agent_position[1, [0, 2]] - env.agent_position[0, [0, 2]]).max()
    assert apart >= 1.0 and -5 <= env.agent_position[1, 2] <= 0 and not env.entity_active[0, 0]


def test_a_scene_resets_when_all_its_agents_begin_together():
    """Without groups, the area's entities return when every agent of the area begins an episode."""
    env = make_world(world_from_dict(DUO), num_agents=2, seed=0)
    env.reset()
    env.entity_active[0, 0] = False
    env._begin(np.array([0]))  # one agent alone: the scene runs on
    assert not env.entity_active[0, 0]
    env._begin(np.array([0, 1]))  # the whole area: a new scene
    assert env.entity_active[0, 0]


def test_groups_smaller_than_the_area_are_refused():
    """Several groups in one area would share its scene: refused with the field named."""
    data = copy.deepcopy(DUO)
    data["groups"] = {"size": 1}
    world = world_from_dict(data)
    assert unsupported(world) == [
        "groups.size: 1 with agent.count 2 (one group per area: several groups would share one scene, which "
        "a group's episode end resets)"
    ]
    with pytest.raises(SpecError, match="groups.size"):
        make_world(world)


def test_pettingzoo_view_names_the_group_members():
    """The PettingZoo API runs the world: agents named by group and member, group rewards in the infos."""
    pettingzoo_env = pytest.importorskip("mlops_unity_pipeline.sim.pettingzoo_env", exc_type=ImportError)
    from pettingzoo.test import parallel_api_test

    env = pettingzoo_env.SimParallelEnv("world:PushBlockCollab", num_agents=6, seed=0)
    parallel_api_test(env, num_cycles=30)
    _, infos = env.reset(seed=0)
    assert sorted(env.agents)[0] == "group_1_agent_0" and infos["group_2_agent_2"]["group_id"] == 2


def test_render_draws_every_agent_of_the_area(tmp_path):
    """The top-down frame of a multi-agent world shows the area's blocks and all three agents."""
    from mlops_unity_pipeline.sim.render import render_state_png

    env = _collab()
    env.reset()
    one = render_state_png(env, tmp_path / "three.png")
    env.agent_position[1:, 0] = env.agent_position[0, 0]  # stack the others onto agent 0: fewer agent pixels
    env.agent_position[1:, 2] = env.agent_position[0, 2]
    two = render_state_png(env, tmp_path / "one.png")
    assert one.stat().st_size > 500 and one.read_bytes() != two.read_bytes()


@pytest.mark.parametrize(("block", "size"), [(0, 1), (2, 2), (4, 3)], ids=["small", "large", "very_large"])
def test_a_block_needs_as_many_agents_as_its_size(block, size):
    """As the upstream docs say and the hand-written task's masses make true: k agents score a block of
    size k within 60 decisions, k - 1 move it less than 1."""

    def push(pushers: int) -> float:
        env = _collab()
        env.reset()
        start_z = 4.0
        _only_blocks(env, {block: (0.0, start_z), 5 if block != 5 else 4: (9.5, 9.5)})
        hx, hz = env.entity_half[0, block, 0], env.entity_half[0, block, 2]
        lanes = {1: [0.0], 2: [-0.5 * hx, 0.5 * hx], 3: [-0.6 * hx, 0.0, 0.6 * hx]}.get(pushers, [])
        idle = [(-10.5 + 1.5 * m, 11.0) for m in range(3 - pushers)]
        _place(env, [(x, start_z + hz + 0.55) for x in lanes] + idle, yaw=180.0)
        for _ in range(60):
            batch = env.step(_act(env, *([1] * pushers)))
            if batch.group_reward[0] > 0.5:
                return np.inf  # scored
        return start_z - env.entity_position[0, block, 2]

    assert push(size) == np.inf
    if size > 1:
        assert push(size - 1) < 1.0


@pytest.mark.slow
def test_poca_trains_on_the_world_and_sees_its_groups(tmp_path, capsys):
    """trainer_type poca runs on world:PushBlockCollab: group episodes complete, their rewards are logged."""
    from mlops_unity_pipeline.rl.learn import LearnOptions, learn
    from tests.rl.test_poca import poca_options

    options = poca_options(
        "PushBlockCollab",
        results_dir=str(tmp_path),
        max_steps=1500,
        summary_freq=750,
        checkpoint_interval=1500,
    )
    short = dataclasses.replace(load_world(library_worlds()["PushBlockCollab"]), max_step=250)
    result = learn(
        LearnOptions(options, env_factory=lambda n, seed: make_world(short, num_agents=12, seed=seed))
    )
    out = capsys.readouterr().out
    assert result.behaviors["PushBlockCollab"].steps >= 1500
    assert "Mean Group Reward: " in out and (tmp_path / "run" / "PushBlockCollab.onnx").is_file()


def test_sanity_rollouts_run_whole_areas_and_count_group_rewards():
    """The world checks' rollouts step every agent of each area and add the group reward to each one's."""
    from mlops_unity_pipeline.behavior.world_checks import rollout

    world = dataclasses.replace(load_world(library_worlds()["PushBlockCollab"]), max_step=20)
    idle = rollout(world, "idle", decisions=8, areas=2, seed=0)
    assert idle.areas == 2 and idle.episodes == 12  # 6 agents, interrupted every 20 physics steps
    assert idle.episode_return == pytest.approx(-0.5, rel=1e-5)  # the group's time penalty over max_step
