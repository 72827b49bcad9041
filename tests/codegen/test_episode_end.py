"""The generated Agent logs ``[mlops] episode_end behavior=<name> reward=<float> length=<int>`` at each
episode end, in exactly the format the pipeline's inference smoke test parses (``unity/inference.py``)."""

from __future__ import annotations

import re
import subprocess

import numpy as np
import pytest

from mlops_unity_pipeline.behavior import Archetype, default_spec
from mlops_unity_pipeline.codegen.csharp import class_name_for, render_agent
from mlops_unity_pipeline.unity.inference import EPISODE_LINE_RE, parse_episode_rewards

ARCHETYPES = [Archetype.NAVIGATION, Archetype.REACH_TARGET, Archetype.BALANCE]


def _format_constant(source: str) -> str:
    match = re.search(r'const string k_EpisodeEndFormat = "([^"]+)";', source)
    assert match, "k_EpisodeEndFormat missing"
    return match.group(1)


@pytest.mark.parametrize("archetype", ARCHETYPES, ids=lambda a: a.value)
def test_format_is_the_one_the_smoke_test_parses(archetype):
    """C#'s composite format, filled as string.Format would, is matched by EPISODE_LINE_RE field by field."""
    source = render_agent(default_spec(archetype, "Walker_2"))
    line = _format_constant(source).format("Walker_2", "-0.0125", 412)  # {0}/{1}/{2} as in C#
    match = EPISODE_LINE_RE.search(f"[Player] {line}")
    assert match and match["behavior"] == "Walker_2" and match["length"] == "412"
    assert parse_episode_rewards([line]) == [-0.0125]


@pytest.mark.parametrize("archetype", ARCHETYPES, ids=lambda a: a.value)
def test_every_episode_end_is_logged(archetype):
    """EndEpisode is hidden by a logging one; MaxStep ends are logged before Agent resets the reward."""
    source = render_agent(default_spec(archetype, "Walker"))
    hiding = r"public new void EndEpisode\(\)\s*\{\s*LogEpisodeEnd\(\);\s*base\.EndEpisode\(\);"
    assert re.search(hiding, source), "EndEpisode must log, then end the episode"
    body = source[source.index("public override void OnActionReceived") :]
    body = body[: body.index("public override void Heuristic")]
    assert re.search(r"if \(MaxStep > 0 && StepCount >= MaxStep\)\s*\{\s*LogEpisodeEnd\(\);", body)
    # the reward is written with the invariant culture: never a decimal comma
    assert 'GetCumulativeReward().ToString("R", CultureInfo.InvariantCulture)' in source
    assert "using System.Globalization;" in source


@pytest.mark.usefixtures("mono_runtime")  # skips without Mono; fails under MLOPS_REQUIRE_MCS=1
def test_mono_run_logs_the_episode_reward(tmp_path_factory):
    """Under Mono the generated agent reaching its target logs one line: the episode's total reward."""
    from .test_mono_physics import _compile

    spec = default_spec(Archetype.REACH_TARGET, "Reacher")
    exe = _compile(spec, tmp_path_factory)
    env = spec.make_env(num_agents=1, seed=3)
    env.reset(seed=3)
    start, target, speed = env.position[0].copy(), env.target[0].copy(), float(env.speed[0])

    def pair(v) -> str:
        return f"{float(v[0])!r} {float(v[1])!r}"

    heading = (target - start) / np.abs(target - start).max()  # full speed straight at the target
    lines = [class_name_for(spec), pair(start), pair(target), repr(speed), "0"] + [pair(heading)] * 2000
    proc = subprocess.run(
        ["mono", str(exe)], input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = np.array([[float(v) for v in row.split()] for row in proc.stdout.strip().splitlines()])
    assert rows[-1, 5] == 1  # the episode ended (target reached)
    logged = [line for line in proc.stderr.splitlines() if "episode_end" in line]
    assert len(logged) == 1 and logged[0].startswith("[mlops] episode_end behavior=Reacher reward=")
    assert parse_episode_rewards(logged) == [pytest.approx(rows[:, 4].sum(), abs=1e-5)]
