"""The sweep report: trials table (CSV), optimization-history and importance plots (PNG), one HTML page.

The HTML page is self-contained (plots inlined as base64), so it can be mailed or archived on its own.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import logging
import math
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..store.files import write_bytes_atomic, write_text_atomic
from .spec import Direction, SweepSpec

log = logging.getLogger(__name__)


def _figure(width: float = 6.4, height: float = 3.6) -> tuple[Any, Any]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # heavy
    from matplotlib.figure import Figure  # heavy

    figure = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot(1, 1, 1)


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def history_png(spec: SweepSpec, records: Sequence[Any]) -> bytes:
    """Plot each complete trial's objective and the best-so-far line against the trial number."""
    figure, axes = _figure()
    complete = [r for r in records if r.state == "complete" and r.value is not None]
    xs = [r.number for r in complete]
    ys = [float(r.value) for r in complete]
    axes.scatter(xs, ys, s=18, label="trial", color="tab:blue")
    best: list[float] = []
    pick = max if spec.direction is Direction.MAXIMIZE else min
    for y in ys:
        best.append(y if not best else pick(best[-1], y))
    if xs:
        axes.step(xs, best, where="post", color="tab:red", label="best so far")
    pruned = [r.number for r in records if r.state == "pruned"]
    if pruned and ys:
        axes.scatter(pruned, [min(ys)] * len(pruned), marker="x", color="grey", label="pruned")
    axes.set_xlabel("trial")
    axes.set_ylabel(spec.metric)
    axes.set_title(f"optimization history of {spec.sweep_id}")
    axes.grid(True, alpha=0.3)
    axes.legend(loc="best", fontsize=8)
    return _png(figure)


def parameter_importances(study: Any) -> dict[str, float] | None:
    """Return Optuna's parameter importances; None when not computable (< 2 complete trials).

    A search space of one parameter explains all the variance there is: it gets importance 1 without
    Optuna's fANOVA, whose scikit-learn import alone takes seconds (most of a small sweep's report).
    """
    from optuna.trial import TrialState  # optional

    complete = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    if len(complete) < 2:
        return None
    names = {name for trial in complete for name in trial.params}
    if len(names) == 1:
        return {names.pop(): 1.0}
    from optuna.importance import get_param_importances  # optional: scikit-learn, seconds to import

    try:
        with warnings.catch_warnings():  # "importances will be equal" on a few trials: the plot shows that
            warnings.simplefilter("ignore", UserWarning)
            return {k: float(v) for k, v in get_param_importances(study).items()}
    except (RuntimeError, ValueError, ZeroDivisionError) as exc:  # e.g. all trials with the same params
        log.info("parameter importances not computable: %s", exc)
        return None


def importance_png(importances: dict[str, float]) -> bytes:
    """Plot the importances as horizontal bars, the most important on top."""
    items = sorted(importances.items(), key=lambda kv: kv[1])
    figure, axes = _figure(height=max(2.0, 0.5 + 0.4 * len(items)))
    axes.barh([k for k, _ in items], [v for _, v in items], color="tab:green")
    axes.set_xlabel("importance (share of the objective's variance)")
    axes.set_title("parameter importances")
    return _png(figure)


def _format(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}" if math.isfinite(value) else str(value)
    return "" if value is None else str(value)


def write_report(
    spec: SweepSpec, study: Any, records: Sequence[Any], best: Any | None, folder: Path
) -> dict[str, str]:
    """Write ``trials.csv``, ``history.png``, ``importance.png`` (when computable) and ``report.html``.

    Args:
        spec: the sweep.
        study: the Optuna study (for the importances).
        records: the trials (``TrialRecord``).
        best: the best trial, or None.
        folder: where to write.

    Returns:
        Report name -> file path.

    """
    folder.mkdir(parents=True, exist_ok=True)
    names = [p.name for p in spec.search_space]
    header = ["number", "state", spec.metric, *names, "job_id", "node", "duration_s", "error"]
    rows = [
        [
            r.number,
            r.state,
            r.value,
            *[r.params.get(n) for n in names],
            r.job_id,
            r.node,
            r.duration_s,
            r.error,
        ]
        for r in records
    ]
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    files = {"trials_csv": str(write_text_atomic(folder / "trials.csv", text.getvalue()))}
    images: dict[str, bytes] = {"history": history_png(spec, records)}
    importances = parameter_importances(study)
    if importances:
        images["importance"] = importance_png(importances)
    for name, data in images.items():
        files[f"{name}_png"] = str(write_bytes_atomic(folder / f"{name}.png", data))
    table = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_format(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    summary = "no trial completed"
    if best is not None:
        params = ", ".join(f"{k}={_format(v)}" for k, v in best.params.items())
        summary = (
            f"best: trial {best.number} ({best.job_id}), {spec.metric} = {_format(best.value)}; {params}"
        )
    plots = "".join(
        f'<h2>{html.escape(name)}</h2><img alt="{html.escape(name)}" '
        f'src="data:image/png;base64,{base64.b64encode(data).decode()}">'
        for name, data in images.items()
    )
    importance_table = ""
    if importances:
        importance_table = (
            "<h2>importances</h2><table>"
            + "".join(f"<tr><td>{html.escape(k)}</td><td>{v:.3f}</td></tr>" for k, v in importances.items())
            + "</table>"
        )
    page = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>sweep {html.escape(spec.sweep_id)}</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:2px 6px;font-size:12px}</style></head><body>"
        f"<h1>sweep {html.escape(spec.sweep_id)}</h1><p>{html.escape(summary)}</p>"
        f"<p>{len(records)} trials; objective {html.escape(spec.metric)} ({spec.direction.value}); "
        f"sampler {spec.sampler.value}; pruner {spec.pruner.kind.value}</p>"
        "<h2>trials</h2><table><tr>"
        + "".join(f"<th>{html.escape(h)}</th>" for h in header)
        + f"</tr>{table}</table>{importance_table}{plots}</body></html>"
    )
    files["html"] = str(write_text_atomic(folder / "report.html", page))
    return files
