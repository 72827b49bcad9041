"""Navigation and reach-target archetypes: geometry, rewards, masks, env parameters, heuristic."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sim import evaluate, make, make_navigation, reach_target_params
from mlops_unity_pipeline.sim.archetypes import NavigationParams, ObservationItem
from mlops_unity_pipeline.sim.heuristics import heuristic_policy
from mlops_unity_pipeline.sim.policies import random_policy
from mlops_unity_pipeline.sim.rays import cast, ray_directions
from mlops_unity_pipeline.spaces import ActionTuple

DISCRETE = replace(NavigationParams(), continuous_actions=False)


def _move(env, x: float, z: float) -> ActionTuple:
    n = env.num_agents
    return ActionTuple(np.tile(np.float32([x, z]), (n, 1)), np.zeros((n, 0), np.int32))


def _place(env, position, target=(9.0, 9.0), obstacles=()) -> None:
    """Put agent 0 at `position`, its target at `target`, and only the given obstacles in the arena."""
    env.position[0] = position
    env.target[0] = target
    env.obstacles[0] = 1.0e6
    env.active_obstacles[0] = False
    for j, centre in enumerate(obstacles):
        env.obstacles[0, j] = centre
        env.active_obstacles[0, j] = True


def test_default_signature_is_the_guides_navigation_agent():
    """Default: 8 rays + velocity + target direction = 12 floats, 2 continuous actions, 5 obstacles."""
    env = make("Navigation")
    assert env.signature.name == "NavigationAgent"
    assert env.signature.observation_specs[0].shape == (12,)
    assert env.signature.action_spec.continuous_size == 2
    env.reset(seed=0)
    assert env.active_obstacles.sum() == 5


def test_guide_specs_map_onto_the_archetypes():
    """The guide's NavigationAgent (raycast 8, velocity 2, continuous 2) and SimpleAgent specs run."""
    nav = NavigationParams(observations=(ObservationItem("raycast", 8), ObservationItem("velocity", 2)))
    env = make_navigation(nav, num_agents=2, seed=0)
    assert env.signature.observation_specs[0].shape == (10,)
    batch = env.step(_move(env, 0.0, 0.0)) if env.reset() else None
    assert batch.obs[0].shape == (2, 10)
    simple = make("ReachTarget", num_agents=2, seed=0)
    assert simple.signature.name == "ReachTarget"
    assert simple.params.num_obstacles == 0
    assert simple.signature.observation_specs[0].shape == (4,)


def test_ray_directions_and_wall_distances():
    """Ray 0 points +z, ray 2 of 8 points +x; from (0, 0) walls at 10 read 10 (or 10*sqrt2 diagonally)."""
    dirs = ray_directions(8, 360.0)
    np.testing.assert_allclose(dirs[0], [0.0, 1.0], atol=1e-12)
    np.testing.assert_allclose(dirs[2], [1.0, 0.0], atol=1e-12)
    zero = np.zeros(1)
    hits = cast(zero, zero, dirs, 20.0, half_extent=10.0, centres_x=None, centres_z=None, radius=1.0)
    np.testing.assert_allclose(hits[0], [10.0, 10 * np.sqrt(2), 10.0, 10 * np.sqrt(2)] * 2)
    spread = ray_directions(3, 90.0)
    np.testing.assert_allclose(np.degrees(np.arctan2(spread[:, 0], spread[:, 1])), [-45.0, 0.0, 45.0])


def test_ray_hits_an_obstacle_surface():
    """A cylinder of radius 1 centred 5 ahead is hit at distance 4; one behind the ray is not."""
    dirs = ray_directions(4, 360.0)
    centres_x, centres_z = np.array([[0.0], [0.0]]), np.array([[5.0], [-30.0]])  # (k, n)
    zero = np.zeros(1)
    hits = cast(
        zero, zero, dirs, 20.0, half_extent=None, centres_x=centres_x, centres_z=centres_z, radius=1.0
    )
    assert hits[0, 0] == pytest.approx(4.0)
    assert hits[0, 1] == pytest.approx(20.0)  # +x: nothing within range


def test_observation_layout():
    """Observations: rays / ray_length, velocity / move_speed, (target - agent) / (2 * half extent)."""
    env = make("Navigation", num_agents=1, seed=0)
    env.reset()
    _place(env, (0.0, 0.0), target=(4.0, -2.0), obstacles=[(0.0, 5.0)])
    obs = env.step(_move(env, 1.0, 0.0)).obs[0][0]
    x = env.position[0, 0]
    assert x == pytest.approx(5.0 * 0.02 * 5)  # 5 physics steps at 5 units/s
    assert obs[0] == pytest.approx((5.0 - np.sqrt(1.0 - x * x)) / 20.0)  # ray +z hits the cylinder's side
    assert obs[2] == pytest.approx((10.0 - x) / 20.0)  # ray +x to the wall
    np.testing.assert_allclose(obs[8:10], [1.0, 0.0], atol=1e-6)
    np.testing.assert_allclose(obs[10:12], [(4.0 - x) / 20.0, -2.0 / 20.0], atol=1e-6)


def test_reaching_the_target_rewards_and_terminates():
    """Moving onto the target gives reach_reward (plus time penalties) and ends as success."""
    env = make("ReachTarget", num_agents=1, seed=0)
    env.reset()
    _place(env, (0.0, 0.0), target=(1.2, 0.0))
    batch = env.step(_move(env, 1.0, 0.0))
    assert batch.terminated[0] and batch.success[0]
    # 0.1 per physics step: the distance drops below 1.0 on the 3rd -> 3 physics steps of time penalty, and
    # the progress shaping pays for the 0.3 closed
    p = env.params
    expected = p.reach_reward + 3 * p.time_penalty / p.max_step + p.progress_reward * 0.3
    assert batch.reward[0] == pytest.approx(expected, abs=1e-6)


def test_walls_block_and_cost_the_collision_penalty():
    """Pushing into a wall keeps the agent inside and costs collision_penalty each blocked physics step."""
    env = make("ReachTarget", num_agents=1, seed=0)
    env.reset()
    _place(env, (9.5, 0.0), target=(-9.0, -9.0))
    batch = env.step(_move(env, 1.0, 0.0))
    assert env.position[0, 0] == pytest.approx(9.5)
    p = env.params
    assert batch.reward[0] == pytest.approx(5 * (p.collision_penalty + p.time_penalty / p.max_step), abs=1e-6)
    assert batch.obs[0][0, 0] == pytest.approx(0.0)  # velocity x / speed


@pytest.mark.parametrize("compiled", [True, False])
def test_progress_reward_pays_the_distance_closed_on_the_target(compiled):
    """A decision adds progress_reward x the distance closed (negative moving away), on both engine paths."""
    env = make("ReachTarget", num_agents=1, seed=0)
    env.compiled = env.compiled and compiled
    env.reset()
    p = env.params
    time = 5 * p.time_penalty / p.max_step
    _place(env, (0.0, 0.0), target=(5.0, 0.0))
    toward = env.step(_move(env, 1.0, 0.0)).reward[0]  # 0.5 closer
    assert toward == pytest.approx(time + p.progress_reward * 0.5, abs=1e-6)
    away = env.step(_move(env, -1.0, 0.0)).reward[0]
    assert away == pytest.approx(time - p.progress_reward * 0.5, abs=1e-6)
    _place(env, (0.0, 3.0), target=(5.0, 0.0))  # sideways: the distance changes along the hypotenuse
    sideways = env.step(_move(env, 0.0, 1.0)).reward[0]
    closed = np.hypot(5.0, 3.0) - np.hypot(5.0, 3.5)
    assert sideways == pytest.approx(time + p.progress_reward * closed, abs=1e-6)


def test_progress_reward_zero_is_the_sparse_reward():
    """progress_reward = 0: moving towards the target earns nothing until it is reached."""
    params = replace(reach_target_params(), progress_reward=0.0)
    env = make_navigation(params, num_agents=1, seed=0)
    env.reset()
    _place(env, (0.0, 0.0), target=(5.0, 0.0))
    reward = env.step(_move(env, 1.0, 0.0)).reward[0]
    assert reward == pytest.approx(5 * params.time_penalty / params.max_step, abs=1e-7)


def test_progress_reward_sums_to_the_distance_closed_over_an_episode():
    """Potential-based: an episode's shaping is progress_reward x (start - end distance), any path."""
    shaped = make("Navigation", num_agents=8, seed=3)
    sparse = make_navigation(replace(NavigationParams(), progress_reward=0.0), num_agents=8, seed=3)
    policy = random_policy(shaped.signature.action_spec, seed=4)
    a, b = shaped.reset(seed=3), sparse.reset(seed=3)
    start = np.linalg.norm(shaped.target - shaped.position, axis=1)
    total = np.zeros(8)
    for _ in range(40):
        actions = policy(a)
        a, b = shaped.step(actions), sparse.step(actions)
        assert not (a.terminated | a.truncated).any()  # 40 decisions: too short to reach or time out
        total += a.reward.astype(np.float64) - b.reward
    end = np.linalg.norm(shaped.target - shaped.position, axis=1)
    np.testing.assert_allclose(total, shaped.params.progress_reward * (start - end), atol=1e-4)


def test_obstacles_block_and_the_agent_slides_around():
    """An obstacle stops a head-on move at contact distance and deflects an off-centre one."""
    env = make("Navigation", num_agents=1, seed=0)
    env.reset()
    _place(env, (0.0, 0.0), obstacles=[(2.0, 0.0)])
    batch = env.step(_move(env, 1.0, 0.0))
    batch = env.step(_move(env, 1.0, 0.0))
    assert np.hypot(*(env.position[0] - [2.0, 0.0])) == pytest.approx(1.5, abs=1e-6)
    assert batch.reward[0] < 4 * env.params.collision_penalty  # blocked at every physics step of the decision
    _place(env, (0.0, 0.8), obstacles=[(2.0, 0.0)])
    for _ in range(8):
        env.step(_move(env, 1.0, 0.0))
    assert env.position[0, 0] > 2.0  # slid past the obstacle


def test_discrete_moves_and_action_mask_at_walls():
    """Discrete: branch of 5 moves; moves into a touched wall are masked."""
    env = make_navigation(DISCRETE, num_agents=1, seed=0)
    batch = env.reset()
    assert env.signature.action_spec.discrete_branches == (5,)
    assert batch.action_mask.shape == (1, 5)
    _place(env, (0.0, 0.0))
    env.step(ActionTuple(np.zeros((1, 0), np.float32), np.array([[4]], np.int32)))
    assert env.position[0].tolist() == pytest.approx([0.5, 0.0])
    _place(env, (9.5, -9.5))
    batch = env.step(ActionTuple(np.zeros((1, 0), np.float32), np.array([[0]], np.int32)))
    assert batch.action_mask[0].tolist() == [True, True, False, True, False]


def test_env_parameters_num_obstacles_and_move_speed():
    """num_obstacles lowers the obstacle count (never above the spec); move_speed scales motion."""
    env = make("Navigation", num_agents=8, seed=0, env_parameters={"num_obstacles": 2, "move_speed": 2.0})
    env.reset()
    assert (env.active_obstacles.sum(axis=1) == 2).all()
    env.set_env_parameters({"num_obstacles": 50})
    env.reset()
    assert (env.active_obstacles.sum(axis=1) == 5).all()
    env.set_env_parameters({"move_speed": 2.0})
    env.reset()
    _place(env, (0.0, 0.0), obstacles=[])
    env.step(_move(env, 1.0, 0.0))
    assert env.position[0, 0] == pytest.approx(2.0 * 0.02 * 5)
    with pytest.raises(SpecError, match="num_obstacles"):
        env.set_env_parameters({"obstacles": 1})


def test_placement_never_overlaps():
    """Start, target and obstacles never overlap, and the target starts at least half the arena away."""
    params = replace(NavigationParams(), num_obstacles=12, env_parameter_defaults={"num_obstacles": 12.0})
    env = make_navigation(params, num_agents=64, seed=5)
    env.reset()
    gap = params.obstacle_radius + params.agent_radius
    obstacles = env.obstacles
    assert (np.linalg.norm(env.position[:, None] - obstacles, axis=2) > gap).all()
    assert (np.linalg.norm(env.target[:, None] - obstacles, axis=2) > gap).all()
    pairwise = np.linalg.norm(obstacles[:, :, None] - obstacles[:, None], axis=3)
    assert (pairwise[:, ~np.eye(12, dtype=bool)] > 2 * gap).all()
    assert (np.linalg.norm(env.position - env.target, axis=1) >= params.arena_half_extent).all()


@pytest.mark.parametrize(
    "params",
    [NavigationParams(), DISCRETE, reach_target_params()],
    ids=["continuous", "discrete", "reach-target"],
)
def test_heuristic_succeeds_on_most_episodes_and_beats_random(params):
    """The scripted controller reaches the target in >= 90% of episodes; a random policy rarely does."""
    env = make_navigation(params, num_agents=16, seed=0)
    scripted = evaluate(env, heuristic_policy(env), episodes=64, seed=1)
    random = evaluate(env, random_policy(env.signature.action_spec, seed=0), episodes=16, seed=1)
    assert scripted.success_rate >= 0.9
    assert scripted.mean_reward > random.mean_reward + 1.0
    assert scripted.mean_length < 100


@pytest.mark.parametrize("continuous", [True, False], ids=["continuous", "discrete"])
def test_decision_sweep_equals_step_by_step_physics(continuous):
    """The one-sweep decision (fast path) gives the same trajectory as physics stepped one at a time."""
    params = replace(
        NavigationParams(),
        continuous_actions=continuous,
        num_obstacles=10,
        max_step=400,
        env_parameter_defaults={"num_obstacles": 10.0, "move_speed": 5.0},
    )
    fast, slow = (
        make_navigation(params, num_agents=48, seed=3),
        make_navigation(params, num_agents=48, seed=3),
    )
    slow.sweep = False
    policy_fast = random_policy(fast.signature.action_spec, seed=1)
    policy_slow = random_policy(slow.signature.action_spec, seed=1)
    a, b = fast.reset(), slow.reset()
    ended = 0
    for _ in range(300):
        a, b = fast.step(policy_fast(a)), slow.step(policy_slow(b))
        np.testing.assert_allclose(a.obs[0], b.obs[0], atol=1e-6)
        np.testing.assert_allclose(a.final_obs[0], b.final_obs[0], atol=1e-6)
        np.testing.assert_allclose(a.reward, b.reward, atol=1e-6)
        np.testing.assert_array_equal(a.terminated, b.terminated)
        np.testing.assert_array_equal(a.truncated, b.truncated)
        ended += int(a.terminated.sum() + a.truncated.sum())
    assert ended > 20  # episodes ended both ways (reach and MaxStep) during the comparison


def test_unknown_detectable_tags_are_spec_errors():
    """Rays detect walls and obstacles only; other tags are a SpecError naming the allowed ones."""
    with pytest.raises(SpecError, match=r"detectable_tags.*\['wall', 'obstacle'\].*'target'"):
        make_navigation(replace(NavigationParams(), detectable_tags=("wall", "target")))


def test_rays_ignore_undetectable_kinds():
    """With only walls detectable, an obstacle right in front does not shorten the ray."""
    params = replace(NavigationParams(), detectable_tags=("wall",))
    env = make_navigation(params, num_agents=1, seed=0)
    env.reset()
    _place(env, (0.0, 0.0), obstacles=[(0.0, 3.0)])
    obs = env.step(_move(env, 0.0, 0.0)).obs[0][0]
    assert obs[0] == pytest.approx(0.5)  # the +z wall at 10 / ray length 20
