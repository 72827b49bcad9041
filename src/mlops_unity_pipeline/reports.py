"""Job report images: a learning curve and an evaluation chart (matplotlib, Agg backend), an episode GIF."""

from __future__ import annotations

import importlib
import io
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import StoreError
from .sim.engine_config import EngineConfig
from .sim.render import render_episode_gif
from .store.files import storage_errors, write_bytes_atomic


def _save_png(fig: Any, out: Path) -> None:
    """Write a matplotlib figure to ``out`` as PNG atomically (a reader never sees half a chart)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    write_bytes_atomic(out, buffer.getvalue())


def learning_curve_png(
    history: Sequence[Sequence[float]],
    out: Path | str,
    *,
    title: str = "Learning curve",
    baseline: float | None = None,
    evaluation: float | None = None,
    spread: Sequence[Sequence[float]] = (),
    heuristic: float | None = None,
) -> Path:
    """Plot mean episode reward against training steps.

    Args:
        history: ``(step, mean reward)`` pairs, one per summary (``BehaviorResult.history``).
        out: the PNG to write (folders are created).
        title: the plot title.
        baseline: a random policy's mean reward, drawn as a dashed line.
        evaluation: the trained policy's evaluation mean reward, drawn as a dotted line.
        spread: ``(step, mean, std[, success rate])`` per summary: a shaded band of ±1 std of the episode
            rewards, and the training success rate on a second axis (0-1) where it is known.
        heuristic: the task's scripted controller's mean reward, drawn as a dash-dot line.

    Returns:
        ``out``.

    Raises:
        StoreError: when the file cannot be written.

    """
    # The object-oriented API with the Agg canvas, not pyplot: pyplot keeps global state and is not safe when
    # several jobs package their reports in worker threads at once; Agg needs no display.
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # heavy
    from matplotlib.figure import Figure  # heavy

    out = Path(out)
    steps = [float(p[0]) for p in history]
    rewards = [float(p[1]) for p in history]
    fig = Figure(figsize=(6.4, 4.0), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    try:
        if spread:
            band_steps = [float(p[0]) for p in spread]
            low = [float(p[1]) - float(p[2]) for p in spread]
            high = [float(p[1]) + float(p[2]) for p in spread]
            ax.fill_between(band_steps, low, high, alpha=0.2, label="±1 std of episode rewards")
        if steps:
            ax.plot(steps, rewards, marker="o", markersize=3, linewidth=1.5, label="training mean reward")
        else:
            ax.text(0.5, 0.5, "no summaries recorded", ha="center", va="center", transform=ax.transAxes)
        if baseline is not None:
            ax.axhline(baseline, color="grey", linestyle="--", linewidth=1, label="random policy")
        if evaluation is not None:
            ax.axhline(evaluation, color="green", linestyle=":", linewidth=1.5, label="evaluation (ONNX)")
        if heuristic is not None:
            ax.axhline(heuristic, color="purple", linestyle="-.", linewidth=1, label="scripted heuristic")
        ax.set_xlabel("steps")
        ax.set_ylabel("mean episode reward")
        ax.set_title(title)
        ax.grid(True, alpha=0.3)
        handles, labels = ax.get_legend_handles_labels()
        success = [(float(p[0]), float(p[3])) for p in spread if len(p) > 3 and p[3] is not None]
        if success:
            rate_ax = ax.twinx()
            rate_ax.plot(
                [s for s, _ in success], [r for _, r in success], color="darkorange", linewidth=1,
                linestyle="--", marker=".", markersize=3, label="training success rate (right axis)",
            )  # fmt: skip
            rate_ax.set_ylim(-0.02, 1.02)
            rate_ax.set_ylabel("success rate")
            more_handles, more_labels = rate_ax.get_legend_handles_labels()
            handles, labels = handles + more_handles, labels + more_labels
        if handles:
            ax.legend(handles, labels, loc="lower right", fontsize=8)
        fig.tight_layout()
        _save_png(fig, out)
    finally:
        fig.clear()
    return out


def evaluation_chart_png(
    rows: Sequence[tuple[str, float, float, float | None]], out: Path | str, *, title: str = "Evaluation"
) -> Path:
    """Draw the policies side by side: mean episode reward (±1 std) and success rate.

    Args:
        rows: ``(label, mean reward, std, success rate or None)`` per policy, in display order.
        out: the PNG to write (folders are created).
        title: the figure title.

    Returns:
        ``out``.

    Raises:
        StoreError: when the file cannot be written.

    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # heavy
    from matplotlib.figure import Figure  # heavy

    out = Path(out)
    fig = Figure(figsize=(7.2, 3.2), dpi=100)
    FigureCanvasAgg(fig)
    reward_ax, success_ax = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    try:
        labels = [r[0] for r in rows]
        colors = ["#2e7d32", "#66bb6a", "#7e57c2", "#9e9e9e"][: len(rows)] + ["#607d8b"] * (len(rows) - 4)
        positions = list(range(len(rows)))
        reward_ax.barh(positions, [r[1] for r in rows], xerr=[r[2] for r in rows], color=colors, capsize=3)
        reward_ax.set_yticks(positions, labels, fontsize=8)
        reward_ax.invert_yaxis()
        reward_ax.axvline(0.0, color="black", linewidth=0.6)
        reward_ax.set_xlabel("mean episode reward (±1 std)")
        reward_ax.grid(True, axis="x", alpha=0.3)
        success = [r[3] if r[3] is not None else 0.0 for r in rows]
        success_ax.barh(positions, success, color=colors)
        success_ax.set_yticks(positions, [""] * len(rows))
        success_ax.invert_yaxis()
        success_ax.set_xlim(0.0, 1.0)
        success_ax.set_xlabel("success rate")
        success_ax.grid(True, axis="x", alpha=0.3)
        fig.suptitle(title, fontsize=10)
        fig.tight_layout()
        _save_png(fig, out)
    finally:
        fig.clear()
    return out


REPORT_ENGINE = (400, 400, 3, 1.0, 60, 60)
"""Engine settings of report GIFs (width, height, quality, time scale, target and capture frame rate):
real time, rays drawn (quality >= 3), smaller than the 1280x720 inference default so it renders in ~1 s."""


def prefetch_report_dependencies() -> None:
    """Import matplotlib's Agg stack in a daemon thread (about a second, paid while training runs)."""

    def load() -> None:
        for name in ("matplotlib.figure", "matplotlib.backends.backend_agg"):
            try:
                importlib.import_module(name)
            except ImportError:  # reported properly when the report is drawn
                return

    threading.Thread(target=load, daemon=True, name="prefetch-report-deps").start()


def episode_gif(
    env: Any,
    policy: Any,
    out: Path | str,
    *,
    max_decisions: int = 100,
    seed: int | None = None,
    engine: Any | None = None,
) -> Path:
    """Render one episode of ``policy`` in ``env`` as a GIF (``sim.render.render_episode_gif``).

    Args:
        env: the simulator env (one agent is enough).
        policy: the policy to show.
        out: the GIF to write.
        max_decisions: at most this many decisions are rendered.
        seed: reset seed.
        engine: a ``sim.engine_config.EngineConfig`` for the frames (default ``REPORT_ENGINE``).

    Returns:
        ``out``.

    Raises:
        StoreError: when the file cannot be written.

    """
    engine = engine or EngineConfig(*REPORT_ENGINE)
    out = Path(out)
    with storage_errors(f"writing {out}"):
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.tmp.gif")
        render_episode_gif(env, policy, tmp, max_decisions=max_decisions, seed=seed, engine=engine)
        if not tmp.is_file():
            raise StoreError(f"the renderer wrote no GIF at {tmp}")
        tmp.replace(out)
    return out
