"""GridWorld kernel: one whole decision for every area (``tasks.gridworld.GridWorldEnv``'s NumPy path).

The camera image is the area's cached background (floor, walls, sky for its grid size) with the goals and
the agent painted over the pixels of their cells; every pixel test is the NumPy path's, in the same float64
operations, so both paths give the same image bit for bit.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

WIDTH = 84
HEIGHT = 64


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _inside(kind: int, a: float, b: float) -> bool:
    # a, b: the pixel centre's offset from its cell centre (cell units); kind 0 plus, 1 ex, 2 agent
    if kind == 0:
        return abs(a) < 0.1 or abs(b) < 0.1
    if kind == 1:
        return (abs(a - b) < 0.15 or abs(a + b) < 0.15) and abs(a) < 0.38 and abs(b) < 0.4
    return abs(a) > 0.3 or abs(b) > 0.3


@njit(cache=True, nogil=True, error_model="numpy")
def gridworld_paint(
    img: np.ndarray, grid: int, cell_x: int, cell_z: int, kind: int, colours: np.ndarray
) -> None:
    """Paint one object (kind 0 plus, 1 ex, 2 agent) on the pixels of cell ``(cell_x, cell_z)`` of ``img``."""
    scale = grid / HEIGHT
    centre = (grid - 1) / 2.0
    # the pixels whose centre can fall in the cell (a column or row more on each side; tested exactly below)
    c_lo = max(int(math.floor(WIDTH / 2 + (cell_x - 0.5 - centre) / scale)) - 1, 0)
    c_hi = min(int(math.ceil(WIDTH / 2 + (cell_x + 0.5 - centre) / scale)) + 1, WIDTH - 1)
    r_lo = max(int(math.floor(HEIGHT / 2 - (cell_z + 0.5 - centre) / scale)) - 1, 0)
    r_hi = min(int(math.ceil(HEIGHT / 2 - (cell_z - 0.5 - centre) / scale)) + 1, HEIGHT - 1)
    for r in range(r_lo, r_hi + 1):
        z = centre + (HEIGHT / 2 - (r + 0.5)) * scale
        if math.floor(z + 0.5) != cell_z:
            continue
        b = z - cell_z
        for c in range(c_lo, c_hi + 1):
            x = centre + (c + 0.5 - WIDTH / 2) * scale
            if math.floor(x + 0.5) != cell_x:
                continue
            if _inside(kind, x - cell_x, b):
                img[0, r, c] = colours[kind, 0]
                img[1, r, c] = colours[kind, 1]
                img[2, r, c] = colours[kind, 2]


@njit(cache=True, nogil=True, error_model="numpy")
def gridworld_render(
    img: np.ndarray,
    i: int,
    agent: np.ndarray,
    grid: np.ndarray,
    goals: np.ndarray,
    goal_kind: np.ndarray,
    backgrounds: np.ndarray,
    bg_index: np.ndarray,
    colours: np.ndarray,
) -> None:
    """Write area ``i``'s camera image into ``img``: background, goals in slot order, then the agent."""
    # One flat loop over the C-contiguous image: it compiles to a vectorized copy at about memcpy speed,
    # where three nested loops ran at half of it (numba's whole-array assignment is slower still).
    src = backgrounds[bg_index[i]].reshape(-1)
    dst = img.reshape(-1)
    for k in range(dst.size):
        dst[k] = src[k]
    g = grid[i]
    for k in range(goals.shape[1]):
        if goal_kind[i, k] >= 0:
            gridworld_paint(img, g, goals[i, k, 0], goals[i, k, 1], goal_kind[i, k], colours)
    gridworld_paint(img, g, agent[i, 0], agent[i, 1], 2, colours)


@njit(cache=True, nogil=True, error_model="numpy")
def gridworld_observe(
    out: np.ndarray,
    rows: np.ndarray,
    in_place: bool,
    agent: np.ndarray,
    grid: np.ndarray,
    goals: np.ndarray,
    goal_kind: np.ndarray,
    backgrounds: np.ndarray,
    bg_index: np.ndarray,
    colours: np.ndarray,
) -> None:
    """Write the camera images of areas ``rows`` into ``out[rows[j]]`` (``in_place``) or ``out[j]``."""
    for j in range(rows.size):
        img = out[rows[j]] if in_place else out[j]
        gridworld_render(img, rows[j], agent, grid, goals, goal_kind, backgrounds, bg_index, colours)


@njit(cache=True, nogil=True, error_model="numpy")
def gridworld_observe_all(
    obs: np.ndarray,
    final: np.ndarray,
    with_final: bool,
    agent: np.ndarray,
    grid: np.ndarray,
    goals: np.ndarray,
    goal_kind: np.ndarray,
    backgrounds: np.ndarray,
    bg_index: np.ndarray,
    colours: np.ndarray,
) -> None:
    """Write every area's camera image into ``obs`` and, when ``with_final``, the same image into ``final``.

    The second copy is made while the image is still in the core's cache: copying the whole batch
    afterwards reads it back from memory (at 256 areas the batch is 16 MB).
    """
    for i in range(obs.shape[0]):
        gridworld_render(obs[i], i, agent, grid, goals, goal_kind, backgrounds, bg_index, colours)
        if with_final:
            src = obs[i].reshape(-1)
            dst = final[i].reshape(-1)
            for k in range(dst.size):
                dst[k] = src[k]


@njit(cache=True, nogil=True, error_model="numpy")
def gridworld_mask(agent: np.ndarray, grid: np.ndarray, mask_actions: bool, out: np.ndarray) -> None:
    """``GridAgent.WriteDiscreteActionMask`` for every area into ``out`` ``(n, 5)`` (True = allowed).

    With ``mask_actions`` the moves off the grid are masked: left at x = 0, right at x = top, down at z = 0,
    up at z = top (``tasks.gridworld.GridWorldEnv._action_mask``'s NumPy rule).
    """
    for i in range(agent.shape[0]):
        top = grid[i] - 1
        out[i, 0] = True
        out[i, 1] = not mask_actions or agent[i, 1] != top
        out[i, 2] = not mask_actions or agent[i, 1] != 0
        out[i, 3] = not mask_actions or agent[i, 0] != 0
        out[i, 4] = not mask_actions or agent[i, 0] != top


@njit(cache=True, nogil=True, error_model="numpy")
def gridworld_decision(
    disc: np.ndarray,
    moves: np.ndarray,
    agent: np.ndarray,
    grid: np.ndarray,
    goals: np.ndarray,
    goal_kind: np.ndarray,
    step_count: np.ndarray,
    max_step: int,
    reward: np.ndarray,
    flags: np.ndarray,
    ended: np.ndarray,
) -> int:
    """One decision (one physics step) for every area; returns how many episodes ended (listed in ``ended``).

    Per area, as ``GridAgent.OnActionReceived``: -0.01, the move unless it leaves the grid (the walls), then
    +1 on a plus or -1 on an ex (``SetReward``) and the episode ends; else MaxStep interrupts it. The camera
    images are written afterwards (``gridworld_observe_all``), once it is known whether final observations
    are needed.
    """
    n = agent.shape[0]
    count = 0
    step_cost = np.float32(0.01)
    for i in range(n):
        step_count[i] += 1
        r = np.float32(0.0) - step_cost
        a = disc[i, 0]
        tx = agent[i, 0] + moves[a, 0]
        tz = agent[i, 1] + moves[a, 1]
        g = grid[i]
        terminated = False
        success = False
        if 0 <= tx < g and 0 <= tz < g:
            agent[i, 0] = tx
            agent[i, 1] = tz
            for k in range(goals.shape[1]):
                kind = goal_kind[i, k]
                if kind >= 0 and goals[i, k, 0] == tx and goals[i, k, 1] == tz:
                    terminated = True
                    success = kind == 0
                    r = np.float32(1.0) if success else np.float32(-1.0)
                    break
        truncated = (not terminated) and max_step > 0 and step_count[i] >= max_step
        reward[i] = r
        flags[0, i] = terminated or truncated
        flags[1, i] = terminated
        flags[2, i] = truncated
        flags[3, i] = success
        if terminated or truncated:
            ended[count] = i
            count += 1
    return count
