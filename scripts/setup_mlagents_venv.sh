#!/usr/bin/env bash
# Create a separate virtual environment for `mlagents-learn` (ML-Agents 1.1.0 / Release 22).
#
# Why a separate venv: mlagents 1.1.0 declares Python <= 3.10.12 and pins grpcio<=1.48.2, which has no
# Python 3.11 wheel. It does run on 3.11 when its pins are overridden (shared/reference/environment-notes.md):
# torch first, then mlagents + mlagents-envs without their dependencies, then a compatible set of them.
#
# Its ONNX export calls torch.onnx.export without dynamo=False; on torch 2.13 the default (dynamo) exporter
# needs onnxscript. We replace the venv's `mlagents-learn` entry point with a launcher that makes
# torch.onnx.export default to dynamo=False (the TorchScript exporter, which needs only torch + onnx).
#
# Usage: scripts/setup_mlagents_venv.sh [VENV_DIR]     (default: .venv-mlagents, or $MLAGENTS_VENV)
# Idempotent: re-running skips the installs that are already right and rewrites the launcher.
# Prints the line to export MLAGENTS_LEARN at the end.
set -euo pipefail

VENV_DIR="${1:-${MLAGENTS_VENV:-.venv-mlagents}}"
PYTHON_BIN="${PYTHON:-}"
if [ -z "$PYTHON_BIN" ]; then
  if command -v python3.11 >/dev/null 2>&1; then PYTHON_BIN=python3.11; else PYTHON_BIN=python3; fi
fi
MLAGENTS_VERSION="1.1.0"
TORCH_VERSION="${MLAGENTS_TORCH_VERSION:-2.13.0}"

if [ ! -x "$VENV_DIR/bin/python" ]; then
  echo "creating $VENV_DIR with $PYTHON_BIN"
  "$PYTHON_BIN" -m venv "$VENV_DIR"
fi
VENV_DIR="$(cd "$VENV_DIR" && pwd)"
PY="$VENV_DIR/bin/python"
PIP=("$PY" -m pip install --disable-pip-version-check --quiet)

have() {  # have MODULE VERSION: the module imports and reports that version
  "$PY" - "$1" "$2" <<'EOF' >/dev/null 2>&1
import importlib, sys
from importlib.metadata import version
sys.exit(0 if version(sys.argv[1]) == sys.argv[2] else 1)
EOF
}

if ! have torch "$TORCH_VERSION" && ! have torch "$TORCH_VERSION+cpu"; then
  echo "installing torch==$TORCH_VERSION"
  "${PIP[@]}" "torch==$TORCH_VERSION"
fi
if ! have mlagents "$MLAGENTS_VERSION" || ! have mlagents-envs "$MLAGENTS_VERSION"; then
  echo "installing mlagents==$MLAGENTS_VERSION mlagents-envs==$MLAGENTS_VERSION (pins overridden)"
  "${PIP[@]}" --no-deps --ignore-requires-python "mlagents==$MLAGENTS_VERSION" "mlagents-envs==$MLAGENTS_VERSION"
fi
# The dependency set that works on 3.11 (environment-notes.md); pip skips what is already satisfied.
"${PIP[@]}" grpcio "protobuf==3.20.3" "numpy==1.23.5" "onnx==1.15.0" "cattrs>=1.1.0,<1.7" \
  "setuptools>=77.0.3,<81" h5py tensorboard six attrs huggingface-hub cloudpickle pyyaml pillow filelock

# The launcher replaces pip's console script (rewritten on every run, so a pip reinstall cannot undo it).
LAUNCHER="$VENV_DIR/bin/mlagents-learn"
cat > "$LAUNCHER" <<EOF
#!$PY
"""mlagents-learn launcher written by mlops_unity_pipeline's scripts/setup_mlagents_venv.sh.

torch >= 2.9 makes torch.onnx.export use the dynamo exporter by default, which needs onnxscript;
ML-Agents 1.1.0 calls torch.onnx.export without dynamo=..., so default it to the TorchScript exporter.
"""
import functools
import sys

import torch.onnx

_export = torch.onnx.export


@functools.wraps(_export)
def _export_without_dynamo(*args, **kwargs):
    kwargs.setdefault("dynamo", False)
    return _export(*args, **kwargs)


torch.onnx.export = _export_without_dynamo

from mlagents.trainers.learn import main  # noqa: E402  (after the patch, on purpose)

if __name__ == "__main__":
    sys.exit(main())
EOF
chmod +x "$LAUNCHER"

# Verify it runs: --help parses every flag without touching a Unity environment.
"$LAUNCHER" --help >/dev/null
"$PY" -c "import mlagents.trainers, mlagents_envs; print('mlagents', mlagents.trainers.__version__, 'mlagents-envs', mlagents_envs.__version__)"
echo "ready: export MLAGENTS_LEARN=$LAUNCHER"
