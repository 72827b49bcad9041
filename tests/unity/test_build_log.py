"""Tests for Unity log diagnosis: compiler errors (file:line), licence, missing modules, unknown failures."""

from __future__ import annotations

from pathlib import Path

from mlops_unity_pipeline.unity.build_log import (
    ProblemKind,
    build_error_from_log,
    build_succeeded_in_log,
    scan_log,
)

from .stand_ins import (
    UNITY_LOG_COMPILE_ERROR,
    UNITY_LOG_HEADER,
    UNITY_LOG_LICENSE,
    UNITY_LOG_MISSING_MODULE,
    UNITY_LOG_SUCCESS,
)

HEADER = UNITY_LOG_HEADER.format(argv="-batchmode", project="/p", method="M.B")


def _lines(*parts: str) -> list[str]:
    return "".join(parts).splitlines()


def test_compiler_errors_parsed_and_deduplicated() -> None:
    """Each CS error is reported once with file, line, column, code and message."""
    problems = scan_log(_lines(HEADER, UNITY_LOG_COMPILE_ERROR))
    compiler = [p for p in problems if p.kind == ProblemKind.COMPILER_ERROR]
    assert [(p.file, p.line, p.column, p.code) for p in compiler] == [
        ("Assets/Scripts/RollerAgent.cs", 42, 13, "CS0246"),
        ("Assets/Scripts/RollerAgent.cs", 57, 9, "CS0103"),
    ]
    assert compiler[0].message.startswith("The type or namespace name 'VectorSensr'")


def test_compiler_error_message_quotes_file_line() -> None:
    """The BuildError names the count, quotes file:line with the code, gives the fix and the log path."""
    lines = _lines(HEADER, UNITY_LOG_COMPILE_ERROR)
    err = build_error_from_log(scan_log(lines), returncode=1, log_path=Path("/w/build.log"), tail=lines)
    text = str(err)
    assert "2 C# compiler error(s)" in text and "exit code 1" in text
    assert "Assets/Scripts/RollerAgent.cs:42: CS0246: The type or namespace name 'VectorSensr'" in text
    assert "Assets/Scripts/RollerAgent.cs:57: CS0103" in text
    assert "fix:" in text and "/w/build.log" in text
    assert err.stage == "build"


def test_license_failure_is_headline_even_with_other_errors() -> None:
    """A licence failure outranks the generic 'build failed' lines."""
    lines = _lines(HEADER, UNITY_LOG_LICENSE, "Aborting batchmode due to failure:\n")
    text = str(build_error_from_log(scan_log(lines), returncode=1, log_path=Path("b.log"), tail=lines))
    assert "licence/activation failure" in text
    assert "No valid Unity Editor license found" in text and "-manualLicenseFile" in text


def test_missing_module_detected() -> None:
    """A missing Linux (Dedicated Server) build module is named, with the Hub module to add."""
    lines = _lines(HEADER, UNITY_LOG_MISSING_MODULE.format(method="M.B"))
    problems = scan_log(lines)
    assert ProblemKind.MISSING_MODULE in {p.kind for p in problems}
    text = str(build_error_from_log(problems, returncode=1, log_path=Path("b.log"), tail=lines))
    assert "missing build support module" in text
    assert "build target was unsupported" in text and "linux-server" in text


def test_build_method_not_found() -> None:
    """A missing -executeMethod class is reported as such."""
    lines = [
        "executeMethod class 'MlopsGenerated.BuildPlayer' could not be found.",
        "Aborting batchmode due to failure:",
    ]
    text = str(build_error_from_log(scan_log(lines), returncode=1, log_path=Path("b.log"), tail=lines))
    assert "build method not found" in text and "public static" in text


def test_unknown_failure_quotes_last_lines() -> None:
    """With nothing recognised, the last non-empty log lines are quoted."""
    lines = ["starting", "", "Segmentation fault (core dumped)"]
    text = str(build_error_from_log(scan_log(lines), returncode=139, log_path=Path("b.log"), tail=lines))
    assert "no recognised error" in text and "| Segmentation fault (core dumped)" in text


def test_success_log_has_no_problems() -> None:
    """A successful build log (with benign licensing chatter) yields no problems and a success line."""
    lines = _lines(HEADER, UNITY_LOG_SUCCESS.format(method="M.B"))
    assert scan_log(lines) == []
    assert build_succeeded_in_log(lines)


def test_quoting_is_capped() -> None:
    """Many errors are quoted up to the cap, with a count of the rest."""
    lines = [f"Assets/A.cs({i},1): error CS1002: ; expected" for i in range(1, 31)]
    text = str(build_error_from_log(scan_log(lines), returncode=1, log_path=Path("b.log"), max_quoted=5))
    assert "30 C# compiler error(s)" in text and "… and 25 more" in text
