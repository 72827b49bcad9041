"""Validation of the multi-agent parts of a world: removing pushes, the cleared event, group scopes."""

from __future__ import annotations

import copy

import pytest

from mlops_unity_pipeline.errors import SpecError
from mlops_unity_pipeline.world import library_worlds, load_world, world_from_dict, world_to_dict


@pytest.fixture
def collab() -> dict:
    """The shipped PushBlockCollab world as plain data."""
    return world_to_dict(load_world(library_worlds()["PushBlockCollab"]))


def test_pushblock_collab_round_trips(collab):
    """The shipped world loads, and its plain data loads back to an equal world."""
    assert world_from_dict(copy.deepcopy(collab)) == load_world(library_worlds()["PushBlockCollab"])
    assert collab["agent"]["count"] == 3 and collab["groups"] == {"size": 3}


def test_removes_only_on_push_into_zone(collab):
    """``removes`` on another event is refused, naming the field."""
    collab["rewards"][3]["removes"] = True  # the time penalty
    with pytest.raises(SpecError, match=r"rewards\[3\]\.removes: only a push_into_zone event removes"):
        world_from_dict(collab)


def test_cleared_must_end_the_episode(collab):
    """cleared holds at every step once true: without an end it is refused."""
    collab["rewards"][4]["end"] = "none"
    collab["rewards"][4]["success"] = False
    collab["rewards"][4]["value"] = 1.0
    with pytest.raises(SpecError, match=r"rewards\[4\]\.end: cleared holds at every step"):
        world_from_dict(collab)


def test_cleared_needs_something_that_removes(collab):
    """A block no event removes can never be cleared: refused with its tag."""
    collab["rewards"][2]["removes"] = False
    with pytest.raises(SpecError, match=r"rewards\[4\]: nothing removes what is tagged \['blockVeryLarge'\]"):
        world_from_dict(collab)


def test_cleared_of_an_unknown_or_static_tag(collab):
    """cleared about a tag that is no block or collectible is refused."""
    collab["rewards"][4]["what"] = "wall"
    with pytest.raises(SpecError, match=r"rewards\[4\]\.what: no block or collectible is tagged 'wall'"):
        world_from_dict(collab)


def test_group_scope_needs_groups(collab):
    """A group-scoped reward in a world without groups is refused."""
    del collab["groups"]
    with pytest.raises(SpecError, match=r"rewards\[0\]\.scope: 'group' needs groups"):
        world_from_dict(collab)


def test_agent_count_must_be_a_multiple_of_the_group_size(collab):
    """Groups of 2 cannot split 3 agents."""
    collab["groups"] = {"size": 2}
    with pytest.raises(SpecError, match=r"groups\.size: 2 does not divide agent\.count 3"):
        world_from_dict(collab)


def test_cleared_of_one_tag(collab):
    """cleared about one block tag is valid when a removing push takes those blocks."""
    collab["rewards"][4]["what"] = "blockSmall"
    assert world_from_dict(collab).rewards[4].what == "blockSmall"
