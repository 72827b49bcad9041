"""Compare our UnityEngine stubs with Unity's C# reference source: each stubbed type and member must be there.

Unity's reference source (``Unity-Technologies/UnityCsReference``) is licensed for reference only, so neither
it nor data read from it is committed; this script reads a local checkout and prints what differs::

    git -C UnityCsReference checkout 6000.0.23f1
    .venv/bin/python scripts/check_unityengine_stubs.py UnityCsReference

It exits 1 when a stubbed type is missing there, its header differs (kind, modifiers, bases) or one of its
members has no member with the same canonical signature. Our stubs model a subset of Unity: members the
reference has and the stubs lack are not reported. Enum and constant values are compared by name only (the
reference spells them as expressions such as ``1<<2``).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

from mlops_unity_pipeline.codegen.api_surface import ApiMember, read_surface  # noqa: E402
from mlops_unity_pipeline.codegen.checks.typecheck import PLAYER_DEFINES, stub_files  # noqa: E402

READ = ("Runtime", "Modules", "artifacts/generated/UnityEvent")
"""Folders of the reference checkout that hold the player's UnityEngine code (editor folders are skipped)."""


def _normal(member: ApiMember) -> str:
    signature = re.sub(r"\[(?!Obsolete\(error\))[A-Za-z]+(\(.*?\))?\] ", "", member.signature)
    signature = re.sub(r"\b(extern|unsafe) ", "", signature)
    if member.kind == "enum_member" or " const " in f" {signature} ":
        signature = signature.split(" = ")[0]
    return signature


def reference_files(root: Path) -> list[Path]:
    """Return the reference's player-side C# files."""
    files = []
    for folder in READ:
        for path in sorted((root / folder).rglob("*.cs")):
            if not any("Editor" in part for part in path.relative_to(root).parts):
                files.append(path)
    return files


def compare(root: Path) -> list[str]:
    """Return one line per stubbed UnityEngine type or member the reference does not declare alike."""
    real = read_surface(reference_files(root), PLAYER_DEFINES)
    stubs = read_surface(stub_files(), PLAYER_DEFINES)
    problems = []
    for name, api in sorted(stubs.items()):
        if not name.startswith("UnityEngine"):
            continue
        if name not in real:
            problems.append(f"{name}: no such type in the reference")
            continue
        if api.signature != real[name].signature:
            problems.append(f"{name}: header\n    stub: {api.signature}\n    real: {real[name].signature}")
        known = {_normal(m) for m in real[name].members}
        problems += [f"{name}: {m.signature}" for m in api.members if _normal(m) not in known]
    return problems


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", type=Path, help="a checkout of Unity-Technologies/UnityCsReference")
    args = parser.parse_args(argv)
    if not (args.reference / "Runtime").is_dir():
        print(f"{args.reference}: not a UnityCsReference checkout (no Runtime/ folder)", file=sys.stderr)
        return 2
    problems = compare(args.reference)
    for line in problems:
        print(line)
    stubbed = [n for n in read_surface(stub_files(), PLAYER_DEFINES) if n.startswith("UnityEngine")]
    print(f"{len(stubbed)} UnityEngine types stubbed; {len(problems)} differences", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
