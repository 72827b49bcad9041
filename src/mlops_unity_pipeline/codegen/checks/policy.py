"""The safety policy as data: which resolved types and members generated C# may use.

An allowlist, not a blocklist: a reference passes only when it is the checked code's own, an UnityEngine /
Unity.MLAgents API of the stubs (minus the few that reach files, the network or the browser), or one of the
BCL types below (collections, math, string formatting, the attributes and helpers the compiler emits itself).
Everything else is refused; the categories only make the message say *why*.
"""

from __future__ import annotations

from dataclasses import dataclass

from .assembly import SCRIPTS_ASSEMBLY, STUBS_ASSEMBLY, UNKNOWN_ASSEMBLY, Reference

ALL = None
"""Every member of the type is allowed."""

_OBJECT = frozenset({".ctor", "ToString", "Equals", "GetHashCode", "ReferenceEquals"})
_CTOR = frozenset({".ctor"})
_DELEGATE = frozenset({".ctor", "Invoke"})
_EXCEPTION = frozenset({".ctor", "get_Message", "ToString"})

BCL_TYPES: dict[str, frozenset[str] | None] = {
    # the object model: no GetType (the door to reflection), no MemberwiseClone/Finalize
    "System.Object": _OBJECT,
    "System.ValueType": _OBJECT,
    "System.Enum": ALL,
    "System.Attribute": _CTOR,
    # typeof(T) compiles to Type.GetTypeFromHandle; every other member of Type is reflection
    "System.Type": frozenset({"GetTypeFromHandle", "op_Equality", "op_Inequality", "Equals"}),
    "System.RuntimeTypeHandle": frozenset(),
    "System.RuntimeFieldHandle": frozenset(),
    # primitives, math, strings and formatting
    **dict.fromkeys(
        [
            "System.Boolean",
            "System.Char",
            "System.SByte",
            "System.Byte",
            "System.Int16",
            "System.UInt16",
            "System.Int32",
            "System.UInt32",
            "System.Int64",
            "System.UInt64",
            "System.Single",
            "System.Double",
            "System.Decimal",
            "System.String",
            "System.Text.StringBuilder",
            "System.Math",
            "System.Random",
            "System.Convert",
            "System.BitConverter",
            "System.DateTime",
            "System.TimeSpan",
            "System.Guid",
            "System.Array",
            "System.Nullable`1",
            "System.Nullable",
            "System.StringComparison",
            "System.StringSplitOptions",
            "System.MidpointRounding",
            "System.IFormatProvider",
            "System.IFormattable",
            "System.IComparable",
            "System.IComparable`1",
            "System.IEquatable`1",
            "System.IDisposable",
            "System.ICloneable",
            "System.Globalization.NumberStyles",
            "System.Tuple`1",
            "System.Tuple`2",
            "System.Tuple`3",
            "System.Tuple`4",
            "System.Tuple",
            "System.Collections.IEnumerator",
            "System.Collections.IEnumerable",
            "System.Collections.ICollection",
            "System.Collections.IList",
            "System.Collections.IDictionary",
            "System.Collections.IComparer",
            "System.Collections.IEqualityComparer",
            "System.Linq.Enumerable",
            "System.Linq.IOrderedEnumerable`1",
            "System.Linq.IGrouping`2",
            *[f"System.ValueTuple`{n}" for n in range(1, 9)],
            "System.Linq.ILookup`2",
        ],
        ALL,
    ),
    "System.Globalization.CultureInfo": frozenset({"get_InvariantCulture"}),
    "System.Globalization.NumberFormatInfo": frozenset({"get_InvariantInfo"}),
    # delegates: create and call; no BeginInvoke (thread pool), DynamicInvoke, Method or CreateDelegate
    **dict.fromkeys(
        [
            "System.Action",
            "System.Predicate`1",
            "System.Comparison`1",
            "System.Converter`2",
            "System.EventHandler",
            "System.EventHandler`1",
        ]
        + [f"System.Action`{n}" for n in range(1, 9)]
        + [f"System.Func`{n}" for n in range(1, 10)],
        _DELEGATE,
    ),
    "System.Delegate": frozenset({"Combine", "Remove", "op_Equality", "op_Inequality"}),
    "System.MulticastDelegate": _CTOR,
    "System.EventArgs": ALL,
    # exceptions code may throw and catch (no TargetSite/StackTrace: reflection objects)
    **dict.fromkeys(
        [
            "System.Exception",
            "System.ArgumentException",
            "System.ArgumentNullException",
            "System.ArgumentOutOfRangeException",
            "System.InvalidOperationException",
            "System.NotSupportedException",
            "System.NotImplementedException",
            "System.IndexOutOfRangeException",
            "System.NullReferenceException",
            "System.DivideByZeroException",
            "System.OverflowException",
            "System.FormatException",
            "System.Collections.Generic.KeyNotFoundException",
        ],
        _EXCEPTION,
    ),
    # what the compiler itself emits: array initializers, iterators (coroutines), events, attributes
    "System.Runtime.CompilerServices.RuntimeHelpers": frozenset({"InitializeArray"}),
    "System.Threading.Interlocked": frozenset({"CompareExchange"}),
    **dict.fromkeys(
        [
            "System.Runtime.CompilerServices.CompilerGeneratedAttribute",
            "System.Runtime.CompilerServices.RuntimeCompatibilityAttribute",
            "System.Runtime.CompilerServices.CompilationRelaxationsAttribute",
            "System.Runtime.CompilerServices.ExtensionAttribute",
            "System.Runtime.CompilerServices.IsReadOnlyAttribute",
            "System.Runtime.CompilerServices.IsVolatile",
            "System.Runtime.CompilerServices.DecimalConstantAttribute",
            "System.Runtime.CompilerServices.IteratorStateMachineAttribute",
            "System.Runtime.CompilerServices.TupleElementNamesAttribute",
            "System.Runtime.InteropServices.InAttribute",
            "System.Runtime.InteropServices.OutAttribute",
            "System.Diagnostics.DebuggerHiddenAttribute",
            "System.Diagnostics.DebuggerBrowsableAttribute",
            "System.Diagnostics.DebuggerBrowsableState",
            "System.Diagnostics.DebuggerStepThroughAttribute",
            "System.Diagnostics.DebuggableAttribute",
            "System.Diagnostics.DebuggableAttribute/DebuggingModes",
            "System.ParamArrayAttribute",
            "System.FlagsAttribute",
            "System.SerializableAttribute",
            "System.NonSerializedAttribute",
            "System.ObsoleteAttribute",
        ],
        _CTOR,
    ),
}
"""BCL types (full name, outermost type) and the members allowed on each (``ALL`` = every member)."""

BCL_NAMESPACES = ("System.Collections.Generic", "System.Collections.ObjectModel")
"""Namespaces whose every type and member is allowed (collections)."""

UNITY_NAMESPACES = ("UnityEngine", "Unity.MLAgents", "Unity.Sentis", "Unity.InferenceEngine")
"""Stub namespaces runtime code may use (ML-Agents 3.x models are Sentis assets, 4.x Inference Engine)."""

EDITOR_NAMESPACES = ("UnityEditor",)
"""Added for scripts under an ``Editor`` folder (built into the Editor only, never into the player)."""

EDITOR_BCL: dict[str, frozenset[str] | None] = {
    # the template's build script reads its output path from the command line or MLOPS_BUILD_OUTPUT
    "System.Environment": frozenset({"GetCommandLineArgs", "GetEnvironmentVariable"}),
}
"""BCL members allowed in editor scripts only."""

UNITY_DENIED: tuple[tuple[str, str, frozenset[str] | None], ...] = (
    ("UnityEngine.Networking", "network", ALL),
    ("UnityEngine.WWW", "network", ALL),
    ("UnityEngine.WWWForm", "network", ALL),
    ("UnityEngine.Ping", "network", ALL),
    ("UnityEngine.Application", "network", frozenset({"OpenURL", "ExternalCall", "ExternalEval"})),
    ("UnityEngine.Application", "process", frozenset({"Quit", "Unload"})),
    ("UnityEngine.Application", "device", frozenset({"RequestUserAuthorization"})),
    ("UnityEngine.Diagnostics", "process", ALL),
    ("UnityEngine.Windows", "file", ALL),
    ("UnityEngine.ScreenCapture", "file", ALL),
    ("UnityEngine.AssetBundle", "file", ALL),
    ("UnityEngine.PlayerPrefs", "file", ALL),
    ("UnityEngine.Microphone", "device", ALL),
    ("UnityEngine.WebCamTexture", "device", ALL),
)
"""Unity API refused although it lives in an allowed namespace: (namespace or type prefix, category, members;
``ALL`` = the whole type or namespace)."""

NAMED_TYPE_CREATION = frozenset(
    {("UnityEngine.ScriptableObject", "CreateInstance"), ("UnityEngine.GameObject", "AddComponent")}
)
"""Overloads that take a type *name* (a string resolved at run time) are refused; the generic and
``System.Type`` overloads stay allowed."""

CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("System.IO", "file", "file system access"),
    ("System.Net", "network", "network access"),
    ("System.Diagnostics", "process", "process control and diagnostics"),
    ("System.Reflection", "reflection", "reflection"),
    ("System.Type", "reflection", "reflection through System.Type"),
    ("System.Object", "reflection", "Object.GetType/MemberwiseClone/Finalize"),
    ("System.Activator", "reflection", "creating objects by type (Activator)"),
    ("System.AppDomain", "reflection", "AppDomain (loading assemblies)"),
    ("System.Delegate", "reflection", "late-bound delegate calls"),
    ("System.Runtime.InteropServices", "native", "native interop"),
    ("System.Runtime", "native", "runtime services"),
    ("System.Environment", "process", "the process environment (exit, variables, command line)"),
    ("System.GC", "process", "the garbage collector"),
    ("System.Threading", "threads", "threads and tasks"),
    ("System.Linq.Expressions", "dynamic", "compiled expression trees"),
    ("Microsoft.CSharp", "dynamic", "dynamic binding"),
    ("System.Security", "native", "security and unverifiable code"),
    ("UnityEditor", "editor", "the Unity Editor API (not available in a player)"),
)
"""Prefix → category and what it gives access to: only names the refusal (first match wins)."""


@dataclass(frozen=True)
class Verdict:
    """Why a reference is refused."""

    category: str
    """file, network, process, reflection, native, threads, dynamic, device, editor or not-allowed."""
    reason: str
    """One line for the diagnostic."""


def judge(reference: Reference, *, editor: bool = False) -> Verdict | None:
    """Decide one resolved reference.

    Args:
        reference: a type or member the compiled code uses.
        editor: the code is an Editor script (``UnityEditor`` and ``EDITOR_BCL`` allowed as well).

    Returns:
        None when allowed, else why it is refused.

    """
    kind = reference.type
    if kind.assembly == UNKNOWN_ASSEMBLY:
        return Verdict("not-allowed", f"{reference}: its defining assembly cannot be read")
    if kind.assembly in ("", SCRIPTS_ASSEMBLY):
        return None  # the checked code's own types: their bodies are checked as part of their assembly
    outer = kind.outer
    if kind.assembly == STUBS_ASSEMBLY:
        if reference.string_first and (outer, reference.member) in NAMED_TYPE_CREATION:
            return Verdict(
                "reflection", f"{reference}(string): creating a type named by a string is not allowed"
            )
        for prefix, category, members in UNITY_DENIED:
            if _under(outer, prefix) and (members is ALL or reference.member in members):
                return Verdict(category, f"{reference} is not allowed ({category})")
        namespaces = UNITY_NAMESPACES + (EDITOR_NAMESPACES if editor else ())
        if any(_under(outer, ns) for ns in namespaces):
            return None
        return _refuse(reference)
    if kind.name == "[]":
        if reference.member in (None, ".ctor", "Get", "Set", "Address"):
            return None
        return _refuse(reference)
    allowed = {**BCL_TYPES, **(EDITOR_BCL if editor else {})}
    if outer in allowed:
        members = allowed[outer]
        if reference.member is None or members is ALL or reference.member in members:
            return None
        return _refuse(reference)
    if any(kind.namespace == ns for ns in BCL_NAMESPACES):
        return None
    return _refuse(reference)


def _refuse(reference: Reference) -> Verdict:
    for prefix, category, what in CATEGORIES:
        if _under(reference.type.outer, prefix):
            return Verdict(category, f"{reference}: {what} is not allowed")
    return Verdict(
        "not-allowed",
        f"{reference} is outside the allowed API (UnityEngine, Unity.MLAgents, collections, math, strings)",
    )


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".") or name.startswith(prefix + "/")
