"""Mono for the C# type check: where the machine must have it, a missing ``mcs`` fails instead of skipping.

``make test`` sets ``MLOPS_REQUIRE_MCS=1`` where it installed Mono (as root, e.g. CI). There, a test that
needs ``mcs`` (or ``mono``) and cannot find it, or a generated project whose ``types`` check was *skipped*,
is a failure: a green run must mean the C# was compiled. Elsewhere (a non-root developer without Mono) the
test is skipped with the reason, never passed silently.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable

import pytest

from mlops_unity_pipeline.codegen.checks import CheckResult, find_mcs

REQUIRE_VAR = "MLOPS_REQUIRE_MCS"
INSTALL_HINT = "apt-get install mono-mcs"


def required() -> bool:
    """True when this run must have Mono (``MLOPS_REQUIRE_MCS=1``)."""
    return os.environ.get(REQUIRE_VAR, "").strip() == "1"


def missing(reason: str, *, name_the_test: bool = False) -> None:
    """Fail where Mono is required, else skip; either way with ``reason``.

    ``name_the_test`` (for calls from a test's body): pytest reports such a skip at this file's line, so
    the reason names the test, or the summary would not say which tests lost their type check.
    """
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0] if name_the_test else ""
    where = f"{test}: " if test else ""
    if required():
        pytest.fail(f"{where}{reason}, but {REQUIRE_VAR}=1 says this machine has Mono ({INSTALL_HINT})")
    pytest.skip(f"{where}{reason} ({INSTALL_HINT}; {REQUIRE_VAR}=1 makes this a failure)")


def require_mcs(*, with_mono: bool = False) -> str:
    """The ``mcs`` to use (and, with ``with_mono``, check ``mono`` runs programs too); else fail or skip."""
    mcs = find_mcs()
    if mcs is None:
        missing("Mono's C# compiler mcs was not found (PATH or MLOPS_MCS)")
    if with_mono and shutil.which("mono") is None:
        missing("the mono runtime was not found on PATH")
    return mcs


def assert_types_checked(checks: Iterable[CheckResult]) -> None:
    """The ``types`` check among ``checks`` really compiled the code (call it after the test's own asserts).

    Its result is ``passed`` with a ``skipped`` reason when mcs is absent: that proves nothing about the
    C#, so it is a failure where Mono is required and an explicit skip elsewhere.
    """
    by_name = {check.name: check for check in checks}
    assert "types" in by_name, f"no types check among {sorted(by_name)}"
    types = by_name["types"]
    if types.skipped:
        missing(f"the C# type check was skipped: {types.skipped}", name_the_test=True)
    assert types.passed, [str(d) for d in types.diagnostics]
