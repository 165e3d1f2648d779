"""Turn pydantic validation errors into diagnostics a scenario author can act on.

Each error is located through the document's marks (the YAML file, line and column of the
offending value, or of the key for an unknown field) and given a hint: the closest valid
name for a misspelling, the fields that are allowed, the values a choice accepts.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, Tag, ValidationError
from pydantic_core import ErrorDetails

from engine.content.source import Marks, PathKey, format_path
from engine.errors import Diagnostic


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like ``name``, if any is close enough to be a likely typo."""
    matches = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return matches[0] if matches else None


def suggestion(name: str, candidates: Iterable[str], what: str) -> str:
    """``did you mean 'x'?`` or a short list of what exists."""
    pool = sorted(set(candidates))
    match = closest(name, pool)
    if match:
        return f"did you mean '{match}'?"
    if not pool:
        return f"no {what} is defined"
    shown = ", ".join(pool[:8]) + (", ..." if len(pool) > 8 else "")
    return f"known {what}s: {shown}"


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _union_members(tp: Any) -> list[Any]:
    tp = _unwrap(tp)
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        return [m for arg in typing.get_args(tp) for m in _union_members_keep(arg)]
    return [tp]


def _union_members_keep(tp: Any) -> list[Any]:
    """Like :func:`_union_members` but keeps ``Annotated`` wrappers (they carry tags)."""
    inner = _unwrap(tp)
    origin = typing.get_origin(inner)
    if origin is typing.Union or origin is types.UnionType:
        return [m for arg in typing.get_args(inner) for m in _union_members_keep(arg)]
    return [tp]


def _tag_of(tp: Any) -> str | None:
    if typing.get_origin(tp) is typing.Annotated:
        for meta in typing.get_args(tp)[1:]:
            if isinstance(meta, Tag):
                return meta.tag
    return None


def _step(tp: Any, part: str | int) -> Any:
    """The type found one step down from ``tp`` along a pydantic error location."""
    members = _union_members_keep(tp)
    if len(members) > 1:
        for member in members:
            if _tag_of(member) == part:
                return member
        non_none = [m for m in members if _unwrap(m) is not type(None)]
        if len(non_none) == 1:
            return _step(non_none[0], part)
        return None
    tp = _unwrap(members[0])
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        for name, info in tp.model_fields.items():
            if part in (name, info.alias):
                return info.annotation
        return None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is list and args:
        return args[0]
    if origin is tuple and args and isinstance(part, int):
        return args[part] if part < len(args) else None
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def allowed_fields(root: type[BaseModel], location: Sequence[str | int]) -> list[str]:
    """The field names a mapping at ``location`` (inside ``root``) accepts."""
    tp: Any = root
    for part in location:
        tp = _step(tp, part)
        if tp is None:
            return []
    names: set[str] = set()
    for member in _union_members(tp):
        member = _unwrap(member)
        if isinstance(member, type) and issubclass(member, BaseModel):
            names.update(info.alias or name for name, info in member.model_fields.items())
    return sorted(names)


def _is_tag(tp: Any, part: str | int) -> bool:
    """Whether ``part`` names the member of a tagged union that pydantic tried."""
    members = _union_members_keep(tp)
    return len(members) > 1 and any(_tag_of(member) == part for member in members)


def yaml_path(root: type[BaseModel], marks: Marks, location: Sequence[str | int]) -> PathKey:
    """The path of a pydantic location as written in the document.

    Pydantic inserts the tag of a union member (``effects[0].adjust.by``) and ``[key]``
    after a mapping key; neither is a step in the YAML.  A tag is also the first key of its
    mapping (``{adjust: x, by: 1}``), so tags are found by walking the model types from
    ``root``: judged by the marks alone, ``by`` would be taken for a field of ``adjust``.
    """
    kept: list[str | int] = []
    tp: Any = root
    for part in location:
        is_tag = tp is not None and _is_tag(tp, part)
        tp = _step(tp, part) if tp is not None else None
        if is_tag:
            continue
        candidate = (*kept, part)
        if candidate in marks.values or candidate in marks.keys:
            kept.append(part)
    return tuple(kept)


_EXPECTED = re.compile(r"'([^']*)'")


def _describe_input(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value)


_NUMBER_HINT = "write it in digits, without quotes, e.g. 6"
_MAPPING_HINT = "write 'name: value' entries, indented below the key or inside { }"
_LIST_HINT = "write [a, b], or one '- item' per line indented below the key"
_EXPECTED_TYPES: dict[str, tuple[str, str]] = {
    "int_parsing": ("a whole number", _NUMBER_HINT),
    "int_type": ("a whole number", _NUMBER_HINT),
    "int_from_float": ("a whole number", "drop the fractional part"),
    "float_parsing": ("a number", _NUMBER_HINT),
    "float_type": ("a number", _NUMBER_HINT),
    "bool_parsing": ("true or false", "write true or false, without quotes"),
    "bool_type": ("true or false", "write true or false, without quotes"),
    "string_type": ("text", "put the value in quotes"),
    "dict_type": ("a mapping", _MAPPING_HINT),
    "model_type": ("a mapping", _MAPPING_HINT),
    "model_attributes_type": ("a mapping", _MAPPING_HINT),
    "list_type": ("a list", _LIST_HINT),
    "tuple_type": ("a list", _LIST_HINT),
}
"""Type mismatches in an author's words, each with a hint: pydantic's own text ("Input
should be a valid integer, unable to parse string as an integer") speaks of Python."""


def _friendly(error: ErrorDetails) -> tuple[str, str]:
    kind = error["type"]
    message = str(error["msg"])
    value = error.get("input")
    if kind in ("value_error", "assertion_error"):
        return message.removeprefix("Value error, ").removeprefix("Assertion failed, "), ""
    if kind == "literal_error":
        options = _EXPECTED.findall(str(error.get("ctx", {}).get("expected", "")))
        hint = suggestion(str(value), options, "choice") if options else ""
        if options and not closest(str(value), options):
            hint = "choose one of " + ", ".join(options)
        return f"'{value}' is not allowed here", hint
    if kind == "string_pattern_mismatch":
        pattern = str(error.get("ctx", {}).get("pattern", ""))
        if "a-z" in pattern:
            fixed = re.sub(r"[^a-z0-9_]+", "_", str(value).lower()).strip("_")
            return (
                f"'{value}' is not a valid id: use lower-case letters, digits and underscores",
                f"write '{fixed}'" if fixed else "",
            )
        if r"\d{20}" in pattern:
            return f"'{value}' is not a 20-digit APP-6 / 2525D symbol code", ""
        if "#" in pattern:
            return f"'{value}' is not a colour", "write a hex colour such as '#1f77b4'"
        if r"\d{4}" in pattern:
            return f"'{value}' is not a month", "write the start month as 'YYYY-MM', e.g. '2025-01'"
        return f"'{value}' does not have the expected form", ""
    if kind in ("unknown_condition", "unknown_effect"):
        keys = list(value) if isinstance(value, dict) else []
        vocabulary = message.split("one of ", 1)[-1].split(", ")
        hint = suggestion(str(keys[0]), vocabulary, "keyword") if keys else ""
        return message, hint
    if kind in _EXPECTED_TYPES:
        expected, hint = _EXPECTED_TYPES[kind]
        return f"expected {expected} (found {_describe_input(value)})", hint
    text = message.replace("Input should be", "expected").replace("Input", "value")
    return f"{text} (found {_describe_input(value)})", ""


def _misspelt_fields(errors: Sequence[ErrorDetails], root: type[BaseModel]) -> set[PathKey]:
    """Locations of missing fields that an unknown field beside them is a misspelling of.

    ``strenght: 4`` makes pydantic report an unknown ``strenght`` and a missing
    ``strength``; the author made one mistake, so only the unknown field is reported (its
    hint names ``strength``).
    """
    found: set[PathKey] = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            *parent, name = error["loc"]
            match = closest(str(name), allowed_fields(root, parent))
            if match:
                found.add((*parent, match))
    return found


def diagnostics_from(
    exc: ValidationError, root: type[BaseModel], marks: Marks, fallback_file: str
) -> list[Diagnostic]:
    """One diagnostic per distinct location in a pydantic ``ValidationError``."""
    found: list[Diagnostic] = []
    seen: set[PathKey] = set()
    errors = exc.errors(include_url=False)
    misspelt = _misspelt_fields(errors, root)
    for error in errors:
        location = tuple(error["loc"])
        if error["type"] == "missing" and location in misspelt:
            continue
        path = yaml_path(root, marks, location)
        if path in seen:
            continue
        seen.add(path)
        kind = error["type"]
        if location and location[-1] == "[key]":
            # A bad mapping key (``Poland:``) is written at the key, not at the value below it.
            message, hint = _friendly(error)
            mark = marks.locate(path, prefer_key=True)
        elif kind == "extra_forbidden":
            name = str(location[-1])
            message = f"unknown field '{name}'"
            hint = suggestion(name, allowed_fields(root, location[:-1]), "field")
            mark = marks.locate(path, prefer_key=True)
        elif kind == "missing":
            name = str(location[-1])
            message = f"missing required field '{name}'"
            hint = f"add '{name}: ...' here"
            path = yaml_path(root, marks, location[:-1])
            mark = marks.locate(path)
        else:
            message, hint = _friendly(error)
            mark = marks.locate(path)
        file = mark.file if mark.line else fallback_file
        found.append(
            Diagnostic("error", file, mark.line, mark.column, format_path(path), message, hint)
        )
    return found
