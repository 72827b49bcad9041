"""The generated Agent's physics, compiled with mcs and run under Mono, moves and rewards exactly like the
simulator for the same start state and actions (walls, obstacle contacts, reaching the target)."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from mlops_unity_pipeline.behavior import Archetype, default_spec
from mlops_unity_pipeline.behavior.kinds import NAVIGATION_DISCRETE
from mlops_unity_pipeline.codegen.checks.typecheck import find_mcs, stubs_assembly
from mlops_unity_pipeline.codegen.csharp import class_name_for, render_project
from mlops_unity_pipeline.sim.archetypes import DISCRETE_MOVES
from mlops_unity_pipeline.spaces import ActionTuple

HARNESS = Path(__file__).parent / "mono" / "NavigationHarness.cs"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.usefixtures("mono_runtime"),  # skips without Mono; fails under MLOPS_REQUIRE_MCS=1
]


_BUILDS: dict[str, Path] = {}


def _compile(spec, tmp_path_factory) -> Path:
    """Compile the generated scripts + stubs + harness into an exe (once per behavior spec)."""
    key = json.dumps(spec.to_dict(), sort_keys=True)
    if key in _BUILDS:
        return _BUILDS[key]
    folder = tmp_path_factory.mktemp("mono")
    sources = []
    for rel, text in render_project(spec).items():
        if rel.startswith("Assets/Scripts/"):
            path = folder / Path(rel).name
            path.write_text(text)
            sources.append(str(path))
    exe = folder / "harness.exe"
    stubs = shutil.copy(stubs_assembly(find_mcs()), folder)  # referenced like a package DLL, loaded from here
    subprocess.run(
        [
            "mcs",
            "-langversion:experimental",
            "-warn:0",
            f"-out:{exe}",
            f"-r:{stubs}",
            *sources,
            str(HARNESS),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    _BUILDS[key] = exe
    return exe


def _want(decision: int, position, centres, target, rng) -> np.ndarray:
    """Where to push: into the first obstacle, then along the +x wall, then to the target; with noise."""
    if decision < 40 and len(centres):
        nearest = centres[np.argmin(np.linalg.norm(centres - position, axis=1))]
        want = nearest - position  # contact with an obstacle, sliding around it
    elif decision < 80 and len(centres):
        want = np.array([1.0, 0.35])  # into the +x wall, sliding along it
    else:
        want = target - position
    return want / max(np.abs(want).max(), 1e-9) + rng.normal(0, 0.2, 2)


@pytest.mark.parametrize(
    ("archetype", "discrete", "seed"),
    [
        (Archetype.NAVIGATION, False, 7),
        (Archetype.NAVIGATION, False, 8),
        (Archetype.NAVIGATION, True, 7),
        (Archetype.NAVIGATION, True, 9),
        (Archetype.REACH_TARGET, False, 7),
    ],
)
def test_generated_physics_equals_the_simulator(tmp_path_factory, archetype, discrete, seed):
    """Per decision (from the simulator's state): same position, velocity, summed reward and episode end."""
    spec = default_spec(archetype, "Nav")
    if discrete:
        spec = dataclasses.replace(spec, actions=NAVIGATION_DISCRETE)
    exe = _compile(spec, tmp_path_factory)
    env = spec.make_env(num_agents=1, seed=seed)
    env.reset(seed=seed)
    rng = np.random.default_rng(3)
    start, target = env.position[0].copy(), env.target[0].copy()
    centres = env.obstacles[0][env.active_obstacles[0]].copy()
    speed = float(env.speed[0])
    period = env.decision_period

    # --- the simulator, one decision at a time; actions chosen from its state as it goes ---
    sim_positions, sim_velocities, sim_rewards, actions, starts = [], [], [], [], []
    for _ in range(120):
        starts.append(env.position[0].copy())
        want = _want(len(actions), env.position[0], centres, target, rng)
        if discrete:
            action = int(np.argmax([np.dot(want, m) for m in DISCRETE_MOVES]))
            batch = env.step(ActionTuple(np.zeros((1, 0), np.float32), np.array([[action]], np.int32)))
        else:
            action = np.clip(want, -1, 1).astype(np.float32)
            batch = env.step(ActionTuple(action[None, :], np.zeros((1, 0), np.int32)))
        actions.append(action)
        sim_rewards.append(float(batch.reward[0]))
        if batch.terminated[0] or batch.truncated[0]:
            break
        sim_positions.append(env.position[0].copy())
        sim_velocities.append(env.velocity[0].copy())
    ended_in_sim = bool(batch.terminated[0])

    # --- the generated C#, one physics step per line ---
    def pair(v) -> str:
        return f"{float(v[0])!r} {float(v[1])!r}"

    lines = [class_name_for(spec), pair(start), pair(target), repr(speed), str(len(centres))]
    lines += [pair(c) for c in centres]
    for begin, action in zip(starts, actions, strict=True):
        text = str(action) if discrete else pair(action)
        lines += [f"P {pair(begin)}"] + [text] * period
    proc = subprocess.run(
        ["mono", str(exe)],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:] + proc.stdout[-500:]
    rows = np.array([[float(v) for v in row.split()] for row in proc.stdout.strip().splitlines()])

    nav = spec.to_navigation_params()
    contacts = 0
    for d, reward in enumerate(sim_rewards):
        steps = rows[d * period : (d + 1) * period]
        assert steps[:, 4].sum() == pytest.approx(reward, abs=1e-4), f"decision {d}"
        # a contact step's reward, less the time penalty and the progress shaping, is the collision penalty
        distances = np.linalg.norm(target - np.vstack([starts[d], steps[:, :2]]), axis=1)
        rest = steps[:, 4] - nav.time_penalty / nav.max_step + nav.progress_reward * np.diff(distances)
        contacts += int(np.sum(rest < nav.collision_penalty / 2))
        if d < len(sim_positions):
            np.testing.assert_allclose(steps[-1, :2], sim_positions[d], atol=1e-4, err_msg=f"decision {d}")
            np.testing.assert_allclose(steps[-1, 2:4], sim_velocities[d], atol=5e-3, err_msg=f"decision {d}")
    assert bool(rows[-1, 5] > 0) == ended_in_sim
    if archetype is Archetype.NAVIGATION:
        assert contacts > 10  # the schedule really pressed against obstacles and walls
    else:
        assert ended_in_sim and rows[-1, 4] > 0.5  # reached the target: reach reward, episode ended


@pytest.mark.parametrize("discrete", [False, True])
def test_generated_heuristic_equals_the_simulators(tmp_path_factory, discrete):
    """The C# scripted heuristic picks the simulator heuristic's action at many positions around obstacles."""
    spec = default_spec(Archetype.NAVIGATION, "Nav")
    if discrete:
        spec = dataclasses.replace(spec, actions=NAVIGATION_DISCRETE)
    exe = _compile(spec, tmp_path_factory)
    env = spec.make_env(num_agents=1, seed=21)
    batch = env.reset(seed=21)._replace(action_mask=None)  # the mask is recomputed from the position
    target = env.target[0].copy()
    centres = env.obstacles[0][env.active_obstacles[0]].copy()
    limit = spec.to_navigation_params().arena_half_extent - spec.to_navigation_params().agent_radius
    rng = np.random.default_rng(5)
    # near obstacles (where the steering matters), at the walls (where masks matter) and anywhere
    points = [c + rng.normal(0, 1.6, 2) for c in centres for _ in range(6)]
    points += [np.array([limit, rng.uniform(-limit, limit)]), np.array([rng.uniform(-limit, limit), -limit])]
    points += list(rng.uniform(-limit, limit, (20, 2)))
    points = [np.clip(p, -limit, limit) for p in points]
    expected = []
    for p in points:
        env.position[0] = p
        action = env.heuristic(batch)
        expected.append(action.discrete[0, 0] if discrete else action.continuous[0])

    def pair(v) -> str:
        return f"{float(v[0])!r} {float(v[1])!r}"

    lines = [class_name_for(spec), pair(env.position[0]), pair(target), "5.0", str(len(centres))]
    lines += [pair(c) for c in centres] + ["HEURISTIC"] + [pair(p) for p in points]
    proc = subprocess.run(
        ["mono", str(exe)],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = [row.split() for row in proc.stdout.strip().splitlines()]
    assert len(rows) == len(points)
    for p, want, row in zip(points, expected, rows, strict=True):
        if discrete:
            assert int(row[2]) == int(want), p
        else:
            np.testing.assert_allclose([float(row[0]), float(row[1])], want, atol=1e-4, err_msg=str(p))
