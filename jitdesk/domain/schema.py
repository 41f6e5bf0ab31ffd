"""Tiny declarative payload schemas: each field says its type and limits; errors name the field."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jitdesk.domain.errors import PayloadError


@dataclass(frozen=True)
class Field:
    """One payload field. `type` is one of str, int, float, bool, list, dict."""

    type: type
    required: bool = True
    nullable: bool = False
    choices: tuple[Any, ...] = ()
    min: float | None = None
    max: float | None = None
    max_len: int | None = None
    min_len: int | None = None
    items: Field | None = None  # for lists
    fields: Mapping[str, Field] | None = None  # for dicts with a fixed shape


def Str(*, min_len: int = 1, max_len: int = 200, **kw: Any) -> Field:
    return Field(str, min_len=min_len, max_len=max_len, **kw)


def Int(**kw: Any) -> Field:
    return Field(int, **kw)


def Num(**kw: Any) -> Field:
    return Field(float, **kw)


def Bool(**kw: Any) -> Field:
    return Field(bool, **kw)


def Choice(*choices: str, **kw: Any) -> Field:
    return Field(str, choices=choices, **kw)


def ListOf(item: Field, *, max_len: int = 1000, **kw: Any) -> Field:
    return Field(list, items=item, max_len=max_len, **kw)


def Obj(fields: Mapping[str, Field], **kw: Any) -> Field:
    return Field(dict, fields=fields, **kw)


@dataclass(frozen=True)
class Schema:
    fields: Mapping[str, Field] = field(default_factory=dict)

    def validate(self, kind: str, payload: object) -> None:
        if not isinstance(payload, Mapping):
            raise PayloadError(kind, "payload", "must be a JSON object")
        _check_object(kind, "", self.fields, payload)


def _check_object(kind: str, prefix: str, fields: Mapping[str, Field], value: Mapping[Any, Any]) -> None:
    for name in value:
        if name not in fields:
            raise PayloadError(kind, prefix + str(name), "is not a known field")
    for name, spec in fields.items():
        path = prefix + name
        if name not in value:
            if spec.required:
                raise PayloadError(kind, path, "is missing")
            continue
        _check_value(kind, path, spec, value[name])


def _check_value(kind: str, path: str, spec: Field, value: object) -> None:
    if value is None:
        if not spec.nullable:
            raise PayloadError(kind, path, "may not be empty (null)")
        return
    expected = spec.type
    if expected is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if ok and not math.isfinite(float(value)):  # type: ignore[arg-type]
            raise PayloadError(kind, path, "must be a finite number")
    elif expected is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, expected)
    if not ok:
        raise PayloadError(kind, path, f"must be of type {expected.__name__}, not {type(value).__name__}")
    if spec.choices and value not in spec.choices:
        raise PayloadError(kind, path, f"must be one of {', '.join(map(str, spec.choices))}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if spec.min is not None and value < spec.min:
            raise PayloadError(kind, path, f"must be at least {spec.min}")
        if spec.max is not None and value > spec.max:
            raise PayloadError(kind, path, f"must be at most {spec.max}")
    if isinstance(value, str | list):
        if spec.max_len is not None and len(value) > spec.max_len:
            raise PayloadError(kind, path, f"is too long (at most {spec.max_len})")
        if spec.min_len is not None and len(value) < spec.min_len:
            raise PayloadError(kind, path, "may not be empty" if spec.min_len == 1 else "is too short")
    if isinstance(value, list) and spec.items is not None:
        for i, item in enumerate(value):
            _check_value(kind, f"{path}[{i}]", spec.items, item)
    if isinstance(value, dict) and spec.fields is not None:
        _check_object(kind, path + ".", spec.fields, value)
