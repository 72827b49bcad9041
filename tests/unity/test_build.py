"""Tests for the batch-mode player build, driven through a stand-in Unity Editor executable."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from mlops_unity_pipeline.errors import BuildError
from mlops_unity_pipeline.unity.build import (
    build_command,
    build_player,
    build_unity_player,
    find_build_method,
    player_name,
    verify_player,
)
from mlops_unity_pipeline.unity.editor import EditorInfo

from .stand_ins import fake_env, write_fake_editor, write_fake_player, write_unity_project


@pytest.fixture
def editor(tmp_path: Path) -> EditorInfo:
    """A stand-in Editor installed Hub-style."""
    exe = write_fake_editor(tmp_path / "Hub" / "Editor" / "2022.3.21f1" / "Editor" / "Unity")
    return EditorInfo(path=exe, version="2022.3.21f1")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A minimal Unity project with the generated build script."""
    return write_unity_project(tmp_path / "RollerBall")


def _build(project: Path, tmp_path: Path, editor: EditorInfo, mode: str, **kwargs: object):
    record = tmp_path / "record.json"
    env = fake_env(FAKE_UNITY_MODE=mode, STANDIN_RECORD=str(record))
    kwargs.setdefault("timeout_s", 60)
    result = build_player(
        project, tmp_path / "out", editor=editor, log_path=tmp_path / "logs" / "build.log", env=env, **kwargs
    )
    return result, json.loads(record.read_text())


def test_build_command_exact(tmp_path: Path, editor: EditorInfo) -> None:
    """The Editor command line is exactly the documented batch-mode headless Linux build."""
    cmd = build_command(
        editor, tmp_path / "p", tmp_path / "out" / "P.x86_64", tmp_path / "b.log", method="N.C.Build"
    )
    assert cmd == [
        str(editor.path),
        "-batchmode",
        "-nographics",
        "-quit",
        "-projectPath",
        str((tmp_path / "p").resolve()),
        "-buildTarget",
        "Linux64",
        "-standaloneBuildSubtarget",
        "Server",
        "-executeMethod",
        "N.C.Build",
        "-logFile",
        str((tmp_path / "b.log").resolve()),
        "--mlagents-build-output-path",
        str((tmp_path / "out" / "P.x86_64").resolve()),
        "--mlagents-build-target",
        "StandaloneLinux64",
    ]
    no_server = build_command(
        editor, tmp_path, tmp_path / "P.x86_64", tmp_path / "b.log", method="M", server=False
    )
    assert "-standaloneBuildSubtarget" not in no_server


def test_find_build_method_from_generated_script(project: Path) -> None:
    """The static Build… method of the generated Editor script is found with its namespace and class."""
    assert find_build_method(project) == "MlopsGenerated.EditorTools.BuildPlayer.BuildLinuxServer"


def test_find_build_method_missing(tmp_path: Path) -> None:
    """A project without a build script gets a BuildError saying what is expected."""
    project = write_unity_project(tmp_path / "p", build_script=False)
    with pytest.raises(BuildError, match="no build method found.*public static void Build"):
        find_build_method(project)


def test_player_name_is_sanitised(tmp_path: Path) -> None:
    """The player file stem comes from the project folder, with unsafe characters replaced."""
    assert player_name(tmp_path / "My Game (v2)") == "My_Game_v2"
    assert player_name(tmp_path / "RollerBall") == "RollerBall"


def test_successful_build(project: Path, tmp_path: Path, editor: EditorInfo) -> None:
    """A successful build returns the verified executable, version, log and the exact command."""
    streamed: list[str] = []
    result, record = _build(project, tmp_path, editor, "success", on_log_line=streamed.append)
    assert result.player_path == (tmp_path / "out" / "RollerBall.x86_64").resolve()
    assert result.unity_version == "2022.3.21f1"
    assert result.log_path == tmp_path / "logs" / "build.log"
    assert "Build Finished, Result: Success." in result.log_path.read_text()
    assert record["argv"] == list(result.command[1:])
    assert record["build_output_env"] == str(result.player_path)
    assert record["cwd"] == str(project)
    assert "Build Finished, Result: Success." in streamed  # the log was streamed line by line
    assert result.to_dict()["unity_version"] == "2022.3.21f1"


def test_player_named_by_the_caller(project: Path, tmp_path: Path, editor: EditorInfo) -> None:
    """name= sets the player's file stem (the pipeline passes the behavior name); unsafe names are refused."""
    result, record = _build(project, tmp_path, editor, "success", name="Walker")
    assert result.player_path == (tmp_path / "out" / "Walker.x86_64").resolve()
    assert record["argv"][record["argv"].index("--mlagents-build-output-path") + 1] == str(result.player_path)
    with pytest.raises(BuildError, match="player name '../x'"):
        _build(project, tmp_path, editor, "success", name="../x")


def test_execute_method_not_in_project(project: Path, tmp_path: Path, editor: EditorInfo) -> None:
    """A -executeMethod the project does not define fails like the Editor does, with the fix."""
    with pytest.raises(BuildError, match="(?s)class 'Missing' could not be found.*public static"):
        _build(project, tmp_path, editor, "success", method="Tools.Missing.Build")


def test_log_is_streamed_while_running(project: Path, tmp_path: Path, editor: EditorInfo) -> None:
    """Log lines reach the callback while the Editor is still running, not only at exit."""
    seen: list[float] = []
    start = time.monotonic()
    env = fake_env(FAKE_UNITY_MODE="success", FAKE_UNITY_LINE_DELAY="0.02")
    build_player(
        project,
        tmp_path / "out",
        editor=editor,
        timeout_s=60,
        log_path=tmp_path / "b.log",
        env=env,
        on_log_line=lambda line: seen.append(time.monotonic() - start),
    )
    assert len(seen) > 30
    assert seen[-1] - seen[0] > 0.3  # spread over the run, as Unity wrote them


def test_compile_error_build(project: Path, tmp_path: Path, editor: EditorInfo) -> None:
    """Compiler errors in the Editor log become a BuildError quoting file:line and the code."""
    with pytest.raises(BuildError) as err:
        _build(project, tmp_path, editor, "compile_error")
    assert "Assets/Scripts/RollerAgent.cs:42: CS0246" in str(err.value)


def test_license_failure_build(project: Path, tmp_path: Path, editor: EditorInfo) -> None:
    """A licence failure names activation as the fix."""
    with pytest.raises(BuildError, match="licence/activation failure"):
        _build(project, tmp_path, editor, "license")


def test_missing_module_build(project: Path, tmp_path: Path, editor: EditorInfo) -> None:
    """A missing build module names the module to add."""
    with pytest.raises(BuildError, match="missing build support module"):
        _build(project, tmp_path, editor, "missing_module")


def test_exit_zero_without_player_explains_from_log(
    project: Path, tmp_path: Path, editor: EditorInfo
) -> None:
    """Exit 0 with no player: the log's reason (missing module) is reported, not just 'no file'."""
    with pytest.raises(BuildError, match="missing build support module"):
        _build(project, tmp_path, editor, "exit0_nothing")


def test_crash_quotes_last_lines(project: Path, tmp_path: Path, editor: EditorInfo) -> None:
    """An unrecognised crash quotes the last log lines and the exit code."""
    with pytest.raises(BuildError, match=r"exit code 139.*\n(.*\n)*.*Segmentation fault"):
        _build(project, tmp_path, editor, "crash")


def test_timeout_stops_editor(project: Path, tmp_path: Path, editor: EditorInfo) -> None:
    """A hanging Editor is stopped at the timeout and the error quotes what it was waiting on."""
    start = time.monotonic()
    with pytest.raises(BuildError, match=r"timed out after 1 s(.*\n)*.*Waiting for the licensing client"):
        _build(project, tmp_path, editor, "hang", timeout_s=1)
    assert time.monotonic() - start < 15


def test_timeout_kills_editor_ignoring_sigterm(project: Path, tmp_path: Path, editor: EditorInfo) -> None:
    """An Editor that ignores SIGTERM is killed after the grace period."""
    start = time.monotonic()
    with pytest.raises(BuildError, match="timed out"):
        _build(project, tmp_path, editor, "hang_ignore_term", timeout_s=1, grace_s=0.5)
    assert time.monotonic() - start < 15


def test_player_without_data_dir_rejected(project: Path, tmp_path: Path, editor: EditorInfo) -> None:
    """A player executable without its _Data folder is an incomplete build."""
    with pytest.raises(BuildError, match="RollerBall_Data/ folder"):
        _build(project, tmp_path, editor, "no_data_dir")


def test_player_not_executable_rejected(project: Path, tmp_path: Path, editor: EditorInfo) -> None:
    """A player without the execute bit is rejected with the chmod fix."""
    with pytest.raises(BuildError, match="not executable.*chmod"):
        _build(project, tmp_path, editor, "no_exec_bit")


def test_verify_player_accepts_single_other_name(tmp_path: Path) -> None:
    """A build script that chose its own player name is accepted when it is the only player."""
    exe = write_fake_player(tmp_path / "out", name="Custom")
    assert verify_player(tmp_path / "out" / "Expected.x86_64") == exe


def test_verify_player_missing_lists_folder(tmp_path: Path) -> None:
    """A missing player names the folder's contents."""
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "readme.txt").write_text("x")
    with pytest.raises(BuildError, match="does not exist.*readme.txt"):
        verify_player(tmp_path / "out" / "P.x86_64")


def test_not_a_project(tmp_path: Path, editor: EditorInfo) -> None:
    """A folder without Assets/ is not a Unity project."""
    with pytest.raises(BuildError, match="not a Unity project"):
        build_player(tmp_path, tmp_path / "out", editor=editor, timeout_s=5, log_path=tmp_path / "b.log")


def test_build_unity_player_finds_editor_from_env(
    project: Path, tmp_path: Path, editor: EditorInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pipeline entry point finds the Editor via UNITY_EDITOR_PATH and builds."""
    monkeypatch.setenv("UNITY_EDITOR_PATH", str(editor.path))
    monkeypatch.setenv("FAKE_UNITY_MODE", "success")
    result = build_unity_player(project, tmp_path / "out", log_path=tmp_path / "b.log", timeout_s=60)
    assert result.unity_version == "2022.3.21f1" and result.player_path.is_file()
