"""Regenerate the protobuf/gRPC modules of ``mlops_unity_pipeline.bridge.proto`` from our ``.proto`` files.

Usage (from the repository root)::

    .venv/bin/python scripts/gen_protos.py          # rewrite *_pb2.py(i) and unity_to_external_pb2_grpc.py
    .venv/bin/python scripts/gen_protos.py --check  # exit 1 if the committed modules are stale

``--check`` compares the message, field and service definitions, not the generator's version banner, so a
newer grpcio-tools does not make a fresh clone red (regenerate with the oldest supported grpcio-tools: the
banner is also the minimum runtime version the generated code accepts).

``grpc_tools.protoc`` emits absolute imports (``import observation_pb2 as observation__pb2``) because the
``.proto`` files import each other by bare file name; we rewrite them to package-relative imports
(``from . import observation_pb2 as observation__pb2``) so the modules load as part of the package without
touching ``sys.path``.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

PROTO_DIR = Path(__file__).resolve().parents[1] / "src" / "mlops_unity_pipeline" / "bridge" / "proto"
_IMPORT = re.compile(r"^import (\w+_pb2(?:_grpc)?) as (\w+)$", re.MULTILINE)
# Lines that only record which generator wrote the file. They change with every grpcio-tools/protobuf
# release without changing a message or field, so --check ignores them (the committed values stay the
# minimum runtime versions that pyproject.toml declares).
_GENERATOR_VERSION = re.compile(
    r"^(# Protobuf Python Version: .*|GRPC_GENERATED_VERSION = .*)$"
    r"|(?<=_runtime_version\.Domain\.PUBLIC,\n)(?:\s*\d+,\n){3}",
    re.MULTILINE,
)


def _relativize(text: str) -> str:
    """Turn ``import x_pb2 as y`` lines into ``from . import x_pb2 as y``."""
    return _IMPORT.sub(r"from . import \1 as \2", text)


def definitions(text: str) -> str:
    """Return a generated module's text without its generator-version lines: what --check compares."""
    return _GENERATOR_VERSION.sub("", text)


def generate(out_dir: Path) -> list[Path]:
    """Compile every ``.proto`` of ``PROTO_DIR`` into ``out_dir`` and return the written files."""
    from grpc_tools import protoc  # grpcio-tools is a dev dependency, not needed at runtime

    protos = sorted(p.name for p in PROTO_DIR.glob("*.proto"))
    include = Path(protoc.__file__).parent / "_proto"  # google/protobuf/*.proto shipped with grpcio-tools
    args = [
        "protoc",
        f"-I{PROTO_DIR}",
        f"-I{include}",
        f"--python_out={out_dir}",
        f"--pyi_out={out_dir}",
        *protos,
    ]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed on " + ", ".join(protos))
    grpc_args = [
        "protoc",
        f"-I{PROTO_DIR}",
        f"-I{include}",
        f"--grpc_python_out={out_dir}",
        "unity_to_external.proto",
    ]
    if protoc.main(grpc_args) != 0:
        raise SystemExit("protoc (grpc plugin) failed on unity_to_external.proto")
    written = []
    for path in sorted(out_dir.glob("*_pb2*.py*")):
        path.write_text(_relativize(path.read_text()))
        written.append(path)
    return written


def main() -> int:
    """Regenerate (or with ``--check`` compare) the generated modules; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="only report whether the committed files are stale"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        fresh = generate(Path(tmp))
        stale = [
            p.name
            for p in fresh
            if not (PROTO_DIR / p.name).exists()
            or definitions((PROTO_DIR / p.name).read_text()) != definitions(p.read_text())
        ]
        if args.check:
            for name in stale:
                print(f"stale: {name}")
            return 1 if stale else 0
        for p in fresh:
            (PROTO_DIR / p.name).write_text(p.read_text())
        print(f"wrote {len(fresh)} files to {PROTO_DIR} ({len(stale)} changed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
