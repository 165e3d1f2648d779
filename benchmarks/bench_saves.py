"""Saved games: size per turn, replay speed, and seeking in a long game.

Every game is played headless with the doctrine bot on every actor of the scenario
(``--scenario``, default ``scenarios/default.yaml``) and recorded as ``redline play`` records
it: :func:`engine.saves.new_save`, then :class:`engine.saves.Recorder` as ``play_game``'s
``on_turn``.  Three measurements:

(1) **Size.**  For each of ``--seeds`` seeds, the whole game is saved with
    :func:`engine.saves.write_save`, plain (``.json``) and gzip-compressed (``.json.gz``), and
    so is the same save with no turns (its turns and keyframes removed): the size per turn
    is (size after N turns - size with no turns) / N, averaged over the seeds.  The
    breakdown parses :func:`~engine.saves.store.save_text` with ``json.loads`` and measures
    each part as ``json.dumps(part, ensure_ascii=False, separators=(",", ":"))`` in UTF-8
    bytes, as the file writes it: the orders, the bots' reasons, the events (with any
    control events), the digests, the keyframes and the symbols table; the rest of the
    difference (each turn's number, date, keys, commas and newline) is shown as framing.
    Which strings of the symbols table only one part needs is measured by saving the game
    again without that part.  The embedded content is a fixed cost, shown apart.  The
    target is at most 5 KB (5,000 bytes) a turn uncompressed; the output says whether the
    mean meets it.
(2) **Replay.**  ``read_save`` and the construction of :class:`engine.saves.Replay` (which
    rebuilds the game from the content the save embeds) are timed as "open", then
    ``Replay.verify()`` of that fresh replay (every turn resolved again and checked) as
    turns per second.  Each run's replay is dropped before the next is built.
(3) **Seeking.**  A variant of the scenario that ``extends:`` it with ``turns:
    --long-turns`` (100) is written to a temporary folder, played once (seed
    ``--long-seed``) and saved; then for turns 10, 50, 90, the last turn played and the end
    of the game, ``Replay(read_save(path), path).state_at(turn)`` on a fresh ``Replay``:
    from a cold open (read, content load, seek) and the seek alone, against the same save
    with its keyframes removed, which replays every turn from turn 1.

Every timing is one untimed warm-up, then ``--repeat`` runs: the median and the fastest are
reported.  The garbage collector stays on, as in real use.  The process is pinned to CPU 0
with ``os.sched_setaffinity`` where the platform has it, and the output says whether it was.
``--quick`` means one seed and three runs of each timing.

Run from anywhere::

    .venv/bin/python benchmarks/bench_saves.py --seeds 5 --repeat 7
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from common import REPO, machine_lines, pin_to_one_core

from engine.ai.bot import Bot
from engine.ai.players import make_bots
from engine.content import LoadedGame, load_game
from engine.core import GameState, Rules
from engine.runner import play_game
from engine.saves import Recorder, Replay, SavedGame, new_save, players_of, read_save, write_save
from engine.saves.game import KEYFRAME_EVERY
from engine.saves.store import save_text

DEFAULT_SCENARIO = REPO / "scenarios" / "default.yaml"
TARGET_BYTES_PER_TURN = 5_000
"""The issue's target: at most 5 KB a turn, uncompressed."""
SEEK_TURNS = (10, 50, 90)
"""Turns to seek to in the long game, besides its last turn and its end."""

TURN_PARTS = ("orders", "reasons", "events", "digests")
"""The parts of each turn measured on their own."""
SHARED_PARTS = ("keyframes", "symbols")
"""The parts of the document that grow with the game but belong to no one turn."""
PART_LABELS = {
    "orders": "orders",
    "reasons": "reasons (bots' explanations)",
    "events": "events",
    "digests": "digests",
    "keyframes": "keyframes",
    "symbols": "symbols table",
}

T = TypeVar("T")


# ------------------------------------------------------------------------------ timing


@dataclass(frozen=True)
class Timing:
    """Repeated wall-clock timings of one thing, in seconds."""

    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def best(self) -> float:
        return min(self.samples)

    def ms(self) -> str:
        """``median (fastest)`` in milliseconds."""
        return f"{1e3 * self.median:,.1f} ({1e3 * self.best:,.1f})"


def clocked(action: Callable[[], T]) -> tuple[T, float]:
    """Run ``action`` once; its result and the seconds it took."""
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def repeated(repeat: int, action: Callable[[], T]) -> Timing:
    """One untimed warm-up of ``action``, then ``repeat`` timed runs."""
    action()
    return Timing(tuple(clocked(action)[1] for _ in range(repeat)))


# ------------------------------------------------------------------------------ games


def shown(path: Path) -> str:
    """``path`` relative to the repository when it is inside it."""
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def doctrine_bots(loaded: LoadedGame, rules: Rules) -> dict[str, Bot]:
    """The doctrine bot on every actor; ``SystemExit`` if the scenario has no doctrine."""
    if loaded.doctrine is None:
        raise SystemExit(f"{loaded.scenario_path}: the scenario names no doctrine to play it")
    everyone = {actor.id: "doctrine" for actor in rules.spec.actors}
    return make_bots(rules, loaded.doctrine, everyone, None)


def play_and_record(
    loaded: LoadedGame, rules: Rules, bots: Mapping[str, Bot], seed: int
) -> tuple[SavedGame, GameState]:
    """Play one whole game recorded into a new save; the save and the final state."""
    saved = new_save(loaded, seed, players_of(bots))
    record = play_game(rules, bots, seed=seed, on_turn=Recorder(saved))
    return saved, record.final


def without_turns(saved: SavedGame) -> SavedGame:
    """The same save as it was before any turn was played."""
    return dataclasses.replace(saved, turns=[], keyframes={})


# ------------------------------------------------------------------------------ (1) size


def _size(value: Any) -> int:
    """UTF-8 bytes of ``value`` as compact JSON, the way a save writes it."""
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def part_sizes(saved: SavedGame) -> dict[str, int]:
    """Bytes of each part of the save's document, summed over its turns for turn parts."""
    document = json.loads(save_text(saved))
    turns: list[dict[str, Any]] = document["turns"]
    return {
        "orders": sum(_size(t["orders"]) for t in turns),
        "reasons": sum(_size(t["reasons"]) for t in turns),
        "events": sum(_size(t["events"]) + _size(t.get("control_events", [])) for t in turns),
        "digests": sum(_size(t["digest"]) for t in turns),
        "keyframes": _size(document["keyframes"]),
        "symbols": _size(document["symbols"]),
        "content": _size(document["content"]),
    }


def _stripped(saved: SavedGame, part: str) -> SavedGame:
    """The save without one part: what the symbols table would be without it."""
    if part == "keyframes":
        return dataclasses.replace(saved, keyframes={})
    cleared: dict[str, Any] = {
        "orders": {"orders": ()},
        "reasons": {"reasons": ()},
        "events": {"events": (), "control_events": ()},
    }[part]
    return dataclasses.replace(
        saved, turns=[dataclasses.replace(t, **cleared) for t in saved.turns]
    )


SYMBOL_OWNERS = ("orders", "reasons", "events", "keyframes")
"""Parts whose own strings are measured in the symbols table."""


def symbols_only_for(saved: SavedGame) -> dict[str, int]:
    """Bytes of the symbols table that each part alone needs (gone when it is left out)."""
    whole = _size(json.loads(save_text(saved))["symbols"])
    return {
        part: whole - _size(json.loads(save_text(_stripped(saved, part)))["symbols"])
        for part in SYMBOL_OWNERS
    }


@dataclass(frozen=True)
class SizeResult:
    """The sizes of one game's save and of the same save with no turns, in bytes."""

    seed: int
    turns: int
    empty: int
    full: int
    empty_gz: int
    full_gz: int
    parts_empty: Mapping[str, int]
    parts_full: Mapping[str, int]
    symbols_only: Mapping[str, int]

    def per_turn(self, part: str) -> float:
        return (self.parts_full[part] - self.parts_empty[part]) / self.turns

    @property
    def bytes_per_turn(self) -> float:
        return (self.full - self.empty) / self.turns

    @property
    def gz_bytes_per_turn(self) -> float:
        return (self.full_gz - self.empty_gz) / self.turns


def written_sizes(saved: SavedGame, folder: Path, stem: str) -> tuple[int, int]:
    """Bytes of ``saved`` written by ``write_save`` plain and gzip-compressed."""
    plain, packed = folder / f"{stem}.json", folder / f"{stem}.json.gz"
    write_save(plain, saved)
    write_save(packed, saved)
    return plain.stat().st_size, packed.stat().st_size


def measure_size(saved: SavedGame, folder: Path) -> SizeResult:
    """Write ``saved`` and the same save with no turns into ``folder``; measure both."""
    empty = without_turns(saved)
    size_empty, gz_empty = written_sizes(empty, folder, f"empty-{saved.seed}")
    size_full, gz_full = written_sizes(saved, folder, f"game-{saved.seed}")
    if size_full != len(save_text(saved).encode("utf-8")):
        raise RuntimeError("write_save wrote something other than save_text")
    return SizeResult(
        seed=saved.seed,
        turns=len(saved.turns),
        empty=size_empty,
        full=size_full,
        empty_gz=gz_empty,
        full_gz=gz_full,
        parts_empty=part_sizes(empty),
        parts_full=part_sizes(saved),
        symbols_only=symbols_only_for(saved),
    )


def _mean(values: Sequence[float]) -> float:
    return statistics.fmean(values)


def format_rows(rows: Sequence[Sequence[str]], left: int = 1) -> str:
    """A plain-text table: the first row is the header, the first ``left`` columns are
    left-aligned and the others right-aligned, a rule under the header."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        cells = [
            f"{cell:<{widths[i]}}" if i < left else f"{cell:>{widths[i]}}"
            for i, cell in enumerate(row)
        ]
        lines.append("  " + "  ".join(cells).rstrip())
        if index == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def size_report(results: Sequence[SizeResult], saved: SavedGame) -> str:
    """Per-seed sizes, the mean per turn with its breakdown, and the fixed content."""
    lines: list[str] = []
    rows = [
        ["seed", "turns", "empty B", "saved B", "B/turn", "gzip empty B", "gzip B", "gz B/turn"]
    ]
    for r in results:
        rows.append(
            [
                str(r.seed),
                str(r.turns),
                f"{r.empty:,}",
                f"{r.full:,}",
                f"{r.bytes_per_turn:,.0f}",
                f"{r.empty_gz:,}",
                f"{r.full_gz:,}",
                f"{r.gz_bytes_per_turn:,.0f}",
            ]
        )
    lines.append(format_rows(rows))

    per_turn = _mean([r.bytes_per_turn for r in results])
    gz_per_turn = _mean([r.gz_bytes_per_turn for r in results])
    met = "MET" if per_turn <= TARGET_BYTES_PER_TURN else "NOT MET"
    lines.append(
        f"  mean over {len(results)} seeds: {per_turn:,.0f} B/turn uncompressed, "
        f"{gz_per_turn:,.0f} B/turn gzip ({per_turn / gz_per_turn:.1f}x smaller)"
    )
    lines.append(
        f"  target <= 5 KB ({TARGET_BYTES_PER_TURN:,} B) a turn uncompressed: {met} "
        f"({per_turn / TARGET_BYTES_PER_TURN:.0%} of the target)"
    )
    lines.append("")

    lines.append("  breakdown per turn (mean over the seeds):")
    rows = [["part", "B/turn", "share"]]
    measured = 0.0
    for part in (*TURN_PARTS, *SHARED_PARTS):
        value = _mean([r.per_turn(part) for r in results])
        measured += value
        rows.append([PART_LABELS[part], f"{value:,.0f}", f"{value / per_turn:.1%}"])
        if part == "symbols":
            for owner in SYMBOL_OWNERS:
                only = _mean([r.symbols_only[owner] / r.turns for r in results])
                rows.append(
                    [f"  of which only {owner} need", f"{only:,.0f}", f"{only / per_turn:.1%}"]
                )
    framing = per_turn - measured
    rows.append(
        ["framing (turn, date, keys, commas)", f"{framing:,.0f}", f"{framing / per_turn:.1%}"]
    )
    rows.append(["total", f"{per_turn:,.0f}", "100.0%"])
    lines.append(format_rows(rows))
    turns = results[0].turns
    keyframes = len(saved.keyframes)
    each = _mean([r.parts_full["keyframes"] for r in results]) / keyframes
    lines.append(
        f"  (keyframes: {keyframes} snapshots in a {turns}-turn game, one every "
        f"{KEYFRAME_EVERY} turns, each {each:,.0f} B"
        f" on average; the symbols table holds every string once, so its rows say which "
        f"part's strings are new each turn)"
    )
    lines.append("")

    first = results[0]
    texts = sum(len(t.encode("utf-8")) for t in saved.content.files.values())
    lines.append(
        f"  fixed: embedded content {first.parts_empty['content']:,} B as JSON "
        f"({len(saved.content.files)} files, {texts:,} B of text); the save with no turns "
        f"{first.empty:,} B, {first.empty_gz:,} B gzip"
    )
    return "\n".join(lines)


# ------------------------------------------------------------------------------ (2) replay


@dataclass(frozen=True)
class ReplayResult:
    """Open and verify timings of one saved game."""

    seed: int
    turns: int
    read: Timing
    construct: Timing
    verify: Timing

    @property
    def turns_per_second(self) -> float:
        return self.turns / self.verify.median


def measure_replay(path: Path, seed: int, repeat: int) -> ReplayResult:
    """One warm-up, then ``repeat`` runs of: ``read_save``, ``Replay(...)`` and ``verify()``
    of that fresh replay, each timed.  Each run's replay is dropped before the next run, so
    that the garbage collector does not scan the earlier ones while the next is built."""
    samples: dict[str, list[float]] = {"read": [], "construct": [], "verify": []}
    turns = 0
    for run in range(repeat + 1):
        saved, read = clocked(partial(read_save, path))
        replay, construct = clocked(partial(Replay, saved, path))
        verify = clocked(replay.verify)[1]
        turns = replay.last_turn
        del saved, replay
        if run == 0:
            continue  # warm-up, untimed
        for key, value in (("read", read), ("construct", construct), ("verify", verify)):
            samples[key].append(value)
    timings = {key: Timing(tuple(values)) for key, values in samples.items()}
    return ReplayResult(seed=seed, turns=turns, **timings)


def replay_report(results: Sequence[ReplayResult]) -> str:
    rows = [
        [
            "seed",
            "turns",
            "read_save ms",
            "Replay() ms",
            "open ms",
            "verify ms",
            "turns/s",
            "ms/turn",
        ]
    ]
    for r in results:
        opened = r.read.median + r.construct.median
        rows.append(
            [
                str(r.seed),
                str(r.turns),
                r.read.ms(),
                r.construct.ms(),
                f"{1e3 * opened:,.1f}",
                r.verify.ms(),
                f"{r.turns_per_second:,.0f}",
                f"{1e3 / r.turns_per_second:.2f}",
            ]
        )
    lines = [format_rows(rows)]
    rate = _mean([r.turns_per_second for r in results])
    opened = _mean([r.read.median + r.construct.median for r in results])
    lines.append(
        f"  mean over {len(results)} seeds: open {1e3 * opened:,.0f} ms "
        f"(read_save {1e3 * _mean([r.read.median for r in results]):,.0f} + content load "
        f"{1e3 * _mean([r.construct.median for r in results]):,.0f}), verify {rate:,.0f} turns/s "
        f"({1e3 / rate:.2f} ms/turn)"
    )
    lines.append("  (ms columns: median (fastest); open = median read_save + median Replay())")
    return "\n".join(lines)


# ------------------------------------------------------------------------------ (3) seeking


def long_variant(scenario: Path, turns: int, folder: Path, scenario_id: str) -> Path:
    """A scenario file in ``folder`` that extends ``scenario`` with ``turns`` turns.

    ``extends:`` is written relative to the folder, so that the save's embedded copy finds
    the base scenario where the loader looks for it.
    """
    variant = folder / "long.yaml"
    base = os.path.relpath(scenario.resolve(), folder.resolve())
    variant.write_text(
        f"# {turns}-turn variant written by benchmarks/bench_saves.py\n"
        f"extends: {base}\n"
        f"scenario: {scenario_id}_{turns}_turns\n"
        f"turns: {turns}\n",
        encoding="utf-8",
    )
    return variant


@dataclass(frozen=True)
class SeekResult:
    """Seeking to one turn of the long game, with and without keyframes."""

    turn: int
    keyframe: int
    """The snapshot the seek starts from (0: the start of the game)."""
    read: Timing
    construct: Timing
    seek: Timing
    construct_bare: Timing
    seek_bare: Timing

    @property
    def replayed(self) -> int:
        return self.turn - max(self.keyframe, 1)

    @property
    def cold(self) -> float:
        return self.read.median + self.construct.median + self.seek.median

    @property
    def cold_bare(self) -> float:
        return self.read.median + self.construct_bare.median + self.seek_bare.median


def measure_seek(path: Path, turn: int, repeat: int) -> SeekResult:
    """``repeat`` cold seeks to ``turn`` (after one warm-up), each on a fresh ``Replay`` from
    a fresh ``read_save``, then on a fresh ``Replay`` of the same save without keyframes."""
    samples: dict[str, list[float]] = {
        k: [] for k in ("read", "construct", "seek", "construct_bare", "seek_bare")
    }
    keyframe = 0
    for run in range(repeat + 1):
        saved, read = clocked(partial(read_save, path))
        replay, construct = clocked(partial(Replay, saved, path))
        state, seek = clocked(partial(replay.state_at, turn))
        bare_save = dataclasses.replace(saved, keyframes={})
        bare, construct_bare = clocked(partial(Replay, bare_save, path))
        bare_state, seek_bare = clocked(partial(bare.state_at, turn))
        if bare_state.digest() != state.digest():
            raise RuntimeError(f"turn {turn}: seeking with and without keyframes disagree")
        keyframe = max((n for n in saved.keyframes if n <= turn), default=0)
        del saved, replay, bare_save, bare
        if run == 0:
            continue  # warm-up, untimed
        for key, value in (
            ("read", read),
            ("construct", construct),
            ("seek", seek),
            ("construct_bare", construct_bare),
            ("seek_bare", seek_bare),
        ):
            samples[key].append(value)
    timings = {key: Timing(tuple(values)) for key, values in samples.items()}
    return SeekResult(turn=turn, keyframe=keyframe, **timings)


def seek_report(results: Sequence[SeekResult], last_turn: int) -> str:
    rows = [
        [
            "seek to",
            "keyframe",
            "replays",
            "cold ms",
            "state_at ms",
            "no kf: replays",
            "cold ms",
            "state_at ms",
            "speed-up",
        ]
    ]
    for r in results:
        label = str(r.turn)
        if r.turn == last_turn:
            label += " (last)"
        elif r.turn == last_turn + 1:
            label += " (end)"
        rows.append(
            [
                label,
                str(r.keyframe) if r.keyframe else "-",
                str(r.replayed),
                f"{1e3 * r.cold:,.1f}",
                r.seek.ms(),
                str(r.turn - 1),
                f"{1e3 * r.cold_bare:,.1f}",
                r.seek_bare.ms(),
                f"{r.seek_bare.median / r.seek.median:,.1f}x",
            ]
        )
    lines = [format_rows(rows)]
    lines.append(
        "  (cold = median read_save + median Replay() + median state_at, on a fresh Replay; "
        "state_at ms = median (fastest) of the seek alone, content already loaded; "
        "no kf = the same save with its keyframes removed, replayed from turn 1; "
        "speed-up = state_at without keyframes / with)"
    )
    return "\n".join(lines)


# ------------------------------------------------------------------------------ main


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Saved games: bytes per turn (with a breakdown), replay turns per "
        "second, and seeking in a long game with and without keyframes.",
    )
    parser.add_argument(
        "--scenario",
        type=Path,
        default=DEFAULT_SCENARIO,
        help="scenario YAML file with a doctrine (default: scenarios/default.yaml)",
    )
    parser.add_argument(
        "--seeds",
        type=int,
        default=None,
        metavar="N",
        help="games measured for size and replay, seeds FIRST_SEED.. (default: 5, --quick: 1)",
    )
    parser.add_argument(
        "--first-seed",
        type=int,
        default=1,
        help="seeds are FIRST_SEED .. FIRST_SEED + N - 1 (default: %(default)s)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="timed runs of each measurement after one warm-up (default: 7, --quick: 3)",
    )
    parser.add_argument(
        "--long-turns",
        type=int,
        default=100,
        metavar="TURNS",
        help="length of the long game that seeking is measured in (default: %(default)s)",
    )
    parser.add_argument(
        "--long-seed",
        type=int,
        default=1,
        help="seed of the long game (default: %(default)s)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="one seed and three runs of each timing, unless --seeds or --repeat say otherwise",
    )
    args = parser.parse_args(argv)
    if args.seeds is None:
        args.seeds = 1 if args.quick else 5
    if args.repeat is None:
        args.repeat = 3 if args.quick else 7
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.long_turns < 2:
        parser.error("--long-turns must be at least 2")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    pinning = pin_to_one_core()
    scenario: Path = args.scenario
    loaded = load_game(scenario)
    rules = Rules(loaded.spec)
    spec = rules.spec
    bots = doctrine_bots(loaded, rules)
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))

    machine, code = machine_lines("bench_saves")
    print(machine)
    print(f"CPU: {pinning}")
    print(code)
    print(
        f"scenario {spec.scenario_id} ({shown(scenario)}): {len(spec.areas)} areas, "
        f"{len(spec.actors)} actors, {len(spec.forces)} units, {spec.turns} turns; "
        f"doctrine bot on every actor"
    )
    print(
        f"seeds {seeds[0]}..{seeds[-1]} ({len(seeds)} games); every timing: one warm-up, "
        f"then median (fastest) of {args.repeat}"
    )

    with tempfile.TemporaryDirectory(prefix="bench_saves-") as temporary:
        folder = Path(temporary)
        sizes: list[SizeResult] = []
        replays: list[ReplayResult] = []
        played_in: list[float] = []
        saved = None
        for seed in seeds:
            played, seconds = clocked(partial(play_and_record, loaded, rules, bots, seed))
            saved = played[0]
            played_in.append(seconds)
            sizes.append(measure_size(saved, folder))
            replays.append(measure_replay(folder / f"game-{seed}.json", seed, args.repeat))
        assert saved is not None
        print(
            f"played and recorded {len(seeds)} games in {sum(played_in):.2f} s "
            f"({_mean(played_in):.2f} s a game)"
        )
        print()
        print(f"(1) save size, {spec.turns}-turn games: (saved - no turns) / turns")
        print(size_report(sizes, saved))
        print()
        print("(2) replay: open (read_save + Replay()), then Replay.verify() over the whole game")
        print(replay_report(replays))
        print()

        variant = long_variant(scenario, args.long_turns, folder, spec.scenario_id)
        long_loaded = load_game(variant)
        long_rules = Rules(long_loaded.spec)
        long_bots = doctrine_bots(long_loaded, long_rules)
        long_game, seconds = clocked(
            partial(play_and_record, long_loaded, long_rules, long_bots, args.long_seed)
        )
        long_save, final = long_game
        long_path = folder / "long.json"
        write_save(long_path, long_save)
        last = len(long_save.turns)
        ended = final.end_reason or ("stopped" if not final.finished else "finished")
        print(
            f"(3) seeking: a {args.long_turns}-turn variant (extends: {scenario.name}, turns: "
            f"{args.long_turns}), seed {args.long_seed}, played in {seconds:.2f} s"
        )
        print(
            f"  it played {last} turns (ended: {ended}); save {long_path.stat().st_size:,} B "
            f"with {len(long_save.keyframes)} keyframes "
            f"({', '.join(str(n) for n in sorted(long_save.keyframes))})"
        )
        if last < args.long_turns:
            print(
                f"  NOTE: the game ended before turn {args.long_turns}; seeks past it are skipped"
            )
        targets = sorted({t for t in (*SEEK_TURNS, last, last + 1) if 1 <= t <= last + 1})
        seeks = [measure_seek(long_path, turn, args.repeat) for turn in targets]
        read = _mean([s.read.median for s in seeks])
        construct = _mean([s.construct.median for s in seeks])
        print(
            f"  open of this save: read_save {1e3 * read:,.1f} ms + Replay() (content load) "
            f"{1e3 * construct:,.1f} ms (medians, mean over the seeks)"
        )
        print(seek_report(seeks, last))
    return 0


if __name__ == "__main__":
    sys.exit(main())
