"""Junk in any position of a real configuration gives a ConfigError or a valid RunOptions, never a crash."""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from mlops_unity_pipeline.errors import ConfigError
from mlops_unity_pipeline.rl.config import RunOptions
from tests.conftest import anchor

GARBAGE: list[Any] = [
    None,
    "x",
    -1,
    0,
    1.5,
    [],
    {},
    True,
    "1e400",
    float("inf"),
    [1, 2],
    {"a": 1},
    "",
    2**70,
    [[1]],
]


def _paths(tree: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


@pytest.mark.parametrize(
    "relative",
    [
        pytest.param("config/ppo/WallJump_curriculum.yaml", marks=pytest.mark.slow),  # ~2k cases, ~10 s
        "config/ppo/3DBall_randomize.yaml",
        "config/imitation/Pyramids.yaml",
        "config/poca/SoccerTwos.yaml",
        "config/ppo/Match3.yaml",
        "config/sac/Hallway.yaml",
    ],
)
def test_every_position_with_garbage_fails_cleanly(relative: str) -> None:
    """Replacing each value of an upstream config with junk raises only ConfigError (or loads fine)."""
    base = yaml.safe_load(anchor(relative).read_text())
    logging.disable(logging.WARNING)  # deprecation warnings are expected noise here
    try:
        for path in _paths(base):
            for junk in GARBAGE:
                data = copy.deepcopy(base)
                node = data
                for key in path[:-1]:
                    node = node[key]
                node[path[-1]] = copy.deepcopy(junk)
                try:
                    options = RunOptions.from_dict(data)
                except ConfigError:
                    continue
                # Whatever loads must round-trip.
                assert RunOptions.from_dict(options.to_dict()) == options, (path, junk)
    finally:
        logging.disable(logging.NOTSET)
