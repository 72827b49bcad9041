"""The job report: one self-contained HTML page (images inlined as base64) built from ``metadata.json``.

It shows what a reviewer needs to trust a model: the learning curve with its spread, the trained policy next
to a random one and the task's scripted heuristic (reward and success rate), one episode as a GIF, the
world/behavior, the resolved trainer config and the lineage (hashes, seeds, versions, timings), and why the
training reward and the deterministic evaluation differ. No script and no external resource: the file opens
offline, from a mail attachment or an artifact store.
"""

from __future__ import annotations

import base64
import html
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .store.files import write_text_atomic

_MIME = {".png": "image/png", ".gif": "image/gif", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
MAX_INLINE_IMAGE_BYTES = 20 * 1024 * 1024
"""An image larger than this is linked by path instead of inlined (keeps the page openable)."""

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0}
body{background:#f6f7f9;color:#1c1e21}
main{max-width:1040px;margin:0 auto;padding:24px}
h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.2em;margin:28px 0 8px;border-bottom:1px solid #d0d4da}
.sub{color:#555;margin:0 0 16px}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{background:#fff;border:1px solid #d0d4da;border-radius:6px;padding:10px 14px;min-width:150px}
.card b{display:block;font-size:1.4em}.card span{color:#555;font-size:.85em}
table{border-collapse:collapse;background:#fff;font-size:.9em}
td,th{border:1px solid #d0d4da;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef0f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
img{max-width:100%;background:#fff;border:1px solid #d0d4da;border-radius:4px}
.row{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
pre{background:#fff;border:1px solid #d0d4da;padding:8px;overflow:auto;max-height:420px;font-size:.8em}
.note{background:#fff8e1;border:1px solid #f0d98c;border-radius:6px;padding:10px 14px}
code{font-size:.9em}
"""


@dataclass(frozen=True)
class PolicyScore:
    """One row of the evaluation table: a policy's episode statistics."""

    label: str
    """What was evaluated (``trained, deterministic`` …)."""
    mean_reward: float
    """Mean cumulative reward per episode."""
    std_reward: float
    """Its standard deviation over episodes."""
    success_rate: float | None
    """Fraction of successful episodes (None when unknown)."""
    episodes: int
    """Episodes counted."""
    mean_length: float | None
    """Mean episode length in decisions."""


def policy_scores(metrics: Mapping[str, Any]) -> list[PolicyScore]:
    """Return the evaluation rows present in a job's metrics, best-informed first.

    ``eval/`` is the trained policy acting deterministically, ``eval_stochastic/`` the same ONNX sampling its
    actions, ``heuristic/`` the task's scripted controller and ``baseline/`` uniformly random actions.
    """
    rows = []
    for prefix, label in (
        ("eval", "trained (deterministic)"),
        ("eval_stochastic", "trained (sampled)"),
        ("heuristic", "scripted heuristic"),
        ("baseline", "random actions"),
    ):
        mean = metrics.get(f"{prefix}/mean_reward")
        if not _is_number(mean):
            continue
        success = metrics.get(f"{prefix}/success_rate")
        length = metrics.get(f"{prefix}/mean_length")
        rows.append(
            PolicyScore(
                label=label,
                mean_reward=float(mean),
                std_reward=float(metrics.get(f"{prefix}/std_reward") or 0.0),
                success_rate=float(success) if _is_number(success) else None,
                episodes=int(metrics.get(f"{prefix}/episodes") or 0),
                mean_length=float(length) if _is_number(length) else None,
            )
        )
    return rows


def reward_gap_note(training_mean: float | None, metrics: Mapping[str, Any]) -> str:
    """Explain, from the measured figures, why the training reward and the deterministic evaluation differ.

    The training figure is the mean over the episodes completed in the last summary window, with actions
    sampled from the policy, on the training seeds. The evaluation runs the exported ONNX with the
    deterministic (mean) action on unseen seeds (``EVAL_SEED_OFFSET``); the sampled evaluation separates the
    effect of the action noise from that of the seeds and the window. Measured on the guide's NavigationAgent
    quick start: the deterministic episodes that fail stand still at one spot for hundreds of decisions until
    they time out, while the sampled policy finishes them.

    Args:
        training_mean: the last summary's mean reward (None when no episode finished).
        metrics: the job's evaluation metrics.

    Returns:
        One paragraph of plain text.

    """
    det = metrics.get("eval/mean_reward")
    if not _is_number(training_mean) or not _is_number(det):
        return "No training summary or evaluation was recorded, so there is no gap to explain."
    training_mean, det = float(training_mean), float(det)
    episodes = max(1, int(metrics.get("eval/episodes") or 1))
    noise = 2.0 * float(metrics.get("eval/std_reward") or 0.0) / math.sqrt(episodes)
    sto = metrics.get("eval_stochastic/mean_reward")
    head = (
        f"Training ended at a mean reward of {training_mean:.3f} (episodes finished in the last summary "
        f"window, actions sampled, training seeds); the exported ONNX scores {det:.3f} acting "
        f"deterministically over {episodes} episodes on unseen seeds (±{noise:.3f}, two standard errors)."
    )
    gap = training_mean - det
    small = max(noise, 0.02 * max(abs(training_mean), 1.0))
    det_success, sto_success = metrics.get("eval/success_rate"), metrics.get("eval_stochastic/success_rate")
    failed = (
        round((float(sto_success) - float(det_success)) * episodes)
        if _is_number(det_success) and _is_number(sto_success)
        else 0
    )
    if _is_number(sto):
        sto = float(sto)
        # Attribute to the mean action when sampling recovers the training figure and the deterministic
        # policy is measurably worse: lower by more than the noise, or failing episodes sampling finishes.
        if gap > 0 and abs(training_mean - sto) <= max(noise, gap / 2) and (sto - det > noise or failed > 0):
            lost = f" and fails {failed} of {episodes} episodes that sampling finishes" if failed > 0 else ""
            lengths = (metrics.get("eval/mean_length"), metrics.get("eval_stochastic/mean_length"))
            longer = (
                f" (mean length {float(lengths[0]):.0f} against {float(lengths[1]):.0f} decisions)"
                if all(_is_number(x) for x in lengths)
                else ""
            )
            return head + (
                f" The same model sampling its actions scores {sto:.3f}, close to training: the gap comes "
                f"from acting on the mean action, which scores {sto - det:.3f} less{lost}{longer}. A "
                "deterministic agent can reach a spot where its mean action is about zero and stand there "
                "until the episode times out (the same observation gives the same action again); action "
                "noise moves a sampling agent off it. "
                "A Unity player samples too unless BehaviorParameters.DeterministicInference is ticked (it "
                f"defaults to false), so expect about {sto:.3f} there; keep sampling, or train longer so the "
                "mean action stops stalling."
            )
    if abs(gap) <= small:
        return head + " The two agree within the evaluation's noise: there is no gap to explain."
    if not _is_number(sto):
        return head + " No sampled evaluation was recorded, so the gap cannot be attributed."
    if gap > 0:
        return head + (
            f" Sampling actions scores {sto:.3f}, so the action noise does not explain it: the rest is the "
            "difference between the training placements and unseen ones, and the noise of the last training "
            "window (a handful of episodes); train longer or on more environments to close it."
        )
    return head + (
        f" Evaluation is higher than training (sampled: {sto:.3f}): the training figure still includes the "
        "exploration noise and the last window mixes in episodes started by an older policy."
    )


def build_report_html(
    metadata: Mapping[str, Any],
    images: Mapping[str, Path],
    *,
    links: Mapping[str, str] | None = None,
) -> str:
    """Render the report page.

    Args:
        metadata: the job's ``metadata.json`` content (as the package stage writes it).
        images: ``learning_curve``, ``evaluation`` and ``episode_gif`` files to inline (missing keys are
            left out).
        links: extra ``label -> path`` entries listed under "Files".

    Returns:
        The HTML text.

    """
    job = metadata.get("job") or {}
    asset = job.get("asset_spec") or {}
    metrics = metadata.get("metrics") or {}
    training = metadata.get("training") or {}
    behavior = metadata.get("behavior_spec") or {}
    job_id = str(job.get("job_id", "?"))
    scores = policy_scores(metrics)

    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Job report: {_e(job_id)}</title><style>{_CSS}</style></head><body><main>",
        f"<h1>Job {_e(job_id)}: {_e(asset.get('name', behavior.get('behavior_name', '')))}</h1>",
        f'<p class="sub">{_e(asset.get("description", ""))} · asset <code>{_e(asset.get("asset_id", ""))}'
        f"</code> · created {_e(metadata.get('created_at', ''))}</p>",
        _cards(metrics, training),
        "<h2>Learning curve</h2>",
        '<div class="row">',
        _img(images.get("learning_curve"), "learning curve: mean episode reward against steps"),
        "</div>",
        "<h2>Evaluation</h2>",
        '<div class="row">',
        _img(images.get("evaluation"), "evaluation: trained policy against random and heuristic"),
        "</div>",
        _scores_table(scores),
        "<h2>Training reward vs evaluation</h2>",
        f'<p class="note">{_e(reward_gap_note(training.get("mean_reward"), metrics))}</p>',
        "<h2>One episode</h2>",
        '<div class="row">',
        _img(images.get("episode_gif"), "one episode of the trained policy"),
        "</div>",
        "<h2>World and behavior</h2>",
        _behavior_table(behavior, metadata.get("interpretation") or {}),
        "<h2>Lineage</h2>",
        _lineage_table(metadata),
        "<h2>Trainer configuration</h2>",
        f"<pre>{_e(json.dumps(metadata.get('trainer_config'), indent=2, sort_keys=True, default=str))}</pre>",
        "<h2>Job</h2>",
        f"<pre>{_e(json.dumps(job, indent=2, sort_keys=True, default=str))}</pre>",
    ]
    if links:
        parts.append("<h2>Files</h2><table>")
        parts += [f"<tr><th>{_e(k)}</th><td><code>{_e(v)}</code></td></tr>" for k, v in links.items()]
        parts.append("</table>")
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


def write_report(path: Path | str, text: str) -> Path:
    """Write the page atomically (a reader never sees half a report).

    Raises:
        StoreError: when the file cannot be written.

    """
    return write_text_atomic(Path(path), text)


# --- pieces -------------------------------------------------------------------------------------------------


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _fmt(value: Any, digits: int = 3) -> str:
    if isinstance(value, bool) or value is None:
        return "-" if value is None else str(value)
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _img(path: Path | None, alt: str) -> str:
    if path is None or not Path(path).is_file():
        return f"<p>({_e(alt)}: not rendered)</p>"
    path = Path(path)
    if path.stat().st_size > MAX_INLINE_IMAGE_BYTES:
        return f"<p>{_e(alt)}: <code>{_e(path)}</code> (too large to inline)</p>"
    mime = _MIME.get(path.suffix.lower(), "application/octet-stream")
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img src="data:{mime};base64,{data}" alt="{_e(alt)}">'


def _cards(metrics: Mapping[str, Any], training: Mapping[str, Any]) -> str:
    cards = [
        ("eval mean reward", metrics.get("eval/mean_reward")),
        ("eval success rate", metrics.get("eval/success_rate")),
        ("random policy", metrics.get("baseline/mean_reward")),
        ("heuristic", metrics.get("heuristic/mean_reward")),
        ("training mean reward", training.get("mean_reward")),
        ("training steps", training.get("steps")),
        ("training seconds", training.get("wall_seconds")),
    ]
    body = "".join(
        f'<div class="card"><b>{_e(_fmt(value, 1 if "seconds" in label else 3))}</b>'
        f"<span>{_e(label)}</span></div>"
        for label, value in cards
        if value is not None
    )
    return f'<div class="cards">{body}</div>'


def _scores_table(scores: Sequence[PolicyScore]) -> str:
    if not scores:
        return "<p>No evaluation was recorded.</p>"
    rows = [
        "<table><tr><th>policy</th><th>mean reward</th><th>std</th><th>success rate</th>"
        "<th>mean length</th><th>episodes</th></tr>"
    ]
    for s in scores:
        rows.append(
            f"<tr><td>{_e(s.label)}</td><td class=num>{s.mean_reward:.3f}</td>"
            f"<td class=num>{s.std_reward:.3f}</td><td class=num>{_e(_fmt(s.success_rate, 2))}</td>"
            f"<td class=num>{_e(_fmt(s.mean_length, 1))}</td><td class=num>{s.episodes}</td></tr>"
        )
    rows.append("</table>")
    return "".join(rows)


def _behavior_table(behavior: Mapping[str, Any], interpretation: Mapping[str, Any]) -> str:
    rows = [("interpreted by", interpretation.get("provider"))]
    if "archetype" not in behavior:
        rows.append(("archetype", interpretation.get("archetype")))
    rows += list(behavior.items())
    reasons = interpretation.get("reasons")
    if reasons:
        rows.append(("why this archetype", reasons))
    body = "".join(
        f"<tr><th>{_e(k)}</th><td><code>{_e(_compact(v))}</code></td></tr>" for k, v in rows if v is not None
    )
    return f"<table>{body}</table>"


def _lineage_table(metadata: Mapping[str, Any]) -> str:
    hashes = metadata.get("hashes") or {}
    rows: list[tuple[str, Any]] = [
        ("model sha256", hashes.get("model_sha256")),
        ("model file", (metadata.get("model") or {}).get("path")),
        ("seeds", metadata.get("seeds")),
        ("stage seconds", metadata.get("stage_seconds")),
        ("versions", metadata.get("versions")),
        ("build", {k: v for k, v in (metadata.get("build") or {}).items() if v is not None}),
        ("generated code sha256", hashes.get("generated_code")),
        ("demonstrations sha256", hashes.get("demonstrations") or None),
        ("resumed from checkpoint", (metadata.get("training") or {}).get("resumed_from_checkpoint")),
    ]
    body = "".join(
        f"<tr><th>{_e(k)}</th><td><code>{_e(_compact(v))}</code></td></tr>" for k, v in rows if v is not None
    )
    return f"<table>{body}</table>"


def _compact(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={_compact(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_compact(v) for v in value)
    return _fmt(value)
