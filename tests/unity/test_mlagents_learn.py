"""Tests for the mlagents-learn backend, driven through a stand-in mlagents-learn that behaves like 1.1.0."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from mlops_unity_pipeline.errors import JobCancelled, TrainError
from mlops_unity_pipeline.progress import ProgressEvent
from mlops_unity_pipeline.rl.config import RunOptions
from mlops_unity_pipeline.unity.mlagents_install import find_mlagents_learn, inspect_mlagents_learn
from mlops_unity_pipeline.unity.mlagents_learn import MlagentsLearnBackend

from .stand_ins import TRAINER_YAML, fake_env, write_fake_mlagents_learn, write_fake_player


@pytest.fixture
def setup(tmp_path: Path, leased_ports):
    """A stand-in mlagents-learn, a stand-in player, a trainer YAML and a backend factory.

    The backend hands out ports from 8 blocks of 16 that this test leases machine-wide, so parallel tests
    (xdist workers) never pick the same range.
    """
    exe = write_fake_mlagents_learn(tmp_path / "bin" / "mlagents-learn")
    player = write_fake_player(tmp_path / "build")
    config = tmp_path / "3DBall.yaml"
    config.write_text(TRAINER_YAML)
    first = leased_ports(8 * 16)

    def backend(**env: str) -> MlagentsLearnBackend:
        return MlagentsLearnBackend(
            exe,
            port_lock_dir=tmp_path / "locks",
            first_port=first,
            last_port=first + 8 * 16 - 1,
            env=fake_env(STANDIN_RECORD=str(tmp_path / "record.json"), **env),
            stop_grace_s=10,
        )

    return {
        "exe": exe,
        "player": player,
        "config": config,
        "backend": backend,
        "tmp": tmp_path,
        "first": first,
    }


def _options(
    s,
    *,
    env_path: Path | None = None,
    run_id: str = "run1",
    num_envs: int = 2,
    torch_device: str | None = None,
    seed: int = -1,
    resume: bool = False,
    force: bool = False,
    initialize_from: str | None = None,
) -> RunOptions:
    """The stand-in's trainer YAML as RunOptions, with the run's flags set as mlagents-learn folds them in."""
    base = RunOptions.from_dict(yaml.safe_load(TRAINER_YAML))
    env = replace(base.env_settings, env_path=str(env_path or s["player"]), num_envs=num_envs, seed=seed)
    checkpoint = replace(
        base.checkpoint_settings,
        run_id=run_id,
        results_dir=str(s["tmp"] / "results"),
        resume=resume,
        force=force,
        initialize_from=initialize_from,
    )
    return replace(
        base,
        env_settings=env,
        engine_settings=replace(base.engine_settings, time_scale=20.0, no_graphics=True),
        checkpoint_settings=checkpoint,
        torch_settings=replace(base.torch_settings, device=torch_device),
    )


_RUN_KEYS = ("on_progress", "should_stop", "timeout_s", "log_path", "on_line")


def _run(s, backend: MlagentsLearnBackend, **kwargs):
    control = {k: kwargs.pop(k) for k in _RUN_KEYS if k in kwargs}
    options = _options(s, **kwargs)
    # run() writes the YAML: concurrent runs each get their own, as each job has its own in the pipeline
    config = s["config"].with_name(f"{options.checkpoint_settings.run_id}.yaml")
    return backend.run(options, config, **control)


def test_command_line_exact(setup) -> None:
    """The command line has every documented flag, in order, with --env-args last."""
    backend = setup["backend"]()
    cmd = backend.command(
        setup["config"],
        env_path=Path("/b/P.x86_64"),
        run_id="r1",
        results_dir=Path("/w/results"),
        num_envs=4,
        time_scale=20,
        no_graphics=True,
        torch_device="cpu",
        base_port=5021,
        seed=7,
        timeout_wait=120,
        env_args=["-logFile", "-"],
    )
    assert cmd == [
        str(setup["exe"]),
        str(setup["config"].resolve()),
        "--env=/b/P.x86_64",
        "--run-id=r1",
        "--num-envs=4",
        "--base-port=5021",
        "--seed=7",
        "--time-scale=20",
        "--no-graphics",
        "--results-dir=/w/results",
        "--torch-device=cpu",
        "--timeout-wait=120",
        "--env-args",
        "-logFile",
        "-",
    ]


def test_command_resume_wins_over_initialize_from(setup) -> None:
    """--resume and --initialize-from conflict; resume wins as in mlagents-learn itself."""
    backend = setup["backend"]()
    common = dict(env_path=None, run_id="r", results_dir=Path("/w"))
    resumed = backend.command(setup["config"], resume=True, initialize_from="old", force=True, **common)
    assert "--resume" in resumed and not any(a.startswith("--initialize-from") for a in resumed)
    assert "--force" not in resumed
    init = backend.command(setup["config"], initialize_from="old", no_graphics=False, **common)
    assert "--initialize-from=old" in init and "--no-graphics" not in init and "--env" not in " ".join(init)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"run_id": "../escape"}, "run_id"),
        ({"run_id": "a/b"}, "run_id"),
        ({"num_envs": 0}, "num_envs"),
        ({"time_scale": 0.0}, "time_scale"),
        ({"torch_device": "tpu"}, "torch_device"),
        ({"env_path": None, "num_envs": 2}, "needs env_path"),
        ({"initialize_from": "x y"}, "initialize_from"),
    ],
)
def test_command_rejects_bad_values(setup, kwargs: dict, match: str) -> None:
    """Bad values are TrainErrors naming the field."""
    args = dict(env_path=Path("/p"), run_id="r", results_dir=Path("/w"))
    args.update(kwargs)
    with pytest.raises(TrainError, match=match):
        setup["backend"]().command(setup["config"], **args)


def test_successful_run_collects_results_and_progress(setup) -> None:
    """A run streams progress (with max_steps and ETA), writes results, and collects status and ONNX."""
    events: list[ProgressEvent] = []
    result = _run(setup, setup["backend"](), on_progress=events.append, torch_device="cpu", seed=3)
    run_dir = setup["tmp"] / "results" / "run1"
    assert result.run_dir == run_dir and result.returncode == 0
    assert result.onnx_paths == {"3DBall": run_dir / "3DBall.onnx"}
    assert result.training_status["metadata"]["mlagents_version"] == "1.1.0"
    assert result.final_rewards == {"3DBall": 2.5}
    assert [e.step for e in events] == [1000, 2000, 3000, 4000, 5000]
    assert events[0].mean_reward is None and events[1].mean_reward == 1.0 and events[1].std_reward == 0.2
    assert all(e.max_steps == 5000 and e.behavior == "3DBall" for e in events)
    assert events[-1].eta_s == 0.0 and events[1].eta_s is not None and events[1].eta_s >= 0
    assert result.history == {"3DBall": [(2000, 1.0), (3000, 1.5), (4000, 2.0), (5000, 2.5)]}
    record = json.loads((setup["tmp"] / "record.json").read_text())
    assert record["argv"] == list(result.command[1:])
    assert f"--base-port={result.base_port}" in record["argv"] and "--torch-device=cpu" in record["argv"]
    assert f"--env={setup['player'].resolve()}" in record["argv"]
    assert record["cwd"] == str(setup["tmp"] / "results")
    assert record["env"] == {"PYTHONPATH": None, "VIRTUAL_ENV": None, "PYTHONUNBUFFERED": "1"}
    assert "Step: 5000" in result.log_path.read_text()


def test_environment_scrubbed_of_our_python(setup, monkeypatch: pytest.MonkeyPatch) -> None:
    """PYTHONPATH/VIRTUAL_ENV of our interpreter never leak into mlagents-learn's own venv."""
    monkeypatch.setenv("PYTHONPATH", "/ours")
    backend = setup["backend"](VIRTUAL_ENV="/ours/.venv")
    _run(setup, backend)
    record = json.loads((setup["tmp"] / "record.json").read_text())
    assert record["env"]["PYTHONPATH"] is None and record["env"]["VIRTUAL_ENV"] is None


def test_should_stop_sends_sigint_and_keeps_final_files(setup) -> None:
    """A stop sends one SIGINT; the trainer writes its final files; JobCancelled says how to resume."""
    backend = setup["backend"](FAKE_MLAGENTS_MODE="hang", FAKE_STEPS="3")
    seen: list[ProgressEvent] = []
    with pytest.raises(JobCancelled, match="resume=True"):
        _run(setup, backend, on_progress=seen.append, should_stop=lambda: len(seen) >= 3)
    run_dir = setup["tmp"] / "results" / "run1"
    assert (run_dir / "run_logs" / "training_status.json").is_file() and (run_dir / "3DBall.onnx").is_file()
    assert "Learning was interrupted" in (setup["tmp"] / "results" / "run1.mlagents-learn.log").read_text()


def test_timeout_stops_gracefully(setup) -> None:
    """A timeout stops the run with SIGINT and raises a TrainError naming the partial results."""
    backend = setup["backend"](FAKE_MLAGENTS_MODE="hang", FAKE_STEPS="2")
    with pytest.raises(TrainError, match="timeout and was stopped gracefully"):
        _run(setup, backend, timeout_s=1.0)
    assert (setup["tmp"] / "results" / "run1" / "run_logs" / "training_status.json").is_file()


def test_sigint_ignored_then_killed(setup) -> None:
    """A trainer ignoring SIGINT is killed after the grace period; the error says files may be missing."""
    backend = setup["backend"](FAKE_MLAGENTS_MODE="ignore_sigint", FAKE_STEPS="1")
    backend.stop_grace_s = 0.5
    with pytest.raises(TrainError, match="ignored SIGINT.*killed"):
        _run(setup, backend, timeout_s=0.5)


@pytest.mark.parametrize(
    ("mode", "match"),
    [
        ("unity_timeout", "(?s)unity_timeout.*Player-0.log"),
        ("behavior_mismatch", "(?s)behavior_not_in_config.*RollerBall"),
        ("version_mismatch", "(?s)version_mismatch.*com.unity.ml-agents"),
        ("crash", r"exit code 2(.*\n)*.*ZeroDivisionError"),
    ],
)
def test_known_failures_become_clear_errors(setup, mode: str, match: str) -> None:
    """The stand-in's failure output becomes a TrainError with the cause and the fix."""
    with pytest.raises(TrainError, match=match) as err:
        _run(setup, setup["backend"](FAKE_MLAGENTS_MODE=mode))
    assert err.value.run_id == "run1"


def test_worker_in_use_when_ports_collide(setup) -> None:
    """Without leases (same base port) a second trainer hits 'worker number … is still in use'."""
    held = setup["backend"](FAKE_MLAGENTS_MODE="hang", FAKE_STEPS="1")
    clash = setup["backend"]()
    clash.leaser.check_bind = False
    clash.leaser.lock_dir = setup["tmp"] / "other-locks"  # a different lock dir: no coordination
    stop = threading.Event()
    errors: list[BaseException] = []

    def run_held() -> None:
        try:
            _run(setup, held, run_id="holder", num_envs=1, should_stop=stop.is_set)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    thread = threading.Thread(target=run_held)
    thread.start()
    try:
        record = setup["tmp"] / "results" / "holder.mlagents-learn.log"
        for _ in range(300):
            if record.exists() and "Step:" in record.read_text():
                break
            threading.Event().wait(0.05)
        with pytest.raises(TrainError, match="(?s)port_in_use.*worker number 0 is still in use"):
            _run(setup, clash, run_id="clash", num_envs=1)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert isinstance(errors[0], JobCancelled)


def test_concurrent_runs_get_disjoint_ports(setup) -> None:
    """Three concurrent jobs lease different port ranges, so none collides (the stand-in binds its ports)."""
    results, errors = [], []

    def one(i: int) -> None:
        try:
            results.append(_run(setup, setup["backend"](FAKE_DELAY="0.1"), run_id=f"job{i}", num_envs=3))
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    ports = [set(range(r.base_port, r.base_port + 3)) for r in results]
    assert len(results) == 3 and all(a.isdisjoint(b) for i, a in enumerate(ports) for b in ports[i + 1 :])


def test_existing_run_requires_resume_or_force(setup) -> None:
    """Re-using a run id needs resume or force; resume of a missing run is an error too."""
    _run(setup, setup["backend"]())
    with pytest.raises(TrainError, match="already exists.*resume"):
        _run(setup, setup["backend"]())
    resumed = _run(setup, setup["backend"](), resume=True)
    assert "--resume" in resumed.command
    with pytest.raises(TrainError, match="no previous run"):
        _run(setup, setup["backend"](), run_id="never", resume=True)


def test_initialize_from_must_exist(setup) -> None:
    """--initialize-from names a run that must exist in the results folder."""
    with pytest.raises(TrainError, match="initialize_from: no run"):
        _run(setup, setup["backend"](), initialize_from="missing")
    _run(setup, setup["backend"](), run_id="base")
    result = _run(setup, setup["backend"](), run_id="child", initialize_from="base")
    assert "--initialize-from=base" in result.command


def test_missing_status_after_clean_exit(setup) -> None:
    """Exit 0 without training_status.json is reported (never a silent success)."""
    with pytest.raises(TrainError, match="training_status.json: not found"):
        _run(setup, setup["backend"](FAKE_MLAGENTS_MODE="no_status"))


def test_env_path_checks(setup) -> None:
    """A missing player or a folder of several is rejected before launching; a folder with one works."""
    with pytest.raises(TrainError, match="no such player"):
        _run(setup, setup["backend"](), env_path=setup["tmp"] / "nope.x86_64")
    result = _run(setup, setup["backend"](), env_path=setup["tmp"] / "build")
    assert f"--env={setup['player'].resolve()}" in result.command
    write_fake_player(setup["tmp"] / "build", name="Second")
    with pytest.raises(TrainError, match="2 players"):
        _run(setup, setup["backend"](), env_path=setup["tmp"] / "build", run_id="r2")


def test_max_steps_come_from_the_run_options_which_run_writes_as_the_yaml(setup) -> None:
    """Progress is sized by the options' max_steps (not a re-read YAML); run() writes the YAML from them."""
    from mlops_unity_pipeline.unity.mlagents_learn import DEFAULT_MAX_STEPS, _max_steps

    setup["config"].write_text("behaviors: {}\n")  # a stale file: run() replaces it
    options = _options(setup)
    options = replace(options, behaviors={"3DBall": replace(options.behaviors["3DBall"], max_steps=7000)})
    events: list[ProgressEvent] = []
    setup["backend"]().run(options, setup["config"], on_progress=events.append)
    assert events and all(e.max_steps == 7000 for e in events)
    written = yaml.safe_load(setup["config"].read_text())
    assert written["behaviors"]["3DBall"]["max_steps"] == 7000
    assert written["env_settings"]["env_path"] == str(setup["player"])
    assert _max_steps(options, "Other") == DEFAULT_MAX_STEPS  # not configured, no default_settings
    with_default = RunOptions.from_dict(
        {"default_settings": {"max_steps": 1e4}, "behaviors": {"A": {"max_steps": 300}}}
    )
    assert (_max_steps(with_default, "A"), _max_steps(with_default, "B")) == (300, 10_000)


def test_find_mlagents_learn_order(tmp_path: Path) -> None:
    """MLAGENTS_LEARN wins, then PATH, then ./.venv-mlagents; none gives the setup-script fix."""
    exe = write_fake_mlagents_learn(tmp_path / "a" / "mlagents-learn")
    on_path = write_fake_mlagents_learn(tmp_path / "b" / "mlagents-learn")
    local = write_fake_mlagents_learn(tmp_path / "c" / ".venv-mlagents" / "bin" / "mlagents-learn")
    assert find_mlagents_learn({"MLAGENTS_LEARN": str(exe), "PATH": str(on_path.parent)}) == exe
    assert find_mlagents_learn({"PATH": str(on_path.parent)}) == on_path
    assert find_mlagents_learn({"PATH": str(tmp_path)}, cwd=tmp_path / "c") == local
    with pytest.raises(TrainError, match="setup_mlagents_venv.sh"):
        find_mlagents_learn({"PATH": str(tmp_path)}, cwd=tmp_path)
    with pytest.raises(TrainError, match="not an executable"):
        find_mlagents_learn({"MLAGENTS_LEARN": str(tmp_path / "nope")})


def test_inspect_stand_in(setup) -> None:
    """Inspection runs --help and reads the interpreter from the shebang (no mlagents there: version None)."""
    info = inspect_mlagents_learn(setup["exe"])
    assert info.python is not None and info.python_version is not None
    assert info.mlagents_version is None


def test_inspect_broken_install(setup, monkeypatch: pytest.MonkeyPatch) -> None:
    """An mlagents-learn whose --help fails is reported with the repair command."""
    monkeypatch.setenv("FAKE_MLAGENTS_MODE", "broken_help")
    with pytest.raises(TrainError, match="(?s)--help failed.*setup_mlagents_venv.sh"):
        inspect_mlagents_learn(setup["exe"])
