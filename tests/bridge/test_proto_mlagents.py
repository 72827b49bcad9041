"""Our .proto definitions against real mlagents_envs 1.1.0 communicator_objects (mlagents venv fixture)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Prints {full name: definition} for every message (nested too), enum and service of a *_pb2 package.
DUMP = r"""
import importlib, json, pkgutil, sys

def field(f):
    repeated = f.is_repeated if hasattr(f, "is_repeated") else f.label == 3
    kind = f.message_type or f.enum_type
    return [f.number, f.type, bool(repeated), kind.full_name if kind else ""]

def message(d, out):
    fields = {f.name: field(f) for f in d.fields}
    out[d.full_name] = {"fields": fields, "oneofs": sorted(o.name for o in d.oneofs)}
    for nested in d.nested_types:
        message(nested, out)

package = importlib.import_module(sys.argv[1])
out = {}
for info in pkgutil.iter_modules(package.__path__):
    if info.name.endswith("_pb2"):
        fd = importlib.import_module(f"{sys.argv[1]}.{info.name}").DESCRIPTOR
        for d in fd.message_types_by_name.values():
            message(d, out)
        for e in fd.enum_types_by_name.values():
            out[e.full_name] = {"values": {v.name: v.number for v in e.values}}
        for s in fd.services_by_name.values():
            out[s.full_name] = {m.name: [m.input_type.full_name, m.output_type.full_name] for m in s.methods}
print(json.dumps(out))
"""

# Fields upstream marks reserved that we keep named so legacy .demo files re-serialize byte for byte.
OUR_EXTRA_FIELDS = {
    "communicator_objects.BrainParametersProto": {
        "vector_observation_size_deprecated": [1, 5, False, ""],
        "num_stacked_vector_observations_deprecated": [2, 5, False, ""],
    }
}


def _dump(python: str, package: str) -> dict:
    result = subprocess.run([python, "-c", DUMP, package], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_definitions_equal_mlagents_envs(mlagents_python: Path) -> None:
    """Every upstream message, enum and service exists here with the same field names, numbers and types."""
    theirs = _dump(str(mlagents_python), "mlagents_envs.communicator_objects")
    ours = _dump(sys.executable, "mlops_unity_pipeline.bridge.proto")
    assert len(theirs) >= 25
    assert sorted(ours) == sorted(theirs)
    for name, definition in theirs.items():
        expected = definition
        if name in OUR_EXTRA_FIELDS:
            expected = {**definition, "fields": {**definition["fields"], **OUR_EXTRA_FIELDS[name]}}
        assert ours[name] == expected, name
