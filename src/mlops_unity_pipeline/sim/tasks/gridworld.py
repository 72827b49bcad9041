"""ML-Agents' GridWorld example as the GridWorldColab model sees it: a top-down camera over a 5 x 5 grid.

Facts and their sources are tabled in ``docs/simulator.md`` ("GridWorld"); in short
(``Examples/GridWorld/Scripts/GridAgent.cs``, ``GridArea.cs``, ``Prefabs/AreaColab.prefab``):

- The area: cells at integer (x, z) in ``[0, gridSize)`` (``gridSize`` 5), a plane under them and four wall
  bars (tag ``wall``) one cell outside. ``AreaReset`` draws ``numPlusGoals`` + ``numExGoals`` + 1 distinct
  cells (1 green plus, 1 red ex by default): the goals first, the agent last.
- One branch of 5: 0 nothing, 1 up (+z), 2 down (-z), 3 left (-x), 4 right (+x). ``AddReward(-0.01)`` per
  decision; a move into a wall is refused (``Physics.OverlapBox``); stepping onto a plus ``SetReward(1)``,
  onto an ex ``SetReward(-1)``, then ``EndEpisode``. A decision every physics step, MaxStep 100.
- Action masking (``maskActions``): at the grid's edges the moves out of it are masked. ``AreaColab.prefab``
  (the Colab model's scene) turns it off; the ``GridWorld`` scene's agents keep the default (on).
- The observation: ``CameraSensor`` 84 x 64 RGB (``obs_0 [3, 64, 84]``, channel first as the model
  declares), an orthographic camera looking down with ``orthographicSize = gridSize / 2``: the grid fills the
  height, +z is up and +x right. Shapes and colours measured on ``ExpertGridWorld.demo`` (Unity's own frames):
  the agent is a blue square outline (four bars 0.2 wide, ``AreaColab.prefab``), the plus two bars 0.2 wide,
  the ex two diagonal bars; the floor's lighting is a fitted linear gradient.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ...errors import SpecError
from ...spaces import ActionSpec, ActionTuple, BehaviorSignature, ObservationSpec, StepBatch
from ..core import SimEnv
from ..engine_config import EngineConfig

MAX_STEP = 100
DECISION_PERIOD = 1
DEFAULT_NUM_AGENTS = 9
"""The ``GridWorld`` scene has 9 areas."""
WIDTH, HEIGHT = 84, 64
"""``CameraSensorComponent`` width and height in ``AreaColab.prefab``."""
GRID_SIZE = 5
MAX_GRID_SIZE = 64
"""Largest ``gridSize`` accepted: one pixel per cell at the camera's 64 rows."""
MAX_GOALS = 8
"""Most goals (plus and ex together) an area holds."""
STEP_REWARD = -0.01
PLUS, EX, AGENT = 0, 1, 2
"""Object kinds (rows of ``COLOURS``)."""

NO_ACTION, UP, DOWN, LEFT, RIGHT = range(5)
MOVES = np.array([[0, 0], [0, 1], [0, -1], [-1, 0], [1, 0]], dtype=np.int64)
"""Per action, the cell step (x, z) (``GridAgent``'s ``k_Up`` ... ``k_Right``)."""

# Colours measured on ExpertGridWorld.demo (medians of each object's pixels; PNG, so multiples of 1/255).
COLOURS = np.array([[140, 238, 151], [238, 92, 75], [62, 195, 255]], dtype=np.float32) / np.float32(255)
"""Plus, ex and agent RGB."""
WALL = np.array([137, 139, 143], dtype=np.float32) / np.float32(255)
SKY = np.array([0.19215687, 0.3019608, 0.4745098], dtype=np.float32)
"""The camera's background colour (``agentCam`` in ``AreaColab.prefab``), seen past the walls only when
``gridSize`` > 6."""
FLOOR = np.array(
    [[0.26197, 1.5302e-4, 1.1439e-4], [0.27500, 1.5191e-4, 1.1616e-4], [0.29212, 1.6718e-4, 1.3031e-4]]
)
"""Per channel: the floor's colour at pixel (row 0, column 0), and its change per row and per column (least
squares over the floor pixels of ExpertGridWorld.demo; residual rms 0.007)."""

SIGNATURE = BehaviorSignature(
    name="GridWorld",
    observation_specs=(ObservationSpec((3, HEIGHT, WIDTH), "CameraSensor"),),
    action_spec=ActionSpec(discrete_branches=(5,)),
)
ENV_PARAMETERS = {"gridSize": float(GRID_SIZE), "numPlusGoals": 1.0, "numExGoals": 1.0}


def pixel_world(grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the world x of each camera column ``(n, 84)`` and z of each row ``(n, 64)`` per grid size."""
    g = np.asarray(grid, dtype=np.int64)[:, None]
    scale = g / HEIGHT
    centre = (g - 1) / 2.0
    x = centre + (np.arange(WIDTH) + 0.5 - WIDTH / 2) * scale
    z = centre + (HEIGHT / 2 - (np.arange(HEIGHT) + 0.5)) * scale
    return x, z


def background(grid: int) -> np.ndarray:
    """Return the camera image of an empty area of ``grid`` x ``grid`` cells: ``(3, 64, 84)`` float32."""
    x, z = pixel_world(np.array([grid]))
    x, z = x[0][None, :], z[0][:, None]
    rows = np.arange(HEIGHT, dtype=np.float64)[:, None]
    cols = np.arange(WIDTH, dtype=np.float64)[None, :]
    floor = (x >= -0.5) & (x < grid - 0.5) & (z >= -0.5) & (z < grid - 0.5)
    walls = (x >= -1.5) & (x < grid + 0.5) & (z >= -1.5) & (z < grid + 0.5)
    img = np.empty((3, HEIGHT, WIDTH), dtype=np.float32)
    for ch in range(3):
        lit = FLOOR[ch, 0] + FLOOR[ch, 1] * rows + FLOOR[ch, 2] * cols
        lit = np.round(lit * 255.0) / 255.0  # the sensor's PNG holds 8 bits per channel
        img[ch] = np.where(floor, lit, np.where(walls, WALL[ch], SKY[ch]))
    return img


def _inside(kind: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether offsets ``(a, b)`` from a cell centre lie on an object of ``kind`` (``kernels.gridworld``)."""
    if kind == PLUS:
        return (np.abs(a) < 0.1) | (np.abs(b) < 0.1)
    if kind == EX:
        return ((np.abs(a - b) < 0.15) | (np.abs(a + b) < 0.15)) & (np.abs(a) < 0.38) & (np.abs(b) < 0.4)
    return (np.abs(a) > 0.3) | (np.abs(b) > 0.3)


class GridWorldEnv(SimEnv):
    """Vectorized GridWorld: one agent, its plus and ex goals per area, observed by a top-down camera.

    Attributes:
        agent_cell: ``(n, 2)`` int64 the agent's cell (x, z).
        grid: ``(n,)`` int64 each area's ``gridSize`` (read at its episode start).
        goal_cell: ``(n, MAX_GOALS, 2)`` int64 goal cells.
        goal_kind: ``(n, MAX_GOALS)`` int64: 0 plus, 1 ex, -1 unused slot.
        mask_actions: whether moves out of the grid are masked (``GridAgent.maskActions``).

    """

    task_name = "GridWorld"
    has_kernel = True
    """A compiled decision (``sim.kernels.gridworld``); ``compiled = False`` runs the NumPy reference."""

    def __init__(
        self,
        num_agents: int = DEFAULT_NUM_AGENTS,
        *,
        seed: int | None = None,
        engine: EngineConfig | None = None,
        mask_actions: bool = True,
    ) -> None:
        super().__init__(
            SIGNATURE,
            num_agents,
            decision_period=DECISION_PERIOD,
            max_step=MAX_STEP,
            env_parameter_defaults=ENV_PARAMETERS,
            seed=seed,
            engine=engine,
        )
        n = self.num_agents
        self.mask_actions = bool(mask_actions)
        self.agent_cell = np.zeros((n, 2), dtype=np.int64)
        self.grid = np.full(n, GRID_SIZE, dtype=np.int64)
        self.goal_cell = np.zeros((n, MAX_GOALS, 2), dtype=np.int64)
        self.goal_kind = np.full((n, MAX_GOALS), -1, dtype=np.int64)
        # one cached background per grid size in use; each area points at its own
        self._bg_sizes: list[int] = []
        self._backgrounds = np.zeros((0, 3, HEIGHT, WIDTH), dtype=np.float32)
        self._bg_index = np.zeros(n, dtype=np.int64)
        self._final: np.ndarray | None = None  # final observations of the compiled decision in progress

    # --- environment parameters ---

    def set_env_parameters(self, params: Mapping[str, float]) -> None:
        """Set ``gridSize``, ``numPlusGoals``, ``numExGoals`` (whole numbers; the goals and agent must fit).

        Raises:
            SpecError: an unknown name, a non-integer or out-of-range value, or more objects than cells.

        """
        before = dict(self._params)
        super().set_env_parameters(params)  # names and finiteness
        try:
            self._check_parameters()
        except SpecError:
            self._params = before  # a rejected setting changes nothing
            raise

    def _check_parameters(self) -> None:
        g, plus, ex = (self._params[k] for k in ("gridSize", "numPlusGoals", "numExGoals"))
        for name, value, low, high in (
            ("gridSize", g, 1, MAX_GRID_SIZE),
            ("numPlusGoals", plus, 0, MAX_GOALS),
            ("numExGoals", ex, 0, MAX_GOALS),
        ):
            if float(value) != int(value) or not low <= int(value) <= high:
                raise SpecError(
                    f"{self.task_name}: environment parameter '{name}' must be a whole number in "
                    f"[{low}, {high}], got {value!r}"
                )
        if int(plus) + int(ex) > MAX_GOALS or int(plus) + int(ex) + 1 > int(g) ** 2:
            raise SpecError(
                f"{self.task_name}: numPlusGoals + numExGoals ({int(plus) + int(ex)}) must be at most "
                f"{MAX_GOALS} and leave a cell for the agent on a {int(g)} x {int(g)} grid"
            )

    # --- OnEpisodeBegin (GridArea.AreaReset) ---

    def _background_index(self, grid: int) -> int:
        if grid not in self._bg_sizes:
            self._bg_sizes.append(grid)
            self._backgrounds = np.concatenate([self._backgrounds, background(grid)[None]])
        return self._bg_sizes.index(grid)

    def _begin_episodes(self, idx: np.ndarray) -> None:
        k = idx.size
        g = int(self._params["gridSize"])
        plus, ex = int(self._params["numPlusGoals"]), int(self._params["numExGoals"])
        # Distinct cells in draw order (a HashSet filled until it holds goals + 1; its order is insertion
        # order): the first cells of a random permutation are distributed the same way.
        cells = np.argsort(self._rng.random((k, g * g)), axis=1)[:, : plus + ex + 1]
        self.grid[idx] = g
        self._bg_index[idx] = self._background_index(g)
        kinds = np.full(MAX_GOALS, -1, dtype=np.int64)
        kinds[:plus] = PLUS
        kinds[plus : plus + ex] = EX
        self.goal_kind[idx] = kinds
        self.goal_cell[idx] = 0
        # cell number m is at x = m // g, z = m % g (AreaReset)
        self.goal_cell[idx, : plus + ex, 0] = cells[:, :-1] // g
        self.goal_cell[idx, : plus + ex, 1] = cells[:, :-1] % g
        self.agent_cell[idx, 0] = cells[:, -1] // g
        self.agent_cell[idx, 1] = cells[:, -1] % g

    # --- WriteDiscreteActionMask ---

    def _action_mask(self) -> np.ndarray:
        if self.compiled:
            mask = np.empty((self.num_agents, 5), dtype=bool)
            self._kernels.gridworld_mask(self.agent_cell, self.grid, self.mask_actions, mask)
            return mask
        mask = np.ones((self.num_agents, 5), dtype=bool)
        if self.mask_actions:
            top = self.grid - 1
            mask[:, LEFT] = self.agent_cell[:, 0] != 0
            mask[:, RIGHT] = self.agent_cell[:, 0] != top
            mask[:, DOWN] = self.agent_cell[:, 1] != 0
            mask[:, UP] = self.agent_cell[:, 1] != top
        return mask

    # --- OnActionReceived ---

    def _physics_step(self) -> None:
        self._reward -= np.float32(-STEP_REWARD)
        target = self.agent_cell + MOVES[self._disc[:, 0]]
        inside = ((target >= 0) & (target < self.grid[:, None])).all(axis=1)
        self.agent_cell[inside] = target[inside]
        here = (self.goal_cell == self.agent_cell[:, None, :]).all(axis=2)
        on = here & (self.goal_kind >= 0) & inside[:, None]
        done = on.any(axis=1)
        kind = self.goal_kind[np.arange(self.num_agents), np.argmax(on, axis=1)]
        success = done & (kind == PLUS)
        np.copyto(self._done_now, done)
        np.copyto(self._success_now, success)
        self._reward[:] = np.where(done, np.where(success, np.float32(1.0), np.float32(-1.0)), self._reward)

    def _kernel_decision(
        self,
        reward: np.ndarray,
        flags: np.ndarray,
        obs: tuple[np.ndarray, ...],
        ended: np.ndarray,
    ) -> int | None:
        count = self._kernels.gridworld_decision(
            self._disc,
            MOVES,
            self.agent_cell,
            self.grid,
            self.goal_cell,
            self.goal_kind,
            self.agent_step_count,
            self.max_step,
            reward,
            flags,
            ended,
        )
        # Where episodes ended, the same images are also the final observations: write them in the same
        # pass (``_split_final`` hands them out) instead of copying the whole batch afterwards.
        final = self._new_obs()[0] if count else obs[0]  # obs[0]: a placeholder, not written twice
        self._kernels.gridworld_observe_all(obs[0], final, count > 0, *self._camera_state())
        self._final = final if count else None
        return count

    def _split_final(self, obs: tuple[np.ndarray, ...], ended: np.ndarray) -> tuple[np.ndarray, ...]:
        final, self._final = self._final, None
        self._begin(ended)
        self._kernels.gridworld_observe(obs[0], ended, True, *self._camera_state())
        return (final,)

    def _camera_state(self) -> tuple[np.ndarray, ...]:
        """Return the arguments after the image ones of every camera kernel (``kernels.gridworld``)."""
        return (
            self.agent_cell,
            self.grid,
            self.goal_cell,
            self.goal_kind,
            self._backgrounds,
            self._bg_index,
            COLOURS,
        )

    # --- CollectObservations (the camera) ---

    def _observe(self, idx: np.ndarray | None) -> tuple[np.ndarray, ...]:
        sel = np.arange(self.num_agents) if idx is None else np.asarray(idx, dtype=np.int64)
        if self.compiled:
            img = np.empty((sel.size, 3, HEIGHT, WIDTH), dtype=np.float32)
            self._kernels.gridworld_observe(img, sel, False, *self._camera_state())
            return (img,)
        img = self._backgrounds[self._bg_index[sel]]  # a new array (fancy indexing copies)
        x, z = pixel_world(self.grid[sel])
        ix, iz = np.floor(x + 0.5), np.floor(z + 0.5)
        a, b = x - ix, z - iz
        used = int((self.goal_kind[sel] >= 0).sum(axis=1).max(initial=0))  # slots beyond are empty
        objects = [(self.goal_cell[sel, k], self.goal_kind[sel, k]) for k in range(used)]
        objects.append((self.agent_cell[sel], np.full(sel.size, AGENT)))
        for cell, kind in objects:
            cols = ix == cell[:, 0:1]  # (m, 84)
            rows = iz == cell[:, 1:2]  # (m, 64)
            for k in (PLUS, EX, AGENT):
                mine = kind == k
                if not mine.any():
                    continue
                hit = (
                    rows[mine][:, :, None]
                    & cols[mine][:, None, :]
                    & _inside(k, a[mine][:, None, :], b[mine][:, :, None])
                )
                for ch in range(3):
                    plane = img[mine, ch]
                    plane[hit] = COLOURS[k, ch]
                    img[mine, ch] = plane
        return (img,)

    # --- heuristic ---

    def heuristic(self, batch: StepBatch) -> ActionTuple:
        """Scripted walker from the true state: a shortest path to the nearest plus that steps on no ex.

        Distances to the pluses are spread over the cells (exes and cells off the grid block them) for all
        areas at once; the agent takes the move to the neighbour closest to a plus, or waits when none is
        reachable.
        """
        n = self.num_agents
        size = int(self.grid.max())
        far = np.int64(1 << 30)
        rows = np.arange(n)
        cell = np.arange(size)
        blocked = (cell[None, :, None] >= self.grid[:, None, None]) | (
            cell[None, None, :] >= self.grid[:, None, None]
        )
        used = self.goal_kind >= 0
        slots = np.nonzero(used)
        goal = self.goal_cell[slots]
        blocked[slots[0], goal[:, 0], goal[:, 1]] |= self.goal_kind[slots] == EX
        dist = np.full((n, size, size), far)
        plus = self.goal_kind[slots] == PLUS
        dist[slots[0][plus], goal[plus, 0], goal[plus, 1]] = 0
        for _ in range(size * size):  # relax until nothing changes (a path visits each cell at most once)
            padded = np.pad(dist, ((0, 0), (1, 1), (1, 1)), constant_values=far)
            near = np.minimum.reduce(
                [padded[:, :-2, 1:-1], padded[:, 2:, 1:-1], padded[:, 1:-1, :-2], padded[:, 1:-1, 2:]]
            )
            new = np.where(blocked, dist, np.minimum(dist, near + 1))
            if np.array_equal(new, dist):
                break
            dist = new
        best = np.full(n, far)
        chosen = np.full(n, NO_ACTION)
        for act in (UP, DOWN, LEFT, RIGHT):
            target = self.agent_cell + MOVES[act]
            on_grid = ((target >= 0) & (target < self.grid[:, None])).all(axis=1)
            x, z = np.clip(target[:, 0], 0, size - 1), np.clip(target[:, 1], 0, size - 1)
            value = np.where(on_grid & ~blocked[rows, x, z], dist[rows, x, z], far)
            better = value < best
            chosen = np.where(better, act, chosen)
            best = np.minimum(best, value)
        return ActionTuple(np.zeros((n, 0), np.float32), chosen[:, None].astype(np.int32))
