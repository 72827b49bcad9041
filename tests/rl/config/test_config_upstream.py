"""Cross-check with the real ML-Agents 1.1.0 ``settings.py`` when a venv with ``mlagents`` is available.

The upstream parser reads (a) every shipped configuration and (b) the YAML we write for it; both must give the
same ``RunOptions.as_dict()``, and our resolved behaviors must equal upstream's. The venv is the session
fixture ``mlagents_python`` (built once per run from ``scripts/mlagents-venv.lock``); skipped with the reason
where it cannot be had.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from mlops_unity_pipeline.rl.config import dump_run_options, load_run_options
from tests.conftest import ANCHORS_DIR

CONFIG_DIR = ANCHORS_DIR / "config"

# Each test starts a Python that imports mlagents (and torch): several seconds apiece on a loaded machine.
pytestmark = pytest.mark.slow

_SCRIPT = """
import json, sys, warnings, logging
warnings.simplefilter("ignore")
logging.disable(logging.CRITICAL)
import attr, yaml
from mlagents.plugins.trainer_type import register_trainer_plugins
register_trainer_plugins()
from mlagents.trainers.settings import RunOptions, TrainerSettings
out = {}
for path in sys.argv[1:]:
    TrainerSettings.default_override = None  # a class-level global in ML-Agents: reset between files
    try:
        data = yaml.safe_load(open(path))
        # RunOptions.from_argparse (what mlagents-learn calls) checks the top-level keys.
        unknown = set(data) - set(attr.fields_dict(RunOptions))
        if unknown:
            raise ValueError("invalid top-level keys " + str(sorted(unknown)))
        options = RunOptions.from_dict(data)
        options.checkpoint_settings.prioritize_resume_init()  # mlagents-learn does this right after from_dict
        out[path] = {"ok": True, "dict": options.as_dict()}
    except Exception as exc:
        out[path] = {"ok": False, "error": type(exc).__name__ + ": " + str(exc)}
print(json.dumps(out, default=str))
"""


def _upstream_parse(python: Path, files: list[Path], tmp_path: Path) -> dict[str, Any]:
    script = tmp_path / "upstream_parse.py"
    script.write_text(_SCRIPT)
    done = subprocess.run(
        [str(python), str(script), *map(str, files)], capture_output=True, text=True, timeout=300, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _normalize(value: Any) -> Any:
    """Numbers compare as floats (upstream keeps ``20``, we write ``20.0``); key order is ignored."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _normalize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normalize(v) for v in value]
    return value


def _without_checkpoint_interval(behaviors: dict[str, Any]) -> dict[str, Any]:
    return {name: {k: v for k, v in b.items() if k != "checkpoint_interval"} for name, b in behaviors.items()}


_QUIRKS_YAML = """
behaviors:
  Even:
    trainer_type: ppo
    framework: pytorch
    hyperparameters: {learning_rate_schedule: constant, batch_size: 32, buffer_size: 320}
    max_steps: "5.0e5"
    even_checkpoints: true
    keep_checkpoints: 3
    self_play: {save_steps: 1000}
    reward_signals:
      extrinsic: {gamma: 0.9}
      curiosity: {strength: 0.02, encoding_size: 64}
      rnd: {encoding_size: 32, network_settings: {hidden_units: 16}}
  Sac:
    trainer_type: sac
    hyperparameters: {steps_per_update: 4, learning_rate: 1e-4}
    network_settings: {memory: {memory_size: 32, sequence_length: 16}}
environment_parameters:
  c: 3
  g: {sampler_type: gaussian, sampler_parameters: {mean: 2, st_dev: 0.5, seed: 5}}
  m: {sampler_type: multirangeuniform, sampler_parameters: {intervals: [[0, 1], [3, 4.5]]}}
  r:
    curriculum:
      - {name: a, value: 1, completion_criteria: {behavior: Even, threshold: 0.5, require_reset: true}}
      - {name: b, value: {sampler_type: uniform, sampler_parameters: {min_value: 1, max_value: 2}}}
checkpoint_settings: {run_id: quirks, resume: true, initialize_from: old}
env_settings: {env_args: [-logFile, "-"], seed: 3}
"""


def test_upstream_reads_what_we_write_identically(tmp_path: Path, mlagents_python: Path) -> None:
    """For all 39 configs (and one of quirks), mlagents reads our written YAML like the original file."""
    if not CONFIG_DIR.is_dir():
        pytest.skip("../shared/anchors/mlagents is absent")
    python = mlagents_python
    quirks = tmp_path / "quirks.yaml"
    quirks.write_text(_QUIRKS_YAML)
    originals = [*sorted(CONFIG_DIR.rglob("*.yaml")), quirks]
    written = []
    ours = {}
    for index, path in enumerate(originals):
        options = load_run_options(path)
        ours[str(path)] = options.to_dict()
        written.append(dump_run_options(options, tmp_path / f"{index:02d}_{path.stem}.yaml"))
    upstream = _upstream_parse(python, originals + written, tmp_path)
    for original, mine in zip(originals, written, strict=True):
        a, b = upstream[str(original)], upstream[str(mine)]
        assert a["ok"], f"upstream rejects its own {original}: {a.get('error')}"
        assert b["ok"], f"upstream rejects what we wrote for {original.name}: {b.get('error')}"
        assert _normalize(a["dict"]) == _normalize(b["dict"]), original.name
        # Our resolution (defaults, schedule copying, default_settings merge) equals upstream's.
        ours_behaviors = _normalize(_without_checkpoint_interval(ours[str(original)]["behaviors"]))
        up_behaviors = _normalize(_without_checkpoint_interval(a["dict"]["behaviors"]))
        assert ours_behaviors == up_behaviors, original.name
        # even_checkpoints: upstream overwrites checkpoint_interval; ours derives checkpoint_every.
        options = load_run_options(original)
        for name, settings in a["dict"]["behaviors"].items():
            derived = options.behaviors[name].checkpoint_every
            assert derived == settings["checkpoint_interval"], (original.name, name)
    assert load_run_options(quirks).behaviors["Even"].checkpoint_every == 166666


def test_upstream_rejects_what_we_reject(tmp_path: Path, mlagents_python: Path) -> None:
    """Invalid files (unknown keys, no demo_path, odd memory, bad samplers, …) are refused by both parsers."""
    python = mlagents_python
    bad = {
        "unknown_key.yaml": "behaviors:\n  B:\n    trainer_type: ppo\n    hyperparameters:\n      lr: 0.1\n",
        "sac_with_ppo_key.yaml": (
            "behaviors:\n  B:\n    trainer_type: sac\n    hyperparameters:\n      beta: 0.1\n"
        ),
        "no_trainer_type.yaml": "behaviors:\n  B:\n    hyperparameters:\n      batch_size: 10\n",
        "gail_no_demo.yaml": "behaviors:\n  B:\n    reward_signals:\n      gail:\n        strength: 0.1\n",
        "bad_type.yaml": "behaviors:\n  B:\n    trainer_type: dqn\n",
        "odd_memory.yaml": "behaviors:\n  B:\n    network_settings:\n      memory: {memory_size: 7}\n",
        "long_sequence.yaml": (
            "behaviors:\n  B:\n    trainer_type: ppo\n"
            "    hyperparameters: {batch_size: 16, buffer_size: 160}\n"
            "    network_settings:\n      memory: {sequence_length: 32}\n"
        ),
        "bc_no_demo.yaml": "behaviors:\n  B:\n    behavioral_cloning: {strength: 0.5}\n",
        "top_level.yaml": "behaviors: {}\nhyperparameters: {}\n",
        "sampler_no_params.yaml": "environment_parameters:\n  p: {sampler_type: uniform}\n",
        "sampler_min_max.yaml": (
            "environment_parameters:\n  p:\n    sampler_type: uniform\n"
            "    sampler_parameters: {min_value: 2, max_value: 1}\n"
        ),
        "progress_threshold.yaml": (
            "behaviors:\n  B: {}\nenvironment_parameters:\n  p:\n    curriculum:\n"
            "      - name: a\n        value: 1\n"
            "        completion_criteria: {behavior: B, measure: progress, threshold: 1.5}\n"
            "      - {name: b, value: 2}\n"
        ),
        "lesson_chain.yaml": (
            "behaviors:\n  B: {}\nenvironment_parameters:\n  p:\n    curriculum:\n"
            "      - name: a\n        value: 1\n      - name: b\n        value: 2\n"
        ),
    }
    files = []
    for name, text in bad.items():
        path = tmp_path / name
        path.write_text(text)
        files.append(path)
        with pytest.raises(ValueError):
            load_run_options(path)
    upstream = _upstream_parse(python, files, tmp_path)
    for path in files:
        assert not upstream[str(path)]["ok"], f"upstream accepted {path.name}"


_CURRICULUM_YAML = """
behaviors:
  B: {max_steps: 1000}
  C: {max_steps: 500}
environment_parameters:
  smoothed:
    curriculum:
      - {name: a, value: 1, completion_criteria: {behavior: B, threshold: 0.3, min_lesson_length: 5}}
      - {name: b, value: 2, completion_criteria: {behavior: B, threshold: 0.6, min_lesson_length: 5}}
      - {name: c, value: 3}
  progress:
    curriculum:
      - name: a
        value: 1
        completion_criteria: {behavior: C, measure: progress, threshold: 0.2, min_lesson_length: 3}
      - name: b
        value: 2
        completion_criteria: {behavior: C, measure: progress, threshold: 0.5, min_lesson_length: 3}
      - {name: c, value: 3}
  raw:
    curriculum:
      - name: a
        value: 1
        completion_criteria: {behavior: C, threshold: 0.5, signal_smoothing: false, require_reset: true}
      - {name: b, value: 2}
"""

_REPLAY = """
import json, sys, warnings, logging
warnings.simplefilter("ignore")
logging.disable(logging.CRITICAL)
import yaml
from mlagents.plugins.trainer_type import register_trainer_plugins
register_trainer_plugins()
from mlagents.trainers.settings import RunOptions
from mlagents.trainers.environment_parameter_manager import EnvironmentParameterManager
options = RunOptions.from_dict(yaml.safe_load(open(sys.argv[1])))
updates = json.load(open(sys.argv[2]))
manager = EnvironmentParameterManager(options.environment_parameters, 0)
max_steps = {name: options.behaviors[name].max_steps for name in options.behaviors}
out = []
for steps, buffers in updates:
    changed, reset = manager.update_lessons(steps, max_steps, buffers)
    smoothed = {k: round(v, 9) for k, v in manager._smoothed_values.items()}
    out.append([changed, reset, manager.get_current_lesson_number(), smoothed])
print(json.dumps(out))
"""


def test_curriculum_progression_matches_upstream_manager(tmp_path: Path, mlagents_python: Path) -> None:
    """A scripted training (two behaviors, three kinds of criteria) advances lessons like ML-Agents."""
    import collections

    import numpy as np

    from mlops_unity_pipeline.rl.config import EnvironmentParameterManager

    python = mlagents_python
    config = tmp_path / "curriculum.yaml"
    config.write_text(_CURRICULUM_YAML)
    manager = EnvironmentParameterManager(load_run_options(config), seed=0)
    rng = np.random.default_rng(0)
    buffers = {b: collections.deque(maxlen=manager.reward_buffer_size(b)) for b in ("B", "C")}
    steps = {"B": 0, "C": 0}
    episodes = {"B": 0, "C": 0}
    updates, ours = [], []
    for t in range(120):
        for behavior, step_size in (("B", 9), ("C", 4)):
            steps[behavior] += step_size
            for _ in range(int(rng.integers(0, 3))):
                buffers[behavior].appendleft(float(rng.uniform(-0.5, 0.5) + t / 120))
                episodes[behavior] += 1
        snapshot = {b: list(buf) for b, buf in buffers.items()}
        updates.append([dict(steps), snapshot])
        means = {b: (float(np.mean(v)) if v else None) for b, v in snapshot.items()}
        changed = manager.update_lessons(steps, means, episodes)
        # The smoothed reward measure is private on both sides; comparing it pins the 0.25/0.75 rule.
        smoothed = {k: round(v, 9) for k, v in manager._smoothed.items()}
        ours.append([changed, manager.reset_required, manager.lesson_numbers(), smoothed])
        if changed:  # ML-Agents' TrainerController clears every reward buffer when a lesson changes
            for buf in buffers.values():
                buf.clear()
    assert ours[-1][2] == {"smoothed": 2, "progress": 2, "raw": 1}, (
        "the scenario should finish every curriculum"
    )
    replay = tmp_path / "updates.json"
    replay.write_text(json.dumps(updates))
    script = tmp_path / "replay.py"
    script.write_text(_REPLAY)
    done = subprocess.run(
        [str(python), str(script), str(config), str(replay)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    theirs = json.loads(done.stdout.strip().splitlines()[-1])
    for index, (mine, upstream) in enumerate(zip(ours, theirs, strict=True)):
        assert mine == upstream, f"update {index}: ours {mine} vs ML-Agents {upstream}"
