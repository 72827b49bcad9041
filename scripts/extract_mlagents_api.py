"""Record the public C# API of a com.unity.ml-agents package as JSON (facts only: names, kinds, signatures).

The result is what ``tests/codegen/test_stubs_api.py`` holds our stubs to. Point it at the published package
(``needle-mirror/com.unity.ml-agents`` holds one commit per release) as a git repository or a folder::

    .venv/bin/python scripts/extract_mlagents_api.py --git PATH/TO/com.unity.ml-agents.git --rev HEAD
    .venv/bin/python scripts/extract_mlagents_api.py --folder PATH/TO/package --commit SHA

Only ``Runtime/`` is read, minus ``Runtime/Grpc`` (the generated protobuf classes live in their own assembly,
``Unity.ML-Agents.CommunicatorObjects``, which user scripts do not reference). ``#if`` branches are resolved
for a Linux server player with the physics modules installed, as our type check compiles. Nothing of the
package is written out except these facts.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

from mlops_unity_pipeline.codegen.api_surface import (  # noqa: E402 - after the path set-up above
    drop_invisible_bases,
    hidden_type_names,
    read_surface,
)
from mlops_unity_pipeline.codegen.checks.typecheck import PLAYER_DEFINES  # noqa: E402

MODULE_DEFINES = ("MLA_UNITY_PHYSICS_MODULE", "MLA_UNITY_PHYSICS2D_MODULE")
"""``versionDefines`` of ``Runtime/Unity.ML-Agents.asmdef`` that hold with the physics modules installed."""

SOURCE = "https://github.com/needle-mirror/com.unity.ml-agents"


def runtime_files(package: Path) -> list[Path]:
    """Return the C# files of the ``Unity.ML-Agents`` runtime assembly."""
    runtime = package / "Runtime"
    return [p for p in sorted(runtime.rglob("*.cs")) if "Grpc" not in p.relative_to(runtime).parts]


def extract(package: Path, commit: str) -> dict:
    """Read the package at ``package`` and return the JSON document."""
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    files = runtime_files(package)
    if not files:
        raise SystemExit(f"{package}: no Runtime/*.cs files (is this the com.unity.ml-agents package?)")
    defines = [*PLAYER_DEFINES, *MODULE_DEFINES]
    surface = drop_invisible_bases(read_surface(files, defines), hidden_type_names(files, defines))
    return {
        "package": meta["name"],
        "version": meta["version"],
        "unity": meta.get("unity"),
        "dependencies": meta.get("dependencies", {}),
        "source": SOURCE,
        "commit": commit,
        "read": "Runtime/**/*.cs except Runtime/Grpc",
        "defines": defines,
        "types": [surface[name].to_dict() for name in sorted(surface)],
    }


def _unpack(git_dir: Path, rev: str, into: Path) -> str:
    """Write ``package.json`` and the runtime's ``.cs`` files at ``rev`` into ``into``; return the commit."""
    commit = subprocess.run(
        ["git", "-C", str(git_dir), "rev-parse", rev], capture_output=True, text=True, check=True
    ).stdout.strip()
    names = subprocess.run(
        ["git", "-C", str(git_dir), "ls-tree", "-r", "--name-only", commit],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for name in names:
        if name == "package.json" or (name.startswith("Runtime/") and name.endswith(".cs")):
            blob = subprocess.run(
                ["git", "-C", str(git_dir), "show", f"{commit}:{name}"], capture_output=True, check=True
            ).stdout
            target = into / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(blob)
    return commit


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--git", type=Path, help="a git repository of the published package")
    where.add_argument("--folder", type=Path, help="an unpacked package folder (with package.json)")
    parser.add_argument("--rev", default="HEAD", help="revision to read with --git (default HEAD)")
    parser.add_argument("--commit", default="unknown", help="the commit to record with --folder")
    parser.add_argument(
        "--out", type=Path, help="output JSON (default tests/codegen/data/mlagents_api_VERSION.json)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mlagents-api-") as tmp:
        if args.git is not None:
            package = Path(tmp)
            commit = _unpack(args.git, args.rev, package)
        else:
            package, commit = args.folder, args.commit
        document = extract(package, commit)
    out = args.out or REPO_ROOT / "tests" / "codegen" / "data" / f"mlagents_api_{document['version']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    members = sum(len(t["members"]) for t in document["types"])
    print(f"{out}: {document['package']} {document['version']} @ {commit[:12]}: "
          f"{len(document['types'])} types, {members} members")
    return 0


if __name__ == "__main__":
    sys.exit(main())
