"""Reading and writing saves: atomic, checked, versioned, optionally compressed.

Writing goes through a temporary file, fsync and rename, so a save on disk is always a
complete one: the previous version or the new.  Reading checks everything before anything
is used: that the file is complete JSON (or complete gzip), that it is a Redline save of a
version this Redline reads (older versions are migrated), that its checksum matches its
contents, and that every field has the shape it must.  Any failure is one
:class:`~engine.errors.SaveError` naming the file and the problem.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from engine import __version__
from engine.errors import SaveError
from engine.files import atomic_write_bytes
from engine.saves.codec import CodecError
from engine.saves.game import FORMAT, FORMAT_VERSION, SavedGame

Migration = Callable[[dict[str, Any]], dict[str, Any]]
MIGRATIONS: dict[int, Migration] = {}
"""``MIGRATIONS[n]`` turns a document of format version ``n`` into one of ``n + 1``."""

AUTOSAVE_KEEP = 3
"""How many per-turn copies an :class:`Autosave` keeps besides the save itself."""


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def checksum(document: dict[str, Any]) -> str:
    """SHA-256 of the document's canonical JSON, its own ``checksum`` left out."""
    body = {key: value for key, value in document.items() if key != "checksum"}
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def save_text(game: SavedGame) -> str:
    """The save as JSON text: one field per line and one turn per line, for readable diffs."""
    document = game.to_document()
    document = {"checksum": checksum(document), **document}
    lines = []
    for key, value in document.items():
        if key == "turns" and value:
            body = "[\n" + ",\n".join(_json(turn) for turn in value) + "\n]"
        else:
            body = _json(value)
        lines.append(f"{_json(key)}:{body}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def write_save(path: Path, game: SavedGame) -> None:
    """Write ``game`` to ``path`` atomically; gzip-compressed when the name ends in ``.gz``."""
    data = save_text(game).encode("utf-8")
    if path.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise SaveError(path, f"cannot write: {exc.strerror or exc}") from None


def read_save(path: Path) -> SavedGame:
    """Read and check a save; :class:`SaveError` says what is wrong with a bad one."""
    document = _parse(path, _read_bytes(path))
    document = _upgrade(path, document)
    try:
        return SavedGame.from_document(document)
    except CodecError as exc:
        raise SaveError(path, f"malformed save: {exc}") from None


def _read_bytes(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SaveError(path, "no such file") from None
    except IsADirectoryError:
        raise SaveError(path, "is a directory, not a save") from None
    except OSError as exc:
        raise SaveError(path, f"cannot read: {exc.strerror or exc}") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError, zlib.error):
            raise SaveError(path, "the compressed save is truncated or corrupt") from None
    return raw


def _parse(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SaveError(
            path, f"not a Redline save: byte {exc.start} is not UTF-8 text (the file is corrupt)"
        ) from None
    if not text.strip():
        raise SaveError(path, "the file is empty")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SaveError(
            path,
            f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}); "
            "the file is truncated or corrupt",
        ) from None
    except (ValueError, RecursionError) as exc:
        raise SaveError(path, f"not valid JSON ({exc}); the file is corrupt") from None
    if not isinstance(document, dict) or "format" not in document:
        raise SaveError(path, "not a Redline save (it has no 'format' field)")
    return document


def _upgrade(path: Path, document: dict[str, Any]) -> dict[str, Any]:
    """Check the format and version and the checksum, and migrate an older version."""
    kind = document.get("format")
    if kind == "redline-run":
        seed = document.get("seed")
        again = f" --seed {seed}" if isinstance(seed, int) else ""
        raise SaveError(
            path,
            "this is a game record from an earlier Redline, which does not embed its content "
            f"and cannot be replayed; play it again with 'redline run SCENARIO{again} --out FILE'",
        )
    if kind != FORMAT:
        raise SaveError(path, f"not a Redline save (format {kind!r}, expected '{FORMAT}')")
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SaveError(path, f"the save format version is {version!r}, not a number")
    if version > FORMAT_VERSION:
        raise SaveError(
            path,
            f"written by a newer Redline ({document.get('engine_version', '?')}, save format "
            f"{version}); this Redline {__version__} reads save format {FORMAT_VERSION} at most",
        )
    if version < FORMAT_VERSION and version not in MIGRATIONS:
        raise SaveError(
            path, f"save format {version} is older than any this Redline can read or migrate"
        )
    if document.get("checksum") != checksum(document):
        raise SaveError(
            path,
            "the checksum does not match the contents: the file was damaged or edited after "
            "it was written",
        )
    while document["format_version"] < FORMAT_VERSION:
        document = MIGRATIONS[document["format_version"]](document)
    return document


class Autosave:
    """Saves a game after every turn: the save itself, and a copy per turn of which the
    last :data:`AUTOSAVE_KEEP` are kept in an ``autosave`` folder beside it.

    Each write is atomic, so killing the process at any moment loses at most the turn in
    progress, and an older copy is there if a later turn must be undone.
    """

    def __init__(self, path: Path, keep: int = AUTOSAVE_KEEP) -> None:
        self.path = path
        self.keep = keep
        self.folder = path.parent / "autosave"

    def copy_name(self, turn: int) -> Path:
        """``game.json`` -> ``autosave/game.turn-007.json``; only the save's own extension
        (``.json``, ``.json.gz``) is moved after the turn, so ``crisis.v1.json`` and
        ``crisis.v2.json`` keep copies of their own."""
        name = self.path.name
        extension = ".json.gz" if name.endswith(".json.gz") else self.path.suffix
        stem = name[: len(name) - len(extension)] if extension else name
        return self.folder / f"{stem}.turn-{turn:03d}{extension or '.json'}"

    def __call__(self, game: SavedGame) -> None:
        write_save(self.path, game)
        if self.keep <= 0 or not game.turns:
            return
        try:
            self.folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise SaveError(self.folder, f"cannot create: {exc.strerror or exc}") from None
        write_save(self.copy_name(game.turns[-1].turn), game)
        prefix = self.copy_name(0).name.split(".turn-")[0] + ".turn-"
        copies = sorted(
            (p for p in self.folder.iterdir() if p.name.startswith(prefix)),
            key=lambda p: (p.stat().st_mtime_ns, p.name),
        )
        for old in copies[: -self.keep]:
            old.unlink(missing_ok=True)
