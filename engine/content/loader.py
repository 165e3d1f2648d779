"""Load rulesets and scenarios: parse, validate, check references, build.

The only entry points the rest of Redline needs are :func:`load_game` (a scenario file to
a ready :class:`LoadedGame`, or a :class:`~engine.errors.ContentError` listing every
problem) and :func:`check_paths` (what ``redline validate`` prints).  A scenario may name
another with ``extends:`` and change a few values: mappings merge key by key, ``null``
removes a key, and any other value (lists included) replaces the one it overlays.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from engine.ai.doctrine import DoctrineSet
from engine.content import schema as s
from engine.content.build import Translator, doctrine_set, game_spec
from engine.content.messages import closest, diagnostics_from
from engine.content.references import ReferenceChecker, check_doctrine
from engine.content.source import DISK, Document, Files, Marks, RecordingFiles, read_document
from engine.core.spec import GameSpec
from engine.errors import ContentError, Diagnostic

M = TypeVar("M", bound=BaseModel)

MAX_EXTENDS_DEPTH = 8


@dataclass(frozen=True)
class LoadedGame:
    """A scenario ready to play, with the merged source data kept for saves to embed."""

    spec: GameSpec
    ruleset: s.Ruleset
    scenario: s.Scenario
    ruleset_data: dict[str, Any]
    scenario_data: dict[str, Any]
    ruleset_path: Path
    scenario_path: Path
    warnings: tuple[Diagnostic, ...]
    doctrine: DoctrineSet | None = None
    """The doctrines the scenario names, for the actors the computer plays."""
    sources: Mapping[str, str] = field(default_factory=dict)
    """The text of every file the game was built from, by the path it was read at: what a
    saved game embeds so that it replays after the files change."""


def _error(
    file: str, message: str, hint: str = "", line: int = 0, column: int = 0, path: str = ""
) -> Diagnostic:
    return Diagnostic("error", file, line, column, path, message, hint)


def _missing_file_hint(declared: str, missing: Path) -> str:
    """Where a named file is looked for, and the closest YAML file beside it: a misspelt
    ``ruleset:`` or ``extends:`` is far more common than a file that is truly absent."""
    hint = "the path is relative to this file"
    if not missing.parent.is_dir():
        return hint
    names = [p.name for p in missing.parent.iterdir() if p.suffix in (".yaml", ".yml")]
    match = closest(missing.name, names)
    if match:
        return f"{hint}; did you mean '{(Path(declared).parent / match).as_posix()}'?"
    return hint


def _merge(base: Any, overlay: Any) -> Any:
    if isinstance(base, dict) and isinstance(overlay, dict):
        merged = dict(base)
        for key, value in overlay.items():
            if value is None:
                merged.pop(key, None)
            elif key in merged:
                merged[key] = _merge(merged[key], value)
            else:
                merged[key] = value
        return merged
    return copy.deepcopy(overlay)


def read_scenario_document(
    path: Path, chain: tuple[Path, ...] = (), files: Files = DISK
) -> Document:
    """Read a scenario, applying its ``extends:`` chain; marks point into the right files."""
    document = read_document(path, files=files)
    data = document.data
    if document.diagnostics or not isinstance(data, dict) or "extends" not in data:
        return document
    target = data["extends"]
    mark = document.marks.locate(("extends",))
    if not isinstance(target, str) or not target:
        document.diagnostics.append(
            _error(
                str(path),
                "'extends' must name a scenario file",
                "",
                mark.line,
                mark.column,
                "extends",
            )
        )
        return document
    base_file = Path(os.path.normpath(path.parent / target))
    base_path = base_file.resolve()
    if base_path in chain or path.resolve() == base_path or len(chain) >= MAX_EXTENDS_DEPTH:
        document.diagnostics.append(
            _error(
                str(path),
                f"'extends: {target}' makes a cycle",
                "a variant cannot extend itself, directly or not",
                mark.line,
                mark.column,
                "extends",
            )
        )
        return document
    base = read_scenario_document(base_file, (*chain, path.resolve()), files)
    if base.data is None and not base.diagnostics:
        base.diagnostics.append(_error(str(base_file), "the base scenario is empty"))
    if base.diagnostics:
        document.diagnostics.extend(base.diagnostics)
        if not base.diagnostics[0].line and "not found" in base.diagnostics[0].message:
            document.diagnostics[-1] = _error(
                str(path),
                f"'extends' names a missing file: {target}",
                _missing_file_hint(target, base_file),
                mark.line,
                mark.column,
                "extends",
            )
        return document
    overlay = {k: v for k, v in data.items() if k != "extends"}
    marks = Marks()
    marks.update(base.marks)
    marks.update(document.marks)
    return Document(path, _merge(base.data, overlay), marks, [])


def _validate(model: type[M], document: Document) -> tuple[M | None, list[Diagnostic]]:
    if not isinstance(document.data, dict):
        return None, [
            _error(
                str(document.path),
                "the file must hold a mapping of fields",
                "start with 'ruleset: ID' or 'scenario: ID'",
                1,
                1,
            )
        ]
    try:
        return model.model_validate(document.data), []
    except ValidationError as exc:
        return None, diagnostics_from(exc, model, document.marks, str(document.path))


def _declared_path(scenario: Document, key: str) -> Path:
    """A path the scenario gives under ``key``, relative to the file that wrote it."""
    declared = scenario.data[key]
    origin = scenario.marks.locate((key,)).file
    base = Path(origin).parent if origin != "<unknown>" else scenario.path.parent
    return Path(os.path.normpath(base / declared))


def _ruleset_path(scenario: Document) -> Path:
    return _declared_path(scenario, "ruleset")


def _check_doctrine(
    document: Document, checker: ReferenceChecker, files: Files
) -> tuple[list[Diagnostic], s.Doctrine | None]:
    """Validate the doctrine file a scenario names against the scenario and its ruleset."""
    path = _declared_path(document, "doctrine")
    doctrine_doc = read_document(path, files=files)
    if doctrine_doc.diagnostics:
        if doctrine_doc.diagnostics[0].message == "file not found":
            mark = document.marks.locate(("doctrine",))
            return [
                Diagnostic(
                    "error",
                    mark.file,
                    mark.line,
                    mark.column,
                    "doctrine",
                    f"doctrine file not found: {path}",
                    _missing_file_hint(document.data["doctrine"], path),
                )
            ], None
        return doctrine_doc.diagnostics, None
    doctrine, problems = _validate(s.Doctrine, doctrine_doc)
    if doctrine is None:
        return problems, None
    before = len(checker.diagnostics)
    check_doctrine(checker, doctrine, doctrine_doc.marks)
    return checker.diagnostics[before:], doctrine


@dataclass
class _Checked:
    diagnostics: list[Diagnostic]
    game: LoadedGame | None = None


def _check_scenario(path: Path, files: Files = DISK) -> _Checked:
    recording = RecordingFiles(files)
    files = recording
    document = read_scenario_document(path, files=files)
    if document.diagnostics:
        return _Checked(document.diagnostics)
    scenario, problems = _validate(s.Scenario, document)
    ruleset_file = document.data.get("ruleset") if isinstance(document.data, dict) else None
    if not isinstance(ruleset_file, str):
        return _Checked(problems)
    ruleset_path = _ruleset_path(document)
    ruleset_doc = read_document(ruleset_path, files=files)
    if ruleset_doc.diagnostics and ruleset_doc.diagnostics[0].message == "file not found":
        mark = document.marks.locate(("ruleset",))
        return _Checked(
            [
                *problems,
                Diagnostic(
                    "error",
                    mark.file,
                    mark.line,
                    mark.column,
                    "ruleset",
                    f"ruleset file not found: {ruleset_path}",
                    _missing_file_hint(ruleset_file, ruleset_path),
                ),
            ]
        )
    ruleset, ruleset_problems = (
        _validate(s.Ruleset, ruleset_doc)
        if not ruleset_doc.diagnostics
        else (None, ruleset_doc.diagnostics)
    )
    problems = ruleset_problems + problems
    if scenario is None or ruleset is None:
        return _Checked(problems)
    checker = ReferenceChecker(ruleset, ruleset_doc.marks, scenario, document.marks)
    checker.check_scenario()
    problems.extend(checker.diagnostics)
    doctrine = None
    if scenario.doctrine is not None:
        doctrine_problems, doctrine = _check_doctrine(document, checker, files)
        problems.extend(doctrine_problems)
    if any(d.severity == "error" for d in problems):
        return _Checked(problems)
    game = LoadedGame(
        game_spec(ruleset, scenario),
        ruleset,
        scenario,
        ruleset_doc.data,
        document.data,
        ruleset_path,
        path,
        tuple(problems),
        doctrine_set(doctrine, Translator(ruleset, scenario)) if doctrine else None,
        dict(recording.texts),
    )
    return _Checked(problems, game)


def _check_ruleset(path: Path) -> list[Diagnostic]:
    document = read_document(path)
    if document.diagnostics:
        return document.diagnostics
    ruleset, problems = _validate(s.Ruleset, document)
    if ruleset is None:
        return problems
    checker = ReferenceChecker(ruleset, document.marks)
    checker.check_ruleset()
    return checker.diagnostics


def load_game(path: str | Path, files: Files = DISK) -> LoadedGame:
    """Load a scenario and its ruleset, or raise ``ContentError`` with every problem.

    ``files`` is where the scenario and every file it names are read: the disk, or the
    content embedded in a saved game.
    """
    checked = _check_scenario(Path(path), files)
    if checked.game is None:
        raise ContentError(checked.diagnostics)
    return checked.game


def _file_kind(path: Path) -> str:
    document = read_document(path)
    data = document.data
    if isinstance(data, dict):
        if "scenario" in data or "extends" in data:
            return "scenario"
        if "ruleset" in data:
            return "ruleset"
        if "doctrine" in data:
            return "doctrine"
    return "unknown"


def yaml_files(paths: Iterable[str | Path]) -> list[Path]:
    """The YAML files named, directories searched recursively, in a stable order."""
    found: list[Path] = []
    for entry in map(Path, paths):
        if entry.is_dir():
            found.extend(sorted(p for p in entry.rglob("*") if p.suffix in (".yaml", ".yml")))
        else:
            found.append(entry)
    return found


def check_paths(paths: Iterable[str | Path]) -> list[Diagnostic]:
    """Every diagnostic for the files and directories given, each reported once."""
    results: list[Diagnostic] = []
    for path in yaml_files(paths):
        if not path.exists():
            results.append(_error(str(path), "file not found"))
            continue
        kind = _file_kind(path)
        if kind == "scenario":
            results.extend(_check_scenario(path).diagnostics)
        elif kind == "ruleset":
            results.extend(_check_ruleset(path))
        elif kind == "doctrine":  # its references are checked with the scenarios naming it
            results.extend(_validate(s.Doctrine, read_document(path))[1])
        else:
            parsed = read_document(path)
            results.extend(
                parsed.diagnostics
                or [
                    _error(
                        str(path),
                        "not a ruleset or a scenario",
                        "start the file with 'ruleset: ID' or 'scenario: ID'",
                        1,
                        1,
                    )
                ]
            )
    unique: dict[tuple[str, int, int, str], Diagnostic] = {}
    for diagnostic in results:
        unique.setdefault(
            (diagnostic.file, diagnostic.line, diagnostic.column, diagnostic.message), diagnostic
        )
    return sorted(unique.values(), key=lambda d: (d.file, d.line, d.column))
