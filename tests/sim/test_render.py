"""Rendering: PNG of a state and GIF of an episode at the inference configuration."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.sim import EngineConfig, make
from mlops_unity_pipeline.sim.heuristics import heuristic_policy
from mlops_unity_pipeline.sim.render import render_episode_gif, render_frame, render_state_png

from .tasks import SINGLE_AGENT_TASKS


@pytest.mark.parametrize("task", SINGLE_AGENT_TASKS)
def test_png_of_state_uses_inference_resolution(task, tmp_path):
    """render_state_png writes a 1280x720 PNG showing something besides the background."""
    env = make(task, seed=0)
    env.reset()
    out = render_state_png(env, tmp_path / "sub" / "state.png")
    image = Image.open(out)
    assert image.format == "PNG" and image.size == (1280, 720)
    assert len(np.unique(np.asarray(image.convert("RGB")).reshape(-1, 3), axis=0)) >= 3


def test_gif_of_an_episode_has_one_frame_per_decision(tmp_path):
    """A Basic episode under the heuristic lasts 7 decisions: 7 frames of 20 ms (period 1 x 0.02 s)."""
    env = make("Basic")
    engine = EngineConfig(320, 180, 5, 1.0, 60, 60)
    out = render_episode_gif(env, heuristic_policy(env), tmp_path / "ep.gif", seed=0, engine=engine)
    image = Image.open(out)
    assert image.n_frames == 7 and image.size == (320, 180)
    assert image.info["duration"] == 20


def test_gif_stops_at_max_decisions_and_follows_time_scale(tmp_path):
    """3DBall frames last 100 ms at time scale 1 (5 x 0.02 s); max_decisions caps the frames."""
    env = make("3DBall", num_agents=4)
    engine = EngineConfig(160, 90, 1, 1.0, 60, 60)
    out = render_episode_gif(
        env, heuristic_policy(env), tmp_path / "ball.gif", max_decisions=5, engine=engine
    )
    image = Image.open(out)
    assert image.n_frames == 5 and image.info["duration"] == 100


def test_frames_change_as_the_agent_moves():
    """Two states of a moving agent render differently (the picture follows the state)."""
    env = make("ReachTarget", seed=0)
    policy = heuristic_policy(env)
    batch = env.reset()
    engine = EngineConfig(200, 200, 1, 1.0, 60, 60)
    before = np.asarray(render_frame(env, engine))
    for _ in range(3):
        batch = env.step(policy(batch))
    assert not np.array_equal(before, np.asarray(render_frame(env, engine)))


def test_bad_max_decisions(tmp_path):
    """max_decisions < 1 is a SpecError."""
    env = make("Basic")
    with pytest.raises(SpecError, match="max_decisions"):
        render_episode_gif(env, heuristic_policy(env), tmp_path / "x.gif", max_decisions=0)


def test_ball3d_view_shows_the_tilt_and_the_side_of_the_platform():
    """3DBall is drawn in a three-quarter view: side faces show, and a 10° tilt visibly moves the platform."""
    import math

    from mlops_unity_pipeline.sim.render import _INDEX

    env = make("3DBall", num_agents=1, seed=0)
    env.reset(seed=0)
    engine = EngineConfig(200, 200, 3, 1.0, 60, 60)
    level = np.asarray(render_frame(env, engine))
    assert (level == _INDEX["platform_side"]).sum() > 500  # a top-down view would show no side at all
    half = math.radians(10.0) / 2.0
    env.rotation[0] = [0.0, 0.0, math.sin(half), math.cos(half)]  # tilt 10 degrees about z
    tilted = np.asarray(render_frame(env, engine))
    assert (level != tilted).mean() > 0.02


def test_caption_is_large_enough_to_read():
    """The caption font scales with the frame (about 1/25 of its height), not Pillow's 10 px bitmap font."""
    from mlops_unity_pipeline.sim.render import _caption_font

    left, top, right, bottom = _caption_font(400).getbbox("3DBall decision 10")
    assert bottom - top >= 12 and right - left > 100
