"""Generated inner walls (``arena.layout``): perfect mazes, rooms with doorways, and placement in their cells.

The arena is divided into ``cells`` (columns along x, rows along z; cell ``r * cols + c`` has its centre at
``(-half_x + (c + 0.5) w, -half_z + (r + 0.5) h)``). Walls stand only on cell edges (``wall_thickness`` wide,
centred on the edge), so anything inside a cell's interior (its rectangle less ``t / 2`` on every side) never
touches an inner wall.

- **maze**: a perfect maze by the recursive backtracker (depth-first search from a drawn cell, a random
  unvisited neighbour at each step): exactly one path between any two cells; every closed edge is a wall,
  collinear neighbours merged into one box.
- **rooms**: every edge between two cells (rooms) is a wall with one doorway, a third of the edge wide, in one
  of its three thirds (drawn): every room reaches its neighbours.

Generation draws only from ``LayoutRandom`` (SplitMix64, Steele, Lea and Flood, "Fast splittable
pseudorandom number generators", OOPSLA 2014; constants as published by Vigna), so the C# written by
``codegen.world`` draws the same layout from the same seed (``tests/codegen/test_world_maze.py`` runs both).

Placement in a layout (``place_in_cells``): every item drawn at random stands at the centre of a cell whose
centre lies in its spawn rectangle, one item per cell while free cells remain, never on a goal, hazard or
solid region; agents are placed first, in the cell farthest (by path) from the goal regions when there are
any, and ``target`` entities in the cell farthest by path from the first agent, so the goal is never next to
the start.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..errors import SpecError
from .model import EntityKind, Layout, LayoutKind, RegionKind, World
from .spawn import Placeable, blocked_rects

MASK64 = (1 << 64) - 1
NORTH, EAST, SOUTH, WEST = 0, 1, 2, 3
"""Directions from a cell: +z, +x, -z, -x."""
STEPS = ((0, 1), (1, 0), (0, -1), (-1, 0))
"""(columns, rows) one step in each direction moves: also the unit (x, z) of that direction."""
DOOR_PARTS = 3
"""A room's edge is split in this many parts; the doorway is one of them."""


class LayoutRandom:
    """SplitMix64: a 64-bit generator simple enough to write identically in C# (``ulong`` wraps the same)."""

    def __init__(self, seed: int) -> None:
        self.state = seed & MASK64

    def next(self) -> int:
        """Return the next 64-bit value."""
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, n: int) -> int:
        """Return an integer in ``[0, n)`` (``next() % n``: the bias is below 2**-50 for our sizes)."""
        return self.next() % n


def fixed_seed(world: World) -> int:
    """Return the seed of a world's fixed layout (``randomize: false``): from its name, the same in Unity."""
    return int.from_bytes(hashlib.sha256(world.name.encode("utf-8")).digest()[:8], "little") & ((1 << 63) - 1)


@dataclass(frozen=True)
class Grid:
    """The arena's cells.

    Attributes:
        cols: cells along x.
        rows: cells along z.
        half_x: the arena's half width (x).
        half_z: the arena's half depth (z).
        thickness: inner wall thickness.

    """

    cols: int
    rows: int
    half_x: float
    half_z: float
    thickness: float

    @classmethod
    def of(cls, world: World) -> Grid:
        """Return the grid of ``world``'s layout (which must have one)."""
        layout = world.arena.layout
        assert layout is not None
        return cls(
            layout.cells[0], layout.cells[1], *(s / 2.0 for s in world.arena.size), layout.wall_thickness
        )

    @property
    def cells(self) -> int:
        """Number of cells."""
        return self.cols * self.rows

    @property
    def width(self) -> float:
        """A cell's extent along x."""
        return 2.0 * self.half_x / self.cols

    @property
    def depth(self) -> float:
        """A cell's extent along z."""
        return 2.0 * self.half_z / self.rows

    def centres(self) -> np.ndarray:
        """Return ``(cells, 2)`` (x, z) centres in cell order (one read-only array per grid)."""
        return self._centres

    @cached_property
    def _centres(self) -> np.ndarray:
        c, r = np.meshgrid(np.arange(self.cols), np.arange(self.rows))
        out = np.stack(
            [-self.half_x + (c.ravel() + 0.5) * self.width, -self.half_z + (r.ravel() + 0.5) * self.depth], 1
        )
        out.flags.writeable = False
        return out

    def cell_of(self, xz: np.ndarray) -> np.ndarray:
        """Return the cell index of each (x, z) in ``(..., 2)`` (clamped into the grid)."""
        c = np.clip(((xz[..., 0] + self.half_x) // self.width).astype(np.int64), 0, self.cols - 1)
        r = np.clip(((xz[..., 1] + self.half_z) // self.depth).astype(np.int64), 0, self.rows - 1)
        return r * self.cols + c

    def neighbour(self, cell: int, direction: int) -> int:
        """Return the cell next to ``cell`` in ``direction`` (-1 beyond the arena)."""
        return self.neighbours[cell][direction]

    @cached_property
    def neighbours(self) -> list[list[int]]:
        """Per cell, its neighbour in each direction (-1 beyond the arena): plain lists, fast to index."""
        out = []
        for cell in range(self.cols * self.rows):
            row = []
            for dc, dr in STEPS:
                c, r = cell % self.cols + dc, cell // self.cols + dr
                row.append(r * self.cols + c if 0 <= c < self.cols and 0 <= r < self.rows else -1)
            out.append(row)
        return out

    def max_walls(self, kind: LayoutKind) -> int:
        """Most wall boxes a layout of ``kind`` has (the simulator preallocates them)."""
        if kind is LayoutKind.MAZE:  # a perfect maze keeps (cols-1)(rows-1) of the inner edges closed
            return (self.cols - 1) * (self.rows - 1)
        return 2 * ((self.cols - 1) * self.rows + self.cols * (self.rows - 1))

    def interior(self) -> tuple[float, float]:
        """Half extents (x, z) of a cell's interior: what an item at a cell centre may fill."""
        return (self.width - self.thickness) / 2.0, (self.depth - self.thickness) / 2.0


@dataclass(frozen=True)
class GeneratedLayout:
    """One drawn layout.

    Attributes:
        grid: its cells.
        walls: ``(k, 4)`` wall boxes (x_min, z_min, x_max, z_max), in generation order.
        open: ``(cells, 4)`` True where a cell opens to its neighbour in a direction.
        portals: ``(cells, 4, 2)`` the (x, z) where a path crosses that edge (a maze edge's middle, a room's
            doorway centre); NaN where closed.

    """

    grid: Grid
    walls: np.ndarray
    open: np.ndarray
    portals: np.ndarray

    def distances(self, start: int | Sequence[int]) -> np.ndarray:
        """Return each cell's steps from the nearest of ``start`` (breadth-first; -1 unreachable)."""
        dist = [-1] * self.grid.cells
        queue: deque[int] = deque()
        for s in [start] if isinstance(start, (int, np.integer)) else start:
            dist[int(s)] = 0
            queue.append(int(s))
        links = self._links
        while queue:
            cell = queue.popleft()
            for other in links[cell]:
                if dist[other] < 0:
                    dist[other] = dist[cell] + 1
                    queue.append(other)
        return np.array(dist, dtype=np.int64)

    @cached_property
    def _links(self) -> list[list[int]]:
        """Per cell, the neighbours it opens to (breadth-first search reads these lists)."""
        neighbours = self.grid.neighbours
        return [[neighbours[c][d] for d in range(4) if row[d]] for c, row in enumerate(self.open.tolist())]


def generate(layout: Layout, grid: Grid, seed: int) -> GeneratedLayout:
    """Draw the layout of kind ``layout.kind`` over ``grid`` from ``seed``.

    Args:
        layout: the world's layout settings.
        grid: the arena's cells (``Grid.of``).
        seed: any integer (its low 64 bits are used).

    Returns:
        The walls, the open edges and their crossing points.

    """
    rng = LayoutRandom(seed)
    if layout.kind is LayoutKind.MAZE:
        return _maze(grid, rng)
    return _rooms(grid, rng)


def _edge(grid: Grid, cell: int, direction: int) -> tuple[float, float, float, float]:
    """Return the edge of ``cell`` on ``direction`` as (x0, z0, x1, z1), from its lower to its upper end."""
    c, r = cell % grid.cols, cell // grid.cols
    x0, z0 = -grid.half_x + c * grid.width, -grid.half_z + r * grid.depth
    x1, z1 = x0 + grid.width, z0 + grid.depth
    if direction == NORTH:
        return (x0, z1, x1, z1)
    if direction == EAST:
        return (x1, z0, x1, z1)
    if direction == SOUTH:
        return (x0, z0, x1, z0)
    return (x0, z0, x0, z1)


def _closed_runs(grid: Grid, opened: list[list[bool]], side: int) -> list[tuple]:
    """Return one wall segment per run of neighbouring closed ``side`` edges on each inner grid line.

    ``EAST``: the vertical lines right of columns 0..cols-2, runs along z; ``NORTH``: the horizontal lines
    above rows 0..rows-2, runs along x. Merging a run into one box keeps the wall count (and ray cost) low.
    """
    vertical = side == EAST
    lines, length = (grid.cols, grid.rows) if vertical else (grid.rows, grid.cols)
    segments = []
    for line in range(lines - 1):
        run: list[int] = []
        for k in range(length + 1):
            cell = k * grid.cols + line if vertical else line * grid.cols + k
            if k < length and not opened[cell][side]:
                run.append(cell)
                continue
            if run:
                start, end = _edge(grid, run[0], side), _edge(grid, run[-1], side)
                segments.append(_segment(grid, *start[:2], *end[2:], True, True))
                run = []
    return segments


def _segment(grid: Grid, x0: float, z0: float, x1: float, z1: float, cap0: bool, cap1: bool) -> tuple:
    """Return the wall box along the edge piece (x0, z0)-(x1, z1); a capped end reaches t / 2 past it."""
    h = grid.thickness / 2.0
    if z0 == z1:  # along x
        return (x0 - (h if cap0 else 0.0), z0 - h, x1 + (h if cap1 else 0.0), z0 + h)
    return (x0 - h, z0 - (h if cap0 else 0.0), x0 + h, z1 + (h if cap1 else 0.0))


def _maze(grid: Grid, rng: LayoutRandom) -> GeneratedLayout:
    n = grid.cells
    neighbours = grid.neighbours
    opened = [[False] * 4 for _ in range(n)]  # lists, not arrays: this loop runs at every episode start
    visited = [False] * n
    start = rng.below(n)
    visited[start] = True
    stack = [start]
    while stack:
        cell = stack[-1]
        row = neighbours[cell]
        free = [d for d in range(4) if row[d] >= 0 and not visited[row[d]]]
        if not free:
            stack.pop()
            continue
        d = free[rng.below(len(free))]
        other = row[d]
        opened[cell][d] = opened[other][(d + 2) % 4] = True
        visited[other] = True
        stack.append(other)
    is_open = np.array(opened)
    # an open edge's crossing point is its middle: the cell's centre moved half a cell toward the neighbour
    middles = grid.centres()[:, None, :] + np.array(STEPS) * (0.5 * grid.width, 0.5 * grid.depth)
    portals = np.where(is_open[..., None], middles, np.nan)
    # east edges of columns 0..cols-2 (vertical lines), then north edges of rows 0..rows-2 (horizontal lines)
    walls = [*_closed_runs(grid, opened, EAST), *_closed_runs(grid, opened, NORTH)]
    return GeneratedLayout(grid, np.array(walls, dtype=np.float64).reshape(-1, 4), is_open, portals)


def _rooms(grid: Grid, rng: LayoutRandom) -> GeneratedLayout:
    n = grid.cells
    opened = np.zeros((n, 4), dtype=bool)
    portals = np.full((n, 4, 2), np.nan)
    walls = []
    for cell in range(n):  # each inner edge once: from its cell's east and north sides
        for d in (EAST, NORTH):
            other = grid.neighbour(cell, d)
            if other < 0:
                continue
            x0, z0, x1, z1 = _edge(grid, cell, d)
            door = rng.below(DOOR_PARTS)
            cut = [(x0 + (x1 - x0) * k / DOOR_PARTS, z0 + (z1 - z0) * k / DOOR_PARTS) for k in range(4)]
            if door > 0:  # the wall from the edge's lower end to the doorway
                walls.append(_segment(grid, *cut[0], *cut[door], True, False))
            if door < DOOR_PARTS - 1:  # from the doorway to the upper end
                walls.append(_segment(grid, *cut[door + 1], *cut[DOOR_PARTS], False, True))
            # the crossing point: the middle of the doorway's free width (a doorway at an edge's end loses
            # t / 2 there to the walls meeting at that corner)
            part = (abs(x1 - x0) + abs(z1 - z0)) / DOOR_PARTS
            a = door + (0.5 * grid.thickness / part if door == 0 else 0.0)
            b = door + 1 - (0.5 * grid.thickness / part if door == DOOR_PARTS - 1 else 0.0)
            f = 0.5 * (a + b) / DOOR_PARTS
            middle = (x0 + (x1 - x0) * f, z0 + (z1 - z0) * f)
            opened[cell, d] = opened[other, (d + 2) % 4] = True
            portals[cell, d] = portals[other, (d + 2) % 4] = middle
    return GeneratedLayout(grid, np.array(walls, dtype=np.float64).reshape(-1, 4), opened, portals)


def doorway(grid: Grid, kind: LayoutKind) -> float:
    """Return the narrowest free width a path crosses: a maze passage, or a room's doorway."""
    if kind is LayoutKind.MAZE:
        return min(grid.width, grid.depth) - grid.thickness
    # a doorway at an edge's end loses t / 2 to the wall standing across that end
    return min(grid.width, grid.depth) / DOOR_PARTS - grid.thickness / 2.0


# --- placement ----------------------------------------------------------------------------------------------


def place_in_cells(
    world: World,
    items: list[Placeable],
    layouts: list[GeneratedLayout],
    blocked: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Place ``items`` at cell centres in each area's layout (the rule in the module docstring).

    Args:
        world: the world (its agents are the last ``agent.count`` items; its entities give the targets).
        items: ``placeables(world)``.
        layouts: one drawn layout per area placed.
        blocked: ``(k, 4)`` goal, hazard and solid regions (``spawn.blocked_rects``).
        rng: the environment's generator.

    Returns:
        ``(areas, len(items), 2)`` (x, z) centres, and ``(areas, len(items))`` True where an item found no
        free candidate cell (it shares one).

    """
    grid = layouts[0].grid
    centres = grid.centres()
    n_agents = world.agent.count
    first_agent = len(items) - n_agents
    targets = _target_items(world)
    goals = [r for r in world.arena.regions if r.kind is RegionKind.GOAL]
    goal_cells = np.unique(grid.cell_of(np.array([r.center for r in goals], dtype=np.float64).reshape(-1, 2)))
    candidates = [_candidates(item, centres, blocked) for item in items]
    order = [*range(first_agent, len(items)), *range(first_agent)]
    out = np.zeros((len(layouts), len(items), 2))
    failed = np.zeros((len(layouts), len(items)), dtype=bool)
    for a, layout in enumerate(layouts):
        taken = np.zeros(grid.cells, dtype=bool)
        from_goals = layout.distances(goal_cells.tolist()) if goal_cells.size else None
        from_agent: np.ndarray | None = None
        for j in order:
            item = items[j]
            if item.on is not None:
                out[a, j] = out[a, item.on]
                continue
            if item.fixed:
                out[a, j] = item.low
                taken[grid.cell_of(np.asarray(item.low))] = True
                continue
            cells = candidates[j]
            if item.choices:
                low, high = item.choices[rng.integers(len(item.choices))][1:]
                cells = _candidates(
                    Placeable(item.name, low, high, False, item.body_half, item.check_half), centres, blocked
                )
            free = cells[~taken[cells]]
            if not free.size:
                failed[a, j] = True
                free = cells if cells.size else np.arange(grid.cells)
            score = rng.random(free.size)  # ties among the farthest are broken by the draw
            far = from_goals if j >= first_agent else from_agent if j in targets else None
            if far is not None:
                score = score + far[free]
            cell = int(free[np.argmax(score)])
            taken[cell] = True
            out[a, j] = centres[cell]
            if j == first_agent:  # targets go far from the first agent
                from_agent = layout.distances(cell)
    return out, failed


def _target_items(world: World) -> set[int]:
    """Item indices (``placeables`` order) of the copies of ``target`` entities."""
    out, j = set(), 0
    for e in world.entities:
        if e.kind is EntityKind.TARGET:
            out.update(range(j, j + e.count))
        j += e.count
    return out


def _candidates(item: Placeable, centres: np.ndarray, blocked: np.ndarray) -> np.ndarray:
    """Cells whose centre lies in the item's spawn rectangle and whose check square clears ``blocked``."""
    eps = 1e-9
    low, high = np.asarray(item.low), np.asarray(item.high)
    ok = ((centres >= low - eps) & (centres <= high + eps)).all(axis=1)
    c = item.check_half
    for x0, z0, x1, z1 in blocked:
        ok &= (
            (centres[:, 0] + c <= x0)
            | (centres[:, 0] - c >= x1)
            | (centres[:, 1] + c <= z0)
            | (centres[:, 1] - c >= z1)
        )
    return np.flatnonzero(ok)


# --- validation ---------------------------------------------------------------------------------------------

LAYOUT_TRIALS = 16
"""Layouts drawn (seeded) to try the placement on before a world is accepted."""


def agent_reach(world: World) -> float:
    """Half extent of the agent's footprint: its half side, times sqrt 2 when it may stand turned."""
    agent = world.agent
    turns = any(c.value == "rotate" for c in agent.actions.continuous) or any(
        c.value in ("turn_left", "turn_right") for b in agent.actions.discrete for c in b.choices
    )
    turned = turns or (agent.yaw is not None and agent.yaw % 90.0) or agent.yaw is None
    return agent.size / 2.0 * (2.0**0.5 if turned else 1.0)


def validate_layout(world: World, items: list[Placeable]) -> None:
    """Check a world's layout: walls to take the height and tag from, paths wide enough, items fitting cells.

    Args:
        world: a world with ``arena.layout``.
        items: ``placeables(world)``.

    Raises:
        SpecError: naming the field and what was expected.

    """
    layout = world.arena.layout
    assert layout is not None
    if world.arena.walls is None:
        raise SpecError("arena.layout: needs arena.walls (inner walls take the walls' height and tag)")
    grid = Grid.of(world)
    if layout.wall_thickness >= 0.5 * min(grid.width, grid.depth):
        raise SpecError(
            f"arena.layout.wall_thickness: {layout.wall_thickness} must be less than half a cell "
            f"({grid.width:g} x {grid.depth:g})"
        )
    width, reach = doorway(grid, layout.kind), agent_reach(world)
    if width <= 2.0 * reach:
        raise SpecError(
            f"arena.layout.cells: a {'passage' if layout.kind is LayoutKind.MAZE else 'doorway'} is "
            f"{width:.3g} wide, the agent needs more than {2 * reach:.3g} (fewer cells or thinner walls)"
        )
    room = grid.interior()
    for item in items:
        half = (reach, reach) if item.name.startswith("agent[") else item.body_half
        if item.on is None and (half[0] > room[0] + 1e-9 or half[1] > room[1] + 1e-9):
            raise SpecError(
                f"spawn of {item.name}: its body (half {half[0]:.3g} x {half[1]:.3g}) does not fit a cell's "
                f"interior (half {room[0]:.3g} x {room[1]:.3g}) clear of the inner walls"
            )
        if item.fixed:
            centre = grid.centres()[int(grid.cell_of(np.asarray(item.low)))]
            off = np.abs(np.asarray(item.low) - centre) + np.asarray(half)
            if (off > np.asarray(room) + 1e-9).any():
                raise SpecError(
                    f"spawn of {item.name}: the fixed point {tuple(item.low)} puts its body across its "
                    "cell's inner walls (fixed points in a layout lie inside one cell's interior)"
                )
    blocked = blocked_rects(world)
    centres = grid.centres()
    for item in items:
        rects = [(lo, hi) for _, lo, hi in item.choices] or [(item.low, item.high)]
        if item.on is None and not item.fixed:
            for lo, hi in rects:
                probe = Placeable(item.name, lo, hi, False, item.body_half, item.check_half)
                if not _candidates(probe, centres, blocked).size:
                    raise SpecError(
                        f"spawn of {item.name}: no cell centre lies in its spawn area clear of goal, hazard "
                        "and solid regions (in a layout, items stand at cell centres)"
                    )
    rng = np.random.default_rng(0)
    drawn = [generate(layout, grid, int(rng.integers(1 << 62))) for _ in range(LAYOUT_TRIALS)]
    _, failed = place_in_cells(world, items, drawn, blocked, rng)
    if failed.any():
        item = items[int(np.flatnonzero(failed.any(axis=0))[0])]
        raise SpecError(
            f"spawn of {item.name}: no free cell left in its spawn area (in a layout each item takes one "
            f"cell; {grid.cells} cells)"
        )
