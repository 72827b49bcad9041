"""Tests for Unity Editor discovery: env var, Unity Hub folders per platform, ProjectVersion.txt matching."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlops_unity_pipeline.errors import BuildError, SpecError
from mlops_unity_pipeline.unity.editor import (
    EditorInfo,
    editor_executable,
    editor_from_path,
    find_editor,
    hub_editor_roots,
    list_hub_editors,
    read_project_version,
    version_key,
)

from .stand_ins import make_executable, write_fake_editor, write_unity_project


def _install(root: Path, version: str, platform: str = "linux") -> Path:
    return make_executable(editor_executable(root / version, platform), "#!/bin/sh\n")


def test_read_project_version(tmp_path: Path) -> None:
    """m_EditorVersion is read from ProjectSettings/ProjectVersion.txt."""
    write_unity_project(tmp_path, version="6000.0.23f1")
    assert read_project_version(tmp_path) == "6000.0.23f1"


def test_read_project_version_missing_file(tmp_path: Path) -> None:
    """A project without ProjectVersion.txt names the file and the expected line."""
    with pytest.raises(BuildError, match="ProjectVersion.txt.*m_EditorVersion"):
        read_project_version(tmp_path)


def test_read_project_version_garbage(tmp_path: Path) -> None:
    """A ProjectVersion.txt without a valid version is rejected."""
    (tmp_path / "ProjectSettings").mkdir()
    (tmp_path / "ProjectSettings" / "ProjectVersion.txt").write_text("m_EditorVersion: latest\n")
    with pytest.raises(BuildError, match="expected a line 'm_EditorVersion"):
        read_project_version(tmp_path)


def test_hub_roots_linux_default_and_secondary(tmp_path: Path) -> None:
    """Linux: the Hub's secondaryInstallPath.json comes first, then ~/Unity/Hub/Editor."""
    config = tmp_path / ".config" / "UnityHub"
    config.mkdir(parents=True)
    (config / "secondaryInstallPath.json").write_text(json.dumps("/data/unity"))
    roots = hub_editor_roots("linux", env={}, home=tmp_path)
    assert roots == [Path("/data/unity"), tmp_path / "Unity" / "Hub" / "Editor"]


def test_hub_roots_linux_empty_secondary_ignored(tmp_path: Path) -> None:
    """An empty secondary install path (the Hub's default "") is skipped."""
    config = tmp_path / ".config" / "UnityHub"
    config.mkdir(parents=True)
    (config / "secondaryInstallPath.json").write_text('""')
    assert hub_editor_roots("linux", env={}, home=tmp_path) == [tmp_path / "Unity" / "Hub" / "Editor"]


def test_hub_roots_macos_and_windows(tmp_path: Path) -> None:
    """macOS uses /Applications/Unity/Hub/Editor; Windows uses %ProgramFiles%\\Unity\\Hub\\Editor."""
    assert hub_editor_roots("darwin", env={}, home=tmp_path) == [Path("/Applications/Unity/Hub/Editor")]
    win = hub_editor_roots("win32", env={"ProgramFiles": "D:/PF", "APPDATA": str(tmp_path)}, home=tmp_path)
    assert win == [Path("D:/PF") / "Unity" / "Hub" / "Editor"]


def test_editor_executable_per_platform(tmp_path: Path) -> None:
    """The executable's place inside a version folder differs per platform."""
    assert editor_executable(tmp_path, "linux") == tmp_path / "Editor" / "Unity"
    assert editor_executable(tmp_path, "darwin") == tmp_path / "Unity.app" / "Contents" / "MacOS" / "Unity"
    assert editor_executable(tmp_path, "win32") == tmp_path / "Editor" / "Unity.exe"


def test_version_key_orders_numerically() -> None:
    """2022.3.21f1 sorts above 2022.3.9f1, and final above beta."""
    versions = ["2022.3.9f1", "2022.3.21f1", "2021.3.5f1", "2022.3.21b2", "6000.0.1f1"]
    assert sorted(versions, key=version_key) == [
        "2021.3.5f1",
        "2022.3.9f1",
        "2022.3.21b2",
        "2022.3.21f1",
        "6000.0.1f1",
    ]


def test_find_editor_matches_project_version(tmp_path: Path) -> None:
    """With several Hub installs, the one ProjectVersion.txt asks for is chosen."""
    hub = tmp_path / "hub"
    _install(hub, "2021.3.5f1")
    wanted = _install(hub, "2022.3.21f1")
    _install(hub, "6000.0.23f1")
    project = write_unity_project(tmp_path / "proj", version="2022.3.21f1")
    info = find_editor(project, env={}, roots=[hub], platform="linux")
    assert info == EditorInfo(path=wanted, version="2022.3.21f1")


def test_find_editor_without_project_picks_newest(tmp_path: Path) -> None:
    """Without a project the newest installed Editor is chosen."""
    hub = tmp_path / "hub"
    _install(hub, "2021.3.5f1")
    newest = _install(hub, "6000.0.23f1")
    assert find_editor(None, env={}, roots=[hub], platform="linux").path == newest


def test_find_editor_macos_layout(tmp_path: Path) -> None:
    """The macOS Unity.app layout is found under a Hub root."""
    hub = tmp_path / "hub"
    exe = _install(hub, "2022.3.21f1", platform="darwin")
    project = write_unity_project(tmp_path / "proj")
    assert find_editor(project, env={}, roots=[hub], platform="darwin").path == exe


def test_find_editor_version_not_installed_lists_what_is(tmp_path: Path) -> None:
    """A missing version names it, the folders searched, what is installed, and the fix."""
    hub = tmp_path / "hub"
    _install(hub, "2021.3.5f1")
    project = write_unity_project(tmp_path / "proj", version="2022.3.21f1")
    with pytest.raises(BuildError) as err:
        find_editor(project, env={}, roots=[hub], platform="linux")
    message = str(err.value)
    assert "Unity 2022.3.21f1" in message and str(hub) in message and "installed: 2021.3.5f1" in message
    assert "UNITY_EDITOR_PATH" in message and "linux-server" in message


def test_find_editor_ignores_folders_without_executable(tmp_path: Path) -> None:
    """A version folder without the Editor binary (a half-finished install) is not an Editor."""
    hub = tmp_path / "hub"
    (hub / "2022.3.21f1" / "Editor").mkdir(parents=True)
    assert list_hub_editors([hub], "linux") == []


def test_find_editor_env_var_wins(tmp_path: Path) -> None:
    """UNITY_EDITOR_PATH is used as given, its version read from the Hub-style folder name."""
    hub = tmp_path / "hub"
    _install(hub, "2022.3.21f1")
    explicit = _install(tmp_path / "elsewhere", "2023.2.20f1")
    project = write_unity_project(tmp_path / "proj", version="2022.3.21f1")
    info = find_editor(project, env={"UNITY_EDITOR_PATH": str(explicit)}, roots=[hub], platform="linux")
    assert info == EditorInfo(path=explicit, version="2023.2.20f1")


def test_editor_from_install_folder(tmp_path: Path) -> None:
    """UNITY_EDITOR_PATH may name the version folder instead of the binary."""
    exe = _install(tmp_path, "2022.3.21f1")
    assert editor_from_path(tmp_path / "2022.3.21f1") == EditorInfo(path=exe, version="2022.3.21f1")


def test_editor_version_probed_with_dash_version(tmp_path: Path) -> None:
    """An Editor outside a version-named folder reports its version via `Unity -version`."""
    exe = write_fake_editor(tmp_path / "opt" / "Unity", version="2022.3.30f1")
    assert editor_from_path(exe).version == "2022.3.30f1"


def test_editor_from_path_not_executable(tmp_path: Path) -> None:
    """A UNITY_EDITOR_PATH that is not an executable is rejected with the expected layouts."""
    (tmp_path / "Unity").write_text("not a program")
    with pytest.raises(BuildError, match="no Unity Editor executable"):
        editor_from_path(tmp_path / "Unity")


def test_editor_info_validates_version() -> None:
    """EditorInfo rejects a malformed version string."""
    with pytest.raises(SpecError, match="2022.3.21f1"):
        EditorInfo(path=Path("/x/Unity"), version="latest")


def test_env_var_version_mismatch_warns(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """An explicit Editor of another version than the project's is used, with a warning naming both."""
    explicit = _install(tmp_path / "elsewhere", "2023.2.20f1")
    project = write_unity_project(tmp_path / "proj", version="2022.3.21f1")
    with caplog.at_level("WARNING", logger="mlops_unity_pipeline.unity.editor"):
        info = find_editor(project, env={"UNITY_EDITOR_PATH": str(explicit)}, roots=[], platform="linux")
    assert info.version == "2023.2.20f1"
    assert "2023.2.20f1" in caplog.text and "2022.3.21f1" in caplog.text
