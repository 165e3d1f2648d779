"""Read YAML into plain data while remembering where every value came from.

PyYAML's C safe loader composes the node graph; we build the Python values ourselves so
that each path (``("areas", "poland", "lat")``) keeps its file, line and column, and so that
a key written twice in one mapping is reported instead of silently overwritten.  Scalars
are resolved by PyYAML's ``SafeConstructor``: nothing in a file is evaluated as code.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from engine.errors import Diagnostic

PathKey = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Mark:
    file: str
    line: int
    column: int


@dataclass
class Marks:
    """Where each path of a document was written: its value and, for mapping entries, its key."""

    values: dict[PathKey, Mark] = field(default_factory=dict)
    keys: dict[PathKey, Mark] = field(default_factory=dict)

    def update(self, other: Marks) -> None:
        self.values.update(other.values)
        self.keys.update(other.keys)

    def locate(self, path: PathKey, *, prefer_key: bool = False) -> Mark:
        """The mark of the longest prefix of ``path`` that was written in a file."""
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefer_key and prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return Mark("<unknown>", 0, 0)


@dataclass
class Document:
    """One parsed YAML file: its data, the marks of its paths, and the problems found."""

    path: Path
    data: Any
    marks: Marks
    diagnostics: list[Diagnostic]


_SAFE = yaml.SafeLoader


MAX_VALUES = 200_000
"""More values than any real file has: a file that expands past this (through aliases
that repeat aliases, the 'billion laughs') is refused instead of filling memory."""


class ValueProblem(Exception):
    """A value that cannot be built: an alias that refers to itself, aliases that expand a
    file past MAX_VALUES, or a tag that names a type (``!!python/...``, ``!custom``)."""

    def __init__(
        self,
        node: yaml.Node,
        message: str,
        hint: str = "write the repeated values out instead of nesting aliases",
    ) -> None:
        super().__init__(message)
        self.node = node
        self.message = message
        self.hint = hint


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.marks = Marks()
        self.diagnostics: list[Diagnostic] = []
        self._constructor = yaml.constructor.SafeConstructor()
        self._open: set[int] = set()
        """Collections being built: meeting one again means an alias refers to itself."""
        self._built = 0

    def mark(self, node: yaml.Node) -> Mark:
        return Mark(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self._built += 1
        if self._built > MAX_VALUES:
            raise ValueProblem(node, f"the file expands to more than {MAX_VALUES:,} values")
        self.marks.values[path] = self.mark(node)
        if not isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            try:
                return self._constructor.construct_object(node, deep=True)
            except yaml.constructor.ConstructorError:
                raise ValueProblem(
                    node, f"unsupported YAML tag '{node.tag}'", "write plain text, numbers or lists"
                ) from None
        if id(node) in self._open:
            raise ValueProblem(node, "an alias refers to the value that contains it")
        self._open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        finally:
            self._open.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_seen: dict[Any, Mark] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._error(
                    key_node,
                    path,
                    "YAML merge keys ('<<') are not supported",
                    "write the values out, or use a variant scenario with 'extends'",
                )
                continue
            key = self.build(key_node, (*path, "<key>"))
            if not isinstance(key, str | int | float | bool) or key is None:
                self._error(key_node, path, "a mapping key must be a plain name", "")
                continue
            if isinstance(key, bool) and isinstance(key_node, yaml.ScalarNode):
                # YAML 1.1 reads a plain 'on:', 'yes:' or 'off:' key as a boolean; a key is
                # a name here, so keep it as written (the trigger field 'on' needs this).
                key = key_node.value
            key = str(key) if not isinstance(key, str) else key
            if key in first_seen:
                first = first_seen[key]
                self._error(
                    key_node,
                    (*path, key),
                    f"duplicate key '{key}' (first written at line {first.line})",
                    "remove one of the two, or merge their contents",
                )
                continue
            first_seen[key] = self.mark(key_node)
            self.marks.keys[(*path, key)] = self.mark(key_node)
            result[key] = self.build(value_node, (*path, key))
        self.marks.values.pop((*path, "<key>"), None)
        return result

    def _error(self, node: yaml.Node, path: PathKey, message: str, hint: str) -> None:
        mark = self.mark(node)
        self.diagnostics.append(
            Diagnostic("error", mark.file, mark.line, mark.column, format_path(path), message, hint)
        )


def format_path(path: PathKey) -> str:
    """``areas.poland.lat`` or ``adjacency[3][1]``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return (
            "check the indentation: a nested value must be indented more than its key; "
            "text that contains ': ' must be in quotes"
        )
    if "expected <block end>" in problem or "did not find expected key" in problem:
        return "check the indentation of this line against the lines above it"
    if "found character '\\t'" in problem or "tab character" in problem:
        # PyYAML says "found character '\t'", libyaml "found a tab character".
        return "YAML does not allow tabs for indentation; use spaces"
    if "could not find expected ':'" in problem:
        return "a key must be followed by ':' and a space"
    return "check the line for a missing ':' or quote, or inconsistent indentation"


class Files(Protocol):
    """Where content files are read from: the disk, or the copies a saved game embeds."""

    def read(self, path: Path) -> str:
        """The text of ``path``; ``FileNotFoundError`` when there is no such file."""
        ...


class DiskFiles:
    """Files on disk, as written by their authors."""

    def read(self, path: Path) -> str:
        return path.read_text(encoding="utf-8")


class MemoryFiles:
    """Files held in memory by normalised relative path, such as a save's embedded content.

    Paths are normalised the way the loader joins them (``scenarios/../rules/x.yaml`` is
    ``rules/x.yaml``), so a scenario finds its ruleset as it did on disk.
    """

    def __init__(self, texts: Mapping[str, str]) -> None:
        self.texts = {os.path.normpath(name): text for name, text in texts.items()}

    def read(self, path: Path) -> str:
        """The text of ``path``.  An absolute path, as a scenario may give for its ruleset,
        is found by the part of it under the folder the files were embedded from."""
        name = os.path.normpath(path)
        if name in self.texts:
            return self.texts[name]
        if os.path.isabs(name):
            posix = Path(name).as_posix()
            tails = [key for key in self.texts if posix.endswith("/" + Path(key).as_posix())]
            if tails:
                return self.texts[max(tails, key=len)]
        raise FileNotFoundError(str(path))


class RecordingFiles:
    """Reads through another source and keeps every text read, for a save to embed."""

    def __init__(self, inner: Files) -> None:
        self.inner = inner
        self.texts: dict[str, str] = {}

    def read(self, path: Path) -> str:
        text = self.inner.read(path)
        self.texts[os.path.normpath(path)] = text
        return text


DISK = DiskFiles()


def read_document(path: Path, display: str | None = None, files: Files = DISK) -> Document:
    """Parse one YAML file.  Errors (syntax, duplicates, unreadable file) are collected."""
    name = display or str(path)
    try:
        text = files.read(path)
    except FileNotFoundError:
        return Document(
            path, None, Marks(), [Diagnostic("error", name, 0, 0, "", "file not found")]
        )
    except (OSError, UnicodeDecodeError) as exc:
        return Document(
            path, None, Marks(), [Diagnostic("error", name, 0, 0, "", f"cannot read file: {exc}")]
        )
    return parse_text(text, name, path)


def parse_text(text: str, name: str, path: Path | None = None) -> Document:
    builder = _Builder(name)
    loader = yaml.CSafeLoader(text) if yaml.__with_libyaml__ else _SAFE(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context == "while scanning a simple key" and exc.context_mark:
            # A key without its ':' is noticed only on the next line; the key is the mistake.
            mark = exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = str(exc.problem or exc.context or "invalid YAML")
        return Document(
            path or Path(name),
            None,
            Marks(),
            [
                Diagnostic(
                    "error",
                    name,
                    line,
                    column,
                    "",
                    f"YAML syntax error: {problem}",
                    _syntax_hint(problem),
                )
            ],
        )
    except yaml.YAMLError as exc:
        return Document(
            path or Path(name),
            None,
            Marks(),
            [Diagnostic("error", name, 0, 0, "", f"YAML error: {exc}")],
        )
    finally:
        loader.dispose()
    if node is None:
        return Document(
            path or Path(name),
            None,
            Marks(),
            [Diagnostic("error", name, 1, 1, "", "the file is empty")],
        )
    try:
        data = builder.build(node, ())
    except ValueProblem as problem:
        where = builder.mark(problem.node)
        return Document(
            path or Path(name),
            None,
            Marks(),
            [
                Diagnostic(
                    "error",
                    name,
                    where.line,
                    where.column,
                    "",
                    problem.message,
                    problem.hint,
                )
            ],
        )
    return Document(path or Path(name), data, builder.marks, builder.diagnostics)
