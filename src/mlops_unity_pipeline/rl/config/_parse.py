"""Strict dict → dataclass structuring shared by every settings class (ML-Agents ``strict_to_cls``).

Each settings class is a frozen dataclass. ``structure(cls, data, path)`` checks that ``data`` is a mapping,
that every key is a field of ``cls`` (else ``ConfigError`` naming the key, the section path and the expected
keys), converts each value according to the field's type hint, and constructs the class. Validation in
``__post_init__`` raises ``FieldError``; ``structure`` re-raises it with the full section path, so users read
``behaviors.3DBall.hyperparameters.batch_size: must be >= 1, got -5``.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ... import _validate as _v
from ..._validate import deep_merge as deep_merge  # re-exported: trainer.py merges default_settings
from ..._validate import short
from ...errors import ConfigError

T = TypeVar("T")

# A converter turns a raw YAML value into the field's value; it gets the value and its dotted path.
Converter = Callable[[Any, str], Any]


class FieldError(ConfigError):
    """A single field of a settings class has a bad value; ``structure`` prefixes the section path.

    Attributes:
        owner: the class (or section) name the field belongs to.
        field: the field name.
        reason: what is wrong and what was expected.

    """

    def __init__(self, owner: str, field: str, reason: str) -> None:
        super().__init__(f"{owner}.{field}: {reason}")
        self.owner = owner
        self.field = field
        self.reason = reason


def join(path: str, key: object) -> str:
    """Dotted section path of ``key`` inside ``path`` (``behaviors`` + ``3DBall`` → ``behaviors.3DBall``)."""
    return f"{path}.{key}" if path else str(key)


def fail(path: str, reason: str) -> ConfigError:
    """Build the error for a bad value at ``path`` (return it and ``raise`` at the call site)."""
    return ConfigError(f"{path}: {reason}" if path else reason)


# --- scalar converters -------------------------------------------------------------------------------------


# The converters are ``_validate``'s (one set for the package) raising ``ConfigError`` with the section path;
# numbers may also be numeric strings here, because PyYAML reads ``1e-4`` (no dot) as a string.


def to_bool(value: Any, path: str) -> bool:
    """Convert a YAML boolean; numbers and strings are refused so a typo cannot flip a switch."""
    return _v.to_bool(value, path, error=ConfigError)


def _number(value: Any, path: str) -> Any:
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            raise fail(path, f"expected a number, got {short(value)}") from None
    return value


def to_float(value: Any, path: str) -> float:
    """Convert a finite number; numeric strings are accepted (PyYAML reads ``1e-4`` as a string)."""
    return _v.to_float(_number(value, path), path, error=ConfigError)


def to_int(value: Any, path: str) -> int:
    """Convert a whole number; ``10.0`` and ``"1.0e7"`` are accepted (as ML-Agents does for ``max_steps``).

    A fractional value such as ``2.5`` is refused rather than silently truncated.
    """
    return _v.to_int(_number(value, path), path, error=ConfigError)


def to_str(value: Any, path: str) -> str:
    """Convert a string (numbers are refused: a path written as a number is almost surely a typo)."""
    return _v.to_str(value, path, error=ConfigError)


def to_enum(enum_cls: type[enum.Enum], value: Any, path: str) -> Any:
    """Convert a lowercase YAML value (case-insensitive) to an enum member (errors list the values)."""
    return _v.to_choice(value, enum_cls, path, error=ConfigError)


def to_mapping(value: Any, path: str, what: str = "a mapping") -> Mapping[str, Any]:
    """Check that a section is a mapping (YAML ``key: value`` block)."""
    if isinstance(value, Mapping):
        return value
    raise fail(path, f"expected {what}, got {type(value).__name__} {short(value)}")


# --- generic structuring -----------------------------------------------------------------------------------


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _converter_for(hint: Any) -> Converter:
    """Build the converter for a field's type hint (the forms our settings classes use)."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        non_none = [a for a in args if a is not type(None)]
        if len(non_none) == 1 and len(args) == 2:
            inner = _converter_for(non_none[0])
            return lambda v, p: None if v is None else inner(v, p)
        raise TypeError(f"unsupported union {hint!r}: give the field a custom converter")
    if hint is bool:
        return to_bool
    if hint is int:
        return to_int
    if hint is float:
        return to_float
    if hint is str:
        return to_str
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return lambda v, p: to_enum(hint, v, p)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return lambda v, p: structure(hint, v, p)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _converter_for(args[0])

        def convert_tuple(v: Any, p: str) -> tuple[Any, ...]:
            if not isinstance(v, (list, tuple)):
                raise fail(p, f"expected a list, got {short(v)}")
            return tuple(item(x, join(p, i)) for i, x in enumerate(v))

        return convert_tuple
    raise TypeError(f"unsupported field type {hint!r}: give the field a custom converter")


def field_names(cls: type) -> list[str]:
    """Return the YAML keys a settings class accepts, in declaration order."""
    return [f.name for f in dataclasses.fields(cls) if f.init]


def check_keys(
    data: Mapping[str, Any], allowed: list[str], path: str, *, extra: tuple[str, ...] = ()
) -> None:
    """Raise ``ConfigError`` for the first key of ``data`` not in ``allowed`` (+ ``extra`` tolerated keys)."""
    _v.check_keys({k: v for k, v in data.items() if k not in extra}, allowed, path, error=ConfigError)


def structure(
    cls: type[T],
    data: Any,
    path: str,
    *,
    converters: Mapping[str, Converter] | None = None,
    tolerated: tuple[str, ...] = (),
) -> T:
    """Strictly build ``cls`` from a mapping: unknown keys and bad values raise ``ConfigError`` with ``path``.

    Args:
        cls: a frozen settings dataclass.
        data: the raw mapping from YAML (``None`` means "all defaults").
        path: dotted section path used in error messages (``behaviors.3DBall.hyperparameters``).
        converters: per-field converters overriding the type-hint based ones.
        tolerated: keys accepted and dropped (the caller has already handled them, e.g. ``framework``).

    Returns:
        The constructed instance.

    Raises:
        ConfigError: unknown key, wrong type, or a value ``__post_init__`` rejects.

    """
    if data is None:
        data = {}
    data = to_mapping(data, path or "configuration")
    names = field_names(cls)
    check_keys(data, names, path, extra=tolerated)
    custom: Mapping[str, Converter] = converters or {}
    hints = _hints(cls)
    kwargs: dict[str, Any] = {}
    for key, raw in data.items():
        if key in tolerated and key not in names:
            continue
        convert = custom.get(key) or _converter_for(hints[key])
        kwargs[key] = convert(raw, join(path, key))
    try:
        return cls(**kwargs)
    except FieldError as exc:
        raise fail(join(path, exc.field) if path else f"{exc.owner}.{exc.field}", exc.reason) from None


def unstructure(value: Any) -> Any:
    """Make a YAML/JSON-ready copy: dataclasses → dicts (via ``to_dict``), enums → values, tuples → lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        to_dict = getattr(value, "to_dict", None)
        if to_dict is not None:
            return to_dict()
        return {f.name: unstructure(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        return {unstructure(k): unstructure(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [unstructure(v) for v in value]
    return value


def fields_dict(value: Any) -> dict[str, Any]:
    """Unstructure every field of a dataclass instance (for ``to_dict`` methods that tweak a few keys)."""
    return {f.name: unstructure(getattr(value, f.name)) for f in dataclasses.fields(value)}


# --- __post_init__ checks ----------------------------------------------------------------------------------


def require(condition: bool, owner: object, field: str, reason: str) -> None:
    """Raise ``FieldError`` for ``owner.field`` unless ``condition`` holds (used in ``__post_init__``)."""
    if not condition:
        raise FieldError(type(owner).__name__, field, reason)


def at_least(owner: object, field: str, minimum: float) -> None:
    """``owner.field >= minimum`` or a ``FieldError`` that shows the value."""
    value = getattr(owner, field)
    require(value >= minimum, owner, field, f"must be >= {minimum}, got {short(value)}")


MAX_SIZES: dict[str, int] = {
    "hidden_units": 4096,
    "num_layers": 32,
    "memory_size": 4096,
    "sequence_length": 4096,
    "batch_size": 1_000_000,
    "buffer_size": 10_000_000,
    "time_horizon": 100_000,
    "num_envs": 1024,
    "num_areas": 1024,
    "width": 8192,
    "height": 8192,
}
"""Upper bounds on settings that size memory (networks, buffers, environments). A value past them passed
``config check`` and then crashed ``learn`` allocating it (``hidden_units: 1e8``). The largest values in
ML-Agents' own configs are far below (hidden_units 512, num_layers 4, memory_size 256, batch_size 2048,
buffer_size 2e6, time_horizon 1000: ../shared/anchors/mlagents/config)."""


def bounded(owner: object, field: str, minimum: float) -> None:
    """``minimum <= owner.field <= MAX_SIZES[field]`` or a ``FieldError`` naming the field and the bound."""
    at_least(owner, field, minimum)
    at_most(owner, field, MAX_SIZES[field])


def at_most(owner: object, field: str, maximum: float) -> None:
    """``owner.field <= maximum`` or a ``FieldError``: sizes that allocate memory are bounded."""
    value = getattr(owner, field)
    require(value <= maximum, owner, field, f"must be <= {maximum}, got {short(value)}")


def in_range(owner: object, field: str, low: float, high: float) -> None:
    """``low <= owner.field <= high`` or a ``FieldError`` that shows the value."""
    value = getattr(owner, field)
    require(low <= value <= high, owner, field, f"must be in [{low}, {high}], got {short(value)}")


def set_frozen(owner: object, field: str, value: Any) -> None:
    """Resolve a derived default inside ``__post_init__`` of a frozen dataclass."""
    object.__setattr__(owner, field, value)
