"""``mlops-unity codegen ASSET.yaml --out DIR``, ``codegen world WORLD --out DIR`` and ``codegen check DIR``.

One command with three forms (a click group cannot take a file argument and subcommands at once):
``codegen check DIR`` checks any folder of C#; ``codegen world WORLD`` generates from a world file (or a
shipped world, ``world:PushBlock``); anything else is the asset file to generate from.

``codegen check`` judges a user's own project by syntax and types. The safety policy is the rule for
*generated* code (no file, network, process or reflection API): it is reported in its own section and only
decides the exit code with ``--enforce-safety``: a hand-written script's ``System.IO``
is not a failure of the project.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..errors import DescriptionRefused
from ..specs import load_asset
from ._common import JSON_OPTION, emit_json, fail, handle_errors

if TYPE_CHECKING:
    from ..behavior.world_behavior import WorldChoice
    from ..codegen.world.generate import WorldCodegenResult

WORLD_PREFIX = "world:"
"""``codegen world world:<Name>`` names a shipped world (``world/library/<Name>.yaml``), as ``sim`` does."""

HELP = """Generate a Unity ML-Agents project from an asset spec, or check a folder of C#.

\b
  mlops-unity codegen ASSET.yaml --out DIR [--provider rules|openai|anthropic]
                      [--record-demonstrations] [--json]
  mlops-unity codegen world WORLD.yaml|world:NAME --out DIR [--json]
  mlops-unity codegen ASSET.yaml --explain [--sanity] [--json]
  mlops-unity codegen check DIR [--enforce-safety] [--json]

ASSET.yaml holds UnityAssetSpec fields (asset_id, name, asset_type, description, observation_space,
action_space), or a whole job with an asset_spec key. It writes the project a job would train: the world's
(docs/descriptions.md) when the description composes a world the simulator runs, the archetype's otherwise
(balancing, or spaces no world honours exactly); a refused description exits 1 with the reason. The world form
writes the Unity project of a world file (docs/simulator.md, "Worlds"), or of a shipped world by name
(world:PushBlock); its observation layout equals the simulator's, and features the generator does not write
yet are refused by name. --explain writes nothing: it shows how each part of the description becomes part of a
world (entities, regions, rewards, sensors, actions) or why the description is refused, and exits 1 when it is
refused; --sanity adds the checks before training (rewards can fire, perception, sizes, idle and random
rollouts in the simulator) and exits 1 when one fails. The check form exits 1 when the syntax or types check
fails; the safety policy for generated code is reported separately and counts only with --enforce-safety.
"""


def register(app: typer.Typer) -> None:
    """Add the ``codegen`` command to the app."""
    app.command("codegen", help=HELP, no_args_is_help=True)(codegen)


@handle_errors
def codegen(
    target: str = typer.Argument(
        ..., metavar="ASSET.yaml | world | check", help="Asset spec file, 'world' or 'check'."
    ),
    folder: Path | None = typer.Argument(
        None,
        metavar="[DIR | WORLD]",
        help="With 'check': the folder of C# to check; with 'world': the world file or world:NAME.",
    ),
    out: Path | None = typer.Option(None, "--out", "-o", help="Unity project folder to write."),
    provider: str = typer.Option("rules", "--provider", help="rules (offline), openai or anthropic."),
    record_demonstrations: bool = typer.Option(
        False, "--record-demonstrations", help="Add DemonstrationRecorder and drive the agent by keyboard."
    ),
    enforce_safety: bool = typer.Option(
        False,
        "--enforce-safety",
        help="With 'check': exit 1 when the safety policy for generated code fails or cannot be decided.",
    ),
    explain: bool = typer.Option(
        False, "--explain", help="Show how the description becomes a world (or is refused); write nothing."
    ),
    sanity: bool = typer.Option(
        False, "--sanity", help="With --explain: run the sanity checks before training on the world."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Generate a Unity project from ASSET.yaml, or run the checks with ``codegen check DIR``."""
    if target == "check" and (folder is not None or not Path(target).is_file()):
        if folder is None:
            raise fail("codegen check: give the folder to check (mlops-unity codegen check DIR)")
        _check(folder, enforce_safety, json_output)
        return
    if target == "world" and (folder is not None or not Path(target).is_file()):
        if folder is None:
            raise fail("codegen world: give the world file (mlops-unity codegen world WORLD.yaml --out DIR)")
        if out is None:
            raise fail("codegen world: --out DIR is required (the Unity project folder to write)")
        _generate_world(str(folder), out, json_output)
        return
    if folder is not None:
        raise fail(f"unexpected argument '{folder}' (did you mean --out {folder}?)")
    if sanity and not explain:
        raise fail("codegen: --sanity goes with --explain (codegen ASSET.yaml --explain --sanity)")
    if explain:
        _explain(Path(target), sanity, json_output)
        return
    if out is None:
        raise fail("codegen: --out DIR is required (the Unity project folder to write)")
    _generate(Path(target), out, provider, record_demonstrations, json_output)


def _generate(
    asset_path: Path, out: Path, provider: str, record_demonstrations: bool, json_output: bool
) -> None:
    """Write the project a job would train: the world's when the description composes one, else archetype's.

    ``choose_world`` decides as it does for a job's codegen stage (``orchestrator/stages/codegen.py``), so
    ``codegen ASSET --out DIR`` writes the same C# that ``mlops-unity run`` trains; a refusal or a world the
    simulator does not run yet is the same one-line error.
    """
    from ..behavior.providers import make_provider  # start-up
    from ..behavior.world_behavior import choose_world  # start-up
    from ..codegen import generate  # start-up

    asset = load_asset(asset_path)
    try:
        choice = choose_world(asset, make_provider(provider))
    except DescriptionRefused as exc:  # exit 1 with the one line, as --explain does
        raise fail(str(exc), code=1) from None
    if choice.world is not None:
        if record_demonstrations:
            raise fail(
                "codegen: --record-demonstrations adds a keyboard recorder to archetype projects; the "
                f"description composes world '{choice.world.name}', whose demonstrations the pipeline "
                "records from its scripted heuristic in the simulator (docs/descriptions.md)"
            )
        _write_world(choice, out, json_output)
        return
    result = generate(asset, out, provider=provider, record_demonstrations=record_demonstrations)
    if json_output:
        emit_json(result.to_dict())
        return
    interp = result.interpretation
    typer.echo(f"archetype: {interp.archetype} (provider: {result.metadata['provider']})")
    for reason in interp.reasons:
        typer.echo(f"  reason: {reason}")
    for fallback in interp.fallbacks:
        typer.echo(f"  fallback: {fallback}")
    if result.metadata.get("fallback_used"):
        typer.echo(f"  fallback: {result.metadata['fallback_reason']}; template code used")
    for path in result.files:
        typer.echo(f"wrote {path}")
    _print_checks(result.checks)


def _write_world(choice: WorldChoice, out: Path, json_output: bool) -> None:
    """Write and report the project of the world a description composed (with how it was read)."""
    from ..codegen.world import generate_world  # start-up

    interpretation = choice.interpretation
    assert choice.world is not None and interpretation is not None  # choose_world's contract for a world
    result = generate_world(choice.world, out)
    records = [r.to_dict() for r in interpretation.records]
    if json_output:
        llm = None if choice.llm is None else choice.llm.to_dict()
        emit_json({**result.to_dict(), "archetype": "world", "records": records, "llm": llm})
        return
    provider = "rules" if choice.llm is None else choice.llm.provider
    typer.echo(f"world: {result.world} (agent class {result.class_name}, provider: {provider})")
    for record in interpretation.records:
        typer.echo(f"  {record.line()}")
    if choice.llm is not None and choice.llm.fallback_used:
        typer.echo(f"  fallback: LLM world not used, rules world instead: {choice.llm.fallback_reason}")
    _print_world(result)


def _print_world(result: WorldCodegenResult) -> None:
    for obs in result.metadata["observations"]:
        typer.echo(f"  observation {obs['name']}: {obs['shape']}")
    actions = result.metadata["actions"]
    typer.echo(f"  actions: continuous {actions['continuous']}, discrete branches {actions['discrete']}")
    for written in result.files:
        typer.echo(f"wrote {written}")
    _print_checks(result.checks)


def _generate_world(source: str, out: Path, json_output: bool) -> None:
    from ..codegen.world import generate_world  # start-up
    from ..world import library_worlds, load_world  # start-up

    if source.startswith(WORLD_PREFIX):
        shipped = library_worlds()
        name = source[len(WORLD_PREFIX) :]
        if name not in shipped:
            raise fail(f"codegen world: no shipped world '{name}' (shipped: {', '.join(sorted(shipped))})")
        path = shipped[name]
    else:
        path = Path(source)
    result = generate_world(load_world(path), out)
    if json_output:
        emit_json(result.to_dict())
        return
    typer.echo(f"world: {result.world} (agent class {result.class_name})")
    _print_world(result)


def _explain(asset_path: Path, sanity: bool, json_output: bool) -> None:
    from ..behavior.explain import explain_lines  # start-up
    from ..behavior.world_checks import sanity_check  # start-up
    from ..behavior.world_rules import interpret_world  # start-up

    asset = load_asset(asset_path)
    result = interpret_world(asset)
    report = None
    if sanity and result.world is not None:
        report = sanity_check(
            result.world, observation_space=asset.observation_space, action_space=asset.action_space
        )
    if json_output:
        emit_json({**result.to_dict(), "sanity": None if report is None else report.to_dict()})
    else:
        for line in explain_lines(result):
            typer.echo(line)
        if report is not None:
            typer.echo("sanity checks:")
            for check in report.checks:
                typer.echo(f"  {check.line()}")
    if result.refusal is not None or (report is not None and not report.passed):
        raise typer.Exit(1)


def _check(folder: Path, enforce_safety: bool, json_output: bool) -> None:
    from ..codegen.checks import run_checks  # start-up

    *checks, safety = run_checks(folder)
    passed = all(c.passed for c in checks) and (safety.passed or not enforce_safety)
    if json_output:
        emit_json(
            {
                "folder": str(folder),
                "passed": passed,
                "checks": [c.to_dict() for c in checks],
                "safety": safety.to_dict(),
                "safety_enforced": enforce_safety,
            }
        )
    else:
        _print_checks(checks)
        role = "enforced" if enforce_safety else "informational: the rule for generated code"
        typer.echo(f"safety policy ({role}):")
        _print_checks([safety], indent="  ")
    if not passed:
        raise typer.Exit(1)


def _print_checks(checks: list, indent: str = "") -> None:
    for check in checks:
        if check.skipped:
            status = "skipped" if check.passed else "NOT DECIDED"
        else:
            status = "passed" if check.passed else "FAILED"
        line = f"{indent}{check.name}: {status}"
        if check.skipped:
            line += f" ({check.skipped})"
        typer.echo(line)
        for diagnostic in check.diagnostics:
            typer.echo(f"{indent}  {diagnostic}")
