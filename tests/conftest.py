"""Fixtures shared by every test module: the upstream ML-Agents anchors, and the real ML-Agents 1.1.0 venv."""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import runpy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mlops_unity_pipeline.bridge.ports import PortLeaser, default_port_lock_dir
from tests import mlagents_venv as venvs
from tests import mono

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"
ANCHORS_DIR = SHARED_DIR / "anchors" / "mlagents"


#: Variables that make the pipeline mirror to MLflow/Vertex or send webhooks (``registry/env.py``,
#: ``notify.py``). mlflow writes ``MLFLOW_TRACKING_URI`` into ``os.environ`` itself, so one test using a
#: tracking server would otherwise turn on mirroring for every later test in the process.
INTEGRATION_ENV = (
    "MLFLOW_TRACKING_URI",
    "MLFLOW_REGISTRY_URI",
    "MLOPS_VERTEX_STAGING_BUCKET",
    "GOOGLE_CLOUD_PROJECT",
    "MLOPS_WEBHOOK_URLS",
    "MLOPS_WEBHOOK_SECRET",
)


#: ``make test`` runs pytest-xdist with ``--dist loadgroup``: tests that share an expensive session resource
#: (a fixture worth minutes, a local Ray cluster) go to one worker, so each resource is built once per run,
#: not once per worker. Keyed by fixture name; the tests under ``tests/cluster/`` form the "ray" group.
XDIST_GROUPS = {
    "quickstart_full_run": "quickstart",
    "mlagents_venv": "mlagents",
    "mlagents_python": "mlagents",
    "mlagents_learn": "mlagents",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the tests of each shared session resource into one xdist group (see ``XDIST_GROUPS``)."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        group = next((g for fixture, g in XDIST_GROUPS.items() if fixture in names), None)
        if group is None and item.path.is_relative_to(REPO_ROOT / "tests" / "cluster"):
            group = "ray"
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(autouse=True)
def _integration_env_isolated():
    """Each test starts without the integration variables and leaves none behind (it sets its own)."""
    saved = {name: os.environ.pop(name) for name in INTEGRATION_ENV if name in os.environ}
    yield
    for name in INTEGRATION_ENV:
        os.environ.pop(name, None)
    os.environ.update(saved)


def anchor(relative: str) -> Path:
    """Path of an upstream ML-Agents file in ``../shared/anchors/mlagents``; skips the test when absent."""
    path = ANCHORS_DIR / relative
    if not path.exists():
        pytest.skip(
            f"upstream anchor {relative} not found: ../shared/anchors/mlagents is absent on this machine"
        )
    return path


_VENV_SUMMARY = pytest.StashKey[list[str]]()


@pytest.fixture(scope="session")
def mlagents_venv(request: pytest.FixtureRequest) -> venvs.MlagentsVenv:
    """ML-Agents 1.1.0 in its own venv, built once per run from scripts/mlagents-venv.lock; else skips.

    pytest caches a session fixture's skip as well as its value: the build is tried once, and every test
    that needs the venv then skips with that same reason, whatever order the tests run in.
    """
    config = request.config
    capture = config.pluginmanager.getplugin("capturemanager")
    reporter = config.pluginmanager.getplugin("terminalreporter")

    def announce(line: str) -> None:
        if capture is None or reporter is None:
            return
        with capture.global_and_fixture_disabled():
            reporter.write_line(line)

    summary = config.stash.setdefault(_VENV_SUMMARY, [])
    try:
        venv = venvs.provide(announce)
    except pytest.skip.Exception as skipped:
        reason = skipped.msg.removeprefix("mlagents venv: ")
        summary.append(f"mlagents venv: unavailable, the tests that need it are skipped: {reason}")
        raise
    summary.append(f"mlagents venv: {venv.origin}")
    return venv


@pytest.fixture(scope="session")
def mlagents_python(mlagents_venv: venvs.MlagentsVenv) -> Path:
    """The Python of the ML-Agents 1.1.0 venv (skips, with the reason, where it cannot be had)."""
    return mlagents_venv.python


@pytest.fixture(scope="session")
def mlagents_learn(mlagents_venv: venvs.MlagentsVenv) -> Path:
    """The venv's ``mlagents-learn`` launcher (skips, with the reason, where it cannot be had)."""
    return mlagents_venv.learn


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Under xdist, hand this worker's venv summary to the controller, which prints the summary."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["mlagents_venv_summary"] = session.config.stash.get(_VENV_SUMMARY, [])


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:  # noqa: ANN001 - xdist's WorkerController, no public type
    """Collect a finished xdist worker's venv summary (see ``pytest_sessionfinish``)."""
    lines = getattr(node, "workeroutput", {}).get("mlagents_venv_summary", [])
    node.config.stash.setdefault(_VENV_SUMMARY, []).extend(lines)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say once how this run got the mlagents venv (reused, built in N s, or why not), if a test needed it."""
    for line in dict.fromkeys(terminalreporter.config.stash.get(_VENV_SUMMARY, [])):
        terminalreporter.write_line(line)


@pytest.fixture
def leased_ports() -> Iterator[Callable[[int], int]]:
    """``lease(n)`` -> the base of ``n`` consecutive ports held until the test ends.

    Leased from the machine-wide lock folder the pipeline itself uses (``bridge.ports``), so tests on other
    xdist workers, other test runs and the pipeline's own jobs never get an overlapping range — probing for
    a free port is not enough when another process binds it a moment later.
    """
    leaser = PortLeaser(default_port_lock_dir())
    leases = []

    def lease(num_ports: int) -> int:
        leases.append(leaser.lease(num_ports))
        return leases[-1].base_port

    yield lease
    for held in leases:
        held.release()


@pytest.fixture
def mcs() -> str:
    """Mono's ``mcs``; missing: a failure under MLOPS_REQUIRE_MCS=1 (``make test`` as root), else a skip."""
    return mono.require_mcs()


@pytest.fixture
def mono_runtime() -> str:
    """``mcs`` plus the ``mono`` runtime to run what it compiles; missing: fails or skips as ``mcs`` does."""
    return mono.require_mcs(with_mono=True)


@dataclass(frozen=True)
class QuickstartRun:
    """What one run of the guide's unmodified quick start left: its ``./artifacts`` and what it printed."""

    workspace: Path
    printed: str


@pytest.fixture(scope="session")
def quickstart_full_run(tmp_path_factory: pytest.TempPathFactory) -> QuickstartRun:
    """examples/quickstart.py exactly as the guide has it (PPO, 100k steps, 16 envs), run once per session.

    Minutes of training: every test that judges the full-budget quick start reads this one run.
    """
    folder = tmp_path_factory.mktemp("quickstart-full")
    printed = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(printed):
        patch.chdir(folder)  # the quick start writes ./artifacts
        runpy.run_path(str(REPO_ROOT / "examples" / "quickstart.py"), run_name="__main__")
    return QuickstartRun(folder / "artifacts", printed.getvalue())


@pytest.fixture(scope="session")
def llm_sdks() -> None:
    """Import the openai and anthropic SDKs once per session (seconds each on a loaded machine).

    Python caches a module, so the cost is paid once anyway; paying it here keeps it out of the first LLM
    test's body, where it inflated ``--durations`` and ate into the HTTP timeouts some tests exercise.
    A missing SDK is not an error here: the tests that need one say so.
    """
    for name in ("openai", "anthropic"):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


@pytest.fixture
def anchors_dir() -> Path:
    """The upstream ML-Agents anchors folder (configs, .demo files, .onnx models); skips when absent."""
    if not ANCHORS_DIR.is_dir():
        pytest.skip("../shared/anchors/mlagents is absent on this machine")
    return ANCHORS_DIR
