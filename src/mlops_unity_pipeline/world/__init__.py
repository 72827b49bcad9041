"""The world IR: one YAML/JSON description of an arena, its entities, the agent, rewards and episode ends.

``load_world`` reads and validates a file; ``world_json_schema`` is its published schema
(``docs/world.schema.json``); the simulator runs worlds (``sim.world_env``). See ``docs/simulator.md``
("Worlds").
"""

from __future__ import annotations

from .files import library_worlds, load_world, world_from_dict, world_json_schema, world_to_dict
from .model import World

__all__ = ["World", "library_worlds", "load_world", "world_from_dict", "world_json_schema", "world_to_dict"]
