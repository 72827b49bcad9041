"""Job reports: a learning-curve PNG (matplotlib, Agg backend) and an episode GIF of a trained policy."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import StoreError
from .store.files import storage_errors


def learning_curve_png(
    history: Sequence[Sequence[float]],
    out: Path | str,
    *,
    title: str = "Learning curve",
    baseline: float | None = None,
    evaluation: float | None = None,
) -> Path:
    """Plot mean episode reward against training steps.

    Args:
        history: ``(step, mean reward)`` pairs, one per summary (``BehaviorResult.history``).
        out: the PNG to write (folders are created).
        title: the plot title.
        baseline: a random policy's mean reward, drawn as a dashed line.
        evaluation: the trained policy's evaluation mean reward, drawn as a dotted line.

    Returns:
        ``out``.

    Raises:
        StoreError: when the file cannot be written.

    """
    import matplotlib

    matplotlib.use("Agg")  # no display on servers; must precede pyplot
    import matplotlib.pyplot as plt

    out = Path(out)
    steps = [float(p[0]) for p in history]
    rewards = [float(p[1]) for p in history]
    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=100)
    try:
        if steps:
            ax.plot(steps, rewards, marker="o", markersize=3, linewidth=1.5, label="training mean reward")
        else:
            ax.text(0.5, 0.5, "no summaries recorded", ha="center", va="center", transform=ax.transAxes)
        if baseline is not None:
            ax.axhline(baseline, color="grey", linestyle="--", linewidth=1, label="random policy")
        if evaluation is not None:
            ax.axhline(evaluation, color="green", linestyle=":", linewidth=1.5, label="evaluation (ONNX)")
        ax.set_xlabel("steps")
        ax.set_ylabel("mean episode reward")
        ax.set_title(title)
        ax.grid(True, alpha=0.3)
        if steps or baseline is not None or evaluation is not None:
            ax.legend(loc="lower right", fontsize=8)
        fig.tight_layout()
        with storage_errors(f"writing {out}"):
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = out.with_name(f".{out.name}.tmp.png")
            fig.savefig(tmp, format="png")
            tmp.replace(out)
    finally:
        plt.close(fig)
    return out


def episode_gif(
    env: Any, policy: Any, out: Path | str, *, max_decisions: int = 200, seed: int | None = None
) -> Path:
    """Render one episode of ``policy`` in ``env`` as a GIF (``sim.render.render_episode_gif``).

    Args:
        env: the simulator env (one agent is enough).
        policy: the policy to show.
        out: the GIF to write.
        max_decisions: at most this many decisions are rendered.
        seed: reset seed.

    Returns:
        ``out``.

    Raises:
        StoreError: when the file cannot be written.

    """
    from .sim.render import render_episode_gif

    out = Path(out)
    with storage_errors(f"writing {out}"):
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.tmp.gif")
        render_episode_gif(env, policy, tmp, max_decisions=max_decisions, seed=seed)
        if not tmp.is_file():
            raise StoreError(f"the renderer wrote no GIF at {tmp}")
        tmp.replace(out)
    return out
