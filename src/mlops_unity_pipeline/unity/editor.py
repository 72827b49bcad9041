"""Finding a Unity Editor: ``UNITY_EDITOR_PATH``, then Unity Hub's folders, matching the project's version."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildError, SpecError

logger = logging.getLogger(__name__)

#: Environment variable naming the Unity Editor executable (or its install folder).
EDITOR_ENV_VAR = "UNITY_EDITOR_PATH"

# Unity versions look like 2022.3.21f1, 6000.0.23f1, 2023.2.0b9, 2021.3.5a1, 2020.3.48f1c1 (China builds).
_VERSION_RE = re.compile(r"\b(\d{4}\.\d+\.\d+[abfpx]\d+(?:c\d+)?)\b")
_PROJECT_VERSION_RE = re.compile(r"^m_EditorVersion:\s*(\S+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class EditorInfo:
    """A Unity Editor installation.

    Attributes:
        path: the Editor executable (``…/Editor/Unity``, ``Unity.app/Contents/MacOS/Unity``, ``Unity.exe``).
        version: its version (``2022.3.21f1``), or None when it could not be determined.

    """

    path: Path
    version: str | None = None

    def __post_init__(self) -> None:
        if not str(self.path):
            raise SpecError("EditorInfo.path: expected the Unity Editor executable, got an empty path")
        if self.version is not None and not _VERSION_RE.fullmatch(self.version):
            raise SpecError(
                f"EditorInfo.version: expected a Unity version like 2022.3.21f1, got {self.version!r}"
            )


def read_project_version(project_dir: Path) -> str:
    """Return the Editor version a Unity project asks for (``ProjectSettings/ProjectVersion.txt``).

    Args:
        project_dir: the Unity project folder (the one holding ``Assets/`` and ``ProjectSettings/``).

    Returns:
        The ``m_EditorVersion`` value, e.g. ``2022.3.21f1``.

    Raises:
        BuildError: the file is missing or has no valid ``m_EditorVersion`` line.

    """
    path = Path(project_dir) / "ProjectSettings" / "ProjectVersion.txt"
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise BuildError(
            f"{path}: not found; a Unity project needs ProjectSettings/ProjectVersion.txt "
            "with a line 'm_EditorVersion: <version>' (open the project once in the Editor, or set "
            f"{EDITOR_ENV_VAR} to choose an Editor explicitly)"
        ) from None
    match = _PROJECT_VERSION_RE.search(text)
    if match is None or not _VERSION_RE.fullmatch(match.group(1)):
        raise BuildError(
            f"{path}: expected a line 'm_EditorVersion: <version>' (e.g. 2022.3.21f1), none found"
        )
    return match.group(1)


def hub_editor_roots(
    platform: str | None = None, *, env: Mapping[str, str] | None = None, home: Path | None = None
) -> list[Path]:
    r"""Return the folders where Unity Hub installs Editors (one sub-folder per version), most specific first.

    The secondary install path a user set in the Hub (``secondaryInstallPath.json``) comes first, then the
    Hub's default: ``~/Unity/Hub/Editor`` (Linux), ``/Applications/Unity/Hub/Editor`` (macOS),
    ``C:\Program Files\Unity\Hub\Editor`` (Windows).

    Args:
        platform: a ``sys.platform`` value (``linux``, ``darwin``, ``win32``); the running one by default.
        env: environment variables (``os.environ`` by default); used for ``APPDATA``/``ProgramFiles``.
        home: the user's home folder (``Path.home()`` by default).

    Returns:
        Candidate folders; they may not exist.

    """
    platform = platform or sys.platform
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    if platform.startswith("win"):
        program_files = env.get("ProgramFiles", r"C:\Program Files")
        config_dir = Path(env.get("APPDATA", str(home / "AppData" / "Roaming"))) / "UnityHub"
        default = Path(program_files) / "Unity" / "Hub" / "Editor"
    elif platform == "darwin":
        config_dir = home / "Library" / "Application Support" / "UnityHub"
        default = Path("/Applications/Unity/Hub/Editor")
    else:
        config_dir = Path(env.get("XDG_CONFIG_HOME", str(home / ".config"))) / "UnityHub"
        default = home / "Unity" / "Hub" / "Editor"
    roots: list[Path] = []
    secondary = _read_secondary_install_path(config_dir / "secondaryInstallPath.json")
    if secondary is not None:
        roots.append(secondary)
    roots.append(default)
    return roots


def _read_secondary_install_path(path: Path) -> Path | None:
    # The Hub stores the user-chosen install location as a bare JSON string ("" when unset).
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Path(value) if isinstance(value, str) and value.strip() else None


def editor_executable(install_dir: Path, platform: str | None = None) -> Path:
    """Return the Editor executable inside one Hub version folder (``…/Hub/Editor/<version>``).

    Args:
        install_dir: the version folder.
        platform: a ``sys.platform`` value; the running platform by default.

    Returns:
        The path where the executable lives on that platform (it may not exist).

    """
    platform = platform or sys.platform
    if platform.startswith("win"):
        return install_dir / "Editor" / "Unity.exe"
    if platform == "darwin":
        return install_dir / "Unity.app" / "Contents" / "MacOS" / "Unity"
    return install_dir / "Editor" / "Unity"


def list_hub_editors(roots: Sequence[Path], platform: str | None = None) -> list[EditorInfo]:
    """List the Editors installed under Hub roots (version folders whose executable exists), newest first.

    Args:
        roots: folders from :func:`hub_editor_roots`.
        platform: a ``sys.platform`` value; the running platform by default.

    Returns:
        One ``EditorInfo`` per installed version (the first root wins for a version found twice).

    """
    found: dict[str, EditorInfo] = {}
    for root in roots:
        try:
            children = sorted(root.iterdir())
        except OSError:
            continue
        for child in children:
            if not child.is_dir() or not _VERSION_RE.fullmatch(child.name) or child.name in found:
                continue
            exe = editor_executable(child, platform)
            if exe.is_file():
                found[child.name] = EditorInfo(path=exe, version=child.name)
    return sorted(found.values(), key=lambda info: version_key(info.version or ""), reverse=True)


def version_key(version: str) -> tuple[int, ...]:
    """Sort key for Unity versions: ``2022.3.21f1`` > ``2022.3.9f1`` > ``2022.3.21b2``.

    Args:
        version: a Unity version string.

    Returns:
        A tuple comparing numerically (release stages a < b < f < p).

    """
    match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)([abfpx])(\d+)(?:c(\d+))?", version)
    if match is None:
        return (0,)
    stage = "xabfp".index(match.group(4))
    return (int(match.group(1)), int(match.group(2)), int(match.group(3)), stage, int(match.group(5)))


def editor_from_path(path: Path, *, probe_timeout_s: float = 60.0) -> EditorInfo:
    """Describe an explicitly given Editor (``UNITY_EDITOR_PATH``): executable file or install folder.

    The version comes from a version-named folder in the path (Hub layout); otherwise from running
    ``Unity -version`` (prints the version and exits), which takes a few seconds on a real Editor.

    Args:
        path: the executable, or a Hub version folder / ``Editor`` folder / ``Unity.app`` holding it.
        probe_timeout_s: how long ``-version`` may take.

    Returns:
        The ``EditorInfo``.

    Raises:
        BuildError: nothing executable at ``path``.

    """
    exe = _resolve_executable(Path(path))
    if exe is None:
        raise BuildError(
            f"{EDITOR_ENV_VAR}={path}: no Unity Editor executable there; expected the Editor binary "
            "(…/Hub/Editor/<version>/Editor/Unity on Linux, …/Unity.app/Contents/MacOS/Unity on macOS, "
            "…\\Editor\\Unity.exe on Windows) or its install folder"
        )
    version = next((m.group(1) for part in exe.parts if (m := _VERSION_RE.fullmatch(part))), None)
    if version is None:
        version = _probe_version(exe, probe_timeout_s)
    return EditorInfo(path=exe, version=version)


def _resolve_executable(path: Path) -> Path | None:
    if path.is_file():
        return path if os.access(path, os.X_OK) else None
    for candidate in (
        editor_executable(path, "linux"),
        editor_executable(path, "darwin"),
        editor_executable(path, "win32"),
        path / "Unity",
        path / "Unity.exe",
        path / "Contents" / "MacOS" / "Unity",
    ):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _probe_version(exe: Path, timeout_s: float) -> str | None:
    try:
        completed = subprocess.run(
            [str(exe), "-version"], capture_output=True, text=True, timeout=timeout_s, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        logger.warning("could not read the version of %s: %s", exe, exc)
        return None
    match = _VERSION_RE.search(completed.stdout + completed.stderr)
    return match.group(1) if match else None


def find_editor(
    project_dir: Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    roots: Sequence[Path] | None = None,
    platform: str | None = None,
) -> EditorInfo:
    """Find the Unity Editor to build with.

    Order: ``UNITY_EDITOR_PATH`` (used as given, with a warning when its version differs from the
    project's), then the Unity Hub install folders, choosing exactly the version
    ``ProjectSettings/ProjectVersion.txt`` asks for (or the newest installed when no project is given).

    Args:
        project_dir: the Unity project; its ``ProjectVersion.txt`` picks the version.
        env: environment variables (``os.environ`` by default).
        roots: Hub install folders to search (``hub_editor_roots()`` by default).
        platform: a ``sys.platform`` value; the running platform by default.

    Returns:
        The chosen ``EditorInfo``.

    Raises:
        BuildError: no Editor found, or none of the version the project needs; the message lists what was
            searched and what is installed, and how to fix it.

    """
    env = os.environ if env is None else env
    wanted = read_project_version(Path(project_dir)) if project_dir is not None else None
    explicit = env.get(EDITOR_ENV_VAR, "").strip()
    if explicit:
        info = editor_from_path(Path(explicit))
        if wanted and info.version and info.version != wanted:
            # Unity upgrades (or downgrades) the project in place when versions differ: allowed, but loud.
            logger.warning(
                "%s is Unity %s but the project asks for %s; Unity will convert the project",
                EDITOR_ENV_VAR,
                info.version,
                wanted,
            )
        return info
    search = list(roots) if roots is not None else hub_editor_roots(platform, env=env)
    installed = list_hub_editors(search, platform)
    if wanted is not None:
        for info in installed:
            if info.version == wanted:
                return info
    elif installed:
        return installed[0]
    searched = ", ".join(str(r) for r in search) or "(no folders)"
    have = ", ".join(i.version or "?" for i in installed) or "none"
    need = f"Unity {wanted} (from ProjectSettings/ProjectVersion.txt)" if wanted else "a Unity Editor"
    raise BuildError(
        f"{need} not found; searched {EDITOR_ENV_VAR} (unset) and Unity Hub folders {searched}; "
        f"installed: {have}. Fix: install it with Unity Hub including 'Linux Build Support' and "
        f"'Linux Dedicated Server Build Support' "
        f"(unityhub -- --headless install --version {wanted or '<version>'} "
        f"--module linux-mono --module linux-server), or set {EDITOR_ENV_VAR} to the Editor executable"
    )
