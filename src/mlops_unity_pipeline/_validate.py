"""One strict-loading helper set: bounded YAML/JSON loading, key checks, converters, the id pattern.

Every user file (job, schedule, asset spec, ML-Agents trainer YAML) goes through ``load_mapping`` or
``parse_yaml``, which bound what a hostile or broken file can cost before anything else reads it:

- size: at most ``MAX_FILE_BYTES`` (a spec is a few kB; a 50 MB file is refused before it is parsed);
- aliases: YAML anchors and aliases are allowed (ML-Agents configs use them), but the document as *expanded*
  may hold at most ``MAX_NODES`` nodes, so a billion-laughs file is refused in microseconds from its node
  graph, before anything walks, copies or prints the expanded value; an alias to itself is refused;
- depth: at most ``MAX_DEPTH`` levels of nesting (deeper input gave a ``RecursionError`` traceback);
- duplicate keys: refused (PyYAML silently keeps the last one).

Error messages echo user values only through ``short`` (a 10k-character id is not printed back in full).
"""

from __future__ import annotations

import copy
import functools
import json
import math
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

import yaml
from croniter import croniter
from croniter.croniter import CroniterError

from .errors import ScheduleError, SpecError

MAX_FILE_BYTES = 1_000_000
"""Largest spec or config file read (1 MB; the biggest upstream ML-Agents config is under 10 kB)."""
MAX_NODES = 100_000
"""Most YAML/JSON nodes a document may expand to (aliases counted at every use)."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists accepted."""
SHORT_LIMIT = 60
"""Characters of a user value echoed in an error message."""

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
"""Safe ids (jobs, assets, schedules, run ids): they become folder names under the workspace (no separators,
no leading dot, at most 128 characters). Always used with ``fullmatch`` (``$`` in ``re.match`` accepts a
trailing newline)."""


def short(value: Any, limit: int = SHORT_LIMIT) -> str:
    """Return ``repr(value)`` cut to ``limit`` characters, saying how long the whole was.

    Args:
        value: any user value (a string, a number, a parsed YAML subtree).
        limit: characters kept.

    Returns:
        The repr, or its first ``limit`` characters followed by ``…(N chars)``.

    """
    if isinstance(value, (Mapping, list, tuple, set)) and len(value) > limit:
        # A huge (possibly alias-shared) container: never build its full repr.
        return f"<{type(value).__name__} of {len(value)} items>"
    if isinstance(value, str) and len(value) > 4 * limit:
        value = value[: 4 * limit]  # repr of a huge string is built from a prefix only
        text = repr(value)
        return f"{text[:limit]}…(longer)"
    try:
        text = repr(value)
    except RecursionError:
        return f"<deeply nested {type(value).__name__}>"
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…({len(text)} chars)"


def validate_id(value: Any, field_name: str, *, error: type[SpecError] = SpecError) -> str:
    """Check that an id is safe to use as a folder name under the workspace.

    Args:
        value: the id to check.
        field_name: the spec field it came from (named in the error).
        error: the ``SpecError`` subclass to raise.

    Returns:
        The id, unchanged.

    Raises:
        SpecError: when the id is not a string matching ``ID_PATTERN`` in full or contains ``..``.

    """
    if not isinstance(value, str):
        raise error(f"{field_name}: expected a string id, got {type(value).__name__}")
    if not ID_PATTERN.fullmatch(value) or ".." in value:
        raise error(
            f"{field_name}: invalid id {short(value)}: use 1-128 letters, digits, '.', '_' or '-', starting "
            "with a letter or digit, without '..' (ids become folder names: no path separators)"
        )
    return value


# --- key checks and converters ------------------------------------------------------------------------------


def check_keys(
    data: Any,
    allowed: Iterable[str],
    where: str,
    *,
    required: Iterable[str] = (),
    error: type[SpecError] = SpecError,
) -> dict[str, Any]:
    """Check a section's keys: a mapping, no unknown key, every required key present.

    Args:
        data: the section (parsed YAML/JSON).
        allowed: the keys the section accepts, in the order to list them.
        where: the section's name in errors (``asset_spec.action_space``).
        required: keys that must be present.
        error: the ``SpecError`` subclass to raise.

    Returns:
        A shallow dict copy of ``data``.

    Raises:
        SpecError: naming the first unknown key (with the section and the expected keys) or missing key.

    """
    if not isinstance(data, Mapping):
        raise error(f"{where or 'configuration'}: expected a mapping, got {type(data).__name__}")
    allowed = tuple(allowed)
    unknown = [k for k in data if k not in allowed]
    if unknown:
        place = f"in {where}" if where else "at the top level"
        raise error(f"unknown key {short(unknown[0])} {place} (expected one of: {', '.join(allowed)})")
    missing = [k for k in required if k not in data]
    if missing:
        raise error(f"{where}: missing required key '{missing[0]}'")
    return dict(data)


def to_int(
    value: Any,
    name: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    error: type[SpecError] = SpecError,
) -> int:
    """Convert a whole number; ``5.0e5`` is accepted (ML-Agents reads ``max_steps`` with ``int(float(v))``).

    Args:
        value: the raw value (``true`` is refused: it is a mistake, not 1).
        name: the field, named in errors.
        minimum: smallest value accepted.
        maximum: largest value accepted (sizes that allocate memory are bounded).
        error: the ``SpecError`` subclass to raise.

    Returns:
        The integer.

    Raises:
        SpecError: on a non-number, a fractional number or a value out of bounds.

    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise error(f"{name}: expected an integer, got {short(value)}")
    if isinstance(value, float):
        if not value.is_integer():  # 2.5 is refused rather than silently truncated
            raise error(f"{name}: expected a whole number, got {short(value)}")
        value = int(value)
    if minimum is not None and value < minimum:
        raise error(f"{name}: must be >= {minimum}, got {short(value)}")
    if maximum is not None and value > maximum:
        raise error(f"{name}: must be <= {maximum}, got {short(value)}")
    return int(value)


def to_float(value: Any, name: str, *, positive: bool = False, error: type[SpecError] = SpecError) -> float:
    """Convert a finite number.

    Args:
        value: the raw value (booleans refused).
        name: the field, named in errors.
        positive: require ``> 0``.
        error: the ``SpecError`` subclass to raise.

    Returns:
        The float.

    Raises:
        SpecError: on a non-number, NaN/inf, or a non-positive value when ``positive``.

    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise error(f"{name}: expected a finite number, got {short(value)}")
    if positive and value <= 0:
        raise error(f"{name}: must be > 0, got {short(value)}")
    return float(value)


def to_str(value: Any, name: str, *, allow_empty: bool = True, error: type[SpecError] = SpecError) -> str:
    """Check a string (numbers refused: a name written as a number is almost surely a typo).

    Args:
        value: the raw value.
        name: the field, named in errors.
        allow_empty: accept an empty or blank string.
        error: the ``SpecError`` subclass to raise.

    Returns:
        The string.

    Raises:
        SpecError: on a non-string or a blank string when not ``allow_empty``.

    """
    if not isinstance(value, str):
        raise error(f"{name}: expected a string, got {type(value).__name__}")
    if not allow_empty and not value.strip():
        raise error(f"{name}: must not be empty")
    return value


def to_bool(value: Any, name: str, *, error: type[SpecError] = SpecError) -> bool:
    """Check a YAML boolean (numbers and strings refused so a typo cannot flip a switch).

    Raises:
        SpecError: on anything but ``true``/``false``.

    """
    if not isinstance(value, bool):
        raise error(f"{name}: expected true or false, got {short(value)}")
    return value


def to_choice(value: Any, enum: type[Enum], name: str, *, error: type[SpecError] = SpecError) -> Any:
    """Convert a value to an enum member, case-insensitively.

    Args:
        value: a member, or its value in any case.
        enum: the enum class.
        name: the field, named in errors.
        error: the ``SpecError`` subclass to raise.

    Returns:
        The member.

    Raises:
        SpecError: listing the accepted values.

    """
    if isinstance(value, enum):
        return value
    text = value.value if isinstance(value, Enum) else value
    if isinstance(text, str):
        for member in enum:
            if str(member.value).lower() == text.strip().lower():
                return member
    raise error(f"{name}: expected one of {', '.join(str(m.value) for m in enum)}, got {short(text)}")


def deep_merge(base: Mapping[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``update`` into a copy of ``base``: nested mappings merge, anything else replaces.

    Neither input is modified and the result shares no mutable value with them (ML-Agents'
    ``deep_update_dict`` semantics, without its in-place update).

    Args:
        base: the mapping to start from.
        update: values that win.

    Returns:
        A new dict.

    """
    out = {key: copy.deepcopy(value) for key, value in base.items()}
    for key, value in update.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


# --- bounded loading ----------------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """``SafeLoader`` that refuses duplicate keys."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        line = key_node.start_mark.line + 1
        try:
            first = seen.get(key)
        except TypeError:  # an unhashable key (a list used as a key): PyYAML reports it below
            break
        if first is not None:
            raise _DuplicateKey(f"duplicate key {short(key)} at line {line} (first at line {first})")
        seen[key] = line
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _DuplicateKey(Exception):
    """Raised inside the loader; turned into the caller's error with the source name."""


def _measure(root: yaml.Node, source: str, error: type[SpecError]) -> None:
    """Refuse a node graph that expands to more than ``MAX_NODES`` nodes or ``MAX_DEPTH`` levels.

    Sizes are memoised per node, so a billion-laughs graph (few nodes, each aliased many times) is measured in
    time linear in its *unexpanded* size.
    """
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    in_progress: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes and not children_done:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        if not children_done:
            if key in in_progress:
                raise error(f"{source}: a YAML alias refers to itself (recursive structures are not allowed)")
            in_progress.add(key)
            stack.append((node, True))
            for child in children:
                if id(child) in in_progress:
                    raise error(
                        f"{source}: a YAML alias refers to itself (recursive structures are not allowed)"
                    )
                if id(child) not in sizes:
                    stack.append((child, False))
            continue
        in_progress.discard(key)
        size = 1 + sum(sizes[id(c)] for c in children)
        depth = 1 + max((depths[id(c)] for c in children), default=0)
        if size > MAX_NODES:
            raise error(
                f"{source}: the document expands to more than {MAX_NODES} values (YAML aliases "
                "counted at each use); refusing it"
            )
        if depth > MAX_DEPTH:
            raise error(f"{source}: nested more than {MAX_DEPTH} levels deep; refusing it")
        sizes[key] = size
        depths[key] = depth


def _json_depth_ok(data: Any) -> bool:
    stack: list[tuple[Any, int]] = [(data, 1)]
    count = 0
    while stack:
        value, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH or count > MAX_NODES:
            return False
        if isinstance(value, Mapping):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return True


def parse_yaml(text: str, source: str = "<string>", *, error: type[SpecError] = SpecError) -> Any:
    """Parse YAML text safely and within bounds (safe types only, no duplicate keys).

    Args:
        text: the YAML document.
        source: the file (or "LLM reply" …) named in errors.
        error: the ``SpecError`` subclass to raise.

    Returns:
        The parsed document (None for an empty one).

    Raises:
        SpecError: invalid YAML (with line and column), a duplicate key, or a document over the bounds.

    """
    if len(text) > MAX_FILE_BYTES:
        raise error(f"{source}: {len(text)} characters, more than the {MAX_FILE_BYTES} accepted")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _measure(node, source, error)
        return loader.construct_document(node)
    except _DuplicateKey as exc:
        raise error(f"{source}: {exc}") from None
    except RecursionError:
        raise error(f"{source}: nested more than {MAX_DEPTH} levels deep; refusing it") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(f"{source}: invalid YAML{where}: {short(problem, 200)}") from None
    finally:
        loader.dispose()


def parse_json(text: str, source: str = "<string>", *, error: type[SpecError] = SpecError) -> Any:
    """Parse JSON text within the same bounds as ``parse_yaml``.

    Raises:
        SpecError: invalid JSON (with line and column) or a document over the bounds.

    """
    if len(text) > MAX_FILE_BYTES:
        raise error(f"{source}: {len(text)} characters, more than the {MAX_FILE_BYTES} accepted")
    try:
        data = json.loads(text)
    except RecursionError:
        raise error(f"{source}: nested more than {MAX_DEPTH} levels deep; refusing it") from None
    except json.JSONDecodeError as exc:
        raise error(f"{source}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    if not _json_depth_ok(data):
        raise error(f"{source}: nested more than {MAX_DEPTH} levels deep or over {MAX_NODES} values")
    return data


def read_text(path: Path | str, *, what: str = "file", error: type[SpecError] = SpecError) -> str:
    """Read a user file as UTF-8, refusing files over ``MAX_FILE_BYTES`` before reading them.

    Args:
        path: the file.
        what: what the file is, in errors ("job file", "trainer config").
        error: the ``SpecError`` subclass to raise.

    Returns:
        The text.

    Raises:
        SpecError: missing, a folder, unreadable, not UTF-8, or too large.

    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise error(f"{path}: is a folder, not a file")
        if size > MAX_FILE_BYTES:
            raise error(f"{path}: {size} bytes, more than the {MAX_FILE_BYTES} accepted for a {what}")
        with open(path, encoding="utf-8") as handle:
            text = handle.read(MAX_FILE_BYTES + 1)  # the file may grow between stat and read
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read the {what}: {exc}") from None
    if len(text) > MAX_FILE_BYTES:
        raise error(f"{path}: more than the {MAX_FILE_BYTES} bytes accepted for a {what}")
    return text


def load_document(path: Path | str, *, what: str = "file", error: type[SpecError] = SpecError) -> Any:
    """Read and parse a ``.json`` (JSON) or any other (YAML) user file within the input bounds.

    Returns:
        The parsed document (None for an empty YAML file).

    Raises:
        SpecError: naming the file: unreadable, too large, invalid, or over the bounds.

    """
    path = Path(path)
    text = read_text(path, what=what, error=error)
    if path.suffix.lower() == ".json":
        return parse_json(text, str(path), error=error)
    return parse_yaml(text, str(path), error=error)


def load_mapping(
    source: Path | str, *, text: str | None = None, what: str = "file", error: type[SpecError] = SpecError
) -> dict[str, Any]:
    """Read a YAML or JSON document that must hold one mapping, within the input bounds.

    Args:
        source: the file (``.json`` is read as JSON, anything else as YAML), or a name for ``text``.
        text: the document itself; when given, ``source`` only names it (and its suffix picks the parser).
        what: what the document is, in errors ("job file", "schedule file").
        error: the ``SpecError`` subclass to raise.

    Returns:
        The parsed mapping.

    Raises:
        SpecError: naming the file: missing, unreadable, too large, invalid, over bounds, not a mapping.

    """
    name = str(source)
    if text is None:
        data = load_document(source, what=what, error=error)
    elif name.lower().endswith(".json"):
        data = parse_json(text, name, error=error)
    else:
        data = parse_yaml(text, name, error=error)
    if not isinstance(data, Mapping):
        raise error(f"{name}: expected a mapping at the top level, got {type(data).__name__}")
    return dict(data)


# --- cron ---------------------------------------------------------------------------------------------------

# croniter accepts these macros; "@reboot" has no fire times, so it is not one of them.
CRON_MACROS = frozenset({"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"})


@functools.lru_cache(maxsize=4096)  # pure; the scheduler validates on every next_fire call
def _cron_text(text: str, field: str) -> str:
    if text.startswith("@"):
        if text.lower() not in CRON_MACROS:
            raise ScheduleError(
                f"{field}: unknown macro {short(text)} (expected one of {sorted(CRON_MACROS)})"
            )
        return text
    fields = text.split(" ")
    if len(fields) != 5:
        # croniter reads a 6th field as seconds, so "0 2 * * * 0" would silently mean "every minute, at second
        # 0". The guide and docs/scheduling.md promise five fields: anything else is refused.
        raise ScheduleError(
            f"{field}: expected 5 fields (minute hour day-of-month month day-of-week), got {len(fields)} in "
            f"{short(text)} (seconds are not supported)"
        )
    if not croniter.is_valid(text):
        raise ScheduleError(f"{field}: {short(text)} is not a valid cron expression (e.g. '0 2 * * *')")
    try:
        # An expression whose fields are valid one by one can still name a date that never exists
        # ("0 0 31 2 *": February 31st); croniter then fails at the first next() with CroniterBadDateError.
        croniter(text, datetime(2000, 1, 1)).get_next(datetime)
    except (CroniterError, ValueError, OverflowError):
        raise ScheduleError(f"{field}: {short(text)} never fires (no date matches it)") from None
    return text


def validate_cron(expression: Any, field: str = "cron_expression") -> str:
    """Check a five-field cron expression (or an ``@daily``-style macro) and return it normalised.

    Args:
        expression: minute hour day-of-month month day-of-week, or a macro.
        field: the field name used in the error message.

    Returns:
        The expression with its fields separated by single spaces.

    Raises:
        ScheduleError: when the expression is not five valid fields or a macro, or matches no date at all.

    """
    if not isinstance(expression, str) or not expression.strip():
        raise ScheduleError(f"{field}: expected a cron expression like '0 2 * * *', got {short(expression)}")
    if len(expression) > 1000:
        raise ScheduleError(f"{field}: {short(expression)} is too long for a cron expression")
    return _cron_text(" ".join(expression.split()), field)
