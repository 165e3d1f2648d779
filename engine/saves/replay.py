"""Replaying a save: the game rebuilt from its embedded content, turn by turn, checked.

A :class:`Replay` never trusts a recorded state: it starts from the scenario's starting
state (or from a snapshot whose digest the record confirms), resolves each turn again from
the recorded orders and controls, and compares the events and the digest with what was
recorded.  The first turn that differs is reported with what differs.  From any turn a
replay can hand over a :class:`~engine.runner.Position` to continue the game, or a new
save that branches from there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from engine import __version__
from engine.content import LoadedGame, load_game
from engine.content.controls import compile_control
from engine.content.source import MemoryFiles
from engine.core import (
    Event,
    GameSpec,
    GameState,
    Rules,
    TurnResult,
    initial_state,
    resolve_turn,
)
from engine.core.control import Control, apply_controls
from engine.errors import ContentError, ReplayMismatch, SaveError
from engine.runner import Position
from engine.saves.game import ControlRecord, SavedGame, SavedTurn
from engine.saves.store import read_save


def load_embedded(game: SavedGame, path: Path) -> LoadedGame:
    """The game built from the content the save embeds, not from the files on disk."""
    try:
        return load_game(Path(game.content.entry), MemoryFiles(game.content.files))
    except ContentError as exc:
        first = next(d for d in exc.diagnostics if d.severity == "error")
        raise SaveError(
            path,
            f"its embedded scenario no longer loads in Redline {__version__} (the save was "
            f"written by {game.engine_version}): {first.format()}",
        ) from None


class Replay:
    """A saved game ready to step through, seek in, continue or branch."""

    def __init__(self, saved: SavedGame, path: Path) -> None:
        self.saved = saved
        self.path = path
        self.game = load_embedded(saved, path)
        if saved.scenario != self.game.spec.scenario_id:
            raise SaveError(
                path,
                f"the save says it is a game of '{saved.scenario}' but embeds the scenario "
                f"'{self.game.spec.scenario_id}'",
            )
        self.rules = Rules(self.game.spec)
        self._states: dict[int, GameState] = {}
        self._controls: dict[int, tuple[Control, ...]] = {}

    @classmethod
    def open(cls, path: Path) -> Replay:
        return cls(read_save(path), path)

    @property
    def spec(self) -> GameSpec:
        return self.game.spec

    @property
    def last_turn(self) -> int:
        """The last turn played (0 when none has been)."""
        return self.saved.next_turn - 1

    # ------------------------------------------------------------------ replaying

    def start(self) -> GameState:
        """The state at the start of turn 1: the scenario's, then the opening controls."""
        if 1 not in self._states:
            state = initial_state(self.spec, self.saved.seed)
            controls = self.controls_after(0)
            if controls:
                result = self._apply_each(state, controls)
                self._check_events(0, "opening controls", self.saved.opening_events, result.events)
                state = result.state
            self._states[1] = state
        return self._states[1]

    def controls_after(self, turn: int) -> tuple[Control, ...]:
        """The controls applied after ``turn`` (0: before the first turn), compiled."""
        if turn not in self._controls:
            records = self.saved.opening if turn == 0 else self.saved.turn(turn).controls
            self._controls[turn] = tuple(
                self._compile(record, f"{self.path} (controls after turn {turn})")
                for record in records
            )
        return self._controls[turn]

    def _compile(self, record: ControlRecord, where: str) -> Control:
        try:
            return compile_control(
                self.game, record.kind, record.reason, record.trigger, record.effects, where
            )
        except ContentError as exc:
            raise SaveError(self.path, f"a recorded control is invalid: {exc}") from None

    def _apply_each(self, state: GameState, controls: Sequence[Control]) -> TurnResult:
        """Apply ``controls`` one after the other, each on the state the previous one left,
        as the white cell gave them (see :meth:`add_control`)."""
        events: tuple[Event, ...] = ()
        for index, control in enumerate(controls, start=1):
            result = apply_controls(self.rules, state, (control,), first=index)
            state, events = result.state, events + result.events
        return TurnResult(state, events, ())

    def play_turn(self, state: GameState, saved: SavedTurn) -> tuple[GameState, tuple[Event, ...]]:
        """Resolve ``saved`` again from ``state``, apply its controls, and check both against
        the record.  Returns the next state and the events (turn and controls)."""
        date = self.spec.calendar.label(saved.turn)
        if saved.date != date:
            raise ReplayMismatch(
                saved.turn, f"the turn is dated {saved.date}, but the calendar says {date}"
            )
        result = resolve_turn(self.rules, state, saved.orders)
        self._check_events(saved.turn, "turn", saved.events, result.events)
        events = result.events
        after = result.state
        controls = self.controls_after(saved.turn)
        if controls:
            applied = self._apply_each(after, controls)
            self._check_events(saved.turn, "controls", saved.control_events, applied.events)
            after, events = applied.state, events + applied.events
        digest = after.digest()
        if digest != saved.digest:
            raise ReplayMismatch(
                saved.turn,
                f"the state's digest is {digest[:12]} where {saved.digest[:12]} was recorded; "
                + self._state_detail(saved.turn + 1, after),
            )
        return after, events

    def state_at(self, turn: int) -> GameState:
        """The state at the start of ``turn`` (1 to ``last_turn + 1``), replayed from the
        nearest snapshot before it."""
        if not 1 <= turn <= self.last_turn + 1:
            raise ValueError(f"turn {turn} is not in this game (turns 1 to {self.last_turn + 1})")
        known = max((n for n in self._states if n <= turn), default=0)
        snapshot = max((n for n in self.saved.keyframes if known < n <= turn), default=0)
        if snapshot:
            state = self.saved.keyframes[snapshot]
            recorded = self.saved.turn(snapshot - 1).digest
            if state.digest() != recorded:
                raise ReplayMismatch(
                    snapshot - 1, "the snapshot of the state after it does not match its digest"
                )
            self._states[snapshot] = state
            known = snapshot
        state = self._states[known] if known else self.start()
        for number in range(max(known, 1), turn):
            state, _ = self.play_turn(state, self.saved.turn(number))
            self._states[number + 1] = state
        return state

    def events_of(self, turn: int) -> tuple[Event, ...]:
        """The events of ``turn`` and of the controls after it, as recorded."""
        saved = self.saved.turn(turn)
        return saved.events + saved.control_events

    def verify(self, on_turn: Callable[[int], None] | None = None) -> None:
        """Replay every turn from the start; :class:`ReplayMismatch` at the first difference.
        Snapshots are checked against the replayed states too."""
        state = self.start()
        for saved in self.saved.turns:
            state, _ = self.play_turn(state, saved)
            self._states[saved.turn + 1] = state
            snapshot = self.saved.keyframes.get(saved.turn + 1)
            if snapshot is not None and snapshot != state:
                raise ReplayMismatch(
                    saved.turn,
                    "the snapshot of the state after it differs from the replayed state: "
                    + "; ".join(state_differences(self.spec, snapshot, state)[:5]),
                )
            if on_turn is not None:
                on_turn(saved.turn)

    # ------------------------------------------------------------------ going on

    def position(self, turn: int) -> Position:
        """The game as it stood at the start of ``turn``, for players to go on from."""
        states = tuple(self.state_at(n) for n in range(1, turn + 1))
        last = self.events_of(turn - 1) if turn > 1 else self.saved.opening_events
        return Position(states, last)

    def branch(self, turn: int, origin: str) -> SavedGame:
        """A new save holding this game up to the start of ``turn``, to be played on from
        there; bookmarks and annotations of the turns kept go with it."""
        if not 1 <= turn <= self.last_turn + 1:
            raise ValueError(f"turn {turn} is not in this game (turns 1 to {self.last_turn + 1})")
        self.state_at(turn)  # the turns kept must replay before anyone builds on them
        saved = self.saved
        return replace(
            saved,
            players=dict(saved.players),
            turns=[t for t in saved.turns if t.turn < turn],
            keyframes={n: s for n, s in saved.keyframes.items() if n <= turn},
            bookmarks=[b for b in saved.bookmarks if b.turn < turn],
            annotations=[a for a in saved.annotations if a.turn < turn],
            origin=origin,
            stopped="",
            engine_version=__version__,
        )

    def add_control(self, record: ControlRecord) -> tuple[Event, ...]:
        """Apply a white-cell control to the game as it stands (after its last turn, or to
        the start when no turn has been played) and record it; returns its events.

        A control the game cannot apply (an unknown track, no reason given) raises
        ``ContentError`` and nothing is recorded.
        """
        last = self.last_turn
        state = self.state_at(last + 1)
        where = f"{self.path} (control after turn {last})"
        saved = self.saved
        earlier = saved.opening if last == 0 else saved.turns[-1].controls
        control = compile_control(
            self.game, record.kind, record.reason, record.trigger, record.effects, where
        )
        result = apply_controls(self.rules, state, (control,), first=len(earlier) + 1)
        if last == 0:
            saved.opening = (*saved.opening, record)
            saved.opening_events = saved.opening_events + result.events
        else:
            played = saved.turns[-1]
            saved.turns[-1] = replace(
                played,
                controls=(*played.controls, record),
                control_events=played.control_events + result.events,
                digest=result.state.digest(),
            )
        if last + 1 in saved.keyframes:
            saved.keyframes[last + 1] = result.state
        self._controls.pop(last, None)
        self._states[last + 1] = result.state
        return result.events

    # ------------------------------------------------------------------ explaining

    def _check_events(
        self,
        turn: int,
        what: str,
        recorded: Sequence[Event],
        replayed: Sequence[Event],
    ) -> None:
        if tuple(recorded) == tuple(replayed):
            return
        for index, (was, now) in enumerate(zip(recorded, replayed, strict=False)):
            if was != now:
                detail = (
                    f"{what} event {index + 1} differs: recorded [{was.describe()}] "
                    f"({was.cause}), replayed [{now.describe()}] ({now.cause})"
                )
                break
        else:
            longer = "recorded" if len(recorded) > len(replayed) else "replayed"
            extra = (recorded if longer == "recorded" else replayed)[
                min(len(recorded), len(replayed))
            ]
            detail = (
                f"{len(recorded)} {what} events were recorded and {len(replayed)} replayed; "
                f"the first extra {longer} one is [{extra.describe()}]"
            )
        raise ReplayMismatch(turn, self._versions(detail))

    def _state_detail(self, turn: int, replayed: GameState) -> str:
        snapshot = self.saved.keyframes.get(turn)
        if snapshot is None:
            return self._versions("the state differs although every event matches")
        return self._versions(
            "the state differs although every event matches: "
            + "; ".join(state_differences(self.spec, snapshot, replayed)[:5])
        )

    def _versions(self, detail: str) -> str:
        if self.saved.engine_version == __version__:
            return detail
        return (
            f"{detail} (the save was written by Redline {self.saved.engine_version}, "
            f"this is {__version__})"
        )


def state_differences(spec: GameSpec, recorded: GameState, replayed: GameState) -> list[str]:
    """What differs between two states, one phrase per difference, in the spec's order."""
    found: list[str] = []
    for (track, scope), was, now in zip(
        spec.track_keys, recorded.tracks, replayed.tracks, strict=True
    ):
        if was != now:
            name = f"{track} ({scope})" if scope else track
            found.append(f"track {name}: {was:g} recorded, {now:g} replayed")
    for actor, spent, left in zip(spec.actors, recorded.budgets, replayed.budgets, strict=True):
        if spent != left:
            found.append(f"budget of {actor.id}: {spent:g} recorded, {left:g} replayed")
    for area, held, holds in zip(spec.areas, recorded.control, replayed.control, strict=True):
        if held != holds:
            found.append(
                f"control of {area.id}: {held or 'nobody'} recorded, {holds or 'nobody'} replayed"
            )
    units = {u.id: u for u in recorded.units}
    others = {u.id: u for u in replayed.units}
    for unit_id in sorted(units.keys() | others.keys()):
        if units.get(unit_id) != others.get(unit_id):
            found.append(
                f"unit {unit_id}: {units.get(unit_id)} recorded, {others.get(unit_id)} replayed"
            )
    if recorded.flags != replayed.flags:
        found.append(f"flags: {sorted(set(recorded.flags) ^ set(replayed.flags))} differ")
    for line, stood, stands in zip(
        spec.red_lines, recorded.red_lines, replayed.red_lines, strict=True
    ):
        if stood != stands:
            found.append(f"red line {line.id}: {stood.status} recorded, {stands.status} replayed")
    if recorded.rng != replayed.rng:
        found.append("the game's generator")
    return found or ["something outside the tracks, units, control and red lines"]
