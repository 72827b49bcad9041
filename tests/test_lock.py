"""The lock files: complete for pyproject.toml, consistent with each other, and what the venv holds."""

from __future__ import annotations

import re
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11+")

ROOT = Path(__file__).resolve().parents[1]
LOCKS = ROOT / "requirements"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", re.MULTILINE)


def read_lock(name: str) -> dict[str, Version]:
    """Map canonical package name → pinned version for one lock file."""
    text = (LOCKS / name).read_text()
    return {canonicalize_name(pkg): Version(ver) for pkg, ver in _PIN.findall(text)}


def project_requirements(extras: bool) -> list[Requirement]:
    """The requirements pyproject.toml declares (with every extra when ``extras``)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = [Requirement(r) for r in project["dependencies"]]
    if extras:
        for group in project["optional-dependencies"].values():
            reqs.extend(Requirement(r) for r in group)
    return reqs


def test_every_pin_has_a_hash() -> None:
    """Each pinned package in each lock carries at least one sha256 hash (pip/uv --require-hashes)."""
    for name in ("tools.lock", "core.lock", "test.lock"):
        text = (LOCKS / name).read_text()
        blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
        pinned = [b for b in blocks if _PIN.match(b)]
        assert pinned, name
        for block in pinned:
            assert "--hash=sha256:" in block, f"{name}: no hash for {block.splitlines()[0]}"


@pytest.mark.parametrize(("lock", "extras"), [("core.lock", False), ("test.lock", True)])
def test_lock_satisfies_pyproject(lock: str, extras: bool) -> None:
    """Every requirement of pyproject.toml is pinned in the lock, at a version its specifier allows."""
    pins = read_lock(lock)
    for req in project_requirements(extras):
        name = canonicalize_name(req.name)
        assert name in pins, f"{lock} lacks {req} (run `make lock`)"
        assert req.specifier.contains(pins[name], prereleases=True), f"{lock}: {name}=={pins[name]} ∉ {req}"


def test_locks_agree() -> None:
    """A package has one version in all three locks; core and tools are subsets of the test set."""
    test = read_lock("test.lock")
    for name in ("core.lock", "tools.lock"):
        for pkg, version in read_lock(name).items():
            assert test.get(pkg) == version, f"{name}: {pkg}=={version}, test.lock has {test.get(pkg)}"


def test_torch_is_the_cpu_wheel() -> None:
    """torch stays 2.13.0, the local CPU build (anything looser pulls gigabytes of CUDA)."""
    assert read_lock("core.lock")["torch"] == Version("2.13.0+cpu")
    assert not any(pkg.startswith("nvidia-") for pkg in read_lock("test.lock"))


def test_installed_environment_equals_the_lock() -> None:
    """In a venv made by `make test`, the installed distributions are exactly test.lock plus the project."""
    stamp = Path(sys.prefix) / ".test.lock.installed"
    if not stamp.exists():
        pytest.skip(f"not a venv installed by `make test` from the lock ({stamp} absent)")
    # Only the venv's own site-packages: an imported Ray puts its vendored ``thirdparty_files`` (psutil,
    # colorama) on sys.path, which are part of the ray wheel, not installed distributions.
    site = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    installed = {
        canonicalize_name(dist.metadata["Name"]): Version(dist.version)
        for dist in metadata.distributions(path=site)
    }
    installed.pop(canonicalize_name("mlops_unity_pipeline"))
    assert installed == read_lock("test.lock")
