"""The variants of an experiment: the scenario, the variant files, and the points of sweeps.

Every variant is loaded and checked here, in the main process, before any game runs.  A
variant then travels to the workers as its *source*: the text of every file it was built
from, with the path to load.  Workers load from those texts (``MemoryFiles``), never from
their own disk, so a remote Dask worker needs no copy of the scenarios and every worker
plays exactly the content that was checked, even if a file changes during a long run.

A sweep point is an overlay on the scenario: a small variant file that ``extends:`` it and
sets one value (``tracks.credibility.europe: 40``).  It is built and loaded in memory,
with the scenario's own files, so a bad path or value is reported by the content loader
like any variant's mistake; once the experiment runs, the overlay is written into the
output folder so that each of its games can be replayed with ``redline run``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from engine.content import LoadedGame, load_game
from engine.content.source import MemoryFiles
from engine.core.spec import GameSpec
from engine.errors import ContentError, Diagnostic, RedlineError

Scalar = int | float | bool | str
"""A value a sweep can give: what a YAML scalar in a scenario holds."""

MAX_SWEEP_POINTS = 1000
"""More points than any sweep needs; a typo in a range (a tiny step) is refused instead."""


class SweepError(RedlineError):
    """A ``--sweep`` that cannot be read (its path or values are malformed)."""


@dataclass(frozen=True)
class VariantSource:
    """What a worker needs to load a variant: the path to load and the text of every file
    it is built from.  ``key`` (a digest of both) names it in the workers' caches."""

    path: str
    texts: tuple[tuple[str, str], ...]
    key: str

    @classmethod
    def of(cls, path: str, texts: Mapping[str, str]) -> VariantSource:
        pairs = tuple(sorted(texts.items()))
        digest = hashlib.sha256(path.encode())
        for name, text in pairs:
            digest.update(b"\0" + name.encode() + b"\0" + text.encode())
        return cls(path, pairs, digest.hexdigest()[:16])

    def load(self) -> LoadedGame:
        """The game, built from the texts alone."""
        return load_game(Path(self.path), MemoryFiles(dict(self.texts)))


@dataclass(frozen=True)
class Sweep:
    """One ``--sweep PATH=VALUES``: a key path into the scenario's data and the values to
    give it, one variant each."""

    text: str
    path: tuple[str, ...]
    values: tuple[Scalar, ...]

    @property
    def dotted(self) -> str:
        return ".".join(self.path)

    def label(self, value: Scalar) -> str:
        """``tracks.credibility.europe=40``: how a point is named in tables and files."""
        return f"{self.dotted}={show_value(value)}"


@dataclass(frozen=True)
class Variant:
    """A scenario variant, loaded and checked, ready to be played and reported."""

    label: str
    file: str
    """The file a user replays a game of it from (as given, or the sweep's overlay)."""
    game: LoadedGame
    source: VariantSource
    sweep: tuple[str, Scalar] | None = None
    """For a sweep point: the key path (dotted) and the value it was given."""
    overlay: str = ""
    """For a sweep point: the text of its overlay file, written to ``file`` before games run."""

    @property
    def spec(self) -> GameSpec:
        return self.game.spec


class VariantProblems(RedlineError):
    """Variants that cannot be loaded: for each, what was asked for and its diagnostics."""

    def __init__(self, problems: Sequence[tuple[str, Sequence[Diagnostic]]]) -> None:
        super().__init__("; ".join(what for what, _ in problems))
        self.problems = tuple((what, tuple(found)) for what, found in problems)


def show_value(value: Scalar) -> str:
    """A value as it is written in a scenario (``true``, ``40``, ``0.5``, ``gray_zone``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _scalar(text: str) -> Scalar:
    """A sweep value as YAML would read it: a number, true/false, or else text."""
    cleaned = text.strip()
    lowered = cleaned.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    try:
        return int(cleaned)
    except ValueError:
        pass
    try:
        number = float(cleaned)
    except ValueError:
        return cleaned
    if not math.isfinite(number):
        return cleaned
    return number


def _decimal(text: str, sweep: str, what: str) -> Decimal:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        raise SweepError(f"--sweep {sweep}: the {what} '{text}' is not a number") from None
    if not number.is_finite():
        raise SweepError(f"--sweep {sweep}: the {what} '{text}' is not a number")
    return number


def _range(text: str, sweep: str) -> tuple[Scalar, ...]:
    """``START:STOP:STEP``, STOP included when a step lands on it.  Counted in decimals,
    so ``0.1:0.3:0.1`` gives 0.1, 0.2 and 0.3 and not 0.30000000000000004."""
    parts = text.split(":")
    if len(parts) != 3:
        raise SweepError(f"--sweep {sweep}: write a range as START:STOP:STEP, e.g. 40:60:10")
    start, stop, step = (
        _decimal(part, sweep, what)
        for part, what in zip(parts, ("start", "stop", "step"), strict=True)
    )
    if step == 0 or (stop - start) * step < 0:
        raise SweepError(
            f"--sweep {sweep}: the step {step} never takes {start} to {stop}; "
            "give a step with the sign of STOP - START"
        )
    count = int((stop - start) / step) + 1
    if count > MAX_SWEEP_POINTS:
        raise SweepError(
            f"--sweep {sweep}: {count} points is more than {MAX_SWEEP_POINTS}; use a larger step"
        )
    whole = all(part.strip().lstrip("+-").isdigit() for part in parts)
    points = [start + index * step for index in range(count)]
    return tuple(int(p) if whole else float(p) for p in points)


_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def parse_sweep(text: str) -> Sweep:
    """Read ``PATH=V1,V2,V3`` or ``PATH=START:STOP:STEP`` (STOP included)."""
    path_text, sep, values_text = text.partition("=")
    if not sep or not path_text.strip() or not values_text.strip():
        raise SweepError(
            f"--sweep {text}: write PATH=V1,V2,... or PATH=START:STOP:STEP, "
            "e.g. --sweep tracks.credibility.europe=40,50,60"
        )
    path = tuple(part.strip() for part in path_text.strip().split("."))
    bad = [part for part in path if not _KEY.match(part)]
    if bad:
        raise SweepError(
            f"--sweep {text}: '{path_text.strip()}' is not a key path; write the keys of the "
            "scenario's YAML joined by dots, e.g. tracks.credibility.europe"
        )
    if path[0] in ("extends", "ruleset", "doctrine"):
        raise SweepError(
            f"--sweep {text}: '{path[0]}' names a file; a sweep changes one value of the "
            "scenario, so run each file as a --variant instead"
        )
    if ":" in values_text and "," not in values_text:
        values = _range(values_text, text)
    else:
        values = tuple(_scalar(v) for v in values_text.split(","))
        if any(v == "" for v in values):
            raise SweepError(f"--sweep {text}: a value is empty; write V1,V2,V3")
    labels = [show_value(v) for v in values]
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if repeated:
        raise SweepError(f"--sweep {text}: {', '.join(repeated)} is given twice")
    return Sweep(text, path, values)


def overlay_text(scenario: Path, overlay: Path, sweep: Sweep, value: Scalar) -> str:
    """The variant file of one sweep point: ``extends:`` the scenario (relative to where
    the overlay is written) and the one value, each key on its own line so that the
    loader's marks point at the key that is wrong."""
    target, folder = os.path.abspath(scenario), os.path.abspath(overlay.parent)
    shared = os.path.commonpath([target, folder])
    # Relative when both live under one project folder (the overlay keeps working if the
    # project moves); absolute when they only share the root.
    base = os.path.relpath(target, folder) if shared != os.path.dirname(shared) else target
    lines = [
        f"# A point of a sweep by 'redline analyze': {sweep.label(value)}",
        f"extends: {json.dumps(Path(base).as_posix())}",
    ]
    for depth, key in enumerate(sweep.path):
        lines.append("  " * depth + f"{key}:")
    lines[-1] += " " + json.dumps(value)
    return "\n".join(lines) + "\n"


def _absolute(texts: Mapping[str, str]) -> dict[str, str]:
    """A game's sources keyed by absolute path, so that an overlay written elsewhere
    finds the scenario it extends whatever the working folder."""
    return {os.path.abspath(name): text for name, text in texts.items()}


def _shown(name: str) -> str:
    """A file name as a user reads it: relative to the working folder when under it."""
    if not os.path.isabs(name):
        return name
    relative = os.path.relpath(name)
    return name if relative.startswith("..") else relative


def load_file_variant(path: Path, label: str) -> Variant:
    """A scenario or variant file from disk; ``ContentError`` lists every problem."""
    game = load_game(path)
    source = VariantSource.of(os.path.abspath(path), _absolute(game.sources))
    return Variant(label, str(path), game, source)


def load_sweep_point(base: Variant, sweep: Sweep, value: Scalar, overlay: Path) -> Variant:
    """The variant of one sweep point, built in memory as an overlay on ``base``.

    A problem in the overlay is reported at ``--sweep PATH=VALUE`` with the field path the
    loader gives; problems elsewhere (a reference the new value breaks) keep their files.
    """
    label = sweep.label(value)
    text = overlay_text(Path(base.file), overlay, sweep, value)
    where = os.path.abspath(overlay)
    texts = {**dict(base.source.texts), where: text}
    source = VariantSource.of(where, texts)
    try:
        game = source.load()
    except ContentError as exc:
        raise ContentError(
            [
                replace(d, file=f"--sweep {label}", line=0, column=0)
                if d.file == where
                else replace(d, file=_shown(d.file))
                for d in exc.diagnostics
            ]
        ) from None
    return Variant(label, str(overlay), game, source, (sweep.dotted, value), text)


def _labels(paths: Sequence[Path]) -> list[str]:
    """Short names for the files: the file name without ``.yaml`` when that is unique."""
    stems = [p.stem for p in paths]
    return [
        stem if stems.count(stem) == 1 else str(p) for stem, p in zip(stems, paths, strict=True)
    ]


def _overlay_name(scenario: Path, index: int, label: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._=+-]", "_", label)
    return f"{scenario.stem}-sweep{index}-{safe}.yaml"


def load_variants(
    scenario: Path,
    variant_files: Sequence[Path] = (),
    sweeps: Sequence[Sweep] = (),
    overlay_dir: Path = Path("analysis") / "variants",
) -> list[Variant]:
    """Load the scenario, every variant file and every sweep point, in that order.

    Everything is checked before anything is returned: :class:`VariantProblems` lists each
    variant that cannot be loaded with its diagnostics (a sweep over a scenario that does
    not load is not tried).  Sweep overlays are named for files in ``overlay_dir``, where
    the caller writes them (:attr:`Variant.overlay`) before the games run.
    """
    paths = [scenario, *variant_files]
    repeated = sorted({str(p) for p in paths if paths.count(p) > 1})
    if repeated:
        raise VariantProblems(
            [
                (
                    name,
                    [Diagnostic("error", name, 0, 0, "", "given twice: a variant is played once")],
                )
                for name in repeated
            ]
        )
    problems: list[tuple[str, Sequence[Diagnostic]]] = []
    variants: list[Variant] = []
    for path, label in zip(paths, _labels(paths), strict=True):
        try:
            variants.append(load_file_variant(path, label))
        except ContentError as exc:
            problems.append((str(path), exc.diagnostics))
    if variants and variants[0].file == str(scenario):
        index = 0
        seen = {v.label for v in variants}
        for sweep in sweeps:
            for value in sweep.values:
                index += 1
                label = sweep.label(value)
                if label in seen:
                    problems.append((f"--sweep {label}", [_given_twice(label)]))
                    continue
                seen.add(label)
                overlay = overlay_dir / _overlay_name(scenario, index, label)
                try:
                    variants.append(load_sweep_point(variants[0], sweep, value, overlay))
                except ContentError as exc:
                    problems.append((f"--sweep {label}", exc.diagnostics))
    if problems:
        raise VariantProblems(problems)
    return variants


def _given_twice(label: str) -> Diagnostic:
    return Diagnostic("error", f"--sweep {label}", 0, 0, "", "this point is given twice")
