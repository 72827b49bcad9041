"""Benchmark descriptions end to end: each dev-set description through the whole pipeline with its defaults.

Per description (issue 18 item 6): interpreted as a world, kept on the archetype path, or refused (why); the
world's C# checks (syntax, types, safety over ``codegen.world.generate_world``'s project); the sanity checks;
then, for the worlds the simulator runs, a real job (``UnityMLOpsOrchestrator``: codegen, build, train with
the world's training defaults, evaluate, package, register) at the quick-start budget, and the evaluate
stage's success rates of the trained policy (deterministic, and sampled as a Unity player runs it by
default), of the heuristic's clone it started from (worlds the heuristic
plays are trained as offline RL from its recorded episodes; the register stage keeps the better of the two),
of a random policy and of the world's scripted heuristic, and the job's wall time. Columns: description,
outcome, C#, sanity, trained, sampled, clone, random, heuristic, job wall time. Worlds without a success event
(collect-only) show the mean return instead.

    .venv/bin/python bench/bench_descriptions.py                      # the dev set, 100k steps each
    .venv/bin/python bench/bench_descriptions.py --steps 20000 --only LavaWalker Parker
    .venv/bin/python bench/bench_descriptions.py --steps recommended   # each world's recommended budget
    .venv/bin/python bench/bench_descriptions.py --no-train          # interpretation, C#, sanity only
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
DEV_SET = REPO.parent / "shared" / "descriptions" / "dev-set.yaml"
QUICK_START_STEPS = 100_000
"""The guide's quick-start budget."""


def _asset(entry: dict[str, Any]) -> dict[str, Any]:
    asset = {"asset_id": entry["name"].lower(), "name": entry["name"], "description": entry["description"]}
    for key in ("observation_space", "action_space"):
        if entry.get(key) is not None:
            asset[key] = entry[key]
    return asset


def _interpret(asset: dict[str, Any], out: Path) -> dict[str, Any]:
    """Interpretation, C# check and sanity checks of one description (no training)."""
    from mlops_unity_pipeline.behavior.world_behavior import choose_world
    from mlops_unity_pipeline.behavior.world_checks import sanity_check
    from mlops_unity_pipeline.behavior.world_rules import interpret_world
    from mlops_unity_pipeline.behavior.world_training import training_defaults
    from mlops_unity_pipeline.codegen.world import generate_world
    from mlops_unity_pipeline.errors import PipelineError, SpecError

    row: dict[str, Any] = {"name": asset["name"]}
    try:
        result = interpret_world(asset)
    except SpecError as exc:
        return {**row, "outcome": "archetype", "why": str(exc)}
    if result.world is None:
        assert result.refusal is not None
        try:
            choice = choose_world(asset)
        except SpecError:
            return {**row, "outcome": "refused", "why": result.refusal.message}
        return {**row, "outcome": "archetype", "why": choice.reason}
    world = result.world
    row["outcome"] = "world" if result.simulated else "world (not simulated)"
    row["why"] = "; ".join(result.unsupported)
    try:
        code = generate_world(world, out / asset["name"])
        row["csharp"] = "pass" if code.passed else "FAIL"
        row["csharp_checks"] = {c.name: ("skipped" if c.skipped else c.passed) for c in code.checks}
    except PipelineError as exc:  # the generator refuses features it does not write yet, naming them
        failed_checks = "fails its checks" in str(exc)
        row["csharp"], row["csharp_error"] = ("FAIL" if failed_checks else "not written"), str(exc)
    report = sanity_check(
        world, observation_space=asset.get("observation_space"), action_space=asset.get("action_space")
    )
    failed = [c.name for c in report.checks if c.status.value == "failed"]
    skipped = [c.name for c in report.checks if c.status.value == "skipped"]
    row["sanity"] = f"FAIL {','.join(failed)}" if failed else "pass"
    if skipped and not failed:
        row["sanity"] += f" ({len(skipped)} skipped)"
    row["sanity_lines"] = [c.line() for c in report.checks]
    row["simulated"] = result.simulated
    row["success_event"] = any(r.success for r in world.rewards)
    row["recommended_steps"] = training_defaults(world).max_steps
    return row


def _train(asset: dict[str, Any], steps: int, workspace: Path, seed: int) -> dict[str, Any]:
    """Run the whole pipeline on one description; return the evaluate stage's figures and the wall time."""
    from mlops_unity_pipeline.orchestrator import UnityMLOpsOrchestrator
    from mlops_unity_pipeline.registry import PromotionGate
    from mlops_unity_pipeline.specs import RLTrainingConfig, TrainingJob

    gate = PromotionGate(require_beats_baseline=False)
    orchestrator = UnityMLOpsOrchestrator(workspace, promotion_gate=gate)
    job = TrainingJob(
        job_id=asset["asset_id"],
        asset_spec=asset,
        rl_config=RLTrainingConfig(max_steps=steps, num_envs=16, seed=seed, evaluation_episodes=64),
    )
    start = time.perf_counter()
    result = asyncio.run(orchestrator.execute_training_job(job))
    wall = time.perf_counter() - start
    if not result.ok:
        return {"wall_s": wall, "error": f"{result.failed_stage}: {result.error}"}
    m = result.metrics
    out = {"wall_s": wall, "train_s": result.stage_seconds.get("train")}
    prefixes = (
        ("trained", "eval"),
        ("sampled", "eval_stochastic"),
        ("random", "baseline"),
        ("heuristic", "heuristic"),
    )
    for key, prefix in prefixes:
        out[key] = {"success": m.get(f"{prefix}/success_rate"), "return": m.get(f"{prefix}/mean_reward")}
    job_dir = Path(result.paths["job_dir"])
    training = job_dir / "train" / "world_training.json"
    if training.is_file():
        record = json.loads(training.read_text())
        out["training"] = record["difficulty"]
        out["cloned"] = record.get("demonstration_episodes", 0) if record.get("demo_path") else 0
    # offline RL: the heuristic's clone before PPO, scored like the trained policy (the register stage keeps
    # it as champion unless fine-tuning beats it)
    clone = job_dir / "package" / "pretrained" / "metadata.json"
    if clone.is_file():
        cm = json.loads(clone.read_text())["metrics"]
        out["clone"] = {"success": cm.get("eval/success_rate"), "return": cm.get("eval/mean_reward")}
    return out


def _score(figures: dict[str, Any] | None, success_event: bool) -> str:
    if not figures or figures.get("return") is None:
        return "-"
    if success_event and figures.get("success") is not None and not math.isnan(figures["success"]):
        return f"{figures['success']:.0%}"
    return f"{figures['return']:+.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev-set", type=Path, default=DEV_SET, help="descriptions YAML (name, description)")
    parser.add_argument(
        "--steps",
        default=str(QUICK_START_STEPS),
        help="training steps per world, or 'recommended' (each world's training_defaults budget)",
    )
    parser.add_argument("--only", nargs="*", default=None, help="names to run (default: all)")
    parser.add_argument("--no-train", action="store_true", help="interpretation, C# and sanity only")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    entries = yaml.safe_load(args.dev_set.read_text(encoding="utf-8"))
    if args.only:
        entries = [e for e in entries if e["name"] in set(args.only)]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-descriptions-") as tmp:
        for entry in entries:
            asset = _asset(entry)
            start = time.perf_counter()
            row = _interpret(asset, Path(tmp) / "code")
            row["check_s"] = time.perf_counter() - start
            if row.get("simulated") and not args.no_train:
                steps = row["recommended_steps"] if args.steps == "recommended" else int(args.steps)
                row["steps"] = steps
                row.update(_train(asset, steps, Path(tmp) / "ws", args.seed))
            rows.append(row)
            if not args.json:
                print(_line(row), flush=True)
    if args.json:
        print(json.dumps({"steps": args.steps, "rows": rows}, default=str))
    else:
        print(
            f"\n{len(rows)} descriptions: "
            f"{sum(r['outcome'] == 'world' for r in rows)} simulated worlds, "
            f"{sum(r['outcome'].startswith('world (') for r in rows)} worlds not simulated yet, "
            f"{sum(r['outcome'] == 'archetype' for r in rows)} archetype, "
            f"{sum(r['outcome'] == 'refused' for r in rows)} refused; steps per trained world: {args.steps}"
        )
    return 0


def _line(row: dict[str, Any]) -> str:
    success = bool(row.get("success_event"))
    text = f"| {row['name']} | {row['outcome']} | {row.get('csharp', '-')} | {row.get('sanity', '-')} | "
    if "error" in row:
        return text + f"failed: {row['error'][:150]} | - | - | {row['wall_s']:.0f} s |"
    if "trained" in row:
        cloned = f", cloning {row['cloned']} heuristic episodes" if row.get("cloned") else ""
        return (
            text
            + f"{_score(row['trained'], success)} | {_score(row.get('sampled'), success)} | "
            + f"{_score(row.get('clone'), success)} | "
            + f"{_score(row['random'], success)} | "
            + f"{_score(row.get('heuristic'), success)} | {row['wall_s']:.0f} s "
            + f"({row.get('training', '')}, {row['steps']:,} steps{cloned}) |"
        )
    return text + f"- | - | - | - | - | {row['check_s']:.0f} s | {row.get('why', '')[:120]}"


if __name__ == "__main__":
    sys.exit(main())
