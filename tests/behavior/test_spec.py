"""Tests of the behavior IR: validation, serialization, and the link to the simulator."""

from __future__ import annotations

import dataclasses

import pytest

from mlops_unity_pipeline.behavior import Archetype, BehaviorSpec, default_spec
from mlops_unity_pipeline.behavior.kinds import NAVIGATION_DISCRETE
from mlops_unity_pipeline.behavior.parts import SensorItem
from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sim.archetypes import NavigationParams
from mlops_unity_pipeline.spaces import ActionSpec


@pytest.mark.parametrize("archetype", list(Archetype))
def test_round_trip(archetype):
    """to_dict/from_dict give back an equal spec for every archetype."""
    spec = default_spec(archetype, "Robot")
    assert BehaviorSpec.from_dict(spec.to_dict()) == spec


def test_navigation_defaults_equal_the_simulator_defaults():
    """The default navigation spec converts to exactly NavigationParams()."""
    assert default_spec(Archetype.NAVIGATION, "NavigationAgent").to_navigation_params() == NavigationParams()


def test_reach_target_defaults_equal_the_simulator_preset():
    """The reach-target default equals sim's ReachTarget preset apart from the name."""
    from mlops_unity_pipeline.sim import reach_target_params

    params = default_spec(Archetype.REACH_TARGET, "ReachTarget").to_navigation_params()
    assert params == reach_target_params()


def test_balance_has_no_navigation_params():
    """Balance maps to 3DBall, not to NavigationParams."""
    spec = default_spec(Archetype.BALANCE, "Balancer")
    assert spec.to_navigation_params() is None
    assert spec.observation_size == 8 and spec.actions == ActionSpec(continuous_size=2)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"behavior_name": "bad name"}, "behavior_name"),
        ({"decision_period": 0}, "decision_period"),
        ({"actions": ActionSpec(continuous_size=3)}, "2 continuous"),
        ({"observations": (SensorItem("velocity", 3),)}, "velocity"),
        ({"observations": (SensorItem("smell", 1),)}, "smell"),
        ({"end_conditions": ("target_reached",)}, "max_step"),
        ({"env_parameters": (("gravity", 9.8),)}, "gravity"),
    ],
)
def test_invalid_navigation_specs_name_the_field(change, message):
    """Invalid fields raise SpecError naming what is wrong."""
    base = default_spec(Archetype.NAVIGATION, "Nav")
    with pytest.raises(SpecError, match=message):
        dataclasses.replace(base, **change)


def test_balance_rejects_discrete_actions():
    """A balance spec with discrete actions is a contradiction."""
    with pytest.raises(SpecError, match="balance"):
        dataclasses.replace(default_spec(Archetype.BALANCE, "B"), actions=NAVIGATION_DISCRETE)


def test_reach_target_rejects_obstacles():
    """reach_target has no obstacles; navigation needs at least one."""
    nav = default_spec(Archetype.NAVIGATION, "N")
    with pytest.raises(SpecError, match="no obstacles"):
        dataclasses.replace(nav, archetype=Archetype.REACH_TARGET)


def test_from_dict_rejects_unknown_keys():
    """Strict loading: an unknown key is named."""
    data = default_spec(Archetype.NAVIGATION, "N").to_dict()
    data["speed"] = 3
    with pytest.raises(SpecError, match="unknown key 'speed'"):
        BehaviorSpec.from_dict(data)
    data = default_spec(Archetype.NAVIGATION, "N").to_dict()
    data["arena"]["size"] = 3
    with pytest.raises(SpecError, match="unknown key 'size' in arena"):
        BehaviorSpec.from_dict(data)


@pytest.mark.parametrize("archetype", list(Archetype))
def test_make_env_matches_the_spec_signature(archetype):
    """The simulator built from the spec has the spec's behavior name, observation size and actions."""
    from mlops_unity_pipeline.sim import SimEnv

    spec = default_spec(archetype, "Robot")
    env = spec.make_env(num_agents=2, seed=0)
    try:
        assert isinstance(env, SimEnv)  # a real simulator, usable by the Gymnasium and behavior views
        assert env.signature.name == "Robot"
        assert env.signature.observation_specs[0].shape == (spec.observation_size,)
        assert env.signature.action_spec == spec.actions
        batch = env.reset(seed=0)
        assert batch.obs[0].shape == (2, spec.observation_size)
    finally:
        env.close()


def test_discrete_navigation_env_matches():
    """A discrete navigation spec gives a simulator with one branch of 5 and an action mask."""
    spec = dataclasses.replace(default_spec(Archetype.NAVIGATION, "Grid"), actions=NAVIGATION_DISCRETE)
    env = spec.make_env(num_agents=1, seed=1)
    batch = env.reset(seed=1)
    assert env.signature.action_spec.discrete_branches == (5,)
    assert batch.action_mask is not None and batch.action_mask.shape == (1, 5)


@pytest.mark.parametrize("archetype", list(Archetype))
def test_json_schema_describes_to_dict(archetype):
    """The schema given to LLMs names exactly to_dict's keys and every enum value the spec uses."""
    schema = BehaviorSpec.json_schema()
    data = default_spec(archetype, "Robot").to_dict()
    assert set(schema["properties"]) == set(data)
    assert set(schema["required"]) <= set(data)
    props = schema["properties"]
    assert data["archetype"] in props["archetype"]["enum"]
    assert data["heuristic"] in props["heuristic"]["enum"]
    assert all(
        o["kind"] in props["observations"]["items"]["properties"]["kind"]["enum"]
        for o in data["observations"]
    )
    assert all(r["kind"] in props["rewards"]["items"]["properties"]["kind"]["enum"] for r in data["rewards"])
    assert set(data["end_conditions"]) <= set(props["end_conditions"]["items"]["enum"])
    for section in ("rays", "arena"):
        if data[section] is not None:
            assert set(data[section]) == set(props[section]["properties"])


def test_json_schema_name_pattern_is_anchored_like_fullmatch():
    """JSON Schema patterns search, so the behavior_name pattern must refuse what fullmatch refuses."""
    import re

    pattern = BehaviorSpec.json_schema()["properties"]["behavior_name"]["pattern"]
    assert re.search(pattern, "Robot_1")
    for bad in ("bad name", "1Robot", "Robot!", "R" * 65):
        assert re.search(pattern, bad) is None


def test_loading_errors_name_the_source_and_the_field():
    """A bad value deep in a serialized spec is reported with its source and field path."""
    data = default_spec(Archetype.NAVIGATION, "N").to_dict()
    data["rays"]["num_rays"] = "many"
    with pytest.raises(SpecError, match=r"^job.json: .*rays\.num_rays"):
        BehaviorSpec.from_dict(data, source="job.json")
    data = default_spec(Archetype.NAVIGATION, "N").to_dict()
    data["observations"] = "velocity"
    with pytest.raises(SpecError, match=r"^job.json: observations: expected a list, got str"):
        BehaviorSpec.from_dict(data, source="job.json")


@pytest.mark.parametrize(
    ("archetype", "name"),
    [
        (Archetype.BALANCE, "num_obstacles"),
        (Archetype.REACH_TARGET, "gravity"),
        (Archetype.NAVIGATION, "mass"),
    ],
)
def test_env_parameters_unknown_to_the_archetype_are_named(archetype, name):
    """Each archetype accepts only the parameters its simulator reads; others are named, with the known."""
    spec = default_spec(archetype, "Robot")
    with pytest.raises(SpecError, match=rf"env_parameters \['{name}'\] unknown to {archetype.value}"):
        dataclasses.replace(spec, env_parameters=((name, 1.0),))
