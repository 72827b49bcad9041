"""Hostile LLM-written method bodies (docs/codegen.md, safety policy): each must be refused, however spelt.

``refused_by`` names the check that must fail and ``expect`` a text its diagnostics must contain. The bodies
are spliced into ``OnEpisodeBegin`` of the reach-target template (``SimpleAgent``).
"""

from __future__ import annotations

from typing import NamedTuple


class Bypass(NamedTuple):
    """One attack: the body, the check that must refuse it and what its diagnostic names."""

    body: str
    refused_by: str
    expect: str


# a body that closes OnEpisodeBegin, declares a member, and reopens a method for the template's closing brace
def _escape(member: str) -> str:
    return "}\n" + member + "\nvoid Pad() {"


ISSUE_BYPASSES: dict[str, Bypass] = {
    "verbatim_identifiers": Bypass(
        'var s = new global::System.@IO.@FileStream("/tmp/pwn", global::System.@IO.@FileMode.Create);\n'
        "s.WriteByte(1);",
        "safety",
        "System.IO.FileStream::.ctor",
    ),
    "unicode_escapes": Bypass(
        'System.\\u0049O.Fil\\u0065.WriteAllText("/tmp/pwn", "x");', "safety", "System.IO.File::WriteAllText"
    ),
    "process_start_escaped": Bypass(
        'System.Diagnostics.Proc\\u0065ss.Start("/bin/sh", "-c id");',
        "safety",
        "System.Diagnostics.Process::Start",
    ),
    "module_gettype_invoke": Bypass(
        'var t = typeof(Agent).Module.GetType("System.IO.File");\n'
        "var c = t.GetConstructor(System.Type.EmptyTypes);\nc.Invoke(null);",
        "safety",
        "System.Reflection.Module::GetType",
    ),
    "static_constructor": Bypass(
        _escape('static SimpleAgent() { System.IO.File.WriteAllText("/tmp/pwn", "x"); }'),
        "structure",
        "static constructor SimpleAgent.SimpleAgent",
    ),
    "finalizer": Bypass(
        _escape('~SimpleAgent() { Debug.Log("bye"); }'), "structure", "finalizer SimpleAgent"
    ),
}
"""The bypasses the adversarial review reproduced (docs/codegen.md, safety policy)."""

MORE_BYPASSES: dict[str, Bypass] = {
    "static_constructor_clean_body": Bypass(
        _escape('static SimpleAgent() { Debug.Log("runs at type load"); }'), "structure", "static constructor"
    ),
    "dllimport": Bypass(
        _escape('[System.Runtime.InteropServices.DllImport("libc")] static extern int system(string c);'),
        "safety",
        "p/invoke",
    ),
    "dynamic": Bypass("dynamic d = this;\nd.EndEpisode();", "safety", "Microsoft.CSharp"),
    "typeof_assembly": Bypass(
        "var a = typeof(SimpleAgent).Assembly;\nDebug.Log(a.FullName);", "safety", "System.Type::get_Assembly"
    ),
    "marshal_delegate": Bypass(
        "System.Func<int, System.IntPtr> f = System.Runtime.InteropServices.Marshal.AllocHGlobal;\nf(16);",
        "safety",
        "Marshal::AllocHGlobal",
    ),
    "gettype_getmethod": Bypass(
        'GetType().GetMethod("EndEpisode").Invoke(this, null);', "safety", "System.Object::GetType"
    ),
    "type_gettype_concat": Bypass(
        'var t = System.Type.GetType("System.IO." + "File");\nDebug.Log(t);', "safety", "System.Type::GetType"
    ),
    "appdomain": Bypass(
        "var d = System.AppDomain.CurrentDomain;\nDebug.Log(d.FriendlyName);", "safety", "System.AppDomain"
    ),
    "environment_exit": Bypass("System.Environment.Exit(1);", "safety", "System.Environment::Exit"),
    "environment_secret": Bypass(
        'Debug.Log(System.Environment.GetEnvironmentVariable("OPENAI_API_KEY"));',
        "safety",
        "GetEnvironmentVariable",
    ),
    "thread": Bypass("new System.Threading.Thread(() => { }).Start();", "safety", "System.Threading.Thread"),
    "activator": Bypass(
        "var o = System.Activator.CreateInstance(typeof(SimpleAgent));\nDebug.Log(o);",
        "safety",
        "System.Activator::CreateInstance",
    ),
    "file_in_lambda": Bypass(
        'System.Action a = () => System.IO.File.Delete("/tmp/x");\na();', "safety", "System.IO.File::Delete"
    ),
    "using_alias": Bypass(
        'Debug.Log(typeof(SimpleAgent));\nglobal::System.IO.Directory.Delete("/tmp/x", true);',
        "safety",
        "System.IO.Directory::Delete",
    ),
    "expression_compile": Bypass(
        "System.Linq.Expressions.Expression<System.Func<int>> e = () => 1;\ne.Compile()();",
        "safety",
        "System.Linq.Expressions",
    ),
    "dynamic_invoke": Bypass(
        "System.Action a = EndEpisode;\na.DynamicInvoke();", "safety", "System.Delegate::DynamicInvoke"
    ),
    "begin_invoke": Bypass(
        "System.Action a = EndEpisode;\na.BeginInvoke(null, null);", "safety", "System.Action::BeginInvoke"
    ),
    "unsafe_pointer": Bypass("unsafe { int x = 1; int* p = &x; Debug.Log(*p); }", "types", "CS0227"),
    "preprocessor": Bypass(
        '#if UNITY_EDITOR\nDebug.Log("x");\n#endif\nDebug.Log("y");', "structure", "preprocessor"
    ),
    "console": Bypass('System.Console.WriteLine("x");', "safety", "System.Console::WriteLine"),
}
"""Further attacks: other reflection doors, native code, threads, dynamic code, process control."""

ALL_BYPASSES = {**ISSUE_BYPASSES, **MORE_BYPASSES}
