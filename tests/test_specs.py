"""Specs validate strictly, name the bad field, load from YAML/JSON and map onto ML-Agents settings."""

from __future__ import annotations

import json

import pytest
import yaml

from mlops_unity_pipeline.errors import ConfigError, ScheduleError, SpecError
from mlops_unity_pipeline.specs import (
    BASE_BEHAVIOR_SETTINGS,
    TRAINER_TYPES,
    Algorithm,
    BuildBackend,
    CodegenProvider,
    ExecutionSpec,
    Executor,
    OverlapPolicy,
    RLTrainingConfig,
    TrainerBackend,
    TrainingJob,
    TrainingSchedule,
    UnityAssetSpec,
    load_job,
    load_schedule,
    validate_id,
)


def guide_asset(**changes):
    data = dict(
        asset_id="nav-001",
        name="NavigationAgent",
        asset_type="behavior",
        description="Navigate around obstacles to reach a target",
        observation_space={"raycast": 8, "velocity": 2},
        action_space={"type": "continuous", "size": 2},
    )
    data.update(changes)
    return UnityAssetSpec(**data)


def test_guide_defaults():
    """The guide's fields exist with sensible defaults."""
    config = RLTrainingConfig()
    assert (config.algorithm, config.max_steps, config.num_envs, config.time_scale) == (
        "PPO",
        500_000,
        1,
        20.0,
    )
    assert (
        config.use_offline_rl is False
        and config.demonstrations_path is None
        and config.mlagents_overrides == {}
    )
    asset = UnityAssetSpec(asset_id="a", name="A")
    assert asset.asset_type == "behavior" and asset.observation_space is None


@pytest.mark.parametrize(
    "bad",
    ["../evil", "/abs/path", "a/b", "", ".hidden", "a..b", "x" * 129, "sp ace", "tab\t", "ünïcode", 7, None],
)
def test_unsafe_ids_are_rejected(bad):
    """Ids that could escape the workspace or are not plain names raise SpecError naming the field."""
    with pytest.raises(SpecError, match="job_id"):
        validate_id(bad, "job_id")


@pytest.mark.parametrize("good", ["a", "nav-001", "Job_2.v3", "x" * 128])
def test_safe_ids_pass(good):
    """Plain ids are accepted unchanged."""
    assert validate_id(good, "job_id") == good


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"asset_id": "../x"}, "asset_id"),
        ({"name": ""}, "name"),
        ({"name": "1Bad"}, "name"),
        ({"asset_type": "prefab"}, "asset_type"),
        ({"description": 5}, "description"),
        ({"observation_space": {"raycast": 0}}, "observation_space.raycast"),
        ({"observation_space": {"raycast": 2.5}}, "observation_space.raycast"),
        ({"observation_space": []}, "observation_space"),
        ({"action_space": {"type": "analog", "size": 2}}, "action_space.type"),
        ({"action_space": {"type": "continuous"}}, "action_space.size"),
        ({"action_space": {"type": "continuous", "size": 2, "extra": 1}}, "extra"),
        ({"action_space": {"type": "discrete", "branches": [0]}}, r"branches\[0\]"),
    ],
)
def test_bad_asset_fields_name_the_field(changes, field):
    """Each bad asset field raises SpecError whose message names it."""
    with pytest.raises(SpecError, match=field):
        guide_asset(**changes)


def test_asset_of_reads_a_spec_a_mapping_or_any_object_with_its_fields():
    """UnityAssetSpec.of returns a spec as is, reads mappings strictly and objects by attribute."""
    from types import SimpleNamespace

    spec = UnityAssetSpec(asset_id="nav-001", name="NavigationAgent", description="Reach the goal")
    assert UnityAssetSpec.of(spec) is spec
    assert UnityAssetSpec.of(spec.to_dict()) == spec
    duck = SimpleNamespace(asset_id="nav-001", name="NavigationAgent", description="Reach the goal")
    assert UnityAssetSpec.of(duck) == spec
    with pytest.raises(SpecError, match="missing field 'name' on SimpleNamespace"):
        UnityAssetSpec.of(SimpleNamespace(asset_id="nav-001"))
    with pytest.raises(SpecError, match="unknown key 'size'"):
        UnityAssetSpec.of({"asset_id": "nav-001", "name": "A", "size": 3})


def test_discrete_size_reads_as_one_branch():
    """{"type": "discrete", "size": 5} normalizes to one branch of 5."""
    assert guide_asset(action_space={"type": "discrete", "size": 5}).action_space == {
        "type": "discrete",
        "branches": [5],
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"algorithm": "DQN"}, "algorithm"),
        ({"max_steps": 0}, "max_steps"),
        ({"max_steps": True}, "max_steps"),
        ({"max_steps": 1.5}, "max_steps"),
        ({"num_envs": 0}, "num_envs"),
        ({"time_scale": -1}, "time_scale"),
        ({"time_scale": float("nan")}, "time_scale"),
        ({"use_offline_rl": True}, "use_offline_rl"),
        ({"use_offline_rl": "yes"}, "use_offline_rl"),
        ({"seed": -3}, "seed"),
        ({"build_backend": "docker"}, "build_backend"),
        ({"trainer_backend": "rllib"}, "trainer_backend"),
        ({"evaluation_episodes": 0}, "evaluation_episodes"),
        ({"codegen_provider": "magic"}, "codegen_provider"),
        ({"mlagents_overrides": {"learning_rate": 1}}, "learning_rate"),
        ({"mlagents_overrides": []}, "mlagents_overrides"),
    ],
)
def test_bad_config_fields_name_the_field(changes, field):
    """Each bad training-config field raises SpecError whose message names it."""
    with pytest.raises(SpecError, match=field):
        RLTrainingConfig(**changes)


def test_algorithm_is_case_insensitive_and_float_steps_accepted():
    """'ppo' normalizes to 'PPO'; 1e5 (a float, as YAML writes it) is an integer step count."""
    config = RLTrainingConfig(algorithm="ppo", max_steps=1e5)
    assert config.algorithm == "PPO" and config.max_steps == 100_000 and isinstance(config.max_steps, int)


def test_run_options_mapping():
    """algorithm, max_steps, num_envs, time_scale and seed land in the ML-Agents settings."""
    config = RLTrainingConfig(algorithm="SAC", max_steps=30_000, num_envs=4, time_scale=50.0, seed=7)
    options = config.to_run_options("Nav", run_id="job-1", results_dir="/tmp/r")
    behavior = options.behavior_settings("Nav")
    assert behavior.trainer_type.value == "sac"
    assert behavior.max_steps == 30_000
    assert options.env_settings.num_envs == 4 and options.env_settings.seed == 7
    assert options.engine_settings.time_scale == 50.0
    assert options.checkpoint_settings.run_id == "job-1"
    assert str(options.checkpoint_settings.results_dir) == "/tmp/r"


def test_overrides_deep_merge_any_mlagents_setting():
    """mlagents_overrides reach any ML-Agents key and merge deeply (sibling keys survive)."""
    config = RLTrainingConfig(
        mlagents_overrides={
            "default_settings": {
                "hyperparameters": {"batch_size": 64},
                "network_settings": {"hidden_units": 32},
            },
            "behaviors": {"Nav": {"time_horizon": 128}},
            "torch_settings": {"device": "cpu"},
        }
    )
    options = config.to_run_options("Nav")
    behavior = options.behavior_settings("Nav")
    assert behavior.hyperparameters.batch_size == 64
    base = BASE_BEHAVIOR_SETTINGS[Algorithm.PPO]["hyperparameters"]["buffer_size"]
    assert behavior.hyperparameters.buffer_size == base  # the pipeline default survives the merge
    assert behavior.network_settings.hidden_units == 32 and behavior.network_settings.normalize is True
    assert behavior.time_horizon == 128
    assert options.torch_settings.device == "cpu"


def test_override_for_another_behavior_is_an_error():
    """Overrides for a behavior this job does not train are rejected, naming both."""
    config = RLTrainingConfig(mlagents_overrides={"behaviors": {"Other": {"time_horizon": 8}}})
    with pytest.raises(SpecError, match="Other"):
        config.to_run_options("Nav")


def test_bad_override_fails_when_the_spec_is_written():
    """A wrong nested ML-Agents key fails at construction, naming the key (strict config loader)."""
    with pytest.raises(ConfigError, match="lr"):
        RLTrainingConfig(mlagents_overrides={"default_settings": {"hyperparameters": {"lr": 0.1}}})


def test_offline_rl_maps_to_behavioral_cloning_and_demos_to_gail():
    """use_offline_rl → behavioral_cloning over the run; demonstrations alone → a GAIL reward signal."""
    offline = RLTrainingConfig(demonstrations_path="demos/x.demo", use_offline_rl=True, max_steps=10_000)
    data = offline.run_options_dict("Nav")["behaviors"]["Nav"]
    assert data["behavioral_cloning"] == {"demo_path": "demos/x.demo", "strength": 1.0, "steps": 10_000}
    gail = RLTrainingConfig(demonstrations_path="demos/x.demo").run_options_dict("Nav")["behaviors"]["Nav"]
    assert gail["reward_signals"]["gail"]["demo_path"] == "demos/x.demo"
    assert "behavioral_cloning" not in gail


def test_job_round_trip_and_unknown_keys(tmp_path):
    """to_dict/from_dict round-trips; an unknown key names itself."""
    job = TrainingJob(job_id="j1", asset_spec=guide_asset(), rl_config=RLTrainingConfig(max_steps=1000))
    assert TrainingJob.from_dict(job.to_dict()) == job
    data = job.to_dict()
    data["rl_config"]["lr"] = 3
    with pytest.raises(SpecError, match="unknown key 'lr' in rl_config"):
        TrainingJob.from_dict(data)
    with pytest.raises(SpecError, match="missing required key 'asset_spec'"):
        TrainingJob.from_dict({"job_id": "x"})


def test_load_job_yaml_and_json(tmp_path):
    """Jobs load from YAML and JSON; errors name the file and the field."""
    job = TrainingJob(job_id="j1", asset_spec=guide_asset())
    (tmp_path / "job.json").write_text(json.dumps(job.to_dict()))
    assert load_job(tmp_path / "job.json") == job
    (tmp_path / "job.yaml").write_text(
        "job_id: j1\nasset_spec:\n  asset_id: nav-001\n  name: NavigationAgent\n"
        "  description: Navigate around obstacles to reach a target\n"
        "  observation_space: {raycast: 8, velocity: 2}\n  action_space: {type: continuous, size: 2}\n"
    )
    assert load_job(tmp_path / "job.yaml") == job
    (tmp_path / "bad.yaml").write_text("job_id: ../up\nasset_spec: {asset_id: a, name: A}\n")
    with pytest.raises(SpecError, match=r"bad.yaml: job_id"):
        load_job(tmp_path / "bad.yaml")
    (tmp_path / "broken.yaml").write_text("job_id: [unclosed\n")
    with pytest.raises(SpecError, match="invalid YAML at line"):
        load_job(tmp_path / "broken.yaml")
    (tmp_path / "list.yaml").write_text("- 1\n")
    with pytest.raises(SpecError, match="mapping"):
        load_job(tmp_path / "list.yaml")
    with pytest.raises(SpecError, match="no such file"):
        load_job(tmp_path / "missing.yaml")


def test_schedule_validation_and_round_trip(tmp_path):
    """Schedules check cron, time zone, overlap policy and ids; they round-trip through YAML."""
    schedule = TrainingSchedule(
        schedule_id="nightly",
        cron_expression="0 2 * * *",
        asset_specs=[
            UnityAssetSpec(asset_id="agent-001", name="SimpleAgent", description="Reach target position")
        ],
        rl_config=RLTrainingConfig(algorithm="PPO", max_steps=200_000),
    )
    assert TrainingSchedule.from_dict(schedule.to_dict()) == schedule
    import yaml

    (tmp_path / "s.yaml").write_text(yaml.safe_dump(schedule.to_dict()))
    assert load_schedule(tmp_path / "s.yaml") == schedule
    base = schedule.to_dict()
    for key, value, match in [
        ("cron_expression", "61 * * * *", "cron_expression"),
        ("timezone", "Mars/Olympus", "timezone"),
        ("overlap_policy", "sometimes", "overlap_policy"),
        ("schedule_id", "../x", "schedule_id"),
        ("misfire_grace_seconds", -1, "misfire_grace_seconds"),
        ("asset_specs", [], "asset_specs"),
    ]:
        with pytest.raises(SpecError, match=match):
            TrainingSchedule.from_dict({**base, key: value})
    with pytest.raises(ScheduleError):
        TrainingSchedule.from_dict({**base, "cron_expression": "not cron"})
    dup = {**base, "asset_specs": [base["asset_specs"][0], base["asset_specs"][0]]}
    with pytest.raises(SpecError, match="unique"):
        TrainingSchedule.from_dict(dup)


def test_curriculum_override_names_its_behavior():
    """A curriculum in mlagents_overrides is validated against the behavior its lessons name."""
    lessons = [
        {"name": "open", "value": 0, "completion_criteria": {"behavior": "Nav", "threshold": 0.5}},
        {"name": "full", "value": 5},
    ]
    config = RLTrainingConfig(
        mlagents_overrides={"environment_parameters": {"num_obstacles": {"curriculum": lessons}}}
    )
    options = config.to_run_options("Nav")
    assert "num_obstacles" in options.environment_parameters
    with pytest.raises(SpecError):
        config.to_run_options("Other")


def test_enum_fields_are_enums_parsed_case_insensitively_and_written_as_values():
    """Algorithm, backends, provider, executor, overlap policy load in any case; dicts hold plain values."""
    config = RLTrainingConfig.from_dict(
        {
            "algorithm": "sac",
            "build_backend": "UNITY",
            "trainer_backend": "MLAgents-Learn",
            "codegen_provider": "OpenAI",
        }
    )
    assert config.algorithm is Algorithm.SAC and config.build_backend is BuildBackend.UNITY
    assert config.trainer_backend is TrainerBackend.MLAGENTS
    assert config.codegen_provider is CodegenProvider.OPENAI
    data = config.to_dict()
    assert (data["algorithm"], data["trainer_backend"]) == ("SAC", "mlagents")
    assert data["codegen_provider"] == "openai"
    keys = ("algorithm", "build_backend", "trainer_backend", "codegen_provider")
    assert all(type(data[k]) is str for k in keys)
    assert yaml.safe_load(yaml.safe_dump(data)) == data and RLTrainingConfig.from_dict(data) == config
    with pytest.raises(SpecError, match="codegen_provider: expected one of rules, openai, anthropic"):
        RLTrainingConfig(codegen_provider="gpt")
    schedule = TrainingSchedule(
        schedule_id="nightly",
        cron_expression="0 2 * * *",
        asset_specs=[UnityAssetSpec(asset_id="agent-001", name="SimpleAgent")],
        overlap_policy="QUEUE",
        execution=ExecutionSpec(executor="Local"),
    )
    assert schedule.overlap_policy is OverlapPolicy.QUEUE and schedule.execution.executor is Executor.LOCAL
    data = schedule.to_dict()
    assert data["overlap_policy"] == "queue" and data["execution"]["executor"] == "local"
    assert yaml.safe_load(yaml.safe_dump(data)) == data and TrainingSchedule.from_dict(data) == schedule


def test_algorithms_are_the_trainer_types():
    """Each Algorithm maps onto one ML-Agents TrainerType and every TrainerType has its Algorithm."""
    from mlops_unity_pipeline.rl.config import TrainerType

    assert set(TRAINER_TYPES) == set(Algorithm)
    assert sorted(TrainerType(t) for t in TRAINER_TYPES.values()) == sorted(TrainerType)  # one-to-one, onto
    for algorithm, settings in BASE_BEHAVIOR_SETTINGS.items():
        assert settings["trainer_type"] == algorithm.trainer_type
