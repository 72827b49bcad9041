"""Pictures of the simulator for people: a PNG of the current state and a GIF of an episode.

Navigation, Basic, PushBlock, Hallway and GridWorld are drawn top-down; 3DBall is drawn in an orthographic
three-quarter view (camera 35° round, 22° down), so the platform's tilt about both axes and the ball's
height are visible.

Frames use the inference engine configuration by default (1280x720, as ML-Agents renders when a player runs a
trained model); each GIF frame is one decision and lasts the simulated time it spans at the engine's time
scale (``decision_period * PHYSICS_DT / time_scale``), so the GIF plays in real time at time scale 1. Several
agents are drawn as a grid of panels (at most ``MAX_PANELS``). Drawing uses a fixed palette, so GIF frames
need no quantization.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ..errors import SpecError
from ..spaces import VectorEnv
from .engine_config import EngineConfig
from .policies import Policy
from .rays import cast
from .tasks import walljump as wj
from .tasks.ball3d import Ball3DEnv
from .tasks.basic import LARGE_GOAL, NUM_POSITIONS, SMALL_GOAL, BasicEnv
from .tasks.gridworld import EX, PLUS, GridWorldEnv
from .tasks.hallway import GOAL_Z, HALF_X, HALF_Z, PAD_HALF, SYMBOL_HALF, HallwayEnv
from .tasks.navigation import NavigationEnv
from .tasks.pushblock import ARENA_HALF, GOAL_FRONT, PushBlockEnv
from .tasks.pushblock_collab import AGENTS_PER_AREA, PushBlockCollabEnv
from .tasks.walljump import WallJumpEnv
from .world_env import WorldEnv
from .world_platform import PlatformWorldEnv

MAX_PANELS = 16
"""Agents drawn per frame (the first ones)."""

_PALETTE = {
    "background": (24, 26, 33),
    "panel": (44, 48, 60),
    "grid": (70, 76, 92),
    "wall": (150, 156, 170),
    "platform": (90, 140, 200),
    "platform_edge": (170, 205, 240),
    "platform_side": (55, 90, 140),
    "ball": (245, 180, 60),
    "ball_low": (150, 110, 40),
    "agent": (80, 170, 255),
    "target": (90, 220, 120),
    "obstacle": (200, 80, 80),
    "ray": (120, 120, 70),
    "ray_hit": (240, 230, 120),
    "text": (235, 235, 235),
    "small_goal": (200, 170, 90),
    "large_goal": (90, 220, 120),
    "hazard": (150, 50, 60),
    "block": (200, 140, 70),
    "collectible": (240, 210, 80),
    "actor": (210, 110, 230),
}
_INDEX = {name: i for i, name in enumerate(_PALETTE)}
_FLAT_PALETTE = [c for rgb in _PALETTE.values() for c in rgb] + [0] * (768 - 3 * len(_PALETTE))


def render_frame(env: VectorEnv, engine: EngineConfig | None = None, caption: str = "") -> Image.Image:
    """Draw the current state of ``env`` top-down.

    Args:
        env: a simulator from ``sim.make`` (after ``reset``).
        engine: frame size and quality (default: the env's own engine configuration).
        caption: text drawn in the top-left corner.

    Returns:
        A palette ("P" mode) image of ``engine.width`` x ``engine.height``.

    Raises:
        SpecError: ``env`` is not a simulator this module can draw.

    """
    engine = engine or getattr(env, "engine", None) or EngineConfig.inference()
    image = Image.new("P", (engine.width, engine.height), _INDEX["background"])
    image.putpalette(_FLAT_PALETTE)
    draw = ImageDraw.Draw(image)
    show_caption = bool(caption) and engine.height >= 48
    font = _caption_font(engine.height) if show_caption else None
    # A strip above the panels for the caption, so it never covers the scene.
    strip = (font.getbbox("Ag")[3] + 10) if font is not None else 0
    panels = [
        (x0, y0 + strip, size)
        for x0, y0, size in _panels(min(env.num_agents, MAX_PANELS), engine.width, engine.height - strip)
    ]
    if isinstance(env, (Ball3DEnv, PlatformWorldEnv)):
        # 3DBall's view (5.5 around a 2.5 half extent), scaled to a platform world's platform
        half = env.platform_half_extent if isinstance(env, PlatformWorldEnv) else 2.5
        painter, extent = _draw_ball, 5.5 * half / 2.5
    elif isinstance(env, NavigationEnv):
        painter, extent = _draw_navigation, env.params.arena_half_extent + 0.5
    elif isinstance(env, BasicEnv):
        painter, extent = _draw_basic, 10.5
    elif isinstance(env, PushBlockEnv):
        painter, extent = _draw_pushblock, 13.0
    elif isinstance(env, PushBlockCollabEnv):
        painter, extent = _draw_pushblock_collab, 13.0
    elif isinstance(env, HallwayEnv):
        painter, extent = _draw_hallway, 25.5
    elif isinstance(env, GridWorldEnv):
        painter, extent = _draw_gridworld, float(env.grid.max()) / 2.0 + 1.0
    elif isinstance(env, WorldEnv):
        painter, extent = _draw_world, max(env.half_x, env.half_z) + 0.5
    elif isinstance(env, WallJumpEnv):
        painter, extent = _draw_walljump, 11.0
    else:
        raise SpecError(f"cannot render {type(env).__name__}; expected a simulator from sim.make")
    detailed = engine.quality_level > 2
    for agent, (x0, y0, size) in enumerate(panels):  # one panel per drawn agent (rendering, not stepping)
        draw.rectangle([x0, y0, x0 + size - 1, y0 + size - 1], fill=_INDEX["panel"])
        scale = size / (2.0 * extent)

        def to_px(x: float, z: float, x0: float = x0, y0: float = y0, size: float = size, s: float = scale):
            return (x0 + size / 2.0 + x * s, y0 + size / 2.0 - z * s)

        painter(draw, env, agent, to_px, scale, detailed)
    if font is not None:
        draw.text((8, 5), caption, fill=_INDEX["text"], font=font)
    return image


def _caption_font(height: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    """Return a caption font about 1/25 of the frame height (bitmap when Pillow lacks FreeType)."""
    try:
        return ImageFont.load_default(size=max(11, height // 25))
    except (ImportError, OSError, TypeError):  # Pillow built without FreeType, or older than 10.1
        return ImageFont.load_default()


def _panels(count: int, width: int, height: int) -> list[tuple[int, int, int]]:
    """Square panels laid out in the grid that makes them largest."""
    best: tuple[int, int, int] = (1, count, 0)
    for cols in range(1, count + 1):
        rows = math.ceil(count / cols)
        size = min(width // cols, height // rows)
        if size > best[2]:
            best = (cols, rows, size)
    cols, rows, size = best
    pad = max(1, size // 40)
    left = (width - cols * size) // 2
    top = (height - rows * size) // 2
    return [
        (left + (i % cols) * size + pad, top + (i // cols) * size + pad, size - 2 * pad) for i in range(count)
    ]


_YAW, _PITCH = math.radians(35.0), math.radians(22.0)
_RIGHT = np.array([math.cos(_YAW), 0.0, -math.sin(_YAW)])
_FORWARD = np.array([math.sin(_YAW), 0.0, math.cos(_YAW)])
_UP = _FORWARD * math.sin(_PITCH) + np.array([0.0, math.cos(_PITCH), 0.0])
_VIEW = _FORWARD * math.cos(_PITCH) - np.array([0.0, math.sin(_PITCH), 0.0])
"""The 3DBall camera: screen right/up axes and viewing direction of an orthographic three-quarter view."""
_BALL_VIEW_LIFT = 1.0
"""Scene units the view is shifted down, so the platform (centre at 0) and the ball above it are centred."""


def _draw_ball(draw, env, agent, to_px, scale, detailed) -> None:
    q, p = env.rotation[agent], env.ball_position[agent]
    x, y, z, w = q
    ex = np.array([1 - 2 * (y * y + z * z), 2 * (x * y + w * z), 2 * (x * z - w * y)])
    ez = np.array([2 * (x * z + w * y), 2 * (y * z - w * x), 1 - 2 * (x * x + y * y)])
    ey = np.array([2 * (x * y - w * z), 1 - 2 * (x * x + z * z), 2 * (y * z + w * x)])

    def project(point: np.ndarray) -> tuple[float, float]:
        return to_px(float(point @ _RIGHT), float(point @ _UP) - _BALL_VIEW_LIFT)

    # the platform is a 5x5x5 box rotated about its centre (tasks/ball3d.py); a platform world's is its own
    half = env.platform_half_extent if isinstance(env, PlatformWorldEnv) else 2.5
    faces = []  # the box's faces that look at the camera (back-face culling), far ones drawn first
    for normal, (a, b) in ((ey, (ex, ez)), (-ey, (ex, ez)), (ex, (ey, ez)), (-ex, (ey, ez)), (ez, (ex, ey)),
                           (-ez, (ex, ey))):  # fmt: skip
        if float(normal @ _VIEW) >= 0.0:
            continue
        centre = half * normal
        corners = [centre + half * (sa * a + sb * b) for sa, sb in ((-1, -1), (1, -1), (1, 1), (-1, 1))]
        faces.append((float(centre @ _VIEW), normal is ey, corners))
    for _, is_top, corners in sorted(faces, key=lambda f: -f[0]):
        draw.polygon(
            [project(c) for c in corners],
            fill=_INDEX["platform" if is_top else "platform_side"],
            outline=_INDEX["platform_edge"],
        )
    radius = env.ball_radius[agent] * scale
    cx, cy = project(p)
    above = float(p @ ey) > half
    draw.ellipse(
        [cx - radius, cy - radius, cx + radius, cy + radius], fill=_INDEX["ball" if above else "ball_low"]
    )


def _draw_navigation(draw, env, agent, to_px, scale, detailed) -> None:
    params = env.params
    h = params.arena_half_extent
    draw.rectangle([*to_px(-h, h), *to_px(h, -h)], outline=_INDEX["wall"], width=max(1, int(scale * 0.2)))
    pos = env.position[agent]
    if detailed and any(item.kind == "raycast" for item in params.observations):
        one = slice(agent, agent + 1)
        hits = cast(
            env._pos[0][one],
            env._pos[1][one],
            env._ray_dirs,
            params.ray_length,
            half_extent=h if env._rays_walls else None,
            centres_x=env._obstacles[0][:, one] if env._rays_obstacles else None,
            centres_z=env._obstacles[1][:, one] if env._rays_obstacles else None,
            radius=params.obstacle_radius,
        )[0]
        for direction, distance in zip(env._ray_dirs, hits, strict=True):
            end = pos + direction * distance
            hit = distance < params.ray_length
            draw.line([to_px(*pos), to_px(*end)], fill=_INDEX["ray_hit" if hit else "ray"], width=1)
    for centre, active in zip(env.obstacles[agent], env.active_obstacles[agent], strict=True):
        if active:
            _disc(draw, to_px, centre, params.obstacle_radius * scale, "obstacle")
    _disc(draw, to_px, env.target[agent], params.reach_distance * scale, "target")
    _disc(draw, to_px, pos, params.agent_radius * scale, "agent")


def _draw_basic(draw, env, agent, to_px, scale, detailed) -> None:
    for cell in range(NUM_POSITIONS):
        x = cell - (NUM_POSITIONS - 1) / 2.0
        colour = {SMALL_GOAL: "small_goal", LARGE_GOAL: "large_goal"}.get(cell, "grid")
        draw.rectangle([*to_px(x - 0.45, 0.45), *to_px(x + 0.45, -0.45)], fill=_INDEX[colour])
    x = env.position[agent] - (NUM_POSITIONS - 1) / 2.0
    _disc(draw, to_px, (x, 0.0), 0.35 * scale, "agent")


def _draw_pushblock(draw, env, agent, to_px, scale, detailed) -> None:
    h = ARENA_HALF
    draw.rectangle([*to_px(-h, GOAL_FRONT), *to_px(h, -h)], fill=_INDEX["large_goal"])
    draw.rectangle([*to_px(-h, h), *to_px(h, -h)], outline=_INDEX["wall"], width=max(1, int(scale * 0.5)))
    bx, _, bz = env.block_position[agent]
    hx, _, hz = env.block_half[agent]
    draw.rectangle([*to_px(bx - hx, bz + hz), *to_px(bx + hx, bz - hz)], fill=_INDEX["obstacle"])
    _box_agent(draw, env, agent, to_px, scale)


def _draw_hallway(draw, env, agent, to_px, scale, detailed) -> None:
    # The O cue and its goal in one colour, the X cue and its goal in another: the matching goal shares
    # the cue block's colour.
    colours = ("ball", "target")  # O, X
    for owner in (0, 1):
        gx, (hx, _, hz) = env.goal_x[agent, owner], PAD_HALF
        draw.rectangle(
            [*to_px(gx - hx, GOAL_Z + hz), *to_px(gx + hx, GOAL_Z - hz)], fill=_INDEX[colours[owner]]
        )
    draw.rectangle(
        [*to_px(-HALF_X, HALF_Z), *to_px(HALF_X, -HALF_Z)],
        outline=_INDEX["wall"],
        width=max(1, int(scale * 0.5)),
    )
    sx, _, sz = env.symbol_position[agent]
    hx, _, hz = SYMBOL_HALF
    colour = colours[int(env.selection[agent])]
    draw.rectangle([*to_px(sx - hx, sz + hz), *to_px(sx + hx, sz - hz)], fill=_INDEX[colour])
    _box_agent(draw, env, agent, to_px, scale)


def _draw_gridworld(draw, env, agent, to_px, scale, detailed) -> None:
    # Cells centred on the panel: the plus as a green cross, the ex as a red X, the agent as a blue outline.
    g = int(env.grid[agent])
    shift = (g - 1) / 2.0

    def cell_px(x: float, z: float) -> tuple[float, float]:
        return to_px(x - shift, z - shift)

    width = max(1, int(scale * 0.2))
    draw.rectangle([*cell_px(-1.5, g + 0.5), *cell_px(g + 0.5, -1.5)], fill=_INDEX["wall"])
    draw.rectangle([*cell_px(-0.5, g - 0.5), *cell_px(g - 0.5, -0.5)], fill=_INDEX["panel"])
    if detailed:
        for k in range(1, g):
            draw.line([cell_px(k - 0.5, -0.5), cell_px(k - 0.5, g - 0.5)], fill=_INDEX["grid"])
            draw.line([cell_px(-0.5, k - 0.5), cell_px(g - 0.5, k - 0.5)], fill=_INDEX["grid"])
    for (x, z), kind in zip(env.goal_cell[agent], env.goal_kind[agent], strict=True):
        if kind == PLUS:
            draw.line([cell_px(x - 0.45, z), cell_px(x + 0.45, z)], fill=_INDEX["target"], width=width)
            draw.line([cell_px(x, z - 0.45), cell_px(x, z + 0.45)], fill=_INDEX["target"], width=width)
        elif kind == EX:
            draw.line(
                [cell_px(x - 0.35, z - 0.35), cell_px(x + 0.35, z + 0.35)],
                fill=_INDEX["obstacle"],
                width=width,
            )
            draw.line(
                [cell_px(x - 0.35, z + 0.35), cell_px(x + 0.35, z - 0.35)],
                fill=_INDEX["obstacle"],
                width=width,
            )
    x, z = env.agent_cell[agent]
    draw.rectangle(
        [*cell_px(x - 0.45, z + 0.45), *cell_px(x + 0.45, z - 0.45)], outline=_INDEX["agent"], width=width
    )


def _box_agent(draw, env, agent, to_px, scale) -> None:
    """Draw the agent as its unit square turned by its yaw, with a nose towards its forward."""
    x, _, z = env.agent_position[agent]
    theta = np.radians(env.agent_yaw[agent])
    right, forward = np.array([np.cos(theta), -np.sin(theta)]), np.array([np.sin(theta), np.cos(theta)])
    corners = [
        np.array([x, z]) + 0.5 * (sr * right + sf * forward)
        for sr, sf in ((-1, -1), (1, -1), (1, 1), (-1, 1))
    ]
    draw.polygon([to_px(*c) for c in corners], fill=_INDEX["agent"])
    nose = np.array([x, z]) + 0.8 * forward
    draw.line([to_px(x, z), to_px(*nose)], fill=_INDEX["text"], width=max(1, int(scale * 0.15)))


_REGION_COLOURS = {"goal": "large_goal", "hazard": "hazard", "spawn": "grid", "platform": "platform"}
_ENTITY_COLOURS = {
    "target": "target",
    "collectible": "collectible",
    "hazard": "hazard",
    "obstacle": "obstacle",
    "block": "block",
    "switch": "small_goal",
    "door": "wall",
    "actor": "actor",
}


def _draw_world(draw, env, agent, to_px, scale, detailed) -> None:
    """Any world, generic over its regions and entities: coloured by kind, the agent a turned square."""
    hx, hz = env.half_x, env.half_z
    for region in env.world.arena.regions:
        (cx, cz), (sx, sz) = region.center, region.size
        colour = _REGION_COLOURS.get(region.kind.value, "grid")
        draw.rectangle(
            [*to_px(cx - sx / 2, cz + sz / 2), *to_px(cx + sx / 2, cz - sz / 2)], fill=_INDEX[colour]
        )
    draw.rectangle([*to_px(-hx, hz), *to_px(hx, -hz)], outline=_INDEX["wall"], width=max(1, int(scale * 0.5)))
    area, k = env.agent_area[agent], env.agents_per_area  # the agent's area and every agent in it
    for j, kind in enumerate(env.entity_kinds):
        if not env.entity_active[area, j]:
            continue
        x, _, z = env.entity_position[area, j]
        ex, _, ez = env.entity_half[area, j]
        colour = _INDEX[_ENTITY_COLOURS.get(kind.value, "obstacle")]
        if env.switch_on[area, j]:
            colour = _INDEX["large_goal"]  # a switch once on
        box = [*to_px(x - ex, z + ez), *to_px(x + ex, z - ez)]
        if env.entity_spheres[j]:
            draw.ellipse(box, fill=colour)
        else:
            draw.rectangle(box, fill=colour)
    for member in range(area * k, area * k + k):
        x, _, z = env.agent_position[member]
        half = env.agent_half
        theta = np.radians(env.agent_yaw[member])
        right, forward = np.array([np.cos(theta), -np.sin(theta)]), np.array([np.sin(theta), np.cos(theta)])
        corners = [
            np.array([x, z]) + half * (sr * right + sf * forward)
            for sr, sf in ((-1, -1), (1, -1), (1, 1), (-1, 1))
        ]
        draw.polygon([to_px(*c) for c in corners], fill=_INDEX["agent"])
        nose = np.array([x, z]) + 1.6 * half * forward
        draw.line([to_px(x, z), to_px(*nose)], fill=_INDEX["text"], width=max(1, int(scale * 0.15)))


def _draw_pushblock_collab(draw, env, agent, to_px, scale, detailed) -> None:
    """Draw the area of ``agent``: goal, walls, the blocks still in play and the group's three agents."""
    h = ARENA_HALF
    area = agent // AGENTS_PER_AREA
    draw.rectangle([*to_px(-h, GOAL_FRONT), *to_px(h, -h)], fill=_INDEX["large_goal"])
    draw.rectangle([*to_px(-h, h), *to_px(h, -h)], outline=_INDEX["wall"], width=max(1, int(scale * 0.5)))
    for b in np.flatnonzero(env.block_active[area]):
        bx, _, bz = env.block_position[area, b]
        hx, _, hz = env.block_half[b]
        draw.rectangle([*to_px(bx - hx, bz + hz), *to_px(bx + hx, bz - hz)], fill=_INDEX["obstacle"])
    for member in range(area * AGENTS_PER_AREA, (area + 1) * AGENTS_PER_AREA):
        x, _, z = env.agent_position[member]
        theta = np.radians(env.agent_yaw[member])
        right, forward = np.array([np.cos(theta), -np.sin(theta)]), np.array([np.sin(theta), np.cos(theta)])
        corners = [
            np.array([x, z]) + 0.5 * (sr * right + sf * forward)
            for sr, sf in ((-1, -1), (1, -1), (1, 1), (-1, 1))
        ]
        draw.polygon([to_px(*c) for c in corners], fill=_INDEX["agent" if member == agent else "target"])
        nose = np.array([x, z]) + 0.8 * forward
        draw.line([to_px(x, z), to_px(*nose)], fill=_INDEX["text"], width=max(1, int(scale * 0.15)))


def _draw_walljump(draw, env, agent, to_px, scale, detailed) -> None:
    def box(cx: float, cz: float, hx: float, hz: float, colour: str) -> None:
        # the view is centred on the ground, whose centre lies at z = -4 in the area frame
        z0 = wj.GROUND_CENTRE[2]
        draw.rectangle([*to_px(cx - hx, cz - z0 + hz), *to_px(cx + hx, cz - z0 - hz)], fill=_INDEX[colour])

    box(wj.GROUND_CENTRE[0], wj.GROUND_CENTRE[2], wj.GROUND_HALF[0], wj.GROUND_HALF[2], "grid")
    box(wj.GOAL_CENTRE[0], wj.GOAL_CENTRE[2], wj.GOAL_HALF[0], wj.GOAL_HALF[2], "large_goal")
    if env.wall_height[agent] > 0.0:
        box(0.0, wj.WALL_Z, wj.WALL_HALF_X, wj.WALL_HALF_Z, "wall")
    bx, _, bz = env.block_position[agent]
    box(bx, bz, wj.BLOCK_HALF[0], wj.BLOCK_HALF[2], "obstacle")
    x, _, z = env.agent_position[agent]
    z -= wj.GROUND_CENTRE[2]
    theta = np.radians(env.agent_yaw[agent])
    right, forward = np.array([np.cos(theta), -np.sin(theta)]), np.array([np.sin(theta), np.cos(theta)])
    corners = [
        np.array([x, z]) + 0.5 * (sr * right + sf * forward)
        for sr, sf in ((-1, -1), (1, -1), (1, 1), (-1, 1))
    ]
    draw.polygon([to_px(*c) for c in corners], fill=_INDEX["agent"])
    nose = np.array([x, z]) + 0.8 * forward
    draw.line([to_px(x, z), to_px(*nose)], fill=_INDEX["text"], width=max(1, int(scale * 0.15)))


def _disc(draw, to_px, centre, radius_px: float, colour: str) -> None:
    cx, cy = to_px(float(centre[0]), float(centre[1]))
    radius_px = max(radius_px, 1.0)
    draw.ellipse([cx - radius_px, cy - radius_px, cx + radius_px, cy + radius_px], fill=_INDEX[colour])


def render_state_png(env: VectorEnv, out: Path, *, engine: EngineConfig | None = None) -> Path:
    """Write a top-down PNG of ``env``'s current state.

    Args:
        env: a simulator (after ``reset``).
        out: the PNG path (parent folders are created).
        engine: frame size and quality (default: the inference configuration, 1280x720).

    Returns:
        ``out``.

    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    engine = engine or EngineConfig.inference()
    caption = f"{env.signature.name}  step {getattr(env, 'step_count', 0)}"
    render_frame(env, engine, caption).convert("RGB").save(out, format="PNG")
    return out


def render_episode_gif(
    env: VectorEnv,
    policy: Policy,
    out: Path,
    *,
    max_decisions: int = 300,
    seed: int | None = None,
    engine: EngineConfig | None = None,
) -> Path:
    """Run ``policy`` from a reset and write one frame per decision to an animated GIF.

    Recording stops when the first agent's episode ends or after ``max_decisions``.

    Args:
        env: a simulator (reset here).
        policy: maps a batch to actions.
        out: the GIF path (parent folders are created).
        max_decisions: frame limit.
        seed: reset seed.
        engine: frame size, quality and time scale (default: the inference configuration).

    Returns:
        ``out``.

    Raises:
        SpecError: ``max_decisions`` < 1.

    """
    if max_decisions < 1:
        raise SpecError(f"render: max_decisions must be >= 1, got {max_decisions}")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    engine = engine or EngineConfig.inference()
    period = getattr(env, "decision_period", 1)
    dt = getattr(env, "physics_dt", 0.02)
    duration_ms = max(20, round(1000.0 * period * dt / engine.time_scale))
    batch = env.reset(seed=seed)
    total = 0.0
    frames = []
    for decision in range(max_decisions):
        caption = f"{env.signature.name}  decision {decision}  reward {total:+.2f}"
        frames.append(render_frame(env, engine, caption))
        batch = env.step(policy(batch))
        total += float(batch.reward[0])
        if batch.terminated[0] or batch.truncated[0]:
            break
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=duration_ms, loop=0)
    return out
