"""The simulator's hand-written tasks, in ``sim list`` order: one list for the tests that cover every task.

A new task is added here once; the catalog, CLI, Gymnasium and rendering tests then all cover it.
"""

from __future__ import annotations

SINGLE_AGENT_TASKS = (
    "Basic",
    "3DBall",
    "3DBallHard",
    "PushBlock",
    "Hallway",
    "SmallWallJump",
    "BigWallJump",
    "GridWorld",
    "Navigation",
    "ReachTarget",
)
"""Tasks whose agents act alone (Gymnasium single-agent views exist for each)."""

HAND_WRITTEN_TASKS = (*SINGLE_AGENT_TASKS[:4], "PushBlockCollab", *SINGLE_AGENT_TASKS[4:])
"""Every hand-written task, the multi-agent PushBlockCollab included, in catalog order."""

SHIPPED_WORLDS = (
    "world:3DBall",
    "world:3DBallHard",
    "world:Basic",
    "world:FoodCollector",
    "world:GridWorld",
    "world:Hallway",
    "world:PushBlock",
    "world:PushBlockCollab",
    "world:Pyramids",
    "world:ReachTarget",
)
"""Worlds shipped with the package (``world/library``), listed after the hand-written tasks."""
