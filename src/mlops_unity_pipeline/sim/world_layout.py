"""A world's generated inner walls in the simulator: obstacle copies, redrawn per area at episode start.

The walls of ``arena.layout`` (``world.layouts``) join the world as one extra obstacle entity,
``LAYOUT_WALLS``, with as many copies as the layout can have walls (``Grid.max_walls``), tagged like the outer
walls. So the simulator's existing paths treat them as what they are, in both the numba kernel and the
NumPy reference: agents and blocks collide with them, rays see them with the wall tag, ``touch``/``reach``
events on the wall tag fire on them, rendering draws them. At each episode start an area draws its layout
(``randomize``: a new one per area and episode from the environment's generator; otherwise the world's fixed
layout, the one the generated C# builds) and its wall copies take the boxes; unused copies are inactive (they
stop and show nothing).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..world.layouts import GeneratedLayout, Grid, fixed_seed, generate
from ..world.model import Entity, EntityKind, Spawn, World

LAYOUT_WALLS = "__layout_walls"
"""Name of the entity holding a layout's walls (not a valid world name: it cannot clash with the user's)."""


def with_layout_walls(world: World) -> World:
    """Return ``world`` with its layout's wall entity appended (``world`` itself when it has no layout)."""
    layout, walls = world.arena.layout, world.arena.walls
    if layout is None or walls is None:
        return world
    wall = Entity(
        name=LAYOUT_WALLS,
        kind=EntityKind.OBSTACLE,
        tag=walls.tag,
        size=(1.0, walls.height, 1.0),
        count=max(Grid.of(world).max_walls(layout.kind), 1),
        spawn=Spawn(at=(0.0, 0.0)),
    )
    return replace(world, entities=(*world.entities, wall))


class AreaLayouts:
    """The layout each area runs this episode, and the copies of the wall entity that hold it.

    Attributes:
        grid: the arena's cells.
        current: per area, the layout drawn at its last episode start.

    """

    def __init__(self, world: World, copies: np.ndarray, num_areas: int) -> None:
        """Prepare the layouts of ``world`` (which has one) for ``num_areas`` areas.

        Args:
            world: the world as given (without the wall entity).
            copies: indices of the wall entity's copies in the simulator's entity arrays.
            num_areas: areas.

        """
        layout = world.arena.layout
        assert layout is not None and world.arena.walls is not None
        self.layout = layout
        self.grid = Grid.of(world)
        self.copies = copies
        self.height = world.arena.walls.height
        self._fixed = None if layout.randomize else generate(layout, self.grid, fixed_seed(world))
        first = self._fixed or generate(layout, self.grid, 0)
        self.current: list[GeneratedLayout] = [first] * num_areas

    def draw(self, idx: np.ndarray, rng: np.random.Generator) -> list[GeneratedLayout]:
        """Draw the layouts of the areas ``idx`` starting an episode (one generator call for all of them)."""
        if self._fixed is not None:
            drawn = [self._fixed] * idx.size
        else:
            seeds = rng.integers(0, 1 << 63, idx.size)
            drawn = [generate(self.layout, self.grid, int(s)) for s in seeds]
        for a, layout in zip(idx.tolist(), drawn, strict=True):
            self.current[a] = layout
        return drawn

    def write(
        self,
        idx: np.ndarray,
        drawn: list[GeneratedLayout],
        position: np.ndarray,
        half: np.ndarray,
        active: np.ndarray,
    ) -> None:
        """Set the wall copies of the areas ``idx`` to their drawn boxes (in the entity arrays given)."""
        h = 0.5 * self.height
        for a, layout in zip(idx.tolist(), drawn, strict=True):
            walls = layout.walls
            used = self.copies[: len(walls)]
            position[a, used, 0] = 0.5 * (walls[:, 0] + walls[:, 2])
            position[a, used, 1] = h
            position[a, used, 2] = 0.5 * (walls[:, 1] + walls[:, 3])
            half[a, used, 0] = 0.5 * (walls[:, 2] - walls[:, 0])
            half[a, used, 1] = h
            half[a, used, 2] = 0.5 * (walls[:, 3] - walls[:, 1])
            active[a, self.copies] = False
            active[a, used] = True
