r"""What the compiler resolved: compile C# with ``mcs``, list every type and member the assembly references.

The safety policy decides on these references, not on the source text: however a name is spelled
(``global::System.@IO.@File``, ``System.\u0049O.Fil\u0065``, aliases; a concatenated string is not a type),
the compiled assembly's metadata holds the one resolved ``TypeRef``/``MemberRef`` (ECMA-335 §II.22.38,
§II.22.25).
Method bodies are walked (ECMA-335 §III, opcode operand sizes) only to say *where* a reference is used.
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import struct
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .typecheck import MCS_TIMEOUT_S, PLAYER_DEFINES, stub_files

STUBS_ASSEMBLY = "MlopsUnityStubs"
"""Assembly name of the compiled API stubs (UnityEngine, Unity.MLAgents, UnityEditor)."""

UNKNOWN_ASSEMBLY = "?"
"""Scope given to a reference whose resolution scope cannot be read; the policy refuses it."""

SCRIPTS_ASSEMBLY = "MlopsScripts"
"""Assembly name of the checked runtime scripts (the Editor scripts' assembly references it)."""


@dataclass(frozen=True)
class TypeName:
    """A referenced type: the assembly that defines it, its namespace and its name (nested with ``/``)."""

    assembly: str
    """``mscorlib``, ``System``, ``MlopsUnityStubs``…; ``""`` for a type of the checked code."""
    namespace: str
    """Namespace of the outermost type."""
    name: str
    """``File``, ``List`1``, ``Dictionary`2/KeyCollection``; ``[]`` for array pseudo-types."""

    @property
    def full(self) -> str:
        """``System.IO.File`` (nested types joined with ``/``)."""
        return f"{self.namespace}.{self.name}" if self.namespace else self.name

    @property
    def outer(self) -> str:
        """The outermost type's full name (``System.Collections.Generic.List`1`` for its ``Enumerator``)."""
        return self.full.split("/")[0]


@dataclass(frozen=True)
class Reference:
    """One type or member the compiled code uses from outside itself."""

    type: TypeName
    """The referenced type, or the type that declares the referenced member."""
    member: str | None = None
    """``WriteAllText``, ``.ctor``, ``get_Assembly``; None for a reference to the type itself."""
    string_first: bool = False
    """The referenced method's first parameter is a ``string`` (``CreateInstance(string)`` names a type)."""

    def __str__(self) -> str:
        return self.type.full if self.member is None else f"{self.type.full}::{self.member}"


@dataclass(frozen=True)
class NativeMethod:
    """A method of the checked code that is not IL: ``extern``, ``[DllImport]``, internal call."""

    declaring_type: str
    """Full name of its type."""
    name: str
    """Method name."""
    why: str
    """``[DllImport] p/invoke``, ``extern (no body)``…"""


@dataclass
class AssemblyReferences:
    """Everything the safety policy decides on, read from one compiled assembly."""

    references: list[Reference] = field(default_factory=list)
    """Every TypeRef and MemberRef row (MemberRefs on generic instances resolved to their generic type)."""
    unresolved: list[str] = field(default_factory=list)
    """MemberRefs whose parent could not be read as a type (refused: the policy cannot name them)."""
    native: list[NativeMethod] = field(default_factory=list)
    """Methods without IL bodies and P/Invoke (ImplMap) rows."""
    module_refs: list[str] = field(default_factory=list)
    """Native libraries named by ModuleRef rows (P/Invoke targets)."""
    users: dict[Reference, set[tuple[str, str]]] = field(default_factory=dict)
    """Reference → the (type, method) pairs of the checked code whose IL uses it."""


@dataclass(frozen=True)
class Compilation:
    """The outcome of compiling one group of files for the policy."""

    ok: bool
    """True when ``mcs`` produced the assembly."""
    output: str
    """``mcs`` stdout + stderr."""
    dll: Path | None
    """The assembly (inside a temporary folder the caller owns), None when the compile failed."""


# --- compiling ---

_STUBS_LOCK = threading.Lock()
_STUBS_CACHE: dict[tuple[str, str], Path] = {}
_STUBS_DIR: list[Path] = []


def stubs_assembly(mcs: str) -> Path:
    """Compile the API stubs once per process (per compiler and stub sources) into ``MlopsUnityStubs.dll``.

    Args:
        mcs: the compiler.

    Returns:
        The path of the assembly (in a per-process temporary folder removed at exit).

    Raises:
        RuntimeError: when the stubs themselves do not compile (a packaging fault, not user input).

    """
    sources = stub_files()
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()
    with _STUBS_LOCK:
        cached = _STUBS_CACHE.get((mcs, digest))
        if cached is not None and cached.is_file():
            return cached
        if not _STUBS_DIR:
            folder = Path(tempfile.mkdtemp(prefix="mlops-stubs-"))
            atexit.register(shutil.rmtree, folder, True)
            _STUBS_DIR.append(folder)
        out = _STUBS_DIR[0] / digest[:16] / f"{STUBS_ASSEMBLY}.dll"
        out.parent.mkdir(parents=True, exist_ok=True)
        proc = _run_mcs(mcs, ["-target:library", f"-out:{out}", *[str(p) for p in sources]])
        if proc.returncode != 0 or not out.is_file():
            tail = " | ".join((proc.stdout + proc.stderr).strip().splitlines()[-3:])
            raise RuntimeError(f"the API stubs do not compile: {tail}")
        _STUBS_CACHE[(mcs, digest)] = out
        return out


def compile_assembly(mcs: str, files: list[Path], out: Path, references: list[Path]) -> Compilation:
    """Compile ``files`` into the library ``out`` against ``references`` (no ``-unsafe``: unsafe code fails).

    Args:
        mcs: the compiler.
        files: C# sources.
        out: the assembly to write.
        references: assemblies to reference (the stubs, the runtime scripts for editor code).

    Returns:
        The compilation.

    """
    args = ["-target:library", f"-out:{out}", *[f"-r:{r}" for r in references], *[str(p) for p in files]]
    try:
        proc = _run_mcs(mcs, args)
    except subprocess.TimeoutExpired:
        return Compilation(False, f"mcs did not finish within {MCS_TIMEOUT_S:.0f} s", None)
    except OSError as exc:
        return Compilation(False, f"mcs could not run: {exc}", None)
    ok = proc.returncode == 0 and out.is_file()
    return Compilation(ok, proc.stdout + proc.stderr, out if ok else None)


def _run_mcs(mcs: str, args: list[str]) -> subprocess.CompletedProcess[str]:
    command = [
        mcs,
        "-langversion:experimental",
        "-warn:0",
        "-define:" + ";".join(PLAYER_DEFINES),
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=MCS_TIMEOUT_S, check=False)


# --- reading the metadata ---


def read_references(dll: Path) -> AssemblyReferences:
    """Read every external type and member reference, native method and P/Invoke of a compiled assembly.

    Args:
        dll: the assembly ``compile_assembly`` wrote.

    Returns:
        The references, with the methods of the checked code that use each one.

    """
    import dnfile  # heavy

    pe = dnfile.dnPE(str(dll))
    try:
        return _Reader(pe).read()
    finally:
        pe.close()


class _Reader:
    """Walks the metadata tables of one assembly (dnfile rows are 1-based)."""

    def __init__(self, pe: Any) -> None:
        self.pe = pe
        self.tables = pe.net.mdtables
        self.result = AssemblyReferences()

    def rows(self, name: str) -> list[Any]:
        table = getattr(self.tables, name, None)
        return list(table.rows) if table is not None else []

    def read(self) -> AssemblyReferences:
        assemblies = [str(r.Name) for r in self.rows("AssemblyRef")]
        self.assemblies = assemblies
        self.typerefs = self.rows("TypeRef")
        self.typedefs = self.rows("TypeDef")
        self.typespecs = self.rows("TypeSpec")
        self.memberrefs = self.rows("MemberRef")
        self.enclosing = {
            _row_index(r.NestedClass): _row_index(r.EnclosingClass) for r in self.rows("NestedClass")
        }
        typeref_refs = [Reference(self.typeref_name(i)) for i in range(1, len(self.typerefs) + 1)]
        member_refs: list[Reference | None] = []
        for row in self.memberrefs:
            parent = self.parent_type(row.Class)
            if parent is None:
                self.result.unresolved.append(str(row.Name))
                member_refs.append(None)
            elif parent.assembly == "":
                member_refs.append(None)  # a member of the checked code itself (vararg call site)
            else:
                member_refs.append(
                    Reference(parent, str(row.Name), _first_parameter_is_string(row.Signature))
                )
        self.result.references = [r for r in typeref_refs if r.type.assembly != ""]
        self.result.references += [r for r in member_refs if r is not None]
        self.result.module_refs = [str(r.Name) for r in self.rows("ModuleRef")]
        self.read_native()
        self.read_users(typeref_refs, member_refs)
        return self.result

    # names

    def typeref_name(self, index: int, depth: int = 0) -> TypeName:
        row = self.typerefs[index - 1]
        scope = row.ResolutionScope
        table = scope.table.name if scope is not None and scope.table is not None else None
        if table == "TypeRef" and depth < 16 and 1 <= scope.row_index <= len(self.typerefs):
            outer = self.typeref_name(scope.row_index, depth + 1)
            return TypeName(outer.assembly, outer.namespace, f"{outer.name}/{row.TypeName}")
        if table == "AssemblyRef" and 1 <= scope.row_index <= len(self.assemblies):
            assembly = self.assemblies[scope.row_index - 1]
        elif table == "Module":
            assembly = ""  # a type of this very module: the checked code
        else:
            assembly = UNKNOWN_ASSEMBLY  # anything else is judged as foreign (and refused): fail closed
        return TypeName(assembly, str(row.TypeNamespace or ""), str(row.TypeName))

    def typedef_name(self, index: int, depth: int = 0) -> str:
        row = self.typedefs[index - 1]
        outer = self.enclosing.get(index)
        if outer is not None and depth < 16:
            return f"{self.typedef_name(outer, depth + 1)}/{row.TypeName}"
        namespace = str(row.TypeNamespace or "")
        return f"{namespace}.{row.TypeName}" if namespace else str(row.TypeName)

    def parent_type(self, coded: Any) -> TypeName | None:
        table = coded.table.name if coded is not None and coded.table is not None else None
        if table == "TypeRef":
            return self.typeref_name(coded.row_index)
        if table in ("TypeDef", "MethodDef"):
            return TypeName("", "", "<self>")
        if table == "TypeSpec":
            return self.typespec_type(coded.row_index)
        return None  # ModuleRef: a global native function

    def typespec_type(self, index: int) -> TypeName | None:
        blob = _blob(self.typespecs[index - 1].Signature)
        if not blob:
            return None
        kind = blob[0]
        if kind == 0x15 and len(blob) > 2 and blob[1] in (0x11, 0x12):  # GENERICINST (CLASS|VALUETYPE) type
            value, _ = _compressed(blob, 2)
            tag, row = value & 0x3, value >> 2
            if tag == 1 and 1 <= row <= len(self.typerefs):
                return self.typeref_name(row)
            if tag == 0:
                return TypeName("", "", "<self>")
            return None
        if kind in (0x14, 0x1D):  # ARRAY, SZARRAY: the runtime's array pseudo-methods (Get/Set/Address/.ctor)
            return TypeName("mscorlib", "", "[]")
        return None  # VAR/MVAR/PTR/FNPTR parents: nothing a generated Agent needs; refused as unresolved

    # native code

    def read_native(self) -> None:
        methods = self.rows("MethodDef")
        owners = self.method_owners(len(methods))
        for row in self.rows("ImplMap"):
            forwarded = row.MemberForwarded
            index = forwarded.row_index if forwarded is not None else 0
            owner = owners.get(index, "?")
            name = str(methods[index - 1].Name) if 1 <= index <= len(methods) else "?"
            scope = row.ImportScope
            modules = self.result.module_refs
            library = (
                modules[scope.row_index - 1]
                if scope is not None and 0 < scope.row_index <= len(modules)
                else "?"
            )
            self.result.native.append(NativeMethod(owner, name, f'[DllImport("{library}")] p/invoke'))
        for index, row in enumerate(methods, start=1):
            flags, impl = row.Flags, row.ImplFlags
            owner = owners.get(index, "?")
            if any(n.declaring_type == owner and n.name == str(row.Name) for n in self.result.native):
                continue  # already named by its ImplMap row
            if flags.mdPinvokeImpl:
                why = "p/invoke"
            elif impl.miInternalCall or impl.miNative or impl.miUnmanaged:
                why = "internal/native call"
            elif impl.miRuntime and not self.is_delegate(owner):
                why = "runtime-implemented method outside a delegate"
            elif not row.Rva and not flags.mdAbstract and not impl.miRuntime:
                why = "extern (no body)"
            else:
                continue
            native = NativeMethod(owner, str(row.Name), why)
            if native not in self.result.native:
                self.result.native.append(native)

    def method_owners(self, count: int) -> dict[int, str]:
        owners: dict[int, str] = {}
        for i, row in enumerate(self.typedefs, start=1):
            for method in row.MethodList or []:
                owners[_row_index(method)] = self.typedef_name(i)
        return owners

    def is_delegate(self, owner: str) -> bool:
        for i, row in enumerate(self.typedefs, start=1):
            if self.typedef_name(i) == owner and row.Extends is not None and row.Extends.table is not None:
                if row.Extends.table.name == "TypeRef":
                    return self.typeref_name(row.Extends.row_index).full == "System.MulticastDelegate"
        return False

    # who uses what

    def read_users(self, typeref_refs: list[Reference], member_refs: list[Reference | None]) -> None:
        methods = self.rows("MethodDef")
        owners = self.method_owners(len(methods))
        signatures = self.rows("StandAloneSig")

        def use(where: tuple[str, str], targets: list[Reference]) -> None:
            for target in targets:
                self.result.users.setdefault(target, set()).add(where)

        def typerefs_in(blob: bytes) -> list[Reference]:
            return [typeref_refs[r - 1] for r in _signature_typerefs(blob) if 1 <= r <= len(typeref_refs)]

        for index, row in enumerate(methods, start=1):
            where = (owners.get(index, "?"), str(row.Name))
            use(where, typerefs_in(_blob(row.Signature)))  # parameter and return types
            if not row.Rva:
                continue
            try:
                tokens = _il_tokens(self.pe, int(row.Rva))
            except (IndexError, struct.error, ValueError):
                continue  # attribution only: the decision reads the tables, not the IL
            for token in tokens:
                table, rid = token >> 24, token & 0xFFFFFF
                if table == 0x01 and 1 <= rid <= len(typeref_refs):
                    use(where, [typeref_refs[rid - 1]])
                elif table == 0x0A and 1 <= rid <= len(member_refs):
                    member = member_refs[rid - 1]
                    if member is not None:
                        use(where, [member, Reference(member.type)])
                elif table == 0x2B:
                    use(where, self.methodspec_targets(rid, member_refs))
                elif table == 0x11 and 1 <= rid <= len(signatures):  # local variables (and calli) signatures
                    use(where, typerefs_in(_blob(signatures[rid - 1].Signature)))
                elif table == 0x1B and 1 <= rid <= len(self.typespecs):
                    use(where, typerefs_in(_blob(self.typespecs[rid - 1].Signature)))
        for index, row in enumerate(self.typedefs, start=1):
            for field_index in row.FieldList or []:
                fields = self.rows("Field")
                rid = _row_index(field_index)
                if 1 <= rid <= len(fields):
                    where = (self.typedef_name(index), str(fields[rid - 1].Name))
                    use(where, typerefs_in(_blob(fields[rid - 1].Signature)))

    def methodspec_targets(self, rid: int, member_refs: list[Reference | None]) -> list[Reference]:
        specs = self.rows("MethodSpec")
        if not 1 <= rid <= len(specs):
            return []
        method = specs[rid - 1].Method
        if method is None or method.table is None or method.table.name != "MemberRef":
            return []
        member = member_refs[method.row_index - 1] if 1 <= method.row_index <= len(member_refs) else None
        return [member, Reference(member.type)] if member is not None else []


def _row_index(coded: Any) -> int:
    return int(getattr(coded, "row_index", coded) or 0)


def _blob(value: Any) -> bytes:
    raw = getattr(value, "value", value)
    return bytes(raw) if raw is not None else b""


def _compressed(blob: bytes, pos: int) -> tuple[int, int]:
    """ECMA-335 §II.23.2 compressed unsigned integer at ``pos``: (value, next position)."""
    first = blob[pos]
    if first & 0x80 == 0:
        return first, pos + 1
    if first & 0xC0 == 0x80:
        return ((first & 0x3F) << 8) | blob[pos + 1], pos + 2
    return ((first & 0x1F) << 24) | (blob[pos + 1] << 16) | (blob[pos + 2] << 8) | blob[pos + 3], pos + 4


# --- signatures: which TypeRefs a method, field or local variable signature names (ECMA-335 §II.23.2) ---


def _signature_typerefs(blob: bytes) -> list[int]:
    """TypeRef row ids named in a method, field, property or local variable signature (best effort)."""
    found: list[int] = []
    try:
        _Signature(blob, found).read()
    except (IndexError, ValueError):
        pass  # attribution only: a signature we cannot walk names nothing
    return found


class _Signature:
    def __init__(self, blob: bytes, found: list[int]) -> None:
        self.blob, self.pos, self.found = blob, 0, found

    def byte(self) -> int:
        value = self.blob[self.pos]
        self.pos += 1
        return value

    def number(self) -> int:
        value, self.pos = _compressed(self.blob, self.pos)
        return value

    def token(self) -> None:
        value = self.number()
        if value & 0x3 == 1:
            self.found.append(value >> 2)

    def read(self) -> None:
        kind = self.byte()
        if kind == 0x06:  # FIELD
            self.type()
        elif kind == 0x07:  # LOCAL_SIG
            for _ in range(self.number()):
                self.type()
        elif kind & 0x0F in (0x08, 0x00, 0x05):  # PROPERTY, DEFAULT/VARARG method
            if kind & 0x10:
                self.number()  # generic parameter count
            count = self.number()
            for _ in range(count + 1):  # return type, then parameters
                self.type()
        elif kind in (0x11, 0x12, 0x15, 0x1D, 0x14, 0x0F, 0x10):  # a TypeSpec blob is a bare type
            self.pos -= 1
            self.type()

    def type(self) -> None:
        kind = self.byte()
        if kind in (0x1F, 0x20):  # CMOD_REQD/OPT token, then the type
            self.token()
            self.type()
        elif kind in (0x0F, 0x10, 0x1D, 0x45, 0x41):  # PTR, BYREF, SZARRAY, PINNED, SENTINEL
            self.type()
        elif kind in (0x11, 0x12):  # VALUETYPE, CLASS
            self.token()
        elif kind in (0x13, 0x1E):  # VAR, MVAR
            self.number()
        elif kind == 0x15:  # GENERICINST
            self.byte()
            self.token()
            for _ in range(self.number()):
                self.type()
        elif kind == 0x14:  # ARRAY: type, rank, sizes, lower bounds
            self.type()
            self.number()
            for _ in range(self.number()):
                self.number()
            for _ in range(self.number()):
                self.number()
        elif kind == 0x1B:  # FNPTR: a method signature
            self.read()
        elif kind not in range(0x01, 0x0F) and kind not in (0x16, 0x18, 0x19, 0x1C):
            raise ValueError(f"unknown element type {kind:#x}")


def _first_parameter_is_string(signature: Any) -> bool:
    """Tell whether a MemberRef's method signature takes a ``string`` first (ELEMENT_TYPE_STRING, 0x0E)."""
    reader = _Signature(_blob(signature), [])
    try:
        kind = reader.byte()
        if kind & 0x0F not in (0x00, 0x05):
            return False  # a field or property, not a method
        if kind & 0x10:
            reader.number()  # generic parameter count
        if reader.number() == 0:
            return False
        reader.type()  # the return type
        return reader.blob[reader.pos] == 0x0E
    except (IndexError, ValueError):
        return False


# --- IL: which tokens a method body uses (ECMA-335 §III.1.2 operand sizes) ---

_TOKEN_OPS = frozenset(
    {0x27, 0x28, 0x29, 0x6F, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x79, 0x7B, 0x7C, 0x7D, 0x7E, 0x7F, 0x80}
    | {0x81, 0x8C, 0x8D, 0x8F, 0xA3, 0xA4, 0xA5, 0xC2, 0xC6, 0xD0}
)
_OPERAND_1 = frozenset({0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x1F, 0xDE, *range(0x2B, 0x38)})
_OPERAND_4 = frozenset({0x20, 0x22, 0xDD, *range(0x38, 0x45)})
_OPERAND_8 = frozenset({0x21, 0x23})
_FE_TOKEN_OPS = frozenset({0x06, 0x07, 0x15, 0x16, 0x1C})
_FE_OPERAND_2 = frozenset({0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E})
_FE_OPERAND_1 = frozenset({0x12, 0x19})


def _il_tokens(pe: Any, rva: int) -> list[int]:
    """Metadata tokens used by the IL of the method body at ``rva``."""
    data = pe.get_data(rva, 12)
    header = data[0]
    if header & 0x3 == 0x2:  # tiny header: size in the upper 6 bits
        start, size = 1, header >> 2
    else:  # fat header: flags+size (2 bytes), max stack (2), code size (4), locals token (4)
        start = (struct.unpack_from("<H", data, 0)[0] >> 12) * 4
        size = struct.unpack_from("<I", data, 4)[0]
    code = pe.get_data(rva + start, size)
    tokens: list[int] = []
    if start > 1 and struct.unpack_from("<I", data, 8)[0]:
        tokens.append(struct.unpack_from("<I", data, 8)[0])  # the local variables' signature
    pos = 0
    while pos < len(code):
        op = code[pos]
        pos += 1
        if op == 0xFE:
            op2 = code[pos]
            pos += 1
            if op2 in _FE_TOKEN_OPS:
                tokens.append(struct.unpack_from("<I", code, pos)[0])
                pos += 4
            elif op2 in _FE_OPERAND_2:
                pos += 2
            elif op2 in _FE_OPERAND_1:
                pos += 1
        elif op in _TOKEN_OPS:
            tokens.append(struct.unpack_from("<I", code, pos)[0])
            pos += 4
        elif op == 0x45:  # switch: count, then count 4-byte targets
            count = struct.unpack_from("<I", code, pos)[0]
            pos += 4 + 4 * count
        elif op in _OPERAND_1:
            pos += 1
        elif op in _OPERAND_4:
            pos += 4
        elif op in _OPERAND_8:
            pos += 8
    return tokens
