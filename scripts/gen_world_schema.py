"""Write ``docs/world.schema.json`` from the world IR (``world.model``); ``--check`` fails when it is stale.

Run: ``PYTHONPATH=src python scripts/gen_world_schema.py`` after changing ``src/mlops_unity_pipeline/world/``;
``tests/world/test_schema.py`` fails while the committed file differs from what this writes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mlops_unity_pipeline.world.files import schema_text

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "docs" / "world.schema.json"


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the schema file; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the file is not up to date")
    args = parser.parse_args(argv)
    text = schema_text()
    if args.check:
        current = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.exists() else ""
        if current != text:
            print(f"{SCHEMA_PATH} is stale: run scripts/gen_world_schema.py", file=sys.stderr)
            return 1
        return 0
    SCHEMA_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {SCHEMA_PATH} ({len(text)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
