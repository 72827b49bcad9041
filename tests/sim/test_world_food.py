"""ML-Agents' FoodCollector as a world (``world/library/FoodCollector.yaml``): laser, freezing, respawns."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sim import accel, make, make_world
from mlops_unity_pipeline.sim.world_env import REST_SINK
from mlops_unity_pipeline.spaces import ActionTuple
from mlops_unity_pipeline.world import library_worlds, load_world, world_from_dict, world_to_dict

needs_numba = pytest.mark.skipif(accel.kernels() is None, reason="numba missing or MLOPS_SIM_NUMBA=0")
FREEZE = 200  # FoodCollectorAgent: frozen until Time.time > frozenTime + 4 s (200 physics steps)
PERIOD = 5


def _food(compiled: bool = True, areas: int = 1):
    env = make("world:FoodCollector", num_agents=5 * areas, seed=0)
    env.compiled = compiled and env.compiled
    env.reset(seed=0)
    return env


def _clear(env, keep: dict[int, tuple[float, float]] | None = None) -> None:
    """Move area 0's food copies to the far corner (copy j to (x, z) for those in ``keep``)."""
    for j in range(env.entity_position.shape[1]):
        x, z = (keep or {}).get(j, (-44.0 + 0.2 * j, 44.0))
        env.entity_position[0, j, 0], env.entity_position[0, j, 2] = x, z


def _place(env, spots, yaw: float = 0.0) -> None:
    """Put area 0's agents at (x, z) spots, at rest, facing ``yaw`` (the last ones far apart if not given)."""
    spots = list(spots) + [(-40.0 + 5 * m, -40.0) for m in range(len(spots), 5)]
    for m, (x, z) in enumerate(spots):
        env.agent_position[m] = [x, env.agent_half - REST_SINK, z]
        env.agent_velocity[m] = 0.0
        env.agent_yaw[m] = yaw


def _act(env, shoot=(), forward=()) -> ActionTuple:
    cont = np.zeros((env.num_agents, 3), np.float32)
    cont[list(forward), 0] = 1.0
    disc = np.zeros((env.num_agents, 1), np.int64)
    disc[list(shoot), 0] = 1
    return ActionTuple(cont, disc)


def test_food_collector_world_has_upstream_layout():
    """Two sensors as upstream's FoodCollectorArea.prefab: rays [49] then vector [4]; 3 continuous + 1 x 2."""
    env = make("world:FoodCollector", num_agents=10)
    specs = env.signature.observation_specs
    assert [(s.name, s.shape) for s in specs] == [("RayPerceptionSensor", (49,)), ("VectorSensor", (4,))]
    assert env.signature.action_spec.continuous_size == 3
    assert env.signature.action_spec.discrete_branches == (2,)
    assert env.signature.name == "FoodCollector" and env.max_step == 5000 and env.decision_period == 5
    assert env.agents_per_area == 5 and env.entity_position.shape[1] == 50


@pytest.mark.parametrize("compiled", [True, False], ids=["numba", "numpy"])
def test_laser_freezes_the_agent_ahead(compiled):
    """A shot freezes the agent straight ahead: it ignores its moves, is seen as frozenAgent, flags say so."""
    env = _food(compiled)
    _clear(env)
    _place(env, [(0.0, 0.0), (0.0, 10.0)])
    batch = env.step(_act(env, shoot=[0]))
    assert env.laser.frozen[:5].tolist() == [False, True, False, False, False]
    assert batch.obs[1][0, 3] == 1.0 and batch.obs[1][0, 2] == 0.0  # shooter: shooting, not frozen
    assert batch.obs[1][1, 2] == 1.0  # target: frozen
    rays = batch.obs[0][0].reshape(7, 7)
    assert rays[0, :5].tolist() == [0, 0, 0, 0, 1]  # the centre ray sees frozenAgent, not agent
    before = env.agent_position[1].copy()
    env.step(_act(env, forward=[1]))
    assert np.allclose(env.agent_position[1, [0, 2]], before[[0, 2]])


@pytest.mark.parametrize("compiled", [True, False], ids=["numba", "numpy"])
def test_laser_misses_off_line_out_of_range_and_behind_food(compiled):
    """No freeze when the target is off the laser's line, beyond its 25 units, or behind a food sphere."""
    env = _food(compiled)
    _clear(env)
    _place(env, [(0.0, 0.0), (5.0, 10.0), (-20.0, 27.0)])
    env.step(_act(env, shoot=[0]))
    assert not env.laser.frozen.any()
    _clear(env, {0: (0.0, 5.0)})  # a food sphere between shooter and target stops the laser
    _place(env, [(0.0, 0.0), (0.0, 10.0)])
    env.step(_act(env, shoot=[0]))
    assert not env.laser.frozen.any()
    _clear(env)
    _place(env, [(0.0, 0.0), (0.0, 10.0)])
    env.step(_act(env, shoot=[0]))
    assert env.laser.frozen[1]


@pytest.mark.parametrize("compiled", [True, False], ids=["numba", "numpy"])
def test_freeze_lasts_its_steps_and_frozen_agents_cannot_shoot(compiled):
    """A frozen agent stays frozen for exactly 200 physics steps and cannot shoot; then it moves again."""
    env = _food(compiled)
    _clear(env)
    _place(env, [(0.0, 0.0), (0.0, 10.0)])
    env.step(_act(env, shoot=[0]))  # hit on the decision's first physics step
    _place(env, [(0.0, 0.0), (0.0, 10.0)], yaw=180.0)  # the target now faces the shooter
    env.step(_act(env, shoot=[1]))
    assert not env.laser.frozen[0]  # a frozen agent's laser does not fire
    assert env.laser.frozen_left[1] == FREEZE + 1 - 2 * PERIOD  # counted down on steps 2..10
    for _ in range(FREEZE // PERIOD - 3):
        env.step(_act(env, forward=[1]))
    assert env.laser.frozen[1] and env.laser.frozen_left[1] == PERIOD + 1
    z = env.agent_position[1, 2]
    env.step(_act(env, forward=[1]))  # steps 196..200: still frozen; it thaws at the start of step 201
    assert env.laser.frozen[1]
    assert env.agent_position[1, 2] == pytest.approx(z)
    env.step(_act(env, forward=[1]))
    assert not env.laser.frozen[1] and env.agent_position[1, 2] < z - 0.5  # moves forward (-z) again


def test_shooting_slows_the_shooter_and_speed_is_capped():
    """A shooting step scales velocity by 0.75 and the move by 0.5; above speed 5 velocity decays by 0.95."""
    env = _food()
    _clear(env)
    _place(env, [(0.0, 0.0)], yaw=90.0)
    env.agent_velocity[0] = [4.0, 0.0, 0.0]
    env.step(_act(env, shoot=[0]))
    walked = make("world:FoodCollector", num_agents=5, seed=0)
    walked.reset(seed=0)
    _clear(walked)
    _place(walked, [(0.0, 0.0)], yaw=90.0)
    walked.agent_velocity[0] = [4.0, 0.0, 0.0]
    walked.step(_act(walked))
    assert env.agent_velocity[0, 0] < 0.3 * walked.agent_velocity[0, 0]
    world = load_world(library_worlds()["FoodCollector"])
    uncapped = dataclasses.replace(
        world,
        agent=dataclasses.replace(
            world.agent, movement=dataclasses.replace(world.agent.movement, slow_above=0.0)
        ),
    )
    speeds = []
    for env in (_food(), make_world(uncapped, num_agents=5, seed=0)):
        env.reset(seed=0)
        _clear(env)
        _place(env, [(-30.0, 0.0)], yaw=90.0)
        env.agent_velocity[0] = [10.0, 0.0, 0.0]
        env.step(_act(env))
        speeds.append(env.agent_velocity[0, 0])
    assert 0.6 * speeds[1] < speeds[0] < 0.8 * speeds[1]  # 0.95 on each of 5 steps above speed 5: 0.77


def test_food_respawns_and_bad_food_costs():
    """Touching food pays +1 and the food reappears elsewhere; bad food pays -1 and reappears too."""
    env = _food()
    _clear(env, {0: (0.0, 1.2), 25: (10.0, 1.2)})
    _place(env, [(0.0, 0.0), (10.0, 0.0)])
    batch = env.step(_act(env))
    assert batch.reward[0] == pytest.approx(1.0) and batch.reward[1] == pytest.approx(-1.0)
    assert env.entity_active[0, [0, 25]].all()
    assert np.hypot(*(env.entity_position[0, 0, [0, 2]] - [0.0, 1.2])) > 1.0
    assert np.abs(env.entity_position[0, :, [0, 2]]).max() <= 45.0


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_rotate_left_turns_left(sign):
    """The third continuous action turns left for positive values (``-transform.up * rotate``), 6 deg/step."""
    env = _food()
    _place(env, [(0.0, 0.0)], yaw=90.0)
    cont = np.zeros((5, 3), np.float32)
    cont[0, 2] = sign
    env.step(ActionTuple(cont, np.zeros((5, 1), np.int64)))
    assert env.agent_yaw[0] == pytest.approx((90.0 - sign * 6.0 * PERIOD) % 360.0)


@needs_numba
def test_compiled_and_numpy_paths_agree_with_lasers():
    """Random play with lasers in four areas: both engines give equal states, rewards and freezes."""
    runs = []
    for compiled in (True, False):
        env = _food(compiled, areas=4)
        rng = np.random.default_rng(3)
        rewards, frozen = [], []
        for _ in range(60):
            cont = rng.uniform(-1, 1, (20, 3)).astype(np.float32)
            disc = rng.integers(0, 2, (20, 1))
            batch = env.step(ActionTuple(cont, disc))
            rewards.append(batch.reward.copy())
            frozen.append(env.laser.frozen.copy())
        runs.append(
            (env.agent_position.copy(), np.array(rewards), np.array(frozen), env.entity_position.copy())
        )
    (p1, r1, f1, e1), (p2, r2, f2, e2) = runs
    assert np.array_equal(f1, f2) and f1.any()
    assert np.allclose(p1, p2, atol=1e-9) and np.allclose(r1, r2) and np.allclose(e1, e2)


def test_episode_begin_thaws():
    """OnEpisodeBegin unfreezes: a frozen agent whose episode ends starts the next one free."""
    world = dataclasses.replace(load_world(library_worlds()["FoodCollector"]), max_step=10)
    env = make_world(world, num_agents=5, seed=0)
    env.reset(seed=0)
    _clear(env)
    _place(env, [(0.0, 0.0), (0.0, 10.0)])
    env.step(_act(env, shoot=[0]))
    assert env.laser.frozen[1]
    batch = env.step(_act(env))  # MaxStep 10: every agent's episode is interrupted and begins anew
    assert batch.truncated[:5].all() and not env.laser.frozen.any()


def _food_dict() -> dict:
    return world_to_dict(load_world(library_worlds()["FoodCollector"]))


def _no_laser(data: dict) -> None:
    """Drop the laser and what observes it (the frozenAgent tag, the frozen and shooting items)."""
    data["agent"].pop("laser")
    rays, vector = data["agent"]["sensors"]
    rays["detectable_tags"] = rays["detectable_tags"][:4]
    vector["items"] = vector["items"][:1]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_no_laser, r"agent\.laser: a 'shoot' action needs a laser"),
        (
            lambda d: d["agent"]["actions"].update(discrete=[]),
            r"agent\.laser: no action fires it",
        ),
        (lambda d: d["agent"].update(count=1), r"agent\.laser: .*agent\.count >= 2"),
        (lambda d: d["agent"]["laser"].update(frozen_tag="agent"), r"agent\.laser\.frozen_tag: must differ"),
        (lambda d: d["agent"]["laser"].update(radius=20), r"agent\.laser\.radius"),
        (lambda d: d["agent"]["laser"].update(freeze_steps=0), r"agent\.laser\.freeze_steps"),
        (lambda d: d["agent"]["movement"].update(slow_above=-1), r"agent\.movement\.slow_above"),
    ],
)
def test_bad_laser_settings_name_the_field(change, message):
    """A laser without a shoot action (or the reverse), alone, or with bad fields: SpecError naming it."""
    data = _food_dict()
    change(data)
    with pytest.raises(SpecError, match=message):
        world_from_dict(data)


def test_laser_items_need_a_laser():
    """The frozen and shooting vector items refuse a world without a laser."""
    data = _food_dict()
    data["agent"].pop("laser")
    data["agent"]["sensors"][0]["detectable_tags"] = ["food", "agent", "wall", "badFood"]
    data["agent"]["actions"]["discrete"] = []
    with pytest.raises(SpecError, match=r"agent\.sensors\[1\]\.items\[1\]: 'frozen' observes the laser"):
        world_from_dict(data)


def test_generator_refuses_the_laser_features():
    """codegen refuses FoodCollector's laser, speed cap, rotate_left and laser items by field path."""
    from mlops_unity_pipeline.codegen.world.layout import refusals

    found = refusals(load_world(library_worlds()["FoodCollector"]))
    for path in ("agent.laser", "agent.movement.slow_above", "rotate_left", "items[1]: frozen"):
        assert any(path in line for line in found), (path, found)
