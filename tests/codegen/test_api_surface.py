"""The C# API-surface reader: what a user assembly sees of a type, in canonical signatures."""

from __future__ import annotations

from pathlib import Path

from mlops_unity_pipeline.codegen.api_surface import (
    ApiType,
    drop_invisible_bases,
    hidden_type_names,
    read_surface,
)

SOURCE = """
using System;
namespace Game.Core
{
    [Flags] public enum Mask : byte { None = 0, A = 1, B, C = 8 }

    internal interface IHidden { }

    public partial class Widget : Base, IHidden, IDisposable
    {
        public const int k_Max = 3;
        public static readonly Widget Empty;
        public int count, total = 2;
        internal int m_Internal;
        int m_Private;
        protected internal virtual void Awake() { }
        private protected void Secret() { }
        public float Speed { get; private set; }
        public float Mass { get { return 1f; } protected set { } }
        public int Tick => 1;
        public event Action<int> Ticked;
        public float this[int i, int j] { get { return 0f; } }
        public static bool operator ==(Widget a, Widget b) { return true; }
        public static bool operator !=(Widget a, Widget b) { return false; }
        public static implicit operator bool(Widget w) { return true; }
        void IDisposable.Dispose() { }
        public T Get<T>(params int[] ids) where T : struct { return default(T); }
        public void Fill(in Game.Core.Mask m, ref int n, out float f, string s = null) { f = 0f; }
        [Obsolete("gone", true)] public void Old() { }
        [Obsolete("use Speed")] public float speed;
#if UNITY_EDITOR
        public void EditorOnly() { }
#else
        public void PlayerOnly() { }
#endif
        public class Nested { }
        class PrivateNested { }
    }

    partial class Widget
    {
        public void FromOtherPart() { }
    }

    public abstract class Base { }

    public static class Tools { public static int Twice(this int x) { return 2 * x; } }

    public class Generic<T> { }
    public class Generic<T, U> { }

    public struct Point { public Point(int x) { } }
}
"""


def _surface(tmp_path: Path, defines=("UNITY_STANDALONE",)) -> dict[str, ApiType]:
    (tmp_path / "Widget.cs").write_text(SOURCE)
    files = [tmp_path / "Widget.cs"]
    return drop_invisible_bases(read_surface(files, defines), hidden_type_names(files, defines))


def _members(api: ApiType) -> set[str]:
    return {m.signature for m in api.members}


def test_visible_types_only_with_arity_and_nesting(tmp_path):
    """Public types (nested ones under their parent, generics by arity) are read; internal ones are not."""
    names = set(_surface(tmp_path))
    assert names == {
        "Game.Core.Mask",
        "Game.Core.Widget",
        "Game.Core.Widget.Nested",
        "Game.Core.Base",
        "Game.Core.Tools",
        "Game.Core.Generic`1",
        "Game.Core.Generic`2",
        "Game.Core.Point",
    }


def test_type_headers_keep_modifiers_and_visible_bases(tmp_path):
    """Headers carry modifiers and attributes; an internal interface is dropped from the base list."""
    surface = _surface(tmp_path)
    assert surface["Game.Core.Widget"].signature == "public class Widget : Base, IDisposable"
    assert surface["Game.Core.Mask"].signature == "[Flags] public enum Mask : byte"
    assert surface["Game.Core.Tools"].signature == "public static class Tools"


def test_members_are_canonical_and_exactly_the_visible_ones(tmp_path):
    """Members keep exact modifiers, parameters, accessors; private, internal, explicit ones are hidden."""
    widget = _members(_surface(tmp_path)["Game.Core.Widget"])
    assert widget == {
        "public const int k_Max = 3",
        "public static readonly Widget Empty",
        "public int count",
        "public int total",
        "protected internal virtual void Awake()",
        "public float Speed { get; }",
        "public float Mass { get; protected set; }",
        "public int Tick { get; }",
        "public event Action<int> Ticked",
        "public float this[int i, int j] { get; }",
        "public static bool operator ==(Widget a, Widget b)",
        "public static bool operator !=(Widget a, Widget b)",
        "public static implicit operator bool(Widget w)",
        "public T Get<T>(params int[] ids) where T : struct",
        "public void Fill(in Mask m, ref int n, out float f, string s = null)",
        "[Obsolete(error)] public void Old()",
        "[Obsolete] public float speed",
        "public void PlayerOnly()",
        "public void FromOtherPart()",
        "public class Nested",
        "public Widget()",
    }


def test_enum_values_are_computed_and_implicit_constructors_recorded(tmp_path):
    """Implicit enum values follow the previous one; classes without constructors get C#'s default one."""
    surface = _surface(tmp_path)
    assert _members(surface["Game.Core.Mask"]) == {"None = 0", "A = 1", "B = 2", "C = 8"}
    assert _members(surface["Game.Core.Base"]) == {"protected Base()"}
    assert _members(surface["Game.Core.Tools"]) == {"public static int Twice(this int x)"}
    assert _members(surface["Game.Core.Point"]) == {"public Point(int x)"}


def test_preprocessor_symbols_choose_the_branch(tmp_path):
    """``#if`` branches are resolved for the given symbols."""
    widget = _members(_surface(tmp_path, defines=("UNITY_EDITOR",))["Game.Core.Widget"])
    assert "public void EditorOnly()" in widget and "public void PlayerOnly()" not in widget


def test_round_trip_through_json_form(tmp_path):
    """``to_dict``/``from_dict`` keep every field (the recorded API is stored this way)."""
    widget = _surface(tmp_path)["Game.Core.Widget"]
    assert ApiType.from_dict(widget.to_dict()) == widget
