"""Tests of the small C# preprocessor used when tree-sitter cannot parse a directive placement."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline.codegen.checks import run_checks
from mlops_unity_pipeline.codegen.checks.preprocess import preprocess
from tests.mono import assert_types_checked

SOURCE = """a
#if UNITY_STANDALONE && !UNITY_EDITOR
b
#elif X
c
#else
d
#endif
#if (A || UNITY_SERVER) // why
e
#if A
f
#endif
#else
g
#endif
h"""


def test_active_branches_kept_and_line_numbers_unchanged():
    """Only the active branches survive; every other line (directives too) becomes empty."""
    out = preprocess(SOURCE, {"UNITY_STANDALONE", "UNITY_SERVER"})
    assert out.split("\n") == ["a", "", "b", "", "", "", "", "", "", "e", "", "", "", "", "", "", "h"]


@pytest.mark.parametrize(
    ("defines", "kept"),
    [
        (set(), ["a", "d", "g", "h"]),
        ({"X"}, ["a", "c", "g", "h"]),
        ({"A", "UNITY_EDITOR"}, ["a", "d", "e", "f", "h"]),
    ],
)
def test_elif_else_and_nesting(defines, kept):
    """#elif/#else pick the first true branch; nested #if inside an inactive branch stays inactive."""
    assert [line for line in preprocess(SOURCE, defines).split("\n") if line] == kept


def test_define_and_undef():
    """#define/#undef change the symbols for the rest of the file."""
    out = preprocess("#define FOO\n#if FOO\nx\n#endif\n#undef FOO\n#if FOO\ny\n#endif", set())
    assert [line for line in out.split("\n") if line] == ["x"]


def test_directives_between_accessors_pass_the_syntax_check(tmp_path):
    """Valid C# that tree-sitter cannot parse raw (#if between accessors) passes via the preprocessed text."""
    (tmp_path / "H.cs").write_text(
        "using UnityEngine;\npublic class H : MonoBehaviour\n{\n    Rigidbody m_Body;\n"
        "    Vector3 Speed\n    {\n"
        "#if UNITY_6000_0_OR_NEWER\n        get { return m_Body.linearVelocity; }\n#else\n"
        "        get { return m_Body.velocity; }\n#endif\n    }\n}\n"
    )
    results = {r.name: r for r in run_checks(tmp_path)}
    assert results["syntax"].passed, [str(d) for d in results["syntax"].diagnostics]
    assert_types_checked(results.values())


def test_errors_in_active_code_are_still_reported(tmp_path):
    """A real syntax error in a file with directives is still found, at its line."""
    (tmp_path / "I.cs").write_text(
        "public class I\n{\n#if UNITY_STANDALONE\n    int x = ;\n#endif\n"
        "    int Y { get {\n#if A\n return 1;\n#endif\n"
        "  } }\n}\n"
    )
    syntax = {r.name: r for r in run_checks(tmp_path)}["syntax"]
    assert not syntax.passed and syntax.diagnostics[0].line == 4
